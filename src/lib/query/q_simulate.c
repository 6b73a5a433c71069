/* bloc simulate SEAT BASE: the agent-based by-election (simulate.h) on a synthetic electorate of
 * one seat of BASE: its electorate, its census (group share, ages, sex, households) and its
 * result, replicated; --all BASE: every seat, seat by seat; --fit: parameters fitted to a result.
 * Replicates are split among MPI ranks (the request's partition) and their counts summed
 * exactly, so any rank count gives the same answer. */
#include "query_int.h"

#include "../core/alloc.h"
#include "../util/linalg.h"
#include "../util/ipf.h"
#include "../util/json.h"
#include "../util/num.h"
#include "../util/parallel.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#define OFF(type, field) offsetof(struct type, field)
#define MAXC             BLOC_SIM_MAX_CANDIDATES
#define MAX_FITS         4

static const char *const views[] = {"candidate", "moved", "spec", "chart", NULL};
enum { V_CANDIDATE, V_MOVED, V_SPEC, V_CHART };

struct simulate_rq {
	struct bloc__request_head h;
	const char *seat, *base, *group, *group_lean, *strategy, *budget, *stand, *sweep, *actual,
	    *fit;
	unsigned long long replicates, seed, threads, electors, fit_replicates;
	double contact_rate, cace, persuasion, spillover, comply_men, comply_other, influence,
	    turnout_scale, homophily, friends, word_of_mouth, scale, homophily_age, homophily_sex;
	int all, view;
};

static const struct bloc__param simulate_params[] = {
    {"seat", BLOC__P_TEXT, OFF(simulate_rq, seat), NULL, 0, 0, 0, NULL, NULL},
    {"base", BLOC__P_TEXT, OFF(simulate_rq, base), NULL, 0, 0, 0, NULL, NULL},
    {"all", BLOC__P_FLAG, OFF(simulate_rq, all), NULL, 0, 0, 0, NULL, NULL},
    {"group", BLOC__P_TEXT, OFF(simulate_rq, group), NULL, 0, 0, 0, NULL, NULL},
    {"group-lean", BLOC__P_TEXT, OFF(simulate_rq, group_lean), NULL, 0, 0, 0, NULL, NULL},
    {"strategy", BLOC__P_TEXT, OFF(simulate_rq, strategy), NULL, 0, 0, 0, NULL, NULL},
    {"budget", BLOC__P_TEXT, OFF(simulate_rq, budget), NULL, 0, 0, 0, NULL, NULL},
    {"stand", BLOC__P_TEXT, OFF(simulate_rq, stand), NULL, 0, 0, 0, NULL, NULL},
    {"sweep", BLOC__P_TEXT, OFF(simulate_rq, sweep), NULL, 0, 0, 0, NULL, NULL},
    {"actual", BLOC__P_TEXT, OFF(simulate_rq, actual), NULL, 0, 0, 0, NULL, NULL},
    {"fit", BLOC__P_TEXT, OFF(simulate_rq, fit), NULL, 0, 0, 0, NULL, NULL},
    {"by", BLOC__P_CHOICE, OFF(simulate_rq, view), "candidate, moved, spec or chart", 0, 0, 0,
     views, NULL},
    {"replicates", BLOC__P_WHOLE, OFF(simulate_rq, replicates), NULL, 1, 1000000, 0, NULL, NULL},
    {"fit-replicates", BLOC__P_WHOLE, OFF(simulate_rq, fit_replicates), NULL, 1, 100000, 0, NULL,
     NULL},
    {"seed", BLOC__P_WHOLE, OFF(simulate_rq, seed), NULL, 0, BLOC__WHOLE_MAX, 0, NULL, NULL},
    {"threads", BLOC__P_WHOLE, OFF(simulate_rq, threads), NULL, 0, 1024, 0, NULL, NULL},
    {"electors", BLOC__P_WHOLE, OFF(simulate_rq, electors), NULL, 10, 5000000, 0, NULL, NULL},
    {"scale", BLOC__P_REAL, OFF(simulate_rq, scale), "a fraction from 0.0001 to 1", 0.0001, 1, 0,
     NULL, NULL},
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
    {"homophily", BLOC__P_REAL, OFF(simulate_rq, homophily), "a fraction from 0 to 1", 0, 1, 1,
     NULL, NULL},
    {"friends", BLOC__P_REAL, OFF(simulate_rq, friends), "a number from 0 to 50", 0, 50, 1, NULL,
     NULL},
    {"word-of-mouth", BLOC__P_REAL, OFF(simulate_rq, word_of_mouth), "a fraction from 0 to 1", 0, 1,
     1, NULL, NULL},
    {"homophily-age", BLOC__P_REAL, OFF(simulate_rq, homophily_age), "a fraction from 0 to 1", 0, 1,
     1, NULL, NULL},
    {"homophily-sex", BLOC__P_REAL, OFF(simulate_rq, homophily_sex), "a fraction from 0 to 1", 0, 1,
     1, NULL, NULL},
    {NULL, 0, 0, NULL, 0, 0, 0, NULL, NULL}};

/* The base contest's id: BASE, or with --all the one positional argument. */
static const char *base_id(const struct simulate_rq *r)
{
	return r->all && !r->base ? r->seat : r->base;
}

static int check_simulate(const void *rq)
{
	const struct simulate_rq *r = rq;

	if (r->all) {
		if (r->seat && r->base)
			return bloc_error_set(BLOC_EUSAGE,
			                      "--all: expected BASE alone, found a seat "
			                      "('%s') as well",
			                      r->seat);
		if (!base_id(r) || !*base_id(r))
			return bloc_error_set(BLOC_EUSAGE, "--all: expected BASE");
		if (r->sweep || r->fit || r->actual || bloc__given(r, "electors") ||
		    r->view != V_CANDIDATE)
			return bloc_error_set(
			    BLOC_EUSAGE, "--all: --sweep, --fit, --actual, --electors and --by "
			                 "are for one seat");
		return BLOC_OK;
	}
	if (!r->seat || !*r->seat || !r->base || !*r->base)
		return bloc_error_set(BLOC_EUSAGE, "expected SEAT BASE");
	if (r->sweep && r->fit)
		return bloc_error_set(BLOC_EUSAGE, "--sweep and --fit: one at a time");
	return BLOC_OK;
}

static size_t replicates_of(const struct simulate_rq *r)
{
	return bloc__given(r, "replicates") ? (size_t)r->replicates : r->all ? 10 : 100;
}

static int simulate_within(const void *rq, const bloc_limits *lim)
{
	const struct simulate_rq *r = rq;

	if (lim->max_sims && (r->all || r->fit || replicates_of(r) > lim->max_sims / 100))
		return bloc__over_limit(lim,
		                        r->all   ? "all"
		                        : r->fit ? "fit"
		                                 : "replicates",
		                        r->all || r->fit ? 0 : lim->max_sims / 100);
	return BLOC_OK;
}

/* ---- one seat's parameters ------------------------------------------------------------- */

/* "PARTY=VALUE,..." for each candidate: a number (kind 0) or a strategy name (kind 1). A party
 * with no candidate is an error when strict, skipped otherwise (--all: not every seat has every
 * party). */
static int per_candidate(const char *what, const char *text, const bloc_sim_params *p, int kind,
                         double *num, int *strat, int strict)
{
	const char *s = text;

	while (*s) {
		size_t len = strcspn(s, ","), eq = strcspn(s, "="), c;
		char label[64], val[64];
		bloc_party party;
		double x = 0;
		int err, st = 0;
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
		if (kind) {
			if ((st = bloc_sim_strategy_parse(val)) < 0)
				return bloc_error_set(
				    BLOC_EUSAGE,
				    "--%s: expected none, broker, doorstep or both, "
				    "found '%s'",
				    what, val);
		} else if ((err = bloc__parse_real(val, &x)) < 0 || x < 0 || x > 1e9)
			return err < 0 ? err
			               : bloc_error_set(BLOC_EINVAL, "--%s: %s: expected 0 to 1e9",
			                                what, label);
		for (c = 0; c < p->ncand && p->cand[c] != party; c++)
			;
		if (c == p->ncand && strict)
			return bloc_error_set(
			    BLOC_EINVAL, "--%s: %s has no candidate here (--stand %s to add one)",
			    what, label, label);
		if (c < p->ncand) {
			if (kind)
				strat[c] = st;
			else
				num[c] = x;
		}
		s += len + (s[len] == ',');
	}
	return BLOC_OK;
}

/* The census of the base contest's seats: ages (seats x 6), women, households by electors
 * (seats x 6); NaN where the census has no such seat (or no census on those boundaries). */
struct census {
	double *age, *fem, *hh;
	int loaded;
	const char *name; /* where it came from */
};

