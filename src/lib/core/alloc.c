#include "alloc.h"

#include "bloc/error.h"

#include <stdlib.h>
#include <string.h>

static _Thread_local unsigned long fail_after;

void bloc__alloc_fail_after(unsigned long n)
{
	fail_after = n;
}

unsigned long bloc__alloc_fail_pending(void)
{
	return fail_after;
}

static int should_fail(void)
{
	if (fail_after == 0)
		return 0;
	return --fail_after == 0;
}

void *bloc_malloc(size_t n)
{
	if (should_fail())
		return NULL;
	return malloc(n ? n : 1);
}

void *bloc_calloc(size_t count, size_t size)
{
	if (should_fail())
		return NULL;
	return calloc(count ? count : 1, size ? size : 1);
}

void *bloc_realloc(void *p, size_t n)
{
	if (should_fail())
		return NULL;
	return realloc(p, n ? n : 1);
}

void bloc_free(void *p)
{
	free(p);
}

char *bloc_strndup(const char *s, size_t n)
{
	char *d = bloc_malloc(n + 1);

	if (!d)
		return NULL;
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

char *bloc_strdup(const char *s)
{
	return bloc_strndup(s, strlen(s));
}

int bloc__grow(void **p, size_t *cap, size_t need, size_t size)
{
	size_t ncap = *cap ? *cap : 8, bytes;
	void *np;

	if (need <= *cap)
		return BLOC_OK;
	while (ncap < need) {
		if (bloc_mul_overflow(ncap, 2, &ncap))
			return bloc_error_oom("growing an array to %zu elements (size overflow)",
			                      need);
	}
	if (bloc_mul_overflow(ncap, size, &bytes))
		return bloc_error_oom("growing an array to %zu elements (size overflow)", need);
	np = bloc_realloc(*p, bytes);
	if (!np)
		return bloc_error_oom("growing an array to %zu bytes", bytes);
	*p = np;
	*cap = ncap;
	return BLOC_OK;
}
