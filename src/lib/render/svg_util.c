/* Colours, numbers and the SVG preamble shared by the map, chart and report renderers. */
#include "svg_int.h"

#include "bloc/groups.h"
#include "../core/alloc.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int bloc__colour_parse(const char *s, unsigned char rgb[3])
{
	int i, hi, lo;

	if (!s || s[0] != '#' || strlen(s) != 7)
		return -1;
	for (i = 0; i < 3; i++) {
		if ((hi = hexval(s[1 + 2 * i])) < 0 || (lo = hexval(s[2 + 2 * i])) < 0)
			return -1;
		rgb[i] = (unsigned char)(hi * 16 + lo);
	}
	return 0;
}

void bloc__colour_mix(char out[8], const char *a, const char *b, double t)
{
	unsigned char x[3] = {128, 128, 128}, y[3] = {128, 128, 128};
	int i, v[3];

	bloc__colour_parse(a, x);
	bloc__colour_parse(b, y);
	if (!(t >= 0)) /* also NaN */
		t = 0;
	if (t > 1)
		t = 1;
	for (i = 0; i < 3; i++) {
		v[i] = (int)lround(x[i] + (y[i] - x[i]) * t);
		v[i] = v[i] < 0 ? 0 : v[i] > 255 ? 255 : v[i];
	}
	snprintf(out, 8, "#%02X%02X%02X", v[0], v[1], v[2]);
}

void bloc__colour_ramp(char out[8], const char *base, double t)
{
	char dark[8];

	if (t <= 0.75) {
		bloc__colour_mix(out, "#F7F7F7", base, t / 0.75);
		return;
	}
	bloc__colour_mix(dark, base, "#000000", 0.45);
	bloc__colour_mix(out, base, dark, (t - 0.75) / 0.25);
}

const char *bloc__colour_text_on(const char *bg)
{
	unsigned char c[3] = {255, 255, 255};

	bloc__colour_parse(bg, c);
	return 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2] > 150 ? "#000000" : "#FFFFFF";
}

const char *bloc__fmt(char *buf, size_t n, double v, int decimals)
{
	const char *p;

	snprintf(buf, n, "%.*f", decimals, v);
	if (buf[0] == '-') {
		for (p = buf + 1; *p == '0' || *p == '.'; p++)
			;
		if (*p == '\0')
			memmove(buf, buf + 1, strlen(buf));
	}
	return buf;
}

const char *bloc__fmt_int(char *buf, size_t n, long long v)
{
	char digits[32];
	const char *d = digits;
	size_t len, i, o = 0, lead;

	snprintf(digits, sizeof(digits), "%lld", v);
	if (*d == '-' && o + 1 < n) {
		buf[o++] = '-';
		d++;
	}
	len = strlen(d);
	lead = len % 3 ? len % 3 : 3;
	for (i = 0; i < len && o + 2 < n; i++) {
		if (i >= lead && (i - lead) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = d[i];
	}
	buf[o] = '\0';
	return buf;
}

double bloc__text_width(const char *s, double size)
{
	size_t w = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			w++;
	return (double)w * size * 0.58;
}

double bloc__nice_step(double range, int n)
{
	double raw, mag, f;

	if (!(range > 0) || n < 1)
		return 1;
	raw = range / n;
	mag = pow(10, floor(log10(raw)));
	f = raw / mag;
	return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * mag;
}

void bloc__svg_open(bloc_buf *b, double w, double h, int standalone, const char *id,
                    const char *title, const char *desc)
{
	char ws[32], hs[32];

	bloc__fmt(ws, sizeof(ws), w, 0);
	bloc__fmt(hs, sizeof(hs), h, 0);
	if (standalone)
		bloc_buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg "
		                 "xmlns=\"http://www.w3.org/2000/svg\" ");
	else
		bloc_buf_puts(b, "<svg ");
	bloc_buf_printf(b,
	                "width=\"%s\" height=\"%s\" viewBox=\"0 0 %s %s\" "
	                "style=\"max-width:100%%;height:auto\" font-family=\"sans-serif\" "
	                "font-size=\"12\" role=\"img\" aria-labelledby=\"",
	                ws, hs, ws, hs);
	bloc_buf_put_xml(b, id);
	bloc_buf_puts(b, "-title\" id=\"");
	bloc_buf_put_xml(b, id);
	bloc_buf_puts(b, "\">\n<title id=\"");
	bloc_buf_put_xml(b, id);
	bloc_buf_puts(b, "-title\">");
	bloc_buf_put_xml(b, title ? title : "");
	bloc_buf_puts(b, "</title>\n");
	if (desc && *desc) {
		bloc_buf_puts(b, "<desc>");
		bloc_buf_put_xml(b, desc);
		bloc_buf_puts(b, "</desc>\n");
	}
	bloc_buf_printf(b, "<rect width=\"%s\" height=\"%s\" fill=\"#FFFFFF\"/>\n", ws, hs);
}

