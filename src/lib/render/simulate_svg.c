/* The simulated by-election drawn (see bloc/chart.h): each candidate's share over the replicates
 * as a histogram with its 90% interval, mean, base share and real result; and a parameter
 * sweep's mean shares as lines. They compute nothing beyond means, percentiles, binning and
 * scaling. Each is drawn into a buffer of its own and appended whole, so `out` is untouched
 * when drawing fails. */
#include "bloc/chart.h"

#include "bloc/error.h"
#include "../core/alloc.h"
#include "../util/linalg.h"
#include "svg_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAD         BLOC__CHART_PAD
#define LABEL_SIZE  BLOC__CHART_LABEL_SIZE
#define SMALL_SIZE  BLOC__CHART_SMALL_SIZE
#define GRID_COLOUR BLOC__CHART_GRID
#define MARK_COLOUR "#222222"
#define NOTE_COLOUR "#555555"
#define KEY_COLOUR  "#9E9E9E" /* the legend's samples: no party's colour */
#define LEGEND_LINE 16.0

static const bloc_chart_options default_options = BLOC_CHART_OPTIONS_INIT;

/* Append the finished document `doc` to `out`, or leave `out` as it was. */
static int append(bloc_buf *out, const bloc_buf *doc, const char *what)
{
	int err;

	if ((err = bloc__doc_check(doc, what)) < 0)
		return err;
	bloc_buf_put(out, doc->ptr, doc->len);
	return bloc__doc_check(out, what);
}

/* Draws legend item i's sample, centred vertically on y, from x. */
typedef void (*legend_sample)(bloc_buf *b, size_t i, double x, double y, const void *payload);

/* A legend of `n` items (a sample drawn by `sample`, then its text) from (x0, y) in lines
 * LEGEND_LINE apart, wrapped before `right`; drawn when `b` is given. @return its lines. */
static size_t legend(bloc_buf *b, size_t n, const char *const *text, legend_sample sample,
                     const void *payload, double x0, double y, double right)
{
	double x = x0;
	size_t i, lines = n ? 1 : 0;

	if (b && n)
		bloc_buf_puts(b, "<g class=\"legend\">\n");
	for (i = 0; i < n; i++) {
		double w = 20 + bloc__text_width(text[i], SMALL_SIZE);
		if (x > x0 && x + w > right) {
			x = x0;
			y += LEGEND_LINE;
			lines++;
		}
		if (b) {
			sample(b, i, x, y - 4, payload);
			bloc__svg_text_at(b, x + 20, y, "start", SMALL_SIZE, NULL, text[i]);
		}
		x += w + 16;
	}
	if (b && n)
		bloc_buf_puts(b, "</g>\n");
	return lines;
}

/* A ring, a dot or a diamond of radius r at (x, y), with the class given. */
static void circle(bloc_buf *b, const char *cls, double x, double y, double r, const char *fill,
                   const char *stroke, double sw)
{
	char xs[32], ys[32], rs[32];

	bloc_buf_printf(b, "<circle class=\"%s\" cx=\"%s\" cy=\"%s\" r=\"%s\" fill=\"%s\"", cls,
	                bloc__fmt(xs, 32, x, 2), bloc__fmt(ys, 32, y, 2), bloc__fmt(rs, 32, r, 1),
	                fill);
	if (stroke)
		bloc_buf_printf(b, " stroke=\"%s\" stroke-width=\"%g\"", stroke, sw);
	bloc_buf_puts(b, "/>\n");
}

static void diamond(bloc_buf *b, const char *cls, double x, double y, double r, const char *fill)
{
	char a[32], c[32], d[32], e[32], f[32], g[32];

	bloc_buf_printf(b, "<path class=\"%s\" fill=\"%s\" d=\"M%s,%sL%s,%sL%s,%sL%s,%sZ\"/>\n",
	                cls, fill, bloc__fmt(a, 32, x, 2), bloc__fmt(c, 32, y - r, 2),
	                bloc__fmt(d, 32, x + r, 2), bloc__fmt(e, 32, y, 2), a,
	                bloc__fmt(f, 32, y + r, 2), bloc__fmt(g, 32, x - r, 2), e);
}

/* A horizontal axis: values lo..hi, ticks `step` apart, over pixels x..x + w. */
struct xaxis {
	double lo, hi, step, x, w;
};

