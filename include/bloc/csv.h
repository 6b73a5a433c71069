/* bloc — streaming RFC 4180 CSV reader. */
#ifndef BLOC_CSV_H
#define BLOC_CSV_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct bloc_csv_reader bloc_csv_reader;

#define BLOC_CSV_OPTIONS_VERSION 1

/** Reader options. Limits protect against hostile input; exceeding one is a parse error. */
typedef struct {
	unsigned version;
	char delimiter;    /* ',' */
	char quote;        /* '"' */
	size_t max_field;  /* bytes in one field after unquoting */
	size_t max_record; /* bytes in one record (a "line", which may span physical lines) */
	size_t max_fields; /* fields in one record */
} bloc_csv_options;

#define BLOC_CSV_OPTIONS_INIT                                                                      \
	{                                                                                          \
		BLOC_CSV_OPTIONS_VERSION, ',', '"', 65536, 1048576, 4096                           \
	}

/**
 * Open `path` ("-" is standard input) for streaming. A UTF-8 byte-order mark is skipped; text
 * that is not UTF-8 (such as Windows-1252) is refused with the line and column of the first bad
 * byte. `opts` may be NULL for the defaults. The caller owns *out (bloc_csv_close).
 * @return BLOC_OK, BLOC_EIO, BLOC_EINVAL, BLOC_ENOMEM.
 */
int bloc_csv_open(bloc_csv_reader **out, const char *path, const bloc_csv_options *opts);

/** As bloc_csv_open over `len` bytes at `buf` (not copied; must outlive the reader). Named
 * "<memory>". */
int bloc_csv_open_mem(bloc_csv_reader **out, const char *buf, size_t len,
                      const bloc_csv_options *opts);

/** Close and free; accepts NULL. */
void bloc_csv_close(bloc_csv_reader *r);

/**
 * Read the next record. Blank lines are skipped.
 * @return 1 when a record was read, 0 at end of input, <0 (BLOC_EPARSE, BLOC_EIO, BLOC_ENOMEM)
 *         with a message "name:line:column: ..." (see bloc_error_last()).
 * Cost: O(record bytes); no allocation once buffers have grown to the largest record.
 */
int bloc_csv_next(bloc_csv_reader *r);

/** Read the first record as a header: names are kept with surrounding spaces trimmed. */
int bloc_csv_read_header(bloc_csv_reader *r);

/** Index of header column `name` (ASCII case-insensitive, spaces trimmed), or -1. */
int bloc_csv_col(const bloc_csv_reader *r, const char *name);

/** Number of header columns (0 before bloc_csv_read_header). */
size_t bloc_csv_ncols(const bloc_csv_reader *r);

/** Header name of column i ("" if out of range). Borrowed. */
const char *bloc_csv_colname(const bloc_csv_reader *r, size_t i);

/** Fields in the current record. */
size_t bloc_csv_nfields(const bloc_csv_reader *r);

/** Field i of the current record, NUL-terminated, unquoted ("" if out of range). Borrowed until the
 * next call to bloc_csv_next. */
const char *bloc_csv_field(const bloc_csv_reader *r, size_t i);

/** Length in bytes of field i (0 if out of range). */
size_t bloc_csv_field_len(const bloc_csv_reader *r, size_t i);

/** Physical line (1-based) where the current record starts. */
size_t bloc_csv_line(const bloc_csv_reader *r);

/** Physical line (1-based) where field i starts (records may span lines inside quotes). */
size_t bloc_csv_field_line(const bloc_csv_reader *r, size_t i);

/** Column (1-based, in characters) where field i starts on its line. */
size_t bloc_csv_column(const bloc_csv_reader *r, size_t i);

/** The name given to the input: its path, "<stdin>" or "<memory>". Borrowed. */
const char *bloc_csv_name(const bloc_csv_reader *r);

/**
 * Set an error "name:line:column: column 'header': <message>" about field i of the current record
 * and return `code`. The message is printf-formatted.
 */
int bloc_csv_field_error(const bloc_csv_reader *r, size_t i, int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/**
 * Parse field i as a whole number: optional surrounding spaces, an optional sign, digits, and
 * optionally thousands separators in groups of three ("72,580"). Empty gives BLOC_ENOTFOUND
 * without a message so callers can treat blank as missing.
 * @return BLOC_OK, BLOC_ENOTFOUND (blank), BLOC_EPARSE (message set, naming the field).
 */
int bloc_csv_field_i64(const bloc_csv_reader *r, size_t i, int64_t *out);

/** Parse field i as a finite decimal number; blank gives BLOC_ENOTFOUND; "NA" counts as blank. */
int bloc_csv_field_double(const bloc_csv_reader *r, size_t i, double *out);

#ifdef __cplusplus
}
#endif
#endif
