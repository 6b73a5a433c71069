/* Rallings & Thrasher notional results (the 2019 result estimated on the 2024 boundaries), as
 * published by the BBC: one row per seat, one "...v" vote column per party.
 *
 * The columns before TotOthv are the main parties; those after MaxOthv are minor parties and
 * independents (IND1v..IND6v, each a separate candidate under IND). TotOthv and MaxOthv are
 * summaries of the minor columns, not candidates: TotOthv is their sum plus any votes not
 * attributed to a column (the Speaker's in Chorley, whose Win19 is "Spkr"), and MaxOthv is the
 * largest of them (and is 0 in some rows that have minor votes, so it is not used). Unattributed
 * votes go to the winner when the winner's party has no column (votes = runner-up + majority), and
 * the rest to one aggregate OTH candidate. total_votes = main columns + TotOthv. */
#include "io.h"

#include "bloc/error.h"

#include <inttypes.h>
#include <string.h>

static const char *const cols_notional[] = {"ONS code",    "Boundary Comm name",
                                            "region_name", "country_name",
                                            "electorate",  "Conv",
                                            "Labv",        "LDv",
                                            "TotOthv",     "total_votes",
                                            "majority",    "Win19",
                                            NULL};
const bloc__format bloc__fmt_notional = {
    .name = "rallings-thrasher-notional",
    .what = "Rallings & Thrasher notional results, one row per seat",
    .contest = 1,
    .kind = BLOC_CONTEST_NOTIONAL,
    .cols = cols_notional,
    .load = bloc__load_notional,
};

#define MAXP 128

typedef struct {
	int code, name, region, nation, electorate, valid, majority, win, tot;
	size_t np, nmain; /* party columns; the first nmain are the main parties */
	int party[MAXP];  /* column index */
	bloc_party pparty[MAXP];
} notional_cols;

/* A "...v" column name is a party; its label is the name without the 'v'. */
static int is_party_col(const char *h)
{
	size_t n = strlen(h);

	return n >= 2 && h[n - 1] == 'v' && strcmp(h, "TotOthv") != 0 && strcmp(h, "MaxOthv") != 0;
}

/* A party column read twice would count its votes twice. Columns are few: a scan is enough. */
static int party_col_once(bloc__load *L, const notional_cols *c, size_t i)
{
	const char *h = bloc_csv_colname(L->rd, i);
	size_t j;

	for (j = 0; j < c->np; j++)
		if (strcmp(bloc_csv_colname(L->rd, (size_t)c->party[j]), h) == 0)
			return bloc_error_set(BLOC_EPARSE,
			                      "%s:%zu:%zu: expected each party column once, found "
			                      "'%.40s' again (columns %d and %zu)",
			                      L->name, bloc_csv_line(L->rd),
			                      bloc_csv_column(L->rd, i), h, c->party[j] + 1, i + 1);
	return BLOC_OK;
}

static int find_cols(bloc__load *L, notional_cols *c)
{
	size_t i, n = bloc_csv_ncols(L->rd);
	int err;

	c->code = bloc__load_col(L, "ONS code");
	c->name = bloc__load_col(L, "Boundary Comm name");
	c->region = bloc__load_col(L, "region_name");
	c->nation = bloc__load_col(L, "country_name");
	c->electorate = bloc__load_col(L, "electorate");
	c->valid = bloc__load_col(L, "total_votes");
	c->majority = bloc__load_col(L, "majority");
	c->win = bloc__load_col(L, "Win19");
	c->tot = bloc__load_col(L, "TotOthv");
	c->np = c->nmain = 0;
	for (i = 0; i < n; i++) {
		const char *h = bloc_csv_colname(L->rd, i);
		const char *label;
		size_t k, len = strlen(h);
		if (!is_party_col(h))
			continue;
		if ((err = party_col_once(L, c, i)) < 0)
			return err;
		if (c->np == MAXP)
			return bloc_error_set(
			    BLOC_EPARSE,
			    "%s:%zu:%zu: expected at most %d party columns, found "
			    "more",
			    L->name, bloc_csv_line(L->rd), bloc_csv_column(L->rd, i), MAXP);
		if (!(label = bloc__load_trim(L, BLOC__SLOT_LABEL, h)))
			return BLOC_ENOMEM;
		((char *)label)[len - 1] = '\0';
		/* IND1..IND6: one independent each */
		for (k = 3; k < len - 1 && label[k] >= '0' && label[k] <= '9'; k++)
			;
		if (len - 1 > 3 && k == len - 1 && strncmp(label, "IND", 3) == 0)
			c->pparty[c->np] = bloc_party_ind();
		else if ((err = bloc__load_party(L, label, NULL, &c->pparty[c->np])) < 0)
			return err;
		c->party[c->np] = (int)i;
		if ((int)i < c->tot)
			c->nmain = c->np + 1;
		c->np++;
	}
	return BLOC_OK;
}

