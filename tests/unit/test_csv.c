#include "harness.h"

#include "bloc/csv.h"
#include "bloc/error.h"

static bloc_csv_reader *open_str(const char *s)
{
	bloc_csv_reader *r = NULL;

	if (bloc_csv_open_mem(&r, s, strlen(s), NULL) < 0)
		return NULL;
	return r;
}

BLOC_TEST(csv_quoted_comma)
{
	bloc_csv_reader *rd = open_str("a,\"b,c\"\n");

	BLOC_REQUIRE(rd);
	BLOC_CHECK_INT_EQ(bloc_csv_next(rd), 1);
	BLOC_CHECK_INT_EQ(bloc_csv_nfields(rd), 2);
	BLOC_CHECK_STR_EQ(bloc_csv_field(rd, 1), "b,c");
	BLOC_CHECK_INT_EQ(bloc_csv_next(rd), 0);
	bloc_csv_close(rd);
}

BLOC_TEST(csv_quotes_newlines_crlf)
{
	bloc_csv_reader *rd = open_str("x,\"he said \"\"hi\"\"\r\nthen left\",z\r\n1,2,3");

	BLOC_REQUIRE(rd);
	BLOC_CHECK_INT_EQ(bloc_csv_next(rd), 1);
	BLOC_CHECK_STR_EQ(bloc_csv_field(rd, 1), "he said \"hi\"\r\nthen left");
	BLOC_CHECK_STR_EQ(bloc_csv_field(rd, 2), "z");
	BLOC_CHECK_INT_EQ(bloc_csv_column(rd, 2), 12);
	BLOC_CHECK_INT_EQ(bloc_csv_field_line(rd, 2), 2);
	BLOC_CHECK_INT_EQ(bloc_csv_next(rd), 1); /* missing final newline */
	BLOC_CHECK_INT_EQ(bloc_csv_line(rd), 3);
	BLOC_CHECK_STR_EQ(bloc_csv_field(rd, 2), "3");
	BLOC_CHECK_INT_EQ(bloc_csv_next(rd), 0);
	bloc_csv_close(rd);
}

BLOC_TEST(csv_bom_and_header_spaces)
{
	bloc_csv_reader *rd = open_str("\xEF\xBB\xBF ONS ID , Votes\nE1,5\n");

	BLOC_REQUIRE(rd);
	BLOC_CHECK_OK(bloc_csv_read_header(rd));
	BLOC_CHECK_INT_EQ(bloc_csv_col(rd, "ons id"), 0);
	BLOC_CHECK_INT_EQ(bloc_csv_col(rd, "VOTES"), 1);
	BLOC_CHECK_INT_EQ(bloc_csv_col(rd, "missing"), -1);
	BLOC_CHECK_INT_EQ(bloc_csv_next(rd), 1);
	BLOC_CHECK_INT_EQ(bloc_csv_column(rd, 0), 1);
	bloc_csv_close(rd);
}

BLOC_TEST(csv_blank_lines_and_empty_fields)
{
	bloc_csv_reader *rd = open_str("\n\na,,\n\r\n,b\n");

	BLOC_REQUIRE(rd);
	BLOC_CHECK_INT_EQ(bloc_csv_next(rd), 1);
	BLOC_CHECK_INT_EQ(bloc_csv_nfields(rd), 3);
	BLOC_CHECK_INT_EQ(bloc_csv_line(rd), 3);
	BLOC_CHECK_INT_EQ(bloc_csv_next(rd), 1);
	BLOC_CHECK_INT_EQ(bloc_csv_line(rd), 5);
	BLOC_CHECK_STR_EQ(bloc_csv_field(rd, 0), "");
	BLOC_CHECK_INT_EQ(bloc_csv_next(rd), 0);
	bloc_csv_close(rd);
}

static void expect_error(const char *input, const char *where, const char *what)
{
	bloc_csv_reader *rd = open_str(input);
	int rc = 0;

	BLOC_REQUIRE(rd);
	while ((rc = bloc_csv_next(rd)) > 0)
		;
	BLOC_CHECK(rc < 0);
	BLOC_CHECK_CONTAINS(bloc_error_last(), where);
	BLOC_CHECK_CONTAINS(bloc_error_last(), what);
	bloc_csv_close(rd);
}

