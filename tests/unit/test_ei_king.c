/* King's 2 x 2 EI: recovery of the truth on data drawn from King's model itself, unit estimates
 * inside the Duncan-Davis bounds (edge units included), seeding, the 2 x 2 collapse of an
 * R x C input, and the argument errors. */
#include "bloc/bloc.h"
#include "bloc/ei.h"
#include "bloc/rng.h"
#include "harness.h"

#include <stdint.h>

/* Tolerances, measured: 20 seeds of 120 units of 1000 voters drawn from King's model (exact
 * fractional counts, two parameter sets alternating), 200 draws from 800 proposals. Over these
 * seeds the mean absolute error of the 40 aggregate cells was 0.0106 (largest 0.032) and the
 * 95% intervals covered the realised truth in 40 of 40 cells. The bounds leave room for another
 * libm, not for a broken fit: estimating every aggregate as 0.5 scores an MAE of 0.2. */
#define KING_SEEDS    20
#define KING_UNITS    120
#define KING_MAE_MAX  0.02
#define KING_ERR_MAX  0.06
#define KING_COVER    0.85 /* nominal 0.95; of 40 cells at least 34 covered */
#define KING_DRAWS    200
#define KING_PROPOSAL 800

/* True parameters of the untruncated normal: Bb, Bw, sb, sw, rho. */
static const double TRUTH[2][5] = {{0.75, 0.3, 0.12, 0.18, 0.3}, {0.2, 0.55, 0.15, 0.1, -0.4}};

/* An input with 2 groups and 2 parties, all counts set by the caller. */
static int input_alloc(bloc_ei_input *in, size_t n)
{
	memset(in, 0, sizeof(*in));
	in->n = n;
	in->R = 2;
	in->C = 2;
	in->gcount = calloc(2 * n, sizeof(double));
	in->pcount = calloc(2 * n, sizeof(double));
	in->total = calloc(n, sizeof(double));
	return in->gcount && in->pcount && in->total ? 0 : -1;
}

static void input_free(bloc_ei_input *in)
{
	free(in->gcount);
	free(in->pcount);
	free(in->total);
	memset(in, 0, sizeof(*in));
}

static void set_unit(bloc_ei_input *in, size_t i, double N, double x, double bb, double bw)
{
	double T = bb * x * N + bw * (1 - x) * N;

	in->total[i] = N;
	in->gcount[2 * i] = x * N;
	in->gcount[2 * i + 1] = N - x * N;
	in->pcount[2 * i] = T;
	in->pcount[2 * i + 1] = N - T;
}

/* Data from King's model itself: (bb_i, bw_i) from the bivariate normal truncated to the unit
 * square (by rejection), x_i ~ U(0.05, 0.95), N_i = 1000, exact fractional counts. truth gets
 * the realised aggregates sum bb_i x_i N_i / sum x_i N_i (and bw with 1 - x_i). */
static int king_data(bloc_ei_input *in, double truth[2], size_t n, const double *par, uint64_t seed)
{
	double sb = 0, sw = 0, nb = 0, nw = 0;
	bloc_rng rng;
	size_t i;

	if (input_alloc(in, n) < 0)
		return -1;
	bloc_rng_seed(&rng, seed, 777);
	for (i = 0; i < n; i++) {
		double x = 0.05 + 0.9 * bloc_rng_uniform(&rng), bb, bw;
		do {
			double z1 = bloc_rng_normal(&rng), z2 = bloc_rng_normal(&rng);
			bb = par[0] + par[2] * z1;
			bw = par[1] + par[3] * (par[4] * z1 + sqrt(1 - par[4] * par[4]) * z2);
		} while (bb < 0 || bb > 1 || bw < 0 || bw > 1);
		set_unit(in, i, 1000, x, bb, bw);
		sb += bb * x * 1000;
		sw += bw * (1 - x) * 1000;
		nb += x * 1000;
		nw += (1 - x) * 1000;
	}
	truth[0] = sb / nb;
	truth[1] = sw / nw;
	return 0;
}

static void small_options(bloc_ei_king_options *o, uint64_t seed)
{
	bloc_ei_king_options_init(o);
	o->draws = KING_DRAWS;
	o->proposals = KING_PROPOSAL;
	o->seed = seed;
}

BLOC_TEST(king_options_defaults)
{
	bloc_ei_king_options o;

	bloc_ei_king_options_init(&o);
	BLOC_CHECK_INT_EQ(o.draws, 2000);
	BLOC_CHECK_INT_EQ(o.proposals, 40000);
	BLOC_CHECK(o.erho == 0.5 && o.esigma == 0.5 && o.ebeta == 0.5);
}

