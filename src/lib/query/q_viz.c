/* The questions answered with a picture: map (a hex map), chart (seats, parliament, votes and
 * seats, swing, majorities) and report (one self-contained HTML page). Each can project first. */
#include "query_int.h"

#include "../core/alloc.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define OFF(type, field) offsetof(struct type, field)

#define SVG_TYPE  "image/svg+xml"
#define HTML_TYPE "text/html; charset=utf-8"

/* ---- what the three share ---- */

/* A projection of contest c under the request's scenario, when there is one. */
struct projected {
	bloc_scenario sc;
	bloc_group_shares groups[BLOC_SCENARIO_MAX_GROUPS];
	bloc_projection p;
	int given;
};

static int project_first(bloc_store *st, const void *rq, const char *base, const char *file,
                         int skip_plain_group, int always, const bloc_contest *c,
                         struct projected *pr)
{
	int err;

	memset(pr, 0, sizeof(*pr));
	if ((err = bloc__scenario(st, rq, file, NULL, skip_plain_group, &pr->sc, &pr->given)) < 0)
		return err;
	if (!pr->given && !always)
		return BLOC_OK;
	if ((err = bloc_scenario_set(&pr->sc, "base", base)) < 0 ||
	    (err = bloc__scenario_groups(st, c, &pr->sc, pr->groups)) < 0)
		return err;
	return bloc_store_project(st, &pr->p, c, &pr->sc, pr->sc.ngroups ? pr->groups : NULL);
}

/* A warning naming the seats of c without a hex in m. */
static int warn_missing(bloc_answer *out, const bloc_hexmap *m, const bloc_contest *c)
{
	char list[1024];
	size_t i, len = 0;

	if (!m->nmissing)
		return BLOC_OK;
	list[0] = '\0';
	for (i = 0; i < m->nmissing && i < 20; i++)
		len +=
		    (size_t)snprintf(list + len, sizeof(list) - len, " %s", c->code[m->missing[i]]);
	if (m->nmissing > 20)
		snprintf(list + len, sizeof(list) - len, " and %zu more", m->nmissing - 20);
	return bloc__warn(out, "warning: %zu seat%s of %s %s no hex in %s:%s", m->nmissing,
	                  m->nmissing == 1 ? "" : "s", c->id, m->nmissing == 1 ? "has" : "have",
	                  m->id, list);
}

/* The two parties with the most votes in c (a the second, b the first, so that a positive
 * swing is towards the larger party); independents and others left out. */
static int default_pair(const bloc_contest *c, bloc_party *a, bloc_party *b)
{
	int64_t *votes = bloc_calloc(c->nparties ? c->nparties : 1, sizeof(int64_t));
	size_t s, k, first = SIZE_MAX, second = SIZE_MAX;

	if (!votes)
		return bloc_error_oom("adding up %s's votes by party", c->id);
	for (s = 0; s < c->nseats; s++)
		for (k = 0; k < c->nparties; k++)
			votes[k] += c->votes[s * c->nparties + k];
	for (k = 0; k < c->nparties; k++) {
		if (c->parties[k] == bloc_party_oth() || c->parties[k] == bloc_party_ind())
			continue;
		if (first == SIZE_MAX || votes[k] > votes[first]) {
			second = first;
			first = k;
		} else if (second == SIZE_MAX || votes[k] > votes[second]) {
			second = k;
		}
	}
	bloc_free(votes);
	if (second == SIZE_MAX)
		return bloc_error_set(BLOC_EINVAL,
		                      "%s: fewer than two parties stood; give --pair A,B", c->id);
	*a = c->parties[second];
	*b = c->parties[first];
	return BLOC_OK;
}

static int pair_or_default(const char *pair, const bloc_contest *c, bloc_party *a, bloc_party *b)
{
	return pair ? bloc__pair(pair, a, b, 1) : default_pair(c, a, b);
}

