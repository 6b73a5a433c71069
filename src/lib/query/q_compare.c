/* The questions that compare two contests: swing and backtest. */
#include "query_int.h"

#include "../core/alloc.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#define OFF(type, field) offsetof(struct type, field)

/* ---- swing ---- */

struct swing_rq {
	struct bloc__request_head h;
	const char *from, *to, *pair, *nation, *region;
};

static const struct bloc__param swing_params[] = {
    {"from", BLOC__P_TEXT, OFF(swing_rq, from), NULL, 0, 0, 0, NULL, NULL},
    {"to", BLOC__P_TEXT, OFF(swing_rq, to), NULL, 0, 0, 0, NULL, NULL},
    {"pair", BLOC__P_TEXT, OFF(swing_rq, pair), NULL, 0, 0, 0, NULL, NULL},
    {"nation", BLOC__P_TEXT, OFF(swing_rq, nation), NULL, 0, 0, 0, NULL, NULL},
    {"region", BLOC__P_TEXT, OFF(swing_rq, region), NULL, 0, 0, 0, NULL, NULL},
    {NULL, 0, 0, NULL, 0, 0, 0, NULL, NULL}};

static int check_swing(const void *rq)
{
	const struct swing_rq *r = rq;
	bloc_party a, b;

	if (!r->from || !*r->from)
		return bloc_error_set(BLOC_EUSAGE, "expected FROM [TO]");
	if (!r->pair)
		return bloc_error_set(BLOC_EUSAGE,
		                      "--pair A,B is required (for example --pair CON,LAB)");
	return bloc__pair(r->pair, &a, &b, 0);
}

/* A comma-separated list of names, each spelt as in the contests (to first, then from): the
 * names point into the contests. A name no seat has is a usage error listing those there are. */
static int filter_names(const char *opt, int regions, const char *value, const char **items,
                        size_t max, const bloc_contest *from, const bloc_contest *to)
{
	const bloc_contest *const cs[2] = {to, from};
	size_t n = 0, i, s, k;
	const char *p = value;

	for (;;) {
		size_t len = strcspn(p, ",");
		const char *found = NULL;
		char name[256];
		while (len && *p == ' ')
			p++, len--;
		while (len && p[len - 1] == ' ')
			len--;
		snprintf(name, sizeof(name), "%.*s", (int)len, p);
		for (k = 0; *name && k < 2 && !found; k++) {
			char **names = regions ? cs[k]->region : cs[k]->nation;
			for (s = 0; s < cs[k]->nseats && !found; s++)
				if (strcasecmp(names[s], name) == 0)
					found = names[s];
		}
		if (*name && !found) {
			char known[1024];
			size_t used = 0;
			char **names = regions ? to->region : to->nation;
			known[0] = '\0';
			for (s = 0; s < to->nseats && used < sizeof(known); s++) {
				for (i = 0; i < s && strcmp(names[i], names[s]) != 0; i++)
					;
				if (i == s && *names[s])
					used +=
					    (size_t)snprintf(known + used, sizeof(known) - used,
					                     "%s%s", used ? ", " : "", names[s]);
			}
			return bloc_error_set(BLOC_EUSAGE,
			                      "--%s: no seat of %s is in '%s' (%ss: %s)", opt,
			                      to->id, name, opt, *known ? known : "none recorded");
		}
		if (found) {
			if (n + 1 >= max)
				return bloc_error_set(BLOC_EUSAGE, "--%s: at most %zu names", opt,
				                      max - 1);
			items[n++] = found;
		}
		p += strcspn(p, ",");
		if (!*p)
			break;
		p++;
	}
	if (n == 0)
		return bloc_error_set(BLOC_EUSAGE, "--%s: expected one or more names, got '%s'",
		                      opt, value);
	items[n] = NULL;
	return BLOC_OK;
}

static int meta_names(bloc_table *t, const char *key, const char *const *items)
{
	int err;

	for (; items && *items; items++)
		if ((err = bloc_table_meta(t, key, "%s", *items)) < 0)
			return err;
	return BLOC_OK;
}

/* FROM and TO, or FROM and the contest before it in the catalogue (its 'previous' column): the
 * earlier contest becomes *from, FROM itself *to. */
static int open_pair(bloc_store *st, const char *from_name, const char *to_name,
                     const bloc_contest **from, const bloc_contest **to, const char **note)
{
	int err;

	*note = NULL;
	if (to_name)
		return bloc_store_contest_pair(st, from_name, to_name, from, to, note);
	if ((err = bloc_store_contest_previous(st, from_name, from)) < 0)
		return err;
	return bloc_store_contest(st, from_name, to);
}

#define MAX_NAMES 64

