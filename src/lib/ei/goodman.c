/* Goodman's ecological regression (R x C, no intercept) and the Duncan-Davis bounds. */
#include "bloc/ei.h"
#include "bloc/error.h"

#include "../core/alloc.h"

#include <math.h>
#include <string.h>

/* The 97.5% point of Student's t with df degrees of freedom: the normal 1.959964 with the
 * Cornish-Fisher expansion in 1/df (Abramowitz and Stegun 26.7.5; error below 1e-4 from df 3;
 * df 1 and 2 exactly). */
static double t975(size_t df)
{
	const double z = 1.959963984540054, z3 = z * z * z, z5 = z3 * z * z, z7 = z5 * z * z;
	double v = (double)df;

	if (df == 1)
		return 12.706204736174698;
	if (df == 2)
		return 4.302652729749464;
	return z + (z3 + z) / (4 * v) + (5 * z5 + 16 * z3 + 3 * z) / (96 * v * v) +
	       (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * v * v * v) +
	       (79 * z7 * z * z + 776 * z7 + 1482 * z5 - 1920 * z3 - 945 * z) /
	           (92160 * v * v * v * v);
}

/* Cholesky factorisation of the R x R symmetric matrix a in place (lower triangle). Returns 0,
 * or -1 when a is not numerically positive definite (relative pivot below 1e-12). */
static int cholesky(double *a, size_t R)
{
	size_t i, j, k;
	double scale = 0;

	for (i = 0; i < R; i++)
		scale = fmax(scale, a[i * R + i]);
	for (j = 0; j < R; j++) {
		double d = a[j * R + j];
		for (k = 0; k < j; k++)
			d -= a[j * R + k] * a[j * R + k];
		if (!(d > 1e-12 * scale))
			return -1;
		d = sqrt(d);
		a[j * R + j] = d;
		for (i = j + 1; i < R; i++) {
			double s = a[i * R + j];
			for (k = 0; k < j; k++)
				s -= a[i * R + k] * a[j * R + k];
			a[i * R + j] = s / d;
		}
	}
	return 0;
}

/* Solve L L' x = b in place with the factor from cholesky. */
static void chol_solve(const double *l, size_t R, double *b)
{
	size_t i, k;

	for (i = 0; i < R; i++) {
		double s = b[i];
		for (k = 0; k < i; k++)
			s -= l[i * R + k] * b[k];
		b[i] = s / l[i * R + i];
	}
	for (i = R; i-- > 0;) {
		double s = b[i];
		for (k = i + 1; k < R; k++)
			s -= l[k * R + i] * b[k];
		b[i] = s / l[i * R + i];
	}
}

void bloc_ei_goodman_dispose(bloc_ei_goodman *g)
{
	if (!g)
		return;
	bloc_free(g->est);
	bloc_free(g->se);
	bloc_free(g->lo95);
	bloc_free(g->hi95);
	bloc_free(g->outside);
	memset(g, 0, sizeof(*g));
}

/* X'WX over the group shares into xtx (full, symmetric); weights scaled to mean 1. */
static void goodman_xtx(const bloc_ei_input *in, int weighted, double wmean, double *xtx)
{
	const size_t R = in->R, n = in->n;
	size_t i, r, s;

	memset(xtx, 0, BLOC_EI_MAX_GROUPS * BLOC_EI_MAX_GROUPS * sizeof(double));
	for (i = 0; i < n; i++) {
		const double *g = in->gcount + i * R, N = in->total[i];
		double w = weighted ? N / wmean : 1;
		for (r = 0; r < R; r++)
			for (s = 0; s <= r; s++)
				xtx[r * R + s] += w * (g[r] / N) * (g[s] / N);
	}
	for (r = 0; r < R; r++)
		for (s = 0; s < r; s++)
			xtx[s * R + r] = xtx[r * R + s];
}

