/* King's (1997) 2 x 2 ecological inference, following R's ei::ei 1.3-3 (no covariates): the
 * likelihood of the truncated bivariate normal with ei's priors, a BFGS maximiser with central
 * difference gradients, a numeric Hessian, sampling-importance-resampling of phi and truncated
 * normal draws of every unit's bb_i within its bounds.
 *
 * Streams of the seed: 0 the importance proposals, 1 the resampling, 2 + i unit i's draws. A
 * unit's draws use its own stream only, so results are a pure function of the seed.
 *
 * Where this departs from ei, on purpose:
 * - the proposal covariance is the inverse Hessian, not a quarter of it, and the kept draws are
 *   a systematic resample of `proposals` weighted draws (ei: accept/reject with one shared
 *   uniform, 99 draws);
 * - V_i, the conditional variance of bb_i, is computed in the closed form
 *   sb^2 sw^2 (1 - rho^2) (1 - x)^2 / s2 (no cancellation), not floored to 1e-4;
 * - units with t < 1e-4 or t > 1 - 1e-4 use ei's likelihood term (the bivariate density at the
 *   corner) but draw bb_i within their (narrow) bounds like every other unit, so bw_i always
 *   follows from the accounting identity (ei sets both to the lower bounds);
 * - where a unit holds no member of the group (x = 0) bw_i = t and bb_i is drawn from its
 *   conditional distribution given bw_i within [0, 1] (ei reports NA), and the same with the
 *   roles swapped where x = 1. Such a draw has weight 0 in the aggregates. */
#include "bloc/ei.h"
#include "bloc/error.h"
#include "bloc/rng.h"

#include "../core/alloc.h"
#include "../util/linalg.h"
#include "../util/normal.h"
#include "ei_internal.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define KING_BURN     1000   /* Metropolis fallback: iterations discarded */
#define KING_THIN     5      /* and kept one in */
#define KING_RW_SCALE 1.0644 /* 2.38 / sqrt(5) */

#define NPAR    5
#define LOG_2PI 1.8378770664093453
#define SQRT1_2 0.70710678118654752
#define ENUMTOL 1e-4  /* ei's enumtol: t this close to 0 or 1 uses the corner density */
#define RMIN    1e-14 /* ei's floor on the truncation normaliser R */
/* BFGS stops, converged, when max |gradient| <= GTOL (1 + |f|); f is a sum over units, so its
 * rounding, and the noise of the numeric gradient, grow with n. It also stops when f has not
 * fallen by more than its rounding for STALL iterations, and then counts as converged when the
 * gradient is below GTOL_NOISE (1 + |f|). */
#define GTOL       1e-7
#define GTOL_NOISE 1e-5
#define STALL      3
#define MAX_ITER   500

enum { UNIT_HET, UNIT_T0, UNIT_T1, UNIT_X0, UNIT_X1 };

/* The data of the 2 x 2 problem: per unit x, t, the bounds of bb and the kind. */
typedef struct {
	size_t n;
	const double *x, *t, *lo, *hi;
	const unsigned char *kind;
	double erho, esigma, ebeta;
} kdata;

/* The untruncated normal's parameters derived from phi. opr = 1 + rho, omr2 = 1 - rho^2, both
 * computed without cancellation near rho = -1 or 1. */
typedef struct {
	double Bb, Bw, sb, sw, rho, opr, omr2;
} kpsi;

static void psi_of(const double *phi, kpsi *p)
{
	double omr;

	p->sb = exp(phi[2]);
	p->sw = exp(phi[3]);
	p->Bb = phi[0] * (0.25 + p->sb * p->sb) + 0.5;
	p->Bw = phi[1] * (0.25 + p->sw * p->sw) + 0.5;
	p->rho = tanh(phi[4]);
	p->opr = 2 / (1 + exp(-2 * phi[4]));
	omr = 2 / (1 + exp(2 * phi[4]));
	p->omr2 = p->opr * omr;
}

/* ------------------------------------------------------------------------------------------
 * Normal tails: log Q(z) and its inverse are util/normal.c's (bloc__normal_log_q, _inv_q_log). */

static double q_tail(double z)
{
	return 0.5 * erfc(z * SQRT1_2);
}

/* log(Phi(b) - Phi(a)) for a <= b, without cancellation in either tail: upper tails where both
 * bounds are above 0, in logs beyond 30 sd (where Q nears the underflow). */
static double log_phi_diff(double a, double b)
{
	double la;

	if (!(a < b))
		return -INFINITY;
	if (a >= 0) {
		if (a < 30)
			return log(q_tail(a) - q_tail(b));
		la = bloc__normal_log_q(a);
		if (la == -INFINITY)
			return -INFINITY;
		return la + log(-expm1(bloc__normal_log_q(b) - la));
	}
	if (b <= 0)
		return log_phi_diff(-b, -a);
	return log1p(-(q_tail(-a) + q_tail(b)));
}

/* The standard normal truncated to [a, b] (a < b) at probability u in [0, 1], by inversion in
 * whichever tail keeps the precision: both bounds above 0 work with upper tails in logs, both
 * below 0 by symmetry, straddling 0 from the nearer end. */
static double tnorm_std(double a, double b, double u)
{
	if (a >= 0) {
		double la, lb, qa;
		if (a < 30) {
			qa = q_tail(a);
			return bloc__normal_inv_q_log(log(qa - u * (qa - q_tail(b))));
		}
		la = bloc__normal_log_q(a);
		lb = bloc__normal_log_q(b);
		if (la == -INFINITY) /* beyond any double: the bound itself */
			return a;
		return bloc__normal_inv_q_log(la + log1p(u * expm1(lb - la)));
	}
	if (b <= 0)
		return -tnorm_std(-b, -a, 1 - u);
	{
		double A = q_tail(-a), B = q_tail(b), m = 1 - A - B, p = A + u * m;
		if (p <= 0.5)
			return -bloc__normal_inv_q_log(log(p));
		return bloc__normal_inv_q_log(log(B + (1 - u) * m));
	}
}

