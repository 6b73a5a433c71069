/* The Bayesian R x C model of Rosen, Jiang, King and Tanner (2001), eiPack's ei.MD.bayes, with a
 * sampler built to mix: see include/bloc/ei.h. Streams of the seed: chain k uses stream k.
 *
 * Why it mixes where eiPack's does not: with thousands of voters per unit, the multinomial
 * pins each unit's theta_i = sum_r x_ir beta_ir to a fraction of a point, so eiPack's moves
 * (one beta_irc against the last party of the same group) must be tiny. Most of a unit's
 * posterior lies along the (R-1)(C-1)-dimensional ridge of betas with the same theta; the
 * ridge moves here walk along it exactly (group r gives e of its share from party c' to c,
 * group r' gives e x_r / x_r' from c to c'), so only the Dirichlet prior decides and the steps
 * can be as large as the prior allows. */
#include "bloc/ei.h"
#include "bloc/error.h"
#include "bloc/rng.h"

#include "../core/alloc.h"
#include "../util/parallel.h"
#include "ei_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_CHAINS    64
#define TARGET_ACCEPT 0.44 /* optimal for one-dimensional random-walk Metropolis */
#define ALPHA_ROUNDS  4    /* alpha updates per sweep (cheap: cached sums of log beta) */
#define SCATTER       30   /* feasible random ridge moves per unit to start a chain */
#define IPF_MAX       200  /* proportional fitting rounds per unit and draw, at most */
#define RIDGE_ALL     18   /* up to this many ridge directions, all every sweep (3 x 4) */
#define THETA_EVERY   2    /* theta moves for each group every other sweep */
#define STRATA_MAX    64   /* its strata (bins per covariate ^ covariates), at most */

typedef struct {
	unsigned char r, q, c, d; /* groups r < q, parties c < d */
} ridge_move;

typedef struct {
	size_t n, R, C, nridge;
	size_t nuse;     /* ridge and collective moves per sweep: all, or a random draw of them */
	const double *x; /* n * R group shares */
	const double *T; /* n * C party counts */
	const double *N; /* n unit totals */
	ridge_move *moves;
	double *rw; /* n * nridge * 3: each unit's w = x_r / x_q, 1 / w, log w for each ridge
	             * direction; NaN where a group of the direction is absent */
	double lambda1, lambda2;
	/* the contextual model: B strata (1: the plain model); unit i's group r is in stratum
	 * bin[i * R + r] and has the Dirichlet parameters of that stratum; nb[b * R + r] units
	 * are */
	size_t B;
	unsigned char *bin;
	double *nb;
} model;

typedef struct {
	bloc_rng rng;
	double *beta, *lb;       /* n * R * C: shares and their logs */
	double *th, *lth;        /* n * C: theta and its log */
	double *alpha, *S, *asc; /* B * R * C: alpha, sum of log beta over the stratum's units,
	                          * proposal scale (B = 1 but in the contextual model) */
	double *rsc, *tsc;       /* n * nridge, n * R * (C - 1): proposal scales */
	double *gsc;             /* 2 * nridge: scales of the collective shifts, then stretches */
	double *gc;              /* B * R * C: their coupling of log alpha to sums of log beta */
	double *gtmp;            /* n * 8: a collective move's proposed shares and their logs */
	double *gprod;           /* B * 8: a collective move's products and logs by stratum */
	size_t rprop, racc, tprop, tacc, aprop, aacc, gprop, gacc;
	size_t nsweep; /* sweeps done */
	double *agg;   /* cap * R * C: this chain's kept aggregate shares */
	size_t cap, kept;
	double *usum; /* n * R * C: sum of unit shares over kept sweeps */
	float *ubuf;  /* ucap * n * R * C: thinned unit shares */
	size_t ucap, ucount, uthin;
	double *cells; /* keep_draws: kept sweeps' unit cells, ccap * n * R * C */
	size_t ccap;
	double *cnum, *cden; /* R * C, R: scratch */
} chain;

typedef struct {
	const model *m;
	chain *ch;
	size_t sweeps, thin;
	int adapt;
	size_t adapt_from; /* burn-in sweeps already done (the adaptation gain decays) */
} job;

void bloc_ei_rxc_options_init(bloc_ei_rxc_options *o)
{
	memset(o, 0, sizeof(*o));
	o->chains = 4;
	o->seed = 1;
	o->burnin = 500;
	o->batch = 100;
	o->max_sweeps = 20000;
	o->thin = 1;
	o->target_ess = 400;
	o->rhat_max = 1.01;
	o->lambda1 = 4;
	o->lambda2 = 2;
	o->unit_draws = 250;
}

void bloc_ei_rxc_dispose(bloc_ei_rxc *x)
{
	if (!x)
		return;
	bloc_free(x->est);
	bloc_free(x->sd);
	bloc_free(x->lo95);
	bloc_free(x->hi95);
	bloc_free(x->rhat);
	bloc_free(x->ess);
	bloc_free(x->alpha);
	bloc_free(x->agg_draws);
	bloc_free(x->unit_est);
	bloc_free(x->unit_lo95);
	bloc_free(x->unit_hi95);
	bloc_free(x->unit_cells_draws);
	memset(x, 0, sizeof(*x));
}

static void chain_free(chain *ch)
{
	bloc_free(ch->beta);
	bloc_free(ch->lb);
	bloc_free(ch->th);
	bloc_free(ch->lth);
	bloc_free(ch->alpha);
	bloc_free(ch->S);
	bloc_free(ch->asc);
	bloc_free(ch->rsc);
	bloc_free(ch->tsc);
	bloc_free(ch->gsc);
	bloc_free(ch->gc);
	bloc_free(ch->gtmp);
	bloc_free(ch->gprod);
	bloc_free(ch->agg);
	bloc_free(ch->usum);
	bloc_free(ch->ubuf);
	bloc_free(ch->cnum);
	bloc_free(ch->cden);
	bloc_free(ch->cells);
}

/* Unit i's Dirichlet parameters: alpha itself in the plain model; in the contextual model each
 * group's row of its stratum, gathered into a. */
static inline const double *unit_alpha(const model *m, const chain *ch, size_t i, double *a)
{
	const size_t R = m->R, C = m->C, RC = R * C;
	size_t r;

	if (m->B == 1)
		return ch->alpha;
	for (r = 0; r < R; r++)
		memcpy(a + r * C, ch->alpha + m->bin[i * R + r] * RC + r * C, C * sizeof(double));
	return a;
}

/* theta and its log for unit i from beta. */
static void unit_theta(const model *m, chain *ch, size_t i)
{
	const size_t R = m->R, C = m->C;
	const double *x = m->x + i * R, *b = ch->beta + i * R * C;
	double *th = ch->th + i * C, *lth = ch->lth + i * C;
	size_t r, c;

	for (c = 0; c < C; c++) {
		double s = 0;
		for (r = 0; r < R; r++)
			s += x[r] * b[r * C + c];
		th[c] = s;
		lth[c] = log(s);
	}
}

/* A Dirichlet(a) draw into b (and its logs into lb), floored away from 0. */
static void draw_dirichlet(bloc_rng *rng, const double *a, double *b, double *lb, size_t C)
{
	double sum = 0;
	size_t c;

	for (c = 0; c < C; c++)
		sum += b[c] = fmax(bloc_rng_gamma(rng, a[c]), 1e-300);
	for (c = 0; c < C; c++) {
		b[c] = fmax(b[c] / sum, 1e-300);
		lb[c] = log(b[c]);
	}
}

