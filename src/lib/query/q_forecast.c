/* bloc forecast: a poll average sets the GB shares of a projection of BASE (with any scenario
 * settings); a Monte Carlo of correlated national, regional, demographic and seat errors around
 * it gives seat probabilities and seat distributions (forecast.h). With --actual, the forecast
 * is scored against the result (a backtest). */
#include "query_int.h"

#include "../core/alloc.h"
#include "../util/json.h"
#include "../util/num.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define OFF(type, field) offsetof(struct type, field)

#define SIMS_MAX    100000000.0
#define THREADS_MAX 1024.0

/* Defaults and their sources (docs/forecast.md). */
#define DEF_DF          5.0  /* national errors' t df: 538 2024; Heidemanns */
#define DEF_SEAT_DF     5.0  /* seat noise t df */
#define DEF_SEAT_SD     3.5  /* points: SD of seat change net of region, 1997-2017 pairs */
#define DEF_REGION_SD   2.0  /* points: regional departures, England and Wales */
#define DEF_SCOTLAND_SD 5.0  /* points: Scotland (2015) */
#define DEF_FACTOR_SD   25.0 /* points per unit of census share, a party at 35% (assumption) */
#define DEF_KAPPA       360.0
#define DEF_UNPOLLED    0.25 /* a party no poll covers: relative SD of its share (assumption) */

static const char *const views[] = {"party", "seat", "spec", "history", "map", "chart", NULL};

struct forecast_rq {
	struct bloc__request_head h;
	const char *base, *polls, *date, *given, *actual, *factors, *calibrate, *history, *compare,
	    *by_election, *changes;
	double window, halflife, df, seat_df, seat_sd, region_sd, scale;
	unsigned long long sims, seed, threads;
	int house, view;
};

static const struct bloc__param forecast_params[] = {
    {"base", BLOC__P_TEXT, OFF(forecast_rq, base), NULL, 0, 0, 0, NULL, NULL},
    {"polls", BLOC__P_TEXT, OFF(forecast_rq, polls), NULL, 0, 0, 0, NULL, NULL},
    {"date", BLOC__P_TEXT, OFF(forecast_rq, date), NULL, 0, 0, 0, NULL, NULL},
    {"window", BLOC__P_REAL, OFF(forecast_rq, window), "days from 1 to 3650", 1, 3650, 1, NULL,
     NULL},
    {"halflife", BLOC__P_REAL, OFF(forecast_rq, halflife), "days from 0 (none) to 3650", 0, 3650, 1,
     NULL, NULL},
    {"house-effects", BLOC__P_FLAG, OFF(forecast_rq, house), NULL, 0, 0, 0, NULL, NULL},
    {"history", BLOC__P_TEXT, OFF(forecast_rq, history), NULL, 0, 0, 0, NULL, NULL},
    {"df", BLOC__P_REAL, OFF(forecast_rq, df), "degrees of freedom above 2, or 0 (normal)", 0, 1e6,
     1, NULL, NULL},
    {"seat-df", BLOC__P_REAL, OFF(forecast_rq, seat_df),
     "degrees of freedom above 2, or 0 (normal)", 0, 1e6, 1, NULL, NULL},
    {"seat-sd", BLOC__P_REAL, OFF(forecast_rq, seat_sd), "points from 0 to 10", 0, 10, 1, NULL,
     NULL},
    {"region-sd", BLOC__P_REAL, OFF(forecast_rq, region_sd), "points from 0 to 50", 0, 50, 1, NULL,
     NULL},
    {"error-scale", BLOC__P_REAL, OFF(forecast_rq, scale), "a factor from 0 to 3", 0, 3, 1, NULL,
     NULL},
    {"factors", BLOC__P_TEXT, OFF(forecast_rq, factors), NULL, 0, 0, 0, NULL, NULL},
    {"calibrate", BLOC__P_TEXT, OFF(forecast_rq, calibrate), NULL, 0, 0, 0, NULL, NULL},
    {"given", BLOC__P_TEXT, OFF(forecast_rq, given), NULL, 0, 0, 0, NULL, NULL},
    {"actual", BLOC__P_TEXT, OFF(forecast_rq, actual), NULL, 0, 0, 0, NULL, NULL},
    {"compare", BLOC__P_TEXT, OFF(forecast_rq, compare), NULL, 0, 0, 0, NULL, NULL},
    {"by-election", BLOC__P_TEXT, OFF(forecast_rq, by_election), NULL, 0, 0, 0, NULL, NULL},
    {"changes", BLOC__P_TEXT, OFF(forecast_rq, changes), NULL, 0, 0, 0, NULL, NULL},
    {"sims", BLOC__P_WHOLE, OFF(forecast_rq, sims), NULL, 1, SIMS_MAX, 0, NULL, NULL},
    {"seed", BLOC__P_WHOLE, OFF(forecast_rq, seed), NULL, 0, BLOC__WHOLE_MAX, 0, NULL, NULL},
    {"threads", BLOC__P_WHOLE, OFF(forecast_rq, threads), NULL, 0, THREADS_MAX, 0, NULL, NULL},
    {"by", BLOC__P_CHOICE, OFF(forecast_rq, view), "party, seat, spec, history, map or chart", 0, 0,
     0, views, NULL},
    SCENE_PARAMS,
    {NULL, 0, 0, NULL, 0, 0, 0, NULL, NULL}};

static int check_forecast(const void *rq)
{
	const struct forecast_rq *r = rq;

	if (!r->base || !*r->base)
		return bloc_error_set(BLOC_EUSAGE, "expected BASE (a contest id such as ge2024)");
	if ((!r->polls || !*r->polls) && !r->by_election)
		return bloc_error_set(BLOC_EUSAGE,
		                      "--polls ID|FILE is required (pollbase, polls-ge2024-final, "
		                      "or a CSV of polls)");
	if (r->date && bloc_date_days(r->date) == BLOC_NO_DATE)
		return bloc_error_set(BLOC_EUSAGE, "--date: expected YYYY-MM-DD, found '%.40s'",
		                      r->date);
	if (bloc__given(rq, "df") && r->df != 0 && !(r->df > 2))
		return bloc_error_set(BLOC_EINVAL,
		                      "--df: expected above 2 (a unit SD) or 0, got %g", r->df);
	if (bloc__given(rq, "seat-df") && r->seat_df != 0 && !(r->seat_df > 2))
		return bloc_error_set(BLOC_EINVAL,
		                      "--seat-df: expected above 2 (a unit SD) or 0, got %g",
		                      r->seat_df);
	return BLOC_OK;
}

static int forecast_within(const void *rq, const bloc_limits *lim)
{
	const struct forecast_rq *r = rq;
	unsigned long long sims = bloc__given(r, "sims") ? r->sims : 40000;

	if (lim->max_sims && sims > lim->max_sims)
		return bloc__over_limit(lim, "sims", lim->max_sims);
	return BLOC_OK;
}

/* Region index of each seat: Scotland, Wales and Northern Ireland whole, England by region. */
static int regions_of(const bloc_contest *c, size_t *region, char names[][48], size_t *n)
{
	size_t s, k;

	*n = 0;
	for (s = 0; s < c->nseats; s++) {
		const char *nm = strcmp(c->nation[s], "England") == 0 && *c->region[s]
		                     ? c->region[s]
		                 : *c->nation[s] ? c->nation[s]
		                                 : "other";
		for (k = 0; k < *n && strcmp(names[k], nm) != 0; k++)
			;
		if (k == *n) {
			if (*n == BLOC_FORECAST_MAX_REGIONS)
				return bloc_error_set(BLOC_EINVAL, "%s: more than %d regions",
				                      c->id, BLOC_FORECAST_MAX_REGIONS);
			snprintf(names[k], 48, "%s", nm);
			(*n)++;
		}
		region[s] = k;
	}
	return BLOC_OK;
}

/* The latest pair of general elections (or notional results) on the same boundaries, both
 * before `before` (days): b the later. 1 found, 0 none. */
static int auto_pair(const bloc_dataset *ds, int32_t before, const char **a, const char **b)
{
	const bloc_catalog_entry *best_b = NULL, *best_a = NULL;
	size_t i, j, n = bloc_dataset_count(ds);

	for (i = 0; i < n; i++) {
		const bloc_catalog_entry *e = bloc_dataset_entry(ds, i), *pa = NULL;
		int32_t d = bloc_date_days(e->date);
		if ((strcmp(e->kind, "general-election") != 0 &&
		     strcmp(e->kind, "notional") != 0) ||
		    *e->filter || d == BLOC_NO_DATE || d >= before)
			continue;
		for (j = 0; j < n; j++) {
			const bloc_catalog_entry *f = bloc_dataset_entry(ds, j);
			int32_t df = bloc_date_days(f->date);
			if ((strcmp(f->kind, "general-election") != 0 &&
			     strcmp(f->kind, "notional") != 0) ||
			    *f->filter || df == BLOC_NO_DATE || df >= d ||
			    strcmp(f->boundaries, e->boundaries) != 0)
				continue;
			if (!pa || df > bloc_date_days(pa->date))
				pa = f;
		}
		if (pa && (!best_b || d > bloc_date_days(best_b->date))) {
			best_b = e;
			best_a = pa;
		}
	}
	if (!best_b)
		return 0;
	*a = best_a->id;
	*b = best_b->id;
	return 1;
}