BLOC_TEST(king_recovers_truth_over_seeds)
{
	double mae = 0, maxerr = 0, covered = 0, cells = 0;
	uint64_t seed;

	for (seed = 1; seed <= KING_SEEDS; seed++) {
		const double *par = TRUTH[seed % 2];
		bloc_ei_input in;
		bloc_ei_king_options o;
		bloc_ei_king k;
		double truth[2];
		int c;

		BLOC_REQUIRE(king_data(&in, truth, KING_UNITS, par, seed) == 0);
		small_options(&o, seed);
		if (bloc_ei_king_fit(&k, &in, 0, 0, &o) < 0) {
			BLOC_FAIL_("seed %llu: %s", (unsigned long long)seed, bloc_error_last());
			input_free(&in);
			continue;
		}
		BLOC_CHECK(k.converged);
		/* measured 112 to 516 of 800: the normal proposal is a fair fit */
		BLOC_CHECK(k.is_ess > 0.05 * KING_PROPOSAL);
		BLOC_CHECK(k.n == KING_UNITS && k.draws == KING_DRAWS);
		for (c = 0; c < 2; c++) {
			double e = fabs(k.est[c] - truth[c]);
			mae += e;
			maxerr = fmax(maxerr, e);
			covered += k.lo95[c] <= truth[c] && truth[c] <= k.hi95[c];
			cells++;
			BLOC_CHECK(k.lo95[c] <= k.est[c] && k.est[c] <= k.hi95[c]);
			BLOC_CHECK(k.sd[c] > 0 && k.sd[c] < 0.05);
		}
		/* the mode lies near the generating parameters */
		BLOC_CHECK(fabs(k.Bb - par[0]) < 0.1 && fabs(k.Bw - par[1]) < 0.1);
		bloc_ei_king_dispose(&k);
		input_free(&in);
	}
	mae /= cells;
	if (!(mae <= KING_MAE_MAX && maxerr <= KING_ERR_MAX && covered / cells >= KING_COVER))
		BLOC_FAIL_("King EI: MAE %.4f (max %.4f), coverage %.0f/%.0f", mae, maxerr, covered,
		           cells);
}

/* A unit's (bb, bw) estimate and interval lie inside its bounds; edge units included: no
 * members of the group (x = 0), only members (x = 1), no votes for the party (t = 0), all
 * votes (t = 1), and t just inside ei's 1e-4 threshold. */
BLOC_TEST(king_units_inside_bounds)
{
	static const double edge[][3] = {/* x, bb, bw */
	                                 {0, 0.5, 0.4},     {1, 0.7, 0.5},     {0.3, 0, 0},
	                                 {0.6, 1, 1},       {0.5, 0, 1e-4},    {0.4, 1, 0.99995},
	                                 {0.999, 0.8, 0.1}, {0.001, 0.9, 0.35}};
	size_t ne = sizeof(edge) / sizeof(edge[0]), n = 60 + ne, i;
	bloc_ei_input in, gen;
	bloc_ei_bounds b;
	bloc_ei_king_options o;
	bloc_ei_king k;
	double truth[2];

	BLOC_REQUIRE(king_data(&gen, truth, n - ne, TRUTH[0], 5) == 0);
	BLOC_REQUIRE(input_alloc(&in, n) == 0);
	memcpy(in.gcount, gen.gcount, 2 * (n - ne) * sizeof(double));
	memcpy(in.pcount, gen.pcount, 2 * (n - ne) * sizeof(double));
	memcpy(in.total, gen.total, (n - ne) * sizeof(double));
	input_free(&gen);
	for (i = 0; i < ne; i++)
		set_unit(&in, n - ne + i, 800, edge[i][0], edge[i][1], edge[i][2]);
	small_options(&o, 3);
	BLOC_CHECK_OK(bloc_ei_king_fit(&k, &in, 0, 0, &o));
	BLOC_CHECK_OK(bloc_ei_bounds_compute(&b, &in));
	for (i = 0; i < n; i++) {
		size_t r;
		for (r = 0; r < 2; r++) {
			/* bounds of group r (0 = the group, 1 = the rest) for party 0 */
			double lo = b.lo[(i * 2 + r) * 2], hi = b.hi[(i * 2 + r) * 2];
			double e = k.unit_est[2 * i + r], l = k.unit_lo95[2 * i + r];
			double h = k.unit_hi95[2 * i + r];
			if (!(lo - 1e-12 <= l && l <= e && e <= h && h <= hi + 1e-12))
				BLOC_FAIL_(
				    "unit %zu side %zu: %.6f [%.6f, %.6f] outside [%.6f, %.6f]", i,
				    r, e, l, h, lo, hi);
		}
		/* the accounting identity holds draw by draw, so for the means */
		{
			double x = in.gcount[2 * i] / in.total[i],
			       t = in.pcount[2 * i] / in.total[i];
			if (x > 0 && x < 1)
				BLOC_CHECK_NEAR(k.unit_est[2 * i] * x +
				                    k.unit_est[2 * i + 1] * (1 - x),
				                t, 0, 1e-9);
		}
	}
	/* t = 0 and t = 1 pin both shares; x = 1 pins bb = t, x = 0 pins bw = t */
	BLOC_CHECK(k.unit_est[2 * (n - ne + 2)] == 0 && k.unit_hi95[2 * (n - ne + 2) + 1] == 0);
	BLOC_CHECK(k.unit_est[2 * (n - ne + 3)] == 1 && k.unit_lo95[2 * (n - ne + 3) + 1] == 1);
	BLOC_CHECK_NEAR(k.unit_est[2 * (n - ne + 1)], 0.7, 0, 1e-12);
	BLOC_CHECK_NEAR(k.unit_est[2 * (n - ne) + 1], 0.4, 0, 1e-12);
	for (i = 0; i < 2; i++)
		BLOC_CHECK(b.agg_lo[i * 2] - 1e-12 <= k.lo95[i] &&
		           k.hi95[i] <= b.agg_hi[i * 2] + 1e-12);
	bloc_ei_bounds_dispose(&b);
	bloc_ei_king_dispose(&k);
	input_free(&in);
}

