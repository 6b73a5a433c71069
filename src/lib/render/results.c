/* Analysis results as tables: one function per result, shared by the CLI and the server. Nothing
 * here computes a figure the analysis did not (a share of a total at most). */
#include "bloc/render.h"

#include "../core/alloc.h"
#include "render_int.h"

#include <math.h>
#include <string.h>

#define SHARE_DECIMALS 2

static const char *party_or_null(bloc_party p)
{
	return p == BLOC_PARTY_NONE ? NULL : bloc_party_code(p);
}

/* The winning candidate's name, or NULL if the file names none. */
static const char *winner_name(const bloc_contest *c, const bloc_seat_results *r, size_t s)
{
	const char *name = r->winner[s] >= 0 ? c->cand_name[r->winner[s]] : "";

	return *name ? name : NULL;
}

static double pct(int64_t part, int64_t whole)
{
	return whole > 0 ? 100.0 * (double)part / (double)whole : NAN;
}

/* What every result says about its contest: its id under `key` and its polling day under
 * `date_key`. */
static int contest_meta(bloc_table *t, const char *key, const char *date_key, const bloc_contest *c)
{
	int err;

	if ((err = bloc_table_meta(t, key, "%s", c->id)) < 0)
		return err;
	if (c->date && *c->date)
		return bloc_table_meta(t, date_key, "%s", c->date);
	return BLOC_OK;
}

int bloc_render_totals(bloc_table **out, const bloc_contest *c, const bloc_totals *tot, int by)
{
	static const char *const spec_uk[] = {"party:s", "seats:i", "votes:i", "share:r2"};
	static const char *const spec_nation[] = {"nation:s", "party:s", "seats:i", "votes:i",
	                                          "share:r2"};
	static const char *const spec_region[] = {"region:s", "party:s", "seats:i", "votes:i",
	                                          "share:r2"};
	bloc_table *t = NULL;
	size_t *order = NULL, g, i, j;
	int err;

	*out = NULL;
	if (by != BLOC_BY_UK && by != BLOC_BY_NATION && by != BLOC_BY_REGION)
		return bloc_error_set(BLOC_EINVAL, "render: unknown grouping %d", by);
	if (by == BLOC_BY_UK)
		TRY(START(&t, spec_uk));
	else if (by == BLOC_BY_NATION)
		TRY(START(&t, spec_nation));
	else
		TRY(START(&t, spec_region));
	if (!(order = bloc_calloc(tot->nparties, sizeof(*order)))) {
		err = bloc_error_oom("tabulating totals for %s", c->id);
		goto done;
	}
	for (g = 0; g < tot->ngroups; g++) {
		const int64_t *seats = tot->seats + g * tot->nparties;
		const int64_t *votes = tot->votes + g * tot->nparties;
		size_t n = 0;
		/* Parties that stood in the group, by seats then votes, descending (insertion sort:
		 * a few dozen parties at most; ties keep registry order). */
		for (i = 0; i < tot->nparties; i++) {
			if (votes[i] == 0 && seats[i] == 0)
				continue;
			for (j = n; j > 0; j--) {
				size_t q = order[j - 1];
				if (seats[q] > seats[i] ||
				    (seats[q] == seats[i] && votes[q] >= votes[i]))
					break;
				order[j] = q;
			}
			order[j] = i;
			n++;
		}
		for (j = 0; j < n; j++) {
			size_t p = order[j];
			if (by != BLOC_BY_UK)
				TRY(bloc_table_add_string(t, tot->group[g]));
			TRY(bloc_table_add_string(t, bloc_party_code(tot->parties[p])));
			TRY(bloc_table_add_int(t, seats[p]));
			TRY(bloc_table_add_int(t, votes[p]));
			TRY(bloc_table_add_real(t, tot->share[g * tot->nparties + p]));
		}
	}
	TRY(contest_meta(t, "contest", "date", c));
	TRY(bloc_table_meta(t, "by", "%s",
	                    by == BLOC_BY_UK       ? "uk"
	                    : by == BLOC_BY_NATION ? "nation"
	                                           : "region"));
	if (by == BLOC_BY_UK && tot->ngroups == 1) {
		TRY(bloc_table_meta_int(t, "seats", (int64_t)tot->nseats[0]));
		TRY(bloc_table_meta_int(t, "valid_votes", tot->valid[0]));
		if (tot->electorate[0] >= 0) {
			TRY(bloc_table_meta_int(t, "electorate", tot->electorate[0]));
			TRY(bloc_table_meta_real(
			    t, "turnout", pct(tot->valid[0], tot->electorate[0]), SHARE_DECIMALS));
		}
	}
	*out = t;
	t = NULL;
done:
	bloc_free(order);
	bloc_table_free(t);
	return err;
}

