/* The event loops of bloc serve (engine.h). Each loop is one thread with its own epoll set and
 * its own connections, accepting from the shared listening socket. A connection is always on
 * exactly one list, by what it is doing:
 *   idle     waiting for its next request            closed SRV_IDLE_MS after it got there
 *   reading  a request arriving (headers, body)      closed SRV_REQUEST_MS after its first byte
 *   writing  answers queued, the client reading      closed SRV_WRITE_MS after they were queued
 *   linger   its last answer sent, draining input    closed SRV_LINGER_MS after
 *   busy     its request in the heavy queue          no deadline (the queue is bounded)
 * A deadline is fixed when the connection enters a list and bytes never move it, so each list is
 * in deadline order and a sweep looks at its head only. When a new connection would pass the
 * loop's limit, or its client's, the oldest connection that is idle, lingering or still sending
 * its request is closed (that client's own for the per-client limit): a flood of idle or slow
 * connections evicts itself, and a new client always gets in. */
#define _GNU_SOURCE /* accept4 */
#include "engine.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#define IN_FIRST       4096u                                  /* a connection's first buffer */
#define IN_MAX         (HTTP_HEAD_MAX + SRV_MAX_BODY + 1024u) /* its largest (chunk framing) */
#define OUT_BACKLOG    32u /* answers queued before the connection's next requests wait */
#define IOV_N          64
#define CLIENT_BUCKETS 1024u

enum { L_IDLE, L_READING, L_WRITING, L_LINGER, L_BUSY, NLISTS };

struct client {
	struct client *next;
	unsigned char addr[16]; /* IPv6, or IPv4-mapped */
	unsigned conns;
};

struct conn {
	struct conn *prev, *next; /* on lp->lists[list]; next also chains the dead */
	int list;
	int64_t deadline;
	int fd; /* -1 once closed */
	uint32_t events;
	struct client *client;
	char *in;
	size_t in_len, in_cap, scan;
	int have_head;
	struct http_head head;
	struct http_chunked chunk;
	size_t body_in, body_out;
	struct out *out, *out_last;
	unsigned nout;
	struct job *job;
	unsigned eof : 1, done : 1, linger : 1;
};

struct list {
	struct conn *head, *tail;
};

struct loop {
	struct engine *e;
	struct loop_limits lim;
	int listen_fd, ep, wake, reserve_fd;
	pthread_t thread;
	int started;
	atomic_int stop;
	struct list lists[NLISTS];
	struct conn *dead; /* closed during this round of events, freed after it */
	unsigned nconns;
	struct client *clients[CLIENT_BUCKETS];
	pthread_mutex_t mu; /* guards finished */
	struct job *finished;
};

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- lists and deadlines ---- */

static int64_t list_ms(const struct loop *lp, int list)
{
	switch (list) {
	case L_IDLE:
		return lp->lim.idle_ms;
	case L_READING:
		return lp->lim.request_ms;
	case L_WRITING:
		return lp->lim.write_ms;
	case L_LINGER:
		return SRV_LINGER_MS;
	default:
		return 0;
	}
}

static void list_remove(struct loop *lp, struct conn *c)
{
	struct list *l = &lp->lists[c->list];

	if (c->prev)
		c->prev->next = c->next;
	else
		l->head = c->next;
	if (c->next)
		c->next->prev = c->prev;
	else
		l->tail = c->prev;
	c->prev = c->next = NULL;
}

static void list_append(struct loop *lp, struct conn *c, int list)
{
	struct list *l = &lp->lists[list];

	c->list = list;
	c->deadline = now_ms() + list_ms(lp, list);
	c->next = NULL;
	c->prev = l->tail;
	if (l->tail)
		l->tail->next = c;
	else
		l->head = c;
	l->tail = c;
}

/* Put c on the list of what it is doing now; a new deadline only when that changed (or `renew`:
 * a request has been answered, the next one gets its own time). */
static void settle(struct loop *lp, struct conn *c, int renew)
{
	int list = c->linger   ? L_LINGER
	           : c->job    ? L_BUSY
	           : c->out    ? L_WRITING
	           : c->in_len ? L_READING
	                       : L_IDLE;

	if (list == c->list && !renew)
		return;
	list_remove(lp, c);
	list_append(lp, c, list);
	if (list == L_IDLE && c->in_cap > IN_FIRST) {
		free(c->in); /* a large body's buffer: give it back while idle */
		c->in = NULL;
		c->in_cap = 0;
	}
}

