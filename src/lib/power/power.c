/* Bloc power: the closed-form decisiveness test and flip thresholds for one census group in every
 * seat of a contest, and a Monte Carlo estimate of the probability that the group's bloc decides
 * the seat. The seats are independent: threads take seats, each seat draws from its own stream
 * (seed, seat index), so every figure depends on the seed alone, never on the thread count.
 *
 * Notation (one seat): W and R are the winning and runner-up candidates, v_j a candidate's votes,
 * majority = v_W - v_R, G the group's voters (power.h), c the cohesion. */
#include "bloc/power.h"

#include "bloc/error.h"
#include "bloc/rng.h"
#include "../core/alloc.h"
#include "../util/parallel.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

/* The most threads started for one call; more are refused. */
#define MAX_THREADS 1024u

void bloc_power_options_init(bloc_power_options *o)
{
	static const bloc_power_options defaults = BLOC_POWER_OPTIONS_INIT;

	*o = defaults;
}

void bloc_power_dispose(bloc_power *p)
{
	if (!p)
		return;
	bloc_free(p->winner);
	bloc_free(p->second);
	bloc_free(p->majority);
	bloc_free(p->group_share);
	bloc_free(p->group_voters);
	bloc_free(p->ratio);
	bloc_free(p->flip_switch);
	bloc_free(p->flip_abstain);
	bloc_free(p->flip_third);
	bloc_free(p->decisive);
	bloc_free(p->pivot_prob);
	bloc_free(p->pivot_se);
	memset(p, 0, sizeof(*p));
}

/* ---- validation --------------------------------------------------------------------------- */

static int bad_option(const char *name, double v, const char *expected)
{
	return bloc_error_set(BLOC_EINVAL, "bloc power: option '%s': expected %s, got %g", name,
	                      expected, v);
}

static int check_options(const bloc_power_options *o)
{
	double sum = 0;
	size_t i, j;

	if (o->version != BLOC_POWER_OPTIONS_VERSION)
		return bloc_error_set(
		    BLOC_EINVAL,
		    "bloc power: options version %u, expected %u (initialise them "
		    "with bloc_power_options_init)",
		    o->version, BLOC_POWER_OPTIONS_VERSION);
	if (!(o->cohesion >= 0 && o->cohesion <= 1))
		return bad_option("cohesion", o->cohesion, "a fraction from 0 to 1 (default 0.87)");
	if (!(o->adult_ratio > 0 && isfinite(o->adult_ratio)))
		return bad_option("adult_ratio", o->adult_ratio, "a ratio above 0 (default 1)");
	if (!(o->turnout <= 1) || isnan(o->turnout))
		return bad_option("turnout", o->turnout,
		                  "a fraction up to 1, or 0 for each seat's own turnout (default)");
	if (!(o->sd_turnout >= 0 && o->sd_turnout <= 10))
		return bad_option("sd_turnout", o->sd_turnout,
		                  "a relative standard deviation from 0 to 10 (default 0.10)");
	if (!(o->sd_cohesion >= 0 && o->sd_cohesion <= 10))
		return bad_option("sd_cohesion", o->sd_cohesion,
		                  "a standard deviation from 0 to 10 (default 0.05)");
	if (!(o->sd_rest >= 0 && o->sd_rest <= 10))
		return bad_option("sd_rest", o->sd_rest,
		                  "a relative standard deviation from 0 to 10 (default 0.05)");
	if (o->threads > MAX_THREADS)
		return bloc_error_set(BLOC_EINVAL,
		                      "bloc power: option 'threads': expected 0 to %u, got %u",
		                      MAX_THREADS, o->threads);
	if (o->third != BLOC_PARTY_NONE && o->third >= bloc_party_count())
		return bloc_error_set(
		    BLOC_EINVAL,
		    "bloc power: option 'third': expected a party of the registry "
		    "or none, got party number %u",
		    (unsigned)o->third);
	if (o->nsupport > sizeof(o->support) / sizeof(o->support[0]))
		return bloc_error_set(BLOC_EINVAL,
		                      "bloc power: option 'support': expected at most %zu parties, "
		                      "got %zu",
		                      sizeof(o->support) / sizeof(o->support[0]), o->nsupport);
	for (i = 0; i < o->nsupport; i++) {
		if (o->support_party[i] == BLOC_PARTY_NONE ||
		    o->support_party[i] >= bloc_party_count())
			return bloc_error_set(
			    BLOC_EINVAL, "bloc power: option 'support': entry %zu names no party",
			    i + 1);
		if (!(o->support[i] >= 0 && o->support[i] <= 100))
			return bloc_error_set(BLOC_EINVAL,
			                      "bloc power: option 'support': %s: expected points "
			                      "from 0 to 100, got %g",
			                      bloc_party_code(o->support_party[i]), o->support[i]);
		for (j = 0; j < i; j++)
			if (o->support_party[j] == o->support_party[i])
				return bloc_error_set(
				    BLOC_EINVAL, "bloc power: option 'support': %s given twice",
				    bloc_party_code(o->support_party[i]));
		sum += o->support[i];
	}
	if (sum > 100 + 1e-9)
		return bloc_error_set(BLOC_EINVAL,
		                      "bloc power: option 'support': the shares add up to %g "
		                      "points, expected at most 100",
		                      sum);
	return BLOC_OK;
}

