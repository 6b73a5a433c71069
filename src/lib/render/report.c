/* The HTML report (see bloc/report.h): sections of tables, maps and charts, each drawn by the
 * renderers the CLI uses one by one, put together in one file with its styles inline. */
#include "bloc/report.h"

#include "bloc/bloc.h"
#include "bloc/chart.h"
#include "bloc/render.h"
#include "../core/alloc.h"
#include "../data/hexmap_int.h"
#include "render_int.h"
#include "svg_int.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* No "<" or "&" in here: the report is also well-formed XML. */
static const char style[] =
    "body{font-family:sans-serif;margin:0 auto;max-width:1100px;padding:0 16px 48px;"
    "color:#222222;line-height:1.4}\n"
    "h1{margin-top:24px}h2{border-bottom:2px solid #DDDDDD;padding-bottom:4px;margin-top:40px}\n"
    "table{border-collapse:collapse;margin:8px 0 12px;font-size:14px}\n"
    "th,td{padding:3px 10px;border-bottom:1px solid #E5E5E5;text-align:left;"
    "vertical-align:top}\n"
    "th{background:#F4F4F4}.num{text-align:right;font-variant-numeric:tabular-nums}\n"
    "tbody tr:hover{background:#FAFAE8}\n"
    "details.meta{font-size:13px;color:#444444;margin-bottom:16px}\n"
    "details.meta dt{font-weight:bold;margin-top:4px}details.meta dd{margin-left:16px}\n"
    ".figures{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start}\n"
    "p.note,figcaption.note{color:#555555;font-size:14px}pre{background:#F6F6F6;padding:8px;"
    "white-space:pre-wrap;font-size:13px}\n"
    ".note,figcaption,pre,dd{overflow-wrap:anywhere}\n"
    "nav a{margin-right:12px}footer{margin-top:48px;color:#777777;font-size:13px}\n"
    ".scroll{overflow-x:auto}figure{margin:8px 0}\n"
    "svg{max-width:100%;height:auto;overflow:visible}\n";

static void text(bloc_buf *b, const char *tag, const char *s)
{
	bloc_buf_printf(b, "<%s>", tag);
	bloc_buf_put_xml(b, s);
	bloc_buf_printf(b, "</%s>\n", tag);
}

static void para(bloc_buf *b, const char *cls, const char *fmt, ...) BLOC_PRINTF(3, 4);
static void para(bloc_buf *b, const char *cls, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (cls)
		bloc_buf_printf(b, "<p class=\"%s\">", cls);
	else
		bloc_buf_puts(b, "<p>");
	bloc_buf_put_xml(b, buf);
	bloc_buf_puts(b, "</p>\n");
}

static void section(bloc_buf *b, const char *id, const char *title)
{
	bloc_buf_printf(b, "<section id=\"%s\">\n<h2>", id);
	bloc_buf_put_xml(b, title);
	bloc_buf_puts(b, "</h2>\n");
}

/* The table a render function made into *t (err: what it returned), then freed. *t is read
 * here, after the call: all arguments are evaluated before this function runs. A column with no
 * value in any row (an estimate's interval when it has none) is left out, and named under the
 * table; the table alone scrolls sideways when wider than the page, its notes wrap to the page. */
static int table(bloc_buf *b, bloc_table **t, int err)
{
	if (err == BLOC_OK)
		err = bloc__table_write_html_cols(*t, b, 1,
		                                  BLOC__HTML_DROP_EMPTY | BLOC__HTML_SCROLL);
	bloc_table_free(*t);
	*t = NULL;
	return err;
}

/* A hex map in a figure with a caption naming the layout. */
static int map_section(bloc_buf *b, const bloc_report *r, const bloc_map_layer *L, const char *id)
{
	bloc_map_options o = BLOC_MAP_OPTIONS_INIT;
	char line[512];
	int err;

	o.standalone = 0;
	o.id = id;
	o.hex_size = 9;
	bloc_buf_puts(b, "<figure>\n");
	if ((err = bloc_hexmap_svg(b, r->hexmap, r->contest, L, &o)) < 0)
		return err;
	snprintf(line, sizeof(line),
	         "Hex layout %s (%s, %s): %zu of the %zu seats placed%s. Hover over a hex for the "
	         "seat.",
	         r->hexmap->id, r->hexmap->source, bloc_hex_layout_name(r->hexmap->layout),
	         r->hexmap->matched, r->contest->nseats,
	         r->hexmap->ncorrected ? ", Scottish codes corrected" : "");
	bloc_buf_puts(b, "<figcaption class=\"note\">");
	bloc_buf_put_xml(b, line);
	bloc_buf_puts(b, "</figcaption>\n</figure>\n");
	return BLOC_OK;
}

