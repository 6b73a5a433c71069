/* Library-internal: what the renderers need to know about a layout beyond hexmap.h. */
#ifndef BLOC_DATA_HEXMAP_INT_H
#define BLOC_DATA_HEXMAP_INT_H

#include "bloc/hexmap.h"

/** Is `m` aligned to contest `c` (by bloc_hexmap_align(m, c), or to a contest with the same
 * seats)? Every aligned hex must name a seat of `c` with its code. Cost: O(hexes). */
int bloc__hexmap_aligned(const bloc_hexmap *m, const bloc_contest *c);

#endif
