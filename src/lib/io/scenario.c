/* Scenarios as text: the same "what if" from CLI-style flags ("LAB=34,CON=24", "muslim:LAB=-20"),
 * a JSON document or file, and back to JSON. Nothing here projects anything; it only checks and
 * stores what the user asked for, so that every front-end reports the same errors in the same
 * words. (The checks live beside the parsers: io/ cannot call into project/.)
 *
 * Every change is atomic: a flag or document that fails leaves the scenario as it was. A repeated
 * setting merges: shares for an area already given replace that area's listed parties one by one
 * (later values win) and keep the others; a group's changes likewise; a swing between the same
 * two parties replaces the earlier one. A JSON document is applied on top of the scenario the
 * caller passes (bloc_scenario_init it first for a fresh one), exactly as its flags would be. */
#include "bloc/io.h"

#include "bloc/error.h"
#include "bloc/groups.h"
#include "../core/alloc.h"
#include "../util/json.h"
#include "../util/num.h"
#include "../util/path.h"
#include "../util/utf8.h"

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* A scenario file larger than this is not a scenario (the largest sensible one is a few KB). */
#define SCENARIO_MAX_BYTES (1u << 20)

/* Shares in one area may add up to 100 and a little rounding above it (34.1+33.3+32.6...). */
#define SUM_SLACK 1e-6

/* Bounds on the ratios: a census share times both must stay a share; 10 is far above any real
 * group and catches a percentage typed for a fraction ("80" for 0.8). */
#define RATIO_MAX 10.0

/* ---- checks shared by flags and JSON; `ctx` names where the value came from ---------------- */

/* A number: decimal digits, sign, point and exponent only (no "nan", "inf" or hex), finite. */
static int parse_number(const char *ctx, const char *what, const char *text, size_t len,
                        double *out)
{
	char buf[64], *end;
	size_t i;

	while (len && isspace((unsigned char)*text))
		text++, len--;
	while (len && isspace((unsigned char)text[len - 1]))
		len--;
	if (len == 0)
		return bloc_error_set(BLOC_EINVAL, "%s%s%s: expected a number, found nothing", ctx,
		                      what ? ": " : "", what ? what : "");
	if (len >= sizeof(buf))
		return bloc_error_set(BLOC_EINVAL, "%s%s%s: expected a number, found '%.24s...'",
		                      ctx, what ? ": " : "", what ? what : "", text);
	for (i = 0; i < len; i++)
		if (!strchr("0123456789+-.eE", text[i]))
			break;
	memcpy(buf, text, len);
	buf[len] = '\0';
	errno = 0;
	*out = i == len ? strtod(buf, &end) : 0;
	if (i != len || end != buf + len || errno == ERANGE || !isfinite(*out))
		return bloc_error_set(BLOC_EINVAL, "%s%s%s: expected a number, found '%s'", ctx,
		                      what ? ": " : "", what ? what : "", buf);
	return BLOC_OK;
}

static int check_range(const char *ctx, const char *what, double v, double lo, double hi,
                       const char *unit)
{
	if (!isfinite(v) || v < lo || v > hi)
		return bloc_error_set(BLOC_EINVAL, "%s%s%s: %g is out of range (%g to %g %s)", ctx,
		                      what ? ": " : "", what ? what : "", v, lo, hi, unit);
	return BLOC_OK;
}

/* A party by code or name; stored under its successor (BRX as REF), as projections count it. */
static int find_party(const char *ctx, const char *label, size_t len, bloc_party *out)
{
	char buf[128];
	size_t i, n = 0;
	char codes[256];

	if (len >= sizeof(buf))
		len = sizeof(buf) - 1;
	memcpy(buf, label, len);
	buf[len] = '\0';
	if (bloc_party_lookup(buf, out) == BLOC_OK) {
		*out = bloc_party_successor(*out);
		return BLOC_OK;
	}
	codes[0] = '\0';
	for (i = 0; i < bloc_party_count() && n + 8 < sizeof(codes); i++)
		n += (size_t)snprintf(codes + n, sizeof(codes) - n, "%s%s", i ? " " : "",
		                      bloc_party_code((bloc_party)i));
	for (i = 0; buf[i] == ' '; i++)
		;
	return bloc_error_set(BLOC_EINVAL,
	                      "%s: unknown party '%s' (codes: %s; names such as \"Labour\")", ctx,
	                      buf + i, codes);
}

/* The canonical name of census group `name`, or an error listing the groups. */
static int find_group(const char *ctx, const char *name, const char **out)
{
	char known[512];
	size_t i, n = 0;
	long g = bloc_group_find(name);

	if (g >= 0) {
		*out = bloc_group_name((size_t)g);
		return BLOC_OK;
	}
	known[0] = '\0';
	for (i = 0; i < bloc_group_count() && n + 2 < sizeof(known); i++) {
		int w = snprintf(known + n, sizeof(known) - n, "%s%s", i ? ", " : "",
		                 bloc_group_name(i));
		if (w < 0 || (size_t)w >= sizeof(known) - n)
			break;
		n += (size_t)w;
	}
	return bloc_error_set(BLOC_EINVAL, "%s: unknown group '%.40s' (groups: %s)", ctx, name,
	                      *known ? known : "none");
}

/* An area name as given: not empty, fits, no control characters, UTF-8. */
static int check_area_name(const char *ctx, const char *name, size_t len)
{
	size_t i;

	if (len == 0)
		return bloc_error_set(BLOC_EINVAL, "%s: the area name is empty", ctx);
	if (len >= sizeof(((bloc_area_shares *)0)->area))
		return bloc_error_set(BLOC_EINVAL,
		                      "%s: area name '%.24s...' is too long (at most %zu bytes)",
		                      ctx, name, sizeof(((bloc_area_shares *)0)->area) - 1);
	for (i = 0; i < len; i++)
		if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f)
			return bloc_error_set(BLOC_EINVAL,
			                      "%s: area name contains a control character", ctx);
	if (!bloc__utf8_valid_n(name, len))
		return bloc_error_set(BLOC_EINVAL, "%s: area name is not valid UTF-8", ctx);
	return BLOC_OK;
}

/* Put (p, v) into list[0..*n): replace p's value, else append within the limit. */
static int list_put(const char *ctx, const char *what, bloc_party_value *list, size_t *n,
                    bloc_party p, double v)
{
	size_t i;

	for (i = 0; i < *n; i++) {
		if (list[i].party == p) {
			list[i].value = v;
			return BLOC_OK;
		}
	}
	if (*n == BLOC_SCENARIO_MAX_LIST)
		return bloc_error_set(BLOC_EINVAL, "%s: too many parties in %s (at most %d)", ctx,
		                      what, BLOC_SCENARIO_MAX_LIST);
	list[*n].party = p;
	list[*n].value = v;
	(*n)++;
	return BLOC_OK;
}

