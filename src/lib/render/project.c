/* Projections and backtests as tables. Every assumption the numbers rest on goes into the
 * metadata beside them, with its default and where it comes from, so that a table read on its
 * own says how it was made. Nothing here computes a figure the projection did not (a difference
 * or a percentage at most). */
#include "bloc/io.h"
#include "bloc/render.h"

#include "../core/alloc.h"
#include "render_int.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *party_or_null(bloc_party p)
{
	return p == BLOC_PARTY_NONE ? NULL : bloc_party_code(p);
}

static const char *const view_names[] = {"party", "seat", "changes", "flow", "group"};

int bloc_projection_view_parse(const char *name, int *out)
{
	size_t i;

	for (i = 0; i < sizeof(view_names) / sizeof(view_names[0]); i++) {
		if (strcasecmp(name, view_names[i]) == 0) {
			*out = (int)i;
			return BLOC_OK;
		}
	}
	return bloc_error_set(
	    BLOC_EINVAL, "--by: expected party, seat, changes, flow or group, found '%.40s'", name);
}

/* A party has something to show: votes or seats on either side. */
static int shown(const bloc_projection *p, size_t j)
{
	return p->seats[j] > 0 || p->seats_base[j] > 0 || p->national[j] >= 0.005 ||
	       p->national_base[j] >= 0.005;
}

static const char *model_rule(int model)
{
	switch (model) {
	case BLOC_MODEL_UNIFORM:
		return "additive (uniform) swing: seat share + (target - base share of its area) "
		       "(Electoral Calculus's UNS, research/election-models.md 1.1)";
	case BLOC_MODEL_PROPORTIONAL:
		return "proportional swing: seat share x target / base share of its area; a party "
		       "new to the area gains uniformly";
	case BLOC_MODEL_TRANSITION:
		return "transition model: falling parties lose the same fraction of their vote in "
		       "every seat, rising parties share the released votes in proportion to their "
		       "gains (Electoral Calculus 2004)";
	case BLOC_MODEL_STRONG:
		return "strong transition model: a falling party loses its weak supporters (up to "
		       "the threshold of each seat's turnout) before its strong ones; rising "
		       "parties "
		       "share the released votes (Electoral Calculus 2007)";
	}
	return "?";
}

/* The model and its threshold, with their defaults and sources. */
static int model_meta(bloc_table *t, int model, double tau)
{
	int err = BLOC_OK;

	TRY(bloc_table_meta(t, "model", "%s", bloc_model_name(model)));
	TRY(bloc_table_meta(t, "model_rule", "%s; default uniform", model_rule(model)));
	TRY(bloc_table_meta(t, "threshold", "%g", tau));
	TRY(bloc_table_meta(t, "threshold_rule",
	                    "strong-transition weak-supporter cap, as a fraction of a seat's "
	                    "turnout; used by the strong model only (default 0.2, Electoral "
	                    "Calculus)"));
	TRY(bloc_table_meta(t, "negative_shares",
	                    "a share pushed below 0 is set to 0 and the seat's other shares are "
	                    "rescaled to sum to 100"));
done:
	return err;
}

static int contest_meta(bloc_table *t, const char *key, const char *date_key, const bloc_contest *c)
{
	int err = BLOC_OK;

	if ((err = bloc_table_meta(t, key, "%s", c->id)) < 0)
		return err;
	if (c->date && *c->date)
		return bloc_table_meta(t, date_key, "%s", c->date);
	return BLOC_OK;
}

static const char *kind_name(int kind)
{
	switch (kind) {
	case BLOC_CONTEST_GENERAL:
		return "general election";
	case BLOC_CONTEST_BY:
		return "by-election";
	case BLOC_CONTEST_NOTIONAL:
		return "notional result on other boundaries";
	case BLOC_CONTEST_EXTRACT:
		return "part of a general election";
	}
	return "contest";
}

