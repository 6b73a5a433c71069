/* What bloc serve answers (engine.h): the policy every request passes first (a Host on the
 * allow-list, so that a web page on another name cannot drive the API through DNS rebinding; for
 * POST, no foreign Origin and a JSON Content-Type, so that a cross-site form cannot either), then
 * the embedded files of the web app or the JSON API of routes.c, and the bytes of each
 * response's head. Nothing is read from disk for a request. */
#include "engine.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define JSON_TYPE "application/json; charset=utf-8"

static const char *content_security_policy =
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

static const char *reason(unsigned status)
{
	switch (status) {
	case 100:
		return "Continue";
	case 200:
		return "OK";
	case 400:
		return "Bad Request";
	case 403:
		return "Forbidden";
	case 404:
		return "Not Found";
	case 405:
		return "Method Not Allowed";
	case 413:
		return "Content Too Large";
	case 414:
		return "URI Too Long";
	case 415:
		return "Unsupported Media Type";
	case 421:
		return "Misdirected Request";
	case 422:
		return "Unprocessable Content";
	case 431:
		return "Request Header Fields Too Large";
	case 500:
		return "Internal Server Error";
	case 501:
		return "Not Implemented";
	case 503:
		return "Service Unavailable";
	case 505:
		return "HTTP Version Not Supported";
	default:
		return status < 300 ? "OK" : status < 500 ? "Client Error" : "Server Error";
	}
}

/* ---- responses ---- */

struct head_fields {
	unsigned status;
	const char *type, *cache, *allow;
	size_t length;
	int csp;
	unsigned retry_after;
	int flags;
};

/* The head of a response into buf; its length, or 0 when it does not fit. */
static size_t format_head(char *buf, size_t cap, const struct head_fields *f)
{
	int n = snprintf(buf, cap,
	                 "HTTP/1.1 %u %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
	                 "Cache-Control: %s\r\nX-Content-Type-Options: nosniff\r\n"
	                 "Referrer-Policy: no-referrer\r\nX-Frame-Options: DENY\r\n"
	                 "%s%s%s%s%s%s%s%.0u%s%s\r\n",
	                 f->status, reason(f->status), f->type, f->length, f->cache,
	                 f->csp ? "Content-Security-Policy: " : "",
	                 f->csp ? content_security_policy : "", f->csp ? "\r\n" : "",
	                 f->allow ? "Allow: " : "", f->allow ? f->allow : "",
	                 f->allow ? "\r\n" : "", f->retry_after ? "Retry-After: " : "",
	                 f->retry_after, f->retry_after ? "\r\n" : "",
	                 f->flags & OUT_CLOSE        ? "Connection: close\r\n"
	                 : f->flags & OUT_KEEP_ALIVE ? "Connection: keep-alive\r\n"
	                                             : "");
	return n > 0 && (size_t)n < cap ? (size_t)n : 0;
}

static struct out *out_new(const struct head_fields *f)
{
	char head[1024];
	size_t n = format_head(head, sizeof(head), f);
	struct out *o = n ? malloc(sizeof(*o) + n) : NULL;

	if (!o)
		return NULL;
	memset(o, 0, sizeof(*o));
	memcpy(o->head, head, n);
	o->head_len = n;
	o->close = (f->flags & OUT_CLOSE) != 0;
	return o;
}

struct out *out_reply(struct srv_reply *rp, int flags)
{
	struct head_fields f;
	struct out *o;

	memset(&f, 0, sizeof(f));
	f.status = rp->status;
	f.type = rp->type ? rp->type : JSON_TYPE;
	f.cache = "no-store";
	f.allow = rp->allow;
	f.length = rp->blob ? rp->blob->len : 0;
	f.retry_after = rp->status == 503 ? SRV_RETRY_AFTER : 0;
	f.flags = flags;
	if (!(o = out_new(&f))) {
		srv_blob_unref(rp->blob);
		rp->blob = NULL;
		return NULL;
	}
	o->blob = rp->blob;
	rp->blob = NULL;
	o->body = o->blob ? o->blob->data : NULL;
	o->body_len = flags & OUT_HEAD_ONLY ? 0 : f.length;
	return o;
}

struct out *out_error(unsigned status, int flags, const char *fmt, ...)
{
	struct srv_reply rp;
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	memset(&rp, 0, sizeof(rp));
	srv_error(&rp, status, "%s", msg);
	return out_reply(&rp, flags);
}

struct out *out_continue(void)
{
	static const char line[] = "HTTP/1.1 100 Continue\r\n\r\n";
	struct out *o = malloc(sizeof(*o) + sizeof(line));

	if (!o)
		return NULL;
	memset(o, 0, sizeof(*o));
	memcpy(o->head, line, sizeof(line) - 1);
	o->head_len = sizeof(line) - 1;
	return o;
}

void out_free(struct out *o)
{
	if (o) {
		srv_blob_unref(o->blob);
		free(o);
	}
}

