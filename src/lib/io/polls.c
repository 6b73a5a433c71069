/* Polls and seat projections as CSV: PollBase (id,start,end,pollster,n,con,lab,lib, shares as
 * fractions), the final polls of 2024 (pollster,fieldwork_start,fieldwork_end,area,method,con,
 * lab,ld,grn,ref, in percent), or any CSV with a pollster column, an end date column and party
 * columns; and published MRP seat projections (pollster,published,<party>...,<party>_low,
 * <party>_high). */
#include "bloc/io.h"

#include "bloc/csv.h"
#include "bloc/error.h"
#include "bloc/forecast.h"
#include "../core/alloc.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Columns that are never a party's. */
static int non_party(const char *name)
{
	static const char *const names[] = {
	    "id",          "start",           "end",           "pollster", "n",
	    "sample_size", "fieldwork_start", "fieldwork_end", "area",     "method",
	    "notes",       "published",       "date",          "mode",     NULL};
	size_t i;

	for (i = 0; names[i]; i++)
		if (strcasecmp(name, names[i]) == 0)
			return 1;
	return 0;
}

static int col_any(bloc_csv_reader *r, const char *a, const char *b)
{
	int c = bloc_csv_col(r, a);
	return c >= 0 || !b ? c : bloc_csv_col(r, b);
}

void bloc_polls_free(bloc_polls *p)
{
	size_t i;

	if (!p)
		return;
	for (i = 0; p->pollster && i < p->npolls; i++)
		bloc_free(p->pollster[i]);
	bloc_free(p->pollster);
	bloc_free(p->parties);
	bloc_free(p->share);
	bloc_free(p->start);
	bloc_free(p->end);
	bloc_free(p->n);
	bloc_free(p->source);
	bloc_free(p);
}

/* Room for `need` rows in the columns of one table: cols[k] has size[k] bytes a row, *cap the
 * rows they all hold (bloc__grow on each from the same capacity, so they all reach the same). */
static int grow_rows(size_t *cap, size_t need, void **const *cols, const size_t *size, size_t n)
{
	size_t k, c = *cap;
	int err;

	for (k = 0; k < n; k++) {
		c = *cap;
		if ((err = bloc__grow(cols[k], &c, need, size[k] ? size[k] : 1)) < 0)
			return err;
	}
	*cap = c;
	return BLOC_OK;
}

/* A date field: blank is BLOC_NO_DATE; anything else must be YYYY-MM-DD. */
static int field_date(bloc_csv_reader *r, int col, int32_t *out)
{
	const char *s;

	*out = BLOC_NO_DATE;
	if (col < 0 || !*(s = bloc_csv_field(r, (size_t)col)))
		return BLOC_OK;
	if ((*out = bloc_date_days(s)) == BLOC_NO_DATE)
		return bloc_csv_field_error(r, (size_t)col, BLOC_EPARSE,
		                            "expected a date YYYY-MM-DD, found '%.40s'", s);
	return BLOC_OK;
}

