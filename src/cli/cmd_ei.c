/* bloc ei: how each group voted (Goodman, King's 2x2, the Bayesian R x C sampler) with the
 * Duncan-Davis bounds; bloc ei-synth: synthetic units with known truth. */
#include "cli.h"

#include <string.h>

static const struct cli_option ei_options[] = {
    {"units", 0, "FILE",
     "a CSV of units (instead of CONTEST): one row per unit with its group and party counts"},
    {"id", 0, "COL", "with --units: the column of unit ids"},
    {"groups", 0, "LIST",
     "the groups, comma-separated: census groups with CONTEST (muslim,hindu,...; the rest of "
     "each seat is an 'other' group), count columns with --units"},
    {"parties", 0, "LIST", "with --units: the party count columns"},
    {"threshold", 0, "T",
     "with CONTEST: parties under this fraction of the valid vote merge into OTH (default "
     "0.02; with rxc, 0.05 mixes far faster on UK data: fewer small-party cells)"},
    {"abstention", 0, NULL,
     "with CONTEST: add ABSTAIN (electorate - valid votes) as a party; group counts from the "
     "electorate"},
    {"method", 0, "NAME",
     "goodman (default: ecological regression), king (King's 2x2: one group against the "
     "rest, each party against the others) or rxc (Bayesian R x C, Rosen et al. 2001)"},
    {"weighted", 0, NULL, "goodman: weight the regression by the units' totals"},
    {"seed", 0, "S", "king, rxc: random seed (default 1); echoed in the metadata"},
    {"draws", 0, "N",
     "king: posterior draws (default 2000); rxc: at most N kept sweeps per chain (default "
     "20000; real data may need more: read rhat and ess)"},
    {"chains", 0, "N", "rxc: independent chains (default 4)"},
    {"threads", 0, "T",
     "rxc: threads (default: one per core up to the chains; never changes the results)"},
    {"target-ess", 0, "E",
     "rxc: stop when every aggregate cell's effective sample size reaches E and its R-hat is "
     "below 1.01 (default 400)"},
    {"burnin", 0, "N", "rxc: sweeps per chain spent adapting, discarded (default 500)"},
    {"by", 0, "seat",
     "seat: one row per unit, group and party, with the unit's Duncan-Davis bounds"},
    {"no-cache", 0, NULL,
     "rxc --by seat with CONTEST and one group: run the sampler even if the estimate is "
     "cached, and do not cache it"},
    {"covariates", 0, "SPEC",
     "rxc: the contextual model, for aggregation bias: share (each group's own share of the "
     "unit), census:NAME,... (census group shares of each seat) or FILE (CSV: unit id, then 1 "
     "to 4 columns of numbers)"},
    {"covariate-bins", 0, "N",
     "rxc --covariates: bins per covariate (default 4 for one covariate, 3 for two, 2 for "
     "more; 64 strata at most)"},
    CLI_OPTIONS_END};

static const char *const ei_pos[] = {"contest"};

const struct cli_command cli_cmd_ei = {
    .name = "ei",
    .query = "ei",
    .summary = "Ecological inference: how each group voted, from group and party counts by unit",
    .args = "[CONTEST]",
    .min_pos = 0,
    .max_pos = 1,
    .pos_keys = ei_pos,
    .opts = ei_options,
    .arguments =
        "  CONTEST  a catalogue id or results file, with --groups NAME,... (census groups);\n"
        "           or leave it out and give --units FILE --id COL --groups ... --parties ...\n",
    .details =
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
        "CONTEST --groups G (one group) --method rxc --by seat is run once per contest, group\n"
        "and settings and cached on disk ($BLOC_CACHE, else $XDG_CACHE_HOME/bloc, else\n"
        "~/.cache/bloc; metadata cache: hit or written, and the file): a projection's\n"
        "--baseline ei reads the same numbers. --no-cache runs it afresh and writes nothing.\n"
        "With CONTEST, a seat's group counts are the census share of residents x valid votes (an\n"
        "assumption: turnout and age differ by group; --abstention: x electorate); seats without\n"
        "census data are skipped. --units FILE: every unit's group counts must sum to its party\n"
        "counts (an error names the unit and line).\n"
        "\nCaveat: every method assumes something aggregate data cannot check. Aggregation bias "
        "(a\n"
        "group voting differently where it is more numerous) cannot be detected from aggregate\n"
        "data: estimates outside 0..1 are one symptom, their absence proves nothing. The bounds\n"
        "hold whatever the bias; read them beside any estimate.\n"
        "\nExamples:\n"
        "  bloc ei --units units.csv --id id --groups A,B --parties P,Q,R\n"
        "  bloc ei ge2024 --groups muslim,hindu,sikh,no-religion --method rxc --format csv\n"
        "  bloc ei ge2024 --groups muslim --method king --draws 5000\n"
        "  bloc ei --units units.csv --id id --groups A,B,C --parties P,Q --method rxc --by "
        "seat\n"};

