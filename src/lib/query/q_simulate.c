/* bloc simulate SEAT BASE: the agent-based by-election (simulate.h) on a synthetic electorate of
 * one seat of BASE: its electorate, its census group share and its result, replicated. */
#include "query_int.h"

#include "../core/alloc.h"
#include "../util/linalg.h"
#include "../util/num.h"
#include "../util/parallel.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#define OFF(type, field) offsetof(struct type, field)

struct simulate_rq {
	struct bloc__request_head h;
	const char *seat, *base, *group, *group_lean, *strategy, *budget, *stand, *sweep;
	unsigned long long replicates, seed, threads, electors;
	double contact_rate, cace, persuasion, spillover, comply_men, comply_other, influence,
	    turnout_scale;
};

static const struct bloc__param simulate_params[] = {
    {"seat", BLOC__P_TEXT, OFF(simulate_rq, seat), NULL, 0, 0, 0, NULL, NULL},
    {"base", BLOC__P_TEXT, OFF(simulate_rq, base), NULL, 0, 0, 0, NULL, NULL},
    {"group", BLOC__P_TEXT, OFF(simulate_rq, group), NULL, 0, 0, 0, NULL, NULL},
    {"group-lean", BLOC__P_TEXT, OFF(simulate_rq, group_lean), NULL, 0, 0, 0, NULL, NULL},
    {"strategy", BLOC__P_TEXT, OFF(simulate_rq, strategy), NULL, 0, 0, 0, NULL, NULL},
    {"budget", BLOC__P_TEXT, OFF(simulate_rq, budget), NULL, 0, 0, 0, NULL, NULL},
    {"stand", BLOC__P_TEXT, OFF(simulate_rq, stand), NULL, 0, 0, 0, NULL, NULL},
    {"sweep", BLOC__P_TEXT, OFF(simulate_rq, sweep), NULL, 0, 0, 0, NULL, NULL},
    {"replicates", BLOC__P_WHOLE, OFF(simulate_rq, replicates), NULL, 1, 1000000, 0, NULL, NULL},
    {"seed", BLOC__P_WHOLE, OFF(simulate_rq, seed), NULL, 0, BLOC__WHOLE_MAX, 0, NULL, NULL},
    {"threads", BLOC__P_WHOLE, OFF(simulate_rq, threads), NULL, 0, 1024, 0, NULL, NULL},
    {"electors", BLOC__P_WHOLE, OFF(simulate_rq, electors), NULL, 10, 5000000, 0, NULL, NULL},
    {"contact-rate", BLOC__P_REAL, OFF(simulate_rq, contact_rate), "a fraction from 0 to 1", 0, 1,
     1, NULL, NULL},
    {"cace", BLOC__P_REAL, OFF(simulate_rq, cace), "a fraction from 0 to 1", 0, 1, 1, NULL, NULL},
    {"persuasion", BLOC__P_REAL, OFF(simulate_rq, persuasion), "a fraction from 0 to 1", 0, 1, 1,
     NULL, NULL},
    {"spillover", BLOC__P_REAL, OFF(simulate_rq, spillover), "a fraction from 0 to 1", 0, 1, 1,
     NULL, NULL},
    {"compliance-men", BLOC__P_REAL, OFF(simulate_rq, comply_men), "a fraction from 0 to 1", 0, 1,
     1, NULL, NULL},
    {"compliance-other", BLOC__P_REAL, OFF(simulate_rq, comply_other), "a fraction from 0 to 1", 0,
     1, 1, NULL, NULL},
    {"influence", BLOC__P_REAL, OFF(simulate_rq, influence), "a fraction from 0 to 1", 0, 1, 1,
     NULL, NULL},
    {"turnout-scale", BLOC__P_REAL, OFF(simulate_rq, turnout_scale), "a factor from 0 to 1.5", 0,
     1.5, 1, NULL, NULL},
    {NULL, 0, 0, NULL, 0, 0, 0, NULL, NULL}};

static int check_simulate(const void *rq)
{
	const struct simulate_rq *r = rq;

	if (!r->seat || !*r->seat || !r->base || !*r->base)
		return bloc_error_set(BLOC_EUSAGE, "expected SEAT BASE");
	return BLOC_OK;
}

static int simulate_within(const void *rq, const bloc_limits *lim)
{
	const struct simulate_rq *r = rq;
	unsigned long long n = bloc__given(r, "replicates") ? r->replicates : 100;

	if (lim->max_sims && n > lim->max_sims / 100)
		return bloc__over_limit(lim, "replicates", lim->max_sims / 100);
	return BLOC_OK;
}

