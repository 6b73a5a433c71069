/* bloc report: one self-contained HTML file of a contest, with a scenario and a group's bloc
 * power when asked. */
#include "cli.h"

static const struct cli_option report_options[] = {
    {"group", 0, "NAME",
     "add the bloc power of census group NAME (muslim, hindu, ...); a value GROUP:LIST is a "
     "group shift of the scenario instead, as in bloc project"},
    {"polls", 0, "ID|FILE",
     "add a forecast section: bloc forecast CONTEST --polls ID (its party table, seat "
     "distributions and probability map)"},
    {"date", 0, "YYYY-MM-DD", "with --polls: the forecast's day (default: the newest poll's)"},
    {"sims", 0, "N", "with --polls: simulations (default 10000)"},
    {"seed", 0, "S", "with --polls or --simulate: random seed (default 1)"},
    {"simulate", 0, "SEAT",
     "add a simulated by-election in SEAT: bloc simulate SEAT CONTEST (its chart and table)"},
    {"strategy", 0, "LIST", "with --simulate: the campaigns, PARTY=none|broker|doorstep|both,..."},
    {"simulate-stand", 0, "PARTY,...", "with --simulate: new candidates"},
    {"replicates", 0, "N", "with --simulate: replicates (default 100)"},
    CLI_PROJECT_FIRST_OPTIONS,
    CLI_OPTIONS_END};

static const char *const report_pos[] = {"contest", "scenario"};

static int prepare_html(struct cli_ctx *ctx)
{
	return cli_refuse_format(ctx, "HTML");
}

const struct cli_command cli_cmd_report = {
    .name = "report",
    .query = "report",
    .summary = "Write one self-contained HTML report: tables, hex maps and charts",
    .args = "CONTEST [SCENARIO]",
    .min_pos = 1,
    .max_pos = 2,
    .pos_keys = report_pos,
    .opts = report_options,
    .arguments = CONTEST_ARG "  SCENARIO  a scenario file (JSON) as in bloc project\n",
    .details =
        "Writes one HTML file with everything inline (styles and SVG; no script, font or link\n"
        "to anything outside it): the result per party, the parliament, seats and votes\n"
        "against seats, the hex map of winners; with scenario flags the projection, the\n"
        "projected parliament and map, and the seats changing hands; the 20 closest targets\n"
        "of the two largest parties; with --group NAME the bloc power of that census group\n"
        "(decisive seats: map, ranking and table, with bloc power's defaults).\n"
        "\nExamples:\n"
        "  bloc report ge2024 -o report.html\n"
        "  bloc report ge2024 --group muslim -o report.html\n"
        "  bloc report ge2024 --shares LAB=30,CON=22,REF=20 -o scenario.html\n"
        "  bloc report ge2019-notional-2023 --polls polls-ge2024-final -o forecast.html\n",
    .prepare = prepare_html};
