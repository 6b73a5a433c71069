/* Charts as SVG (see bloc/chart.h). Layout is computed in pixels with fixed decimals, so the
 * output depends on the input alone. */
#include "bloc/chart.h"

#include "bloc/error.h"
#include "../core/alloc.h"
#include "svg_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PI          3.14159265358979323846
#define PAD         BLOC__CHART_PAD
#define TITLE_SIZE  BLOC__CHART_TITLE_SIZE
#define LABEL_SIZE  BLOC__CHART_LABEL_SIZE
#define SMALL_SIZE  BLOC__CHART_SMALL_SIZE
#define BAR_ROW     24.0
#define DEFAULT_BAR "#5B7DB1"
#define AXIS_COLOUR BLOC__CHART_AXIS
#define GRID_COLOUR BLOC__CHART_GRID

static const bloc_chart_options default_options = BLOC_CHART_OPTIONS_INIT;

static const char *num(char *buf, double v, int decimals)
{
	return bloc__fmt(buf, 32, v, decimals);
}

#define MAX_SUB_LINES 4

/* A caption from (x, y) wrapped to `width` px in lines CAPTION_LINE apart, drawn when `b` is
 * given (charts lay out first, then write). @return its lines. */
#define CAPTION_LINE 15.0

static size_t caption(bloc_buf *b, double x, double y, double width, const char *text)
{
	size_t start[MAX_SUB_LINES], len[MAX_SUB_LINES], n, i;

	/* a tenth to spare: fonts run wider than bloc__text_width's estimate */
	n = bloc__wrap(text, width * 0.9, SMALL_SIZE, start, len, MAX_SUB_LINES);
	for (i = 0; b && i < n; i++) {
		char *line = bloc_strndup(text + start[i], len[i]);
		bloc__svg_text_at(b, x, y + (double)i * CAPTION_LINE, "start", SMALL_SIZE,
		                  "#555555", line ? line : "");
		bloc_free(line);
	}
	return n;
}

/* ---- party bars ---------------------------------------------------------------------------- */

/* Indices of the parties with seats > 0 (or all when `all`), by seats then registry order. */
static size_t party_order(size_t n, const bloc_party *parties, const int64_t *seats,
                          const unsigned char *keep, size_t *order)
{
	size_t i, j, m = 0;

	for (i = 0; i < n; i++)
		if (keep ? keep[i] : seats[i] > 0)
			order[m++] = i;
	/* insertion sort: a few dozen parties at most; stable */
	for (i = 1; i < m; i++) {
		size_t x = order[i];
		for (j = i; j > 0; j--) {
			size_t y = order[j - 1];
			if (seats[y] > seats[x] ||
			    (seats[y] == seats[x] && parties[y] <= parties[x]))
				break;
			order[j] = y;
		}
		order[j] = x;
	}
	return m;
}

int bloc_chart_seats(bloc_buf *out, size_t n, const bloc_party *parties, const int64_t *seats,
                     const bloc_chart_options *o)
{
	size_t *order, m, i;
	const char **labels = NULL;
	double width, label_w, top, bar_x, bar_w, height;
	int64_t maxv = 0, total = 0;
	char xs[32], ys[32];
	int err = BLOC_OK;

	if (!o)
		o = &default_options;
	if (!(order = bloc_calloc(n ? n : 1, sizeof(size_t))) ||
	    !(labels = bloc_calloc(n ? n : 1, sizeof(char *)))) {
		bloc_free(order);
		return bloc_error_oom("drawing the seats chart");
	}
	m = party_order(n, parties, seats, NULL, order);
	if (m == 0) {
		err = bloc_error_set(BLOC_EINVAL, "chart: no party has a seat");
		goto done;
	}
	for (i = 0; i < m; i++) {
		labels[i] = bloc_party_name(parties[order[i]]);
		if (seats[order[i]] > maxv)
			maxv = seats[order[i]];
	}
	for (i = 0; i < n; i++)
		total += seats[i] > 0 ? seats[i] : 0;
	width = o->width > 0 ? o->width : 640;
	label_w = bloc__text_width_max(labels, m, LABEL_SIZE) + 10;
	top = bloc__chart_heading_height(o->subtitle, width);
	bar_x = PAD + label_w;
	bar_w = width - bar_x - PAD - 48;
	if (bar_w < 60) {
		bar_w = 60;
		width = bar_x + bar_w + PAD + 48;
		top = bloc__chart_heading_height(o->subtitle, width);
	}
	height = top + m * BAR_ROW + PAD + 14;
	bloc__svg_open(out, ceil(width), ceil(height), o->standalone, o->id ? o->id : "chart",
	               o->title ? o->title : "Seats won", NULL);
	bloc__chart_heading(out, o->title ? o->title : "Seats won", o->subtitle, width);
	for (i = 0; i < m; i++) {
		bloc_party p = parties[order[i]];
		double y = top + i * BAR_ROW, w = bar_w * (double)seats[order[i]] / (double)maxv;
		char v[32];
		bloc_buf_printf(out, "<g class=\"bar\" data-party=\"%s\">", bloc_party_code(p));
		bloc__svg_rect(out, bar_x, y + 3, w, BAR_ROW - 6, bloc_party_colour(p));
		bloc_buf_puts(out, "><title>");
		bloc_buf_put_xml(out, labels[i]);
		bloc_buf_printf(out, ": %s seats</title></rect>\n",
		                bloc__fmt_int(v, sizeof(v), (long long)seats[order[i]]));
		bloc__svg_text_at(out, bar_x - 6, y + BAR_ROW / 2 + 4, "end", LABEL_SIZE, NULL,
		                  labels[i]);
		bloc__svg_text_at(out, bar_x + w + 5, y + BAR_ROW / 2 + 4, "start", LABEL_SIZE,
		                  NULL, v);
		bloc_buf_puts(out, "</g>\n");
	}
	bloc_buf_printf(out, "<text x=\"%g\" y=\"%s\" font-size=\"%g\" fill=\"#555555\">", PAD,
	                num(ys, top + m * BAR_ROW + 14, 1), SMALL_SIZE);
	bloc_buf_printf(out, "%s seats</text>\n", bloc__fmt_int(xs, sizeof(xs), (long long)total));
	bloc_buf_puts(out, "</svg>\n");
	err = bloc__doc_check(out, "drawing the seats chart");
done:
	bloc_free(order);
	bloc_free(labels);
	return err;
}

