/* Forecasts drawn: the favourite in each seat on the hex map, paler the less certain, and each
 * party's seat distribution as a histogram with its median, its 50% and 90% intervals and the
 * majority line. Both draw the figures of a forecast summary and its counts; they compute
 * nothing beyond sorting and scaling. */
#include "bloc/render.h"

#include "bloc/error.h"
#include "bloc/forecast.h"
#include "bloc/hexmap.h"
#include "../core/alloc.h"
#include "svg_int.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Both drawings are SVG documents with the SVG namespace and no XML declaration: a file as they
 * are, or an element inline in HTML. They are drawn standalone into a buffer of their own, then
 * appended without the declaration, so `out` is untouched when drawing fails. */
#define XML_DECL "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"

static int append_document(bloc_buf *out, const bloc_buf *doc, const char *what)
{
	size_t skip = 0, n = strlen(XML_DECL);
	int err;

	if ((err = bloc__doc_check(doc, what)) < 0)
		return err;
	if (doc->len >= n && memcmp(doc->ptr, XML_DECL, n) == 0)
		skip = n;
	if (doc->len > skip)
		bloc_buf_put(out, doc->ptr + skip, doc->len - skip);
	return bloc__doc_check(out, what);
}

/* ---- the map ------------------------------------------------------------------------------- */

/* How strongly a seat shows its favourite's colour, by class (toss-up, lean, likely, safe): the
 * colour mixed with white in this proportion, which is what that fill-opacity would show on the
 * map's white ground. */
static const double class_opacity[] = {0.25, 0.5, 0.75, 1.0};
static const char *const class_label[] = {"toss-up: under 0.60", "lean: 0.60 to 0.80",
                                          "likely: 0.80 to 0.95", "safe: 0.95 or more"};
/* The classes' legend swatches: a neutral colour at each class's strength. */
#define CLASS_SWATCH "#404040"

static void class_colour(char out[8], const char *colour, int cls)
{
	if (class_opacity[cls] >= 1)
		snprintf(out, 8, "%s", colour); /* the registry's colour exactly */
	else
		bloc__colour_mix(out, "#FFFFFF", colour, class_opacity[cls]);
}

/* The parties that are favourite somewhere, by seats then registry order: "Labour (411)". */
static int legend_favourites(bloc_map_layer *L, const size_t *count, size_t np,
                             const bloc_party *parties)
{
	size_t i, best;
	char *done;
	int err = BLOC_OK;

	if (!(done = bloc_calloc(np ? np : 1, 1)))
		return bloc_error_oom("drawing the forecast map's legend");
	for (;;) {
		best = np;
		for (i = 0; i < np; i++)
			if (!done[i] && count[i] &&
			    (best == np || count[i] > count[best] ||
			     (count[i] == count[best] && parties[i] < parties[best])))
				best = i;
		if (best == np)
			break;
		done[best] = 1;
		if ((err = bloc__map_legend_add(L, bloc_party_colour(parties[best]), "%s (%zu)",
		                                bloc_party_name(parties[best]), count[best])) < 0)
			break;
	}
	bloc_free(done);
	return err;
}

/* Seat s of the layer: its favourite's colour at its class's strength and "LAB 0.62 (lean)",
 * or no data and "no favourite" for a seat without candidates. */
static int layer_seat(bloc_map_layer *L, const bloc_forecast_summary *sm, const bloc_party *parties,
                      size_t s, size_t *count)
{
	const size_t f = sm->favourite[s];
	char text[160], pr[32];
	int cls;

	if (f >= sm->nparties) {
		L->fill[s][0] = '\0';
		L->party[s] = BLOC_PARTY_NONE;
		L->value[s] = NAN;
		snprintf(text, sizeof(text), "no favourite (no candidates)");
	} else {
		cls = sm->cls[s] >= BLOC_CLASS_TOSSUP && sm->cls[s] <= BLOC_CLASS_SAFE
		          ? sm->cls[s]
		          : BLOC_CLASS_TOSSUP;
		class_colour(L->fill[s], bloc_party_colour(parties[f]), cls);
		L->party[s] = parties[f];
		L->value[s] = sm->p_favourite[s];
		snprintf(text, sizeof(text), "%s %s (%s)", bloc_party_code(parties[f]),
		         bloc__fmt(pr, sizeof(pr), sm->p_favourite[s], 2),
		         bloc_forecast_class_name(cls));
		count[f]++;
	}
	if (!(L->text[s] = bloc_strdup(text)))
		return bloc_error_oom("drawing the forecast map: seat %zu", s);
	return BLOC_OK;
}

