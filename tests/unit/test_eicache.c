/* The EI cache (store/eicache.c): a per-seat R x C estimate computed once, read back bit for bit
 * from its file, recomputed when the file is corrupt, keyed by its settings, refused without a
 * run when only_cached, and still given when the cache cannot be written. GE2019, Muslim voters,
 * a short run (200 draws, 2 chains, 100 burn-in: about 2 s a run); $BLOC_CACHE is a scratch
 * directory, never the user's. Reads the real data (BLOC_DATA). */
#define _XOPEN_SOURCE 700 /* nftw */
#include "harness.h"

#include "bloc/bloc.h"

#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static char scratch[64];

static int remove_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void remove_scratch(void)
{
	if (*scratch) {
		chmod(scratch, 0700);
		nftw(scratch, remove_one, 16, FTW_DEPTH | FTW_PHYS);
	}
}

/* $BLOC_CACHE = scratch/name; the path in buf. */
static const char *use_cache(const char *name, char *buf, size_t n)
{
	if (!*scratch) {
		snprintf(scratch, sizeof(scratch), "/tmp/bloc-eicache-XXXXXX");
		if (!mkdtemp(scratch)) {
			*scratch = '\0';
			return NULL;
		}
		atexit(remove_scratch);
	}
	snprintf(buf, n, "%s/%s", scratch, name);
	setenv("BLOC_CACHE", buf, 1);
	return buf;
}

static void small_run(bloc_ei_seat_options *o)
{
	bloc_ei_seat_options_init(o);
	o->draws = 200;
	o->chains = 2;
	o->burnin = 100;
	o->threads = 2;
}

static double seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Open a store and GE2019 in it. */
static int open_ge2019(bloc_store **st, const bloc_contest **c)
{
	*st = NULL;
	if (!bloc_test_data() || bloc_store_open(st, bloc_test_data(), NULL) < 0 ||
	    bloc_store_contest(*st, "ge2019", c) < 0) {
		BLOC_FAIL_("opening ge2019: %s", bloc_error_last());
		bloc_store_free(*st);
		*st = NULL;
		return -1;
	}
	return 0;
}

/* Bit for bit (every NaN equal to every NaN). */
static int same_reals(const double *a, const double *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!(isnan(a[i]) && isnan(b[i])) && memcmp(&a[i], &b[i], sizeof(double)) != 0)
			return 0;
	return 1;
}

static int same_estimate(const bloc_ei_seats *a, const bloc_ei_seats *b)
{
	size_t nC = a->nseats * a->C, C2 = 2 * a->C;

	return a->nseats == b->nseats && a->C == b->C &&
	       memcmp(a->parties, b->parties, a->C * sizeof(*a->parties)) == 0 &&
	       same_reals(a->est, b->est, nC) && same_reals(a->lo95, b->lo95, nC) &&
	       same_reals(a->hi95, b->hi95, nC) && same_reals(a->other_est, b->other_est, nC) &&
	       same_reals(a->other_lo95, b->other_lo95, nC) &&
	       same_reals(a->other_hi95, b->other_hi95, nC) &&
	       same_reals(a->group_votes, b->group_votes, a->nseats) &&
	       same_reals(a->other_votes, b->other_votes, a->nseats) &&
	       same_reals(a->agg_est, b->agg_est, C2) && same_reals(a->agg_sd, b->agg_sd, C2) &&
	       same_reals(a->agg_lo95, b->agg_lo95, C2) &&
	       same_reals(a->agg_hi95, b->agg_hi95, C2) &&
	       same_reals(a->agg_rhat, b->agg_rhat, C2) && same_reals(a->agg_ess, b->agg_ess, C2) &&
	       a->units == b->units && a->skipped == b->skipped && a->draws == b->draws &&
	       a->sweeps == b->sweeps && a->converged == b->converged &&
	       a->accept_ridge == b->accept_ridge && a->accept_collective == b->accept_collective &&
	       strcmp(a->key, b->key) == 0;
}

