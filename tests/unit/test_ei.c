/* Ecological inference: Goodman's regression against synthetic truth, the Duncan-Davis
 * bounds, and the CSV input's errors. */
#include "bloc/bloc.h"
#include "bloc/ei.h"
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* Tolerances, documented: with noise-free counts Goodman is exact to rounding (1e-9); with
 * multinomial noise (units of 500 to 1500 voters) the aggregate MAE over 20 seeds stays under
 * 0.01 and the 95% intervals cover the realised truth in at least 85% of the cells. */
#define EXACT_TOL     1e-9
#define NOISY_MAE_MAX 0.01
#define COVERAGE_MIN  0.85
#define NOISY_SEEDS   20

static int fit_all(const bloc_ei_input *in, int weighted, bloc_ei_goodman *g, bloc_ei_bounds *b)
{
	return bloc_ei_goodman_fit(g, in, weighted) < 0 ? -1 : bloc_ei_bounds_compute(b, in);
}

BLOC_TEST(goodman_exact_on_noise_free_data)
{
	size_t shapes[][2] = {{2, 2}, {3, 4}, {5, 3}};
	size_t k, r;

	for (k = 0; k < sizeof(shapes) / sizeof(shapes[0]); k++) {
		bloc_ei_synth_options o;
		bloc_ei_synth s;
		int w;

		bloc_ei_synth_options_init(&o);
		o.units = 50;
		o.groups = shapes[k][0];
		o.parties = shapes[k][1];
		o.seed = 11 + k;
		o.exact = 1;
		BLOC_CHECK_OK(bloc_ei_synth_make(&s, &o));
		for (w = 0; w < 2; w++) {
			bloc_ei_goodman g;
			bloc_ei_bounds b;
			bloc_ei_score sc;
			BLOC_CHECK_OK(fit_all(&s.in, w, &g, &b));
			for (r = 0; r < o.groups * o.parties; r++) {
				BLOC_CHECK(fabs(g.est[r] - s.pref[r]) < EXACT_TOL);
				BLOC_CHECK(fabs(s.truth[r] - s.pref[r]) < EXACT_TOL);
				BLOC_CHECK(g.se[r] < 1e-6);
				BLOC_CHECK(!g.outside[r]);
			}
			BLOC_CHECK_OK(bloc_ei_score_goodman(&sc, &s, &g, &b));
			BLOC_CHECK(sc.agg_mae < EXACT_TOL);
			BLOC_CHECK(sc.seat_mae <
			           EXACT_TOL); /* truth is inside the bounds: no clipping */
			bloc_ei_goodman_dispose(&g);
			bloc_ei_bounds_dispose(&b);
		}
		bloc_ei_synth_dispose(&s);
	}
}

BLOC_TEST(goodman_within_tolerance_with_noise)
{
	double mae = 0, seat = 0, cover = 0, width = 0, maxmae = 0;
	uint64_t seed;

	for (seed = 1; seed <= NOISY_SEEDS; seed++) {
		bloc_ei_synth_options o;
		bloc_ei_synth s;
		bloc_ei_goodman g;
		bloc_ei_bounds b;
		bloc_ei_score sc;

		bloc_ei_synth_options_init(&o); /* 200 units, 3 groups, 4 parties */
		o.seed = seed;
		BLOC_CHECK_OK(bloc_ei_synth_make(&s, &o));
		BLOC_CHECK_OK(fit_all(&s.in, 0, &g, &b));
		BLOC_CHECK_OK(bloc_ei_score_goodman(&sc, &s, &g, &b));
		mae += sc.agg_mae;
		seat += sc.seat_mae;
		cover += sc.coverage;
		width += sc.bounds_width;
		if (sc.agg_mae > maxmae)
			maxmae = sc.agg_mae;
		bloc_ei_goodman_dispose(&g);
		bloc_ei_bounds_dispose(&b);
		bloc_ei_synth_dispose(&s);
	}
	mae /= NOISY_SEEDS;
	seat /= NOISY_SEEDS;
	cover /= NOISY_SEEDS;
	width /= NOISY_SEEDS;
	fprintf(stderr,
	        "ei noisy (200 units, 3x4, %d seeds): aggregate MAE %.4f (max %.4f), seat MAE "
	        "%.4f, 95%% coverage %.3f, aggregate bounds width %.3f\n",
	        NOISY_SEEDS, mae, maxmae, seat, cover, width);
	BLOC_CHECK(maxmae < NOISY_MAE_MAX);
	BLOC_CHECK(cover >= COVERAGE_MIN);
}

