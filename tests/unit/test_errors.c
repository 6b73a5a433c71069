/* The error state: a code and a message per thread, out-of-memory and context helpers. */
#include "harness.h"

#include "bloc/error.h"
#include "bloc/query.h"
#include "bloc/store.h"
#include "core/alloc.h"
#include "core/error_int.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

BLOC_TEST(error_set_clear)
{
	bloc_error_clear();
	BLOC_CHECK_INT_EQ(bloc_error_last_code(), BLOC_OK);
	BLOC_CHECK_STR_EQ(bloc_error_last(), "");
	BLOC_CHECK_INT_EQ(bloc_error_set(BLOC_EPARSE, "x.csv:%d:%d: bad", 12, 4), BLOC_EPARSE);
	BLOC_CHECK_INT_EQ(bloc_error_last_code(), BLOC_EPARSE);
	BLOC_CHECK_STR_EQ(bloc_error_last(), "x.csv:12:4: bad");
	bloc_error_clear();
	BLOC_CHECK_INT_EQ(bloc_error_last_code(), BLOC_OK);
	BLOC_CHECK_STR_EQ(bloc_error_last(), "");
}

BLOC_TEST(error_set_from_own_message)
{
	bloc_error_set(BLOC_EIO, "inner");
	bloc_error_set(BLOC_EINVAL, "outer (%s)", bloc_error_last());
	BLOC_CHECK_STR_EQ(bloc_error_last(), "outer (inner)");
	BLOC_CHECK_INT_EQ(bloc_error_last_code(), BLOC_EINVAL);
}

BLOC_TEST(error_oom)
{
	bloc_error_clear();
	BLOC_CHECK_INT_EQ(bloc_error_oom("reading %s", "x.csv"), BLOC_ENOMEM);
	BLOC_CHECK_INT_EQ(bloc_error_last_code(), BLOC_ENOMEM);
	BLOC_CHECK_STR_EQ(bloc_error_last(), "out of memory reading x.csv");
}

BLOC_TEST(error_prefix)
{
	bloc_error_clear();
	BLOC_CHECK_INT_EQ(bloc_error_prefix("loading %s", "ge2024"), BLOC_OK);
	BLOC_CHECK_STR_EQ(bloc_error_last(), "");
	bloc_error_set(BLOC_EPARSE, "results/x.csv:12:4: expected a number");
	BLOC_CHECK_INT_EQ(bloc_error_prefix("loading %s", "ge2024"), BLOC_EPARSE);
	BLOC_CHECK_STR_EQ(bloc_error_last(),
	                  "loading ge2024: results/x.csv:12:4: expected a number");
	BLOC_CHECK_INT_EQ(bloc_error_last_code(), BLOC_EPARSE);
	bloc_error_oom("reading %s", "x.csv");
	BLOC_CHECK_INT_EQ(bloc_error_prefix("opening ge2019"), BLOC_ENOMEM);
	BLOC_CHECK_STR_EQ(bloc_error_last(), "opening ge2019: out of memory reading x.csv");
}

