/* Small dense linear algebra and sorting helpers (linalg.h). */
#include "linalg.h"

#include <math.h>
#include <string.h>

int bloc__cholesky(const double *m, size_t n, double *l)
{
	size_t i, j, k;

	memset(l, 0, n * n * sizeof(*l));
	for (j = 0; j < n; j++) {
		double d = m[j * n + j];
		for (k = 0; k < j; k++)
			d -= l[j * n + k] * l[j * n + k];
		if (!(d > 0))
			return -1;
		l[j * n + j] = sqrt(d);
		for (i = j + 1; i < n; i++) {
			double v = m[i * n + j];
			for (k = 0; k < j; k++)
				v -= l[i * n + k] * l[j * n + k];
			l[i * n + j] = v / l[j * n + j];
		}
	}
	return 0;
}

int bloc__cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}
