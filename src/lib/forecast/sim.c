/* Forecast simulations: correlated national, regional, factor and seat errors on the log scale of
 * each party's share, the softmax over each seat's candidates, and integer counts of what each
 * simulated election gives (forecast.h has the model).
 *
 * Determinism: simulation i draws from stream i of the seed alone (bloc_rng_seed(seed, i)) and
 * only adds integers to its worker's counts, which are summed at the end: the counts are the
 * same for any thread count, and for any split of 0..sims into blocks (MPI ranks).
 *
 * Seat noise is 650 x parties draws per simulation, so it is read from the quantile function of
 * the Student-t (or normal) at 4,097 points (j + 0.5) / 4097, interpolated linearly: 16 random
 * bits per draw, 12 for the interval and 4 for the place within it. The table (16 KB) stays in
 * the first-level cache; the draws follow the distribution to 1/4097 of probability and are cut
 * off beyond its 0.012% tails (7.2 SD for the unit-SD t with 5 df, 3.7 for the normal). National
 * and regional errors are drawn exactly. */
#include "bloc/forecast.h"

#include "bloc/error.h"
#include "bloc/rng.h"
#include "../core/alloc.h"
#include "../util/linalg.h"
#include "../util/normal.h"
#include "../util/parallel.h"

#include <math.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#define PI          3.14159265358979323846
#define TABLE_BITS  12                 /* the quantile function at 4,097 points */
#define TABLE_N     (1u << TABLE_BITS) /* intervals */
#define FRAC_BITS   4                  /* linear interpolation within one, in 16 steps */
#define BLOCK       512u               /* simulations per job */
#define MAX_THREADS 1024u

void bloc_forecast_options_init(bloc_forecast_options *o)
{
	memset(o, 0, sizeof(*o));
	o->sims = 40000;
	o->seed = 1;
	o->threads = 1;
}

void bloc_forecast_dispose(bloc_forecast *f)
{
	if (!f)
		return;
	bloc_free(f->wins);
	bloc_free(f->seats);
	bloc_free(f->majority);
	bloc_free(f->largest);
	bloc_free(f->tip);
	bloc_free(f->share);
	bloc_free(f->national);
	memset(f, 0, sizeof(*f));
}

static int alloc_counts(bloc_forecast *f, size_t S, size_t P)
{
	size_t cells = S * P;

	memset(f, 0, sizeof(*f));
	f->nseats = S;
	f->nparties = P;
	f->wins = bloc_calloc(cells, sizeof(*f->wins));
	f->seats = bloc_calloc(P * (S + 1), sizeof(*f->seats));
	f->majority = bloc_calloc(P, sizeof(*f->majority));
	f->largest = bloc_calloc(P, sizeof(*f->largest));
	f->tip = bloc_calloc(S, sizeof(*f->tip));
	f->share = bloc_calloc(cells * BLOC_FORECAST_BINS, sizeof(*f->share));
	f->national = bloc_calloc(P * BLOC_FORECAST_BINS, sizeof(*f->national));
	if (!f->wins || !f->seats || !f->majority || !f->largest || !f->tip || !f->share ||
	    !f->national) {
		bloc_forecast_dispose(f);
		return bloc_error_oom("forecast counts for %zu seats x %zu parties", S, P);
	}
	return BLOC_OK;
}

int bloc_forecast_add(bloc_forecast *a, const bloc_forecast *b)
{
	size_t S = a->nseats, P = a->nparties, i, cells = S * P;

	if (b->nseats != S || b->nparties != P)
		return bloc_error_set(BLOC_EINVAL, "forecast counts of %zu x %zu and %zu x %zu", S,
		                      P, b->nseats, b->nparties);
	a->sims += b->sims;
	a->kept += b->kept;
	a->hung += b->hung;
	for (i = 0; i < cells; i++)
		a->wins[i] += b->wins[i];
	for (i = 0; i < P * (S + 1); i++)
		a->seats[i] += b->seats[i];
	for (i = 0; i < P; i++) {
		a->majority[i] += b->majority[i];
		a->largest[i] += b->largest[i];
	}
	for (i = 0; i < S; i++)
		a->tip[i] += b->tip[i];
	for (i = 0; i < cells * BLOC_FORECAST_BINS; i++)
		a->share[i] += b->share[i];
	for (i = 0; i < P * BLOC_FORECAST_BINS; i++)
		a->national[i] += b->national[i];
	return BLOC_OK;
}