/* Start: alpha from its prior; each unit's groups all at the unit's party shares (a point of
 * the ridge), nudged inside the simplex, then scattered by feasible ridge moves. */
static void chain_start(const model *m, chain *ch)
{
	const size_t R = m->R, C = m->C;
	size_t i, r, c, k, s;

	for (k = 0; k < m->B * R * C; k++) {
		ch->alpha[k] = bloc_rng_gamma(&ch->rng, m->lambda1) / m->lambda2;
		ch->asc[k] = 0.1;
	}
	for (k = 0; k < 2 * m->nridge; k++)
		ch->gsc[k] = 0.1;
	for (i = 0; i < m->n; i++) {
		const double *x = m->x + i * R, *T = m->T + i * C;
		double *b = ch->beta + i * R * C, tot = 0;
		double au[BLOC_EI_MAX_GROUPS * BLOC_EI_MAX_PARTIES]; /* unit_alpha's */
		for (c = 0; c < C; c++)
			tot += T[c];
		for (r = 0; r < R; r++)
			for (c = 0; c < C; c++)
				b[r * C + c] = 0.98 * T[c] / tot + 0.02 / (double)C;
		for (s = 0; s < SCATTER; s++)
			for (k = 0; k < m->nridge; k++) {
				const ridge_move *mv = &m->moves[k];
				double *p = b + mv->r * C, *q = b + mv->q * C, e, f, lim;
				if (!(x[mv->r] > 0) || !(x[mv->q] > 0))
					continue;
				lim = fmin(fmin(p[mv->c], p[mv->d]),
				           fmin(q[mv->c], q[mv->d]) * x[mv->q] / x[mv->r]);
				e = (2 * bloc_rng_uniform(&ch->rng) - 1) * 0.3 * lim;
				f = e * x[mv->r] / x[mv->q];
				if (p[mv->c] + e > 0 && p[mv->d] - e > 0 && q[mv->c] - f > 0 &&
				    q[mv->d] + f > 0) {
					p[mv->c] += e;
					p[mv->d] -= e;
					q[mv->c] -= f;
					q[mv->d] += f;
				}
			}
		for (k = 0; k < R * C; k++)
			ch->lb[i * R * C + k] = log(b[k]);
		for (r = 0; r < R; r++)
			if (!(x[r] > 0))
				draw_dirichlet(&ch->rng, unit_alpha(m, ch, i, au) + r * C,
				               b + r * C, ch->lb + (i * R + r) * C, C);
		unit_theta(m, ch, i);
		for (k = 0; k < m->nridge; k++)
			ch->rsc[i * m->nridge + k] = 0.5;
		for (k = 0; k < R * (C - 1); k++)
			ch->tsc[i * R * (C - 1) + k] = 0.05;
	}
}

/* Metropolis acceptance of log ratio d: u < exp(d), decided without the exp when u is below
 * 1 + d or above 1 / (1 - d) (bounds of exp(d) for d <= 0), which is most of the time. */
static int accept(bloc_rng *rng, double d)
{
	double u;

	if (d >= 0)
		return 1;
	u = bloc_rng_uniform(rng);
	if (u < 1 + d)
		return 1;
	if (u * (1 - d) >= 1)
		return 0;
	return u < exp(d);
}

/* The smaller and larger of two numbers, without fmin's NaN handling (a call on x86-64). */
static double lesser(double a, double b)
{
	return a < b ? a : b;
}

static double greater(double a, double b)
{
	return a > b ? a : b;
}

/* Trigamma, psi'(x) for x > 0: recurrence up to 6, then the asymptotic series. */
static double trigamma(double x)
{
	double r = 0, x2;

	for (; x < 6; x += 1)
		r += 1 / (x * x);
	x2 = 1 / (x * x);
	return r + 1 / x + x2 / 2 +
	       x2 / x * (1.0 / 6 - x2 * (1.0 / 30 - x2 * (1.0 / 42 - x2 * (1.0 / 30))));
}

/* A ridge direction (r, q, c, d) in one unit: group r moves e of its share from party d to c,
 * group q moves e w from c to d (w = x_r / x_q), theta unchanged. The feasible e form the
 * segment [-lo, hi]: lo is the smaller of b_rc and b_qd / w, hi of b_rd and b_qc / w. The
 * unit's place on it, p = lo / (lo + hi), is the coordinate the moves step on, on the logit
 * scale: near either end (where the Dirichlet piles up mass when alpha < 1) steps are
 * multiplicative, and no step leaves the segment. Everything is written in the ends, not p or
 * e: the new ends lo' and hi' are computed directly, and each cell becomes its new end plus
 * its distance from the old one (0 for the cell that sets the end), so a cell that moves to a
 * tiny fraction of itself keeps its digits (b + e would lose them all). */
typedef struct {
	double lo, hi, llo, lhi; /* the ends and their logs */
	double lo2, hi2;         /* the ends after the step */
} segment;

static inline void segment_at(const double *b, const double *lb, const size_t cell[4],
                              const double *w, segment *g)
{
	const double q1 = b[cell[3]] * w[1], q2 = b[cell[2]] * w[1], lw = w[2];

	if (b[cell[0]] <= q1)
		g->lo = b[cell[0]], g->llo = lb[cell[0]];
	else
		g->lo = q1, g->llo = lb[cell[3]] - lw;
	if (b[cell[1]] <= q2)
		g->hi = b[cell[1]], g->lhi = lb[cell[1]];
	else
		g->hi = q2, g->lhi = lb[cell[2]] - lw;
}

/* logit(p') = logit(p) + kappa, given ek = exp(-kappa): lo' = lo L / (lo + hi ek) and
 * hi' = hi ek L / (lo + hi ek) (L = lo + hi); returns the Jacobian
 * p'(1 - p') / p(1 - p) = ek (L / (lo + hi ek))^2. */
static inline double segment_shift(segment *g, double ek)
{
	const double t = (g->lo + g->hi) / (g->lo + g->hi * ek);

	g->lo2 = g->lo * t;
	g->hi2 = g->hi * ek * t;
	return ek * t * t;
}

/* logit(p') = s logit(p) (s = exp(kappa)): with rho = hi / lo = exp(-logit p), rho' = rho^s,
 * lo' = L / (1 + rho'), hi' = L rho' / (1 + rho'); returns the Jacobian
 * s p'(1 - p') / p(1 - p). */
static inline double segment_stretch(segment *g, double s)
{
	const double rho = g->hi / g->lo, rho2 = exp(s * (g->lhi - g->llo));
	const double inv = 1 / (1 + rho2), L = g->lo + g->hi, t = (1 + rho) * inv;

	g->lo2 = L * inv;
	g->hi2 = L * rho2 * inv;
	return s * (rho2 / rho) * t * t;
}

/* The four cells after the step (0 if one would leave (0, 1]: rounding at a segment's end). */
static inline int segment_cells(const double *b, const size_t cell[4], const double *w,
                                const segment *g, double *nb)
{
	nb[0] = g->lo2 + (b[cell[0]] - g->lo);
	nb[1] = g->hi2 + (b[cell[1]] - g->hi);
	nb[2] = (g->hi2 + (b[cell[2]] * w[1] - g->hi)) * w[0];
	nb[3] = (g->lo2 + (b[cell[3]] * w[1] - g->lo)) * w[0];
	return nb[0] > 0 && nb[1] > 0 && nb[2] > 0 && nb[3] > 0;
}

