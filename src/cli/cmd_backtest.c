/* bloc backtest: project an earlier contest with a later one's actual shares and count the seats
 * the model gets wrong. */
#include "cli.h"

static const struct cli_option backtest_options[] = {
    {"model", 0, "MODEL", "uniform (default), proportional, transition or strong"},
    {"by", 0, "LEVEL",
     "where TO's actual shares are taken: uk, gb (default; Northern Ireland left out), "
     "nation or region"},
    {"threshold", 0, "T", "strong-transition threshold, a fraction of turnout (default 0.2)"},
    {"wrong", 0, NULL, "list the seats the model gets wrong instead"},
    CLI_OPTIONS_END};

static const char *const backtest_pos[] = {"from", "to"};

const struct cli_command cli_cmd_backtest = {
    .name = "backtest",
    .query = "backtest",
    .summary =
        "Project an earlier contest with a later one's actual shares and count the wrong seats",
    .args = "FROM TO",
    .min_pos = 2,
    .max_pos = 2,
    .pos_keys = backtest_pos,
    .opts = backtest_options,
    .arguments =
        "  FROM, TO  contests (catalogue ids or files); seats are matched by ONS code. Contests "
        "on\n"
        "            different boundaries are compared through the notional result (ge2019 with\n"
        "            ge2024 uses ge2019-notional-2023).\n",
    .details =
        "Columns: metric,value (values as text). Rows: seats_wrong (seats whose projected winner\n"
        "is not the actual one), seats (seats compared), share_mae (mean |projected - actual|\n"
        "seat share in points, over the parties with 1% or more of the vote), then for each\n"
        "party that won or was projected a seat, or whose seat shares were off by 0.5 points or\n"
        "more on average, by actual seats: seats_projected:P, seats_actual:P, seat_error:P\n"
        "(projected minus actual) and share_mae:P. With --wrong:\n"
        "code,name,region,projected,actual for each wrong seat.\n"
        "\nExamples:\n"
        "  bloc backtest ge2017 ge2019 --model uniform --by gb --format csv\n"
        "  bloc backtest ge2017 ge2019 --model strong --by region --wrong\n"};
