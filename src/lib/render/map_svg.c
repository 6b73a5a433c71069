/* Map layers (what each seat looks like, from a result) and the hex map as SVG. A layer only
 * turns figures the analysis computed into colours and words; it computes none of its own
 * beyond a share of a seat's votes. */
#include "bloc/hexmap.h"

#include "bloc/error.h"
#include "../core/alloc.h"
#include "../data/hexmap_int.h"
#include "svg_int.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- layers -------------------------------------------------------------------------------- */

void bloc_map_layer_dispose(bloc_map_layer *L)
{
	size_t i;

	if (!L)
		return;
	if (L->text)
		for (i = 0; i < L->n; i++)
			bloc_free(L->text[i]);
	for (i = 0; i < L->nlegend; i++)
		bloc_free(L->legend[i].label);
	bloc_free(L->text);
	bloc_free(L->fill);
	bloc_free(L->party);
	bloc_free(L->value);
	bloc_free(L->title);
	bloc_free(L->note);
	bloc_free(L->legend);
	memset(L, 0, sizeof(*L));
}

static int layer_start(bloc_map_layer *L, size_t n)
{
	size_t i, k = n ? n : 1;

	memset(L, 0, sizeof(*L));
	L->fill = bloc_calloc(k, sizeof(*L->fill));
	L->text = bloc_calloc(k, sizeof(char *));
	L->party = bloc_malloc(k * sizeof(bloc_party));
	L->value = bloc_malloc(k * sizeof(double));
	if (!L->fill || !L->text || !L->party || !L->value) {
		bloc_map_layer_dispose(L);
		return bloc_error_oom("drawing a map layer (%zu seats)", n);
	}
	L->n = n;
	for (i = 0; i < n; i++) {
		L->party[i] = BLOC_PARTY_NONE;
		L->value[i] = NAN;
	}
	return BLOC_OK;
}

static int layer_title(bloc_map_layer *L, const char *fmt, ...) BLOC_PRINTF(2, 3);
static int layer_title(bloc_map_layer *L, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	bloc_free(L->title);
	if (!(L->title = bloc_strdup(buf)))
		return bloc_error_oom("drawing a map layer: its title");
	return BLOC_OK;
}

static int layer_note(bloc_map_layer *L, const char *text)
{
	bloc_free(L->note);
	if (!(L->note = bloc_strdup(text)))
		return bloc_error_oom("drawing a map layer: its note");
	return BLOC_OK;
}

/* Seat s: fill colour, tooltip text (printf), party and value. */
static int layer_seat(bloc_map_layer *L, size_t s, const char *fill, bloc_party p, double value,
                      const char *fmt, ...) BLOC_PRINTF(6, 7);
static int layer_seat(bloc_map_layer *L, size_t s, const char *fill, bloc_party p, double value,
                      const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	snprintf(L->fill[s], sizeof(L->fill[s]), "%s", fill ? fill : "");
	L->party[s] = p;
	L->value[s] = value;
	bloc_free(L->text[s]);
	if (!(L->text[s] = bloc_strdup(buf)))
		return bloc_error_oom("drawing a map layer: seat %zu", s);
	return BLOC_OK;
}

int bloc__map_legend_add(bloc_map_layer *L, const char *colour, const char *fmt, ...)
{
	bloc_map_legend_item *items;
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (!(items = bloc_realloc(L->legend, (L->nlegend + 1) * sizeof(*items))))
		return bloc_error_oom("drawing a map legend");
	L->legend = items;
	snprintf(items[L->nlegend].colour, sizeof(items[L->nlegend].colour), "%s", colour);
	if (!(items[L->nlegend].label = bloc_strdup(buf)))
		return bloc_error_oom("drawing a map legend");
	L->nlegend++;
	return BLOC_OK;
}

/* Legend entries "Labour (411)", or with `gains` "Labour: 12 gains", for the parties in
 * `party` (n seats; only those with use[i] when `use` is given), by count then registry order. */
static int legend_parties(bloc_map_layer *L, const bloc_party *party, const unsigned char *use,
                          size_t n, const char *(*colour)(bloc_party), int gains)
{
	size_t np = bloc_party_count(), i, *count;
	int err = BLOC_OK;

	if (!(count = bloc_calloc(np + 1, sizeof(size_t))))
		return bloc_error_oom("drawing a map legend");
	for (i = 0; i < n; i++)
		if ((!use || use[i]) && party[i] != BLOC_PARTY_NONE && party[i] < np)
			count[party[i]]++;
	for (;;) {
		size_t best = np;
		for (i = 0; i < np; i++)
			if (count[i] && (best == np || count[i] > count[best]))
				best = i;
		if (best == np)
			break;
		err = gains ? bloc__map_legend_add(L, colour((bloc_party)best), "%s: %zu gain%s",
		                                   bloc_party_name((bloc_party)best), count[best],
		                                   count[best] == 1 ? "" : "s")
		            : bloc__map_legend_add(L, colour((bloc_party)best), "%s (%zu)",
		                                   bloc_party_name((bloc_party)best), count[best]);
		if (err < 0)
			break;
		count[best] = 0;
	}
	bloc_free(count);
	return err;
}