double bloc_forecast_hist_quantile(const uint64_t *h, size_t nbins, double hi, double q)
{
	uint64_t total = 0, cum = 0;
	size_t b;

	for (b = 0; b < nbins; b++)
		total += h[b];
	if (!total)
		return NAN;
	for (b = 0; b < nbins; b++) {
		double want = q * (double)total;
		if ((double)(cum + h[b]) >= want && h[b]) {
			double within = (want - (double)cum) / (double)h[b];
			return hi * ((double)b + within) / (double)nbins;
		}
		cum += h[b];
	}
	return hi;
}

double bloc_forecast_share_quantile(const uint32_t *h, double q)
{
	uint64_t w[BLOC_FORECAST_BINS];
	size_t b;

	for (b = 0; b < BLOC_FORECAST_BINS; b++)
		w[b] = h[b];
	return bloc_forecast_hist_quantile(w, BLOC_FORECAST_BINS, 1, q);
}

size_t bloc_forecast_seat_quantile(const uint64_t *h, size_t nseats, double q)
{
	uint64_t total = 0, cum = 0;
	size_t k;

	for (k = 0; k <= nseats; k++)
		total += h[k];
	for (k = 0; k <= nseats; k++) {
		cum += h[k];
		if ((double)cum >= q * (double)total && cum)
			return k;
	}
	return nseats;
}

double bloc_forecast_repair(double *m, size_t n)
{
	double l[BLOC_FORECAST_MAX_PARTIES * BLOC_FORECAST_MAX_PARTIES], keep = 1;
	size_t i, j, step;

	if (n > BLOC_FORECAST_MAX_PARTIES)
		return -1;
	for (step = 0; step <= 10; step++) {
		if (bloc__cholesky(m, n, l) == 0)
			return 1 - keep;
		/* shrink the off-diagonal by another tenth of its original size */
		double next = keep - 0.1, f = next > 0 ? next / keep : 0;
		for (i = 0; i < n; i++)
			for (j = 0; j < n; j++)
				if (i != j)
					m[i * n + j] *= f;
		keep = next > 0 ? next : 0;
	}
	return -1;
}

/* The table of quantiles at (j + 0.5) / (TABLE_N + 1), j = 0..TABLE_N, of a unit-SD Student-t
 * with df degrees of freedom (df 0: the normal). For the t, x = sqrt(df) tan(theta) turns the
 * density into cos(theta)^(df - 1) on (-pi/2, pi/2), whose integral on a fine grid is inverted
 * linearly. */
static int quantile_table(float *t, double df)
{
	const size_t G = 1u << 18; /* grid intervals over (0, pi/2) */
	double *cum;
	size_t j, g;

	if (df == 0) {
		for (j = 0; j <= TABLE_N; j++)
			t[j] = (float)bloc__normal_quantile(((double)j + 0.5) / (TABLE_N + 1));
		return BLOC_OK;
	}
	if (!(cum = bloc_malloc((G + 1) * sizeof(*cum))))
		return bloc_error_oom("a Student-t table");
	/* cumulative integral of cos^(df-1) over [0, theta_g], trapezoids */
	double h = (PI / 2) / (double)G, prev = 1, scale = sqrt((df - 2) / df);
	cum[0] = 0;
	for (g = 1; g <= G; g++) {
		double v = pow(cos(h * (double)g), df - 1);
		cum[g] = cum[g - 1] + 0.5 * h * (prev + v);
		prev = v;
	}
	/* upper half: probability p in (0.5, 1) is cum = (p - 0.5) * 2 * cum[G] */
	g = 0;
	t[TABLE_N / 2] = 0;
	for (j = TABLE_N / 2 + 1; j <= TABLE_N; j++) {
		double want = (((double)j + 0.5) / (TABLE_N + 1) - 0.5) * 2 * cum[G];
		while (g < G && cum[g + 1] < want)
			g++;
		double span = cum[g + 1] - cum[g],
		       theta = h * ((double)g + (span > 0 ? (want - cum[g]) / span : 0));
		double x = sqrt(df) * tan(theta) * scale;
		t[j] = (float)x;
		t[TABLE_N - j] = (float)-x;
	}
	bloc_free(cum);
	return BLOC_OK;
}

