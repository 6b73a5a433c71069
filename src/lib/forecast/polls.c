/* Polls: dates, the poll average (window, sample-size and recency weights, house effects), and
 * the history of final-poll errors against Great Britain's results. */
#include "bloc/forecast.h"

#include "bloc/error.h"
#include "../core/alloc.h"
#include "../util/linalg.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void bloc_poll_average_options_init(bloc_poll_average_options *o)
{
	memset(o, 0, sizeof(*o));
	o->date = INT32_MAX;
	o->window = 7;
	o->halflife = 7;
	o->sample_weights = 1;
	o->house_effects = 0;
	o->house_window = 90;
}

void bloc_poll_average_dispose(bloc_poll_average *a)
{
	if (!a)
		return;
	bloc_free(a->parties);
	bloc_free(a->share);
	bloc_free(a->house);
	bloc_free(a->pollsters);
	memset(a, 0, sizeof(*a));
}

/* The median of the known sample sizes of polls ending in (from, to], or 1000. */
static double median_n(const bloc_polls *pl, int32_t from, int32_t to)
{
	double *v = bloc_malloc((pl->npolls + 1) * sizeof(*v)), m = 1000;
	size_t i, k = 0;

	if (!v)
		return m;
	for (i = 0; i < pl->npolls; i++)
		if (pl->end[i] > from && pl->end[i] <= to && pl->n[i] > 0)
			v[k++] = pl->n[i];
	if (k) {
		qsort(v, k, sizeof(*v), bloc__cmp_double);
		m = k % 2 ? v[k / 2] : 0.5 * (v[k / 2 - 1] + v[k / 2]);
	}
	bloc_free(v);
	return m;
}

/* Index of pollster name in names[0..*n), added if new. */
static size_t pollster_index(char **names, size_t *n, char *name)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (strcmp(names[i], name) == 0)
			return i;
	names[*n] = name;
	return (*n)++;
}