/* "name" or "name:ARG" among `names`: the index, and ARG (NULL when none). */
static int split_spec(const char *spec, const char *const *names, size_t n, const char **arg)
{
	const char *colon = strchr(spec, ':');
	size_t len = colon ? (size_t)(colon - spec) : strlen(spec), i;

	*arg = colon ? colon + 1 : NULL;
	for (i = 0; i < n; i++)
		if (strlen(names[i]) == len && strncmp(spec, names[i], len) == 0)
			return (int)i;
	return -1;
}

/* ---- map ---- */

enum mode { M_WINNER, M_SHARE, M_SWING, M_CHANGE, M_GROUP, M_DECISIVE };

struct map_rq {
	struct bloc__request_head h;
	const char *contest, *scenario, *pair;
	int mode;
	const char *arg; /* share:PARTY, swing:FROM, group:NAME, decisive:NAME */
	bloc_party party;
	const char *colour;
};

static int set_colour(void *rq, const char *key, const char *spec)
{
	static const char *const names[] = {"winner", "share", "swing",
	                                    "change", "group", "decisive"};
	struct map_rq *r = rq;
	const char *arg;
	int i = split_spec(spec, names, 6, &arg);

	(void)key;
	if (i < 0)
		return bloc_error_set(BLOC_EUSAGE,
		                      "--colour: expected winner, share:PARTY, swing:FROM, change, "
		                      "group:NAME or decisive:NAME, got '%s'",
		                      spec);
	if (i != M_WINNER && i != M_CHANGE && (!arg || !*arg))
		return bloc_error_set(BLOC_EUSAGE, "--colour %s: give %s:%s", names[i], names[i],
		                      i == M_SHARE   ? "PARTY"
		                      : i == M_SWING ? "FROM"
		                                     : "GROUP");
	if ((i == M_WINNER || i == M_CHANGE) && arg)
		return bloc_error_set(BLOC_EUSAGE, "--colour %s takes no ':' argument, got '%s'",
		                      names[i], spec);
	if (i == M_SHARE && bloc__party("--colour share", arg, &r->party) < 0)
		return BLOC_EUSAGE;
	if (!(r->colour = bloc__keep(rq, spec)))
		return BLOC_ENOMEM;
	r->mode = i;
	r->arg = arg ? r->colour + (arg - spec) : NULL;
	return BLOC_OK;
}

static const struct bloc__param map_params[] = {
    {"contest", BLOC__P_TEXT, OFF(map_rq, contest), NULL, 0, 0, 0, NULL, NULL},
    {"scenario", BLOC__P_TEXT, OFF(map_rq, scenario), NULL, 0, 0, 0, NULL, NULL},
    {"colour", BLOC__P_CUSTOM, 0, NULL, 0, 0, 0, NULL, set_colour},
    {"pair", BLOC__P_TEXT, OFF(map_rq, pair), NULL, 0, 0, 0, NULL, NULL},
    SCENE_PARAMS,
    {NULL, 0, 0, NULL, 0, 0, 0, NULL, NULL}};

static int check_map(const void *rq)
{
	const struct map_rq *r = rq;
	const struct bloc__request_head *h = rq;

	if (!r->contest || !*r->contest)
		return bloc_error_set(BLOC_EUSAGE, "expected CONTEST [SCENARIO]");
	if ((h->nscene || r->scenario) && r->mode != M_WINNER && r->mode != M_SHARE &&
	    r->mode != M_CHANGE)
		return bloc_error_set(BLOC_EUSAGE,
		                      "--colour %s draws actual results: scenario flags go with "
		                      "winner, share and change",
		                      r->colour);
	return BLOC_OK;
}

