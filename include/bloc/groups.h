/* bloc — census groups (religion, ethnicity): each group's share of every seat's residents,
 * aligned to a contest's seats. */
#ifndef BLOC_GROUPS_H
#define BLOC_GROUPS_H

#include <stddef.h>

#include "contest.h"
#include "dataset.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Known group names (lower case): religions and ethnic groups. */
size_t bloc_group_count(void);
const char *bloc_group_name(size_t i);
/** A one-line description ("Muslim (census religion)"). */
const char *bloc_group_label(size_t i);
/** Index of a group by name (case-insensitive; spaces or underscores for hyphens, and a few
 * aliases such as "not stated"), or -1. Sets no error message. */
long bloc_group_find(const char *name);

/** One group's share of each seat's usual residents, in the contest's seat order. */
typedef struct {
	size_t n;          /* = the contest's seats */
	double *share;     /* fraction 0..1; NaN where no census covers the seat (e.g. NI) */
	size_t covered;    /* seats with a share */
	const char *group; /* canonical name, static storage */
	char *source; /* the census file(s) used, relative to the data directory, joined by " + " */
	char *census; /* "2021 (E&W) + 2022 (Scotland) census" or "2011 census via BES 2019" */
	/* rows of a census matched by name (Scotland 2022) that matched no seat of the contest,
	 * "; "-joined: for a general election a naming problem; for a contest of a few seats, the
	 * census's other seats. "" when there are none, or no seat was matched by name. */
	char *unmatched;
	/* usual residents of each seat counted by the census used (ONS/NRS totals, BES
	 * c11Population; a shares file's optional `population` column); NaN when unknown. May be
	 * NULL in a struct filled by hand. */
	double *population;
	char *owned_; /* storage behind `group` when it is not a census group (shares files) */
} bloc_group_shares;

/** Free what *g owns and zero it; accepts NULL and a zeroed or already disposed struct. */
void bloc_group_shares_dispose(bloc_group_shares *g);

#ifdef __cplusplus
}
#endif
#endif
