/* Scenarios: flags and JSON read into the same struct, every error names what is wrong, a failed
 * change leaves the scenario as it was, repeated settings merge, and to_json reads back. */
#include "harness.h"

#include "bloc/bloc.h"

#include <stdio.h>

static bloc_party party(const char *code)
{
	bloc_party p = BLOC_PARTY_NONE;

	bloc_party_lookup(code, &p);
	return p;
}

/* The value of `code` in a list, or NaN. */
static double value_of(const bloc_party_value *list, size_t n, const char *code)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (list[i].party == party(code))
			return list[i].value;
	return NAN;
}

static int same_list(const bloc_party_value *a, size_t na, const bloc_party_value *b, size_t nb)
{
	size_t i;

	if (na != nb)
		return 0;
	for (i = 0; i < na; i++)
		if (a[i].party != b[i].party || a[i].value != b[i].value)
			return 0;
	return 1;
}

static int same_scenario(const bloc_scenario *a, const bloc_scenario *b)
{
	size_t i;

	if (a->version != b->version || strcmp(a->base, b->base) != 0 || a->model != b->model ||
	    a->threshold != b->threshold || a->nareas != b->nareas || a->nswings != b->nswings ||
	    a->ngroups != b->ngroups || a->adult_ratio != b->adult_ratio ||
	    a->turnout_ratio != b->turnout_ratio)
		return 0;
	for (i = 0; i < a->nareas; i++)
		if (strcmp(a->areas[i].area, b->areas[i].area) != 0 ||
		    !same_list(a->areas[i].shares, a->areas[i].n, b->areas[i].shares,
		               b->areas[i].n))
			return 0;
	for (i = 0; i < a->nswings; i++)
		if (a->swings[i].from != b->swings[i].from || a->swings[i].to != b->swings[i].to ||
		    a->swings[i].points != b->swings[i].points)
			return 0;
	for (i = 0; i < a->ngroups; i++)
		if (strcmp(a->groups[i].group, b->groups[i].group) != 0 ||
		    !same_list(a->groups[i].change, a->groups[i].n, b->groups[i].change,
		               b->groups[i].n))
			return 0;
	return 1;
}

/* set(key, value) must fail with `code`, leave the scenario untouched, and say `needle`. */
static void expect_set_error(bloc_scenario *s, const char *key, const char *value, int code,
                             const char *needle)
{
	bloc_scenario before = *s;
	int rc = bloc_scenario_set(s, key, value);

	bloc_checks_++;
	if (rc != code)
		BLOC_FAIL_("set(%s, %s) returned %d, expected %d (%s)", key, value, rc, code,
		           bloc_error_last());
	BLOC_CHECK_CONTAINS(bloc_error_last(), needle);
	bloc_checks_++;
	if (!same_scenario(&before, s))
		BLOC_FAIL_("set(%s, %s) failed but changed the scenario", key, value);
}

static void expect_json_error(const char *text, int code, const char *needle)
{
	bloc_scenario s, before;
	int rc;

	bloc_scenario_init(&s);
	BLOC_CHECK_OK(bloc_scenario_set(&s, "shares", "LAB=30"));
	before = s;
	rc = bloc_scenario_parse_json(&s, text, strlen(text), "t.json");
	bloc_checks_++;
	if (rc != code)
		BLOC_FAIL_("parse_json(%s) returned %d, expected %d (%s)", text, rc, code,
		           bloc_error_last());
	BLOC_CHECK_CONTAINS(bloc_error_last(), needle);
	bloc_checks_++;
	if (!same_scenario(&before, &s))
		BLOC_FAIL_("parse_json(%s) failed but changed the scenario", text);
}

BLOC_TEST(init_defaults)
{
	bloc_scenario s;

	memset(&s, 0xff, sizeof(s));
	bloc_scenario_init(&s);
	BLOC_CHECK_INT_EQ(s.version, BLOC_SCENARIO_VERSION);
	BLOC_CHECK_INT_EQ(s.model, BLOC_MODEL_UNIFORM);
	BLOC_CHECK_NEAR(s.threshold, 0.2, 0, 0);
	BLOC_CHECK_NEAR(s.adult_ratio, 1, 0, 0);
	BLOC_CHECK_NEAR(s.turnout_ratio, 1, 0, 0);
	BLOC_CHECK_INT_EQ(s.nareas + s.nswings + s.ngroups, 0);
	BLOC_CHECK_STR_EQ(s.base, "");
}

