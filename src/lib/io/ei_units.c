/* EI units as CSV: reading a plain CSV of unit counts (bloc_ei_load_csv), writing one
 * (bloc_ei_write_csv), and writing a synthetic set's true shares (bloc_ei_synth_write_truth). */
#include "bloc/io.h"

#include "bloc/csv.h"
#include "bloc/error.h"
#include "../core/alloc.h"
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

int bloc_ei_load_covariates(double **out, size_t *ncov, const bloc_ei_input *in, const char *path)
{
	bloc_csv_reader *rd = NULL;
	double *cov = NULL;
	unsigned char *seen = NULL;
	size_t K, i, k, g, rows = 0;
	int err;

	*out = NULL;
	*ncov = 0;
	if ((err = bloc_csv_open(&rd, path, NULL)) < 0)
		return bloc_error_prefix("--covariates");
	if ((err = bloc_csv_read_header(rd)) < 0)
		goto done;
	K = bloc_csv_ncols(rd) > 0 ? bloc_csv_ncols(rd) - 1 : 0;
	if (K < 1 || K > BLOC_EI_MAX_COVARIATES) {
		err = bloc_error_set(
		    BLOC_EINVAL,
		    "%s:1:1: --covariates: expected an id column and 1 to %d columns "
		    "of numbers, found %zu columns",
		    bloc_csv_name(rd), BLOC_EI_MAX_COVARIATES, bloc_csv_ncols(rd));
		goto done;
	}
	if (!(cov = bloc_calloc(in->n * in->R * K + 1, sizeof(double))) ||
	    !(seen = bloc_calloc(in->n + 1, 1))) {
		err = bloc_error_oom("ei: %zu units' covariates", in->n);
		goto done;
	}
	while ((err = bloc_csv_next(rd)) == 1) {
		const char *id = bloc_csv_field(rd, 0);
		for (i = 0; i < in->n && strcmp(in->unit[i], id) != 0; i++)
			;
		if (i == in->n)
			continue; /* a unit the input does not have (a seat skipped, say) */
		if (seen[i]) {
			err = bloc_csv_field_error(rd, 0, BLOC_EINVAL,
			                           "expected each unit once, found "
			                           "'%s' again",
			                           id);
			goto done;
		}
		seen[i] = 1;
		rows++;
		for (k = 0; k < K; k++) {
			double v;
			if ((err = bloc_csv_field_double(rd, k + 1, &v)) < 0) {
				if (err == BLOC_ENOTFOUND)
					err = bloc_csv_field_error(
					    rd, k + 1, BLOC_EINVAL,
					    "expected a number, found nothing");
				goto done;
			}
			for (g = 0; g < in->R; g++)
				cov[(i * in->R + g) * K + k] = v;
		}
	}
	if (err < 0)
		goto done;
	for (i = 0; i < in->n && seen[i]; i++)
		;
	if (i < in->n) {
		err = bloc_error_set(
		    BLOC_EINVAL,
		    "%s: --covariates: expected a row for every unit, found none for "
		    "'%s' (%zu of %zu units)",
		    path, in->unit[i], rows, in->n);
		goto done;
	}
	*out = cov;
	*ncov = K;
	cov = NULL;
	err = BLOC_OK;
done:
	bloc_free(cov);
	bloc_free(seen);
	bloc_csv_close(rd);
	return err;
}
