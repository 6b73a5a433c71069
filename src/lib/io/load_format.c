/* Loading a results file: the format table, recognising a format from its header, and the
 * helpers every loader shares (rows, votes, seats, dates, party labels). */
#include "io.h"

#include "bloc/error.h"
#include "../core/alloc.h"
#include "../util/hash.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Formats that describe elections but are not contests (no votes by candidate or party). */
static const char *const cols_summary[] = {
    "election_date", "ons_id",      "previous_general_election",
    "electorate",    "valid_votes", "ballots_verified",
    "majority",      NULL};
static const char *const cols_changes[] = {"date",
                                           "constituency",
                                           "previous_general_election",
                                           "con_share_change",
                                           "lab_share_change",
                                           "turnout",
                                           NULL};

static const bloc__format fmt_summary = {
    .name = "key-by-election-summary",
    .what = "by-election summaries (electorate, turnout and majority; no votes by candidate): "
            "give it as the by-election summary when loading key-by-election-candidates",
    .kind = -1,
    .cols = cols_summary,
};
static const bloc__format fmt_changes = {
    .name = "hoc-by-election-changes",
    .what = "by-election share changes since the previous general election (no vote counts)",
    .kind = -1,
    .cols = cols_changes,
};

static const bloc__format *const formats[] = {
    &bloc__fmt_wide_2017,     &bloc__fmt_wide_2019, &bloc__fmt_wide_2024, &bloc__fmt_wide_by,
    &bloc__fmt_long_hoc,      &bloc__fmt_long_2024, &bloc__fmt_notional,  &bloc__fmt_long_key_by,
    &bloc__fmt_long_previous, &bloc__fmt_canonical, &fmt_summary,         &fmt_changes,
};
#define NFORMATS (sizeof(formats) / sizeof(formats[0]))

static const bloc__format *format_named(const char *name)
{
	size_t i;

	/* "canonical" is accepted for bloc's own format */
	if (name && strcmp(name, "canonical") == 0)
		name = bloc__fmt_canonical.name;
	for (i = 0; name && i < NFORMATS; i++)
		if (strcmp(formats[i]->name, name) == 0)
			return formats[i];
	return NULL;
}

int bloc_format_is_contest(const char *format)
{
	const bloc__format *f = format_named(format);

	return f && f->contest;
}

/* ---- small string helpers ---------------------------------------------------------------- */

