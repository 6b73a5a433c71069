/* libFuzzer target for the poll-family readers (src/lib/io/polls.c): polls (PollBase, the final
 * 2024 polls, any pollster/end/party CSV), published seat projections (MRPs) and by-election
 * share changes, and the poll average over what was read.
 *
 * Each input is written to a temporary file and read by all three readers. Contracts: on success
 * every poll share is NaN or within 0..1, every date BLOC_NO_DATE or a real day, a sample size NaN
 * or above 0; the average (at the newest end date, with and without house effects) either fails
 * with a message or gives shares within 0..1 or NaN; every MRP seat count is -1 or at least 0;
 * on failure a message is set. With allocations failing, every call fails cleanly or succeeds.
 * A broken contract aborts. */
#include "bloc/error.h"
#include "bloc/forecast.h"
#include "bloc/io.h"
#include "file_input.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define EXPECT(cond)                                                                               \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "fuzz_polls: contract broken: %s (line %d)\n", #cond,      \
			        __LINE__);                                                         \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

static int is_day(int32_t d)
{
	return d == BLOC_NO_DATE ||
	       (d >= bloc_date_days("1800-01-01") && d <= bloc_date_days("2200-12-31"));
}

static void average(const bloc_polls *pl, int house)
{
	bloc_poll_average_options o;
	bloc_poll_average a;
	int32_t newest = BLOC_NO_DATE;
	size_t i;

	for (i = 0; i < pl->npolls; i++)
		if (pl->end[i] != BLOC_NO_DATE && pl->end[i] > newest)
			newest = pl->end[i];
	bloc_poll_average_options_init(&o);
	o.date = newest;
	o.house_effects = house;
	if (bloc_polls_average(&a, pl, &o) < 0) {
		EXPECT(*bloc_error_last());
		return;
	}
	EXPECT(a.used > 0);
	for (i = 0; i < a.nparties; i++)
		EXPECT(isnan(a.share[i]) || (a.share[i] >= -1e-9 && a.share[i] <= 1 + 1e-9) ||
		       house);
	bloc_poll_average_dispose(&a);
}

static void run(const char *path)
{
	bloc_polls *pl = NULL;
	bloc_mrp *m = NULL;
	bloc_by_changes *b = NULL;
	size_t i;

	if (bloc_polls_load(&pl, path) < 0) {
		EXPECT(*bloc_error_last());
	} else {
		for (i = 0; i < pl->npolls * pl->nparties; i++)
			EXPECT(isnan(pl->share[i]) || (pl->share[i] >= 0 && pl->share[i] <= 1));
		for (i = 0; i < pl->npolls; i++) {
			EXPECT(is_day(pl->start[i]) && is_day(pl->end[i]));
			EXPECT(isnan(pl->n[i]) || pl->n[i] > 0);
		}
		average(pl, 0);
		average(pl, 1);
		bloc_polls_free(pl);
	}
	if (bloc_mrp_load(&m, path) < 0) {
		EXPECT(*bloc_error_last());
	} else {
		for (i = 0; i < m->n * m->nparties; i++)
			EXPECT(m->seats[i] >= -1 && m->low[i] >= -1 && m->high[i] >= -1);
		bloc_mrp_free(m);
	}
	if (bloc_by_changes_load(&b, path) < 0) {
		EXPECT(*bloc_error_last());
	} else {
		for (i = 0; i < b->n; i++)
			EXPECT(is_day(b->date[i]));
		bloc_by_changes_free(b);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_file_input("fuzz_polls", data, size, run, 16, 4);
	return 0;
}
