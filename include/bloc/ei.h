/* bloc — ecological inference, first slice: an input as matrices (units x groups counts and
 * units x parties counts), Goodman's ecological regression (R x C), the deterministic
 * Duncan-Davis bounds per unit and cell, and a seeded synthetic generator with known truth.
 *
 * Caveat: aggregation bias (a group voting differently where it is more numerous) cannot be
 * detected from aggregate data alone. Goodman assumes it away; the bounds do not. */
#ifndef BLOC_EI_H
#define BLOC_EI_H

#include <stddef.h>
#include <stdint.h>

#include "contest.h"
#include "groups.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The most groups and parties an input may have. */
#define BLOC_EI_MAX_GROUPS  32
#define BLOC_EI_MAX_PARTIES 32

/**
 * An EI input: n units (seats, wards, precincts), R groups, C parties. gcount (n x R) and
 * pcount (n x C) are row-major counts (may be fractional: estimated counts); each unit's group
 * counts and party counts sum to the same total[i] > 0.
 */
typedef struct {
	size_t n, R, C;
	char **unit;    /* n ids */
	char **group;   /* R names */
	char **party;   /* C names */
	double *gcount; /* n * R */
	double *pcount; /* n * C */
	double *total;  /* n */
	size_t skipped; /* contest input: seats left out (no census data, or no votes) */
} bloc_ei_input;

/**
 * Read a plain CSV: column `id` (unit ids), the `groups` columns and the `parties` columns
 * (counts, blank not allowed, at least 0). Other columns are ignored. Each unit's group counts
 * must sum to its party counts (to 1e-6 relative); a mismatch is BLOC_ENUMERIC naming the file,
 * line and unit. At least R + 1 units are needed.
 * @return BLOC_OK; BLOC_EPARSE (missing column, bad number, empty id); BLOC_ENUMERIC (negative
 *         count, mismatched sums, a unit with total 0, too few units); BLOC_EIO; BLOC_EINVAL
 *         (NULL argument, no groups or parties, too many, a name twice); BLOC_ENOMEM.
 */
int bloc_ei_load_csv(bloc_ei_input *out, const char *path, const char *id,
                     const char *const *groups, size_t R, const char *const *parties, size_t C);

/**
 * Build an input from a contest and census group shares (each aligned to c's seats): a seat's
 * group counts are share x valid votes (the census share of residents applied to voters: an
 * assumption), plus an "other" group holding the remaining share; seats where any group has no
 * share (NaN), or with no valid votes, are skipped (counted in `skipped`). Parties are c's
 * parties with at least `threshold` (a fraction, e.g. 0.02) of the contest's valid vote; the
 * rest, and any party coded OTH, merge into "OTH". Shares adding up to more than 1 + 1e-6 in a
 * seat (overlapping groups, such as a religion with an ethnic group) are BLOC_ENUMERIC.
 * @return BLOC_OK, BLOC_ENUMERIC, BLOC_EINVAL, BLOC_ENOMEM.
 */
int bloc_ei_from_contest(bloc_ei_input *out, const bloc_contest *c, const bloc_group_shares *g,
                         size_t ng, double threshold);

/** Free what *in owns and zero it; accepts NULL and a zeroed struct. */
void bloc_ei_input_dispose(bloc_ei_input *in);

/** Write `in` as a CSV `id,<groups>,<parties>` readable by bloc_ei_load_csv. */
int bloc_ei_write_csv(const bloc_ei_input *in, const char *path);

/**
 * Goodman's ecological regression, R x C: for each party c, the party's share of each unit
 * t_ic = pcount/total is regressed on the unit's group shares x_ir = gcount/total with no
 * intercept (the shares sum to 1), t_ic = sum_r B_rc x_ir + e_ic, by least squares, unweighted
 * or weighted by the unit totals. B_rc estimates the share of group r voting for party c.
 * se from the residual variance s^2 = sum w e^2 / (n - R) (weights scaled to mean 1) times
 * (X'WX)^-1; the 95% interval is estimate +- t(0.975, n - R) se. Nothing constrains B to
 * [0,1]: `outside` flags an estimate that leaves it. Rows of B sum to 1 when the parties cover
 * every vote.
 */
typedef struct {
	size_t R, C, df;
	int weighted;
	double tcrit; /* t(0.975, df) */
	double *est;  /* R * C */
	double *se;   /* R * C */
	double *lo95; /* R * C */
	double *hi95; /* R * C */
	int *outside; /* R * C: 1 when est < 0 or est > 1 */
} bloc_ei_goodman;

