/* The generic typed table and its three output formats. */
#include "bloc/render.h"

#include "bloc/buf.h"

#include "../core/alloc.h"
#include "../util/csvq.h"
#include "../util/json.h"
#include "../util/utf8.h"
#include "render_int.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct column {
	char *name;
	bloc_col_type type;
	int decimals;
};

struct cell {
	union {
		char *s;
		int64_t i;
		double r;
	} v;
	unsigned char missing;
	unsigned char plain; /* a string of printable ASCII without '"' or '\\': JSON as it is */
	uint32_t len;        /* a string's length when plain */
};

enum meta_kind { META_STRING, META_INT, META_REAL, META_MISSING };

struct meta {
	char *key, *value; /* value: the text printed; parsed back for JSON numbers */
	enum meta_kind kind;
};

struct bloc_table {
	struct column *cols;
	size_t ncols, cols_cap;
	struct cell *cells;
	size_t ncells, cells_cap;
	size_t next_col; /* the column of the next cell: ncells % ncols, kept */
	size_t invalid;  /* string cells that are not valid UTF-8 */
	size_t maxjson;  /* the most bytes a string cell can take as JSON (6 per escaped byte) */
	struct meta *meta;
	size_t nmeta, meta_cap;
	struct text_block *text; /* the string cells' bytes, newest block first */
};

/* String cells are kept in blocks: one allocation for many cells, freed at once. */
struct text_block {
	struct text_block *next;
	size_t used, cap;
	char bytes[];
};

#define TEXT_BLOCK 8192

/* A copy of s (len bytes) kept by the table, or NULL on ENOMEM. */
static char *keep_text(bloc_table *t, const char *s, size_t len)
{
	struct text_block *b = t->text;
	char *p;

	if (!b || b->cap - b->used < len + 1) {
		size_t cap = len + 1 > TEXT_BLOCK ? len + 1 : TEXT_BLOCK;
		if (!(b = bloc_malloc(sizeof(*b) + cap)))
			return NULL;
		b->next = t->text;
		b->used = 0;
		b->cap = cap;
		t->text = b;
	}
	p = b->bytes + b->used;
	memcpy(p, s, len + 1);
	b->used += len + 1;
	return p;
}

#define NUMBUF BLOC__CELL_TEXT_MAX

static const char *const format_names[] = {"table", "csv", "json"};

int bloc_format_parse(const char *name, bloc_format *out)
{
	size_t i;

	for (i = 0; i < sizeof(format_names) / sizeof(format_names[0]); i++) {
		if (strcmp(name, format_names[i]) == 0) {
			*out = (bloc_format)i;
			return BLOC_OK;
		}
	}
	return bloc_error_set(BLOC_EINVAL, "unknown format '%.32s' (expected table, csv or json)",
	                      name);
}

const char *bloc_format_name(bloc_format f)
{
	if ((size_t)f < sizeof(format_names) / sizeof(format_names[0]))
		return format_names[f];
	return "";
}

int bloc_table_new(bloc_table **out)
{
	*out = bloc_calloc(1, sizeof(bloc_table));
	if (!*out)
		return bloc_error_oom("creating a table");
	return BLOC_OK;
}

void bloc_table_free(bloc_table *t)
{
	size_t i;

	if (!t)
		return;
	while (t->text) {
		struct text_block *next = t->text->next;
		bloc_free(t->text);
		t->text = next;
	}
	for (i = 0; i < t->ncols; i++)
		bloc_free(t->cols[i].name);
	for (i = 0; i < t->nmeta; i++) {
		bloc_free(t->meta[i].key);
		bloc_free(t->meta[i].value);
	}
	bloc_free(t->cells);
	bloc_free(t->cols);
	bloc_free(t->meta);
	bloc_free(t);
}

int bloc_table_add_column(bloc_table *t, const char *name, bloc_col_type type, int decimals)
{
	struct column *c;
	int err;

	if (t->ncells > 0)
		return bloc_error_set(BLOC_EINVAL, "table: column '%s' added after the first cell",
		                      name);
	if (type != BLOC_COL_STRING && type != BLOC_COL_INT && type != BLOC_COL_REAL)
		return bloc_error_set(BLOC_EINVAL, "table: column '%s': unknown type %d", name,
		                      (int)type);
	if (type == BLOC_COL_REAL && (decimals < 0 || decimals > BLOC_TABLE_MAX_DECIMALS))
		return bloc_error_set(BLOC_EINVAL,
		                      "table: column '%s': decimals must be 0 to %d, got %d", name,
		                      BLOC_TABLE_MAX_DECIMALS, decimals);
	if (bloc_table_column(t, name) >= 0)
		return bloc_error_set(BLOC_EINVAL, "table: duplicate column '%s'", name);
	if ((err = bloc__grow((void **)&t->cols, &t->cols_cap, t->ncols + 1, sizeof(*t->cols))) < 0)
		return bloc_error_prefix("adding the column %s to a table", name);
	c = &t->cols[t->ncols];
	if (!(c->name = bloc_strdup(name)))
		return bloc_error_oom("adding the column %s to a table", name);
	c->type = type;
	c->decimals = type == BLOC_COL_REAL ? decimals : 0;
	t->ncols++;
	return BLOC_OK;
}