static double xpx(const struct xaxis *a, double v)
{
	return a->x + (v - a->lo) / (a->hi - a->lo) * a->w;
}

/* The axis over [min, max] on nice bounds, about `ticks` intervals. */
static void xaxis_for(struct xaxis *a, double min, double max, int ticks)
{
	if (!(max > min)) {
		double pad = fabs(min) > 0 ? fabs(min) * 0.1 : 0.5;
		min -= pad;
		max += pad;
	}
	a->step = bloc__nice_step(max - min, ticks);
	/* a hair of tolerance: 0.3 / 0.1 is 2.9999999999999996 */
	a->lo = floor(min / a->step + 1e-9) * a->step;
	a->hi = ceil(max / a->step - 1e-9) * a->step;
	if (a->hi <= a->lo)
		a->hi = a->lo + a->step;
}

/* Vertical grid lines from y0 to y1 at each tick, the tick values under them, the caption
 * under those. */
static void xaxis_draw(bloc_buf *b, const struct xaxis *a, double y0, double y1,
                       const char *caption)
{
	int dec = bloc__step_decimals(a->step);
	size_t i, n = (size_t)floor((a->hi - a->lo) / a->step + 0.5);
	char t[32];

	bloc_buf_puts(b, "<g class=\"axis\">\n");
	for (i = 0; i <= n; i++) {
		double v = a->lo + a->step * (double)i, x = xpx(a, v);
		bloc__svg_line(b, x, y0, x, y1, GRID_COLOUR, 1, 0);
		bloc__svg_text_at(b, x, y1 + 14, "middle", SMALL_SIZE, NOTE_COLOUR,
		                  bloc__fmt(t, sizeof(t), fabs(v) < a->step / 1000 ? 0 : v, dec));
	}
	bloc__svg_text_at(b, a->x + a->w / 2, y1 + 30, "middle", SMALL_SIZE, NULL, caption);
	bloc_buf_puts(b, "</g>\n");
}

/* ---- the replicates ------------------------------------------------------------------------ */

#define SIM_WIDTH 720.0
#define SIM_ROW   46.0 /* one candidate */
#define HIST_H    22.0 /* its fullest bin */
#define PWIN_W    80.0 /* the column of p_win */

/* A candidate's figures. */
struct sim_stat {
	double mean, lo, hi;
	size_t k; /* its row in the input */
};

/* Largest mean first, ties in the order given. */
static int by_mean(const void *a, const void *b)
{
	const struct sim_stat *x = a, *y = b;

	if (x->mean != y->mean)
		return x->mean > y->mean ? -1 : 1;
	return x->k < y->k ? -1 : x->k > y->k;
}

static int sim_check(size_t ncand, const bloc_chart_sim_row *rows, size_t nrep)
{
	size_t k, r;

	if (ncand == 0 || !rows)
		return bloc_error_set(BLOC_EINVAL, "simulate chart: no candidate to draw");
	if (nrep == 0)
		return bloc_error_set(BLOC_EINVAL, "simulate chart: no replicate to draw");
	for (k = 0; k < ncand; k++) {
		const char *name = rows[k].label ? rows[k].label : bloc_party_name(rows[k].party);
		if (!rows[k].shares)
			return bloc_error_set(BLOC_EINVAL,
			                      "simulate chart: candidate %zu (%s) has no shares",
			                      k + 1, name);
		for (r = 0; r < nrep; r++)
			if (!isfinite(rows[k].shares[r]))
				return bloc_error_set(
				    BLOC_EINVAL,
				    "simulate chart: candidate %zu (%s), replicate "
				    "%zu: the share is not a number",
				    k + 1, name, r + 1);
	}
	return BLOC_OK;
}

/* Each candidate's mean and 90% interval into st, sorted by mean; the range of every share,
 * base and result drawn into *min, *max. `scratch`: nrep doubles. */
static void sim_stats(size_t ncand, const bloc_chart_sim_row *rows, size_t nrep,
                      struct sim_stat *st, double *scratch, double *min, double *max)
{
	size_t k, r;