/* exp(x) for x <= 0 (x below -700 gives 0): 2^(x log2 e) as 2^n times a degree-6 polynomial
 * for 2^f, f in [-0.5, 0.5]; relative error below 2e-9. The same bits on every machine with
 * IEEE doubles, and far cheaper than libm's exp in the seats' loop. */
static inline double exp_neg(double x)
{
	if (x < -700)
		return 0;
	const double t = x * 1.4426950408889634; /* log2 e */
	const double n = floor(t + 0.5), f = t - n;
	/* 2^f = e^(f ln 2), Taylor to degree 6 in y = f ln 2, |y| <= 0.347 */
	const double y = f * 0.6931471805599453;
	double q =
	    1 +
	    y * (1 + y * (0.5 + y * (1.0 / 6 + y * (1.0 / 24 + y * (1.0 / 120 +
	                                                            y * (1.0 / 720 + y / 5040))))));
	union {
		double d;
		uint64_t u;
	} b;
	b.u = (uint64_t)((int64_t)n + 1023) << 52;
	return q * b.d;
}

/* log E[exp(sigma T)] of the table's T (a unit-SD t or normal), on a grid of sigma: the seat
 * noise's mean correction. */
#define MGRID 256
/* Seat noise is at most this on the log scale (a share's SD factor of 4.5; reached only by
 * shares near 1% with a seat SD above 7 points): the grid covers all of it. */
#define NSCALE_MAX 1.5
#define MGRID_STEP (NSCALE_MAX / (MGRID - 1))

static void mean_grid(const float *table, double *m)
{
	size_t gi, j;

	for (gi = 0; gi < MGRID; gi++) {
		double sig = (double)gi * MGRID_STEP, sum = 0;
		/* the mean over the piecewise-linear quantile function: trapezoids in probability
		 */
		for (j = 0; j < TABLE_N; j++)
			sum +=
			    0.5 * (exp(sig * (double)table[j]) + exp(sig * (double)table[j + 1]));
		m[gi] = log(sum / TABLE_N);
	}
}

static double mean_at(const double *m, double sig)
{
	double g = sig / MGRID_STEP;
	size_t gi = (size_t)g;

	if (gi >= MGRID - 1)
		return m[MGRID - 1];
	return m[gi] + (g - (double)gi) * (m[gi + 1] - m[gi]);
}

/* The prepared run: everything the simulations read. */
struct prep {
	const bloc_forecast_spec *sp;
	const bloc_forecast_options *o;
	size_t S, P, R, K;
	double lnat[BLOC_FORECAST_MAX_PARTIES * BLOC_FORECAST_MAX_PARTIES];
	double lreg[BLOC_FORECAST_MAX_REGIONS * BLOC_FORECAST_MAX_REGIONS];
	double invref[BLOC_FORECAST_MAX_PARTIES];
	/* candidates of each seat: columns, ln centre, seat noise scale (CSR by seat) */
	size_t *off, *col;
	double *logc, *nscale, *own; /* own: (c - ref) / ref, the differential swing's loading */
	size_t ncells, *hoff;        /* cells, and each one's histogram in the counts */
	float *table;
	double wsum;
	uint64_t first, nsims, nblocks;
	bloc_forecast *acc; /* per worker */
	int tip;
};