/* With aggregation bias Goodman is biased and its intervals miss; the bounds still hold. */
BLOC_TEST(bounds_contain_truth_with_and_without_bias)
{
	double biases[] = {0, 0.5, 1};
	size_t k, i;

	for (k = 0; k < 3; k++) {
		bloc_ei_synth_options o;
		bloc_ei_synth s;
		bloc_ei_goodman g;
		bloc_ei_bounds b;
		bloc_ei_score sc;
		size_t n, inside = 0;

		bloc_ei_synth_options_init(&o);
		o.units = 150;
		o.groups = 2 + k;
		o.parties = 3;
		o.bias = biases[k];
		o.seed = 40 + k;
		BLOC_CHECK_OK(bloc_ei_synth_make(&s, &o));
		BLOC_CHECK_OK(fit_all(&s.in, 1, &g, &b));
		n = s.in.n * s.in.R * s.in.C;
		for (i = 0; i < n; i++)
			inside += b.lo[i] - 1e-12 <= s.beta[i] && s.beta[i] <= b.hi[i] + 1e-12;
		BLOC_CHECK_INT_EQ(inside, n);
		for (i = 0; i < s.in.R * s.in.C; i++)
			BLOC_CHECK(b.agg_lo[i] - 1e-12 <= s.truth[i] &&
			           s.truth[i] <= b.agg_hi[i] + 1e-12);
		BLOC_CHECK_OK(bloc_ei_score_goodman(&sc, &s, &g, &b));
		fprintf(stderr,
		        "ei bias %.1f (150 units, %zux3): aggregate MAE %.4f, seat MAE %.4f, "
		        "coverage %.3f\n",
		        o.bias, o.groups, sc.agg_mae, sc.seat_mae, sc.coverage);
		bloc_ei_goodman_dispose(&g);
		bloc_ei_bounds_dispose(&b);
		bloc_ei_synth_dispose(&s);
	}
}

/* The bounded Goodman estimate lies within the aggregate bounds (so in [0, 1]), whether or not
 * Goodman's own does, and is the unit estimates' mean weighted by the group's counts. */
BLOC_TEST(bounded_goodman_within_the_bounds)
{
	double biases[] = {0, 1};
	size_t k, i, r, c;

	for (k = 0; k < 2; k++) {
		bloc_ei_synth_options o;
		bloc_ei_synth s;
		bloc_ei_goodman g;
		bloc_ei_bounds b;
		double est[BLOC_EI_MAX_GROUPS * BLOC_EI_MAX_PARTIES], *unit;
		size_t R, C;

		bloc_ei_synth_options_init(&o);
		o.units = 80;
		o.groups = 3;
		o.parties = 4;
		o.bias = biases[k];
		o.seed = 90 + k;
		BLOC_CHECK_OK(bloc_ei_synth_make(&s, &o));
		BLOC_CHECK_OK(fit_all(&s.in, 0, &g, &b));
		R = s.in.R;
		C = s.in.C;
		BLOC_CHECK_OK(bloc_ei_goodman_bounded(est, &g, &b, &s.in));
		unit = malloc(s.in.n * R * C * sizeof(*unit));
		BLOC_REQUIRE(unit);
		bloc_ei_goodman_units(&g, &b, unit);
		for (r = 0; r < R; r++)
			for (c = 0; c < C; c++) {
				double sum = 0, w = 0;
				for (i = 0; i < s.in.n; i++) {
					sum += s.in.gcount[i * R + r] * unit[(i * R + r) * C + c];
					w += s.in.gcount[i * R + r];
				}
				BLOC_CHECK(est[r * C + c] >= 0 && est[r * C + c] <= 1);
				BLOC_CHECK(b.agg_lo[r * C + c] - 1e-12 <= est[r * C + c] &&
				           est[r * C + c] <= b.agg_hi[r * C + c] + 1e-12);
				BLOC_CHECK_NEAR(est[r * C + c], sum / w, 1e-12, 1e-12);
			}
		free(unit);
		bloc_ei_goodman_dispose(&g);
		bloc_ei_bounds_dispose(&b);
		bloc_ei_synth_dispose(&s);
	}
}

BLOC_TEST(weighted_equals_unweighted_on_equal_units)
{
	bloc_ei_synth_options o;
	bloc_ei_synth s;
	bloc_ei_goodman u, w;
	size_t i;

	bloc_ei_synth_options_init(&o);
	o.equal = 1;
	o.seed = 5;
	BLOC_CHECK_OK(bloc_ei_synth_make(&s, &o));
	BLOC_CHECK_OK(bloc_ei_goodman_fit(&u, &s.in, 0));
	BLOC_CHECK_OK(bloc_ei_goodman_fit(&w, &s.in, 1));
	for (i = 0; i < o.groups * o.parties; i++) {
		BLOC_CHECK(fabs(u.est[i] - w.est[i]) < 1e-12);
		BLOC_CHECK(fabs(u.se[i] - w.se[i]) < 1e-12);
	}
	bloc_ei_goodman_dispose(&u);
	bloc_ei_goodman_dispose(&w);
	bloc_ei_synth_dispose(&s);
}

