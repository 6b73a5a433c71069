/* bench_project: the cost of one national projection of ge2024 (650 seats) in the library.
 *
 * One projector (one area: the whole contest) is built once; then bloc_projector_run is timed
 * for each model over a precomputed list of targets: a national swing of x points from LAB to REF,
 * x = 0, 15/(K-1), ..., 15 over K targets, used in turn so that no run sees the same input as the
 * one before. Runs are timed in batches (clock_gettime around each batch); the figure is the
 * median batch divided by the batch size. The full path bloc_project() (scenario -> projection
 * with seat counts, which builds a projector and allocates its result every time) is timed
 * separately for the uniform model.
 *
 * Printed per model: median, minimum and 90th percentile microseconds per projection, scenarios
 * per second, and two checksums computed outside the timed loops: the seats LAB wins at the last
 * target, and the sum of LAB's seats over all K targets (the winner of a seat is its largest
 * share, ties to the earlier column). bench/project.R prints the same checksums.
 *
 *   bench_project [--data DIR] [--contest ID] [--targets K] [--batch N] [--batches B]
 *                 [--tau T] [--model NAME] [--export-shares FILE]
 *
 * --model NAME times that model's kernel only; with "project" the full paths only, and with
 * one full path's name (prepared, prepared-nohold, group+stand) that path only (for profiling
 * with perf).
 * --export-shares writes the projector's inputs as CSV (columns kind,id,valid,<party codes>):
 * one "seat" row per seat (its valid votes and base shares), one "base" row (the area's base
 * shares E and its valid votes) and one "target" row per target, all with %.17g, so that R starts
 * from exactly the same numbers. Budgets: uniform <= 20 us, strong <= 100 us per projection. */
#include "bloc/contest.h"
#include "bloc/dataset.h"
#include "bloc/io.h"
#include "bloc/error.h"
#include "bloc/store.h"
#include "bloc/party.h"
#include "bloc/project.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_SWING_POINTS 15.0

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Seats whose largest share is in column `col` (ties: the earlier column, as bloc_project). */
static long seats_won(const double *shares, size_t nseats, size_t np, size_t col)
{
	size_t s, j, w;
	long n = 0;

	for (s = 0; s < nseats; s++) {
		const double *row = shares + s * np;
		for (j = 1, w = 0; j < np; j++)
			if (row[j] > row[w])
				w = j;
		n += w == col;
	}
	return n;
}

static int export_shares(const char *path, const bloc_contest *c, const bloc_projector *p,
                         const double *targets, size_t ntargets)
{
	const size_t np = bloc_projector_nparties(p);
	const bloc_party *parties = bloc_projector_parties(p);
	const double *base = bloc_projector_base(p), *e = bloc_projector_area_base(p, 0);
	int64_t total = 0;
	size_t s, j, k;
	FILE *f = fopen(path, "w");

	if (!f) {
		fprintf(stderr, "bench_project: %s: cannot write\n", path);
		return -1;
	}
	fprintf(f, "kind,id,valid");
	for (j = 0; j < np; j++)
		fprintf(f, ",%s", bloc_party_code(parties[j]));
	fprintf(f, "\n");
	for (s = 0; s < c->nseats; s++) {
		total += c->valid[s];
		fprintf(f, "seat,%s,%lld", c->code[s], (long long)c->valid[s]);
		for (j = 0; j < np; j++)
			fprintf(f, ",%.17g", base[s * np + j]);
		fprintf(f, "\n");
	}
	fprintf(f, "base,%s,%lld", c->id, (long long)total);
	for (j = 0; j < np; j++)
		fprintf(f, ",%.17g", e[j]);
	fprintf(f, "\n");
	for (k = 0; k < ntargets; k++) {
		fprintf(f, "target,%zu,", k + 1);
		for (j = 0; j < np; j++)
			fprintf(f, ",%.17g", targets[k * np + j]);
		fprintf(f, "\n");
	}
	if (fclose(f) != 0) {
		fprintf(stderr, "bench_project: %s: write failed\n", path);
		return -1;
	}
	return 0;
}

