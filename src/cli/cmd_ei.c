/* bloc ei: Goodman's ecological regression with the Duncan-Davis bounds, from a CSV of units or
 * a contest with census groups; bloc ei-synth: synthetic units with known truth. */
#include "cli.h"

#include "bloc/ei.h"

#include <errno.h>
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Room for the names of one --groups or --parties list. */
#define LIST_BYTES 2048

/* Split "A,B,C" into at most max names (in buf); an empty name is a usage error. */
static int split_list(struct cli_ctx *ctx, const char *option, const char *list, char *buf,
                      const char **out, size_t max, size_t *n)
{
	char *s = buf;

	*n = 0;
	if (strlen(list) >= LIST_BYTES)
		return cli_usage_error(ctx, "--%s: list too long", option);
	strcpy(buf, list);
	for (;;) {
		char *comma = strchr(s, ',');
		if (comma)
			*comma = '\0';
		if (!*s)
			return cli_usage_error(ctx, "--%s: an empty name in '%s'", option, list);
		if (*n == max)
			return cli_usage_error(ctx, "--%s: at most %zu names", option, max);
		out[(*n)++] = s;
		if (!comma)
			return BLOC_EXIT_OK;
		s = comma + 1;
	}
}

/* A fraction in [lo, hi]; a bad one is a usage error. */
static int parse_fraction(struct cli_ctx *ctx, const char *option, const char *text, double lo,
                          double hi, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(text, &end);
	if (end == text || *end || errno || !isfinite(*out) || *out < lo || *out > hi)
		return cli_usage_error(ctx, "--%s: expected a number from %g to %g, got '%s'",
		                       option, lo, hi, text);
	return BLOC_EXIT_OK;
}

/* The census groups' shares for c's seats, into g (ng of them). */
static int open_groups(struct cli_ctx *ctx, const bloc_contest *c, const char *const *names,
                       size_t ng, bloc_group_shares *g)
{
	bloc_dataset *ds;
	size_t i;
	int err;

	if ((err = cli_dataset(ctx, &ds)) < 0)
		return err;
	for (i = 0; i < ng; i++)
		if ((err = bloc_group_shares_open(&g[i], ds, c, names[i])) < 0)
			return err;
	return BLOC_OK;
}

/* The methods' options, parsed and checked against the method. */
struct ei_run {
	int method; /* 0 goodman, 1 king, 2 rxc */
	bloc_ei_king_options king;
	bloc_ei_rxc_options rxc;
};

static int parse_method(struct cli_ctx *ctx, struct ei_run *run)
{
	const struct cli_args *a = &ctx->args;
	unsigned long long v;
	double d;
	int rc;

	bloc_ei_king_options_init(&run->king);
	bloc_ei_rxc_options_init(&run->rxc);
	run->method = 0;
	if (a->method) {
		if (strcmp(a->method, "goodman") == 0)
			run->method = 0;
		else if (strcmp(a->method, "king") == 0)
			run->method = 1;
		else if (strcmp(a->method, "rxc") == 0)
			run->method = 2;
		else
			return cli_usage_error(
			    ctx, "--method: expected goodman, king or rxc, got '%s'", a->method);
	}
	if (a->weighted && run->method != 0)
		return cli_usage_error(ctx, "--weighted is for --method goodman");
	if ((a->seed || a->draws) && run->method == 0)
		return cli_usage_error(ctx, "--seed and --draws are for --method king or rxc");
	if ((a->chains || a->threads || a->target_ess || a->burnin) && run->method != 2)
		return cli_usage_error(ctx,
		                       "--chains, --threads, --target-ess and --burnin are for "
		                       "--method rxc");
	if (a->seed) {
		if ((rc = cli_whole(ctx, "seed", a->seed, 0, UINT64_MAX, &v)) != BLOC_EXIT_OK)
			return rc;
		run->king.seed = run->rxc.seed = v;
	}
	if (a->draws) {
		if ((rc = cli_whole(ctx, "draws", a->draws, 10, 10000000, &v)) != BLOC_EXIT_OK)
			return rc;
		run->king.draws = (size_t)v;
		run->king.proposals = 20 * (size_t)v;
		run->rxc.max_sweeps = (size_t)v;
	}
	if (a->chains) {
		if ((rc = cli_whole(ctx, "chains", a->chains, 2, 64, &v)) != BLOC_EXIT_OK)
			return rc;
		run->rxc.chains = (size_t)v;
	}
	if (a->threads) {
		if ((rc = cli_whole(ctx, "threads", a->threads, 1, 64, &v)) != BLOC_EXIT_OK)
			return rc;
		run->rxc.threads = (unsigned)v;
	}
	if (a->burnin) {
		if ((rc = cli_whole(ctx, "burnin", a->burnin, 100, 10000000, &v)) != BLOC_EXIT_OK)
			return rc;
		run->rxc.burnin = (size_t)v;
	}
	if (a->target_ess) {
		if ((rc = parse_fraction(ctx, "target-ess", a->target_ess, 10, 1e6, &d)) !=
		    BLOC_EXIT_OK)
			return rc;
		run->rxc.target_ess = d;
	}
	return BLOC_EXIT_OK;
}