/* A draw of N(mean, sd^2) truncated to [lo, hi] at probability u, clipped against rounding. */
static double tnorm(double mean, double sd, double lo, double hi, double u)
{
	double v;

	if (!(hi > lo))
		return lo;
	v = mean + sd * tnorm_std((lo - mean) / sd, (hi - mean) / sd, u);
	return v < lo ? lo : v > hi ? hi : v;
}

/* ------------------------------------------------------------------------------------------
 * The bivariate normal upper orthant P(X > h, Y > k), correlation r: Genz's BVND (Drezner and
 * Wesolowsky 1989, with Genz's changes for double precision and |r| near 1; Genz, "Numerical
 * computation of rectangular bivariate and trivariate normal and t probabilities", Statistics
 * and Computing 14, 2004): absolute error about 1e-15, a fixed rule per range of r, so smooth
 * in the parameters as the numeric derivatives need. */
static double bvn_upper(double h, double k, double r)
{
	static const double w[3][10] = {
	    {0.1713244923791705, 0.3607615730481384, 0.4679139345726904},
	    {0.04717533638651177, 0.1069393259953183, 0.1600783285433464, 0.2031674267230659,
	     0.2334925365383547, 0.2491470458134029},
	    {0.01761400713915212, 0.04060142980038694, 0.06267204833410906, 0.08327674157670475,
	     0.1019301198172404, 0.1181945319615184, 0.1316886384491766, 0.1420961093183821,
	     0.1491729864726037, 0.1527533871307259}};
	static const double x[3][10] = {
	    {-0.9324695142031522, -0.6612093864662647, -0.2386191860831970},
	    {-0.9815606342467191, -0.9041172563704750, -0.7699026741943050, -0.5873179542866171,
	     -0.3678314989981802, -0.1252334085114692},
	    {-0.9931285991850949, -0.9639719272779138, -0.9122344282513259, -0.8391169718222188,
	     -0.7463319064601508, -0.6360536807265150, -0.5108670019508271, -0.3737060887154196,
	     -0.2277858511416451, -0.07652652113349733}};
	const double twopi = 6.283185307179586;
	double hk, bvn = 0;
	int ng, lg, i;

	if (fabs(r) < 0.3) {
		ng = 0;
		lg = 3;
	} else if (fabs(r) < 0.75) {
		ng = 1;
		lg = 6;
	} else {
		ng = 2;
		lg = 10;
	}
	hk = h * k;
	if (fabs(r) < 0.925) {
		double hs = (h * h + k * k) / 2, asr = asin(r);
		for (i = 0; i < lg; i++) {
			double sn = sin(asr * (x[ng][i] + 1) / 2);
			bvn += w[ng][i] * exp((sn * hk - hs) / (1 - sn * sn));
			sn = sin(asr * (-x[ng][i] + 1) / 2);
			bvn += w[ng][i] * exp((sn * hk - hs) / (1 - sn * sn));
		}
		return bvn * asr / (2 * twopi) + q_tail(h) * q_tail(k);
	}
	if (r < 0) {
		k = -k;
		hk = -hk;
	}
	if (fabs(r) < 1) {
		double as = (1 - r) * (1 + r), a = sqrt(as), bs = (h - k) * (h - k);
		double c = (4 - hk) / 8, d = (12 - hk) / 16;
		bvn = a * exp(-(bs / as + hk) / 2) *
		      (1 - c * (bs - as) * (1 - d * bs / 5) / 3 + c * d * as * as / 5);
		if (hk > -160) {
			double bb = sqrt(bs);
			bvn -= exp(-hk / 2) * sqrt(twopi) * q_tail(bb / a) * bb *
			       (1 - c * bs * (1 - d * bs / 5) / 3);
		}
		a /= 2;
		for (i = 0; i < lg; i++) {
			double xs = (a * (x[ng][i] + 1)) * (a * (x[ng][i] + 1)), rs = sqrt(1 - xs);
			bvn += a * w[ng][i] *
			       (exp(-bs / (2 * xs) - hk / (1 + rs)) / rs -
			        exp(-(bs / xs + hk) / 2) * (1 + c * xs * (1 + d * xs)));
			xs = as * (-x[ng][i] + 1) * (-x[ng][i] + 1) / 4;
			rs = sqrt(1 - xs);
			bvn += a * w[ng][i] * exp(-(bs / xs + hk) / 2) *
			       (exp(-hk * (1 - rs) / (2 * (1 + rs))) / rs -
			        (1 + c * xs * (1 + d * xs)));
		}
		bvn = -bvn / twopi;
	}
	if (r > 0)
		return bvn + q_tail(fmax(h, k));
	bvn = -bvn;
	if (k > h) {
		if (h < 0)
			bvn += q_tail(-k) - q_tail(-h);
		else
			bvn += q_tail(h) - q_tail(k);
	}
	return bvn;
}

/* P(a1 < X < b1, a2 < Y < b2), standard bivariate normal with correlation r. Each interval is
 * reflected to have a centre >= 0 (reflecting one coordinate flips the sign of r), so the four
 * orthants of the inclusion-exclusion are the small ones and a rectangle far in a tail keeps
 * its relative precision. Bounds beyond 40 sd are clipped (the tail there is below 1e-300). */
static double bvn_rect(double a1, double b1, double a2, double b2, double r)
{
	double t, p;

	if (a1 + b1 < 0) {
		t = a1;
		a1 = -b1;
		b1 = -t;
		r = -r;
	}
	if (a2 + b2 < 0) {
		t = a2;
		a2 = -b2;
		b2 = -t;
		r = -r;
	}
	a1 = fmax(-40, fmin(40, a1));
	b1 = fmax(-40, fmin(40, b1));
	a2 = fmax(-40, fmin(40, a2));
	b2 = fmax(-40, fmin(40, b2));
	p = bvn_upper(a1, a2, r) - bvn_upper(b1, a2, r) - bvn_upper(a1, b2, r) +
	    bvn_upper(b1, b2, r);
	return p;
}