/* The census loadings of contest c's seats for the factors: nseats x K (NaN unknown). */
static int loadings(bloc_store *st, const bloc_contest *c, char names[][32], size_t K, double **out)
{
	size_t s, k;
	int err;

	*out = NULL;
	if (!K)
		return BLOC_OK;
	if (!(*out = bloc_malloc(c->nseats * K * sizeof(**out))))
		return bloc_error_oom("factor loadings");
	for (k = 0; k < K; k++) {
		const bloc_group_shares *g;
		if ((err = bloc_store_group_shares(st, c, names[k], &g)) < 0)
			return err;
		for (s = 0; s < c->nseats; s++)
			(*out)[s * K + k] = g->share[s];
	}
	return BLOC_OK;
}

/* "E14001327=IND,..." into conditions on the projection's columns. */
static int parse_given(const char *text, const bloc_contest *c, const bloc_projection *pr,
                       bloc_forecast_given *g, size_t cap, size_t *n)
{
	const char *s = text;

	*n = 0;
	while (*s) {
		/* a seat name may hold commas ("Caithness, Sutherland and Easter Ross"), a party
		 * code none: each condition ends at the first ',' after its '=' */
		size_t eq = strcspn(s, "="), len = s[eq] ? eq + 1 + strcspn(s + eq + 1, ",") : eq,
		       seat, p, k;
		char seatq[160], party[64];
		bloc_party pp;
		int err;
		if (!s[eq] || eq == 0 || eq >= sizeof(seatq) || len - eq - 1 >= sizeof(party) ||
		    len == eq + 1)
			return bloc_error_set(BLOC_EUSAGE,
			                      "--given: expected SEAT=PARTY,... (such as "
			                      "E14001327=IND), found '%.*s'",
			                      (int)(len < 60 ? len : 60), s);
		if (*n == cap)
			return bloc_error_set(BLOC_EINVAL, "--given: at most %zu conditions", cap);
		memcpy(seatq, s, eq);
		seatq[eq] = '\0';
		memcpy(party, s + eq + 1, len - eq - 1);
		party[len - eq - 1] = '\0';
		if ((err = bloc_contest_find_seat(c, seatq, &seat)) < 0 ||
		    (err = bloc__party("--given", party, &pp)) < 0)
			return err;
		for (p = 0; p < pr->nparties && pr->parties[p] != bloc_party_successor(pp); p++)
			;
		if (p == pr->nparties || !pr->cand[seat * pr->nparties + p])
			return bloc_error_set(BLOC_EINVAL, "--given: %s has no %s candidate in %s",
			                      c->name[seat], bloc_party_code(pp), c->id);
		for (k = 0; k < *n; k++)
			if (g[k].seat == seat && g[k].party != p)
				return bloc_error_set(
				    BLOC_EINVAL, "--given: %s cannot go to both %s and %s",
				    c->name[seat], bloc_party_code(pr->parties[g[k].party]),
				    bloc_party_code(pr->parties[p]));
		g[*n].seat = seat;
		g[*n].party = p;
		(*n)++;
		s += len;
		if (*s == ',')
			s++;
	}
	return BLOC_OK;
}

/* Column of party p (or its successor) among the projection's parties, or SIZE_MAX. */
static size_t column(const bloc_projection *pr, bloc_party p)
{
	size_t k;
	bloc_party q = bloc_party_successor(p);

	for (k = 0; k < pr->nparties; k++)
		if (pr->parties[k] == q)
			return k;
	return SIZE_MAX;
}

struct ctx {
	const bloc_contest *c;
	bloc_projection pr;
	bloc_polls *polls, *hist;
	bloc_poll_average avg;
	bloc_poll_errors errs;
	int have_errs;
	bloc_forecast_spec sp;
	size_t *region;
	char rnames[BLOC_FORECAST_MAX_REGIONS][48];
	char fnames[BLOC_FORECAST_MAX_FACTORS][32];
	double *load, *weight, *gbweight, *centre;
	bloc_forecast_calibration cal;
	const char *cal_a, *cal_b;
	double shrink;
	bloc_forecast f;
	bloc_forecast_summary sm;
	double poll[BLOC_FORECAST_MAX_PARTIES];
	int32_t date;
};

static void ctx_dispose(struct ctx *x)
{
	bloc_projection_dispose(&x->pr);
	bloc_polls_free(x->polls);
	bloc_polls_free(x->hist);
	bloc_poll_average_dispose(&x->avg);
	bloc_free(x->region);
	bloc_free(x->load);
	bloc_free(x->weight);
	bloc_free(x->gbweight);
	bloc_free(x->centre);
	bloc_forecast_dispose(&x->f);
	bloc_forecast_summary_dispose(&x->sm);
}

/* The scenario: the poll average as GB shares, --shares over it, then the other settings. */
static int scenario(bloc_store *st, const struct forecast_rq *r, struct ctx *x, bloc_scenario *sc)
{
	bloc_area_shares gb;
	size_t i, k, a;
	int err, given;

	if ((err = bloc__scenario(st, r, NULL, NULL, 0, sc, &given)) < 0)
		return err;
	memset(&gb, 0, sizeof(gb));
	snprintf(gb.area, sizeof(gb.area), "GB");
	for (k = 0; k < x->avg.nparties; k++) {
		if (isnan(x->avg.share[k]))
			continue;
		gb.shares[gb.n].party = x->avg.parties[k];
		gb.shares[gb.n++].value = 100 * x->avg.share[k];
	}
	/* --shares (the whole contest) go over the poll average for Great Britain */
	for (a = 0; a < sc->nareas; a++) {
		bloc_area_shares *u = &sc->areas[a];
		if (*u->area && strcasecmp(u->area, "GB") != 0)
			continue;
		for (i = 0; i < u->n; i++) {
			for (k = 0; k < gb.n && gb.shares[k].party != u->shares[i].party; k++)
				;
			if (k == gb.n) {
				if (gb.n == BLOC_SCENARIO_MAX_LIST)
					return bloc_error_set(BLOC_EINVAL,
					                      "--shares: too many parties");
				gb.n++;
			}
			gb.shares[k] = u->shares[i];
		}
		memmove(u, u + 1, (sc->nareas - a - 1) * sizeof(*u));
		sc->nareas--;
		a--;
	}
	if (sc->nareas == BLOC_SCENARIO_MAX_AREAS)
		return bloc_error_set(BLOC_EINVAL, "--region: too many areas");
	memmove(&sc->areas[1], &sc->areas[0], sc->nareas * sizeof(sc->areas[0]));
	sc->areas[0] = gb;
	sc->nareas++;
	return BLOC_OK;
}

/* The national error covariance: Con, Lab and LD from the history of final-poll errors, every
 * other party by the Dirichlet rule SD = sqrt(s(1-s)/(kappa+1)) at its share where it stands,
 * correlations between those by the Dirichlet's -sqrt(s_i s_j / ((1-s_i)(1-s_j))) at their
 * national shares (a party of one nation barely constrains the others). */
static void national(struct ctx *x, double scale)
{
	const size_t P = x->pr.nparties;
	static const char *const hc[3] = {"CON", "LAB", "LD"};
	double sd[BLOC_FORECAST_MAX_PARTIES];
	double nat[BLOC_FORECAST_MAX_PARTIES];
	int hi[BLOC_FORECAST_MAX_PARTIES];
	const double kappa = x->have_errs ? x->errs.kappa : DEF_KAPPA;
	size_t p, q, k;

	for (p = 0; p < P; p++) {
		double s = x->sp.ref[p] / 100;
		s = s < 0.001 ? 0.001 : s > 0.999 ? 0.999 : s;
		nat[p] = x->pr.national[p] / 100;
		nat[p] = nat[p] < 0 ? 0 : nat[p] > 0.999 ? 0.999 : nat[p];
		hi[p] = -1;
		for (k = 0; k < 3 && x->have_errs; k++)
			if (strcmp(bloc_party_code(x->pr.parties[p]), hc[k]) == 0)
				hi[p] = (int)k;
		sd[p] = hi[p] >= 0          ? x->errs.sd[hi[p]]
		        : isnan(x->poll[p]) ? DEF_UNPOLLED * x->sp.ref[p]
		                            : 100 * sqrt(s * (1 - s) / (kappa + 1));
		sd[p] *= scale;
		if (sd[p] < 0.01)
			sd[p] = 0.01;
	}
	for (p = 0; p < P; p++)
		for (q = 0; q < P; q++) {
			double c = p == q ? 1
			           : hi[p] >= 0 && hi[q] >= 0
			               ? x->errs.corr[hi[p]][hi[q]]
			               : -sqrt(nat[p] * nat[q] / ((1 - nat[p]) * (1 - nat[q])));
			x->sp.national_cov[p * P + q] = sd[p] * sd[q] * c;
		}
	x->shrink = bloc_forecast_repair(x->sp.national_cov, P);
}

