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

int bloc_swing_contested(const bloc_swing *s, size_t i)
{
	/* shares come from candidates (candidate_shares): 0 on all four sides is no candidate */
	return i < s->n &&
	       !(s->a_from[i] == 0 && s->a_to[i] == 0 && s->b_from[i] == 0 && s->b_to[i] == 0);
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

/* The scratch of one swing computation: each contest's vote columns mapped to the union party
 * list, the votes summed per party over the matched seats, and A's and B's columns. */
struct work {
	const bloc_contest *from, *to;
	size_t *fmap, *tmap, ia, ib;
	int64_t *fsum, *tsum, fvalid, tvalid;
};

/* The union of both contests' parties under their successors, in registry order (A and B always
 * present) into w->parties, and each contest's columns mapped to it. */
static int union_parties(bloc_swing *w, struct work *k, bloc_party a, bloc_party b)
{
	size_t i, j, np = 0, pc = bloc_party_count();
	unsigned char *seen;

	if (!(seen = bloc_calloc(pc, 1)) || !(w->parties = bloc_calloc(pc, sizeof(bloc_party))) ||
	    !(k->fmap = bloc_calloc(k->from->nparties + 1, sizeof(size_t))) ||
	    !(k->tmap = bloc_calloc(k->to->nparties + 1, sizeof(size_t)))) {
		bloc_free(seen);
		return bloc_error_oom("computing swing: the parties of %s and %s", k->from->id,
		                      k->to->id);
	}
	seen[a] = seen[b] = 1;
	for (j = 0; j < k->from->nparties; j++)
		seen[bloc_party_successor(k->from->parties[j])] = 1;
	for (j = 0; j < k->to->nparties; j++)
		seen[bloc_party_successor(k->to->parties[j])] = 1;
	for (i = 0; i < pc; i++)
		if (seen[i])
			w->parties[np++] = (bloc_party)i;
	bloc_free(seen);
	w->nparties = np;
	for (k->ia = 0; w->parties[k->ia] != a; k->ia++)
		;
	for (k->ib = 0; w->parties[k->ib] != b; k->ib++)
		;
	map_columns(k->from, w->parties, np, k->fmap);
	map_columns(k->to, w->parties, np, k->tmap);
	return BLOC_OK;
}

/* The seats of `from` also in `to` (by ONS code) that the filter keeps, into w->from_seat and
 * w->to_seat; BLOC_ENOTFOUND when there is none. */
static int match_seats(bloc_swing *w, const struct work *k, const bloc_seat_filter *filter)
{
	const bloc_contest *from = k->from, *to = k->to;
	size_t s, n = 0;

	if (!(w->from_seat = bloc_calloc(from->nseats, sizeof(size_t))) ||
	    !(w->to_seat = bloc_calloc(from->nseats, sizeof(size_t))))
		return bloc_error_oom("computing swing: matching the seats of %s and %s", from->id,
		                      to->id);
	for (s = 0; s < from->nseats; s++) {
		long hit = bloc_contest_seat(to, from->code[s]);
		if (hit >= 0 && keep_seat(filter, from, s, to, (size_t)hit)) {
			w->from_seat[n] = s;
			w->to_seat[n] = (size_t)hit;
			n++;
		}
	}
	if (n == 0)
		return bloc_error_set(
		    BLOC_ENOTFOUND,
		    "swing: %s and %s share no seat (matched by ONS code%s); contests "
		    "on different boundaries are compared through notional results",
		    from->id, to->id, filter ? " and the nation/region filter" : "");
	w->n = n;
	return BLOC_OK;
}

static int alloc_results(bloc_swing *w, struct work *k)
{
	size_t n = w->n, np = w->nparties;

	if (!(w->a_from = bloc_calloc(n, sizeof(double))) ||
	    !(w->a_to = bloc_calloc(n, sizeof(double))) ||
	    !(w->b_from = bloc_calloc(n, sizeof(double))) ||
	    !(w->b_to = bloc_calloc(n, sizeof(double))) ||
	    !(w->butler = bloc_calloc(n, sizeof(double))) ||
	    !(w->steed = bloc_calloc(n, sizeof(double))) ||
	    !(w->change = bloc_calloc(n * np, sizeof(double))) ||
	    !(w->total_change = bloc_calloc(np, sizeof(double))) ||
	    !(k->fsum = bloc_calloc(np, sizeof(int64_t))) ||
	    !(k->tsum = bloc_calloc(np, sizeof(int64_t))))
		return bloc_error_oom("computing swing: %zu seats, %zu parties", n, np);
	return BLOC_OK;
}

/* IND and OTH are labels, not parties: each candidate under them is a person of their own. */
static int is_label(bloc_party p)
{
	return p == bloc_party_ind() || p == bloc_party_oth();
}

/* Party p's shares (%) in matched seats fs of `from` and ts of `to`, from candidates, never from
 * a sum: in `to`, p's leading candidate. In `from`, p's leading candidate too, except for IND and
 * OTH: the candidate of the same name as `to`'s leading one (case and spaces aside; an unnamed
 * candidate matches none), else none (a new independent starts from zero); and when none stood
 * in `to`, `from`'s leading one (who did not stand again). A party without a candidate has 0. */
static void candidate_shares(const struct work *k, size_t fs, size_t ts, bloc_party p, double *f,
                             double *t)
{
	long kt = bloc_contest_leading(k->to, ts, p), kf;

	if (is_label(p) && kt >= 0)
		kf = bloc_contest_candidate_named(k->from, fs, p, k->to->cand_name[kt]);
	else
		kf = bloc_contest_leading(k->from, fs, p);
	*f = pct(kf >= 0 ? k->from->cand_votes[kf] : 0, k->from->valid[fs]);
	*t = pct(kt >= 0 ? k->to->cand_votes[kt] : 0, k->to->valid[ts]);
}

/* Matched seat i: each party's change in share, A's and B's shares, Butler and Steed swing, all
 * from candidates (candidate_shares); the votes are added by party to the national sums. */
static void seat_swing(bloc_swing *w, struct work *k, size_t i)
{
	const bloc_contest *from = k->from, *to = k->to;
	size_t fs = w->from_seat[i], ts = w->to_seat[i], j, np = w->nparties;
	double *row = w->change + i * np, f, t;

	for (j = 0; j < from->nparties; j++)
		k->fsum[k->fmap[j]] += from->votes[fs * from->nparties + j];
	for (j = 0; j < to->nparties; j++)
		k->tsum[k->tmap[j]] += to->votes[ts * to->nparties + j];
	k->fvalid += from->valid[fs];
	k->tvalid += to->valid[ts];
	for (j = 0; j < np; j++) {
		candidate_shares(k, fs, ts, w->parties[j], &f, &t);
		row[j] = t - f;
		if (j == k->ia) {
			w->a_from[i] = f;
			w->a_to[i] = t;
		} else if (j == k->ib) {
			w->b_from[i] = f;
			w->b_to[i] = t;
		}
	}
	w->butler[i] = ((w->b_to[i] - w->b_from[i]) - (w->a_to[i] - w->a_from[i])) / 2;
	w->steed[i] = steed(w->a_to[i], w->b_to[i]) - steed(w->a_from[i], w->b_from[i]);
}

/* The national figures from the summed votes of the matched seats. */
static void totals(bloc_swing *w, const struct work *k)
{
	size_t j;

	for (j = 0; j < w->nparties; j++)
		w->total_change[j] = pct(k->tsum[j], k->tvalid) - pct(k->fsum[j], k->fvalid);
	w->total_a_from = pct(k->fsum[k->ia], k->fvalid);
	w->total_b_from = pct(k->fsum[k->ib], k->fvalid);
	w->total_a_to = pct(k->tsum[k->ia], k->tvalid);
	w->total_b_to = pct(k->tsum[k->ib], k->tvalid);
	w->total_butler =
	    ((w->total_b_to - w->total_b_from) - (w->total_a_to - w->total_a_from)) / 2;
	w->total_steed =
	    steed(w->total_a_to, w->total_b_to) - steed(w->total_a_from, w->total_b_from);
}

int bloc_swing_compute(bloc_swing *out, const bloc_contest *from, const bloc_contest *to,
                       bloc_party a, bloc_party b, const bloc_seat_filter *filter)
{
	struct work k;
	bloc_swing w;
	size_t i;
	int err;

	memset(&w, 0, sizeof(w));
	memset(&k, 0, sizeof(k));
	memset(out, 0, sizeof(*out));
	k.from = from;
	k.to = to;
	a = bloc_party_successor(a);
	b = bloc_party_successor(b);
	if (a == b)
		return bloc_error_set(BLOC_EINVAL,
		                      "swing: expected two different parties, found %s twice",
		                      bloc_party_code(a));
	if ((err = union_parties(&w, &k, a, b)) < 0 || (err = match_seats(&w, &k, filter)) < 0 ||
	    (err = alloc_results(&w, &k)) < 0)
		goto done;
	w.a = a;
	w.b = b;
	for (i = 0; i < w.n; i++)
		seat_swing(&w, &k, i);
	totals(&w, &k);
	*out = w;
	memset(&w, 0, sizeof(w));
done:
	bloc_swing_dispose(&w);
	bloc_free(k.fmap);
	bloc_free(k.tmap);
	bloc_free(k.fsum);
	bloc_free(k.tsum);
	return err;
}
