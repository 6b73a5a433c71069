/* Iterative proportional fitting (ipf.h). */
#include "ipf.h"

#include <math.h>

static void scale_rows(double *cell, size_t rows, size_t cols, const double *row)
{
	size_t i, j;

	for (i = 0; i < rows; i++) {
		double s = 0;
		for (j = 0; j < cols; j++)
			s += cell[i * cols + j];
		if (s > 0)
			for (j = 0; j < cols; j++)
				cell[i * cols + j] *= row[i] / s;
	}
}

static void scale_cols(double *cell, size_t rows, size_t cols, const double *col)
{
	size_t i, j;

	for (j = 0; j < cols; j++) {
		double s = 0;
		for (i = 0; i < rows; i++)
			s += cell[i * cols + j];
		if (s > 0)
			for (i = 0; i < rows; i++)
				cell[i * cols + j] *= col[j] / s;
	}
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
		double off = 0;
		scale_rows(cell, rows, cols, row);
		scale_cols(cell, rows, cols, col);
		/* the columns now meet their margins; the rows' misfit after it */
		for (i = 0; i < rows; i++) {
			double sum = 0;
			size_t j;
			for (j = 0; j < cols; j++)
				sum += cell[i * cols + j];
			if (fabs(sum - row[i]) > off)
				off = fabs(sum - row[i]);
		}
		if (off <= tol * total)
			return it;
	}
	return -1;
}