BLOC_TEST(error_truncation_is_safe)
{
	char big[3000], *p;
	const char *m;
	size_t n, i;

	/* a long message of 2-byte characters: cut at a character boundary */
	for (p = big, i = 0; i < 1400; i++, p += 2)
		memcpy(p, "\xc3\xa9", 2);
	*p = '\0';
	bloc_error_set(BLOC_EINVAL, "a%s", big);
	m = bloc_error_last();
	n = strlen(m);
	BLOC_CHECK(n >= 1020 && n <= 1023);
	BLOC_CHECK(n % 2 == 1); /* "a" then whole 2-byte characters */
	/* a prefix on a full message keeps the prefix and cuts the tail */
	BLOC_CHECK_INT_EQ(bloc_error_prefix("ctx"), BLOC_EINVAL);
	m = bloc_error_last();
	BLOC_CHECK(strncmp(m, "ctx: a\xc3\xa9", 8) == 0);
	n = strlen(m);
	BLOC_CHECK(n <= 1023 && n >= 1020);
	BLOC_CHECK((n - 6) % 2 == 0);
	/* a prefix longer than the buffer */
	memset(big, 'p', 2000);
	big[2000] = '\0';
	BLOC_CHECK_INT_EQ(bloc_error_prefix("%s", big), BLOC_EINVAL);
	n = strlen(bloc_error_last());
	BLOC_CHECK(n <= 1023);
	BLOC_CHECK(strncmp(bloc_error_last(), "ppp", 3) == 0);
	/* oom with a long context */
	BLOC_CHECK_INT_EQ(bloc_error_oom("%s", big), BLOC_ENOMEM);
	BLOC_CHECK(strncmp(bloc_error_last(), "out of memory ppp", 17) == 0);
	BLOC_CHECK_INT_EQ(strlen(bloc_error_last()), 1023);
	bloc_error_clear();
}

BLOC_TEST(error_control_characters_escaped)
{
	char big[3000];

	/* an ESC sequence from a data file arrives as text, not as a terminal command */
	bloc_error_set(BLOC_EPARSE, "x.csv:2:3: found '%s'", "\x1b[31mred\x1b[0m");
	BLOC_CHECK_STR_EQ(bloc_error_last(), "x.csv:2:3: found '\\x1b[31mred\\x1b[0m'");
	BLOC_CHECK(strchr(bloc_error_last(), 0x1b) == NULL);
	/* other controls, DEL, a C1 control (U+009B, CSI) and bytes outside UTF-8 */
	bloc_error_set(BLOC_EPARSE, "a\tb\nc\rd\x7f e\xc2\x9b"
	                            "f \xff\xc3");
	BLOC_CHECK_STR_EQ(bloc_error_last(), "a\\x09b\\x0ac\\x0dd\\x7f e\\xc2\\x9bf \\xff\\xc3");
	/* valid UTF-8 is kept as it is */
	bloc_error_set(BLOC_EPARSE, "Ynys M\xc3\xb4n \xe2\x80\x94 \xf0\x9f\x97\xb3");
	BLOC_CHECK_STR_EQ(bloc_error_last(), "Ynys M\xc3\xb4n \xe2\x80\x94 \xf0\x9f\x97\xb3");
	/* in a prefix and in out-of-memory context too */
	bloc_error_prefix("loading %s", "g\x1b]0;title\x07");
	BLOC_CHECK(strncmp(bloc_error_last(), "loading g\\x1b]0;title\\x07: Ynys", 31) == 0);
	bloc_error_oom("reading %s", "\x1b");
	BLOC_CHECK_STR_EQ(bloc_error_last(), "out of memory reading \\x1b");
	/* a long message of escapes is cut before an escape that would not fit */
	memset(big, 0x1b, 2000);
	big[2000] = '\0';
	bloc_error_set(BLOC_EPARSE, "%s", big);
	BLOC_CHECK_INT_EQ(strlen(bloc_error_last()), 1020);
	BLOC_CHECK(strncmp(bloc_error_last() + 1016, "\\x1b", 4) == 0);
	bloc_error_clear();
}

BLOC_TEST(error_relative_to_data_directory)
{
	bloc_error_set(BLOC_EPARSE,
	               "loading ge: /srv/data/results/x.csv:3:4: bad (/srv/data//y.csv)");
	BLOC_CHECK_INT_EQ(bloc__error_relative("/srv/data/"), BLOC_EPARSE);
	BLOC_CHECK_STR_EQ(bloc_error_last(), "loading ge: results/x.csv:3:4: bad (y.csv)");
	/* only where a path starts: /other/srv/data/ is another directory */
	bloc_error_set(BLOC_EIO, "/other/srv/data/x.csv and /srv/data/CATALOG.csv:2");
	bloc__error_relative("/srv/data");
	BLOC_CHECK_STR_EQ(bloc_error_last(), "/other/srv/data/x.csv and CATALOG.csv:2");
	bloc_error_clear();
}