/* Share bins of detailed simulations wait in a buffer (one byte per cell) and are added to the
 * histograms BUF rows at a time, a block of cells at a time: one simulation's cells are spread
 * over megabytes of histogram, a block of cells' over a few dozen kilobytes. */
#define BUF        512
#define CELL_BLOCK 64

/* Per-worker scratch. */
struct scratch {
	uint8_t *bins; /* BUF x ncells */
	size_t nbuf;
	double *x; /* ncells (CSR order): this simulation's shares */
	size_t *winner;
	double *margin;
	size_t *order;
	uint64_t *count; /* P: seats won */
};

static size_t select_kth(double *v, size_t *idx, size_t n, size_t k)
{
	/* k-th largest (0-based) of v[idx[0..n)] by quickselect over idx; returns the index */
	size_t lo = 0, hi = n - 1;

	while (lo < hi) {
		double pivot = v[idx[(lo + hi) / 2]];
		size_t i = lo, j = hi;
		while (i <= j) {
			while (v[idx[i]] > pivot)
				i++;
			while (v[idx[j]] < pivot)
				j--;
			if (i <= j) {
				size_t t = idx[i];
				idx[i] = idx[j];
				idx[j] = t;
				i++;
				if (j == 0)
					break;
				j--;
			}
		}
		if (k <= j)
			hi = j;
		else if (k >= i)
			lo = i;
		else
			break;
	}
	return idx[k];
}

static void flush(const struct prep *pp, struct scratch *w, bloc_forecast *acc)
{
	size_t lo, i, r;

	for (lo = 0; lo < pp->ncells; lo += CELL_BLOCK) {
		const size_t hi = lo + CELL_BLOCK < pp->ncells ? lo + CELL_BLOCK : pp->ncells;
		for (r = 0; r < w->nbuf; r++) {
			const uint8_t *row = w->bins + r * pp->ncells;
			for (i = lo; i < hi; i++)
				acc->share[pp->hoff[i] + row[i]]++;
		}
	}
	w->nbuf = 0;
}