/* ------------------------------------------------------------------------------------------
 * The log posterior (ei's `like`, sign flipped): every unit's term, minus log R per unit (R the
 * mass of the untruncated normal in the unit square), plus the priors. */

/* E and V of bb_i given t_i, for a unit with 0 < x < 1 */
static void cond_bb(const kpsi *p, double x, double t, double *E, double *V, double *s2,
                    double *eps)
{
	double omx = 1 - x, sb2 = p->sb * p->sb, d = p->sb * x - p->sw * omx;
	double omega = sb2 * x + p->rho * p->sb * p->sw * omx;

	*s2 = d * d + 2 * p->opr * p->sb * p->sw * x * omx;
	*eps = t - (p->Bb * x + p->Bw * omx);
	*E = p->Bb + omega / *s2 * *eps;
	*V = sb2 * p->sw * p->sw * p->omr2 * omx * omx / *s2;
	if (!(*V > 1e-300))
		*V = 1e-300;
}

static double log_post(const double *phi, const kdata *dt)
{
	kpsi p;
	double ll = 0, lR, R, prior = 0;
	size_t i;

	psi_of(phi, &p);
	if (!(p.sb > 0 && p.sw > 0 && isfinite(p.sb) && isfinite(p.sw) && isfinite(p.Bb) &&
	      isfinite(p.Bw)))
		return -INFINITY;
	R = bvn_rect(-p.Bb / p.sb, (1 - p.Bb) / p.sb, -p.Bw / p.sw, (1 - p.Bw) / p.sw, p.rho);
	lR = log(R > RMIN ? R : RMIN);
	for (i = 0; i < dt->n; i++) {
		double x = dt->x[i], t = dt->t[i], E, V, s2, eps, e, s, c;
		switch (dt->kind[i]) {
		case UNIT_HET:
			cond_bb(&p, x, t, &E, &V, &s2, &eps);
			s = sqrt(V);
			ll += -0.5 * (log(s2) + eps * eps / s2) +
			      log_phi_diff((dt->lo[i] - E) / s, (dt->hi[i] - E) / s);
			break;
		case UNIT_X0: /* bw = t observed; bb's conditional mass in [0, 1] */
			e = t - p.Bw;
			E = p.Bb + p.rho * (p.sb / p.sw) * e;
			s = p.sb * sqrt(p.omr2);
			ll += -0.5 * (2 * log(p.sw) + e * e / (p.sw * p.sw)) +
			      log_phi_diff(-E / s, (1 - E) / s);
			break;
		case UNIT_X1:
			e = t - p.Bb;
			E = p.Bw + p.rho * (p.sw / p.sb) * e;
			s = p.sw * sqrt(p.omr2);
			ll += -0.5 * (2 * log(p.sb) + e * e / (p.sb * p.sb)) +
			      log_phi_diff(-E / s, (1 - E) / s);
			break;
		default: /* t near 0 or 1: the bivariate normal density at the corner */
			c = dt->kind[i] == UNIT_T0 ? 0 : 1;
			{
				double zb = (c - p.Bb) / p.sb, zw = (c - p.Bw) / p.sw;
				ll += -LOG_2PI - log(p.sb) - log(p.sw) - 0.5 * log(p.omr2) -
				      0.5 * (zb * zb - 2 * p.rho * zb * zw + zw * zw) / p.omr2;
			}
			break;
		}
		ll -= lR;
	}
	if (dt->erho > 0)
		prior +=
		    -0.5 * LOG_2PI - log(dt->erho) - phi[4] * phi[4] / (2 * dt->erho * dt->erho);
	if (dt->esigma > 0)
		prior -= (p.sb * p.sb + p.sw * p.sw) / (2 * dt->esigma * dt->esigma);
	if (dt->ebeta > 0) { /* as ei: divided by ebeta, not its square */
		if (p.Bb < 0)
			prior -= 0.5 * p.Bb * p.Bb / dt->ebeta;
		if (p.Bb > 1)
			prior -= 0.5 * (p.Bb - 1) * (p.Bb - 1) / dt->ebeta;
		if (p.Bw < 0)
			prior -= 0.5 * p.Bw * p.Bw / dt->ebeta;
		if (p.Bw > 1)
			prior -= 0.5 * (p.Bw - 1) * (p.Bw - 1) / dt->ebeta;
	}
	ll += prior;
	return isfinite(ll) ? ll : -INFINITY;
}

/* The objective minimised: -log posterior, +inf where it is not finite. */
static double objective(const double *phi, const kdata *dt)
{
	return -log_post(phi, dt);
}

/* ------------------------------------------------------------------------------------------
 * BFGS on the inverse Hessian with central difference gradients and a backtracking (Armijo)
 * line search; steps are capped at 1 in every coordinate (phi lives on log and atanh scales,
 * where a longer step only overflows). */
static void gradient(const double *x, double f, const kdata *dt, double *g)
{
	double y[NPAR];
	int j;

	memcpy(y, x, sizeof(y));
	for (j = 0; j < NPAR; j++) {
		double h = 1e-5 * (1 + fabs(x[j])), fp, fm;
		y[j] = x[j] + h;
		fp = objective(y, dt);
		y[j] = x[j] - h;
		fm = objective(y, dt);
		y[j] = x[j];
		if (isfinite(fp) && isfinite(fm))
			g[j] = (fp - fm) / (2 * h);
		else if (isfinite(fp))
			g[j] = (fp - f) / h;
		else if (isfinite(fm))
			g[j] = (f - fm) / h;
		else
			g[j] = 0;
	}
}

static double max_abs(const double *v)
{
	double m = 0;
	int j;

	for (j = 0; j < NPAR; j++)
		m = fmax(m, fabs(v[j]));
	return m;
}

static double dot(const double *a, const double *b)
{
	double s = 0;
	int j;

	for (j = 0; j < NPAR; j++)
		s += a[j] * b[j];
	return s;
}

static void identity(double *H)
{
	int i;

	memset(H, 0, NPAR * NPAR * sizeof(double));
	for (i = 0; i < NPAR; i++)
		H[i * NPAR + i] = 1;
}

