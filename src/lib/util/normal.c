/* The standard normal's upper tail in logs and its inverse, accurate in relative terms far into
 * the tails (normal.h). */
#include "normal.h"

#include <math.h>

#define LOG_2PI 1.8378770664093453
#define SQRT1_2 0.70710678118654752
#define LN2     0.69314718055994531

/* log Q(z), Q the upper tail, accurate in relative terms for every z: erfc is accurate to a few
 * ulps until it underflows near z = 38; from 35 on, the asymptotic series of the Mills ratio (its
 * first omitted term is below 4e-15 there). */
double bloc__normal_log_q(double z)
{
	double r;

	if (z < 35)
		return log(0.5 * erfc(z * SQRT1_2));
	r = 1 / (z * z);
	return -0.5 * z * z - log(z) - 0.5 * LOG_2PI +
	       log1p(r * (-1 + r * (3 + r * (-15 + r * (105 - 945 * r)))));
}

/* z with log Q(z) = lq (lq <= 0): Acklam's rational approximation of the normal quantile
 * (relative error 1.2e-9; the tail branch works from log p, so it holds down to any lq), then
 * a Newton step on log Q (two beyond 1e-304): the error squares, to about 1e-15. */
double bloc__normal_inv_q_log(double lq)
{
	static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,
	                           -2.759285104469687e+02, 1.383577518672690e+02,
	                           -3.066479806614716e+01, 2.506628277459239e+00};
	static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02,
	                           -1.556989798598866e+02, 6.680131188771972e+01,
	                           -1.328068155288572e+01};
	static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01,
	                           -2.400758277161838e+00, -2.549732539343734e+00,
	                           4.374664141464968e+00,  2.938163982698783e+00};
	static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01,
	                           2.445134137142996e+00, 3.754408661907416e+00};
	double z, p;
	int k;

	if (!(lq <= 0))
		return NAN;
	if (lq == -INFINITY)
		return INFINITY;
	if (lq > -LN2) /* Q(z) > 1/2: z < 0, and Q(-z) = 1 - Q(z) */
		return -bloc__normal_inv_q_log(log(-expm1(lq)));
	if (lq < -3.7192) { /* p < 0.02425: the tail branch, lower tail at -z */
		double q = sqrt(-2 * lq);
		z = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
		    ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
	} else {
		double q, r;
		p = exp(lq);
		q = p - 0.5;
		r = q * q;
		z = -(((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
		    (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
	}
	/* h(z) = log Q(z) - lq, h'(z) = -phi(z) / Q(z) */
	for (k = lq < -700 ? 2 : 1; k > 0; k--) { /* beyond 1e-304 Acklam is rougher */
		double l = bloc__normal_log_q(z), lphi = -0.5 * z * z - 0.5 * LOG_2PI;
		z += (l - lq) * exp(l - lphi);
	}
	return z;
}

double bloc__normal_quantile(double p)
{
	return p < 0.5 ? -bloc__normal_inv_q_log(log(p)) : bloc__normal_inv_q_log(log1p(-p));
}