BLOC_TEST(csv_errors_name_line_and_column)
{
	expect_error("a,b\n\"open,c\n", "<memory>:2:1:", "closing quote");
	expect_error("a,b\nx,y\"z\n", "<memory>:2:4:", "no quote inside an unquoted field");
	expect_error("a,\"b\"c\n", "<memory>:1:6:", "after a closing quote");
	expect_error("name\nCaf\xE9\n", "<memory>:2:4:", "Windows-1252");
	expect_error("a\n\xC3", "<memory>:2:1:", "UTF-8");
	expect_error("a,b\n1,\xC0\xAF\n", "<memory>:2:3:", "UTF-8");
}

BLOC_TEST(csv_nul_byte_is_refused)
{
	static const char junk[] = {'a', ',', 'b', '\n', 'c', 0, 'd', '\n'};
	bloc_csv_reader *rd = NULL;

	BLOC_CHECK_OK(bloc_csv_open_mem(&rd, junk, sizeof(junk), NULL));
	BLOC_CHECK_INT_EQ(bloc_csv_next(rd), 1);
	BLOC_CHECK(bloc_csv_next(rd) < 0);
	BLOC_CHECK_CONTAINS(bloc_error_last(), "<memory>:2:2: expected text, found a NUL byte");
	bloc_csv_close(rd);
}

BLOC_TEST(csv_limits)
{
	bloc_csv_options o = BLOC_CSV_OPTIONS_INIT;
	bloc_csv_reader *rd = NULL;
	const char *s = "abcdef,g\n";

	o.max_field = 4;
	BLOC_CHECK_OK(bloc_csv_open_mem(&rd, s, strlen(s), &o));
	BLOC_CHECK(bloc_csv_next(rd) < 0);
	BLOC_CHECK_CONTAINS(bloc_error_last(), "at most 4 bytes");
	bloc_csv_close(rd);
	o = (bloc_csv_options)BLOC_CSV_OPTIONS_INIT;
	o.max_fields = 1;
	BLOC_CHECK_OK(bloc_csv_open_mem(&rd, s, strlen(s), &o));
	BLOC_CHECK(bloc_csv_next(rd) < 0);
	BLOC_CHECK_CONTAINS(bloc_error_last(), "at most 1 fields");
	bloc_csv_close(rd);
}

BLOC_TEST(csv_numbers)
{
	bloc_csv_reader *rd = open_str("72580,\"72,580\", -3 ,,1,00,12x,NA,0.25,1e400\n");
	int64_t v = 0;
	double d = 0;

	BLOC_REQUIRE(rd);
	BLOC_CHECK_INT_EQ(bloc_csv_next(rd), 1);
	BLOC_CHECK_OK(bloc_csv_field_i64(rd, 0, &v));
	BLOC_CHECK_INT_EQ(v, 72580);
	BLOC_CHECK_OK(bloc_csv_field_i64(rd, 1, &v));
	BLOC_CHECK_INT_EQ(v, 72580);
	BLOC_CHECK_OK(bloc_csv_field_i64(rd, 2, &v));
	BLOC_CHECK_INT_EQ(v, -3);
	BLOC_CHECK_INT_EQ(bloc_csv_field_i64(rd, 3, &v), BLOC_ENOTFOUND);
	BLOC_CHECK_OK(bloc_csv_field_i64(rd, 4, &v));
	BLOC_CHECK_INT_EQ(bloc_csv_field_i64(rd, 6, &v), BLOC_EPARSE);
	BLOC_CHECK_CONTAINS(bloc_error_last(), "<memory>:1:");
	BLOC_CHECK_CONTAINS(bloc_error_last(), "'12x'");
	BLOC_CHECK_INT_EQ(bloc_csv_field_double(rd, 7, &d), BLOC_ENOTFOUND);
	BLOC_CHECK_OK(bloc_csv_field_double(rd, 8, &d));
	BLOC_CHECK_NEAR(d, 0.25, 0, 1e-15);
	BLOC_CHECK_INT_EQ(bloc_csv_field_double(rd, 9, &d), BLOC_EPARSE);
	bloc_csv_close(rd);
}