	*min = *max = rows[0].shares[0];
	for (k = 0; k < ncand; k++) {
		double sum = 0;
		for (r = 0; r < nrep; r++)
			sum += scratch[r] = rows[k].shares[r];
		qsort(scratch, nrep, sizeof(double), bloc__cmp_double);
		st[k].mean = sum / (double)nrep;
		st[k].lo = bloc__quantile_sorted(scratch, nrep, 0.05);
		st[k].hi = bloc__quantile_sorted(scratch, nrep, 0.95);
		st[k].k = k;
		*min = scratch[0] < *min ? scratch[0] : *min;
		*max = scratch[nrep - 1] > *max ? scratch[nrep - 1] : *max;
		if (isfinite(rows[k].base)) {
			*min = rows[k].base < *min ? rows[k].base : *min;
			*max = rows[k].base > *max ? rows[k].base : *max;
		}
		if (isfinite(rows[k].actual)) {
			*min = rows[k].actual < *min ? rows[k].actual : *min;
			*max = rows[k].actual > *max ? rows[k].actual : *max;
		}
	}
	qsort(st, ncand, sizeof(*st), by_mean);
}

/* The layout: the x axis, a row per candidate from `top`, the legend above them. */
struct sim_layout {
	struct xaxis ax;
	double width, legend_y, top, bin;
	size_t nbins, legend_lines;
	int any_base, any_actual;
};

static const char *sim_name(const bloc_chart_sim_row *row)
{
	return row->label ? row->label : bloc_party_name(row->party);
}

/* "mean 34.2, 90% 30.1-38.3" */
static void sim_figures(char *buf, size_t n, const struct sim_stat *s)
{
	char m[32], l[32], h[32];

	snprintf(buf, n, "mean %s, 90%% %s-%s", bloc__fmt(m, 32, s->mean, 1),
	         bloc__fmt(l, 32, s->lo, 1), bloc__fmt(h, 32, s->hi, 1));
}

/* The legend's items: the markers drawn. */
enum { KEY_REPLICATES, KEY_INTERVAL, KEY_MEAN, KEY_BASE, KEY_ACTUAL };

static void sim_key_sample(bloc_buf *b, size_t i, double x, double y, const void *payload)
{
	const int *kind = payload;

	switch (kind[i]) {
	case KEY_REPLICATES:
		bloc__svg_rect(b, x + 2, y - 5, 12, 10, KEY_COLOUR);
		bloc_buf_puts(b, "/>\n");
		break;
	case KEY_INTERVAL:
		bloc__svg_line(b, x, y, x + 16, y, MARK_COLOUR, 2.5, 0);
		break;
	case KEY_MEAN:
		circle(b, "key-mean", x + 8, y, 4, KEY_COLOUR, MARK_COLOUR, 1);
		break;
	case KEY_BASE:
		circle(b, "key-base", x + 8, y, 5.5, "none", MARK_COLOUR, 1.5);
		break;
	default:
		diamond(b, "key-actual", x + 8, y, 5, "#000000");
	}
}

static size_t sim_legend(bloc_buf *b, const struct sim_layout *L)
{
	static const char *const all[] = {"replicates", "90% interval", "mean",
	                                  "share in the base contest", "actual result"};
	const char *text[5];
	int kind[5];
	size_t n = 0, i;

	for (i = 0; i < 5; i++) {
		if ((i == KEY_BASE && !L->any_base) || (i == KEY_ACTUAL && !L->any_actual))
			continue;
		text[n] = all[i];
		kind[n++] = (int)i;
	}
	return legend(b, n, text, sim_key_sample, kind, PAD, L->legend_y, L->width - PAD);
}

static void sim_layout_for(struct sim_layout *L, size_t ncand, const bloc_chart_sim_row *rows,
                           const struct sim_stat *st, double min, double max,
                           const bloc_chart_options *o)
{
	double label_w = 0, w;
	char t[128];
	size_t i;

	L->any_base = L->any_actual = 0;
	for (i = 0; i < ncand; i++) {
		L->any_base |= isfinite(rows[i].base);
		L->any_actual |= isfinite(rows[i].actual);
		w = bloc__text_width(sim_name(&rows[i]), LABEL_SIZE);
		label_w = w > label_w ? w : label_w;
		sim_figures(t, sizeof(t), &st[i]);
		w = bloc__text_width(t, SMALL_SIZE);
		label_w = w > label_w ? w : label_w;
	}
	L->width = o->width > 0 ? o->width : SIM_WIDTH;
	if (label_w > L->width * 0.4)
		label_w = L->width * 0.4;
	L->ax.x = PAD + label_w + 12;
	L->ax.w = L->width - L->ax.x - PAD - PWIN_W;
	if (L->ax.w < 120) {
		L->ax.w = 120;
		L->width = L->ax.x + L->ax.w + PAD + PWIN_W;
	}
	xaxis_for(&L->ax, min, max, 8);
	/* bins on nice bounds, about 100 over the axis, shared by every row */
	L->bin = bloc__nice_step(L->ax.hi - L->ax.lo, 100);
	L->nbins = (size_t)ceil((L->ax.hi - L->ax.lo) / L->bin - 1e-9);
	if (L->nbins == 0)
		L->nbins = 1;
	L->legend_y = bloc__chart_heading_height(o->subtitle, L->width) + 4;
	L->legend_lines = sim_legend(NULL, L);
	L->top = L->legend_y + (double)L->legend_lines * LEGEND_LINE;
}