/* ---- parliament ---------------------------------------------------------------------------- */

#define MAX_PARLIAMENT 10000

struct dot {
	double angle, radius;
	size_t row;
};

static int by_angle(const void *a, const void *b)
{
	const struct dot *x = a, *y = b;

	if (x->angle != y->angle)
		return x->angle > y->angle ? -1 : 1; /* left (pi) first */
	if (x->row != y->row)
		return x->row < y->row ? -1 : 1;
	return 0;
}

/* Rows of a hemicycle of `total` dots between radius 0.4 and 1: the fewest rows whose
 * capacity (arc length / row spacing) holds them, and the dots of each row in proportion to its
 * radius. Fills dots (total entries). @return the row spacing. */
static double hemicycle(size_t total, struct dot *dots)
{
	const double inner = 0.4;
	size_t rows, i, j, k, *count = NULL, placed;
	double spacing = 0.6, sum_r;

	for (rows = 1; rows < 200; rows++) {
		size_t cap = 0;
		spacing = rows > 1 ? (1 - inner) / (double)(rows - 1) : 0.6;
		for (i = 0; i < rows; i++) {
			double r = rows > 1 ? inner + spacing * (double)i : 0.7;
			cap += (size_t)floor(PI * r / spacing) + 1;
		}
		if (cap >= total)
			break;
	}
	count = bloc_calloc(rows, sizeof(size_t));
	if (!count)
		return -1;
	sum_r = 0;
	for (i = 0; i < rows; i++)
		sum_r += rows > 1 ? inner + spacing * (double)i : 0.7;
	/* largest remainder, outermost rows first on ties */
	placed = 0;
	for (i = 0; i < rows; i++) {
		double r = rows > 1 ? inner + spacing * (double)i : 0.7;
		count[i] = (size_t)floor((double)total * r / sum_r);
		placed += count[i];
	}
	while (placed < total) {
		size_t best = 0;
		double best_rem = -1;
		for (i = rows; i-- > 0;) {
			double r = rows > 1 ? inner + spacing * (double)i : 0.7;
			double rem = (double)total * r / sum_r - (double)count[i];
			if (rem > best_rem + 1e-12) {
				best_rem = rem;
				best = i;
			}
		}
		count[best]++;
		placed++;
	}
	k = 0;
	for (i = 0; i < rows; i++) {
		double r = rows > 1 ? inner + spacing * (double)i : 0.7;
		for (j = 0; j < count[i]; j++, k++) {
			dots[k].angle =
			    count[i] > 1 ? PI * (1 - (double)j / (double)(count[i] - 1)) : PI / 2;
			dots[k].radius = r;
			dots[k].row = i;
		}
	}
	bloc_free(count);
	qsort(dots, total, sizeof(*dots), by_angle);
	return spacing;
}

/* The seats of a parliament: 1 to MAX_PARLIAMENT in all, into *total. */
static int parliament_total(size_t n, const int64_t *seats, size_t *total)
{
	size_t i;

	*total = 0;
	for (i = 0; i < n; i++) {
		if (seats[i] > MAX_PARLIAMENT)
			return bloc_error_set(BLOC_EINVAL, "chart: more than %d seats",
			                      MAX_PARLIAMENT);
		*total += seats[i] > 0 ? (size_t)seats[i] : 0;
	}
	if (*total == 0 || *total > MAX_PARLIAMENT)
		return bloc_error_set(BLOC_EINVAL,
		                      "chart: a parliament needs 1 to %d seats, got %zu",
		                      MAX_PARLIAMENT, *total);
	return BLOC_OK;
}

/* Where the hemicycle goes in the picture. */
struct hemi {
	double width, cx, cy, radius, dot_r, spacing, legend_y;
};