/* A copy of what the tests compare, kept after its store is freed. */
static bloc_ei_seats *copy(const bloc_ei_seats *x)
{
	bloc_ei_seats *y = calloc(1, sizeof(*y));
	size_t nC = x->nseats * x->C, C2 = 2 * x->C;
	double **to[] = {&y->est,         &y->lo95,       &y->hi95,     &y->other_est,
	                 &y->other_lo95,  &y->other_hi95, &y->agg_est,  &y->agg_sd,
	                 &y->agg_lo95,    &y->agg_hi95,   &y->agg_rhat, &y->agg_ess,
	                 &y->group_votes, &y->other_votes};
	const double *from[] = {x->est,         x->lo95,       x->hi95,     x->other_est,
	                        x->other_lo95,  x->other_hi95, x->agg_est,  x->agg_sd,
	                        x->agg_lo95,    x->agg_hi95,   x->agg_rhat, x->agg_ess,
	                        x->group_votes, x->other_votes};
	size_t k;

	*y = *x;
	y->warning = NULL;
	y->parties = malloc(x->C * sizeof(*x->parties));
	memcpy(y->parties, x->parties, x->C * sizeof(*x->parties));
	for (k = 0; k < 14; k++) {
		size_t n = k < 6 ? nC : k < 12 ? C2 : x->nseats;
		*to[k] = malloc(n * sizeof(double));
		memcpy(*to[k], from[k], n * sizeof(double));
	}
	return y;
}

static void copy_free(bloc_ei_seats *y)
{
	double *a[] = {y->est,        y->lo95,    y->hi95,        y->other_est,  y->other_lo95,
	               y->other_hi95, y->agg_est, y->agg_sd,      y->agg_lo95,   y->agg_hi95,
	               y->agg_rhat,   y->agg_ess, y->group_votes, y->other_votes};
	size_t k;

	if (!y)
		return;
	for (k = 0; k < 14; k++)
		free(a[k]);
	free(y->parties);
	free(y);
}

/* The first run, kept for the tests after it. */
static bloc_ei_seats *first;
static char first_file[512];

BLOC_TEST(eicache_computed_then_read_back_bit_for_bit)
{
	bloc_ei_seat_options o;
	const bloc_ei_seats *x, *again;
	const bloc_contest *c;
	bloc_store *st;
	char dir[256];
	double t0, t_run, t_hit;
	struct stat sb;
	size_t s, k, seen = 0;

	BLOC_REQUIRE(use_cache("cache", dir, sizeof(dir)));
	BLOC_REQUIRE(open_ge2019(&st, &c) == 0);
	small_run(&o);
	t0 = seconds();
	BLOC_CHECK_OK(bloc_store_ei_seats(st, c, "muslim", &o, &x));
	t_run = seconds() - t0;
	BLOC_CHECK_INT_EQ(x->from_cache, 0);
	BLOC_CHECK_INT_EQ(x->written, 1);
	BLOC_CHECK(x->warning == NULL);
	BLOC_CHECK_INT_EQ(x->nseats, c->nseats);
	BLOC_CHECK_INT_EQ(x->units + x->skipped, c->nseats);
	BLOC_CHECK_STR_EQ(x->group, "muslim");
	BLOC_CHECK_STR_EQ(x->contest, "ge2019");
	BLOC_CHECK_STR_EQ(bloc_party_code(x->parties[x->C - 1]), "OTH");
	BLOC_CHECK(strncmp(x->file, "ei-ge2019-muslim-", 17) == 0);
	/* seats in the contest's order; a skipped seat (Northern Ireland: no census) is NaN */
	for (s = 0; s < x->nseats; s++) {
		int skipped = isnan(x->group_votes[s]);
		double sum = 0, votes = 0;
		seen += !skipped;
		if (skipped) {
			BLOC_CHECK(isnan(x->est[s * x->C]) && isnan(x->other_hi95[s * x->C]));
			continue;
		}
		/* the accounting identity, in the means: group and rest give the seat's result */
		for (k = 0; k < x->C; k++) {
			sum += x->group_votes[s] * x->est[s * x->C + k] +
			       x->other_votes[s] * x->other_est[s * x->C + k];
			BLOC_CHECK(x->lo95[s * x->C + k] <= x->est[s * x->C + k] + 1e-12);
		}
		votes = x->group_votes[s] + x->other_votes[s];
		BLOC_CHECK_NEAR(sum, votes, 1e-9, 1e-6);
		BLOC_CHECK_NEAR(votes, (double)c->valid[s], 1e-12, 1e-6);
	}
	BLOC_CHECK_INT_EQ(seen, x->units);
	BLOC_CHECK(isnan(x->group_votes[bloc_contest_seat(c, "N06000001")]));
	/* asked again: the same pointer */
	BLOC_CHECK_OK(bloc_store_ei_seats(st, c, "muslim", &o, &again));
	BLOC_CHECK(again == x);
	snprintf(first_file, sizeof(first_file), "%s/%s", dir, x->file);
	BLOC_CHECK(stat(first_file, &sb) == 0 && S_ISREG(sb.st_mode));
	first = copy(x);
	bloc_store_free(st);

	/* a new store (a new process, as far as the cache knows): read back, bit for bit */
	BLOC_REQUIRE(open_ge2019(&st, &c) == 0);
	t0 = seconds();
	BLOC_CHECK_OK(bloc_store_ei_seats(st, c, "muslim", &o, &x));
	t_hit = seconds() - t0;
	BLOC_CHECK_INT_EQ(x->from_cache, 1);
	BLOC_CHECK_INT_EQ(x->written, 0);
	BLOC_CHECK(x->warning == NULL);
	BLOC_CHECK(same_estimate(x, first));
	BLOC_CHECK(t_hit < 5);
	BLOC_CHECK(t_hit < t_run);
	fprintf(stderr,
	        "eicache: GE2019 muslim, 200 draws x 2 chains: run %.2f s, cache hit %.3f s\n",
	        t_run, t_hit);
	/* only_cached finds it too */
	bloc_store_free(st);
	BLOC_REQUIRE(open_ge2019(&st, &c) == 0);
	o.only_cached = 1;
	BLOC_CHECK_OK(bloc_store_ei_seats(st, c, "muslim", &o, &x));
	BLOC_CHECK_INT_EQ(x->from_cache, 1);
	BLOC_CHECK(same_estimate(x, first));
	bloc_store_free(st);
}

