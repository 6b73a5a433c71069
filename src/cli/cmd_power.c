/* bloc power: where a census group's cohesive vote can decide a seat, seat by seat (--decisive:
 * the decisive seats only), for every group (--summary), or against cohesion (--curve). */
#include "cli.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Monte Carlo limits: beyond these a run takes hours, and a typo is likelier than intent. */
#define SIMS_MAX    100000000ULL
#define THREADS_MAX 1024ULL

/* The --curve grid: cohesion 0.50, 0.55, ..., 1.00. */
#define CURVE_POINTS 11

/* A number in [lo, hi] for an assumption; a bad one is a data error (exit 1), as for project's
 * scenario values. */
static int parse_real(const char *option, const char *text, double lo, double hi, const char *what,
                      double *out)
{
	char *end;

	errno = 0;
	*out = strtod(text, &end);
	if (end == text || *end || errno || !isfinite(*out))
		return bloc_error_set(BLOC_EINVAL, "--%s: expected %s, got '%.40s'", option, what,
		                      text);
	if (*out < lo || *out > hi)
		return bloc_error_set(BLOC_EINVAL, "--%s: expected %s, got %g (out of range)",
		                      option, what, *out);
	return BLOC_OK;
}

/* One --support list, "LAB=87,CON=9", merged into o (a later value for a party replaces the
 * earlier one). */
static int merge_support(bloc_power_options *o, const char *list)
{
	const size_t cap = sizeof(o->support) / sizeof(o->support[0]);
	const char *s = list;

	if (!*s)
		return bloc_error_set(BLOC_EINVAL, "--support: expected PARTY=POINTS,..., got ''");
	for (;;) {
		size_t len = strcspn(s, ","), eq = strcspn(s, "=");
		char label[64], *end;
		bloc_party p;
		double v;
		size_t j;

		if (eq >= len || eq == 0 || eq >= sizeof(label))
			return bloc_error_set(BLOC_EINVAL,
			                      "--support: expected PARTY=POINTS (such as LAB=87), "
			                      "got '%.*s'",
			                      (int)(len < 40 ? len : 40), s);
		memcpy(label, s, eq);
		label[eq] = '\0';
		if (bloc_party_lookup(label, &p) < 0)
			return bloc_error_set(
			    BLOC_ENOTFOUND,
			    "--support: unknown party '%s' (a code such as LAB, CON, "
			    "GRN, IND, or a name such as \"Labour\")",
			    label);
		errno = 0;
		v = strtod(s + eq + 1, &end);
		if (end == s + eq + 1 || end != s + len || errno || !(v >= 0 && v <= 100))
			return bloc_error_set(BLOC_EINVAL,
			                      "--support: %s: expected points from 0 to 100, got "
			                      "'%.*s'",
			                      label, (int)(len - eq - 1 < 40 ? len - eq - 1 : 40),
			                      s + eq + 1);
		for (j = 0; j < o->nsupport && o->support_party[j] != p; j++)
			;
		if (j == o->nsupport) {
			if (o->nsupport == cap)
				return bloc_error_set(BLOC_EINVAL, "--support: at most %zu parties",
				                      cap);
			o->support_party[o->nsupport++] = p;
		}
		o->support[j] = v;
		if (!s[len])
			return BLOC_OK;
		s += len + 1;
	}
}

/* The options and assumptions from the command line into o. A usage error returns
 * BLOC_EXIT_USAGE (printed), a bad value BLOC_EXIT_ERROR (printed); BLOC_EXIT_OK otherwise. */
