/* The agent-based by-election (simulate.h): a synthetic electorate as arrays (struct of arrays,
 * one entry per elector), households as contiguous runs of electors, kinship clusters as runs of
 * whole households within the group, friendship ties in CSR form; then the campaigns, influence
 * and the vote. One replicate draws from stream (seed, replicate) alone. */
#include "bloc/simulate.h"

#include "bloc/error.h"
#include "bloc/rng.h"
#include "../core/alloc.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#define MAX_ELECTORS 5000000

void bloc_sim_params_init(bloc_sim_params *p)
{
	/* ONS 2021 adults by age, all of England and Wales, 18+ (assumption for any seat until
	 * the census reader by seat exists); the group younger (Muslim adults: assumption) */
	static const double age_rest[BLOC_SIM_AGES] = {0.10, 0.17, 0.16, 0.17, 0.16, 0.24};
	static const double age_group[BLOC_SIM_AGES] = {0.17, 0.27, 0.22, 0.15, 0.10, 0.09};
	/* Ipsos MORI, How Britain Voted 2010 */
	static const double turnout_age[BLOC_SIM_AGES] = {0.44, 0.55, 0.66, 0.69, 0.73, 0.76};
	/* households by electors: England and Wales 2021 with the composition mapping of
	 * io/census_ages.c (everyone else); the group's larger (assumption) */
	static const double hh_rest[BLOC_SIM_HOUSEHOLD] = {0.32, 0.45, 0.14, 0.06, 0.02, 0.01};
	static const double hh_group[BLOC_SIM_HOUSEHOLD] = {0.12, 0.30, 0.20, 0.17, 0.12, 0.09};
	size_t k;

	memset(p, 0, sizeof(*p));
	memcpy(p->age_group, age_group, sizeof(age_group));
	memcpy(p->age_rest, age_rest, sizeof(age_rest));
	memcpy(p->turnout_age, turnout_age, sizeof(turnout_age));
	p->female = 0.5;
	memcpy(p->household_group, hh_group, sizeof(hh_group));
	memcpy(p->household_rest, hh_rest, sizeof(hh_rest));
	p->turnout_scale = 0.77; /* by-election against general election turnout: BW2012 */
	p->kin_min = 300;        /* kinship cluster sizes: assumption */
	p->kin_max = 3000;
	p->brokers = 2;
	p->friends = 3;     /* core discussion partners: McPherson et al. 2006 */
	p->homophily = 0.9; /* assumption, after McPherson, Smith-Lovin and Cook 2001 */
	for (k = 0; k < BLOC_SIM_MAX_CANDIDATES; k++)
		p->strategy[k] = BLOC_SIM_NONE;
	p->contact_rate = 0.45;         /* John and Brannan 2008: 0.54; lower end assumed */
	p->cace_turnout = 0.025;        /* Bhatti et al. 2019 meta-analysis */
	p->persuasion = 0.005;          /* Kalla and Broockman 2018: about 0 */
	p->spillover = 0.6;             /* Nickerson 2008 */
	p->compliance_older_men = 0.65; /* assumption: 0.5-0.8 */
	p->compliance_other = 0.25;     /* assumption: 0.1-0.4 */
	p->doorstep_target = 1;
	p->rounds = 3;
	p->influence = 0.05;     /* assumption */
	p->word_of_mouth = 0.05; /* assumption: small per tie (Bond et al. 2012) */
}

int bloc_sim_strategy_parse(const char *name)
{
	static const char *const names[] = {"none", "broker", "doorstep", "both"};
	int i;

	for (i = 0; i < 4; i++)
		if (strcmp(name, names[i]) == 0)
			return i;
	return -1;
}

const char *bloc_sim_strategy_name(int s)
{
	static const char *const names[] = {"none", "broker", "doorstep", "both"};
	return s >= 0 && s < 4 ? names[s] : "?";
}

