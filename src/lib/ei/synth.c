/* Synthetic EI data with known truth, and a scorer. Streams of the seed: 0 the preferences,
 * 1 + i unit i (its total, group shares and votes). */
#include "bloc/ei.h"
#include "bloc/error.h"
#include "bloc/rng.h"

#include "../core/alloc.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

void bloc_ei_synth_options_init(bloc_ei_synth_options *o)
{
	memset(o, 0, sizeof(*o));
	o->units = 200;
	o->groups = 3;
	o->parties = 4;
	o->seed = 1;
	o->total = 1000;
}

void bloc_ei_synth_dispose(bloc_ei_synth *s)
{
	if (!s)
		return;
	bloc_ei_input_dispose(&s->in);
	bloc_free(s->pref);
	bloc_free(s->beta);
	bloc_free(s->truth);
	memset(s, 0, sizeof(*s));
}

/* A share vector of length k proportional to exp(sd N(0,1)). */
static void draw_simplex(bloc_rng *rng, double sd, double *out, size_t k)
{
	double sum = 0;
	size_t j;

	for (j = 0; j < k; j++)
		sum += out[j] = exp(sd * bloc_rng_normal(rng));
	for (j = 0; j < k; j++)
		out[j] /= sum;
}

/* With rng: a Dirichlet(a) draw into out; without: the mean a / sum(a). */
static void dirichlet(const double *a, double *out, size_t k, bloc_rng *rng)
{
	double sum = 0;
	size_t j;

	for (j = 0; j < k; j++)
		sum += out[j] = rng ? fmax(bloc_rng_gamma(rng, a[j]), 1e-300) : a[j];
	for (j = 0; j < k; j++)
		out[j] /= sum;
}

static int alloc_names(bloc_ei_input *in, size_t n, size_t R, size_t C)
{
	size_t k;
	char name[32];

	in->n = n;
	in->R = R;
	in->C = C;
	if (!(in->unit = bloc_calloc(n, sizeof(char *))) ||
	    !(in->group = bloc_calloc(R, sizeof(char *))) ||
	    !(in->party = bloc_calloc(C, sizeof(char *))) ||
	    !(in->gcount = bloc_calloc(n * R, sizeof(double))) ||
	    !(in->pcount = bloc_calloc(n * C, sizeof(double))) ||
	    !(in->total = bloc_calloc(n, sizeof(double))))
		return bloc_error_oom("making %zu synthetic units", n);
	for (k = 0; k < n; k++) {
		snprintf(name, sizeof(name), "U%04zu", k + 1);
		if (!(in->unit[k] = bloc_strdup(name)))
			return bloc_error_oom("naming synthetic units");
	}
	for (k = 0; k < R; k++) {
		snprintf(name, sizeof(name), "G%zu", k + 1);
		if (!(in->group[k] = bloc_strdup(name)))
			return bloc_error_oom("naming synthetic units");
	}
	for (k = 0; k < C; k++) {
		snprintf(name, sizeof(name), "P%zu", k + 1);
		if (!(in->party[k] = bloc_strdup(name)))
			return bloc_error_oom("naming synthetic units");
	}
	return BLOC_OK;
}

/* Check the shape, bias and total of the options. */
static int synth_check(const bloc_ei_synth_options *o)
{
	size_t n = o->units, R = o->groups, C = o->parties;

	if (R < 1 || R > BLOC_EI_MAX_GROUPS || C < 2 || C > BLOC_EI_MAX_PARTIES)
		return bloc_error_set(
		    BLOC_EINVAL, "ei-synth: groups 1 to %d and parties 2 to %d, got %zu and %zu",
		    BLOC_EI_MAX_GROUPS, BLOC_EI_MAX_PARTIES, R, C);
	if (n <= R || n > 10000000)
		return bloc_error_set(
		    BLOC_EINVAL,
		    "ei-synth: units from %zu (more than the groups) to 10000000, "
		    "got %zu",
		    R + 1, n);
	if (!(o->bias >= 0 && o->bias <= 1))
		return bloc_error_set(BLOC_EINVAL, "ei-synth: bias %g outside 0..1", o->bias);
	if (!(o->total >= 1 && o->total <= 1e7))
		return bloc_error_set(BLOC_EINVAL, "ei-synth: total %g outside 1..1e7", o->total);
	return BLOC_OK;
}

/* Draw unit i from its own stream: its size, group counts, each group's votes and totals. */
static void synth_unit(bloc_ei_synth *out, const bloc_ei_synth_options *o, const double *alpha,
                       double *wsum, size_t i)
{
	const size_t R = out->in.R, C = out->in.C;
	double x[BLOC_EI_MAX_GROUPS], p[BLOC_EI_MAX_PARTIES], q[BLOC_EI_MAX_PARTIES];
	double N, *g = out->in.gcount + i * R, *t = out->in.pcount + i * C, rest;
	size_t r, c;
	bloc_rng rng;

	bloc_rng_seed(&rng, o->seed, 1 + i);
	N = o->equal ? o->total : o->total * (0.5 + bloc_rng_uniform(&rng));
	if (!o->exact)
		N = fmax(1, floor(N + 0.5));
	draw_simplex(&rng, 1.0, x, R);
	rest = N;
	for (r = 0; r < R; r++) {
		g[r] = o->exact ? x[r] * N : (r + 1 < R ? floor(x[r] * N + 0.5) : rest);
		if (g[r] > rest)
			g[r] = rest;
		rest -= g[r];
	}
	out->in.total[i] = N;
	for (r = 0; r < R; r++) {
		double lam = o->bias * g[r] / N, *b = out->beta + (i * R + r) * C;
		if (o->dirichlet)
			dirichlet(alpha + r * C, q, C, &rng);
		else
			memcpy(q, out->pref + r * C, C * sizeof(double));
		for (c = 0; c < C; c++)
			p[c] = (1 - lam) * q[c] + (c == r % C ? lam : 0);
		if (o->exact) {
			for (c = 0; c < C; c++)
				b[c] = p[c];
		} else {
			double k, m = g[r];
			for (c = 0; c < C; c++)
				b[c] = 0;
			for (k = 0; k < m; k++)
				b[bloc_rng_categorical(&rng, p, C)] += 1;
			for (c = 0; c < C; c++)
				b[c] = m > 0 ? b[c] / m : p[c];
		}
		for (c = 0; c < C; c++) {
			t[c] += g[r] * b[c];
			out->truth[r * C + c] += g[r] * b[c];
		}
		wsum[r] += g[r];
	}
	if (!o->exact) /* whole votes: undo any rounding in the products */
		for (c = 0; c < C; c++)
			t[c] = floor(t[c] + 0.5);
}

