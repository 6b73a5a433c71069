#include "num.h"

#include "bloc/error.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* sign? (digits ('.' digits?)? | '.' digits) ([eE] sign? digits)? : the grammar strtod would
 * accept minus its words, hexadecimal and leading spaces. */
static int decimal_syntax(const char *s)
{
	size_t ip = 0, fp = 0;

	if (*s == '+' || *s == '-')
		s++;
	for (; *s >= '0' && *s <= '9'; s++)
		ip++;
	if (*s == '.')
		for (s++; *s >= '0' && *s <= '9'; s++)
			fp++;
	if (ip + fp == 0)
		return 0;
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '+' || *s == '-')
			s++;
		if (!(*s >= '0' && *s <= '9'))
			return 0;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	return *s == '\0';
}

int bloc__parse_real(const char *text, double *out)
{
	char *end;
	double v;

	if (decimal_syntax(text)) {
		errno = 0;
		v = strtod(text, &end);
		if (*end == '\0' && errno != ERANGE && isfinite(v)) {
			*out = v;
			return BLOC_OK;
		}
	}
	return bloc_error_set(BLOC_EINVAL, "expected a number, got '%.40s'", text);
}

int bloc__parse_whole(const char *text, unsigned long long lo, unsigned long long hi,
                      unsigned long long *out)
{
	unsigned long long v = 0;
	const char *p;
	int over = 0;

	for (p = text; *p >= '0' && *p <= '9'; p++) {
		unsigned d = (unsigned)(*p - '0');
		if (v > (~0ULL - d) / 10)
			over = 1;
		else
			v = v * 10 + d;
	}
	if (p == text || *p)
		return bloc_error_set(BLOC_EINVAL,
		                      "expected a whole number from %llu to %llu, got '%.40s'", lo,
		                      hi, text);
	if (over || v < lo || v > hi)
		return bloc_error_set(BLOC_ENUMERIC,
		                      "expected a whole number from %llu to %llu, got '%.40s'", lo,
		                      hi, text);
	*out = v;
	return BLOC_OK;
}

const char *bloc__real_text(char *buf, size_t n, double v)
{
	int prec;

	if (v == 0)
		v = 0; /* -0 as 0 */
	if (v == floor(v) && fabs(v) < 1e15) {
		snprintf(buf, n, "%.0f", v);
		return buf;
	}
	for (prec = 1; prec <= 17; prec++) {
		snprintf(buf, n, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	return buf;
}