static int forecast_layer(bloc_map_layer *L, const bloc_contest *c, const bloc_forecast_summary *sm,
                          const bloc_party *parties, const char *title)
{
	size_t S = c->nseats, k = S ? S : 1, s, none = 0, *count;
	char buf[512], sims[32];
	int cls, err = BLOC_OK;

	memset(L, 0, sizeof(*L));
	count = bloc_calloc(sm->nparties + 1, sizeof(size_t));
	L->fill = bloc_calloc(k, sizeof(*L->fill));
	L->text = bloc_calloc(k, sizeof(char *));
	L->party = bloc_malloc(k * sizeof(bloc_party));
	L->value = bloc_malloc(k * sizeof(double));
	if (!count || !L->fill || !L->text || !L->party || !L->value) {
		err = bloc_error_oom("drawing the forecast map (%zu seats)", S);
		goto done;
	}
	L->n = S;
	for (s = 0; s < S; s++) {
		if ((err = layer_seat(L, sm, parties, s, count)) < 0)
			goto done;
		none += sm->favourite[s] >= sm->nparties;
	}
	if (title && *title)
		snprintf(buf, sizeof(buf), "%s", title);
	else
		snprintf(buf, sizeof(buf), "Forecast: the favourite in each seat, %s", c->id);
	if (!(L->title = bloc_strdup(buf))) {
		err = bloc_error_oom("drawing the forecast map: its title");
		goto done;
	}
	snprintf(buf, sizeof(buf),
	         "Each seat in the colour of its favourite, the party that won it in the most of "
	         "%s simulations, paler the less often.",
	         bloc__fmt_int(sims, sizeof(sims), (long long)sm->kept));
	if (!(L->note = bloc_strdup(buf))) {
		err = bloc_error_oom("drawing the forecast map: its note");
		goto done;
	}
	if ((err = legend_favourites(L, count, sm->nparties, parties)) < 0)
		goto done;
	for (cls = BLOC_CLASS_SAFE; cls >= BLOC_CLASS_TOSSUP; cls--) {
		char col[8];
		class_colour(col, CLASS_SWATCH, cls);
		if ((err = bloc__map_legend_add(L, col, "%s", class_label[cls])) < 0)
			goto done;
	}
	if (none &&
	    (err = bloc__map_legend_add(L, BLOC_MAP_NO_DATA, "no favourite (%zu)", none)) < 0)
		goto done;
done:
	bloc_free(count);
	if (err < 0)
		bloc_map_layer_dispose(L);
	return err;
}

int bloc_render_forecast_map(bloc_buf *out, const bloc_hexmap *hm, const bloc_contest *c,
                             const bloc_forecast_summary *sm, const bloc_party *parties,
                             const char *title)
{
	bloc_map_options o = BLOC_MAP_OPTIONS_INIT;
	bloc_map_layer L;
	bloc_buf doc = BLOC_BUF_INIT;
	int err;

	if (!out || !hm || !c || !sm || !parties)
		return bloc_error_set(BLOC_EINVAL, "forecast map: nothing to draw");
	if (sm->nseats != c->nseats)
		return bloc_error_set(
		    BLOC_EINVAL, "forecast map: the forecast has %zu seats, contest %s has %zu",
		    sm->nseats, c->id, c->nseats);
	if ((err = forecast_layer(&L, c, sm, parties, title)) < 0)
		return err;
	o.id = "forecast-map";
	o.standalone = 1;
	if ((err = bloc_hexmap_svg(&doc, hm, c, &L, &o)) >= 0)
		err = append_document(out, &doc, "drawing the forecast map");
	bloc_buf_dispose(&doc);
	bloc_map_layer_dispose(&L);
	return err;
}

/* ---- the seat distributions ---------------------------------------------------------------- */

/* The look the charts share (svg_int.h). */
#define PAD         BLOC__CHART_PAD
#define TITLE_SIZE  BLOC__CHART_TITLE_SIZE
#define LABEL_SIZE  BLOC__CHART_LABEL_SIZE
#define SMALL_SIZE  BLOC__CHART_SMALL_SIZE
#define GRID_COLOUR BLOC__CHART_GRID
#define MARK_COLOUR "#222222"
#define WIDTH       720.0
#define ROW         50.0 /* one party */
#define HIST_H      34.0 /* its tallest bar */
#define MAX_ROWS    8
#define NOTE_LINES  4

static const char *num(char *buf, double v, int decimals)
{
	return bloc__fmt(buf, 32, v, decimals);
}

/* The layout: seats 0..hi on the x axis (seat k's bar centred on k), a row per party. */
struct dist_layout {
	double width, plot_x, plot_w, top, hi, step;
	size_t m;
};

