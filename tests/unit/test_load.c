/* The results loaders and the data directory, on the real files in $BLOC_DATA (figures checked
 * against SOURCES.md "Verification"), on small in-memory files (one per format and one per kind
 * of error), and on the malformed files in tests/bad/. */
#include "harness.h"

#include "bloc/contest.h"
#include "bloc/dataset.h"
#include "bloc/io.h"
#include "bloc/error.h"
#include "bloc/store.h"
#include "bloc/party.h"
#include "core/alloc.h"

#include <dirent.h>
#include <inttypes.h>
#include <unistd.h>

/* ---- helpers ------------------------------------------------------------------------------ */

static bloc_dataset *dataset(void)
{
	return bloc_test_dataset();
}

static bloc_contest *open_id(const char *id)
{
	bloc_contest *c = NULL;
	bloc_dataset *ds = dataset();

	if (!ds)
		return NULL;
	if (bloc_contest_open(&c, ds, id) < 0) {
		BLOC_FAIL_("bloc_contest_open(%s): %s", id, bloc_error_last());
		return NULL;
	}
	return c;
}

static bloc_party party(const char *code)
{
	bloc_party p = BLOC_PARTY_NONE;

	bloc_party_lookup(code, &p);
	return p;
}

/* Votes of party `code` in seat s (0 if it did not stand). */
static int64_t seat_votes(const bloc_contest *c, size_t s, const char *code)
{
	long j = bloc_contest_party_col(c, party(code));

	return j < 0 ? 0 : c->votes[s * c->nparties + (size_t)j];
}

static int64_t total_votes(const bloc_contest *c, const char *code)
{
	int64_t t = 0;
	size_t s;

	for (s = 0; s < c->nseats; s++)
		t += seat_votes(c, s, code);
	return t;
}

/* The winning candidate of seat s: the first real candidate (they are sorted by votes). */
static size_t winner(const bloc_contest *c, size_t s)
{
	size_t k;

	for (k = c->cand_off[s]; k < c->cand_off[s + 1]; k++)
		if (!(c->cand_flags[k] & BLOC_CAND_AGGREGATE))
			return k;
	return c->cand_off[s];
}

static long seats_won(const bloc_contest *c, const char *code)
{
	long n = 0;
	size_t s;

	for (s = 0; s < c->nseats; s++)
		n += c->cand_party[winner(c, s)] == party(code);
	return n;
}

/* The promises of contest.h: candidates add up to the valid votes, the matrix agrees, ... */
static void check_invariants(const bloc_contest *c)
{
	size_t s, k, j;
	int bad = 0;

	BLOC_CHECK(c->nseats > 0);
	BLOC_CHECK(c->cand_off[0] == 0 && c->cand_off[c->nseats] == c->ncand);
	for (s = 0; s < c->nseats && !bad; s++) {
		int64_t sum = 0, row = 0;
		for (k = c->cand_off[s]; k < c->cand_off[s + 1]; k++) {
			sum += c->cand_votes[k];
			if (k > c->cand_off[s] && c->cand_votes[k] > c->cand_votes[k - 1])
				bad = 1;
		}
		for (j = 0; j < c->nparties; j++)
			row += c->votes[s * c->nparties + j];
		if (sum != c->valid[s] || row != c->valid[s] ||
		    (c->electorate[s] >= 0 && c->valid[s] > c->electorate[s]) ||
		    c->cand_off[s + 1] == c->cand_off[s] || !*c->code[s])
			bad = 1;
		if (bad)
			BLOC_FAIL_("%s: seat %s: candidates %" PRId64 ", matrix %" PRId64
			           ", valid %" PRId64,
			           c->id, c->code[s], sum, row, c->valid[s]);
	}
	BLOC_CHECK(!bad);
}

static const char *nation_name_ok(const char *n)
{
	static const char *const ok[] = {"England", "Scotland", "Wales", "Northern Ireland"};
	size_t i;

	for (i = 0; i < 4; i++)
		if (strcmp(n, ok[i]) == 0)
			return n;
	return NULL;
}

/* Load `text` from memory with `format` (NULL = recognise). */
static int load_str(bloc_contest **c, const char *text, const char *format)
{
	bloc_load_options o = BLOC_LOAD_OPTIONS_INIT;

	o.format = format;
	return bloc_contest_load_mem(c, text, strlen(text), &o);
}

/* The load fails with `code` and a message holding `where` and `what`. */
static void expect_error(const char *text, const char *format, int code, const char *where,
                         const char *what)
{
	bloc_contest *c = NULL;
	int rc = load_str(&c, text, format);

	BLOC_CHECK_INT_EQ(rc, code);
	BLOC_CHECK(c == NULL);
	BLOC_CHECK_CONTAINS(bloc_error_last(), where);
	BLOC_CHECK_CONTAINS(bloc_error_last(), what);
	BLOC_CHECK(strchr(bloc_error_last(), '\n') == NULL);
	bloc_contest_free(c);
}

/* ---- the real files ----------------------------------------------------------------------- */

BLOC_TEST(load_every_catalogue_contest)
{
	bloc_dataset *ds = dataset();
	size_t i, ncontests = 0;

	BLOC_REQUIRE(ds);
	BLOC_CHECK(bloc_dataset_count(ds) >= 12);
	for (i = 0; i < bloc_dataset_count(ds); i++) {
		const bloc_catalog_entry *e = bloc_dataset_entry(ds, i);
		bloc_contest *c = NULL;
		int rc = bloc_contest_open(&c, ds, e->id);
		if (!bloc_format_is_contest(e->format)) {
			BLOC_CHECK_INT_EQ(rc, BLOC_EINVAL);
			BLOC_CHECK_CONTAINS(bloc_error_last(), e->id);
			BLOC_CHECK(c == NULL);
			continue;
		}
		ncontests++;
		if (rc < 0) {
			BLOC_FAIL_("%s: %s", e->id, bloc_error_last());
			continue;
		}
		check_invariants(c);
		BLOC_CHECK_STR_EQ(c->id, e->id);
		BLOC_CHECK_STR_EQ(c->format, e->format);
		if (*e->date)
			BLOC_CHECK_STR_EQ(c->date, e->date);
		bloc_contest_free(c);
	}
	/* ge2017/19/24, their candidate files, the notional, 2 key by-elections, previous, CBP-8280
	 */
	BLOC_CHECK_INT_EQ(ncontests, 11);
}

BLOC_TEST(load_general_elections_650_seats)
{
	static const char *const ids[] = {"ge2017",
	                                  "ge2019",
	                                  "ge2024",
	                                  "ge2017-candidates",
	                                  "ge2019-candidates",
	                                  "ge2024-candidates",
	                                  "ge2019-notional-2023"};
	size_t i, s;

	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		bloc_contest *c = open_id(ids[i]);
		int bad_nation = 0;
		BLOC_REQUIRE(c);
		BLOC_CHECK_INT_EQ(c->nseats, 650);
		check_invariants(c);
		for (s = 0; s < c->nseats; s++)
			if (!nation_name_ok(c->nation[s]) || !*c->region[s] || !*c->name[s])
				bad_nation = 1;
		BLOC_CHECK(!bad_nation);
		BLOC_CHECK_INT_EQ(c->kind, i == 6 ? BLOC_CONTEST_NOTIONAL : BLOC_CONTEST_GENERAL);
		bloc_contest_free(c);
	}
}

