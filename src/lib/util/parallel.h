/* Library-internal: a small parallel_for over indexed jobs, and the deterministic stream of
 * each index. Results never depend on the thread count: job i draws only from its own stream
 * (bloc__parallel_stream(seed, i)) and writes only its own outputs. */
#ifndef BLOC_UTIL_PARALLEL_H
#define BLOC_UTIL_PARALLEL_H

#include "bloc/rng.h"

#include <stddef.h>
#include <stdint.h>

/**
 * One job: index `i` in [0, n), run by worker `worker` in [0, bloc__parallel_workers(n,
 * threads)) (for per-worker scratch allocated before the loop: two jobs of the same worker
 * never run at once). Returns 0 or a negative bloc_err with its message set (bloc_error_set)
 * on the thread that runs it.
 */
typedef int (*bloc__parallel_fn)(size_t i, unsigned worker, void *payload);

/** How many workers bloc__parallel_for(n, threads, ...) uses: min(n, max(threads, 1)). */
unsigned bloc__parallel_workers(size_t n, unsigned threads);

/**
 * Run fn(i, worker, payload) for every i in [0, n) on up to `threads` threads (0 or 1: in the
 * calling thread, in order of i). The calling thread is worker 0; the others are pthreads
 * started for this call and joined before it returns. Jobs are handed out in order of i as
 * workers become free.
 *
 * Errors: the first job to fail (in time) wins; no new job starts after it, and its code and
 * message are returned and set on the calling thread (messages are per thread). A thread that
 * cannot be started is BLOC_EPAR ("could not start thread t of n (reason)"): the workers
 * already started stop after their current job, and nothing is run serially in their place.
 * Cost: n calls of fn plus one atomic increment per job; threads - 1 pthread_create/join.
 */
int bloc__parallel_for(size_t n, unsigned threads, bloc__parallel_fn fn, void *payload);

/** The generator of index `i` of `seed`: stream i of the seed (bloc_rng_seed(r, seed, i)),
 *  the same whichever thread runs it. */
static inline void bloc__parallel_stream(bloc_rng *r, uint64_t seed, size_t i)
{
	bloc_rng_seed(r, seed, (uint64_t)i);
}

#endif