/* bloc ei CONTEST --groups G --method rxc --by seat shows the same numbers, through the store. */
BLOC_TEST(eicache_bloc_ei_by_seat_is_the_same_estimate)
{
	const char *set[][2] = {{"contest", "ge2019"}, {"groups", "muslim"}, {"method", "rxc"},
	                        {"by", "seat"},        {"draws", "200"},     {"chains", "2"},
	                        {"burnin", "100"}};
	bloc_answer a = BLOC_ANSWER_INIT;
	bloc_request *rq = NULL;
	const bloc_contest *c;
	bloc_store *st;
	char dir[256];
	size_t i, k, s, row = 0, C;
	const char *cache = NULL;

	BLOC_REQUIRE(first);
	BLOC_REQUIRE(use_cache("cache", dir, sizeof(dir)));
	BLOC_REQUIRE(open_ge2019(&st, &c) == 0);
	BLOC_CHECK_OK(bloc_request_new(&rq, "ei"));
	for (i = 0; i < sizeof(set) / sizeof(set[0]); i++)
		BLOC_CHECK_OK(bloc_request_set(rq, set[i][0], set[i][1]));
	BLOC_CHECK_OK(bloc_query_run(&a, st, rq));
	BLOC_REQUIRE(a.table);
	for (i = 0; i < bloc_table_nmeta(a.table); i++)
		if (strcmp(bloc_table_meta_key(a.table, i), "cache") == 0)
			cache = bloc_table_meta_value(a.table, i);
	BLOC_CHECK(cache && strncmp(cache, "hit ei-ge2019-muslim-", 21) == 0);
	C = first->C;
	BLOC_CHECK_INT_EQ(bloc_table_nrows(a.table), first->units * 2 * C);
	for (s = 0; s < c->nseats && row < bloc_table_nrows(a.table); s++) {
		if (isnan(first->group_votes[s]))
			continue;
		for (k = 0; k < 2 * C; k++, row++) {
			const double *v = k < C ? first->est : first->other_est;
			double got = bloc_table_real(a.table, row, 3);
			BLOC_CHECK_STR_EQ(bloc_table_string(a.table, row, 0), c->code[s]);
			if (memcmp(&got, &v[s * C + k % C], sizeof(double)) != 0) {
				BLOC_FAIL_("row %zu: %.17g, the store's %.17g", row, got,
				           v[s * C + k % C]);
				break;
			}
		}
	}
	bloc_answer_dispose(&a);
	bloc_request_free(rq);
	bloc_store_free(st);
}

