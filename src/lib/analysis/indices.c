/* Disproportionality, fragmentation and wasted votes. */
#include "bloc/analysis.h"

#include "bloc/error.h"
#include "../core/alloc.h"

#include <math.h>
#include <string.h>

void bloc_indices_dispose(bloc_indices *x)
{
	if (!x)
		return;
	bloc_free(x->parties);
	bloc_free(x->wasted);
	bloc_free(x->wasted_pct);
	memset(x, 0, sizeof(*x));
}

int bloc_indices_compute(bloc_indices *out, const bloc_contest *c, const bloc_seat_results *r)
{
	bloc_indices x;
	size_t np = c->nparties, s, j, k;
	int64_t *votes = NULL, *seats = NULL, valid = 0, won = 0;
	double sq = 0, abs_sum = 0, hv = 0, hs = 0;
	int err = BLOC_OK;

	memset(&x, 0, sizeof(x));
	memset(out, 0, sizeof(*out));
	if (r->n != c->nseats)
		return bloc_error_set(BLOC_EINVAL, "indices: seat results are for another contest");
	if (!(x.parties = bloc_calloc(np, sizeof(bloc_party))) ||
	    !(x.wasted = bloc_calloc(np, sizeof(int64_t))) ||
	    !(x.wasted_pct = bloc_calloc(np, sizeof(double))) ||
	    !(votes = bloc_calloc(np, sizeof(int64_t))) ||
	    !(seats = bloc_calloc(np, sizeof(int64_t))))
		goto nomem;
	x.nparties = np;
	memcpy(x.parties, c->parties, np * sizeof(bloc_party));

	for (s = 0; s < c->nseats; s++) {
		long w = r->winner[s], sec = r->second[s];
		for (j = 0; j < np; j++)
			votes[j] += c->votes[s * np + j];
		valid += c->valid[s];
		if (w < 0)
			continue;
		won++;
		seats[bloc_contest_party_col(c, c->cand_party[w])]++;
		for (k = c->cand_off[s]; k < c->cand_off[s + 1]; k++) {
			long col = bloc_contest_party_col(c, c->cand_party[k]);
			int64_t waste = c->cand_votes[k];
			if ((long)k == w) {
				/* a winner needs one vote more than the runner-up */
				waste -= (sec >= 0 ? c->cand_votes[sec] : 0) + 1;
				if (waste < 0)
					waste = 0;
			}
			x.wasted[col] += waste;
		}
	}
	for (j = 0; j < np; j++) {
		double v = valid > 0 ? 100.0 * (double)votes[j] / (double)valid : 0;
		double st = won > 0 ? 100.0 * (double)seats[j] / (double)won : 0;
		sq += (v - st) * (v - st);
		abs_sum += fabs(v - st);
		hv += (v / 100) * (v / 100);
		hs += (st / 100) * (st / 100);
		x.wasted_pct[j] =
		    votes[j] > 0 ? 100.0 * (double)x.wasted[j] / (double)votes[j] : NAN;
		x.total_wasted += x.wasted[j];
	}
	x.gallagher = sqrt(sq / 2);
	x.loosemore_hanby = abs_sum / 2;
	x.enp_votes = hv > 0 ? 1 / hv : NAN;
	x.enp_seats = hs > 0 ? 1 / hs : NAN;
	*out = x;
	memset(&x, 0, sizeof(x));
	goto done;
nomem:
	err = bloc_error_oom("computing indices");
done:
	bloc_free(votes);
	bloc_free(seats);
	bloc_indices_dispose(&x);
	return err;
}
