/* bloc ei: how each group voted, from a CSV of units or a contest with census groups (Goodman's
 * regression, King's 2x2, the Bayesian R x C sampler), with the Duncan-Davis bounds; bloc
 * ei-synth: synthetic units with known truth. */
#include "query_int.h"

#include "../core/alloc.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define OFF(type, field) offsetof(struct type, field)

/* Room for the names of one groups or parties list. */
#define LIST_BYTES 2048

static const char *const methods[] = {"goodman", "king", "rxc", NULL};
static const char *const ei_views[] = {"seat", NULL};

struct ei_rq {
	struct bloc__request_head h;
	const char *contest, *units, *id, *groups, *parties, *covariates;
	double threshold, target_ess;
	unsigned long long seed, draws, chains, threads, burnin, covariate_bins;
	int method, by, weighted, abstention, no_cache;
};

static const struct bloc__param ei_params[] = {
    {"contest", BLOC__P_TEXT, OFF(ei_rq, contest), NULL, 0, 0, 0, NULL, NULL},
    {"units", BLOC__P_TEXT, OFF(ei_rq, units), NULL, 0, 0, 0, NULL, NULL},
    {"id", BLOC__P_TEXT, OFF(ei_rq, id), NULL, 0, 0, 0, NULL, NULL},
    {"groups", BLOC__P_TEXT, OFF(ei_rq, groups), NULL, 0, 0, 0, NULL, NULL},
    {"parties", BLOC__P_TEXT, OFF(ei_rq, parties), NULL, 0, 0, 0, NULL, NULL},
    {"threshold", BLOC__P_REAL, OFF(ei_rq, threshold), "a number from 0 to 0.5", 0, 0.5, 0, NULL,
     NULL},
    {"abstention", BLOC__P_FLAG, OFF(ei_rq, abstention), NULL, 0, 0, 0, NULL, NULL},
    {"method", BLOC__P_CHOICE, OFF(ei_rq, method), "goodman, king or rxc", 0, 0, 0, methods, NULL},
    {"weighted", BLOC__P_FLAG, OFF(ei_rq, weighted), NULL, 0, 0, 0, NULL, NULL},
    {"seed", BLOC__P_WHOLE, OFF(ei_rq, seed), NULL, 0, BLOC__WHOLE_MAX, 0, NULL, NULL},
    {"draws", BLOC__P_WHOLE, OFF(ei_rq, draws), NULL, 10, 10000000, 0, NULL, NULL},
    {"chains", BLOC__P_WHOLE, OFF(ei_rq, chains), NULL, 2, 64, 0, NULL, NULL},
    {"threads", BLOC__P_WHOLE, OFF(ei_rq, threads), NULL, 1, 64, 0, NULL, NULL},
    {"target-ess", BLOC__P_REAL, OFF(ei_rq, target_ess), "a number from 10 to 1e+06", 10, 1e6, 0,
     NULL, NULL},
    {"burnin", BLOC__P_WHOLE, OFF(ei_rq, burnin), NULL, 100, 10000000, 0, NULL, NULL},
    {"by", BLOC__P_CHOICE, OFF(ei_rq, by), "seat", 0, 0, 0, ei_views, NULL},
    {"no-cache", BLOC__P_FLAG, OFF(ei_rq, no_cache), NULL, 0, 0, 0, NULL, NULL},
    {"covariates", BLOC__P_TEXT, OFF(ei_rq, covariates), NULL, 0, 0, 0, NULL, NULL},
    {"covariate-bins", BLOC__P_WHOLE, OFF(ei_rq, covariate_bins), NULL, 2, 64, 0, NULL, NULL},
    {NULL, 0, 0, NULL, 0, 0, 0, NULL, NULL}};

static void init_ei(void *rq)
{
	struct ei_rq *r = rq;

	r->threshold = 0.02;
	r->by = -1;
}

/* Split "A,B,C" into at most max names (in buf); an empty name is a usage error. */
static int split_list(const char *option, const char *list, char *buf, const char **out, size_t max,
                      size_t *n)
{
	char *s = buf;

	*n = 0;
	if (strlen(list) >= LIST_BYTES)
		return bloc_error_set(BLOC_EUSAGE, "--%s: list too long", option);
	strcpy(buf, list);
	for (;;) {
		char *comma = strchr(s, ',');
		if (comma)
			*comma = '\0';
		if (!*s)
			return bloc_error_set(BLOC_EUSAGE, "--%s: an empty name in '%s'", option,
			                      list);
		if (*n == max)
			return bloc_error_set(BLOC_EUSAGE, "--%s: at most %zu names", option, max);
		out[(*n)++] = s;
		if (!comma)
			return BLOC_OK;
		s = comma + 1;
	}
}

