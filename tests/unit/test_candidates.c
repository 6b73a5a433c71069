/* Candidates are people (issue 14): over every seat of every contest in the catalogue, winner,
 * runner-up, majority, targets and swing are taken from candidates, never from the votes of
 * several candidates of one label added together. Every expected figure is found here from the
 * candidates themselves, without the library's ordering or helpers. */
#include "harness.h"

#include "bloc/analysis.h"
#include "bloc/dataset.h"
#include "bloc/error.h"
#include "bloc/io.h"
#include "bloc/store.h"
#include "data/build.h"
#include "seats.h"

#include <ctype.h>
#include <math.h>

static bloc_store *st;

static void free_store(void)
{
	bloc_store_free(st);
}

static bloc_store *store(void)
{
	if (st || !bloc_test_data())
		return st;
	if (bloc_store_open(&st, bloc_test_data(), NULL) < 0)
		BLOC_FAIL_("bloc_store_open(%s): %s", bloc_test_data(), bloc_error_last());
	else
		atexit(free_store);
	return st;
}

static double share(const bloc_contest *c, size_t s, int64_t v)
{
	return c->valid[s] > 0 ? 100.0 * (double)v / (double)c->valid[s] : NAN;
}

/* The votes of party p's strongest candidate in seat s (a lump of several is none), found by a
 * scan that assumes no order; -1 when none stood. *sum: all of p's votes in s, lumps included. */
static int64_t best_of(const bloc_contest *c, size_t s, bloc_party p, int64_t *sum)
{
	int64_t best = -1;
	size_t k;

	p = bloc_party_successor(p);
	*sum = 0;
	for (k = c->cand_off[s]; k < c->cand_off[s + 1]; k++) {
		if (bloc_party_successor(c->cand_party[k]) != p)
			continue;
		*sum += c->cand_votes[k];
		if (!(c->cand_flags[k] & BLOC_CAND_AGGREGATE) && c->cand_votes[k] > best)
			best = c->cand_votes[k];
	}
	return best;
}

/* Names equal but for ASCII case and white space; "" equals nothing. */
static int same_name(const char *a, const char *b)
{
	char x[256], y[256];
	size_t i = 0, j = 0;

	for (; *a && i + 1 < sizeof(x); a++)
		if (!isspace((unsigned char)*a))
			x[i++] = (char)tolower((unsigned char)*a);
	for (; *b && j + 1 < sizeof(y); b++)
		if (!isspace((unsigned char)*b))
			y[j++] = (char)tolower((unsigned char)*b);
	x[i] = y[j] = '\0';
	return i > 0 && strcmp(x, y) == 0;
}

/* Seats whose figures changed because several candidates of one label stood (summing them would
 * have given another figure), over the whole catalogue: printed for the record. */
static size_t n_target_rows, n_target_changed, n_swing_rows, n_swing_changed;

/* Winner's votes minus the runner-up's is the majority, the top two found by a plain scan. */
static void check_majorities(const bloc_contest *c, const bloc_seat_results *r)
{
	size_t s, k;

	for (s = 0; s < c->nseats; s++) {
		int64_t top = -1, next = -1;
		for (k = c->cand_off[s]; k < c->cand_off[s + 1]; k++) {
			int64_t v = c->cand_votes[k];
			if (c->cand_flags[k] & BLOC_CAND_AGGREGATE)
				continue;
			if (v > top) {
				next = top;
				top = v;
			} else if (v > next) {
				next = v;
			}
		}
		if (top <= 0) {
			BLOC_CHECK_INT_EQ(r->winner[s], BLOC_NO_WINNER);
			continue;
		}
		BLOC_REQUIRE(r->winner[s] >= 0);
		BLOC_CHECK_INT_EQ(c->cand_votes[r->winner[s]], top);
		BLOC_CHECK_INT_EQ(r->majority[s], top - (next >= 0 ? next : 0));
		if (next >= 0) {
			BLOC_REQUIRE(r->second[s] >= 0);
			BLOC_CHECK_INT_EQ(c->cand_votes[r->second[s]], next);
			BLOC_CHECK(r->second[s] != r->winner[s]);
		}
		if (r->majority[s] != top - (next >= 0 ? next : 0))
			fprintf(stderr, "  %s %s (%s)\n", c->id, c->code[s], c->name[s]);
	}
}