static int list_has(const bloc_party_value *list, size_t n, bloc_party p)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (list[i].party == p)
			return 1;
	return 0;
}

/* Target shares for `area` ("" = the whole contest): merged into the area's shares, then the
 * area's total must not pass 100. */
static int put_area(bloc_scenario *s, const char *ctx, const char *area, size_t arealen,
                    const bloc_party_value *vals, size_t n)
{
	bloc_area_shares merged;
	double sum = 0;
	size_t a, i;
	int err;

	for (a = 0; a < s->nareas; a++)
		if (strlen(s->areas[a].area) == arealen &&
		    strncasecmp(s->areas[a].area, area, arealen) == 0)
			break;
	if (a == s->nareas) {
		if (s->nareas == BLOC_SCENARIO_MAX_AREAS)
			return bloc_error_set(BLOC_EINVAL, "%s: too many areas (at most %d)", ctx,
			                      BLOC_SCENARIO_MAX_AREAS);
		memset(&merged, 0, sizeof(merged));
		memcpy(merged.area, area, arealen);
	} else {
		merged = s->areas[a];
	}
	for (i = 0; i < n; i++)
		if ((err = list_put(ctx, arealen ? merged.area : "the national shares",
		                    merged.shares, &merged.n, vals[i].party, vals[i].value)) < 0)
			return err;
	for (i = 0; i < merged.n; i++)
		sum += merged.shares[i].value;
	if (sum > 100 + SUM_SLACK)
		return bloc_error_set(BLOC_EINVAL,
		                      "%s: the shares %s%s%s add up to %.2f points, "
		                      "above 100",
		                      ctx, arealen ? "in '" : "", arealen ? merged.area : "given",
		                      arealen ? "'" : "", sum);
	s->areas[a] = merged;
	if (a == s->nareas)
		s->nareas++;
	return BLOC_OK;
}

static int put_group(bloc_scenario *s, const char *ctx, const char *group,
                     const bloc_party_value *vals, size_t n, const double *turnout)
{
	bloc_group_shift merged;
	size_t g, i;
	int err;

	for (g = 0; g < s->ngroups; g++)
		if (strcmp(s->groups[g].group, group) == 0)
			break;
	if (g == s->ngroups) {
		if (s->ngroups == BLOC_SCENARIO_MAX_GROUPS)
			return bloc_error_set(BLOC_EINVAL, "%s: too many groups (at most %d)", ctx,
			                      BLOC_SCENARIO_MAX_GROUPS);
		if (strlen(group) >= sizeof(merged.group))
			return bloc_error_set(BLOC_EINVAL, "%s: group name '%s' is too long", ctx,
			                      group);
		memset(&merged, 0, sizeof(merged));
		memcpy(merged.group, group, strlen(group));
	} else {
		merged = s->groups[g];
	}
	for (i = 0; i < n; i++)
		if ((err = list_put(ctx, merged.group, merged.change, &merged.n, vals[i].party,
		                    vals[i].value)) < 0)
			return err;
	if (turnout)
		merged.turnout = *turnout;
	s->groups[g] = merged;
	if (g == s->ngroups)
		s->ngroups++;
	return BLOC_OK;
}

static int put_swing(bloc_scenario *s, const char *ctx, bloc_party from, bloc_party to,
                     double points)
{
	size_t i;

	if (from == to)
		return bloc_error_set(BLOC_EINVAL, "%s: a swing from %s to itself", ctx,
		                      bloc_party_code(from));
	for (i = 0; i < s->nswings; i++) {
		if (s->swings[i].from == from && s->swings[i].to == to) {
			s->swings[i].points = points;
			return BLOC_OK;
		}
	}
	if (s->nswings == BLOC_SCENARIO_MAX_SWINGS)
		return bloc_error_set(BLOC_EINVAL, "%s: too many swings (at most %d)", ctx,
		                      BLOC_SCENARIO_MAX_SWINGS);
	s->swings[s->nswings].from = from;
	s->swings[s->nswings].to = to;
	s->swings[s->nswings].points = points;
	s->nswings++;
	return BLOC_OK;
}

static int set_threshold(bloc_scenario *s, const char *ctx, double v)
{
	if (!(v > 0 && v < 1))
		return bloc_error_set(BLOC_EINVAL,
		                      "%s: %g is out of range (a fraction of turnout above 0 and "
		                      "below 1, such as 0.2)",
		                      ctx, v);
	s->threshold = v;
	return BLOC_OK;
}

static int set_ratio(double *dst, const char *ctx, double v)
{
	if (!(v > 0 && v <= RATIO_MAX))
		return bloc_error_set(
		    BLOC_EINVAL,
		    "%s: %g is out of range (a ratio above 0 and at most %g, such "
		    "as 0.8)",
		    ctx, v, RATIO_MAX);
	*dst = v;
	return BLOC_OK;
}

static int set_model(bloc_scenario *s, const char *ctx, const char *name)
{
	int m;

	if (bloc_model_parse(name, &m) < 0)
		return bloc_error_set(
		    BLOC_EINVAL,
		    "%s: unknown model '%.40s' (uniform, proportional, transition "
		    "or strong)",
		    ctx, name);
	s->model = m;
	return BLOC_OK;
}

static int set_base(bloc_scenario *s, const char *ctx, const char *base)
{
	if (strlen(base) >= sizeof(s->base))
		return bloc_error_set(BLOC_EINVAL, "%s: too long (at most %zu bytes)", ctx,
		                      sizeof(s->base) - 1);
	if (!bloc__utf8_valid_n(base, strlen(base)))
		return bloc_error_set(BLOC_EINVAL, "%s: not valid UTF-8", ctx);
	memcpy(s->base, base, strlen(base) + 1);
	return BLOC_OK;
}

/* A tolerance in points, above 0 and at most 5: the shares are held to it. */
static int set_hold_tolerance(bloc_scenario *s, const char *ctx, double v, const char *text)
{
	if (!(v > 0 && v <= 5))
		return bloc_error_set(
		    BLOC_EINVAL,
		    "%s: expected yes, no or a tolerance in points above 0 and at "
		    "most 5 (such as 0.05), found '%.40s'",
		    ctx, text);
	s->hold_shares = 1;
	s->hold_tolerance = v;
	return BLOC_OK;
}

