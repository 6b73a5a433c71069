/* Electors' ages, sex and households by seat from the census summaries (BES 2019's c11 columns
 * for the 2011 census on 2010 boundaries; the 2024 constituency summaries' c21 columns for 2021
 * on 2023 boundaries): each seat's adults in six bands, 18-24 ... 65+, the share of women, and
 * its households by the number of adults in them (1 to 6+), from household composition. */
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

/* Household composition into adults per household (1, 2, ... 6 or more): how many adults a
 * household of each type holds. One person 1; couples 2; a lone parent of dependent children 1
 * (or 2 with a dependent of 18); non-dependent children are adults; "other" households (several
 * families or generations, sharers, students) 2 to 6. The splits within a type are assumptions
 * (docs/simulate.md). */
static const struct band_col h11[] = {
    {"c11HouseholdOnePerson65plus", {1, 0, 0, 0, 0, 0}},
    {"c11HouseholdOnePersonOther", {1, 0, 0, 0, 0, 0}},
    {"c11HouseholdOneFamily65plus", {0, 1, 0, 0, 0, 0}},
    {"c11HouseholdMarriedNoChildren", {0, 1, 0, 0, 0, 0}},
    {"c11HouseholdMarriedDependents", {0, 0.85, 0.15, 0, 0, 0}},
    {"c11HouseholdMarriedNondependents", {0, 0, 0.65, 0.25, 0.1, 0}},
    {"c11HouseholdCohabitNoChildren", {0, 1, 0, 0, 0, 0}},
    {"c11HouseholdCohabitDependents", {0, 0.85, 0.15, 0, 0, 0}},
    {"c11HouseholdCohabitNodependents", {0, 0, 0.65, 0.25, 0.1, 0}},
    {"c11HouseholdLoneDependents", {0.85, 0.15, 0, 0, 0, 0}},
    {"c11HouseholdLoneNodependents", {0, 0.65, 0.25, 0.1, 0, 0}},
    {"c11HouseholdOtherDependents", {0, 0.2, 0.3, 0.25, 0.15, 0.1}},
    {"c11HouseholdAllStudents", {0, 0.2, 0.3, 0.3, 0.2, 0}},
    {"c11HouseholdAll65plus", {0, 0.7, 0.3, 0, 0, 0}},
    {"c11HouseholdAnyOther", {0, 0.45, 0.3, 0.15, 0.1, 0}}};

static const struct band_col h21[] = {
    {"c21HouseholdOnePerson66plus", {1, 0, 0, 0, 0, 0}},
    {"c21HouseholdOnePersonOther", {1, 0, 0, 0, 0, 0}},
    {"c21HouseholdOneFamily66plus", {0, 1, 0, 0, 0, 0}},
    {"c21HouseholdMarriedNoChildren", {0, 1, 0, 0, 0, 0}},
    {"c21HouseholdMarriedDependents", {0, 0.85, 0.15, 0, 0, 0}},
    {"c21HouseholdMarriedNondependents", {0, 0, 0.65, 0.25, 0.1, 0}},
    {"c21HouseholdCohabitNoChildren", {0, 1, 0, 0, 0, 0}},
    {"c21HouseholdCohabitDependents", {0, 0.85, 0.15, 0, 0, 0}},
    {"c21HouseholdCohabitNondependents", {0, 0, 0.65, 0.25, 0.1, 0}},
    {"c21HouseholdLoneDependents", {0.85, 0.15, 0, 0, 0, 0}},
    {"c21HouseholdLoneNondependents", {0, 0.65, 0.25, 0.1, 0, 0}},
    {"c21HouseholdOtherDependents", {0, 0.2, 0.3, 0.25, 0.15, 0.1}},
    {"c21HouseholdOtherAllStudents", {0, 0.2, 0.3, 0.3, 0.2, 0}},
    {"c21HouseholdOtherAll66Plus", {0, 0.7, 0.3, 0, 0, 0}},
    {"c21HouseholdOtherRelated", {0, 0.45, 0.3, 0.15, 0.1, 0}},
    {"c21HouseholdOtherAnyOther", {0, 0.45, 0.3, 0.15, 0.1, 0}}};

/* The weighted sum of a row's columns into six bins, scaled to sum 1; 0 if a field is blank
 * or not a number, or the total is 0. */
static int bins(bloc_csv_reader *r, const struct band_col *cols, const int *idx, size_t ncols,
                double *out)
{
	double band[6] = {0, 0, 0, 0, 0, 0}, tot = 0, v;
	size_t k, b;

	for (k = 0; k < ncols; k++) {
		if (bloc_csv_field_double(r, (size_t)idx[k], &v) < 0 || !(v >= 0)) {
			bloc_error_clear();
			return 0;
		}
		for (b = 0; b < 6; b++)
			band[b] += v * cols[k].w[b];
	}
	for (b = 0; b < 6; b++)
		tot += band[b];
	if (!(tot > 0))
		return 0;
	for (b = 0; b < 6; b++)
		out[b] = band[b] / tot;
	return 1;
}

static int columns(bloc_csv_reader *r, const char *path, const struct band_col *cols, size_t n,
                   int *idx)
{
	size_t k;

	for (k = 0; k < n; k++)
		if ((idx[k] = bloc_csv_col(r, cols[k].name)) < 0)
			return bloc_error_set(BLOC_EPARSE, "%s:1: expected a column %s", path,
			                      cols[k].name);
	return BLOC_OK;
}

int bloc_seat_people_load(const char *path, const bloc_contest *c, double *age, double *female,
                          double *households)
{
	bloc_csv_reader *r = NULL;
	const struct band_col *cols, *hcols;
	int idx[16], hidx[16], code, fem;
	size_t ncols, nh, k, s, matched = 0;
	int err;

	for (s = 0; s < c->nseats; s++) {
		female[s] = NAN;
		for (k = 0; k < 6; k++) {
			age[s * 6 + k] = NAN;
			if (households)
				households[s * 6 + k] = NAN;
		}
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
		hcols = h21;
		nh = sizeof(h21) / sizeof(h21[0]);
		fem = bloc_csv_col(r, "c21Female");
	} else {
		cols = c11;
		ncols = sizeof(c11) / sizeof(c11[0]);
		hcols = h11;
		nh = sizeof(h11) / sizeof(h11[0]);
		fem = bloc_csv_col(r, "c11Female");
	}
	if ((err = columns(r, path, cols, ncols, idx)) < 0 ||
	    (households && (err = columns(r, path, hcols, nh, hidx)) < 0))
		goto done;
	while ((err = bloc_csv_next(r)) == 1) {
		long seat = bloc_contest_seat(c, bloc_csv_field(r, (size_t)code));
		double v;
		if (seat < 0 || !bins(r, cols, idx, ncols, &age[(size_t)seat * 6]))
			continue; /* a blank or a word: no ages for this seat */
		if (households)
			bins(r, hcols, hidx, nh, &households[(size_t)seat * 6]);
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
