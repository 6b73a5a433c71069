/* The HTTP daemon (libmicrohttpd): limits, request bodies, the static files compiled into the
 * binary, and a clean stop on SIGINT or SIGTERM. Everything under /api/ goes to routes.c; every
 * other path is one of the embedded assets or a 404 — nothing is ever read from disk for a
 * request except through the library's catalogue. */
#include "server.h"

#include <arpa/inet.h>
#include <malloc.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define JSON_TYPE "application/json; charset=utf-8"

/* The per-connection memory pool of libmicrohttpd: the request line, the headers and I/O
 * buffers. Larger than SRV_MAX_URL + SRV_MAX_HEADERS so that our own limits answer first (with
 * a JSON error); beyond the pool, libmicrohttpd answers 414 or 431 itself. */
#define POOL_BYTES (64u * 1024)

/* Returned by the URI callback for a request target above SRV_MAX_URL, and for one holding an
 * escaped NUL (which would cut the decoded path or argument short: "/app.js%00.txt"). */
static char uri_too_long, uri_has_nul;

/* A POST in progress: its body so far. */
struct upload {
	char *body;
	size_t len, cap;
};

struct server {
	struct srv_state *state;
	struct MHD_Response **assets; /* srv_nassets, built once, shared by all connections */
	const struct srv_asset *index;
};

/* ---- responses ---- */

static void unref_blob(void *cls)
{
	srv_blob_unref(cls);
}

static void common_headers(struct MHD_Response *r, const char *type)
{
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
}

/* Queue a reply; consumes its blob reference. */
static enum MHD_Result send_reply(struct MHD_Connection *con, struct srv_reply *rp)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	if (rp->blob)
		r = MHD_create_response_from_buffer_with_free_callback_cls(
		    rp->blob->len, rp->blob->data, unref_blob, rp->blob);
	else
		r = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
	if (!r) {
		srv_blob_unref(rp->blob);
		return MHD_NO;
	}
	common_headers(r, rp->type ? rp->type : JSON_TYPE);
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	if (rp->allow)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, rp->allow);
	ret = MHD_queue_response(con, rp->status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result send_error(struct MHD_Connection *con, unsigned status, const char *allow,
                                  const char *fmt, ...) BLOC_PRINTF(4, 5);

static enum MHD_Result send_error(struct MHD_Connection *con, unsigned status, const char *allow,
                                  const char *fmt, ...)
{
	struct srv_reply rp;
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	memset(&rp, 0, sizeof(rp));
	srv_error(&rp, status, "%s", msg);
	rp.allow = allow;
	return send_reply(con, &rp);
}

static const char *content_security_policy =
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

static int make_assets(struct server *sv)
{
	size_t i;

	if (!(sv->assets = calloc(srv_nassets ? srv_nassets : 1, sizeof(*sv->assets))))
		return bloc_error_set(BLOC_ENOMEM, "out of memory");
	for (i = 0; i < srv_nassets; i++) {
		struct MHD_Response *r = MHD_create_response_from_buffer(
		    srv_assets[i].len, (void *)srv_assets[i].data, MHD_RESPMEM_PERSISTENT);
		if (!r)
			return bloc_error_set(BLOC_ENOMEM, "out of memory");
		common_headers(r, srv_assets[i].type);
		MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
		if (strncmp(srv_assets[i].type, "text/html", 9) == 0)
			MHD_add_response_header(r, "Content-Security-Policy",
			                        content_security_policy);
		sv->assets[i] = r;
		if (strcmp(srv_assets[i].path, "/index.html") == 0)
			sv->index = &srv_assets[i];
	}
	return BLOC_OK;
}

static void free_assets(struct server *sv)
{
	size_t i;

	for (i = 0; sv->assets && i < srv_nassets; i++)
		if (sv->assets[i])
			MHD_destroy_response(sv->assets[i]);
	free(sv->assets);
}

/* An embedded file by exact path ("/" is /index.html); no other path exists. */
static enum MHD_Result send_asset(struct server *sv, struct MHD_Connection *con, const char *url,
                                  const char *method)
{
	size_t i;

	if (strcmp(url, "/") == 0 && sv->index)
		url = sv->index->path;
	for (i = 0; i < srv_nassets; i++) {
		if (strcmp(url, srv_assets[i].path) != 0)
			continue;
		if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
			return send_error(con, 405, "GET, HEAD", "%s takes GET",
			                  srv_assets[i].path);
		return MHD_queue_response(con, 200, sv->assets[i]);
	}
	return send_error(con, 404, NULL, "no such file: %.200s", url);
}

/* ---- requests ---- */

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *con)
{
	const char *p;

	(void)cls;
	(void)con;
	if (strlen(uri) > SRV_MAX_URL)
		return &uri_too_long;
	for (p = uri; (p = strchr(p, '%')); p++)
		if (p[1] == '0' && p[2] == '0')
			return &uri_has_nul;
	return NULL;
}

