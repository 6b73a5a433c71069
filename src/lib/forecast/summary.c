/* What a forecast's counts say: seat distributions, probabilities, each seat's favourite and
 * class, share intervals, the tipping point; and a forecast scored against the result. */
#include "bloc/forecast.h"

#include "bloc/error.h"
#include "../core/alloc.h"

#include <math.h>
#include <string.h>

const char *bloc_forecast_class_name(int cls)
{
	static const char *const names[] = {"toss-up", "lean", "likely", "safe"};
	return cls >= 0 && cls <= 3 ? names[cls] : "?";
}

void bloc_forecast_summary_dispose(bloc_forecast_summary *s)
{
	double **d[] = {&s->median,     &s->mean,      &s->lo50,         &s->hi50,
	                &s->lo80,       &s->hi80,      &s->lo90,         &s->hi90,
	                &s->p_majority, &s->p_largest, &s->share_median, &s->share_lo90,
	                &s->share_hi90, &s->p,         &s->p_favourite,  &s->s_median,
	                &s->s_lo90,     &s->s_hi90,    &s->p_tip};
	size_t i;

	for (i = 0; i < sizeof(d) / sizeof(d[0]); i++)
		bloc_free(*d[i]);
	bloc_free(s->favourite);
	bloc_free(s->cls);
	memset(s, 0, sizeof(*s));
}

int bloc_forecast_summarise(bloc_forecast_summary *out, const bloc_forecast *f)
{
	const size_t S = f->nseats, P = f->nparties;
	double **party[] = {&out->median,     &out->mean,      &out->lo50,         &out->hi50,
	                    &out->lo80,       &out->hi80,      &out->lo90,         &out->hi90,
	                    &out->p_majority, &out->p_largest, &out->share_median, &out->share_lo90,
	                    &out->share_hi90};
	double **cell[] = {&out->p, &out->s_median, &out->s_lo90, &out->s_hi90};
	const double K = (double)f->kept;
	size_t i, s, p, k;

	memset(out, 0, sizeof(*out));
	out->nseats = S;
	out->nparties = P;
	out->kept = f->kept;
	for (i = 0; i < sizeof(party) / sizeof(party[0]); i++)
		if (!(*party[i] = bloc_calloc(P + 1, sizeof(double))))
			goto oom;
	for (i = 0; i < sizeof(cell) / sizeof(cell[0]); i++)
		if (!(*cell[i] = bloc_calloc(S * P + 1, sizeof(double))))
			goto oom;
	if (!(out->favourite = bloc_calloc(S + 1, sizeof(size_t))) ||
	    !(out->p_favourite = bloc_calloc(S + 1, sizeof(double))) ||
	    !(out->cls = bloc_calloc(S + 1, sizeof(int))) ||
	    !(out->p_tip = bloc_calloc(S + 1, sizeof(double))))
		goto oom;
	for (p = 0; p < P; p++) {
		const uint64_t *h = f->seats + p * (S + 1);
		double m = 0;
		for (k = 0; k <= S; k++)
			m += (double)k * (double)h[k];
		out->mean[p] = K > 0 ? m / K : NAN;
		out->median[p] = (double)bloc_forecast_seat_quantile(h, S, 0.5);
		out->lo50[p] = (double)bloc_forecast_seat_quantile(h, S, 0.25);
		out->hi50[p] = (double)bloc_forecast_seat_quantile(h, S, 0.75);
		out->lo80[p] = (double)bloc_forecast_seat_quantile(h, S, 0.10);
		out->hi80[p] = (double)bloc_forecast_seat_quantile(h, S, 0.90);
		out->lo90[p] = (double)bloc_forecast_seat_quantile(h, S, 0.05);
		out->hi90[p] = (double)bloc_forecast_seat_quantile(h, S, 0.95);
		out->p_majority[p] = K > 0 ? (double)f->majority[p] / K : NAN;
		out->p_largest[p] = K > 0 ? (double)f->largest[p] / K : NAN;
		const uint64_t *n = f->national + p * BLOC_FORECAST_BINS;
		out->share_median[p] = bloc_forecast_hist_quantile(n, BLOC_FORECAST_BINS, 100, 0.5);
		out->share_lo90[p] = bloc_forecast_hist_quantile(n, BLOC_FORECAST_BINS, 100, 0.05);
		out->share_hi90[p] = bloc_forecast_hist_quantile(n, BLOC_FORECAST_BINS, 100, 0.95);
	}
	out->p_hung = K > 0 ? (double)f->hung / K : NAN;
	/* tipping points are counted in the detailed simulations only (BLOC_FORECAST_SHARE_EVERY):
	 * each adds one count to every party's national histogram */
	uint64_t most = 0, detailed = 0;
	for (k = 0; k < BLOC_FORECAST_BINS; k++)
		detailed += f->national[k];
	out->tip_seat = SIZE_MAX;
	for (s = 0; s < S; s++) {
		size_t fav = SIZE_MAX;
		uint64_t best = 0;
		for (p = 0; p < P; p++) {
			const uint32_t *h = f->share + (s * P + p) * BLOC_FORECAST_BINS;
			uint64_t w = f->wins[s * P + p], tot = 0;
			for (k = 0; k < BLOC_FORECAST_BINS; k++)
				tot += h[k];
			out->p[s * P + p] = K > 0 ? (double)w / K : NAN;
			if (w > best) {
				best = w;
				fav = p;
			}
			if (tot) {
				out->s_median[s * P + p] =
				    100 * bloc_forecast_share_quantile(h, 0.5);
				out->s_lo90[s * P + p] =
				    100 * bloc_forecast_share_quantile(h, 0.05);
				out->s_hi90[s * P + p] =
				    100 * bloc_forecast_share_quantile(h, 0.95);
			} else
				out->s_median[s * P + p] = out->s_lo90[s * P + p] =
				    out->s_hi90[s * P + p] = NAN;
		}
		out->favourite[s] = fav;
		out->p_favourite[s] = fav == SIZE_MAX || !(K > 0) ? NAN : (double)best / K;
		double q = out->p_favourite[s];
		out->cls[s] = q >= 0.95   ? BLOC_CLASS_SAFE
		              : q >= 0.80 ? BLOC_CLASS_LIKELY
		              : q >= 0.60 ? BLOC_CLASS_LEAN
		                          : BLOC_CLASS_TOSSUP;
		out->p_tip[s] = detailed ? (double)f->tip[s] / (double)detailed : 0;
		if (f->tip[s] > most) {
			most = f->tip[s];
			out->tip_seat = s;
		}
	}
	return BLOC_OK;
oom:
	bloc_forecast_summary_dispose(out);
	return bloc_error_oom("summarising a forecast of %zu seats", S);
}