static void simulate(const struct prep *pp, struct scratch *w, bloc_forecast *acc, uint64_t sim)
{
	const bloc_forecast_spec *sp = pp->sp;
	const size_t S = pp->S, P = pp->P, R = pp->R, K = pp->K;
	double z[BLOC_FORECAST_MAX_PARTIES], e[BLOC_FORECAST_MAX_PARTIES];
	double zr[BLOC_FORECAST_MAX_REGIONS];
	double shift[BLOC_FORECAST_MAX_REGIONS * BLOC_FORECAST_MAX_PARTIES];
	double g[BLOC_FORECAST_MAX_FACTORS * BLOC_FORECAST_MAX_PARTIES];
	double nat[BLOC_FORECAST_MAX_PARTIES], o[BLOC_FORECAST_MAX_PARTIES];
	bloc_rng rng;
	size_t s, p, r, k, i;
	uint64_t bits = 0;
	unsigned left = 0;

	bloc_rng_seed(&rng, pp->o->seed, sim);
	/* national: multivariate t = normal x sqrt((df - 2) / chi2(df)), unit scale */
	double wt = 1;
	if (sp->df > 0)
		wt = sqrt((sp->df - 2) / (2 * bloc_rng_gamma(&rng, sp->df / 2)));
	for (p = 0; p < P; p++)
		z[p] = bloc_rng_normal(&rng);
	for (p = 0; p < P; p++) {
		double v = 0;
		for (k = 0; k <= p; k++)
			v += pp->lnat[p * P + k] * z[k];
		e[p] = v * wt;
	}
	/* regional: each party's vector over the regions */
	for (p = 0; p < P; p++) {
		for (r = 0; r < R; r++)
			zr[r] = bloc_rng_normal(&rng);
		for (r = 0; r < R; r++) {
			double v = 0;
			for (k = 0; k <= r; k++)
				v += pp->lreg[r * R + k] * zr[k];
			shift[r * P + p] = (e[p] + sp->region_sd[r] * v) * pp->invref[p];
		}
	}
	for (k = 0; k < K; k++)
		for (p = 0; p < P; p++)
			g[k * P + p] =
			    sp->factor_sd[k * P + p] * bloc_rng_normal(&rng) * pp->invref[p];
	for (p = 0; p < P; p++)
		o[p] =
		    sp->own_sd[p] > 0 ? sp->own_sd[p] * bloc_rng_normal(&rng) * pp->invref[p] : 0;
	/* seats: every simulation needs each seat's winner (the largest log share); the shares
	 * themselves only every BLOC_FORECAST_SHARE_EVERY-th */
	const int detail = sim % BLOC_FORECAST_SHARE_EVERY == 0;
	memset(w->count, 0, P * sizeof(*w->count));
	const size_t *restrict col = pp->col;
	const double *restrict logc = pp->logc, *restrict own = pp->own,
	                       *restrict nscale = pp->nscale, *restrict load = sp->load;
	const float *restrict table = pp->table;
	double *restrict xs = w->x;
	for (s = 0; s < S; s++) {
		const size_t a = pp->off[s], b = pp->off[s + 1];
		const double *sh = shift + sp->region[s] * P;
		double best = -INFINITY, sum = 0;
		size_t win = SIZE_MAX;
		for (i = a; i < b; i++) {
			size_t c = col[i];
			double v = logc[i] + sh[c] + own[i] * o[c];
			for (k = 0; k < K; k++)
				v += load[s * K + k] * g[k * P + c];
			if (!left) {
				bits = bloc_rng_next(&rng);
				left = 4;
			}
			{
				const unsigned j = (unsigned)(bits >> FRAC_BITS) & (TABLE_N - 1);
				const float f = (float)(bits & ((1u << FRAC_BITS) - 1)) *
				                (1.0f / (1u << FRAC_BITS)),
				            q = table[j] + f * (table[j + 1] - table[j]);
				v += (double)q * nscale[i];
			}
			bits >>= TABLE_BITS + FRAC_BITS;
			left--;
			xs[i] = v;
			if (v > best) {
				best = v;
				win = c;
			}
		}
		if (detail) {
			for (i = a; i < b; i++)
				sum += xs[i] = exp_neg(xs[i] - best);
			const double inv = 1 / sum;
			for (i = a; i < b; i++)
				xs[i] *= inv;
		}
		w->winner[s] = win;
		if (win != SIZE_MAX)
			w->count[win]++;
	}
	for (i = 0; i < pp->o->ngiven; i++)
		if (w->winner[pp->o->given[i].seat] != pp->o->given[i].party)
			return;
	/* this simulation counts */
	acc->kept++;
	memset(nat, 0, P * sizeof(*nat));
	for (s = 0; s < S; s++)
		if (w->winner[s] != SIZE_MAX)
			acc->wins[s * P + w->winner[s]]++;
	for (s = 0; detail && s < S; s++) {
		const double ws = sp->weight[s];
		for (i = pp->off[s]; i < pp->off[s + 1]; i++) {
			size_t c = pp->col[i];
			double x = w->x[i];
			int bin = (int)(x * BLOC_FORECAST_BINS);
			nat[c] += ws * x;
			if (bin >= BLOC_FORECAST_BINS)
				bin = BLOC_FORECAST_BINS - 1;
			w->bins[w->nbuf * pp->ncells + i] = (uint8_t)bin;
		}
	}
	if (detail && ++w->nbuf == BUF)
		flush(pp, w, acc);
	size_t top = 0, nbest = 0;
	uint64_t most = 0;
	for (p = 0; p < P; p++) {
		if (detail) {
			double x = pp->wsum > 0 ? nat[p] / pp->wsum : 0;
			int bin = (int)(x * BLOC_FORECAST_BINS);
			if (bin >= BLOC_FORECAST_BINS)
				bin = BLOC_FORECAST_BINS - 1;
			if (bin < 0)
				bin = 0;
			acc->national[p * BLOC_FORECAST_BINS + (size_t)bin]++;
		}
		acc->seats[p * (S + 1) + w->count[p]]++;
		if (w->count[p] >= sp->majority)
			acc->majority[p]++;
		if (w->count[p] > most) {
			most = w->count[p];
			top = p;
			nbest = 1;
		} else if (w->count[p] == most)
			nbest++;
	}
	if (nbest == 1 && most > 0)
		acc->largest[top]++;
	for (p = 0; p < P && w->count[p] < sp->majority; p++)
		;
	if (p == P)
		acc->hung++;
	if (detail && pp->tip && sp->majority >= 1 && sp->majority <= S) {
		const size_t t = (size_t)sp->tip_party;
		for (s = 0; s < S; s++) {
			double mine = 0, other = 0;
			for (i = pp->off[s]; i < pp->off[s + 1]; i++) {
				if (pp->col[i] == t)
					mine = w->x[i];
				else if (w->x[i] > other)
					other = w->x[i];
			}
			w->margin[s] = pp->off[s] == pp->off[s + 1] ? -INFINITY : mine - other;
			w->order[s] = s;
		}
		acc->tip[select_kth(w->margin, w->order, S, sp->majority - 1)]++;
	}
}

