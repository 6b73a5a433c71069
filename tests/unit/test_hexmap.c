/* Hex maps, charts and the report: the real layouts in $BLOC_DATA aligned to real contests
 * (650 hexes for ge2024 after the 5 Scottish corrections and for ge2019; unique positions;
 * every seat placed), the HexJSON loader's messages on small malformed documents, the JSON
 * export, the SVG (one hex per seat, winner colours, same bytes twice), the escaping buffer,
 * charts, the HTML table writer, and a report that references nothing outside itself. */
#include "harness.h"

#include "bloc/analysis.h"
#include "bloc/buf.h"
#include "bloc/chart.h"
#include "bloc/contest.h"
#include "bloc/dataset.h"
#include "bloc/error.h"
#include "bloc/store.h"
#include "bloc/hexmap.h"
#include "bloc/io.h"
#include "bloc/render.h"
#include "bloc/report.h"
#include "core/alloc.h"

#include <fcntl.h>
#include <jansson.h>
#include <stdlib.h>
#include <unistd.h>

/* ---- helpers ------------------------------------------------------------------------------ */

static struct {
	const char *id;
	bloc_contest *c;
} contests[6];

static void free_all(void)
{
	size_t i;

	for (i = 0; i < sizeof(contests) / sizeof(contests[0]); i++)
		bloc_contest_free(contests[i].c);
}

static bloc_dataset *dataset(void)
{
	static int registered;

	if (!registered) {
		atexit(free_all); /* the contests; the harness frees the dataset */
		registered = 1;
	}
	return bloc_test_dataset();
}

static const bloc_contest *contest(const char *id)
{
	bloc_dataset *ds = dataset();
	size_t i;

	if (!ds)
		return NULL;
	for (i = 0; i < sizeof(contests) / sizeof(contests[0]) && contests[i].id; i++)
		if (strcmp(contests[i].id, id) == 0)
			return contests[i].c;
	if (i == sizeof(contests) / sizeof(contests[0])) {
		BLOC_FAIL_("test_hexmap: too many contests");
		return NULL;
	}
	if (bloc_contest_open(&contests[i].c, ds, id) < 0) {
		BLOC_FAIL_("bloc_contest_open(%s): %s", id, bloc_error_last());
		return NULL;
	}
	contests[i].id = id;
	return contests[i].c;
}

static int by_position(const void *a, const void *b)
{
	const int *x = a, *y = b;

	return x[0] != y[0] ? (x[0] < y[0] ? -1 : 1) : x[1] != y[1] ? (x[1] < y[1] ? -1 : 1) : 0;
}

