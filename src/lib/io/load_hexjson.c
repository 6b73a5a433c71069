/* HexJSON (Open Innovations): {"layout":"odd-r","hexes":{CODE:{"q":..,"r":..,"n":..},...},
 * "boundaries":{NAME:{"type":..,"edges":[{"q":..,"r":..,"e":1-6},...]}}}, read with jansson.
 * Messages say where: "file:line:column" for JSON syntax, "file: hexes.CODE.q" for structure. */
#include "bloc/io.h"

#include "bloc/csv.h"
#include "bloc/error.h"
#include "../core/alloc.h"
#include "../util/path.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The largest file read (the UK layouts are about 70 KB). */
#define HEXJSON_MAX_BYTES ((size_t)64 << 20)
/* Coordinates beyond this are surely a mistake (and keep pixel arithmetic far from overflow). */
#define COORD_MAX 100000
#define CODE_MAX  64
#define MAX_EDGES 1000000

static const char *const layout_names[] = {"odd-r", "even-r", "odd-q", "even-q"};

const char *bloc_hex_layout_name(int layout)
{
	if (layout >= 0 && (size_t)layout < sizeof(layout_names) / sizeof(layout_names[0]))
		return layout_names[layout];
	return "";
}

static const char *json_kind(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "an array";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
		return "an integer";
	case JSON_REAL:
		return "a real number";
	case JSON_TRUE:
	case JSON_FALSE:
		return "a boolean";
	case JSON_NULL:
		return "null";
	}
	return "something else";
}

/* An integer coordinate: a JSON integer, or a string holding one (some HexJSON files quote
 * them). */
static int coord(const json_t *v, int *out)
{
	long long x;
	char *end;

	if (json_is_integer(v)) {
		x = json_integer_value(v);
	} else if (json_is_string(v)) {
		const char *s = json_string_value(v);
		errno = 0;
		x = strtoll(s, &end, 10);
		if (end == s || *end || errno)
			return -1;
	} else {
		return -1;
	}
	if (x < -COORD_MAX || x > COORD_MAX)
		return -2;
	*out = (int)x;
	return 0;
}

/* A string member `key` of `obj`: its text, "" if absent, NULL (error set) if not a string. */
static const char *opt_string(const json_t *obj, const char *key, const char *name,
                              const char *where, int *err)
{
	const json_t *v = json_object_get(obj, key);

	if (!v || json_is_null(v))
		return "";
	if (!json_is_string(v)) {
		*err = bloc_error_set(BLOC_EPARSE, "%s: %s.%s: expected a string, found %s", name,
		                      where, key, json_kind(v));
		return NULL;
	}
	return json_string_value(v);
}

/* ---- corrections ------------------------------------------------------------------------ */

struct corr {
	char **from, **to;
	size_t n, cap;
};

static void corr_free(struct corr *k)
{
	size_t i;

	for (i = 0; i < k->n; i++) {
		bloc_free(k->from[i]);
		bloc_free(k->to[i]);
	}
	bloc_free(k->from);
	bloc_free(k->to);
}

static int corr_read(struct corr *k, const char *path)
{
	bloc_csv_reader *rd = NULL;
	int from, to, rc, err;

	if ((err = bloc_csv_open(&rd, path, NULL)) < 0 || (err = bloc_csv_read_header(rd)) < 0)
		goto done;
	from = bloc_csv_col(rd, "provisional_code");
	to = bloc_csv_col(rd, "final_code");
	if (from < 0 || to < 0) {
		err = bloc_error_set(BLOC_EPARSE,
		                     "%s:1:1: expected columns 'provisional_code' and 'final_code' "
		                     "(seat code corrections), found no '%s'",
		                     path, from < 0 ? "provisional_code" : "final_code");
		goto done;
	}
	while ((rc = bloc_csv_next(rd)) > 0) {
		const char *a = bloc_csv_field(rd, (size_t)from),
		           *b = bloc_csv_field(rd, (size_t)to);
		size_t cap;
		if (!*a || !*b) {
			err = bloc_csv_field_error(rd, (size_t)(*a ? to : from), BLOC_EPARSE,
			                           "expected a seat code, found an empty field");
			goto done;
		}
		cap = k->cap;
		if ((err = bloc__grow((void **)&k->from, &cap, k->n + 1, sizeof(char *))) < 0)
			goto done;
		cap = k->cap;
		if ((err = bloc__grow((void **)&k->to, &cap, k->n + 1, sizeof(char *))) < 0)
			goto done;
		k->cap = cap;
		k->from[k->n] = bloc_strdup(a);
		k->to[k->n] = bloc_strdup(b);
		k->n++;
		if (!k->from[k->n - 1] || !k->to[k->n - 1]) {
			err = bloc_error_set(BLOC_ENOMEM, "out of memory reading %s", path);
			goto done;
		}
	}
	err = rc < 0 ? rc : BLOC_OK;
done:
	bloc_csv_close(rd);
	return err;
}

