/* bloc indices: disproportionality, fragmentation and wasted votes. */
#include "cli.h"

int cmd_indices(struct cli_ctx *ctx)
{
	bloc_contest *c = NULL;
	bloc_seat_results r = {0};
	bloc_indices x = {0};
	bloc_table *t = NULL;
	int rc;

	if (cli_open_contest(ctx, ctx->args.pos[0], &c) < 0 || bloc_seat_results_compute(&r, c) < 0)
		goto fail;
	if (bloc_indices_compute(&x, c, &r) < 0)
		goto fail;
	if ((ctx->args.wasted ? bloc_render_wasted(&t, c, &x) : bloc_render_indices(&t, c, &x)) <
	        0 ||
	    cli_meta_source(ctx, t, "source", c) < 0)
		goto fail;
	rc = cli_emit(ctx, t);
	goto done;
fail:
	rc = cli_fail(ctx);
done:
	bloc_table_free(t);
	bloc_indices_dispose(&x);
	bloc_seat_results_dispose(&r);
	bloc_contest_free(c);
	return rc;
}
