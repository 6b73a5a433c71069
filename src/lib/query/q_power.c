/* bloc power: where a census group's cohesive vote can decide a seat, seat by seat (decisive:
 * the decisive seats only), for every group (summary), or against cohesion (curve). */
#include "query_int.h"

#include "../core/alloc.h"
#include "../util/num.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OFF(type, field) offsetof(struct type, field)

/* Monte Carlo limits: beyond these a run takes hours, and a typo is likelier than intent. */
#define SIMS_MAX    100000000.0
#define THREADS_MAX 1024.0

/* The curve's grid: cohesion 0.50, 0.55, ..., 1.00. */
#define CURVE_POINTS 11

struct power_rq {
	struct bloc__request_head h;
	const char *contest, *group, *census;
	double cohesion, turnout, adult_ratio;
	unsigned long long sims, seed, threads;
	int decisive, summary, curve;
	/* support and third, merged as given */
	bloc_power_options o;
};

/* One support list, "LAB=87,CON=9", merged into the options (a later value for a party
 * replaces the earlier one). */
static int set_support(void *rq, const char *key, const char *list)
{
	bloc_power_options *o = &((struct power_rq *)rq)->o;
	const size_t cap = sizeof(o->support) / sizeof(o->support[0]);
	const char *s = list;

	(void)key;
	if (!*s)
		return bloc_error_set(BLOC_EINVAL, "--support: expected PARTY=POINTS,..., got ''");
	for (;;) {
		size_t len = strcspn(s, ","), eq = strcspn(s, "="), j;
		char label[64], num[64];
		bloc_party p;
		double v;

		if (eq >= len || eq == 0 || eq >= sizeof(label))
			return bloc_error_set(BLOC_EINVAL,
			                      "--support: expected PARTY=POINTS (such as LAB=87), "
			                      "got '%.*s'",
			                      (int)(len < 40 ? len : 40), s);
		memcpy(label, s, eq);
		label[eq] = '\0';
		if (bloc_party_lookup(label, &p) < 0)
			return bloc_error_set(
			    BLOC_ENOTFOUND,
			    "--support: unknown party '%s' (a code such as LAB, CON, "
			    "GRN, IND, or a name such as \"Labour\")",
			    label);
		snprintf(num, sizeof(num), "%.*s", (int)(len - eq - 1), s + eq + 1);
		if (len - eq - 1 >= sizeof(num) || bloc__parse_real(num, &v) < 0 ||
		    !(v >= 0 && v <= 100))
			return bloc_error_set(BLOC_EINVAL,
			                      "--support: %s: expected points from 0 to 100, got "
			                      "'%.*s'",
			                      label, (int)(len - eq - 1 < 40 ? len - eq - 1 : 40),
			                      s + eq + 1);
		for (j = 0; j < o->nsupport && o->support_party[j] != p; j++)
			;
		if (j == o->nsupport) {
			if (o->nsupport == cap)
				return bloc_error_set(BLOC_EINVAL, "--support: at most %zu parties",
				                      cap);
			o->support_party[o->nsupport++] = p;
		}
		o->support[j] = v;
		if (!s[len])
			return BLOC_OK;
		s += len + 1;
	}
}

static int set_third(void *rq, const char *key, const char *value)
{
	(void)key;
	if (bloc_party_lookup(value, &((struct power_rq *)rq)->o.third) < 0)
		return bloc_error_set(
		    BLOC_ENOTFOUND,
		    "--third: unknown party '%s' (a code such as GRN, IND, WPB, or "
		    "a name such as \"Green\")",
		    value);
	return BLOC_OK;
}

static const struct bloc__param power_params[] = {
    {"contest", BLOC__P_TEXT, OFF(power_rq, contest), NULL, 0, 0, 0, NULL, NULL},
    {"group", BLOC__P_TEXT, OFF(power_rq, group), NULL, 0, 0, 0, NULL, NULL},
    {"census", BLOC__P_TEXT, OFF(power_rq, census), NULL, 0, 0, 0, NULL, NULL},
    {"cohesion", BLOC__P_REAL, OFF(power_rq, cohesion), "a fraction from 0 to 1 (such as 0.87)", 0,
     1, 1, NULL, NULL},
    {"turnout", BLOC__P_REAL, OFF(power_rq, turnout), "a fraction from 0 to 1 (such as 0.6)", 0, 1,
     1, NULL, NULL},
    {"adult-ratio", BLOC__P_REAL, OFF(power_rq, adult_ratio), "a ratio above 0 (such as 0.8)", 0,
     1e6, 1, NULL, NULL},
    {"support", BLOC__P_CUSTOM, 0, NULL, 0, 0, 1, NULL, set_support},
    {"third", BLOC__P_CUSTOM, 0, NULL, 0, 0, 1, NULL, set_third},
    {"sims", BLOC__P_WHOLE, OFF(power_rq, sims), NULL, 0, SIMS_MAX, 0, NULL, NULL},
    {"seed", BLOC__P_WHOLE, OFF(power_rq, seed), NULL, 0, BLOC__WHOLE_MAX, 0, NULL, NULL},
    {"threads", BLOC__P_WHOLE, OFF(power_rq, threads), NULL, 0, THREADS_MAX, 0, NULL, NULL},
    {"decisive", BLOC__P_FLAG, OFF(power_rq, decisive), NULL, 0, 0, 0, NULL, NULL},
    {"summary", BLOC__P_FLAG, OFF(power_rq, summary), NULL, 0, 0, 0, NULL, NULL},
    {"curve", BLOC__P_FLAG, OFF(power_rq, curve), NULL, 0, 0, 0, NULL, NULL},
    {NULL, 0, 0, NULL, 0, 0, 0, NULL, NULL}};