/* "yes", "no" (and the usual spellings), or a tolerance in points (which means yes). */
static int set_hold(bloc_scenario *s, const char *ctx, const char *value)
{
	static const char *const yes[] = {"yes", "true", "on", "1"}, *const no[] = {"no", "false",
	                                                                            "off", "0"};
	double v;
	size_t i;

	for (i = 0; i < 4; i++) {
		if (strcasecmp(value, yes[i]) == 0) {
			s->hold_shares = 1;
			return BLOC_OK;
		}
		if (strcasecmp(value, no[i]) == 0) {
			s->hold_shares = 0;
			return BLOC_OK;
		}
	}
	if (parse_number(ctx, NULL, value, strlen(value), &v) < 0)
		v = NAN; /* the same message as a number out of range */
	return set_hold_tolerance(s, ctx, v, value);
}

/* "PARTY[:Name]@SEAT,SEAT...": a new candidate in each seat named (a code, a name, or "all"). */
static int add_stands(bloc_scenario *s, const char *ctx, const char *value)
{
	const char *at_sign = strchr(value, '@'), *colon, *p;
	char label[128], name[64] = "";
	size_t len, k;
	bloc_party party;
	int err;

	if (!at_sign || at_sign == value)
		return bloc_error_set(BLOC_EINVAL,
		                      "%s: expected PARTY@SEAT,... (for example IND:George "
		                      "Galloway@Rochdale, RES@E14000589, REF@all), found '%.60s'",
		                      ctx, value);
	colon = memchr(value, ':', (size_t)(at_sign - value));
	len = (size_t)((colon ? colon : at_sign) - value);
	if (len >= sizeof(label))
		len = sizeof(label) - 1;
	memcpy(label, value, len);
	label[len] = '\0';
	if ((err = find_party(ctx, label, len, &party)) < 0)
		return err;
	if (colon) {
		size_t n = (size_t)(at_sign - colon - 1);
		while (n && isspace((unsigned char)colon[1]))
			colon++, n--;
		while (n && isspace((unsigned char)colon[n]))
			n--;
		if (party != bloc_party_ind())
			return bloc_error_set(
			    BLOC_EINVAL,
			    "%s: a name is for a new independent (IND:Name@SEAT), "
			    "not %s",
			    ctx, bloc_party_code(party));
		if (n >= sizeof(name) || !bloc__utf8_valid_n(colon + 1, n))
			return bloc_error_set(BLOC_EINVAL,
			                      "%s: the name must be UTF-8, at most %zu "
			                      "bytes",
			                      ctx, sizeof(name) - 1);
		for (k = 0; k < n; k++)
			if ((unsigned char)colon[1 + k] < 0x20 || colon[1 + k] == 0x7f)
				return bloc_error_set(
				    BLOC_EINVAL, "%s: the name contains a control character", ctx);
		memcpy(name, colon + 1, n);
		name[n] = '\0';
	}
	for (p = at_sign + 1;;) {
		const char *end = strchr(p, ',');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		bloc_stand *st;
		while (n && isspace((unsigned char)*p))
			p++, n--;
		while (n && isspace((unsigned char)p[n - 1]))
			n--;
		if (n == 0)
			return bloc_error_set(BLOC_EINVAL, "%s: an empty seat in '%.60s'", ctx,
			                      value);
		if (n >= sizeof(st->seat) || !bloc__utf8_valid_n(p, n))
			return bloc_error_set(BLOC_EINVAL,
			                      "%s: the seat '%.24s...' is too long or not UTF-8",
			                      ctx, p);
		for (k = 0; k < s->nstands; k++)
			if (s->stands[k].party == party && strlen(s->stands[k].seat) == n &&
			    strncasecmp(s->stands[k].seat, p, n) == 0)
				break;
		if (k == s->nstands) {
			if (s->nstands == BLOC_SCENARIO_MAX_STANDS)
				return bloc_error_set(BLOC_EINVAL,
				                      "%s: too many candidates stood (at most %d)",
				                      ctx, BLOC_SCENARIO_MAX_STANDS);
			s->nstands++;
		}
		st = &s->stands[k];
		memset(st, 0, sizeof(*st));
		st->party = party;
		memcpy(st->name, name, strlen(name) + 1);
		memcpy(st->seat, p, n);
		if (!end)
			return BLOC_OK;
		p = end + 1;
	}
}

static int parse_flag_list(const char *ctx, const char *text, const char *example, double lo,
                           double hi, bloc_party_value *out, size_t *n);

/* "census", "survey:PARTY=POINTS,...", "ei" or "ei:draws=N,seed=S,chains=C,burnin=B". */
static int set_baseline(bloc_scenario *s, const char *ctx, const char *value)
{
	bloc_party_value vals[BLOC_SCENARIO_MAX_LIST];
	double sum = 0;
	size_t n, i;
	int err;

	if (strcasecmp(value, "census") == 0) {
		s->baseline = BLOC_BASELINE_CENSUS;
		return BLOC_OK;
	}
	if (strncasecmp(value, "survey:", 7) == 0) {
		if ((err = parse_flag_list(ctx, value + 7, "survey:LAB=86,CON=9,LD=3", 0, 100, vals,
		                           &n)) < 0)
			return err;
		for (i = 0; i < n; i++)
			sum += vals[i].value;
		if (sum > 100 + SUM_SLACK)
			return bloc_error_set(
			    BLOC_EINVAL, "%s: the survey's shares add up to %.2f points, above 100",
			    ctx, sum);
		s->baseline = BLOC_BASELINE_SURVEY;
		s->nsurvey = n;
		memcpy(s->survey, vals, n * sizeof(vals[0]));
		return BLOC_OK;
	}
	if (strcasecmp(value, "ei") == 0 || strncasecmp(value, "ei:", 3) == 0) {
		const char *p = value[2] ? value + 3 : "";
		uint64_t seed = 0;
		size_t draws = 0, chains = 0, burnin = 0;
		while (*p) {
			const char *end = strchr(p, ','), *eq = strchr(p, '=');
			size_t len = end ? (size_t)(end - p) : strlen(p);
			double v;
			if (!eq || (end && eq > end))
				return bloc_error_set(
				    BLOC_EINVAL,
				    "%s: expected ei:draws=N,seed=S,chains=C,burnin=B, "
				    "found '%.40s'",
				    ctx, value);
			if ((err = parse_number(ctx, "ei", eq + 1, len - (size_t)(eq + 1 - p),
			                        &v)) < 0)
				return err;
			if (!(v >= 0 && v <= 1e9 && v == floor(v)))
				return bloc_error_set(BLOC_EINVAL,
				                      "%s: %.*s: expected a whole number, found %g",
				                      ctx, (int)(eq - p), p, v);
			if ((size_t)(eq - p) == 5 && strncmp(p, "draws", 5) == 0)
				draws = (size_t)v;
			else if ((size_t)(eq - p) == 4 && strncmp(p, "seed", 4) == 0)
				seed = (uint64_t)v;
			else if ((size_t)(eq - p) == 6 && strncmp(p, "chains", 6) == 0)
				chains = (size_t)v;
			else if ((size_t)(eq - p) == 6 && strncmp(p, "burnin", 6) == 0)
				burnin = (size_t)v;
			else
				return bloc_error_set(
				    BLOC_EINVAL,
				    "%s: unknown ei setting '%.*s' (draws, seed, chains, "
				    "burnin)",
				    ctx, (int)(eq - p), p);
			p = end ? end + 1 : p + len;
		}
		s->baseline = BLOC_BASELINE_EI;
		s->ei_seed = seed;
		s->ei_draws = draws;
		s->ei_chains = chains;
		s->ei_burnin = burnin;
		return BLOC_OK;
	}
	return bloc_error_set(BLOC_EINVAL,
	                      "%s: expected census, survey:PARTY=POINTS,... or ei, found '%.40s'",
	                      ctx, value);
}

