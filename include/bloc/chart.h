/* bloc — charts as SVG: seat totals, the parliament hemicycle, votes against seats, swing by
 * seat, and two generic charts (histogram, ranked bars) for forecasts and bloc power.
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

#ifdef __cplusplus
}
#endif
#endif
