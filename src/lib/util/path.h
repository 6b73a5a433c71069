/* File paths: joining them as text, opening input files (regular files only) and keeping a
 * catalogue's files inside their data directory. Library-internal. */
#ifndef BLOC_UTIL_PATH_H
#define BLOC_UTIL_PATH_H

#include <stddef.h>
#include <stdio.h>

/**
 * "dir/rel" (one '/' added when dir does not end with one), or a copy of rel when rel is
 * absolute or dir is empty. The caller frees with bloc_free. NULL on ENOMEM (message set).
 */
char *bloc__path_join(const char *dir, const char *rel);

/**
 * When path[0..len) lies inside the directory `dir` ("DIR/x/y.csv", with any number of '/'
 * after DIR and DIR's own trailing '/'s ignored), the number of bytes to skip to make it
 * relative to dir ("x/y.csv"); else 0. Used to name a data file the same way on every machine.
 */
size_t bloc__path_within(const char *dir, const char *path, size_t len);

/**
 * Open `path` for reading, only if it is a regular file: opened without blocking (O_NONBLOCK,
 * so a FIFO or a device cannot hang the caller), then refused at once when fstat says it is
 * anything else ("PATH: not a regular file (a FIFO)"). Every input file of the library is
 * opened here. On failure *out is NULL, the message is set and errno is kept from open() (so
 * callers can tell ENOENT). @return BLOC_OK or BLOC_EIO.
 */
int bloc__open_read(FILE **out, const char *path);

/**
 * Does `path`, which is `rel` joined to the directory `dir`, stay inside dir? Both are resolved
 * (symlinks, "..", realpath) and path must be under dir ("DIR/..."). When path cannot be
 * resolved (a missing file, which its open reports), `rel` must be relative without a ".."
 * component. 1 inside, 0 outside. Sets no message.
 */
int bloc__path_inside(const char *dir, const char *path, const char *rel);

#endif