BLOC_TEST(flags_shares_swing_region_group)
{
	bloc_scenario s;

	bloc_scenario_init(&s);
	BLOC_CHECK_OK(bloc_scenario_set(&s, "shares", "LAB=34, CON = 24,Reform=14"));
	BLOC_REQUIRE(s.nareas == 1);
	BLOC_CHECK_STR_EQ(s.areas[0].area, "");
	BLOC_CHECK_INT_EQ(s.areas[0].n, 3);
	BLOC_CHECK_NEAR(value_of(s.areas[0].shares, s.areas[0].n, "LAB"), 34, 0, 0);
	BLOC_CHECK_NEAR(value_of(s.areas[0].shares, s.areas[0].n, "CON"), 24, 0, 0);
	BLOC_CHECK_NEAR(value_of(s.areas[0].shares, s.areas[0].n, "REF"), 14, 0, 0);

	BLOC_CHECK_OK(bloc_scenario_set(&s, "swing", "LAB:REF=5,Conservative:LD=-1.5"));
	BLOC_REQUIRE(s.nswings == 2);
	BLOC_CHECK_INT_EQ(s.swings[0].from, party("LAB"));
	BLOC_CHECK_INT_EQ(s.swings[0].to, party("REF"));
	BLOC_CHECK_NEAR(s.swings[0].points, 5, 0, 0);
	BLOC_CHECK_NEAR(s.swings[1].points, -1.5, 0, 0);

	BLOC_CHECK_OK(bloc_scenario_set(&s, "region", "Scotland:SNP=30,LAB=35"));
	BLOC_REQUIRE(s.nareas == 2);
	BLOC_CHECK_STR_EQ(s.areas[1].area, "Scotland");
	BLOC_CHECK_NEAR(value_of(s.areas[1].shares, s.areas[1].n, "SNP"), 30, 0, 0);

	BLOC_CHECK_OK(bloc_scenario_set(&s, "group", "Muslim:LAB=-20,IND=+12,GRN=+6"));
	BLOC_REQUIRE(s.ngroups == 1);
	BLOC_CHECK_STR_EQ(s.groups[0].group, "muslim");
	BLOC_CHECK_NEAR(value_of(s.groups[0].change, s.groups[0].n, "LAB"), -20, 0, 0);
	BLOC_CHECK_NEAR(value_of(s.groups[0].change, s.groups[0].n, "IND"), 12, 0, 0);

	BLOC_CHECK_OK(bloc_scenario_set(&s, "model", "STM"));
	BLOC_CHECK_INT_EQ(s.model, BLOC_MODEL_STRONG);
	BLOC_CHECK_OK(bloc_scenario_set(&s, "threshold", "0.25"));
	BLOC_CHECK_NEAR(s.threshold, 0.25, 0, 0);
	BLOC_CHECK_OK(bloc_scenario_set(&s, "adult-ratio", "0.8"));
	BLOC_CHECK_OK(bloc_scenario_set(&s, "turnout-ratio", "0.9"));
	BLOC_CHECK_NEAR(s.adult_ratio, 0.8, 0, 0);
	BLOC_CHECK_NEAR(s.turnout_ratio, 0.9, 0, 0);
}

/* Brexit Party is stored as its successor, Reform UK, as projections count it. */
BLOC_TEST(flags_successor)
{
	bloc_scenario s;

	bloc_scenario_init(&s);
	BLOC_CHECK_OK(bloc_scenario_set(&s, "shares", "BRX=10"));
	BLOC_CHECK_INT_EQ(s.areas[0].shares[0].party, party("REF"));
	expect_set_error(&s, "shares", "BRX=10,REF=11", BLOC_EINVAL, "REF is given twice");
}

