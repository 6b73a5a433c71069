/* Published figures reproduced by bloc from the real files in $BLOC_DATA (issue #2 acceptance).
 * The expected numbers are the published ones (HoC Library, Wikipedia, UKPR); bloc computes its
 * own from the raw votes. */
#include "harness.h"

#include "bloc/analysis.h"
#include "bloc/dataset.h"
#include "bloc/error.h"
#include "bloc/store.h"

#include <math.h>

static bloc_dataset *ds(void)
{
	return bloc_test_dataset();
}

typedef struct {
	const char *party;
	int seats;
} seat_count;

static int64_t seats_of(const bloc_totals *t, const char *code)
{
	size_t j;

	for (j = 0; j < t->nparties; j++)
		if (strcmp(bloc_party_code(t->parties[j]), code) == 0)
			return t->seats[j];
	return 0;
}

static double share_of(const bloc_totals *t, const char *code)
{
	size_t j;

	for (j = 0; j < t->nparties; j++)
		if (strcmp(bloc_party_code(t->parties[j]), code) == 0)
			return t->share[j];
	return NAN;
}

/* Load, check the invariants every general election must satisfy, and the seat counts. */
static void check_general(const char *id, const seat_count *want, size_t nwant, double gallagher)
{
	bloc_contest *c = NULL;
	bloc_seat_results r;
	bloc_totals t;
	bloc_indices x;
	size_t s, k, j;
	int64_t seats = 0;
	double shares = 0;

	BLOC_REQUIRE(ds());
	BLOC_CHECK_OK(bloc_contest_open(&c, ds(), id));
	BLOC_CHECK_INT_EQ(c->nseats, 650);
	for (s = 0; s < c->nseats; s++) {
		int64_t sum = 0, rowsum = 0;
		for (k = c->cand_off[s]; k < c->cand_off[s + 1]; k++)
			sum += c->cand_votes[k];
		for (j = 0; j < c->nparties; j++)
			rowsum += c->votes[s * c->nparties + j];
		if (sum != c->valid[s] || rowsum != c->valid[s])
			BLOC_FAIL_("%s %s: candidates %lld, parties %lld, valid %lld", id,
			           c->code[s], (long long)sum, (long long)rowsum,
			           (long long)c->valid[s]);
	}
	BLOC_CHECK_OK(bloc_seat_results_compute(&r, c));
	BLOC_CHECK_OK(bloc_totals_compute(&t, c, &r, BLOC_BY_UK));
	for (j = 0; j < t.nparties; j++) {
		seats += t.seats[j];
		shares += t.share[j];
	}
	BLOC_CHECK_INT_EQ(seats, 650);
	BLOC_CHECK_NEAR(shares, 100, 0, 1e-9);
	for (k = 0; k < nwant; k++) {
		int64_t got = seats_of(&t, want[k].party);
		if (got != want[k].seats)
			BLOC_FAIL_("%s: %s won %lld seats, published %d", id, want[k].party,
			           (long long)got, want[k].seats);
	}
	if (gallagher > 0) {
		BLOC_CHECK_OK(bloc_indices_compute(&x, c, &r));
		BLOC_CHECK_NEAR(x.gallagher, gallagher, 0, 0.05);
		BLOC_CHECK(x.enp_votes > x.enp_seats);
		bloc_indices_dispose(&x);
	}
	if (strcmp(id, "ge2019") == 0) {
		BLOC_CHECK_NEAR(share_of(&t, "CON"), 43.6, 0, 0.05);
		BLOC_CHECK_NEAR(share_of(&t, "LAB"), 32.1, 0, 0.05);
	}
	bloc_totals_dispose(&t);
	bloc_seat_results_dispose(&r);
	bloc_contest_free(c);
}

BLOC_TEST(ge2019_seats_shares_gallagher)
{
	static const seat_count want[] = {{"CON", 365}, {"LAB", 202}, {"SNP", 48}, {"LD", 11},
	                                  {"DUP", 8},   {"SF", 7},    {"PC", 4},   {"SDLP", 2},
	                                  {"GRN", 1},   {"ALL", 1},   {"SPK", 1}};
	check_general("ge2019", want, sizeof(want) / sizeof(want[0]), 11.8);
}

BLOC_TEST(ge2024_seats_gallagher)
{
	static const seat_count want[] = {{"LAB", 411}, {"CON", 121}, {"LD", 72}, {"SNP", 9},
	                                  {"SF", 7},    {"IND", 6},   {"REF", 5}, {"DUP", 5},
	                                  {"GRN", 4},   {"PC", 4}};
	check_general("ge2024", want, sizeof(want) / sizeof(want[0]), 23.7);
}

