/* Bloc power as tables: seat by seat, one row per group, and seats decidable against cohesion.
 * Every assumption the figures rest on goes into the metadata with its default and where it
 * comes from; nothing here computes a figure bloc_power_compute did not (counts and sums at
 * most, and the population-weighted national share of a group). */
#include "bloc/render.h"

#include "../core/alloc.h"
#include "render_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Seats named in a coverage warning, at most; the rest are counted. */
#define NAMED_MAX 12

static const char *party_or_null(bloc_party p)
{
	return p == BLOC_PARTY_NONE ? NULL : bloc_party_code(p);
}

static int check_result(const bloc_contest *c, const bloc_group_shares *g, const bloc_power *p)
{
	if (p->n != c->nseats || (g && g->n != c->nseats))
		return bloc_error_set(BLOC_EINVAL,
		                      "render: bloc power of %zu seats (census %zu) for %s (%zu)",
		                      p->n, g ? g->n : p->n, c->id, c->nseats);
	return BLOC_OK;
}

static int covered(const bloc_power *p, size_t k)
{
	return !isnan(p->group_share[k]);
}

/* ---- metadata ---- */

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

static int contest_meta(bloc_table *t, const bloc_contest *c)
{
	int err = BLOC_OK;

	TRY(bloc_table_meta(t, "contest", "%s", c->id));
	if (c->date && *c->date)
		TRY(bloc_table_meta(t, "date", "%s", c->date));
	TRY(bloc_table_meta(t, "contest_kind", "%s", kind_name(c->kind)));
	if (c->kind == BLOC_CONTEST_NOTIONAL)
		TRY(bloc_table_meta(t, "note",
		                    "%s is a notional result: the previous election's votes "
		                    "estimated on the new boundaries, not votes actually cast",
		                    c->id));
	TRY(bloc_table_meta_int(t, "seats", (int64_t)c->nseats));
done:
	return err;
}

/* "muslim: no census share for 18 Northern Ireland seats ..." or "...for 20 seats: 18 in
 * Northern Ireland and 2 elsewhere (Foo, Bar)": Northern Irish seats are counted (no census table
 * here covers Northern Ireland), the others named, up to NAMED_MAX of them. */
static int coverage_warning(bloc_table *t, const bloc_contest *c, const bloc_group_shares *g,
                            const char *label)
{
	static const char tail[] = "their group columns are empty and they count towards no total";
	char named[1024], more[48];
	size_t k, missing = 0, ni = 0, others = 0, len = 0;

	named[0] = more[0] = '\0';
	for (k = 0; k < g->n; k++) {
		if (!isnan(g->share[k]))
			continue;
		missing++;
		if (c->nation[k] && strcmp(c->nation[k], "Northern Ireland") == 0) {
			ni++;
			continue;
		}
		if (others++ < NAMED_MAX && len < sizeof(named)) {
			int w = snprintf(named + len, sizeof(named) - len, "%s%s", len ? ", " : "",
			                 c->name[k]);
			if (w > 0)
				len += (size_t)w;
		}
	}
	if (!missing)
		return BLOC_OK;
	if (!others)
		return bloc_table_meta(t, "warning",
		                       "%s: no census share for %zu Northern Ireland seat%s (no "
		                       "census table here covers Northern Ireland): %s",
		                       label, ni, ni == 1 ? "" : "s", tail);
	if (others > NAMED_MAX)
		snprintf(more, sizeof(more), " and %zu more", others - NAMED_MAX);
	if (!ni)
		return bloc_table_meta(t, "warning",
		                       "%s: no census share for %zu seat%s (%s%s): %s", label,
		                       others, others == 1 ? "" : "s", named, more, tail);
	return bloc_table_meta(t, "warning",
	                       "%s: no census share for %zu seats: %zu in Northern Ireland and "
	                       "%zu elsewhere (%s%s): %s",
	                       label, missing, ni, others, named, more, tail);
}

