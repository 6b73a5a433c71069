/* bloc power: where a census group's cohesive vote can decide a seat, seat by seat (--decisive:
 * the decisive seats only), for every group (--summary), or against cohesion (--curve). */
#include "cli.h"

static const struct cli_option power_options[] = {
    {"group", 0, "NAME",
     "the census group: muslim, christian, hindu, sikh, jewish, buddhist, other-religion, "
     "no-religion, religion-not-stated, asian, black, mixed, white, other-ethnic (or a group of "
     "a --census file)"},
    {"cohesion", 0, "C",
     "share of the group's voters that move as one bloc, 0 to 1 (default 0.87)"},
    {"support", 0, "LIST",
     "the group's current split in points, for the simulations: LAB=87,CON=9 (at most 100 in "
     "all; default: as the seat); repeat to add or replace parties"},
    {"turnout", 0, "T",
     "the group's turnout, a fraction above 0 up to 1 (default: each seat's own)"},
    {"adult-ratio", 0, "R", "the group's adults per resident relative to the seat's (default 1)"},
    {"third", 0, "PARTY",
     "also find the share of the group that must move from the winner to PARTY for it to win "
     "(flip_third)"},
    {"sims", 0, "N", "Monte Carlo simulations per seat for pivot_prob (default 0: none)"},
    {"seed", 0, "S", "random seed (default 1); echoed in the metadata"},
    {"threads", 0, "T", "threads for the simulations (default 1; same results)"},
    {"census", 0, "ID|FILE",
     "the census: a catalogue id (must be the one matching the contest's boundaries, the "
     "default) or a CSV file with columns code,group,share (share 0-1; optional population)"},
    {"decisive", 0, NULL, "only the decisive seats, by ratio, highest first"},
    {"summary", 0, NULL,
     "one row per census group: national share and decisive seats (no --group)"},
    {"curve", 0, NULL, "decisive seats against cohesion 0.50, 0.55, ..., 1.00 for --group"},
    CLI_OPTIONS_END};

static const char *const power_pos[] = {"contest"};

const struct cli_command cli_cmd_power = {
    .name = "power",
    .query = "power",
    .summary =
        "Where a census group voting as a bloc can decide a seat, and how much of it must move",
    .args = "CONTEST",
    .min_pos = 1,
    .max_pos = 1,
    .pos_keys = power_pos,
    .opts = power_options,
    .arguments = CONTEST_ARG,
    .details =
        "Columns: code,name,winner,second,majority,group_share,group_voters,flip_switch,\n"
        "flip_abstain,decisive,pivot_prob, then ratio,flip_third,pivot_se,nation; one row per\n"
        "seat in the contest's order (--decisive: the decisive seats by ratio, highest first).\n"
        "group_share is the census share of the seat's residents (0-1), group_voters the\n"
        "group's voters G, decisive 1 or 0, majority in votes; pivot_prob is empty without\n"
        "--sims. A seat without census data (Northern Ireland) has its group columns empty and\n"
        "is named in a warning in the metadata.\n"
        "--summary: group,national_share,seats_decisive,seats_covered,pivot_expected, one row\n"
        "per census group (national_share: sum(share x population) / sum(population) over the\n"
        "seats with census data). --curve: cohesion,seats_decisive,seats_abstain,\n"
        "pivot_expected for cohesion 0.50, 0.55, ..., 1.00.\n"
        "\nFormulas, seat by seat (every assumption is also in the output's metadata):\n"
        "  G = share x adult_ratio x electorate x turnout     the group's voters (share x\n"
        "      adult_ratio at most 1); turnout is the seat's own (valid votes / electorate)\n"
        "      unless --turnout is given\n"
        "  decisive     when 2 c G > majority (c = cohesion): the bloc moving from the winner\n"
        "               to the runner-up overturns the result; ratio = 2 c G / majority\n"
        "  flip_switch  = majority / 2G: the fraction of G that must move winner -> runner-up\n"
        "  flip_abstain = majority / G: the fraction of G that must stay at home instead of\n"
        "               voting for the winner\n"
        "  flip_third   the fraction of G that must move winner -> --third for it to win\n"
        "  pivot_prob   the share of --sims simulations in which the seat's winner depends\n"
        "               on whether the bloc votes for the winner or the runner-up; each draws\n"
        "               the group's turnout, the cohesion and every candidate's vote from\n"
        "               outside the group around their values, and splits the rest of the\n"
        "               group as --support; pivot_se = sqrt(p (1 - p) / sims)\n"
        "A fraction above 1 means the group has too few voters. Defaults: cohesion 0.87 (the\n"
        "share of Muslim voters backing one party in 2017 surveys, applied as given to any\n"
        "group); adult ratio 1 (no age data by religion or ethnic group); support as the\n"
        "seat voted. The census matches the contest's boundaries: 2021 (England and Wales) +\n"
        "2022 (Scotland) for 2023 boundaries, 2011 for 2010 boundaries; none for Northern\n"
        "Ireland.\n"
        "\nErrors: an unknown group (the message lists them), a cohesion or turnout outside\n"
        "0..1, a --support that adds up to more than 100 or names an unknown party, or a bad\n"
        "census file: exit 1. An unknown option, a malformed --sims, --seed or --threads, or\n"
        "two views at once: exit 2. Simulations are reproducible: the same --seed gives the\n"
        "same figures with any --threads.\n"
        "\nExamples:\n"
        "  bloc power ge2024 --group muslim --decisive\n"
        "  bloc power ge2024 --group muslim --cohesion 0.7 --turnout 0.5 --format csv\n"
        "  bloc power ge2024 --group muslim --sims 2000 --seed 7 --threads 4 --decisive\n"
        "  bloc power ge2024 --summary\n"
        "  bloc power ge2019 --group muslim --curve\n"
        "  bloc power ge2024 --group kashmiri --census shares.csv\n"};