static void census_dispose(struct census *cs)
{
	bloc_free(cs->age);
	bloc_free(cs->fem);
	bloc_free(cs->hh);
	memset(cs, 0, sizeof(*cs));
}

static int census_open(struct census *cs, bloc_store *st, const bloc_contest *c)
{
	memset(cs, 0, sizeof(*cs));
	cs->age = bloc_malloc((c->nseats * 6 + 1) * sizeof(*cs->age));
	cs->fem = bloc_malloc((c->nseats + 1) * sizeof(*cs->fem));
	cs->hh = bloc_malloc((c->nseats * 6 + 1) * sizeof(*cs->hh));
	if (!cs->age || !cs->fem || !cs->hh) {
		census_dispose(cs);
		return bloc_error_oom("census of %zu seats", c->nseats);
	}
	if (bloc_seat_people_open(cs->age, cs->fem, cs->hh, bloc_store_catalog(st), c) == BLOC_OK)
		cs->loaded = 1;
	else
		bloc_error_clear();
	return BLOC_OK;
}

/* A seat's synthetic electorate and campaigns. */
struct seat_setup {
	bloc_sim_params p;
	double base[MAXC]; /* each candidate's share in BASE (0-1) */
	long cand_of[MAXC];
	int ages_census, hh_census, ipf_ages, ipf_hh; /* IPF sweeps (-1: did not converge) */
};

/* Split a seat's margin (`seat`, six fractions) between the group (share gs) and everyone else
 * by iterative proportional fitting from a seed of the two national profiles (`grp`, `rest`),
 * scaled by `size` (1, 2, ... for households weighted by their electors; NULL for ages); the
 * two rows come back as fractions (divided by `size` again and normalised). Returns the IPF's
 * sweeps; 0 when there is one part only (gs 0 or 1: that part takes the seat's margin as it
 * is); -1 when the margin is
 * empty or the fit did not converge (the seed's profiles then stay). */
static int split_margin(double *grp, double *rest, const double *seat, double gs,
                        const double *size)
{
	double cell[12], row[2] = {gs, 1 - gs}, col[6], tot = 0;
	size_t k;
	int it;

	for (k = 0; k < 6; k++) {
		double w = size ? size[k] : 1;
		col[k] = seat[k] * w;
		tot += col[k];
	}
	if (!(tot > 0))
		return -1;
	if (!(gs > 0 && gs < 1)) { /* one part: the seat's margin is its own */
		memcpy(gs > 0 ? grp : rest, seat, 6 * sizeof(*seat));
		return 0;
	}
	for (k = 0; k < 6; k++) {
		double w = size ? size[k] : 1;
		col[k] /= tot;
		cell[k] = gs * grp[k] * w;
		cell[6 + k] = (1 - gs) * rest[k] * w;
	}
	if ((it = bloc__ipf(cell, 2, 6, row, col, 200, 1e-9)) < 0)
		return -1;
	{
		double sg = 0, sr = 0;
		for (k = 0; k < 6; k++) {
			double w = size ? size[k] : 1;
			sg += cell[k] / w;
			sr += cell[6 + k] / w;
		}
		if (!(sg > 0 && sr > 0))
			return -1;
		for (k = 0; k < 6; k++) {
			double w = size ? size[k] : 1;
			grp[k] = cell[k] / w / sg;
			rest[k] = cell[6 + k] / w / sr;
		}
	}
	return it;
}

/* The parameters of one seat: its candidates (the parties with votes, then --stand), its
 * electorate, census and leanings, the campaigns and the model's settings. strict: one seat
 * (every error is an error); otherwise (--all) a seat with no census share has no group and
 * campaigns name only the parties standing. */
static int setup_seat(struct seat_setup *s, const struct simulate_rq *r, const bloc_contest *c,
                      size_t seat, const bloc_group_shares *g, const struct census *cs, int strict)
{
	bloc_sim_params *p = &s->p;
	double glean[MAXC];
	size_t k;
	int err;

	memset(s, 0, sizeof(*s));
	bloc_sim_params_init(p);
	for (k = 0; k < c->nparties && p->ncand < MAXC; k++) {
		int64_t v = c->votes[seat * c->nparties + k];
		if (v <= 0)
			continue;
		s->cand_of[p->ncand] = bloc_contest_leading(c, seat, c->parties[k]);
		s->base[p->ncand] = (double)v / (double)c->valid[seat];
		p->cand[p->ncand++] = c->parties[k];
	}
	if (!p->ncand)
		return bloc_error_set(BLOC_ENOTFOUND, "%s: no votes in %s", c->name[seat], c->id);
	if (r->stand) {
		const char *t = r->stand;
		while (*t) {
			size_t len = strcspn(t, ",");
			char label[64];
			bloc_party party;
			snprintf(label, sizeof(label), "%.*s", (int)(len < 63 ? len : 63), t);
			if ((err = bloc__party("--stand", label, &party)) < 0)
				return err;
			for (k = 0; k < p->ncand && p->cand[k] != party; k++)
				;
			if (k == p->ncand) {
				if (p->ncand == MAXC)
					return bloc_error_set(BLOC_EINVAL,
					                      "--stand: too many candidates");
				s->cand_of[p->ncand] = -1;
				s->base[p->ncand] = 0;
				p->cand[p->ncand++] = party;
			}
			t += len + (t[len] == ',');
		}
	}
	if (isnan(g->share[seat])) {
		if (strict)
			return bloc_error_set(BLOC_ENOTFOUND, "%s: no census share of group %s",
			                      c->name[seat], r->group ? r->group : "muslim");
		p->group_share = 0;
	} else
		p->group_share = g->share[seat];
	/* ages and households: the seat's census split between the group and everyone else by
	 * IPF, seeded with the national profiles (no census crosses religion with age or
	 * household by seat) */
	if (cs->loaded && !isnan(cs->age[seat * 6])) {
		s->ipf_ages = split_margin(p->age_group, p->age_rest, &cs->age[seat * 6],
		                           p->group_share, NULL);
		if (!isnan(cs->fem[seat]))
			p->female = cs->fem[seat];
		s->ages_census = 1;
	}
	if (cs->loaded && !isnan(cs->hh[seat * 6])) {
		static const double size[6] = {1, 2, 3, 4, 5, 6};
		s->ipf_hh = split_margin(p->household_group, p->household_rest, &cs->hh[seat * 6],
		                         p->group_share, size);
		s->hh_census = 1;
	}
	p->electors = strict && bloc__given(r, "electors") ? (size_t)r->electors
	              : c->electorate[seat] > 0            ? (size_t)c->electorate[seat]
	                                        : (size_t)((double)c->valid[seat] / 0.65);
	if (bloc__given(r, "scale"))
		p->electors = (size_t)llround((double)p->electors * r->scale);
	if (p->electors < 10)
		p->electors = 10;
	/* leanings: the group's as given (or like its seat), everyone else's what makes the seat's
	 * result in expectation */
	for (k = 0; k < p->ncand; k++)
		glean[k] = s->base[k];
	if (r->group_lean) {
		double gl[MAXC], sum = 0;
		memset(gl, 0, sizeof(gl));
		if ((err = per_candidate("group-lean", r->group_lean, p, 0, gl, NULL, strict)) < 0)
			return err;
		for (k = 0; k < p->ncand; k++)
			sum += gl[k];
		if (!(sum > 0) && strict)
			return bloc_error_set(BLOC_EINVAL, "--group-lean: shares sum to 0");
		for (k = 0; k < p->ncand && sum > 0; k++)
			glean[k] = gl[k] / sum;
	}
	{
		double sum = 0, gs = p->group_share;
		for (k = 0; k < p->ncand; k++) {
			double v = gs < 1 ? (s->base[k] - gs * glean[k]) / (1 - gs) : s->base[k];
			p->lean_group[k] = glean[k];
			p->lean_rest[k] = v > 0 ? v : 0;
			sum += p->lean_rest[k];
		}
		for (k = 0; k < p->ncand; k++)
			p->lean_rest[k] = sum > 0 ? p->lean_rest[k] / sum : 1.0 / (double)p->ncand;
	}
	if (r->strategy &&
	    (err = per_candidate("strategy", r->strategy, p, 1, NULL, p->strategy, strict)) < 0)
		return err;
	if (r->budget &&
	    (err = per_candidate("budget", r->budget, p, 0, p->budget, NULL, strict)) < 0)
		return err;
	{
		double mean = 0; /* electors per household outside the group */
		for (k = 0; k < BLOC_SIM_HOUSEHOLD; k++)
			mean += (double)(k + 1) * p->household_rest[k];
		for (k = 0; k < p->ncand; k++)
			if ((p->strategy[k] == BLOC_SIM_DOORSTEP ||
			     p->strategy[k] == BLOC_SIM_BOTH) &&
			    !(p->budget[k] > 0))
				p->budget[k] =
				    0.25 * (double)p->electors / mean; /* a quarter of doors */
	}
	if (bloc__given(r, "contact-rate"))
		p->contact_rate = r->contact_rate;
	if (bloc__given(r, "cace"))
		p->cace_turnout = r->cace;
	if (bloc__given(r, "persuasion"))
		p->persuasion = r->persuasion;
	if (bloc__given(r, "spillover"))
		p->spillover = r->spillover;
	if (bloc__given(r, "compliance-men"))
		p->compliance_older_men = r->comply_men;
	if (bloc__given(r, "compliance-other"))
		p->compliance_other = r->comply_other;
	if (bloc__given(r, "influence"))
		p->influence = r->influence;
	if (bloc__given(r, "turnout-scale"))
		p->turnout_scale = r->turnout_scale;
	if (bloc__given(r, "homophily"))
		p->homophily = r->homophily;
	if (bloc__given(r, "friends"))
		p->friends = r->friends;
	if (bloc__given(r, "word-of-mouth"))
		p->word_of_mouth = r->word_of_mouth;
	if (bloc__given(r, "homophily-age"))
		p->homophily_age = r->homophily_age;
	if (bloc__given(r, "homophily-sex"))
		p->homophily_sex = r->homophily_sex;
	return BLOC_OK;
}

