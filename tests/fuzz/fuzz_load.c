/* libFuzzer target for the results loaders (bloc_contest_load_mem) and, behind them, the
 * contest builder and the first analyses.
 *
 * Each input is loaded with the format recognised from its header, then once with each explicit
 * format name (a file in the wrong format must be refused with a message, never crash). A contest
 * that loads is checked against the invariants promised in contest.h, run through seat results,
 * totals, indices, targets and a swing against itself, and written as canonical CSV and read back
 * (dataset.h promises the round trip). Every result is also rendered as a table and written
 * as text, CSV and JSON: the JSON must parse (jansson) and every CSV record must have as many
 * fields as the table has columns. Last, the auto-detected load runs again while allocations
 * fail after a count derived from the input: it must fail cleanly and leak nothing. */
#include "bloc/analysis.h"
#include "bloc/contest.h"
#include "bloc/csv.h"
#include "bloc/dataset.h"
#include "bloc/error.h"
#include "bloc/io.h"
#include "bloc/party.h"
#include "bloc/render.h"
#include "core/alloc.h"

#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define EXPECT(cond)                                                                               \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "fuzz_load: contract broken: %s (line %d)\n", #cond,       \
			        __LINE__);                                                         \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

/* The contest formats of CATALOG.csv, and bloc's own canonical long CSV. */
static const char *const formats[] = {
    "hoc-constituency-wide-2017", "hoc-constituency-wide-2019",
    "hoc-constituency-wide-2024", "hoc-candidate-long",
    "hoc-candidate-long-2024",    "rallings-thrasher-notional",
    "key-by-election-candidates", "key-by-election-previous",
    "hoc-by-election-wide",       "canonical",
};
#define NFORMATS (sizeof(formats) / sizeof(formats[0]))

static volatile double sink;

/* The invariants of contest.h, for any contest a loader accepted. */
static void check_contest(const bloc_contest *c)
{
	size_t s, k, p, np = bloc_party_count();

	EXPECT(c->id && c->date && c->source && c->format);
	EXPECT(c->nseats >= 1);
	EXPECT(c->cand_off[0] == 0 && c->cand_off[c->nseats] == c->ncand);
	for (p = 0; p < c->nparties; p++) {
		EXPECT(c->parties[p] < np);
		EXPECT(bloc_contest_party_col(c, c->parties[p]) == (long)p);
	}
	for (s = 0; s < c->nseats; s++) {
		int64_t sum = 0, rowsum = 0;

		EXPECT(c->code[s] && c->name[s] && c->region[s] && c->nation[s]);
		EXPECT(bloc_contest_seat(c, c->code[s]) >= 0);
		EXPECT(bloc_contest_seat(c, c->code[s]) <= (long)s);
		EXPECT(c->cand_off[s] < c->cand_off[s + 1]); /* at least one candidate */
		for (k = c->cand_off[s]; k < c->cand_off[s + 1]; k++) {
			EXPECT(c->cand_votes[k] >= 0);
			EXPECT(c->cand_name[k] && c->cand_label[k]);
			EXPECT(c->cand_party[k] < np);
			EXPECT(bloc_contest_party_col(c, c->cand_party[k]) >= 0);
			if (k > c->cand_off[s])
				EXPECT(c->cand_votes[k] <= c->cand_votes[k - 1]);
			EXPECT(!__builtin_add_overflow(sum, c->cand_votes[k], &sum));
		}
		for (p = 0; p < c->nparties; p++) {
			EXPECT(c->votes[s * c->nparties + p] >= 0);
			rowsum += c->votes[s * c->nparties + p];
		}
		EXPECT(sum == c->valid[s]);
		EXPECT(rowsum == c->valid[s]);
		EXPECT(c->electorate[s] == -1 || c->electorate[s] >= c->valid[s]);
	}
}

