/* bloc export: a contest as bloc's canonical long CSV. */
#include "cli.h"

static const char *const export_pos[] = {"contest"};

/* The canonical format is CSV, whatever --format says. */
static int prepare_csv(struct cli_ctx *ctx)
{
	if (ctx->format_given && ctx->format != BLOC_FORMAT_CSV)
		return bloc_error_set(BLOC_EUSAGE,
		                      "the canonical format is CSV; --format %s is not available",
		                      bloc_format_name(ctx->format));
	return BLOC_OK;
}

const struct cli_command cli_cmd_export = {
    .name = "export",
    .query = "export",
    .summary = "Write a contest as bloc's canonical long CSV, one row per candidate",
    .args = "CONTEST",
    .min_pos = 1,
    .max_pos = 1,
    .pos_keys = export_pos,
    .opts = cli_no_options,
    .arguments = CONTEST_ARG,
    .details =
        "Columns: "
        "contest,date,seat_code,seat_name,region,nation,electorate,party,candidate,votes,\n"
        "invalid_votes,party_label. Any loader's input can be exported; the file loads back.\n"
        "\nExample:\n  bloc export ge2019 -o ge2019.csv\n",
    .prepare = prepare_csv};
