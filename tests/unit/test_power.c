/* Bloc power: small hand-built contests where the decisive set, the flip fractions and the pivot
 * probability are known in closed form (checked exactly, or within stated standard errors for
 * the Monte Carlo); properties on random contests; the real GE2019 (2011 census via BES) and
 * GE2024 (2021/2022 census) figures. */
#include "harness.h"

#include "bloc/bloc.h"
#include "core/alloc.h"
#include "data/build.h"

#include <inttypes.h>
#include <math.h>
#include <stdint.h>

/* ---- building contests -------------------------------------------------------------------- */

#define MAXC 6

typedef struct {
	const char *code;
	int64_t electorate; /* -1: unknown */
	const char *party[MAXC];
	int64_t votes[MAXC];
} seat_spec;

static bloc_party P(const char *code)
{
	return bloc_party_resolve(code);
}

/* Seats in the given order; a party label starting with '*' is a lump of several candidates. */
static bloc_contest *make(const seat_spec *spec, size_t n)
{
	bloc__builder *b = NULL;
	bloc_contest *c = NULL;
	size_t i, k, idx;
	int created;

	if (bloc__builder_new(&b, "synthetic") < 0)
		return NULL;
	for (i = 0; i < n; i++) {
		if (bloc__builder_seat(b, spec[i].code, spec[i].code, "R", "England", i + 2, &idx,
		                       &created) < 0)
			goto done;
		bloc__builder_seat_figures(b, idx, spec[i].electorate, -1, 0);
		for (k = 0; k < MAXC && spec[i].party[k]; k++) {
			const char *label = spec[i].party[k];
			unsigned flags = 0;
			if (label[0] == '*') {
				flags = BLOC_CAND_AGGREGATE;
				label++;
			}
			if (bloc__builder_candidate(b, idx, P(label), label, "", spec[i].votes[k],
			                            flags) < 0)
				goto done;
		}
	}
	if (bloc__builder_finish(b, "synthetic", "2000-01-01", "test", BLOC_CONTEST_GENERAL, &c) <
	    0)
		fprintf(stderr, "make: %s\n", bloc_error_last());
done:
	bloc__builder_free(b);
	return c;
}

/* Shares by hand (the caller frees g->share). */
static int hand_shares(bloc_group_shares *g, const bloc_contest *c, const double *share)
{
	size_t s;

	memset(g, 0, sizeof(*g));
	g->n = c->nseats;
	g->group = "muslim";
	if (!(g->share = malloc(c->nseats * sizeof(double))))
		return -1;
	for (s = 0; s < c->nseats; s++) {
		g->share[s] = share[s];
		g->covered += !isnan(share[s]);
	}
	return 0;
}

static long seat_of(const bloc_contest *c, const char *code)
{
	long s = bloc_contest_seat(c, code);

	if (s < 0)
		BLOC_FAIL_("no seat %s", code);
	return s;
}

