/* Census groups: names, the shares of the real census files in $BLOC_DATA for the 2023 boundaries
 * (ONS 2021 + NRS 2022, checked against SOURCES.md and against the percentages of the 2024
 * census summaries file) and the 2010 boundaries (BES 2019), the choice of census, and every kind
 * of malformed census file on small files written to a temporary data directory. */
#include "harness.h"

#include "bloc/contest.h"
#include "bloc/csv.h"
#include "bloc/dataset.h"
#include "bloc/io.h"
#include "bloc/error.h"
#include "bloc/store.h"
#include "bloc/groups.h"
#include "core/alloc.h"

#include <stdlib.h>
#include <unistd.h>

/* ---- helpers ------------------------------------------------------------------------------ */

static bloc_dataset *dataset(void)
{
	return bloc_test_dataset();
}

/* Contests are loaded once per id and kept until exit. */
static struct {
	const char *id;
	bloc_contest *c;
} contests[8];

static void free_contests(void)
{
	size_t i;

	for (i = 0; i < sizeof(contests) / sizeof(contests[0]); i++) {
		bloc_contest_free(contests[i].c);
		contests[i].c = NULL;
	}
}

static const bloc_contest *contest(const char *id)
{
	bloc_dataset *ds = dataset();
	size_t i;

	if (!ds)
		return NULL;
	for (i = 0; i < sizeof(contests) / sizeof(contests[0]) && contests[i].id; i++)
		if (strcmp(contests[i].id, id) == 0)
			return contests[i].c;
	if (i == sizeof(contests) / sizeof(contests[0])) {
		BLOC_FAIL_("test_groups: too many contests");
		return NULL;
	}
	if (i == 0)
		atexit(free_contests);
	if (bloc_contest_open(&contests[i].c, ds, id) < 0) {
		BLOC_FAIL_("bloc_contest_open(%s): %s", id, bloc_error_last());
		return NULL;
	}
	contests[i].id = id;
	return contests[i].c;
}

/* Group `name` for contest `id`; on failure records it and returns -1 (g is then zeroed). */
static int shares(bloc_group_shares *g, const char *id, const char *name)
{
	const bloc_contest *c = contest(id);
	int rc;

	memset(g, 0, sizeof(*g));
	if (!c)
		return -1;
	if ((rc = bloc_group_shares_open(g, dataset(), c, name)) < 0) {
		BLOC_FAIL_("bloc_group_shares_open(%s, %s): %s", id, name, bloc_error_last());
		return -1;
	}
	return 0;
}

static long seat(const char *id, const char *code)
{
	const bloc_contest *c = contest(id);
	long s = c ? bloc_contest_seat(c, code) : -1;

	if (s < 0)
		BLOC_FAIL_("%s: no seat %s", id, code);
	return s;
}

/* Seats of contest `id` whose code starts with `prefix` and that have a share. */
static size_t covered_in(const bloc_group_shares *g, const char *id, char prefix)
{
	const bloc_contest *c = contest(id);
	size_t s, n = 0;

	for (s = 0; c && s < c->nseats; s++)
		n += c->code[s][0] == prefix && !isnan(g->share[s]);
	return n;
}

/* ---- names -------------------------------------------------------------------------------- */

BLOC_TEST(groups_names_and_aliases)
{
	static const char *const names[] = {"christian",      "buddhist",    "hindu",
	                                    "jewish",         "muslim",      "sikh",
	                                    "other-religion", "no-religion", "religion-not-stated",
	                                    "white",          "mixed",       "asian",
	                                    "black",          "other-ethnic"};
	size_t i;

	BLOC_CHECK_INT_EQ(bloc_group_count(), 14);
	for (i = 0; i < 14; i++) {
		BLOC_CHECK_STR_EQ(bloc_group_name(i), names[i]);
		BLOC_CHECK(bloc_group_label(i) && *bloc_group_label(i));
		BLOC_CHECK_INT_EQ(bloc_group_find(names[i]), (long)i);
	}
	BLOC_CHECK(bloc_group_name(14) == NULL && bloc_group_label(14) == NULL);
	BLOC_CHECK_STR_EQ(bloc_group_label(4), "Muslim (census religion)");
	BLOC_CHECK_INT_EQ(bloc_group_find("MUSLIM"), 4);
	BLOC_CHECK_INT_EQ(bloc_group_find(" Muslim "), 4);
	BLOC_CHECK_INT_EQ(bloc_group_find("No religion"), 7);
	BLOC_CHECK_INT_EQ(bloc_group_find("no_religion"), 7);
	BLOC_CHECK_INT_EQ(bloc_group_find("not stated"), 8);
	BLOC_CHECK_INT_EQ(bloc_group_find("Religion not stated"), 8);
	BLOC_CHECK_INT_EQ(bloc_group_find("other religion"), 6);
	BLOC_CHECK_INT_EQ(bloc_group_find("Other ethnic group"), 13);
	BLOC_CHECK_INT_EQ(bloc_group_find("martian"), -1);
	BLOC_CHECK_INT_EQ(bloc_group_find(""), -1);
	BLOC_CHECK_INT_EQ(bloc_group_find(NULL), -1);
	BLOC_CHECK_INT_EQ(bloc_group_find("muslimmuslimmuslimmuslimmuslimmuslimmuslimmuslimmuslim"),
	                  -1);
}

BLOC_TEST(groups_unknown_group_lists_the_groups)
{
	const bloc_contest *c = contest("ge2024");
	bloc_group_shares g;
	size_t i;

	BLOC_REQUIRE(c);
	memset(&g, 0xff, sizeof(g));
	BLOC_CHECK_INT_EQ(bloc_group_shares_open(&g, dataset(), c, "martian"), BLOC_ENOTFOUND);
	BLOC_CHECK_CONTAINS(bloc_error_last(), "'martian'");
	for (i = 0; i < bloc_group_count(); i++)
		BLOC_CHECK_CONTAINS(bloc_error_last(), bloc_group_name(i));
	BLOC_CHECK(g.share == NULL && g.source == NULL && g.census == NULL && g.n == 0);
	bloc_group_shares_dispose(&g);
	bloc_group_shares_dispose(NULL);
	BLOC_CHECK_INT_EQ(bloc_group_shares_open(&g, NULL, c, "muslim"), BLOC_EINVAL);
	BLOC_CHECK_INT_EQ(bloc_group_shares_open(&g, dataset(), NULL, "muslim"), BLOC_EINVAL);
	BLOC_CHECK_INT_EQ(bloc_group_shares_open(NULL, dataset(), c, "muslim"), BLOC_EINVAL);
}

