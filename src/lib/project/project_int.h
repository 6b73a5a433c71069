/* Library-internal helpers shared by the projection files. */
#ifndef BLOC_PROJECT_INT_H
#define BLOC_PROJECT_INT_H

#include <stddef.h>

/** Keep a row of shares in [0,1] summing to 1: negative shares become 0 and the rest are
 * rescaled; a row that already sums to 1 (within 1e-12) with no negative is left bit for bit. */
void bloc__normalise_row(double *a, size_t n);

#endif