/* Can c->in take more bytes? (It grows only between requests: the head points into it.) */
static int room(const struct conn *c)
{
	return c->in_len < c->in_cap || (!c->have_head && c->in_cap < IN_MAX);
}

static void update_events(struct loop *lp, struct conn *c)
{
	struct epoll_event ev;
	uint32_t want = 0;

	if (c->linger || (!c->eof && !c->done && room(c)))
		want |= EPOLLIN;
	if (c->out)
		want |= EPOLLOUT;
	if (want == c->events)
		return;
	memset(&ev, 0, sizeof(ev));
	ev.events = want;
	ev.data.ptr = c;
	if (epoll_ctl(lp->ep, EPOLL_CTL_MOD, c->fd, &ev) == 0)
		c->events = want;
}

/* ---- clients ---- */

static size_t client_bucket(const unsigned char *addr)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < 16; i++)
		h = (h ^ addr[i]) * 16777619u;
	return h % CLIENT_BUCKETS;
}

static struct client *client_get(struct loop *lp, const unsigned char *addr)
{
	struct client **at = &lp->clients[client_bucket(addr)], *cl;

	for (cl = *at; cl; cl = cl->next)
		if (memcmp(cl->addr, addr, 16) == 0)
			return cl;
	if (!(cl = calloc(1, sizeof(*cl))))
		return NULL;
	memcpy(cl->addr, addr, 16);
	cl->next = *at;
	*at = cl;
	return cl;
}

static void client_drop(struct loop *lp, struct client *cl)
{
	struct client **at;

	if (--cl->conns)
		return;
	for (at = &lp->clients[client_bucket(cl->addr)]; *at != cl; at = &(*at)->next)
		;
	*at = cl->next;
	free(cl);
}

/* The peer's address as 16 bytes (IPv4 mapped into IPv6). */
static void peer_key(const struct sockaddr_storage *sa, unsigned char *key)
{
	memset(key, 0, 16);
	if (sa->ss_family == AF_INET6) {
		memcpy(key, &((const struct sockaddr_in6 *)sa)->sin6_addr, 16);
	} else if (sa->ss_family == AF_INET) {
		key[10] = key[11] = 0xff;
		memcpy(key + 12, &((const struct sockaddr_in *)sa)->sin_addr, 4);
	}
}

/* ---- opening and closing ---- */

static void conn_close(struct loop *lp, struct conn *c)
{
	struct out *o;

	if (c->fd < 0)
		return;
	close(c->fd);
	c->fd = -1;
	list_remove(lp, c);
	client_drop(lp, c->client);
	while ((o = c->out)) {
		c->out = o->next;
		out_free(o);
	}
	if (c->job) {
		if (pool_cancel(lp->e->pool, c->job))
			job_free(c->job);
		else
			c->job->conn = NULL; /* being computed: dropped when it comes back */
		c->job = NULL;
	}
	free(c->in);
	c->in = NULL;
	lp->nconns--;
	c->next = lp->dead;
	lp->dead = c;
}

/* Close the oldest connection that is lingering, idle or still sending its request (of client
 * `cl`, or anyone's); 0 when there is none. */
static int evict(struct loop *lp, const struct client *cl)
{
	static const int order[] = {L_LINGER, L_IDLE, L_READING};
	struct conn *c;
	size_t i;

	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		for (c = lp->lists[order[i]].head; c; c = c->next)
			if (!cl || c->client == cl) {
				conn_close(lp, c);
				return 1;
			}
	return 0;
}

static void admit(struct loop *lp, int fd, const struct sockaddr_storage *sa)
{
	unsigned char key[16];
	struct epoll_event ev;
	struct client *cl;
	struct conn *c;
	int one = 1;

	peer_key(sa, key);
	if (!(cl = client_get(lp, key))) {
		close(fd);
		return;
	}
	cl->conns++; /* this one, from now on: no eviction below can free cl */
	if (!(c = calloc(1, sizeof(*c)))) {
		client_drop(lp, cl);
		close(fd);
		return;
	}
	if (cl->conns > lp->lim.per_client)
		evict(lp, cl);
	if (lp->nconns >= lp->lim.max_conns)
		evict(lp, NULL);
	lp->nconns++;
	c->fd = fd;
	c->client = cl;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	memset(&ev, 0, sizeof(ev));
	ev.events = c->events = EPOLLIN;
	ev.data.ptr = c;
	list_append(lp, c, L_IDLE);
	if (epoll_ctl(lp->ep, EPOLL_CTL_ADD, fd, &ev) != 0)
		conn_close(lp, c);
}

