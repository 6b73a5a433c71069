/* bloc project: a contest's seats under a scenario (a JSON file or text, settings, or both: the
 * file first, then the settings in the order given, each merging into what came before). */
#include "query_int.h"

#include "../util/json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OFF(type, field) offsetof(struct type, field)

static const char *const views[] = {"party", "seat", "changes", "flow", "winners",
                                    "full",  "map",  "group",   NULL};

/* by=winners: each seat's projected winner, code,winner in the contest's order */
#define VIEW_WINNERS 4
/* by=full and by=map: the web app's answers, JSON documents from one projection:
 * {"party":<party table>,"seats":<seat table>} and {"party":<party table>,"winners":{"CODE":
 * "LAB",...}} (each seat's projected winner, in the contest's order; a map needs no more) */
#define VIEW_FULL 5
#define VIEW_MAP  6
/* by=group: the first group's votes by seat and party (BLOC_VIEW_GROUP) */
#define VIEW_GROUP 7

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
    {"by", BLOC__P_CHOICE, OFF(project_rq, view), "party, seat, changes, flow, winners or group", 0,
     0, 0, views, NULL},
    SCENE_PARAMS,
    {NULL, 0, 0, NULL, 0, 0, 0, NULL, NULL}};

static int winners_table(bloc_table **out, const bloc_contest *base, const bloc_projection *p)
{
	bloc_table *t = NULL;
	size_t s;
	int err;

	if ((err = bloc_table_new(&t)) < 0 ||
	    (err = bloc_table_add_column(t, "code", BLOC_COL_STRING, 0)) < 0 ||
	    (err = bloc_table_add_column(t, "winner", BLOC_COL_STRING, 0)) < 0 ||
	    (err = bloc_table_meta(t, "by", "winners")) < 0 ||
	    (err = bloc_table_meta(t, "base", "%s", base->id)) < 0)
		goto fail;
	for (s = 0; s < p->nseats; s++)
		if ((err = bloc_table_add_string(t, base->code[s])) < 0 ||
		    (err = bloc_table_add_string(t, p->winner[s] == BLOC_PARTY_NONE
		                                        ? NULL
		                                        : bloc_party_code(p->winner[s]))) < 0)
			goto fail;
	*out = t;
	return BLOC_OK;
fail:
	bloc_table_free(t);
	return err;
}

/* Metadata every project table ends with: where the base came from, the scenario file, the
 * data directory. */
static int project_meta(bloc_store *st, bloc_table *t, const bloc_contest *base, const char *file,
                        const char *file_base, const char *base_name)
{
	int err;

	if ((err = bloc_store_meta_source(st, t, "base_source", base)) < 0 ||
	    (file && (err = bloc_table_meta(t, "scenario_file", "%s", file)) < 0) ||
	    (*file_base && strcmp(file_base, base_name) != 0 &&
	     (err = bloc_table_meta(t, "note", "the scenario file's base '%s' is replaced by '%s'",
	                            file_base, base_name)) < 0))
		return err;
	return bloc_table_meta(t, "data", "%s", bloc_store_dir(st));
}

/* A table as JSON at the end of buffer b (as bloc_table_write writes it). */
static int put_table(bloc_buf *b, const bloc_table *t)
{
	return bloc_table_render(t, BLOC_FORMAT_JSON, b);
}

/* by=full or by=map: the party table, then the seat table or each seat's winner. */
static int composite(bloc_buf *b, const bloc_table *party, const bloc_table *seats,
                     const bloc_contest *base, const bloc_projection *p)
{
	size_t s;
	int err;

	bloc_buf_puts(b, "{\"party\":");
	if ((err = put_table(b, party)) < 0)
		return err;
	if (seats) {
		bloc_buf_puts(b, ",\"seats\":");
		if ((err = put_table(b, seats)) < 0)
			return err;
		bloc_buf_puts(b, "}\n");
		return bloc_buf_check(b);
	}
	bloc_buf_puts(b, ",\"winners\":{");
	for (s = 0; s < p->nseats; s++) {
		if (s)
			bloc_buf_puts(b, ",");
		bloc__json_put_string(b, base->code[s]);
		bloc_buf_puts(b, ":");
		if (p->winner[s] == BLOC_PARTY_NONE) /* a seat without votes: no winner */
			bloc_buf_puts(b, "null");
		else
			bloc__json_put_string(b, bloc_party_code(p->winner[s]));
	}
	bloc_buf_puts(b, "}}\n");
	return bloc_buf_check(b);
}

