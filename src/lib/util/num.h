/* Strict number parsing for option and query values: the whole text must be the number, with
 * no spaces, no "nan"/"inf" and no hexadecimal. Messages say what was expected and what was
 * found; callers add the option's name with bloc_error_prefix(). Library-internal. */
#ifndef BLOC_UTIL_NUM_H
#define BLOC_UTIL_NUM_H

#include <stddef.h>

/**
 * A finite decimal number: an optional sign, digits with an optional point, an optional
 * exponent ("0.87", "-3", "1e-3").
 * @return BLOC_OK, or BLOC_EINVAL with "expected a number, got '...'" (*out untouched).
 */
int bloc__parse_real(const char *text, double *out);

/**
 * A whole number in [lo, hi], digits only (no sign).
 * @return BLOC_OK; BLOC_EINVAL when the text is not a whole number; BLOC_ENUMERIC when it is
 * one but outside [lo, hi] (a front-end may answer the two differently). Both with the message
 * "expected a whole number from LO to HI, got '...'" (*out untouched).
 */
int bloc__parse_whole(const char *text, unsigned long long lo, unsigned long long hi,
                      unsigned long long *out);

/**
 * The shortest decimal text of v that reads back (strtod) as v, into buf (n bytes, 32 are
 * enough): whole numbers below 1e15 as such ("-20", not "-2e+01"), -0 as "0", others in %g's
 * style with the fewest digits ("0.2", not "0.20000000000000001"). Returns buf.
 */
const char *bloc__real_text(char *buf, size_t n, double v);

#endif
