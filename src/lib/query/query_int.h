/* The query layer's inside: a question is a request struct, a table of its settings and a run
 * function (see docs/design.md, "Where a new question goes"). */
#ifndef BLOC_QUERY_INT_H
#define BLOC_QUERY_INT_H

#include "bloc/bloc.h"
#include "bloc/query.h"

#include <stddef.h>
#include <stdint.h>

/* How a setting's text becomes a value. */
enum bloc__param_kind {
	BLOC__P_TEXT,   /* const char *: a copy owned by the request */
	BLOC__P_FLAG,   /* int: 1 when given (no value) */
	BLOC__P_WHOLE,  /* unsigned long long in [lo, hi] */
	BLOC__P_REAL,   /* double in [lo, hi] */
	BLOC__P_CHOICE, /* int: the index of the value in `choices` */
	BLOC__P_PARTY,  /* bloc_party: a code or name of the registry */
	BLOC__P_SCENE,  /* a scenario setting, kept in order (shares, swing, region, group, ...) */
	BLOC__P_CUSTOM  /* set(): the question's own parser */
};

struct bloc__param {
	const char *key;
	enum bloc__param_kind kind;
	size_t offset;    /* of the value in the request struct (and of a "given" int, below) */
	const char *what; /* numbers: "a fraction from 0 to 1 (such as 0.87)" for messages */
	double lo, hi;    /* numbers: the range */
	int value_error;  /* 1: a bad value is a data error (BLOC_EINVAL), 0: a usage error */
	const char *const *choices; /* BLOC__P_CHOICE: NULL-terminated */
	int (*set)(void *rq, const char *key, const char *value);
};

/* Every request struct starts with this. */
struct bloc__request_head {
	/* text values kept for the request's life */
	char **strings;
	size_t nstrings, capstrings;
	/* every key given, in order, for "was it given" checks */
	const char *given[64];
	size_t ngiven;
	/* scenario settings in order (BLOC__P_SCENE) */
	struct {
		const char *key, *value;
	} scene[64];
	size_t nscene;
	/* this process's block of a simulation (bloc_request_partition); size 0: all */
	bloc_partition part;
};

struct bloc__query {
	const char *name;
	size_t size; /* of the request struct */
	const struct bloc__param *params;
	void (*init)(void *rq);
	/* settings that cannot go together, required ones: BLOC_EUSAGE */
	int (*check)(const void *rq);
	int (*run)(bloc_answer *out, bloc_store *st, const void *rq);
	/* does the answer come without the data directory (synthetic units, a units file)? */
	int (*no_data)(const void *rq);
	/* can it take seconds of CPU (a Monte Carlo, EI sampling)? */
	int heavy;
	/* the costs of a heavy question within `lim` (BLOC_EINVAL naming the setting)? */
	int (*within)(const void *rq, const bloc_limits *lim);
};

struct bloc_request {
	const struct bloc__query *q;
	void *v; /* the request struct; starts with struct bloc__request_head */
	bloc_limits lim;
};

/* A cost over its limit: "NAME: at most MAX here (WHY)", BLOC_EINVAL. */
int bloc__over_limit(const bloc_limits *lim, const char *name, unsigned long long max);

/* The largest whole number a setting can take (a seed). */
#define BLOC__WHOLE_MAX 18446744073709551615.0

/* The scenario settings every projecting question takes, by their scenario key. */
#define SCENE_PARAMS                                                                               \
	{"shares", BLOC__P_SCENE, 0, NULL, 0, 0, 1, NULL, NULL},                                   \
	    {"swing", BLOC__P_SCENE, 0, NULL, 0, 0, 1, NULL, NULL},                                \
	    {"region", BLOC__P_SCENE, 0, NULL, 0, 0, 1, NULL, NULL},                               \
	    {"group", BLOC__P_SCENE, 0, NULL, 0, 0, 1, NULL, NULL},                                \
	    {"model", BLOC__P_SCENE, 0, NULL, 0, 0, 1, NULL, NULL},                                \
	    {"threshold", BLOC__P_SCENE, 0, NULL, 0, 0, 1, NULL, NULL},                            \
	    {"adult-ratio", BLOC__P_SCENE, 0, NULL, 0, 0, 1, NULL, NULL},                          \
	    {"stand", BLOC__P_SCENE, 0, NULL, 0, 0, 1, NULL, NULL},                                \
	    {"baseline", BLOC__P_SCENE, 0, NULL, 0, 0, 1, NULL, NULL},                             \
	    {"hold-shares", BLOC__P_SCENE, 0, NULL, 0, 0, 1, NULL, NULL},                          \
	{                                                                                          \
		"turnout-ratio", BLOC__P_SCENE, 0, NULL, 0, 0, 1, NULL, NULL                       \
	}

extern const struct bloc__query bloc__q_elections, bloc__q_results, bloc__q_seat, bloc__q_swing,
    bloc__q_targets, bloc__q_indices, bloc__q_export, bloc__q_project, bloc__q_backtest,
    bloc__q_power, bloc__q_ei, bloc__q_ei_synth, bloc__q_forecast, bloc__q_simulate, bloc__q_map,
    bloc__q_chart, bloc__q_report;

/* Was `key` given? */
int bloc__given(const void *rq, const char *key);
/* A copy of s kept by the request (NULL + message on ENOMEM). */
const char *bloc__keep(void *rq, const char *s);
/* Add the store's data directory as the table's last metadata ("data"), as every answer has. */
int bloc__finish_table(bloc_answer *out, bloc_store *st, bloc_table *t);
/* Hand a buffer over as the answer's document. */
int bloc__finish_doc(bloc_answer *out, bloc_buf *doc, const char *type);
/* Append a line to the answer's warnings. */
int bloc__warn(bloc_answer *out, const char *fmt, ...) BLOC_PRINTF(2, 3);
/* A party by code or name; an unknown one is BLOC_EUSAGE naming `what` and listing the codes. */
int bloc__party(const char *what, const char *label, bloc_party *out);
/* "A,B" as two different parties (swing's and the charts' --pair). */
int bloc__pair(const char *text, bloc_party *a, bloc_party *b, int same_says_text);

/* A forecast request run once for the report: its party table (out[0]), its seat-distribution
 * chart (out[1]) and its probability map (out[2]), from the same simulations. */
int bloc__forecast_report(bloc_answer out[3], bloc_store *st, const bloc_request *rq);

/* A simulate request (one seat) run once for the report: its candidate table (out[0]) and its
 * chart as an inline SVG (out[1]), from the same replicates. */
int bloc__simulate_report(bloc_answer out[2], bloc_store *st, const bloc_request *rq);

/* The scenario of a request: the file (if any; "-" stdin) through the store, then every
 * scenario setting in order. `skip_plain_group`: a group value without ':' is not a scenario
 * setting (bloc report's --group NAME). *given says whether anything was set. */
int bloc__scenario(bloc_store *st, const void *rq, const char *file, const char *json,
                   int skip_plain_group, bloc_scenario *sc, int *given);
/* The census shares of every scenario group of sc for contest c, side by side (NULL if none). */
int bloc__scenario_groups(bloc_store *st, const bloc_contest *c, const bloc_scenario *sc,
                          bloc_group_shares *groups);

#endif