/* Exact equality of doubles, NaN equal to NaN. */
#define CHECK_EXACT(a, b)                                                                          \
	do {                                                                                       \
		double a_ = (a), b_ = (b);                                                         \
		bloc_checks_++;                                                                    \
		if (!(a_ == b_ || (isnan(a_) && isnan(b_))))                                       \
			BLOC_FAIL_("%s == %.17g, expected exactly %.17g", #a, a_, b_);             \
	} while (0)

/* ---- the closed form ---------------------------------------------------------------------- */

/* Electorate 20000 and valid votes 12000 in A: with the seat's turnout G = share x valid votes.
 * Shares are dyadic so every G is exact. */
static const seat_spec ge_small[] = {
    /* LAB by 1000; G = 0.25 x 12000 = 3000 */
    {"A", 20000, {"Lab", "Con", "LD"}, {6000, 5000, 1000}},
    /* CON by 3000; G = 0.125 x 5500 = 687.5 */
    {"B", 10000, {"Con", "Lab", "Green"}, {4000, 1000, 500}},
    /* a tie: majority 0; G = 0.0625 x 4000 = 250 */
    {"C", 8000, {"Lab", "Con"}, {2000, 2000}},
    /* unopposed */
    {"D", 8000, {"Spk"}, {3000}},
    /* no census share */
    {"E", 9000, {"Lab", "Con"}, {3000, 1000}},
    /* electorate unknown; a lump of others above the runner-up; G = 0.5 x 9000 = 4500 */
    {"F", -1, {"Con", "*Other", "Lab", "LD"}, {4000, 2500, 2000, 500}},
};
static const double ge_small_share[] = {0.25, 0.125, 0.0625, 0.25, NAN, 0.5};

BLOC_TEST(power_closed_form_small_contest)
{
	bloc_contest *c = make(ge_small, 6);
	bloc_group_shares g;
	bloc_power_options o;
	bloc_power p;
	long a, b, t, d, e, f;

	BLOC_REQUIRE(c && hand_shares(&g, c, ge_small_share) == 0);
	a = seat_of(c, "A"), b = seat_of(c, "B"), t = seat_of(c, "C"), d = seat_of(c, "D");
	e = seat_of(c, "E"), f = seat_of(c, "F");
	bloc_power_options_init(&o);
	o.third = P("LD");
	BLOC_CHECK_OK(bloc_power_compute(&p, c, &g, &o));
	BLOC_CHECK_INT_EQ(p.n, 6);
	BLOC_CHECK_INT_EQ(p.covered, 5);

	/* A: G 3000, majority 1000: ratio 2 x 0.87 x 3000 / 1000 = 5.22, decisive */
	BLOC_CHECK(p.winner[a] == P("LAB") && p.second[a] == P("CON"));
	BLOC_CHECK_INT_EQ(p.majority[a], 1000);
	CHECK_EXACT(p.group_share[a], 0.25);
	CHECK_EXACT(p.group_voters[a], 3000);
	CHECK_EXACT(p.ratio[a], 2 * 0.87 * 3000 / 1000.0);
	CHECK_EXACT(p.flip_switch[a], 1000 / 6000.0);
	CHECK_EXACT(p.flip_abstain[a], 1000 / 3000.0);
	/* LD needs to pass LAB: (6000 - 1000) / 6000, and CON: (5000 - 1000) / 3000 = 4/3 */
	CHECK_EXACT(p.flip_third[a], 4000 / 3000.0);
	BLOC_CHECK(p.decisive[a]);

	/* B: G 687.5, majority 3000: 2cG = 1196.25, not decisive; LD did not stand */
	BLOC_CHECK_INT_EQ(p.majority[b], 3000);
	CHECK_EXACT(p.group_voters[b], 687.5);
	CHECK_EXACT(p.flip_switch[b], 3000 / 1375.0);
	CHECK_EXACT(p.flip_abstain[b], 3000 / 687.5);
	BLOC_CHECK(isnan(p.flip_third[b]));
	BLOC_CHECK(!p.decisive[b]);

	/* C, a tie: any bloc decides it */
	BLOC_CHECK_INT_EQ(p.majority[t], 0);
	CHECK_EXACT(p.group_voters[t], 250);
	BLOC_CHECK(isinf(p.ratio[t]) && p.ratio[t] > 0);
	CHECK_EXACT(p.flip_switch[t], 0);
	BLOC_CHECK(p.decisive[t]);

	/* D, unopposed: G known, nothing to flip */
	CHECK_EXACT(p.group_voters[d], 750);
	BLOC_CHECK(isnan(p.ratio[d]) && isnan(p.flip_switch[d]) && isnan(p.flip_abstain[d]));
	BLOC_CHECK(!p.decisive[d]);

	/* E, no census share: NaN, never a silent zero, and not decisive */
	BLOC_CHECK(p.winner[e] == P("LAB"));
	BLOC_CHECK_INT_EQ(p.majority[e], 2000);
	BLOC_CHECK(isnan(p.group_share[e]) && isnan(p.group_voters[e]) && isnan(p.ratio[e]));
	BLOC_CHECK(isnan(p.flip_switch[e]) && isnan(p.flip_abstain[e]) && isnan(p.flip_third[e]));
	BLOC_CHECK(!p.decisive[e]);

	/* F: the lump is not the runner-up; electorate unknown, so G = share x valid = 4500 */
	BLOC_CHECK(p.second[f] == P("LAB"));
	BLOC_CHECK_INT_EQ(p.majority[f], 2000);
	CHECK_EXACT(p.group_voters[f], 4500);
	CHECK_EXACT(p.flip_switch[f], 2000 / 9000.0);
	/* LD passes CON at (4000 - 500) / 9000 and LAB at (2000 - 500) / 4500: the lump is not a
	 * candidate */
	CHECK_EXACT(p.flip_third[f], 3500 / 9000.0);
	BLOC_CHECK(p.decisive[f]);

	BLOC_CHECK_INT_EQ(p.ndecisive, 3);
	BLOC_CHECK(isnan(p.pivot_prob[a]) && isnan(p.pivot_se[a])); /* sims 0 */
	bloc_power_dispose(&p);
	BLOC_CHECK(p.winner == NULL && p.n == 0);
	bloc_power_dispose(&p); /* twice is fine */
	free(g.share);
	bloc_contest_free(c);
}

/* A group with no voters in a seat flips nothing, not even a tie. */
BLOC_TEST(power_empty_group)
{
	static const seat_spec spec[] = {{"A", 1000, {"Lab", "Con", "LD"}, {300, 300, 100}},
	                                 {"B", 1000, {"Lab", "Con"}, {300, 200}}};
	const double share[] = {0, 0};
	bloc_contest *c = make(spec, 2);
	bloc_group_shares g;
	bloc_power_options o;
	bloc_power p;
	size_t s;

	BLOC_REQUIRE(c && hand_shares(&g, c, share) == 0);
	bloc_power_options_init(&o);
	o.third = P("LD");
	o.sims = 100;
	BLOC_CHECK_OK(bloc_power_compute(&p, c, &g, &o));
	for (s = 0; s < 2; s++) {
		CHECK_EXACT(p.group_voters[s], 0);
		CHECK_EXACT(p.ratio[s], 0);
		BLOC_CHECK(isinf(p.flip_switch[s]) && isinf(p.flip_abstain[s]));
		BLOC_CHECK(!p.decisive[s]);
		CHECK_EXACT(p.pivot_prob[s], 0);
	}
	BLOC_CHECK(isinf(p.flip_third[0]) && isnan(p.flip_third[1]));
	bloc_power_dispose(&p);
	free(g.share);
	bloc_contest_free(c);
}

/* The group's voters under each assumption. */
BLOC_TEST(power_group_voters_assumptions)
{
	bloc_contest *c = make(ge_small, 6);
	bloc_group_shares g;
	bloc_power_options o;
	bloc_power p;
	long a, f;

	BLOC_REQUIRE(c && hand_shares(&g, c, ge_small_share) == 0);
	a = seat_of(c, "A"), f = seat_of(c, "F");
	bloc_power_options_init(&o);
	/* a group turnout of 0.5: 0.25 x 20000 x 0.5 = 2500; unknown electorate: as before */
	o.turnout = 0.5;
	BLOC_CHECK_OK(bloc_power_compute(&p, c, &g, &o));
	CHECK_EXACT(p.group_voters[a], 2500);
	CHECK_EXACT(p.group_voters[f], 4500);
	bloc_power_dispose(&p);
	/* fewer adults in the group: half */
	o.turnout = 0;
	o.adult_ratio = 0.5;
	BLOC_CHECK_OK(bloc_power_compute(&p, c, &g, &o));
	CHECK_EXACT(p.group_voters[a], 1500);
	CHECK_EXACT(p.flip_switch[a], 1000 / 3000.0);
	bloc_power_dispose(&p);
	/* the adult share is capped at the whole electorate: 0.5 x 4 -> 1, G = valid votes */
	o.adult_ratio = 4;
	BLOC_CHECK_OK(bloc_power_compute(&p, c, &g, &o));
	CHECK_EXACT(p.group_voters[f], 9000);
	bloc_power_dispose(&p);
	free(g.share);
	bloc_contest_free(c);
}

/* Decisive iff 2 c G > majority, strictly: with c = 0.5 and G = 2000, majorities 1999, 2000 and
 * 2001 give yes, no (the bloc would only tie), no. Flip fractions at the boundary are exact. */
BLOC_TEST(power_decisive_boundary)
{
	static const seat_spec spec[] = {
	    {"A", 100000, {"Lab", "Con"}, {8999, 7000}},
	    {"B", 100000, {"Lab", "Con"}, {9000, 7000}},
	    {"C", 100000, {"Lab", "Con"}, {9001, 7000}},
	};
	/* G = share x valid = 2000 in each: 2000/15999, 2000/16000, 2000/16001 are not dyadic, so
	 * use the turnout option instead: share 0.125 x 100000 x 0.16 */
	const double share[] = {0.125, 0.125, 0.125};
	bloc_contest *c = make(spec, 3);
	bloc_group_shares g;
	bloc_power_options o;
	bloc_power p;
	long a, b, d;

	BLOC_REQUIRE(c && hand_shares(&g, c, share) == 0);
	a = seat_of(c, "A"), b = seat_of(c, "B"), d = seat_of(c, "C");
	bloc_power_options_init(&o);
	o.cohesion = 0.5;
	o.turnout = 0.15625; /* 0.125 x 100000 x 0.15625 = 1953.125, exact */
	BLOC_CHECK_OK(bloc_power_compute(&p, c, &g, &o));
	CHECK_EXACT(p.group_voters[a], 1953.125);
	bloc_power_dispose(&p);
	o.turnout = 0.16; /* 12500 x 0.16 = 2000 within one rounding: check it is exact here */
	BLOC_CHECK_OK(bloc_power_compute(&p, c, &g, &o));
	BLOC_REQUIRE(p.group_voters[a] == 2000);
	BLOC_CHECK(p.decisive[a] && !p.decisive[b] && !p.decisive[d]);
	BLOC_CHECK_INT_EQ(p.ndecisive, 1);
	CHECK_EXACT(p.flip_switch[b], 0.5); /* = cohesion: a tie, not a flip */
	CHECK_EXACT(p.ratio[b], 1);
	CHECK_EXACT(p.flip_abstain[b], 1);
	bloc_power_dispose(&p);
	free(g.share);
	bloc_contest_free(c);
}

/* flip_third against every other candidate, in a four-way seat. G = 0.25 x 30500... use the
 * turnout option for a round G of 4000: 0.25 x 40000 x 0.4. */
BLOC_TEST(power_flip_third_closed_form)
{
	static const seat_spec spec[] = {
	    {"A", 40000, {"Lab", "Con", "Green", "LD"}, {10000, 9000, 8500, 3000}}};
	static const struct {
		const char *third;
		double want; /* NaN: none */
	} cases[] = {
	    /* LD must pass LAB ((10000 - 3000) / 8000 = 0.875) and CON ((9000 - 3000) / 4000) */
	    {"LD", 6000 / 4000.0},
	    /* GRN: LAB at (10000 - 8500) / 8000 = 0.1875; CON at 500 / 4000 = 0.125 */
	    {"GRN", 1500 / 8000.0},
	    /* the runner-up: flip_switch */
	    {"CON", 1000 / 8000.0},
	    {"LAB", NAN}, /* the winner */
	    {"SNP", NAN}, /* no candidate */
	};
	const double share[] = {0.25};
	bloc_contest *c = make(spec, 1);
	bloc_group_shares g;
	bloc_power_options o;
	size_t i;

	BLOC_REQUIRE(c && hand_shares(&g, c, share) == 0);
	bloc_power_options_init(&o);
	o.turnout = 0.4;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bloc_power p;
		o.third = P(cases[i].third);
		BLOC_CHECK_OK(bloc_power_compute(&p, c, &g, &o));
		BLOC_CHECK(p.group_voters[0] == 4000);
		CHECK_EXACT(p.flip_third[0], cases[i].want);
		CHECK_EXACT(p.flip_switch[0], 1000 / 8000.0);
		bloc_power_dispose(&p);
	}
	o.third = BLOC_PARTY_NONE;
	{
		bloc_power p;
		BLOC_CHECK_OK(bloc_power_compute(&p, c, &g, &o));
		BLOC_CHECK(isnan(p.flip_third[0]));
		bloc_power_dispose(&p);
	}
	free(g.share);
	bloc_contest_free(c);
}