/* ---- running the replicates ------------------------------------------------------------ */

/* An outcome as whole numbers, for summing over MPI ranks (every count is a whole number). */
#define PACKED (MAXC + 2 + 4 * BLOC_SIM_AGES * 2 + 1 + 4)

static void pack(uint64_t *w, const bloc_sim_outcome *o)
{
	size_t k = 0, c, s, a, g;

	for (c = 0; c < MAXC; c++)
		w[k++] = (uint64_t)o->votes[c];
	w[k++] = o->contacted;
	w[k++] = o->endorsed;
	for (s = 0; s < 2; s++)
		for (a = 0; a < BLOC_SIM_AGES; a++)
			for (g = 0; g < 2; g++) {
				w[k++] = (uint64_t)o->moved[s][a][g];
				w[k++] = (uint64_t)o->voters[s][a][g];
			}
	w[k++] = o->bytes;
	w[k++] = o->ties;
	w[k++] = o->ties_part;
	w[k++] = o->ties_age;
	w[k++] = o->ties_sex;
}

static void unpack(bloc_sim_outcome *o, const uint64_t *w, const bloc_sim_params *p)
{
	size_t k = 0, c, s, a, g;
	double voted = 0;

	memset(o, 0, sizeof(*o));
	for (c = 0; c < MAXC; c++) {
		o->votes[c] = (double)w[k++];
		voted += o->votes[c];
	}
	o->contacted = (size_t)w[k++];
	o->endorsed = (size_t)w[k++];
	for (s = 0; s < 2; s++)
		for (a = 0; a < BLOC_SIM_AGES; a++)
			for (g = 0; g < 2; g++) {
				o->moved[s][a][g] = (double)w[k++];
				o->voters[s][a][g] = (double)w[k++];
			}
	o->bytes = (size_t)w[k++];
	o->ties = (size_t)w[k++];
	o->ties_part = (size_t)w[k++];
	o->ties_age = (size_t)w[k++];
	o->ties_sex = (size_t)w[k++];
	o->turnout = voted / (double)p->electors;
	for (c = 1; c < p->ncand; c++)
		if (o->votes[c] > o->votes[o->winner])
			o->winner = c;
}

/* The replicates: `reps` of each of `nseats` parameter sets (one seat: 1). Replicate i of a
 * single seat uses stream i of the seed; replicate i of seat s of --all stream (s + 1) x 2^32 +
 * i. */
struct job {
	const struct seat_setup *set;
	size_t nseats, reps, first;
	int all;
	uint64_t seed;
	bloc_sim_outcome *out;
	bloc_sim_workspace **ws; /* one per worker (workspaces_new) */
};

static int one(size_t i, unsigned worker, void *payload)
{
	const struct job *j = payload;
	const size_t at = j->first + i, s = at / j->reps, rep = at % j->reps;

	if (!j->ws[worker] && !(j->ws[worker] = bloc_sim_workspace_new()))
		return bloc_error_oom("a simulation's workspace");
	return bloc_sim_run_in(j->ws[worker], &j->out[at], &j->set[s].p, j->seed,
	                       j->all ? ((uint64_t)(s + 1) << 32) + rep : rep);
}

/* Run every replicate of every set: this rank's block of them on `threads` threads, then (under
 * several ranks) their counts summed over the ranks, so every rank holds them all. */
static unsigned threads_of(const struct simulate_rq *r)
{
	return bloc__given(r, "threads") ? (unsigned)r->threads : 1;
}

/* One workspace slot per worker (made on a worker's first replicate), kept for the whole request
 * so that a fit's or a sweep's runs reuse the buffers and turnout tables. */
static bloc_sim_workspace **workspaces_new(const struct simulate_rq *r)
{
	bloc_sim_workspace **ws = bloc_calloc((size_t)threads_of(r) + 1, sizeof(*ws));

	if (!ws)
		bloc_error_oom("%u workspaces", threads_of(r));
	return ws;
}

static void workspaces_free(const struct simulate_rq *r, bloc_sim_workspace **ws)
{
	unsigned i;

	for (i = 0; ws && i <= threads_of(r); i++)
		bloc_sim_workspace_free(ws[i]);
	bloc_free(ws);
}

static int run_all(const struct simulate_rq *r, bloc_sim_workspace **ws,
                   const struct seat_setup *set, size_t nseats, size_t reps, uint64_t seed,
                   bloc_sim_outcome *out)
{
	const bloc_partition *part = &r->h.part;
	const size_t n = nseats * reps;
	struct job j = {set, nseats, reps, 0, r->all, seed, out, ws};
	size_t last = n, i;
	uint64_t *w = NULL;
	int err;

	if (part->size > 1) {
		j.first = n * part->rank / part->size;
		last = n * (part->rank + 1) / part->size;
	}
	memset(out, 0, n * sizeof(*out));
	err = bloc__parallel_for(last - j.first, threads_of(r), one, &j);
	if (err < 0 || part->size <= 1)
		return err;
	if (!(w = bloc_calloc(n * PACKED + 1, sizeof(*w))))
		return bloc_error_oom("%zu replicates' counts", n);
	for (i = j.first; i < last; i++)
		pack(&w[i * PACKED], &out[i]);
	if ((err = part->reduce(w, n * PACKED, part->ctx)) == BLOC_OK)
		for (i = 0; i < n; i++)
			unpack(&out[i], &w[i * PACKED], &set[i / reps].p);
	bloc_free(w);
	return err;
}

/* Each replicate's share of the vote for candidate k (points), into col. */
static void shares(double *col, const bloc_sim_outcome *res, size_t n, size_t ncand, size_t k)
{
	size_t i, q;

	for (i = 0; i < n; i++) {
		double tot = 0;
		for (q = 0; q < ncand; q++)
			tot += res[i].votes[q];
		col[i] = tot > 0 ? 100 * res[i].votes[k] / tot : 0;
	}
}

/* The share of the replicates that candidate k won. */
static double p_win(const bloc_sim_outcome *res, size_t n, size_t k)
{
	double wins = 0;
	size_t i;

	for (i = 0; i < n; i++)
		wins += res[i].winner == k;
	return wins / (double)n;
}

static double mean_of(const double *v, size_t n)
{
	double s = 0;
	size_t i;

	for (i = 0; i < n; i++)
		s += v[i];
	return n ? s / (double)n : NAN;
}

/* The q-quantile of v[0..n), which it sorts. */
static double quantile(double *v, size_t n, double q)
{
	qsort(v, n, sizeof(*v), bloc__cmp_double);
	return bloc__quantile_sorted(v, n, q);
}

/* ---- the parameters --sweep and --fit vary --------------------------------------------- */

struct knob {
	const char *name;
	size_t offset;
	double lo, hi;
};

#define PAR(field) offsetof(bloc_sim_params, field)
static const struct knob knobs[] = {{"contact-rate", PAR(contact_rate), 0, 1},
                                    {"cace", PAR(cace_turnout), 0, 1},
                                    {"persuasion", PAR(persuasion), 0, 1},
                                    {"spillover", PAR(spillover), 0, 1},
                                    {"compliance-men", PAR(compliance_older_men), 0, 1},
                                    {"compliance-other", PAR(compliance_other), 0, 1},
                                    {"influence", PAR(influence), 0, 1},
                                    {"turnout-scale", PAR(turnout_scale), 0.1, 1.5},
                                    {"homophily", PAR(homophily), 0, 1},
                                    {"friends", PAR(friends), 0, 20},
                                    {"word-of-mouth", PAR(word_of_mouth), 0, 1},
                                    {"homophily-age", PAR(homophily_age), 0, 1},
                                    {"homophily-sex", PAR(homophily_sex), 0, 1}};