/* The title of a seat without a winner: a seat with no valid votes says so. */
static const char *no_winner_text(const bloc_contest *c, size_t s)
{
	return c->valid[s] <= 0 ? "no votes, no winner" : "no result";
}

int bloc_map_layer_winner(bloc_map_layer *out, const bloc_contest *c, const bloc_seat_results *r)
{
	size_t s;
	char pct[32];
	int err;

	if ((err = layer_start(out, c->nseats)) < 0)
		return err;
	if (r->n != c->nseats) {
		err = bloc_error_set(BLOC_EINVAL, "map: seat results are not of contest %s", c->id);
		goto fail;
	}
	for (s = 0; s < c->nseats; s++) {
		bloc_party w = r->winner_party[s];
		double share;
		if (w == BLOC_PARTY_NONE || r->winner[s] == BLOC_NO_WINNER) {
			if ((err = layer_seat(out, s, "", BLOC_PARTY_NONE, NAN, "%s",
			                      no_winner_text(c, s))) < 0)
				goto fail;
			continue;
		}
		share = c->valid[s] > 0
		            ? 100.0 * (double)c->cand_votes[r->winner[s]] / (double)c->valid[s]
		            : NAN;
		if ((err = layer_seat(out, s, bloc_party_colour(w), w, share, "%s %s%%",
		                      bloc_party_code(w), bloc__fmt(pct, sizeof(pct), share, 1))) <
		    0)
			goto fail;
	}
	if ((err = layer_title(out, "Winner in each seat, %s", c->id)) < 0 ||
	    (err = legend_parties(out, r->winner_party, NULL, c->nseats, bloc_party_colour, 0)) < 0)
		goto fail;
	return BLOC_OK;
fail:
	bloc_map_layer_dispose(out);
	return err;
}

static int check_projection(const bloc_contest *c, const bloc_projection *p)
{
	if (p->nseats != c->nseats)
		return bloc_error_set(BLOC_EINVAL, "map: the projection is not of contest %s",
		                      c->id);
	return BLOC_OK;
}

static long projection_col(const bloc_projection *p, bloc_party party)
{
	size_t k;

	for (k = 0; k < p->nparties; k++)
		if (p->parties[k] == party)
			return (long)k;
	return -1;
}

int bloc_map_layer_projected_winner(bloc_map_layer *out, const bloc_contest *c,
                                    const bloc_projection *p)
{
	size_t s;
	char pct[32];
	int err;

	if ((err = check_projection(c, p)) < 0 || (err = layer_start(out, c->nseats)) < 0)
		return err;
	for (s = 0; s < c->nseats; s++) {
		bloc_party w = p->winner[s], b = p->winner_base[s];
		long col = projection_col(p, w);
		double share = col >= 0 ? 100.0 * p->share[s * p->nparties + (size_t)col] : NAN;
		if (w == BLOC_PARTY_NONE) {
			err = layer_seat(out, s, "", BLOC_PARTY_NONE, NAN, "%s",
			                 no_winner_text(c, s));
		} else if (b != w && b != BLOC_PARTY_NONE) {
			err = layer_seat(out, s, bloc_party_colour(w), w, share, "%s %s%% (was %s)",
			                 bloc_party_code(w), bloc__fmt(pct, sizeof(pct), share, 1),
			                 bloc_party_code(b));
		} else {
			err = layer_seat(out, s, bloc_party_colour(w), w, share, "%s %s%%",
			                 bloc_party_code(w), bloc__fmt(pct, sizeof(pct), share, 1));
		}
		if (err < 0)
			goto fail;
	}
	if ((err = layer_title(out, "Projected winner in each seat, from %s", c->id)) < 0 ||
	    (err = legend_parties(out, p->winner, NULL, c->nseats, bloc_party_colour, 0)) < 0)
		goto fail;
	return BLOC_OK;
fail:
	bloc_map_layer_dispose(out);
	return err;
}

/* Shares in 10-point classes: 0-10, ..., 60-70, 70+. */
#define SHARE_CLASSES 8

static void share_class_colour(char out[8], bloc_party p, int k)
{
	bloc__colour_ramp(out, bloc_party_colour(p), (k + 1.0) / SHARE_CLASSES);
}

static int share_legend(bloc_map_layer *L, bloc_party p)
{
	char col[8];
	int k, err;

	for (k = SHARE_CLASSES - 1; k >= 0; k--) {
		share_class_colour(col, p, k);
		if (k == SHARE_CLASSES - 1)
			err = bloc__map_legend_add(L, col, "%d%% or more", k * 10);
		else
			err = bloc__map_legend_add(L, col, "%d to %d%%", k * 10, (k + 1) * 10);
		if (err < 0)
			return err;
	}
	return BLOC_OK;
}

static int share_seat(bloc_map_layer *L, size_t s, bloc_party p, double share, int stood)
{
	char col[8], pct[32];
	int k;

	if (!isfinite(share))
		return layer_seat(L, s, "", p, NAN, "no votes recorded");
	k = (int)floor(share / 10);
	k = k < 0 ? 0 : k >= SHARE_CLASSES ? SHARE_CLASSES - 1 : k;
	share_class_colour(col, p, k);
	return layer_seat(L, s, col, p, share, "%s %s%%%s", bloc_party_code(p),
	                  bloc__fmt(pct, sizeof(pct), share, 1), stood ? "" : " (no candidate)");
}