/* acc * exp(lsum) accumulates a product of positive ratios g / b without logs, except when the
 * product would leave 2^+-500 (then its log moves to lsum): log(g) - lb is used for that ratio. */
static inline void ratio_mul(double *acc, double *lsum, double g, double b, double lb)
{
	const double t = *acc * (g / b);

	if (t > 0x1p-500 && t < 0x1p500) {
		*acc = t;
		return;
	}
	*lsum += log(*acc) + log(g) - lb;
	*acc = 1;
}

/* The coupling of the collective moves: how log alpha_rc follows the sum of log beta_irc
 * over units, d log alpha / d S = 1 / (n alpha (psi'(alpha) - psi'(A))) at the current alpha
 * (the shift of alpha | beta's mode); reset during burn-in, then fixed. */
static void set_coupling(const model *m, chain *ch)
{
	const size_t RC = m->R * m->C;
	size_t r, c, b;

	for (b = 0; b < m->B; b++)
		for (r = 0; r < m->R; r++) {
			const double *al = ch->alpha + b * RC + r * m->C, nn = m->nb[b * m->R + r];
			double A = 0, tA;
			for (c = 0; c < m->C; c++)
				A += al[c];
			tA = trigamma(A);
			for (c = 0; c < m->C; c++)
				ch->gc[b * RC + r * m->C + c] =
				    nn > 0 ? 1 / (al[c] * (trigamma(al[c]) - tA)) / nn : 0;
		}
}

/* A collective move's alpha in stratum b: a2 = the four cells of alpha following the change dS
 * of their sums of log beta over the stratum's units (log alpha += g dS), and d plus alpha's
 * terms of the log ratio: (a' - a) times the new sums of log beta, the rows' normalising
 * constants (nb units each), the Gamma prior and the Jacobian of the log scale. */
static double collective_alpha(const model *m, const chain *ch, const ridge_move *mv,
                               const size_t cell[4], size_t b, const double dS[4], double *a2,
                               double d)
{
	const size_t C = m->C, R = m->R, RC = R * C;
	const double *al = ch->alpha + b * RC;
	size_t c, j, k;

	for (c = 0; c < 4; c++)
		a2[c] = al[cell[c]] * exp(ch->gc[b * RC + cell[c]] * dS[c]);
	for (c = 0; c < 4; c++) {
		const size_t x = cell[c];
		const double nn = m->nb[b * R + (c < 2 ? mv->r : mv->q)];
		double S = ch->S[b * RC + x] + dS[c];
		d += (a2[c] - al[x]) * S - nn * (lgamma(a2[c]) - lgamma(al[x])) +
		     m->lambda1 * log(a2[c] / al[x]) - m->lambda2 * (a2[c] - al[x]);
	}
	for (j = 0; j < 2; j++) {
		const size_t row = j ? mv->q : mv->r;
		double A = 0, A2 = 0;
		for (c = 0; c < C; c++) {
			double v = al[row * C + c];
			A += v;
			for (k = 0; k < 4; k++)
				if (cell[k] == row * C + c)
					v = a2[k];
			A2 += v;
		}
		d += m->nb[b * R + row] * (lgamma(A2) - lgamma(A));
	}
	return d;
}

/* A collective ridge move along (r, q, c, d) in every unit where both groups live: every
 * unit's place on its segment (segment_at) is shifted by the same kappa on the logit scale,
 * or stretched by exp(kappa), a bijection of each segment that moves free units and spares
 * pinned ones. Alpha follows the change dS of the sums of log beta that alpha | beta depends
 * on: log alpha += g dS for the four cells (g fixed, set_coupling), which the reverse move
 * (-kappa, -dS) undoes exactly. It moves the slow direction that unit moves and alpha | beta
 * alone crawl along. The ratio's sums of logs are taken as logs of products (ratio_mul), so
 * the only logs per unit are those of an accepted move's new cells. */
static void collective(const model *m, chain *ch, size_t k, int spread, double up, double down)
{
	const size_t R = m->R, C = m->C, RC = R * C;
	const ridge_move *mv = &m->moves[k];
	const size_t cell[4] = {mv->r * C + mv->c, mv->r * C + mv->d, mv->q * C + mv->c,
	                        mv->q * C + mv->d};
	double *al = ch->alpha, *g = ch->gtmp, *pr = ch->gprod, kappa, ek, sk, d = 0;
	double jacc = 1, jls = 0; /* the Jacobian's product (ratio_mul) */
	double dS[STRATA_MAX * 4], a2[STRATA_MAX * 4];
	double *sc = spread ? &ch->gsc[m->nridge + k] : &ch->gsc[k];
	size_t i, c, st;

	ch->gprop++;
	for (st = 0; st < m->B; st++) /* each stratum's four products (acc, then the log's part) */
		for (c = 0; c < 4; c++) {
			pr[st * 8 + 2 * c] = 1;
			pr[st * 8 + 2 * c + 1] = 0;
		}
	kappa = (2 * bloc_rng_uniform(&ch->rng) - 1) * *sc;
	ek = exp(-kappa);
	sk = exp(kappa);
	for (i = 0; i < m->n; i++) {
		const double *b = ch->beta + i * RC, *lb = ch->lb + i * RC;
		const double *w = m->rw + (i * m->nridge + k) * 3;
		double *gi = g + 4 * i, jac;
		segment sg;
		if (isnan(w[0])) {
			gi[0] = NAN;
			continue;
		}
		segment_at(b, lb, cell, w, &sg);
		jac = spread ? segment_stretch(&sg, sk) : segment_shift(&sg, ek);
		if (!segment_cells(b, cell, w, &sg, gi) || !(jac > 0) || !isfinite(jac)) {
			*sc *= down;
			return;
		}
		for (c = 0; c < 4; c++) {
			double *p = pr + m->bin[i * R + (c < 2 ? mv->r : mv->q)] * 8 + 2 * c;
			ratio_mul(&p[0], &p[1], gi[c], b[cell[c]], lb[cell[c]]);
		}
		ratio_mul(&jacc, &jls, jac, 1, 0);
	}
	for (st = 0; st < m->B; st++)
		for (c = 0; c < 4; c++) {
			dS[st * 4 + c] = log(pr[st * 8 + 2 * c]) + pr[st * 8 + 2 * c + 1];
			/* the Dirichlet terms at the current alpha */
			d += (al[st * RC + cell[c]] - 1) * dS[st * 4 + c];
		}
	d += log(jacc) + jls; /* the Jacobian */
	for (st = 0; st < m->B; st++)
		d = collective_alpha(m, ch, mv, cell, st, dS + st * 4, a2 + st * 4, d);
	if (!accept(&ch->rng, d)) {
		*sc *= down;
		return;
	}
	for (i = 0; i < m->n; i++) {
		double *b = ch->beta + i * RC, *lb = ch->lb + i * RC;
		const double *gi = g + 4 * i;
		if (isnan(gi[0]))
			continue;
		for (c = 0; c < 4; c++) {
			b[cell[c]] = gi[c];
			lb[cell[c]] = log(gi[c]);
		}
	}
	for (st = 0; st < m->B; st++)
		for (c = 0; c < 4; c++) {
			al[st * RC + cell[c]] = a2[st * 4 + c];
			ch->S[st * RC + cell[c]] += dS[st * 4 + c];
		}
	ch->gacc++;
	*sc *= up;
}