/* ---- properties on random contests -------------------------------------------------------- */

static uint64_t next_rand(uint64_t *x)
{
	*x = *x * UINT64_C(6364136223846793005) + UINT64_C(1442695040888963407);
	return *x >> 33;
}

/* n random seats of 2 to 6 candidates (votes 1..20000), electorate 1.2 to 2 x valid, random
 * shares 0..0.6. */
static bloc_contest *random_contest(uint64_t seed, size_t n, double *share)
{
	seat_spec *spec = calloc(n, sizeof(*spec));
	static const char *const parties[MAXC] = {"Lab", "Con", "LD", "Green", "Reform", "SNP"};
	static char codes[64][24];
	bloc_contest *c;
	size_t i, k;

	if (!spec || n > 64)
		return NULL;
	for (i = 0; i < n; i++) {
		size_t nc = 2 + next_rand(&seed) % 5;
		int64_t valid = 0;
		snprintf(codes[i], sizeof(codes[i]), "S%zu", i);
		spec[i].code = codes[i];
		for (k = 0; k < nc; k++) {
			spec[i].party[k] = parties[k];
			spec[i].votes[k] = 1 + (int64_t)(next_rand(&seed) % 20000);
			valid += spec[i].votes[k];
		}
		spec[i].electorate = valid + valid / 5 + (int64_t)(next_rand(&seed) % (valid + 1));
		share[i] = (double)(next_rand(&seed) % 6001) / 10000.0;
	}
	c = make(spec, n);
	free(spec);
	return c;
}

