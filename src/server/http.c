/* bloc serve's HTTP engine, started and stopped (engine.h tells the parts): the listening socket,
 * the allowed Host names, the heavy-request pool, one event loop per I/O thread, and a stop on
 * SIGINT or SIGTERM that never waits more than SRV_STOP_MS for answers being computed. */
#define _GNU_SOURCE
#include "engine.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

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

static unsigned cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > 64 ? 64 : (unsigned)n;
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

/* ---- settings ---- */

/* A setting from the environment, for tests (tests/attack/ shortens the deadlines and the
 * queue): BLOC_SERVE_DEADLINE_MS (the request deadline; the idle one is at most it),
 * BLOC_SERVE_QUEUE (heavy requests waiting), BLOC_SERVE_MAX_PER_CLIENT (connections). */
static unsigned env_unsigned(const char *name, unsigned dflt)
{
	const char *v = getenv(name);
	char *end;
	unsigned long n;

	if (!v || !*v)
		return dflt;
	n = strtoul(v, &end, 10);
	return *end || n > 1000000 ? dflt : (unsigned)n;
}

/* Raise the open-file limit to its hard limit; the connections it leaves room for. */
static unsigned connection_budget(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return 64;
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
		getrlimit(RLIMIT_NOFILE, &rl);
	}
	if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > SRV_MAX_CONNECTIONS + 64)
		return SRV_MAX_CONNECTIONS;
	return rl.rlim_cur > 128 ? (unsigned)rl.rlim_cur - 64 : 64;
}

/* ---- the server ---- */

struct server {
	struct engine e;
	struct loop **loops;
	unsigned nloops, workers;
	int listen_fd, family;
	unsigned port;
	char shown[INET6_ADDRSTRLEN + 2]; /* the address as in a URL */
};

