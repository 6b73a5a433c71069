/* The agent-based by-election (simulate.h): a synthetic electorate as arrays (struct of arrays,
 * one entry per elector), households as contiguous runs of electors, kinship clusters as runs of
 * whole households within the group, friendship ties in CSR form; then the campaigns, influence
 * and the vote. One replicate draws from stream (seed, replicate) alone. */
#include "bloc/simulate.h"

#include "bloc/error.h"
#include "bloc/rng.h"
#include "../core/alloc.h"
#include "../core/rng_inline.h"

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

/* The electorate and its networks, in buffers a worker keeps from one replicate to the next
 * (bloc_sim_workspace): grown when a larger seat comes, never shrunk, so a run of replicates
 * allocates once. */
struct pop {
	size_t n, ngroup, nhh, nkin, nties;
	size_t tie_part, tie_age, tie_sex, tie_sample;   /* the first ties, by what they share */
	uint8_t *sex, *age, *grp, *lean, *choice, *told; /* told: won over on the doorstep */
	uint8_t *next;                                   /* influence: the next round's choices */
	float *prop;
	uint32_t *hh;          /* household of each elector */
	uint32_t *hh_off;      /* electors of household h: [hh_off[h], hh_off[h+1]) */
	int32_t *kin;          /* kinship cluster, -1 outside the group */
	uint32_t *fr_off, *fr; /* friends, CSR */
	/* scratch: the ties' ends while building, the popularity alias table (each entry's
	 * probability and alias side by side: one memory access a draw), a work list */
	uint32_t *ea, *eb, *work;
	struct alias_entry {
		float prob;
		uint32_t alias;
	} * at;
	size_t cap_n, cap_e; /* electors and ties the buffers hold */
};

#define BETA_POINTS 4096  /* the turnout propensities' quantile tables: points each */
#define BETA_GRID   16384 /* and the grid their distribution function is integrated on */

struct bloc_sim_workspace {
	struct pop q;
	/* each age band's propensity quantiles, for the mean they were made for */
	double beta_m[BLOC_SIM_AGES];
	float beta[BLOC_SIM_AGES][BETA_POINTS + 1];
};

/* The buffers of one elector each, and of one tie each; a part's capacity drops to 0. */
static void free_people(struct pop *q)
{
	bloc_free(q->sex);
	bloc_free(q->age);
	bloc_free(q->grp);
	bloc_free(q->lean);
	bloc_free(q->choice);
	bloc_free(q->told);
	bloc_free(q->next);
	bloc_free(q->prop);
	bloc_free(q->hh);
	bloc_free(q->hh_off);
	bloc_free(q->kin);
	bloc_free(q->fr_off);
	bloc_free(q->work);
	bloc_free(q->at);
	q->sex = q->age = q->grp = q->lean = q->choice = q->told = q->next = NULL;
	q->prop = NULL;
	q->hh = q->hh_off = q->fr_off = q->work = NULL;
	q->kin = NULL;
	q->at = NULL;
	q->cap_n = 0;
}

static void free_ties(struct pop *q)
{
	bloc_free(q->ea);
	bloc_free(q->eb);
	bloc_free(q->fr);
	q->ea = q->eb = q->fr = NULL;
	q->cap_e = 0;
}

static void pop_free(struct pop *q)
{
	free_people(q);
	free_ties(q);
	memset(q, 0, sizeof(*q));
}

