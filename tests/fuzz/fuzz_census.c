/* libFuzzer target for the census readers (src/lib/io/load_census.c): ONS long counts, NRS
 * Scotland counts, the BES wide file and plain shares files.
 *
 * Each input is written to a temporary file (the readers take a path) and read by all four
 * readers for a religion and an ethnic group, against a small contest of one English, one
 * Scottish and one Northern Irish seat. Contracts: on success every share is NaN or within 0..1,
 * every population NaN or at least 0, and the reader found no more seats than the contest has;
 * on failure a message is set. With allocations failing, every call fails cleanly or succeeds.
 * A broken contract aborts. */
#include "bloc/dataset.h"
#include "bloc/error.h"
#include "bloc/io.h"
#include "file_input.h"
#include "io/census.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define EXPECT(cond)                                                                               \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "fuzz_census: contract broken: %s (line %d)\n", #cond,     \
			        __LINE__);                                                         \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

static const char contest_csv[] =
    "contest,date,seat_code,seat_name,region,nation,electorate,party,candidate,votes\n"
    "mini,2024-07-04,E14000001,Aville,London,England,1000,LAB,A,500\n"
    "mini,2024-07-04,S14000001,\"Perth and Kinross-shire\",Scotland,Scotland,1000,SNP,B,400\n"
    "mini,2024-07-04,N06000001,Ntown,Northern Ireland,Northern Ireland,1000,SF,C,300\n";

static bloc_contest *contest;

static int any_group(const char *name, void *payload)
{
	(void)payload;
	return strcmp(name, "muslim") == 0 || strcmp(name, "kashmiri") == 0;
}

static void check(int rc, const double *share, const double *pop, const bloc__census_found *f)
{
	size_t s;

	if (rc < 0) {
		EXPECT(*bloc_error_last());
		return;
	}
	EXPECT(f->matched <= contest->nseats && f->by_code <= f->matched);
	for (s = 0; s < contest->nseats; s++) {
		EXPECT(isnan(share[s]) || (share[s] >= 0 && share[s] <= 1));
		EXPECT(isnan(pop[s]) || pop[s] >= 0);
	}
}

static void run(const char *path)
{
	static const int groups[] = {BLOC__G_MUSLIM, BLOC__G_ASIAN};
	double share[3], pop[3];
	size_t k, s;

	for (k = 0; k < 2; k++) {
		int which;
		for (which = 0; which < 4; which++) {
			bloc__census_found f;
			char *names = NULL;
			int rc;
			memset(&f, 0, sizeof(f));
			for (s = 0; s < 3; s++)
				share[s] = pop[s] = NAN;
			switch (which) {
			case 0:
				rc =
				    bloc__census_read_ons(path, contest, groups[k], share, pop, &f);
				break;
			case 1:
				rc =
				    bloc__census_read_nrs(path, contest, groups[k], share, pop, &f);
				break;
			case 2:
				rc =
				    bloc__census_read_bes(path, contest, groups[k], share, pop, &f);
				break;
			default:
				rc = bloc__census_read_plain(path, contest, any_group, share, pop,
				                             &f, &names, NULL);
				break;
			}
			check(rc, share, pop, &f);
			free(names);
			bloc__census_found_dispose(&f);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!contest) {
		bloc_load_options o = BLOC_LOAD_OPTIONS_INIT;
		o.id = "mini";
		if (bloc_contest_load_mem(&contest, contest_csv, strlen(contest_csv), &o) < 0) {
			fprintf(stderr, "fuzz_census: mini contest: %s\n", bloc_error_last());
			abort();
		}
	}
	fuzz_file_input("fuzz_census", data, size, run, 16, 4);
	return 0;
}
