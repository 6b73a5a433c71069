/* bloc forecast: polls in, probabilities out (a Monte Carlo around a projection of BASE). */
#include "cli.h"

static const struct cli_option forecast_options[] = {
    {"polls", 0, "ID|FILE",
     "the polls: pollbase (Con/Lab/LD 1945-2021), polls-ge2024-final, or a CSV with "
     "pollster, end (or fieldwork_end) and one column per party"},
    {"date", 0, "YYYY-MM-DD",
     "the forecast's day: polls ending on or before it (default: the newest poll's end)"},
    {"window", 0, "DAYS", "polls ending in the last DAYS days count (default 7)"},
    {"halflife", 0, "DAYS",
     "a poll's weight halves every DAYS days before the date (default 7; "
     "0: no recency weighting)"},
    {"house-effects", 0, NULL,
     "correct each pollster by its house effect over the last 90 days (centred)"},
    {"history", 0, "ID|FILE",
     "the polls whose final-poll errors set the national error scale (default pollbase)"},
    {"shares", 0, "LIST", "GB shares in points over the poll average: REF=14,GRN=7"},
    {"swing", 0, "LIST", "national Butler swing on top, as bloc project"},
    {"region", 0, "AREA:LIST", "target shares in a nation or region, as bloc project"},
    {"group", 0, "GROUP:LIST", "a census group's change in support, as bloc project"},
    {"stand", 0, "PARTY@SEATS", "a new candidate in each seat listed, as bloc project"},
    {"baseline", 0, "HOW", "how the group voted in the base, as bloc project"},
    {"hold-shares", 0, "yes|no|TOL", "hold the shares set, as bloc project (default yes)"},
    {"model", 0, "MODEL",
     "the central projection's model: uniform (default), proportional, "
     "transition or strong"},
    {"threshold", 0, "T", "strong-transition threshold (default 0.2)"},
    {"adult-ratio", 0, "R", "a group shift's adults per resident (default 1)"},
    {"turnout-ratio", 0, "R", "a group shift's turnout relative to the seat's (default 1)"},
    {"sims", 0, "N", "simulated elections (default 40000)"},
    {"seed", 0, "S", "random seed (default 1); echoed in the metadata"},
    {"threads", 0, "T", "threads (default 1; the same figures for any number)"},
    {"df", 0, "DF", "national errors' Student-t degrees of freedom (default 5; 0: normal)"},
    {"seat-df", 0, "DF", "seat noise's Student-t degrees of freedom (default 5; 0: normal)"},
    {"seat-sd", 0, "POINTS", "seat noise SD for a party at 35% (default: calibrated, else 3.5)"},
    {"region-sd", 0, "POINTS",
     "regional error SD, every region (default: calibrated, else 2, "
     "Scotland 5)"},
    {"error-scale", 0, "X", "multiply every error scale by X (default 1)"},
    {"factors", 0, "LIST",
     "census groups whose share moves seats together (default muslim; "
     "none)"},
    {"calibrate", 0, "auto|none|A:B",
     "the past pair of contests the seat, region and factor scales are measured on (default "
     "auto: the latest pair on the same boundaries before the date)"},
    {"given", 0, "SEAT=PARTY,...",
     "only the simulations where each seat listed goes to that party: what else falls?"},
    {"actual", 0, "CONTEST", "score the forecast against this result (a backtest)"},
    {"compare", 0, "ID|FILE",
     "published seat projections to set beside the forecast (mrp-ge2024-final, or a CSV: "
     "pollster, party seat columns, <party>_low/_high)"},
    {"by-election", 0, "SEAT",
     "forecast a by-election in SEAT of BASE (its last general election): the record of "
     "by-election changes since 1945 as the prior (no polls needed)"},
    {"changes", 0, "ID", "the by-election record (default by1945-2019-changes)"},
    {"by", 0, "VIEW",
     "party (default), seat, history (the final-poll errors), spec (the model's inputs as "
     "JSON), map (the favourite in each seat, shaded by its probability, SVG) or chart (each "
     "party's seat distribution, SVG)"},
    CLI_OPTIONS_END};

static const char *const forecast_pos[] = {"base"};

const struct cli_command cli_cmd_forecast = {
    .name = "forecast",
    .query = "forecast",
    .summary = "Seat probabilities and seat distributions from polls (Monte Carlo)",
    .args = "BASE",
    .min_pos = 1,
    .max_pos = 1,
    .pos_keys = forecast_pos,
    .opts = forecast_options,
    .arguments = "  BASE      the contest to project from (a catalogue id or results file)\n",
    .details =
        "Columns (--by party): party,median,mean,lo50,hi50,lo80,hi80,lo90,hi90,p_majority,\n"
        "p_largest (seats, over the simulations), share_poll (the poll average), share_median,\n"
        "share_lo90, share_hi90 (national share, points), projection (the deterministic\n"
        "projection's seats), base. --by seat: code,name,winner_base,favourite,p_favourite,\n"
        "class, p_<PARTY> per party, fav_share,fav_lo90,fav_hi90 (the favourite's share,\n"
        "points), p_tipping.\n"
        "\nThe model (docs/forecast.md): the poll average sets GB shares (parties the polls do\n"
        "not cover share the rest in proportion to their base shares) and BASE is projected\n"
        "to them; each simulation then adds, on the log scale of each party's share, a\n"
        "national error (Student-t; Con, Lab and LD scaled by the final-poll errors of every\n"
        "general election before the date in PollBase, other parties by the Dirichlet rule),\n"
        "a regional error (correlated by the regions' past departures from uniform swing), a\n"
        "census factor (seats move together by their Muslim share) and seat noise, and takes\n"
        "the softmax over each seat's candidates. The metadata gives the poll average, every\n"
        "scale, the calibration pair, the seed and the simulations per second.\n"
        "Simulation i draws from stream i of the seed: the same seed gives the same output\n"
        "for any --threads and any number of MPI ranks (mpirun -np N bloc forecast ...).\n"
        "\nExamples:\n"
        "  bloc forecast ge2019-notional-2023 --polls polls-ge2024-final --date 2024-07-03\n"
        "  bloc forecast ge2019-notional-2023 --polls polls-ge2024-final --actual ge2024\n"
        "  bloc forecast ge2017 --polls pollbase --date 2019-12-11 --actual ge2019 --by seat\n"
        "  bloc forecast ge2019-notional-2023 --polls polls-ge2024-final --given "
        "\"Derbyshire Dales=CON\"\n"};