BLOC_TEST(load_verification_figures)
{
	bloc_contest *c;
	long s;

	/* GE2019: Con 365, Lab 202, SNP 48, LD 11; Con 13,966,454 votes; Lab 10,269,051 */
	BLOC_REQUIRE((c = open_id("ge2019")));
	BLOC_CHECK_INT_EQ(seats_won(c, "CON"), 365);
	BLOC_CHECK_INT_EQ(seats_won(c, "LAB"), 202);
	BLOC_CHECK_INT_EQ(seats_won(c, "SNP"), 48);
	BLOC_CHECK_INT_EQ(seats_won(c, "LD"), 11);
	BLOC_CHECK_INT_EQ(total_votes(c, "CON"), 13966454);
	BLOC_CHECK_INT_EQ(total_votes(c, "LAB"), 10269051);
	/* Batley and Spen: Lab 22,594, Con 19,069, majority 3,525, electorate 79,558 */
	s = bloc_contest_seat(c, "E14000548");
	BLOC_REQUIRE(s >= 0);
	BLOC_CHECK_STR_EQ(c->name[s], "Batley and Spen");
	BLOC_CHECK_INT_EQ(seat_votes(c, (size_t)s, "LAB"), 22594);
	BLOC_CHECK_INT_EQ(seat_votes(c, (size_t)s, "CON"), 19069);
	BLOC_CHECK_INT_EQ(c->cand_votes[c->cand_off[s]] - c->cand_votes[c->cand_off[s] + 1], 3525);
	BLOC_CHECK_INT_EQ(c->electorate[s], 79558);
	/* the Speaker's seat: Chorley, the Speaker and an independent split out of the lump */
	s = bloc_contest_seat(c, "E14000637");
	BLOC_REQUIRE(s >= 0);
	BLOC_CHECK_INT_EQ(c->cand_party[c->cand_off[s]], party("SPK"));
	BLOC_CHECK_STR_EQ(c->cand_name[c->cand_off[s]], "Lindsay Hoyle");
	BLOC_CHECK_INT_EQ(c->cand_party[c->cand_off[s] + 1], party("IND"));
	BLOC_CHECK_INT_EQ(c->cand_votes[c->cand_off[s] + 1], 9439);
	BLOC_CHECK_INT_EQ(seats_won(c, "SPK"), 1);
	bloc_contest_free(c);

	/* GE2024: Lab 411, Con 121, LD 72, SNP 9, Reform 5, Green 4, PC 4; Lab 9,708,716 votes */
	BLOC_REQUIRE((c = open_id("ge2024")));
	BLOC_CHECK_INT_EQ(seats_won(c, "LAB"), 411);
	BLOC_CHECK_INT_EQ(seats_won(c, "CON"), 121);
	BLOC_CHECK_INT_EQ(seats_won(c, "LD"), 72);
	BLOC_CHECK_INT_EQ(seats_won(c, "SNP"), 9);
	BLOC_CHECK_INT_EQ(seats_won(c, "REF"), 5);
	BLOC_CHECK_INT_EQ(seats_won(c, "GRN"), 4);
	BLOC_CHECK_INT_EQ(seats_won(c, "PC"), 4);
	BLOC_CHECK_INT_EQ(seats_won(c, "IND"), 6);
	BLOC_CHECK_INT_EQ(total_votes(c, "LAB"), 9708716);
	bloc_contest_free(c);

	/* GE2017: Con 317, Lab 262; Buckingham, the Speaker's seat, first_party 'Spk' */
	BLOC_REQUIRE((c = open_id("ge2017")));
	BLOC_CHECK_INT_EQ(seats_won(c, "CON"), 317);
	BLOC_CHECK_INT_EQ(seats_won(c, "LAB"), 262);
	s = bloc_contest_seat(c, "E14000608");
	BLOC_REQUIRE(s >= 0);
	BLOC_CHECK_INT_EQ(c->cand_party[c->cand_off[s]], party("SPK"));
	BLOC_CHECK_INT_EQ(c->cand_votes[c->cand_off[s]], 34299);
	bloc_contest_free(c);

	/* notional 2019 on the 2024 boundaries */
	BLOC_REQUIRE((c = open_id("ge2019-notional-2023")));
	BLOC_CHECK_INT_EQ(seats_won(c, "CON"), 372);
	BLOC_CHECK_INT_EQ(seats_won(c, "LAB"), 200);
	BLOC_CHECK_INT_EQ(seats_won(c, "SNP"), 48);
	BLOC_CHECK_INT_EQ(seats_won(c, "DUP"), 8);
	BLOC_CHECK_INT_EQ(seats_won(c, "LD"), 8);
	BLOC_CHECK_INT_EQ(seats_won(c, "SF"), 7);
	BLOC_CHECK_INT_EQ(seats_won(c, "SDLP"), 2);
	BLOC_CHECK_INT_EQ(seats_won(c, "PC"), 2);
	BLOC_CHECK_INT_EQ(seats_won(c, "GRN"), 1);
	BLOC_CHECK_INT_EQ(seats_won(c, "SPK"), 1);
	BLOC_CHECK_INT_EQ(seats_won(c, "ALL"), 1);
	bloc_contest_free(c);
}

/* The candidate file and the constituency file of one election agree seat by seat. */
static void compare_files(const char *wide_id, const char *long_id)
{
	static const char *const main_parties[] = {"CON", "LAB", "LD", "SNP",  "PC",
	                                           "GRN", "DUP", "SF", "SDLP", "UUP"};
	bloc_contest *w = open_id(wide_id), *l = open_id(long_id);
	size_t s, i;
	int bad = 0;

	if (!w || !l)
		goto done;
	BLOC_CHECK_INT_EQ(w->nseats, l->nseats);
	for (s = 0; s < w->nseats && !bad; s++) {
		long t = bloc_contest_seat(l, w->code[s]);
		size_t kw, kl;
		if (t < 0) {
			BLOC_FAIL_("%s: seat %s not in %s", wide_id, w->code[s], long_id);
			bad = 1;
			break;
		}
		if (w->valid[s] != l->valid[t]) {
			BLOC_FAIL_("%s: seat %s: valid %" PRId64 ", candidate file %" PRId64,
			           wide_id, w->code[s], w->valid[s], l->valid[t]);
			bad = 1;
		}
		for (i = 0; i < sizeof(main_parties) / sizeof(main_parties[0]); i++) {
			if (seat_votes(w, s, main_parties[i]) !=
			    seat_votes(l, (size_t)t, main_parties[i])) {
				BLOC_FAIL_("%s: seat %s: %s %" PRId64 ", candidate file %" PRId64,
				           wide_id, w->code[s], main_parties[i],
				           seat_votes(w, s, main_parties[i]),
				           seat_votes(l, (size_t)t, main_parties[i]));
				bad = 1;
			}
		}
		kw = winner(w, s);
		kl = winner(l, (size_t)t);
		if (w->cand_party[kw] != l->cand_party[kl] ||
		    w->cand_votes[kw] != l->cand_votes[kl]) {
			BLOC_FAIL_("%s: seat %s: winner %s %" PRId64 ", candidate file %s %" PRId64,
			           wide_id, w->code[s], bloc_party_code(w->cand_party[kw]),
			           w->cand_votes[kw], bloc_party_code(l->cand_party[kl]),
			           l->cand_votes[kl]);
			bad = 1;
		}
	}
	BLOC_CHECK(!bad);
done:
	bloc_contest_free(w);
	bloc_contest_free(l);
}

BLOC_TEST(load_candidate_and_constituency_files_agree)
{
	compare_files("ge2017", "ge2017-candidates");
	compare_files("ge2019", "ge2019-candidates");
	compare_files("ge2024", "ge2024-candidates");
}

BLOC_TEST(load_candidate_files)
{
	bloc_contest *c = open_id("ge2019-candidates");
	long s;
	size_t k, nind = 0;

	BLOC_REQUIRE(c);
	/* no electorate in candidate files */
	BLOC_CHECK_INT_EQ(c->electorate[0], -1);
	/* "Clive " Minihan: names are trimmed; the label is the party name as written */
	s = bloc_contest_seat(c, "E14000637");
	BLOC_REQUIRE(s >= 0);
	BLOC_CHECK_STR_EQ(c->cand_name[c->cand_off[s]], "Lindsay Hoyle");
	BLOC_CHECK_STR_EQ(c->cand_label[c->cand_off[s]], "Speaker");
	for (k = 0; k < c->ncand; k++) {
		size_t n = strlen(c->cand_name[k]);
		BLOC_CHECK(n > 0 && c->cand_name[k][0] != ' ' && c->cand_name[k][n - 1] != ' ');
		nind += c->cand_party[k] == party("IND");
	}
	BLOC_CHECK_INT_EQ(nind, 224); /* each independent a candidate of its own */
	bloc_contest_free(c);

	BLOC_REQUIRE((c = open_id("ge2024-candidates")));
	BLOC_CHECK_INT_EQ(c->ncand, 4515);
	s = bloc_contest_seat(c, "W07000081"); /* first row, after the BOM */
	BLOC_REQUIRE(s >= 0);
	BLOC_CHECK_STR_EQ(c->name[s], "Aberafan Maesteg");
	BLOC_CHECK_STR_EQ(c->region[s], "Wales");
	bloc_contest_free(c);
}