/* ---- 2023 boundaries: ONS 2021 (E&W) + NRS 2022 (Scotland) --------------------------------- */

BLOC_TEST(groups_ge2024_bradford_west_muslim)
{
	bloc_group_shares g;
	long s = seat("ge2024", "E14001120");

	BLOC_REQUIRE(s >= 0);
	BLOC_REQUIRE(shares(&g, "ge2024", "Muslim") == 0);
	/* SOURCES.md: 71,281 Muslim of 121,355 usual residents */
	BLOC_CHECK_NEAR(g.share[s], 71281.0 / 121355.0, 0, 1e-12);
	BLOC_CHECK_NEAR(g.share[s], 0.587, 0, 0.001);
	BLOC_CHECK_STR_EQ(g.group, "muslim");
	BLOC_CHECK_INT_EQ(g.n, 650);
	BLOC_CHECK_STR_EQ(g.source, "census/census21_wpc_religion.csv + "
	                            "census/sc_census22_wpc_religion.csv");
	BLOC_CHECK_STR_EQ(g.census, "2021 (E&W) + 2022 (Scotland) census");
	BLOC_CHECK_STR_EQ(g.unmatched, "");
	printf("ge2024 Bradford West muslim %.6f\n", g.share[s]);
	bloc_group_shares_dispose(&g);
	BLOC_CHECK(g.share == NULL && g.source == NULL);
	bloc_group_shares_dispose(&g); /* twice is fine */
}

/* 575 E&W seats by code + 57 Scottish seats by name; NI has no census. */
static void check_coverage(const char *id, const char *name)
{
	const bloc_contest *c = contest(id);
	bloc_group_shares g;
	size_t s, bad = 0;

	if (!c || shares(&g, id, name) < 0)
		return;
	BLOC_CHECK_INT_EQ(g.covered, 632);
	BLOC_CHECK_INT_EQ(covered_in(&g, id, 'E') + covered_in(&g, id, 'W'), 575);
	BLOC_CHECK_INT_EQ(covered_in(&g, id, 'S'), 57);
	BLOC_CHECK_INT_EQ(covered_in(&g, id, 'N'), 0);
	BLOC_CHECK_STR_EQ(g.unmatched, "");
	for (s = 0; s < c->nseats; s++) {
		int ni = c->code[s][0] == 'N';
		if (ni != !!isnan(g.share[s]) || (!ni && !(g.share[s] >= 0 && g.share[s] <= 1)))
			bad++;
	}
	BLOC_CHECK_INT_EQ(bad, 0);
	printf("%s %s: covered %zu (E&W %zu, Scotland %zu), unmatched '%s'\n", id, name, g.covered,
	       covered_in(&g, id, 'E') + covered_in(&g, id, 'W'), covered_in(&g, id, 'S'),
	       g.unmatched);
	bloc_group_shares_dispose(&g);
}

BLOC_TEST(groups_ge2024_coverage)
{
	check_coverage("ge2024", "muslim");
	check_coverage("ge2024", "asian");
	check_coverage("ge2019-notional-2023", "muslim");
	check_coverage("ge2019-notional-2023", "black");
}

/* Every group of a topic: shares add up to 1 in each covered seat (Scotland is perturbed). */
static void check_topic_sums(const char *id, size_t first, size_t count, double tol_ew,
                             double tol_s)
{
	const bloc_contest *c = contest(id);
	bloc_group_shares g[9];
	size_t i, s, loaded = 0, bad = 0, checked = 0;
	double worst = 0;

	if (!c)
		return;
	for (i = 0; i < count; i++) {
		if (shares(&g[i], id, bloc_group_name(first + i)) < 0)
			goto done;
		loaded++;
	}
	for (s = 0; s < c->nseats; s++) {
		double sum = 0, tol = c->code[s][0] == 'S' ? tol_s : tol_ew;
		int nan = 0;
		for (i = 0; i < count; i++) {
			nan += isnan(g[i].share[s]);
			sum += g[i].share[s];
		}
		if (nan) {
			bad += nan != (int)count || c->code[s][0] != 'N';
			continue;
		}
		checked++;
		if (fabs(sum - 1) > worst)
			worst = fabs(sum - 1);
		if (fabs(sum - 1) > tol) {
			BLOC_FAIL_("%s %s: %s groups %zu.. add up to %.6f", id, c->code[s],
			           c->name[s], first, sum);
			bad++;
		}
	}
	BLOC_CHECK_INT_EQ(bad, 0);
	BLOC_CHECK_INT_EQ(checked, 632);
	printf("%s groups %zu..%zu: %zu seats, largest |sum - 1| = %.2e\n", id, first,
	       first + count - 1, checked, worst);
done:
	for (i = 0; i < loaded; i++)
		bloc_group_shares_dispose(&g[i]);
}

BLOC_TEST(groups_topics_add_up_to_one)
{
	check_topic_sums("ge2024", 0, 9, 1e-9, 0.02);
	check_topic_sums("ge2024", 9, 5, 1e-9, 0.02);
	check_topic_sums("ge2019", 0, 9, 0.01, 0.01);
	check_topic_sums("ge2019", 9, 5, 0.01, 0.01);
}

/* The 2024 census summaries file gives the same shares as percentages to 1 dp, for all 632 GB
 * seats and all 14 groups (Scotland included): an independent check of the category mapping. */