#define NKNOBS (sizeof(knobs) / sizeof(knobs[0]))

static const struct knob *knob_named(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < NKNOBS; i++)
		if (strlen(knobs[i].name) == len && strncmp(name, knobs[i].name, len) == 0)
			return &knobs[i];
	return NULL;
}

static double *knob_at(bloc_sim_params *p, const struct knob *k)
{
	return (double *)(void *)((char *)p + k->offset);
}

static int unknown_knob(const char *what, const char *name, size_t len)
{
	return bloc_error_set(
	    BLOC_EUSAGE,
	    "--%s: '%.*s' is not a parameter it can vary (contact-rate, cace, "
	    "persuasion, spillover, compliance-men, compliance-other, "
	    "influence, turnout-scale, homophily, friends, word-of-mouth, homophily-age, "
	    "homophily-sex)",
	    what, (int)(len < 40 ? len : 40), name);
}

/* ---- the actual result ----------------------------------------------------------------- */

struct actual {
	int have;
	const char *id;
	double share[MAXC]; /* points, NaN for a candidate's party not in it */
	double turnout;     /* points, NaN if its electorate is unknown */
};

static int actual_open(struct actual *a, bloc_store *st, const char *id, const bloc_contest *c,
                       size_t seat, const bloc_sim_params *p)
{
	const bloc_contest *ac;
	size_t as, k, q;
	int err;

	memset(a, 0, sizeof(*a));
	a->turnout = NAN;
	for (k = 0; k < MAXC; k++)
		a->share[k] = NAN;
	if (!id)
		return BLOC_OK;
	if ((err = bloc_store_contest(st, id, &ac)) < 0)
		return err;
	if (bloc_contest_find_seat(ac, c->code[seat], &as) < 0) {
		bloc_error_clear();
		if ((err = bloc_contest_find_seat(ac, c->name[seat], &as)) < 0)
			return bloc_error_set(err, "--actual %s: no seat %s (%s)", id,
			                      c->code[seat], c->name[seat]);
	}
	for (k = 0; k < p->ncand; k++)
		for (q = 0; q < ac->nparties; q++)
			if (ac->parties[q] == p->cand[k] && ac->valid[as] > 0 &&
			    ac->votes[as * ac->nparties + q] > 0)
				a->share[k] = 100 * (double)ac->votes[as * ac->nparties + q] /
				              (double)ac->valid[as];
	if (ac->electorate[as] > 0)
		a->turnout = 100 * (double)ac->valid[as] / (double)ac->electorate[as];
	a->have = 1;
	a->id = ac->id;
	return BLOC_OK;
}

/* ---- --fit ------------------------------------------------------------------------------ */

struct fit {
	const struct knob *knob;
	long cand; /* the candidate whose mean share is the target; -1: turnout */
	double target, value, got;
	int bound; /* the target lay beyond the parameter's range: the nearer end */
};

/* "PARAM=TARGET,...": TARGET a party's code (its share) or "turnout", then ":" and the figure
 * in points, which --actual supplies when left out. */
static int parse_fits(struct fit *f, size_t *nf, const char *text, const bloc_sim_params *p,
                      const struct actual *a)
{
	const char *s = text;

	*nf = 0;
	while (*s) {
		size_t len = strcspn(s, ","), eq = strcspn(s, "="), colon;
		char tgt[64];
		struct fit *x = &f[*nf];
		int err;
		if (eq >= len || eq == 0)
			return bloc_error_set(BLOC_EUSAGE,
			                      "--fit: expected PARAM=PARTY[:SHARE] or "
			                      "PARAM=turnout[:PERCENT], found '%.*s'",
			                      (int)(len < 40 ? len : 40), s);
		if (*nf == MAX_FITS)
			return bloc_error_set(BLOC_EUSAGE, "--fit: at most %d parameters",
			                      MAX_FITS);
		if (!(x->knob = knob_named(s, eq)))
			return unknown_knob("fit", s, eq);
		snprintf(tgt, sizeof(tgt), "%.*s", (int)(len - eq - 1 < 63 ? len - eq - 1 : 63),
		         s + eq + 1);
		colon = strcspn(tgt, ":");
		x->target = NAN;
		if (tgt[colon]) {
			tgt[colon] = '\0';
			if ((err = bloc__parse_real(tgt + colon + 1, &x->target)) < 0 ||
			    !(x->target >= 0 && x->target <= 100))
				return bloc_error_set(
				    BLOC_EINVAL,
				    "--fit: %s: expected a figure in points from 0 "
				    "to 100, found '%s'",
				    x->knob->name, tgt + colon + 1);
		}
		if (strcmp(tgt, "turnout") == 0) {
			x->cand = -1;
			if (isnan(x->target))
				x->target = a->turnout;
		} else {
			bloc_party party;
			size_t k;
			if ((err = bloc__party("fit", tgt, &party)) < 0)
				return err;
			for (k = 0; k < p->ncand && p->cand[k] != party; k++)
				;
			if (k == p->ncand)
				return bloc_error_set(
				    BLOC_EINVAL,
				    "--fit: %s has no candidate here (--stand %s to "
				    "add one)",
				    tgt, tgt);
			x->cand = (long)k;
			if (isnan(x->target))
				x->target = a->share[k];
		}
		if (isnan(x->target))
			return bloc_error_set(
			    BLOC_EUSAGE,
			    "--fit: %s: no figure for %s (give PARAM=%s:FIGURE, or "
			    "--actual CONTEST%s)",
			    x->knob->name, tgt, tgt, x->cand < 0 ? " with an electorate" : "");
		(*nf)++;
		s += len + (s[len] == ',');
	}
	if (!*nf)
		return bloc_error_set(BLOC_EUSAGE, "--fit: expected PARAM=TARGET,...");
	return BLOC_OK;
}

/* The fit's quantity over the replicates: the candidate's mean share, or the mean turnout. */
static double measure(const struct fit *f, const bloc_sim_outcome *res, size_t n,
                      const bloc_sim_params *p, double *col)
{
	size_t i;

	if (f->cand < 0) {
		for (i = 0; i < n; i++)
			col[i] = 100 * res[i].turnout;
	} else
		shares(col, res, n, p->ncand, (size_t)f->cand);
	return mean_of(col, n);
}

/* Fit each parameter in turn by bisection to its target (the same replicates' streams at every
 * trial, so the quantity moves smoothly with the parameter), two rounds when there are
 * several: a quantity assumed monotone in its parameter over the parameter's range. */
static int run_fit(const struct simulate_rq *r, bloc_sim_workspace **ws, struct seat_setup *set,
                   struct fit *f, size_t nf, size_t reps, uint64_t seed, size_t *trials)
{
	bloc_sim_outcome *res = bloc_calloc(reps, sizeof(*res));
	double *col = bloc_malloc(reps * sizeof(*col));
	size_t round, k, it, rounds = nf > 1 ? 2 : 1;
	int err = BLOC_OK;

	*trials = 0;
	if (!res || !col) {
		err = bloc_error_oom("%zu replicates", reps);
		goto done;
	}
	for (round = 0; round < rounds && err == BLOC_OK; round++)
		for (k = 0; k < nf && err == BLOC_OK; k++) {
			double *at = knob_at(&set->p, f[k].knob), lo = f[k].knob->lo,
			       hi = f[k].knob->hi, ylo, yhi;
			*at = lo;
			if ((err = run_all(r, ws, set, 1, reps, seed, res)) < 0)
				break;
			ylo = measure(&f[k], res, reps, &set->p, col);
			*at = hi;
			if ((err = run_all(r, ws, set, 1, reps, seed, res)) < 0)
				break;
			yhi = measure(&f[k], res, reps, &set->p, col);
			*trials += 2;
			f[k].bound = 0;
			if ((f[k].target - ylo) * (f[k].target - yhi) > 0) {
				/* out of reach: the nearer end */
				*at = fabs(f[k].target - ylo) < fabs(f[k].target - yhi) ? lo : hi;
				f[k].bound = 1;
				continue;
			}
			for (it = 0; it < 12; it++) {
				double mid = (lo + hi) / 2, y;
				*at = mid;
				if ((err = run_all(r, ws, set, 1, reps, seed, res)) < 0)
					break;
				y = measure(&f[k], res, reps, &set->p, col);
				(*trials)++;
				if ((y < f[k].target) == (ylo < yhi))
					lo = mid;
				else
					hi = mid;
			}
			*at = (lo + hi) / 2;
		}
	for (k = 0; k < nf; k++)
		f[k].value = *knob_at(&set->p, f[k].knob);
done:
	bloc_free(res);
	bloc_free(col);
	return err;
}

