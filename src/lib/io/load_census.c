/* The census readers: ONS 2021 long counts, NRS 2022 wide counts (by name), BES 2019 percentages.
 * Each reads one file once and writes one group's share for the contest seats it finds. */
#include "census.h"

#include "bloc/csv.h"
#include "bloc/error.h"
#include "../core/alloc.h"

#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* The most residents one census cell may count: far above any constituency (about 100,000). */
#define MAX_COUNT INT64_C(1000000000)
/* Longest constituency name compared (longer names are compared on this prefix). */
#define NAME_CAP 160
/* Longest list of unmatched names kept for the caller (then "..."). */
#define UNMATCHED_CAP 4096

void bloc__census_found_dispose(bloc__census_found *f)
{
	if (!f)
		return;
	bloc_free(f->unmatched);
	memset(f, 0, sizeof(*f));
}

void bloc__census_norm_name(char *dst, size_t cap, const char *s)
{
	size_t n = 0;
	int space = 0;

	if (cap == 0)
		return;
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		const char *word = NULL;
		char one[2] = {0, 0};

		if (ch >= 'A' && ch <= 'Z')
			one[0] = (char)(ch - 'A' + 'a');
		else if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch >= 0x80)
			one[0] = (char)ch;
		else if (ch == '&')
			word = "and";
		if (!one[0] && !word) {
			space = n > 0;
			continue;
		}
		/* "&" is a word of its own even when written "A&B" */
		if (word && n > 0)
			space = 1;
		if (space && n + 1 < cap)
			dst[n++] = ' ';
		space = word != NULL;
		for (word = word ? word : one; *word && n + 1 < cap; word++)
			dst[n++] = *word;
	}
	dst[n] = '\0';
}

/* ---- shared helpers ----------------------------------------------------------------------- */

/* Every record must have as many fields as the header (a short row would read as blanks). */
static int check_fields(const bloc_csv_reader *rd)
{
	size_t nf = bloc_csv_nfields(rd), last;

	if (nf == bloc_csv_ncols(rd))
		return BLOC_OK;
	last = nf ? nf - 1 : 0;
	return bloc_error_set(BLOC_EPARSE,
	                      "%s:%zu:%zu: expected %zu fields as in the header, found %zu",
	                      bloc_csv_name(rd), bloc_csv_field_line(rd, last),
	                      bloc_csv_column(rd, last), bloc_csv_ncols(rd), nf);
}

static int missing_column(const bloc_csv_reader *rd, const char *what, const char *name)
{
	return bloc_error_set(BLOC_EPARSE,
	                      "%s:%zu:1: expected %s column '%s' in the header, found none",
	                      bloc_csv_name(rd), bloc_csv_line(rd), what, name);
}

/* Field i without surrounding spaces: the field itself, or a copy in buf (truncated to cap). */
static const char *trimmed_field(const bloc_csv_reader *rd, size_t i, char *buf, size_t cap)
{
	const char *s = bloc_csv_field(rd, i);
	size_t n = bloc_csv_field_len(rd, i);

	if (n == 0 || (s[0] != ' ' && s[0] != '\t' && s[n - 1] != ' ' && s[n - 1] != '\t'))
		return s;
	while (n && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n >= cap)
		n = cap - 1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return buf;
}

/* A count of residents in field i: whole, 0..MAX_COUNT, not blank. */
static int read_count(const bloc_csv_reader *rd, size_t i, int64_t *out)
{
	int err = bloc_csv_field_i64(rd, i, out);

	if (err == BLOC_ENOTFOUND)
		return bloc_csv_field_error(rd, i, BLOC_EPARSE,
		                            "expected a count of residents, found an empty field");
	if (err < 0)
		return err;
	if (*out < 0 || *out > MAX_COUNT)
		return bloc_csv_field_error(rd, i, BLOC_ENUMERIC,
		                            "expected a count of residents from 0 to %" PRId64
		                            ", found %" PRId64,
		                            MAX_COUNT, *out);
	return BLOC_OK;
}

