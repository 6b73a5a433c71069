/* The request parser of bloc serve's HTTP/1.1 engine (engine.h): pure functions over the bytes a
 * connection has read, no I/O and no allocation. Strict where leniency lets two parsers disagree
 * (RFC 9112): CRLF line ends only, no control character or NUL in a header, no folded header
 * lines, one Content-Length, chunked as the only transfer coding and never with a length, one
 * non-empty Host. */
#define _GNU_SOURCE /* memmem */
#include "engine.h"

#include <string.h>
#include <strings.h>

/* RFC 9110 tchar: the characters of a method or a header name. */
static int is_tchar(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c && strchr("!#$%&'*+-.^_`|~", c));
}

static int hex_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int http_head_end(const char *buf, size_t len, size_t *scan, size_t *head_len)
{
	size_t from = *scan > 3 ? *scan - 3 : 0, line;
	const char *eol = memmem(buf, len < HTTP_LINE_MAX + 2 ? len : HTTP_LINE_MAX + 2, "\r\n", 2);
	const char *end;

	if (!eol)
		return len >= HTTP_LINE_MAX + 2 ? -414 : 0;
	line = (size_t)(eol - buf);
	if (line == 0)
		return -400;
	end = memmem(buf + from, len - from, "\r\n\r\n", 4);
	if (!end) {
		*scan = len;
		return len - line > SRV_MAX_HEADERS + 4 ? -431 : 0;
	}
	if ((size_t)(end - eol) > SRV_MAX_HEADERS + 2)
		return -431;
	*head_len = (size_t)(end - buf) + 4;
	return 1;
}

/* METHOD SP target SP HTTP/1.x */
static int parse_line(const char *p, const char *eol, struct http_head *h)
{
	const char *m = p;

	while (p < eol && is_tchar((unsigned char)*p))
		p++;
	if (p == m || p == eol || *p != ' ')
		return 400;
	if ((size_t)(p - m) >= sizeof(h->method))
		return 501;
	memcpy(h->method, m, (size_t)(p - m));
	h->method[p - m] = '\0';
	h->target.p = ++p;
	while (p < eol && (unsigned char)*p > 0x20 && (unsigned char)*p < 0x7f)
		p++;
	h->target.n = (size_t)(p - h->target.p);
	if (h->target.n > SRV_MAX_URL)
		return 414;
	if (h->target.n == 0 || p == eol || *p != ' ')
		return 400;
	p++;
	if (eol - p != 8 || memcmp(p, "HTTP/", 5) != 0 || p[6] != '.' || p[5] < '0' || p[5] > '9' ||
	    p[7] < '0' || p[7] > '9')
		return 400;
	if (p[5] != '1')
		return 505;
	h->minor = p[7] - '0';
	return 0;
}

static int name_is(const char *name, size_t n, const char *want)
{
	return strlen(want) == n && strncasecmp(name, want, n) == 0;
}

/* The digits of a Content-Length: 400 unless digits only, 413 above SRV_MAX_BODY. */
static int content_length(struct http_text v, struct http_head *h)
{
	size_t i;
	long n = 0;

	h->why = "Content-Length given twice, empty or not a number";
	if (h->content_length >= 0 || v.n == 0)
		return 400; /* given twice (even with the same value), or empty */
	for (i = 0; i < v.n; i++) {
		if (v.p[i] < '0' || v.p[i] > '9')
			return 400;
		if (n <= (long)SRV_MAX_BODY)
			n = n * 10 + (v.p[i] - '0');
	}
	h->content_length = n;
	return 0;
}

/* One header the engine reads; the rest are only checked. */
static int take_header(const char *name, size_t n, struct http_text v, struct http_head *h)
{
	if (name_is(name, n, "content-length"))
		return content_length(v, h);
	if (name_is(name, n, "transfer-encoding")) {
		h->why = "a Transfer-Encoding other than one chunked";
		if (h->chunked || v.n != 7 || strncasecmp(v.p, "chunked", 7) != 0)
			return 400;
		h->chunked = 1;
	} else if (name_is(name, n, "host")) {
		h->host = v;
		h->hosts++;
	} else if (name_is(name, n, "connection")) {
		if (http_has_token(v, "close"))
			h->keep_alive = -1;
		else if (http_has_token(v, "keep-alive") && h->keep_alive == 0)
			h->keep_alive = 1;
	} else if (name_is(name, n, "expect")) {
		h->expect_continue = v.n == 12 && strncasecmp(v.p, "100-continue", 12) == 0;
	} else if (name_is(name, n, "content-type") || name_is(name, n, "origin") ||
	           name_is(name, n, "sec-fetch-site")) {
		struct http_text *t = name[0] == 'c' || name[0] == 'C'   ? &h->content_type
		                      : name[0] == 'o' || name[0] == 'O' ? &h->origin
		                                                         : &h->fetch_site;
		h->why = "Content-Type, Origin or Sec-Fetch-Site given twice";
		if (t->p)
			return 400; /* two values: which one would the check see? */
		*t = v;
	}
	return 0;
}

