/* Projection: backtests against the published research figures, and properties on random
 * scenarios (shares stay in [0,1] and sum to 1, seats add up, zero change is the identity). */
#include "harness.h"

#include "bloc/bloc.h"

#include <math.h>
#include <stdint.h>

static bloc_dataset *ds(void)
{
	return bloc_test_dataset();
}

static bloc_contest *open_contest(const char *id)
{
	bloc_contest *c = NULL;

	if (ds() && bloc_contest_open(&c, ds(), id) < 0)
		fprintf(stderr, "%s: %s\n", id, bloc_error_last());
	return c;
}

static int64_t seats_of(const bloc_backtest *b, const char *code)
{
	size_t j;

	for (j = 0; j < b->nparties; j++)
		if (strcmp(bloc_party_code(b->parties[j]), code) == 0)
			return b->seats_projected[j];
	return -1;
}

/* research/election-models.md §4.1, computed independently from the same HoC files: uniform
 * swing on GB-wide shares, 2017 -> 2019, 632 seats: 51 wrong, CON 361 LAB 209 LD 18 SNP 39 PC 3;
 * proportional: 55 wrong, CON 351 LAB 198 LD 30 SNP 47. */
BLOC_TEST(backtest_2017_2019_gb_matches_research)
{
	bloc_contest *a = open_contest("ge2017"), *b = open_contest("ge2019");
	bloc_backtest t;

	BLOC_REQUIRE(a && b);
	BLOC_CHECK_OK(bloc_backtest_run(&t, a, b, BLOC_MODEL_UNIFORM, 0.2, BLOC_LEVEL_GB));
	BLOC_CHECK_INT_EQ(t.nseats, 632);
	BLOC_CHECK_INT_EQ(t.seats_wrong, 51);
	BLOC_CHECK_INT_EQ(seats_of(&t, "CON"), 361);
	BLOC_CHECK_INT_EQ(seats_of(&t, "LAB"), 209);
	BLOC_CHECK_INT_EQ(seats_of(&t, "LD"), 18);
	BLOC_CHECK_INT_EQ(seats_of(&t, "SNP"), 39);
	BLOC_CHECK_INT_EQ(seats_of(&t, "PC"), 3);
	BLOC_CHECK(t.share_mae > 0 && t.share_mae < 5);
	bloc_backtest_dispose(&t);
	BLOC_CHECK_OK(bloc_backtest_run(&t, a, b, BLOC_MODEL_PROPORTIONAL, 0.2, BLOC_LEVEL_GB));
	BLOC_CHECK_INT_EQ(t.seats_wrong, 55);
	BLOC_CHECK_INT_EQ(seats_of(&t, "CON"), 351);
	BLOC_CHECK_INT_EQ(seats_of(&t, "LAB"), 198);
	BLOC_CHECK_INT_EQ(seats_of(&t, "LD"), 30);
	BLOC_CHECK_INT_EQ(seats_of(&t, "SNP"), 47);
	bloc_backtest_dispose(&t);
	bloc_contest_free(a);
	bloc_contest_free(b);
}

/* Wrong calls outside Northern Ireland: the research table's regional rows are for Great
 * Britain, with each nation or region projected on its own. */
static size_t wrong_in_gb(const bloc_contest *to, const bloc_backtest *b)
{
	size_t i, n = 0;

	for (i = 0; i < b->seats_wrong; i++)
		n += strcmp(to->nation[b->wrong_seat[i]], "Northern Ireland") != 0;
	return n;
}

