/* bloc — first answers from a contest: seat results, totals, swing, targets, indices.
 * Results are plain structs of arrays in caller storage: _compute fills, _dispose frees.
 * _compute zeroes *out before anything can fail, and _dispose of a zeroed struct does nothing, so
 * a caller may declare `bloc_swing s = {0};` and dispose unconditionally.
 * All shares, swings and percentages are in percentage points (0-100). */
#ifndef BLOC_ANALYSIS_H
#define BLOC_ANALYSIS_H

#include <stddef.h>
#include <stdint.h>

#include "contest.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A seat's winner (or runner-up) when it has none: no candidate but lumps of several, or no
 * valid votes at all (a seat where every candidate has 0 votes is not won by the first listed). */
#define BLOC_NO_WINNER (-1L)

/** Per seat: winner, runner-up, majority, turnout. */
typedef struct {
	size_t n;     /* seats */
	long *winner; /* candidate index into the contest's cand_ arrays, or BLOC_NO_WINNER */
	long *second; /* candidate index, or BLOC_NO_WINNER if unopposed or there is no winner */
	bloc_party *winner_party; /* BLOC_PARTY_NONE if no winner */
	bloc_party *second_party; /* BLOC_PARTY_NONE if unopposed or no winner */
	int64_t *majority;        /* winner's votes minus runner-up's; 0 if no winner */
	double *majority_pct;     /* majority as % of valid votes; NaN if no winner */
	double *turnout;          /* valid votes as % of electorate; NaN if electorate unknown */
} bloc_seat_results;

/**
 * Winner and runner-up are the top two candidates by votes, never an aggregate lump ("all other
 * candidates"). A tie for first is broken by file order and flagged by a majority of 0. A seat
 * whose candidates have no votes has no winner (BLOC_NO_WINNER), nor runner-up.
 * Cost: O(candidates).
 */
int bloc_seat_results_compute(bloc_seat_results *out, const bloc_contest *c);
void bloc_seat_results_dispose(bloc_seat_results *r);

typedef enum { BLOC_BY_UK = 0, BLOC_BY_NATION, BLOC_BY_REGION } bloc_grouping;

/** Votes, shares and seats per party in each group (the UK, each nation or each region). */
typedef struct {
	size_t ngroups, nparties;
	const char **group;  /* group names, borrowed from the contest ("UK" for BLOC_BY_UK) */
	bloc_party *parties; /* nparties, the contest's parties */
	int64_t *votes;      /* ngroups x nparties */
	int64_t *seats;      /* ngroups x nparties: seats won */
	double *share;       /* ngroups x nparties: % of the group's valid votes */
	int64_t *valid;      /* ngroups */
	int64_t *electorate; /* ngroups; -1 if any seat's electorate is unknown */
	size_t *nseats;      /* ngroups: seats in the group */
} bloc_totals;

/** Groups appear in order of first appearance in the contest. Cost: O(seats x parties). */
int bloc_totals_compute(bloc_totals *out, const bloc_contest *c, const bloc_seat_results *r,
                        int by);
void bloc_totals_dispose(bloc_totals *t);

/** Optional restriction of a comparison to some nations or regions. */
typedef struct {
	const char *const *nations; /* NULL-terminated list of nation names, or NULL for all */
	const char *const *regions; /* NULL-terminated list of region names, or NULL for all */
} bloc_seat_filter;

/**
 * Swing between two contests over the seats they share (matched by ONS code), for parties A and
 * B. Parties are compared through successor links (Brexit Party in `from` counts as Reform UK when
 * B is REF). Butler swing = ((b1-b0) - (a1-a0)) / 2 in shares of all valid votes; Steed swing =
 * change in B's share of the A+B vote. Both are positive towards B. The aggregate is computed from
 * the votes summed over the shared seats by party, not by averaging seats.
 * Seat by seat, a party's share is its candidate's, never a sum of candidates: a party's leading
 * candidate in each contest (bloc_contest_leading). IND and OTH are labels, not parties: in `to`,
 * the seat's leading independent (other); in `from`, the candidate of that label with the same
 * name (bloc_contest_candidate_named: case and spaces aside, an unnamed candidate matches none),
 * else none, so a new independent starts from 0; where none stood in `to`, `from`'s leading one.
 * A party without a candidate has a share of 0 (lumps of several candidates are none).
 */
typedef struct {
	size_t n;          /* shared seats */
	size_t *from_seat; /* index in `from` */
	size_t *to_seat;   /* index in `to` */
	bloc_party a, b;
	double *a_from, *a_to, *b_from, *b_to; /* n: shares (%) */
	double *butler, *steed;                /* n: points, positive towards B */
	/* change in every party's share, n x nparties; parties = union of both contests
	 * (successors) */
	size_t nparties;
	bloc_party *parties;
	double *change;
	/* aggregate over the shared seats */
	double total_a_from, total_a_to, total_b_from, total_b_to;
	double total_butler, total_steed;
	double *total_change; /* nparties */
} bloc_swing;

/** @return BLOC_OK, BLOC_EINVAL (a == b), BLOC_ENOTFOUND (no shared seat), BLOC_ENOMEM. */
int bloc_swing_compute(bloc_swing *out, const bloc_contest *from, const bloc_contest *to,
                       bloc_party a, bloc_party b, const bloc_seat_filter *filter);
void bloc_swing_dispose(bloc_swing *s);

/** Whether A or B had a candidate with votes in matched seat i, in either contest: a seat
 * neither stood in has no swing to show (a map or chart says "not contested", never 0). */
int bloc_swing_contested(const bloc_swing *s, size_t i);

/**
 * Target list for party p: every seat p contested but did not win, ranked by the Butler swing p
 * needs from the holder ((holder share - p share) / 2), smallest first; ties by code. Both shares
 * are candidates': the winner's, and p's leading candidate's (bloc_contest_leading), never a sum
 * of p's candidates: for IND, the seat's leading independent. A lump of several candidates
 * (BLOC_CAND_AGGREGATE) is no candidate: a party with only a lump in a seat did not contest it.
 */
typedef struct {
	size_t n;
	size_t *seat; /* contest seat index */
	bloc_party *holder;
	double *swing_needed;               /* points */
	double *party_share, *holder_share; /* p's leading candidate's share, the winner's */
} bloc_targets;

int bloc_targets_compute(bloc_targets *out, const bloc_contest *c, const bloc_seat_results *r,
                         bloc_party p);
void bloc_targets_dispose(bloc_targets *t);

/**
 * Disproportionality and fragmentation over the contest's parties (independents together as IND,
 * residual others as OTH): Gallagher least squares sqrt(1/2 sum (v-s)^2), Loosemore-Hanby
 * 1/2 sum |v-s| (both in points), Laakso-Taagepera effective number of parties by votes and by
 * seats. Wasted votes per party: every vote for a loser plus a winner's votes beyond the
 * runner-up's + 1.
 */
typedef struct {
	double gallagher, loosemore_hanby, enp_votes, enp_seats;
	size_t nparties;
	bloc_party *parties;
	int64_t *wasted;    /* nparties */
	double *wasted_pct; /* nparties: % of the party's votes */
	int64_t total_wasted;
} bloc_indices;

int bloc_indices_compute(bloc_indices *out, const bloc_contest *c, const bloc_seat_results *r);
void bloc_indices_dispose(bloc_indices *x);

#ifdef __cplusplus
}
#endif
#endif