/* A cell was added: the next goes to the next column. */
static void cell_added(bloc_table *t)
{
	t->ncells++;
	if (++t->next_col == t->ncols)
		t->next_col = 0;
}

/* The column the next cell goes to, after checking it can take a value of `type`. */
static int next_cell(bloc_table *t, int type, struct cell **out)
{
	const struct column *col;
	int err;

	if (t->ncols == 0)
		return bloc_error_set(BLOC_EINVAL, "table: cell added before any column");
	col = &t->cols[t->next_col];
	if (type >= 0 && col->type != (bloc_col_type)type &&
	    !(col->type == BLOC_COL_REAL && type == BLOC_COL_INT)) {
		static const char *const names[] = {"a string", "an integer", "a real"};
		return bloc_error_set(BLOC_EINVAL, "table: column '%s' cannot hold %s", col->name,
		                      names[type]);
	}
	if (t->ncells >= t->cells_cap && (err = bloc__grow((void **)&t->cells, &t->cells_cap,
	                                                   t->ncells + 1, sizeof(*t->cells))) < 0)
		return bloc_error_prefix("adding a cell to a table");
	*out = &t->cells[t->ncells];
	memset(*out, 0, sizeof(**out));
	return BLOC_OK;
}

int bloc_table_add_missing(bloc_table *t)
{
	struct cell *c = NULL;
	int err;

	if ((err = next_cell(t, -1, &c)) < 0)
		return err;
	c->missing = 1;
	cell_added(t);
	return BLOC_OK;
}

int bloc_table_add_string(bloc_table *t, const char *s)
{
	struct cell *c = NULL;
	size_t len;
	int err;

	if (!s)
		return bloc_table_add_missing(t);
	if ((err = next_cell(t, BLOC_COL_STRING, &c)) < 0)
		return err;
	len = strlen(s);
	if (!(c->v.s = keep_text(t, s, len)))
		return bloc_error_oom("adding a cell to a table");
	c->plain = len <= UINT32_MAX && bloc__json_plain(s, len);
	if (!c->plain && !bloc__utf8_valid(s))
		t->invalid++;
	if ((c->plain ? len : 6 * len) > t->maxjson)
		t->maxjson = c->plain ? len : 6 * len;
	c->len = (uint32_t)len;
	cell_added(t);
	return BLOC_OK;
}

int bloc_table_add_int(bloc_table *t, int64_t v)
{
	struct cell *c = NULL;
	int err;

	if ((err = next_cell(t, BLOC_COL_INT, &c)) < 0)
		return err;
	if (t->cols[t->next_col].type == BLOC_COL_REAL)
		c->v.r = (double)v;
	else
		c->v.i = v;
	cell_added(t);
	return BLOC_OK;
}

int bloc_table_add_real(bloc_table *t, double v)
{
	struct cell *c = NULL;
	int err;

	if ((err = next_cell(t, BLOC_COL_REAL, &c)) < 0)
		return err;
	if (isfinite(v))
		c->v.r = v;
	else
		c->missing = 1;
	cell_added(t);
	return BLOC_OK;
}

/* Format a real with `decimals` decimals, without the sign of a negative zero ("-0.00"). */
static const char *fmt_real(char *buf, size_t n, double v, int decimals)
{
	const char *p;

	snprintf(buf, n, "%.*f", decimals, v);
	if (buf[0] == '-') {
		for (p = buf + 1; *p == '0' || *p == '.'; p++)
			;
		if (*p == '\0')
			memmove(buf, buf + 1, strlen(buf));
	}
	return buf;
}

