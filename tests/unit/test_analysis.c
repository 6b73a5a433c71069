/* Analysis on small hand-built contests, where every figure can be worked out on paper. */
#include "harness.h"

#include "bloc/analysis.h"
#include "bloc/error.h"
#include "data/build.h"
#include "seats.h"

#include <math.h>

static bloc_party P(const char *code)
{
	return bloc_party_resolve(code);
}

/* Three seats: LAB holds A by 1000, CON holds B by 200 with a lump of others bigger than LAB,
 * and SPK is unopposed in C by the main parties. */
static const seat_spec ge1[] = {
    {"A", "England", 20000, {"Lab", "Con", "LD"}, {6000, 5000, 1000}},
    {"B", "England", 10000, {"Con", "*Other", "Lab"}, {3000, 2900, 2800}},
    {"C", "Wales", 8000, {"Spk", "Ind"}, {4000, 1000}},
};
static const seat_spec ge2[] = {
    {"A", "England", 20000, {"Lab", "Con", "LD"}, {4000, 6000, 2000}},
    {"B", "England", 10000, {"Con", "*Other", "Lab"}, {2000, 2900, 3100}},
    {"Z", "Wales", 8000, {"Lab"}, {100}},
};

BLOC_TEST(seat_results_skip_lumps_and_compute_majority)
{
	bloc_contest *c = make_contest("ge1", ge1, 3, NULL);
	bloc_seat_results r;

	BLOC_REQUIRE(c);
	BLOC_CHECK_OK(bloc_seat_results_compute(&r, c));
	BLOC_CHECK_STR_EQ(bloc_party_code(r.winner_party[0]), "LAB");
	BLOC_CHECK_INT_EQ(r.majority[0], 1000);
	BLOC_CHECK_NEAR(r.majority_pct[0], 100.0 * 1000 / 12000, 1e-12, 0);
	BLOC_CHECK_NEAR(r.turnout[0], 60.0, 1e-12, 0);
	/* the lump of 2,900 others is not the runner-up: LAB's 2,800 is */
	BLOC_CHECK_STR_EQ(bloc_party_code(r.second_party[1]), "LAB");
	BLOC_CHECK_INT_EQ(r.majority[1], 200);
	BLOC_CHECK_STR_EQ(bloc_party_code(r.winner_party[2]), "SPK");
	BLOC_CHECK_STR_EQ(bloc_party_code(r.second_party[2]), "IND");
	bloc_seat_results_dispose(&r);
	bloc_contest_free(c);
}

/* A seat where every candidate has 0 votes has no winner: not the first candidate listed. */
static const seat_spec zero[] = {
    {"A", "England", 1000, {"Lab", "Con"}, {500, 300}},
    {"B", "England", 1000, {"Lab", "Con"}, {0, 0}},
};

BLOC_TEST(seat_without_votes_has_no_winner)
{
	bloc_contest *c = make_contest("zero", zero, 2, NULL);
	bloc_seat_results r;
	bloc_totals t;
	bloc_targets tg;

	BLOC_REQUIRE(c);
	BLOC_CHECK_OK(bloc_seat_results_compute(&r, c));
	BLOC_CHECK_INT_EQ(r.winner[1], BLOC_NO_WINNER);
	BLOC_CHECK_INT_EQ(r.second[1], BLOC_NO_WINNER);
	BLOC_CHECK_INT_EQ(r.winner_party[1], BLOC_PARTY_NONE);
	BLOC_CHECK_INT_EQ(r.second_party[1], BLOC_PARTY_NONE);
	BLOC_CHECK_INT_EQ(r.majority[1], 0);
	BLOC_CHECK(isnan(r.majority_pct[1]));
	BLOC_CHECK_STR_EQ(bloc_party_code(r.winner_party[0]), "LAB");
	BLOC_CHECK_OK(bloc_totals_compute(&t, c, &r, BLOC_BY_UK));
	BLOC_CHECK_INT_EQ(t.seats[bloc_contest_party_col(c, P("LAB"))], 1);
	BLOC_CHECK_INT_EQ(t.seats[bloc_contest_party_col(c, P("CON"))], 0);
	bloc_totals_dispose(&t);
	/* no one holds B, so it is no party's target */
	BLOC_CHECK_OK(bloc_targets_compute(&tg, c, &r, P("CON")));
	BLOC_CHECK_INT_EQ(tg.n, 1);
	BLOC_CHECK_INT_EQ(tg.seat[0], 0);
	bloc_targets_dispose(&tg);
	bloc_seat_results_dispose(&r);
	bloc_contest_free(c);
}

