/* A plain shares file: one group's share of each seat, by ONS code (bloc_group_shares_load_csv).
 * The rows are read by io/load_census.c's plain reader. */
#include "bloc/io.h"

#include "bloc/error.h"
#include "../core/alloc.h"
#include "census.h"

#include <math.h>
#include <string.h>

#define KEY_CAP 128

struct wanted {
	long g;            /* census group, or -1 */
	char key[KEY_CAP]; /* normalised name otherwise */
};

static int is_wanted(const char *name, void *payload)
{
	const struct wanted *w = payload;
	char key[KEY_CAP];

	if (w->g >= 0)
		return bloc_group_find(name) == w->g;
	return bloc__group_key(key, sizeof(key), name) == 0 && strcmp(key, w->key) == 0;
}

int bloc_group_shares_load_csv(bloc_group_shares *out, const char *path, const bloc_contest *c,
                               const char *group)
{
	bloc__census_found f;
	struct wanted w;
	char *seen = NULL;
	size_t s, n;
	int err;

	if (!out)
		return bloc_error_set(BLOC_EINVAL, "bloc_group_shares_load_csv: no result given");
	memset(out, 0, sizeof(*out));
	memset(&f, 0, sizeof(f));
	if (!path || !c || !group)
		return bloc_error_set(BLOC_EINVAL,
		                      "bloc_group_shares_load_csv: no file, contest or group");
	w.g = bloc_group_find(group);
	if (w.g < 0 && (bloc__group_key(w.key, sizeof(w.key), group) < 0 || !*w.key))
		return bloc_error_set(
		    BLOC_EINVAL, "%s: expected a group name of 1 to %d characters, found '%.60s'",
		    path, KEY_CAP - 2, group);
	n = c->nseats;
	out->share = bloc_malloc(n ? n * sizeof(double) : 1);
	out->population = bloc_malloc(n ? n * sizeof(double) : 1);
	if (!out->share || !out->population) {
		err = bloc_error_oom("reading %s", path);
		goto done;
	}
	for (s = 0; s < n; s++)
		out->share[s] = out->population[s] = NAN;
	if ((err = bloc__census_read_plain(path, c, is_wanted, out->share, out->population, &f,
	                                   &seen, &w)) < 0)
		goto done;
	if (f.group_rows == 0) {
		err = bloc_error_set(BLOC_ENOTFOUND,
		                     "%s: no row for group '%.60s'; the file's groups are %.300s",
		                     path, group, *seen ? seen : "(none: the file has no rows)");
		goto done;
	}
	if (w.g >= 0) {
		out->group = bloc_group_name((size_t)w.g);
	} else {
		if (!(out->owned_ = bloc_strdup(w.key))) {
			err = bloc_error_oom("reading %s", path);
			goto done;
		}
		out->group = out->owned_;
	}
	if (!(out->source = bloc_strdup(path)) || !(out->census = bloc_strdup("shares file"))) {
		err = bloc_error_oom("reading %s", path);
		goto done;
	}
	out->unmatched = f.unmatched;
	f.unmatched = NULL;
	out->n = n;
	for (s = 0; s < n; s++)
		out->covered += !isnan(out->share[s]);
	err = BLOC_OK;
done:
	bloc__census_found_dispose(&f);
	bloc_free(seen);
	if (err < 0)
		bloc_group_shares_dispose(out);
	return err;
}
