/* A general election read from two HoC files: seat figures (electorate, invalid votes, region)
 * from the constituency file, candidates from the candidate file. The constituency file lumps
 * minor parties and independents into "All other candidates"; the candidate file does not, so
 * party totals (and so Gallagher, ENP, wasted votes) are right only with its candidates. */
#include "merge.h"

#include "bloc/error.h"
#include "build.h"

#include <inttypes.h>
#include <stdio.h>

int bloc__contest_merge_candidates(bloc_contest **out, const bloc_contest *seats,
                                   const bloc_contest *cands)
{
	bloc__builder *b = NULL;
	char source[1024];
	size_t s, k, idx;
	int created, err;

	*out = NULL;
	snprintf(source, sizeof(source), "%s + %s", seats->source, cands->source);
	if ((err = bloc__builder_new(&b, source)) < 0)
		return err;
	if (cands->nseats != seats->nseats) {
		err = bloc_error_set(BLOC_ENUMERIC,
		                     "%s: expected the %zu seats of %s, found %zu seats",
		                     cands->source, seats->nseats, seats->source, cands->nseats);
		goto done;
	}
	for (s = 0; s < seats->nseats; s++) {
		long cs = bloc_contest_seat(cands, seats->code[s]);
		if (cs < 0) {
			err = bloc_error_set(
			    BLOC_ENUMERIC, "%s: expected seat %s (%s) of %s, found none",
			    cands->source, seats->code[s], seats->name[s], seats->source);
			goto done;
		}
		if (cands->valid[cs] != seats->valid[s]) {
			err =
			    bloc_error_set(BLOC_ENUMERIC,
			                   "%s: seat %s (%s): expected candidates adding up to the "
			                   "%" PRId64 " valid votes of %s, found %" PRId64,
			                   cands->source, seats->code[s], seats->name[s],
			                   seats->valid[s], seats->source, cands->valid[cs]);
			goto done;
		}
		if ((err = bloc__builder_seat(b, seats->code[s], seats->name[s], seats->region[s],
		                              seats->nation[s], 0, &idx, &created)) < 0)
			goto done;
		bloc__builder_seat_figures(b, idx, seats->electorate[s], seats->valid[s],
		                           seats->invalid[s]);
		for (k = cands->cand_off[cs]; k < cands->cand_off[cs + 1]; k++)
			if ((err = bloc__builder_candidate(
			         b, idx, cands->cand_party[k], cands->cand_label[k],
			         cands->cand_name[k], cands->cand_votes[k], cands->cand_flags[k])) <
			    0)
				goto done;
	}
	err = bloc__builder_finish(b, seats->id, seats->date, seats->format, seats->kind, out);
done:
	bloc__builder_free(b);
	return err;
}
