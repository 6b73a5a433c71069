/* util/: the buffer, JSON and CSV writers, UTF-8, paths and number parsing. */
#include "harness.h"

#include "bloc/buf.h"
#include "bloc/error.h"
#include "core/alloc.h"
#include "util/csvq.h"
#include "util/json.h"
#include "util/num.h"
#include "util/path.h"
#include "util/utf8.h"

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- buf ---- */

BLOC_TEST(buf_appends_and_detaches)
{
	bloc_buf b = BLOC_BUF_INIT;
	char *text = NULL;
	size_t len = 0;

	BLOC_CHECK_STR_EQ(bloc_buf_cstr(&b), "");
	BLOC_CHECK_OK(bloc_buf_puts(&b, "a<"));
	BLOC_CHECK_OK(bloc_buf_printf(&b, "%d-%s", 42, "x"));
	BLOC_CHECK_OK(bloc_buf_put_xml(&b, "<&>\"'\x01\t\xff\xc3\xa9"));
	BLOC_CHECK_STR_EQ(bloc_buf_cstr(&b),
	                  "a<42-x&lt;&amp;&gt;&quot;&#39;\t\xEF\xBF\xBD\xc3\xa9");
	BLOC_CHECK_OK(bloc_buf_detach(&b, &text, &len));
	BLOC_CHECK_INT_EQ(len, strlen(text));
	BLOC_CHECK(b.ptr == NULL && b.len == 0);
	free(text);
}

BLOC_TEST(buf_failure_sticks_with_message)
{
	bloc_buf b = BLOC_BUF_INIT;

	bloc_error_clear();
	bloc__alloc_fail_after(1);
	BLOC_CHECK_INT_EQ(bloc_buf_puts(&b, "x"), BLOC_ENOMEM);
	bloc__alloc_fail_after(0);
	BLOC_CHECK_INT_EQ(bloc_error_last_code(), BLOC_ENOMEM);
	BLOC_CHECK_CONTAINS(bloc_error_last(), "out of memory building a document");
	BLOC_CHECK_INT_EQ(bloc_buf_puts(&b, "y"), BLOC_ENOMEM); /* sticky */
	bloc_error_clear();
	BLOC_CHECK_INT_EQ(bloc_buf_check(&b), BLOC_ENOMEM);
	BLOC_CHECK_STR_EQ(bloc_error_last(), "out of memory building a document");
	bloc_buf_clear(&b);
	BLOC_CHECK_OK(bloc_buf_puts(&b, "z"));
	BLOC_CHECK_STR_EQ(bloc_buf_cstr(&b), "z");
	bloc_buf_dispose(&b);
}

/* ---- utf8 ---- */

BLOC_TEST(utf8_sequences)
{
	static const struct {
		const char *s;
		size_t len;
	} cases[] = {
	    {"a", 1},
	    {"\xc3\xa9", 2},
	    {"\xe2\x82\xac", 3},
	    {"\xf0\x9f\x98\x80", 4},
	    {"\xf4\x8f\xbf\xbf", 4}, /* U+10FFFF */
	    {"\xc0\xaf", 0},         /* overlong '/' */
	    {"\xc1\xbf", 0},
	    {"\xe0\x9f\xbf", 0},     /* overlong U+07FF */
	    {"\xf0\x8f\xbf\xbf", 0}, /* overlong U+FFFF */
	    {"\xed\xa0\x80", 0},     /* U+D800 */
	    {"\xed\xbf\xbf", 0},     /* U+DFFF */
	    {"\xf4\x90\x80\x80", 0}, /* U+110000 */
	    {"\xf5\x80\x80\x80", 0},
	    {"\x80", 0},
	    {"\xc3", 0}, /* cut short by the NUL */
	    {"\xe2\x82", 0},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t n = bloc__utf8_seq((const unsigned char *)cases[i].s, SIZE_MAX);
		if (n != cases[i].len)
			BLOC_FAIL_("case %zu: %zu, expected %zu", i, n, cases[i].len);
		BLOC_CHECK_INT_EQ(bloc__utf8_valid(cases[i].s), cases[i].len > 0);
	}
	BLOC_CHECK_INT_EQ(bloc__utf8_seq((const unsigned char *)"\xe2\x82\xac", 2), 0);
	BLOC_CHECK_INT_EQ(bloc__utf8_valid_n("ab\xe2\x82\xac", 5), 1);
	BLOC_CHECK_INT_EQ(bloc__utf8_valid_n("ab\xe2\x82\xac", 4), 0);
	BLOC_CHECK_INT_EQ(bloc__utf8_valid_n("a\0b", 3), 1);
	BLOC_CHECK_INT_EQ(bloc__utf8_valid(""), 1);
}

/* ---- json ---- */

/* jansson's compact text for the string s. */
static char *jansson_string(const char *s)
{
	json_t *j = json_string(s);
	char *out = j ? json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;

	json_decref(j);
	return out;
}