/* ---- sections ------------------------------------------------------------------------------ */

static int result_section(bloc_buf *b, const bloc_report *r)
{
	const bloc_totals *t = r->totals;
	bloc_chart_options co = BLOC_CHART_OPTIONS_INIT;
	bloc_table *tab = NULL;
	int err;

	section(b, "result", "Result");
	if ((err = table(b, &tab, bloc_render_totals(&tab, r->contest, t, BLOC_BY_UK))) < 0)
		return err;
	co.standalone = 0;
	bloc_buf_puts(b, "<div class=\"figures\">\n");
	co.id = "chart-parliament";
	co.title = "Parliament";
	co.width = 520;
	if ((err = bloc_chart_parliament(b, t->nparties, t->parties, t->seats, &co)) < 0)
		return err;
	co.id = "chart-seats";
	co.title = "Seats won";
	co.width = 480;
	if ((err = bloc_chart_seats(b, t->nparties, t->parties, t->seats, &co)) < 0)
		return err;
	co.id = "chart-votes-seats";
	co.title = "Share of the vote and of the seats";
	co.width = 640;
	if ((err = bloc_chart_votes_seats(b, t->nparties, t->parties, t->share, t->seats, &co)) < 0)
		return err;
	bloc_buf_puts(b, "</div>\n</section>\n");
	return BLOC_OK;
}

static int map_winner_section(bloc_buf *b, const bloc_report *r)
{
	bloc_map_layer L = {0};
	int err;

	section(b, "map", "Map");
	if ((err = bloc_map_layer_winner(&L, r->contest, r->results)) < 0)
		return err;
	err = map_section(b, r, &L, "map-winner");
	bloc_map_layer_dispose(&L);
	bloc_buf_puts(b, "</section>\n");
	return err;
}

static int scenario_section(bloc_buf *b, const bloc_report *r)
{
	const bloc_projection *p = r->projection;
	bloc_chart_options co = BLOC_CHART_OPTIONS_INIT;
	bloc_map_layer L = {0};
	bloc_table *tab = NULL;
	char *json;
	int err;

	section(b, "scenario", "Scenario");
	para(b, "note",
	     "The projection of %s under the scenario below: %zu of %zu seats change hands. Every "
	     "assumption is listed under the table.",
	     r->contest->id, p->changed, p->nseats);
	if (!(json = bloc_scenario_to_json(r->scenario)))
		return bloc_error_oom("writing the scenario as JSON");
	text(b, "pre", json);
	free(json);
	if ((err = table(b, &tab,
	                 bloc_render_projection(&tab, r->contest, r->scenario, r->scenario_groups,
	                                        p, BLOC_VIEW_PARTY))) < 0)
		return err;
	co.standalone = 0;
	bloc_buf_puts(b, "<div class=\"figures\">\n");
	co.id = "chart-parliament-projected";
	co.title = "Projected parliament";
	co.width = 520;
	if ((err = bloc_chart_parliament(b, p->nparties, p->parties, p->seats, &co)) < 0)
		return err;
	co.id = "chart-votes-seats-projected";
	co.title = "Projected share of the vote and of the seats";
	co.width = 560;
	if ((err = bloc_chart_votes_seats(b, p->nparties, p->parties, p->national, p->seats, &co)) <
	    0)
		return err;
	bloc_buf_puts(b, "</div>\n");
	if (r->hexmap) {
		bloc_buf_puts(b, "<div class=\"figures\">\n");
		if ((err = bloc_map_layer_projected_winner(&L, r->contest, p)) < 0)
			return err;
		err = map_section(b, r, &L, "map-projected");
		bloc_map_layer_dispose(&L);
		if (err < 0)
			return err;
		if ((err = bloc_map_layer_change(&L, r->contest, p)) < 0)
			return err;
		err = map_section(b, r, &L, "map-change");
		bloc_map_layer_dispose(&L);
		if (err < 0)
			return err;
		bloc_buf_puts(b, "</div>\n");
	}
	text(b, "h3", "Seats changing hands");
	if (p->changed == 0)
		para(b, "note", "None.");
	else if ((err = table(b, &tab,
	                      bloc_render_projection(&tab, r->contest, r->scenario,
	                                             r->scenario_groups, p, BLOC_VIEW_CHANGES))) <
	         0)
		return err;
	bloc_buf_puts(b, "</section>\n");
	return BLOC_OK;
}