int bloc_map_layer_share(bloc_map_layer *out, const bloc_contest *c, bloc_party p)
{
	long col = bloc_contest_party_col(c, p);
	size_t s, k;
	int err;

	if (col < 0)
		return bloc_error_set(BLOC_ENOTFOUND, "map: no %s candidate stood in %s",
		                      bloc_party_code(p), c->id);
	if ((err = layer_start(out, c->nseats)) < 0)
		return err;
	for (s = 0; s < c->nseats; s++) {
		/* the party's candidate: for IND the leading independent, never a sum of several */
		long lead = bloc_contest_leading(c, s, p);
		double share = c->valid[s] > 0
		                   ? 100.0 *
		                         (double)(lead >= 0 ? c->cand_votes[lead]
		                                            : c->votes[s * c->nparties + col]) /
		                         (double)c->valid[s]
		                   : NAN;
		int stood = 0;
		for (k = c->cand_off[s]; k < c->cand_off[s + 1] && !stood; k++)
			stood = c->cand_party[k] == p;
		if ((err = share_seat(out, s, p, share, stood)) < 0)
			goto fail;
	}
	if ((err = layer_title(out, "%s share of the vote, %s", bloc_party_name(p), c->id)) < 0 ||
	    (err = share_legend(out, p)) < 0)
		goto fail;
	return BLOC_OK;
fail:
	bloc_map_layer_dispose(out);
	return err;
}

int bloc_map_layer_projected_share(bloc_map_layer *out, const bloc_contest *c,
                                   const bloc_projection *p, bloc_party party)
{
	long col;
	size_t s;
	int err;

	if ((err = check_projection(c, p)) < 0)
		return err;
	party = bloc_party_successor(party);
	if ((col = projection_col(p, party)) < 0)
		return bloc_error_set(BLOC_ENOTFOUND,
		                      "map: %s has no votes in the projection of %s",
		                      bloc_party_code(party), c->id);
	if ((err = layer_start(out, c->nseats)) < 0)
		return err;
	for (s = 0; s < c->nseats; s++) {
		double share = 100.0 * p->share[s * p->nparties + (size_t)col];
		if ((err = share_seat(out, s, party, share, 1)) < 0)
			goto fail;
	}
	if ((err = layer_title(out, "%s projected share of the vote, from %s",
	                       bloc_party_name(party), c->id)) < 0 ||
	    (err = share_legend(out, party)) < 0)
		goto fail;
	return BLOC_OK;
fail:
	bloc_map_layer_dispose(out);
	return err;
}

/* Diverging classes: up to SWING_CLASSES of `step` points on each side of 0. */
#define SWING_CLASSES 5

static void swing_colour(char out[8], const char *side, int k, int nk)
{
	bloc__colour_mix(out, "#F7F7F7", side, (k + 1.0) / nk);
}