/* Move x G votes from the winner's best candidate to `third`'s: does third win outright? */
static int third_wins(const bloc_contest *c, size_t s, bloc_party third, double moved)
{
	size_t k, w = c->cand_off[s], t = SIZE_MAX;
	double vt, best = -1;

	for (k = c->cand_off[s]; k < c->cand_off[s + 1]; k++)
		if (c->cand_party[k] == third && t == SIZE_MAX)
			t = k;
	if (t == SIZE_MAX || t == w)
		return 0;
	vt = (double)c->cand_votes[t] + moved;
	for (k = c->cand_off[s]; k < c->cand_off[s + 1]; k++) {
		double v = (double)c->cand_votes[k] - (k == w ? moved : 0);
		if (k != t && v > best)
			best = v;
	}
	return vt > best;
}

BLOC_TEST(power_properties_random)
{
	const size_t n = 60;
	double share[60], bigger[60];
	size_t trial, s, bad_cohesion = 0, bad_monotone = 0, bad_third = 0, checked_third = 0;

	for (trial = 0; trial < 20; trial++) {
		bloc_contest *c = random_contest(1000 + trial, n, share);
		bloc_group_shares g, gb;
		bloc_power_options o;
		bloc_power p0, p, pb;
		bloc_party third = P(trial % 2 ? "LD" : "GRN");

		BLOC_REQUIRE(c);
		for (s = 0; s < n; s++)
			bigger[s] = fmin(1, share[s] * (1.01 + 0.1 * (double)(s % 7)));
		BLOC_REQUIRE(hand_shares(&g, c, share) == 0 && hand_shares(&gb, c, bigger) == 0);
		bloc_power_options_init(&o);
		o.third = third;
		/* cohesion 0: never decisive */
		o.cohesion = 0;
		BLOC_CHECK_OK(bloc_power_compute(&p0, c, &g, &o));
		bad_cohesion += p0.ndecisive != 0;
		o.cohesion = 0.87;
		BLOC_CHECK_OK(bloc_power_compute(&p, c, &g, &o));
		BLOC_CHECK_OK(bloc_power_compute(&pb, c, &gb, &o));
		for (s = 0; s < n; s++) {
			/* a larger group, all else equal: never a larger flip fraction, never fewer
			 * decisive seats */
			if (!(pb.flip_switch[s] <= p.flip_switch[s]) ||
			    !(pb.flip_abstain[s] <= p.flip_abstain[s]) ||
			    (!isnan(p.flip_third[s]) && !(pb.flip_third[s] <= p.flip_third[s])) ||
			    (p.decisive[s] && !pb.decisive[s]))
				bad_monotone++;
			/* decisive is exactly flip_switch < cohesion */
			if (p.decisive[s] != (p.flip_switch[s] < 0.87))
				bad_monotone++;
			/* flip_third is the threshold: a hair above flips to third, below does not
			 */
			if (!isnan(p.flip_third[s]) && p.group_voters[s] > 0) {
				double x = p.flip_third[s], gv = p.group_voters[s];
				checked_third++;
				if (!third_wins(c, (size_t)s, third, x * gv * (1 + 1e-9) + 1e-6) ||
				    third_wins(c, (size_t)s, third, x * gv * (1 - 1e-9) - 1e-6))
					bad_third++;
			}
		}
		bloc_power_dispose(&p0);
		bloc_power_dispose(&p);
		bloc_power_dispose(&pb);
		free(g.share);
		free(gb.share);
		bloc_contest_free(c);
	}
	BLOC_CHECK_INT_EQ(bad_cohesion, 0);
	BLOC_CHECK_INT_EQ(bad_monotone, 0);
	BLOC_CHECK_INT_EQ(bad_third, 0);
	BLOC_CHECK(checked_third > 200);
}

/* ---- the Monte Carlo ---------------------------------------------------------------------- */

/* With no uncertainty and the whole group on the winner's side now, the simulation is the
 * closed form: pivot_prob is exactly `decisive`. */
