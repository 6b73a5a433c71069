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

size_t bloc__json_string_at(char *o, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	char *start = o;

	*o++ = '"';
	for (; *p; p++) {
		size_t n = escape(*p, o);
		if (n)
			o += n;
		else
			*o++ = (char)*p;
	}
	*o++ = '"';
	return (size_t)(o - start);
}

/* Has the word a zero byte / a byte below 0x20 (its bytes all below 0x80)? */
#define ONES            0x0101010101010101ULL
#define HIGHS           0x8080808080808080ULL
#define HAS_ZERO(x)     (((x)-ONES) & ~(x)&HIGHS)
#define HAS_BELOW(x, n) (((x) - (n)*ONES) & ~(x)&HIGHS)

int bloc__json_plain(const char *s, size_t len)
{
	size_t i = 0;
	uint64_t w;

	/* eight bytes at a time: none >= 0x80, below 0x20, 0x7f, '"' or '\\' */
	for (; i + 8 <= len; i += 8) {
		memcpy(&w, s + i, 8);
		if ((w & HIGHS) || HAS_BELOW(w, 0x20) || HAS_ZERO(w ^ (0x7f * ONES)) ||
		    HAS_ZERO(w ^ (0x22 * ONES)) || HAS_ZERO(w ^ (0x5c * ONES)))
			return 0;
	}
	/* the last few: printable ASCII but '"' and '\\' (0x20..0x7e), one test per byte */
	for (; i < len; i++)
		if ((unsigned char)(s[i] - 0x20) > 0x5e || s[i] == '"' || s[i] == '\\')
			return 0;
	return 1;
}

size_t bloc__json_int_at(char *o, int64_t v)
{
	char d[24], *p = d + sizeof(d);
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	size_t n;

	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--p = '-';
	n = (size_t)(d + sizeof(d) - p);
	memcpy(o, p, n);
	return n;
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
	char d[24];

	return bloc_buf_put(b, d, bloc__json_int_at(d, v));
}

/* With at most 15 significant digits the double prints back as the same digits, so "%.15g" only
 * drops the trailing zeros (and uses an exponent below 1e-4 or from 1e15: left to jansson). */
size_t bloc__json_decimal_at(char *o, const char *text)
{
	const char *p = text[0] == '-' ? text + 1 : text, *dot = NULL, *q, *end, *first = NULL,
	           *last = NULL;
	size_t sig, n;
	long e;

	for (q = p; *q; q++) {
		if (*q == '.' && !dot)
			dot = q;
		else if (*q < '0' || *q > '9')
			return 0;
		else if (*q != '0') {
			if (!first)
				first = q;
			last = q;
		}
	}
	end = dot ? dot : q;
	if (end == p)
		return 0;
	if (!first) {
		if (p != text)
			return 0;
		memcpy(o, "0.0", 3);
		return 3;
	}
	sig = (size_t)(last - first) + 1 - (dot && first < dot && last > dot);
	e = first < end ? (long)(end - first) - 1 : -(long)(first - dot);
	if (sig > 15 || e < -4 || e >= 15)
		return 0;
	n = (size_t)(end - text);
	memcpy(o, text, n);
	if (dot && last > dot) {
		memcpy(o + n, dot, (size_t)(last - dot) + 1);
		return n + (size_t)(last - dot) + 1;
	}
	memcpy(o + n, ".0", 2);
	return n + 2;
}

int bloc__json_put_decimal(bloc_buf *b, const char *text)
{
	char *o = bloc_buf_reserve(b, strlen(text) + 2);
	size_t n;
	json_t *j;
	char *s;

	if (!o)
		return b->err;
	if ((n = bloc__json_decimal_at(o, text))) {
		bloc_buf_commit(b, n);
		return BLOC_OK;
	}
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
