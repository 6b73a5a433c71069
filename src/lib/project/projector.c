/* The projection kernel: one base share matrix (seats x parties) in, one projected matrix out.
 * Formulas: research/election-models.md §1.1 and §2 (Electoral Calculus's notation: C seat share,
 * E base share of the area, P target share of the area, A projected share). */
#include "bloc/project.h"

#include "bloc/error.h"
#include "../core/alloc.h"
#include "project_int.h"

#include <math.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

struct bloc_projector {
	size_t nseats, np, nareas;
	bloc_party *parties;
	double *C;     /* nseats x np base shares */
	double *T;     /* nseats: valid votes, the weights of area shares */
	size_t *area;  /* nseats: area index or SIZE_MAX (kept as in the base) */
	double *E;     /* nareas x np: base shares of each area */
	double *Tarea; /* nareas: valid votes of each area */
	/* scratch for one run: strong-transition pools and loss fractions, nareas x np each */
	double *W, *S, *lw, *ls;
	double *gain;     /* nareas: sum of gains */
	double *D;        /* nareas x np: each target's change from its area's base, for one run */
	size_t *top;      /* nseats x 2: each seat's base winner and runner-up columns */
	unsigned char *M; /* nseats x np: 1 where the column's party has a candidate in the seat */
	double *N;        /* np: the whole contest's base shares (every seat, valid-weighted) */
	double *Md;       /* nseats x np: M as 0 or 1 doubles, for the models' arithmetic */
	void *scratch; /* a caller's working memory, kept between runs (bloc__projector_scratch) */
	size_t scratch_size;
	/* copies of C, M and Md that a caller changes in place (bloc__projector_copies), and the
	 * rows it changed (dirty: 1 each, listed in changed) and the columns of M and Md (cdirty)
	 */
	double *Cc, *Mdc;
	unsigned char *Mc, *dirty, *cdirty;
	size_t *changed, nchanged;
};

int bloc_model_parse(const char *name, int *out)
{
	static const struct {
		const char *name;
		int model;
	} names[] = {{"uniform", BLOC_MODEL_UNIFORM},
	             {"uns", BLOC_MODEL_UNIFORM},
	             {"proportional", BLOC_MODEL_PROPORTIONAL},
	             {"transition", BLOC_MODEL_TRANSITION},
	             {"tm", BLOC_MODEL_TRANSITION},
	             {"strong", BLOC_MODEL_STRONG},
	             {"strong-transition", BLOC_MODEL_STRONG},
	             {"stm", BLOC_MODEL_STRONG}};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcasecmp(name, names[i].name) == 0) {
			*out = names[i].model;
			return BLOC_OK;
		}
	}
	return bloc_error_set(BLOC_EINVAL,
	                      "model: expected uniform, proportional, transition or strong, found "
	                      "'%.40s'",
	                      name);
}

const char *bloc_model_name(int model)
{
	switch (model) {
	case BLOC_MODEL_UNIFORM:
		return "uniform";
	case BLOC_MODEL_PROPORTIONAL:
		return "proportional";
	case BLOC_MODEL_TRANSITION:
		return "transition";
	case BLOC_MODEL_STRONG:
		return "strong";
	}
	return "?";
}

void bloc_projector_free(bloc_projector *p)
{
	if (!p)
		return;
	bloc_free(p->parties);
	bloc_free(p->C);
	bloc_free(p->T);
	bloc_free(p->area);
	bloc_free(p->E);
	bloc_free(p->Tarea);
	bloc_free(p->W);
	bloc_free(p->S);
	bloc_free(p->lw);
	bloc_free(p->ls);
	bloc_free(p->gain);
	bloc_free(p->D);
	bloc_free(p->top);
	bloc_free(p->M);
	bloc_free(p->N);
	bloc_free(p->Md);
	bloc_free(p->scratch);
	bloc_free(p->Cc);
	bloc_free(p->Mdc);
	bloc_free(p->Mc);
	bloc_free(p->dirty);
	bloc_free(p->cdirty);
	bloc_free(p->changed);
	bloc_free(p);
}