/* An embedded file by exact path ("/" is /index.html); no other path exists. */
static struct out *send_asset(struct engine *e, const char *path, const char *method, int flags)
{
	struct head_fields f;
	struct out *o;
	size_t i;

	if (strcmp(path, "/") == 0 && e->index)
		path = e->index->path;
	for (i = 0; i < srv_nassets; i++) {
		const struct srv_asset *a = &srv_assets[i];
		if (strcmp(path, a->path) != 0)
			continue;
		if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
			struct srv_reply rp;
			memset(&rp, 0, sizeof(rp));
			srv_error(&rp, 405, "%s takes GET", a->path);
			rp.allow = "GET, HEAD";
			return out_reply(&rp, flags);
		}
		memset(&f, 0, sizeof(f));
		f.status = 200;
		f.type = a->type;
		f.cache = "no-cache";
		f.length = a->len;
		f.csp = strncmp(a->type, "text/html", 9) == 0;
		f.flags = flags;
		if ((o = out_new(&f))) {
			o->body = (const char *)a->data;
			o->body_len = flags & OUT_HEAD_ONLY ? 0 : a->len;
		}
		return o;
	}
	return out_error(404, flags, "no such file: %.200s", path);
}

/* ---- the policy ---- */

static int host_allowed(const struct engine *e, const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < e->nhosts; i++)
		if (strlen(e->hosts[i]) == n && strncasecmp(e->hosts[i], p, n) == 0)
			return 1;
	return 0;
}

/* "http://" and an allowed host, nothing else (no path, no "null"). */
static int origin_allowed(const struct engine *e, struct http_text o)
{
	return o.n > 7 && strncasecmp(o.p, "http://", 7) == 0 && host_allowed(e, o.p + 7, o.n - 7);
}

/* application/json, with parameters or not (charset=utf-8). */
static int is_json(struct http_text t)
{
	size_t n = 0;

	while (n < t.n && t.p[n] != ';' && t.p[n] != ' ' && t.p[n] != '\t')
		n++;
	return n == 16 && strncasecmp(t.p, "application/json", 16) == 0;
}

static int is_api(const char *path)
{
	return strncmp(path, "/api/", 5) == 0 || strcmp(path, "/api") == 0;
}

/* A POST's origin and body type: NULL when fine, else the error. */
static struct out *check_post(struct engine *e, const struct http_head *h, const char *path,
                              int flags)
{
	if (h->fetch_site.p && http_has_token(h->fetch_site, "cross-site"))
		return out_error(403, flags, "a cross-site request (Sec-Fetch-Site: cross-site)");
	if (h->origin.p && !origin_allowed(e, h->origin))
		return out_error(403, flags, "a request from another origin (%.*s)",
		                 (int)(h->origin.n < 100 ? h->origin.n : 100), h->origin.p);
	if (is_api(path) && (!h->content_type.p || !is_json(h->content_type)))
		return out_error(415, flags,
		                 "a POST body must be JSON (Content-Type: "
		                 "application/json)");
	return NULL;
}

struct out *respond_check(struct engine *e, const struct http_head *h, int flags)
{
	char scratch[SRV_MAX_URL + 2];
	struct srv_arg args[SRV_MAX_ARGS];
	const char *path;
	size_t nargs;
	int st;

	if (!host_allowed(e, h->host.p, h->host.n))
		return out_error(421, flags,
		                 "this server does not answer for the host '%.*s' (bloc serve "
		                 "--allow-host adds a name)",
		                 (int)(h->host.n < 100 ? h->host.n : 100), h->host.p);
	if ((st = http_target(h->target, scratch, &path, args, &nargs)) == 400)
		return out_error(400, flags, "the request target holds an escaped NUL (%%00)");
	if (st == 414)
		return out_error(414, flags, "too many query arguments (at most %u)", SRV_MAX_ARGS);
	if (strcmp(h->method, "POST") == 0)
		return check_post(e, h, path, flags);
	return NULL;
}

int respond(struct engine *e, const struct http_head *h, const char *body, size_t body_len,
            int flags, struct out **out, struct job **job)
{
	char scratch[SRV_MAX_URL + 2];
	struct srv_arg args[SRV_MAX_ARGS];
	struct srv_request rq;
	struct srv_reply rp;

	*out = NULL;
	*job = NULL;
	memset(&rq, 0, sizeof(rq));
	if (http_target(h->target, scratch, &rq.path, args, &rq.nargs) != 0) {
		*out = out_error(400, flags, "malformed request target");
		return *out ? 0 : -1;
	}
	rq.method = h->method;
	rq.args = args;
	if (strcmp(h->method, "POST") == 0 && body_len) {
		rq.body = body;
		rq.body_len = body_len;
	}
	if (!is_api(rq.path))
		*out = send_asset(e, rq.path, h->method, flags);
	else if (srv_api_heavy(e->state, &rq))
		return (*job = job_new(&rq, flags)) ? 0 : -1;
	else {
		srv_api(e->state, &rq, &rp);
		*out = out_reply(&rp, flags);
	}
	return *out ? 0 : -1;
}