/* name ":" OWS value OWS, the value visible characters, spaces and tabs only. */
static int parse_header(const char *p, const char *eol, struct http_head *h)
{
	const char *name = p;
	struct http_text v;
	size_t i;

	while (p < eol && is_tchar((unsigned char)*p))
		p++;
	h->why = "a header line that is not NAME: VALUE (folded, or a space before the colon)";
	if (p == name || p == eol || *p != ':')
		return 400;
	h->why = "a control character or NUL in a header";
	v.p = ++p;
	v.n = (size_t)(eol - p);
	for (i = 0; i < v.n; i++) {
		unsigned char c = (unsigned char)v.p[i];
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return 400; /* NUL, bare CR or LF, other controls */
	}
	while (v.n && (*v.p == ' ' || *v.p == '\t')) {
		v.p++;
		v.n--;
	}
	while (v.n && (v.p[v.n - 1] == ' ' || v.p[v.n - 1] == '\t'))
		v.n--;
	return take_header(name, (size_t)(p - 1 - name), v, h);
}

int http_parse_head(const char *buf, size_t head_len, struct http_head *h)
{
	const char *end = buf + head_len - 2, *p, *eol = memmem(buf, head_len, "\r\n", 2);
	int st;

	memset(h, 0, sizeof(*h));
	h->content_length = -1;
	h->len = head_len;
	if (!eol)
		return 400;
	h->why = "the request line is not METHOD TARGET HTTP/1.x";
	if ((st = parse_line(buf, eol, h)) != 0)
		return st;
	for (p = eol + 2; p < end; p = eol + 2) {
		eol = memmem(p, (size_t)(end + 2 - p), "\r\n", 2);
		if ((st = parse_header(p, eol, h)) != 0)
			return st;
	}
	h->why = "both Transfer-Encoding and Content-Length";
	if (h->chunked && h->content_length >= 0)
		return 400;
	h->why = "no Host header, an empty one, or two";
	if (h->hosts != 1 || h->host.n == 0)
		return 400;
	h->why = NULL;
	if (h->content_length > (long)SRV_MAX_BODY)
		return 413;
	/* HTTP/1.1 keeps the connection unless told to close; HTTP/1.0 closes unless asked */
	h->keep_alive = h->keep_alive < 0 ? 0 : h->minor >= 1 ? 1 : h->keep_alive;
	h->expect_continue = h->expect_continue && h->minor >= 1;
	return 0;
}

/* ---- chunked bodies ---- */

enum {
	CH_SIZE,
	CH_EXT,
	CH_SIZE_LF,
	CH_DATA,
	CH_DATA_CR,
	CH_DATA_LF,
	CH_TRAILER,
	CH_TRAILER_LINE,
	CH_TRAILER_LF,
	CH_LAST_LF,
	CH_DONE
};

/* One byte of framing (a size line, the CRLF after data, the trailer). 0, 1 (done) or a status. */
static int chunk_frame(struct http_chunked *st, unsigned char c)
{
	int d;

	switch (st->state) {
	case CH_SIZE:
		if ((d = hex_value(c)) >= 0) {
			if (++st->digits > 16)
				return 400;
			st->left = st->left * 16 + (size_t)d;
			return st->left > SRV_MAX_BODY - st->total ? 413 : 0;
		}
		if (st->digits == 0)
			return 400;
		st->state = CH_EXT;
		/* fall through */
	case CH_EXT: /* chunk extensions: ignored, but no controls */
		if (c == '\r')
			st->state = CH_SIZE_LF;
		else if ((c < 0x20 && c != '\t') || c == 0x7f)
			return 400;
		return 0;
	case CH_SIZE_LF:
		if (c != '\n')
			return 400;
		st->state = st->left ? CH_DATA : CH_TRAILER;
		return 0;
	case CH_DATA_CR:
		st->state = CH_DATA_LF;
		return c == '\r' ? 0 : 400;
	case CH_DATA_LF:
		st->state = CH_SIZE;
		st->digits = 0;
		return c == '\n' ? 0 : 400;
	case CH_TRAILER:
		st->state = c == '\r' ? CH_LAST_LF : CH_TRAILER_LINE;
		return c == '\n' ? 400 : 0;
	case CH_TRAILER_LINE:
		if (c == '\r')
			st->state = CH_TRAILER_LF;
		else if ((c < 0x20 && c != '\t') || c == 0x7f)
			return 400;
		return 0;
	case CH_TRAILER_LF:
		st->state = CH_TRAILER;
		return c == '\n' ? 0 : 400;
	case CH_LAST_LF:
		st->state = CH_DONE;
		return c == '\n' ? 1 : 400;
	default:
		return 400;
	}
}

