/* The calling thread's last error: a code and its message, stored together (libgit2's
 * git_error). Nothing here allocates, so an out-of-memory failure can always be reported. */
#include "bloc/error.h"

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

/* Format into `out` (MESSAGE_MAX bytes); the length written, cut at a character boundary. */
static size_t format(char *out, const char *fmt, va_list ap)
{
	int n = vsnprintf(out, MESSAGE_MAX, fmt, ap);

	if (n < 0) {
		out[0] = '\0';
		return 0;
	}
	if ((size_t)n < MESSAGE_MAX)
		return (size_t)n;
	return utf8_cut(out, MESSAGE_MAX - 1);
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
