/* The server's state: the dataset, the contests and census groups loaded so far, and the rendered
 * answers kept for reuse. Contests and group shares are read-only once loaded and live until
 * the server stops, so a pointer handed out stays valid without reference counting; the
 * catalogue bounds how many there can be. Rendered answers are bounded by bytes and count. */
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

/* One loaded contest and the census groups loaded for its seats (by bloc_group_find index). */
struct contest_entry {
	const char *id; /* the catalogue's */
	bloc_contest *c;
	bloc_group_shares **groups; /* bloc_group_count() slots, NULL until loaded */
};

/* A rendered answer in the LRU list and its hash chain. */
struct answer {
	struct answer *prev, *next; /* most recently used first */
	struct answer *chain;
	size_t hash;
	char *key;
	struct srv_blob *blob;
};

#define ANSWER_BUCKETS 2048u /* a power of two, above SRV_CACHE_ENTRIES */

/* A prepared projector of a contest; `busy` while a thread projects with it. */
struct projector_entry {
	const bloc_contest *c;
	bloc_projector *pj;
	int busy;
};

struct srv_state {
	bloc_dataset *ds;
	pthread_mutex_t lock; /* guards everything below */
	struct contest_entry *contests;
	size_t ncontests, capcontests;
	struct answer *buckets[ANSWER_BUCKETS];
	struct answer *head, *tail;
	size_t nanswers, bytes;
	struct projector_entry projectors[SRV_PROJECTORS];
	size_t nprojectors;
};

int srv_state_new(struct srv_state **out, const char *data_dir)
{
	struct srv_state *s = calloc(1, sizeof(*s));
	int err;

	*out = NULL;
	if (!s)
		return bloc_error_set(BLOC_ENOMEM, "out of memory");
	if ((err = bloc_dataset_open(&s->ds, data_dir)) < 0) {
		free(s);
		return err;
	}
	if (pthread_mutex_init(&s->lock, NULL) != 0) {
		bloc_dataset_free(s->ds);
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
	size_t i, g;

	if (!s)
		return;
	for (a = s->head; a; a = next) {
		next = a->next;
		answer_free(a);
	}
	for (i = 0; i < s->ncontests; i++) {
		for (g = 0; g < bloc_group_count(); g++) {
			bloc_group_shares_dispose(s->contests[i].groups[g]);
			free(s->contests[i].groups[g]);
		}
		free(s->contests[i].groups);
		bloc_contest_free(s->contests[i].c);
	}
	free(s->contests);
	for (i = 0; i < s->nprojectors; i++)
		bloc_projector_free(s->projectors[i].pj);
	pthread_mutex_destroy(&s->lock);
	bloc_dataset_free(s->ds);
	free(s);
}

const bloc_dataset *srv_dataset(const struct srv_state *s)
{
	return s->ds;
}

static struct contest_entry *find_contest(struct srv_state *s, const char *id)
{
	size_t i;

	for (i = 0; i < s->ncontests; i++)
		if (strcmp(s->contests[i].id, id) == 0)
			return &s->contests[i];
	return NULL;
}

static struct contest_entry *entry_of(struct srv_state *s, const bloc_contest *c)
{
	size_t i;

	for (i = 0; i < s->ncontests; i++)
		if (s->contests[i].c == c)
			return &s->contests[i];
	return NULL;
}

/* "ge2017, ge2019, ...": the catalogue's contest ids, for a 404's message. */
static void contest_ids(const bloc_dataset *ds, char *buf, size_t size)
{
	const bloc_catalog_entry *e;
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; (e = bloc_dataset_entry(ds, i)); i++) {
		int w;
		if (!bloc_format_is_contest(e->format))
			continue;
		w = snprintf(buf + n, size - n, "%s%s", n ? ", " : "", e->id);
		if (w < 0 || (size_t)w >= size - n)
			break;
		n += (size_t)w;
	}
}