int bloc_map_layer_swing(bloc_map_layer *out, const bloc_contest *to, const bloc_swing *s,
                         double step)
{
	const char *ca = bloc_party_colour(s->a), *cb = bloc_party_colour(s->b);
	char col[8], num[32], lo[32], hi[32];
	double maxabs = 0;
	size_t i, uncontested = 0;
	int nk, k, dec, err;

	for (i = 0; i < s->n; i++) {
		if (s->to_seat[i] >= to->nseats)
			return bloc_error_set(BLOC_EINVAL, "map: the swing is not to contest %s",
			                      to->id);
		if (isfinite(s->butler[i]) && fabs(s->butler[i]) > maxabs)
			maxabs = fabs(s->butler[i]);
	}
	if (!(step > 0))
		step = bloc__nice_step(maxabs > 0 ? maxabs : 1, SWING_CLASSES);
	nk = (int)ceil(maxabs / step);
	nk = nk < 1 ? 1 : nk > SWING_CLASSES ? SWING_CLASSES : nk;
	if ((err = layer_start(out, to->nseats)) < 0)
		return err;
	for (i = 0; i < to->nseats; i++)
		if ((err = layer_seat(out, i, "", BLOC_PARTY_NONE, NAN, "no comparable result")) <
		    0)
			goto fail;
	for (i = 0; i < s->n; i++) {
		double b = s->butler[i];
		size_t seat = s->to_seat[i];
		if (!isfinite(b))
			continue;
		/* neither party stood in either contest: no swing to show, not a swing of 0 */
		if (!bloc_swing_contested(s, i)) {
			uncontested++;
			if ((err = layer_seat(out, seat, BLOC_MAP_NOT_CONTESTED, BLOC_PARTY_NONE,
			                      NAN, "not contested by %s or %s",
			                      bloc_party_code(s->a), bloc_party_code(s->b))) < 0)
				goto fail;
			continue;
		}
		k = (int)floor(fabs(b) / step);
		k = k >= nk ? nk - 1 : k;
		swing_colour(col, b >= 0 ? cb : ca, k, nk);
		if ((err = layer_seat(out, seat, col, b >= 0 ? s->b : s->a, b,
		                      "%s points to %s (Butler swing %s to %s)",
		                      bloc__fmt(num, sizeof(num), fabs(b), 1),
		                      bloc_party_code(b >= 0 ? s->b : s->a), bloc_party_code(s->a),
		                      bloc_party_code(s->b))) < 0)
			goto fail;
	}
	if ((err = layer_title(out, "Butler swing %s to %s, %zu seats compared, to %s",
	                       bloc_party_code(s->a), bloc_party_code(s->b), s->n, to->id)) < 0)
		goto fail;
	dec = fabs(step - round(step)) < 1e-9 ? 0 : 1;
	for (k = nk - 1; k >= 0; k--) {
		swing_colour(col, ca, k, nk);
		bloc__fmt(lo, sizeof(lo), k * step, dec);
		bloc__fmt(hi, sizeof(hi), (k + 1) * step, dec);
		err = k == nk - 1 ? bloc__map_legend_add(out, col, "%s or more to %s", lo,
		                                         bloc_party_code(s->a))
		                  : bloc__map_legend_add(out, col, "%s to %s to %s", lo, hi,
		                                         bloc_party_code(s->a));
		if (err < 0)
			goto fail;
	}
	for (k = 0; k < nk; k++) {
		swing_colour(col, cb, k, nk);
		bloc__fmt(lo, sizeof(lo), k * step, dec);
		bloc__fmt(hi, sizeof(hi), (k + 1) * step, dec);
		err = k == nk - 1 ? bloc__map_legend_add(out, col, "%s or more to %s", lo,
		                                         bloc_party_code(s->b))
		                  : bloc__map_legend_add(out, col, "%s to %s to %s", lo, hi,
		                                         bloc_party_code(s->b));
		if (err < 0)
			goto fail;
	}
	if ((uncontested &&
	     (err = bloc__map_legend_add(out, BLOC_MAP_NOT_CONTESTED, "not contested by %s or %s",
	                                 bloc_party_code(s->a), bloc_party_code(s->b))) < 0) ||
	    (err = bloc__map_legend_add(out, BLOC_MAP_NO_DATA, "no comparable result")) < 0)
		goto fail;
	return BLOC_OK;
fail:
	bloc_map_layer_dispose(out);
	return err;
}

/* A hold: a pale tint of the holder's colour. */
static void hold_colour(char out[8], bloc_party p)
{
	bloc__colour_mix(out, "#FFFFFF", bloc_party_colour(p), 0.28);
}

int bloc_map_layer_change(bloc_map_layer *out, const bloc_contest *c, const bloc_projection *p)
{
	unsigned char *gain = NULL;
	char col[8];
	size_t s;
	int err;

	if ((err = check_projection(c, p)) < 0 || (err = layer_start(out, c->nseats)) < 0)
		return err;
	if (!(gain = bloc_calloc(c->nseats ? c->nseats : 1, 1))) {
		err = bloc_error_oom("drawing the change map");
		goto fail;
	}
	for (s = 0; s < c->nseats; s++) {
		bloc_party w = p->winner[s], b = p->winner_base[s];
		if (w == BLOC_PARTY_NONE) {
			err = layer_seat(out, s, "", BLOC_PARTY_NONE, NAN, "%s",
			                 no_winner_text(c, s));
		} else if (b != w && b != BLOC_PARTY_NONE) {
			gain[s] = 1;
			err = layer_seat(out, s, bloc_party_colour(w), w, NAN, "%s gain from %s",
			                 bloc_party_code(w), bloc_party_code(b));
		} else {
			hold_colour(col, w);
			err = layer_seat(out, s, col, w, NAN, "%s hold", bloc_party_code(w));
		}
		if (err < 0)
			goto fail;
	}
	if ((err = layer_title(out, "Seats changing hands: %zu of %zu, from %s", p->changed,
	                       c->nseats, c->id)) < 0 ||
	    (err = legend_parties(out, p->winner, gain, c->nseats, bloc_party_colour, 1)) < 0)
		goto fail;
	hold_colour(col, bloc_party_oth());
	if ((err = bloc__map_legend_add(out, col,
	                                "no change (a pale tint of the holder's colour)")) < 0)
		goto fail;
	if (p->changed == 0 && (err = layer_note(out, "No seat changes hands.")) < 0)
		goto fail;
	bloc_free(gain);
	return BLOC_OK;
fail:
	bloc_free(gain);
	bloc_map_layer_dispose(out);
	return err;
}

/* Census shares (points) in classes with these lower bounds; the last is open-ended. */
static const double group_breaks[] = {0, 2, 5, 10, 20, 30, 40, 50};
#define GROUP_CLASSES (sizeof(group_breaks) / sizeof(group_breaks[0]))

static void group_colour(char out[8], size_t k)
{
	bloc__colour_mix(out, "#F2F0F7", "#3F007D", (double)k / (GROUP_CLASSES - 1));
}

