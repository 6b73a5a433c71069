/* bloc — file formats: reading the catalogue and results files, writing canonical CSV. The
 * store (store.h) is how the rest of the library reaches these; they are public for front-ends
 * and tools that name their own files. csv.h is the CSV reader they share. */
#ifndef BLOC_IO_H
#define BLOC_IO_H

#include <stdio.h>

#include "contest.h"
#include "csv.h"
#include "dataset.h"
#include "ei.h"
#include "forecast.h"
#include "groups.h"
#include "hexmap.h"
#include "project.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Open data directory `dir` and read `dir/CATALOG.csv` (a directory without a catalogue is
 * allowed: contests are then named by path only). The caller owns *out.
 * @return BLOC_OK, BLOC_EIO (no such directory), BLOC_EPARSE (bad catalogue), BLOC_ENOMEM.
 */
int bloc_dataset_open(bloc_dataset **out, const char *dir);
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
 * Write `c` as bloc's canonical long CSV, one row per candidate:
 * contest,date,seat_code,seat_name,region,nation,electorate,party,candidate,votes
 * (then invalid_votes and party_label, which the reader accepts as optional). Aggregate lumps are
 * written with candidate "(all other candidates)". Round-trips through bloc_contest_load.
 */
int bloc_contest_write_canonical(const bloc_contest *c, FILE *fp);

/* ---- HexJSON ------------------------------------------------------------------------ */

/**
 * Read a HexJSON file. `corrections` (may be NULL) is a CSV with columns provisional_code and
 * final_code: hexes with a provisional code take the final one. Every hex needs integer q and
 * r (integers written as strings are accepted); two hexes at one position, or two with one
 * code after corrections, are errors. `boundaries` (HexJSON 1.1) are read when present.
 * The caller owns *out; it is not aligned to any contest.
 * @return BLOC_OK, BLOC_EIO (unreadable), BLOC_EPARSE (malformed JSON: "file:line:column:
 *         message"; a bad structure: "file: hexes.CODE.q: expected an integer, found a
 *         string"), BLOC_ENUMERIC (coordinates out of range, duplicate positions), BLOC_ENOMEM.
 * Cost: O(hexes log hexes).
 */
int bloc_hexjson_load(bloc_hexmap **out, const char *path, const char *corrections);

/** As bloc_hexjson_load over `len` bytes in memory; `name` is used in messages. */
int bloc_hexjson_load_mem(bloc_hexmap **out, const char *buf, size_t len, const char *name,
                          const char *corrections);

/**
 * The layout as JSON text, a HexJSON document with extra keys (malloc'd, NUL-terminated; free
 * with free()):
 *   {"id":"hex2023","source":"hexmaps/uk-constituencies-2023.hexjson","layout":"odd-r",
 *    "corrected":5,
 *    "hexes":{"E14001063":{"n":"Aldershot","q":59,"r":-39,"region":"E12000008","seat":0},...},
 *    "boundaries":{"sc-en":{"type":"country","edges":[{"q":53,"r":-11,"e":3},...]},...},
 *    "seats":650,"matched":650,"missing":[]}
 * Hexes in code order. With `c` (the contest it is aligned to; NULL for none) "n" is the
 * contest's seat name and "seat" its index (null for a hex without a seat); "missing" lists
 * the codes of c's seats without a hex. Without `c` there are no "seat", "seats", "matched" or
 * "missing" keys.
 * @return the text, or NULL (out of memory, or `c` is not the contest `m` is aligned to; the
 *         message is set).
 */
char *bloc_hexmap_to_json(const bloc_hexmap *m, const bloc_contest *c);

/* ---- census group shares -------------------------------------------------------------- */

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

/* ---- EI units ------------------------------------------------------------------------- */

/**
 * Read a plain CSV: column `id` (unit ids), the `groups` columns and the `parties` columns
 * (counts, blank not allowed, at least 0). Other columns are ignored. Each unit's group counts
 * must sum to its party counts (to 1e-6 relative); a mismatch is BLOC_ENUMERIC naming the file,
 * line and unit. At least R + 1 units are needed.
 * @return BLOC_OK; BLOC_EPARSE (missing column, bad number, empty id); BLOC_ENUMERIC (negative
 *         count, mismatched sums, a unit with total 0, too few units); BLOC_EIO; BLOC_EINVAL
 *         (NULL argument, no groups or parties, too many, a name twice); BLOC_ENOMEM.
 */
int bloc_ei_load_csv(bloc_ei_input *out, const char *path, const char *id,
                     const char *const *groups, size_t R, const char *const *parties, size_t C);

/**
 * The contextual model's covariates from a CSV: the first column holds unit ids (`in`'s), the
 * other 1 to 4 columns numbers, one row for every unit of `in` (rows of other units are
 * skipped); *out gets n * R * ncov values, each unit's the same for every group (caller frees).
 * @return BLOC_OK; BLOC_EINVAL (a unit twice or missing, too few or many columns, a blank);
 *         BLOC_EPARSE (a bad number); BLOC_EIO; BLOC_ENOMEM.
 */
int bloc_ei_load_covariates(double **out, size_t *ncov, const bloc_ei_input *in, const char *path);

/** Write `in` as a CSV `id,<groups>,<parties>` readable by bloc_ei_load_csv. */
int bloc_ei_write_csv(const bloc_ei_input *in, const char *path);

/** Write the truth as CSV `group,party,truth,preference` (R * C rows). */
int bloc_ei_synth_write_truth(const bloc_ei_synth *s, const char *path);

/* ---- census ages, sex and households ------------------------------------------------------ */

