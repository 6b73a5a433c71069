/* Library-internal: small dense linear algebra and sorting helpers the models share. */
#ifndef BLOC_UTIL_LINALG_H
#define BLOC_UTIL_LINALG_H

#include <stddef.h>

/** The lower Cholesky factor of the symmetric n x n matrix m (row-major) into l (n x n, its
 * upper triangle zeroed): 0, or -1 when m is not positive definite. O(n^3). */
int bloc__cholesky(const double *m, size_t n, double *l);

/** qsort's comparison of two doubles, ascending (NaN not expected). */
int bloc__cmp_double(const void *a, const void *b);

/** The q-quantile of v[0..n) sorted ascending (n > 0), by the nearest rank: the value at index
 * round(q (n - 1)). bloc simulate's table and chart both take their intervals from it. */
static inline double bloc__quantile_sorted(const double *v, size_t n, double q)
{
	return v[(size_t)(q * (double)(n - 1) + 0.5)];
}

#endif