int bloc_polls_load(bloc_polls **out, const char *path)
{
	bloc_csv_reader *r = NULL;
	bloc_polls *pl = NULL;
	int pcol[BLOC_FORECAST_MAX_PARTIES], cstart, cend, cwho, cn;
	size_t P = 0, cap = 0, i, k;
	int err;
	int carea;

	*out = NULL;
	if (!(pl = bloc_calloc(1, sizeof(*pl))) || !(pl->source = bloc_strdup(path))) {
		bloc_free(pl);
		return bloc_error_oom("reading %s", path);
	}
	if ((err = bloc_csv_open(&r, path, NULL)) < 0 || (err = bloc_csv_read_header(r)) < 0)
		goto fail;
	cstart = col_any(r, "start", "fieldwork_start");
	cend = col_any(r, "end", "fieldwork_end");
	if (cend < 0)
		cend = bloc_csv_col(r, "date");
	carea = bloc_csv_col(r, "area");
	cwho = bloc_csv_col(r, "pollster");
	cn = col_any(r, "n", "sample_size");
	if (cwho < 0 || cend < 0) {
		err = bloc_error_set(BLOC_EPARSE,
		                     "%s:1: expected a poll file with a 'pollster' column and an "
		                     "'end' (or 'fieldwork_end') date column",
		                     path);
		goto fail;
	}
	pl->parties = bloc_malloc(BLOC_FORECAST_MAX_PARTIES * sizeof(*pl->parties));
	if (!pl->parties) {
		err = bloc_error_oom("reading %s", path);
		goto fail;
	}
	for (i = 0; i < bloc_csv_ncols(r); i++) {
		const char *name = bloc_csv_colname(r, i);
		bloc_party p;
		if (non_party(name))
			continue;
		/* PollBase's "lib": the Liberals, the Alliance, the Liberal Democrats */
		if (bloc_party_lookup(strcasecmp(name, "lib") == 0 ? "LD" : name, &p) < 0) {
			err =
			    bloc_error_set(BLOC_EPARSE,
			                   "%s:1:%zu: column '%s' is neither a party nor a poll's "
			                   "pollster, dates or sample size",
			                   path, i + 1, name);
			goto fail;
		}
		for (k = 0; k < P && pl->parties[k] != p; k++)
			;
		if (k < P || P == BLOC_FORECAST_MAX_PARTIES) {
			err = bloc_error_set(BLOC_EPARSE, "%s:1:%zu: party %s %s", path, i + 1,
			                     bloc_party_code(p), k < P ? "twice" : "one too many");
			goto fail;
		}
		pl->parties[P] = p;
		pcol[P++] = (int)i;
	}
	if (!P) {
		err = bloc_error_set(BLOC_EPARSE, "%s:1: no party columns (such as con,lab,ld)",
		                     path);
		goto fail;
	}
	pl->nparties = P;
	while ((err = bloc_csv_next(r)) == 1) {
		{
			void **const cols[] = {(void **)&pl->share, (void **)&pl->start,
			                       (void **)&pl->end, (void **)&pl->n,
			                       (void **)&pl->pollster};
			const size_t size[] = {P * sizeof(*pl->share), sizeof(*pl->start),
			                       sizeof(*pl->end), sizeof(*pl->n),
			                       sizeof(*pl->pollster)};
			if ((err = grow_rows(&cap, pl->npolls + 1, cols, size, 5)) < 0)
				goto fail;
		}
		/* the polls of Great Britain: an `area` other than GB (a Scottish or Welsh poll) is
		 * not averaged with them */
		if (carea >= 0) {
			const char *a = bloc_csv_field(r, (size_t)carea);
			if (*a && strcasecmp(a, "GB") != 0 && strcasecmp(a, "Great Britain") != 0) {
				pl->other_area++;
				continue;
			}
		}
		i = pl->npolls;
		if (!(pl->pollster[i] = bloc_strdup(bloc_csv_field(r, (size_t)cwho)))) {
			err = bloc_error_oom("reading %s", path);
			goto fail;
		}
		pl->npolls++;
		if ((err = field_date(r, cstart, &pl->start[i])) < 0 ||
		    (err = field_date(r, cend, &pl->end[i])) < 0)
			goto fail;
		pl->n[i] = NAN;
		if (cn >= 0 && *bloc_csv_field(r, (size_t)cn)) {
			if ((err = bloc_csv_field_double(r, (size_t)cn, &pl->n[i])) < 0)
				goto fail;
			if (!(pl->n[i] > 0))
				pl->n[i] = NAN;
		}
		double top = 0;
		for (k = 0; k < P; k++) {
			double v = NAN;
			if (*bloc_csv_field(r, (size_t)pcol[k]) &&
			    (err = bloc_csv_field_double(r, (size_t)pcol[k], &v)) < 0)
				goto fail;
			if (v < 0 || v > 100) {
				err = bloc_csv_field_error(
				    r, (size_t)pcol[k], BLOC_ENUMERIC,
				    "expected a share from 0 to 1 or 0 to 100, found %g", v);
				goto fail;
			}
			if (v > top)
				top = v;
			pl->share[i * P + k] = v;
		}
		/* each row's scale: percent if any of its shares is above 1 */
		for (k = 0; top > 1 && k < P; k++)
			pl->share[i * P + k] /= 100;
	}
	if (err < 0)
		goto fail;
	bloc_csv_close(r);
	*out = pl;
	return BLOC_OK;
fail:
	bloc_csv_close(r);
	bloc_polls_free(pl);
	return err < 0 ? err : bloc_error_set(BLOC_EPARSE, "%s: cannot read polls", path);
}

