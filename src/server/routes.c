/* The JSON API (docs/api.md): each route checks its arguments strictly, calls the same library
 * functions as the matching CLI command, and renders the same tables as `--format json`.
 * Answers are a function of the request alone (the data is read-only), so each is rendered once
 * and kept in the answer cache under a key that determines it. */
#include "server.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JSON_TYPE "application/json; charset=utf-8"

/* ---- replies ---- */

static void reply_blob(struct srv_reply *out, unsigned status, struct srv_blob *b)
{
	out->status = status;
	out->type = JSON_TYPE;
	out->allow = NULL;
	out->blob = b;
}

/* The last resort when even an error message cannot be allocated. */
static void reply_nomem(struct srv_reply *out)
{
	static const char msg[] = "{\"error\":{\"status\":503,\"message\":\"out of memory\"}}\n";
	char *copy = malloc(sizeof(msg));

	if (copy)
		memcpy(copy, msg, sizeof(msg));
	reply_blob(out, 503, copy ? srv_blob_new(copy, sizeof(msg) - 1) : NULL);
}

/* A JSON string of `s`; bytes that are not UTF-8 (a percent-decoded argument may hold any) are
 * replaced by '?'. */
static json_t *json_text(const char *s)
{
	json_t *j = json_string(s);
	char *copy, *p;

	if (j || !(copy = strdup(s)))
		return j;
	for (p = copy; *p; p++)
		if ((unsigned char)*p >= 0x80)
			*p = '?';
	j = json_string(copy);
	free(copy);
	return j;
}

/* Dump `doc` (a reference is consumed) as the reply's body. */
static void reply_json(struct srv_reply *out, unsigned status, json_t *doc)
{
	char *text = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
	struct srv_blob *b;
	size_t n;

	json_decref(doc);
	if (!text) {
		reply_nomem(out);
		return;
	}
	n = strlen(text);
	/* end with a newline, as the CLI's JSON does */
	{
		char *grown = realloc(text, n + 2);
		if (!grown) {
			free(text);
			reply_nomem(out);
			return;
		}
		text = grown;
		text[n++] = '\n';
		text[n] = '\0';
	}
	if (!(b = srv_blob_new(text, n))) {
		reply_nomem(out);
		return;
	}
	reply_blob(out, status, b);
}

void srv_error(struct srv_reply *out, unsigned status, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	reply_json(
	    out, status,
	    json_pack("{s:{s:i, s:o}}", "error", "status", (int)status, "message", json_text(msg)));
}

/* A library failure. `values`: the call took values from the request, so a bad value is the
 * caller's (422); otherwise (loading the data) anything but a missing name is ours (500). */
static void lib_error(struct srv_reply *out, int err, int values)
{
	const char *msg = bloc_error_last();
	unsigned status = 500;

	if (err == BLOC_ENOTFOUND)
		status = 404;
	else if (err == BLOC_ENOMEM)
		status = 503;
	else if (values && (err == BLOC_EINVAL || err == BLOC_ENUMERIC))
		status = 422;
	srv_error(out, status, "%s", *msg ? msg : "internal error");
}

/* ---- arguments ---- */

/* Take the query arguments named in `names` (NULL-terminated) into `values` (NULL when absent).
 * Unknown or repeated arguments are a 400. */
static int take_args(const struct srv_request *rq, const char *const *names, const char **values,
                     struct srv_reply *out)
{
	size_t i, k, n;

	for (n = 0; names[n]; n++)
		values[n] = NULL;
	for (i = 0; i < rq->nargs; i++) {
		for (k = 0; k < n && strcmp(names[k], rq->args[i].name) != 0; k++)
			;
		if (k == n) {
			char expected[256];
			size_t len = 0;
			expected[0] = '\0';
			for (k = 0; k < n && len < sizeof(expected); k++)
				len += (size_t)snprintf(expected + len, sizeof(expected) - len,
				                        "%s%s", k ? ", " : "", names[k]);
			srv_error(out, 400, "unknown query argument '%.64s' (expected %s)",
			          rq->args[i].name, n ? expected : "none");
			return -1;
		}
		if (values[k]) {
			srv_error(out, 400, "query argument '%s' given more than once", names[k]);
			return -1;
		}
		values[k] = rq->args[i].value;
	}
	return 0;
}

