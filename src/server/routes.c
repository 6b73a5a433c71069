/* The JSON API (docs/api.md): every question the CLI asks (include/bloc/query.h) under
 * /api/<question>, its settings from the query arguments or a JSON body, through the same request
 * setters as the CLI's flags; the answer is the same bytes as `bloc <question> --format json` (or
 * the SVG, HTML or CSV document). Answers are a function of the request alone (the data is
 * read-only), so each is rendered once and kept in the answer cache under a key that determines
 * it. */
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

/* A library failure. While the request was being read (`reading`), anything but a malformed
 * request is a bad value (422); while it was answered, a missing name is a 404, a bad value a 422,
 * a usage problem (settings that do not go together) a 400, and anything else ours (500). */
static void lib_error(struct srv_reply *out, int err, int reading)
{
	const char *msg = bloc_error_last();
	unsigned status = 500;

	if (err == BLOC_ENOMEM)
		status = 503;
	else if (err == BLOC_EUSAGE || (reading && err == BLOC_EPARSE))
		status = 400;
	else if (reading)
		status = 422;
	else if (err == BLOC_ENOTFOUND)
		status = 404;
	else if (err == BLOC_EINVAL || err == BLOC_ENUMERIC)
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
			srv_error(out, 400, "unknown query argument '%.64s'", rq->args[i].name);
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

/* Every argument at most once (a setting given twice is ambiguous in a URL). */
static int args_once(const struct srv_request *rq, struct srv_reply *out)
{
	size_t i, k;

	for (i = 0; i < rq->nargs; i++)
		for (k = 0; k < i; k++)
			if (strcmp(rq->args[i].name, rq->args[k].name) == 0) {
				srv_error(out, 400, "query argument '%.64s' given more than once",
				          rq->args[i].name);
				return -1;
			}
	return 0;
}

/* The server's limits on what one request may cost (docs/api.md), checked by the library when a
 * request runs, however its settings came (query arguments or a JSON body). */
static const bloc_limits limits = {SRV_MAX_SIMS, SRV_MAX_EI_DRAWS, SRV_MAX_SYNTH_UNITS, 1,
                                   "on the server; the CLI runs longer"};

/* ---- answers ---- */

/* An answer's bytes: a table as JSON (with a newline, as the CLI's), or the document (taken from
 * the answer, not copied). */
static int answer_blob(bloc_answer *a, struct srv_blob **out, const char **type)
{
	bloc_buf b = BLOC_BUF_INIT;
	char *text;
	size_t len;
	int err;

	*out = NULL;
	if (!a->table) {
		*type = strncmp(a->doc_type, "application/json", 16) == 0 ? JSON_TYPE : a->doc_type;
		text = a->doc;
		len = a->doc_len;
		a->doc = NULL;
	} else if ((err = bloc_table_render(a->table, BLOC_FORMAT_JSON, &b)) < 0 ||
	           (err = bloc_buf_detach(&b, &text, &len)) < 0) {
		bloc_buf_dispose(&b);
		return err;
	} else {
		*type = JSON_TYPE;
	}
	if (!(*out = srv_blob_new(text, len)))
		return bloc_error_oom("keeping an answer");
	return BLOC_OK;
}

/* Reply with a cached answer if there is one (1), else 0. */
static int cached(struct srv_state *s, const char *key, struct srv_reply *out)
{
	struct srv_blob *b = srv_cache_get(s, key);

	if (!b)
		return 0;
	reply_blob(out, 200, b);
	if (b->type)
		out->type = b->type;
	return 1;
}

/* Keep a rendered answer and reply with it. */
static void answer(struct srv_state *s, const char *key, struct srv_blob *b, const char *type,
                   struct srv_reply *out)
{
	b->type = strcmp(type, JSON_TYPE) == 0 ? NULL : type;
	srv_cache_put(s, key, b);
	reply_blob(out, 200, b);
	out->type = type;
}

/* The cache key of a request: the question, its arguments in order, and its body. */
static char *request_key(const char *query, const struct srv_request *rq)
{
	char *buf = NULL;
	size_t len = 0, i;
	FILE *fp = open_memstream(&buf, &len);

	if (!fp)
		return NULL;
	fprintf(fp, "%s\n", query);
	for (i = 0; i < rq->nargs; i++)
		fprintf(fp, "%s=%s\n", rq->args[i].name, rq->args[i].value);
	if (rq->body)
		fwrite(rq->body, 1, rq->body_len, fp);
	if (fclose(fp) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* A request for `query` from the query arguments (GET) or a JSON body of settings (POST). */
static int read_request(const char *query, const struct srv_request *rq, bloc_request **out,
                        struct srv_reply *reply)
{
	bloc_request *r = NULL;
	size_t i;
	int err;

	*out = NULL;
	if ((err = bloc_request_new(&r, query)) < 0 || (err = bloc_request_limit(r, &limits)) < 0)
		goto fail;
	for (i = 0; i < rq->nargs; i++) {
		const char *v = rq->args[i].value;
		/* a flag is given as "?wasted", "?wasted=" or "?wasted=1" */
		if (bloc_request_is_flag(r, rq->args[i].name) == 1 && (!*v || strcmp(v, "1") == 0))
			v = NULL;
		if ((err = bloc_request_set(r, rq->args[i].name, v)) < 0)
			goto fail;
	}
	if (rq->body && rq->body_len &&
	    (err = bloc_request_set_json(r, rq->body, rq->body_len)) < 0)
		goto fail;
	*out = r;
	return 0;
fail:
	bloc_request_free(r);
	lib_error(reply, err, 1);
	return -1;
}

/* Ask `query` and reply with its answer (cached under `key`). */
static void ask(struct srv_state *s, const char *key, const bloc_request *r, struct srv_reply *out)
{
	bloc_answer a = BLOC_ANSWER_INIT;
	struct srv_blob *b;
	const char *type = JSON_TYPE;
	int err;

	if ((err = bloc_query_run(&a, srv_store(s), r)) < 0 ||
	    (err = answer_blob(&a, &b, &type)) < 0)
		lib_error(out, err, 0);
	else
		answer(s, key, b, type, out);
	bloc_answer_dispose(&a);
}

/* ---- routes ---- */

/* /api/<question>: every question of the library, GET with query arguments or POST with a JSON
 * object of settings. */
static void get_query(struct srv_state *s, const char *query, const struct srv_request *rq,
                      struct srv_reply *out)
{
	bloc_request *r;
	char *key;

	if (args_once(rq, out) < 0)
		return;
	if (!(key = request_key(query, rq))) {
		reply_nomem(out);
		return;
	}
	if (!cached(s, key, out) && read_request(query, rq, &r, out) == 0) {
		ask(s, key, r, out);
		bloc_request_free(r);
	}
	free(key);
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

static void get_hexmap(struct srv_state *s, const struct srv_request *rq, struct srv_reply *out)
{
	static const char *const names[] = {"contest", NULL};
	const char *v[1];
	const bloc_contest *c;
	struct srv_blob *b;
	char key[128], *json;
	size_t len;
	int err;

	if (take_args(rq, names, v, out) < 0)
		return;
	if (!v[0] || !*v[0]) {
		srv_error(out, 400, "query argument 'contest' is required");
		return;
	}
	bloc_error_clear();
	if ((err = bloc_store_contest(srv_store(s), v[0], &c)) < 0) {
		lib_error(out, err, 0);
		return;
	}
	snprintf(key, sizeof(key), "hexmap\n%s", c->id);
	if (cached(s, key, out))
		return;
	if ((err = srv_hexmap_json(srv_store(s), c, &json, &len)) < 0) {
		lib_error(out, err, 0);
		return;
	}
	if (!(b = srv_blob_new(json, len))) {
		reply_nomem(out);
		return;
	}
	answer(s, key, b, JSON_TYPE, out);
}

/* The web app's projection: POST /api/project[?view=full|party|winners] with a scenario document
 * as the body; view full and winners are the project question's composite answers (by=full,
 * by=map: the party table with the seat table, or with each seat's winner). */
static void post_project(struct srv_state *s, const struct srv_request *rq, struct srv_reply *out)
{
	static const char *const names[] = {"view", NULL};
	static const char *const views[] = {"full", "party", "winners"};
	static const char *const by[] = {"full", "party", "map"};
	bloc_request *r = NULL;
	const char *v[1];
	char *key = NULL, *body = NULL;
	size_t view;
	int err;

	if (take_args(rq, names, v, out) < 0)
		return;
	for (view = 0; view < 3 && strcmp(v[0] ? v[0] : "full", views[view]) != 0; view++)
		;
	if (view == 3) {
		srv_error(out, 400, "view: expected full, party or winners, got '%.40s'", v[0]);
		return;
	}
	if (!rq->body || rq->body_len == 0) {
		srv_error(out, 400, "expected a scenario as the request body (JSON with \"base\")");
		return;
	}
	if (!(body = malloc(rq->body_len + 1)) || !(key = request_key("project", rq))) {
		free(body);
		reply_nomem(out);
		return;
	}
	memcpy(body, rq->body, rq->body_len);
	body[rq->body_len] = '\0';
	if (!cached(s, key, out)) {
		if ((err = bloc_request_new(&r, "project")) < 0 ||
		    (err = bloc_request_limit(r, &limits)) < 0 ||
		    (err = bloc_request_set(r, "scenario-json", body)) < 0 ||
		    (err = bloc_request_set(r, "by", by[view])) < 0)
			lib_error(out, err, 1);
		else
			ask(s, key, r, out);
	}
	bloc_request_free(r);
	free(body);
	free(key);
}

typedef void (*route_fn)(struct srv_state *s, const struct srv_request *rq, struct srv_reply *out);

/* The routes that are not a question as such; every question is at /api/<name> too. */
static const struct {
	const char *path;
	int post; /* 1: POST only; 0: GET and HEAD */
	route_fn fn;
} routes[] = {
    {"/api/groups", 0, get_groups},
    {"/api/hexmap", 0, get_hexmap},
    {"/api/project", 1, post_project},
};

void srv_api(struct srv_state *s, const struct srv_request *rq, struct srv_reply *out)
{
	const char *name = rq->path + strlen("/api/");
	size_t i;
	int get = strcmp(rq->method, "GET") == 0 || strcmp(rq->method, "HEAD") == 0;

	memset(out, 0, sizeof(*out));
	bloc_error_clear();
	for (i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		if (strcmp(rq->path, routes[i].path) != 0)
			continue;
		/* GET /api/project asks the question with settings, as every other one */
		if (routes[i].post && get)
			break;
		if (routes[i].post ? strcmp(rq->method, "POST") != 0 : !get) {
			srv_error(out, 405, "%s takes %s, not %.16s", routes[i].path,
			          routes[i].post ? "POST" : "GET", rq->method);
			out->allow = routes[i].post ? "POST" : "GET, HEAD";
			return;
		}
		routes[i].fn(s, rq, out);
		return;
	}
	/* the catalogue keeps its old name */
	if (strcmp(rq->path, "/api/contests") == 0)
		name = "elections";
	for (i = 0; i < bloc_query_count(); i++) {
		if (strncmp(rq->path, "/api/", 5) != 0 || (strcmp(name, bloc_query_name(i)) != 0))
			continue;
		if (!get && strcmp(rq->method, "POST") != 0) {
			srv_error(out, 405, "%s takes GET or POST, not %.16s", rq->path,
			          rq->method);
			out->allow = "GET, HEAD, POST";
			return;
		}
		get_query(s, name, rq, out);
		return;
	}
	srv_error(out, 404, "no such API path: %.200s", rq->path);
}

int srv_api_heavy(struct srv_state *s, const struct srv_request *rq)
{
	const char *name = rq->path + strlen("/api/");
	struct srv_blob *b;
	char *key;
	int heavy;

	if (strncmp(rq->path, "/api/", 5) != 0 || bloc_query_heavy(name) != 1)
		return 0;
	if (!(key = request_key(name, rq)))
		return 1;
	b = srv_cache_get(s, key);
	heavy = b == NULL;
	srv_blob_unref(b);
	free(key);
	return heavy;
}