/* A group's list without its "turnout=POINTS" items (into out), and that value. */
static int take_turnout(const char *ctx, const char *list, char *out, size_t cap, double *turnout,
                        int *has)
{
	const char *p = list;
	size_t len = 0;
	int err;

	*has = 0;
	for (;;) {
		const char *end = strchr(p, ','), *q = p;
		size_t n = end ? (size_t)(end - p) : strlen(p);
		while (q < p + n && isspace((unsigned char)*q))
			q++;
		if ((size_t)(p + n - q) > 8 && strncasecmp(q, "turnout", 7) == 0 &&
		    (q[7] == '=' || isspace((unsigned char)q[7]))) {
			const char *eq = memchr(q, '=', (size_t)(p + n - q));
			if (!eq)
				return bloc_error_set(BLOC_EINVAL, "%s: expected turnout=POINTS",
				                      ctx);
			if ((err = parse_number(ctx, "turnout", eq + 1, (size_t)(p + n - eq - 1),
			                        turnout)) < 0 ||
			    (err = check_range(ctx, "turnout", *turnout, -100, 100, "points")) < 0)
				return err;
			*has = 1;
		} else {
			if (len + n + 2 > cap)
				return bloc_error_set(BLOC_EINVAL, "%s: the list is too long", ctx);
			if (len)
				out[len++] = ',';
			memcpy(out + len, p, n);
			len += n;
		}
		if (!end)
			break;
		p = end + 1;
	}
	out[len] = '\0';
	return BLOC_OK;
}

/* ---- flags ---------------------------------------------------------------------------------- */

/* "PARTY=NUMBER,PARTY=NUMBER...": each number in [lo, hi] points, a party at most once. */
static int parse_flag_list(const char *ctx, const char *text, const char *example, double lo,
                           double hi, bloc_party_value *out, size_t *n)
{
	const char *p = text;
	char what[160];
	int err;

	*n = 0;
	for (;;) {
		const char *end = strchr(p, ','), *eq;
		size_t len = end ? (size_t)(end - p) : strlen(p);
		bloc_party party;
		double v;

		eq = memchr(p, '=', len);
		if (!eq)
			return bloc_error_set(
			    BLOC_EINVAL, "%s: expected PARTY=POINTS in '%.*s' (for example %s)",
			    ctx, (int)(len < 40 ? len : 40), p, example);
		if ((err = find_party(ctx, p, (size_t)(eq - p), &party)) < 0)
			return err;
		snprintf(what, sizeof(what), "%s", bloc_party_code(party));
		if ((err = parse_number(ctx, what, eq + 1, len - (size_t)(eq + 1 - p), &v)) < 0 ||
		    (err = check_range(ctx, what, v, lo, hi, "points")) < 0)
			return err;
		if (list_has(out, *n, party))
			return bloc_error_set(BLOC_EINVAL, "%s: %s is given twice", ctx,
			                      bloc_party_code(party));
		if (*n == BLOC_SCENARIO_MAX_LIST)
			return bloc_error_set(BLOC_EINVAL, "%s: too many parties (at most %d)", ctx,
			                      BLOC_SCENARIO_MAX_LIST);
		out[*n].party = party;
		out[*n].value = v;
		(*n)++;
		if (!end)
			return BLOC_OK;
		p = end + 1;
	}
}

/* "NAME:LIST": the name (trimmed) and where the list starts. */
static int split_named(const char *ctx, const char *value, const char *example, const char **name,
                       size_t *namelen, const char **list)
{
	const char *colon = strchr(value, ':');

	if (!colon)
		return bloc_error_set(BLOC_EINVAL,
		                      "%s: expected NAME:PARTY=POINTS,... (for example "
		                      "%s), found '%.40s'",
		                      ctx, example, value);
	*name = value;
	*namelen = (size_t)(colon - value);
	while (*namelen && isspace((unsigned char)**name))
		(*name)++, (*namelen)--;
	while (*namelen && isspace((unsigned char)(*name)[*namelen - 1]))
		(*namelen)--;
	*list = colon + 1;
	return BLOC_OK;
}

static int flag_swings(bloc_scenario *s, const char *ctx, const char *value)
{
	const char *p = value;
	int err;

	for (;;) {
		const char *end = strchr(p, ','), *colon, *eq;
		size_t len = end ? (size_t)(end - p) : strlen(p);
		bloc_party from, to;
		double v;

		colon = memchr(p, ':', len);
		eq = colon ? memchr(colon, '=', len - (size_t)(colon - p)) : NULL;
		if (!colon || !eq)
			return bloc_error_set(BLOC_EINVAL,
			                      "%s: expected FROM:TO=POINTS in '%.*s' (for example "
			                      "LAB:REF=5)",
			                      ctx, (int)(len < 40 ? len : 40), p);
		if ((err = find_party(ctx, p, (size_t)(colon - p), &from)) < 0 ||
		    (err = find_party(ctx, colon + 1, (size_t)(eq - colon - 1), &to)) < 0 ||
		    (err = parse_number(ctx, "points", eq + 1, len - (size_t)(eq + 1 - p), &v)) <
		        0 ||
		    (err = check_range(ctx, "points", v, -100, 100, "points")) < 0 ||
		    (err = put_swing(s, ctx, from, to, v)) < 0)
			return err;
		if (!end)
			return BLOC_OK;
		p = end + 1;
	}
}