const char *bloc__trim_span(const char *s, size_t *len)
{
	size_t n = strlen(s);

	while (n && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	*len = n;
	return s;
}

/* Room for n bytes in scratch slot `slot`; NULL with the message set (so the callers of
 * bloc__load_trim/bloc__load_join return BLOC_ENOMEM without setting one). */
static char *slot_reserve(bloc__load *L, int slot, size_t n)
{
	if (n > L->bufcap[slot] && bloc__grow((void **)&L->buf[slot], &L->bufcap[slot], n, 1) < 0) {
		bloc_error_oom("reading %s:%zu (a field of %zu bytes)", L->name,
		               L->rd ? bloc_csv_line(L->rd) : (size_t)0, n);
		return NULL;
	}
	return L->buf[slot];
}

const char *bloc__load_trim(bloc__load *L, int slot, const char *s)
{
	size_t n;
	const char *t = bloc__trim_span(s, &n);
	char *d = slot_reserve(L, slot, n + 1);

	if (!d)
		return NULL;
	memcpy(d, t, n);
	d[n] = '\0';
	return d;
}

const char *bloc__load_join(bloc__load *L, int slot, const char *first, const char *last)
{
	size_t n1, n2;
	const char *a = bloc__trim_span(first, &n1), *b = bloc__trim_span(last, &n2);
	char *d = slot_reserve(L, slot, n1 + n2 + 2);

	if (!d)
		return NULL;
	memcpy(d, a, n1);
	if (n1 && n2)
		d[n1++] = ' ';
	memcpy(d + n1, b, n2);
	d[n1 + n2] = '\0';
	return d;
}

/* Header names match ignoring ASCII case, with '_' and ' ' the same (the HoC files spell the
 * same column "ons_id" and "ONS ID"). The reader has already trimmed header names. */
static int same_colname(const char *h, const char *want)
{
	for (; *h && *want; h++, want++) {
		unsigned char a = (unsigned char)*h, b = (unsigned char)*want;
		if (a == '_')
			a = ' ';
		if (b == '_')
			b = ' ';
		if (a >= 'A' && a <= 'Z')
			a = (unsigned char)(a - 'A' + 'a');
		if (b >= 'A' && b <= 'Z')
			b = (unsigned char)(b - 'A' + 'a');
		if (a != b)
			return 0;
	}
	return *h == '\0' && *want == '\0';
}

static int find_col(const bloc_csv_reader *rd, const char *name, int from)
{
	size_t i, n = bloc_csv_ncols(rd);

	for (i = (size_t)from; i < n; i++)
		if (same_colname(bloc_csv_colname(rd, i), name))
			return (int)i;
	return -1;
}

int bloc__load_col(const bloc__load *L, const char *name)
{
	return name ? find_col(L->rd, name, 0) : -1;
}

/* ---- rows and values --------------------------------------------------------------------- */

int bloc__load_next(bloc__load *L)
{
	int rc;

	for (;;) {
		size_t nf;
		if ((rc = bloc_csv_next(L->rd)) <= 0)
			return rc;
		nf = bloc_csv_nfields(L->rd);
		if (nf != L->ncols) {
			size_t last = nf ? nf - 1 : 0;
			if (nf < L->ncols)
				return bloc_error_set(
				    BLOC_EPARSE,
				    "%s:%zu:%zu: expected %zu fields as in the header, found %zu "
				    "(the row stops at column '%.60s'; is it truncated?)",
				    L->name, bloc_csv_field_line(L->rd, last),
				    bloc_csv_column(L->rd, last), L->ncols, nf,
				    bloc_csv_colname(L->rd, last));
			return bloc_error_set(
			    BLOC_EPARSE,
			    "%s:%zu:%zu: expected %zu fields as in the header, found "
			    "%zu (an unquoted comma?)",
			    L->name, bloc_csv_field_line(L->rd, L->ncols),
			    bloc_csv_column(L->rd, L->ncols), L->ncols, nf);
		}
		if (L->filter_col >= 0) {
			size_t n;
			const char *v =
			    bloc__trim_span(bloc_csv_field(L->rd, (size_t)L->filter_col), &n);
			if (n != strlen(L->filter_value) || memcmp(v, L->filter_value, n) != 0)
				continue;
		}
		L->rows_kept++;
		return 1;
	}
}

int bloc__load_votes(bloc__load *L, int col, int blank_zero, int64_t *out)
{
	int64_t v = 0;
	int rc = bloc_csv_field_i64(L->rd, (size_t)col, &v);

	if (rc == BLOC_ENOTFOUND) {
		if (blank_zero) {
			*out = 0;
			return BLOC_OK;
		}
		return bloc_csv_field_error(L->rd, (size_t)col, BLOC_EPARSE,
		                            "expected a number of votes, found an empty field");
	}
	if (rc == BLOC_EPARSE)
		return bloc_csv_field_error(L->rd, (size_t)col, BLOC_EPARSE,
		                            "expected a whole number of votes, found '%.40s'",
		                            bloc_csv_field(L->rd, (size_t)col));
	if (rc < 0)
		return rc;
	if (v < 0)
		return bloc_csv_field_error(L->rd, (size_t)col, BLOC_ENUMERIC,
		                            "expected a number of votes (0 or more), found '%.40s'",
		                            bloc_csv_field(L->rd, (size_t)col));
	if (v > BLOC_MAX_CANDIDATE_VOTES)
		return bloc_csv_field_error(
		    L->rd, (size_t)col, BLOC_ENUMERIC, "expected at most %lld votes, found '%.40s'",
		    (long long)BLOC_MAX_CANDIDATE_VOTES, bloc_csv_field(L->rd, (size_t)col));
	*out = v;
	return BLOC_OK;
}

int bloc__load_count(bloc__load *L, int col, int64_t *out)
{
	int64_t v = -1;
	int rc;

	*out = -1;
	if (col < 0)
		return BLOC_OK;
	rc = bloc_csv_field_i64(L->rd, (size_t)col, &v);
	if (rc == BLOC_ENOTFOUND)
		return BLOC_OK;
	if (rc < 0)
		return rc;
	if (v < 0 || v > BLOC__COUNT_MAX)
		return bloc_csv_field_error(L->rd, (size_t)col, BLOC_ENUMERIC,
		                            "expected a count from 0 to %" PRId64 ", found '%.40s'",
		                            BLOC__COUNT_MAX, bloc_csv_field(L->rd, (size_t)col));
	*out = v;
	return BLOC_OK;
}

/* ---- seats ------------------------------------------------------------------------------- */

/* ONS region names, and the spellings and abbreviations the source files use for them. */
static const struct {
	const char *alias, *name;
} regions[] = {
    {"East", "East of England"},
    {"East Midlands", "East Midlands"},
    {"East of England", "East of England"},
    {"EE", "East of England"},
    {"EM", "East Midlands"},
    {"GL", "London"},
    {"London", "London"},
    {"NE", "North East"},
    {"NI", "Northern Ireland"},
    {"North East", "North East"},
    {"North West", "North West"},
    {"Northern Ireland", "Northern Ireland"},
    {"NW", "North West"},
    {"SC", "Scotland"},
    {"Scotland", "Scotland"},
    {"SE", "South East"},
    {"South East", "South East"},
    {"South West", "South West"},
    {"SW", "South West"},
    {"WA", "Wales"},
    {"Wales", "Wales"},
    {"West Midlands", "West Midlands"},
    {"WM", "West Midlands"},
    {"YH", "Yorkshire and The Humber"},
    {"Yorkshire and The Humber", "Yorkshire and The Humber"},
};

static const char *region_name(const char *r)
{
	size_t i;

	for (i = 0; i < sizeof(regions) / sizeof(regions[0]); i++)
		if (strcasecmp(r, regions[i].alias) == 0)
			return regions[i].name;
	return r;
}

/* The nation of a GSS code (E14000530 -> England), or "" if it is not one. */
static const char *nation_of_code(const char *code)
{
	size_t i;

	for (i = 1; i < 9; i++)
		if (code[i] < '0' || code[i] > '9')
			return "";
	if (code[9] != '\0')
		return "";
	switch (code[0]) {
	case 'E':
		return "England";
	case 'W':
		return "Wales";
	case 'S':
		return "Scotland";
	case 'N':
		return "Northern Ireland";
	default:
		return "";
	}
}

static int grow_seats(bloc__load *L, size_t idx)
{
	size_t old = L->seat_cap, i;
	int err;

	if (idx < L->seat_cap)
		return BLOC_OK;
	if ((err = bloc__grow((void **)&L->seat, &L->seat_cap, idx + 1, sizeof(*L->seat))) < 0)
		return err;
	for (i = old; i < L->seat_cap; i++)
		memset(&L->seat[i], 0, sizeof(L->seat[i]));
	return BLOC_OK;
}

/* The current row's seat name, region and nation (scratch slots 1-3); columns may be -1. */
static int seat_fields(bloc__load *L, const int col[3], int norm_region, const char *code,
                       const char *out[3])
{
	int i;

	for (i = 0; i < 3; i++) {
		out[i] = "";
		if (col[i] >= 0 &&
		    !(out[i] = bloc__load_trim(L, 1 + i, bloc_csv_field(L->rd, (size_t)col[i]))))
			return BLOC_ENOMEM;
	}
	if (col[1] >= 0 && norm_region)
		out[1] = region_name(out[1]);
	if (!*out[2])
		out[2] = nation_of_code(code);
	return BLOC_OK;
}

/* A further row of seat `idx` in a long file: it must follow the seat's other rows and give the
 * same name, region and nation. */
static int seat_again(bloc__load *L, int code_col, const int col[3], int norm_region, size_t idx)
{
	static const char *const what[3] = {"name", "region", "nation"};
	bloc__seat_info *si = &L->seat[idx];
	const char *f[3], *had[3];
	int i, err;

	if (L->cur_seat != idx)
		return bloc_csv_field_error(
		    L->rd, (size_t)code_col, BLOC_EPARSE,
		    "expected each seat's rows together, found seat %.40s again (first on line "
		    "%zu, last on line %zu, other seats' rows since): is a seat repeated?",
		    si->code, si->line, si->last_line);
	if ((err = seat_fields(L, col, norm_region, si->code, f)) < 0)
		return err;
	had[0] = si->name;
	had[1] = si->region;
	had[2] = si->nation;
	for (i = 0; i < 3; i++)
		if (col[i] >= 0 && strcmp(f[i], had[i]) != 0)
			return bloc_csv_field_error(
			    L->rd, (size_t)col[i], BLOC_EPARSE,
			    "expected seat %.40s's %s as on line %zu ('%.60s'), found '%.60s'",
			    si->code, what[i], si->line, had[i], f[i]);
	si->last_line = bloc_csv_line(L->rd);
	return BLOC_OK;
}

/* Record a new seat's bookkeeping (and, for long files, its fields to check later rows by). */
static int seat_new(bloc__load *L, size_t idx, const char *code, const char *const f[3])
{
	bloc__seat_info *si;
	int err;

	if ((err = grow_seats(L, idx)) < 0)
		return err;
	si = &L->seat[idx];
	si->line = si->last_line = bloc_csv_line(L->rd);
	si->top[0] = si->top[1] = -1;
	si->electorate = si->valid = si->invalid = -1;
	L->cur_seat = idx;
	if (!(si->code = bloc_strdup(code)) || !(si->name = bloc_strdup(f[0])) ||
	    !(si->region = bloc_strdup(f[1])) || !(si->nation = bloc_strdup(f[2])))
		return bloc_error_oom("reading %s", L->name);
	return BLOC_OK;
}

int bloc__load_seat(bloc__load *L, int code_col, int name_col, int region_col, int nation_col,
                    int norm_region, int unique, size_t *idx, int *created)
{
	const int col[3] = {name_col, region_col, nation_col};
	const char *code, *f[3];
	size_t i;
	int err;

	if (!(code = bloc__load_trim(L, 0, bloc_csv_field(L->rd, (size_t)code_col))))
		return BLOC_ENOMEM;
	if (!*code)
		return bloc_csv_field_error(L->rd, (size_t)code_col, BLOC_EPARSE,
		                            "expected a seat code, found an empty field");
	for (i = 0; i < L->ncorr; i++) {
		if (strcmp(code, L->corr_from[i]) == 0) {
			code = L->corr_to[i];
			break;
		}
	}
	if (!unique) {
		/* long formats repeat the seat on every candidate's row */
		long known = bloc__builder_find_seat(L->b, code);
		if (known >= 0) {
			*idx = (size_t)known;
			*created = 0;
			return seat_again(L, code_col, col, norm_region, (size_t)known);
		}
	}
	if ((err = seat_fields(L, col, norm_region, code, f)) < 0)
		return err;
	if ((err = bloc__builder_seat(L->b, code, f[0], f[1], f[2], bloc_csv_line(L->rd), idx,
	                              created)) < 0)
		return err;
	if (!*created)
		return bloc_csv_field_error(L->rd, (size_t)code_col, BLOC_EPARSE,
		                            "expected each seat on one row, found seat %.40s "
		                            "again (first on line %zu)",
		                            code, L->seat[*idx].line);
	return seat_new(L, *idx, code, f);
}

/* Whether d is a calendar date YYYY-MM-DD (leap years by the Gregorian rule). */
static int is_calendar_date(const char *d)
{
	static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int i, y, m, day;

	for (i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? d[i] != '-' : (d[i] < '0' || d[i] > '9'))
			return 0;
	if (d[10] != '\0')
		return 0;
	y = (d[0] - '0') * 1000 + (d[1] - '0') * 100 + (d[2] - '0') * 10 + (d[3] - '0');
	m = (d[5] - '0') * 10 + (d[6] - '0');
	day = (d[8] - '0') * 10 + (d[9] - '0');
	if (y < 1 || m < 1 || m > 12 || day < 1)
		return 0;
	if (m == 2 && (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
		return day <= 29;
	return day <= mdays[m - 1];
}

int bloc__load_date(bloc__load *L, int col, size_t seat)
{
	const char *d;

	if (col < 0)
		return BLOC_OK;
	if (!(d = bloc__load_trim(L, BLOC__SLOT_AUX, bloc_csv_field(L->rd, (size_t)col))))
		return BLOC_ENOMEM;
	if (!*d)
		return BLOC_OK;
	if (!is_calendar_date(d))
		return bloc_csv_field_error(L->rd, (size_t)col, BLOC_EPARSE,
		                            "expected a polling day as a calendar date YYYY-MM-DD "
		                            "(such as 2024-07-04), found '%.40s'",
		                            d);
	if (bloc__builder_first_date(L->b, d) < 0)
		return BLOC_ENOMEM;
	if (L->date_state == 0) {
		if (!(L->date = bloc_strdup(d)))
			return bloc_error_set(BLOC_ENOMEM, "out of memory reading %s", L->name);
		L->date_state = 1;
		L->date_line = bloc_csv_field_line(L->rd, (size_t)col);
		L->date_col = bloc_csv_column(L->rd, (size_t)col);
	} else if (L->date_state == 1 && strcmp(L->date, d) != 0) {
		L->date_state = 2;
	}
	if (seat != (size_t)-1) {
		bloc__seat_info *s = &L->seat[seat];
		if (!s->date) {
			if (!(s->date = bloc_strdup(d)))
				return bloc_error_set(BLOC_ENOMEM, "out of memory reading %s",
				                      L->name);
		} else if (strcmp(s->date, d) != 0) {
			return bloc_csv_field_error(
			    L->rd, (size_t)col, BLOC_EPARSE,
			    "expected one polling day per seat (%.20s, as on line %zu), found "
			    "'%.20s'; load one election with a filter such as %s=%.20s",
			    s->date, s->line, d, bloc_csv_colname(L->rd, (size_t)col), d);
		}
	}
	return BLOC_OK;
}

int bloc__load_check_result(bloc__load *L, const bloc_party *party, const int64_t *votes, size_t n,
                            int64_t majority, int maj_col, bloc_party winner, int win_col)
{
	size_t k, top = 0;
	int64_t second = -1;

	if (n == 0)
		return BLOC_OK;
	for (k = 1; k < n; k++)
		if (votes[k] > votes[top])
			top = k;
	for (k = 0; k < n; k++)
		if (k != top && votes[k] > second)
			second = votes[k];
	if (majority != votes[top] - (second < 0 ? 0 : second)) {
		if (second < 0)
			return bloc_csv_field_error(L->rd, (size_t)maj_col, BLOC_ENUMERIC,
			                            "expected the only candidate's votes (%" PRId64
			                            "), found %" PRId64,
			                            votes[top], majority);
		return bloc_csv_field_error(
		    L->rd, (size_t)maj_col, BLOC_ENUMERIC,
		    "expected the winner's votes minus the runner-up's (%" PRId64 " - %" PRId64
		    " = %" PRId64 "), found %" PRId64,
		    votes[top], second, votes[top] - second, majority);
	}
	if (winner != BLOC_PARTY_NONE && votes[top] != second && party[top] != winner)
		return bloc_csv_field_error(L->rd, (size_t)win_col, BLOC_ENUMERIC,
		                            "expected the party with most votes (%s, %" PRId64
		                            " votes), found '%.40s'",
		                            bloc_party_code(party[top]), votes[top],
		                            bloc_csv_field(L->rd, (size_t)win_col));
	return BLOC_OK;
}

void bloc__load_track(bloc__load *L, size_t seat, int64_t votes)
{
	int64_t *t = L->seat[seat].top;

	if (votes > t[0]) {
		t[1] = t[0];
		t[0] = votes;
	} else if (votes > t[1]) {
		t[1] = votes;
	}
}

/* ---- party labels ------------------------------------------------------------------------ */

static int labels_rehash(bloc__load *L)
{
	size_t ncap = L->labels_cap ? L->labels_cap * 2 : 64, i;
	bloc__label_slot *nt = bloc_calloc(ncap, sizeof(*nt));

	if (!nt)
		return bloc_error_set(BLOC_ENOMEM, "out of memory reading %s", L->name);
	for (i = 0; i < L->labels_cap; i++) {
		size_t h;
		if (!L->labels[i].key)
			continue;
		for (h = bloc__hash_str(L->labels[i].key) & (ncap - 1); nt[h].key;
		     h = (h + 1) & (ncap - 1))
			;
		nt[h] = L->labels[i];
	}
	bloc_free(L->labels);
	L->labels = nt;
	L->labels_cap = ncap;
	return BLOC_OK;
}

int bloc__load_party(bloc__load *L, const char *primary, const char *fallback, bloc_party *out)
{
	const char *key;
	size_t h;
	bloc_party p;
	int err;

	if (!fallback)
		fallback = "";
	/* key "primary\x1ffallback" */
	if (!(key = bloc__load_join(L, BLOC__SLOT_AUX, primary, "")))
		return BLOC_ENOMEM;
	{
		size_t n1 = strlen(key), n2 = strlen(fallback);
		char *d = slot_reserve(L, BLOC__SLOT_AUX, n1 + n2 + 2);
		if (!d)
			return BLOC_ENOMEM;
		d[n1] = '\x1f';
		memcpy(d + n1 + 1, fallback, n2 + 1);
		key = d;
	}
	if (L->nlabels * 2 >= L->labels_cap && (err = labels_rehash(L)) < 0)
		return err;
	for (h = bloc__hash_str(key) & (L->labels_cap - 1); L->labels[h].key;
	     h = (h + 1) & (L->labels_cap - 1)) {
		if (strcmp(L->labels[h].key, key) == 0) {
			*out = L->labels[h].party;
			return BLOC_OK;
		}
	}
	if (bloc_party_lookup(primary, &p) != BLOC_OK && bloc_party_lookup(fallback, &p) != BLOC_OK)
		p = bloc_party_oth();
	if (!(L->labels[h].key = bloc_strdup(key)))
		return bloc_error_set(BLOC_ENOMEM, "out of memory reading %s", L->name);
	L->labels[h].party = p;
	L->nlabels++;
	*out = p;
	return BLOC_OK;
}

/* ---- candidates read once ---------------------------------------------------------------- */

static int cands_rehash(bloc__load *L)
{
	size_t ncap = L->cands_cap ? L->cands_cap * 2 : 256, i;
	bloc__cand_slot *nt = bloc_calloc(ncap, sizeof(*nt));

	if (!nt)
		return bloc_error_oom("reading %s", L->name);
	for (i = 0; i < L->cands_cap; i++) {
		size_t h;
		if (!L->cands[i].key)
			continue;
		for (h = bloc__hash_str(L->cands[i].key) & (ncap - 1); nt[h].key;
		     h = (h + 1) & (ncap - 1))
			;
		nt[h] = L->cands[i];
	}
	bloc_free(L->cands);
	L->cands = nt;
	L->cands_cap = ncap;
	return BLOC_OK;
}

/* "seat\x1fparty\x1fflags\x1fname[\x1flabel]" in scratch slot AUX. */
static const char *cand_key(bloc__load *L, size_t seat, bloc_party party, const char *label,
                            const char *name, unsigned flags)
{
	int with_label = !*name || party == bloc_party_oth();
	size_t n = strlen(name) + (with_label ? strlen(label) : 0) + 64;
	char *d = slot_reserve(L, BLOC__SLOT_AUX, n);

	if (d)
		snprintf(d, n, "%zu\x1f%s\x1f%u\x1f%s%s%s", seat, bloc_party_code(party), flags,
		         name, with_label ? "\x1f" : "", with_label ? label : "");
	return d;
}

int bloc__load_candidate_once(bloc__load *L, int party_col, size_t seat, bloc_party party,
                              const char *label, const char *name, unsigned flags)
{
	const char *key = cand_key(L, seat, party, label, name, flags);
	size_t h;
	int err;

	if (!key)
		return BLOC_ENOMEM;
	if (L->ncands * 2 >= L->cands_cap && (err = cands_rehash(L)) < 0)
		return err;
	for (h = bloc__hash_str(key) & (L->cands_cap - 1); L->cands[h].key;
	     h = (h + 1) & (L->cands_cap - 1))
		if (strcmp(L->cands[h].key, key) == 0)
			return bloc_csv_field_error(
			    L->rd, (size_t)party_col, BLOC_EPARSE,
			    "expected each candidate once in seat %.40s, found '%.60s' (%s, "
			    "'%.40s') again (first on line %zu): is a row repeated?",
			    L->seat[seat].code,
			    *name                         ? name
			    : flags & BLOC_CAND_AGGREGATE ? "(all other candidates)"
			                                  : "(no name)",
			    bloc_party_code(party), label, L->cands[h].line);
	if (!(L->cands[h].key = bloc_strdup(key)))
		return bloc_error_oom("reading %s", L->name);
	L->cands[h].line = bloc_csv_line(L->rd);
	L->ncands++;
	return BLOC_OK;
}

/* ---- recognising the format -------------------------------------------------------------- */

static size_t cols_present(const bloc_csv_reader *rd, const bloc__format *f, size_t *total)
{
	size_t k, n = 0;

	for (k = 0; f->cols[k]; k++)
		n += find_col(rd, f->cols[k], 0) >= 0;
	*total = k;
	return n;
}

/* "a, b, c" of the columns of f missing from the header, into buf. */
static void missing_list(const bloc_csv_reader *rd, const bloc__format *f, char *buf, size_t cap)
{
	size_t k, used = 0, shown = 0;

	buf[0] = '\0';
	for (k = 0; f->cols[k] && used + 1 < cap; k++) {
		int w;
		if (find_col(rd, f->cols[k], 0) >= 0)
			continue;
		if (shown == 6) {
			snprintf(buf + used, cap - used, ", ...");
			break;
		}
		w = snprintf(buf + used, cap - used, "%s'%s'", shown ? ", " : "", f->cols[k]);
		if (w < 0 || (size_t)w >= cap - used)
			break;
		used += (size_t)w;
		shown++;
	}
}

static void header_list(const bloc_csv_reader *rd, char *buf, size_t cap)
{
	size_t i, used = 0, n = bloc_csv_ncols(rd);

	buf[0] = '\0';
	for (i = 0; i < n && used + 1 < cap; i++) {
		int w;
		if (i == 6) {
			snprintf(buf + used, cap - used, ", ... (%zu columns)", n);
			break;
		}
		w = snprintf(buf + used, cap - used, "%s'%.30s'", i ? ", " : "",
		             bloc_csv_colname(rd, i));
		if (w < 0 || (size_t)w >= cap - used)
			break;
		used += (size_t)w;
	}
}

static int detect(const bloc_csv_reader *rd, const char *name, const bloc__format **out)
{
	const bloc__format *best = NULL, *closest = NULL;
	size_t i, best_n = 0;
	double closest_score = 0;
	char miss[256], hdr[320];

	for (i = 0; i < NFORMATS; i++) {
		size_t total, n = cols_present(rd, formats[i], &total);
		double score = (double)n / (double)total;
		if (n == total && n > best_n) {
			best = formats[i];
			best_n = n;
		}
		if (score > closest_score) {
			closest = formats[i];
			closest_score = score;
		}
	}
	if (best) {
		*out = best;
		return BLOC_OK;
	}
	header_list(rd, hdr, sizeof(hdr));
	if (closest && closest_score >= 0.5) {
		missing_list(rd, closest, miss, sizeof(miss));
		return bloc_error_set(BLOC_EPARSE,
		                      "%s:%zu:1: expected the header of a results file, found %s; "
		                      "closest is format %s (%s), which also needs %s",
		                      name, bloc_csv_line(rd), hdr, closest->name, closest->what,
		                      miss);
	}
	return bloc_error_set(
	    BLOC_EPARSE,
	    "%s:%zu:1: expected the header of a results file, such as bloc's "
	    "canonical 'contest,date,seat_code,seat_name,region,nation,electorate,"
	    "party,candidate,votes' or a House of Commons Library results file, "
	    "found %s",
	    name, bloc_csv_line(rd), hdr);
}

static int check_columns(const bloc_csv_reader *rd, const bloc__format *f, const char *name)
{
	size_t k;

	for (k = 0; f->cols[k]; k++) {
		int c = find_col(rd, f->cols[k], 0), c2;
		char hdr[320];
		if (c < 0) {
			header_list(rd, hdr, sizeof(hdr));
			return bloc_error_set(
			    BLOC_EPARSE,
			    "%s:%zu:1: expected column '%s' (format %s), found no "
			    "such column among %s",
			    name, bloc_csv_line(rd), f->cols[k], f->name, hdr);
		}
		if ((c2 = find_col(rd, f->cols[k], c + 1)) >= 0)
			return bloc_error_set(
			    BLOC_EPARSE,
			    "%s:%zu:%zu: expected column '%s' once, found it again "
			    "(columns %d and %d)",
			    name, bloc_csv_line(rd), bloc_csv_column(rd, (size_t)c2), f->cols[k],
			    c + 1, c2 + 1);
	}
	return BLOC_OK;
}

/* ---- code corrections -------------------------------------------------------------------- */

static int read_corrections(bloc__load *L, const char *path)
{
	bloc_csv_reader *rd = NULL;
	int from, to, rc, err;
	size_t cap = 0, cap2;

	if ((err = bloc_csv_open(&rd, path, NULL)) < 0)
		goto done;
	if ((err = bloc_csv_read_header(rd)) < 0)
		goto done;
	from = find_col(rd, "provisional_code", 0);
	to = find_col(rd, "final_code", 0);
	if (from < 0 || to < 0) {
		err = bloc_error_set(BLOC_EPARSE,
		                     "%s:%zu:1: expected columns 'provisional_code' and "
		                     "'final_code' (seat code corrections), found no %s",
		                     path, bloc_csv_line(rd),
		                     from < 0 ? "provisional_code" : "final_code");
		goto done;
	}
	while ((rc = bloc_csv_next(rd)) > 0) {
		size_t n1, n2;
		const char *a = bloc__trim_span(bloc_csv_field(rd, (size_t)from), &n1);
		const char *b = bloc__trim_span(bloc_csv_field(rd, (size_t)to), &n2);
		if (n1 == 0 || n2 == 0) {
			err = bloc_csv_field_error(rd, (size_t)(n1 ? to : from), BLOC_EPARSE,
			                           "expected a seat code, found an empty field");
			goto done;
		}
		if (L->ncorr >= cap) {
			cap2 = cap;
			if ((err = bloc__grow((void **)&L->corr_from, &cap2, L->ncorr + 1,
			                      sizeof(char *))) < 0)
				goto done;
			cap2 = cap;
			if ((err = bloc__grow((void **)&L->corr_to, &cap2, L->ncorr + 1,
			                      sizeof(char *))) < 0)
				goto done;
			cap = cap2;
		}
		L->corr_from[L->ncorr] = bloc_strndup(a, n1);
		L->corr_to[L->ncorr] = bloc_strndup(b, n2);
		L->ncorr++;
		if (!L->corr_from[L->ncorr - 1] || !L->corr_to[L->ncorr - 1]) {
			err = bloc_error_set(BLOC_ENOMEM, "out of memory reading %s", path);
			goto done;
		}
	}
	err = rc < 0 ? rc : BLOC_OK;
done:
	bloc_csv_close(rd);
	return err;
}

/* ---- the loading run --------------------------------------------------------------------- */

static void load_dispose(bloc__load *L)
{
	size_t i;

	for (i = 0; i < L->ncorr; i++) {
		bloc_free(L->corr_from[i]);
		bloc_free(L->corr_to[i]);
	}
	bloc_free(L->corr_from);
	bloc_free(L->corr_to);
	for (i = 0; i < L->seat_cap; i++) {
		bloc_free(L->seat[i].date);
		bloc_free(L->seat[i].code);
		bloc_free(L->seat[i].name);
		bloc_free(L->seat[i].region);
		bloc_free(L->seat[i].nation);
	}
	bloc_free(L->seat);
	for (i = 0; i < L->labels_cap; i++)
		bloc_free(L->labels[i].key);
	bloc_free(L->labels);
	for (i = 0; i < L->cands_cap; i++)
		bloc_free(L->cands[i].key);
	bloc_free(L->cands);
	for (i = 0; i < BLOC__NSLOTS; i++)
		bloc_free(L->buf[i]);
	bloc_free(L->filter_value);
	bloc_free(L->date);
	bloc_free(L->file_id);
	bloc__builder_free(L->b);
}

static int set_filter(bloc__load *L, const char *filter)
{
	const char *eq = strchr(filter, '=');
	size_t n;
	const char *col;
	char *colname;

	if (!eq || eq == filter)
		return bloc_error_set(BLOC_EINVAL,
		                      "filter '%.80s': expected column=value (such as "
		                      "election_date=2021-07-01)",
		                      filter);
	col = bloc__trim_span(filter, &n);
	if ((size_t)(eq - col) < n)
		n = (size_t)(eq - col);
	while (n && (col[n - 1] == ' ' || col[n - 1] == '\t'))
		n--;
	if (!(colname = bloc_strndup(col, n)))
		return bloc_error_oom("reading the filter of %s", L->name);
	L->filter_col = find_col(L->rd, colname, 0);
	bloc_free(colname);
	if (L->filter_col < 0)
		return bloc_error_set(
		    BLOC_EINVAL,
		    "%s:%zu:1: filter '%.80s': expected a column '%.*s', found no "
		    "such column",
		    L->name, bloc_csv_line(L->rd), filter, (int)n, col);
	col = bloc__trim_span(eq + 1, &n);
	if (!(L->filter_value = bloc_strndup(col, n)))
		return bloc_error_oom("reading the filter of %s", L->name);
	return BLOC_OK;
}

/* Check the options' version and kind, and look up the named format (L->fmt) if one is
 * given. */
static int check_options(bloc__load *L, const bloc_load_options *opts)
{
	if (opts->version != BLOC_LOAD_OPTIONS_VERSION)
		return bloc_error_set(BLOC_EINVAL, "load options: version %u, expected %u",
		                      opts->version, BLOC_LOAD_OPTIONS_VERSION);
	if (opts->kind < -1 || opts->kind > BLOC_CONTEST_EXTRACT)
		return bloc_error_set(BLOC_EINVAL,
		                      "load options: kind %d, expected -1 or a bloc_contest_kind",
		                      opts->kind);
	if (opts->format && *opts->format && !(L->fmt = format_named(opts->format))) {
		char list[512];
		size_t i, used = 0;
		list[0] = '\0';
		for (i = 0; i < NFORMATS; i++) {
			int w = snprintf(list + used, sizeof(list) - used, "%s%s", i ? ", " : "",
			                 formats[i]->name);
			if (w < 0 || (size_t)w >= sizeof(list) - used)
				break;
			used += (size_t)w;
		}
		return bloc_error_set(BLOC_EINVAL,
		                      "%s: expected a known format, found '%.60s' (%s)", L->name,
		                      opts->format, list);
	}
	return BLOC_OK;
}

/* After the rows: refuse an empty result, settle the id and polling day, build the contest. */
static int finish(bloc__load *L, size_t header_line, bloc_contest **out)
{
	const bloc_load_options *opts = L->opts;
	const char *id, *date;
	int kind;

	if (bloc__builder_nseats(L->b) == 0) {
		if (L->filter_col >= 0)
			return bloc_error_set(
			    BLOC_EPARSE, "%s:%zu:1: expected rows with %s=%s, found none", L->name,
			    header_line, bloc_csv_colname(L->rd, (size_t)L->filter_col),
			    L->filter_value);
		return bloc_error_set(BLOC_EPARSE,
		                      "%s:%zu:1: expected rows of results after the header, "
		                      "found none",
		                      L->name, header_line + 1);
	}
	id = opts->id && *opts->id ? opts->id : L->file_id ? L->file_id : L->name;
	/* the polling day: the file's when it gives one, else the options' (the catalogue's); a
	 * disagreement is an error rather than a silent choice */
	date = L->date_state == 1 ? L->date : opts->date ? opts->date : "";
	if (L->date_state == 1 && opts->date && *opts->date && strcmp(opts->date, L->date) != 0)
		return bloc_error_set(BLOC_EPARSE,
		                      "%s:%zu:%zu: expected the polling day %.20s (given by the "
		                      "catalogue or options), found %.20s",
		                      L->name, L->date_line, L->date_col, opts->date, L->date);
	kind = opts->kind >= 0 ? opts->kind : L->fmt->kind;
	return bloc__builder_finish(L->b, id, date, L->fmt->name, kind, out);
}

static int run(bloc_contest **out, bloc_csv_reader *rd, const bloc_load_options *opts)
{
	bloc_load_options defaults = BLOC_LOAD_OPTIONS_INIT;
	bloc__load L;
	size_t header_line;
	int err;

	memset(&L, 0, sizeof(L));
	L.rd = rd;
	L.name = bloc_csv_name(rd);
	L.filter_col = -1;
	L.cur_seat = (size_t)-1;
	if (!opts)
		opts = &defaults;
	L.opts = opts;
	if ((err = check_options(&L, opts)) < 0)
		goto done;
	if ((err = bloc_csv_read_header(rd)) < 0)
		goto done;
	header_line = bloc_csv_line(rd);
	L.ncols = bloc_csv_ncols(rd);
	if (!L.fmt && (err = detect(rd, L.name, &L.fmt)) < 0)
		goto done;
	if (!L.fmt->contest) {
		err = bloc_error_set(BLOC_EINVAL,
		                     "%s:%zu:1: expected a results file with votes by candidate or "
		                     "party, found a %s file: %s; it cannot be loaded as a contest",
		                     L.name, header_line, L.fmt->name, L.fmt->what);
		goto done;
	}
	if ((err = check_columns(rd, L.fmt, L.name)) < 0)
		goto done;
	if (opts->filter && *opts->filter && (err = set_filter(&L, opts->filter)) < 0)
		goto done;
	if (opts->code_corrections && *opts->code_corrections &&
	    (err = read_corrections(&L, opts->code_corrections)) < 0)
		goto done;
	if ((err = bloc__builder_new(&L.b, L.name)) < 0)
		goto done;
	if ((err = L.fmt->load(&L)) < 0)
		goto done;
	err = finish(&L, header_line, out);
done:
	load_dispose(&L);
	return err;
}

int bloc_contest_load(bloc_contest **out, const char *path, const bloc_load_options *opts)
{
	bloc_csv_reader *rd = NULL;
	int err;

	*out = NULL;
	if (!path)
		return bloc_error_set(BLOC_EINVAL, "bloc_contest_load: no path given");
	if ((err = bloc_csv_open(&rd, path, NULL)) < 0)
		return err;
	err = run(out, rd, opts);
	bloc_csv_close(rd);
	return err;
}

int bloc_contest_load_mem(bloc_contest **out, const char *buf, size_t len,
                          const bloc_load_options *opts)
{
	bloc_csv_reader *rd = NULL;
	int err;

	*out = NULL;
	if (!buf && len)
		return bloc_error_set(BLOC_EINVAL, "bloc_contest_load_mem: no buffer given");
	if ((err = bloc_csv_open_mem(&rd, buf ? buf : "", len, NULL)) < 0)
		return err;
	err = run(out, rd, opts);
	bloc_csv_close(rd);
	return err;
}