BLOC_TEST(ge2017_seats_gallagher)
{
	static const seat_count want[] = {{"CON", 317}, {"LAB", 262}, {"SNP", 35}, {"LD", 12}};
	check_general("ge2017", want, sizeof(want) / sizeof(want[0]), 6.5);
}

BLOC_TEST(candidate_files_agree_with_constituency_files)
{
	static const seat_count w19[] = {{"CON", 365}, {"LAB", 202}, {"SNP", 48}, {"LD", 11}};
	static const seat_count w24[] = {{"LAB", 411}, {"CON", 121}, {"IND", 6}, {"REF", 5}};
	static const seat_count w17[] = {{"CON", 317}, {"LAB", 262}, {"SNP", 35}, {"LD", 12}};
	check_general("ge2019-candidates", w19, 4, 0);
	check_general("ge2024-candidates", w24, 4, 0);
	check_general("ge2017-candidates", w17, 4, 0);
}

/* Winner, majority and the by-election swing against the general election before it. */
static void check_by(const char *id, const char *winner, const char *before, int64_t majority,
                     const char *a, const char *b, double butler, double tol)
{
	bloc_contest *c = NULL, *prev = NULL;
	bloc_seat_results r, rp;
	bloc_swing w;

	BLOC_REQUIRE(ds());
	BLOC_CHECK_OK(bloc_contest_open(&c, ds(), id));
	BLOC_CHECK_OK(bloc_contest_open_previous(&prev, ds(), id));
	BLOC_CHECK_INT_EQ(c->nseats, 1);
	BLOC_CHECK_OK(bloc_seat_results_compute(&r, c));
	BLOC_CHECK_OK(bloc_seat_results_compute(&rp, prev));
	BLOC_CHECK_STR_EQ(bloc_party_code(r.winner_party[0]), winner);
	BLOC_CHECK_STR_EQ(bloc_party_code(rp.winner_party[0]), before);
	BLOC_CHECK_INT_EQ(r.majority[0], majority);
	if (butler == butler) {
		BLOC_CHECK_OK(bloc_swing_compute(&w, prev, c, bloc_party_resolve(a),
		                                 bloc_party_resolve(b), NULL));
		BLOC_CHECK_INT_EQ(w.n, 1);
		BLOC_CHECK_NEAR(w.butler[0], butler, 0, tol);
		BLOC_CHECK_NEAR(w.total_butler, w.butler[0], 0, 1e-12);
		bloc_swing_dispose(&w);
	}
	bloc_seat_results_dispose(&r);
	bloc_seat_results_dispose(&rp);
	bloc_contest_free(c);
	bloc_contest_free(prev);
}

BLOC_TEST(bradford_west_2012_respect_gain)
{
	/* RES gain from LAB, majority 10,140, Butler swing LAB->RES 36.59 (Channel 4, UKPR) */
	check_by("by2012-bradford-west", "RES", "LAB", 10140, "LAB", "RES", 36.59, 0.005);
}

BLOC_TEST(batley_and_spen_2021_labour_hold)
{
	check_by("by2021-batley-and-spen", "LAB", "LAB", 323, "LAB", "CON", NAN, 0);
}

BLOC_TEST(gb_swing_2017_2019)
{
	/* research/election-models.md: GB (632 seats) Butler LAB->CON 4.71, Steed 6.19 */
	static const char *const gb[] = {"England", "Scotland", "Wales", NULL};
	bloc_seat_filter f = {gb, NULL};
	bloc_contest *a = NULL, *b = NULL;
	bloc_swing w;

	BLOC_REQUIRE(ds());
	BLOC_CHECK_OK(bloc_contest_open(&a, ds(), "ge2017"));
	BLOC_CHECK_OK(bloc_contest_open(&b, ds(), "ge2019"));
	BLOC_CHECK_OK(
	    bloc_swing_compute(&w, a, b, bloc_party_resolve("LAB"), bloc_party_resolve("CON"), &f));
	BLOC_CHECK_INT_EQ(w.n, 632);
	BLOC_CHECK_NEAR(w.total_butler, 4.71, 0, 0.005);
	BLOC_CHECK_NEAR(w.total_steed, 6.19, 0, 0.005);
	bloc_swing_dispose(&w);
	bloc_contest_free(a);
	bloc_contest_free(b);
}