static int check_shares(const bloc_contest *c, const bloc_group_shares *g)
{
	size_t s;

	if (g->n != c->nseats || (c->nseats && !g->share))
		return bloc_error_set(BLOC_EINVAL,
		                      "bloc power: the group shares have %zu seats, the contest %s "
		                      "has %zu (open them for this contest)",
		                      g->n, c->id ? c->id : "(unnamed)", c->nseats);
	for (s = 0; s < c->nseats; s++) {
		double v = g->share[s];
		if (!isnan(v) && !(v >= 0 && v <= 1))
			return bloc_error_set(
			    BLOC_EINVAL,
			    "bloc power: group %s: seat %s (%s): expected a share "
			    "from 0 to 1, got %g",
			    g->group ? g->group : "(unnamed)", c->code[s], c->name[s], v);
	}
	return BLOC_OK;
}

/* ---- the closed form ---------------------------------------------------------------------- */

/* The group's voters in seat s (power.h) and, through *cap, the most it can have (everyone of
 * the group on the register voting; INFINITY when the electorate is unknown). */
static double group_voters(const bloc_contest *c, size_t s, double share,
                           const bloc_power_options *o, double *cap)
{
	double adult = fmin(1.0, share * o->adult_ratio); /* a share of the electorate */
	int64_t e = c->electorate[s];

	*cap = e > 0 ? adult * (double)e : INFINITY;
	if (e > 0 && o->turnout > 0)
		return adult * (double)e * o->turnout;
	/* the seat's turnout: adult x electorate x (valid / electorate), without the rounding */
	return adult * (double)c->valid[s];
}

/* The fraction x of G that, moving from the winner W to `third` T, brings T level with the
 * strongest candidate: T passes W once v_T + xG > v_W - xG, and every other candidate j once
 * v_T + xG > v_j (their votes do not change), so x = max((v_W - v_T) / 2G, max_j (v_j - v_T) / G)
 * and any larger fraction makes T the winner. Lumps of several candidates are not candidates
 * (as in bloc_seat_results). When T is the runner-up the second term is negative and x is
 * majority / 2G, flip_switch. NaN when T is the winner or has no candidate in the seat. */
static double flip_to_third(const bloc_contest *c, size_t s, long w, bloc_party third, double g)
{
	int64_t vt = -1, vother = -1;
	size_t k;

	if (third == BLOC_PARTY_NONE || c->cand_party[w] == third)
		return NAN;
	/* candidates are in descending order of votes: T's first is its best */
	for (k = c->cand_off[s]; k < c->cand_off[s + 1]; k++) {
		if ((long)k == w || (c->cand_flags[k] & BLOC_CAND_AGGREGATE))
			continue;
		if (c->cand_party[k] == third && vt < 0)
			vt = c->cand_votes[k];
		else if (vother < 0)
			vother = c->cand_votes[k];
	}
	if (vt < 0)
		return NAN;
	{
		double x = (double)(c->cand_votes[w] - vt) / (2 * g);
		if (vother >= 0)
			x = fmax(x, (double)(vother - vt) / g);
		return x;
	}
}