/* ---- the answers ---------------------------------------------------------------------- */

/* --sweep PARAM=A:B:N: the same replicates at N values of PARAM from A to B, one row each:
 * value, turnout, then each candidate's mean share and chance of winning. */
static int run_sweep(bloc_table **out, const struct simulate_rq *r, bloc_sim_workspace **ws,
                     struct seat_setup *set, size_t n, uint64_t seed, double *xs, double *sh,
                     size_t *nv)
{
	bloc_sim_params *p = &set->p;
	const char *spec = r->sweep;
	const struct knob *kn;
	double a, b, *at;
	unsigned long long steps;
	bloc_sim_outcome *res = NULL;
	double *col = NULL;
	bloc_table *t = NULL;
	size_t eq = strcspn(spec, "="), v, k, i;
	int err = BLOC_OK;

	if (!spec[eq])
		return bloc_error_set(BLOC_EUSAGE, "--sweep: expected PARAM=A:B:N, found '%.40s'",
		                      spec);
	if (!(kn = knob_named(spec, eq)))
		return unknown_knob("sweep", spec, eq);
	at = knob_at(p, kn);
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
		if (a < kn->lo || a > kn->hi || b < kn->lo || b > kn->hi)
			return bloc_error_set(
			    BLOC_EINVAL, "--sweep: %s from %g to %g, expected values from %g to %g",
			    kn->name, a, b, kn->lo, kn->hi);
	}
	if (!(res = bloc_calloc(n, sizeof(*res))) || !(col = bloc_malloc(n * sizeof(*col)))) {
		bloc_free(res);
		bloc_free(col);
		return bloc_error_oom("%zu replicates", n);
	}
	if ((err = bloc_table_new(&t)) < 0 ||
	    (err = bloc_table_add_column(t, kn->name, BLOC_COL_REAL, 4)) < 0 ||
	    (err = bloc_table_add_column(t, "turnout", BLOC_COL_REAL, 1)) < 0)
		goto done;
	for (k = 0; k < p->ncand && err == BLOC_OK; k++) {
		char name[48];
		snprintf(name, sizeof(name), "share_%s", bloc_party_code(p->cand[k]));
		if ((err = bloc_table_add_column(t, name, BLOC_COL_REAL, 1)) == BLOC_OK) {
			snprintf(name, sizeof(name), "p_%s", bloc_party_code(p->cand[k]));
			err = bloc_table_add_column(t, name, BLOC_COL_REAL, 3);
		}
	}
	for (v = 0; v < steps && err == BLOC_OK; v++) {
		double share[MAXC], win[MAXC], turnout;
		*at = a + (b - a) * (double)v / (double)(steps - 1);
		if ((err = run_all(r, ws, set, 1, n, seed, res)) < 0)
			break;
		/* the figures of the candidate table and of --fit, at this value */
		for (k = 0; k < p->ncand; k++) {
			shares(col, res, n, p->ncand, k);
			share[k] = mean_of(col, n);
			win[k] = p_win(res, n, k);
		}
		for (i = 0; i < n; i++)
			col[i] = 100 * res[i].turnout;
		turnout = mean_of(col, n);
		xs[v] = *at;
		memcpy(&sh[v * p->ncand], share, p->ncand * sizeof(*sh));
		*nv = v + 1;
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
		                      kn->name, a, b, steps, n);
done:
	bloc_free(res);
	bloc_free(col);
	if (err < 0) {
		bloc_table_free(t);
		return err;
	}
	*out = t;
	return BLOC_OK;
}

/* by=spec: the seat's model inputs as JSON (a reference implementation starts here). */
static void put_reals(bloc_buf *b, const char *key, const double *v, size_t n)
{
	size_t i;

	bloc_buf_printf(b, ",\n\"%s\":[", key);
	for (i = 0; i < n; i++)
		bloc_buf_printf(b, "%s%.17g", i ? "," : "", v[i]);
	bloc_buf_puts(b, "]");
}

static int spec_doc(bloc_answer *out, const bloc_contest *c, size_t seat, const bloc_sim_params *p,
                    size_t n, uint64_t seed)
{
	bloc_buf b = BLOC_BUF_INIT;
	size_t k;
	int err;

	bloc_buf_puts(&b, "{\"seat\":");
	bloc__json_put_string(&b, c->code[seat]);
	bloc_buf_puts(&b, ",\"name\":");
	bloc__json_put_string(&b, c->name[seat]);
	bloc_buf_puts(&b, ",\"base\":");
	bloc__json_put_string(&b, c->id);
	bloc_buf_printf(&b, ",\"electors\":%zu,\"group_share\":%.17g,\"female\":%.17g", p->electors,
	                p->group_share, p->female);
	put_reals(&b, "age_group", p->age_group, BLOC_SIM_AGES);
	put_reals(&b, "age_rest", p->age_rest, BLOC_SIM_AGES);
	put_reals(&b, "household_group", p->household_group, BLOC_SIM_HOUSEHOLD);
	put_reals(&b, "household_rest", p->household_rest, BLOC_SIM_HOUSEHOLD);
	put_reals(&b, "turnout_age", p->turnout_age, BLOC_SIM_AGES);
	bloc_buf_printf(&b, ",\n\"turnout_scale\":%.17g,\n\"candidates\":[", p->turnout_scale);
	for (k = 0; k < p->ncand; k++) {
		if (k)
			bloc_buf_puts(&b, ",");
		bloc__json_put_string(&b, bloc_party_code(p->cand[k]));
	}
	bloc_buf_puts(&b, "]");
	put_reals(&b, "lean_group", p->lean_group, p->ncand);
	put_reals(&b, "lean_rest", p->lean_rest, p->ncand);
	bloc_buf_puts(&b, ",\n\"strategy\":[");
	for (k = 0; k < p->ncand; k++)
		bloc_buf_printf(&b, "%s\"%s\"", k ? "," : "",
		                bloc_sim_strategy_name(p->strategy[k]));
	bloc_buf_puts(&b, "]");
	put_reals(&b, "budget", p->budget, p->ncand);
	bloc_buf_printf(&b,
	                ",\n\"kin_min\":%zu,\"kin_max\":%zu,\"brokers\":%zu,\"friends\":%.17g,"
	                "\"homophily\":%.17g,\"homophily_age\":%.17g,\"homophily_sex\":%.17g,"
	                "\n\"contact_rate\":%.17g,\"cace_turnout\":%.17g,"
	                "\"persuasion\":%.17g,\"spillover\":%.17g,\"compliance_older_men\":%.17g,"
	                "\"compliance_other\":%.17g,\"doorstep_target\":%d,\"rounds\":%zu,"
	                "\"word_of_mouth\":%.17g,\"influence\":%.17g,\n\"replicates\":%zu,"
	                "\"seed\":%llu}\n",
	                p->kin_min, p->kin_max, p->brokers, p->friends, p->homophily,
	                p->homophily_age, p->homophily_sex, p->contact_rate, p->cace_turnout,
	                p->persuasion, p->spillover, p->compliance_older_men, p->compliance_other,
	                p->doorstep_target, p->rounds, p->word_of_mouth, p->influence, n,
	                (unsigned long long)seed);
	if ((err = bloc_buf_check(&b)) < 0) {
		bloc_buf_dispose(&b);
		return err;
	}
	err = bloc__finish_doc(out, &b, "application/json; charset=utf-8");
	bloc_buf_dispose(&b);
	return err;
}

/* by=moved: who voted other than they leaned, by sex, age band and part of the electorate. */
static int moved_table(bloc_table **out, const bloc_sim_outcome *res, size_t n, const char *gname)
{
	static const char *const ages[] = {"18-24", "25-34", "35-44", "45-54", "55-64", "65+"};
	bloc_table *t = NULL;
	size_t s, a, g, i;
	int err;

	if ((err = bloc_table_new(&t)) < 0 ||
	    (err = bloc_table_add_column(t, "part", BLOC_COL_STRING, 0)) < 0 ||
	    (err = bloc_table_add_column(t, "sex", BLOC_COL_STRING, 0)) < 0 ||
	    (err = bloc_table_add_column(t, "age", BLOC_COL_STRING, 0)) < 0 ||
	    (err = bloc_table_add_column(t, "voters", BLOC_COL_REAL, 0)) < 0 ||
	    (err = bloc_table_add_column(t, "moved", BLOC_COL_REAL, 0)) < 0 ||
	    (err = bloc_table_add_column(t, "moved_pct", BLOC_COL_REAL, 1)) < 0)
		goto done;
	for (g = 0; g < 2; g++)
		for (s = 0; s < 2; s++)
			for (a = 0; a < BLOC_SIM_AGES; a++) {
				double v = 0, m = 0;
				for (i = 0; i < n; i++) {
					v += res[i].voters[s][a][g];
					m += res[i].moved[s][a][g];
				}
				if ((err = bloc_table_add_string(t, g ? "others" : gname)) < 0 ||
				    (err = bloc_table_add_string(t, s ? "women" : "men")) < 0 ||
				    (err = bloc_table_add_string(t, ages[a])) < 0 ||
				    (err = bloc_table_add_real(t, v / (double)n)) < 0 ||
				    (err = bloc_table_add_real(t, m / (double)n)) < 0 ||
				    (err = bloc_table_add_real(t, v > 0 ? 100 * m / v : 0)) < 0)
					goto done;
			}
	err = bloc_table_meta(t, "moved",
	                      "mean per replicate over %zu replicates: voters, and those who voted "
	                      "for another candidate than they leaned to",
	                      n);
done:
	if (err < 0) {
		bloc_table_free(t);
		return err;
	}
	*out = t;
	return BLOC_OK;
}

