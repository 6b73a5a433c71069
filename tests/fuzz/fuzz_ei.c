/* libFuzzer target for the EI units reader (bloc_ei_load_csv, src/lib/ei/input.c) and what runs
 * on whatever it accepts: Goodman's regression and the Duncan-Davis bounds.
 *
 * The input is a CSV file (written to a temporary file: the reader takes a path) read as units
 * with id column "id", groups A,B and parties X,Y,Z. Contracts: a failure leaves the input
 * zeroed and sets a message; a success has more units than groups, totals above 0, counts at
 * least 0, each unit's group counts summing to its party counts (to 1e-6 relative), and its
 * bounds inside 0..1 with lo <= hi, aggregated too; Goodman either fits or fails cleanly (a
 * collinear input). With allocations failing, every call fails cleanly or succeeds. A broken
 * contract aborts. */
#include "bloc/ei.h"
#include "bloc/error.h"
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
			fprintf(stderr, "fuzz_ei: contract broken: %s (line %d)\n", #cond,         \
			        __LINE__);                                                         \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

static const char *const groups[] = {"A", "B"};
static const char *const parties[] = {"X", "Y", "Z"};

static void check_input(const bloc_ei_input *in)
{
	size_t i, k;

	EXPECT(in->n > in->R && in->R == 2 && in->C == 3);
	for (i = 0; i < in->n; i++) {
		double g = 0, p = 0;
		EXPECT(in->unit[i] && *in->unit[i]);
		EXPECT(in->total[i] > 0 && isfinite(in->total[i]));
		for (k = 0; k < in->R; k++) {
			EXPECT(in->gcount[i * in->R + k] >= 0);
			g += in->gcount[i * in->R + k];
		}
		for (k = 0; k < in->C; k++) {
			EXPECT(in->pcount[i * in->C + k] >= 0);
			p += in->pcount[i * in->C + k];
		}
		EXPECT(fabs(g - p) <= 1e-6 * fmax(g, p) + 1e-9);
	}
}

static void check_methods(const bloc_ei_input *in)
{
	bloc_ei_bounds b;
	bloc_ei_goodman g;
	size_t k;

	if (bloc_ei_bounds_compute(&b, in) == BLOC_OK) {
		for (k = 0; k < in->n * in->R * in->C; k++)
			EXPECT(b.lo[k] >= 0 && b.hi[k] <= 1 + 1e-12 && b.lo[k] <= b.hi[k] + 1e-12);
		for (k = 0; k < in->R * in->C; k++)
			EXPECT(!(b.agg_lo[k] > b.agg_hi[k] + 1e-12));
		bloc_ei_bounds_dispose(&b);
	} else {
		EXPECT(*bloc_error_last());
	}
	if (bloc_ei_goodman_fit(&g, in, 1) == BLOC_OK)
		bloc_ei_goodman_dispose(&g);
	else
		EXPECT(*bloc_error_last());
}

static void run(const char *path)
{
	bloc_ei_input in;

	if (bloc_ei_load_csv(&in, path, "id", groups, 2, parties, 3) == BLOC_OK) {
		check_input(&in);
		check_methods(&in);
		bloc_ei_input_dispose(&in);
	} else {
		EXPECT(in.n == 0 && in.unit == NULL && in.gcount == NULL);
		EXPECT(*bloc_error_last());
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_file_input("fuzz_ei", data, size, run, 24, 3);
	return 0;
}