/* d = -H g and the slope g'd; where that is not a descent direction, H restarts at the
 * identity (*fresh = 1) and d is steepest descent. */
static double direction(double *H, const double *g, double *d, int *fresh)
{
	double gd = 0;
	int i, j;

	for (i = 0; i < NPAR; i++) {
		d[i] = 0;
		for (j = 0; j < NPAR; j++)
			d[i] -= H[i * NPAR + j] * g[j];
		gd += g[i] * d[i];
	}
	if (!(gd < 0)) { /* not a descent direction: restart from steepest descent */
		identity(H);
		*fresh = 1;
		for (i = 0; i < NPAR; i++)
			d[i] = -g[i];
		gd = 0;
		for (i = 0; i < NPAR; i++)
			gd -= g[i] * g[i];
	}
	return gd;
}

/* Backtracking from x along d (slope gd), first step at most 1 in every coordinate, halved up
 * to 60 times until the Armijo condition holds: 1 with the point xn and its value *fn, else 0. */
static int line_search(const double *x, double f, const double *d, double gd, const kdata *dt,
                       double *xn, double *fn)
{
	double step = 1, dmax = max_abs(d);
	int i, j;

	if (dmax > 1)
		step = 1 / dmax;
	for (j = 0; j < 60; j++) {
		for (i = 0; i < NPAR; i++)
			xn[i] = x[i] + step * d[i];
		*fn = objective(xn, dt);
		if (isfinite(*fn) && *fn <= f + 1e-4 * step * gd)
			return 1;
		step *= 0.5;
	}
	return 0;
}

/* The BFGS update of the inverse Hessian H after step s changed the gradient by y, skipped
 * when s'y is not safely positive; the first update after a restart (fresh) scales H first.
 * Returns the new `fresh`. */
static int bfgs_update(double *H, const double *s, const double *y, int fresh)
{
	double Hy[NPAR], sy = 0, yHy = 0;
	int i, j;

	for (i = 0; i < NPAR; i++)
		sy += s[i] * y[i];
	if (!(sy > 1e-12 * sqrt(dot(s, s) * dot(y, y))))
		return fresh;
	for (i = 0; i < NPAR; i++) {
		Hy[i] = 0;
		for (j = 0; j < NPAR; j++)
			Hy[i] += H[i * NPAR + j] * y[j];
		yHy += y[i] * Hy[i];
	}
	if (fresh) { /* scale the first approximation (Nocedal and Wright 6.20) */
		double yy = 0;
		for (i = 0; i < NPAR; i++)
			yy += y[i] * y[i];
		for (i = 0; i < NPAR * NPAR; i++)
			H[i] *= sy / yy;
		for (i = 0; i < NPAR; i++)
			Hy[i] *= sy / yy;
		yHy *= sy / yy;
	}
	/* H += (1 + y'Hy/s'y) ss'/s'y - (Hy s' + s y'H)/s'y */
	for (i = 0; i < NPAR; i++)
		for (j = 0; j < NPAR; j++)
			H[i * NPAR + j] +=
			    (1 + yHy / sy) * s[i] * s[j] / sy - (Hy[i] * s[j] + s[i] * Hy[j]) / sy;
	return 0;
}

/* Minimise from x (updated in place); returns 1 when converged. *fx gets the minimum. */
static int bfgs(double *x, double *fx, const kdata *dt)
{
	double H[NPAR * NPAR], g[NPAR], gn[NPAR], d[NPAR], xn[NPAR], s[NPAR], y[NPAR];
	double f = *fx, fn = f;
	int iter, i, fresh = 1, stall = 0;

	identity(H);
	gradient(x, f, dt, g);
	for (iter = 0; iter < MAX_ITER; iter++) {
		double gd;

		if (max_abs(g) <= GTOL * (1 + fabs(f)) || stall >= STALL)
			break;
		gd = direction(H, g, d, &fresh);
		if (!line_search(x, f, d, gd, dt, xn, &fn)) {
			if (fresh)
				break; /* steepest descent fails too: at the noise floor */
			identity(H);
			fresh = 1;
			continue;
		}
		gradient(xn, fn, dt, gn);
		for (i = 0; i < NPAR; i++) {
			s[i] = xn[i] - x[i];
			y[i] = gn[i] - g[i];
		}
		fresh = bfgs_update(H, s, y, fresh);
		stall = f - fn <= 4 * DBL_EPSILON * (1 + fabs(f)) ? stall + 1 : 0;
		memcpy(x, xn, sizeof(xn));
		memcpy(g, gn, sizeof(gn));
		f = fn;
	}
	*fx = f;
	return max_abs(g) <= GTOL_NOISE * (1 + fabs(f));
}

/* The Hessian of the objective at x by central second differences. Returns -1 if any point
 * is not finite. */
static int hessian(const double *x, double f, const kdata *dt, double *Hs)
{
	double y[NPAR], h[NPAR];
	int i, j;

	memcpy(y, x, sizeof(y));
	for (i = 0; i < NPAR; i++)
		h[i] = 2e-4 * (1 + fabs(x[i]));
	for (i = 0; i < NPAR; i++) {
		double fp, fm;
		y[i] = x[i] + h[i];
		fp = objective(y, dt);
		y[i] = x[i] - h[i];
		fm = objective(y, dt);
		y[i] = x[i];
		Hs[i * NPAR + i] = (fp - 2 * f + fm) / (h[i] * h[i]);
		for (j = 0; j < i; j++) {
			double fpp, fpm, fmp, fmm;
			y[i] = x[i] + h[i];
			y[j] = x[j] + h[j];
			fpp = objective(y, dt);
			y[j] = x[j] - h[j];
			fpm = objective(y, dt);
			y[i] = x[i] - h[i];
			fmm = objective(y, dt);
			y[j] = x[j] + h[j];
			fmp = objective(y, dt);
			y[i] = x[i];
			y[j] = x[j];
			Hs[i * NPAR + j] = Hs[j * NPAR + i] =
			    (fpp - fpm - fmp + fmm) / (4 * h[i] * h[j]);
		}
	}
	for (i = 0; i < NPAR * NPAR; i++)
		if (!isfinite(Hs[i]))
			return -1;
	return 0;
}