/* The server's store (paths = 0): a file's message names it inside the data directory, and a
 * catalogue entry leading out of the directory is refused without reading it. */
BLOC_TEST(server_store_messages_name_files_in_the_directory)
{
	static const char *const files[] = {
	    "CATALOG.csv",
	    "id,kind,date,boundaries,path,format,filter,previous,notes\n"
	    "bad,general-election,2019-12-12,2023,res/bad.csv,canonical,,,\n"
	    "evil,general-election,2019-12-12,2023,../../../../../etc/passwd,canonical,,,\n",
	    "res/bad.csv",
	    "contest,date,seat_code,seat_name,region,nation,electorate,party,candidate,votes\n"
	    "bad,2019-12-12,E1,Aville,London,England,3000,LAB,L0,many\n",
	    NULL};
	bloc_store_options so = BLOC_STORE_OPTIONS_INIT;
	char dir[64], path[128];
	const bloc_contest *c;
	bloc_store *st = NULL;
	size_t i;
	FILE *fp;

	snprintf(dir, sizeof(dir), "/tmp/bloc-errors-XXXXXX");
	BLOC_REQUIRE(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/res", dir);
	BLOC_REQUIRE(mkdir(path, 0700) == 0);
	for (i = 0; files[i]; i += 2) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		BLOC_REQUIRE((fp = fopen(path, "wb")) != NULL);
		fputs(files[i + 1], fp);
		fclose(fp);
	}
	so.paths = 0;
	BLOC_REQUIRE(bloc_store_open(&st, dir, &so) == BLOC_OK);
	BLOC_CHECK(bloc_store_contest(st, "bad", &c) < 0);
	BLOC_CHECK(strncmp(bloc_error_last(), "loading bad: res/bad.csv:2:", 27) == 0);
	BLOC_CHECK(strstr(bloc_error_last(), dir) == NULL);
	BLOC_CHECK_INT_EQ(bloc_store_contest(st, "evil", &c), BLOC_EINVAL);
	BLOC_CHECK(strncmp(bloc_error_last(),
	                   "loading evil: CATALOG.csv:3: 'evil': expected a path "
	                   "inside the data directory",
	                   70) == 0);
	BLOC_CHECK(strstr(bloc_error_last(), "root") == NULL);
	bloc_store_free(st);
	/* the CLI's store says where the file is */
	so.paths = 1;
	BLOC_REQUIRE(bloc_store_open(&st, dir, &so) == BLOC_OK);
	BLOC_CHECK(bloc_store_contest(st, "bad", &c) < 0);
	BLOC_CHECK(strstr(bloc_error_last(), dir) != NULL);
	bloc_store_free(st);
	for (i = 0; files[i]; i += 2) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		unlink(path);
	}
	snprintf(path, sizeof(path), "%s/res", dir);
	rmdir(path);
	rmdir(dir);
	bloc_error_clear();
}

static void *other_thread(void *arg)
{
	int *seen = arg;

	seen[0] = bloc_error_last_code();
	seen[1] = bloc_error_last()[0] != '\0';
	bloc_error_set(BLOC_EIO, "from the other thread");
	return NULL;
}

BLOC_TEST(error_per_thread)
{
	pthread_t t;
	int seen[2] = {-99, -99};

	bloc_error_set(BLOC_EPARSE, "here");
	BLOC_REQUIRE(pthread_create(&t, NULL, other_thread, seen) == 0);
	pthread_join(t, NULL);
	BLOC_CHECK_INT_EQ(seen[0], BLOC_OK);
	BLOC_CHECK_INT_EQ(seen[1], 0);
	BLOC_CHECK_INT_EQ(bloc_error_last_code(), BLOC_EPARSE);
	BLOC_CHECK_STR_EQ(bloc_error_last(), "here");
}

