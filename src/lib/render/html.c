/* A bloc_table as an HTML table. The cells are the CSV writer's text (so a real prints with its
 * column's decimals exactly as in CSV and JSON), with thousands separators added to integers. */
#include "bloc/render.h"

#include "render_int.h"
#include "svg_int.h"

#include <stdint.h>

static void cell(bloc_buf *b, const bloc_table *t, size_t row, size_t col)
{
	bloc_col_type type = bloc_table_column_type(t, col);
	char buf[BLOC__CELL_TEXT_MAX];

	bloc_buf_puts(b, type == BLOC_COL_STRING ? "<td>" : "<td class=\"num\">");
	if (bloc_table_is_missing(t, row, col))
		bloc_buf_puts(b, "-");
	else if (type == BLOC_COL_INT)
		bloc_buf_puts(
		    b, bloc__fmt_int(buf, sizeof(buf), (long long)bloc_table_int(t, row, col)));
	else
		bloc_buf_put_xml(b, bloc__table_cell_text(t, row, col, buf, sizeof(buf)));
	bloc_buf_puts(b, "</td>");
}

static void put_meta(bloc_buf *out, const bloc_table *t)
{
	size_t i;

	bloc_buf_puts(out, "<details class=\"meta\"><summary>Sources, assumptions and "
	                   "notes</summary>\n<dl>\n");
	for (i = 0; i < bloc_table_nmeta(t); i++) {
		const char *v = bloc_table_meta_value(t, i);
		bloc_buf_puts(out, "<dt>");
		bloc_buf_put_xml(out, bloc_table_meta_key(t, i));
		bloc_buf_puts(out, "</dt><dd>");
		bloc_buf_put_xml(out, v && *v ? v : "-");
		bloc_buf_puts(out, "</dd>\n");
	}
	bloc_buf_puts(out, "</dl>\n</details>\n");
}

/* Whether every cell of column col is missing (a column the answer has no value for). */
static int empty_column(const bloc_table *t, size_t col)
{
	size_t row, nrows = bloc_table_nrows(t);

	for (row = 0; row < nrows; row++)
		if (!bloc_table_is_missing(t, row, col))
			return 0;
	return nrows > 0;
}

int bloc__table_write_html_cols(const bloc_table *t, bloc_buf *out, int with_meta, unsigned how)
{
	size_t ncols = bloc_table_ncols(t), nrows = bloc_table_nrows(t), row, i, ndropped = 0;
	int drop_empty = (how & BLOC__HTML_DROP_EMPTY) != 0, err;

	if ((err = bloc__table_check_complete(t)) < 0)
		return err;
	if (how & BLOC__HTML_SCROLL)
		bloc_buf_puts(out, "<div class=\"scroll\">\n");
	bloc_buf_puts(out, "<table>\n<thead><tr>");
	for (i = 0; i < ncols; i++) {
		if (drop_empty && empty_column(t, i))
			continue;
		bloc_buf_puts(out, bloc_table_column_type(t, i) == BLOC_COL_STRING
		                       ? "<th>"
		                       : "<th class=\"num\">");
		bloc_buf_put_xml(out, bloc_table_column_name(t, i));
		bloc_buf_puts(out, "</th>");
	}
	bloc_buf_puts(out, "</tr></thead>\n<tbody>\n");
	for (row = 0; row < nrows; row++) {
		bloc_buf_puts(out, "<tr>");
		for (i = 0; i < ncols; i++)
			if (!drop_empty || !empty_column(t, i))
				cell(out, t, row, i);
		bloc_buf_puts(out, "</tr>\n");
	}
	bloc_buf_puts(out, "</tbody>\n</table>\n");
	if (how & BLOC__HTML_SCROLL)
		bloc_buf_puts(out, "</div>\n");
	/* say which columns the answer has and this table leaves out */
	for (i = 0; drop_empty && i < ncols; i++) {
		if (!empty_column(t, i))
			continue;
		bloc_buf_puts(out, ndropped++ ? ", "
		                              : "<p class=\"note\">Columns without a value here, "
		                                "left out: ");
		bloc_buf_put_xml(out, bloc_table_column_name(t, i));
	}
	if (ndropped)
		bloc_buf_puts(out, ".</p>\n");
	if (with_meta && bloc_table_nmeta(t))
		put_meta(out, t);
	return bloc__doc_check(out, "writing a table as HTML");
}

int bloc_table_write_html(const bloc_table *t, bloc_buf *out, int with_meta)
{
	return bloc__table_write_html_cols(t, out, with_meta, 0);
}
