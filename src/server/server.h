/* bloc serve: the HTTP front-end. Like the CLI it parses a request, calls the library and renders
 * the answer; it computes nothing itself. What the HTTP engine (http.c starts and stops it,
 * conn.c its event loops, parse.c the request parser, respond.c the answers and the policy,
 * pool.c the queue of expensive requests; engine.h), routes.c (the JSON API of docs/api.md),
 * cache.c (contests, groups and rendered answers) and hexmap.c share. Uses only include/bloc/
 * and the C library (POSIX, Linux epoll). */
#ifndef BLOC_SERVER_H
#define BLOC_SERVER_H

#include "bloc/bloc.h"

#include <stdatomic.h>
#include <stddef.h>

/* ---- limits (docs/api.md) ---- */

#define SRV_MAX_BODY        (64u * 1024) /* request body: 413 above */
#define SRV_MAX_URL         (4u * 1024)  /* request target with its query: 414 above */
#define SRV_MAX_HEADERS     (16u * 1024) /* header names and values: 431 above */
#define SRV_MAX_ARGS        16u          /* query arguments in one request: 414 above */
#define SRV_MAX_CONNECTIONS 4096u        /* open connections (less if the fd limit is lower) */
#define SRV_MAX_PER_CLIENT  1024u        /* open connections from one peer address */
#define SRV_REQUEST_MS      10000u       /* a request's headers and body, from its first byte */
#define SRV_IDLE_MS         5000u        /* a connection waiting for its next request */
#define SRV_WRITE_MS        10000u       /* an answer being written to a client that reads */
#define SRV_LINGER_MS       2000u        /* reading what a client still sends after a last answer */
#define SRV_HEAVY_QUEUE     8u           /* expensive requests waiting for a worker: 503 above */
#define SRV_RETRY_AFTER     2u           /* seconds, the Retry-After of that 503 */
#define SRV_STOP_MS         1500u        /* how long a stop waits for answers being computed */
#define SRV_MAX_SIMS        10000u       /* /api/power Monte Carlo: about 1 s (Release) */
#define SRV_CACHE_BYTES     (32u << 20)  /* rendered answers kept, bytes */
#define SRV_CACHE_ENTRIES   1024u        /* rendered answers kept, count */
#define SRV_PROJECTORS      64u          /* prepared projectors kept (one per thread in use) */
#define SRV_MAX_EI_DRAWS    2000u        /* /api/ei: king and rxc draws, at most (seconds) */
#define SRV_MAX_SYNTH_UNITS 10000u       /* /api/ei-synth: synthetic units, at most */

/** How to run the server (cmd_serve fills it from the command line). */
struct srv_options {
	const char *data_dir; /* the data directory */
	const char *bind;     /* numeric IPv4 or IPv6 address, or "localhost" */
	unsigned port;        /* 0: any free port (printed at start) */
	int allow_remote;     /* required to bind a non-loopback address */
	unsigned threads;     /* I/O threads (each an event loop); 0: one per CPU (at most 4) */
	unsigned workers; /* threads for expensive requests; 0: one per CPU but one (at least 1) */
	const char *const *allow_hosts; /* more Host names accepted (--allow-host), nallow_hosts */
	size_t nallow_hosts;
};

/**
 * Open the data directory, start the engine, print "bloc: serve: listening on http://ADDR:PORT/"
 * to stderr, and serve until SIGINT or SIGTERM; then stop within SRV_STOP_MS and some (answers
 * still being computed then are abandoned: the process exits) and free everything.
 * @return BLOC_OK after a clean stop; BLOC_EINVAL (bad address, non-loopback address without
 *         allow_remote); BLOC_EIO (the data directory, or the address cannot be bound).
 */
int srv_run(const struct srv_options *o);

/** Is `addr` (as for srv_options.bind) a loopback address? -1 if it is not an address. */
int srv_is_loopback(const char *addr);

/* ---- answers: reference-counted immutable bytes, shared by the cache and the responses ---- */

struct srv_blob {
	atomic_size_t refs;
	size_t len;
	char *data;       /* malloc'd, len bytes (plus a NUL not counted) */
	const char *type; /* its Content-Type when not JSON (an SVG or HTML document), or NULL */
};

/** Take ownership of `data` (malloc'd, len bytes). NULL on ENOMEM (data is then freed). */
struct srv_blob *srv_blob_new(char *data, size_t len);
/** Another reference. */
struct srv_blob *srv_blob_ref(struct srv_blob *b);
/** Drop a reference; the last one frees. Accepts NULL. */
void srv_blob_unref(struct srv_blob *b);

/* ---- the server's state: read-only data plus the caches ---- */

struct srv_state;

int srv_state_new(struct srv_state **out, const char *data_dir);
void srv_state_free(struct srv_state *s);

/** The store of the server's data directory (catalogue ids only: never a path). */
bloc_store *srv_store(const struct srv_state *s);

/**
 * Rendered answers by key, least recently used dropped first (SRV_CACHE_BYTES and
 * SRV_CACHE_ENTRIES bound it). A key is what fully determines an answer's bytes.
 * srv_cache_get returns a new reference (or NULL); srv_cache_put keeps its own.
 */
struct srv_blob *srv_cache_get(struct srv_state *s, const char *key);
void srv_cache_put(struct srv_state *s, const char *key, struct srv_blob *b);

/* ---- requests and replies, independent of the HTTP library ---- */

struct srv_arg {
	const char *name, *value; /* percent-decoded; value "" when the argument has no '=' */
};

struct srv_request {
	const char *method; /* "GET", "HEAD", "POST", ... */
	const char *path;   /* percent-decoded, without the query */
	const struct srv_arg *args;
	size_t nargs;
	const char *body; /* POST body (not NUL-terminated), or NULL */
	size_t body_len;
};

struct srv_reply {
	unsigned status;
	const char *type;      /* Content-Type */
	const char *allow;     /* Allow header for 405, or NULL */
	struct srv_blob *blob; /* the body; the reply owns one reference */
};

/** Answer a request under /api/. Always fills *out (a JSON error on failure). */
void srv_api(struct srv_state *s, const struct srv_request *rq, struct srv_reply *out);

/**
 * Must this request wait its turn among the expensive ones (a Monte Carlo, EI sampling: up to
 * seconds of CPU)? 0 when it is cheap, or already answered in the cache. Never fails.
 */
int srv_api_heavy(struct srv_state *s, const struct srv_request *rq);

/** A JSON error reply {"error":{"status":N,"message":"..."}} (message printf-formatted). */
void srv_error(struct srv_reply *out, unsigned status, const char *fmt, ...) BLOC_PRINTF(3, 4);

/* ---- hexmap.c: the hex layout of a contest ---- */

/**
 * `{"layout":"odd-r","hexes":[{"code","name","q","r","region"},...]}` for contest `c` (from the
 * store), from the layout the store picks. malloc'd JSON in *out.
 * @return BLOC_OK, or as bloc_store_hexmap (BLOC_ENOTFOUND: no layout covers the contest).
 */
int srv_hexmap_json(bloc_store *st, const bloc_contest *c, char **out, size_t *len);

/* ---- assets.c (generated from src/server/web/ at build time) ---- */

struct srv_asset {
	const char *path; /* "/index.html" */
	const char *type; /* Content-Type */
	const unsigned char *data;
	size_t len;
};

extern const struct srv_asset srv_assets[];
extern const size_t srv_nassets;

#endif
