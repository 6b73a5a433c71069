/* Projecting a contest under a scenario. A seat holds candidates (the base's, and new ones the
 * scenario stands); each seat's vote is split into the groups' votes (by the baseline) and
 * everyone else's; group shifts move the groups' votes, the model moves everyone else's, and the
 * model's targets are re-fitted until the shares asked for hold (research/election-models.md;
 * docs/scenarios.md). */
#include "bloc/project.h"

#include "bloc/error.h"
#include "../core/alloc.h"
#include "project_int.h"

#include <math.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

void bloc_projection_dispose(bloc_projection *p)
{
	if (!p)
		return;
	bloc_free(p->parties);
	bloc_free(p->base_share);
	bloc_free(p->share);
	bloc_free(p->winner_base);
	bloc_free(p->winner);
	bloc_free(p->second);
	bloc_free(p->majority_pct);
	bloc_free(p->group_share);
	bloc_free(p->national_base);
	bloc_free(p->national);
	bloc_free(p->seats_base);
	bloc_free(p->seats);
	bloc_free(p->gains);
	bloc_free(p->losses);
	bloc_free(p->flow);
	bloc_free(p->asked);
	bloc_free(p->reached);
	bloc_free(p->cand);
	bloc_free(p->group_base);
	bloc_free(p->group_after);
	memset(p, 0, sizeof(*p));
}

/* Apply one area's listed shares to `t` (np fractions, summing to 1): listed parties take their
 * value, the others share what is left in proportion to their current shares. */
static int apply_shares(double *t, const bloc_projector *pj, const bloc_area_shares *a,
                        const char *where)
{
	size_t np = bloc_projector_nparties(pj), j, k;
	unsigned char listed[256];
	double sum = 0, rest = 0;

	memset(listed, 0, sizeof(listed));
	for (k = 0; k < a->n; k++) {
		long col = bloc_projector_col(pj, a->shares[k].party);
		double v = a->shares[k].value;
		if (!(v >= 0 && v <= 100))
			return bloc_error_set(BLOC_EINVAL,
			                      "shares%s: %s=%g: expected 0 to 100 points", where,
			                      bloc_party_code(a->shares[k].party), v);
		if (col < 0)
			return bloc_error_set(BLOC_EINVAL, "shares%s: no column for %s", where,
			                      bloc_party_code(a->shares[k].party));
		if (listed[col])
			sum -= t[col];
		listed[col] = 1;
		t[col] = v / 100;
		sum += t[col];
	}
	if (sum > 1 + 1e-9)
		return bloc_error_set(
		    BLOC_EINVAL, "shares%s: expected shares adding up to at most 100, found %.2f",
		    where, 100 * sum);
	for (j = 0; j < np; j++)
		if (!listed[j])
			rest += t[j];
	if (rest > 0) {
		for (j = 0; j < np; j++)
			if (!listed[j])
				t[j] *= (1 - sum) / rest;
	} else if (sum < 1 - 1e-6) {
		return bloc_error_set(
		    BLOC_EINVAL,
		    "shares%s: expected shares adding up to 100, found %.2f and no "
		    "other party to take the remaining %.2f",
		    where, 100 * sum, 100 * (1 - sum));
	}
	return BLOC_OK;
}

/* Is seat s in the scenario area `area`: GB (England, Scotland and Wales), a nation or a region
 * (case aside)? */
static int seat_in_area(const bloc_contest *c, size_t s, const char *area)
{
	if (strcasecmp(area, "GB") == 0) /* Great Britain: England, Scotland and Wales */
		return strcmp(c->nation[s], "England") == 0 ||
		       strcmp(c->nation[s], "Scotland") == 0 || strcmp(c->nation[s], "Wales") == 0;
	return strcasecmp(c->nation[s], area) == 0 || strcasecmp(c->region[s], area) == 0;
}

static int unknown_area(const bloc_contest *c, const char *area)
{
	char list[768];
	size_t s, t, len = 0;

	list[0] = '\0';
	for (s = 0; s < c->nseats; s++) {
		const char *names[2] = {c->nation[s], c->region[s]};
		for (t = 0; t < 2; t++) {
			if (!*names[t] || strstr(list, names[t]))
				continue;
			if (len + strlen(names[t]) + 3 < sizeof(list))
				len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s",
				                        len ? ", " : "", names[t]);
		}
	}
	return bloc_error_set(BLOC_EINVAL, "region: no nation or region '%s' in %s (known: %s)",
	                      area, c->id, list);
}

/* The most parties a scenario can name (area shares, swings, group changes). */
#define MAX_EXTRA                                                                                  \
	(BLOC_SCENARIO_MAX_LIST * (BLOC_SCENARIO_MAX_AREAS + BLOC_SCENARIO_MAX_GROUPS + 1) +       \
	 2 * BLOC_SCENARIO_MAX_SWINGS + BLOC_SCENARIO_MAX_STANDS)

static int check_scenario(const bloc_scenario *sc, const bloc_group_shares *groups)
{
	if (sc->version != BLOC_SCENARIO_VERSION)
		return bloc_error_set(BLOC_EINVAL, "scenario: version %u, expected %u", sc->version,
		                      BLOC_SCENARIO_VERSION);
	if (sc->ngroups && !groups)
		return bloc_error_set(BLOC_EINVAL, "scenario: group shifts need census shares");
	return BLOC_OK;
}

/* Every party the scenario names, into extra (MAX_EXTRA); returns how many. */
static size_t scenario_parties(const bloc_scenario *sc, bloc_party *extra)
{
	size_t nextra = 0, j, k, g;

	for (k = 0; k < sc->nareas; k++)
		for (j = 0; j < sc->areas[k].n; j++)
			extra[nextra++] = sc->areas[k].shares[j].party;
	for (k = 0; k < sc->nswings; k++) {
		extra[nextra++] = sc->swings[k].from;
		extra[nextra++] = sc->swings[k].to;
	}
	for (g = 0; g < sc->ngroups; g++)
		for (j = 0; j < sc->groups[g].n; j++)
			extra[nextra++] = sc->groups[g].change[j].party;
	for (k = 0; k < sc->nstands; k++)
		extra[nextra++] = sc->stands[k].party;
	for (k = 0; k < sc->nsurvey; k++)
		extra[nextra++] = sc->survey[k].party;
	return nextra;
}

/* Areas: 0 = the seats outside every named area; then one per named area. area_of (nseats + 1)
 * gets each seat's area, area (nareas + 1) each scenario area's index, *nareas the count. */
static int map_areas(const bloc_contest *base, const bloc_scenario *sc, size_t *area_of,
                     size_t *area, size_t *nareas)
{
	size_t k, s;

	*nareas = 1;
	for (k = 0; k < sc->nareas; k++) {
		size_t hits = 0;
		if (!*sc->areas[k].area)
			continue;
		area[k] = (*nareas)++;
		for (s = 0; s < base->nseats; s++) {
			if (seat_in_area(base, s, sc->areas[k].area)) {
				area_of[s] = area[k];
				hits++;
			}
		}
		if (!hits)
			return unknown_area(base, sc->areas[k].area);
	}
	return BLOC_OK;
}

/* A prepared projector (one area, the base's own parties) serves when the scenario names no
 * area and no party without a column: it is then what bloc_projector_new would build. Else a
 * new one (*pj != given: the caller frees it). */
static int choose_projector(bloc_projector **pj, bloc_projector *given, const bloc_contest *base,
                            const size_t *area_of, size_t nareas, const bloc_party *extra,
                            size_t nextra)
{
	size_t j;

	*pj = NULL;
	if (given && nareas == 1 && bloc_projector_nareas(given) == 1) {
		for (j = 0; j < nextra && bloc_projector_col(given, extra[j]) >= 0; j++)
			;
		if (j == nextra) {
			*pj = given;
			return BLOC_OK;
		}
	}
	return bloc_projector_new(pj, base, area_of, nareas, extra, nextra);
}