/* An integer with thousands separators ("13,966,454") for people. */
static const char *fmt_grouped(char *buf, size_t n, int64_t v)
{
	char digits[32];
	size_t len, i, o = 0, lead;
	const char *d = digits;

	snprintf(digits, sizeof(digits), "%lld", (long long)v);
	if (*d == '-') {
		buf[o++] = '-';
		d++;
	}
	len = strlen(d);
	lead = len % 3 ? len % 3 : 3;
	for (i = 0; i < len && o + 2 < n; i++) {
		if (i >= lead && (i - lead) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = d[i];
	}
	buf[o] = '\0';
	return buf;
}

/* The text of a cell; "" when missing. `human` groups integer digits. */
static const char *cell_text(const struct column *col, const struct cell *c, char *buf, size_t n,
                             int human)
{
	if (c->missing)
		return human ? "-" : "";
	switch (col->type) {
	case BLOC_COL_STRING:
		return c->v.s;
	case BLOC_COL_INT:
		if (human)
			return fmt_grouped(buf, n, c->v.i);
		snprintf(buf, n, "%lld", (long long)c->v.i);
		return buf;
	case BLOC_COL_REAL:
		return fmt_real(buf, n, c->v.r, col->decimals);
	}
	return "";
}

static int add_meta(bloc_table *t, const char *key, char *value, enum meta_kind kind)
{
	struct meta *m;
	int err;

	if (!value)
		return bloc_error_oom("adding the metadata %s to a table", key);
	if ((err = bloc__grow((void **)&t->meta, &t->meta_cap, t->nmeta + 1, sizeof(*t->meta))) <
	    0) {
		bloc_free(value);
		return bloc_error_prefix("adding the metadata %s to a table", key);
	}
	m = &t->meta[t->nmeta];
	if (!(m->key = bloc_strdup(key))) {
		bloc_free(value);
		return bloc_error_oom("adding the metadata %s to a table", key);
	}
	m->value = value;
	m->kind = kind;
	t->nmeta++;
	return BLOC_OK;
}

int bloc_table_meta(bloc_table *t, const char *key, const char *fmt, ...)
{
	va_list ap;
	char *value;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (len < 0)
		return bloc_error_set(BLOC_EINVAL, "table: metadata '%s': bad format", key);
	if (!(value = bloc_malloc((size_t)len + 1)))
		return bloc_error_oom("adding the metadata %s to a table", key);
	va_start(ap, fmt);
	vsnprintf(value, (size_t)len + 1, fmt, ap);
	va_end(ap);
	return add_meta(t, key, value, META_STRING);
}

int bloc_table_meta_int(bloc_table *t, const char *key, int64_t v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%lld", (long long)v);
	return add_meta(t, key, bloc_strdup(buf), META_INT);
}

int bloc_table_meta_real(bloc_table *t, const char *key, double v, int decimals)
{
	char buf[NUMBUF];

	if (!isfinite(v))
		return add_meta(t, key, bloc_strdup(""), META_MISSING);
	if (decimals < 0 || decimals > BLOC_TABLE_MAX_DECIMALS)
		return bloc_error_set(BLOC_EINVAL,
		                      "table: metadata '%s': decimals must be 0 to %d, got %d", key,
		                      BLOC_TABLE_MAX_DECIMALS, decimals);
	return add_meta(t, key, bloc_strdup(fmt_real(buf, sizeof(buf), v, decimals)), META_REAL);
}

size_t bloc_table_ncols(const bloc_table *t)
{
	return t->ncols;
}

size_t bloc_table_nrows(const bloc_table *t)
{
	return t->ncols ? (t->ncells + t->ncols - 1) / t->ncols : 0;
}

const char *bloc_table_column_name(const bloc_table *t, size_t col)
{
	return col < t->ncols ? t->cols[col].name : NULL;
}

long bloc_table_column(const bloc_table *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->ncols; i++)
		if (strcmp(t->cols[i].name, name) == 0)
			return (long)i;
	return -1;
}

bloc_col_type bloc_table_column_type(const bloc_table *t, size_t col)
{
	return col < t->ncols ? t->cols[col].type : BLOC_COL_STRING;
}

int bloc_table_column_decimals(const bloc_table *t, size_t col)
{
	return col < t->ncols && t->cols[col].type == BLOC_COL_REAL ? t->cols[col].decimals : -1;
}

static const struct cell *cell_at(const bloc_table *t, size_t row, size_t col)
{
	size_t i;

	if (col >= t->ncols || bloc_mul_overflow(row, t->ncols, &i) ||
	    bloc_add_overflow(i, col, &i) || i >= t->ncells)
		return NULL;
	return &t->cells[i];
}

const char *bloc__table_cell_text(const bloc_table *t, size_t row, size_t col, char *buf, size_t n)
{
	const struct cell *c = cell_at(t, row, col);

	return c ? cell_text(&t->cols[col], c, buf, n, 0) : "";
}

int bloc_table_is_missing(const bloc_table *t, size_t row, size_t col)
{
	const struct cell *c = cell_at(t, row, col);

	return !c || c->missing;
}

const char *bloc_table_string(const bloc_table *t, size_t row, size_t col)
{
	const struct cell *c = cell_at(t, row, col);

	return c && !c->missing && t->cols[col].type == BLOC_COL_STRING ? c->v.s : NULL;
}

int64_t bloc_table_int(const bloc_table *t, size_t row, size_t col)
{
	const struct cell *c = cell_at(t, row, col);

	if (!c || c->missing)
		return 0;
	if (t->cols[col].type == BLOC_COL_INT)
		return c->v.i;
	if (t->cols[col].type == BLOC_COL_REAL)
		return (int64_t)c->v.r;
	return 0;
}

double bloc_table_real(const bloc_table *t, size_t row, size_t col)
{
	const struct cell *c = cell_at(t, row, col);

	if (!c || c->missing)
		return NAN;
	if (t->cols[col].type == BLOC_COL_REAL)
		return c->v.r;
	if (t->cols[col].type == BLOC_COL_INT)
		return (double)c->v.i;
	return NAN;
}

size_t bloc_table_column_reals(const bloc_table *t, size_t col, double *out)
{
	size_t r, nrows = bloc_table_nrows(t);

	if (col >= t->ncols || t->cols[col].type == BLOC_COL_STRING)
		return 0;
	for (r = 0; r < nrows; r++)
		out[r] = bloc_table_real(t, r, col);
	return nrows;
}

size_t bloc_table_column_strings(const bloc_table *t, size_t col, const char **out)
{
	size_t r, nrows = bloc_table_nrows(t);

	if (col >= t->ncols || t->cols[col].type != BLOC_COL_STRING)
		return 0;
	for (r = 0; r < nrows; r++)
		out[r] = bloc_table_string(t, r, col);
	return nrows;
}