size_t bloc_projector_nparties(const bloc_projector *p)
{
	return p->np;
}

const bloc_party *bloc_projector_parties(const bloc_projector *p)
{
	return p->parties;
}

size_t bloc_projector_nareas(const bloc_projector *p)
{
	return p->nareas;
}

long bloc_projector_col(const bloc_projector *p, bloc_party party)
{
	size_t j;

	party = bloc_party_successor(party);
	for (j = 0; j < p->np; j++)
		if (p->parties[j] == party)
			return (long)j;
	return -1;
}

const double *bloc_projector_base(const bloc_projector *p)
{
	return p->C;
}

const double *bloc_projector_area_base(const bloc_projector *p, size_t area)
{
	return p->E + area * p->np;
}

/*
 * The projection column of candidate k: its party under successors, except that only the
 * strongest independent in a seat is IND (candidates are sorted by votes, so it is the first);
 * other independents and aggregate lumps count as OTH. Summing a seat's independents into one
 * column would let several unrelated candidates "win" together.
 */
static bloc_party column_party(const bloc_contest *c, size_t s, size_t k)
{
	bloc_party q = bloc_party_successor(c->cand_party[k]), ind = bloc_party_ind();
	size_t i;

	if (c->cand_flags[k] & BLOC_CAND_AGGREGATE)
		return bloc_party_oth();
	if (q != ind)
		return q;
	for (i = c->cand_off[s]; i < k; i++)
		if (c->cand_party[i] == ind && !(c->cand_flags[i] & BLOC_CAND_AGGREGATE))
			return bloc_party_oth();
	return q;
}

/* Mark in seen (one byte per registered party) every column party of base and every extra
 * party; returns how many are marked. */
static size_t mark_parties(const bloc_contest *base, const bloc_party *extra, size_t nextra,
                           unsigned char *seen, size_t pc)
{
	size_t s, k, j, i, np = 0;

	for (s = 0; s < base->nseats; s++)
		for (k = base->cand_off[s]; k < base->cand_off[s + 1]; k++)
			seen[column_party(base, s, k)] = 1;
	for (j = 0; j < nextra; j++)
		if (extra[j] < pc)
			seen[bloc_party_successor(extra[j])] = 1;
	for (i = 0; i < pc; i++)
		np += seen[i];
	return np;
}

static int alloc_tables(bloc_projector *p, const char *id)
{
	const size_t nareas = p->nareas;
	size_t cells;

	if (bloc_mul_overflow(p->nseats, p->np, &cells) ||
	    !(p->parties = bloc_calloc(p->np, sizeof(bloc_party))) ||
	    !(p->C = bloc_calloc(cells, sizeof(double))) ||
	    !(p->T = bloc_calloc(p->nseats, sizeof(double))) ||
	    !(p->area = bloc_calloc(p->nseats, sizeof(size_t))) ||
	    !(p->E = bloc_calloc(nareas * p->np, sizeof(double))) ||
	    !(p->Tarea = bloc_calloc(nareas, sizeof(double))) ||
	    !(p->W = bloc_calloc(nareas * p->np, sizeof(double))) ||
	    !(p->S = bloc_calloc(nareas * p->np, sizeof(double))) ||
	    !(p->lw = bloc_calloc(nareas * p->np, sizeof(double))) ||
	    !(p->ls = bloc_calloc(nareas * p->np, sizeof(double))) ||
	    !(p->gain = bloc_calloc(nareas, sizeof(double))) ||
	    !(p->D = bloc_calloc(nareas * p->np, sizeof(double))) ||
	    !(p->top = bloc_calloc(p->nseats * 2 + 1, sizeof(size_t))) ||
	    !(p->M = bloc_calloc(cells + 1, 1)) ||
	    !(p->N = bloc_calloc(p->np + 1, sizeof(double))) ||
	    !(p->Md = bloc_calloc(cells + 1, sizeof(double))))
		return bloc_error_oom("preparing a projection of %s", id);
	return BLOC_OK;
}

