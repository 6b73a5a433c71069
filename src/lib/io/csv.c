/* Streaming RFC 4180 reader: one pass, one byte at a time, buffers reused across records. */
#include "bloc/csv.h"

#include "bloc/error.h"
#include "../core/alloc.h"
#include "../util/path.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define END 256 /* end of input; errors are negative */

struct bloc_csv_reader {
	bloc_csv_options opts;
	char *name;
	FILE *fp;
	int own_fp;
	const unsigned char *mem;
	size_t mem_len;
	unsigned char buf[65536];
	const unsigned char *p, *pend; /* unread bytes */
	int eof;

	/* position of the next byte to be read */
	size_t line, col;
	int after_cr;
	/* position of the byte just read */
	size_t cur_line, cur_col;
	/* UTF-8 validation: continuation bytes still expected, and where the sequence started */
	int u8rem;
	unsigned u8min; /* smallest valid code point for this sequence length (overlongs) */
	unsigned u8cp;
	unsigned u8lead; /* the sequence's first byte, which is what a message should show */
	size_t u8line, u8col;

	/* current record: fields are NUL-terminated in rec at off[i] */
	char *rec;
	size_t rec_len, rec_cap;
	size_t *off, *flen, *fline, *fcol;
	size_t nf, fcap;
	size_t rec_line;

	char **hdr;
	size_t nhdr;
};

static int init_common(bloc_csv_reader **out, const bloc_csv_options *opts, const char *name)
{
	bloc_csv_options defaults = BLOC_CSV_OPTIONS_INIT;
	bloc_csv_reader *r;

	*out = NULL;
	if (opts && opts->version != BLOC_CSV_OPTIONS_VERSION)
		return bloc_error_set(BLOC_EINVAL, "csv options: version %u, expected %u",
		                      opts->version, BLOC_CSV_OPTIONS_VERSION);
	if (!opts)
		opts = &defaults;
	if (opts->delimiter == opts->quote || opts->delimiter == '\n' || opts->delimiter == '\r' ||
	    opts->max_field == 0 || opts->max_record == 0 || opts->max_fields == 0)
		return bloc_error_set(BLOC_EINVAL,
		                      "csv options: invalid delimiter, quote or limits");
	r = bloc_calloc(1, sizeof(*r));
	if (!r)
		return bloc_error_set(BLOC_ENOMEM, "out of memory opening %s", name);
	r->opts = *opts;
	r->name = bloc_strdup(name);
	if (!r->name) {
		bloc_free(r);
		return bloc_error_set(BLOC_ENOMEM, "out of memory opening %s", name);
	}
	r->line = 1;
	r->col = 1;
	*out = r;
	return BLOC_OK;
}

int bloc_csv_open(bloc_csv_reader **out, const char *path, const bloc_csv_options *opts)
{
	int stdin_ = strcmp(path, "-") == 0;
	FILE *fp = stdin;
	int err;

	*out = NULL;
	if (!stdin_ && (err = bloc__open_read(&fp, path)) < 0)
		return err;
	if ((err = init_common(out, opts, stdin_ ? "<stdin>" : path)) < 0) {
		if (!stdin_)
			fclose(fp);
		return err;
	}
	(*out)->fp = fp;
	(*out)->own_fp = !stdin_;
	return BLOC_OK;
}

int bloc_csv_open_mem(bloc_csv_reader **out, const char *buf, size_t len,
                      const bloc_csv_options *opts)
{
	int err;

	if ((err = init_common(out, opts, "<memory>")) < 0)
		return err;
	(*out)->mem = (const unsigned char *)buf;
	(*out)->mem_len = len;
	return BLOC_OK;
}

void bloc_csv_close(bloc_csv_reader *r)
{
	size_t i;

	if (!r)
		return;
	if (r->own_fp)
		fclose(r->fp);
	for (i = 0; i < r->nhdr; i++)
		bloc_free(r->hdr[i]);
	bloc_free(r->hdr);
	bloc_free(r->rec);
	bloc_free(r->off);
	bloc_free(r->flen);
	bloc_free(r->fline);
	bloc_free(r->fcol);
	bloc_free(r->name);
	bloc_free(r);
}