/* The layer the colour mode asks for. */
static int map_layer(bloc_store *st, const struct map_rq *r, const bloc_contest *c,
                     const bloc_contest *from, const bloc_seat_results *sr,
                     const struct projected *pr, bloc_map_layer *L, bloc_swing *sw, bloc_power *pw)
{
	const bloc_group_shares *g;
	bloc_power_options po;
	bloc_party pa, pb;
	int err;

	switch (r->mode) {
	case M_WINNER:
		return pr->given ? bloc_map_layer_projected_winner(L, c, &pr->p)
		                 : bloc_map_layer_winner(L, c, sr);
	case M_SHARE:
		return pr->given ? bloc_map_layer_projected_share(L, c, &pr->p, r->party)
		                 : bloc_map_layer_share(L, c, r->party);
	case M_CHANGE:
		return bloc_map_layer_change(L, c, &pr->p);
	case M_SWING:
		if ((err = pair_or_default(r->pair, c, &pa, &pb)) < 0 ||
		    (err = bloc_swing_compute(sw, from, c, pa, pb, NULL)) < 0)
			return err;
		return bloc_map_layer_swing(L, c, sw, 0);
	case M_GROUP:
		if ((err = bloc_store_group_shares(st, c, r->arg, &g)) < 0)
			return err;
		return bloc_map_layer_group(L, c, g);
	default:
		bloc_power_options_init(&po);
		if ((err = bloc_store_group_shares(st, c, r->arg, &g)) < 0 ||
		    (err = bloc_power_compute(pw, c, g, &po)) < 0)
			return err;
		return bloc_map_layer_decisive(L, c, pw, g->group);
	}
}

static int run_map(bloc_answer *out, bloc_store *st, const void *rq)
{
	const struct map_rq *r = rq;
	bloc_map_options mo = BLOC_MAP_OPTIONS_INIT;
	struct projected pr;
	bloc_seat_results sr = {0};
	bloc_swing sw = {0};
	bloc_power pw = {0};
	bloc_map_layer L = {0};
	const bloc_contest *c, *from = NULL;
	const bloc_hexmap *m;
	bloc_buf doc = BLOC_BUF_INIT;
	const char *note = NULL;
	char src[1024], desc[1400];
	int err;

	memset(&pr, 0, sizeof(pr));
	if (r->mode == M_SWING) {
		if ((err = bloc_store_contest_pair(st, r->arg, r->contest, &from, &c, &note)) < 0 ||
		    (r->pair &&
		     (err = pair_or_default(r->pair, c, &(bloc_party){0}, &(bloc_party){0})) < 0))
			goto done;
	} else if ((err = bloc_store_contest(st, r->contest, &c)) < 0) {
		goto done;
	}
	if ((err = bloc_seat_results_compute(&sr, c)) < 0 ||
	    (err = bloc_store_hexmap(st, c, &m)) < 0 || (err = warn_missing(out, m, c)) < 0 ||
	    (err = project_first(st, rq, r->contest, r->scenario, 0, r->mode == M_CHANGE, c, &pr)) <
	        0 ||
	    (err = map_layer(st, r, c, from, &sr, &pr, &L, &sw, &pw)) < 0)
		goto done;
	snprintf(desc, sizeof(desc), "bloc map of %s (%s); hex layout %s (%s)%s%s%s", c->id,
	         bloc_store_source_text(st, c, src, sizeof(src)), m->id, m->source,
	         pr.given ? "; scenario applied" : "", note ? "; " : "", note ? note : "");
	mo.desc = desc;
	if ((err = bloc_hexmap_svg(&doc, m, c, &L, &mo)) < 0)
		goto done;
	err = bloc__finish_doc(out, &doc, SVG_TYPE);
done:
	bloc_buf_dispose(&doc);
	bloc_map_layer_dispose(&L);
	bloc_power_dispose(&pw);
	bloc_swing_dispose(&sw);
	bloc_projection_dispose(&pr.p);
	bloc_seat_results_dispose(&sr);
	return err;
}

const struct bloc__query bloc__q_map = {.name = "map",
                                        .size = sizeof(struct map_rq),
                                        .params = map_params,
                                        .check = check_map,
                                        .run = run_map};

/* ---- chart ---- */

enum type { T_SEATS, T_PARLIAMENT, T_VOTES_SEATS, T_SWING, T_MAJORITY };

struct chart_rq {
	struct bloc__request_head h;
	const char *contest, *scenario, *pair, *from;
	int type;
};

