#include "harness.h"

#include "bloc/chart.h"
#include "bloc/error.h"
#include "bloc/hexmap.h"
#include "bloc/io.h"
#include "bloc/render.h"
#include "core/alloc.h"
#include "data/build.h"
#include "render/svg_int.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

/* Render `t` in `format` into a malloc'd string (NULL and a failed check on error). */
static char *render(const bloc_table *t, bloc_format format)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	int err;

	if (!fp)
		return NULL;
	err = bloc_table_write(t, fp, format);
	fclose(fp);
	if (err < 0) {
		BLOC_FAIL_("bloc_table_write: %s", bloc_error_last());
		free(buf);
		return NULL;
	}
	return buf;
}

/* A small table with every kind of cell; NULL if an allocation failed. */
static bloc_table *sample_quiet(void)
{
	bloc_table *t = NULL;

	if (bloc_table_new(&t) < 0 || bloc_table_add_column(t, "party", BLOC_COL_STRING, 0) < 0 ||
	    bloc_table_add_column(t, "votes", BLOC_COL_INT, 0) < 0 ||
	    bloc_table_add_column(t, "share", BLOC_COL_REAL, 2) < 0)
		goto fail;
	if (bloc_table_add_string(t, "CON") < 0 || bloc_table_add_int(t, 13966454) < 0 ||
	    bloc_table_add_real(t, 43.6253) < 0)
		goto fail;
	if (bloc_table_add_string(t, "Sinn Féin, \"SF\"") < 0 || bloc_table_add_int(t, -5) < 0 ||
	    bloc_table_add_real(t, NAN) < 0)
		goto fail;
	if (bloc_table_add_missing(t) < 0 || bloc_table_add_missing(t) < 0 ||
	    bloc_table_add_real(t, -0.001) < 0)
		goto fail;
	if (bloc_table_meta(t, "contest", "%s", "ge2019") < 0 ||
	    bloc_table_meta(t, "note", "first") < 0 || bloc_table_meta(t, "note", "second") < 0 ||
	    bloc_table_meta_int(t, "seats", 650) < 0 ||
	    bloc_table_meta_real(t, "turnout", 67.2549, 2) < 0 ||
	    bloc_table_meta_real(t, "unknown", NAN, 2) < 0)
		goto fail;
	return t;
fail:
	bloc_table_free(t);
	return NULL;
}

static bloc_table *sample(void)
{
	bloc_table *t = sample_quiet();

	if (!t)
		BLOC_FAIL_("building the sample table: %s", bloc_error_last());
	return t;
}

BLOC_TEST(format_names)
{
	bloc_format f = BLOC_FORMAT_TABLE;

	BLOC_CHECK_INT_EQ(bloc_format_parse("json", &f), BLOC_OK);
	BLOC_CHECK_INT_EQ(f, BLOC_FORMAT_JSON);
	BLOC_CHECK_INT_EQ(bloc_format_parse("csv", &f), BLOC_OK);
	BLOC_CHECK_INT_EQ(f, BLOC_FORMAT_CSV);
	BLOC_CHECK_INT_EQ(bloc_format_parse("xml", &f), BLOC_EINVAL);
	BLOC_CHECK_CONTAINS(bloc_error_last(), "xml");
	BLOC_CHECK_STR_EQ(bloc_format_name(BLOC_FORMAT_TABLE), "table");
}

BLOC_TEST(csv_quotes_and_missing)
{
	bloc_table *t = sample();
	char *out;

	BLOC_REQUIRE(t);
	out = render(t, BLOC_FORMAT_CSV);
	BLOC_CHECK_STR_EQ(out, "party,votes,share\n"
	                       "CON,13966454,43.63\n"
	                       "\"Sinn Féin, \"\"SF\"\"\",-5,\n"
	                       ",,0.00\n");
	free(out);
	bloc_table_free(t);
}

BLOC_TEST(column_decimals_for_real_columns_only)
{
	bloc_table *t = sample();

	BLOC_REQUIRE(t);
	BLOC_CHECK_INT_EQ(bloc_table_column_decimals(t, 0), -1); /* string */
	BLOC_CHECK_INT_EQ(bloc_table_column_decimals(t, 1), -1); /* integer */
	BLOC_CHECK_INT_EQ(bloc_table_column_decimals(t, 2), 2);
	BLOC_CHECK_INT_EQ(bloc_table_column_decimals(t, 3), -1); /* out of range */
	bloc_table_free(t);
	BLOC_REQUIRE(bloc_table_new(&t) == BLOC_OK);
	BLOC_CHECK_OK(bloc_table_add_column(t, "none", BLOC_COL_REAL, 0));
	BLOC_CHECK_OK(bloc_table_add_column(t, "most", BLOC_COL_REAL, BLOC_TABLE_MAX_DECIMALS));
	BLOC_CHECK_INT_EQ(bloc_table_column_decimals(t, 0), 0);
	BLOC_CHECK_INT_EQ(bloc_table_column_decimals(t, 1), BLOC_TABLE_MAX_DECIMALS);
	bloc_table_free(t);
}

BLOC_TEST(whole_columns_as_the_cell_accessors_give_them)
{
	bloc_table *t = sample();
	double reals[3] = {-1, -1, -1};
	const char *strings[3] = {"x", "x", "x"};
	size_t r;

	BLOC_REQUIRE(t);
	BLOC_CHECK_INT_EQ(bloc_table_column_reals(t, 1, reals), 3); /* integers */
	BLOC_CHECK(reals[0] == 13966454.0 && reals[1] == -5.0 && isnan(reals[2]));
	BLOC_CHECK_INT_EQ(bloc_table_column_reals(t, 2, reals), 3);
	for (r = 0; r < 3; r++)
		BLOC_CHECK(memcmp(&reals[r], &(double){bloc_table_real(t, r, 2)}, sizeof(double)) ==
		           0);
	BLOC_CHECK(reals[0] == 43.6253 && isnan(reals[1]) && reals[2] == -0.001);
	BLOC_CHECK_INT_EQ(bloc_table_column_strings(t, 0, strings), 3);
	BLOC_CHECK_STR_EQ(strings[0], "CON");
	BLOC_CHECK(strings[1] == bloc_table_string(t, 1, 0) && strings[2] == NULL);
	/* the other kind, or out of range: nothing written */
	reals[0] = 7;
	strings[0] = "kept";
	BLOC_CHECK_INT_EQ(bloc_table_column_reals(t, 0, reals), 0);
	BLOC_CHECK_INT_EQ(bloc_table_column_reals(t, 3, reals), 0);
	BLOC_CHECK_INT_EQ(bloc_table_column_strings(t, 2, strings), 0);
	BLOC_CHECK(reals[0] == 7 && strcmp(strings[0], "kept") == 0);
	bloc_table_free(t);
	/* a partial last row: its missing cells read as missing */
	BLOC_REQUIRE(bloc_table_new(&t) == BLOC_OK);
	BLOC_CHECK_OK(bloc_table_add_column(t, "a", BLOC_COL_STRING, 0));
	BLOC_CHECK_OK(bloc_table_add_column(t, "b", BLOC_COL_REAL, 1));
	BLOC_CHECK_OK(bloc_table_add_string(t, "only"));
	BLOC_CHECK_INT_EQ(bloc_table_column_reals(t, 1, reals), 1);
	BLOC_CHECK(isnan(reals[0]));
	bloc_table_free(t);
}

BLOC_TEST(text_aligns_and_lists_metadata)
{
	bloc_table *t = sample();
	char *out;

	BLOC_REQUIRE(t);
	out = render(t, BLOC_FORMAT_TABLE);
	/* "Sinn Féin, "SF"" is 15 characters (16 bytes): widths count characters. */
	BLOC_CHECK_STR_EQ(out, "party                 votes  share\n"
	                       "---------------  ----------  -----\n"
	                       "CON              13,966,454  43.63\n"
	                       "Sinn Féin, \"SF\"          -5      -\n"
	                       "-                         -   0.00\n"
	                       "# contest: ge2019\n"
	                       "# note: first\n"
	                       "# note: second\n"
	                       "# seats: 650\n"
	                       "# turnout: 67.25\n"
	                       "# unknown: -\n");
	free(out);
	bloc_table_free(t);
}