/* A file that is corrupt, truncated or for another key is never trusted. */
BLOC_TEST(eicache_corrupt_file_recomputed)
{
	bloc_ei_seat_options o;
	const bloc_ei_seats *x;
	const bloc_contest *c;
	bloc_store *st;
	char dir[256];
	struct stat sb;
	FILE *fp;
	long at;
	int ch;

	BLOC_REQUIRE(first && *first_file);
	BLOC_REQUIRE(use_cache("cache", dir, sizeof(dir)));
	small_run(&o);
	/* one digit changed in the middle */
	BLOC_REQUIRE(stat(first_file, &sb) == 0);
	BLOC_REQUIRE((fp = fopen(first_file, "r+b")) != NULL);
	for (at = (long)sb.st_size / 2; (fseek(fp, at, SEEK_SET), ch = fgetc(fp)) != EOF; at++)
		if (ch >= '1' && ch <= '8')
			break;
	fseek(fp, at, SEEK_SET);
	fputc(ch + 1, fp);
	fclose(fp);
	/* only_cached: refused (never run), saying why the file was not used */
	BLOC_REQUIRE(open_ge2019(&st, &c) == 0);
	o.only_cached = 1;
	BLOC_CHECK_INT_EQ(bloc_store_ei_seats(st, c, "muslim", &o, &x), BLOC_ENOTFOUND);
	BLOC_CHECK_CONTAINS(bloc_error_last(), "its file is unusable: its checksum does not match");
	o.only_cached = 0;
	BLOC_CHECK_OK(bloc_store_ei_seats(st, c, "muslim", &o, &x));
	BLOC_CHECK_INT_EQ(x->from_cache, 0);
	BLOC_CHECK_INT_EQ(x->written, 1);
	BLOC_CHECK_CONTAINS(x->warning, "checksum");
	BLOC_CHECK_CONTAINS(x->warning, "recomputed");
	BLOC_CHECK(same_estimate(x, first)); /* the same seed: the same numbers */
	bloc_store_free(st);
	/* rewritten: read back again */
	BLOC_REQUIRE(open_ge2019(&st, &c) == 0);
	BLOC_CHECK_OK(bloc_store_ei_seats(st, c, "muslim", &o, &x));
	BLOC_CHECK_INT_EQ(x->from_cache, 1);
	BLOC_CHECK(same_estimate(x, first));
	bloc_store_free(st);
	/* cut short, and emptied: not read */
	BLOC_REQUIRE(truncate(first_file, sb.st_size - 1000) == 0);
	BLOC_REQUIRE(open_ge2019(&st, &c) == 0);
	o.only_cached = 1;
	BLOC_CHECK_INT_EQ(bloc_store_ei_seats(st, c, "muslim", &o, &x), BLOC_ENOTFOUND);
	BLOC_CHECK_CONTAINS(bloc_error_last(), "its file is unusable: it is truncated");
	bloc_store_free(st);
	BLOC_REQUIRE(truncate(first_file, 0) == 0);
	BLOC_REQUIRE(open_ge2019(&st, &c) == 0);
	BLOC_CHECK_INT_EQ(bloc_store_ei_seats(st, c, "muslim", &o, &x), BLOC_ENOTFOUND);
	bloc_store_free(st);
}