static int set_type(void *rq, const char *key, const char *spec)
{
	static const char *const names[] = {"seats", "parliament", "votes-seats", "swing",
	                                    "majority"};
	struct chart_rq *r = rq;
	const char *arg;
	int i = split_spec(spec, names, 5, &arg);

	(void)key;
	if (i < 0)
		return bloc_error_set(
		    BLOC_EUSAGE,
		    "--type: expected seats, parliament, votes-seats, swing:FROM or "
		    "majority, got '%s'",
		    spec);
	if (i == T_SWING && (!arg || !*arg))
		return bloc_error_set(BLOC_EUSAGE, "--type swing: give swing:FROM, the contest to "
		                                   "compare with (swing:ge2019)");
	if (i != T_SWING && arg)
		return bloc_error_set(BLOC_EUSAGE, "--type %s takes no ':' argument, got '%s'",
		                      names[i], spec);
	if (arg && !(r->from = bloc__keep(rq, arg)))
		return BLOC_ENOMEM;
	r->type = i;
	return BLOC_OK;
}

static const struct bloc__param chart_params[] = {
    {"contest", BLOC__P_TEXT, OFF(chart_rq, contest), NULL, 0, 0, 0, NULL, NULL},
    {"scenario", BLOC__P_TEXT, OFF(chart_rq, scenario), NULL, 0, 0, 0, NULL, NULL},
    {"type", BLOC__P_CUSTOM, 0, NULL, 0, 0, 0, NULL, set_type},
    {"pair", BLOC__P_TEXT, OFF(chart_rq, pair), NULL, 0, 0, 0, NULL, NULL},
    SCENE_PARAMS,
    {NULL, 0, 0, NULL, 0, 0, 0, NULL, NULL}};

static int check_chart(const void *rq)
{
	const struct chart_rq *r = rq;
	const struct bloc__request_head *h = rq;

	if (!r->contest || !*r->contest)
		return bloc_error_set(BLOC_EUSAGE, "expected CONTEST [SCENARIO]");
	if ((h->nscene || r->scenario) && r->type == T_SWING)
		return bloc_error_set(BLOC_EUSAGE, "--type swing compares two actual results: it "
		                                   "takes no scenario");
	return BLOC_OK;
}

/* The swing chart: Butler swing between the pair, seat by seat. */
static int chart_swing(bloc_buf *doc, const struct chart_rq *r, const bloc_contest *from,
                       const bloc_contest *c, const bloc_seat_results *sr, const char *note,
                       bloc_chart_options *co)
{
	bloc_swing sw = {0};
	bloc_party pa, pb;
	char title[256], sub[512];
	int err;

	if ((err = pair_or_default(r->pair, c, &pa, &pb)) < 0)
		return err;
	err = bloc_swing_compute(&sw, from, c, pa, pb, NULL);
	snprintf(title, sizeof(title), "Butler swing %s to %s by seat, %s to %s",
	         bloc_party_code(pa), bloc_party_code(pb), r->from, r->contest);
	snprintf(sub, sizeof(sub), "%s", note ? note : "seats matched by ONS code");
	co->title = title;
	co->subtitle = sub;
	if (err == BLOC_OK)
		err = bloc_chart_swing(doc, c, sr, &sw, co);
	bloc_swing_dispose(&sw);
	return err;
}

static int chart_draw(bloc_buf *doc, const struct chart_rq *r, const bloc_contest *c,
                      const bloc_seat_results *sr, const bloc_totals *t, const struct projected *pr,
                      bloc_chart_options *co)
{
	const int given = pr->given;
	const size_t np = given ? pr->p.nparties : t->nparties;
	const bloc_party *parties = given ? pr->p.parties : t->parties;
	const int64_t *seats = given ? pr->p.seats : t->seats;
	const double *share = given ? pr->p.national : t->share;

	switch (r->type) {
	case T_SEATS:
		co->title = given ? "Projected seats" : "Seats won";
		return bloc_chart_seats(doc, np, parties, seats, co);
	case T_PARLIAMENT:
		co->title = given ? "Projected parliament" : "Parliament";
		return bloc_chart_parliament(doc, np, parties, seats, co);
	case T_VOTES_SEATS:
		co->title = given ? "Projected share of the vote and of the seats"
		                  : "Share of the vote and of the seats";
		return bloc_chart_votes_seats(doc, np, parties, share, seats, co);
	default:
		co->title = given ? "Projected majorities" : "Majorities";
		co->x_label = "majority, points of the seat's valid votes";
		return bloc_chart_histogram(doc, c->nseats,
		                            given ? pr->p.majority_pct : sr->majority_pct, co);
	}
}

