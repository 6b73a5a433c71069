/* bench_load: the library's cost of answering `bloc results` for a general election, without
 * process start-up or rendering. One iteration = bloc_contest_open (read and check the HoC
 * constituency CSV, build the contest) + seat results + totals (UK, nations, regions) + indices
 * + target lists for the two largest parties. Prints the median, minimum and 90th percentile per
 * iteration in milliseconds.
 *
 *   bench_load [--data DIR] [--contest ID] [--iterations N]
 *
 * DIR defaults as bloc's --data does (bloc_store_default_dir). Budget: median <= 5 ms for ge2024.
 */
#include "bloc/analysis.h"
#include "bloc/contest.h"
#include "bloc/dataset.h"
#include "bloc/io.h"
#include "bloc/error.h"
#include "bloc/store.h"
#include "bloc/party.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* One iteration. Returns the seats won by the largest party (a figure to print, which also keeps
 * the work from being optimised away), or -1 on error. *load_ms is the time spent loading. */
static long iteration(const bloc_dataset *ds, const char *id, double *load_ms)
{
	bloc_contest *c = NULL;
	bloc_seat_results r;
	bloc_totals t;
	bloc_indices x;
	bloc_targets tg;
	bloc_party top[2] = {BLOC_PARTY_NONE, BLOC_PARTY_NONE};
	size_t p, k, best = 0, second = 0;
	long seats = -1;
	int by;
	double t0 = now_ms();

	if (bloc_contest_open(&c, ds, id) < 0)
		return -1;
	*load_ms = now_ms() - t0;
	if (bloc_seat_results_compute(&r, c) < 0)
		goto done;
	for (by = BLOC_BY_REGION; by >= BLOC_BY_UK; by--) {
		if (bloc_totals_compute(&t, c, &r, by) < 0)
			goto done_r;
		if (by == BLOC_BY_UK && t.nparties > 0) {
			/* the two parties with most seats in the UK */
			for (p = 1; p < t.nparties; p++) {
				if (t.seats[p] > t.seats[best]) {
					second = best;
					best = p;
				} else if (second == best || t.seats[p] > t.seats[second]) {
					second = p;
				}
			}
			top[0] = t.parties[best];
			top[1] = t.parties[second];
		}
		bloc_totals_dispose(&t);
	}
	if (bloc_indices_compute(&x, c, &r) < 0)
		goto done_r;
	bloc_indices_dispose(&x);
	for (k = 0; k < 2; k++) {
		if (top[k] == BLOC_PARTY_NONE)
			continue;
		if (bloc_targets_compute(&tg, c, &r, top[k]) < 0)
			goto done_r;
		bloc_targets_dispose(&tg);
	}
	seats = 0;
	for (p = 0; p < r.n; p++)
		seats += r.winner_party[p] == top[0];
done_r:
	bloc_seat_results_dispose(&r);
done:
	bloc_contest_free(c);
	return seats;
}

int main(int argc, char **argv)
{
	const char *dir = NULL, *id = "ge2024";
	long iterations = 200, i, seats = 0;
	bloc_dataset *ds = NULL;
	double *ms, *load, t0;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--data") == 0 && i + 1 < argc)
			dir = argv[++i];
		else if (strcmp(argv[i], "--contest") == 0 && i + 1 < argc)
			id = argv[++i];
		else if (strcmp(argv[i], "--iterations") == 0 && i + 1 < argc)
			iterations = strtol(argv[++i], NULL, 10);
		else {
			fprintf(stderr,
			        "usage: bench_load [--data DIR] [--contest ID] [--iterations N]\n");
			return 2;
		}
	}
	dir = bloc_store_default_dir(dir);
	if (iterations < 1) {
		fprintf(stderr, "bench_load: --iterations must be at least 1\n");
		return 2;
	}
	if (bloc_dataset_open(&ds, dir) < 0) {
		fprintf(stderr, "bench_load: %s\n", bloc_error_last());
		return 1;
	}
	ms = malloc((size_t)iterations * sizeof(double));
	load = malloc((size_t)iterations * sizeof(double));
	if (!ms || !load) {
		free(ms);
		free(load);
		bloc_dataset_free(ds);
		return 1;
	}
	for (i = -1; i < iterations; i++) { /* iteration -1 warms up the page cache and allocator */
		double lm = 0;

		t0 = now_ms();
		seats = iteration(ds, id, &lm);
		if (seats < 0) {
			fprintf(stderr, "bench_load: %s: %s\n", id, bloc_error_last());
			free(ms);
			free(load);
			bloc_dataset_free(ds);
			return 1;
		}
		if (i >= 0) {
			ms[i] = now_ms() - t0;
			load[i] = lm;
		}
	}
	qsort(ms, (size_t)iterations, sizeof(double), cmp_double);
	qsort(load, (size_t)iterations, sizeof(double), cmp_double);
	printf("bench_load: %s: load + seat results + totals + indices + targets, %ld iterations\n",
	       id, iterations);
	printf("bench_load: median %.3f ms, min %.3f ms, p90 %.3f ms (largest party: %ld seats)\n",
	       ms[iterations / 2], ms[0], ms[(iterations * 9) / 10], seats);
	printf("bench_load: of which bloc_contest_open: median %.3f ms\n", load[iterations / 2]);
	free(ms);
	free(load);
	bloc_dataset_free(ds);
	return 0;
}
