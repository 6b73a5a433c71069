/* bloc project: a contest's seats under a scenario (a JSON file, flags, or both: the file first,
 * then the flags in command-line order, each merging into what came before). */
#include "cli.h"
#include "viz.h"

#include <string.h>
#include <strings.h>

static int is_json_name(const char *s)
{
	size_t n = strlen(s);

	return strcmp(s, "-") == 0 || (n > 5 && strcasecmp(s + n - 5, ".json") == 0);
}

int cmd_project(struct cli_ctx *ctx)
{
	const struct cli_args *a = &ctx->args;
	bloc_group_shares groups[BLOC_SCENARIO_MAX_GROUPS];
	bloc_projection p = {0};
	bloc_contest *base = NULL;
	bloc_scenario sc;
	bloc_dataset *ds;
	bloc_table *t = NULL;
	const char *base_name = NULL, *file = NULL;
	char file_base[sizeof(sc.base)];
	size_t i, ngroups = 0;
	int view = BLOC_VIEW_PARTY, rc, given;

	memset(groups, 0, sizeof(groups));
	if (a->by && bloc_projection_view_parse(a->by, &view) < 0)
		return cli_usage_error(ctx, "%s", bloc_error_last());
	/* BASE [SCENARIO], or a scenario alone that names its base */
	if (a->npos == 2) {
		base_name = a->pos[0];
		file = a->pos[1];
	} else if (is_json_name(a->pos[0])) {
		file = a->pos[0];
	} else {
		base_name = a->pos[0];
	}
	/* the file, then the flags in command-line order (flags never set the base) */
	if ((rc = viz_scenario(ctx, &sc, file, 0, &given)) != BLOC_EXIT_OK)
		return rc;
	memcpy(file_base, sc.base, sizeof(file_base));
	if (!base_name) {
		if (!*sc.base)
			return cli_usage_error(ctx,
			                       "%s names no base contest: give it first (bloc "
			                       "project BASE %s)",
			                       file, file);
		base_name = file_base;
	}
	if (bloc_scenario_set(&sc, "base", base_name) < 0)
		return cli_fail(ctx);

	if (cli_dataset(ctx, &ds) < 0 || cli_open_contest(ctx, base_name, &base) < 0)
		goto fail;
	for (ngroups = 0; ngroups < sc.ngroups; ngroups++)
		if (bloc_group_shares_open(&groups[ngroups], ds, base, sc.groups[ngroups].group) <
		    0)
			goto fail;
	if (bloc_project(&p, base, &sc, ngroups ? groups : NULL) < 0 ||
	    bloc_render_projection(&t, base, &sc, ngroups ? groups : NULL, &p, view) < 0 ||
	    cli_meta_source(ctx, t, "base_source", base) < 0 ||
	    (file && bloc_table_meta(t, "scenario_file", "%s", file) < 0) ||
	    (*file_base && strcmp(file_base, base_name) != 0 &&
	     bloc_table_meta(t, "note", "the scenario file's base '%s' is replaced by '%s'",
	                     file_base, base_name) < 0))
		goto fail;
	rc = cli_emit(ctx, t);
	goto done;
fail:
	rc = cli_fail(ctx);
done:
	bloc_table_free(t);
	bloc_projection_dispose(&p);
	for (i = 0; i < ngroups; i++)
		bloc_group_shares_dispose(&groups[i]);
	bloc_contest_free(base);
	return rc;
}
