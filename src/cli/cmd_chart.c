/* bloc chart: one chart of a contest (or its projection) as SVG. */
#include "viz.h"

#include "bloc/chart.h"

#include <string.h>

enum type { T_SEATS, T_PARLIAMENT, T_VOTES_SEATS, T_SWING, T_MAJORITY };

static int parse_type(struct cli_ctx *ctx, const char *spec, enum type *t, const char **from)
{
	static const char *const names[] = {"seats", "parliament", "votes-seats", "swing",
	                                    "majority"};
	const char *colon = strchr(spec, ':');
	size_t n = colon ? (size_t)(colon - spec) : strlen(spec), i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strlen(names[i]) != n || strncmp(spec, names[i], n) != 0)
			continue;
		*t = (enum type)i;
		if (*t == T_SWING && (!colon || !colon[1]))
			return cli_usage_error(ctx, "--type swing: give swing:FROM, the contest to "
			                            "compare with (swing:ge2019)");
		if (*t != T_SWING && colon)
			return cli_usage_error(ctx, "--type %s takes no ':' argument, got '%s'",
			                       names[i], spec);
		*from = colon ? colon + 1 : NULL;
		return BLOC_EXIT_OK;
	}
	return cli_usage_error(
	    ctx,
	    "--type: expected seats, parliament, votes-seats, swing:FROM or majority, got '%s'",
	    spec);
}

int cmd_chart(struct cli_ctx *ctx)
{
	const struct cli_args *a = &ctx->args;
	bloc_chart_options co = BLOC_CHART_OPTIONS_INIT;
	bloc_scenario sc;
	bloc_projection p = {0};
	bloc_group_shares sg[BLOC_SCENARIO_MAX_GROUPS];
	bloc_seat_results r = {0};
	bloc_totals t = {0};
	bloc_swing sw = {0};
	bloc_contest *c = NULL, *from = NULL;
	bloc_dataset *ds;
	bloc_buf doc = BLOC_BUF_INIT;
	bloc_party pa, pb;
	enum type type = T_SEATS;
	const char *from_name = NULL, *note = NULL;
	char title[256], sub[512];
	size_t i, nsg = 0, np;
	const bloc_party *parties;
	const int64_t *seats;
	const double *share;
	int given = 0, rc;

	memset(sg, 0, sizeof(sg));
	if ((rc = viz_no_format(ctx)) != BLOC_EXIT_OK ||
	    (a->type && (rc = parse_type(ctx, a->type, &type, &from_name)) != BLOC_EXIT_OK))
		return rc;
	if ((rc = viz_scenario(ctx, &sc, a->npos > 1 ? a->pos[1] : NULL, 0, &given)) !=
	    BLOC_EXIT_OK)
		return rc;
	if (given && type == T_SWING)
		return cli_usage_error(ctx, "--type swing compares two actual results: it takes no "
		                            "scenario");
	if (cli_dataset(ctx, &ds) < 0)
		goto fail;
	if (type == T_SWING) {
		if (bloc_contest_open_pair(&from, &c, ds, from_name, a->pos[0], &note) < 0)
			goto fail;
		if ((rc = viz_pair(ctx, c, &pa, &pb)) != BLOC_EXIT_OK)
			goto done;
	} else if (cli_open_contest(ctx, a->pos[0], &c) < 0) {
		goto fail;
	}
	if (bloc_seat_results_compute(&r, c) < 0 || bloc_totals_compute(&t, c, &r, BLOC_BY_UK) < 0)
		goto fail;
	if (given) {
		if (bloc_scenario_set(&sc, "base", a->pos[0]) < 0)
			goto fail;
		for (nsg = 0; nsg < sc.ngroups; nsg++)
			if (bloc_group_shares_open(&sg[nsg], ds, c, sc.groups[nsg].group) < 0)
				goto fail;
		if (bloc_project(&p, c, &sc, nsg ? sg : NULL) < 0)
			goto fail;
		np = p.nparties;
		parties = p.parties;
		seats = p.seats;
		share = p.national;
		snprintf(sub, sizeof(sub), "Projected from %s under a scenario (%s model)", c->id,
		         bloc_model_name(sc.model));
	} else {
		np = t.nparties;
		parties = t.parties;
		seats = t.seats;
		share = t.share;
		snprintf(sub, sizeof(sub), "%s%s%s", c->id, c->date && *c->date ? ", " : "",
		         c->date ? c->date : "");
	}
	co.subtitle = sub;
	switch (type) {
	case T_SEATS:
		co.title = given ? "Projected seats" : "Seats won";
		rc = bloc_chart_seats(&doc, np, parties, seats, &co);
		break;
	case T_PARLIAMENT:
		co.title = given ? "Projected parliament" : "Parliament";
		rc = bloc_chart_parliament(&doc, np, parties, seats, &co);
		break;
	case T_VOTES_SEATS:
		co.title = given ? "Projected share of the vote and of the seats"
		                 : "Share of the vote and of the seats";
		rc = bloc_chart_votes_seats(&doc, np, parties, share, seats, &co);
		break;
	case T_MAJORITY:
		co.title = given ? "Projected majorities" : "Majorities";
		co.x_label = "majority, points of the seat's valid votes";
		rc = bloc_chart_histogram(&doc, c->nseats, given ? p.majority_pct : r.majority_pct,
		                          &co);
		break;
	case T_SWING:
		rc = bloc_swing_compute(&sw, from, c, pa, pb, NULL);
		snprintf(title, sizeof(title), "Butler swing %s to %s by seat, %s to %s",
		         bloc_party_code(pa), bloc_party_code(pb), from_name, a->pos[0]);
		snprintf(sub, sizeof(sub), "%s", note ? note : "seats matched by ONS code");
		co.title = title;
		if (rc == BLOC_OK)
			rc = bloc_chart_swing(&doc, c, &r, &sw, &co);
		break;
	}
	if (rc < 0)
		goto fail;
	rc = viz_write(ctx, &doc);
	goto done;
fail:
	rc = cli_fail(ctx);
done:
	bloc_buf_dispose(&doc);
	bloc_swing_dispose(&sw);
	for (i = 0; i < nsg; i++)
		bloc_group_shares_dispose(&sg[i]);
	bloc_projection_dispose(&p);
	bloc_totals_dispose(&t);
	bloc_seat_results_dispose(&r);
	bloc_contest_free(from);
	bloc_contest_free(c);
	return rc;
}
