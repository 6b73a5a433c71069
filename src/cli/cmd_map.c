/* bloc map: a hex map of a contest's seats as SVG, coloured by winner, a party's share, swing,
 * change of hands under a scenario, a census group's share, or bloc decisiveness. */
#include "cli.h"

static const struct cli_option map_options[] = {
    {"colour", 0, "MODE",
     "winner (default), share:PARTY, swing:FROM, change, group:NAME or decisive:NAME"},
    CLI_PICTURE_OPTIONS,
    CLI_OPTIONS_END};

static const char *const map_pos[] = {"contest", "scenario"};

const struct cli_command cli_cmd_map = {
    .name = "map",
    .query = "map",
    .summary = "Draw a hex map of a contest's seats as SVG",
    .args = "CONTEST [SCENARIO]",
    .min_pos = 1,
    .max_pos = 2,
    .pos_keys = map_pos,
    .opts = map_options,
    .arguments = CONTEST_ARG
    "  SCENARIO  a scenario file (JSON) as in bloc project; with --colour winner, share or\n"
    "            change the map shows the projection\n",
    .details =
        "Writes one SVG: a hex per seat (the catalogued HexJSON layout covering the contest:\n"
        "hex2023 with the 5 Scottish code corrections for 2024 boundaries, hex2010 for\n"
        "2010-2019), each a <path class=\"hex\"> with data-code, data-party and a tooltip\n"
        "\"Seat (CODE): LAB 45.2%\"; region and country boundaries from the layout; a legend.\n"
        "Seats without a hex are listed on stderr and under the map.\n"
        "\n--colour:\n"
        "  winner         the winner's party colour (the projected winner with a scenario)\n"
        "  share:PARTY    the party's vote share in 10-point classes of its colour\n"
        "  swing:FROM     Butler swing from contest FROM between --pair A,B, diverging from\n"
        "                 A's colour to B's (contests on other boundaries via the notional)\n"
        "  change         seats changing hands under the scenario flags: the gainer's colour,\n"
        "                 a pale tint of the holder's where nothing changes\n"
        "  group:NAME     a census group's share of residents (bloc power's groups)\n"
        "  decisive:NAME  bloc power of the group: the ratio 2 x cohesion x its voters /\n"
        "                 majority, decisive above 1 (defaults of bloc power)\n"
        "Scenario flags go with winner, share and change only.\n"
        "\nExamples:\n"
        "  bloc map ge2024 -o ge2024.svg\n"
        "  bloc map ge2024 --colour share:REF -o reform.svg\n"
        "  bloc map ge2024 --colour swing:ge2019 --pair CON,LAB -o swing.svg\n"
        "  bloc map ge2019 --colour change --shares LAB=30 -o change.svg\n"
        "  bloc map ge2024 --colour decisive:muslim -o decisive.svg\n",
    .prepare = cli_refuse_format_svg};