/* The outline of a row's bins, from the first filled to the last, the fullest HIST_H tall
 * above `base`. */
static void sim_hist(bloc_buf *b, const struct sim_layout *L, const size_t *count, double base,
                     const char *fill)
{
	size_t i, first = L->nbins, last = 0, most = 0;
	double y = base;
	char xs[32], ys[32];

	for (i = 0; i < L->nbins; i++)
		if (count[i]) {
			first = first == L->nbins ? i : first;
			last = i;
			most = count[i] > most ? count[i] : most;
		}
	if (!most)
		return;
	bloc_buf_printf(b, "<path class=\"replicates\" fill=\"%s\" d=\"M%s,%s", fill,
	                bloc__fmt(xs, 32, xpx(&L->ax, L->ax.lo + L->bin * (double)first), 2),
	                bloc__fmt(ys, 32, base, 2));
	for (i = first; i <= last; i++) {
		double h = base - HIST_H * (double)count[i] / (double)most;
		if (h == y)
			continue;
		bloc__fmt(xs, 32, xpx(&L->ax, L->ax.lo + L->bin * (double)i), 2);
		if (i > first)
			bloc_buf_printf(b, "L%s,%s", xs, bloc__fmt(ys, 32, y, 2));
		bloc_buf_printf(b, "L%s,%s", xs, bloc__fmt(ys, 32, h, 2));
		y = h;
	}
	bloc__fmt(xs, 32, xpx(&L->ax, L->ax.lo + L->bin * (double)(last + 1)), 2);
	bloc_buf_printf(b, "L%s,%sL%s,%sZ\"/>\n", xs, bloc__fmt(ys, 32, y, 2), xs,
	                bloc__fmt(ys, 32, base, 2));
}

/* Row i: candidate st->k's name and figures, its histogram, interval, markers and p_win.
 * `count`: L->nbins counts, overwritten. */