/* ---- the Monte Carlo ---------------------------------------------------------------------- */

/* What the simulation of one seat needs, built once per seat (never per simulation). */
struct seat_sim {
	size_t nc;              /* candidates */
	size_t w, r;            /* the winner's and runner-up's positions among them */
	double *rest;           /* nc: each candidate's votes from outside the group */
	double *q;              /* nc: the group's split between them (sums to 1) */
	unsigned char *can_win; /* nc: 0 for a lump of several candidates */
};

/* The group's split q over the seat's candidates. With no support given, like the seat. Else
 * each named party's points go to its best candidate in the seat, and the rest of the group
 * (100 minus the points of the named parties standing here) is spread over the other
 * candidates in proportion to their votes; if there are none with votes, the named parties'
 * points are scaled up to the whole group. */
static void group_split(const bloc_contest *c, size_t s, const bloc_power_options *o, double *q)
{
	size_t k, i, off = c->cand_off[s], nc = c->cand_off[s + 1] - off;
	double named = 0, other_votes = 0;

	for (k = 0; k < nc; k++)
		q[k] = -1; /* not a named party's best candidate */
	for (i = 0; i < o->nsupport; i++) {
		for (k = 0; k < nc; k++) {
			if (c->cand_party[off + k] == o->support_party[i] && q[k] < 0) {
				q[k] = o->support[i] / 100.0;
				named += q[k];
				break;
			}
		}
	}
	for (k = 0; k < nc; k++)
		if (q[k] < 0)
			other_votes += (double)c->cand_votes[off + k];
	if (other_votes > 0 && named < 1) {
		for (k = 0; k < nc; k++)
			if (q[k] < 0)
				q[k] = (1 - named) * (double)c->cand_votes[off + k] / other_votes;
		return;
	}
	/* everyone named, or no votes elsewhere (or none at all): the named parties, scaled */
	for (k = 0; k < nc; k++)
		q[k] = named > 0 ? (q[k] < 0 ? 0 : q[k] / named) : 1.0 / (double)nc;
}

static void prepare_seat(const bloc_contest *c, size_t s, long w, long r, double g,
                         const bloc_power_options *o, struct seat_sim *m)
{
	size_t k, off = c->cand_off[s];

	m->nc = c->cand_off[s + 1] - off;
	m->w = (size_t)w - off;
	m->r = (size_t)r - off;
	group_split(c, s, o, m->q);
	for (k = 0; k < m->nc; k++) {
		/* the group's part of a candidate's vote comes out; floored at 0 where the group
		 * as split is larger than the candidate's vote */
		m->rest[k] = fmax(0.0, (double)c->cand_votes[off + k] - g * m->q[k]);
		m->can_win[k] = !(c->cand_flags[off + k] & BLOC_CAND_AGGREGATE);
	}
}

/* One seat's pivotal count over `sims` simulations from stream (seed, s). Each simulation:
 * the group's turnout scaled by a lognormal factor of mean 1 and relative sd sd_turnout (capped
 * at everyone of the group on the register voting), cohesion c + sd_cohesion N(0,1) clamped to
 * [0,1], every candidate's non-group vote times max(0, 1 + sd_rest N(0,1)); the bloc (cohesion x
 * the group's voters) votes for W in one world and for R in the other, the rest of the group as
 * q; pivotal when the two worlds have different winners (ties to the earlier candidate, who
 * had more votes). No allocation and no error handling in here. */
