/* The seeded generator: reference outputs computed independently, reproducibility, streams, and
 * seeded statistical checks.
 *
 * The reference values come from a standalone Python transcription of Vigna's xoshiro256starstar.c
 * and splitmix64.c, run once (python3, arbitrary-precision integers masked to 64 bits):
 *
 *   M = (1 << 64) - 1
 *   def rotl(x, k): return ((x << k) | (x >> (64 - k))) & M
 *   def mix64(z):
 *       z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M
 *       z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
 *       return z ^ (z >> 31)
 *   def xoshiro(s):
 *       r = (rotl((s[1] * 5) & M, 7) * 9) & M
 *       t = (s[1] << 17) & M
 *       s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3]; s[2] ^= t; s[3] = rotl(s[3], 45)
 *       return r
 *   def seed(sd, st):
 *       x = mix64(mix64(sd ^ 0x6A09E667F3BCC909) ^ ((st * 0x9E3779B97F4A7C15) & M))
 *       s = []
 *       for _ in range(4):
 *           x = (x + 0x9E3779B97F4A7C15) & M; s.append(mix64(x))
 *       return s
 *   def below(s, n):
 *       m = xoshiro(s) * n; lo = m & M
 *       if lo < n:
 *           t = (2**64 - n) % n
 *           while lo < t: m = xoshiro(s) * n; lo = m & M
 *       return m >> 64
 *
 * The same mix64 reproduces splitmix64.c's published outputs for seed 1234567
 * (6457827717110365317, 3203168211198807973, 9817491932198370423), and xoshiro from the state
 * {1, 2, 3, 4} gives 11520, 0, 1509978240, 1215971899390074240, ... as the reference code does. */
#include "harness.h"

#include "bloc/error.h"
#include "bloc/rng.h"

#include <inttypes.h>
#include <stdint.h>

BLOC_TEST(rng_xoshiro_reference_outputs)
{
	static const uint64_t want[] = {11520u,
	                                0u,
	                                1509978240u,
	                                UINT64_C(1215971899390074240),
	                                UINT64_C(1216172134540287360),
	                                UINT64_C(607988272756665600)};
	bloc_rng r = {{1, 2, 3, 4}};
	size_t i;

	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		uint64_t got = bloc_rng_next(&r);
		if (got != want[i])
			BLOC_FAIL_("output %zu: %" PRIu64 ", expected %" PRIu64, i, got, want[i]);
		bloc_checks_++;
	}
}

static void check_seed(uint64_t seed, uint64_t stream, const uint64_t state[4],
                       const uint64_t next[3])
{
	bloc_rng r;
	int i;

	bloc_rng_seed(&r, seed, stream);
	for (i = 0; i < 4; i++) {
		bloc_checks_++;
		if (r.s[i] != state[i])
			BLOC_FAIL_("seed (%" PRIu64 ", %" PRIu64 "): s[%d] = %#" PRIx64
			           ", expected %#" PRIx64,
			           seed, stream, i, r.s[i], state[i]);
	}
	for (i = 0; i < 3; i++) {
		uint64_t got = bloc_rng_next(&r);
		bloc_checks_++;
		if (got != next[i])
			BLOC_FAIL_("seed (%" PRIu64 ", %" PRIu64 "): output %d = %#" PRIx64
			           ", expected %#" PRIx64,
			           seed, stream, i, got, next[i]);
	}
}

BLOC_TEST(rng_seeding_reference_states)
{
	check_seed(1, 0,
	           (const uint64_t[4]){UINT64_C(0xa3062533fb012e9d), UINT64_C(0xbdb1333553a742ca),
	                               UINT64_C(0x8b24f327b14853b3), UINT64_C(0x20f5242fee1e2444)},
	           (const uint64_t[3]){UINT64_C(0x13002fda335ec42a), UINT64_C(0x7fa368c7709d8e1d),
	                               UINT64_C(0x11e41b4387414ae)});
	check_seed(1, 1,
	           (const uint64_t[4]){UINT64_C(0x654ebb403bb64552), UINT64_C(0xab8c2a1f5e58f0a7),
	                               UINT64_C(0x30ccb3f925100efc), UINT64_C(0xeafcac2ec0bfce26)},
	           (const uint64_t[3]){UINT64_C(0xd1b3c1cad126af0c), UINT64_C(0x3e0b9cb663704ed3),
	                               UINT64_C(0xdd1b1bcf49c1b344)});
	check_seed(42, 7,
	           (const uint64_t[4]){UINT64_C(0xd517e19cdd64ce6f), UINT64_C(0xb85836e3cfadaaf9),
	                               UINT64_C(0xa77c98e4e3c6395b), UINT64_C(0xaaad9b3c1df36133)},
	           (const uint64_t[3]){UINT64_C(0xc0d305c0c386e52c), UINT64_C(0x827f34afd9be88c1),
	                               UINT64_C(0x10b69ca16fe9979e)});
	/* seed 0, stream 0 is an ordinary state, not the all-zero one */
	check_seed(0, 0,
	           (const uint64_t[4]){UINT64_C(0x65ae880813f6f3db), UINT64_C(0x46e49a57f05333ce),
	                               UINT64_C(0x0f99e133617f2a90), UINT64_C(0x9f711f5d685a88f3)},
	           (const uint64_t[3]){UINT64_C(0x1790ba9f500d9cb9), UINT64_C(0xa0e509803d9cb470),
	                               UINT64_C(0xe28addfa42d30424)});
}

