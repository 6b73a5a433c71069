/* The growable text buffer (see bloc/buf.h). */
#include "bloc/buf.h"

#include "../core/alloc.h"
#include "utf8.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void bloc_buf_init(bloc_buf *b)
{
	memset(b, 0, sizeof(*b));
}

void bloc_buf_dispose(bloc_buf *b)
{
	if (!b)
		return;
	bloc_free(b->ptr);
	memset(b, 0, sizeof(*b));
}

void bloc_buf_clear(bloc_buf *b)
{
	b->len = 0;
	b->err = BLOC_OK;
	if (b->ptr)
		b->ptr[0] = '\0';
}

/* Room for `extra` more bytes and the terminating NUL. */
static int reserve(bloc_buf *b, size_t extra)
{
	size_t need, cap;
	char *p;

	if (b->err)
		return b->err;
	if (bloc_add_overflow(b->len, extra, &need) || bloc_add_overflow(need, 1, &need) ||
	    need > BLOC_BUF_MAX) {
		b->err = BLOC_EINVAL;
		return bloc_error_set(b->err, "document larger than %zu bytes",
		                      (size_t)BLOC_BUF_MAX);
	}
	if (need <= b->cap)
		return BLOC_OK;
	cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap = cap > BLOC_BUF_MAX / 2 ? BLOC_BUF_MAX + 1 : cap * 2;
	if (!(p = bloc_realloc(b->ptr, cap))) {
		b->err = BLOC_ENOMEM;
		return bloc_error_oom("building a document (%zu bytes)", cap);
	}
	b->ptr = p;
	b->cap = cap;
	return BLOC_OK;
}

char *bloc_buf_reserve(bloc_buf *b, size_t n)
{
	return reserve(b, n) < 0 ? NULL : b->ptr + b->len;
}

void bloc_buf_commit(bloc_buf *b, size_t n)
{
	if (b->err || !b->ptr)
		return;
	b->len += n;
	b->ptr[b->len] = '\0';
}

int bloc_buf_put(bloc_buf *b, const char *s, size_t n)
{
	int err;

	if (n == 0)
		return b->err;
	if ((err = reserve(b, n)) < 0)
		return err;
	memcpy(b->ptr + b->len, s, n);
	b->len += n;
	b->ptr[b->len] = '\0';
	return BLOC_OK;
}

int bloc_buf_puts(bloc_buf *b, const char *s)
{
	return bloc_buf_put(b, s, strlen(s));
}

int bloc_buf_printf(bloc_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n, err;

	if (b->err)
		return b->err;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->err = BLOC_EINVAL;
		return bloc_error_set(b->err, "document: bad format string '%.40s'", fmt);
	}
	if ((err = reserve(b, (size_t)n)) < 0)
		return err;
	va_start(ap, fmt);
	vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return BLOC_OK;
}

int bloc_buf_put_xml(bloc_buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s, *run = p;
	size_t n;

	while (*p) {
		const char *rep = NULL;
		switch (*p) {
		case '&':
			rep = "&amp;";
			break;
		case '<':
			rep = "&lt;";
			break;
		case '>':
			rep = "&gt;";
			break;
		case '"':
			rep = "&quot;";
			break;
		case '\'':
			rep = "&#39;";
			break;
		default:
			break;
		}
		if (rep || (*p < 0x20 && *p != '\t' && *p != '\n') || *p == 0x7f) {
			bloc_buf_put(b, (const char *)run, (size_t)(p - run));
			if (rep)
				bloc_buf_puts(b, rep);
			run = ++p;
			continue;
		}
		if (*p < 0x80) {
			p++;
			continue;
		}
		if ((n = bloc__utf8_seq(p, SIZE_MAX)) == 0) {
			bloc_buf_put(b, (const char *)run, (size_t)(p - run));
			bloc_buf_puts(b, "\xEF\xBF\xBD");
			run = ++p;
			continue;
		}
		p += n;
	}
	return bloc_buf_put(b, (const char *)run, (size_t)(p - run));
}

const char *bloc_buf_cstr(const bloc_buf *b)
{
	return b->len ? b->ptr : "";
}

int bloc_buf_check(const bloc_buf *b)
{
	if (b->err == BLOC_ENOMEM)
		return bloc_error_oom("building a document");
	if (b->err)
		return bloc_error_set(b->err, "document larger than %zu bytes",
		                      (size_t)BLOC_BUF_MAX);
	return BLOC_OK;
}

int bloc_buf_detach(bloc_buf *b, char **out, size_t *len)
{
	int err;

	*out = NULL;
	if (len)
		*len = 0;
	if ((err = bloc_buf_check(b)) < 0) {
		bloc_buf_dispose(b);
		return err;
	}
	if (!b->ptr && reserve(b, 0) < 0)
		return bloc_buf_check(b);
	b->ptr[b->len] = '\0';
	*out = b->ptr;
	if (len)
		*len = b->len;
	memset(b, 0, sizeof(*b));
	return BLOC_OK;
}