/* The label of party column j: its header without the trailing 'v'. */
static const char *col_label(bloc__load *L, const notional_cols *c, size_t j)
{
	const char *h = bloc_csv_colname(L->rd, (size_t)c->party[j]);
	char *d = (char *)bloc__load_trim(L, BLOC__SLOT_LABEL, h);

	if (d)
		d[strlen(d) - 1] = '\0';
	return d;
}

/* One row's figures and the candidates made of them so far. */
typedef struct {
	int64_t electorate, valid, majority, tot, minor, v[MAXP], real_v[MAXP + 1];
	bloc_party W, real_p[MAXP + 1];
	size_t seat, nreal;
} notional_row;

/* The seat and every count of the row, checked against each other. */
static inline int read_figures(bloc__load *L, const notional_cols *c, notional_row *r)
{
	bloc_csv_reader *rd = L->rd;
	int64_t sum = 0;
	size_t j;
	int created, err;

	if ((err = bloc__load_seat(L, c->code, c->name, c->region, c->nation, 1, 1, &r->seat,
	                           &created)) < 0)
		return err;
	if ((err = bloc__load_count(L, c->electorate, &r->electorate)) < 0 ||
	    (err = bloc__load_votes(L, c->valid, 0, &r->valid)) < 0 ||
	    (err = bloc__load_votes(L, c->majority, 0, &r->majority)) < 0 ||
	    (err = bloc__load_votes(L, c->tot, 1, &r->tot)) < 0)
		return err;
	r->minor = 0;
	for (j = 0; j < c->np; j++) {
		if ((err = bloc__load_votes(L, c->party[j], 1, &r->v[j])) < 0)
			return err;
		if (j < c->nmain)
			sum += r->v[j];
		else
			r->minor += r->v[j];
	}
	if (r->tot < r->minor)
		return bloc_csv_field_error(
		    rd, (size_t)c->tot, BLOC_ENUMERIC,
		    "expected at least the sum of the minor-party columns (%" PRId64
		    "), found %" PRId64,
		    r->minor, r->tot);
	sum += r->tot;
	if (sum != r->valid)
		return bloc_csv_field_error(
		    rd, (size_t)c->valid, BLOC_ENUMERIC,
		    "expected the sum of the main-party columns and TotOthv (%" PRId64
		    "), found %" PRId64,
		    sum, r->valid);
	if (r->electorate >= 0 && r->valid > r->electorate)
		return bloc_csv_field_error(rd, (size_t)c->valid, BLOC_ENUMERIC,
		                            "expected at most the electorate (%" PRId64
		                            ") votes, found %" PRId64,
		                            r->electorate, r->valid);
	return BLOC_OK;
}

/* The winning party (Win19), which must not be empty. */
static inline int read_winner(bloc__load *L, const notional_cols *c, notional_row *r)
{
	bloc_csv_reader *rd = L->rd;
	size_t n;

	bloc__trim_span(bloc_csv_field(rd, (size_t)c->win), &n);
	if (n == 0)
		return bloc_csv_field_error(rd, (size_t)c->win, BLOC_EPARSE,
		                            "expected the winning party, found an empty "
		                            "field");
	return bloc__load_party(L, bloc_csv_field(rd, (size_t)c->win), NULL, &r->W);
}