static int alloc_projection(bloc_projection *r, const bloc_contest *base, size_t np)
{
	const size_t nseats = base->nseats;

	r->nseats = nseats;
	r->nparties = np;
	/* the seats x parties matrices and the per-seat winners are written whole before they
	 * are read (copied from the projector, projected, tallied): no zeroing */
	if (!(r->parties = bloc_calloc(np, sizeof(bloc_party))) ||
	    !(r->base_share = bloc_malloc(nseats * np * sizeof(double))) ||
	    !(r->share = bloc_malloc(nseats * np * sizeof(double))) ||
	    !(r->winner_base = bloc_malloc(nseats * sizeof(bloc_party))) ||
	    !(r->winner = bloc_malloc(nseats * sizeof(bloc_party))) ||
	    !(r->second = bloc_malloc(nseats * sizeof(bloc_party))) ||
	    !(r->majority_pct = bloc_malloc(nseats * sizeof(double))) ||
	    !(r->group_share = bloc_calloc(nseats, sizeof(double))) ||
	    !(r->national_base = bloc_calloc(np, sizeof(double))) ||
	    !(r->national = bloc_calloc(np, sizeof(double))) ||
	    !(r->seats_base = bloc_calloc(np, sizeof(int64_t))) ||
	    !(r->seats = bloc_calloc(np, sizeof(int64_t))) ||
	    !(r->gains = bloc_calloc(np, sizeof(int64_t))) ||
	    !(r->losses = bloc_calloc(np, sizeof(int64_t))) ||
	    !(r->flow = bloc_calloc(np * np, sizeof(int64_t))))
		return bloc_error_oom("projecting %s", base->id);
	return BLOC_OK;
}

/* National targets into nat (np): the base shares of the whole contest (also into
 * r->national_base), moved by the swings, then set by the national shares. */
static int national_targets(bloc_projection *r, const bloc_contest *base, const bloc_projector *pj,
                            const bloc_scenario *sc, double *nat)
{
	const size_t np = r->nparties;
	size_t j, k;
	int err;

	memcpy(nat, bloc__projector_national(pj), np * sizeof(double));
	memcpy(r->national_base, nat, np * sizeof(double));
	for (k = 0; k < sc->nswings; k++) {
		long f = bloc_projector_col(pj, sc->swings[k].from);
		long t = bloc_projector_col(pj, sc->swings[k].to);
		nat[f] -= sc->swings[k].points / 100;
		nat[t] += sc->swings[k].points / 100;
	}
	for (j = 0; j < np; j++)
		if (nat[j] < -1e-12)
			return bloc_error_set(
			    BLOC_EINVAL,
			    "swing: leaves %s at %.2f%% nationally (it had %.2f%% in "
			    "%s)",
			    bloc_party_code(r->parties[j]), 100 * nat[j], 100 * r->national_base[j],
			    base->id);
	for (k = 0; k < sc->nareas; k++)
		if (!*sc->areas[k].area && (err = apply_shares(nat, pj, &sc->areas[k], "")) < 0)
			return err;
	return BLOC_OK;
}

/* Each area's target shares (nareas * np): area 0 (the rest) the national change on its own
 * base shares, a named area its base shares set by its listed shares. */
static int area_targets(double *target, const bloc_projector *pj, const bloc_scenario *sc,
                        const size_t *area, const double *nat, const double *national_base)
{
	const size_t np = bloc_projector_nparties(pj);
	const double *e0 = bloc_projector_area_base(pj, 0);
	size_t j, k;
	int err;

	for (j = 0; j < np; j++)
		target[j] = e0[j] + (nat[j] - national_base[j]);
	bloc__normalise_row(target, np);
	for (k = 0; k < sc->nareas; k++) {
		char where[96];
		if (!*sc->areas[k].area)
			continue;
		memcpy(target + area[k] * np, bloc_projector_area_base(pj, area[k]),
		       np * sizeof(double));
		snprintf(where, sizeof(where), " in %s", sc->areas[k].area);
		if ((err = apply_shares(target + area[k] * np, pj, &sc->areas[k], where)) < 0)
			return err;
	}
	return BLOC_OK;
}

/* ---- one projection's working state ---------------------------------------------------------- */

struct work {
	size_t ns, np, na;
	const bloc_contest *base;
	const bloc_scenario *sc;
	const double *V;    /* ns: valid votes */
	const size_t *area; /* ns: area or SIZE_MAX */
	double *C;          /* ns x np: candidate shares after --stand (may be the projector's) */
	unsigned char *M;   /* ns x np: candidates */
	const double *O;    /* ns x np: everyone else's shares (C when no group) */
	const double *Ow;   /* ns: everyone else's votes (V when no group) */
	const double *Eo;   /* na x np: everyone else's shares by area */
	double *G;          /* ns x np: the groups' votes after their shifts, or NULL */
	double *G0, *G0a;   /* ns x np: the first group's votes before and after, or NULL */
	double *Md;         /* ns x np: M as 0 or 1 doubles, for the model */
	double *out;        /* np: one seat's projected shares of everyone else (with groups) */
	double *votes;      /* ns: each seat's projected valid votes */
	double *t;          /* na x np: the model's targets, re-fitted */
	double *P;          /* na x np: the shares asked for (NaN row: not held) */
	double *R;          /* na x np: the shares reached; then scratch */
	double *cov;        /* na x np: the weight of the area's votes a party's candidates move */
	double *J; /* na x np x np: uniform's Jacobian of the held shares by their targets */
	size_t *hidx, *hn;   /* na x np, na: each area's held parties (uniform's Newton step) */
	double home, gvotes; /* group votes staying at home; the groups' base votes */
	size_t stood;
	int ind_stood;
	const char **aname; /* na: each area's name ("" for the seats outside every named one) */
	long *col_of;       /* npc: each registered party's column (under successors), or -1 */
	size_t npc;
	unsigned char *arena; /* the projector's scratch: the work's arrays, one after another */
	size_t arena_size, arena_used;
	void *owned[16]; /* arrays that did not fit in the arena */
	size_t nowned;
};

/* Room for every array the work may need: a projection allocates nothing else on the way,
 * however often it is repeated on one projector. */
static size_t arena_bytes(size_t ns, size_t np, size_t na, size_t npc)
{
	const size_t cells = ns * np, acells = na * np;

	/* doubles: G, O (cells); votes, Ow (ns); t, P, R (5), cov, E (acells); R's area votes
	 * (na); the group split's 4 rows and out (np, 2 of them); J (acells x np). Then hidx, hn,
	 * live (size_t), aname, col_of, and each array's alignment. (With --stand, C, M and Md are
	 * the projector's copies.) */
	return (2 * cells + 2 * ns + 9 * acells + na + 6 * np + acells * np) * sizeof(double) +
	       (acells + na + np) * sizeof(size_t) + na * sizeof(char *) + npc * sizeof(long) +
	       24 * 64;
}

/* n items of `size` bytes, 64-byte aligned, from the arena (else the heap); zeroed unless the
 * caller writes every item itself (work_alloc_raw). */
static void *work_alloc_as(struct work *w, size_t n, size_t size, int zero)
{
	const size_t bytes = (n ? n : 1) * size, at = (w->arena_used + 63) & ~(size_t)63;
	void *p;

	if (w->arena && at + bytes <= w->arena_size) {
		w->arena_used = at + bytes;
		return zero ? memset(w->arena + at, 0, bytes) : w->arena + at;
	}
	if (w->nowned == sizeof(w->owned) / sizeof(w->owned[0]))
		return NULL;
	if ((p = bloc_calloc(n ? n : 1, size)))
		w->owned[w->nowned++] = p;
	return p;
}

static void *work_alloc(struct work *w, size_t n, size_t size)
{
	return work_alloc_as(w, n, size, 1);
}

static void *work_alloc_raw(struct work *w, size_t n, size_t size)
{
	return work_alloc_as(w, n, size, 0);
}

static void work_dispose(struct work *w)
{
	size_t i;
	for (i = 0; i < w->nowned; i++)
		bloc_free(w->owned[i]);
	w->nowned = 0;
}

/* ---- candidates: the base's, and new ones ------------------------------------------------- */

/* "all", "GB" (England, Scotland and Wales), or a nation or region of the base: a stand in
 * each of its seats (where the party has none). */
static int seat_in_stand_area(const bloc_contest *c, size_t s, const char *area)
{
	return strcasecmp(area, "all") == 0 || seat_in_area(c, s, area);
}

