/* bloc — one self-contained HTML report of a contest: tables, hex maps and charts inline (CSS
 * and SVG in the file; no script, no font, no link to anything outside it). The report renders
 * results the caller computed; it computes none. */
#ifndef BLOC_REPORT_H
#define BLOC_REPORT_H

#include <stddef.h>

#include "analysis.h"
#include "buf.h"
#include "contest.h"
#include "ei.h"
#include "groups.h"
#include "hexmap.h"
#include "power.h"
#include "project.h"
#include "render.h"

#ifdef __cplusplus
extern "C" {
#endif

#define BLOC_REPORT_VERSION 1

/** What goes into a report. Only contest, results and totals are required; every other part
 * is left out when NULL. */
typedef struct {
	unsigned version;
	const bloc_contest *contest;
	const bloc_seat_results *results; /* of contest */
	const bloc_totals *totals;        /* of contest, BLOC_BY_UK */
	const char *source;    /* the contest's file(s) as shown; NULL = contest->source */
	const char *data_note; /* one line about the data (the directory), or NULL */

	const bloc_hexmap *hexmap; /* aligned to contest */

	/* a scenario and its projection of contest */
	const bloc_scenario *scenario;
	const bloc_projection *projection;
	const bloc_group_shares *scenario_groups; /* scenario->ngroups entries, or NULL */

	/* target lists (each limited to `target_limit` rows, 0 = 20) */
	size_t ntargets;
	const bloc_targets *targets[4];
	bloc_party target_party[4];
	size_t target_limit;

	/* bloc power of one census group */
	const bloc_group_shares *power_group;
	const bloc_power_options *power_options;
	const bloc_power *power;

	/* how that group voted: an EI estimate of ei_input (the group and the rest of each seat)
	 * with its bounds; shown after bloc power, with the aggregation-bias caveat */
	const bloc_ei_input *ei_input;
	const bloc_ei_view *ei;
	const bloc_ei_bounds *ei_bounds;

	/* a forecast of contest (bloc forecast): its party table (with its metadata) and its
	 * seat-distribution chart and probability map as SVG fragments */
	const bloc_table *forecast;
	const char *forecast_chart, *forecast_map;

	/* a simulated by-election in one seat of contest (bloc simulate): its candidate table (with
	 * its metadata) and its chart of the replicates' shares as an SVG fragment */
	const bloc_table *simulation;
	const char *simulation_chart;
} bloc_report;

/** Zero every part and set the version. */
void bloc_report_init(bloc_report *r);

/**
 * Append the report as one HTML5 document that is also well-formed XML (checkable with
 * `xmllint --noout`). Sections: the result (party table, parliament, seats, votes against
 * seats), the hex map, the scenario (its JSON, the projection, the projected parliament and
 * map, the seats changing hands), the target lists, bloc power (decisive seats: map,
 * ranking and table) and how the group voted (the EI estimate with the Duncan-Davis bounds and
 * the caveat that aggregation bias cannot be detected from aggregate data), and the forecast
 * (its party table with every assumption, the seat distributions and the probability map), and a
 * simulated by-election (its chart of the replicates' shares and its candidate table). No
 * character sequence
 * "://" appears in it (a URL in any text is written with its slashes as character references), so
 * it references nothing outside itself. Same input, same bytes.
 * @return BLOC_OK, BLOC_EINVAL (a part is not of the contest), BLOC_ENOMEM.
 */
int bloc_report_html(bloc_buf *out, const bloc_report *r);

#ifdef __cplusplus
}
#endif
#endif