/* Buffers for n electors and up to e ties. */
static int pop_reserve(struct pop *q, size_t n, size_t e)
{
	if (n > q->cap_n) {
		free_people(q);
		q->sex = bloc_malloc(n);
		q->age = bloc_malloc(n);
		q->grp = bloc_malloc(n);
		q->lean = bloc_malloc(n);
		q->choice = bloc_malloc(n);
		q->told = bloc_malloc(n);
		q->next = bloc_malloc(n);
		q->prop = bloc_malloc(n * sizeof(*q->prop));
		q->hh = bloc_malloc(n * sizeof(*q->hh));
		q->hh_off = bloc_malloc((n + 1) * sizeof(*q->hh_off));
		q->kin = bloc_malloc(n * sizeof(*q->kin));
		q->fr_off = bloc_malloc((n + 1) * sizeof(*q->fr_off));
		q->work = bloc_malloc((n + 1) * sizeof(*q->work));
		q->at = bloc_malloc(n * sizeof(*q->at));
		if (!q->sex || !q->age || !q->grp || !q->lean || !q->choice || !q->told ||
		    !q->next || !q->prop || !q->hh || !q->hh_off || !q->kin || !q->fr_off ||
		    !q->work || !q->at) {
			free_people(q);
			return bloc_error_oom("a synthetic electorate of %zu", n);
		}
		q->cap_n = n;
	}
	if (e > q->cap_e) {
		free_ties(q);
		q->ea = bloc_malloc(e * sizeof(*q->ea));
		q->eb = bloc_malloc(e * sizeof(*q->eb));
		q->fr = bloc_malloc(2 * e * sizeof(*q->fr));
		if (!q->ea || !q->eb || !q->fr) {
			free_ties(q);
			return bloc_error_oom("friendship ties of %zu electors", n);
		}
		q->cap_e = e;
	}
	return BLOC_OK;
}

bloc_sim_workspace *bloc_sim_workspace_new(void)
{
	return bloc_calloc(1, sizeof(bloc_sim_workspace));
}

void bloc_sim_workspace_free(bloc_sim_workspace *w)
{
	if (!w)
		return;
	pop_free(&w->q);
	bloc_free(w);
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
	for (k = 0, s = 0; k < p->ncand; k++)
		s += p->lean_group[k];
	if (!(fabs(s - 1) < 1e-6))
		return bloc_error_set(BLOC_EINVAL,
		                      "simulate: the group's leanings sum to %g, expected 1", s);
	for (k = 0; k < p->ncand; k++)
		if (!(p->budget[k] >= 0 && p->budget[k] <= 1e9))
			return bloc_error_set(BLOC_EINVAL, "simulate: budget %g, expected 0 to 1e9",
			                      p->budget[k]);
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
	    !(p->friends <= 1000) || !(p->homophily >= 0) || !(p->homophily <= 1) ||
	    !(p->homophily_age >= 0) || !(p->homophily_age <= 1) || !(p->homophily_sex >= 0) ||
	    !(p->homophily_sex <= 1))
		return bloc_error_set(BLOC_EINVAL, "simulate: households, kinship clusters or "
		                                   "friendships out of range");
	return BLOC_OK;
}

/* The quantile function of Beta(a, 1 - a) at BETA_POINTS + 1 evenly spaced probabilities, into
 * tab. On the logit scale z = log(x / (1 - x)) the density is proportional to
 * e^(a z) / (1 + e^z), smooth and with exponential tails on both sides, so its distribution
 * function is integrated by the trapezoid rule on an even grid from where either tail holds
 * 1e-12, then inverted by linear interpolation. */
static void beta_table(float *tab, double a)
{
	const double lo = log(1e-12) / a, hi = -log(1e-12) / (1 - a), h = (hi - lo) / BETA_GRID;
	double cdf[BETA_GRID + 1], prev = 0, total;
	size_t g, i;

	cdf[0] = 0;
	for (g = 0; g <= BETA_GRID; g++) {
		const double z = lo + h * (double)g, f = z > 0 ? exp((a - 1) * z - log1p(exp(-z)))
		                                               : exp(a * z - log1p(exp(z)));
		if (g)
			cdf[g] = cdf[g - 1] + h * (prev + f) / 2;
		prev = f;
	}
	total = cdf[BETA_GRID];
	tab[0] = 0;
	tab[BETA_POINTS] = 1;
	for (i = 1, g = 1; i < BETA_POINTS; i++) {
		const double want = total * (double)i / BETA_POINTS;
		double z;
		while (g < BETA_GRID && cdf[g] < want)
			g++;
		z = lo + h * ((double)(g - 1) + (want - cdf[g - 1]) / (cdf[g] - cdf[g - 1]));
		tab[i] = (float)(1 / (1 + exp(-z)));
	}
}