static int require(const char *value, const char *name, struct srv_reply *out)
{
	if (value && *value)
		return 0;
	srv_error(out, 400, "query argument '%s' is required", name);
	return -1;
}

/* A decimal number in [lo, hi]: malformed is a 400, out of range a 422. */
static int parse_real(const char *name, const char *text, double lo, double hi, const char *what,
                      double *v, struct srv_reply *out)
{
	char *end;
	size_t i;

	/* digits, sign, point and exponent only: no "nan", "inf", hex or spaces */
	for (i = 0; text[i]; i++)
		if (!strchr("0123456789+-.eE", text[i]))
			break;
	errno = 0;
	*v = strtod(text, &end);
	if (!*text || text[i] || end == text || *end || errno == ERANGE || !isfinite(*v)) {
		srv_error(out, 400, "%s: expected %s, got '%.40s'", name, what, text);
		return -1;
	}
	if (*v < lo || *v > hi) {
		srv_error(out, 422, "%s: expected %s, got %g (out of range)", name, what, *v);
		return -1;
	}
	return 0;
}

/* A whole number in [0, max]: malformed is a 400, above max a 422. */
static int parse_count(const char *name, const char *text, uint64_t max, uint64_t *v,
                       struct srv_reply *out)
{
	unsigned long long x;
	char *end;
	size_t i;

	for (i = 0; text[i] >= '0' && text[i] <= '9'; i++)
		;
	errno = 0;
	x = strtoull(text, &end, 10);
	if (!*text || text[i] || *end) {
		srv_error(out, 400, "%s: expected a whole number from 0 to %llu, got '%.40s'", name,
		          (unsigned long long)max, text);
		return -1;
	}
	if (errno == ERANGE || x > max) {
		srv_error(out, 422, "%s: expected a whole number from 0 to %llu, got '%.40s'", name,
		          (unsigned long long)max, text);
		return -1;
	}
	*v = x;
	return 0;
}

static int find_group(const char *name, size_t *out_index, struct srv_reply *out)
{
	char names[512];
	size_t i, len = 0;
	long g = bloc_group_find(name);

	if (g >= 0) {
		*out_index = (size_t)g;
		return 0;
	}
	names[0] = '\0';
	for (i = 0; i < bloc_group_count() && len < sizeof(names); i++)
		len += (size_t)snprintf(names + len, sizeof(names) - len, "%s%s", i ? ", " : "",
		                        bloc_group_name(i));
	srv_error(out, 404, "unknown group '%.64s' (groups: %s)", name, names);
	return -1;
}

/* ---- rendering ---- */

/* A contest's source files as metadata, relative to the data directory (as the CLI does): one
 * entry per " + "-joined file. */
static int meta_source(bloc_table *t, const char *key, const bloc_contest *c, const char *dir)
{
	size_t n = strlen(dir);
	const char *src = c->source, *sep;
	int err;

	while (n > 1 && dir[n - 1] == '/')
		n--;
	for (;;) {
		size_t len;
		sep = strstr(src, " + ");
		len = sep ? (size_t)(sep - src) : strlen(src);
		if (len > n && strncmp(src, dir, n) == 0 && src[n] == '/') {
			size_t skip = n;
			while (skip < len && src[skip] == '/')
				skip++;
			src += skip;
			len -= skip;
		}
		if ((err = bloc_table_meta(t, key, "%.*s", (int)len, src)) < 0)
			return err;
		if (!sep)
			return BLOC_OK;
		src = sep + 3;
	}
}

