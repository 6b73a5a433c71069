/* Per-seat results and party totals by UK, nation or region. */
#include "bloc/analysis.h"

#include "bloc/error.h"
#include "../core/alloc.h"

#include <math.h>
#include <string.h>

void bloc_seat_results_dispose(bloc_seat_results *r)
{
	if (!r)
		return;
	bloc_free(r->winner);
	bloc_free(r->second);
	bloc_free(r->winner_party);
	bloc_free(r->second_party);
	bloc_free(r->majority);
	bloc_free(r->majority_pct);
	bloc_free(r->turnout);
	memset(r, 0, sizeof(*r));
}

int bloc_seat_results_compute(bloc_seat_results *out, const bloc_contest *c)
{
	bloc_seat_results r;
	size_t s, k, n = c->nseats;

	memset(&r, 0, sizeof(r));
	memset(out, 0, sizeof(*out));
	r.n = n;
	if (!(r.winner = bloc_calloc(n, sizeof(long))) ||
	    !(r.second = bloc_calloc(n, sizeof(long))) ||
	    !(r.winner_party = bloc_calloc(n, sizeof(bloc_party))) ||
	    !(r.second_party = bloc_calloc(n, sizeof(bloc_party))) ||
	    !(r.majority = bloc_calloc(n, sizeof(int64_t))) ||
	    !(r.majority_pct = bloc_calloc(n, sizeof(double))) ||
	    !(r.turnout = bloc_calloc(n, sizeof(double)))) {
		bloc_seat_results_dispose(&r);
		return bloc_error_oom("computing seat results");
	}
	for (s = 0; s < n; s++) {
		long w = BLOC_NO_WINNER, sec = BLOC_NO_WINNER;
		/* candidates are sorted by votes, descending; lumps never win or come second */
		for (k = c->cand_off[s]; k < c->cand_off[s + 1] && sec < 0; k++) {
			if (c->cand_flags[k] & BLOC_CAND_AGGREGATE)
				continue;
			if (w < 0)
				w = (long)k;
			else
				sec = (long)k;
		}
		/* nobody won a seat without votes */
		if (w >= 0 && c->cand_votes[w] == 0)
			w = sec = BLOC_NO_WINNER;
		r.winner[s] = w;
		r.second[s] = sec;
		r.winner_party[s] = w >= 0 ? c->cand_party[w] : BLOC_PARTY_NONE;
		r.second_party[s] = sec >= 0 ? c->cand_party[sec] : BLOC_PARTY_NONE;
		r.majority[s] =
		    (w >= 0 ? c->cand_votes[w] : 0) - (sec >= 0 ? c->cand_votes[sec] : 0);
		r.majority_pct[s] =
		    c->valid[s] > 0 ? 100.0 * (double)r.majority[s] / (double)c->valid[s] : NAN;
		r.turnout[s] = c->electorate[s] > 0
		                   ? 100.0 * (double)c->valid[s] / (double)c->electorate[s]
		                   : NAN;
	}
	*out = r;
	return BLOC_OK;
}

void bloc_totals_dispose(bloc_totals *t)
{
	if (!t)
		return;
	bloc_free(t->group);
	bloc_free(t->parties);
	bloc_free(t->votes);
	bloc_free(t->seats);
	bloc_free(t->share);
	bloc_free(t->valid);
	bloc_free(t->electorate);
	bloc_free(t->nseats);
	memset(t, 0, sizeof(*t));
}

int bloc_totals_compute(bloc_totals *out, const bloc_contest *c, const bloc_seat_results *r, int by)
{
	bloc_totals t;
	size_t s, g, j, np = c->nparties, ng = 0, *gof = NULL;
	int err = BLOC_OK;

	memset(&t, 0, sizeof(t));
	memset(out, 0, sizeof(*out));
	if (by != BLOC_BY_UK && by != BLOC_BY_NATION && by != BLOC_BY_REGION)
		return bloc_error_set(BLOC_EINVAL, "totals: unknown grouping %d", by);
	if (r->n != c->nseats)
		return bloc_error_set(BLOC_EINVAL, "totals: seat results are for another contest");
	if (!(gof = bloc_calloc(c->nseats, sizeof(size_t))) ||
	    !(t.group = bloc_calloc(c->nseats, sizeof(char *))))
		goto nomem;
	/* assign groups in order of first appearance; O(seats x groups), groups are few */
	for (s = 0; s < c->nseats; s++) {
		const char *name = by == BLOC_BY_UK       ? "UK"
		                   : by == BLOC_BY_NATION ? c->nation[s]
		                                          : c->region[s];
		if (!*name)
			name = "(unknown)";
		for (g = 0; g < ng; g++)
			if (strcmp(t.group[g], name) == 0)
				break;
		if (g == ng)
			t.group[ng++] = name;
		gof[s] = g;
	}
	t.ngroups = ng;
	t.nparties = np;
	if (!(t.parties = bloc_calloc(np, sizeof(bloc_party))) ||
	    !(t.votes = bloc_calloc(ng * np, sizeof(int64_t))) ||
	    !(t.seats = bloc_calloc(ng * np, sizeof(int64_t))) ||
	    !(t.share = bloc_calloc(ng * np, sizeof(double))) ||
	    !(t.valid = bloc_calloc(ng, sizeof(int64_t))) ||
	    !(t.electorate = bloc_calloc(ng, sizeof(int64_t))) ||
	    !(t.nseats = bloc_calloc(ng, sizeof(size_t))))
		goto nomem;
	memcpy(t.parties, c->parties, np * sizeof(bloc_party));
	for (s = 0; s < c->nseats; s++) {
		const int64_t *row = c->votes + s * np;
		g = gof[s];
		for (j = 0; j < np; j++)
			t.votes[g * np + j] += row[j];
		t.valid[g] += c->valid[s];
		if (t.electorate[g] >= 0)
			t.electorate[g] =
			    c->electorate[s] >= 0 ? t.electorate[g] + c->electorate[s] : -1;
		t.nseats[g]++;
		if (r->winner_party[s] != BLOC_PARTY_NONE) {
			long col = bloc_contest_party_col(c, r->winner_party[s]);
			if (col >= 0)
				t.seats[g * np + (size_t)col]++;
		}
	}
	for (g = 0; g < ng; g++)
		for (j = 0; j < np; j++)
			t.share[g * np + j] = t.valid[g] > 0 ? 100.0 * (double)t.votes[g * np + j] /
			                                           (double)t.valid[g]
			                                     : NAN;
	*out = t;
	bloc_free(gof);
	return BLOC_OK;
nomem:
	err = bloc_error_oom("computing totals");
	bloc_free(gof);
	bloc_totals_dispose(&t);
	return err;
}
