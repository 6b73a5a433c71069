/* Library-internal helpers of the render module. */
#ifndef BLOC_RENDER_INT_H
#define BLOC_RENDER_INT_H

#include "bloc/render.h"

/* Stop at the first failure; every bloc_table_* call has set the message. Needs `int err` and a
 * `done:` label. */
#define TRY(expr)                                                                                  \
	do {                                                                                       \
		if ((err = (expr)) < 0)                                                            \
			goto done;                                                                 \
	} while (0)

/**
 * Create a table with the `n` columns in `spec`, each "name:s" (string), "name:i" (integer) or
 * "name:rN" (real with N decimals, one digit). The caller owns *out.
 */
int bloc__table_start(bloc_table **out, const char *const *spec, size_t n);
/* Room for `rows` more rows of cells at once (a table whose size is known: no growing copies). */
int bloc__table_reserve(bloc_table *t, size_t rows);
/* n reals at once, in the next n columns (each a real column): as n bloc_table_add_real calls. */
int bloc__table_add_reals(bloc_table *t, const double *v, size_t n);

/* Room for any cell's text: "%.15f" of DBL_MAX (309 digits), an int64 with separators. */
#define BLOC__CELL_TEXT_MAX 352

/**
 * The text of the cell at (row, col) as the CSV writer prints it ("" when missing or out of
 * range): a string as is, an integer as "%lld", a real with its column's decimals. Borrowed
 * from the table or written into buf (`n` bytes, BLOC__CELL_TEXT_MAX is enough).
 */
const char *bloc__table_cell_text(const bloc_table *t, size_t row, size_t col, char *buf, size_t n);

/** BLOC_OK, or BLOC_EINVAL (message set) when the table's last row is incomplete. */
int bloc__table_check_complete(const bloc_table *t);

/** As bloc_table_write_html, and `how`: BLOC__HTML_DROP_EMPTY leaves out a column missing in
 * every row (a note under the table names it); BLOC__HTML_SCROLL puts the <table> alone in a
 * <div class="scroll">, which scrolls sideways when the table is wider than the page while the
 * notes and metadata under it wrap to the page. */
#define BLOC__HTML_DROP_EMPTY 1u
#define BLOC__HTML_SCROLL     2u
int bloc__table_write_html_cols(const bloc_table *t, bloc_buf *out, int with_meta, unsigned how);

#define START(out, spec) bloc__table_start(out, spec, sizeof(spec) / sizeof(spec[0]))

#endif