size_t bloc_table_nmeta(const bloc_table *t)
{
	return t->nmeta;
}

const char *bloc_table_meta_key(const bloc_table *t, size_t i)
{
	return i < t->nmeta ? t->meta[i].key : NULL;
}

const char *bloc_table_meta_value(const bloc_table *t, size_t i)
{
	return i < t->nmeta ? t->meta[i].value : NULL;
}

/* See render_int.h. */
int bloc__table_add_reals(bloc_table *t, const double *v, size_t n)
{
	struct cell *c;
	size_t k;
	int err;

	if (t->ncols == 0 || t->next_col + n > t->ncols)
		goto one_by_one; /* no columns, or across the end of a row: the checks say */
	for (k = 0; k < n; k++)
		if (t->cols[t->next_col + k].type != BLOC_COL_REAL)
			goto one_by_one;
	if (t->ncells + n > t->cells_cap &&
	    (err = bloc__grow((void **)&t->cells, &t->cells_cap, t->ncells + n,
	                      sizeof(*t->cells))) < 0)
		return bloc_error_prefix("adding a cell to a table");
	c = &t->cells[t->ncells];
	for (k = 0; k < n; k++)
		c[k] = isfinite(v[k]) ? (struct cell){.v.r = v[k]} : (struct cell){.missing = 1};
	t->ncells += n;
	t->next_col += n;
	if (t->next_col == t->ncols)
		t->next_col = 0;
	return BLOC_OK;
one_by_one:
	for (k = 0; k < n; k++)
		if ((err = bloc_table_add_real(t, v[k])) < 0)
			return err;
	return BLOC_OK;
}

int bloc__table_reserve(bloc_table *t, size_t rows)
{
	size_t need;

	if (bloc_mul_overflow(rows, t->ncols, &need) || bloc_add_overflow(need, t->ncells, &need))
		return bloc_error_oom("reserving %zu rows in a table", rows);
	if (bloc__grow((void **)&t->cells, &t->cells_cap, need, sizeof(*t->cells)) < 0)
		return bloc_error_prefix("reserving %zu rows in a table", rows);
	return BLOC_OK;
}

int bloc__table_start(bloc_table **out, const char *const *spec, size_t n)
{
	bloc_table *t = NULL;
	size_t i;
	int err;

	TRY(bloc_table_new(&t));
	for (i = 0; i < n; i++) {
		char name[64];
		const char *colon = strchr(spec[i], ':');
		size_t len = colon ? (size_t)(colon - spec[i]) : sizeof(name);
		bloc_col_type type;
		if (len >= sizeof(name) || !colon[1]) {
			err = bloc_error_set(BLOC_EINVAL, "table: bad column spec '%s'", spec[i]);
			goto done;
		}
		type = colon[1] == 's'   ? BLOC_COL_STRING
		       : colon[1] == 'i' ? BLOC_COL_INT
		                         : BLOC_COL_REAL;
		memcpy(name, spec[i], len);
		name[len] = '\0';
		TRY(bloc_table_add_column(t, name, type,
		                          type == BLOC_COL_REAL ? colon[2] - '0' : 0));
	}
	*out = t;
	t = NULL;
done:
	bloc_table_free(t);
	return err;
}

/* ---- text ---- */

/* Width on a terminal: UTF-8 code points (every character taken as one column). */
static size_t display_width(const char *s)
{
	size_t w = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			w++;
	return w;
}

/* Print s with control characters (which would break the alignment) as spaces. */
static void put_text(FILE *fp, const char *s)
{
	for (; *s; s++)
		fputc((unsigned char)*s < 0x20 || *s == 0x7f ? ' ' : *s, fp);
}

static void put_padded(FILE *fp, const char *s, size_t width, int right, int last)
{
	size_t w = display_width(s);

	if (right)
		for (; w < width; w++)
			fputc(' ', fp);
	put_text(fp, s);
	if (!right && !last)
		for (; w < width; w++)
			fputc(' ', fp);
}

static int write_text(const bloc_table *t, FILE *fp)
{
	size_t *width, i, r, nrows = bloc_table_nrows(t);
	char buf[NUMBUF];

	if (!(width = bloc_calloc(t->ncols ? t->ncols : 1, sizeof(*width))))
		return bloc_error_oom("writing a table");
	for (i = 0; i < t->ncols; i++)
		width[i] = display_width(t->cols[i].name);
	for (i = 0; i < t->ncells; i++) {
		size_t w = display_width(
		    cell_text(&t->cols[i % t->ncols], &t->cells[i], buf, sizeof(buf), 1));
		if (w > width[i % t->ncols])
			width[i % t->ncols] = w;
	}
	for (i = 0; i < t->ncols; i++) {
		if (i)
			fputs("  ", fp);
		put_padded(fp, t->cols[i].name, width[i], t->cols[i].type != BLOC_COL_STRING,
		           i + 1 == t->ncols);
	}
	if (t->ncols)
		fputc('\n', fp);
	for (i = 0; i < t->ncols; i++) {
		size_t k;
		if (i)
			fputs("  ", fp);
		for (k = 0; k < width[i]; k++)
			fputc('-', fp);
	}
	if (t->ncols)
		fputc('\n', fp);
	for (r = 0; r < nrows; r++) {
		for (i = 0; i < t->ncols; i++) {
			const struct column *col = &t->cols[i];
			if (i)
				fputs("  ", fp);
			put_padded(fp,
			           cell_text(col, &t->cells[r * t->ncols + i], buf, sizeof(buf), 1),
			           width[i], col->type != BLOC_COL_STRING, i + 1 == t->ncols);
		}
		fputc('\n', fp);
	}
	for (i = 0; i < t->nmeta; i++) {
		fputs("# ", fp);
		put_text(fp, t->meta[i].key);
		fputs(": ", fp);
		put_text(fp, t->meta[i].kind == META_MISSING ? "-" : t->meta[i].value);
		fputc('\n', fp);
	}
	bloc_free(width);
	return BLOC_OK;
}

