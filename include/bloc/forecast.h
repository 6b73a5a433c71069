/* bloc — forecasts: polls in, probabilities out. A poll average sets the national shares of a
 * projection; a Monte Carlo around it draws correlated national, regional, demographic and seat
 * errors, and counts who wins each seat and each simulated parliament. */
#ifndef BLOC_FORECAST_H
#define BLOC_FORECAST_H

#include <stddef.h>
#include <stdint.h>

#include "contest.h"
#include "party.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- polls ---------------------------------------------------------------------------------- */

/** A date that is not there (days since 1970-01-01 are negative before 1970). */
#define BLOC_NO_DATE INT32_MIN

/** Polls as columns: one row per poll, one share column per party polled (NaN where a poll did
 * not report the party). Dates are days since 1970-01-01, or BLOC_NO_DATE when the file gives
 * none. */
typedef struct {
	size_t npolls, nparties;
	bloc_party *parties;
	double *share;     /* npolls x nparties, fractions */
	int32_t *start;    /* npolls */
	int32_t *end;      /* npolls */
	double *n;         /* sample size, NaN if not given */
	char **pollster;   /* npolls */
	size_t other_area; /* rows left out: an `area` other than GB */
	char *source;      /* file read */
	void *priv_;       /* string storage */
} bloc_polls;

void bloc_polls_free(bloc_polls *p);

/** Published seat projections (MRPs): one row per projection, seats by party (-1 where not
 * published) and a stated range where given (-1 otherwise). */
typedef struct {
	size_t n, nparties;
	bloc_party *parties;
	int64_t *seats, *low, *high; /* n x nparties */
	char **pollster, **published;
	char *source;
} bloc_mrp;

void bloc_mrp_free(bloc_mrp *m);

/** By-elections' share changes since the previous general election (fractions; NaN where the
 * party did not stand in both): the prior of a by-election forecast. */
typedef struct {
	size_t n;
	int32_t *date;
	double *con, *lab, *ld, *nat, *other; /* nat: PC or SNP */
	char *source;
} bloc_by_changes;

void bloc_by_changes_free(bloc_by_changes *b);

/** The party in government on `date` (days): CON or LAB (coalitions by the larger party),
 * from the list of governments since 1945; BLOC_PARTY_NONE before 1945. */
bloc_party bloc_government_on(int32_t date);

/** A by-election forecast: the seat's shares at the previous general election moved by the
 * changes of a past by-election drawn at random (a bootstrap of the record), the government's
 * and the main opposition's changes given to whichever of CON and LAB holds each role now. */
typedef struct {
	size_t nparties;
	double *median, *lo90, *hi90, *mean, *p_win; /* shares in points; nparties */
	size_t history;                              /* past by-elections drawn from */
	int32_t first, last;
	bloc_party gov; /* the government on the by-election's day */
	double jitter;  /* points of normal noise added to each share (1) */
} bloc_by_forecast;

/**
 * base: the seat's shares (fractions) for parties[0..P); date: the by-election's day (only
 * by-elections before it are drawn); `other` changes go to the parties other than CON, LAB, LD,
 * PC and SNP in proportion to their base shares, or, when `stood` marks new candidates (base 0;
 * NULL for none), to those new candidates in equal parts (a rise only: a fall comes off the
 * others as before).
 * @return BLOC_OK, BLOC_ENOTFOUND (no by-election before the date), BLOC_ENOMEM.
 */
int bloc_by_forecast_run(bloc_by_forecast *out, const double *base, const bloc_party *parties,
                         const unsigned char *stood, size_t P, const bloc_by_changes *ch,
                         int32_t date, uint64_t sims, uint64_t seed);
void bloc_by_forecast_dispose(bloc_by_forecast *b);

/** "YYYY-MM-DD" as days since 1970-01-01 (proleptic Gregorian), or BLOC_NO_DATE. */
int32_t bloc_date_days(const char *text);
/** Days since 1970-01-01 as "YYYY-MM-DD" (buf of 11 bytes or more). */
void bloc_date_text(int32_t days, char *buf);

typedef struct {
	int32_t date;        /* the average on this day: polls ending on or before it */
	double window;       /* days: polls ending within `window` days up to `date` (7) */
	double halflife;     /* days: a poll's weight halves every `halflife` days before
	                        `date` (0 = no recency weighting; default 7) */
	int sample_weights;  /* 1 (default): weight by sqrt(n / median n), n unknown = median */
	int house_effects;   /* 1: correct each pollster by its house effect (default 0) */
	double house_window; /* days of polls the house effects are measured on (90) */
} bloc_poll_average_options;

void bloc_poll_average_options_init(bloc_poll_average_options *o);

