/* bloc — seat projection: uniform, proportional, transition and strong-transition swing, national
 * or by area (nation, region), and group scenarios carried to every seat through the census. */
#ifndef BLOC_PROJECT_H
#define BLOC_PROJECT_H

#include <stddef.h>
#include <stdint.h>

#include "analysis.h"
#include "contest.h"
#include "groups.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
	BLOC_MODEL_UNIFORM = 0,  /* additive: seat share + (target - base) */
	BLOC_MODEL_PROPORTIONAL, /* multiplicative: seat share x target / base */
	BLOC_MODEL_TRANSITION, /* decliners lose proportionally, gainers share the released votes */
	BLOC_MODEL_STRONG /* strong transition: weak supporters (up to tau of turnout) go first */
} bloc_model;

/** "uniform", "proportional", "transition", "strong" (also "uns", "stm", "tm"). */
int bloc_model_parse(const char *name, int *out);
const char *bloc_model_name(int model);

/* ---- the projection kernel: prepared once per base contest, then run allocation-free -------- */

typedef struct bloc_projector bloc_projector;

/**
 * Prepare projections of `base`. Seats are split into `nareas` areas by `area_of_seat` (nseats
 * entries < nareas; NULL = one area of all seats; SIZE_MAX excludes a seat, which keeps its base
 * shares). For each area the base shares E (votes-weighted) and the strong-transition pools are
 * computed here. Parties are the base contest's parties under their successors (BRX counts as
 * REF), plus `extra` parties (may be NULL/0) that have no votes in the base, in registry order.
 * Cost: O(seats x parties). The caller owns *out.
 */
int bloc_projector_new(bloc_projector **out, const bloc_contest *base, const size_t *area_of_seat,
                       size_t nareas, const bloc_party *extra, size_t nextra);
void bloc_projector_free(bloc_projector *p);

size_t bloc_projector_nparties(const bloc_projector *p);
const bloc_party *bloc_projector_parties(const bloc_projector *p);
size_t bloc_projector_nareas(const bloc_projector *p);
/** Column of party p (after successors), or -1. */
long bloc_projector_col(const bloc_projector *p, bloc_party party);
/** Base shares (fractions), nseats x nparties, and each area's base national shares E. */
const double *bloc_projector_base(const bloc_projector *p);
const double *bloc_projector_area_base(const bloc_projector *p, size_t area);

/**
 * Project: `target` holds each area's target shares (nareas x nparties fractions, each row
 * summing to 1); `shares` receives nseats x nparties fractions, every row in [0,1] summing to 1.
 * Uniform swing that pushes a share below 0 sets it to 0 and rescales the seat's other shares so
 * the row sums to 1. `tau` is the strong-transition threshold (fraction of the seat's turnout).
 * A target equal to the base reproduces the base exactly. No allocation; O(seats x parties).
 * Uses scratch space inside `p`: one projector per thread.
 * @return BLOC_OK, BLOC_EINVAL (bad model or tau; message set before any work).
 */
int bloc_projector_run(bloc_projector *p, int model, double tau, const double *target,
                       double *shares);

/* ---- scenarios: the same object from CLI flags, a JSON file, or (later) the web server ------ */

#define BLOC_SCENARIO_VERSION    1
#define BLOC_SCENARIO_MAX_LIST   32
#define BLOC_SCENARIO_MAX_AREAS  16
#define BLOC_SCENARIO_MAX_SWINGS 16
#define BLOC_SCENARIO_MAX_GROUPS 8
#define BLOC_SCENARIO_MAX_STANDS 64

typedef struct {
	bloc_party party;
	double value; /* percentage points */
} bloc_party_value;

/** Target shares in an area ("" = the whole contest; else a nation or region name). Parties not
 * listed share what is left in proportion to their base shares in that area. */
typedef struct {
	char area[64];
	size_t n;
	bloc_party_value shares[BLOC_SCENARIO_MAX_LIST];
} bloc_area_shares;

/** A national Butler swing: `points` from `from` to `to` (from loses, to gains that many). */
typedef struct {
	bloc_party from, to;
	double points;
} bloc_swing_term;

/** A change in one census group's support, in points of the group's voters: the group's own
 * votes (its baseline) move, so a party cannot lose more of the group than the group gave it. A
 * negative total means that many of the group's voters stay at home; a positive one, new voters.
 * A shift towards a party with no candidate in a seat stays at home there. `turnout` changes
 * the group's turnout by that many points (its voters vote as the shifted group does). */
typedef struct {
	char group[32];
	size_t n;
	bloc_party_value change[BLOC_SCENARIO_MAX_LIST];
	double turnout; /* points of the group's turnout; 0 = unchanged */
} bloc_group_shift;