static int census_meta(bloc_table *t, const bloc_contest *c, const bloc_group_shares *g)
{
	int err = BLOC_OK;

	if (g->census && *g->census)
		TRY(bloc_table_meta(t, "census", "%s: %s", g->group, g->census));
	if (g->source && *g->source)
		TRY(bloc_table_meta(t, "census_source", "%s", g->source));
	TRY(bloc_table_meta(t, "census_coverage", "%s: %zu of %zu seats", g->group, g->covered,
	                    g->n));
	TRY(coverage_warning(t, c, g, g->group));
	if (g->unmatched && *g->unmatched)
		TRY(bloc_table_meta(t, "census_unmatched",
		                    "%s: census rows that matched no seat of %s: %s", g->group,
		                    c->id, g->unmatched));
done:
	return err;
}

static int support_meta(bloc_table *t, const bloc_power_options *o)
{
	char list[512];
	size_t j, n = 0;

	if (o->nsupport == 0)
		return bloc_table_meta(
		    t, "support",
		    "as the seat: the group splits between the candidates as the "
		    "seat's voters did (default); used by the simulation only");
	list[0] = '\0';
	for (j = 0; j < o->nsupport && n < sizeof(list); j++) {
		int w = snprintf(list + n, sizeof(list) - n, "%s%s=%g", j ? "," : "",
		                 bloc_party_code(o->support_party[j]), o->support[j]);
		if (w < 0)
			break;
		n += (size_t)w;
	}
	return bloc_table_meta(t, "support",
	                       "%s: points of the group's voters in every seat, to each named "
	                       "party's best candidate; the rest of the group is spread over the "
	                       "other candidates in proportion to their votes (default: as the "
	                       "seat); used by the simulation only",
	                       list);
}

/* The assumptions: every one with its value, its default and its source. */
static int assumptions_meta(bloc_table *t, const bloc_power_options *o, int curve)
{
	int err = BLOC_OK;

	if (!curve)
		TRY(bloc_table_meta(t, "cohesion", "%g", o->cohesion));
	TRY(bloc_table_meta(t, "cohesion_rule",
	                    "the share of the group's voters that move as one bloc; default %g: "
	                    "the share of Muslim voters backing one party in 2017 surveys (applied "
	                    "as given to any group)",
	                    BLOC_POWER_DEFAULT_COHESION));
	TRY(bloc_table_meta(t, "adult_ratio", "%g", o->adult_ratio));
	TRY(bloc_table_meta(t, "adult_ratio_rule",
	                    "the group's adults per resident relative to the seat's; default %g: "
	                    "the data directory has no age breakdown by religion or ethnic group",
	                    BLOC_POWER_DEFAULT_ADULT_RATIO));
	if (o->turnout > 0)
		TRY(bloc_table_meta(t, "turnout", "%g (the group's, in every seat)", o->turnout));
	else
		TRY(bloc_table_meta(t, "turnout",
		                    "each seat's own: valid votes / electorate (default)"));
	TRY(support_meta(t, o));
	if (o->third != BLOC_PARTY_NONE)
		TRY(bloc_table_meta(t, "third", "%s", bloc_party_code(o->third)));
	else
		TRY(bloc_table_meta(t, "third", "none (flip_third empty; default)"));
	TRY(bloc_table_meta(t, "group_voters_rule",
	                    "G = share x adult_ratio x electorate x turnout, with share the census "
	                    "share of the seat's residents and share x adult_ratio at most 1; "
	                    "where the electorate is unknown, G = share x adult_ratio x valid "
	                    "votes"));
	TRY(bloc_table_meta(t, "decisive_rule",
	                    "decisive when 2 x cohesion x G > majority (the bloc moving from the "
	                    "winner to the runner-up overturns it); ratio = 2 x cohesion x G / "
	                    "majority"));
	TRY(bloc_table_meta(t, "flip_rule",
	                    "fractions of G at which the seat ties (any more reverses it): "
	                    "flip_switch = majority / 2G moving from the winner to the runner-up, "
	                    "flip_abstain = majority / G staying at home instead of voting for the "
	                    "winner, flip_third = max((v_W - v_T) / 2G, max_j (v_j - v_T) / G) "
	                    "moving from the winner W to the third party T until it leads every "
	                    "candidate j (empty when T won or has no candidate); above 1: the "
	                    "group alone cannot do it; empty in a seat with one candidate"));
done:
	return err;
}