BLOC_TEST(csv_thousands_groups_are_strict)
{
	bloc_csv_reader *rd = open_str("\"1,23\",\"1234,567\",\",123\"\n");
	int64_t v;

	BLOC_REQUIRE(rd);
	BLOC_CHECK_INT_EQ(bloc_csv_next(rd), 1);
	BLOC_CHECK_INT_EQ(bloc_csv_field_i64(rd, 0, &v), BLOC_EPARSE);
	BLOC_CHECK_INT_EQ(bloc_csv_field_i64(rd, 1, &v), BLOC_EPARSE);
	BLOC_CHECK_INT_EQ(bloc_csv_field_i64(rd, 2, &v), BLOC_EPARSE);
	bloc_csv_close(rd);
}

/* The reader takes fast paths over plain ASCII within its 64 KiB buffer and falls back to
 * byte-at-a-time reading at buffer ends, quotes, CR and UTF-8: reading a file (many buffer
 * boundaries) and the same bytes from memory (one buffer) must give the same fields at the same
 * lines and columns. */
BLOC_TEST(csv_file_and_memory_agree_across_buffer_boundaries)
{
	static const char *const pieces[] = {"plain",
	                                     "",
	                                     "\"quoted, with comma\"",
	                                     "\"two\r\nlines\"",
	                                     "Ynys M\xC3\xB4n",
	                                     "\"say \"\"hi\"\"\"",
	                                     "12345",
	                                     "x y z",
	                                     "\xE2\x82\xAC",
	                                     "tab\there"};
	char path[] = "/tmp/bloc_csv_test_XXXXXX";
	size_t len = 0, cap = 300000, i = 0, rows = 0;
	char *buf = malloc(cap);
	bloc_csv_reader *a = NULL, *b = NULL;
	int fd, ra, rb;
	FILE *fp;

	BLOC_REQUIRE(buf);
	/* a deterministic mix of fields and line endings, well past several buffer boundaries */
	while (len < cap - 200) {
		const char *p = pieces[(i * 7 + i / 3) % 10];
		size_t n = strlen(p);
		memcpy(buf + len, p, n);
		len += n;
		i++;
		if (i % 5 == 0)
			buf[len++] = '\n';
		else if (i % 13 == 0) {
			buf[len++] = '\r';
			buf[len++] = '\n';
		} else
			buf[len++] = ',';
	}
	fd = mkstemp(path);
	BLOC_REQUIRE(fd >= 0);
	fp = fdopen(fd, "wb");
	BLOC_REQUIRE(fp);
	BLOC_CHECK(fwrite(buf, 1, len, fp) == len);
	fclose(fp);
	BLOC_CHECK_OK(bloc_csv_open(&a, path, NULL));
	BLOC_CHECK_OK(bloc_csv_open_mem(&b, buf, len, NULL));
	for (;;) {
		size_t f;
		ra = bloc_csv_next(a);
		rb = bloc_csv_next(b);
		if (ra != rb) {
			BLOC_FAIL_("record %zu: file gives %d, memory %d (%s)", rows, ra, rb,
			           bloc_error_last());
			break;
		}
		if (ra <= 0)
			break;
		rows++;
		if (bloc_csv_nfields(a) != bloc_csv_nfields(b) ||
		    bloc_csv_line(a) != bloc_csv_line(b)) {
			BLOC_FAIL_("record %zu differs in fields or line", rows);
			break;
		}
		for (f = 0; f < bloc_csv_nfields(a); f++) {
			if (strcmp(bloc_csv_field(a, f), bloc_csv_field(b, f)) != 0 ||
			    bloc_csv_column(a, f) != bloc_csv_column(b, f) ||
			    bloc_csv_field_line(a, f) != bloc_csv_field_line(b, f))
				BLOC_FAIL_(
				    "record %zu field %zu: '%s' at %zu:%zu vs '%s' at %zu:%zu",
				    rows, f, bloc_csv_field(a, f), bloc_csv_field_line(a, f),
				    bloc_csv_column(a, f), bloc_csv_field(b, f),
				    bloc_csv_field_line(b, f), bloc_csv_column(b, f));
		}
	}
	BLOC_CHECK_INT_EQ(ra, 0);
	BLOC_CHECK(rows > 5000);
	bloc_csv_close(a);
	bloc_csv_close(b);
	remove(path);
	free(buf);
}