static int targets_section(bloc_buf *b, const bloc_report *r)
{
	size_t i, limit = r->target_limit ? r->target_limit : 20;
	bloc_table *tab = NULL;
	int err;

	section(b, "targets", "Target seats");
	para(b, "note",
	     "The seats each party came closest to winning, by the Butler swing it needs from "
	     "the holder (the first %zu).",
	     limit);
	for (i = 0; i < r->ntargets && i < 4; i++) {
		char h[160];
		snprintf(h, sizeof(h), "%s: the %zu closest targets",
		         bloc_party_name(r->target_party[i]), limit);
		text(b, "h3", h);
		if ((err = table(b, &tab,
		                 bloc_render_targets(&tab, r->contest, r->targets[i],
		                                     r->target_party[i], limit))) < 0)
			return err;
	}
	bloc_buf_puts(b, "</section>\n");
	return BLOC_OK;
}

static int power_section(bloc_buf *b, const bloc_report *r)
{
	const bloc_power *pw = r->power;
	char group[64];
	bloc_chart_options co = BLOC_CHART_OPTIONS_INIT;
	bloc_chart_bar *bars = NULL;
	bloc_map_layer L = {0};
	bloc_table *tab = NULL;
	size_t s, nb = 0;
	char title[160];
	int err = BLOC_OK;

	bloc__group_display(group, sizeof(group), r->power_group->group);
	section(b, "power", "Bloc power");
	para(b, "note",
	     "Where the %s vote, moving as a bloc, can decide the seat: %zu of the %zu seats with "
	     "census data (%s). A seat is decisive when 2 x cohesion x the group's voters exceeds "
	     "the majority; the table gives the share of the group that must switch "
	     "(flip_switch) or stay at home (flip_abstain) to overturn it.",
	     group, pw->ndecisive, pw->covered,
	     r->power_group->census ? r->power_group->census : "census");
	if (r->hexmap) {
		if ((err = bloc_map_layer_decisive(&L, r->contest, pw, group)) < 0)
			return err;
		err = map_section(b, r, &L, "map-decisive");
		bloc_map_layer_dispose(&L);
		if (err < 0)
			return err;
	}
	if (!(bars = bloc_calloc(pw->n ? pw->n : 1, sizeof(*bars))))
		return bloc_error_oom("drawing the report's power chart");
	for (s = 0; s < pw->n; s++) {
		if (!pw->decisive[s] || !isfinite(pw->ratio[s]))
			continue;
		bars[nb].label = r->contest->name[s];
		bars[nb].value = pw->ratio[s];
		bars[nb].colour =
		    pw->winner[s] != BLOC_PARTY_NONE ? bloc_party_colour(pw->winner[s]) : NULL;
		bars[nb].note =
		    pw->winner[s] != BLOC_PARTY_NONE ? bloc_party_code(pw->winner[s]) : NULL;
		nb++;
	}
	if (nb) {
		snprintf(title, sizeof(title), "The %zu seats where the %s bloc weighs most",
		         nb < 20 ? nb : (size_t)20, group);
		co.standalone = 0;
		co.id = "chart-power";
		co.title = title;
		co.x_label = "ratio 2 x cohesion x group voters / majority; the bar in the colour "
		             "of the winner";
		co.width = 720;
		if ((err = bloc_chart_ranked(b, nb, bars, &co)) < 0)
			goto done;
	}
	text(b, "h3", "Decisive seats");
	if ((err = table(b, &tab,
	                 bloc_render_power(&tab, r->contest, r->power_group, r->power_options, pw,
	                                   BLOC_POWER_VIEW_DECISIVE))) < 0)
		goto done;
	bloc_buf_puts(b, "</section>\n");
done:
	bloc_free(bars);
	return err;
}