/* Unit i's ridge moves (all of them) and theta moves (group r against the last party). A
 * ridge move steps the unit's place on the direction's segment (segment_at) by kappa on the
 * logit scale, kappa = 4 log((1 + t u) / (1 - t u)) for u uniform on -1..1: symmetric, up to
 * +-30 at t = 0.999, and exp(-kappa) = ((1 - t u) / (1 + t u))^4 without an exp; the scale
 * t < 1 adapts per unit and direction. Theta moves
 * are uniform on +-s times the room the two cells leave (s < 1: always feasible), with the
 * Hastings term log(m / m') from logs at hand. */
static inline void ridge_moves(const model *m, chain *ch, size_t i, const double *al, double up,
                               double down)
{
	const size_t R = m->R, C = m->C, nr = m->nridge;
	double *b = ch->beta + i * R * C, *lb = ch->lb + i * R * C;
	double *rs = ch->rsc + i * nr;
	size_t kk, k, c;

	for (kk = 0; kk < m->nuse; kk++) {
		const ridge_move *mv;
		size_t cell[4];
		const double *w;
		double tu, q, ek, jac, nb[4], l[4], d;
		segment sg;
		k = m->nuse == nr ? kk : (size_t)bloc_rng_below(&ch->rng, nr);
		mv = &m->moves[k];
		w = m->rw + (i * nr + k) * 3;
		if (isnan(w[0]))
			continue;
		cell[0] = mv->r * C + mv->c;
		cell[1] = mv->r * C + mv->d;
		cell[2] = mv->q * C + mv->c;
		cell[3] = mv->q * C + mv->d;
		ch->rprop++;
		segment_at(b, lb, cell, w, &sg);
		tu = (2 * bloc_rng_uniform(&ch->rng) - 1) * rs[k];
		q = (1 - tu) / (1 + tu);
		ek = q * q * q * q;
		jac = segment_shift(&sg, ek);
		if (!segment_cells(b, cell, w, &sg, nb) || !(jac > 0) || !isfinite(jac)) {
			rs[k] = greater(rs[k] * down, 1e-6);
			continue;
		}
		d = log(jac);
		for (c = 0; c < 4; c++) {
			l[c] = log(nb[c]);
			d += (al[cell[c]] - 1) * (l[c] - lb[cell[c]]);
		}
		if (accept(&ch->rng, d)) {
			for (c = 0; c < 4; c++) {
				b[cell[c]] = nb[c];
				lb[cell[c]] = l[c];
			}
			ch->racc++;
			rs[k] = lesser(rs[k] * up, 0.999);
		} else {
			rs[k] = greater(rs[k] * down, 1e-6);
		}
	}
}

static inline void theta_moves(const model *m, chain *ch, size_t i, const double *al, double up,
                               double down)
{
	const size_t R = m->R, C = m->C, L = C - 1;
	const double *x = m->x + i * R, *T = m->T + i * C;
	double *b = ch->beta + i * R * C, *lb = ch->lb + i * R * C;
	double *th = ch->th + i * C, *lth = ch->lth + i * C;
	double *ts = ch->tsc + i * R * L;
	size_t r, c;

	for (r = 0; r < R; r++) {
		/* one group in THETA_EVERY per sweep, in turn: theta is pinned by the data and
		 * mixes fast; the ridge and collective moves are where the time goes */
		if (!(x[r] > 0) || (ch->nsweep + r) % THETA_EVERY != 0)
			continue;
		for (c = 0; c < L; c++) {
			const size_t pc = r * C + c, pl = r * C + L;
			double *s = &ts[r * L + c], e, b1, b2, t1, t2, l1, l2, n1, n2, lmm, lm2, d;
			ch->tprop++;
			lmm = b[pc] < b[pl] ? lb[pc] : lb[pl];
			e = (2 * bloc_rng_uniform(&ch->rng) - 1) * *s * lesser(b[pc], b[pl]);
			b1 = b[pc] + e;
			b2 = b[pl] - e;
			t1 = th[c] + x[r] * e;
			t2 = th[L] - x[r] * e;
			if (!(b1 > 0 && b2 > 0 && t1 > 0 && t2 > 0) ||
			    !(fabs(e) < *s * lesser(b1, b2))) {
				*s = greater(*s * down, 1e-9);
				continue;
			}
			l1 = log(b1);
			l2 = log(b2);
			lm2 = b1 < b2 ? l1 : l2;
			n1 = log(t1);
			n2 = log(t2);
			d = T[c] * (n1 - lth[c]) + T[L] * (n2 - lth[L]) +
			    (al[pc] - 1) * (l1 - lb[pc]) + (al[pl] - 1) * (l2 - lb[pl]) + lmm - lm2;
			if (accept(&ch->rng, d)) {
				b[pc] = b1;
				b[pl] = b2;
				lb[pc] = l1;
				lb[pl] = l2;
				th[c] = t1;
				th[L] = t2;
				lth[c] = n1;
				lth[L] = n2;
				ch->tacc++;
				*s = lesser(*s * up, 0.95);
			} else {
				*s = greater(*s * down, 1e-9);
			}
		}
	}
}

/* One sweep: every unit's moves (absent groups redrawn from their prior), the collective
 * moves, then alpha | beta. up/down: the factors a proposal scale takes after an acceptance /
 * a rejection (both 1 after burn-in). */
static void sweep(const model *m, chain *ch, double up, double down)
{
	const size_t R = m->R, C = m->C, RC = R * C, nr = m->nridge;
	size_t i, r, c, k, b;

	for (i = 0; i < m->n; i++) {
		const double *x = m->x + i * R;
		double au[BLOC_EI_MAX_GROUPS * BLOC_EI_MAX_PARTIES];
		const double *al = unit_alpha(m, ch, i, au);
		for (r = 0; r < R; r++)
			if (!(x[r] > 0))
				draw_dirichlet(&ch->rng, al + r * C, ch->beta + (i * R + r) * C,
				               ch->lb + (i * R + r) * C, C);
		ridge_moves(m, ch, i, al, up, down);
		theta_moves(m, ch, i, al, up, down);
	}
	/* S_brc = sum over stratum b's units of log beta_irc, kept current by the collective
	 * moves */
	memset(ch->S, 0, m->B * RC * sizeof(double));
	for (i = 0; i < m->n; i++)
		for (r = 0; r < R; r++)
			for (c = 0; c < C; c++)
				ch->S[m->bin[i * R + r] * RC + r * C + c] +=
				    ch->lb[i * RC + r * C + c];
	if (up != 1)
		set_coupling(m, ch);
	/* each direction shifted, then stretched (both: they cost little next to the unit
	 * moves and carry alpha, the slowest part of the chain) */
	for (k = 0; k < 2 * m->nuse; k++) {
		size_t j = m->nuse == nr ? k / 2 : (size_t)bloc_rng_below(&ch->rng, nr);
		collective(m, ch, j, (int)(k % 2), up, down);
	}
	ch->nsweep++;
	/* alpha_r | beta: (lambda1 - 1) log a - lambda2 a + n [lgamma(A_r) - sum_c lgamma(a_rc)]
	 * + sum_c (a_rc - 1) S_rc, updated on the log scale (Jacobian: + log a). */
	for (k = 0; k < ALPHA_ROUNDS; k++)
		for (b = 0; b < m->B; b++)
			for (r = 0; r < R; r++) {
				double *a = ch->alpha + b * RC + r * C, A = 0;
				for (c = 0; c < C; c++)
					A += a[c];
				for (c = 0; c < C; c++) {
					double la = log(a[c]), la2, a2, A2, d,
					       nn = m->nb[b * R + r];
					double *s = &ch->asc[b * RC + r * C + c];
					ch->aprop++;
					la2 = la + (2 * bloc_rng_uniform(&ch->rng) - 1) * *s;
					a2 = exp(la2);
					A2 = A - a[c] + a2;
					d = m->lambda1 * (la2 - la) - m->lambda2 * (a2 - a[c]) +
					    nn * (lgamma(A2) - lgamma(A) - lgamma(a2) +
					          lgamma(a[c])) +
					    (a2 - a[c]) * ch->S[b * RC + r * C + c];
					if (isfinite(d) && a2 > 0 && accept(&ch->rng, d)) {
						a[c] = a2;
						A = A2;
						ch->aacc++;
						*s *= up;
					} else {
						*s *= down;
					}
				}
			}
}

