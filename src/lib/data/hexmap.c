/* Hex layouts: freeing one, and aligning its hexes to a contest's seats by code. Reading and
 * writing HexJSON is io/'s (load_hexjson.c, hexjson_write.c); choosing the catalogued layout
 * that covers a contest is the store's (store/hexmap.c). */
#include "bloc/hexmap.h"

#include "bloc/error.h"
#include "../core/alloc.h"
#include "hexmap_int.h"

#include <string.h>

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
		return bloc_error_oom("aligning hex layout %s to the seats of %s", m->id, c->id);
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
