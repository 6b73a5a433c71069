/* Projecting a contest under a scenario: national and area targets through the model, then group
 * shifts seat by seat. */
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

/* Area index of a scenario area name in contest c: a nation or a region (case aside). */
static int seat_in_area(const bloc_contest *c, size_t s, const char *area)
{
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
	(BLOC_SCENARIO_MAX_LIST * (BLOC_SCENARIO_MAX_AREAS + BLOC_SCENARIO_MAX_GROUPS) +           \
	 2 * BLOC_SCENARIO_MAX_SWINGS)

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
	double total_base = 0;
	size_t s, j, k;
	int err;

	for (s = 0; s < base->nseats; s++) {
		total_base += (double)base->valid[s];
		for (j = 0; j < np; j++)
			nat[j] += (double)base->valid[s] * r->base_share[s * np + j];
	}
	for (j = 0; j < np; j++)
		nat[j] = total_base > 0 ? nat[j] / total_base : 0;
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

/* Group shifts, seat by seat: the group's voters are a fraction f of the seat's voters. votes
 * (nseats) gets each seat's valid vote after abstention. */
static void group_shifts(bloc_projection *r, const bloc_contest *base, const bloc_projector *pj,
                         const bloc_scenario *sc, const bloc_group_shares *groups, double *votes)
{
	const size_t np = r->nparties;
	size_t s, g, j, k;

	for (s = 0; s < base->nseats; s++) {
		double *row = r->share + s * np, sum = 0;
		r->group_share[s] = NAN;
		votes[s] = (double)base->valid[s];
		for (g = 0; g < sc->ngroups; g++) {
			double f = groups[g].share ? groups[g].share[s] : NAN;
			if (isnan(f))
				continue;
			f *= sc->adult_ratio * sc->turnout_ratio;
			if (f > 1)
				f = 1;
			if (g == 0)
				r->group_share[s] = f;
			if (!(f > 0))
				continue; /* no members: the seat is left exactly as projected */
			for (k = 0; k < sc->groups[g].n; k++) {
				long col = bloc_projector_col(pj, sc->groups[g].change[k].party);
				row[col] += f * sc->groups[g].change[k].value / 100;
				/* a party cannot lose more of the group's votes than it has */
				if (row[col] < 0)
					row[col] = 0;
			}
			for (j = 0, sum = 0; j < np; j++)
				sum += row[j];
			if (sum > 0 && fabs(sum - 1) > 1e-12) {
				for (j = 0; j < np; j++)
					row[j] /= sum;
				votes[s] *= sum; /* abstention (sum < 1) shrinks the seat's vote */
			}
		}
	}
}

/* Winners, seats, gains, losses and flows before and after, and the national shares (in
 * points) weighted by each seat's projected vote. A seat without valid votes in the base has no
 * winner before or after (BLOC_PARTY_NONE, majority NaN) and counts in no party's seats. */
static void tally(bloc_projection *r, const bloc_contest *base, const size_t *base_top,
                  const double *votes)
{
	const size_t np = r->nparties;
	double total = 0;
	size_t s, j;

	for (j = 0; j < np; j++)
		r->national[j] = 0;
	for (s = 0; s < r->nseats; s++) {
		size_t wb, w, sec;
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

/* bloc_project with an optional prepared projector `given` (see bloc_project_prepared). */
static int project(bloc_projection *out, const bloc_contest *base, bloc_projector *given,
                   const bloc_scenario *sc, const bloc_group_shares *groups)
{
	bloc_projection r;
	bloc_projector *pj = NULL;
	bloc_party extra[MAX_EXTRA];
	size_t nextra, *area = NULL, nareas = 1, np, *area_of = NULL;
	double *target = NULL, *nat = NULL, *votes = NULL;
	int err;

	memset(&r, 0, sizeof(r));
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
	    !(nat = bloc_calloc(np, sizeof(double))) ||
	    !(votes = bloc_calloc(base->nseats, sizeof(double))))
		goto nomem;
	if ((err = alloc_projection(&r, base, np)) < 0)
		goto done;
	memcpy(r.parties, bloc_projector_parties(pj), np * sizeof(bloc_party));
	memcpy(r.base_share, bloc_projector_base(pj), base->nseats * np * sizeof(double));
	if ((err = national_targets(&r, base, pj, sc, nat)) < 0 ||
	    (err = area_targets(target, pj, sc, area, nat, r.national_base)) < 0 ||
	    (err = bloc_projector_run(pj, sc->model, sc->threshold, target, r.share)) < 0)
		goto done;
	group_shifts(&r, base, pj, sc, groups, votes);
	tally(&r, base, bloc__projector_base_top(pj), votes);
	*out = r;
	memset(&r, 0, sizeof(r));
	err = BLOC_OK;
	goto done;
nomem:
	err = bloc_error_oom("projecting %s", base->id);
done:
	bloc_projection_dispose(&r);
	if (pj != given)
		bloc_projector_free(pj);
	bloc_free(area_of);
	bloc_free(area);
	bloc_free(target);
	bloc_free(nat);
	bloc_free(votes);
	return err;
}

int bloc_project(bloc_projection *out, const bloc_contest *base, const bloc_scenario *sc,
                 const bloc_group_shares *groups)
{
	return project(out, base, NULL, sc, groups);
}

int bloc_project_prepared(bloc_projection *out, const bloc_contest *base, bloc_projector *pj,
                          const bloc_scenario *sc, const bloc_group_shares *groups)
{
	return project(out, base, pj, sc, groups);
}