/* Make unread bytes available; returns 0 at end of input, <0 on a read error. */
static int fill(bloc_csv_reader *r)
{
	size_t n;

	if (r->p < r->pend)
		return 1;
	if (r->eof)
		return 0;
	if (r->mem) {
		r->p = r->mem;
		r->pend = r->mem + r->mem_len;
		r->eof = 1;
		return r->mem_len > 0;
	}
	n = fread(r->buf, 1, sizeof(r->buf), r->fp);
	if (n == 0) {
		r->eof = 1;
		if (ferror(r->fp))
			return bloc_error_set(BLOC_EIO, "%s:%zu: read error", r->name, r->line);
		return 0;
	}
	r->p = r->buf;
	r->pend = r->buf + n;
	return 1;
}

static int peek(bloc_csv_reader *r)
{
	int ok = fill(r);

	if (ok < 0)
		return ok;
	return ok ? *r->p : END;
}

static int bad_utf8(bloc_csv_reader *r, size_t line, size_t col, unsigned byte)
{
	return bloc_error_set(
	    BLOC_EPARSE,
	    "%s:%zu:%zu: expected UTF-8 text, found byte 0x%02X; the file looks like "
	    "Windows-1252 or Latin-1: convert it with 'iconv -f WINDOWS-1252 -t "
	    "UTF-8'",
	    r->name, line, col, byte);
}

/* Read one byte, tracking line and column and validating UTF-8. */
static int get_slow(bloc_csv_reader *r);

/* Read one byte: inline for printable ASCII between whole characters, the common case. */
static inline int get(bloc_csv_reader *r)
{
	if (r->p < r->pend && !r->u8rem && !r->after_cr && *r->p >= 0x20 && *r->p < 0x80) {
		r->cur_line = r->line;
		r->cur_col = r->col++;
		return *r->p++;
	}
	return get_slow(r);
}

static int get_slow(bloc_csv_reader *r)
{
	int ok = fill(r);
	unsigned c;

	if (ok < 0)
		return ok;
	if (!ok) {
		if (r->u8rem)
			return bad_utf8(r, r->u8line, r->u8col, r->u8lead);
		r->cur_line = r->line;
		r->cur_col = r->col;
		return END;
	}
	c = *r->p++;
	if (r->after_cr && c == '\n') {
		/* second half of CRLF: same position as the CR, already counted */
		r->after_cr = 0;
		return (int)c;
	}
	r->after_cr = 0;
	r->cur_line = r->line;
	r->cur_col = r->col;
	if (r->u8rem) {
		if ((c & 0xC0) != 0x80)
			return bad_utf8(r, r->u8line, r->u8col, r->u8lead);
		r->u8cp = (r->u8cp << 6) | (c & 0x3F);
		if (--r->u8rem == 0 && (r->u8cp < r->u8min || r->u8cp > 0x10FFFF ||
		                        (r->u8cp >= 0xD800 && r->u8cp <= 0xDFFF)))
			return bad_utf8(r, r->u8line, r->u8col, r->u8lead);
		return (int)c; /* continuation bytes do not advance the column */
	}
	if (c >= 0x80) {
		r->u8line = r->cur_line;
		r->u8col = r->cur_col;
		r->u8lead = c;
		if (c >= 0xC2 && c <= 0xDF) {
			r->u8rem = 1, r->u8cp = c & 0x1F, r->u8min = 0x80;
		} else if (c >= 0xE0 && c <= 0xEF) {
			r->u8rem = 2, r->u8cp = c & 0x0F, r->u8min = 0x800;
		} else if (c >= 0xF0 && c <= 0xF4) {
			r->u8rem = 3, r->u8cp = c & 0x07, r->u8min = 0x10000;
		} else {
			return bad_utf8(r, r->cur_line, r->cur_col, c);
		}
	} else if (c == 0) {
		return bloc_error_set(
		    BLOC_EPARSE,
		    "%s:%zu:%zu: expected text, found a NUL byte (is this a binary "
		    "file?)",
		    r->name, r->cur_line, r->cur_col);
	}
	if (c == '\n' || c == '\r') {
		r->line++;
		r->col = 1;
		r->after_cr = c == '\r';
	} else {
		r->col++;
	}
	return (int)c;
}