static void on_accept(struct loop *lp)
{
	struct sockaddr_storage sa;
	socklen_t len;
	int i, fd;

	for (i = 0; i < 64; i++) {
		len = sizeof(sa);
		fd = accept4(lp->listen_fd, (struct sockaddr *)&sa, &len,
		             SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd >= 0) {
			admit(lp, fd, &sa);
			continue;
		}
		if ((errno == EMFILE || errno == ENFILE) && lp->reserve_fd >= 0) {
			/* out of descriptors: take the connection off the backlog and close it,
			 * or the listening socket would wake us forever */
			close(lp->reserve_fd);
			if ((fd = accept(lp->listen_fd, NULL, NULL)) >= 0)
				close(fd);
			lp->reserve_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
			evict(lp, NULL);
		}
		return;
	}
}

/* ---- answers ---- */

static void queue_out(struct conn *c, struct out *o)
{
	o->next = NULL;
	if (c->out)
		c->out_last->next = o;
	else
		c->out = o;
	c->out_last = o;
	c->nout++;
	if (o->close)
		c->done = 1;
}

/* Answer a request that leaves the stream unreadable with `status`, then close. -1 when out of
 * memory. */
static int fail(struct conn *c, unsigned status, const char *why)
{
	struct out *o;

	switch (status) {
	case 413:
		o = out_error(413, OUT_CLOSE, "the request body is larger than %u bytes",
		              SRV_MAX_BODY);
		break;
	case 414:
		o = out_error(414, OUT_CLOSE, "the request target is longer than %u bytes",
		              SRV_MAX_URL);
		break;
	case 431:
		o = out_error(431, OUT_CLOSE, "the request headers are larger than %u bytes",
		              SRV_MAX_HEADERS);
		break;
	default:
		o = out_error(status, OUT_CLOSE, "malformed request: %s",
		              why ? why : "not HTTP/1.1");
	}
	if (!o)
		return -1;
	queue_out(c, o);
	return 0;
}

static int request_flags(const struct conn *c)
{
	const struct http_head *h = &c->head;
	int has_body = h->chunked || h->content_length > 0;

	return (strcmp(h->method, "HEAD") == 0 ? OUT_HEAD_ONLY : 0) |
	       (!h->keep_alive  ? OUT_CLOSE
	        : h->minor == 0 ? OUT_KEEP_ALIVE
	                        : 0) |
	       /* until the body is read, an early answer must close */
	       (has_body ? OUT_CLOSE : 0);
}

/* The head is in c->in[0, head_len): parse it, make room for its body, check it. 0 to go on
 * reading the body, 1 when an answer was queued already, -1 to close. */
static int take_head(struct loop *lp, struct conn *c, size_t head_len)
{
	struct http_head *h = &c->head;
	size_t need;
	struct out *o;
	int st;

	if ((st = http_parse_head(c->in, head_len, h)) != 0)
		return fail(c, (unsigned)st, h->why) < 0 ? -1 : 1;
	need = head_len + (h->chunked              ? IN_MAX - head_len
	                   : h->content_length > 0 ? (size_t)h->content_length
	                                           : 0);
	if (need > c->in_cap) {
		char *grown = realloc(c->in, need);
		if (!grown)
			return -1;
		c->in = grown;
		c->in_cap = need;
		http_parse_head(c->in, head_len,
		                h); /* the same head, pointing into the new buffer */
	}
	c->have_head = 1;
	c->body_in = c->body_out = head_len;
	memset(&c->chunk, 0, sizeof(c->chunk));
	if ((o = respond_check(lp->e, h, request_flags(c)))) {
		queue_out(c, o);
		return 1;
	}
	if (h->expect_continue && (h->chunked || c->in_len < need)) {
		if (!(o = out_continue()))
			return -1;
		queue_out(c, o);
	}
	return 0;
}