/* A calibration pair: two different contests, the first before the second, both by the
 * forecast's date, on the same boundaries (90% of the later one's GB seats found by code in the
 * earlier). */
static int check_pair(const bloc_contest *a, const bloc_contest *b, int32_t date)
{
	const int32_t da = bloc_date_days(a->first_date), db = bloc_date_days(b->first_date);
	size_t s, gb = 0, found = 0;

	if (a == b || strcmp(a->id, b->id) == 0)
		return bloc_error_set(BLOC_EUSAGE, "--calibrate: %s:%s is one contest, not a pair",
		                      a->id, b->id);
	if (da == BLOC_NO_DATE || db == BLOC_NO_DATE || !(da < db) || db > date)
		return bloc_error_set(
		    BLOC_EINVAL,
		    "--calibrate %s:%s: expected the earlier contest first and both "
		    "by the forecast's date, found %s and %s",
		    a->id, b->id, *a->first_date ? a->first_date : "no date",
		    *b->first_date ? b->first_date : "no date");
	for (s = 0; s < b->nseats; s++) {
		if (strcmp(b->nation[s], "Northern Ireland") == 0)
			continue;
		gb++;
		found += bloc_contest_seat(a, b->code[s]) >= 0;
	}
	if (10 * found < 9 * gb)
		return bloc_error_set(
		    BLOC_EINVAL,
		    "--calibrate %s:%s: %zu of %zu GB seats of %s found by code in "
		    "%s (expected the same boundaries)",
		    a->id, b->id, found, gb, b->id, a->id);
	return BLOC_OK;
}

static int prepare(bloc_store *st, const struct forecast_rq *r, struct ctx *x)
{
	const bloc_contest *c;
	bloc_scenario sc;
	bloc_group_shares groups[BLOC_SCENARIO_MAX_GROUPS];
	bloc_poll_average_options ao;
	size_t s, p, k, K = 0;
	double gbtotal = 0;
	int err;

	if ((err = bloc_store_contest(st, r->base, &c)) < 0)
		return err;
	x->c = c;
	if ((err = bloc_store_polls(st, r->polls, &x->polls)) < 0)
		return err;
	/* the date: given, else the newest poll's end */
	x->date = r->date ? bloc_date_days(r->date) : BLOC_NO_DATE;
	if (x->date == BLOC_NO_DATE)
		for (s = 0; s < x->polls->npolls; s++)
			if (x->polls->end[s] > x->date)
				x->date = x->polls->end[s];
	if (x->date == BLOC_NO_DATE)
		return bloc_error_set(BLOC_ENOTFOUND, "%s: no poll has an end date (%zu rows)",
		                      x->polls->source, x->polls->npolls);
	bloc_poll_average_options_init(&ao);
	ao.date = x->date;
	if (bloc__given(r, "window"))
		ao.window = r->window;
	if (bloc__given(r, "halflife"))
		ao.halflife = r->halflife;
	ao.house_effects = r->house;
	if ((err = bloc_polls_average(&x->avg, x->polls, &ao)) < 0)
		return err;
	/* the history of final-poll errors before the date */
	if ((err = bloc_store_polls(st, r->history ? r->history : "pollbase", &x->hist)) < 0)
		return err;
	if ((err = bloc_poll_errors_compute(&x->errs, x->hist, x->date, 7)) == BLOC_OK)
		x->have_errs = 1;
	else if (err == BLOC_ENOTFOUND)
		bloc_error_clear();
	else
		return err;
	/* the deterministic projection at the poll average */
	if ((err = scenario(st, r, x, &sc)) < 0 ||
	    (err = bloc_scenario_set(&sc, "base", r->base)) < 0 ||
	    (err = bloc__scenario_groups(st, c, &sc, groups)) < 0 ||
	    (err = bloc_store_project(st, &x->pr, c, &sc, sc.ngroups ? groups : NULL)) < 0)
		return err;
	const size_t S = c->nseats, P = x->pr.nparties;
	if (P > BLOC_FORECAST_MAX_PARTIES)
		return bloc_error_set(BLOC_EINVAL, "%s: %zu parties, at most %d in a forecast",
		                      c->id, P, BLOC_FORECAST_MAX_PARTIES);
	x->region = bloc_calloc(S + 1, sizeof(*x->region));
	x->weight = bloc_calloc(S + 1, sizeof(*x->weight));
	x->gbweight = bloc_calloc(S + 1, sizeof(*x->gbweight));
	x->centre = bloc_calloc(S * P + 1, sizeof(*x->centre));
	if (!x->region || !x->weight || !x->gbweight || !x->centre)
		return bloc_error_oom("a forecast of %s", c->id);
	for (s = 0; s < S; s++) {
		x->weight[s] = c->valid[s] > 0 ? (double)c->valid[s] : 0;
		/* national shares as the polls measure them: Great Britain's */
		x->gbweight[s] = strcmp(c->nation[s], "Northern Ireland") == 0 ? 0 : x->weight[s];
		gbtotal += x->gbweight[s];
		for (p = 0; p < P; p++)
			x->centre[s * P + p] = x->pr.cand[s * P + p] ? x->pr.share[s * P + p] : 0;
	}
	if ((err = regions_of(c, x->region, x->rnames, &x->sp.nregions)) < 0)
		return err;
	/* factors */
	{
		const char *f = r->factors ? r->factors : "muslim";
		while (*f && strcasecmp(f, "none") != 0) {
			size_t len = strcspn(f, ",");
			if (K == BLOC_FORECAST_MAX_FACTORS || len == 0 || len >= 32)
				return bloc_error_set(BLOC_EUSAGE,
				                      "--factors: 1 to %d census groups (such as "
				                      "muslim,no-religion) or none",
				                      BLOC_FORECAST_MAX_FACTORS);
			memcpy(x->fnames[K], f, len);
			x->fnames[K++][len] = '\0';
			f += len + (f[len] == ',');
		}
	}
	if ((err = loadings(st, c, x->fnames, K, &x->load)) < 0)
		return err;
	/* the spec */
	bloc_forecast_spec *sp = &x->sp;
	sp->nseats = S;
	sp->nparties = P;
	sp->parties = x->pr.parties;
	sp->centre = x->centre;
	sp->weight = gbtotal > 0 ? x->gbweight : x->weight;
	for (p = 0; p < P; p++) {
		double v = 0, w = 0;
		for (s = 0; s < S; s++)
			if (x->centre[s * P + p] > 0) {
				v += x->weight[s] * x->centre[s * P + p];
				w += x->weight[s];
			}
		sp->ref[p] = w > 0 ? 100 * v / w : 0; /* its share where it stands */
	}
	for (p = 0; p < P; p++) {
		x->poll[p] = NAN;
		for (k = 0; k < x->avg.nparties; k++)
			if (bloc_party_successor(x->avg.parties[k]) == x->pr.parties[p] &&
			    !isnan(x->avg.share[k]))
				x->poll[p] = 100 * x->avg.share[k];
	}
	const double scale = bloc__given(r, "error-scale") ? r->scale : 1;
	national(x, scale);
	sp->df = bloc__given(r, "df") ? r->df : DEF_DF;
	sp->seat_df = bloc__given(r, "seat-df") ? r->seat_df : DEF_SEAT_DF;
	sp->region = x->region;
	sp->nfactors = K;
	/* a nominal load of 0 for seats without census data */
	double *load0 = NULL;
	if (K) {
		if (!(load0 = bloc_malloc(S * K * sizeof(*load0))))
			return bloc_error_oom("factor loadings");
		for (s = 0; s < S * K; s++)
			load0[s] = isnan(x->load[s]) ? 0 : x->load[s];
	}
	/* calibration on a past pair */
	int calibrated = 0;
	if (!r->calibrate || strcasecmp(r->calibrate, "none") != 0) {
		const char *a = NULL, *b = NULL;
		char buf[128];
		if (r->calibrate && strchr(r->calibrate, ':')) {
			/* FROM:TO, split at the first ':' after which both sides name something
			 * (a filtered id such as ID:column=value holds a ':' of its own) */
			char *colon;
			snprintf(buf, sizeof(buf), "%s", r->calibrate);
			colon = strchr(buf, ':');
			while (colon &&
			       !bloc_dataset_find(bloc_store_catalog(st), (*colon = '\0', buf)) &&
			       strchr(colon + 1, ':')) {
				*colon = ':';
				colon = strchr(colon + 1, ':');
			}
			a = buf;
			b = colon + 1;
		} else if (r->calibrate && strcasecmp(r->calibrate, "auto") != 0) {
			bloc_free(load0);
			return bloc_error_set(BLOC_EUSAGE,
			                      "--calibrate: expected auto, none or FROM:TO (two "
			                      "contests on the same boundaries), got '%.60s'",
			                      r->calibrate);
		} else if (!auto_pair(bloc_store_catalog(st), x->date, &a, &b))
			a = b = NULL;
		if (a && b) {
			const bloc_contest *ca, *cb;
			size_t *rb = NULL;
			double *lb = NULL;
			size_t nr = 0;
			char rn[BLOC_FORECAST_MAX_REGIONS][48];
			if ((err = bloc_store_contest(st, a, &ca)) < 0 ||
			    (err = bloc_store_contest(st, b, &cb)) < 0) {
				bloc_free(load0);
				return err;
			}
			if ((err = check_pair(ca, cb, x->date)) < 0) {
				bloc_free(load0);
				return err;
			}
			x->cal_a = ca->id;
			x->cal_b = cb->id;
			if (!(rb = bloc_calloc(cb->nseats + 1, sizeof(*rb)))) {
				bloc_free(load0);
				return bloc_error_oom("calibration");
			}
			if ((err = regions_of(cb, rb, rn, &nr)) == BLOC_OK &&
			    (err = loadings(st, cb, x->fnames, K, &lb)) == BLOC_OK)
				err = bloc_forecast_calibrate(&x->cal, ca, cb, nr, rb, K, lb);
			bloc_free(rb);
			bloc_free(lb);
			if (err < 0) {
				bloc_free(load0);
				return err;
			}
			/* regions of the pair by name onto the base's */
			for (k = 0; k < sp->nregions; k++) {
				size_t j;
				sp->region_sd[k] = -1;
				for (j = 0; j < nr && strcmp(rn[j], x->rnames[k]) != 0; j++)
					;
				if (j < nr)
					sp->region_sd[k] = x->cal.region_sd[j] * scale;
				for (size_t m = 0; m < sp->nregions; m++) {
					size_t jm;
					for (jm = 0; jm < nr && strcmp(rn[jm], x->rnames[m]) != 0;
					     jm++)
						;
					sp->region_corr[k * sp->nregions + m] =
					    k == m              ? 1
					    : j < nr && jm < nr ? x->cal.region_corr[j * nr + jm]
					                        : 0;
				}
			}
			calibrated = 1;
		}
	}
	for (k = 0; k < sp->nregions; k++) {
		if (!calibrated) {
			sp->region_corr[k * sp->nregions + k] = 1;
			sp->region_sd[k] = -1;
		}
		/* one pair's regional departures can be small by chance: never below the long-run
		 * figure */
		const double def =
		    (strcmp(x->rnames[k], "Scotland") == 0 ? DEF_SCOTLAND_SD : DEF_REGION_SD) *
		    scale;
		if (sp->region_sd[k] < def)
			sp->region_sd[k] = def;
		if (bloc__given(r, "region-sd"))
			sp->region_sd[k] = r->region_sd;
	}
	if (calibrated)
		bloc_forecast_repair(sp->region_corr, sp->nregions);
	for (k = 0; k < K; k++)
		for (p = 0; p < P; p++) {
			double f = sp->ref[p] / 100, def;
			f = f < 0.001 ? 0.001 : f;
			def = DEF_FACTOR_SD * sqrt(f * (1 - f)) / sqrt(0.35 * 0.65);
			sp->factor_sd[k * P + p] = def * scale;
			if (calibrated) {
				size_t j;
				for (j = 0;
				     j < x->cal.nparties &&
				     bloc_party_successor(x->cal.parties[j]) != x->pr.parties[p];
				     j++)
					;
				if (j < x->cal.nparties && x->cal.factor_slope[k * 64 + j] != 0)
					sp->factor_sd[k * P + p] =
					    fabs(x->cal.factor_slope[k * 64 + j]) * scale;
			}
		}
	for (p = 0; p < P; p++) {
		size_t j;
		sp->own_sd[p] = 0;
		if (!calibrated)
			continue;
		for (j = 0; j < x->cal.nparties &&
		            bloc_party_successor(x->cal.parties[j]) != x->pr.parties[p];
		     j++)
			;
		if (j < x->cal.nparties)
			sp->own_sd[p] = fabs(x->cal.own_slope[j]) * scale;
	}
	if (calibrated) {
		/* parties the pair cannot measure (new, or under its 5%): the RMS of those it can
		 */
		double sq = 0, n = 0;
		for (p = 0; p < P; p++)
			if (sp->own_sd[p] > 0) {
				sq += sp->own_sd[p] * sp->own_sd[p];
				n++;
			}
		for (p = 0; p < P; p++)
			if (!(sp->own_sd[p] > 0) && n > 0)
				sp->own_sd[p] = sqrt(sq / n);
	}
	bloc_free(x->load);
	x->load = load0;
	sp->load = x->load;
	sp->seat_sd = bloc__given(r, "seat-sd")          ? r->seat_sd
	              : calibrated && x->cal.seat_sd > 0 ? x->cal.seat_sd * scale
	                                                 : DEF_SEAT_SD * scale;
	sp->majority = S / 2 + 1;
	/* the tipping point of the party with the most seats in the projection */
	sp->tip_party = -1;
	for (p = 0; p < P; p++)
		if (sp->tip_party < 0 || x->pr.seats[p] > x->pr.seats[sp->tip_party])
			sp->tip_party = (long)p;
	return BLOC_OK;
}