typedef struct {
	double median, min, p90; /* microseconds per projection */
	long lab_last, lab_sum;
} result;

static void summarise(result *r, double *batch_us, long batches, long batch)
{
	qsort(batch_us, (size_t)batches, sizeof(double), cmp_double);
	r->median = batch_us[batches / 2] / (double)batch;
	r->min = batch_us[0] / (double)batch;
	r->p90 = batch_us[(batches * 9) / 10] / (double)batch;
}

static void print_row(const char *what, const result *r)
{
	printf("%-16s %10.3f %10.3f %10.3f %15.0f %15ld %14ld\n", what, r->median, r->min, r->p90,
	       1e6 / r->median, r->lab_last, r->lab_sum);
}

/* Time bloc_projector_run for one model. `sink` collects one share of every run, so that the
 * runs cannot be dropped even if the kernel were inlined. */
static int time_kernel(result *r, bloc_projector *p, size_t nseats, int model, double tau,
                       const double *targets, size_t ntargets, double *shares, long batch,
                       long batches, double *batch_us, size_t lab, double *sink)
{
	const size_t np = bloc_projector_nparties(p), cells = nseats * np;
	size_t k = 0, t;
	long b, i;
	double acc = 0;

	for (b = -2; b < batches; b++) { /* two warm-up batches */
		double t0 = now_us();
		for (i = 0; i < batch; i++) {
			if (bloc_projector_run(p, model, tau, targets + k * np, shares) < 0)
				return -1;
			acc += shares[((size_t)i * 7) % cells];
			if (++k == ntargets)
				k = 0;
		}
		if (b >= 0)
			batch_us[b] = now_us() - t0;
	}
	*sink += acc;
	summarise(r, batch_us, batches, batch);
	/* checksums, outside the timed loop */
	r->lab_sum = 0;
	for (t = 0; t < ntargets; t++) {
		if (bloc_projector_run(p, model, tau, targets + t * np, shares) < 0)
			return -1;
		r->lab_last = seats_won(shares, nseats, np, lab);
		r->lab_sum += r->lab_last;
	}
	return 0;
}

/* The full path's variants, timed side by side on the same swings: bloc_project() as a caller
 * without a projector asks it; with the projector prepared once (as the store and the server
 * do); the same without holding the shares (the targets through the model once); and with a
 * Muslim group shift from a survey baseline and five independents stood (issue 14's budget:
 * within 2x of the prepared path without them). */
enum { FULL_PLAIN, FULL_PREPARED, FULL_NOHOLD, FULL_GROUP_STAND };
static const char *const full_names[] = {"project-uniform", "prepared", "prepared-nohold",
                                         "group+stand"};

static int time_full(result *r, int variant, const bloc_contest *c, bloc_projector *pj,
                     const bloc_group_shares *g, const double *xs, size_t ntargets, long batch,
                     long batches, double *batch_us, bloc_party lab_party, double *sink)
{
	bloc_scenario sc;
	bloc_projection pr;
	size_t k = 0, t, j;
	long b, i;
	double acc = 0;
	const bloc_group_shares *groups = NULL;

	bloc_scenario_init(&sc);
	sc.model = BLOC_MODEL_UNIFORM;
	if (bloc_scenario_set(&sc, "swing", "LAB:REF=0") < 0)
		return -1;
	if (variant == FULL_PLAIN)
		pj = NULL;
	if (variant == FULL_NOHOLD)
		sc.hold_shares = 0;
	if (variant == FULL_GROUP_STAND) {
		if (bloc_scenario_set(&sc, "group", "muslim:LAB=-20,IND=+15,GRN=+5") < 0 ||
		    bloc_scenario_set(&sc, "baseline", "survey:LAB=86,CON=9,LD=3,GRN=2") < 0 ||
		    bloc_scenario_set(&sc, "stand",
		                      "IND@Leicester South,Blackburn,Dewsbury and "
		                      "Batley,Birmingham Perry Barr,Ilford North") < 0)
			return -1;
		groups = g;
	}
	for (b = -2; b < batches; b++) {
		double t0 = now_us();
		for (i = 0; i < batch; i++) {
			sc.swings[0].points = xs[k];
			if (bloc_project_prepared(&pr, c, pj, &sc, groups) < 0)
				return -1;
			acc += (double)pr.seats[0] + pr.national[0];
			bloc_projection_dispose(&pr);
			if (++k == ntargets)
				k = 0;
		}
		if (b >= 0)
			batch_us[b] = now_us() - t0;
	}
	*sink += acc;
	summarise(r, batch_us, batches, batch);
	r->lab_sum = 0;
	for (t = 0; t < ntargets; t++) {
		sc.swings[0].points = xs[t];
		if (bloc_project_prepared(&pr, c, pj, &sc, groups) < 0)
			return -1;
		r->lab_last = 0;
		for (j = 0; j < pr.nparties; j++)
			if (pr.parties[j] == lab_party)
				r->lab_last = (long)pr.seats[j];
		r->lab_sum += r->lab_last;
		bloc_projection_dispose(&pr);
	}
	return 0;
}