int bloc_render_seat_results(bloc_table **out, const bloc_contest *c, const bloc_seat_results *r)
{
	static const char *const spec[] = {"code:s",     "name:s",          "region:s",
	                                   "nation:s",   "electorate:i",    "valid_votes:i",
	                                   "turnout:r2", "winner:s",        "second:s",
	                                   "majority:i", "majority_pct:r2", "winner_candidate:s"};
	bloc_table *t = NULL;
	size_t s;
	int err;

	*out = NULL;
	TRY(START(&t, spec));
	for (s = 0; s < r->n && s < c->nseats; s++) {
		TRY(bloc_table_add_string(t, c->code[s]));
		TRY(bloc_table_add_string(t, c->name[s]));
		TRY(bloc_table_add_string(t, *c->region[s] ? c->region[s] : NULL));
		TRY(bloc_table_add_string(t, *c->nation[s] ? c->nation[s] : NULL));
		if (c->electorate[s] >= 0)
			TRY(bloc_table_add_int(t, c->electorate[s]));
		else
			TRY(bloc_table_add_missing(t));
		TRY(bloc_table_add_int(t, c->valid[s]));
		TRY(bloc_table_add_real(t, r->turnout[s]));
		TRY(bloc_table_add_string(t, party_or_null(r->winner_party[s])));
		TRY(bloc_table_add_string(t, party_or_null(r->second_party[s])));
		if (r->winner[s] == BLOC_NO_WINNER)
			TRY(bloc_table_add_missing(t));
		else
			TRY(bloc_table_add_int(t, r->majority[s]));
		TRY(bloc_table_add_real(t, r->majority_pct[s]));
		TRY(bloc_table_add_string(t, winner_name(c, r, s)));
	}
	TRY(contest_meta(t, "contest", "date", c));
	TRY(bloc_table_meta(t, "by", "seat"));
	TRY(bloc_table_meta_int(t, "seats", (int64_t)c->nseats));
	*out = t;
	t = NULL;
done:
	bloc_table_free(t);
	return err;
}

int bloc_render_candidates(bloc_table **out, const bloc_contest *c, const bloc_seat_results *r,
                           size_t seat)
{
	static const char *const spec[] = {"name:s", "party:s", "votes:i", "share:r2", "label:s"};
	bloc_table *t = NULL;
	size_t k;
	int err;

	*out = NULL;
	if (seat >= c->nseats || seat >= r->n)
		return bloc_error_set(BLOC_EINVAL, "render: seat %zu out of range (%zu seats)",
		                      seat, c->nseats);
	TRY(START(&t, spec));
	for (k = c->cand_off[seat]; k < c->cand_off[seat + 1]; k++) {
		const char *name = c->cand_name[k];
		if (c->cand_flags[k] & BLOC_CAND_AGGREGATE)
			name = "(all other candidates)";
		TRY(bloc_table_add_string(t, *name ? name : NULL));
		TRY(bloc_table_add_string(t, bloc_party_code(c->cand_party[k])));
		TRY(bloc_table_add_int(t, c->cand_votes[k]));
		TRY(bloc_table_add_real(t, pct(c->cand_votes[k], c->valid[seat])));
		TRY(bloc_table_add_string(t, *c->cand_label[k] ? c->cand_label[k] : NULL));
	}
	TRY(contest_meta(t, "contest", "date", c));
	TRY(bloc_table_meta(t, "seat", "%s", c->code[seat]));
	TRY(bloc_table_meta(t, "seat_name", "%s", c->name[seat]));
	if (*c->region[seat])
		TRY(bloc_table_meta(t, "region", "%s", c->region[seat]));
	if (*c->nation[seat])
		TRY(bloc_table_meta(t, "nation", "%s", c->nation[seat]));
	if (c->electorate[seat] >= 0)
		TRY(bloc_table_meta_int(t, "electorate", c->electorate[seat]));
	TRY(bloc_table_meta_int(t, "valid_votes", c->valid[seat]));
	if (c->invalid[seat] >= 0)
		TRY(bloc_table_meta_int(t, "invalid_votes", c->invalid[seat]));
	if (isfinite(r->turnout[seat]))
		TRY(bloc_table_meta_real(t, "turnout", r->turnout[seat], SHARE_DECIMALS));
	if (r->winner[seat] == BLOC_NO_WINNER) {
		/* no votes, no winner: shown as missing ("-", JSON null), never as a 0 majority */
		TRY(bloc_table_meta_real(t, "winner", NAN, 0));
		TRY(bloc_table_meta_real(t, "majority", NAN, 0));
	} else {
		TRY(bloc_table_meta(t, "winner", "%s", bloc_party_code(r->winner_party[seat])));
		if (winner_name(c, r, seat))
			TRY(bloc_table_meta(t, "winner_candidate", "%s", winner_name(c, r, seat)));
		if (r->second_party[seat] != BLOC_PARTY_NONE)
			TRY(bloc_table_meta(t, "second", "%s",
			                    bloc_party_code(r->second_party[seat])));
		TRY(bloc_table_meta_int(t, "majority", r->majority[seat]));
	}
	TRY(bloc_table_meta_real(t, "majority_pct", r->majority_pct[seat], SHARE_DECIMALS));
	*out = t;
	t = NULL;
done:
	bloc_table_free(t);
	return err;
}

