/* House of Commons Library "wide" results: one row per seat, one vote column per party, and a
 * lump "All other candidates" (with "Of which other winner" where the winner is in the lump).
 *
 * Each party column with votes becomes one candidate. The lump is split: a winner or runner-up
 * whose party has no column (the Speaker, independents, TUV, Workers Party ...) becomes a real
 * candidate of that party - the winner's votes are "Of which other winner", a runner-up's are the
 * winner's minus the majority - and what remains stays one aggregate candidate of party OTH. The
 * row is then cross-checked: the columns add up to the valid votes, which are not above the
 * electorate, and the majority is the winner's votes minus the runner-up's. */
#include "io.h"

#include "bloc/error.h"

#include <inttypes.h>
#include <string.h>

typedef struct {
	const char *code, *name, *region, *nation, *date;
	const char *electorate, *valid, *invalid, *majority, *first, *second;
	const char *other, *other_winner;                     /* other_winner may be NULL */
	const char *member_first, *member_last, *member_full; /* optional: the winner's name */
	const char *const *parties;                           /* party vote columns */
	/* valid votes above the columns' sum are kept as an aggregate "in no column" rather than
	 * refused (CBP-8280 is a hand-compiled table: Newport West 2019 has 300 valid votes more
	 * than its columns, and the official count agrees with its valid votes) */
	int unattributed_ok;
} wide_spec;

#define UNATTRIBUTED "(valid votes in no column)"

#define MAXP 24 /* party columns in a spec, plus the split-out winner and runner-up */

/* ---- the formats -------------------------------------------------------------------------- */

/* The columns each format requires (and that recognise it): seat fields, then party columns. */
#define SEAT_SNAKE                                                                                 \
	"ons_id", "constituency_name", "region_name", "country_name", "first_party",               \
	    "second_party", "electorate", "valid_votes", "invalid_votes", "majority"
#define SEAT_TITLE                                                                                 \
	"ONS ID", "Constituency name", "Region name", "Country name", "First party",               \
	    "Second party", "Electorate", "Valid votes", "Invalid votes", "Majority"

static const char *const parties_2017[] = {"con", "lab", "ld",   "ukip", "green",    "snp", "pc",
                                           "dup", "sf",  "sdlp", "uup",  "alliance", NULL};
static const char *const cols_2017[] = {SEAT_SNAKE, "con",   "lab",          "ld", "ukip", "green",
                                        "snp",      "pc",    "dup",          "sf", "sdlp", "uup",
                                        "alliance", "other", "other_winner", NULL};
static const wide_spec spec_2017 = {
    .code = "ons_id",
    .name = "constituency_name",
    .region = "region_name",
    .nation = "country_name",
    .electorate = "electorate",
    .valid = "valid_votes",
    .invalid = "invalid_votes",
    .majority = "majority",
    .first = "first_party",
    .second = "second_party",
    .other = "other",
    .other_winner = "other_winner",
    .parties = parties_2017,
};
const bloc__format bloc__fmt_wide_2017 = {
    .name = "hoc-constituency-wide-2017",
    .what = "HoC constituency results, snake_case columns",
    .contest = 1,
    .kind = BLOC_CONTEST_GENERAL,
    .cols = cols_2017,
    .load = bloc__load_wide,
    .spec = &spec_2017,
};

static const char *const parties_2019[] = {"Con", "Lab", "LD",   "BRX", "Green", "SNP", "PC",
                                           "DUP", "SF",  "SDLP", "UUP", "APNI",  NULL};
static const char *const cols_2019[] = {SEAT_TITLE,
                                        "Con",
                                        "Lab",
                                        "LD",
                                        "BRX",
                                        "Green",
                                        "SNP",
                                        "PC",
                                        "DUP",
                                        "SF",
                                        "SDLP",
                                        "UUP",
                                        "APNI",
                                        "All other candidates",
                                        "Of which other winner",
                                        NULL};