BLOC_TEST(flags_merge)
{
	bloc_scenario s;

	bloc_scenario_init(&s);
	BLOC_CHECK_OK(bloc_scenario_set(&s, "shares", "LAB=34,CON=24"));
	BLOC_CHECK_OK(bloc_scenario_set(&s, "shares", "LAB=30,REF=10"));
	BLOC_REQUIRE(s.nareas == 1);
	BLOC_CHECK_INT_EQ(s.areas[0].n, 3);
	BLOC_CHECK_INT_EQ(s.areas[0].shares[0].party, party("LAB"));
	BLOC_CHECK_NEAR(s.areas[0].shares[0].value, 30, 0, 0);
	BLOC_CHECK_NEAR(value_of(s.areas[0].shares, 3, "CON"), 24, 0, 0);
	BLOC_CHECK_NEAR(value_of(s.areas[0].shares, 3, "REF"), 10, 0, 0);
	/* areas match case aside and keep the first spelling */
	BLOC_CHECK_OK(bloc_scenario_set(&s, "region", "Wales:PC=15"));
	BLOC_CHECK_OK(bloc_scenario_set(&s, "region", " WALES :LAB=40,PC=12"));
	BLOC_REQUIRE(s.nareas == 2);
	BLOC_CHECK_STR_EQ(s.areas[1].area, "Wales");
	BLOC_CHECK_NEAR(value_of(s.areas[1].shares, s.areas[1].n, "PC"), 12, 0, 0);
	BLOC_CHECK_NEAR(value_of(s.areas[1].shares, s.areas[1].n, "LAB"), 40, 0, 0);
	/* the same swing again replaces it; the reverse is another term */
	BLOC_CHECK_OK(bloc_scenario_set(&s, "swing", "LAB:REF=5"));
	BLOC_CHECK_OK(bloc_scenario_set(&s, "swing", "LAB:REF=3"));
	BLOC_CHECK_OK(bloc_scenario_set(&s, "swing", "REF:LAB=1"));
	BLOC_REQUIRE(s.nswings == 2);
	BLOC_CHECK_NEAR(s.swings[0].points, 3, 0, 0);
	/* groups merge like shares */
	BLOC_CHECK_OK(bloc_scenario_set(&s, "group", "muslim:LAB=-20,GRN=6"));
	BLOC_CHECK_OK(bloc_scenario_set(&s, "group", "MUSLIM:LAB=-10,IND=12"));
	BLOC_REQUIRE(s.ngroups == 1);
	BLOC_CHECK_INT_EQ(s.groups[0].n, 3);
	BLOC_CHECK_NEAR(value_of(s.groups[0].change, 3, "LAB"), -10, 0, 0);
	BLOC_CHECK_NEAR(value_of(s.groups[0].change, 3, "GRN"), 6, 0, 0);
	/* a merge that passes 100 fails and keeps the old shares */
	expect_set_error(&s, "shares", "REF=50", BLOC_EINVAL, "104.00 points, above 100");
	BLOC_CHECK_NEAR(value_of(s.areas[0].shares, 3, "REF"), 10, 0, 0);
}