/* ---- CSV ---- */

static int write_csv(const bloc_table *t, FILE *fp)
{
	size_t i;
	char buf[NUMBUF];

	for (i = 0; i < t->ncols; i++) {
		if (i)
			fputc(',', fp);
		bloc__csv_write_field(fp, t->cols[i].name);
	}
	if (t->ncols)
		fputc('\n', fp);
	for (i = 0; i < t->ncells; i++) {
		if (i % t->ncols)
			fputc(',', fp);
		bloc__csv_write_field(
		    fp, cell_text(&t->cols[i % t->ncols], &t->cells[i], buf, sizeof(buf), 0));
		if (i % t->ncols == t->ncols - 1)
			fputc('\n', fp);
	}
	return BLOC_OK;
}

/* ---- JSON: the metadata object, then one compact row object per line ----
 *
 * Written straight into a buffer, byte for byte as jansson's json_dumpf(JSON_COMPACT |
 * JSON_REAL_PRECISION(15)) wrote the same values when each row was a json_t: keys in order,
 * strings escaped as jansson escapes them, reals as the double nearest the CSV text printed with
 * "%.15g" (plus ".0" when that has no '.' or 'e'). jansson still prints the rare real that the
 * fast path below cannot be sure of. */

/* v with `decimals` decimals, exactly as fmt_real prints it, without printf when the rounding is
 * certain: v * 10^decimals is below 2^40 (so the product is within 2^-14 of the exact one) and
 * not within 2^-10 of a tie. */
static const double pow10_table[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                     1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};

/* |v| in units of 10^-decimals, rounded to the nearest whole number, in *u: 1, or 0 when that
 * cannot be done exactly in double arithmetic (decimals out of 0..15, |v| too large, or a tie
 * within 1/1024 that printf must settle). */
static int scaled(double v, int decimals, uint64_t *u)
{
	double a, f;

	if (decimals < 0 || decimals > 15)
		return 0;
	a = fabs(v * pow10_table[decimals]);
	if (!(a < 1099511627776.0))
		return 0;
	*u = (uint64_t)a;
	f = a - (double)*u;
	if (fabs(f - 0.5) < 1.0 / 1024)
		return 0;
	*u += f > 0.5;
	return 1;
}

static const char *real_text(char *buf, size_t n, double v, int decimals)
{
	char d[24], *p = d + sizeof(d);
	uint64_t u;
	size_t nd, o = 0;
	int k;

	if (n < 40 || !scaled(v, decimals, &u))
		return fmt_real(buf, n, v, decimals);
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	nd = (size_t)(d + sizeof(d) - p);
	if (v < 0 && !(nd == 1 && *p == '0'))
		buf[o++] = '-';
	if (nd <= (size_t)decimals) {
		/* 0.00ddd */
		buf[o++] = '0';
		buf[o++] = '.';
		for (k = decimals - (int)nd; k > 0; k--)
			buf[o++] = '0';
		memcpy(buf + o, p, nd);
		o += nd;
	} else {
		memcpy(buf + o, p, nd - (size_t)decimals);
		o += nd - (size_t)decimals;
		if (decimals) {
			buf[o++] = '.';
			memcpy(buf + o, p + nd - (size_t)decimals, (size_t)decimals);
			o += (size_t)decimals;
		}
	}
	buf[o] = '\0';
	return buf;
}

/* "00" "01" ... "99": two digits at once. */
static const char digit_pairs[] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

/* u hundredths (0 < u < 100000) as JSON: "12.5", "3.0", "0.07", with a '-' if negative. */
static size_t two_decimals_at(char *o, int negative, unsigned u)
{
	char *start = o;
	unsigned ip = u / 100, fp = u % 100;

	if (negative)
		*o++ = '-';
	if (ip >= 100) {
		*o++ = (char)('0' + ip / 100);
		memcpy(o, digit_pairs + 2 * (ip % 100), 2);
		o += 2;
	} else if (ip >= 10) {
		memcpy(o, digit_pairs + 2 * ip, 2);
		o += 2;
	} else {
		*o++ = (char)('0' + ip);
	}
	*o++ = '.';
	memcpy(o, digit_pairs + 2 * fp, 2); /* "50" is written "5" */
	o += fp % 10 ? 2 : 1;
	return (size_t)(o - start);
}