BLOC_TEST(json_numbers_nulls_and_repeated_keys)
{
	bloc_table *t = sample();
	json_error_t jerr;
	json_t *j, *rows, *meta;
	char *out;

	BLOC_REQUIRE(t);
	out = render(t, BLOC_FORMAT_JSON);
	BLOC_REQUIRE(out);
	j = json_loads(out, 0, &jerr);
	if (!j)
		BLOC_FAIL_("not JSON: %s\n%s", jerr.text, out);
	BLOC_REQUIRE(j);
	meta = json_object_get(j, "meta");
	rows = json_object_get(j, "rows");
	BLOC_CHECK_STR_EQ(json_string_value(json_object_get(meta, "contest")), "ge2019");
	BLOC_CHECK_INT_EQ(json_array_size(json_object_get(meta, "note")), 2);
	BLOC_CHECK_STR_EQ(json_string_value(json_array_get(json_object_get(meta, "note"), 1)),
	                  "second");
	BLOC_CHECK_INT_EQ(json_integer_value(json_object_get(meta, "seats")), 650);
	BLOC_CHECK(json_is_real(json_object_get(meta, "turnout")));
	BLOC_CHECK(json_is_null(json_object_get(meta, "unknown")));
	BLOC_CHECK_INT_EQ(json_array_size(rows), 3);
	BLOC_CHECK_INT_EQ(json_integer_value(json_object_get(json_array_get(rows, 0), "votes")),
	                  13966454);
	BLOC_CHECK(json_real_value(json_object_get(json_array_get(rows, 0), "share")) == 43.63);
	BLOC_CHECK(json_is_null(json_object_get(json_array_get(rows, 1), "share")));
	BLOC_CHECK(json_is_null(json_object_get(json_array_get(rows, 2), "party")));
	BLOC_CHECK_STR_EQ(json_string_value(json_object_get(json_array_get(rows, 1), "party")),
	                  "Sinn Féin, \"SF\"");
	/* the printed text of a rounded real is short, as in the CSV */
	BLOC_CHECK_CONTAINS(out, "\"share\":43.63}");
	json_decref(j);
	free(out);
	bloc_table_free(t);
}

BLOC_TEST(empty_table_in_every_format)
{
	bloc_table *t = NULL;
	char *out;

	BLOC_CHECK_OK(bloc_table_new(&t));
	BLOC_CHECK_OK(bloc_table_add_column(t, "a", BLOC_COL_INT, 0));
	out = render(t, BLOC_FORMAT_CSV);
	BLOC_CHECK_STR_EQ(out, "a\n");
	free(out);
	out = render(t, BLOC_FORMAT_JSON);
	BLOC_CHECK_STR_EQ(out, "{\"meta\":{},\n\"rows\":[]}\n");
	free(out);
	out = render(t, BLOC_FORMAT_TABLE);
	BLOC_CHECK_STR_EQ(out, "a\n-\n");
	free(out);
	bloc_table_free(t);
}

BLOC_TEST(misuse_is_refused_with_a_message)
{
	bloc_table *t = NULL;
	FILE *fp = fopen("/dev/null", "w");

	BLOC_REQUIRE(fp);
	BLOC_CHECK_OK(bloc_table_new(&t));
	BLOC_CHECK_INT_EQ(bloc_table_add_int(t, 1), BLOC_EINVAL); /* no column yet */
	BLOC_CHECK_OK(bloc_table_add_column(t, "n", BLOC_COL_INT, 0));
	BLOC_CHECK_INT_EQ(bloc_table_add_column(t, "n", BLOC_COL_STRING, 0), BLOC_EINVAL);
	BLOC_CHECK_INT_EQ(bloc_table_add_column(t, "x", BLOC_COL_REAL, 16), BLOC_EINVAL);
	BLOC_CHECK_OK(bloc_table_add_column(t, "x", BLOC_COL_REAL, 1));
	BLOC_CHECK_INT_EQ(bloc_table_add_string(t, "one"), BLOC_EINVAL);
	BLOC_CHECK_CONTAINS(bloc_error_last(), "column 'n'");
	BLOC_CHECK_INT_EQ(bloc_table_add_real(t, 1.5), BLOC_EINVAL);
	BLOC_CHECK_OK(bloc_table_add_int(t, 1));
	BLOC_CHECK_INT_EQ(bloc_table_add_column(t, "late", BLOC_COL_INT, 0), BLOC_EINVAL);
	BLOC_CHECK_INT_EQ(bloc_table_write(t, fp, BLOC_FORMAT_CSV), BLOC_EINVAL);
	BLOC_CHECK_CONTAINS(bloc_error_last(), "incomplete");
	BLOC_CHECK_OK(bloc_table_add_int(t, 2)); /* an integer in a real column */
	BLOC_CHECK(bloc_table_real(t, 0, 1) == 2.0);
	BLOC_CHECK_INT_EQ(bloc_table_nrows(t), 1);
	BLOC_CHECK_INT_EQ(bloc_table_write(t, fp, (bloc_format)7), BLOC_EINVAL);
	BLOC_CHECK_OK(bloc_table_write(t, fp, BLOC_FORMAT_TABLE));
	bloc_table_free(t);
	bloc_table_free(NULL);
	fclose(fp);
}

BLOC_TEST(json_refuses_text_that_is_not_utf8)
{
	bloc_table *t = NULL;
	FILE *fp = fopen("/dev/null", "w");

	BLOC_REQUIRE(fp);
	BLOC_CHECK_OK(bloc_table_new(&t));
	BLOC_CHECK_OK(bloc_table_add_column(t, "name", BLOC_COL_STRING, 0));
	BLOC_CHECK_OK(bloc_table_add_string(t, "Ynys M\xf4n"));
	BLOC_CHECK_INT_EQ(bloc_table_write(t, fp, BLOC_FORMAT_JSON), BLOC_EINVAL);
	BLOC_CHECK_CONTAINS(bloc_error_last(), "UTF-8");
	bloc_table_free(t);
	fclose(fp);
}

/* jansson's compact text of one value (JSON_REAL_PRECISION(15), as the old JSON writer). */
static char *jansson_text(json_t *v)
{
	char *s =
	    v ? json_dumps(v, JSON_COMPACT | JSON_REAL_PRECISION(15) | JSON_ENCODE_ANY) : NULL;

	json_decref(v);
	return s;
}

/* A one-column table of `v` as JSON must be {"meta":{},\n"rows":[\n{"col":V}\n]}\n with V what
 * jansson printed for the same value. */
static void check_one_cell(const bloc_table *t, const char *col, const char *v)
{
	char *out = render(t, BLOC_FORMAT_JSON), *key = jansson_text(json_string(col)), *want;
	size_t n;

	if (!out || !key || !v) {
		BLOC_FAIL_("rendering or jansson failed for column '%s'", col);
		free(out);
		free(key);
		return;
	}
	n = strlen(key) + strlen(v) + 64;
	want = malloc(n);
	BLOC_REQUIRE(want);
	snprintf(want, n, "{\"meta\":{},\n\"rows\":[\n{%s:%s}\n]}\n", key, v);
	BLOC_CHECK_STR_EQ(out, want);
	free(want);
	free(out);
	free(key);
}

/* The CSV text of a real ("%.*f" without the sign of a negative zero), as the old writer read
 * it back with strtod. */
static double csv_value(double v, int decimals)
{
	char buf[400];
	const char *p;

	snprintf(buf, sizeof(buf), "%.*f", decimals, v);
	if (buf[0] == '-') {
		for (p = buf + 1; *p == '0' || *p == '.'; p++)
			;
		if (!*p)
			return strtod(buf + 1, NULL);
	}
	return strtod(buf, NULL);
}

BLOC_TEST(json_reals_match_jansson)
{
	static const double special[] = {0.0,
	                                 -0.0,
	                                 0.5,
	                                 1.5,
	                                 2.5,
	                                 0.125,
	                                 -0.125,
	                                 0.005,
	                                 -0.004,
	                                 1e-5,
	                                 1.5e-4,
	                                 0.0001,
	                                 99.995,
	                                 43.63,
	                                 1e14,
	                                 1e15,
	                                 -1e15,
	                                 1e20,
	                                 123456789.125,
	                                 1099511627776.0,
	                                 1099511627775.5,
	                                 4503599627370497.0,
	                                 1.7976931348623157e308,
	                                 5e-324,
	                                 2.2250738585072014e-308};
	uint64_t x = 88172645463325252ULL;
	int d, i;

	for (d = 0; d <= BLOC_TABLE_MAX_DECIMALS; d++) {
		for (i = 0; i < 400; i++) {
			bloc_table *t = NULL;
			double v;
			if (i < (int)(sizeof(special) / sizeof(special[0]))) {
				v = special[i];
			} else {
				/* xorshift: mantissas at every scale, and exact ties */
				x ^= x << 13;
				x ^= x >> 7;
				x ^= x << 17;
				v = (double)(x >> 11) / 9007199254740992.0 *
				    pow(10.0, (double)(int)(x % 31) - 12);
				if (i % 7 == 0)
					v = (double)(int64_t)(x % 100000) / 8.0;
				if (i % 2)
					v = -v;
			}
			BLOC_REQUIRE(bloc_table_new(&t) == BLOC_OK);
			BLOC_CHECK_OK(bloc_table_add_column(t, "v", BLOC_COL_REAL, d));
			BLOC_CHECK_OK(bloc_table_add_real(t, v));
			{
				char *want = jansson_text(json_real(csv_value(v, d)));
				check_one_cell(t, "v", want);
				free(want);
			}
			bloc_table_free(t);
		}
	}
}

BLOC_TEST(json_integers_match_jansson)
{
	static const int64_t v[] = {0, 1, -1, 9, 10, -10, 13966454, INT64_MAX, INT64_MIN};
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		bloc_table *t = NULL;
		char *want = jansson_text(json_integer(v[i]));
		BLOC_REQUIRE(bloc_table_new(&t) == BLOC_OK);
		BLOC_CHECK_OK(bloc_table_add_column(t, "n", BLOC_COL_INT, 0));
		BLOC_CHECK_OK(bloc_table_add_int(t, v[i]));
		check_one_cell(t, "n", want);
		free(want);
		bloc_table_free(t);
	}
}

