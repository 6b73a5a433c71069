/* bench_power: the cost of bloc power in the library.
 *
 *  1. Closed form: bloc_power_compute without Monte Carlo for every census group (14) over
 *     every seat of the contest (650), i.e. one full `bloc power --summary`'s computation. The
 *     14 group shares are loaded first, untimed. Timed as a whole (all 14 calls), repeated; the
 *     figure is the median. Budget: 50 ms.
 *  2. Monte Carlo: 10,000 simulations per seat for one group (default muslim) over every seat,
 *     with 1 thread and with 2; median of the repeats. Budget: 2 s on 2 cores. The results of the
 *     two thread counts are compared bit for bit.
 *
 * Printed: the figures against the budgets, decisive counts and a checksum of the pivot
 * probabilities (their sum, %.17g) so runs can be compared.
 *
 *   bench_power [--data DIR] [--contest ID] [--group NAME] [--sims N] [--repeats R]
 *               [--mc-repeats R] */
#include "bloc/contest.h"
#include "bloc/dataset.h"
#include "bloc/io.h"
#include "bloc/error.h"
#include "bloc/store.h"
#include "bloc/groups.h"
#include "bloc/power.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CLOSED_BUDGET_MS 50.0
#define MC_BUDGET_MS     2000.0

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

static int fail(const char *what)
{
	fprintf(stderr, "bench_power: %s: %s\n", what, bloc_error_last());
	return 1;
}

/* One Monte Carlo run; *ms its time. */
static int run_mc(bloc_power *p, const bloc_contest *c, const bloc_group_shares *g,
                  const bloc_power_options *o, double *ms)
{
	double t0 = now_ms();
	int rc = bloc_power_compute(p, c, g, o);

	*ms = now_ms() - t0;
	return rc;
}