/* The settings that go with one method only. */
static int check_method(const struct ei_rq *r)
{
	if (r->weighted && r->method != 0)
		return bloc_error_set(BLOC_EUSAGE, "--weighted is for --method goodman");
	if ((bloc__given(r, "seed") || bloc__given(r, "draws")) && r->method == 0)
		return bloc_error_set(BLOC_EUSAGE,
		                      "--seed and --draws are for --method king or rxc");
	if ((bloc__given(r, "chains") || bloc__given(r, "threads") ||
	     bloc__given(r, "target-ess") || bloc__given(r, "burnin") || r->covariates) &&
	    r->method != 2)
		return bloc_error_set(BLOC_EUSAGE,
		                      "--chains, --threads, --target-ess, --burnin and "
		                      "--covariates are for --method rxc");
	if (bloc__given(r, "covariate-bins") && !r->covariates)
		return bloc_error_set(BLOC_EUSAGE, "--covariate-bins is for --covariates");
	if (r->covariates && strncmp(r->covariates, "census:", 7) == 0 && r->units)
		return bloc_error_set(BLOC_EUSAGE, "--covariates census:NAMES is for CONTEST (the "
		                                   "census shares of its seats); with --units give "
		                                   "'share' or a FILE");
	return BLOC_OK;
}

static int check_ei(const void *rq)
{
	const struct ei_rq *r = rq;
	const char *names[BLOC_EI_MAX_PARTIES];
	char buf[LIST_BYTES];
	size_t ng, np;
	int err;

	if ((err = check_method(r)) < 0)
		return err;
	if (!r->groups)
		return bloc_error_set(BLOC_EUSAGE, "--groups LIST is required");
	if (r->units) {
		if (r->no_cache)
			return bloc_error_set(BLOC_EUSAGE,
			                      "--no-cache is for CONTEST (estimates from --units "
			                      "FILE are never cached)");
		if (r->contest)
			return bloc_error_set(BLOC_EUSAGE,
			                      "give CONTEST or --units FILE, not both");
		if (!r->id || !r->parties)
			return bloc_error_set(BLOC_EUSAGE,
			                      "--units FILE needs --id COL and --parties LIST");
		if (bloc__given(r, "threshold") || r->abstention)
			return bloc_error_set(BLOC_EUSAGE,
			                      "--threshold and --abstention are for CONTEST, not "
			                      "--units (add an abstention column to the file)");
		if ((err = split_list("groups", r->groups, buf, names, BLOC_EI_MAX_GROUPS, &ng)) <
		        0 ||
		    (err = split_list("parties", r->parties, buf, names, BLOC_EI_MAX_PARTIES,
		                      &np)) < 0)
			return err;
		if (r->method == 1 && ng != 2)
			return bloc_error_set(
			    BLOC_EUSAGE,
			    "--method king: exactly 2 groups (--groups A,B), got %zu; "
			    "use --method rxc for more",
			    ng);
		return BLOC_OK;
	}
	if (!r->contest)
		return bloc_error_set(BLOC_EUSAGE,
		                      "give CONTEST (with census --groups) or --units FILE");
	if (r->id || r->parties)
		return bloc_error_set(BLOC_EUSAGE, "--id and --parties are for --units FILE; with "
		                                   "CONTEST the parties are the contest's");
	if ((err = split_list("groups", r->groups, buf, names, BLOC_EI_MAX_GROUPS - 1, &ng)) < 0)
		return err;
	if (r->method == 1 && ng != 1)
		return bloc_error_set(BLOC_EUSAGE,
		                      "--method king: one census group (it is set against everyone "
		                      "else), got %zu; use --method rxc for more",
		                      ng);
	if (r->no_cache && !(r->method == 2 && r->by == 0 && ng == 1 && !r->abstention))
		return bloc_error_set(BLOC_EUSAGE,
		                      "--no-cache is for the estimates that are cached: CONTEST "
		                      "--groups with one group --method rxc --by seat (no "
		                      "--abstention)");
	return BLOC_OK;
}

/* What a run holds, disposed at once. */
struct ei_state {
	bloc_ei_king_options king;
	bloc_ei_rxc_options rxc;
	bloc_group_shares g[BLOC_EI_MAX_GROUPS];
	const bloc_contest *c;
	bloc_ei_input in;
	bloc_ei_goodman gm;
	bloc_ei_rxc x;
	bloc_ei_bounds b;
	bloc_ei_king_table kc;
	bloc_ei_view v;
	double *clipped;
	const bloc_ei_seats *seats; /* the store's per-seat estimate, when it came from there */
	double *cov;                /* the contextual model's covariates, n * R * K */
	char covdesc[256];          /* what they are, for the metadata */
};