BLOC_TEST(flag_errors_name_what_is_wrong)
{
	bloc_scenario s;

	bloc_scenario_init(&s);
	expect_set_error(&s, "shares", "LAB=60,CON=50", BLOC_EINVAL,
	                 "shares: the shares given add up to 110.00 points, above 100");
	expect_set_error(&s, "shares", "XYZ=10", BLOC_EINVAL, "shares: unknown party 'XYZ'");
	expect_set_error(&s, "shares", "LAB=abc", BLOC_EINVAL,
	                 "shares: LAB: expected a number, found 'abc'");
	expect_set_error(&s, "shares", "LAB=nan", BLOC_EINVAL, "expected a number, found 'nan'");
	expect_set_error(&s, "shares", "LAB=inf", BLOC_EINVAL, "expected a number, found 'inf'");
	expect_set_error(&s, "shares", "LAB=1e999", BLOC_EINVAL, "expected a number");
	expect_set_error(&s, "shares", "LAB=0x10", BLOC_EINVAL, "expected a number, found '0x10'");
	expect_set_error(&s, "shares", "LAB=", BLOC_EINVAL,
	                 "LAB: expected a number, found nothing");
	expect_set_error(&s, "shares", "LAB=34,", BLOC_EINVAL, "expected PARTY=POINTS");
	expect_set_error(&s, "shares", "LAB 34", BLOC_EINVAL, "expected PARTY=POINTS in 'LAB 34'");
	expect_set_error(&s, "shares", "LAB=-5", BLOC_EINVAL, "LAB: -5 is out of range (0 to 100");
	expect_set_error(&s, "shares", "LAB=101", BLOC_EINVAL, "out of range");
	expect_set_error(&s, "shares", "LAB=3,Labour=4", BLOC_EINVAL, "LAB is given twice");
	expect_set_error(&s, "shares", "", BLOC_EINVAL, "expected PARTY=POINTS");

	expect_set_error(&s, "swing", "LAB-REF=5", BLOC_EINVAL, "swing: expected FROM:TO=POINTS");
	expect_set_error(&s, "swing", "LAB:REF", BLOC_EINVAL, "expected FROM:TO=POINTS");
	expect_set_error(&s, "swing", "LAB:Labour=5", BLOC_EINVAL, "a swing from LAB to itself");
	expect_set_error(&s, "swing", "LAB:XYZ=5", BLOC_EINVAL, "swing: unknown party 'XYZ'");
	expect_set_error(&s, "swing", "LAB:REF=x", BLOC_EINVAL, "points: expected a number");
	expect_set_error(&s, "swing", "LAB:REF=150", BLOC_EINVAL, "150 is out of range");

	expect_set_error(&s, "region", "SNP=30", BLOC_EINVAL, "region: expected NAME:PARTY=POINTS");
	expect_set_error(&s, "region", " :SNP=30", BLOC_EINVAL, "region: the area name is empty");
	expect_set_error(&s, "region", "Scotland:SNP=70,LAB=35", BLOC_EINVAL,
	                 "region Scotland: the shares in 'Scotland' add up to 105.00 points");
	expect_set_error(&s, "region", "Scotland:FOO=3", BLOC_EINVAL,
	                 "region Scotland: unknown party 'FOO'");
	expect_set_error(&s, "region",
	                 "A region whose name is far too long to be any real region at all:SNP=1",
	                 BLOC_EINVAL, "too long");

	/* names are echoed in JSON, so they must be UTF-8 (found by fuzz_scenario) */
	expect_set_error(&s, "region", "Sc\x82otland:SNP=1", BLOC_EINVAL, "not valid UTF-8");
	expect_set_error(&s, "region", "\xc0\xafx:SNP=1", BLOC_EINVAL, "not valid UTF-8");
	expect_set_error(&s, "base", "ge\xed\xa0\x80", BLOC_EINVAL, "base: not valid UTF-8");
	BLOC_CHECK_OK(bloc_scenario_set(&s, "region", "Ynys M\xc3\xb4n:PC=40"));
	bloc_scenario_init(&s);
	expect_set_error(&s, "group", "martians:LAB=-20", BLOC_EINVAL,
	                 "group: unknown group 'martians' (groups: ");
	expect_set_error(&s, "group", "LAB=-20", BLOC_EINVAL, "group: expected NAME:PARTY=POINTS");
	expect_set_error(&s, "group", "muslim:LAB=-120", BLOC_EINVAL,
	                 "group muslim: LAB: -120 is out of range (-100 to 100");
	expect_set_error(&s, "group", "muslim:XYZ=1", BLOC_EINVAL,
	                 "group muslim: unknown party 'XYZ'");

	expect_set_error(&s, "model", "bogus", BLOC_EINVAL, "model: unknown model 'bogus'");
	expect_set_error(&s, "threshold", "20", BLOC_EINVAL, "threshold: 20 is out of range");
	expect_set_error(&s, "threshold", "0", BLOC_EINVAL, "threshold: 0 is out of range");
	expect_set_error(&s, "threshold", "abc", BLOC_EINVAL,
	                 "threshold: expected a number, found 'abc'");
	expect_set_error(&s, "adult-ratio", "80", BLOC_EINVAL, "adult-ratio: 80 is out of range");
	expect_set_error(&s, "turnout-ratio", "-1", BLOC_EINVAL,
	                 "turnout-ratio: -1 is out of range");
	expect_set_error(&s, "colour", "red", BLOC_EINVAL, "unknown scenario setting 'colour'");
	BLOC_CHECK_INT_EQ(s.nareas + s.nswings + s.ngroups, 0);
}

/* Distinct swings: 4 x 5 pairs. */
static const char *const from[] = {"CON", "LAB", "LD", "SNP"};
static const char *const to[] = {"PC", "GRN", "REF", "UKIP", "DUP"};