typedef struct {
	size_t nparties;
	bloc_party *parties; /* as the polls' */
	double *share;       /* nparties, fractions (weighted mean of the polls in the window) */
	double *house;       /* npollsters x nparties: house effects applied (NULL without) */
	char **pollsters;    /* npollsters (pointers into the polls) */
	size_t npollsters;
	size_t used;         /* polls in the window with a date */
	size_t undated;      /* polls without an end date: never used */
	int32_t first, last; /* end dates of the oldest and newest poll used */
	double weight_sum;   /* sum of the weights (sample x recency) */
} bloc_poll_average;

/**
 * The average of `polls` on o->date. A party's average is over the polls that report it.
 * @return BLOC_OK, BLOC_ENOTFOUND (no dated poll within the window: the message names the
 *         newest poll before the date), BLOC_ENOMEM.
 */
int bloc_polls_average(bloc_poll_average *out, const bloc_polls *polls,
                       const bloc_poll_average_options *o);
void bloc_poll_average_dispose(bloc_poll_average *a);

/* ---- the history of final-poll errors ------------------------------------------------------ */

/** Great Britain's Con, Lab and Lib/LD shares at the general elections of 1945-2024 (percent),
 * typed from the House of Commons Library's figures (src/lib/forecast/history.c says which). */
typedef struct {
	const char *date; /* polling day */
	double con, lab, lib;
} bloc_gb_result;

size_t bloc_gb_results(const bloc_gb_result **out);

/** Final-poll errors: the mean of the polls ending in the last `days` days before each polling
 * day (30 before 1960, as the final week was thinly polled), minus the GB result, in points. */
typedef struct {
	size_t n;          /* elections used */
	double sd[3];      /* Con, Lab, Lib/LD: root mean square error, points */
	double mean[3];    /* mean error (bias), points */
	double corr[3][3]; /* correlation of the errors (about their mean) */
	double kappa;      /* Dirichlet-equivalent concentration: sum s(1-s) / sum err^2 - 1 */
	char first[11], last[11]; /* the first and last election used */
	/* each election used: polling day, final polls averaged, their mean and the result (Con,
	 * Lab, Lib/LD, points) */
	char date[64][11];
	size_t npolls[64];
	double poll[64][3], result[64][3];
} bloc_poll_errors;

/**
 * The errors of the final polls in `polls` (PollBase's Con, Lab and LD columns) at every general
 * election of bloc_gb_results before `before` (days; INT32_MAX for all) that has polls in its
 * final days.
 * @return BLOC_OK, BLOC_ENOTFOUND (fewer than 3 elections with final polls), BLOC_EINVAL (the
 *         polls hold no CON, LAB or LD column).
 */
int bloc_poll_errors_compute(bloc_poll_errors *out, const bloc_polls *polls, int32_t before,
                             int days);

/* ---- the model --------------------------------------------------------------------------------
 */

#define BLOC_FORECAST_MAX_PARTIES 32
#define BLOC_FORECAST_MAX_REGIONS 16
#define BLOC_FORECAST_MAX_FACTORS 4
/** Share histograms: bins of half a point from 0 to 100. */
#define BLOC_FORECAST_BINS 200
/** Shares are computed in every 4th simulation (by index) only: the seats' and the national
 * share histograms and the tipping point come from those (10,000 of the default 40,000 put a 5%
 * quantile within about 0.2 points); winners and seat counts come from every simulation, which
 * needs only each seat's largest log share, not the softmax. */
#define BLOC_FORECAST_SHARE_EVERY 4

/**
 * What a forecast simulates, all prepared by the caller (the query layer) from a projection:
 * every seat's central shares, the error scales and correlations. Errors enter on the log scale
 * of each party's share, converted from points by the delta method, and each seat's shares are
 * the softmax over its candidates: shares stay positive and sum to 1.
 *   x[s][p] = ln c + (e[p] + u[region(s)][p] + sum_k load[s][k] f[k][p] + (c - ref[p]/100) o[p])
 *             / ref[p] + eps[s][p] * seat_sd / 100 * sqrt(c' (1 - c')) / sqrt(0.35 x 0.65) / c' -
 * m[s][p] c = centre[s][p], c' = max(c, 0.01), m: the mean correction, sigma^2/2 of the normal
 *   approximation for the national, regional, factor and own terms and the log of the mean of
 *   exp(eps) over the seat noise's (truncated) table, so each share's multiplier has a mean near
 *   1 before the softmax (the t's exact mean of exp is unbounded)
 * e: national errors, multivariate Student-t (df) with covariance national_cov (points^2), unit
 * scale; u: regional, each party's vector over regions normal with correlation region_corr and
 * SD region_sd[r]; f: each factor's effect per unit of loading, normal, SD factor_sd[k][p];
 * eps: seat noise, Student-t (seat_df) with unit SD.
 */