BLOC_TEST(power_pivot_without_noise_is_decisive)
{
	double share[40];
	bloc_contest *c = random_contest(77, 40, share);
	bloc_group_shares g;
	bloc_power_options o;
	bloc_power p;
	size_t s, bad = 0, nwin;

	BLOC_REQUIRE(c && hand_shares(&g, c, share) == 0);
	bloc_power_options_init(&o);
	o.sims = 50;
	o.sd_turnout = o.sd_cohesion = o.sd_rest = 0;
	/* every candidate's party at 100 in turn is not possible at once: name each seat's
	 * winner party; random_contest's parties are in a fixed order, so run per winner party */
	for (nwin = 0; nwin < MAXC; nwin++) {
		static const char *const parties[MAXC] = {"LAB", "CON", "LD", "GRN", "REF", "SNP"};
		o.nsupport = 1;
		o.support_party[0] = P(parties[nwin]);
		o.support[0] = 100;
		BLOC_CHECK_OK(bloc_power_compute(&p, c, &g, &o));
		for (s = 0; s < c->nseats; s++) {
			if (p.winner[s] != o.support_party[0])
				continue;
			if (p.pivot_prob[s] != (p.decisive[s] ? 1.0 : 0.0) || p.pivot_se[s] != 0)
				bad++;
		}
		bloc_power_dispose(&p);
	}
	BLOC_CHECK_INT_EQ(bad, 0);
	free(g.share);
	bloc_contest_free(c);
}

static double Phi(double x)
{
	return 0.5 * erfc(-x / sqrt(2.0));
}

/* Two candidates, the group all for the winner (support LAB=100), only sd_rest: with
 * f = 1 + sd N(0,1) on each non-group vote, D = (v_W - G) f_W + (1 - c) G - v_R f_R is normal
 * with mean majority - c G and variance sd^2 ((v_W - G)^2 + v_R^2), and the bloc decides when
 * -cG < D < cG: p = Phi((2cG - majority) / s) - Phi(-majority / s). */
BLOC_TEST(power_pivot_matches_normal_closed_form)
{
	static const seat_spec spec[] = {
	    {"A", -1, {"Lab", "Con"}, {10000, 8400}}, /* G 2300, c 0.35: p about 0.5 */
	    {"B", -1, {"Lab", "Con"}, {10000, 6000}}, /* G 2000 */
	    {"C", -1, {"Lab", "Con"}, {10000, 9000}}, /* G 2375 */
	};
	const double share[] = {0.125, 0.125, 0.125}, coh[] = {0.35, 0.87, 0.6};
	bloc_contest *c = make(spec, 3);
	bloc_group_shares g;
	bloc_power_options o;
	size_t i;

	BLOC_REQUIRE(c && hand_shares(&g, c, share) == 0);
	for (i = 0; i < 3; i++) {
		bloc_power p;
		double vw = 10000, vr = (double)spec[i].votes[1], gv = 0.125 * (vw + vr);
		double maj = vw - vr, sd = 0.05 * sqrt((vw - gv) * (vw - gv) + vr * vr), want;

		bloc_power_options_init(&o);
		o.cohesion = coh[i];
		o.sd_turnout = o.sd_cohesion = 0;
		o.sd_rest = 0.05;
		o.nsupport = 1;
		o.support_party[0] = P("LAB");
		o.support[0] = 100;
		o.sims = 20000;
		o.seed = 11 + i;
		want = Phi((2 * coh[i] * gv - maj) / sd) - Phi(-maj / sd);
		BLOC_CHECK_OK(bloc_power_compute(&p, c, &g, &o));
		/* within 5 standard errors of the simulation (and a floor for p near 0 or 1) */
		BLOC_CHECK_NEAR(p.pivot_prob[i], want, 0,
		                5 * sqrt(want * (1 - want) / 20000) + 1e-4);
		BLOC_CHECK_NEAR(p.pivot_se[i], sqrt(want * (1 - want) / 20000), 0.1, 1e-4);
		printf("seat %s: pivot %.4f (se %.4f), normal closed form %.4f\n", spec[i].code,
		       p.pivot_prob[i], p.pivot_se[i], want);
		bloc_power_dispose(&p);
	}
	free(g.share);
	bloc_contest_free(c);
}

/* ---- options ------------------------------------------------------------------------------ */

BLOC_TEST(power_options_defaults)
{
	bloc_power_options o, m = BLOC_POWER_OPTIONS_INIT;

	bloc_power_options_init(&o);
	BLOC_CHECK(o.version == BLOC_POWER_OPTIONS_VERSION);
	BLOC_CHECK(o.cohesion == 0.87 && o.adult_ratio == 1 && o.turnout == 0);
	BLOC_CHECK(o.nsupport == 0 && o.third == BLOC_PARTY_NONE);
	BLOC_CHECK(o.sims == 0 && o.seed == 1 && o.threads == 1);
	BLOC_CHECK(o.sd_turnout == 0.10 && o.sd_cohesion == 0.05 && o.sd_rest == 0.05);
	BLOC_CHECK(memcmp(&o, &m, sizeof(o)) == 0);
}

