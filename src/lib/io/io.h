/* Library-internal: the results-file loaders (one per format) and what they share.
 *
 * bloc_contest_load() reads the header, picks a format (given, or recognised from the header's
 * columns), then calls the format's loader with a bloc__load context. A loader walks the rows
 * with bloc__load_next() (which applies the filter and checks the row's field count), adds
 * seats with bloc__load_seat() and candidates through the builder. The common code finishes the
 * contest. Every message is "name:line:column: what was expected, what was found". */
#ifndef BLOC_IO_IO_H
#define BLOC_IO_IO_H

#include "bloc/csv.h"
#include "bloc/io.h"
#include "../data/build.h"

#include <stdint.h>

typedef struct bloc__load bloc__load;

/* The largest count accepted for an electorate or invalid votes (votes are capped lower, at
 * BLOC_MAX_CANDIDATE_VOTES): far above any constituency, and small enough that sums over millions
 * of seats cannot overflow int64_t. */
#define BLOC__COUNT_MAX INT64_C(1000000000000)

/** A results file format, named as in CATALOG.csv's `format` column. */
typedef struct bloc__format {
	const char *name;
	const char *what;        /* a few words for messages ("HoC constituency results, 2017") */
	int contest;             /* can be loaded as a contest */
	int kind;                /* default bloc_contest_kind */
	const char *const *cols; /* required columns; a header holding them all is this format */
	int (*load)(bloc__load *L);
	const void *spec; /* the loader's description of the columns */
} bloc__format;

/** A party label resolved once per file (labels repeat on thousands of rows). */
typedef struct {
	char *key;
	bloc_party party;
} bloc__label_slot;

/** A candidate seen in a long file: its key (seat, party, name, label) and first line. */
typedef struct {
	char *key;
	size_t line;
} bloc__cand_slot;

/** Per-seat bookkeeping kept by the loader beside the builder. */
typedef struct {
	size_t line;                  /* where the seat was first read */
	size_t last_line;             /* its latest row (long formats) */
	char *code;                   /* its code as stored (after corrections) */
	char *name, *region, *nation; /* as first read (long formats check later rows agree) */
	char *date;                   /* its polling day if the file gives one per row, else NULL */
	int64_t top[2]; /* the two largest real (non-aggregate) candidates so far; -1 none */
	int64_t electorate, valid, invalid; /* seat figures (-1 unknown) for long formats */
} bloc__seat_info;

/* Scratch slots for bloc__load_trim/bloc__load_join: a string stays valid until its slot is reused.
 */
enum { BLOC__SLOT_LABEL = 4, BLOC__SLOT_NAME, BLOC__SLOT_AUX, BLOC__NSLOTS };

struct bloc__load {
	bloc_csv_reader *rd;
	bloc__builder *b;
	const bloc__format *fmt;
	const bloc_load_options *opts;
	const char *name; /* input name for messages */
	size_t ncols;

	/* "column=value" filter: rows whose column differs are skipped */
	int filter_col;
	char *filter_value;
	size_t rows_kept;

	/* the polling day: 0 none seen, 1 one, 2 several */
	int date_state;
	char *date;
	size_t date_line, date_col; /* where it was first read */
	/* contest id found in the file (canonical `contest` column) */
	char *file_id;

	/* provisional -> final seat codes */
	char **corr_from, **corr_to;
	size_t ncorr;

	bloc__seat_info *seat;
	size_t seat_cap;
	size_t cur_seat; /* the previous row's seat ((size_t)-1 before the first) */

	bloc__cand_slot *cands; /* candidates read so far (long formats), a hash set */
	size_t ncands, cands_cap;

	bloc__label_slot *labels;
	size_t nlabels, labels_cap;

	/* scratch strings (slots 0-3 are used by bloc__load_seat) */
	char *buf[BLOC__NSLOTS];
	size_t bufcap[BLOC__NSLOTS];
};

/* The formats, defined beside their loaders (load_wide.c, load_long.c, load_notional.c,
 * load_canonical.c); load_format.c lists them and adds the two that are not contests. */
extern const bloc__format bloc__fmt_wide_2017, bloc__fmt_wide_2019, bloc__fmt_wide_2024,
    bloc__fmt_wide_by;
