/* One census group's share of each seat of a contest, read from the census tables of the data
 * directory that best cover the contest's seats (io/load_census.c reads the files). Nothing is
 * cached here: the store caches per contest and group (store.c). */
#include "bloc/io.h"
#include "bloc/store.h"

#include "bloc/error.h"
#include "../core/alloc.h"
#include "../io/catalog.h"
#include "../io/census.h"
#include "../util/path.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* ---- the census sources ------------------------------------------------------------------- */

enum reader { READ_ONS, READ_NRS, READ_BES };

struct part {
	const char *religion_id, *ethnic_id; /* catalogue ids */
	enum reader reader;
	const char *census; /* what it is when used alone */
};

/* One census: parts that together cover its boundaries, each for a different area. */
struct source {
	const char *census; /* what it is when all parts are used */
	size_t nparts;
	struct part parts[2];
};

static const struct source sources[] = {
    {"2021 (E&W) + 2022 (Scotland) census",
     2,
     {{"census21-religion", "census21-ethnicity", READ_ONS, "2021 (E&W) census"},
      {"census22-scotland-religion", "census22-scotland-ethnicity", READ_NRS,
       "2022 (Scotland) census"}}},
    {"2011 census via BES 2019", 1, {{"bes2019", "bes2019", READ_BES, "2011 census via BES 2019"}}},
};
#define NSOURCES (sizeof(sources) / sizeof(sources[0]))

/* One source read for the contest. */
struct attempt {
	const struct source *src;
	const bloc_catalog_entry *entry[2]; /* NULL: not catalogued */
	double *share, *population;
	size_t matched, by_code;
	size_t part_matched[2];
	int on_boundaries; /* the catalogue puts it on the contest's boundaries */
	char *unmatched;
};

static void attempt_dispose(struct attempt *a)
{
	bloc_free(a->share);
	bloc_free(a->population);
	bloc_free(a->unmatched);
	memset(a, 0, sizeof(*a));
}

/* The boundaries the catalogue gives for contest c ("" if c was not opened from it). */
static const char *contest_boundaries(const bloc_dataset *ds, const bloc_contest *c)
{
	const bloc_catalog_entry *e;
	const char *colon;
	size_t i, n;

	if (!c->id)
		return "";
	if ((e = bloc_dataset_find(ds, c->id)) != NULL)
		return e->boundaries;
	/* "ID:column=value" names an entry with a row filter */
	if ((colon = strchr(c->id, ':')) != NULL) {
		n = (size_t)(colon - c->id);
		for (i = 0; (e = bloc_dataset_entry(ds, i)) != NULL; i++)
			if (strlen(e->id) == n && strncmp(e->id, c->id, n) == 0)
				return e->boundaries;
	}
	return "";
}

/* Read every catalogued part of a->src for group g into a->share. */
static int read_source(struct attempt *a, const bloc_dataset *ds, const bloc_contest *c, int g)
{
	size_t k, s;
	int err = BLOC_OK;

	a->share = bloc_malloc(c->nseats ? c->nseats * sizeof(*a->share) : 1);
	a->population = bloc_malloc(c->nseats ? c->nseats * sizeof(*a->population) : 1);
	if (!a->share || !a->population)
		return bloc_error_oom("reading census shares for %zu seats", c->nseats);
	for (s = 0; s < c->nseats; s++)
		a->share[s] = a->population[s] = NAN;
	for (k = 0; k < a->src->nparts; k++) {
		const struct part *p = &a->src->parts[k];
		bloc__census_found f;
		char *path;

		if (!a->entry[k])
			continue;
		if (!*a->entry[k]->path)
			return bloc_error_set(BLOC_EINVAL, "%s/CATALOG.csv: '%s' has no path",
			                      bloc_dataset_dir(ds), a->entry[k]->id);
		if ((err = bloc__catalog_entry_path(&path, ds, a->entry[k])) < 0)
			return err;
		switch (p->reader) {
		case READ_ONS:
			err = bloc__census_read_ons(path, c, g, a->share, a->population, &f);
			break;
		case READ_NRS:
			err = bloc__census_read_nrs(path, c, g, a->share, a->population, &f);
			break;
		case READ_BES:
			err = bloc__census_read_bes(path, c, g, a->share, a->population, &f);
			break;
		}
		bloc_free(path);
		if (err < 0)
			return err;
		a->part_matched[k] = f.matched;
		a->matched += f.matched;
		a->by_code += f.by_code;
		/* names are only worth reporting from a part that matched something */
		if (f.matched && f.unmatched && *f.unmatched && !a->unmatched) {
			a->unmatched = f.unmatched;
			f.unmatched = NULL;
		}
		bloc__census_found_dispose(&f);
	}
	return BLOC_OK;
}