int bloc_polls_average(bloc_poll_average *out, const bloc_polls *pl,
                       const bloc_poll_average_options *o)
{
	const size_t N = pl->npolls, P = pl->nparties;
	const int32_t to = o->date,
	              from = (int32_t)((int64_t)o->date -
	                               (int64_t)(o->window > 3650 ? 3650 : o->window));
	double *wsum = NULL, *house = NULL, *hn = NULL, med;
	size_t i, p, *who = NULL, blank = 0;
	int32_t newest = BLOC_NO_DATE;
	int err = BLOC_OK;

	memset(out, 0, sizeof(*out));
	if (o->date == BLOC_NO_DATE)
		return bloc_error_set(BLOC_ENOTFOUND, "%s: no poll has an end date (%zu rows)",
		                      pl->source, N);
	out->nparties = P;
	out->parties = bloc_malloc((P + 1) * sizeof(*out->parties));
	out->share = bloc_calloc(P + 1, sizeof(*out->share));
	out->pollsters = bloc_calloc(N + 1, sizeof(*out->pollsters));
	wsum = bloc_calloc(P + 1, sizeof(*wsum));
	who = bloc_calloc(N + 1, sizeof(*who));
	if (!out->parties || !out->share || !out->pollsters || !wsum || !who) {
		err = bloc_error_oom("a poll average of %zu polls", N);
		goto done;
	}
	memcpy(out->parties, pl->parties, P * sizeof(*out->parties));
	for (i = 0; i < N; i++)
		who[i] = pollster_index(out->pollsters, &out->npollsters, pl->pollster[i]);
	if (o->house_effects) {
		/* each poll's deviation from the unweighted mean of the polls ending within 7 days
		 * either side of it, averaged by pollster over house_window days, shrunk by k/(k+2)
		 * with k polls, then centred (the average cannot see the industry's own bias) */
		const int32_t hfrom = (int32_t)(to - o->house_window);
		house = out->house = bloc_calloc(out->npollsters * P + 1, sizeof(*house));
		hn = bloc_calloc(out->npollsters * P + 1, sizeof(*hn));
		if (!house || !hn) {
			err = bloc_error_oom("house effects");
			goto done;
		}
		for (i = 0; i < N; i++) {
			if (pl->end[i] == BLOC_NO_DATE || pl->end[i] <= hfrom || pl->end[i] > to)
				continue;
			for (p = 0; p < P; p++) {
				double x = pl->share[i * P + p], m = 0;
				size_t j, k = 0;
				if (isnan(x))
					continue;
				for (j = 0; j < N; j++)
					if (pl->end[j] != BLOC_NO_DATE && pl->end[j] <= to &&
					    abs(pl->end[j] - pl->end[i]) <= 7 &&
					    !isnan(pl->share[j * P + p])) {
						m += pl->share[j * P + p];
						k++;
					}
				house[who[i] * P + p] += x - m / (double)k;
				hn[who[i] * P + p] += 1;
			}
		}
		for (p = 0; p < P; p++) {
			double c = 0, cn = 0;
			for (i = 0; i < out->npollsters; i++) {
				double k = hn[i * P + p];
				if (k > 0)
					house[i * P + p] = house[i * P + p] / k * (k / (k + 2));
				c += house[i * P + p] * k;
				cn += k;
			}
			for (i = 0; i < out->npollsters; i++)
				if (hn[i * P + p] > 0)
					house[i * P + p] -= cn > 0 ? c / cn : 0;
		}
	}
	med = median_n(pl, from, to);
	out->first = INT32_MAX;
	out->last = BLOC_NO_DATE;
	for (i = 0; i < N; i++) {
		double w = 1;
		if (pl->end[i] == BLOC_NO_DATE) {
			out->undated++;
			continue;
		}
		if (pl->end[i] <= to && pl->end[i] > newest)
			newest = pl->end[i];
		if (pl->end[i] <= from || pl->end[i] > to)
			continue;
		if (o->sample_weights)
			w *= sqrt((pl->n[i] > 0 ? pl->n[i] : med) / med);
		if (o->halflife > 0)
			w *= exp2(-(double)(to - pl->end[i]) / o->halflife);
		for (p = 0; p < P && isnan(pl->share[i * P + p]); p++)
			;
		if (p == P) {
			blank++; /* a poll that reports no party */
			continue;
		}
		for (p = 0; p < P; p++) {
			double x = pl->share[i * P + p];
			if (isnan(x))
				continue;
			if (house)
				x -= house[who[i] * P + p];
			out->share[p] += w * x;
			wsum[p] += w;
		}
		out->weight_sum += w;
		out->used++;
		if (pl->end[i] < out->first)
			out->first = pl->end[i];
		if (pl->end[i] > out->last)
			out->last = pl->end[i];
	}
	if (!out->used && blank) {
		err =
		    bloc_error_set(BLOC_ENOTFOUND,
		                   "%s: the %zu polls ending in the window report no party's share",
		                   pl->source, blank);
		goto done;
	}
	if (!out->used) {
		char d[11], nd[11];
		bloc_date_text(to, d);
		if (newest != BLOC_NO_DATE)
			bloc_date_text(newest, nd);
		err = bloc_error_set(
		    BLOC_ENOTFOUND, "%s: no poll ends in the %g days up to %s%s%s%s", pl->source,
		    o->window, d, newest != BLOC_NO_DATE ? " (the newest before it ends " : "",
		    newest != BLOC_NO_DATE ? nd : "",
		    newest != BLOC_NO_DATE ? ": widen --window)" : "");
		goto done;
	}
	for (p = 0; p < P; p++)
		out->share[p] = wsum[p] > 0 ? out->share[p] / wsum[p] : NAN;

done:
	bloc_free(wsum);
	bloc_free(who);
	bloc_free(hn);
	if (err < 0)
		bloc_poll_average_dispose(out);
	return err;
}

