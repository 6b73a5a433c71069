/* util/parallel: every index runs once on any thread count, results do not depend on the
 * thread count, the first failure's code and message reach the caller, per-worker ids stay in
 * range. */
#include "harness.h"

#include "bloc/error.h"
#include "bloc/rng.h"
#include "util/parallel.h"

#include <stdatomic.h>
#include <stdint.h>
#include <string.h>

#define N 1000

typedef struct {
	uint64_t seed;
	uint64_t out[N];
	atomic_int runs[N];
	unsigned nworkers;
	atomic_int bad_worker;
	size_t fail_at; /* N: never */
} job;

static int draw(size_t i, unsigned worker, void *payload)
{
	job *j = payload;
	bloc_rng r;
	int k;

	if (worker >= j->nworkers)
		atomic_store(&j->bad_worker, 1);
	atomic_fetch_add(&j->runs[i], 1);
	if (i == j->fail_at)
		return bloc_error_set(BLOC_ENUMERIC, "job %zu failed on purpose", i);
	bloc__parallel_stream(&r, j->seed, i);
	for (k = 0; k < 100; k++) /* some work, so that threads overlap */
		j->out[i] = bloc_rng_next(&r);
	return BLOC_OK;
}

static void run(job *j, unsigned threads, size_t fail_at)
{
	memset(j, 0, sizeof(*j));
	j->seed = 42;
	j->fail_at = fail_at;
	j->nworkers = bloc__parallel_workers(N, threads);
}

BLOC_TEST(parallel_every_index_once_same_numbers)
{
	static job one, many;
	unsigned threads[] = {0, 1, 2, 3, 8};
	size_t t, i;

	run(&one, 1, N);
	BLOC_CHECK_OK(bloc__parallel_for(N, 1, draw, &one));
	for (t = 0; t < sizeof(threads) / sizeof(threads[0]); t++) {
		run(&many, threads[t], N);
		BLOC_CHECK_OK(bloc__parallel_for(N, threads[t], draw, &many));
		BLOC_CHECK(!atomic_load(&many.bad_worker));
		for (i = 0; i < N; i++) {
			BLOC_CHECK_INT_EQ(atomic_load(&many.runs[i]), 1);
			BLOC_CHECK(many.out[i] == one.out[i]);
		}
	}
	/* index i's stream is stream i of the seed */
	{
		bloc_rng a, b;
		bloc__parallel_stream(&a, 42, 7);
		bloc_rng_seed(&b, 42, 7);
		BLOC_CHECK(bloc_rng_next(&a) == bloc_rng_next(&b));
	}
}

BLOC_TEST(parallel_workers)
{
	BLOC_CHECK_INT_EQ(bloc__parallel_workers(10, 0), 1);
	BLOC_CHECK_INT_EQ(bloc__parallel_workers(10, 1), 1);
	BLOC_CHECK_INT_EQ(bloc__parallel_workers(10, 4), 4);
	BLOC_CHECK_INT_EQ(bloc__parallel_workers(3, 8), 3);
	BLOC_CHECK_INT_EQ(bloc__parallel_workers(0, 8), 0);
}

BLOC_TEST(parallel_empty)
{
	static job j;

	run(&j, 4, N);
	BLOC_CHECK_OK(bloc__parallel_for(0, 4, draw, &j));
	BLOC_CHECK_INT_EQ(atomic_load(&j.runs[0]), 0);
}

BLOC_TEST(parallel_error_reaches_caller)
{
	static job j;
	unsigned threads[] = {1, 4};
	size_t t, i;

	for (t = 0; t < 2; t++) {
		int ran = 0;
		bloc_error_clear();
		run(&j, threads[t], 500);
		BLOC_CHECK_INT_EQ(bloc__parallel_for(N, threads[t], draw, &j), BLOC_ENUMERIC);
		/* the message was set on a worker thread, and is read on this one */
		BLOC_CHECK_STR_EQ(bloc_error_last(), "job 500 failed on purpose");
		for (i = 0; i < N; i++)
			ran += atomic_load(&j.runs[i]);
		BLOC_CHECK(ran < N || threads[t] > 1); /* serial: stops at the failure */
		if (threads[t] == 1)
			BLOC_CHECK_INT_EQ(ran, 501);
	}
}