/* A draw from a quantile table: a uniform's place in it, interpolated. */
static float from_table(const float *tab, double uniform)
{
	const double u = uniform * BETA_POINTS;
	const size_t i = (size_t)u;
	return tab[i] + (float)(u - (double)i) * (tab[i + 1] - tab[i]);
}

/* Running sums of p[0..k) for pick(): the same sums, in the same order, as a categorical draw
 * accumulates, so pick() returns what bloc_rng_categorical would for the same uniform. */
static void running_sums(double *cum, const double *p, size_t k)
{
	double acc = 0;
	size_t j;

	for (j = 0; j < k; j++)
		cum[j] = acc += p[j];
}

/* The first j whose running sum passes a uniform (k - 1 if none does), without branches: the
 * count of sums at or below it. */
static size_t pick(double u, const double *cum, size_t k)
{
	size_t j, n = 0;

	for (j = 0; j + 1 < k; j++)
		n += u >= cum[j];
	return n;
}

/* Electors in households, the group first; leanings and turnout propensities. */
static void build_people(bloc_sim_workspace *w, const bloc_sim_params *p, bloc_rng *r)
{
	struct pop *q = &w->q;
	const size_t n = p->electors;
	double hh[2][BLOC_SIM_HOUSEHOLD], ages[2][BLOC_SIM_AGES], lean[2][BLOC_SIM_MAX_CANDIDATES];
	size_t i = 0, h = 0, k;

	running_sums(hh[0], p->household_rest, BLOC_SIM_HOUSEHOLD);
	running_sums(hh[1], p->household_group, BLOC_SIM_HOUSEHOLD);
	running_sums(ages[0], p->age_rest, BLOC_SIM_AGES);
	running_sums(ages[1], p->age_group, BLOC_SIM_AGES);
	running_sums(lean[0], p->lean_rest, p->ncand);
	running_sums(lean[1], p->lean_group, p->ncand);

	q->n = n;
	q->ngroup = (size_t)llround(p->group_share * (double)n);
	memset(q->told, 0, n);
	/* turnout propensity Beta(m, 1 - m): U-shaped, most always or never vote (tables made
	 * once for each mean) */
	for (k = 0; k < BLOC_SIM_AGES; k++) {
		double m = p->turnout_age[k] * p->turnout_scale;
		m = m < 0.01 ? 0.01 : m > 0.99 ? 0.99 : m;
		if (w->beta_m[k] != m) {
			beta_table(w->beta[k], m);
			w->beta_m[k] = m;
		}
	}
	while (i < n) {
		const int g = i < q->ngroup;
		const size_t size = 1 + pick(bloc__rng_uniform(r), hh[g], BLOC_SIM_HOUSEHOLD);
		size_t end = i + size;
		if (g && end > q->ngroup)
			end = q->ngroup; /* households do not straddle the group */
		if (end > n)
			end = n;
		q->hh_off[h] = (uint32_t)i;
		for (; i < end; i++) {
			q->hh[i] = (uint32_t)h;
			q->grp[i] = (uint8_t)!g;
			double u1, u2, u3, u4;
			bloc__rng_uniform2(r, &u1, &u2);
			bloc__rng_uniform2(r, &u3, &u4);
			q->sex[i] = (uint8_t)(u1 < p->female);
			q->age[i] = (uint8_t)pick(u2, ages[g], BLOC_SIM_AGES);
			q->lean[i] = (uint8_t)pick(u3, lean[g], p->ncand);
			q->choice[i] = q->lean[i];
			q->kin[i] = -1;
			q->prop[i] = from_table(w->beta[q->age[i]], u4);
		}
		h++;
	}
	q->hh_off[h] = (uint32_t)n;
	q->nhh = h;
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

#define PREFETCH 16 /* building ties: how far ahead random lookups are fetched */

/* Walker's alias table for drawing an elector of [lo, lo + span) in proportion to a weight
 * (Vose's construction, in place: the weights are at[].prob), work a scratch list of span: a
 * draw is one uniform and one lookup, the binary search's answer in constant time. */
static void alias_build(struct pop *q, size_t lo, size_t span)
{
	uint32_t *small = q->work, *large = q->work + span;
	struct alias_entry *e = q->at + lo;
	double sum = 0;
	size_t ns = 0, nl = 0, i;

	if (!span)
		return;
	for (i = 0; i < span; i++)
		sum += e[i].prob;
	/* scaled to a mean of 1, each classed small (below 1: from the front of work) or large
	 * (from its back) in the same pass */
	sum = (double)span / sum;
	for (i = 0; i < span; i++) {
		const float pr = (float)(e[i].prob * sum);
		e[i].prob = pr;
		e[i].alias = (uint32_t)(lo + i);
		if (pr < 1)
			small[ns++] = (uint32_t)i;
		else {
			*--large = (uint32_t)i;
			nl++;
		}
	}
	while (ns && nl) {
		const uint32_t s_ = small[--ns], l = *large;
		e[s_].alias = (uint32_t)(lo + l);
		e[l].prob = (e[l].prob + e[s_].prob) - 1;
		if (e[l].prob < 1) {
			large++;
			nl--;
			small[ns++] = l;
		}
	}
	while (nl--)
		e[*large++].prob = 1;
	while (ns)
		e[small[--ns]].prob = 1;
}

/* Age and sex homophily: with probability homophily_age the friend must be of i's age band,
 * with probability homophily_sex of i's sex; the friend drawn at *at (with remainder *frac) is
 * redrawn by popularity within the part until it qualifies (64 tries at most: then the last),
 * and then stored resolved (*frac -1: the resolving pass takes the elector as it is). */
static void same_kind(const struct pop *q, const bloc_sim_params *p, bloc_rng *r, size_t i,
                      size_t lo, size_t span, uint32_t *at, float *frac)
{
	double ua, us;
	int tries;

	bloc__rng_uniform2(r, &ua, &us);
	if (!(ua < p->homophily_age) && !(us < p->homophily_sex))
		return;
	for (tries = 0;; tries++) {
		const struct alias_entry e = q->at[*at];
		const uint32_t j = *frac < e.prob ? *at : e.alias;
		double u;
		size_t k;
		if (tries == 63 || ((!(ua < p->homophily_age) || q->age[j] == q->age[i]) &&
		                    (!(us < p->homophily_sex) || q->sex[j] == q->sex[i]))) {
			*at = j;
			*frac = -1;
			return;
		}
		u = bloc__rng_uniform(r) * (double)span;
		k = (size_t)u;
		if (k >= span)
			k = span - 1;
		*at = (uint32_t)(lo + k);
		*frac = (float)(u - (double)k);
	}
}

/* Friendship ties: each elector names floor(friends) or one more friends (on average
 * `friends`), in their own part of the electorate with probability homophily, each named with
 * probability proportional to a popularity drawn for every elector (exponential: assumption), so
 * a few are named often, as in real networks; ties are undirected (a pair named twice is tied
 * twice). */
static void build_friends(struct pop *q, const bloc_sim_params *p, bloc_rng *r)
{
	const size_t n = q->n, ng = q->ngroup;
	const size_t base = (size_t)p->friends;
	const double extra = p->friends - floor(p->friends);
	size_t m = 0, i, k;

	/* popularity (exponential weights), then the alias tables over each part */
	{
		bloc__halves h = {0, 0};
		for (i = 0; i < n; i++)
			q->at[i].prob = (float)-log(1 - bloc__rng_half(r, &h));
	}
	alias_build(q, 0, ng);
	alias_build(q, ng, n - ng);
	/* The ties in two passes, so the random lookups of the second can be fetched ahead
	 * (PREFETCH ties on): first each tie's draws (who names, the segment's entry and the
	 * uniform's remainder), then the alias table resolves each to an elector and the degrees
	 * are counted; fr's upper half holds the remainders until the lists are filled. */
	{
		float *frac = (float *)(void *)(q->fr + q->cap_e);
		size_t t, mm = 0;
		for (i = 0; i < n; i++) {
			const size_t want = base + (extra > 0 && bloc__rng_uniform(r) < extra);
			const int in_group = i < ng;
			for (k = 0; k < want && mm < q->cap_e; k++) {
				double uh, u;
				int same;
				size_t lo, span, at;
				bloc__rng_uniform2(r, &uh, &u);
				same = uh < p->homophily;
				lo = same == in_group ? 0 : ng;
				span = same == in_group ? ng : n - ng;
				if (!span) {
					lo = 0;
					span = n;
				}
				u *= (double)span;
				at = (size_t)u;
				if (at >= span)
					at = span - 1;
				q->ea[mm] = (uint32_t)i;
				q->eb[mm] = (uint32_t)(lo + at);
				frac[mm] = (float)(u - (double)at);
				if (p->homophily_age > 0 || p->homophily_sex > 0)
					same_kind(q, p, r, i, lo, span, &q->eb[mm], &frac[mm]);
				mm++;
			}
		}
		memset(q->fr_off, 0, (n + 1) * sizeof(*q->fr_off));
		for (t = 0; t < mm; t++) {
			const uint32_t i_ = q->ea[t], at = q->eb[t];
			struct alias_entry e;
			uint32_t j;
			if (t + PREFETCH < mm) {
				/* the entry, and the degree of the elector it most often names */
				__builtin_prefetch(&q->at[q->eb[t + PREFETCH]]);
				__builtin_prefetch(&q->fr_off[q->eb[t + PREFETCH] + 1], 1);
			}
			e = q->at[at];
			j = frac[t] < e.prob ? at : e.alias;
			if (j == i_)
				continue;
			q->ea[m] = i_;
			q->eb[m] = j;
			m++;
			q->fr_off[i_ + 1]++;
			q->fr_off[j + 1]++;
		}
		/* what the first ties share (a sample, for the metadata) */
		q->tie_sample = m < 20000 ? m : 20000;
		q->tie_part = q->tie_age = q->tie_sex = 0;
		for (t = 0; t < q->tie_sample; t++) {
			const uint32_t a = q->ea[t], b = q->eb[t];
			q->tie_part += q->grp[a] == q->grp[b];
			q->tie_age += q->age[a] == q->age[b];
			q->tie_sex += q->sex[a] == q->sex[b];
		}
	}
	for (i = 0; i < n; i++)
		q->fr_off[i + 1] += q->fr_off[i];
	memcpy(q->work, q->fr_off, n * sizeof(*q->work));
	for (k = 0; k < m; k++) {
		if (k + PREFETCH < m)
			__builtin_prefetch(&q->work[q->eb[k + PREFETCH]], 1);
		q->fr[q->work[q->ea[k]]++] = q->eb[k];
		q->fr[q->work[q->eb[k]]++] = q->ea[k];
	}
	q->nties = m;
}

/* The bytes a workspace needs for this replicate's electorate (what it holds once sized for
 * this seat): the model's memory for the seat. */
static size_t pop_bytes(const struct pop *q, const bloc_sim_params *p)
{
	const size_t n = q->n, e = (size_t)(p->friends + 1) * n + 1;
	return n * (7 + sizeof(*q->prop) + sizeof(*q->hh) + sizeof(*q->kin) + sizeof(*q->at)) +
	       (n + 1) * (sizeof(*q->hh_off) + sizeof(*q->fr_off) + sizeof(*q->work)) +
	       e * (sizeof(*q->ea) + sizeof(*q->eb) + 2 * sizeof(*q->fr));
}

static int build(bloc_sim_workspace *w, const bloc_sim_params *p, bloc_rng *r)
{
	struct pop *q = &w->q;
	int err;

	if ((err = check(p)) < 0 ||
	    (err = pop_reserve(q, p->electors, (size_t)(p->friends + 1) * p->electors + 1)) < 0)
		return err;
	build_people(w, p, r);
	build_kin(q, p, r);
	build_friends(q, p, r);
	return BLOC_OK;
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
	uint32_t *of = q->work; /* each cluster's candidate (clusters <= electors) */
	bloc__halves h = {0, 0};

	for (c = 0; c < p->ncand; c++)
		if (p->strategy[c] == BLOC_SIM_BROKER || p->strategy[c] == BLOC_SIM_BOTH) {
			backer[nb] = c;
			w[nb] = p->budget[c] > 0 ? p->budget[c] : 1;
			tot += w[nb++];
		}
	if (!nb || !q->nkin)
		return;
	for (i = 0; i < nb; i++)
		w[i] /= tot;
	for (i = 0; i < q->nkin; i++)
		of[i] = (uint32_t)backer[bloc__rng_categorical(r, w, nb)];
	for (i = 0; i < q->ngroup; i++) {
		double comply;
		if (q->kin[i] < 0)
			continue;
		comply = q->sex[i] == 0 && q->age[i] >= 3 ? p->compliance_older_men
		                                          : p->compliance_other;
		if (bloc__rng_half(r, &h) < comply) {
			q->choice[i] = (uint8_t)of[q->kin[i]];
			boost(&q->prop[i], p->cace_turnout);
			o->endorsed++;
		}
	}
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
	if (bloc__rng_uniform(r) < p->persuasion) {
		q->choice[who] = (uint8_t)c;
		q->told[who] = 1;
	}
	for (i = lo; i < hi; i++) {
		if (i == who)
			continue;
		boost(&q->prop[i], p->spillover * p->cace_turnout);
		if (bloc__rng_uniform(r) < p->spillover * p->persuasion) {
			q->choice[i] = (uint8_t)c;
			q->told[i] = 1;
		}
	}
}

/* Doorstep campaigns: budget doors knocked. When targeting, each of the group's households once
 * (in a random order) before any other door, then doors anywhere in the seat; otherwise doors
 * anywhere (a door may be knocked twice). Someone talks at contact_rate of them. */
static void doorstep(struct pop *q, const bloc_sim_params *p, bloc_rng *r, bloc_sim_outcome *o)
{
	uint32_t *order = q->work; /* the group's households in the order knocked */
	size_t c, k, ghh = 0;

	while (ghh < q->nhh && q->hh_off[ghh] < q->ngroup)
		ghh++;
	if (!p->doorstep_target)
		ghh = 0;
	for (c = 0; c < p->ncand; c++) {
		const size_t budget = (size_t)p->budget[c];
		if (p->strategy[c] != BLOC_SIM_DOORSTEP && p->strategy[c] != BLOC_SIM_BOTH)
			continue;
		for (k = 0; k < ghh; k++)
			order[k] = (uint32_t)k;
		for (k = 0; k < budget; k++) {
			size_t h;
			if (k < ghh) { /* a step of Fisher and Yates's shuffle */
				const size_t j = k + (size_t)bloc_rng_below(r, ghh - k);
				const uint32_t t = order[j];
				order[j] = order[k];
				order[k] = t;
				h = t;
			} else
				h = (size_t)bloc_rng_below(r, q->nhh);
			if (bloc__rng_uniform(r) >= p->contact_rate)
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
static void word_of_mouth(struct pop *q, const bloc_sim_params *p, bloc_rng *r)
{
	uint32_t *queue = q->work; /* each elector enters once */
	size_t head = 0, tail = 0, gen, i;

	if (!p->rounds || !(p->word_of_mouth > 0))
		return;
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
				if (q->told[j] || bloc__rng_uniform(r) >= p->word_of_mouth)
					continue;
				q->told[j] = 1;
				q->choice[j] = q->choice[from];
				queue[tail++] = (uint32_t)j;
			}
		}
	}
}

/* The gap to the next success of a run of Bernoulli(p) trials (0 when the next trial succeeds):
 * geometric, by inversion (log1m = log(1 - p) < 0). */
static size_t skip(bloc_rng *r, double log1m)
{
	const double g = floor(log(1 - bloc__rng_uniform(r)) / log1m);
	return g < 4e18 ? (size_t)g : SIZE_MAX / 2;
}

/* Influence: each round every elector with friends copies a random friend's choice with
 * probability `influence` (a noisy voter model, updated together from the last round's
 * choices). The electors who copy are found by geometric skips, not a draw each. */
static void influence(struct pop *q, const bloc_sim_params *p, bloc_rng *r)
{
	const double log1m = log1p(-(p->influence < 1 ? p->influence : 0.5));
	size_t t, i;

	if (!p->rounds || !(p->influence > 0))
		return;
	for (t = 0; t < p->rounds; t++) {
		memcpy(q->next, q->choice, q->n);
		for (i = p->influence < 1 ? skip(r, log1m) : 0; i < q->n;
		     i += 1 + (p->influence < 1 ? skip(r, log1m) : 0)) {
			const size_t d = q->fr_off[i + 1] - q->fr_off[i];
			if (d)
				q->next[i] = q->choice[q->fr[q->fr_off[i] + bloc_rng_below(r, d)]];
		}
		memcpy(q->choice, q->next, q->n);
	}
}

int bloc_sim_run_in(bloc_sim_workspace *w, bloc_sim_outcome *out, const bloc_sim_params *p,
                    uint64_t seed, uint64_t replicate)
{
	struct pop *q = &w->q;
	bloc_rng r;
	size_t i, c;
	double voted = 0;
	int err;

	memset(out, 0, sizeof(*out));
	bloc_rng_seed(&r, seed, replicate);
	if ((err = build(w, p, &r)) < 0)
		return err;
	out->bytes = pop_bytes(q, p);
	out->ties = q->tie_sample;
	out->ties_part = q->tie_part;
	out->ties_age = q->tie_age;
	out->ties_sex = q->tie_sex;
	brokers(q, p, &r, out);
	doorstep(q, p, &r, out);
	word_of_mouth(q, p, &r);
	influence(q, p, &r);
	{
		/* whole-number counts, per candidate and per sex x age band x part */
		uint32_t votes[BLOC_SIM_MAX_CANDIDATES] = {0}, voters[2 * BLOC_SIM_AGES * 2] = {0},
		         moved[2 * BLOC_SIM_AGES * 2] = {0};
		size_t s_, a, g;
		bloc__halves h = {0, 0};
		for (i = 0; i < q->n; i++) {
			const size_t cell =
			    ((size_t)q->sex[i] * BLOC_SIM_AGES + q->age[i]) * 2 + q->grp[i];
			if (bloc__rng_half(&r, &h) >= q->prop[i])
				continue;
			votes[q->choice[i]]++;
			voters[cell]++;
			moved[cell] += q->choice[i] != q->lean[i];
		}
		for (c = 0; c < BLOC_SIM_MAX_CANDIDATES; c++) {
			out->votes[c] = votes[c];
			voted += votes[c];
		}
		for (s_ = 0; s_ < 2; s_++)
			for (a = 0; a < BLOC_SIM_AGES; a++)
				for (g = 0; g < 2; g++) {
					out->voters[s_][a][g] =
					    voters[(s_ * BLOC_SIM_AGES + a) * 2 + g];
					out->moved[s_][a][g] =
					    moved[(s_ * BLOC_SIM_AGES + a) * 2 + g];
				}
	}
	out->turnout = voted / (double)q->n;
	for (c = 1; c < p->ncand; c++)
		if (out->votes[c] > out->votes[out->winner])
			out->winner = c;
	return BLOC_OK;
}

int bloc_sim_run(bloc_sim_outcome *out, const bloc_sim_params *p, uint64_t seed, uint64_t replicate)
{
	bloc_sim_workspace *w = bloc_sim_workspace_new();
	int err;

	if (!w) {
		memset(out, 0, sizeof(*out));
		return bloc_error_oom("a simulation's workspace");
	}
	err = bloc_sim_run_in(w, out, p, seed, replicate);
	bloc_sim_workspace_free(w);
	return err;
}

int bloc_sim_canvass_experiment(bloc_sim_canvass_result *out, const bloc_sim_params *p,
                                double treat, uint64_t seed)
{
	bloc_sim_workspace *w = bloc_sim_workspace_new();
	struct pop *q = w ? &w->q : NULL;
	bloc_rng r;
	uint8_t *arm = NULL; /* per household: 0 control, 1 assigned, 2 assigned and contacted */
	size_t *target = NULL, h, i;
	double sum[3] = {0, 0, 0}, cnt[3] = {0, 0, 0}, mate[3] = {0, 0, 0}, mcnt[3] = {0, 0, 0};
	int err;

	memset(out, 0, sizeof(*out));
	if (!w)
		return bloc_error_oom("a simulation's workspace");
	bloc_rng_seed(&r, seed, 0);
	if ((err = build(w, p, &r)) < 0)
		goto done;
	arm = bloc_calloc(q->nhh + 1, 1);
	target = bloc_malloc((q->nhh + 1) * sizeof(*target));
	if (!arm || !target) {
		err = bloc_error_oom("a canvassing experiment");
		goto done;
	}
	/* each household's door answerer is fixed before assignment, in both arms alike */
	for (h = 0; h < q->nhh; h++) {
		target[h] =
		    q->hh_off[h] + (size_t)bloc_rng_below(&r, q->hh_off[h + 1] - q->hh_off[h]);
		if (bloc__rng_uniform(&r) < treat) {
			arm[h] = 1;
			if (bloc__rng_uniform(&r) < p->contact_rate) {
				arm[h] = 2;
				boost(&q->prop[target[h]], p->cace_turnout);
				for (i = q->hh_off[h]; i < q->hh_off[h + 1]; i++)
					if (i != target[h])
						boost(&q->prop[i], p->spillover * p->cace_turnout);
			}
		}
	}
	for (h = 0; h < q->nhh; h++)
		for (i = q->hh_off[h]; i < q->hh_off[h + 1]; i++) {
			const double v = bloc__rng_uniform(&r) < q->prop[i];
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
	bloc_sim_workspace_free(w);
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
			if (!seen[j] && bloc__rng_uniform(r) < pass) {
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
	bloc_sim_workspace *w = bloc_sim_workspace_new();
	struct pop *q = w ? &w->q : NULL;
	bloc_rng r;
	size_t *s = NULL, *queue = NULL, k;
	uint8_t *seen = NULL;
	int err;

	*reach_random = *reach_nominated = 0;
	if (!w)
		return bloc_error_oom("a simulation's workspace");
	bloc_rng_seed(&r, seed, 0);
	if ((err = build(w, p, &r)) < 0)
		goto done;
	s = bloc_malloc((seeds + 1) * sizeof(*s));
	queue = bloc_malloc((q->n + 1) * sizeof(*queue));
	seen = bloc_malloc(q->n + 1);
	if (!s || !queue || !seen) {
		err = bloc_error_oom("a seeding experiment");
		goto done;
	}
	for (k = 0; k < seeds; k++)
		s[k] = (size_t)bloc_rng_below(&r, q->n);
	*reach_random = cascade(q, s, seeds, pass, &r, seen, queue);
	for (k = 0; k < seeds; k++) {
		size_t i = (size_t)bloc_rng_below(&r, q->n), d = q->fr_off[i + 1] - q->fr_off[i];
		s[k] = d ? q->fr[q->fr_off[i] + bloc_rng_below(&r, d)] : i;
	}
	*reach_nominated = cascade(q, s, seeds, pass, &r, seen, queue);
done:
	bloc_free(s);
	bloc_free(queue);
	bloc_free(seen);
	bloc_sim_workspace_free(w);
	return err;
}