/* ---- every allocation of every question fails in turn ----
 *
 * A small data directory (two contests on the same boundaries, a census file, a hex layout, EI
 * units) is written once; each question is then asked again and again with the n-th allocation
 * of the calling thread failing, n = 1, 2, ... until the question runs to its end without
 * reaching allocation n. Each failure must come back as BLOC_ENOMEM with a message that says what
 * was being done, not just "out of memory"; under ASan, nothing may leak on the way out. */

static const char *const fixture[] = {
    "CATALOG.csv",
    "id,kind,date,boundaries,path,format,filter,previous,notes\n"
    "ga,general-election,2019-12-12,2023,ga.csv,canonical,,,\n"
    "gb,general-election,2024-07-04,2023,gb.csv,canonical,,ga,\n"
    "census21-religion,census,2021,2023,rel.csv,ons-long-counts,,,\n"
    "hexa,hexmap,,2023,hex.hexjson,hexjson,,,\n",
    "ga.csv",
    "contest,date,seat_code,seat_name,region,nation,electorate,party,candidate,votes\n"
    "ga,2019-12-12,E1,Aville,London,England,3000,LAB,L0,500\n"
    "ga,2019-12-12,E1,Aville,London,England,3000,CON,C0,391\n"
    "ga,2019-12-12,E1,Aville,London,England,3000,LD,L0,122\n"
    "ga,2019-12-12,E1,Aville,London,England,3000,GRN,G0,83\n"
    "ga,2019-12-12,E1,Aville,London,England,3000,IND,I0,74\n"
    "ga,2019-12-12,E2,Btown,London,England,3000,LAB,L1,537\n"
    "ga,2019-12-12,E2,Btown,London,England,3000,CON,C1,478\n"
    "ga,2019-12-12,E2,Btown,London,England,3000,LD,L1,159\n"
    "ga,2019-12-12,E2,Btown,London,England,3000,GRN,G1,120\n"
    "ga,2019-12-12,E2,Btown,London,England,3000,IND,I1,111\n"
    "ga,2019-12-12,E3,Cford,North West,England,3000,LAB,L2,574\n"
    "ga,2019-12-12,E3,Cford,North West,England,3000,CON,C2,565\n"
    "ga,2019-12-12,E3,Cford,North West,England,3000,LD,L2,106\n"
    "ga,2019-12-12,E3,Cford,North West,England,3000,GRN,G2,67\n"
    "ga,2019-12-12,E3,Cford,North West,England,3000,IND,I2,58\n"
    "ga,2019-12-12,E4,Dham,North West,England,3000,LAB,L3,521\n"
    "ga,2019-12-12,E4,Dham,North West,England,3000,CON,C3,562\n"
    "ga,2019-12-12,E4,Dham,North West,England,3000,LD,L3,143\n"
    "ga,2019-12-12,E4,Dham,North West,England,3000,GRN,G3,104\n"
    "ga,2019-12-12,E4,Dham,North West,England,3000,IND,I3,95\n"
    "ga,2019-12-12,W1,Eby,Wales,Wales,3000,LAB,L4,558\n"
    "ga,2019-12-12,W1,Eby,Wales,Wales,3000,CON,C4,649\n"
    "ga,2019-12-12,W1,Eby,Wales,Wales,3000,LD,L4,180\n"
    "ga,2019-12-12,W1,Eby,Wales,Wales,3000,GRN,G4,51\n"
    "ga,2019-12-12,W1,Eby,Wales,Wales,3000,IND,I4,42\n",
    "gb.csv",
    "contest,date,seat_code,seat_name,region,nation,electorate,party,candidate,votes\n"
    "gb,2024-07-04,E1,Aville,London,England,3000,LAB,L0,507\n"
    "gb,2024-07-04,E1,Aville,London,England,3000,CON,C0,358\n"
    "gb,2024-07-04,E1,Aville,London,England,3000,LD,L0,129\n"
    "gb,2024-07-04,E1,Aville,London,England,3000,GRN,G0,120\n"
    "gb,2024-07-04,E1,Aville,London,England,3000,IND,I0,81\n"
    "gb,2024-07-04,E2,Btown,London,England,3000,LAB,L1,544\n"
    "gb,2024-07-04,E2,Btown,London,England,3000,CON,C1,445\n"
    "gb,2024-07-04,E2,Btown,London,England,3000,LD,L1,166\n"
    "gb,2024-07-04,E2,Btown,London,England,3000,GRN,G1,157\n"
    "gb,2024-07-04,E2,Btown,London,England,3000,IND,I1,118\n"
    "gb,2024-07-04,E3,Cford,North West,England,3000,LAB,L2,581\n"
    "gb,2024-07-04,E3,Cford,North West,England,3000,CON,C2,442\n"
    "gb,2024-07-04,E3,Cford,North West,England,3000,LD,L2,113\n"
    "gb,2024-07-04,E3,Cford,North West,England,3000,GRN,G2,104\n"
    "gb,2024-07-04,E3,Cford,North West,England,3000,IND,I2,65\n"
    "gb,2024-07-04,E4,Dham,North West,England,3000,LAB,L3,528\n"
    "gb,2024-07-04,E4,Dham,North West,England,3000,CON,C3,529\n"
    "gb,2024-07-04,E4,Dham,North West,England,3000,LD,L3,150\n"
    "gb,2024-07-04,E4,Dham,North West,England,3000,GRN,G3,141\n"
    "gb,2024-07-04,E4,Dham,North West,England,3000,IND,I3,102\n"
    "gb,2024-07-04,W1,Eby,Wales,Wales,3000,LAB,L4,565\n"
    "gb,2024-07-04,W1,Eby,Wales,Wales,3000,CON,C4,616\n"
    "gb,2024-07-04,W1,Eby,Wales,Wales,3000,LD,L4,187\n"
    "gb,2024-07-04,W1,Eby,Wales,Wales,3000,GRN,G4,88\n"
    "gb,2024-07-04,W1,Eby,Wales,Wales,3000,IND,I4,49\n",
    "rel.csv",
    "Constituencies Code,Constituencies,Religion (10 categories) Code,Religion (10 "
    "categories),Observation\n"
    "E1,Aville,-8,Does not apply,0\n"
    "E1,Aville,1,No religion,107\n"
    "E1,Aville,2,Christian,114\n"
    "E1,Aville,3,Buddhist,121\n"
    "E1,Aville,4,Hindu,128\n"
    "E1,Aville,5,Jewish,135\n"
    "E1,Aville,6,Muslim,142\n"
    "E1,Aville,7,Sikh,149\n"
    "E1,Aville,8,Other religion,156\n"
    "E1,Aville,9,Not answered,163\n"
    "E2,Btown,-8,Does not apply,0\n"
    "E2,Btown,1,No religion,120\n"
    "E2,Btown,2,Christian,127\n"
    "E2,Btown,3,Buddhist,134\n"
    "E2,Btown,4,Hindu,141\n"
    "E2,Btown,5,Jewish,148\n"
    "E2,Btown,6,Muslim,155\n"
    "E2,Btown,7,Sikh,162\n"
    "E2,Btown,8,Other religion,169\n"
    "E2,Btown,9,Not answered,176\n"
    "E3,Cford,-8,Does not apply,0\n"
    "E3,Cford,1,No religion,133\n"
    "E3,Cford,2,Christian,140\n"
    "E3,Cford,3,Buddhist,147\n"
    "E3,Cford,4,Hindu,154\n"
    "E3,Cford,5,Jewish,161\n"
    "E3,Cford,6,Muslim,168\n"
    "E3,Cford,7,Sikh,175\n"
    "E3,Cford,8,Other religion,182\n"
    "E3,Cford,9,Not answered,189\n"
    "E4,Dham,-8,Does not apply,0\n"
    "E4,Dham,1,No religion,146\n"
    "E4,Dham,2,Christian,153\n"
    "E4,Dham,3,Buddhist,160\n"
    "E4,Dham,4,Hindu,167\n"
    "E4,Dham,5,Jewish,174\n"
    "E4,Dham,6,Muslim,181\n"
    "E4,Dham,7,Sikh,188\n"
    "E4,Dham,8,Other religion,105\n"
    "E4,Dham,9,Not answered,112\n"
    "W1,Eby,-8,Does not apply,0\n"
    "W1,Eby,1,No religion,159\n"
    "W1,Eby,2,Christian,166\n"
    "W1,Eby,3,Buddhist,173\n"
    "W1,Eby,4,Hindu,180\n"
    "W1,Eby,5,Jewish,187\n"
    "W1,Eby,6,Muslim,104\n"
    "W1,Eby,7,Sikh,111\n"
    "W1,Eby,8,Other religion,118\n"
    "W1,Eby,9,Not answered,125\n",
    "hex.hexjson",
    "{\"layout\":\"odd-r\",\"hexes\":{\"E1\":{\"n\":\"Aville\",\"q\":0,\"r\":0},\"E2\":{\"n\":"
    "\"Btown\",\"q\":1,\"r\":0},\"E3\":{\"n\":\"Cford\",\"q\":2,\"r\":0},\"E4\":{\"n\":\"Dham\","
    "\"q\":0,\"r\":1},\"W1\":{\"n\":\"Eby\",\"q\":1,\"r\":1}}}\n",
    "units.csv",
    "ward,name,A,B,X,Y\n"
    "W1,N,20,80,44,56\n"
    "W2,S,50,50,52,48\n"
    "W3,E,80,20,71,29\n"
    "W4,W,10,90,33,67\n"
    "W5,M,30,70,48,52\n",
    NULL};

