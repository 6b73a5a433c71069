#include "harness.h"

#include "bloc/dataset.h"
#include "bloc/io.h"
#include "bloc/error.h"

struct bloc_test_case bloc_tests_[BLOC_MAX_TESTS];
int bloc_ntests_, bloc_failures_, bloc_checks_;

const char *bloc_test_data(void)
{
	const char *d = getenv("BLOC_DATA");

	return d && *d ? d : NULL;
}

static bloc_dataset *test_ds;

static void free_test_dataset(void)
{
	bloc_dataset_free(test_ds);
	test_ds = NULL;
}

bloc_dataset *bloc_test_dataset(void)
{
	const char *dir = bloc_test_data();

	if (test_ds)
		return test_ds;
	if (!dir) {
		BLOC_FAIL_("BLOC_DATA is not set: these tests read the real data files");
		return NULL;
	}
	if (bloc_dataset_open(&test_ds, dir) < 0) {
		BLOC_FAIL_("bloc_dataset_open(%s): %s", dir, bloc_error_last());
		return NULL;
	}
	atexit(free_test_dataset);
	return test_ds;
}

int main(int argc, char **argv)
{
	int i, failed_tests = 0;

	for (i = 0; i < bloc_ntests_; i++) {
		int before = bloc_failures_;
		if (argc > 1 && !strstr(bloc_tests_[i].name, argv[1]))
			continue;
		bloc_tests_[i].fn();
		if (bloc_failures_ != before) {
			failed_tests++;
			fprintf(stderr, "FAIL %s\n", bloc_tests_[i].name);
		}
	}
	printf("%d passed, %d failed (%d checks)\n", bloc_ntests_ - failed_tests, failed_tests,
	       bloc_checks_);
	return failed_tests ? 1 : 0;
}