struct job {
	struct prep *pp;
	struct scratch *ws;
};

static int run_block(size_t blk, unsigned worker, void *payload)
{
	struct job *j = payload;
	struct prep *pp = j->pp;
	uint64_t a = pp->first + (uint64_t)blk * BLOCK, b = a + BLOCK, i;

	if (b > pp->first + pp->nsims)
		b = pp->first + pp->nsims;
	for (i = a; i < b; i++)
		simulate(pp, &j->ws[worker], &pp->acc[worker], i);
	pp->acc[worker].sims += b - a;
	return 0;
}

static int check_spec(const bloc_forecast_spec *sp)
{
	if (!sp->nseats || !sp->nparties)
		return bloc_error_set(BLOC_EINVAL, "forecast: no seats or no parties");
	if (sp->nparties > BLOC_FORECAST_MAX_PARTIES)
		return bloc_error_set(BLOC_EINVAL, "forecast: %zu parties, at most %d",
		                      sp->nparties, BLOC_FORECAST_MAX_PARTIES);
	if (!sp->nregions || sp->nregions > BLOC_FORECAST_MAX_REGIONS)
		return bloc_error_set(BLOC_EINVAL, "forecast: %zu regions, 1 to %d", sp->nregions,
		                      BLOC_FORECAST_MAX_REGIONS);
	if (sp->nfactors > BLOC_FORECAST_MAX_FACTORS)
		return bloc_error_set(BLOC_EINVAL, "forecast: %zu factors, at most %d",
		                      sp->nfactors, BLOC_FORECAST_MAX_FACTORS);
	if ((sp->df != 0 && !(sp->df > 2)) || (sp->seat_df != 0 && !(sp->seat_df > 2)))
		return bloc_error_set(BLOC_EINVAL,
		                      "forecast: Student-t degrees of freedom must be above 2 (a "
		                      "unit SD), or 0 for the normal; got %g and %g",
		                      sp->df, sp->seat_df);
	if (!(sp->seat_sd >= 0))
		return bloc_error_set(BLOC_EINVAL, "forecast: seat SD %g", sp->seat_sd);
	return BLOC_OK;
}