static void state_init(struct ei_state *s, const struct ei_rq *r)
{
	memset(s, 0, sizeof(*s));
	bloc_ei_king_options_init(&s->king);
	bloc_ei_rxc_options_init(&s->rxc);
	if (bloc__given(r, "seed"))
		s->king.seed = s->rxc.seed = r->seed;
	if (bloc__given(r, "draws")) {
		s->king.draws = (size_t)r->draws;
		s->king.proposals = 20 * (size_t)r->draws;
		s->rxc.max_sweeps = (size_t)r->draws;
	}
	if (bloc__given(r, "chains"))
		s->rxc.chains = (size_t)r->chains;
	if (bloc__given(r, "threads"))
		s->rxc.threads = (unsigned)r->threads;
	if (bloc__given(r, "burnin"))
		s->rxc.burnin = (size_t)r->burnin;
	if (bloc__given(r, "target-ess"))
		s->rxc.target_ess = r->target_ess;
	if (bloc__given(r, "covariate-bins"))
		s->rxc.cov_bins = (size_t)r->covariate_bins;
	if (r->by != 0)
		s->rxc.unit_draws = 0;
}

static void state_dispose(struct ei_state *s)
{
	bloc_free(s->cov);
	bloc_free(s->clipped);
	bloc_ei_king_table_dispose(&s->kc);
	bloc_ei_rxc_dispose(&s->x);
	bloc_ei_bounds_dispose(&s->b);
	bloc_ei_goodman_dispose(&s->gm);
	bloc_ei_input_dispose(&s->in);
}

/* The draws (king) or sweeps (rxc) it will run within the limit. */
static int ei_within(const void *rq, const bloc_limits *lim)
{
	const struct ei_rq *r = rq;
	struct ei_state s;
	unsigned long long draws;

	if (r->method == 0 || !lim->max_draws)
		return BLOC_OK;
	state_init(&s, r);
	draws = r->method == 1 ? s.king.draws : s.rxc.max_sweeps;
	if (draws > lim->max_draws)
		return bloc__over_limit(lim, "draws", lim->max_draws);
	return BLOC_OK;
}

/* The units: a file's, or the contest's seats with census group counts. */
static int open_input(bloc_store *st, const struct ei_rq *r, struct ei_state *s)
{
	const char *groups[BLOC_EI_MAX_GROUPS], *parties[BLOC_EI_MAX_PARTIES];
	char gbuf[LIST_BYTES], pbuf[LIST_BYTES];
	const bloc_group_shares *g;
	size_t ng = 0, np = 0, i;
	int err;

	if (r->units) {
		if ((err = split_list("groups", r->groups, gbuf, groups, BLOC_EI_MAX_GROUPS, &ng)) <
		        0 ||
		    (err = split_list("parties", r->parties, pbuf, parties, BLOC_EI_MAX_PARTIES,
		                      &np)) < 0)
			return err;
		return bloc_store_ei_units(st, &s->in, r->units, r->id, groups, ng, parties, np);
	}
	if ((err = split_list("groups", r->groups, gbuf, groups, BLOC_EI_MAX_GROUPS - 1, &ng)) <
	        0 ||
	    (err = bloc_store_contest(st, r->contest, &s->c)) < 0)
		return err;
	for (i = 0; i < ng; i++) {
		if ((err = bloc_store_group_shares(st, s->c, groups[i], &g)) < 0)
			return err;
		s->g[i] = *g; /* shallow: the store keeps it */
	}
	return bloc_ei_from_contest(&s->in, s->c, s->g, ng, r->threshold, r->abstention);
}

/* --covariates census:A,B: each named census group's share of every unit's seat, the same
 * covariate for every group, into s->cov (*K of them). */
static int census_covariates(bloc_store *st, struct ei_state *s, const char *list, size_t *K)
{
	const bloc_ei_input *in = &s->in;
	const char *names[BLOC_EI_MAX_COVARIATES];
	char buf[LIST_BYTES];
	size_t k, i, g;
	int err;

	if ((err = split_list("covariates", list, buf, names, BLOC_EI_MAX_COVARIATES, K)) < 0)
		return err;
	if (!(s->cov = bloc_calloc(in->n * in->R * *K + 1, sizeof(double))))
		return bloc_error_oom("ei: %zu units' covariates", in->n);
	for (k = 0; k < *K; k++) {
		const bloc_group_shares *gs;
		if ((err = bloc_store_group_shares(st, s->c, names[k], &gs)) < 0)
			return bloc_error_prefix("--covariates census:%s", names[k]);
		for (i = 0; i < in->n; i++) {
			long seat = bloc_contest_seat(s->c, in->unit[i]);
			double v = seat >= 0 ? gs->share[seat] : NAN;
			if (isnan(v))
				return bloc_error_set(BLOC_EINVAL,
				                      "--covariates census:%s: no share for %s",
				                      names[k], in->unit[i]);
			for (g = 0; g < in->R; g++)
				s->cov[(i * in->R + g) * *K + k] = v;
		}
	}
	snprintf(s->covdesc, sizeof(s->covdesc), "%s (census share of residents, every group)",
	         list);
	return BLOC_OK;
}