/* Write t in every format; check the CSV and JSON parse back. Frees t. */
static void emit(bloc_table *t)
{
	static const bloc_format fmts[] = {BLOC_FORMAT_TABLE, BLOC_FORMAT_CSV, BLOC_FORMAT_JSON};
	size_t f;

	if (!t)
		return;
	for (f = 0; f < sizeof(fmts) / sizeof(fmts[0]); f++) {
		char *buf = NULL;
		size_t len = 0;
		FILE *fp = open_memstream(&buf, &len);
		int rc;

		if (!fp)
			break;
		rc = bloc_table_write(t, fp, fmts[f]);
		fclose(fp);
		if (rc == 0 && fmts[f] == BLOC_FORMAT_JSON) {
			json_error_t jerr;
			json_t *j = json_loadb(buf, len, 0, &jerr);
			if (!j) {
				fprintf(stderr,
				        "fuzz_load: JSON output does not parse: %s\n--\n%s--\n",
				        jerr.text, buf);
				abort();
			}
			json_decref(j);
		} else if (rc == 0 && fmts[f] == BLOC_FORMAT_CSV) {
			bloc_csv_reader *r = NULL;
			int n;

			/* (allocations may be failing on purpose: see the end of the file) */
			if (bloc_csv_open_mem(&r, buf, len, NULL) < 0) {
				free(buf);
				continue;
			}
			while ((n = bloc_csv_next(r)) > 0)
				EXPECT(bloc_csv_nfields(r) == bloc_table_ncols(t));
			if (n < 0 && n != BLOC_ENOMEM) {
				fprintf(stderr,
				        "fuzz_load: CSV output does not parse: %s\n--\n%s--\n",
				        bloc_error_last(), buf);
				abort();
			}
			bloc_csv_close(r);
		}
		free(buf);
	}
	bloc_table_free(t);
}

static void analyse(const bloc_contest *c)
{
	bloc_seat_results r;
	bloc_totals t;
	bloc_indices x;
	bloc_targets tg;
	bloc_swing sw;
	bloc_table *tab;
	size_t s, p, g;
	int by;

	if (bloc_seat_results_compute(&r, c) < 0)
		return;
	EXPECT(r.n == c->nseats);
	for (s = 0; s < r.n; s++) {
		/* a seat without votes has no winner; any other seat has one of its candidates */
		if (c->valid[s] == 0)
			EXPECT(r.winner[s] == BLOC_NO_WINNER && r.second[s] == BLOC_NO_WINNER);
		else
			EXPECT(r.winner[s] >= (long)c->cand_off[s] &&
			       r.winner[s] < (long)c->cand_off[s + 1] &&
			       c->cand_votes[r.winner[s]] > 0);
		EXPECT(r.majority[s] >= 0);
	}
	if (bloc_render_seat_results(&tab, c, &r) == 0)
		emit(tab);
	if (bloc_render_candidates(&tab, c, &r, 0) == 0)
		emit(tab);
	if (bloc_render_candidates(&tab, c, &r, c->nseats - 1) == 0)
		emit(tab);
	for (by = BLOC_BY_UK; by <= BLOC_BY_REGION; by++) {
		int64_t seats = 0;

		if (bloc_totals_compute(&t, c, &r, by) < 0)
			continue;
		for (g = 0; g < t.ngroups; g++) {
			EXPECT(t.group[g] != NULL);
			for (p = 0; p < t.nparties; p++)
				seats += t.seats[g * t.nparties + p];
		}
		EXPECT(seats <= (int64_t)c->nseats);
		if (bloc_render_totals(&tab, c, &t, by) == 0)
			emit(tab);
		bloc_totals_dispose(&t);
	}
	if (bloc_indices_compute(&x, c, &r) == 0) {
		EXPECT(!(x.loosemore_hanby < 0) && !(x.gallagher < 0));
		EXPECT(x.total_wasted >= 0);
		sink += x.gallagher + x.loosemore_hanby + x.enp_votes + x.enp_seats;
		if (bloc_render_indices(&tab, c, &x) == 0)
			emit(tab);
		if (bloc_render_wasted(&tab, c, &x) == 0)
			emit(tab);
		bloc_indices_dispose(&x);
	}
	for (p = 0; p < c->nparties && p < 4; p++) {
		if (bloc_targets_compute(&tg, c, &r, c->parties[p]) == 0) {
			for (s = 0; s < tg.n; s++)
				EXPECT(tg.seat[s] < c->nseats);
			if (bloc_render_targets(&tab, c, &tg, c->parties[p], p) == 0)
				emit(tab);
			bloc_targets_dispose(&tg);
		}
	}
	if (c->nparties >= 2 &&
	    bloc_swing_compute(&sw, c, c, c->parties[0], c->parties[1], NULL) == 0) {
		/* a contest compared with itself has swung nowhere */
		EXPECT(sw.n == c->nseats);
		EXPECT(!(fabs(sw.total_butler) > 1e-9) && !(fabs(sw.total_steed) > 1e-9));
		if (bloc_render_swing(&tab, c, c, &r, &r, &sw) == 0)
			emit(tab);
		bloc_swing_dispose(&sw);
	}
	bloc_seat_results_dispose(&r);
}

