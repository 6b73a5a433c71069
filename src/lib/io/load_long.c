/* "Long" results: one row per candidate (or per party), seats repeated on every row. Used for
 * the HoC candidate files, the two key by-election files and bloc's canonical CSV.
 *
 * The party comes from the abbreviation (or code), falling back to the full party name; unknown
 * labels are OTH and each independent stays a candidate of its own under IND. The label is kept
 * as written (the full party name when the file has one). HoC candidate files carry no
 * electorate or valid votes: those seats have electorate -1 and valid votes = the candidates'
 * sum. For key-by-election-candidates the electorate, valid votes and rejected ballots come from
 * the key by-election summary file (opts->by_election_summary), whose majority is cross-checked. */
#include "io.h"

#include "bloc/error.h"
#include "../core/alloc.h"

#include <inttypes.h>
#include <string.h>

typedef struct {
	const char *code, *name, *region, *nation, *date, *contest;
	const char *party, *party_name, *label; /* party: abbreviation or code */
	const char *first, *last, *full;        /* candidate name: first + last, or full */
	const char *votes, *electorate, *valid, *invalid;
	int norm_region;
	int canonical;  /* "(all other candidates)" marks an aggregate */
	int by_summary; /* seat figures from opts->by_election_summary */
} long_spec;

#define AGGREGATE_NAME "(all other candidates)"

/* ---- the formats -------------------------------------------------------------------------- */

static const char *const cols_hoc[] = {"ons_id",      "constituency_name",
                                       "region_name", "country_name",
                                       "party_name",  "party_abbreviation",
                                       "firstname",   "surname",
                                       "votes",       NULL};
static const long_spec spec_hoc = {
    .code = "ons_id",
    .name = "constituency_name",
    .region = "region_name",
    .nation = "country_name",
    .party = "party_abbreviation",
    .party_name = "party_name",
    .first = "firstname",
    .last = "surname",
    .votes = "votes",
    .norm_region = 1,
};
const bloc__format bloc__fmt_long_hoc = {
    .name = "hoc-candidate-long",
    .what = "HoC results by candidate, snake_case columns",
    .contest = 1,
    .kind = BLOC_CONTEST_GENERAL,
    .cols = cols_hoc,
    .load = bloc__load_long,
    .spec = &spec_hoc,
};

static const char *const cols_2024[] = {"ONS ID",
                                        "Constituency name",
                                        "Region name",
                                        "Country name",
                                        "Party name",
                                        "Party abbreviation",
                                        "Candidate first name",
                                        "Candidate surname",
                                        "Votes",
                                        NULL};
static const long_spec spec_2024 = {
    .code = "ONS ID",
    .name = "Constituency name",
    .region = "Region name",
    .nation = "Country name",
    .party = "Party abbreviation",
    .party_name = "Party name",
    .first = "Candidate first name",
    .last = "Candidate surname",
    .votes = "Votes",
    .norm_region = 1,
};
const bloc__format bloc__fmt_long_2024 = {
    .name = "hoc-candidate-long-2024",
    .what = "HoC results by candidate, title-case columns",
    .contest = 1,
    .kind = BLOC_CONTEST_GENERAL,
    .cols = cols_2024,
    .load = bloc__load_long,
    .spec = &spec_2024,
};

static const char *const cols_key_by[] = {"election_date", "ons_id", "constituency_name",
                                          "candidate",     "party",  "party_abbreviation",
                                          "votes",         NULL};
static const long_spec spec_key_by = {
    .code = "ons_id",
    .name = "constituency_name",
    .date = "election_date",
    .party = "party_abbreviation",
    .party_name = "party",
    .full = "candidate",
    .votes = "votes",
    .norm_region = 1,
    .by_summary = 1,
};
const bloc__format bloc__fmt_long_key_by = {
    .name = "key-by-election-candidates",
    .what = "by-election results by candidate",
    .contest = 1,
    .kind = BLOC_CONTEST_BY,
    .cols = cols_key_by,
    .load = bloc__load_long,
    .spec = &spec_key_by,
};

static const char *const cols_previous[] = {"election_date",      "ons_id", "constituency_name",
                                            "party_abbreviation", "votes",  "electorate",
                                            "valid_votes",        NULL};
