/* Where results go: standard output, or -o FILE written all or nothing (a temporary file in the
 * same directory, renamed over FILE once everything has been written and flushed). A symbolic
 * link is followed (the file it names is replaced, the link stays); a FIFO or a device is
 * written in place, never replaced by a regular file. */
/* realpath() is X/Open (the build asks for POSIX.1-2008 only) */
#define _XOPEN_SOURCE 700

#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The temporary file's name for the signal handler: removed if the run is interrupted. */
static char pending_tmp[4096];

static void on_signal(int sig)
{
	if (pending_tmp[0])
		unlink(pending_tmp);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void watch_signals(void)
{
	static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
}

static int to_stdout(const struct cli_ctx *ctx)
{
	return !ctx->args.output || strcmp(ctx->args.output, "-") == 0;
}

/* "-o PATH: strerror" as an I/O error; keeps errno out of the caller's way. */
static int output_error(const char *path, int e)
{
	return bloc_error_set(BLOC_EIO, "%s: %s", path, strerror(e));
}

/* What a file that is not a regular file is, for messages. */
static const char *kind_of(mode_t m)
{
	return S_ISDIR(m)    ? "a directory"
	       : S_ISFIFO(m) ? "a FIFO"
	       : S_ISSOCK(m) ? "a socket"
	                     : "a device";
}

/* Where a path that is not there yet (or a symbolic link to nothing) will be made: its symbolic
 * links followed as far as they lead, so writing it makes the file the last link names and
 * every link stays a link. A copy (malloc) or NULL with errno set. */
static char *follow_links(const char *path)
{
	char link[4096], *p = strdup(path), *next, *slash;
	struct stat st;
	size_t dirlen;
	ssize_t n;
	int hops;

	for (hops = 0; p && hops < 40; hops++) {
		if (lstat(p, &st) != 0 || !S_ISLNK(st.st_mode))
			return p;
		if ((n = readlink(p, link, sizeof(link) - 1)) < 0 ||
		    (size_t)n >= sizeof(link) - 1) {
			int e = n < 0 ? errno : ENAMETOOLONG;
			free(p);
			errno = e;
			return NULL;
		}
		link[n] = '\0';
		/* a relative link is relative to the directory holding it */
		slash = strrchr(p, '/');
		dirlen = link[0] == '/' || !slash ? 0 : (size_t)(slash - p) + 1;
		if ((next = malloc(dirlen + (size_t)n + 1))) {
			memcpy(next, p, dirlen);
			memcpy(next + dirlen, link, (size_t)n + 1);
		}
		free(p);
		p = next;
	}
	if (p) {
		free(p);
		errno = ELOOP;
	}
	return NULL;
}

/* A FIFO, a device or a socket given as -o is written where it is (no temporary file, no
 * rename, nothing created or truncated), so it stays what it was. */
static int open_in_place(struct cli_ctx *ctx, const char *path, const struct stat *st, FILE **fp)
{
	int fd;

	if (S_ISDIR(st->st_mode))
		return bloc_error_set(BLOC_EIO, "%s: expected a file to write, found %s", path,
		                      kind_of(st->st_mode));
	if ((fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC)) < 0)
		return output_error(path, errno);
	if (!(ctx->out = fdopen(fd, "w"))) {
		int e = errno;
		close(fd);
		return output_error(path, e);
	}
	*fp = ctx->out;
	return BLOC_OK;
}

/* A regular file (or a new one): a temporary file beside ctx->target, renamed over it once
 * everything is written. It gets the old file's permission bits without set-user-ID,
 * set-group-ID and sticky (a rewritten file is a new program, not the old one), or a new
 * file's (0666 less the umask). */