static double xpx(const struct dist_layout *L, double seats)
{
	return L->plot_x + (seats + 0.5) / (L->hi + 1) * L->plot_w;
}

/* The parties to draw: a seat at the top of their 90% interval, largest median first (then
 * mean, then column), at most MAX_ROWS. @return how many. */
static size_t dist_order(const bloc_forecast_summary *sm, size_t *order)
{
	size_t p, i, j, m = 0;

	for (p = 0; p < sm->nparties; p++)
		if (sm->hi90[p] >= 1)
			order[m++] = p;
	for (i = 1; i < m; i++) {
		size_t x = order[i];
		for (j = i; j > 0; j--) {
			size_t y = order[j - 1];
			if (sm->median[y] > sm->median[x] ||
			    (sm->median[y] == sm->median[x] && !(sm->mean[x] > sm->mean[y])))
				break;
			order[j] = y;
		}
		order[j] = x;
	}
	return m < MAX_ROWS ? m : MAX_ROWS;
}

/* The step outline of party p's counts over seats [from, to], scaled so `maxc` is HIST_H tall
 * above `base`, filled with `fill`. */
static void dist_area(bloc_buf *b, const struct dist_layout *L, const uint64_t *h, double from,
                      double to, uint64_t maxc, double base, const char *fill)
{
	char xs[32], ys[32];
	size_t k, lo, hi;

	if (!(from <= to) || to < 0)
		return;
	lo = from > 0 ? (size_t)from : 0;
	hi = to < L->hi ? (size_t)to : (size_t)L->hi;
	if (lo > hi)
		return;
	bloc_buf_printf(b, "<path fill=\"%s\" d=\"M%s,%s", fill, num(xs, xpx(L, lo - 0.5), 2),
	                num(ys, base, 2));
	for (k = lo; k <= hi; k++) {
		double y = base - HIST_H * (double)h[k] / (double)maxc;
		num(ys, y, 2);
		bloc_buf_printf(b, "L%s,%s", num(xs, xpx(L, k - 0.5), 2), ys);
		bloc_buf_printf(b, "L%s,%s", num(xs, xpx(L, k + 0.5), 2), ys);
	}
	bloc_buf_printf(b, "L%s,%sZ\"/>\n", num(xs, xpx(L, hi + 0.5), 2), num(ys, base, 2));
}

/* The figures under a party's name: "median 412, 90% 380-440". */
static void dist_figures(char *buf, size_t n, const bloc_forecast_summary *sm, size_t p)
{
	char md[32], l9[32], h9[32];

	snprintf(buf, n, "median %s, 90%% %s-%s", num(md, sm->median[p], 0),
	         num(l9, sm->lo90[p], 0), num(h9, sm->hi90[p], 0));
}

/* Row i: party p's name and figures, its counts (pale outside its 90% interval, mid-tone
 * inside it, full colour inside its 50% interval) and its median. */
static void dist_row(bloc_buf *b, const struct dist_layout *L, size_t i, const bloc_forecast *f,
                     const bloc_forecast_summary *sm, bloc_party party, size_t p)
{
	const uint64_t *h = f->seats + p * (f->nseats + 1);
	const char *colour = bloc_party_colour(party);
	double y0 = L->top + (double)i * ROW, base = y0 + ROW - 10, x;
	char pale[8], mid[8], md[32], l5[32], h5[32], l9[32], h9[32], pm[32], t[128];
	size_t k, first = SIZE_MAX, last = 0;
	uint64_t maxc = 0;

	for (k = 0; k <= f->nseats; k++)
		if (h[k]) {
			first = first == SIZE_MAX ? k : first;
			last = k;
			maxc = h[k] > maxc ? h[k] : maxc;
		}
	num(md, sm->median[p], 0);
	num(l5, sm->lo50[p], 0);
	num(h5, sm->hi50[p], 0);
	num(l9, sm->lo90[p], 0);
	num(h9, sm->hi90[p], 0);
	if (isfinite(sm->p_majority[p]))
		num(pm, sm->p_majority[p], 3);
	else
		snprintf(pm, sizeof(pm), "-");
	bloc__colour_mix(pale, "#FFFFFF", colour, 0.3);
	bloc__colour_mix(mid, "#FFFFFF", colour, 0.6);
	bloc_buf_printf(b, "<g class=\"party\" data-party=\"%s\"><title>", bloc_party_code(party));
	bloc_buf_put_xml(b, bloc_party_name(party));
	bloc_buf_printf(b,
	                ": median %s seats; 50%% interval %s to %s; 90%% interval %s to %s; "
	                "p(majority) %s</title>\n",
	                md, l5, h5, l9, h9, pm);
	bloc__svg_text_at(b, L->plot_x - 8, y0 + 20, "end", LABEL_SIZE, NULL,
	                  bloc_party_name(party));
	dist_figures(t, sizeof(t), sm, p);
	bloc__svg_text_at(b, L->plot_x - 8, y0 + 35, "end", SMALL_SIZE, "#555555", t);
	bloc__svg_line(b, L->plot_x, base, L->plot_x + L->plot_w, base, GRID_COLOUR, 1, 0);
	if (maxc) {
		dist_area(b, L, h, (double)first, (double)last, maxc, base, pale);
		dist_area(b, L, h, sm->lo90[p], sm->hi90[p], maxc, base, mid);
		dist_area(b, L, h, sm->lo50[p], sm->hi50[p], maxc, base, colour);
	}
	x = xpx(L, sm->median[p]);
	bloc__svg_line(b, x, base - HIST_H - 3, x, base + 3, MARK_COLOUR, 1.5, 0);
	bloc_buf_puts(b, "</g>\n");
}