static int stand_area(const bloc_contest *c, const char *area)
{
	size_t s;

	if (strcasecmp(area, "all") == 0 || strcasecmp(area, "GB") == 0)
		return 1;
	if (bloc_contest_seat(c, area) >= 0 || bloc_contest_first_named(c, area) < c->nseats)
		return 0;
	for (s = 0; s < c->nseats; s++)
		if (seat_in_area(c, s, area))
			return 1;
	return 0;
}

/* Stand one candidate of column q in seat s; an independent replaces the seat's earlier one in
 * the IND column (its votes count under OTH). */
static int stand_one(struct work *w, bloc_projector *pj, const bloc_stand *st, int area, size_t s,
                     size_t q)
{
	const size_t np = w->np;
	const bloc_party ind = bloc_party_ind();
	double *c = w->C + s * np;

	if (w->M[s * np + q] && bloc_projector_parties(pj)[q] != ind) {
		if (area)
			return BLOC_OK; /* an area: the seats it already fights keep their candidate
			                 */
		return bloc_error_set(BLOC_EINVAL,
		                      "stand: %s already has a candidate in %s (%s): a group shift "
		                      "towards %s lands on them",
		                      bloc_party_code(st->party), w->base->name[s],
		                      w->base->code[s], bloc_party_code(st->party));
	}
	bloc__projector_changing(pj, s);
	if (bloc_projector_parties(pj)[q] == ind && c[q] > 0) {
		long oth = bloc_projector_col(pj, bloc_party_oth());
		if (oth < 0)
			return bloc_error_set(BLOC_EINVAL,
			                      "stand: no OTH column for %s's independent",
			                      w->base->name[s]);
		c[oth] += c[q];
		c[q] = 0;
		w->M[s * np + (size_t)oth] = 1;
		w->Md[s * np + (size_t)oth] = 1;
	}
	/* 2: an independent stood by the scenario (stand_candidates tells it from the base's) */
	w->M[s * np + q] = bloc_projector_parties(pj)[q] == ind ? 2 : 1;
	w->Md[s * np + q] = 1;
	w->stood++;
	return BLOC_OK;
}

/* sc->stands into w->C and w->M (copies of the projector's when there are any). */
static int stand_candidates(struct work *w, bloc_projector *pj)
{
	const bloc_scenario *sc = w->sc;
	const size_t np = w->np, ns = w->ns;
	const long ind = bloc_projector_col(pj, bloc_party_ind());
	size_t k, s;
	int err;

	if (!sc->nstands)
		return BLOC_OK; /* w->M and w->Md are the projector's */
	for (k = 0; k < sc->nstands; k++) {
		const bloc_stand *st = &sc->stands[k];
		long q = bloc_projector_col(pj, st->party);
		if (q < 0)
			return bloc_error_set(BLOC_EINVAL, "stand: no column for %s",
			                      bloc_party_code(st->party));
		w->ind_stood |= q == ind;
		if (stand_area(w->base, st->seat)) {
			for (s = 0; s < ns; s++)
				if (w->V[s] > 0 && seat_in_stand_area(w->base, s, st->seat) &&
				    (err = stand_one(w, pj, st, 1, s, (size_t)q)) < 0)
					return err;
			continue;
		}
		if ((err = bloc_contest_find_seat(w->base, st->seat, &s)) < 0)
			return bloc_error_prefix("stand %s@%s", bloc_party_code(st->party),
			                         st->seat);
		if ((err = stand_one(w, pj, st, 0, s, (size_t)q)) < 0)
			return err;
	}
	/* stood independents take IND's moves; the base's others keep their share */
	if (w->ind_stood)
		bloc__projector_changing_column(pj, (size_t)ind);
	for (s = 0; w->ind_stood && s < ns; s++) {
		unsigned char *m = w->M + s * np + (size_t)ind;
		*m = *m == 2;
		w->Md[s * np + (size_t)ind] = *m;
	}
	return BLOC_OK;
}

/* ---- groups -----------------------------------------------------------------------------------
 */

/* Fill the group's split b (np fractions of the group's votes, summing to 1) inside the room
 * left in the seat (rem, fractions of the seat) for a group of f: b_j f <= rem_j. The wished
 * split d (summing to 1 over candidates) is met where it fits; what does not fit goes to the
 * other candidates in proportion to d, else to the room left. Only the seat's live columns
 * (live, nl: a candidate or some room) can take any; b is 0 elsewhere. */
static void fit_split(double *b, const double *d, const double *rem, double f, size_t np,
                      const unsigned char *m, size_t *live)
{
	size_t i, j, nl, round;
	double want = 1, *cap = b + 2 * np; /* split_groups's scratch: b, d, then this */
	const double inv_f = 1 / f;
	int fits = 1;

	for (j = 0; j < np; j++) {
		cap[j] = rem[j] * inv_f; /* the most of the group's vote a party holds */
		fits &= d[j] <= cap[j];  /* (0 <= 0 outside the live columns) */
	}
	if (fits) {
		memcpy(b, d, np * sizeof(double));
		return;
	}
	for (j = 0, nl = 0; j < np; j++)
		if (rem[j] > 0 || m[j])
			live[nl++] = j;
	memset(b, 0, np * sizeof(double));
	for (round = 0; round <= nl && want > 1e-12; round++) {
		double wsum = 0, roomsum = 0, placed = 0, inv_w, inv_r;
		for (i = 0; i < nl; i++) {
			const size_t c = live[i];
			double room = cap[c] - b[c];
			if (room > 1e-15) {
				wsum += d[c];
				roomsum += room;
			}
		}
		if (roomsum <= 0)
			break;
		inv_w = wsum > 0 ? want / wsum : 0;
		inv_r = want / roomsum;
		for (i = 0; i < nl; i++) {
			const size_t c = live[i];
			double room = cap[c] - b[c], give;
			if (room <= 1e-15)
				continue;
			give = wsum > 0 ? d[c] * inv_w : room * inv_r;
			if (give > room)
				give = room;
			b[c] += give;
			placed += give;
		}
		want -= placed;
	}
}

/* The group's wished split in seat s (into d, np, not yet rescaled to sum to 1): survey or EI.
 * Returns what d sums to; 0 if the baseline is the census (the group votes like what is left of
 * its seat) or the EI has no row for the seat. */
static double wished_split(double *d, const struct work *w, const bloc_group_votes *gv,
                           const double *rem, size_t s)
{
	const size_t np = w->np;
	const bloc_scenario *sc = w->sc;
	const unsigned char *m = w->M + s * np;
	const double *restrict md = w->Md + s * np;
	const bloc_party oth = bloc_party_oth();
	double listed = 0, rest = 0, rest1 = 0, sum, spread = 0;
	size_t j, k;

	memset(d, 0, np * sizeof(double));
	if (sc->baseline == BLOC_BASELINE_SURVEY) {
		for (k = 0; k < sc->nsurvey; k++) {
			long q = w->col_of[sc->survey[k].party];
			if (q >= 0 && m[q]) {
				d[q] = sc->survey[k].value / 100;
				listed += d[q];
			}
		}
		spread = 1 - listed;
	} else if (sc->baseline == BLOC_BASELINE_EI && gv && gv->share) {
		const double *row = gv->share + s * gv->nparties;
		if (isnan(row[0]))
			return 0;
		for (k = 0; k < gv->nparties; k++) {
			long q;
			if (gv->parties[k] == oth) {
				spread += row[k];
				continue;
			}
			q = gv->parties[k] < w->npc ? w->col_of[gv->parties[k]] : -1;
			if (q >= 0 && m[q]) {
				d[q] += row[k];
				listed += row[k];
			} else {
				spread += row[k];
			}
		}
	} else {
		return 0;
	}
	/* what no listed candidate takes: the other candidates, in proportion to their votes
	 * (every loop runs over all columns: a column with no candidate and no votes adds 0) */
	for (j = 0; j + 1 < np; j += 2) { /* two sums, so that they run side by side */
		rest += md[j] * (d[j] == 0) * rem[j];
		rest1 += md[j + 1] * (d[j + 1] == 0) * rem[j + 1];
	}
	if (j < np)
		rest += md[j] * (d[j] == 0) * rem[j];
	rest += rest1;
	sum = listed;
	if (spread > 0 && rest > 0) {
		const double per = spread / rest;
		for (j = 0; j < np; j++)
			d[j] += md[j] * (d[j] == 0) * per * rem[j];
		sum += spread;
	}
	return sum > 0 ? sum : 0;
}

