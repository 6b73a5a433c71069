/* Queries: requests from settings or JSON, the errors they give, and one call's error never
 * outliving it. Reads the real data (BLOC_DATA). */
#include "harness.h"

#include "bloc/bloc.h"
#include "core/alloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bloc_store *open_store(void)
{
	bloc_store *st = NULL;

	if (!bloc_test_data() || bloc_store_open(&st, bloc_test_data(), NULL) < 0)
		return NULL;
	return st;
}

/* Run `query` with settings given as "key", "value", ..., NULL; the answer's JSON in *json. */
static int ask(bloc_store *st, char **json, const char *query, ...)
{
	bloc_answer a = BLOC_ANSWER_INIT;
	bloc_request *rq = NULL;
	const char *key;
	size_t len = 0;
	va_list ap;
	FILE *fp;
	int err;

	*json = NULL;
	if ((err = bloc_request_new(&rq, query)) < 0)
		return err;
	va_start(ap, query);
	while (err == BLOC_OK && (key = va_arg(ap, const char *)) != NULL)
		err = bloc_request_set(rq, key, va_arg(ap, const char *));
	va_end(ap);
	if (err == BLOC_OK && (err = bloc_query_run(&a, st, rq)) == BLOC_OK && a.table &&
	    (fp = open_memstream(json, &len)) != NULL) {
		err = bloc_table_write(a.table, fp, BLOC_FORMAT_JSON);
		fclose(fp);
	}
	bloc_answer_dispose(&a);
	bloc_request_free(rq);
	return err;
}

BLOC_TEST(query_unknown_question_and_setting)
{
	bloc_request *rq = NULL;

	BLOC_CHECK_INT_EQ(bloc_request_new(&rq, "horoscope"), BLOC_ENOTFOUND);
	BLOC_CHECK_CONTAINS(bloc_error_last(), "results");
	BLOC_CHECK_OK(bloc_request_new(&rq, "results"));
	BLOC_CHECK_INT_EQ(bloc_request_set(rq, "colour", "red"), BLOC_EUSAGE);
	BLOC_CHECK_CONTAINS(bloc_error_last(), "colour");
	BLOC_CHECK_INT_EQ(bloc_request_set(rq, "by", "planet"), BLOC_EUSAGE);
	BLOC_CHECK_CONTAINS(bloc_error_last(), "planet");
	bloc_request_free(rq);
}

/* A value is checked where it is given, and its kind of error says whose it is. */
BLOC_TEST(query_values_checked_when_set)
{
	bloc_request *rq = NULL;

	BLOC_CHECK_OK(bloc_request_new(&rq, "power"));
	BLOC_CHECK_INT_EQ(bloc_request_set(rq, "cohesion", "high"), BLOC_EPARSE);
	BLOC_CHECK_INT_EQ(bloc_request_set(rq, "cohesion", "1.5"), BLOC_EINVAL);
	BLOC_CHECK_CONTAINS(bloc_error_last(), "--cohesion");
	BLOC_CHECK_INT_EQ(bloc_request_set(rq, "sims", "ten"), BLOC_EUSAGE);
	BLOC_CHECK_INT_EQ(bloc_request_set(rq, "support", "XYZ=5"), BLOC_ENOTFOUND);
	BLOC_CHECK_OK(bloc_request_set(rq, "cohesion", "0.5"));
	BLOC_CHECK_INT_EQ(bloc_request_is_flag(rq, "decisive"), 1);
	BLOC_CHECK_INT_EQ(bloc_request_is_flag(rq, "cohesion"), 0);
	BLOC_CHECK_INT_EQ(bloc_request_is_flag(rq, "colour"), -1);
	bloc_request_free(rq);
	BLOC_CHECK_OK(bloc_request_new(&rq, "project"));
	BLOC_CHECK_INT_EQ(bloc_request_set(rq, "shares", "LAB=90,CON=30") < 0, 1);
	BLOC_CHECK_CONTAINS(bloc_error_last(), "above 100");
	bloc_request_free(rq);
}

/* A setting's choices, as completion lists them, are exactly what the setting accepts. */
BLOC_TEST(query_choices_listed)
{
	static const char *const queries[] = {"results", "project", "ei"};
	bloc_request *rq = NULL;
	const char *const *ch;
	size_t k, i;

	for (k = 0; k < sizeof(queries) / sizeof(queries[0]); k++) {
		BLOC_CHECK_OK(bloc_request_new(&rq, queries[k]));
		ch = bloc_request_choices(rq, "by");
		BLOC_REQUIRE(ch != NULL);
		BLOC_CHECK(ch[0] != NULL);
		for (i = 0; ch[i]; i++)
			BLOC_CHECK_OK(bloc_request_set(rq, "by", ch[i]));
		BLOC_CHECK_INT_EQ(bloc_request_set(rq, "by", "planet"), BLOC_EUSAGE);
		bloc_request_free(rq);
	}
	BLOC_CHECK_OK(bloc_request_new(&rq, "project"));
	ch = bloc_request_choices(rq, "model");
	BLOC_CHECK(ch == NULL); /* a scenario setting, parsed with the scenario */
	BLOC_CHECK(bloc_request_choices(rq, "base") == NULL);
	BLOC_CHECK(bloc_request_choices(rq, "nosuchsetting") == NULL);
	bloc_request_free(rq);
}