int bloc_forecast_run(bloc_forecast *out, const bloc_forecast_spec *sp,
                      const bloc_forecast_options *o)
{
	const size_t S = sp->nseats, P = sp->nparties;
	struct prep pp;
	struct scratch *ws = NULL;
	struct job job;
	unsigned nw = 0, t;
	size_t s, p, k, n = 0, i;
	int err;
	struct timespec t0, t1;
	double *mgrid = NULL;

	memset(out, 0, sizeof(*out));
	memset(&pp, 0, sizeof(pp));
	if ((err = check_spec(sp)) < 0)
		return err;
	if (o->threads > MAX_THREADS)
		return bloc_error_set(BLOC_EINVAL, "forecast: %u threads, at most %u", o->threads,
		                      MAX_THREADS);
	if ((o->last && (o->last > o->sims || o->first > o->last)) || (!o->last && o->first))
		return bloc_error_set(BLOC_EINVAL,
		                      "forecast: simulations [%llu, %llu) are not within 0..%llu",
		                      (unsigned long long)o->first, (unsigned long long)o->last,
		                      (unsigned long long)o->sims);
	for (i = 0; i < o->ngiven; i++)
		if (o->given[i].seat >= S || o->given[i].party >= P)
			return bloc_error_set(BLOC_EINVAL, "forecast: condition %zu out of range",
			                      i);
	pp.sp = sp;
	pp.o = o;
	pp.S = S;
	pp.P = P;
	pp.R = sp->nregions;
	pp.K = sp->nfactors;
	pp.tip = sp->tip_party >= 0 && (size_t)sp->tip_party < P;
	pp.first = o->last ? o->first : 0;
	pp.nsims = (o->last ? o->last : o->sims) - pp.first;
	if (bloc__cholesky(sp->national_cov, P, pp.lnat) < 0)
		return bloc_error_set(BLOC_EINVAL,
		                      "forecast: the national error covariance is not positive "
		                      "definite");
	if (bloc__cholesky(sp->region_corr, pp.R, pp.lreg) < 0)
		return bloc_error_set(
		    BLOC_EINVAL, "forecast: the regional correlation is not positive definite");
	for (p = 0; p < P; p++)
		pp.invref[p] = sp->ref[p] > 0.01 ? 1 / sp->ref[p] : 100; /* points -> log scale */
	for (s = 0; s < S; s++) {
		if (sp->region[s] >= pp.R)
			return bloc_error_set(BLOC_EINVAL,
			                      "forecast: seat %zu in region %zu of %zu", s,
			                      sp->region[s], pp.R);
		for (p = 0; p < P; p++)
			n += sp->centre[s * P + p] > 0;
		pp.wsum += sp->weight[s];
	}
	pp.off = bloc_malloc((S + 1) * sizeof(*pp.off));
	pp.col = bloc_malloc((n + 1) * sizeof(*pp.col));
	pp.logc = bloc_malloc((n + 1) * sizeof(*pp.logc));
	pp.nscale = bloc_malloc((n + 1) * sizeof(*pp.nscale));
	pp.own = bloc_malloc((n + 1) * sizeof(*pp.own));
	pp.hoff = bloc_malloc((n + 1) * sizeof(*pp.hoff));
	pp.ncells = n;
	pp.table = bloc_malloc((TABLE_N + 1) * sizeof(*pp.table));
	mgrid = bloc_malloc(MGRID * sizeof(*mgrid));
	if (!pp.off || !pp.col || !pp.logc || !pp.nscale || !pp.own || !pp.hoff || !pp.table ||
	    !mgrid) {
		err = bloc_error_oom("preparing a forecast of %zu seats", S);
		goto done;
	}
	if ((err = quantile_table(pp.table, sp->seat_df)) < 0)
		goto done;
	mean_grid(pp.table, mgrid);
	n = 0;
	for (s = 0; s < S; s++) {
		pp.off[s] = n;
		for (p = 0; p < P; p++) {
			double c = sp->centre[s * P + p], var;
			if (!(c > 0))
				continue;
			double cf = c > 0.01 ? c : 0.01;
			pp.col[n] = p;
			pp.hoff[n] = (s * P + p) * BLOC_FORECAST_BINS;
			pp.own[n] = c - sp->ref[p] / 100;
			/* seat SD in points for a party at 35%, by sqrt(c(1-c)), over c: log scale
			 */
			pp.nscale[n] =
			    sp->seat_sd / 100 * sqrt(cf * (1 - cf)) / sqrt(0.35 * 0.65) / cf;
			if (pp.nscale[n] > NSCALE_MAX)
				pp.nscale[n] = NSCALE_MAX;
			/* the other terms' variance on the log scale (normal terms: sigma^2 / 2) */
			var = sp->national_cov[p * P + p] +
			      sp->region_sd[sp->region[s]] * sp->region_sd[sp->region[s]] +
			      pp.own[n] * pp.own[n] * sp->own_sd[p] * sp->own_sd[p];
			for (k = 0; k < pp.K; k++)
				var += sp->load[s * pp.K + k] * sp->load[s * pp.K + k] *
				       sp->factor_sd[k * P + p] * sp->factor_sd[k * P + p];
			var *= pp.invref[p] * pp.invref[p];
			pp.logc[n] = log(c) - 0.5 * var - mean_at(mgrid, pp.nscale[n]);
			n++;
		}
	}
	pp.off[S] = n;
	pp.nblocks = (pp.nsims + BLOCK - 1) / BLOCK;
	nw = bloc__parallel_workers(pp.nblocks ? pp.nblocks : 1, o->threads ? o->threads : 1);
	pp.acc = bloc_calloc(nw, sizeof(*pp.acc));
	ws = bloc_calloc(nw, sizeof(*ws));
	if (!pp.acc || !ws) {
		err = bloc_error_oom("forecast workers");
		goto done;
	}
	for (t = 0; t < nw; t++) {
		if ((err = alloc_counts(&pp.acc[t], S, P)) < 0)
			goto done;
		ws[t].x = bloc_malloc((n + 1) * sizeof(*ws[t].x));
		ws[t].bins = bloc_malloc(BUF * (n + 1));
		ws[t].winner = bloc_malloc(S * sizeof(*ws[t].winner));
		ws[t].margin = bloc_malloc(S * sizeof(*ws[t].margin));
		ws[t].order = bloc_malloc(S * sizeof(*ws[t].order));
		ws[t].count = bloc_malloc(P * sizeof(*ws[t].count));
		if (!ws[t].x || !ws[t].winner || !ws[t].margin || !ws[t].order || !ws[t].count ||
		    !ws[t].bins) {
			err = bloc_error_oom("forecast scratch");
			goto done;
		}
	}
	job.pp = &pp;
	job.ws = ws;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (pp.nblocks && (err = bloc__parallel_for(pp.nblocks, o->threads ? o->threads : 1,
	                                            run_block, &job)) < 0)
		goto done;
	for (t = 0; t < nw; t++)
		flush(&pp, &ws[t], &pp.acc[t]);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	/* worker 0's counts become the answer; the others are added in worker order */
	*out = pp.acc[0];
	memset(&pp.acc[0], 0, sizeof(pp.acc[0]));
	for (t = 1; t < nw; t++)
		if ((err = bloc_forecast_add(out, &pp.acc[t])) < 0)
			goto done;
	out->nregions = pp.R;
	out->sec = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
	err = BLOC_OK;
done:
	if (err < 0)
		bloc_forecast_dispose(out);
	for (t = 0; pp.acc && t < nw; t++)
		bloc_forecast_dispose(&pp.acc[t]);
	for (t = 0; ws && t < nw; t++) {
		bloc_free(ws[t].x);
		bloc_free(ws[t].bins);
		bloc_free(ws[t].winner);
		bloc_free(ws[t].margin);
		bloc_free(ws[t].order);
		bloc_free(ws[t].count);
	}
	bloc_free(ws);
	bloc_free(pp.acc);
	bloc_free(pp.off);
	bloc_free(pp.col);
	bloc_free(pp.logc);
	bloc_free(pp.nscale);
	bloc_free(pp.own);
	bloc_free(pp.hoff);
	bloc_free(pp.table);
	bloc_free(mgrid);
	return err;
}