BLOC_TEST(load_key_by_elections)
{
	bloc_contest *c;
	size_t k;

	BLOC_REQUIRE((c = open_id("by2012-bradford-west")));
	BLOC_CHECK_INT_EQ(c->nseats, 1);
	BLOC_CHECK_INT_EQ(c->ncand, 8);
	BLOC_CHECK_INT_EQ(c->kind, BLOC_CONTEST_BY);
	BLOC_CHECK_STR_EQ(c->date, "2012-03-29");
	BLOC_CHECK_INT_EQ(c->valid[0], 32814);
	BLOC_CHECK_INT_EQ(c->electorate[0], -1); /* not found in any source */
	BLOC_CHECK_STR_EQ(c->nation[0], "England");
	BLOC_CHECK_INT_EQ(c->cand_party[0], party("RES"));
	BLOC_CHECK_STR_EQ(c->cand_name[0], "George Galloway");
	BLOC_CHECK_INT_EQ(c->cand_votes[0] - c->cand_votes[1], 10140);
	bloc_contest_free(c);

	BLOC_REQUIRE((c = open_id("by2021-batley-and-spen")));
	BLOC_CHECK_INT_EQ(c->nseats, 1);
	BLOC_CHECK_INT_EQ(c->ncand, 16);
	BLOC_CHECK_STR_EQ(c->code[0], "E14000548");
	BLOC_CHECK_INT_EQ(c->electorate[0], 79373); /* from the summary file */
	BLOC_CHECK_INT_EQ(c->valid[0], 37695);
	BLOC_CHECK_INT_EQ(c->invalid[0], 37786 - 37695);
	BLOC_CHECK_INT_EQ(c->cand_votes[0], 13296);
	BLOC_CHECK_INT_EQ(c->cand_votes[1], 12973);
	BLOC_CHECK_INT_EQ(seat_votes(c, 0, "WPB"), 8264);
	for (k = 0; k < c->ncand; k++)
		if (strcmp(c->cand_name[k], "Jayda Fransen") == 0)
			BLOC_CHECK_INT_EQ(c->cand_party[k], party("IND"));
	bloc_contest_free(c);
}

/* A seat's row repeated in the by-election summary would silently replace the first. */
BLOC_TEST(load_by_election_summary_row_once)
{
	static const char cands[] =
	    "election_date,ons_id,constituency_name,candidate,party,party_abbreviation,votes,"
	    "elected\n"
	    "2012-03-29,E14000589,Bradford West,A,Respect Party,Respect,300,Yes\n"
	    "2012-03-29,E14000589,Bradford West,B,Labour Party,Lab,200,No\n";
	static const char summary[] = "election_date,ons_id,electorate,valid_votes,majority\n"
	                              "2012-03-29,E14000589,1000,500,100\n"
	                              "2012-03-29,E14000589,1000,500,100\n";
	bloc_load_options o = BLOC_LOAD_OPTIONS_INIT;
	char path[] = "/tmp/bloc-test-summary-XXXXXX";
	bloc_contest *c = NULL;
	int fd = mkstemp(path);

	BLOC_REQUIRE(fd >= 0);
	BLOC_REQUIRE(write(fd, summary, strlen(summary)) == (ssize_t)strlen(summary));
	close(fd);
	o.by_election_summary = path;
	BLOC_CHECK_INT_EQ(bloc_contest_load_mem(&c, cands, strlen(cands), &o), BLOC_EPARSE);
	BLOC_CHECK(c == NULL);
	BLOC_CHECK_CONTAINS(bloc_error_last(),
	                    ":3:12: column 'ons_id': expected one summary row "
	                    "for seat E14000589, found another (first on line 2)");
	bloc_contest_free(c);
	unlink(path);
}

BLOC_TEST(load_cbp8280_by_elections)
{
	bloc_contest *c = open_id("by2017-2019");
	long s;

	BLOC_REQUIRE(c);
	BLOC_CHECK_INT_EQ(c->nseats, 5);
	BLOC_CHECK_INT_EQ(c->kind, BLOC_CONTEST_BY);
	BLOC_CHECK_STR_EQ(c->date, "");        /* five polling days */
	s = bloc_contest_seat(c, "E14000878"); /* Peterborough: Lab 10,484, Brexit 9,801 */
	BLOC_REQUIRE(s >= 0);
	BLOC_CHECK_INT_EQ(seat_votes(c, (size_t)s, "LAB"), 10484);
	BLOC_CHECK_INT_EQ(seat_votes(c, (size_t)s, "BRX"), 9801);
	BLOC_CHECK_STR_EQ(c->cand_name[c->cand_off[s]], "Lisa Forbes");
	s = bloc_contest_seat(c, "W07000068"); /* Brecon: blank green cell */
	BLOC_REQUIRE(s >= 0);
	BLOC_CHECK_INT_EQ(seat_votes(c, (size_t)s, "GRN"), 0);
	BLOC_CHECK_INT_EQ(c->valid[s], 31814);
	/* Newport West: the columns add up to 23,215 but valid_votes is 23,515 (the official
	 * count); the 300 are kept as an aggregate, not dropped */
	s = bloc_contest_seat(c, "W07000056");
	BLOC_REQUIRE(s >= 0);
	BLOC_CHECK_INT_EQ(c->valid[s], 23515);
	bloc_contest_free(c);
}

BLOC_TEST(load_notional_codes_corrected)
{
	bloc_contest *n = open_id("ge2019-notional-2023"), *g = open_id("ge2024"), *raw = NULL;
	bloc_load_options o = BLOC_LOAD_OPTIONS_INIT;
	char path[4096];
	size_t s, missing = 0, provisional = 0;

	if (!n || !g)
		goto done;
	BLOC_CHECK_INT_EQ(n->nseats, g->nseats);
	for (s = 0; s < n->nseats; s++)
		missing += bloc_contest_seat(g, n->code[s]) < 0;
	BLOC_CHECK_INT_EQ(missing, 0);
	BLOC_CHECK(bloc_contest_seat(n, "S14000107") >= 0);
	BLOC_CHECK(bloc_contest_seat(n, "S14000111") >= 0);
	/* without the corrections, 5 provisional codes */
	snprintf(path, sizeof(path), "%s/%s", bloc_test_data(),
	         bloc_dataset_find(dataset(), "ge2019-notional-2023")->path);
	BLOC_CHECK_OK(bloc_contest_load(&raw, path, &o));
	BLOC_CHECK_STR_EQ(raw->format, "rallings-thrasher-notional");
	for (s = 0; s < raw->nseats; s++)
		provisional += bloc_contest_seat(g, raw->code[s]) < 0;
	BLOC_CHECK_INT_EQ(provisional, 5);
	BLOC_CHECK(bloc_contest_seat(raw, "S14000006") >= 0);
	/* regions are the ONS names whatever the file's spelling ("NW" here) */
	BLOC_CHECK_STR_EQ(raw->region[bloc_contest_seat(raw, "E14001170")], "North West");
done:
	bloc_contest_free(raw);
	bloc_contest_free(n);
	bloc_contest_free(g);
}

