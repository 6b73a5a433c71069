/* bloc project: a contest's seats under a scenario (a JSON file, flags, or both: the file first,
 * then the flags in command-line order, each merging into what came before). */
#include "cli.h"

#include <string.h>
#include <strings.h>

static const struct cli_option project_options[] = {
    {"shares", 0, "LIST",
     "national target shares in points: LAB=34,CON=24,REF=14 (parties not listed share the "
     "rest in proportion to their base shares)"},
    {"swing", 0, "LIST",
     "national Butler swing in points: LAB:REF=5 moves 5 points from LAB to REF"},
    {"region", 0, "AREA:LIST",
     "target shares in a nation or region of the base (or GB): Scotland:SNP=30,LAB=35"},
    {"group", 0, "GROUP:LIST",
     "change in a census group's support, points of its voters, and of its turnout: "
     "muslim:LAB=-20,IND=+12,GRN=+6,turnout=+5"},
    {"stand", 0, "PARTY@SEATS",
     "a new candidate of PARTY (IND, or IND:Name, for a new independent) in each seat "
     "listed (codes or names, comma-separated; a nation or region, GB or all: each of its "
     "seats the party does not fight), from zero votes"},
    {"baseline", 0, "HOW",
     "how the group voted in the base: census (default: like its seat), "
     "survey:LAB=86,CON=9,... (one national split) or ei (bloc's R x C estimate per seat, "
     "cached; ei:draws=N,seed=S,chains=C,burnin=B)"},
    {"hold-shares", 0, "yes|no|TOL",
     "re-fit everyone else's votes until the shares set hold within TOL points (default "
     "yes, 0.05); no: the targets go through the model once"},
    {"model", 0, "MODEL", "uniform (default), proportional, transition or strong"},
    {"threshold", 0, "T", "strong-transition threshold, a fraction of turnout (default 0.2)"},
    {"adult-ratio", 0, "R", "the group's adults per resident relative to the seat's (default 1)"},
    {"turnout-ratio", 0, "R", "the group's turnout relative to the seat's (default 1)"},
    {"by", 0, "VIEW",
     "party (default): one row per party; seat: one row per seat; changes: the seats that "
     "change hands; flow: seats from each base winner to each projected winner; winners: each "
     "seat's code and projected winner (for a map); group: the first group's votes by seat "
     "and party, before and after"},
    CLI_OPTIONS_END};

static int is_json_name(const char *s)
{
	size_t n = strlen(s);

	return strcmp(s, "-") == 0 || (n > 5 && strcasecmp(s + n - 5, ".json") == 0);
}

/* BASE [SCENARIO], or a scenario file alone that names its base. */
static int positional(struct cli_ctx *ctx, bloc_request *rq)
{
	const struct cli_args *a = &ctx->args;
	int err;

	if (a->npos == 2) {
		if ((err = bloc_request_set(rq, "base", a->pos[0])) < 0)
			return err;
		return bloc_request_set(rq, "scenario", a->pos[1]);
	}
	return bloc_request_set(rq, is_json_name(a->pos[0]) ? "scenario" : "base", a->pos[0]);
}

const struct cli_command cli_cmd_project = {
    .name = "project",
    .query = "project",
    .summary = "Project the seats of a contest under a scenario of shares, swings "
               "and group shifts",
    .args = "BASE [SCENARIO]",
    .min_pos = 1,
    .max_pos = 2,
    .opts = project_options,
    .arguments =
        "  BASE      the contest to project from (a catalogue id or a results file). To project\n"
        "            the 2024 seats from 2019, use ge2019-notional-2023 (2019 on 2024 "
        "boundaries).\n"
        "  SCENARIO  a scenario file (JSON, below; - reads standard input). Given alone, the\n"
        "            file's \"base\" is the base. Flags are applied after the file, in order.\n",
    .details =
        "Columns: party,seats,votes_share,gains,losses,seats_base,votes_share_base,seats_change,\n"
        "share_change (shares in points of valid votes), by seats then share. With --by seat:\n"
        "code,name,winner_base,winner,majority_pct, then one column per party named by its code\n"
        "(projected share, points), then group_share (the first group's share of the seat's\n"
        "voters, points) when the scenario has a group. --by changes: the same first five\n"
        "columns and group_share, for the seats that change hands. --by flow: a row per base\n"
        "winner, a column per projected winner, and a TOTAL row. --by winners: code,winner\n"
        "(each seat's projected winner, in the contest's order). --by full and --by map write\n"
        "the web app's JSON documents (docs/api.md): the party table with the seat table, or\n"
        "with each seat's winner. --by group: code,name,party,group_base,group_projected,\n"
        "group_votes_base,group_votes_projected (the first group's share of its own votes for\n"
        "each candidate's party, points, and its votes), one row per seat and candidate.\n"
        "\nHow a projection is made (docs/scenarios.md; every assumption is in the metadata):\n"
        "  1. Candidates: a party's column in a seat is its candidate there (IND: the leading\n"
        "     independent; other independents count under OTH); a party without one gets no\n"
        "     votes there. --stand adds candidates from zero; once independents are stood,\n"
        "     IND's moves land only on them. A new independent starts from zero.\n"
        "  2. Targets: the base's shares moved by --swing, set by --shares (parties not listed\n"
        "     share the rest in proportion); each --region its own; other seats the national.\n"
        "  3. Groups: each seat's votes split into the group's (census share x adult-ratio x\n"
        "     turnout-ratio, voting as --baseline says) and everyone else's. X points move X%\n"
        "     of the group's own votes (never more than it gave a party: an error naming the\n"
        "     seat); towards a party with no candidate they stay at home; turnout=X adds X\n"
        "     points of group turnout. Northern Ireland has no census share: no shift.\n"
        "  4. The model (uniform, proportional, transition, strong) moves everyone else's.\n"
        "  5. --hold-shares (default yes): targets re-fitted until the shares set hold within\n"
        "     0.05 points with the groups' votes; impossible shares are an error.\n"
        "Repeating a flag merges: a later value for the same party in the same area replaces\n"
        "the earlier one. A bad value (unknown party, region or group, shares above 100, a\n"
        "malformed number or JSON) is an error: exit 1, with file:line:column for JSON.\n"
        "\nScenario file:\n"
        "  {\"base\":\"ge2024\", \"model\":\"strong\", \"threshold\":0.2,\n"
        "   \"shares\":{\"LAB\":34,\"CON\":24},\n"
        "   \"swing\":[{\"from\":\"LAB\",\"to\":\"REF\",\"points\":5}],\n"
        "   \"regions\":{\"Scotland\":{\"SNP\":30}},\n"
        "   "
        "\"groups\":[{\"group\":\"muslim\",\"change\":{\"LAB\":-20,\"IND\":12,\"turnout\":5}}],\n"
        "   \"stand\":[\"IND:A. Candidate@Bradford West\"], \"baseline\":\"survey:LAB=86,CON=9\",\n"
        "   \"hold_shares\":true, \"adult_ratio\":1, \"turnout_ratio\":1}\n"
        "  Every key is optional; an unknown key is an error. The output's metadata echoes\n"
        "  the scenario in this form.\n"
        "\nExamples:\n"
        "  bloc project ge2024 --shares LAB=30,CON=22,REF=20\n"
        "  bloc project ge2024 --group muslim:LAB=-20,GRN=+6 --baseline survey:LAB=86,CON=9\n"
        "  bloc project ge2019-notional-2023 --stand IND@Leicester South --baseline ei \\\n"
        "      muslim-shift.json --by changes\n"
        "  bloc project ge2019-notional-2023 scenario.json --model strong --by seat\n",
    .positional = positional};