/* A shift too large for the group's vote: the first seat, and how many more. */
struct overdraw {
	size_t seat, more;
	int any;
	bloc_party party;
	double had, asked;
	const char *group;
};

/* One group in seat s: carve its votes out of rem (the seat's shares not yet given to a group)
 * by the baseline, shift them, and add them to G. */
static int group_seat(struct work *w, size_t g, double f, const bloc_group_votes *gv, double *rem,
                      double *remtot, size_t s, double *b, double *d, size_t *live, int *wrote,
                      struct overdraw *od)
{
	const size_t np = w->np;
	const bloc_scenario *sc = w->sc;
	const bloc_group_shift *sh = &sc->groups[g];
	const unsigned char *m = w->M + s * np;
	double *restrict G = w->G + s * np, scale = 1, fv, sum;
	size_t j, k;

	if (f > *remtot)
		f = *remtot;
	if (!(f > 0))
		return BLOC_OK;
	fv = f * w->V[s];
	if ((sum = wished_split(d, w, gv, rem, s)) > 0) {
		/* the wished split, where it fits (the usual case), else fit_split */
		const double inv = 1 / sum, inv_f = 1 / f;
		int fits = 1;
		for (j = 0; j < np; j++) {
			b[j] = d[j] * inv;
			fits &= b[j] <= rem[j] * inv_f; /* (0 <= 0 outside the live columns) */
		}
		if (!fits) {
			memcpy(d, b, np * sizeof(double));
			fit_split(b, d, rem, f, np, m, live);
		}
	} else {
		const double inv = *remtot > 0 ? 1 / *remtot : 0;
		for (j = 0; j < np; j++)
			b[j] = rem[j] * inv;
	}
	/* b is 0 where the seat has no candidate and no votes, and stays so */
	if (g == 0) {
		double *restrict g0 = w->G0 + s * np;
		for (j = 0; j < np; j++) {
			g0[j] = fv * b[j];
			rem[j] = rem[j] - f * b[j] < 0 ? 0 : rem[j] - f * b[j];
		}
	} else {
		for (j = 0; j < np; j++)
			rem[j] = rem[j] - f * b[j] < 0 ? 0 : rem[j] - f * b[j];
	}
	*remtot -= f;
	w->gvotes += f * w->V[s];
	for (k = 0; k < sh->n; k++) {
		long q = w->col_of[sh->change[k].party];
		double v = sh->change[k].value / 100;
		if (q < 0 || !m[q]) {
			if (v > 0) /* no candidate here: they stay at home */
				w->home += f * v * w->V[s];
			if (v > 0 || q < 0 || b[q] <= 0)
				continue; /* a shift away from a party applies where it stands */
		}
		if (q >= 0 && b[q] + v >= -1e-9) {
			b[q] += v;
			if (b[q] < 0)
				b[q] = 0;
			continue;
		}
		if (!od->any) {
			od->any = 1;
			od->seat = s;
			od->party = sh->change[k].party;
			od->had = q >= 0 ? b[q] : 0;
			od->asked = v;
			od->group = sh->group;
		} else if (od->seat != s) {
			od->more++;
		}
	}
	if (sh->turnout != 0) {
		double tg, e = (double)w->base->electorate[s];
		if (!(e > 0))
			return bloc_error_set(
			    BLOC_EINVAL,
			    "group %s: turnout=%+g needs the seat's electorate, which "
			    "%s does not give for %s (%s)",
			    sh->group, sh->turnout, w->base->id, w->base->name[s],
			    w->base->code[s]);
		tg = w->V[s] / e * sc->turnout_ratio;
		if (tg > 1)
			tg = 1;
		if (tg + sh->turnout / 100 < 0 || tg + sh->turnout / 100 > 1)
			return bloc_error_set(
			    BLOC_EINVAL,
			    "group %s: turnout=%+g takes the group's turnout in %s "
			    "(%s) from %.1f%% to %.1f%%, outside 0 to 100",
			    sh->group, sh->turnout, w->base->name[s], w->base->code[s], 100 * tg,
			    100 * tg + sh->turnout);
		scale = (tg + sh->turnout / 100) / tg;
	}
	fv *= scale;
	if (*wrote) {
		for (j = 0; j < np; j++)
			G[j] += fv * b[j];
	} else {
		for (j = 0; j < np; j++)
			G[j] = fv * b[j];
	}
	*wrote |= 1 | (g == 0) << 1; /* bit 1: the first group's G0 and G0a rows */
	if (g == 0 && w->G0a != w->G)
		for (j = 0; j < np; j++)
			w->G0a[s * np + j] = fv * b[j];
	return BLOC_OK;
}

/* An area's shares, summed seat by seat (area_add: row o with weight ow; the weights in tot)
 * and then divided by the weights (area_divide). */
static inline void area_add(double *restrict e, double *tot, double ow, const double *restrict o,
                            size_t np)
{
	size_t j;

	*tot += ow;
	for (j = 0; j < np; j++)
		e[j] += ow * o[j];
}

static void area_divide(double *E, const double *tot, size_t na, size_t np)
{
	size_t a, j;

	for (a = 0; a < na; a++)
		for (j = 0; j < np; j++)
			E[a * np + j] = tot[a] > 0 ? E[a * np + j] / tot[a] : 0;
}

/* Split every seat into the groups' shifted votes (G) and everyone else's shares (O), votes
 * (Ow) and area shares (Eo). */
static int split_groups(struct work *w, const bloc_group_shares *groups,
                        const bloc_group_votes *votes, double *group_share)
{
	const size_t np = w->np, ns = w->ns;
	double *O, *Ow, *rem, *b, *d, *E, *tot = w->R; /* R: scratch, na */
	struct overdraw od;
	size_t s, g, j, a, *live; /* live: fit_split's scratch */
	int err;

	memset(&od, 0, sizeof(od));
	/* every row of G, G0 and G0a is written below; with one group, G is G0a */
	if (!(w->G0 = bloc_malloc(ns * np * sizeof(double) + 1)) ||
	    !(w->G0a = bloc_malloc(ns * np * sizeof(double) + 1)) ||
	    !(w->G = w->sc->ngroups == 1 ? w->G0a : work_alloc_raw(w, ns * np, sizeof(double))) ||
	    !(O = work_alloc_raw(w, ns * np, sizeof(double))) ||
	    !(Ow = work_alloc_raw(w, ns, sizeof(double))) ||
	    !(rem = work_alloc(w, 4 * np, sizeof(double))) || /* rem, b, d, fit_split's caps */
	    !(live = work_alloc(w, np, sizeof(size_t))) ||
	    !(E = work_alloc(w, w->na * np, sizeof(double))))
		return bloc_error_oom("projecting %s's groups", w->base->id);
	for (a = 0; a < w->na; a++)
		tot[a] = 0;
	b = rem + np;
	d = b + np;
	for (s = 0; s < ns; s++) {
		double remtot = 1;
		/* group_seat's: bit 0, the seat's G row; bit 1, its G0 and G0a rows */
		int wrote = 0;
		memcpy(rem, w->C + s * np, np * sizeof(double));
		group_share[s] = NAN;
		for (g = 0; g < w->sc->ngroups; g++) {
			double f = groups[g].share ? groups[g].share[s] : NAN;
			if (isnan(f))
				continue;
			f *= w->sc->adult_ratio * w->sc->turnout_ratio;
			if (f > 1)
				f = 1;
			if (g == 0)
				group_share[s] = f;
			if ((err = group_seat(w, g, f, votes ? &votes[g] : NULL, rem, &remtot, s, b,
			                      d, live, &wrote, &od)) < 0)
				return err;
		}
		if (!(wrote & 1))
			memset(w->G + s * np, 0, np * sizeof(double));
		if (!(wrote & 2)) {
			memset(w->G0 + s * np, 0, np * sizeof(double));
			if (w->G0a != w->G)
				memset(w->G0a + s * np, 0, np * sizeof(double));
		}
		Ow[s] = w->V[s] * (remtot > 0 ? remtot : 0);
		remtot = remtot > 1e-15 ? 1 / remtot : 0;
		for (j = 0; j < np; j++)
			O[s * np + j] = rem[j] * remtot;
		if ((a = w->area[s]) != SIZE_MAX) /* area_shares, while the row is at hand */
			area_add(E + a * np, &tot[a], Ow[s], O + s * np, np);
	}
	if (od.any) {
		char more[64] = "";
		if (od.more)
			snprintf(more, sizeof(more), " (and %zu other seat%s)", od.more,
			         od.more == 1 ? "" : "s");
		return bloc_error_set(
		    BLOC_EINVAL,
		    "group %s: %s=%+g takes %g points of the group's vote from %s in %s (%s)%s, "
		    "where the group gave it %.2f (baseline %s): a group cannot lose more of a "
		    "party than it gave it; use a smaller shift or a baseline that estimates the "
		    "group's vote (--baseline ei or survey:...)",
		    od.group, bloc_party_code(od.party), 100 * od.asked, -100 * od.asked,
		    bloc_party_code(od.party), w->base->name[od.seat], w->base->code[od.seat], more,
		    100 * od.had,
		    w->sc->baseline == BLOC_BASELINE_EI       ? "ei"
		    : w->sc->baseline == BLOC_BASELINE_SURVEY ? "survey"
		                                              : "census");
	}
	area_divide(E, tot, w->na, np);
	w->O = O;
	w->Ow = Ow;
	w->Eo = E;
	return BLOC_OK;
}

