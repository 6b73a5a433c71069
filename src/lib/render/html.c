/* A bloc_table as an HTML table. The cells are the CSV writer's text (so a real prints with its
 * column's decimals exactly as in CSV and JSON), with thousands separators added to integers. */
#include "bloc/render.h"

#include "bloc/csv.h"
#include "../core/alloc.h"
#include "svg_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The table as CSV in memory (caller frees *text with free(): it comes from open_memstream). */
static int as_csv(const bloc_table *t, char **text, size_t *len)
{
	FILE *fp;
	int err;

	*text = NULL;
	*len = 0;
	if (!(fp = open_memstream(text, len)))
		return bloc_error_set(BLOC_ENOMEM, "out of memory (%s)", strerror(errno));
	err = bloc_table_write(t, fp, BLOC_FORMAT_CSV);
	if (fclose(fp) != 0 && err == BLOC_OK)
		err = bloc_error_set(BLOC_ENOMEM, "out of memory writing a table");
	if (err < 0) {
		free(*text);
		*text = NULL;
	}
	return err;
}

static void cell(bloc_buf *b, const bloc_table *t, size_t row, size_t col, const char *text)
{
	bloc_col_type type = bloc_table_column_type(t, col);

	bloc_buf_puts(b, type == BLOC_COL_STRING ? "<td>" : "<td class=\"num\">");
	if (bloc_table_is_missing(t, row, col)) {
		bloc_buf_puts(b, "-");
	} else if (type == BLOC_COL_INT) {
		char buf[40];
		bloc_buf_puts(b,
		              bloc__fmt_int(buf, sizeof(buf), (long long)strtoll(text, NULL, 10)));
	} else {
		bloc_buf_put_xml(b, text);
	}
	bloc_buf_puts(b, "</td>");
}

int bloc_table_write_html(const bloc_table *t, bloc_buf *out, int with_meta)
{
	bloc_csv_reader *rd = NULL;
	char *csv = NULL;
	size_t len, ncols = bloc_table_ncols(t), row = 0, i;
	int rc, err;

	if ((err = as_csv(t, &csv, &len)) < 0)
		return err;
	if ((err = bloc_csv_open_mem(&rd, csv, len, NULL)) < 0)
		goto done;
	bloc_buf_puts(out, "<table>\n<thead><tr>");
	for (i = 0; i < ncols; i++) {
		bloc_buf_puts(out, bloc_table_column_type(t, i) == BLOC_COL_STRING
		                       ? "<th>"
		                       : "<th class=\"num\">");
		bloc_buf_put_xml(out, bloc_table_column_name(t, i));
		bloc_buf_puts(out, "</th>");
	}
	bloc_buf_puts(out, "</tr></thead>\n<tbody>\n");
	/* the first record is the header */
	if (ncols && (rc = bloc_csv_next(rd)) < 0) {
		err = rc;
		goto done;
	}
	while (ncols && (rc = bloc_csv_next(rd)) > 0) {
		bloc_buf_puts(out, "<tr>");
		for (i = 0; i < ncols; i++)
			cell(out, t, row, i, bloc_csv_field(rd, i));
		bloc_buf_puts(out, "</tr>\n");
		row++;
	}
	if (ncols && rc < 0) {
		err = rc;
		goto done;
	}
	bloc_buf_puts(out, "</tbody>\n</table>\n");
	if (with_meta && bloc_table_nmeta(t)) {
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
	err = bloc_buf_check(out);
done:
	bloc_csv_close(rd);
	free(csv);
	return err;
}