/* The contextual model's covariates: 'share' (each group's own share of the unit, the usual
 * aggregation-bias covariate), census:NAMES or a FILE, into s->cov and the sampler's options. */
static int covariates(bloc_store *st, const struct ei_rq *r, struct ei_state *s)
{
	const bloc_ei_input *in = &s->in;
	size_t i, g, K = 1;
	int err;

	if (!r->covariates)
		return BLOC_OK;
	if (strncmp(r->covariates, "census:", 7) == 0) {
		if ((err = census_covariates(st, s, r->covariates + 7, &K)) < 0)
			return err;
	} else if (strcmp(r->covariates, "share") != 0) {
		if ((err = bloc_store_ei_covariates(st, &s->cov, &K, in, r->covariates)) < 0)
			return err;
		snprintf(s->covdesc, sizeof(s->covdesc), "%s (%zu column%s, every group)",
		         r->covariates, K, K == 1 ? "" : "s");
	} else {
		if (!(s->cov = bloc_calloc(in->n * in->R + 1, sizeof(double))))
			return bloc_error_oom("ei: %zu units' covariates", in->n);
		for (i = 0; i < in->n; i++)
			for (g = 0; g < in->R; g++)
				s->cov[i * in->R + g] = in->gcount[i * in->R + g] / in->total[i];
		snprintf(s->covdesc, sizeof(s->covdesc),
		         "share (each group's own share of the unit)");
	}
	s->rxc.covariate = s->cov;
	s->rxc.ncov = K;
	return BLOC_OK;
}

/* One group of a contest by seat, R x C: the store's estimate, run once and cached on disk
 * (bloc_store_ei_seats), so bloc ei shows exactly the numbers a projection's EI baseline uses. */
static int cached_seats(const struct ei_rq *r, const struct ei_state *s)
{
	return s->c && r->method == 2 && r->by == 0 && s->in.R == 2 && !r->abstention &&
	       !r->covariates;
}

/* s->x from the store's per-seat estimate, in the units' order. */
static int fit_from_store(bloc_answer *out, bloc_store *st, const struct ei_rq *r,
                          struct ei_state *s)
{
	const bloc_ei_input *in = &s->in;
	bloc_ei_seat_options o;
	const bloc_ei_seats *e;
	bloc_ei_rxc *x = &s->x;
	size_t u, seat, k, C = in->C, RC = 2 * C;
	int err;