/* The base: the marked parties in registry order with their columns (col, one per registered
 * party), each seat's shares C, valid votes T and area, and each area's shares E. */
static void fill_base(bloc_projector *p, const bloc_contest *base, const size_t *area_of_seat,
                      const unsigned char *seen, size_t *col, size_t pc)
{
	size_t i, j, k, s;
	double total;

	for (i = 0, j = 0; i < pc; i++)
		if (seen[i])
			p->parties[j++] = (bloc_party)i;
	for (i = 0; i < pc; i++)
		col[i] = SIZE_MAX;
	for (j = 0; j < p->np; j++)
		col[p->parties[j]] = j;
	for (s = 0; s < p->nseats; s++) {
		double *c = p->C + s * p->np, v = (double)base->valid[s];
		size_t a = area_of_seat ? area_of_seat[s] : 0;
		p->area[s] = a;
		p->T[s] = v;
		for (k = base->cand_off[s]; k < base->cand_off[s + 1]; k++) {
			size_t q = col[column_party(base, s, k)];
			c[q] += v > 0 ? (double)base->cand_votes[k] / v : 0;
			p->M[s * p->np + q] = 1;
			p->Md[s * p->np + q] = 1;
			if (a != SIZE_MAX)
				p->E[a * p->np + q] += (double)base->cand_votes[k];
		}
		if (a != SIZE_MAX)
			p->Tarea[a] += v;
	}
	for (i = 0; i < p->nareas; i++)
		for (j = 0; j < p->np; j++)
			p->E[i * p->np + j] =
			    p->Tarea[i] > 0 ? p->E[i * p->np + j] / p->Tarea[i] : 0;
	for (s = 0; s < p->nseats; s++)
		bloc__top_two(p->C + s * p->np, p->np, &p->top[2 * s], &p->top[2 * s + 1]);
	total = 0;
	for (s = 0; s < p->nseats; s++) {
		total += p->T[s];
		for (j = 0; j < p->np; j++)
			p->N[j] += p->T[s] * p->C[s * p->np + j];
	}
	for (j = 0; j < p->np; j++)
		p->N[j] = total > 0 ? p->N[j] / total : 0;
}

const double *bloc__projector_national(const bloc_projector *p)
{
	return p->N;
}

const size_t *bloc__projector_base_top(const bloc_projector *p)
{
	return p->top;
}

const unsigned char *bloc__projector_cand(const bloc_projector *p)
{
	return p->M;
}

void *bloc__projector_scratch(bloc_projector *p, size_t bytes)
{
	if (bytes > p->scratch_size) {
		void *n = bloc_malloc(bytes);
		if (!n)
			return NULL;
		bloc_free(p->scratch);
		p->scratch = n;
		p->scratch_size = bytes;
	}
	return p->scratch;
}