/* Regress party c's shares on the group shares; fill its column of estimates and intervals. */
static void goodman_column(bloc_ei_goodman *out, const bloc_ei_input *in, const double *xtx,
                           const double *inv, double wmean, size_t c)
{
	const size_t R = in->R, C = in->C, n = in->n;
	const int weighted = out->weighted;
	double b[BLOC_EI_MAX_GROUPS], rss = 0, s2;
	size_t i, r;

	for (r = 0; r < R; r++)
		b[r] = 0;
	for (i = 0; i < n; i++) {
		const double *g = in->gcount + i * R, N = in->total[i];
		double w = weighted ? N / wmean : 1, t = in->pcount[i * C + c] / N;
		for (r = 0; r < R; r++)
			b[r] += w * (g[r] / N) * t;
	}
	chol_solve(xtx, R, b);
	for (i = 0; i < n; i++) {
		const double *g = in->gcount + i * R, N = in->total[i];
		double w = weighted ? N / wmean : 1, e = in->pcount[i * C + c] / N;
		for (r = 0; r < R; r++)
			e -= b[r] * g[r] / N;
		rss += w * e * e;
	}
	s2 = rss / (double)out->df;
	for (r = 0; r < R; r++) {
		size_t k = r * C + c;
		out->est[k] = b[r];
		out->se[k] = sqrt(s2 * inv[r]);
		out->lo95[k] = b[r] - out->tcrit * out->se[k];
		out->hi95[k] = b[r] + out->tcrit * out->se[k];
		out->outside[k] = b[r] < 0 || b[r] > 1;
	}
}

int bloc_ei_goodman_fit(bloc_ei_goodman *out, const bloc_ei_input *in, int weighted)
{
	double xtx[BLOC_EI_MAX_GROUPS * BLOC_EI_MAX_GROUPS], inv[BLOC_EI_MAX_GROUPS];
	double wmean = 0;
	size_t R, C, n, i, r, s, c;

	if (!out)
		return bloc_error_set(BLOC_EINVAL, "ei: NULL argument");
	memset(out, 0, sizeof(*out));
	if (!in || !in->n || !in->R || !in->C || in->R > BLOC_EI_MAX_GROUPS)
		return bloc_error_set(BLOC_EINVAL, "ei: an empty input");
	R = in->R;
	C = in->C;
	n = in->n;
	if (n <= R)
		return bloc_error_set(BLOC_ENUMERIC,
		                      "ei: Goodman needs more units (%zu) than groups (%zu)", n, R);
	out->R = R;
	out->C = C;
	out->df = n - R;
	out->weighted = weighted;
	out->tcrit = t975(out->df);
	if (!(out->est = bloc_calloc(R * C, sizeof(double))) ||
	    !(out->se = bloc_calloc(R * C, sizeof(double))) ||
	    !(out->lo95 = bloc_calloc(R * C, sizeof(double))) ||
	    !(out->hi95 = bloc_calloc(R * C, sizeof(double))) ||
	    !(out->outside = bloc_calloc(R * C, sizeof(int)))) {
		bloc_ei_goodman_dispose(out);
		return bloc_error_oom("fitting Goodman's regression (%zu groups x %zu parties)", R,
		                      C);
	}
	for (i = 0; i < n; i++)
		wmean += in->total[i];
	wmean /= (double)n;
	goodman_xtx(in, weighted, wmean, xtx);
	if (cholesky(xtx, R) < 0) {
		bloc_ei_goodman_dispose(out);
		return bloc_error_set(
		    BLOC_ENUMERIC, "ei: the group shares are collinear across the units (a group "
		                   "absent everywhere, or in a fixed proportion to others): "
		                   "Goodman cannot separate them");
	}
	/* diagonal of (X'WX)^-1, column by column */
	for (r = 0; r < R; r++) {
		double e[BLOC_EI_MAX_GROUPS];
		for (s = 0; s < R; s++)
			e[s] = s == r;
		chol_solve(xtx, R, e);
		inv[r] = e[r];
	}
	for (c = 0; c < C; c++)
		goodman_column(out, in, xtx, inv, wmean, c);
	return BLOC_OK;
}

void bloc_ei_bounds_dispose(bloc_ei_bounds *b)
{
	if (!b)
		return;
	bloc_free(b->lo);
	bloc_free(b->hi);
	bloc_free(b->agg_lo);
	bloc_free(b->agg_hi);
	memset(b, 0, sizeof(*b));
}