/* Write tables as JSON into one body: a single table as is, or {"name":table,...}. */
static int tables_json(bloc_table *const *t, const char *const *names, size_t n,
                       struct srv_blob **out)
{
	char *buf = NULL;
	size_t len = 0, i;
	FILE *fp = open_memstream(&buf, &len);
	int err = BLOC_OK;

	*out = NULL;
	if (!fp)
		return bloc_error_set(BLOC_ENOMEM, "out of memory");
	for (i = 0; i < n && err == BLOC_OK; i++) {
		if (names)
			fprintf(fp, "%s\"%s\":", i ? "," : "{", names[i]);
		err = bloc_table_write(t[i], fp, BLOC_FORMAT_JSON);
	}
	if (names && err == BLOC_OK)
		fputs("}\n", fp);
	if (fclose(fp) != 0 && err == BLOC_OK)
		err = bloc_error_set(BLOC_ENOMEM, "out of memory");
	if (err < 0) {
		free(buf);
		return err;
	}
	if (!(*out = srv_blob_new(buf, len)))
		return bloc_error_set(BLOC_ENOMEM, "out of memory");
	return BLOC_OK;
}

/* Reply with a cached answer if there is one (1), else 0. */
static int cached(struct srv_state *s, const char *key, struct srv_reply *out)
{
	struct srv_blob *b = srv_cache_get(s, key);

	if (!b)
		return 0;
	reply_blob(out, 200, b);
	return 1;
}

/* Keep a rendered answer and reply with it. */
static void answer(struct srv_state *s, const char *key, struct srv_blob *b, struct srv_reply *out)
{
	srv_cache_put(s, key, b);
	reply_blob(out, 200, b);
}

/* ---- routes ---- */

static void get_contests(struct srv_state *s, const struct srv_request *rq, struct srv_reply *out)
{
	static const char *const names[] = {NULL};
	const char *v[1];
	bloc_table *t = NULL;
	struct srv_blob *b;
	int err;

	if (take_args(rq, names, v, out) < 0 || cached(s, "contests", out))
		return;
	if ((err = bloc_render_catalog(&t, srv_dataset(s))) < 0 ||
	    (err = tables_json(&t, NULL, 1, &b)) < 0)
		lib_error(out, err, 0);
	else
		answer(s, "contests", b, out);
	bloc_table_free(t);
}

static void get_groups(struct srv_state *s, const struct srv_request *rq, struct srv_reply *out)
{
	static const char *const names[] = {NULL};
	const char *v[1];
	json_t *doc, *list;
	size_t i;

	if (take_args(rq, names, v, out) < 0 || cached(s, "groups", out))
		return;
	doc = json_object();
	list = json_array();
	if (doc && list && json_object_set(doc, "groups", list) == 0)
		for (i = 0; i < bloc_group_count(); i++)
			json_array_append_new(list,
			                      json_pack("{s:s, s:s}", "name", bloc_group_name(i),
			                                "label", bloc_group_label(i)));
	json_decref(list);
	reply_json(out, 200, doc);
	if (out->status == 200)
		srv_cache_put(s, "groups", out->blob);
}