BLOC_TEST(json_strings_as_jansson_writes_them)
{
	static const char *const cases[] = {
	    "",   "plain", "q\"b\\s/", "\b\f\n\r\t", "\x01\x1f\x7f", "caf\xc3\xa9 \xf0\x9f\x98\x80",
	    "\"", "a\nb",
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bloc_buf b = BLOC_BUF_INIT;
		char *want = jansson_string(cases[i]), *got = NULL;
		size_t len = 0;
		FILE *fp = open_memstream(&got, &len);
		BLOC_REQUIRE(want && fp);
		BLOC_CHECK_OK(bloc__json_put_string(&b, cases[i]));
		BLOC_CHECK_STR_EQ(bloc_buf_cstr(&b), want);
		BLOC_CHECK_OK(bloc__json_write_string(fp, cases[i]));
		fclose(fp);
		BLOC_CHECK_STR_EQ(got, want);
		bloc_buf_dispose(&b);
		free(want);
		free(got);
	}
}

BLOC_TEST(json_numbers)
{
	static const struct {
		const char *text, *json;
	} reals[] = {
	    {"0.00", "0.0"},
	    {"-0.50", "-0.5"},
	    {"12", "12.0"},
	    {"3.000", "3.0"},
	    {"0.0001", "0.0001"},
	    {"0.00001", "1e-5"},
	    {"-12.25", "-12.25"},
	    {"1000000000000000", "1e15"},
	    {"123456789012345", "123456789012345.0"},
	};
	bloc_buf b = BLOC_BUF_INIT;
	size_t i;

	BLOC_CHECK_OK(bloc__json_put_int(&b, INT64_MIN));
	BLOC_CHECK_STR_EQ(bloc_buf_cstr(&b), "-9223372036854775808");
	bloc_buf_clear(&b);
	BLOC_CHECK_OK(bloc__json_put_int(&b, 0));
	BLOC_CHECK_STR_EQ(bloc_buf_cstr(&b), "0");
	for (i = 0; i < sizeof(reals) / sizeof(reals[0]); i++) {
		json_t *j = json_real(strtod(reals[i].text, NULL));
		char *want =
		    json_dumps(j, JSON_COMPACT | JSON_REAL_PRECISION(15) | JSON_ENCODE_ANY);
		bloc_buf_clear(&b);
		BLOC_CHECK_OK(bloc__json_put_decimal(&b, reals[i].text));
		BLOC_CHECK_STR_EQ(bloc_buf_cstr(&b), reals[i].json);
		BLOC_CHECK_STR_EQ(bloc_buf_cstr(&b), want); /* jansson's text for the same double */
		free(want);
		json_decref(j);
	}
	bloc_buf_clear(&b);
	BLOC_CHECK_INT_EQ(bloc__json_put_decimal(&b, "1e999"), BLOC_EINVAL);
	bloc_buf_dispose(&b);
}

/* ---- csv quoting ---- */

static char *csv_file(const char *s, unsigned flags)
{
	char *out = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&out, &len);

	if (!fp)
		return NULL;
	if (bloc__csv_write_field_flags(fp, s, flags) < 0)
		BLOC_FAIL_("csv write: %s", bloc_error_last());
	fclose(fp);
	return out;
}

BLOC_TEST(csv_quoting)
{
	static const struct {
		const char *in, *out, *out_edge;
	} cases[] = {
	    {"", "", ""},
	    {"plain", "plain", "plain"},
	    {"a,b", "\"a,b\"", "\"a,b\""},
	    {"say \"hi\"", "\"say \"\"hi\"\"\"", "\"say \"\"hi\"\"\""},
	    {"\"", "\"\"\"\"", "\"\"\"\""},
	    {"two\nlines", "\"two\nlines\"", "\"two\nlines\""},
	    {"cr\r", "\"cr\r\"", "\"cr\r\""},
	    {" lead", " lead", "\" lead\""},
	    {"trail\t", "trail\t", "\"trail\t\""},
	    {"in side", "in side", "in side"},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bloc_buf b = BLOC_BUF_INIT;
		char *f = csv_file(cases[i].in, 0),
		     *e = csv_file(cases[i].in, BLOC__CSV_QUOTE_EDGE_SPACE);
		BLOC_CHECK_OK(bloc__csv_put_field(&b, cases[i].in));
		BLOC_CHECK_STR_EQ(bloc_buf_cstr(&b), cases[i].out);
		BLOC_CHECK_STR_EQ(f, cases[i].out);
		BLOC_CHECK_STR_EQ(e, cases[i].out_edge);
		bloc_buf_dispose(&b);
		free(f);
		free(e);
	}
}

/* ---- paths ---- */

BLOC_TEST(path_join)
{
	static const char *const cases[][3] = {
	    {"data", "x.csv", "data/x.csv"},      {"data/", "x.csv", "data/x.csv"},
	    {"/d", "a/b.csv", "/d/a/b.csv"},      {"", "x.csv", "x.csv"},
	    {"data", "/abs/x.csv", "/abs/x.csv"}, {"/", "x", "/x"},
	};
	size_t i;
	char *p;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		p = bloc__path_join(cases[i][0], cases[i][1]);
		BLOC_CHECK_STR_EQ(p, cases[i][2]);
		bloc_free(p);
	}
	bloc_error_clear();
	bloc__alloc_fail_after(1);
	p = bloc__path_join("data", "results/x.csv");
	bloc__alloc_fail_after(0);
	BLOC_CHECK(p == NULL);
	BLOC_CHECK_INT_EQ(bloc_error_last_code(), BLOC_ENOMEM);
	BLOC_CHECK_CONTAINS(bloc_error_last(), "out of memory joining the path results/x.csv");
}