static int montecarlo_meta(bloc_table *t, const bloc_power_options *o)
{
	int err = BLOC_OK;

	TRY(bloc_table_meta_int(t, "sims", (int64_t)o->sims));
	if (o->sims == 0) {
		TRY(bloc_table_meta(t, "pivot_rule",
		                    "no simulation (sims 0, the default): pivot_prob is empty"));
		goto done;
	}
	TRY(bloc_table_meta(t, "seed", "%llu", (unsigned long long)o->seed));
	TRY(bloc_table_meta(t, "threads", "%u (results do not depend on it)",
	                    o->threads ? o->threads : 1));
	TRY(bloc_table_meta(t, "pivot_rule",
	                    "pivot_prob: the share of the simulations in which the group is "
	                    "pivotal, pivot_se = sqrt(p (1 - p) / sims). Each simulation draws the "
	                    "group's voters, the cohesion and every candidate's vote from outside "
	                    "the group, then puts the bloc (cohesion x the group's voters) on the "
	                    "winner in one world and on the runner-up in the other, the rest of "
	                    "the group split as `support`; pivotal when the two worlds have "
	                    "different winners. Each seat draws from its own random stream (seed, "
	                    "seat index)"));
	TRY(bloc_table_meta(t, "sd_turnout",
	                    "%g: the group's voters x a lognormal factor of mean 1 and this "
	                    "relative sd, at most the group's whole electorate (default %g, an "
	                    "assumption)",
	                    o->sd_turnout, BLOC_POWER_DEFAULT_SD_TURNOUT));
	TRY(bloc_table_meta(t, "sd_cohesion",
	                    "%g: cohesion + this sd x N(0,1), clamped to [0,1] (default %g, an "
	                    "assumption)",
	                    o->sd_cohesion, BLOC_POWER_DEFAULT_SD_COHESION));
	TRY(bloc_table_meta(t, "sd_rest",
	                    "%g: each candidate's vote from outside the group x max(0, 1 + this "
	                    "sd x N(0,1)), independently (default %g, an assumption)",
	                    o->sd_rest, BLOC_POWER_DEFAULT_SD_REST));
done:
	return err;
}

/* ---- seat by seat ---- */

/* Decisive seats by ratio descending; ties keep seat order (insertion sort into `order`). */
static size_t order_decisive(const bloc_power *p, size_t *order)
{
	size_t k, j, n = 0;

	for (k = 0; k < p->n; k++) {
		if (!covered(p, k) || !p->decisive[k])
			continue;
		for (j = n; j > 0 && p->ratio[order[j - 1]] < p->ratio[k]; j--)
			order[j] = order[j - 1];
		order[j] = k;
		n++;
	}
	return n;
}