/* by=spec: the model's inputs as JSON, every array in full (a reference implementation, or a
 * reader checking a figure, starts here). */
static void put_reals(bloc_buf *b, const char *key, const double *v, size_t n)
{
	size_t i;

	bloc_buf_printf(b, ",\n\"%s\":[", key);
	for (i = 0; i < n; i++)
		bloc_buf_printf(b, "%s%.17g", i ? "," : "", isnan(v[i]) ? 0 : v[i]);
	bloc_buf_puts(b, "]");
}

static int spec_doc(bloc_answer *out, const struct ctx *x, const bloc_forecast_options *o)
{
	const bloc_forecast_spec *sp = &x->sp;
	const size_t S = sp->nseats, P = sp->nparties, R = sp->nregions, K = sp->nfactors;
	bloc_buf b = BLOC_BUF_INIT;
	double *reg = bloc_malloc((S + 1) * sizeof(*reg));
	size_t i;
	int err;

	if (!reg)
		return bloc_error_oom("the forecast's spec");
	bloc_buf_printf(&b,
	                "{\"nseats\":%zu,\"nparties\":%zu,\"nregions\":%zu,\"nfactors\":%zu,"
	                "\"majority\":%zu,\"df\":%.17g,\"seat_df\":%.17g,\"seat_sd\":%.17g,"
	                "\"sims\":%llu,\"seed\":%llu,\"tip_party\":%ld,\n\"parties\":[",
	                S, P, R, K, sp->majority, sp->df, sp->seat_df, sp->seat_sd,
	                (unsigned long long)o->sims, (unsigned long long)o->seed, sp->tip_party);
	for (i = 0; i < P; i++) {
		if (i)
			bloc_buf_puts(&b, ",");
		bloc__json_put_string(&b, bloc_party_code(sp->parties[i]));
	}
	bloc_buf_puts(&b, "],\n\"codes\":[");
	for (i = 0; i < S; i++) {
		if (i)
			bloc_buf_puts(&b, ",");
		bloc__json_put_string(&b, x->c->code[i]);
	}
	bloc_buf_puts(&b, "]");
	for (i = 0; i < S; i++)
		reg[i] = (double)sp->region[i];
	put_reals(&b, "region", reg, S);
	put_reals(&b, "centre", sp->centre, S * P);
	put_reals(&b, "weight", sp->weight, S);
	put_reals(&b, "ref", sp->ref, P);
	put_reals(&b, "national_cov", sp->national_cov, P * P);
	put_reals(&b, "region_sd", sp->region_sd, R);
	put_reals(&b, "region_corr", sp->region_corr, R * R);
	put_reals(&b, "load", sp->load ? sp->load : sp->ref, sp->load ? S * K : 0);
	put_reals(&b, "factor_sd", sp->factor_sd, K * P);
	put_reals(&b, "own_sd", sp->own_sd, P);
	bloc_buf_puts(&b, "}\n");
	bloc_free(reg);
	if ((err = bloc_buf_check(&b)) < 0) {
		bloc_buf_dispose(&b);
		return err;
	}
	err = bloc__finish_doc(out, &b, "application/json; charset=utf-8");
	bloc_buf_dispose(&b);
	return err;
}