BLOC_TEST(power_options_out_of_range)
{
	static const struct {
		const char *field;
		double value;
		const char *name; /* in the message */
	} cases[] = {
	    {"cohesion", 1.5, "cohesion"},
	    {"cohesion", -0.1, "cohesion"},
	    {"cohesion", NAN, "cohesion"},
	    {"adult_ratio", 0, "adult_ratio"},
	    {"adult_ratio", INFINITY, "adult_ratio"},
	    {"turnout", 1.5, "turnout"},
	    {"turnout", NAN, "turnout"},
	    {"sd_turnout", -1, "sd_turnout"},
	    {"sd_cohesion", NAN, "sd_cohesion"},
	    {"sd_rest", -0.01, "sd_rest"},
	    {"threads", 5000, "threads"},
	    {"support_sum", 120, "support"},
	    {"support_dup", 0, "twice"},
	    {"support_neg", -5, "support"},
	    {"support_none", 0, "support"},
	    {"version", 0, "version"},
	    {"third", 60000, "third"},
	};
	bloc_contest *c = make(ge_small, 6);
	bloc_group_shares g;
	size_t i;

	BLOC_REQUIRE(c && hand_shares(&g, c, ge_small_share) == 0);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bloc_power_options o;
		bloc_power p;
		const char *f = cases[i].field;
		double v = cases[i].value;
		int rc;

		bloc_power_options_init(&o);
		if (!strcmp(f, "cohesion"))
			o.cohesion = v;
		else if (!strcmp(f, "adult_ratio"))
			o.adult_ratio = v;
		else if (!strcmp(f, "turnout"))
			o.turnout = v;
		else if (!strcmp(f, "sd_turnout"))
			o.sd_turnout = v;
		else if (!strcmp(f, "sd_cohesion"))
			o.sd_cohesion = v;
		else if (!strcmp(f, "sd_rest"))
			o.sd_rest = v;
		else if (!strcmp(f, "threads"))
			o.threads = (unsigned)v;
		else if (!strcmp(f, "version"))
			o.version = (unsigned)v;
		else if (!strcmp(f, "third"))
			o.third = (bloc_party)v;
		else {
			o.nsupport = 2;
			o.support_party[0] = P("LAB");
			o.support_party[1] = !strcmp(f, "support_dup")    ? P("LAB")
			                     : !strcmp(f, "support_none") ? BLOC_PARTY_NONE
			                                                  : P("CON");
			o.support[0] = 60;
			o.support[1] = !strcmp(f, "support_sum")   ? 60
			               : !strcmp(f, "support_neg") ? v
			                                           : 10;
		}
		rc = bloc_power_compute(&p, c, &g, &o);
		if (rc != BLOC_EINVAL || !strstr(bloc_error_last(), cases[i].name))
			BLOC_FAIL_("%s = %g: %d '%s', expected BLOC_EINVAL naming '%s'", f, v, rc,
			           bloc_error_last(), cases[i].name);
		bloc_checks_++;
		BLOC_CHECK(p.winner == NULL && p.n == 0);
		bloc_power_dispose(&p);
	}
	/* shares outside [0, 1], or for another contest */
	{
		bloc_power p;
		g.share[1] = 1.25;
		BLOC_CHECK_INT_EQ(bloc_power_compute(&p, c, &g, NULL), BLOC_EINVAL);
		BLOC_CHECK_CONTAINS(bloc_error_last(), "seat B");
		BLOC_CHECK_CONTAINS(bloc_error_last(), "1.25");
		g.share[1] = -0.5;
		BLOC_CHECK_INT_EQ(bloc_power_compute(&p, c, &g, NULL), BLOC_EINVAL);
		g.share[1] = 0.125;
		g.n = 5;
		BLOC_CHECK_INT_EQ(bloc_power_compute(&p, c, &g, NULL), BLOC_EINVAL);
		BLOC_CHECK_CONTAINS(bloc_error_last(), "5 seats");
		g.n = 6;
		/* NULL options: the defaults */
		BLOC_CHECK_OK(bloc_power_compute(&p, c, &g, NULL));
		BLOC_CHECK_INT_EQ(p.ndecisive, 3);
		bloc_power_dispose(&p);
	}
	free(g.share);
	bloc_contest_free(c);
}

/* Every allocation failing in turn: BLOC_ENOMEM with a message, nothing leaked (ASan). */
BLOC_TEST(power_out_of_memory)
{
	bloc_contest *c = make(ge_small, 6);
	bloc_group_shares g;
	bloc_power_options o;
	unsigned long n;

	BLOC_REQUIRE(c && hand_shares(&g, c, ge_small_share) == 0);
	bloc_power_options_init(&o);
	o.sims = 10;
	o.threads = 2;
	for (n = 1; n < 200; n++) {
		bloc_power p;
		int rc;
		bloc__alloc_fail_after(n);
		rc = bloc_power_compute(&p, c, &g, &o);
		bloc__alloc_fail_after(0);
		if (rc == 0) {
			bloc_power_dispose(&p);
			break;
		}
		if (rc != BLOC_ENOMEM || p.winner || !*bloc_error_last()) {
			BLOC_FAIL_("allocation %lu failing: %d %s", n, rc, bloc_error_last());
			break;
		}
	}
	BLOC_CHECK(n > 5 && n < 200);
	free(g.share);
	bloc_contest_free(c);
}

/* ---- real data ---------------------------------------------------------------------------- */

static bloc_dataset *dataset(void)
{
	return bloc_test_dataset();
}

/* Contest id's group shares and bloc power under o; 0 or -1 (recorded). */
static int real(const char *id, const char *group, const bloc_power_options *o, bloc_contest **c,
                bloc_group_shares *g, bloc_power *p)
{
	*c = NULL;
	memset(g, 0, sizeof(*g));
	memset(p, 0, sizeof(*p));
	if (!dataset())
		return -1;
	if (bloc_contest_open(c, dataset(), id) < 0 ||
	    bloc_group_shares_open(g, dataset(), *c, group) < 0 ||
	    bloc_power_compute(p, *c, g, o) < 0) {
		BLOC_FAIL_("%s %s: %s", id, group, bloc_error_last());
		return -1;
	}
	return 0;
}

static void real_dispose(bloc_contest *c, bloc_group_shares *g, bloc_power *p)
{
	bloc_power_dispose(p);
	bloc_group_shares_dispose(g);
	bloc_contest_free(c);
}