/* "PARTY=VALUE,..." for each candidate: a number (kind 0) or a strategy name (kind 1). */
static int per_candidate(const char *what, const char *text, const bloc_sim_params *p, int kind,
                         double *num, int *strat)
{
	const char *s = text;

	while (*s) {
		size_t len = strcspn(s, ","), eq = strcspn(s, "="), c;
		char label[64], val[64];
		bloc_party party;
		int err;
		if (eq >= len || eq == 0 || eq >= sizeof(label) || len - eq - 1 >= sizeof(val))
			return bloc_error_set(
			    BLOC_EUSAGE, "--%s: expected PARTY=%s,..., found '%.*s'", what,
			    kind ? "STRATEGY" : "NUMBER", (int)(len < 40 ? len : 40), s);
		memcpy(label, s, eq);
		label[eq] = '\0';
		memcpy(val, s + eq + 1, len - eq - 1);
		val[len - eq - 1] = '\0';
		if ((err = bloc__party(what, label, &party)) < 0)
			return err;
		for (c = 0; c < p->ncand && p->cand[c] != party; c++)
			;
		if (c == p->ncand)
			return bloc_error_set(
			    BLOC_EINVAL, "--%s: %s has no candidate here (--stand %s to add one)",
			    what, label, label);
		if (kind) {
			int st = bloc_sim_strategy_parse(val);
			if (st < 0)
				return bloc_error_set(
				    BLOC_EUSAGE,
				    "--%s: expected none, broker, doorstep or both, "
				    "found '%s'",
				    what, val);
			strat[c] = st;
		} else if ((err = bloc__parse_real(val, &num[c])) < 0 || num[c] < 0)
			return err < 0 ? err
			               : bloc_error_set(BLOC_EINVAL, "--%s: %s: expected 0 or more",
			                                what, label);
		s += len + (s[len] == ',');
	}
	return BLOC_OK;
}

struct job {
	const bloc_sim_params *p;
	uint64_t seed;
	bloc_sim_outcome *out;
};

static int one(size_t i, unsigned worker, void *payload)
{
	struct job *j = payload;

	(void)worker;
	return bloc_sim_run(&j->out[i], j->p, j->seed, i);
}

static double quantile(double *v, size_t n, double q)
{
	qsort(v, n, sizeof(*v), bloc__cmp_double);
	return v[(size_t)(q * (double)(n - 1) + 0.5)];
}

/* The parameters --sweep can vary, and where each lives. */
static double *sweep_target(bloc_sim_params *p, const char *name)
{
	static const char *const names[] = {
	    "contact-rate",     "cace",      "persuasion",    "spillover", "compliance-men",
	    "compliance-other", "influence", "turnout-scale", "homophily", "friends"};
	double *const at[] = {&p->contact_rate, &p->cace_turnout,         &p->persuasion,
	                      &p->spillover,    &p->compliance_older_men, &p->compliance_other,
	                      &p->influence,    &p->turnout_scale,        &p->homophily,
	                      &p->friends};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(name, names[i]) == 0)
			return at[i];
	return NULL;
}

/* --sweep PARAM=A:B:N: the same replicates at N values of PARAM from A to B, one row each:
 * value, turnout, then each candidate's mean share and chance of winning. */
