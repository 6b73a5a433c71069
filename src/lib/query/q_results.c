/* The questions about one contest as it was: the catalogue, results, one seat, targets, indices
 * and the canonical CSV. */
#include "query_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OFF(type, field) offsetof(struct type, field)

/* ---- elections ---- */

struct elections_rq {
	struct bloc__request_head h;
};

static int run_elections(bloc_answer *out, bloc_store *st, const void *rq)
{
	bloc_table *t = NULL;
	int err;

	(void)rq;
	if ((err = bloc_render_catalog(&t, bloc_store_catalog(st))) < 0)
		return err;
	return bloc__finish_table(out, st, t);
}

const struct bloc__query bloc__q_elections = {
    .name = "elections", .size = sizeof(struct elections_rq), .run = run_elections};

/* ---- results ---- */

static const char *const by_results[] = {"uk", "nation", "region", "seat", NULL};

struct results_rq {
	struct bloc__request_head h;
	const char *contest;
	int by; /* index in by_results, which is bloc_grouping's order then seat */
};

static const struct bloc__param results_params[] = {
    {"contest", BLOC__P_TEXT, OFF(results_rq, contest), NULL, 0, 0, 0, NULL, NULL},
    {"by", BLOC__P_CHOICE, OFF(results_rq, by), "uk, nation, region or seat", 0, 0, 0, by_results,
     NULL},
    {NULL, 0, 0, NULL, 0, 0, 0, NULL, NULL}};

static int need_contest(const char *contest)
{
	if (!contest || !*contest)
		return bloc_error_set(BLOC_EUSAGE, "expected CONTEST (a catalogue id or a file)");
	return BLOC_OK;
}

/* A table of one contest from its seat results: what results, seat, targets and indices share. */
typedef int (*contest_table_fn)(bloc_table **t, const bloc_contest *c, const bloc_seat_results *sr,
                                const void *rq);

static int contest_table(bloc_answer *out, bloc_store *st, const char *name, const void *rq,
                         contest_table_fn fn)
{
	const bloc_contest *c;
	bloc_seat_results sr = {0};
	bloc_table *t = NULL;
	int err;

	if ((err = bloc_store_contest(st, name, &c)) < 0 ||
	    (err = bloc_seat_results_compute(&sr, c)) < 0 || (err = fn(&t, c, &sr, rq)) < 0 ||
	    (err = bloc_store_meta_source(st, t, "source", c)) < 0) {
		bloc_table_free(t);
	} else {
		err = bloc__finish_table(out, st, t);
	}
	bloc_seat_results_dispose(&sr);
	return err;
}

static int check_results(const void *rq)
{
	return need_contest(((const struct results_rq *)rq)->contest);
}

static int results_table(bloc_table **t, const bloc_contest *c, const bloc_seat_results *sr,
                         const void *rq)
{
	const struct results_rq *r = rq;
	bloc_totals tot = {0};
	int err;

	if (r->by == 3)
		return bloc_render_seat_results(t, c, sr);
	if ((err = bloc_totals_compute(&tot, c, sr, r->by)) == BLOC_OK)
		err = bloc_render_totals(t, c, &tot, r->by);
	bloc_totals_dispose(&tot);
	return err;
}

static int run_results(bloc_answer *out, bloc_store *st, const void *rq)
{
	return contest_table(out, st, ((const struct results_rq *)rq)->contest, rq, results_table);
}

const struct bloc__query bloc__q_results = {.name = "results",
                                            .size = sizeof(struct results_rq),
                                            .params = results_params,
                                            .check = check_results,
                                            .run = run_results};

/* ---- seat ---- */

struct seat_rq {
	struct bloc__request_head h;
	const char *contest, *seat;
};

static const struct bloc__param seat_params[] = {
    {"contest", BLOC__P_TEXT, OFF(seat_rq, contest), NULL, 0, 0, 0, NULL, NULL},
    {"seat", BLOC__P_TEXT, OFF(seat_rq, seat), NULL, 0, 0, 0, NULL, NULL},
    {NULL, 0, 0, NULL, 0, 0, 0, NULL, NULL}};

static int check_seat(const void *rq)
{
	const struct seat_rq *r = rq;

	if (need_contest(r->contest) < 0 || !r->seat || !*r->seat)
		return bloc_error_set(BLOC_EUSAGE, "expected CONTEST SEAT");
	return BLOC_OK;
}

static int seat_table(bloc_table **t, const bloc_contest *c, const bloc_seat_results *sr,
                      const void *rq)
{
	size_t seat = 0;
	int err;

	if ((err = bloc_contest_find_seat(c, ((const struct seat_rq *)rq)->seat, &seat)) < 0)
		return err;
	return bloc_render_candidates(t, c, sr, seat);
}

static int run_seat(bloc_answer *out, bloc_store *st, const void *rq)
{
	return contest_table(out, st, ((const struct seat_rq *)rq)->contest, rq, seat_table);
}

const struct bloc__query bloc__q_seat = {.name = "seat",
                                         .size = sizeof(struct seat_rq),
                                         .params = seat_params,
                                         .check = check_seat,
                                         .run = run_seat};

/* ---- targets ---- */