static void init_power(void *rq)
{
	bloc_power_options_init(&((struct power_rq *)rq)->o);
}

static int check_power(const void *rq)
{
	const struct power_rq *r = rq;
	double sum = 0;
	size_t i;

	if (!r->contest || !*r->contest)
		return bloc_error_set(BLOC_EUSAGE, "expected CONTEST");
	if (r->summary + r->curve + r->decisive > 1)
		return bloc_error_set(BLOC_EUSAGE,
		                      "--summary, --curve and --decisive are different "
		                      "views: give one");
	if (r->summary && r->group)
		return bloc_error_set(BLOC_EUSAGE,
		                      "--summary covers every group: leave --group out");
	if (!r->summary && !r->group)
		return bloc_error_set(BLOC_EUSAGE,
		                      "--group NAME is required (or --summary for every group)");
	if (r->curve && bloc__given(rq, "cohesion"))
		return bloc_error_set(BLOC_EUSAGE, "--curve varies the cohesion from 0.50 to 1.00: "
		                                   "leave --cohesion out");
	/* 0 would read as "the seat's turnout" in the options: say so rather than guess. */
	if (bloc__given(rq, "turnout") && r->turnout == 0)
		return bloc_error_set(
		    BLOC_EINVAL, "--turnout: 0 means nobody in the group votes; give a fraction "
		                 "above 0, or leave --turnout out for each seat's own turnout");
	if (bloc__given(rq, "adult-ratio") && r->adult_ratio == 0)
		return bloc_error_set(BLOC_EINVAL,
		                      "--adult-ratio: expected a ratio above 0, got '0'");
	for (i = 0; i < r->o.nsupport; i++)
		sum += r->o.support[i];
	if (sum > 100 + 1e-9)
		return bloc_error_set(
		    BLOC_EINVAL,
		    "--support: the shares add up to %g points, above 100 (the "
		    "rest of the group, up to 100, votes for other parties or none)",
		    sum);
	return BLOC_OK;
}

/* The simulations it will run within the limit. */
static int power_within(const void *rq, const bloc_limits *lim)
{
	const struct power_rq *r = rq;
	unsigned long long sims = bloc__given(r, "sims") ? r->sims : r->o.sims;

	if (lim->max_sims && sims > lim->max_sims)
		return bloc__over_limit(lim, "sims", lim->max_sims);
	return BLOC_OK;
}

/* The options as given over their defaults. */
static void options(const struct power_rq *r, bloc_power_options *o)
{
	*o = r->o;
	if (bloc__given(r, "sims"))
		o->sims = r->sims;
	if (bloc__given(r, "seed"))
		o->seed = r->seed;
	if (bloc__given(r, "threads"))
		o->threads = (unsigned)r->threads;
	if (bloc__given(r, "cohesion"))
		o->cohesion = r->cohesion;
	if (bloc__given(r, "turnout"))
		o->turnout = r->turnout;
	if (bloc__given(r, "adult-ratio"))
		o->adult_ratio = r->adult_ratio;
}

/* Is `path` (relative to the data directory) one of the " + "-joined files in `sources`? */
static int uses_file(const char *sources, const char *path)
{
	size_t n = strlen(path);
	const char *s = sources;

	while (s && *s) {
		const char *sep = strstr(s, " + ");
		size_t len = sep ? (size_t)(sep - s) : strlen(s);
		if (len >= n && strncmp(s + len - n, path, n) == 0 &&
		    (len == n || s[len - n - 1] == '/'))
			return 1;
		s = sep ? sep + 3 : NULL;
	}
	return 0;
}

/* Group `name`'s shares for c's seats: the census matching c's boundaries; with a census, a
 * catalogue census (which must be the one that matches) or a `code,group,share` file. */
static int open_group(bloc_store *st, const bloc_contest *c, const char *census, const char *name,
                      const bloc_group_shares **out)
{
	const bloc_catalog_entry *e;
	int err;

	if (!census)
		return bloc_store_group_shares(st, c, name, out);
	if (!(e = bloc_dataset_find(bloc_store_catalog(st), census)))
		return bloc_store_group_shares_file(st, c, census, name, out);
	if (strcmp(e->kind, "census") != 0)
		return bloc_error_set(BLOC_EINVAL,
		                      "--census: '%s' is a %s in the catalogue, not a census (give "
		                      "a census id or a code,group,share file)",
		                      census, *e->kind ? e->kind : "entry");
	if ((err = bloc_store_group_shares(st, c, name, out)) < 0)
		return err;
	if (!uses_file((*out)->source, e->path))
		return bloc_error_set(
		    BLOC_EINVAL,
		    "--census: %s (%s) is not the census for group %s on the seats "
		    "of %s: that is the %s (%s). For other shares, give a "
		    "code,group,share file",
		    census, e->path, (*out)->group, c->id, (*out)->census, (*out)->source);
	return BLOC_OK;
}