/* Cholesky of the NPAR x NPAR a into l (lower). Returns -1 when not positive definite. */

/* ------------------------------------------------------------------------------------------
 * Summaries */
static void summarise(double *v, size_t m, double *mean, double *sd, double *lo, double *hi)
{
	double s = 0, ss = 0, mu, vmin = v[0], vmax = v[0];
	size_t k;

	for (k = 0; k < m; k++) {
		s += v[k];
		vmin = fmin(vmin, v[k]);
		vmax = fmax(vmax, v[k]);
	}
	mu = s / (double)m;
	for (k = 0; k < m; k++)
		ss += (v[k] - mu) * (v[k] - mu);
	/* the rounding of the sum must not move the mean outside the draws (equal draws) */
	*mean = fmin(vmax, fmax(vmin, mu));
	if (sd)
		*sd = m > 1 ? sqrt(ss / (double)(m - 1)) : 0;
	*lo = bloc__ei_quantile(v, m, 0.025);
	*hi = bloc__ei_quantile(v, m, 0.975);
}

/* ------------------------------------------------------------------------------------------ */
/* q ~ N(0, H^-1) for the Cholesky factor L of H (H = L L'): q = L^-T z, z standard normal;
 * returns z'z. */
static double normal_step(bloc_rng *rng, const double *L, double *q)
{
	double z[NPAR], zz = 0;
	int j, l;

	for (j = 0; j < NPAR; j++) {
		z[j] = bloc_rng_normal(rng);
		zz += z[j] * z[j];
	}
	for (j = NPAR; j-- > 0;) {
		double s = z[j];
		for (l = j + 1; l < NPAR; l++)
			s -= L[l * NPAR + j] * q[l];
		q[j] = s / L[j * NPAR + j];
	}
	return zz;
}

void bloc_ei_king_options_init(bloc_ei_king_options *o)
{
	memset(o, 0, sizeof(*o));
	o->draws = 2000;
	o->proposals = 20 * o->draws;
	o->seed = 1;
	o->erho = o->esigma = o->ebeta = 0.5;
}

void bloc_ei_king_dispose(bloc_ei_king *k)
{
	if (!k)
		return;
	bloc_free(k->unit_est);
	bloc_free(k->unit_lo95);
	bloc_free(k->unit_hi95);
	bloc_free(k->agg_draws);
	memset(k, 0, sizeof(*k));
}

/* Per unit: x, t, bb's bounds, the kind and the weights of the two aggregates. Counts a hair
 * outside 0..1 of the total (rounding in estimated counts) are clipped; more is an error. */
static int prepare(const bloc_ei_input *in, size_t group, size_t party, double *x, double *t,
                   double *lo, double *hi, unsigned char *kind, double *nb, double *nw)
{
	size_t i, het = 0;

	for (i = 0; i < in->n; i++) {
		double N = in->total[i], g = in->gcount[i * in->R + group];
		double T = in->pcount[i * in->C + party], xi, ti;
		const char *id = in->unit && in->unit[i] ? in->unit[i] : "?";

		if (!(N > 0 && isfinite(N)))
			return bloc_error_set(BLOC_ENUMERIC,
			                      "ei king: unit %zu ('%s'): total %g is not positive",
			                      i + 1, id, N);
		xi = g / N;
		ti = T / N;
		if (!(xi >= -1e-9 && xi <= 1 + 1e-9 && ti >= -1e-9 && ti <= 1 + 1e-9))
			return bloc_error_set(BLOC_ENUMERIC,
			                      "ei king: unit %zu ('%s'): group share %g or party "
			                      "share %g outside 0..1",
			                      i + 1, id, xi, ti);
		xi = fmin(1, fmax(0, xi));
		ti = fmin(1, fmax(0, ti));
		x[i] = xi;
		t[i] = ti;
		nb[i] = xi * N;
		nw[i] = (1 - xi) * N;
		lo[i] = 0;
		hi[i] = 1;
		if (xi == 0) {
			kind[i] = UNIT_X0;
		} else if (xi == 1) {
			kind[i] = UNIT_X1;
		} else {
			lo[i] = fmax(0, (ti - (1 - xi)) / xi);
			hi[i] = fmin(1, ti / xi);
			if (lo[i] > hi[i])
				lo[i] = hi[i];
			kind[i] = ti < ENUMTOL ? UNIT_T0 : ti > 1 - ENUMTOL ? UNIT_T1 : UNIT_HET;
			het++;
		}
	}
	if (!het)
		return bloc_error_set(BLOC_ENUMERIC,
		                      "ei king: no unit holds both group '%s' and the rest",
		                      in->group && in->group[group] ? in->group[group] : "?");
	return BLOC_OK;
}

/* One unit's draws: for each kept psi, (bb, bw) into db, dw; accumulated into the aggregates'
 * numerators num (draws * 2). */
static void unit_draws(const kdata *dt, size_t i, const kpsi *ps, size_t draws, bloc_rng *rng,
                       double nb, double nw, double *db, double *dw, double *num)
{
	double x = dt->x[i], t = dt->t[i], omx = 1 - x;
	size_t k;

	for (k = 0; k < draws; k++) {
		const kpsi *p = ps + k;
		double u = bloc_rng_uniform(rng), E, V, s2, eps, bb, bw;

		switch (dt->kind[i]) {
		case UNIT_X0:
			bw = t;
			E = p->Bb + p->rho * (p->sb / p->sw) * (t - p->Bw);
			bb = tnorm(E, p->sb * sqrt(p->omr2), 0, 1, u);
			break;
		case UNIT_X1:
			bb = t;
			E = p->Bw + p->rho * (p->sw / p->sb) * (t - p->Bb);
			bw = tnorm(E, p->sw * sqrt(p->omr2), 0, 1, u);
			break;
		default:
			cond_bb(p, x, t, &E, &V, &s2, &eps);
			bb = tnorm(E, sqrt(V), dt->lo[i], dt->hi[i], u);
			/* the accounting identity, clipped to bw's bounds against rounding */
			bw = (t - bb * x) / omx;
			bw = fmin(fmin(1, t / omx), fmax(fmax(0, (t - x) / omx), bw));
			break;
		}
		db[k] = bb;
		dw[k] = bw;
		num[2 * k] += bb * nb;
		num[2 * k + 1] += bw * nw;
	}
}

