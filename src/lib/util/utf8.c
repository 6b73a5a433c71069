#include "utf8.h"

#include <stdint.h>

size_t bloc__utf8_seq(const unsigned char *p, size_t avail)
{
	unsigned char u = p[0];
	size_t n, i;
	uint32_t v;

	if (avail == 0)
		return 0;
	if (u < 0x80)
		return 1;
	if (u < 0xC2 || u > 0xF4)
		return 0;
	n = u < 0xE0 ? 2 : u < 0xF0 ? 3 : 4;
	if (n > avail)
		return 0;
	v = u & (n == 2 ? 0x1F : n == 3 ? 0x0F : 0x07);
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xC0) != 0x80) /* also stops at a NUL */
			return 0;
		v = (v << 6) | (p[i] & 0x3F);
	}
	if (v > 0x10FFFF || (v >= 0xD800 && v < 0xE000) || (n == 3 && v < 0x800) ||
	    (n == 4 && v < 0x10000))
		return 0;
	return n;
}

int bloc__utf8_valid(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n;

	while (*p) {
		if (!(n = bloc__utf8_seq(p, SIZE_MAX)))
			return 0;
		p += n;
	}
	return 1;
}

int bloc__utf8_valid_n(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	size_t n;

	while (p < end) {
		if (!(n = bloc__utf8_seq(p, (size_t)(end - p))))
			return 0;
		p += n;
	}
	return 1;
}
