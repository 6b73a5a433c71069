/* bloc report: one self-contained HTML file of a contest, with a scenario and a group's bloc
 * power when asked. The command computes each part with the library and hands the results to
 * bloc_report_html. */
#include "viz.h"

#include "bloc/report.h"

#include <stdint.h>
#include <string.h>

/* --group values without ':' name the bloc power group; the last one counts. */
static const char *power_group(const struct cli_args *a)
{
	const char *name = NULL;
	size_t i;

	for (i = 0; i < a->nseq; i++)
		if (strcmp(a->seq[i].name, "group") == 0 && !strchr(a->seq[i].value, ':'))
			name = a->seq[i].value;
	return name;
}

/* The two parties with the most seats (then votes) in the UK totals. */
static size_t largest_parties(const bloc_totals *t, bloc_party out[2])
{
	size_t k, n = 0, best[2] = {SIZE_MAX, SIZE_MAX};

	for (k = 0; k < t->nparties; k++) {
		size_t j;
		if (t->parties[k] == bloc_party_oth() || t->parties[k] == bloc_party_ind() ||
		    t->seats[k] == 0)
			continue;
		for (j = 0; j < 2; j++) {
			size_t b = best[j];
			if (b == SIZE_MAX || t->seats[k] > t->seats[b] ||
			    (t->seats[k] == t->seats[b] && t->votes[k] > t->votes[b])) {
				if (j == 0)
					best[1] = best[0];
				best[j] = k;
				break;
			}
		}
	}
	for (k = 0; k < 2; k++)
		if (best[k] != SIZE_MAX)
			out[n++] = t->parties[best[k]];
	return n;
}

int cmd_report(struct cli_ctx *ctx)
{
	const struct cli_args *a = &ctx->args;
	bloc_report rep;
	bloc_power_options po;
	bloc_scenario sc;
	bloc_projection p = {0};
	bloc_group_shares g = {0}, sg[BLOC_SCENARIO_MAX_GROUPS];
	bloc_seat_results r = {0};
	bloc_totals t = {0};
	bloc_targets tg[2];
	bloc_power pw = {0};
	bloc_ei_input ein = {0};
	bloc_ei_goodman egm = {0};
	bloc_ei_bounds eb = {0};
	bloc_ei_view ev;
	bloc_contest *c = NULL;
	bloc_hexmap *m = NULL;
	bloc_dataset *ds;
	bloc_buf doc = BLOC_BUF_INIT;
	const char *group = power_group(a);
	char src[1024];
	size_t i, nsg = 0, ntg = 0;
	int given = 0, rc;

	memset(sg, 0, sizeof(sg));
	memset(tg, 0, sizeof(tg));
	bloc_report_init(&rep);
	if ((rc = viz_no_format(ctx)) != BLOC_EXIT_OK ||
	    (rc = viz_scenario(ctx, &sc, a->npos > 1 ? a->pos[1] : NULL, 1, &given)) !=
	        BLOC_EXIT_OK)
		return rc;
	if (cli_dataset(ctx, &ds) < 0 || cli_open_contest(ctx, a->pos[0], &c) < 0 ||
	    bloc_seat_results_compute(&r, c) < 0 || bloc_totals_compute(&t, c, &r, BLOC_BY_UK) < 0)
		goto fail;
	rep.contest = c;
	rep.results = &r;
	rep.totals = &t;
	rep.source = viz_source(ctx, c, src, sizeof(src));
	if (bloc_hexmap_open(&m, ds, c) == BLOC_OK) {
		viz_warn_missing(ctx, m, c);
		rep.hexmap = m;
	} else {
		fprintf(stderr, "bloc: report: warning: no map: %s\n", bloc_error_last());
	}
	if (given) {
		if (bloc_scenario_set(&sc, "base", a->pos[0]) < 0)
			goto fail;
		for (nsg = 0; nsg < sc.ngroups; nsg++)
			if (bloc_group_shares_open(&sg[nsg], ds, c, sc.groups[nsg].group) < 0)
				goto fail;
		if (bloc_project(&p, c, &sc, nsg ? sg : NULL) < 0)
			goto fail;
		rep.scenario = &sc;
		rep.projection = &p;
		rep.scenario_groups = nsg ? sg : NULL;
	}
	{
		bloc_party big[2];
		size_t nbig = largest_parties(&t, big);
		for (ntg = 0; ntg < nbig; ntg++) {
			if (bloc_targets_compute(&tg[ntg], c, &r, big[ntg]) < 0)
				goto fail;
			rep.targets[ntg] = &tg[ntg];
			rep.target_party[ntg] = big[ntg];
		}
		rep.ntargets = ntg;
		rep.target_limit = 20;
	}
	if (group) {
		bloc_power_options_init(&po);
		if (bloc_group_shares_open(&g, ds, c, group) < 0 ||
		    bloc_power_compute(&pw, c, &g, &po) < 0)
			goto fail;
		rep.power_group = &g;
		rep.power_options = &po;
		rep.power = &pw;
		/* how it voted: Goodman (deterministic, instant) with the bounds */
		if (bloc_ei_from_contest(&ein, c, &g, 1, 0.02, 0) < 0 ||
		    bloc_ei_goodman_fit(&egm, &ein, 0) < 0 || bloc_ei_bounds_compute(&eb, &ein) < 0)
			goto fail;
		ev = (bloc_ei_view){"goodman", ein.R,  ein.C, egm.est, egm.lo95,
		                    egm.hi95,  egm.se, NULL,  NULL,    egm.outside,
		                    NULL,      NULL,   NULL};
		rep.ei_input = &ein;
		rep.ei = &ev;
		rep.ei_bounds = &eb;
	}
	if (bloc_report_html(&doc, &rep) < 0)
		goto fail;
	rc = viz_write(ctx, &doc);
	goto done;
fail:
	rc = cli_fail(ctx);
done:
	bloc_buf_dispose(&doc);
	bloc_power_dispose(&pw);
	bloc_ei_bounds_dispose(&eb);
	bloc_ei_goodman_dispose(&egm);
	bloc_ei_input_dispose(&ein);
	bloc_group_shares_dispose(&g);
	for (i = 0; i < ntg; i++)
		bloc_targets_dispose(&tg[i]);
	for (i = 0; i < nsg; i++)
		bloc_group_shares_dispose(&sg[i]);
	bloc_projection_dispose(&p);
	bloc_totals_dispose(&t);
	bloc_seat_results_dispose(&r);
	bloc_hexmap_free(m);
	bloc_contest_free(c);
	return rc;
}
