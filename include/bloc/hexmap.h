/* bloc — hex cartograms: HexJSON layouts (one hex per seat), aligned to a contest's seats, and
 * drawn as SVG coloured by a per-seat layer (winner, a party's share, swing, change of hands,
 * a census group's share, bloc decisiveness).
 *
 * STABLE for other front-ends (bloc serve's /api/hexmap builds on these; their behaviour and
 * the fields named here will not change without notice):
 *   bloc_hexmap_open() (store.h), bloc_hexmap_free(), bloc_hexmap_to_json() (io.h, its JSON
 *   schema documented there), bloc_hexjson_load() (io.h), bloc_hex_layout_name(), and the
 *   bloc_hexmap fields id, source,
 *   layout, n, code, name, region, q, r, seat, hex_of_seat, nseats, matched, nmissing, missing,
 *   ncorrected.
 * Still settling: the map layers (bloc_map_layer_*) and bloc_hexmap_svg()'s options.
 *
 * Coordinates are HexJSON's: offset coordinates (q column, r row) in one of four layouts, with r
 * increasing upward (unlike Red Blob Games' convention), so a drawing flips y. Boundary edges
 * are numbered 1-6 clockwise from the top-right edge of a pointy-top hex (1 NE, 2 E, 3 SE,
 * 4 SW, 5 W, 6 NW), which is what the Open Innovations layouts use; a negative number is the
 * same edge traversed anticlockwise (the 2010 layout has them). On a flat-top layout edge 1
 * is the top edge, then clockwise. */
#ifndef BLOC_HEXMAP_H
#define BLOC_HEXMAP_H

#include <stddef.h>
#include <stdint.h>

#include "analysis.h"
#include "buf.h"
#include "contest.h"
#include "dataset.h"
#include "groups.h"
#include "power.h"
#include "project.h"