static char fixture_dir[64];

static int write_fixture(void)
{
	size_t i;

	snprintf(fixture_dir, sizeof(fixture_dir), "/tmp/bloc-errors-XXXXXX");
	if (!mkdtemp(fixture_dir))
		return -1;
	for (i = 0; fixture[i]; i += 2) {
		char path[128];
		FILE *fp;
		snprintf(path, sizeof(path), "%s/%s", fixture_dir, fixture[i]);
		if (!(fp = fopen(path, "wb")))
			return -1;
		fputs(fixture[i + 1], fp);
		if (fclose(fp) != 0)
			return -1;
	}
	return 0;
}

static void remove_fixture(void)
{
	size_t i;

	for (i = 0; fixture[i]; i += 2) {
		char path[128];
		snprintf(path, sizeof(path), "%s/%s", fixture_dir, fixture[i]);
		unlink(path);
	}
	rmdir(fixture_dir);
}

/* A question and its settings (key, value pairs; a NULL value is a flag; "@" in a value stands
 * for the data directory). */
struct question {
	const char *query;
	const char *set[24];
};

/* Open the store, build the request and run it: everything freed whatever happens. */
static int ask(const struct question *q)
{
	bloc_store *st = NULL;
	bloc_request *rq = NULL;
	bloc_answer a = BLOC_ANSWER_INIT;
	size_t i;
	int err;

	if ((err = bloc_store_open(&st, fixture_dir, NULL)) < 0 ||
	    (err = bloc_request_new(&rq, q->query)) < 0)
		goto done;
	for (i = 0; q->set[i]; i += 2) {
		const char *v = q->set[i + 1];
		char buf[256];
		if (v && v[0] == '@') {
			snprintf(buf, sizeof(buf), "%s%s", fixture_dir, v + 1);
			v = buf;
		}
		if ((err = bloc_request_set(rq, q->set[i], v)) < 0)
			goto done;
	}
	err = bloc_query_run(&a, st, rq);
done:
	bloc_answer_dispose(&a);
	bloc_request_free(rq);
	bloc_store_free(st);
	return err;
}