BLOC_TEST(backtest_by_nation_and_region_matches_research_in_gb)
{
	/* research §4.1: UNS by nation 47 wrong (CON 350, LAB 209, LD 17, SNP 51); UNS by 11
	 * regions 38 wrong (CON 355, LAB 204, LD 17, SNP 51); proportional by 11 regions 43 wrong
	 */
	bloc_contest *a = open_contest("ge2017"), *b = open_contest("ge2019");
	bloc_backtest t;

	BLOC_REQUIRE(a && b);
	BLOC_CHECK_OK(bloc_backtest_run(&t, a, b, BLOC_MODEL_UNIFORM, 0.2, BLOC_LEVEL_NATION));
	BLOC_CHECK_INT_EQ(wrong_in_gb(b, &t), 47);
	BLOC_CHECK_INT_EQ(seats_of(&t, "CON"), 350);
	BLOC_CHECK_INT_EQ(seats_of(&t, "LAB"), 209);
	BLOC_CHECK_INT_EQ(seats_of(&t, "SNP"), 51);
	bloc_backtest_dispose(&t);
	BLOC_CHECK_OK(bloc_backtest_run(&t, a, b, BLOC_MODEL_UNIFORM, 0.2, BLOC_LEVEL_REGION));
	BLOC_CHECK_INT_EQ(wrong_in_gb(b, &t), 38);
	BLOC_CHECK_INT_EQ(seats_of(&t, "CON"), 355);
	BLOC_CHECK_INT_EQ(seats_of(&t, "LAB"), 204);
	BLOC_CHECK_INT_EQ(seats_of(&t, "LD"), 17);
	bloc_backtest_dispose(&t);
	BLOC_CHECK_OK(bloc_backtest_run(&t, a, b, BLOC_MODEL_PROPORTIONAL, 0.2, BLOC_LEVEL_REGION));
	BLOC_CHECK_INT_EQ(wrong_in_gb(b, &t), 43);
	BLOC_CHECK_INT_EQ(seats_of(&t, "LD"), 26);
	bloc_backtest_dispose(&t);
	bloc_contest_free(a);
	bloc_contest_free(b);
}

BLOC_TEST(backtest_regional_shares_do_better)
{
	bloc_contest *a = open_contest("ge2017"), *b = open_contest("ge2019");
	bloc_backtest gb, region;

	BLOC_REQUIRE(a && b);
	BLOC_CHECK_OK(bloc_backtest_run(&gb, a, b, BLOC_MODEL_UNIFORM, 0.2, BLOC_LEVEL_UK));
	BLOC_CHECK_OK(bloc_backtest_run(&region, a, b, BLOC_MODEL_UNIFORM, 0.2, BLOC_LEVEL_REGION));
	BLOC_CHECK(region.seats_wrong < gb.seats_wrong);
	BLOC_CHECK(region.share_mae < gb.share_mae);
	bloc_backtest_dispose(&gb);
	bloc_backtest_dispose(&region);
	bloc_contest_free(a);
	bloc_contest_free(b);
}

/* splitmix64: a small, seeded generator for the property tests */
static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static double uniform01(void)
{
	uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return (double)((z ^ (z >> 31)) >> 11) / 9007199254740992.0;
}

static void check_projection(const bloc_contest *c, const bloc_projection *p, const char *what)
{
	size_t s, j;
	int64_t seats = 0, bad = 0;

	for (s = 0; s < p->nseats; s++) {
		double sum = 0;
		for (j = 0; j < p->nparties; j++) {
			double v = p->share[s * p->nparties + j];
			if (!(v >= 0 && v <= 1)) {
				if (!bad)
					fprintf(stderr, "%s: seat %s party %s share %g\n", what,
					        c->code[s], bloc_party_code(p->parties[j]), v);
				bad++;
			}
			sum += v;
		}
		if (fabs(sum - 1) > 1e-9)
			bad++;
	}
	for (j = 0; j < p->nparties; j++)
		seats += p->seats[j];
	if (bad)
		BLOC_FAIL_("%s: %lld share rows out of [0,1] or not summing to 1", what,
		           (long long)bad);
	BLOC_CHECK_INT_EQ(seats, (long long)c->nseats);
}

