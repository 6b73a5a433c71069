/* Where results go: standard output, or -o FILE written all or nothing (a temporary file in the
 * same directory, renamed over FILE once everything has been written and flushed). */
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

int cli_output_open(struct cli_ctx *ctx, FILE **fp)
{
	const char *path = ctx->args.output, *slash;
	size_t dirlen, len;
	struct stat st;
	mode_t mode, mask;
	int fd;

	if (ctx->out) {
		*fp = ctx->out;
		return BLOC_OK;
	}
	if (to_stdout(ctx)) {
		*fp = ctx->out = stdout;
		return BLOC_OK;
	}
	/* "dir/name" -> "dir/.name.XXXXXX": same directory, so rename() is atomic. */
	slash = strrchr(path, '/');
	dirlen = slash ? (size_t)(slash - path) + 1 : 0;
	len = strlen(path) + 9;
	if (len >= sizeof(pending_tmp) || !(ctx->tmp_path = malloc(len + 1)))
		return bloc_error_set(BLOC_EIO, "%s: path too long", path);
	snprintf(ctx->tmp_path, len + 1, "%.*s.%s.XXXXXX", (int)dirlen, path, path + dirlen);
	watch_signals();
	if ((fd = mkstemp(ctx->tmp_path)) < 0) {
		int e = errno;
		free(ctx->tmp_path);
		ctx->tmp_path = NULL;
		return bloc_error_set(BLOC_EIO, "%s: cannot create a file in that directory: %s",
		                      path, strerror(e));
	}
	memcpy(pending_tmp, ctx->tmp_path, strlen(ctx->tmp_path) + 1);
	/* mkstemp makes the file private (0600); give it the mode the file would have had. */
	if (stat(path, &st) == 0) {
		mode = st.st_mode & 07777;
	} else {
		mask = umask(0);
		umask(mask);
		mode = 0666 & ~mask;
	}
	if (fchmod(fd, mode) < 0 || !(ctx->out = fdopen(fd, "w"))) {
		int e = errno;
		close(fd);
		cli_output_discard(ctx);
		return bloc_error_set(BLOC_EIO, "%s: %s", ctx->args.output, strerror(e));
	}
	*fp = ctx->out;
	return BLOC_OK;
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
	if (fflush(fp) != 0 || ferror(fp) || fsync(fileno(fp)) != 0) {
		e = errno;
		fclose(fp);
		cli_output_discard(ctx);
		return bloc_error_set(BLOC_EIO, "%s: %s", ctx->args.output, strerror(e));
	}
	if (fclose(fp) != 0 || rename(ctx->tmp_path, ctx->args.output) != 0) {
		e = errno;
		cli_output_discard(ctx);
		return bloc_error_set(BLOC_EIO, "%s: %s", ctx->args.output, strerror(e));
	}
	pending_tmp[0] = '\0';
	free(ctx->tmp_path);
	ctx->tmp_path = NULL;
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