static int seat_row(bloc_table *t, const bloc_contest *c, const bloc_power *p, size_t k)
{
	int has = covered(p, k), err = BLOC_OK;

	TRY(bloc_table_add_string(t, c->code[k]));
	TRY(bloc_table_add_string(t, c->name[k]));
	TRY(bloc_table_add_string(t, party_or_null(p->winner[k])));
	TRY(bloc_table_add_string(t, party_or_null(p->second[k])));
	/* a seat without votes has no winner, so no majority */
	TRY(p->winner[k] == BLOC_PARTY_NONE ? bloc_table_add_missing(t)
	                                    : bloc_table_add_int(t, p->majority[k]));
	TRY(bloc_table_add_real(t, p->group_share[k]));
	TRY(bloc_table_add_real(t, p->group_voters[k]));
	TRY(bloc_table_add_real(t, p->flip_switch[k]));
	TRY(bloc_table_add_real(t, p->flip_abstain[k]));
	TRY(has && p->winner[k] != BLOC_PARTY_NONE ? bloc_table_add_int(t, p->decisive[k] ? 1 : 0)
	                                           : bloc_table_add_missing(t));
	TRY(bloc_table_add_real(t, p->pivot_prob[k]));
	TRY(bloc_table_add_real(t, p->ratio[k]));
	TRY(bloc_table_add_real(t, p->flip_third[k]));
	TRY(bloc_table_add_real(t, p->pivot_se[k]));
	TRY(bloc_table_add_string(t, *c->nation[k] ? c->nation[k] : NULL));
done:
	return err;
}

int bloc_render_power(bloc_table **out, const bloc_contest *c, const bloc_group_shares *g,
                      const bloc_power_options *o, const bloc_power *p, int view)
{
	static const char *const spec[] = {
	    "code:s",         "name:s",          "winner:s",       "second:s",        "majority:i",
	    "group_share:r4", "group_voters:r0", "flip_switch:r4", "flip_abstain:r4", "decisive:i",
	    "pivot_prob:r4",  "ratio:r3",        "flip_third:r4",  "pivot_se:r4",     "nation:s"};
	bloc_table *t = NULL;
	size_t *order = NULL, n, k;
	long gi;
	int err = BLOC_OK;

	*out = NULL;
	if (view != BLOC_POWER_VIEW_SEATS && view != BLOC_POWER_VIEW_DECISIVE)
		return bloc_error_set(BLOC_EINVAL, "render: unknown bloc power view %d", view);
	if ((err = check_result(c, g, p)) < 0)
		return err;
	TRY(START(&t, spec));
	if (view == BLOC_POWER_VIEW_SEATS) {
		for (k = 0; k < p->n; k++)
			TRY(seat_row(t, c, p, k));
	} else {
		if (!(order = bloc_calloc(p->n + 1, sizeof(*order)))) {
			err = bloc_error_oom("tabulating bloc power");
			goto done;
		}
		n = order_decisive(p, order);
		for (k = 0; k < n; k++)
			TRY(seat_row(t, c, p, order[k]));
	}
	TRY(contest_meta(t, c));
	TRY(bloc_table_meta(t, "group", "%s", g->group));
	if ((gi = bloc_group_find(g->group)) >= 0)
		TRY(bloc_table_meta(t, "group_label", "%s", bloc_group_label((size_t)gi)));
	TRY(census_meta(t, c, g));
	TRY(bloc_table_meta_int(t, "seats_covered", (int64_t)p->covered));
	TRY(bloc_table_meta_int(t, "seats_decisive", (int64_t)p->ndecisive));
	TRY(bloc_table_meta(t, "view", "%s",
	                    view == BLOC_POWER_VIEW_SEATS
	                        ? "every seat, in the contest's order"
	                        : "the decisive seats, by ratio (2 x cohesion x G / majority) "
	                          "descending"));
	TRY(assumptions_meta(t, o, 0));
	TRY(montecarlo_meta(t, o));
	TRY(bloc_table_meta(t, "columns",
	                    "group_share: census share of residents, 0-1; group_voters: G; "
	                    "decisive: 1 yes, 0 no; majority: votes; a seat without census data "
	                    "has its group columns empty"));
	*out = t;
	t = NULL;
done:
	bloc_free(order);
	bloc_table_free(t);
	return err;
}

/* ---- one row per group ---- */

static double seat_population(const bloc_group_shares *g, size_t k)
{
	return g->population ? g->population[k] : NAN;
}