/* Unit i's internal counts given beta: the table proportional to x_r beta_rc with the unit's
 * margins, group counts N x_r in the rows and party counts T_c in the columns, by iterative
 * proportional fitting (the large-count limit of E[counts | margins, beta]). It starts from
 * T_c x_r beta_rc / theta_c and ends on a column scaling, so every draw's cells add up to
 * each party's count exactly (the accounting identity) and lie within the Duncan-Davis
 * bounds; rows match to a relative 1e-8. Absent groups have zero rows. */
static void internal_counts(const model *m, const chain *ch, size_t i, double *cell)
{
	const size_t R = m->R, C = m->C;
	const double *x = m->x + i * R, *T = m->T + i * C, *b = ch->beta + i * R * C;
	const double *th = ch->th + i * C, N = m->N[i];
	size_t r, c, it;

	for (r = 0; r < R; r++)
		for (c = 0; c < C; c++)
			cell[r * C + c] = x[r] > 0 ? T[c] * x[r] * b[r * C + c] / th[c] : 0;
	for (it = 0; it < IPF_MAX; it++) {
		double worst = 0;
		for (r = 0; r < R; r++) {
			double s = 0, f;
			if (!(x[r] > 0))
				continue;
			for (c = 0; c < C; c++)
				s += cell[r * C + c];
			if (!(s > 0))
				continue;
			f = N * x[r] / s;
			worst = fmax(worst, fabs(f - 1));
			for (c = 0; c < C; c++)
				cell[r * C + c] *= f;
		}
		for (c = 0; c < C; c++) {
			double s = 0, f;
			for (r = 0; r < R; r++)
				s += cell[r * C + c];
			f = s > 0 ? T[c] / s : 0;
			for (r = 0; r < R; r++)
				cell[r * C + c] *= f;
		}
		if (worst < 1e-8)
			break;
	}
}

/* The kept sweep: each unit's internal counts given beta (internal_counts), each group's
 * shares in each unit (into the unit sums and, thinned, the unit draws) and the aggregate
 * shares, sum over units of a group's votes for a party over the group's votes. */
static void record(const model *m, chain *ch, double *cells_out)
{
	const size_t R = m->R, C = m->C, RC = R * C;
	double *num = ch->cnum, *den = ch->cden, *agg = ch->agg + ch->kept * RC;
	float *ub = NULL;
	size_t i, r, c;

	if (ch->ubuf && ch->kept % ch->uthin == 0) {
		if (ch->ucount == ch->ucap) { /* full: keep every other, halve the rate */
			size_t j, sz = m->n * RC;
			for (j = 0; j < ch->ucap / 2; j++)
				memcpy(ch->ubuf + j * sz, ch->ubuf + 2 * j * sz,
				       sz * sizeof(float));
			ch->ucount = ch->ucap / 2;
			ch->uthin *= 2;
		}
		if (ch->kept % ch->uthin == 0)
			ub = ch->ubuf + ch->ucount++ * m->n * RC;
	}
	memset(num, 0, RC * sizeof(double));
	memset(den, 0, R * sizeof(double));
	for (i = 0; i < m->n; i++) {
		double *us = ch->usum + i * RC, cell[BLOC_EI_MAX_GROUPS * BLOC_EI_MAX_PARTIES];
		internal_counts(m, ch, i, cell);
		if (cells_out)
			memcpy(cells_out + i * RC, cell, RC * sizeof(double));
		for (r = 0; r < R; r++) {
			double row = 0;
			if (!(m->x[i * R + r] > 0))
				continue;
			for (c = 0; c < C; c++)
				row += cell[r * C + c];
			for (c = 0; c < C; c++) {
				double u = cell[r * C + c] / row;
				num[r * C + c] += cell[r * C + c];
				us[r * C + c] += u;
				if (ub)
					ub[i * RC + r * C + c] = (float)u;
			}
			den[r] += row;
		}
	}
	for (r = 0; r < R; r++)
		for (c = 0; c < C; c++)
			agg[r * C + c] = den[r] > 0 ? num[r * C + c] / den[r] : NAN;
	ch->kept++;
}

/* Chain k's `sweeps` sweeps (a job of bloc__parallel_for: chains share only the model). */
static int run_chain(size_t k, unsigned worker, void *payload)
{
	const job *j = payload;
	chain *ch = &j->ch[k];
	size_t s;

	(void)worker;
	for (s = 0; s < j->sweeps; s++) {
		if (j->adapt) {
			/* Robbins-Monro on the log scale with a decaying gain */
			double t = (double)(j->adapt_from + s), g;
			g = 1.0 / sqrt(1 + t / 20);
			sweep(j->m, ch, exp(g * (1 - TARGET_ACCEPT)), exp(-g * TARGET_ACCEPT));
			continue;
		}
		sweep(j->m, ch, 1, 1);
		if ((s + 1) % j->thin == 0)
			record(j->m, ch,
			       ch->ccap ? ch->cells + ch->kept * j->m->n * j->m->R * j->m->C
			                : NULL);
	}
	return BLOC_OK;
}

/* Run every chain `sweeps` sweeps on up to `threads` threads. */
static int run_all(const model *m, chain *ch, size_t nchains, unsigned threads, size_t sweeps,
                   size_t thin, int adapt, size_t adapt_from)
{
	const job j = {m, ch, sweeps, thin, adapt, adapt_from};
	int err;

	if ((err = bloc__parallel_for(nchains, threads, run_chain, (void *)&j)) == BLOC_EPAR)
		bloc_error_prefix("ei rxc: running the chains");
	return err;
}