/* The electorate and its networks. */
struct pop {
	size_t n, ngroup, nhh;
	uint8_t *sex, *age, *grp, *lean, *choice, *told; /* told: won over on the doorstep */
	float *prop;
	uint32_t *hh;   /* household of each elector */
	size_t *hh_off; /* electors of household h: [hh_off[h], hh_off[h+1]) */
	int32_t *kin;   /* kinship cluster, -1 outside the group */
	size_t nkin;
	size_t *fr_off, *fr; /* friends, CSR */
	size_t scratch;      /* bytes building the ties took besides */
};

static void pop_free(struct pop *q)
{
	bloc_free(q->sex);
	bloc_free(q->age);
	bloc_free(q->grp);
	bloc_free(q->lean);
	bloc_free(q->choice);
	bloc_free(q->told);
	bloc_free(q->prop);
	bloc_free(q->hh);
	bloc_free(q->hh_off);
	bloc_free(q->kin);
	bloc_free(q->fr_off);
	bloc_free(q->fr);
	memset(q, 0, sizeof(*q));
}

static int check(const bloc_sim_params *p)
{
	double s = 0;
	size_t k;

	if (p->electors < 10 || p->electors > MAX_ELECTORS)
		return bloc_error_set(BLOC_EINVAL, "simulate: electors %zu, expected 10 to %d",
		                      p->electors, MAX_ELECTORS);
	if (!(p->group_share >= 0 && p->group_share <= 1))
		return bloc_error_set(BLOC_EINVAL, "simulate: group share %g, expected 0 to 1",
		                      p->group_share);
	if (p->ncand < 1 || p->ncand > BLOC_SIM_MAX_CANDIDATES)
		return bloc_error_set(BLOC_EINVAL, "simulate: %zu candidates, expected 1 to %d",
		                      p->ncand, BLOC_SIM_MAX_CANDIDATES);
	for (k = 0; k < p->ncand; k++)
		s += p->lean_rest[k];
	if (!(fabs(s - 1) < 1e-6))
		return bloc_error_set(BLOC_EINVAL, "simulate: leanings sum to %g, expected 1", s);
	for (k = 0, s = 0; k < BLOC_SIM_HOUSEHOLD; k++) {
		if (!(p->household_group[k] >= 0 && p->household_rest[k] >= 0))
			s = NAN;
		s += p->household_group[k] + p->household_rest[k];
	}
	if (!(fabs(s - 2) < 1e-6))
		return bloc_error_set(BLOC_EINVAL,
		                      "simulate: households by size must each sum to 1, found %g "
		                      "together (expected 2)",
		                      s);
	if (p->kin_min < 1 || p->kin_max < p->kin_min || !(p->friends >= 0) ||
	    !(p->homophily >= 0) || !(p->homophily <= 1))
		return bloc_error_set(BLOC_EINVAL, "simulate: households, kinship clusters or "
		                                   "friendships out of range");
	return BLOC_OK;
}

