/* bloc elections: the data directory's catalogue. */
#include "cli.h"

int cmd_elections(struct cli_ctx *ctx)
{
	bloc_dataset *ds;
	bloc_table *t = NULL;
	int rc;

	if (cli_dataset(ctx, &ds) < 0 || bloc_render_catalog(&t, ds) < 0)
		return cli_fail(ctx);
	rc = cli_emit(ctx, t);
	bloc_table_free(t);
	return rc;
}
