/* Forecast tables: the party view (seat distributions, probabilities, national shares) and the
 * seat view (win probabilities, favourite, class, the favourite's share interval). */
#include "bloc/render.h"

#include "bloc/error.h"
#include "bloc/forecast.h"
#include "render_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static int add_real(bloc_table *t, double v)
{
	return isnan(v) ? bloc_table_add_missing(t) : bloc_table_add_real(t, v);
}

int bloc_render_forecast_parties(bloc_table **out, const bloc_forecast_summary *sm,
                                 const bloc_party *parties, const double *poll,
                                 const int64_t *central, const int64_t *base_seats)
{
	static const char *const seatcols[] = {"median", "mean", "lo50", "hi50",
	                                       "lo80",   "hi80", "lo90", "hi90"};
	bloc_table *t = NULL;
	size_t p, i;
	int err;

	if ((err = bloc_table_new(&t)) < 0 ||
	    (err = bloc_table_add_column(t, "party", BLOC_COL_STRING, 0)) < 0)
		goto fail;
	for (i = 0; i < 8; i++)
		if ((err = bloc_table_add_column(t, seatcols[i], BLOC_COL_REAL, i == 1 ? 1 : 0)) <
		    0)
			goto fail;
	if ((err = bloc_table_add_column(t, "p_majority", BLOC_COL_REAL, 3)) < 0 ||
	    (err = bloc_table_add_column(t, "p_largest", BLOC_COL_REAL, 3)) < 0 ||
	    (err = bloc_table_add_column(t, "share_poll", BLOC_COL_REAL, 1)) < 0 ||
	    (err = bloc_table_add_column(t, "share_median", BLOC_COL_REAL, 1)) < 0 ||
	    (err = bloc_table_add_column(t, "share_lo90", BLOC_COL_REAL, 1)) < 0 ||
	    (err = bloc_table_add_column(t, "share_hi90", BLOC_COL_REAL, 1)) < 0 ||
	    (err = bloc_table_add_column(t, "projection", BLOC_COL_INT, 0)) < 0 ||
	    (err = bloc_table_add_column(t, "base", BLOC_COL_INT, 0)) < 0 ||
	    (err = bloc_table_meta(t, "by", "party")) < 0)
		goto fail;
	for (p = 0; p < sm->nparties; p++) {
		const double v[] = {sm->median[p], sm->mean[p], sm->lo50[p], sm->hi50[p],
		                    sm->lo80[p],   sm->hi80[p], sm->lo90[p], sm->hi90[p]};
		/* parties with no seat anywhere and under half a point are left out */
		if (!(sm->hi90[p] > 0) && !(central[p] > 0) && !(base_seats[p] > 0) &&
		    !(sm->share_hi90[p] >= 0.5))
			continue;
		if ((err = bloc_table_add_string(t, bloc_party_code(parties[p]))) < 0)
			goto fail;
		for (i = 0; i < 8; i++)
			if ((err = add_real(t, v[i])) < 0)
				goto fail;
		if ((err = add_real(t, sm->p_majority[p])) < 0 ||
		    (err = add_real(t, sm->p_largest[p])) < 0 ||
		    (err = add_real(t, poll ? poll[p] : NAN)) < 0 ||
		    (err = add_real(t, sm->share_median[p])) < 0 ||
		    (err = add_real(t, sm->share_lo90[p])) < 0 ||
		    (err = add_real(t, sm->share_hi90[p])) < 0 ||
		    (err = bloc_table_add_int(t, central[p])) < 0 ||
		    (err = bloc_table_add_int(t, base_seats[p])) < 0)
			goto fail;
	}
	*out = t;
	return BLOC_OK;
fail:
	bloc_table_free(t);
	return err;
}

int bloc_render_forecast_seats(bloc_table **out, const bloc_forecast_summary *sm,
                               const bloc_contest *c, const bloc_party *parties,
                               const bloc_party *winner_base, const unsigned char *show)
{
	const size_t S = sm->nseats, P = sm->nparties;
	bloc_table *t = NULL;
	char name[64];
	size_t s, p;
	int err;

	if ((err = bloc_table_new(&t)) < 0 ||
	    (err = bloc_table_add_column(t, "code", BLOC_COL_STRING, 0)) < 0 ||
	    (err = bloc_table_add_column(t, "name", BLOC_COL_STRING, 0)) < 0 ||
	    (err = bloc_table_add_column(t, "winner_base", BLOC_COL_STRING, 0)) < 0 ||
	    (err = bloc_table_add_column(t, "favourite", BLOC_COL_STRING, 0)) < 0 ||
	    (err = bloc_table_add_column(t, "p_favourite", BLOC_COL_REAL, 3)) < 0 ||
	    (err = bloc_table_add_column(t, "class", BLOC_COL_STRING, 0)) < 0)
		goto fail;
	for (p = 0; p < P; p++) {
		if (!show[p])
			continue;
		snprintf(name, sizeof(name), "p_%s", bloc_party_code(parties[p]));
		if ((err = bloc_table_add_column(t, name, BLOC_COL_REAL, 3)) < 0)
			goto fail;
	}
	if ((err = bloc_table_add_column(t, "fav_share", BLOC_COL_REAL, 1)) < 0 ||
	    (err = bloc_table_add_column(t, "fav_lo90", BLOC_COL_REAL, 1)) < 0 ||
	    (err = bloc_table_add_column(t, "fav_hi90", BLOC_COL_REAL, 1)) < 0 ||
	    (err = bloc_table_add_column(t, "p_tipping", BLOC_COL_REAL, 4)) < 0 ||
	    (err = bloc_table_meta(t, "by", "seat")) < 0)
		goto fail;
	for (s = 0; s < S; s++) {
		const size_t f = sm->favourite[s];
		if ((err = bloc_table_add_string(t, c->code[s])) < 0 ||
		    (err = bloc_table_add_string(t, c->name[s])) < 0 ||
		    (err = bloc_table_add_string(t, winner_base[s] == BLOC_PARTY_NONE
		                                        ? NULL
		                                        : bloc_party_code(winner_base[s]))) < 0 ||
		    (err = bloc_table_add_string(
		         t, f == SIZE_MAX ? NULL : bloc_party_code(parties[f]))) < 0 ||
		    (err = add_real(t, sm->p_favourite[s])) < 0 ||
		    (err = bloc_table_add_string(
		         t, f == SIZE_MAX ? NULL : bloc_forecast_class_name(sm->cls[s]))) < 0)
			goto fail;
		for (p = 0; p < P; p++)
			if (show[p] && (err = add_real(t, sm->p[s * P + p])) < 0)
				goto fail;
		if ((err = add_real(t, f == SIZE_MAX ? NAN : sm->s_median[s * P + f])) < 0 ||
		    (err = add_real(t, f == SIZE_MAX ? NAN : sm->s_lo90[s * P + f])) < 0 ||
		    (err = add_real(t, f == SIZE_MAX ? NAN : sm->s_hi90[s * P + f])) < 0 ||
		    (err = add_real(t, sm->p_tip[s])) < 0)
			goto fail;
	}
	*out = t;
	return BLOC_OK;
fail:
	bloc_table_free(t);
	return err;
}