/* Every setting is in the key; only_cached names the command that fills the cache. */
BLOC_TEST(eicache_key_and_only_cached)
{
	bloc_ei_seat_options o;
	const bloc_ei_seats *x;
	const bloc_contest *c;
	bloc_store *st;
	char dir[256], cmd[512];

	BLOC_REQUIRE(use_cache("empty", dir, sizeof(dir)));
	BLOC_REQUIRE(open_ge2019(&st, &c) == 0);
	small_run(&o);
	o.only_cached = 1;
	o.seed = 2;
	BLOC_CHECK_INT_EQ(bloc_store_ei_seats(st, c, "muslim", &o, &x), BLOC_ENOTFOUND);
	BLOC_CHECK_CONTAINS(bloc_error_last(), "bloc ei ge2019 --groups muslim --method rxc --by "
	                                       "seat --seed 2 --draws 200 --chains 2 --burnin 100");
	BLOC_CHECK(strstr(bloc_error_last(), dir) == NULL); /* never where the cache lives */
	BLOC_CHECK_INT_EQ(bloc_store_ei_seats(st, c, "no-such-group", &o, &x), BLOC_ENOTFOUND);
	bloc_store_free(st);
	/* the first run's cache again: another seed, another threshold, another group miss it */
	BLOC_REQUIRE(use_cache("cache", dir, sizeof(dir)));
	BLOC_REQUIRE(open_ge2019(&st, &c) == 0);
	BLOC_CHECK_INT_EQ(bloc_store_ei_seats(st, c, "muslim", &o, &x), BLOC_ENOTFOUND);
	o.seed = 1;
	o.threshold = 0.05;
	BLOC_CHECK_INT_EQ(bloc_store_ei_seats(st, c, "muslim", &o, &x), BLOC_ENOTFOUND);
	BLOC_CHECK_CONTAINS(bloc_error_last(), "--threshold 0.05 --draws 200");
	o.threshold = 0.02;
	BLOC_CHECK_INT_EQ(bloc_store_ei_seats(st, c, "hindu", &o, &x), BLOC_ENOTFOUND);
	o.target_ess = 401;
	BLOC_CHECK_INT_EQ(bloc_store_ei_seats(st, c, "muslim", &o, &x), BLOC_ENOTFOUND);
	o.target_ess = 400;
	o.only_cached = o.no_cache = 1;
	BLOC_CHECK_INT_EQ(bloc_store_ei_seats(st, c, "muslim", &o, &x), BLOC_EINVAL);
	bloc_store_free(st);
	bloc_ei_seat_options_init(&o);
	BLOC_CHECK_STR_EQ(bloc_ei_seats_command("ge2024", "hindu", &o, cmd, sizeof(cmd)),
	                  "bloc ei ge2024 --groups hindu --method rxc --by seat");
	BLOC_CHECK_STR_EQ(bloc_ei_seats_command("my results.csv", "sikh", NULL, cmd, sizeof(cmd)),
	                  "bloc ei 'my results.csv' --groups sikh --method rxc --by seat");
}

/* A cache directory that cannot be made or written: the answer, with a warning. */
BLOC_TEST(eicache_unwritable_directory_warns)
{
	bloc_ei_seat_options o;
	const bloc_ei_seats *x;
	const bloc_contest *c;
	bloc_store *st;
	char dir[256], file[300];
	FILE *fp;

	BLOC_REQUIRE(first);
	/* under a regular file: no mkdir can succeed, root or not */
	BLOC_REQUIRE(use_cache("a-file", dir, sizeof(dir)));
	BLOC_REQUIRE((fp = fopen(dir, "w")) != NULL);
	fclose(fp);
	snprintf(file, sizeof(file), "%s/bloc", dir);
	setenv("BLOC_CACHE", file, 1);
	BLOC_REQUIRE(open_ge2019(&st, &c) == 0);
	small_run(&o);
	BLOC_CHECK_OK(bloc_store_ei_seats(st, c, "muslim", &o, &x));
	BLOC_CHECK_INT_EQ(x->from_cache, 0);
	BLOC_CHECK_INT_EQ(x->written, 0);
	BLOC_CHECK_CONTAINS(x->warning, "cannot write the EI cache file");
	BLOC_CHECK(same_estimate(x, first));
	bloc_store_free(st);
}

/* no_cache: run, and nothing read or written. */
BLOC_TEST(eicache_no_cache)
{
	bloc_ei_seat_options o;
	const bloc_ei_seats *x, *y;
	const bloc_contest *c;
	bloc_store *st;
	char dir[256];
	struct stat sb;

	BLOC_REQUIRE(first);
	BLOC_REQUIRE(use_cache("untouched", dir, sizeof(dir)));
	BLOC_REQUIRE(open_ge2019(&st, &c) == 0);
	small_run(&o);
	o.no_cache = 1;
	BLOC_CHECK_OK(bloc_store_ei_seats(st, c, "muslim", &o, &x));
	BLOC_CHECK_INT_EQ(x->from_cache, 0);
	BLOC_CHECK_INT_EQ(x->written, 0);
	BLOC_CHECK(x->warning == NULL);
	BLOC_CHECK(same_estimate(x, first));
	BLOC_CHECK(stat(dir, &sb) != 0); /* not even the directory */
	/* nor handed to a later call that may use the cache */
	o.no_cache = 0;
	o.only_cached = 1;
	BLOC_CHECK_INT_EQ(bloc_store_ei_seats(st, c, "muslim", &o, &y), BLOC_ENOTFOUND);
	bloc_store_free(st);
	copy_free(first);
	first = NULL;
}