int bloc_map_layer_group(bloc_map_layer *out, const bloc_contest *c, const bloc_group_shares *g)
{
	char col[8], pct[32], name[64];
	size_t s, k;
	int err;

	if (g->n != c->nseats)
		return bloc_error_set(BLOC_EINVAL, "map: the census shares are not of contest %s",
		                      c->id);
	if ((err = layer_start(out, c->nseats)) < 0)
		return err;
	for (s = 0; s < c->nseats; s++) {
		double v = 100.0 * g->share[s];
		if (!isfinite(v)) {
			err = layer_seat(out, s, "", BLOC_PARTY_NONE, NAN, "no census data");
		} else {
			for (k = GROUP_CLASSES - 1; k > 0 && v < group_breaks[k]; k--)
				;
			group_colour(col, k);
			err = layer_seat(out, s, col, BLOC_PARTY_NONE, v, "%s %s%% of residents",
			                 g->group, bloc__fmt(pct, sizeof(pct), v, 1));
		}
		if (err < 0)
			goto fail;
	}
	bloc__group_display(name, sizeof(name), g->group);
	if ((err = layer_title(out, "%s share of residents, %s, seats of %s", name,
	                       g->census ? g->census : "census", c->id)) < 0)
		goto fail;
	for (k = GROUP_CLASSES; k-- > 0;) {
		group_colour(col, k);
		err = k == GROUP_CLASSES - 1
		          ? bloc__map_legend_add(out, col, "%g%% or more", group_breaks[k])
		          : bloc__map_legend_add(out, col, "%g to %g%%", group_breaks[k],
		                                 group_breaks[k + 1]);
		if (err < 0)
			goto fail;
	}
	if ((err = bloc__map_legend_add(out, BLOC_MAP_NO_DATA, "no census data")) < 0)
		goto fail;
	return BLOC_OK;
fail:
	bloc_map_layer_dispose(out);
	return err;
}

/* Decisiveness ratio 2cG/majority: classes with these lower bounds; 1 and above is decisive. */
static const double ratio_breaks[] = {0, 0.25, 0.5, 1, 2, 4};
static const char *const ratio_colours[] = {"#DEEBF7", "#B3CDE3", "#8C96C6",
                                            "#FDAE6B", "#F16913", "#A63603"};
#define RATIO_CLASSES (sizeof(ratio_breaks) / sizeof(ratio_breaks[0]))

int bloc_map_layer_decisive(bloc_map_layer *out, const bloc_contest *c, const bloc_power *pw,
                            const char *group)
{
	char num[32], maj[32], flip[32], name[64];
	size_t s, k;
	int err;

	if (pw->n != c->nseats)
		return bloc_error_set(BLOC_EINVAL, "map: the bloc power is not of contest %s",
		                      c->id);
	if ((err = layer_start(out, c->nseats)) < 0)
		return err;
	for (s = 0; s < c->nseats; s++) {
		double v = pw->ratio[s];
		bloc_party w = pw->winner ? pw->winner[s] : BLOC_PARTY_NONE;
		if (!isfinite(v)) {
			err = layer_seat(out, s, "", w, NAN, "no census data");
		} else {
			for (k = RATIO_CLASSES - 1; k > 0 && v < ratio_breaks[k]; k--)
				;
			err = layer_seat(
			    out, s, ratio_colours[k], w, v,
			    "%s: ratio %s, %s (majority %s; %s%% of the group's voters switching "
			    "to the runner-up flip it)",
			    w == BLOC_PARTY_NONE ? "-" : bloc_party_code(w),
			    bloc__fmt(num, sizeof(num), v, 2), v > 1 ? "decisive" : "not decisive",
			    bloc__fmt_int(maj, sizeof(maj), (long long)pw->majority[s]),
			    bloc__fmt(flip, sizeof(flip), 100.0 * pw->flip_switch[s], 1));
		}
		if (err < 0)
			goto fail;
	}
	bloc__group_display(name, sizeof(name), group);
	if ((err = layer_title(out, "Where the %s vote is decisive: %zu of %zu seats, %s", name,
	                       pw->ndecisive, c->nseats, c->id)) < 0)
		goto fail;
	for (k = RATIO_CLASSES; k-- > 0;) {
		char lo[16], hi[16];
		bloc__fmt(lo, sizeof(lo), ratio_breaks[k], 2);
		if (k == RATIO_CLASSES - 1)
			err = bloc__map_legend_add(out, ratio_colours[k],
			                           "ratio %s or more (decisive)", lo);
		else
			err =
			    bloc__map_legend_add(out, ratio_colours[k], "ratio %s to %s%s", lo,
			                         bloc__fmt(hi, sizeof(hi), ratio_breaks[k + 1], 2),
			                         ratio_breaks[k] >= 1 ? " (decisive)" : "");
		if (err < 0)
			goto fail;
	}
	if ((err = bloc__map_legend_add(out, BLOC_MAP_NO_DATA, "no census data")) < 0 ||
	    (err = layer_note(out, "Ratio = 2 x cohesion x the group's voters / majority: above 1, "
	                           "the group voting as a bloc can decide the seat.")) < 0)
		goto fail;
	return BLOC_OK;
fail:
	bloc_map_layer_dispose(out);
	return err;
}

/* ---- the SVG ------------------------------------------------------------------------------- */

#define SQRT3 1.7320508075688772