/* by=history: the final-poll errors the national scale comes from, one row per election. */
static int history_table(bloc_table **out, const struct ctx *x)
{
	static const char *const cols[] = {"poll_con",   "poll_lab",   "poll_ld",
	                                   "result_con", "result_lab", "result_ld",
	                                   "error_con",  "error_lab",  "error_ld"};
	const bloc_poll_errors *h = &x->errs;
	bloc_table *t = NULL;
	size_t e, i;
	int err;

	if (!x->have_errs)
		return bloc_error_set(BLOC_ENOTFOUND,
		                      "no general election before the date has final polls in %s",
		                      x->hist->source);
	if ((err = bloc_table_new(&t)) < 0 ||
	    (err = bloc_table_add_column(t, "election", BLOC_COL_STRING, 0)) < 0 ||
	    (err = bloc_table_add_column(t, "polls", BLOC_COL_INT, 0)) < 0)
		goto fail;
	for (i = 0; i < 9; i++)
		if ((err = bloc_table_add_column(t, cols[i], BLOC_COL_REAL, 2)) < 0)
			goto fail;
	for (e = 0; e < h->n; e++) {
		if ((err = bloc_table_add_string(t, h->date[e])) < 0 ||
		    (err = bloc_table_add_int(t, (int64_t)h->npolls[e])) < 0)
			goto fail;
		for (i = 0; i < 3; i++)
			if ((err = bloc_table_add_real(t, h->poll[e][i])) < 0)
				goto fail;
		for (i = 0; i < 3; i++)
			if ((err = bloc_table_add_real(t, h->result[e][i])) < 0)
				goto fail;
		for (i = 0; i < 3; i++)
			if ((err = bloc_table_add_real(t, h->poll[e][i] - h->result[e][i])) < 0)
				goto fail;
	}
	if ((err = bloc_table_meta(t, "by", "history")) < 0 ||
	    (err = bloc_table_meta(t, "rms_error", "CON %.2f, LAB %.2f, LD %.2f", h->sd[0],
	                           h->sd[1], h->sd[2])) < 0 ||
	    (err = bloc_table_meta(t, "corr", "CON-LAB %.2f, CON-LD %.2f, LAB-LD %.2f",
	                           h->corr[0][1], h->corr[0][2], h->corr[1][2])) < 0 ||
	    (err = bloc_table_meta(t, "final_polls",
	                           "polls ending in the 7 days before polling "
	                           "day (30 before 1960), unweighted")) < 0 ||
	    (err = bloc_table_meta(t, "results",
	                           "GB shares, House of Commons Library (CBP-7529); "
	                           "src/lib/forecast/history.c")) < 0)
		goto fail;
	*out = t;
	return BLOC_OK;
fail:
	bloc_table_free(t);
	return err;
}

/* Every count array summed over the processes. */
static int reduce(const struct bloc__request_head *h, bloc_forecast *f)
{
	const size_t S = f->nseats, P = f->nparties, cells = S * P * BLOC_FORECAST_BINS;
	uint64_t small[3] = {f->sims, f->kept, f->hung}, *wide;
	size_t i;
	int err;

	if (h->part.size <= 1)
		return BLOC_OK;
	if ((err = h->part.reduce(small, 3, h->part.ctx)) < 0 ||
	    (err = h->part.reduce(f->wins, S * P, h->part.ctx)) < 0 ||
	    (err = h->part.reduce(f->seats, P * (S + 1), h->part.ctx)) < 0 ||
	    (err = h->part.reduce(f->majority, P, h->part.ctx)) < 0 ||
	    (err = h->part.reduce(f->largest, P, h->part.ctx)) < 0 ||
	    (err = h->part.reduce(f->tip, S, h->part.ctx)) < 0 ||
	    (err = h->part.reduce(f->national, P * BLOC_FORECAST_BINS, h->part.ctx)) < 0)
		return err;
	f->sims = small[0];
	f->kept = small[1];
	f->hung = small[2];
	if (!(wide = bloc_malloc(cells * sizeof(*wide))))
		return bloc_error_oom("reducing a forecast");
	for (i = 0; i < cells; i++)
		wide[i] = f->share[i];
	if ((err = h->part.reduce(wide, cells, h->part.ctx)) == BLOC_OK)
		for (i = 0; i < cells; i++)
			f->share[i] = (uint32_t)wide[i];
	bloc_free(wide);
	return err;
}

static int meta_list(bloc_table *t, const char *key, const struct ctx *x, const double *v,
                     int decimals)
{
	char buf[1024];
	size_t p, len = 0;

	buf[0] = '\0';
	for (p = 0; p < x->pr.nparties && len < sizeof(buf) - 40; p++) {
		if (isnan(v[p]) || !(x->sp.ref[p] >= 0.5))
			continue;
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s %.*f", len ? ", " : "",
		                        bloc_party_code(x->pr.parties[p]), decimals, v[p]);
	}
	return bloc_table_meta(t, key, "%s", buf);
}

/* A file under the data directory by its path within it (as the other sources are named). */
static const char *relative(const bloc_store *st, const char *path)
{
	const char *dir = bloc_store_dir(st);
	size_t n = strlen(dir);

	return strncmp(path, dir, n) == 0 && path[n] == '/' ? path + n + 1 : path;
}