/* Does every covered seat of g have a census population? */
static int has_population(const bloc_group_shares *g)
{
	size_t k;

	for (k = 0; k < g->n; k++) {
		double w = seat_population(g, k);
		if (!isnan(g->share[k]) && !(w > 0 && isfinite(w)))
			return 0;
	}
	return 1;
}

/* Σ share x weight / Σ weight over the covered seats: the census population where g has one
 * for every covered seat, else the electorate (then the valid votes where that is unknown). */
static double national_share(const bloc_contest *c, const bloc_group_shares *g, int by_population)
{
	double num = 0, den = 0;
	size_t k;

	for (k = 0; k < g->n; k++) {
		double w;
		if (isnan(g->share[k]))
			continue;
		if (by_population)
			w = seat_population(g, k);
		else
			w = (double)(c->electorate[k] >= 0 ? c->electorate[k] : c->valid[k]);
		num += g->share[k] * w;
		den += w;
	}
	return den > 0 ? num / den : NAN;
}

static double pivot_expected(const bloc_power *p, const bloc_power_options *o)
{
	double sum = 0;
	size_t k;

	if (o->sims == 0)
		return NAN;
	for (k = 0; k < p->n; k++)
		if (!isnan(p->pivot_prob[k]))
			sum += p->pivot_prob[k];
	return sum;
}

/* Do two groups lack census data for the same seats? */
static int same_coverage(const bloc_group_shares *a, const bloc_group_shares *b)
{
	size_t k;

	if (a->covered != b->covered)
		return 0;
	for (k = 0; k < a->n; k++)
		if (isnan(a->share[k]) != isnan(b->share[k]))
			return 0;
	return 1;
}

int bloc_render_power_summary(bloc_table **out, const bloc_contest *c, const bloc_group_shares *g,
                              const bloc_power *p, size_t n, const bloc_power_options *o)
{
	static const char *const spec[] = {"group:s", "national_share:r4", "seats_decisive:i",
	                                   "seats_covered:i", "pivot_expected:r2"};
	bloc_table *t = NULL;
	size_t i, j, fallback = 0;
	int all_same = 1, err = BLOC_OK;

	*out = NULL;
	for (i = 0; i < n; i++)
		if ((err = check_result(c, &g[i], &p[i])) < 0)
			return err;
	for (i = 1; i < n && all_same; i++)
		all_same = same_coverage(&g[0], &g[i]);
	TRY(START(&t, spec));
	for (i = 0; i < n; i++) {
		int by_pop = has_population(&g[i]);
		fallback += !by_pop;
		TRY(bloc_table_add_string(t, g[i].group));
		TRY(bloc_table_add_real(t, national_share(c, &g[i], by_pop)));
		TRY(bloc_table_add_int(t, (int64_t)p[i].ndecisive));
		TRY(bloc_table_add_int(t, (int64_t)p[i].covered));
		TRY(bloc_table_add_real(t, pivot_expected(&p[i], o)));
	}
	TRY(contest_meta(t, c));
	TRY(bloc_table_meta_int(t, "groups", (int64_t)n));
	/* The census: once for each distinct census and source, one coverage line per group set
	 * whose uncovered seats differ from the groups' before it. */
	for (i = 0; i < n; i++) {
		int seen = 0;
		for (j = 0; j < i && !seen; j++)
			seen =
			    (g[j].census && g[i].census && strcmp(g[j].census, g[i].census) == 0) &&
			    (g[j].source && g[i].source && strcmp(g[j].source, g[i].source) == 0);
		if (!seen && g[i].census && *g[i].census)
			TRY(bloc_table_meta(t, "census", "%s", g[i].census));
		if (!seen && g[i].source && *g[i].source)
			TRY(bloc_table_meta(t, "census_source", "%s", g[i].source));
		for (j = 0, seen = 0; j < i && !seen; j++)
			seen = same_coverage(&g[j], &g[i]);
		if (!seen) {
			TRY(coverage_warning(t, c, &g[i], all_same ? "every group" : g[i].group));
			if (g[i].unmatched && *g[i].unmatched)
				TRY(bloc_table_meta(
				    t, "census_unmatched",
				    "%s: census rows that matched no seat of %s: %s", g[i].group,
				    c->id, g[i].unmatched));
		}
	}
	TRY(bloc_table_meta(t, "national_share_rule",
	                    "sum(share x population) / sum(population) over the seats with a "
	                    "census share (seats_covered), with each seat's census population"));
	if (fallback)
		TRY(bloc_table_meta(t, "warning",
		                    "the census gives no population for some seats of %zu group%s: "
		                    "their national_share weights every covered seat by its "
		                    "electorate (valid votes where that is unknown) instead",
		                    fallback, fallback == 1 ? "" : "s"));
	TRY(bloc_table_meta(t, "seats_decisive_rule",
	                    "seats in which the group is decisive (2 x cohesion x G > majority) "
	                    "under the same assumptions for every group"));
	if (o->sims)
		TRY(bloc_table_meta(
		    t, "pivot_expected_rule",
		    "sum of pivot_prob over the seats: the expected number of seats "
		    "the group decides"));
	TRY(assumptions_meta(t, o, 0));
	TRY(montecarlo_meta(t, o));
	*out = t;
	t = NULL;
done:
	bloc_table_free(t);
	return err;
}