	bloc_ei_seat_options_init(&o);
	o.seed = s->rxc.seed;
	o.draws = s->rxc.max_sweeps;
	o.chains = s->rxc.chains;
	o.burnin = s->rxc.burnin;
	o.target_ess = s->rxc.target_ess;
	o.threads = s->rxc.threads;
	o.threshold = r->threshold;
	o.no_cache = r->no_cache;
	if ((err = bloc_store_ei_seats(st, s->c, s->g[0].group, &o, &e)) < 0)
		return err;
	s->seats = e;
	if (e->warning && (err = bloc__warn(out, "warning: %s", e->warning)) < 0)
		return err;
	/* the same input both ways: the same parties and seats */
	if (e->C != C || e->units != in->n || e->nseats != s->c->nseats)
		return bloc_error_set(BLOC_EINVAL,
		                      "ei: the cached estimate has %zu parties and "
		                      "%zu units, the input %zu and %zu",
		                      e->C, e->units, C, in->n);
	for (k = 0; k < C; k++)
		if (strcmp(bloc_party_code(e->parties[k]), in->party[k]) != 0)
			return bloc_error_set(BLOC_EINVAL,
			                      "ei: the cached estimate's party %zu is %s, the "
			                      "input's %s",
			                      k + 1, bloc_party_code(e->parties[k]), in->party[k]);
	memset(x, 0, sizeof(*x));
	x->n = in->n;
	x->R = 2;
	x->C = C;
	x->chains = o.chains;
	x->draws = e->draws;
	x->sweeps = e->sweeps;
	x->converged = e->converged;
	x->accept_ridge = e->accept_ridge;
	x->accept_theta = e->accept_theta;
	x->accept_alpha = e->accept_alpha;
	x->accept_collective = e->accept_collective;
	if (!(x->est = bloc_malloc(RC * sizeof(double))) ||
	    !(x->sd = bloc_malloc(RC * sizeof(double))) ||
	    !(x->lo95 = bloc_malloc(RC * sizeof(double))) ||
	    !(x->hi95 = bloc_malloc(RC * sizeof(double))) ||
	    !(x->rhat = bloc_malloc(RC * sizeof(double))) ||
	    !(x->ess = bloc_malloc(RC * sizeof(double))) ||
	    !(x->unit_est = bloc_malloc(in->n * RC * sizeof(double))) ||
	    !(x->unit_lo95 = bloc_malloc(in->n * RC * sizeof(double))) ||
	    !(x->unit_hi95 = bloc_malloc(in->n * RC * sizeof(double))))
		return bloc_error_oom("ei: %zu units' estimates", in->n);
	memcpy(x->est, e->agg_est, RC * sizeof(double));
	memcpy(x->sd, e->agg_sd, RC * sizeof(double));
	memcpy(x->lo95, e->agg_lo95, RC * sizeof(double));
	memcpy(x->hi95, e->agg_hi95, RC * sizeof(double));
	memcpy(x->rhat, e->agg_rhat, RC * sizeof(double));
	memcpy(x->ess, e->agg_ess, RC * sizeof(double));
	for (u = 0, seat = 0; u < in->n; u++, seat++) {
		while (seat < e->nseats && strcmp(s->c->code[seat], in->unit[u]) != 0)
			seat++;
		if (seat == e->nseats)
			return bloc_error_set(
			    BLOC_EINVAL, "ei: unit %s is not a seat of the contest", in->unit[u]);
		for (k = 0; k < C; k++) {
			size_t g = u * RC + k, rest = u * RC + C + k, i = seat * C + k;
			x->unit_est[g] = e->est[i];
			x->unit_lo95[g] = e->lo95[i];
			x->unit_hi95[g] = e->hi95[i];
			x->unit_est[rest] = e->other_est[i];
			x->unit_lo95[rest] = e->other_lo95[i];
			x->unit_hi95[rest] = e->other_hi95[i];
		}
	}
	return BLOC_OK;
}

/* Fit the method and describe the estimates as a view for the renderer. */
static int fit(bloc_answer *out, bloc_store *st, const struct ei_rq *r, struct ei_state *s)
{
	const bloc_ei_input *in = &s->in;
	int err;

	if (r->method == 0) {
		if ((err = bloc_ei_goodman_fit(&s->gm, in, r->weighted)) < 0)
			return err;
		if (!(s->clipped = bloc_calloc(in->n * in->R * in->C, sizeof(double))))
			return bloc_error_oom("clipping %zu units' Goodman estimates", in->n);
		bloc_ei_goodman_units(&s->gm, &s->b, s->clipped);
		s->v = (bloc_ei_view){"goodman",  in->R,    in->C,  s->gm.est, s->gm.lo95,
		                      s->gm.hi95, s->gm.se, NULL,   NULL,      s->gm.outside,
		                      s->clipped, s->b.lo,  s->b.hi};
		return BLOC_OK;
	}
	if (r->method == 1) {
		if ((err = bloc_ei_king_table_fit(&s->kc, in, &s->king)) < 0)
			return err;
		s->v = (bloc_ei_view){
		    "king", in->R, in->C, s->kc.est,      s->kc.lo95,      s->kc.hi95,     s->kc.sd,
		    NULL,   NULL,  NULL,  s->kc.unit_est, s->kc.unit_lo95, s->kc.unit_hi95};
		return BLOC_OK;
	}
	if ((err = cached_seats(r, s) ? fit_from_store(out, st, r, s)
	                              : bloc_ei_rxc_fit(&s->x, in, &s->rxc)) < 0)
		return err;
	s->v = (bloc_ei_view){"rxc",         in->R,          in->C,         s->x.est, s->x.lo95,
	                      s->x.hi95,     s->x.sd,        s->x.rhat,     s->x.ess, NULL,
	                      s->x.unit_est, s->x.unit_lo95, s->x.unit_hi95};
	if (!s->x.converged)
		return bloc__warn(
		    out,
		    "warning: not converged after %zu sweeps per chain (target ESS %g, "
		    "R-hat below %g): raise --draws or read rhat/ess",
		    s->x.sweeps, s->rxc.target_ess, s->rxc.rhat_max);
	return BLOC_OK;
}