int http_chunked_step(struct http_chunked *st, char *buf, size_t *in, size_t end, size_t *out)
{
	int r;

	while (*in < end) {
		if (st->state == CH_DATA) {
			size_t n = end - *in < st->left ? end - *in : st->left;
			memmove(buf + *out, buf + *in, n);
			*in += n;
			*out += n;
			st->left -= n;
			st->total += n;
			if (st->left == 0)
				st->state = CH_DATA_CR;
			continue;
		}
		if ((r = chunk_frame(st, (unsigned char)buf[(*in)++])) != 0)
			return r;
	}
	return 0;
}

/* ---- the request target ---- */

/* Percent-decode src[0, n) to w ('+' as a space when `plus`); NULL when it holds %00. */
static char *decode(const char *src, size_t n, char *w, int plus)
{
	size_t i;

	for (i = 0; i < n; i++) {
		int hi, lo;
		if (src[i] == '%' && i + 2 < n &&
		    (hi = hex_value((unsigned char)src[i + 1])) >= 0 &&
		    (lo = hex_value((unsigned char)src[i + 2])) >= 0) {
			if (hi == 0 && lo == 0)
				return NULL;
			*w++ = (char)(hi * 16 + lo);
			i += 2;
		} else {
			*w++ = plus && src[i] == '+' ? ' ' : src[i];
		}
	}
	*w++ = '\0';
	return w;
}

/* One query argument "name[=value]" decoded to w; the next free byte, or NULL (%00). */
static char *decode_arg(const char *s, size_t n, char *w, struct srv_arg *a)
{
	const char *eq = memchr(s, '=', n);

	a->name = w;
	if (!(w = decode(s, eq ? (size_t)(eq - s) : n, w, 1)))
		return NULL;
	if (!eq) {
		a->value = "";
		return w;
	}
	a->value = w;
	return decode(eq + 1, n - (size_t)(eq + 1 - s), w, 1);
}

int http_target(struct http_text t, char *scratch, const char **path, struct srv_arg *args,
                size_t *nargs)
{
	const char *q = memchr(t.p, '?', t.n), *s, *amp, *end = t.p + t.n;
	size_t segments = 1;
	char *w;

	*nargs = 0;
	*path = scratch;
	if (!(w = decode(t.p, q ? (size_t)(q - t.p) : t.n, scratch, 0)))
		return 400;
	if (!q)
		return 0;
	for (s = q + 1; (s = memchr(s, '&', (size_t)(end - s))); s++)
		if (++segments > SRV_MAX_ARGS)
			return 414; /* empty ones count: "?&&&&..." */
	for (s = q + 1; s < end; s = amp + 1) {
		amp = memchr(s, '&', (size_t)(end - s));
		if (!amp)
			amp = end;
		if (amp == s)
			continue;
		if (!(w = decode_arg(s, (size_t)(amp - s), w, &args[(*nargs)++])))
			return 400;
	}
	return 0;
}

int http_has_token(struct http_text v, const char *token)
{
	size_t n = strlen(token);
	const char *p = v.p, *end = v.p + v.n;

	while (p < end) {
		const char *comma = memchr(p, ',', (size_t)(end - p)), *e = comma ? comma : end;
		while (p < e && (*p == ' ' || *p == '\t'))
			p++;
		while (e > p && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		if ((size_t)(e - p) == n && strncasecmp(p, token, n) == 0)
			return 1;
		p = comma ? comma + 1 : end;
	}
	return 0;
}
