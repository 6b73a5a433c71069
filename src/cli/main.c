/* bloc <command> [options] [args]: the command table, dispatch and what commands share. */
#include "cli.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define ARG(field) offsetof(struct cli_args, field)

static const struct cli_option no_options[] = {{NULL, 0, NULL, 0, NULL}};

static const struct cli_option results_options[] = {
    {"by", 0, "GROUP", ARG(by),
     "uk (default): one row per party; nation or region: per party in each group; seat: one "
     "row per seat"},
    {NULL, 0, NULL, 0, NULL}};

static const struct cli_option swing_options[] = {
    {"pair", 0, "A,B", ARG(pair), "the two parties (codes or names); positive swing is towards B"},
    {"nation", 0, "LIST", ARG(nation), "only seats in these nations (comma-separated)"},
    {"region", 0, "LIST", ARG(region), "only seats in these regions (comma-separated)"},
    {NULL, 0, NULL, 0, NULL}};

static const struct cli_option targets_options[] = {
    {"limit", 0, "N", ARG(limit), "show the first N targets only"}, {NULL, 0, NULL, 0, NULL}};

static const struct cli_option indices_options[] = {
    {"wasted", 0, NULL, ARG(wasted), "show wasted votes per party instead of the indices"},
    {NULL, 0, NULL, 0, NULL}};

static const struct cli_option project_options[] = {
    {"shares", 0, "LIST", ARG(shares),
     "national target shares in points: LAB=34,CON=24,REF=14 (parties not listed share the "
     "rest in proportion to their base shares)"},
    {"swing", 0, "LIST", ARG(swing),
     "national Butler swing in points: LAB:REF=5 moves 5 points from LAB to REF"},
    {"region", 0, "AREA:LIST", ARG(region),
     "target shares in a nation or region of the base: Scotland:SNP=30,LAB=35"},
    {"group", 0, "GROUP:LIST", ARG(group),
     "change in a census group's support, points of its voters: muslim:LAB=-20,IND=+12,GRN=+6"},
    {"model", 0, "MODEL", ARG(model), "uniform (default), proportional, transition or strong"},
    {"threshold", 0, "T", ARG(threshold),
     "strong-transition threshold, a fraction of turnout (default 0.2)"},
    {"adult-ratio", 0, "R", ARG(adult_ratio),
     "the group's adults per resident relative to the seat's (default 1)"},
    {"turnout-ratio", 0, "R", ARG(turnout_ratio),
     "the group's turnout relative to the seat's (default 1)"},
    {"by", 0, "VIEW", ARG(by),
     "party (default): one row per party; seat: one row per seat; changes: the seats that "
     "change hands; flow: seats from each base winner to each projected winner"},
    {NULL, 0, NULL, 0, NULL}};

static const struct cli_option backtest_options[] = {
    {"model", 0, "MODEL", ARG(model), "uniform (default), proportional, transition or strong"},
    {"by", 0, "LEVEL", ARG(by),
     "where TO's actual shares are taken: uk, gb (default; Northern Ireland left out), "
     "nation or region"},
    {"threshold", 0, "T", ARG(threshold),
     "strong-transition threshold, a fraction of turnout (default 0.2)"},
    {"wrong", 0, NULL, ARG(wrong), "list the seats the model gets wrong instead"},
    {NULL, 0, NULL, 0, NULL}};

static const struct cli_option power_options[] = {
    {"group", 0, "NAME", ARG(group),
     "the census group: muslim, christian, hindu, sikh, jewish, buddhist, other-religion, "
     "no-religion, religion-not-stated, asian, black, mixed, white, other-ethnic (or a group of "
     "a --census file)"},
    {"cohesion", 0, "C", ARG(cohesion),
     "share of the group's voters that move as one bloc, 0 to 1 (default 0.87)"},
    {"support", 0, "LIST", ARG(support),
     "the group's current split in points, for the simulations: LAB=87,CON=9 (at most 100 in "
     "all; default: as the seat); repeat to add or replace parties"},
    {"turnout", 0, "T", ARG(turnout),
     "the group's turnout, a fraction above 0 up to 1 (default: each seat's own)"},
    {"adult-ratio", 0, "R", ARG(adult_ratio),
     "the group's adults per resident relative to the seat's (default 1)"},
    {"third", 0, "PARTY", ARG(third),
     "also find the share of the group that must move from the winner to PARTY for it to win "
     "(flip_third)"},
    {"sims", 0, "N", ARG(sims),
     "Monte Carlo simulations per seat for pivot_prob (default 0: none)"},
    {"seed", 0, "S", ARG(seed), "random seed (default 1); echoed in the metadata"},
    {"threads", 0, "T", ARG(threads), "threads for the simulations (default 1; same results)"},
    {"census", 0, "ID|FILE", ARG(census),
     "the census: a catalogue id (must be the one matching the contest's boundaries, the "
     "default) or a CSV file with columns code,group,share (share 0-1; optional population)"},
    {"decisive", 0, NULL, ARG(decisive), "only the decisive seats, by ratio, highest first"},
    {"summary", 0, NULL, ARG(summary),
     "one row per census group: national share and decisive seats (no --group)"},
    {"curve", 0, NULL, ARG(curve),
     "decisive seats against cohesion 0.50, 0.55, ..., 1.00 for --group"},
    {NULL, 0, NULL, 0, NULL}};