/** A new candidate: `party` (IND for a new independent, optionally `name`d) stands in `seat`
 * (an ONS code or a seat name, or "all": every seat with votes), from zero votes. */
typedef struct {
	bloc_party party;
	char name[64];
	char seat[128];
} bloc_stand;

/** How a group voted in the base, from which its shifts are taken. */
typedef enum {
	BLOC_BASELINE_CENSUS = 0, /* the group votes like the rest of its seat */
	BLOC_BASELINE_SURVEY,     /* one national split (`survey`), fitted inside each seat */
	BLOC_BASELINE_EI          /* each seat's R x C posterior means (bloc ei --method rxc) */
} bloc_baseline;

typedef struct {
	unsigned version;
	char base[256];   /* base contest id or path; "" if given apart */
	int model;        /* bloc_model (default uniform) */
	double threshold; /* strong-transition tau (default 0.20) */
	size_t nareas;
	bloc_area_shares areas[BLOC_SCENARIO_MAX_AREAS];
	size_t nswings;
	bloc_swing_term swings[BLOC_SCENARIO_MAX_SWINGS];
	size_t ngroups;
	bloc_group_shift groups[BLOC_SCENARIO_MAX_GROUPS];
	/* The group's share of a seat's voters = census share of residents x adult_ratio x
	 * turnout_ratio (both default 1: the group is as adult and votes as often as the seat). */
	double adult_ratio;
	double turnout_ratio;
	size_t nstands;
	bloc_stand stands[BLOC_SCENARIO_MAX_STANDS];
	int baseline; /* bloc_baseline */
	size_t nsurvey;
	bloc_party_value survey[BLOC_SCENARIO_MAX_LIST]; /* BLOC_BASELINE_SURVEY: points */
	/* BLOC_BASELINE_EI: the R x C run's seed, kept sweeps per chain, chains and burn-in
	 * (0 = bloc ei's defaults) */
	uint64_t ei_seed;
	size_t ei_draws, ei_chains, ei_burnin;
	/* 1 (default): after group shifts everyone else's votes are re-fitted through the model
	 * until the shares set (national shares or swings, each --region) hold within
	 * hold_tolerance points; 0: the targets go through the model once. */
	int hold_shares;
	double hold_tolerance; /* points; default 0.05 */
} bloc_scenario;

/** Defaults: uniform model, tau 0.20, no terms, ratios 1, census baseline, shares held within
 * 0.05 points. */
void bloc_scenario_init(bloc_scenario *s);

/* Setting a scenario from flags or JSON and writing it back: io.h. */

/* ---- projecting a contest with a scenario -------------------------------------------------- */

typedef struct {
	size_t nseats, nparties;
	bloc_party *parties; /* nparties */
	double *base_share;  /* nseats x nparties, fractions */
	double *share;       /* nseats x nparties, projected fractions */
	bloc_party
	    *winner_base;   /* nseats; BLOC_PARTY_NONE (here and below) for a seat without votes */
	bloc_party *winner; /* nseats, projected */
	bloc_party *second; /* nseats, projected */
	double *majority_pct;  /* nseats, projected winner minus second, points; NaN if no winner */
	double *group_share;   /* nseats: the first group's share of the seat's voters, or NaN */
	double *national_base; /* nparties, points of valid votes */
	double *national;      /* nparties, projected */
	int64_t *seats_base;   /* nparties */
	int64_t *seats;        /* nparties */
	int64_t *gains, *losses; /* nparties */
	int64_t *flow;           /* nparties x nparties: seats from base winner (row) to winner */
	size_t changed;          /* seats that change hands */
	/* The shares held (national shares or swings; each --region's): asked and reached, in
	 * points, for the seats outside every named area (area 0) and each named area, nareas x
	 * nparties; an area not held has NaN in `asked`. hold_gap is the largest |asked - reached|
	 * over the held areas, hold_rounds the re-fits it took (0: the first pass held). */
	size_t nareas;
	double *asked, *reached;
	double hold_gap;
	size_t hold_rounds;
	double home_votes;  /* group votes that stayed at home for want of their candidate */
	double group_votes; /* the groups' votes in the base (after ratios), all seats */
	size_t stood;       /* new candidates stood (--stand) */
	unsigned char
	    *cand; /* nseats x nparties: 1 where the party has a candidate (base or new) */
	/* the first group's votes by seat and party in the base (by its baseline) and after its
	 * shift, nseats x nparties; NULL without a group */
	double *group_base, *group_after;
} bloc_projection;