BLOC_TEST(groups_ge2024_agree_with_census_summaries)
{
	static const char *const cols[14] = {
	    "c21Christian",      "c21Buddhist",       "c21Hindu",
	    "c21Jewish",         "c21Muslim",         "c21Sikh",
	    "c21ReligionOther",  "c21NoReligion",     "c21ReligionNotStated",
	    "c21EthnicityWhite", "c21EthnicityMixed", "c21EthnicityAsian",
	    "c21EthnicityBlack", "c21EthnicityOther"};
	const bloc_catalog_entry *e = bloc_dataset_find(dataset(), "census-summaries-2024");
	const bloc_contest *c = contest("ge2024");
	bloc_group_shares g[14];
	bloc_csv_reader *rd = NULL;
	int col[14], code_col, rc;
	size_t i, loaded = 0, compared = 0, off = 0;
	char path[1024];

	BLOC_REQUIRE(c && e);
	snprintf(path, sizeof(path), "%s/%s", bloc_dataset_dir(dataset()), e->path);
	for (i = 0; i < 14; i++) {
		if (shares(&g[i], "ge2024", bloc_group_name(i)) < 0)
			goto done;
		loaded++;
	}
	if (bloc_csv_open(&rd, path, NULL) < 0 || bloc_csv_read_header(rd) < 0) {
		BLOC_FAIL_("%s", bloc_error_last());
		goto done;
	}
	code_col = bloc_csv_col(rd, "ONSConstID");
	BLOC_CHECK(code_col >= 0);
	for (i = 0; i < 14; i++) {
		col[i] = bloc_csv_col(rd, cols[i]);
		BLOC_CHECK(col[i] >= 0);
		if (col[i] < 0 || code_col < 0)
			goto done;
	}
	while ((rc = bloc_csv_next(rd)) > 0) {
		long s = bloc_contest_seat(c, bloc_csv_field(rd, (size_t)code_col));
		if (s < 0) {
			BLOC_FAIL_("summaries: %s is not a ge2024 seat",
			           bloc_csv_field(rd, (size_t)code_col));
			continue;
		}
		for (i = 0; i < 14; i++) {
			double pct;
			if (bloc_csv_field_double(rd, (size_t)col[i], &pct) < 0) {
				BLOC_FAIL_("summaries line %zu: %s blank", bloc_csv_line(rd),
				           cols[i]);
				continue;
			}
			compared++;
			/* 1 dp rounding: within 0.05 points */
			if (fabs(g[i].share[s] * 100 - pct) > 0.05 + 1e-9) {
				off++;
				BLOC_FAIL_("%s %s: %s %.4f%%, summaries %.1f%%", c->code[s],
				           c->name[s], bloc_group_name(i), g[i].share[s] * 100,
				           pct);
			}
		}
	}
	BLOC_CHECK(rc == 0);
	BLOC_CHECK_INT_EQ(compared, 632 * 14);
	BLOC_CHECK_INT_EQ(off, 0);
done:
	bloc_csv_close(rd);
	for (i = 0; i < loaded; i++)
		bloc_group_shares_dispose(&g[i]);
}

/* ---- 2010 boundaries: BES 2019 (2011 census) ---------------------------------------------- */

BLOC_TEST(groups_ge2019_bes)
{
	long bw = seat("ge2019", "E14000589"), bs = seat("ge2019", "E14000548");
	bloc_group_shares g;

	BLOC_REQUIRE(bw >= 0 && bs >= 0);
	BLOC_REQUIRE(shares(&g, "ge2019", "muslim") == 0);
	BLOC_CHECK_NEAR(g.share[bw], 0.513, 0, 0.001);
	BLOC_CHECK_NEAR(g.share[bs], 0.188, 0, 0.001);
	BLOC_CHECK_STR_EQ(g.source, "census/BES-2019-General-Election-results-file-v1.1.csv");
	BLOC_CHECK_STR_EQ(g.census, "2011 census via BES 2019");
	BLOC_CHECK_STR_EQ(g.unmatched, "");
	BLOC_CHECK_INT_EQ(g.covered, 632);
	BLOC_CHECK_INT_EQ(covered_in(&g, "ge2019", 'S'), 59);
	BLOC_CHECK_INT_EQ(covered_in(&g, "ge2019", 'N'), 0);
	printf("ge2019 Bradford West muslim %.6f, Batley and Spen %.6f\n", g.share[bw],
	       g.share[bs]);
	bloc_group_shares_dispose(&g);

	check_coverage("ge2024", "muslim"); /* the same call on other boundaries picks 2021 */
	BLOC_REQUIRE(shares(&g, "ge2017", "asian") == 0);
	BLOC_CHECK_INT_EQ(g.covered, 632);
	BLOC_CHECK_STR_EQ(g.census, "2011 census via BES 2019");
	bloc_group_shares_dispose(&g);
}

BLOC_TEST(groups_by_elections_use_bes)
{
	bloc_group_shares g;

	BLOC_REQUIRE(shares(&g, "by2012-bradford-west", "muslim") == 0);
	BLOC_CHECK_INT_EQ(g.n, 1);
	BLOC_CHECK_INT_EQ(g.covered, 1);
	BLOC_CHECK_NEAR(g.share[0], 0.513, 0, 0.001);
	BLOC_CHECK_STR_EQ(g.census, "2011 census via BES 2019");
	bloc_group_shares_dispose(&g);
	BLOC_REQUIRE(shares(&g, "by2021-batley-and-spen", "muslim") == 0);
	BLOC_CHECK_INT_EQ(g.covered, 1);
	BLOC_CHECK_NEAR(g.share[0], 0.188, 0, 0.001);
	bloc_group_shares_dispose(&g);
}

/* A contest read from a path is not in the catalogue: every census is read, and the one with
 * the most seats wins on the seat codes alone. */