/* Number of hexes sharing a position with another. */
static size_t duplicate_positions(const bloc_hexmap *m)
{
	int *pos = malloc((m->n ? m->n : 1) * 2 * sizeof(int));
	size_t i, dup = 0;

	if (!pos)
		return m->n;
	for (i = 0; i < m->n; i++) {
		pos[2 * i] = m->q[i];
		pos[2 * i + 1] = m->r[i];
	}
	qsort(pos, m->n, 2 * sizeof(int), by_position);
	for (i = 1; i < m->n; i++)
		dup += pos[2 * i] == pos[2 * i - 2] && pos[2 * i + 1] == pos[2 * i - 1];
	free(pos);
	return dup;
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

/* Open the layout of contest `id` and check what every real layout must satisfy. */
static bloc_hexmap *open_checked(const char *id, const char *layout, size_t corrected)
{
	const bloc_contest *c = contest(id);
	bloc_hexmap *m = NULL;
	size_t s, i;

	if (!c)
		return NULL;
	if (bloc_hexmap_open(&m, dataset(), c) < 0) {
		BLOC_FAIL_("bloc_hexmap_open(%s): %s", id, bloc_error_last());
		return NULL;
	}
	BLOC_CHECK_STR_EQ(m->id, layout);
	BLOC_CHECK_INT_EQ(m->n, 650);
	BLOC_CHECK_INT_EQ(m->ncorrected, corrected);
	BLOC_CHECK_INT_EQ(m->layout, BLOC_HEX_ODD_R);
	BLOC_CHECK_INT_EQ(duplicate_positions(m), 0);
	BLOC_CHECK_INT_EQ(m->nseats, c->nseats);
	BLOC_CHECK_INT_EQ(m->matched, c->nseats);
	BLOC_CHECK_INT_EQ(m->nmissing, 0);
	for (s = 0; s < c->nseats; s++) {
		long h = m->hex_of_seat[s];
		if (h < 0) {
			BLOC_FAIL_("%s: seat %s has no hex", id, c->code[s]);
			continue;
		}
		BLOC_CHECK_STR_EQ(m->code[h], c->code[s]);
		BLOC_CHECK_INT_EQ(m->seat[h], (long)s);
	}
	for (i = 1; i < m->n; i++)
		if (strcmp(m->code[i - 1], m->code[i]) >= 0)
			BLOC_FAIL_("%s: hexes not in code order at %s", layout, m->code[i]);
	return m;
}

/* ---- the real layouts --------------------------------------------------------------------- */

BLOC_TEST(hexmap_ge2024_uses_2023_layout_with_corrections)
{
	static const char *const finals[] = {"S14000107", "S14000108", "S14000109", "S14000110",
	                                     "S14000111"};
	static const char *const provisional[] = {"S14000006", "S14000008", "S14000010",
	                                          "S14000040", "S14000058"};
	bloc_hexmap *m = open_checked("ge2024", "hex2023", 5);
	size_t i, k;

	if (!m)
		return;
	BLOC_CHECK_STR_EQ(m->source, "hexmaps/uk-constituencies-2023.hexjson");
	for (k = 0; k < 5; k++) {
		int found = 0, old = 0;
		for (i = 0; i < m->n; i++) {
			if (strcmp(m->code[i], finals[k]) == 0) {
				found = 1;
				BLOC_CHECK_STR_EQ(m->file_code[i], provisional[k]);
			}
			old += strcmp(m->code[i], provisional[k]) == 0;
		}
		BLOC_CHECK(found);
		BLOC_CHECK_INT_EQ(old, 0);
	}
	BLOC_CHECK_INT_EQ(m->nboundaries, 17);
	BLOC_CHECK(m->nedges > 200);
	bloc_hexmap_free(m);
}

BLOC_TEST(hexmap_ge2019_uses_2010_layout)
{
	bloc_hexmap *m = open_checked("ge2019", "hex2010", 0);

	if (!m)
		return;
	BLOC_CHECK_STR_EQ(m->source, "hexmaps/uk-constituencies-2010-boundaries.hexjson");
	/* the 2010 layout's Scottish codes are the 2005 ones: no correction applies */
	BLOC_CHECK(bloc_contest_seat(contest("ge2019"), "S14000006") >= 0);
	bloc_hexmap_free(m);
}

BLOC_TEST(hexmap_notional_and_by_election)
{
	const bloc_contest *by = contest("by2021-batley-and-spen");
	bloc_hexmap *m = open_checked("ge2019-notional-2023", "hex2023", 5);

	bloc_hexmap_free(m);
	m = NULL;
	if (!by)
		return;
	BLOC_CHECK_OK(bloc_hexmap_open(&m, dataset(), by));
	BLOC_CHECK_STR_EQ(m->id, "hex2010");
	BLOC_CHECK_INT_EQ(m->matched, 1);
	BLOC_CHECK_INT_EQ(m->nmissing, 0);
	bloc_hexmap_free(m);
}

/* ---- the loader's messages ---------------------------------------------------------------- */

/* Load `doc`; expect failure `code` with `needle` in the message. */
static void bad(const char *doc, int code, const char *needle)
{
	bloc_hexmap *m = NULL;
	int rc = bloc_hexjson_load_mem(&m, doc, strlen(doc), "t.hexjson", NULL);

	BLOC_CHECK_INT_EQ(rc, code);
	BLOC_CHECK(m == NULL);
	BLOC_CHECK_CONTAINS(bloc_error_last(), needle);
	bloc_hexmap_free(m);
}

BLOC_TEST(hexjson_malformed)
{
	bad("{\"layout\":\"odd-r\",\"hexes\":{\"A\":{\"q\":1,\"r\":2},}}", BLOC_EPARSE,
	    "t.hexjson:1:");
	bad("[1,2]", BLOC_EPARSE, "expected a HexJSON object");
	bad("{\"hexes\":{}}", BLOC_EPARSE, "t.hexjson:1:12: layout: expected one of odd-r");
	bad("{\"layout\":\"hex\",\"hexes\":{}}", BLOC_EPARSE, "found 'hex'");
	bad("{\"layout\":\"odd-r\"}", BLOC_EPARSE,
	    "t.hexjson:1:18: expected a member \"hexes\" (an object of one hex per seat), found "
	    "the "
	    "end of the object");
	/* no hexes: an error, never an empty layout another one would stand in for */
	bad("{\"layout\":\"odd-r\",\"hexes\":{}}", BLOC_EPARSE,
	    "t.hexjson:1:27: hexes: expected at least one hex, found an empty object");
	bad("{\n  \"layout\": \"odd-r\",\n  \"hexes\": {\n  }\n}\n", BLOC_EPARSE,
	    "t.hexjson:3:12: hexes: expected at least one hex");
	bad("{\"layout\":\"odd-r\",\"x\":{\"hexes\":1},\"hexes\":\"hexes\"}", BLOC_EPARSE,
	    "t.hexjson:1:43: hexes: expected an object of one hex per seat, found a string");
	bad("{\"layout\":\"odd-r\",\"hexes\":{\"A\":{\"r\":2}}}", BLOC_EPARSE,
	    "t.hexjson: hexes.A: no 'q' coordinate");
	bad("{\"layout\":\"odd-r\",\"hexes\":{\"A\":{\"q\":\"x\",\"r\":2}}}", BLOC_EPARSE,
	    "hexes.A.q: expected an integer, found a string");
	bad("{\"layout\":\"odd-r\",\"hexes\":{\"A\":{\"q\":1,\"r\":2.5}}}", BLOC_EPARSE,
	    "hexes.A.r: expected an integer, found a real number");
	bad("{\"layout\":\"odd-r\",\"hexes\":{\"A\":{\"q\":1,\"r\":99999999}}}", BLOC_ENUMERIC,
	    "hexes.A.r: expected a coordinate");
	bad("{\"layout\":\"odd-r\",\"hexes\":{\"A\":{\"q\":1,\"r\":2,\"n\":7}}}", BLOC_EPARSE,
	    "hexes.A.n: expected a string, found an integer");
	bad("{\"layout\":\"odd-r\",\"hexes\":{\"A\":{\"q\":1,\"r\":2},\"B\":{\"q\":1,\"r\":2}}}",
	    BLOC_ENUMERIC, "hexes.A and hexes.B are both at q=1, r=2");
	bad("{\"layout\":\"odd-r\",\"hexes\":{\"A\":{\"q\":1,\"r\":2},\"A\":{\"q\":1,\"r\":3}}}",
	    BLOC_EPARSE, "t.hexjson:1:");
	bad("{\"layout\":\"odd-r\",\"hexes\":{\"A\":{\"q\":1,\"r\":2}},\"boundaries\":{\"x\":{"
	    "\"edges\":[{\"q\":1,\"r\":2,\"e\":7}]}}}",
	    BLOC_ENUMERIC, "boundaries.x.edges[0].e: expected an edge number");
	bad("{\"layout\":\"odd-r\",\"hexes\":{\"A\":{\"q\":1,\"r\":2}},\"boundaries\":{\"x\":{}}}",
	    BLOC_EPARSE, "boundaries.x.edges: expected an array, found nothing");
}

BLOC_TEST(hexjson_small_document_and_corrections)
{
	static const char doc[] =
	    "{\"layout\":\"even-q\",\"hexes\":{\"B\":{\"q\":\"2\",\"r\":\"-1\",\"n\":\"Bee\"},"
	    "\"A\":{\"q\":0,\"r\":0,\"a\":\"NW\"},\"P\":{\"q\":1,\"r\":0}},"
	    "\"boundaries\":{\"x\":{\"type\":\"region\",\"edges\":[{\"q\":0,\"r\":0,\"e\":-2},"
	    "{\"q\":0,\"r\":0,\"e\":3}]}}}";
	char path[] = "/tmp/bloc-test-corr-XXXXXX";
	bloc_hexmap *m = NULL;
	int fd;

	BLOC_CHECK_OK(bloc_hexjson_load_mem(&m, doc, strlen(doc), NULL, NULL));
	BLOC_CHECK_INT_EQ(m->n, 3);
	BLOC_CHECK_INT_EQ(m->layout, BLOC_HEX_EVEN_Q);
	BLOC_CHECK_STR_EQ(m->code[0], "A");
	BLOC_CHECK_STR_EQ(m->region[0], "NW");
	BLOC_CHECK_STR_EQ(m->name[0], "A");
	BLOC_CHECK_STR_EQ(m->name[1], "Bee");
	BLOC_CHECK_INT_EQ(m->q[1], 2);
	BLOC_CHECK_INT_EQ(m->r[1], -1);
	BLOC_CHECK_INT_EQ(m->qmin, 0);
	BLOC_CHECK_INT_EQ(m->rmin, -1);
	BLOC_CHECK_INT_EQ(m->nboundaries, 1);
	BLOC_CHECK_INT_EQ(m->nedges, 2);
	BLOC_CHECK_INT_EQ(m->edge_e[0], -2);
	BLOC_CHECK_STR_EQ(m->boundary_type[0], "region");
	BLOC_CHECK(m->seat[0] == -1 && m->nseats == 0);
	bloc_hexmap_free(m);
	m = NULL;

	/* corrections: P becomes Z; a correction onto an existing code is an error */
	if ((fd = mkstemp(path)) < 0) {
		BLOC_FAIL_("mkstemp failed");
		return;
	}
	BLOC_CHECK(write(fd, "provisional_code,final_code\nP,Z\n", 32) == 32);
	close(fd);
	BLOC_CHECK_OK(bloc_hexjson_load_mem(&m, doc, strlen(doc), NULL, path));
	BLOC_CHECK_INT_EQ(m->ncorrected, 1);
	BLOC_CHECK_STR_EQ(m->code[2], "Z");
	BLOC_CHECK_STR_EQ(m->file_code[2], "P");
	bloc_hexmap_free(m);
	m = NULL;
	fd = open(path, O_WRONLY | O_TRUNC);
	BLOC_CHECK(fd >= 0 && write(fd, "provisional_code,final_code\nP,A\n", 32) == 32);
	if (fd >= 0)
		close(fd);
	BLOC_CHECK_INT_EQ(bloc_hexjson_load_mem(&m, doc, strlen(doc), "t", path), BLOC_EPARSE);
	BLOC_CHECK_CONTAINS(bloc_error_last(), "hexes.A and hexes.P both have the code A");
	bloc_hexmap_free(m);
	unlink(path);
	BLOC_CHECK_INT_EQ(bloc_hexjson_load(&m, "/no/such/file.hexjson", NULL), BLOC_EIO);
	BLOC_CHECK_CONTAINS(bloc_error_last(), "/no/such/file.hexjson: cannot open");
}

/* ---- JSON export ---------------------------------------------------------------------------- */

BLOC_TEST(hexmap_json_export)
{
	const bloc_contest *c = contest("ge2024");
	bloc_hexmap *m = NULL;
	json_error_t jerr;
	json_t *doc, *h;
	char *text;
	long s;

	if (!c)
		return;
	BLOC_CHECK_OK(bloc_hexmap_open(&m, dataset(), c));
	text = bloc_hexmap_to_json(m, c);
	BLOC_REQUIRE(text != NULL);
	doc = json_loads(text, 0, &jerr);
	BLOC_REQUIRE(doc != NULL);
	BLOC_CHECK_STR_EQ(json_string_value(json_object_get(doc, "layout")), "odd-r");
	BLOC_CHECK_STR_EQ(json_string_value(json_object_get(doc, "id")), "hex2023");
	BLOC_CHECK_INT_EQ(json_object_size(json_object_get(doc, "hexes")), 650);
	BLOC_CHECK_INT_EQ(json_integer_value(json_object_get(doc, "matched")), 650);
	BLOC_CHECK_INT_EQ(json_integer_value(json_object_get(doc, "corrected")), 5);
	BLOC_CHECK_INT_EQ(json_array_size(json_object_get(doc, "missing")), 0);
	h = json_object_get(json_object_get(doc, "hexes"), "S14000107");
	s = bloc_contest_seat(c, "S14000107");
	BLOC_REQUIRE(h != NULL && s >= 0);
	BLOC_CHECK_STR_EQ(json_string_value(json_object_get(h, "n")), c->name[s]);
	BLOC_CHECK_INT_EQ(json_integer_value(json_object_get(h, "seat")), s);
	BLOC_CHECK(json_object_size(json_object_get(doc, "boundaries")) == 17);
	json_decref(doc);
	free(text);
	/* without a contest: no seat keys */
	text = bloc_hexmap_to_json(m, NULL);
	BLOC_REQUIRE(text != NULL);
	BLOC_CHECK(strstr(text, "\"seat\"") == NULL && strstr(text, "\"missing\"") == NULL);
	free(text);
	/* a contest it is not aligned to */
	BLOC_CHECK(bloc_hexmap_to_json(m, contest("by2021-batley-and-spen")) == NULL);
	/* as many seats, other codes */
	BLOC_CHECK(bloc_hexmap_to_json(m, contest("ge2019")) == NULL);
	BLOC_CHECK_CONTAINS(bloc_error_last(), "not aligned to contest ge2019");
	bloc_hexmap_free(m);
}

/* ---- SVG ---------------------------------------------------------------------------------- */

BLOC_TEST(hexmap_svg_winner)
{
	const bloc_contest *c = contest("ge2024");
	bloc_seat_results r = {0};
	bloc_map_layer L = {0};
	bloc_hexmap *m = NULL;
	bloc_buf a = BLOC_BUF_INIT, b = BLOC_BUF_INIT;
	size_t s;
	char want[200];
	long h;

	if (!c)
		return;
	BLOC_CHECK_OK(bloc_hexmap_open(&m, dataset(), c));
	BLOC_CHECK_OK(bloc_seat_results_compute(&r, c));
	BLOC_CHECK_OK(bloc_map_layer_winner(&L, c, &r));
	for (s = 0; s < c->nseats; s++)
		if (strcmp(L.fill[s], bloc_party_colour(r.winner_party[s])) != 0)
			BLOC_FAIL_("%s: fill %s, winner %s", c->code[s], L.fill[s],
			           bloc_party_code(r.winner_party[s]));
	BLOC_CHECK_INT_EQ(L.nlegend, 15); /* 15 parties won seats in 2024 */
	BLOC_CHECK_CONTAINS(L.legend[0].label, "Labour (411)");
	BLOC_CHECK_OK(bloc_hexmap_svg(&a, m, c, &L, NULL));
	BLOC_CHECK_OK(bloc_hexmap_svg(&b, m, c, &L, NULL));
	BLOC_CHECK(a.len == b.len && memcmp(a.ptr, b.ptr, a.len) == 0);
	BLOC_CHECK_INT_EQ(count(bloc_buf_cstr(&a), "<path class=\"hex\""), 650);
	BLOC_CHECK_INT_EQ(count(bloc_buf_cstr(&a), "data-code=\""), 650);
	BLOC_CHECK(strncmp(bloc_buf_cstr(&a), "<?xml", 5) == 0);
	/* Aldershot, as documented */
	h = bloc_contest_seat(c, "E14001063");
	BLOC_REQUIRE(h >= 0);
	snprintf(want, sizeof(want), "fill=\"%s\" data-code=\"E14001063\" data-party=\"%s\"",
	         bloc_party_colour(r.winner_party[h]), bloc_party_code(r.winner_party[h]));
	BLOC_CHECK_CONTAINS(bloc_buf_cstr(&a), want);
	BLOC_CHECK_CONTAINS(bloc_buf_cstr(&a), "<title>Aldershot (E14001063): LAB ");
	BLOC_CHECK_CONTAINS(bloc_buf_cstr(&a), "data-name=\"sc-en\"");
	/* inline: no XML declaration, no namespace */
	bloc_buf_clear(&b);
	{
		bloc_map_options o = BLOC_MAP_OPTIONS_INIT;
		o.standalone = 0;
		o.id = "m2";
		BLOC_CHECK_OK(bloc_hexmap_svg(&b, m, c, &L, &o));
		BLOC_CHECK(strncmp(bloc_buf_cstr(&b), "<svg ", 5) == 0);
		BLOC_CHECK(strstr(bloc_buf_cstr(&b), "://") == NULL);
		BLOC_CHECK_CONTAINS(bloc_buf_cstr(&b), "id=\"m2-hexes\"");
	}
	/* a layer of another contest is refused */
	{
		bloc_map_layer bad = L;
		bad.n = 1;
		BLOC_CHECK_INT_EQ(bloc_hexmap_svg(&b, m, c, &bad, NULL), BLOC_EINVAL);
	}
	bloc_buf_dispose(&a);
	bloc_buf_dispose(&b);
	bloc_map_layer_dispose(&L);
	bloc_map_layer_dispose(&L); /* twice is fine */
	bloc_seat_results_dispose(&r);
	bloc_hexmap_free(m);
}

BLOC_TEST(hexmap_layers)
{
	const bloc_contest *c = contest("ge2024");
	bloc_map_layer L = {0};
	bloc_party lab;
	long s;

	if (!c)
		return;
	BLOC_CHECK_OK(bloc_party_lookup("LAB", &lab));
	BLOC_CHECK_OK(bloc_map_layer_share(&L, c, lab));
	BLOC_CHECK_INT_EQ(L.nlegend, 8);
	s = bloc_contest_seat(c, "E14001063");
	BLOC_REQUIRE(s >= 0);
	BLOC_CHECK(L.value[s] > 30 && L.value[s] < 50);
	BLOC_CHECK_CONTAINS(L.text[s], "LAB ");
	bloc_map_layer_dispose(&L);
	/* a party that did not stand */
	{
		bloc_party brx;
		BLOC_CHECK_OK(bloc_party_lookup("BRX", &brx));
		BLOC_CHECK_INT_EQ(bloc_map_layer_share(&L, c, brx), BLOC_ENOTFOUND);
	}
}

/* ---- buffer, charts, tables, report ------------------------------------------------------- */

BLOC_TEST(buf_escapes_and_grows)
{
	bloc_buf b = BLOC_BUF_INIT;
	char *text = NULL;
	size_t len = 0, i;

	BLOC_CHECK_OK(bloc_buf_put_xml(&b, "a<b>&\"c'\x01\t\xff\xc3\xa9"));
	BLOC_CHECK_STR_EQ(bloc_buf_cstr(&b), "a&lt;b&gt;&amp;&quot;c&#39;\t\xEF\xBF\xBD\xc3\xa9");
	for (i = 0; i < 10000; i++)
		bloc_buf_printf(&b, "%zu,", i);
	BLOC_CHECK_OK(bloc_buf_check(&b));
	BLOC_CHECK_OK(bloc_buf_detach(&b, &text, &len));
	BLOC_CHECK(text && len == strlen(text) && strstr(text, "9999,") != NULL);
	BLOC_CHECK(b.ptr == NULL && b.len == 0);
	free(text);
	bloc_buf_dispose(&b);
}

BLOC_TEST(charts_parliament_and_bars)
{
	const bloc_contest *c = contest("ge2024");
	bloc_chart_options o = BLOC_CHART_OPTIONS_INIT;
	bloc_seat_results r = {0};
	bloc_totals t = {0};
	bloc_buf b = BLOC_BUF_INIT;
	bloc_chart_bar bars[3] = {
	    {"Low <", 1, NULL, NULL}, {"High & mighty", 3, "#123456", "x"}, {"Mid", 2, NULL, NULL}};
	double values[] = {1, 2, 2, 3, 3, 3, NAN, 10};
	const char *p;

	if (!c)
		return;
	BLOC_CHECK_OK(bloc_seat_results_compute(&r, c));
	BLOC_CHECK_OK(bloc_totals_compute(&t, c, &r, BLOC_BY_UK));
	BLOC_CHECK_OK(bloc_chart_parliament(&b, t.nparties, t.parties, t.seats, &o));
	BLOC_CHECK_INT_EQ(count(bloc_buf_cstr(&b), "<circle "), 650);
	BLOC_CHECK_CONTAINS(bloc_buf_cstr(&b), "326 for a majority");
	BLOC_CHECK_CONTAINS(bloc_buf_cstr(&b), "data-party=\"LAB\" fill=\"#E4003B\"");
	bloc_buf_clear(&b);
	BLOC_CHECK_OK(bloc_chart_seats(&b, t.nparties, t.parties, t.seats, &o));
	BLOC_CHECK_CONTAINS(bloc_buf_cstr(&b), "Labour: 411 seats");
	bloc_buf_clear(&b);
	BLOC_CHECK_OK(bloc_chart_votes_seats(&b, t.nparties, t.parties, t.share, t.seats, &o));
	BLOC_CHECK_CONTAINS(bloc_buf_cstr(&b), "63.2% of the seats");
	bloc_buf_clear(&b);
	o.title = "Ranks <&>";
	BLOC_CHECK_OK(bloc_chart_ranked(&b, 3, bars, &o));
	BLOC_CHECK_CONTAINS(bloc_buf_cstr(&b), "Ranks &lt;&amp;&gt;");
	/* largest first */
	p = strstr(bloc_buf_cstr(&b), "High &amp; mighty");
	BLOC_CHECK(p && strstr(bloc_buf_cstr(&b), "Mid") > p &&
	           strstr(bloc_buf_cstr(&b), "Low &lt;") > p);
	bloc_buf_clear(&b);
	o.title = NULL;
	BLOC_CHECK_OK(bloc_chart_histogram(&b, 8, values, &o));
	BLOC_CHECK_CONTAINS(bloc_buf_cstr(&b), "<g class=\"bins\">");
	bloc_buf_clear(&b);
	BLOC_CHECK_INT_EQ(bloc_chart_histogram(&b, 1, values + 6, &o), BLOC_EINVAL);
	BLOC_CHECK_INT_EQ(bloc_chart_parliament(&b, 0, t.parties, t.seats, &o), BLOC_EINVAL);
	bloc_buf_dispose(&b);
	bloc_totals_dispose(&t);
	bloc_seat_results_dispose(&r);
}

BLOC_TEST(table_as_html)
{
	bloc_table *t = NULL;
	bloc_buf b = BLOC_BUF_INIT;

	BLOC_CHECK_OK(bloc_table_new(&t));
	BLOC_CHECK_OK(bloc_table_add_column(t, "name", BLOC_COL_STRING, 0));
	BLOC_CHECK_OK(bloc_table_add_column(t, "votes", BLOC_COL_INT, 0));
	BLOC_CHECK_OK(bloc_table_add_column(t, "share", BLOC_COL_REAL, 3));
	BLOC_CHECK_OK(bloc_table_add_string(t, "A <b> & \"c\", d"));
	BLOC_CHECK_OK(bloc_table_add_int(t, 1234567));
	BLOC_CHECK_OK(bloc_table_add_real(t, 0.5));
	BLOC_CHECK_OK(bloc_table_add_missing(t));
	BLOC_CHECK_OK(bloc_table_add_int(t, -5));
	BLOC_CHECK_OK(bloc_table_add_missing(t));
	BLOC_CHECK_OK(bloc_table_meta(t, "note", "x < y"));
	BLOC_CHECK_OK(bloc_table_write_html(t, &b, 1));
	BLOC_CHECK_CONTAINS(bloc_buf_cstr(&b), "<td>A &lt;b&gt; &amp; &quot;c&quot;, d</td>");
	BLOC_CHECK_CONTAINS(bloc_buf_cstr(&b), "<td class=\"num\">1,234,567</td>");
	BLOC_CHECK_CONTAINS(bloc_buf_cstr(&b), "<td class=\"num\">0.500</td>");
	BLOC_CHECK_CONTAINS(bloc_buf_cstr(&b), "<tr><td>-</td><td class=\"num\">-5</td>"
	                                       "<td class=\"num\">-</td></tr>");
	BLOC_CHECK_CONTAINS(bloc_buf_cstr(&b), "<dt>note</dt><dd>x &lt; y</dd>");
	bloc_buf_dispose(&b);
	bloc_table_free(t);
}

BLOC_TEST(report_is_self_contained)
{
	const bloc_contest *c = contest("ge2019");
	bloc_seat_results r = {0};
	bloc_totals t = {0};
	bloc_report rep;
	bloc_buf b = BLOC_BUF_INIT;

	if (!c)
		return;
	BLOC_CHECK_OK(bloc_seat_results_compute(&r, c));
	BLOC_CHECK_OK(bloc_totals_compute(&t, c, &r, BLOC_BY_UK));
	bloc_report_init(&rep);
	rep.contest = c;
	rep.results = &r;
	rep.totals = &t;
	rep.source = "https://example.org/results.csv";
	BLOC_CHECK_OK(bloc_report_html(&b, &rep));
	BLOC_CHECK(strncmp(bloc_buf_cstr(&b), "<!DOCTYPE html>", 15) == 0);
	BLOC_CHECK(strstr(bloc_buf_cstr(&b), "://") == NULL);
	BLOC_CHECK_CONTAINS(bloc_buf_cstr(&b), "https:&#47;&#47;example.org/results.csv");
	BLOC_CHECK(strstr(bloc_buf_cstr(&b), "<script") == NULL);
	BLOC_CHECK_CONTAINS(bloc_buf_cstr(&b), "<section id=\"result\">");
	BLOC_CHECK(strstr(bloc_buf_cstr(&b), "<section id=\"power\">") == NULL);
	/* parts of another contest are refused */
	rep.results = NULL;
	BLOC_CHECK_INT_EQ(bloc_report_html(&b, &rep), BLOC_EINVAL);
	bloc_buf_dispose(&b);
	bloc_totals_dispose(&t);
	bloc_seat_results_dispose(&r);
}

/* ---- out of memory: every allocation failing in turn gives BLOC_ENOMEM and leaks nothing ---- */

BLOC_TEST(out_of_memory)
{
	static const char doc[] =
	    "{\"layout\":\"odd-r\",\"hexes\":{\"B\":{\"q\":2,\"r\":-1,\"n\":\"Bee\"},"
	    "\"A\":{\"q\":0,\"r\":0,\"region\":\"X\"}},\"boundaries\":{\"x\":{\"type\":\"region\","
	    "\"edges\":[{\"q\":0,\"r\":0,\"e\":2}]},\"y\":{\"edges\":[]}}}";
	const bloc_contest *c = contest("ge2024");
	bloc_seat_results r = {0};
	bloc_totals t = {0};
	bloc_hexmap *m = NULL, *real = NULL;
	unsigned long n;
	int rc;

	for (n = 1; n < 200; n++) {
		bloc__alloc_fail_after(n);
		rc = bloc_hexjson_load_mem(&m, doc, strlen(doc), "t", NULL);
		bloc__alloc_fail_after(0);
		if (rc == BLOC_OK)
			break;
		if (rc != BLOC_ENOMEM || m) {
			BLOC_FAIL_("load, allocation %lu failing: %d %s", n, rc, bloc_error_last());
			break;
		}
	}
	BLOC_CHECK(n > 5 && n < 200);
	bloc_hexmap_free(m);
	if (!c)
		return;
	BLOC_CHECK_OK(bloc_hexmap_open(&real, dataset(), c));
	BLOC_CHECK_OK(bloc_seat_results_compute(&r, c));
	BLOC_CHECK_OK(bloc_totals_compute(&t, c, &r, BLOC_BY_UK));
	for (n = 1; n < 5000; n++) {
		bloc_map_layer L = {0};
		bloc_buf b = BLOC_BUF_INIT;
		bloc__alloc_fail_after(n);
		rc = bloc_map_layer_winner(&L, c, &r);
		if (rc == BLOC_OK)
			rc = bloc_hexmap_svg(&b, real, c, &L, NULL);
		bloc__alloc_fail_after(0);
		bloc_map_layer_dispose(&L);
		bloc_buf_dispose(&b);
		if (rc == BLOC_OK)
			break;
		if (rc != BLOC_ENOMEM) {
			BLOC_FAIL_("map, allocation %lu failing: %d %s", n, rc, bloc_error_last());
			break;
		}
	}
	BLOC_CHECK(n > 650 && n < 5000);
	for (n = 1; n < 5000; n++) {
		bloc_report rep;
		bloc_buf b = BLOC_BUF_INIT;
		bloc_report_init(&rep);
		rep.contest = c;
		rep.results = &r;
		rep.totals = &t;
		bloc__alloc_fail_after(n);
		rc = bloc_report_html(&b, &rep);
		bloc__alloc_fail_after(0);
		bloc_buf_dispose(&b);
		if (rc == BLOC_OK)
			break;
		if (rc != BLOC_ENOMEM) {
			BLOC_FAIL_("report, allocation %lu failing: %d %s", n, rc,
			           bloc_error_last());
			break;
		}
	}
	BLOC_CHECK(n > 10 && n < 5000);
	bloc_totals_dispose(&t);
	bloc_seat_results_dispose(&r);
	bloc_hexmap_free(real);
}