/* Field i without surrounding spaces in *out; empty is an error naming `what`. */
static int read_nonempty(const bloc_csv_reader *rd, size_t i, char *buf, size_t cap,
                         const char *what, const char **out)
{
	*out = trimmed_field(rd, i, buf, cap);
	if (!**out)
		return bloc_csv_field_error(rd, i, BLOC_EPARSE, "expected %s, found an empty field",
		                            what);
	return BLOC_OK;
}

/* A value from 0 to max in field i (`what`: "a share", "a percentage"), NaN where blank or NA. */
static int read_fraction(const bloc_csv_reader *rd, size_t i, int max, const char *what, double *v)
{
	int err = bloc_csv_field_double(rd, i, v);

	if (err == BLOC_ENOTFOUND) {
		*v = NAN; /* blank or NA: missing, never zero */
		return BLOC_OK;
	}
	if (err < 0)
		return err;
	if (*v < 0 || *v > (double)max)
		return bloc_csv_field_error(
		    rd, i, BLOC_ENUMERIC, "expected %s from 0 to %d, found '%.40s'%s", what, max,
		    bloc_csv_field(rd, i),
		    max == 1 && *v > 1 && *v <= 100 ? " (a percentage? divide by 100)" : "");
	return BLOC_OK;
}

/* The optional population in field i (-1: no such column), NaN where blank, NA or absent. */
static int read_population(const bloc_csv_reader *rd, int i, double *pop)
{
	int err;

	*pop = NAN;
	if (i < 0)
		return BLOC_OK;
	err = bloc_csv_field_double(rd, (size_t)i, pop);
	if (err == BLOC_ENOTFOUND) {
		*pop = NAN;
		return BLOC_OK;
	}
	if (err < 0)
		return err;
	if (*pop < 0 || *pop > (double)MAX_COUNT)
		return bloc_csv_field_error(rd, (size_t)i, BLOC_ENUMERIC,
		                            "expected a count of residents from 0 to %" PRId64
		                            ", found '%.40s'",
		                            MAX_COUNT, bloc_csv_field(rd, (size_t)i));
	return BLOC_OK;
}

static int open_with_header(bloc_csv_reader **rd, const char *path)
{
	int err;

	if ((err = bloc_csv_open(rd, path, NULL)) < 0)
		return err;
	if ((err = bloc_csv_read_header(*rd)) < 0)
		return err;
	if (bloc_csv_ncols(*rd) == 0)
		return bloc_error_set(BLOC_EPARSE, "%s:1:1: expected a header, found an empty file",
		                      path);
	return BLOC_OK;
}

/* ---- ONS 2021: long counts ---------------------------------------------------------------- */

struct category {
	const char *prefix; /* label, lower case; matched as a prefix, case-insensitive */
	int group;
};

static const struct category ons_religion[] = {{"no religion", BLOC__G_NO_RELIGION},
                                               {"christian", BLOC__G_CHRISTIAN},
                                               {"buddhist", BLOC__G_BUDDHIST},
                                               {"hindu", BLOC__G_HINDU},
                                               {"jewish", BLOC__G_JEWISH},
                                               {"muslim", BLOC__G_MUSLIM},
                                               {"sikh", BLOC__G_SIKH},
                                               {"other religion", BLOC__G_OTHER_RELIGION},
                                               {"not answered", BLOC__G_RELIGION_NOT_STATED},
                                               {"religion not stated", BLOC__G_RELIGION_NOT_STATED},
                                               {"not stated", BLOC__G_RELIGION_NOT_STATED},
                                               {NULL, 0}};

static const struct category ons_ethnic[] = {{"asian", BLOC__G_ASIAN},
                                             {"black", BLOC__G_BLACK},
                                             {"mixed", BLOC__G_MIXED},
                                             {"white", BLOC__G_WHITE},
                                             {"other ethnic", BLOC__G_OTHER_ETHNIC},
                                             {NULL, 0}};

static const char *const ons_group_label[BLOC__NGROUPS] = {
    "Christian",   "Buddhist",     "Hindu", "Jewish", "Muslim", "Sikh",  "Other religion",
    "No religion", "Not answered", "White", "Mixed",  "Asian",  "Black", "Other ethnic group"};