int bloc_ei_synth_make(bloc_ei_synth *out, const bloc_ei_synth_options *o)
{
	double alpha[BLOC_EI_MAX_GROUPS * BLOC_EI_MAX_PARTIES], *wsum = NULL;
	size_t n, R, C, i, r, c;
	bloc_rng rng;
	int err;

	if (!out || !o)
		return bloc_error_set(BLOC_EINVAL, "ei-synth: NULL argument");
	memset(out, 0, sizeof(*out));
	if ((err = synth_check(o)) < 0)
		return err;
	n = o->units;
	R = o->groups;
	C = o->parties;
	if ((err = alloc_names(&out->in, n, R, C)) < 0 ||
	    !(out->pref = bloc_calloc(R * C, sizeof(double))) ||
	    !(out->beta = bloc_calloc(n * R * C, sizeof(double))) ||
	    !(out->truth = bloc_calloc(R * C, sizeof(double))) ||
	    !(wsum = bloc_calloc(R, sizeof(double)))) {
		bloc_ei_synth_dispose(out);
		return bloc_error_oom("drawing %zu synthetic units", n);
	}
	bloc_rng_seed(&rng, o->seed, 0);
	for (r = 0; r < R; r++) {
		if (o->dirichlet) { /* eiPack's prior: alpha ~ Gamma(4, rate 2) */
			for (c = 0; c < C; c++)
				alpha[r * C + c] = bloc_rng_gamma(&rng, 4) / 2;
			dirichlet(alpha + r * C, out->pref + r * C, C, NULL);
		} else {
			draw_simplex(&rng, 1.5, out->pref + r * C, C);
		}
	}
	for (i = 0; i < n; i++)
		synth_unit(out, o, alpha, wsum, i);
	for (r = 0; r < R; r++)
		for (c = 0; c < C; c++)
			out->truth[r * C + c] = wsum[r] > 0 ? out->truth[r * C + c] / wsum[r] : NAN;
	bloc_free(wsum);
	return BLOC_OK;
}

int bloc_ei_score_cells(bloc_ei_score *out, const bloc_ei_synth *s, const double *est,
                        const double *lo95, const double *hi95, const double *unit,
                        const bloc_ei_bounds *b)
{
	const size_t n = s->in.n, R = s->in.R, C = s->in.C;
	double sum = 0, width = 0;
	size_t i, r, c, cells = 0, covered = 0;

	memset(out, 0, sizeof(*out));
	if (!est || !lo95 || !hi95)
		return bloc_error_set(BLOC_EINVAL, "ei: score: NULL estimate");
	if (b && (b->n != n || b->R != R || b->C != C))
		return bloc_error_set(BLOC_EINVAL, "ei: score: shapes differ");
	for (r = 0; r < R * C; r++) {
		out->agg_mae += fabs(est[r] - s->truth[r]);
		covered += lo95[r] <= s->truth[r] && s->truth[r] <= hi95[r];
		if (b)
			width += b->agg_hi[r] - b->agg_lo[r];
	}
	out->agg_mae /= (double)(R * C);
	out->coverage = (double)covered / (double)(R * C);
	out->bounds_width = b ? width / (double)(R * C) : NAN;
	out->seat_mae = NAN;
	if (!unit)
		return BLOC_OK;
	for (i = 0; i < n; i++)
		for (r = 0; r < R; r++) {
			if (!(s->in.gcount[i * R + r] > 0))
				continue;
			for (c = 0; c < C; c++) {
				size_t k = (i * R + r) * C + c;
				sum += fabs(unit[k] - s->beta[k]);
				cells++;
			}
		}
	out->seat_mae = cells ? sum / (double)cells : NAN;
	return BLOC_OK;
}

int bloc_ei_score_goodman(bloc_ei_score *out, const bloc_ei_synth *s, const bloc_ei_goodman *g,
                          const bloc_ei_bounds *b)
{
	const size_t n = s->in.n, R = s->in.R, C = s->in.C;
	double *u;
	int err;

	memset(out, 0, sizeof(*out));
	if (g->R != R || g->C != C || b->n != n || b->R != R || b->C != C)
		return bloc_error_set(BLOC_EINVAL, "ei: score: shapes differ");
	if (!(u = bloc_calloc(n * R * C, sizeof(double))))
		return bloc_error_oom("scoring Goodman on %zu units", n);
	bloc_ei_goodman_units(g, b, u);
	err = bloc_ei_score_cells(out, s, g->est, g->lo95, g->hi95, u, b);
	bloc_free(u);
	return err;
}
