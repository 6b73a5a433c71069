/* EI inputs: built unit by unit (io/ei_units.c reads them from a CSV), or from a contest with
 * census group shares. */
#include "bloc/ei.h"
#include "bloc/error.h"

#include "../core/alloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void bloc_ei_input_dispose(bloc_ei_input *in)
{
	size_t i;

	if (!in)
		return;
	for (i = 0; in->unit && i < in->n; i++)
		bloc_free(in->unit[i]);
	for (i = 0; in->group && i < in->R; i++)
		bloc_free(in->group[i]);
	for (i = 0; in->party && i < in->C; i++)
		bloc_free(in->party[i]);
	bloc_free(in->unit);
	bloc_free(in->group);
	bloc_free(in->party);
	bloc_free(in->gcount);
	bloc_free(in->pcount);
	bloc_free(in->total);
	memset(in, 0, sizeof(*in));
}

/* Names R groups and C parties; allocates the name arrays (counts come later). */
static int set_names(bloc_ei_input *in, const char *const *groups, size_t R,
                     const char *const *parties, size_t C)
{
	size_t i, j;

	if (R == 0 || C == 0)
		return bloc_error_set(BLOC_EINVAL,
		                      "ei: at least one group and one party are needed");
	if (R > BLOC_EI_MAX_GROUPS || C > BLOC_EI_MAX_PARTIES)
		return bloc_error_set(BLOC_EINVAL, "ei: at most %d groups and %d parties",
		                      BLOC_EI_MAX_GROUPS, BLOC_EI_MAX_PARTIES);
	for (i = 0; i < R + C; i++) {
		const char *a = i < R ? groups[i] : parties[i - R];
		if (!a || !*a)
			return bloc_error_set(BLOC_EINVAL, "ei: an empty group or party name");
		for (j = 0; j < i; j++)
			if (strcasecmp(a, j < R ? groups[j] : parties[j - R]) == 0)
				return bloc_error_set(BLOC_EINVAL, "ei: column '%s' named twice",
				                      a);
	}
	in->R = R;
	in->C = C;
	if (!(in->group = bloc_calloc(R, sizeof(char *))) ||
	    !(in->party = bloc_calloc(C, sizeof(char *))))
		return bloc_error_oom("naming the EI groups and parties");
	for (i = 0; i < R; i++)
		if (!(in->group[i] = bloc_strdup(groups[i])))
			return bloc_error_oom("naming the EI groups and parties");
	for (i = 0; i < C; i++)
		if (!(in->party[i] = bloc_strdup(parties[i])))
			return bloc_error_oom("naming the EI groups and parties");
	return BLOC_OK;
}

/* Room for one more unit. */
static int grow_units(bloc_ei_input *in, size_t *cap)
{
	size_t need = in->n + 1, ncap;

	if (need <= *cap)
		return BLOC_OK;
	ncap = *cap ? *cap * 2 : 64;
	{
		char **u = bloc_realloc(in->unit, ncap * sizeof(char *));
		if (!u)
			return bloc_error_oom("growing the EI units to %zu", ncap);
		in->unit = u;
	}
	{
		double *g = bloc_realloc(in->gcount, ncap * in->R * sizeof(double));
		if (!g)
			return bloc_error_oom("growing the EI units to %zu", ncap);
		in->gcount = g;
	}
	{
		double *p = bloc_realloc(in->pcount, ncap * in->C * sizeof(double));
		if (!p)
			return bloc_error_oom("growing the EI units to %zu", ncap);
		in->pcount = p;
	}
	{
		double *t = bloc_realloc(in->total, ncap * sizeof(double));
		if (!t)
			return bloc_error_oom("growing the EI units to %zu", ncap);
		in->total = t;
	}
	*cap = ncap;
	return BLOC_OK;
}

int bloc_ei_input_start(bloc_ei_input *in, const char *const *groups, size_t R,
                        const char *const *parties, size_t C)
{
	int err;

	if (!in)
		return bloc_error_set(BLOC_EINVAL, "ei: NULL argument");
	memset(in, 0, sizeof(*in));
	if (!groups || !parties)
		return bloc_error_set(BLOC_EINVAL, "ei: NULL argument");
	if ((err = set_names(in, groups, R, parties, C)) < 0)
		bloc_ei_input_dispose(in);
	return err;
}

int bloc_ei_input_add(bloc_ei_input *in, size_t *cap, const char *unit, const double *gcount,
                      const double *pcount)
{
	double sum = 0;
	size_t k;
	int err;

	if ((err = grow_units(in, cap)) < 0)
		return err;
	if (!(in->unit[in->n] = bloc_strdup(unit)))
		return bloc_error_oom("reading EI unit %.60s", unit);
	for (k = 0; k < in->R; k++) {
		in->gcount[in->n * in->R + k] = gcount[k];
		sum += gcount[k];
	}
	for (k = 0; k < in->C; k++)
		in->pcount[in->n * in->C + k] = pcount[k];
	in->total[in->n] = sum;
	in->n++;
	return BLOC_OK;
}