int bloc_poll_errors_compute(bloc_poll_errors *out, const bloc_polls *pl, int32_t before, int days)
{
	const bloc_gb_result *gb;
	const size_t ng = bloc_gb_results(&gb), P = pl->nparties;
	long col[3] = {-1, -1, -1};
	static const char *const codes[3] = {"CON", "LAB", "LD"};
	double err_[64][3], share[64][3];
	size_t n = 0, e, i, p, q;

	memset(out, 0, sizeof(*out));
	for (p = 0; p < P; p++)
		for (q = 0; q < 3; q++)
			if (strcmp(bloc_party_code(pl->parties[p]), codes[q]) == 0)
				col[q] = (long)p;
	for (q = 0; q < 3; q++)
		if (col[q] < 0)
			return bloc_error_set(BLOC_EINVAL,
			                      "%s: no %s column for the final-poll errors",
			                      pl->source, codes[q]);
	for (e = 0; e < ng && n < 64; e++) {
		const int32_t day = bloc_date_days(gb[e].date);
		const int span = day < bloc_date_days("1960-01-01") ? 30 : days;
		double sum[3] = {0, 0, 0};
		size_t k = 0;
		if (day == BLOC_NO_DATE || day >= before)
			continue;
		for (i = 0; i < pl->npolls; i++) {
			if (pl->end[i] == BLOC_NO_DATE || pl->end[i] >= day ||
			    pl->end[i] < day - span)
				continue;
			if (isnan(pl->share[i * P + (size_t)col[0]]) ||
			    isnan(pl->share[i * P + (size_t)col[1]]) ||
			    isnan(pl->share[i * P + (size_t)col[2]]))
				continue;
			for (q = 0; q < 3; q++)
				sum[q] += pl->share[i * P + (size_t)col[q]];
			k++;
		}
		if (!k)
			continue;
		const double res[3] = {gb[e].con, gb[e].lab, gb[e].lib};
		for (q = 0; q < 3; q++) {
			err_[n][q] = 100 * sum[q] / (double)k - res[q];
			share[n][q] = res[q] / 100;
		}
		snprintf(out->date[n], sizeof(out->date[n]), "%s", gb[e].date);
		out->npolls[n] = k;
		for (q = 0; q < 3; q++) {
			out->poll[n][q] = 100 * sum[q] / (double)k;
			out->result[n][q] = res[q];
		}
		if (!n)
			snprintf(out->first, sizeof(out->first), "%s", gb[e].date);
		snprintf(out->last, sizeof(out->last), "%s", gb[e].date);
		n++;
	}
	if (n < 3)
		return bloc_error_set(BLOC_ENOTFOUND,
		                      "%s: final polls for %zu general elections before the date; "
		                      "the error history needs 3 or more",
		                      pl->source, n);
	out->n = n;
	double ss = 0, ee = 0;
	for (q = 0; q < 3; q++) {
		double m = 0, sq = 0;
		for (e = 0; e < n; e++) {
			m += err_[e][q];
			sq += err_[e][q] * err_[e][q];
			ss += share[e][q] * (1 - share[e][q]);
			ee += err_[e][q] * err_[e][q] / 1e4;
		}
		out->mean[q] = m / (double)n;
		out->sd[q] = sqrt(sq / (double)n);
	}
	for (p = 0; p < 3; p++)
		for (q = 0; q < 3; q++) {
			double c = 0, vp = 0, vq = 0;
			for (e = 0; e < n; e++) {
				double a = err_[e][p] - out->mean[p], b = err_[e][q] - out->mean[q];
				c += a * b;
				vp += a * a;
				vq += b * b;
			}
			out->corr[p][q] = vp > 0 && vq > 0 ? c / sqrt(vp * vq) : (p == q);
		}
	out->kappa = ee > 0 ? ss / ee - 1 : 360;
	return BLOC_OK;
}
