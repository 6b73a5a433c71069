/* bloc results and bloc seat: a contest's results per party, per seat, or in one seat. */
#include "cli.h"

static const struct cli_option results_options[] = {
    {"by", 0, "GROUP",
     "uk (default): one row per party; nation or region: per party in each group; seat: one "
     "row per seat"},
    CLI_OPTIONS_END};

static const char *const results_pos[] = {"contest"};

const struct cli_command cli_cmd_results = {
    .name = "results",
    .query = "results",
    .summary = "Seats, votes and vote shares per party",
    .args = "CONTEST",
    .min_pos = 1,
    .max_pos = 1,
    .pos_keys = results_pos,
    .opts = results_options,
    .arguments = CONTEST_ARG,
    .details =
        "Columns: party,seats,votes,share (share in % of valid votes), "
        "by seats then votes;\n"
        "with --by nation or --by region a first column names the group; with --by seat:\n"
        "code,name,region,nation,electorate,valid_votes,turnout,winner,second,majority,\n"
        "majority_pct,winner_candidate (winner and second are party codes).\n"
        "\nExamples:\n  bloc results ge2019\n  bloc results ge2024 --by nation --format csv\n"};

static const char *const seat_pos[] = {"contest", "seat"};

const struct cli_command cli_cmd_seat = {
    .name = "seat",
    .query = "seat",
    .summary = "The candidates in one seat, with the winner, majority and turnout",
    .args = "CONTEST SEAT",
    .min_pos = 2,
    .max_pos = 2,
    .pos_keys = seat_pos,
    .opts = cli_no_options,
    .arguments = CONTEST_ARG
    "  SEAT      the seat's ONS code (E14000548) or its name, in any case (\"batley and spen\");\n"
    "            an unknown name suggests up to three of the closest names\n",
    .details = "Columns: name,party,votes,share,label (label: the party as written in the file).\n"
               "\nExample:\n  bloc seat ge2019 \"Batley and Spen\"\n"};