/* A candidate for each party column with votes; *wcol is whether the winner has a column. */
static inline int add_column_candidates(bloc__load *L, const notional_cols *c, notional_row *r,
                                        int *wcol)
{
	const char *label;
	size_t j;
	int err;

	*wcol = 0;
	r->nreal = 0;
	for (j = 0; j < c->np; j++) {
		if (c->pparty[j] == r->W)
			*wcol = 1;
		if (r->v[j] == 0)
			continue;
		if (!(label = col_label(L, c, j)))
			return BLOC_ENOMEM;
		if ((err = bloc__builder_candidate(L->b, r->seat, c->pparty[j], label, "", r->v[j],
		                                   0)) < 0)
			return err;
		r->real_p[r->nreal] = c->pparty[j];
		r->real_v[r->nreal++] = r->v[j];
	}
	return BLOC_OK;
}

/* The votes in TotOthv but in no column: a winner without a column (runner-up + majority),
 * then what remains as one aggregate OTH candidate. */
static inline int add_unattributed(bloc__load *L, const notional_cols *c, notional_row *r, int wcol)
{
	bloc_csv_reader *rd = L->rd;
	int64_t rest = r->tot - r->minor;
	const char *label;
	size_t j;
	int err;

	if (rest > 0 && !wcol) {
		/* the winner is among the unattributed votes */
		int64_t best = 0, wv;
		for (j = 0; j < r->nreal; j++)
			if (r->real_v[j] > best)
				best = r->real_v[j];
		wv = best + r->majority;
		if (wv > rest)
			return bloc_csv_field_error(rd, (size_t)c->tot, BLOC_ENUMERIC,
			                            "expected the winner's %" PRId64
			                            " votes (runner-up + majority) among the "
			                            "unattributed other votes, found only %" PRId64,
			                            wv, rest);
		if (!(label =
		          bloc__load_trim(L, BLOC__SLOT_LABEL, bloc_csv_field(rd, (size_t)c->win))))
			return BLOC_ENOMEM;
		if ((err = bloc__builder_candidate(L->b, r->seat, r->W, label, "", wv, 0)) < 0)
			return err;
		r->real_p[r->nreal] = r->W;
		r->real_v[r->nreal++] = wv;
		rest -= wv;
	}
	if (rest > 0 && (err = bloc__builder_candidate(L->b, r->seat, bloc_party_oth(),
	                                               bloc_csv_colname(rd, (size_t)c->tot), "",
	                                               rest, BLOC_CAND_AGGREGATE)) < 0)
		return err;
	return BLOC_OK;
}

/* One seat: its figures, the winner, the candidates, then the result checked. */
static int load_row(bloc__load *L, const notional_cols *c)
{
	notional_row r;
	int err, wcol;

	if ((err = read_figures(L, c, &r)) < 0 || (err = read_winner(L, c, &r)) < 0 ||
	    (err = add_column_candidates(L, c, &r, &wcol)) < 0 ||
	    (err = add_unattributed(L, c, &r, wcol)) < 0)
		return err;
	if (r.nreal == 0)
		return bloc_csv_field_error(L->rd, (size_t)c->valid, BLOC_ENUMERIC,
		                            "expected votes for at least one candidate outside the "
		                            "'%s' lump, found none",
		                            bloc_csv_colname(L->rd, (size_t)c->tot));
	if ((err = bloc__load_check_result(L, r.real_p, r.real_v, r.nreal, r.majority, c->majority,
	                                   r.W, c->win)) < 0)
		return err;
	bloc__builder_seat_figures(L->b, r.seat, r.electorate, r.valid, -1);
	return BLOC_OK;
}

int bloc__load_notional(bloc__load *L)
{
	notional_cols c;
	int rc, err;

	if ((err = find_cols(L, &c)) < 0)
		return err;
	while ((rc = bloc__load_next(L)) > 0)
		if ((err = load_row(L, &c)) < 0)
			return err;
	return rc;
}