/* ---- sorting ------------------------------------------------------------------------------ */

/* qsort has no context argument: the arrays being sorted are passed through these. */
static char *const *sort_codes;
static const int *sort_q, *sort_r;

static int by_code(const void *a, const void *b)
{
	return strcmp(sort_codes[*(const size_t *)a], sort_codes[*(const size_t *)b]);
}

static int by_position(const void *a, const void *b)
{
	size_t i = *(const size_t *)a, j = *(const size_t *)b;

	if (sort_r[i] != sort_r[j])
		return sort_r[i] < sort_r[j] ? -1 : 1;
	if (sort_q[i] != sort_q[j])
		return sort_q[i] < sort_q[j] ? -1 : 1;
	return i < j ? -1 : i > j;
}

/* Reorder a pointer or int array by `order` (scratch `tmp` holds n elements of `size`). */
static void permute(void *arr, const size_t *order, size_t n, size_t size, void *tmp)
{
	size_t i;

	for (i = 0; i < n; i++)
		memcpy((char *)tmp + i * size, (char *)arr + order[i] * size, size);
	memcpy(arr, tmp, n * size);
}

/* ---- the document ------------------------------------------------------------------------ */

static int alloc_hexes(bloc_hexmap *m, size_t n)
{
	size_t k = n ? n : 1;

	m->code = bloc_calloc(k, sizeof(char *));
	m->file_code = bloc_calloc(k, sizeof(char *));
	m->name = bloc_calloc(k, sizeof(char *));
	m->region = bloc_calloc(k, sizeof(char *));
	m->q = bloc_calloc(k, sizeof(int));
	m->r = bloc_calloc(k, sizeof(int));
	m->seat = bloc_calloc(k, sizeof(long));
	if (!m->code || !m->file_code || !m->name || !m->region || !m->q || !m->r || !m->seat)
		return bloc_error_oom("allocating %zu hexes", n);
	return BLOC_OK;
}

static int read_hexes(bloc_hexmap *m, const json_t *hexes, const char *name)
{
	const char *key;
	json_t *h;
	size_t i = 0;
	int err;

	json_object_foreach((json_t *)hexes, key, h)
	{
		const char *n, *region;
		char where[CODE_MAX + 16];
		int rc;
		size_t klen = strlen(key);
		if (klen == 0 || klen > CODE_MAX)
			return bloc_error_set(
			    BLOC_EPARSE,
			    "%s: hexes: expected a seat code of 1 to %d bytes as a "
			    "key, found '%.40s' (%zu bytes)",
			    name, CODE_MAX, key, klen);
		snprintf(where, sizeof(where), "hexes.%s", key);
		if (!json_is_object(h))
			return bloc_error_set(BLOC_EPARSE, "%s: %s: expected an object, found %s",
			                      name, where, json_kind(h));
		if ((rc = coord(json_object_get(h, "q"), &m->q[i])) < 0 ||
		    coord(json_object_get(h, "r"), &m->r[i]) < 0) {
			const char *which = rc < 0 ? "q" : "r";
			const json_t *v = json_object_get(h, which);
			if (!v)
				return bloc_error_set(BLOC_EPARSE, "%s: %s: no '%s' coordinate",
				                      name, where, which);
			if (coord(v, &(int){0}) == -2)
				return bloc_error_set(
				    BLOC_ENUMERIC, "%s: %s.%s: expected a coordinate from %d to %d",
				    name, where, which, -COORD_MAX, COORD_MAX);
			return bloc_error_set(BLOC_EPARSE,
			                      "%s: %s.%s: expected an integer, found %s", name,
			                      where, which, json_kind(v));
		}
		err = BLOC_OK;
		if (!(n = opt_string(h, "n", name, where, &err)))
			return err;
		if (!(region = opt_string(h, "region", name, where, &err)))
			return err;
		if (!*region && !(region = opt_string(h, "a", name, where, &err)))
			return err;
		m->code[i] = bloc_strdup(key);
		m->file_code[i] = bloc_strdup(key);
		m->name[i] = bloc_strdup(*n ? n : key);
		m->region[i] = bloc_strdup(region);
		m->seat[i] = -1;
		if (!m->code[i] || !m->file_code[i] || !m->name[i] || !m->region[i])
			return bloc_error_oom("reading the hexes of %s", name);
		i++;
	}
	return BLOC_OK;
}

