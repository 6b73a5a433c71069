/* Writing bloc's canonical long CSV (the reader is the long loader, load_long.c):
 * contest,date,seat_code,seat_name,region,nation,electorate,party,candidate,votes,
 * invalid_votes,party_label - one row per candidate, quoted as RFC 4180 requires. */
#include "bloc/io.h"
#include "bloc/error.h"
#include "../util/csvq.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* Quoted also when a field starts or ends with a space or tab, which the reader would trim;
 * write errors are caught by ferror at the end. */
static void put_field(FILE *fp, const char *s)
{
	(void)bloc__csv_write_field_flags(fp, s, BLOC__CSV_QUOTE_EDGE_SPACE);
}

static void put_count(FILE *fp, int64_t v)
{
	if (v >= 0)
		fprintf(fp, "%" PRId64, v);
}

int bloc_contest_write_canonical(const bloc_contest *c, FILE *fp)
{
	size_t s, k;

	if (!c || !fp)
		return bloc_error_set(BLOC_EINVAL, "bloc_contest_write_canonical: %s is NULL",
		                      c ? "the file" : "the contest");
	fputs("contest,date,seat_code,seat_name,region,nation,electorate,party,candidate,votes,"
	      "invalid_votes,party_label\n",
	      fp);
	for (s = 0; s < c->nseats; s++) {
		for (k = c->cand_off[s]; k < c->cand_off[s + 1]; k++) {
			put_field(fp, c->id);
			fputc(',', fp);
			put_field(fp, c->date);
			fputc(',', fp);
			put_field(fp, c->code[s]);
			fputc(',', fp);
			put_field(fp, c->name[s]);
			fputc(',', fp);
			put_field(fp, c->region[s]);
			fputc(',', fp);
			put_field(fp, c->nation[s]);
			fputc(',', fp);
			put_count(fp, c->electorate[s]);
			fputc(',', fp);
			put_field(fp, bloc_party_code(c->cand_party[k]));
			fputc(',', fp);
			put_field(fp, (c->cand_flags[k] & BLOC_CAND_AGGREGATE)
			                  ? "(all other candidates)"
			                  : c->cand_name[k]);
			fprintf(fp, ",%" PRId64 ",", c->cand_votes[k]);
			put_count(fp, c->invalid[s]);
			fputc(',', fp);
			put_field(fp, c->cand_label[k]);
			fputc('\n', fp);
		}
	}
	if (fflush(fp) != 0 || ferror(fp))
		return bloc_error_set(BLOC_EIO, "writing canonical CSV of %s: %s", c->id,
		                      strerror(errno));
	return BLOC_OK;
}
