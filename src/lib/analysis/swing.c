/* Swing between two contests over their shared seats (matched by ONS code). */
#include "bloc/analysis.h"

#include "bloc/error.h"
#include "../core/alloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void bloc_swing_dispose(bloc_swing *s)
{
	if (!s)
		return;
	bloc_free(s->from_seat);
	bloc_free(s->to_seat);
	bloc_free(s->a_from);
	bloc_free(s->a_to);
	bloc_free(s->b_from);
	bloc_free(s->b_to);
	bloc_free(s->butler);
	bloc_free(s->steed);
	bloc_free(s->parties);
	bloc_free(s->change);
	bloc_free(s->total_change);
	memset(s, 0, sizeof(*s));
}

static int in_list(const char *const *list, const char *name)
{
	if (!list)
		return 1;
	for (; *list; list++)
		if (strcmp(*list, name) == 0)
			return 1;
	return 0;
}

static int keep_seat(const bloc_seat_filter *f, const bloc_contest *from, size_t fs,
                     const bloc_contest *to, size_t ts)
{
	const char *nation = *to->nation[ts] ? to->nation[ts] : from->nation[fs];
	const char *region = *to->region[ts] ? to->region[ts] : from->region[fs];

	if (!f)
		return 1;
	return in_list(f->nations, nation) && in_list(f->regions, region);
}

/* Map each of a contest's vote columns to its column in the union party list (via successors). */
static void map_columns(const bloc_contest *c, const bloc_party *parties, size_t np, size_t *map)
{
	size_t j, u;

	for (j = 0; j < c->nparties; j++) {
		bloc_party p = bloc_party_successor(c->parties[j]);
		for (u = 0; u < np && parties[u] != p; u++)
			;
		map[j] = u;
	}
}

static double pct(int64_t v, int64_t total)
{
	return total > 0 ? 100.0 * (double)v / (double)total : NAN;
}

static double steed(double a, double b)
{
	return a + b > 0 ? 100.0 * b / (a + b) : NAN;
}

