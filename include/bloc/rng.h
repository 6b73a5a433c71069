/* bloc — explicit, seeded random numbers: xoshiro256** streams derived with SplitMix64 from
 * (seed, stream index), so results depend on the seed alone, never on thread or rank counts. */
#ifndef BLOC_RNG_H
#define BLOC_RNG_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
	uint64_t s[4];
} bloc_rng;

/** Seed the stream `stream` of `seed` (e.g. stream = seat index or replicate index). */
void bloc_rng_seed(bloc_rng *r, uint64_t seed, uint64_t stream);
/** Next 64 random bits. */
uint64_t bloc_rng_next(bloc_rng *r);
/** Uniform on [0, 1) with 53 random bits. */
double bloc_rng_uniform(bloc_rng *r);
/** Standard normal (polar Box-Muller without caching: two uniforms or more per draw). */
double bloc_rng_normal(bloc_rng *r);
/** Uniform integer in [0, n) without bias (Lemire's method); n > 0. */
uint64_t bloc_rng_below(bloc_rng *r, uint64_t n);
/** One draw from the categorical distribution p[0..k) (k > 0, summing to 1): the first j whose
 *  cumulative sum passes a uniform, k - 1 if none does (rounding). */
size_t bloc_rng_categorical(bloc_rng *r, const double *p, size_t k);
/** Gamma(shape, rate 1), shape > 0 (Marsaglia and Tsang 2000; shape < 1 by the u^(1/shape)
 *  boost). */
double bloc_rng_gamma(bloc_rng *r, double shape);

#ifdef __cplusplus
}
#endif
#endif
