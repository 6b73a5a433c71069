/* Library-internal: small dense linear algebra and sorting helpers the models share. */
#ifndef BLOC_UTIL_LINALG_H
#define BLOC_UTIL_LINALG_H

#include <stddef.h>

/** The lower Cholesky factor of the symmetric n x n matrix m (row-major) into l (n x n, its
 * upper triangle zeroed): 0, or -1 when m is not positive definite. O(n^3). */
int bloc__cholesky(const double *m, size_t n, double *l);

/** qsort's comparison of two doubles, ascending (NaN not expected). */
int bloc__cmp_double(const void *a, const void *b);

#endif