static int chain_alloc(chain *ch, const model *m, size_t unit_draws)
{
	const size_t n = m->n, RC = m->R * m->C;

	if (!(ch->beta = bloc_calloc(n * RC, sizeof(double))) ||
	    !(ch->lb = bloc_calloc(n * RC, sizeof(double))) ||
	    !(ch->th = bloc_calloc(n * m->C, sizeof(double))) ||
	    !(ch->lth = bloc_calloc(n * m->C, sizeof(double))) ||
	    !(ch->alpha = bloc_calloc(m->B * RC, sizeof(double))) ||
	    !(ch->S = bloc_calloc(m->B * RC, sizeof(double))) ||
	    !(ch->asc = bloc_calloc(m->B * RC, sizeof(double))) ||
	    !(ch->rsc = bloc_calloc(n * (m->nridge ? m->nridge : 1), sizeof(double))) ||
	    !(ch->tsc = bloc_calloc(n * m->R * (m->C - 1), sizeof(double))) ||
	    !(ch->gsc = bloc_calloc(2 * (m->nridge ? m->nridge : 1), sizeof(double))) ||
	    !(ch->gc = bloc_calloc(m->B * RC, sizeof(double))) ||
	    !(ch->gtmp = bloc_calloc(n * 8, sizeof(double))) ||
	    !(ch->gprod = bloc_calloc(m->B * 8, sizeof(double))) ||
	    !(ch->usum = bloc_calloc(n * RC, sizeof(double))) ||
	    !(ch->cnum = bloc_calloc(RC, sizeof(double))) ||
	    !(ch->cden = bloc_calloc(m->R, sizeof(double))))
		return bloc_error_oom("starting an ei rxc chain (%zu units, %zu x %zu)", n, m->R,
		                      m->C);
	if (unit_draws) {
		ch->ucap = unit_draws + (unit_draws % 2);
		ch->uthin = 1;
		if (!(ch->ubuf = bloc_calloc(ch->ucap * n * RC, sizeof(float))))
			return bloc_error_oom("keeping %zu unit draws of an ei rxc "
			                      "chain",
			                      ch->ucap);
	}
	return BLOC_OK;
}

/* The bins of each covariate in the contextual model (o->cov_bins, or 4, 3, 2 and 2 for 1 to 4
 * covariates): at most STRATA_MAX strata in all. */
static size_t strata_bins(const bloc_ei_rxc_options *o)
{
	static const size_t dflt[BLOC_EI_MAX_COVARIATES + 1] = {1, 4, 3, 2, 2};

	return o->cov_bins ? o->cov_bins : dflt[o->ncov];
}

static int check_options(const bloc_ei_input *in, const bloc_ei_rxc_options *o)
{
	if (!in || !o)
		return bloc_error_set(BLOC_EINVAL, "ei rxc: NULL argument");
	if (o->chains < 1 || o->chains > MAX_CHAINS)
		return bloc_error_set(BLOC_EINVAL, "ei rxc: chains 1 to %d, got %zu", MAX_CHAINS,
		                      o->chains);
	if (o->batch < 4 || o->thin < 1 || o->batch % o->thin != 0)
		return bloc_error_set(BLOC_EINVAL,
		                      "ei rxc: batch at least 4 and a multiple of thin (%zu, %zu)",
		                      o->batch, o->thin);
	if (!(o->lambda1 > 0 && o->lambda2 > 0 && isfinite(o->lambda1) && isfinite(o->lambda2)))
		return bloc_error_set(BLOC_EINVAL,
		                      "ei rxc: the Gamma prior needs positive shape and "
		                      "rate, got %g and %g",
		                      o->lambda1, o->lambda2);
	if (!(o->target_ess > 0) || !(o->rhat_max > 1))
		return bloc_error_set(BLOC_EINVAL,
		                      "ei rxc: target ESS above 0 and R-hat limit above 1, got %g "
		                      "and %g",
		                      o->target_ess, o->rhat_max);
	if (in->n < 1 || in->R < 1 || in->C < 2 || in->R > BLOC_EI_MAX_GROUPS ||
	    in->C > BLOC_EI_MAX_PARTIES)
		return bloc_error_set(BLOC_EINVAL, "ei rxc: need units, groups and 2+ parties");
	if (o->ncov > BLOC_EI_MAX_COVARIATES || (o->ncov && !o->covariate))
		return bloc_error_set(BLOC_EINVAL,
		                      "ei rxc: 0 to %d covariates, with their values; got %zu",
		                      BLOC_EI_MAX_COVARIATES, o->ncov);
	if (o->ncov) {
		size_t k, B = 1, bins = strata_bins(o);
		for (k = 0; k < o->ncov; k++)
			B *= bins;
		if (bins < 2 || B > STRATA_MAX)
			return bloc_error_set(
			    BLOC_EINVAL,
			    "ei rxc: %zu bins for each of %zu covariates make %zu "
			    "strata; 2 bins or more, %d strata at most",
			    bins, o->ncov, B, STRATA_MAX);
		for (k = 0; k < in->n * in->R * o->ncov; k++)
			if (!isfinite(o->covariate[k]))
				return bloc_error_set(
				    BLOC_EINVAL,
				    "ei rxc: covariate %zu of group '%s' in unit '%s' is not a "
				    "number",
				    k % o->ncov + 1, in->group[(k / o->ncov) % in->R],
				    in->unit ? in->unit[k / o->ncov / in->R] : "?");
	}
	return BLOC_OK;
}

/* Mean, sd and 95% interval of every aggregate cell over all kept draws; unit summaries. */
static int summarise(bloc_ei_rxc *out, const model *m, chain *ch, size_t nchains)
{
	const size_t n = m->n, RC = m->R * m->C, draws = out->draws, total = nchains * draws;
	double *v = NULL;
	size_t k, j, t, i;

	if (!(v = bloc_calloc(total > nchains * ch[0].ucount ? total : nchains * ch[0].ucount,
	                      sizeof(double))))
		return bloc_error_oom("summarising the ei rxc draws");
	for (k = 0; k < RC; k++) {
		double s = 0, ss = 0;
		for (j = 0; j < nchains; j++)
			for (t = 0; t < draws; t++)
				v[j * draws + t] = ch[j].agg[t * RC + k];
		for (t = 0; t < total; t++)
			s += v[t];
		out->est[k] = s / (double)total;
		for (t = 0; t < total; t++)
			ss += (v[t] - out->est[k]) * (v[t] - out->est[k]);
		out->sd[k] = total > 1 ? sqrt(ss / (double)(total - 1)) : 0;
		out->lo95[k] = bloc__ei_quantile(v, total, 0.025);
		out->hi95[k] = bloc__ei_quantile(v, total, 0.975);
		for (j = 0; j < nchains; j++) {
			double a = ch[j].alpha[k];
			if (m->B > 1) { /* the strata's alpha weighted by their units */
				size_t b, r = k / m->C;
				a = 0;
				for (b = 0; b < m->B; b++)
					a += m->nb[b * m->R + r] * ch[j].alpha[b * RC + k] /
					     (double)n;
			}
			out->alpha[k] += a / (double)nchains;
		}
	}
	if (out->unit_est) {
		size_t uc = ch[0].ucount, w = nchains * uc;
		for (i = 0; i < n; i++)
			for (k = 0; k < RC; k++) {
				size_t at = i * RC + k;
				double s = 0;
				if (!(m->x[i * m->R + k / m->C] > 0)) {
					out->unit_est[at] = out->unit_lo95[at] =
					    out->unit_hi95[at] = NAN;
					continue;
				}
				for (j = 0; j < nchains; j++)
					s += ch[j].usum[at];
				out->unit_est[at] = s / (double)total;
				for (j = 0; j < nchains; j++)
					for (t = 0; t < uc; t++)
						v[j * uc + t] = ch[j].ubuf[t * n * RC + at];
				out->unit_lo95[at] = bloc__ei_quantile(v, w, 0.025);
				out->unit_hi95[at] = bloc__ei_quantile(v, w, 0.975);
			}
	}
	bloc_free(v);
	return BLOC_OK;
}

