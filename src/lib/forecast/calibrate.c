/* The forecast's error scales from a past pair of elections on the same boundaries: how far each
 * seat moved from uniform swing, split into a regional part, a part that follows the seats'
 * census composition (the factors) and the rest (seat noise). */
#include "bloc/forecast.h"

#include "bloc/error.h"
#include "../core/alloc.h"

#include <math.h>
#include <string.h>

/* GB shares (fractions) of each of c's parties, from GB seats' votes. */
static void gb_shares(const bloc_contest *c, double *out)
{
	double total = 0;
	size_t s, p;

	memset(out, 0, c->nparties * sizeof(*out));
	for (s = 0; s < c->nseats; s++) {
		if (strcmp(c->nation[s], "Northern Ireland") == 0 || !(c->valid[s] > 0))
			continue;
		for (p = 0; p < c->nparties; p++)
			out[p] += (double)c->votes[s * c->nparties + p];
		total += (double)c->valid[s];
	}
	for (p = 0; p < c->nparties; p++)
		out[p] = total > 0 ? out[p] / total : 0;
}

int bloc_forecast_calibrate(bloc_forecast_calibration *out, const bloc_contest *a,
                            const bloc_contest *b, size_t nregions, const size_t *region_of_b,
                            size_t nfactors, const double *load_b)
{
	const size_t S = b->nseats, R = nregions, K = nfactors;
	double ga[64], gb[64];
	long colA[64];
	double *res = NULL;
	unsigned char *ok = NULL;
	size_t s, p, r, k, pass, P = b->nparties;
	int err = BLOC_OK;

	memset(out, 0, sizeof(*out));
	if (P > 64 || a->nparties > 64 || R > BLOC_FORECAST_MAX_REGIONS ||
	    K > BLOC_FORECAST_MAX_FACTORS)
		return bloc_error_set(BLOC_EINVAL,
		                      "calibrate: too many parties, regions or factors");
	gb_shares(a, ga);
	gb_shares(b, gb);
	for (p = 0; p < P; p++)
		colA[p] = bloc_contest_party_col(a, b->parties[p]);
	res = bloc_calloc(S * P + 1, sizeof(*res));
	ok = bloc_calloc(S * P + 1, 1);
	if (!res || !ok) {
		err = bloc_error_oom("calibrating on %s and %s", a->id, b->id);
		goto done;
	}
	/* residuals from uniform swing, in points, for the parties in both that matter (5% of GB)
	 */
	for (s = 0; s < S; s++) {
		long sa = bloc_contest_seat(a, b->code[s]);
		if (sa < 0 || strcmp(b->nation[s], "Northern Ireland") == 0 || !(b->valid[s] > 0) ||
		    !(a->valid[sa] > 0) || region_of_b[s] >= R)
			continue;
		for (p = 0; p < P; p++) {
			if (colA[p] < 0 || gb[p] < 0.05 || ga[colA[p]] < 0.02)
				continue;
			double vb = (double)b->votes[s * P + p],
			       va = (double)a->votes[(size_t)sa * a->nparties + (size_t)colA[p]];
			if (!(vb > 0) || !(va > 0))
				continue;
			double sb = vb / (double)b->valid[s], sa_ = va / (double)a->valid[sa];
			res[s * P + p] = 100 * ((sb - sa_) - (gb[p] - ga[colA[p]]));
			ok[s * P + p] = 1;
		}
	}
	/* regional means */
	double rm[BLOC_FORECAST_MAX_REGIONS * 64], rn[BLOC_FORECAST_MAX_REGIONS * 64];
	memset(rm, 0, sizeof(rm));
	memset(rn, 0, sizeof(rn));
	for (s = 0; s < S; s++)
		for (p = 0; p < P; p++)
			if (ok[s * P + p]) {
				rm[region_of_b[s] * 64 + p] += res[s * P + p];
				rn[region_of_b[s] * 64 + p] += 1;
			}
	for (r = 0; r < R; r++) {
		double sq = 0, n = 0;
		for (p = 0; p < P; p++)
			if (rn[r * 64 + p] > 0) {
				rm[r * 64 + p] /= rn[r * 64 + p];
				sq += rm[r * 64 + p] * rm[r * 64 + p];
				n++;
			}
		out->region_sd[r] = n > 0 ? sqrt(sq / n) : 0;
	}
	/* similarity of the regions' departures from uniform swing, over parties: correlation,
	 * negatives set to 0, made positive definite */
	for (r = 0; r < R; r++)
		for (k = 0; k < R; k++) {
			double sxy = 0, sxx = 0, syy = 0;
			for (p = 0; p < P; p++)
				if (rn[r * 64 + p] > 0 && rn[k * 64 + p] > 0) {
					sxy += rm[r * 64 + p] * rm[k * 64 + p];
					sxx += rm[r * 64 + p] * rm[r * 64 + p];
					syy += rm[k * 64 + p] * rm[k * 64 + p];
				}
			double c = r == k ? 1 : sxx > 0 && syy > 0 ? sxy / sqrt(sxx * syy) : 0;
			out->region_corr[r * R + k] = c > 0 ? c : 0;
		}
	out->region_shrink = bloc_forecast_repair(out->region_corr, R);
	/* differential swing and factors: each party's within-region residual regressed on its
	 * own share in a (above its GB share) and the centred loadings, jointly */
	double fm[BLOC_FORECAST_MAX_FACTORS * 64], om[64];
	memset(fm, 0, sizeof(fm));
	memset(om, 0, sizeof(om));
	for (p = 0; p < P; p++) {
		const size_t D = K + 1;
		double xtx[(BLOC_FORECAST_MAX_FACTORS + 1) * (BLOC_FORECAST_MAX_FACTORS + 1)],
		    xty[BLOC_FORECAST_MAX_FACTORS + 1], beta[BLOC_FORECAST_MAX_FACTORS + 1],
		    mean[BLOC_FORECAST_MAX_FACTORS + 1], n = 0;
		size_t i, j, m;
		memset(xtx, 0, sizeof(xtx));
		memset(xty, 0, sizeof(xty));
		memset(mean, 0, sizeof(mean));
		if (colA[p] < 0)
			continue;
		for (pass = 0; pass < 2; pass++)
			for (s = 0; s < S; s++) {
				if (pass == 1 && s == 0 && n > 0)
					for (i = 0; i < D; i++)
						mean[i] /= n;
				double x[BLOC_FORECAST_MAX_FACTORS + 1];
				long sa;
				if (!ok[s * P + p] || (sa = bloc_contest_seat(a, b->code[s])) < 0)
					continue;
				x[0] =
				    (double)a->votes[(size_t)sa * a->nparties + (size_t)colA[p]] /
				        (double)a->valid[sa] -
				    ga[colA[p]];
				for (k = 0; k < K; k++)
					x[k + 1] = isnan(load_b[s * K + k]) ? 0 : load_b[s * K + k];
				if (pass == 0) {
					for (i = 0; i < D; i++)
						mean[i] += x[i];
					n++;
					continue;
				}
				double y = res[s * P + p] - rm[region_of_b[s] * 64 + p];
				for (i = 0; i < D; i++) {
					x[i] -= mean[i];
					xty[i] += x[i] * y;
				}
				for (i = 0; i < D; i++)
					for (j = 0; j < D; j++)
						xtx[i * D + j] += x[i] * x[j];
			}
		if (n < 10 + (double)D)
			continue;
		/* solve xtx beta = xty by Gaussian elimination with partial pivoting */
		for (i = 0; i < D; i++)
			beta[i] = xty[i];
		int singular = 0;
		for (i = 0; i < D && !singular; i++) {
			size_t piv = i;
			for (j = i + 1; j < D; j++)
				if (fabs(xtx[j * D + i]) > fabs(xtx[piv * D + i]))
					piv = j;
			if (!(fabs(xtx[piv * D + i]) > 1e-12)) {
				singular = 1;
				break;
			}
			if (piv != i) {
				for (m = 0; m < D; m++) {
					double t = xtx[i * D + m];
					xtx[i * D + m] = xtx[piv * D + m];
					xtx[piv * D + m] = t;
				}
				double t = beta[i];
				beta[i] = beta[piv];
				beta[piv] = t;
			}
			for (j = i + 1; j < D; j++) {
				double f = xtx[j * D + i] / xtx[i * D + i];
				for (m = i; m < D; m++)
					xtx[j * D + m] -= f * xtx[i * D + m];
				beta[j] -= f * beta[i];
			}
		}
		if (singular)
			continue;
		for (i = D; i-- > 0;) {
			for (m = i + 1; m < D; m++)
				beta[i] -= xtx[i * D + m] * beta[m];
			beta[i] /= xtx[i * D + i];
		}
		out->own_slope[p] = beta[0];
		om[p] = mean[0];
		for (k = 0; k < K; k++) {
			out->factor_slope[k * 64 + p] = beta[k + 1];
			fm[k * 64 + p] = mean[k + 1];
		}
	}
	/* seat noise: what is left, scaled to a party at 35% by sqrt(c(1-c)) */
	{
		double sq = 0, n = 0;
		for (s = 0; s < S; s++)
			for (p = 0; p < P; p++) {
				if (!ok[s * P + p])
					continue;
				double e = res[s * P + p] - rm[region_of_b[s] * 64 + p], m = 0;
				long sa = bloc_contest_seat(a, b->code[s]);
				if (sa >= 0)
					m += out->own_slope[p] *
					     ((double)a->votes[(size_t)sa * a->nparties +
					                       (size_t)colA[p]] /
					          (double)a->valid[sa] -
					      ga[colA[p]] - om[p]);
				for (k = 0; k < K; k++)
					if (!isnan(load_b[s * K + k]))
						m += out->factor_slope[k * 64 + p] *
						     (load_b[s * K + k] - fm[k * 64 + p]);
				e -= m;
				double c = (double)b->votes[s * P + p] / (double)b->valid[s];
				c = c < 0.01 ? 0.01 : c;
				sq += e * e / (c * (1 - c) / (0.35 * 0.65));
				n++;
			}
		out->seat_sd = n > 0 ? sqrt(sq / n) : 0;
		out->cells = (size_t)n;
	}
	out->nparties = P;
	memcpy(out->parties, b->parties, P * sizeof(*b->parties));
done:
	bloc_free(res);
	bloc_free(ok);
	return err;
}
