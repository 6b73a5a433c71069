#include "path.h"

#include "bloc/error.h"

#include "../core/alloc.h"

#include <string.h>

char *bloc__path_join(const char *dir, const char *rel)
{
	size_t n1 = strlen(dir), n2 = strlen(rel), size;
	char *p;

	if (rel[0] == '/' || n1 == 0)
		p = bloc_strdup(rel);
	else if (bloc_add_overflow(n1, n2, &size) || bloc_add_overflow(size, 2, &size) ||
	         !(p = bloc_malloc(size)))
		p = NULL;
	else {
		memcpy(p, dir, n1);
		if (dir[n1 - 1] != '/')
			p[n1++] = '/';
		memcpy(p + n1, rel, n2 + 1);
	}
	if (!p)
		bloc_error_oom("joining the path %.200s to %.200s", rel, dir);
	return p;
}

size_t bloc__path_within(const char *dir, const char *path, size_t len)
{
	size_t n = strlen(dir), skip;

	while (n > 1 && dir[n - 1] == '/')
		n--;
	if (len <= n || strncmp(path, dir, n) != 0 || path[n] != '/')
		return 0;
	for (skip = n; skip < len && path[skip] == '/'; skip++)
		;
	return skip;
}
