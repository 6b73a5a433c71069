/* bloc targets: the seats a party did not win, by the swing it needs. */
#include "cli.h"

static const struct cli_option targets_options[] = {
    {"limit", 0, "N", "show the first N targets only"}, CLI_OPTIONS_END};

static const char *const targets_pos[] = {"contest", "party"};

const struct cli_command cli_cmd_targets = {
    .name = "targets",
    .query = "targets",
    .summary = "The seats a party did not win, by the swing it needs to win them",
    .args = "CONTEST PARTY",
    .min_pos = 2,
    .max_pos = 2,
    .pos_keys = targets_pos,
    .opts = targets_options,
    .arguments = CONTEST_ARG "  PARTY     a party code or name (LAB, \"Lab Co-op\", Reform)\n",
    .details =
        "Columns: rank,code,name,holder,swing_needed,party_share,holder_share (swing_needed:\n"
        "the Butler swing from the holder, in points, smallest first).\n"
        "\nCandidates are people: holder_share is the winner's share and party_share that of\n"
        "PARTY's leading candidate in the seat, never a sum of its candidates. For IND it is the\n"
        "seat's leading independent (two independents are two candidates), for OTH the leading\n"
        "other candidate; a lump of \"all other candidates\" is no candidate.\n"
        "\nExample:\n  bloc targets ge2019 LAB --limit 10\n"};
