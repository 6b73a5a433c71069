/* Backtests: project an earlier contest with a later one's actual shares and count the misses. */
#include "bloc/project.h"

#include "bloc/error.h"
#include "../core/alloc.h"

#include <math.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

int bloc_level_parse(const char *name, int *out)
{
	static const char *const names[] = {"uk", "gb", "nation", "region"};
	size_t i;

	for (i = 0; i < 4; i++) {
		if (strcasecmp(name, names[i]) == 0) {
			*out = (int)i;
			return BLOC_OK;
		}
	}
	return bloc_error_set(BLOC_EINVAL,
	                      "level: expected uk, gb, nation or region, found '%.40s'", name);
}

const char *bloc_level_name(int level)
{
	static const char *const names[] = {"uk", "gb", "nation", "region"};

	return level >= 0 && level < 4 ? names[level] : "?";
}

void bloc_backtest_dispose(bloc_backtest *b)
{
	if (!b)
		return;
	bloc_free(b->parties);
	bloc_free(b->seats_projected);
	bloc_free(b->seats_actual);
	bloc_free(b->party_mae);
	bloc_free(b->wrong_seat);
	bloc_free(b->wrong_projected);
	bloc_free(b->wrong_actual);
	memset(b, 0, sizeof(*b));
}

/* Area of seat s of `to` (and its match in `from`) at `level`; SIZE_MAX leaves it out. Areas are
 * numbered in order of first appearance in `names`. */
static size_t area_of(const char *nation, const char *region, int level, const char **names,
                      size_t *nnames)
{
	const char *key;
	size_t i;

	if (level == BLOC_LEVEL_GB && strcmp(nation, "Northern Ireland") == 0)
		return SIZE_MAX;
	if (level == BLOC_LEVEL_UK || level == BLOC_LEVEL_GB)
		return 0;
	key = level == BLOC_LEVEL_NATION ? nation : region;
	for (i = 0; i < *nnames; i++)
		if (strcmp(names[i], key) == 0)
			return i;
	names[*nnames] = key;
	return (*nnames)++;
}

/* A backtest's working state: the two contests, each seat of `from`'s match in `to` and area,
 * the projector, and per-area and per-party scratch. */
typedef struct {
	const bloc_contest *from, *to;
	bloc_projector *pj;
	size_t *area, *match; /* from->nseats: area index and seat of `to` (SIZE_MAX: left out) */
	const char **names;   /* area names at the nation or region level */
	size_t nnames, nareas, np, n; /* n: seats compared */
	double *target, *tvalid;      /* nareas * np actual shares, nareas valid votes */
	double *shares;               /* from->nseats * np projected */
	double *actual, *nat_from, *nat_to;
	unsigned char *major; /* np: counted in the overall error */
	long *tcol;           /* to->nparties: each party's projector column */
} bt_work;

static void work_free(bt_work *w)
{
	bloc_projector_free(w->pj);
	bloc_free(w->area);
	bloc_free(w->match);
	bloc_free(w->names);
	bloc_free(w->target);
	bloc_free(w->tvalid);
	bloc_free(w->shares);
	bloc_free(w->actual);
	bloc_free(w->nat_from);
	bloc_free(w->nat_to);
	bloc_free(w->major);
	bloc_free(w->tcol);
}