BLOC_TEST(flag_limits)
{
	bloc_scenario s;
	char buf[64];
	size_t i;

	bloc_scenario_init(&s);
	for (i = 0; i < BLOC_SCENARIO_MAX_AREAS; i++) {
		snprintf(buf, sizeof(buf), "Area %zu:LAB=1", i);
		BLOC_CHECK_OK(bloc_scenario_set(&s, "region", buf));
	}
	expect_set_error(&s, "region", "One more:LAB=1", BLOC_EINVAL,
	                 "too many areas (at most 16)");
	/* an area already there still merges */
	BLOC_CHECK_OK(bloc_scenario_set(&s, "region", "area 3:CON=2"));

	bloc_scenario_init(&s);
	for (i = 0; i < BLOC_SCENARIO_MAX_SWINGS; i++) {
		snprintf(buf, sizeof(buf), "%s:%s=1", from[i % 4], to[i / 4]);
		BLOC_CHECK_OK(bloc_scenario_set(&s, "swing", buf));
	}
	BLOC_CHECK_INT_EQ(s.nswings, BLOC_SCENARIO_MAX_SWINGS);
	expect_set_error(&s, "swing", "SPK:OTH=1", BLOC_EINVAL, "too many swings (at most 16)");

	bloc_scenario_init(&s);
	for (i = 0; i < bloc_group_count() && i < BLOC_SCENARIO_MAX_GROUPS; i++) {
		snprintf(buf, sizeof(buf), "%s:LAB=-1", bloc_group_name(i));
		BLOC_CHECK_OK(bloc_scenario_set(&s, "group", buf));
	}
	if (bloc_group_count() > BLOC_SCENARIO_MAX_GROUPS) {
		snprintf(buf, sizeof(buf), "%s:LAB=-1", bloc_group_name(BLOC_SCENARIO_MAX_GROUPS));
		expect_set_error(&s, "group", buf, BLOC_EINVAL, "too many groups (at most 8)");
	}
}

static const char full_json[] =
    "{\"base\":\"ge2024\",\"model\":\"strong\",\"threshold\":0.2,\n"
    " \"shares\":{\"LAB\":34,\"CON\":24},\"swing\":[{\"from\":\"LAB\",\"to\":\"REF\",\"points\":5}]"
    ",\n"
    " \"regions\":{\"Scotland\":{\"SNP\":30}},\n"
    " \"groups\":[{\"group\":\"muslim\",\"change\":{\"LAB\":-20,\"IND\":12,\"GRN\":6}}],\n"
    " \"adult_ratio\":1,\"turnout_ratio\":1}\n";

BLOC_TEST(json_schema_of_the_header)
{
	bloc_scenario s;

	bloc_scenario_init(&s);
	BLOC_CHECK_OK(bloc_scenario_parse_json(&s, full_json, strlen(full_json), "t.json"));
	BLOC_CHECK_STR_EQ(s.base, "ge2024");
	BLOC_CHECK_INT_EQ(s.model, BLOC_MODEL_STRONG);
	BLOC_REQUIRE(s.nareas == 2 && s.nswings == 1 && s.ngroups == 1);
	BLOC_CHECK_STR_EQ(s.areas[0].area, "");
	BLOC_CHECK_NEAR(value_of(s.areas[0].shares, s.areas[0].n, "CON"), 24, 0, 0);
	BLOC_CHECK_STR_EQ(s.areas[1].area, "Scotland");
	BLOC_CHECK_INT_EQ(s.swings[0].from, party("LAB"));
	BLOC_CHECK_NEAR(s.swings[0].points, 5, 0, 0);
	BLOC_CHECK_STR_EQ(s.groups[0].group, "muslim");
	BLOC_CHECK_NEAR(value_of(s.groups[0].change, s.groups[0].n, "GRN"), 6, 0, 0);
}

/* The same scenario from flags and from JSON is the same struct. */
BLOC_TEST(json_equals_flags)
{
	bloc_scenario a, b;

	bloc_scenario_init(&a);
	bloc_scenario_init(&b);
	BLOC_CHECK_OK(bloc_scenario_parse_json(&a, full_json, strlen(full_json), "t.json"));
	BLOC_CHECK_OK(bloc_scenario_set(&b, "base", "ge2024"));
	BLOC_CHECK_OK(bloc_scenario_set(&b, "model", "strong"));
	BLOC_CHECK_OK(bloc_scenario_set(&b, "shares", "LAB=34,CON=24"));
	BLOC_CHECK_OK(bloc_scenario_set(&b, "swing", "LAB:REF=5"));
	BLOC_CHECK_OK(bloc_scenario_set(&b, "region", "Scotland:SNP=30"));
	BLOC_CHECK_OK(bloc_scenario_set(&b, "group", "muslim:LAB=-20,IND=+12,GRN=+6"));
	BLOC_CHECK(same_scenario(&a, &b));
}

