/* bloc — a contest: one FPTP election over a set of seats, as matrices (struct of arrays). */
#ifndef BLOC_CONTEST_H
#define BLOC_CONTEST_H

#include <stddef.h>
#include <stdint.h>

#include "party.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
	BLOC_CONTEST_GENERAL = 0, /* a general election (all seats) */
	BLOC_CONTEST_BY,          /* one or more by-elections */
	BLOC_CONTEST_NOTIONAL,    /* an estimated result on other boundaries */
	BLOC_CONTEST_EXTRACT      /* part of a general election (the one before a by-election) */
} bloc_contest_kind;

/** The most votes one candidate may have (far above any real seat): sums never overflow. */
#define BLOC_MAX_CANDIDATE_VOTES 1000000000LL

/** Candidate flags. */
enum {
	/** A lump of several candidates reported together ("All other candidates" in the HoC
	 * constituency files): counted in votes and party totals, never a winner or runner-up. */
	BLOC_CAND_AGGREGATE = 1
};

/**
 * A contest. Read-only for users: built by the loaders, freed with bloc_contest_free().
 * Seats are rows; `votes` is the dense seats x parties matrix (row-major): the votes of all of a
 * party's candidates in a seat (independents all count under IND). Candidates are grouped by seat:
 * seat s owns candidates [cand_off[s], cand_off[s+1]), in descending order of votes.
 */
typedef struct bloc_contest {
	char *id;   /* catalogue id, or the path it was read from */
	char *date; /* ISO 8601 polling day, or "" */
	/* the earliest polling day of its seats (by-elections on several days, where date is ""),
	 * else date */
	char *first_date;
	char *source; /* file read */
	char *format; /* format name as in CATALOG.csv ("hoc-constituency-wide-2024") */
	int kind;     /* bloc_contest_kind */

	size_t nseats;
	size_t nparties;
	bloc_party *parties; /* nparties; registry order */

	char **code; /* ONS/GSS code */
	char **name;
	char **region;       /* "" if unknown */
	char **nation;       /* "England", "Scotland", "Wales", "Northern Ireland", or "" */
	int64_t *electorate; /* -1 if unknown */
	int64_t *valid;      /* valid votes: the sum of the seat's candidate votes */
	int64_t *invalid;    /* -1 if unknown */
	int64_t *votes;      /* nseats * nparties */

	size_t ncand;
	size_t *cand_off;       /* nseats + 1 */
	bloc_party *cand_party; /* ncand */
	int64_t *cand_votes;
	char **cand_name;  /* "" if the file names no candidate */
	char **cand_label; /* the party label as written in the file */
	uint8_t *cand_flags;

	size_t *by_code; /* seat indices in strcmp order of code, for bloc_contest_seat */
	size_t *by_name; /* seat indices in strcasecmp order of name (then index) */
	void *priv_;     /* string storage */
} bloc_contest;

/** Free a contest and everything it owns; accepts NULL. */
void bloc_contest_free(bloc_contest *c);

/** Index of seat `code` (exact match), or -1. Cost: O(log seats). */
long bloc_contest_seat(const bloc_contest *c, const char *code);

/** Position in c->by_name of the first seat named `name` (any case), or c->nseats if none; the
 * seats of that name follow it in file order. Cost: O(log seats). */
size_t bloc_contest_first_named(const bloc_contest *c, const char *name);

/**
 * The seat `query` names: its ONS code exactly, else its name in any case. Not found is an error
 * whose message suggests up to three of the closest names (those starting with the query, then
 * containing it, then within about one edit in four characters of it, case aside); ambiguous is
 * an error listing the seats of that name with their codes.
 * @return BLOC_OK and *out, BLOC_ENOTFOUND, BLOC_EINVAL (ambiguous name).
 */
int bloc_contest_find_seat(const bloc_contest *c, const char *query, size_t *out);

/** Column of party p in `votes`, or -1 if no candidate of p stood. */
long bloc_contest_party_col(const bloc_contest *c, bloc_party p);

/**
 * The leading candidate of party p in seat `seat`: the candidate of p (or of a party p
 * succeeded) with the most votes, never a lump of several (BLOC_CAND_AGGREGATE). For IND this is
 * the seat's leading independent, never a sum of independents. Ties go to file order.
 * @return a candidate index into the cand_ arrays, or -1 when no candidate of p stood.
 * Cost: O(candidates of the seat).
 */
long bloc_contest_leading(const bloc_contest *c, size_t seat, bloc_party p);

/**
 * The candidate of party p (or of a party p succeeded) in seat `seat` named `name`, names
 * compared without ASCII case and white space ("Naz  shah" is "Naz Shah"). A candidate the file
 * names not (notional results' IND1, IND2) matches nothing, nor does a lump.
 * @return a candidate index, or -1. Cost: O(candidates of the seat x name length).
 */
long bloc_contest_candidate_named(const bloc_contest *c, size_t seat, bloc_party p,
                                  const char *name);

#ifdef __cplusplus
}
#endif
#endif