/* Group of a category label, -1 for "Does not apply", -2 if unknown. */
static int ons_category(const struct category *cats, const char *label)
{
	size_t n;

	while (*label == ' ' || *label == '\t')
		label++;
	if (strncasecmp(label, "does not apply", 14) == 0)
		return -1;
	for (; cats->prefix; cats++) {
		n = strlen(cats->prefix);
		if (strncasecmp(label, cats->prefix, n) == 0)
			return cats->group;
	}
	return -2;
}

/* Columns: the first header ending in "code" is the seat, the second the category (its label
 * follows it), and "Observation" the count. */
static int ons_columns(const bloc_csv_reader *rd, int *code, int *cat, int *label, int *obs)
{
	size_t i, n = bloc_csv_ncols(rd);

	*code = *cat = *label = -1;
	*obs = bloc_csv_col(rd, "Observation");
	for (i = 0; i < n; i++) {
		const char *h = bloc_csv_colname(rd, i);
		size_t len = strlen(h);
		if (len >= 4 && strcasecmp(h + len - 4, "code") == 0) {
			if (*code < 0)
				*code = (int)i;
			else if (*cat < 0)
				*cat = (int)i;
		}
	}
	if (*cat >= 0 && (size_t)*cat + 1 < n)
		*label = *cat + 1;
	if (*code < 0 || *cat < 0 || *label < 0 || *obs < 0 || *label == *obs)
		return bloc_error_set(
		    BLOC_EPARSE,
		    "%s:%zu:1: expected the ONS census columns (constituency code, constituency, "
		    "category code, category, Observation), found %zu columns starting '%.60s'",
		    bloc_csv_name(rd), bloc_csv_line(rd), n, bloc_csv_colname(rd, 0));
	return BLOC_OK;
}

/* The ONS columns (see ons_columns). */
typedef struct {
	int code, cat, label, obs;
} ons_cols;

/* Per contest seat: the group's count, all counted, the categories seen and the first line. */
typedef struct {
	int64_t *count, *total;
	uint16_t *mask;
	size_t *first;
} ons_tally;

/* One ONS row: its seat code, category code, count and the category's group (-1 for "Does
 * not apply"); an unknown category label is an error. */
static int ons_read_row(const bloc_csv_reader *rd, const ons_cols *oc, const struct category *cats,
                        char *buf, size_t cap, const char **code, int64_t *catcode, int64_t *obs,
                        int *g)
{
	int err;

	if ((err = check_fields(rd)) < 0)
		return err;
	if ((err = read_nonempty(rd, (size_t)oc->code, buf, cap, "a constituency code", code)) < 0)
		return err;
	if ((err = bloc_csv_field_i64(rd, (size_t)oc->cat, catcode)) < 0) {
		if (err == BLOC_ENOTFOUND)
			err = bloc_csv_field_error(rd, (size_t)oc->cat, BLOC_EPARSE,
			                           "expected a category code, found an empty "
			                           "field");
		return err;
	}
	if ((err = read_count(rd, (size_t)oc->obs, obs)) < 0)
		return err;
	*g = ons_category(cats, bloc_csv_field(rd, (size_t)oc->label));
	if (*g == -2)
		return bloc_csv_field_error(
		    rd, (size_t)oc->label, BLOC_EPARSE, "expected %s, found '%.60s'",
		    cats == ons_religion
		        ? "a religion category (No religion, Christian, Buddhist, Hindu, "
		          "Jewish, Muslim, Sikh, Other religion, Not answered, Does not "
		          "apply)"
		        : "an ethnic group category (Asian, Black, Mixed, White, Other "
		          "ethnic "
		          "group, Does not apply)",
		    bloc_csv_field(rd, (size_t)oc->label));
	return BLOC_OK;
}

/* Each seat found needs a count for every category of the topic (`need`); then its share of
 * the group and its population. */