void bloc_forecast_score_dispose(bloc_forecast_score *s)
{
	bloc_free(s->actual);
	memset(s, 0, sizeof(*s));
}

int bloc_forecast_score_compute(bloc_forecast_score *out, const bloc_forecast_summary *sm,
                                const size_t *actual_winner, const double *actual_share,
                                const size_t *det_winner)
{
	const size_t S = sm->nseats, P = sm->nparties;
	const double floor_p = sm->kept ? 0.5 / (double)sm->kept : 1e-9;
	size_t s, p;

	memset(out, 0, sizeof(*out));
	if (!(out->actual = bloc_calloc(P + 1, sizeof(*out->actual))))
		return bloc_error_oom("scoring a forecast");
	for (s = 0; s < S; s++) {
		const size_t w = actual_winner[s];
		if (w == SIZE_MAX || w >= P)
			continue;
		out->actual[w]++;
		out->seats++;
		double b = 0;
		for (p = 0; p < P; p++) {
			double d = sm->p[s * P + p] - (p == w);
			b += d * d;
		}
		out->brier += b;
		double pw = sm->p[s * P + w];
		out->log_score += -log(pw > floor_p ? pw : floor_p);
		out->fav_right += pw >= 0.5;
		out->det_right += det_winner[s] == w;
		double a = 100 * actual_share[s * P + w];
		if (!isnan(a) && !isnan(sm->s_lo90[s * P + w])) {
			out->share_in90 += a >= sm->s_lo90[s * P + w] && a <= sm->s_hi90[s * P + w];
		}
	}
	if (out->seats) {
		out->brier /= (double)out->seats;
		out->log_score /= (double)out->seats;
	}
	for (p = 0; p < P; p++) {
		double a = (double)out->actual[p];
		if (!(out->actual[p] > 0 || sm->median[p] > 0))
			continue;
		out->parties++;
		out->in50 += a >= sm->lo50[p] && a <= sm->hi50[p];
		out->in80 += a >= sm->lo80[p] && a <= sm->hi80[p];
		out->in90 += a >= sm->lo90[p] && a <= sm->hi90[p];
	}
	return BLOC_OK;
}