BLOC_TEST(groups_contest_by_path_chosen_by_codes)
{
	static const struct {
		const char *id, *census;
	} cases[] = {{"ge2024", "2021 (E&W) + 2022 (Scotland) census"},
	             {"ge2019", "2011 census via BES 2019"}};
	size_t i;

	BLOC_REQUIRE(dataset());
	for (i = 0; i < 2; i++) {
		const bloc_catalog_entry *e = bloc_dataset_find(dataset(), cases[i].id);
		bloc_contest *c = NULL;
		bloc_group_shares g;
		char path[1024];

		BLOC_REQUIRE(e);
		snprintf(path, sizeof(path), "%s/%s", bloc_dataset_dir(dataset()), e->path);
		BLOC_CHECK_OK(bloc_contest_load(&c, path, NULL));
		if (bloc_group_shares_open(&g, dataset(), c, "hindu") < 0) {
			BLOC_FAIL_("%s by path: %s", cases[i].id, bloc_error_last());
		} else {
			BLOC_CHECK_INT_EQ(g.covered, 632);
			BLOC_CHECK_STR_EQ(g.census, cases[i].census);
			bloc_group_shares_dispose(&g);
		}
		bloc_contest_free(c);
	}
}

/* ---- small files in a temporary data directory -------------------------------------------- */

static char tmpdir[64];

static void write_file(const char *name, const char *text)
{
	char path[256];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	if (!(fp = fopen(path, "wb"))) {
		BLOC_FAIL_("cannot write %s", path);
		return;
	}
	fputs(text, fp);
	fclose(fp);
}

static void remove_file(const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	unlink(path);
}

#define CATALOG_HEAD "id,kind,date,boundaries,path,format,filter,previous,notes\n"
#define CAT_ONS      "census21-religion,census,2021,2023,rel.csv,ons-long-counts,,,\n"
#define CAT_ONS_ETH  "census21-ethnicity,census,2021,2023,eth.csv,ons-long-counts,,,\n"
#define CAT_NRS      "census22-scotland-religion,census,2022,2023,screl.csv,nrs-counts,,,\n"
#define CAT_BES      "bes2019,census,2011,2010,bes.csv,bes-wide,,,\n"
#define ONS_HEAD                                                                                   \
	"Constituencies Code,Constituencies,Religion (10 categories) Code,Religion (10 "           \
	"categories),Observation\n"
/* One E&W seat with every category; `obs` is Muslim's count. */
#define ONS_SEAT(code, obs)                                                                        \
	code ",A,-8,Does not apply,0\n" code ",A,1,No religion,10\n" code                          \
	     ",A,2,Christian,10\n" code ",A,3,Buddhist,10\n" code ",A,4,Hindu,10\n" code           \
	     ",A,5,Jewish,10\n" code ",A,6,Muslim," obs "\n" code ",A,7,Sikh,10\n" code            \
	     ",A,8,Other religion,10\n" code ",A,9,Not answered,10\n"
#define NRS_HEAD                                                                                   \
	"constituency_name,All people,Church of Scotland,Roman Catholic,Other Christian,Buddhist," \
	"Hindu,Jewish,Muslim,Sikh,Pagan,Other religion,No religion,Religion not stated\n"
#define BES_HEAD "ONSConstID,ConstituencyName,c11Muslim,c11EthnicityAsian\n"

/* A contest of E1 (England), S1 "Perth and Kinross-shire" (Scotland), N1 (NI). */
static const char mini_contest[] =
    "contest,date,seat_code,seat_name,region,nation,electorate,party,candidate,votes\n"
    "mini,2024-07-04,E1,Aville,London,England,1000,LAB,A,500\n"
    "mini,2024-07-04,S1,\"Perth and Kinross-shire\",Scotland,Scotland,1000,SNP,B,400\n"
    "mini,2024-07-04,N1,Ntown,Northern Ireland,Northern Ireland,1000,SF,C,300\n";

static bloc_contest *mini(void)
{
	bloc_load_options o = BLOC_LOAD_OPTIONS_INIT;
	bloc_contest *c = NULL;

	o.id = "mini";
	if (bloc_contest_load_mem(&c, mini_contest, strlen(mini_contest), &o) < 0)
		BLOC_FAIL_("mini contest: %s", bloc_error_last());
	return c;
}

/* Write the catalogue and files, open group `name` for the mini contest; returns the code and
 * leaves *g for the caller to dispose. */
static int run_mini(bloc_group_shares *g, const char *catalog, const char *const *files,
                    const char *name)
{
	bloc_dataset *ds = NULL;
	bloc_contest *c = mini();
	size_t i;
	int rc;

	memset(g, 0, sizeof(*g));
	write_file("CATALOG.csv", catalog);
	for (i = 0; files[i]; i += 2)
		write_file(files[i], files[i + 1]);
	if (!c || bloc_dataset_open(&ds, tmpdir) < 0) {
		BLOC_FAIL_("mini data directory: %s", bloc_error_last());
		rc = -100;
	} else {
		rc = bloc_group_shares_open(g, ds, c, name);
	}
	for (i = 0; files[i]; i += 2)
		remove_file(files[i]);
	remove_file("CATALOG.csv");
	bloc_dataset_free(ds);
	bloc_contest_free(c);
	return rc;
}

static int make_tmpdir(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/bloc-groups-XXXXXX");
	if (!mkdtemp(tmpdir)) {
		BLOC_FAIL_("mkdtemp failed");
		return -1;
	}
	return 0;
}