typedef struct {
	size_t nseats, nparties;
	const bloc_party *parties;
	const double *centre; /* nseats x nparties fractions; 0 = no candidate */
	const double *weight; /* nseats: votes, for national shares (valid votes) */
	double ref[BLOC_FORECAST_MAX_PARTIES]; /* national reference shares, points */
	double national_cov[BLOC_FORECAST_MAX_PARTIES * BLOC_FORECAST_MAX_PARTIES]; /* points^2 */
	double df; /* national errors' Student-t degrees of freedom (> 2; 0 = normal) */
	size_t nregions;
	const size_t *region;                        /* nseats: region index < nregions */
	double region_sd[BLOC_FORECAST_MAX_REGIONS]; /* points */
	double region_corr[BLOC_FORECAST_MAX_REGIONS * BLOC_FORECAST_MAX_REGIONS]; /* PD repaired */
	size_t nfactors;
	const double *load; /* nseats x nfactors (census shares, fractions) */
	double
	    factor_sd[BLOC_FORECAST_MAX_FACTORS * BLOC_FORECAST_MAX_PARTIES]; /* points per unit */
	/* differential swing: each party's effect per unit of (its seat share - ref / 100), so a
	 * party can gain where it is weak and lose where it is strong (or the reverse) at the same
	 * national share: between uniform and proportional swing, and beyond. Normal, SD own_sd. */
	double own_sd[BLOC_FORECAST_MAX_PARTIES]; /* points per unit of share */
	double seat_sd;                           /* points, for a party at 35% */
	double seat_df;                           /* seat noise's Student-t df (> 2; 0 = normal) */
	size_t majority;                          /* seats for a majority (nseats / 2 + 1) */
	long tip_party; /* column whose tipping-point seat is counted, or -1 */
} bloc_forecast_spec;

/** A condition on the simulations: seat `seat` won by column `party`. */
typedef struct {
	size_t seat;
	size_t party;
} bloc_forecast_given;

typedef struct {
	uint64_t sims;    /* all simulations (default 40,000) */
	uint64_t seed;    /* default 1 */
	unsigned threads; /* default: one (the front-ends ask for one per core) */
	/* this process's share of the simulations, [first, last) of 0..sims (an MPI rank's block);
	 * last 0 = all */
	uint64_t first, last;
	size_t ngiven;
	const bloc_forecast_given *given; /* count only the simulations where all hold */
} bloc_forecast_options;

void bloc_forecast_options_init(bloc_forecast_options *o);

/** Counts over the simulations (integers: counts from blocks of simulations add up exactly,
 * whichever thread or rank ran them). */
typedef struct {
	size_t nseats, nparties, nregions;
	uint64_t sims;      /* simulations run */
	uint64_t kept;      /* of them, where every `given` held */
	uint64_t *wins;     /* nseats x nparties */
	uint64_t *seats;    /* nparties x (nseats + 1): simulations giving a party k seats */
	uint64_t *majority; /* nparties */
	uint64_t *largest;  /* nparties: alone with the most seats */
	uint64_t hung;      /* no party with a majority */
	uint64_t *tip;      /* nseats: the tipping-point seat of spec->tip_party (every 4th) */
	uint32_t *share;    /* nseats x nparties x BLOC_FORECAST_BINS: a seat's share histogram */
	uint64_t *national; /* nparties x BLOC_FORECAST_BINS: the national share's histogram */
	double sec;         /* wall time of the simulations */
} bloc_forecast;

/** Prepare and run. Deterministic: simulation i draws from stream i of the seed alone.
 * @return BLOC_OK, BLOC_EINVAL (a bad spec: no seats, too many parties, a covariance that is
 *         not positive definite, df in (0, 2]), BLOC_ENOMEM, BLOC_EPAR. */
int bloc_forecast_run(bloc_forecast *out, const bloc_forecast_spec *spec,
                      const bloc_forecast_options *o);
/** Add b's counts to a's (same shape). */
int bloc_forecast_add(bloc_forecast *a, const bloc_forecast *b);
void bloc_forecast_dispose(bloc_forecast *f);

/** The q-quantile (0..1) of a histogram of `nbins` counts over [0, hi): linear within a bin. */
double bloc_forecast_hist_quantile(const uint64_t *h, size_t nbins, double hi, double q);
/** The q-quantile of a seat's share histogram (BLOC_FORECAST_BINS counts over 0..1), a
 * fraction. */
double bloc_forecast_share_quantile(const uint32_t *h, double q);
/** The same for a seat count histogram (0..nseats, integers): the smallest k whose cumulative
 * count reaches q of the total. */
size_t bloc_forecast_seat_quantile(const uint64_t *h, size_t nseats, double q);

/* ---- what the counts say ------------------------------------------------------------------ */

/** Seat classes by the favourite's probability: safe >= 0.95, likely >= 0.80, lean >= 0.60,
 * else toss-up. */