int main(int argc, char **argv)
{
	const char *data = NULL, *id = "ge2024", *group = "muslim";
	unsigned long long sims = 10000;
	size_t repeats = 51, mc_repeats = 3, ng = bloc_group_count(), i, k, s;
	bloc_group_shares *g = NULL;
	bloc_dataset *ds = NULL;
	bloc_contest *c = NULL;
	bloc_power_options o;
	double *t = NULL, closed_ms, mc_ms[2], sum[2] = {0, 0};
	size_t decisive_total = 0, identical;
	long mgroup;
	int rc = 1;

	for (i = 1; i < (size_t)argc; i++) {
		const char *a = argv[i], *v = i + 1 < (size_t)argc ? argv[i + 1] : NULL;
		if (!v) {
			fprintf(stderr, "bench_power: %s needs a value\n", a);
			return 2;
		}
		if (!strcmp(a, "--data"))
			data = v;
		else if (!strcmp(a, "--contest"))
			id = v;
		else if (!strcmp(a, "--group"))
			group = v;
		else if (!strcmp(a, "--sims"))
			sims = strtoull(v, NULL, 10);
		else if (!strcmp(a, "--repeats"))
			repeats = (size_t)strtoul(v, NULL, 10);
		else if (!strcmp(a, "--mc-repeats"))
			mc_repeats = (size_t)strtoul(v, NULL, 10);
		else {
			fprintf(stderr,
			        "usage: bench_power [--data DIR] [--contest ID] [--group NAME] "
			        "[--sims N] [--repeats R] [--mc-repeats R]\n");
			return 2;
		}
		i++;
	}
	data = bloc_store_default_dir(data);
	if (repeats == 0 || mc_repeats == 0 || sims == 0) {
		fprintf(stderr, "bench_power: --sims and the repeats must be above 0\n");
		return 2;
	}
	if ((mgroup = bloc_group_find(group)) < 0) {
		fprintf(stderr, "bench_power: unknown group '%s'\n", group);
		return 2;
	}
	if (bloc_dataset_open(&ds, data) < 0)
		return fail(data);
	if (bloc_contest_open(&c, ds, id) < 0) {
		rc = fail(id);
		goto done;
	}
	g = calloc(ng, sizeof(*g));
	t = calloc(repeats > mc_repeats ? repeats : mc_repeats, sizeof(double));
	if (!g || !t) {
		fprintf(stderr, "bench_power: out of memory\n");
		goto done;
	}
	/* untimed: the census shares of every group */
	for (k = 0; k < ng; k++)
		if (bloc_group_shares_open(&g[k], ds, c, bloc_group_name(k)) < 0) {
			rc = fail(bloc_group_name(k));
			goto done;
		}

	/* 1. every group, every seat, no Monte Carlo */
	bloc_power_options_init(&o);
	for (i = 0; i < repeats; i++) {
		double t0 = now_ms();
		size_t nd = 0;
		for (k = 0; k < ng; k++) {
			bloc_power p;
			if (bloc_power_compute(&p, c, &g[k], &o) < 0) {
				rc = fail("bloc_power_compute");
				goto done;
			}
			nd += p.ndecisive;
			bloc_power_dispose(&p);
		}
		t[i] = now_ms() - t0;
		decisive_total = nd;
	}
	closed_ms = median(t, repeats);
	printf("bench_power: %s, %zu seats, %zu groups (%s)\n", id, c->nseats, ng, g[0].census);
	printf("closed form, all groups x all seats: median %.3f ms over %zu runs "
	       "(budget %.0f ms: %s); %.2f us per group; decisive seat-groups at c = 0.87: %zu\n",
	       closed_ms, repeats, CLOSED_BUDGET_MS,
	       closed_ms <= CLOSED_BUDGET_MS ? "within" : "OVER", 1e3 * closed_ms / (double)ng,
	       decisive_total);

	/* 2. the Monte Carlo, 1 thread and 2 */
	{
		bloc_power p[2];
		unsigned threads[2] = {1, 2};
		size_t nsim = 0;

		memset(p, 0, sizeof(p));
		o.sims = sims;
		o.seed = 1;
		for (k = 0; k < 2; k++) {
			o.threads = threads[k];
			for (i = 0; i < mc_repeats; i++) {
				bloc_power_dispose(&p[k]);
				if (run_mc(&p[k], c, &g[mgroup], &o, &t[i]) < 0) {
					rc = fail("bloc_power_compute (Monte Carlo)");
					bloc_power_dispose(&p[0]);
					bloc_power_dispose(&p[1]);
					goto done;
				}
			}
			mc_ms[k] = median(t, mc_repeats);
		}
		for (s = 0, identical = 1; s < c->nseats; s++) {
			for (k = 0; k < 2; k++)
				if (!isnan(p[k].pivot_prob[s]))
					sum[k] += p[k].pivot_prob[s];
			nsim += !isnan(p[0].pivot_prob[s]);
			if (memcmp(&p[0].pivot_prob[s], &p[1].pivot_prob[s], sizeof(double)) != 0)
				identical = 0;
		}
		for (k = 0; k < 2; k++)
			printf(
			    "Monte Carlo, %s, %llu sims x %zu seats, %u thread%s: median %.1f ms "
			    "over %zu runs (budget %.0f ms on 2 cores: %s); %.1f ns per seat-sim\n",
			    g[mgroup].group, sims, nsim, threads[k], threads[k] > 1 ? "s" : "",
			    mc_ms[k], mc_repeats, MC_BUDGET_MS,
			    mc_ms[k] <= MC_BUDGET_MS ? "within" : "OVER",
			    1e6 * mc_ms[k] / ((double)sims * (double)(nsim ? nsim : 1)));
		printf(
		    "speed-up 1 -> 2 threads: %.2fx; pivot sum %.17g (1 thread) %.17g (2 threads): "
		    "%s; %zu decisive, expected pivotal seats %.1f\n",
		    mc_ms[0] / mc_ms[1], sum[0], sum[1], identical ? "bit-identical" : "DIFFERENT",
		    p[0].ndecisive, sum[0]);
		bloc_power_dispose(&p[0]);
		bloc_power_dispose(&p[1]);
		if (!identical)
			goto done;
	}
	rc = 0;
done:
	for (k = 0; g && k < ng; k++)
		bloc_group_shares_dispose(&g[k]);
	free(g);
	free(t);
	bloc_contest_free(c);
	bloc_dataset_free(ds);
	return rc;
}