static const struct cli_option ei_options[] = {
    {"units", 0, "FILE", ARG(units),
     "a CSV of units (instead of CONTEST): one row per unit with its group and party counts"},
    {"id", 0, "COL", ARG(id), "with --units: the column of unit ids"},
    {"groups", 0, "LIST", ARG(groups),
     "the groups, comma-separated: census groups with CONTEST (muslim,hindu,...; the rest of "
     "each seat is an 'other' group), count columns with --units"},
    {"parties", 0, "LIST", ARG(parties), "with --units: the party count columns"},
    {"threshold", 0, "T", ARG(threshold),
     "with CONTEST: parties under this fraction of the valid vote merge into OTH (default "
     "0.02; with rxc, 0.05 mixes far faster on UK data: fewer small-party cells)"},
    {"abstention", 0, NULL, ARG(abstention),
     "with CONTEST: add ABSTAIN (electorate - valid votes) as a party; group counts from the "
     "electorate"},
    {"method", 0, "NAME", ARG(method),
     "goodman (default: ecological regression), king (King's 2x2: one group against the "
     "rest, each party against the others) or rxc (Bayesian R x C, Rosen et al. 2001)"},
    {"weighted", 0, NULL, ARG(weighted), "goodman: weight the regression by the units' totals"},
    {"seed", 0, "S", ARG(seed), "king, rxc: random seed (default 1); echoed in the metadata"},
    {"draws", 0, "N", ARG(draws),
     "king: posterior draws (default 2000); rxc: at most N kept sweeps per chain (default "
     "20000; real data may need more: read rhat and ess)"},
    {"chains", 0, "N", ARG(chains), "rxc: independent chains (default 4)"},
    {"threads", 0, "T", ARG(threads),
     "rxc: threads (default: one per core up to the chains; never changes the results)"},
    {"target-ess", 0, "E", ARG(target_ess),
     "rxc: stop when every aggregate cell's effective sample size reaches E and its R-hat is "
     "below 1.01 (default 400)"},
    {"burnin", 0, "N", ARG(burnin),
     "rxc: sweeps per chain spent adapting, discarded (default 500)"},
    {"by", 0, "seat", ARG(by),
     "seat: one row per unit, group and party, with the unit's Duncan-Davis bounds"},
    {NULL, 0, NULL, 0, NULL}};

static const struct cli_option ei_synth_options[] = {
    {"units", 0, "N", ARG(units), "units to draw (default 200)"},
    {"groups", 0, "G", ARG(groups), "groups (default 3)"},
    {"parties", 0, "P", ARG(parties), "parties (default 4)"},
    {"seed", 0, "S", ARG(seed), "random seed (default 1)"},
    {"bias", 0, "B", ARG(bias),
     "aggregation bias 0..1: a group's preference moves towards one party in proportion to "
     "its share of the unit (default 0: constant preferences)"},
    {"total", 0, "N", ARG(total), "mean voters per unit (default 1000; units vary 0.5 to 1.5x)"},
    {"dirichlet", 0, NULL, ARG(dirichlet),
     "draw from the Bayesian R x C model itself: alpha ~ Gamma(4, rate 2), each unit's "
     "preferences ~ Dirichlet(alpha) (default: one preference per group, the same everywhere)"},
    {NULL, 0, NULL, 0, NULL}};

static const struct cli_option serve_options[] = {
    {"port", 0, "N", ARG(port), "TCP port (default 8080; 0: any free port, printed at start)"},
    {"bind", 0, "ADDR", ARG(bind),
     "address to listen on (default 127.0.0.1; an IPv4 or IPv6 address, or localhost)"},
    {"allow-remote", 0, NULL, ARG(allow_remote),
     "allow a --bind address other machines can reach (there is no authentication)"},
    {NULL, 0, NULL, 0, NULL}};

