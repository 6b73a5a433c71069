/* The server's state: the store (the data directory: contests, census groups, hex layouts and
 * prepared projectors, loaded on first use and kept) and the rendered answers kept for reuse,
 * bounded by bytes and count. */
#include "server.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct srv_blob *srv_blob_new(char *data, size_t len)
{
	struct srv_blob *b = malloc(sizeof(*b));

	if (!b) {
		free(data);
		return NULL;
	}
	atomic_init(&b->refs, 1);
	b->len = len;
	b->data = data;
	b->type = NULL;
	return b;
}

struct srv_blob *srv_blob_ref(struct srv_blob *b)
{
	atomic_fetch_add_explicit(&b->refs, 1, memory_order_relaxed);
	return b;
}

void srv_blob_unref(struct srv_blob *b)
{
	if (b && atomic_fetch_sub_explicit(&b->refs, 1, memory_order_acq_rel) == 1) {
		free(b->data);
		free(b);
	}
}

/* A rendered answer in the LRU list and its hash chain. */
struct answer {
	struct answer *prev, *next; /* most recently used first */
	struct answer *chain;
	size_t hash;
	char *key;
	struct srv_blob *blob;
};

#define ANSWER_BUCKETS 2048u /* a power of two, above SRV_CACHE_ENTRIES */

struct srv_state {
	bloc_store *st;
	pthread_mutex_t lock; /* guards everything below */
	struct answer *buckets[ANSWER_BUCKETS];
	struct answer *head, *tail;
	size_t nanswers, bytes;
};

int srv_state_new(struct srv_state **out, const char *data_dir)
{
	bloc_store_options so = BLOC_STORE_OPTIONS_INIT;
	struct srv_state *s = calloc(1, sizeof(*s));
	int err;

	*out = NULL;
	if (!s)
		return bloc_error_oom("starting the server");
	so.paths = 0; /* a request names catalogue ids only, never a file */
	so.projectors = SRV_PROJECTORS;
	if ((err = bloc_store_open(&s->st, data_dir, &so)) < 0) {
		free(s);
		return err;
	}
	if (pthread_mutex_init(&s->lock, NULL) != 0) {
		bloc_store_free(s->st);
		free(s);
		return bloc_error_set(BLOC_ENOMEM, "serve: cannot create a mutex");
	}
	*out = s;
	return BLOC_OK;
}

static void answer_free(struct answer *a)
{
	srv_blob_unref(a->blob);
	free(a->key);
	free(a);
}

void srv_state_free(struct srv_state *s)
{
	struct answer *a, *next;

	if (!s)
		return;
	for (a = s->head; a; a = next) {
		next = a->next;
		answer_free(a);
	}
	pthread_mutex_destroy(&s->lock);
	bloc_store_free(s->st);
	free(s);
}

bloc_store *srv_store(const struct srv_state *s)
{
	return s->st;
}

/* ---- rendered answers ---- */

/* FNV-1a */
static size_t hash_key(const char *key)
{
	size_t h = (size_t)14695981039346656037ULL;

	while (*key) {
		h ^= (unsigned char)*key++;
		h *= (size_t)1099511628211ULL;
	}
	return h;
}

static void lru_unlink(struct srv_state *s, struct answer *a)
{
	if (a->prev)
		a->prev->next = a->next;
	else
		s->head = a->next;
	if (a->next)
		a->next->prev = a->prev;
	else
		s->tail = a->prev;
	a->prev = a->next = NULL;
}

static void lru_push_front(struct srv_state *s, struct answer *a)
{
	a->prev = NULL;
	a->next = s->head;
	if (s->head)
		s->head->prev = a;
	s->head = a;
	if (!s->tail)
		s->tail = a;
}

static struct answer **chain_slot(struct srv_state *s, const char *key, size_t hash)
{
	struct answer **p = &s->buckets[hash & (ANSWER_BUCKETS - 1)];

	while (*p && ((*p)->hash != hash || strcmp((*p)->key, key) != 0))
		p = &(*p)->chain;
	return p;
}

static void drop_answer(struct srv_state *s, struct answer *a)
{
	struct answer **p = chain_slot(s, a->key, a->hash);

	*p = a->chain;
	lru_unlink(s, a);
	s->nanswers--;
	s->bytes -= a->blob->len;
	answer_free(a);
}

struct srv_blob *srv_cache_get(struct srv_state *s, const char *key)
{
	size_t hash = hash_key(key);
	struct srv_blob *b = NULL;
	struct answer *a;

	pthread_mutex_lock(&s->lock);
	if ((a = *chain_slot(s, key, hash))) {
		lru_unlink(s, a);
		lru_push_front(s, a);
		b = srv_blob_ref(a->blob);
	}
	pthread_mutex_unlock(&s->lock);
	return b;
}

void srv_cache_put(struct srv_state *s, const char *key, struct srv_blob *b)
{
	size_t hash = hash_key(key);
	struct answer *a, **slot;

	/* one answer may take at most an eighth of the budget */
	if (b->len > SRV_CACHE_BYTES / 8 || !(a = calloc(1, sizeof(*a))))
		return;
	if (!(a->key = strdup(key))) {
		free(a);
		return;
	}
	a->hash = hash;
	a->blob = srv_blob_ref(b);
	pthread_mutex_lock(&s->lock);
	slot = chain_slot(s, key, hash);
	if (*slot) {
		/* another thread rendered the same answer meanwhile: keep theirs */
		pthread_mutex_unlock(&s->lock);
		answer_free(a);
		return;
	}
	*slot = a;
	lru_push_front(s, a);
	s->nanswers++;
	s->bytes += b->len;
	while (s->tail && s->tail != a &&
	       (s->nanswers > SRV_CACHE_ENTRIES || s->bytes > SRV_CACHE_BYTES))
		drop_answer(s, s->tail);
	pthread_mutex_unlock(&s->lock);
}