static int metadata(bloc_table *t, bloc_store *st, const struct forecast_rq *r, const struct ctx *x,
                    const bloc_forecast_options *o)
{
	const bloc_forecast_spec *sp = &x->sp;
	const size_t P = x->pr.nparties;
	double sd[BLOC_FORECAST_MAX_PARTIES];
	char d0[11], d1[11], d[11], buf[1024];
	size_t p, k, len = 0;
	int err;

	bloc_date_text(x->avg.first, d0);
	bloc_date_text(x->avg.last, d1);
	bloc_date_text(x->date, d);
	for (p = 0; p < P; p++)
		sd[p] = sqrt(sp->national_cov[p * P + p]);
	if ((err = bloc_table_meta(t, "base", "%s", x->c->id)) < 0 ||
	    (err = bloc_table_meta(t, "polls", "%s (%s)", r->polls,
	                           relative(st, x->polls->source))) < 0 ||
	    (err = bloc_table_meta(t, "date", "%s", d)) < 0 ||
	    (err = meta_list(t, "poll_average", x, x->poll, 1)) < 0 ||
	    (err = bloc_table_meta(
	         t, "poll_window",
	         "%zu polls ending %s to %s (window %g days, half-life %g days, sample-size "
	         "weights%s)%s",
	         x->avg.used, d0, d1, bloc__given(r, "window") ? r->window : 7.0,
	         bloc__given(r, "halflife") ? r->halflife : 7.0,
	         r->house ? ", house effects over 90 days" : "",
	         x->avg.undated ? "; polls without a date left out" : "")) < 0 ||
	    (x->polls->other_area &&
	     (err = bloc_table_meta(t, "polls_left_out", "%zu rows of an area other than GB",
	                            x->polls->other_area)) < 0) ||
	    (err = bloc_table_meta(t, "shares_not_polled",
	                           "parties the polls do not cover share the rest in proportion "
	                           "to their base shares")) < 0)
		return err;
	if (x->have_errs) {
		if ((err = bloc_table_meta(
		         t, "error_history",
		         "final polls (last 7 days; 30 before 1960) against GB results, %zu "
		         "elections %s to %s: RMS error CON %.2f, LAB %.2f, LD %.2f; corr CON-LAB "
		         "%.2f, CON-LD %.2f, LAB-LD %.2f; mean error CON %+.2f, LAB %+.2f, LD "
		         "%+.2f "
		         "(not corrected); kappa %.0f",
		         x->errs.n, x->errs.first, x->errs.last, x->errs.sd[0], x->errs.sd[1],
		         x->errs.sd[2], x->errs.corr[0][1], x->errs.corr[0][2], x->errs.corr[1][2],
		         x->errs.mean[0], x->errs.mean[1], x->errs.mean[2], x->errs.kappa)) < 0)
			return err;
	} else if ((err = bloc_table_meta(t, "error_history",
	                                  "none before the date: Dirichlet kappa %.0f for every "
	                                  "party (default)",
	                                  DEF_KAPPA)) < 0)
		return err;
	if ((err = meta_list(t, "national_sd", x, sd, 2)) < 0 ||
	    (err = bloc_table_meta(t, "national_df", "%g%s", sp->df,
	                           sp->df == 0 ? " (normal)" : " (Student-t, unit SD)")) < 0 ||
	    (x->shrink > 0 &&
	     (err = bloc_table_meta(t, "national_repair",
	                            "correlations shrunk by %.0f%% to a positive definite "
	                            "matrix",
	                            100 * x->shrink)) < 0))
		return err;
	for (k = 0; k < sp->nregions && len < sizeof(buf) - 64; k++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s %.2f", k ? ", " : "",
		                        x->rnames[k], sp->region_sd[k]);
	if ((err = bloc_table_meta(t, "region_sd", "%s", buf)) < 0 ||
	    (err = bloc_table_meta(t, "region_corr", "%s",
	                           x->cal_a ? "from the regions' departures from uniform swing in "
	                                      "the calibration pair (negatives 0)"
	                                    : "none (independent regions)")) < 0)
		return err;
	for (k = 0; k < sp->nfactors; k++) {
		double v[BLOC_FORECAST_MAX_PARTIES];
		char key[48];
		for (p = 0; p < P; p++)
			v[p] = sp->factor_sd[k * P + p];
		snprintf(key, sizeof(key), "factor_%s_sd", x->fnames[k]);
		if ((err = meta_list(t, key, x, v, 1)) < 0)
			return err;
	}
	for (p = 0; p < P; p++)
		sd[p] = sp->own_sd[p];
	if ((err = meta_list(t, "own_sd", x, sd, 1)) < 0)
		return err;
	if ((err = bloc_table_meta(t, "factors", "%s",
	                           sp->nfactors ? "points per unit of census share (a seat 20% "
	                                          "Muslim moves by a fifth of it)"
	                                        : "none")) < 0 ||
	    (err = bloc_table_meta(t, "seat_sd",
	                           "%.2f points for a party at 35%%, scaled by "
	                           "sqrt(s(1-s)); Student-t df %g",
	                           sp->seat_sd, sp->seat_df)) < 0)
		return err;
	if (x->cal_a) {
		if ((err = bloc_table_meta(t, "calibration",
		                           "%s to %s (%zu seat x party departures from uniform "
		                           "swing): seat, region and factor scales",
		                           x->cal_a, x->cal_b, x->cal.cells)) < 0)
			return err;
	} else if ((err = bloc_table_meta(t, "calibration",
	                                  "none before the date: defaults (seat SD %.1f, region "
	                                  "SD %.1f, Scotland %.1f, factor %.0f)",
	                                  DEF_SEAT_SD, DEF_REGION_SD, DEF_SCOTLAND_SD,
	                                  DEF_FACTOR_SD)) < 0)
		return err;
	if ((err = bloc_table_meta(t, "model",
	                           "%s swing to the poll average, then errors on the "
	                           "log scale of each share, softmax over each "
	                           "seat's candidates",
	                           bloc_model_name(x->pr.nparties ? BLOC_MODEL_UNIFORM : 0))) < 0 ||
	    (err = bloc_table_meta_int(t, "sims", (int64_t)x->f.sims)) < 0 ||
	    (o->ngiven && (err = bloc_table_meta(t, "given", "%s: %llu of %llu simulations",
	                                         r->given, (unsigned long long)x->f.kept,
	                                         (unsigned long long)x->f.sims)) < 0) ||
	    (err = bloc_table_meta(t, "seed", "%llu", (unsigned long long)o->seed)) < 0 ||
	    (err = bloc_table_meta_real(t, "p_hung", x->sm.p_hung, 3)) < 0 ||
	    (x->sm.tip_seat != SIZE_MAX &&
	     (err = bloc_table_meta(t, "tipping_point",
	                            "%s %s (%s's seat number %zu by margin, "
	                            "%.1f%% of simulations)",
	                            x->c->code[x->sm.tip_seat], x->c->name[x->sm.tip_seat],
	                            bloc_party_code(x->pr.parties[sp->tip_party]), sp->majority,
	                            100 * x->sm.p_tip[x->sm.tip_seat])) < 0) ||
	    (err = bloc_table_meta(t, "sims_per_second", "%.0f",
	                           x->f.sec > 0 ? (double)x->f.sims / x->f.sec : 0)) < 0 ||
	    (err = bloc_table_meta(t, "classes",
	                           "safe p >= 0.95, likely >= 0.80, lean >= 0.60, "
	                           "else toss-up")) < 0 ||
	    (err = bloc_store_meta_source(st, t, "base_source", x->c)) < 0)
		return err;
	return BLOC_OK;
}

/* --compare: each published projection beside the forecast: where its seats fall in the
 * forecast's distribution (the share of simulations giving the party fewer seats). */
static int compare(bloc_table *t, bloc_store *st, const struct forecast_rq *r, const struct ctx *x)
{
	const size_t S = x->c->nseats;
	bloc_mrp *m = NULL;
	size_t i, k, col;
	int err;

	if ((err = bloc_store_mrp(st, r->compare, &m)) < 0)
		return err;
	for (i = 0; i < m->n; i++) {
		char buf[1024], key[96];
		size_t len = 0;
		buf[0] = '\0';
		for (k = 0; k < m->nparties && len < sizeof(buf) - 120; k++) {
			int64_t v = m->seats[i * m->nparties + k];
			if (v < 0 || (col = column(&x->pr, m->parties[k])) == SIZE_MAX)
				continue;
			const uint64_t *h = x->f.seats + col * (S + 1);
			uint64_t below = 0, tot = 0;
			size_t j;
			for (j = 0; j <= S; j++) {
				tot += h[j];
				if ((int64_t)j < v)
					below += h[j];
			}
			len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s %lld",
			                        len ? "; " : "", bloc_party_code(m->parties[k]),
			                        (long long)v);
			if (m->low[i * m->nparties + k] >= 0 && m->high[i * m->nparties + k] >= 0)
				len += (size_t)snprintf(buf + len, sizeof(buf) - len,
				                        " (range %lld-%lld)",
				                        (long long)m->low[i * m->nparties + k],
				                        (long long)m->high[i * m->nparties + k]);
			len += (size_t)snprintf(
			    buf + len, sizeof(buf) - len,
			    " against bloc %g [%g, %g], above %.1f%% of simulations",
			    x->sm.median[col], x->sm.lo90[col], x->sm.hi90[col],
			    tot ? 100.0 * (double)below / (double)tot : 0);
		}
		snprintf(key, sizeof(key), "compare_%zu", i + 1);
		if ((err = bloc_table_meta(t, key, "%s (%s): %s", m->pollster[i], m->published[i],
		                           buf)) < 0)
			break;
	}
	bloc_mrp_free(m);
	return err;
}