/* First pass: check each boundary is an object with an edges array; count the edges. */
static int count_edges(const json_t *bounds, const char *name, size_t *total)
{
	const char *key;
	json_t *b;

	*total = 0;
	json_object_foreach((json_t *)bounds, key, b)
	{
		const json_t *edges;
		if (!json_is_object(b))
			return bloc_error_set(BLOC_EPARSE,
			                      "%s: boundaries.%.64s: expected an object, found %s",
			                      name, key, json_kind(b));
		edges = json_object_get(b, "edges");
		if (!json_is_array(edges))
			return bloc_error_set(
			    BLOC_EPARSE, "%s: boundaries.%.64s.edges: expected an array, found %s",
			    name, key, edges ? json_kind(edges) : "nothing");
		*total += json_array_size(edges);
		if (*total > MAX_EDGES)
			return bloc_error_set(BLOC_ENUMERIC, "%s: boundaries: more than %d edges",
			                      name, MAX_EDGES);
	}
	return BLOC_OK;
}

/* Read one boundary's edges {q, r, e} into the edge arrays from *e on, advancing *e. */
static int read_edges(bloc_hexmap *m, const json_t *edges, const char *name, const char *where,
                      size_t *e)
{
	static const char *const keys[] = {"q", "r", "e"};
	const json_t *x;
	size_t k;
	int v;

	json_array_foreach(edges, k, x)
	{
		int val[3];
		size_t j;
		if (!json_is_object(x))
			return bloc_error_set(BLOC_EPARSE,
			                      "%s: %s.edges[%zu]: expected an object, found %s",
			                      name, where, k, json_kind(x));
		for (j = 0; j < 3; j++) {
			const json_t *f = json_object_get(x, keys[j]);
			if (!f || coord(f, &v) < 0)
				return bloc_error_set(
				    BLOC_EPARSE,
				    "%s: %s.edges[%zu].%s: expected an integer, found %s", name,
				    where, k, keys[j], f ? json_kind(f) : "nothing");
			val[j] = v;
		}
		if (val[2] == 0 || val[2] < -6 || val[2] > 6)
			return bloc_error_set(BLOC_ENUMERIC,
			                      "%s: %s.edges[%zu].e: expected an edge number "
			                      "from 1 to 6 (or -6 to -1), found %d",
			                      name, where, k, val[2]);
		m->edge_q[*e] = val[0];
		m->edge_r[*e] = val[1];
		m->edge_e[*e] = (signed char)val[2];
		(*e)++;
	}
	return BLOC_OK;
}