/* The forecast: seat distributions, the probability map and the table with its assumptions. */
static int forecast_section(bloc_buf *b, const bloc_report *r)
{
	int err;

	section(b, "forecast", "Forecast");
	para(b, "note",
	     "Seats over many simulated elections around a projection to the poll average: "
	     "national, regional, census-factor and seat errors drawn together (bloc forecast; "
	     "the table's notes give the polls, every error scale and the seed).");
	if (r->forecast_chart) {
		bloc_buf_puts(b, "<figure>\n");
		bloc_buf_puts(b, r->forecast_chart);
		bloc_buf_puts(b, "</figure>\n");
	}
	if (r->forecast_map) {
		bloc_buf_puts(b, "<figure>\n");
		bloc_buf_puts(b, r->forecast_map);
		bloc_buf_puts(b, "</figure>\n");
	}
	if ((err = bloc__table_write_html_cols(r->forecast, b, 1,
	                                       BLOC__HTML_DROP_EMPTY | BLOC__HTML_SCROLL)) < 0)
		return err;
	bloc_buf_puts(b, "</section>\n");
	return BLOC_OK;
}

/* A simulated by-election: the replicates' shares, and the table with every parameter. */
static int simulation_section(bloc_buf *b, const bloc_report *r)
{
	int err;

	section(b, "simulation", "A simulated by-election");
	para(b, "note",
	     "A synthetic electorate of the seat (households, kinship clusters with brokers, "
	     "friendship ties) run through the campaigns, word of mouth, social influence, "
	     "turnout and the vote, many times (bloc simulate; the table's notes give every "
	     "parameter and the seed). The parameters are calibrated on one by-election: read "
	     "the shares as what the model implies, not as a forecast.");
	if (r->simulation_chart) {
		bloc_buf_puts(b, "<figure>\n");
		bloc_buf_puts(b, r->simulation_chart);
		bloc_buf_puts(b, "</figure>\n");
	}
	if ((err = bloc__table_write_html_cols(r->simulation, b, 1,
	                                       BLOC__HTML_DROP_EMPTY | BLOC__HTML_SCROLL)) < 0)
		return err;
	bloc_buf_puts(b, "</section>\n");
	return BLOC_OK;
}

/* How the group voted: the EI table beside the bounds, and what no method can see. */
static int ei_section(bloc_buf *b, const bloc_report *r)
{
	bloc_table *tab = NULL;
	int err;

	section(b, "ei", "How the group voted");
	para(b, "note",
	     "Estimated share of each group's votes for each party, from the results and the "
	     "census alone (ecological inference, %zu seats; group counts are census shares of "
	     "residents times valid votes). bound_lo and bound_hi are the Duncan-Davis bounds: "
	     "what the results allow whatever anyone assumes.",
	     r->ei_input->n);
	if (strcmp(r->ei->method, "goodman-bounded") == 0)
		para(b, "note",
		     "Estimator shown: bounded Goodman (method goodman-bounded). Goodman's "
		     "regression "
		     "estimate is clipped to each seat's bounds and averaged over the seats, "
		     "weighted "
		     "by the group's votes, so every estimate lies within the bounds and inside 0 "
		     "to 1; it comes with no interval, so the table has no interval columns (the "
		     "bounds bound_lo and bound_hi are what the results allow). Goodman's own "
		     "estimate can leave 0 to 1: bloc ei %s --groups %s.",
		     r->contest->id, r->power_group ? r->power_group->group : "GROUP");
	else
		para(b, "note", "Estimator shown: %s.", r->ei->method);
	para(b, "note",
	     "Caveat: aggregation bias (a group voting differently where it is more numerous) "
	     "cannot be detected from aggregate data. For the Bayesian estimate with intervals: "
	     "bloc ei %s --groups %s --method rxc.",
	     r->contest->id, r->power_group ? r->power_group->group : "GROUP");
	if ((err = table(b, &tab, bloc_render_ei(&tab, r->ei_input, r->ei, r->ei_bounds, 0))) < 0)
		return err;
	bloc_buf_puts(b, "</section>\n");
	return BLOC_OK;
}

/* Write the character sequence "://" as ":&#47;&#47;": the report links to nothing, and no
 * text in it (a source named by URL, say) can turn into a reference. */
static int defang(bloc_buf *out, const bloc_buf *doc)
{
	const char *p = bloc_buf_cstr(doc), *hit;

	while ((hit = strstr(p, "://")) != NULL) {
		bloc_buf_put(out, p, (size_t)(hit - p));
		bloc_buf_puts(out, ":&#47;&#47;");
		p = hit + 3;
	}
	bloc_buf_puts(out, p);
	return bloc__doc_check(out, "writing the report");
}