/* The body so far: 1 complete (*body, *len, *used set), 0 not yet, -1 close, 2 an error queued. */
static int take_body(struct conn *c, const char **body, size_t *len, size_t *used)
{
	const struct http_head *h = &c->head;
	int r;

	if (!h->chunked) {
		size_t n = h->content_length > 0 ? (size_t)h->content_length : 0;
		if (c->in_len - h->len < n)
			return 0;
		*body = c->in + h->len;
		*len = n;
		*used = h->len + n;
		return 1;
	}
	r = http_chunked_step(&c->chunk, c->in, &c->body_in, c->in_len, &c->body_out);
	if (r == 0 && c->in_len < c->in_cap)
		return 0;
	if (r == 0 || r >= 400)
		return fail(c, r == 0 ? 413 : (unsigned)r, "chunked framing") < 0 ? -1 : 2;
	*body = c->in + h->len;
	*len = c->body_out - h->len;
	*used = c->body_in;
	return 1;
}

/* Answer a complete request (inline, or by queueing it for the workers). 0, or -1 to close. */
static int dispatch(struct loop *lp, struct conn *c, const char *body, size_t len)
{
	int flags = request_flags(c) & ~(c->head.keep_alive ? OUT_CLOSE : 0);
	struct out *o;
	struct job *j;

	if (respond(lp->e, &c->head, body, len, flags, &o, &j) < 0)
		return -1;
	if (j) {
		j->loop = lp;
		j->conn = c;
		if (pool_submit(lp->e->pool, j) == 0) {
			c->job = j;
			return 0;
		}
		job_free(j);
		o = out_error(503, flags,
		              "the server is busy with other long requests; try again in %u s",
		              SRV_RETRY_AFTER);
		if (!o)
			return -1;
	}
	queue_out(c, o);
	return 0;
}

/* Drop the bytes of the request just answered (the next one, pipelined, moves to the front). */
static void consume(struct conn *c, size_t used)
{
	memmove(c->in, c->in + used, c->in_len - used);
	c->in_len -= used;
	c->scan = 0;
	c->have_head = 0;
}

/* Answer what the buffer holds, in order, while nothing waits. -1 to close. */
static int process(struct loop *lp, struct conn *c)
{
	const char *body;
	size_t len, used, head_len;
	int r;

	while (!c->job && !c->done && !c->linger && c->nout < OUT_BACKLOG && c->in_len) {
		if (!c->have_head) {
			r = http_head_end(c->in, c->in_len, &c->scan, &head_len);
			if (r < 0)
				return fail(c, (unsigned)-r, "the request line") < 0 ? -1 : 0;
			if (r == 0)
				return 0;
			if ((r = take_head(lp, c, head_len)) != 0) {
				if (r < 0)
					return -1;
				if (!c->done) /* an error answered, no body: go on */
					consume(c, head_len), settle(lp, c, 1);
				continue;
			}
		}
		if ((r = take_body(c, &body, &len, &used)) <= 0 || r == 2)
			return r < 0 ? -1 : 0;
		if (dispatch(lp, c, body, len) < 0)
			return -1;
		consume(c, used);
		settle(lp, c, 1);
	}
	return 0;
}

/* ---- reading and writing ---- */

/* Read what is there (one call). -1 to close. */
static int read_some(struct conn *c)
{
	ssize_t n;

	if (c->linger) {
		char sink[16384];
		int i;
		/* a few reads per wake-up: a client sending without end cannot hold the loop */
		for (i = 0; i < 8 && (n = read(c->fd, sink, sizeof(sink))) > 0; i++)
			;
		return i == 8 ? 0 : n == 0 || (errno != EAGAIN && errno != EINTR) ? -1 : 0;
	}
	if (c->in_len == c->in_cap && !c->have_head && c->in_cap < IN_MAX) {
		size_t cap = c->in_cap ? c->in_cap * 2 : IN_FIRST;
		char *grown = realloc(c->in, cap < IN_MAX ? cap : IN_MAX);
		if (!grown)
			return -1;
		c->in = grown;
		c->in_cap = cap < IN_MAX ? cap : IN_MAX;
	}
	if (c->in_len == c->in_cap || c->eof || c->done)
		return 0;
	n = read(c->fd, c->in + c->in_len, c->in_cap - c->in_len);
	if (n > 0)
		c->in_len += (size_t)n;
	else if (n == 0)
		c->eof = 1;
	else if (errno != EAGAIN && errno != EINTR)
		return -1;
	return 0;
}