BLOC_TEST(path_within)
{
	static const struct {
		const char *dir, *path;
		size_t skip;
	} cases[] = {
	    {"/data", "/data/results/x.csv", 6},
	    {"/data/", "/data/results/x.csv", 6},
	    {"/data//", "/data//results/x.csv", 7},
	    {"/data", "/database/x.csv", 0},
	    {"/data", "/data", 0},
	    {"/data", "/other/x.csv", 0},
	    {"data", "data/x.csv", 5},
	    {"/", "/x.csv", 0},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t got = bloc__path_within(cases[i].dir, cases[i].path, strlen(cases[i].path));
		if (got != cases[i].skip)
			BLOC_FAIL_("case %zu: %zu, expected %zu", i, got, cases[i].skip);
	}
	/* only the first `len` bytes count: "/data/a.csv + /data/b.csv" */
	BLOC_CHECK_INT_EQ(bloc__path_within("/data", "/data + /data/b.csv", 5), 0);
	BLOC_CHECK_INT_EQ(bloc__path_within("/data", "/data/a.csv + /data/b.csv", 11), 6);
}

/* ---- numbers ---- */

BLOC_TEST(parse_real)
{
	static const struct {
		const char *text;
		double v;
	} good[] = {
	    {"0", 0},  {"0.87", 0.87}, {"-3", -3},    {"+2.5", 2.5},  {".5", 0.5},
	    {"5.", 5}, {"1e-3", 1e-3}, {"2E+2", 200}, {"-0.0", -0.0},
	};
	static const char *const bad[] = {"",    "abc", "nan", "inf", "-inf", "0x10",  " 1",
	                                  "1 ",  "1e",  "e5",  ".",   "+",    "1.2.3", "1e999",
	                                  "--1", "1,5", "1e+", "NaN", "1e5x"};
	size_t i;
	double v;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		v = -99;
		BLOC_CHECK_OK(bloc__parse_real(good[i].text, &v));
		BLOC_CHECK_NEAR(v, good[i].v, 0, 0);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char want[80];
		v = -99;
		bloc_error_clear();
		BLOC_CHECK_INT_EQ(bloc__parse_real(bad[i], &v), BLOC_EINVAL);
		BLOC_CHECK_INT_EQ(bloc_error_last_code(), BLOC_EINVAL);
		snprintf(want, sizeof(want), "expected a number, got '%s'", bad[i]);
		BLOC_CHECK_STR_EQ(bloc_error_last(), want);
		BLOC_CHECK(v == -99);
	}
}

BLOC_TEST(parse_whole)
{
	unsigned long long v = 7;

	BLOC_CHECK_OK(bloc__parse_whole("0", 0, 10, &v));
	BLOC_CHECK_INT_EQ(v, 0);
	BLOC_CHECK_OK(bloc__parse_whole("10", 0, 10, &v));
	BLOC_CHECK_INT_EQ(v, 10);
	BLOC_CHECK_OK(bloc__parse_whole("18446744073709551615", 0, UINT64_MAX, &v));
	BLOC_CHECK(v == UINT64_MAX);
	BLOC_CHECK_OK(bloc__parse_whole("007", 1, 10, &v));
	BLOC_CHECK_INT_EQ(v, 7);

	v = 3;
	BLOC_CHECK_INT_EQ(bloc__parse_whole("11", 0, 10, &v), BLOC_ENUMERIC);
	BLOC_CHECK_STR_EQ(bloc_error_last(), "expected a whole number from 0 to 10, got '11'");
	BLOC_CHECK_INT_EQ(bloc__parse_whole("1", 2, 64, &v), BLOC_ENUMERIC);
	BLOC_CHECK_INT_EQ(bloc__parse_whole("18446744073709551616", 0, UINT64_MAX, &v),
	                  BLOC_ENUMERIC);
	BLOC_CHECK_INT_EQ(bloc__parse_whole("-1", 0, 10, &v), BLOC_EINVAL);
	BLOC_CHECK_STR_EQ(bloc_error_last(), "expected a whole number from 0 to 10, got '-1'");
	BLOC_CHECK_INT_EQ(bloc__parse_whole("+1", 0, 10, &v), BLOC_EINVAL);
	BLOC_CHECK_INT_EQ(bloc__parse_whole(" 1", 0, 10, &v), BLOC_EINVAL);
	BLOC_CHECK_INT_EQ(bloc__parse_whole("1.0", 0, 10, &v), BLOC_EINVAL);
	BLOC_CHECK_INT_EQ(bloc__parse_whole("", 0, 10, &v), BLOC_EINVAL);
	BLOC_CHECK_INT_EQ(bloc__parse_whole("0x1", 0, 10, &v), BLOC_EINVAL);
	BLOC_CHECK_INT_EQ(v, 3);
}