static void sim_row(bloc_buf *b, const struct sim_layout *L, size_t i,
                    const bloc_chart_sim_row *row, const struct sim_stat *st, size_t nrep,
                    size_t *count)
{
	const char *colour = bloc_party_colour(row->party), *name = sim_name(row);
	double y0 = L->top + (double)i * SIM_ROW, base = y0 + 30, yi = y0 + 37, x;
	char pale[8], m[32], l[32], h[32], p[32], v[32], t[160];
	size_t r;

	memset(count, 0, L->nbins * sizeof(size_t));
	for (r = 0; r < nrep; r++) {
		double f = floor((row->shares[r] - L->ax.lo) / L->bin);
		count[f < 0 ? 0 : f >= (double)L->nbins ? L->nbins - 1 : (size_t)f]++;
	}
	bloc__fmt(m, 32, st->mean, 2);
	bloc__fmt(l, 32, st->lo, 2);
	bloc__fmt(h, 32, st->hi, 2);
	if (isfinite(row->p_win))
		bloc__fmt(p, 32, row->p_win, 3);
	else
		snprintf(p, sizeof(p), "-");
	bloc_buf_puts(b, "<g class=\"candidate\" data-party=\"");
	bloc_buf_put_xml(b, bloc_party_code(row->party));
	bloc_buf_printf(b, "\" data-mean=\"%s\" data-lo=\"%s\" data-hi=\"%s\" data-p-win=\"%s\">",
	                m, l, h, p);
	bloc_buf_puts(b, "<title>");
	bloc_buf_put_xml(b, name);
	bloc_buf_printf(b, ": mean %s, 90%% interval %s to %s", bloc__fmt(m, 32, st->mean, 1),
	                bloc__fmt(l, 32, st->lo, 1), bloc__fmt(h, 32, st->hi, 1));
	if (isfinite(row->base))
		bloc_buf_printf(b, ", base %s", bloc__fmt(v, 32, row->base, 1));
	if (isfinite(row->actual))
		bloc_buf_printf(b, ", actual %s", bloc__fmt(v, 32, row->actual, 1));
	bloc_buf_printf(b, ", p_win %s</title>\n", p);
	bloc__svg_text_at(b, L->ax.x - 8, y0 + 17, "end", LABEL_SIZE, NULL, name);
	sim_figures(t, sizeof(t), st);
	bloc__svg_text_at(b, L->ax.x - 8, y0 + 32, "end", SMALL_SIZE, NOTE_COLOUR, t);
	bloc__svg_line(b, L->ax.x, base, L->ax.x + L->ax.w, base, GRID_COLOUR, 1, 0);
	bloc__colour_mix(pale, "#FFFFFF", colour, 0.55);
	sim_hist(b, L, count, base, pale);
	bloc_buf_printf(b,
	                "<line class=\"interval\" x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\" "
	                "stroke=\"%s\" stroke-width=\"2.5\"/>\n",
	                bloc__fmt(l, 32, xpx(&L->ax, st->lo), 2), bloc__fmt(v, 32, yi, 2),
	                bloc__fmt(h, 32, xpx(&L->ax, st->hi), 2), v, colour);
	if (isfinite(row->base))
		circle(b, "base", xpx(&L->ax, row->base), yi, 5.5, "none", MARK_COLOUR, 1.5);
	circle(b, "mean", xpx(&L->ax, st->mean), yi, 4, colour, MARK_COLOUR, 1);
	if (isfinite(row->actual))
		diamond(b, "actual", xpx(&L->ax, row->actual), yi, 5, "#000000");
	x = L->ax.x + L->ax.w + 10;
	snprintf(t, sizeof(t), "p_win %s",
	         isfinite(row->p_win) ? bloc__fmt(p, 32, row->p_win, 2) : "-");
	bloc__svg_text_at(b, x, y0 + 28, "start", SMALL_SIZE, NULL, t);
	bloc_buf_puts(b, "</g>\n");
}

int bloc_chart_simulate(bloc_buf *out, size_t ncand, const bloc_chart_sim_row *rows, size_t nrep,
                        const bloc_chart_options *o)
{
	struct sim_stat *st = NULL;
	struct sim_layout L;
	double *scratch = NULL, min, max, bottom;
	size_t *count = NULL, i;
	bloc_buf doc = BLOC_BUF_INIT;
	const char *ttl;
	int err;

	if (!o)
		o = &default_options;
	ttl = o->title ? o->title : "Simulated vote shares";
	if ((err = sim_check(ncand, rows, nrep)) < 0)
		return err;
	if (!(st = bloc_calloc(ncand, sizeof(*st))) ||
	    !(scratch = bloc_calloc(nrep, sizeof(double)))) {
		err = bloc_error_oom("drawing the simulate chart (%zu replicates)", nrep);
		goto done;
	}
	sim_stats(ncand, rows, nrep, st, scratch, &min, &max);
	sim_layout_for(&L, ncand, rows, st, min, max, o);
	if (!(count = bloc_calloc(L.nbins, sizeof(size_t)))) {
		err = bloc_error_oom("drawing the simulate chart");
		goto done;
	}
	bottom = L.top + (double)ncand * SIM_ROW;
	bloc__svg_open(&doc, ceil(L.width), ceil(bottom + 34 + PAD), o->standalone,
	               o->id ? o->id : "chart", ttl, NULL);
	bloc__chart_heading(&doc, ttl, o->subtitle, L.width);
	sim_legend(&doc, &L);
	xaxis_draw(&doc, &L.ax, L.top, bottom, o->x_label ? o->x_label : "vote share (points)");
	for (i = 0; i < ncand; i++)
		sim_row(&doc, &L, i, &rows[st[i].k], &st[i], nrep, count);
	bloc_buf_puts(&doc, "</svg>\n");
	err = append(out, &doc, "drawing the simulate chart");
done:
	bloc_buf_dispose(&doc);
	bloc_free(st);
	bloc_free(scratch);
	bloc_free(count);
	return err;
}

/* ---- the sweep ----------------------------------------------------------------------------- */