static int read_options(struct cli_ctx *ctx, bloc_power_options *o)
{
	const struct cli_args *a = &ctx->args;
	unsigned long long v;
	double sum = 0;
	size_t i;
	int rc;

	bloc_power_options_init(o);
	if (a->sims) {
		if ((rc = cli_whole(ctx, "sims", a->sims, 0, SIMS_MAX, &v)) != BLOC_EXIT_OK)
			return rc;
		o->sims = v;
	}
	if (a->seed) {
		if ((rc = cli_whole(ctx, "seed", a->seed, 0, UINT64_MAX, &v)) != BLOC_EXIT_OK)
			return rc;
		o->seed = v;
	}
	if (a->threads) {
		if ((rc = cli_whole(ctx, "threads", a->threads, 0, THREADS_MAX, &v)) !=
		    BLOC_EXIT_OK)
			return rc;
		o->threads = (unsigned)v;
	}
	if ((a->cohesion &&
	     parse_real("cohesion", a->cohesion, 0, 1, "a fraction from 0 to 1 (such as 0.87)",
	                &o->cohesion) < 0) ||
	    (a->turnout && parse_real("turnout", a->turnout, 0, 1,
	                              "a fraction from 0 to 1 (such as 0.6)", &o->turnout) < 0) ||
	    (a->adult_ratio && parse_real("adult-ratio", a->adult_ratio, 0, 1e6,
	                                  "a ratio above 0 (such as 0.8)", &o->adult_ratio) < 0))
		return cli_fail(ctx);
	/* 0 would read as "the seat's turnout" in the options: say so rather than guess. */
	if (a->turnout && o->turnout == 0) {
		bloc_error_set(BLOC_EINVAL,
		               "--turnout: 0 means nobody in the group votes; give a fraction "
		               "above 0, or leave --turnout out for each seat's own turnout");
		return cli_fail(ctx);
	}
	if (a->adult_ratio && o->adult_ratio == 0) {
		bloc_error_set(BLOC_EINVAL, "--adult-ratio: expected a ratio above 0, got '%s'",
		               a->adult_ratio);
		return cli_fail(ctx);
	}
	for (i = 0; i < a->nseq; i++)
		if (strcmp(a->seq[i].name, "support") == 0 && merge_support(o, a->seq[i].value) < 0)
			return cli_fail(ctx);
	for (i = 0; i < o->nsupport; i++)
		sum += o->support[i];
	if (sum > 100 + 1e-9) {
		bloc_error_set(BLOC_EINVAL,
		               "--support: the shares add up to %g points, above 100 (the rest of "
		               "the group, up to 100, votes for other parties or none)",
		               sum);
		return cli_fail(ctx);
	}
	if (a->third) {
		if (bloc_party_lookup(a->third, &o->third) < 0) {
			bloc_error_set(
			    BLOC_ENOTFOUND,
			    "--third: unknown party '%s' (a code such as GRN, IND, WPB, or "
			    "a name such as \"Green\")",
			    a->third);
			return cli_fail(ctx);
		}
	}
	return BLOC_EXIT_OK;
}

/* Is `path` (relative to the data directory) one of the " + "-joined files in `sources`? */
static int uses_file(const char *sources, const char *path)
{
	size_t n = strlen(path);
	const char *s = sources;

	while (s && *s) {
		const char *sep = strstr(s, " + ");
		size_t len = sep ? (size_t)(sep - s) : strlen(s);
		if (len >= n && strncmp(s + len - n, path, n) == 0 &&
		    (len == n || s[len - n - 1] == '/'))
			return 1;
		s = sep ? sep + 3 : NULL;
	}
	return 0;
}

/* Group `name`'s shares for c's seats: the census matching c's boundaries; with --census, a
 * catalogue census (which must be the one that matches) or a `code,group,share` file. */
static int open_group(struct cli_ctx *ctx, const bloc_contest *c, const char *name,
                      bloc_group_shares *out)
{
	const char *census = ctx->args.census;
	const bloc_catalog_entry *e;
	bloc_dataset *ds;
	int err;

	memset(out, 0, sizeof(*out));
	if ((err = cli_dataset(ctx, &ds)) < 0)
		return err;
	if (!census)
		return bloc_group_shares_open(out, ds, c, name);
	if (!(e = bloc_dataset_find(ds, census)))
		return bloc_group_shares_load_csv(out, census, c, name);
	if (strcmp(e->kind, "census") != 0)
		return bloc_error_set(BLOC_EINVAL,
		                      "--census: '%s' is a %s in the catalogue, not a census (give "
		                      "a census id or a code,group,share file)",
		                      census, *e->kind ? e->kind : "entry");
	if ((err = bloc_group_shares_open(out, ds, c, name)) < 0)
		return err;
	if (!uses_file(out->source, e->path)) {
		err =
		    bloc_error_set(BLOC_EINVAL,
		                   "--census: %s (%s) is not the census for group %s on the seats "
		                   "of %s: that is the %s (%s). For other shares, give a "
		                   "code,group,share file",
		                   census, e->path, out->group, c->id, out->census, out->source);
		bloc_group_shares_dispose(out);
	}
	return err;
}

/* Every census group side by side. With a shares file, the groups it holds (others are named
 * in the metadata). */