/* v with `decimals` decimals as real_text prints it and bloc__json_put_decimal then writes it
 * ("12.50" as 12.5, "0.00" as 0.0), straight from the digits, at o (room: 40 bytes); 0 when it
 * cannot be done so (real_text's slow cases, or a value that JSON writes with an exponent). */
static size_t real_json_at(char *o, double v, int decimals)
{
	char *p, *start = o;
	uint64_t u, ip, fp, scale;
	int fd = decimals;

	if (!scaled(v, decimals, &u))
		return 0;
	if (u == 0) {
		memcpy(o, "0.0", 3);
		return 3;
	}
	if (decimals == 2 && u < 100000) /* shares and percentages: most cells */
		return two_decimals_at(o, v < 0, (unsigned)u);
	scale = (uint64_t)pow10_table[decimals];
	ip = u / scale;
	fp = u % scale;
	if (ip == 0 && decimals > 4 && fp < (uint64_t)pow10_table[decimals - 4])
		return 0; /* below 1e-4: an exponent */
	if (v < 0)
		*o++ = '-';
	/* the integer part's digits, written from the last */
	for (o++, scale = ip / 10; scale; scale /= 10)
		o++;
	p = o;
	do {
		*--p = (char)('0' + ip % 10);
		ip /= 10;
	} while (ip);
	*o++ = '.';
	while (fd > 0 && fp % 10 == 0) {
		fp /= 10;
		fd--;
	}
	if (fd == 0) {
		*o++ = '0';
		return (size_t)(o - start);
	}
	for (p = o + fd; p > o;) {
		*--p = (char)('0' + fp % 10);
		fp /= 10;
	}
	return (size_t)(o + fd - start);
}

/* The metadata object. A repeated key gathers its values in an array, in order, at the place of
 * its first occurrence. The checks run first, in jansson's order (a value, then its key when
 * new), so the same error is reported. */
static int json_put_meta(const bloc_table *t, bloc_buf *b)
{
	size_t i, k, nkeys = 0, small[64], *first = small;
	int err = BLOC_OK;

	/* first[i]: the first entry with entry i's key (keys are compared once, here) */
	if (t->nmeta > sizeof(small) / sizeof(small[0]) &&
	    !(first = bloc_calloc(t->nmeta, sizeof(*first))))
		return bloc_error_oom("writing a table as JSON");
	for (i = 0; i < t->nmeta; i++) {
		const struct meta *m = &t->meta[i];
		for (k = 0; k < i && (first[k] != k || m->key[0] != t->meta[k].key[0] ||
		                      strcmp(t->meta[k].key, m->key) != 0);
		     k++)
			;
		first[i] = k;
		if (m->kind == META_STRING && !bloc__utf8_valid(m->value)) {
			err = bloc_error_set(BLOC_EINVAL,
			                     "json: metadata '%.40s' is not valid UTF-8: '%.40s'",
			                     m->key, m->value);
			goto done;
		}
		if (k == i && !bloc__utf8_valid(m->key)) {
			err = bloc_error_set(
			    BLOC_EINVAL, "json: metadata key '%.40s' is not valid UTF-8", m->key);
			goto done;
		}
	}
	bloc_buf_put(b, "{", 1);
	for (i = 0; i < t->nmeta; i++) {
		size_t n = 0;
		if (first[i] != i)
			continue; /* written with its first occurrence */
		if (nkeys++)
			bloc_buf_put(b, ",", 1);
		for (k = i; k < t->nmeta; k++)
			n += first[k] == i;
		bloc__json_put_string(b, t->meta[i].key);
		bloc_buf_put(b, n > 1 ? ":[" : ":", n > 1 ? 2 : 1);
		for (k = i, n = 0; k < t->nmeta; k++) {
			const struct meta *m = &t->meta[k];
			if (first[k] != i)
				continue;
			if (n++)
				bloc_buf_put(b, ",", 1);
			switch (m->kind) {
			case META_INT:
				bloc_buf_puts(b, m->value);
				break;
			case META_REAL:
				if ((err = bloc__json_put_decimal(b, m->value)) < 0)
					goto done;
				break;
			case META_MISSING:
				bloc_buf_put(b, "null", 4);
				break;
			case META_STRING:
				bloc__json_put_string(b, m->value);
				break;
			}
		}
		if (n > 1)
			bloc_buf_put(b, "]", 1);
	}
	err = bloc_buf_put(b, "}", 1);
done:
	if (first != small)
		bloc_free(first);
	return err;
}

/* The column names as JSON keys, each "name": after a ',' (none before the first), in one buffer:
 * column i's is keys->ptr + koff[i], koff[i + 1] - koff[i] bytes; kbad[i] marks a name that is
 * not valid UTF-8. */
static int json_keys(const bloc_table *t, bloc_buf *keys, size_t *koff, unsigned char *kbad)
{
	size_t i;

	for (i = 0; i < t->ncols; i++) {
		koff[i] = keys->len;
		if (!bloc__utf8_valid(t->cols[i].name)) {
			kbad[i] = 1;
			continue;
		}
		if (i)
			bloc_buf_put(keys, ",", 1);
		bloc__json_put_string(keys, t->cols[i].name);
		bloc_buf_put(keys, ":", 1);
	}
	koff[t->ncols] = keys->len;
	bloc_buf_reserve(keys, 16);
	if (bloc_buf_check(keys) < 0)
		return bloc_error_prefix("writing a table as JSON");
	return BLOC_OK;
}