static uint64_t simulate_seat(const struct seat_sim *m, double g, double gcap,
                              const bloc_power_options *o, uint64_t sims, bloc_rng *rng)
{
	const double sigma = sqrt(log1p(o->sd_turnout * o->sd_turnout));
	const double mu = -0.5 * sigma * sigma;
	const double *restrict rest = m->rest, *restrict q = m->q;
	const unsigned char *restrict can_win = m->can_win;
	uint64_t i, pivotal = 0;
	size_t k;

	for (i = 0; i < sims; i++) {
		double gv = fmin(g * exp(mu + sigma * bloc_rng_normal(rng)), gcap);
		double coh = o->cohesion + o->sd_cohesion * bloc_rng_normal(rng);
		double bloc, loose, best_a = -1, best_b = -1;
		size_t win_a = 0, win_b = 0;

		coh = coh < 0 ? 0 : coh > 1 ? 1 : coh;
		bloc = coh * gv;
		loose = (1 - coh) * gv;
		for (k = 0; k < m->nc; k++) {
			double f = 1 + o->sd_rest * bloc_rng_normal(rng);
			double base = rest[k] * (f > 0 ? f : 0) + loose * q[k];
			double a = base + (k == m->w ? bloc : 0);
			double b = base + (k == m->r ? bloc : 0);
			if (!can_win[k])
				continue;
			if (a > best_a) {
				best_a = a;
				win_a = k;
			}
			if (b > best_b) {
				best_b = b;
				win_b = k;
			}
		}
		pivotal += win_a != win_b;
	}
	return pivotal;
}

/* What every seat's simulation reads and writes, and one scratch per worker. */
struct mc {
	const bloc_contest *c;
	const bloc_seat_results *res;
	const bloc_power_options *o;
	bloc_power *out;
	struct seat_sim *scratch; /* one per worker */
};

/* Seat s: its own stream (seed, s), so results do not depend on which worker runs it. */
static int simulate_one(size_t s, unsigned worker, void *payload)
{
	const struct mc *mc = payload;
	const bloc_contest *c = mc->c;
	struct seat_sim *m = &mc->scratch[worker];
	bloc_power *p = mc->out;
	double g = p->group_voters[s], gcap;
	uint64_t piv;
	bloc_rng rng;

	if (isnan(g) || mc->res->second[s] < 0)
		return BLOC_OK;
	group_voters(c, s, p->group_share[s], mc->o, &gcap);
	prepare_seat(c, s, mc->res->winner[s], mc->res->second[s], g, mc->o, m);
	bloc__parallel_stream(&rng, mc->o->seed, s);
	piv = simulate_seat(m, g, gcap, mc->o, mc->o->sims, &rng);
	p->pivot_prob[s] = (double)piv / (double)mc->o->sims;
	p->pivot_se[s] = sqrt(p->pivot_prob[s] * (1 - p->pivot_prob[s]) / (double)mc->o->sims);
	return BLOC_OK;
}

static int monte_carlo(bloc_power *p, const bloc_contest *c, const bloc_seat_results *res,
                       const bloc_power_options *o)
{
	struct mc mc = {c, res, o, p, NULL};
	unsigned nt = o->threads > 1 ? o->threads : 1, t, nw;
	size_t s, maxc = 1, nsim = 0;
	int err = BLOC_OK;

	for (s = 0; s < c->nseats; s++) {
		size_t nc = c->cand_off[s + 1] - c->cand_off[s];
		maxc = nc > maxc ? nc : maxc;
		nsim += !isnan(p->group_voters[s]) && res->second[s] >= 0;
	}
	if (nsim == 0)
		return BLOC_OK;
	if (nt > nsim)
		nt = (unsigned)nsim;
	nw = bloc__parallel_workers(c->nseats, nt);
	if (!(mc.scratch = bloc_calloc(nw, sizeof(*mc.scratch)))) {
		err = bloc_error_oom("for %u threads", nw);
		goto done;
	}
	/* every buffer a worker uses, allocated before any simulation runs */
	for (t = 0; t < nw; t++) {
		struct seat_sim *m = &mc.scratch[t];
		m->rest = bloc_malloc(maxc * sizeof(double));
		m->q = bloc_malloc(maxc * sizeof(double));
		m->can_win = bloc_malloc(maxc);
		if (!m->rest || !m->q || !m->can_win) {
			err = bloc_error_oom("for the simulation");
			goto done;
		}
	}
	if ((err = bloc__parallel_for(c->nseats, nt, simulate_one, &mc)) == BLOC_EPAR)
		bloc_error_prefix("bloc power");
done:
	for (t = 0; mc.scratch && t < nw; t++) {
		bloc_free(mc.scratch[t].rest);
		bloc_free(mc.scratch[t].q);
		bloc_free(mc.scratch[t].can_win);
	}
	bloc_free(mc.scratch);
	return err;
}

/* ---- the entry point ---------------------------------------------------------------------- */