/* Lines of `s` no wider than `width` px at `size` (breaking at spaces; a longer word stands
 * alone): start and length of each, at most `max` lines. */
size_t bloc__wrap(const char *s, double width, double size, size_t *start, size_t *len, size_t max)
{
	size_t n = 0, i = 0, total = strlen(s), per = (size_t)(width / (size * 0.58));

	if (per < 10)
		per = 10;
	while (i < total && n < max) {
		size_t end = i + per, cut;
		if (end >= total) {
			start[n] = i;
			len[n++] = total - i;
			break;
		}
		for (cut = end; cut > i && s[cut] != ' '; cut--)
			;
		if (cut == i)
			cut = end;
		start[n] = i;
		len[n++] = cut - i;
		i = cut;
		while (i < total && s[i] == ' ')
			i++;
	}
	return n;
}

void bloc__group_display(char *out, size_t n, const char *group)
{
	long i = group ? bloc_group_find(group) : -1;
	const char *label = i >= 0 ? bloc_group_label((size_t)i) : group ? group : "group";
	const char *paren = strstr(label, " (");

	snprintf(out, n, "%.*s", paren ? (int)(paren - label) : (int)strlen(label), label);
}

int bloc__doc_check(const bloc_buf *b, const char *what)
{
	int err = bloc_buf_check(b);

	return err < 0 ? bloc_error_prefix("%s", what) : err;
}

/* A <text> at (x, y): anchor (NULL or "start": none), font size, fill (NULL: none). */
void bloc__svg_text_at(bloc_buf *b, double x, double y, const char *anchor, double size,
                       const char *fill, const char *text)
{
	char xs[32], ys[32];

	bloc_buf_printf(b, "<text x=\"%s\" y=\"%s\" font-size=\"%g\"", bloc__fmt(xs, 32, x, 1),
	                bloc__fmt(ys, 32, y, 1), size);
	if (anchor && strcmp(anchor, "start") != 0)
		bloc_buf_printf(b, " text-anchor=\"%s\"", anchor);
	if (fill)
		bloc_buf_printf(b, " fill=\"%s\"", fill);
	bloc_buf_puts(b, ">");
	bloc_buf_put_xml(b, text);
	bloc_buf_puts(b, "</text>\n");
}

/* A <line>, dashed or solid. */
void bloc__svg_line(bloc_buf *b, double x1, double y1, double x2, double y2, const char *stroke,
                    double width, int dashed)
{
	char a[32], c[32], d[32], e[32];

	bloc_buf_printf(b,
	                "<line x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\" stroke=\"%s\" "
	                "stroke-width=\"%g\"%s/>\n",
	                bloc__fmt(a, 32, x1, 2), bloc__fmt(c, 32, y1, 2), bloc__fmt(d, 32, x2, 2),
	                bloc__fmt(e, 32, y2, 2), stroke, width,
	                dashed ? " stroke-dasharray=\"4 3\"" : "");
}

