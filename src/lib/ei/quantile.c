/* Quantiles without sorting or allocating: quickselect. */
#include "ei_internal.h"

#include <math.h>

/* The k-th smallest of v[0..m-1] (k < m), partially reordering v: Hoare's quickselect with a
 * median-of-three pivot, in place (glibc's qsort may allocate). */
double bloc__ei_kth(double *v, size_t m, size_t k)
{
	size_t lo = 0, hi = m - 1;

	while (hi > lo) {
		size_t mid = lo + (hi - lo) / 2, i = lo, j = hi;
		double a = v[lo], b = v[mid], c = v[hi], piv, t;
		piv = a < b ? (b < c ? b : a < c ? c : a) : (a < c ? a : b < c ? c : b);
		while (i <= j) {
			while (v[i] < piv)
				i++;
			while (v[j] > piv)
				j--;
			if (i <= j) {
				t = v[i];
				v[i] = v[j];
				v[j] = t;
				i++;
				if (j == 0)
					break;
				j--;
			}
		}
		if (k <= j)
			hi = j;
		else if (k >= i)
			lo = i;
		else
			return v[k];
	}
	return v[k];
}

/* The p-quantile of v (m values, reordered), R's type 7. */
double bloc__ei_quantile(double *v, size_t m, double p)
{
	double h = (double)(m - 1) * p, f = floor(h), lo, hi;
	size_t k = (size_t)f, j;

	lo = bloc__ei_kth(v, m, k);
	if (k + 1 >= m)
		return lo;
	/* after the selection v[k+1..] are all >= v[k]: the next order statistic is their min */
	hi = v[k + 1];
	for (j = k + 2; j < m; j++)
		hi = fmin(hi, v[j]);
	return lo + (h - f) * (hi - lo);
}
