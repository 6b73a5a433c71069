/* Target lists: seats a party contested and lost, ranked by the Butler swing it needs. */
#include "bloc/analysis.h"

#include "bloc/error.h"
#include "../core/alloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void bloc_targets_dispose(bloc_targets *t)
{
	if (!t)
		return;
	bloc_free(t->seat);
	bloc_free(t->holder);
	bloc_free(t->swing_needed);
	bloc_free(t->party_share);
	bloc_free(t->holder_share);
	memset(t, 0, sizeof(*t));
}

typedef struct {
	double need;
	const char *code;
	size_t row;
} ranked;

static int cmp_ranked(const void *pa, const void *pb)
{
	const ranked *a = pa, *b = pb;

	if (a->need != b->need)
		return a->need < b->need ? -1 : 1;
	return strcmp(a->code, b->code);
}

int bloc_targets_compute(bloc_targets *out, const bloc_contest *c, const bloc_seat_results *r,
                         bloc_party p)
{
	bloc_targets t, sorted;
	ranked *order = NULL;
	size_t s, n = 0, i;
	int err = BLOC_OK;

	memset(&t, 0, sizeof(t));
	memset(&sorted, 0, sizeof(sorted));
	memset(out, 0, sizeof(*out));
	if (r->n != c->nseats)
		return bloc_error_set(BLOC_EINVAL, "targets: seat results are for another contest");
	p = bloc_party_successor(p);
	if (!(t.seat = bloc_calloc(c->nseats, sizeof(size_t))) ||
	    !(t.holder = bloc_calloc(c->nseats, sizeof(bloc_party))) ||
	    !(t.swing_needed = bloc_calloc(c->nseats, sizeof(double))) ||
	    !(t.party_share = bloc_calloc(c->nseats, sizeof(double))) ||
	    !(t.holder_share = bloc_calloc(c->nseats, sizeof(double))))
		goto nomem;
	for (s = 0; s < c->nseats; s++) {
		double valid = (double)c->valid[s];
		long lead;

		if (r->winner[s] < 0 || bloc_party_successor(r->winner_party[s]) == p || valid <= 0)
			continue;
		/* p's own leading candidate, never a sum of p's candidates (two independents are
		 * two people), and a lump of "all other candidates" is nobody's */
		lead = bloc_contest_leading(c, s, p);
		if (lead < 0 || c->cand_votes[lead] == 0)
			continue;
		t.seat[n] = s;
		t.holder[n] = r->winner_party[s];
		t.holder_share[n] = 100.0 * (double)c->cand_votes[r->winner[s]] / valid;
		t.party_share[n] = 100.0 * (double)c->cand_votes[lead] / valid;
		t.swing_needed[n] = (t.holder_share[n] - t.party_share[n]) / 2;
		n++;
	}
	t.n = n;
	if (!(order = bloc_calloc(n, sizeof(ranked))) ||
	    !(sorted.seat = bloc_calloc(n, sizeof(size_t))) ||
	    !(sorted.holder = bloc_calloc(n, sizeof(bloc_party))) ||
	    !(sorted.swing_needed = bloc_calloc(n, sizeof(double))) ||
	    !(sorted.party_share = bloc_calloc(n, sizeof(double))) ||
	    !(sorted.holder_share = bloc_calloc(n, sizeof(double))))
		goto nomem;
	for (i = 0; i < n; i++) {
		order[i].need = t.swing_needed[i];
		order[i].code = c->code[t.seat[i]];
		order[i].row = i;
	}
	qsort(order, n, sizeof(ranked), cmp_ranked);
	for (i = 0; i < n; i++) {
		size_t k = order[i].row;
		sorted.seat[i] = t.seat[k];
		sorted.holder[i] = t.holder[k];
		sorted.swing_needed[i] = t.swing_needed[k];
		sorted.party_share[i] = t.party_share[k];
		sorted.holder_share[i] = t.holder_share[k];
	}
	sorted.n = n;
	*out = sorted;
	memset(&sorted, 0, sizeof(sorted));
	goto done;
nomem:
	err = bloc_error_oom("computing targets");
done:
	bloc_free(order);
	bloc_targets_dispose(&t);
	bloc_targets_dispose(&sorted);
	return err;
}
