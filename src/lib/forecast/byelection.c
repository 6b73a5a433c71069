/* By-election forecasts: the record of by-election changes since 1945 as the prior. Each
 * simulation draws one past by-election (before the date) and applies its share changes to the
 * seat's last general election result, with the government's change given to today's governing
 * party and the main opposition's to the other of CON and LAB; LD's to LD, PC/SNP's to PC or
 * SNP, the others' to the seat's other candidates in proportion to their shares; then a point
 * of normal noise per party, shares floored at 0 and summed to 1. Simulation i uses stream i of
 * the seed. */
#include "bloc/forecast.h"

#include "bloc/error.h"
#include "bloc/rng.h"
#include "../core/alloc.h"
#include "../util/linalg.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define JITTER 1.0 /* points */

void bloc_by_forecast_dispose(bloc_by_forecast *b)
{
	bloc_free(b->median);
	bloc_free(b->lo90);
	bloc_free(b->hi90);
	bloc_free(b->mean);
	bloc_free(b->p_win);
	memset(b, 0, sizeof(*b));
}

static int is(bloc_party p, const char *code)
{
	return strcmp(bloc_party_code(p), code) == 0;
}

int bloc_by_forecast_run(bloc_by_forecast *out, const double *base, const bloc_party *parties,
                         const unsigned char *stood, size_t P, const bloc_by_changes *ch,
                         int32_t date, uint64_t sims, uint64_t seed)
{
	size_t nstood = 0;
	size_t *rows = NULL, nrows = 0, i, p;
	uint64_t wins[BLOC_FORECAST_MAX_PARTIES];
	double *draws = NULL, others = 0;
	bloc_party con, lab;
	int err = BLOC_OK;

	memset(out, 0, sizeof(*out));
	memset(wins, 0, sizeof(wins));
	if (P > BLOC_FORECAST_MAX_PARTIES)
		return bloc_error_set(BLOC_EINVAL, "by-election: %zu parties, at most %d", P,
		                      BLOC_FORECAST_MAX_PARTIES);
	bloc_party_lookup("CON", &con);
	bloc_party_lookup("LAB", &lab);
	out->gov = bloc_government_on(date);
	out->jitter = JITTER;
	out->first = INT32_MAX;
	out->last = BLOC_NO_DATE;
	if (!(rows = bloc_malloc((ch->n + 1) * sizeof(*rows))) ||
	    !(draws = bloc_malloc((sims * P + 1) * sizeof(*draws))) ||
	    !(out->median = bloc_calloc(P + 1, sizeof(double))) ||
	    !(out->lo90 = bloc_calloc(P + 1, sizeof(double))) ||
	    !(out->hi90 = bloc_calloc(P + 1, sizeof(double))) ||
	    !(out->mean = bloc_calloc(P + 1, sizeof(double))) ||
	    !(out->p_win = bloc_calloc(P + 1, sizeof(double)))) {
		err = bloc_error_oom("a by-election forecast of %llu simulations",
		                     (unsigned long long)sims);
		goto done;
	}
	for (i = 0; i < ch->n; i++)
		if (ch->date[i] != BLOC_NO_DATE && ch->date[i] < date &&
		    bloc_government_on(ch->date[i]) != BLOC_PARTY_NONE) {
			rows[nrows++] = i;
			if (ch->date[i] < out->first)
				out->first = ch->date[i];
			if (ch->date[i] > out->last)
				out->last = ch->date[i];
		}
	out->history = nrows;
	if (!nrows) {
		err = bloc_error_set(BLOC_ENOTFOUND, "%s: no by-election before the date",
		                     ch->source);
		goto done;
	}
	for (p = 0; p < P; p++) {
		if (!is(parties[p], "CON") && !is(parties[p], "LAB") && !is(parties[p], "LD") &&
		    !is(parties[p], "PC") && !is(parties[p], "SNP"))
			others += base[p];
		nstood += stood && stood[p];
	}
	for (i = 0; i < sims; i++) {
		bloc_rng rng;
		double *x = draws + i * P, sum = 0, best = -1;
		size_t j, win = 0;
		bloc_rng_seed(&rng, seed, i);
		j = rows[bloc_rng_below(&rng, nrows)];
		const bloc_party then = bloc_government_on(ch->date[j]);
		/* the change of the party in each role then, given to the party in it now */
		const double gov_change = then == con ? ch->con[j] : ch->lab[j],
		             opp_change = then == con ? ch->lab[j] : ch->con[j];
		for (p = 0; p < P; p++) {
			double d;
			if (parties[p] == out->gov)
				d = gov_change;
			else if (parties[p] == (out->gov == con ? lab : con))
				d = opp_change;
			else if (is(parties[p], "LD"))
				d = ch->ld[j];
			else if (is(parties[p], "PC") || is(parties[p], "SNP"))
				d = ch->nat[j];
			else if (nstood && !isnan(ch->other[j]) && ch->other[j] > 0)
				/* the others' rise goes to the new candidates */
				d = stood[p] ? ch->other[j] / (double)nstood : 0;
			else
				d = others > 0 && !isnan(ch->other[j])
				        ? ch->other[j] * base[p] / others
				        : 0;
			if (isnan(d))
				d = 0;
			x[p] = base[p] + d + JITTER / 100 * bloc_rng_normal(&rng);
			if (!(base[p] > 0) && (!(stood && stood[p]) || !(d > 0)))
				x[p] = 0; /* no candidate: nothing (a new one: its rise only) */
			if (x[p] < 0)
				x[p] = 0;
			sum += x[p];
		}
		for (p = 0; p < P; p++) {
			x[p] = sum > 0 ? x[p] / sum : 0;
			if (x[p] > best) {
				best = x[p];
				win = p;
			}
		}
		wins[win]++;
	}
	for (p = 0; p < P; p++)
		out->p_win[p] = (double)wins[p] / (double)sims;
	{
		double *col = bloc_malloc((sims + 1) * sizeof(*col));
		if (!col) {
			err = bloc_error_oom("by-election quantiles");
			goto done;
		}
		for (p = 0; p < P; p++) {
			double m = 0;
			for (i = 0; i < sims; i++)
				m += col[i] = 100 * draws[i * P + p];
			qsort(col, sims, sizeof(*col), bloc__cmp_double);
			out->mean[p] = m / (double)sims;
			out->median[p] = col[(size_t)(0.5 * (double)(sims - 1))];
			out->lo90[p] = col[(size_t)(0.05 * (double)(sims - 1))];
			out->hi90[p] = col[(size_t)(0.95 * (double)(sims - 1))];
		}
		bloc_free(col);
	}
	out->nparties = P;
done:
	bloc_free(rows);
	bloc_free(draws);
	if (err < 0)
		bloc_by_forecast_dispose(out);
	return err;
}