enum { BLOC_CLASS_TOSSUP = 0, BLOC_CLASS_LEAN, BLOC_CLASS_LIKELY, BLOC_CLASS_SAFE };
const char *bloc_forecast_class_name(int cls);

typedef struct {
	size_t nseats, nparties;
	uint64_t kept; /* the simulations the figures are over */
	/* by party: seats (median, mean, 50/80/90% central intervals), probabilities, national
	 * share in points (median and 90% interval) */
	double *median, *mean, *lo50, *hi50, *lo80, *hi80, *lo90, *hi90;
	double *p_majority, *p_largest, *share_median, *share_lo90, *share_hi90;
	double p_hung;
	/* by seat: win probabilities (nseats x nparties), the favourite (SIZE_MAX: no candidates),
	 * its probability and class, each party's share (points) median and 90% interval
	 * (nseats x nparties; NaN without a candidate), how often the seat was the tipping point */
	double *p;
	size_t *favourite;
	double *p_favourite;
	int *cls;
	double *s_median, *s_lo90, *s_hi90;
	double *p_tip;
	size_t tip_seat; /* the seat most often the tipping point (SIZE_MAX: none counted) */
} bloc_forecast_summary;

int bloc_forecast_summarise(bloc_forecast_summary *out, const bloc_forecast *f);
void bloc_forecast_summary_dispose(bloc_forecast_summary *s);

/** A forecast scored against what happened (a backtest). */
typedef struct {
	size_t seats;      /* seats scored (an actual winner among the forecast's columns) */
	double brier;      /* mean over seats of sum over parties (p - won)^2 */
	double log_score;  /* mean of -ln p(actual winner), p at least 1 / (2 x simulations) */
	size_t fav_right;  /* seats whose actual winner had p >= 0.5 */
	size_t det_right;  /* seats the deterministic projection called right */
	size_t share_in90; /* seats whose winner's actual share is in its 90% interval */
	size_t parties;    /* parties scored on seat totals (won a seat in either) */
	size_t in50, in80, in90; /* of them, actual seat totals inside each interval */
	int64_t *actual;         /* nparties: actual seats by column */
} bloc_forecast_score;

/**
 * Score a summary: actual_winner[s] the column of seat s's actual winner (SIZE_MAX: unscored),
 * actual_share[s x nparties] its actual shares (fractions; NaN where unknown), det_winner[s]
 * the deterministic projection's winner (SIZE_MAX: none).
 */
int bloc_forecast_score_compute(bloc_forecast_score *out, const bloc_forecast_summary *sm,
                                const size_t *actual_winner, const double *actual_share,
                                const size_t *det_winner);
void bloc_forecast_score_dispose(bloc_forecast_score *s);

/* ---- calibration on a past pair of elections ------------------------------------------------ */

/** What a past pair of elections says about the error scales (points). */
typedef struct {
	size_t nparties;
	bloc_party parties[64];                      /* b's */
	double region_sd[BLOC_FORECAST_MAX_REGIONS]; /* RMS of a region's mean departure */
	double region_corr[BLOC_FORECAST_MAX_REGIONS * BLOC_FORECAST_MAX_REGIONS]; /* repaired */
	double region_shrink;                                /* bloc_forecast_repair's shrinkage */
	double factor_slope[BLOC_FORECAST_MAX_FACTORS * 64]; /* points per unit loading, by party */
	double own_slope[64]; /* points per unit of a's share above the party's GB share in a */
	double seat_sd;       /* points, for a party at 35% */
	size_t cells;         /* seat x party residuals used */
} bloc_forecast_calibration;

/**
 * Calibrate on the change from contest a to contest b (the same boundaries: seats matched by
 * code). Each GB seat's change in each party's share (parties with 5% of b's GB vote and 2% of
 * a's) minus the GB change is its departure from uniform swing; its mean by region (region_of_b,
 * nregions) gives region_sd and, correlated over parties and clipped at 0, region_corr; its
 * slope within regions on each loading (load_b: b's seats x nfactors, NaN unknown) gives
 * factor_slope; the rest, scaled by sqrt(c(1-c)) to a party at 35%, gives seat_sd.
 * @return BLOC_OK, BLOC_EINVAL (too many parties, regions or factors), BLOC_ENOMEM.
 */
int bloc_forecast_calibrate(bloc_forecast_calibration *out, const bloc_contest *a,
                            const bloc_contest *b, size_t nregions, const size_t *region_of_b,
                            size_t nfactors, const double *load_b);

/** Make a symmetric matrix (n x n, row-major) positive definite for a Cholesky factor: shrink
 * its off-diagonal towards 0 in steps of a tenth until the factor exists. Returns the shrinkage
 * applied (0 = none), or -1 if even the diagonal alone fails (a non-positive variance). */
double bloc_forecast_repair(double *m, size_t n);

#ifdef __cplusplus
}
#endif
#endif