/* One "target" entry per named area: "AREA: LAB=34,CON=24". */
static int targets_meta(bloc_table *t, const bloc_scenario *sc)
{
	size_t i, j;
	int err = BLOC_OK;

	for (i = 0; i < sc->nareas; i++) {
		const bloc_area_shares *a = &sc->areas[i];
		char list[512];
		size_t n = 0;
		list[0] = '\0';
		for (j = 0; j < a->n && n < sizeof(list); j++) {
			int w = snprintf(list + n, sizeof(list) - n, "%s%s=%g", j ? "," : "",
			                 bloc_party_code(a->shares[j].party), a->shares[j].value);
			if (w < 0)
				break;
			n += (size_t)w;
		}
		TRY(bloc_table_meta(t, "target", "%s: %s", *a->area ? a->area : "national", list));
	}
done:
	return err;
}

/* The group shifts' rule, the baseline, and each group's census, source and coverage. */
static int groups_meta(bloc_table *t, const bloc_scenario *sc, const bloc_group_shares *groups,
                       const bloc_projection *p)
{
	char baseline[1024];
	size_t i, k;
	int err = BLOC_OK;

	TRY(bloc_table_meta(t, "adult_ratio", "%g", sc->adult_ratio));
	TRY(bloc_table_meta(t, "turnout_ratio", "%g", sc->turnout_ratio));
	bloc_scenario_baseline_text(sc, baseline, sizeof(baseline));
	TRY(bloc_table_meta(t, "baseline", "%s", baseline));
	TRY(bloc_table_meta(
	    t, "baseline_rule", "%s",
	    sc->baseline == BLOC_BASELINE_EI
	        ? "each seat's group votes by party are the posterior means of bloc's R x C "
	          "estimate for the base contest and group (bloc ei BASE --groups GROUP --method "
	          "rxc --by seat, cached); the rest of the seat is everyone else's"
	    : sc->baseline == BLOC_BASELINE_SURVEY
	        ? "the group votes as the survey split says in every seat, as far as each "
	          "party's votes there allow (a party cannot have more of the group's votes than "
	          "it got); what does not fit, and the parties the survey does not list, go to "
	          "the seat's other candidates in proportion"
	        : "the group votes like the rest of its seat (default; census: no estimate of "
	          "how the group voted)"));
	TRY(bloc_table_meta(t, "group_rule",
	                    "a group's share of a seat's voters = census share of residents "
	                    "x adult_ratio x turnout_ratio (both default 1: the group is as "
	                    "adult and votes as often as the seat), at most 1; a change of "
	                    "X points moves X%% of the group's voters, from the group's own "
	                    "votes (it cannot lose more of a party than it gave it: an error "
	                    "naming the seat); a negative total means that many stay at home, "
	                    "a positive one new voters; turnout=X adds X points to the group's "
	                    "turnout (the seat's turnout x turnout_ratio), its new voters voting "
	                    "as the group does after the shift"));
	TRY(bloc_table_meta(t, "no_candidate_rule",
	                    "a group shift towards a party lands only in seats where it has a "
	                    "candidate (the base's or one stood); elsewhere those voters stay at "
	                    "home; a shift away from a party applies where it stands"));
	if (p->home_votes > 0)
		TRY(bloc_table_meta(t, "group_home_votes", "%.0f", p->home_votes));
	for (i = 0; i < sc->ngroups; i++) {
		const bloc_group_shares *g = groups ? &groups[i] : NULL;
		char list[512];
		size_t n = 0;
		list[0] = '\0';
		for (k = 0; k < sc->groups[i].n && n < sizeof(list); k++)
			n += (size_t)snprintf(list + n, sizeof(list) - n, "%s%s=%+g", k ? "," : "",
			                      bloc_party_code(sc->groups[i].change[k].party),
			                      sc->groups[i].change[k].value);
		if (sc->groups[i].turnout != 0 && n < sizeof(list))
			snprintf(list + n, sizeof(list) - n, "%sturnout=%+g", n ? "," : "",
			         sc->groups[i].turnout);
		TRY(bloc_table_meta(t, "group", "%s: %s", sc->groups[i].group, list));
		if (!g)
			continue;
		if (g->census)
			TRY(bloc_table_meta(t, "census", "%s: %s", sc->groups[i].group, g->census));
		if (g->source)
			TRY(bloc_table_meta(t, "census_source", "%s", g->source));
		TRY(bloc_table_meta(t, "census_coverage",
		                    "%s: %zu of %zu seats (the others, without a census "
		                    "share, get no group shift)",
		                    sc->groups[i].group, g->covered, g->n));
	}
	TRY(bloc_table_meta(t, "group_votes", "%.0f (all groups, in the base)", p->group_votes));
	TRY(bloc_table_meta(t, "group_share",
	                    "the first group's (%s) share of each seat's voters, in points",
	                    sc->groups[0].group));
done:
	return err;
}

