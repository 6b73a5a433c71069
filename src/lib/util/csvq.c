#include "csvq.h"

#include <string.h>

int bloc__csv_needs_quotes(const char *s, unsigned flags)
{
	size_t n;

	if (s[strcspn(s, ",\"\r\n")])
		return 1;
	if (!(flags & BLOC__CSV_QUOTE_EDGE_SPACE) || !(n = strlen(s)))
		return 0;
	return s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t';
}

/* s quoted through put(payload, bytes, n): each quote ends a run and is doubled. */
static void put_quoted(const char *s, void (*put)(const char *, size_t, void *), void *payload)
{
	const char *q;

	put("\"", 1, payload);
	while ((q = strchr(s, '"'))) {
		put(s, (size_t)(q - s) + 1, payload);
		put("\"", 1, payload);
		s = q + 1;
	}
	put(s, strlen(s), payload);
	put("\"", 1, payload);
}

static void put_buf(const char *s, size_t n, void *payload)
{
	bloc_buf_put(payload, s, n);
}

static void put_file(const char *s, size_t n, void *payload)
{
	if (n)
		fwrite(s, 1, n, payload);
}

int bloc__csv_put_field(bloc_buf *b, const char *s)
{
	if (!bloc__csv_needs_quotes(s, 0))
		return bloc_buf_puts(b, s);
	put_quoted(s, put_buf, b);
	return b->err;
}

int bloc__csv_write_field_flags(FILE *fp, const char *s, unsigned flags)
{
	if (!bloc__csv_needs_quotes(s, flags))
		fputs(s, fp);
	else
		put_quoted(s, put_file, fp);
	if (ferror(fp))
		return bloc_error_set(BLOC_EIO, "csv: could not write a field");
	return BLOC_OK;
}

int bloc__csv_write_field(FILE *fp, const char *s)
{
	return bloc__csv_write_field_flags(fp, s, 0);
}