/* Write c as canonical CSV and read it back: the same seats, candidates and votes. */
static void round_trip(const bloc_contest *c)
{
	bloc_load_options o = BLOC_LOAD_OPTIONS_INIT;
	bloc_contest *back = NULL;
	char *buf = NULL;
	size_t len = 0, s;
	FILE *fp = open_memstream(&buf, &len);
	int rc;

	if (!fp)
		return;
	rc = bloc_contest_write_canonical(c, fp);
	fclose(fp);
	if (rc == 0) {
		o.format = "bloc-canonical";
		rc = bloc_contest_load_mem(&back, buf, len, &o);
		if (rc < 0) {
			fprintf(stderr,
			        "fuzz_load: canonical CSV did not read back: %s\n--\n%s--\n",
			        bloc_error_last(), buf);
			abort();
		}
		EXPECT(back->nseats == c->nseats && back->ncand == c->ncand);
		for (s = 0; s < c->nseats; s++) {
			EXPECT(strcmp(back->code[s], c->code[s]) == 0);
			EXPECT(back->valid[s] == c->valid[s]);
			EXPECT(back->electorate[s] == c->electorate[s]);
		}
		bloc_contest_free(back);
	}
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	bloc_load_options o = BLOC_LOAD_OPTIONS_INIT;
	bloc_contest *c = NULL;
	unsigned long fail_at = 1;
	size_t i;
	int rc;

	rc = bloc_contest_load_mem(&c, (const char *)data, size, &o);
	if (rc == 0) {
		check_contest(c);
		analyse(c);
		round_trip(c);
	} else {
		EXPECT(c == NULL);
		EXPECT(bloc_error_last()[0] != '\0'); /* every refusal says why */
	}
	bloc_contest_free(c);

	for (i = 0; i < NFORMATS; i++) {
		c = NULL;
		o.format = formats[i];
		if (bloc_contest_load_mem(&c, (const char *)data, size, &o) == 0)
			check_contest(c);
		bloc_contest_free(c);
	}
	/* the by-election files are filtered to one date by the catalogue */
	c = NULL;
	o.format = "key-by-election-candidates";
	o.filter = "election_date=2012-03-29";
	if (bloc_contest_load_mem(&c, (const char *)data, size, &o) == 0)
		check_contest(c);
	bloc_contest_free(c);

	for (i = 0; i < size && i < 16; i++)
		fail_at = fail_at * 31 + data[i];
	c = NULL;
	o.format = NULL;
	o.filter = NULL;
	bloc__alloc_fail_after(1 + fail_at % 64);
	if (bloc_contest_load_mem(&c, (const char *)data, size, &o) == 0)
		analyse(c);
	bloc__alloc_fail_after(0);
	bloc_contest_free(c);
	return 0;
}
