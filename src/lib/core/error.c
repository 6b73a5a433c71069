/* The calling thread's last error: a code and its message, stored together (libgit2's
 * git_error). Nothing here allocates, so an out-of-memory failure can always be reported.
 * Messages carry text from data files, so control characters are escaped as they are made. */
#include "bloc/error.h"
#include "error_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define MESSAGE_MAX 1024

static _Thread_local struct {
	int code;
	char message[MESSAGE_MAX];
} last;

/* Shorten s (of length n, < MESSAGE_MAX) so it does not end inside a UTF-8 sequence. */
static size_t utf8_cut(char *s, size_t n)
{
	size_t i = n, need;

	while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80 && n - i < 3)
		i--;
	if (i == 0 || (unsigned char)s[i - 1] < 0xC0)
		return n;
	/* s[i - 1] leads a sequence of `need` bytes; n - i + 1 of them are present */
	need = (unsigned char)s[i - 1] >= 0xF0 ? 4 : (unsigned char)s[i - 1] >= 0xE0 ? 3 : 2;
	if (n - i + 1 < need) {
		n = i - 1;
		s[n] = '\0';
	}
	return n;
}

/* The length of the valid UTF-8 sequence at s[0..n) that is not a C1 control character (U+0080
 * to U+009F, which terminals also obey), or 0. */
static size_t utf8_printable(const unsigned char *s, size_t n)
{
	size_t need, i;
	unsigned cp;

	if (s[0] >= 0xC2 && s[0] <= 0xDF)
		need = 2, cp = s[0] & 0x1Fu;
	else if (s[0] >= 0xE0 && s[0] <= 0xEF)
		need = 3, cp = s[0] & 0x0Fu;
	else if (s[0] >= 0xF0 && s[0] <= 0xF4)
		need = 4, cp = s[0] & 0x07u;
	else
		return 0;
	if (need > n)
		return 0;
	for (i = 1; i < need; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3Fu);
	}
	if (cp < 0xA0 || (need == 3 && cp < 0x800) || (need == 4 && cp < 0x10000) ||
	    (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
		return 0;
	return need;
}

/* Copy raw[0..n) into out (MESSAGE_MAX bytes) with every byte that a terminal could take as a
 * command written as \xNN: control characters (below 0x20, 0x7f, so an ESC sequence from a data
 * file arrives as "\x1b[31m"), C1 controls and bytes outside valid UTF-8. Valid UTF-8 is kept as
 * it is. Stops before a character that would not fit; returns the length written. */
static size_t escape(char *out, const char *raw, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)raw;
	size_t i = 0, o = 0, k;

	while (i < n) {
		if (s[i] >= 0x20 && s[i] < 0x7F)
			k = 1;
		else
			k = s[i] >= 0x80 ? utf8_printable(s + i, n - i) : 0;
		if (k) {
			if (o + k > MESSAGE_MAX - 1)
				break;
			memcpy(out + o, raw + i, k);
			o += k, i += k;
			continue;
		}
		if (o + 4 > MESSAGE_MAX - 1)
			break;
		out[o++] = '\\', out[o++] = 'x';
		out[o++] = hex[s[i] >> 4], out[o++] = hex[s[i] & 15];
		i++;
	}
	out[o] = '\0';
	return o;
}

/* Format into `out` (MESSAGE_MAX bytes), escaped; the length written, cut at a character
 * boundary. */
static size_t format(char *out, const char *fmt, va_list ap)
{
	char raw[MESSAGE_MAX];
	int n = vsnprintf(raw, MESSAGE_MAX, fmt, ap);
	size_t len;

	if (n < 0) {
		out[0] = '\0';
		return 0;
	}
	len = (size_t)n < MESSAGE_MAX ? (size_t)n : utf8_cut(raw, MESSAGE_MAX - 1);
	return escape(out, raw, len);
}

int bloc_error_set(int code, const char *fmt, ...)
{
	char text[MESSAGE_MAX]; /* the arguments may point into last.message */
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	n = format(text, fmt, ap);
	va_end(ap);
	memcpy(last.message, text, n + 1);
	last.code = code;
	return code;
}

int bloc_error_oom(const char *fmt, ...)
{
	static const char head[] = "out of memory";
	char text[MESSAGE_MAX];
	va_list ap;
	size_t n, h = sizeof(head) - 1;

	va_start(ap, fmt);
	n = format(text, fmt, ap);
	va_end(ap);
	memcpy(last.message, head, h);
	if (n > 0) {
		last.message[h++] = ' ';
		if (n > MESSAGE_MAX - 1 - h)
			n = utf8_cut(text, MESSAGE_MAX - 1 - h);
		memcpy(last.message + h, text, n);
	}
	last.message[h + n] = '\0';
	last.code = BLOC_ENOMEM;
	return BLOC_ENOMEM;
}

int bloc_error_prefix(const char *fmt, ...)
{
	char text[MESSAGE_MAX];
	va_list ap;
	size_t p, m;

	if (last.code == BLOC_OK)
		return BLOC_OK;
	va_start(ap, fmt);
	p = format(text, fmt, ap);
	va_end(ap);
	if (p + 2 >= MESSAGE_MAX - 1)
		p = utf8_cut(text, MESSAGE_MAX - 3);
	m = strlen(last.message);
	if (p + 2 + m > MESSAGE_MAX - 1)
		m = utf8_cut(last.message, MESSAGE_MAX - 1 - p - 2);
	memmove(last.message + p + 2, last.message, m);
	memcpy(last.message, text, p);
	last.message[p] = ':';
	last.message[p + 1] = ' ';
	last.message[p + 2 + m] = '\0';
	return last.code;
}

const char *bloc_error_last(void)
{
	return last.message;
}

int bloc_error_last_code(void)
{
	return last.code;
}

void bloc_error_clear(void)
{
	last.code = BLOC_OK;
	last.message[0] = '\0';
}

/* Can c be part of a path written in a message (so "DIR/" after it is not where a path
 * starts)? */
static int path_char(unsigned char c)
{
	return c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
	       (c >= 'a' && c <= 'z') || c == '/' || c == '.' || c == '_' || c == '-' || c == '~';
}

int bloc__error_relative(const char *dir)
{
	char *m = last.message;
	size_t n = dir ? strlen(dir) : 0, r = 0, w = 0;

	while (n > 1 && dir[n - 1] == '/')
		n--;
	if (n == 0 || (n == 1 && dir[0] == '/'))
		return last.code;
	while (m[r]) {
		if ((r == 0 || !path_char((unsigned char)m[r - 1])) &&
		    strncmp(m + r, dir, n) == 0 && m[r + n] == '/') {
			for (r += n; m[r] == '/'; r++)
				;
			continue;
		}
		m[w++] = m[r++];
	}
	m[w] = '\0';
	return last.code;
}
