/* A tiny non-forking test harness (after Redis's testhelp.h and clar): BLOC_TEST registers a
 * function, BLOC_CHECK* record failures and carry on, main() prints "N passed, N failed". */
#ifndef BLOC_TEST_HARNESS_H
#define BLOC_TEST_HARNESS_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef void (*bloc_test_fn)(void);
struct bloc_test_case {
	const char *name;
	bloc_test_fn fn;
};

#define BLOC_MAX_TESTS 512
extern struct bloc_test_case bloc_tests_[BLOC_MAX_TESTS];
extern int bloc_ntests_, bloc_failures_, bloc_checks_;

#define BLOC_TEST(name)                                                                            \
	static void test_##name(void);                                                             \
	__attribute__((constructor)) static void register_##name(void)                             \
	{                                                                                          \
		if (bloc_ntests_ < BLOC_MAX_TESTS)                                                 \
			bloc_tests_[bloc_ntests_++] = (struct bloc_test_case){#name, test_##name}; \
	}                                                                                          \
	static void test_##name(void)

#define BLOC_FAIL_(...)                                                                            \
	do {                                                                                       \
		bloc_failures_++;                                                                  \
		fprintf(stderr, "%s:%d: ", __FILE__, __LINE__);                                    \
		fprintf(stderr, __VA_ARGS__);                                                      \
		fputc('\n', stderr);                                                               \
	} while (0)

#define BLOC_CHECK(cond)                                                                           \
	do {                                                                                       \
		bloc_checks_++;                                                                    \
		if (!(cond))                                                                       \
			BLOC_FAIL_("check failed: %s", #cond);                                     \
	} while (0)

/* Stops the current test when an essential step fails (later checks would only crash). */
#define BLOC_REQUIRE(cond)                                                                         \
	do {                                                                                       \
		bloc_checks_++;                                                                    \
		if (!(cond)) {                                                                     \
			BLOC_FAIL_("requirement failed: %s", #cond);                               \
			return;                                                                    \
		}                                                                                  \
	} while (0)

#define BLOC_CHECK_OK(expr)                                                                        \
	do {                                                                                       \
		int rc_ = (expr);                                                                  \
		bloc_checks_++;                                                                    \
		if (rc_ < 0) {                                                                     \
			BLOC_FAIL_("%s returned %d: %s", #expr, rc_, bloc_error_last());           \
			return;                                                                    \
		}                                                                                  \
	} while (0)

#define BLOC_CHECK_INT_EQ(a, b)                                                                    \
	do {                                                                                       \
		long long a_ = (long long)(a), b_ = (long long)(b);                                \
		bloc_checks_++;                                                                    \
		if (a_ != b_)                                                                      \
			BLOC_FAIL_("%s == %lld, expected %s == %lld", #a, a_, #b, b_);             \
	} while (0)

#define BLOC_CHECK_STR_EQ(a, b)                                                                    \
	do {                                                                                       \
		const char *a_ = (a), *b_ = (b);                                                   \
		bloc_checks_++;                                                                    \
		if (!a_ || !b_ || strcmp(a_, b_) != 0)                                             \
			BLOC_FAIL_("%s == \"%s\", expected \"%s\"", #a, a_ ? a_ : "(null)",        \
			           b_ ? b_ : "(null)");                                            \
	} while (0)

#define BLOC_CHECK_CONTAINS(hay, needle)                                                           \
	do {                                                                                       \
		const char *h_ = (hay), *n_ = (needle);                                            \
		bloc_checks_++;                                                                    \
		if (!h_ || !strstr(h_, n_))                                                        \
			BLOC_FAIL_("%s == \"%s\" does not contain \"%s\"", #hay,                   \
			           h_ ? h_ : "(null)", n_);                                        \
	} while (0)

/* |a-b| <= abs_tol + rel_tol*|b| */
#define BLOC_CHECK_NEAR(a, b, rel_tol, abs_tol)                                                    \
	do {                                                                                       \
		double a_ = (a), b_ = (b);                                                         \
		bloc_checks_++;                                                                    \
		if (!(fabs(a_ - b_) <= (abs_tol) + (rel_tol)*fabs(b_)))                            \
			BLOC_FAIL_("%s == %.10g, expected %.10g (rel %g, abs %g)", #a, a_, b_,     \
			           (double)(rel_tol), (double)(abs_tol));                          \
	} while (0)

/* The data directory for tests that read the real files: $BLOC_DATA. NULL if unset. */
const char *bloc_test_data(void);

struct bloc_dataset;
/* The real data directory, opened once and freed at exit. Unset $BLOC_DATA or a directory that
 * does not open is a test failure (never a skip), and NULL is returned. */
struct bloc_dataset *bloc_test_dataset(void);

#endif