/* The largest |asked - reached| over the held areas, points. */
static double held_gap(const bloc_projection *p)
{
	double gap = 0;
	size_t k;

	for (k = 0; k < p->nareas * p->nparties; k++)
		if (!isnan(p->asked[k]) && fabs(p->asked[k] - p->reached[k]) > gap)
			gap = fabs(p->asked[k] - p->reached[k]);
	return gap;
}

/* Random national shares (for parties fighting most seats), swings and regional shares, with
 * and without a group shift: every row valid, and in every model the shares asked for hold
 * within 0.05 points. */
BLOC_TEST(random_scenarios_keep_shares_valid)
{
	static const char *const parties[] = {"CON", "LAB", "LD", "REF", "GRN"};
	static const char *const regions[] = {"Scotland", "Wales", "London", "North East"};
	static const char *const regional[] = {"SNP", "PC", "LAB", "CON"};
	bloc_contest *c = open_contest("ge2024");
	bloc_group_shares g;
	int i;

	BLOC_REQUIRE(c);
	BLOC_CHECK_OK(bloc_group_shares_open(&g, ds(), c, "muslim"));
	for (i = 0; i < 80; i++) {
		bloc_scenario sc;
		bloc_projection p;
		char what[96];
		size_t k;
		double left = 90;

		bloc_scenario_init(&sc);
		sc.model = i % 4;
		sc.threshold = 0.05 + 0.3 * uniform01();
		sc.nareas = 1;
		sc.areas[0].area[0] = '\0';
		sc.areas[0].n = 3;
		for (k = 0; k < 3; k++) {
			double v = 5 + (left - 15) * uniform01() * 0.5;
			sc.areas[0].shares[k].party =
			    bloc_party_resolve(parties[((size_t)i + k) % 5]);
			sc.areas[0].shares[k].value = v;
			left -= v;
		}
		if (i % 3 == 0) {
			sc.nareas = 2;
			snprintf(sc.areas[1].area, sizeof(sc.areas[1].area), "%s", regions[i % 4]);
			sc.areas[1].n = 1;
			sc.areas[1].shares[0].party = bloc_party_resolve(regional[i % 4]);
			sc.areas[1].shares[0].value = 5 + 40 * uniform01();
		}
		if (i % 2 == 1)
			BLOC_CHECK_OK(bloc_scenario_set(&sc, "baseline",
			                                "survey:LAB=60,CON=15,LD=10,GRN=10"));
		if (i % 2 == 1)
			BLOC_CHECK_OK(bloc_scenario_set(&sc, "group",
			                                i % 4 == 1
			                                    ? "muslim:LAB=-5,GRN=+3,turnout=+4"
			                                    : "muslim:CON=-2,LD=+2"));
		snprintf(what, sizeof(what), "scenario %d (%s%s)", i, bloc_model_name(sc.model),
		         sc.ngroups ? ", group" : "");
		if (bloc_project(&p, c, &sc, sc.ngroups ? &g : NULL) < 0) {
			BLOC_FAIL_("%s: %s", what, bloc_error_last());
			continue;
		}
		check_projection(c, &p, what);
		if (held_gap(&p) > 0.05)
			BLOC_FAIL_("%s: shares held only within %.3f points", what, held_gap(&p));
		bloc_projection_dispose(&p);
	}
	bloc_group_shares_dispose(&g);
	bloc_contest_free(c);
}

/* Shares no set of candidates can give are an error naming the party, not a wrong map. */
BLOC_TEST(shares_that_cannot_hold_are_an_error)
{
	bloc_contest *c = open_contest("ge2024");
	bloc_scenario sc;
	bloc_projection p;

	BLOC_REQUIRE(c);
	bloc_scenario_init(&sc);
	BLOC_CHECK_OK(bloc_scenario_set(&sc, "shares", "SNP=30"));
	BLOC_CHECK_INT_EQ(bloc_project(&p, c, &sc, NULL), BLOC_EINVAL);
	BLOC_CHECK_CONTAINS(bloc_error_last(), "cannot hold SNP at 30.00%");
	bloc_scenario_init(&sc);
	BLOC_CHECK_OK(bloc_scenario_set(&sc, "shares", "RES=3"));
	BLOC_CHECK_INT_EQ(bloc_project(&p, c, &sc, NULL), BLOC_EINVAL);
	BLOC_CHECK_CONTAINS(bloc_error_last(), "no candidate");
	/* without holding, the target goes through the model once */
	BLOC_CHECK_OK(bloc_scenario_set(&sc, "hold-shares", "no"));
	BLOC_CHECK_OK(bloc_project(&p, c, &sc, NULL));
	bloc_projection_dispose(&p);
	bloc_contest_free(c);
}