static const struct cli_option ei_synth_options[] = {
    {"units", 0, "N", "units to draw (default 200)"},
    {"groups", 0, "G", "groups (default 3)"},
    {"parties", 0, "P", "parties (default 4)"},
    {"seed", 0, "S", "random seed (default 1)"},
    {"bias", 0, "B",
     "aggregation bias 0..1: a group's preference moves towards one party in proportion to "
     "its share of the unit (default 0: constant preferences)"},
    {"total", 0, "N", "mean voters per unit (default 1000; units vary 0.5 to 1.5x)"},
    {"dirichlet", 0, NULL,
     "draw from the Bayesian R x C model itself: alpha ~ Gamma(4, rate 2), each unit's "
     "preferences ~ Dirichlet(alpha) (default: one preference per group, the same everywhere)"},
    CLI_OPTIONS_END};

/* The units go to -o FILE.csv and the truth beside them: a file is required. */
static int prepare_synth(struct cli_ctx *ctx)
{
	const char *o = ctx->args.output;

	if (!o || strcmp(o, "-") == 0)
		return bloc_error_set(BLOC_EUSAGE, "-o FILE.csv is required (the truth goes beside "
		                                   "it, in FILE.truth.csv)");
	if (!ctx->format_given)
		ctx->format =
		    BLOC_FORMAT_CSV; /* whatever the file is called, unless --format says */
	return BLOC_OK;
}

const struct cli_command cli_cmd_ei_synth = {
    .name = "ei-synth",
    .query = "ei-synth",
    .summary = "Synthetic units with known group preferences, to test bloc ei",
    .args = "",
    .min_pos = 0,
    .max_pos = 0,
    .opts = ei_synth_options,
    .arguments = "",
    .details =
        "Writes -o FILE.csv (required): id,G1..Gg,P1..Pp, whole counts per unit (units of about\n"
        "1000 voters, 500 to 1500), readable by bloc ei --units FILE.csv --id id --groups\n"
        "G1,... --parties P1,...; and FILE.truth.csv beside it: group,party,truth,preference,\n"
        "where truth is the realised share of the group voting for the party over all units and\n"
        "preference the constant one drawn. Group shares per unit are proportional to\n"
        "exp(N(0,1)); preferences to exp(1.5 N(0,1)); each group's members vote multinomially.\n"
        "--bias B: in a unit, group r's preferences move towards party (r mod P) by B x its "
        "share.\n"
        "--dirichlet: draw from bloc ei --method rxc's own model instead: alpha ~ Gamma(4, rate "
        "2)\n"
        "per group and party, each unit's preferences ~ Dirichlet(alpha); preference = the mean.\n"
        "--total N: voters per unit about N (0.5 to 1.5 x N).\n"
        "\nExamples:\n"
        "  bloc ei-synth --units 300 --groups 3 --parties 4 --seed 7 -o synth.csv\n"
        "  bloc ei-synth --units 300 --groups 2 --parties 3 --bias 0.5 -o biased.csv\n",
    .prepare = prepare_synth};
