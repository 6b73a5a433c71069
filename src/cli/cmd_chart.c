/* bloc chart: one chart of a contest (or its projection) as SVG. */
#include "cli.h"

static const struct cli_option chart_options[] = {
    {"type", 0, "TYPE", "seats (default), parliament, votes-seats, swing:FROM or majority"},
    CLI_PICTURE_OPTIONS,
    CLI_OPTIONS_END};

static const char *const chart_pos[] = {"contest", "scenario"};

const struct cli_command cli_cmd_chart = {
    .name = "chart",
    .query = "chart",
    .summary = "Draw a chart of a contest as SVG: seats, parliament, votes and seats, swing",
    .args = "CONTEST [SCENARIO]",
    .min_pos = 1,
    .max_pos = 2,
    .pos_keys = chart_pos,
    .opts = chart_options,
    .arguments = CONTEST_ARG "  SCENARIO  a scenario file (JSON) as in bloc project\n",
    .details =
        "Writes one SVG.\n"
        "\n--type:\n"
        "  seats          seats per party as bars, largest first\n"
        "  parliament     a hemicycle of one dot per seat, parties in blocks, the majority line\n"
        "  votes-seats    each party's share of the vote beside its share of the seats\n"
        "  swing:FROM     Butler swing from FROM between --pair A,B, one bar per seat, sorted,\n"
        "                 in the colour of the winner; the overall swing marked\n"
        "  majority       a histogram of the seats' majorities (points)\n"
        "With scenario flags, seats, parliament, votes-seats and majority show the projection.\n"
        "\nExamples:\n"
        "  bloc chart ge2024 --type parliament -o parliament.svg\n"
        "  bloc chart ge2024 --type swing:ge2019 --pair CON,LAB -o swing.svg\n"
        "  bloc chart ge2024 --type seats --shares LAB=30,REF=22 -o seats.svg\n",
    .prepare = cli_refuse_format_svg};