static int run_sweep(bloc_table **out, bloc_sim_params *p, const char *spec, size_t n,
                     uint64_t seed, unsigned threads)
{
	char name[40];
	double a, b, *at;
	unsigned long long steps;
	bloc_sim_outcome *res = NULL;
	bloc_table *t = NULL;
	size_t eq = strcspn(spec, "="), v, k, i;
	int err = BLOC_OK;

	if (eq >= sizeof(name) || !spec[eq])
		return bloc_error_set(BLOC_EUSAGE, "--sweep: expected PARAM=A:B:N, found '%.40s'",
		                      spec);
	memcpy(name, spec, eq);
	name[eq] = '\0';
	if (!(at = sweep_target(p, name)))
		return bloc_error_set(
		    BLOC_EUSAGE,
		    "--sweep: '%s' is not a parameter it can vary (contact-rate, "
		    "cace, persuasion, spillover, compliance-men, compliance-other, "
		    "influence, turnout-scale, homophily, friends)",
		    name);
	{
		char buf[96], *c1, *c2;
		snprintf(buf, sizeof(buf), "%s", spec + eq + 1);
		if (!(c1 = strchr(buf, ':')) || !(c2 = strchr(c1 + 1, ':')))
			return bloc_error_set(BLOC_EUSAGE,
			                      "--sweep: expected PARAM=A:B:N, found '%.40s'", spec);
		*c1 = *c2 = '\0';
		if (bloc__parse_real(buf, &a) < 0 || bloc__parse_real(c1 + 1, &b) < 0 ||
		    bloc__parse_whole(c2 + 1, 2, 101, &steps) < 0)
			return bloc_error_set(
			    BLOC_EUSAGE,
			    "--sweep: expected PARAM=A:B:N with numbers A and B and 2 to "
			    "101 values N, found '%.40s'",
			    spec);
	}
	if (!(res = bloc_calloc(n, sizeof(*res))))
		return bloc_error_oom("%zu replicates", n);
	if ((err = bloc_table_new(&t)) < 0 ||
	    (err = bloc_table_add_column(t, name, BLOC_COL_REAL, 4)) < 0 ||
	    (err = bloc_table_add_column(t, "turnout", BLOC_COL_REAL, 1)) < 0)
		goto done;
	for (k = 0; k < p->ncand && err == BLOC_OK; k++) {
		char col[48];
		snprintf(col, sizeof(col), "share_%s", bloc_party_code(p->cand[k]));
		if ((err = bloc_table_add_column(t, col, BLOC_COL_REAL, 1)) == BLOC_OK) {
			snprintf(col, sizeof(col), "p_%s", bloc_party_code(p->cand[k]));
			err = bloc_table_add_column(t, col, BLOC_COL_REAL, 3);
		}
	}
	for (v = 0; v < steps && err == BLOC_OK; v++) {
		struct job j = {p, seed, res};
		double share[BLOC_SIM_MAX_CANDIDATES], win[BLOC_SIM_MAX_CANDIDATES], turnout = 0;
		*at = a + (b - a) * (double)v / (double)(steps - 1);
		if ((err = bloc__parallel_for(n, threads, one, &j)) < 0)
			break;
		memset(share, 0, sizeof(share));
		memset(win, 0, sizeof(win));
		for (i = 0; i < n; i++) {
			double tot = 0;
			for (k = 0; k < p->ncand; k++)
				tot += res[i].votes[k];
			for (k = 0; k < p->ncand; k++)
				share[k] += tot > 0 ? 100 * res[i].votes[k] / tot / (double)n : 0;
			win[res[i].winner] += 1.0 / (double)n;
			turnout += 100 * res[i].turnout / (double)n;
		}
		if ((err = bloc_table_add_real(t, *at)) < 0 ||
		    (err = bloc_table_add_real(t, turnout)) < 0)
			break;
		for (k = 0; k < p->ncand && err == BLOC_OK; k++)
			if ((err = bloc_table_add_real(t, share[k])) == BLOC_OK)
				err = bloc_table_add_real(t, win[k]);
	}
	if (err == BLOC_OK)
		err = bloc_table_meta(t, "sweep",
		                      "%s from %g to %g in %llu values, %zu replicates "
		                      "each (the same streams at every value)",
		                      name, a, b, steps, n);
done:
	bloc_free(res);
	if (err < 0) {
		bloc_table_free(t);
		return err;
	}
	*out = t;
	return BLOC_OK;
}

