/* File paths as text (nothing here touches the file system). Library-internal. */
#ifndef BLOC_UTIL_PATH_H
#define BLOC_UTIL_PATH_H

#include <stddef.h>

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

#endif