/* The arguments of a fit: indices in range, draws and proposals within limits, prior scales
 * finite and at least 0. */
static int check_fit(const bloc_ei_input *in, size_t group, size_t party,
                     const bloc_ei_king_options *o, size_t draws, size_t nprop)
{
	size_t bytes;

	if (group >= in->R)
		return bloc_error_set(BLOC_EINVAL,
		                      "ei king: group index %zu out of range (the input has %zu "
		                      "groups)",
		                      group, in->R);
	if (party >= in->C)
		return bloc_error_set(BLOC_EINVAL,
		                      "ei king: party index %zu out of range (the input has %zu "
		                      "parties)",
		                      party, in->C);
	if (draws == 0 || draws > 100000000 || nprop > 1000000000)
		return bloc_error_set(BLOC_EINVAL,
		                      "ei king: draws must be 1 to 1e8 and proposals at most 1e9, "
		                      "got %zu and %zu",
		                      draws, nprop);
	if (!(o->erho >= 0 && o->esigma >= 0 && o->ebeta >= 0) || !isfinite(o->erho) ||
	    !isfinite(o->esigma) || !isfinite(o->ebeta))
		return bloc_error_set(BLOC_EINVAL,
		                      "ei king: prior scales erho %g, esigma %g, ebeta %g must be "
		                      "finite and at least 0 (0 turns a prior off)",
		                      o->erho, o->esigma, o->ebeta);
	if (bloc_mul_overflow(in->n, 2 * sizeof(double), &bytes) ||
	    bloc_mul_overflow(nprop, NPAR * sizeof(double), &bytes) ||
	    bloc_mul_overflow(draws, sizeof(kpsi), &bytes))
		return bloc_error_set(BLOC_ENOMEM, "ei king: the problem is too large");
	return BLOC_OK;
}

/* A fit's working memory: per unit (prepare), the importance proposals and their weights, the
 * kept psi and one unit's draws. */
typedef struct {
	double *x, *t, *lo, *hi, *nb, *nw;
	unsigned char *kind;
	double *prop, *lw; /* nprop * NPAR, nprop */
	kpsi *ps;          /* draws */
	double *db, *dw;   /* draws */
} kwork;

static void work_free(kwork *w)
{
	bloc_free(w->x);
	bloc_free(w->t);
	bloc_free(w->lo);
	bloc_free(w->hi);
	bloc_free(w->nb);
	bloc_free(w->nw);
	bloc_free(w->kind);
	bloc_free(w->prop);
	bloc_free(w->lw);
	bloc_free(w->ps);
	bloc_free(w->db);
	bloc_free(w->dw);
}

static int work_alloc(kwork *w, bloc_ei_king *out, size_t n, size_t nprop, size_t draws)
{
	if (!(w->x = bloc_calloc(n, sizeof(double))) || !(w->t = bloc_calloc(n, sizeof(double))) ||
	    !(w->lo = bloc_calloc(n, sizeof(double))) ||
	    !(w->hi = bloc_calloc(n, sizeof(double))) ||
	    !(w->nb = bloc_calloc(n, sizeof(double))) ||
	    !(w->nw = bloc_calloc(n, sizeof(double))) || !(w->kind = bloc_calloc(n, 1)) ||
	    !(w->prop = bloc_calloc(nprop, NPAR * sizeof(double))) ||
	    !(w->lw = bloc_calloc(nprop, sizeof(double))) ||
	    !(w->ps = bloc_calloc(draws, sizeof(kpsi))) ||
	    !(w->db = bloc_calloc(draws, sizeof(double))) ||
	    !(w->dw = bloc_calloc(draws, sizeof(double))) ||
	    !(out->unit_est = bloc_calloc(n, 2 * sizeof(double))) ||
	    !(out->unit_lo95 = bloc_calloc(n, 2 * sizeof(double))) ||
	    !(out->unit_hi95 = bloc_calloc(n, 2 * sizeof(double))) ||
	    !(out->agg_draws = bloc_calloc(draws, 2 * sizeof(double))))
		return bloc_error_oom("fitting ei king to %zu units", n);
	return BLOC_OK;
}

/* The posterior mode phi (from the start in phi), its value *f, and L, the Cholesky factor of
 * the Hessian there, with *logdet = log det(H)^(1/2); the mode's psi into out. */
static int find_mode(bloc_ei_king *out, double *phi, double *f, const kdata *dt, double *L,
                     double *logdet)
{
	double Hs[NPAR * NPAR];
	kpsi mode;
	int j;

	*f = objective(phi, dt);
	if (!isfinite(*f))
		return bloc_error_set(
		    BLOC_ENUMERIC, "ei king: the likelihood is not finite at the starting point");
	out->converged = bfgs(phi, f, dt);
	if (!isfinite(*f))
		return bloc_error_set(BLOC_ENUMERIC, "ei king: the optimiser found no finite "
		                                     "likelihood");
	if (hessian(phi, *f, dt, Hs) < 0)
		return bloc_error_set(BLOC_ENUMERIC,
		                      "ei king: the likelihood is not finite next to its maximum");
	/* A Hessian that is not positive definite (a mode on a ridge, or not converged) is
	 * regularised with a ridge growing from 1e-8 of its largest diagonal entry until the
	 * Cholesky factorisation succeeds; the importance weights then correct the proposal. */
	if (bloc__cholesky(Hs, NPAR, L) < 0) {
		double dmax = 0, ridge;
		for (j = 0; j < NPAR; j++)
			dmax = fmax(dmax, fabs(Hs[j * NPAR + j]));
		for (ridge = 1e-8 * fmax(dmax, 1); bloc__cholesky(Hs, NPAR, L) < 0; ridge *= 10)
			for (j = 0; j < NPAR; j++)
				Hs[j * NPAR + j] += ridge;
	}
	*logdet = 0;
	for (j = 0; j < NPAR; j++)
		*logdet += log(L[j * NPAR + j]); /* log det(H)^(1/2) = -log det(cov)^(1/2) */
	memcpy(out->phi, phi, NPAR * sizeof(double));
	psi_of(phi, &mode);
	out->Bb = mode.Bb;
	out->Bw = mode.Bw;
	out->sb = mode.sb;
	out->sw = mode.sw;
	out->rho = mode.rho;
	out->loglik = -*f;
	return BLOC_OK;
}