BLOC_TEST(king_is_seeded)
{
	bloc_ei_input in;
	bloc_ei_king_options o;
	bloc_ei_king a, b, c;
	double truth[2];
	size_t n = 80, i, differ = 0;

	BLOC_REQUIRE(king_data(&in, truth, n, TRUTH[1], 9) == 0);
	small_options(&o, 42);
	BLOC_CHECK_OK(bloc_ei_king_fit(&a, &in, 0, 0, &o));
	BLOC_CHECK_OK(bloc_ei_king_fit(&b, &in, 0, 0, &o));
	o.seed = 43;
	BLOC_CHECK_OK(bloc_ei_king_fit(&c, &in, 0, 0, &o));
	BLOC_CHECK(memcmp(a.agg_draws, b.agg_draws, 2 * o.draws * sizeof(double)) == 0);
	BLOC_CHECK(memcmp(a.unit_est, b.unit_est, 2 * n * sizeof(double)) == 0);
	BLOC_CHECK(memcmp(a.unit_lo95, b.unit_lo95, 2 * n * sizeof(double)) == 0);
	BLOC_CHECK(memcmp(a.unit_hi95, b.unit_hi95, 2 * n * sizeof(double)) == 0);
	BLOC_CHECK(memcmp(a.est, b.est, sizeof(a.est)) == 0 && a.is_ess == b.is_ess);
	/* the mode does not depend on the seed; the draws do */
	BLOC_CHECK(memcmp(a.phi, c.phi, sizeof(a.phi)) == 0);
	for (i = 0; i < 2 * o.draws; i++)
		differ += a.agg_draws[i] != c.agg_draws[i];
	BLOC_CHECK(differ > o.draws);
	BLOC_CHECK(a.est[0] != c.est[0]);
	BLOC_CHECK_NEAR(a.est[0], c.est[0], 0, 0.02);
	bloc_ei_king_dispose(&a);
	bloc_ei_king_dispose(&b);
	bloc_ei_king_dispose(&c);
	input_free(&in);
}

/* An R x C input fits the same as its 2 x 2 collapse: the group against all other groups, the
 * party against all other parties. */
BLOC_TEST(king_collapses_other_groups_and_parties)
{
	bloc_ei_input in, big;
	bloc_ei_king_options o;
	bloc_ei_king a, b;
	double truth[2];
	size_t n = 50, i;

	BLOC_REQUIRE(king_data(&in, truth, n, TRUTH[0], 4) == 0);
	memset(&big, 0, sizeof(big));
	big.n = n;
	big.R = 3;
	big.C = 4;
	big.gcount = calloc(3 * n, sizeof(double));
	big.pcount = calloc(4 * n, sizeof(double));
	big.total = calloc(n, sizeof(double));
	BLOC_REQUIRE(big.gcount && big.pcount && big.total);
	for (i = 0; i < n; i++) {
		/* the group is column 1 of 3, the party column 2 of 4 */
		big.total[i] = in.total[i];
		big.gcount[3 * i] = 0.25 * in.gcount[2 * i + 1];
		big.gcount[3 * i + 1] = in.gcount[2 * i];
		big.gcount[3 * i + 2] = in.total[i] - in.gcount[2 * i] - big.gcount[3 * i];
		big.pcount[4 * i] = 0.5 * in.pcount[2 * i + 1];
		big.pcount[4 * i + 1] = 0.3 * in.pcount[2 * i + 1];
		big.pcount[4 * i + 2] = in.pcount[2 * i];
		big.pcount[4 * i + 3] = 0.2 * in.pcount[2 * i + 1];
	}
	small_options(&o, 7);
	BLOC_CHECK_OK(bloc_ei_king_fit(&a, &in, 0, 0, &o));
	BLOC_CHECK_OK(bloc_ei_king_fit(&b, &big, 1, 2, &o));
	BLOC_CHECK(b.group == 1 && b.party == 2);
	for (i = 0; i < 5; i++)
		BLOC_CHECK_NEAR(a.phi[i], b.phi[i], 0, 1e-9);
	for (i = 0; i < 2; i++)
		BLOC_CHECK_NEAR(a.est[i], b.est[i], 0, 1e-6);
	bloc_ei_king_dispose(&a);
	bloc_ei_king_dispose(&b);
	free(big.gcount);
	free(big.pcount);
	free(big.total);
	input_free(&in);
}

