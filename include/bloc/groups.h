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

/**
 * Load group `name`'s shares for the seats of contest `c` from the census tables catalogued in
 * the data directory: the 2021 England and Wales counts (census21-religion/-ethnicity, by seat
 * code) with the 2022 Scotland counts (census22-scotland-religion/-ethnicity, by seat name) for
 * the 2023 boundaries, or the 2011 percentages of the BES 2019 file (bes2019, by code) for the
 * 2010 boundaries. The census that has rows for the most of the contest's seats is used; on a
 * tie, the one on the contest's boundaries (its catalogue entry), then the one matching more
 * seats by code. Northern Ireland has no census here: its seats are NaN.
 * `*out` is zeroed first; on success the caller owns it (bloc_group_shares_dispose).
 * @return BLOC_OK, BLOC_ENOTFOUND (unknown group: the message lists the groups; or no census
 *         covers any of the contest's seats), BLOC_EPARSE/BLOC_ENUMERIC/BLOC_EIO (bad census
 *         file: "file:line:column: ..."), BLOC_EINVAL (NULL argument), BLOC_ENOMEM.
 * Cost: one pass over each census file read (about 1 ms for the 2023 tables, 5 ms for BES);
 * nothing is cached between calls.
 */
int bloc_group_shares_open(bloc_group_shares *out, const bloc_dataset *ds, const bloc_contest *c,
                           const char *name);
/**
 * Load group `group`'s shares for the seats of contest `c` from a plain CSV file at `path`: a
 * header naming the columns `code` (ONS seat code), `group` and `share` (a fraction 0..1; blank or
 * NA for unknown), in any order, and optionally `population` (residents); other columns are
 * ignored. Rows for other groups are checked and skipped. A group is matched like
 * bloc_group_find (case, spaces, underscores and hyphens, aliases) when it names a census group,
 * else by its name compared the same way, so a file may hold groups of its own ("kashmiri").
 * Seats of c with no row stay NaN: covered counts the others, n - covered the missing ones the
 * caller should report. Codes with no seat in c are listed in `unmatched` ("; "-joined).
 * census is "shares file", source the path. `*out` is zeroed first; the caller owns it.
 * @return BLOC_OK; BLOC_ENUMERIC (a share outside 0..1: "file:line:column: ..."); BLOC_EPARSE
 *         (missing column, empty code or group, not a number, a seat twice for the group);
 *         BLOC_ENOTFOUND (no row for the group: the message lists the file's groups);
 *         BLOC_EIO; BLOC_EINVAL (NULL argument or empty group name); BLOC_ENOMEM.
 * Cost: one pass over the file.
 */
int bloc_group_shares_load_csv(bloc_group_shares *out, const char *path, const bloc_contest *c,
                               const char *group);

/** Free what *g owns and zero it; accepts NULL and a zeroed or already disposed struct. */
void bloc_group_shares_dispose(bloc_group_shares *g);

#ifdef __cplusplus
}
#endif
#endif