static const long_spec spec_previous = {
    .code = "ons_id",
    .name = "constituency_name",
    .date = "election_date",
    .party = "party_abbreviation",
    .votes = "votes",
    .electorate = "electorate",
    .valid = "valid_votes",
    .norm_region = 1,
};
const bloc__format bloc__fmt_long_previous = {
    .name = "key-by-election-previous",
    .what = "party votes at the general election before a by-election",
    .contest = 1,
    .kind = BLOC_CONTEST_EXTRACT,
    .cols = cols_previous,
    .load = bloc__load_long,
    .spec = &spec_previous,
};

/* bloc's own: invalid_votes and party_label are optional */
static const char *const cols_canonical[] = {"contest",   "date",   "seat_code",  "seat_name",
                                             "region",    "nation", "electorate", "party",
                                             "candidate", "votes",  NULL};
static const long_spec spec_canonical = {
    .code = "seat_code",
    .name = "seat_name",
    .region = "region",
    .nation = "nation",
    .date = "date",
    .contest = "contest",
    .party = "party",
    .label = "party_label",
    .full = "candidate",
    .votes = "votes",
    .electorate = "electorate",
    .invalid = "invalid_votes",
    .canonical = 1,
};
const bloc__format bloc__fmt_canonical = {
    .name = "bloc-canonical",
    .what = "bloc's canonical long CSV, one row per candidate",
    .contest = 1,
    .kind = BLOC_CONTEST_GENERAL,
    .cols = cols_canonical,
    .load = bloc__load_long,
    .spec = &spec_canonical,
};

/* ---- the key by-election summary ---------------------------------------------------------- */

/* The summary file's columns; ballots and majority are -1 where it has none. */
typedef struct {
	int date, code, electorate, valid, ballots, majority;
} summary_cols;

/* Open the summary file and find its columns; the four it needs must be there. */
static int summary_open(bloc_csv_reader **rd, const char *path, summary_cols *sc)
{
	const char *need[] = {"election_date", "ons_id", "electorate", "valid_votes"};
	size_t s;
	int err;

	if ((err = bloc_csv_open(rd, path, NULL)) < 0)
		return err;
	if ((err = bloc_csv_read_header(*rd)) < 0)
		return err;
	for (s = 0; s < sizeof(need) / sizeof(need[0]); s++) {
		if (bloc_csv_col(*rd, need[s]) < 0)
			return bloc_error_set(
			    BLOC_EPARSE,
			    "%s:%zu:1: expected column '%s' (by-election summary), "
			    "found no such column",
			    path, bloc_csv_line(*rd), need[s]);
	}
	sc->date = bloc_csv_col(*rd, "election_date");
	sc->code = bloc_csv_col(*rd, "ons_id");
	sc->electorate = bloc_csv_col(*rd, "electorate");
	sc->valid = bloc_csv_col(*rd, "valid_votes");
	sc->ballots = bloc_csv_col(*rd, "ballots_verified");
	sc->majority = bloc_csv_col(*rd, "majority");
	return BLOC_OK;
}

/* The loaded seat a summary row is about (its code, and its date where the seat has one), or
 * the number of seats if none. */
static size_t summary_seat(bloc__load *L, bloc_csv_reader *rd, const summary_cols *sc)
{
	size_t s, n, nd, nseats = bloc__builder_nseats(L->b);
	const char *c = bloc__trim_span(bloc_csv_field(rd, (size_t)sc->code), &n);
	const char *d = bloc__trim_span(bloc_csv_field(rd, (size_t)sc->date), &nd);

	for (s = 0; s < nseats; s++) {
		const bloc__seat_info *si = &L->seat[s];
		if (strlen(si->code) == n && memcmp(si->code, c, n) == 0 &&
		    (!si->date || (strlen(si->date) == nd && memcmp(si->date, d, nd) == 0)))
			break;
	}
	return s;
}

/* Set seat s's electorate, valid and rejected votes from a summary row, and check its
 * majority against the seat's top two candidates. */