/** How a group voted in each seat of the base (a baseline estimated elsewhere, e.g. by EI):
 * shares of the group's own votes by party, aligned to the base's seats. A party may be OTH for
 * the parties merged into it (spread over the seat's other candidates in proportion to their
 * votes). A NaN row leaves that seat to the census baseline. */
typedef struct {
	size_t nseats, nparties;
	const bloc_party *parties;
	const double *share; /* nseats x nparties fractions */
} bloc_group_votes;

/**
 * Project `base` under scenario `sc`. `groups[i]` are the census shares of `sc->groups[i].group`
 * for base's seats (load them with bloc_group_shares_open; NULL when the scenario has none).
 * A seat holds candidates: a party's column in a seat is its candidate there (IND: the seat's
 * leading independent), new ones come from sc->stands, and a party with no candidate in a seat
 * gets no votes there in any model. When the scenario stands an independent anywhere, IND's
 * moves (model and group shifts) land only on the independents it stood; the base's other
 * independents keep their share. An independent stood where the base has one replaces it in the
 * IND column; the earlier independent's votes count under OTH.
 * Each seat's vote is split into each group's (its census share of the seat's voters, voting
 * as sc->baseline says) and everyone else's. Group shifts move the group's votes; the model
 * moves everyone else's towards the area targets (national swings and shares for the seats
 * outside every named area, each area's shares for its seats), re-fitted until the targets
 * hold with the group's votes added (sc->hold_shares). Zeroes *out first.
 * @return BLOC_OK, BLOC_EINVAL (unknown area or seat, shares above 100, swing leaving a share
 *         below 0, group shares missing, a shift taking more of a party than the group gave it,
 *         shares that cannot hold: a party with no candidate), BLOC_ENOMEM.
 */
int bloc_project(bloc_projection *out, const bloc_contest *base, const bloc_scenario *sc,
                 const bloc_group_shares *groups);
/**
 * bloc_project reusing a prepared projector: `pj` from bloc_projector_new(&pj, base, NULL, 1,
 * NULL, 0) on the same `base` (NULL: as bloc_project). When the scenario names no area and only
 * parties that have a column in `pj` (the common case), `pj` is used instead of a projector built
 * for the call, which saves O(seats x parties) of preparation and its allocations; otherwise the
 * call prepares its own. Either way the result is bit for bit that of bloc_project. `pj`'s
 * scratch space is used: one projector per thread (or per caller holding it at a time).
 */
int bloc_project_prepared(bloc_projection *out, const bloc_contest *base, bloc_projector *pj,
                          const bloc_scenario *sc, const bloc_group_shares *groups);
/**
 * bloc_project_prepared with each group's baseline votes: `votes[g]` for sc->groups[g] when
 * sc->baseline is BLOC_BASELINE_EI (NULL otherwise, or NULL for all).
 */
int bloc_project_baselined(bloc_projection *out, const bloc_contest *base, bloc_projector *pj,
                           const bloc_scenario *sc, const bloc_group_shares *groups,
                           const bloc_group_votes *votes);
void bloc_projection_dispose(bloc_projection *p);

/* ---- backtests ----------------------------------------------------------------------------- */

typedef enum { BLOC_LEVEL_UK = 0, BLOC_LEVEL_GB, BLOC_LEVEL_NATION, BLOC_LEVEL_REGION } bloc_level;
int bloc_level_parse(const char *name, int *out);
const char *bloc_level_name(int level);

/**
 * Apply `to`'s actual shares (at `level`: over the UK, Great Britain, each nation or each region;
 * GB leaves Northern Ireland out) to `from`'s seat results with `model`, over the seats the two
 * share, and compare with `to`'s actual results.
 */
typedef struct {
	size_t nseats;      /* seats compared (shared, with votes in both contests) */
	size_t seats_wrong; /* projected winner differs from the actual winner */
	double share_mae;   /* mean |projected - actual| seat share, points, over seats and the
	                     * parties with >= 1% of the vote in either contest */
	size_t nparties;
	bloc_party *parties;
	int64_t *seats_projected, *seats_actual; /* nparties */
	double *party_mae;  /* nparties: mean |error| of the party's seat shares, points */
	size_t *wrong_seat; /* seats_wrong entries: index in `to` */
	bloc_party *wrong_projected, *wrong_actual;
} bloc_backtest;

int bloc_backtest_run(bloc_backtest *out, const bloc_contest *from, const bloc_contest *to,
                      int model, double tau, int level);
void bloc_backtest_dispose(bloc_backtest *b);

#ifdef __cplusplus
}
#endif
#endif