static void on_completed(void *cls, struct MHD_Connection *con, void **req_cls,
                         enum MHD_RequestTerminationCode toe)
{
	struct upload *up = *req_cls;

	(void)cls;
	(void)con;
	(void)toe;
	if (up && *req_cls != (void *)&uri_too_long && *req_cls != (void *)&uri_has_nul) {
		free(up->body);
		free(up);
	}
	*req_cls = NULL;
}

static enum MHD_Result count_header(void *cls, enum MHD_ValueKind kind, const char *key,
                                    const char *value)
{
	size_t *n = cls;

	(void)kind;
	*n += strlen(key) + (value ? strlen(value) : 0) + 4; /* ": " and CRLF */
	return MHD_YES;
}

struct arg_list {
	struct srv_arg args[SRV_MAX_ARGS];
	size_t n, seen;
};

static enum MHD_Result collect_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                   const char *value)
{
	struct arg_list *a = cls;

	(void)kind;
	if (a->n < SRV_MAX_ARGS) {
		a->args[a->n].name = key;
		a->args[a->n].value = value ? value : "";
		a->n++;
	}
	a->seen++;
	return MHD_YES;
}

static enum MHD_Result answer_api(struct server *sv, struct MHD_Connection *con, const char *url,
                                  const char *method, const struct upload *up)
{
	struct srv_request rq;
	struct srv_reply rp;
	struct arg_list args;

	args.n = args.seen = 0;
	MHD_get_connection_values(con, MHD_GET_ARGUMENT_KIND, collect_arg, &args);
	if (args.seen > SRV_MAX_ARGS)
		return send_error(con, 400, NULL, "too many query arguments (at most %u)",
		                  SRV_MAX_ARGS);
	memset(&rq, 0, sizeof(rq));
	rq.method = method;
	rq.path = url;
	rq.args = args.args;
	rq.nargs = args.n;
	if (up) {
		rq.body = up->body;
		rq.body_len = up->len;
	}
	srv_api(sv->state, &rq, &rp);
	return send_reply(con, &rp);
}

