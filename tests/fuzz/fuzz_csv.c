/* libFuzzer target for the streaming CSV reader (src/lib/io/csv.c).
 *
 * Each input is read three times: with the default options and a header (what every loader
 * does), with tiny limits and ';' as delimiter and no header (the limit and error paths), and
 * once more with the default options while allocations fail after a count derived from the input
 * (the out-of-memory paths, which must fail cleanly and leak nothing). Every field is touched
 * and checked against the reader's own contract; a broken contract aborts, so it counts as a
 * crash both under libFuzzer and in the replay driver. */
#include "bloc/csv.h"
#include "bloc/error.h"
#include "core/alloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define EXPECT(cond)                                                                               \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "fuzz_csv: contract broken: %s (line %d)\n", #cond,        \
			        __LINE__);                                                         \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

static volatile size_t sink; /* keeps the reads from being optimised away */

static void touch_field(bloc_csv_reader *r, size_t i)
{
	const char *f = bloc_csv_field(r, i);
	size_t len = bloc_csv_field_len(r, i);
	int64_t iv;
	double dv;
	int rc;

	/* NUL bytes are refused, so a field's length is its strlen */
	EXPECT(strlen(f) == len);
	EXPECT(bloc_csv_field_line(r, i) >= bloc_csv_line(r));
	EXPECT(bloc_csv_column(r, i) >= 1);
	sink += len + bloc_csv_field_line(r, i) + bloc_csv_column(r, i);

	rc = bloc_csv_field_i64(r, i, &iv);
	EXPECT(rc == BLOC_OK || rc == BLOC_ENOTFOUND || rc == BLOC_EPARSE || rc == BLOC_ENUMERIC);
	if (rc == BLOC_OK)
		sink += (size_t)iv;
	else if (rc != BLOC_ENOTFOUND)
		EXPECT(strstr(bloc_error_last(), "<memory>:") == bloc_error_last());

	rc = bloc_csv_field_double(r, i, &dv);
	EXPECT(rc == BLOC_OK || rc == BLOC_ENOTFOUND || rc == BLOC_EPARSE);
	if (rc == BLOC_OK)
		EXPECT(dv == dv && dv - dv == 0.0); /* finite */
}

static void read_all(const uint8_t *data, size_t size, const bloc_csv_options *opts, int header)
{
	bloc_csv_reader *r = NULL;
	size_t i, n, records = 0, last_line = 0;
	int rc;

	if (bloc_csv_open_mem(&r, (const char *)data, size, opts) < 0)
		return;
	EXPECT(strcmp(bloc_csv_name(r), "<memory>") == 0);
	if (header) {
		if (bloc_csv_read_header(r) < 0)
			goto done;
		n = bloc_csv_ncols(r);
		EXPECT(n == bloc_csv_nfields(r));
		for (i = 0; i < n; i++) {
			const char *name = bloc_csv_colname(r, i);
			int col = bloc_csv_col(r, name);
			/* lookup finds this column or an earlier one with the same name */
			EXPECT(col >= 0 && (size_t)col <= i);
			sink += strlen(name);
		}
		EXPECT(strcmp(bloc_csv_colname(r, n), "") == 0);
		sink += (size_t)bloc_csv_col(r, "ONS ID") + (size_t)bloc_csv_col(r, " votes ") +
		        (size_t)bloc_csv_col(r, "");
		last_line = bloc_csv_line(r);
	}
	while ((rc = bloc_csv_next(r)) > 0) {
		n = bloc_csv_nfields(r);
		EXPECT(n >= 1);
		EXPECT(bloc_csv_line(r) > last_line);
		last_line = bloc_csv_line(r);
		for (i = 0; i < n; i++)
			touch_field(r, i);
		/* out of range is "" and 0, never a read past the record */
		EXPECT(strcmp(bloc_csv_field(r, n), "") == 0);
		EXPECT(bloc_csv_field_len(r, n) == 0);
		if (n > 1 && (records & 7) == 0)
			bloc_csv_field_error(r, n - 1, BLOC_EPARSE, "fuzz %s", "probe");
		records++;
	}
	if (rc < 0)
		sink += strlen(bloc_error_last());
	else
		EXPECT(bloc_csv_next(r) == 0); /* end of input stays the end */
done:
	bloc_csv_close(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	bloc_csv_options tiny = BLOC_CSV_OPTIONS_INIT;
	unsigned long fail_at = 1;
	size_t i;

	read_all(data, size, NULL, 1);

	tiny.delimiter = ';';
	tiny.max_field = 16;
	tiny.max_record = 64;
	tiny.max_fields = 6;
	read_all(data, size, &tiny, 0);

	for (i = 0; i < size && i < 16; i++)
		fail_at = fail_at * 31 + data[i];
	bloc__alloc_fail_after(1 + fail_at % 24);
	read_all(data, size, NULL, 1);
	bloc__alloc_fail_after(0);
	return 0;
}