/* Every party's target list: its share is its leading candidate's, never more. */
static void check_targets(const bloc_contest *c, const bloc_seat_results *r)
{
	size_t j, i, np = c->nparties;

	for (j = 0; j <= np; j++) {
		/* every party of the contest, and IND once more when it has no column */
		bloc_party p = j < np ? c->parties[j] : bloc_party_ind();
		bloc_targets t = {0};
		BLOC_CHECK_OK(bloc_targets_compute(&t, c, r, p));
		for (i = 0; i < t.n; i++) {
			size_t s = t.seat[i];
			int64_t sum, best = best_of(c, s, p, &sum);
			BLOC_CHECK(best > 0);
			BLOC_CHECK(t.party_share[i] <= share(c, s, best) + 1e-9);
			BLOC_CHECK_NEAR(t.party_share[i], share(c, s, best), 0, 1e-9);
			BLOC_CHECK_NEAR(t.holder_share[i], share(c, s, c->cand_votes[r->winner[s]]),
			                0, 1e-9);
			BLOC_CHECK_NEAR(t.swing_needed[i],
			                (t.holder_share[i] - t.party_share[i]) / 2, 0, 1e-9);
			BLOC_CHECK(t.swing_needed[i] >= -1e-9);
			n_target_rows++;
			n_target_changed += sum != best;
		}
		bloc_targets_dispose(&t);
	}
}

static void check_swing_pair(const bloc_contest *from, const bloc_contest *to, const char *a,
                             const char *b)
{
	bloc_swing w = {0};
	size_t i, k;
	int err =
	    bloc_swing_compute(&w, from, to, bloc_party_resolve(a), bloc_party_resolve(b), NULL);

	if (err == BLOC_ENOTFOUND || err == BLOC_EINVAL) {
		bloc_error_clear();
		return;
	}
	BLOC_CHECK_OK(err);
	for (i = 0; i < w.n; i++) {
		size_t fs = w.from_seat[i], ts = w.to_seat[i];
		int64_t fsum, tsum, fbest = best_of(from, fs, w.a, &fsum),
		                    tbest = best_of(to, ts, w.a, &tsum);
		long lead = -1;
		double want_from = 0;
		/* A, a registered party: its leading candidate on each side */
		BLOC_CHECK_NEAR(w.a_from[i], share(from, fs, fbest > 0 ? fbest : 0), 0, 1e-9);
		BLOC_CHECK_NEAR(w.a_to[i], share(to, ts, tbest > 0 ? tbest : 0), 0, 1e-9);
		/* B, an independent: TO's leading one; FROM's namesake, else 0; FROM's leading one
		 * when none stood in TO */
		tbest = best_of(to, ts, w.b, &tsum);
		fbest = best_of(from, fs, w.b, &fsum);
		for (k = to->cand_off[ts]; k < to->cand_off[ts + 1]; k++)
			if (!(to->cand_flags[k] & BLOC_CAND_AGGREGATE) &&
			    to->cand_party[k] == w.b &&
			    (lead < 0 || to->cand_votes[k] > to->cand_votes[lead]))
				lead = (long)k;
		if (lead < 0) {
			want_from = share(from, fs, fbest > 0 ? fbest : 0);
		} else {
			for (k = from->cand_off[fs]; k < from->cand_off[fs + 1]; k++)
				if (!(from->cand_flags[k] & BLOC_CAND_AGGREGATE) &&
				    from->cand_party[k] == w.b &&
				    same_name(from->cand_name[k], to->cand_name[lead]))
					want_from = share(from, fs, from->cand_votes[k]);
		}
		BLOC_CHECK_NEAR(w.b_to[i], share(to, ts, tbest > 0 ? tbest : 0), 0, 1e-9);
		BLOC_CHECK_NEAR(w.b_from[i], want_from, 0, 1e-9);
		BLOC_CHECK(w.b_to[i] <= share(to, ts, tsum) + 1e-9);
		BLOC_CHECK_NEAR(w.butler[i],
		                ((w.b_to[i] - w.b_from[i]) - (w.a_to[i] - w.a_from[i])) / 2, 0,
		                1e-9);
		n_swing_rows++;
		n_swing_changed += fabs(w.b_to[i] - share(to, ts, tsum)) > 1e-9 ||
		                   fabs(w.b_from[i] - share(from, fs, fsum)) > 1e-9;
	}
	bloc_swing_dispose(&w);
}

