/* Library-internal allocation: one place for fault injection and overflow-checked sizes. */
#ifndef BLOC_CORE_ALLOC_H
#define BLOC_CORE_ALLOC_H

#include <stddef.h>
#include <stdint.h>

void *bloc_malloc(size_t n);
void *bloc_calloc(size_t count, size_t size);
void *bloc_realloc(void *p, size_t n);
void bloc_free(void *p);
char *bloc_strdup(const char *s);
char *bloc_strndup(const char *s, size_t n);

/** Returns 1 and leaves *out untouched on overflow, else 0. */
static inline int bloc_mul_overflow(size_t a, size_t b, size_t *out)
{
	return __builtin_mul_overflow(a, b, out);
}

static inline int bloc_add_overflow(size_t a, size_t b, size_t *out)
{
	return __builtin_add_overflow(a, b, out);
}

/**
 * Grow *p (holding *cap elements of `size` bytes) to hold at least `need` elements, doubling.
 * Returns BLOC_OK or BLOC_ENOMEM (message set); *p is unchanged on failure.
 */
int bloc__grow(void **p, size_t *cap, size_t need, size_t size);

/* Fault injection for tests: the n-th allocation from now fails (0 = never). Per thread: only the
 * calling thread's allocations count. */
void bloc__alloc_fail_after(unsigned long n);

/* The allocations still to come before the injected failure (0 once it has happened, or when
 * none is set): nonzero after a call means the call made fewer allocations than asked. */
unsigned long bloc__alloc_fail_pending(void);

#endif
