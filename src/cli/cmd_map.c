/* bloc map: a hex map of a contest's seats as SVG, coloured by winner, a party's share, swing,
 * change of hands under a scenario, a census group's share, or bloc decisiveness. */
#include "viz.h"

#include "bloc/hexmap.h"

#include <string.h>

enum mode { M_WINNER, M_SHARE, M_SWING, M_CHANGE, M_GROUP, M_DECISIVE };

static const struct {
	const char *name;
	enum mode mode;
	int takes_arg; /* 1: "name:ARG" required, 0: no argument */
} modes[] = {{"winner", M_WINNER, 0}, {"share", M_SHARE, 1}, {"swing", M_SWING, 1},
             {"change", M_CHANGE, 0}, {"group", M_GROUP, 1}, {"decisive", M_DECISIVE, 1}};

static int parse_mode(struct cli_ctx *ctx, const char *spec, enum mode *mode, const char **arg)
{
	const char *colon = strchr(spec, ':');
	size_t n = colon ? (size_t)(colon - spec) : strlen(spec), i;

	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		if (strlen(modes[i].name) != n || strncmp(spec, modes[i].name, n) != 0)
			continue;
		if (modes[i].takes_arg && (!colon || !colon[1]))
			return cli_usage_error(ctx, "--colour %s: give %s:%s", modes[i].name,
			                       modes[i].name,
			                       modes[i].mode == M_SHARE   ? "PARTY"
			                       : modes[i].mode == M_SWING ? "FROM"
			                                                  : "GROUP");
		if (!modes[i].takes_arg && colon)
			return cli_usage_error(ctx, "--colour %s takes no ':' argument, got '%s'",
			                       modes[i].name, spec);
		*mode = modes[i].mode;
		*arg = colon ? colon + 1 : NULL;
		return BLOC_EXIT_OK;
	}
	return cli_usage_error(ctx,
	                       "--colour: expected winner, share:PARTY, swing:FROM, change, "
	                       "group:NAME or decisive:NAME, got '%s'",
	                       spec);
}

int cmd_map(struct cli_ctx *ctx)
{
	const struct cli_args *a = &ctx->args;
	bloc_map_options mo = BLOC_MAP_OPTIONS_INIT;
	bloc_power_options po;
	bloc_scenario sc;
	bloc_projection p = {0};
	bloc_group_shares g = {0}, sg[BLOC_SCENARIO_MAX_GROUPS];
	bloc_seat_results r = {0};
	bloc_swing sw = {0};
	bloc_power pw = {0};
	bloc_map_layer L = {0};
	bloc_contest *c = NULL, *from = NULL;
	bloc_hexmap *m = NULL;
	bloc_dataset *ds;
	bloc_buf doc = BLOC_BUF_INIT;
	bloc_party party = BLOC_PARTY_NONE, pa, pb;
	enum mode mode = M_WINNER;
	const char *arg = NULL, *note = NULL;
	char src[1024], desc[1400];
	size_t i, nsg = 0;
	int given = 0, rc;

	memset(sg, 0, sizeof(sg));
	if ((rc = viz_no_format(ctx)) != BLOC_EXIT_OK ||
	    (a->colour && (rc = parse_mode(ctx, a->colour, &mode, &arg)) != BLOC_EXIT_OK))
		return rc;
	if (mode == M_SHARE && (rc = cli_party(ctx, "--colour share", arg, &party)) != BLOC_OK)
		return rc;
	if ((rc = viz_scenario(ctx, &sc, a->npos > 1 ? a->pos[1] : NULL, 0, &given)) !=
	    BLOC_EXIT_OK)
		return rc;
	if (given && mode != M_WINNER && mode != M_SHARE && mode != M_CHANGE)
		return cli_usage_error(ctx,
		                       "--colour %s draws actual results: scenario flags go with "
		                       "winner, share and change",
		                       a->colour);
	if (cli_dataset(ctx, &ds) < 0)
		goto fail;
	if (mode == M_SWING) {
		if (bloc_contest_open_pair(&from, &c, ds, arg, a->pos[0], &note) < 0)
			goto fail;
		if ((rc = viz_pair(ctx, c, &pa, &pb)) != BLOC_EXIT_OK)
			goto done;
	} else if (cli_open_contest(ctx, a->pos[0], &c) < 0) {
		goto fail;
	}
	if (bloc_seat_results_compute(&r, c) < 0 || bloc_hexmap_open(&m, ds, c) < 0)
		goto fail;
	viz_warn_missing(ctx, m, c);
	if (given || mode == M_CHANGE) {
		if (bloc_scenario_set(&sc, "base", a->pos[0]) < 0)
			goto fail;
		for (nsg = 0; nsg < sc.ngroups; nsg++)
			if (bloc_group_shares_open(&sg[nsg], ds, c, sc.groups[nsg].group) < 0)
				goto fail;
		if (bloc_project(&p, c, &sc, nsg ? sg : NULL) < 0)
			goto fail;
	}
	switch (mode) {
	case M_WINNER:
		rc = given ? bloc_map_layer_projected_winner(&L, c, &p)
		           : bloc_map_layer_winner(&L, c, &r);
		break;
	case M_SHARE:
		rc = given ? bloc_map_layer_projected_share(&L, c, &p, party)
		           : bloc_map_layer_share(&L, c, party);
		break;
	case M_CHANGE:
		rc = bloc_map_layer_change(&L, c, &p);
		break;
	case M_SWING:
		rc = bloc_swing_compute(&sw, from, c, pa, pb, NULL);
		if (rc == BLOC_OK)
			rc = bloc_map_layer_swing(&L, c, &sw, 0);
		break;
	case M_GROUP:
		rc = bloc_group_shares_open(&g, ds, c, arg);
		if (rc == BLOC_OK)
			rc = bloc_map_layer_group(&L, c, &g);
		break;
	case M_DECISIVE:
		bloc_power_options_init(&po);
		rc = bloc_group_shares_open(&g, ds, c, arg);
		if (rc == BLOC_OK)
			rc = bloc_power_compute(&pw, c, &g, &po);
		if (rc == BLOC_OK)
			rc = bloc_map_layer_decisive(&L, c, &pw, g.group);
		break;
	}
	if (rc < 0)
		goto fail;
	snprintf(desc, sizeof(desc), "bloc map of %s (%s); hex layout %s (%s)%s%s%s", c->id,
	         viz_source(ctx, c, src, sizeof(src)), m->id, m->source,
	         given ? "; scenario applied" : "", note ? "; " : "", note ? note : "");
	mo.desc = desc;
	if (bloc_hexmap_svg(&doc, m, c, &L, &mo) < 0)
		goto fail;
	rc = viz_write(ctx, &doc);
	goto done;
fail:
	rc = cli_fail(ctx);
done:
	bloc_buf_dispose(&doc);
	bloc_map_layer_dispose(&L);
	bloc_power_dispose(&pw);
	bloc_swing_dispose(&sw);
	bloc_group_shares_dispose(&g);
	for (i = 0; i < nsg; i++)
		bloc_group_shares_dispose(&sg[i]);
	bloc_projection_dispose(&p);
	bloc_seat_results_dispose(&r);
	bloc_hexmap_free(m);
	bloc_contest_free(from);
	bloc_contest_free(c);
	return rc;
}