static const wide_spec spec_2019 = {
    .code = "ONS ID",
    .name = "Constituency name",
    .region = "Region name",
    .nation = "Country name",
    .electorate = "Electorate",
    .valid = "Valid votes",
    .invalid = "Invalid votes",
    .majority = "Majority",
    .first = "First party",
    .second = "Second party",
    .other = "All other candidates",
    .other_winner = "Of which other winner",
    .member_first = "Member first name",
    .member_last = "Member surname",
    .parties = parties_2019,
};
const bloc__format bloc__fmt_wide_2019 = {
    .name = "hoc-constituency-wide-2019",
    .what = "HoC constituency results, title-case columns with BRX",
    .contest = 1,
    .kind = BLOC_CONTEST_GENERAL,
    .cols = cols_2019,
    .load = bloc__load_wide,
    .spec = &spec_2019,
};

/* 2024: the same layout with Reform UK (RUK) in place of the Brexit Party (BRX) */
static const char *const parties_2024[] = {"Con", "Lab", "LD",   "RUK", "Green", "SNP", "PC",
                                           "DUP", "SF",  "SDLP", "UUP", "APNI",  NULL};
static const char *const cols_2024[] = {SEAT_TITLE,
                                        "Con",
                                        "Lab",
                                        "LD",
                                        "RUK",
                                        "Green",
                                        "SNP",
                                        "PC",
                                        "DUP",
                                        "SF",
                                        "SDLP",
                                        "UUP",
                                        "APNI",
                                        "All other candidates",
                                        "Of which other winner",
                                        NULL};
static const wide_spec spec_2024 = {
    .code = "ONS ID",
    .name = "Constituency name",
    .region = "Region name",
    .nation = "Country name",
    .electorate = "Electorate",
    .valid = "Valid votes",
    .invalid = "Invalid votes",
    .majority = "Majority",
    .first = "First party",
    .second = "Second party",
    .other = "All other candidates",
    .other_winner = "Of which other winner",
    .member_first = "Member first name",
    .member_last = "Member surname",
    .parties = parties_2024,
};
const bloc__format bloc__fmt_wide_2024 = {
    .name = "hoc-constituency-wide-2024",
    .what = "HoC constituency results, title-case columns with RUK",
    .contest = 1,
    .kind = BLOC_CONTEST_GENERAL,
    .cols = cols_2024,
    .load = bloc__load_wide,
    .spec = &spec_2024,
};

/* CBP-8280: one row per by-election, its own polling day, no "other winner" column */
static const char *const parties_by[] = {"con", "lab", "ld", "ukip", "green", "brexit",   "snp",
                                         "pc",  "dup", "sf", "sdlp", "uup",   "alliance", NULL};
static const char *const cols_by[] = {SEAT_SNAKE, "by-election date",
                                      "con",      "lab",
                                      "ld",       "ukip",
                                      "green",    "brexit",
                                      "snp",      "pc",
                                      "dup",      "sf",
                                      "sdlp",     "uup",
                                      "alliance", "other",
                                      NULL};
static const wide_spec spec_by = {
    .code = "ons_id",
    .name = "constituency_name",
    .region = "region_name",
    .nation = "country_name",
    .date = "by-election date",
    .electorate = "electorate",
    .valid = "valid_votes",
    .invalid = "invalid_votes",
    .majority = "majority",
    .first = "first_party",
    .second = "second_party",
    .other = "other",
    .member_full = "Name of winning candidate",
    .parties = parties_by,
    .unattributed_ok = 1,
};
const bloc__format bloc__fmt_wide_by = {
    .name = "hoc-by-election-wide",
    .what = "HoC by-election results (CBP-8280), one row per by-election",
    .contest = 1,
    .kind = BLOC_CONTEST_BY,
    .cols = cols_by,
    .load = bloc__load_wide,
    .spec = &spec_by,
};

/* ---- the loader --------------------------------------------------------------------------- */

typedef struct {
	int code, name, region, nation, date, electorate, valid, invalid, majority, first, second,
	    other, other_winner, mfirst, mlast, mfull;
	int party[MAXP];
	bloc_party pparty[MAXP];
	size_t np;
	int unattributed_ok;
} wide_cols;