static int summary_apply_row(bloc__load *L, bloc_csv_reader *rd, const summary_cols *sc,
                             const char *path, size_t s)
{
	int64_t e = -1, v = -1, b = -1, m = -1;
	int err;

	if (((err = bloc_csv_field_i64(rd, (size_t)sc->electorate, &e)) < 0 &&
	     err != BLOC_ENOTFOUND) ||
	    ((err = bloc_csv_field_i64(rd, (size_t)sc->valid, &v)) < 0 && err != BLOC_ENOTFOUND) ||
	    (sc->ballots >= 0 && (err = bloc_csv_field_i64(rd, (size_t)sc->ballots, &b)) < 0 &&
	     err != BLOC_ENOTFOUND) ||
	    (sc->majority >= 0 && (err = bloc_csv_field_i64(rd, (size_t)sc->majority, &m)) < 0 &&
	     err != BLOC_ENOTFOUND))
		return err;
	if (e < -1 || v < -1 || b < -1 || m < -1 || e > BLOC__COUNT_MAX || v > BLOC__COUNT_MAX ||
	    b > BLOC__COUNT_MAX || m > BLOC__COUNT_MAX)
		return bloc_error_set(BLOC_ENUMERIC,
		                      "%s:%zu:1: expected counts from 0 to %" PRId64
		                      ", found one outside",
		                      path, bloc_csv_line(rd), BLOC__COUNT_MAX);
	if (e >= 0)
		L->seat[s].electorate = e;
	if (v >= 0)
		L->seat[s].valid = v;
	/* rejected ballots = ballots verified - valid votes (derived, not published) */
	if (b >= 0 && v >= 0 && b >= v)
		L->seat[s].invalid = b - v;
	if (m >= 0 && L->seat[s].top[0] >= 0) {
		int64_t t0 = L->seat[s].top[0], t1 = L->seat[s].top[1] < 0 ? 0 : L->seat[s].top[1];
		if (t0 - t1 != m)
			return bloc_csv_field_error(
			    rd, (size_t)sc->majority, BLOC_ENUMERIC,
			    "expected the winner's votes minus the runner-up's in %s "
			    "(%" PRId64 " - %" PRId64 " = %" PRId64 "), found %" PRId64,
			    L->name, t0, t1, t0 - t1, m);
	}
	return BLOC_OK;
}

/* Apply the summary file's electorate, valid votes and ballots to the seats loaded, and check
 * its majority against the candidates. */
static int apply_summary(bloc__load *L, const char *path)
{
	bloc_csv_reader *rd = NULL;
	summary_cols sc = {-1, -1, -1, -1, -1, -1};
	size_t s, nseats = bloc__builder_nseats(L->b), *seen;
	int rc, err;

	/* the line of each seat's summary row: a second row would silently replace the first */
	if (!(seen = bloc_calloc(nseats + 1, sizeof(size_t))))
		return bloc_error_oom("reading %s", path);
	if ((err = summary_open(&rd, path, &sc)) < 0)
		goto done;
	while ((rc = bloc_csv_next(rd)) > 0) {
		if (bloc_csv_nfields(rd) != bloc_csv_ncols(rd)) {
			err = bloc_error_set(
			    BLOC_EPARSE,
			    "%s:%zu:1: expected %zu fields as in the header, found %zu", path,
			    bloc_csv_line(rd), bloc_csv_ncols(rd), bloc_csv_nfields(rd));
			goto done;
		}
		if ((s = summary_seat(L, rd, &sc)) == nseats)
			continue;
		if (seen[s]) {
			err = bloc_csv_field_error(rd, (size_t)sc.code, BLOC_EPARSE,
			                           "expected one summary row for seat %s, found "
			                           "another (first on line %zu)",
			                           L->seat[s].code, seen[s]);
			goto done;
		}
		seen[s] = bloc_csv_line(rd);
		if ((err = summary_apply_row(L, rd, &sc, path, s)) < 0)
			goto done;
	}
	err = rc < 0 ? rc : BLOC_OK;
done:
	bloc_csv_close(rd);
	bloc_free(seen);
	return err;
}

/* ---- the loader --------------------------------------------------------------------------- */

typedef struct {
	int code, name, region, nation, date, contest, party, party_name, label, first, last, full,
	    votes, electorate, valid, invalid;
} long_cols;