static int set_flag(bloc_scenario *s, const char *key, const char *value)
{
	bloc_party_value vals[BLOC_SCENARIO_MAX_LIST];
	const char *name, *list, *group;
	char buf[64], ctx[96], rest[1024];
	size_t n, namelen;
	double v, turnout = 0;
	int err, has_turnout;

	if (strcmp(key, "shares") == 0) {
		if ((err = parse_flag_list(key, value, "LAB=34,CON=24,REF=14", 0, 100, vals, &n)) <
		    0)
			return err;
		return put_area(s, key, "", 0, vals, n);
	}
	if (strcmp(key, "swing") == 0)
		return flag_swings(s, key, value);
	if (strcmp(key, "region") == 0) {
		if ((err = split_named(key, value, "Scotland:SNP=30,LAB=35", &name, &namelen,
		                       &list)) < 0 ||
		    (err = check_area_name(key, name, namelen)) < 0)
			return err;
		snprintf(ctx, sizeof(ctx), "%s %.*s", key, (int)namelen, name);
		if ((err = parse_flag_list(ctx, list, "Scotland:SNP=30,LAB=35", 0, 100, vals, &n)) <
		    0)
			return err;
		return put_area(s, ctx, name, namelen, vals, n);
	}
	if (strcmp(key, "group") == 0) {
		if ((err = split_named(key, value, "muslim:LAB=-20,IND=+12", &name, &namelen,
		                       &list)) < 0)
			return err;
		snprintf(buf, sizeof(buf), "%.*s", (int)(namelen < 63 ? namelen : 63), name);
		if ((err = find_group(key, buf, &group)) < 0)
			return err;
		snprintf(ctx, sizeof(ctx), "%s %s", key, group);
		if ((err = take_turnout(ctx, list, rest, sizeof(rest), &turnout, &has_turnout)) < 0)
			return err;
		n = 0;
		if ((*rest || !has_turnout) &&
		    (err = parse_flag_list(ctx, rest, "muslim:LAB=-20,IND=+12,turnout=+5", -100,
		                           100, vals, &n)) < 0)
			return err;
		return put_group(s, ctx, group, vals, n, has_turnout ? &turnout : NULL);
	}
	if (strcmp(key, "stand") == 0)
		return add_stands(s, key, value);
	if (strcmp(key, "baseline") == 0)
		return set_baseline(s, key, value);
	if (strcmp(key, "hold-shares") == 0 || strcmp(key, "hold_shares") == 0)
		return set_hold(s, key, value);
	if (strcmp(key, "model") == 0)
		return set_model(s, key, value);
	if (strcmp(key, "base") == 0)
		return set_base(s, key, value);
	if (strcmp(key, "threshold") == 0) {
		if ((err = parse_number(key, NULL, value, strlen(value), &v)) < 0)
			return err;
		return set_threshold(s, key, v);
	}
	if (strcmp(key, "adult-ratio") == 0 || strcmp(key, "adult_ratio") == 0 ||
	    strcmp(key, "turnout-ratio") == 0 || strcmp(key, "turnout_ratio") == 0) {
		if ((err = parse_number(key, NULL, value, strlen(value), &v)) < 0)
			return err;
		return set_ratio(key[0] == 'a' ? &s->adult_ratio : &s->turnout_ratio, key, v);
	}
	return bloc_error_set(BLOC_EINVAL,
	                      "unknown scenario setting '%.40s' (shares, swing, region, group, "
	                      "stand, baseline, hold-shares, model, threshold, adult-ratio, "
	                      "turnout-ratio, base)",
	                      key);
}

int bloc_scenario_set(bloc_scenario *s, const char *key, const char *value)
{
	bloc_scenario *tmp;
	int err;

	if (!key || !value)
		return bloc_error_set(BLOC_EINVAL, "scenario: no %s given", key ? "value" : "key");
	if (!(tmp = bloc_malloc(sizeof(*tmp))))
		return bloc_error_oom("setting the scenario's %s", key);
	*tmp = *s;
	if ((err = set_flag(tmp, key, value)) == BLOC_OK)
		*s = *tmp;
	bloc_free(tmp);
	return err;
}

/* ---- JSON ----------------------------------------------------------------------------------- */

static const char *json_kind(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "an array";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
	case JSON_REAL:
		return "a number";
	case JSON_TRUE:
	case JSON_FALSE:
		return "a boolean";
	case JSON_NULL:
		return "null";
	}
	return "a value";
}

/* Where a value is: "name: key.sub[2].x" (written into a fixed buffer; long paths are cut). */
struct where {
	char buf[256];
};

static const char *at(struct where *w, const char *name, const char *fmt, ...) BLOC_PRINTF(3, 4);

static const char *at(struct where *w, const char *name, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(w->buf, sizeof(w->buf), "%s: ", name);

	if (n < 0 || (size_t)n >= sizeof(w->buf))
		return w->buf;
	va_start(ap, fmt);
	vsnprintf(w->buf + n, sizeof(w->buf) - (size_t)n, fmt, ap);
	va_end(ap);
	return w->buf;
}

static int expect_kind(const char *ctx, const json_t *v, int ok, const char *want)
{
	if (!ok)
		return bloc_error_set(BLOC_EINVAL, "%s: expected %s, found %s", ctx, want,
		                      json_kind(v));
	return BLOC_OK;
}

/* {"PARTY": number, ...} with each number in [lo, hi] points. `path` is the key's path. */
static int json_list(const char *name, const char *path, const json_t *obj, double lo, double hi,
                     bloc_party_value *out, size_t *n)
{
	struct where w = {{0}};
	const char *key;
	json_t *v;
	int err;

	*n = 0;
	if ((err = expect_kind(at(&w, name, "%s", path), obj, json_is_object(obj),
	                       "an object of PARTY: points")) < 0)
		return err;
	json_object_foreach((json_t *)obj, key, v)
	{
		bloc_party party;
		double x;

		at(&w, name, "%s.%s", path, key);
		if ((err = find_party(w.buf, key, strlen(key), &party)) < 0 ||
		    (err = expect_kind(w.buf, v, json_is_number(v), "a number of points")) < 0)
			return err;
		x = json_number_value(v);
		if ((err = check_range(w.buf, NULL, x, lo, hi, "points")) < 0)
			return err;
		/* "BRX" and "REF" are one party: distinct keys, same column */
		if (list_has(out, *n, party))
			return bloc_error_set(BLOC_EINVAL, "%s: %s is given twice", w.buf,
			                      bloc_party_code(party));
		if (*n == BLOC_SCENARIO_MAX_LIST)
			return bloc_error_set(BLOC_EINVAL, "%s: too many parties (at most %d)",
			                      at(&w, name, "%s", path), BLOC_SCENARIO_MAX_LIST);
		out[*n].party = party;
		out[*n].value = x;
		(*n)++;
	}
	if (*n == 0)
		return bloc_error_set(BLOC_EINVAL, "%s: expected at least one party",
		                      at(&w, name, "%s", path));
	return BLOC_OK;
}