/* One group of dots per party, in `order`, left to right. */
static void parliament_parties(bloc_buf *out, const bloc_party *parties, const int64_t *seats,
                               const size_t *order, size_t m, const struct dot *dots,
                               const struct hemi *h)
{
	size_t k, i, d = 0;
	char a[32], c[32], e[32];

	for (k = 0; k < m; k++) {
		bloc_party p = parties[order[k]];
		char v[32];
		bloc_buf_printf(out, "<g class=\"party\" data-party=\"%s\" fill=\"%s\"><title>",
		                bloc_party_code(p), bloc_party_colour(p));
		bloc_buf_put_xml(out, bloc_party_name(p));
		bloc_buf_printf(out, ": %s seats</title>\n",
		                bloc__fmt_int(v, sizeof(v), (long long)seats[order[k]]));
		for (i = 0; i < (size_t)seats[order[k]]; i++, d++) {
			double px = h->cx + cos(dots[d].angle) * dots[d].radius * h->radius;
			double py = h->cy - sin(dots[d].angle) * dots[d].radius * h->radius;
			bloc_buf_printf(out, "<circle cx=\"%s\" cy=\"%s\" r=\"%s\"/>",
			                num(a, px, 2), num(c, py, 2), num(e, h->dot_r, 2));
			if (i % 8 == 7)
				bloc_buf_puts(out, "\n");
		}
		bloc_buf_puts(out, "\n</g>\n");
	}
}

/* The majority line between the (majority-1)th and majority-th dot from the left, and the
 * number of seats in the middle. */
static void parliament_majority(bloc_buf *out, const struct dot *dots, size_t total,
                                int64_t majority, const struct hemi *h)
{
	char lbl[64], v[32];

	if (majority >= 1 && (size_t)majority <= total) {
		double ang = (size_t)majority < total
		                 ? (dots[majority - 1].angle + dots[majority].angle) / 2
		                 : dots[majority - 1].angle;
		double r0 = 0.4 - h->spacing * 0.8, r1 = 1 + h->spacing * 0.8 + 0.02;
		if (r0 < 0.05)
			r0 = 0.05;
		bloc__svg_line(out, h->cx + cos(ang) * r0 * h->radius,
		               h->cy - sin(ang) * r0 * h->radius, h->cx + cos(ang) * r1 * h->radius,
		               h->cy - sin(ang) * r1 * h->radius, "#222222", 1.5, 1);
		snprintf(lbl, sizeof(lbl), "%lld for a majority", (long long)majority);
		bloc__svg_text_at(out, h->cx + cos(ang) * r1 * h->radius,
		                  h->cy - sin(ang) * r1 * h->radius - 5, "middle", SMALL_SIZE, NULL,
		                  lbl);
	}
	snprintf(lbl, sizeof(lbl), "%s seats", bloc__fmt_int(v, sizeof(v), (long long)total));
	bloc__svg_text_at(out, h->cx, h->cy - 4, "middle", 16, NULL, lbl);
}

/* A swatch, the code and the seats of each party, four to a row. */
static void parliament_legend(bloc_buf *out, const bloc_party *parties, const int64_t *seats,
                              const size_t *order, size_t m, const struct hemi *h)
{
	size_t k;

	for (k = 0; k < m; k++) {
		bloc_party p = parties[order[k]];
		double y = h->legend_y + (double)(k / 4) * 20;
		double x = PAD + (double)(k % 4) * ((h->width - 2 * PAD) / 4);
		char lbl[96], v[32];
		bloc__svg_rect(out, x, y - 10, 12, 12, bloc_party_colour(p));
		bloc_buf_puts(out, "/>\n");
		snprintf(lbl, sizeof(lbl), "%s %s", bloc_party_code(p),
		         bloc__fmt_int(v, sizeof(v), (long long)seats[order[k]]));
		bloc__svg_text_at(out, x + 17, y, "start", LABEL_SIZE, NULL, lbl);
	}
}

int bloc_chart_parliament(bloc_buf *out, size_t n, const bloc_party *parties, const int64_t *seats,
                          const bloc_chart_options *o)
{
	size_t *order = NULL, m, total;
	struct dot *dots = NULL;
	struct hemi h;
	double top, height;
	int64_t majority;
	const char *title;
	int err;

	if (!o)
		o = &default_options;
	title = o->title ? o->title : "Parliament";
	if ((err = parliament_total(n, seats, &total)) < 0)
		return err;
	majority = o->majority > 0 ? o->majority : (int64_t)(total / 2 + 1);
	if (!(order = bloc_calloc(n, sizeof(size_t))) ||
	    !(dots = bloc_calloc(total, sizeof(*dots)))) {
		err = bloc_error_oom("drawing the parliament chart");
		goto done;
	}
	m = party_order(n, parties, seats, NULL, order);
	if ((h.spacing = hemicycle(total, dots)) < 0) {
		err = bloc_error_oom("drawing the parliament chart");
		goto done;
	}
	h.width = o->width > 0 ? o->width : 640;
	top = bloc__chart_heading_height(o->subtitle, h.width);
	h.radius = (h.width - 2 * PAD) / 2 - 4;
	h.cx = h.width / 2;
	h.cy = top + 24 + h.radius;
	h.dot_r = h.spacing * h.radius * 0.42;
	if (h.dot_r > h.radius * 0.1)
		h.dot_r = h.radius * 0.1;
	h.legend_y = h.cy + 36;
	height = h.legend_y + ((m + 3) / 4) * 20 + PAD;
	bloc__svg_open(out, ceil(h.width), ceil(height), o->standalone, o->id ? o->id : "chart",
	               title, NULL);
	bloc__chart_heading(out, title, o->subtitle, h.width);
	parliament_parties(out, parties, seats, order, m, dots, &h);
	parliament_majority(out, dots, total, majority, &h);
	parliament_legend(out, parties, seats, order, m, &h);
	bloc_buf_puts(out, "</svg>\n");
	err = bloc__doc_check(out, "drawing the parliament chart");
done:
	bloc_free(order);
	bloc_free(dots);
	return err;
}