BLOC_TEST(groups_small_files_choice_and_names)
{
	bloc_group_shares g;
	const char *files[] = {"rel.csv", ONS_HEAD ONS_SEAT("E1", "30") ONS_SEAT("E9", "10"),
	                       "screl.csv",
	                       NRS_HEAD "Perth & Kinross-shire,100,1,2,3,4,5,6,20,8,9,10,11,12\n"
	                                "Nowhere,100,1,2,3,4,5,6,7,8,9,10,11,12\n",
	                       NULL};
	const char *bes[] = {"bes.csv", BES_HEAD "E1,Aville,12.5,\n", "rel.csv",
	                     ONS_HEAD ONS_SEAT("E1", "30"), NULL};
	const char *bes_s[] = {"bes.csv", BES_HEAD "S1,Perth,40,\n", "screl.csv",
	                       NRS_HEAD "Perth and Kinross shire,100,1,2,3,4,5,6,20,8,9,10,11,12\n",
	                       NULL};

	const char *no_scot[] = {"rel.csv", ONS_HEAD ONS_SEAT("E1", "30"), "screl.csv",
	                         NRS_HEAD "Nowhere,100,1,2,3,4,5,6,7,8,9,10,11,12\n", NULL};

	BLOC_REQUIRE(make_tmpdir() == 0);
	/* E1 by code, S1 by name ("&" = "and"), N1 has none; Nowhere is reported */
	BLOC_CHECK_OK(run_mini(&g, CATALOG_HEAD CAT_ONS CAT_NRS, files, "muslim"));
	BLOC_CHECK_INT_EQ(g.n, 3);
	BLOC_CHECK_INT_EQ(g.covered, 2);
	BLOC_CHECK_NEAR(g.share[0], 30.0 / 110.0, 0, 1e-12);
	BLOC_CHECK_NEAR(g.share[1], 0.20, 0, 1e-12);
	BLOC_CHECK(isnan(g.share[2]));
	BLOC_CHECK_STR_EQ(g.unmatched, "Nowhere");
	BLOC_CHECK_STR_EQ(g.source, "rel.csv + screl.csv");
	BLOC_CHECK_STR_EQ(g.census, "2021 (E&W) + 2022 (Scotland) census");
	bloc_group_shares_dispose(&g);
	/* Christian = Church of Scotland + Roman Catholic + Other Christian */
	BLOC_CHECK_OK(run_mini(&g, CATALOG_HEAD CAT_ONS CAT_NRS, files, "christian"));
	BLOC_CHECK_NEAR(g.share[1], 0.06, 0, 1e-12);
	bloc_group_shares_dispose(&g);
	/* no Scottish seat matched: the 2022 file is not a source and its names are not listed */
	BLOC_CHECK_OK(run_mini(&g, CATALOG_HEAD CAT_ONS CAT_NRS, no_scot, "muslim"));
	BLOC_CHECK_INT_EQ(g.covered, 1);
	BLOC_CHECK_STR_EQ(g.source, "rel.csv");
	BLOC_CHECK_STR_EQ(g.census, "2021 (E&W) census");
	BLOC_CHECK_STR_EQ(g.unmatched, "");
	bloc_group_shares_dispose(&g);
	/* a tie (E1 by code in both; the contest is not in the catalogue, so boundaries cannot
	 * decide) keeps the first census. Only the file used is the source. */
	BLOC_CHECK_OK(run_mini(&g, CATALOG_HEAD CAT_ONS CAT_BES, bes, "muslim"));
	BLOC_CHECK_INT_EQ(g.covered, 1);
	BLOC_CHECK_STR_EQ(g.census, "2021 (E&W) census");
	BLOC_CHECK_STR_EQ(g.source, "rel.csv");
	bloc_group_shares_dispose(&g);
	/* S1 by name in the 2022 census, by code in BES: BES wins; blank BES value is NaN */
	BLOC_CHECK_OK(run_mini(&g, CATALOG_HEAD CAT_NRS CAT_BES, bes_s, "muslim"));
	BLOC_CHECK_STR_EQ(g.census, "2011 census via BES 2019");
	BLOC_CHECK_STR_EQ(g.source, "bes.csv");
	BLOC_CHECK_NEAR(g.share[1], 0.40, 0, 1e-12);
	bloc_group_shares_dispose(&g);
	BLOC_CHECK_OK(run_mini(&g, CATALOG_HEAD CAT_NRS CAT_BES, bes_s, "asian"));
	BLOC_CHECK_INT_EQ(g.covered, 0); /* BES has S1, but its value is blank */
	BLOC_CHECK(isnan(g.share[1]));
	bloc_group_shares_dispose(&g);
	rmdir(tmpdir);
}

/* The list of unmatched names is capped ("...") however many there are. */
BLOC_TEST(groups_unmatched_names_capped)
{
	static char text[40000];
	const char *files[] = {"screl.csv", text, NULL};
	bloc_group_shares g;
	size_t used, i;

	used = (size_t)snprintf(text, sizeof(text), "%s%s", NRS_HEAD,
	                        "Perth and Kinross-shire,100,1,2,3,4,5,6,20,8,9,10,11,12\n");
	for (i = 0; i < 400; i++)
		used +=
		    (size_t)snprintf(text + used, sizeof(text) - used,
		                     "Somewhere with a long name %zu,100,1,2,3,4,5,6,7,8,9,10,11,"
		                     "12\n",
		                     i);
	BLOC_REQUIRE(used < sizeof(text) - 1);
	BLOC_REQUIRE(make_tmpdir() == 0);
	BLOC_CHECK_OK(run_mini(&g, CATALOG_HEAD CAT_NRS, files, "muslim"));
	BLOC_CHECK_INT_EQ(g.covered, 1);
	BLOC_CHECK(strncmp(g.unmatched, "Somewhere with a long name 0; ", 30) == 0);
	BLOC_CHECK(strlen(g.unmatched) <= 4096);
	BLOC_CHECK(strlen(g.unmatched) > 3 &&
	           strcmp(g.unmatched + strlen(g.unmatched) - 5, "; ...") == 0);
	bloc_group_shares_dispose(&g);
	rmdir(tmpdir);
}