/* Each area's shares of the other shares O weighted by Ow, into E (na x np). */
static void area_shares(const struct work *w, double *E)
{
	const size_t np = w->np;
	double *tot = w->R; /* scratch: na */
	size_t s, a;

	memset(E, 0, w->na * np * sizeof(double));
	for (a = 0; a < w->na; a++)
		tot[a] = 0;
	for (s = 0; s < w->ns; s++)
		if ((a = w->area[s]) != SIZE_MAX)
			area_add(E + a * np, &tot[a], w->Ow[s], w->O + s * np, np);
	area_divide(E, tot, w->na, np);
}

/* ---- the model, re-fitted until the shares hold -----------------------------------------------
 */

/* One run of the model on everyone else's votes, seat by seat, each row used at once: the
 * groups' votes added (w->votes, and the seat shares into share), then each area's shares reached
 * into w->R. With jac, uniform's Jacobian of each area's held shares by their targets into w->J:
 * in a seat whose row summed to S before it was rescaled, a candidate still above 0 moves its own
 * share by 1/S per point of its target and every share j by -share_j/S; the seats' changes are
 * weighted by their votes (everyone else's: the groups' votes do not move). */
static int round_once(struct work *w, bloc_projector *pj, double *share, int jac)
{
	const size_t np = w->np, na = w->na;
	const bloc_scenario *sc = w->sc;
	double *tot = w->R + na * np; /* na more, after R itself */
	size_t s, a, j, i, l;
	int err;

	if ((err = bloc__projector_begin(pj, sc->model, sc->threshold, w->O, w->Ow, w->Eo, w->t)) <
	    0)
		return err;
	for (a = 0; a < na; a++) {
		tot[a] = 0;
		for (j = 0; j < np; j++)
			w->R[a * np + j] = 0;
	}
	if (jac)
		memset(w->J, 0, na * np * np * sizeof(double));
	for (s = 0; s < w->ns; s++) {
		double *row = share + s * np, v = w->Ow[s], *r, S;
		double *o =
		    w->G ? w->out : row; /* the model's row: scratch when groups add to it */
		S = bloc__projector_seat(pj, sc->model, sc->threshold, s, w->O, w->Eo, w->Md, w->t,
		                         o);
		a = w->area[s];
		if (w->G) { /* the row in votes, until the last round's tally, added to its area's
			     */
			const double *restrict g = w->G + s * np, ow = w->Ow[s];
			double *restrict ra = a != SIZE_MAX ? w->R + a * np : w->out + np;
			double v1 = 0; /* two sums, so that they run side by side */
			v = 0;
			for (j = 0; j + 1 < np; j += 2) {
				const double x0 = ow * o[j] + g[j], x1 = ow * o[j + 1] + g[j + 1];
				row[j] = x0;
				row[j + 1] = x1;
				ra[j] += x0;
				ra[j + 1] += x1;
				v += x0;
				v1 += x1;
			}
			if (j < np) {
				row[j] = ow * o[j] + g[j];
				ra[j] += row[j];
				v += row[j];
			}
			v += v1;
		}
		w->votes[s] = v;
		if (a == SIZE_MAX)
			continue;
		tot[a] += v;
		r = w->R + a * np;
		if (!w->G)
			for (j = 0; j < np; j++)
				r[j] += v * row[j];
		if (jac && S > 0) {
			const size_t *h = w->hidx + a * np;
			const double *m = w->Md + s * np;
			double *J = w->J + a * np * np;
			for (i = 0; i < w->hn[a]; i++) {
				const size_t k = h[i];
				const double u = o[k] > 0 ? w->Ow[s] * m[k] / S : 0;
				if (u == 0)
					continue;
				J[k * np + k] += u;
				for (l = 0; l < w->hn[a]; l++)
					J[h[l] * np + k] -= u * o[h[l]];
			}
		}
	}
	for (a = 0; a < na; a++) {
		const double inv = tot[a] > 0 ? 1 / tot[a] : 0;
		for (j = 0; j < np; j++)
			w->R[a * np + j] *= inv;
		if (jac)
			for (j = 0; j < np * np; j++)
				w->J[a * np * np + j] *= inv;
	}
	return BLOC_OK;
}

/* Solve the h x h system A x = b in place (A row-major with stride np, b into x) by Gaussian
 * elimination with partial pivoting; -1 if A is (nearly) singular. */
static int solve_small(double *A, size_t np, double *b, size_t h)
{
	size_t c, r, k, piv;

	for (c = 0; c < h; c++) {
		piv = c;
		for (r = c + 1; r < h; r++)
			if (fabs(A[r * np + c]) > fabs(A[piv * np + c]))
				piv = r;
		if (!(fabs(A[piv * np + c]) > 1e-9))
			return -1;
		if (piv != c) {
			double tmp;
			for (k = 0; k < h; k++) {
				tmp = A[c * np + k];
				A[c * np + k] = A[piv * np + k];
				A[piv * np + k] = tmp;
			}
			tmp = b[c];
			b[c] = b[piv];
			b[piv] = tmp;
		}
		for (r = c + 1; r < h; r++) {
			const double f = A[r * np + c] / A[c * np + c];
			for (k = c; k < h; k++)
				A[r * np + k] -= f * A[c * np + k];
			b[r] -= f * b[c];
		}
	}
	for (c = h; c-- > 0;) {
		for (k = c + 1; k < h; k++)
			b[c] -= A[c * np + k] * b[k];
		b[c] /= A[c * np + c];
	}
	return 0;
}

#define NEWTON_MAX 32  /* held parties in one area solved together; more: one-party steps */
#define STEP_MAX   0.5 /* the most one re-fit moves a target (a share) */

/* A target's move, at most STEP_MAX either way. */
static double step_within(double move)
{
	return move > STEP_MAX ? STEP_MAX : move < -STEP_MAX ? -STEP_MAX : move;
}

/* Uniform's Newton step: in each area, the change of the held parties' targets that meets their
 * misses under the Jacobian w->J (shortened as a whole so that no target moves by more than 0.5
 * of a share; a party with no candidate there is left out). Where the system is singular, or has
 * more than NEWTON_MAX parties, each party steps by its own miss over its coverage. */