static const char CAVEAT[] =
    "aggregation bias (a group voting differently where it is more numerous) cannot be "
    "detected from aggregate data; the Duncan-Davis bounds hold whatever the bias";

int cmd_ei(struct cli_ctx *ctx)
{
	const struct cli_args *a = &ctx->args;
	char gbuf[LIST_BYTES], pbuf[LIST_BYTES];
	const char *groups[BLOC_EI_MAX_GROUPS], *parties[BLOC_EI_MAX_PARTIES];
	bloc_group_shares g[BLOC_EI_MAX_GROUPS];
	size_t ng = 0, np = 0, i;
	bloc_ei_input in;
	bloc_ei_goodman gm;
	bloc_ei_rxc x;
	bloc_ei_bounds b;
	bloc_ei_view v;
	struct ei_run run;
	bloc_ei_king_table kc;
	bloc_contest *c = NULL;
	bloc_table *t = NULL;
	double threshold = 0.02, *clipped = NULL;
	int by_seat = 0, rc;

	memset(g, 0, sizeof(g));
	memset(&in, 0, sizeof(in));
	memset(&gm, 0, sizeof(gm));
	memset(&x, 0, sizeof(x));
	memset(&b, 0, sizeof(b));
	memset(&v, 0, sizeof(v));
	memset(&kc, 0, sizeof(kc));
	if ((rc = parse_method(ctx, &run)) != BLOC_EXIT_OK)
		return rc;
	if (a->by) {
		if (strcmp(a->by, "seat") != 0)
			return cli_usage_error(ctx, "--by: expected seat, got '%s'", a->by);
		by_seat = 1;
	}
	if (!by_seat)
		run.rxc.unit_draws = 0;
	if (!a->groups)
		return cli_usage_error(ctx, "--groups LIST is required");
	if (a->units) {
		if (a->npos)
			return cli_usage_error(ctx, "give CONTEST or --units FILE, not both");
		if (!a->id || !a->parties)
			return cli_usage_error(ctx,
			                       "--units FILE needs --id COL and --parties LIST");
		if (a->threshold || a->abstention)
			return cli_usage_error(ctx,
			                       "--threshold and --abstention are for CONTEST, not "
			                       "--units (add an abstention column to the file)");
		if ((rc = split_list(ctx, "groups", a->groups, gbuf, groups, BLOC_EI_MAX_GROUPS,
		                     &ng)) != BLOC_EXIT_OK ||
		    (rc = split_list(ctx, "parties", a->parties, pbuf, parties, BLOC_EI_MAX_PARTIES,
		                     &np)) != BLOC_EXIT_OK)
			return rc;
		if (run.method == 1 && ng != 2)
			return cli_usage_error(
			    ctx,
			    "--method king: exactly 2 groups (--groups A,B), got %zu; "
			    "use --method rxc for more",
			    ng);
		if (bloc_ei_load_csv(&in, a->units, a->id, groups, ng, parties, np) < 0)
			goto fail;
	} else {
		if (!a->npos)
			return cli_usage_error(
			    ctx, "give CONTEST (with census --groups) or --units FILE");
		if (a->id || a->parties)
			return cli_usage_error(ctx, "--id and --parties are for --units FILE; with "
			                            "CONTEST the parties are the contest's");
		if (a->threshold && (rc = parse_fraction(ctx, "threshold", a->threshold, 0, 0.5,
		                                         &threshold)) != BLOC_EXIT_OK)
			return rc;
		if ((rc = split_list(ctx, "groups", a->groups, gbuf, groups, BLOC_EI_MAX_GROUPS - 1,
		                     &ng)) != BLOC_EXIT_OK)
			return rc;
		if (run.method == 1 && ng != 1)
			return cli_usage_error(ctx,
			                       "--method king: one census group (it is set against "
			                       "everyone else), got %zu; use --method rxc for more",
			                       ng);
		if (cli_open_contest(ctx, a->pos[0], &c) < 0 ||
		    open_groups(ctx, c, groups, ng, g) < 0 ||
		    bloc_ei_from_contest(&in, c, g, ng, threshold, a->abstention) < 0)
			goto fail;
	}
	if (bloc_ei_bounds_compute(&b, &in) < 0)
		goto fail;
	if (run.method == 0) {
		if (bloc_ei_goodman_fit(&gm, &in, a->weighted) < 0)
			goto fail;
		if (!(clipped = calloc(in.n * in.R * in.C, sizeof(double)))) {
			bloc_error_set(BLOC_ENOMEM, "out of memory");
			goto fail;
		}
		bloc_ei_goodman_units(&gm, &b, clipped);
		v = (bloc_ei_view){"goodman", in.R, in.C,       gm.est,  gm.lo95, gm.hi95, gm.se,
		                   NULL,      NULL, gm.outside, clipped, b.lo,    b.hi};
	} else if (run.method == 1) {
		if (bloc_ei_king_table_fit(&kc, &in, &run.king) < 0)
			goto fail;
		v = (bloc_ei_view){"king",      in.R,         in.C,        kc.est, kc.lo95,
		                   kc.hi95,     kc.sd,        NULL,        NULL,   NULL,
		                   kc.unit_est, kc.unit_lo95, kc.unit_hi95};
	} else {
		if (bloc_ei_rxc_fit(&x, &in, &run.rxc) < 0)
			goto fail;
		v = (bloc_ei_view){"rxc",  in.R,  in.C, x.est,      x.lo95,      x.hi95,     x.sd,
		                   x.rhat, x.ess, NULL, x.unit_est, x.unit_lo95, x.unit_hi95};
		if (!x.converged)
			fprintf(
			    stderr,
			    "bloc: ei: warning: not converged after %zu sweeps per chain (target "
			    "ESS %g, R-hat below %g): raise --draws or read rhat/ess\n",
			    x.sweeps, run.rxc.target_ess, run.rxc.rhat_max);
	}
	if (bloc_render_ei(&t, &in, &v, &b, by_seat) < 0)
		goto fail;
	if (run.method == 0) {
		if (bloc_table_meta(t, "weighted", "%s", gm.weighted ? "yes (unit totals)" : "no") <
		        0 ||
		    bloc_table_meta_int(t, "df", (int64_t)gm.df) < 0 ||
		    bloc_table_meta_real(t, "t_crit", gm.tcrit, 4) < 0 ||
		    bloc_table_meta(t, "note",
		                    by_seat
		                        ? "seat rows: estimate = the Goodman estimate clipped to "
		                          "the seat's bounds; lo95/hi95 = those bounds (certain, "
		                          "not a 95%% interval)"
		                        : "se from the residual variance; lo95/hi95 = estimate "
		                          "+- t_crit x se; nothing keeps the estimate in 0..1") < 0)
			goto fail;
	} else if (run.method == 1) {
		if (bloc_table_meta_int(t, "seed", (int64_t)run.king.seed) < 0 ||
		    bloc_table_meta_int(t, "draws", (int64_t)run.king.draws) < 0 ||
		    bloc_table_meta_int(t, "proposals", (int64_t)run.king.proposals) < 0 ||
		    bloc_table_meta_real(t, "importance_ess_min", kc.min_is_ess, 0) < 0 ||
		    bloc_table_meta(t, "sampler",
		                    "%zu of %zu parties by random-walk Metropolis (importance ESS "
		                    "under draws / 4), the rest by importance resampling",
		                    kc.metropolis, in.C) < 0 ||
		    (kc.metropolis &&
		     bloc_table_meta_real(t, "metropolis_accept_min", kc.min_accept, 3) < 0) ||
		    bloc_table_meta(t, "optimiser_converged", "%s", kc.converged ? "yes" : "no") <
		        0 ||
		    bloc_table_meta(t, "note",
		                    "King's 2x2 per party: %s against everyone else, the party "
		                    "against all others (a group's row need not sum to 1); se = "
		                    "posterior sd; lo95/hi95 = 2.5%%/97.5%% of the draws",
		                    in.group[0]) < 0)
			goto fail;
	} else {
		if (bloc_table_meta_int(t, "seed", (int64_t)run.rxc.seed) < 0 ||
		    bloc_table_meta_int(t, "chains", (int64_t)run.rxc.chains) < 0 ||
		    bloc_table_meta_int(t, "burnin", (int64_t)run.rxc.burnin) < 0 ||
		    bloc_table_meta_int(t, "sweeps_per_chain", (int64_t)x.sweeps) < 0 ||
		    bloc_table_meta_int(t, "draws_per_chain", (int64_t)x.draws) < 0 ||
		    bloc_table_meta_real(t, "target_ess", run.rxc.target_ess, 0) < 0 ||
		    bloc_table_meta(t, "converged", "%s", x.converged ? "yes" : "no") < 0 ||
		    bloc_table_meta(t, "prior", "alpha ~ Gamma(%g, rate %g)", run.rxc.lambda1,
		                    run.rxc.lambda2) < 0 ||
		    bloc_table_meta_real(t, "accept_ridge", x.accept_ridge, 3) < 0 ||
		    bloc_table_meta_real(t, "accept_theta", x.accept_theta, 3) < 0 ||
		    bloc_table_meta_real(t, "accept_alpha", x.accept_alpha, 3) < 0 ||
		    bloc_table_meta_real(t, "accept_collective", x.accept_collective, 3) < 0 ||
		    bloc_table_meta(
		        t, "note",
		        "Rosen et al. (2001) multinomial-Dirichlet; se = posterior sd; "
		        "lo95/hi95 = 2.5%%/97.5%% of the draws; rhat = split R-hat, ess "
		        "= effective sample size over all chains") < 0)
			goto fail;
	}
	if (bloc_table_meta(t, "caveat", "%s", CAVEAT) < 0)
		goto fail;
	if (c) {
		if (cli_meta_source(ctx, t, "contest_source", c) < 0 ||
		    bloc_table_meta(t, "census", "%s", g[0].census) < 0 ||
		    bloc_table_meta(t, "groups_from",
		                    "census share of residents x %s; 'other' = the rest",
		                    a->abstention ? "electorate" : "valid votes") < 0 ||
		    bloc_table_meta_real(t, "party_threshold", threshold, 4) < 0)
			goto fail;
	} else if (bloc_table_meta(t, "units_file", "%s", a->units) < 0) {
		goto fail;
	}
	rc = cli_emit(ctx, t);
	goto done;
fail:
	rc = cli_fail(ctx);
done:
	bloc_table_free(t);
	free(clipped);
	bloc_ei_king_table_dispose(&kc);
	bloc_ei_rxc_dispose(&x);
	bloc_ei_bounds_dispose(&b);
	bloc_ei_goodman_dispose(&gm);
	bloc_ei_input_dispose(&in);
	for (i = 0; i < BLOC_EI_MAX_GROUPS; i++)
		bloc_group_shares_dispose(&g[i]);
	bloc_contest_free(c);
	return rc;
}

