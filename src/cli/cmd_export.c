/* bloc export: a contest as bloc's canonical long CSV. */
#include "cli.h"

int cmd_export(struct cli_ctx *ctx)
{
	bloc_contest *c = NULL;
	FILE *fp;
	int rc = BLOC_EXIT_OK;

	if (ctx->format_given && ctx->format != BLOC_FORMAT_CSV)
		return cli_usage_error(ctx,
		                       "the canonical format is CSV; --format %s is not available",
		                       bloc_format_name(ctx->format));
	if (cli_open_contest(ctx, ctx->args.pos[0], &c) < 0 || cli_output_open(ctx, &fp) < 0 ||
	    bloc_contest_write_canonical(c, fp) < 0)
		rc = cli_fail(ctx);
	bloc_contest_free(c);
	return rc;
}