/* The seat axis: a grid line through the bars' centres and a label at every tick, "seats"
 * under them. */
static void dist_axis(bloc_buf *b, const struct dist_layout *L)
{
	double v, bottom = L->top + (double)L->m * ROW;
	char t[32];

	bloc_buf_puts(b, "<g class=\"axis\">\n");
	for (v = 0; v <= L->hi + L->step / 2; v += L->step) {
		double x = xpx(L, v);
		bloc__svg_line(b, x, L->top, x, bottom, GRID_COLOUR, 1, 0);
		bloc__svg_text_at(b, x, bottom + 14, "middle", SMALL_SIZE, "#555555", num(t, v, 0));
	}
	bloc__svg_text_at(b, L->plot_x + L->plot_w / 2, bottom + 30, "middle", SMALL_SIZE, NULL,
	                  "seats");
	bloc_buf_puts(b, "</g>\n");
}

/* The majority: a dashed line between majority - 1 and majority seats (a bar right of it is a
 * majority), labelled above the rows. */
static void dist_majority(bloc_buf *b, const struct dist_layout *L, size_t majority)
{
	double x = xpx(L, (double)majority - 0.5), bottom = L->top + (double)L->m * ROW;
	const char *anchor = "middle";
	char t[64], v[32];

	snprintf(t, sizeof(t), "majority: %s", bloc__fmt_int(v, sizeof(v), (long long)majority));
	if (x - bloc__text_width(t, SMALL_SIZE) / 2 < L->plot_x)
		anchor = "start";
	else if (x + bloc__text_width(t, SMALL_SIZE) / 2 > L->plot_x + L->plot_w)
		anchor = "end";
	bloc_buf_puts(b, "<g class=\"majority\">\n");
	bloc__svg_line(b, x, L->top - 6, x, bottom, MARK_COLOUR, 1, 1);
	bloc__svg_text_at(b, x, L->top - 9, anchor, SMALL_SIZE, MARK_COLOUR, t);
	bloc_buf_puts(b, "</g>\n");
}

/* The note under the chart from y, wrapped to the width; drawn when `b` is given. @return its
 * lines. */
static size_t dist_note(bloc_buf *b, const struct dist_layout *L, const char *note, double y)
{
	size_t start[NOTE_LINES], len[NOTE_LINES], n, i;

	n = bloc__wrap(note, (L->width - 2 * PAD) * 0.9, SMALL_SIZE, start, len, NOTE_LINES);
	for (i = 0; b && i < n; i++) {
		char *text = bloc_strndup(note + start[i], len[i]);
		bloc__svg_text_at(b, PAD, y + (double)i * 15, "start", SMALL_SIZE, "#555555",
		                  text ? text : "");
		bloc_free(text);
	}
	return n;
}

static int dist_check(const bloc_forecast *f, const bloc_forecast_summary *sm)
{
	if (f->nseats != sm->nseats || f->nparties != sm->nparties || !f->seats)
		return bloc_error_set(BLOC_EINVAL,
		                      "forecast chart: the counts (%zu seats, %zu parties) are not "
		                      "the summary's (%zu seats, %zu parties)",
		                      f->nseats, f->nparties, sm->nseats, sm->nparties);
	if (f->kept == 0)
		return bloc_error_set(BLOC_EINVAL, "forecast chart: no simulation to draw");
	return BLOC_OK;
}

