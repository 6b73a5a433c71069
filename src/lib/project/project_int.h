/* Library-internal helpers shared by the projection files. */
#ifndef BLOC_PROJECT_INT_H
#define BLOC_PROJECT_INT_H

#include <stddef.h>

/** Keep a row of shares in [0,1] summing to 1: negative shares become 0 and the rest are
 * rescaled; a row that already sums to 1 (within 1e-12) with no negative is left bit for bit. */
void bloc__normalise_row(double *a, size_t n);

/** The largest and second largest of row[0..np) (the first on a tie), by index. */
void bloc__top_two(const double *row, size_t np, size_t *w, size_t *sec);
#include "bloc/project.h"
/** Each seat's base winner and runner-up columns (nseats x 2), found once when the projector is
 * made. */
const size_t *bloc__projector_base_top(const bloc_projector *p);
#endif