/* The last answer is out: send no more, read what the client still sends for a while (closing
 * with unread bytes would reset the connection and could lose the answer). -1 to close now. */
static int start_linger(struct loop *lp, struct conn *c)
{
	if (c->eof)
		return -1;
	shutdown(c->fd, SHUT_WR);
	c->linger = 1;
	c->in_len = 0;
	settle(lp, c, 0);
	return 0;
}

/* Account for n bytes written; 1 when an answer that closes is all out. */
static int advance(struct conn *c, size_t n)
{
	struct out *o;

	while ((o = c->out)) {
		size_t left = o->head_len + o->body_len - o->sent;
		int close_after = o->close;
		if (left > n) {
			o->sent += n;
			return 0;
		}
		n -= left;
		c->out = o->next;
		c->nout--;
		out_free(o);
		if (close_after)
			return 1;
	}
	return 0;
}

/* Write the queued answers until done or the socket is full. -1 to close. */
static int flush(struct loop *lp, struct conn *c)
{
	struct iovec iov[IOV_N];
	struct msghdr msg;
	struct out *o;
	ssize_t n;
	int k;

	while (c->out) {
		for (k = 0, o = c->out; o && k + 2 <= IOV_N; o = o->next) {
			size_t s = o->sent;
			if (s < o->head_len) {
				iov[k].iov_base = o->head + s;
				iov[k++].iov_len = o->head_len - s;
				s = 0;
			} else {
				s -= o->head_len;
			}
			if (o->body_len > s) {
				iov[k].iov_base = (char *)o->body + s;
				iov[k++].iov_len = o->body_len - s;
			}
			if (o->close)
				break;
		}
		memset(&msg, 0, sizeof(msg));
		msg.msg_iov = iov;
		msg.msg_iovlen = (size_t)k;
		if ((n = sendmsg(c->fd, &msg, MSG_NOSIGNAL)) < 0)
			return errno == EAGAIN || errno == EWOULDBLOCK ? 0
			       : errno == EINTR                        ? 0
			                                               : -1;
		if (advance(c, (size_t)n))
			return start_linger(lp, c);
	}
	return 0;
}

/* Everything a connection can do now: answer, write, and settle on its list. */
static void service(struct loop *lp, struct conn *c)
{
	int round;

	for (round = 0; round < 4 && !c->linger; round++) {
		if (process(lp, c) < 0 || flush(lp, c) < 0) {
			conn_close(lp, c);
			return;
		}
		if (c->nout >= OUT_BACKLOG || c->job || c->done || c->out)
			break;
	}
	if (!c->linger && c->eof && !c->job && !c->out) {
		conn_close(lp, c); /* the client has finished sending, and has its answers */
		return;
	}
	settle(lp, c, 0);
	update_events(lp, c);
}

static void on_event(struct loop *lp, struct conn *c, uint32_t events)
{
	if (c->fd < 0)
		return;
	if ((events & EPOLLERR) || ((events & (EPOLLIN | EPOLLHUP)) && read_some(c) < 0)) {
		conn_close(lp, c);
		return;
	}
	if (c->linger)
		return;
	service(lp, c);
}

/* ---- the loop ---- */

void loop_complete(struct loop *lp, struct job *j)
{
	uint64_t one = 1;

	pthread_mutex_lock(&lp->mu);
	j->next = lp->finished;
	lp->finished = j;
	pthread_mutex_unlock(&lp->mu);
	if (write(lp->wake, &one, sizeof(one)) < 0) {
		/* the counter is already non-zero: the loop wakes anyway */
	}
}

/* Answers the workers have finished: to their connections, if still open. */
static void on_finished(struct loop *lp)
{
	struct job *j, *next;
	struct conn *c;
	struct out *o;
	uint64_t n;

	if (read(lp->wake, &n, sizeof(n)) < 0) {
		/* nothing to read: woken for nothing */
	}
	pthread_mutex_lock(&lp->mu);
	j = lp->finished;
	lp->finished = NULL;
	pthread_mutex_unlock(&lp->mu);
	for (; j; j = next) {
		next = j->next;
		if ((c = j->conn) && c->fd >= 0) {
			c->job = NULL;
			if (!(o = out_reply(&j->rp, j->flags)))
				conn_close(lp, c);
			else {
				queue_out(c, o);
				service(lp, c);
			}
		}
		job_free(j);
	}
}