#ifdef __cplusplus
extern "C" {
#endif

/** HexJSON layouts: "odd-r" and "even-r" (pointy-top, odd or even rows shifted right), "odd-q"
 * and "even-q" (flat-top, odd or even columns shifted up). */
typedef enum {
	BLOC_HEX_ODD_R = 0,
	BLOC_HEX_EVEN_R,
	BLOC_HEX_ODD_Q,
	BLOC_HEX_EVEN_Q
} bloc_hex_layout;

/** "odd-r", "even-r", "odd-q", "even-q" ("" for an unknown value). */
const char *bloc_hex_layout_name(int layout);

/** The most hexes a layout may have (far above any real map; protects against hostile files). */
#define BLOC_HEXMAP_MAX_HEXES 100000

/**
 * A hex layout. Read-only for users: built by bloc_hexjson_load() or bloc_hexmap_open(), freed
 * with bloc_hexmap_free(). Hexes are sorted by code (strcmp). The alignment fields are filled
 * by bloc_hexmap_align() (bloc_hexmap_open() aligns); before that `seat` is all -1 and nseats 0.
 */
typedef struct bloc_hexmap {
	char *id;     /* catalogue id ("hex2023"), or the path read */
	char *source; /* the file: relative to the data directory when opened from one */
	int layout;   /* bloc_hex_layout */

	size_t n;         /* hexes */
	char **code;      /* ONS/GSS code after corrections */
	char **file_code; /* the code as written in the file */
	char **name;      /* the file's "n", or the code if it has none */
	char **region;    /* the file's "region" (or "a"), or "" */
	int *q, *r;
	int qmin, qmax, rmin, rmax; /* over all hexes (0 when n = 0) */
	size_t ncorrected;          /* hexes whose code was corrected */

	/* boundaries: boundary b owns edges [boundary_off[b], boundary_off[b+1]) */
	size_t nboundaries;
	char **boundary_name; /* "sc-en" */
	char **boundary_type; /* "country", "region", or "" */
	size_t *boundary_off; /* nboundaries + 1 */
	size_t nedges;
	int *edge_q, *edge_r;
	signed char *edge_e; /* 1-6; -1..-6 is the same edge traversed the other way */

	/* alignment to a contest */
	long *seat;        /* n: the contest's seat index, or -1 if the contest has no such seat */
	long *hex_of_seat; /* nseats: hex index, or -1 (a seat with no hex) */
	size_t nseats;     /* seats of the aligned contest */
	size_t matched;    /* hexes with a seat (= seats with a hex) */
	size_t nmissing;   /* seats of the contest without a hex ... */
	size_t *missing;   /* ... their seat indices, ascending */
} bloc_hexmap;

/** Free a layout and everything it owns; accepts NULL. */
void bloc_hexmap_free(bloc_hexmap *m);

/**
 * Align `m` to the seats of `c` by code: fills seat, hex_of_seat, matched and missing (replacing
 * an earlier alignment). @return BLOC_OK, BLOC_ENOMEM.
 */
int bloc_hexmap_align(bloc_hexmap *m, const bloc_contest *c);

/* ---- drawing --------------------------------------------------------------------------- */

/** One legend entry: a swatch colour and its text. */
typedef struct {
	char colour[8]; /* "#RRGGBB" */
	char *label;
} bloc_map_legend_item;

/**
 * What each seat of a contest looks like on a map: a fill colour, a tooltip text, the party it
 * is tagged with and a value, in the contest's seat order; plus a title and a legend. Built by
 * one of the bloc_map_layer_* functions below from a result, freed with bloc_map_layer_dispose
 * (which accepts a zeroed struct). Colours are "#RRGGBB"; a party's colour is the registry's
 * (bloc_party_colour) exactly.
 */
typedef struct {
	size_t n;          /* the contest's seats */
	char (*fill)[8];   /* n: "#RRGGBB", or "" for no data */
	char **text;       /* n: the tooltip after "Seat name (CODE): " */
	bloc_party *party; /* n: the data-party attribute; BLOC_PARTY_NONE for none */
	double *value;     /* n: the data-value attribute; NaN for none */
	char *title;       /* "Winner, ge2024" */
	char *note;        /* one line below the map, or NULL */
	size_t nlegend;
	bloc_map_legend_item *legend;
} bloc_map_layer;

void bloc_map_layer_dispose(bloc_map_layer *L);

/** The colour of a hex with no data, and of a seat missing from a layout. */
#define BLOC_MAP_NO_DATA "#E6E6E6"
/** The colour of a seat neither party of a swing's pair stood in (in either contest). */
#define BLOC_MAP_NOT_CONTESTED "#D9CCB3"

/** Winner's colour; tooltip "LAB 45.2%" (the winner's share of the seat's valid votes). */
int bloc_map_layer_winner(bloc_map_layer *out, const bloc_contest *c, const bloc_seat_results *r);
/** Projected winner's colour; tooltip "LAB 41.3% (was CON)" when it changes hands. */
int bloc_map_layer_projected_winner(bloc_map_layer *out, const bloc_contest *c,
                                    const bloc_projection *p);
/** Party p's share in 10-point classes of its colour (light to dark); tooltip "LAB 45.2%". */
int bloc_map_layer_share(bloc_map_layer *out, const bloc_contest *c, bloc_party p);
/** As bloc_map_layer_share with the projected shares. */
int bloc_map_layer_projected_share(bloc_map_layer *out, const bloc_contest *c,
                                   const bloc_projection *p, bloc_party party);
/**
 * Butler swing from `from` to `to` (s from bloc_swing_compute(from, to, ...)) on the seats of
 * `to` (seats not shared: no data), in a diverging scale from s->a's colour (swing to A) through
 * white to s->b's colour (swing to B); classes of `step` points (0 = chosen from the largest
 * swing). Tooltip "3.2 points to LAB (CON to LAB)". A seat where neither party had a vote in
 * either contest is BLOC_MAP_NOT_CONTESTED, with its own legend line ("not contested by CON or
 * LAB"), not a swing of 0.
 */
int bloc_map_layer_swing(bloc_map_layer *out, const bloc_contest *to, const bloc_swing *s,
                         double step);
/** Change of hands under a projection: the projected winner's colour where the seat changes
 * hands, a pale tint of the winner's where it does not; tooltip "REF gain from LAB". */
int bloc_map_layer_change(bloc_map_layer *out, const bloc_contest *c, const bloc_projection *p);
/** A census group's share of residents in classes of a sequential scale; NaN = no census. */
int bloc_map_layer_group(bloc_map_layer *out, const bloc_contest *c, const bloc_group_shares *g);
/** Bloc power: the ratio 2cG/majority in classes, decisive seats (ratio > 1) in the strong
 * half of the scale; the tooltip gives the ratio, the majority and the flip threshold. */
int bloc_map_layer_decisive(bloc_map_layer *out, const bloc_contest *c, const bloc_power *pw,
                            const char *group);

#define BLOC_MAP_OPTIONS_VERSION 1

typedef struct {
	unsigned version;
	double hex_size;  /* centre-to-corner radius in px; default 7 */
	int boundaries;   /* draw the layout's boundary edge lists (default 1) */
	int legend;       /* draw the legend (default 1) */
	int standalone;   /* 1: an SVG file (XML declaration, xmlns); 0: inline in HTML */
	const char *id;   /* prefix for element ids (several maps in one page); default "map" */
	const char *desc; /* a <desc> line (the contest and source), or NULL */
} bloc_map_options;

#define BLOC_MAP_OPTIONS_INIT                                                                      \
	{                                                                                          \
		BLOC_MAP_OPTIONS_VERSION, 7.0, 1, 1, 1, NULL, NULL                                 \
	}

/**
 * Append an SVG drawing of `m` (aligned to `c`) coloured by layer L. Each hex is one line:
 *   <path class="hex" d="..." fill="#E4003B" data-code="E14000530" data-party="LAB"
 *   data-value="45.2"><title>Aldershot (E14000530): LAB 45.2%</title></path>
 * (data-party and data-value only when set), in code order; hexes without a seat in `c` get
 * BLOC_MAP_NO_DATA and the tooltip "no result". Boundaries are drawn over the hexes, then the
 * legend. Seats without a hex are listed in a note. Same input, same bytes.
 * @return BLOC_OK, BLOC_EINVAL (m not aligned to c, or L not of c's seats), BLOC_ENOMEM.
 */
int bloc_hexmap_svg(bloc_buf *out, const bloc_hexmap *m, const bloc_contest *c,
                    const bloc_map_layer *L, const bloc_map_options *o);

#ifdef __cplusplus
}
#endif
#endif
