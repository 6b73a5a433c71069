/* The store: where the data directory is, contests and what is loaded for them cached (the same
 * pointer twice, and the same figures as the uncached loaders), file paths refused when the
 * store takes catalogue ids only, the projector pool equal to bloc_project, and source paths
 * relative to the data directory. Reads the real data in $BLOC_DATA. */
#include "harness.h"

#include "bloc/dataset.h"
#include "bloc/error.h"
#include "bloc/groups.h"
#include "bloc/hexmap.h"
#include "bloc/io.h"
#include "bloc/project.h"
#include "bloc/render.h"
#include "bloc/store.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static bloc_store *open_store(int paths)
{
	bloc_store_options o = BLOC_STORE_OPTIONS_INIT;
	bloc_store *st = NULL;

	o.paths = paths;
	if (!bloc_test_data()) {
		BLOC_FAIL_("BLOC_DATA is not set: these tests read the real data files");
		return NULL;
	}
	if (bloc_store_open(&st, bloc_test_data(), &o) < 0)
		BLOC_FAIL_("bloc_store_open: %s", bloc_error_last());
	return st;
}

static int is_dir(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

BLOC_TEST(default_dir_given_then_env_then_installed_then_source_then_local)
{
	const char *saved = getenv("BLOC_DATA"), *d, *expect;
	char *copy = saved ? strdup(saved) : NULL;

	BLOC_CHECK_STR_EQ(bloc_store_default_dir("/some/where"), "/some/where");
	setenv("BLOC_DATA", "/from/env", 1);
	BLOC_CHECK_STR_EQ(bloc_store_default_dir(NULL), "/from/env");
	BLOC_CHECK_STR_EQ(bloc_store_default_dir(""), "/from/env");
	BLOC_CHECK_STR_EQ(bloc_store_default_dir("given"), "given");
	setenv("BLOC_DATA", "", 1);
	d = bloc_store_default_dir(NULL);
	/* an empty $BLOC_DATA counts as unset: the installed data if there, else the source tree's
	 * data/ (this build's, which the tests read unless $BLOC_DATA names another), else ./data
	 */
	expect = is_dir(BLOC_DATA_INSTALL_DIR)  ? BLOC_DATA_INSTALL_DIR
	         : is_dir(BLOC_DATA_SOURCE_DIR) ? BLOC_DATA_SOURCE_DIR
	                                        : "./data";
	BLOC_CHECK_STR_EQ(d, expect);
	BLOC_CHECK(is_dir(BLOC_DATA_SOURCE_DIR)); /* the project ships its data */
	unsetenv("BLOC_DATA");
	BLOC_CHECK_STR_EQ(bloc_store_default_dir(NULL), d);
	if (copy)
		setenv("BLOC_DATA", copy, 1);
	free(copy);
}

BLOC_TEST(open_rejects_missing_directory_and_bad_version)
{
	bloc_store_options o = BLOC_STORE_OPTIONS_INIT;
	bloc_store *st = NULL;

	const bloc_contest *c = NULL;

	/* catalogue ids only (the server): a missing directory is an error at once */
	o.paths = 0;
	BLOC_CHECK_INT_EQ(bloc_store_open(&st, "/no/such/bloc/data", &o), BLOC_EIO);
	BLOC_CHECK(st == NULL);
	BLOC_CHECK_CONTAINS(bloc_error_last(), "/no/such/bloc/data");
	/* paths too (the CLI): the error waits for the first call that needs the data */
	BLOC_CHECK_OK(bloc_store_open(&st, "/no/such/bloc/data", NULL));
	BLOC_REQUIRE(st != NULL);
	BLOC_CHECK_INT_EQ(bloc_store_ready(st), BLOC_EIO);
	BLOC_CHECK_CONTAINS(bloc_error_last(), "/no/such/bloc/data");
	BLOC_CHECK_INT_EQ(bloc_store_contest(st, "ge2024", &c), BLOC_EIO);
	BLOC_CHECK(c == NULL);
	bloc_store_free(st);
	st = NULL;
	o.paths = 1;
	o.version = 99;
	BLOC_CHECK_INT_EQ(bloc_store_open(&st, bloc_test_data(), &o), BLOC_EINVAL);
	BLOC_CHECK(st == NULL);
}

BLOC_TEST(contests_are_loaded_once)
{
	bloc_store *st = open_store(0);
	const bloc_contest *a = NULL, *b = NULL, *c = NULL;

	if (!st)
		return;
	BLOC_CHECK_STR_EQ(bloc_store_dir(st), bloc_test_data());
	BLOC_CHECK(bloc_store_catalog(st) != NULL);
	BLOC_CHECK(bloc_dataset_find(bloc_store_catalog(st), "ge2024") != NULL);
	BLOC_CHECK_OK(bloc_store_contest(st, "ge2024", &a));
	BLOC_CHECK_OK(bloc_store_contest(st, "ge2024", &b));
	BLOC_CHECK_OK(bloc_store_contest(st, "ge2019", &c));
	BLOC_CHECK(a && a == b);
	BLOC_CHECK(c && c != a);
	BLOC_CHECK_INT_EQ(a->nseats, 650);
	BLOC_CHECK_STR_EQ(a->id, "ge2024");
	/* a row filter names another contest */
	BLOC_CHECK_OK(
	    bloc_store_contest(st, "by-elections-previous-ge:election_date=2019-12-12", &b));
	BLOC_CHECK(b && b != a && b != c);
	bloc_store_free(st);
}

BLOC_TEST(unknown_id_lists_the_ids)
{
	bloc_store *st = open_store(1);
	const bloc_contest *c = (const bloc_contest *)1;

	if (!st)
		return;
	BLOC_CHECK_INT_EQ(bloc_store_contest(st, "ge1066", &c), BLOC_ENOTFOUND);
	BLOC_CHECK(c == NULL);
	BLOC_CHECK_CONTAINS(bloc_error_last(), "ge2024");
	BLOC_CHECK_INT_EQ(bloc_store_contest(st, "census21-religion", &c), BLOC_EINVAL);
	BLOC_CHECK_CONTAINS(bloc_error_last(), "loading census21-religion: ");
	bloc_store_free(st);
}

BLOC_TEST(paths_refused_when_ids_only)
{
	bloc_store *ids = open_store(0), *paths = open_store(1);
	const bloc_contest *c = NULL, *d = NULL;
	const bloc_group_shares *g = NULL;
	bloc_ei_input in;
	bloc_scenario sc;
	char file[1024];

	if (!ids || !paths)
		goto done;
	snprintf(file, sizeof(file), "%s/results/ge2024/HoC-GE2024-results-by-constituency.csv",
	         bloc_test_data());
	BLOC_CHECK_INT_EQ(bloc_store_contest(ids, file, &c), BLOC_ENOTFOUND);
	BLOC_CHECK(c == NULL);
	BLOC_CHECK_CONTAINS(bloc_error_last(), "file paths are not accepted");
	BLOC_CHECK_CONTAINS(bloc_error_last(), "ge2024");
	BLOC_CHECK_INT_EQ(bloc_store_contest(ids, "-", &c), BLOC_ENOTFOUND);
	BLOC_CHECK_CONTAINS(bloc_error_last(), "file paths are not accepted");
	/* the same path is a contest for a store that takes paths */
	BLOC_CHECK_OK(bloc_store_contest(paths, file, &d));
	BLOC_CHECK(d && d->nseats == 650);
	bloc_scenario_init(&sc);
	BLOC_CHECK_INT_EQ(bloc_store_scenario_load(ids, &sc, "-"), BLOC_EINVAL);
	BLOC_CHECK_CONTAINS(bloc_error_last(), "file paths are not accepted");
	BLOC_CHECK_INT_EQ(bloc_store_scenario_load(ids, &sc, "/tmp/x.json"), BLOC_EINVAL);
	BLOC_CHECK_INT_EQ(bloc_store_ei_units(ids, &in, "/tmp/x.csv", "id", NULL, 0, NULL, 0),
	                  BLOC_EINVAL);
	BLOC_CHECK_CONTAINS(bloc_error_last(), "file paths are not accepted");
	BLOC_CHECK_OK(bloc_store_contest(ids, "ge2024", &c));
	BLOC_CHECK_INT_EQ(bloc_store_group_shares_file(ids, c, "/tmp/shares.csv", "muslim", &g),
	                  BLOC_EINVAL);
	BLOC_CHECK_CONTAINS(bloc_error_last(), "file paths are not accepted");
done:
	bloc_store_free(ids);
	bloc_store_free(paths);
}

BLOC_TEST(pair_substitutes_the_notional_result)
{
	bloc_store *st = open_store(0);
	const bloc_contest *a = NULL, *b = NULL, *x = NULL;
	const char *note = NULL;

	if (!st)
		return;
	BLOC_CHECK_OK(bloc_store_contest_pair(st, "ge2019", "ge2024", &a, &b, &note));
	BLOC_REQUIRE(a && b && note);
	BLOC_CHECK_STR_EQ(a->id, "ge2019-notional-2023");
	BLOC_CHECK_CONTAINS(note, "ge2019-notional-2023");
	BLOC_CHECK_OK(bloc_store_contest(st, "ge2024", &x));
	BLOC_CHECK(x == b);
	BLOC_CHECK_OK(bloc_store_contest_pair(st, "ge2017", "ge2019", &a, &b, &note));
	BLOC_CHECK(note == NULL);
	BLOC_CHECK_STR_EQ(a->id, "ge2017");
	bloc_store_free(st);
}

BLOC_TEST(previous_is_the_catalogued_contest)
{
	bloc_store *st = open_store(0);
	const bloc_contest *p = NULL, *q = NULL;

	if (!st)
		return;
	BLOC_CHECK_OK(bloc_store_contest_previous(st, "by2021-batley-and-spen", &p));
	BLOC_CHECK_OK(
	    bloc_store_contest(st, "by-elections-previous-ge:election_date=2019-12-12", &q));
	BLOC_CHECK(p && p == q);
	BLOC_CHECK_OK(bloc_store_contest_previous(st, "ge2024", &p));
	BLOC_CHECK_OK(bloc_store_contest(st, "ge2019-notional-2023", &q));
	BLOC_CHECK(p && p == q);
	BLOC_CHECK_INT_EQ(bloc_store_contest_previous(st, "ge2017", &p), BLOC_ENOTFOUND);
	BLOC_CHECK(p == NULL);
	BLOC_CHECK_CONTAINS(bloc_error_last(), "column 'previous' is blank");
	bloc_store_free(st);
}

BLOC_TEST(group_shares_cached_and_equal_to_the_loader)
{
	bloc_store *st = open_store(0);
	const bloc_contest *c = NULL;
	const bloc_group_shares *g = NULL, *h = NULL;
	bloc_group_shares ref;
	bloc_contest *own = NULL;
	size_t s;

	if (!st)
		return;
	BLOC_CHECK_OK(bloc_store_contest(st, "ge2024", &c));
	BLOC_CHECK_OK(bloc_store_group_shares(st, c, "muslim", &g));
	BLOC_CHECK_OK(bloc_store_group_shares(st, c, "Muslim", &h));
	BLOC_CHECK(g && g == h);
	BLOC_CHECK_OK(bloc_group_shares_open(&ref, bloc_store_catalog(st), c, "muslim"));
	BLOC_CHECK_INT_EQ(g->n, ref.n);
	BLOC_CHECK_INT_EQ(g->covered, ref.covered);
	BLOC_CHECK_STR_EQ(g->source, ref.source);
	for (s = 0; s < ref.n && s < g->n; s++)
		BLOC_CHECK(memcmp(&g->share[s], &ref.share[s], sizeof(double)) == 0);
	bloc_group_shares_dispose(&ref);
	BLOC_CHECK_INT_EQ(bloc_store_group_shares(st, c, "martians", &h), BLOC_ENOTFOUND);
	BLOC_CHECK_CONTAINS(bloc_error_last(), "muslim");
	/* a contest the store did not load */
	BLOC_CHECK_OK(bloc_contest_open(&own, bloc_store_catalog(st), "ge2024"));
	BLOC_CHECK_INT_EQ(bloc_store_group_shares(st, own, "muslim", &h), BLOC_EINVAL);
	BLOC_CHECK_CONTAINS(bloc_error_last(), "not loaded by this store");
	bloc_contest_free(own);
	bloc_store_free(st);
}

BLOC_TEST(hexmap_cached_and_aligned)
{
	bloc_store *st = open_store(0);
	const bloc_contest *c = NULL;
	const bloc_hexmap *m = NULL, *m2 = NULL;

	if (!st)
		return;
	BLOC_CHECK_OK(bloc_store_contest(st, "ge2024", &c));
	BLOC_CHECK_OK(bloc_store_hexmap(st, c, &m));
	BLOC_CHECK_OK(bloc_store_hexmap(st, c, &m2));
	BLOC_REQUIRE(m && m == m2);
	BLOC_CHECK_STR_EQ(m->id, "hex2023");
	BLOC_CHECK_INT_EQ(m->nseats, 650);
	BLOC_CHECK_INT_EQ(m->matched, 650);
	bloc_store_free(st);
}

static int same_projection(const bloc_projection *a, const bloc_projection *b)
{
	size_t n = a->nseats * a->nparties;

	return a->nseats == b->nseats && a->nparties == b->nparties && a->changed == b->changed &&
	       memcmp(a->parties, b->parties, a->nparties * sizeof(*a->parties)) == 0 &&
	       memcmp(a->share, b->share, n * sizeof(double)) == 0 &&
	       memcmp(a->winner, b->winner, a->nseats * sizeof(*a->winner)) == 0 &&
	       memcmp(a->seats, b->seats, a->nparties * sizeof(int64_t)) == 0;
}

BLOC_TEST(store_project_equals_bloc_project)
{
	bloc_store_options o = BLOC_STORE_OPTIONS_INIT;
	bloc_store *st = NULL;
	const bloc_contest *c = NULL;
	const bloc_group_shares *g = NULL;
	bloc_projection p, q, r;
	bloc_scenario sc;
	int i;

	o.projectors = 1;
	if (bloc_store_open(&st, bloc_test_data(), &o) < 0) {
		BLOC_FAIL_("bloc_store_open: %s", bloc_error_last());
		return;
	}
	memset(&p, 0, sizeof(p));
	memset(&q, 0, sizeof(q));
	memset(&r, 0, sizeof(r));
	BLOC_CHECK_OK(bloc_store_contest(st, "ge2024", &c));
	BLOC_CHECK_OK(bloc_store_group_shares(st, c, "muslim", &g));
	bloc_scenario_init(&sc);
	BLOC_CHECK_OK(bloc_scenario_set(&sc, "shares", "LAB=30,CON=25,REF=20"));
	BLOC_CHECK_OK(bloc_scenario_set(&sc, "group", "muslim:LAB=-20"));
	BLOC_CHECK_OK(bloc_scenario_set(&sc, "baseline", "survey:LAB=86,CON=9,LD=3,GRN=2"));
	BLOC_CHECK_OK(bloc_project(&p, c, &sc, g));
	/* twice: the first prepares the pooled projector, the second reuses it */
	for (i = 0; i < 2; i++) {
		BLOC_CHECK_OK(bloc_store_project(st, &q, c, &sc, g));
		BLOC_CHECK(same_projection(&p, &q));
		bloc_projection_dispose(&q);
	}
	/* errors are bloc_project's */
	BLOC_CHECK_INT_EQ(bloc_store_project(st, &r, c, &sc, NULL), bloc_project(&r, c, &sc, NULL));
	bloc_projection_dispose(&r);
	bloc_projection_dispose(&p);
	bloc_store_free(st);
}

BLOC_TEST(sources_relative_to_the_data_directory)
{
	bloc_store *st = open_store(1);
	const bloc_contest *c = NULL;
	bloc_table *t = NULL;
	char buf[512], small[24];

	if (!st)
		return;
	BLOC_CHECK_OK(bloc_store_contest(st, "ge2024", &c));
	BLOC_CHECK_STR_EQ(bloc_store_source_text(st, c, buf, sizeof(buf)),
	                  "results/ge2024/HoC-GE2024-results-by-constituency.csv + "
	                  "results/ge2024/HoC-GE2024-results-by-candidate.csv");
	/* cut, not overrun */
	bloc_store_source_text(st, c, small, sizeof(small));
	BLOC_CHECK(strlen(small) < sizeof(small));
	BLOC_CHECK_OK(bloc_table_new(&t));
	BLOC_CHECK_OK(bloc_store_meta_source(st, t, "source", c));
	BLOC_CHECK_INT_EQ(bloc_table_nmeta(t), 2);
	BLOC_CHECK_STR_EQ(bloc_table_meta_key(t, 0), "source");
	BLOC_CHECK_STR_EQ(bloc_table_meta_value(t, 0),
	                  "results/ge2024/HoC-GE2024-results-by-constituency.csv");
	BLOC_CHECK_STR_EQ(bloc_table_meta_value(t, 1),
	                  "results/ge2024/HoC-GE2024-results-by-candidate.csv");
	bloc_table_free(t);
	bloc_store_free(st);
}

struct race {
	bloc_store *st;
	const bloc_contest *c;
	const bloc_group_shares *g;
	int err;
};

static void *race_one(void *arg)
{
	struct race *r = arg;

	if ((r->err = bloc_store_contest(r->st, "ge2019", &r->c)) == 0)
		r->err = bloc_store_group_shares(r->st, r->c, "hindu", &r->g);
	return NULL;
}

BLOC_TEST(threads_share_one_load)
{
	bloc_store *st = open_store(0);
	struct race r[4];
	pthread_t th[4];
	int i;

	if (!st)
		return;
	for (i = 0; i < 4; i++) {
		r[i].st = st;
		r[i].c = NULL;
		r[i].g = NULL;
		BLOC_REQUIRE(pthread_create(&th[i], NULL, race_one, &r[i]) == 0);
	}
	for (i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	for (i = 0; i < 4; i++) {
		BLOC_CHECK_INT_EQ(r[i].err, 0);
		BLOC_CHECK(r[i].c == r[0].c && r[i].g == r[0].g);
	}
	bloc_store_free(st);
}