/* The scenario options of the commands that can project before drawing (map, chart, report). */
#define PROJECT_FIRST_OPTIONS                                                                      \
	{"shares", 0, "LIST", ARG(shares),                                                         \
	 "project first: national target shares, as bloc project"},                                \
	    {"swing", 0, "LIST", ARG(swing),                                                       \
	     "project first: national Butler swing, as bloc project"},                             \
	    {"region", 0, "AREA:LIST", ARG(region),                                                \
	     "project first: target shares in a nation or region, as bloc project"},               \
	    {"model", 0, "MODEL", ARG(model),                                                      \
	     "projection model: uniform (default), proportional, transition or strong"},           \
	    {"threshold", 0, "T", ARG(threshold), "strong-transition threshold (default 0.2)"},    \
	    {"adult-ratio", 0, "R", ARG(adult_ratio),                                              \
	     "a group shift's adults per resident relative to the seat's (default 1)"},            \
	{                                                                                          \
		"turnout-ratio", 0, "R", ARG(turnout_ratio),                                       \
		    "a group shift's turnout relative to the seat's (default 1)"                   \
	}

static const struct cli_option map_options[] = {
    {"colour", 0, "MODE", ARG(colour),
     "winner (default), share:PARTY, swing:FROM, change, group:NAME or decisive:NAME"},
    {"pair", 0, "A,B", ARG(pair),
     "swing:FROM: the two parties (default: the two with the most votes in CONTEST)"},
    {"group", 0, "GROUP:LIST", ARG(group),
     "project first: a census group's change in support, as bloc project"},
    PROJECT_FIRST_OPTIONS,
    {NULL, 0, NULL, 0, NULL}};

static const struct cli_option chart_options[] = {
    {"type", 0, "TYPE", ARG(type),
     "seats (default), parliament, votes-seats, swing:FROM or majority"},
    {"pair", 0, "A,B", ARG(pair),
     "swing:FROM: the two parties (default: the two with the most votes in CONTEST)"},
    {"group", 0, "GROUP:LIST", ARG(group),
     "project first: a census group's change in support, as bloc project"},
    PROJECT_FIRST_OPTIONS,
    {NULL, 0, NULL, 0, NULL}};

static const struct cli_option report_options[] = {
    {"group", 0, "NAME", ARG(group),
     "add the bloc power of census group NAME (muslim, hindu, ...); a value GROUP:LIST is a "
     "group shift of the scenario instead, as in bloc project"},
    PROJECT_FIRST_OPTIONS,
    {NULL, 0, NULL, 0, NULL}};

#define CONTEST_ARG                                                                                \
	"  CONTEST   a catalogue id (see 'bloc elections') or the path of a results file\n"