static int run_simulate(bloc_answer *out, bloc_store *st, const void *rq)
{
	const struct simulate_rq *r = rq;
	const bloc_contest *c;
	const bloc_group_shares *g;
	bloc_sim_params p;
	bloc_sim_outcome *res = NULL;
	bloc_table *t = NULL;
	size_t seat, k, i, n = bloc__given(r, "replicates") ? r->replicates : 100;
	uint64_t seed = bloc__given(r, "seed") ? r->seed : 1;
	double *col = NULL, base[BLOC_SIM_MAX_CANDIDATES], glean[BLOC_SIM_MAX_CANDIDATES];
	const char *gname = r->group ? r->group : "muslim";
	long cand_of[BLOC_SIM_MAX_CANDIDATES];
	struct timespec t0, t1;
	struct rusage ru;
	int err;

	if ((err = bloc_store_contest(st, r->base, &c)) < 0 ||
	    (err = bloc_contest_find_seat(c, r->seat, &seat)) < 0 ||
	    (err = bloc_store_group_shares(st, c, gname, &g)) < 0)
		return err;
	if (isnan(g->share[seat]))
		return bloc_error_set(BLOC_ENOTFOUND, "%s: no census share of group %s",
		                      c->name[seat], gname);
	bloc_sim_params_init(&p);
	/* candidates: the seat's parties with votes (IND: its leading independent), then --stand */
	for (k = 0; k < c->nparties && p.ncand < BLOC_SIM_MAX_CANDIDATES; k++) {
		int64_t v = c->votes[seat * c->nparties + k];
		if (v <= 0)
			continue;
		cand_of[p.ncand] = bloc_contest_leading(c, seat, c->parties[k]);
		base[p.ncand] = (double)v / (double)c->valid[seat];
		p.cand[p.ncand++] = c->parties[k];
	}
	if (r->stand) {
		const char *s = r->stand;
		while (*s) {
			size_t len = strcspn(s, ",");
			char label[64];
			bloc_party party;
			snprintf(label, sizeof(label), "%.*s", (int)(len < 63 ? len : 63), s);
			if ((err = bloc__party("--stand", label, &party)) < 0)
				return err;
			for (k = 0; k < p.ncand && p.cand[k] != party; k++)
				;
			if (k == p.ncand) {
				if (p.ncand == BLOC_SIM_MAX_CANDIDATES)
					return bloc_error_set(BLOC_EINVAL,
					                      "--stand: too many candidates");
				cand_of[p.ncand] = -1;
				base[p.ncand] = 0;
				p.cand[p.ncand++] = party;
			}
			s += len + (s[len] == ',');
		}
	}
	/* the seat's ages and sex from its census: everyone else's ages are what, with the
	 * group's (a national profile: no census crosses religion with age by seat), make the
	 * seat's */
	int ages_from_census = 0;
	{
		double *age = bloc_malloc((c->nseats * 6 + 1) * sizeof(*age)),
		       *fem = bloc_malloc((c->nseats + 1) * sizeof(*fem));
		if (!age || !fem) {
			bloc_free(age);
			bloc_free(fem);
			return bloc_error_oom("census ages");
		}
		if (bloc_seat_ages_open(age, fem, bloc_store_catalog(st), c) == BLOC_OK &&
		    !isnan(age[seat * 6])) {
			double gs = g->share[seat], sum = 0;
			for (k = 0; k < 6; k++) {
				double v =
				    gs < 1 ? (age[seat * 6 + k] - gs * p.age_group[k]) / (1 - gs)
				           : age[seat * 6 + k];
				p.age_rest[k] = v > 0.01 ? v : 0.01;
				sum += p.age_rest[k];
			}
			for (k = 0; k < 6; k++)
				p.age_rest[k] /= sum;
			if (!isnan(fem[seat]))
				p.female = fem[seat];
			ages_from_census = 1;
		} else
			bloc_error_clear();
		bloc_free(age);
		bloc_free(fem);
	}
	p.electors = bloc__given(r, "electors") ? (size_t)r->electors
	             : c->electorate[seat] > 0  ? (size_t)c->electorate[seat]
	                                        : (size_t)((double)c->valid[seat] / 0.65);
	p.group_share = g->share[seat];
	/* leanings: the group's as given (or like its seat), everyone else's what makes the seat's
	 * result in expectation */
	for (k = 0; k < p.ncand; k++)
		glean[k] = base[k];
	if (r->group_lean) {
		double gl[BLOC_SIM_MAX_CANDIDATES], sum = 0;
		memset(gl, 0, sizeof(gl));
		if ((err = per_candidate("group-lean", r->group_lean, &p, 0, gl, NULL)) < 0)
			return err;
		for (k = 0; k < p.ncand; k++)
			sum += gl[k];
		if (!(sum > 0))
			return bloc_error_set(BLOC_EINVAL, "--group-lean: shares sum to 0");
		for (k = 0; k < p.ncand; k++)
			glean[k] = gl[k] / sum;
	}
	{
		double sum = 0, gs = p.group_share;
		for (k = 0; k < p.ncand; k++) {
			p.lean_group[k] = glean[k];
			double v = gs < 1 ? (base[k] - gs * glean[k]) / (1 - gs) : base[k];
			p.lean_rest[k] = v > 0 ? v : 0;
			sum += p.lean_rest[k];
		}
		for (k = 0; k < p.ncand; k++)
			p.lean_rest[k] = sum > 0 ? p.lean_rest[k] / sum : 1.0 / (double)p.ncand;
	}
	if (r->strategy &&
	    (err = per_candidate("strategy", r->strategy, &p, 1, NULL, p.strategy)) < 0)
		return err;
	if (r->budget && (err = per_candidate("budget", r->budget, &p, 0, p.budget, NULL)) < 0)
		return err;
	for (k = 0; k < p.ncand; k++)
		if ((p.strategy[k] == BLOC_SIM_DOORSTEP || p.strategy[k] == BLOC_SIM_BOTH) &&
		    !(p.budget[k] > 0))
			p.budget[k] = 0.25 * (double)p.electors /
			              p.household_rest; /* a quarter of the doors */
	if (bloc__given(r, "contact-rate"))
		p.contact_rate = r->contact_rate;
	if (bloc__given(r, "cace"))
		p.cace_turnout = r->cace;
	if (bloc__given(r, "persuasion"))
		p.persuasion = r->persuasion;
	if (bloc__given(r, "spillover"))
		p.spillover = r->spillover;
	if (bloc__given(r, "compliance-men"))
		p.compliance_older_men = r->comply_men;
	if (bloc__given(r, "compliance-other"))
		p.compliance_other = r->comply_other;
	if (bloc__given(r, "influence"))
		p.influence = r->influence;
	if (bloc__given(r, "turnout-scale"))
		p.turnout_scale = r->turnout_scale;
	if (r->sweep) {
		if ((err = run_sweep(&t, &p, r->sweep, n, seed,
		                     bloc__given(r, "threads") ? (unsigned)r->threads : 1)) < 0 ||
		    (err = bloc_table_meta(t, "seat", "%s %s", c->code[seat], c->name[seat])) < 0 ||
		    (err = bloc_table_meta(t, "base", "%s", c->id)) < 0 ||
		    (err = bloc_table_meta_int(t, "electors", (int64_t)p.electors)) < 0 ||
		    (err = bloc_table_meta(t, "seed", "%llu", (unsigned long long)seed)) < 0)
			goto done;
		err = bloc__finish_table(out, st, t);
		t = NULL;
		goto done;
	}
	if (!(res = bloc_calloc(n, sizeof(*res))) || !(col = bloc_malloc(n * sizeof(*col))))
		return bloc_error_oom("%zu replicates", n);
	{
		struct job j = {&p, seed, res};
		clock_gettime(CLOCK_MONOTONIC, &t0);
		err = bloc__parallel_for(n, bloc__given(r, "threads") ? (unsigned)r->threads : 1,
		                         one, &j);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if (err < 0)
			goto done;
	}
	if ((err = bloc_table_new(&t)) < 0 ||
	    (err = bloc_table_add_column(t, "candidate", BLOC_COL_STRING, 0)) < 0 ||
	    (err = bloc_table_add_column(t, "party", BLOC_COL_STRING, 0)) < 0 ||
	    (err = bloc_table_add_column(t, "strategy", BLOC_COL_STRING, 0)) < 0 ||
	    (err = bloc_table_add_column(t, "share_mean", BLOC_COL_REAL, 1)) < 0 ||
	    (err = bloc_table_add_column(t, "share_lo90", BLOC_COL_REAL, 1)) < 0 ||
	    (err = bloc_table_add_column(t, "share_hi90", BLOC_COL_REAL, 1)) < 0 ||
	    (err = bloc_table_add_column(t, "p_win", BLOC_COL_REAL, 3)) < 0 ||
	    (err = bloc_table_add_column(t, "share_base", BLOC_COL_REAL, 1)) < 0)
		goto done;
	for (k = 0; k < p.ncand; k++) {
		double mean = 0, wins = 0;
		for (i = 0; i < n; i++) {
			double tot = 0;
			size_t q;
			for (q = 0; q < p.ncand; q++)
				tot += res[i].votes[q];
			col[i] = tot > 0 ? 100 * res[i].votes[k] / tot : 0;
			mean += col[i];
			wins += res[i].winner == k;
		}
		if ((err = bloc_table_add_string(t, cand_of[k] >= 0 && *c->cand_name[cand_of[k]]
		                                        ? c->cand_name[cand_of[k]]
		                                        : bloc_party_name(p.cand[k]))) < 0 ||
		    (err = bloc_table_add_string(t, bloc_party_code(p.cand[k]))) < 0 ||
		    (err = bloc_table_add_string(t, bloc_sim_strategy_name(p.strategy[k]))) < 0 ||
		    (err = bloc_table_add_real(t, mean / (double)n)) < 0 ||
		    (err = bloc_table_add_real(t, quantile(col, n, 0.05))) < 0 ||
		    (err = bloc_table_add_real(t, quantile(col, n, 0.95))) < 0 ||
		    (err = bloc_table_add_real(t, wins / (double)n)) < 0 ||
		    (err = bloc_table_add_real(t, 100 * base[k])) < 0)
			goto done;
	}
	{
		double tm = 0, moved[2][2] = {{0, 0}, {0, 0}}, voters[2][2] = {{0, 0}, {0, 0}};
		size_t a, s, gi;
		for (i = 0; i < n; i++) {
			tm += col[i] = 100 * res[i].turnout;
			for (s = 0; s < 2; s++)
				for (a = 0; a < BLOC_SIM_AGES; a++)
					for (gi = 0; gi < 2; gi++) {
						moved[s][gi] += res[i].moved[s][a][gi];
						voters[s][gi] += res[i].voters[s][a][gi];
					}
		}
		getrusage(RUSAGE_SELF, &ru);
		if ((err = bloc_table_meta(t, "seat", "%s %s", c->code[seat], c->name[seat])) < 0 ||
		    (err = bloc_table_meta(t, "base", "%s", c->id)) < 0 ||
		    (err = bloc_table_meta_int(t, "electors", (int64_t)p.electors)) < 0 ||
		    (err = bloc_table_meta(t, "group", "%s, %.1f%% of the seat (%s)", gname,
		                           100 * p.group_share, g->census)) < 0 ||
		    (err = bloc_table_meta_int(t, "replicates", (int64_t)n)) < 0 ||
		    (err = bloc_table_meta(t, "turnout", "%.1f%% [%.1f, %.1f]", tm / (double)n,
		                           quantile(col, n, 0.05), quantile(col, n, 0.95))) < 0 ||
		    (err = bloc_table_meta(
		         t, "moved",
		         "voters voting other than they leaned: group men %.1f%%, "
		         "group women %.1f%%, others %.1f%%",
		         voters[0][0] > 0 ? 100 * moved[0][0] / voters[0][0] : 0,
		         voters[1][0] > 0 ? 100 * moved[1][0] / voters[1][0] : 0,
		         voters[0][1] + voters[1][1] > 0
		             ? 100 * (moved[0][1] + moved[1][1]) / (voters[0][1] + voters[1][1])
		             : 0)) < 0 ||
		    (err = bloc_table_meta(
		         t, "parameters",
		         "contact rate %.2f, turnout effect %.3f, persuasion %.3f, spillover %.2f, "
		         "compliance %.2f (men 45+) / %.2f (others), kinship clusters %zu-%zu with "
		         "%zu brokers, %.1f friends, homophily %.2f, %zu influence rounds at %.2f, "
		         "turnout x %.2f",
		         p.contact_rate, p.cace_turnout, p.persuasion, p.spillover,
		         p.compliance_older_men, p.compliance_other, p.kin_min, p.kin_max,
		         p.brokers, p.friends, p.homophily, p.rounds, p.influence,
		         p.turnout_scale)) < 0 ||
		    (err = bloc_table_meta(t, "seed", "%llu", (unsigned long long)seed)) < 0 ||
		    (err = bloc_table_meta(t, "time", "%.2f s",
		                           (double)(t1.tv_sec - t0.tv_sec) +
		                               1e-9 * (double)(t1.tv_nsec - t0.tv_nsec))) < 0 ||
		    (err = bloc_table_meta(t, "peak_memory", "%ld MB", ru.ru_maxrss / 1024)) < 0 ||
		    (err = bloc_table_meta(
		         t, "ages",
		         ages_from_census ? "the seat's census (%s) for everyone; the group's "
		                            "own profile a national assumption; women %.1f%%"
		                          : "national defaults (no census of ages for %s's "
		                            "boundaries); women %.1f%%",
		         ages_from_census ? g->census : c->id, 100 * p.female)) < 0 ||
		    (err = bloc_table_meta(t, "status",
		                           "first cut: not calibrated (docs/simulate.md)")) < 0 ||
		    (err = bloc_store_meta_source(st, t, "base_source", c)) < 0)
			goto done;
	}
	err = bloc__finish_table(out, st, t);
	t = NULL;
done:
	bloc_table_free(t);
	bloc_free(res);
	bloc_free(col);
	return err;
}

const struct bloc__query bloc__q_simulate = {.name = "simulate",
                                             .size = sizeof(struct simulate_rq),
                                             .params = simulate_params,
                                             .check = check_simulate,
                                             .run = run_simulate,
                                             .heavy = 1,
                                             .within = simulate_within};