BLOC_TEST(king_rejects_bad_arguments)
{
	bloc_ei_input in;
	bloc_ei_king_options o;
	bloc_ei_king k;
	double truth[2];
	size_t i;

	BLOC_REQUIRE(king_data(&in, truth, 20, TRUTH[0], 1) == 0);
	small_options(&o, 1);
	BLOC_CHECK_INT_EQ(bloc_ei_king_fit(NULL, &in, 0, 0, &o), BLOC_EINVAL);
	BLOC_CHECK_INT_EQ(bloc_ei_king_fit(&k, NULL, 0, 0, &o), BLOC_EINVAL);
	BLOC_CHECK(k.unit_est == NULL && k.agg_draws == NULL);
	BLOC_CHECK_INT_EQ(bloc_ei_king_fit(&k, &in, 2, 0, &o), BLOC_EINVAL);
	BLOC_CHECK_CONTAINS(bloc_error_last(), "group index 2");
	BLOC_CHECK_INT_EQ(bloc_ei_king_fit(&k, &in, 0, 5, &o), BLOC_EINVAL);
	BLOC_CHECK_CONTAINS(bloc_error_last(), "party index 5");
	o.draws = 0;
	BLOC_CHECK_INT_EQ(bloc_ei_king_fit(&k, &in, 0, 0, &o), BLOC_EINVAL);
	BLOC_CHECK_CONTAINS(bloc_error_last(), "draws");
	small_options(&o, 1);
	o.erho = -1;
	BLOC_CHECK_INT_EQ(bloc_ei_king_fit(&k, &in, 0, 0, &o), BLOC_EINVAL);
	small_options(&o, 1);
	/* every unit homogeneous: nothing to separate the group from the rest */
	for (i = 0; i < in.n; i++) {
		in.gcount[2 * i] = i % 2 ? in.total[i] : 0;
		in.gcount[2 * i + 1] = in.total[i] - in.gcount[2 * i];
	}
	BLOC_CHECK_INT_EQ(bloc_ei_king_fit(&k, &in, 0, 0, &o), BLOC_ENUMERIC);
	BLOC_CHECK_CONTAINS(bloc_error_last(), "no unit holds both");
	BLOC_CHECK(k.unit_est == NULL && k.agg_draws == NULL);
	bloc_ei_king_dispose(&k);
	bloc_ei_king_dispose(NULL);
	input_free(&in);
}

/* When the importance weights degenerate (here forced: fewer proposals than draws / 4), the
 * fit falls back to random-walk Metropolis on phi and still recovers the truth. */
BLOC_TEST(king_falls_back_to_metropolis)
{
	uint64_t seed;

	for (seed = 1; seed <= 4; seed++) {
		const double *par = TRUTH[seed % 2];
		bloc_ei_input in;
		bloc_ei_king_options o;
		bloc_ei_king k;
		double truth[2];
		int c;

		BLOC_REQUIRE(king_data(&in, truth, KING_UNITS, par, seed) == 0);
		small_options(&o, seed);
		o.proposals = KING_DRAWS / 5;
		BLOC_CHECK_OK(bloc_ei_king_fit(&k, &in, 0, 0, &o));
		BLOC_CHECK(k.sampler == 1);
		BLOC_CHECK(k.accept > 0.02 && k.accept < 0.9);
		for (c = 0; c < 2; c++) {
			BLOC_CHECK(fabs(k.est[c] - truth[c]) < KING_ERR_MAX);
			BLOC_CHECK(k.lo95[c] < k.hi95[c]);
		}
		bloc_ei_king_dispose(&k);
		input_free(&in);
	}
}