int bloc_ei_bounds_compute(bloc_ei_bounds *out, const bloc_ei_input *in)
{
	size_t R, C, n, i, r, c;
	double *wsum;

	if (!out)
		return bloc_error_set(BLOC_EINVAL, "ei: NULL argument");
	memset(out, 0, sizeof(*out));
	if (!in || !in->n || !in->R || !in->C)
		return bloc_error_set(BLOC_EINVAL, "ei: an empty input");
	R = in->R;
	C = in->C;
	n = in->n;
	out->n = n;
	out->R = R;
	out->C = C;
	if (!(out->lo = bloc_calloc(n * R * C, sizeof(double))) ||
	    !(out->hi = bloc_calloc(n * R * C, sizeof(double))) ||
	    !(out->agg_lo = bloc_calloc(R * C, sizeof(double))) ||
	    !(out->agg_hi = bloc_calloc(R * C, sizeof(double))) ||
	    !(wsum = bloc_calloc(R, sizeof(double)))) {
		bloc_ei_bounds_dispose(out);
		return bloc_error_oom("computing the bounds of %zu units", n);
	}
	for (i = 0; i < n; i++) {
		double N = in->total[i];
		for (r = 0; r < R; r++) {
			double Nr = in->gcount[i * R + r];
			wsum[r] += Nr;
			for (c = 0; c < C; c++) {
				double T = in->pcount[i * C + c], lo = 0, hi = 1;
				size_t k = (i * R + r) * C + c;
				if (Nr > 0) {
					lo = fmax(0, (T - (N - Nr)) / Nr);
					hi = fmin(1, T / Nr);
					if (lo > hi) /* rounding in the counts */
						lo = hi;
				}
				out->lo[k] = lo;
				out->hi[k] = hi;
				out->agg_lo[r * C + c] += Nr * lo;
				out->agg_hi[r * C + c] += Nr * hi;
			}
		}
	}
	for (r = 0; r < R; r++)
		for (c = 0; c < C; c++) {
			if (wsum[r] > 0) {
				out->agg_lo[r * C + c] /= wsum[r];
				out->agg_hi[r * C + c] /= wsum[r];
			} else {
				out->agg_lo[r * C + c] = 0;
				out->agg_hi[r * C + c] = 1;
			}
		}
	bloc_free(wsum);
	return BLOC_OK;
}

int bloc_ei_goodman_bounded(double *est, const bloc_ei_goodman *g, const bloc_ei_bounds *b,
                            const bloc_ei_input *in)
{
	size_t i, r, c, R, C;

	if (!est || !g || !b || !in || g->R != in->R || g->C != in->C || b->n != in->n ||
	    b->R != in->R || b->C != in->C)
		return bloc_error_set(BLOC_EINVAL,
		                      "ei: bounded Goodman: the fit, the bounds and the "
		                      "input are of different shapes");
	R = in->R;
	C = in->C;
	for (r = 0; r < R; r++) {
		double w = 0;
		for (i = 0; i < in->n; i++)
			w += in->gcount[i * R + r];
		for (c = 0; c < C; c++) {
			double e = g->est[r * C + c], sum = 0;
			if (!(w > 0)) {
				est[r * C + c] = fmin(1, fmax(0, e));
				continue;
			}
			for (i = 0; i < in->n; i++) {
				size_t k = (i * R + r) * C + c;
				sum += in->gcount[i * R + r] * fmin(b->hi[k], fmax(b->lo[k], e));
			}
			/* a weighted mean of values in [lo, hi] within [0, 1]; round-off aside */
			est[r * C + c] = fmin(1, fmax(0, sum / w));
		}
	}
	return BLOC_OK;
}

void bloc_ei_goodman_units(const bloc_ei_goodman *g, const bloc_ei_bounds *b, double *out)
{
	size_t i, r, c;

	for (i = 0; i < b->n; i++)
		for (r = 0; r < b->R; r++)
			for (c = 0; c < b->C; c++) {
				size_t k = (i * b->R + r) * b->C + c;
				double e = g->est[r * g->C + c];
				out[k] = fmin(b->hi[k], fmax(b->lo[k], e));
			}
}