/* Electors in households, the group first; leanings and turnout propensities. */
static int build_people(struct pop *q, const bloc_sim_params *p, bloc_rng *r)
{
	const size_t n = p->electors;
	size_t i = 0, h = 0;

	q->n = n;
	q->ngroup = (size_t)llround(p->group_share * (double)n);
	q->sex = bloc_malloc(n);
	q->age = bloc_malloc(n);
	q->grp = bloc_malloc(n);
	q->lean = bloc_malloc(n);
	q->choice = bloc_malloc(n);
	q->told = bloc_calloc(n, 1);
	q->prop = bloc_malloc(n * sizeof(*q->prop));
	q->hh = bloc_malloc(n * sizeof(*q->hh));
	q->hh_off = bloc_malloc((n + 1) * sizeof(*q->hh_off));
	q->kin = bloc_malloc(n * sizeof(*q->kin));
	if (!q->sex || !q->age || !q->grp || !q->lean || !q->choice || !q->told || !q->prop ||
	    !q->hh || !q->hh_off || !q->kin)
		return bloc_error_oom("a synthetic electorate of %zu", n);
	while (i < n) {
		const int g = i < q->ngroup;
		const size_t size =
		    1 + bloc_rng_categorical(r, g ? p->household_group : p->household_rest,
		                             BLOC_SIM_HOUSEHOLD);
		size_t end = i + size;
		if (g && end > q->ngroup)
			end = q->ngroup; /* households do not straddle the group */
		if (end > n)
			end = n;
		q->hh_off[h] = i;
		for (; i < end; i++) {
			const double *ages = g ? p->age_group : p->age_rest;
			const double *lean = g ? p->lean_group : p->lean_rest;
			double m, a, b;
			q->hh[i] = (uint32_t)h;
			q->grp[i] = (uint8_t)!g;
			q->sex[i] = (uint8_t)(bloc_rng_uniform(r) < p->female);
			q->age[i] = (uint8_t)bloc_rng_categorical(r, ages, BLOC_SIM_AGES);
			q->lean[i] = (uint8_t)bloc_rng_categorical(r, lean, p->ncand);
			q->choice[i] = q->lean[i];
			q->kin[i] = -1;
			/* turnout propensity: Beta(m, 1 - m), U-shaped (most always or never vote)
			 */
			m = p->turnout_age[q->age[i]] * p->turnout_scale;
			m = m < 0.01 ? 0.01 : m > 0.99 ? 0.99 : m;
			a = bloc_rng_gamma(r, m);
			b = bloc_rng_gamma(r, 1 - m);
			q->prop[i] = (float)(a + b > 0 ? a / (a + b) : m);
		}
		h++;
	}
	q->hh_off[h] = n;
	q->nhh = h;
	return BLOC_OK;
}

/* Kinship clusters: runs of whole households of the group, of kin_min..kin_max electors. */
static void build_kin(struct pop *q, const bloc_sim_params *p, bloc_rng *r)
{
	size_t h = 0, c = 0;

	while (h < q->nhh && q->hh_off[h] < q->ngroup) {
		size_t want = p->kin_min + (size_t)bloc_rng_below(r, p->kin_max - p->kin_min + 1),
		       got = 0;
		while (h < q->nhh && q->hh_off[h] < q->ngroup && got < want) {
			size_t i;
			for (i = q->hh_off[h]; i < q->hh_off[h + 1]; i++)
				q->kin[i] = (int32_t)c;
			got += q->hh_off[h + 1] - q->hh_off[h];
			h++;
		}
		c++;
	}
	q->nkin = c;
}

/* An elector of [lo, lo + span) drawn with probability proportional to popularity: cum holds
 * the running sums of the electors' popularity. */
static size_t popular(const double *cum, size_t lo, size_t span, bloc_rng *r)
{
	const double base = lo ? cum[lo - 1] : 0,
	             u = base + bloc_rng_uniform(r) * (cum[lo + span - 1] - base);
	size_t a = lo, b = lo + span - 1;

	while (a < b) {
		size_t m = a + (b - a) / 2;
		if (cum[m] < u)
			a = m + 1;
		else
			b = m;
	}
	return a;
}

/* Friendship ties: each elector names friends (round(friends) or one more, on average
 * `friends`), in their own part of the electorate with probability homophily, each named with
 * probability proportional to a popularity drawn for every elector (exponential: assumption), so
 * a few are named often, as in real networks; ties are undirected. */