/* ---- votes against seats ------------------------------------------------------------------- */

/* The bars' layout: rows of `row` pixels from `top`, bars from bar_x, bar_w wide for maxv. */
struct vs_layout {
	double width, top, bar_x, bar_w, row, maxv, step;
	size_t m;
};

/* Among parties with equal seats, the larger vote share first (order[0..m) is by seats). */
static void order_ties_by_share(size_t *order, size_t m, const int64_t *seats, const double *share)
{
	size_t i;

	for (i = 1; i < m; i++) {
		size_t x = order[i], j;
		for (j = i;
		     j > 0 && seats[order[j - 1]] == seats[x] && share[order[j - 1]] < share[x];
		     j--)
			order[j] = order[j - 1];
		order[j] = x;
	}
}

/* The key (pale votes, full-colour seats) and the percentage grid. */
static void vs_key_grid(bloc_buf *out, const struct vs_layout *L)
{
	double v;

	bloc__svg_rect(out, L->bar_x, L->top - 22, 12, 10, "#BBBBBB");
	bloc_buf_puts(out, "/>\n");
	bloc__svg_text_at(out, L->bar_x + 16, L->top - 13, "start", SMALL_SIZE, NULL,
	                  "votes (pale)");
	bloc__svg_rect(out, L->bar_x + 110, L->top - 22, 12, 10, "#555555");
	bloc_buf_puts(out, "/>\n");
	bloc__svg_text_at(out, L->bar_x + 126, L->top - 13, "start", SMALL_SIZE, NULL,
	                  "seats (full colour)");
	for (v = 0; v <= L->maxv + L->step / 2; v += L->step) {
		double x = L->bar_x + L->bar_w * v / L->maxv;
		char t[40], n1[32];
		bloc__svg_line(out, x, L->top, x, L->top + L->m * L->row,
		               v == 0 ? AXIS_COLOUR : GRID_COLOUR, 1, 0);
		snprintf(t, sizeof(t), "%s%%", num(n1, v, bloc__step_decimals(L->step)));
		bloc__svg_text_at(out, x, L->top + L->m * L->row + 14, "middle", SMALL_SIZE,
		                  "#555555", t);
	}
}

/* Party i's two bars: its share of the votes (pale) over its share of the seats. */
static void vs_party(bloc_buf *out, const struct vs_layout *L, size_t i, bloc_party p,
                     const char *label, double vs, double ss)
{
	double y = L->top + i * L->row;
	char pale[8], v1[32], v2[32], t[96];

	bloc__colour_mix(pale, "#FFFFFF", bloc_party_colour(p), 0.45);
	bloc_buf_printf(out, "<g class=\"party\" data-party=\"%s\">\n", bloc_party_code(p));
	bloc__svg_text_at(out, L->bar_x - 6, y + L->row / 2 + 4, "end", LABEL_SIZE, NULL, label);
	bloc__svg_rect(out, L->bar_x, y + 4, L->bar_w * (isfinite(vs) ? vs : 0) / L->maxv, 15,
	               pale);
	bloc_buf_printf(out, "><title>%s%% of the votes</title></rect>\n",
	                num(v1, isfinite(vs) ? vs : 0, 1));
	bloc__svg_rect(out, L->bar_x, y + 20, L->bar_w * ss / L->maxv, 15, bloc_party_colour(p));
	bloc_buf_printf(out, "><title>%s%% of the seats</title></rect>\n", num(v2, ss, 1));
	snprintf(t, sizeof(t), "%s%%", v1);
	bloc__svg_text_at(out, L->bar_x + L->bar_w * (isfinite(vs) ? vs : 0) / L->maxv + 4, y + 16,
	                  "start", SMALL_SIZE, "#555555", t);
	snprintf(t, sizeof(t), "%s%%", v2);
	bloc__svg_text_at(out, L->bar_x + L->bar_w * ss / L->maxv + 4, y + 32, "start", SMALL_SIZE,
	                  NULL, t);
	bloc_buf_puts(out, "</g>\n");
}

/* The width, the labels' column and the scale (maxv rounded up to a grid step). */
static void vs_layout_for(struct vs_layout *L, const bloc_chart_options *o, const char **labels,
                          double maxv)
{
	L->row = 40;
	L->step = bloc__nice_step(maxv, 5);
	L->maxv = ceil(maxv / L->step) * L->step;
	L->width = o->width > 0 ? o->width : 640;
	L->top = bloc__chart_heading_height(o->subtitle, L->width) + 18;
	L->bar_x = PAD + bloc__text_width_max(labels, L->m, LABEL_SIZE) + 10;
	L->bar_w = L->width - L->bar_x - PAD - 70;
	if (L->bar_w < 80) {
		L->bar_w = 80;
		L->width = L->bar_x + L->bar_w + PAD + 70;
		L->top = bloc__chart_heading_height(o->subtitle, L->width) + 18;
	}
}