int bloc_render_swing(bloc_table **out, const bloc_contest *from, const bloc_contest *to,
                      const bloc_seat_results *rfrom, const bloc_seat_results *rto,
                      const bloc_swing *s)
{
	static const char *const spec[] = {"code:s",    "name:s",   "winner_from:s", "winner_to:s",
	                                   "butler:r2", "steed:r2", "a_from:r2",     "a_to:r2",
	                                   "b_from:r2", "b_to:r2"};
	bloc_table *t = NULL;
	size_t i;
	int err;

	*out = NULL;
	TRY(START(&t, spec));
	for (i = 0; i < s->n; i++) {
		size_t f = s->from_seat[i], k = s->to_seat[i];
		TRY(bloc_table_add_string(t, to->code[k]));
		TRY(bloc_table_add_string(t, to->name[k]));
		TRY(bloc_table_add_string(t, rfrom ? party_or_null(rfrom->winner_party[f]) : NULL));
		TRY(bloc_table_add_string(t, rto ? party_or_null(rto->winner_party[k]) : NULL));
		TRY(bloc_table_add_real(t, s->butler[i]));
		TRY(bloc_table_add_real(t, s->steed[i]));
		TRY(bloc_table_add_real(t, s->a_from[i]));
		TRY(bloc_table_add_real(t, s->a_to[i]));
		TRY(bloc_table_add_real(t, s->b_from[i]));
		TRY(bloc_table_add_real(t, s->b_to[i]));
	}
	TRY(bloc_table_add_string(t, "TOTAL"));
	TRY(bloc_table_add_string(t, "all shared seats"));
	TRY(bloc_table_add_missing(t));
	TRY(bloc_table_add_missing(t));
	TRY(bloc_table_add_real(t, s->total_butler));
	TRY(bloc_table_add_real(t, s->total_steed));
	TRY(bloc_table_add_real(t, s->total_a_from));
	TRY(bloc_table_add_real(t, s->total_a_to));
	TRY(bloc_table_add_real(t, s->total_b_from));
	TRY(bloc_table_add_real(t, s->total_b_to));
	TRY(contest_meta(t, "from", "from_date", from));
	TRY(contest_meta(t, "to", "to_date", to));
	TRY(bloc_table_meta(t, "a", "%s", bloc_party_code(s->a)));
	TRY(bloc_table_meta(t, "b", "%s", bloc_party_code(s->b)));
	TRY(bloc_table_meta_int(t, "seats", (int64_t)s->n));
	TRY(bloc_table_meta(t, "sign", "positive = towards %s", bloc_party_code(s->b)));
	TRY(bloc_table_meta(
	    t, "shares",
	    "seat by seat, a party's share is its leading candidate's, never a sum of "
	    "candidates; the TOTAL row adds up votes by party"));
	TRY(bloc_table_meta(
	    t, "independents",
	    "IND (and OTH) in a seat: in TO, its leading independent; in FROM, the "
	    "independent of the same name (case and spaces aside; unnamed "
	    "candidates, as in notional results, match none), else none: a new "
	    "independent starts from 0; where none stood in TO, FROM's leading one"));
	*out = t;
	t = NULL;
done:
	bloc_table_free(t);
	return err;
}