static int build_friends(struct pop *q, const bloc_sim_params *p, bloc_rng *r)
{
	const size_t n = q->n, ng = q->ngroup;
	size_t *a = NULL, *b = NULL, m = 0, cap, i, k;
	int err = BLOC_OK;

	double *cum = NULL;

	cap = (size_t)(p->friends + 1) * n + 1;
	q->scratch = (2 * cap + n + 1) * sizeof(size_t) + (n + 1) * sizeof(double);
	a = bloc_malloc(cap * sizeof(*a));
	b = bloc_malloc(cap * sizeof(*b));
	cum = bloc_malloc((n + 1) * sizeof(*cum));
	q->fr_off = bloc_calloc(n + 1, sizeof(*q->fr_off));
	if (!a || !b || !cum || !q->fr_off) {
		err = bloc_error_oom("friendship ties of %zu electors", n);
		goto done;
	}
	for (i = 0; i < n; i++)
		cum[i] = (i ? cum[i - 1] : 0) - log(1 - bloc_rng_uniform(r));
	for (i = 0; i < n; i++) {
		size_t want =
		    (size_t)p->friends + (bloc_rng_uniform(r) < p->friends - floor(p->friends));
		for (k = 0; k < want && m < cap; k++) {
			const int same = bloc_rng_uniform(r) < p->homophily;
			const int in_group = i < ng;
			size_t lo, span, j;
			if (same == in_group) {
				lo = 0;
				span = ng;
			} else {
				lo = ng;
				span = n - ng;
			}
			if (!span) {
				lo = 0;
				span = n;
			}
			j = popular(cum, lo, span, r);
			if (j == i)
				continue;
			a[m] = i;
			b[m] = j;
			m++;
			q->fr_off[i + 1]++;
			q->fr_off[j + 1]++;
		}
	}
	for (i = 0; i < n; i++)
		q->fr_off[i + 1] += q->fr_off[i];
	if (!(q->fr = bloc_malloc((2 * m + 1) * sizeof(*q->fr)))) {
		err = bloc_error_oom("friendship ties of %zu electors", n);
		goto done;
	}
	{
		size_t *fill = bloc_malloc((n + 1) * sizeof(*fill));
		if (!fill) {
			err = bloc_error_oom("friendship ties");
			goto done;
		}
		memcpy(fill, q->fr_off, n * sizeof(*fill));
		for (k = 0; k < m; k++) {
			q->fr[fill[a[k]]++] = b[k];
			q->fr[fill[b[k]]++] = a[k];
		}
		bloc_free(fill);
	}
done:
	bloc_free(a);
	bloc_free(b);
	bloc_free(cum);
	return err;
}

/* The bytes the electorate and its networks hold, with what building the ties took besides (the
 * replicate's peak) and the influence rounds' copy of the choices. */
static size_t pop_bytes(const struct pop *q)
{
	const size_t n = q->n;
	return n * (6 + sizeof(uint32_t) + sizeof(*q->prop) + sizeof(*q->hh) + sizeof(*q->kin)) +
	       n + (n + 1) * sizeof(*q->hh_off) + (n + 1) * sizeof(*q->fr_off) +
	       (q->fr_off ? q->fr_off[n] : 0) * sizeof(*q->fr) + q->scratch;
}

static int build(struct pop *q, const bloc_sim_params *p, bloc_rng *r)
{
	int err;

	memset(q, 0, sizeof(*q));
	if ((err = check(p)) < 0 || (err = build_people(q, p, r)) < 0)
		return err;
	build_kin(q, p, r);
	return build_friends(q, p, r);
}

static void boost(float *prop, double by)
{
	double v = *prop + by;
	*prop = (float)(v > 1 ? 1 : v < 0 ? 0 : v);
}

/* Brokers endorse: the clusters are shared among the candidates campaigning through brokers in
 * proportion to their budgets (a cluster's brokers back one candidate); each member follows with
 * the compliance of their sex and age, and a follower's turnout rises as a talk's would. */
static void brokers(struct pop *q, const bloc_sim_params *p, bloc_rng *r, bloc_sim_outcome *o)
{
	size_t c, nb = 0, i, backer[BLOC_SIM_MAX_CANDIDATES];
	double w[BLOC_SIM_MAX_CANDIDATES], tot = 0;
	size_t *of = NULL;

	for (c = 0; c < p->ncand; c++)
		if (p->strategy[c] == BLOC_SIM_BROKER || p->strategy[c] == BLOC_SIM_BOTH) {
			backer[nb] = c;
			w[nb] = p->budget[c] > 0 ? p->budget[c] : 1;
			tot += w[nb++];
		}
	if (!nb || !q->nkin || !(of = bloc_malloc(q->nkin * sizeof(*of))))
		return;
	for (i = 0; i < nb; i++)
		w[i] /= tot;
	for (i = 0; i < q->nkin; i++)
		of[i] = backer[bloc_rng_categorical(r, w, nb)];
	for (i = 0; i < q->ngroup; i++) {
		double comply;
		if (q->kin[i] < 0)
			continue;
		comply = q->sex[i] == 0 && q->age[i] >= 3 ? p->compliance_older_men
		                                          : p->compliance_other;
		if (bloc_rng_uniform(r) < comply) {
			q->choice[i] = (uint8_t)of[q->kin[i]];
			boost(&q->prop[i], p->cace_turnout);
			o->endorsed++;
		}
	}
	bloc_free(of);
}

