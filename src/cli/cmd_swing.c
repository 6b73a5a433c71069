/* bloc swing: Butler and Steed swing between two contests, or a contest and the one before it
 * in the catalogue. */
#include "cli.h"

static const struct cli_option swing_options[] = {
    {"pair", 0, "A,B", "the two parties (codes or names); positive swing is towards B"},
    {"nation", 0, "LIST", "only seats in these nations (comma-separated)"},
    {"region", 0, "LIST", "only seats in these regions (comma-separated)"},
    CLI_OPTIONS_END};

static const char *const swing_pos[] = {"from", "to"};

const struct cli_command cli_cmd_swing = {
    .name = "swing",
    .query = "swing",
    .summary = "Butler and Steed swing between two contests, seat by seat",
    .args = "FROM [TO]",
    .min_pos = 1,
    .max_pos = 2,
    .pos_keys = swing_pos,
    .opts = swing_options,
    .arguments =
        "  FROM, TO  contests (catalogue ids or files); seats are matched by ONS code. Contests "
        "on\n"
        "            different boundaries are compared through the notional result (ge2019 with\n"
        "            ge2024 uses ge2019-notional-2023). With FROM alone, it is compared with\n"
        "            the contest before it that the catalogue records (CATALOG.csv column\n"
        "            'previous'), else the latest general election (or notional result) on\n"
        "            the same boundaries dated before it: ge2024 with ge2019-notional-2023,\n"
        "            ge2019 with ge2017, by2012-bradford-west with the 2010 result,\n"
        "            by2017-2019 (by-elections on several days: dated by the first) with ge2017.\n"
        "            The metadata's from and note say which contest was used and why.\n",
    .details =
        "Columns: code,name,winner_from,winner_to,butler,steed,a_from,a_to,b_from,b_to, then a\n"
        "row with code TOTAL over all shared seats (from summed votes). Butler swing:\n"
        "((b_to-b_from) - (a_to-a_from)) / 2 in shares of all votes; Steed swing: the change in\n"
        "B's share of the A+B vote. Both in points, positive towards B.\n"
        "\nCandidates are people: seat by seat, a party's share is its leading candidate's, never\n"
        "a sum of its candidates (the TOTAL row adds up votes by party). IND is an independent:\n"
        "in TO, the seat's leading independent; in FROM, the independent of the same name (case\n"
        "and spaces aside; unnamed candidates, as in notional results, match none), else none,\n"
        "so a new independent starts from 0; where no independent stood in TO, FROM's leading\n"
        "one. OTH likewise. The metadata's independents line says so.\n"
        "\nExamples:\n  bloc swing ge2019 ge2024 --pair CON,LAB --nation England,Wales\n"
        "  bloc swing ge2024 --pair CON,LAB\n"
        "  bloc swing by2012-bradford-west --pair LAB,RES\n"};