/* The x axis (0 to the largest count drawn or the majority, rounded up to a tick) and the
 * columns: the labels' as wide as the widest name or figures. */
static void dist_layout_for(struct dist_layout *L, const bloc_forecast *f,
                            const bloc_forecast_summary *sm, const bloc_party *parties,
                            const size_t *order, size_t majority)
{
	double label_w = 0, w, most = (double)majority;
	char t[128];
	size_t i, k;

	for (i = 0; i < L->m; i++) {
		const size_t p = order[i];
		const uint64_t *h = f->seats + p * (f->nseats + 1);
		for (k = f->nseats + 1; k-- > 0;)
			if (h[k]) {
				most = (double)k > most ? (double)k : most;
				break;
			}
		dist_figures(t, sizeof(t), sm, p);
		w = bloc__text_width(t, SMALL_SIZE);
		label_w = w > label_w ? w : label_w;
		w = bloc__text_width(bloc_party_name(parties[p]), LABEL_SIZE);
		label_w = w > label_w ? w : label_w;
	}
	L->width = WIDTH;
	if (label_w > L->width * 0.4)
		label_w = L->width * 0.4;
	L->plot_x = PAD + label_w + 12;
	L->plot_w = L->width - L->plot_x - PAD - 10;
	L->step = bloc__nice_step(most > 0 ? most : 1, 8);
	if (L->step < 1)
		L->step = 1;
	L->hi = ceil(most / L->step) * L->step;
	if (L->hi < L->step)
		L->hi = L->step;
	L->top = PAD + TITLE_SIZE - 2 + 14 + 22;
}

int bloc_render_forecast_chart(bloc_buf *out, const bloc_forecast *f,
                               const bloc_forecast_summary *sm, const bloc_party *parties,
                               size_t majority, const char *title)
{
	size_t order[BLOC_FORECAST_MAX_PARTIES], *ord = order, i, nlines;
	struct dist_layout L;
	bloc_buf doc = BLOC_BUF_INIT;
	char ttl[256], note[512], sims[32], ts[32];
	double bottom, height;
	int err;

	if (!out || !f || !sm || !parties)
		return bloc_error_set(BLOC_EINVAL, "forecast chart: nothing to draw");
	if ((err = dist_check(f, sm)) < 0)
		return err;
	if (sm->nparties > BLOC_FORECAST_MAX_PARTIES &&
	    !(ord = bloc_calloc(sm->nparties, sizeof(size_t))))
		return bloc_error_oom("drawing the forecast chart");
	if ((L.m = dist_order(sm, ord)) == 0) {
		err = bloc_error_set(BLOC_EINVAL,
		                     "forecast chart: no party has a seat in its 90%% interval");
		goto done;
	}
	if (majority == 0)
		majority = f->nseats / 2 + 1;
	dist_layout_for(&L, f, sm, parties, ord, majority);
	bloc__fmt_int(sims, sizeof(sims), (long long)f->kept);
	if (title && *title)
		snprintf(ttl, sizeof(ttl), "%s", title);
	else
		snprintf(ttl, sizeof(ttl), "Forecast: seats by party in %s simulations", sims);
	snprintf(note, sizeof(note),
	         "Each party's bars: how many of the %s simulations give it each number of seats "
	         "(its most likely number as tall as the row). Full colour: its 50%% interval; "
	         "mid-tone: its 90%% interval; black line: its median.",
	         sims);
	bottom = L.top + (double)L.m * ROW;
	nlines = dist_note(NULL, &L, note, 0);
	height = bottom + 30 + 22 + (double)nlines * 15 + PAD;

	bloc__svg_open(&doc, ceil(L.width), ceil(height), 1, "forecast-chart", ttl, NULL);
	bloc_buf_printf(&doc,
	                "<text class=\"title\" x=\"%g\" y=\"%s\" font-size=\"%g\" "
	                "font-weight=\"bold\">",
	                PAD, num(ts, PAD + TITLE_SIZE - 2, 1), TITLE_SIZE);
	bloc_buf_put_xml(&doc, ttl);
	bloc_buf_puts(&doc, "</text>\n");
	dist_axis(&doc, &L);
	for (i = 0; i < L.m; i++)
		dist_row(&doc, &L, i, f, sm, parties[ord[i]], ord[i]);
	dist_majority(&doc, &L, majority);
	dist_note(&doc, &L, note, bottom + 30 + 22);
	bloc_buf_puts(&doc, "</svg>\n");
	err = append_document(out, &doc, "drawing the forecast chart");
done:
	bloc_buf_dispose(&doc);
	if (ord != order)
		bloc_free(ord);
	return err;
}
