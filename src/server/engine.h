/* The HTTP/1.1 engine of bloc serve, shared by its parts:
 *   parse.c    the request parser: pure functions over bytes (no I/O, no allocation)
 *   respond.c  what to answer: the Host, Origin and Content-Type policy, the embedded files,
 *              the API (routes.c), and the bytes of a response's head
 *   pool.c     the bounded queue of expensive requests and its worker threads
 *   conn.c     the event loops: connections, deadlines, eviction, reading and writing
 *   http.c     srv_run: the listening socket, the threads, the signals, the stop
 * docs/design.md tells how they fit together. */
#ifndef BLOC_SERVER_ENGINE_H
#define BLOC_SERVER_ENGINE_H

#include "server.h"

#include <stddef.h>
#include <stdint.h>

/* ---- parse.c ---- */

/* The request line and headers may take this much; the body SRV_MAX_BODY more. */
#define HTTP_LINE_MAX (SRV_MAX_URL + 32u) /* method, target, version */
#define HTTP_HEAD_MAX (HTTP_LINE_MAX + 2u + SRV_MAX_HEADERS + 2u)

struct http_text {
	const char *p; /* into the connection's buffer; not NUL-terminated */
	size_t n;
};

/** A request's line and the headers the engine reads (the others are checked, then ignored). */
struct http_head {
	char method[16];
	struct http_text target;
	int minor;           /* HTTP/1.minor */
	size_t len;          /* the line, the headers and the blank line */
	long content_length; /* -1: none */
	int chunked;         /* Transfer-Encoding: chunked */
	int keep_alive;      /* after this request, per version and Connection */
	int expect_continue; /* Expect: 100-continue */
	int hosts;           /* Host headers seen */
	struct http_text host, content_type, origin, fetch_site;
	const char *why; /* what was wrong, when parsing failed */
};

/**
 * Where the head ends in buf[0, len): 1 (*head_len set), 0 (not yet: *scan remembers how far it
 * looked), or -status when the bytes so far already pass a limit (414 for the request line,
 * 431 for the headers) or cannot be a request (400).
 */
int http_head_end(const char *buf, size_t len, size_t *scan, size_t *head_len);

/** Parse a complete head (buf[0, head_len)). 0, or the status of the error (400, 413, 501, 505). */
int http_parse_head(const char *buf, size_t head_len, struct http_head *h);

/** A chunked body decoded in place as it arrives. */
struct http_chunked {
	int state;
	size_t left; /* bytes left in the current chunk (while reading its size: the size so far) */
	size_t digits; /* of the size being read */
	size_t total;  /* decoded bytes so far */
};

/**
 * Decode buf[*in, end) onto buf[*out...] (*out <= *in: the decoded body moves down over the
 * framing). 1 when the last chunk and the trailer are in, 0 for more, or 400 (bad framing) or 413
 * (more than SRV_MAX_BODY bytes).
 */
int http_chunked_step(struct http_chunked *st, char *buf, size_t *in, size_t end, size_t *out);

/**
 * Split and percent-decode a request target into scratch (at least target.n + 2 bytes): the path
 * and the query arguments ('+' as a space in the query; empty ones skipped). 0, 400 (an escaped
 * NUL) or 414 (more than SRV_MAX_ARGS arguments).
 */
int http_target(struct http_text target, char *scratch, const char **path, struct srv_arg *args,
                size_t *nargs);

/** Does the comma-separated header value hold `token` (case-insensitive)? */
int http_has_token(struct http_text value, const char *token);

/* ---- respond.c ---- */

struct engine; /* what every thread shares: state, policy, pool */

/** One response queued on a connection: its head and its body (a blob, or static bytes). */
struct out {
	struct out *next;
	struct srv_blob *blob; /* owns a reference, or NULL */
	const char *body;      /* blob->data, a static asset, or NULL */
	size_t body_len;       /* bytes of the body to send (0 for HEAD) */
	size_t head_len, sent; /* sent counts the head, then the body */
	int close;             /* close the connection once this is written */
	char head[];
};

/* How to send a response (flags of out_reply, out_error, respond). */
#define OUT_HEAD_ONLY  1 /* HEAD: the headers alone */
#define OUT_CLOSE      2 /* close the connection once written (Connection: close) */
#define OUT_KEEP_ALIVE 4 /* an HTTP/1.0 client asked to keep it (Connection: keep-alive) */

/** The response of a reply (its blob reference moves into it); NULL when out of memory. */
struct out *out_reply(struct srv_reply *rp, int flags);
/** A JSON error response (503 with Retry-After); NULL when out of memory. */
struct out *out_error(unsigned status, int flags, const char *fmt, ...) BLOC_PRINTF(3, 4);
/** "HTTP/1.1 100 Continue". */
struct out *out_continue(void);
void out_free(struct out *o);

struct job;

/**
 * Check a request from its head alone (before any body is read): framing was fine, now the
 * Host, the target, and for POST the Origin and the Content-Type. NULL when it may go on, else
 * the error response to send.
 */
struct out *respond_check(struct engine *e, const struct http_head *h, int flags);

/**
 * Answer a complete request: the response in *out, or, for an expensive request, *job to put in
 * the heavy queue (its answer made later by job_answer). `close`: close after the answer.
 * Returns 0, or -1 when out of memory.
 */
int respond(struct engine *e, const struct http_head *h, const char *body, size_t body_len,
            int flags, struct out **out, struct job **job);

/* ---- pool.c ---- */

struct loop;
struct conn;
struct pool;

struct job {
	struct job *next;
	struct loop *loop; /* whose thread gets the answer */
	struct conn *conn; /* touched by that thread only; NULL when the connection is gone */
	int flags;         /* of its response */
	struct srv_request rq;
	struct srv_reply rp;
	struct srv_arg args[SRV_MAX_ARGS];
	char data[]; /* the request's strings and body */
};

/** A job holding a copy of rq; NULL when out of memory. */
struct job *job_new(const struct srv_request *rq, int flags);
void job_free(struct job *j);

int pool_new(struct pool **out, struct srv_state *state, unsigned workers, unsigned capacity);
/** Queue a job (its loop set): 0, or -1 when the queue is full or stopping. */
int pool_submit(struct pool *p, struct job *j);
/** Take a job back if no worker has started it: 1 (the caller frees it), else 0. */
int pool_cancel(struct pool *p, struct job *j);
/**
 * Drop the queued jobs and wait up to `ms` for those being computed. Returns how many are still
 * being computed (then the pool must not be freed: the process is about to exit).
 */
unsigned pool_stop(struct pool *p, unsigned ms);
void pool_free(struct pool *p);

/* ---- conn.c ---- */

struct loop_limits {
	unsigned max_conns, per_client;         /* of this loop */
	unsigned request_ms, idle_ms, write_ms; /* deadlines */
};

int loop_new(struct loop **out, struct engine *e, int listen_fd, const struct loop_limits *lim);
int loop_start(struct loop *lp);
/** Stop accepting, close every connection, end the thread and wait for it. */
void loop_stop(struct loop *lp);
void loop_free(struct loop *lp);
/** A worker hands a finished job back to its loop (any thread). */
void loop_complete(struct loop *lp, struct job *j);

/* ---- http.c ---- */

struct engine {
	struct srv_state *state;
	struct pool *pool;
	const struct srv_asset *index; /* "/" */
	char **hosts;                  /* Host values accepted (lower case) */
	size_t nhosts;
};

#endif
