/* Hex layouts: choosing the catalogued layout that covers a contest, aligning its hexes to the
 * contest's seats by code, and the layout as JSON for the web front-end. */
#include "bloc/hexmap.h"

#include "bloc/error.h"
#include "../core/alloc.h"
#include "hexmap_int.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The data directory's provisional -> final Scottish codes for the 2023 boundaries: the same
 * file and rule bloc_contest_open applies to results on those boundaries (dataset.c). */
#define CORRECTIONS            "hexmaps/pcon24-scotland-code-corrections.csv"
#define CORRECTIONS_BOUNDARIES "2023"

static void free_strings(char **s, size_t n)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < n; i++)
		bloc_free(s[i]);
	bloc_free(s);
}

void bloc_hexmap_free(bloc_hexmap *m)
{
	if (!m)
		return;
	bloc_free(m->id);
	bloc_free(m->source);
	free_strings(m->code, m->n);
	free_strings(m->file_code, m->n);
	free_strings(m->name, m->n);
	free_strings(m->region, m->n);
	bloc_free(m->q);
	bloc_free(m->r);
	free_strings(m->boundary_name, m->nboundaries);
	free_strings(m->boundary_type, m->nboundaries);
	bloc_free(m->boundary_off);
	bloc_free(m->edge_q);
	bloc_free(m->edge_r);
	bloc_free(m->edge_e);
	bloc_free(m->seat);
	bloc_free(m->hex_of_seat);
	bloc_free(m->missing);
	bloc_free(m);
}

int bloc_hexmap_align(bloc_hexmap *m, const bloc_contest *c)
{
	long *hex_of_seat;
	size_t *missing, i, nmissing = 0;

	hex_of_seat = bloc_malloc((c->nseats ? c->nseats : 1) * sizeof(long));
	missing = bloc_malloc((c->nseats ? c->nseats : 1) * sizeof(size_t));
	if (!hex_of_seat || !missing) {
		bloc_free(hex_of_seat);
		bloc_free(missing);
		return bloc_error_set(BLOC_ENOMEM, "out of memory");
	}
	for (i = 0; i < c->nseats; i++)
		hex_of_seat[i] = -1;
	m->matched = 0;
	for (i = 0; i < m->n; i++) {
		long s = bloc_contest_seat(c, m->code[i]);
		m->seat[i] = s;
		if (s >= 0) {
			hex_of_seat[s] = (long)i;
			m->matched++;
		}
	}
	for (i = 0; i < c->nseats; i++)
		if (hex_of_seat[i] < 0)
			missing[nmissing++] = i;
	bloc_free(m->hex_of_seat);
	bloc_free(m->missing);
	m->hex_of_seat = hex_of_seat;
	m->missing = missing;
	m->nmissing = nmissing;
	m->nseats = c->nseats;
	return BLOC_OK;
}

/* See hexmap_int.h. */
int bloc__hexmap_aligned(const bloc_hexmap *m, const bloc_contest *c)
{
	size_t i;

	if (m->nseats != c->nseats || !m->hex_of_seat)
		return 0;
	for (i = 0; i < m->n; i++)
		if (m->seat[i] >= 0 && ((size_t)m->seat[i] >= c->nseats ||
		                        strcmp(c->code[m->seat[i]], m->code[i]) != 0))
			return 0;
	return 1;
}

static char *join_path(const char *dir, const char *rel)
{
	size_t a = strlen(dir), b = strlen(rel);
	char *p = bloc_malloc(a + b + 2);

	if (p)
		snprintf(p, a + b + 2, "%s/%s", dir, rel);
	return p;
}