BLOC_TEST(totals_by_uk_and_nation)
{
	bloc_contest *c = make_contest("ge1", ge1, 3, NULL);
	bloc_seat_results r;
	bloc_totals t;
	long lab;

	BLOC_REQUIRE(c);
	BLOC_CHECK_OK(bloc_seat_results_compute(&r, c));
	BLOC_CHECK_OK(bloc_totals_compute(&t, c, &r, BLOC_BY_UK));
	lab = bloc_contest_party_col(c, P("LAB"));
	BLOC_REQUIRE(lab >= 0);
	BLOC_CHECK_INT_EQ(t.ngroups, 1);
	BLOC_CHECK_INT_EQ(t.valid[0], 12000 + 8700 + 5000);
	BLOC_CHECK_INT_EQ(t.votes[lab], 8800);
	BLOC_CHECK_INT_EQ(t.seats[lab], 1);
	BLOC_CHECK_NEAR(t.share[lab], 100.0 * 8800 / 25700, 1e-12, 0);
	BLOC_CHECK_INT_EQ(t.electorate[0], 38000);
	bloc_totals_dispose(&t);
	BLOC_CHECK_OK(bloc_totals_compute(&t, c, &r, BLOC_BY_NATION));
	BLOC_CHECK_INT_EQ(t.ngroups, 2);
	BLOC_CHECK_STR_EQ(t.group[1], "Wales");
	BLOC_CHECK_INT_EQ(t.nseats[0], 2);
	bloc_totals_dispose(&t);
	bloc_seat_results_dispose(&r);
	bloc_contest_free(c);
}

BLOC_TEST(swing_butler_and_steed_by_hand)
{
	bloc_contest *a = make_contest("ge1", ge1, 3, NULL), *b = make_contest("ge2", ge2, 3, NULL);
	bloc_swing w;

	BLOC_REQUIRE(a && b);
	BLOC_CHECK_OK(bloc_swing_compute(&w, a, b, P("LAB"), P("CON"), NULL));
	BLOC_CHECK_INT_EQ(w.n, 2); /* C and Z are not shared */
	/* seat A: LAB 50 -> 33.33, CON 41.67 -> 50: Butler LAB->CON = (8.33 + 16.67)/2 = 12.5 */
	BLOC_CHECK_NEAR(w.butler[0], 12.5, 1e-12, 1e-12);
	/* Steed: CON's two-party share 5000/11000 -> 6000/10000 */
	BLOC_CHECK_NEAR(w.steed[0], 100.0 * (0.6 - 5000.0 / 11000.0), 1e-12, 1e-12);
	/* aggregate from summed votes over A and B: 20,700 valid then 20,000 */
	BLOC_CHECK_NEAR(w.total_a_from, 100.0 * 8800 / 20700, 1e-12, 0);
	BLOC_CHECK_NEAR(w.total_b_to, 100.0 * 8000 / 20000, 1e-12, 0);
	BLOC_CHECK_NEAR(w.total_butler,
	                ((40.0 - 100.0 * 8000 / 20700) - (35.5 - 100.0 * 8800 / 20700)) / 2, 1e-12,
	                1e-12);
	bloc_swing_dispose(&w);
	/* the same pair the other way round gives the opposite sign */
	BLOC_CHECK_OK(bloc_swing_compute(&w, a, b, P("CON"), P("LAB"), NULL));
	BLOC_CHECK_NEAR(w.butler[0], -12.5, 1e-12, 1e-12);
	bloc_swing_dispose(&w);
	BLOC_CHECK_INT_EQ(bloc_swing_compute(&w, a, b, P("LAB"), P("Lab Co-op"), NULL),
	                  BLOC_EINVAL);
	bloc_contest_free(a);
	bloc_contest_free(b);
}

BLOC_TEST(swing_filter_and_no_shared_seat)
{
	bloc_contest *a = make_contest("ge1", ge1, 3, NULL), *b = make_contest("ge2", ge2, 3, NULL);
	const char *wales[] = {"Wales", NULL};
	bloc_seat_filter f = {wales, NULL};
	bloc_swing w;

	BLOC_REQUIRE(a && b);
	BLOC_CHECK_INT_EQ(bloc_swing_compute(&w, a, b, P("LAB"), P("CON"), &f), BLOC_ENOTFOUND);
	BLOC_CHECK_CONTAINS(bloc_error_last(), "share no seat");
	bloc_contest_free(a);
	bloc_contest_free(b);
}

BLOC_TEST(swing_follows_successors)
{
	static const seat_spec s19[] = {{"A", "England", 100, {"Con", "Brexit"}, {60, 40}}};
	static const seat_spec s24[] = {{"A", "England", 100, {"Con", "RUK"}, {40, 60}}};
	bloc_contest *a = make_contest("a", s19, 1, NULL), *b = make_contest("b", s24, 1, NULL);
	bloc_swing w;

	BLOC_REQUIRE(a && b);
	BLOC_CHECK_OK(bloc_swing_compute(&w, a, b, P("CON"), P("REF"), NULL));
	BLOC_CHECK_NEAR(w.b_from[0], 40, 1e-12, 0);
	BLOC_CHECK_NEAR(w.butler[0], 20, 1e-12, 0);
	bloc_swing_dispose(&w);
	bloc_contest_free(a);
	bloc_contest_free(b);
}