BLOC_TEST(groups_malformed_census_files)
{
	static const struct {
		const char *catalog, *file, *text, *group;
		int code;
		const char *where, *what;
	} cases[] = {
	    {CAT_ONS, "rel.csv", ONS_HEAD ONS_SEAT("E1", "x1"), "muslim", BLOC_EPARSE,
	     "rel.csv:8:15:", "column 'Observation': expected a whole number, found 'x1'"},
	    {CAT_ONS, "rel.csv", ONS_HEAD ONS_SEAT("E1", "-3"), "muslim", BLOC_ENUMERIC,
	     "rel.csv:8:", "expected a count of residents from 0"},
	    {CAT_ONS, "rel.csv", ONS_HEAD ONS_SEAT("E1", ""), "muslim", BLOC_EPARSE,
	     "rel.csv:8:", "expected a count of residents, found an empty field"},
	    {CAT_ONS, "rel.csv", ONS_HEAD ONS_SEAT("E1", "1") "E1,A,10,Jedi,5\n", "muslim",
	     BLOC_EPARSE, "rel.csv:12:9:", "expected a religion category"},
	    {CAT_ONS, "rel.csv", ONS_HEAD ONS_SEAT("E1", "1") "E1,A,6,Muslim,5\n", "muslim",
	     BLOC_EPARSE,
	     "rel.csv:12:", "found 'Muslim' for E1 again (its first category is on line 3)"},
	    {CAT_ONS, "rel.csv", ONS_HEAD "E1,A,6,Muslim,5\n", "muslim", BLOC_EPARSE,
	     "rel.csv:2:1:",
	     "constituency E1: expected a count for every religion category, found none for "
	     "'Christian'"},
	    {CAT_ONS, "rel.csv", ONS_HEAD ",A,6,Muslim,5\n", "muslim", BLOC_EPARSE,
	     "rel.csv:2:1:", "expected a constituency code"},
	    {CAT_ONS, "rel.csv", ONS_HEAD "E1,A,6,Muslim\n", "muslim", BLOC_EPARSE,
	     "rel.csv:2:", "expected 5 fields as in the header, found 4"},
	    {CAT_ONS, "rel.csv", "Code,Name,Count\nE1,A,5\n", "muslim", BLOC_EPARSE,
	     "rel.csv:1:1:", "expected the ONS census columns"},
	    {CAT_ONS, "rel.csv", "", "muslim", BLOC_EPARSE, "rel.csv:1:1:", "expected a header"},
	    {CAT_ONS, "rel.csv", ONS_HEAD "E1,A,\"6\n", "muslim", BLOC_EPARSE, "rel.csv:2:", ""},
	    /* a religion file catalogued as the ethnicity table */
	    {CAT_ONS_ETH, "eth.csv", ONS_HEAD ONS_SEAT("E1", "1"), "asian", BLOC_EPARSE,
	     "eth.csv:3:", "expected an ethnic group category"},
	    {CAT_ONS, "missing.csv", "", "muslim", BLOC_EIO, "rel.csv", ""},
	    {CAT_NRS, "screl.csv", "constituency_name,All people,Muslim\nX,1,1\n", "christian",
	     BLOC_EPARSE, "screl.csv:1:1:", "column 'Church of Scotland'"},
	    {CAT_NRS, "screl.csv", "constituency_name,Muslim\nX,1\n", "muslim", BLOC_EPARSE,
	     "screl.csv:1:1:", "column 'All people'"},
	    {CAT_NRS, "screl.csv",
	     NRS_HEAD "Perth and Kinross-shire,100,1,2,3,4,5,6,20,8,9,10,11,12\n"
	              "PERTH & KINROSS-SHIRE,100,1,2,3,4,5,6,20,8,9,10,11,12\n",
	     "muslim", BLOC_EPARSE,
	     "screl.csv:3:1:", "found 'PERTH & KINROSS-SHIRE' again (first on line 2)"},
	    {CAT_NRS, "screl.csv", NRS_HEAD "X,100,1,2,3,4,5,6,2.5,8,9,10,11,12\n", "muslim",
	     BLOC_EPARSE, "screl.csv:2:", "column 'Muslim': expected a whole number"},
	    {CAT_NRS, "screl.csv", NRS_HEAD "X,100,1,2,3,4,5,6,500,8,9,10,11,12\n", "muslim",
	     BLOC_ENUMERIC, "screl.csv:2:3:", "at least the group's 500"},
	    {CAT_NRS, "screl.csv", NRS_HEAD "--,100,1,2,3,4,5,6,5,8,9,10,11,12\n", "muslim",
	     BLOC_EPARSE, "screl.csv:2:1:", "expected a constituency name"},
	    {CAT_BES, "bes.csv", BES_HEAD "E1,A,150,1\n", "muslim", BLOC_ENUMERIC,
	     "bes.csv:2:", "column 'c11Muslim': expected a percentage from 0 to 100, found '150'"},
	    {CAT_BES, "bes.csv", BES_HEAD "E1,A,abc,1\n", "muslim", BLOC_EPARSE,
	     "bes.csv:2:", "expected a number, found 'abc'"},
	    {CAT_BES, "bes.csv", BES_HEAD "E1,A,1,1\nE1,A,2,2\n", "muslim", BLOC_EPARSE,
	     "bes.csv:3:1:", "found E1 again (first on line 2)"},
	    {CAT_BES, "bes.csv", BES_HEAD "E1,A,1,1\n", "jewish", BLOC_EPARSE,
	     "bes.csv:1:1:", "column 'c11Jewish'"},
	    {CAT_BES, "bes.csv", "ConstituencyName,c11Muslim\nA,1\n", "muslim", BLOC_EPARSE,
	     "bes.csv:1:1:", "column 'ONSConstID'"},
	    /* nothing covers the contest; no census at all */
	    {CAT_BES, "bes.csv", BES_HEAD "E7,A,1,1\n", "muslim", BLOC_ENOTFOUND,
	     "contest mini: no census table covers any of its 3 seats",
	     "bes2019 (2010 boundaries), and Northern Ireland has none"},
	    {"", "x.csv", "", "muslim", BLOC_ENOTFOUND, "CATALOG.csv", "expected census tables"},
	};
	size_t i;

	BLOC_REQUIRE(make_tmpdir() == 0);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char catalog[512];
		const char *files[] = {cases[i].file, cases[i].text, NULL};
		bloc_group_shares g;
		int rc;

		snprintf(catalog, sizeof(catalog), CATALOG_HEAD "%s", cases[i].catalog);
		rc = run_mini(&g, catalog, files, cases[i].group);
		if (rc != cases[i].code || !strstr(bloc_error_last(), cases[i].where) ||
		    !strstr(bloc_error_last(), cases[i].what))
			BLOC_FAIL_("case %zu: %d, expected %d with '%s' and '%s': %s", i, rc,
			           cases[i].code, cases[i].where, cases[i].what, bloc_error_last());
		BLOC_CHECK(g.share == NULL && g.source == NULL && g.census == NULL);
		BLOC_CHECK(strchr(bloc_error_last(), '\n') == NULL);
		bloc_group_shares_dispose(&g);
	}
	rmdir(tmpdir);
}