static int readable(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
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
	if (!(path = join_path(dir, e->path)) || !(id = bloc_strdup(e->id)) ||
	    !(src = bloc_strdup(e->path))) {
		err = bloc_error_set(BLOC_ENOMEM, "out of memory");
		goto done;
	}
	if (strcmp(e->boundaries, CORRECTIONS_BOUNDARIES) == 0) {
		if (!(corr = join_path(dir, CORRECTIONS))) {
			err = bloc_error_set(BLOC_ENOMEM, "out of memory");
			goto done;
		}
		if (!readable(corr)) {
			bloc_free(corr);
			corr = NULL;
		}
	}
	if ((err = bloc_hexjson_load(out, path, corr)) < 0)
		goto done;
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

/* ---- JSON -------------------------------------------------------------------------------- */

/* json_object_set_new that reports failure (NULL value: invalid UTF-8 or out of memory). */
static int set(json_t *obj, const char *key, json_t *v)
{
	if (!v)
		return -1;
	return json_object_set_new(obj, key, v);
}

char *bloc_hexmap_to_json(const bloc_hexmap *m, const bloc_contest *c)
{
	json_t *root = json_object(), *hexes = json_object(), *bounds = json_object();
	json_t *missing = NULL;
	char *text = NULL;
	size_t i, b;

	if (c && !bloc__hexmap_aligned(m, c)) {
		bloc_error_set(BLOC_EINVAL, "hexmap %s is not aligned to contest %s", m->id, c->id);
		goto done;
	}
	if (!root || !hexes || !bounds)
		goto oom;
	if (set(root, "id", json_string(m->id)) < 0 ||
	    set(root, "source", json_string(m->source)) < 0 ||
	    set(root, "layout", json_string(bloc_hex_layout_name(m->layout))) < 0 ||
	    set(root, "corrected", json_integer((json_int_t)m->ncorrected)) < 0)
		goto oom;
	for (i = 0; i < m->n; i++) {
		json_t *h = json_object();
		long s = c ? m->seat[i] : -1;
		if (!h || set(hexes, m->code[i], h) < 0)
			goto oom;
		if (set(h, "n", json_string(c && s >= 0 ? c->name[s] : m->name[i])) < 0 ||
		    set(h, "q", json_integer(m->q[i])) < 0 ||
		    set(h, "r", json_integer(m->r[i])) < 0 ||
		    set(h, "region", json_string(m->region[i])) < 0 ||
		    (c && set(h, "seat", s >= 0 ? json_integer(s) : json_null()) < 0))
			goto oom;
	}
	if (set(root, "hexes", hexes) < 0) {
		hexes = NULL;
		goto oom;
	}
	hexes = NULL;
	for (b = 0; b < m->nboundaries; b++) {
		json_t *o = json_object(), *edges;
		size_t e;
		/* set() consumes its value even when it fails */
		if (set(bounds, m->boundary_name[b], o) < 0 ||
		    set(o, "type", json_string(m->boundary_type[b])) < 0 ||
		    !(edges = json_array()) || set(o, "edges", edges) < 0)
			goto oom;
		for (e = m->boundary_off[b]; e < m->boundary_off[b + 1]; e++) {
			json_t *x = json_pack("{s:i,s:i,s:i}", "q", m->edge_q[e], "r", m->edge_r[e],
			                      "e", (int)m->edge_e[e]);
			if (!x || json_array_append_new(edges, x) < 0)
				goto oom;
		}
	}
	if (set(root, "boundaries", bounds) < 0) {
		bounds = NULL;
		goto oom;
	}
	bounds = NULL;
	if (c) {
		if (!(missing = json_array()))
			goto oom;
		for (i = 0; i < m->nmissing; i++)
			if (json_array_append_new(missing, json_string(c->code[m->missing[i]])) < 0)
				goto oom;
		if (set(root, "seats", json_integer((json_int_t)c->nseats)) < 0 ||
		    set(root, "matched", json_integer((json_int_t)m->matched)) < 0 ||
		    set(root, "missing", missing) < 0) {
			missing = NULL;
			goto oom;
		}
		missing = NULL;
	}
	if (!(text = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER)))
		goto oom;
	goto done;
oom:
	bloc_error_set(BLOC_ENOMEM, "hexmap %s as JSON: out of memory or a name that is not UTF-8",
	               m->id);
done:
	json_decref(missing);
	json_decref(hexes);
	json_decref(bounds);
	json_decref(root);
	return text;
}