/* Bind and listen (non-blocking); the port it got. */
static int open_listener(struct server *sv, const struct srv_options *o, union address *addr)
{
	socklen_t len = sizeof(*addr);
	int one = 1;

	sv->listen_fd = socket(sv->family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (sv->listen_fd < 0)
		return bloc_error_set(BLOC_EIO, "serve: cannot open a socket: %s", strerror(errno));
	setsockopt(sv->listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(sv->listen_fd, &addr->sa,
	         sv->family == AF_INET6 ? sizeof(addr->in6) : sizeof(addr->in)) != 0 ||
	    listen(sv->listen_fd, SOMAXCONN) != 0 ||
	    getsockname(sv->listen_fd, &addr->sa, &len) != 0)
		return bloc_error_set(BLOC_EIO, "serve: cannot listen on %s port %u (in use?)",
		                      o->bind, o->port);
	sv->port = ntohs(sv->family == AF_INET6 ? addr->in6.sin6_port : addr->in.sin_port);
	snprintf(sv->shown, sizeof(sv->shown), sv->family == AF_INET6 ? "[%s]" : "%s",
	         strcmp(o->bind, "localhost") == 0 ? "127.0.0.1" : o->bind);
	return BLOC_OK;
}

/* Add `name` (lower case) to the allowed Host values, and name:PORT unless it has a port. */
static int allow_host(struct server *sv, const char *name)
{
	const char *colon = strrchr(name, ':'), *bracket = strrchr(name, ']');
	int with_port = colon && (name[0] != '[' || (bracket && colon > bracket));
	char **grown = realloc(sv->e.hosts, (sv->e.nhosts + 2) * sizeof(*grown));
	size_t i, k;

	if (!grown)
		return bloc_error_oom("listing the allowed hosts");
	sv->e.hosts = grown;
	for (k = 0; k < (with_port ? 1u : 2u); k++) {
		char *h = malloc(strlen(name) + 8);
		if (!h)
			return bloc_error_oom("listing the allowed hosts");
		sprintf(h, k ? "%s:%u" : "%s", name, sv->port);
		for (i = 0; h[i]; i++)
			h[i] = (char)tolower((unsigned char)h[i]);
		sv->e.hosts[sv->e.nhosts++] = h;
	}
	return BLOC_OK;
}

/* The Host values a request may carry: the loopback names, the bound address, --allow-host. */
static int allow_hosts(struct server *sv, const struct srv_options *o)
{
	const char *names[] = {"127.0.0.1", "localhost", "[::1]", sv->shown};
	size_t i;
	int err;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if ((err = allow_host(sv, names[i])) < 0)
			return err;
	for (i = 0; i < o->nallow_hosts; i++)
		if ((err = allow_host(sv, o->allow_hosts[i])) < 0)
			return err;
	return BLOC_OK;
}

static int make_loops(struct server *sv, const struct srv_options *o)
{
	unsigned budget = connection_budget(), i;
	struct loop_limits lim;
	int err;

	sv->nloops = o->threads ? o->threads : cpus() > 4 ? 4 : cpus();
	if (!(sv->loops = calloc(sv->nloops, sizeof(*sv->loops))))
		return bloc_error_oom("starting the event loops");
	lim.max_conns = budget / sv->nloops ? budget / sv->nloops : 1;
	lim.per_client = env_unsigned("BLOC_SERVE_MAX_PER_CLIENT", SRV_MAX_PER_CLIENT) / sv->nloops;
	if (lim.per_client < 1)
		lim.per_client = 1;
	lim.request_ms = env_unsigned("BLOC_SERVE_DEADLINE_MS", SRV_REQUEST_MS);
	lim.idle_ms = lim.request_ms < SRV_IDLE_MS ? lim.request_ms : SRV_IDLE_MS;
	lim.write_ms = SRV_WRITE_MS;
	for (i = 0; i < sv->nloops; i++)
		if ((err = loop_new(&sv->loops[i], &sv->e, sv->listen_fd, &lim)) < 0)
			return err;
	return BLOC_OK;
}

/* Everything srv_run needs before it announces itself. */
static int setup(struct server *sv, const struct srv_options *o, union address *addr)
{
	unsigned cpu = cpus();
	int err;

	if ((err = open_listener(sv, o, addr)) < 0 || (err = allow_hosts(sv, o)) < 0)
		return err;
	sv->workers = o->workers ? o->workers : cpu > 1 ? cpu - 1 : 1;
	if ((err = pool_new(&sv->e.pool, sv->e.state, sv->workers,
	                    env_unsigned("BLOC_SERVE_QUEUE", SRV_HEAVY_QUEUE))) < 0)
		return err;
	return make_loops(sv, o);
}

static void teardown(struct server *sv)
{
	unsigned i;

	for (i = 0; sv->loops && i < sv->nloops; i++)
		loop_stop(sv->loops[i]);
	if (sv->listen_fd >= 0)
		close(sv->listen_fd);
	pool_free(sv->e.pool);
	for (i = 0; sv->loops && i < sv->nloops; i++)
		loop_free(sv->loops[i]);
	free(sv->loops);
	for (i = 0; i < sv->e.nhosts; i++)
		free(sv->e.hosts[i]);
	free(sv->e.hosts);
	srv_state_free(sv->e.state);
}

/* Say on stderr where the server listens (and warn when other machines can reach it). */
static void announce(const struct server *sv, const struct srv_options *o)
{
	if (!srv_is_loopback(o->bind))
		fprintf(stderr,
		        "bloc: serve: warning: listening on %s, reachable from other machines; "
		        "anyone who can reach it can use it (there is no authentication)\n",
		        o->bind);
	fprintf(stderr,
	        "bloc: serve: listening on http://%s:%u/ (data %s, %u I/O thread%s, %u worker%s "
	        "for long requests)\n",
	        sv->shown, sv->port, o->data_dir, sv->nloops, sv->nloops == 1 ? "" : "s",
	        sv->workers, sv->workers == 1 ? "" : "s");
	fflush(stderr);
}

/* Stop: no more connections, every one closed, queued requests dropped; answers being computed
 * get SRV_STOP_MS, then the process exits without them. */
static void stop(struct server *sv, int sig)
{
	unsigned i, abandoned;

	fprintf(stderr, "bloc: serve: %s: stopping\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
	for (i = 0; i < sv->nloops; i++)
		loop_stop(sv->loops[i]);
	if ((abandoned = pool_stop(sv->e.pool, SRV_STOP_MS)) > 0) {
		fprintf(stderr, "bloc: serve: stopping: %u request%s abandoned\n", abandoned,
		        abandoned == 1 ? "" : "s");
		fflush(stderr);
		_exit(0);
	}
}

int srv_run(const struct srv_options *o)
{
	struct server sv;
	sigset_t stop_set, old;
	union address addr;
	unsigned i;
	int sig = 0, err;

	memset(&sv, 0, sizeof(sv));
	sv.listen_fd = -1;
	/* Every answer allocates and frees a few hundred KB in its thread's arena; glibc would hand
	 * the freed top of each arena back to the kernel (madvise) and fault it in again on the
	 * next request. Keep up to 64 MB: the answer cache's budget is 32 MB. */
	mallopt(M_TRIM_THRESHOLD, 64 << 20);
	mallopt(M_MMAP_THRESHOLD, 8 << 20);
	if ((sv.family = check_bind(o, &addr)) < 0)
		return sv.family;
	if ((err = srv_state_new(&sv.e.state, o->data_dir)) < 0)
		return err;
	for (i = 0; i < srv_nassets; i++)
		if (strcmp(srv_assets[i].path, "/index.html") == 0)
			sv.e.index = &srv_assets[i];
	/* the threads inherit the mask: only sigwait below sees SIGINT and SIGTERM */
	take_signals(&stop_set, &old);
	if ((err = setup(&sv, o, &addr)) < 0)
		goto done;
	for (i = 0; i < sv.nloops; i++)
		if ((err = loop_start(sv.loops[i])) < 0)
			goto done;
	announce(&sv, o);
	while (sigwait(&stop_set, &sig) != 0)
		;
	stop(&sv, sig);
	err = BLOC_OK;
done:
	teardown(&sv);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return err;
}