/* Every allocation failing in turn gives BLOC_ENOMEM, a message, nothing leaked (ASan). */
BLOC_TEST(groups_out_of_memory)
{
	static const char *const ids[] = {"ge2024", "ge2019", "by2012-bradford-west"};
	size_t i;

	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		const bloc_contest *c = contest(ids[i]);
		unsigned long n;
		BLOC_REQUIRE(c);
		for (n = 1; n < 500; n++) {
			bloc_group_shares g;
			int rc;
			bloc__alloc_fail_after(n);
			rc = bloc_group_shares_open(&g, dataset(), c, "muslim");
			bloc__alloc_fail_after(0);
			if (rc == 0) {
				bloc_group_shares_dispose(&g);
				break;
			}
			if (rc != BLOC_ENOMEM || g.share || !*bloc_error_last()) {
				BLOC_FAIL_("%s, allocation %lu failing: %d %s", ids[i], n, rc,
				           bloc_error_last());
				break;
			}
		}
		BLOC_CHECK(n < 500);
	}
}

/* ---- residents per seat ------------------------------------------------------------------- */

BLOC_TEST(groups_population)
{
	bloc_group_shares g;
	long bw24 = seat("ge2024", "E14001120"), bw19 = seat("ge2019", "E14000589");
	long er19 = seat("ge2019", "S14000021");
	const bloc_contest *c24 = contest("ge2024");
	size_t s, ni_nan = 0, ni = 0, positive = 0;

	BLOC_REQUIRE(bw24 >= 0 && bw19 >= 0 && er19 >= 0 && c24);
	/* 2021 ONS counts: 121,355 usual residents in Bradford West (SOURCES.md) */
	BLOC_REQUIRE(shares(&g, "ge2024", "muslim") == 0);
	BLOC_REQUIRE(g.population);
	BLOC_CHECK(g.population[bw24] == 121355);
	for (s = 0; s < c24->nseats; s++) {
		if (c24->code[s][0] == 'N') {
			ni++;
			ni_nan += isnan(g.population[s]);
		} else {
			positive += g.population[s] > 0;
		}
	}
	BLOC_CHECK_INT_EQ(ni, 18);
	BLOC_CHECK_INT_EQ(ni_nan, 18);
	BLOC_CHECK_INT_EQ(positive, 632);
	/* Scotland 2022 (NRS "All people"): the Muslim share's denominator */
	{
		size_t es;
		BLOC_REQUIRE(bloc_contest_find_seat(c24, "East Renfrewshire", &es) == 0);
		BLOC_CHECK(g.population[es] > 80000 && g.population[es] < 120000);
		BLOC_CHECK(g.population[es] == 96817);
	}
	bloc_group_shares_dispose(&g);
	/* the same residents for every group of a topic, and for the other topic (ethnicity) */
	BLOC_REQUIRE(shares(&g, "ge2024", "asian") == 0);
	BLOC_CHECK(g.population[bw24] == 121355);
	bloc_group_shares_dispose(&g);
	/* 2011 via BES: c11Population */
	BLOC_REQUIRE(shares(&g, "ge2019", "muslim") == 0);
	BLOC_CHECK(g.population[bw19] == 114761);
	BLOC_CHECK(g.population[er19] == 90574);
	bloc_group_shares_dispose(&g);
}

/* ---- a plain shares file ------------------------------------------------------------------ */

/* Write `text` as a shares file and load group `name` for the mini contest into *g. */
static int run_csv(bloc_group_shares *g, const char *text, const char *name, char *path, size_t cap)
{
	bloc_contest *c = mini();
	int rc;

	snprintf(path, cap, "%s/shares.csv", tmpdir);
	write_file("shares.csv", text);
	rc = c ? bloc_group_shares_load_csv(g, path, c, name) : -100;
	remove_file("shares.csv");
	bloc_contest_free(c);
	return rc;
}

BLOC_TEST(groups_shares_file)
{
	bloc_group_shares g;
	char path[256];

	BLOC_REQUIRE(make_tmpdir() == 0);
	/* rows for other groups and other seats; a group in any case; N1 has no row */
	BLOC_CHECK_OK(run_csv(&g,
	                      "code,group,share\n"
	                      "E1,Muslim,0.25\n"
	                      "S1,muslim,0.5\n"
	                      "E1,hindu,0.1\n"
	                      "X9,MUSLIM,0.3\n"
	                      "X8,muslim,0.3\n",
	                      "muslim", path, sizeof(path)));
	BLOC_CHECK_INT_EQ(g.n, 3);
	BLOC_CHECK(g.share[0] == 0.25 && g.share[1] == 0.5 && isnan(g.share[2]));
	BLOC_CHECK(isnan(g.population[0]) && isnan(g.population[2]));
	BLOC_CHECK_INT_EQ(g.covered, 2); /* n - covered = 1 seat missing, for the caller to say */
	BLOC_CHECK_STR_EQ(g.group, "muslim");
	BLOC_CHECK_STR_EQ(g.census, "shares file");
	BLOC_CHECK_STR_EQ(g.source, path);
	BLOC_CHECK_STR_EQ(g.unmatched, "X9; X8");
	bloc_group_shares_dispose(&g);
	BLOC_CHECK(g.share == NULL && g.population == NULL);

	/* columns in another order, an alias, population, a blank share (missing, not zero) */
	BLOC_CHECK_OK(run_csv(&g,
	                      "share,population,code,group,note\n"
	                      "0.125,1000,E1,not stated,x\n"
	                      ",2000,S1,Not_Stated,y\n"
	                      "NA,,N1,religion not stated,z\n",
	                      "religion-not-stated", path, sizeof(path)));
	BLOC_CHECK(g.share[0] == 0.125 && isnan(g.share[1]) && isnan(g.share[2]));
	BLOC_CHECK(g.population[0] == 1000 && g.population[1] == 2000 && isnan(g.population[2]));
	BLOC_CHECK_INT_EQ(g.covered, 1);
	BLOC_CHECK_STR_EQ(g.group, "religion-not-stated");
	BLOC_CHECK_STR_EQ(g.unmatched, "");
	bloc_group_shares_dispose(&g);

	/* a group of the file's own */
	BLOC_CHECK_OK(run_csv(&g, "code,group,share\nE1,Kashmiri,0.2\nS1,muslim,0.5\n", "kashmiri",
	                      path, sizeof(path)));
	BLOC_CHECK(g.share[0] == 0.2 && isnan(g.share[1]));
	BLOC_CHECK_STR_EQ(g.group, "kashmiri");
	bloc_group_shares_dispose(&g);
	bloc_group_shares_dispose(&g);
	rmdir(tmpdir);
}