static int read_boundaries(bloc_hexmap *m, const json_t *bounds, const char *name)
{
	const char *key;
	json_t *b;
	size_t nb = json_object_size(bounds), total = 0, i = 0, e = 0;
	int err;

	if ((err = count_edges(bounds, name, &total)) < 0)
		return err;
	m->boundary_name = bloc_calloc(nb ? nb : 1, sizeof(char *));
	m->boundary_type = bloc_calloc(nb ? nb : 1, sizeof(char *));
	m->boundary_off = bloc_calloc(nb + 1, sizeof(size_t));
	m->edge_q = bloc_calloc(total ? total : 1, sizeof(int));
	m->edge_r = bloc_calloc(total ? total : 1, sizeof(int));
	m->edge_e = bloc_calloc(total ? total : 1, sizeof(signed char));
	if (!m->boundary_name || !m->boundary_type || !m->boundary_off || !m->edge_q ||
	    !m->edge_r || !m->edge_e)
		return bloc_error_oom("reading the boundaries of %s", name);
	m->nboundaries = nb; /* so that bloc_hexmap_free frees the names read before an error */
	json_object_foreach((json_t *)bounds, key, b)
	{
		const char *type;
		char where[128];
		snprintf(where, sizeof(where), "boundaries.%.64s", key);
		if (!(type = opt_string(b, "type", name, where, &err)))
			return err;
		m->boundary_name[i] = bloc_strdup(key);
		m->boundary_type[i] = bloc_strdup(type);
		if (!m->boundary_name[i] || !m->boundary_type[i])
			return bloc_error_oom("reading the boundaries of %s", name);
		m->boundary_off[i] = e;
		if ((err = read_edges(m, json_object_get(b, "edges"), name, where, &e)) < 0)
			return err;
		i++;
	}
	m->boundary_off[nb] = e;
	m->nedges = e;
	return BLOC_OK;
}

/* Apply the corrections, sort by code, and refuse duplicate codes and positions. */
static int finish(bloc_hexmap *m, const struct corr *k, const char *name)
{
	size_t *order = NULL, i, j;
	void *tmp = NULL;
	int err = BLOC_OK;

	for (i = 0; i < m->n; i++) {
		for (j = 0; j < k->n; j++) {
			if (strcmp(m->code[i], k->from[j]) == 0) {
				char *c = bloc_strdup(k->to[j]);
				if (!c)
					return bloc_error_oom("correcting the seat codes of %s",
					                      name);
				bloc_free(m->code[i]);
				m->code[i] = c;
				m->ncorrected++;
				break;
			}
		}
	}
	if (!(order = bloc_calloc(m->n ? m->n : 1, sizeof(size_t))) ||
	    !(tmp = bloc_calloc(m->n ? m->n : 1,
	                        sizeof(char *) > sizeof(int) ? sizeof(char *) : sizeof(int)))) {
		err = bloc_error_oom("sorting the hexes of %s", name);
		goto done;
	}
	for (i = 0; i < m->n; i++)
		order[i] = i;
	sort_codes = m->code;
	qsort(order, m->n, sizeof(size_t), by_code);
	permute(m->code, order, m->n, sizeof(char *), tmp);
	permute(m->file_code, order, m->n, sizeof(char *), tmp);
	permute(m->name, order, m->n, sizeof(char *), tmp);
	permute(m->region, order, m->n, sizeof(char *), tmp);
	permute(m->q, order, m->n, sizeof(int), tmp);
	permute(m->r, order, m->n, sizeof(int), tmp);
	for (i = 1; i < m->n; i++) {
		if (strcmp(m->code[i - 1], m->code[i]) == 0) {
			err =
			    bloc_error_set(BLOC_EPARSE,
			                   "%s: hexes.%s and hexes.%s both have the code %s after "
			                   "the code corrections",
			                   name, m->file_code[i - 1], m->file_code[i], m->code[i]);
			goto done;
		}
	}
	for (i = 0; i < m->n; i++)
		order[i] = i;
	sort_q = m->q;
	sort_r = m->r;
	qsort(order, m->n, sizeof(size_t), by_position);
	for (i = 1; i < m->n; i++) {
		size_t a = order[i - 1], b = order[i];
		if (m->q[a] == m->q[b] && m->r[a] == m->r[b]) {
			err = bloc_error_set(
			    BLOC_ENUMERIC, "%s: hexes.%s and hexes.%s are both at q=%d, r=%d", name,
			    m->file_code[a], m->file_code[b], m->q[a], m->r[a]);
			goto done;
		}
	}
	for (i = 0; i < m->n; i++) {
		if (i == 0 || m->q[i] < m->qmin)
			m->qmin = m->q[i];
		if (i == 0 || m->q[i] > m->qmax)
			m->qmax = m->q[i];
		if (i == 0 || m->r[i] < m->rmin)
			m->rmin = m->r[i];
		if (i == 0 || m->r[i] > m->rmax)
			m->rmax = m->r[i];
	}
done:
	bloc_free(order);
	bloc_free(tmp);
	return err;
}