/* Each seat of `from` matched to `to` by code, and its area at `level`. */
static int match_seats(bt_work *w, int level)
{
	const bloc_contest *from = w->from, *to = w->to;
	size_t s;

	if (!(w->area = bloc_calloc(from->nseats + 1, sizeof(size_t))) ||
	    !(w->match = bloc_calloc(from->nseats + 1, sizeof(size_t))) ||
	    !(w->names = bloc_calloc(from->nseats + 1, sizeof(char *))))
		return bloc_error_oom("matching the seats of %s and %s in a backtest", from->id,
		                      to->id);
	for (s = 0; s < from->nseats; s++) {
		long t = bloc_contest_seat(to, from->code[s]);
		/* a seat without votes in either contest has no winner to project or compare */
		if (t >= 0 && (from->valid[s] <= 0 || to->valid[t] <= 0))
			t = -1;
		w->match[s] = t < 0 ? SIZE_MAX : (size_t)t;
		w->area[s] = t < 0 ? SIZE_MAX
		                   : area_of(*to->nation[t] ? to->nation[t] : from->nation[s],
		                             *to->region[t] ? to->region[t] : from->region[s],
		                             level, w->names, &w->nnames);
		if (w->area[s] != SIZE_MAX)
			w->n++;
	}
	if (w->n == 0)
		return bloc_error_set(BLOC_ENOTFOUND,
		                      "backtest: %s and %s share no seat at level %s (contests on "
		                      "different boundaries are compared through notional results)",
		                      from->id, to->id, bloc_level_name(level));
	w->nareas = level == BLOC_LEVEL_UK || level == BLOC_LEVEL_GB ? 1 : w->nnames;
	return BLOC_OK;
}

static int alloc_work(bt_work *w, bloc_backtest *b)
{
	const size_t np = w->np, n = w->n;

	if (!(w->target = bloc_calloc(w->nareas * np, sizeof(double))) ||
	    !(w->tvalid = bloc_calloc(w->nareas, sizeof(double))) ||
	    !(w->shares = bloc_calloc(w->from->nseats * np, sizeof(double))) ||
	    !(w->actual = bloc_calloc(np, sizeof(double))) ||
	    !(w->nat_from = bloc_calloc(np, sizeof(double))) ||
	    !(w->nat_to = bloc_calloc(np, sizeof(double))) || !(w->major = bloc_calloc(np, 1)) ||
	    !(w->tcol = bloc_calloc(w->to->nparties + 1, sizeof(long))) ||
	    !(b->parties = bloc_calloc(np, sizeof(bloc_party))) ||
	    !(b->seats_projected = bloc_calloc(np, sizeof(int64_t))) ||
	    !(b->seats_actual = bloc_calloc(np, sizeof(int64_t))) ||
	    !(b->party_mae = bloc_calloc(np, sizeof(double))) ||
	    !(b->wrong_seat = bloc_calloc(n, sizeof(size_t))) ||
	    !(b->wrong_projected = bloc_calloc(n, sizeof(bloc_party))) ||
	    !(b->wrong_actual = bloc_calloc(n, sizeof(bloc_party))))
		return bloc_error_oom("in a backtest of %s", w->from->id);
	return BLOC_OK;
}

/* The later contest's actual shares in each area, over the seats compared (the targets). */
static void actual_targets(bt_work *w)
{
	const bloc_contest *from = w->from, *to = w->to;
	const size_t np = w->np;
	size_t s, j;

	for (s = 0; s < from->nseats; s++) {
		size_t t = w->match[s];
		if (w->area[s] == SIZE_MAX)
			continue;
		w->tvalid[w->area[s]] += (double)to->valid[t];
		for (j = 0; j < to->nparties; j++)
			w->target[w->area[s] * np + (size_t)w->tcol[j]] +=
			    (double)to->votes[t * to->nparties + j];
	}
	for (s = 0; s < w->nareas; s++)
		for (j = 0; j < np; j++)
			w->target[s * np + j] =
			    w->tvalid[s] > 0 ? w->target[s * np + j] / w->tvalid[s] : 0;
}

/* The overall error counts the parties with at least 1% of the vote in either contest over
 * the compared seats, so that dozens of fringe parties do not dilute it. */
static void major_parties(bt_work *w)
{
	const size_t np = w->np;
	double vf = 0, vt = 0;
	size_t s, j;

	for (s = 0; s < w->from->nseats; s++) {
		if (w->area[s] == SIZE_MAX)
			continue;
		vf += (double)w->from->valid[s];
		vt += (double)w->to->valid[w->match[s]];
		for (j = 0; j < np; j++) {
			w->nat_from[j] +=
			    (double)w->from->valid[s] * bloc_projector_base(w->pj)[s * np + j];
		}
	}
	for (s = 0; s < w->nareas; s++)
		for (j = 0; j < np; j++)
			w->nat_to[j] += w->tvalid[s] * w->target[s * np + j];
	for (j = 0; j < np; j++)
		w->major[j] = (vf > 0 && w->nat_from[j] / vf >= 0.01) ||
		              (vt > 0 && w->nat_to[j] / vt >= 0.01);
}

