/* bloc targets: the seats a party did not win, by the swing it needs. */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>

int cmd_targets(struct cli_ctx *ctx)
{
	const struct cli_args *a = &ctx->args;
	bloc_contest *c = NULL;
	bloc_seat_results r = {0};
	bloc_targets tg = {0};
	bloc_table *t = NULL;
	bloc_party p;
	unsigned long limit = 0;
	int rc;

	if (a->limit) {
		char *end;
		errno = 0;
		limit = strtoul(a->limit, &end, 10);
		if (a->limit[0] < '0' || a->limit[0] > '9' || *end || errno || limit == 0)
			return cli_usage_error(
			    ctx, "--limit: expected a whole number above 0, got '%s'", a->limit);
	}
	if ((rc = cli_party(ctx, "PARTY", a->pos[1], &p)) != BLOC_OK)
		return rc;
	if (cli_open_contest(ctx, a->pos[0], &c) < 0 || bloc_seat_results_compute(&r, c) < 0)
		goto fail;
	if (bloc_targets_compute(&tg, c, &r, p) < 0)
		goto fail;
	if (bloc_render_targets(&t, c, &tg, p, (size_t)limit) < 0 ||
	    cli_meta_source(ctx, t, "source", c) < 0)
		goto fail;
	rc = cli_emit(ctx, t);
	goto done;
fail:
	rc = cli_fail(ctx);
done:
	bloc_table_free(t);
	bloc_targets_dispose(&tg);
	bloc_seat_results_dispose(&r);
	bloc_contest_free(c);
	return rc;
}