static int json_number_at(const char *ctx, const json_t *v, double *out)
{
	int err;

	if ((err = expect_kind(ctx, v, json_is_number(v), "a number")) < 0)
		return err;
	*out = json_number_value(v);
	return BLOC_OK;
}

static int json_swings(bloc_scenario *s, const char *name, const json_t *arr)
{
	struct where w = {{0}};
	size_t i;
	json_t *item;
	int err;

	if ((err = expect_kind(at(&w, name, "swing"), arr, json_is_array(arr),
	                       "an array of {\"from\",\"to\",\"points\"}")) < 0)
		return err;
	json_array_foreach((json_t *)arr, i, item)
	{
		const json_t *from = json_object_get(item, "from"),
		             *to = json_object_get(item, "to"),
		             *pts = json_object_get(item, "points");
		bloc_party pf, pt;
		const char *key;
		json_t *v;
		double x;

		at(&w, name, "swing[%zu]", i);
		if ((err = expect_kind(w.buf, item, json_is_object(item),
		                       "an object {\"from\",\"to\",\"points\"}")) < 0)
			return err;
		json_object_foreach(item, key, v)
		{
			if (strcmp(key, "from") && strcmp(key, "to") && strcmp(key, "points"))
				return bloc_error_set(BLOC_EINVAL,
				                      "%s: unknown key '%.40s' (from, to, points)",
				                      at(&w, name, "swing[%zu]", i), key);
		}
		if (!from || !to || !pts)
			return bloc_error_set(BLOC_EINVAL, "%s: missing '%s'", w.buf,
			                      !from ? "from"
			                      : !to ? "to"
			                            : "points");
		if ((err = expect_kind(at(&w, name, "swing[%zu].from", i), from,
		                       json_is_string(from), "a party")) < 0 ||
		    (err = find_party(w.buf, json_string_value(from),
		                      strlen(json_string_value(from)), &pf)) < 0 ||
		    (err = expect_kind(at(&w, name, "swing[%zu].to", i), to, json_is_string(to),
		                       "a party")) < 0 ||
		    (err = find_party(w.buf, json_string_value(to), strlen(json_string_value(to)),
		                      &pt)) < 0 ||
		    (err = json_number_at(at(&w, name, "swing[%zu].points", i), pts, &x)) < 0 ||
		    (err = check_range(w.buf, NULL, x, -100, 100, "points")) < 0 ||
		    (err = put_swing(s, at(&w, name, "swing[%zu]", i), pf, pt, x)) < 0)
			return err;
	}
	return BLOC_OK;
}

static int json_regions(bloc_scenario *s, const char *name, const json_t *obj)
{
	bloc_party_value vals[BLOC_SCENARIO_MAX_LIST];
	struct where w = {{0}};
	char path[96];
	const char *key;
	json_t *v;
	size_t n;
	int err;

	if ((err = expect_kind(at(&w, name, "regions"), obj, json_is_object(obj),
	                       "an object of AREA: {PARTY: points}")) < 0)
		return err;
	json_object_foreach((json_t *)obj, key, v)
	{
		snprintf(path, sizeof(path), "regions.%.64s", key);
		if ((err = check_area_name(at(&w, name, "%s", path), key, strlen(key))) < 0 ||
		    (err = json_list(name, path, v, 0, 100, vals, &n)) < 0 ||
		    (err = put_area(s, at(&w, name, "%s", path), key, strlen(key), vals, n)) < 0)
			return err;
	}
	return BLOC_OK;
}

static int json_groups(bloc_scenario *s, const char *name, const json_t *arr)
{
	bloc_party_value vals[BLOC_SCENARIO_MAX_LIST];
	struct where w = {{0}};
	char path[64];
	size_t i, n;
	json_t *item;
	int err;

	if ((err = expect_kind(at(&w, name, "groups"), arr, json_is_array(arr),
	                       "an array of {\"group\",\"change\"}")) < 0)
		return err;
	json_array_foreach((json_t *)arr, i, item)
	{
		const json_t *g = json_object_get(item, "group"),
		             *ch = json_object_get(item, "change");
		const char *key, *group;
		json_t *v;

		at(&w, name, "groups[%zu]", i);
		if ((err = expect_kind(w.buf, item, json_is_object(item),
		                       "an object {\"group\",\"change\"}")) < 0)
			return err;
		json_object_foreach(item, key, v)
		{
			if (strcmp(key, "group") && strcmp(key, "change"))
				return bloc_error_set(BLOC_EINVAL,
				                      "%s: unknown key '%.40s' (group, change)",
				                      at(&w, name, "groups[%zu]", i), key);
		}
		if (!g || !ch)
			return bloc_error_set(BLOC_EINVAL, "%s: missing '%s'", w.buf,
			                      !g ? "group" : "change");
		snprintf(path, sizeof(path), "groups[%zu].change", i);
		if ((err = expect_kind(at(&w, name, "groups[%zu].group", i), g, json_is_string(g),
		                       "a group name")) < 0 ||
		    (err = find_group(w.buf, json_string_value(g), &group)) < 0)
			return err;
		{
			json_t *parties = json_is_object(ch) ? json_copy((json_t *)ch) : NULL;
			const json_t *tv =
			    json_is_object(ch) ? json_object_get(ch, "turnout") : NULL;
			double turnout = 0;
			if (json_is_object(ch) && !parties)
				return bloc_error_oom("reading %s", path);
			if (tv)
				json_object_del(parties, "turnout");
			err =
			    tv ? json_number_at(at(&w, name, "%s.turnout", path), tv, &turnout) : 0;
			if (err == BLOC_OK && tv)
				err = check_range(w.buf, NULL, turnout, -100, 100, "points");
			if (err == BLOC_OK)
				err = json_list(name, path, parties ? parties : ch, -100, 100, vals,
				                &n);
			if (err == BLOC_OK)
				err = put_group(s, at(&w, name, "groups[%zu]", i), group, vals, n,
				                tv ? &turnout : NULL);
			json_decref(parties);
			if (err < 0)
				return err;
		}
	}
	return BLOC_OK;
}