/* Is a a better census for the contest than b? */
static int better(const struct attempt *a, const struct attempt *b)
{
	if (a->matched != b->matched)
		return a->matched > b->matched;
	if (a->on_boundaries != b->on_boundaries)
		return a->on_boundaries > b->on_boundaries;
	return a->by_code > b->by_code;
}

static int no_census(const bloc_dataset *ds, const bloc_contest *c, const struct attempt *tried,
                     size_t ntried)
{
	char list[512];
	size_t i, k, used = 0;

	list[0] = '\0';
	for (i = 0; i < ntried; i++) {
		for (k = 0; k < tried[i].src->nparts; k++) {
			const bloc_catalog_entry *e = tried[i].entry[k];
			int w;
			if (!e)
				continue;
			w = snprintf(list + used, sizeof(list) - used, "%s%s (%s boundaries)",
			             used ? ", " : "", e->id,
			             *e->boundaries ? e->boundaries : "unknown");
			if (w < 0 || (size_t)w >= sizeof(list) - used)
				break;
			used += (size_t)w;
		}
	}
	if (!used)
		return bloc_error_set(
		    BLOC_ENOTFOUND,
		    "%s/CATALOG.csv: expected census tables (ids census21-religion, "
		    "census21-ethnicity, census22-scotland-religion, "
		    "census22-scotland-ethnicity, bes2019), found none",
		    bloc_dataset_dir(ds));
	return bloc_error_set(BLOC_ENOTFOUND,
	                      "contest %.80s: no census table covers any of its %zu seats (the "
	                      "first is %.40s); the tables are %s, and Northern Ireland has none",
	                      c->id ? c->id : "(unnamed)", c->nseats, c->nseats ? c->code[0] : "-",
	                      list);
}

/* Fill out from the chosen attempt (taking its share array). */
static int fill(bloc_group_shares *out, struct attempt *a, size_t nseats, const char *census)
{
	size_t k, s, len = 1, nused = 0;
	const char *one = NULL;

	for (k = 0; k < a->src->nparts; k++) {
		if (!a->entry[k] || !a->part_matched[k])
			continue;
		len += strlen(a->entry[k]->path) + 3;
		one = a->src->parts[k].census;
		nused++;
	}
	if (!(out->source = bloc_malloc(len)))
		return bloc_error_oom("naming the census files of group %s", out->group);
	out->source[0] = '\0';
	for (k = 0; k < a->src->nparts; k++) {
		if (!a->entry[k] || !a->part_matched[k])
			continue;
		if (*out->source)
			strcat(out->source, " + ");
		strcat(out->source, a->entry[k]->path);
	}
	if (!(out->census = bloc_strdup(nused == 1 ? one : census)) ||
	    !(out->unmatched = bloc_strdup(a->unmatched ? a->unmatched : "")))
		return bloc_error_oom("naming the census of group %s", out->group);
	out->n = nseats;
	out->share = a->share;
	out->population = a->population;
	a->share = a->population = NULL;
	for (s = 0; s < nseats; s++)
		out->covered += !isnan(out->share[s]);
	return BLOC_OK;
}