static int run_chart(bloc_answer *out, bloc_store *st, const void *rq)
{
	const struct chart_rq *r = rq;
	bloc_chart_options co = BLOC_CHART_OPTIONS_INIT;
	struct projected pr;
	bloc_seat_results sr = {0};
	bloc_totals t = {0};
	const bloc_contest *c, *from = NULL;
	bloc_buf doc = BLOC_BUF_INIT;
	bloc_party pa, pb;
	const char *note = NULL;
	char sub[512];
	int err;

	memset(&pr, 0, sizeof(pr));
	if (r->type == T_SWING) {
		if ((err = bloc_store_contest_pair(st, r->from, r->contest, &from, &c, &note)) <
		        0 ||
		    (err = pair_or_default(r->pair, c, &pa, &pb)) < 0)
			goto done;
	} else if ((err = bloc_store_contest(st, r->contest, &c)) < 0) {
		goto done;
	}
	if ((err = bloc_seat_results_compute(&sr, c)) < 0 ||
	    (err = bloc_totals_compute(&t, c, &sr, BLOC_BY_UK)) < 0 ||
	    (err = project_first(st, rq, r->contest, r->scenario, 0, 0, c, &pr)) < 0)
		goto done;
	if (pr.given)
		snprintf(sub, sizeof(sub), "Projected from %s under a scenario (%s model)", c->id,
		         bloc_model_name(pr.sc.model));
	else
		snprintf(sub, sizeof(sub), "%s%s%s", c->id, c->date && *c->date ? ", " : "",
		         c->date ? c->date : "");
	co.subtitle = sub;
	if ((err = r->type == T_SWING ? chart_swing(&doc, r, from, c, &sr, note, &co)
	                              : chart_draw(&doc, r, c, &sr, &t, &pr, &co)) < 0)
		goto done;
	err = bloc__finish_doc(out, &doc, SVG_TYPE);
done:
	bloc_buf_dispose(&doc);
	bloc_projection_dispose(&pr.p);
	bloc_totals_dispose(&t);
	bloc_seat_results_dispose(&sr);
	return err;
}

const struct bloc__query bloc__q_chart = {.name = "chart",
                                          .size = sizeof(struct chart_rq),
                                          .params = chart_params,
                                          .check = check_chart,
                                          .run = run_chart};

/* ---- report ---- */

struct report_rq {
	struct bloc__request_head h;
	const char *contest, *scenario, *polls, *date, *simulate, *strategy, *simulate_stand;
	unsigned long long sims, seed, replicates;
};

static const struct bloc__param report_params[] = {
    {"contest", BLOC__P_TEXT, OFF(report_rq, contest), NULL, 0, 0, 0, NULL, NULL},
    {"scenario", BLOC__P_TEXT, OFF(report_rq, scenario), NULL, 0, 0, 0, NULL, NULL},
    {"polls", BLOC__P_TEXT, OFF(report_rq, polls), NULL, 0, 0, 0, NULL, NULL},
    {"date", BLOC__P_TEXT, OFF(report_rq, date), NULL, 0, 0, 0, NULL, NULL},
    {"sims", BLOC__P_WHOLE, OFF(report_rq, sims), NULL, 1, 100000000.0, 0, NULL, NULL},
    {"seed", BLOC__P_WHOLE, OFF(report_rq, seed), NULL, 0, BLOC__WHOLE_MAX, 0, NULL, NULL},
    {"simulate", BLOC__P_TEXT, OFF(report_rq, simulate), NULL, 0, 0, 0, NULL, NULL},
    {"strategy", BLOC__P_TEXT, OFF(report_rq, strategy), NULL, 0, 0, 0, NULL, NULL},
    {"simulate-stand", BLOC__P_TEXT, OFF(report_rq, simulate_stand), NULL, 0, 0, 0, NULL, NULL},
    {"replicates", BLOC__P_WHOLE, OFF(report_rq, replicates), NULL, 1, 100000, 0, NULL, NULL},
    SCENE_PARAMS,
    {NULL, 0, 0, NULL, 0, 0, 0, NULL, NULL}};