/* A zero change gives back every share bit for bit and every official winner (independents are
 * projected as the strongest independent of each seat, so no two of them "win" together). */
static void check_zero_change(const char *id)
{
	bloc_contest *c = open_contest(id);
	bloc_seat_results r;
	int model;

	BLOC_REQUIRE(c);
	BLOC_CHECK_OK(bloc_seat_results_compute(&r, c));
	for (model = 0; model < 4; model++) {
		bloc_scenario sc;
		bloc_projection p;
		size_t s, differ = 0, winners = 0;
		bloc_scenario_init(&sc);
		sc.model = model;
		BLOC_CHECK_OK(bloc_project(&p, c, &sc, NULL));
		for (s = 0; s < p.nseats * p.nparties; s++)
			differ += p.share[s] != p.base_share[s];
		for (s = 0; s < p.nseats; s++)
			winners += p.winner[s] != bloc_party_successor(r.winner_party[s]);
		BLOC_CHECK_INT_EQ(differ, 0);
		BLOC_CHECK_INT_EQ(winners, 0);
		BLOC_CHECK_INT_EQ(p.changed, 0);
		bloc_projection_dispose(&p);
	}
	bloc_seat_results_dispose(&r);
	bloc_contest_free(c);
}

BLOC_TEST(zero_change_reproduces_the_base_exactly)
{
	check_zero_change("ge2019");
	check_zero_change("ge2024");
	check_zero_change("ge2019-notional-2023");
}

/* LAB -20 points among Muslim voters (60% to IND, 30% to GRN, 10% stay home) on GE2024: Labour
 * loses seats, every seat that changes hands has Muslim voters and every seat it loses to IND or
 * GRN has a Muslim share above the national one. */
BLOC_TEST(group_scenario_on_ge2024)
{
	bloc_contest *c = open_contest("ge2024");
	bloc_group_shares g;
	bloc_scenario sc;
	bloc_projection p;
	size_t s, j, lab = 0, changed_with_group = 0;

	BLOC_REQUIRE(c);
	BLOC_CHECK_OK(bloc_group_shares_open(&g, ds(), c, "muslim"));
	bloc_scenario_init(&sc);
	BLOC_CHECK_OK(bloc_scenario_set(&sc, "group", "muslim:LAB=-20,IND=+12,GRN=+6"));
	/* the census baseline (the group votes like its seat) has too little Labour vote to lose
	 * 20 points of in some seats: an error naming one */
	BLOC_CHECK_INT_EQ(bloc_project(&p, c, &sc, &g), BLOC_EINVAL);
	BLOC_CHECK_CONTAINS(bloc_error_last(), "cannot lose more of a party than it gave it");
	BLOC_CHECK_OK(bloc_scenario_set(&sc, "baseline", "survey:LAB=86,CON=9,LD=3,GRN=2"));
	BLOC_CHECK_OK(bloc_project(&p, c, &sc, &g));
	for (j = 0; j < p.nparties; j++)
		if (p.parties[j] == bloc_party_resolve("LAB"))
			lab = j;
	BLOC_CHECK(p.changed > 0);
	BLOC_CHECK(p.seats[lab] < p.seats_base[lab]);
	BLOC_CHECK_INT_EQ(p.losses[lab], p.seats_base[lab] - p.seats[lab]);
	for (s = 0; s < p.nseats; s++) {
		if (p.winner[s] == p.winner_base[s])
			continue;
		changed_with_group += p.group_share[s] > 0;
		if (p.winner[s] == bloc_party_ind() || p.winner[s] == bloc_party_resolve("GRN"))
			BLOC_CHECK(p.group_share[s] > 0.10);
	}
	BLOC_CHECK_INT_EQ(changed_with_group, p.changed);
	bloc_projection_dispose(&p);
	bloc_group_shares_dispose(&g);
	bloc_contest_free(c);
}