int bloc_chart_votes_seats(bloc_buf *out, size_t n, const bloc_party *parties, const double *share,
                           const int64_t *seats, const bloc_chart_options *o)
{
	size_t *order = NULL, m, i;
	unsigned char *keep = NULL;
	const char **labels = NULL;
	struct vs_layout L;
	double maxv = 0;
	int64_t total = 0;
	const char *title;
	int err = BLOC_OK;

	if (!o)
		o = &default_options;
	title = o->title ? o->title : "Share of the vote and share of the seats";
	for (i = 0; i < n; i++)
		total += seats[i] > 0 ? seats[i] : 0;
	if (!(order = bloc_calloc(n ? n : 1, sizeof(size_t))) ||
	    !(keep = bloc_calloc(n ? n : 1, 1)) ||
	    !(labels = bloc_calloc(n ? n : 1, sizeof(char *)))) {
		err = bloc_error_oom("drawing the votes and seats chart");
		goto done;
	}
	for (i = 0; i < n; i++)
		keep[i] = seats[i] > 0 || (isfinite(share[i]) && share[i] >= 1);
	m = party_order(n, parties, seats, keep, order);
	if (m == 0 || total == 0) {
		err = bloc_error_set(BLOC_EINVAL, "chart: no party has votes or seats");
		goto done;
	}
	order_ties_by_share(order, m, seats, share);
	for (i = 0; i < m; i++) {
		double ss = 100.0 * (double)seats[order[i]] / (double)total;
		labels[i] = bloc_party_name(parties[order[i]]);
		if (isfinite(share[order[i]]) && share[order[i]] > maxv)
			maxv = share[order[i]];
		if (ss > maxv)
			maxv = ss;
	}
	L.m = m;
	vs_layout_for(&L, o, labels, maxv);
	bloc__svg_open(out, ceil(L.width), ceil(L.top + m * L.row + 28 + PAD), o->standalone,
	               o->id ? o->id : "chart", title, NULL);
	bloc__chart_heading(out, title, o->subtitle, L.width);
	vs_key_grid(out, &L);
	for (i = 0; i < m; i++)
		vs_party(out, &L, i, parties[order[i]], labels[i], share[order[i]],
		         100.0 * (double)seats[order[i]] / (double)total);
	bloc_buf_puts(out, "</svg>\n");
	err = bloc__doc_check(out, "drawing the votes and seats chart");
done:
	bloc_free(order);
	bloc_free(keep);
	bloc_free(labels);
	return err;
}

/* ---- swing by seat ------------------------------------------------------------------------- */

struct swing_item {
	double v;
	size_t i;
};