static void newton_step(struct work *w)
{
	const size_t np = w->np;
	double A[NEWTON_MAX * NEWTON_MAX], x[NEWTON_MAX];
	size_t a, i, l, h, hx[NEWTON_MAX];

	for (a = 0; a < w->na; a++) {
		const size_t *held = w->hidx + a * np;
		const double *J = w->J + a * np * np, *P = w->P + a * np, *R = w->R + a * np;
		const double *cov = w->cov + a * np;
		double *t = w->t + a * np;
		int solved = 0;
		/* the held parties with candidates to move */
		for (i = 0, h = 0; i < w->hn[a]; i++)
			if (cov[held[i]] > 0 && h++ < NEWTON_MAX)
				hx[h - 1] = held[i];
		if (h <= NEWTON_MAX) {
			for (i = 0; i < h; i++) {
				x[i] = P[hx[i]] - R[hx[i]];
				for (l = 0; l < h; l++)
					A[i * NEWTON_MAX + l] = J[hx[i] * np + hx[l]];
			}
			solved = solve_small(A, NEWTON_MAX, x, h) == 0;
		}
		if (solved) {
			/* a step longer than 0.5 in any target is shortened as a whole, so that it
			 * keeps its direction (along which the gap falls at first) */
			double big = 0, scale;
			for (i = 0; i < h; i++)
				big = fabs(x[i]) > big ? fabs(x[i]) : big;
			scale = big > STEP_MAX ? STEP_MAX / big : 1;
			for (i = 0; i < h; i++)
				t[hx[i]] += scale * x[i];
			continue;
		}
		for (i = 0; i < w->hn[a]; i++) { /* one-party steps */
			const size_t j = held[i];
			if (!(cov[j] > 0))
				continue;
			t[j] += step_within((P[j] - R[j]) / cov[j]);
		}
	}
}

/* The weight of each area's projected vote that a party's moving candidates hold: how much of
 * a change in its target reaches the area's share. */
static void coverage(struct work *w)
{
	const size_t np = w->np;
	double *tot = w->R + w->na * np;
	size_t s, a, j;

	memset(w->cov, 0, w->na * np * sizeof(double));
	for (s = 0; s < w->ns; s++) {
		const double ow = w->Ow[s], *restrict m = w->Md + s * np;
		double *restrict cov;
		if ((a = w->area[s]) == SIZE_MAX)
			continue;
		cov = w->cov + a * np;
		for (j = 0; j < np; j++)
			cov[j] += ow * m[j];
	}
	for (a = 0; a < w->na; a++)
		for (j = 0; j < np; j++)
			w->cov[a * np + j] = tot[a] > 0 ? w->cov[a * np + j] / tot[a] : 0;
}

#define HOLD_ROUNDS 100
#define HOLD_AIM    25   /* the re-fit stops at a 25th of the tolerance (0.002 points of 0.05) */
#define HOLD_COARSE 2e-5 /* and at 0.002 points at most, below the 0.01 that tables show */

/* Where the re-fit stops trying, as a fraction. */
static double hold_exact(const bloc_scenario *sc)
{
	const double aim = sc->hold_tolerance / 100 / HOLD_AIM;

	return aim > HOLD_COARSE ? HOLD_COARSE : aim > 0 ? aim : 1e-9;
}

/* The largest |asked - reached| over held areas and parties (fractions). */
static double hold_gap(const struct work *w)
{
	double gap = 0;
	size_t k;

	for (k = 0; k < w->na * w->np; k++)
		if (!isnan(w->P[k]) && fabs(w->P[k] - w->R[k]) > gap)
			gap = fabs(w->P[k] - w->R[k]);
	return gap;
}

static int unreachable(const struct work *w, const bloc_projector *pj, size_t a, size_t j)
{
	const char *code = bloc_party_code(bloc_projector_parties(pj)[j]);

	return bloc_error_set(BLOC_EINVAL,
	                      "shares%s%s: %s cannot reach %.2f%%: it has no candidate%s in %s "
	                      "(stand some with --stand %s@SEATS, or %s@all)",
	                      *w->aname[a] ? " in " : "", w->aname[a], code,
	                      100 * w->P[a * w->np + j], *w->aname[a] ? " there" : "", w->base->id,
	                      code, code);
}

/* In an area whose shares are held, the parties not held share what the held ones leave of
 * the targets in their first proportions (as the shares asked for set them): a held party's
 * gain is someone's loss, which the transition models need to see in the targets. */
static void rescale_rest(struct work *w, const double *first_t)
{
	const size_t np = w->np;
	size_t a, j;

	for (a = 0; a < w->na; a++) {
		const double *P = w->P + a * np, *f = first_t + a * np;
		double *t = w->t + a * np, held = 0, rest = 0, any = 0;
		for (j = 0; j < np; j++) {
			if (isnan(P[j])) {
				rest += f[j];
			} else {
				held += t[j] > 0 ? t[j] : 0;
				any = 1;
			}
		}
		if (!any || !(rest > 0))
			continue;
		for (j = 0; j < np; j++)
			if (isnan(P[j]))
				t[j] = held < 1 ? f[j] * (1 - held) / rest : 0;
	}
}

/* Run the model on everyone else's votes and add the groups'; while the held areas miss their
 * shares, move the model's targets by what is missing. Uniform takes Newton steps (newton_step;
 * one that leaves the gap wider is halved back). Proportional swing moves a party's area share
 * by about its target's change times the weight of the seats where it stands (coverage), so its
 * step is divided by that; the transition models share the released votes among gainers, so
 * their step is taken as it is; an overshot miss halves a party's step. */
static int run_model(struct work *w, bloc_projector *pj, double *share, size_t *rounds)
{
	const size_t np = w->np, na = w->na, n = na * np;
	const bloc_scenario *sc = w->sc;
	const double exact = hold_exact(sc);
	double gap = 0, best = INFINITY, last_gap = 0, prev_gap = 0, accel = 1;
	/* R (n), then each area's votes (na, round_once's), then room for the best targets, the
	 * first ones, and each target's last miss and step (n each; uniform: the targets before
	 * its last step in place of the misses) */
	double *best_t = w->R + n + na, *first_t = best_t + n, *last_miss = first_t + n;
	double *damp = last_miss + n, *prev_t = last_miss, *prev_R = damp;
	const int uniform = sc->model == BLOC_MODEL_UNIFORM;
	size_t k, a, j, held = 0;
	int err, again = 0, covered = 0, backs = 0;

	for (a = 0; a < na; a++)
		for (j = 0, w->hn[a] = 0; j < np; j++)
			if (!isnan(w->P[a * np + j]))
				w->hidx[a * np + w->hn[a]++] = j;
	for (a = 0; a < na; a++)
		held += w->hn[a];
	memcpy(first_t, w->t, n * sizeof(double));
	for (k = 0; k < n; k++) {
		last_miss[k] = 0;
		damp[k] = 1;
	}
	/* uniform swing: a held party's area share is everyone else's votes, whose share moves by
	 * its target's change times the weight of the seats it fights (coverage), plus the groups'
	 * votes, which do not move; the first targets solve that for the shares asked for (without
	 * groups and at no change, the base is reproduced exactly) */
	if (sc->hold_shares && held && uniform) {
		double *tot = w->R + n, *all = best_t, *gsum = w->R;
		size_t s;
		for (a = 0; a < na; a++)
			tot[a] = 0;
		memset(gsum, 0, n * sizeof(double));
		for (s = 0; s < w->ns; s++) {
			if ((a = w->area[s]) == SIZE_MAX)
				continue;
			tot[a] += w->Ow[s];
			if (w->G) {
				const double *restrict g = w->G + s * np;
				double *restrict gs = gsum + a * np;
				for (j = 0; j < np; j++)
					gs[j] += g[j];
			}
		}
		for (a = 0; a < na; a++) {
			all[a] = tot[a];
			for (j = 0; w->G && j < np; j++)
				all[a] += gsum[a * np + j];
		}
		coverage(w);
		covered = 1; /* the votes are those the rounds will see */
		for (k = 0; k < n; k++) {
			const double wo = tot[k / np];
			double want;
			if (isnan(w->P[k]) || !(w->cov[k] > 0.5) || !(wo > 0))
				continue;
			want = w->P[k] * all[k / np] - gsum[k] - wo * w->Eo[k];
			if (want != 0)
				w->t[k] = w->Eo[k] + want / (wo * w->cov[k]);
		}
	}
	*rounds = 0;
	for (;;) {
		if ((err = round_once(w, pj, share, uniform && sc->hold_shares && held && !again)) <
		    0)
			return err;
		if (!sc->hold_shares || !held || again || (gap = hold_gap(w)) <= exact)
			return BLOC_OK;
		if (gap < best) {
			best = gap;
			memcpy(best_t, w->t, n * sizeof(double));
		}
		if (*rounds == HOLD_ROUNDS) {
			/* as close as it gets: the best targets found, once more */
			if (gap > best) {
				memcpy(w->t, best_t, n * sizeof(double));
				again = 1;
				continue;
			}
			return BLOC_OK;
		}
		if (!covered) {
			coverage(w);
			covered = 1;
		}
		/* a share asked of a party with no candidate to move there */
		for (k = 0; k < n; k++)
			if (!isnan(w->P[k]) && w->cov[k] <= 0 &&
			    w->P[k] - w->R[k] > sc->hold_tolerance / 100)
				return unreachable(w, pj, k / np, k % np);
		if (uniform) {
			if (*rounds > 0 && gap > last_gap && ++backs <= 12) {
				/* the step overshot: back half way (its Jacobian is the new
				 * point's) */
				for (k = 0; k < n; k++)
					w->t[k] = (w->t[k] + prev_t[k]) / 2;
			} else if (*rounds > 0 && gap > last_gap) {
				/* the Newton step is no good from the last point (candidates
				 * pushed to 0 on the way bend the shares): each party steps by
				 * its own miss there over its coverage instead */
				for (k = 0; k < n; k++) {
					double move = 0;
					if (!isnan(w->P[k]) && w->cov[k] > 0)
						move = (w->P[k] - prev_R[k]) / w->cov[k];
					w->t[k] = prev_t[k] + step_within(move);
				}
				backs = 0;
			} else {
				last_gap = gap;
				backs = 0;
				memcpy(prev_t, w->t, n * sizeof(double));
				memcpy(prev_R, w->R, n * sizeof(double));
				newton_step(w);
			}
			(*rounds)++;
			continue;
		}
		/* the gap shrinking by a steady ratio r is a geometric series: step its sum,
		 * 1 / (1 - r) times the step (once two ratios agree) */
		accel = 1;
		if (*rounds >= 2 && last_gap > 0 && prev_gap > 0) {
			double r1 = gap / last_gap, r0 = last_gap / prev_gap;
			if (r1 > 0.2 && r1 < 0.95 && fabs(r1 - r0) < 0.1 * r1)
				accel = 1 / (1 - r1);
		}
		prev_gap = last_gap;
		last_gap = gap;
		for (k = 0; k < n; k++) {
			double miss, slope;
			if (isnan(w->P[k]))
				continue;
			miss = w->P[k] - w->R[k];
			if (fabs(miss) <= exact || w->cov[k] <= 0)
				continue;
			/* the share moves by about the target's change times the weight of the
			 * seats the party fights (proportional: in proportion to its share) */
			slope = w->cov[k];
			if (sc->model == BLOC_MODEL_PROPORTIONAL && w->t[k] > 1e-9 &&
			    w->R[k] > 1e-9)
				slope = w->R[k] / w->t[k];
			/* a miss that changed sign was overshot: shorter steps; one that keeps its
			 * sign and hardly shrinks was undershot: longer ones again */
			if (miss * last_miss[k] < 0)
				damp[k] /= 2;
			else if (fabs(miss) > 0.7 * fabs(last_miss[k]) && damp[k] < 1)
				damp[k] = damp[k] * 2 < 1 ? damp[k] * 2 : 1;
			last_miss[k] = miss;
			w->t[k] += step_within(damp[k] * miss / slope * accel);
			if (w->t[k] < 0) /* the targets of these models are shares */
				w->t[k] = 0;
		}
		/* the others' targets make room for the held ones' */
		rescale_rest(w, first_t);
		(*rounds)++;
	}
}

