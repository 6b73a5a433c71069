#include "json.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define JSON_FLAGS (JSON_COMPACT | JSON_REAL_PRECISION(15))

/* The escape for byte c into e (at least 6 bytes) and its length; 0 if c stands for itself. */
static size_t escape(unsigned char c, char *e)
{
	static const char hex[] = "0123456789ABCDEF";
	char name;

	if (c >= 0x20 && c != '"' && c != '\\')
		return 0;
	switch (c) {
	case '"':
	case '\\':
		name = (char)c;
		break;
	case '\b':
		name = 'b';
		break;
	case '\f':
		name = 'f';
		break;
	case '\n':
		name = 'n';
		break;
	case '\r':
		name = 'r';
		break;
	case '\t':
		name = 't';
		break;
	default:
		memcpy(e, "\\u00", 4);
		e[4] = hex[c >> 4];
		e[5] = hex[c & 15];
		return 6;
	}
	e[0] = '\\';
	e[1] = name;
	return 2;
}

/* Write s as a JSON string through put(payload, bytes, n): runs of plain bytes, then escapes. */
static void put_string(const char *s, void (*put)(const char *, size_t, void *), void *payload)
{
	const unsigned char *p = (const unsigned char *)s, *run = p;
	char e[6];
	size_t n;

	put("\"", 1, payload);
	for (; *p; p++) {
		if (!(n = escape(*p, e)))
			continue;
		if (p > run)
			put((const char *)run, (size_t)(p - run), payload);
		put(e, n, payload);
		run = p + 1;
	}
	if (p > run)
		put((const char *)run, (size_t)(p - run), payload);
	put("\"", 1, payload);
}

static void put_buf(const char *s, size_t n, void *payload)
{
	bloc_buf_put(payload, s, n);
}

static void put_file(const char *s, size_t n, void *payload)
{
	fwrite(s, 1, n, payload);
}

int bloc__json_put_string(bloc_buf *b, const char *s)
{
	put_string(s, put_buf, b);
	return b->err;
}

int bloc__json_write_string(FILE *fp, const char *s)
{
	put_string(s, put_file, fp);
	if (ferror(fp))
		return bloc_error_set(BLOC_EIO, "json: could not write a string");
	return BLOC_OK;
}

int bloc__json_put_int(bloc_buf *b, int64_t v)
{
	char d[24], *p = d + sizeof(d);
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--p = '-';
	return bloc_buf_put(b, p, (size_t)(d + sizeof(d) - p));
}

/* With at most 15 significant digits the double prints back as the same digits, so "%.15g" only
 * drops the trailing zeros (and uses an exponent below 1e-4 or from 1e15: left to jansson). */
int bloc__json_put_decimal(bloc_buf *b, const char *text)
{
	const char *p = text[0] == '-' ? text + 1 : text, *dot = NULL, *q, *end, *first = NULL,
	           *last = NULL;
	size_t sig;
	long e;
	json_t *j;
	char *s;

	for (q = p; *q; q++) {
		if (*q == '.' && !dot)
			dot = q;
		else if (*q < '0' || *q > '9')
			goto slow;
		else if (*q != '0') {
			if (!first)
				first = q;
			last = q;
		}
	}
	end = dot ? dot : q;
	if (end == p)
		goto slow;
	if (!first) {
		if (p != text)
			goto slow;
		return bloc_buf_put(b, "0.0", 3);
	}
	sig = (size_t)(last - first) + 1 - (dot && first < dot && last > dot);
	e = first < end ? (long)(end - first) - 1 : -(long)(first - dot);
	if (sig > 15 || e < -4 || e >= 15)
		goto slow;
	bloc_buf_put(b, text, (size_t)(end - text));
	if (dot && last > dot)
		return bloc_buf_put(b, dot, (size_t)(last - dot) + 1);
	return bloc_buf_put(b, ".0", 2);
slow:
	if (!(j = json_real(strtod(text, NULL))))
		return bloc_error_set(BLOC_EINVAL, "json: '%.40s' is not a finite number", text);
	s = json_dumps(j, JSON_FLAGS | JSON_ENCODE_ANY);
	json_decref(j);
	if (!s)
		return bloc_error_oom("writing the number %.40s as JSON", text);
	bloc_buf_puts(b, s);
	free(s);
	return BLOC_OK;
}