/* The candidates stood, and what IND means. */
static int candidates_meta(bloc_table *t, const bloc_scenario *sc, const bloc_projection *p)
{
	size_t i;
	int err = BLOC_OK;

	TRY(bloc_table_meta(t, "candidates",
	                    "a seat holds candidates: a party's column is its candidate there; "
	                    "a party without one gets no votes there in any model; IND is the "
	                    "seat's leading independent (the base's other independents and "
	                    "aggregated 'other' candidates count under OTH, which never wins in "
	                    "the base)"));
	if (!sc->nstands)
		return BLOC_OK;
	for (i = 0; i < sc->nstands; i++)
		TRY(bloc_table_meta(t, "stand", "%s%s%s@%s", bloc_party_code(sc->stands[i].party),
		                    *sc->stands[i].name ? ":" : "", sc->stands[i].name,
		                    sc->stands[i].seat));
	TRY(bloc_table_meta_int(t, "stood", (int64_t)p->stood));
	TRY(bloc_table_meta(t, "stand_rule",
	                    "a new candidate starts from zero votes and takes its party's swing "
	                    "and group shifts; when independents are stood, IND's moves land only "
	                    "on them (the base's other independents keep their share), and an "
	                    "independent stood where the base had one replaces it (its votes "
	                    "count under OTH)"));
done:
	return err;
}

/* Projection area a: 0 the seats outside every named area ("national" when there is none),
 * else the a-th named area of the scenario. */
static const char *area_name(const bloc_scenario *sc, size_t a)
{
	size_t k, named = 0;

	for (k = 0; k < sc->nareas; k++)
		if (*sc->areas[k].area && ++named == a)
			return sc->areas[k].area;
	for (k = 0; k < sc->nareas; k++)
		if (*sc->areas[k].area)
			return "the rest";
	return "national";
}

/* The shares asked for and reached, in each held area. */
static int hold_meta(bloc_table *t, const bloc_scenario *sc, const bloc_projection *p)
{
	size_t a, j;
	int err = BLOC_OK, held = 0;

	if (!sc->hold_shares) {
		TRY(bloc_table_meta(t, "hold_shares",
		                    "no: the targets went through the model once, and the group "
		                    "shifts were added; the shares reached can differ from those "
		                    "asked for"));
	} else {
		TRY(bloc_table_meta(
		    t, "hold_shares",
		    "yes, within %g points (default 0.05): everyone else's votes are "
		    "re-fitted through the model until the shares set (national "
		    "shares or swings; each region's) hold with the groups' votes",
		    sc->hold_tolerance));
	}
	for (a = 0; p->asked && a < p->nareas; a++) {
		char asked[1024], reached[1024];
		size_t na = 0, nr = 0;
		asked[0] = reached[0] = '\0';
		for (j = 0; j < p->nparties && na < sizeof(asked) && nr < sizeof(reached); j++) {
			size_t k = a * p->nparties + j;
			if (isnan(p->asked[k]))
				continue;
			na += (size_t)snprintf(asked + na, sizeof(asked) - na, "%s%s=%.2f",
			                       na ? "," : "", bloc_party_code(p->parties[j]),
			                       p->asked[k]);
			nr += (size_t)snprintf(reached + nr, sizeof(reached) - nr, "%s%s=%.2f",
			                       nr ? "," : "", bloc_party_code(p->parties[j]),
			                       p->reached[k]);
		}
		if (!na)
			continue;
		held = 1;
		TRY(bloc_table_meta(t, "shares_asked", "%s: %s", area_name(sc, a), asked));
		TRY(bloc_table_meta(t, "shares_reached", "%s: %s", area_name(sc, a), reached));
	}
	if (sc->hold_shares && held)
		TRY(bloc_table_meta(t, "hold_gap", "%.4f points after %zu re-fits", p->hold_gap,
		                    p->hold_rounds));
done:
	return err;
}