/* "stand": a string or an array of strings, each as the flag's PARTY[:Name]@SEAT,... */
static int json_stands(bloc_scenario *s, const char *ctx, const json_t *v)
{
	char where[300];
	size_t i;
	json_t *item;
	int err;

	if (json_is_string(v))
		return add_stands(s, ctx, json_string_value(v));
	if ((err = expect_kind(ctx, v, json_is_array(v), "an array of \"PARTY@SEAT,...\"")) < 0)
		return err;
	json_array_foreach((json_t *)v, i, item)
	{
		snprintf(where, sizeof(where), "%s[%zu]", ctx, i);
		if ((err = expect_kind(where, item, json_is_string(item), "\"PARTY@SEAT,...\"")) <
		        0 ||
		    (err = add_stands(s, where, json_string_value(item))) < 0)
			return err;
	}
	return BLOC_OK;
}

static int apply_json(bloc_scenario *s, const json_t *root, const char *name)
{
	bloc_party_value vals[BLOC_SCENARIO_MAX_LIST];
	struct where w = {{0}};
	const char *key;
	json_t *v;
	size_t n;
	double x;
	int err;

	if (!json_is_object(root))
		return bloc_error_set(BLOC_EINVAL, "%s: expected a JSON object, found %s", name,
		                      json_kind(root));
	json_object_foreach((json_t *)root, key, v)
	{
		at(&w, name, "%.64s", key);
		if (strcmp(key, "base") == 0) {
			err = expect_kind(w.buf, v, json_is_string(v), "a contest id or path");
			if (err == BLOC_OK)
				err = set_base(s, w.buf, json_string_value(v));
		} else if (strcmp(key, "model") == 0) {
			err = expect_kind(w.buf, v, json_is_string(v),
			                  "uniform, proportional, transition or strong");
			if (err == BLOC_OK)
				err = set_model(s, w.buf, json_string_value(v));
		} else if (strcmp(key, "threshold") == 0) {
			if ((err = json_number_at(w.buf, v, &x)) == BLOC_OK)
				err = set_threshold(s, w.buf, x);
		} else if (strcmp(key, "adult_ratio") == 0) {
			if ((err = json_number_at(w.buf, v, &x)) == BLOC_OK)
				err = set_ratio(&s->adult_ratio, w.buf, x);
		} else if (strcmp(key, "turnout_ratio") == 0) {
			if ((err = json_number_at(w.buf, v, &x)) == BLOC_OK)
				err = set_ratio(&s->turnout_ratio, w.buf, x);
		} else if (strcmp(key, "shares") == 0) {
			if ((err = json_list(name, "shares", v, 0, 100, vals, &n)) == BLOC_OK)
				err = put_area(s, w.buf, "", 0, vals, n);
		} else if (strcmp(key, "swing") == 0) {
			err = json_swings(s, name, v);
		} else if (strcmp(key, "regions") == 0) {
			err = json_regions(s, name, v);
		} else if (strcmp(key, "groups") == 0) {
			err = json_groups(s, name, v);
		} else if (strcmp(key, "stand") == 0) {
			err = json_stands(s, w.buf, v);
		} else if (strcmp(key, "baseline") == 0) {
			err = expect_kind(w.buf, v, json_is_string(v),
			                  "\"census\", \"survey:PARTY=POINTS,...\" or \"ei\"");
			if (err == BLOC_OK)
				err = set_baseline(s, w.buf, json_string_value(v));
		} else if (strcmp(key, "hold_shares") == 0) {
			if (json_is_boolean(v)) {
				s->hold_shares = json_is_true(v);
				err = BLOC_OK;
			} else if ((err = json_number_at(w.buf, v, &x)) == BLOC_OK) {
				char num[32];
				err = set_hold_tolerance(s, w.buf, x,
				                         bloc__real_text(num, sizeof(num), x));
			}
		} else {
			err = bloc_error_set(
			    BLOC_EINVAL,
			    "%s: unknown key '%.40s' (base, model, threshold, shares, "
			    "swing, regions, groups, stand, baseline, hold_shares, adult_ratio, "
			    "turnout_ratio)",
			    name, key);
		}
		if (err < 0)
			return err;
	}
	return BLOC_OK;
}

int bloc_scenario_parse_json(bloc_scenario *s, const char *text, size_t len, const char *name)
{
	bloc_scenario *tmp = NULL;
	json_error_t jerr;
	json_t *root;
	int err;

	if (!name)
		name = "<scenario>";
	if (len > SCENARIO_MAX_BYTES)
		return bloc_error_set(BLOC_EINVAL,
		                      "%s: %zu bytes is too large for a scenario (at most "
		                      "%u)",
		                      name, len, SCENARIO_MAX_BYTES);
	if (!(root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr)))
		return bloc_error_set(
		    json_error_code(&jerr) == json_error_out_of_memory ? BLOC_ENOMEM : BLOC_EPARSE,
		    "%s:%d:%d: %s", name, jerr.line, jerr.column, jerr.text);
	if (!(tmp = bloc_malloc(sizeof(*tmp)))) {
		err = bloc_error_oom("reading scenario %s", name);
		goto done;
	}
	*tmp = *s;
	if ((err = apply_json(tmp, root, name)) == BLOC_OK)
		*s = *tmp;
done:
	bloc_free(tmp);
	json_decref(root);
	return err;
}

int bloc_scenario_load(bloc_scenario *s, const char *path)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp;
	int err;

	if ((err = bloc__open_read(&fp, path)) < 0)
		return err;
	if (!(buf = bloc_malloc(SCENARIO_MAX_BYTES + 1))) {
		fclose(fp);
		return bloc_error_oom("reading scenario %s", path);
	}
	len = fread(buf, 1, SCENARIO_MAX_BYTES + 1, fp);
	if (ferror(fp))
		err = bloc_error_set(BLOC_EIO, "%s: %s", path, strerror(errno));
	else if (len > SCENARIO_MAX_BYTES)
		err = bloc_error_set(BLOC_EINVAL, "%s: too large for a scenario (at most %u bytes)",
		                     path, SCENARIO_MAX_BYTES);
	else
		err = bloc_scenario_parse_json(s, buf, len, path);
	fclose(fp);
	bloc_free(buf);
	return err;
}

/* ---- writing: by hand, so that numbers come out as typed (34, 0.2), not 0.20000000000000001 */