static int check_report(const void *rq)
{
	const struct report_rq *r = rq;

	if (!r->contest || !*r->contest)
		return bloc_error_set(BLOC_EUSAGE, "expected CONTEST [SCENARIO]");
	return BLOC_OK;
}

/* group values without ':' name the bloc power group; the last one counts. */
static const char *power_group(const void *rq)
{
	const struct bloc__request_head *h = rq;
	const char *name = NULL;
	size_t i;

	for (i = 0; i < h->nscene; i++)
		if (strcmp(h->scene[i].key, "group") == 0 && !strchr(h->scene[i].value, ':'))
			name = h->scene[i].value;
	return name;
}

/* The two parties with the most seats (then votes) in the UK totals. */
static size_t largest_parties(const bloc_totals *t, bloc_party out[2])
{
	size_t k, n = 0, best[2] = {SIZE_MAX, SIZE_MAX};

	for (k = 0; k < t->nparties; k++) {
		size_t j;
		if (t->parties[k] == bloc_party_oth() || t->parties[k] == bloc_party_ind() ||
		    t->seats[k] == 0)
			continue;
		for (j = 0; j < 2; j++) {
			size_t b = best[j];
			if (b == SIZE_MAX || t->seats[k] > t->seats[b] ||
			    (t->seats[k] == t->seats[b] && t->votes[k] > t->votes[b])) {
				if (j == 0)
					best[1] = best[0];
				best[j] = k;
				break;
			}
		}
	}
	for (k = 0; k < 2; k++)
		if (best[k] != SIZE_MAX)
			out[n++] = t->parties[best[k]];
	return n;
}

/* What a report holds beside the contest, disposed at once. */
struct report_parts {
	bloc_seat_results r;
	bloc_totals t;
	bloc_targets tg[2];
	size_t ntg;
	struct projected pr;
	bloc_power_options po;
	bloc_power pw;
	bloc_ei_input ein;
	bloc_ei_goodman egm;
	bloc_ei_bounds eb;
	bloc_ei_view ev;
	double bounded[BLOC_EI_MAX_GROUPS * BLOC_EI_MAX_PARTIES];
	double no_interval[BLOC_EI_MAX_GROUPS * BLOC_EI_MAX_PARTIES];
	char src[1024];
};

static void parts_dispose(struct report_parts *x)
{
	size_t i;

	bloc_power_dispose(&x->pw);
	bloc_ei_bounds_dispose(&x->eb);
	bloc_ei_goodman_dispose(&x->egm);
	bloc_ei_input_dispose(&x->ein);
	for (i = 0; i < x->ntg; i++)
		bloc_targets_dispose(&x->tg[i]);
	bloc_projection_dispose(&x->pr.p);
	bloc_totals_dispose(&x->t);
	bloc_seat_results_dispose(&x->r);
}

/* The 20 closest targets of the two largest parties. */
static int report_targets(bloc_report *rep, const bloc_contest *c, struct report_parts *x)
{
	bloc_party big[2];
	size_t nbig = largest_parties(&x->t, big);
	int err;

	for (x->ntg = 0; x->ntg < nbig; x->ntg++) {
		if ((err = bloc_targets_compute(&x->tg[x->ntg], c, &x->r, big[x->ntg])) < 0)
			return err;
		rep->targets[x->ntg] = &x->tg[x->ntg];
		rep->target_party[x->ntg] = big[x->ntg];
	}
	rep->ntargets = x->ntg;
	rep->target_limit = 20;
	return BLOC_OK;
}

/* The group's bloc power and how it voted: the bounded Goodman estimate (deterministic, instant,
 * inside the bounds and so inside 0..1; no interval) with the bounds. */