/* Everything a projection rests on. */
static int projection_meta(bloc_table *t, const bloc_contest *base, const bloc_scenario *sc,
                           const bloc_group_shares *groups, const bloc_projection *p)
{
	char *json = NULL;
	size_t i;
	int err = BLOC_OK;

	TRY(contest_meta(t, "base", "base_date", base));
	TRY(bloc_table_meta(t, "base_kind", "%s", kind_name(base->kind)));
	if (base->kind == BLOC_CONTEST_NOTIONAL)
		TRY(bloc_table_meta(t, "note",
		                    "%s is a notional result: the previous election's votes "
		                    "estimated on the new boundaries, not votes actually cast",
		                    base->id));
	TRY(bloc_table_meta_int(t, "seats", (int64_t)p->nseats));
	TRY(bloc_table_meta_int(t, "changed", (int64_t)p->changed));
	TRY(model_meta(t, sc->model, sc->threshold));
	TRY(bloc_table_meta(t, "fill_rule",
	                    "parties not listed in an area share what is left of 100 in "
	                    "proportion to their base shares there"));
	TRY(bloc_table_meta(t, "order",
	                    "each seat's votes split into the groups' (by the baseline) and "
	                    "everyone else's; group shifts move the groups' votes; national swings "
	                    "and shares (seats outside every named area) and each named area's "
	                    "shares move everyone else's through the model, re-fitted until the "
	                    "shares set hold"));
	TRY(candidates_meta(t, sc, p));
	TRY(targets_meta(t, sc));
	for (i = 0; i < sc->nswings; i++)
		TRY(bloc_table_meta(t, "swing", "%s to %s: %g points (Butler swing, national)",
		                    bloc_party_code(sc->swings[i].from),
		                    bloc_party_code(sc->swings[i].to), sc->swings[i].points));
	if (sc->ngroups)
		TRY(groups_meta(t, sc, groups, p));
	TRY(hold_meta(t, sc, p));
	if (!(json = bloc_scenario_to_json(sc))) {
		err = bloc_error_oom("writing the scenario as JSON");
		goto done;
	}
	TRY(bloc_table_meta(t, "scenario", "%s", json));
done:
	free(json);
	return err;
}

/* Parties in display order for the party view: seats, then projected share, descending; ties
 * keep registry order (insertion sort: a few dozen parties at most). */
static size_t order_parties(const bloc_projection *p, size_t *order)
{
	size_t i, j, n = 0;

	for (i = 0; i < p->nparties; i++) {
		if (!shown(p, i))
			continue;
		for (j = n; j > 0; j--) {
			size_t q = order[j - 1];
			if (p->seats[q] > p->seats[i] ||
			    (p->seats[q] == p->seats[i] && p->national[q] >= p->national[i]))
				break;
			order[j] = q;
		}
		order[j] = i;
		n++;
	}
	return n;
}