extern const bloc__format bloc__fmt_long_hoc, bloc__fmt_long_2024, bloc__fmt_long_key_by,
    bloc__fmt_long_previous, bloc__fmt_canonical;
extern const bloc__format bloc__fmt_notional;

/* The loaders. The long one (one row per candidate) serves the candidate formats and canonical CSV.
 */
int bloc__load_wide(bloc__load *L);
int bloc__load_long(bloc__load *L);
int bloc__load_notional(bloc__load *L);

/** Column `name` (ASCII case-insensitive; '_' matches ' '; spaces around ignored), or -1. */
int bloc__load_col(const bloc__load *L, const char *name);

/**
 * Next row that passes the filter. Checks it has as many fields as the header.
 * @return 1 row, 0 end, <0 error.
 */
int bloc__load_next(bloc__load *L);

/**
 * Votes in column `col`: a whole number from 0 to BLOC_MAX_CANDIDATE_VOTES. Blank is 0 when
 * `blank_zero`, else an error.
 * @return BLOC_OK or an error with "name:line:column".
 */
int bloc__load_votes(bloc__load *L, int col, int blank_zero, int64_t *out);

/** A count that may be unknown (electorate, invalid votes): blank or absent column gives -1. */
int bloc__load_count(bloc__load *L, int col, int64_t *out);

/**
 * The seat of the current row: code (corrected if a correction applies; must not be blank),
 * name, region (normalised to the ONS region name when `norm_region`), nation (from the code's
 * first letter when blank). With `unique`, a seat read before is an error (one row per seat);
 * without, a seat's rows must follow each other and agree on its name, region and nation.
 * Columns may be -1 (absent).
 */
int bloc__load_seat(bloc__load *L, int code_col, int name_col, int region_col, int nation_col,
                    int norm_region, int unique, size_t *idx, int *created);

/**
 * Check that candidate `name` of `party` (label `label`, `flags`) has not been read before in
 * seat `seat`: a row read twice is an error naming the line where it was first read. The
 * candidate is the seat, the party and the name; the label too when the name is empty or the
 * party is OTH (unknown labels are different parties), so unnamed candidates of different
 * labels (IND1, IND2) stay apart.
 */
int bloc__load_candidate_once(bloc__load *L, int party_col, size_t seat, bloc_party party,
                              const char *label, const char *name, unsigned flags);

/**
 * Record the current row's polling day (column `col`; ignored when -1 or blank; else a calendar
 * date YYYY-MM-DD) for the contest
 * and, when `seat` is not (size_t)-1, check the seat was not also read on another day.
 */
int bloc__load_date(bloc__load *L, int col, size_t seat);

/**
 * Check one seat's declared result against its real (non-aggregate) candidates: `majority`
 * (column maj_col) must equal the largest minus the second largest (the largest alone if there is
 * one candidate), and, when `winner` is not BLOC_PARTY_NONE and the largest is not tied, the
 * largest must be of party `winner` (column win_col).
 */
int bloc__load_check_result(bloc__load *L, const bloc_party *party, const int64_t *votes, size_t n,
                            int64_t majority, int maj_col, bloc_party winner, int win_col);

/** Count a real candidate's votes toward its seat's top two. */
void bloc__load_track(bloc__load *L, size_t seat, int64_t votes);

/**
 * Party for a label: `primary` resolved first (abbreviation, code or column name), then
 * `fallback` (a full party name, may be NULL); unknown labels give OTH. Cached per file.
 */
int bloc__load_party(bloc__load *L, const char *primary, const char *fallback, bloc_party *out);

/** Copy of s without surrounding spaces in scratch slot `slot`; NULL when out of memory (message
 * set). */
const char *bloc__load_trim(bloc__load *L, int slot, const char *s);

/** "First Surname" from two fields, each trimmed (either may be empty), in scratch slot `slot`. */
const char *bloc__load_join(bloc__load *L, int slot, const char *first, const char *last);

/** Start of s without leading spaces/tabs; *len excludes trailing ones. */
const char *bloc__trim_span(const char *s, size_t *len);

#endif