/* A seat figure repeated on every row: the first row sets it, later rows must agree. */
static int seat_figure(bloc__load *L, int col, size_t seat, int created, int64_t *slot,
                       const char *what)
{
	int64_t v;
	int err;

	if (col < 0)
		return BLOC_OK;
	if ((err = bloc__load_count(L, col, &v)) < 0)
		return err;
	if (created) {
		*slot = v;
		return BLOC_OK;
	}
	if (v != *slot)
		return bloc_csv_field_error(L->rd, (size_t)col, BLOC_ENUMERIC,
		                            "expected the same %s as on line %zu (%" PRId64
		                            "), found %" PRId64,
		                            what, L->seat[seat].line, *slot, v);
	return BLOC_OK;
}

/* The contest column: every row names the same contest (or none), the first one seen. */
static inline int check_contest_id(bloc__load *L, const long_cols *c, size_t *file_id_line)
{
	bloc_csv_reader *rd = L->rd;
	const char *id;

	if (c->contest < 0)
		return BLOC_OK;
	if (!(id = bloc__load_trim(L, BLOC__SLOT_AUX, bloc_csv_field(rd, (size_t)c->contest))))
		return BLOC_ENOMEM;
	if (*id && !L->file_id) {
		if (!(L->file_id = bloc_strdup(id)))
			return bloc_error_set(BLOC_ENOMEM, "out of memory reading %s", L->name);
		*file_id_line = bloc_csv_line(rd);
	} else if (*id && strcmp(id, L->file_id) != 0) {
		return bloc_csv_field_error(rd, (size_t)c->contest, BLOC_EPARSE,
		                            "expected one contest per file ('%.40s', as on "
		                            "line %zu), found '%.40s'; load one with a filter "
		                            "such as contest=%.40s",
		                            L->file_id, *file_id_line, id, id);
	}
	return BLOC_OK;
}

/* The candidate's party (the abbreviation, else the full name) and its label as written: an
 * explicit label, else the full party name, else the abbreviation. */
static inline int read_party(bloc__load *L, const long_cols *c, bloc_party *party,
                             const char **label)
{
	bloc_csv_reader *rd = L->rd;
	const char *primary, *fallback = NULL;
	size_t n;
	int err;

	primary = bloc_csv_field(rd, (size_t)c->party);
	if (c->party_name >= 0)
		fallback = bloc_csv_field(rd, (size_t)c->party_name);
	bloc__trim_span(primary, &n);
	if (n == 0 && fallback) {
		primary = fallback;
		bloc__trim_span(primary, &n);
	}
	if (n == 0)
		return bloc_csv_field_error(rd, (size_t)c->party, BLOC_EPARSE,
		                            "expected a party, found an empty field");
	if ((err = bloc__load_party(L, primary, fallback, party)) < 0)
		return err;
	*label = NULL;
	if (c->label >= 0 &&
	    !(*label = bloc__load_trim(L, BLOC__SLOT_LABEL, bloc_csv_field(rd, (size_t)c->label))))
		return BLOC_ENOMEM;
	if ((!*label || !**label) && fallback &&
	    !(*label = bloc__load_trim(L, BLOC__SLOT_LABEL, fallback)))
		return BLOC_ENOMEM;
	if ((!*label || !**label) && !(*label = bloc__load_trim(L, BLOC__SLOT_LABEL, primary)))
		return BLOC_ENOMEM;
	return BLOC_OK;
}

/* The candidate's name ("" where the format has none); in the canonical format the aggregate's
 * name marks the row as the aggregate. */
static inline int read_name(bloc__load *L, const long_spec *sp, const long_cols *c,
                            const char **name, unsigned *flags)
{
	bloc_csv_reader *rd = L->rd;

	*name = "";
	*flags = 0;
	if (c->full >= 0)
		*name = bloc__load_trim(L, BLOC__SLOT_NAME, bloc_csv_field(rd, (size_t)c->full));
	else if (c->first >= 0 && c->last >= 0)
		*name = bloc__load_join(L, BLOC__SLOT_NAME, bloc_csv_field(rd, (size_t)c->first),
		                        bloc_csv_field(rd, (size_t)c->last));
	if (!*name)
		return BLOC_ENOMEM;
	if (sp->canonical && strcmp(*name, AGGREGATE_NAME) == 0) {
		*flags = BLOC_CAND_AGGREGATE;
		*name = "";
	}
	return BLOC_OK;
}