BLOC_TEST(group_with_no_members_changes_nothing)
{
	bloc_contest *c = open_contest("ge2024");
	bloc_group_shares g;
	bloc_scenario sc;
	bloc_projection p;
	size_t s, differ = 0;

	BLOC_REQUIRE(c);
	memset(&g, 0, sizeof(g));
	g.n = c->nseats;
	g.share = calloc(c->nseats, sizeof(double)); /* zero members everywhere */
	g.group = "muslim";
	BLOC_REQUIRE(g.share);
	bloc_scenario_init(&sc);
	sc.ngroups = 1;
	snprintf(sc.groups[0].group, sizeof(sc.groups[0].group), "muslim");
	sc.groups[0].n = 2;
	sc.groups[0].change[0].party = bloc_party_resolve("LAB");
	sc.groups[0].change[0].value = -20;
	sc.groups[0].change[1].party = bloc_party_resolve("IND");
	sc.groups[0].change[1].value = 12;
	BLOC_CHECK_OK(bloc_project(&p, c, &sc, &g));
	for (s = 0; s < p.nseats * p.nparties; s++)
		differ += p.share[s] != p.base_share[s];
	BLOC_CHECK_INT_EQ(differ, 0);
	BLOC_CHECK_INT_EQ(p.changed, 0);
	bloc_projection_dispose(&p);
	free(g.share);
	bloc_contest_free(c);
}

BLOC_TEST(uniform_swing_by_hand_on_one_seat)
{
	/* one national swing of 5 points LAB -> REF moves every seat by exactly 5 under UNS */
	bloc_contest *c = open_contest("ge2024");
	bloc_scenario sc;
	bloc_projection p;
	long lab = -1, ref = -1;
	size_t j, s = 0;

	BLOC_REQUIRE(c);
	bloc_scenario_init(&sc);
	sc.nswings = 1;
	sc.swings[0].from = bloc_party_resolve("LAB");
	sc.swings[0].to = bloc_party_resolve("REF");
	sc.swings[0].points = 5;
	sc.hold_shares = 0; /* the classic UNS: no re-fit for the seats a party does not fight */
	BLOC_CHECK_OK(bloc_project(&p, c, &sc, NULL));
	for (j = 0; j < p.nparties; j++) {
		if (p.parties[j] == bloc_party_resolve("LAB"))
			lab = (long)j;
		if (p.parties[j] == bloc_party_resolve("REF"))
			ref = (long)j;
	}
	BLOC_REQUIRE(lab >= 0 && ref >= 0);
	/* a seat where LAB has more than 5% so no clamping happens */
	while (s < p.nseats && p.base_share[s * p.nparties + (size_t)lab] < 0.10)
		s++;
	BLOC_REQUIRE(s < p.nseats);
	BLOC_CHECK_NEAR(p.share[s * p.nparties + (size_t)lab],
	                p.base_share[s * p.nparties + (size_t)lab] - 0.05, 0, 1e-12);
	BLOC_CHECK_NEAR(p.share[s * p.nparties + (size_t)ref],
	                p.base_share[s * p.nparties + (size_t)ref] + 0.05, 0, 1e-12);
	BLOC_CHECK_NEAR(p.national[lab], p.national_base[lab] - 5, 0, 0.2);
	bloc_projection_dispose(&p);
	bloc_contest_free(c);
}
