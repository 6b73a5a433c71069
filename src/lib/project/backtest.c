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

int bloc_backtest_run(bloc_backtest *out, const bloc_contest *from, const bloc_contest *to,
                      int model, double tau, int level)
{
	bloc_backtest b;
	bloc_projector *pj = NULL;
	bloc_seat_results rto;
	const char **names = NULL;
	size_t *area = NULL, *match = NULL, nnames = 0, nareas, s, j, np, n = 0;
	double *target = NULL, *tvalid = NULL, *shares = NULL, *actual = NULL, abs_sum = 0;
	double *nat_from = NULL, *nat_to = NULL;
	unsigned char *major = NULL;
	size_t nmae = 0;
	long *tcol = NULL;
	int err;

	memset(&b, 0, sizeof(b));
	memset(&rto, 0, sizeof(rto));
	memset(out, 0, sizeof(*out));
	if (level < BLOC_LEVEL_UK || level > BLOC_LEVEL_REGION)
		return bloc_error_set(BLOC_EINVAL, "backtest: unknown level %d", level);
	if ((err = bloc_seat_results_compute(&rto, to)) < 0)
		return err;
	if (!(area = bloc_calloc(from->nseats + 1, sizeof(size_t))) ||
	    !(match = bloc_calloc(from->nseats + 1, sizeof(size_t))) ||
	    !(names = bloc_calloc(from->nseats + 1, sizeof(char *))))
		goto nomem;
	for (s = 0; s < from->nseats; s++) {
		long t = bloc_contest_seat(to, from->code[s]);
		match[s] = t < 0 ? SIZE_MAX : (size_t)t;
		area[s] = t < 0 ? SIZE_MAX
		                : area_of(*to->nation[t] ? to->nation[t] : from->nation[s],
		                          *to->region[t] ? to->region[t] : from->region[s], level,
		                          names, &nnames);
		if (area[s] != SIZE_MAX)
			n++;
	}
	if (n == 0) {
		err = bloc_error_set(BLOC_ENOTFOUND,
		                     "backtest: %s and %s share no seat at level %s (contests on "
		                     "different boundaries are compared through notional results)",
		                     from->id, to->id, bloc_level_name(level));
		goto fail;
	}
	nareas = level == BLOC_LEVEL_UK || level == BLOC_LEVEL_GB ? 1 : nnames;
	if ((err = bloc_projector_new(&pj, from, area, nareas, to->parties, to->nparties)) < 0)
		goto fail;
	np = bloc_projector_nparties(pj);
	if (!(target = bloc_calloc(nareas * np, sizeof(double))) ||
	    !(tvalid = bloc_calloc(nareas, sizeof(double))) ||
	    !(shares = bloc_calloc(from->nseats * np, sizeof(double))) ||
	    !(actual = bloc_calloc(np, sizeof(double))) ||
	    !(nat_from = bloc_calloc(np, sizeof(double))) ||
	    !(nat_to = bloc_calloc(np, sizeof(double))) || !(major = bloc_calloc(np, 1)) ||
	    !(tcol = bloc_calloc(to->nparties + 1, sizeof(long))) ||
	    !(b.parties = bloc_calloc(np, sizeof(bloc_party))) ||
	    !(b.seats_projected = bloc_calloc(np, sizeof(int64_t))) ||
	    !(b.seats_actual = bloc_calloc(np, sizeof(int64_t))) ||
	    !(b.party_mae = bloc_calloc(np, sizeof(double))) ||
	    !(b.wrong_seat = bloc_calloc(n, sizeof(size_t))) ||
	    !(b.wrong_projected = bloc_calloc(n, sizeof(bloc_party))) ||
	    !(b.wrong_actual = bloc_calloc(n, sizeof(bloc_party))))
		goto nomem;
	memcpy(b.parties, bloc_projector_parties(pj), np * sizeof(bloc_party));
	b.nparties = np;
	for (j = 0; j < to->nparties; j++)
		tcol[j] = bloc_projector_col(pj, to->parties[j]);
	/* the later contest's actual shares in each area, over the seats compared */
	for (s = 0; s < from->nseats; s++) {
		size_t t = match[s];
		if (area[s] == SIZE_MAX)
			continue;
		tvalid[area[s]] += (double)to->valid[t];
		for (j = 0; j < to->nparties; j++)
			target[area[s] * np + (size_t)tcol[j]] +=
			    (double)to->votes[t * to->nparties + j];
	}
	for (s = 0; s < nareas; s++)
		for (j = 0; j < np; j++)
			target[s * np + j] = tvalid[s] > 0 ? target[s * np + j] / tvalid[s] : 0;
	if ((err = bloc_projector_run(pj, model, tau, target, shares)) < 0)
		goto fail;
	/* the overall error counts the parties with at least 1% of the vote in either contest over
	 * the compared seats, so that dozens of fringe parties do not dilute it */
	{
		double vf = 0, vt = 0;
		for (s = 0; s < from->nseats; s++) {
			if (area[s] == SIZE_MAX)
				continue;
			vf += (double)from->valid[s];
			vt += (double)to->valid[match[s]];
			for (j = 0; j < np; j++) {
				nat_from[j] +=
				    (double)from->valid[s] * bloc_projector_base(pj)[s * np + j];
			}
		}
		for (s = 0; s < nareas; s++)
			for (j = 0; j < np; j++)
				nat_to[j] += tvalid[s] * target[s * np + j];
		for (j = 0; j < np; j++)
			major[j] = (vf > 0 && nat_from[j] / vf >= 0.01) ||
			           (vt > 0 && nat_to[j] / vt >= 0.01);
	}

	for (s = 0; s < from->nseats; s++) {
		const double *row = shares + s * np;
		size_t t = match[s], w = 0;
		bloc_party truth;
		long tw;
		if (area[s] == SIZE_MAX)
			continue;
		for (j = 1; j < np; j++)
			if (row[j] > row[w])
				w = j;
		truth = bloc_party_successor(rto.winner_party[t]);
		tw = bloc_projector_col(pj, truth);
		b.seats_projected[w]++;
		if (tw >= 0)
			b.seats_actual[tw]++;
		if (b.parties[w] != truth) {
			b.wrong_seat[b.seats_wrong] = t;
			b.wrong_projected[b.seats_wrong] = b.parties[w];
			b.wrong_actual[b.seats_wrong] = truth;
			b.seats_wrong++;
		}
		for (j = 0; j < np; j++)
			actual[j] = 0;
		for (j = 0; j < to->nparties; j++)
			actual[tcol[j]] +=
			    to->valid[t] > 0
			        ? (double)to->votes[t * to->nparties + j] / (double)to->valid[t]
			        : 0;
		for (j = 0; j < np; j++) {
			double e = 100 * fabs(row[j] - actual[j]);
			b.party_mae[j] += e;
			if (major[j]) {
				abs_sum += e;
				nmae++;
			}
		}
	}
	b.nseats = n;
	b.share_mae = nmae > 0 ? abs_sum / (double)nmae : 0;
	for (j = 0; j < np; j++)
		b.party_mae[j] /= (double)n;
	*out = b;
	memset(&b, 0, sizeof(b));
	err = BLOC_OK;
	goto done;
nomem:
	err = bloc_error_set(BLOC_ENOMEM, "out of memory in a backtest of %s", from->id);
fail:
done:
	bloc_backtest_dispose(&b);
	bloc_seat_results_dispose(&rto);
	bloc_projector_free(pj);
	bloc_free(area);
	bloc_free(match);
	bloc_free(names);
	bloc_free(target);
	bloc_free(tvalid);
	bloc_free(shares);
	bloc_free(actual);
	bloc_free(nat_from);
	bloc_free(nat_to);
	bloc_free(major);
	bloc_free(tcol);
	return err;
}