static int ons_shares(const char *path, const bloc_contest *c, const char *topic, uint16_t need,
                      const ons_tally *t, double *share, double *population,
                      bloc__census_found *found)
{
	size_t s;
	int g;

	for (s = 0; s < c->nseats; s++) {
		if (!t->mask[s])
			continue;
		if (t->mask[s] != need) {
			for (g = 0; g < BLOC__NGROUPS && !((need & ~t->mask[s]) & (1u << g)); g++)
				;
			return bloc_error_set(
			    BLOC_EPARSE,
			    "%s:%zu:1: constituency %s: expected a count for every "
			    "%s category, found none for '%s'",
			    path, t->first[s], c->code[s], topic,
			    g < BLOC__NGROUPS ? ons_group_label[g] : "?");
		}
		found->matched++;
		found->by_code++;
		share[s] = t->total[s] > 0 ? (double)t->count[s] / (double)t->total[s] : NAN;
		if (population)
			population[s] = t->total[s] > 0 ? (double)t->total[s] : NAN;
	}
	return BLOC_OK;
}

int bloc__census_read_ons(const char *path, const bloc_contest *c, int group, double *share,
                          double *population, bloc__census_found *found)
{
	const struct category *cats = BLOC__G_IS_RELIGION(group) ? ons_religion : ons_ethnic;
	const char *topic = BLOC__G_IS_RELIGION(group) ? "religion" : "ethnic group";
	bloc_csv_reader *rd = NULL;
	ons_tally t = {NULL, NULL, NULL, NULL};
	ons_cols oc;
	uint16_t need = 0;
	size_t s, n = c->nseats;
	int rc, err, g;
	char buf[128];

	memset(found, 0, sizeof(*found));
	for (g = 0; g < BLOC__NGROUPS; g++)
		if (BLOC__G_IS_RELIGION(g) == BLOC__G_IS_RELIGION(group))
			need |= (uint16_t)(1u << g);
	if ((err = open_with_header(&rd, path)) < 0)
		goto done;
	if ((err = ons_columns(rd, &oc.code, &oc.cat, &oc.label, &oc.obs)) < 0)
		goto done;
	t.count = bloc_calloc(n, sizeof(*t.count));
	t.total = bloc_calloc(n, sizeof(*t.total));
	t.mask = bloc_calloc(n, sizeof(*t.mask));
	t.first = bloc_calloc(n, sizeof(*t.first));
	if (!t.count || !t.total || !t.mask || !t.first) {
		err = bloc_error_set(BLOC_ENOMEM, "out of memory reading %s", path);
		goto done;
	}
	while ((rc = bloc_csv_next(rd)) > 0) {
		const char *code;
		int64_t obs, catcode;
		long seat;

		found->rows++;
		if ((err = ons_read_row(rd, &oc, cats, buf, sizeof(buf), &code, &catcode, &obs,
		                        &g)) < 0)
			goto done;
		/* "Does not apply" (code -8) counts no usual resident */
		if (g < 0 || catcode == -8)
			continue;
		if ((seat = bloc_contest_seat(c, code)) < 0)
			continue;
		s = (size_t)seat;
		if (t.mask[s] & (1u << g)) {
			err = bloc_csv_field_error(
			    rd, (size_t)oc.label, BLOC_EPARSE,
			    "expected each %s category once per constituency, "
			    "found '%.60s' for %s again (its first category is "
			    "on line %zu)",
			    topic, bloc_csv_field(rd, (size_t)oc.label), code, t.first[s]);
			goto done;
		}
		if (!t.mask[s])
			t.first[s] = bloc_csv_line(rd);
		t.mask[s] |= (uint16_t)(1u << g);
		t.total[s] += obs;
		if (g == group)
			t.count[s] += obs;
	}
	if (rc < 0) {
		err = rc;
		goto done;
	}
	err = ons_shares(path, c, topic, need, &t, share, population, found);
done:
	bloc_free(t.count);
	bloc_free(t.total);
	bloc_free(t.mask);
	bloc_free(t.first);
	bloc_csv_close(rd);
	return err;
}

/* ---- NRS 2022 (Scotland): wide counts by name --------------------------------------------- */