/* Add a chunk of a POST body; 0, or -1 when it would pass SRV_MAX_BODY. */
static int append(struct upload *up, const char *data, size_t n)
{
	if (n > SRV_MAX_BODY - up->len)
		return -1;
	if (up->len + n > up->cap) {
		size_t cap = up->cap ? up->cap : 1024;
		char *grown;
		while (cap < up->len + n)
			cap *= 2;
		if (cap > SRV_MAX_BODY)
			cap = SRV_MAX_BODY;
		if (!(grown = realloc(up->body, cap)))
			return -1;
		up->body = grown;
		up->cap = cap;
	}
	memcpy(up->body + up->len, data, n);
	up->len += n;
	return 0;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *con, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **req_cls)
{
	struct server *sv = cls;
	struct upload *up = *req_cls;
	const char *length;
	size_t header_bytes = 0;
	int is_api = strncmp(url, "/api/", 5) == 0 || strcmp(url, "/api") == 0;

	(void)version;
	if (*req_cls == (void *)&uri_too_long) {
		*req_cls = NULL;
		return send_error(con, 414, NULL, "the request target is longer than %u bytes",
		                  SRV_MAX_URL);
	}
	if (*req_cls == (void *)&uri_has_nul) {
		*req_cls = NULL;
		return send_error(con, 400, NULL, "the request target holds an escaped NUL (%%00)");
	}
	if (up) {
		/* a POST body, chunk by chunk, then a last call with nothing */
		if (*upload_data_size) {
			if (append(up, upload_data, *upload_data_size) < 0) {
				*upload_data_size = 0;
				/* libmicrohttpd may refuse a reply in the middle of a body:
				 * then the connection is closed */
				return send_error(con, 413, NULL,
				                  "the request body is larger than %u bytes",
				                  SRV_MAX_BODY);
			}
			*upload_data_size = 0;
			return MHD_YES;
		}
		return answer_api(sv, con, url, method, up);
	}
	/* first call: the request line and the headers are in */
	MHD_get_connection_values(con, MHD_HEADER_KIND, count_header, &header_bytes);
	if (header_bytes > SRV_MAX_HEADERS)
		return send_error(con, 431, NULL, "the request headers are larger than %u bytes",
		                  SRV_MAX_HEADERS);
	if (strcmp(method, "POST") == 0 && is_api) {
		length = MHD_lookup_connection_value(con, MHD_HEADER_KIND,
		                                     MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (length && (strlen(length) > 9 || strtoul(length, NULL, 10) > SRV_MAX_BODY))
			return send_error(con, 413, NULL,
			                  "the request body is larger than %u bytes", SRV_MAX_BODY);
		if (!(up = calloc(1, sizeof(*up))))
			return MHD_NO;
		*req_cls = up;
		return MHD_YES;
	}
	if (is_api)
		return answer_api(sv, con, url, method, NULL);
	return send_asset(sv, con, url, method);
}

static void on_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	fputs("bloc: serve: ", stderr);
	vfprintf(stderr, fmt, ap);
}

/* ---- addresses ---- */

union address {
	struct sockaddr sa;
	struct sockaddr_in in;
	struct sockaddr_in6 in6;
};

static int parse_address(const char *text, unsigned port, union address *a)
{
	memset(a, 0, sizeof(*a));
	if (strcmp(text, "localhost") == 0)
		text = "127.0.0.1";
	if (inet_pton(AF_INET, text, &a->in.sin_addr) == 1) {
		a->in.sin_family = AF_INET;
		a->in.sin_port = htons((uint16_t)port);
		return AF_INET;
	}
	if (inet_pton(AF_INET6, text, &a->in6.sin6_addr) == 1) {
		a->in6.sin6_family = AF_INET6;
		a->in6.sin6_port = htons((uint16_t)port);
		return AF_INET6;
	}
	return -1;
}

int srv_is_loopback(const char *addr)
{
	union address a;

	switch (parse_address(addr, 0, &a)) {
	case AF_INET:
		return (ntohl(a.in.sin_addr.s_addr) >> 24) == 127;
	case AF_INET6:
		return IN6_IS_ADDR_LOOPBACK(&a.in6.sin6_addr);
	default:
		return -1;
	}
}

static unsigned default_threads(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > 16 ? 16 : (unsigned)n;
}

/* ---- running ---- */

/* Parse --bind into addr and refuse a non-loopback address without --allow-remote. Returns the
 * address family, or <0. */
static int check_bind(const struct srv_options *o, union address *addr)
{
	int family;

	if ((family = parse_address(o->bind, o->port, addr)) < 0)
		return bloc_error_set(BLOC_EINVAL,
		                      "serve: --bind: expected an IPv4 or IPv6 address, got '%s'",
		                      o->bind);
	if (!srv_is_loopback(o->bind) && !o->allow_remote)
		return bloc_error_set(BLOC_EINVAL,
		                      "serve: --bind %s is reachable from other machines; add "
		                      "--allow-remote if that is what you want",
		                      o->bind);
	return family;
}