static int push_byte(bloc_csv_reader *r, int c, size_t field_start)
{
	int err;

	if (r->rec_len - field_start >= r->opts.max_field)
		return bloc_error_set(
		    BLOC_EPARSE,
		    "%s:%zu:%zu: expected a field of at most %zu bytes, found a longer "
		    "one",
		    r->name, r->fline[r->nf], r->fcol[r->nf], r->opts.max_field);
	if (r->rec_len >= r->opts.max_record)
		return bloc_error_set(
		    BLOC_EPARSE,
		    "%s:%zu: expected a record of at most %zu bytes, found a longer one", r->name,
		    r->rec_line, r->opts.max_record);
	if (r->rec_len + 1 >= r->rec_cap &&
	    (err = bloc__grow((void **)&r->rec, &r->rec_cap, r->rec_len + 2, 1)) < 0)
		return err;
	r->rec[r->rec_len++] = (char)c;
	return BLOC_OK;
}

/*
 * Fast path: copy the run of plain printable ASCII bytes that follows in the buffer straight into
 * the record, stopping before `stop1`/`stop2` (the delimiter and the quote; pass the quote twice
 * inside quotes), any control byte or any byte >= 0x80. Those, and the limits, are left to the
 * byte-at-a-time path in get(), which tracks lines, validates UTF-8 and reports errors; the run
 * only advances the column. Only valid between whole characters (no UTF-8 sequence pending).
 */
static int push_run(bloc_csv_reader *r, int stop1, int stop2, size_t field_start)
{
	const unsigned char *p = r->p, *end = r->pend;
	size_t n, room_field, room_rec;
	int err;

	if (r->u8rem)
		return BLOC_OK;
	while (p < end && *p >= 0x20 && *p < 0x80 && *p != stop1 && *p != stop2)
		p++;
	n = (size_t)(p - r->p);
	room_field = r->opts.max_field - (r->rec_len - field_start);
	room_rec = r->opts.max_record - r->rec_len;
	if (n > room_field)
		n = room_field;
	if (n > room_rec)
		n = room_rec;
	if (n == 0)
		return BLOC_OK;
	if (r->rec_len + n + 1 >= r->rec_cap &&
	    (err = bloc__grow((void **)&r->rec, &r->rec_cap, r->rec_len + n + 2, 1)) < 0)
		return err;
	memcpy(r->rec + r->rec_len, r->p, n);
	r->rec_len += n;
	r->p += n;
	r->col += n;
	r->after_cr = 0;
	return BLOC_OK;
}

static int begin_field(bloc_csv_reader *r)
{
	size_t cap;
	int err;

	if (r->nf >= r->opts.max_fields)
		return bloc_error_set(
		    BLOC_EPARSE, "%s:%zu:%zu: expected at most %zu fields in a record, found more",
		    r->name, r->cur_line, r->cur_col, r->opts.max_fields);
	if (r->nf >= r->fcap) {
		cap = r->fcap;
		if ((err = bloc__grow((void **)&r->off, &cap, r->nf + 1, sizeof(size_t))) < 0)
			return err;
		cap = r->fcap;
		if ((err = bloc__grow((void **)&r->flen, &cap, r->nf + 1, sizeof(size_t))) < 0)
			return err;
		cap = r->fcap;
		if ((err = bloc__grow((void **)&r->fline, &cap, r->nf + 1, sizeof(size_t))) < 0)
			return err;
		cap = r->fcap;
		if ((err = bloc__grow((void **)&r->fcol, &cap, r->nf + 1, sizeof(size_t))) < 0)
			return err;
		r->fcap = cap;
	}
	r->off[r->nf] = r->rec_len;
	r->fline[r->nf] = r->cur_line;
	r->fcol[r->nf] = r->cur_col;
	return BLOC_OK;
}