#define NRS_MAXCOLS 3
/* The columns summed for each group; the ethnic "Total" columns include their subgroups. */
static const char *const nrs_cols[BLOC__NGROUPS][NRS_MAXCOLS] = {
    [BLOC__G_CHRISTIAN] = {"Church of Scotland", "Roman Catholic", "Other Christian"},
    [BLOC__G_BUDDHIST] = {"Buddhist"},
    [BLOC__G_HINDU] = {"Hindu"},
    [BLOC__G_JEWISH] = {"Jewish"},
    [BLOC__G_MUSLIM] = {"Muslim"},
    [BLOC__G_SIKH] = {"Sikh"},
    [BLOC__G_OTHER_RELIGION] = {"Pagan", "Other religion"},
    [BLOC__G_NO_RELIGION] = {"No religion"},
    [BLOC__G_RELIGION_NOT_STATED] = {"Religion not stated"},
    [BLOC__G_WHITE] = {"White: Total"},
    [BLOC__G_MIXED] = {"Mixed or multiple ethnic group"},
    [BLOC__G_ASIAN] = {"Asian, Asian Scottish or Asian British: Total"},
    [BLOC__G_BLACK] = {"African: Total", "Caribbean or Black: Total"},
    [BLOC__G_OTHER_ETHNIC] = {"Other ethnic groups: Total"},
};

static int is_scottish(const bloc_contest *c, size_t s)
{
	return c->code[s][0] == 'S' || strcmp(c->nation[s], "Scotland") == 0;
}

/* Append `name` to found->unmatched ("; "-joined, capped at UNMATCHED_CAP bytes). */
static int add_unmatched(bloc__census_found *f, size_t *cap, const char *name)
{
	size_t used = f->unmatched ? strlen(f->unmatched) : 0, add = strlen(name), need;
	const char *sep = used ? "; " : "";

	if (used + add + 8 > UNMATCHED_CAP) {
		if (used >= 3 && strcmp(f->unmatched + used - 3, "...") == 0)
			return BLOC_OK;
		name = "...";
		add = 3;
	}
	need = used + strlen(sep) + add + 1;
	if (bloc__grow((void **)&f->unmatched, cap, need, 1) < 0)
		return bloc_error_oom("listing the census rows that match no seat");
	snprintf(f->unmatched + used, *cap - used, "%s%s", sep, name);
	return BLOC_OK;
}

/* The NRS name and "All people" columns and the group's columns, all required. */
static int nrs_columns(const bloc_csv_reader *rd, int group, int *name_col, int *all_col, int *cols,
                       int *ncols)
{
	size_t k;

	if ((*name_col = bloc_csv_col(rd, "constituency_name")) < 0)
		return missing_column(rd, "the NRS census", "constituency_name");
	if ((*all_col = bloc_csv_col(rd, "All people")) < 0)
		return missing_column(rd, "the NRS census", "All people");
	*ncols = 0;
	for (k = 0; k < NRS_MAXCOLS && nrs_cols[group][k]; k++) {
		if ((cols[k] = bloc_csv_col(rd, nrs_cols[group][k])) < 0)
			return missing_column(rd,
			                      BLOC__G_IS_RELIGION(group)
			                          ? "the NRS religion (UV205)"
			                          : "the NRS ethnic group (UV201)",
			                      nrs_cols[group][k]);
		(*ncols)++;
	}
	return BLOC_OK;
}

/* One NRS row: its name (and normalised in norm), all people and the group's sum, which may
 * exceed all people by a little (NRS perturbs small cells), not more. */
static int nrs_read_row(const bloc_csv_reader *rd, int name_col, int all_col, const int *cols,
                        int ncols, char *norm, size_t cap, const char **name, int64_t *all,
                        int64_t *sum)
{
	int64_t v;
	size_t k;
	int err;

	if ((err = check_fields(rd)) < 0)
		return err;
	*name = bloc_csv_field(rd, (size_t)name_col);
	bloc__census_norm_name(norm, cap, *name);
	if (!*norm)
		return bloc_csv_field_error(rd, (size_t)name_col, BLOC_EPARSE,
		                            "expected a constituency name, found '%.60s'", *name);
	if ((err = read_count(rd, (size_t)all_col, all)) < 0)
		return err;
	*sum = 0;
	for (k = 0; k < (size_t)ncols; k++) {
		if ((err = read_count(rd, (size_t)cols[k], &v)) < 0)
			return err;
		*sum += v;
	}
	if (*sum > *all + 10 + *all / 20)
		return bloc_csv_field_error(rd, (size_t)all_col, BLOC_ENUMERIC,
		                            "expected the count of all people to be at least "
		                            "the group's %" PRId64 " (perturbation aside), "
		                            "found %" PRId64,
		                            *sum, *all);
	return BLOC_OK;
}