/* One talk at the door of household h for candidate c (a woman or a young elector of the
 * household first when targeting), and its spillover to the housemates. */
static void talk(struct pop *q, const bloc_sim_params *p, bloc_rng *r, size_t h, size_t c)
{
	const size_t lo = q->hh_off[h], hi = q->hh_off[h + 1];
	size_t who = lo + (size_t)bloc_rng_below(r, hi - lo), i;

	if (p->doorstep_target)
		for (i = lo; i < hi; i++)
			if (q->sex[i] == 1 || q->age[i] <= 1) {
				who = i;
				break;
			}
	boost(&q->prop[who], p->cace_turnout);
	if (bloc_rng_uniform(r) < p->persuasion) {
		q->choice[who] = (uint8_t)c;
		q->told[who] = 1;
	}
	for (i = lo; i < hi; i++) {
		if (i == who)
			continue;
		boost(&q->prop[i], p->spillover * p->cace_turnout);
		if (bloc_rng_uniform(r) < p->spillover * p->persuasion) {
			q->choice[i] = (uint8_t)c;
			q->told[i] = 1;
		}
	}
}

/* Doorstep campaigns: budget doors knocked, in the group's households first when targeting;
 * someone talks at contact_rate of them. */
static void doorstep(struct pop *q, const bloc_sim_params *p, bloc_rng *r, bloc_sim_outcome *o)
{
	size_t c, k, ghh = 0;

	while (ghh < q->nhh && q->hh_off[ghh] < q->ngroup)
		ghh++;
	for (c = 0; c < p->ncand; c++) {
		if (p->strategy[c] != BLOC_SIM_DOORSTEP && p->strategy[c] != BLOC_SIM_BOTH)
			continue;
		for (k = 0; k < (size_t)p->budget[c]; k++) {
			size_t h = p->doorstep_target && ghh ? (size_t)bloc_rng_below(r, ghh)
			                                     : (size_t)bloc_rng_below(r, q->nhh);
			if (bloc_rng_uniform(r) >= p->contact_rate)
				continue;
			talk(q, p, r, h, c);
			o->contacted++;
		}
	}
}

/* Word of mouth: those won over on the doorstep pass their candidate on along their friendship
 * ties, each tie winning the friend over with probability word_of_mouth, and those won over pass
 * it on in turn, for `rounds` generations (an independent cascade; an elector is won over once,
 * by the first to reach them). */
static int word_of_mouth(struct pop *q, const bloc_sim_params *p, bloc_rng *r)
{
	uint32_t *queue;
	size_t head = 0, tail = 0, gen, i;

	if (!p->rounds || !(p->word_of_mouth > 0))
		return BLOC_OK;
	if (!(queue = bloc_malloc(q->n * sizeof(*queue))))
		return bloc_error_oom("word of mouth among %zu electors", q->n);
	for (i = 0; i < q->n; i++)
		if (q->told[i])
			queue[tail++] = (uint32_t)i;
	for (gen = 0; gen < p->rounds && head < tail; gen++) {
		const size_t end = tail;
		while (head < end) {
			const size_t from = queue[head++];
			size_t e;
			for (e = q->fr_off[from]; e < q->fr_off[from + 1]; e++) {
				const size_t j = q->fr[e];
				if (q->told[j] || bloc_rng_uniform(r) >= p->word_of_mouth)
					continue;
				q->told[j] = 1;
				q->choice[j] = q->choice[from];
				queue[tail++] = (uint32_t)j;
			}
		}
	}
	bloc_free(queue);
	return BLOC_OK;
}

