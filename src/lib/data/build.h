/* Library-internal: building a contest row by row (used by the loaders in io/). */
#ifndef BLOC_DATA_BUILD_H
#define BLOC_DATA_BUILD_H

#include "bloc/contest.h"

typedef struct bloc__builder bloc__builder;

/** Start a contest read from `source` (the file name used in messages). */
int bloc__builder_new(bloc__builder **out, const char *source);
void bloc__builder_free(bloc__builder *b);

/**
 * Find or add seat `code`. *created says whether it is new. `line` is where it was first read
 * (for messages). region/nation may be "" (unknown).
 */
int bloc__builder_seat(bloc__builder *b, const char *code, const char *name, const char *region,
                       const char *nation, size_t line, size_t *idx, int *created);

/** Index of seat `code` added so far, or -1. Cost: O(1) expected. */
long bloc__builder_find_seat(const bloc__builder *b, const char *code);

/** Seat-level figures; -1 means unknown. `valid` is the file's declared valid votes, checked
 * against the candidates' sum by bloc__builder_finish. */
void bloc__builder_seat_figures(bloc__builder *b, size_t seat, int64_t electorate, int64_t valid,
                                int64_t invalid);

/** Add a candidate. Votes outside 0..BLOC_MAX_CANDIDATE_VOTES are a BLOC_ENUMERIC error naming
 * the seat (loaders check the field first for a message with its column). `name` may be "". */
int bloc__builder_candidate(bloc__builder *b, size_t seat, bloc_party party, const char *label,
                            const char *name, int64_t votes, unsigned flags);

/** Number of seats so far. */
size_t bloc__builder_nseats(const bloc__builder *b);

/** A seat's polling day: the contest's first_date is the earliest given (else its date). */
int bloc__builder_first_date(bloc__builder *b, const char *date);

/**
 * Finish: sort candidates by seat and votes, build the seats x parties matrix, and check every
 * seat (at least one candidate; declared valid votes equal the candidates' sum; valid votes not
 * above the electorate). On success the builder's storage moves into *out (the builder must
 * still be freed).
 */
int bloc__builder_finish(bloc__builder *b, const char *id, const char *date, const char *format,
                         int kind, bloc_contest **out);

/** Copy a string into contest-owned storage (for loaders that rename seats). */
char *bloc__builder_str(bloc__builder *b, const char *s);

/** Copy a string into a finished contest's own storage (freed with the contest). */
char *bloc__contest_str(bloc_contest *c, const char *s);

#endif