static int meta_goodman(bloc_table *t, const struct ei_rq *r, const struct ei_state *s)
{
	int err;

	if ((err = bloc_table_meta(t, "weighted", "%s",
	                           s->gm.weighted ? "yes (unit totals)" : "no")) < 0 ||
	    (err = bloc_table_meta_int(t, "df", (int64_t)s->gm.df)) < 0 ||
	    (err = bloc_table_meta_real(t, "t_crit", s->gm.tcrit, 4)) < 0)
		return err;
	return bloc_table_meta(t, "note",
	                       r->by == 0 ? "seat rows: estimate = the Goodman estimate clipped to "
	                                    "the seat's bounds; lo95/hi95 = those bounds (certain, "
	                                    "not a 95%% interval)"
	                                  : "se from the residual variance; lo95/hi95 = estimate "
	                                    "+- t_crit x se; nothing keeps the estimate in 0..1");
}

static int meta_king(bloc_table *t, const struct ei_state *s)
{
	const bloc_ei_king_table *kc = &s->kc;
	int err;

	if ((err = bloc_table_meta_int(t, "seed", (int64_t)s->king.seed)) < 0 ||
	    (err = bloc_table_meta_int(t, "draws", (int64_t)s->king.draws)) < 0 ||
	    (err = bloc_table_meta_int(t, "proposals", (int64_t)s->king.proposals)) < 0 ||
	    (err = bloc_table_meta_real(t, "importance_ess_min", kc->min_is_ess, 0)) < 0 ||
	    (err = bloc_table_meta(t, "sampler",
	                           "%zu of %zu parties by random-walk Metropolis (importance ESS "
	                           "under draws / 4), the rest by importance resampling",
	                           kc->metropolis, s->in.C)) < 0 ||
	    (kc->metropolis &&
	     (err = bloc_table_meta_real(t, "metropolis_accept_min", kc->min_accept, 3)) < 0) ||
	    (err = bloc_table_meta(t, "optimiser_converged", "%s", kc->converged ? "yes" : "no")) <
	        0)
		return err;
	return bloc_table_meta(t, "note",
	                       "King's 2x2 per party: %s against everyone else, the party "
	                       "against all others (a group's row need not sum to 1); se = "
	                       "posterior sd; lo95/hi95 = 2.5%%/97.5%% of the draws",
	                       s->in.group[0]);
}

/* The contextual model: its covariates and strata. */
static int meta_contextual(bloc_table *t, const struct ei_state *s)
{
	int err;

	if ((err = bloc_table_meta(t, "covariates", "%s", s->covdesc)) < 0)
		return err;
	return bloc_table_meta(t, "contextual_model",
	                       "each covariate cut at its quantiles over the units where a group "
	                       "lives, %zu strata per group, each with its own alpha (a group "
	                       "may vote differently where it is numerous)",
	                       s->x.strata);
}

#define APART_RHAT 1.05 /* a cell whose chains disagree: R-hat at least this */
#define APART_MAX  6    /* such cells listed, at most */

/* When the chains disagree, where each one sits: the cells with R-hat >= APART_RHAT (the worst
 * first, APART_MAX at most) and each chain's mean of the cell over its kept draws. A run that
 * settles in different places per chain shows it here. */
static int meta_apart(bloc_table *t, const struct ei_state *s)
{
	const bloc_ei_rxc *x = &s->x;
	const size_t RC = x->R * x->C;
	char buf[1536];
	size_t at = 0, listed = 0, k, j, d, used[APART_MAX];

	if (!x->agg_draws || !x->draws)
		return BLOC_OK;
	buf[0] = '\0';
	while (listed < APART_MAX) {
		size_t worst = RC;
		for (k = 0; k < RC; k++) {
			int seen = 0;
			for (j = 0; j < listed; j++)
				seen |= used[j] == k;
			if (!seen && x->rhat[k] >= APART_RHAT &&
			    (worst == RC || x->rhat[k] > x->rhat[worst]))
				worst = k;
		}
		if (worst == RC)
			break;
		used[listed++] = worst;
		at += (size_t)snprintf(
		    buf + at, sizeof(buf) - at, "%s%s %s (R-hat %.2f):", at ? "; " : "",
		    s->in.group[worst / x->C], s->in.party[worst % x->C], x->rhat[worst]);
		for (j = 0; j < x->chains && at < sizeof(buf); j++) {
			double m = 0;
			for (d = 0; d < x->draws; d++)
				m += x->agg_draws[(j * x->draws + d) * RC + worst];
			at += (size_t)snprintf(buf + at, sizeof(buf) - at, " %.3f",
			                       m / (double)x->draws);
		}
		if (at >= sizeof(buf))
			break;
	}
	if (!listed)
		return BLOC_OK;
	return bloc_table_meta(t, "chains_apart", "%s", buf);
}