BLOC_TEST(json_strings_escape_as_jansson)
{
	static const char *const text[] = {"",
	                                   "plain",
	                                   "q\"uo\\te/",
	                                   "\b\f\n\r\t",
	                                   "\x01\x1f\x7f",
	                                   "Ynys M\xc3\xb4n",
	                                   "\xe2\x82\xac \xf0\x9f\x98\x80 \xef\xbf\xbf",
	                                   "\xf4\x8f\xbf\xbf\xed\x9f\xbf\xee\x80\x80"};
	static const char *const bad[] = {"\xc0\x80",         "\xc1\xbf", "\xed\xa0\x80",
	                                  "\xf4\x90\x80\x80", "\xe2\x82", "\xe0\x9f\xbf",
	                                  "\xf0\x8f\xbf\xbf", "\xff",     "a\x80",
	                                  "\xf5\x80\x80\x80", "\xc3"};
	char s[4];
	int c;
	size_t i;

	/* every ASCII character, alone and between others, as a value and as a column name */
	for (c = 1; c < 0x80; c++) {
		bloc_table *t = NULL;
		char *want;
		snprintf(s, sizeof(s), "a%cb", c);
		want = jansson_text(json_string(s));
		BLOC_REQUIRE(bloc_table_new(&t) == BLOC_OK);
		BLOC_CHECK_OK(bloc_table_add_column(t, s, BLOC_COL_STRING, 0));
		BLOC_CHECK_OK(bloc_table_add_string(t, s));
		check_one_cell(t, s, want);
		free(want);
		bloc_table_free(t);
	}
	for (i = 0; i < sizeof(text) / sizeof(text[0]); i++) {
		bloc_table *t = NULL;
		char *want = jansson_text(json_string(text[i]));
		BLOC_REQUIRE(bloc_table_new(&t) == BLOC_OK);
		BLOC_CHECK_OK(bloc_table_add_column(t, "s", BLOC_COL_STRING, 0));
		BLOC_CHECK_OK(bloc_table_add_string(t, text[i]));
		check_one_cell(t, "s", want);
		free(want);
		bloc_table_free(t);
	}
	/* what jansson refuses is refused, as a value, a column name, a metadata value or key */
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		bloc_table *t = NULL;
		char *buf = NULL;
		size_t len = 0;
		FILE *fp;
		json_t *j = json_string(bad[i]);
		BLOC_CHECK(j == NULL);
		json_decref(j);
		BLOC_REQUIRE(bloc_table_new(&t) == BLOC_OK);
		BLOC_CHECK_OK(bloc_table_add_column(t, "s", BLOC_COL_STRING, 0));
		BLOC_CHECK_OK(bloc_table_add_string(t, "ok"));
		BLOC_CHECK_OK(bloc_table_add_string(t, bad[i]));
		BLOC_REQUIRE((fp = open_memstream(&buf, &len)) != NULL);
		BLOC_CHECK_INT_EQ(bloc_table_write(t, fp, BLOC_FORMAT_JSON), BLOC_EINVAL);
		BLOC_CHECK_CONTAINS(bloc_error_last(), "json: s is not valid UTF-8");
		fclose(fp);
		/* the rows before the bad one were written, as before */
		BLOC_CHECK_STR_EQ(buf, "{\"meta\":{},\n\"rows\":[\n{\"s\":\"ok\"}");
		free(buf);
		bloc_table_free(t);

		BLOC_REQUIRE(bloc_table_new(&t) == BLOC_OK);
		BLOC_CHECK_OK(bloc_table_add_column(t, "ok", BLOC_COL_INT, 0));
		BLOC_CHECK_OK(bloc_table_add_column(t, bad[i], BLOC_COL_INT, 0));
		BLOC_CHECK_OK(bloc_table_add_int(t, 1));
		BLOC_CHECK_OK(bloc_table_add_int(t, 2));
		buf = NULL;
		BLOC_REQUIRE((fp = open_memstream(&buf, &len)) != NULL);
		BLOC_CHECK_INT_EQ(bloc_table_write(t, fp, BLOC_FORMAT_JSON), BLOC_EINVAL);
		BLOC_CHECK_CONTAINS(bloc_error_last(), "json: column name");
		fclose(fp);
		BLOC_CHECK_STR_EQ(buf, "{\"meta\":{},\n\"rows\":[");
		free(buf);
		bloc_table_free(t);

		BLOC_REQUIRE(bloc_table_new(&t) == BLOC_OK);
		BLOC_CHECK_OK(bloc_table_meta(t, "k", "%s", bad[i]));
		buf = NULL;
		BLOC_REQUIRE((fp = open_memstream(&buf, &len)) != NULL);
		BLOC_CHECK_INT_EQ(bloc_table_write(t, fp, BLOC_FORMAT_JSON), BLOC_EINVAL);
		BLOC_CHECK_CONTAINS(bloc_error_last(), "json: metadata 'k' is not valid UTF-8");
		fclose(fp);
		BLOC_CHECK(len == 0);
		free(buf);
		bloc_table_free(t);

		BLOC_REQUIRE(bloc_table_new(&t) == BLOC_OK);
		BLOC_CHECK_OK(bloc_table_meta_int(t, bad[i], 1));
		buf = NULL;
		BLOC_REQUIRE((fp = open_memstream(&buf, &len)) != NULL);
		BLOC_CHECK_INT_EQ(bloc_table_write(t, fp, BLOC_FORMAT_JSON), BLOC_EINVAL);
		BLOC_CHECK_CONTAINS(bloc_error_last(), "json: metadata key");
		fclose(fp);
		BLOC_CHECK(len == 0);
		free(buf);
		bloc_table_free(t);
	}
}

BLOC_TEST(json_metadata_matches_jansson)
{
	bloc_table *t = NULL;
	json_t *meta = json_object(), *arr = json_array();
	char *out, *m, *want;
	size_t n;

	BLOC_REQUIRE(meta && arr && bloc_table_new(&t) == BLOC_OK);
	BLOC_CHECK_OK(bloc_table_meta(t, "note", "first \"one\"\n"));
	BLOC_CHECK_OK(bloc_table_meta_int(t, "seats", -650));
	BLOC_CHECK_OK(bloc_table_meta_real(t, "turnout", 59.7, 1));
	BLOC_CHECK_OK(bloc_table_meta(t, "note", "second\t\x01"));
	BLOC_CHECK_OK(bloc_table_meta_real(t, "missing", NAN, 2));
	BLOC_CHECK_OK(bloc_table_meta_real(t, "tiny", 0.00001234, 8));
	BLOC_CHECK_OK(bloc_table_meta_real(t, "big", 1e16, 0));
	BLOC_CHECK_OK(bloc_table_meta_real(t, "zero", -0.001, 2));
	BLOC_CHECK_OK(bloc_table_meta_int(t, "note", 3));
	BLOC_CHECK_OK(bloc_table_meta(t, "M\xc3\xb4n", "%s", "\xe2\x82\xac"));
	json_array_append_new(arr, json_string("first \"one\"\n"));
	json_object_set_new(meta, "note", arr);
	json_object_set_new(meta, "seats", json_integer(-650));
	json_object_set_new(meta, "turnout", json_real(59.7));
	json_array_append_new(arr, json_string("second\t\x01"));
	json_object_set_new(meta, "missing", json_null());
	json_object_set_new(meta, "tiny", json_real(0.00001234));
	json_object_set_new(meta, "big", json_real(1e16));
	json_object_set_new(meta, "zero", json_real(0.0));
	json_array_append_new(arr, json_integer(3));
	json_object_set_new(meta, "M\xc3\xb4n", json_string("\xe2\x82\xac"));
	m = jansson_text(meta);
	BLOC_REQUIRE(m);
	out = render(t, BLOC_FORMAT_JSON);
	n = strlen(m) + 64;
	want = malloc(n);
	BLOC_REQUIRE(out && want);
	snprintf(want, n, "{\"meta\":%s,\n\"rows\":[]}\n", m);
	BLOC_CHECK_STR_EQ(out, want);
	free(want);
	free(out);
	free(m);
	bloc_table_free(t);
}

BLOC_TEST(json_out_of_memory_is_reported)
{
	unsigned long n;
	int failed = 0;

	for (n = 1; n < 200; n++) {
		bloc_table *t;
		char *buf = NULL;
		size_t len = 0;
		FILE *fp = open_memstream(&buf, &len);
		int err;

		BLOC_REQUIRE(fp);
		t = sample_quiet();
		bloc__alloc_fail_after(n);
		err = t ? bloc_table_write(t, fp, BLOC_FORMAT_JSON) : BLOC_ENOMEM;
		bloc__alloc_fail_after(0);
		bloc_table_free(t);
		fclose(fp);
		free(buf);
		if (err == BLOC_OK && t)
			break;
		BLOC_CHECK_INT_EQ(err, BLOC_ENOMEM);
		failed++;
	}
	BLOC_CHECK(failed > 0);
	BLOC_CHECK(n < 200);
}