/** @return BLOC_OK, BLOC_ENUMERIC (collinear group shares: a group constant or absent, or n <=
 *          R), BLOC_EINVAL, BLOC_ENOMEM. */
int bloc_ei_goodman_fit(bloc_ei_goodman *out, const bloc_ei_input *in, int weighted);
void bloc_ei_goodman_dispose(bloc_ei_goodman *g);

/**
 * Duncan-Davis (method of bounds) for every unit and cell, R x C: with N the unit's total, N_r
 * the group's count and T_c the party's, the votes of group r for c lie in
 * [max(0, T_c - (N - N_r)), min(N_r, T_c)], so its share in
 * [max(0, (t_c - (1 - x_r)) / x_r), min(1, t_c / x_r)]. A group absent from a unit (N_r = 0)
 * has bounds [0, 1] and weight 0. Aggregate bounds: sum_i N_ir lo_irc / sum_i N_ir (and hi).
 */
typedef struct {
	size_t n, R, C;
	double *lo, *hi;         /* n * R * C */
	double *agg_lo, *agg_hi; /* R * C */
} bloc_ei_bounds;

int bloc_ei_bounds_compute(bloc_ei_bounds *out, const bloc_ei_input *in);
void bloc_ei_bounds_dispose(bloc_ei_bounds *b);

/**
 * Unit-level point estimates from Goodman: the aggregate estimate of each cell clipped to the
 * unit's bounds (the "tomography-constrained" Goodman estimate: deterministic, per cell; a
 * unit's row may then not sum exactly to 1). `out` holds n * R * C values (where the group
 * is absent from the unit the bounds are [0, 1]: the estimate clipped to 0..1).
 */
void bloc_ei_goodman_units(const bloc_ei_goodman *g, const bloc_ei_bounds *b, double *out);

/** Synthetic data with known truth. */
typedef struct {
	size_t units, groups, parties;
	uint64_t seed;
	/* aggregation bias, 0..1: in unit i, group r's preferences move towards party (r mod C)
	 * by bias x its share x_ir: beta_irc = (1 - bias x_ir) beta_rc + bias x_ir [c = r mod C] */
	double bias;
	double total; /* voters per unit (mean); default 1000 */
	int equal;    /* 1: every unit has exactly `total` voters; 0: total x U(0.5, 1.5) */
	int exact;    /* 1: no noise, fractional expected counts; 0: integer multinomial votes */
} bloc_ei_synth_options;

void bloc_ei_synth_options_init(bloc_ei_synth_options *o);

typedef struct {
	bloc_ei_input in;
	double *pref;  /* R * C: the constant preferences beta_rc drawn */
	double *beta;  /* n * R * C: each unit's realised shares (votes of r for c / N_r) */
	double *truth; /* R * C: the realised aggregate shares sum_i votes_irc / sum_i N_ir */
} bloc_ei_synth;

/**
 * Draw a synthetic input (seeded xoshiro256** streams: results depend on the seed only). Group
 * shares are proportional to exp(N(0, 1)) per unit and group; preferences per group
 * proportional to exp(1.5 N(0, 1)); with `exact` the counts are the expected ones, otherwise
 * each group's members (rounded) vote multinomially.
 * @return BLOC_OK, BLOC_EINVAL (zero or too many units/groups/parties, bias outside 0..1),
 *         BLOC_ENOMEM.
 */
int bloc_ei_synth_make(bloc_ei_synth *out, const bloc_ei_synth_options *o);
void bloc_ei_synth_dispose(bloc_ei_synth *s);
/** Write the truth as CSV `group,party,truth,preference` (R * C rows). */
int bloc_ei_synth_write_truth(const bloc_ei_synth *s, const char *path);

/** How well an estimate recovers a synthetic truth. */
typedef struct {
	double agg_mae;  /* mean |est - truth| over the R x C aggregate cells */
	double seat_mae; /* mean |unit estimate - unit truth| over units and cells with N_ir > 0 */
	double coverage; /* share of aggregate cells whose [lo95, hi95] holds the truth */
	double bounds_width; /* mean aggregate bounds width */
} bloc_ei_score;

/** Score Goodman (and its unit estimates clipped to the bounds) against s's truth. */
int bloc_ei_score_goodman(bloc_ei_score *out, const bloc_ei_synth *s, const bloc_ei_goodman *g,
                          const bloc_ei_bounds *b);

#ifdef __cplusplus
}
#endif
#endif