#define SWEEP_WIDTH  640.0
#define SWEEP_PLOT_H 240.0
#define SWEEP_LEFT   48.0 /* the y axis's labels */

struct sweep_key {
	const bloc_party *parties;
	size_t ncand; /* items past it: the real result's dashed line */
};

static void sweep_key_sample(bloc_buf *b, size_t i, double x, double y, const void *payload)
{
	const struct sweep_key *k = payload;

	if (i >= k->ncand) {
		bloc__svg_line(b, x, y, x + 16, y, MARK_COLOUR, 1.2, 1);
		return;
	}
	bloc__svg_line(b, x, y, x + 16, y, bloc_party_colour(k->parties[i]), 2, 0);
	circle(b, "key", x + 8, y, 3, bloc_party_colour(k->parties[i]), NULL, 0);
}

static size_t sweep_legend(bloc_buf *b, size_t ncand, const bloc_party *parties, int targets,
                           const char **text, double y, double width)
{
	struct sweep_key k;
	size_t i;

	for (i = 0; i < ncand; i++)
		text[i] = bloc_party_name(parties[i]);
	text[ncand] = "real result (dashed)";
	k.parties = parties;
	k.ncand = ncand;
	return legend(b, ncand + (targets ? 1 : 0), text, sweep_key_sample, &k, PAD, y,
	              width - PAD);
}

static int sweep_check(size_t nvalues, const double *x, size_t ncand, const bloc_party *parties,
                       const double *share)
{
	size_t v, k;

	if (nvalues < 2 || !x)
		return bloc_error_set(
		    BLOC_EINVAL,
		    "sweep chart: %zu values of the parameter; a sweep needs 2 or "
		    "more",
		    x ? nvalues : 0);
	if (ncand == 0 || !parties || !share)
		return bloc_error_set(BLOC_EINVAL, "sweep chart: no candidate to draw");
	for (v = 0; v < nvalues; v++) {
		if (!isfinite(x[v]))
			return bloc_error_set(
			    BLOC_EINVAL, "sweep chart: value %zu of the parameter is not a number",
			    v + 1);
		for (k = 0; k < ncand; k++)
			if (!isfinite(share[v * ncand + k]))
				return bloc_error_set(
				    BLOC_EINVAL,
				    "sweep chart: candidate %zu (%s) at value %zu: "
				    "the share is not a number",
				    k + 1, bloc_party_code(parties[k]), v + 1);
	}
	return BLOC_OK;
}

/* Candidate k: its real result dashed across, its line, a dot at each value. */
static void sweep_candidate(bloc_buf *b, size_t k, size_t nvalues, const double *x, size_t ncand,
                            bloc_party p, const double *share, const double *target,
                            const struct xaxis *ax, const struct bloc__yaxis *ay,
                            const char *x_label)
{
	const char *colour = bloc_party_colour(p);
	char xs[32], ys[32], t[32];
	size_t v;

	bloc_buf_puts(b, "<g class=\"candidate\" data-party=\"");
	bloc_buf_put_xml(b, bloc_party_code(p));
	bloc_buf_puts(b, "\">\n");
	if (target && isfinite(target[k])) {
		double y = bloc__yaxis_px(ay, target[k]);
		bloc_buf_puts(b, "<g class=\"target\"><title>");
		bloc_buf_put_xml(b, bloc_party_name(p));
		bloc_buf_printf(b, ": real result %s</title>\n", bloc__fmt(t, 32, target[k], 1));
		bloc__svg_line(b, ax->x, y, ax->x + ax->w, y, colour, 1.2, 1);
		bloc_buf_puts(b, "</g>\n");
	}
	bloc_buf_printf(b,
	                "<polyline class=\"share\" fill=\"none\" stroke=\"%s\" "
	                "stroke-width=\"2\" points=\"",
	                colour);
	for (v = 0; v < nvalues; v++)
		bloc_buf_printf(b, "%s%s,%s", v ? " " : "", bloc__fmt(xs, 32, xpx(ax, x[v]), 2),
		                bloc__fmt(ys, 32, bloc__yaxis_px(ay, share[v * ncand + k]), 2));
	bloc_buf_puts(b, "\"/>\n");
	for (v = 0; v < nvalues; v++) {
		bloc_buf_printf(b, "<circle cx=\"%s\" cy=\"%s\" r=\"3\" fill=\"%s\"><title>",
		                bloc__fmt(xs, 32, xpx(ax, x[v]), 2),
		                bloc__fmt(ys, 32, bloc__yaxis_px(ay, share[v * ncand + k]), 2),
		                colour);
		bloc_buf_put_xml(b, bloc_party_name(p));
		bloc_buf_puts(b, ", ");
		bloc_buf_put_xml(b, x_label);
		snprintf(xs, sizeof(xs), "%.6g", x[v]);
		bloc_buf_printf(b, " %s: %s</title></circle>\n", xs,
		                bloc__fmt(t, 32, share[v * ncand + k], 1));
	}
	bloc_buf_puts(b, "</g>\n");
}

