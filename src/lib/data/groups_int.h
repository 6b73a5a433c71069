/* Library-internal: census group numbers and name keys, shared by the census readers (io/) and
 * the census selection (store/). */
#ifndef BLOC_DATA_GROUPS_INT_H
#define BLOC_DATA_GROUPS_INT_H

#include <stddef.h>

/* The census groups, in bloc_group_name order: 9 religions then 5 ethnic groups. */
enum {
	BLOC__G_CHRISTIAN,
	BLOC__G_BUDDHIST,
	BLOC__G_HINDU,
	BLOC__G_JEWISH,
	BLOC__G_MUSLIM,
	BLOC__G_SIKH,
	BLOC__G_OTHER_RELIGION,
	BLOC__G_NO_RELIGION,
	BLOC__G_RELIGION_NOT_STATED,
	BLOC__G_WHITE,
	BLOC__G_MIXED,
	BLOC__G_ASIAN,
	BLOC__G_BLACK,
	BLOC__G_OTHER_ETHNIC,
	BLOC__NGROUPS
};
#define BLOC__G_NRELIGIONS     9
#define BLOC__G_IS_RELIGION(g) ((g) < BLOC__G_NRELIGIONS)

/** `name` lower-cased, each run of spaces, underscores and hyphens one '-', trimmed, into
 * key[cap]; -1 if it does not fit. */
int bloc__group_key(char *key, size_t cap, const char *name);

/** Record BLOC_ENOTFOUND "unknown census group ...", listing the groups; returns the code. */
int bloc__group_unknown(const char *name);

#endif
