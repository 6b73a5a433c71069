/* Library-internal: combining a constituency file with its candidate file. */
#ifndef BLOC_DATA_MERGE_H
#define BLOC_DATA_MERGE_H

#include "bloc/contest.h"

/**
 * A new contest with `seats`' seats and seat figures and `cands`' candidates. Both must have the
 * same seats (by code) with the same valid votes, else BLOC_ENUMERIC naming the seat.
 */
int bloc__contest_merge_candidates(bloc_contest **out, const bloc_contest *seats,
                                   const bloc_contest *cands);

#endif