/* Row r's cells checked (in jansson's order: a string's value, then its key), and the most bytes
 * the row can take as JSON. */
static int json_row_check(const bloc_table *t, size_t r, const size_t *koff,
                          const unsigned char *kbad, size_t *bound)
{
	size_t i, n = 4 + koff[t->ncols];

	for (i = 0; i < t->ncols; i++) {
		const struct column *col = &t->cols[i];
		const struct cell *c = &t->cells[r * t->ncols + i];
		if (!c->missing && col->type == BLOC_COL_STRING && c->plain) {
			n += c->len + 2;
		} else if (!c->missing && col->type == BLOC_COL_STRING) {
			size_t len = strlen(c->v.s);
			if (!bloc__utf8_valid(c->v.s))
				return bloc_error_set(BLOC_EINVAL,
				                      "json: %s is not valid UTF-8: '%.40s'",
				                      col->name, c->v.s);
			n += 6 * len + 2;
		} else {
			n += NUMBUF + 2;
		}
		if (kbad[i])
			return bloc_error_set(
			    BLOC_EINVAL,
			    "json: column name '%.40s' is not valid UTF-8 (or out of "
			    "memory)",
			    col->name);
	}
	*bound = n;
	return BLOC_OK;
}

/* What the row writer needs of column i, in one place: its key ("name": after a ',', none
 * before the first; keys are read 16 bytes at a time, json_keys leaves the room) and how its
 * cells are written. */
enum { JSON_STRING, JSON_INT, JSON_REAL2, JSON_REAL };
struct json_col {
	const char *key;
	size_t klen;
	int kind, decimals;
};

/* Row r as "\n{...}" (after a ',' but the first), written in place: one reservation per row. */
static int json_put_row(const bloc_table *t, size_t r, const struct json_col *jc, size_t bound,
                        bloc_buf *b)
{
	/* 16 more: a short key is copied as 16 bytes */
	char *o = bloc_buf_reserve(b, bound + 16), *start = o, buf[NUMBUF];
	const struct cell *c = &t->cells[r * t->ncols];
	size_t i, n;
	int err;

	if (!o)
		return b->err;
	if (r)
		*o++ = ',';
	*o++ = '\n';
	*o++ = '{';
	for (i = 0; i < t->ncols; i++, c++, jc++) {
		if (jc->klen <= 16)
			memcpy(o, jc->key, 16);
		else
			memcpy(o, jc->key, jc->klen);
		o += jc->klen;
		if (c->missing) {
			memcpy(o, "null", 4);
			o += 4;
			continue;
		}
		switch (jc->kind) {
		case JSON_STRING:
			if (c->plain) {
				*o++ = '"';
				memcpy(o, c->v.s, c->len);
				o += c->len;
				*o++ = '"';
			} else {
				o += bloc__json_string_at(o, c->v.s);
			}
			continue;
		case JSON_INT:
			o += bloc__json_int_at(o, c->v.i);
			continue;
		case JSON_REAL2: /* shares and percentages: most cells */
			if ((n = real_json_at(o, c->v.r, 2))) {
				o += n;
				continue;
			}
			break;
		default:
			if ((n = real_json_at(o, c->v.r, jc->decimals))) {
				o += n;
				continue;
			}
			break;
		}
		/* the slow cases: real_text's printf, or an exponent */
		{
			const char *text = real_text(buf, sizeof(buf), c->v.r, jc->decimals);
			if ((n = bloc__json_decimal_at(o, text))) {
				o += n;
				continue;
			}
			/* an exponent: jansson writes it, then the rest goes on in new room */
			bloc_buf_commit(b, (size_t)(o - start));
			if ((err = bloc__json_put_decimal(b, text)) < 0 ||
			    !(o = start = bloc_buf_reserve(b, bound + 16)))
				return err < 0 ? err : b->err;
		}
	}
	*o++ = '}';
	bloc_buf_commit(b, (size_t)(o - start));
	return b->err;
}

/* The row objects, each "\n{...}" after a ",": on an error, the rows before the failing one are
 * written (as jansson's writer left them) and the error returned. */
