/* Small hand-built contests for the unit tests, where every figure can be worked out on paper:
 * one seat_spec per seat, its candidates as party labels, votes and names. */
#ifndef BLOC_TEST_SEATS_H
#define BLOC_TEST_SEATS_H

#include "bloc/contest.h"
#include "bloc/party.h"
#include "data/build.h"

typedef struct {
	const char *code, *nation;
	int64_t electorate;
	const char
	    *party[4]; /* up to 4 candidates; a label starting with '*' is a lump of several */
	int64_t votes[4];
} seat_spec;

/* The contest `id` of n seats (region "R", polled 2000-01-01), or NULL if the builder refused;
 * names (NULL: none) gives each seat's candidates' names. */
static bloc_contest *make_contest(const char *id, const seat_spec *spec, size_t n,
                                  const char *const (*names)[4])
{
	bloc__builder *b = NULL;
	bloc_contest *c = NULL;
	size_t i, k, idx;
	int created;

	if (bloc__builder_new(&b, id) < 0)
		return NULL;
	for (i = 0; i < n; i++) {
		if (bloc__builder_seat(b, spec[i].code, spec[i].code, "R", spec[i].nation, i + 2,
		                       &idx, &created) < 0)
			goto done;
		bloc__builder_seat_figures(b, idx, spec[i].electorate, -1, 0);
		for (k = 0; k < 4 && spec[i].party[k]; k++) {
			unsigned flags = 0;
			const char *label = spec[i].party[k];
			if (label[0] == '*') {
				flags = BLOC_CAND_AGGREGATE;
				label++;
			}
			if (bloc__builder_candidate(b, idx, bloc_party_resolve(label), label,
			                            names && names[i][k] ? names[i][k] : "",
			                            spec[i].votes[k], flags) < 0)
				goto done;
		}
	}
	bloc__builder_finish(b, id, "2000-01-01", "test", BLOC_CONTEST_GENERAL, &c);
done:
	bloc__builder_free(b);
	return c;
}

#endif