int bloc__projector_copies(bloc_projector *p, double **C, unsigned char **M, double **Md)
{
	const size_t np = p->np, cells = p->nseats * np;
	size_t k, s;

	if (!p->Cc) {
		if (!(p->Cc = bloc_malloc(cells * sizeof(double) + 1)) ||
		    !(p->Mdc = bloc_malloc(cells * sizeof(double) + 1)) ||
		    !(p->Mc = bloc_malloc(cells + 1)) ||
		    !(p->dirty = bloc_calloc(p->nseats + 1, 1)) ||
		    !(p->cdirty = bloc_calloc(np + 1, 1)) ||
		    !(p->changed = bloc_malloc((p->nseats + 1) * sizeof(size_t)))) {
			bloc_free(p->Cc);
			p->Cc = NULL; /* the others are freed with the projector */
			return bloc_error_oom("copying a projector's %zu seats", p->nseats);
		}
		memcpy(p->Cc, p->C, cells * sizeof(double));
		memcpy(p->Mdc, p->Md, cells * sizeof(double));
		memcpy(p->Mc, p->M, cells);
		p->nchanged = 0;
	}
	for (k = 0; k < np; k++) {
		if (!p->cdirty[k])
			continue;
		for (s = 0; s < p->nseats; s++) {
			p->Mc[s * np + k] = p->M[s * np + k];
			p->Mdc[s * np + k] = p->Md[s * np + k];
		}
		p->cdirty[k] = 0;
	}
	for (k = 0; k < p->nchanged; k++) {
		s = p->changed[k];
		memcpy(p->Cc + s * np, p->C + s * np, np * sizeof(double));
		memcpy(p->Mdc + s * np, p->Md + s * np, np * sizeof(double));
		memcpy(p->Mc + s * np, p->M + s * np, np);
		p->dirty[s] = 0;
	}
	p->nchanged = 0;
	*C = p->Cc;
	*M = p->Mc;
	*Md = p->Mdc;
	return BLOC_OK;
}

void bloc__projector_changing(bloc_projector *p, size_t s)
{
	if (!p->dirty[s]) {
		p->dirty[s] = 1;
		p->changed[p->nchanged++] = s;
	}
}

void bloc__projector_changing_column(bloc_projector *p, size_t j)
{
	p->cdirty[j] = 1;
}

const double *bloc__projector_cand_mask(const bloc_projector *p)
{
	return p->Md;
}

const double *bloc__projector_valid(const bloc_projector *p)
{
	return p->T;
}

const size_t *bloc__projector_area_of(const bloc_projector *p)
{
	return p->area;
}

int bloc_projector_new(bloc_projector **out, const bloc_contest *base, const size_t *area_of_seat,
                       size_t nareas, const bloc_party *extra, size_t nextra)
{
	bloc_projector *p = NULL;
	size_t pc = bloc_party_count(), s, *col = NULL;
	unsigned char *seen = NULL;
	int err;

	*out = NULL;
	if (nareas == 0 && area_of_seat)
		return bloc_error_set(BLOC_EINVAL, "projector: no areas");
	if (!area_of_seat)
		nareas = 1;
	for (s = 0; area_of_seat && s < base->nseats; s++)
		if (area_of_seat[s] != SIZE_MAX && area_of_seat[s] >= nareas)
			return bloc_error_set(BLOC_EINVAL, "projector: seat %zu in area %zu of %zu",
			                      s, area_of_seat[s], nareas);
	if (!(p = bloc_calloc(1, sizeof(*p))) || !(seen = bloc_calloc(pc, 1)) ||
	    !(col = bloc_calloc(pc, sizeof(size_t))))
		goto fail;
	p->np = mark_parties(base, extra, nextra, seen, pc);
	p->nseats = base->nseats;
	p->nareas = nareas;
	if ((err = alloc_tables(p, base->id)) < 0)
		goto done;
	fill_base(p, base, area_of_seat, seen, col, pc);
	*out = p;
	p = NULL;
	err = BLOC_OK;
	goto done;
fail:
	err = bloc_error_oom("preparing a projection of %s", base->id);
done:
	bloc_projector_free(p);
	bloc_free(seen);
	bloc_free(col);
	return err;
}

void bloc__top_two(const double *row, size_t np, size_t *w, size_t *sec)
{
	size_t j, a = 0, b = np > 1 ? 1 : 0;
	double va, vb;

	if (np > 1 && row[1] > row[0]) {
		a = 1;
		b = 0;
	}
	va = row[a];
	vb = row[b];
	/* the leaders' values kept at hand, the choices written without jumps */
	for (j = 2; j < np; j++) {
		const double x = row[j];
		const int first = x > va, second = x > vb;
		b = first ? a : second ? j : b;
		vb = first ? va : second ? x : vb;
		a = first ? j : a;
		va = first ? x : va;
	}
	*w = a;
	*sec = b;
}

