/* Goodman's ecological regression and the Duncan-Davis bounds as a table. */
#include "bloc/render.h"

#include "../core/alloc.h"

#include <math.h>
#include <stdlib.h>

static int add_columns(bloc_table *t, int by_seat)
{
	static const char *const agg[] = {"group",    "party",    "estimate", "lo95",
	                                  "hi95",     "rhat",     "ess",      "se",
	                                  "bound_lo", "bound_hi", "outside"};
	size_t k, n = by_seat ? 7 : 11;
	int err;

	if (by_seat && (err = bloc_table_add_column(t, "code", BLOC_COL_STRING, 0)) < 0)
		return err;
	for (k = 0; k < n; k++) {
		bloc_col_type type = k < 2     ? BLOC_COL_STRING
		                     : k == 10 ? BLOC_COL_INT
		                               : BLOC_COL_REAL;
		if ((err = bloc_table_add_column(t, agg[k], type, 4)) < 0)
			return err;
	}
	return BLOC_OK;
}

int bloc_render_ei(bloc_table **out, const bloc_ei_input *in, const bloc_ei_goodman *g,
                   const bloc_ei_bounds *b, int by_seat)
{
	bloc_table *t = NULL;
	double *u = NULL;
	size_t i, r, c, R, C;
	int err, outside = 0;

	*out = NULL;
	if (!in || !g || !b || g->R != in->R || g->C != in->C || b->n != in->n || b->R != in->R ||
	    b->C != in->C)
		return bloc_error_set(BLOC_EINVAL, "render: ei results of a different shape");
	R = in->R;
	C = in->C;
	if ((err = bloc_table_new(&t)) < 0 || (err = add_columns(t, by_seat)) < 0)
		goto done;
	if (!by_seat) {
		for (r = 0; r < R; r++)
			for (c = 0; c < C; c++) {
				size_t k = r * C + c;
				outside += g->outside[k];
				if ((err = bloc_table_add_string(t, in->group[r])) < 0 ||
				    (err = bloc_table_add_string(t, in->party[c])) < 0 ||
				    (err = bloc_table_add_real(t, g->est[k])) < 0 ||
				    (err = bloc_table_add_real(t, g->lo95[k])) < 0 ||
				    (err = bloc_table_add_real(t, g->hi95[k])) < 0 ||
				    (err = bloc_table_add_missing(t)) < 0 ||
				    (err = bloc_table_add_missing(t)) < 0 ||
				    (err = bloc_table_add_real(t, g->se[k])) < 0 ||
				    (err = bloc_table_add_real(t, b->agg_lo[k])) < 0 ||
				    (err = bloc_table_add_real(t, b->agg_hi[k])) < 0 ||
				    (err = bloc_table_add_int(t, g->outside[k])) < 0)
					goto done;
			}
	} else {
		if (!(u = bloc_calloc(in->n * R * C, sizeof(double)))) {
			err = BLOC_ENOMEM;
			goto done;
		}
		bloc_ei_goodman_units(g, b, u);
		for (i = 0; i < in->n; i++)
			for (r = 0; r < R; r++)
				for (c = 0; c < C; c++) {
					size_t k = (i * R + r) * C + c;
					if ((err = bloc_table_add_string(t, in->unit[i])) < 0 ||
					    (err = bloc_table_add_string(t, in->group[r])) < 0 ||
					    (err = bloc_table_add_string(t, in->party[c])) < 0 ||
					    (err = bloc_table_add_real(t, u[k])) < 0 ||
					    (err = bloc_table_add_real(t, b->lo[k])) < 0 ||
					    (err = bloc_table_add_real(t, b->hi[k])) < 0 ||
					    (err = bloc_table_add_missing(t)) < 0 ||
					    (err = bloc_table_add_missing(t)) < 0)
						goto done;
				}
	}
	if ((err = bloc_table_meta(t, "method", "goodman (ecological regression, no intercept)")) <
	        0 ||
	    (err = bloc_table_meta(t, "weighted", "%s", g->weighted ? "yes (unit totals)" : "no")) <
	        0 ||
	    (err = bloc_table_meta_int(t, "units", (int64_t)in->n)) < 0 ||
	    (err = bloc_table_meta_int(t, "df", (int64_t)g->df)) < 0 ||
	    (err = bloc_table_meta_real(t, "t_crit", g->tcrit, 4)) < 0)
		goto done;
	if (in->skipped &&
	    (err = bloc_table_meta_int(t, "seats_skipped", (int64_t)in->skipped)) < 0)
		goto done;
	if (by_seat)
		err = bloc_table_meta(t, "note",
		                      "seat rows: estimate = the Goodman estimate clipped to the "
		                      "seat's Duncan-Davis bounds; lo95/hi95 = those bounds "
		                      "(deterministic, not a 95%% interval); rhat/ess empty");
	else
		err = bloc_table_meta(t, "note",
		                      "rhat/ess empty (Goodman is not a sampler); %d estimate(s) "
		                      "outside 0..1. Aggregation bias cannot be detected from "
		                      "aggregate data: read the bounds",
		                      outside);
done:
	bloc_free(u);
	if (err < 0) {
		bloc_table_free(t);
		return err;
	}
	*out = t;
	return BLOC_OK;
}

int bloc_render_ei_input(bloc_table **out, const bloc_ei_input *in)
{
	bloc_table *t = NULL;
	size_t i, k;
	int err;

	*out = NULL;
	if (!in)
		return bloc_error_set(BLOC_EINVAL, "render: NULL ei input");
	if ((err = bloc_table_new(&t)) < 0 ||
	    (err = bloc_table_add_column(t, "id", BLOC_COL_STRING, 0)) < 0)
		goto done;
	for (k = 0; k < in->R + in->C; k++)
		if ((err = bloc_table_add_column(t, k < in->R ? in->group[k] : in->party[k - in->R],
		                                 BLOC_COL_REAL, 0)) < 0)
			goto done;
	for (i = 0; i < in->n; i++) {
		if ((err = bloc_table_add_string(t, in->unit[i])) < 0)
			goto done;
		for (k = 0; k < in->R + in->C; k++)
			if ((err = bloc_table_add_real(
			         t, k < in->R ? in->gcount[i * in->R + k]
			                      : in->pcount[i * in->C + k - in->R])) < 0)
				goto done;
	}
done:
	if (err < 0) {
		bloc_table_free(t);
		return err;
	}
	*out = t;
	return BLOC_OK;
}