static int render_parties(bloc_table *t, const bloc_projection *p)
{
	size_t *order = NULL, n, k;
	int err = BLOC_OK;

	if (!(order = bloc_calloc(p->nparties + 1, sizeof(*order))))
		return bloc_error_oom("tabulating a projection's parties");
	n = order_parties(p, order);
	for (k = 0; k < n; k++) {
		size_t j = order[k];
		TRY(bloc_table_add_string(t, bloc_party_code(p->parties[j])));
		TRY(bloc_table_add_int(t, p->seats[j]));
		TRY(bloc_table_add_real(t, p->national[j]));
		TRY(bloc_table_add_int(t, p->gains[j]));
		TRY(bloc_table_add_int(t, p->losses[j]));
		TRY(bloc_table_add_int(t, p->seats_base[j]));
		TRY(bloc_table_add_real(t, p->national_base[j]));
		TRY(bloc_table_add_int(t, p->seats[j] - p->seats_base[j]));
		TRY(bloc_table_add_real(t, p->national[j] - p->national_base[j]));
	}
done:
	bloc_free(order);
	return err;
}

/* code,name,winner_base,winner,majority_pct [party shares: the nshow parties show[]]
 * [group_share] for seat s. */
static int seat_row(bloc_table *t, const bloc_contest *base, const bloc_projection *p, size_t s,
                    const size_t *show, size_t nshow, int with_group)
{
	const double *share = p->share + s * p->nparties;
	/* a seat without votes has no shares to project: missing, like its winner */
	const int none = p->winner_base[s] == BLOC_PARTY_NONE;
	size_t j, n;
	int err = BLOC_OK;

	TRY(bloc_table_add_string(t, base->code[s]));
	TRY(bloc_table_add_string(t, base->name[s]));
	TRY(bloc_table_add_string(t, party_or_null(p->winner_base[s])));
	TRY(bloc_table_add_string(t, party_or_null(p->winner[s])));
	TRY(bloc_table_add_real(t, p->majority_pct[s]));
	/* the shares go in at once, up to 32 at a time */
	for (j = 0; j < nshow; j += n) {
		double v[32];
		size_t k;
		n = nshow - j < 32 ? nshow - j : 32;
		for (k = 0; k < n; k++)
			v[k] = none ? NAN : 100 * share[show[j + k]];
		TRY(bloc__table_add_reals(t, v, n));
	}
	if (with_group)
		TRY(bloc_table_add_real(t, 100 * p->group_share[s]));
done:
	return err;
}

static int seat_columns(bloc_table *t, const bloc_projection *p, int with_shares, int with_group)
{
	size_t j;
	int err = BLOC_OK;

	TRY(bloc_table_add_column(t, "code", BLOC_COL_STRING, 0));
	TRY(bloc_table_add_column(t, "name", BLOC_COL_STRING, 0));
	TRY(bloc_table_add_column(t, "winner_base", BLOC_COL_STRING, 0));
	TRY(bloc_table_add_column(t, "winner", BLOC_COL_STRING, 0));
	TRY(bloc_table_add_column(t, "majority_pct", BLOC_COL_REAL, 2));
	for (j = 0; with_shares && j < p->nparties; j++)
		if (shown(p, j))
			TRY(bloc_table_add_column(t, bloc_party_code(p->parties[j]), BLOC_COL_REAL,
			                          2));
	if (with_group)
		TRY(bloc_table_add_column(t, "group_share", BLOC_COL_REAL, 2));
done:
	return err;
}