static int meta_rxc(bloc_table *t, const struct ei_state *s)
{
	const bloc_ei_rxc *x = &s->x;
	const bloc_ei_rxc_options *o = &s->rxc;
	int err;

	if ((err = bloc_table_meta_int(t, "seed", (int64_t)o->seed)) < 0 ||
	    (err = bloc_table_meta_int(t, "chains", (int64_t)o->chains)) < 0 ||
	    (err = bloc_table_meta_int(t, "burnin", (int64_t)o->burnin)) < 0 ||
	    (err = bloc_table_meta_int(t, "sweeps_per_chain", (int64_t)x->sweeps)) < 0 ||
	    (err = bloc_table_meta_int(t, "draws_per_chain", (int64_t)x->draws)) < 0 ||
	    (err = bloc_table_meta_real(t, "target_ess", o->target_ess, 0)) < 0 ||
	    (err = bloc_table_meta(t, "converged", "%s", x->converged ? "yes" : "no")) < 0 ||
	    (err = bloc_table_meta(t, "prior", "alpha ~ Gamma(%g, rate %g)", o->lambda1,
	                           o->lambda2)) < 0 ||
	    (err = bloc_table_meta_real(t, "accept_ridge", x->accept_ridge, 3)) < 0 ||
	    (err = bloc_table_meta_real(t, "accept_theta", x->accept_theta, 3)) < 0 ||
	    (err = bloc_table_meta_real(t, "accept_alpha", x->accept_alpha, 3)) < 0 ||
	    (err = bloc_table_meta_real(t, "accept_collective", x->accept_collective, 3)) < 0)
		return err;
	if ((o->ncov && (err = meta_contextual(t, s)) < 0) || (err = meta_apart(t, s)) < 0)
		return err;
	if (s->seats && s->seats->opts.no_cache)
		err = bloc_table_meta(t, "cache", "off");
	else if (s->seats)
		err = bloc_table_meta(t, "cache", "%s %s",
		                      s->seats->from_cache ? "hit"
		                      : s->seats->written  ? "written"
		                                           : "not written",
		                      s->seats->file);
	if (err < 0)
		return err;
	return bloc_table_meta(t, "note",
	                       "Rosen et al. (2001) multinomial-Dirichlet; se = posterior sd; "
	                       "lo95/hi95 = 2.5%%/97.5%% of the draws; rhat = split R-hat, ess "
	                       "= effective sample size over all chains");
}

static const char CAVEAT[] =
    "aggregation bias (a group voting differently where it is more numerous) cannot be "
    "detected from aggregate data; the Duncan-Davis bounds hold whatever the bias";

/* Where the units came from. */
static int meta_input(bloc_store *st, bloc_table *t, const struct ei_rq *r,
                      const struct ei_state *s)
{
	int err;

	if (!s->c)
		return bloc_table_meta(t, "units_file", "%s", r->units);
	if ((err = bloc_store_meta_source(st, t, "contest_source", s->c)) < 0 ||
	    (err = bloc_table_meta(t, "census", "%s", s->g[0].census)) < 0 ||
	    (err = bloc_table_meta(t, "groups_from",
	                           "census share of residents x %s; 'other' = the rest",
	                           r->abstention ? "electorate" : "valid votes")) < 0)
		return err;
	return bloc_table_meta_real(t, "party_threshold", r->threshold, 4);
}

static int run_ei(bloc_answer *out, bloc_store *st, const void *rq)
{
	const struct ei_rq *r = rq;
	struct ei_state s;
	bloc_table *t = NULL;
	int err;

	state_init(&s, r);
	if ((err = open_input(st, r, &s)) < 0 || (err = covariates(st, r, &s)) < 0 ||
	    (err = bloc_ei_bounds_compute(&s.b, &s.in)) < 0 || (err = fit(out, st, r, &s)) < 0 ||
	    (err = bloc_render_ei(&t, &s.in, &s.v, &s.b, r->by == 0)) < 0)
		goto done;
	err = r->method == 0   ? meta_goodman(t, r, &s)
	      : r->method == 1 ? meta_king(t, &s)
	                       : meta_rxc(t, &s);
	if (err < 0 || (err = bloc_table_meta(t, "caveat", "%s", CAVEAT)) < 0 ||
	    (err = meta_input(st, t, r, &s)) < 0)
		goto done;
	err = bloc__finish_table(out, st, t);
	t = NULL;
done:
	bloc_table_free(t);
	state_dispose(&s);
	return err;
}

static int ei_no_data(const void *rq)
{
	return ((const struct ei_rq *)rq)->units != NULL;
}

const struct bloc__query bloc__q_ei = {.name = "ei",
                                       .size = sizeof(struct ei_rq),
                                       .params = ei_params,
                                       .init = init_ei,
                                       .check = check_ei,
                                       .run = run_ei,
                                       .no_data = ei_no_data,
                                       .heavy = 1,
                                       .within = ei_within};