/* The JSON text being read, for the positions of its top-level members in messages. */
struct text {
	const char *buf, *name;
	size_t len;
};

/* Index just past the JSON string starting at buf[i] (a quote); the text is well-formed. */
static size_t skip_string(const char *buf, size_t len, size_t i)
{
	for (i++; i < len && buf[i] != '"'; i++)
		if (buf[i] == '\\')
			i++;
	return i + 1;
}

/* Line and column (from 1; the column in bytes) of the value of top-level member `key`, or, when
 * the object has no such member, of its closing brace. The text has parsed, so it is
 * well-formed; a key written with escapes is not recognised (the brace is given). */
static void member_pos(const struct text *t, const char *key, size_t *line, size_t *col)
{
	size_t i = 0, ln = 1, lstart = 0, klen = strlen(key);
	int depth = 0;

	*line = *col = 1;
	while (i < t->len) {
		char ch = t->buf[i];
		if (ch == '"') {
			size_t start = i + 1, k = skip_string(t->buf, t->len, i), vl = ln,
			       vs = lstart;
			int is_key = depth == 1 && k - start - 1 == klen &&
			             memcmp(t->buf + start, key, klen) == 0;
			for (i = k; is_key && k < t->len && strchr(" \t\r\n:", t->buf[k]); k++) {
				if (t->buf[k] == '\n')
					vl++, vs = k + 1;
				if (t->buf[k] == ':')
					is_key = 2;
			}
			if (is_key == 2) {
				*line = vl;
				*col = k - vs + 1;
				return;
			}
			continue;
		}
		if (ch == '\n')
			ln++, lstart = i + 1;
		else if (ch == '{' || ch == '[')
			depth++;
		else if ((ch == '}' || ch == ']') && --depth == 0)
			*line = ln, *col = i - lstart + 1;
		i++;
	}
}

/* Read the layout name into m->layout. */
static int read_layout(bloc_hexmap *m, const json_t *root, const struct text *t)
{
	const json_t *v = json_object_get(root, "layout");
	const char *layout;
	size_t i, line, col;

	member_pos(t, "layout", &line, &col);
	if (!json_is_string(v))
		return bloc_error_set(BLOC_EPARSE,
		                      "%s:%zu:%zu: layout: expected one of odd-r, even-r, odd-q, "
		                      "even-q, found %s",
		                      t->name, line, col, v ? json_kind(v) : "nothing");
	layout = json_string_value(v);
	for (i = 0; i < 4 && strcmp(layout, layout_names[i]) != 0; i++)
		;
	if (i == 4)
		return bloc_error_set(BLOC_EPARSE,
		                      "%s:%zu:%zu: layout: expected one of odd-r, even-r, odd-q, "
		                      "even-q, found '%.32s'",
		                      t->name, line, col, layout);
	m->layout = (int)i;
	return BLOC_OK;
}

/* Read the hexes object (1 to BLOC_HEXMAP_MAX_HEXES hexes) and the optional boundaries. A
 * layout without hexes is an error, never an empty map another layout would stand in for. */