static int render_flow(bloc_table *t, const bloc_projection *p)
{
	const size_t np = p->nparties;
	size_t i, j;
	int64_t won;
	int err = BLOC_OK;

	TRY(bloc_table_add_column(t, "from", BLOC_COL_STRING, 0));
	for (j = 0; j < np; j++)
		if (p->seats[j] > 0 || p->seats_base[j] > 0)
			TRY(bloc_table_add_column(t, bloc_party_code(p->parties[j]), BLOC_COL_INT,
			                          0));
	TRY(bloc_table_add_column(t, "seats_base", BLOC_COL_INT, 0));
	for (i = 0; i < np; i++) {
		if (p->seats_base[i] == 0)
			continue;
		TRY(bloc_table_add_string(t, bloc_party_code(p->parties[i])));
		for (j = 0; j < np; j++)
			if (p->seats[j] > 0 || p->seats_base[j] > 0)
				TRY(bloc_table_add_int(t, p->flow[i * np + j]));
		TRY(bloc_table_add_int(t, p->seats_base[i]));
	}
	TRY(bloc_table_add_string(t, "TOTAL"));
	for (j = 0, won = 0; j < np; j++) {
		won += p->seats_base[j]; /* seats without votes have no winner, nor row */
		if (p->seats[j] > 0 || p->seats_base[j] > 0)
			TRY(bloc_table_add_int(t, p->seats[j]));
	}
	TRY(bloc_table_add_int(t, won));
	TRY(bloc_table_meta(t, "flow",
	                    "rows: the base winner; columns: the projected winner; "
	                    "TOTAL: projected seats"));
done:
	return err;
}

/* by=group: the first group's votes by seat and candidate, before and after its shift. */
static int render_group(bloc_table *t, const bloc_contest *base, const bloc_projection *p)
{
	static const char *const cols[] = {"code",
	                                   "name",
	                                   "party",
	                                   "group_base",
	                                   "group_projected",
	                                   "group_votes_base",
	                                   "group_votes_projected"};
	const size_t np = p->nparties;
	size_t s, j, i;
	int err = BLOC_OK;

	for (i = 0; i < 7; i++)
		TRY(bloc_table_add_column(t, cols[i], i < 3 ? BLOC_COL_STRING : BLOC_COL_REAL,
		                          i < 5 ? 4 : 0));
	for (s = 0; p->group_base && s < p->nseats; s++) {
		const double *b = p->group_base + s * np, *a = p->group_after + s * np;
		double tb = 0, ta = 0;
		for (j = 0; j < np; j++) {
			tb += b[j];
			ta += a[j];
		}
		if (!(tb > 0))
			continue;
		for (j = 0; j < np; j++) {
			if (!p->cand[s * np + j] && !(b[j] > 0) && !(a[j] > 0))
				continue;
			TRY(bloc_table_add_string(t, base->code[s]));
			TRY(bloc_table_add_string(t, base->name[s]));
			TRY(bloc_table_add_string(t, bloc_party_code(p->parties[j])));
			TRY(bloc_table_add_real(t, 100 * b[j] / tb));
			TRY(ta > 0 ? bloc_table_add_real(t, 100 * a[j] / ta)
			           : bloc_table_add_missing(t));
			TRY(bloc_table_add_real(t, b[j]));
			TRY(bloc_table_add_real(t, a[j]));
		}
	}
done:
	return err;
}

