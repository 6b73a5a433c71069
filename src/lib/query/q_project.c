/* bloc project: a contest's seats under a scenario (a JSON file or text, settings, or both: the
 * file first, then the settings in the order given, each merging into what came before). */
#include "query_int.h"

#include <stdio.h>
#include <string.h>

#define OFF(type, field) offsetof(struct type, field)

static const char *const views[] = {"party", "seat", "changes", "flow", NULL};

struct project_rq {
	struct bloc__request_head h;
	const char *base, *scenario, *scenario_json;
	int view;
};

/* A scenario as JSON text (the server's request body): checked now, applied when the query runs. */
static int set_scenario_json(void *rq, const char *key, const char *value)
{
	struct project_rq *r = rq;
	bloc_scenario scratch;
	int err;

	(void)key;
	bloc_scenario_init(&scratch);
	if ((err = bloc_scenario_parse_json(&scratch, value, strlen(value), "scenario")) < 0)
		return err;
	return (r->scenario_json = bloc__keep(rq, value)) ? BLOC_OK : BLOC_ENOMEM;
}

static const struct bloc__param project_params[] = {
    {"base", BLOC__P_TEXT, OFF(project_rq, base), NULL, 0, 0, 0, NULL, NULL},
    {"scenario", BLOC__P_TEXT, OFF(project_rq, scenario), NULL, 0, 0, 0, NULL, NULL},
    {"scenario-json", BLOC__P_CUSTOM, 0, NULL, 0, 0, 1, NULL, set_scenario_json},
    {"by", BLOC__P_CHOICE, OFF(project_rq, view), "party, seat, changes or flow", 0, 0, 0, views,
     NULL},
    SCENE_PARAMS,
    {NULL, 0, 0, NULL, 0, 0, 0, NULL, NULL}};

static int check_project(const void *rq)
{
	const struct project_rq *r = rq;

	if (!r->base && !r->scenario && !r->scenario_json)
		return bloc_error_set(BLOC_EUSAGE, "expected BASE [SCENARIO]");
	return BLOC_OK;
}

static int run_project(bloc_answer *out, bloc_store *st, const void *rq)
{
	const struct project_rq *r = rq;
	bloc_group_shares groups[BLOC_SCENARIO_MAX_GROUPS];
	bloc_projection p = {0};
	const bloc_contest *base;
	bloc_scenario sc;
	bloc_table *t = NULL;
	const char *base_name = r->base, *file = r->scenario;
	char file_base[sizeof(sc.base)];
	int err, given;

	if ((err = bloc__scenario(st, rq, file, r->scenario_json, 0, &sc, &given)) < 0)
		return err;
	memcpy(file_base, sc.base, sizeof(file_base));
	if (!base_name) {
		if (!*sc.base)
			return file
			           ? bloc_error_set(BLOC_EUSAGE,
			                            "%s names no base contest: give it first (bloc "
			                            "project BASE %s)",
			                            file, file)
			           : bloc_error_set(BLOC_EUSAGE,
			                            "scenario: \"base\" is required (a contest id "
			                            "such as ge2024)");
		base_name = file_base;
	}
	if ((err = bloc_scenario_set(&sc, "base", base_name)) < 0 ||
	    (err = bloc_store_contest(st, base_name, &base)) < 0 ||
	    (err = bloc__scenario_groups(st, base, &sc, groups)) < 0 ||
	    (err = bloc_store_project(st, &p, base, &sc, sc.ngroups ? groups : NULL)) < 0 ||
	    (err = bloc_render_projection(&t, base, &sc, sc.ngroups ? groups : NULL, &p, r->view)) <
	        0 ||
	    (err = bloc_store_meta_source(st, t, "base_source", base)) < 0 ||
	    (file && (err = bloc_table_meta(t, "scenario_file", "%s", file)) < 0) ||
	    (*file_base && strcmp(file_base, base_name) != 0 &&
	     (err = bloc_table_meta(t, "note", "the scenario file's base '%s' is replaced by '%s'",
	                            file_base, base_name)) < 0))
		goto done;
	err = bloc__finish_table(out, st, t);
	t = NULL;
done:
	bloc_table_free(t);
	bloc_projection_dispose(&p);
	return err;
}

const struct bloc__query bloc__q_project = {.name = "project",
                                            .size = sizeof(struct project_rq),
                                            .params = project_params,
                                            .check = check_project,
                                            .run = run_project};