/* The answer's common metadata for one seat. */
static int seat_meta(bloc_table *t, bloc_store *st, const bloc_contest *c, size_t seat,
                     const struct seat_setup *set, const char *gname, const char *census,
                     uint64_t seed)
{
	const bloc_sim_params *p = &set->p;
	int err;

	if ((err = bloc_table_meta(t, "seat", "%s %s", c->code[seat], c->name[seat])) < 0 ||
	    (err = bloc_table_meta(t, "base", "%s", c->id)) < 0 ||
	    (err = bloc_table_meta_int(t, "electors", (int64_t)p->electors)) < 0 ||
	    (err = bloc_table_meta(t, "group", "%s, %.1f%% of the seat (%s)", gname,
	                           100 * p->group_share, census)) < 0 ||
	    (err = bloc_table_meta(
	         t, "census",
	         "ages and sex: %s; households: %s; the group's split from the seat's by IPF "
	         "from national profiles: %s; women %.1f%%",
	         set->ages_census ? "the seat's census"
	                          : "national defaults (no census of ages for these boundaries)",
	         set->hh_census ? "the seat's census" : "national defaults",
	         !set->ages_census                      ? "not run"
	         : set->ipf_ages < 0 || set->ipf_hh < 0 ? "not converged, national profiles kept"
	         : set->ipf_ages == 0                   ? "not needed (one part)"
	                                                : "converged",
	         100 * p->female)) < 0 ||
	    (err = bloc_table_meta(
	         t, "parameters",
	         "contact rate %.2f, turnout effect %.3f, persuasion %.4f, spillover %.2f, "
	         "compliance %.3f (men 45+) / %.3f (others), kinship clusters %zu-%zu with "
	         "%zu brokers, %.1f friends, homophily %.2f, %zu rounds of word of mouth at %.4f "
	         "and influence at %.3f, turnout x %.3f",
	         p->contact_rate, p->cace_turnout, p->persuasion, p->spillover,
	         p->compliance_older_men, p->compliance_other, p->kin_min, p->kin_max, p->brokers,
	         p->friends, p->homophily, p->rounds, p->word_of_mouth, p->influence,
	         p->turnout_scale)) < 0 ||
	    (err = bloc_table_meta(t, "seed", "%llu", (unsigned long long)seed)) < 0)
		return err;
	return bloc_store_meta_source(st, t, "base_source", c);
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0->tv_nsec);
}

static long peak_mb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss / 1024;
}

/* Candidate k's name in BASE, or NULL (a new candidate, or a party row without one). */
static const char *cand_label(const bloc_contest *c, const struct seat_setup *set, size_t k)
{
	return set->cand_of[k] >= 0 && *c->cand_name[set->cand_of[k]]
	           ? c->cand_name[set->cand_of[k]]
	           : NULL;
}

/* The candidate table of one seat. */
static int candidate_table(bloc_table **out, const bloc_contest *c, const struct seat_setup *set,
                           const bloc_sim_outcome *res, size_t n, const struct actual *act,
                           double *col)
{
	const bloc_sim_params *p = &set->p;
	bloc_table *t = NULL;
	size_t k;
	int err;

	if ((err = bloc_table_new(&t)) < 0 ||
	    (err = bloc_table_add_column(t, "candidate", BLOC_COL_STRING, 0)) < 0 ||
	    (err = bloc_table_add_column(t, "party", BLOC_COL_STRING, 0)) < 0 ||
	    (err = bloc_table_add_column(t, "strategy", BLOC_COL_STRING, 0)) < 0 ||
	    (err = bloc_table_add_column(t, "share_mean", BLOC_COL_REAL, 1)) < 0 ||
	    (err = bloc_table_add_column(t, "share_lo90", BLOC_COL_REAL, 1)) < 0 ||
	    (err = bloc_table_add_column(t, "share_hi90", BLOC_COL_REAL, 1)) < 0 ||
	    (err = bloc_table_add_column(t, "p_win", BLOC_COL_REAL, 3)) < 0 ||
	    (err = bloc_table_add_column(t, "share_base", BLOC_COL_REAL, 1)) < 0 ||
	    (act->have && (err = bloc_table_add_column(t, "share_actual", BLOC_COL_REAL, 1)) < 0))
		goto done;
	for (k = 0; k < p->ncand; k++) {
		const char *name = cand_label(c, set, k);
		double mean;
		shares(col, res, n, p->ncand, k);
		mean = mean_of(col, n);
		if ((err = bloc_table_add_string(t, name ? name : bloc_party_name(p->cand[k]))) <
		        0 ||
		    (err = bloc_table_add_string(t, bloc_party_code(p->cand[k]))) < 0 ||
		    (err = bloc_table_add_string(t, bloc_sim_strategy_name(p->strategy[k]))) < 0 ||
		    (err = bloc_table_add_real(t, mean)) < 0 ||
		    (err = bloc_table_add_real(t, quantile(col, n, 0.05))) < 0 ||
		    (err = bloc_table_add_real(t, quantile(col, n, 0.95))) < 0 ||
		    (err = bloc_table_add_real(t, p_win(res, n, k))) < 0 ||
		    (err = bloc_table_add_real(t, 100 * set->base[k])) < 0 ||
		    (act->have && (err = bloc_table_add_real(t, act->share[k])) < 0))
			goto done;
	}
done:
	if (err < 0) {
		bloc_table_free(t);
		return err;
	}
	*out = t;
	return BLOC_OK;
}

/* The chart of one seat's replicates: each candidate's shares, base, real result and chance. */
static int seat_chart(bloc_buf *b, const bloc_contest *c, size_t seat, const struct seat_setup *set,
                      const bloc_sim_outcome *res, size_t n, const struct actual *act,
                      int standalone)
{
	const bloc_sim_params *p = &set->p;
	bloc_chart_sim_row rows[MAXC];
	bloc_chart_options o = BLOC_CHART_OPTIONS_INIT;
	double *all = bloc_malloc((p->ncand * n + 1) * sizeof(*all));
	char title[200], sub[200];
	size_t k, len = 0;
	int err;

	if (!all)
		return bloc_error_oom("%zu replicates' shares", n);
	sub[0] = '\0';
	for (k = 0; k < p->ncand; k++) {
		shares(&all[k * n], res, n, p->ncand, k);
		rows[k].party = p->cand[k];
		rows[k].label = cand_label(c, set, k);
		rows[k].shares = &all[k * n];
		rows[k].base = set->cand_of[k] < 0 && set->base[k] == 0 ? NAN : 100 * set->base[k];
		rows[k].actual = act->have ? act->share[k] : NAN;
		rows[k].p_win = p_win(res, n, k);
		if (p->strategy[k] != BLOC_SIM_NONE && len < sizeof(sub) - 40)
			len += (size_t)snprintf(
			    sub + len, sizeof(sub) - len, "%s%s %s",
			    len ? ", " : "campaigns: ", bloc_party_code(p->cand[k]),
			    bloc_sim_strategy_name(p->strategy[k]));
	}
	snprintf(title, sizeof(title), "%s: a simulated by-election, %zu replicates", c->name[seat],
	         n);
	o.title = title;
	o.subtitle = len ? sub : NULL;
	o.standalone = standalone;
	o.id = "simulate";
	err = bloc_chart_simulate(b, p->ncand, rows, n, &o);
	bloc_free(all);
	return err;
}

static int svg_answer(bloc_answer *out, bloc_buf *b, int err)
{
	if (err == BLOC_OK && (err = bloc_buf_check(b)) == BLOC_OK)
		err = bloc__finish_doc(out, b, "image/svg+xml");
	bloc_buf_dispose(b);
	return err;
}

