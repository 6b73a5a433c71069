/* A general election read from two HoC files: candidates from the candidate file, seat figures
 * (electorate, invalid votes) from the constituency file. The constituency file lumps minor
 * parties and all but the winning independents into "All other candidates"; the candidate file
 * does not, so party totals (and so Gallagher, ENP, wasted votes) are right only with its
 * candidates. */
#include "merge.h"

#include "bloc/error.h"
#include "build.h"

#include <inttypes.h>
#include <stdio.h>

int bloc__contest_take_seat_figures(bloc_contest *cands, const bloc_contest *seats)
{
	char source[2048];
	const char *src, *fmt;
	size_t s;

	if (cands->nseats != seats->nseats)
		return bloc_error_set(BLOC_ENUMERIC,
		                      "%s: expected the %zu seats of %s, found %zu seats",
		                      cands->source, seats->nseats, seats->source, cands->nseats);
	for (s = 0; s < cands->nseats; s++) {
		long k = bloc_contest_seat(seats, cands->code[s]);
		if (k < 0)
			return bloc_error_set(BLOC_ENUMERIC, "%s: seat %s (%s) is not in %s",
			                      cands->source, cands->code[s], cands->name[s],
			                      seats->source);
		if (cands->valid[s] != seats->valid[k])
			return bloc_error_set(
			    BLOC_ENUMERIC,
			    "%s: seat %s (%s): expected candidates adding up to the "
			    "%" PRId64 " valid votes of %s, found %" PRId64,
			    cands->source, cands->code[s], cands->name[s], seats->valid[k],
			    seats->source, cands->valid[s]);
		if (seats->electorate[k] >= 0 && cands->valid[s] > seats->electorate[k])
			return bloc_error_set(BLOC_ENUMERIC,
			                      "%s: seat %s (%s): expected at most the electorate "
			                      "%" PRId64 " of %s, found %" PRId64 " votes",
			                      cands->source, cands->code[s], cands->name[s],
			                      seats->electorate[k], seats->source, cands->valid[s]);
	}
	for (s = 0; s < cands->nseats; s++) {
		size_t k = (size_t)bloc_contest_seat(seats, cands->code[s]);
		cands->electorate[s] = seats->electorate[k];
		cands->invalid[s] = seats->invalid[k];
	}
	snprintf(source, sizeof(source), "%s + %s", seats->source, cands->source);
	if (!(src = bloc__contest_str(cands, source)) ||
	    !(fmt = bloc__contest_str(cands, seats->format)))
		return bloc_error_oom("reading %s", cands->source);
	cands->source = (char *)src;
	cands->format = (char *)fmt;
	return BLOC_OK;
}