void bloc_mrp_free(bloc_mrp *m)
{
	size_t i;

	if (!m)
		return;
	for (i = 0; i < m->n; i++) {
		bloc_free(m->pollster ? m->pollster[i] : NULL);
		bloc_free(m->published ? m->published[i] : NULL);
	}
	bloc_free(m->pollster);
	bloc_free(m->published);
	bloc_free(m->parties);
	bloc_free(m->seats);
	bloc_free(m->low);
	bloc_free(m->high);
	bloc_free(m->source);
	bloc_free(m);
}

/* A whole number of seats, or -1 for a blank. */
static int field_seats(bloc_csv_reader *r, int col, int64_t *out)
{
	double v;
	int err;

	*out = -1;
	if (col < 0 || !*bloc_csv_field(r, (size_t)col))
		return BLOC_OK;
	if ((err = bloc_csv_field_double(r, (size_t)col, &v)) < 0)
		return err;
	if (!(v >= 0 && v <= 1e6) || v != floor(v))
		return bloc_csv_field_error(r, (size_t)col, BLOC_EPARSE,
		                            "expected a whole number of seats, got %g", v);
	*out = (int64_t)v;
	return BLOC_OK;
}

int bloc_mrp_load(bloc_mrp **out, const char *path)
{
	bloc_csv_reader *r = NULL;
	bloc_mrp *m = NULL;
	int col[BLOC_FORECAST_MAX_PARTIES], lo[BLOC_FORECAST_MAX_PARTIES],
	    hi[BLOC_FORECAST_MAX_PARTIES], cwho, cpub;
	size_t P = 0, cap = 0, i, k;
	int err;
	char name[80];

	*out = NULL;
	if (!(m = bloc_calloc(1, sizeof(*m))) || !(m->source = bloc_strdup(path)) ||
	    !(m->parties = bloc_malloc(BLOC_FORECAST_MAX_PARTIES * sizeof(*m->parties)))) {
		bloc_mrp_free(m);
		return bloc_error_oom("reading %s", path);
	}
	if ((err = bloc_csv_open(&r, path, NULL)) < 0 || (err = bloc_csv_read_header(r)) < 0)
		goto fail;
	if ((cwho = bloc_csv_col(r, "pollster")) < 0) {
		err = bloc_error_set(BLOC_EPARSE, "%s:1: expected a 'pollster' column", path);
		goto fail;
	}
	cpub = bloc_csv_col(r, "published");
	for (i = 0; i < bloc_csv_ncols(r); i++) {
		const char *cn = bloc_csv_colname(r, i);
		size_t len = strlen(cn);
		bloc_party p;
		if (non_party(cn) || (len > 4 && strcmp(cn + len - 4, "_low") == 0) ||
		    (len > 5 && strcmp(cn + len - 5, "_high") == 0))
			continue;
		if (bloc_party_lookup(cn, &p) < 0 || P == BLOC_FORECAST_MAX_PARTIES) {
			err = bloc_error_set(BLOC_EPARSE, "%s:1:%zu: column '%s' is no party", path,
			                     i + 1, cn);
			goto fail;
		}
		m->parties[P] = p;
		col[P] = (int)i;
		snprintf(name, sizeof(name), "%s_low", cn);
		lo[P] = bloc_csv_col(r, name);
		snprintf(name, sizeof(name), "%s_high", cn);
		hi[P] = bloc_csv_col(r, name);
		P++;
	}
	m->nparties = P;
	while ((err = bloc_csv_next(r)) == 1) {
		{
			void **const cols[] = {(void **)&m->seats, (void **)&m->low,
			                       (void **)&m->high, (void **)&m->pollster,
			                       (void **)&m->published};
			const size_t size[] = {P * sizeof(*m->seats), P * sizeof(*m->low),
			                       P * sizeof(*m->high), sizeof(*m->pollster),
			                       sizeof(*m->published)};
			if ((err = grow_rows(&cap, m->n + 1, cols, size, 5)) < 0)
				goto fail;
		}
		i = m->n;
		m->pollster[i] = bloc_strdup(bloc_csv_field(r, (size_t)cwho));
		m->published[i] = bloc_strdup(cpub >= 0 ? bloc_csv_field(r, (size_t)cpub) : "");
		m->n++;
		if (!m->pollster[i] || !m->published[i]) {
			err = bloc_error_oom("reading %s", path);
			goto fail;
		}
		for (k = 0; k < P; k++)
			if ((err = field_seats(r, col[k], &m->seats[i * P + k])) < 0 ||
			    (err = field_seats(r, lo[k], &m->low[i * P + k])) < 0 ||
			    (err = field_seats(r, hi[k], &m->high[i * P + k])) < 0)
				goto fail;
	}
	if (err < 0)
		goto fail;
	bloc_csv_close(r);
	*out = m;
	return BLOC_OK;
fail:
	bloc_csv_close(r);
	bloc_mrp_free(m);
	return err < 0 ? err : bloc_error_set(BLOC_EPARSE, "%s: cannot read", path);
}