/* ---- ei-synth ---- */

struct synth_rq {
	struct bloc__request_head h;
	unsigned long long units, groups, parties, seed, total;
	double bias;
	int dirichlet;
};

static const struct bloc__param synth_params[] = {
    {"units", BLOC__P_WHOLE, OFF(synth_rq, units), NULL, 2, 1000000, 0, NULL, NULL},
    {"groups", BLOC__P_WHOLE, OFF(synth_rq, groups), NULL, 1, BLOC_EI_MAX_GROUPS, 0, NULL, NULL},
    {"parties", BLOC__P_WHOLE, OFF(synth_rq, parties), NULL, 2, BLOC_EI_MAX_PARTIES, 0, NULL, NULL},
    {"seed", BLOC__P_WHOLE, OFF(synth_rq, seed), NULL, 0, BLOC__WHOLE_MAX, 0, NULL, NULL},
    {"bias", BLOC__P_REAL, OFF(synth_rq, bias), "a number from 0 to 1", 0, 1, 0, NULL, NULL},
    {"total", BLOC__P_WHOLE, OFF(synth_rq, total), NULL, 1, 10000000, 0, NULL, NULL},
    {"dirichlet", BLOC__P_FLAG, OFF(synth_rq, dirichlet), NULL, 0, 0, 0, NULL, NULL},
    {NULL, 0, 0, NULL, 0, 0, 0, NULL, NULL}};

static void synth_options(const struct synth_rq *r, bloc_ei_synth_options *o);

/* The units it will make within the limit. */
static int synth_within(const void *rq, const bloc_limits *lim)
{
	bloc_ei_synth_options o;

	synth_options(rq, &o);
	if (lim->max_units && o.units > lim->max_units)
		return bloc__over_limit(lim, "units", lim->max_units);
	return BLOC_OK;
}

static void synth_options(const struct synth_rq *r, bloc_ei_synth_options *o)
{
	bloc_ei_synth_options_init(o);
	if (bloc__given(r, "units"))
		o->units = (size_t)r->units;
	if (bloc__given(r, "groups"))
		o->groups = (size_t)r->groups;
	if (bloc__given(r, "parties"))
		o->parties = (size_t)r->parties;
	if (bloc__given(r, "seed"))
		o->seed = r->seed;
	if (bloc__given(r, "bias"))
		o->bias = r->bias;
	if (bloc__given(r, "total"))
		o->total = (double)r->total;
	o->dirichlet = r->dirichlet;
}

static int check_synth(const void *rq)
{
	bloc_ei_synth_options o;

	synth_options(rq, &o);
	if (o.units <= o.groups)
		return bloc_error_set(BLOC_EUSAGE,
		                      "--units: more units than groups are needed (%zu <= %zu)",
		                      o.units, o.groups);
	return BLOC_OK;
}

/* group,party,truth,preference: the realised and the drawn preferences. */
static int truth_csv(bloc_answer *out, const bloc_ei_synth *s)
{
	bloc_buf b = BLOC_BUF_INIT;
	size_t r, c, len;
	int err;

	bloc_buf_puts(&b, "group,party,truth,preference\n");
	for (r = 0; r < s->in.R; r++)
		for (c = 0; c < s->in.C; c++)
			bloc_buf_printf(&b, "%s,%s,%.10f,%.10f\n", s->in.group[r], s->in.party[c],
			                s->truth[r * s->in.C + c], s->pref[r * s->in.C + c]);
	if ((err = bloc_buf_detach(&b, &out->aux, &len)) < 0)
		return err;
	out->aux_len = len;
	out->aux_suffix = ".truth.csv";
	return BLOC_OK;
}

static int run_synth(bloc_answer *out, bloc_store *st, const void *rq)
{
	bloc_ei_synth_options o;
	bloc_ei_synth s;
	bloc_table *t = NULL;
	int err;

	memset(&s, 0, sizeof(s));
	synth_options(rq, &o);
	if ((err = bloc_ei_synth_make(&s, &o)) < 0 || (err = truth_csv(out, &s)) < 0 ||
	    (err = bloc_render_ei_input(&t, &s.in)) < 0)
		goto done;
	err = bloc__finish_table(out, st, t);
	t = NULL;
done:
	bloc_table_free(t);
	bloc_ei_synth_dispose(&s);
	return err;
}

static int synth_no_data(const void *rq)
{
	(void)rq;
	return 1;
}

const struct bloc__query bloc__q_ei_synth = {.name = "ei-synth",
                                             .size = sizeof(struct synth_rq),
                                             .params = synth_params,
                                             .check = check_synth,
                                             .run = run_synth,
                                             .no_data = synth_no_data,
                                             .heavy = 1,
                                             .within = synth_within};