static int pointy(const bloc_hexmap *m)
{
	return m->layout == BLOC_HEX_ODD_R || m->layout == BLOC_HEX_EVEN_R;
}

/* The centre of hex (q, r) in units of the hex radius, y downward (HexJSON's r runs upward). */
static void centre(const bloc_hexmap *m, int q, int r, double *x, double *y)
{
	int odd_r = (r % 2) != 0, odd_q = (q % 2) != 0;

	switch (m->layout) {
	case BLOC_HEX_ODD_R:
	case BLOC_HEX_EVEN_R:
		*x = (q + ((m->layout == BLOC_HEX_ODD_R) == odd_r ? 0.5 : 0)) * SQRT3;
		*y = -r * 1.5;
		break;
	default:
		*x = q * 1.5;
		*y = -(r + ((m->layout == BLOC_HEX_ODD_Q) == odd_q ? 0.5 : 0)) * SQRT3;
		break;
	}
}

/* Corner k (0-5) of a hex at the origin, radius 1: pointy-top from the top corner clockwise;
 * flat-top from the top-left corner clockwise. Edge e (1-6) runs from corner e-1 to corner e;
 * edge -e from corner e to corner e-1. */
static void corner(int pointy_top, int k, double *x, double *y)
{
	double a = (pointy_top ? -90.0 : -120.0) + 60.0 * (k % 6);
	double rad = a * 3.14159265358979323846 / 180.0;

	*x = cos(rad);
	*y = sin(rad);
}

struct frame {
	double size, ox, oy; /* pixel = origin + unit * size */
	double w, h;         /* the map's pixel extent */
};

static void to_px(const struct frame *f, double ux, double uy, double *px, double *py)
{
	*px = f->ox + ux * f->size;
	*py = f->oy + uy * f->size;
}

static void hex_path(bloc_buf *b, const bloc_hexmap *m, const struct frame *f, int q, int r)
{
	double ux, uy, x, y, cx, cy;
	char xs[32], ys[32];
	int k, pt = pointy(m);

	centre(m, q, r, &ux, &uy);
	to_px(f, ux, uy, &x, &y);
	bloc_buf_puts(b, "M");
	for (k = 0; k < 6; k++) {
		corner(pt, k, &cx, &cy);
		bloc_buf_printf(b, "%s%s,%s", k ? "L" : "",
		                bloc__fmt(xs, sizeof(xs), x + cx * f->size, 2),
		                bloc__fmt(ys, sizeof(ys), y + cy * f->size, 2));
	}
	bloc_buf_puts(b, "Z");
}

static void boundaries(bloc_buf *b, const bloc_hexmap *m, const struct frame *f, const char *id)
{
	size_t i, e;
	int pt = pointy(m);

	if (!m->nboundaries)
		return;
	bloc_buf_puts(b, "<g id=\"");
	bloc_buf_put_xml(b, id);
	bloc_buf_puts(b, "-boundaries\" fill=\"none\" stroke=\"#222222\" stroke-linecap=\"round\" "
	                 "stroke-linejoin=\"round\" pointer-events=\"none\">\n");
	for (i = 0; i < m->nboundaries; i++) {
		char last[80] = "";
		int country = strcmp(m->boundary_type[i], "country") == 0;
		bloc_buf_printf(b, "<path class=\"boundary\" stroke-width=\"%s\" data-name=\"",
		                country ? "2" : "1");
		bloc_buf_put_xml(b, m->boundary_name[i]);
		bloc_buf_puts(b, "\" data-type=\"");
		bloc_buf_put_xml(b, m->boundary_type[i]);
		bloc_buf_puts(b, "\" d=\"");
		for (e = m->boundary_off[i]; e < m->boundary_off[i + 1]; e++) {
			double ux, uy, x0, y0, x1, y1, cx, cy;
			char a[80], z[80], s1[32], s2[32];
			/* edge k runs from corner k-1 to corner k; -k the other way */
			int k = m->edge_e[e] > 0 ? m->edge_e[e] : -m->edge_e[e];
			int from = m->edge_e[e] > 0 ? k - 1 : k, to = m->edge_e[e] > 0 ? k : k - 1;
			centre(m, m->edge_q[e], m->edge_r[e], &ux, &uy);
			corner(pt, from, &cx, &cy);
			to_px(f, ux + cx, uy + cy, &x0, &y0);
			corner(pt, to, &cx, &cy);
			to_px(f, ux + cx, uy + cy, &x1, &y1);
			snprintf(a, sizeof(a), "%s,%s", bloc__fmt(s1, sizeof(s1), x0, 2),
			         bloc__fmt(s2, sizeof(s2), y0, 2));
			snprintf(z, sizeof(z), "%s,%s", bloc__fmt(s1, sizeof(s1), x1, 2),
			         bloc__fmt(s2, sizeof(s2), y1, 2));
			/* consecutive edges that meet continue one line */
			if (strcmp(a, last) != 0)
				bloc_buf_printf(b, "M%s", a);
			bloc_buf_printf(b, "L%s", z);
			memcpy(last, z, sizeof(z));
		}
		bloc_buf_puts(b, "\"/>\n");
	}
	bloc_buf_puts(b, "</g>\n");
}