int bloc_swing_compute(bloc_swing *out, const bloc_contest *from, const bloc_contest *to,
                       bloc_party a, bloc_party b, const bloc_seat_filter *filter)
{
	bloc_swing w;
	size_t *fmap = NULL, *tmap = NULL, i, j, s, n = 0, np = 0, pc = bloc_party_count();
	int64_t *fsum = NULL, *tsum = NULL, fvalid = 0, tvalid = 0;
	unsigned char *seen = NULL;
	size_t ia, ib;
	int err;

	memset(&w, 0, sizeof(w));
	memset(out, 0, sizeof(*out));
	a = bloc_party_successor(a);
	b = bloc_party_successor(b);
	if (a == b)
		return bloc_error_set(BLOC_EINVAL,
		                      "swing: expected two different parties, found %s twice",
		                      bloc_party_code(a));
	if (!(seen = bloc_calloc(pc, 1)) || !(w.parties = bloc_calloc(pc, sizeof(bloc_party))) ||
	    !(fmap = bloc_calloc(from->nparties + 1, sizeof(size_t))) ||
	    !(tmap = bloc_calloc(to->nparties + 1, sizeof(size_t))))
		goto nomem;

	/* union of parties under their successors, in registry order; A and B always present */
	seen[a] = seen[b] = 1;
	for (j = 0; j < from->nparties; j++)
		seen[bloc_party_successor(from->parties[j])] = 1;
	for (j = 0; j < to->nparties; j++)
		seen[bloc_party_successor(to->parties[j])] = 1;
	for (i = 0; i < pc; i++)
		if (seen[i])
			w.parties[np++] = (bloc_party)i;
	w.nparties = np;
	for (ia = 0; w.parties[ia] != a; ia++)
		;
	for (ib = 0; w.parties[ib] != b; ib++)
		;
	map_columns(from, w.parties, np, fmap);
	map_columns(to, w.parties, np, tmap);

	if (!(w.from_seat = bloc_calloc(from->nseats, sizeof(size_t))) ||
	    !(w.to_seat = bloc_calloc(from->nseats, sizeof(size_t))))
		goto nomem;
	for (s = 0; s < from->nseats; s++) {
		long hit = bloc_contest_seat(to, from->code[s]);
		if (hit >= 0 && keep_seat(filter, from, s, to, (size_t)hit)) {
			w.from_seat[n] = s;
			w.to_seat[n] = (size_t)hit;
			n++;
		}
	}
	if (n == 0) {
		err = bloc_error_set(
		    BLOC_ENOTFOUND,
		    "swing: %s and %s share no seat (matched by ONS code%s); contests "
		    "on different boundaries are compared through notional results",
		    from->id, to->id, filter ? " and the nation/region filter" : "");
		goto fail;
	}
	w.n = n;
	w.a = a;
	w.b = b;
	if (!(w.a_from = bloc_calloc(n, sizeof(double))) ||
	    !(w.a_to = bloc_calloc(n, sizeof(double))) ||
	    !(w.b_from = bloc_calloc(n, sizeof(double))) ||
	    !(w.b_to = bloc_calloc(n, sizeof(double))) ||
	    !(w.butler = bloc_calloc(n, sizeof(double))) ||
	    !(w.steed = bloc_calloc(n, sizeof(double))) ||
	    !(w.change = bloc_calloc(n * np, sizeof(double))) ||
	    !(w.total_change = bloc_calloc(np, sizeof(double))) ||
	    !(fsum = bloc_calloc(np, sizeof(int64_t))) ||
	    !(tsum = bloc_calloc(np, sizeof(int64_t))))
		goto nomem;

	for (i = 0; i < n; i++) {
		size_t fs = w.from_seat[i], ts = w.to_seat[i];
		double *row = w.change + i * np;
		int64_t fv = from->valid[fs], tv = to->valid[ts];

		for (j = 0; j < np; j++)
			row[j] = 0;
		for (j = 0; j < from->nparties; j++) {
			int64_t v = from->votes[fs * from->nparties + j];
			row[fmap[j]] -= pct(v, fv);
			fsum[fmap[j]] += v;
		}
		for (j = 0; j < to->nparties; j++) {
			int64_t v = to->votes[ts * to->nparties + j];
			row[tmap[j]] += pct(v, tv);
			tsum[tmap[j]] += v;
		}
		fvalid += fv;
		tvalid += tv;
		/* shares of A and B recovered from the change row would lose precision: recompute
		 */
		w.a_from[i] = w.a_to[i] = w.b_from[i] = w.b_to[i] = 0;
		for (j = 0; j < from->nparties; j++) {
			int64_t v = from->votes[fs * from->nparties + j];
			if (fmap[j] == ia)
				w.a_from[i] += pct(v, fv);
			else if (fmap[j] == ib)
				w.b_from[i] += pct(v, fv);
		}
		for (j = 0; j < to->nparties; j++) {
			int64_t v = to->votes[ts * to->nparties + j];
			if (tmap[j] == ia)
				w.a_to[i] += pct(v, tv);
			else if (tmap[j] == ib)
				w.b_to[i] += pct(v, tv);
		}
		w.butler[i] = ((w.b_to[i] - w.b_from[i]) - (w.a_to[i] - w.a_from[i])) / 2;
		w.steed[i] = steed(w.a_to[i], w.b_to[i]) - steed(w.a_from[i], w.b_from[i]);
	}
	for (j = 0; j < np; j++)
		w.total_change[j] = pct(tsum[j], tvalid) - pct(fsum[j], fvalid);
	w.total_a_from = pct(fsum[ia], fvalid);
	w.total_b_from = pct(fsum[ib], fvalid);
	w.total_a_to = pct(tsum[ia], tvalid);
	w.total_b_to = pct(tsum[ib], tvalid);
	w.total_butler = ((w.total_b_to - w.total_b_from) - (w.total_a_to - w.total_a_from)) / 2;
	w.total_steed = steed(w.total_a_to, w.total_b_to) - steed(w.total_a_from, w.total_b_from);
	*out = w;
	memset(&w, 0, sizeof(w));
	err = BLOC_OK;
	goto done;
nomem:
	err = bloc_error_set(BLOC_ENOMEM, "out of memory computing swing");
fail:
done:
	bloc_swing_dispose(&w);
	bloc_free(seen);
	bloc_free(fmap);
	bloc_free(tmap);
	bloc_free(fsum);
	bloc_free(tsum);
	return err;
}