static inline double normalise_row(double *restrict a, size_t np)
{
	double sum = 0;
	size_t j;
	int neg = 0;

	for (j = 0; j < np; j++) {
		if (a[j] < 0) {
			a[j] = 0;
			neg = 1;
		}
		sum += a[j];
	}
	/* leave exact rows alone so that a zero change reproduces the base bit for bit */
	if (!neg && fabs(sum - 1) <= 1e-12)
		return sum;
	if (sum > 0) {
		const double inv = 1 / sum;
		for (j = 0; j < np; j++)
			a[j] *= inv;
	}
	return sum;
}

double bloc__normalise_row(double *restrict a, size_t np)
{
	return normalise_row(a, np);
}

/* The transition models' per-area state for `target` over the shares C (weights T, area shares
 * E): each area's sum of gains, and for the strong model the weak and strong pools W, S
 * (votes-weighted) and the share of each that a decliner loses (lw, ls). */
static void transition_pools(bloc_projector *p, int model, double tau, const double *C,
                             const double *T, const double *E, const double *target)
{
	const size_t np = p->np;
	size_t s, j, a;

	for (a = 0; a < p->nareas; a++) {
		double g = 0;
		for (j = 0; j < np; j++) {
			double d = target[a * np + j] - E[a * np + j];
			if (d > 0)
				g += d;
			p->W[a * np + j] = p->S[a * np + j] = 0;
		}
		p->gain[a] = g;
	}
	if (model != BLOC_MODEL_STRONG)
		return;
	for (a = 0; a < p->nareas; a++)
		p->Tarea[a] = 0;
	for (s = 0; s < p->nseats; s++) {
		const double *c = C + s * np;
		if ((a = p->area[s]) == SIZE_MAX)
			continue;
		p->Tarea[a] += T[s];
		for (j = 0; j < np; j++) {
			double w = c[j] < tau ? c[j] : tau;
			p->W[a * np + j] += T[s] * w;
			p->S[a * np + j] += T[s] * (c[j] - w);
		}
	}
	for (a = 0; a < p->nareas; a++) {
		for (j = 0; j < np; j++) {
			size_t k = a * np + j;
			double loss = E[k] - target[k], W, S;
			W = p->Tarea[a] > 0 ? p->W[k] / p->Tarea[a] : 0;
			S = p->Tarea[a] > 0 ? p->S[k] / p->Tarea[a] : 0;
			p->lw[k] = p->ls[k] = 0;
			if (loss <= 0)
				continue;
			if (loss <= W) {
				p->lw[k] = W > 0 ? loss / W : 0;
			} else {
				p->lw[k] = 1;
				p->ls[k] = S > 0 ? (loss - W) / S : 0;
				if (p->ls[k] > 1)
					p->ls[k] = 1;
			}
		}
	}
}

/* One seat of area a under a transition model: decliners release votes (all in proportion,
 * or the weak pool first for the strong model), gainers share them by their gains. With a
 * candidate mask m, only candidates lose or gain. */
static inline void transition_seat(const bloc_projector *p, int model, double tau, size_t a,
                                   const double *restrict c, const double *restrict e,
                                   const double *restrict t, const double *restrict m,
                                   double *restrict out)
{
	const size_t np = p->np;
	double released = 0, gain = p->gain[a];
	size_t j;

	for (j = 0; j < np; j++) {
		double lost = 0;
		if (t[j] < e[j] && (!m || m[j])) {
			if (model == BLOC_MODEL_TRANSITION) {
				lost = c[j] * (1 - t[j] / e[j]);
			} else {
				double w = c[j] < tau ? c[j] : tau;
				lost = p->lw[a * np + j] * w + p->ls[a * np + j] * (c[j] - w);
			}
		}
		out[j] = c[j] - lost;
		released += lost;
	}
	/* gains are shared by the area's (not the seat's) gainers, so a gainer absent from a seat
	 * leaves its part to everyone there in proportion (the row is rescaled): continuous in t */
	if (gain > 0)
		for (j = 0; j < np; j++)
			if (t[j] > e[j] && (!m || m[j]))
				out[j] += released * (t[j] - e[j]) / gain;
}

