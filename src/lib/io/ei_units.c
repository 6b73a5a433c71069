/* EI units as CSV: reading a plain CSV of unit counts (bloc_ei_load_csv), writing one
 * (bloc_ei_write_csv), and writing a synthetic set's true shares (bloc_ei_synth_write_truth). */
#include "bloc/io.h"

#include "bloc/csv.h"
#include "bloc/error.h"
#include "../util/csvq.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Do two sums agree (to 1e-6 relative, 1e-9 absolute)? */
static int sums_agree(double a, double b)
{
	return fabs(a - b) <= 1e-9 + 1e-6 * fmax(fabs(a), fabs(b));
}

/* col[0] the id column, then the R groups', then the C parties'. */
static int find_columns(bloc_csv_reader *r, int *col, const char *id, const char *const *groups,
                        size_t R, const char *const *parties, size_t C)
{
	size_t k;

	for (k = 0; k < 1 + R + C; k++) {
		const char *name = k == 0 ? id : k <= R ? groups[k - 1] : parties[k - 1 - R];
		if ((col[k] = bloc_csv_col(r, name)) < 0)
			return bloc_error_set(BLOC_EPARSE, "%s:1: no column '%s' (%s)",
			                      bloc_csv_name(r), name,
			                      k == 0   ? "the unit id"
			                      : k <= R ? "a group"
			                               : "a party");
	}
	return BLOC_OK;
}

/* The counts of the current row into g (R) and p (C), checked. */
static int read_counts(bloc_csv_reader *r, const int *col, const char *uid, size_t R, size_t C,
                       double *g, double *p)
{
	double gsum = 0, psum = 0, v;
	size_t k;

	for (k = 1; k < 1 + R + C; k++) {
		size_t f = (size_t)col[k];
		int e = bloc_csv_field_double(r, f, &v);
		if (e == BLOC_ENOTFOUND)
			return bloc_csv_field_error(r, f, BLOC_EPARSE, "unit '%s': a blank count",
			                            uid);
		if (e < 0)
			return e;
		if (v < 0)
			return bloc_csv_field_error(r, f, BLOC_ENUMERIC,
			                            "unit '%s': negative count %g", uid, v);
		if (k <= R)
			gsum += g[k - 1] = v;
		else
			psum += p[k - 1 - R] = v;
	}
	if (!sums_agree(gsum, psum))
		return bloc_error_set(BLOC_ENUMERIC,
		                      "%s:%zu: unit '%s': group counts sum to %.10g but "
		                      "party counts to %.10g (they must agree)",
		                      bloc_csv_name(r), bloc_csv_line(r), uid, gsum, psum);
	if (!(gsum > 0))
		return bloc_error_set(BLOC_ENUMERIC, "%s:%zu: unit '%s': total 0", bloc_csv_name(r),
		                      bloc_csv_line(r), uid);
	return BLOC_OK;
}

int bloc_ei_load_csv(bloc_ei_input *out, const char *path, const char *id,
                     const char *const *groups, size_t R, const char *const *parties, size_t C)
{
	bloc_csv_reader *r = NULL;
	int col[1 + BLOC_EI_MAX_GROUPS + BLOC_EI_MAX_PARTIES];
	double g[BLOC_EI_MAX_GROUPS], p[BLOC_EI_MAX_PARTIES];
	size_t cap = 0;
	int err;

	if (!out)
		return bloc_error_set(BLOC_EINVAL, "ei: NULL argument");
	memset(out, 0, sizeof(*out));
	if (!path || !id || !groups || !parties)
		return bloc_error_set(BLOC_EINVAL, "ei: NULL argument");
	if ((err = bloc_ei_input_start(out, groups, R, parties, C)) < 0 ||
	    (err = bloc_csv_open(&r, path, NULL)) < 0 || (err = bloc_csv_read_header(r)) < 0 ||
	    (err = find_columns(r, col, id, groups, R, parties, C)) < 0)
		goto fail;
	while ((err = bloc_csv_next(r)) == 1) {
		const char *uid = bloc_csv_field(r, (size_t)col[0]);

		if (!*uid) {
			err = bloc_csv_field_error(r, (size_t)col[0], BLOC_EPARSE, "empty unit id");
			goto fail;
		}
		if ((err = read_counts(r, col, uid, R, C, g, p)) < 0 ||
		    (err = bloc_ei_input_add(out, &cap, uid, g, p)) < 0)
			goto fail;
	}
	if (err < 0)
		goto fail;
	if (out->n < R + 1) {
		err = bloc_error_set(BLOC_ENUMERIC,
		                     "%s: %zu units for %zu groups: at least %zu needed",
		                     bloc_csv_name(r), out->n, R, R + 1);
		goto fail;
	}
	bloc_csv_close(r);
	return BLOC_OK;
fail:
	bloc_csv_close(r);
	bloc_ei_input_dispose(out);
	return err < 0 ? err : bloc_error_set(BLOC_EPARSE, "%s: cannot read EI units", path);
}

int bloc_ei_write_csv(const bloc_ei_input *in, const char *path)
{
	FILE *fp;
	size_t i, k;
	int bad;

	if (!in || !path)
		return bloc_error_set(BLOC_EINVAL, "ei: NULL argument");
	if (!(fp = fopen(path, "w")))
		return bloc_error_set(BLOC_EIO, "%s: cannot write", path);
	fputs("id", fp);
	for (k = 0; k < in->R + in->C; k++) {
		fputc(',', fp);
		bloc__csv_write_field(fp, k < in->R ? in->group[k] : in->party[k - in->R]);
	}
	fputc('\n', fp);
	for (i = 0; i < in->n; i++) {
		bloc__csv_write_field(fp, in->unit[i]);
		for (k = 0; k < in->R + in->C; k++)
			fprintf(fp, ",%.17g",
			        k < in->R ? in->gcount[i * in->R + k]
			                  : in->pcount[i * in->C + k - in->R]);
		fputc('\n', fp);
	}
	bad = ferror(fp);
	if (fclose(fp) != 0 || bad)
		return bloc_error_set(BLOC_EIO, "%s: write failed", path);
	return BLOC_OK;
}

int bloc_ei_synth_write_truth(const bloc_ei_synth *s, const char *path)
{
	FILE *fp;
	size_t r, c;
	int bad;

	if (!s || !path)
		return bloc_error_set(BLOC_EINVAL, "ei-synth: NULL argument");
	if (!(fp = fopen(path, "w")))
		return bloc_error_set(BLOC_EIO, "%s: cannot write", path);
	fputs("group,party,truth,preference\n", fp);
	for (r = 0; r < s->in.R; r++)
		for (c = 0; c < s->in.C; c++)
			fprintf(fp, "%s,%s,%.10f,%.10f\n", s->in.group[r], s->in.party[c],
			        s->truth[r * s->in.C + c], s->pref[r * s->in.C + c]);
	bad = ferror(fp);
	if (fclose(fp) != 0 || bad)
		return bloc_error_set(BLOC_EIO, "%s: write failed", path);
	return BLOC_OK;
}