static const struct cli_command commands[] = {
    {"elections", cmd_elections, "List the elections and other data sets in the data directory", "",
     0, 0, no_options, "",
     "Columns: id,kind,date,boundaries,format,contest,path (contest: yes if it loads as a\n"
     "contest, that is, can be given as CONTEST to the other commands).\n"},
    {"results", cmd_results, "Seats, votes and vote shares per party", "CONTEST", 1, 1,
     results_options, CONTEST_ARG,
     "Columns: party,seats,votes,share (share in % of valid votes), "
     "by seats then votes;\n"
     "with --by nation or --by region a first column names the group; with --by seat:\n"
     "code,name,region,nation,electorate,valid_votes,turnout,winner,second,majority,\n"
     "majority_pct,winner_candidate (winner and second are party codes).\n"
     "\nExamples:\n  bloc results ge2019\n  bloc results ge2024 --by nation --format csv\n"},
    {"seat", cmd_seat, "The candidates in one seat, with the winner, majority and turnout",
     "CONTEST SEAT", 2, 2, no_options,
     CONTEST_ARG
     "  SEAT      the seat's ONS code (E14000548) or its name, in any case (\"batley and spen\")\n",
     "Columns: name,party,votes,share,label (label: the party as written in the file).\n"
     "\nExample:\n  bloc seat ge2019 \"Batley and Spen\"\n"},
    {"swing", cmd_swing, "Butler and Steed swing between two contests, seat by seat", "FROM [TO]",
     1, 2, swing_options,
     "  FROM, TO  contests (catalogue ids or files); seats are matched by ONS code. Contests on\n"
     "            different boundaries are compared through the notional result (ge2019 with\n"
     "            ge2024 uses ge2019-notional-2023). With FROM alone (a by-election), it is\n"
     "            compared with the general election before it.\n",
     "Columns: code,name,winner_from,winner_to,butler,steed,a_from,a_to,b_from,b_to, then a\n"
     "row with code TOTAL over all shared seats (from summed votes). Butler swing:\n"
     "((b_to-b_from) - (a_to-a_from)) / 2 in shares of all votes; Steed swing: the change in\n"
     "B's share of the A+B vote. Both in points, positive towards B.\n"
     "\nExamples:\n  bloc swing ge2019 ge2024 --pair CON,LAB --nation England,Wales\n"
     "  bloc swing by2012-bradford-west --pair LAB,RES\n"},
    {"targets", cmd_targets, "The seats a party did not win, by the swing it needs to win them",
     "CONTEST PARTY", 2, 2, targets_options,
     CONTEST_ARG "  PARTY     a party code or name (LAB, \"Lab Co-op\", Reform)\n",
     "Columns: rank,code,name,holder,swing_needed,party_share,holder_share (swing_needed:\n"
     "the Butler swing from the holder, in points, smallest first).\n"
     "\nExample:\n  bloc targets ge2019 LAB --limit 10\n"},
    {"indices", cmd_indices,
     "Disproportionality and fragmentation: Gallagher, Loosemore-Hanby, effective parties",
     "CONTEST", 1, 1, indices_options, CONTEST_ARG,
     "Columns: index,value with rows gallagher, loosemore_hanby (both in points),\n"
     "enp_votes and enp_seats (Laakso-Taagepera). With --wasted: party,wasted,wasted_pct\n"
     "and a TOTAL row (wasted: votes for losers, and a winner's votes beyond the runner-up's\n"
     "+ 1).\n"
     "\nExample:\n  bloc indices ge2024 --format csv\n"},
    {"export", cmd_export, "Write a contest as bloc's canonical long CSV, one row per candidate",
     "CONTEST", 1, 1, no_options, CONTEST_ARG,
     "Columns: contest,date,seat_code,seat_name,region,nation,electorate,party,candidate,votes,\n"
     "invalid_votes,party_label. Any loader's input can be exported; the file loads back.\n"
     "\nExample:\n  bloc export ge2019 -o ge2019.csv\n"},
    {"project", cmd_project,
     "Project the seats of a contest under a scenario of shares, swings "
     "and group shifts",
     "BASE [SCENARIO]", 1, 2, project_options,
     "  BASE      the contest to project from (a catalogue id or a results file). To project\n"
     "            the 2024 seats from 2019, use ge2019-notional-2023 (2019 on 2024 boundaries).\n"
     "  SCENARIO  a scenario file (JSON, below; - reads standard input). Given alone, the\n"
     "            file's \"base\" is the base. Flags are applied after the file, in order.\n",
     "Columns: party,seats,votes_share,gains,losses,seats_base,votes_share_base,seats_change,\n"
     "share_change (shares in points of valid votes), by seats then share. With --by seat:\n"
     "code,name,winner_base,winner,majority_pct, then one column per party named by its code\n"
     "(projected share, points), then group_share (the first group's share of the seat's\n"
     "voters, points) when the scenario has a group. --by changes: the same first five\n"
     "columns and group_share, for the seats that change hands. --by flow: a row per base\n"
     "winner, a column per projected winner, and a TOTAL row.\n"
     "\nHow a projection is made (every assumption is also in the output's metadata):\n"
     "  1. National targets: the base's shares over all its seats, moved by each --swing,\n"
     "     then set by --shares; parties not listed share what is left of 100 in proportion\n"
     "     to their base shares. Shares above 100 in one area are an error.\n"
     "  2. The model carries the change to every seat: uniform adds it, proportional scales\n"
     "     by target/base, transition and strong take it from falling parties (strong: from\n"
     "     weak supporters first, up to the threshold of the seat's turnout) and give it to\n"
     "     rising ones. A share pushed below 0 is set to 0 and the seat's others rescaled.\n"
     "  3. Each --region (a nation or region of the base) gets its own targets for its seats;\n"
     "     seats outside every named area follow the national change.\n"
     "  4. Each --group shift, seat by seat: the group's share of the seat's voters =\n"
     "     census share of residents x adult-ratio x turnout-ratio; a change of X points\n"
     "     moves X% of those voters (a negative total: they stay at home; positive: new\n"
     "     voters). Census: 2021 (England and Wales) + 2022 (Scotland) for 2023 boundaries,\n"
     "     2011 for 2010 boundaries; Northern Ireland has none and gets no shift.\n"
     "Repeating a flag merges: a later value for the same party in the same area replaces\n"
     "the earlier one. A bad value (unknown party, region or group, shares above 100, a\n"
     "malformed number or JSON) is an error: exit 1, with file:line:column for JSON.\n"
     "\nScenario file:\n"
     "  {\"base\":\"ge2024\", \"model\":\"strong\", \"threshold\":0.2,\n"
     "   \"shares\":{\"LAB\":34,\"CON\":24},\n"
     "   \"swing\":[{\"from\":\"LAB\",\"to\":\"REF\",\"points\":5}],\n"
     "   \"regions\":{\"Scotland\":{\"SNP\":30}},\n"
     "   \"groups\":[{\"group\":\"muslim\",\"change\":{\"LAB\":-20,\"IND\":12}}],\n"
     "   \"adult_ratio\":1, \"turnout_ratio\":1}\n"
     "  Every key is optional; an unknown key is an error. The output's metadata echoes\n"
     "  the scenario in this form.\n"
     "\nExamples:\n"
     "  bloc project ge2024 --shares LAB=30,CON=22,REF=20\n"
     "  bloc project ge2024 --group muslim:LAB=-20,IND=+12,GRN=+6 --by changes\n"
     "  bloc project ge2019-notional-2023 scenario.json --model strong --by seat\n"},
    {"backtest", cmd_backtest,
     "Project an earlier contest with a later one's actual shares and count the wrong seats",
     "FROM TO", 2, 2, backtest_options,
     "  FROM, TO  contests (catalogue ids or files); seats are matched by ONS code. Contests on\n"
     "            different boundaries are compared through the notional result (ge2019 with\n"
     "            ge2024 uses ge2019-notional-2023).\n",
     "Columns: metric,value (values as text). Rows: seats_wrong (seats whose projected winner\n"
     "is not the actual one), seats (seats compared), share_mae (mean |projected - actual|\n"
     "seat share in points, over the parties with 1% or more of the vote), then for each\n"
     "party that won or was projected a seat, or whose seat shares were off by 0.5 points or\n"
     "more on average, by actual seats: seats_projected:P, seats_actual:P, seat_error:P\n"
     "(projected minus actual) and share_mae:P. With --wrong:\n"
     "code,name,region,projected,actual for each wrong seat.\n"
     "\nExamples:\n"
     "  bloc backtest ge2017 ge2019 --model uniform --by gb --format csv\n"
     "  bloc backtest ge2017 ge2019 --model strong --by region --wrong\n"},
    {"power", cmd_power,
     "Where a census group voting as a bloc can decide a seat, and how much of it must move",
     "CONTEST", 1, 1, power_options, CONTEST_ARG,
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
     "  bloc power ge2024 --group kashmiri --census shares.csv\n"},
    {"ei", cmd_ei,
     "Ecological inference: how each group voted, from group and party counts by unit", "[CONTEST]",
     0, 1, ei_options,
     "  CONTEST  a catalogue id or results file, with --groups NAME,... (census groups);\n"
     "           or leave it out and give --units FILE --id COL --groups ... --parties ...\n",
     "Columns: group,party,estimate,lo95,hi95,rhat,ess,se,bound_lo,bound_hi,outside, one row\n"
     "per group and party: the share of the group that voted for the party, all units\n"
     "together (weighted by the group's size in each unit).\n"
     "  goodman  ecological regression: each party's share of a unit regressed on the group\n"
     "           shares, no intercept (--weighted: by unit totals); se from the residuals,\n"
     "           lo95/hi95 = estimate +- t x se; outside = 1 when the estimate leaves 0..1.\n"
     "  king     King's (1997) truncated bivariate normal for 2 groups, run once per party\n"
     "           (that party against the others); se = posterior sd; 95% of the draws.\n"
     "  rxc      the Bayesian multinomial-Dirichlet model of Rosen, Jiang, King and Tanner\n"
     "           (2001; eiPack's ei.MD.bayes, alpha ~ Gamma(4, rate 2)): several chains on\n"
     "           threads, run until every cell's ess >= --target-ess and rhat < 1.01;\n"
     "           the same --seed gives the same numbers whatever --threads.\n"
     "bound_lo and bound_hi are the Duncan-Davis bounds (the group's share of a unit lies in\n"
     "[max(0, (t - (1 - x)) / x), min(1, t / x)] for party share t and group share x),\n"
     "aggregated by group size: certain whatever the method assumes.\n"
     "--by seat: code,group,party,estimate,lo95,hi95,rhat,ess,bound_lo,bound_hi per unit\n"
     "(goodman: the estimate clipped to the bounds, and lo95/hi95 = the bounds).\n"
     "With CONTEST, a seat's group counts are the census share of residents x valid votes (an\n"
     "assumption: turnout and age differ by group; --abstention: x electorate); seats without\n"
     "census data are skipped. --units FILE: every unit's group counts must sum to its party\n"
     "counts (an error names the unit and line).\n"
     "\nCaveat: every method assumes something aggregate data cannot check. Aggregation bias (a\n"
     "group voting differently where it is more numerous) cannot be detected from aggregate\n"
     "data: estimates outside 0..1 are one symptom, their absence proves nothing. The bounds\n"
     "hold whatever the bias; read them beside any estimate.\n"
     "\nExamples:\n"
     "  bloc ei --units units.csv --id id --groups A,B --parties P,Q,R\n"
     "  bloc ei ge2024 --groups muslim,hindu,sikh,no-religion --method rxc --format csv\n"
     "  bloc ei ge2024 --groups muslim --method king --draws 5000\n"
     "  bloc ei --units units.csv --id id --groups A,B,C --parties P,Q --method rxc --by seat\n"},
    {"ei-synth", cmd_ei_synth, "Synthetic units with known group preferences, to test bloc ei", "",
     0, 0, ei_synth_options, "",
     "Writes -o FILE.csv (required): id,G1..Gg,P1..Pp, whole counts per unit (units of about\n"
     "1000 voters, 500 to 1500), readable by bloc ei --units FILE.csv --id id --groups\n"
     "G1,... --parties P1,...; and FILE.truth.csv beside it: group,party,truth,preference,\n"
     "where truth is the realised share of the group voting for the party over all units and\n"
     "preference the constant one drawn. Group shares per unit are proportional to\n"
     "exp(N(0,1)); preferences to exp(1.5 N(0,1)); each group's members vote multinomially.\n"
     "--bias B: in a unit, group r's preferences move towards party (r mod P) by B x its share.\n"
     "--dirichlet: draw from bloc ei --method rxc's own model instead: alpha ~ Gamma(4, rate 2)\n"
     "per group and party, each unit's preferences ~ Dirichlet(alpha); preference = the mean.\n"
     "--total N: voters per unit about N (0.5 to 1.5 x N).\n"
     "\nExamples:\n"
     "  bloc ei-synth --units 300 --groups 3 --parties 4 --seed 7 -o synth.csv\n"
     "  bloc ei-synth --units 300 --groups 2 --parties 3 --bias 0.5 -o biased.csv\n"},
    {"serve", cmd_serve, "Serve the web swingometer and its JSON API over HTTP", "", 0, 0,
     serve_options, "",
     "Serves the web app at / and the JSON API of docs/api.md under /api/ until SIGINT or\n"
     "SIGTERM (then exits 0). Listens on 127.0.0.1 unless --bind names another address;\n"
     "an address other machines can reach also needs --allow-remote. The data directory is\n"
     "read once at start; contests are loaded on first use and answers kept in memory.\n"
     "Limits: request body 64 KiB (413), URL 4 KiB (414), headers 16 KiB (431), 64\n"
     "connections, 10 s idle per connection. Only the files compiled into the binary are\n"
     "served; no other path is read from disk.\n"
     "\nExamples:\n  bloc serve\n  bloc serve --port 8000 --data ../shared/data\n"},
    {"map", cmd_map, "Draw a hex map of a contest's seats as SVG", "CONTEST [SCENARIO]", 1, 2,
     map_options,
     CONTEST_ARG
     "  SCENARIO  a scenario file (JSON) as in bloc project; with --colour winner, share or\n"
     "            change the map shows the projection\n",
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
     "  bloc map ge2024 --colour decisive:muslim -o decisive.svg\n"},
    {"chart", cmd_chart,
     "Draw a chart of a contest as SVG: seats, parliament, votes and seats, swing",
     "CONTEST [SCENARIO]", 1, 2, chart_options,
     CONTEST_ARG "  SCENARIO  a scenario file (JSON) as in bloc project\n",
     "Writes one SVG.\n"
     "\n--type:\n"
     "  seats          seats per party as bars, largest first\n"
     "  parliament     a hemicycle of one dot per seat, parties in blocks, the majority line\n"
     "  votes-seats    each party's share of the vote beside its share of the seats\n"
     "  swing:FROM     Butler swing from FROM between --pair A,B, one bar per seat, sorted,\n"
     "                 in the colour of the winner; the overall swing marked\n"
     "  majority       a histogram of the seats' majorities (points)\n"
     "With scenario flags, seats, parliament, votes-seats and majority show the projection.\n"
     "\nExamples:\n"
     "  bloc chart ge2024 --type parliament -o parliament.svg\n"
     "  bloc chart ge2024 --type swing:ge2019 --pair CON,LAB -o swing.svg\n"
     "  bloc chart ge2024 --type seats --shares LAB=30,REF=22 -o seats.svg\n"},
    {"report", cmd_report, "Write one self-contained HTML report: tables, hex maps and charts",
     "CONTEST [SCENARIO]", 1, 2, report_options,
     CONTEST_ARG "  SCENARIO  a scenario file (JSON) as in bloc project\n",
     "Writes one HTML file with everything inline (styles and SVG; no script, font or link\n"
     "to anything outside it): the result per party, the parliament, seats and votes\n"
     "against seats, the hex map of winners; with scenario flags the projection, the\n"
     "projected parliament and map, and the seats changing hands; the 20 closest targets\n"
     "of the two largest parties; with --group NAME the bloc power of that census group\n"
     "(decisive seats: map, ranking and table, with bloc power's defaults).\n"
     "\nExamples:\n"
     "  bloc report ge2024 -o report.html\n"
     "  bloc report ge2024 --group muslim -o report.html\n"
     "  bloc report ge2024 --shares LAB=30,CON=22,REF=20 -o scenario.html\n"},
    {"help", NULL, "Show the help of a command", "[COMMAND]", 0, 1, no_options,
     "  COMMAND   one of the commands 'bloc --help' lists\n", ""},
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static const struct cli_option main_options[] = {
    {"version", 0, NULL, ARG(version), "print the version and exit"}, {NULL, 0, NULL, 0, NULL}};

/* What comes before the command: the global options and --version. */
static const struct cli_command main_command = {"", NULL, "", "", 0, 0, main_options, "", ""};

static const struct cli_command *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

static void print_main_usage(FILE *fp)
{
	fputs("usage: bloc [--data DIR] [--format table|csv|json] [-o FILE] COMMAND [options] "
	      "[args]\n"
	      "       bloc help COMMAND\n"
	      "       bloc --version\n",
	      fp);
}

static void print_main_help(FILE *fp)
{
	size_t i;

	print_main_usage(fp);
	fputs("\nAnalyse UK first-past-the-post elections.\n\nCommands:\n", fp);
	for (i = 0; i < NCOMMANDS; i++)
		fprintf(fp, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fputs("\nGlobal options (before or after the command):\n", fp);
	cli_print_options(fp, cli_global_options);
	cli_print_options(fp, main_options);
	fputs(
	    "\nResults go to standard output, messages to standard error. Exit status: 0 success,\n"
	    "1 data or runtime error, 2 usage error. 'bloc help COMMAND' shows a command's\n"
	    "arguments, options and output columns.\n",
	    fp);
}

int cli_usage_error(struct cli_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	fputs("bloc: ", stderr);
	if (ctx->cmd && *ctx->cmd->name)
		fprintf(stderr, "%s: ", ctx->cmd->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (ctx->cmd && *ctx->cmd->name) {
		cli_print_usage(stderr, ctx->cmd);
		fprintf(stderr, "Run 'bloc help %s' for more.\n", ctx->cmd->name);
	} else {
		print_main_usage(stderr);
		fputs("Run 'bloc --help' for the commands.\n", stderr);
	}
	return BLOC_EXIT_USAGE;
}

int cli_fail(struct cli_ctx *ctx)
{
	const char *msg = bloc_error_last();

	if (*msg)
		fprintf(stderr, "bloc: %s\n", msg);
	else
		fprintf(stderr, "bloc: %s: failed\n", ctx->cmd ? ctx->cmd->name : "");
	return BLOC_EXIT_ERROR;
}

int cli_dataset(struct cli_ctx *ctx, bloc_dataset **out)
{
	int err;

	if (!ctx->ds && (err = bloc_dataset_open(&ctx->ds, ctx->data_dir)) < 0)
		return err;
	*out = ctx->ds;
	return BLOC_OK;
}

int cli_open_contest(struct cli_ctx *ctx, const char *name, bloc_contest **out)
{
	bloc_dataset *ds;
	int err;

	*out = NULL;
	if ((err = cli_dataset(ctx, &ds)) < 0)
		return err;
	return bloc_contest_open(out, ds, name);
}

int cli_party(struct cli_ctx *ctx, const char *what, const char *label, bloc_party *out)
{
	char codes[512];
	size_t i, n = 0;

	if (bloc_party_lookup(label, out) == BLOC_OK)
		return BLOC_OK;
	codes[0] = '\0';
	for (i = 0; i < bloc_party_count() && n + 8 < sizeof(codes); i++)
		n += (size_t)snprintf(codes + n, sizeof(codes) - n, "%s%s", i ? " " : "",
		                      bloc_party_code((bloc_party)i));
	return cli_usage_error(ctx, "%s: unknown party '%s' (codes: %s; names such as \"Labour\")",
	                       what, label, codes);
}

int cli_meta_source(struct cli_ctx *ctx, bloc_table *t, const char *key, const bloc_contest *c)
{
	size_t n = strlen(ctx->data_dir);
	const char *src = c->source, *sep;
	int err;

	while (n > 1 && ctx->data_dir[n - 1] == '/')
		n--;
	/* A contest read from two files names both, joined by " + ": one metadata entry each. */
	for (;;) {
		size_t len;
		sep = strstr(src, " + ");
		len = sep ? (size_t)(sep - src) : strlen(src);
		/* Inside the data directory: say where in it, which reads the same on every
		 * machine. */
		if (len > n && strncmp(src, ctx->data_dir, n) == 0 && src[n] == '/') {
			size_t skip = n;
			while (skip < len && src[skip] == '/')
				skip++;
			src += skip;
			len -= skip;
		}
		if ((err = bloc_table_meta(t, key, "%.*s", (int)len, src)) < 0)
			return err;
		if (!sep)
			return 0;
		src = sep + 3;
	}
}

/* The format: --format, else from the name of -o FILE (.csv, .json), else a table. */
static int choose_format(struct cli_ctx *ctx)
{
	const char *o = ctx->args.output, *dot;

	if (ctx->args.format) {
		if (bloc_format_parse(ctx->args.format, &ctx->format) < 0)
			return cli_usage_error(ctx, "%s", bloc_error_last());
		ctx->format_given = 1;
		return BLOC_EXIT_OK;
	}
	ctx->format = BLOC_FORMAT_TABLE;
	if (o && (dot = strrchr(o, '.')) && !strchr(dot, '/')) {
		if (strcasecmp(dot, ".csv") == 0)
			ctx->format = BLOC_FORMAT_CSV;
		else if (strcasecmp(dot, ".json") == 0)
			ctx->format = BLOC_FORMAT_JSON;
	}
	return BLOC_EXIT_OK;
}

static int run_help(struct cli_ctx *ctx, int argc, char **argv, int i)
{
	const struct cli_command *cmd;
	char err[256];

	if (cli_parse(ctx->cmd, argc, argv, &i, 0, &ctx->args, err, sizeof(err)) < 0)
		return cli_usage_error(ctx, "%s", err);
	if (ctx->args.npos == 0 && ctx->args.help) {
		cli_print_help(stdout, ctx->cmd);
		return BLOC_EXIT_OK;
	}
	if (ctx->args.npos == 0) {
		print_main_help(stdout);
		return BLOC_EXIT_OK;
	}
	if (!(cmd = find_command(ctx->args.pos[0])))
		return cli_usage_error(ctx, "unknown command '%s'", ctx->args.pos[0]);
	cli_print_help(stdout, cmd);
	return BLOC_EXIT_OK;
}

static int run(struct cli_ctx *ctx, int argc, char **argv)
{
	const char *env;
	char err[256];
	int i = 1, rc;

	if (cli_parse(&main_command, argc, argv, &i, 1, &ctx->args, err, sizeof(err)) < 0)
		return cli_usage_error(ctx, "%s", err);
	if (ctx->args.version) {
		printf("bloc %s\n", bloc_version());
		return BLOC_EXIT_OK;
	}
	if (i >= argc) {
		if (ctx->args.help) {
			print_main_help(stdout);
			return BLOC_EXIT_OK;
		}
		return cli_usage_error(ctx, "no command given");
	}
	if (!(ctx->cmd = find_command(argv[i]))) {
		rc = cli_usage_error(ctx, "unknown command '%s'", argv[i]);
		fputs("Commands:", stderr);
		for (i = 0; i < (int)NCOMMANDS; i++)
			fprintf(stderr, " %s", commands[i].name);
		fputc('\n', stderr);
		return rc;
	}
	if (!ctx->cmd->fn)
		return run_help(ctx, argc, argv, i + 1);
	i++;
	if (cli_parse(ctx->cmd, argc, argv, &i, 0, &ctx->args, err, sizeof(err)) < 0)
		return cli_usage_error(ctx, "%s", err);
	if (ctx->args.help) {
		cli_print_help(stdout, ctx->cmd);
		return BLOC_EXIT_OK;
	}
	if ((rc = choose_format(ctx)) != BLOC_EXIT_OK)
		return rc;
	if (ctx->args.data)
		ctx->data_dir = ctx->args.data;
	else if ((env = getenv("BLOC_DATA")) && *env)
		ctx->data_dir = env;
	else
		ctx->data_dir = "./data";
	return ctx->cmd->fn(ctx);
}

int main(int argc, char **argv)
{
	struct cli_ctx ctx;
	int rc;

	memset(&ctx, 0, sizeof(ctx));
	rc = run(&ctx, argc, argv);
	if (rc == BLOC_EXIT_OK && cli_output_commit(&ctx) < 0)
		rc = cli_fail(&ctx);
	if (rc != BLOC_EXIT_OK)
		cli_output_discard(&ctx);
	bloc_dataset_free(ctx.ds);
	return rc;
}
