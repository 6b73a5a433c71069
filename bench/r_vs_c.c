/* r_vs_c: the C side of bench/r_vs_c.sh. It asks the project question N times on one opened
 * store, as bench/r_vs_c.R does from R through the bloc package, and prints the median time of
 * one call over B batches.
 *
 * One call is what the R function does for its caller: a request (base and national shares,
 * LAB's share stepping through 30, 30.5, ..., 34.5 so that consecutive calls differ), the query,
 * and every cell and metadata entry of the answer read through the public accessors (what the
 * binding reads to build its data frame), then the answer freed.
 *
 *   r_vs_c [--data DIR] [--calls N] [--batches B]
 *
 * Prints "c_us_per_call <median> <min>" and a checksum (LAB's seats summed over the last batch)
 * that bench/r_vs_c.R prints too: the two loops must answer the same questions. */
#include "bloc/error.h"
#include "bloc/query.h"
#include "bloc/render.h"
#include "bloc/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Read every cell and metadata entry; return LAB's seats (the "seats" cell of row "LAB"). */
static long walk(const bloc_table *t, double *sink)
{
	size_t nr = bloc_table_nrows(t), nc = bloc_table_ncols(t), r, c;
	long party = bloc_table_column(t, "party"), seats = bloc_table_column(t, "seats");
	long lab = 0;

	for (c = 0; c < nc; c++) {
		bloc_col_type type = bloc_table_column_type(t, c);
		*sink +=
		    bloc_table_column_decimals(t, c) + (double)strlen(bloc_table_column_name(t, c));
		for (r = 0; r < nr; r++) {
			if (bloc_table_is_missing(t, r, c))
				continue;
			if (type == BLOC_COL_REAL)
				*sink += bloc_table_real(t, r, c);
			else if (type == BLOC_COL_INT)
				*sink += (double)bloc_table_int(t, r, c);
			else
				*sink += (double)strlen(bloc_table_string(t, r, c));
		}
	}
	for (r = 0; r < bloc_table_nmeta(t); r++)
		*sink += (double)(strlen(bloc_table_meta_key(t, r)) +
		                  strlen(bloc_table_meta_value(t, r)));
	for (r = 0; party >= 0 && seats >= 0 && r < nr; r++)
		if (strcmp(bloc_table_string(t, r, (size_t)party), "LAB") == 0)
			lab = (long)bloc_table_int(t, r, (size_t)seats);
	return lab;
}

/* One call: request, query, read the answer, free it. LAB's seats, or -1 on an error. */
static long one_call(bloc_store *st, size_t i, double *sink)
{
	bloc_answer a = BLOC_ANSWER_INIT;
	bloc_request *rq = NULL;
	char shares[64];
	long lab = -1;

	snprintf(shares, sizeof(shares), "LAB=%g,CON=24", 30 + 0.5 * (double)(i % 10));
	if (bloc_request_new(&rq, "project") == BLOC_OK &&
	    bloc_request_set(rq, "base", "ge2024") == BLOC_OK &&
	    bloc_request_set(rq, "shares", shares) == BLOC_OK &&
	    bloc_query_run(&a, st, rq) == BLOC_OK && a.table)
		lab = walk(a.table, sink);
	bloc_answer_dispose(&a);
	bloc_request_free(rq);
	return lab;
}

int main(int argc, char **argv)
{
	const char *data = NULL;
	size_t calls = 1000, batches = 5, b, i;
	double *times, sink = 0;
	bloc_store *st = NULL;
	long checksum = 0, lab;
	int k;

	for (k = 1; k < argc; k++) {
		if (strcmp(argv[k], "--data") == 0 && k + 1 < argc)
			data = argv[++k];
		else if (strcmp(argv[k], "--calls") == 0 && k + 1 < argc)
			calls = strtoul(argv[++k], NULL, 10);
		else if (strcmp(argv[k], "--batches") == 0 && k + 1 < argc)
			batches = strtoul(argv[++k], NULL, 10);
		else {
			fprintf(stderr, "usage: r_vs_c [--data DIR] [--calls N] [--batches B]\n");
			return 2;
		}
	}
	if (calls == 0 || batches == 0 || !(times = calloc(batches, sizeof(*times))))
		return 2;
	if (bloc_store_open(&st, bloc_store_default_dir(data), NULL) < 0 ||
	    bloc_store_ready(st) < 0)
		goto fail;
	for (i = 0; i < 100; i++) /* loads ge2024; warms up as the R side does */
		if (one_call(st, i, &sink) < 0)
			goto fail;
	for (b = 0; b < batches; b++) {
		double t0 = now_us();
		checksum = 0;
		for (i = 0; i < calls; i++) {
			if ((lab = one_call(st, i, &sink)) < 0)
				goto fail;
			checksum += lab;
		}
		times[b] = (now_us() - t0) / (double)calls;
	}
	qsort(times, batches, sizeof(*times), cmp_double);
	printf("c_us_per_call %.1f %.1f\n", times[batches / 2], times[0]);
	printf("checksum_lab_seats %ld\n", checksum);
	fprintf(stderr, "(sink %g)\n", sink);
	bloc_store_free(st);
	free(times);
	return 0;
fail:
	fprintf(stderr, "r_vs_c: %s\n", bloc_error_last());
	bloc_store_free(st);
	free(times);
	return 1;
}