/* Seat s's projected winner against the actual one (a wrong seat is listed), and its parties'
 * absolute errors in points into b->party_mae and, for major parties, *abs_sum and *nmae. */
static void score_seat(bt_work *w, bloc_backtest *b, const bloc_seat_results *rto, size_t s,
                       double *abs_sum, size_t *nmae)
{
	const bloc_contest *to = w->to;
	const size_t np = w->np;
	const double *row = w->shares + s * np;
	size_t t = w->match[s], w0 = 0, j;
	bloc_party truth;
	long tw;

	for (j = 1; j < np; j++)
		if (row[j] > row[w0])
			w0 = j;
	truth = bloc_party_successor(rto->winner_party[t]);
	tw = bloc_projector_col(w->pj, truth);
	b->seats_projected[w0]++;
	if (tw >= 0)
		b->seats_actual[tw]++;
	if (b->parties[w0] != truth) {
		b->wrong_seat[b->seats_wrong] = t;
		b->wrong_projected[b->seats_wrong] = b->parties[w0];
		b->wrong_actual[b->seats_wrong] = truth;
		b->seats_wrong++;
	}
	for (j = 0; j < np; j++)
		w->actual[j] = 0;
	for (j = 0; j < to->nparties; j++)
		w->actual[w->tcol[j]] +=
		    to->valid[t] > 0
		        ? (double)to->votes[t * to->nparties + j] / (double)to->valid[t]
		        : 0;
	for (j = 0; j < np; j++) {
		double e = 100 * fabs(row[j] - w->actual[j]);
		b->party_mae[j] += e;
		if (w->major[j]) {
			*abs_sum += e;
			(*nmae)++;
		}
	}
}

int bloc_backtest_run(bloc_backtest *out, const bloc_contest *from, const bloc_contest *to,
                      int model, double tau, int level)
{
	bloc_backtest b;
	bloc_seat_results rto;
	bt_work w;
	double abs_sum = 0;
	size_t nmae = 0, s, j;
	int err;

	memset(&b, 0, sizeof(b));
	memset(&rto, 0, sizeof(rto));
	memset(&w, 0, sizeof(w));
	memset(out, 0, sizeof(*out));
	if (level < BLOC_LEVEL_UK || level > BLOC_LEVEL_REGION)
		return bloc_error_set(BLOC_EINVAL, "backtest: unknown level %d", level);
	if ((err = bloc_seat_results_compute(&rto, to)) < 0)
		return err;
	w.from = from;
	w.to = to;
	if ((err = match_seats(&w, level)) < 0 ||
	    (err = bloc_projector_new(&w.pj, from, w.area, w.nareas, to->parties, to->nparties)) <
	        0)
		goto done;
	w.np = bloc_projector_nparties(w.pj);
	if ((err = alloc_work(&w, &b)) < 0)
		goto done;
	memcpy(b.parties, bloc_projector_parties(w.pj), w.np * sizeof(bloc_party));
	b.nparties = w.np;
	for (j = 0; j < to->nparties; j++)
		w.tcol[j] = bloc_projector_col(w.pj, to->parties[j]);
	actual_targets(&w);
	if ((err = bloc_projector_run(w.pj, model, tau, w.target, w.shares)) < 0)
		goto done;
	major_parties(&w);
	for (s = 0; s < from->nseats; s++)
		if (w.area[s] != SIZE_MAX)
			score_seat(&w, &b, &rto, s, &abs_sum, &nmae);
	b.nseats = w.n;
	b.share_mae = nmae > 0 ? abs_sum / (double)nmae : 0;
	for (j = 0; j < w.np; j++)
		b.party_mae[j] /= (double)w.n;
	*out = b;
	memset(&b, 0, sizeof(b));
	err = BLOC_OK;
done:
	bloc_backtest_dispose(&b);
	bloc_seat_results_dispose(&rto);
	work_free(&w);
	return err;
}
