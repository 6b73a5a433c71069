/* Standalone replay driver for the libFuzzer targets (after libgit2's standalone_driver.c):
 * every file named on the command line, and every regular file under every directory named
 * (recursively, in sorted order), is read into an exactly-sized heap buffer and passed to
 * LLVMFuzzerTestOneInput. Built with gcc in every CI run, plain and under ASan + UBSan, so the
 * corpora (hand-made seeds, real-format excerpts and every crash ever found) are regression tests.
 *
 * Exit 0 when every input ran; 1 when an argument cannot be read or no input was found (a
 * mistyped corpus path must not pass silently). A crashing input aborts the process, and the
 * driver names it on stderr first. */
#include <dirent.h>
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned long ninputs;

static int run_file(const char *path)
{
	FILE *fp = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t cap = 0, len = 0, n;

	if (!fp) {
		fprintf(stderr, "fuzz driver: %s: cannot open: %s\n", path, strerror(errno));
		return -1;
	}
	for (;;) {
		if (len == cap) {
			size_t ncap = cap ? cap * 2 : 4096;
			uint8_t *nb = realloc(buf, ncap);
			if (!nb) {
				fprintf(stderr, "fuzz driver: %s: out of memory\n", path);
				free(buf);
				fclose(fp);
				return -1;
			}
			buf = nb;
			cap = ncap;
		}
		n = fread(buf + len, 1, cap - len, fp);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(fp)) {
		fprintf(stderr, "fuzz driver: %s: read error\n", path);
		free(buf);
		fclose(fp);
		return -1;
	}
	fclose(fp);
	{
		/* An exact-size copy, so ASan sees any read past the end of the input. */
		uint8_t *exact = malloc(len ? len : 1);
		if (!exact) {
			free(buf);
			return -1;
		}
		if (len)
			memcpy(exact, buf, len);
		free(buf);
		fprintf(stderr, "fuzz driver: running %s (%zu bytes)\n", path, len);
		LLVMFuzzerTestOneInput(exact, len);
		free(exact);
	}
	ninputs++;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_path(const char *path);

static int run_dir(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0, i;
	int rc = 0;

	if (!d) {
		fprintf(stderr, "fuzz driver: %s: cannot open directory: %s\n", path,
		        strerror(errno));
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		size_t len;
		char *full;

		if (e->d_name[0] == '.') /* ".", "..", and hidden files such as .gitkeep */
			continue;
		len = strlen(path) + 1 + strlen(e->d_name) + 1;
		full = malloc(len);
		if (!full) {
			rc = -1;
			break;
		}
		snprintf(full, len, "%s/%s", path, e->d_name);
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 64;
			char **nn = realloc(names, ncap * sizeof(*names));
			if (!nn) {
				free(full);
				rc = -1;
				break;
			}
			names = nn;
			cap = ncap;
		}
		names[n++] = full;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_str);
	for (i = 0; i < n; i++) {
		if (rc == 0 && run_path(names[i]) < 0)
			rc = -1;
		free(names[i]);
	}
	free(names);
	return rc;
}

static int run_path(const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0) {
		fprintf(stderr, "fuzz driver: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (S_ISDIR(st.st_mode))
		return run_dir(path);
	if (S_ISREG(st.st_mode))
		return run_file(path);
	return 0;
}

int main(int argc, char **argv)
{
	int i;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE_OR_DIR...\n", argv[0]);
		return 2;
	}
	for (i = 1; i < argc; i++) {
		/* libFuzzer-style flags (-runs=..., -max_len=...) are accepted and ignored */
		if (argv[i][0] == '-' && argv[i][1] != '\0')
			continue;
		if (run_path(argv[i]) < 0)
			return 1;
	}
	if (ninputs == 0) {
		fprintf(stderr, "fuzz driver: no inputs found\n");
		return 1;
	}
	printf("%lu inputs replayed\n", ninputs);
	return 0;
}