/* Messages that do not say what was being done. */
static int context_free(const char *m)
{
	static const char *const bare[] = {"out of memory (", "out of memory growing an array",
	                                   "out of memory building a document"};
	size_t i;

	if (strcmp(m, "out of memory") == 0 || !*m)
		return 1;
	for (i = 0; i < sizeof(bare) / sizeof(bare[0]); i++)
		if (strncmp(m, bare[i], strlen(bare[i])) == 0)
			return 1;
	return 0;
}

static size_t nknown;

static const struct question questions[24];

/* The distinct bad messages seen, each reported once with the first question and allocation. */
#define MAX_BAD 256
static char bad_seen[MAX_BAD][160];
static size_t nbad;

static void report_bad(const struct question *q, unsigned long n, int err, const char *m)
{
	size_t i;

	if (getenv("BLOC_TEST_LIST"))
		printf("%zu %lu %s\n", (size_t)(q - questions), n, m);
	for (i = 0; i < nbad; i++)
		if (strncmp(bad_seen[i], m, sizeof(bad_seen[i]) - 1) == 0)
			return;
	if (nbad < MAX_BAD)
		snprintf(bad_seen[nbad++], sizeof(bad_seen[0]), "%s", m);
	BLOC_FAIL_("%s (%s ...): allocation %lu: returned %d (last code %d): \"%s\"", q->query,
	           q->set[0] ? q->set[1] : "", n, err, bloc_error_last_code(), m);
}