/* Settings as JSON and as text are the same request. */
BLOC_TEST(query_json_and_settings_agree)
{
	bloc_store *st = open_store();
	bloc_answer a = BLOC_ANSWER_INIT;
	bloc_request *rq = NULL;
	static const char body[] = "{\"contest\":\"ge2019\",\"by\":\"nation\"}";
	char *one = NULL, *two = NULL;
	size_t len = 0;
	FILE *fp;

	BLOC_REQUIRE(st != NULL);
	BLOC_CHECK_OK(ask(st, &one, "results", "contest", "ge2019", "by", "nation", NULL));
	BLOC_CHECK_OK(bloc_request_new(&rq, "results"));
	BLOC_CHECK_OK(bloc_request_set_json(rq, body, strlen(body)));
	BLOC_CHECK_OK(bloc_query_run(&a, st, rq));
	BLOC_REQUIRE(a.table != NULL && (fp = open_memstream(&two, &len)) != NULL);
	BLOC_CHECK_OK(bloc_table_write(a.table, fp, BLOC_FORMAT_JSON));
	fclose(fp);
	BLOC_REQUIRE(one && two);
	BLOC_CHECK_STR_EQ(one, two);
	BLOC_CHECK_CONTAINS(one, "\"by\":\"nation\"");
	BLOC_CHECK_INT_EQ(bloc_request_set_json(rq, "[1]", 3), BLOC_EPARSE);
	free(one);
	free(two);
	bloc_answer_dispose(&a);
	bloc_request_free(rq);
	bloc_store_free(st);
}

/* A second call never shows the first one's error. */
BLOC_TEST(query_error_does_not_outlive_its_call)
{
	bloc_store *st = open_store();
	char *json = NULL;

	BLOC_REQUIRE(st != NULL);
	BLOC_CHECK_INT_EQ(ask(st, &json, "results", "contest", "ge1066", NULL) < 0, 1);
	BLOC_CHECK_CONTAINS(bloc_error_last(), "ge1066");
	BLOC_CHECK_OK(ask(st, &json, "results", "contest", "ge2024", NULL));
	BLOC_CHECK_STR_EQ(bloc_error_last(), "");
	BLOC_CHECK_INT_EQ(bloc_error_last_code(), BLOC_OK);
	free(json);
	BLOC_CHECK_INT_EQ(ask(st, &json, "results", "contest", "ge1066", NULL) < 0, 1);
	BLOC_CHECK_INT_EQ(ask(st, &json, "power", "contest", "ge2024", NULL), BLOC_EUSAGE);
	BLOC_CHECK_CONTAINS(bloc_error_last(), "--group");
	BLOC_CHECK(strstr(bloc_error_last(), "ge1066") == NULL);
	bloc_store_free(st);
}

/* Every allocation of a query in turn fails: each failure is BLOC_ENOMEM with a message that
 * says what was being done, and nothing leaks (ASan). */
BLOC_TEST(query_out_of_memory_says_what)
{
	static const char *const cases[][5] = {
	    {"results", "contest", "by2021-batley-and-spen", "by", "seat"},
	    {"project", "base", "by2021-batley-and-spen", "shares", "LAB=30,CON=22"},
	    {"power", "contest", "by2021-batley-and-spen", "group", "muslim"},
	};
	size_t k;

	for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		unsigned long n;
		int err = BLOC_ENOMEM;
		for (n = 1; n < 100000 && err == BLOC_ENOMEM; n++) {
			bloc_store *st = open_store();
			char *json = NULL;
			BLOC_REQUIRE(st != NULL);
			bloc__alloc_fail_after(n);
			err = ask(st, &json, cases[k][0], cases[k][1], cases[k][2], cases[k][3],
			          cases[k][4], NULL);
			bloc__alloc_fail_after(0);
			if (err == BLOC_ENOMEM) {
				BLOC_CHECK_CONTAINS(bloc_error_last(), "out of memory");
				/* "out of memory" and what: more than the bare words */
				if (strlen(bloc_error_last()) <= strlen("out of memory") + 3)
					fprintf(stderr, "%s, allocation %lu: '%s'\n", cases[k][0],
					        n, bloc_error_last());
				BLOC_CHECK(strlen(bloc_error_last()) > strlen("out of memory") + 3);
			} else {
				BLOC_CHECK_OK(err);
			}
			free(json);
			bloc_store_free(st);
		}
	}
}
