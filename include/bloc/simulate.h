/* bloc — an agent-based by-election: a synthetic electorate of one seat in households, kinship
 * clusters led by brokers and friendship ties, campaigns that work through the brokers or on
 * the doorstep, social influence, then turnout and the vote. Every parameter has a default
 * (bloc_sim_params_init) with its source or "assumption" in docs/simulate.md. */
#ifndef BLOC_SIMULATE_H
#define BLOC_SIMULATE_H

#include <stddef.h>
#include <stdint.h>

#include "party.h"

#ifdef __cplusplus
extern "C" {
#endif

#define BLOC_SIM_MAX_CANDIDATES 16
#define BLOC_SIM_AGES           6 /* 18-24, 25-34, 35-44, 45-54, 55-64, 65+ */
#define BLOC_SIM_HOUSEHOLD      6 /* households of 1, 2, ... 5, 6 electors */

/** A candidate's campaign. */
enum { BLOC_SIM_NONE = 0, BLOC_SIM_BROKER, BLOC_SIM_DOORSTEP, BLOC_SIM_BOTH };
/** "none", "broker", "doorstep", "both" (-1 if unknown). */
int bloc_sim_strategy_parse(const char *name);
const char *bloc_sim_strategy_name(int s);

typedef struct {
	/* the electorate */
	size_t electors;
	double group_share;              /* of electors in the group (a census share) */
	double age_group[BLOC_SIM_AGES]; /* the group's electors by age band (sum 1) */
	double age_rest[BLOC_SIM_AGES];  /* everyone else's */
	double female;                   /* the share of women among electors (0.5) */
	/* households by the electors in them (1 to 6; each sums to 1): the group's, everyone
	 * else's */
	double household_group[BLOC_SIM_HOUSEHOLD];
	double household_rest[BLOC_SIM_HOUSEHOLD];
	double turnout_age[BLOC_SIM_AGES]; /* turnout by age band (GE2010) */
	double turnout_scale;              /* x turnout: a by-election's (0.77) */
	/* the candidates and how each part of the electorate leans to them (shares, sum 1) */
	size_t ncand;
	bloc_party cand[BLOC_SIM_MAX_CANDIDATES];
	double lean_group[BLOC_SIM_MAX_CANDIDATES];
	double lean_rest[BLOC_SIM_MAX_CANDIDATES];
	/* networks */
	size_t kin_min, kin_max; /* kinship cluster sizes, electors (uniform) */
	size_t brokers;          /* per cluster */
	double friends;          /* friendship ties per person (mean) */
	double homophily;        /* the share of a person's friends in their own group */
	double homophily_age;    /* the share of friends required to be of one's own age band */
	double homophily_sex;    /* and of one's own sex (0: none; both drawn by popularity) */
	/* campaigns */
	int strategy[BLOC_SIM_MAX_CANDIDATES];
	double budget[BLOC_SIM_MAX_CANDIDATES]; /* doorstep: doors knocked */
	double contact_rate;         /* of doors knocked, the share where someone talks */
	double cace_turnout;         /* a talk's effect on turnout (complier, points / 100) */
	double persuasion;           /* a talk's chance to win the voter over */
	double spillover;            /* housemates get this share of a talk's effects */
	double compliance_older_men; /* a broker's endorsement followed by men 45+ */
	double compliance_other;     /* by women and the young */
	int doorstep_target;         /* 1: doorstep campaigns go to women and the young in the
	                                group first; 0: any door */
	size_t rounds;               /* rounds of word of mouth and of social influence */
	double word_of_mouth; /* chance a friend is won over by one won over on the doorstep */
	double influence;     /* chance a person copies a random friend's choice per round */
} bloc_sim_params;

/** The defaults (docs/simulate.md); electors, the group share and the candidates are left 0. */
void bloc_sim_params_init(bloc_sim_params *p);

/** One replicate's outcome. */
typedef struct {
	double votes[BLOC_SIM_MAX_CANDIDATES];
	double turnout; /* votes / electors */
	size_t winner;
	size_t contacted; /* talks on the doorstep */
	size_t endorsed;  /* electors reached by a broker's endorsement who followed it */
	/* who changed their vote from their leaning, by sex (0 men, 1 women), age band and group
	 * (0 the group, 1 the rest): counts */
	double moved[2][BLOC_SIM_AGES][2];
	double voters[2][BLOC_SIM_AGES][2];
	size_t bytes; /* the memory the replicate's electorate and networks took */
	/* the friendship ties (a sample: the first 20,000 of the replicate): how many, and how many
	 * join electors of the same part, age band and sex */
	size_t ties, ties_part, ties_age, ties_sex;
} bloc_sim_outcome;

/**
 * Build a synthetic electorate from `p` and run one replicate: households, kinship clusters
 * with their brokers (older men of the group), friendship ties, the campaigns, `rounds` of
 * influence, then turnout and the vote. Deterministic in (seed, replicate). Memory O(electors).
 * @return BLOC_OK, BLOC_EINVAL (a bad parameter: its name and value), BLOC_ENOMEM.
 */
int bloc_sim_run(bloc_sim_outcome *out, const bloc_sim_params *p, uint64_t seed,
                 uint64_t replicate);

/** A worker's buffers, kept from one replicate to the next (grown for a larger seat, never
 * shrunk), so a run of replicates allocates once: one per thread. */
typedef struct bloc_sim_workspace bloc_sim_workspace;
/** NULL when out of memory. */
bloc_sim_workspace *bloc_sim_workspace_new(void);
void bloc_sim_workspace_free(bloc_sim_workspace *w);
/** bloc_sim_run in w's buffers: the same outcome, with no allocation once w is large enough. */
int bloc_sim_run_in(bloc_sim_workspace *w, bloc_sim_outcome *out, const bloc_sim_params *p,
                    uint64_t seed, uint64_t replicate);

/* ---- in-silico experiments (the field experiments the defaults come from, replayed) -------- */

/** A canvassing experiment: a random `treat` share of the electorate is assigned a knock; the
 * intention-to-treat effect on turnout (assigned - not), the complier effect (ITT / contact
 * rate), and the housemates' effect (housemates of the contacted - of the untreated, for
 * people not assigned themselves) in one replicate with no campaigns. */
typedef struct {
	double itt, cace, housemate, contact_rate;
	size_t assigned, control;
} bloc_sim_canvass_result;

int bloc_sim_canvass_experiment(bloc_sim_canvass_result *out, const bloc_sim_params *p,
                                double treat, uint64_t seed);

/** A seeding experiment: a message given to `seeds` people spreads along friendship ties, each
 * tie passing it on with probability `pass` once; the share of the electorate reached when the
 * seeds are random people, and when they are a random friend named by random people (the
 * friendship paradox: Kim et al. 2015). */
int bloc_sim_seeding_experiment(double *reach_random, double *reach_nominated,
                                const bloc_sim_params *p, size_t seeds, double pass, uint64_t seed);

#ifdef __cplusplus
}
#endif
#endif