static long by_name(const bloc_contest *c, const char *name)
{
	size_t s;

	if (bloc_contest_find_seat(c, name, &s) < 0) {
		BLOC_FAIL_("no seat '%s': %s", name, bloc_error_last());
		return -1;
	}
	return (long)s;
}

static void print_seat(const bloc_contest *c, const bloc_power *p, long s)
{
	printf("  %s %-28s %s over %s by %6" PRId64 ": share %.4f G %8.1f ratio %6.3f switch %.4f "
	       "abstain %.4f third %.4f%s",
	       c->code[s], c->name[s], bloc_party_code(p->winner[s]), bloc_party_code(p->second[s]),
	       p->majority[s], p->group_share[s], p->group_voters[s], p->ratio[s],
	       p->flip_switch[s], p->flip_abstain[s], p->flip_third[s],
	       p->decisive[s] ? " decisive" : "");
	if (!isnan(p->pivot_prob[s]))
		printf(" pivot %.4f (se %.4f)", p->pivot_prob[s], p->pivot_se[s]);
	printf("\n");
}

/* GE2019 with the 2011 census (BES): Bradford West 51.3% Muslim, LAB over CON by 27,019. */
BLOC_TEST(power_ge2019_muslim)
{
	bloc_power_options o;
	bloc_group_shares g;
	bloc_contest *c;
	bloc_power p;
	long s;

	bloc_power_options_init(&o);
	o.third = P("LD");
	BLOC_REQUIRE(real("ge2019", "muslim", &o, &c, &g, &p) == 0);
	s = by_name(c, "Bradford West");
	BLOC_REQUIRE(s >= 0);
	BLOC_CHECK_STR_EQ(c->code[s], "E14000589");
	/* BES gives c11Muslim = 51.29965755...% */
	BLOC_CHECK_NEAR(p.group_share[s], 0.513, 0, 0.0005);
	BLOC_CHECK(p.winner[s] == P("LAB") && p.second[s] == P("CON"));
	BLOC_CHECK_INT_EQ(p.majority[s], 27019);
	/* G = 0.513 x valid votes; decisive: 2 x 0.87 x G > 27019 */
	CHECK_EXACT(p.group_voters[s], p.group_share[s] * (double)c->valid[s]);
	BLOC_CHECK(p.decisive[s]);
	CHECK_EXACT(p.flip_switch[s], 27019 / (2 * p.group_voters[s]));
	CHECK_EXACT(p.ratio[s], 2 * 0.87 * p.group_voters[s] / 27019);
	BLOC_CHECK_INT_EQ(p.covered, 632); /* Great Britain; Northern Ireland has no census */
	BLOC_CHECK_INT_EQ(p.ndecisive, 90);
	printf("ge2019 muslim (2011 census via BES), cohesion 0.87: %zu of %zu seats decisive\n",
	       p.ndecisive, p.covered);
	print_seat(c, &p, s);
	print_seat(c, &p, by_name(c, "Dewsbury"));
	print_seat(c, &p, by_name(c, "Kensington"));
	real_dispose(c, &g, &p);
}

/* GE2024 with the 2021/2022 census: Leicester South (LAB lost to an independent by 979) and
 * Ilford North (LAB held it over an independent by 528). */
BLOC_TEST(power_ge2024_muslim)
{
	bloc_power_options o;
	bloc_group_shares g;
	bloc_contest *c;
	bloc_power p;
	long ls, in, bw;

	bloc_power_options_init(&o);
	o.third = P("IND");
	BLOC_REQUIRE(real("ge2024", "muslim", &o, &c, &g, &p) == 0);
	ls = by_name(c, "Leicester South");
	in = by_name(c, "Ilford North");
	bw = by_name(c, "Bradford West");
	BLOC_REQUIRE(ls >= 0 && in >= 0 && bw >= 0);
	BLOC_CHECK_STR_EQ(c->code[ls], "E14001327");
	BLOC_CHECK(p.winner[ls] == P("IND") && p.second[ls] == P("LAB"));
	BLOC_CHECK_INT_EQ(p.majority[ls], 979);
	BLOC_CHECK(p.decisive[ls]);
	BLOC_CHECK(isnan(p.flip_third[ls])); /* IND is the winner */
	BLOC_CHECK_STR_EQ(c->code[in], "E14001300");
	BLOC_CHECK(p.winner[in] == P("LAB") && p.second[in] == P("IND"));
	BLOC_CHECK_INT_EQ(p.majority[in], 528);
	BLOC_CHECK(p.decisive[in]);
	CHECK_EXACT(p.flip_third[in], p.flip_switch[in]); /* IND is the runner-up */
	BLOC_CHECK_NEAR(p.group_share[bw], 71281.0 / 121355.0, 0, 1e-12);
	BLOC_CHECK_INT_EQ(p.covered, 632);
	BLOC_CHECK_INT_EQ(p.ndecisive, 136);
	printf("ge2024 muslim (2021/2022 census), cohesion 0.87: %zu of %zu seats decisive\n",
	       p.ndecisive, p.covered);
	print_seat(c, &p, ls);
	print_seat(c, &p, in);
	print_seat(c, &p, bw);
	real_dispose(c, &g, &p);
}

/* Every census group on both elections: cohesion 0 decides nothing, cohesion 1 decides at
 * least what 0.87 does; the counts are printed for the report. */
