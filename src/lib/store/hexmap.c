/* Hex layouts of a data directory: every catalogued layout (kind hexmap or format hexjson) is
 * read, with the directory's Scottish code corrections for those on the 2023 boundaries, and
 * the one covering the most of a contest's seats is aligned to it. */
#include "bloc/store.h"

#include "bloc/error.h"
#include "bloc/io.h"
#include "../core/alloc.h"
#include "../io/catalog.h"
#include "../util/path.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/* The data directory's provisional -> final Scottish codes for the 2023 boundaries: the same
 * file and rule bloc_contest_open applies to results on those boundaries (open.c). */
#define CORRECTIONS            "hexmaps/pcon24-scotland-code-corrections.csv"
#define CORRECTIONS_BOUNDARIES "2023"

static int readable(const char *dir, const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
	       bloc__path_inside(dir, path, CORRECTIONS);
}

static size_t count_matches(const bloc_hexmap *m, const bloc_contest *c)
{
	size_t i, k = 0;

	for (i = 0; i < m->n; i++)
		if (bloc_contest_seat(c, m->code[i]) >= 0)
			k++;
	return k;
}

/* Load catalogue entry e as a layout, named by its id and its catalogue path. */
static int load_entry(bloc_hexmap **out, const bloc_dataset *ds, const bloc_catalog_entry *e)
{
	const char *dir = bloc_dataset_dir(ds);
	char *path = NULL, *corr = NULL, *id = NULL, *src = NULL;
	int err;

	*out = NULL;
	if ((err = bloc__catalog_entry_path(&path, ds, e)) < 0)
		goto done;
	if (!(id = bloc_strdup(e->id)) || !(src = bloc_strdup(e->path))) {
		err = bloc_error_oom("loading hex map %s", e->id);
		goto done;
	}
	if (strcmp(e->boundaries, CORRECTIONS_BOUNDARIES) == 0) {
		if (!(corr = bloc__path_join(dir, CORRECTIONS))) {
			err = BLOC_ENOMEM;
			goto done;
		}
		if (!readable(dir, corr)) {
			bloc_free(corr);
			corr = NULL;
		}
	}
	if ((err = bloc_hexjson_load(out, path, corr)) < 0) {
		bloc_error_prefix("loading hex map %s", e->id);
		goto done;
	}
	bloc_free((*out)->id);
	bloc_free((*out)->source);
	(*out)->id = id;
	(*out)->source = src;
	id = src = NULL;
done:
	bloc_free(path);
	bloc_free(corr);
	bloc_free(id);
	bloc_free(src);
	return err;
}

static int is_hexmap(const bloc_catalog_entry *e)
{
	return (strcmp(e->kind, "hexmap") == 0 || strcmp(e->format, "hexjson") == 0) && *e->path;
}

int bloc_hexmap_open(bloc_hexmap **out, const bloc_dataset *ds, const bloc_contest *c)
{
	bloc_hexmap *best = NULL, *m = NULL;
	size_t i, best_k = 0, tried = 0, used = 0;
	char summary[512];
	int err;

	*out = NULL;
	summary[0] = '\0';
	if (!ds || !c)
		return bloc_error_set(BLOC_EINVAL, "bloc_hexmap_open: no dataset or contest");
	for (i = 0; i < bloc_dataset_count(ds); i++) {
		const bloc_catalog_entry *e = bloc_dataset_entry(ds, i);
		size_t k;
		if (!is_hexmap(e))
			continue;
		if ((err = load_entry(&m, ds, e)) < 0)
			goto fail;
		k = count_matches(m, c);
		tried++;
		if (used < sizeof(summary)) {
			int w = snprintf(summary + used, sizeof(summary) - used,
			                 "%s%s has %zu of the %zu codes", used ? ", " : "", e->id,
			                 k, c->nseats);
			used = w < 0 ? sizeof(summary) : used + (size_t)w;
		}
		if (k > best_k) {
			bloc_hexmap_free(best);
			best = m;
			best_k = k;
		} else {
			bloc_hexmap_free(m);
		}
		m = NULL;
	}
	if (!tried) {
		err =
		    bloc_error_set(BLOC_ENOTFOUND,
		                   "%s/CATALOG.csv: no hex map is catalogued (kind hexmap, format "
		                   "hexjson)",
		                   bloc_dataset_dir(ds));
		goto fail;
	}
	if (!best) {
		err =
		    bloc_error_set(BLOC_ENOTFOUND,
		                   "no hex map of %s/CATALOG.csv has a hex for any seat of %s (%s)",
		                   bloc_dataset_dir(ds), c->id, summary);
		goto fail;
	}
	if ((err = bloc_hexmap_align(best, c)) < 0)
		goto fail;
	*out = best;
	return BLOC_OK;
fail:
	bloc_hexmap_free(best);
	bloc_hexmap_free(m);
	return err;
}
