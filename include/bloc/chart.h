/* bloc — charts as SVG: seat totals, the parliament hemicycle, votes against seats, swing by
 * seat, two generic charts (histogram, ranked bars) for forecasts and bloc power, and the
 * simulated by-election's vote shares and parameter sweeps (bloc simulate).
 *
 * Every chart appends one SVG document (or an inline <svg> element for HTML) to a bloc_buf.
 * Text is escaped for XML; the same input gives the same bytes. A chart function draws the
 * figures it is given and computes none beyond shares of a total, sorting and binning. */
#ifndef BLOC_CHART_H
#define BLOC_CHART_H

#include <stddef.h>
#include <stdint.h>

#include "analysis.h"
#include "buf.h"
#include "contest.h"
#include "party.h"

#ifdef __cplusplus
extern "C" {
#endif

#define BLOC_CHART_OPTIONS_VERSION 1

typedef struct {
	unsigned version;
	const char *title;    /* heading (NULL: the chart's default) */
	const char *subtitle; /* a second line (NULL: none) */
	const char *x_label;  /* caption of the value axis (NULL: the chart's default) */
	double width;         /* px; 0 = the chart's default */
	int standalone;       /* 1: an SVG file (XML declaration, xmlns); 0: inline in HTML */
	const char *id;       /* prefix for element ids (several charts in one page); "chart" */
	int decimals;         /* decimals of value labels (ranked bars, histogram bins); -1 auto */
	size_t limit;         /* ranked bars: at most this many (0 = 20) */
	size_t bins;          /* histogram: number of bins (0 = chosen from the data) */
	int64_t majority;     /* parliament: seats for a majority (0 = half the seats + 1) */
} bloc_chart_options;

#define BLOC_CHART_OPTIONS_INIT                                                                    \
	{                                                                                          \
		BLOC_CHART_OPTIONS_VERSION, NULL, NULL, NULL, 0, 1, NULL, -1, 0, 0, 0              \
	}

/**
 * Seats per party as horizontal bars, largest first (parties with no seats left out), with the
 * count at each bar's end. `parties`, `seats`: n entries (a bloc_totals' UK row, or a
 * projection's seats).
 * @return BLOC_OK, BLOC_EINVAL (n = 0 or no seats at all), BLOC_ENOMEM.
 */
int bloc_chart_seats(bloc_buf *out, size_t n, const bloc_party *parties, const int64_t *seats,
                     const bloc_chart_options *o);

/**
 * A parliament hemicycle: one dot per seat (the total of `seats`) in concentric rows, parties in
 * blocks from left to right by seats (largest first; ties in registry order), each block a
 * <g data-party="LAB" fill="#E4003B"> of <circle> dots, and a line through the middle seat
 * marking the majority (o->majority, default half + 1: 326 of 650).
 * @return BLOC_OK, BLOC_EINVAL (no seats, or more than 10,000), BLOC_ENOMEM.
 */
int bloc_chart_parliament(bloc_buf *out, size_t n, const bloc_party *parties, const int64_t *seats,
                          const bloc_chart_options *o);

/**
 * Votes against seats: for each party with a seat or at least 1% of the vote, a pale bar of
 * its vote share and a full-colour bar of its seat share (seats / total seats), in points.
 * `share` is the vote share in points (0-100).
 */
int bloc_chart_votes_seats(bloc_buf *out, size_t n, const bloc_party *parties, const double *share,
                           const int64_t *seats, const bloc_chart_options *o);

/**
 * Butler swing by seat, sorted: one thin bar per seat compared in `s` (from
 * bloc_swing_compute), smallest to largest, coloured by the winner in `to` (`rto` its seat
 * results), with a zero line, axis ticks and the aggregate swing marked.
 * @return BLOC_OK, BLOC_EINVAL (no seats compared, or s not of `to`), BLOC_ENOMEM.
 */
int bloc_chart_swing(bloc_buf *out, const bloc_contest *to, const bloc_seat_results *rto,
                     const bloc_swing *s, const bloc_chart_options *o);

/**
 * A histogram of `n` values (NaN skipped) in o->bins equal bins (0: about 2 x cube root of n,
 * at least 5, on "nice" bounds), with counts on the y axis.
 * @return BLOC_OK, BLOC_EINVAL (no finite value), BLOC_ENOMEM.
 */
int bloc_chart_histogram(bloc_buf *out, size_t n, const double *values,
                         const bloc_chart_options *o);

/** One bar of a ranked bar chart. */
typedef struct {
	const char *label;  /* shown left of the bar */
	double value;       /* NaN bars are left out */
	const char *colour; /* "#RRGGBB", or NULL for the default */
	const char *note;   /* extra text after the value (NULL: none) */
} bloc_chart_bar;

/**
 * Ranked horizontal bars: the o->limit (default 20) largest values, largest first (ties in the
 * order given), each labelled with its value (o->decimals, default 2).
 * @return BLOC_OK, BLOC_EINVAL (no finite value), BLOC_ENOMEM.
 */
int bloc_chart_ranked(bloc_buf *out, size_t n, const bloc_chart_bar *bars,
                      const bloc_chart_options *o);

/** One candidate's row of a simulated contest (bloc_chart_simulate). */
typedef struct {
	bloc_party party;
	const char *label;    /* the candidate's name (NULL: the party's name) */
	const double *shares; /* its share in each replicate, points 0-100 (nrep values) */
	double base;          /* its share in the base contest, points (NaN: none, e.g. new) */
	double actual;        /* the real result, points (NaN: none) */
	double p_win;         /* chance of winning, 0-1 (NaN: shown as "-") */
} bloc_chart_sim_row;

/**
 * The replicates of a simulated contest: one row per candidate, the largest mean share first
 * (ties in the order given), each a <g class="candidate" data-party="LAB" data-mean=".."
 * data-lo=".." data-hi=".." data-p-win=".."> (the figures in points, 2 decimals; p_win 3)
 * holding a histogram of its `nrep` shares in its party's colour (bins shared by all rows, the
 * fullest as tall as the row), its 90% interval as a line (the 5th and 95th percentiles: the
 * shares sorted, the values at index round(q (nrep - 1)), as bloc simulate's table), its mean
 * (a filled dot), its base share (a ring; none when NaN), the real result (a black diamond;
 * none when NaN) and "p_win 0.73" at the right; a shared x axis in points (o->x_label, default
 * "vote share (points)") and a legend of the markers drawn. Title default "Simulated vote
 * shares". `rows` (ncand entries) and their shares are read only. On failure `out` is left as
 * it was.
 * @return BLOC_OK, BLOC_EINVAL (ncand or nrep 0, a row without shares, a share not finite),
 * BLOC_ENOMEM.
 * Cost: O(ncand nrep log nrep).
 */
int bloc_chart_simulate(bloc_buf *out, size_t ncand, const bloc_chart_sim_row *rows, size_t nrep,
                        const bloc_chart_options *o);

/**
 * A parameter sweep: each candidate's mean share (points) against the parameter's value, a line
 * in its party's colour through a dot at each value, in <g class="candidate" data-party="LAB">
 * (in the order given, as the legend), and a dashed line across at its real result (a
 * <g class="target">) where `target` gives one. `x`: the nvalues values (any order; the line
 * follows it); `share`: nvalues x ncand, row-major (share[v * ncand + k], candidate k at value
 * v); `target`: ncand entries, NaN for none, or NULL for no targets at all. The x axis is
 * captioned o->x_label (default "value"); title default "Mean simulated share by " and it.
 * On failure `out` is left as it was.
 * @return BLOC_OK, BLOC_EINVAL (fewer than 2 values, no candidate, a value or share not
 * finite), BLOC_ENOMEM.
 */
int bloc_chart_sweep(bloc_buf *out, size_t nvalues, const double *x, size_t ncand,
                     const bloc_party *parties, const double *share, const double *target,
                     const bloc_chart_options *o);

#ifdef __cplusplus
}
#endif
#endif