static int report_group(bloc_store *st, bloc_report *rep, const bloc_contest *c, const char *group,
                        struct report_parts *x)
{
	const bloc_group_shares *g;
	size_t k;
	int err;

	bloc_power_options_init(&x->po);
	if ((err = bloc_store_group_shares(st, c, group, &g)) < 0 ||
	    (err = bloc_power_compute(&x->pw, c, g, &x->po)) < 0 ||
	    (err = bloc_ei_from_contest(&x->ein, c, g, 1, 0.02, 0)) < 0 ||
	    (err = bloc_ei_goodman_fit(&x->egm, &x->ein, 0)) < 0 ||
	    (err = bloc_ei_bounds_compute(&x->eb, &x->ein)) < 0 ||
	    (err = bloc_ei_goodman_bounded(x->bounded, &x->egm, &x->eb, &x->ein)) < 0)
		return err;
	for (k = 0; k < x->ein.R * x->ein.C; k++)
		x->no_interval[k] = NAN;
	x->ev = (bloc_ei_view){"goodman-bounded",
	                       x->ein.R,
	                       x->ein.C,
	                       x->bounded,
	                       x->no_interval,
	                       x->no_interval,
	                       NULL,
	                       NULL,
	                       NULL,
	                       NULL,
	                       NULL,
	                       NULL,
	                       NULL};
	rep->power_group = g;
	rep->power_options = &x->po;
	rep->power = &x->pw;
	rep->ei_input = &x->ein;
	rep->ei = &x->ev;
	rep->ei_bounds = &x->eb;
	return BLOC_OK;
}

/* The forecast section: bloc forecast CONTEST --polls ..., its table, chart and map from one run
 * of the simulations. */
static int report_forecast(bloc_store *st, const struct report_rq *r, bloc_answer ans[3])
{
	bloc_request *q = NULL;
	char sims[32], seed[32];
	int err;

	snprintf(sims, sizeof(sims), "%llu", bloc__given(r, "sims") ? r->sims : 10000ULL);
	snprintf(seed, sizeof(seed), "%llu", bloc__given(r, "seed") ? r->seed : 1ULL);
	if ((err = bloc_request_new(&q, "forecast")) == BLOC_OK &&
	    (err = bloc_request_set(q, "base", r->contest)) == BLOC_OK &&
	    (err = bloc_request_set(q, "polls", r->polls)) == BLOC_OK &&
	    (!r->date || (err = bloc_request_set(q, "date", r->date)) == BLOC_OK) &&
	    (err = bloc_request_set(q, "sims", sims)) == BLOC_OK &&
	    (err = bloc_request_set(q, "seed", seed)) == BLOC_OK)
		err = bloc__forecast_report(ans, st, q);
	bloc_request_free(q);
	return err;
}

/* The simulated by-election: bloc simulate SEAT CONTEST, its table and chart from one run. */
static int report_simulate(bloc_store *st, const struct report_rq *r, bloc_answer ans[2])
{
	bloc_request *q = NULL;
	char reps[32], seed[32];
	int err;

	snprintf(reps, sizeof(reps), "%llu", bloc__given(r, "replicates") ? r->replicates : 100ULL);
	snprintf(seed, sizeof(seed), "%llu", bloc__given(r, "seed") ? r->seed : 1ULL);
	if ((err = bloc_request_new(&q, "simulate")) == BLOC_OK &&
	    (err = bloc_request_set(q, "seat", r->simulate)) == BLOC_OK &&
	    (err = bloc_request_set(q, "base", r->contest)) == BLOC_OK &&
	    (!r->strategy || (err = bloc_request_set(q, "strategy", r->strategy)) == BLOC_OK) &&
	    (!r->simulate_stand ||
	     (err = bloc_request_set(q, "stand", r->simulate_stand)) == BLOC_OK) &&
	    (err = bloc_request_set(q, "replicates", reps)) == BLOC_OK &&
	    (err = bloc_request_set(q, "seed", seed)) == BLOC_OK)
		err = bloc__simulate_report(ans, st, q);
	bloc_request_free(q);
	return err;
}