BLOC_TEST(load_previous)
{
	bloc_dataset *ds = dataset();
	bloc_contest *c = NULL;

	BLOC_REQUIRE(ds);
	BLOC_CHECK_OK(bloc_contest_open_previous(&c, ds, "by2012-bradford-west"));
	BLOC_CHECK_INT_EQ(c->nseats, 1);
	BLOC_CHECK_INT_EQ(c->kind, BLOC_CONTEST_EXTRACT);
	BLOC_CHECK_STR_EQ(c->date, "2010-05-06");
	BLOC_CHECK_STR_EQ(c->code[0], "E14000589");
	BLOC_CHECK_INT_EQ(seat_votes(c, 0, "LAB"), 18401);
	BLOC_CHECK_INT_EQ(seat_votes(c, 0, "RES"), 1245);
	BLOC_CHECK_INT_EQ(c->electorate[0], 62519);
	BLOC_CHECK_INT_EQ(c->valid[0], 40576);
	bloc_contest_free(c);

	BLOC_CHECK_OK(bloc_contest_open_previous(&c, ds, "by2021-batley-and-spen"));
	BLOC_CHECK_INT_EQ(seat_votes(c, 0, "LAB"), 22594);
	BLOC_CHECK_INT_EQ(seat_votes(c, 0, "CON"), 19069);
	BLOC_CHECK_STR_EQ(c->date, "2019-12-12");
	bloc_contest_free(c);
	c = NULL;

	/* none recorded: the latest general election on the same boundaries before it */
	BLOC_CHECK_OK(bloc_contest_open_previous(&c, ds, "ge2019"));
	BLOC_CHECK_STR_EQ(c->date, "2017-06-08");
	BLOC_CHECK_INT_EQ(c->nseats, 650);
	bloc_contest_free(c);
	c = NULL;
	/* five polling days, no date in the catalogue: dated by its first polling day (the file's
	 * earliest by-election date), the previous general election on its boundaries is GE2017 */
	BLOC_CHECK_OK(bloc_contest_open_previous(&c, ds, "by2017-2019"));
	BLOC_CHECK_STR_EQ(c->date, "2017-06-08");
	bloc_contest_free(c);
	c = NULL;
	{
		bloc_contest *by = open_id("by2017-2019");
		BLOC_REQUIRE(by);
		BLOC_CHECK_STR_EQ(by->date, "");
		BLOC_CHECK(strcmp(by->first_date, "2017-06-08") > 0 &&
		           strcmp(by->first_date, "2020-01-01") < 0);
		bloc_contest_free(by);
	}

	BLOC_CHECK_INT_EQ(bloc_contest_open_previous(&c, ds, "ge2017"), BLOC_ENOTFOUND);
	BLOC_CHECK_CONTAINS(bloc_error_last(), "previous");
	BLOC_CHECK(c == NULL);
	BLOC_CHECK_INT_EQ(bloc_contest_open_previous(&c, ds, "nosuch"), BLOC_ENOTFOUND);

	/* the same extract by name: ID:column=value */
	BLOC_CHECK_OK(
	    bloc_contest_open(&c, ds, "by-elections-previous-ge:election_date=2010-05-06"));
	BLOC_CHECK_INT_EQ(c->nseats, 1);
	BLOC_CHECK_INT_EQ(c->valid[0], 40576);
	bloc_contest_free(c);
}

BLOC_TEST(load_open_pair)
{
	bloc_dataset *ds = dataset();
	bloc_contest *a = NULL, *b = NULL;
	const char *note = "unset";

	BLOC_REQUIRE(ds);
	BLOC_CHECK_OK(bloc_contest_open_pair(&a, &b, ds, "ge2019", "ge2024", &note));
	BLOC_CHECK_STR_EQ(a->id, "ge2019-notional-2023");
	BLOC_CHECK_STR_EQ(b->id, "ge2024");
	BLOC_REQUIRE(note);
	BLOC_CHECK_CONTAINS(note, "ge2019-notional-2023");
	BLOC_CHECK_CONTAINS(note, "boundaries");
	bloc_contest_free(a);
	bloc_contest_free(b);

	BLOC_CHECK_OK(bloc_contest_open_pair(&a, &b, ds, "ge2017", "ge2019", &note));
	BLOC_CHECK(note == NULL);
	BLOC_CHECK_STR_EQ(a->id, "ge2017");
	bloc_contest_free(a);
	bloc_contest_free(b);

	BLOC_CHECK_OK(
	    bloc_contest_open_pair(&a, &b, ds, "ge2019", "by2021-batley-and-spen", &note));
	BLOC_CHECK(note == NULL);
	bloc_contest_free(a);
	bloc_contest_free(b);

	BLOC_CHECK_INT_EQ(bloc_contest_open_pair(&a, &b, ds, "ge2017", "ge2024", &note),
	                  BLOC_EINVAL);
	BLOC_CHECK_CONTAINS(bloc_error_last(), "boundaries");
	BLOC_CHECK(a == NULL && b == NULL);
}

/* Every field of two contests, except the kind (canonical CSV does not carry it). */
static void check_same(const bloc_contest *x, const bloc_contest *y)
{
	size_t s, k;
	int bad = 0;

	BLOC_CHECK_STR_EQ(y->id, x->id);
	BLOC_CHECK_STR_EQ(y->date, x->date);
	BLOC_REQUIRE(x->nseats == y->nseats && x->ncand == y->ncand && x->nparties == y->nparties);
	BLOC_CHECK(memcmp(x->parties, y->parties, x->nparties * sizeof(bloc_party)) == 0);
	BLOC_CHECK(memcmp(x->votes, y->votes, x->nseats * x->nparties * sizeof(int64_t)) == 0);
	for (s = 0; s < x->nseats; s++)
		if (strcmp(x->code[s], y->code[s]) || strcmp(x->name[s], y->name[s]) ||
		    strcmp(x->region[s], y->region[s]) || strcmp(x->nation[s], y->nation[s]) ||
		    x->electorate[s] != y->electorate[s] || x->valid[s] != y->valid[s] ||
		    x->invalid[s] != y->invalid[s] || x->cand_off[s] != y->cand_off[s])
			bad = 1;
	for (k = 0; k < x->ncand; k++)
		if (x->cand_party[k] != y->cand_party[k] || x->cand_votes[k] != y->cand_votes[k] ||
		    strcmp(x->cand_name[k], y->cand_name[k]) ||
		    strcmp(x->cand_label[k], y->cand_label[k]) ||
		    x->cand_flags[k] != y->cand_flags[k])
			bad = 1;
	BLOC_CHECK(!bad);
}

BLOC_TEST(load_canonical_round_trip)
{
	static const char *const ids[] = {"ge2017", "ge2024-candidates", "ge2019-notional-2023",
	                                  "by2017-2019", "by2021-batley-and-spen"};
	size_t i;

	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		bloc_contest *c = open_id(ids[i]), *back = NULL;
		char *buf = NULL;
		size_t len = 0;
		FILE *fp;
		BLOC_REQUIRE(c);
		fp = open_memstream(&buf, &len);
		BLOC_REQUIRE(fp);
		BLOC_CHECK_OK(bloc_contest_write_canonical(c, fp));
		fclose(fp);
		/* recognised from the header */
		if (bloc_contest_load_mem(&back, buf, len, NULL) < 0) {
			BLOC_FAIL_("%s: canonical CSV did not read back: %s", ids[i],
			           bloc_error_last());
		} else {
			BLOC_CHECK_STR_EQ(back->format, "bloc-canonical");
			check_same(c, back);
		}
		bloc_contest_free(back);
		bloc_contest_free(c);
		free(buf);
	}
}

BLOC_TEST(load_canonical_quoting)
{
	const char *text =
	    "contest,date,seat_code,seat_name,region,nation,electorate,party,candidate,"
	    "votes,invalid_votes,party_label\n"
	    "x,2024-07-04,S1,\"Ayr, Carrick and Cumnock\",Scotland,Scotland,,SNP,"
	    "\"Jo \"\"JJ\"\" Smith\",10,,\"Scottish National Party\"\n"
	    "x,2024-07-04,S1,\"Ayr, Carrick and Cumnock\",Scotland,Scotland,,OTH,"
	    "(all other candidates),4,,Others\n";
	bloc_contest *c = NULL, *back = NULL;
	char *buf = NULL;
	size_t len = 0;
	FILE *fp;

	BLOC_CHECK_OK(load_str(&c, text, NULL));
	BLOC_CHECK_STR_EQ(c->id, "x");
	BLOC_CHECK_STR_EQ(c->name[0], "Ayr, Carrick and Cumnock");
	BLOC_CHECK_STR_EQ(c->cand_name[0], "Jo \"JJ\" Smith");
	BLOC_CHECK_INT_EQ(c->cand_flags[1], BLOC_CAND_AGGREGATE);
	BLOC_CHECK_INT_EQ(c->electorate[0], -1);
	BLOC_CHECK_INT_EQ(c->invalid[0], -1);
	BLOC_REQUIRE((fp = open_memstream(&buf, &len)));
	BLOC_CHECK_OK(bloc_contest_write_canonical(c, fp));
	fclose(fp);
	BLOC_CHECK_CONTAINS(buf, "\"Jo \"\"JJ\"\" Smith\"");
	BLOC_CHECK_CONTAINS(buf, "(all other candidates)");
	BLOC_CHECK_OK(bloc_contest_load_mem(&back, buf, len, NULL));
	check_same(c, back);
	bloc_contest_free(back);
	bloc_contest_free(c);
	free(buf);
}