/* --actual: the forecast scored against the result. */
static int backtest(bloc_table *t, bloc_store *st, const struct forecast_rq *r, const struct ctx *x)
{
	const bloc_contest *a;
	const size_t S = x->c->nseats, P = x->pr.nparties;
	size_t *aw = NULL, *dw = NULL, s, p;
	double *ash = NULL;
	bloc_forecast_score sc;
	int err;

	memset(&sc, 0, sizeof(sc));
	if ((err = bloc_store_contest(st, r->actual, &a)) < 0)
		return err;
	aw = bloc_malloc((S + 1) * sizeof(*aw));
	dw = bloc_malloc((S + 1) * sizeof(*dw));
	ash = bloc_malloc((S * P + 1) * sizeof(*ash));
	if (!aw || !dw || !ash) {
		err = bloc_error_oom("scoring against %s", a->id);
		goto done;
	}
	size_t matched = 0;
	for (s = 0; s < S; s++) {
		long sa = bloc_contest_seat(a, x->c->code[s]);
		aw[s] = SIZE_MAX;
		dw[s] =
		    x->pr.winner[s] == BLOC_PARTY_NONE ? SIZE_MAX : column(&x->pr, x->pr.winner[s]);
		for (p = 0; p < P; p++)
			ash[s * P + p] = NAN;
		if (sa < 0 || !(a->valid[sa] > 0))
			continue;
		matched++;
		const size_t ap = a->nparties;
		int64_t best = -1;
		size_t bestc = SIZE_MAX;
		for (p = 0; p < ap; p++) {
			size_t col = column(&x->pr, a->parties[p]);
			int64_t v = a->votes[(size_t)sa * ap + p];
			if (col == SIZE_MAX)
				continue;
			ash[s * P + col] = (double)v / (double)a->valid[sa];
			if (v > best) {
				best = v;
				bestc = col;
			}
		}
		/* the winner by candidate (an independent's column is IND) */
		long cand = (long)a->cand_off[sa];
		if (cand < (long)a->cand_off[sa + 1])
			bestc = column(&x->pr, a->cand_party[cand]);
		aw[s] = bestc;
	}
	if ((err = bloc_forecast_score_compute(&sc, &x->sm, aw, ash, dw)) < 0)
		goto done;
	char buf[1024];
	size_t len = 0;
	for (p = 0; p < P && len < sizeof(buf) - 64; p++) {
		if (!(sc.actual[p] > 0) && !(x->sm.median[p] > 0))
			continue;
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s %lld [%g, %g]%s",
		                        len ? ", " : "", bloc_party_code(x->pr.parties[p]),
		                        (long long)sc.actual[p], x->sm.lo90[p], x->sm.hi90[p],
		                        (double)sc.actual[p] >= x->sm.lo90[p] &&
		                                (double)sc.actual[p] <= x->sm.hi90[p]
		                            ? ""
		                            : " outside");
	}
	if ((err = bloc_table_meta(t, "actual", "%s (%zu seats matched by code)", a->id, matched)) <
	        0 ||
	    (err = bloc_table_meta(t, "actual_seats", "%s (actual [90%% interval])", buf)) < 0 ||
	    (err = bloc_table_meta(t, "backtest_brier",
	                           "%.4f (mean over %zu seats of the sum "
	                           "over parties of (p - won)^2)",
	                           sc.brier, sc.seats)) < 0 ||
	    (err = bloc_table_meta(t, "backtest_log_score", "%.4f (mean -ln p of the winner)",
	                           sc.log_score)) < 0 ||
	    (err = bloc_table_meta(t, "backtest_winners",
	                           "forecast gave the winner p >= 0.5 in %zu seats; the "
	                           "deterministic projection called %zu right (of %zu)",
	                           sc.fav_right, sc.det_right, sc.seats)) < 0 ||
	    (err = bloc_table_meta(t, "backtest_share_coverage",
	                           "the winner's share inside its 90%% interval in %zu of %zu "
	                           "seats (%.1f%%)",
	                           sc.share_in90, sc.seats,
	                           sc.seats ? 100.0 * (double)sc.share_in90 / (double)sc.seats
	                                    : 0)) < 0 ||
	    (err = bloc_table_meta(t, "backtest_seat_coverage",
	                           "actual seat totals inside the 50%% interval for %zu, 80%% for "
	                           "%zu, 90%% for %zu of %zu parties",
	                           sc.in50, sc.in80, sc.in90, sc.parties)) < 0)
		goto done;
done:
	bloc_forecast_score_dispose(&sc);
	bloc_free(aw);
	bloc_free(dw);
	bloc_free(ash);
	return err;
}

/* --by-election SEAT: the seat's last result moved by a past by-election's changes. */
static int run_by_election(bloc_answer *out, bloc_store *st, const struct forecast_rq *r)
{
	const bloc_contest *c, *a = NULL;
	bloc_by_changes *ch = NULL;
	bloc_by_forecast bf;
	bloc_table *t = NULL;
	double base[BLOC_FORECAST_MAX_PARTIES];
	bloc_party parties[BLOC_FORECAST_MAX_PARTIES];
	unsigned char stood[BLOC_FORECAST_MAX_PARTIES];
	bloc_scenario sc;
	int given_sc;
	uint64_t sims = bloc__given(r, "sims") ? r->sims : 40000,
	         seed = bloc__given(r, "seed") ? r->seed : 1;
	int32_t date = r->date ? bloc_date_days(r->date) : BLOC_NO_DATE;
	size_t seat, p, P;
	long sa = -1;
	int err;

	memset(&bf, 0, sizeof(bf));
	if (sims > 10000000)
		return bloc_error_set(
		    BLOC_EINVAL,
		    "--sims: at most 10,000,000 in by-election mode (each is kept "
		    "for the quantiles), found %llu",
		    (unsigned long long)sims);
	if ((err = bloc_store_contest(st, r->base, &c)) < 0 ||
	    (err = bloc_contest_find_seat(c, r->by_election, &seat)) < 0)
		return err;
	if (r->actual) {
		if ((err = bloc_store_contest(st, r->actual, &a)) < 0)
			return err;
		if ((sa = bloc_contest_seat(a, c->code[seat])) < 0) {
			size_t k;
			if (bloc_contest_find_seat(a, c->name[seat], &k) == BLOC_OK)
				sa = (long)k;
			else
				bloc_error_clear();
		}
		if (date == BLOC_NO_DATE)
			date = bloc_date_days(a->first_date);
	}
	if (date == BLOC_NO_DATE)
		return bloc_error_set(BLOC_EUSAGE,
		                      "--by-election: give --date (the by-election's day) or "
		                      "--actual (its result)");
	P = c->nparties;
	if (P > BLOC_FORECAST_MAX_PARTIES)
		return bloc_error_set(BLOC_EINVAL, "%s: too many parties", c->id);
	for (p = 0; p < P; p++) {
		base[p] = c->valid[seat] > 0
		              ? (double)c->votes[seat * P + p] / (double)c->valid[seat]
		              : 0;
		parties[p] = c->parties[p];
		stood[p] = 0;
	}
	/* --stand PARTY@...: a new candidate of PARTY in this seat (the seat list is not read:
	 * a by-election is one seat) */
	if ((err = bloc__scenario(st, r, NULL, NULL, 0, &sc, &given_sc)) < 0)
		return err;
	for (size_t k = 0; k < sc.nstands; k++) {
		for (p = 0; p < P && parties[p] != sc.stands[k].party; p++)
			;
		if (p < P && base[p] > 0)
			continue; /* it stood at the general election: its share moves as the record
			             says */
		if (p == P) {
			if (P == BLOC_FORECAST_MAX_PARTIES)
				return bloc_error_set(BLOC_EINVAL, "--stand: too many parties");
			parties[P] = sc.stands[k].party;
			base[P] = 0;
			P++;
		}
		stood[p] = 1;
	}
	if ((err = bloc_store_by_changes(st, r->changes ? r->changes : "by1945-2019-changes",
	                                 &ch)) < 0 ||
	    (err = bloc_by_forecast_run(&bf, base, parties, stood, P, ch, date, sims, seed)) < 0)
		goto done;
	if ((err = bloc_table_new(&t)) < 0 ||
	    (err = bloc_table_add_column(t, "party", BLOC_COL_STRING, 0)) < 0 ||
	    (err = bloc_table_add_column(t, "share_base", BLOC_COL_REAL, 1)) < 0 ||
	    (err = bloc_table_add_column(t, "share_median", BLOC_COL_REAL, 1)) < 0 ||
	    (err = bloc_table_add_column(t, "share_mean", BLOC_COL_REAL, 1)) < 0 ||
	    (err = bloc_table_add_column(t, "share_lo90", BLOC_COL_REAL, 1)) < 0 ||
	    (err = bloc_table_add_column(t, "share_hi90", BLOC_COL_REAL, 1)) < 0 ||
	    (err = bloc_table_add_column(t, "p_win", BLOC_COL_REAL, 3)) < 0 ||
	    (a && (err = bloc_table_add_column(t, "share_actual", BLOC_COL_REAL, 1)) < 0))
		goto done;
	for (p = 0; p < P; p++) {
		if (!(base[p] > 0) && !(bf.hi90[p] > 0))
			continue;
		if ((err = bloc_table_add_string(t, bloc_party_code(parties[p]))) < 0 ||
		    (err = bloc_table_add_real(t, 100 * base[p])) < 0 ||
		    (err = bloc_table_add_real(t, bf.median[p])) < 0 ||
		    (err = bloc_table_add_real(t, bf.mean[p])) < 0 ||
		    (err = bloc_table_add_real(t, bf.lo90[p])) < 0 ||
		    (err = bloc_table_add_real(t, bf.hi90[p])) < 0 ||
		    (err = bloc_table_add_real(t, bf.p_win[p])) < 0)
			goto done;
		if (a) {
			long col = sa >= 0 ? bloc_contest_party_col(a, parties[p]) : -1;
			err =
			    col >= 0 && a->valid[sa] > 0
			        ? bloc_table_add_real(
			              t,
			              100 *
			                  (double)a->votes[(size_t)sa * a->nparties + (size_t)col] /
			                  (double)a->valid[sa])
			        : bloc_table_add_missing(t);
			if (err < 0)
				goto done;
		}
	}
	char d0[11], d1[11], d[11];
	bloc_date_text(bf.first, d0);
	bloc_date_text(bf.last, d1);
	bloc_date_text(date, d);
	if ((err = bloc_table_meta(t, "by", "by-election")) < 0 ||
	    (err = bloc_table_meta(t, "seat", "%s %s", c->code[seat], c->name[seat])) < 0 ||
	    (err = bloc_table_meta(t, "base", "%s", c->id)) < 0 ||
	    (err = bloc_table_meta(t, "date", "%s", d)) < 0 ||
	    (err = bloc_table_meta(t, "prior",
	                           "%zu by-elections in Great Britain %s to %s (%s): one drawn at "
	                           "random per simulation, its changes since the general election "
	                           "applied to the seat's base shares",
	                           bf.history, d0, d1, relative(st, ch->source))) < 0 ||
	    (err = bloc_table_meta(t, "roles",
	                           "the government's change goes to %s (in government on the "
	                           "day), the main opposition's to the other of CON and LAB; "
	                           "others' change to the seat's other candidates by their shares",
	                           bf.gov == BLOC_PARTY_NONE ? "-" : bloc_party_code(bf.gov))) <
	        0 ||
	    (err = bloc_table_meta(t, "jitter", "%.1f points of normal noise per party",
	                           bf.jitter)) < 0 ||
	    (err = bloc_table_meta_int(t, "sims", (int64_t)sims)) < 0 ||
	    (err = bloc_table_meta(t, "seed", "%llu", (unsigned long long)seed)) < 0 ||
	    (err = bloc_store_meta_source(st, t, "base_source", c)) < 0)
		goto done;
	if (a && sa >= 0 && a->cand_off[sa] < a->cand_off[sa + 1]) {
		bloc_party w = a->cand_party[a->cand_off[sa]];
		double pw = 0;
		for (p = 0; p < P; p++)
			if (parties[p] == w)
				pw = bf.p_win[p];
		if ((err = bloc_table_meta(t, "actual",
		                           "%s: won by %s (%s), which the forecast gave "
		                           "p = %.3f",
		                           a->id, bloc_party_code(w), a->cand_name[a->cand_off[sa]],
		                           pw)) < 0)
			goto done;
	}
	err = bloc__finish_table(out, st, t);
	t = NULL;
done:
	bloc_table_free(t);
	bloc_by_changes_free(ch);
	bloc_by_forecast_dispose(&bf);
	return err;
}

