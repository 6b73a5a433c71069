/* The error state: a code and a message per thread, out-of-memory and context helpers. */
#include "harness.h"

#include "bloc/error.h"

#include <pthread.h>
#include <string.h>

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
