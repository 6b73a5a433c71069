/* Library-internal: reading the census tables (CATALOG.csv formats ons-long-counts, nrs-counts,
 * bes-wide) into one group's share of each seat of a contest.
 *
 * Every reader walks its file once with the streaming CSV reader, checks every value it reads
 * (counts whole and not negative, percentages within 0..100, each seat and category once), and
 * writes share[s] for the contest seats s it finds; seats it does not find are left untouched, so
 * the caller fills `share` with NaN first. `population` (may be NULL) receives the seat's usual
 * residents the same way: the ONS total over the topic's categories, NRS "All people", BES
 * "c11Population" (NaN where blank, zero or the column is absent).
 * Messages are "file:line:column: expected, found". */
#ifndef BLOC_IO_CENSUS_H
#define BLOC_IO_CENSUS_H

#include "bloc/contest.h"
#include "../data/groups_int.h"

#include <stddef.h>

/** What a reader found of the contest's seats. */
typedef struct {
	size_t matched;    /* contest seats the file has a row (or rows) for */
	size_t by_code;    /* of which matched by ONS code (the rest by name) */
	size_t rows;       /* data rows read */
	char *unmatched;   /* NRS: names that matched no seat, "; "-joined ("" if none); plain
	                      shares: codes of the group's rows that matched no seat; else NULL */
	size_t group_rows; /* plain shares: rows for the group asked for */
} bloc__census_found;

void bloc__census_found_dispose(bloc__census_found *f);

/**
 * ONS Census 2021 counts in long form (Nomis: seat code, seat name, category code, category
 * label, Observation), one file per topic. share = the group's count / the seat's total over
 * all categories ("Does not apply", code -8, is skipped). Every seat of the contest found in the
 * file must have each of the topic's categories exactly once.
 */
int bloc__census_read_ons(const char *path, const bloc_contest *c, int group, double *share,
                          double *population, bloc__census_found *found);

/**
 * NRS Scotland's Census 2022 counts, one row per constituency, named but not coded
 * (`constituency_name`, `All people`, one column per category). Rows are matched to the
 * contest's Scottish seats (code S… or nation "Scotland") by name, ignoring case, punctuation
 * and "&" versus "and". share = the group's columns / "All people"; the figures are perturbed
 * by NRS, so a share is clipped to 1.
 */
int bloc__census_read_nrs(const char *path, const bloc_contest *c, int group, double *share,
                          double *population, bloc__census_found *found);

/**
 * The British Election Study 2019 results file: one row per GB seat (`ONSConstID`), 2011 census
 * percentages (`c11Muslim`, `c11EthnicityAsian`, ...). Blank or NA is missing (share stays NaN).
 */
int bloc__census_read_bes(const char *path, const bloc_contest *c, int group, double *share,
                          double *population, bloc__census_found *found);

/**
 * A plain shares file: a header naming `code`, `group` and `share` (any order, any other columns
 * ignored but an optional `population`), one row per seat and group; share a fraction 0..1,
 * blank or NA for missing. Rows whose group `is_group(name, payload)` rejects are checked but
 * otherwise skipped, their distinct group names collected in *groups ("; "-joined, "" if none,
 * caller frees). A share outside 0..1 is BLOC_ENUMERIC at its file:line:column; a seat twice for
 * the group is BLOC_EPARSE. Codes for the group that match no seat of c go to found->unmatched.
 */
int bloc__census_read_plain(const char *path, const bloc_contest *c,
                            int (*is_group)(const char *name, void *payload), double *share,
                            double *population, bloc__census_found *found, char **groups,
                            void *payload);

/** `s` lower-cased, "&" read as "and", every run of other ASCII punctuation or space as one
 * space, trimmed, into dst (capacity cap; truncated). For matching constituency names. */
void bloc__census_norm_name(char *dst, size_t cap, const char *s);

#endif