BLOC_TEST(power_all_groups_counts)
{
	static const char *const ids[] = {"ge2019", "ge2024"};
	size_t i, k;

	BLOC_REQUIRE(dataset());
	for (i = 0; i < 2; i++) {
		bloc_contest *c = NULL;
		BLOC_REQUIRE(bloc_contest_open(&c, dataset(), ids[i]) == 0);
		printf("%s decisive seats at cohesion 0.87:", ids[i]);
		for (k = 0; k < bloc_group_count(); k++) {
			bloc_group_shares g;
			bloc_power_options o;
			bloc_power p0, p, p1;
			BLOC_REQUIRE(bloc_group_shares_open(&g, dataset(), c, bloc_group_name(k)) ==
			             0);
			bloc_power_options_init(&o);
			o.cohesion = 0;
			BLOC_CHECK_OK(bloc_power_compute(&p0, c, &g, &o));
			o.cohesion = 0.87;
			BLOC_CHECK_OK(bloc_power_compute(&p, c, &g, &o));
			o.cohesion = 1;
			BLOC_CHECK_OK(bloc_power_compute(&p1, c, &g, &o));
			BLOC_CHECK_INT_EQ(p0.ndecisive, 0);
			BLOC_CHECK(p1.ndecisive >= p.ndecisive);
			printf(" %s %zu", bloc_group_name(k), p.ndecisive);
			bloc_power_dispose(&p0);
			bloc_power_dispose(&p);
			bloc_power_dispose(&p1);
			bloc_group_shares_dispose(&g);
		}
		printf("\n");
		bloc_contest_free(c);
	}
}

/* The same seed gives bit-identical pivot probabilities whatever the thread count; another
 * seed gives others. */
BLOC_TEST(power_pivot_threads_identical)
{
	bloc_power_options o;
	bloc_group_shares g;
	bloc_contest *c;
	bloc_power p1, p2, p3, p9;
	size_t s, differ = 0;

	bloc_power_options_init(&o);
	o.sims = 500;
	o.seed = 20240704;
	o.threads = 1;
	BLOC_REQUIRE(real("ge2024", "muslim", &o, &c, &g, &p1) == 0);
	o.threads = 2;
	BLOC_CHECK_OK(bloc_power_compute(&p2, c, &g, &o));
	o.threads = 3;
	BLOC_CHECK_OK(bloc_power_compute(&p3, c, &g, &o));
	o.threads = 2;
	o.seed = 20240705;
	BLOC_CHECK_OK(bloc_power_compute(&p9, c, &g, &o));
	BLOC_CHECK(memcmp(p1.pivot_prob, p2.pivot_prob, c->nseats * sizeof(double)) == 0);
	BLOC_CHECK(memcmp(p1.pivot_se, p2.pivot_se, c->nseats * sizeof(double)) == 0);
	BLOC_CHECK(memcmp(p1.pivot_prob, p3.pivot_prob, c->nseats * sizeof(double)) == 0);
	for (s = 0; s < c->nseats; s++)
		differ += p1.pivot_prob[s] != p9.pivot_prob[s] && !isnan(p1.pivot_prob[s]);
	BLOC_CHECK(differ > 50);
	/* the seats without census data (Northern Ireland) have no probability */
	for (s = 0; s < c->nseats; s++)
		if (isnan(p1.group_share[s]) != isnan(p1.pivot_prob[s]))
			differ = SIZE_MAX;
	BLOC_CHECK(differ != SIZE_MAX);
	print_seat(c, &p1, by_name(c, "Leicester South"));
	print_seat(c, &p1, by_name(c, "Ilford North"));
	print_seat(c, &p1, by_name(c, "Portsmouth North"));
	bloc_power_dispose(&p2);
	bloc_power_dispose(&p3);
	bloc_power_dispose(&p9);
	real_dispose(c, &g, &p1);
}

/* The standard error shrinks as 1/sqrt(sims): 16 times the simulations, a quarter of the se
 * (checked within a factor of 2 either way), and the two estimates agree within 5 se. On a close
 * seat shaped like Portsmouth North in 2024 (LAB over CON by 780 of about 41,000), where the
 * group is pivotal about half the time. */
BLOC_TEST(power_pivot_se_shrinks)
{
	static const seat_spec spec[] = {{"A",
	                                  72000,
	                                  {"Lab", "Con", "Reform", "LD", "Green"},
	                                  {13956, 13176, 8501, 3062, 2023}}};
	const double share[] = {0.0264};
	bloc_contest *c = make(spec, 1);
	bloc_group_shares g;
	bloc_power_options o;
	bloc_power a, b;

	BLOC_REQUIRE(c && hand_shares(&g, c, share) == 0);
	bloc_power_options_init(&o);
	o.sims = 400;
	o.seed = 7;
	BLOC_CHECK_OK(bloc_power_compute(&a, c, &g, &o));
	o.sims = 6400;
	BLOC_CHECK_OK(bloc_power_compute(&b, c, &g, &o));
	BLOC_CHECK(b.pivot_prob[0] > 0.2 && b.pivot_prob[0] < 0.8);
	BLOC_CHECK(a.pivot_se[0] / b.pivot_se[0] > 2 && a.pivot_se[0] / b.pivot_se[0] < 8);
	BLOC_CHECK_NEAR(a.pivot_prob[0], b.pivot_prob[0], 0, 5 * a.pivot_se[0]);
	CHECK_EXACT(b.pivot_se[0], sqrt(b.pivot_prob[0] * (1 - b.pivot_prob[0]) / 6400));
	printf("close seat: pivot %.4f (se %.4f) at 400 sims, %.4f (se %.4f) at 6400\n",
	       a.pivot_prob[0], a.pivot_se[0], b.pivot_prob[0], b.pivot_se[0]);
	bloc_power_dispose(&a);
	bloc_power_dispose(&b);
	free(g.share);
	bloc_contest_free(c);
}