int bloc_render_projection(bloc_table **out, const bloc_contest *base, const bloc_scenario *sc,
                           const bloc_group_shares *groups, const bloc_projection *p, int view)
{
	static const char *const spec_party[] = {
	    "party:s",        "seats:i",      "votes_share:r2",      "gains:i",
	    "losses:i",       "seats_base:i", "votes_share_base:r2", "seats_change:i",
	    "share_change:r2"};
	bloc_table *t = NULL;
	int with_group = sc->ngroups > 0, err = BLOC_OK;
	size_t s, *show = NULL;

	*out = NULL;
	if (view < BLOC_VIEW_PARTY || view > BLOC_VIEW_GROUP)
		return bloc_error_set(BLOC_EINVAL, "render: unknown projection view %d", view);
	if (p->nseats != base->nseats)
		return bloc_error_set(BLOC_EINVAL, "render: a projection of %zu seats for %s (%zu)",
		                      p->nseats, base->id, base->nseats);
	if (view == BLOC_VIEW_PARTY) {
		TRY(START(&t, spec_party));
		TRY(render_parties(t, p));
	} else if (view == BLOC_VIEW_FLOW) {
		TRY(bloc_table_new(&t));
		TRY(render_flow(t, p));
	} else if (view == BLOC_VIEW_GROUP) {
		TRY(bloc_table_new(&t));
		TRY(render_group(t, base, p));
	} else {
		size_t j, nshow = 0;
		TRY(bloc_table_new(&t));
		TRY(seat_columns(t, p, view == BLOC_VIEW_SEAT, with_group));
		if (view == BLOC_VIEW_SEAT) {
			TRY(bloc__table_reserve(t, p->nseats));
			if (!(show = bloc_calloc(p->nparties, sizeof(*show)))) {
				err = bloc_error_oom("rendering the projection of %s", base->id);
				goto done;
			}
			for (j = 0; j < p->nparties; j++)
				if (shown(p, j))
					show[nshow++] = j;
		}
		for (s = 0; s < p->nseats; s++)
			if (view == BLOC_VIEW_SEAT || p->winner[s] != p->winner_base[s])
				TRY(seat_row(t, base, p, s, show, nshow, with_group));
	}
	TRY(bloc_table_meta(t, "by", "%s", view_names[view]));
	TRY(projection_meta(t, base, sc, groups, p));
	if (view == BLOC_VIEW_GROUP)
		TRY(bloc_table_meta(t, "group_columns",
		                    "group_base, group_projected: points of the first group's own "
		                    "votes for the party's candidate (the baseline, then after the "
		                    "shift); group_votes_*: those votes"));
	else if (view != BLOC_VIEW_FLOW)
		TRY(bloc_table_meta(t, "shares",
		                    "points of valid votes (votes_share: over the whole "
		                    "contest; majority_pct: winner minus runner-up)"));
	*out = t;
	t = NULL;
done:
	bloc_free(show);
	bloc_table_free(t);
	return err;
}

/* ---- backtests ---- */

static int backtest_meta(bloc_table *t, const bloc_contest *from, const bloc_contest *to,
                         const bloc_backtest *b, int model, double tau, int level)
{
	int err = BLOC_OK;

	TRY(contest_meta(t, "from", "from_date", from));
	TRY(contest_meta(t, "to", "to_date", to));
	TRY(bloc_table_meta(t, "level", "%s", bloc_level_name(level)));
	TRY(bloc_table_meta(t, "level_rule", "%s",
	                    level == BLOC_LEVEL_UK ? "one target: the later contest's shares over "
	                                             "all compared seats"
	                    : level == BLOC_LEVEL_GB
	                        ? "one target: the later contest's shares over the compared "
	                          "seats of Great Britain (Northern Ireland left out)"
	                    : level == BLOC_LEVEL_NATION
	                        ? "each nation's seats move to the later contest's shares in "
	                          "that nation"
	                        : "each region's seats move to the later contest's shares in "
	                          "that region"));
	TRY(model_meta(t, model, tau));
	TRY(bloc_table_meta_int(t, "seats", (int64_t)b->nseats));
	TRY(bloc_table_meta_int(t, "seats_wrong", (int64_t)b->seats_wrong));
	TRY(bloc_table_meta(t, "wrong",
	                    "a seat whose projected winner is not the party that won it "
	                    "(parties compared through successors: BRX as REF)"));
	TRY(bloc_table_meta(t, "share_mae",
	                    "mean |projected - actual| seat share, in points, over the compared "
	                    "seats and the parties with at least 1%% of the vote in either "
	                    "contest"));
done:
	return err;
}

static int metric(bloc_table *t, const char *name, const char *party, const char *fmt, ...)
    BLOC_PRINTF(4, 5);

static int metric(bloc_table *t, const char *name, const char *party, const char *fmt, ...)
{
	char key[64], value[64];
	va_list ap;
	int err = BLOC_OK;

	if (party)
		snprintf(key, sizeof(key), "%s:%s", name, party);
	else
		snprintf(key, sizeof(key), "%s", name);
	va_start(ap, fmt);
	vsnprintf(value, sizeof(value), fmt, ap);
	va_end(ap);
	TRY(bloc_table_add_string(t, key));
	TRY(bloc_table_add_string(t, value));
done:
	return err;
}