static int read_body(bloc_hexmap *m, const json_t *root, const struct text *t)
{
	const json_t *hexes = json_object_get(root, "hexes"), *bounds;
	const char *name = t->name;
	size_t line, col;
	int err;

	member_pos(t, "hexes", &line, &col);
	if (!hexes)
		return bloc_error_set(
		    BLOC_EPARSE,
		    "%s:%zu:%zu: expected a member \"hexes\" (an object of one hex "
		    "per seat), found the end of the object",
		    name, line, col);
	if (!json_is_object(hexes))
		return bloc_error_set(BLOC_EPARSE,
		                      "%s:%zu:%zu: hexes: expected an object of one hex per seat, "
		                      "found %s",
		                      name, line, col, json_kind(hexes));
	if (json_object_size(hexes) == 0)
		return bloc_error_set(
		    BLOC_EPARSE,
		    "%s:%zu:%zu: hexes: expected at least one hex, found an empty "
		    "object",
		    name, line, col);
	m->n = json_object_size(hexes);
	if (m->n > BLOC_HEXMAP_MAX_HEXES)
		return bloc_error_set(BLOC_ENUMERIC,
		                      "%s: hexes: %zu hexes, more than the %d allowed", name, m->n,
		                      BLOC_HEXMAP_MAX_HEXES);
	if ((err = alloc_hexes(m, m->n)) < 0 || (err = read_hexes(m, hexes, name)) < 0)
		return err;
	bounds = json_object_get(root, "boundaries");
	if (bounds && !json_is_null(bounds) && !json_is_object(bounds))
		return bloc_error_set(BLOC_EPARSE, "%s: boundaries: expected an object, found %s",
		                      name, json_kind(bounds));
	return read_boundaries(m, json_is_object(bounds) ? bounds : NULL, name);
}

static int parse(bloc_hexmap **out, const char *buf, size_t len, const char *name,
                 const char *corrections)
{
	json_error_t jerr;
	json_t *root = NULL;
	struct corr k = {NULL, NULL, 0, 0};
	const struct text t = {buf, name, len};
	bloc_hexmap *m = NULL;
	int err;

	*out = NULL;
	if (corrections && *corrections && (err = corr_read(&k, corrections)) < 0)
		goto done;
	if (!(root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr))) {
		err = bloc_error_set(BLOC_EPARSE, "%s:%d:%d: %s", name, jerr.line, jerr.column,
		                     jerr.text);
		goto done;
	}
	if (!json_is_object(root)) {
		err = bloc_error_set(
		    BLOC_EPARSE,
		    "%s: expected a HexJSON object {\"layout\":...,\"hexes\":{...}}, "
		    "found %s",
		    name, json_kind(root));
		goto done;
	}
	if (!(m = bloc_calloc(1, sizeof(*m)))) {
		err = bloc_error_oom("reading hex layout %s", name);
		goto done;
	}
	if ((err = read_layout(m, root, &t)) < 0 || (err = read_body(m, root, &t)) < 0 ||
	    (err = finish(m, &k, name)) < 0)
		goto done;
	if (!(m->id = bloc_strdup(name)) || !(m->source = bloc_strdup(name))) {
		err = bloc_error_oom("reading hex layout %s", name);
		goto done;
	}
	*out = m;
	m = NULL;
done:
	json_decref(root);
	corr_free(&k);
	bloc_hexmap_free(m);
	return err;
}

int bloc_hexjson_load_mem(bloc_hexmap **out, const char *buf, size_t len, const char *name,
                          const char *corrections)
{
	return parse(out, buf, len, name ? name : "<memory>", corrections);
}

int bloc_hexjson_load(bloc_hexmap **out, const char *path, const char *corrections)
{
	FILE *fp;
	char *buf = NULL;
	size_t len = 0, cap = 0, n;
	int err;

	*out = NULL;
	if ((err = bloc__open_read(&fp, path)) < 0)
		return err;
	for (;;) {
		if (len + 1 >= cap) {
			if (cap > HEXJSON_MAX_BYTES) {
				err = bloc_error_set(BLOC_EPARSE, "%s: larger than %zu bytes", path,
				                     HEXJSON_MAX_BYTES);
				goto done;
			}
			if ((err = bloc__grow((void **)&buf, &cap, cap ? cap * 2 : 65536, 1)) < 0)
				goto done;
		}
		n = fread(buf + len, 1, cap - len - 1, fp);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(fp)) {
		err = bloc_error_set(BLOC_EIO, "%s: read error", path);
		goto done;
	}
	err = parse(out, buf, len, path, corrections);
done:
	fclose(fp);
	bloc_free(buf);
	return err;
}