/* Every group has members in some unit (else its shares are not identified at all). */
static int check_members(const bloc_ei_input *in)
{
	size_t i, r;

	for (r = 0; r < in->R; r++) {
		double members = 0;
		for (i = 0; i < in->n; i++)
			members += in->gcount[i * in->R + r];
		if (!(members > 0))
			return bloc_error_set(BLOC_ENUMERIC,
			                      "ei rxc: group '%s' has no members in any unit",
			                      in->group[r]);
	}
	return BLOC_OK;
}

static int alloc_result(bloc_ei_rxc *out, size_t n, size_t RC, size_t unit_draws)
{
	if (!(out->est = bloc_calloc(RC, sizeof(double))) ||
	    !(out->sd = bloc_calloc(RC, sizeof(double))) ||
	    !(out->lo95 = bloc_calloc(RC, sizeof(double))) ||
	    !(out->hi95 = bloc_calloc(RC, sizeof(double))) ||
	    !(out->rhat = bloc_calloc(RC, sizeof(double))) ||
	    !(out->ess = bloc_calloc(RC, sizeof(double))) ||
	    !(out->alpha = bloc_calloc(RC, sizeof(double))))
		return bloc_error_oom("for the ei rxc result");
	if (unit_draws && (!(out->unit_est = bloc_calloc(n * RC, sizeof(double))) ||
	                   !(out->unit_lo95 = bloc_calloc(n * RC, sizeof(double))) ||
	                   !(out->unit_hi95 = bloc_calloc(n * RC, sizeof(double)))))
		return bloc_error_oom("for the ei rxc unit estimates (%zu units)", n);
	return BLOC_OK;
}

/* The strata of the contextual model: each covariate of each group cut at its quantiles over
 * the units where the group lives into `bins` bins; a unit's stratum for group r is its bins'
 * mixed-radix number. nb counts the units of each stratum and group. The plain model: one
 * stratum holding every unit. */
static int strata(model *m, const bloc_ei_input *in, const bloc_ei_rxc_options *o)
{
	const size_t n = in->n, R = in->R, K = o->ncov, bins = strata_bins(o);
	double *v = NULL, cut[STRATA_MAX];
	size_t i, r, k, j, B = 1;

	for (k = 0; k < K; k++)
		B *= bins;
	m->B = B;
	if (!(m->bin = bloc_calloc(n * R + 1, 1)) ||
	    !(m->nb = bloc_calloc(B * R, sizeof(double))) ||
	    !(v = bloc_calloc(n + 1, sizeof(double))))
		return bloc_error_oom("for the ei rxc strata (%zu units)", n);
	for (r = 0; r < R && K; r++) {
		size_t radix = 1;
		for (k = 0; k < K; k++, radix *= bins) {
			size_t nv = 0;
			for (i = 0; i < n; i++)
				if (m->x[i * R + r] > 0)
					v[nv++] = o->covariate[(i * R + r) * K + k];
			for (j = 1; j < bins; j++) /* the j/bins quantile */
				cut[j - 1] = nv ? bloc__ei_kth(v, nv, (j * nv) / bins) : 0;
			for (i = 0; i < n; i++) {
				const double z = o->covariate[(i * R + r) * K + k];
				size_t at = 0;
				while (at + 1 < bins && z >= cut[at])
					at++;
				m->bin[i * R + r] = (unsigned char)(m->bin[i * R + r] + at * radix);
			}
		}
	}
	for (i = 0; i < n; i++)
		for (r = 0; r < R; r++)
			m->nb[m->bin[i * R + r] * R + r] += 1;
	bloc_free(v);
	return BLOC_OK;
}

/* The model of `in`: group shares x (allocated into *x, owned by the caller), the ridge
 * directions and each unit's w for them, and how many directions a sweep uses. */
static int model_build(model *m, double **x, const bloc_ei_input *in, const bloc_ei_rxc_options *o)
{
	const size_t n = in->n, R = in->R, C = in->C;
	size_t i, r, k;
	int err;

	memset(m, 0, sizeof(*m));
	if (!(*x = bloc_calloc(n * R, sizeof(double))) ||
	    !(m->moves = bloc_calloc(R * R * C * C / 4 + 1, sizeof(ridge_move))))
		return bloc_error_oom("setting up the ei rxc model");
	for (i = 0; i < n; i++)
		for (r = 0; r < R; r++)
			(*x)[i * R + r] = in->gcount[i * R + r] / in->total[i];
	m->n = n;
	m->R = R;
	m->C = C;
	m->x = *x;
	m->T = in->pcount;
	m->N = in->total;
	m->lambda1 = o->lambda1;
	m->lambda2 = o->lambda2;
	for (r = 0; r < R; r++) {
		size_t q, c, d;
		for (q = r + 1; q < R; q++)
			for (c = 0; c < C; c++)
				for (d = c + 1; d < C; d++) {
					ridge_move *mv = &m->moves[m->nridge++];
					mv->r = (unsigned char)r;
					mv->q = (unsigned char)q;
					mv->c = (unsigned char)c;
					mv->d = (unsigned char)d;
				}
	}
	if (!(m->rw = bloc_calloc(n * (m->nridge ? m->nridge : 1) * 3, sizeof(double))))
		return bloc_error_oom("for the ei rxc ridge directions (%zu units x %zu)", n,
		                      m->nridge);
	for (i = 0; i < n; i++)
		for (k = 0; k < m->nridge; k++) {
			const ridge_move *mv = &m->moves[k];
			double *w = m->rw + (i * m->nridge + k) * 3, xr = (*x)[i * R + mv->r],
			       xq = (*x)[i * R + mv->q];
			if (xr > 0 && xq > 0) {
				w[0] = xr / xq;
				w[1] = xq / xr;
				w[2] = log(xr) - log(xq);
			} else {
				w[0] = w[1] = w[2] = NAN;
			}
		}
	if ((err = strata(m, in, o)) < 0)
		return err;
	/* big tables: a random 2 (R-1)(C-1) of the R(R-1)/2 x C(C-1)/2 directions per sweep */
	m->nuse = m->nridge <= RIDGE_ALL ? m->nridge : 2 * (R - 1) * (C - 1);
	if (m->nuse < RIDGE_ALL && m->nridge > RIDGE_ALL)
		m->nuse = RIDGE_ALL;
	return BLOC_OK;
}

static void model_free(model *m)
{
	bloc_free(m->moves);
	bloc_free(m->rw);
	bloc_free(m->bin);
	bloc_free(m->nb);
}

/* Chains started, then burnt in while their proposal scales adapt; the counts of proposals
 * and acceptances restart after it. */
static int burn_in(const model *m, chain *ch, size_t nchains, unsigned threads,
                   const bloc_ei_rxc_options *o)
{
	size_t k;
	int err;

	for (k = 0; k < nchains; k++) {
		if ((err = chain_alloc(&ch[k], m, o->unit_draws)) < 0)
			return err;
		bloc__parallel_stream(&ch[k].rng, o->seed, k);
		chain_start(m, &ch[k]);
		set_coupling(m, &ch[k]);
	}
	if ((err = run_all(m, ch, nchains, threads, o->burnin, 1, 1, 0)) < 0)
		return err;
	for (k = 0; k < nchains; k++)
		ch[k].rprop = ch[k].racc = ch[k].tprop = ch[k].tacc = ch[k].aprop = ch[k].aacc =
		    ch[k].gprop = ch[k].gacc = 0;
	return BLOC_OK;
}