/* Every contest of the catalogue, and each with the contest before it. */
BLOC_TEST(every_seat_of_every_contest)
{
	const bloc_dataset *ds;
	size_t e, ncontests = 0;

	BLOC_REQUIRE(store());
	ds = bloc_store_catalog(store());
	BLOC_REQUIRE(ds);
	for (e = 0; e < bloc_dataset_count(ds); e++) {
		const bloc_catalog_entry *en = bloc_dataset_entry(ds, e);
		const bloc_contest *c, *prev;
		bloc_seat_results r = {0};
		if (!bloc_format_is_contest(en->format))
			continue;
		BLOC_CHECK_OK(bloc_store_contest(store(), en->id, &c));
		BLOC_CHECK_OK(bloc_seat_results_compute(&r, c));
		ncontests++;
		check_majorities(c, &r);
		check_targets(c, &r);
		bloc_seat_results_dispose(&r);
		if (bloc_store_contest_previous(store(), en->id, &prev) < 0) {
			bloc_error_clear();
			continue;
		}
		check_swing_pair(prev, c, "LAB", "IND");
		check_swing_pair(prev, c, "CON", "IND");
	}
	BLOC_CHECK(ncontests >= 8);
	fprintf(stderr,
	        "%zu contests: %zu target rows, %zu of them where the party had several "
	        "candidates (or a lump); %zu swing rows with IND, %zu where a sum would differ\n",
	        ncontests, n_target_rows, n_target_changed, n_swing_rows, n_swing_changed);
}

/* GE2024 Bradford West: Labour held it by 707 over the first of three independents. */
BLOC_TEST(bradford_west_2024)
{
	const bloc_contest *c, *from;
	bloc_seat_results r = {0};
	bloc_targets t = {0};
	bloc_swing w = {0};
	size_t s, i;
	long ind;
	int found = 0;

	BLOC_REQUIRE(store());
	BLOC_CHECK_OK(bloc_store_contest(store(), "ge2024", &c));
	BLOC_CHECK_OK(bloc_contest_find_seat(c, "Bradford West", &s));
	BLOC_CHECK_OK(bloc_seat_results_compute(&r, c));
	BLOC_CHECK_STR_EQ(bloc_party_code(r.winner_party[s]), "LAB");
	BLOC_CHECK_STR_EQ(bloc_party_code(r.second_party[s]), "IND");
	BLOC_CHECK_INT_EQ(r.majority[s], 707);
	ind = bloc_contest_leading(c, s, bloc_party_ind());
	BLOC_REQUIRE(ind == r.second[s]);
	BLOC_CHECK_OK(bloc_targets_compute(&t, c, &r, bloc_party_ind()));
	for (i = 0; i < t.n; i++) {
		if (t.seat[i] != s)
			continue;
		found = 1;
		BLOC_CHECK_NEAR(t.party_share[i], share(c, s, c->cand_votes[ind]), 0, 1e-12);
		BLOC_CHECK_NEAR(t.swing_needed[i], 100.0 * 707 / (double)c->valid[s] / 2, 0, 1e-9);
		BLOC_CHECK(t.swing_needed[i] > 0.5 && t.swing_needed[i] < 1.5);
	}
	BLOC_CHECK(found);
	BLOC_CHECK_OK(bloc_store_contest_pair(store(), "ge2019", "ge2024", &from, &c, NULL));
	BLOC_CHECK_OK(
	    bloc_swing_compute(&w, from, c, bloc_party_resolve("LAB"), bloc_party_ind(), NULL));
	found = 0;
	for (i = 0; i < w.n; i++) {
		if (w.to_seat[i] != s)
			continue;
		found = 1;
		BLOC_CHECK_NEAR(w.b_to[i], share(c, s, c->cand_votes[ind]), 0, 1e-12);
		/* the notional 2019 result names no candidate: the 2024 independent is new */
		BLOC_CHECK_NEAR(w.b_from[i], 0, 0, 0);
	}
	BLOC_CHECK(found);
	bloc_swing_dispose(&w);
	bloc_targets_dispose(&t);
	bloc_seat_results_dispose(&r);
}

/* Names match whatever their case and spaces; unnamed candidates match none. */
BLOC_TEST(candidate_named)
{
	const bloc_contest *c;
	size_t s;
	long k;

	BLOC_REQUIRE(store());
	BLOC_CHECK_OK(bloc_store_contest(store(), "ge2024", &c));
	BLOC_CHECK_OK(bloc_contest_find_seat(c, "Bradford West", &s));
	k = bloc_contest_candidate_named(c, s, bloc_party_ind(), "  akeel HUSSAIN ");
	BLOC_REQUIRE(k >= 0);
	BLOC_CHECK_STR_EQ(c->cand_name[k], "Akeel Hussain");
	BLOC_CHECK_INT_EQ(bloc_contest_candidate_named(c, s, bloc_party_ind(), ""), -1);
	BLOC_CHECK_INT_EQ(
	    bloc_contest_candidate_named(c, s, bloc_party_resolve("LAB"), "Akeel Hussain"), -1);
	BLOC_CHECK_OK(bloc_store_contest(store(), "ge2019-notional-2023", &c));
	BLOC_CHECK_OK(bloc_contest_find_seat(c, "Bradford West", &s));
	BLOC_CHECK(bloc_contest_leading(c, s, bloc_party_ind()) >= 0);
	BLOC_CHECK_INT_EQ(bloc_contest_candidate_named(c, s, bloc_party_ind(), ""), -1);
}