void bloc_by_changes_free(bloc_by_changes *b)
{
	if (!b)
		return;
	bloc_free(b->date);
	bloc_free(b->con);
	bloc_free(b->lab);
	bloc_free(b->ld);
	bloc_free(b->nat);
	bloc_free(b->other);
	bloc_free(b->source);
	bloc_free(b);
}

int bloc_by_changes_load(bloc_by_changes **out, const char *path)
{
	static const char *const names[] = {"con_share_change", "lab_share_change",
	                                    "ld_share_change", "pc_snp_share_change",
	                                    "other_share_change"};
	bloc_csv_reader *r = NULL;
	bloc_by_changes *b = NULL;
	int col[5], cdate, err;
	size_t cap = 0, k;

	*out = NULL;
	if (!(b = bloc_calloc(1, sizeof(*b))) || !(b->source = bloc_strdup(path))) {
		bloc_by_changes_free(b);
		return bloc_error_oom("reading %s", path);
	}
	if ((err = bloc_csv_open(&r, path, NULL)) < 0 || (err = bloc_csv_read_header(r)) < 0)
		goto fail;
	cdate = bloc_csv_col(r, "date");
	for (k = 0; k < 5; k++)
		if ((col[k] = bloc_csv_col(r, names[k])) < 0 || cdate < 0) {
			err = bloc_error_set(BLOC_EPARSE, "%s:1: no column '%s'", path,
			                     cdate < 0 ? "date" : names[k]);
			goto fail;
		}
	while ((err = bloc_csv_next(r)) == 1) {
		double *v[5];
		{
			void **const cols[] = {(void **)&b->date, (void **)&b->con,
			                       (void **)&b->lab,  (void **)&b->ld,
			                       (void **)&b->nat,  (void **)&b->other};
			const size_t size[] = {sizeof(*b->date), sizeof(double), sizeof(double),
			                       sizeof(double),   sizeof(double), sizeof(double)};
			if ((err = grow_rows(&cap, b->n + 1, cols, size, 6)) < 0)
				goto fail;
		}
		v[0] = &b->con[b->n];
		v[1] = &b->lab[b->n];
		v[2] = &b->ld[b->n];
		v[3] = &b->nat[b->n];
		v[4] = &b->other[b->n];
		if ((err = field_date(r, cdate, &b->date[b->n])) < 0)
			goto fail;
		/* a row whose changes are words ("By-election uncontested") has no changes: left
		 * out */
		int words = 0;
		for (k = 0; k < 5; k++) {
			*v[k] = NAN;
			if (*bloc_csv_field(r, (size_t)col[k]) &&
			    bloc_csv_field_double(r, (size_t)col[k], v[k]) < 0) {
				bloc_error_clear();
				words = 1;
			}
		}
		if (!words)
			b->n++;
	}
	if (err < 0)
		goto fail;
	bloc_csv_close(r);
	*out = b;
	return BLOC_OK;
fail:
	bloc_csv_close(r);
	bloc_by_changes_free(b);
	return err < 0 ? err : bloc_error_set(BLOC_EPARSE, "%s: cannot read", path);
}