int bloc_chart_sweep(bloc_buf *out, size_t nvalues, const double *x, size_t ncand,
                     const bloc_party *parties, const double *share, const double *target,
                     const bloc_chart_options *o)
{
	struct xaxis ax;
	struct bloc__yaxis ay;
	const char **text = NULL, *x_label, *ttl;
	double width, xmin, xmax, ymin, ymax, legend_y;
	size_t v, k, lines;
	bloc_buf doc = BLOC_BUF_INIT;
	char title[160];
	int err, targets = 0;

	if (!o)
		o = &default_options;
	if ((err = sweep_check(nvalues, x, ncand, parties, share)) < 0)
		return err;
	x_label = o->x_label ? o->x_label : "value";
	snprintf(title, sizeof(title), "Mean simulated share by %s", x_label);
	ttl = o->title ? o->title : title;
	if (!(text = bloc_calloc(ncand + 1, sizeof(char *))))
		return bloc_error_oom("drawing the sweep chart");
	xmin = xmax = x[0];
	ymin = ymax = share[0];
	for (v = 0; v < nvalues; v++) {
		xmin = x[v] < xmin ? x[v] : xmin;
		xmax = x[v] > xmax ? x[v] : xmax;
		for (k = 0; k < ncand; k++) {
			ymin = share[v * ncand + k] < ymin ? share[v * ncand + k] : ymin;
			ymax = share[v * ncand + k] > ymax ? share[v * ncand + k] : ymax;
		}
	}
	for (k = 0; target && k < ncand; k++)
		if (isfinite(target[k])) {
			targets = 1;
			ymin = target[k] < ymin ? target[k] : ymin;
			ymax = target[k] > ymax ? target[k] : ymax;
		}
	width = o->width > 0 ? o->width : SWEEP_WIDTH;
	if (width < SWEEP_LEFT + 2 * PAD + 120)
		width = SWEEP_LEFT + 2 * PAD + 120;
	legend_y = bloc__chart_heading_height(o->subtitle, width) + 4;
	lines = sweep_legend(NULL, ncand, parties, targets, text, legend_y, width);
	ax.x = PAD + SWEEP_LEFT;
	ax.w = width - ax.x - PAD - 10;
	xaxis_for(&ax, xmin, xmax, 6);
	{
		/* the y axis: the same nice bounds, as a vertical axis */
		struct xaxis tmp;
		xaxis_for(&tmp, ymin, ymax, 5);
		ay.lo = tmp.lo;
		ay.hi = tmp.hi;
		ay.step = tmp.step;
	}
	ay.top = legend_y + (double)lines * LEGEND_LINE + 18;
	ay.bottom = ay.top + SWEEP_PLOT_H;
	bloc__svg_open(&doc, ceil(width), ceil(ay.bottom + 34 + PAD), o->standalone,
	               o->id ? o->id : "chart", ttl, NULL);
	bloc__chart_heading(&doc, ttl, o->subtitle, width);
	sweep_legend(&doc, ncand, parties, targets, text, legend_y, width);
	bloc__svg_text_at(&doc, PAD, ay.top - 10, "start", SMALL_SIZE, NOTE_COLOUR,
	                  "share of the vote (points)");
	bloc__yaxis_draw(&doc, &ay, ax.x, ax.x + ax.w, "");
	xaxis_draw(&doc, &ax, ay.top, ay.bottom, x_label);
	for (k = 0; k < ncand; k++)
		sweep_candidate(&doc, k, nvalues, x, ncand, parties[k], share, target, &ax, &ay,
		                x_label);
	bloc_buf_puts(&doc, "</svg>\n");
	err = append(out, &doc, "drawing the sweep chart");
	bloc_buf_dispose(&doc);
	bloc_free(text);
	return err;
}
