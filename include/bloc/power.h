/* bloc — bloc power: where a census group's cohesive vote can decide a seat, how large a shift
 * among the group alone flips it, and how likely the group is to be pivotal. */
#ifndef BLOC_POWER_H
#define BLOC_POWER_H

#include <stddef.h>
#include <stdint.h>

#include "analysis.h"
#include "contest.h"
#include "groups.h"

#ifdef __cplusplus
extern "C" {
#endif

#define BLOC_POWER_OPTIONS_VERSION 1

/* The documented defaults, for help texts and the _INIT macro. */
#define BLOC_POWER_DEFAULT_COHESION    0.87 /* Muslim voters backing one party, 2017 surveys */
#define BLOC_POWER_DEFAULT_ADULT_RATIO 1.0
#define BLOC_POWER_DEFAULT_SD_TURNOUT  0.10
#define BLOC_POWER_DEFAULT_SD_COHESION 0.05
#define BLOC_POWER_DEFAULT_SD_REST     0.05

/**
 * Assumptions, each with a documented default; every one is echoed in the output.
 * The group's voters in seat k:  G = share_k x adult_ratio x electorate_k x turnout_k, where
 * turnout_k is `turnout` if > 0, else the seat's own turnout (valid votes / electorate); when the
 * electorate is unknown, G = share_k x adult_ratio x valid votes. share_k x adult_ratio (the
 * group's share of the electorate) is capped at 1. With the seat's turnout G is computed as
 * share_k x adult_ratio x valid votes, which is the same without the rounding.
 */
typedef struct {
	unsigned version;
	double cohesion;    /* share of the group's voters that move as one bloc; default 0.87 */
	double adult_ratio; /* group's adult share relative to the seat's; default 1 (no age data
	                       by religion or ethnicity in the data directory) */
	double turnout;     /* group turnout as a fraction; <= 0: the seat's turnout (default) */
	/* the group's current split by party (points), e.g. LAB=87,CON=9; n = 0: as the seat */
	size_t nsupport;
	bloc_party support_party[32];
	double support[32];
	bloc_party third; /* party for the "switch to a named third party" threshold, or NONE */
	/* Monte Carlo for the pivot probability (sims = 0: none) */
	uint64_t sims;
	uint64_t seed;
	unsigned threads;   /* 0 or 1: one thread; results do not depend on it */
	double sd_turnout;  /* relative sd of the group's turnout (lognormal); default 0.10 */
	double sd_cohesion; /* sd of cohesion (absolute, clamped to [0,1]); default 0.05 */
	double sd_rest;     /* relative sd of every party's non-group vote; default 0.05 */
} bloc_power_options;

#define BLOC_POWER_OPTIONS_INIT                                                                    \
	{                                                                                          \
		BLOC_POWER_OPTIONS_VERSION, BLOC_POWER_DEFAULT_COHESION,                           \
		    BLOC_POWER_DEFAULT_ADULT_RATIO, 0.0, 0, {0}, {0}, BLOC_PARTY_NONE, 0, 1, 1,    \
		    BLOC_POWER_DEFAULT_SD_TURNOUT, BLOC_POWER_DEFAULT_SD_COHESION,                 \
		    BLOC_POWER_DEFAULT_SD_REST                                                     \
	}

/** Defaults as documented above; sims 0, seed 1, threads 1, third NONE (= the _INIT macro). */
void bloc_power_options_init(bloc_power_options *o);

/**
 * Per seat (the contest's seat order). Values for seats without census data are NaN (winner,
 * second and majority are still filled; decisive is 0). In a seat with no runner-up (one
 * candidate) G is filled and everything after it is NaN, decisive 0.
 *
 * The flip fractions are thresholds: at exactly that fraction of G the seat ties, and any larger
 * fraction reverses it (so decisive is flip_switch < cohesion). They are reported as computed,
 * also when above 1 (the group alone cannot do it); +inf when G = 0.
 * flip_third, for T = `third`: the group moving x G from the winner W to T. T passes W once
 * v_T + x G > v_W - x G and each other candidate j once v_T + x G > v_j, so
 * x = max((v_W - v_T) / 2G, max_j (v_j - v_T) / G) over the candidates j other than W and T
 * (lumps of several candidates are not candidates). When T is the runner-up it equals
 * flip_switch. NaN when no third party was named, T is the winner, or T has no candidate in
 * the seat.
 *
 * The pivot probability, per seat, over `sims` simulations from the stream (seed, seat index):
 *  - the group's voters G x a lognormal factor of mean 1 and relative sd sd_turnout, capped at
 *    the group's whole electorate share x electorate (no cap when the electorate is unknown);
 *  - cohesion + sd_cohesion x N(0,1), clamped to [0, 1]; the bloc is cohesion x the group;
 *  - every candidate's non-group vote x max(0, 1 + sd_rest x N(0,1)), each independently. The
 *    non-group vote is the candidate's votes minus G x the group's share for it, floored at 0;
 *  - the group's split: `support` points go to each named party's best candidate in the seat;
 *    the rest of the group (100 minus the points of the named parties standing) is spread over
 *    the other candidates in proportion to their votes (if they have none, the named parties'
 *    points are scaled to 100); with no support given, the group votes like the seat;
 *  - the bloc votes for the winner in one world and for the runner-up in the other, the rest of
 *    the group as split above; the simulation is pivotal when the two worlds have different
 *    winners (lumps of several candidates never win).
 * pivot_prob = pivotal / sims; pivot_se = sqrt(p (1 - p) / sims) (0 when p is 0 or 1).
 * With every sd 0 and support naming the winner at 100, pivot_prob is decisive (0 or 1).
 */
typedef struct {
	size_t n;
	bloc_party *winner, *second; /* candidate-level winner and runner-up parties */
	int64_t *majority;           /* votes */
	double *group_share;         /* census share of residents, 0-1 */
	double *group_voters;        /* G, after the adjustments */
	double *ratio;               /* 2 c G / majority: decisive when > 1 (+inf for a tie) */
	double *flip_switch;         /* majority / (2G): fraction of G moving winner -> runner-up */
	double *flip_abstain;        /* majority / G: fraction of G abstaining from the winner */
	double *flip_third;          /* fraction of G moving winner -> `third` so it wins; NaN if
	                                no third party was named or it cannot win that way */
	unsigned char *decisive;     /* 2 c G > majority */
	double *pivot_prob;          /* NaN when sims = 0 */
	double *pivot_se;            /* standard error of pivot_prob */
	size_t ndecisive;
	size_t covered; /* seats with census data */
} bloc_power;

/**
 * Compute bloc power of the group whose census shares are `g` (aligned with c's seats) in
 * contest `c` under `o` (NULL: the defaults). Zeroes *out first; dispose with
 * bloc_power_dispose (which accepts a zeroed struct). The group's adult share, share x
 * adult_ratio, is capped at 1.
 * @return BLOC_OK, BLOC_EINVAL (an option out of range: cohesion outside [0,1], adult_ratio not
 *         above 0, turnout above 1, an sd outside [0,10], threads above 1024, support not
 *         summing to at most 100 or naming a party twice, shares outside [0,1], shares for
 *         another contest — the message names the option or the seat), BLOC_ENOMEM,
 *         BLOC_EPAR (a thread could not start).
 * Cost: O(seats x parties) + O(seats x sims x parties) for the Monte Carlo, split over threads
 * by seat; each seat draws from its own stream (seed, seat index).
 */
int bloc_power_compute(bloc_power *out, const bloc_contest *c, const bloc_group_shares *g,
                       const bloc_power_options *o);
void bloc_power_dispose(bloc_power *p);

#ifdef __cplusplus
}
#endif
#endif
