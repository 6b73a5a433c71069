/* Iterative proportional fitting (Deming and Stephan 1940): a seed table scaled until its row
 * and column sums match given margins. Library-internal. */
#ifndef BLOC_UTIL_IPF_H
#define BLOC_UTIL_IPF_H

#include <stddef.h>

/**
 * Scale `cell` (rows x cols, row-major, entries >= 0: the seed) in place, rows then columns in
 * turn, until every row sums to row[i] and every column to col[j] within `tol` (relative to the
 * grand total) or `max_iter` sweeps have run. The margins must have the same total; a zero row
 * or column of the seed with a positive margin cannot be fitted.
 * @return the sweeps run (>= 1) when it met the margins, -1 when it did not.
 */
int bloc__ipf(double *cell, size_t rows, size_t cols, const double *row, const double *col,
              int max_iter, double tol);

#endif
