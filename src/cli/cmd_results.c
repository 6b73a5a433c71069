/* bloc results and bloc seat: a contest's results per party, per seat, or in one seat. */
#include "cli.h"

#include <string.h>
#include <strings.h>

int cmd_results(struct cli_ctx *ctx)
{
	static const char *const groups[] = {"uk", "nation", "region", "seat"};
	const char *by = ctx->args.by ? ctx->args.by : "uk";
	bloc_contest *c = NULL;
	bloc_seat_results r;
	bloc_totals tot;
	bloc_table *t = NULL;
	int g, have_r = 0, have_tot = 0, rc = BLOC_EXIT_ERROR;

	for (g = 0; g < 4 && strcmp(by, groups[g]) != 0; g++)
		;
	if (g == 4)
		return cli_usage_error(ctx, "--by: expected uk, nation, region or seat, got '%s'",
		                       by);
	if (cli_open_contest(ctx, ctx->args.pos[0], &c) < 0 || bloc_seat_results_compute(&r, c) < 0)
		goto fail;
	have_r = 1;
	if (g == 3) {
		if (bloc_render_seat_results(&t, c, &r) < 0)
			goto fail;
	} else {
		/* groups[] is in bloc_grouping order: uk, nation, region */
		if (bloc_totals_compute(&tot, c, &r, g) < 0)
			goto fail;
		have_tot = 1;
		if (bloc_render_totals(&t, c, &tot, g) < 0)
			goto fail;
	}
	if (cli_meta_source(ctx, t, "source", c) < 0)
		goto fail;
	rc = cli_emit(ctx, t);
	goto done;
fail:
	rc = cli_fail(ctx);
done:
	bloc_table_free(t);
	if (have_tot)
		bloc_totals_dispose(&tot);
	if (have_r)
		bloc_seat_results_dispose(&r);
	bloc_contest_free(c);
	return rc;
}

/* The seat `query` names: its code exactly, else its name in any case. Not found or ambiguous
 * is an error that lists what was close. */
static int find_seat(const bloc_contest *c, const char *query, size_t *out)
{
	char near[512];
	size_t s, n = 0, len = 0, qlen = strlen(query);
	long code = bloc_contest_seat(c, query);

	if (code >= 0) {
		*out = (size_t)code;
		return BLOC_OK;
	}
	near[0] = '\0';
	for (s = 0; s < c->nseats; s++) {
		if (strcasecmp(c->name[s], query) != 0)
			continue;
		if (n++ == 0)
			*out = s;
		if (len < sizeof(near))
			len += (size_t)snprintf(near + len, sizeof(near) - len, "%s%s (%s)",
			                        len ? ", " : "", c->name[s], c->code[s]);
	}
	if (n == 1)
		return BLOC_OK;
	if (n > 1)
		return bloc_error_set(BLOC_EINVAL,
		                      "seat '%s' is ambiguous in %s: %s; give the code instead",
		                      query, c->id, near);
	/* Suggest seats whose name contains the query (case aside), a few at most. */
	for (s = 0; s < c->nseats && qlen; s++) {
		size_t k, nl = strlen(c->name[s]);
		for (k = 0; k + qlen <= nl; k++)
			if (strncasecmp(c->name[s] + k, query, qlen) == 0)
				break;
		if (k + qlen > nl)
			continue;
		if (++n <= 5 && len < sizeof(near))
			len += (size_t)snprintf(near + len, sizeof(near) - len, "%s%s (%s)",
			                        len ? ", " : "", c->name[s], c->code[s]);
	}
	if (n == 0)
		return bloc_error_set(BLOC_ENOTFOUND,
		                      "no seat '%s' in %s (give an ONS code such as %s or a full "
		                      "seat name)",
		                      query, c->id, c->nseats ? c->code[0] : "E14000530");
	return bloc_error_set(BLOC_ENOTFOUND, "no seat '%s' in %s; did you mean %s%s?", query,
	                      c->id, near, n > 5 ? ", ..." : "");
}

int cmd_seat(struct cli_ctx *ctx)
{
	bloc_contest *c = NULL;
	bloc_seat_results r;
	bloc_table *t = NULL;
	size_t seat = 0;
	int have_r = 0, rc;

	if (cli_open_contest(ctx, ctx->args.pos[0], &c) < 0 ||
	    find_seat(c, ctx->args.pos[1], &seat) < 0 || bloc_seat_results_compute(&r, c) < 0)
		goto fail;
	have_r = 1;
	if (bloc_render_candidates(&t, c, &r, seat) < 0 || cli_meta_source(ctx, t, "source", c) < 0)
		goto fail;
	rc = cli_emit(ctx, t);
	goto done;
fail:
	rc = cli_fail(ctx);
done:
	bloc_table_free(t);
	if (have_r)
		bloc_seat_results_dispose(&r);
	bloc_contest_free(c);
	return rc;
}