/* Parties with a seat on either side or a mean share error of 0.5 points or more, by actual
 * seats, then projected seats, descending (ties keep registry order). */
static size_t order_backtest(const bloc_backtest *b, size_t *order)
{
	size_t i, j, n = 0;

	for (i = 0; i < b->nparties; i++) {
		if (b->seats_actual[i] == 0 && b->seats_projected[i] == 0 &&
		    !(b->party_mae[i] >= 0.5))
			continue;
		for (j = n; j > 0; j--) {
			size_t q = order[j - 1];
			if (b->seats_actual[q] > b->seats_actual[i] ||
			    (b->seats_actual[q] == b->seats_actual[i] &&
			     b->seats_projected[q] >= b->seats_projected[i]))
				break;
			order[j] = q;
		}
		order[j] = i;
		n++;
	}
	return n;
}

int bloc_render_backtest(bloc_table **out, const bloc_contest *from, const bloc_contest *to,
                         const bloc_backtest *b, int model, double tau, int level)
{
	static const char *const spec[] = {"metric:s", "value:s"};
	bloc_table *t = NULL;
	size_t *order = NULL, n, k;
	int err = BLOC_OK;

	*out = NULL;
	TRY(START(&t, spec));
	TRY(metric(t, "seats_wrong", NULL, "%zu", b->seats_wrong));
	TRY(metric(t, "seats", NULL, "%zu", b->nseats));
	TRY(metric(t, "share_mae", NULL, "%.2f", b->share_mae));
	if (!(order = bloc_calloc(b->nparties + 1, sizeof(*order)))) {
		err = bloc_error_oom("tabulating a backtest");
		goto done;
	}
	n = order_backtest(b, order);
	for (k = 0; k < n; k++) {
		size_t j = order[k];
		const char *code = bloc_party_code(b->parties[j]);
		TRY(metric(t, "seats_projected", code, "%lld", (long long)b->seats_projected[j]));
		TRY(metric(t, "seats_actual", code, "%lld", (long long)b->seats_actual[j]));
		TRY(metric(t, "seat_error", code, "%lld",
		           (long long)(b->seats_projected[j] - b->seats_actual[j])));
		TRY(metric(t, "share_mae", code, "%.2f", b->party_mae[j]));
	}
	TRY(backtest_meta(t, from, to, b, model, tau, level));
	*out = t;
	t = NULL;
done:
	bloc_free(order);
	bloc_table_free(t);
	return err;
}

int bloc_render_backtest_wrong(bloc_table **out, const bloc_contest *from, const bloc_contest *to,
                               const bloc_backtest *b, int model, double tau, int level)
{
	static const char *const spec[] = {"code:s", "name:s", "region:s", "projected:s",
	                                   "actual:s"};
	bloc_table *t = NULL;
	size_t i;
	int err = BLOC_OK;

	*out = NULL;
	TRY(START(&t, spec));
	for (i = 0; i < b->seats_wrong; i++) {
		size_t k = b->wrong_seat[i];
		if (k >= to->nseats) {
			err = bloc_error_set(BLOC_EINVAL, "render: wrong seat %zu out of range", k);
			goto done;
		}
		TRY(bloc_table_add_string(t, to->code[k]));
		TRY(bloc_table_add_string(t, to->name[k]));
		TRY(bloc_table_add_string(t, *to->region[k] ? to->region[k] : NULL));
		TRY(bloc_table_add_string(t, party_or_null(b->wrong_projected[i])));
		TRY(bloc_table_add_string(t, party_or_null(b->wrong_actual[i])));
	}
	TRY(backtest_meta(t, from, to, b, model, tau, level));
	*out = t;
	t = NULL;
done:
	bloc_table_free(t);
	return err;
}