static int end_field(bloc_csv_reader *r)
{
	int err;

	if (r->rec_len + 1 > r->rec_cap &&
	    (err = bloc__grow((void **)&r->rec, &r->rec_cap, r->rec_len + 1, 1)) < 0)
		return err;
	r->flen[r->nf] = r->rec_len - r->off[r->nf];
	r->rec[r->rec_len++] = '\0';
	r->nf++;
	return BLOC_OK;
}

static int show(int c)
{
	return c >= 0x20 && c < 0x7F ? c : '?';
}

/*
 * Fast path for a whole field: when the bytes in the buffer from here are plain printable ASCII
 * up to a delimiter or LF, take the field in one copy. Returns 1 (field ended by the delimiter),
 * 2 (ended by LF: the record is complete), 0 (not handled: quotes, CR, control bytes, UTF-8,
 * the end of the buffer or a limit; the byte-at-a-time path takes over and reports errors) or <0.
 */
static int fast_field(bloc_csv_reader *r, int delim, int quote)
{
	const unsigned char *p = r->p, *end = r->pend;
	size_t n;
	int err;

	if (r->u8rem || r->after_cr)
		return 0;
	while (p < end && *p >= 0x20 && *p < 0x80 && *p != delim && *p != quote)
		p++;
	if (p == end || (*p != delim && *p != '\n'))
		return 0;
	n = (size_t)(p - r->p);
	if (n > r->opts.max_field || r->rec_len + n >= r->opts.max_record)
		return 0;
	r->cur_line = r->line;
	r->cur_col = r->col;
	if ((err = begin_field(r)) < 0)
		return err;
	if (r->rec_len + n + 1 > r->rec_cap &&
	    (err = bloc__grow((void **)&r->rec, &r->rec_cap, r->rec_len + n + 1, 1)) < 0)
		return err;
	memcpy(r->rec + r->rec_len, r->p, n);
	r->rec_len += n;
	if ((err = end_field(r)) < 0)
		return err;
	r->p = p + 1;
	if (*p == delim) {
		r->col += n + 1;
		return 1;
	}
	r->line++;
	r->col = 1;
	return 2;
}

/* Skip blank lines and a UTF-8 byte-order mark at the very start of the input. Returns 1 with
 * *c the record's first byte, 0 at the end of the input, or <0. */
static inline int record_start(bloc_csv_reader *r, int *c)
{
	do {
		*c = get(r);
		if (*c < 0)
			return *c;
	} while (*c == '\n' || *c == '\r');
	if (*c == END)
		return 0;
	if (r->line == 1 && r->cur_col == 1 && r->rec_line == 0 && *c == 0xEF) {
		/* a UTF-8 byte-order mark at the very start of the input */
		if (peek(r) == 0xBB) {
			if ((*c = get(r)) < 0 || (*c = get(r)) < 0)
				return *c;
			if (*c != 0xBF)
				return bad_utf8(r, 1, 1, 0xEF);
			r->col = 1;
			if ((*c = get(r)) < 0)
				return *c;
			if (*c == END)
				return 0;
		}
	}
	return 1;
}

/* A quoted field from its opening quote (doubled quotes stand for one). Returns 0 with *c the
 * byte after the closing quote (a delimiter, a line end or END), or <0. */
static inline int quoted_field(bloc_csv_reader *r, int delim, int quote, size_t start, int *c)
{
	size_t qline = r->cur_line, qcol = r->cur_col;
	int err;

	for (;;) {
		if ((*c = get(r)) < 0)
			return *c;
		if (*c == END)
			return bloc_error_set(BLOC_EPARSE,
			                      "%s:%zu:%zu: expected a closing quote for "
			                      "the field opened here, found end of file",
			                      r->name, qline, qcol);
		if (*c == quote) {
			if ((*c = peek(r)) < 0)
				return *c;
			if (*c != quote)
				break;
			if ((*c = get(r)) < 0)
				return *c;
		}
		if ((err = push_byte(r, *c, start)) < 0 ||
		    (err = push_run(r, quote, quote, start)) < 0)
			return err;
	}
	if ((*c = get(r)) < 0)
		return *c;
	if (*c != delim && *c != '\n' && *c != '\r' && *c != END)
		return bloc_error_set(BLOC_EPARSE,
		                      "%s:%zu:%zu: expected '%c' or end of line after a closing "
		                      "quote, found '%c'",
		                      r->name, r->cur_line, r->cur_col, delim, show(*c));
	return 0;
}

