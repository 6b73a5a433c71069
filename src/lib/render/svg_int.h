/* Library-internal helpers shared by the SVG and HTML renderers: colours, numbers, text widths. */
#ifndef BLOC_RENDER_SVG_INT_H
#define BLOC_RENDER_SVG_INT_H

#include "bloc/buf.h"
#include "bloc/hexmap.h"
#include "bloc/party.h"

#include <stddef.h>

/* The look the charts share (chart.c, forecast_svg.c, simulate_svg.c). */
#define BLOC__CHART_PAD        14.0
#define BLOC__CHART_TITLE_SIZE 15.0
#define BLOC__CHART_LABEL_SIZE 12.0
#define BLOC__CHART_SMALL_SIZE 11.0
#define BLOC__CHART_AXIS       "#666666"
#define BLOC__CHART_GRID       "#E3E3E3"

/** Parse "#RRGGBB" (either case). @return 0, or -1 if `s` is not of that form. */
int bloc__colour_parse(const char *s, unsigned char rgb[3]);
/** out = "#RRGGBB" of a + (b - a) t, t in [0,1] (clamped); a or b malformed counts as grey. */
void bloc__colour_mix(char out[8], const char *a, const char *b, double t);
/** A sequential class colour for `base`: t = 0 near white, 0.75 the colour itself, 1 darker. */
void bloc__colour_ramp(char out[8], const char *base, double t);
/** "#000000" or "#FFFFFF", whichever reads better on `bg`. */
const char *bloc__colour_text_on(const char *bg);

/** Format v with `decimals` decimals into buf, without a "-0" (so -0.001 prints as "0.00"). */
const char *bloc__fmt(char *buf, size_t n, double v, int decimals);
/** An integer with thousands separators ("13,966,454"). */
const char *bloc__fmt_int(char *buf, size_t n, long long v);

/** A rough width in px of `s` in a sans-serif font of `size` px (UTF-8 code points x 0.58). */
double bloc__text_width(const char *s, double size);

/** A "nice" step (1, 2 or 5 x 10^k) giving about `n` intervals over `range`. */
double bloc__nice_step(double range, int n);

/** The XML declaration and opening <svg> element with width, height and viewBox; `standalone`
 * adds the declaration and the SVG namespace (an inline SVG in HTML needs neither). */
void bloc__svg_open(bloc_buf *b, double w, double h, int standalone, const char *id,
                    const char *title, const char *desc);

/** Lines of `s` no wider than `width` px at font `size`, broken at spaces (a longer word
 * stands alone): the start and length of each, at most `max` lines. @return the lines. */
size_t bloc__wrap(const char *s, double width, double size, size_t *start, size_t *len, size_t max);

/** A census group's name for titles: "Muslim" from its label "Muslim (census religion)"; an
 * unknown group as given. */
void bloc__group_display(char *out, size_t n, const char *group);

/** bloc_buf_check(b), its message prefixed with `what` ("drawing the parliament chart"). */
int bloc__doc_check(const bloc_buf *b, const char *what);

/* Append a legend item (colour, printf-style label) to a map layer: BLOC_OK or BLOC_ENOMEM. */
int bloc__map_legend_add(bloc_map_layer *L, const char *colour, const char *fmt, ...)
    BLOC_PRINTF(3, 4);

/* A <text> element at (x, y), its text escaped: anchor NULL or "start" for none, fill NULL for
 * none. */
void bloc__svg_text_at(bloc_buf *b, double x, double y, const char *anchor, double size,
                       const char *fill, const char *text);
/* A <line> element: stroke colour and width, dashed (4 3) or solid. */
void bloc__svg_line(bloc_buf *b, double x1, double y1, double x2, double y2, const char *stroke,
                    double width, int dashed);

/* An open <rect> (x, y, w, h, fill; a negative size drawn as 0): the caller ends it with "/>"
 * or "><title>...</title></rect>". */
void bloc__svg_rect(bloc_buf *b, double x, double y, double w, double h, const char *fill);

/* A chart's heading from the top left: the title in bold, then the subtitle (NULL: none)
 * wrapped to `width` less the padding, at most four lines. */
void bloc__chart_heading(bloc_buf *b, const char *title, const char *subtitle, double width);
/* The height bloc__chart_heading takes, and a gap under it: charts lay out first, then write. */
double bloc__chart_heading_height(const char *subtitle, double width);

/* The widest of `n` labels at font `size`, by bloc__text_width. */
double bloc__text_width_max(const char *const *labels, size_t n, double size);

/* The decimals that print ticks `step` apart exactly (at most 6). */
int bloc__step_decimals(double step);

/* A vertical value axis: values lo..hi (ticks `step` apart) over pixels bottom..top. */
struct bloc__yaxis {
	double lo, hi, step; /* value range and tick step */
	double top, bottom;  /* pixels */
};

/* The pixel height of value v on the axis. */
double bloc__yaxis_px(const struct bloc__yaxis *a, double v);
/* A grid line from x0 to x1 at each tick (the zero line darker) and its value, `suffix`
 * appended, left of x0. */
void bloc__yaxis_draw(bloc_buf *b, const struct bloc__yaxis *a, double x0, double x1,
                      const char *suffix);

#endif
