/* The string hash of bloc's open-addressing tables (FNV-1a): seat codes, party labels,
 * candidates read once, catalogue ids. Library-internal. */
#ifndef BLOC_UTIL_HASH_H
#define BLOC_UTIL_HASH_H

#include <stddef.h>
#include <stdint.h>

static inline size_t bloc__hash_str(const char *s)
{
	uint64_t h = 14695981039346656037u;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211u;
	return (size_t)h;
}

#endif
