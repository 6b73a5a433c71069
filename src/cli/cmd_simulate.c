/* bloc simulate: an agent-based by-election in one seat (kinship brokers against the doorstep). */
#include "cli.h"

static const struct cli_option simulate_options[] = {
    {"all", 0, NULL,
     "every seat of BASE, seat by seat (default 10 replicates each): one row per seat; the "
     "campaigns apply where their party stands; split among MPI ranks under mpirun"},
    {"group", 0, "NAME", "the census group whose kinship networks have brokers (default muslim)"},
    {"group-lean", 0, "LIST",
     "how the group leans, PARTY=POINTS,... (default: like its seat); everyone else leans so "
     "that the seat's result comes out in expectation"},
    {"stand", 0, "PARTY,...", "new candidates (no votes in BASE)"},
    {"strategy", 0, "LIST",
     "each candidate's campaign, PARTY=none|broker|doorstep|both,... (default none)"},
    {"budget", 0, "LIST",
     "doors knocked by each doorstep campaign, PARTY=N,... (default a quarter of the doors); "
     "with broker campaigns, their share of the kinship clusters"},
    {"sweep", 0, "PARAM=A:B:N",
     "run the replicates at N values of PARAM from A to B, one row each (contact-rate, cace, "
     "persuasion, spillover, compliance-men, compliance-other, influence, turnout-scale, "
     "homophily, friends, word-of-mouth, homophily-age, homophily-sex)"},
    {"actual", 0, "CONTEST",
     "the seat's real result in CONTEST beside the simulated one (share_actual), and the "
     "targets of --fit"},
    {"fit", 0, "PARAM=TARGET,...",
     "fit parameters to results: TARGET a party (its share) or turnout, with :POINTS or from "
     "--actual; e.g. persuasion=RES,turnout-scale=turnout"},
    {"fit-replicates", 0, "N", "replicates per trial of --fit (default 20)"},
    {"by", 0, "VIEW",
     "candidate (default), moved (who voted other than they leaned, by part, sex and age), "
     "spec (the model's inputs as JSON) or chart (SVG)"},
    {"replicates", 0, "N", "replicates (default 100; with --all 10 a seat)"},
    {"seed", 0, "S", "random seed (default 1); echoed in the metadata"},
    {"threads", 0, "T", "threads (default 1; the same figures for any number)"},
    {"electors", 0, "N", "electors (default: the seat's electorate in BASE)"},
    {"scale", 0, "F", "every seat's electors x F (a quick look at --all; default 1)"},
    {"contact-rate", 0, "F", "share of doors knocked where someone talks (default 0.45)"},
    {"cace", 0, "F", "a talk's effect on turnout (default 0.025)"},
    {"persuasion", 0, "F", "a talk's chance to win the voter over (default 0.005)"},
    {"spillover", 0, "F", "housemates' share of a talk's effects (default 0.6)"},
    {"compliance-men", 0, "F", "men 45+ following a broker's endorsement (default 0.65)"},
    {"compliance-other", 0, "F", "women and the young following it (default 0.25)"},
    {"influence", 0, "F", "chance per round of copying a friend's choice (default 0.05)"},
    {"turnout-scale", 0, "X", "turnout relative to a general election's (default 0.77)"},
    {"homophily", 0, "F", "share of friends in one's own part of the electorate (default 0.9)"},
    {"friends", 0, "F", "friendship ties named per elector (default 3)"},
    {"homophily-age", 0, "F",
     "share of friends who must be of one's own age band (default 0: only the group's "
     "homophily)"},
    {"homophily-sex", 0, "F", "share of friends who must be of one's own sex (default 0)"},
    {"word-of-mouth", 0, "F",
     "chance that one won over on the doorstep wins over a friend, per tie (default 0.05)"},
    CLI_OPTIONS_END};

static const char *const simulate_pos[] = {"seat", "base"};

const struct cli_command cli_cmd_simulate = {
    .name = "simulate",
    .query = "simulate",
    .summary = "An agent-based by-election: kinship brokers against the doorstep, in one seat",
    .args = "SEAT BASE | --all BASE",
    .min_pos = 1,
    .max_pos = 2,
    .pos_keys = simulate_pos,
    .opts = simulate_options,
    .arguments = "  SEAT      a seat's code or name\n"
                 "  BASE      the contest whose result the electorate starts from\n",
    .details =
        "Columns: candidate,party,strategy,share_mean,share_lo90,share_hi90,p_win,share_base,\n"
        "one row per candidate (shares of the vote in points over the replicates); --sweep:\n"
        "the parameter's value, turnout, then share_<PARTY>,p_<PARTY> per candidate. The\n"
        "metadata gives electors, replicates, turnout (mean and 90% interval), who voted other\n"
        "than they leaned, every parameter, the seed, the time and the peak memory.\n"
        "\nEach replicate builds a synthetic electorate of the seat (electors in households,\n"
        "the census group's in kinship clusters with brokers, friendship ties), runs the\n"
        "campaigns (brokers' endorsements; talks on the doorstep, with household spillover),\n"
        "rounds of social influence, then turnout and the vote. docs/simulate.md: the model,\n"
        "its defaults and their sources.\n"
        "\nExamples:\n"
        "  bloc simulate \"Bradford West\" by-elections-previous-ge:election_date=2010-05-06 "
        "--strategy RES=doorstep,LAB=broker --replicates 50\n"
        "  bloc simulate \"Bradford West\" by-elections-previous-ge:election_date=2010-05-06 "
        "--stand RES --strategy RES=doorstep,LAB=broker --actual by2012-bradford-west "
        "--fit persuasion=RES,turnout-scale=turnout\n"
        "  bloc simulate \"Batley and Spen\" ge2019 --stand WPB --strategy WPB=both\n"
        "  bloc simulate --all ge2019 --threads 2 --format csv\n"};