/* An unquoted field from its first byte *c. Returns 0 with *c the byte that ended it (a
 * delimiter, a line end or END), or <0. */
static inline int plain_field(bloc_csv_reader *r, int delim, int quote, size_t start, int *c)
{
	int err;

	while (*c != delim && *c != '\n' && *c != '\r' && *c != END) {
		if (*c == quote)
			return bloc_error_set(BLOC_EPARSE,
			                      "%s:%zu:%zu: expected no quote "
			                      "inside an unquoted field, "
			                      "found '%c' (quote the whole field "
			                      "and double the quotes "
			                      "inside it)",
			                      r->name, r->cur_line, r->cur_col, quote);
		if ((err = push_byte(r, *c, start)) < 0 ||
		    (err = push_run(r, delim, quote, start)) < 0)
			return err;
		if ((*c = get(r)) < 0)
			return *c;
	}
	return 0;
}

static int next_record(bloc_csv_reader *r)
{
	const int delim = (unsigned char)r->opts.delimiter, quote = (unsigned char)r->opts.quote;
	int c, err;
	size_t start;

	r->nf = 0;
	r->rec_len = 0;
	if ((err = record_start(r, &c)) <= 0)
		return err;
	r->rec_line = r->cur_line;
	for (;;) {
		if ((err = begin_field(r)) < 0)
			return err;
		start = r->rec_len;
		if (c == quote)
			err = quoted_field(r, delim, quote, start, &c);
		else
			err = plain_field(r, delim, quote, start, &c);
		if (err < 0 || (err = end_field(r)) < 0)
			return err;
		if (c != delim)
			return 1; /* newline (CRLF's LF is folded into its CR) or end of input */
		for (;;) {
			if ((err = fast_field(r, delim, quote)) < 0)
				return err;
			if (err == 2)
				return 1;
			if (err == 0)
				break;
		}
		if ((c = get(r)) < 0)
			return c;
	}
}

int bloc_csv_next(bloc_csv_reader *r)
{
	int err = next_record(r);

	/* the record's buffers grew past what there is: say which file and line */
	if (err == BLOC_ENOMEM)
		bloc_error_prefix("reading %s:%zu", r->name, r->rec_line);
	return err;
}

static char *trimmed_copy(const char *s)
{
	size_t n;

	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return bloc_strndup(s, n);
}

int bloc_csv_read_header(bloc_csv_reader *r)
{
	size_t i;
	int err;

	err = bloc_csv_next(r);
	if (err < 0)
		return err;
	if (err == 0)
		return bloc_error_set(
		    BLOC_EPARSE, "%s:1:1: expected a header line, found an empty file", r->name);
	r->hdr = bloc_calloc(r->nf, sizeof(char *));
	if (!r->hdr)
		return bloc_error_set(BLOC_ENOMEM, "out of memory reading header of %s", r->name);
	r->nhdr = r->nf;
	for (i = 0; i < r->nf; i++) {
		r->hdr[i] = trimmed_copy(bloc_csv_field(r, i));
		if (!r->hdr[i])
			return bloc_error_set(BLOC_ENOMEM, "out of memory reading header of %s",
			                      r->name);
	}
	return BLOC_OK;
}

int bloc_csv_col(const bloc_csv_reader *r, const char *name)
{
	size_t i, n;

	/* no allocation: an out-of-memory failure must not read as "no such column" */
	while (*name == ' ' || *name == '\t')
		name++;
	n = strlen(name);
	while (n > 0 && (name[n - 1] == ' ' || name[n - 1] == '\t'))
		n--;
	for (i = 0; i < r->nhdr; i++) {
		if (strlen(r->hdr[i]) == n && strncasecmp(r->hdr[i], name, n) == 0)
			return (int)i;
	}
	return -1;
}

size_t bloc_csv_ncols(const bloc_csv_reader *r)
{
	return r->nhdr;
}