static void get_results(struct srv_state *s, const struct srv_request *rq, struct srv_reply *out)
{
	static const char *const names[] = {"contest", "by", NULL};
	static const char *const groups[] = {"uk", "nation", "region", "seat"};
	const char *v[2];
	const bloc_contest *c;
	bloc_seat_results r = {0};
	bloc_totals tot = {0};
	bloc_table *t = NULL;
	struct srv_blob *b;
	char key[128];
	int g, err;

	if (take_args(rq, names, v, out) < 0 || require(v[0], "contest", out) < 0)
		return;
	for (g = 0; g < 4 && strcmp(v[1] ? v[1] : "uk", groups[g]) != 0; g++)
		;
	if (g == 4) {
		srv_error(out, 400, "by: expected uk, nation, region or seat, got '%.40s'", v[1]);
		return;
	}
	if ((err = srv_contest(s, v[0], &c)) < 0) {
		lib_error(out, err, 0);
		return;
	}
	snprintf(key, sizeof(key), "results\n%s\n%s", c->id, groups[g]);
	if (cached(s, key, out))
		return;
	if ((err = bloc_seat_results_compute(&r, c)) < 0)
		goto fail;
	if (g == 3)
		err = bloc_render_seat_results(&t, c, &r);
	else if ((err = bloc_totals_compute(&tot, c, &r, g)) == BLOC_OK)
		/* groups[] is in bloc_grouping order: uk, nation, region */
		err = bloc_render_totals(&t, c, &tot, g);
	if (err < 0 || (err = meta_source(t, "source", c, bloc_dataset_dir(srv_dataset(s)))) < 0 ||
	    (err = tables_json(&t, NULL, 1, &b)) < 0)
		goto fail;
	answer(s, key, b, out);
	goto done;
fail:
	lib_error(out, err, 0);
done:
	bloc_table_free(t);
	bloc_totals_dispose(&tot);
	bloc_seat_results_dispose(&r);
}

static void get_hexmap(struct srv_state *s, const struct srv_request *rq, struct srv_reply *out)
{
	static const char *const names[] = {"contest", NULL};
	const char *v[1];
	const bloc_contest *c;
	struct srv_blob *b;
	char key[128], *json;
	size_t len;
	int err;

	if (take_args(rq, names, v, out) < 0 || require(v[0], "contest", out) < 0)
		return;
	if ((err = srv_contest(s, v[0], &c)) < 0) {
		lib_error(out, err, 0);
		return;
	}
	snprintf(key, sizeof(key), "hexmap\n%s", c->id);
	if (cached(s, key, out))
		return;
	if ((err = srv_hexmap_json(srv_dataset(s), c, &json, &len)) < 0) {
		lib_error(out, err, 0);
		return;
	}
	if (!(b = srv_blob_new(json, len))) {
		reply_nomem(out);
		return;
	}
	answer(s, key, b, out);
}

/* A JSON string of UTF-8 text `s` (quotes, backslashes and control bytes escaped). */
static void json_put_string(FILE *fp, const char *s)
{
	putc('"', fp);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == '"' || ch == '\\')
			fprintf(fp, "\\%c", ch);
		else if (ch < 0x20)
			fprintf(fp, "\\u%04x", ch);
		else
			putc(ch, fp);
	}
	putc('"', fp);
}

/* The compact answer for maps: {"party":<party table>,"winners":{"CODE":"LAB",...}}, seats in
 * the contest's order. */
static int winners_json(bloc_table *party, const bloc_contest *c, const bloc_projection *p,
                        struct srv_blob **out)
{
	char *buf = NULL;
	size_t len = 0, s;
	FILE *fp = open_memstream(&buf, &len);
	int err;

	*out = NULL;
	if (!fp)
		return bloc_error_set(BLOC_ENOMEM, "out of memory");
	fputs("{\"party\":", fp);
	err = bloc_table_write(party, fp, BLOC_FORMAT_JSON);
	if (err == BLOC_OK) {
		fputs(",\"winners\":{", fp);
		for (s = 0; s < p->nseats; s++) {
			if (s)
				putc(',', fp);
			json_put_string(fp, c->code[s]);
			putc(':', fp);
			json_put_string(fp, bloc_party_code(p->winner[s]));
		}
		fputs("}}\n", fp);
	}
	if (fclose(fp) != 0 && err == BLOC_OK)
		err = bloc_error_set(BLOC_ENOMEM, "out of memory");
	if (err < 0) {
		free(buf);
		return err;
	}
	if (!(*out = srv_blob_new(buf, len)))
		return bloc_error_set(BLOC_ENOMEM, "out of memory");
	return BLOC_OK;
}

