/* Library-internal helpers shared by the EI methods. */
#ifndef BLOC_EI_INTERNAL_H
#define BLOC_EI_INTERNAL_H

#include <stddef.h>

/** The p-quantile of v (m > 0 values; v is reordered), linear interpolation between order
 *  statistics (R's type 7). */
double bloc__ei_quantile(double *v, size_t m, double p);

/** The k-th smallest of v (k < m; 0: the least), by quickselect; v is reordered. */
double bloc__ei_kth(double *v, size_t m, size_t k);

#endif