BLOC_TEST(targets_rank_by_swing_needed)
{
	bloc_contest *c = make_contest("ge1", ge1, 3, NULL);
	bloc_seat_results r;
	bloc_targets t;

	BLOC_REQUIRE(c);
	BLOC_CHECK_OK(bloc_seat_results_compute(&r, c));
	BLOC_CHECK_OK(bloc_targets_compute(&t, c, &r, P("CON")));
	BLOC_CHECK_INT_EQ(t.n, 1); /* A; CON did not stand in C and holds B */
	BLOC_CHECK_STR_EQ(c->code[t.seat[0]], "A");
	BLOC_CHECK_NEAR(t.swing_needed[0], 100.0 * 1000 / 12000 / 2, 1e-12, 0);
	bloc_targets_dispose(&t);
	BLOC_CHECK_OK(bloc_targets_compute(&t, c, &r, P("LAB")));
	BLOC_CHECK_INT_EQ(t.n, 1);
	BLOC_CHECK_STR_EQ(bloc_party_code(t.holder[0]), "CON");
	BLOC_CHECK_NEAR(t.swing_needed[0], 100.0 * 200 / 8700 / 2, 1e-12, 0);
	bloc_targets_dispose(&t);
	bloc_seat_results_dispose(&r);
	bloc_contest_free(c);
}

BLOC_TEST(indices_by_hand)
{
	/* two parties, two seats: X wins both 60-40 => votes 60/40, seats 100/0 */
	static const seat_spec s[] = {{"A", "England", 200, {"Con", "Lab"}, {60, 40}},
	                              {"B", "England", 200, {"Con", "Lab"}, {60, 40}}};
	bloc_contest *c = make_contest("x", s, 2, NULL);
	bloc_seat_results r;
	bloc_indices x;
	long con, lab;

	BLOC_REQUIRE(c);
	BLOC_CHECK_OK(bloc_seat_results_compute(&r, c));
	BLOC_CHECK_OK(bloc_indices_compute(&x, c, &r));
	BLOC_CHECK_NEAR(x.gallagher, 40, 1e-12, 0);
	BLOC_CHECK_NEAR(x.loosemore_hanby, 40, 1e-12, 0);
	BLOC_CHECK_NEAR(x.enp_votes, 1 / (0.36 + 0.16), 1e-12, 0);
	BLOC_CHECK_NEAR(x.enp_seats, 1, 1e-12, 0);
	con = bloc_contest_party_col(c, P("CON"));
	lab = bloc_contest_party_col(c, P("LAB"));
	BLOC_CHECK_INT_EQ(x.wasted[con], 2 * (60 - 41));
	BLOC_CHECK_INT_EQ(x.wasted[lab], 80);
	BLOC_CHECK_INT_EQ(x.total_wasted, 118);
	bloc_indices_dispose(&x);
	bloc_seat_results_dispose(&r);
	bloc_contest_free(c);
}

BLOC_TEST(builder_rejects_inconsistent_seats)
{
	bloc__builder *b = NULL;
	bloc_contest *c = NULL;
	size_t idx;
	int created;

	BLOC_CHECK_OK(bloc__builder_new(&b, "f.csv"));
	BLOC_CHECK_OK(bloc__builder_seat(b, "E1", "One", "", "England", 7, &idx, &created));
	bloc__builder_seat_figures(b, idx, 100, 90, 0);
	BLOC_CHECK_OK(bloc__builder_candidate(b, idx, P("Lab"), "Lab", "", 80, 0));
	BLOC_CHECK(bloc__builder_finish(b, "x", "", "", 0, &c) == BLOC_ENUMERIC);
	BLOC_CHECK_CONTAINS(bloc_error_last(), "f.csv:7:1: seat E1 (One)");
	BLOC_CHECK(c == NULL);
	bloc__builder_free(b);
}

BLOC_TEST(find_seat_by_code_or_name)
{
	bloc_contest *c = make_contest("ge1", ge1, 3, NULL);
	size_t s = 99;

	BLOC_REQUIRE(c);
	BLOC_CHECK_OK(bloc_contest_find_seat(c, "B", &s));
	BLOC_CHECK_INT_EQ(s, 1);
	BLOC_CHECK_INT_EQ(bloc_contest_find_seat(c, "Q", &s), BLOC_ENOTFOUND);
	BLOC_CHECK_CONTAINS(bloc_error_last(), "no seat 'Q' in ge1");
	bloc_contest_free(c);
}