static void post_project(struct srv_state *s, const struct srv_request *rq, struct srv_reply *out)
{
	static const char *const names[] = {"view", NULL};
	static const char *const views[] = {"full", "party", "winners"};
	static const char *const parts[] = {"party", "seats"};
	const bloc_group_shares *g;
	bloc_group_shares groups[BLOC_SCENARIO_MAX_GROUPS];
	bloc_projection p = {0};
	bloc_table *t[2] = {NULL, NULL};
	const bloc_contest *c;
	const char *v[1];
	struct srv_blob *b;
	bloc_scenario sc;
	char *key = NULL, *json = NULL;
	size_t i, gi = 0, view;
	int err, values = 0;

	if (take_args(rq, names, v, out) < 0)
		return;
	for (view = 0; view < 3 && strcmp(v[0] ? v[0] : "full", views[view]) != 0; view++)
		;
	if (view == 3) {
		srv_error(out, 400, "view: expected full, party or winners, got '%.40s'", v[0]);
		return;
	}
	bloc_scenario_init(&sc);
	if (!rq->body || rq->body_len == 0) {
		srv_error(out, 400, "expected a scenario as the request body (JSON with \"base\")");
		return;
	}
	if ((err = bloc_scenario_parse_json(&sc, rq->body, rq->body_len, "scenario")) < 0) {
		/* malformed JSON is the request's form, anything else its values */
		srv_error(out, err == BLOC_EPARSE ? 400 : 422, "%s", bloc_error_last());
		return;
	}
	if (!*sc.base) {
		srv_error(out, 400, "scenario: \"base\" is required (a contest id such as ge2024)");
		return;
	}
	if ((err = srv_contest(s, sc.base, &c)) < 0) {
		lib_error(out, err, 0);
		return;
	}
	/* The scenario as the library writes it back is canonical: equal scenarios, equal keys. */
	if (!(json = bloc_scenario_to_json(&sc)) ||
	    !(key = malloc(strlen(json) + strlen(views[view]) + 10))) {
		free(json);
		reply_nomem(out);
		return;
	}
	sprintf(key, "project\n%s\n%s", views[view], json);
	free(json);
	if (cached(s, key, out))
		goto done;
	for (i = 0; i < sc.ngroups; i++) {
		if (find_group(sc.groups[i].group, &gi, out) < 0)
			goto done;
		if ((err = srv_group_shares(s, c, gi, &g)) < 0)
			goto fail;
		groups[i] = *g; /* a shallow copy: bloc_project wants them side by side */
	}
	values = 1; /* from here on, a bad value is the scenario's */
	if ((err = srv_project(s, &p, c, &sc, sc.ngroups ? groups : NULL)) < 0 ||
	    (err = bloc_render_projection(&t[0], c, &sc, sc.ngroups ? groups : NULL, &p,
	                                  BLOC_VIEW_PARTY)) < 0 ||
	    (view == 0 && (err = bloc_render_projection(&t[1], c, &sc, sc.ngroups ? groups : NULL,
	                                                &p, BLOC_VIEW_SEAT)) < 0))
		goto fail;
	for (i = 0; i < 2; i++)
		if (t[i] && (err = meta_source(t[i], "base_source", c,
		                               bloc_dataset_dir(srv_dataset(s)))) < 0)
			goto fail;
	if (view == 0)
		err = tables_json(t, parts, 2, &b);
	else if (view == 1)
		err = tables_json(t, NULL, 1, &b);
	else
		err = winners_json(t[0], c, &p, &b);
	if (err < 0)
		goto fail;
	answer(s, key, b, out);
	goto done;
fail:
	lib_error(out, err, values);
done:
	bloc_table_free(t[0]);
	bloc_table_free(t[1]);
	bloc_projection_dispose(&p);
	free(key);
}