static int find_cols(bloc__load *L, const wide_spec *sp, wide_cols *c)
{
	size_t j;
	int err;

	c->code = bloc__load_col(L, sp->code);
	c->name = bloc__load_col(L, sp->name);
	c->region = bloc__load_col(L, sp->region);
	c->nation = bloc__load_col(L, sp->nation);
	c->date = bloc__load_col(L, sp->date);
	c->electorate = bloc__load_col(L, sp->electorate);
	c->valid = bloc__load_col(L, sp->valid);
	c->invalid = bloc__load_col(L, sp->invalid);
	c->majority = bloc__load_col(L, sp->majority);
	c->first = bloc__load_col(L, sp->first);
	c->second = bloc__load_col(L, sp->second);
	c->other = bloc__load_col(L, sp->other);
	c->other_winner = bloc__load_col(L, sp->other_winner);
	c->mfirst = bloc__load_col(L, sp->member_first);
	c->mlast = bloc__load_col(L, sp->member_last);
	c->mfull = bloc__load_col(L, sp->member_full);
	/* each party column is resolved once per file */
	for (j = 0; sp->parties[j] && j < MAXP - 2; j++) {
		c->party[j] = bloc__load_col(L, sp->parties[j]);
		if ((err = bloc__load_party(L, bloc_csv_colname(L->rd, (size_t)c->party[j]), NULL,
		                            &c->pparty[j])) < 0)
			return err;
	}
	c->np = j;
	c->unattributed_ok = sp->unattributed_ok;
	return BLOC_OK;
}

/* Column index of party p among the party columns, or -1. */
static long column_of(const wide_cols *c, bloc_party p)
{
	size_t j;

	for (j = 0; j < c->np; j++)
		if (c->pparty[j] == p)
			return (long)j;
	return -1;
}

/* One row's figures, read and then worked out step by step. */
typedef struct {
	int64_t electorate, valid, invalid, majority, lump, owin, v[MAXP];
	int64_t wv, sv, rest, gap;
	bloc_party W, S;
	long wcol, scol;
	size_t seat;
	int has_second;
	const char *first, *winner_name;
} wide_row;

/* The seat, its date and every count of the row, checked against each other. */
static inline int read_figures(bloc__load *L, const wide_cols *c, wide_row *r)
{
	bloc_csv_reader *rd = L->rd;
	int64_t sum = 0;
	size_t j;
	int created, err;

	if ((err = bloc__load_seat(L, c->code, c->name, c->region, c->nation, 1, 1, &r->seat,
	                           &created)) < 0)
		return err;
	if ((err = bloc__load_date(L, c->date, r->seat)) < 0)
		return err;
	if ((err = bloc__load_count(L, c->electorate, &r->electorate)) < 0 ||
	    (err = bloc__load_votes(L, c->valid, 0, &r->valid)) < 0 ||
	    (err = bloc__load_count(L, c->invalid, &r->invalid)) < 0 ||
	    (err = bloc__load_votes(L, c->majority, 0, &r->majority)) < 0)
		return err;
	for (j = 0; j < c->np; j++) {
		if ((err = bloc__load_votes(L, c->party[j], 1, &r->v[j])) < 0)
			return err;
		sum += r->v[j];
	}
	if ((err = bloc__load_votes(L, c->other, 1, &r->lump)) < 0)
		return err;
	sum += r->lump;
	if (c->other_winner >= 0 && (err = bloc__load_votes(L, c->other_winner, 1, &r->owin)) < 0)
		return err;

	if (sum < r->valid && c->unattributed_ok)
		r->gap = r->valid - sum;
	else if (sum != r->valid)
		return bloc_csv_field_error(
		    rd, (size_t)c->valid, BLOC_ENUMERIC,
		    "expected the sum of the party and other columns (%" PRId64 "), found %" PRId64,
		    sum, r->valid);
	if (r->electorate >= 0 && r->valid > r->electorate)
		return bloc_csv_field_error(rd, (size_t)c->valid, BLOC_ENUMERIC,
		                            "expected at most the electorate (%" PRId64
		                            ") votes, found %" PRId64,
		                            r->electorate, r->valid);
	return BLOC_OK;
}