static int alloc_out(bloc_power *p, size_t n)
{
	size_t m = n ? n : 1;

	p->n = n;
	p->winner = bloc_malloc(m * sizeof(*p->winner));
	p->second = bloc_malloc(m * sizeof(*p->second));
	p->majority = bloc_malloc(m * sizeof(*p->majority));
	p->group_share = bloc_malloc(m * sizeof(double));
	p->group_voters = bloc_malloc(m * sizeof(double));
	p->ratio = bloc_malloc(m * sizeof(double));
	p->flip_switch = bloc_malloc(m * sizeof(double));
	p->flip_abstain = bloc_malloc(m * sizeof(double));
	p->flip_third = bloc_malloc(m * sizeof(double));
	p->decisive = bloc_calloc(m, 1);
	p->pivot_prob = bloc_malloc(m * sizeof(double));
	p->pivot_se = bloc_malloc(m * sizeof(double));
	if (!p->winner || !p->second || !p->majority || !p->group_share || !p->group_voters ||
	    !p->ratio || !p->flip_switch || !p->flip_abstain || !p->flip_third || !p->decisive ||
	    !p->pivot_prob || !p->pivot_se)
		return bloc_error_oom("for bloc power over %zu seats", n);
	return BLOC_OK;
}

int bloc_power_compute(bloc_power *out, const bloc_contest *c, const bloc_group_shares *g,
                       const bloc_power_options *o)
{
	bloc_power_options defaults;
	bloc_seat_results res;
	bloc_power p;
	size_t s;
	int err;

	if (!out)
		return bloc_error_set(BLOC_EINVAL, "bloc power: no result given");
	memset(out, 0, sizeof(*out));
	memset(&p, 0, sizeof(p));
	memset(&res, 0, sizeof(res));
	if (!c || !g)
		return bloc_error_set(BLOC_EINVAL, "bloc power: no contest or group shares given");
	if (!o) {
		bloc_power_options_init(&defaults);
		o = &defaults;
	}
	if ((err = check_options(o)) < 0 || (err = check_shares(c, g)) < 0)
		return err;
	if ((err = alloc_out(&p, c->nseats)) < 0 || (err = bloc_seat_results_compute(&res, c)) < 0)
		goto done;
	for (s = 0; s < c->nseats; s++) {
		double share = g->share[s], gv, cap, maj;
		long w = res.winner[s];

		p.winner[s] = res.winner_party[s];
		p.second[s] = res.second_party[s];
		p.majority[s] = res.majority[s];
		p.group_share[s] = share;
		p.group_voters[s] = p.ratio[s] = p.flip_switch[s] = p.flip_abstain[s] =
		    p.flip_third[s] = p.pivot_prob[s] = p.pivot_se[s] = NAN;
		if (isnan(share) || w < 0)
			continue;
		p.covered++;
		gv = group_voters(c, s, share, o, &cap);
		p.group_voters[s] = gv;
		if (res.second[s] < 0)
			continue; /* unopposed: there is no one to move to */
		maj = (double)res.majority[s];
		p.flip_switch[s] = maj / (2 * gv);
		p.flip_abstain[s] = maj / gv;
		p.flip_third[s] = flip_to_third(c, s, w, o->third, gv);
		if (gv <= 0) { /* no fraction of nobody flips anything, not even a tie (0 / 0) */
			p.flip_switch[s] = p.flip_abstain[s] = INFINITY;
			/* NaN stays NaN where T cannot win that way at all (g = 1 tells) */
			if (!isnan(flip_to_third(c, s, w, o->third, 1)))
				p.flip_third[s] = INFINITY;
		}
		/* ratio 2cG / majority; a tied seat (majority 0) is +inf unless the bloc is empty
		 */
		p.ratio[s] = o->cohesion * gv > 0 ? 2 * o->cohesion * gv / maj : 0;
		p.decisive[s] = 2 * o->cohesion * gv > maj;
		p.ndecisive += p.decisive[s];
	}
	if (o->sims > 0 && (err = monte_carlo(&p, c, &res, o)) < 0)
		goto done;
	*out = p;
	memset(&p, 0, sizeof(p));
done:
	bloc_seat_results_dispose(&res);
	bloc_power_dispose(&p);
	return err;
}