/* JSON is applied on top: a file then flags merge like flags. */
BLOC_TEST(json_applies_on_top)
{
	static const char doc[] = "{\"shares\":{\"LAB\":30,\"REF\":10}}";
	bloc_scenario s;

	bloc_scenario_init(&s);
	BLOC_CHECK_OK(bloc_scenario_set(&s, "shares", "LAB=34,CON=24"));
	BLOC_CHECK_OK(bloc_scenario_parse_json(&s, doc, strlen(doc), "t.json"));
	BLOC_REQUIRE(s.nareas == 1);
	BLOC_CHECK_INT_EQ(s.areas[0].n, 3);
	BLOC_CHECK_NEAR(value_of(s.areas[0].shares, 3, "LAB"), 30, 0, 0);
	BLOC_CHECK_NEAR(value_of(s.areas[0].shares, 3, "CON"), 24, 0, 0);
}

BLOC_TEST(json_round_trip)
{
	bloc_scenario a, b;
	char *j1, *j2;

	bloc_scenario_init(&a);
	BLOC_CHECK_OK(bloc_scenario_parse_json(&a, full_json, strlen(full_json), "t.json"));
	/* awkward values: no short decimal, a name that needs escaping, the defaults changed */
	BLOC_CHECK_OK(
	    bloc_scenario_set(&a, "region", "North \"East\" \\ x:LAB=33.333333333333336"));
	BLOC_CHECK_OK(bloc_scenario_set(&a, "swing", "CON:LD=-0.1"));
	BLOC_CHECK_OK(bloc_scenario_set(&a, "threshold", "0.15"));
	BLOC_CHECK_OK(bloc_scenario_set(&a, "adult-ratio", "0.7777777777777777"));
	BLOC_REQUIRE((j1 = bloc_scenario_to_json(&a)) != NULL);
	BLOC_CHECK_CONTAINS(j1, "\"threshold\":0.15,");
	BLOC_CHECK_CONTAINS(j1, "\"shares\":{\"LAB\":34,\"CON\":24}");
	BLOC_CHECK_CONTAINS(j1, "\"North \\\"East\\\" \\\\ x\":{\"LAB\":33.333333333333336}");
	bloc_scenario_init(&b);
	BLOC_CHECK_OK(bloc_scenario_parse_json(&b, j1, strlen(j1), "round-trip"));
	BLOC_CHECK(same_scenario(&a, &b));
	BLOC_REQUIRE((j2 = bloc_scenario_to_json(&b)) != NULL);
	BLOC_CHECK_STR_EQ(j2, j1);
	free(j1);
	free(j2);

	/* -0 is written as 0: JSON reads "-0" back as 0 (found by fuzz_scenario) */
	bloc_scenario_init(&a);
	BLOC_CHECK_OK(bloc_scenario_set(&a, "group", "muslim:LAB=-0"));
	BLOC_REQUIRE((j1 = bloc_scenario_to_json(&a)) != NULL);
	BLOC_CHECK_CONTAINS(j1, "\"change\":{\"LAB\":0}");
	free(j1);

	/* the defaults alone */
	bloc_scenario_init(&a);
	BLOC_REQUIRE((j1 = bloc_scenario_to_json(&a)) != NULL);
	BLOC_CHECK_STR_EQ(j1, "{\"model\":\"uniform\",\"threshold\":0.2,\"adult_ratio\":1,"
	                      "\"turnout_ratio\":1}");
	bloc_scenario_init(&b);
	BLOC_CHECK_OK(bloc_scenario_parse_json(&b, j1, strlen(j1), "defaults"));
	BLOC_CHECK(same_scenario(&a, &b));
	free(j1);
}