BLOC_TEST(control_characters_do_not_break_the_text_table)
{
	bloc_table *t = NULL;
	char *out;

	BLOC_CHECK_OK(bloc_table_new(&t));
	BLOC_CHECK_OK(bloc_table_add_column(t, "s", BLOC_COL_STRING, 0));
	BLOC_CHECK_OK(bloc_table_add_string(t, "a\nb"));
	out = render(t, BLOC_FORMAT_TABLE);
	BLOC_CHECK_STR_EQ(out, "s\n---\na b\n");
	free(out);
	out = render(t, BLOC_FORMAT_CSV);
	BLOC_CHECK_STR_EQ(out, "s\n\"a\nb\"\n");
	free(out);
	bloc_table_free(t);
}

BLOC_TEST(out_of_memory_anywhere_is_reported)
{
	unsigned long n;
	int failed = 0;

	/* Fail the n-th allocation for every n until building and writing succeed. */
	for (n = 1; n < 200; n++) {
		bloc_table *t;
		char *buf = NULL;
		size_t len = 0;
		FILE *fp = open_memstream(&buf, &len);
		int err;

		BLOC_REQUIRE(fp);
		bloc__alloc_fail_after(n);
		t = sample_quiet();
		err = t ? bloc_table_write(t, fp, BLOC_FORMAT_TABLE) : BLOC_ENOMEM;
		bloc__alloc_fail_after(0);
		bloc_table_free(t);
		fclose(fp);
		free(buf);
		if (err == BLOC_OK && t)
			break;
		failed++;
	}
	BLOC_CHECK(failed > 5);
	BLOC_CHECK(n < 200);
}

/* Two seats: a Labour hold with a Conservative runner-up, and an unopposed Speaker. */
static bloc_contest *tiny_contest(void)
{
	bloc__builder *b = NULL;
	bloc_contest *c = NULL;
	bloc_party con, lab, spk, oth;
	size_t s0, s1;
	int created;

	if (bloc_party_lookup("CON", &con) < 0 || bloc_party_lookup("LAB", &lab) < 0 ||
	    bloc_party_lookup("SPK", &spk) < 0)
		return NULL;
	oth = bloc_party_oth();
	if (bloc__builder_new(&b, "tiny.csv") < 0)
		return NULL;
	if (bloc__builder_seat(b, "E14000001", "Alpha", "North East", "England", 2, &s0, &created) <
	        0 ||
	    bloc__builder_seat(b, "W07000002", "Ynys Môn", "", "Wales", 3, &s1, &created) < 0)
		goto done;
	bloc__builder_seat_figures(b, s0, 1000, 600, 4);
	bloc__builder_seat_figures(b, s1, -1, 300, -1);
	if (bloc__builder_candidate(b, s0, lab, "Lab Co-op", "Ann Smith", 350, 0) < 0 ||
	    bloc__builder_candidate(b, s0, con, "Con", "Bob Jones", 200, 0) < 0 ||
	    bloc__builder_candidate(b, s0, oth, "All other candidates", "", 50,
	                            BLOC_CAND_AGGREGATE) < 0 ||
	    bloc__builder_candidate(b, s1, spk, "Spk", "The Speaker", 300, 0) < 0)
		goto done;
	bloc__builder_finish(b, "tiny", "2024-07-04", "canonical", BLOC_CONTEST_GENERAL, &c);
done:
	bloc__builder_free(b);
	return c;
}

static long w_[2], s_[2];
static bloc_party wp_[2], sp_[2];
static int64_t maj_[2];
static double majp_[2], turn_[2];

static bloc_seat_results tiny_results(const bloc_contest *c)
{
	bloc_seat_results r = {2, w_, s_, wp_, sp_, maj_, majp_, turn_};

	w_[0] = (long)c->cand_off[0];
	s_[0] = (long)c->cand_off[0] + 1;
	w_[1] = (long)c->cand_off[1];
	s_[1] = -1;
	wp_[0] = c->cand_party[w_[0]];
	sp_[0] = c->cand_party[s_[0]];
	wp_[1] = c->cand_party[w_[1]];
	sp_[1] = BLOC_PARTY_NONE;
	maj_[0] = 150;
	maj_[1] = 300;
	majp_[0] = 25.0;
	majp_[1] = 100.0;
	turn_[0] = 60.0;
	turn_[1] = NAN;
	return r;
}

BLOC_TEST(seat_results_as_csv)
{
	bloc_contest *c = tiny_contest();
	bloc_seat_results r;
	bloc_table *t = NULL;
	char *out;

	BLOC_REQUIRE(c);
	r = tiny_results(c);
	BLOC_CHECK_OK(bloc_render_seat_results(&t, c, &r));
	out = render(t, BLOC_FORMAT_CSV);
	BLOC_CHECK_STR_EQ(out,
	                  "code,name,region,nation,electorate,valid_votes,turnout,winner,second,"
	                  "majority,majority_pct,winner_candidate\n"
	                  "E14000001,Alpha,North East,England,1000,600,60.00,LAB,CON,150,25.00,"
	                  "Ann Smith\n"
	                  "W07000002,Ynys Môn,,Wales,,300,,SPK,,300,100.00,The Speaker\n");
	free(out);
	bloc_table_free(t);
	bloc_contest_free(c);
}

BLOC_TEST(candidates_of_one_seat)
{
	bloc_contest *c = tiny_contest();
	bloc_seat_results r;
	bloc_table *t = NULL;
	char *out;

	BLOC_REQUIRE(c);
	r = tiny_results(c);
	BLOC_CHECK_INT_EQ(bloc_render_candidates(&t, c, &r, 2), BLOC_EINVAL);
	BLOC_CHECK_OK(bloc_render_candidates(&t, c, &r, 0));
	out = render(t, BLOC_FORMAT_TABLE);
	BLOC_CHECK_STR_EQ(out, "name                    party  votes  share  label\n"
	                       "----------------------  -----  -----  -----  --------------------\n"
	                       "Ann Smith               LAB      350  58.33  Lab Co-op\n"
	                       "Bob Jones               CON      200  33.33  Con\n"
	                       "(all other candidates)  OTH       50   8.33  All other candidates\n"
	                       "# contest: tiny\n"
	                       "# date: 2024-07-04\n"
	                       "# seat: E14000001\n"
	                       "# seat_name: Alpha\n"
	                       "# region: North East\n"
	                       "# nation: England\n"
	                       "# electorate: 1000\n"
	                       "# valid_votes: 600\n"
	                       "# invalid_votes: 4\n"
	                       "# turnout: 60.00\n"
	                       "# winner: LAB\n"
	                       "# winner_candidate: Ann Smith\n"
	                       "# second: CON\n"
	                       "# majority: 150\n"
	                       "# majority_pct: 25.00\n");
	free(out);
	bloc_table_free(t);
	bloc_contest_free(c);
}

BLOC_TEST(totals_sorted_by_seats_then_votes)
{
	bloc_contest *c = tiny_contest();
	bloc_totals tot;
	const char *groups[] = {"UK"};
	bloc_party parties[3];
	int64_t votes[3] = {200, 350, 300}, seats[3] = {0, 1, 1}, valid[1] = {900},
	        electorate[1] = {-1};
	double share[3] = {200 / 9.0, 350 / 9.0, 300 / 9.0};
	size_t nseats[1] = {2};
	bloc_table *t = NULL;
	char *out;

	BLOC_REQUIRE(c);
	BLOC_CHECK_OK(bloc_party_lookup("CON", &parties[0]));
	BLOC_CHECK_OK(bloc_party_lookup("LAB", &parties[1]));
	BLOC_CHECK_OK(bloc_party_lookup("SPK", &parties[2]));
	tot = (bloc_totals){1, 3, groups, parties, votes, seats, share, valid, electorate, nseats};
	BLOC_CHECK_INT_EQ(bloc_render_totals(&t, c, &tot, 9), BLOC_EINVAL);
	BLOC_CHECK_OK(bloc_render_totals(&t, c, &tot, BLOC_BY_UK));
	out = render(t, BLOC_FORMAT_CSV);
	BLOC_CHECK_STR_EQ(out, "party,seats,votes,share\n"
	                       "LAB,1,350,38.89\n"
	                       "SPK,1,300,33.33\n"
	                       "CON,0,200,22.22\n");
	free(out);
	bloc_table_free(t);
	BLOC_CHECK_OK(bloc_render_totals(&t, c, &tot, BLOC_BY_NATION));
	BLOC_CHECK_STR_EQ(bloc_table_column_name(t, 0), "nation");
	bloc_table_free(t);
	bloc_contest_free(c);
}