static int usage(void)
{
	fprintf(stderr,
	        "usage: bench_project [--data DIR] [--contest ID] [--targets K] [--batch N] "
	        "[--batches B] [--tau T] [--export-shares FILE]\n");
	return 2;
}

int main(int argc, char **argv)
{
	static const int models[] = {BLOC_MODEL_UNIFORM, BLOC_MODEL_PROPORTIONAL,
	                             BLOC_MODEL_TRANSITION, BLOC_MODEL_STRONG};
	const char *dir = NULL, *id = "ge2024", *export_path = NULL;
	int only = -1, only_full = -1;
	long ntargets = 256, batch = 1000, batches = 101, full_batch, i;
	double tau = 0.2, sink = 0, *targets = NULL, *xs = NULL, *shares = NULL, *batch_us = NULL;
	bloc_dataset *ds = NULL;
	bloc_contest *c = NULL;
	bloc_projector *p = NULL;
	bloc_group_shares groups;
	double median[4] = {0, 0, 0, 0};
	int have_groups = 0;
	bloc_party lab_party, ref_party;
	long lab, ref;
	size_t np, k, j, m;
	result r;
	int rc = 1;

	for (i = 1; i < argc; i++) {
		if (i + 1 >= argc)
			return usage();
		if (strcmp(argv[i], "--data") == 0)
			dir = argv[++i];
		else if (strcmp(argv[i], "--contest") == 0)
			id = argv[++i];
		else if (strcmp(argv[i], "--targets") == 0)
			ntargets = strtol(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--batch") == 0)
			batch = strtol(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--batches") == 0)
			batches = strtol(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--tau") == 0)
			tau = strtod(argv[++i], NULL);
		else if (strcmp(argv[i], "--model") == 0) {
			if (strcmp(argv[++i], "project") == 0) {
				only = -2;
			} else if (strcmp(argv[i], "prepared") == 0 ||
			           strcmp(argv[i], "prepared-nohold") == 0 ||
			           strcmp(argv[i], "group+stand") == 0) {
				only = -2;
				only_full = argv[i][0] == 'g' ? FULL_GROUP_STAND
				            : argv[i][8]      ? FULL_NOHOLD
				                              : FULL_PREPARED;
			} else if (bloc_model_parse(argv[i], &only) < 0) {
				fprintf(stderr, "bench_project: %s\n", bloc_error_last());
				return 2;
			}
		} else if (strcmp(argv[i], "--export-shares") == 0)
			export_path = argv[++i];
		else
			return usage();
	}
	dir = bloc_store_default_dir(dir);
	if (ntargets < 2 || batch < 1 || batches < 1) {
		fprintf(stderr,
		        "bench_project: --targets must be at least 2, --batch and --batches "
		        "at least 1\n");
		return 2;
	}
	if (bloc_party_lookup("LAB", &lab_party) < 0 || bloc_party_lookup("REF", &ref_party) < 0) {
		fprintf(stderr, "bench_project: LAB or REF missing from the party registry\n");
		return 1;
	}
	if (bloc_dataset_open(&ds, dir) < 0 || bloc_contest_open(&c, ds, id) < 0 ||
	    bloc_projector_new(&p, c, NULL, 1, NULL, 0) < 0) {
		fprintf(stderr, "bench_project: %s\n", bloc_error_last());
		goto done;
	}
	np = bloc_projector_nparties(p);
	full_batch = batch / 10 > 0 ? batch / 10 : 1;
	lab = bloc_projector_col(p, lab_party);
	ref = bloc_projector_col(p, ref_party);
	if (lab < 0 || ref < 0) {
		fprintf(stderr, "bench_project: %s has no LAB or REF votes\n", id);
		goto done;
	}
	targets = malloc((size_t)ntargets * np * sizeof(double));
	xs = malloc((size_t)ntargets * sizeof(double));
	shares = malloc(c->nseats * np * sizeof(double));
	batch_us = malloc((size_t)batches * sizeof(double));
	if (!targets || !xs || !shares || !batch_us) {
		fprintf(stderr, "bench_project: out of memory\n");
		goto done;
	}
	/* target k: the base shares with x_k points moved from LAB to REF */
	for (k = 0; k < (size_t)ntargets; k++) {
		const double *e = bloc_projector_area_base(p, 0);
		double *t = targets + k * np;
		xs[k] = MAX_SWING_POINTS * (double)k / (double)(ntargets - 1);
		for (j = 0; j < np; j++)
			t[j] = e[j];
		t[lab] -= xs[k] / 100;
		t[ref] += xs[k] / 100;
	}
	if (export_path && export_shares(export_path, c, p, targets, (size_t)ntargets) < 0)
		goto done;

	printf(
	    "bench_project: %s, %zu seats x %zu parties, one area; %ld targets (LAB -> REF "
	    "swing of 0 to %.0f points); tau %g; median of %ld batches of %ld runs (bloc_project: "
	    "%ld)\n",
	    id, c->nseats, np, ntargets, MAX_SWING_POINTS, tau, batches, batch, full_batch);
	printf("%-16s %10s %10s %10s %15s %15s %14s\n", "model", "median_us", "min_us", "p90_us",
	       "scenarios_per_s", "lab_seats_last", "lab_seats_sum");
	for (m = 0; m < sizeof(models) / sizeof(models[0]); m++) {
		if (only != -1 && models[m] != only)
			continue;
		if (time_kernel(&r, p, c->nseats, models[m], tau, targets, (size_t)ntargets, shares,
		                batch, batches, batch_us, (size_t)lab, &sink) < 0) {
			fprintf(stderr, "bench_project: %s\n", bloc_error_last());
			goto done;
		}
		print_row(bloc_model_name(models[m]), &r);
	}
	/* the full path allocates and builds a projector per call: smaller batches */
	if (only != -1 && only != -2)
		goto sink;
	if (bloc_group_shares_open(&groups, ds, c, "muslim") < 0) {
		fprintf(stderr, "bench_project: %s\n", bloc_error_last());
		goto done;
	}
	have_groups = 1;
	for (m = 0; m < sizeof(full_names) / sizeof(full_names[0]); m++) {
		if (only_full >= 0 && (int)m != only_full)
			continue;
		if (time_full(&r, (int)m, c, p, &groups, xs, (size_t)ntargets, full_batch, batches,
		              batch_us, lab_party, &sink) < 0) {
			fprintf(stderr, "bench_project: %s: %s\n", full_names[m],
			        bloc_error_last());
			goto done;
		}
		print_row(full_names[m], &r);
		median[m] = r.median;
	}
	if (only_full < 0)
		printf("bench_project: group+stand / prepared = %.2f; prepared / plain = %.2f\n",
		       median[FULL_GROUP_STAND] / median[FULL_PREPARED],
		       median[FULL_PREPARED] / median[FULL_PLAIN]);
sink:
	printf("bench_project: sampled shares summed over all timed runs: %.6g\n", sink);
	rc = 0;
done:
	if (have_groups)
		bloc_group_shares_dispose(&groups);
	free(targets);
	free(xs);
	free(shares);
	free(batch_us);
	bloc_projector_free(p);
	bloc_contest_free(c);
	bloc_dataset_free(ds);
	return rc;
}