/* Influence: each round every elector copies a random friend's choice with probability
 * `influence` (a noisy voter model, updated together from the last round's choices). */
static int influence(struct pop *q, const bloc_sim_params *p, bloc_rng *r)
{
	uint8_t *next;
	size_t t, i;

	if (!p->rounds || !(p->influence > 0))
		return BLOC_OK;
	if (!(next = bloc_malloc(q->n)))
		return bloc_error_oom("influence rounds");
	for (t = 0; t < p->rounds; t++) {
		memcpy(next, q->choice, q->n);
		for (i = 0; i < q->n; i++) {
			size_t d = q->fr_off[i + 1] - q->fr_off[i];
			if (d && bloc_rng_uniform(r) < p->influence)
				next[i] = q->choice[q->fr[q->fr_off[i] + bloc_rng_below(r, d)]];
		}
		memcpy(q->choice, next, q->n);
	}
	bloc_free(next);
	return BLOC_OK;
}

int bloc_sim_run(bloc_sim_outcome *out, const bloc_sim_params *p, uint64_t seed, uint64_t replicate)
{
	struct pop q;
	bloc_rng r;
	size_t i, c;
	double voted = 0;
	int err;

	memset(out, 0, sizeof(*out));
	bloc_rng_seed(&r, seed, replicate);
	if ((err = build(&q, p, &r)) < 0)
		goto done;
	out->bytes = pop_bytes(&q);
	brokers(&q, p, &r, out);
	doorstep(&q, p, &r, out);
	if ((err = word_of_mouth(&q, p, &r)) < 0 || (err = influence(&q, p, &r)) < 0)
		goto done;
	for (i = 0; i < q.n; i++) {
		const int s = q.sex[i], a = q.age[i], g = q.grp[i];
		if (bloc_rng_uniform(&r) >= q.prop[i])
			continue;
		out->votes[q.choice[i]] += 1;
		voted += 1;
		out->voters[s][a][g] += 1;
		out->moved[s][a][g] += q.choice[i] != q.lean[i];
	}
	out->turnout = voted / (double)q.n;
	for (c = 1; c < p->ncand; c++)
		if (out->votes[c] > out->votes[out->winner])
			out->winner = c;
done:
	pop_free(&q);
	return err;
}