static int run_report(bloc_answer *out, bloc_store *st, const void *rq)
{
	const struct report_rq *r = rq;
	const char *group = power_group(rq);
	struct report_parts x;
	const bloc_contest *c;
	const bloc_hexmap *m;
	bloc_report rep;
	bloc_buf doc = BLOC_BUF_INIT;
	bloc_answer fc[3] = {BLOC_ANSWER_INIT, BLOC_ANSWER_INIT, BLOC_ANSWER_INIT};
	bloc_answer sim[2] = {BLOC_ANSWER_INIT, BLOC_ANSWER_INIT};
	int err;

	memset(&x, 0, sizeof(x));
	bloc_report_init(&rep);
	if ((err = bloc_store_contest(st, r->contest, &c)) < 0 ||
	    (err = bloc_seat_results_compute(&x.r, c)) < 0 ||
	    (err = bloc_totals_compute(&x.t, c, &x.r, BLOC_BY_UK)) < 0)
		goto done;
	rep.contest = c;
	rep.results = &x.r;
	rep.totals = &x.t;
	rep.source = bloc_store_source_text(st, c, x.src, sizeof(x.src));
	/* a contest no layout covers is reported without maps; a broken layout file is an error */
	if ((err = bloc_store_hexmap(st, c, &m)) == BLOC_OK) {
		if ((err = warn_missing(out, m, c)) < 0)
			goto done;
		rep.hexmap = m;
	} else if (err != BLOC_ENOTFOUND ||
	           (err = bloc__warn(out, "warning: no map: %s", bloc_error_last())) < 0) {
		goto done;
	}
	bloc_error_clear();
	if ((err = project_first(st, rq, r->contest, r->scenario, 1, 0, c, &x.pr)) < 0)
		goto done;
	if (x.pr.given) {
		rep.scenario = &x.pr.sc;
		rep.projection = &x.pr.p;
		rep.scenario_groups = x.pr.sc.ngroups ? x.pr.groups : NULL;
	}
	if (r->polls) {
		if ((err = report_forecast(st, r, fc)) < 0)
			goto done;
		rep.forecast = fc[0].table;
		rep.forecast_chart = fc[1].doc;
		rep.forecast_map = fc[2].doc;
	}
	if (r->simulate) {
		if ((err = report_simulate(st, r, sim)) < 0)
			goto done;
		rep.simulation = sim[0].table;
		rep.simulation_chart = sim[1].doc;
	}
	if ((err = report_targets(&rep, c, &x)) < 0 ||
	    (group && (err = report_group(st, &rep, c, group, &x)) < 0) ||
	    (err = bloc_report_html(&doc, &rep)) < 0)
		goto done;
	err = bloc__finish_doc(out, &doc, HTML_TYPE);
done:
	bloc_answer_dispose(&fc[0]);
	bloc_answer_dispose(&fc[1]);
	bloc_answer_dispose(&fc[2]);
	bloc_answer_dispose(&sim[0]);
	bloc_answer_dispose(&sim[1]);
	bloc_buf_dispose(&doc);
	parts_dispose(&x);
	return err;
}

/* With --polls the report simulates: its simulations within the limit. */
static int report_within(const void *rq, const bloc_limits *lim)
{
	const struct report_rq *r = rq;
	unsigned long long sims = bloc__given(r, "sims") ? r->sims : 10000;

	if (r->polls && lim->max_sims && sims > lim->max_sims)
		return bloc__over_limit(lim, "sims", lim->max_sims);
	if (r->simulate && lim->max_sims &&
	    (bloc__given(r, "replicates") ? r->replicates : 100) > lim->max_sims / 100)
		return bloc__over_limit(lim, "replicates", lim->max_sims / 100);
	return BLOC_OK;
}

const struct bloc__query bloc__q_report = {.name = "report",
                                           .size = sizeof(struct report_rq),
                                           .params = report_params,
                                           .check = check_report,
                                           .run = run_report,
                                           .within = report_within};