int bloc_render_targets(bloc_table **out, const bloc_contest *c, const bloc_targets *tg,
                        bloc_party p, size_t limit)
{
	static const char *const spec[] = {"rank:i",         "code:s",          "name:s",
	                                   "holder:s",       "swing_needed:r2", "party_share:r2",
	                                   "holder_share:r2"};
	bloc_table *t = NULL;
	size_t i, n = limit && limit < tg->n ? limit : tg->n;
	int err;

	*out = NULL;
	TRY(START(&t, spec));
	for (i = 0; i < n; i++) {
		size_t s = tg->seat[i];
		TRY(bloc_table_add_int(t, (int64_t)i + 1));
		TRY(bloc_table_add_string(t, c->code[s]));
		TRY(bloc_table_add_string(t, c->name[s]));
		TRY(bloc_table_add_string(t, party_or_null(tg->holder[i])));
		TRY(bloc_table_add_real(t, tg->swing_needed[i]));
		TRY(bloc_table_add_real(t, tg->party_share[i]));
		TRY(bloc_table_add_real(t, tg->holder_share[i]));
	}
	TRY(contest_meta(t, "contest", "date", c));
	TRY(bloc_table_meta(t, "party", "%s", bloc_party_code(p)));
	TRY(bloc_table_meta_int(t, "targets", (int64_t)tg->n));
	if (n < tg->n)
		TRY(bloc_table_meta_int(t, "shown", (int64_t)n));
	TRY(bloc_table_meta(t, "swing_needed", "Butler swing from the holder, in points"));
	TRY(bloc_table_meta(t, "party_share",
	                    "the share of %s's leading candidate in the seat, never a sum of "
	                    "candidates%s; lumps of several candidates are no candidate",
	                    bloc_party_code(p),
	                    bloc_party_successor(p) == bloc_party_ind()
	                        ? " (IND: the seat's leading independent)"
	                    : bloc_party_successor(p) == bloc_party_oth()
	                        ? " (OTH: the seat's leading other candidate)"
	                        : ""));
	*out = t;
	t = NULL;
done:
	bloc_table_free(t);
	return err;
}

int bloc_render_indices(bloc_table **out, const bloc_contest *c, const bloc_indices *x)
{
	static const char *const spec[] = {"index:s", "value:r4"};
	const struct {
		const char *name;
		double v;
	} rows[] = {{"gallagher", x->gallagher},
	            {"loosemore_hanby", x->loosemore_hanby},
	            {"enp_votes", x->enp_votes},
	            {"enp_seats", x->enp_seats}};
	bloc_table *t = NULL;
	size_t i;
	int err;

	*out = NULL;
	TRY(START(&t, spec));
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		TRY(bloc_table_add_string(t, rows[i].name));
		TRY(bloc_table_add_real(t, rows[i].v));
	}
	TRY(contest_meta(t, "contest", "date", c));
	TRY(bloc_table_meta_int(t, "parties", (int64_t)x->nparties));
	*out = t;
	t = NULL;
done:
	bloc_table_free(t);
	return err;
}

int bloc_render_wasted(bloc_table **out, const bloc_contest *c, const bloc_indices *x)
{
	static const char *const spec[] = {"party:s", "wasted:i", "wasted_pct:r2"};
	bloc_table *t = NULL;
	int64_t valid = 0;
	size_t i;
	int err;

	*out = NULL;
	TRY(START(&t, spec));
	for (i = 0; i < x->nparties; i++) {
		TRY(bloc_table_add_string(t, bloc_party_code(x->parties[i])));
		TRY(bloc_table_add_int(t, x->wasted[i]));
		TRY(bloc_table_add_real(t, x->wasted_pct[i]));
	}
	for (i = 0; i < c->nseats; i++)
		valid += c->valid[i];
	TRY(bloc_table_add_string(t, "TOTAL"));
	TRY(bloc_table_add_int(t, x->total_wasted));
	TRY(bloc_table_add_real(t, pct(x->total_wasted, valid)));
	TRY(contest_meta(t, "contest", "date", c));
	TRY(bloc_table_meta(t, "wasted_pct",
	                    "%% of the party's votes (TOTAL: of all valid votes)"));
	*out = t;
	t = NULL;
done:
	bloc_table_free(t);
	return err;
}