/* The winner's and runner-up's parties, and their party columns (-1 for none). */
static inline int read_placed(bloc__load *L, const wide_cols *c, wide_row *r)
{
	bloc_csv_reader *rd = L->rd;
	size_t n;
	int err;

	r->first = bloc_csv_field(rd, (size_t)c->first);
	if ((err = bloc__load_party(L, r->first, NULL, &r->W)) < 0)
		return err;
	bloc__trim_span(r->first, &n);
	if (n == 0)
		return bloc_csv_field_error(rd, (size_t)c->first, BLOC_EPARSE,
		                            "expected the winning party, found an empty "
		                            "field");
	bloc__trim_span(bloc_csv_field(rd, (size_t)c->second), &n);
	r->has_second = n > 0;
	if (r->has_second &&
	    (err = bloc__load_party(L, bloc_csv_field(rd, (size_t)c->second), NULL, &r->S)) < 0)
		return err;
	r->wcol = column_of(c, r->W);
	if (r->has_second)
		r->scol = column_of(c, r->S);
	return BLOC_OK;
}

/* The votes of a winner and runner-up without a column, taken out of the lump. */
static inline int split_lump(bloc__load *L, const wide_cols *c, wide_row *r)
{
	bloc_csv_reader *rd = L->rd;

	if (r->wcol >= 0) {
		r->wv = r->v[r->wcol];
		if (r->owin > 0)
			return bloc_csv_field_error(
			    rd, (size_t)c->other_winner, BLOC_ENUMERIC,
			    "expected 0 (the winner's party, %.40s, has its "
			    "own column), found %" PRId64,
			    bloc_csv_field(rd, (size_t)c->first), r->owin);
	} else if (r->owin > 0) {
		r->wv = r->owin;
	} else if (r->scol >= 0) {
		r->wv = r->v[r->scol] + r->majority;
	} else {
		return bloc_csv_field_error(
		    rd, (size_t)(c->other_winner >= 0 ? c->other_winner : c->first), BLOC_ENUMERIC,
		    "expected the votes of the winner '%.40s' (whose party has "
		    "no column), found none",
		    bloc_csv_field(rd, (size_t)c->first));
	}
	if (r->has_second && r->scol < 0) {
		r->sv = r->wv - r->majority;
		if (r->sv < 0)
			return bloc_csv_field_error(rd, (size_t)c->majority, BLOC_ENUMERIC,
			                            "expected at most the winner's votes (%" PRId64
			                            "), found %" PRId64,
			                            r->wv, r->majority);
	}
	r->rest = r->lump - (r->wcol < 0 ? r->wv : 0) - (r->has_second && r->scol < 0 ? r->sv : 0);
	if (r->rest < 0)
		return bloc_csv_field_error(
		    rd, (size_t)c->other, BLOC_ENUMERIC,
		    "expected at least the votes of the winner and runner-up "
		    "without a column of their own (%" PRId64 "), found %" PRId64,
		    r->lump - r->rest, r->lump);
	return BLOC_OK;
}

/* The winner's name from the member columns, "" where the format has none. */
static inline int read_winner_name(bloc__load *L, const wide_cols *c, wide_row *r)
{
	bloc_csv_reader *rd = L->rd;

	r->winner_name = "";
	if (c->mfull >= 0)
		r->winner_name =
		    bloc__load_trim(L, BLOC__SLOT_NAME, bloc_csv_field(rd, (size_t)c->mfull));
	else if (c->mfirst >= 0 && c->mlast >= 0)
		r->winner_name =
		    bloc__load_join(L, BLOC__SLOT_NAME, bloc_csv_field(rd, (size_t)c->mfirst),
		                    bloc_csv_field(rd, (size_t)c->mlast));
	if (!r->winner_name)
		return BLOC_ENOMEM;
	return BLOC_OK;
}