int bloc__projector_begin(bloc_projector *p, int model, double tau, const double *C,
                          const double *T, const double *E, const double *target)
{
	if (model < BLOC_MODEL_UNIFORM || model > BLOC_MODEL_STRONG)
		return bloc_error_set(BLOC_EINVAL, "projection: unknown model %d", model);
	if (model == BLOC_MODEL_STRONG && !(tau > 0 && tau < 1))
		return bloc_error_set(
		    BLOC_EINVAL,
		    "projection: the strong-transition threshold must be between 0 "
		    "and 1 (a fraction of turnout), found %g",
		    tau);
	if (model == BLOC_MODEL_TRANSITION || model == BLOC_MODEL_STRONG)
		transition_pools(p, model, tau, C, T, E, target);
	if (model == BLOC_MODEL_UNIFORM) {
		size_t k;
		for (k = 0; k < p->nareas * p->np; k++)
			p->D[k] = target[k] - E[k];
	}
	return BLOC_OK;
}

static inline double seat_row(const bloc_projector *p, int model, double tau, size_t s,
                              const double *C, const double *E, const double *M,
                              const double *target, double *restrict out)
{
	const size_t np = p->np, a = p->area[s];
	const double *restrict c = C + s * np, *restrict e, *restrict t;
	const double *restrict m = M ? M + s * np : NULL;
	size_t j;
	double sum;

	if (a == SIZE_MAX) {
		memcpy(out, c, np * sizeof(double));
		return 0;
	}
	e = E + a * np;
	t = target + a * np;
	switch (model) {
	case BLOC_MODEL_UNIFORM: {
		const double *restrict d = p->D + a * np;
		if (m)
			for (j = 0; j < np; j++)
				out[j] = c[j] + m[j] * d[j];
		else
			for (j = 0; j < np; j++)
				out[j] = c[j] + d[j];
		break;
	}
	case BLOC_MODEL_PROPORTIONAL:
		/* a party new to the area has no base to scale: it gains uniformly */
		for (j = 0; j < np; j++)
			out[j] = m && !m[j] ? c[j] : e[j] > 0 ? c[j] * (t[j] / e[j]) : t[j];
		break;
	default: /* BLOC_MODEL_TRANSITION, BLOC_MODEL_STRONG (checked by bloc__projector_begin) */
		transition_seat(p, model, tau, a, c, e, t, m, out);
		break;
	}
	/* a seat whose every candidate would lose everything keeps its shares */
	if (!((sum = normalise_row(out, np)) > 0)) {
		memcpy(out, c, np * sizeof(double));
		return 0;
	}
	return sum;
}

double bloc__projector_seat(const bloc_projector *p, int model, double tau, size_t s,
                            const double *C, const double *E, const double *M, const double *target,
                            double *out)
{
	return seat_row(p, model, tau, s, C, E, M, target, out);
}

int bloc__projector_run_on(bloc_projector *p, int model, double tau, const double *C,
                           const double *T, const double *E, const double *M, const double *target,
                           double *shares)
{
	size_t s;
	int err;

	if ((err = bloc__projector_begin(p, model, tau, C, T, E, target)) < 0)
		return err;
	for (s = 0; s < p->nseats; s++)
		seat_row(p, model, tau, s, C, E, M, target, shares + s * p->np);
	return BLOC_OK;
}

int bloc_projector_run(bloc_projector *p, int model, double tau, const double *target,
                       double *shares)
{
	return bloc__projector_run_on(p, model, tau, p->C, p->T, p->E, NULL, target, shares);
}
