/* bloc — the data directory: its catalogue (CATALOG.csv) and loading contests by id or path. */
#ifndef BLOC_DATASET_H
#define BLOC_DATASET_H

#include <stdio.h>

#include "contest.h"

#ifdef __cplusplus
extern "C" {
#endif

/** One row of CATALOG.csv. All fields are "" when blank. Borrowed from the dataset. */
typedef struct {
	const char *id, *kind, *date, *boundaries, *path, *format, *filter, *previous, *notes;
} bloc_catalog_entry;

typedef struct bloc_dataset bloc_dataset;

/**
 * Open data directory `dir` and read `dir/CATALOG.csv` (a directory without a catalogue is
 * allowed: contests are then named by path only). The caller owns *out.
 * @return BLOC_OK, BLOC_EIO (no such directory), BLOC_EPARSE (bad catalogue), BLOC_ENOMEM.
 */
int bloc_dataset_open(bloc_dataset **out, const char *dir);
void bloc_dataset_free(bloc_dataset *ds);

const char *bloc_dataset_dir(const bloc_dataset *ds);
size_t bloc_dataset_count(const bloc_dataset *ds);
/** Entry i in catalogue order (NULL if out of range). */
const bloc_catalog_entry *bloc_dataset_entry(const bloc_dataset *ds, size_t i);
/** Entry with this id, or NULL. */
const bloc_catalog_entry *bloc_dataset_find(const bloc_dataset *ds, const char *id);

/** Is `format` (a CATALOG.csv format name) one that bloc_contest_open can load as a contest? */
int bloc_format_is_contest(const char *format);

#define BLOC_LOAD_OPTIONS_VERSION 1

/** How to read one results file. */
typedef struct {
	unsigned version;
	const char *format; /* CATALOG.csv format name; NULL or "" = recognise from the header */
	const char *filter; /* "column=value" keeps only matching rows; NULL = all */
	const char *id;     /* contest id; NULL = the path */
	const char *date;   /* polling day if the file does not say; NULL = "" or from the file */
	int kind;           /* bloc_contest_kind; -1 = from the format */
	/* optional CSV of provisional_code,final_code to rename seats (5 Scottish 2023 codes) */
	const char *code_corrections;
	/* optional key-by-election summary file giving electorate and ballots for by-elections */
	const char *by_election_summary;
} bloc_load_options;

#define BLOC_LOAD_OPTIONS_INIT                                                                     \
	{                                                                                          \
		BLOC_LOAD_OPTIONS_VERSION, NULL, NULL, NULL, NULL, -1, NULL, NULL                  \
	}

/**
 * Load one results file. The format is recognised from its header when opts->format is unset;
 * an unrecognised header is an error that lists what was expected. Every value is checked: votes
 * are whole and not negative, a seat appears once (wide formats), candidates add up to the
 * declared valid votes and not above the electorate. The caller owns *out.
 * @return BLOC_OK, BLOC_EIO, BLOC_EPARSE, BLOC_ENUMERIC, BLOC_ENOMEM; messages are
 *         "file:line:column: what was expected, what was found".
 */
int bloc_contest_load(bloc_contest **out, const char *path, const bloc_load_options *opts);

/** As bloc_contest_load over `len` bytes in memory (named "<memory>"; for fuzzing and tests). */
int bloc_contest_load_mem(bloc_contest **out, const char *buf, size_t len,
                          const bloc_load_options *opts);

/**
 * Load two contests for comparison. When the catalogue says they are on different boundaries
 * (`boundaries` column), `from` is replaced by the notional result of the same date on `to`'s
 * boundaries (ge2019 -> ge2019-notional-2023 when `to` is ge2024), and *note is set to a
 * sentence saying so (static storage; NULL when no substitution was made).
 */
int bloc_contest_open_pair(bloc_contest **from, bloc_contest **to, const bloc_dataset *ds,
                           const char *from_name, const char *to_name, const char **note);

/**
 * Load a contest named by catalogue id (`ge2019`, `by2021-batley-and-spen`) or, if `name` is not
 * an id, by file path (relative to the working directory). Catalogue loads apply the entry's
 * format, filter, date and kind, and the data directory's code corrections where the boundaries
 * need them.
 * @return as bloc_contest_load, plus BLOC_ENOTFOUND (neither an id nor a readable file; the
 *         message lists the ids), BLOC_EINVAL (the id is not a results contest).
 */
int bloc_contest_open(bloc_contest **out, const bloc_dataset *ds, const char *name);

/**
 * Load the general-election result before contest `name` (the catalogue's `previous` column),
 * for comparing a by-election with it.
 * @return BLOC_OK, BLOC_ENOTFOUND (no previous contest recorded), or as bloc_contest_open.
 */
int bloc_contest_open_previous(bloc_contest **out, const bloc_dataset *ds, const char *name);

/**
 * Write `c` as bloc's canonical long CSV, one row per candidate:
 * contest,date,seat_code,seat_name,region,nation,electorate,party,candidate,votes
 * (then invalid_votes and party_label, which the reader accepts as optional). Aggregate lumps are
 * written with candidate "(all other candidates)". Round-trips through bloc_contest_load.
 */
int bloc_contest_write_canonical(const bloc_contest *c, FILE *fp);

#ifdef __cplusplus
}
#endif
#endif