static int json_put_rows(const bloc_table *t, bloc_buf *b)
{
	size_t i, r, nrows = bloc_table_nrows(t), *koff, mark = b->len, bound = 0;
	int fixed;
	bloc_buf keys = BLOC_BUF_INIT;
	unsigned char *kbad;
	struct json_col *jc;
	int err = BLOC_OK;

	if (!nrows)
		return BLOC_OK;
	koff = bloc_calloc(t->ncols + 1, sizeof(*koff));
	kbad = bloc_calloc(t->ncols, 1);
	jc = bloc_calloc(t->ncols, sizeof(*jc));
	if (!koff || !kbad || !jc) {
		err = bloc_error_oom("writing a table as JSON");
		goto done;
	}
	if ((err = json_keys(t, &keys, koff, kbad)) < 0)
		goto done;
	for (i = 0; i < t->ncols; i++) {
		const struct column *col = &t->cols[i];
		jc[i].key = keys.ptr + koff[i];
		jc[i].klen = koff[i + 1] - koff[i];
		jc[i].decimals = col->decimals;
		jc[i].kind = col->type == BLOC_COL_STRING ? JSON_STRING
		             : col->type == BLOC_COL_INT  ? JSON_INT
		             : col->decimals == 2         ? JSON_REAL2
		                                          : JSON_REAL;
	}
	/* every string valid and short, every key valid: one bound for all rows, nothing to check
	 */
	fixed = !t->invalid && t->maxjson <= NUMBUF && !memchr(kbad, 1, t->ncols);
	for (r = 0; r < nrows; r++) {
		mark = b->len;
		if (fixed)
			bound = 4 + koff[t->ncols] + t->ncols * (NUMBUF + 2);
		else if ((err = json_row_check(t, r, koff, kbad, &bound)) < 0)
			break;
		if ((err = json_put_row(t, r, jc, bound, b)) < 0)
			break;
		/* room for the rest at once, by the first row's length (no growing copy by copy) */
		if (r == 0 && nrows > 1)
			bloc_buf_reserve(b, (b->len - mark + 16) * (nrows - 1) + 64);
	}
	if (err < 0 && b->ptr && mark <= b->len) {
		b->len = mark;
		b->ptr[mark] = '\0';
	}
done:
	bloc_buf_dispose(&keys);
	bloc_free(koff);
	bloc_free(kbad);
	bloc_free(jc);
	return err;
}

/* The table as JSON at the end of b. On an error in the rows, b holds the rows before the failing
 * one (as jansson's writer left them) and *rows is set; on any other error, *rows is 0. */
static int json_table(const bloc_table *t, bloc_buf *b, int *rows)
{
	int err, berr;

	*rows = 0;
	bloc_buf_put(b, "{\"meta\":", 8);
	if ((err = json_put_meta(t, b)) < 0 ||
	    ((err = bloc_buf_check(b)) < 0 && bloc_error_prefix("writing a table as JSON") < 0))
		return err;
	bloc_buf_put(b, ",\n\"rows\":[", 10);
	err = json_put_rows(t, b);
	if (err >= 0)
		bloc_buf_puts(b, bloc_table_nrows(t) ? "\n]}\n" : "]}\n");
	if ((berr = bloc_buf_check(b)) < 0) {
		bloc_error_prefix("writing a table as JSON");
		return berr;
	}
	*rows = err < 0;
	return err;
}

static int write_json(const bloc_table *t, FILE *fp)
{
	bloc_buf b = BLOC_BUF_INIT;
	int rows, err = json_table(t, &b, &rows);

	if (err < 0 && !rows) {
		bloc_buf_dispose(&b);
		return err;
	}
	if (b.len && fwrite(b.ptr, 1, b.len, fp) != b.len)
		err = err < 0 ? err : bloc_error_set(BLOC_EIO, "json: could not write the table");
	bloc_buf_dispose(&b);
	return err;
}

int bloc__table_check_complete(const bloc_table *t)
{
	if (t->ncols && t->ncells % t->ncols)
		return bloc_error_set(BLOC_EINVAL,
		                      "table: the last row is incomplete (%zu of %zu cells)",
		                      t->ncells % t->ncols, t->ncols);
	return BLOC_OK;
}

int bloc_table_write(const bloc_table *t, FILE *fp, bloc_format format)
{
	int err;

	if ((err = bloc__table_check_complete(t)) < 0)
		return err;
	switch (format) {
	case BLOC_FORMAT_TABLE:
		err = write_text(t, fp);
		break;
	case BLOC_FORMAT_CSV:
		err = write_csv(t, fp);
		break;
	case BLOC_FORMAT_JSON:
		err = write_json(t, fp);
		break;
	default:
		return bloc_error_set(BLOC_EINVAL, "table: unknown format %d", (int)format);
	}
	if (err < 0)
		return err;
	if (ferror(fp))
		return bloc_error_set(BLOC_EIO, "could not write the output");
	return BLOC_OK;
}

int bloc_table_render(const bloc_table *t, bloc_format format, bloc_buf *out)
{
	size_t mark = out->len;
	char *text = NULL;
	size_t len = 0;
	FILE *fp;
	int err, rows;

	if ((err = bloc__table_check_complete(t)) < 0)
		return err;
	if (format == BLOC_FORMAT_JSON) {
		err = json_table(t, out, &rows);
	} else if (!(fp = open_memstream(&text, &len))) {
		err = bloc_error_oom("writing a table");
	} else {
		err = bloc_table_write(t, fp, format);
		if (fclose(fp) != 0 && err == BLOC_OK)
			err = bloc_error_oom("writing a table");
		if (err == BLOC_OK && (err = bloc_buf_put(out, text, len)) < 0)
			bloc_error_prefix("writing a table");
		free(text);
	}
	if (err < 0 && out->ptr && !out->err) {
		out->len = mark;
		out->ptr[mark] = '\0';
	}
	return err;
}