/* ---- hand-built contests: the matching rule worked out on paper ---- */

/* A: the same independent (other case and spaces) and a new one; B: the independent stood down;
 * C: unnamed independents never match; D: neither LAB nor IND stood. */
BLOC_TEST(independents_matched_by_name)
{
	static const seat_spec before[] = {
	    {"A", "England", 10000, {"LAB", "IND", "IND"}, {500, 300, 200}},
	    {"B", "England", 10000, {"LAB", "IND"}, {600, 400}},
	    {"C", "England", 10000, {"LAB", "IND"}, {600, 400}},
	    {"D", "England", 10000, {"CON"}, {100}}};
	static const char *const before_names[][4] = {
	    {"Ann Lab", "Joe  BLOGGS", "Sue Smith"}, {"Ann Lab", "Old Ind"}, {"", ""}, {"X"}};
	static const seat_spec after[] = {
	    {"A", "England", 10000, {"LAB", "IND", "IND"}, {400, 350, 250}},
	    {"B", "England", 10000, {"LAB"}, {1000}},
	    {"C", "England", 10000, {"LAB", "IND"}, {500, 500}},
	    {"D", "England", 10000, {"CON"}, {100}}};
	static const char *const after_names[][4] = {
	    {"Ann Lab", "joe bloggs", "New Person"}, {"Ann Lab"}, {"", ""}, {"X"}};
	bloc_contest *f = make_contest("before", before, 4, before_names),
	             *t = make_contest("after", after, 4, after_names);
	bloc_seat_results r = {0};
	bloc_targets tg = {0};
	bloc_swing w = {0};
	size_t i, ind;

	BLOC_REQUIRE(f && t);
	BLOC_CHECK_OK(
	    bloc_swing_compute(&w, f, t, bloc_party_resolve("LAB"), bloc_party_ind(), NULL));
	BLOC_REQUIRE(w.n == 4);
	for (ind = 0; ind < w.nparties && w.parties[ind] != bloc_party_ind(); ind++)
		;
	BLOC_REQUIRE(ind < w.nparties);
	for (i = 0; i < w.n; i++) {
		const char *code = t->code[w.to_seat[i]];
		double bf = code[0] == 'A' ? 30 : code[0] == 'B' ? 40 : 0;
		double bt = code[0] == 'A' ? 35 : code[0] == 'C' ? 50 : 0;
		BLOC_CHECK_NEAR(w.b_from[i], bf, 0, 1e-12);
		BLOC_CHECK_NEAR(w.b_to[i], bt, 0, 1e-12);
		BLOC_CHECK_NEAR(w.change[i * w.nparties + ind], bt - bf, 0, 1e-12);
		BLOC_CHECK_INT_EQ(bloc_swing_contested(&w, i), code[0] != 'D');
	}
	/* the TOTAL adds up votes by party: all independents, 1300 of 3100 then 1100 of 3100 */
	BLOC_CHECK_NEAR(w.total_b_from, 100.0 * 1300 / 3100, 0, 1e-12);
	BLOC_CHECK_NEAR(w.total_b_to, 100.0 * 1100 / 3100, 0, 1e-12);
	/* IND's targets: C, tied (LAB listed first wins), then A: Labour's 40 against the leading
	 * independent's 35, not the two independents' 60 */
	BLOC_CHECK_OK(bloc_seat_results_compute(&r, t));
	BLOC_CHECK_OK(bloc_targets_compute(&tg, t, &r, bloc_party_ind()));
	BLOC_REQUIRE(tg.n == 2);
	BLOC_CHECK_STR_EQ(t->code[tg.seat[0]], "C");
	BLOC_CHECK_NEAR(tg.swing_needed[0], 0, 0, 1e-12);
	BLOC_CHECK_STR_EQ(t->code[tg.seat[1]], "A");
	BLOC_CHECK_NEAR(tg.party_share[1], 35, 0, 1e-12);
	BLOC_CHECK_NEAR(tg.swing_needed[1], 2.5, 0, 1e-12);
	bloc_targets_dispose(&tg);
	bloc_seat_results_dispose(&r);
	bloc_swing_dispose(&w);
	bloc_contest_free(f);
	bloc_contest_free(t);
}