static int by_value(const void *a, const void *b)
{
	const struct swing_item *x = a, *y = b;

	if (x->v != y->v)
		return x->v < y->v ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

/* The seats with a finite Butler swing that A or B contested, smallest first, into
 * items[0..*m); their range widened to include 0 into *lo, *hi; the seats neither stood in
 * (bloc_swing_contested) are counted into *nc and left out: theirs is no swing of 0. */
static int swing_items(const bloc_contest *to, const bloc_seat_results *rto, const bloc_swing *s,
                       struct swing_item *items, size_t *m, size_t *nc, double *lo, double *hi)
{
	size_t i;

	*m = *nc = 0;
	*lo = *hi = 0;
	for (i = 0; i < s->n; i++) {
		if (s->to_seat[i] >= to->nseats || (rto && rto->n != to->nseats))
			return bloc_error_set(BLOC_EINVAL, "chart: the swing is not to contest %s",
			                      to->id);
		if (!isfinite(s->butler[i]))
			continue;
		if (!bloc_swing_contested(s, i)) {
			(*nc)++;
			continue;
		}
		items[*m].v = s->butler[i];
		items[*m].i = i;
		*lo = s->butler[i] < *lo ? s->butler[i] : *lo;
		*hi = s->butler[i] > *hi ? s->butler[i] : *hi;
		(*m)++;
	}
	if (*m == 0 && *nc)
		return bloc_error_set(BLOC_EINVAL,
		                      "chart: neither %s nor %s stood in any of the %zu seats "
		                      "compared: no swing to show",
		                      bloc_party_code(s->a), bloc_party_code(s->b), *nc);
	if (*m == 0)
		return bloc_error_set(BLOC_EINVAL, "chart: no seat to show the swing of");
	qsort(items, *m, sizeof(*items), by_value);
	return BLOC_OK;
}

/* One bar per seat from 0 to its swing, in the colour of its winner in `to`. */
static void swing_bars(bloc_buf *out, const bloc_contest *to, const bloc_seat_results *rto,
                       const bloc_swing *s, const struct swing_item *items, size_t m,
                       const struct bloc__yaxis *ax, double left, double bw)
{
	size_t i;
	char a[32];

	bloc_buf_puts(out, "<g class=\"seats\">\n");
	for (i = 0; i < m; i++) {
		size_t k = items[i].i, seat = s->to_seat[k];
		bloc_party w = rto ? rto->winner_party[seat] : BLOC_PARTY_NONE;
		double v = items[i].v, y0 = bloc__yaxis_px(ax, 0), y1 = bloc__yaxis_px(ax, v);
		const char *fill = w == BLOC_PARTY_NONE ? DEFAULT_BAR : bloc_party_colour(w);
		bloc__svg_rect(out, left + bw * (double)i, v >= 0 ? y1 : y0,
		               bw > 1.2 ? bw - 0.2 : bw, fabs(y1 - y0), fill);
		bloc_buf_puts(out, " data-code=\"");
		bloc_buf_put_xml(out, to->code[seat]);
		bloc_buf_puts(out, "\"><title>");
		bloc_buf_put_xml(out, to->name[seat]);
		bloc_buf_printf(out, ": %s to %s%s%s</title></rect>\n", num(a, fabs(v), 1),
		                bloc_party_code(v >= 0 ? s->b : s->a),
		                w == BLOC_PARTY_NONE ? "" : ", ",
		                w == BLOC_PARTY_NONE ? "" : bloc_party_code(w));
	}
	bloc_buf_puts(out, "</g>\n");
}

/* The caption under the swing chart's axis from y, wrapped to `width`, drawn when `out` is
 * given, and a note on the `nc` seats left out because neither party stood there.
 * @return its lines. */
static size_t swing_caption(bloc_buf *out, const bloc_contest *to, const bloc_swing *s, size_t m,
                            size_t nc, double y, double left, double width,
                            const bloc_chart_options *o)
{
	char t[300];
	size_t n;

	snprintf(t, sizeof(t),
	         "%zu seats, smallest to largest swing; points, positive towards %s; bars in the "
	         "colour of the %s winner",
	         m, bloc_party_code(s->b), to->id);
	n = caption(out, left, y, width, o->x_label ? o->x_label : t);
	if (nc) {
		snprintf(t, sizeof(t),
		         "Not contested: %zu seat%s where neither %s nor %s stood in either "
		         "contest, not drawn (no swing, rather than a swing of 0).",
		         nc, nc == 1 ? "" : "s", bloc_party_code(s->a), bloc_party_code(s->b));
		if (out)
			bloc_buf_puts(out, "<g class=\"not-contested\">\n");
		n += caption(out, left, y + (double)n * CAPTION_LINE, width, t);
		if (out)
			bloc_buf_puts(out, "</g>\n");
	}
	return n;
}

/* The overall swing as a line across, and the caption under the axis. */
static void swing_footer(bloc_buf *out, const bloc_contest *to, const bloc_swing *s, size_t m,
                         size_t nc, const struct bloc__yaxis *ax, double left, double plot_w,
                         const bloc_chart_options *o)
{
	char t[200], a[32];

	if (isfinite(s->total_butler)) {
		double y = bloc__yaxis_px(ax, s->total_butler);
		bloc__svg_line(out, left, y, left + plot_w, y, "#222222", 1.2, 1);
		snprintf(t, sizeof(t), "overall %s to %s", num(a, fabs(s->total_butler), 1),
		         bloc_party_code(s->total_butler >= 0 ? s->b : s->a));
		bloc__svg_text_at(out, left + 6, y - 5, "start", SMALL_SIZE, NULL, t);
	}
	swing_caption(out, to, s, m, nc, ax->bottom + 20, left, plot_w, o);
}

int bloc_chart_swing(bloc_buf *out, const bloc_contest *to, const bloc_seat_results *rto,
                     const bloc_swing *s, const bloc_chart_options *o)
{
	struct swing_item *items = NULL;
	struct bloc__yaxis ax;
	size_t m = 0, nc = 0;
	double width, height, top, left = PAD + 48, plot_w, lo = 0, hi = 0;
	char title[160];
	const char *ttl;
	int err;

	if (!o)
		o = &default_options;
	if (!(items = bloc_calloc(s->n ? s->n : 1, sizeof(*items))))
		return bloc_error_oom("drawing the swing chart");
	if ((err = swing_items(to, rto, s, items, &m, &nc, &lo, &hi)) < 0)
		goto done;
	snprintf(title, sizeof(title), "Butler swing %s to %s by seat, %s", bloc_party_code(s->a),
	         bloc_party_code(s->b), to->id);
	ttl = o->title ? o->title : title;
	width = o->width > 0 ? o->width : 720;
	top = bloc__chart_heading_height(o->subtitle, width) + 8;
	plot_w = width - left - PAD;
	height = top + 260 + 25 +
	         (double)swing_caption(NULL, to, s, m, nc, 0, left, plot_w, o) * CAPTION_LINE + PAD;
	ax.step = bloc__nice_step(hi - lo > 0 ? hi - lo : 1, 6);
	ax.lo = floor(lo / ax.step) * ax.step;
	ax.hi = ceil(hi / ax.step) * ax.step;
	if (ax.hi <= ax.lo)
		ax.hi = ax.lo + ax.step;
	ax.top = top;
	ax.bottom = top + 260;
	bloc__svg_open(out, ceil(width), ceil(height), o->standalone, o->id ? o->id : "chart", ttl,
	               NULL);
	bloc__chart_heading(out, ttl, o->subtitle, width);
	bloc__yaxis_draw(out, &ax, left, left + plot_w, "");
	swing_bars(out, to, rto, s, items, m, &ax, left, plot_w / (double)m);
	swing_footer(out, to, s, m, nc, &ax, left, plot_w, o);
	bloc_buf_puts(out, "</svg>\n");
	err = bloc__doc_check(out, "drawing the swing chart");
done:
	bloc_free(items);
	return err;
}

/* ---- histogram ----------------------------------------------------------------------------- */

/* The bins over the finite values: from *lo, *nb of them, *step wide (o->bins of them, or a
 * nice step for about 2 m^(1/3) bins). BLOC_EINVAL when no value is finite. */
static int histogram_bins(size_t n, const double *values, const bloc_chart_options *o, double *lo,
                          double *step, size_t *nb)
{
	size_t i, m = 0;
	double hi = 0;

	*lo = 0;
	for (i = 0; i < n; i++) {
		if (!isfinite(values[i]))
			continue;
		if (m == 0 || values[i] < *lo)
			*lo = values[i];
		if (m == 0 || values[i] > hi)
			hi = values[i];
		m++;
	}
	if (m == 0)
		return bloc_error_set(BLOC_EINVAL, "chart: no value to draw a histogram of");
	if (o->bins > 0) {
		*nb = o->bins > 1000 ? 1000 : o->bins;
		*step = hi > *lo ? (hi - *lo) / (double)*nb : 1;
	} else {
		double target = 2 * cbrt((double)m);
		target = target < 5 ? 5 : target > 60 ? 60 : target;
		*step = bloc__nice_step(hi > *lo ? hi - *lo : 1, (int)target);
		*lo = floor(*lo / *step) * *step;
		*nb = (size_t)ceil((hi - *lo) / *step - 1e-9);
		if (*nb == 0 || *lo + *step * (double)*nb <= hi)
			(*nb)++;
	}
	return BLOC_OK;
}

/* The bars, then the bins' edges under them (at most about 12 labels). */
static void histogram_draw(bloc_buf *out, const size_t *count, size_t nb, double lo, double step,
                           int dec, const struct bloc__yaxis *ax, double left, double bw)
{
	size_t i, every = nb > 12 ? (nb + 11) / 12 : 1;
	char a[32], b[32];

	bloc_buf_puts(out, "<g class=\"bins\">\n");
	for (i = 0; i < nb; i++) {
		double y = bloc__yaxis_px(ax, (double)count[i]);
		bloc__svg_rect(out, left + bw * (double)i + 0.5, y, bw - 1, ax->bottom - y,
		               DEFAULT_BAR);
		bloc_buf_printf(out, "><title>%s to %s: %zu</title></rect>\n",
		                num(a, lo + step * (double)i, dec),
		                num(b, lo + step * (double)(i + 1), dec), count[i]);
	}
	bloc_buf_puts(out, "</g>\n");
	for (i = 0; i <= nb; i += every)
		bloc__svg_text_at(out, left + bw * (double)i, ax->bottom + 14, "middle", SMALL_SIZE,
		                  "#555555", num(a, lo + step * (double)i, dec));
}

int bloc_chart_histogram(bloc_buf *out, size_t n, const double *values, const bloc_chart_options *o)
{
	size_t i, nb = 0, *count = NULL, maxc = 0;
	double lo = 0, step = 1, width, height, top, left = PAD + 40, plot_w;
	struct bloc__yaxis ax;
	const char *ttl;
	int dec, err;

	if (!o)
		o = &default_options;
	ttl = o->title ? o->title : "Histogram";
	if ((err = histogram_bins(n, values, o, &lo, &step, &nb)) < 0)
		return err;
	if (!(count = bloc_calloc(nb, sizeof(size_t))))
		return bloc_error_oom("drawing the histogram");
	for (i = 0; i < n; i++) {
		long k;
		if (!isfinite(values[i]))
			continue;
		k = (long)floor((values[i] - lo) / step);
		k = k < 0 ? 0 : (size_t)k >= nb ? (long)nb - 1 : k;
		if (++count[k] > maxc)
			maxc = count[k];
	}
	dec = o->decimals >= 0 ? o->decimals : bloc__step_decimals(step);
	width = o->width > 0 ? o->width : 640;
	top = bloc__chart_heading_height(o->subtitle, width) + 8;
	height = top + 220 + 44 + PAD;
	plot_w = width - left - PAD;
	ax.lo = 0;
	ax.step = bloc__nice_step((double)maxc, 5);
	if (ax.step < 1)
		ax.step = 1;
	ax.hi = ceil((double)maxc / ax.step) * ax.step;
	if (ax.hi <= 0)
		ax.hi = 1;
	ax.top = top;
	ax.bottom = top + 220;
	bloc__svg_open(out, ceil(width), ceil(height), o->standalone, o->id ? o->id : "chart", ttl,
	               NULL);
	bloc__chart_heading(out, ttl, o->subtitle, width);
	bloc__yaxis_draw(out, &ax, left, left + plot_w, "");
	histogram_draw(out, count, nb, lo, step, dec, &ax, left, plot_w / (double)nb);
	if (o->x_label)
		bloc__svg_text_at(out, left + plot_w / 2, ax.bottom + 34, "middle", SMALL_SIZE,
		                  NULL, o->x_label);
	bloc_buf_puts(out, "</svg>\n");
	err = bloc__doc_check(out, "drawing the histogram");
	bloc_free(count);
	return err;
}

/* ---- ranked bars --------------------------------------------------------------------------- */

/* The finite bars, largest first (ties in the order given), at most `limit` of them, into
 * items[0..*m) and labels; their range widened to include 0 into *lo, *hi. */
static int ranked_items(size_t n, const bloc_chart_bar *bars, size_t limit,
                        struct swing_item *items, const char **labels, size_t *m, double *lo,
                        double *hi)
{
	size_t i;

	*m = 0;
	for (i = 0; i < n; i++) {
		if (!isfinite(bars[i].value))
			continue;
		/* negated: by_value sorts ascending, ties by position */
		items[*m].v = -bars[i].value;
		items[*m].i = i;
		(*m)++;
	}
	if (*m == 0)
		return bloc_error_set(BLOC_EINVAL, "chart: no value to rank");
	qsort(items, *m, sizeof(*items), by_value);
	if (*m > limit)
		*m = limit;
	*lo = *hi = 0;
	for (i = 0; i < *m; i++) {
		double v = bars[items[i].i].value;
		labels[i] = bars[items[i].i].label ? bars[items[i].i].label : "";
		*lo = v < *lo ? v : *lo;
		*hi = v > *hi ? v : *hi;
	}
	if (*hi <= *lo)
		*hi = *lo + 1;
	return BLOC_OK;
}

/* Bar i of the ranking: from the zero line to its value, its label left, its value right. */
static void ranked_bar(bloc_buf *out, const bloc_chart_bar *bar, const char *label, double y,
                       double bar_x, double bar_w, double lo, double hi, int dec)
{
	double zero = bar_x + bar_w * (0 - lo) / (hi - lo);
	double x1 = bar_x + bar_w * (bar->value - lo) / (hi - lo);
	char v[32], t[160];

	bloc_buf_puts(out, "<g class=\"bar\">");
	bloc__svg_rect(out, x1 < zero ? x1 : zero, y + 3, fabs(x1 - zero), BAR_ROW - 6,
	               bar->colour && bar->colour[0] == '#' && strlen(bar->colour) == 7
	                   ? bar->colour
	                   : DEFAULT_BAR);
	bloc_buf_puts(out, "><title>");
	bloc_buf_put_xml(out, label);
	bloc_buf_printf(out, ": %s", num(v, bar->value, dec));
	if (bar->note) {
		bloc_buf_puts(out, " ");
		bloc_buf_put_xml(out, bar->note);
	}
	bloc_buf_puts(out, "</title></rect>\n");
	bloc__svg_text_at(out, bar_x - 6, y + BAR_ROW / 2 + 4, "end", LABEL_SIZE, NULL, label);
	snprintf(t, sizeof(t), "%s%s%s", v, bar->note ? " " : "", bar->note ? bar->note : "");
	bloc__svg_text_at(out, (x1 > zero ? x1 : zero) + 5, y + BAR_ROW / 2 + 4, "start",
	                  SMALL_SIZE, NULL, t);
	bloc_buf_puts(out, "</g>\n");
}

int bloc_chart_ranked(bloc_buf *out, size_t n, const bloc_chart_bar *bars,
                      const bloc_chart_options *o)
{
	struct swing_item *items = NULL;
	const char **labels = NULL;
	size_t i, m = 0;
	double width, top, label_w, bar_x, bar_w, height, lo = 0, hi = 1, zero;
	const char *ttl;
	int dec, err;

	if (!o)
		o = &default_options;
	ttl = o->title ? o->title : "Ranking";
	dec = o->decimals >= 0 ? o->decimals : 2;
	if (!(items = bloc_calloc(n ? n : 1, sizeof(*items))) ||
	    !(labels = bloc_calloc(n ? n : 1, sizeof(char *)))) {
		err = bloc_error_oom("drawing the ranked chart");
		goto done;
	}
	if ((err = ranked_items(n, bars, o->limit ? o->limit : 20, items, labels, &m, &lo, &hi)) <
	    0)
		goto done;
	width = o->width > 0 ? o->width : 640;
	label_w = bloc__text_width_max(labels, m, LABEL_SIZE) + 10;
	if (label_w > width * 0.45)
		label_w = width * 0.45;
	top = bloc__chart_heading_height(o->subtitle, width);
	bar_x = PAD + label_w;
	bar_w = width - bar_x - PAD - 110;
	if (bar_w < 60) {
		bar_w = 60;
		width = bar_x + bar_w + PAD + 110;
		top = bloc__chart_heading_height(o->subtitle, width);
	}
	zero = bar_x + bar_w * (0 - lo) / (hi - lo);
	height = top + m * BAR_ROW + PAD +
	         (o->x_label ? 4 + (double)caption(NULL, 0, 0, width - bar_x - PAD, o->x_label) *
	                               CAPTION_LINE
	                     : 0);
	bloc__svg_open(out, ceil(width), ceil(height), o->standalone, o->id ? o->id : "chart", ttl,
	               NULL);
	bloc__chart_heading(out, ttl, o->subtitle, width);
	for (i = 0; i < m; i++)
		ranked_bar(out, &bars[items[i].i], labels[i], top + i * BAR_ROW, bar_x, bar_w, lo,
		           hi, dec);
	if (lo < 0)
		bloc__svg_line(out, zero, top, zero, top + m * BAR_ROW, AXIS_COLOUR, 1, 0);
	if (o->x_label)
		caption(out, bar_x, top + m * BAR_ROW + 14, width - bar_x - PAD, o->x_label);
	bloc_buf_puts(out, "</svg>\n");
	err = bloc__doc_check(out, "drawing the ranked chart");
done:
	bloc_free(items);
	bloc_free(labels);
	return err;
}
