/* UTF-8 decoding, by JSON's and XML's rules: no overlong forms, no surrogates (U+D800 to
 * U+DFFF), nothing past U+10FFFF. Library-internal. */
#ifndef BLOC_UTIL_UTF8_H
#define BLOC_UTIL_UTF8_H

#include <stddef.h>

/**
 * The length (1 to 4) of the valid UTF-8 sequence at p, or 0 if the bytes there are not one.
 * At most `avail` bytes are read (SIZE_MAX for NUL-terminated text: a NUL ends any sequence, and
 * p[0] == NUL gives 1).
 */
size_t bloc__utf8_seq(const unsigned char *p, size_t avail);

/** 1 if the NUL-terminated s is well-formed UTF-8, else 0. */
int bloc__utf8_valid(const char *s);

/** 1 if the `len` bytes at s are well-formed UTF-8, else 0. */
int bloc__utf8_valid_n(const char *s, size_t len);

#endif