int bloc__census_read_nrs(const char *path, const bloc_contest *c, int group, double *share,
                          double *population, bloc__census_found *found)
{
	bloc_csv_reader *rd = NULL;
	size_t *sc = NULL, *line = NULL, nsc = 0, s, k, ucap = 0;
	char *names = NULL, norm[NAME_CAP];
	int cols[NRS_MAXCOLS], ncols = 0, name_col = -1, all_col = -1, rc, err;
	size_t n = c->nseats;

	memset(found, 0, sizeof(*found));
	if ((err = open_with_header(&rd, path)) < 0)
		goto done;
	if ((err = nrs_columns(rd, group, &name_col, &all_col, cols, &ncols)) < 0)
		goto done;
	/* the contest's Scottish seats and their normalised names */
	sc = bloc_calloc(n, sizeof(*sc));
	line = bloc_calloc(n, sizeof(*line));
	names = bloc_calloc(n, NAME_CAP);
	if (!sc || !line || !names) {
		err = bloc_error_set(BLOC_ENOMEM, "out of memory reading %s", path);
		goto done;
	}
	for (s = 0; s < n; s++) {
		if (!is_scottish(c, s))
			continue;
		bloc__census_norm_name(names + nsc * NAME_CAP, NAME_CAP, c->name[s]);
		sc[nsc++] = s;
	}
	while ((rc = bloc_csv_next(rd)) > 0) {
		int64_t all = 0, sum = 0;
		const char *name;
		int hit = 0;

		found->rows++;
		if ((err = nrs_read_row(rd, name_col, all_col, cols, ncols, norm, sizeof(norm),
		                        &name, &all, &sum)) < 0)
			goto done;
		for (k = 0; k < nsc; k++) {
			if (strcmp(names + k * NAME_CAP, norm) != 0)
				continue;
			s = sc[k];
			if (line[s]) {
				err = bloc_csv_field_error(rd, (size_t)name_col, BLOC_EPARSE,
				                           "expected each constituency once, found "
				                           "'%.60s' again (first on line %zu)",
				                           name, line[s]);
				goto done;
			}
			line[s] = bloc_csv_line(rd);
			share[s] = all > 0 ? fmin(1.0, (double)sum / (double)all) : NAN;
			if (population)
				population[s] = all > 0 ? (double)all : NAN;
			found->matched++;
			hit = 1;
		}
		if (!hit && add_unmatched(found, &ucap, name) < 0) {
			err = bloc_error_set(BLOC_ENOMEM, "out of memory reading %s", path);
			goto done;
		}
	}
	err = rc < 0 ? rc : BLOC_OK;
	if (err == BLOC_OK && !found->unmatched && !(found->unmatched = bloc_strdup("")))
		err = bloc_error_set(BLOC_ENOMEM, "out of memory reading %s", path);
done:
	if (err < 0)
		bloc__census_found_dispose(found);
	bloc_free(sc);
	bloc_free(line);
	bloc_free(names);
	bloc_csv_close(rd);
	return err;
}

/* ---- BES 2019: 2011 census percentages ---------------------------------------------------- */

