/* A hex layout as JSON text for the web front-end: HexJSON with extra keys (see hexmap.h). */
#include "bloc/io.h"

#include "bloc/error.h"
#include "../data/hexmap_int.h"

#include <jansson.h>

/* json_object_set_new that reports failure (NULL value: invalid UTF-8 or out of memory). */
static int set(json_t *obj, const char *key, json_t *v)
{
	if (!v)
		return -1;
	return json_object_set_new(obj, key, v);
}

/* One entry per hex under hexes: name (the contest's when matched), position, region, seat. */
static int add_hexes(json_t *hexes, const bloc_hexmap *m, const bloc_contest *c)
{
	size_t i;

	for (i = 0; i < m->n; i++) {
		json_t *h = json_object();
		long s = c ? m->seat[i] : -1;
		if (!h || set(hexes, m->code[i], h) < 0)
			return -1;
		if (set(h, "n", json_string(c && s >= 0 ? c->name[s] : m->name[i])) < 0 ||
		    set(h, "q", json_integer(m->q[i])) < 0 ||
		    set(h, "r", json_integer(m->r[i])) < 0 ||
		    set(h, "region", json_string(m->region[i])) < 0 ||
		    (c && set(h, "seat", s >= 0 ? json_integer(s) : json_null()) < 0))
			return -1;
	}
	return 0;
}

/* One entry per boundary under bounds: its type and its edges {q, r, e}. */
static int add_boundaries(json_t *bounds, const bloc_hexmap *m)
{
	size_t b;

	for (b = 0; b < m->nboundaries; b++) {
		json_t *o = json_object(), *edges;
		size_t e;
		/* set() consumes its value even when it fails */
		if (set(bounds, m->boundary_name[b], o) < 0 ||
		    set(o, "type", json_string(m->boundary_type[b])) < 0 ||
		    !(edges = json_array()) || set(o, "edges", edges) < 0)
			return -1;
		for (e = m->boundary_off[b]; e < m->boundary_off[b + 1]; e++) {
			json_t *x = json_pack("{s:i,s:i,s:i}", "q", m->edge_q[e], "r", m->edge_r[e],
			                      "e", (int)m->edge_e[e]);
			if (!x || json_array_append_new(edges, x) < 0)
				return -1;
		}
	}
	return 0;
}

/* How the layout matched contest c: its seat count, the seats matched, the codes missing. */
static int add_matching(json_t *root, const bloc_hexmap *m, const bloc_contest *c)
{
	json_t *missing = json_array();
	size_t i;

	if (!missing)
		return -1;
	for (i = 0; i < m->nmissing; i++)
		if (json_array_append_new(missing, json_string(c->code[m->missing[i]])) < 0) {
			json_decref(missing);
			return -1;
		}
	if (set(root, "seats", json_integer((json_int_t)c->nseats)) < 0 ||
	    set(root, "matched", json_integer((json_int_t)m->matched)) < 0) {
		json_decref(missing);
		return -1;
	}
	return set(root, "missing", missing); /* consumes missing even when it fails */
}

char *bloc_hexmap_to_json(const bloc_hexmap *m, const bloc_contest *c)
{
	json_t *root = json_object(), *hexes = json_object(), *bounds = json_object();
	char *text = NULL;

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
	if (add_hexes(hexes, m, c) < 0)
		goto oom;
	if (set(root, "hexes", hexes) < 0) {
		hexes = NULL;
		goto oom;
	}
	hexes = NULL;
	if (add_boundaries(bounds, m) < 0)
		goto oom;
	if (set(root, "boundaries", bounds) < 0) {
		bounds = NULL;
		goto oom;
	}
	bounds = NULL;
	if (c && add_matching(root, m, c) < 0)
		goto oom;
	if (!(text = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER)))
		goto oom;
	goto done;
oom:
	bloc_error_set(BLOC_ENOMEM, "hexmap %s as JSON: out of memory or a name that is not UTF-8",
	               m->id);
done:
	json_decref(hexes);
	json_decref(bounds);
	json_decref(root);
	return text;
}
