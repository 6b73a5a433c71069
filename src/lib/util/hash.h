/* FNV-1a 64: the string hash of bloc's open-addressing tables (seat codes, party labels,
 * candidates read once, catalogue ids) and of the EI cache's keys and file checks.
 * Library-internal. */
#ifndef BLOC_UTIL_HASH_H
#define BLOC_UTIL_HASH_H

#include <stddef.h>
#include <stdint.h>

#define BLOC__FNV_OFFSET 14695981039346656037u
#define BLOC__FNV_PRIME  1099511628211u

/* h (BLOC__FNV_OFFSET to start) carried over the n bytes at p. */
static inline uint64_t bloc__fnv1a(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ b[i]) * BLOC__FNV_PRIME;
	return h;
}

static inline size_t bloc__hash_str(const char *s)
{
	uint64_t h = BLOC__FNV_OFFSET;

	while (*s)
		h = (h ^ (unsigned char)*s++) * BLOC__FNV_PRIME;
	return (size_t)h;
}

#endif