/* nprop importance proposals phi = mode + L^-T z (covariance (L L')^-1 = H^-1, stream 0) into
 * w->prop, their weights relative to the largest into w->lw and the sum into *sw; out->is_ess
 * the weights' effective sample size. */
static int importance(bloc_ei_king *out, kwork *w, size_t nprop, const double *phi, const double *L,
                      double logdet, const kdata *dt, uint64_t seed, double *sw)
{
	double lwmax = -INFINITY, sw2 = 0;
	bloc_rng rng;
	size_t k;
	int j;

	bloc_rng_seed(&rng, seed, 0);
	for (k = 0; k < nprop; k++) {
		double *q = w->prop + k * NPAR, zz = normal_step(&rng, L, q), lp;
		for (j = 0; j < NPAR; j++)
			q[j] += phi[j];
		lp = log_post(q, dt);
		w->lw[k] = lp - (-0.5 * zz + logdet - 0.5 * NPAR * LOG_2PI);
		if (w->lw[k] > lwmax)
			lwmax = w->lw[k];
	}
	if (!isfinite(lwmax))
		return bloc_error_set(BLOC_ENUMERIC,
		                      "ei king: no importance proposal has a finite likelihood");
	*sw = 0;
	for (k = 0; k < nprop; k++) {
		w->lw[k] = isfinite(w->lw[k]) ? exp(w->lw[k] - lwmax) : 0;
		*sw += w->lw[k];
		sw2 += w->lw[k] * w->lw[k];
	}
	out->is_ess = *sw * *sw / sw2;
	return BLOC_OK;
}

/* Random-walk Metropolis from the mode, proposals N(0, (2.38^2 / 5) H^-1) (the optimal scale
 * for 5 dimensions), KING_BURN discarded, every KING_THIN-th of the rest kept into ps. */
static void metropolis(bloc_ei_king *out, kpsi *ps, size_t draws, const double *phi,
                       const double *L, const kdata *dt, bloc_rng *rng)
{
	double cur[NPAR], lcur = log_post(phi, dt), acc = 0;
	size_t total = KING_BURN + draws * KING_THIN, kept = 0, k;
	int j;

	memcpy(cur, phi, sizeof(cur));
	for (k = 0; k < total; k++) {
		double q[NPAR], lq;
		normal_step(rng, L, q);
		for (j = 0; j < NPAR; j++)
			q[j] = cur[j] + KING_RW_SCALE * q[j];
		lq = log_post(q, dt);
		if (isfinite(lq) && (lq >= lcur || bloc_rng_uniform(rng) < exp(lq - lcur))) {
			memcpy(cur, q, sizeof(cur));
			lcur = lq;
			acc++;
		}
		if (k >= KING_BURN && (k - KING_BURN) % KING_THIN == KING_THIN - 1)
			psi_of(cur, ps + kept++);
	}
	out->sampler = 1;
	out->accept = acc / (double)total;
}

/* Systematic resampling of the weighted proposals: one uniform offset, draws evenly spaced
 * positions. */
static void resample(const kwork *w, size_t nprop, size_t draws, double sw, bloc_rng *rng)
{
	double u0 = bloc_rng_uniform(rng), cum = w->lw[0];
	size_t i, k = 0;

	for (i = 0; i < draws; i++) {
		double pos = (u0 + (double)i) / (double)draws * sw;
		while (cum < pos && k + 1 < nprop)
			cum += w->lw[++k];
		psi_of(w->prop + k * NPAR, w->ps + i);
	}
}

/* Every unit's draws (stream 2 + i) and intervals, then the aggregates' draws and summaries. */
static void draw_units(bloc_ei_king *out, kwork *w, const kdata *dt, size_t draws, uint64_t seed)
{
	double sumb = 0, sumw = 0;
	bloc_rng rng;
	size_t i, k;

	for (i = 0; i < dt->n; i++) {
		bloc_rng_seed(&rng, seed, 2 + (uint64_t)i);
		unit_draws(dt, i, w->ps, draws, &rng, w->nb[i], w->nw[i], w->db, w->dw,
		           out->agg_draws);
		summarise(w->db, draws, &out->unit_est[2 * i], NULL, &out->unit_lo95[2 * i],
		          &out->unit_hi95[2 * i]);
		summarise(w->dw, draws, &out->unit_est[2 * i + 1], NULL, &out->unit_lo95[2 * i + 1],
		          &out->unit_hi95[2 * i + 1]);
		sumb += w->nb[i];
		sumw += w->nw[i];
	}
	for (k = 0; k < draws; k++) {
		/* a side with no members anywhere: its aggregate is undefined, NaN */
		out->agg_draws[2 * k] = sumb > 0 ? out->agg_draws[2 * k] / sumb : NAN;
		out->agg_draws[2 * k + 1] = sumw > 0 ? out->agg_draws[2 * k + 1] / sumw : NAN;
		w->db[k] = out->agg_draws[2 * k];
		w->dw[k] = out->agg_draws[2 * k + 1];
	}
	summarise(w->db, draws, &out->est[0], &out->sd[0], &out->lo95[0], &out->hi95[0]);
	summarise(w->dw, draws, &out->est[1], &out->sd[1], &out->lo95[1], &out->hi95[1]);
}