/* Every census group side by side. With a shares file, the groups it holds (others are named
 * in the metadata). */
static int run_summary(bloc_store *st, const struct power_rq *r, const bloc_contest *c,
                       const bloc_power_options *o, bloc_table **t)
{
	const size_t ng = bloc_group_count();
	bloc_group_shares *g = bloc_calloc(ng + 1, sizeof(*g));
	bloc_power *p = bloc_calloc(ng + 1, sizeof(*p));
	const int file = r->census && !bloc_dataset_find(bloc_store_catalog(st), r->census);
	char absent[512];
	size_t i, n = 0, len = 0;
	int err = BLOC_OK;

	absent[0] = '\0';
	if (!g || !p) {
		err = bloc_error_oom("comparing %zu groups", ng);
		goto done;
	}
	for (i = 0; i < ng; i++) {
		const char *name = bloc_group_name(i);
		const bloc_group_shares *gi;
		if ((err = open_group(st, c, r->census, name, &gi)) == BLOC_ENOTFOUND && file) {
			/* a shares file need not hold every census group */
			int w = snprintf(absent + len, sizeof(absent) - len, "%s%s",
			                 len ? ", " : "", name);
			if (w > 0 && (size_t)w < sizeof(absent) - len)
				len += (size_t)w;
			bloc_error_clear();
			err = BLOC_OK;
			continue;
		}
		if (err < 0)
			goto done;
		g[n] = *gi; /* shallow: the store keeps it */
		if ((err = bloc_power_compute(&p[n], c, &g[n], o)) < 0)
			goto done;
		n++;
	}
	if (n == 0) {
		err = bloc_error_set(BLOC_ENOTFOUND,
		                     "--census: %s holds none of the census groups (%s)", r->census,
		                     absent);
		goto done;
	}
	if ((err = bloc_render_power_summary(t, c, g, p, n, o)) < 0)
		goto done;
	if (len)
		err = bloc_table_meta(*t, "note", "groups not in %s: %s", r->census, absent);
done:
	for (i = 0; p && i < ng; i++)
		bloc_power_dispose(&p[i]);
	bloc_free(g);
	bloc_free(p);
	return err;
}

/* Seats decidable against cohesion: the same run at each point of the grid. */
static int run_curve(const bloc_contest *c, const bloc_group_shares *g, const bloc_power_options *o,
                     bloc_table **t)
{
	double cohesion[CURVE_POINTS];
	bloc_power p[CURVE_POINTS];
	bloc_power_options oc = *o;
	size_t i, n = 0;
	int err = BLOC_OK;

	memset(p, 0, sizeof(p));
	for (i = 0; i < CURVE_POINTS; i++) {
		cohesion[i] = (double)(50 + 5 * i) / 100; /* 0.55, not 0.5 + 0.05 */
		oc.cohesion = cohesion[i];
		n = i + 1;
		if ((err = bloc_power_compute(&p[i], c, g, &oc)) < 0)
			goto done;
	}
	err = bloc_render_power_curve(t, c, g, o, cohesion, p, CURVE_POINTS);
done:
	for (i = 0; i < n; i++)
		bloc_power_dispose(&p[i]);
	return err;
}

static int run_power(bloc_answer *out, bloc_store *st, const void *rq)
{
	const struct power_rq *r = rq;
	const bloc_group_shares *g;
	bloc_power_options o;
	bloc_power p;
	const bloc_contest *c;
	bloc_table *t = NULL;
	int err;

	memset(&p, 0, sizeof(p));
	options(r, &o);
	if ((err = bloc_store_contest(st, r->contest, &c)) < 0)
		return err;
	if (r->summary)
		err = run_summary(st, r, c, &o, &t);
	else if ((err = open_group(st, c, r->census, r->group, &g)) < 0)
		goto done;
	else if (r->curve)
		err = run_curve(c, g, &o, &t);
	else if ((err = bloc_power_compute(&p, c, g, &o)) == BLOC_OK)
		err = bloc_render_power(&t, c, g, &o, &p,
		                        r->decisive ? BLOC_POWER_VIEW_DECISIVE
		                                    : BLOC_POWER_VIEW_SEATS);
	if (err < 0 || (err = bloc_store_meta_source(st, t, "contest_source", c)) < 0)
		goto done;
	err = bloc__finish_table(out, st, t);
	t = NULL;
done:
	bloc_table_free(t);
	bloc_power_dispose(&p);
	return err;
}

const struct bloc__query bloc__q_power = {.name = "power",
                                          .size = sizeof(struct power_rq),
                                          .params = power_params,
                                          .init = init_power,
                                          .check = check_power,
                                          .run = run_power,
                                          .heavy = 1,
                                          .within = power_within};