#define LEGEND_SWATCH 12.0
#define LEGEND_LINE   17.0
#define TITLE_SIZE    15.0
#define PAD           12.0

static void text_line(bloc_buf *b, double x, double y, const char *cls, double size,
                      const char *text)
{
	char xs[32], ys[32];

	bloc_buf_printf(b, "<text class=\"%s\" x=\"%s\" y=\"%s\" font-size=\"%g\">", cls,
	                bloc__fmt(xs, sizeof(xs), x, 1), bloc__fmt(ys, sizeof(ys), y, 1), size);
	bloc_buf_put_xml(b, text);
	bloc_buf_puts(b, "</text>\n");
}

#define NOTE_SIZE  11.0
#define NOTE_LINE  14.0
#define NOTE_LINES 6

/* The notes below the map, wrapped to its width, from y = top: drawn when `b` is given.
 * @return their height. */
static double notes(bloc_buf *b, const char *note, const char *missing, double width, double top)
{
	const char *text[2] = {note, missing};
	size_t start[NOTE_LINES], len[NOTE_LINES], n, i, k;
	double y = top;

	for (k = 0; k < 2; k++) {
		if (!text[k] || !*text[k])
			continue;
		n = bloc__wrap(text[k], width - 2 * PAD, NOTE_SIZE, start, len, NOTE_LINES);
		for (i = 0; i < n; i++) {
			y += NOTE_LINE;
			if (b) {
				char *line = bloc_strndup(text[k] + start[i], len[i]);
				text_line(b, PAD, y - 3, "note", NOTE_SIZE, line ? line : "");
				bloc_free(line);
			}
		}
		y += 4;
	}
	return y - top;
}

/* The frame that fits every hex of m at o's hex size, below the title (from y = top). */
static void map_frame(const bloc_hexmap *m, const bloc_map_options *o, double top, struct frame *f)
{
	double minx = 0, maxx = 0, miny = 0, maxy = 0, hw, hh;
	int pt = pointy(m);
	size_t i;

	f->size = o->hex_size > 0 && o->hex_size <= 100 ? o->hex_size : 7.0;
	/* half the extent of a hex beyond its centre, in units */
	hw = pt ? SQRT3 / 2 : 1;
	hh = pt ? 1 : SQRT3 / 2;
	for (i = 0; i < m->n; i++) {
		double x, y;
		centre(m, m->q[i], m->r[i], &x, &y);
		if (i == 0 || x < minx)
			minx = x;
		if (i == 0 || x > maxx)
			maxx = x;
		if (i == 0 || y < miny)
			miny = y;
		if (i == 0 || y > maxy)
			maxy = y;
	}
	f->w = (maxx - minx + 2 * hw) * f->size;
	f->h = (maxy - miny + 2 * hh) * f->size;
	f->ox = PAD - (minx - hw) * f->size;
	f->oy = top - (miny - hh) * f->size;
}

/* "N seats of C have no hex in M: CODE ... and K more" ("" when every seat has one). */
static void missing_seats_note(const bloc_hexmap *m, const bloc_contest *c, char *buf, size_t n)
{
	size_t i, used;

	buf[0] = '\0';
	if (!m->nmissing)
		return;
	used = (size_t)snprintf(buf, n, "%zu seat%s of %s %s no hex in %s:", m->nmissing,
	                        m->nmissing == 1 ? "" : "s", c->id,
	                        m->nmissing == 1 ? "has" : "have", m->id);
	for (i = 0; i < m->nmissing && i < 8 && used < n; i++)
		used += (size_t)snprintf(buf + used, n - used, " %s", c->code[m->missing[i]]);
	if (m->nmissing > 8 && used < n)
		snprintf(buf + used, n - used, " and %zu more", m->nmissing - 8);
}

/* One path per hex, in the layer's colour, with its seat's code, party, value and text. */
static void map_hexes(bloc_buf *out, const bloc_hexmap *m, const bloc_contest *c,
                      const bloc_map_layer *L, const struct frame *f, const char *id)
{
	size_t i;

	bloc_buf_puts(out, "<g id=\"");
	bloc_buf_put_xml(out, id);
	bloc_buf_printf(out, "-hexes\" stroke=\"#FFFFFF\" stroke-width=\"%g\">\n",
	                f->size >= 5 ? 0.5 : 0.25);
	for (i = 0; i < m->n; i++) {
		long s = m->seat[i];
		const char *fill = s >= 0 && L->fill[s][0] ? L->fill[s] : BLOC_MAP_NO_DATA;
		bloc_buf_puts(out, "<path class=\"hex\" d=\"");
		hex_path(out, m, f, m->q[i], m->r[i]);
		bloc_buf_printf(out, "\" fill=\"%s\" data-code=\"", fill);
		bloc_buf_put_xml(out, m->code[i]);
		bloc_buf_puts(out, "\"");
		if (s >= 0 && L->party[s] != BLOC_PARTY_NONE)
			bloc_buf_printf(out, " data-party=\"%s\"", bloc_party_code(L->party[s]));
		if (s >= 0 && isfinite(L->value[s])) {
			char v[32];
			bloc_buf_printf(out, " data-value=\"%s\"",
			                bloc__fmt(v, sizeof(v), L->value[s], 2));
		}
		bloc_buf_puts(out, "><title>");
		bloc_buf_put_xml(out, s >= 0 ? c->name[s] : m->name[i]);
		bloc_buf_puts(out, " (");
		bloc_buf_put_xml(out, m->code[i]);
		bloc_buf_puts(out, "): ");
		bloc_buf_put_xml(out, s >= 0 && L->text[s] ? L->text[s] : "no result");
		bloc_buf_puts(out, "</title></path>\n");
	}
	bloc_buf_puts(out, "</g>\n");
}

