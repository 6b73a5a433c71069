/* libFuzzer target for the HexJSON loader (src/lib/io/load_hexjson.c) and what is built on a
 * layout: its JSON export and its SVG drawing.
 *
 * Contracts: a failure returns no layout and sets a message; a success has its hexes in strict
 * code order at distinct positions, coordinates and edges in range and boundary offsets in
 * order; its JSON export loads back to the same hexes (the round trip); the SVG of it (aligned
 * to an empty contest, so every hex is "no result") is written without error and holds one
 * hex cell per hex; with allocations failing, loading fails cleanly or succeeds. A broken
 * contract aborts. */
#include "bloc/buf.h"
#include "bloc/contest.h"
#include "bloc/error.h"
#include "bloc/hexmap.h"
#include "bloc/io.h"
#include "core/alloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define EXPECT(cond)                                                                               \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "fuzz_hexjson: contract broken: %s (line %d)\n", #cond,    \
			        __LINE__);                                                         \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

static void check(const bloc_hexmap *m)
{
	size_t i, b;

	EXPECT(m->n <= BLOC_HEXMAP_MAX_HEXES);
	EXPECT(*bloc_hex_layout_name(m->layout) != '\0');
	for (i = 0; i < m->n; i++) {
		EXPECT(m->code[i] && m->name[i] && m->region[i] && m->file_code[i]);
		EXPECT(i == 0 || strcmp(m->code[i - 1], m->code[i]) < 0);
		EXPECT(m->q[i] >= m->qmin && m->q[i] <= m->qmax);
		EXPECT(m->r[i] >= m->rmin && m->r[i] <= m->rmax);
		EXPECT(m->seat[i] == -1);
	}
	EXPECT(m->boundary_off[0] == 0 && m->boundary_off[m->nboundaries] == m->nedges);
	for (b = 0; b < m->nboundaries; b++)
		EXPECT(m->boundary_off[b] <= m->boundary_off[b + 1]);
	for (i = 0; i < m->nedges; i++)
		EXPECT(m->edge_e[i] != 0 && m->edge_e[i] >= -6 && m->edge_e[i] <= 6);
}

static void round_trip(const bloc_hexmap *m)
{
	bloc_hexmap *back = NULL;
	char *text = bloc_hexmap_to_json(m, NULL);
	size_t i;

	EXPECT(text != NULL);
	if (bloc_hexjson_load_mem(&back, text, strlen(text), "round-trip", NULL) < 0) {
		fprintf(stderr, "fuzz_hexjson: the export does not read back: %s\n",
		        bloc_error_last());
		abort();
	}
	EXPECT(back->n == m->n && back->layout == m->layout && back->nedges == m->nedges);
	for (i = 0; i < m->n; i++)
		EXPECT(strcmp(back->code[i], m->code[i]) == 0 && back->q[i] == m->q[i] &&
		       back->r[i] == m->r[i] && strcmp(back->name[i], m->name[i]) == 0);
	bloc_hexmap_free(back);
	free(text);
}

static void draw(bloc_hexmap *m)
{
	bloc_contest empty;
	bloc_map_layer L;
	bloc_map_legend_item item = {"#123456", (char *)"legend <&>"};
	bloc_buf b = BLOC_BUF_INIT;
	size_t cells = 0;
	const char *p;

	memset(&empty, 0, sizeof(empty));
	empty.id = (char *)"empty";
	memset(&L, 0, sizeof(L));
	L.title = (char *)"fuzz";
	L.note = (char *)"a note long enough to be wrapped over more than one line of the map's "
	                 "width, with <markup> & \"quotes\"";
	L.nlegend = 1;
	L.legend = &item;
	EXPECT(bloc_hexmap_align(m, &empty) == BLOC_OK);
	EXPECT(m->matched == 0 && m->nmissing == 0);
	EXPECT(bloc_hexmap_svg(&b, m, &empty, &L, NULL) == BLOC_OK);
	for (p = bloc_buf_cstr(&b); (p = strstr(p, "<path class=\"hex\"")) != NULL; p++)
		cells++;
	EXPECT(cells == m->n);
	bloc_buf_dispose(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	bloc_hexmap *m = NULL;
	unsigned long k;
	int rc;

	bloc_error_clear();
	rc = bloc_hexjson_load_mem(&m, (const char *)data, size, "fuzz", NULL);
	if (rc < 0) {
		EXPECT(m == NULL);
		EXPECT(*bloc_error_last() != '\0');
		return 0;
	}
	check(m);
	round_trip(m);
	draw(m);
	bloc_hexmap_free(m);

	/* out of memory: the first few allocations fail in turn */
	for (k = 1; k <= 3; k++) {
		m = NULL;
		bloc__alloc_fail_after(k);
		rc = bloc_hexjson_load_mem(&m, (const char *)data, size, "fuzz", NULL);
		bloc__alloc_fail_after(0);
		EXPECT(rc == BLOC_OK || (rc < 0 && m == NULL));
		bloc_hexmap_free(m);
	}
	return 0;
}