static void get_power(struct srv_state *s, const struct srv_request *rq, struct srv_reply *out)
{
	static const char *const names[] = {"contest", "group", "cohesion", "turnout",
	                                    "sims",    "seed",  NULL};
	const char *v[6];
	const bloc_contest *c;
	const bloc_group_shares *g;
	bloc_power_options o;
	bloc_power p;
	bloc_table *t = NULL;
	struct srv_blob *b;
	uint64_t sims = 0, seed;
	char key[256];
	size_t gi = 0;
	int err;

	memset(&p, 0, sizeof(p));
	bloc_power_options_init(&o);
	seed = o.seed;
	if (take_args(rq, names, v, out) < 0 || require(v[0], "contest", out) < 0 ||
	    require(v[1], "group", out) < 0)
		return;
	if ((v[2] && parse_real("cohesion", v[2], 0, 1, "a fraction from 0 to 1 (such as 0.87)",
	                        &o.cohesion, out) < 0) ||
	    (v[3] && parse_real("turnout", v[3], 0, 1, "a fraction above 0 up to 1 (such as 0.6)",
	                        &o.turnout, out) < 0) ||
	    (v[4] && parse_count("sims", v[4], SRV_MAX_SIMS, &sims, out) < 0) ||
	    (v[5] && parse_count("seed", v[5], UINT64_MAX, &seed, out) < 0))
		return;
	if (v[3] && o.turnout == 0) {
		srv_error(out, 422,
		          "turnout: 0 means nobody in the group votes; give a fraction "
		          "above 0, or leave turnout out for each seat's own turnout");
		return;
	}
	o.sims = sims;
	o.seed = seed;
	o.threads = 1; /* the daemon's threads serve other requests meanwhile */
	if ((err = srv_contest(s, v[0], &c)) < 0) {
		lib_error(out, err, 0);
		return;
	}
	if (find_group(v[1], &gi, out) < 0)
		return;
	snprintf(key, sizeof(key), "power\n%s\n%s\n%.17g\n%.17g\n%llu\n%llu", c->id,
	         bloc_group_name(gi), o.cohesion, o.turnout, (unsigned long long)o.sims,
	         (unsigned long long)o.seed);
	if (cached(s, key, out))
		return;
	if ((err = srv_group_shares(s, c, gi, &g)) < 0)
		lib_error(out, err, 0);
	else if ((err = bloc_power_compute(&p, c, g, &o)) < 0 ||
	         (err = bloc_render_power(&t, c, g, &o, &p, BLOC_POWER_VIEW_SEATS)) < 0 ||
	         (err = meta_source(t, "contest_source", c, bloc_dataset_dir(srv_dataset(s)))) <
	             0 ||
	         (err = tables_json(&t, NULL, 1, &b)) < 0)
		lib_error(out, err, 1);
	else
		answer(s, key, b, out);
	bloc_table_free(t);
	bloc_power_dispose(&p);
}

typedef void (*route_fn)(struct srv_state *s, const struct srv_request *rq, struct srv_reply *out);

static const struct {
	const char *path;
	int post; /* 1: POST only; 0: GET and HEAD */
	route_fn fn;
} routes[] = {
    {"/api/contests", 0, get_contests}, {"/api/groups", 0, get_groups},
    {"/api/results", 0, get_results},   {"/api/hexmap", 0, get_hexmap},
    {"/api/project", 1, post_project},  {"/api/power", 0, get_power},
};

void srv_api(struct srv_state *s, const struct srv_request *rq, struct srv_reply *out)
{
	size_t i;
	int get;

	memset(out, 0, sizeof(*out));
	bloc_error_clear();
	for (i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		if (strcmp(rq->path, routes[i].path) != 0)
			continue;
		get = strcmp(rq->method, "GET") == 0 || strcmp(rq->method, "HEAD") == 0;
		if (routes[i].post ? strcmp(rq->method, "POST") != 0 : !get) {
			srv_error(out, 405, "%s takes %s, not %.16s", routes[i].path,
			          routes[i].post ? "POST" : "GET", rq->method);
			out->allow = routes[i].post ? "POST" : "GET, HEAD";
			return;
		}
		routes[i].fn(s, rq, out);
		return;
	}
	srv_error(out, 404, "no such API path: %.200s", rq->path);
}
