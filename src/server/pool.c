/* The queue of expensive requests (engine.h): a Monte Carlo or EI sampling that is not in the
 * answer cache takes up to seconds of CPU, so it waits here, at most `capacity` at a time (the
 * engine answers 503 beyond), for one of a few worker threads that run at a lower priority than
 * the event loops; cheap requests never wait behind it. The finished answer goes back to the
 * event loop that owns the connection. */
#define _GNU_SOURCE /* syscall */
#include "engine.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* The nice value of the workers (and of the threads the library starts from them). */
#define WORKER_NICE 10

struct pool {
	pthread_mutex_t mu;
	pthread_cond_t work, idle;
	struct job *head, *tail;
	unsigned queued, capacity, running;
	int stopping;
	struct srv_state *state;
	pthread_t *threads;
	unsigned nthreads;
};

/* ---- jobs ---- */

static char *put(char **w, const char *s, size_t n)
{
	char *at = *w;

	memcpy(at, s, n);
	at[n] = '\0';
	*w += n + 1;
	return at;
}

struct job *job_new(const struct srv_request *rq, int flags)
{
	size_t i, size = strlen(rq->method) + strlen(rq->path) + rq->body_len + 3;
	struct job *j;
	char *w;

	for (i = 0; i < rq->nargs; i++)
		size += strlen(rq->args[i].name) + strlen(rq->args[i].value) + 2;
	if (!(j = malloc(sizeof(*j) + size)))
		return NULL;
	memset(j, 0, sizeof(*j));
	j->flags = flags;
	w = j->data;
	j->rq.method = put(&w, rq->method, strlen(rq->method));
	j->rq.path = put(&w, rq->path, strlen(rq->path));
	for (i = 0; i < rq->nargs && i < SRV_MAX_ARGS; i++) {
		j->args[i].name = put(&w, rq->args[i].name, strlen(rq->args[i].name));
		j->args[i].value = put(&w, rq->args[i].value, strlen(rq->args[i].value));
	}
	j->rq.args = j->args;
	j->rq.nargs = i;
	if (rq->body) {
		j->rq.body = put(&w, rq->body, rq->body_len);
		j->rq.body_len = rq->body_len;
	}
	return j;
}

void job_free(struct job *j)
{
	if (j) {
		srv_blob_unref(j->rp.blob);
		free(j);
	}
}

/* ---- workers ---- */

static void *worker(void *arg)
{
	struct pool *p = arg;
	struct job *j;

	/* below the event loops: a long computation takes the CPU they leave */
	setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), WORKER_NICE);
	pthread_mutex_lock(&p->mu);
	for (;;) {
		while (!p->head && !p->stopping)
			pthread_cond_wait(&p->work, &p->mu);
		if (p->stopping)
			break;
		j = p->head;
		if (!(p->head = j->next))
			p->tail = NULL;
		p->queued--;
		p->running++;
		pthread_mutex_unlock(&p->mu);
		srv_api(p->state, &j->rq, &j->rp);
		loop_complete(j->loop, j);
		pthread_mutex_lock(&p->mu);
		p->running--;
		pthread_cond_broadcast(&p->idle);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

int pool_new(struct pool **out, struct srv_state *state, unsigned workers, unsigned capacity)
{
	struct pool *p = calloc(1, sizeof(*p));
	int err;

	*out = NULL;
	if (!p || !(p->threads = calloc(workers ? workers : 1, sizeof(*p->threads)))) {
		free(p);
		return bloc_error_oom("starting the request workers");
	}
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->work, NULL);
	pthread_cond_init(&p->idle, NULL);
	p->state = state;
	p->capacity = capacity;
	for (; p->nthreads < workers; p->nthreads++)
		if ((err = pthread_create(&p->threads[p->nthreads], NULL, worker, p)) != 0) {
			pool_free(p);
			return bloc_error_set(BLOC_EPAR, "serve: cannot start a worker thread: %s",
			                      strerror(err));
		}
	*out = p;
	return BLOC_OK;
}

int pool_submit(struct pool *p, struct job *j)
{
	int ok;

	j->next = NULL;
	pthread_mutex_lock(&p->mu);
	ok = !p->stopping && p->queued < p->capacity + (p->nthreads - p->running);
	if (ok) {
		if (p->tail)
			p->tail->next = j;
		else
			p->head = j;
		p->tail = j;
		p->queued++;
		pthread_cond_signal(&p->work);
	}
	pthread_mutex_unlock(&p->mu);
	return ok ? 0 : -1;
}

int pool_cancel(struct pool *p, struct job *j)
{
	struct job **at, *prev = NULL;
	int found = 0;

	pthread_mutex_lock(&p->mu);
	for (at = &p->head; *at; prev = *at, at = &(*at)->next)
		if (*at == j) {
			*at = j->next;
			if (p->tail == j)
				p->tail = prev;
			p->queued--;
			found = 1;
			break;
		}
	pthread_mutex_unlock(&p->mu);
	return found;
}

unsigned pool_stop(struct pool *p, unsigned ms)
{
	struct timespec until;
	struct job *j;
	unsigned running, i;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += ms / 1000;
	until.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&p->mu);
	p->stopping = 1;
	while ((j = p->head)) {
		p->head = j->next;
		job_free(j);
	}
	p->tail = NULL;
	p->queued = 0;
	pthread_cond_broadcast(&p->work);
	while (p->running && pthread_cond_timedwait(&p->idle, &p->mu, &until) != ETIMEDOUT)
		;
	running = p->running;
	pthread_mutex_unlock(&p->mu);
	if (running)
		return running;
	for (i = 0; i < p->nthreads; i++)
		pthread_join(p->threads[i], NULL);
	p->nthreads = 0;
	return 0;
}

void pool_free(struct pool *p)
{
	if (!p)
		return;
	if (p->nthreads)
		pool_stop(p, 60000);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->work);
	pthread_cond_destroy(&p->idle);
	free(p->threads);
	free(p);
}