/* Check the contest, the groups and the threshold; names the groups in gname. */
static int from_contest_check(const bloc_contest *c, const bloc_group_shares *g, size_t ng,
                              double threshold, const char **gname)
{
	size_t j;

	if (!c || !g || ng == 0)
		return bloc_error_set(BLOC_EINVAL,
		                      "ei: a contest and at least one group are needed");
	if (ng + 1 > BLOC_EI_MAX_GROUPS)
		return bloc_error_set(BLOC_EINVAL, "ei: at most %d groups", BLOC_EI_MAX_GROUPS - 1);
	if (!(threshold >= 0 && threshold < 1))
		return bloc_error_set(BLOC_EINVAL, "ei: party threshold %g outside 0..1",
		                      threshold);
	for (j = 0; j < ng; j++) {
		if (g[j].n != c->nseats)
			return bloc_error_set(BLOC_EINVAL,
			                      "ei: group %s has %zu seats, contest %zu", g[j].group,
			                      g[j].n, c->nseats);
		gname[j] = g[j].group;
	}
	gname[ng] = "other";
	return BLOC_OK;
}

/* Map each contest party to its EI column in map; names the columns in pname; returns C. */
static size_t from_contest_columns(const bloc_contest *c, double threshold, int abstention,
                                   long *map, const char **pname)
{
	double all = 0;
	size_t i, j, C = 0;
	int oth = -1;

	for (i = 0; i < c->nseats; i++)
		all += (double)c->valid[i];
	/* parties above the threshold keep their column (in the contest's order), the rest OTH */
	for (j = 0; j < c->nparties; j++) {
		double v = 0;
		const char *code = bloc_party_code(c->parties[j]);
		for (i = 0; i < c->nseats; i++)
			v += (double)c->votes[i * c->nparties + j];
		if (all > 0 && v >= threshold * all && strcmp(code, "OTH") != 0 &&
		    C < BLOC_EI_MAX_PARTIES - 1) {
			pname[C] = code;
			map[j] = (long)C++;
		} else {
			map[j] = -1;
		}
	}
	for (j = 0; j < c->nparties; j++)
		if (map[j] < 0) {
			if (oth < 0) {
				oth = (int)C;
				pname[C++] = "OTH";
			}
			map[j] = oth;
		}
	if (abstention)
		pname[C++] = "ABSTAIN"; /* the last column: electorate - valid votes */
	return C;
}

/* Append seat i as one EI unit, or count it skipped when its census or electorate is missing. */
static int from_contest_seat(bloc_ei_input *out, size_t *cap, const bloc_contest *c,
                             const bloc_group_shares *g, size_t ng, const long *map, int abstention,
                             size_t i)
{
	size_t j, R = out->R, C = out->C;
	double N = (double)c->valid[i], sum = 0, *gr, *pr;
	int missing = 0, err;

	if (abstention) /* the whole electorate; seats without one are skipped */
		N = c->electorate[i] >= c->valid[i] ? (double)c->electorate[i] : -1;
	for (j = 0; j < ng; j++) {
		if (isnan(g[j].share[i]))
			missing = 1;
		else
			sum += g[j].share[i];
	}
	if (missing || !(N > 0)) {
		out->skipped++;
		return BLOC_OK;
	}
	if (sum > 1 + 1e-6)
		return bloc_error_set(BLOC_ENUMERIC,
		                      "ei: %s (%s): the groups' shares add up to %.4f, above 1 "
		                      "(do the groups overlap, such as a religion and an "
		                      "ethnic group?)",
		                      c->code[i], c->name[i], sum);
	if ((err = grow_units(out, cap)) < 0)
		return err;
	gr = out->gcount + out->n * R;
	pr = out->pcount + out->n * C;
	for (j = 0; j < ng; j++)
		gr[j] = g[j].share[i] * N;
	gr[ng] = sum >= 1 ? 0 : (1 - sum) * N;
	for (j = 0; j < C; j++)
		pr[j] = 0;
	for (j = 0; j < c->nparties; j++)
		pr[map[j]] += (double)c->votes[i * c->nparties + j];
	if (abstention)
		pr[C - 1] = N - (double)c->valid[i];
	out->total[out->n] = N;
	if (!(out->unit[out->n] = bloc_strdup(c->code[i])))
		return bloc_error_oom("building EI units from %s", c->id ? c->id : "a contest");
	out->n++;
	return BLOC_OK;
}

int bloc_ei_from_contest(bloc_ei_input *out, const bloc_contest *c, const bloc_group_shares *g,
                         size_t ng, double threshold, int abstention)
{
	const char *gname[BLOC_EI_MAX_GROUPS], *pname[BLOC_EI_MAX_PARTIES];
	long *map = NULL;
	size_t i, C, R = ng + 1, cap = 0;
	int err;

	if (!out)
		return bloc_error_set(BLOC_EINVAL, "ei: NULL argument");
	memset(out, 0, sizeof(*out));
	if ((err = from_contest_check(c, g, ng, threshold, gname)) < 0)
		return err;
	if (!(map = bloc_calloc(c->nparties ? c->nparties : 1, sizeof(long))))
		return bloc_error_oom("building EI units from %s", c->id ? c->id : "a contest");
	C = from_contest_columns(c, threshold, abstention, map, pname);
	if ((err = set_names(out, gname, R, pname, C)) < 0)
		goto fail;
	for (i = 0; i < c->nseats; i++)
		if ((err = from_contest_seat(out, &cap, c, g, ng, map, abstention, i)) < 0)
			goto fail;
	if (out->n < R + 1) {
		err = bloc_error_set(BLOC_ENUMERIC,
		                     "ei: %zu seats with census data for %zu groups: at least %zu "
		                     "needed",
		                     out->n, R, R + 1);
		goto fail;
	}
	bloc_free(map);
	return BLOC_OK;
fail:
	bloc_free(map);
	bloc_ei_input_dispose(out);
	return err;
}
