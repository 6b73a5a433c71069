/* realpath() is X/Open (the build asks for POSIX.1-2008 only) */
#define _XOPEN_SOURCE 700

#include "path.h"

#include "bloc/error.h"

#include "../core/alloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

static const char *file_kind(mode_t m)
{
	if (S_ISDIR(m))
		return "a directory";
	if (S_ISFIFO(m))
		return "a FIFO";
	if (S_ISCHR(m))
		return "a character device";
	if (S_ISBLK(m))
		return "a block device";
	if (S_ISSOCK(m))
		return "a socket";
	return "not a file";
}

int bloc__open_read(FILE **out, const char *path)
{
	struct stat st;
	int fd, flags, e;

	*out = NULL;
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		e = errno;
		bloc_error_set(BLOC_EIO, "%s: cannot open: %s", path, strerror(e));
		errno = e;
		return BLOC_EIO;
	}
	if (fstat(fd, &st) != 0) {
		e = errno;
		close(fd);
		bloc_error_set(BLOC_EIO, "%s: cannot open: %s", path, strerror(e));
		errno = e;
		return BLOC_EIO;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		bloc_error_set(BLOC_EIO, "%s: not a regular file (%s)", path,
		               file_kind(st.st_mode));
		errno = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
		return BLOC_EIO;
	}
	if ((flags = fcntl(fd, F_GETFL)) < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) < 0 ||
	    !(*out = fdopen(fd, "rb"))) {
		e = errno;
		close(fd);
		bloc_error_set(BLOC_EIO, "%s: cannot open: %s", path, strerror(e));
		errno = e;
		return BLOC_EIO;
	}
	return BLOC_OK;
}

/* rel is relative and has no ".." component. */
static int plain_relative(const char *rel)
{
	const char *s = rel;

	if (*rel == '/')
		return 0;
	while (*s) {
		size_t n = strcspn(s, "/");
		if (n == 2 && s[0] == '.' && s[1] == '.')
			return 0;
		s += n;
		s += *s == '/';
	}
	return 1;
}

int bloc__path_inside(const char *dir, const char *path, const char *rel)
{
	char *rdir, *rpath;
	size_t n;
	int inside;

	if (!(rpath = realpath(path, NULL)))
		return plain_relative(rel);
	if (!(rdir = realpath(dir, NULL))) {
		free(rpath);
		return 0;
	}
	n = strlen(rdir);
	/* under "/" everything is inside; else "DIR/..." */
	inside = (n == 1 && rdir[0] == '/') || (strncmp(rpath, rdir, n) == 0 && rpath[n] == '/');
	free(rdir); /* realpath's memory is libc's, not bloc_malloc's */
	free(rpath);
	return inside;
}