struct targets_rq {
	struct bloc__request_head h;
	const char *contest;
	bloc_party party;
	unsigned long long limit;
};

static int set_target_party(void *rq, const char *key, const char *value)
{
	(void)key;
	return bloc__party("PARTY", value, &((struct targets_rq *)rq)->party);
}

static const struct bloc__param targets_params[] = {
    {"contest", BLOC__P_TEXT, OFF(targets_rq, contest), NULL, 0, 0, 0, NULL, NULL},
    {"party", BLOC__P_CUSTOM, 0, NULL, 0, 0, 0, NULL, set_target_party},
    {"limit", BLOC__P_WHOLE, OFF(targets_rq, limit), NULL, 1, 1e15, 0, NULL, NULL},
    {NULL, 0, 0, NULL, 0, 0, 0, NULL, NULL}};

static void init_targets(void *rq)
{
	((struct targets_rq *)rq)->party = BLOC_PARTY_NONE;
}

static int check_targets(const void *rq)
{
	const struct targets_rq *r = rq;

	if (need_contest(r->contest) < 0 || r->party == BLOC_PARTY_NONE)
		return bloc_error_set(BLOC_EUSAGE, "expected CONTEST PARTY");
	return BLOC_OK;
}

static int targets_table(bloc_table **t, const bloc_contest *c, const bloc_seat_results *sr,
                         const void *rq)
{
	const struct targets_rq *r = rq;
	bloc_targets tg = {0};
	int err;

	if ((err = bloc_targets_compute(&tg, c, sr, r->party)) == BLOC_OK)
		err = bloc_render_targets(t, c, &tg, r->party, (size_t)r->limit);
	bloc_targets_dispose(&tg);
	return err;
}

static int run_targets(bloc_answer *out, bloc_store *st, const void *rq)
{
	return contest_table(out, st, ((const struct targets_rq *)rq)->contest, rq, targets_table);
}

const struct bloc__query bloc__q_targets = {.name = "targets",
                                            .size = sizeof(struct targets_rq),
                                            .params = targets_params,
                                            .init = init_targets,
                                            .check = check_targets,
                                            .run = run_targets};

/* ---- indices ---- */

struct indices_rq {
	struct bloc__request_head h;
	const char *contest;
	int wasted;
};

static const struct bloc__param indices_params[] = {
    {"contest", BLOC__P_TEXT, OFF(indices_rq, contest), NULL, 0, 0, 0, NULL, NULL},
    {"wasted", BLOC__P_FLAG, OFF(indices_rq, wasted), NULL, 0, 0, 0, NULL, NULL},
    {NULL, 0, 0, NULL, 0, 0, 0, NULL, NULL}};

static int check_indices(const void *rq)
{
	return need_contest(((const struct indices_rq *)rq)->contest);
}

static int indices_table(bloc_table **t, const bloc_contest *c, const bloc_seat_results *sr,
                         const void *rq)
{
	bloc_indices x = {0};
	int err;

	if ((err = bloc_indices_compute(&x, c, sr)) == BLOC_OK)
		err = ((const struct indices_rq *)rq)->wasted ? bloc_render_wasted(t, c, &x)
		                                              : bloc_render_indices(t, c, &x);
	bloc_indices_dispose(&x);
	return err;
}

static int run_indices(bloc_answer *out, bloc_store *st, const void *rq)
{
	return contest_table(out, st, ((const struct indices_rq *)rq)->contest, rq, indices_table);
}

const struct bloc__query bloc__q_indices = {.name = "indices",
                                            .size = sizeof(struct indices_rq),
                                            .params = indices_params,
                                            .check = check_indices,
                                            .run = run_indices};

/* ---- export ---- */

struct export_rq {
	struct bloc__request_head h;
	const char *contest;
};

static const struct bloc__param export_params[] = {
    {"contest", BLOC__P_TEXT, OFF(export_rq, contest), NULL, 0, 0, 0, NULL, NULL},
    {NULL, 0, 0, NULL, 0, 0, 0, NULL, NULL}};

static int check_export(const void *rq)
{
	return need_contest(((const struct export_rq *)rq)->contest);
}

static int run_export(bloc_answer *out, bloc_store *st, const void *rq)
{
	const bloc_contest *c;
	char *text = NULL;
	size_t len = 0;
	FILE *fp;
	int err;

	if ((err = bloc_store_contest(st, ((const struct export_rq *)rq)->contest, &c)) < 0)
		return err;
	if (!(fp = open_memstream(&text, &len)))
		return bloc_error_oom("exporting %s", c->id);
	err = bloc_contest_write_canonical(c, fp);
	if (fclose(fp) != 0 && err == BLOC_OK)
		err = bloc_error_oom("exporting %s", c->id);
	if (err < 0) {
		free(text);
		return err;
	}
	/* open_memstream's buffer is malloc'd: hand it over as the answer's */
	out->doc = text;
	out->doc_len = len;
	out->doc_type = "text/csv; charset=utf-8";
	return BLOC_OK;
}

const struct bloc__query bloc__q_export = {.name = "export",
                                           .size = sizeof(struct export_rq),
                                           .params = export_params,
                                           .check = check_export,
                                           .run = run_export};