/* ---- seats decidable against cohesion ---- */

int bloc_render_power_curve(bloc_table **out, const bloc_contest *c, const bloc_group_shares *g,
                            const bloc_power_options *o, const double *cohesion,
                            const bloc_power *p, size_t n)
{
	static const char *const spec[] = {"cohesion:r2", "seats_decisive:i", "seats_abstain:i",
	                                   "pivot_expected:r2"};
	bloc_table *t = NULL;
	size_t i, k;
	long gi;
	int err = BLOC_OK;

	*out = NULL;
	for (i = 0; i < n; i++)
		if ((err = check_result(c, g, &p[i])) < 0)
			return err;
	TRY(START(&t, spec));
	for (i = 0; i < n; i++) {
		int64_t abstain = 0;
		for (k = 0; k < p[i].n; k++)
			abstain += covered(&p[i], k) && p[i].flip_abstain[k] < cohesion[i];
		TRY(bloc_table_add_real(t, cohesion[i]));
		TRY(bloc_table_add_int(t, (int64_t)p[i].ndecisive));
		TRY(bloc_table_add_int(t, abstain));
		TRY(bloc_table_add_real(t, pivot_expected(&p[i], o)));
	}
	TRY(contest_meta(t, c));
	TRY(bloc_table_meta(t, "group", "%s", g->group));
	if ((gi = bloc_group_find(g->group)) >= 0)
		TRY(bloc_table_meta(t, "group_label", "%s", bloc_group_label((size_t)gi)));
	TRY(census_meta(t, c, g));
	TRY(bloc_table_meta(t, "cohesion", "varied row by row; the other assumptions are fixed"));
	TRY(bloc_table_meta(t, "seats_decisive_rule",
	                    "seats in which 2 x cohesion x G > majority: the bloc moving from the "
	                    "winner to the runner-up overturns the result"));
	TRY(bloc_table_meta(t, "seats_abstain_rule",
	                    "seats in which cohesion x G > majority: the bloc staying at home "
	                    "instead of voting for the winner overturns the result"));
	if (o->sims)
		TRY(bloc_table_meta(
		    t, "pivot_expected_rule",
		    "sum of pivot_prob over the seats: the expected number of seats "
		    "the group decides"));
	TRY(assumptions_meta(t, o, 1));
	TRY(montecarlo_meta(t, o));
	*out = t;
	t = NULL;
done:
	bloc_table_free(t);
	return err;
}
