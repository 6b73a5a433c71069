/* EI estimates (any method) and the Duncan-Davis bounds as a table. */
#include "bloc/render.h"

#include "../core/alloc.h"

#include <math.h>
#include <stdlib.h>

static int add_columns(bloc_table *t, int by_seat)
{
	static const char *const agg[] = {"group",    "party",    "estimate", "lo95",
	                                  "hi95",     "rhat",     "ess",      "se",
	                                  "bound_lo", "bound_hi", "outside"};
	static const char *const seat[] = {"code", "group", "party", "estimate", "lo95",
	                                   "hi95", "rhat",  "ess",   "bound_lo", "bound_hi"};
	const char *const *cols = by_seat ? seat : agg;
	size_t k, n = by_seat ? 10 : 11, text = by_seat ? 3 : 2, ess = by_seat ? 7 : 6;
	int err;

	for (k = 0; k < n; k++) {
		bloc_col_type type = k < text                ? BLOC_COL_STRING
		                     : (!by_seat && k == 10) ? BLOC_COL_INT
		                                             : BLOC_COL_REAL;
		if ((err = bloc_table_add_column(t, cols[k], type, k == ess ? 0 : 4)) < 0)
			return err;
	}
	return BLOC_OK;
}

/* A value, or an empty cell when the array is absent or the value not finite. */
static int add_opt(bloc_table *t, const double *v, size_t k)
{
	return v && isfinite(v[k]) ? bloc_table_add_real(t, v[k]) : bloc_table_add_missing(t);
}

int bloc_render_ei(bloc_table **out, const bloc_ei_input *in, const bloc_ei_view *v,
                   const bloc_ei_bounds *b, int by_seat)
{
	bloc_table *t = NULL;
	size_t i, r, c, R, C;
	int err, outside = 0;

	*out = NULL;
	if (!in || !v || !b || v->R != in->R || v->C != in->C || b->n != in->n || b->R != in->R ||
	    b->C != in->C || !v->est || !v->lo95 || !v->hi95)
		return bloc_error_set(BLOC_EINVAL, "render: ei results of a different shape");
	if (by_seat && (!v->unit_est || !v->unit_lo95 || !v->unit_hi95))
		return bloc_error_set(BLOC_EINVAL, "render: ei: no unit estimates for --by seat");
	R = in->R;
	C = in->C;
	if ((err = bloc_table_new(&t)) < 0 || (err = add_columns(t, by_seat)) < 0)
		goto done;
	if (!by_seat) {
		for (r = 0; r < R; r++)
			for (c = 0; c < C; c++) {
				size_t k = r * C + c;
				outside += v->outside && v->outside[k];
				if ((err = bloc_table_add_string(t, in->group[r])) < 0 ||
				    (err = bloc_table_add_string(t, in->party[c])) < 0 ||
				    (err = bloc_table_add_real(t, v->est[k])) < 0 ||
				    (err = add_opt(t, v->lo95, k)) < 0 ||
				    (err = add_opt(t, v->hi95, k)) < 0 ||
				    (err = add_opt(t, v->rhat, k)) < 0 ||
				    (err = add_opt(t, v->ess, k)) < 0 ||
				    (err = add_opt(t, v->sd, k)) < 0 ||
				    (err = bloc_table_add_real(t, b->agg_lo[k])) < 0 ||
				    (err = bloc_table_add_real(t, b->agg_hi[k])) < 0 ||
				    (err = v->outside ? bloc_table_add_int(t, v->outside[k])
				                      : bloc_table_add_missing(t)) < 0)
					goto done;
			}
	} else {
		for (i = 0; i < in->n; i++)
			for (r = 0; r < R; r++)
				for (c = 0; c < C; c++) {
					size_t k = (i * R + r) * C + c;
					if ((err = bloc_table_add_string(t, in->unit[i])) < 0 ||
					    (err = bloc_table_add_string(t, in->group[r])) < 0 ||
					    (err = bloc_table_add_string(t, in->party[c])) < 0 ||
					    (err = add_opt(t, v->unit_est, k)) < 0 ||
					    (err = add_opt(t, v->unit_lo95, k)) < 0 ||
					    (err = add_opt(t, v->unit_hi95, k)) < 0 ||
					    (err = bloc_table_add_missing(t)) < 0 ||
					    (err = bloc_table_add_missing(t)) < 0 ||
					    (err = bloc_table_add_real(t, b->lo[k])) < 0 ||
					    (err = bloc_table_add_real(t, b->hi[k])) < 0)
						goto done;
				}
	}
	if ((err = bloc_table_meta(t, "method", "%s", v->method)) < 0 ||
	    (err = bloc_table_meta_int(t, "units", (int64_t)in->n)) < 0)
		goto done;
	if (in->skipped &&
	    (err = bloc_table_meta_int(t, "seats_skipped", (int64_t)in->skipped)) < 0)
		goto done;
	if (v->outside && !by_seat)
		err = bloc_table_meta_int(t, "outside_0_1", outside);
done:
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
