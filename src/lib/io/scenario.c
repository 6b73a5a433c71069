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
                     const bloc_party_value *vals, size_t n)
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
	char buf[64], ctx[96];
	size_t n, namelen;
	double v;
	int err;

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
		if ((err = parse_flag_list(ctx, list, "muslim:LAB=-20,IND=+12", -100, 100, vals,
		                           &n)) < 0)
			return err;
		return put_group(s, ctx, group, vals, n);
	}
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
	                      "model, threshold, adult-ratio, turnout-ratio, base)",
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
		    (err = find_group(w.buf, json_string_value(g), &group)) < 0 ||
		    (err = json_list(name, path, ch, -100, 100, vals, &n)) < 0 ||
		    (err = put_group(s, at(&w, name, "groups[%zu]", i), group, vals, n)) < 0)
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
		} else {
			err = bloc_error_set(
			    BLOC_EINVAL,
			    "%s: unknown key '%.40s' (base, model, threshold, shares, "
			    "swing, regions, groups, adult_ratio, turnout_ratio)",
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
	int prec;

	/* whole numbers as such: %g would write -20 as -2e+01; -0 as 0 (JSON reads -0 as 0) */
	if (v == 0)
		v = 0;
	if (v == floor(v) && fabs(v) < 1e15) {
		snprintf(buf, sizeof(buf), "%.0f", v);
		bloc_buf_puts(o, buf);
		return;
	}
	for (prec = 1; prec <= 17; prec++) {
		snprintf(buf, sizeof(buf), "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	bloc_buf_puts(o, buf);
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
			bloc_buf_puts(&o, "}");
		}
		bloc_buf_puts(&o, "]");
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
