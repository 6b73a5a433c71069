/* bloc — queries: one library call per question a user asks. A front-end (the CLI, the server, a
 * binding) builds a request from what it was given — flags, query arguments, JSON — with the same
 * setters, runs it against a store, and writes the answer: a table with its metadata, or a
 * document (SVG, HTML, CSV). The same request gives the same answer, byte for byte, whoever asks.
 *
 *	bloc_store *st;
 *	bloc_request *rq;
 *	bloc_answer a = BLOC_ANSWER_INIT;
 *
 *	if ((err = bloc_store_open(&st, bloc_store_default_dir(NULL), NULL)) < 0 ||
 *	    (err = bloc_request_new(&rq, "project")) < 0 ||
 *	    (err = bloc_request_set(rq, "base", "ge2024")) < 0 ||
 *	    (err = bloc_request_set(rq, "shares", "LAB=34,CON=24")) < 0 ||
 *	    (err = bloc_query_run(&a, st, rq)) < 0)
 *		goto done;                         (bloc_error_last() says what went wrong)
 *	err = bloc_table_write(a.table, stdout, BLOC_FORMAT_CSV);
 */
#ifndef BLOC_QUERY_H
#define BLOC_QUERY_H

#include <stddef.h>
#include <stdint.h>

#include "render.h"
#include "store.h"

#ifdef __cplusplus
extern "C" {
#endif

/** What a query answers. Exactly one of table and doc is set after a successful run. */
typedef struct {
	bloc_table *table; /* a table with its metadata */
	char *doc;         /* or a document (free()), doc_len bytes, NUL-terminated */
	size_t doc_len;
	const char
	    *doc_type; /* its media type: "image/svg+xml", "text/html; charset=utf-8", "text/csv" */
	/* a second document written beside the first (ei-synth's truth: FILE.truth.csv) */
	char *aux;
	size_t aux_len;
	const char *aux_suffix; /* ".truth.csv" */
	/* warnings for standard error, one per line ("seats without a hex: ..."), or NULL */
	char *warnings;
} bloc_answer;

#define BLOC_ANSWER_INIT                                                                           \
	{                                                                                          \
		NULL, NULL, 0, NULL, NULL, 0, NULL, NULL                                           \
	}

/** Free what the answer holds and zero it; accepts a zeroed or disposed answer. */
void bloc_answer_dispose(bloc_answer *a);

/** The questions, by name: elections, results, seat, swing, targets, indices, export, project,
 * backtest, power, ei, ei-synth, forecast, map, chart, report. */
size_t bloc_query_count(void);
const char *bloc_query_name(size_t i);

/** Can question `name` take seconds of CPU (a Monte Carlo, EI sampling)? 1 yes, 0 no, -1 no such
 * question. A server runs these apart from the cheap ones. */
int bloc_query_heavy(const char *name);

typedef struct bloc_request bloc_request;

/**
 * A new request for question `query`, every setting at its default. The caller owns *out.
 * @return BLOC_OK, BLOC_ENOTFOUND (no such question: the message lists them), BLOC_ENOMEM.
 */
int bloc_request_new(bloc_request **out, const char *query);
void bloc_request_free(bloc_request *rq);
const char *bloc_request_query(const bloc_request *rq);

/**
 * Set `key` to `value` (text as typed: "0.87", "LAB=34,CON=24"; NULL for a flag that takes no
 * value). Settings that add up (scenario shares, swings, groups; power's support) apply in the
 * order given, a later value for the same party replacing an earlier one.
 * @return BLOC_OK; BLOC_EUSAGE (an unknown key, a malformed value, or one a command line would
 *         call a usage error); BLOC_EINVAL/BLOC_ENUMERIC/BLOC_ENOTFOUND (a value out of range or
 *         naming something unknown); BLOC_ENOMEM. The message names the key.
 */
int bloc_request_set(bloc_request *rq, const char *key, const char *value);

/** Is `key` a setting of this request's question that takes no value (a flag)? -1 if unknown. */
int bloc_request_is_flag(const bloc_request *rq, const char *key);

/** The values setting `key` of this request's question can take, when it is one of a fixed set
 * ("party", "seat", ... for project's `by`): a NULL-terminated list in static storage; NULL when
 * the setting takes other values or is unknown. For help and shell completion. */
const char *const *bloc_request_choices(const bloc_request *rq, const char *key);

/**
 * Set every member of a JSON object: {"key": "text" | number | true | {...} | [...]}. Strings and
 * numbers are set as text, true as a flag (false leaves it unset), an object or array as its JSON
 * text (a scenario). @return as bloc_request_set, plus BLOC_EPARSE (not a JSON object).
 */
int bloc_request_set_json(bloc_request *rq, const char *json, size_t len);

/** What one request may cost, as a server sets it; 0 is no limit. */
typedef struct {
	unsigned long long max_sims; /* power: Monte Carlo simulations */
	unsigned long long
	    max_draws; /* ei with method king or rxc: draws (sweeps), given or default */
	unsigned long long max_units; /* ei-synth: synthetic units */
	int fixed_threads;            /* `threads` is not a setting: the caller decides */
	const char *why;              /* said after a refusal: "the CLI runs longer" (or NULL) */
} bloc_limits;

/**
 * Put limits on what the request may cost. They are checked when it runs, against the values it
 * will use (given as flags, arguments or JSON, or the defaults): a value over a limit is
 * BLOC_EINVAL, `threads` under fixed_threads BLOC_EUSAGE, each naming the setting. `lim` is
 * copied. @return BLOC_OK.
 */
int bloc_request_limit(bloc_request *rq, const bloc_limits *lim);

/** Split a request's simulations among processes (MPI ranks): this process runs block `rank`
 * of `size` equal blocks of the simulation index, then `reduce` sums each array of counts over
 * the processes in place (every process gets the sums: MPI_Allreduce with MPI_SUM), so every
 * process answers with the same figures as one process running them all. Used by forecast and
 * simulate. */
typedef int (*bloc_reduce_fn)(uint64_t *counts, size_t n, void *ctx);
typedef struct {
	unsigned rank, size;
	bloc_reduce_fn reduce;
	void *ctx;
} bloc_partition;

/** Give the request a partition (copied). @return BLOC_OK, BLOC_EINVAL (rank >= size, or no
 * reduce with size > 1). */
int bloc_request_partition(bloc_request *rq, const bloc_partition *part);

/**
 * Answer the request from the store's data. Clears the last error first: a failure's message is
 * always this call's. *out is zeroed first; the caller disposes it.
 * @return BLOC_OK; BLOC_EUSAGE (settings that cannot go together, a required one missing); or the
 *         error of the step that failed, its message prefixed with what was being done.
 */
int bloc_query_run(bloc_answer *out, bloc_store *st, const bloc_request *rq);

#ifdef __cplusplus
}
#endif
#endif
