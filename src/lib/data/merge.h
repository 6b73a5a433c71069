/* Library-internal: combining a constituency file with its candidate file. */
#ifndef BLOC_DATA_MERGE_H
#define BLOC_DATA_MERGE_H

#include "bloc/contest.h"

/**
 * Give `cands` (read from a candidate file) the electorate and invalid votes of `seats` (read
 * from the constituency file of the same election), after checking both have the same seats (by
 * code) with the same valid votes. `cands`' source then names both files, its format is
 * `seats`' format. Cost: O(seats log seats).
 * @return BLOC_OK, BLOC_ENUMERIC naming the first seat that differs, BLOC_ENOMEM.
 */
int bloc__contest_take_seat_figures(bloc_contest *cands, const bloc_contest *seats);

#endif