/* Fail allocation n = 1, 2, ... of `q` until it runs without reaching n. @return the number of
 * allocations the question makes, 0 if it could not be run. */
static unsigned long oom_sweep(const struct question *q)
{
	unsigned long n;
	int err;

	bloc_error_clear();
	if ((err = ask(q)) < 0) {
		BLOC_FAIL_("%s: fails with no failure injected: %s", q->query, bloc_error_last());
		return 0;
	}
	for (n = 1;; n++) {
		const char *m;
		unsigned long pending;
		bloc_error_clear();
		bloc__alloc_fail_after(n);
		err = ask(q);
		pending = bloc__alloc_fail_pending();
		bloc__alloc_fail_after(0);
		if (pending) {
			if (err < 0)
				BLOC_FAIL_("%s: fails without reaching allocation %lu: %s",
				           q->query, n, bloc_error_last());
			return n - 1;
		}
		if (err == BLOC_OK)
			continue; /* the failure was absorbed (a cache or an optional step) */
		m = bloc_error_last();
		bloc_checks_++;
		/* BLOC_ERRORS_LENIENT=1 lists context-free messages instead of failing on them */
		if (err == BLOC_ENOMEM && context_free(m) && getenv("BLOC_ERRORS_LENIENT")) {
			if (nknown++ < 4 || getenv("BLOC_TEST_LIST"))
				fprintf(stderr,
				        "known: %s (question %zu): allocation %lu: \"%s\"\n",
				        q->query, (size_t)(q - questions), n, m);
			continue;
		}
		if (err != BLOC_ENOMEM || bloc_error_last_code() != BLOC_ENOMEM ||
		    !strstr(m, "out of memory") || context_free(m))
			report_bad(q, n, err, m);
	}
}