BLOC_TEST(groups_shares_file_errors)
{
	static const struct {
		const char *text, *group;
		int code;
		const char *where, *what;
	} cases[] = {
	    {"code,group,share\nE1,muslim,0.2\nS1,muslim,1.5\n", "muslim", BLOC_ENUMERIC,
	     "shares.csv:3:11", "expected a share from 0 to 1, found '1.5'"},
	    /* checked whichever group the row is for */
	    {"code,group,share\nE1,muslim,0.2\nS1,hindu,-0.1\n", "muslim", BLOC_ENUMERIC,
	     "shares.csv:3:10", "found '-0.1'"},
	    {"code,group,share\nE1,muslim,51.3\n", "muslim", BLOC_ENUMERIC, "shares.csv:2:11",
	     "a percentage? divide by 100"},
	    {"code,group,share\nE1,muslim,lots\n", "muslim", BLOC_EPARSE, "shares.csv:2:11",
	     "expected a number"},
	    {"code,group\nE1,muslim\n", "muslim", BLOC_EPARSE, "shares.csv:1:1", "'share'"},
	    {"seat,group,share\nE1,muslim,0.1\n", "muslim", BLOC_EPARSE, "shares.csv:1:1",
	     "'code'"},
	    {"code,group,share\nE1,muslim,0.1\nE1,Muslim,0.2\n", "muslim", BLOC_EPARSE,
	     "shares.csv:3:1", "E1 again"},
	    {"code,group,share\n,muslim,0.1\n", "muslim", BLOC_EPARSE, "shares.csv:2:1",
	     "expected a constituency code"},
	    {"code,group,share\nE1,,0.1\n", "muslim", BLOC_EPARSE, "shares.csv:2:4",
	     "expected a group name"},
	    {"code,group,share\nE1,muslim\n", "muslim", BLOC_EPARSE, "shares.csv:2:", "3 fields"},
	    {"code,group,share\nE1,hindu,0.1\nS1,sikh,0.1\nN1,hindu,0.2\n", "muslim",
	     BLOC_ENOTFOUND, "shares.csv",
	     "no row for group 'muslim'; the file's groups are "
	     "hindu; sikh"},
	    {"code,group,share\n", "muslim", BLOC_ENOTFOUND, "shares.csv", "the file has no rows"},
	    {"", "muslim", BLOC_EPARSE, "shares.csv:1:1", "expected a header"},
	    {"code,group,share\nE1,muslim,0.1\n", "  ", BLOC_EINVAL, "shares.csv",
	     "expected a group name"},
	};
	size_t i;
	char path[256];

	BLOC_REQUIRE(make_tmpdir() == 0);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bloc_group_shares g;
		int rc = run_csv(&g, cases[i].text, cases[i].group, path, sizeof(path));
		bloc_checks_++;
		if (rc != cases[i].code || !strstr(bloc_error_last(), cases[i].where) ||
		    !strstr(bloc_error_last(), cases[i].what))
			BLOC_FAIL_("case %zu: %d, expected %d with '%s' and '%s': %s", i, rc,
			           cases[i].code, cases[i].where, cases[i].what, bloc_error_last());
		BLOC_CHECK(g.share == NULL && g.population == NULL && g.source == NULL);
		bloc_group_shares_dispose(&g);
	}
	/* a file that is not there */
	{
		bloc_group_shares g;
		bloc_contest *c = mini();
		BLOC_REQUIRE(c);
		BLOC_CHECK_INT_EQ(
		    bloc_group_shares_load_csv(&g, "/nonexistent/shares.csv", c, "muslim"),
		    BLOC_EIO);
		BLOC_CHECK_INT_EQ(bloc_group_shares_load_csv(&g, NULL, c, "muslim"), BLOC_EINVAL);
		bloc_contest_free(c);
	}
	rmdir(tmpdir);
}

/* Every allocation failing in turn: BLOC_ENOMEM, a message, nothing leaked (ASan). */
BLOC_TEST(groups_shares_file_out_of_memory)
{
	bloc_contest *c = mini();
	char path[256];
	unsigned long n;

	BLOC_REQUIRE(c && make_tmpdir() == 0);
	snprintf(path, sizeof(path), "%s/shares.csv", tmpdir);
	write_file("shares.csv", "code,group,share\nE1,muslim,0.25\nX9,muslim,0.1\nE1,hindu,0.1\n"
	                         "E1,kashmiri,0.2\n");
	for (n = 1; n < 200; n++) {
		bloc_group_shares g;
		int rc;
		bloc__alloc_fail_after(n);
		rc = bloc_group_shares_load_csv(&g, path, c, "kashmiri");
		bloc__alloc_fail_after(0);
		if (rc == 0) {
			bloc_group_shares_dispose(&g);
			break;
		}
		if (rc != BLOC_ENOMEM || g.share || !*bloc_error_last()) {
			BLOC_FAIL_("allocation %lu failing: %d %s", n, rc, bloc_error_last());
			break;
		}
	}
	BLOC_CHECK(n > 3 && n < 200);
	remove_file("shares.csv");
	rmdir(tmpdir);
	bloc_contest_free(c);
}