/* Close what is past its deadline; the milliseconds to the next deadline (-1: none). */
static int sweep(struct loop *lp)
{
	int64_t now = now_ms(), next = -1;
	int l;

	for (l = L_IDLE; l <= L_LINGER; l++) {
		struct conn *c;
		while ((c = lp->lists[l].head) && c->deadline <= now)
			conn_close(lp, c);
		if (c && (next < 0 || c->deadline - now < next))
			next = c->deadline - now;
	}
	return next < 0 ? -1 : (int)(next + 1);
}

static void free_dead(struct loop *lp)
{
	struct conn *c;

	while ((c = lp->dead)) {
		lp->dead = c->next;
		free(c);
	}
}

static void *loop_main(void *arg)
{
	struct loop *lp = arg;
	struct epoll_event ev[64];
	int i, n, l;

	while (!atomic_load(&lp->stop)) {
		n = epoll_wait(lp->ep, ev, 64, sweep(lp));
		for (i = 0; i < n && !atomic_load(&lp->stop); i++) {
			if (ev[i].data.ptr == &lp->listen_fd)
				on_accept(lp);
			else if (ev[i].data.ptr == &lp->wake)
				on_finished(lp);
			else
				on_event(lp, ev[i].data.ptr, ev[i].events);
		}
		free_dead(lp);
	}
	for (l = 0; l < NLISTS; l++)
		while (lp->lists[l].head)
			conn_close(lp, lp->lists[l].head);
	free_dead(lp);
	return NULL;
}

int loop_new(struct loop **out, struct engine *e, int listen_fd, const struct loop_limits *lim)
{
	struct loop *lp = calloc(1, sizeof(*lp));
	struct epoll_event ev;

	*out = NULL;
	if (!lp)
		return bloc_error_oom("starting an event loop");
	lp->e = e;
	lp->lim = *lim;
	lp->listen_fd = listen_fd;
	pthread_mutex_init(&lp->mu, NULL);
	lp->ep = epoll_create1(EPOLL_CLOEXEC);
	lp->wake = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	lp->reserve_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN | EPOLLEXCLUSIVE;
	ev.data.ptr = &lp->listen_fd;
	if (lp->ep < 0 || lp->wake < 0 || epoll_ctl(lp->ep, EPOLL_CTL_ADD, listen_fd, &ev) != 0)
		goto fail;
	ev.events = EPOLLIN;
	ev.data.ptr = &lp->wake;
	if (epoll_ctl(lp->ep, EPOLL_CTL_ADD, lp->wake, &ev) != 0)
		goto fail;
	*out = lp;
	return BLOC_OK;
fail:
	loop_free(lp);
	return bloc_error_set(BLOC_EIO, "serve: cannot start an event loop: %s", strerror(errno));
}

int loop_start(struct loop *lp)
{
	int err = pthread_create(&lp->thread, NULL, loop_main, lp);

	if (err)
		return bloc_error_set(BLOC_EPAR, "serve: cannot start an event loop: %s",
		                      strerror(err));
	lp->started = 1;
	return BLOC_OK;
}

void loop_stop(struct loop *lp)
{
	uint64_t one = 1;

	if (!lp || !lp->started)
		return;
	atomic_store(&lp->stop, 1);
	if (write(lp->wake, &one, sizeof(one)) < 0) {
		/* already signalled */
	}
	pthread_join(lp->thread, NULL);
	lp->started = 0;
}

void loop_free(struct loop *lp)
{
	struct job *j;

	if (!lp)
		return;
	loop_stop(lp);
	while ((j = lp->finished)) {
		lp->finished = j->next;
		job_free(j);
	}
	if (lp->ep >= 0)
		close(lp->ep);
	if (lp->wake >= 0)
		close(lp->wake);
	if (lp->reserve_fd >= 0)
		close(lp->reserve_fd);
	pthread_mutex_destroy(&lp->mu);
	free(lp);
}
