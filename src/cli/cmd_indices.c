/* bloc indices: disproportionality, fragmentation and wasted votes. */
#include "cli.h"

static const struct cli_option indices_options[] = {
    {"wasted", 0, NULL, "show wasted votes per party instead of the indices"}, CLI_OPTIONS_END};

static const char *const indices_pos[] = {"contest"};

const struct cli_command cli_cmd_indices = {
    .name = "indices",
    .query = "indices",
    .summary =
        "Disproportionality and fragmentation: Gallagher, Loosemore-Hanby, effective parties",
    .args = "CONTEST",
    .min_pos = 1,
    .max_pos = 1,
    .pos_keys = indices_pos,
    .opts = indices_options,
    .arguments = CONTEST_ARG,
    .details =
        "Columns: index,value with rows gallagher, loosemore_hanby (both in points),\n"
        "enp_votes and enp_seats (Laakso-Taagepera). With --wasted: party,wasted,wasted_pct\n"
        "and a TOTAL row (wasted: votes for losers, and a winner's votes beyond the runner-up's\n"
        "+ 1).\n"
        "\nExample:\n  bloc indices ge2024 --format csv\n"};