int bloc_group_shares_open(bloc_group_shares *out, const bloc_dataset *ds, const bloc_contest *c,
                           const char *name)
{
	struct attempt tried[NSOURCES], *best = NULL;
	size_t order[NSOURCES], i, k, nord = 0, ntried = 0, gb = 0, s;
	const char *bounds;
	long g;
	int err = BLOC_OK;

	if (!out)
		return bloc_error_set(BLOC_EINVAL, "bloc_group_shares_open: no result given");
	memset(out, 0, sizeof(*out));
	memset(tried, 0, sizeof(tried));
	if (!ds || !c || !name)
		return bloc_error_set(
		    BLOC_EINVAL, "bloc_group_shares_open: no data directory, contest or group");
	if ((g = bloc_group_find(name)) < 0)
		return bloc__group_unknown(name);
	bounds = contest_boundaries(ds, c);
	/* the sources on the contest's boundaries first */
	for (k = 0; k < 2; k++) {
		for (i = 0; i < NSOURCES; i++) {
			const struct part *p0 = &sources[i].parts[0];
			const bloc_catalog_entry *e = bloc_dataset_find(
			    ds, BLOC__G_IS_RELIGION(g) ? p0->religion_id : p0->ethnic_id);
			int on = *bounds && e && strcmp(e->boundaries, bounds) == 0;
			if (on == (k == 0))
				order[nord++] = i;
		}
	}
	/* no census here covers Northern Ireland, so a census that has every other seat is best */
	for (s = 0; s < c->nseats; s++)
		gb += c->code[s][0] != 'N';
	for (i = 0; i < nord; i++) {
		struct attempt *a = &tried[ntried];
		const struct source *src = &sources[order[i]];
		int any = 0;

		a->src = src;
		for (k = 0; k < src->nparts; k++) {
			const struct part *p = &src->parts[k];
			a->entry[k] = bloc_dataset_find(ds, BLOC__G_IS_RELIGION(g) ? p->religion_id
			                                                           : p->ethnic_id);
			any |= a->entry[k] != NULL;
		}
		if (!any)
			continue;
		ntried++;
		a->on_boundaries =
		    *bounds && a->entry[0] && strcmp(a->entry[0]->boundaries, bounds) == 0;
		if ((err = read_source(a, ds, c, (int)g)) < 0)
			goto done;
		if (!best || better(a, best))
			best = a;
		if (best->matched == gb && (best->on_boundaries || best->by_code == gb))
			break;
	}
	if (!best || best->matched == 0) {
		err = no_census(ds, c, tried, ntried);
		goto done;
	}
	out->group = bloc_group_name((size_t)g);
	if ((err = fill(out, best, c->nseats, best->src->census)) < 0)
		goto done;
done:
	for (i = 0; i < ntried; i++)
		attempt_dispose(&tried[i]);
	if (err < 0)
		bloc_group_shares_dispose(out);
	return err;
}

int bloc_seat_people_open(double *age, double *female, double *households, const bloc_dataset *ds,
                          const bloc_contest *c)
{
	/* the census summaries on each set of boundaries */
	static const struct {
		const char *boundaries, *id;
	} files[] = {{"2010", "bes2019"}, {"2023", "census-summaries-2024"}};
	const char *b = contest_boundaries(ds, c);
	const bloc_catalog_entry *e;
	size_t i;
	char *path;
	int err;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		if (strcmp(b, files[i].boundaries) != 0 ||
		    !(e = bloc_dataset_find(ds, files[i].id)))
			continue;
		if ((err = bloc__catalog_entry_path(&path, ds, e)) < 0)
			return err;
		err = bloc_seat_people_load(path, c, age, female, households);
		bloc_free(path);
		return err;
	}
	return bloc_error_set(BLOC_ENOTFOUND, "%s: no census of ages on its boundaries ('%s')",
	                      c->id, b);
}