static const char *const bes_cols[BLOC__NGROUPS] = {
    [BLOC__G_CHRISTIAN] = "c11Christian",
    [BLOC__G_BUDDHIST] = "c11Buddhist",
    [BLOC__G_HINDU] = "c11Hindu",
    [BLOC__G_JEWISH] = "c11Jewish",
    [BLOC__G_MUSLIM] = "c11Muslim",
    [BLOC__G_SIKH] = "c11Sikh",
    [BLOC__G_OTHER_RELIGION] = "c11ReligionOther",
    [BLOC__G_NO_RELIGION] = "c11NoReligion",
    [BLOC__G_RELIGION_NOT_STATED] = "c11ReligionNotStated",
    [BLOC__G_WHITE] = "c11EthnicityWhite",
    [BLOC__G_MIXED] = "c11EthnicityMixed",
    [BLOC__G_ASIAN] = "c11EthnicityAsian",
    [BLOC__G_BLACK] = "c11EthnicityBlack",
    [BLOC__G_OTHER_ETHNIC] = "c11EthnicityOther",
};

int bloc__census_read_bes(const char *path, const bloc_contest *c, int group, double *share,
                          double *population, bloc__census_found *found)
{
	bloc_csv_reader *rd = NULL;
	size_t *line = NULL;
	int code_col, val_col, pop_col, rc, err;
	char buf[128];

	memset(found, 0, sizeof(*found));
	if ((err = open_with_header(&rd, path)) < 0)
		goto done;
	if ((code_col = bloc_csv_col(rd, "ONSConstID")) < 0) {
		err = missing_column(rd, "the BES results file's", "ONSConstID");
		goto done;
	}
	if ((val_col = bloc_csv_col(rd, bes_cols[group])) < 0) {
		err = missing_column(rd, "the BES 2011 census", bes_cols[group]);
		goto done;
	}
	/* the 2011 usual residents; optional (population stays NaN without it) */
	pop_col = bloc_csv_col(rd, "c11Population");
	if (!(line = bloc_calloc(c->nseats, sizeof(*line)))) {
		err = bloc_error_set(BLOC_ENOMEM, "out of memory reading %s", path);
		goto done;
	}
	while ((rc = bloc_csv_next(rd)) > 0) {
		const char *code;
		double pct, pop;
		long seat;

		found->rows++;
		if ((err = check_fields(rd)) < 0 ||
		    (err = read_nonempty(rd, (size_t)code_col, buf, sizeof(buf),
		                         "a constituency code", &code)) < 0 ||
		    (err = read_fraction(rd, (size_t)val_col, 100, "a percentage", &pct)) < 0 ||
		    (err = read_population(rd, pop_col, &pop)) < 0)
			goto done;
		if ((seat = bloc_contest_seat(c, code)) < 0)
			continue;
		if (line[seat]) {
			err =
			    bloc_csv_field_error(rd, (size_t)code_col, BLOC_EPARSE,
			                         "expected each constituency once, found %s again "
			                         "(first on line %zu)",
			                         code, line[seat]);
			goto done;
		}
		line[seat] = bloc_csv_line(rd);
		share[seat] = pct / 100.0;
		if (population)
			population[seat] = pop > 0 ? pop : NAN;
		found->matched++;
		found->by_code++;
	}
	err = rc < 0 ? rc : BLOC_OK;
done:
	bloc_free(line);
	bloc_csv_close(rd);
	return err;
}

/* ---- plain shares: code,group,share ------------------------------------------------------- */

/* Append `name` to *list ("; "-joined) unless already there; capped at UNMATCHED_CAP bytes. */
static int add_distinct(char **list, size_t *cap, const char *name)
{
	size_t used = *list ? strlen(*list) : 0, add = strlen(name), len;
	const char *p = *list;

	while (p && *p) {
		const char *end = strstr(p, "; ");
		len = end ? (size_t)(end - p) : strlen(p);
		if (len == add && strncmp(p, name, len) == 0)
			return BLOC_OK;
		p = end ? end + 2 : NULL;
	}
	if (used + add + 8 > UNMATCHED_CAP) {
		if (used >= 3 && strcmp(*list + used - 3, "...") == 0)
			return BLOC_OK;
		name = "...";
		add = 3;
	}
	if (bloc__grow((void **)list, cap, used + add + 3, 1) < 0)
		return bloc_error_oom("listing the groups of a shares file");
	snprintf(*list + used, *cap - used, "%s%s", used ? "; " : "", name);
	return BLOC_OK;
}

