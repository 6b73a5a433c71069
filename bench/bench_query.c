/* bench_query: one question asked N times through the public query API, as a binding asks it.
 *
 * The store is opened once and the question asked once untimed (its contest, census and
 * projector are loaded then); then each of the N timed calls makes a request, sets every
 * KEY=VALUE in order (bloc_request_set), runs it (bloc_query_run), reads every cell of the answer
 * with the table accessors (what a binding does to hand the table over) and frees it all.
 * Printed: the calls, microseconds per call (the median of --rounds rounds of N calls; also its
 * CPU time, which a busy machine disturbs less than the wall clock), and the
 * rows and a checksum of the last answer (the sum of its integer and real cells), so that two
 * front-ends can show they got the same answer, and the bytes of text read from it.
 *
 *   bench_query [--data DIR] [--calls N] [--rounds R] QUESTION [KEY=VALUE ...]
 *   bench_query --calls 1000 project base=ge2024 shares=LAB=34,CON=24 group=muslim:LAB=-20
 *
 * bench/python_project.py runs it beside the same loop in Python (bindings/python). */
#include "bloc/error.h"
#include "bloc/query.h"
#include "bloc/render.h"
#include "bloc/store.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_SETTINGS 32
#define MAX_ROUNDS   101

static double clock_us(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Every cell and metadata entry read as a binding reads them: the sum of the numbers, and the
 * bytes of text in *text. */
static double walk(const bloc_table *t, size_t *text)
{
	size_t r, c, nrows = bloc_table_nrows(t), ncols = bloc_table_ncols(t);
	double sum = 0;

	for (c = 0; c < ncols; c++) {
		bloc_col_type type = bloc_table_column_type(t, c);
		for (r = 0; r < nrows; r++) {
			if (type == BLOC_COL_REAL) {
				double v = bloc_table_real(t, r, c);
				sum += isnan(v) ? 0 : v;
			} else if (type == BLOC_COL_INT) {
				if (!bloc_table_is_missing(t, r, c))
					sum += (double)bloc_table_int(t, r, c);
			} else {
				const char *s = bloc_table_string(t, r, c);
				*text += s ? strlen(s) : 0;
			}
		}
	}
	for (r = 0; r < bloc_table_nmeta(t); r++)
		*text += strlen(bloc_table_meta_value(t, r));
	return sum;
}

/* Ask once: request, settings, run, read, free. */
static int ask(bloc_store *st, const char *question, char **keys, char **values, size_t n,
               size_t *rows, double *sum, size_t *text)
{
	bloc_answer a = BLOC_ANSWER_INIT;
	bloc_request *rq = NULL;
	size_t i;
	int err;

	if ((err = bloc_request_new(&rq, question)) < 0)
		return err;
	for (i = 0; i < n; i++)
		if ((err = bloc_request_set(rq, keys[i], values[i])) < 0)
			goto done;
	if ((err = bloc_query_run(&a, st, rq)) < 0)
		goto done;
	if (a.table) {
		*rows = bloc_table_nrows(a.table);
		*text = 0;
		*sum = walk(a.table, text);
	} else {
		*rows = 0;
		*sum = 0;
		*text = a.doc_len;
	}
done:
	bloc_answer_dispose(&a);
	bloc_request_free(rq);
	return err;
}

int main(int argc, char **argv)
{
	const char *data = NULL, *question = NULL;
	char *keys[MAX_SETTINGS], *values[MAX_SETTINGS];
	double t[MAX_ROUNDS], cpu[MAX_ROUNDS], sum = 0;
	long calls = 1000, rounds = 5, i, k;
	size_t n = 0, rows = 0, text = 0;
	bloc_store *st = NULL;
	int argi, rc = 1;

	for (argi = 1; argi < argc && argv[argi][0] == '-'; argi += 2) {
		if (argi + 1 >= argc)
			goto usage;
		if (strcmp(argv[argi], "--data") == 0)
			data = argv[argi + 1];
		else if (strcmp(argv[argi], "--calls") == 0)
			calls = strtol(argv[argi + 1], NULL, 10);
		else if (strcmp(argv[argi], "--rounds") == 0)
			rounds = strtol(argv[argi + 1], NULL, 10);
		else
			goto usage;
	}
	if (argi >= argc || calls < 1 || rounds < 1 || rounds > MAX_ROUNDS)
		goto usage;
	question = argv[argi++];
	for (; argi < argc; argi++) {
		char *eq = strchr(argv[argi], '=');
		if (!eq || n == MAX_SETTINGS)
			goto usage;
		*eq = '\0';
		keys[n] = argv[argi];
		values[n++] = eq + 1;
	}
	if (bloc_store_open(&st, bloc_store_default_dir(data), NULL) < 0 ||
	    ask(st, question, keys, values, n, &rows, &sum, &text) < 0) {
		fprintf(stderr, "bench_query: %s\n", bloc_error_last());
		goto done;
	}
	for (k = 0; k < rounds; k++) {
		double t0 = clock_us(CLOCK_MONOTONIC), c0 = clock_us(CLOCK_PROCESS_CPUTIME_ID);
		for (i = 0; i < calls; i++)
			if (ask(st, question, keys, values, n, &rows, &sum, &text) < 0) {
				fprintf(stderr, "bench_query: %s\n", bloc_error_last());
				goto done;
			}
		t[k] = (clock_us(CLOCK_MONOTONIC) - t0) / (double)calls;
		cpu[k] = (clock_us(CLOCK_PROCESS_CPUTIME_ID) - c0) / (double)calls;
	}
	qsort(t, (size_t)rounds, sizeof(double), cmp_double);
	qsort(cpu, (size_t)rounds, sizeof(double), cmp_double);
	printf("calls %ld\nus_per_call %.2f\nus_per_call_min %.2f\ncpu_us_per_call %.2f\nrows %zu\n"
	       "checksum %.6f\ntext_bytes %zu\n",
	       calls, t[rounds / 2], t[0], cpu[rounds / 2], rows, sum, text);
	rc = 0;
done:
	bloc_store_free(st);
	return rc;
usage:
	fprintf(stderr, "usage: bench_query [--data DIR] [--calls N] [--rounds R] QUESTION "
	                "[KEY=VALUE ...]\n");
	return 2;
}
