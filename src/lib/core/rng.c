/* Seeded random numbers: xoshiro256** (Blackman and Vigna, https://prng.di.unimi.it/) with its
 * state filled by SplitMix64 from (seed, stream). Everything is a pure function of the generator
 * state passed in: no global state, no locks, safe to use one generator per thread. */
#include "bloc/rng.h"

#include "rng_inline.h"

#include <math.h>

#define GOLDEN UINT64_C(0x9E3779B97F4A7C15) /* 2^64 / golden ratio: SplitMix64's increment */
#define SQRT2F UINT64_C(0x6A09E667F3BCC909) /* fractional bits of sqrt(2): separates seed 0 */

/* SplitMix64's output function (Stafford's "Mix13"): a bijection of 64-bit words. */
static uint64_t mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

static uint64_t splitmix64_next(uint64_t *x)
{
	return mix64(*x += GOLDEN);
}

void bloc_rng_seed(bloc_rng *r, uint64_t seed, uint64_t stream)
{
	/* The seed is scrambled before the stream is mixed in, and the sum scrambled again, so
	 * neighbouring seeds and neighbouring streams start SplitMix64 at unrelated points (a
	 * plain seed ^ stream would let (s, t) and (t, s) coincide, and seed + stream * GOLDEN
	 * would make stream t+1 the sequence of stream t shifted by one). */
	uint64_t x = mix64(mix64(seed ^ SQRT2F) ^ (stream * GOLDEN));
	int i;

	for (i = 0; i < 4; i++)
		r->s[i] = splitmix64_next(&x);
	/* four consecutive outputs of a bijection of distinct inputs are never all zero, the one
	 * state xoshiro cannot leave */
}

uint64_t bloc_rng_next(bloc_rng *r)
{
	return bloc__rng_next(r);
}

double bloc_rng_uniform(bloc_rng *r)
{
	return bloc__rng_uniform(r);
}

double bloc_rng_normal(bloc_rng *r)
{
	double u, v, s;

	/* Marsaglia's polar method; the second variate is dropped so a draw depends only on the
	 * generator state (no cache to carry between calls or threads). Accepts pi/4 of pairs. */
	do {
		u = 2.0 * bloc_rng_uniform(r) - 1.0;
		v = 2.0 * bloc_rng_uniform(r) - 1.0;
		s = u * u + v * v;
	} while (s >= 1.0 || s == 0.0);
	return u * sqrt(-2.0 * log(s) / s);
}

uint64_t bloc_rng_below(bloc_rng *r, uint64_t n)
{
	/* Lemire, "Fast random integer generation in an interval" (ACM TOMACS 2019): the high
	 * word of x * n is uniform on [0, n) once the low words below 2^64 mod n are rejected. */
	__extension__ typedef unsigned __int128 u128;
	u128 m;
	uint64_t lo, t;

	if (n == 0)
		return 0; /* documented as n > 0; 0 rather than a division by zero */
	m = (u128)bloc_rng_next(r) * n;
	lo = (uint64_t)m;
	if (lo < n) {
		t = (0 - n) % n; /* 2^64 mod n */
		while (lo < t) {
			m = (u128)bloc_rng_next(r) * n;
			lo = (uint64_t)m;
		}
	}
	return (uint64_t)(m >> 64);
}

size_t bloc_rng_categorical(bloc_rng *r, const double *p, size_t k)
{
	return bloc__rng_categorical(r, p, k);
}

double bloc_rng_gamma(bloc_rng *r, double shape)
{
	double d, c, x, v, u;

	if (shape < 1) /* Gamma(a) = Gamma(a + 1) U^(1/a) */
		return bloc_rng_gamma(r, shape + 1) * pow(bloc_rng_uniform(r), 1 / shape);
	d = shape - 1.0 / 3.0;
	c = 1 / sqrt(9 * d);
	for (;;) {
		do {
			x = bloc_rng_normal(r);
			v = 1 + c * x;
		} while (v <= 0);
		v = v * v * v;
		u = bloc_rng_uniform(r);
		if (u < 1 - 0.0331 * x * x * x * x || log(u) < 0.5 * x * x + d * (1 - v + log(v)))
			return d * v;
	}
}
