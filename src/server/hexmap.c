/* GET /api/hexmap: the hex layout the library picks for a contest (bloc_store_hexmap: the
 * catalogued layout covering most of its seats, with the Scottish code corrections where they
 * apply), in the API's form: {"layout":"odd-r","hexes":[{"code","name","q","r","region"},...]},
 * hexes in code order. A hex of one of the contest's seats takes the contest's name and region
 * (the file's region is an ONS code or an abbreviation); any other keeps the file's. */
#include "server.h"

#include "bloc/hexmap.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

int srv_hexmap_json(bloc_store *st, const bloc_contest *c, char **out, size_t *len)
{
	const bloc_hexmap *m = NULL;
	json_t *doc = NULL, *hexes, *h;
	size_t i;
	int err;

	*out = NULL;
	*len = 0;
	if ((err = bloc_store_hexmap(st, c, &m)) < 0)
		return err;
	err = bloc_error_set(BLOC_ENOMEM, "out of memory (or a name that is not UTF-8)");
	if (!(doc = json_object()) || !(hexes = json_array()) ||
	    json_object_set_new(doc, "layout", json_string(bloc_hex_layout_name(m->layout))) < 0 ||
	    json_object_set_new(doc, "hexes", hexes) < 0)
		goto done;
	for (i = 0; i < m->n; i++) {
		long k = m->seat[i];
		const char *region = k >= 0 && *c->region[k] ? c->region[k] : m->region[i];
		if (!(h = json_pack("{s:s, s:s, s:i, s:i, s:s}", "code", m->code[i], "name",
		                    k >= 0 ? c->name[k] : m->name[i], "q", m->q[i], "r", m->r[i],
		                    "region", region)) ||
		    json_array_append_new(hexes, h) < 0)
			goto done;
	}
	if (!(*out = json_dumps(doc, JSON_COMPACT)))
		goto done;
	*len = strlen(*out);
	err = BLOC_OK;
	bloc_error_clear();
done:
	json_decref(doc);
	return err;
}