BLOC_TEST(load_detects_catalogue_formats)
{
	bloc_dataset *ds = dataset();
	size_t i;

	BLOC_REQUIRE(ds);
	for (i = 0; i < bloc_dataset_count(ds); i++) {
		const bloc_catalog_entry *e = bloc_dataset_entry(ds, i);
		bloc_contest *c = NULL;
		char path[4096];
		int rc;
		if (strcmp(e->kind, "census") == 0 || strcmp(e->kind, "polls") == 0 ||
		    strcmp(e->kind, "hexmap") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", bloc_dataset_dir(ds), e->path);
		rc = bloc_contest_load(&c, path, NULL);
		if (bloc_format_is_contest(e->format)) {
			if (rc < 0)
				BLOC_FAIL_("%s: %s", e->id, bloc_error_last());
			else
				BLOC_CHECK_STR_EQ(c->format, e->format);
		} else {
			/* the summary and the share changes are recognised, and refused */
			BLOC_CHECK_INT_EQ(rc, BLOC_EINVAL);
			BLOC_CHECK_CONTAINS(bloc_error_last(), e->format);
			BLOC_CHECK_CONTAINS(bloc_error_last(), ":1:1:");
		}
		bloc_contest_free(c);
	}
	BLOC_CHECK(bloc_format_is_contest("hoc-constituency-wide-2024"));
	BLOC_CHECK(bloc_format_is_contest("bloc-canonical"));
	BLOC_CHECK(!bloc_format_is_contest("key-by-election-summary"));
	BLOC_CHECK(!bloc_format_is_contest("hoc-by-election-changes"));
	BLOC_CHECK(!bloc_format_is_contest("hexjson"));
	BLOC_CHECK(!bloc_format_is_contest(NULL));
}

/* ---- the data directory ------------------------------------------------------------------- */

BLOC_TEST(dataset_catalogue)
{
	bloc_dataset *ds = dataset(), *bare = NULL;
	bloc_contest *c = NULL;
	const bloc_catalog_entry *e;
	char dir[4096];

	BLOC_REQUIRE(ds);
	e = bloc_dataset_find(ds, "ge2024");
	BLOC_REQUIRE(e);
	BLOC_CHECK_STR_EQ(e->kind, "general-election");
	BLOC_CHECK_STR_EQ(e->boundaries, "2023");
	BLOC_CHECK_STR_EQ(e->filter, "");
	BLOC_CHECK(bloc_dataset_entry(ds, bloc_dataset_count(ds)) == NULL);
	BLOC_CHECK(bloc_dataset_find(ds, "nosuch") == NULL);
	BLOC_CHECK_STR_EQ(bloc_dataset_dir(ds), bloc_test_data());

	/* unknown names list the ids */
	BLOC_CHECK_INT_EQ(bloc_contest_open(&c, ds, "ge2099"), BLOC_ENOTFOUND);
	BLOC_CHECK_CONTAINS(bloc_error_last(), "ge2099");
	BLOC_CHECK_CONTAINS(bloc_error_last(), "ge2024");
	BLOC_CHECK_CONTAINS(bloc_error_last(), "by2021-batley-and-spen");
	/* catalogue entries that are not contests */
	BLOC_CHECK_INT_EQ(bloc_contest_open(&c, ds, "by-elections-summary"), BLOC_EINVAL);
	BLOC_CHECK_CONTAINS(bloc_error_last(), "not the results of a contest");
	BLOC_CHECK_INT_EQ(bloc_contest_open(&c, ds, "census21-religion"), BLOC_EINVAL);
	BLOC_CHECK_INT_EQ(bloc_contest_open(&c, ds, "by1945-2019-changes"), BLOC_EINVAL);
	BLOC_CHECK(c == NULL);

	BLOC_CHECK_INT_EQ(bloc_dataset_open(&bare, "/nonexistent/bloc-data"), BLOC_EIO);
	BLOC_CHECK(bare == NULL);
	/* a directory without CATALOG.csv: names are paths */
	snprintf(dir, sizeof(dir), "%s/results", bloc_test_data());
	BLOC_CHECK_OK(bloc_dataset_open(&bare, dir));
	BLOC_CHECK_INT_EQ(bloc_dataset_count(bare), 0);
	BLOC_CHECK_INT_EQ(bloc_contest_open(&c, bare, "ge2024"), BLOC_ENOTFOUND);
	snprintf(dir, sizeof(dir), "%s/results/ge2024/HoC-GE2024-results-by-constituency.csv",
	         bloc_test_data());
	BLOC_CHECK_OK(bloc_contest_open(&c, bare, dir));
	BLOC_CHECK_STR_EQ(c->id, dir);
	BLOC_CHECK_STR_EQ(c->format, "hoc-constituency-wide-2024");
	BLOC_CHECK_STR_EQ(c->date, ""); /* the file has no polling day */
	bloc_contest_free(c);
	bloc_dataset_free(bare);
	bloc_dataset_free(NULL);
}

/* ---- small files: one per format ---------------------------------------------------------- */

#define H17                                                                                        \
	"ons_id,ons_region_id,constituency_name,county_name,region_name,country_name,"             \
	"constituency_type,declaration_time,result,first_party,second_party,electorate,"           \
	"valid_votes,invalid_votes,majority,con,lab,ld,ukip,green,snp,pc,dup,sf,sdlp,uup,"         \
	"alliance,"                                                                                \
	"other,other_winner\n"
#define H24                                                                                        \
	"ONS ID,ONS region ID,Constituency name,County name,Region name,Country name,"             \
	"Constituency type,Declaration time,Member first name,Member surname,Member gender,"       \
	"Result,First party,Second party,Electorate,Valid votes,Invalid votes,Majority,Con,Lab,"   \
	"LD,RUK,Green,SNP,PC,DUP,SF,SDLP,UUP,APNI,All other candidates,Of which other winner\n"
#define ROW24                                                                                      \
	"E14001193,E12000004,Derby North,,East Midlands,England,Borough,,Catherine,Atkinson,"      \
	"Female,Lab gain from Con,Lab,Con,71879,40919,187,8915,9704,18619,1822,7488,3286,0,0,0,0," \
	"0,0,0,0,0\n"
#define CANON "contest,date,seat_code,seat_name,region,nation,electorate,party,candidate,votes\n"

BLOC_TEST(load_each_format_from_header)
{
	static const struct {
		const char *format, *text;
		size_t seats, cands;
	} cases[] = {
	    {"hoc-constituency-wide-2017",
	     H17 "E14000608,E12000008,Buckingham,Bucks,South East,England,County,x,Spk hold,"
	         "Spk,Green,79615,52679,1967,25725,0,0,0,4168,8574,0,0,0,0,0,0,0,39937,34299\n",
	     1, 4},
	    {"hoc-constituency-wide-2019",
	     "ONS ID,ONS region ID,Constituency name,County name,Region name,Country name,"
	     "Constituency type,Declaration time,Member first name,Member surname,Member gender,"
	     "Result,First party,Second party,Electorate,Valid votes,Invalid votes,Majority,Con,"
	     "Lab,LD,BRX,Green,SNP,PC,DUP,SF,SDLP,UUP,APNI,All other candidates,Of which other "
	     "winner\r\n"
	     "E14000637,E12000002,Chorley,Lancashire,North West,England,County,x,Lindsay,Hoyle,"
	     "Male,Spk hold,Spk,Ind,77072,39870,1303,17392,0,0,0,0,3600,0,0,0,0,0,0,0,36270,"
	     "26831\r\n",
	     1, 3},
	    {"hoc-constituency-wide-2024", H24 ROW24, 1, 5},
	    {"hoc-by-election-wide",
	     "MNIS_id,ons_id,ons_region_id,constituency_name,county_name,region_name,country_name,"
	     "constituency_type,by-election date,Date vacancy opened,Reason for vacancy,Writ moved,"
	     "Name of winning candidate,result,first_party,second_party,electorate,valid_votes,"
	     "invalid_votes,majority,con,lab,ld,ukip,green,brexit,snp,pc,dup,sf,sdlp,uup,alliance,"
	     "other,,,\n"
	     "4717,E14000878,E12000006,Peterborough,Cambs,East,England,Borough,2019-06-06,x,x,x,"
	     "Lisa Forbes,Lab hold,Lab,Brexit,70199,33920,77,683,7243,10484,4159,400,1035,9801,0,"
	     "0,0,0,0,0,0,798,,,\n",
	     1, 7},
	    {"hoc-candidate-long",
	     "ons_id,ons_region_id,constituency_name,county_name,region_name,country_name,"
	     "constituency_type,party_name,party_abbreviation,firstname,surname,gender,sitting_mp,"
	     "former_mp,votes,share,change\n"
	     "E1,E12000008,Aylesbury,Bucks,South East,England,County,Independent,Ind,Kyle ,"
	     "Michael,Male,No,No,620,0.01,\n"
	     "E1,E12000008,Aylesbury,Bucks,South East,England,County,Independent,Ind,Ann,Other,"
	     "Female,No,No,20,0.01,",
	     1, 2},
	    {"hoc-candidate-long-2024",
	     "\xEF\xBB\xBFONS ID,ONS region ID,Constituency name,County name,Region name,Country "
	     "name,Constituency type,Party name,Party abbreviation,Candidate first name,Candidate "
	     "surname,Votes\n"
	     "W07000081,W92000004,Aberafan Maesteg,,Wales,Wales,County,Heritage Party,HPUK,"
	     "Rhiannon,Morrissey,183\n",
	     1, 1},
	    {"rallings-thrasher-notional",
	     "Boundary Comm name,PA name,ONS code,region_name,country_name,\"\"\"turnout\"\"\","
	     "electorate,Conv,Labv,LDv,Grnv,TotOthv,MaxOthv,ADVv,IND1v,IND2v,total_votes,majority,"
	     "Win19\r\n"
	     "Chorley,Chorley,E14001170,NW,England,52,74568,0,0,0,3600,36270,26831,,9439,0,"
	     "\"39,870\",\"17,392\",Spkr\r\n",
	     1, 3},
	    {"key-by-election-candidates",
	     "election_date,ons_id,constituency_name,candidate,party,party_abbreviation,votes,"
	     "elected\n"
	     "2021-07-01,E14000548,Batley and Spen,Kim Leadbeater,Labour Party,Lab,13296,Yes\n",
	     1, 1},
	    {"key-by-election-previous",
	     "election_date,ons_id,constituency_name,party_abbreviation,votes,electorate,"
	     "valid_votes\n"
	     "2010-05-06,E14000589,Bradford West,Lab,18401,62519,18501\n"
	     "2010-05-06,E14000589,Bradford West,D Nat,100,62519,18501\n",
	     1, 2},
	    {"bloc-canonical", CANON "t,2024-07-04,E1,Testham,London,England,1000,LAB,Ann,500\n", 1,
	     1},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bloc_contest *c = NULL;
		if (load_str(&c, cases[i].text, NULL) < 0) {
			BLOC_FAIL_("%s: %s", cases[i].format, bloc_error_last());
			continue;
		}
		BLOC_CHECK_STR_EQ(c->format, cases[i].format);
		BLOC_CHECK_INT_EQ(c->nseats, cases[i].seats);
		BLOC_CHECK_INT_EQ(c->ncand, cases[i].cands);
		check_invariants(c);
		bloc_contest_free(c);
		/* and with the format given */
		BLOC_CHECK_OK(load_str(&c, cases[i].text, cases[i].format));
		bloc_contest_free(c);
	}
}

BLOC_TEST(load_splits_the_other_lump)
{
	bloc_contest *c = NULL;

	/* North Down 2017: an independent won; the lump holds her and one more */
	BLOC_CHECK_OK(load_str(&c,
	                       H17 "N06000012,N92000002,North Down,x,Northern Ireland,Northern "
	                           "Ireland,County,x,Ind hold,Ind,DUP,66000,40000,100,1208,0,0,0,0,"
	                           "0,0,0,14940,0,0,0,0,25060,16148\n",
	                       NULL));
	BLOC_CHECK_INT_EQ(c->ncand, 3);
	BLOC_CHECK_INT_EQ(c->cand_party[0], party("IND"));
	BLOC_CHECK_INT_EQ(c->cand_votes[0], 16148);
	BLOC_CHECK_STR_EQ(c->cand_label[0], "Ind");
	BLOC_CHECK_INT_EQ(c->cand_party[1], party("DUP"));
	BLOC_CHECK_INT_EQ(c->cand_flags[2], BLOC_CAND_AGGREGATE);
	BLOC_CHECK_INT_EQ(c->cand_party[2], party("OTH"));
	BLOC_CHECK_INT_EQ(c->cand_votes[2], 25060 - 16148);
	bloc_contest_free(c);

	/* an "other" runner-up: winner's votes minus the majority */
	BLOC_CHECK_OK(load_str(&c,
	                       H17 "E1,E2,Somewhere,x,London,England,x,x,Lab hold,Lab,WPB,70000,"
	                           "30000,1,1000,5000,10000,4000,0,0,0,0,0,0,0,0,0,11000,0\n",
	                       NULL));
	BLOC_CHECK_INT_EQ(c->cand_party[1], party("WPB"));
	BLOC_CHECK_INT_EQ(c->cand_votes[1], 9000);
	BLOC_CHECK_INT_EQ(c->cand_votes[4], 2000); /* the rest of the lump */
	BLOC_CHECK_INT_EQ(c->cand_flags[4], BLOC_CAND_AGGREGATE);
	bloc_contest_free(c);
}

/* ---- small files: one per error ----------------------------------------------------------- */

BLOC_TEST(load_errors_in_memory)
{
	static char huge[70000 + 256];
	bloc_contest *c = NULL;

	expect_error("", NULL, BLOC_EPARSE, "<memory>:1:1:", "empty file");
	expect_error(CANON, NULL, BLOC_EPARSE, "<memory>:2:1:", "found none");
	expect_error("seat,winner,votes\nX,LAB,5\n", NULL, BLOC_EPARSE,
	             "<memory>:1:1:", "expected the header of a results file");
	expect_error("contest,date,seat_code,seat_name,region,nation,electorate,party,candidate\n"
	             "t,,E1,X,,,,LAB,A\n",
	             NULL, BLOC_EPARSE, "<memory>:1:1:", "closest is format bloc-canonical");
	expect_error("contest,date,seat_code,seat_name,region,nation,electorate,party,candidate\n"
	             "t,,E1,X,,,,LAB,A\n",
	             "bloc-canonical", BLOC_EPARSE, "<memory>:1:1:", "expected column 'votes'");
	/* truncated and over-long rows */
	expect_error(CANON "t,,E1,X,,,,LAB,A,5\nt,,E1,X,,,,CON\n", NULL, BLOC_EPARSE,
	             "<memory>:3:", "expected 10 fields as in the header, found 8");
	expect_error(CANON "t,,E1,X,,,,LAB,A,5,6\n", NULL, BLOC_EPARSE,
	             "<memory>:2:20:", "found 11");
	/* votes */
	expect_error(CANON "t,,E1,X,,,,LAB,A,five\n", NULL, BLOC_EPARSE,
	             "<memory>:2:18:", "expected a whole number of votes, found 'five'");
	expect_error(CANON "t,,E1,X,,,,LAB,A,-5\n", NULL, BLOC_ENUMERIC,
	             "<memory>:2:18:", "(0 or more), found '-5'");
	expect_error(CANON "t,,E1,X,,,,LAB,A,\n", NULL, BLOC_EPARSE,
	             "<memory>:2:18:", "found an empty field");
	expect_error(CANON "t,,E1,X,,,100,LAB,A,60\nt,,E1,X,,,100,CON,B,50\n", NULL, BLOC_ENUMERIC,
	             "<memory>:2:1:", "at most the electorate");
	expect_error(CANON "t,,E1,X,,,100,LAB,A,60\nt,,E1,X,,,90,CON,B,5\n", NULL, BLOC_ENUMERIC,
	             "<memory>:3:11:", "same electorate as on line 2");
	/* wide: duplicate seat, sums, majority, electorate */
	expect_error(H24 ROW24 ROW24, NULL, BLOC_EPARSE,
	             "<memory>:3:1:", "found seat E14001193 again (first on line 2)");
	expect_error(H24
	             "E14001193,E12000004,Derby North,,East Midlands,England,Borough,,C,A,F,x,Lab,"
	             "Con,71879,40920,187,8915,9704,18619,1822,7488,3286,0,0,0,0,0,0,0,0,0\n",
	             NULL, BLOC_ENUMERIC, "<memory>:2:", "'Valid votes': expected the sum");
	expect_error(H24
	             "E14001193,E12000004,Derby North,,East Midlands,England,Borough,,C,A,F,x,Lab,"
	             "Con,71879,40919,187,8916,9704,18619,1822,7488,3286,0,0,0,0,0,0,0,0,0\n",
	             NULL, BLOC_ENUMERIC, "<memory>:2:", "'Majority': expected the winner's votes");
	expect_error(
	    H24 "E14001193,E12000004,Derby North,,East Midlands,England,Borough,,C,A,F,x,Con,"
	        "Lab,71879,40919,187,8915,9704,18619,1822,7488,3286,0,0,0,0,0,0,0,0,0\n",
	    NULL, BLOC_ENUMERIC, "<memory>:2:", "'First party': expected the party with most");
	expect_error(H24
	             "E14001193,E12000004,Derby North,,East Midlands,England,Borough,,C,A,F,x,Lab,"
	             "Con,40000,40919,187,8915,9704,18619,1822,7488,3286,0,0,0,0,0,0,0,0,0\n",
	             NULL, BLOC_ENUMERIC, "<memory>:2:", "at most the electorate (40000)");
	/* encoding and syntax, from the reader */
	expect_error(CANON "t,,W1,Ynys M\xf4n,,,,CON,A,5\n", NULL, BLOC_EPARSE,
	             "<memory>:2:13:", "byte 0xF4");
	{
		static const char nul[] = CANON "t,,E1,X\0Y,,,,LAB,A,5\n";
		BLOC_CHECK_INT_EQ(bloc_contest_load_mem(&c, nul, sizeof(nul) - 1, NULL),
		                  BLOC_EPARSE);
		BLOC_CHECK_CONTAINS(bloc_error_last(), "<memory>:2:8: expected text, found a NUL");
	}
	/* a seat of lumps alone has no winner */
	expect_error(CANON "t,,E1,X,,,,LAB,A,5\nt,,E2,Y,,,,OTH,(all other candidates),7\n", NULL,
	             BLOC_EPARSE, "<memory>:3:1:", "at least one candidate besides");
	expect_error(H24
	             "E14001193,E12000004,Derby North,,East Midlands,England,Borough,,C,A,F,x,Lab,"
	             "Con,71879,40919,187,0,0,0,0,0,0,0,0,0,0,0,0,0,40919,0\n",
	             NULL, BLOC_ENUMERIC, "<memory>:2:", "at least one candidate outside");
	/* counts that would overflow sums */
	expect_error(CANON "t,,E1,X,,,,LAB,A,9223372036854775807\n", NULL, BLOC_ENUMERIC,
	             "<memory>:2:18:", "expected at most 1000000000 votes");
	expect_error(CANON "t,,E1,X,,,,LAB,A,1000000001\n", NULL, BLOC_ENUMERIC,
	             "<memory>:2:18:", "expected at most 1000000000 votes");
	expect_error(CANON "t,,E1,X,,,1000000000001,LAB,A,1\n", NULL, BLOC_ENUMERIC,
	             "<memory>:2:11:", "expected a count from 0 to 1000000000000");
	expect_error(CANON "t,,E1,\"X,,,,LAB,A,5\n", NULL, BLOC_EPARSE,
	             "<memory>:2:7:", "closing quote");
	expect_error(CANON "t,,E1,X \"Y\",,,,LAB,A,5\n", NULL, BLOC_EPARSE,
	             "<memory>:2:9:", "no quote inside an unquoted field");
	/* a field over 64 KiB */
	memcpy(huge, CANON "t,,E1,", strlen(CANON "t,,E1,"));
	memset(huge + strlen(CANON "t,,E1,"), 'x', 70000);
	strcpy(huge + strlen(CANON "t,,E1,") + 70000, ",,,,LAB,A,5\n");
	expect_error(huge, NULL, BLOC_EPARSE, "<memory>:2:7:", "at most 65536 bytes");
	/* formats that are not contests, and bad options */
	expect_error("election_date,ons_id,constituency_name,previous_general_election,electorate,"
	             "valid_votes,ballots_verified,majority\n2021-07-01,E1,X,2019-12-12,5,4,4,1\n",
	             NULL, BLOC_EINVAL, "<memory>:1:1:", "key-by-election-summary");
	expect_error("date,constituency,result,previous_general_election,con_share_change,"
	             "lab_share_change,ld_share_change,pc_snp_share_change,other_share_change,"
	             "turnout\n1945-10-01,Smethwick,LAB hold,1945,-0.029,0.029,,,,0.654\n",
	             NULL, BLOC_EINVAL, "<memory>:1:1:", "hoc-by-election-changes");
	expect_error(CANON, "no-such-format", BLOC_EINVAL, "<memory>", "expected a known format");
	{
		bloc_load_options o = BLOC_LOAD_OPTIONS_INIT;
		const char *t = CANON "t,2024-07-04,E1,X,,,,LAB,A,5\n";
		o.filter = "date=1999-01-01";
		BLOC_CHECK_INT_EQ(bloc_contest_load_mem(&c, t, strlen(t), &o), BLOC_EPARSE);
		BLOC_CHECK_CONTAINS(bloc_error_last(),
		                    "<memory>:1:1: expected rows with date=1999");
		o.filter = "nosuch=1";
		BLOC_CHECK_INT_EQ(bloc_contest_load_mem(&c, t, strlen(t), &o), BLOC_EINVAL);
		BLOC_CHECK_CONTAINS(bloc_error_last(), "no such column");
		o.filter = "date";
		BLOC_CHECK_INT_EQ(bloc_contest_load_mem(&c, t, strlen(t), &o), BLOC_EINVAL);
		o.filter = NULL;
		o.date = "2024-07-05";
		BLOC_CHECK_INT_EQ(bloc_contest_load_mem(&c, t, strlen(t), &o), BLOC_EPARSE);
		BLOC_CHECK_CONTAINS(bloc_error_last(),
		                    "<memory>:2:3: expected the polling day 2024-07-05");
		o.date = "2024-07-04";
		BLOC_CHECK_OK(bloc_contest_load_mem(&c, t, strlen(t), &o));
		bloc_contest_free(c);
		c = NULL;
		o.date = NULL;
		o.version = 99;
		BLOC_CHECK_INT_EQ(bloc_contest_load_mem(&c, t, strlen(t), &o), BLOC_EINVAL);
		BLOC_CHECK(c == NULL);
	}
}

/* ---- out of memory: each allocation failing in turn gives BLOC_ENOMEM, and no leak --------- */

static int load_by_id(bloc_contest **c, const char *id)
{
	return bloc_contest_open(c, dataset(), id);
}

BLOC_TEST(load_out_of_memory)
{
	static const char *const texts[] = {
	    H24 ROW24,
	    CANON "t,2024-07-04,E1,X,London,England,1000,LAB,A,5\nt,2024-07-04,E1,X,London,"
	          "England,1000,CON,B,4\n",
	    H17 "E1,E2,Somewhere,x,London,England,x,x,Lab hold,Lab,WPB,70000,30000,1,1000,5000,"
	        "10000,4000,0,0,0,0,0,0,0,0,0,11000,0\n",
	};
	static const char *const ids[] = {"by2021-batley-and-spen", "by2017-2019",
	                                  "by-elections-previous-ge:election_date=2019-12-12"};
	size_t i;
	unsigned long n;

	BLOC_REQUIRE(dataset());
	for (i = 0; i < sizeof(texts) / sizeof(texts[0]) + sizeof(ids) / sizeof(ids[0]); i++) {
		int done = 0, bad = 0;
		for (n = 1; n < 5000 && !done; n++) {
			bloc_contest *c = NULL;
			int rc;
			bloc__alloc_fail_after(n);
			rc = i < 3 ? load_str(&c, texts[i], NULL) : load_by_id(&c, ids[i - 3]);
			bloc__alloc_fail_after(0);
			if (rc == 0)
				done = 1;
			else if (rc != BLOC_ENOMEM || c != NULL || !*bloc_error_last())
				bad = 1;
			if (bad) {
				BLOC_FAIL_("case %zu, allocation %lu failing: %d %s", i, n, rc,
				           bloc_error_last());
				break;
			}
			bloc_contest_free(c);
		}
		BLOC_CHECK(done);
	}
	/* and reading the catalogue */
	for (n = 1; n < 5000; n++) {
		bloc_dataset *ds = NULL;
		int rc;
		bloc__alloc_fail_after(n);
		rc = bloc_dataset_open(&ds, bloc_test_data());
		bloc__alloc_fail_after(0);
		bloc_dataset_free(ds);
		if (rc == 0)
			break;
		if (rc != BLOC_ENOMEM) {
			BLOC_FAIL_("bloc_dataset_open, allocation %lu failing: %d %s", n, rc,
			           bloc_error_last());
			break;
		}
	}
	BLOC_CHECK(n < 5000);
}

/* ---- tests/bad: every malformed file is refused with file:line:column ---------------------- */

static const struct {
	const char *file, *where, *what;
} bad_files[] = {
    {"binary-nul.csv", ":2:18:", "NUL byte"},
    {"blank-seat-code.csv", ":3:14:", "expected a seat code"},
    {"by-election-two-dates.csv", ":3:1:", "one polling day per seat"},
    {"candidates-2024-decimal-votes.csv", ":2:85:", "whole number of votes, found '17838.5'"},
    {"canonical-aggregate-repeated.csv",
     ":5:56:", "'(all other candidates)' (OTH, 'OTH') again (first on line 4)"},
    {"canonical-candidate-repeated-other-votes.csv",
     ":4:56:", "'Ann Smith' (LAB, 'LAB') again (first on line 2)"},
    {"canonical-candidate-repeated.csv",
     ":4:56:", "each candidate once in seat E14000001, found 'Bob Jones'"},
    {"canonical-date-april-31.csv",
     ":2:3:", "calendar date YYYY-MM-DD (such as 2024-07-04), found '2024-04-31'"},
    {"canonical-date-century-not-leap.csv", ":2:3:", "found '2100-02-29'"},
    {"canonical-date-month-13.csv", ":2:3:", "found '2024-13-45'"},
    {"canonical-date-not-iso.csv", ":2:3:", "found '4/7/2024'"},
    {"canonical-date-not-leap-year.csv", ":2:3:", "found '2023-02-29'"},
    {"canonical-date-word.csv", ":2:3:", "found 'yesterday'"},
    {"canonical-seat-block-repeated.csv",
     ":4:56:", "'Ann Smith' (LAB, 'LAB') again (first on line 2)"},
    {"canonical-seat-electorate-differs.csv",
     ":3:47:", "same electorate as on line 2 (1000), found 1200"},
    {"canonical-seat-name-differs.csv",
     ":3:24:", "name as on line 2 ('Testham'), found 'Testham West'"},
    {"canonical-seat-nation-differs.csv",
     ":3:39:", "nation as on line 2 ('England'), found 'Wales'"},
    {"canonical-seat-region-differs.csv",
     ":3:32:", "region as on line 2 ('London'), found 'South East'"},
    {"canonical-seat-repeated-apart.csv",
     ":6:14:", "seat E14000001 again (first on line 2, last on line 3"},
    {"canonical-seat-rows-apart.csv",
     ":6:14:", "each seat's rows together, found seat E14000001 again"},
    {"canonical-sum-above-electorate.csv", ":2:1:", "at most the electorate 1000"},
    {"crlf-truncated-wide.csv", ":3:69:", "expected 32 fields as in the header, found 10"},
    {"duplicate-seat.csv", ":4:1:", "seat E14001193 again (first on line 2)"},
    {"empty.csv", ":1:1:", "empty file"},
    {"extra-field.csv", ":3:70:", "expected 10 fields as in the header, found 11"},
    {"header-only.csv", ":2:1:", "found none"},
    {"hoc-candidates-candidate-repeated.csv",
     ":4:51:", "'Alex Baker' (LAB, 'Labour') again (first on line 2)"},
    {"hoc-candidates-nation-differs.csv",
     ":3:24:", "nation as on line 2 ('England'), found 'Scotland'"},
    {"hoc-candidates-seat-rows-apart.csv", ":4:1:", "seat E14000530 again"},
    {"junk-after-quote.csv", ":3:33:", "after a closing quote"},
    {"key-by-election-date-invalid.csv", ":2:1:", "found '2012-02-30'"},
    {"key-by-election-previous-party-repeated.csv",
     ":4:36:", "'(no name)' (LAB, 'Lab') again (first on line 2)"},
    {"majority-mismatch.csv", ":2:118:", "1760), found 1761"},
    {"missing-column.csv", ":1:1:", "which also needs 'votes'"},
    {"negative-votes.csv", ":3:66:", "found '-300'"},
    {"non-numeric-votes.csv", ":3:66:", "found 'three hundred'"},
    {"notional-party-column-repeated.csv", ":1:145:", "each party column once, found 'Grnv' again"},
    {"notional-totoths-short.csv", ":2:42:", "sum of the minor-party columns (9489)"},
    {"other-winner-with-column.csv", ":2:180:", "has its own column"},
    {"stray-quote.csv", ":2:60:", "no quote inside an unquoted field"},
    {"sum-mismatch.csv", ":2:123:", "sum of the party and other columns (40919), found 41919"},
    {"summary-not-a-contest.csv", ":1:1:", "cannot be loaded as a contest"},
    {"truncated-row.csv", ":3:52:", "expected 10 fields as in the header, found 8"},
    {"two-contests.csv", ":3:1:", "one contest per file"},
    {"unbalanced-quote.csv", ":3:24:", "closing quote"},
    {"votes-above-electorate.csv", ":2:123:", "at most the electorate (40000)"},
    {"votes-overflow.csv", ":2:66:", "fits in 64 bits"},
    {"wide-by-election-date-invalid.csv", ":2:96:", "found '2018-05-32'"},
    {"windows-1252.csv", ":2:30:", "byte 0xF4"},
    {"wrong-header.csv", ":1:1:", "expected the header of a results file"},
};

/* tests/bad next to this file (CMake compiles it by absolute path), or $BLOC_BAD_DIR. */
static const char *bad_dir(void)
{
	static char dir[4096];
	const char *env = getenv("BLOC_BAD_DIR"), *slash;

	if (env && *env)
		return env;
	slash = strstr(__FILE__, "/unit/test_load.c");
	if (!slash)
		return NULL;
	snprintf(dir, sizeof(dir), "%.*s/bad", (int)(slash - __FILE__), __FILE__);
	return dir;
}

BLOC_TEST(load_bad_files)
{
	const char *dir = bad_dir();
	size_t i, ncsv = 0;
	DIR *d;
	struct dirent *de;

	BLOC_REQUIRE(dir);
	for (i = 0; i < sizeof(bad_files) / sizeof(bad_files[0]); i++) {
		char path[4096], where[4200];
		bloc_contest *c = NULL;
		int rc;
		if (snprintf(path, sizeof(path), "%s/%s", dir, bad_files[i].file) >=
		    (int)sizeof(path)) {
			BLOC_FAIL_("path too long: %s", dir);
			continue;
		}
		/* as `bloc results FILE` does: by path, with the data directory's catalogue */
		rc = bloc_contest_open(&c, dataset(), path);
		if (rc >= 0) {
			BLOC_FAIL_("%s: loaded, expected an error", bad_files[i].file);
			bloc_contest_free(c);
			continue;
		}
		BLOC_CHECK(rc == BLOC_EPARSE || rc == BLOC_ENUMERIC || rc == BLOC_EINVAL);
		snprintf(where, sizeof(where), "%s%s", path, bad_files[i].where);
		BLOC_CHECK_CONTAINS(bloc_error_last(), where);
		BLOC_CHECK_CONTAINS(bloc_error_last(), bad_files[i].what);
		BLOC_CHECK(strncmp(bloc_error_last(), path, strlen(path)) == 0);
		BLOC_CHECK(strchr(bloc_error_last(), '\n') == NULL);
	}
	/* every committed file has an expectation here */
	d = opendir(dir);
	BLOC_REQUIRE(d);
	while ((de = readdir(d)) != NULL) {
		size_t n = strlen(de->d_name);
		int known = 0;
		if (n < 4 || strcmp(de->d_name + n - 4, ".csv") != 0)
			continue;
		ncsv++;
		for (i = 0; i < sizeof(bad_files) / sizeof(bad_files[0]); i++)
			known |= strcmp(bad_files[i].file, de->d_name) == 0;
		if (!known)
			BLOC_FAIL_("tests/bad/%s has no expected error in test_load.c", de->d_name);
	}
	closedir(d);
	BLOC_CHECK_INT_EQ(ncsv, sizeof(bad_files) / sizeof(bad_files[0]));
	BLOC_CHECK(ncsv >= 15);
}