/**
 * Each seat's adults in six age bands (18-24, 25-34, 35-44, 45-54, 55-64, 65+; age is nseats x 6,
 * fractions summing to 1), the share of women (female, nseats) and, when `households` is not
 * NULL, its households by the adults in them (1, 2, ... 5, 6 or more; nseats x 6, fractions of
 * households summing to 1) from household composition, from a census summaries file with
 * ONSConstID and c11Age*, c11Household* (BES 2019) or c21Age*, c21Household* (2024 summaries)
 * columns; NaN for a seat the file does not have. Columns spanning two bands are split evenly by
 * year of age; how many adults each kind of household holds is in census_ages.c.
 * @return BLOC_OK, BLOC_EPARSE (a missing column), BLOC_ENOTFOUND (no seat matched), BLOC_EIO.
 */
int bloc_seat_people_load(const char *path, const bloc_contest *c, double *age, double *female,
                          double *households);

/* ---- polls ---------------------------------------------------------------------------- */

/**
 * Read polls (forecast.h): a CSV with a `pollster` column, an `end`, `fieldwork_end` or `date`
 * date column (YYYY-MM-DD, blank for unknown), optionally `start`/`fieldwork_start` and `n`/
 * `sample_size`, and one column per party (a code or name: con, lab, lib, ld, grn, ref, ...;
 * `id`, `method` and `notes` are skipped). Each row's shares are fractions, or percent when any
 * of them is above 1. A blank share is a party the poll did not report. Rows whose `area` is
 * neither blank nor GB are left out (counted in other_area). The caller frees *out
 * (bloc_polls_free).
 * @return BLOC_OK; BLOC_EPARSE (no pollster or end column, a column that is no party, a bad date
 *         or number: file:line:column); BLOC_ENUMERIC (a share outside 0..100); BLOC_EIO;
 *         BLOC_ENOMEM.
 */
int bloc_polls_load(bloc_polls **out, const char *path);

/**
 * Read published seat projections: a CSV with `pollster`, optionally `published` (a date) and
 * `notes`, one column of seats per party, and `<party>_low`/`<party>_high` for stated ranges.
 * Blank is "not published". The caller frees *out (bloc_mrp_free).
 * @return BLOC_OK; BLOC_EPARSE (no pollster column, a column that is no party, a bad number);
 *         BLOC_EIO; BLOC_ENOMEM.
 */
int bloc_mrp_load(bloc_mrp **out, const char *path);

/** Read by-election share changes (date, con_share_change, lab_share_change, ld_share_change,
 * pc_snp_share_change, other_share_change; blanks are NaN). The caller frees *out. */
int bloc_by_changes_load(bloc_by_changes **out, const char *path);

/* ---- scenarios ------------------------------------------------------------------------ */

/**
 * Add to the scenario from a CLI-style flag. Keys and values:
 *   "shares"  "LAB=34,CON=24,REF=14"        national target shares (points)
 *   "swing"   "LAB:REF=5"                   Butler swing of 5 points from LAB to REF
 *   "region"  "Scotland:SNP=30,LAB=35"      target shares in a nation or region
 *   "group"   "muslim:LAB=-20,IND=+12,GRN=+6,turnout=+5"   (turnout: points of the group's)
 *   "stand"   "IND:Name@Bradford West,E14000589"   new candidates (a seat, or "all")
 *   "baseline" "census|survey:LAB=86,CON=9|ei[:draws=N,seed=S,chains=C,burnin=B]"
 *   "hold-shares" "yes|no|TOLERANCE"   re-fit until the shares set hold (default yes, 0.05)
 *   "model"   "uniform|proportional|transition|strong"
 *   "threshold" "0.2"   "adult-ratio" "0.8"   "turnout-ratio" "0.9"
 * A repeated setting merges: shares for an area (or a group's changes) already given replace
 * the listed parties' values and keep the others; the same swing again replaces it. Parties are
 * stored under their successors (BRX as REF). On error *s is unchanged.
 * @return BLOC_OK, BLOC_EINVAL with a message naming the flag and what was wrong (unknown
 *         party, malformed number, too many terms, shares above 100).
 */
int bloc_scenario_set(bloc_scenario *s, const char *key, const char *value);

/**
 * Read a scenario from JSON text (`name` is used in messages):
 * {"base":"ge2024","model":"strong","threshold":0.2,
 *  "shares":{"LAB":34,"CON":24},"swing":[{"from":"LAB","to":"REF","points":5}],
 *  "regions":{"Scotland":{"SNP":30}},
 *  "groups":[{"group":"muslim","change":{"LAB":-20,"IND":12,"GRN":6,"turnout":5}}],
 *  "stand":["IND:Name@Bradford West"],"baseline":"survey:LAB=86,CON=9","hold_shares":true,
 *  "adult_ratio":1,"turnout_ratio":1}
 * Unknown keys are errors. The document is applied on top of *s, as the same flags would be
 * (bloc_scenario_init first for a fresh scenario); on error *s is unchanged.
 * @return BLOC_OK, BLOC_EPARSE (malformed JSON, with line:column),
 * BLOC_EINVAL (bad values, naming the key).
 */
int bloc_scenario_parse_json(bloc_scenario *s, const char *text, size_t len, const char *name);
/** bloc_scenario_parse_json on a file's contents. */
int bloc_scenario_load(bloc_scenario *s, const char *path);
/** The scenario as JSON in the same schema (malloc'd; free with free()). NULL on ENOMEM. */
char *bloc_scenario_to_json(const bloc_scenario *s);
/** The scenario's baseline as the "baseline" setting's text ("census", "survey:LAB=86,...",
 * "ei:draws=300"), cut to fit cap bytes. */
void bloc_scenario_baseline_text(const bloc_scenario *s, char *buf, size_t cap);

#ifdef __cplusplus
}
#endif
#endif