BLOC_TEST(swing_ends_with_a_total_row)
{
	bloc_contest *c = tiny_contest();
	bloc_seat_results r;
	size_t from_seat[1] = {0}, to_seat[1] = {0};
	double af[1] = {60}, at[1] = {50}, bf[1] = {30}, bt[1] = {40}, bu[1] = {10},
	       st[1] = {11.11};
	bloc_swing s;
	bloc_table *t = NULL;
	char *out;

	BLOC_REQUIRE(c);
	r = tiny_results(c);
	memset(&s, 0, sizeof(s));
	s.n = 1;
	s.from_seat = from_seat;
	s.to_seat = to_seat;
	s.a = c->cand_party[0];
	s.b = c->cand_party[1];
	s.a_from = af, s.a_to = at, s.b_from = bf, s.b_to = bt, s.butler = bu, s.steed = st;
	s.total_a_from = 60, s.total_a_to = 50, s.total_b_from = 30, s.total_b_to = 40;
	s.total_butler = 10, s.total_steed = 11.111;
	BLOC_CHECK_OK(bloc_render_swing(&t, c, c, &r, &r, &s));
	out = render(t, BLOC_FORMAT_CSV);
	BLOC_CHECK_STR_EQ(out,
	                  "code,name,winner_from,winner_to,butler,steed,a_from,a_to,b_from,b_to\n"
	                  "E14000001,Alpha,LAB,LAB,10.00,11.11,60.00,50.00,30.00,40.00\n"
	                  "TOTAL,all shared seats,,,10.00,11.11,60.00,50.00,30.00,40.00\n");
	free(out);
	bloc_table_free(t);
	bloc_contest_free(c);
}

BLOC_TEST(targets_honour_the_limit)
{
	bloc_contest *c = tiny_contest();
	size_t seat[2] = {0, 1};
	bloc_party holder[2];
	double need[2] = {12.5, 50}, ps[2] = {33.33, 0}, hs[2] = {58.33, 100};
	bloc_targets tg = {2, seat, holder, need, ps, hs};
	bloc_table *t = NULL;
	char *out;

	BLOC_REQUIRE(c);
	holder[0] = c->cand_party[0];
	holder[1] = c->cand_party[c->cand_off[1]];
	BLOC_CHECK_OK(bloc_render_targets(&t, c, &tg, c->cand_party[1], 1));
	out = render(t, BLOC_FORMAT_CSV);
	BLOC_CHECK_STR_EQ(out, "rank,code,name,holder,swing_needed,party_share,holder_share\n"
	                       "1,E14000001,Alpha,LAB,12.50,33.33,58.33\n");
	free(out);
	bloc_table_free(t);
	bloc_contest_free(c);
}

BLOC_TEST(indices_and_wasted_votes)
{
	bloc_contest *c = tiny_contest();
	bloc_party parties[1];
	int64_t wasted[1] = {249};
	double wasted_pct[1] = {100.0 * 249 / 900};
	bloc_indices x = {1.5, 2.25, 2.8, 1.0, 1, parties, wasted, wasted_pct, 249};
	bloc_table *t = NULL;
	char *out;

	BLOC_REQUIRE(c);
	parties[0] = c->cand_party[0];
	BLOC_CHECK_OK(bloc_render_indices(&t, c, &x));
	out = render(t, BLOC_FORMAT_CSV);
	BLOC_CHECK_STR_EQ(out, "index,value\ngallagher,1.5000\nloosemore_hanby,2.2500\n"
	                       "enp_votes,2.8000\nenp_seats,1.0000\n");
	free(out);
	bloc_table_free(t);
	BLOC_CHECK_OK(bloc_render_wasted(&t, c, &x));
	out = render(t, BLOC_FORMAT_CSV);
	BLOC_CHECK_STR_EQ(out, "party,wasted,wasted_pct\nLAB,249,27.67\nTOTAL,249,27.67\n");
	free(out);
	bloc_table_free(t);
	bloc_contest_free(c);
}

/* ---- forecast map and chart ------------------------------------------------------------------ */

/* Three seats: Alpha (safe LAB), Beta & Gamma (lean CON), Delta (no candidate counted). */
static bloc_contest *forecast_contest(void)
{
	static const char *const code[3] = {"E14000001", "E14000002", "E14000003"};
	static const char *const name[3] = {"Alpha", "Beta & Gamma", "Delta"};
	bloc__builder *b = NULL;
	bloc_contest *c = NULL;
	bloc_party lab, con;
	size_t s, idx;
	int created;

	if (bloc_party_lookup("LAB", &lab) < 0 || bloc_party_lookup("CON", &con) < 0 ||
	    bloc__builder_new(&b, "forecast.csv") < 0)
		return NULL;
	for (s = 0; s < 3; s++) {
		if (bloc__builder_seat(b, code[s], name[s], "North East", "England", s + 2, &idx,
		                       &created) < 0 ||
		    bloc__builder_candidate(b, idx, lab, "Lab", "", 300 - 100 * (int64_t)s, 0) <
		        0 ||
		    bloc__builder_candidate(b, idx, con, "Con", "", 200, 0) < 0)
			goto done;
		bloc__builder_seat_figures(b, idx, 1000, -1, -1);
	}
	bloc__builder_finish(b, "fc", "2024-07-04", "canonical", BLOC_CONTEST_GENERAL, &c);
done:
	bloc__builder_free(b);
	return c;
}

static bloc_hexmap *forecast_hexmap(const bloc_contest *c)
{
	static const char doc[] = "{\"layout\":\"odd-r\",\"hexes\":{"
	                          "\"E14000001\":{\"q\":0,\"r\":0,\"n\":\"Alpha\"},"
	                          "\"E14000002\":{\"q\":1,\"r\":0,\"n\":\"Beta & Gamma\"},"
	                          "\"E14000003\":{\"q\":0,\"r\":1,\"n\":\"Delta\"}}}";
	bloc_hexmap *m = NULL;

	if (bloc_hexjson_load_mem(&m, doc, strlen(doc), "forecast.hexjson", NULL) < 0)
		return NULL;
	if (bloc_hexmap_align(m, c) < 0) {
		bloc_hexmap_free(m);
		return NULL;
	}
	return m;
}

/* Columns LAB, CON, LD; 100 simulations of 3 seats. */
static uint64_t fc_wins_[9] = {97, 3, 0, 38, 62, 0, 0, 0, 0};
static uint64_t fc_seats_[12] = {0, 5, 60, 35, 5, 70, 25, 0, 100, 0, 0, 0};
static double fc_median_[3] = {2, 1, 0}, fc_mean_[3] = {2.3, 1.2, 0};
static double fc_lo50_[3] = {2, 1, 0}, fc_hi50_[3] = {3, 1, 0};
static double fc_lo90_[3] = {1, 0, 0}, fc_hi90_[3] = {3, 2, 0};
static double fc_pmaj_[3] = {0.95, 0.25, 0};
static size_t fc_fav_[3] = {0, 1, SIZE_MAX};
static double fc_pfav_[3] = {0.97, 0.62, NAN};
static int fc_cls_[3] = {BLOC_CLASS_SAFE, BLOC_CLASS_LEAN, BLOC_CLASS_TOSSUP};

static void forecast_fixture(bloc_forecast *f, bloc_forecast_summary *sm, bloc_party *parties)
{
	bloc_party_lookup("LAB", &parties[0]);
	bloc_party_lookup("CON", &parties[1]);
	bloc_party_lookup("LD", &parties[2]);
	memset(f, 0, sizeof(*f));
	f->nseats = 3;
	f->nparties = 3;
	f->sims = f->kept = 100;
	f->wins = fc_wins_;
	f->seats = fc_seats_;
	memset(sm, 0, sizeof(*sm));
	sm->nseats = 3;
	sm->nparties = 3;
	sm->kept = 100;
	sm->median = fc_median_;
	sm->mean = fc_mean_;
	sm->lo50 = sm->lo80 = fc_lo50_;
	sm->hi50 = sm->hi80 = fc_hi50_;
	sm->lo90 = fc_lo90_;
	sm->hi90 = fc_hi90_;
	sm->p_majority = fc_pmaj_;
	sm->favourite = fc_fav_;
	sm->p_favourite = fc_pfav_;
	sm->cls = fc_cls_;
}

/* Is `doc` well-formed as far as its elements go: every start tag closed in order, attributes
 * quoted, every '&' an entity? */
static int xml_balanced(const char *doc)
{
	const char *stack[64], *p = doc;
	size_t len[64], depth = 0, n;

	while ((p = strpbrk(p, "<&")) != NULL) {
		if (*p == '&') {
			if (strncmp(p, "&amp;", 5) && strncmp(p, "&lt;", 4) &&
			    strncmp(p, "&gt;", 4) && strncmp(p, "&quot;", 6) && strncmp(p, "&#", 2))
				return 0;
			p++;
			continue;
		}
		if (p[1] == '?') {
			if (!(p = strstr(p, "?>")))
				return 0;
			continue;
		}
		if (p[1] == '/') {
			n = strcspn(p + 2, ">");
			if (!depth || n != len[depth - 1] || strncmp(p + 2, stack[depth - 1], n))
				return 0;
			depth--;
			p += 2 + n;
			continue;
		}
		n = strcspn(p + 1, " />\n");
		{
			const char *q = p + 1 + n;
			int quoted = 0;
			for (; *q && (quoted || *q != '>'); q++)
				if (*q == '"')
					quoted = !quoted;
				else if (quoted && (*q == '<' || *q == '>'))
					return 0;
			if (!*q)
				return 0;
			if (q[-1] != '/') {
				if (depth == 64)
					return 0;
				stack[depth] = p + 1;
				len[depth++] = n;
			}
			p = q;
		}
	}
	return depth == 0;
}