/* Unequal units: weighting changes the estimate (a check that the weights are used). */
BLOC_TEST(weighted_differs_on_unequal_units)
{
	bloc_ei_synth_options o;
	bloc_ei_synth s;
	bloc_ei_goodman u, w;
	double diff = 0;
	size_t i;

	bloc_ei_synth_options_init(&o);
	o.seed = 6;
	BLOC_CHECK_OK(bloc_ei_synth_make(&s, &o));
	BLOC_CHECK_OK(bloc_ei_goodman_fit(&u, &s.in, 0));
	BLOC_CHECK_OK(bloc_ei_goodman_fit(&w, &s.in, 1));
	for (i = 0; i < o.groups * o.parties; i++)
		diff += fabs(u.est[i] - w.est[i]);
	BLOC_CHECK(diff > 1e-9);
	bloc_ei_goodman_dispose(&u);
	bloc_ei_goodman_dispose(&w);
	bloc_ei_synth_dispose(&s);
}

BLOC_TEST(synth_is_seeded)
{
	bloc_ei_synth_options o;
	bloc_ei_synth a, b;
	size_t i;

	bloc_ei_synth_options_init(&o);
	o.units = 30;
	o.seed = 99;
	BLOC_CHECK_OK(bloc_ei_synth_make(&a, &o));
	BLOC_CHECK_OK(bloc_ei_synth_make(&b, &o));
	for (i = 0; i < a.in.n * a.in.C; i++)
		BLOC_CHECK(a.in.pcount[i] == b.in.pcount[i]);
	for (i = 0; i < a.in.n; i++) {
		double gs = 0, ps = 0;
		size_t k;
		for (k = 0; k < a.in.R; k++)
			gs += a.in.gcount[i * a.in.R + k];
		for (k = 0; k < a.in.C; k++)
			ps += a.in.pcount[i * a.in.C + k];
		BLOC_CHECK(gs == ps && gs == a.in.total[i]);
	}
	bloc_ei_synth_dispose(&a);
	bloc_ei_synth_dispose(&b);
}

/* Write text to a temporary file; its path in path (PATH_MAX-sized). */
static int write_tmp(char *path, size_t len, const char *text)
{
	FILE *fp;
	int fd;

	snprintf(path, len, "/tmp/bloc-test-ei-XXXXXX");
	if ((fd = mkstemp(path)) < 0)
		return -1;
	close(fd);
	if (!(fp = fopen(path, "w")))
		return -1;
	fputs(text, fp);
	return fclose(fp);
}

static const char *const AB[] = {"A", "B"};
static const char *const XY[] = {"X", "Y"};

/* Load text; expect failure with every one of the needles in the message. */
static void expect_error(const char *text, int code, const char *n1, const char *n2)
{
	char path[64];
	bloc_ei_input in;

	BLOC_REQUIRE(write_tmp(path, sizeof(path), text) == 0);
	BLOC_CHECK_INT_EQ(bloc_ei_load_csv(&in, path, "ward", AB, 2, XY, 2), code);
	BLOC_CHECK(strstr(bloc_error_last(), path) != NULL);
	if (n1 && !strstr(bloc_error_last(), n1))
		BLOC_FAIL_("'%s' not in: %s", n1, bloc_error_last());
	if (n2 && !strstr(bloc_error_last(), n2))
		BLOC_FAIL_("'%s' not in: %s", n2, bloc_error_last());
	BLOC_CHECK(in.n == 0 && in.unit == NULL);
	unlink(path);
}

BLOC_TEST(csv_errors_name_unit_and_line)
{
	expect_error("ward,A,B,X,Y\nW1,20,80,40,60\nW2,50,50,55,46\nW3,80,20,70,30\n",
	             BLOC_ENUMERIC, ":3:", "unit 'W2'");
	expect_error("ward,A,B,X,Y\nW1,20,80,40,60\nW2,50,50,55,45\nW3,80,-20,70,30\n",
	             BLOC_ENUMERIC, ":4:", "unit 'W3'");
	expect_error("ward,A,B,X,Y\nW1,20,80,40,60\nW2,50,,55,45\nW3,80,20,70,30\n", BLOC_EPARSE,
	             ":3:", "unit 'W2'");
	expect_error("ward,A,B,X,Y\nW1,20,80,40,60\nW2,50,5o,55,45\n", BLOC_EPARSE, ":3:", NULL);
	expect_error("ward,A,X,Y\nW1,20,40,60\n", BLOC_EPARSE, "'B'", NULL);
	expect_error("ward,A,B,X,Y\nW1,0,0,0,0\nW2,50,50,55,45\nW3,80,20,70,30\n", BLOC_ENUMERIC,
	             ":2:", "unit 'W1'");
	expect_error("ward,A,B,X,Y\nW1,20,80,40,60\nW2,50,50,55,45\n", BLOC_ENUMERIC, "2 units",
	             NULL);
}