int cmd_ei_synth(struct cli_ctx *ctx)
{
	const struct cli_args *a = &ctx->args;
	bloc_ei_synth_options o;
	bloc_ei_synth s;
	bloc_table *t = NULL;
	unsigned long long v;
	char *truth = NULL;
	size_t len;
	int rc;

	memset(&s, 0, sizeof(s));
	bloc_ei_synth_options_init(&o);
	if (!a->output || strcmp(a->output, "-") == 0)
		return cli_usage_error(ctx, "-o FILE.csv is required (the truth goes beside it, in "
		                            "FILE.truth.csv)");
	if (a->units) {
		if ((rc = cli_whole(ctx, "units", a->units, 2, 1000000, &v)) != BLOC_EXIT_OK)
			return rc;
		o.units = (size_t)v;
	}
	if (a->groups) {
		if ((rc = cli_whole(ctx, "groups", a->groups, 1, BLOC_EI_MAX_GROUPS, &v)) !=
		    BLOC_EXIT_OK)
			return rc;
		o.groups = (size_t)v;
	}
	if (a->parties) {
		if ((rc = cli_whole(ctx, "parties", a->parties, 2, BLOC_EI_MAX_PARTIES, &v)) !=
		    BLOC_EXIT_OK)
			return rc;
		o.parties = (size_t)v;
	}
	if (a->seed) {
		if ((rc = cli_whole(ctx, "seed", a->seed, 0, UINT64_MAX, &v)) != BLOC_EXIT_OK)
			return rc;
		o.seed = v;
	}
	if (a->bias && (rc = parse_fraction(ctx, "bias", a->bias, 0, 1, &o.bias)) != BLOC_EXIT_OK)
		return rc;
	if (a->total) {
		if ((rc = cli_whole(ctx, "total", a->total, 1, 10000000, &v)) != BLOC_EXIT_OK)
			return rc;
		o.total = (double)v;
	}
	o.dirichlet = a->dirichlet;
	if (o.units <= o.groups)
		return cli_usage_error(ctx,
		                       "--units: more units than groups are needed (%zu <= %zu)",
		                       o.units, o.groups);
	len = strlen(a->output);
	if (len > 4 && strcmp(a->output + len - 4, ".csv") == 0)
		len -= 4;
	if (!(truth = malloc(len + sizeof(".truth.csv")))) {
		bloc_error_set(BLOC_ENOMEM, "out of memory");
		return cli_fail(ctx);
	}
	memcpy(truth, a->output, len);
	strcpy(truth + len, ".truth.csv");
	ctx->format = BLOC_FORMAT_CSV;
	if (bloc_ei_synth_make(&s, &o) < 0 || bloc_ei_synth_write_truth(&s, truth) < 0 ||
	    bloc_render_ei_input(&t, &s.in) < 0)
		goto fail;
	rc = cli_emit(ctx, t);
	goto done;
fail:
	rc = cli_fail(ctx);
done:
	bloc_table_free(t);
	bloc_ei_synth_dispose(&s);
	free(truth);
	return rc;
}