/* One candidate: the seat and its figures, the contest, the party, the name and the votes. */
static int load_row(bloc__load *L, const long_spec *sp, const long_cols *c, size_t *file_id_line)
{
	const char *label = NULL, *name = "";
	bloc_party party;
	unsigned flags;
	int64_t votes;
	size_t seat;
	int created, err;

	if ((err = bloc__load_seat(L, c->code, c->name, c->region, c->nation, sp->norm_region, 0,
	                           &seat, &created)) < 0)
		return err;
	if ((err = bloc__load_date(L, c->date, seat)) < 0)
		return err;
	if ((err = check_contest_id(L, c, file_id_line)) < 0)
		return err;
	if ((err = seat_figure(L, c->electorate, seat, created, &L->seat[seat].electorate,
	                       "electorate")) < 0 ||
	    (err = seat_figure(L, c->valid, seat, created, &L->seat[seat].valid, "valid votes")) <
	        0 ||
	    (err = seat_figure(L, c->invalid, seat, created, &L->seat[seat].invalid,
	                       "invalid votes")) < 0)
		return err;
	if ((err = read_party(L, c, &party, &label)) < 0 ||
	    (err = read_name(L, sp, c, &name, &flags)) < 0)
		return err;
	if ((err = bloc__load_candidate_once(L,
	                                     c->full >= 0    ? c->full
	                                     : c->first >= 0 ? c->first
	                                                     : c->party,
	                                     seat, party, label, name, flags)) < 0)
		return err;
	if ((err = bloc__load_votes(L, c->votes, 0, &votes)) < 0)
		return err;
	if (!(flags & BLOC_CAND_AGGREGATE))
		bloc__load_track(L, seat, votes);
	return bloc__builder_candidate(L->b, seat, party, label, name, votes, flags);
}

int bloc__load_long(bloc__load *L)
{
	const long_spec *sp = L->fmt->spec;
	long_cols c;
	size_t s, nseats, file_id_line = 0;
	int rc, err;

	c.code = bloc__load_col(L, sp->code);
	c.name = bloc__load_col(L, sp->name);
	c.region = bloc__load_col(L, sp->region);
	c.nation = bloc__load_col(L, sp->nation);
	c.date = bloc__load_col(L, sp->date);
	c.contest = bloc__load_col(L, sp->contest);
	c.party = bloc__load_col(L, sp->party);
	c.party_name = bloc__load_col(L, sp->party_name);
	c.label = bloc__load_col(L, sp->label);
	c.first = bloc__load_col(L, sp->first);
	c.last = bloc__load_col(L, sp->last);
	c.full = bloc__load_col(L, sp->full);
	c.votes = bloc__load_col(L, sp->votes);
	c.electorate = bloc__load_col(L, sp->electorate);
	c.valid = bloc__load_col(L, sp->valid);
	c.invalid = bloc__load_col(L, sp->invalid);

	while ((rc = bloc__load_next(L)) > 0)
		if ((err = load_row(L, sp, &c, &file_id_line)) < 0)
			return err;
	if (rc < 0)
		return rc;
	if (sp->by_summary && L->opts->by_election_summary && *L->opts->by_election_summary &&
	    (err = apply_summary(L, L->opts->by_election_summary)) < 0)
		return err;
	nseats = bloc__builder_nseats(L->b);
	for (s = 0; s < nseats; s++) {
		/* an aggregate is never a winner, so a seat needs one real candidate */
		if (L->seat[s].top[0] < 0)
			return bloc_error_set(BLOC_EPARSE,
			                      "%s:%zu:1: seat %s: expected at least one candidate "
			                      "besides '" AGGREGATE_NAME "', found none",
			                      L->name, L->seat[s].line, L->seat[s].code);
		bloc__builder_seat_figures(L->b, s, L->seat[s].electorate, L->seat[s].valid,
		                           L->seat[s].invalid);
	}
	return BLOC_OK;
}