/* The row's candidates: party columns, split-out winner and runner-up, then the aggregates;
 * the real ones are checked against the majority and the winner. */
static inline int add_candidates(bloc__load *L, const wide_cols *c, const wide_row *r)
{
	bloc_csv_reader *rd = L->rd;
	int64_t real_v[MAXP];
	bloc_party real_p[MAXP];
	size_t j, nreal = 0;
	const char *label;
	int err;

	for (j = 0; j < c->np; j++) {
		if (r->v[j] == 0)
			continue;
		if ((err = bloc__builder_candidate(
		         L->b, r->seat, c->pparty[j], bloc_csv_colname(rd, (size_t)c->party[j]),
		         (long)j == r->wcol ? r->winner_name : "", r->v[j], 0)) < 0)
			return err;
		real_p[nreal] = c->pparty[j];
		real_v[nreal++] = r->v[j];
	}
	if (r->wcol < 0) {
		if (!(label = bloc__load_trim(L, BLOC__SLOT_LABEL, r->first)))
			return BLOC_ENOMEM;
		if ((err = bloc__builder_candidate(L->b, r->seat, r->W, label, r->winner_name,
		                                   r->wv, 0)) < 0)
			return err;
		real_p[nreal] = r->W;
		real_v[nreal++] = r->wv;
	}
	if (r->has_second && r->scol < 0) {
		if (!(label = bloc__load_trim(L, BLOC__SLOT_LABEL,
		                              bloc_csv_field(rd, (size_t)c->second))))
			return BLOC_ENOMEM;
		if ((err = bloc__builder_candidate(L->b, r->seat, r->S, label, "", r->sv, 0)) < 0)
			return err;
		real_p[nreal] = r->S;
		real_v[nreal++] = r->sv;
	}
	if (r->rest > 0 && (err = bloc__builder_candidate(L->b, r->seat, bloc_party_oth(),
	                                                  bloc_csv_colname(rd, (size_t)c->other),
	                                                  "", r->rest, BLOC_CAND_AGGREGATE)) < 0)
		return err;
	if (r->gap > 0 &&
	    (err = bloc__builder_candidate(L->b, r->seat, bloc_party_oth(), UNATTRIBUTED, "",
	                                   r->gap, BLOC_CAND_AGGREGATE)) < 0)
		return err;
	if (nreal == 0)
		return bloc_csv_field_error(rd, (size_t)c->valid, BLOC_ENUMERIC,
		                            "expected votes for at least one candidate outside the "
		                            "'%s' lump, found none",
		                            bloc_csv_colname(rd, (size_t)c->other));
	return bloc__load_check_result(L, real_p, real_v, nreal, r->majority, c->majority, r->W,
	                               c->first);
}

/* One seat: its figures, the placed parties, the lump split, the candidates. */
static int load_row(bloc__load *L, const wide_cols *c)
{
	wide_row r;
	int err;

	r.owin = -1;
	r.wv = r.sv = r.gap = 0;
	r.S = BLOC_PARTY_NONE;
	r.scol = -1;
	if ((err = read_figures(L, c, &r)) < 0 || (err = read_placed(L, c, &r)) < 0 ||
	    (err = split_lump(L, c, &r)) < 0 || (err = read_winner_name(L, c, &r)) < 0 ||
	    (err = add_candidates(L, c, &r)) < 0)
		return err;
	bloc__builder_seat_figures(L->b, r.seat, r.electorate, r.valid, r.invalid);
	return BLOC_OK;
}

int bloc__load_wide(bloc__load *L)
{
	wide_cols c;
	int rc, err;

	if ((err = find_cols(L, L->fmt->spec, &c)) < 0)
		return err;
	while ((rc = bloc__load_next(L)) > 0)
		if ((err = load_row(L, &c)) < 0)
			return err;
	return rc;
}