/* The shares asked for did not hold: the worst party, with the weight of the seats it fights. */
static int not_held(const struct work *w, const bloc_projector *pj)
{
	const size_t np = w->np;
	size_t k, worst = 0;
	double gap = -1;

	for (k = 0; k < w->na * np; k++)
		if (!isnan(w->P[k]) && fabs(w->P[k] - w->R[k]) > gap) {
			gap = fabs(w->P[k] - w->R[k]);
			worst = k;
		}
	return bloc_error_set(
	    BLOC_EINVAL,
	    "shares%s%s: cannot hold %s at %.2f%% (reached %.2f%%; its candidates fight seats "
	    "with %.1f%% of the votes there) in the %s model: %s, or give up holding the shares "
	    "(--hold-shares no, or a wider tolerance such as --hold-shares 0.2)",
	    *w->aname[worst / np] ? " in " : "", w->aname[worst / np],
	    bloc_party_code(bloc_projector_parties(pj)[worst % np]), 100 * w->P[worst],
	    100 * w->R[worst], 100 * w->cov[worst], bloc_model_name(w->sc->model),
	    w->R[worst] < w->P[worst]
	        ? "ask for less, or stand more of its candidates (--stand)"
	        : "ask for more (the groups' votes, which the re-fit does not move, may already "
	          "give it that much), or try another model");
}

/* Winners, seats, gains, losses and flows before and after, and the national shares (in
 * points) weighted by each seat's projected vote. A seat without valid votes in the base has no
 * winner before or after (BLOC_PARTY_NONE, majority NaN) and counts in no party's seats. */
static void tally(bloc_projection *r, const bloc_contest *base, const size_t *base_top,
                  const double *votes, int in_votes)
{
	const size_t np = r->nparties;
	double total = 0;
	size_t s, j;

	for (j = 0; j < np; j++)
		r->national[j] = 0;
	for (s = 0; s < r->nseats; s++) {
		size_t wb, w, sec;
		if (in_votes) { /* round_once left the row in votes (with groups): as shares */
			const double inv = votes[s] > 0 ? 1 / votes[s] : 0;
			for (j = 0; j < np; j++)
				r->share[s * np + j] *= inv;
		}
		if (base->valid[s] <= 0) {
			r->winner_base[s] = r->winner[s] = r->second[s] = BLOC_PARTY_NONE;
			r->majority_pct[s] = NAN;
			continue;
		}
		wb = base_top[2 * s];
		bloc__top_two(r->share + s * np, np, &w, &sec);
		r->winner_base[s] = r->parties[wb];
		r->winner[s] = r->parties[w];
		r->second[s] = r->parties[sec];
		r->majority_pct[s] = 100 * (r->share[s * np + w] - r->share[s * np + sec]);
		r->seats_base[wb]++;
		r->seats[w]++;
		r->flow[wb * np + w]++;
		if (w != wb) {
			r->gains[w]++;
			r->losses[wb]++;
			r->changed++;
		}
		total += votes[s];
		for (j = 0; j < np; j++)
			r->national[j] += votes[s] * r->share[s * np + j];
	}
	for (j = 0; j < np; j++) {
		r->national[j] = total > 0 ? 100 * r->national[j] / total : 0;
		r->national_base[j] *= 100;
	}
}

/* The shares held: in the seats outside every named area, the national shares listed and the
 * parties of every swing; in a named area, the parties its shares list. P gets their targets,
 * NaN for the rest (which follow the model). A party listed where it has no candidate has no
 * share to hold there; one with no candidate anywhere is an error. */
static int held_areas(struct work *w, const bloc_projector *pj, const double *target,
                      const size_t *area)
{
	const size_t np = w->np, na = w->na;
	const bloc_scenario *sc = w->sc;
	unsigned char *has = (unsigned char *)w->cov; /* scratch: na x np (cov is set later) */
	size_t a, j, k, s, i;

	memset(has, 0, na * np);
	for (s = 0; s < w->ns; s++)
		if ((a = w->area[s]) != SIZE_MAX)
			for (j = 0; j < np; j++)
				has[a * np + j] |=
				    w->M[s * np + j]; /* votes in C have a candidate */
	for (k = 0; k < na * np; k++)
		w->P[k] = NAN;
	for (k = 0; k < sc->nswings; k++) {
		long f = bloc_projector_col(pj, sc->swings[k].from);
		long t = bloc_projector_col(pj, sc->swings[k].to);
		w->P[f] = target[f];
		w->P[t] = target[t];
	}
	for (k = 0; k < sc->nareas; k++) {
		a = *sc->areas[k].area ? area[k] : 0;
		for (i = 0; i < sc->areas[k].n; i++) {
			long q = bloc_projector_col(pj, sc->areas[k].shares[i].party);
			w->P[a * np + (size_t)q] = target[a * np + (size_t)q];
		}
	}
	for (k = 0; k < na * np; k++) {
		size_t b;
		if (isnan(w->P[k]) || has[k])
			continue;
		j = k % np;
		for (b = 0; b < na && !has[b * np + j]; b++)
			;
		if (b == na && w->P[k] > 1e-9 && sc->hold_shares)
			return unreachable(w, pj, k / np, j);
		w->P[k] = NAN;
	}
	return BLOC_OK;
}

