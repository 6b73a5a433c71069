/* The agent-based by-election (simulate.h): the in-silico replications of the field
 * experiments its defaults come from, and the model's own contracts.
 *  - a canvass's intention-to-treat effect is the contact rate times the complier effect, and the
 *    complier effect estimated from it (ITT / contact rate) is the one set;
 *  - housemates of the contacted get the spillover share of the effect;
 *  - seeding a message with friends named by random people reaches more than seeding random
 *    people (Kim et al. 2015's ordering);
 *  - a replicate is the same for the same (seed, replicate) and differs for another; votes
 *    never exceed electors; a broker campaign moves the group's vote, a doorstep one moves
 *    turnout. */
#include "harness.h"

#include "bloc/error.h"
#include "bloc/simulate.h"

#include <math.h>
#include <string.h>

static void two_candidates(bloc_sim_params *p, size_t electors, double group)
{
	bloc_sim_params_init(p);
	p->electors = electors;
	p->group_share = group;
	p->ncand = 2;
	bloc_party_lookup("LAB", &p->cand[0]);
	bloc_party_lookup("RES", &p->cand[1]);
	p->lean_group[0] = 0.8;
	p->lean_group[1] = 0.2;
	p->lean_rest[0] = 0.5;
	p->lean_rest[1] = 0.5;
}

BLOC_TEST(simulate_canvass_itt_is_contact_rate_times_effect)
{
	bloc_sim_params p;
	bloc_sim_canvass_result x;
	double se;

	two_candidates(&p, 600000, 0.3);
	p.cace_turnout = 0.08; /* large, so that one run measures it well */
	BLOC_CHECK_OK(bloc_sim_canvass_experiment(&x, &p, 0.5, 11));
	/* a turnout difference over about 100,000 households an arm: SE about 0.0022 */
	se = sqrt(0.25 / (double)x.assigned + 0.25 / (double)x.control);
	BLOC_CHECK(fabs(x.contact_rate - p.contact_rate) < 0.01);
	BLOC_CHECK(fabs(x.itt - p.contact_rate * p.cace_turnout) < 4 * se);
	BLOC_CHECK(fabs(x.cace - p.cace_turnout) < 4 * se / p.contact_rate);
	/* housemates: spillover x effect (a smaller sample: housemates of contacted households) */
	BLOC_CHECK(fabs(x.housemate - p.spillover * p.cace_turnout) < 0.02);
	BLOC_CHECK(x.housemate > 0.2 * p.cace_turnout);
}

BLOC_TEST(simulate_no_effect_no_difference)
{
	bloc_sim_params p;
	bloc_sim_canvass_result x;

	two_candidates(&p, 300000, 0.3);
	p.cace_turnout = 0;
	BLOC_CHECK_OK(bloc_sim_canvass_experiment(&x, &p, 0.5, 5));
	BLOC_CHECK(fabs(x.itt) < 0.01);
	BLOC_CHECK(fabs(x.housemate) < 0.02);
}

BLOC_TEST(simulate_seeding_nominated_friends_reach_more)
{
	bloc_sim_params p;
	double rnd = 0, nom = 0, a, b;
	uint64_t s;

	two_candidates(&p, 20000, 0.3);
	p.friends = 3;
	for (s = 1; s <= 8; s++) {
		/* a message each tie passes on with probability 0.1: below the epidemic threshold,
		 * so how far it goes depends on whom it starts with */
		BLOC_CHECK_OK(bloc_sim_seeding_experiment(&a, &b, &p, 200, 0.1, s));
		rnd += a;
		nom += b;
	}
	BLOC_CHECK(nom > 1.1 * rnd);
	BLOC_CHECK(rnd > 0 && nom < 8);
}

BLOC_TEST(simulate_replicates_are_reproducible)
{
	bloc_sim_params p;
	bloc_sim_outcome a, b, c;
	size_t k;
	double sum = 0;

	two_candidates(&p, 20000, 0.3);
	p.strategy[0] = BLOC_SIM_BROKER;
	p.strategy[1] = BLOC_SIM_DOORSTEP;
	p.budget[1] = 3000;
	BLOC_CHECK_OK(bloc_sim_run(&a, &p, 7, 3));
	BLOC_CHECK_OK(bloc_sim_run(&b, &p, 7, 3));
	BLOC_CHECK_OK(bloc_sim_run(&c, &p, 7, 4));
	BLOC_CHECK(memcmp(a.votes, b.votes, sizeof(a.votes)) == 0 && a.turnout == b.turnout);
	BLOC_CHECK(memcmp(a.votes, c.votes, sizeof(a.votes)) != 0);
	for (k = 0; k < p.ncand; k++)
		sum += a.votes[k];
	BLOC_CHECK(sum <= (double)p.electors && fabs(sum / (double)p.electors - a.turnout) < 1e-12);
	BLOC_CHECK(a.contacted > 0 && a.endorsed > 0);
}

BLOC_TEST(simulate_brokers_move_the_group)
{
	bloc_sim_params p;
	bloc_sim_outcome none, broker;

	two_candidates(&p, 40000, 0.4);
	BLOC_CHECK_OK(bloc_sim_run(&none, &p, 2, 0));
	p.strategy[1] = BLOC_SIM_BROKER; /* the clusters' brokers back RES */
	BLOC_CHECK_OK(bloc_sim_run(&broker, &p, 2, 0));
	BLOC_CHECK(broker.votes[1] > none.votes[1] + 0.03 * (double)p.electors);
	BLOC_CHECK(broker.endorsed > 0 && none.endorsed == 0);
}

BLOC_TEST(simulate_bad_parameters)
{
	bloc_sim_params p;
	bloc_sim_outcome o;

	two_candidates(&p, 5, 0.3);
	BLOC_CHECK_INT_EQ(bloc_sim_run(&o, &p, 1, 0), BLOC_EINVAL);
	BLOC_CHECK(strstr(bloc_error_last(), "electors") != NULL);
	two_candidates(&p, 1000, 0.3);
	p.lean_rest[0] = 0.9;
	BLOC_CHECK_INT_EQ(bloc_sim_run(&o, &p, 1, 0), BLOC_EINVAL);
	BLOC_CHECK(bloc_sim_strategy_parse("doorstep") == BLOC_SIM_DOORSTEP);
	BLOC_CHECK(bloc_sim_strategy_parse("door") == -1);
}