int bloc_ei_king_fit(bloc_ei_king *out, const bloc_ei_input *in, size_t group, size_t party,
                     const bloc_ei_king_options *o)
{
	bloc_ei_king_options def;
	kdata dt;
	kwork w;
	double phi[NPAR] = {0, 0, -1.2, -1.2, 0}, f, L[NPAR * NPAR], logdet = 0, sw = 0;
	size_t n, draws, nprop;
	bloc_rng rng;
	int err = BLOC_OK;

	if (!out)
		return bloc_error_set(BLOC_EINVAL, "ei king: NULL result argument");
	memset(out, 0, sizeof(*out));
	if (!in || !in->n || !in->R || !in->C || !in->gcount || !in->pcount || !in->total)
		return bloc_error_set(BLOC_EINVAL, "ei king: NULL or empty input");
	if (!o) {
		bloc_ei_king_options_init(&def);
		o = &def;
	}
	draws = o->draws;
	nprop = o->proposals ? o->proposals : 20 * draws; /* 0: the default ratio */
	if ((err = check_fit(in, group, party, o, draws, nprop)) < 0)
		return err;
	n = in->n;
	memset(&w, 0, sizeof(w));
	if ((err = work_alloc(&w, out, n, nprop, draws)) < 0 ||
	    (err = prepare(in, group, party, w.x, w.t, w.lo, w.hi, w.kind, w.nb, w.nw)) < 0)
		goto done;
	dt.n = n;
	dt.x = w.x;
	dt.t = w.t;
	dt.lo = w.lo;
	dt.hi = w.hi;
	dt.kind = w.kind;
	dt.erho = o->erho;
	dt.esigma = o->esigma;
	dt.ebeta = o->ebeta;
	if ((err = find_mode(out, phi, &f, &dt, L, &logdet)) < 0)
		goto done;
	out->n = n;
	out->draws = draws;
	out->group = group;
	out->party = party;
	if ((err = importance(out, &w, nprop, phi, L, logdet, &dt, o->seed, &sw)) < 0)
		goto done;
	bloc_rng_seed(&rng, o->seed, 1);
	/* Importance weights that degenerated (the posterior is far from the normal at the mode:
	 * common on real data) would make the kept draws repeat a handful of phi: Metropolis
	 * instead. */
	if (out->is_ess < (double)draws / 4)
		metropolis(out, w.ps, draws, phi, L, &dt, &rng);
	else
		resample(&w, nprop, draws, sw, &rng);
	draw_units(out, &w, &dt, draws, o->seed);
done:
	work_free(&w);
	if (err < 0)
		bloc_ei_king_dispose(out);
	return err;
}

void bloc_ei_king_table_dispose(bloc_ei_king_table *t)
{
	if (!t)
		return;
	bloc_free(t->est);
	bloc_free(t->sd);
	bloc_free(t->lo95);
	bloc_free(t->hi95);
	bloc_free(t->unit_est);
	bloc_free(t->unit_lo95);
	bloc_free(t->unit_hi95);
	memset(t, 0, sizeof(*t));
}

int bloc_ei_king_table_fit(bloc_ei_king_table *out, const bloc_ei_input *in,
                           const bloc_ei_king_options *o)
{
	size_t n, C, c, i, r;
	int err;

	if (!out)
		return bloc_error_set(BLOC_EINVAL, "ei king: NULL argument");
	memset(out, 0, sizeof(*out));
	if (!in || in->R != 2)
		return bloc_error_set(BLOC_EINVAL, "ei king: exactly 2 groups needed, got %zu",
		                      in ? in->R : 0);
	n = in->n;
	C = in->C;
	out->n = n;
	out->R = 2;
	out->C = C;
	if (!(out->est = bloc_calloc(2 * C, sizeof(double))) ||
	    !(out->sd = bloc_calloc(2 * C, sizeof(double))) ||
	    !(out->lo95 = bloc_calloc(2 * C, sizeof(double))) ||
	    !(out->hi95 = bloc_calloc(2 * C, sizeof(double))) ||
	    !(out->unit_est = bloc_calloc(n * 2 * C, sizeof(double))) ||
	    !(out->unit_lo95 = bloc_calloc(n * 2 * C, sizeof(double))) ||
	    !(out->unit_hi95 = bloc_calloc(n * 2 * C, sizeof(double)))) {
		bloc_ei_king_table_dispose(out);
		return bloc_error_oom("for an ei king 2 x %zu table over %zu units", C, n);
	}
	out->min_is_ess = INFINITY;
	out->min_accept = NAN;
	out->converged = 1;
	for (c = 0; c < C; c++) {
		bloc_ei_king f;
		if ((err = bloc_ei_king_fit(&f, in, 0, c, o)) < 0) {
			bloc_ei_king_table_dispose(out);
			return err;
		}
		for (r = 0; r < 2; r++) {
			out->est[r * C + c] = f.est[r];
			out->sd[r * C + c] = f.sd[r];
			out->lo95[r * C + c] = f.lo95[r];
			out->hi95[r * C + c] = f.hi95[r];
			for (i = 0; i < n; i++) {
				size_t at = (i * 2 + r) * C + c;
				int present = in->gcount[i * 2 + r] > 0;
				out->unit_est[at] = present ? f.unit_est[i * 2 + r] : NAN;
				out->unit_lo95[at] = present ? f.unit_lo95[i * 2 + r] : NAN;
				out->unit_hi95[at] = present ? f.unit_hi95[i * 2 + r] : NAN;
			}
		}
		out->min_is_ess = fmin(out->min_is_ess, f.is_ess);
		out->metropolis += f.sampler == 1;
		if (f.sampler == 1)
			out->min_accept =
			    isnan(out->min_accept) ? f.accept : fmin(out->min_accept, f.accept);
		out->converged &= f.converged;
		bloc_ei_king_dispose(&f);
	}
	return BLOC_OK;
}
