/* bloc — ecological inference: an input as matrices (units x groups counts and units x parties
 * counts), Goodman's ecological regression (R x C), King's 2 x 2 model, the Bayesian R x C model
 * of Rosen et al. (2001) with a sampler built to mix, the deterministic Duncan-Davis bounds per
 * unit and cell, and a seeded synthetic generator with known truth and a scorer.
 *
 * Caveat: aggregation bias (a group voting differently where it is more numerous) cannot be
 * detected from aggregate data alone. Every method assumes it away; the bounds do not. */
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
/** The most covariates of the R x C contextual model. */
#define BLOC_EI_MAX_COVARIATES 4

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
 * Build an input from a contest and census group shares (each aligned to c's seats): a seat's
 * group counts are share x valid votes (the census share of residents applied to voters: an
 * assumption), plus an "other" group holding the remaining share; seats where any group has no
 * share (NaN), or with no valid votes, are skipped (counted in `skipped`). Parties are c's
 * parties with at least `threshold` (a fraction, e.g. 0.02) of the contest's valid vote; the
 * rest, and any party coded OTH, merge into "OTH". With `abstention`, the unit total is the
 * electorate and a last column ABSTAIN holds electorate - valid votes (seats without an
 * electorate are skipped). Shares adding up to more than 1 + 1e-6 in a seat (overlapping
 * groups, such as a religion with an ethnic group) are BLOC_ENUMERIC.
 * @return BLOC_OK, BLOC_ENUMERIC, BLOC_EINVAL, BLOC_ENOMEM.
 */
int bloc_ei_from_contest(bloc_ei_input *out, const bloc_contest *c, const bloc_group_shares *g,
                         size_t ng, double threshold, int abstention);

/** Free what *in owns and zero it; accepts NULL and a zeroed struct. */
void bloc_ei_input_dispose(bloc_ei_input *in);

/**
 * Build an input unit by unit (readers and bindings): bloc_ei_input_start zeroes *in and names
 * its R groups and C parties (checked: 1..BLOC_EI_MAX_*, non-empty, none twice, ignoring case);
 * bloc_ei_input_add appends one unit with its R group and C party counts (the caller checks
 * them; total is the group counts' sum), growing the arrays (`*cap` starts at 0).
 * @return BLOC_OK, BLOC_EINVAL, BLOC_ENOMEM; after a failure the caller disposes *in.
 */
int bloc_ei_input_start(bloc_ei_input *in, const char *const *groups, size_t R,
                        const char *const *parties, size_t C);
int bloc_ei_input_add(bloc_ei_input *in, size_t *cap, const char *unit, const double *gcount,
                      const double *pcount);

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

/**
 * The bounded Goodman estimate of each aggregate cell: the unit estimates of
 * bloc_ei_goodman_units (Goodman's estimate clipped to each unit's Duncan-Davis bounds) averaged
 * over the units, weighted by the group's count in each; a group absent from every unit gets
 * Goodman's estimate clipped to 0..1. Every value lies within the aggregate bounds, so in [0, 1].
 * `est` holds R * C values. No interval comes with it.
 * @return BLOC_OK, BLOC_EINVAL (g, b and in of different shapes). Cost: O(n R C).
 */
int bloc_ei_goodman_bounded(double *est, const bloc_ei_goodman *g, const bloc_ei_bounds *b,
                            const bloc_ei_input *in);

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
	/* 1: draw from the Bayesian R x C model itself (eiPack's ei.MD.bayes): alpha_rc ~
	 * Gamma(4, rate 2), each unit's beta_ir ~ Dirichlet(alpha_r); pref holds alpha_r /
	 * sum(alpha_r). 0: every unit shares the preferences pref (before any bias). */
	int dirichlet;
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

/** Score any estimate: est/lo95/hi95 hold R * C aggregate cells; unit (n * R * C, or NULL: no
 *  seat_mae) the unit estimates; bounds may be NULL (no bounds_width). */
int bloc_ei_score_cells(bloc_ei_score *out, const bloc_ei_synth *s, const double *est,
                        const double *lo95, const double *hi95, const double *unit,
                        const bloc_ei_bounds *b);

/* ------------------------------------------------------------------------------------------
 * King's (1997) 2 x 2 model, as in R's ei::ei: each unit's (bb_i, bw_i), the shares of the
 * group and of everyone else voting for the party, are iid bivariate normal truncated to the
 * unit square; parameters (King's scale-free reparameterisation phi = Bb0, Bw0, log sb, log sw,
 * atanh rho) maximise the likelihood with ei's priors (erho = esigma = ebeta = 0.5); the
 * posterior of phi is simulated by sampling-importance-resampling from a normal at the mode
 * (covariance the inverse Hessian) or, when the importance weights degenerate (ESS under
 * draws / 4, common on real data), by random-walk Metropolis with that covariance; each kept
 * phi draws every unit's bb_i from its
 * conditional truncated normal within the unit's bounds (bw_i follows from the accounting
 * identity). Unlike ei (99 draws), the number of draws is an option (default 2000).
 */
typedef struct {
	size_t draws;               /* posterior draws kept (default 2000) */
	size_t proposals;           /* importance proposals (default 40000; 0: 20 x draws) */
	uint64_t seed;              /* default 1 */
	double erho, esigma, ebeta; /* prior scales, ei's defaults 0.5; 0 turns one off */
} bloc_ei_king_options;

void bloc_ei_king_options_init(bloc_ei_king_options *o);

typedef struct {
	size_t n, draws;
	size_t group, party;        /* the input's group (bb) and party (the 2 x 2 outcome) */
	double phi[5];              /* maximiser: Bb0, Bw0, log sb, log sw, atanh rho */
	double Bb, Bw, sb, sw, rho; /* the untruncated normal's means, sds, correlation */
	double loglik;              /* at the maximum (with the priors) */
	double is_ess;              /* importance-sampling effective sample size of the proposals */
	int sampler;   /* 0: importance resampling; 1: random-walk Metropolis on phi, used when
	                  the importance ESS is under draws / 4 (the normal at the mode fits badly) */
	double accept; /* the Metropolis acceptance rate (sampler 1) */
	int converged; /* 1 when the optimiser met its gradient tolerance */
	/* aggregates [0] = the group (bb), [1] = everyone else (bw): the unit shares weighted by
	 * the unit's group (and rest) counts, per draw; mean, sd and 2.5/97.5% quantiles */
	double est[2], sd[2], lo95[2], hi95[2];
	double *unit_est, *unit_lo95, *unit_hi95; /* n * 2: (bb_i, bw_i) */
	double *agg_draws;                        /* draws * 2 */
} bloc_ei_king;

/**
 * Fit King's model for group `group` (bb; every other group together is the rest, bw) and party
 * `party` (every other party together is the other outcome) of `in`; o NULL means the defaults.
 * A Hessian that is not positive definite at the maximum is regularised (a growing ridge) before
 * it shapes the importance proposals; is_ess says how well they matched.
 * @return BLOC_OK; BLOC_EINVAL (NULL, an index out of range, draws 0); BLOC_ENUMERIC (the
 *         optimiser found no finite likelihood, or no unit holds both the group and the rest);
 *         BLOC_ENOMEM.
 */
int bloc_ei_king_fit(bloc_ei_king *out, const bloc_ei_input *in, size_t group, size_t party,
                     const bloc_ei_king_options *o);
void bloc_ei_king_dispose(bloc_ei_king *k);

/** King's 2 x 2 for every party of a two-group input (group 0 against group 1, each party
 *  against all the others), gathered as 2 x C cells; a group's row need not sum to 1. */
typedef struct {
	size_t n, R, C;                           /* R = 2 */
	double *est, *sd, *lo95, *hi95;           /* 2 * C */
	double *unit_est, *unit_lo95, *unit_hi95; /* n * 2 * C; NaN where a group is absent */
	double min_is_ess;                        /* the smallest importance ESS of the C fits */
	size_t metropolis;                        /* fits that fell back to Metropolis */
	double min_accept;                        /* their lowest acceptance rate (NaN: none) */
	int converged;                            /* every fit's optimiser converged */
} bloc_ei_king_table;

/** @return BLOC_OK; BLOC_EINVAL (NULL, not exactly 2 groups); what bloc_ei_king_fit returns. */
int bloc_ei_king_table_fit(bloc_ei_king_table *out, const bloc_ei_input *in,
                           const bloc_ei_king_options *o);
void bloc_ei_king_table_dispose(bloc_ei_king_table *t);

/* ------------------------------------------------------------------------------------------
 * The Bayesian R x C model of Rosen, Jiang, King and Tanner (2001), as in eiPack's ei.MD.bayes:
 * a unit's party counts are Multinomial(N_i, theta_i) with theta_ic = sum_r x_ir beta_irc;
 * each group's shares beta_ir ~ Dirichlet(alpha_r), iid over units; alpha_rc ~ Gamma(lambda1,
 * rate lambda2), defaults 4 and 2.
 *
 * The sampler (Metropolis within Gibbs): per unit, moves that keep theta_i fixed (group r
 * moves share from party c' to c and group r' as many voters back: the likelihood is
 * unchanged, only the Dirichlet terms decide; steps scale with the room left, so cells near 0
 * move multiplicatively), moves that change theta (group r shifts share between c and the
 * last party); collective moves that shift every unit along the same direction on the logit
 * scale of its feasible segment, with alpha following the sums of log beta (the slow direction
 * one-unit moves and alpha | beta crawl along); and alpha updates on the log scale from cached
 * sums of log beta. Tables with more than 18 directions (R(R-1)/2 x C(C-1)/2) use a random
 * 2(R-1)(C-1) of them per sweep. Proposal scales adapt during burn-in only. Several
 * independent chains (one seeded stream each) run on threads; every `batch` sweeps the split
 * R-hat and the multi-chain ESS (Geyer's initial monotone sequence) of every aggregate cell are
 * computed and the run stops when all ESS >= target_ess and all R-hat < rhat_max, or after
 * max_sweeps. Results depend on the seed and the options, never on the thread count.
 *
 * Reported cells: in each draw, unit i's votes of group r for party c are the expected
 * internal count given beta, T_ic x_ir beta_irc / theta_ic, which sum over groups to the
 * party's count T_ic exactly (the accounting identity); a group's share is its cell over its
 * row total, aggregates the sums over units.
 */
typedef struct {
	size_t chains;     /* default 4 */
	unsigned threads;  /* 0 = one per chain up to the online CPUs; never changes results */
	uint64_t seed;     /* default 1 */
	size_t burnin;     /* sweeps per chain spent adapting, discarded; default 500 */
	size_t batch;      /* sweeps per chain between convergence checks; default 100 */
	size_t max_sweeps; /* kept sweeps per chain at most; default 20000 */
	size_t thin;       /* keep every thin-th sweep; default 1 */
	double target_ess; /* default 400 */
	double rhat_max;   /* default 1.01 */
	double lambda1, lambda2; /* the Gamma prior on alpha: shape and rate, 4 and 2 */
	size_t unit_draws;       /* draws per chain kept for unit intervals; 0 = no unit output;
	                            default 250 (thinned evenly over the run) */
	int keep_draws;          /* 1: keep every kept sweep's unit cells (n * R * C per draw) in
	                            `unit_cells_draws` (tests of the accounting identity; memory!) */
	/* The contextual model, for aggregation bias (0 covariates: the plain one): ncov (at most
	 * 4) covariates per unit and group, covariate[(i * R + r) * ncov + k] (e.g. the group's own
	 * share of the unit). Each is cut at its quantiles over the units where the group lives
	 * into cov_bins bins (0: 4, 3, 2, 2 for 1 to 4 covariates; at most 64 strata in all), and
	 * each stratum of each group has its own alpha (Gamma prior as above): a group's vote may
	 * then differ where it is numerous from where it is few. */
	const double *covariate;
	size_t ncov, cov_bins;
} bloc_ei_rxc_options;

void bloc_ei_rxc_options_init(bloc_ei_rxc_options *o);

typedef struct {
	size_t n, R, C, chains, draws;  /* draws = kept sweeps per chain */
	size_t sweeps;                  /* per chain, burn-in included */
	int converged;                  /* all ESS >= target and R-hat < rhat_max */
	double *est, *sd, *lo95, *hi95; /* R * C aggregate shares: posterior mean, sd, 2.5/97.5% */
	double *rhat, *ess;             /* R * C */
	double *alpha;                  /* R * C posterior mean of alpha (contextual: the strata's,
	                                   weighted by their units) */
	double accept_ridge, accept_theta, accept_alpha; /* after burn-in */
	double accept_collective;                        /* after burn-in */
	size_t ncov, strata; /* the contextual model's covariates and strata (1: the plain model) */
	double *agg_draws;   /* chains * draws * R * C (chain-major) */
	double *unit_est;    /* n * R * C posterior mean of unit shares (NULL if unit_draws 0) */
	double *unit_lo95, *unit_hi95; /* n * R * C from the kept unit draws */
	double *unit_cells_draws;      /* keep_draws: chains * draws * n * R * C vote counts */
} bloc_ei_rxc;

/** @return BLOC_OK (also when not converged by max_sweeps: check `converged`); BLOC_EINVAL
 *          (NULL, chains 0 or above 64, batch 0, priors not positive); BLOC_ENOMEM;
 *          BLOC_EIO (a thread could not start). */
int bloc_ei_rxc_fit(bloc_ei_rxc *out, const bloc_ei_input *in, const bloc_ei_rxc_options *o);
void bloc_ei_rxc_dispose(bloc_ei_rxc *x);

/**
 * Convergence diagnostics of m chains of n draws each (x: chain-major, stride between
 * consecutive draws of one quantity `stride` doubles): split R-hat (Gelman et al., BDA3) and the
 * multi-chain effective sample size (Geyer's initial monotone sequence on the combined
 * autocorrelations). m >= 1, n >= 4.
 */
void bloc_ei_diagnose(const double *x, size_t m, size_t n, size_t stride, double *rhat,
                      double *ess);

/**
 * What every method reports, for rendering: R x C aggregate cells (est, lo95, hi95 required;
 * sd, rhat, ess, outside may be NULL) and, optionally, n x R x C unit cells (NULL: the unit
 * rows show the Goodman estimate clipped to the bounds, which the caller puts in unit_est).
 */
typedef struct {
	const char *method; /* "goodman", "king", "rxc" */
	size_t R, C;
	const double *est, *lo95, *hi95, *sd, *rhat, *ess;
	const int *outside;
	const double *unit_est, *unit_lo95, *unit_hi95;
} bloc_ei_view;

#ifdef __cplusplus
}
#endif
#endif