const char *bloc_csv_colname(const bloc_csv_reader *r, size_t i)
{
	return i < r->nhdr ? r->hdr[i] : "";
}

size_t bloc_csv_nfields(const bloc_csv_reader *r)
{
	return r->nf;
}

const char *bloc_csv_field(const bloc_csv_reader *r, size_t i)
{
	return i < r->nf ? r->rec + r->off[i] : "";
}

size_t bloc_csv_field_len(const bloc_csv_reader *r, size_t i)
{
	return i < r->nf ? r->flen[i] : 0;
}

size_t bloc_csv_line(const bloc_csv_reader *r)
{
	return r->rec_line;
}

size_t bloc_csv_field_line(const bloc_csv_reader *r, size_t i)
{
	return i < r->nf ? r->fline[i] : r->rec_line;
}

size_t bloc_csv_column(const bloc_csv_reader *r, size_t i)
{
	return i < r->nf ? r->fcol[i] : 1;
}

const char *bloc_csv_name(const bloc_csv_reader *r)
{
	return r->name;
}

int bloc_csv_field_error(const bloc_csv_reader *r, size_t i, int code, const char *fmt, ...)
{
	char msg[512], col[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (i < r->nhdr)
		snprintf(col, sizeof(col), "column '%.100s'", r->hdr[i]);
	else
		snprintf(col, sizeof(col), "field %zu", i + 1);
	return bloc_error_set(code, "%s:%zu:%zu: %s: %s", r->name, bloc_csv_field_line(r, i),
	                      bloc_csv_column(r, i), col, msg);
}

static const char *trim_span(const char *s, size_t *len)
{
	size_t n = strlen(s);

	while (n && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	*len = n;
	return s;
}

int bloc_csv_field_i64(const bloc_csv_reader *r, size_t i, int64_t *out)
{
	const char *raw = bloc_csv_field(r, i), *s;
	size_t n, k, group = 0;
	int neg = 0, commas = 0, digits = 0;
	uint64_t v = 0, lim;

	s = trim_span(raw, &n);
	if (n == 0)
		return BLOC_ENOTFOUND;
	k = 0;
	if (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-';
		k = 1;
	}
	lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; k < n; k++) {
		if (s[k] == ',') {
			/* thousands separators: first group 1-3 digits, then groups of exactly 3 */
			if (digits == 0 || (commas ? group != 3 : group > 3))
				goto bad;
			commas = 1;
			group = 0;
			continue;
		}
		if (s[k] < '0' || s[k] > '9')
			goto bad;
		if (v > (lim - (uint64_t)(s[k] - '0')) / 10)
			return bloc_csv_field_error(r, i, BLOC_ENUMERIC,
			                            "expected a whole number that fits in 64 bits, "
			                            "found '%.40s'",
			                            raw);
		v = v * 10 + (uint64_t)(s[k] - '0');
		digits++;
		group++;
	}
	if (digits == 0 || (commas && group != 3))
		goto bad;
	*out = neg ? (int64_t)(0 - v) : (int64_t)v;
	return BLOC_OK;
bad:
	return bloc_csv_field_error(r, i, BLOC_EPARSE, "expected a whole number, found '%.40s'",
	                            raw);
}

int bloc_csv_field_double(const bloc_csv_reader *r, size_t i, double *out)
{
	const char *raw = bloc_csv_field(r, i), *s;
	char tmp[64], *end;
	size_t n;
	double v;

	s = trim_span(raw, &n);
	if (n == 0 || (n == 2 && (strncmp(s, "NA", 2) == 0)))
		return BLOC_ENOTFOUND;
	if (n >= sizeof(tmp))
		goto bad;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	if (!(isdigit((unsigned char)tmp[0]) || tmp[0] == '-' || tmp[0] == '+' || tmp[0] == '.'))
		goto bad;
	errno = 0;
	v = strtod(tmp, &end);
	if (*end != '\0' || !isfinite(v))
		goto bad;
	*out = v;
	return BLOC_OK;
bad:
	return bloc_csv_field_error(r, i, BLOC_EPARSE, "expected a number, found '%.40s'", raw);
}
