/* MCMC convergence diagnostics: split R-hat and the multi-chain effective sample size, as in
 * Gelman et al., Bayesian Data Analysis (3rd ed., ch. 11.4-11.5) and Stan's reference manual:
 * chains are split in halves; autocorrelations are combined across chains through the
 * between/within variance estimate and summed with Geyer's initial monotone sequence. */
#include "bloc/ei.h"

#include <math.h>
#include <stdlib.h>

#define MAX_SPLIT 256 /* 2 x the most chains bloc_ei_rxc_fit runs */

/* Draw t of split chain j (of length L; split chain 2k is chain k's first half). */
static double at(const double *x, size_t n, size_t stride, size_t L, size_t j, size_t t)
{
	size_t chain = j / 2, off = (j % 2) ? n - L : 0;
	return x[(chain * n + off + t) * stride];
}

/* In-place iterative radix-2 FFT of length n (a power of 2); sign -1 forward, +1 inverse
 * (unscaled). */
static void fft(double *re, double *im, size_t n, int sign)
{
	size_t i, j, k, len;

	for (i = 1, j = 0; i < n; i++) {
		size_t bit = n >> 1;
		for (; j & bit; bit >>= 1)
			j ^= bit;
		j ^= bit;
		if (i < j) {
			double t = re[i];
			re[i] = re[j];
			re[j] = t;
			t = im[i];
			im[i] = im[j];
			im[j] = t;
		}
	}
	for (len = 2; len <= n; len <<= 1) {
		double ang = sign * 6.283185307179586476925 / (double)len, wr = cos(ang),
		       wi = sin(ang);
		for (i = 0; i < n; i += len) {
			double cr = 1, ci = 0;
			for (k = 0; k < len / 2; k++) {
				size_t a = i + k, b = i + k + len / 2;
				double xr = re[b] * cr - im[b] * ci, xi = re[b] * ci + im[b] * cr,
				       t;
				re[b] = re[a] - xr;
				im[b] = im[a] - xi;
				re[a] += xr;
				im[a] += xi;
				t = cr * wr - ci * wi;
				ci = cr * wi + ci * wr;
				cr = t;
			}
		}
	}
}

/* Each split chain's mean and variance; returns W (the mean within variance) and the grand
 * mean. */
static void diag_moments(const double *x, size_t n, size_t stride, size_t M, size_t L, double *mean,
                         double *W, double *grand)
{
	size_t j, t;

	*W = 0;
	*grand = 0;
	for (j = 0; j < M; j++) {
		double s = 0, ss = 0, var;
		for (t = 0; t < L; t++)
			s += at(x, n, stride, L, j, t);
		mean[j] = s / (double)L;
		for (t = 0; t < L; t++) {
			double d = at(x, n, stride, L, j, t) - mean[j];
			ss += d * d;
		}
		var = ss / (double)(L - 1);
		*W += var;
		*grand += mean[j];
	}
	*W /= (double)M;
	*grand /= (double)M;
}

/* The autocovariances averaged over the M split chains into acov (L entries, zeroed by the
 * caller), by FFT zero padded to P; re and im are P entries of scratch. */
static void diag_acov(const double *x, size_t n, size_t stride, size_t M, size_t L, size_t P,
                      const double *mean, double *re, double *im, double *acov)
{
	size_t j, t;

	for (j = 0; j < M; j++) {
		for (t = 0; t < P; t++) {
			re[t] = t < L ? at(x, n, stride, L, j, t) - mean[j] : 0;
			im[t] = 0;
		}
		fft(re, im, P, -1);
		for (t = 0; t < P; t++) {
			re[t] = re[t] * re[t] + im[t] * im[t];
			im[t] = 0;
		}
		fft(re, im, P, 1);
		for (t = 0; t < L; t++)
			acov[t] += re[t] / (double)P / (double)L / (double)M;
	}
}

/* Sum of Geyer's pairs Gamma_k = rho_2k + rho_2k+1 while positive, kept non-increasing. */
static double diag_geyer(const double *acov, size_t L, double W, double vplus)
{
	double tau = 0, prev = INFINITY, sum;
	size_t lag;

	for (lag = 0; lag + 1 < L; lag += 2) {
		sum = 2 - (2 * W - acov[lag] - acov[lag + 1]) / vplus;
		if (!(sum > 0))
			break;
		if (sum > prev)
			sum = prev;
		prev = sum;
		tau += sum;
	}
	return tau;
}

void bloc_ei_diagnose(const double *x, size_t m, size_t n, size_t stride, double *rhat, double *ess)
{
	double mean[MAX_SPLIT], W, B = 0, grand, vplus, tau;
	double *re = NULL, *im = NULL, *acov = NULL;
	size_t M = 2 * m, L = n / 2, j, P;

	if (m == 0 || m > MAX_SPLIT / 2 || n < 4) {
		*rhat = NAN;
		*ess = NAN;
		return;
	}
	diag_moments(x, n, stride, M, L, mean, &W, &grand);
	for (j = 0; j < M; j++)
		B += (mean[j] - grand) * (mean[j] - grand);
	B = M > 1 ? B * (double)L / (double)(M - 1) : 0;
	vplus = (double)(L - 1) / (double)L * W + B / (double)L;
	if (!(sqrt(W) >
	      1e-10 * fabs(grand))) { /* constant draws (to rounding): nothing to diagnose */
		*rhat = B > 0 ? INFINITY : 1;
		*ess = B > 0 ? 1 : (double)(M * L);
		return;
	}
	*rhat = sqrt(vplus / W);
	/* rho_t = 1 - (W - mean_j acov_j(t)) / var+, acov with denominator L (by FFT, zero
	 * padded); pairs Gamma_k = rho_2k + rho_2k+1 are summed while positive and kept
	 * non-increasing (Geyer's initial monotone sequence). */
	for (P = 1; P < 2 * L; P <<= 1)
		;
	if (!(re = malloc(P * sizeof(double))) || !(im = malloc(P * sizeof(double))) ||
	    !(acov = calloc(L, sizeof(double)))) {
		free(re);
		free(im);
		*ess = NAN;
		return;
	}
	diag_acov(x, n, stride, M, L, P, mean, re, im, acov);
	tau = diag_geyer(acov, L, W, vplus);
	free(re);
	free(im);
	free(acov);
	tau = 2 * tau - 1; /* -1 + 2 sum_k Gamma_k */
	if (tau < 1.0 / log10((double)(M * L) + 10))
		tau = 1.0 / log10((double)(M * L) + 10); /* Stan's cap on antithetic chains */
	*ess = (double)(M * L) / tau;
}