/* One seat: the replicates (after --fit), then the view asked for. */
static int run_seat(bloc_answer *out, bloc_answer *chart_out, bloc_store *st,
                    const struct simulate_rq *r, const bloc_contest *c, const bloc_group_shares *g,
                    const char *gname)
{
	struct seat_setup set;
	struct census cs;
	struct actual act;
	struct fit fits[MAX_FITS];
	bloc_sim_outcome *res = NULL;
	bloc_sim_workspace **ws = NULL;
	bloc_table *t = NULL;
	size_t seat, n = replicates_of(r), nfit = 0, trials = 0, i;
	uint64_t seed = bloc__given(r, "seed") ? r->seed : 1;
	double *col = NULL, fit_time = 0;
	struct timespec t0;
	int err;

	if ((err = bloc_contest_find_seat(c, r->seat, &seat)) < 0 ||
	    (err = census_open(&cs, st, c)) < 0)
		return err;
	err = setup_seat(&set, r, c, seat, g, &cs, 1);
	census_dispose(&cs);
	if (err < 0 || (err = actual_open(&act, st, r->actual, c, seat, &set.p)) < 0)
		return err;
	if (!(ws = workspaces_new(r)))
		return BLOC_ENOMEM;
	if (r->fit) {
		size_t fr = bloc__given(r, "fit-replicates") ? (size_t)r->fit_replicates : 20;
		if ((err = parse_fits(fits, &nfit, r->fit, &set.p, &act)) < 0)
			goto done;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		if ((err = run_fit(r, ws, &set, fits, nfit, fr, seed, &trials)) < 0)
			goto done;
		fit_time = seconds_since(&t0);
	}
	if (r->view == V_SPEC) {
		err = spec_doc(out, c, seat, &set.p, n, seed);
		goto done;
	}
	if (r->sweep) {
		double xs[101], sh[101 * MAXC];
		size_t nv = 0;
		if ((err = run_sweep(&t, r, ws, &set, n, seed, xs, sh, &nv)) < 0)
			goto done;
		if (r->view == V_CHART) {
			bloc_buf b = BLOC_BUF_INIT;
			bloc_chart_options o = BLOC_CHART_OPTIONS_INIT;
			char name[48];
			snprintf(name, sizeof(name), "%.*s", (int)strcspn(r->sweep, "="), r->sweep);
			o.x_label = name;
			o.id = "sweep";
			err = svg_answer(out, &b,
			                 bloc_chart_sweep(&b, nv, xs, set.p.ncand, set.p.cand, sh,
			                                  act.have ? act.share : NULL, &o));
			goto done;
		}
		if ((err = seat_meta(t, st, c, seat, &set, gname, g->census, seed)) < 0)
			goto done;
		err = bloc__finish_table(out, st, t);
		t = NULL;
		goto done;
	}
	if (!(res = bloc_calloc(n, sizeof(*res))) || !(col = bloc_malloc(n * sizeof(*col)))) {
		err = bloc_error_oom("%zu replicates", n);
		goto done;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((err = run_all(r, ws, &set, 1, n, seed, res)) < 0)
		goto done;
	if (r->view == V_CHART || chart_out) {
		bloc_buf b = BLOC_BUF_INIT;
		err = svg_answer(chart_out ? chart_out : out, &b,
		                 seat_chart(&b, c, seat, &set, res, n, &act, !chart_out));
		if (err < 0 || !chart_out)
			goto done;
	}
	{
		const double secs = seconds_since(&t0);
		double tm = 0, moved[2][2] = {{0, 0}, {0, 0}}, voters[2][2] = {{0, 0}, {0, 0}};
		size_t a, s, gi;
		if (r->view == V_MOVED)
			err = moved_table(&t, res, n, gname);
		else
			err = candidate_table(&t, c, &set, res, n, &act, col);
		if (err < 0)
			goto done;
		for (i = 0; i < n; i++) {
			tm += col[i] = 100 * res[i].turnout;
			for (s = 0; s < 2; s++)
				for (a = 0; a < BLOC_SIM_AGES; a++)
					for (gi = 0; gi < 2; gi++) {
						moved[s][gi] += res[i].moved[s][a][gi];
						voters[s][gi] += res[i].voters[s][a][gi];
					}
		}
		if ((err = seat_meta(t, st, c, seat, &set, gname, g->census, seed)) < 0 ||
		    (err = bloc_table_meta_int(t, "replicates", (int64_t)n)) < 0 ||
		    (err = bloc_table_meta(t, "turnout", "%.1f%% [%.1f, %.1f]", tm / (double)n,
		                           quantile(col, n, 0.05), quantile(col, n, 0.95))) < 0 ||
		    (act.have &&
		     (err = isnan(act.turnout)
		                ? bloc_table_meta(t, "actual",
		                                  "%s: turnout unknown (no electorate)", act.id)
		                : bloc_table_meta(t, "actual", "%s: turnout %.1f%%", act.id,
		                                  act.turnout)) < 0) ||
		    (err = bloc_table_meta(
		         t, "moved",
		         "voters voting other than they leaned: group men %.1f%%, "
		         "group women %.1f%%, others %.1f%% (--by moved: by age)",
		         voters[0][0] > 0 ? 100 * moved[0][0] / voters[0][0] : 0,
		         voters[1][0] > 0 ? 100 * moved[1][0] / voters[1][0] : 0,
		         voters[0][1] + voters[1][1] > 0
		             ? 100 * (moved[0][1] + moved[1][1]) / (voters[0][1] + voters[1][1])
		             : 0)) < 0)
			goto done;
		{
			double ties = 0, part = 0, age = 0, sex = 0;
			for (i = 0; i < n; i++) {
				ties += (double)res[i].ties;
				part += (double)res[i].ties_part;
				age += (double)res[i].ties_age;
				sex += (double)res[i].ties_sex;
			}
			if (ties > 0 &&
			    (err = bloc_table_meta(
			         t, "friendships",
			         "of the ties (the first 20,000 of each replicate), %.1f%% within "
			         "one "
			         "part of the electorate, %.1f%% within one age band, %.1f%% "
			         "within "
			         "one sex (homophily %.2f, by age %.2f, by sex %.2f)",
			         100 * part / ties, 100 * age / ties, 100 * sex / ties,
			         set.p.homophily, set.p.homophily_age, set.p.homophily_sex)) < 0)
				goto done;
		}
		for (i = 0; i < nfit; i++) {
			char key[32];
			snprintf(key, sizeof(key), "fit_%zu", i + 1);
			if ((err = bloc_table_meta(
			         t, key, "%s = %.4f for %s %.1f%s (%zu trials of %llu replicates)",
			         fits[i].knob->name, fits[i].value,
			         fits[i].cand < 0 ? "turnout"
			                          : bloc_party_code(set.p.cand[fits[i].cand]),
			         fits[i].target,
			         fits[i].bound ? ": out of reach, the nearer end" : "", trials,
			         bloc__given(r, "fit-replicates") ? r->fit_replicates : 20ULL)) < 0)
				goto done;
		}
		if (r->h.part.size > 1 &&
		    (err = bloc_table_meta(t, "ranks", "%u MPI processes, each running its share",
		                           r->h.part.size)) < 0)
			goto done;
		if ((err = nfit ? bloc_table_meta(t, "time", "%.2f s (the fit before it %.1f s)",
		                                  secs, fit_time)
		                : bloc_table_meta(t, "time", "%.2f s", secs)) < 0 ||
		    (err = bloc_table_meta(t, "peak_memory",
		                           "%ld MB (the model: %.1f MB a replicate)", peak_mb(),
		                           (double)res[0].bytes / 1048576.0)) < 0 ||
		    (err = bloc_table_meta(
		         t, "status", "calibration and its out-of-sample run: docs/simulate.md")) <
		        0)
			goto done;
	}
	err = bloc__finish_table(out, st, t);
	t = NULL;
done:
	workspaces_free(r, ws);
	bloc_table_free(t);
	bloc_free(res);
	bloc_free(col);
	return err;
}

/* --all: every seat of BASE, `reps` replicates each, seat by seat (each worker holds one seat's
 * electorate at a time): one row per seat. */
static int run_every_seat(bloc_answer *out, bloc_store *st, const struct simulate_rq *r,
                          const bloc_contest *c, const bloc_group_shares *g, const char *gname)
{
	const size_t S = c->nseats, n = replicates_of(r);
	const uint64_t seed = bloc__given(r, "seed") ? r->seed : 1;
	struct seat_setup *set = NULL;
	struct census cs;
	bloc_sim_outcome *res = NULL;
	bloc_sim_workspace **ws = NULL;
	bloc_table *t = NULL;
	int64_t *won = NULL, *held = NULL;
	double *col = NULL, secs, electors = 0;
	size_t s, i, k, grouped = 0, maxbytes = 0, maxseat = 0;
	struct timespec t0;
	int err;

	memset(&cs, 0, sizeof(cs));
	set = bloc_calloc(S + 1, sizeof(*set));
	res = bloc_calloc(S * n + 1, sizeof(*res));
	col = bloc_malloc((n + 1) * sizeof(*col));
	/* seats won and held by party (by registry id: --stand may add parties BASE lacks) */
	won = bloc_calloc(bloc_party_count() + 1, sizeof(*won));
	held = bloc_calloc(bloc_party_count() + 1, sizeof(*held));
	if (!set || !res || !col || !won || !held) {
		err = bloc_error_oom("%zu seats x %zu replicates", S, n);
		goto done;
	}
	if ((err = census_open(&cs, st, c)) < 0)
		goto done;
	if (!(ws = workspaces_new(r))) {
		err = BLOC_ENOMEM;
		goto done;
	}
	for (s = 0; s < S; s++) {
		if ((err = setup_seat(&set[s], r, c, s, g, &cs, 0)) < 0) {
			bloc_error_prefix("%s: ", c->name[s]);
			goto done;
		}
		electors += (double)set[s].p.electors;
		grouped += set[s].p.group_share > 0;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((err = run_all(r, ws, set, S, n, seed, res)) < 0)
		goto done;
	secs = seconds_since(&t0);
	if ((err = bloc_table_new(&t)) < 0 ||
	    (err = bloc_table_add_column(t, "code", BLOC_COL_STRING, 0)) < 0 ||
	    (err = bloc_table_add_column(t, "seat", BLOC_COL_STRING, 0)) < 0 ||
	    (err = bloc_table_add_column(t, "electors", BLOC_COL_INT, 0)) < 0 ||
	    (err = bloc_table_add_column(t, "group_pct", BLOC_COL_REAL, 1)) < 0 ||
	    (err = bloc_table_add_column(t, "base_winner", BLOC_COL_STRING, 0)) < 0 ||
	    (err = bloc_table_add_column(t, "winner", BLOC_COL_STRING, 0)) < 0 ||
	    (err = bloc_table_add_column(t, "p_win", BLOC_COL_REAL, 3)) < 0 ||
	    (err = bloc_table_add_column(t, "share_mean", BLOC_COL_REAL, 1)) < 0 ||
	    (err = bloc_table_add_column(t, "p_change", BLOC_COL_REAL, 3)) < 0 ||
	    (err = bloc_table_add_column(t, "turnout", BLOC_COL_REAL, 1)) < 0 ||
	    (err = bloc_table_add_column(t, "model_mb", BLOC_COL_REAL, 1)) < 0)
		goto done;
	for (s = 0; s < S; s++) {
		const bloc_sim_params *p = &set[s].p;
		const bloc_sim_outcome *rs = &res[s * n];
		double wins[MAXC], tm = 0;
		size_t best = 0, basew = 0;
		memset(wins, 0, sizeof(wins));
		for (i = 0; i < n; i++) {
			wins[rs[i].winner] += 1;
			tm += 100 * rs[i].turnout / (double)n;
			if (rs[i].bytes > maxbytes) {
				maxbytes = rs[i].bytes;
				maxseat = s;
			}
		}
		for (k = 1; k < p->ncand; k++) {
			if (wins[k] > wins[best])
				best = k;
			if (set[s].base[k] > set[s].base[basew])
				basew = k;
		}
		shares(col, rs, n, p->ncand, best);
		won[p->cand[best]]++;
		held[p->cand[basew]]++;
		if ((err = bloc_table_add_string(t, c->code[s])) < 0 ||
		    (err = bloc_table_add_string(t, c->name[s])) < 0 ||
		    (err = bloc_table_add_int(t, (int64_t)p->electors)) < 0 ||
		    (err = bloc_table_add_real(t, 100 * p->group_share)) < 0 ||
		    (err = bloc_table_add_string(t, bloc_party_code(p->cand[basew]))) < 0 ||
		    (err = bloc_table_add_string(t, bloc_party_code(p->cand[best]))) < 0 ||
		    (err = bloc_table_add_real(t, wins[best] / (double)n)) < 0 ||
		    (err = bloc_table_add_real(t, mean_of(col, n))) < 0 ||
		    (err = bloc_table_add_real(t, 1 - wins[basew] / (double)n)) < 0 ||
		    (err = bloc_table_add_real(t, tm)) < 0 ||
		    (err = bloc_table_add_real(t, (double)rs[0].bytes / 1048576.0)) < 0)
			goto done;
	}
	{
		char seats[512] = "";
		size_t len = 0;
		for (k = 0; k < bloc_party_count() && len < sizeof(seats) - 40; k++)
			if (won[k] || held[k])
				len += (size_t)snprintf(
				    seats + len, sizeof(seats) - len, "%s%s %lld (%+lld)",
				    len ? ", " : "", bloc_party_code((bloc_party)k),
				    (long long)won[k], (long long)(won[k] - held[k]));
		if ((err = bloc_table_meta(t, "base", "%s", c->id)) < 0 ||
		    (err = bloc_table_meta_int(t, "seats", (int64_t)S)) < 0 ||
		    (err = bloc_table_meta(t, "electors", "%.0f%s", electors,
		                           bloc__given(r, "scale") ? " (scaled by --scale)" : "")) <
		        0 ||
		    (err = bloc_table_meta(t, "group",
		                           "%s (%s); %zu seats with a census share, the rest none",
		                           gname, g->census, grouped)) < 0 ||
		    (err = bloc_table_meta_int(t, "replicates", (int64_t)n)) < 0 ||
		    (err = bloc_table_meta(
		         t, "winners", "each seat's most frequent winner: %s (change from BASE)",
		         seats)) < 0 ||
		    (err = bloc_table_meta(t, "seed",
		                           "%llu (seat s, replicate i: stream (s + 1) x 2^32 + i)",
		                           (unsigned long long)seed)) < 0 ||
		    (r->h.part.size > 1 &&
		     (err = bloc_table_meta(t, "ranks", "%u MPI processes, each running its share",
		                            r->h.part.size)) < 0) ||
		    (err = bloc_table_meta(t, "time", "%.1f s (%.0f electors a second)", secs,
		                           electors * (double)n / (secs > 0 ? secs : 1))) < 0 ||
		    (err = bloc_table_meta(
		         t, "peak_memory",
		         "%ld MB; the model's largest seat %.1f MB a replicate (%s)", peak_mb(),
		         (double)maxbytes / 1048576.0, c->name[maxseat])) < 0 ||
		    (err = bloc_store_meta_source(st, t, "base_source", c)) < 0)
			goto done;
	}
	err = bloc__finish_table(out, st, t);
	t = NULL;
done:
	census_dispose(&cs);
	workspaces_free(r, ws);
	bloc_table_free(t);
	bloc_free(set);
	bloc_free(res);
	bloc_free(col);
	bloc_free(won);
	bloc_free(held);
	return err;
}

static int run_simulate(bloc_answer *out, bloc_store *st, const void *rq)
{
	const struct simulate_rq *r = rq;
	const bloc_contest *c;
	const bloc_group_shares *g;
	const char *gname = r->group ? r->group : "muslim";
	int err;

	if ((err = bloc_store_contest(st, base_id(r), &c)) < 0 ||
	    (err = bloc_store_group_shares(st, c, gname, &g)) < 0)
		return err;
	return r->all ? run_every_seat(out, st, r, c, g, gname)
	              : run_seat(out, NULL, st, r, c, g, gname);
}

int bloc__simulate_report(bloc_answer out[2], bloc_store *st, const bloc_request *rq)
{
	const struct simulate_rq *r = rq->v;
	const bloc_contest *c;
	const bloc_group_shares *g;
	const char *gname = r->group ? r->group : "muslim";
	int err;

	if (rq->q != &bloc__q_simulate)
		return bloc_error_set(BLOC_EINVAL, "bloc__simulate_report: not a simulate request");
	if ((err = check_simulate(r)) < 0)
		return err;
	if (r->all || r->sweep || r->view != V_CANDIDATE)
		return bloc_error_set(BLOC_EUSAGE, "a report simulates one seat, in the candidate "
		                                   "view");
	if ((err = bloc_store_contest(st, base_id(r), &c)) < 0 ||
	    (err = bloc_store_group_shares(st, c, gname, &g)) < 0)
		return err;
	return run_seat(&out[0], &out[1], st, r, c, g, gname);
}

const struct bloc__query bloc__q_simulate = {.name = "simulate",
                                             .size = sizeof(struct simulate_rq),
                                             .params = simulate_params,
                                             .check = check_simulate,
                                             .run = run_simulate,
                                             .heavy = 1,
                                             .within = simulate_within};