void bloc_report_init(bloc_report *r)
{
	memset(r, 0, sizeof(*r));
	r->version = BLOC_REPORT_VERSION;
}

int bloc_report_html(bloc_buf *out, const bloc_report *r)
{
	const bloc_contest *c = r->contest;
	bloc_buf doc = BLOC_BUF_INIT;
	int err = BLOC_OK;

	if (!c || !r->results || !r->totals)
		return bloc_error_set(BLOC_EINVAL,
		                      "report: contest, results and totals are needed");
	if (r->results->n != c->nseats || (r->hexmap && !bloc__hexmap_aligned(r->hexmap, c)) ||
	    (r->projection && (r->projection->nseats != c->nseats || !r->scenario)) ||
	    (r->power && (r->power->n != c->nseats || !r->power_group || !r->power_options)) ||
	    (r->ei && (!r->ei_input || !r->ei_bounds)))
		return bloc_error_set(BLOC_EINVAL, "report: a part is not of contest %s", c->id);
	bloc_buf_puts(&doc, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta "
	                    "charset=\"utf-8\"/>\n<meta name=\"viewport\" "
	                    "content=\"width=device-width, initial-scale=1\"/>\n<title>");
	bloc_buf_puts(&doc, "bloc report: ");
	bloc_buf_put_xml(&doc, c->id);
	bloc_buf_printf(&doc, "</title>\n<style>\n%s</style>\n</head>\n<body>\n", style);
	bloc_buf_puts(&doc, "<header>\n<h1>");
	bloc_buf_put_xml(&doc, c->id);
	if (c->date && *c->date) {
		bloc_buf_puts(&doc, ", ");
		bloc_buf_put_xml(&doc, c->date);
	}
	bloc_buf_puts(&doc, "</h1>\n");
	para(&doc, "note", "%zu seats. Source: %s.", c->nseats, r->source ? r->source : c->source);
	if (r->data_note)
		para(&doc, "note", "%s", r->data_note);
	bloc_buf_puts(&doc, "<nav><a href=\"#result\">Result</a>");
	if (r->hexmap)
		bloc_buf_puts(&doc, "<a href=\"#map\">Map</a>");
	if (r->projection)
		bloc_buf_puts(&doc, "<a href=\"#scenario\">Scenario</a>");
	if (r->ntargets)
		bloc_buf_puts(&doc, "<a href=\"#targets\">Targets</a>");
	if (r->power)
		bloc_buf_puts(&doc, "<a href=\"#power\">Bloc power</a>");
	if (r->ei)
		bloc_buf_puts(&doc, "<a href=\"#ei\">How the group voted</a>");
	if (r->forecast)
		bloc_buf_puts(&doc, "<a href=\"#forecast\">Forecast</a>");
	if (r->simulation)
		bloc_buf_puts(&doc, "<a href=\"#simulation\">Simulated by-election</a>");
	bloc_buf_puts(&doc, "</nav>\n</header>\n<main>\n");
	if ((err = result_section(&doc, r)) < 0)
		goto done;
	if (r->hexmap && (err = map_winner_section(&doc, r)) < 0)
		goto done;
	if (r->projection && (err = scenario_section(&doc, r)) < 0)
		goto done;
	if (r->ntargets && (err = targets_section(&doc, r)) < 0)
		goto done;
	if (r->power && (err = power_section(&doc, r)) < 0)
		goto done;
	if (r->ei && (err = ei_section(&doc, r)) < 0)
		goto done;
	if (r->forecast && (err = forecast_section(&doc, r)) < 0)
		goto done;
	if (r->simulation && (err = simulation_section(&doc, r)) < 0)
		goto done;
	bloc_buf_puts(&doc, "</main>\n<footer>");
	bloc_buf_puts(&doc, "Made by bloc ");
	bloc_buf_put_xml(&doc, bloc_version());
	bloc_buf_puts(&doc, ". Every figure comes from the files named above; the same inputs give "
	                    "the same report.</footer>\n</body>\n</html>\n");
	if ((err = bloc__doc_check(&doc, "writing the report")) < 0)
		goto done;
	err = defang(out, &doc);
done:
	bloc_buf_dispose(&doc);
	return err;
}