/* The sweeps of the next batch: a batch, or an eighth more sweeps once that is longer, so
 * the diagnostics cost O(draws log draws) in all; never past max_sweeps. */
static size_t next_step(const bloc_ei_rxc *out, const bloc_ei_rxc_options *o)
{
	size_t done_sweeps = out->sweeps - o->burnin, step = o->batch;

	if (done_sweeps / 8 > step)
		step = done_sweeps / 8 / o->thin * o->thin;
	if (o->max_sweeps > done_sweeps && step > o->max_sweeps - done_sweeps)
		step = (o->max_sweeps - done_sweeps + o->thin - 1) / o->thin * o->thin;
	return step;
}

/* Room in every chain for `kept` kept sweeps (aggregates, and unit cells if kept). */
static int grow_draws(chain *ch, size_t nchains, size_t kept, size_t n, size_t RC, int keep_draws)
{
	size_t k;
	int err;

	for (k = 0; k < nchains; k++)
		if ((err = bloc__grow((void **)&ch[k].agg, &ch[k].cap, kept, RC * sizeof(double))) <
		        0 ||
		    (keep_draws && (err = bloc__grow((void **)&ch[k].cells, &ch[k].ccap, kept,
		                                     n * RC * sizeof(double))) < 0))
			return bloc_error_prefix("keeping %zu draws per chain", kept);
	return BLOC_OK;
}

/* R-hat and ESS of every aggregate cell on the draws so far (copied chain-major into
 * out->agg_draws); *ok: all within the targets. */
static int diagnose(bloc_ei_rxc *out, const chain *ch, size_t nchains, size_t RC,
                    const bloc_ei_rxc_options *o, int *ok)
{
	double *all;
	size_t k, t;

	if (!(all = bloc_calloc(nchains * out->draws * RC, sizeof(double))))
		return bloc_error_oom("checking convergence (%zu draws)", nchains * out->draws);
	for (k = 0; k < nchains; k++)
		for (t = 0; t < out->draws; t++)
			memcpy(all + (k * out->draws + t) * RC, ch[k].agg + t * RC,
			       RC * sizeof(double));
	*ok = 1;
	for (k = 0; k < RC; k++) {
		bloc_ei_diagnose(all + k, nchains, out->draws, RC, &out->rhat[k], &out->ess[k]);
		if (!(out->ess[k] >= o->target_ess) || !(out->rhat[k] < o->rhat_max))
			*ok = 0;
	}
	bloc_free(out->agg_draws);
	out->agg_draws = all;
	return BLOC_OK;
}

/* Batches of sweeps until every cell converges or max_sweeps is reached. */
static int sample(bloc_ei_rxc *out, const model *m, chain *ch, size_t nchains, unsigned threads,
                  const bloc_ei_rxc_options *o)
{
	const size_t RC = m->R * m->C;
	int err, ok;

	out->sweeps = o->burnin;
	for (;;) {
		size_t step = next_step(out, o);
		if ((err = grow_draws(ch, nchains, ch[0].kept + step / o->thin, m->n, RC,
		                      o->keep_draws)) < 0 ||
		    (err = run_all(m, ch, nchains, threads, step, o->thin, 0, 0)) < 0)
			return err;
		out->sweeps += step;
		out->draws = ch[0].kept;
		if ((err = diagnose(out, ch, nchains, RC, o, &ok)) < 0)
			return err;
		out->converged = ok;
		if (ok || out->sweeps - o->burnin >= o->max_sweeps)
			return BLOC_OK;
	}
}

/* The acceptance rates of each kind of move after burn-in, over all chains. */
static void acceptance(bloc_ei_rxc *out, const chain *ch, size_t nchains)
{
	double rp = 0, ra = 0, tp = 0, ta = 0, ap = 0, aa = 0, gp = 0, ga = 0;
	size_t k;

	for (k = 0; k < nchains; k++) {
		rp += (double)ch[k].rprop;
		ra += (double)ch[k].racc;
		tp += (double)ch[k].tprop;
		ta += (double)ch[k].tacc;
		ap += (double)ch[k].aprop;
		aa += (double)ch[k].aacc;
		gp += (double)ch[k].gprop;
		ga += (double)ch[k].gacc;
	}
	out->accept_ridge = rp > 0 ? ra / rp : NAN;
	out->accept_theta = tp > 0 ? ta / tp : NAN;
	out->accept_alpha = ap > 0 ? aa / ap : NAN;
	out->accept_collective = gp > 0 ? ga / gp : NAN;
}

/* keep_draws: every chain's kept unit cells, chain after chain. */
static int keep_cells(bloc_ei_rxc *out, const chain *ch, size_t nchains, size_t n, size_t RC)
{
	const size_t sz = out->draws * n * RC;
	size_t k;

	if (!(out->unit_cells_draws = bloc_calloc(nchains * sz, sizeof(double))))
		return bloc_error_oom("keeping %zu draws of unit cells", nchains * out->draws);
	for (k = 0; k < nchains; k++)
		memcpy(out->unit_cells_draws + k * sz, ch[k].cells, sz * sizeof(double));
	return BLOC_OK;
}

int bloc_ei_rxc_fit(bloc_ei_rxc *out, const bloc_ei_input *in, const bloc_ei_rxc_options *o)
{
	chain ch[MAX_CHAINS];
	model m;
	double *x = NULL;
	size_t nchains = 0, k;
	unsigned threads;
	long cpus;
	int err;

	memset(&m, 0, sizeof(m));
	memset(ch, 0, sizeof(ch));
	if (out)
		memset(out, 0, sizeof(*out));
	if (!out)
		return bloc_error_set(BLOC_EINVAL, "ei rxc: NULL argument");
	if ((err = check_options(in, o)) < 0 || (err = check_members(in)) < 0)
		return err;
	nchains = o->chains;
	cpus = sysconf(_SC_NPROCESSORS_ONLN);
	threads = o->threads ? o->threads : (unsigned)(cpus > 0 ? cpus : 1);
	out->n = in->n;
	out->R = in->R;
	out->C = in->C;
	out->chains = nchains;
	out->ncov = o->ncov;
	if ((err = alloc_result(out, in->n, in->R * in->C, o->unit_draws)) < 0 ||
	    (err = model_build(&m, &x, in, o)) < 0 ||
	    (err = burn_in(&m, ch, nchains, threads, o)) < 0 ||
	    (err = sample(out, &m, ch, nchains, threads, o)) < 0)
		goto done;
	acceptance(out, ch, nchains);
	out->strata = m.B;
	if ((err = summarise(out, &m, ch, nchains)) == BLOC_OK && o->keep_draws)
		err = keep_cells(out, ch, nchains, m.n, m.R * m.C);
done:
	for (k = 0; k < nchains && k < MAX_CHAINS; k++)
		chain_free(&ch[k]);
	bloc_free(x);
	model_free(&m);
	if (err < 0)
		bloc_ei_rxc_dispose(out);
	return err;
}