/* The answer for the projection p: a table, or the web app's composite document. */
static int answer(bloc_answer *out, bloc_store *st, const struct project_rq *r,
                  const bloc_contest *base, const bloc_scenario *sc,
                  const bloc_group_shares *groups, const bloc_projection *p, const char *file,
                  const char *file_base, const char *base_name)
{
	bloc_table *t = NULL, *seats = NULL;
	bloc_buf doc = BLOC_BUF_INIT;
	int view = r->view == VIEW_GROUP  ? BLOC_VIEW_GROUP
	           : r->view >= VIEW_FULL ? BLOC_VIEW_PARTY
	                                  : r->view,
	    err;

	if ((err = r->view == VIEW_WINNERS
	               ? winners_table(&t, base, p)
	               : bloc_render_projection(&t, base, sc, groups, p, view)) < 0 ||
	    (err = project_meta(st, t, base, file, file_base, base_name)) < 0)
		goto done;
	if (r->view < VIEW_FULL || r->view == VIEW_GROUP) {
		out->table = t;
		return BLOC_OK;
	}
	if ((r->view == VIEW_FULL &&
	     ((err = bloc_render_projection(&seats, base, sc, groups, p, BLOC_VIEW_SEAT)) < 0 ||
	      (err = project_meta(st, seats, base, file, file_base, base_name)) < 0)) ||
	    (err = composite(&doc, t, seats, base, p)) < 0)
		goto done;
	err = bloc__finish_doc(out, &doc, "application/json; charset=utf-8");
done:
	bloc_buf_dispose(&doc);
	bloc_table_free(seats);
	bloc_table_free(t);
	return err;
}

/* A party given national shares that fights fewer than three-quarters of the seats of the
 * nations where it stands at all (the Brexit Party fought 336 seats of the 2019 notional result):
 * its share is held in those seats alone, which may not be what was meant. */
static int warn_few_candidates(bloc_answer *out, const bloc_contest *base, const bloc_scenario *sc,
                               const bloc_projection *p)
{
	size_t k, i, j, s, n, voted;
	int err;

	for (k = 0; k < sc->nareas; k++) {
		if (*sc->areas[k].area)
			continue;
		for (i = 0; i < sc->areas[k].n; i++) {
			for (j = 0;
			     j < p->nparties && p->parties[j] != sc->areas[k].shares[i].party; j++)
				;
			if (j == p->nparties || !(sc->areas[k].shares[i].value > 0))
				continue;
			/* the seats of the nations it fights at all (a handful of nations) */
			const char *nations[8];
			size_t nn = 0, t;
			for (s = 0; s < p->nseats; s++) {
				if (!p->cand[s * p->nparties + j])
					continue;
				for (t = 0; t < nn && strcmp(nations[t], base->nation[s]) != 0; t++)
					;
				if (t == nn && nn < 8)
					nations[nn++] = base->nation[s];
			}
			for (s = 0, n = 0, voted = 0; s < p->nseats; s++) {
				if (!(base->valid[s] > 0))
					continue;
				for (t = 0; t < nn && strcmp(nations[t], base->nation[s]) != 0; t++)
					;
				voted += t < nn;
				n += p->cand[s * p->nparties + j] != 0;
			}
			if (4 * n < 3 * voted &&
			    (err = bloc__warn(
			         out,
			         "warning: %s has candidates in %zu of the %zu seats of the "
			         "nations it fights in %s: its national share is held in "
			         "those seats alone (if it will fight more, stand them: "
			         "--stand %s@GB)",
			         bloc_party_code(p->parties[j]), n, voted, base->id,
			         bloc_party_code(p->parties[j]))) < 0)
				return err;
		}
	}
	return BLOC_OK;
}

/* An EI baseline from a run that did not converge is said so (the estimate is cached: asking
 * the store again costs nothing). */
static int warn_ei_baseline(bloc_answer *out, bloc_store *st, const bloc_contest *base,
                            const bloc_scenario *sc)
{
	bloc_ei_seat_options o;
	size_t g;
	int err;

	if (sc->baseline != BLOC_BASELINE_EI)
		return BLOC_OK;
	bloc_ei_seat_options_scenario(&o, sc);
	o.only_cached = 1;
	for (g = 0; g < sc->ngroups; g++) {
		const bloc_ei_seats *x;
		if (bloc_store_ei_seats(st, base, sc->groups[g].group, &o, &x) < 0) {
			bloc_error_clear();
			continue;
		}
		if (!x->converged &&
		    (err = bloc__warn(
		         out,
		         "warning: baseline ei: the %s estimate did not converge (%zu "
		         "sweeps per chain, largest R-hat %.3f): read bloc ei %s --groups "
		         "%s --method rxc --by seat, or ask for more draws "
		         "(--baseline ei:draws=N)",
		         x->group, x->sweeps, x->max_rhat, base->id, x->group)) < 0)
			return err;
	}
	return BLOC_OK;
}

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
	if ((err = bloc_scenario_set(&sc, "base", base_name)) == BLOC_OK &&
	    (err = bloc_store_contest(st, base_name, &base)) == BLOC_OK &&
	    (err = bloc__scenario_groups(st, base, &sc, groups)) == BLOC_OK &&
	    (err = bloc_store_project(st, &p, base, &sc, sc.ngroups ? groups : NULL)) == BLOC_OK &&
	    (err = warn_few_candidates(out, base, &sc, &p)) == BLOC_OK &&
	    (err = warn_ei_baseline(out, st, base, &sc)) == BLOC_OK)
		err = answer(out, st, r, base, &sc, sc.ngroups ? groups : NULL, &p, file, file_base,
		             base_name);
	bloc_projection_dispose(&p);
	return err;
}

const struct bloc__query bloc__q_project = {.name = "project",
                                            .size = sizeof(struct project_rq),
                                            .params = project_params,
                                            .check = check_project,
                                            .run = run_project};
