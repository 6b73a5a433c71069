/* bloc ei: Goodman's ecological regression with the Duncan-Davis bounds, from a CSV of units or
 * a contest with census groups; bloc ei-synth: synthetic units with known truth. */
#include "cli.h"

#include "bloc/ei.h"

#include <errno.h>
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

/* A whole number in [lo, hi]; malformed or out of range is a usage error. */
static int parse_size(struct cli_ctx *ctx, const char *option, const char *text,
                      unsigned long long lo, unsigned long long hi, unsigned long long *out)
{
	char *end;

	errno = 0;
	*out = strtoull(text, &end, 10);
	if (end == text || *end || errno || text[0] == '-' || text[0] == '+' || *out < lo ||
	    *out > hi)
		return cli_usage_error(ctx,
		                       "--%s: expected a whole number from %llu to %llu, got '%s'",
		                       option, lo, hi, text);
	return BLOC_EXIT_OK;
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

int cmd_ei(struct cli_ctx *ctx)
{
	const struct cli_args *a = &ctx->args;
	char gbuf[LIST_BYTES], pbuf[LIST_BYTES];
	const char *groups[BLOC_EI_MAX_GROUPS], *parties[BLOC_EI_MAX_PARTIES];
	bloc_group_shares g[BLOC_EI_MAX_GROUPS];
	size_t ng = 0, np = 0, i;
	bloc_ei_input in;
	bloc_ei_goodman gm;
	bloc_ei_bounds b;
	bloc_contest *c = NULL;
	bloc_table *t = NULL;
	double threshold = 0.02;
	int by_seat = 0, rc;

	memset(g, 0, sizeof(g));
	memset(&in, 0, sizeof(in));
	memset(&gm, 0, sizeof(gm));
	memset(&b, 0, sizeof(b));
	if (a->method && strcmp(a->method, "goodman") != 0)
		return cli_usage_error(
		    ctx,
		    "--method: only goodman is built (King's 2x2 EI and Bayesian "
		    "R x C are not yet), got '%s'",
		    a->method);
	if (a->by) {
		if (strcmp(a->by, "seat") != 0)
			return cli_usage_error(ctx, "--by: expected seat, got '%s'", a->by);
		by_seat = 1;
	}
	if (!a->groups)
		return cli_usage_error(ctx, "--groups LIST is required");
	if (a->units) {
		if (a->npos)
			return cli_usage_error(ctx, "give CONTEST or --units FILE, not both");
		if (!a->id || !a->parties)
			return cli_usage_error(ctx,
			                       "--units FILE needs --id COL and --parties LIST");
		if (a->threshold)
			return cli_usage_error(ctx, "--threshold is for CONTEST, not --units");
		if ((rc = split_list(ctx, "groups", a->groups, gbuf, groups, BLOC_EI_MAX_GROUPS,
		                     &ng)) != BLOC_EXIT_OK ||
		    (rc = split_list(ctx, "parties", a->parties, pbuf, parties, BLOC_EI_MAX_PARTIES,
		                     &np)) != BLOC_EXIT_OK)
			return rc;
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
		if (cli_open_contest(ctx, a->pos[0], &c) < 0 ||
		    open_groups(ctx, c, groups, ng, g) < 0 ||
		    bloc_ei_from_contest(&in, c, g, ng, threshold) < 0)
			goto fail;
	}
	if (bloc_ei_goodman_fit(&gm, &in, a->weighted) < 0 || bloc_ei_bounds_compute(&b, &in) < 0 ||
	    bloc_render_ei(&t, &in, &gm, &b, by_seat) < 0)
		goto fail;
	if (c) {
		if (cli_meta_source(ctx, t, "contest_source", c) < 0 ||
		    bloc_table_meta(t, "census", "%s", g[0].census) < 0 ||
		    bloc_table_meta(t, "groups_from",
		                    "census share of residents x valid votes; "
		                    "'other' = the rest") < 0 ||
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
		if ((rc = parse_size(ctx, "units", a->units, 2, 1000000, &v)) != BLOC_EXIT_OK)
			return rc;
		o.units = (size_t)v;
	}
	if (a->groups) {
		if ((rc = parse_size(ctx, "groups", a->groups, 1, BLOC_EI_MAX_GROUPS, &v)) !=
		    BLOC_EXIT_OK)
			return rc;
		o.groups = (size_t)v;
	}
	if (a->parties) {
		if ((rc = parse_size(ctx, "parties", a->parties, 2, BLOC_EI_MAX_PARTIES, &v)) !=
		    BLOC_EXIT_OK)
			return rc;
		o.parties = (size_t)v;
	}
	if (a->seed) {
		if ((rc = parse_size(ctx, "seed", a->seed, 0, UINT64_MAX, &v)) != BLOC_EXIT_OK)
			return rc;
		o.seed = v;
	}
	if (a->bias && (rc = parse_fraction(ctx, "bias", a->bias, 0, 1, &o.bias)) != BLOC_EXIT_OK)
		return rc;
	if (a->total) {
		if ((rc = parse_size(ctx, "total", a->total, 1, 10000000, &v)) != BLOC_EXIT_OK)
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