static int run_summary(struct cli_ctx *ctx, const bloc_contest *c, const bloc_power_options *o,
                       bloc_table **t)
{
	const size_t ng = bloc_group_count();
	bloc_group_shares *g = calloc(ng + 1, sizeof(*g));
	bloc_power *p = calloc(ng + 1, sizeof(*p));
	char absent[512];
	size_t i, n = 0, len = 0;
	int err = BLOC_OK;

	absent[0] = '\0';
	if (!g || !p) {
		err = bloc_error_set(BLOC_ENOMEM, "out of memory");
		goto done;
	}
	for (i = 0; i < ng; i++) {
		const char *name = bloc_group_name(i);
		if ((err = open_group(ctx, c, name, &g[n])) == BLOC_ENOTFOUND && ctx->args.census &&
		    !bloc_dataset_find(ctx->ds, ctx->args.census)) {
			/* a shares file need not hold every census group */
			int w = snprintf(absent + len, sizeof(absent) - len, "%s%s",
			                 len ? ", " : "", name);
			if (w > 0 && (size_t)w < sizeof(absent) - len)
				len += (size_t)w;
			err = BLOC_OK;
			continue;
		}
		if (err < 0)
			goto done;
		if ((err = bloc_power_compute(&p[n], c, &g[n], o)) < 0)
			goto done;
		n++;
	}
	if (n == 0) {
		err = bloc_error_set(BLOC_ENOTFOUND,
		                     "--census: %s holds none of the census groups (%s)",
		                     ctx->args.census, absent);
		goto done;
	}
	if ((err = bloc_render_power_summary(t, c, g, p, n, o)) < 0)
		goto done;
	if (len)
		err = bloc_table_meta(*t, "note", "groups not in %s: %s", ctx->args.census, absent);
done:
	/* calloc'd: the entries never filled are zeroed, which dispose accepts */
	for (i = 0; g && p && i < ng; i++) {
		bloc_power_dispose(&p[i]);
		bloc_group_shares_dispose(&g[i]);
	}
	free(g);
	free(p);
	return err;
}

/* Seats decidable against cohesion: the same run at each point of the grid. */
static int run_curve(const bloc_contest *c, const bloc_group_shares *g, const bloc_power_options *o,
                     bloc_table **t)
{
	double cohesion[CURVE_POINTS];
	bloc_power p[CURVE_POINTS];
	bloc_power_options oc = *o;
	size_t i, n = 0;
	int err = BLOC_OK;

	memset(p, 0, sizeof(p));
	for (i = 0; i < CURVE_POINTS; i++) {
		cohesion[i] = (double)(50 + 5 * i) / 100; /* 0.55, not 0.5 + 0.05 */
		oc.cohesion = cohesion[i];
		n = i + 1;
		if ((err = bloc_power_compute(&p[i], c, g, &oc)) < 0)
			goto done;
	}
	err = bloc_render_power_curve(t, c, g, o, cohesion, p, CURVE_POINTS);
done:
	for (i = 0; i < n; i++)
		bloc_power_dispose(&p[i]);
	return err;
}

int cmd_power(struct cli_ctx *ctx)
{
	const struct cli_args *a = &ctx->args;
	bloc_power_options o;
	bloc_group_shares g;
	bloc_power p;
	bloc_contest *c = NULL;
	bloc_table *t = NULL;
	int rc;

	memset(&g, 0, sizeof(g));
	memset(&p, 0, sizeof(p));
	if (a->summary + a->curve + a->decisive > 1)
		return cli_usage_error(ctx,
		                       "--summary, --curve and --decisive are different views: "
		                       "give one");
	if (a->summary && a->group)
		return cli_usage_error(ctx, "--summary covers every group: leave --group out");
	if (!a->summary && !a->group)
		return cli_usage_error(ctx,
		                       "--group NAME is required (or --summary for every group)");
	if (a->curve && a->cohesion)
		return cli_usage_error(ctx, "--curve varies the cohesion from 0.50 to 1.00: leave "
		                            "--cohesion out");
	if ((rc = read_options(ctx, &o)) != BLOC_EXIT_OK)
		return rc;
	if (cli_open_contest(ctx, a->pos[0], &c) < 0)
		goto fail;
	if (a->summary) {
		if (run_summary(ctx, c, &o, &t) < 0)
			goto fail;
	} else {
		if (open_group(ctx, c, a->group, &g) < 0)
			goto fail;
		if (a->curve) {
			if (run_curve(c, &g, &o, &t) < 0)
				goto fail;
		} else if (bloc_power_compute(&p, c, &g, &o) < 0 ||
		           bloc_render_power(&t, c, &g, &o, &p,
		                             a->decisive ? BLOC_POWER_VIEW_DECISIVE
		                                         : BLOC_POWER_VIEW_SEATS) < 0) {
			goto fail;
		}
	}
	if (cli_meta_source(ctx, t, "contest_source", c) < 0)
		goto fail;
	rc = cli_emit(ctx, t);
	goto done;
fail:
	rc = cli_fail(ctx);
done:
	bloc_table_free(t);
	bloc_power_dispose(&p);
	bloc_group_shares_dispose(&g);
	bloc_contest_free(c);
	return rc;
}