int bloc_sim_canvass_experiment(bloc_sim_canvass_result *out, const bloc_sim_params *p,
                                double treat, uint64_t seed)
{
	struct pop q;
	bloc_rng r;
	uint8_t *arm = NULL; /* per household: 0 control, 1 assigned, 2 assigned and contacted */
	size_t *target = NULL, h, i;
	double sum[3] = {0, 0, 0}, cnt[3] = {0, 0, 0}, mate[3] = {0, 0, 0}, mcnt[3] = {0, 0, 0};
	int err;

	memset(out, 0, sizeof(*out));
	bloc_rng_seed(&r, seed, 0);
	if ((err = build(&q, p, &r)) < 0)
		goto done;
	arm = bloc_calloc(q.nhh + 1, 1);
	target = bloc_malloc((q.nhh + 1) * sizeof(*target));
	if (!arm || !target) {
		err = bloc_error_oom("a canvassing experiment");
		goto done;
	}
	/* each household's door answerer is fixed before assignment, in both arms alike */
	for (h = 0; h < q.nhh; h++) {
		target[h] = q.hh_off[h] + (size_t)bloc_rng_below(&r, q.hh_off[h + 1] - q.hh_off[h]);
		if (bloc_rng_uniform(&r) < treat) {
			arm[h] = 1;
			if (bloc_rng_uniform(&r) < p->contact_rate) {
				arm[h] = 2;
				boost(&q.prop[target[h]], p->cace_turnout);
				for (i = q.hh_off[h]; i < q.hh_off[h + 1]; i++)
					if (i != target[h])
						boost(&q.prop[i], p->spillover * p->cace_turnout);
			}
		}
	}
	for (h = 0; h < q.nhh; h++)
		for (i = q.hh_off[h]; i < q.hh_off[h + 1]; i++) {
			const double v = bloc_rng_uniform(&r) < q.prop[i];
			const int a = arm[h];
			if (i == target[h]) {
				sum[a] += v;
				cnt[a] += 1;
			} else {
				mate[a] += v;
				mcnt[a] += 1;
			}
		}
	{
		const double ctl = cnt[0] > 0 ? sum[0] / cnt[0] : 0,
		             asg = cnt[1] + cnt[2] > 0 ? (sum[1] + sum[2]) / (cnt[1] + cnt[2]) : 0,
		             mctl = mcnt[0] > 0 ? mate[0] / mcnt[0] : 0,
		             mcon = mcnt[2] > 0 ? mate[2] / mcnt[2] : 0;
		out->contact_rate = cnt[1] + cnt[2] > 0 ? cnt[2] / (cnt[1] + cnt[2]) : 0;
		out->itt = asg - ctl;
		out->cace = out->contact_rate > 0 ? out->itt / out->contact_rate : 0;
		out->housemate = mcon - mctl;
		out->assigned = (size_t)(cnt[1] + cnt[2]);
		out->control = (size_t)cnt[0];
	}
done:
	bloc_free(arm);
	bloc_free(target);
	pop_free(&q);
	return err;
}

/* Independent cascade from the seeds: each tie from a newly reached person passes the message
 * on once with probability pass. */
static double cascade(const struct pop *q, const size_t *seeds, size_t ns, double pass, bloc_rng *r,
                      uint8_t *seen, size_t *queue)
{
	size_t head = 0, tail = 0, k, reached = 0;

	memset(seen, 0, q->n);
	for (k = 0; k < ns; k++)
		if (!seen[seeds[k]]) {
			seen[seeds[k]] = 1;
			queue[tail++] = seeds[k];
			reached++;
		}
	while (head < tail) {
		size_t i = queue[head++], e;
		for (e = q->fr_off[i]; e < q->fr_off[i + 1]; e++) {
			size_t j = q->fr[e];
			if (!seen[j] && bloc_rng_uniform(r) < pass) {
				seen[j] = 1;
				queue[tail++] = j;
				reached++;
			}
		}
	}
	return (double)reached / (double)q->n;
}

int bloc_sim_seeding_experiment(double *reach_random, double *reach_nominated,
                                const bloc_sim_params *p, size_t seeds, double pass, uint64_t seed)
{
	struct pop q;
	bloc_rng r;
	size_t *s = NULL, *queue = NULL, k;
	uint8_t *seen = NULL;
	int err;

	*reach_random = *reach_nominated = 0;
	bloc_rng_seed(&r, seed, 0);
	if ((err = build(&q, p, &r)) < 0)
		goto done;
	s = bloc_malloc((seeds + 1) * sizeof(*s));
	queue = bloc_malloc((q.n + 1) * sizeof(*queue));
	seen = bloc_malloc(q.n + 1);
	if (!s || !queue || !seen) {
		err = bloc_error_oom("a seeding experiment");
		goto done;
	}
	for (k = 0; k < seeds; k++)
		s[k] = (size_t)bloc_rng_below(&r, q.n);
	*reach_random = cascade(&q, s, seeds, pass, &r, seen, queue);
	for (k = 0; k < seeds; k++) {
		size_t i = (size_t)bloc_rng_below(&r, q.n), d = q.fr_off[i + 1] - q.fr_off[i];
		s[k] = d ? q.fr[q.fr_off[i] + bloc_rng_below(&r, d)] : i;
	}
	*reach_nominated = cascade(&q, s, seeds, pass, &r, seen, queue);
done:
	bloc_free(s);
	bloc_free(queue);
	bloc_free(seen);
	pop_free(&q);
	return err;
}