/* The hand-made fixture's first four wards are exact: A votes X 0.8, B votes X 0.3. */
BLOC_TEST(hand_made_file)
{
	char path[64];
	bloc_ei_input in;
	bloc_ei_goodman g;
	bloc_ei_bounds b;

	BLOC_REQUIRE(
	    write_tmp(path, sizeof(path),
	              "ward,name,A,B,X,Y\nW1,\"North, upper\",20,80,40,60\n"
	              "W2,South,50,50,55,45\nW3,East,80,20,70,30\nW4,West,10,90,35,65\n") == 0);
	BLOC_CHECK_OK(bloc_ei_load_csv(&in, path, "ward", AB, 2, XY, 2));
	unlink(path);
	BLOC_CHECK_INT_EQ(in.n, 4);
	BLOC_CHECK_STR_EQ(in.unit[0], "W1");
	BLOC_CHECK_OK(fit_all(&in, 0, &g, &b));
	BLOC_CHECK(fabs(g.est[0] - 0.8) < 1e-12 && fabs(g.est[1] - 0.2) < 1e-12);
	BLOC_CHECK(fabs(g.est[2] - 0.3) < 1e-12 && fabs(g.est[3] - 0.7) < 1e-12);
	/* W1: 80 of B, 40 votes for X: B's X share in [(40 - 20) / 80, 40 / 80] */
	BLOC_CHECK(fabs(b.lo[(0 * 2 + 1) * 2 + 0] - 0.25) < 1e-12);
	BLOC_CHECK(fabs(b.hi[(0 * 2 + 1) * 2 + 0] - 0.5) < 1e-12);
	/* W1: A's 20 people: anything */
	BLOC_CHECK(b.lo[0] == 0 && b.hi[0] == 1);
	bloc_ei_goodman_dispose(&g);
	bloc_ei_bounds_dispose(&b);
	bloc_ei_input_dispose(&in);
}

BLOC_TEST(collinear_groups_are_an_error)
{
	char path[64];
	bloc_ei_input in;
	bloc_ei_goodman g;

	BLOC_REQUIRE(write_tmp(path, sizeof(path),
	                       "ward,A,B,X,Y\nW1,20,80,40,60\nW2,10,40,25,25\nW3,30,120,70,80\n") ==
	             0);
	BLOC_CHECK_OK(bloc_ei_load_csv(&in, path, "ward", AB, 2, XY, 2));
	unlink(path);
	BLOC_CHECK_INT_EQ(bloc_ei_goodman_fit(&g, &in, 0), BLOC_ENUMERIC);
	BLOC_CHECK(strstr(bloc_error_last(), "collinear") != NULL);
	bloc_ei_input_dispose(&in);
}

BLOC_TEST(synth_round_trip_through_csv)
{
	static const char *const G[] = {"G1", "G2"}, *const P[] = {"P1", "P2", "P3"};
	bloc_ei_synth_options o;
	bloc_ei_synth s;
	bloc_ei_input in;
	char path[64];
	size_t i;

	bloc_ei_synth_options_init(&o);
	o.units = 20;
	o.groups = 2;
	o.parties = 3;
	BLOC_CHECK_OK(bloc_ei_synth_make(&s, &o));
	BLOC_REQUIRE(write_tmp(path, sizeof(path), "") == 0);
	BLOC_CHECK_OK(bloc_ei_write_csv(&s.in, path));
	BLOC_CHECK_OK(bloc_ei_load_csv(&in, path, "id", G, 2, P, 3));
	unlink(path);
	BLOC_CHECK_INT_EQ(in.n, 20);
	for (i = 0; i < 20 * 3; i++)
		BLOC_CHECK(in.pcount[i] == s.in.pcount[i]);
	bloc_ei_input_dispose(&in);
	bloc_ei_synth_dispose(&s);
}

BLOC_TEST(synth_rejects_bad_options)
{
	bloc_ei_synth_options o;
	bloc_ei_synth s;

	bloc_ei_synth_options_init(&o);
	o.bias = 1.5;
	BLOC_CHECK_INT_EQ(bloc_ei_synth_make(&s, &o), BLOC_EINVAL);
	bloc_ei_synth_options_init(&o);
	o.units = 3;
	BLOC_CHECK_INT_EQ(bloc_ei_synth_make(&s, &o), BLOC_EINVAL);
	bloc_ei_synth_options_init(&o);
	o.parties = 1;
	BLOC_CHECK_INT_EQ(bloc_ei_synth_make(&s, &o), BLOC_EINVAL);
}