BLOC_TEST(json_errors_name_what_is_wrong)
{
	/* malformed: file:line:column from the parser */
	expect_json_error("{\n  \"shares\": {\"LAB\": 34,}\n}", BLOC_EPARSE, "t.json:2:");
	expect_json_error("", BLOC_EPARSE, "t.json:");
	expect_json_error("{\"model\":\"uniform\",\"model\":\"strong\"}", BLOC_EPARSE, "t.json:1:");
	expect_json_error("[1,2]", BLOC_EINVAL, "t.json: expected a JSON object, found an array");
	/* values: the key's path */
	expect_json_error("{\"colour\":1}", BLOC_EINVAL, "t.json: unknown key 'colour'");
	expect_json_error("{\"shares\":{\"XYZ\":3}}", BLOC_EINVAL,
	                  "t.json: shares.XYZ: unknown party 'XYZ'");
	expect_json_error("{\"shares\":{\"LAB\":\"34\"}}", BLOC_EINVAL,
	                  "t.json: shares.LAB: expected a number of points, found a string");
	expect_json_error("{\"shares\":{\"LAB\":60,\"CON\":50}}", BLOC_EINVAL,
	                  "t.json: shares: the shares given add up to 110.00 points, above 100");
	/* the scenario passed in had LAB=30: merged, 30 is replaced, so 90 is fine... */
	expect_json_error("{\"shares\":{\"CON\":75}}", BLOC_EINVAL, "add up to 105.00 points");
	expect_json_error("{\"shares\":{}}", BLOC_EINVAL, "t.json: shares: expected at least one");
	expect_json_error("{\"shares\":[1]}", BLOC_EINVAL,
	                  "t.json: shares: expected an object of PARTY: points, found an array");
	expect_json_error("{\"shares\":{\"LAB\":-1}}", BLOC_EINVAL,
	                  "t.json: shares.LAB: -1 is out of range (0 to 100 points)");
	expect_json_error("{\"shares\":{\"BRX\":1,\"REF\":2}}", BLOC_EINVAL, "REF is given twice");
	expect_json_error("{\"regions\":{\"Scotland\":{\"SNP\":70,\"LAB\":40}}}", BLOC_EINVAL,
	                  "t.json: regions.Scotland: the shares in 'Scotland' add up to 110.00");
	expect_json_error("{\"regions\":{\"Scotland\":{\"FOO\":1}}}", BLOC_EINVAL,
	                  "t.json: regions.Scotland.FOO: unknown party 'FOO'");
	expect_json_error("{\"regions\":{\"\":{\"SNP\":1}}}", BLOC_EINVAL,
	                  "regions.: the area name is empty");
	expect_json_error("{\"regions\":[]}", BLOC_EINVAL, "t.json: regions: expected an object");
	expect_json_error("{\"swing\":{}}", BLOC_EINVAL, "t.json: swing: expected an array");
	expect_json_error("{\"swing\":[{\"from\":\"LAB\",\"to\":\"REF\"}]}", BLOC_EINVAL,
	                  "t.json: swing[0]: missing 'points'");
	expect_json_error("{\"swing\":[{\"from\":\"LAB\",\"to\":\"REF\",\"points\":1,\"x\":2}]}",
	                  BLOC_EINVAL, "t.json: swing[0]: unknown key 'x'");
	expect_json_error("{\"swing\":[{\"from\":\"LAB\",\"to\":\"XYZ\",\"points\":1}]}",
	                  BLOC_EINVAL, "t.json: swing[0].to: unknown party 'XYZ'");
	expect_json_error("{\"swing\":[{\"from\":3,\"to\":\"REF\",\"points\":1}]}", BLOC_EINVAL,
	                  "t.json: swing[0].from: expected a party, found a number");
	expect_json_error("{\"swing\":[{\"from\":\"LAB\",\"to\":\"REF\",\"points\":true}]}",
	                  BLOC_EINVAL, "swing[0].points: expected a number, found a boolean");
	expect_json_error("{\"groups\":[{\"group\":\"martians\",\"change\":{\"LAB\":1}}]}",
	                  BLOC_EINVAL, "t.json: groups[0].group: unknown group 'martians'");
	expect_json_error("{\"groups\":[{\"group\":\"muslim\",\"change\":{\"LAB\":-101}}]}",
	                  BLOC_EINVAL, "t.json: groups[0].change.LAB: -101 is out of range");
	expect_json_error("{\"groups\":[{\"group\":\"muslim\"}]}", BLOC_EINVAL,
	                  "t.json: groups[0]: missing 'change'");
	expect_json_error("{\"groups\":[{\"group\":\"muslim\",\"change\":{\"LAB\":1},\"y\":0}]}",
	                  BLOC_EINVAL, "t.json: groups[0]: unknown key 'y'");
	expect_json_error("{\"model\":\"bogus\"}", BLOC_EINVAL, "t.json: model: unknown model");
	expect_json_error("{\"model\":1}", BLOC_EINVAL, "t.json: model: expected uniform");
	expect_json_error("{\"threshold\":20}", BLOC_EINVAL, "t.json: threshold: 20 is out of");
	expect_json_error("{\"threshold\":null}", BLOC_EINVAL,
	                  "t.json: threshold: expected a number, found null");
	expect_json_error("{\"adult_ratio\":0}", BLOC_EINVAL, "t.json: adult_ratio: 0 is out");
	expect_json_error("{\"turnout_ratio\":\"1\"}", BLOC_EINVAL,
	                  "t.json: turnout_ratio: expected a number, found a string");
	expect_json_error("{\"base\":7}", BLOC_EINVAL, "t.json: base: expected a contest id");
	/* a later error undoes the earlier keys of the same document */
	expect_json_error("{\"model\":\"strong\",\"shares\":{\"LAB\":40},\"colour\":1}",
	                  BLOC_EINVAL, "unknown key 'colour'");
}

