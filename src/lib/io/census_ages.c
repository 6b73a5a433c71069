/* Electors' ages and sex by seat from the census summaries (BES 2019's c11 columns for the
 * 2011 census on 2010 boundaries; the 2024 constituency summaries' c21 columns for 2021 on 2023
 * boundaries): each seat's adults in six bands, 18-24 ... 65+, and the share of women. */
#include "bloc/io.h"

#include "bloc/csv.h"
#include "bloc/error.h"
#include "../core/alloc.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* One source column into bands: column name, then its weight in each of the six bands. */
struct band_col {
	const char *name;
	double w[6];
};

/* 2011: 18to19 20to24 | 25to29 + a third of 30to44 | two thirds of 30to44 | two thirds of
 * 45to59 | a third of 45to59 + 60to64 | 65 and over (ages spread evenly within a column) */
static const struct band_col c11[] = {
    {"c11Age18to19", {1, 0, 0, 0, 0, 0}},           {"c11Age20to24", {1, 0, 0, 0, 0, 0}},
    {"c11Age25to29", {0, 1, 0, 0, 0, 0}},           {"c11Age30to44", {0, 1. / 3, 2. / 3, 0, 0, 0}},
    {"c11Age45to59", {0, 0, 0, 2. / 3, 1. / 3, 0}}, {"c11Age60to64", {0, 0, 0, 0, 1, 0}},
    {"c11Age65to74", {0, 0, 0, 0, 0, 1}},           {"c11Age75to84", {0, 0, 0, 0, 0, 1}},
    {"c11Age85to89", {0, 0, 0, 0, 0, 1}},           {"c11Age90plus", {0, 0, 0, 0, 0, 1}}};

/* 2021: half of 16to19 (18 and 19) ... */
static const struct band_col c21[] = {
    {"c21Age16to19", {0.5, 0, 0, 0, 0, 0}}, {"c21Age20to24", {1, 0, 0, 0, 0, 0}},
    {"c21Age25to29", {0, 1, 0, 0, 0, 0}},   {"c21Age30to34", {0, 1, 0, 0, 0, 0}},
    {"c21Age35to39", {0, 0, 1, 0, 0, 0}},   {"c21Age40to44", {0, 0, 1, 0, 0, 0}},
    {"c21Age45to49", {0, 0, 0, 1, 0, 0}},   {"c21Age50to54", {0, 0, 0, 1, 0, 0}},
    {"c21Age55to59", {0, 0, 0, 0, 1, 0}},   {"c21Age60to64", {0, 0, 0, 0, 1, 0}},
    {"c21Age65to69", {0, 0, 0, 0, 0, 1}},   {"c21Age70to74", {0, 0, 0, 0, 0, 1}},
    {"c21Age75to79", {0, 0, 0, 0, 0, 1}},   {"c21Age80to84", {0, 0, 0, 0, 0, 1}},
    {"c21Age85plus", {0, 0, 0, 0, 0, 1}}};

int bloc_seat_ages_load(const char *path, const bloc_contest *c, double *age, double *female)
{
	bloc_csv_reader *r = NULL;
	const struct band_col *cols;
	int idx[16], code, fem;
	size_t ncols, k, s, matched = 0;
	int err;

	for (s = 0; s < c->nseats; s++) {
		female[s] = NAN;
		for (k = 0; k < 6; k++)
			age[s * 6 + k] = NAN;
	}
	if ((err = bloc_csv_open(&r, path, NULL)) < 0 || (err = bloc_csv_read_header(r)) < 0)
		goto done;
	if ((code = bloc_csv_col(r, "ONSConstID")) < 0) {
		err = bloc_error_set(BLOC_EPARSE, "%s:1: expected an ONSConstID column", path);
		goto done;
	}
	if (bloc_csv_col(r, "c21Age20to24") >= 0) {
		cols = c21;
		ncols = sizeof(c21) / sizeof(c21[0]);
		fem = bloc_csv_col(r, "c21Female");
	} else {
		cols = c11;
		ncols = sizeof(c11) / sizeof(c11[0]);
		fem = bloc_csv_col(r, "c11Female");
	}
	for (k = 0; k < ncols; k++)
		if ((idx[k] = bloc_csv_col(r, cols[k].name)) < 0) {
			err = bloc_error_set(BLOC_EPARSE, "%s:1: expected a column %s", path,
			                     cols[k].name);
			goto done;
		}
	while ((err = bloc_csv_next(r)) == 1) {
		long seat = bloc_contest_seat(c, bloc_csv_field(r, (size_t)code));
		double band[6] = {0, 0, 0, 0, 0, 0}, tot = 0, v;
		size_t b;
		int ok = 1;
		if (seat < 0)
			continue;
		for (k = 0; k < ncols && ok; k++) {
			if (bloc_csv_field_double(r, (size_t)idx[k], &v) < 0 || !(v >= 0)) {
				bloc_error_clear();
				ok = 0; /* a blank or a word: no ages for this seat */
				break;
			}
			for (b = 0; b < 6; b++)
				band[b] += v * cols[k].w[b];
		}
		for (b = 0; b < 6; b++)
			tot += band[b];
		if (!ok || !(tot > 0))
			continue;
		for (b = 0; b < 6; b++)
			age[(size_t)seat * 6 + b] = band[b] / tot;
		if (fem >= 0 && bloc_csv_field_double(r, (size_t)fem, &v) == BLOC_OK && v >= 0 &&
		    v <= 100)
			female[seat] = v / 100;
		else
			bloc_error_clear();
		matched++;
	}
	if (err == 0 && !matched)
		err = bloc_error_set(BLOC_ENOTFOUND, "%s: no seat of %s", path, c->id);
done:
	bloc_csv_close(r);
	return err < 0 ? err : BLOC_OK;
}