BLOC_TEST(rng_uniform_and_below_reference_values)
{
	static const uint64_t six[] = {3, 2, 0, 3, 2, 5, 2, 3, 5, 0, 2, 1};
	/* n just above 2^63 rejects about half of all draws: the rejection path is exercised */
	static const uint64_t big[] = {UINT64_C(4148401544685195334), UINT64_C(6743850624350550454),
	                               UINT64_C(488173932684670913), UINT64_C(6944040498371805398)};
	const uint64_t n = (UINT64_C(1) << 63) + 12345;
	bloc_rng r;
	size_t i;

	bloc_rng_seed(&r, 2024, 3);
	BLOC_CHECK(bloc_rng_uniform(&r) == 0.5478524862792068);
	BLOC_CHECK(bloc_rng_uniform(&r) == 0.28958680714582696);
	BLOC_CHECK(bloc_rng_uniform(&r) == 0.31985142017427837);
	bloc_rng_seed(&r, 7, 0);
	for (i = 0; i < sizeof(six) / sizeof(six[0]); i++)
		BLOC_CHECK_INT_EQ(bloc_rng_below(&r, 6), six[i]);
	bloc_rng_seed(&r, 7, 1);
	for (i = 0; i < sizeof(big) / sizeof(big[0]); i++) {
		uint64_t got = bloc_rng_below(&r, n);
		bloc_checks_++;
		if (got != big[i])
			BLOC_FAIL_("below(2^63+12345) draw %zu: %" PRIu64 ", expected %" PRIu64, i,
			           got, big[i]);
	}
	bloc_rng_seed(&r, 7, 2);
	for (i = 0; i < 1000; i++)
		BLOC_CHECK(bloc_rng_below(&r, 1) == 0);
}

BLOC_TEST(rng_same_seed_same_stream_reproduces_others_differ)
{
	bloc_rng a, b, c, d;
	size_t i, same_c = 0, same_d = 0, equal = 0;

	bloc_rng_seed(&a, 99, 5);
	bloc_rng_seed(&b, 99, 5);
	bloc_rng_seed(&c, 99, 6);
	bloc_rng_seed(&d, 100, 5);
	for (i = 0; i < 1000; i++) {
		uint64_t x = bloc_rng_next(&a);
		equal += x == bloc_rng_next(&b);
		same_c += x == bloc_rng_next(&c);
		same_d += x == bloc_rng_next(&d);
	}
	BLOC_CHECK_INT_EQ(equal, 1000);
	BLOC_CHECK_INT_EQ(same_c, 0);
	BLOC_CHECK_INT_EQ(same_d, 0);
}

/* Seeded statistical checks on 10^5 draws. The seeds are fixed, so each check either always
 * passes or always fails; the tolerances are 5 standard errors, which a correct generator
 * exceeds for a random seed with probability about 6e-7 per check. */
#define NDRAWS 100000

BLOC_TEST(rng_uniform_moments)
{
	bloc_rng r;
	double sum = 0, sq = 0, mean, var, lo = 1, hi = 0;
	size_t i;

	bloc_rng_seed(&r, 12345, 0);
	for (i = 0; i < NDRAWS; i++) {
		double u = bloc_rng_uniform(&r);
		sum += u;
		sq += u * u;
		lo = u < lo ? u : lo;
		hi = u > hi ? u : hi;
	}
	mean = sum / NDRAWS;
	var = sq / NDRAWS - mean * mean;
	BLOC_CHECK(lo >= 0 && hi < 1);
	/* sd of the mean: sqrt(1/12 / n) = 0.00091 */
	BLOC_CHECK_NEAR(mean, 0.5, 0, 5 * 0.00091);
	/* sd of the sample variance: sqrt((1/80 - 1/144) / n) = 0.000236 */
	BLOC_CHECK_NEAR(var, 1.0 / 12, 0, 5 * 0.000236);
	printf("uniform: mean %.5f var %.5f (1/12 = %.5f)\n", mean, var, 1.0 / 12);
}

BLOC_TEST(rng_normal_moments_and_tail)
{
	bloc_rng r;
	double sum = 0, sq = 0, mean, var;
	size_t i, tail = 0;

	bloc_rng_seed(&r, 2718, 1);
	for (i = 0; i < NDRAWS; i++) {
		double z = bloc_rng_normal(&r);
		sum += z;
		sq += z * z;
		tail += fabs(z) > 1.959963984540054;
	}
	mean = sum / NDRAWS;
	var = sq / NDRAWS - mean * mean;
	/* sd of the mean 1/sqrt(n) = 0.00316; of the variance sqrt(2/n) = 0.00447; of the share
	 * beyond +-1.96, sqrt(0.05 * 0.95 / n) = 0.00069 */
	BLOC_CHECK_NEAR(mean, 0, 0, 5 * 0.00316);
	BLOC_CHECK_NEAR(var, 1, 0, 5 * 0.00447);
	BLOC_CHECK_NEAR((double)tail / NDRAWS, 0.05, 0, 5 * 0.00069);
	printf("normal: mean %.5f var %.5f beyond 1.96: %.5f\n", mean, var, (double)tail / NDRAWS);
}

BLOC_TEST(rng_below_chi_square)
{
	/* 7 bins (2^64 mod 7 != 0, so the rejection step matters in principle), 70,000 draws;
	 * the chi-square statistic has 6 degrees of freedom: its 1 - 6e-7 quantile is about 39.5 */
	size_t count[7] = {0}, i;
	double chi = 0;
	bloc_rng r;

	bloc_rng_seed(&r, 31337, 0);
	for (i = 0; i < 70000; i++) {
		uint64_t k = bloc_rng_below(&r, 7);
		BLOC_REQUIRE(k < 7);
		count[k]++;
	}
	for (i = 0; i < 7; i++)
		chi += ((double)count[i] - 10000.0) * ((double)count[i] - 10000.0) / 10000.0;
	BLOC_CHECK(chi < 39.5);
	printf("below(7): chi-square %.2f on 6 df\n", chi);
}