static int open_temp(struct cli_ctx *ctx, const struct stat *old, FILE **fp)
{
	const char *path = ctx->target, *slash = strrchr(path, '/');
	size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0, len = strlen(path) + 9;
	mode_t mode, mask;
	int fd;

	/* "dir/name" -> "dir/.name.XXXXXX": same directory, so rename() is atomic. */
	if (len >= sizeof(pending_tmp) || !(ctx->tmp_path = malloc(len + 1)))
		return bloc_error_set(BLOC_EIO, "%s: path too long", ctx->args.output);
	snprintf(ctx->tmp_path, len + 1, "%.*s.%s.XXXXXX", (int)dirlen, path, path + dirlen);
	watch_signals();
	if ((fd = mkstemp(ctx->tmp_path)) < 0) {
		int e = errno;
		free(ctx->tmp_path);
		ctx->tmp_path = NULL;
		return bloc_error_set(BLOC_EIO, "%s: cannot create a file in that directory: %s",
		                      ctx->args.output, strerror(e));
	}
	memcpy(pending_tmp, ctx->tmp_path, strlen(ctx->tmp_path) + 1);
	if (old) {
		mode = old->st_mode & 0777;
	} else {
		mask = umask(0);
		umask(mask);
		mode = 0666 & ~mask;
	}
	if (fchmod(fd, mode) < 0 || !(ctx->out = fdopen(fd, "w"))) {
		int e = errno;
		close(fd);
		cli_output_discard(ctx);
		return output_error(ctx->args.output, e);
	}
	*fp = ctx->out;
	return BLOC_OK;
}

int cli_output_open(struct cli_ctx *ctx, FILE **fp)
{
	const char *path = ctx->args.output;
	struct stat st;
	int there;

	if (ctx->out) {
		*fp = ctx->out;
		return BLOC_OK;
	}
	if (to_stdout(ctx)) {
		*fp = ctx->out = stdout;
		return BLOC_OK;
	}
	there = stat(path, &st) == 0; /* through symbolic links */
	if (there && !S_ISREG(st.st_mode))
		return open_in_place(ctx, path, &st, fp);
	/* a regular file is replaced where its links lead (realpath), a new one made where
	 * they lead (follow_links), so a symbolic link given as -o stays a link */
	if (!(ctx->target = there ? realpath(path, NULL) : follow_links(path)))
		return output_error(path, errno);
	return open_temp(ctx, there ? &st : NULL, fp);
}

int cli_output_commit(struct cli_ctx *ctx)
{
	FILE *fp = ctx->out;
	int e;

	if (!fp || fp == stdout) {
		ctx->out = NULL;
		if (fflush(stdout) != 0 || ferror(stdout))
			return bloc_error_set(BLOC_EIO, "standard output: %s", strerror(errno));
		return BLOC_OK;
	}
	ctx->out = NULL;
	/* written in place (a FIFO, a device): flushed and closed, nothing to sync or rename */
	if (fflush(fp) != 0 || ferror(fp) || (ctx->tmp_path && fsync(fileno(fp)) != 0)) {
		e = errno;
		fclose(fp);
		cli_output_discard(ctx);
		return output_error(ctx->args.output, e);
	}
	if (fclose(fp) != 0 || (ctx->tmp_path && rename(ctx->tmp_path, ctx->target) != 0)) {
		e = errno;
		cli_output_discard(ctx);
		return output_error(ctx->args.output, e);
	}
	pending_tmp[0] = '\0';
	free(ctx->tmp_path);
	ctx->tmp_path = NULL;
	free(ctx->target);
	ctx->target = NULL;
	return BLOC_OK;
}

void cli_output_discard(struct cli_ctx *ctx)
{
	if (ctx->out && ctx->out != stdout)
		fclose(ctx->out);
	ctx->out = NULL;
	if (ctx->tmp_path) {
		unlink(ctx->tmp_path);
		free(ctx->tmp_path);
		ctx->tmp_path = NULL;
	}
	free(ctx->target);
	ctx->target = NULL;
	pending_tmp[0] = '\0';
}

int cli_write_file(const char *path, const char *data, size_t len)
{
	struct cli_ctx side;
	FILE *fp = NULL;
	int err;

	memset(&side, 0, sizeof(side));
	side.args.output = path;
	if ((err = cli_output_open(&side, &fp)) < 0)
		return err;
	if (len && fwrite(data, 1, len, fp) != len) {
		cli_output_discard(&side);
		return bloc_error_set(BLOC_EIO, "%s: write error", path);
	}
	return cli_output_commit(&side);
}

void cli_put_text(FILE *fp, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i;

	for (i = 0; i < n; i++) {
		/* C0 controls, DEL and the C1 controls (UTF-8 0xc2 0x80..0x9f) */
		if (u[i] < 0x20 || u[i] == 0x7f) {
			fprintf(fp, "\\x%02x", u[i]);
		} else if (u[i] == 0xc2 && i + 1 < n && u[i + 1] >= 0x80 && u[i + 1] <= 0x9f) {
			fprintf(fp, "\\x%02x\\x%02x", u[i], u[i + 1]);
			i++;
		} else {
			putc(u[i], fp);
		}
	}
}