void bloc__svg_rect(bloc_buf *b, double x, double y, double w, double h, const char *fill)
{
	char a[32], c[32], d[32], e[32];

	bloc_buf_printf(b, "<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\" fill=\"%s\"",
	                bloc__fmt(a, 32, x, 2), bloc__fmt(c, 32, y, 2),
	                bloc__fmt(d, 32, w < 0 ? 0 : w, 2), bloc__fmt(e, 32, h < 0 ? 0 : h, 2),
	                fill);
}

#define MAX_SUB_LINES 4

void bloc__chart_heading(bloc_buf *b, const char *title, const char *subtitle, double width)
{
	size_t start[MAX_SUB_LINES], len[MAX_SUB_LINES], n = 0, i;
	double y = BLOC__CHART_PAD + BLOC__CHART_TITLE_SIZE - 2;
	char ys[32];

	bloc_buf_printf(b,
	                "<text class=\"title\" x=\"%g\" y=\"%s\" font-size=\"%g\" "
	                "font-weight=\"bold\">",
	                BLOC__CHART_PAD, bloc__fmt(ys, 32, y, 1), BLOC__CHART_TITLE_SIZE);
	bloc_buf_put_xml(b, title);
	bloc_buf_puts(b, "</text>\n");
	if (subtitle && *subtitle)
		n = bloc__wrap(subtitle, width - 2 * BLOC__CHART_PAD, BLOC__CHART_SMALL_SIZE, start,
		               len, MAX_SUB_LINES);
	for (i = 0; i < n; i++) {
		char *line = bloc_strndup(subtitle + start[i], len[i]);
		y += BLOC__CHART_SMALL_SIZE + 4;
		bloc_buf_printf(b,
		                "<text class=\"subtitle\" x=\"%g\" y=\"%s\" font-size=\"%g\" "
		                "fill=\"#555555\">",
		                BLOC__CHART_PAD, bloc__fmt(ys, 32, y, 1), BLOC__CHART_SMALL_SIZE);
		bloc_buf_put_xml(b, line ? line : "");
		bloc_buf_puts(b, "</text>\n");
		bloc_free(line);
	}
}

double bloc__chart_heading_height(const char *subtitle, double width)
{
	size_t start[MAX_SUB_LINES], len[MAX_SUB_LINES], n = 0;

	if (subtitle && *subtitle)
		n = bloc__wrap(subtitle, width - 2 * BLOC__CHART_PAD, BLOC__CHART_SMALL_SIZE, start,
		               len, MAX_SUB_LINES);
	return BLOC__CHART_PAD + BLOC__CHART_TITLE_SIZE - 2 +
	       (double)n * (BLOC__CHART_SMALL_SIZE + 4) + 14;
}

double bloc__text_width_max(const char *const *labels, size_t n, double size)
{
	double w = 0, x;
	size_t i;

	for (i = 0; i < n; i++)
		if ((x = bloc__text_width(labels[i], size)) > w)
			w = x;
	return w;
}

int bloc__step_decimals(double step)
{
	int d = 0;

	while (d < 6 && fabs(step * pow(10, d) - round(step * pow(10, d))) > 1e-6)
		d++;
	return d;
}

double bloc__yaxis_px(const struct bloc__yaxis *a, double v)
{
	return a->bottom - (v - a->lo) / (a->hi - a->lo) * (a->bottom - a->top);
}

void bloc__yaxis_draw(bloc_buf *b, const struct bloc__yaxis *a, double x0, double x1,
                      const char *suffix)
{
	double v;
	int dec = bloc__step_decimals(a->step);

	for (v = a->lo; v <= a->hi + a->step / 2; v += a->step) {
		double y = bloc__yaxis_px(a, v);
		char t[48], n[32];
		bloc__svg_line(b, x0, y, x1, y,
		               fabs(v) < a->step / 1000 ? BLOC__CHART_AXIS : BLOC__CHART_GRID, 1,
		               0);
		snprintf(t, sizeof(t), "%s%s",
		         bloc__fmt(n, sizeof(n), fabs(v) < a->step / 1000 ? 0 : v, dec), suffix);
		bloc__svg_text_at(b, x0 - 5, y + 4, "end", BLOC__CHART_SMALL_SIZE, "#555555", t);
	}
}