/* The options and conditions of request r, and the prepared model (no simulation yet). */
static int setup(bloc_store *st, const struct forecast_rq *r, struct ctx *x,
                 bloc_forecast_options *o, bloc_forecast_given *given, size_t cap)
{
	int err;

	memset(x, 0, sizeof(*x));
	bloc_forecast_options_init(o);
	if (bloc__given(r, "sims"))
		o->sims = r->sims;
	if (bloc__given(r, "seed"))
		o->seed = r->seed;
	o->threads = bloc__given(r, "threads") ? (unsigned)r->threads : 1;
	if ((err = prepare(st, r, x)) < 0)
		return err;
	if (r->given && (err = parse_given(r->given, x->c, &x->pr, given, cap, &o->ngiven)) < 0)
		return err;
	o->given = given;
	return BLOC_OK;
}

/* The simulations (this process's block of them, summed over the processes) and their
 * summary. */
static int simulate_all(const struct forecast_rq *r, struct ctx *x, bloc_forecast_options *o)
{
	const struct bloc__request_head *h = &r->h;
	int err;

	if (h->part.size > 1) {
		o->first = o->sims * h->part.rank / h->part.size;
		o->last = o->sims * (h->part.rank + 1) / h->part.size;
		if (o->last == 0) /* an empty block: first == last == sims runs nothing */
			o->first = o->last = o->sims;
	}
	if ((err = bloc_forecast_run(&x->f, &x->sp, o)) < 0 || (err = reduce(h, &x->f)) < 0)
		return err;
	if (!x->f.kept)
		return bloc_error_set(BLOC_EINVAL,
		                      "--given: no simulation of %llu has %s (try more --sims)",
		                      (unsigned long long)x->f.sims, r->given);
	return bloc_forecast_summarise(&x->sm, &x->f);
}

/* The probability hex map (map) or the seat-distribution chart, SVG. */
static int svg_view(bloc_answer *out, bloc_store *st, const struct ctx *x, int map)
{
	bloc_buf doc = BLOC_BUF_INIT;
	const bloc_hexmap *hm;
	int err;

	if (map)
		err = (err = bloc_store_hexmap(st, x->c, &hm)) < 0
		          ? err
		          : bloc_render_forecast_map(&doc, hm, x->c, &x->sm, x->pr.parties, NULL);
	else
		err = bloc_render_forecast_chart(&doc, &x->f, &x->sm, x->pr.parties, x->sp.majority,
		                                 NULL);
	if (err == BLOC_OK)
		err = bloc__finish_doc(out, &doc, "image/svg+xml");
	bloc_buf_dispose(&doc);
	return err;
}

/* The party (or seat) table with every assumption, and the backtest and comparison. */
static int table_view(bloc_answer *out, bloc_store *st, const struct forecast_rq *r,
                      const struct ctx *x, const bloc_forecast_options *o, int seats)
{
	bloc_table *t = NULL;
	int err;

	if (seats) {
		unsigned char show[BLOC_FORECAST_MAX_PARTIES];
		size_t p, s;
		for (p = 0; p < x->pr.nparties; p++) {
			show[p] = 0;
			for (s = 0; s < x->c->nseats && !show[p]; s++)
				show[p] = x->sm.p[s * x->pr.nparties + p] >= 0.005;
		}
		err = bloc_render_forecast_seats(&t, &x->sm, x->c, x->pr.parties, x->pr.winner_base,
		                                 show);
	} else
		err = bloc_render_forecast_parties(&t, &x->sm, x->pr.parties, x->poll, x->pr.seats,
		                                   x->pr.seats_base);
	if (err < 0 || (err = metadata(t, st, r, x, o)) < 0 ||
	    (r->actual && (err = backtest(t, st, r, x)) < 0) ||
	    (r->compare && (err = compare(t, st, r, x)) < 0)) {
		bloc_table_free(t);
		return err;
	}
	return bloc__finish_table(out, st, t);
}

static int run_forecast(bloc_answer *out, bloc_store *st, const void *rq)
{
	const struct forecast_rq *r = rq;
	struct ctx x;
	bloc_forecast_options o;
	bloc_forecast_given given[64];
	bloc_table *t = NULL;
	int err;

	if (r->by_election)
		return run_by_election(out, st, r);
	if ((err = setup(st, r, &x, &o, given, 64)) < 0)
		goto done;
	if (r->view == 2) {
		err = spec_doc(out, &x, &o);
		goto done;
	}
	if (r->view == 3) {
		if ((err = history_table(&t, &x)) < 0 ||
		    (err = bloc_table_meta(t, "history", "%s", relative(st, x.hist->source))) < 0)
			goto done;
		err = bloc__finish_table(out, st, t);
		t = NULL;
		goto done;
	}
	if ((err = simulate_all(r, &x, &o)) < 0)
		goto done;
	err = r->view == 4 || r->view == 5 ? svg_view(out, st, &x, r->view == 4)
	                                   : table_view(out, st, r, &x, &o, r->view == 1);
done:
	bloc_table_free(t);
	ctx_dispose(&x);
	return err;
}

int bloc__forecast_report(bloc_answer out[3], bloc_store *st, const bloc_request *rq)
{
	const struct forecast_rq *r = rq->v;
	struct ctx x;
	bloc_forecast_options o;
	bloc_forecast_given given[64];
	int err;

	memset(&x, 0, sizeof(x));
	if (rq->q != &bloc__q_forecast)
		return bloc_error_set(BLOC_EINVAL, "bloc__forecast_report: not a forecast request");
	if ((err = check_forecast(r)) == BLOC_OK &&
	    (err = setup(st, r, &x, &o, given, 64)) == BLOC_OK &&
	    (err = simulate_all(r, &x, &o)) == BLOC_OK &&
	    (err = table_view(&out[0], st, r, &x, &o, 0)) == BLOC_OK &&
	    (err = svg_view(&out[1], st, &x, 0)) == BLOC_OK)
		err = svg_view(&out[2], st, &x, 1);
	ctx_dispose(&x);
	return err;
}

const struct bloc__query bloc__q_forecast = {.name = "forecast",
                                             .size = sizeof(struct forecast_rq),
                                             .params = forecast_params,
                                             .check = check_forecast,
                                             .run = run_forecast,
                                             .heavy = 1,
                                             .within = forecast_within};
