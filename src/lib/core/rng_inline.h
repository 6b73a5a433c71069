/* The generator's hot paths as inline functions, for the library's inner loops (a call each
 * would cost as much as the draw); rng.c's bloc_rng_next, bloc_rng_uniform and
 * bloc_rng_categorical are these. Library-internal. */
#ifndef BLOC_CORE_RNG_INLINE_H
#define BLOC_CORE_RNG_INLINE_H

#include "bloc/rng.h"

#include <stddef.h>
#include <stdint.h>

static inline uint64_t bloc__rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

/* xoshiro256** */
static inline uint64_t bloc__rng_next(bloc_rng *r)
{
	uint64_t *s = r->s;
	const uint64_t result = bloc__rotl(s[1] * 5, 7) * 9;
	const uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = bloc__rotl(s[3], 45);
	return result;
}

/* Uniform on [0, 1): the top 53 bits. */
static inline double bloc__rng_uniform(bloc_rng *r)
{
	return (double)(bloc__rng_next(r) >> 11) * 0x1.0p-53;
}

/* Two uniforms on [0, 1) from one draw: its high and low 32 bits (a resolution of 2^-32, for
 * the inner loops where a draw each costs more than the precision is worth). */
static inline void bloc__rng_uniform2(bloc_rng *r, double *a, double *b)
{
	const uint64_t x = bloc__rng_next(r);

	*a = (double)(x >> 32) * 0x1.0p-32;
	*b = (double)(x & UINT64_C(0xFFFFFFFF)) * 0x1.0p-32;
}

/* Uniforms two to a draw, handed out one at a time: the high half of a draw, then its low half
 * (a loop that needs one uniform per item takes bloc__rng_half instead of bloc__rng_uniform).
 * Start with {0, 0}. */
typedef struct {
	double spare;
	int have;
} bloc__halves;

static inline double bloc__rng_half(bloc_rng *r, bloc__halves *h)
{
	double a;

	if (h->have) {
		h->have = 0;
		return h->spare;
	}
	bloc__rng_uniform2(r, &a, &h->spare);
	h->have = 1;
	return a;
}

/* The first j whose cumulative sum of p passes a uniform, k - 1 if none does. */
static inline size_t bloc__rng_categorical(bloc_rng *r, const double *p, size_t k)
{
	double u = bloc__rng_uniform(r), acc = 0;
	size_t j;

	for (j = 0; j + 1 < k; j++) {
		acc += p[j];
		if (u < acc)
			return j;
	}
	return k - 1;
}

#endif
