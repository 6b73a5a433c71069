/* bloc results and bloc seat: a contest's results per party, per seat, or in one seat. */
#include "cli.h"

#include <string.h>

int cmd_results(struct cli_ctx *ctx)
{
	static const char *const groups[] = {"uk", "nation", "region", "seat"};
	const char *by = ctx->args.by ? ctx->args.by : "uk";
	bloc_contest *c = NULL;
	bloc_seat_results r = {0};
	bloc_totals tot = {0};
	bloc_table *t = NULL;
	int g, rc = BLOC_EXIT_ERROR;

	for (g = 0; g < 4 && strcmp(by, groups[g]) != 0; g++)
		;
	if (g == 4)
		return cli_usage_error(ctx, "--by: expected uk, nation, region or seat, got '%s'",
		                       by);
	if (cli_open_contest(ctx, ctx->args.pos[0], &c) < 0 || bloc_seat_results_compute(&r, c) < 0)
		goto fail;
	if (g == 3) {
		if (bloc_render_seat_results(&t, c, &r) < 0)
			goto fail;
	} else {
		/* groups[] is in bloc_grouping order: uk, nation, region */
		if (bloc_totals_compute(&tot, c, &r, g) < 0)
			goto fail;
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
	bloc_totals_dispose(&tot);
	bloc_seat_results_dispose(&r);
	bloc_contest_free(c);
	return rc;
}

int cmd_seat(struct cli_ctx *ctx)
{
	bloc_contest *c = NULL;
	bloc_seat_results r = {0};
	bloc_table *t = NULL;
	size_t seat = 0;
	int rc;

	if (cli_open_contest(ctx, ctx->args.pos[0], &c) < 0 ||
	    bloc_contest_find_seat(c, ctx->args.pos[1], &seat) < 0 ||
	    bloc_seat_results_compute(&r, c) < 0)
		goto fail;
	if (bloc_render_candidates(&t, c, &r, seat) < 0 || cli_meta_source(ctx, t, "source", c) < 0)
		goto fail;
	rc = cli_emit(ctx, t);
	goto done;
fail:
	rc = cli_fail(ctx);
done:
	bloc_table_free(t);
	bloc_seat_results_dispose(&r);
	bloc_contest_free(c);
	return rc;
}