static int prepare_work(struct work *w, bloc_projector *pj)
{
	const size_t ns = w->ns, np = w->np, na = w->na;

	w->V = bloc__projector_valid(pj);
	w->area = bloc__projector_area_of(pj);
	if (!(w->t = work_alloc(w, na * np, sizeof(double))) ||
	    !(w->P = work_alloc(w, na * np, sizeof(double))) ||
	    !(w->R = work_alloc(w, 5 * na * np + na, sizeof(double))) || /* see run_model */
	    !(w->cov = work_alloc(w, na * np, sizeof(double))) ||
	    !(w->J = work_alloc(w, na * np * np, sizeof(double))) ||
	    !(w->hidx = work_alloc(w, na * np, sizeof(size_t))) ||
	    !(w->hn = work_alloc(w, na, sizeof(size_t))) ||
	    !(w->votes = work_alloc(w, ns, sizeof(double))))
		return bloc_error_oom("projecting %s", w->base->id);
	if (w->sc->nstands) {
		int err;
		if ((err = bloc__projector_copies(pj, &w->C, &w->M, &w->Md)) < 0)
			return err;
	} else {
		w->C = (double *)bloc_projector_base(pj);
		w->M = (unsigned char *)bloc__projector_cand(pj);
		w->Md = (double *)bloc__projector_cand_mask(pj);
	}
	return BLOC_OK;
}

/* bloc_project with an optional prepared projector `given` (see bloc_project_prepared). */
static int project(bloc_projection *out, const bloc_contest *base, bloc_projector *given,
                   const bloc_scenario *sc, const bloc_group_shares *groups,
                   const bloc_group_votes *gvotes)
{
	bloc_projection r;
	bloc_projector *pj = NULL;
	bloc_party extra[MAX_EXTRA];
	struct work w;
	size_t nextra, *area = NULL, nareas = 1, np, *area_of = NULL, k;
	double *target = NULL, *nat = NULL;
	int err;

	memset(&r, 0, sizeof(r));
	memset(&w, 0, sizeof(w));
	memset(out, 0, sizeof(*out));
	if ((err = check_scenario(sc, groups)) < 0)
		return err;
	nextra = scenario_parties(sc, extra);
	if (!(area_of = bloc_calloc(base->nseats + 1, sizeof(size_t))) ||
	    !(area = bloc_calloc(sc->nareas + 1, sizeof(size_t))))
		goto nomem;
	if ((err = map_areas(base, sc, area_of, area, &nareas)) < 0 ||
	    (err = choose_projector(&pj, given, base, area_of, nareas, extra, nextra)) < 0)
		goto done;
	np = bloc_projector_nparties(pj);
	if (!(target = bloc_calloc(nareas * np, sizeof(double))) ||
	    !(nat = bloc_calloc(np, sizeof(double))))
		goto nomem;
	if ((err = alloc_projection(&r, base, np)) < 0)
		goto done;
	w.ns = base->nseats;
	w.np = np;
	w.na = nareas;
	w.base = base;
	w.sc = sc;
	w.npc = bloc_party_count();
	w.arena_size = arena_bytes(w.ns, np, nareas, w.npc);
	if (!(w.arena = bloc__projector_scratch(pj, w.arena_size)))
		goto nomem;
	if (!(w.aname = work_alloc(&w, nareas, sizeof(char *))))
		goto nomem;
	w.aname[0] = "";
	for (k = 0; k < sc->nareas; k++)
		if (*sc->areas[k].area)
			w.aname[area[k]] = sc->areas[k].area;
	if (!(w.col_of = work_alloc(&w, w.npc, sizeof(long))))
		goto nomem;
	for (k = 0; k < w.npc; k++)
		w.col_of[k] = bloc_projector_col(pj, (bloc_party)k);
	if ((err = prepare_work(&w, pj)) < 0 || (err = stand_candidates(&w, pj)) < 0)
		goto done;
	memcpy(r.parties, bloc_projector_parties(pj), np * sizeof(bloc_party));
	memcpy(r.base_share, bloc_projector_base(pj), base->nseats * np * sizeof(double));
	if ((err = national_targets(&r, base, pj, sc, nat)) < 0 ||
	    (err = area_targets(target, pj, sc, area, nat, r.national_base)) < 0)
		goto done;
	if ((err = held_areas(&w, pj, target, area)) < 0)
		goto done;
	memcpy(w.t, target, nareas * np * sizeof(double));
	if (sc->ngroups && (err = split_groups(&w, groups, gvotes, r.group_share)) < 0)
		goto done;
	if (sc->ngroups && w.gvotes > 0) {
		/* one seat's row, and a sink for the seats of no area (round_once) */
		if (!(w.out = work_alloc(&w, 2 * np, sizeof(double))))
			goto nomem;
	} else {
		if (!sc->ngroups)
			for (k = 0; k < base->nseats; k++)
				r.group_share[k] = NAN;
		w.G = NULL; /* a group without votes anywhere changes nothing */
		w.O = w.C;
		w.Ow = w.V;
		w.Eo = NULL;
	}
	if (w.Eo) {
		/* split_groups found everyone else's area shares */
	} else if (sc->nstands) { /* everyone else's base differs from the projector's */
		double *E = work_alloc(&w, nareas * np, sizeof(double));
		if (!E)
			goto nomem;
		area_shares(&w, E);
		w.Eo = E;
	} else {
		w.Eo = bloc_projector_area_base(pj, 0);
	}
	/* the model moves everyone else's shares by the change asked for (from their own base,
	 * which differs from the seats' when the groups vote otherwise or candidates stood) */
	if (w.Eo != bloc_projector_area_base(pj, 0)) {
		const double *e = bloc_projector_area_base(pj, 0);
		for (k = 0; k < nareas * np; k++)
			w.t[k] = w.Eo[k] + (target[k] - e[k]);
	}
	if ((err = run_model(&w, pj, r.share, &r.hold_rounds)) < 0)
		goto done;
	if (sc->hold_shares && 100 * hold_gap(&w) > sc->hold_tolerance) {
		err = not_held(&w, pj);
		goto done;
	}
	tally(&r, base, bloc__projector_base_top(pj), w.votes, w.G != NULL);
	r.nareas = nareas;
	if (!(r.asked = bloc_malloc(nareas * np * sizeof(double))) ||
	    !(r.reached = bloc_malloc(nareas * np * sizeof(double))) ||
	    !(r.cand = bloc_malloc(base->nseats * np + 1)))
		goto nomem;
	for (k = 0; k < nareas * np; k++) {
		r.asked[k] = 100 * w.P[k];
		r.reached[k] = 100 * w.R[k];
	}
	memcpy(r.cand, w.M, base->nseats * np);
	r.group_base = w.G0;
	r.group_after = w.G0a;
	w.G0 = w.G0a = NULL;
	r.hold_gap = 100 * hold_gap(&w);
	r.home_votes = w.home;
	r.group_votes = w.gvotes;
	r.stood = w.stood;
	*out = r;
	memset(&r, 0, sizeof(r));
	err = BLOC_OK;
	goto done;
nomem:
	err = bloc_error_oom("projecting %s", base->id);
done:
	bloc_free(w.G0);
	bloc_free(w.G0a);
	work_dispose(&w);
	bloc_projection_dispose(&r);
	if (pj != given)
		bloc_projector_free(pj);
	bloc_free(area_of);
	bloc_free(area);
	bloc_free(target);
	bloc_free(nat);
	return err;
}

int bloc_project(bloc_projection *out, const bloc_contest *base, const bloc_scenario *sc,
                 const bloc_group_shares *groups)
{
	return project(out, base, NULL, sc, groups, NULL);
}

int bloc_project_prepared(bloc_projection *out, const bloc_contest *base, bloc_projector *pj,
                          const bloc_scenario *sc, const bloc_group_shares *groups)
{
	return project(out, base, pj, sc, groups, NULL);
}

int bloc_project_baselined(bloc_projection *out, const bloc_contest *base, bloc_projector *pj,
                           const bloc_scenario *sc, const bloc_group_shares *groups,
                           const bloc_group_votes *votes)
{
	return project(out, base, pj, sc, groups, votes);
}