int srv_contest(struct srv_state *s, const char *id, const bloc_contest **out)
{
	const bloc_catalog_entry *e = bloc_dataset_find(s->ds, id);
	struct contest_entry *ce;
	bloc_contest *c = NULL;
	int err;

	*out = NULL;
	if (!e || !bloc_format_is_contest(e->format)) {
		char ids[512];
		contest_ids(s->ds, ids, sizeof(ids));
		return bloc_error_set(BLOC_ENOTFOUND, "unknown contest '%.64s' (contests: %s)", id,
		                      ids);
	}
	pthread_mutex_lock(&s->lock);
	if ((ce = find_contest(s, e->id)))
		*out = ce->c; /* read under the lock: the array may move when it grows */
	pthread_mutex_unlock(&s->lock);
	if (*out)
		return BLOC_OK;
	/* Load without the lock (tens of milliseconds); if another thread loaded it meanwhile,
	 * keep theirs. */
	if ((err = bloc_contest_open(&c, s->ds, e->id)) < 0)
		return err;
	pthread_mutex_lock(&s->lock);
	if ((ce = find_contest(s, e->id))) {
		bloc_contest_free(c);
		*out = ce->c;
		pthread_mutex_unlock(&s->lock);
		return BLOC_OK;
	}
	if (s->ncontests == s->capcontests) {
		size_t cap = s->capcontests ? 2 * s->capcontests : 8;
		struct contest_entry *grown = realloc(s->contests, cap * sizeof(*grown));
		if (!grown)
			goto nomem;
		s->contests = grown;
		s->capcontests = cap;
	}
	ce = &s->contests[s->ncontests];
	if (!(ce->groups = calloc(bloc_group_count(), sizeof(*ce->groups))))
		goto nomem;
	ce->id = e->id;
	ce->c = c;
	s->ncontests++;
	*out = c;
	pthread_mutex_unlock(&s->lock);
	return BLOC_OK;
nomem:
	pthread_mutex_unlock(&s->lock);
	bloc_contest_free(c);
	return bloc_error_set(BLOC_ENOMEM, "out of memory");
}

int srv_group_shares(struct srv_state *s, const bloc_contest *c, size_t group,
                     const bloc_group_shares **out)
{
	struct contest_entry *ce;
	bloc_group_shares *g;
	int err;

	*out = NULL;
	if (group >= bloc_group_count())
		return bloc_error_set(BLOC_EINVAL, "serve: group index %zu out of range", group);
	pthread_mutex_lock(&s->lock);
	ce = entry_of(s, c);
	g = ce ? ce->groups[group] : NULL;
	pthread_mutex_unlock(&s->lock);
	if (!ce)
		return bloc_error_set(BLOC_EINVAL, "serve: contest not from srv_contest");
	if (g) {
		*out = g;
		return BLOC_OK;
	}
	if (!(g = calloc(1, sizeof(*g))))
		return bloc_error_set(BLOC_ENOMEM, "out of memory");
	if ((err = bloc_group_shares_open(g, s->ds, c, bloc_group_name(group))) < 0) {
		free(g);
		return err;
	}
	pthread_mutex_lock(&s->lock);
	/* the entries array may have moved (realloc) while unlocked: look it up again */
	ce = entry_of(s, c);
	if (ce->groups[group]) {
		bloc_group_shares_dispose(g);
		free(g);
	} else {
		ce->groups[group] = g;
	}
	*out = ce->groups[group];
	pthread_mutex_unlock(&s->lock);
	return BLOC_OK;
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

int srv_project(struct srv_state *s, bloc_projection *out, const bloc_contest *c,
                const bloc_scenario *sc, const bloc_group_shares *groups)
{
	bloc_projector *pj = NULL;
	size_t i, taken = SRV_PROJECTORS;
	int err;

	pthread_mutex_lock(&s->lock);
	for (i = 0; i < s->nprojectors; i++) {
		if (s->projectors[i].c == c && !s->projectors[i].busy) {
			s->projectors[i].busy = 1;
			pj = s->projectors[i].pj;
			taken = i;
			break;
		}
	}
	pthread_mutex_unlock(&s->lock);
	/* none free: prepare one outside the lock (a failure here only costs the fast path) */
	if (!pj && bloc_projector_new(&pj, c, NULL, 1, NULL, 0) < 0)
		pj = NULL;
	err = bloc_project_prepared(out, c, pj, sc, groups);
	pthread_mutex_lock(&s->lock);
	if (taken < SRV_PROJECTORS) {
		s->projectors[taken].busy = 0;
		pj = NULL;
	} else if (pj && s->nprojectors < SRV_PROJECTORS) {
		s->projectors[s->nprojectors].c = c;
		s->projectors[s->nprojectors].pj = pj;
		s->projectors[s->nprojectors].busy = 0;
		s->nprojectors++;
		pj = NULL;
	}
	pthread_mutex_unlock(&s->lock);
	bloc_projector_free(pj);
	return err;
}