static size_t occurrences(const char *hay, const char *needle)
{
	size_t n = 0;

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

BLOC_TEST(forecast_map_svg)
{
	bloc_contest *c = forecast_contest();
	bloc_hexmap *m = c ? forecast_hexmap(c) : NULL;
	bloc_forecast f;
	bloc_forecast_summary sm;
	bloc_party parties[3];
	bloc_buf a = BLOC_BUF_INIT, b = BLOC_BUF_INIT;
	char want[200], lean[8];
	const char *svg;

	BLOC_REQUIRE(c && m);
	forecast_fixture(&f, &sm, parties);
	BLOC_CHECK_OK(bloc_render_forecast_map(&a, m, c, &sm, parties, NULL));
	svg = bloc_buf_cstr(&a);
	BLOC_REQUIRE(a.len > 0);
	BLOC_CHECK(strncmp(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\" ", 40) == 0);
	BLOC_CHECK(xml_balanced(svg));
	BLOC_CHECK_INT_EQ(occurrences(svg, "<path class=\"hex\""), 3);
	BLOC_CHECK_CONTAINS(svg, "Forecast: the favourite in each seat, fc</title>");
	/* the seat names, favourite, probability and class in each hex's title */
	BLOC_CHECK_CONTAINS(svg, "<title>Alpha (E14000001): LAB 0.97 (safe)</title>");
	BLOC_CHECK_CONTAINS(svg, "<title>Beta &amp; Gamma (E14000002): CON 0.62 (lean)</title>");
	BLOC_CHECK_CONTAINS(svg, "<title>Delta (E14000003): no favourite (no candidates)</title>");
	/* safe: the party's colour itself; lean: half mixed with white; none: grey */
	snprintf(want, sizeof(want), "fill=\"%s\" data-code=\"E14000001\" data-party=\"LAB\"",
	         bloc_party_colour(parties[0]));
	BLOC_CHECK_CONTAINS(svg, want);
	bloc__colour_mix(lean, "#FFFFFF", bloc_party_colour(parties[1]), 0.5);
	snprintf(want, sizeof(want), "fill=\"%s\" data-code=\"E14000002\" data-party=\"CON\"",
	         lean);
	BLOC_CHECK_CONTAINS(svg, want);
	BLOC_CHECK_CONTAINS(svg, "fill=\"" BLOC_MAP_NO_DATA "\" data-code=\"E14000003\"><title>");
	/* the legend: favourites, classes, seats without one */
	BLOC_CHECK_CONTAINS(svg, ">Labour (1)</text>");
	BLOC_CHECK_CONTAINS(svg, ">Conservative (1)</text>");
	BLOC_CHECK(strstr(svg, "Liberal Democrat") == NULL);
	BLOC_CHECK_CONTAINS(svg, ">safe: 0.95 or more</text>");
	BLOC_CHECK_CONTAINS(svg, ">toss-up: under 0.60</text>");
	BLOC_CHECK_CONTAINS(svg, ">no favourite (1)</text>");
	/* the same bytes twice, appended after what the buffer held; a given title */
	bloc_buf_puts(&b, "<div>");
	BLOC_CHECK_OK(bloc_render_forecast_map(&b, m, c, &sm, parties, NULL));
	BLOC_CHECK(b.len == a.len + 5 && memcmp(b.ptr + 5, a.ptr, a.len) == 0);
	bloc_buf_clear(&b);
	BLOC_CHECK_OK(bloc_render_forecast_map(&b, m, c, &sm, parties, "Who leads <where>"));
	BLOC_CHECK_CONTAINS(bloc_buf_cstr(&b), ">Who leads &lt;where&gt;</text>");
	/* a summary of other seats is refused, the buffer untouched */
	bloc_buf_clear(&b);
	sm.nseats = 2;
	BLOC_CHECK_INT_EQ(bloc_render_forecast_map(&b, m, c, &sm, parties, NULL), BLOC_EINVAL);
	BLOC_CHECK_INT_EQ(b.len, 0);
	sm.nseats = 3;
	/* out of memory anywhere: BLOC_ENOMEM and nothing appended (or a note line left out) */
	{
		unsigned long n;
		for (n = 1; n < 10000; n++) {
			int err;
			bloc_buf_clear(&b);
			bloc__alloc_fail_after(n);
			err = bloc_render_forecast_map(&b, m, c, &sm, parties, NULL);
			if (bloc__alloc_fail_pending()) {
				bloc__alloc_fail_after(0);
				BLOC_CHECK_OK(err);
				break;
			}
			bloc__alloc_fail_after(0);
			BLOC_CHECK(err == BLOC_OK || err == BLOC_ENOMEM);
			if (err == BLOC_ENOMEM && b.err == 0)
				BLOC_CHECK_INT_EQ(b.len, 0);
		}
		BLOC_CHECK(n > 5 && n < 10000);
	}
	bloc_buf_dispose(&a);
	bloc_buf_dispose(&b);
	bloc_hexmap_free(m);
	bloc_contest_free(c);
}

BLOC_TEST(forecast_chart_svg)
{
	bloc_forecast f;
	bloc_forecast_summary sm;
	bloc_party parties[3];
	bloc_buf a = BLOC_BUF_INIT, b = BLOC_BUF_INIT;
	const char *svg, *lab, *con;

	forecast_fixture(&f, &sm, parties);
	BLOC_CHECK_OK(bloc_render_forecast_chart(&a, &f, &sm, parties, 2, NULL));
	svg = bloc_buf_cstr(&a);
	BLOC_REQUIRE(a.len > 0);
	BLOC_CHECK(strncmp(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\" ", 40) == 0);
	BLOC_CHECK(xml_balanced(svg));
	BLOC_CHECK_CONTAINS(svg, "Forecast: seats by party in 100 simulations</title>");
	/* LAB (median 2) above CON (median 1); LD (no seat in its 90% interval) left out */
	lab = strstr(svg, "data-party=\"LAB\"");
	con = strstr(svg, "data-party=\"CON\"");
	BLOC_CHECK(lab && con && lab < con);
	BLOC_CHECK(strstr(svg, "data-party=\"LD\"") == NULL);
	BLOC_CHECK_INT_EQ(occurrences(svg, "<g class=\"party\""), 2);
	BLOC_CHECK_CONTAINS(svg, "<title>Labour: median 2 seats; 50% interval 2 to 3; 90% interval "
	                         "1 to 3; p(majority) 0.950</title>");
	BLOC_CHECK_CONTAINS(svg, ">median 1, 90% 0-2</text>");
	/* three shades of each party's histogram, the full one its own colour */
	BLOC_CHECK_INT_EQ(occurrences(svg, "<path fill="), 6);
	{
		char want[64];
		snprintf(want, sizeof(want), "<path fill=\"%s\"", bloc_party_colour(parties[0]));
		BLOC_CHECK_CONTAINS(svg, want);
	}
	BLOC_CHECK_CONTAINS(svg, ">majority: 2</text>");
	BLOC_CHECK_CONTAINS(svg, ">seats</text>");
	/* the same bytes twice; 0 = a majority of half the seats + 1 */
	BLOC_CHECK_OK(bloc_render_forecast_chart(&b, &f, &sm, parties, 2, NULL));
	BLOC_CHECK(a.len == b.len && memcmp(a.ptr, b.ptr, a.len) == 0);
	bloc_buf_clear(&b);
	BLOC_CHECK_OK(bloc_render_forecast_chart(&b, &f, &sm, parties, 0, "Seats & more"));
	BLOC_CHECK_CONTAINS(bloc_buf_cstr(&b), ">majority: 2</text>");
	BLOC_CHECK_CONTAINS(bloc_buf_cstr(&b), ">Seats &amp; more</text>");
	/* refused: no simulation, shapes that differ, no party to draw */
	bloc_buf_clear(&b);
	f.kept = 0;
	BLOC_CHECK_INT_EQ(bloc_render_forecast_chart(&b, &f, &sm, parties, 2, NULL), BLOC_EINVAL);
	f.kept = 100;
	f.nparties = 2;
	BLOC_CHECK_INT_EQ(bloc_render_forecast_chart(&b, &f, &sm, parties, 2, NULL), BLOC_EINVAL);
	f.nparties = 3;
	{
		double none[3] = {0, 0, 0};
		double *hi90 = sm.hi90;
		sm.hi90 = none;
		BLOC_CHECK_INT_EQ(bloc_render_forecast_chart(&b, &f, &sm, parties, 2, NULL),
		                  BLOC_EINVAL);
		BLOC_CHECK_CONTAINS(bloc_error_last(), "90% interval");
		sm.hi90 = hi90;
	}
	BLOC_CHECK_INT_EQ(b.len, 0);
	/* out of memory anywhere: as the map */
	{
		unsigned long n;
		for (n = 1; n < 10000; n++) {
			int err;
			bloc_buf_clear(&b);
			bloc__alloc_fail_after(n);
			err = bloc_render_forecast_chart(&b, &f, &sm, parties, 2, NULL);
			if (bloc__alloc_fail_pending()) {
				bloc__alloc_fail_after(0);
				BLOC_CHECK_OK(err);
				break;
			}
			bloc__alloc_fail_after(0);
			BLOC_CHECK(err == BLOC_OK || err == BLOC_ENOMEM);
			if (err == BLOC_ENOMEM && b.err == 0)
				BLOC_CHECK_INT_EQ(b.len, 0);
		}
		BLOC_CHECK(n > 1 && n < 10000);
	}
	bloc_buf_dispose(&a);
	bloc_buf_dispose(&b);
}

/* ---- the simulated by-election and the sweep ------------------------------------------------ */

/* The number after `prefix` at its first occurrence in `from` (NaN if none). */
static double number_after(const char *from, const char *prefix)
{
	const char *p = from ? strstr(from, prefix) : NULL;

	return p ? strtod(p + strlen(prefix), NULL) : NAN;
}

static int starts_with(const char *s, const char *prefix)
{
	return s && strncmp(s, prefix, strlen(prefix)) == 0;
}

/* The x of the axis's tick labelled `label` (NaN if none). */
static double tick_x(const char *svg, const char *label)
{
	char needle[64];
	const char *p, *q;

	snprintf(needle, sizeof(needle), "fill=\"#555555\">%s</text>", label);
	if (!(p = strstr(svg, needle)))
		return NAN;
	for (q = p; q > svg && strncmp(q, "<text x=\"", 9) != 0; q--)
		;
	return strtod(q + 9, NULL);
}

/* Replicate shares: CON 1..100 in a shuffled order, IND about 11, LAB 58..62 (mean 60). */
static double sim_con_[100], sim_ind_[100], sim_lab_[100];

static void sim_fixture(bloc_chart_sim_row rows[3])
{
	size_t i;

	for (i = 0; i < 100; i++) {
		sim_con_[i] = (double)((i * 37) % 100 + 1);
		sim_ind_[i] = 10 + (double)(i % 3);
		sim_lab_[i] = 58 + (double)(i % 5);
	}
	memset(rows, 0, 3 * sizeof(*rows));
	bloc_party_lookup("CON", &rows[0].party);
	rows[0].shares = sim_con_;
	rows[0].base = 45;
	rows[0].actual = NAN;
	rows[0].p_win = 0.266;
	bloc_party_lookup("IND", &rows[1].party);
	rows[1].label = "Jane <Doe> & co";
	rows[1].shares = sim_ind_;
	rows[1].base = NAN;
	rows[1].actual = NAN;
	rows[1].p_win = 0;
	bloc_party_lookup("LAB", &rows[2].party);
	rows[2].shares = sim_lab_;
	rows[2].base = 55.5;
	rows[2].actual = 58;
	rows[2].p_win = 0.734;
}

BLOC_TEST(simulate_chart_svg)
{
	bloc_chart_sim_row rows[3];
	bloc_chart_options o = BLOC_CHART_OPTIONS_INIT;
	bloc_buf a = BLOC_BUF_INIT, b = BLOC_BUF_INIT;
	const char *svg, *lab, *con, *ind;
	double x0, x100;

	sim_fixture(rows);
	BLOC_CHECK_OK(bloc_chart_simulate(&a, 3, rows, 100, NULL));
	svg = bloc_buf_cstr(&a);
	BLOC_REQUIRE(a.len > 0);
	BLOC_CHECK(strncmp(svg, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=", 50) ==
	           0);
	BLOC_CHECK(xml_balanced(svg));
	BLOC_CHECK_CONTAINS(svg, ">Simulated vote shares</title>");
	/* one row per candidate, the largest mean first: LAB 60, CON 50.5, IND 11 */
	BLOC_CHECK_INT_EQ(occurrences(svg, "<g class=\"candidate\""), 3);
	lab = strstr(svg, "data-party=\"LAB\"");
	con = strstr(svg, "data-party=\"CON\"");
	ind = strstr(svg, "data-party=\"IND\"");
	BLOC_REQUIRE(lab && con && ind);
	BLOC_CHECK(lab < con && con < ind);
	/* the 90% interval: sorted, the values at index round(0.05 x 99) = 5 and round(0.95 x 99)
	 * = 94 */
	BLOC_CHECK(starts_with(con, "data-party=\"CON\" data-mean=\"50.50\" data-lo=\"6.00\" "
	                            "data-hi=\"95.00\" data-p-win=\"0.266\">"));
	BLOC_CHECK(starts_with(lab, "data-party=\"LAB\" data-mean=\"60.00\" data-lo=\"58.00\" "
	                            "data-hi=\"62.00\" data-p-win=\"0.734\">"));
	/* and where they are drawn: the axis runs 0 to 100 (its labels placed to 0.1 px, a point
	 * about 4 px) */
	x0 = tick_x(svg, "0");
	x100 = tick_x(svg, "100");
	BLOC_REQUIRE(isfinite(x0) && isfinite(x100) && x100 > x0);
	BLOC_CHECK_NEAR(number_after(con, "<line class=\"interval\" x1=\""),
	                x0 + 0.06 * (x100 - x0), 0, 0.1);
	BLOC_CHECK_NEAR(number_after(strstr(con, "<line class=\"interval\""), "\" x2=\""),
	                x0 + 0.95 * (x100 - x0), 0, 0.1);
	BLOC_CHECK_NEAR(number_after(con, "<circle class=\"mean\" cx=\""), x0 + 0.505 * (x100 - x0),
	                0, 0.1);
	BLOC_CHECK_NEAR(number_after(con, "<circle class=\"base\" cx=\""), x0 + 0.45 * (x100 - x0),
	                0, 0.1);
	BLOC_CHECK_NEAR(number_after(lab, "<path class=\"actual\" fill=\"#000000\" d=\"M"),
	                x0 + 0.58 * (x100 - x0), 0, 0.1);
	/* markers: a histogram, interval and mean each; a base for two; the actual result for one
	 */
	BLOC_CHECK_INT_EQ(occurrences(svg, "<path class=\"replicates\""), 3);
	BLOC_CHECK_INT_EQ(occurrences(svg, "<line class=\"interval\""), 3);
	BLOC_CHECK_INT_EQ(occurrences(svg, "class=\"mean\""), 3);
	BLOC_CHECK_INT_EQ(occurrences(svg, "class=\"base\""), 2);
	BLOC_CHECK_INT_EQ(occurrences(svg, "class=\"actual\""), 1);
	BLOC_CHECK(strstr(lab, "class=\"actual\"") < con);
	BLOC_CHECK_CONTAINS(svg, ">actual result</text>");
	BLOC_CHECK_CONTAINS(svg, ">share in the base contest</text>");
	BLOC_CHECK_CONTAINS(svg, ">p_win 0.73</text>");
	BLOC_CHECK_CONTAINS(svg, ">p_win 0.00</text>");
	BLOC_CHECK_CONTAINS(svg, ">mean 50.5, 90% 6.0-95.0</text>");
	BLOC_CHECK_CONTAINS(svg, ">Jane &lt;Doe&gt; &amp; co</text>");
	BLOC_CHECK_CONTAINS(svg, ">Conservative</text>");
	BLOC_CHECK_CONTAINS(svg, ">vote share (points)</text>");
	/* the same bytes twice, appended after what the buffer held */
	bloc_buf_puts(&b, "<div>");
	BLOC_CHECK_OK(bloc_chart_simulate(&b, 3, rows, 100, NULL));
	BLOC_CHECK(b.len == a.len + 5 && memcmp(b.ptr + 5, a.ptr, a.len) == 0);
	/* no real result: no diamond, nor its legend; no base: no ring */
	rows[2].actual = NAN;
	rows[0].base = rows[2].base = NAN;
	bloc_buf_clear(&b);
	BLOC_CHECK_OK(bloc_chart_simulate(&b, 3, rows, 100, NULL));
	BLOC_CHECK(xml_balanced(bloc_buf_cstr(&b)));
	BLOC_CHECK_INT_EQ(occurrences(bloc_buf_cstr(&b), "class=\"actual\""), 0);
	BLOC_CHECK_INT_EQ(occurrences(bloc_buf_cstr(&b), "actual"), 0);
	BLOC_CHECK_INT_EQ(occurrences(bloc_buf_cstr(&b), "base"), 0);
	/* inline, with a title, an id and a width */
	o.standalone = 0;
	o.id = "sim";
	o.title = "Runcorn & Helsby";
	o.width = 500;
	bloc_buf_clear(&b);
	BLOC_CHECK_OK(bloc_chart_simulate(&b, 3, rows, 100, &o));
	BLOC_CHECK(strncmp(bloc_buf_cstr(&b), "<svg width=\"500\" ", 17) == 0);
	BLOC_CHECK(strstr(bloc_buf_cstr(&b), "xmlns") == NULL);
	BLOC_CHECK_CONTAINS(bloc_buf_cstr(&b), "id=\"sim\"");
	BLOC_CHECK_CONTAINS(bloc_buf_cstr(&b), ">Runcorn &amp; Helsby</text>");
	BLOC_CHECK(xml_balanced(bloc_buf_cstr(&b)));
	/* refused, the buffer untouched: nothing to draw, a share that is not a number */
	bloc_buf_clear(&b);
	bloc_buf_puts(&b, "x");
	BLOC_CHECK_INT_EQ(bloc_chart_simulate(&b, 0, rows, 100, NULL), BLOC_EINVAL);
	BLOC_CHECK_CONTAINS(bloc_error_last(), "no candidate");
	BLOC_CHECK_INT_EQ(bloc_chart_simulate(&b, 3, rows, 0, NULL), BLOC_EINVAL);
	BLOC_CHECK_CONTAINS(bloc_error_last(), "no replicate");
	sim_ind_[7] = NAN;
	BLOC_CHECK_INT_EQ(bloc_chart_simulate(&b, 3, rows, 100, NULL), BLOC_EINVAL);
	BLOC_CHECK_CONTAINS(bloc_error_last(), "candidate 2 (Jane <Doe> & co), replicate 8");
	sim_ind_[7] = 10;
	rows[1].shares = NULL;
	BLOC_CHECK_INT_EQ(bloc_chart_simulate(&b, 3, rows, 100, NULL), BLOC_EINVAL);
	rows[1].shares = sim_ind_;
	BLOC_CHECK_INT_EQ(b.len, 1);
	/* one replicate: its share is the mean and both ends of the interval */
	bloc_buf_clear(&b);
	BLOC_CHECK_OK(bloc_chart_simulate(&b, 3, rows, 1, NULL));
	BLOC_CHECK_CONTAINS(bloc_buf_cstr(&b),
	                    "data-mean=\"1.00\" data-lo=\"1.00\" data-hi=\"1.00\"");
	/* out of memory anywhere: BLOC_ENOMEM and nothing appended */
	{
		unsigned long n;
		for (n = 1; n < 10000; n++) {
			int err;
			bloc_buf_clear(&b);
			bloc__alloc_fail_after(n);
			err = bloc_chart_simulate(&b, 3, rows, 100, NULL);
			if (bloc__alloc_fail_pending()) {
				bloc__alloc_fail_after(0);
				BLOC_CHECK_OK(err);
				break;
			}
			bloc__alloc_fail_after(0);
			BLOC_CHECK(err == BLOC_OK || err == BLOC_ENOMEM);
			if (err == BLOC_ENOMEM && b.err == 0)
				BLOC_CHECK_INT_EQ(b.len, 0);
		}
		BLOC_CHECK(n > 3 && n < 10000);
	}
	bloc_buf_dispose(&a);
	bloc_buf_dispose(&b);
}

BLOC_TEST(sweep_chart_svg)
{
	static const double x[4] = {0.1, 0.2, 0.3, 0.4};
	/* LAB, CON at each value */
	static const double share[8] = {40, 30, 42, 29, 45, 27, 47, 25};
	double target[2] = {46, NAN}, bad[4], px[4], py[4];
	bloc_party parties[2];
	bloc_chart_options o = BLOC_CHART_OPTIONS_INIT;
	bloc_buf a = BLOC_BUF_INIT, b = BLOC_BUF_INIT;
	const char *svg, *lab, *con, *p;
	size_t i;

	bloc_party_lookup("LAB", &parties[0]);
	bloc_party_lookup("CON", &parties[1]);
	BLOC_CHECK_OK(bloc_chart_sweep(&a, 4, x, 2, parties, share, NULL, NULL));
	svg = bloc_buf_cstr(&a);
	BLOC_REQUIRE(a.len > 0);
	BLOC_CHECK(xml_balanced(svg));
	BLOC_CHECK_CONTAINS(svg, ">Mean simulated share by value</title>");
	BLOC_CHECK_CONTAINS(svg, ">value</text>");
	/* a line per candidate, in the order given, through a dot at each value */
	BLOC_CHECK_INT_EQ(occurrences(svg, "<g class=\"candidate\""), 2);
	BLOC_CHECK_INT_EQ(occurrences(svg, "<polyline"), 2);
	BLOC_CHECK_INT_EQ(occurrences(svg, "<circle cx="), 8);
	lab = strstr(svg, "<g class=\"candidate\" data-party=\"LAB\"");
	con = strstr(svg, "<g class=\"candidate\" data-party=\"CON\"");
	BLOC_REQUIRE(lab && con);
	BLOC_CHECK(lab < con);
	BLOC_CHECK_CONTAINS(svg, ">Labour, value 0.3: 45.0</title>");
	/* no targets: nothing dashed */
	BLOC_CHECK_INT_EQ(occurrences(svg, "class=\"target\""), 0);
	BLOC_CHECK_INT_EQ(occurrences(svg, "stroke-dasharray"), 0);
	BLOC_CHECK(strstr(svg, "real result") == NULL);
	/* where LAB's points are: at the x ticks 0.10 ... 0.40, equally spaced */
	p = strstr(lab, "points=\"");
	BLOC_REQUIRE(p);
	p += 8;
	for (i = 0; i < 4; i++) {
		char *end;
		px[i] = strtod(p, &end);
		BLOC_REQUIRE(*end == ',');
		py[i] = strtod(end + 1, &end);
		p = end;
	}
	BLOC_CHECK(*p == '"');
	BLOC_CHECK_NEAR(px[0], tick_x(svg, "0.10"), 0, 0.06);
	BLOC_CHECK_NEAR(px[3], tick_x(svg, "0.40"), 0, 0.06);
	BLOC_CHECK_NEAR(px[2] - px[1], px[1] - px[0], 0, 0.02);
	BLOC_CHECK(py[3] < py[2] && py[2] < py[1] && py[1] < py[0]); /* rising share, up */
	/* a target for LAB only: one dashed line, at 46 (halfway between its points at 45 and
	 * 47), and its legend */
	bloc_buf_clear(&a);
	BLOC_CHECK_OK(bloc_chart_sweep(&a, 4, x, 2, parties, share, target, NULL));
	svg = bloc_buf_cstr(&a);
	BLOC_CHECK(xml_balanced(svg));
	BLOC_CHECK_INT_EQ(occurrences(svg, "<g class=\"target\">"), 1);
	BLOC_CHECK_INT_EQ(occurrences(svg, "stroke-dasharray"), 2);
	BLOC_CHECK_CONTAINS(svg, ">real result (dashed)</text>");
	BLOC_CHECK_CONTAINS(svg, "<title>Labour: real result 46.0</title>");
	lab = strstr(svg, "<g class=\"candidate\" data-party=\"LAB\"");
	BLOC_CHECK_NEAR(number_after(strstr(lab, "<g class=\"target\">"), " y1=\""),
	                (py[2] + py[3]) / 2, 0, 0.011);
	/* every target NaN: as none */
	target[0] = NAN;
	BLOC_CHECK_OK(bloc_chart_sweep(&b, 4, x, 2, parties, share, target, NULL));
	BLOC_CHECK_INT_EQ(occurrences(bloc_buf_cstr(&b), "stroke-dasharray"), 0);
	/* the parameter's name, inline */
	o.x_label = "contact-rate";
	o.standalone = 0;
	bloc_buf_clear(&b);
	BLOC_CHECK_OK(bloc_chart_sweep(&b, 4, x, 2, parties, share, NULL, &o));
	BLOC_CHECK(strncmp(bloc_buf_cstr(&b), "<svg ", 5) == 0);
	BLOC_CHECK_CONTAINS(bloc_buf_cstr(&b), ">Mean simulated share by contact-rate</title>");
	BLOC_CHECK_CONTAINS(bloc_buf_cstr(&b), ">contact-rate</text>");
	/* refused, the buffer untouched */
	bloc_buf_clear(&b);
	BLOC_CHECK_INT_EQ(bloc_chart_sweep(&b, 1, x, 2, parties, share, NULL, NULL), BLOC_EINVAL);
	BLOC_CHECK_CONTAINS(bloc_error_last(), "2 or more");
	BLOC_CHECK_INT_EQ(bloc_chart_sweep(&b, 4, x, 0, parties, share, NULL, NULL), BLOC_EINVAL);
	memcpy(bad, x, sizeof(bad));
	bad[1] = NAN;
	BLOC_CHECK_INT_EQ(bloc_chart_sweep(&b, 4, bad, 2, parties, share, NULL, NULL), BLOC_EINVAL);
	BLOC_CHECK_CONTAINS(bloc_error_last(), "value 2 of the parameter");
	{
		double s2[8];
		memcpy(s2, share, sizeof(s2));
		s2[5] = NAN;
		BLOC_CHECK_INT_EQ(bloc_chart_sweep(&b, 4, x, 2, parties, s2, NULL, NULL),
		                  BLOC_EINVAL);
		BLOC_CHECK_CONTAINS(bloc_error_last(), "candidate 2 (CON) at value 3");
	}
	BLOC_CHECK_INT_EQ(b.len, 0);
	/* out of memory anywhere */
	{
		unsigned long n;
		for (n = 1; n < 10000; n++) {
			int err;
			bloc_buf_clear(&b);
			bloc__alloc_fail_after(n);
			err = bloc_chart_sweep(&b, 4, x, 2, parties, share, target, NULL);
			if (bloc__alloc_fail_pending()) {
				bloc__alloc_fail_after(0);
				BLOC_CHECK_OK(err);
				break;
			}
			bloc__alloc_fail_after(0);
			BLOC_CHECK(err == BLOC_OK || err == BLOC_ENOMEM);
			if (err == BLOC_ENOMEM && b.err == 0)
				BLOC_CHECK_INT_EQ(b.len, 0);
		}
		BLOC_CHECK(n > 1 && n < 10000);
	}
	bloc_buf_dispose(&a);
	bloc_buf_dispose(&b);
}