static const struct question questions[24] = {
    {"elections", {NULL}},
    {"results", {"contest", "gb", "by", "seat", NULL}},
    {"results", {"contest", "gb", "by", "region", NULL}},
    {"seat", {"contest", "gb", "seat", "E1", NULL}},
    {"swing", {"from", "ga", "to", "gb", "pair", "CON,LAB", NULL}},
    {"targets", {"contest", "gb", "party", "LAB", NULL}},
    {"indices", {"contest", "gb", "wasted", NULL, NULL}},
    {"export", {"contest", "gb", NULL}},
    {"project", {"base", "gb", "shares", "LAB=30,CON=35", "by", "seat", NULL}},
    {"project", {"base", "gb", "group", "muslim:LAB=-20,IND=+12", "model", "strong", NULL}},
    {"backtest", {"from", "ga", "to", "gb", NULL}},
    {"power", {"contest", "gb", "group", "muslim", "sims", "20", "seed", "1", NULL}},
    {"ei", {"contest", "gb", "groups", "muslim", NULL}},
    {"ei",
     {"units", "@/units.csv", "id", "ward", "groups", "A,B", "parties", "X,Y", "method", "king",
      "draws", "100", "seed", "1", NULL}},
    {"ei", {"units",  "@/units.csv", "id",      "ward",  "groups", "A,B",    "parties",
            "X,Y",    "method",      "rxc",     "draws", "100",    "chains", "2",
            "burnin", "100",         "threads", "1",     "seed",   "1",      NULL}},
    {"map", {"contest", "gb", NULL}},
    {"map", {"contest", "gb", "colour", "change", "shares", "LAB=30", NULL}},
    {"chart", {"contest", "gb", "type", "parliament", NULL}},
    {"chart", {"contest", "gb", "type", "swing:ga", "pair", "CON,LAB", NULL}},
    {"chart", {"contest", "gb", "type", "votes-seats", NULL}},
    {"report", {"contest", "gb", "group", "muslim", NULL}},
};

BLOC_TEST(every_allocation_failure_is_reported)
{
	size_t i;

	BLOC_REQUIRE(write_fixture() == 0);
	if (getenv("BLOC_TEST_ONLY")) { /* "i n": question i with allocation n failing, once */
		unsigned long n = 0;
		sscanf(getenv("BLOC_TEST_ONLY"), "%zu %lu", &i, &n);
		bloc__alloc_fail_after(n);
		i = (size_t)ask(&questions[i]);
		bloc__alloc_fail_after(0);
		fprintf(stderr, "returned %d: %s\n", (int)i, bloc_error_last());
		remove_fixture();
		return;
	}
	for (i = 0; i < sizeof(questions) / sizeof(questions[0]) && questions[i].query; i++) {
		unsigned long n = oom_sweep(&questions[i]);
		if (getenv("BLOC_TEST_VERBOSE"))
			fprintf(stderr, "%s: %lu allocations\n", questions[i].query, n);
	}
	remove_fixture();
	if (nknown)
		fprintf(stderr,
		        "known: %zu failures with a message that does not say what was being "
		        "done, in modules listed above this test\n",
		        nknown);
}

/* A question's error never outlives it: the next question starts with no error. */
BLOC_TEST(query_clears_the_last_error)
{
	static const struct question good = {"results", {"contest", "gb", NULL}};
	static const struct question bad = {"results", {"contest", "nosuch", NULL}};

	BLOC_REQUIRE(write_fixture() == 0);
	bloc_error_set(BLOC_EPARSE, "x.csv:1:1: a stale error");
	BLOC_CHECK_OK(ask(&good));
	BLOC_CHECK_INT_EQ(bloc_error_last_code(), BLOC_OK);
	BLOC_CHECK_STR_EQ(bloc_error_last(), "");
	BLOC_CHECK(ask(&bad) < 0);
	BLOC_CHECK(bloc_error_last_code() < 0);
	BLOC_CHECK_CONTAINS(bloc_error_last(), "nosuch");
	BLOC_CHECK_OK(ask(&good));
	BLOC_CHECK_INT_EQ(bloc_error_last_code(), BLOC_OK);
	BLOC_CHECK_STR_EQ(bloc_error_last(), "");
	remove_fixture();
}
