/* bloc elections: the data directory's catalogue. */
#include "cli.h"

const struct cli_command cli_cmd_elections = {
    .name = "elections",
    .query = "elections",
    .summary = "List the elections and other data sets in the data directory",
    .args = "",
    .min_pos = 0,
    .max_pos = 0,
    .opts = cli_no_options,
    .arguments = "",
    .details =
        "Columns: id,kind,date,boundaries,format,contest,path (contest: yes if it loads as a\n"
        "contest, that is, can be given as CONTEST to the other commands).\n"};