/* The shortest decimal that reads back as the same double. */
static void put_number(bloc_buf *o, double v)
{
	char buf[40];

	bloc_buf_puts(o, bloc__real_text(buf, sizeof(buf), v));
}

static void put_list(bloc_buf *o, const bloc_party_value *list, size_t n)
{
	size_t i;

	bloc_buf_puts(o, "{");
	for (i = 0; i < n; i++) {
		if (i)
			bloc_buf_puts(o, ",");
		bloc__json_put_string(o, bloc_party_code(list[i].party));
		bloc_buf_puts(o, ":");
		put_number(o, list[i].value);
	}
	bloc_buf_puts(o, "}");
}

char *bloc_scenario_to_json(const bloc_scenario *s)
{
	bloc_buf o = BLOC_BUF_INIT;
	char *text;
	size_t len;
	size_t i, nregions = 0;

	bloc_buf_puts(&o, "{");
	if (*s->base) {
		bloc_buf_puts(&o, "\"base\":");
		bloc__json_put_string(&o, s->base);
		bloc_buf_puts(&o, ",");
	}
	bloc_buf_puts(&o, "\"model\":");
	bloc__json_put_string(&o, bloc_model_name(s->model));
	bloc_buf_puts(&o, ",\"threshold\":");
	put_number(&o, s->threshold);
	for (i = 0; i < s->nareas; i++) {
		if (*s->areas[i].area)
			continue;
		bloc_buf_puts(&o, ",\"shares\":");
		put_list(&o, s->areas[i].shares, s->areas[i].n);
		break;
	}
	if (s->nswings) {
		bloc_buf_puts(&o, ",\"swing\":[");
		for (i = 0; i < s->nswings; i++) {
			bloc_buf_puts(&o, i ? ",{\"from\":" : "{\"from\":");
			bloc__json_put_string(&o, bloc_party_code(s->swings[i].from));
			bloc_buf_puts(&o, ",\"to\":");
			bloc__json_put_string(&o, bloc_party_code(s->swings[i].to));
			bloc_buf_puts(&o, ",\"points\":");
			put_number(&o, s->swings[i].points);
			bloc_buf_puts(&o, "}");
		}
		bloc_buf_puts(&o, "]");
	}
	for (i = 0; i < s->nareas; i++) {
		if (!*s->areas[i].area)
			continue;
		bloc_buf_puts(&o, nregions++ ? "," : ",\"regions\":{");
		bloc__json_put_string(&o, s->areas[i].area);
		bloc_buf_puts(&o, ":");
		put_list(&o, s->areas[i].shares, s->areas[i].n);
	}
	if (nregions)
		bloc_buf_puts(&o, "}");
	if (s->ngroups) {
		bloc_buf_puts(&o, ",\"groups\":[");
		for (i = 0; i < s->ngroups; i++) {
			bloc_buf_puts(&o, i ? ",{\"group\":" : "{\"group\":");
			bloc__json_put_string(&o, s->groups[i].group);
			bloc_buf_puts(&o, ",\"change\":");
			put_list(&o, s->groups[i].change, s->groups[i].n);
			if (s->groups[i].turnout != 0) {
				o.len--; /* the list's closing brace */
				bloc_buf_puts(&o,
				              s->groups[i].n ? ",\"turnout\":" : "\"turnout\":");
				put_number(&o, s->groups[i].turnout);
				bloc_buf_puts(&o, "}");
			}
			bloc_buf_puts(&o, "}");
		}
		bloc_buf_puts(&o, "]");
	}
	if (s->nstands) {
		bloc_buf_puts(&o, ",\"stand\":[");
		for (i = 0; i < s->nstands; i++) {
			char one[256];
			snprintf(one, sizeof(one), "%s%s%s@%s", bloc_party_code(s->stands[i].party),
			         *s->stands[i].name ? ":" : "", s->stands[i].name,
			         s->stands[i].seat);
			if (i)
				bloc_buf_puts(&o, ",");
			bloc__json_put_string(&o, one);
		}
		bloc_buf_puts(&o, "]");
	}
	if (s->baseline != BLOC_BASELINE_CENSUS) {
		char bl[1024];
		bloc_scenario_baseline_text(s, bl, sizeof(bl));
		bloc_buf_puts(&o, ",\"baseline\":");
		bloc__json_put_string(&o, bl);
	}
	if (!s->hold_shares)
		bloc_buf_puts(&o, ",\"hold_shares\":false");
	else if (s->hold_tolerance != 0.05) {
		bloc_buf_puts(&o, ",\"hold_shares\":");
		put_number(&o, s->hold_tolerance);
	}
	bloc_buf_puts(&o, ",\"adult_ratio\":");
	put_number(&o, s->adult_ratio);
	bloc_buf_puts(&o, ",\"turnout_ratio\":");
	put_number(&o, s->turnout_ratio);
	bloc_buf_puts(&o, "}");
	if (bloc_buf_detach(&o, &text, &len) < 0) {
		bloc_error_prefix("writing a scenario as JSON");
		return NULL;
	}
	return text;
}

void bloc_scenario_baseline_text(const bloc_scenario *s, char *buf, size_t cap)
{
	size_t i, n = 0;

	if (!cap)
		return;
	buf[0] = '\0';
	if (s->baseline == BLOC_BASELINE_SURVEY) {
		n = (size_t)snprintf(buf, cap, "survey:");
		for (i = 0; i < s->nsurvey && n < cap; i++)
			n += (size_t)snprintf(buf + n, cap - n, "%s%s=%.17g", i ? "," : "",
			                      bloc_party_code(s->survey[i].party),
			                      s->survey[i].value);
	} else if (s->baseline == BLOC_BASELINE_EI) {
		n = (size_t)snprintf(buf, cap, "ei");
		if (s->ei_draws && n < cap)
			n += (size_t)snprintf(buf + n, cap - n, "%sdraws=%zu", n > 2 ? "," : ":",
			                      s->ei_draws);
		if (s->ei_seed && n < cap)
			n += (size_t)snprintf(buf + n, cap - n, "%sseed=%llu", n > 2 ? "," : ":",
			                      (unsigned long long)s->ei_seed);
		if (s->ei_chains && n < cap)
			n += (size_t)snprintf(buf + n, cap - n, "%schains=%zu", n > 2 ? "," : ":",
			                      s->ei_chains);
		if (s->ei_burnin && n < cap)
			snprintf(buf + n, cap - n, "%sburnin=%zu", n > 2 ? "," : ":", s->ei_burnin);
	} else {
		snprintf(buf, cap, "census");
	}
}