static int run_swing(bloc_answer *out, bloc_store *st, const void *rq)
{
	const struct swing_rq *r = rq;
	const char *nations[MAX_NAMES] = {NULL}, *regions[MAX_NAMES] = {NULL};
	bloc_seat_filter filter = {NULL, NULL};
	const bloc_contest *from, *to;
	bloc_seat_results rfrom = {0}, rto = {0};
	bloc_swing s = {0};
	bloc_party pa, pb;
	bloc_table *t = NULL;
	const char *note;
	int err;

	if ((err = bloc__pair(r->pair, &pa, &pb, 0)) < 0 ||
	    (err = open_pair(st, r->from, r->to, &from, &to, &note)) < 0)
		return err;
	if ((r->nation &&
	     (err = filter_names("nation", 0, r->nation, nations, MAX_NAMES, from, to)) < 0) ||
	    (r->region &&
	     (err = filter_names("region", 1, r->region, regions, MAX_NAMES, from, to)) < 0))
		return err;
	filter.nations = r->nation ? nations : NULL;
	filter.regions = r->region ? regions : NULL;
	if ((err = bloc_seat_results_compute(&rfrom, from)) < 0 ||
	    (err = bloc_seat_results_compute(&rto, to)) < 0 ||
	    (err = bloc_swing_compute(&s, from, to, pa, pb, &filter)) < 0 ||
	    (err = bloc_render_swing(&t, from, to, &rfrom, &rto, &s)) < 0 ||
	    (err = meta_names(t, "nation", filter.nations)) < 0 ||
	    (err = meta_names(t, "region", filter.regions)) < 0 ||
	    (note && (err = bloc_table_meta(t, "note", "%s", note)) < 0) ||
	    (!r->to &&
	     (err = bloc_table_meta(t, "note",
	                            "only %s was named: it is compared with %s, the contest "
	                            "before it (CATALOG.csv's column 'previous', else the "
	                            "latest general election on the same boundaries dated "
	                            "before it)",
	                            to->id, from->id)) < 0) ||
	    (err = bloc_store_meta_source(st, t, "from_source", from)) < 0 ||
	    (err = bloc_store_meta_source(st, t, "to_source", to)) < 0)
		goto done;
	err = bloc__finish_table(out, st, t);
	t = NULL;
done:
	bloc_table_free(t);
	bloc_swing_dispose(&s);
	bloc_seat_results_dispose(&rto);
	bloc_seat_results_dispose(&rfrom);
	return err;
}

const struct bloc__query bloc__q_swing = {.name = "swing",
                                          .size = sizeof(struct swing_rq),
                                          .params = swing_params,
                                          .check = check_swing,
                                          .run = run_swing};

/* ---- backtest ---- */

struct backtest_rq {
	struct bloc__request_head h;
	const char *from, *to;
	int model, level, wrong;
	double threshold;
};

static int set_model(void *rq, const char *key, const char *value)
{
	(void)key;
	if (bloc_model_parse(value, &((struct backtest_rq *)rq)->model) < 0)
		return bloc_error_set(BLOC_EUSAGE,
		                      "--model: expected uniform, proportional, transition or "
		                      "strong, got '%s'",
		                      value);
	return BLOC_OK;
}

static int set_level(void *rq, const char *key, const char *value)
{
	(void)key;
	if (bloc_level_parse(value, &((struct backtest_rq *)rq)->level) < 0)
		return bloc_error_set(BLOC_EUSAGE,
		                      "--by: expected uk, gb, nation or region, got '%s'", value);
	return BLOC_OK;
}

static const struct bloc__param backtest_params[] = {
    {"from", BLOC__P_TEXT, OFF(backtest_rq, from), NULL, 0, 0, 0, NULL, NULL},
    {"to", BLOC__P_TEXT, OFF(backtest_rq, to), NULL, 0, 0, 0, NULL, NULL},
    {"model", BLOC__P_CUSTOM, 0, NULL, 0, 0, 0, NULL, set_model},
    {"by", BLOC__P_CUSTOM, 0, NULL, 0, 0, 0, NULL, set_level},
    {"threshold", BLOC__P_REAL, OFF(backtest_rq, threshold),
     "a fraction of turnout above 0 and below 1 (such as 0.2)", 1e-300, 1 - 1e-16, 0, NULL, NULL},
    {"wrong", BLOC__P_FLAG, OFF(backtest_rq, wrong), NULL, 0, 0, 0, NULL, NULL},
    {NULL, 0, 0, NULL, 0, 0, 0, NULL, NULL}};

static void init_backtest(void *rq)
{
	struct backtest_rq *r = rq;

	r->model = BLOC_MODEL_UNIFORM;
	r->level = BLOC_LEVEL_GB;
	r->threshold = 0.20;
}

static int check_backtest(const void *rq)
{
	const struct backtest_rq *r = rq;

	if (!r->from || !*r->from || !r->to || !*r->to)
		return bloc_error_set(BLOC_EUSAGE, "expected FROM TO");
	return BLOC_OK;
}

static int run_backtest(bloc_answer *out, bloc_store *st, const void *rq)
{
	const struct backtest_rq *r = rq;
	const bloc_contest *from, *to;
	bloc_backtest b = {0};
	bloc_table *t = NULL;
	const char *note = NULL;
	int err;

	if ((err = bloc_store_contest_pair(st, r->from, r->to, &from, &to, &note)) < 0 ||
	    (err = bloc_backtest_run(&b, from, to, r->model, r->threshold, r->level)) < 0 ||
	    (err = (r->wrong ? bloc_render_backtest_wrong(&t, from, to, &b, r->model, r->threshold,
	                                                  r->level)
	                     : bloc_render_backtest(&t, from, to, &b, r->model, r->threshold,
	                                            r->level))) < 0 ||
	    (note && (err = bloc_table_meta(t, "note", "%s", note)) < 0) ||
	    (err = bloc_store_meta_source(st, t, "from_source", from)) < 0 ||
	    (err = bloc_store_meta_source(st, t, "to_source", to)) < 0)
		goto done;
	err = bloc__finish_table(out, st, t);
	t = NULL;
done:
	bloc_table_free(t);
	bloc_backtest_dispose(&b);
	return err;
}

const struct bloc__query bloc__q_backtest = {.name = "backtest",
                                             .size = sizeof(struct backtest_rq),
                                             .params = backtest_params,
                                             .init = init_backtest,
                                             .check = check_backtest,
                                             .run = run_backtest};