/* Block SIGINT and SIGTERM (the old mask in *old) so sigwait takes them; ignore SIGPIPE. */
static void take_signals(sigset_t *stop, sigset_t *old)
{
	/* SIGINT and SIGTERM are taken with sigwait below: block them before the daemon's
	 * threads start, so that they inherit the mask and never run a handler. */
	sigemptyset(stop);
	sigaddset(stop, SIGINT);
	sigaddset(stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, stop, old);
	/* A shell starts background jobs with SIGINT ignored, and an ignored signal never reaches
	 * sigwait: take both back. */
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGPIPE, SIG_IGN);
}

/* Start the HTTP daemon on addr with its limits; NULL when it cannot listen. */
static struct MHD_Daemon *start_daemon(const struct srv_options *o, struct server *sv,
                                       union address *addr, unsigned flags, unsigned threads)
{
	return MHD_start_daemon(
	    flags, (uint16_t)o->port, NULL, NULL, on_request, sv, MHD_OPTION_EXTERNAL_LOGGER,
	    on_log, NULL, MHD_OPTION_SOCK_ADDR, &addr->sa, MHD_OPTION_URI_LOG_CALLBACK, on_uri,
	    NULL, MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL, MHD_OPTION_CONNECTION_LIMIT,
	    (unsigned)SRV_MAX_CONNECTIONS, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)SRV_TIMEOUT,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)POOL_BYTES, MHD_OPTION_STRICT_FOR_CLIENT,
	    (int)1, MHD_OPTION_THREAD_POOL_SIZE, threads > 1 ? threads : 0u, MHD_OPTION_END);
}

/* Say on stderr where the server listens (and warn when other machines can reach it). */
static void announce(struct MHD_Daemon *d, const struct srv_options *o, int family,
                     unsigned threads)
{
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	char shown[INET6_ADDRSTRLEN + 2];

	snprintf(shown, sizeof(shown), family == AF_INET6 ? "[%s]" : "%s",
	         strcmp(o->bind, "localhost") == 0 ? "127.0.0.1" : o->bind);
	if (!srv_is_loopback(o->bind))
		fprintf(stderr,
		        "bloc: serve: warning: listening on %s, reachable from other machines; "
		        "anyone who can reach it can use it (there is no authentication)\n",
		        o->bind);
	fprintf(stderr, "bloc: serve: listening on http://%s:%u/ (data %s, %u thread%s)\n", shown,
	        info ? (unsigned)info->port : o->port, o->data_dir, threads,
	        threads == 1 ? "" : "s");
	fflush(stderr);
}

int srv_run(const struct srv_options *o)
{
	struct server sv;
	struct MHD_Daemon *d = NULL;
	unsigned threads = o->threads ? o->threads : default_threads();
	unsigned flags = MHD_USE_AUTO | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG;
	sigset_t stop, old;
	union address addr;
	int family, sig = 0, err;

	memset(&sv, 0, sizeof(sv));
	/* Every answer allocates and frees a few hundred KB in its worker's arena; glibc would hand
	 * the freed top of each arena back to the kernel (madvise) and fault it in again on the
	 * next request. Keep up to 64 MB: the answer cache's budget is 32 MB. */
	mallopt(M_TRIM_THRESHOLD, 64 << 20);
	mallopt(M_MMAP_THRESHOLD, 8 << 20);
	if ((family = check_bind(o, &addr)) < 0)
		return family;
	if (family == AF_INET6)
		flags |= MHD_USE_IPv6;
	if ((err = srv_state_new(&sv.state, o->data_dir)) < 0)
		return err;
	if ((err = make_assets(&sv)) < 0)
		goto done;
	take_signals(&stop, &old);
	if (!(d = start_daemon(o, &sv, &addr, flags, threads))) {
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		err = bloc_error_set(BLOC_EIO, "serve: cannot listen on %s port %u (in use?)",
		                     o->bind, o->port);
		goto done;
	}
	announce(d, o, family, threads);
	while (sigwait(&stop, &sig) != 0)
		;
	fprintf(stderr, "bloc: serve: %s: stopping\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
	MHD_stop_daemon(d);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	err = BLOC_OK;
done:
	free_assets(&sv);
	srv_state_free(sv.state);
	return err;
}