/* The shares file's columns: code, group and share required, population optional (-1). */
static int plain_columns(const bloc_csv_reader *rd, int *code_col, int *group_col, int *share_col,
                         int *pop_col)
{
	if ((*code_col = bloc_csv_col(rd, "code")) < 0)
		return missing_column(rd, "the shares file's", "code");
	if ((*group_col = bloc_csv_col(rd, "group")) < 0)
		return missing_column(rd, "the shares file's", "group");
	if ((*share_col = bloc_csv_col(rd, "share")) < 0)
		return missing_column(rd, "the shares file's", "share");
	*pop_col = bloc_csv_col(rd, "population"); /* optional */
	return BLOC_OK;
}

int bloc__census_read_plain(const char *path, const bloc_contest *c,
                            int (*is_group)(const char *name, void *payload), double *share,
                            double *population, bloc__census_found *found, char **groups,
                            void *payload)
{
	bloc_csv_reader *rd = NULL;
	size_t *line = NULL, ucap = 0, gcap = 0;
	int code_col = -1, group_col = -1, share_col = -1, pop_col = -1, rc, err;
	char buf[128], gbuf[128];

	memset(found, 0, sizeof(*found));
	*groups = NULL;
	if ((err = open_with_header(&rd, path)) < 0)
		goto done;
	if ((err = plain_columns(rd, &code_col, &group_col, &share_col, &pop_col)) < 0)
		goto done;
	if (!(line = bloc_calloc(c->nseats ? c->nseats : 1, sizeof(*line)))) {
		err = bloc_error_set(BLOC_ENOMEM, "out of memory reading %s", path);
		goto done;
	}
	while ((rc = bloc_csv_next(rd)) > 0) {
		const char *code, *group;
		double v, pop;
		long seat;

		found->rows++;
		/* every row is checked, whichever group it is for: a bad file is a bad file */
		if ((err = check_fields(rd)) < 0 ||
		    (err = read_nonempty(rd, (size_t)code_col, buf, sizeof(buf),
		                         "a constituency code", &code)) < 0 ||
		    (err = read_nonempty(rd, (size_t)group_col, gbuf, sizeof(gbuf), "a group name",
		                         &group)) < 0 ||
		    (err = read_fraction(rd, (size_t)share_col, 1, "a share", &v)) < 0 ||
		    (err = read_population(rd, pop_col, &pop)) < 0)
			goto done;
		if (!is_group(group, payload)) {
			if (add_distinct(groups, &gcap, group) < 0) {
				err = bloc_error_set(BLOC_ENOMEM, "out of memory reading %s", path);
				goto done;
			}
			continue;
		}
		found->group_rows++;
		if ((seat = bloc_contest_seat(c, code)) < 0) {
			if (add_unmatched(found, &ucap, code) < 0) {
				err = bloc_error_set(BLOC_ENOMEM, "out of memory reading %s", path);
				goto done;
			}
			continue;
		}
		if (line[seat]) {
			err =
			    bloc_csv_field_error(rd, (size_t)code_col, BLOC_EPARSE,
			                         "expected each constituency once per group, found "
			                         "%s again for '%s' (first on line %zu)",
			                         code, group, line[seat]);
			goto done;
		}
		line[seat] = bloc_csv_line(rd);
		share[seat] = v;
		if (population)
			population[seat] = pop > 0 ? pop : NAN;
		found->matched++;
		found->by_code++;
	}
	err = rc < 0 ? rc : BLOC_OK;
	if (err == BLOC_OK && !found->unmatched && !(found->unmatched = bloc_strdup("")))
		err = bloc_error_set(BLOC_ENOMEM, "out of memory reading %s", path);
	if (err == BLOC_OK && !*groups && !(*groups = bloc_strdup("")))
		err = bloc_error_set(BLOC_ENOMEM, "out of memory reading %s", path);
done:
	if (err < 0) {
		bloc__census_found_dispose(found);
		bloc_free(*groups);
		*groups = NULL;
	}
	bloc_free(line);
	bloc_csv_close(rd);
	return err;
}
