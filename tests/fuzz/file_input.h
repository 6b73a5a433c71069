/* For fuzz targets whose parser takes a path: the input is written to a temporary file, read once
 * as it is and then with the k-th allocation failing, for k = 1, 1 + step, ... up to
 * 1 + size % span (the out-of-memory paths), and removed. */
#ifndef BLOC_FUZZ_FILE_INPUT_H
#define BLOC_FUZZ_FILE_INPUT_H

#include "core/alloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static void fuzz_file_input(const char *prefix, const uint8_t *data, size_t size,
                            void (*run)(const char *path), unsigned long span, unsigned long step)
{
	char path[64];
	unsigned long k;
	FILE *fp;
	int fd;

	snprintf(path, sizeof(path), "/tmp/%s_XXXXXX", prefix);
	if ((fd = mkstemp(path)) < 0 || !(fp = fdopen(fd, "wb")))
		abort();
	if (size && fwrite(data, 1, size, fp) != size)
		abort();
	fclose(fp);
	run(path);
	for (k = 1; k <= 1 + (size % span); k += step) {
		bloc__alloc_fail_after(k);
		run(path);
		bloc__alloc_fail_after(0);
	}
	unlink(path);
}

#endif
