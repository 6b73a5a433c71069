/* Iterative proportional fitting (ipf.h). */
#include "ipf.h"

#include <math.h>

static double scale_rows(double *cell, size_t rows, size_t cols, const double *row)
{
	double worst = 0;
	size_t i, j;

	for (i = 0; i < rows; i++) {
		double s = 0;
		for (j = 0; j < cols; j++)
			s += cell[i * cols + j];
		if (fabs(s - row[i]) > worst)
			worst = fabs(s - row[i]);
		if (s > 0)
			for (j = 0; j < cols; j++)
				cell[i * cols + j] *= row[i] / s;
	}
	return worst;
}

static double scale_cols(double *cell, size_t rows, size_t cols, const double *col)
{
	double worst = 0;
	size_t i, j;

	for (j = 0; j < cols; j++) {
		double s = 0;
		for (i = 0; i < rows; i++)
			s += cell[i * cols + j];
		if (fabs(s - col[j]) > worst)
			worst = fabs(s - col[j]);
		if (s > 0)
			for (i = 0; i < rows; i++)
				cell[i * cols + j] *= col[j] / s;
	}
	return worst;
}

int bloc__ipf(double *cell, size_t rows, size_t cols, const double *row, const double *col,
              int max_iter, double tol)
{
	double total = 0;
	size_t i;
	int it;

	for (i = 0; i < rows; i++)
		total += row[i];
	if (!(total > 0))
		return -1;
	for (it = 1; it <= max_iter; it++) {
		/* the misfit of each margin before it is scaled: once both are within tol, the
		 * table meets them (the column scaling leaves the rows off by at most the first) */
		double off_r = scale_rows(cell, rows, cols, row);
		double off_c = scale_cols(cell, rows, cols, col);
		if (off_r <= tol * total && off_c <= tol * total && it > 1)
			return it;
	}
	return -1;
}