BLOC_TEST(json_limits)
{
	char doc[4096];
	size_t i, n = 0;

	n += (size_t)snprintf(doc + n, sizeof(doc) - n, "{\"regions\":{");
	for (i = 0; i <= BLOC_SCENARIO_MAX_AREAS; i++)
		n += (size_t)snprintf(doc + n, sizeof(doc) - n, "%s\"Area %zu\":{\"LAB\":1}",
		                      i ? "," : "", i);
	snprintf(doc + n, sizeof(doc) - n, "}}");
	/* the scenario passed in already holds the national shares: 16 more areas is one too many
	 */
	expect_json_error(doc, BLOC_EINVAL, "t.json: regions.Area 15: too many areas (at most 16)");

	n = (size_t)snprintf(doc, sizeof(doc), "{\"swing\":[");
	for (i = 0; i <= BLOC_SCENARIO_MAX_SWINGS; i++)
		n += (size_t)snprintf(doc + n, sizeof(doc) - n,
		                      "%s{\"from\":\"%s\",\"to\":\"%s\",\"points\":1}",
		                      i ? "," : "", from[i % 4], to[i / 4]);
	snprintf(doc + n, sizeof(doc) - n, "]}");
	expect_json_error(doc, BLOC_EINVAL, "t.json: swing[16]: too many swings (at most 16)");
}

BLOC_TEST(load_file)
{
	char path[] = "/tmp/bloc-scenario-XXXXXX";
	bloc_scenario s;
	FILE *fp;
	int fd;

	bloc_scenario_init(&s);
	BLOC_CHECK_INT_EQ(bloc_scenario_load(&s, "/nonexistent/scenario.json"), BLOC_EIO);
	BLOC_CHECK_CONTAINS(bloc_error_last(), "/nonexistent/scenario.json: ");
	BLOC_REQUIRE((fd = mkstemp(path)) >= 0);
	BLOC_REQUIRE((fp = fdopen(fd, "w")) != NULL);
	fputs("{\n  \"shares\": {\"LAB\": 34},\n  \"model\": \"proportional\"\n}\n", fp);
	fclose(fp);
	BLOC_CHECK_OK(bloc_scenario_load(&s, path));
	BLOC_CHECK_INT_EQ(s.model, BLOC_MODEL_PROPORTIONAL);
	BLOC_REQUIRE((fp = fopen(path, "w")) != NULL);
	fputs("{\n  \"shares\": {\"LAB\": 34},\n  \"model\": \"proportional\",,\n}\n", fp);
	fclose(fp);
	BLOC_CHECK_INT_EQ(bloc_scenario_load(&s, path), BLOC_EPARSE);
	BLOC_CHECK_CONTAINS(bloc_error_last(), path);
	BLOC_CHECK_CONTAINS(bloc_error_last(), ":3:");
	remove(path);
}
