/* bloc backtest: project an earlier contest with a later one's actual shares and count the seats
 * the model gets wrong. */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>

int cmd_backtest(struct cli_ctx *ctx)
{
	const struct cli_args *a = &ctx->args;
	bloc_contest *from = NULL, *to = NULL;
	bloc_backtest b = {0};
	bloc_dataset *ds;
	bloc_table *t = NULL;
	const char *note = NULL;
	int model = BLOC_MODEL_UNIFORM, level = BLOC_LEVEL_GB, rc;
	double tau = 0.20;

	if (a->model && bloc_model_parse(a->model, &model) < 0)
		return cli_usage_error(ctx,
		                       "--model: expected uniform, proportional, transition or "
		                       "strong, got '%s'",
		                       a->model);
	if (a->by && bloc_level_parse(a->by, &level) < 0)
		return cli_usage_error(ctx, "--by: expected uk, gb, nation or region, got '%s'",
		                       a->by);
	if (a->threshold) {
		char *end;
		errno = 0;
		tau = strtod(a->threshold, &end);
		if (end == a->threshold || *end || errno || !(tau > 0 && tau < 1))
			return cli_usage_error(
			    ctx,
			    "--threshold: expected a fraction of turnout above 0 "
			    "and below 1 (such as 0.2), got '%s'",
			    a->threshold);
	}
	if (cli_dataset(ctx, &ds) < 0)
		return cli_fail(ctx);
	if (bloc_contest_open_pair(&from, &to, ds, a->pos[0], a->pos[1], &note) < 0 ||
	    bloc_backtest_run(&b, from, to, model, tau, level) < 0)
		goto fail;
	if ((a->wrong ? bloc_render_backtest_wrong(&t, from, to, &b, model, tau, level)
	              : bloc_render_backtest(&t, from, to, &b, model, tau, level)) < 0 ||
	    (note && bloc_table_meta(t, "note", "%s", note) < 0) ||
	    cli_meta_source(ctx, t, "from_source", from) < 0 ||
	    cli_meta_source(ctx, t, "to_source", to) < 0)
		goto fail;
	rc = cli_emit(ctx, t);
	goto done;
fail:
	rc = cli_fail(ctx);
done:
	bloc_table_free(t);
	bloc_backtest_dispose(&b);
	bloc_contest_free(from);
	bloc_contest_free(to);
	return rc;
}
