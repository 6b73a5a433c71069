/* parallel_for on pthreads: workers take the next index from a shared atomic counter, so an
 * index runs exactly once and slow jobs do not hold up a fixed share of the others. */
#include "parallel.h"

#include "bloc/error.h"

#include "../core/alloc.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

typedef struct {
	size_t n;
	bloc__parallel_fn fn;
	void *payload;
	atomic_size_t next; /* the next index to hand out */
	atomic_int stop;    /* set by the first failure: no new job starts */
	atomic_int failed;  /* 0 -> 1 by the one worker that records its error below */
	int code;
	char message[1024]; /* the failing worker's message, copied from its thread */
} shared;

typedef struct {
	shared *sh;
	unsigned id;
} worker;

static void *work(void *arg)
{
	const worker *w = arg;
	shared *sh = w->sh;

	while (!atomic_load_explicit(&sh->stop, memory_order_relaxed)) {
		size_t i = atomic_fetch_add_explicit(&sh->next, 1, memory_order_relaxed);
		int err, expected = 0;
		if (i >= sh->n)
			break;
		if ((err = sh->fn(i, w->id, sh->payload)) >= 0)
			continue;
		atomic_store(&sh->stop, 1);
		/* the first to fail records its code and message; join() publishes them */
		if (atomic_compare_exchange_strong(&sh->failed, &expected, 1)) {
			sh->code = err;
			snprintf(sh->message, sizeof(sh->message), "%s", bloc_error_last());
		}
		break;
	}
	return NULL;
}

unsigned bloc__parallel_workers(size_t n, unsigned threads)
{
	if (threads < 1)
		threads = 1;
	return n < threads ? (unsigned)n : threads;
}

static int run_serial(size_t n, bloc__parallel_fn fn, void *payload)
{
	size_t i;
	int err;

	for (i = 0; i < n; i++)
		if ((err = fn(i, 0, payload)) < 0)
			return err;
	return BLOC_OK;
}

int bloc__parallel_for(size_t n, unsigned threads, bloc__parallel_fn fn, void *payload)
{
	const unsigned nw = bloc__parallel_workers(n, threads);
	pthread_t *tid = NULL;
	worker *ws = NULL;
	shared sh;
	unsigned t, started = 0;
	int err = BLOC_OK, rc = 0;

	if (nw <= 1)
		return run_serial(n, fn, payload);
	if (!(tid = bloc_calloc(nw, sizeof(*tid))) || !(ws = bloc_calloc(nw, sizeof(*ws)))) {
		err = bloc_error_oom("starting %u threads", nw);
		goto done;
	}
	memset(&sh, 0, sizeof(sh));
	sh.n = n;
	sh.fn = fn;
	sh.payload = payload;
	atomic_init(&sh.next, 0);
	atomic_init(&sh.stop, 0);
	atomic_init(&sh.failed, 0);
	for (t = 0; t < nw; t++) {
		ws[t].sh = &sh;
		ws[t].id = t;
	}
	for (t = 1; t < nw; t++) {
		if ((rc = pthread_create(&tid[t], NULL, work, &ws[t])) != 0) {
			atomic_store(&sh.stop, 1);
			break;
		}
		started++;
	}
	if (rc == 0)
		work(&ws[0]); /* the calling thread is worker 0 */
	for (t = 1; t <= started; t++)
		pthread_join(tid[t], NULL);
	if (rc != 0)
		err = bloc_error_set(BLOC_EPAR, "could not start thread %u of %u (%s)", started + 2,
		                     nw, strerror(rc));
	else if (atomic_load(&sh.failed))
		err = bloc_error_set(sh.code, "%s", sh.message);
done:
	bloc_free(tid);
	bloc_free(ws);
	return err;
}