/* The label of legend line i: the layer's, then `extra` for hexes with no seat. */
static const char *legend_label(const bloc_map_layer *L, size_t i, const char *extra)
{
	return i < L->nlegend ? L->legend[i].label : extra;
}

/* The legend's lines from (x, y): a swatch and a label each. */
static void map_legend(bloc_buf *out, const bloc_map_layer *L, size_t nlegend, const char *extra,
                       double x, double y, const char *id)
{
	char xs[32], ys[32];
	size_t i;

	bloc_buf_puts(out, "<g id=\"");
	bloc_buf_put_xml(out, id);
	bloc_buf_puts(out, "-legend\" class=\"legend\" font-size=\"11\">\n");
	for (i = 0; i < nlegend; i++, y += LEGEND_LINE) {
		const char *colour = i < L->nlegend ? L->legend[i].colour : BLOC_MAP_NO_DATA;
		bloc_buf_printf(out,
		                "<rect class=\"legend-swatch\" x=\"%s\" y=\"%s\" width=\"%g\" "
		                "height=\"%g\" fill=\"%s\" stroke=\"#999999\" "
		                "stroke-width=\"0.5\"/>",
		                bloc__fmt(xs, sizeof(xs), x, 1), bloc__fmt(ys, sizeof(ys), y, 1),
		                LEGEND_SWATCH, LEGEND_SWATCH, colour);
		bloc_buf_printf(out, "<text x=\"%s\" y=\"%s\">",
		                bloc__fmt(xs, sizeof(xs), x + LEGEND_SWATCH + 6, 1),
		                bloc__fmt(ys, sizeof(ys), y + LEGEND_SWATCH - 2, 1));
		bloc_buf_put_xml(out, legend_label(L, i, extra));
		bloc_buf_puts(out, "</text>\n");
	}
	bloc_buf_puts(out, "</g>\n");
}

int bloc_hexmap_svg(bloc_buf *out, const bloc_hexmap *m, const bloc_contest *c,
                    const bloc_map_layer *L, const bloc_map_options *o)
{
	bloc_map_options def = BLOC_MAP_OPTIONS_INIT;
	const char *id;
	struct frame f;
	double legend_w = 0, legend_h = 0, top = PAD + TITLE_SIZE + 10, width, height, tw, note_y;
	char missing_note[600], extra[300];
	size_t i, nlegend;

	if (!o)
		o = &def;
	id = o->id && *o->id ? o->id : "map";
	if (!bloc__hexmap_aligned(m, c))
		return bloc_error_set(BLOC_EINVAL, "map: layout %s is not aligned to contest %s",
		                      m->id, c->id);
	if (L->n != c->nseats)
		return bloc_error_set(BLOC_EINVAL, "map: the layer is not of contest %s", c->id);
	map_frame(m, o, top, &f);
	/* hexes of seats the contest does not have (a by-election's map) get a legend line */
	snprintf(extra, sizeof(extra), "no seat of %s", c->id);
	nlegend = L->nlegend + (m->matched < m->n ? 1 : 0);
	if (o->legend && nlegend) {
		for (i = 0; i < nlegend; i++) {
			double w =
			    LEGEND_SWATCH + 8 + bloc__text_width(legend_label(L, i, extra), 11);
			legend_w = w > legend_w ? w : legend_w;
		}
		legend_w += 2 * PAD;
		legend_h = nlegend * LEGEND_LINE;
	}
	missing_seats_note(m, c, missing_note, sizeof(missing_note));
	width = PAD + f.w + legend_w + PAD;
	height = top + (f.h > legend_h ? f.h : legend_h) + PAD;
	tw = PAD + bloc__text_width(L->title ? L->title : "", TITLE_SIZE) + PAD;
	width = tw > width ? tw : width;
	note_y = height;
	height += notes(NULL, L->note, missing_note, width, note_y);

	bloc__svg_open(out, ceil(width), ceil(height), o->standalone, id, L->title, o->desc);
	bloc_buf_puts(out, "<style>.hex:hover{stroke:#000000;stroke-width:1.5}</style>\n");
	text_line(out, PAD, PAD + TITLE_SIZE - 2, "title", TITLE_SIZE, L->title ? L->title : "");
	map_hexes(out, m, c, L, &f, id);
	if (o->boundaries)
		boundaries(out, m, &f, id);
	if (o->legend && nlegend)
		map_legend(out, L, nlegend, extra, PAD + f.w + PAD, top, id);
	notes(out, L->note, missing_note, width, note_y);
	bloc_buf_puts(out, "</svg>\n");
	return bloc__doc_check(out, "drawing the map");
}
