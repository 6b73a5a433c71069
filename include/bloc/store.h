/* bloc — the store: one data directory, its catalogue, and everything loaded from it (contests,
 * census group shares, hex layouts, prepared projectors), loaded on first use and kept until
 * the store is freed. The one rule for where data comes from lives here. Front-ends open one
 * store per process (the CLI) or per server and hand it to every query. */
#ifndef BLOC_STORE_H
#define BLOC_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "contest.h"
#include "dataset.h"
#include "ei.h"
#include "forecast.h"
#include "groups.h"
#include "hexmap.h"
#include "project.h"
#include "render.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- opening contests without a store (the caller owns what is loaded) ------------------ */

/**
 * Load two contests for comparison. When the catalogue says they are on different boundaries
 * (`boundaries` column), `from` is replaced by the notional result of the same date on `to`'s
 * boundaries (ge2019 -> ge2019-notional-2023 when `to` is ge2024), and *note is set to a
 * sentence saying so (static storage; NULL when no substitution was made).
 */
int bloc_contest_open_pair(bloc_contest **from, bloc_contest **to, const bloc_dataset *ds,
                           const char *from_name, const char *to_name, const char **note);

/**
 * Load a contest named by catalogue id (`ge2019`, `by2021-batley-and-spen`) or, if `name` is not
 * an id, by file path (relative to the working directory). Catalogue loads apply the entry's
 * format, filter, date and kind, and the data directory's code corrections where the boundaries
 * need them.
 * @return as bloc_contest_load, plus BLOC_ENOTFOUND (neither an id nor a readable file; the
 *         message lists the ids), BLOC_EINVAL (the id is not a results contest).
 */
int bloc_contest_open(bloc_contest **out, const bloc_dataset *ds, const char *name);

/**
 * Load the general-election result before contest `name` (the catalogue's `previous` column),
 * for comparing a by-election with it.
 * @return BLOC_OK, BLOC_ENOTFOUND (no previous contest recorded), or as bloc_contest_open.
 */
int bloc_contest_open_previous(bloc_contest **out, const bloc_dataset *ds, const char *name);

/* ---- hex layouts and census shares of a data directory (the caller owns them) ---------- */

/**
 * The layout for contest `c`: every catalogued hex map (kind "hexmap") of the data directory is
 * read (those on the 2023 boundaries with the directory's Scottish code corrections,
 * hexmaps/pcon24-scotland-code-corrections.csv), and the one whose codes cover the most of
 * c's seats is aligned to c (a tie goes to the first in the catalogue). Seats without a hex are
 * listed in (*out)->missing; hexes without a seat keep seat -1.
 * @return BLOC_OK, BLOC_ENOTFOUND (no catalogued layout, or none shares a code with c: the
 *         message names the layouts tried), or as bloc_hexjson_load.
 * Cost: reads every catalogued layout (about 70 KB each, a few ms).
 */
int bloc_hexmap_open(bloc_hexmap **out, const bloc_dataset *ds, const bloc_contest *c);

/**
 * Load group `name`'s shares for the seats of contest `c` from the census tables catalogued in
 * the data directory: the 2021 England and Wales counts (census21-religion/-ethnicity, by seat
 * code) with the 2022 Scotland counts (census22-scotland-religion/-ethnicity, by seat name) for
 * the 2023 boundaries, or the 2011 percentages of the BES 2019 file (bes2019, by code) for the
 * 2010 boundaries. The census that has rows for the most of the contest's seats is used; on a
 * tie, the one on the contest's boundaries (its catalogue entry), then the one matching more
 * seats by code. Northern Ireland has no census here: its seats are NaN.
 * `*out` is zeroed first; on success the caller owns it (bloc_group_shares_dispose).
 * @return BLOC_OK, BLOC_ENOTFOUND (unknown group: the message lists the groups; or no census
 *         covers any of the contest's seats), BLOC_EPARSE/BLOC_ENUMERIC/BLOC_EIO (bad census
 *         file: "file:line:column: ..."), BLOC_EINVAL (NULL argument), BLOC_ENOMEM.
 * Cost: one pass over each census file read (about 1 ms for the 2023 tables, 5 ms for BES);
 * nothing is cached between calls.
 */
int bloc_group_shares_open(bloc_group_shares *out, const bloc_dataset *ds, const bloc_contest *c,
                           const char *name);

/** Each seat's adults by age band, share of women and households by adults
 * (bloc_seat_people_load; households may be NULL) from the census summaries on c's boundaries
 * (BES 2019 for 2010, the 2024 summaries for 2023).
 * @return BLOC_OK, BLOC_ENOTFOUND (no such census for c's boundaries), or the reader's. */
int bloc_seat_people_open(double *age, double *female, double *households, const bloc_dataset *ds,
                          const bloc_contest *c);
/* ---- the store ------------------------------------------------------------------------- */

typedef struct bloc_store bloc_store;

#define BLOC_STORE_OPTIONS_VERSION 1

typedef struct {
	unsigned version;
	int paths; /* 1: a contest, census or scenario may be named by a file path (the CLI);
	              0: catalogue ids only (the server: never read a path from a request) */
	size_t projectors; /* prepared projectors kept (default 64) */
} bloc_store_options;

#define BLOC_STORE_OPTIONS_INIT                                                                    \
	{                                                                                          \
		BLOC_STORE_OPTIONS_VERSION, 1, 64                                                  \
	}

/**
 * The data directory: `given` if non-NULL and non-empty, else $BLOC_DATA if set and non-empty,
 * else BLOC_DATA_INSTALL_DIR (the data installed with bloc, `<prefix>/share/bloc/data`, set at
 * build time) if that directory exists, else BLOC_DATA_SOURCE_DIR (the `data/` of the source
 * tree bloc was built from, set at build time) if that directory exists, else "./data". The
 * result is `given`, the environment's storage or static storage. Sets no error.
 */
const char *bloc_store_default_dir(const char *given);

/**
 * Open the data directory `dir` (as returned by bloc_store_default_dir) and read its catalogue
 * (bloc_dataset_open). `opts` may be NULL (BLOC_STORE_OPTIONS_INIT). The caller owns *out.
 * @return BLOC_OK, BLOC_EINVAL (bad options), or as bloc_dataset_open.
 */
int bloc_store_open(bloc_store **out, const char *dir, const bloc_store_options *opts);

/** Free the store and everything it loaded (every pointer it handed out); accepts NULL. */
void bloc_store_free(bloc_store *st);

/** The directory as given to bloc_store_open. */
const char *bloc_store_dir(const bloc_store *st);

/**
 * Can the store answer from its data directory? With opts.paths (the CLI) a directory that cannot
 * be opened is not an error at bloc_store_open (questions that need no data still run); it is
 * given here, and by every call that needs the catalogue.
 * @return BLOC_OK, or the error of opening the directory (BLOC_EIO, message set).
 */
int bloc_store_ready(const bloc_store *st);

/** The catalogue. Borrowed, valid until bloc_store_free. */
const bloc_dataset *bloc_store_catalog(const bloc_store *st);

/*
 * The loaders below keep what they load until bloc_store_free and return borrowed, read-only
 * pointers: asking twice gives the same pointer. They are thread-safe (one mutex guards the
 * caches; files are read outside it, and when two threads load the same thing at once the
 * first kept wins). A name is a catalogue id ("ge2024"), an id with a row filter
 * ("ge2024:region=Wales"), or, when the store was opened with opts.paths = 1, a file path
 * ("-" for standard input). A failed load is not cached.
 */

/**
 * The contest named `name` (as bloc_contest_open).
 * @return BLOC_OK, BLOC_ENOTFOUND (no such id, or a path given to a store that takes ids
 *         only: the message says so), or as bloc_contest_open; load failures are prefixed
 *         "loading NAME: ".
 */
int bloc_store_contest(bloc_store *st, const char *name, const bloc_contest **out);

/**
 * Two contests for comparison (as bloc_contest_open_pair): when the catalogue puts them on
 * different boundaries, `from` is replaced by the notional result of its date on `to`'s
 * boundaries and *note (may be NULL) is set to a sentence saying so (thread-local storage,
 * valid until the next call in this thread), else NULL.
 */
int bloc_store_contest_pair(bloc_store *st, const char *from, const char *to,
                            const bloc_contest **a, const bloc_contest **b, const char **note);

/** The general election before contest `name` (the catalogue's `previous` column; as
 * bloc_contest_open_previous). */
int bloc_store_contest_previous(bloc_store *st, const char *name, const bloc_contest **out);

/**
 * Census group `group`'s shares for the seats of contest `c` (as bloc_group_shares_open), cached
 * per (contest, group). `c` must come from this store (BLOC_EINVAL otherwise).
 */
int bloc_store_group_shares(bloc_store *st, const bloc_contest *c, const char *group,
                            const bloc_group_shares **out);

/**
 * The same from a shares CSV (as bloc_group_shares_load_csv), cached per (c, path, group).
 * Only for a store opened with opts.paths = 1 (BLOC_EINVAL otherwise).
 */
int bloc_store_group_shares_file(bloc_store *st, const bloc_contest *c, const char *path,
                                 const char *group, const bloc_group_shares **out);

/**
 * Polls by catalogue id (kind "polls": pollbase; and polls-ge2024-final, mrp-ge2024-final, not
 * yet catalogued upstream) or, for a store opened with opts.paths, a file (bloc_polls_load).
 * Read afresh on each call; the caller frees *out with bloc_polls_free.
 * @return BLOC_OK, BLOC_ENOTFOUND, or bloc_polls_load's errors.
 */
int bloc_store_polls(bloc_store *st, const char *name, bloc_polls **out);
/** By-election share changes by catalogue id (by1945-2019-changes). */
int bloc_store_by_changes(bloc_store *st, const char *name, bloc_by_changes **out);
/** Published seat projections by id (mrp-ge2024-final) or file (bloc_mrp_load). */
int bloc_store_mrp(bloc_store *st, const char *name, bloc_mrp **out);
/** The file behind a poll id, or NULL when `name` is no poll id; *owned holds the string (the
 * library allocated it: the caller frees it with bloc_free in the library, free() outside). */
const char *bloc_store_polls_path(bloc_store *st, const char *name, char **owned);

/** The hex layout covering contest `c` (as bloc_hexmap_open), aligned to c's seats, cached per
 * contest. `c` must come from this store. */
int bloc_store_hexmap(bloc_store *st, const bloc_contest *c, const bloc_hexmap **out);

/**
 * bloc_project through the store's pool of prepared projectors (opts.projectors of them; one
 * per thread projecting at a time): the same result and errors as bloc_project(out, c, sc,
 * groups). `out` is the caller's (bloc_projection_dispose).
 */
int bloc_store_project(bloc_store *st, bloc_projection *out, const bloc_contest *c,
                       const bloc_scenario *sc, const bloc_group_shares *groups);

/**
 * Read a scenario file, or "-" (standard input, at most 1 MiB), into *sc, merged over what it
 * holds (as bloc_scenario_load). Only for a store opened with opts.paths = 1 (BLOC_EINVAL
 * otherwise). Not cached.
 */
int bloc_store_scenario_load(bloc_store *st, bloc_scenario *sc, const char *path);

/** EI units from a CSV file (as bloc_ei_load_csv). Only with opts.paths = 1. Not cached;
 * the caller owns *out (bloc_ei_input_dispose). */
int bloc_store_ei_units(bloc_store *st, bloc_ei_input *out, const char *path, const char *id,
                        const char *const *groups, size_t R, const char *const *parties, size_t C);

/** The contextual model's covariates from a CSV file (as bloc_ei_load_covariates). Only with
 * opts.paths = 1. Not cached. */
int bloc_store_ei_covariates(bloc_store *st, double **out, size_t *ncov, const bloc_ei_input *in,
                             const char *path);

/* ---- per-seat R x C estimates of one group, computed once and cached on disk (eicache.c) -- */

#define BLOC_EI_SEAT_OPTIONS_VERSION 1

/**
 * What determines a per-seat R x C estimate (bloc ei CONTEST --groups G --method rxc --by seat),
 * with bloc ei's defaults. The sampler's other settings (batch, thinning, R-hat limit, the
 * Gamma prior, 250 unit draws per chain) are bloc_ei_rxc_options_init's.
 */
typedef struct {
	unsigned version;
	uint64_t seed;     /* 1 */
	size_t draws;      /* kept sweeps per chain at most (bloc ei --draws): 20000 */
	size_t chains;     /* 4 */
	size_t burnin;     /* 500 */
	double target_ess; /* 400 */
	double threshold;  /* parties under this fraction of the valid vote merge into OTH: 0.02 */
	unsigned threads;  /* 0: one per chain up to the CPUs; never changes the numbers */
	int only_cached;   /* 1: never run the sampler (a web request): BLOC_ENOTFOUND unless the
	                      estimate is in the store or the disk cache */
	int no_cache;      /* 1: neither read nor write the disk cache: always run the sampler */
} bloc_ei_seat_options;

#define BLOC_EI_SEAT_OPTIONS_INIT                                                                  \
	{                                                                                          \
		BLOC_EI_SEAT_OPTIONS_VERSION, 1, 20000, 4, 500, 400, 0.02, 0, 0, 0                 \
	}

/** Set *o to BLOC_EI_SEAT_OPTIONS_INIT. */
void bloc_ei_seat_options_init(bloc_ei_seat_options *o);
/** The EI run a scenario's `--baseline ei[:draws=N,...]` names: the defaults, then its settings. */
void bloc_ei_seat_options_scenario(bloc_ei_seat_options *o, const bloc_scenario *sc);

/** The length of bloc_ei_seats.file, its terminating NUL included. */
#define BLOC_EI_CACHE_NAME_MAX 128

/**
 * One census group's R x C estimate for every seat of a contest: the EI's two groups are the
 * group and everyone else ("other"); its parties are the contest's with at least `threshold` of
 * the valid vote, the rest merged into OTH. Seat arrays are nseats x C, row-major, in the
 * contest's seat order; a seat the EI skipped (no census share, no valid votes) has NaN in
 * every value of its row and NaN votes. Shares are posterior means (est) and 2.5/97.5%
 * quantiles of each seat's share of the group's votes going to each party; the votes are the
 * counts the EI used (census share of residents x valid votes), so group_votes x est is the
 * group's votes for each party, and group_votes x est + other_votes x other_est is the seat's
 * result for each party (the accounting identity holds in every draw).
 */
typedef struct {
	size_t nseats, C;
	const char *contest;       /* the contest's id */
	const char *group;         /* the census group's canonical name (static storage) */
	bloc_party *parties;       /* C: the EI's parties, OTH for the merged small ones */
	double *est, *lo95, *hi95; /* nseats x C: the group's shares */
	double *other_est, *other_lo95, *other_hi95; /* nseats x C: everyone else's */
	double *group_votes, *other_votes;           /* nseats */
	/* all seats together, 2 x C (row 0 the group, row 1 everyone else): posterior mean, sd,
	 * 2.5/97.5%, split R-hat, ESS */
	double *agg_est, *agg_sd, *agg_lo95, *agg_hi95, *agg_rhat, *agg_ess;
	size_t units;   /* seats the EI used */
	size_t skipped; /* seats it skipped */
	/* the run: kept sweeps per chain, sweeps per chain with burn-in, and its diagnostics */
	size_t draws, sweeps;
	int converged; /* every aggregate cell's ESS >= target_ess and R-hat < 1.01 */
	double max_rhat, min_ess;
	double accept_ridge, accept_theta, accept_alpha, accept_collective;
	bloc_ei_seat_options
	    opts; /* the settings it was run with (only_cached, no_cache as asked) */
	/* where it came from: from_cache 1 = read from the disk cache; 0 = computed, then written
	 * (written 1) or not (no_cache, or the cache could not be written: see warning) */
	int from_cache, written;
	char key[17];                      /* the cache key: 16 hex digits */
	char file[BLOC_EI_CACHE_NAME_MAX]; /* the cache file's name in the cache directory */
	char *warning; /* NULL, or why the disk cache was not used (a corrupt file recomputed, a
	                  directory that cannot be written): worth showing, never an error */
} bloc_ei_seats;

/**
 * The cache directory: $BLOC_CACHE if set and non-empty, else $XDG_CACHE_HOME/bloc, else
 * $HOME/.cache/bloc; NULL when none of these is set. Writes into buf[n]; returns buf or NULL.
 */
const char *bloc_ei_cache_dir(char *buf, size_t n);

/**
 * The per-seat R x C estimate of census group `group` in contest `c` (from this store), run
 * once and kept: in the store until bloc_store_free (asking again with the same settings gives
 * the same pointer; thread-safe, the sampler runs outside the lock, and two threads asking at
 * once may both run it, the first kept), and on disk in the cache directory
 * (bloc_ei_cache_dir), one file per run, named by a key that hashes everything that decides the
 * numbers: the contest's id and its results files' bytes, the census files' bytes, the group,
 * the EI's input itself, every setting but `threads`, bloc's version, the cache format and a
 * fingerprint of the sampler (a tiny fixed run, so a sampler that changes its numbers never
 * reads old files). Files are written atomically (a temporary file renamed), hold every double
 * to 17 significant digits (read back bit for bit) and a checksum; a file that is corrupt,
 * truncated or for another key is ignored, recomputed and replaced (said in `warning`); a
 * directory that cannot be written is a warning, not a failure. `o` NULL: the defaults.
 * The result is borrowed and read-only, valid until bloc_store_free.
 * @return BLOC_OK; BLOC_ENOTFOUND (unknown group or no census for the contest; or
 *         o->only_cached and not cached: the message names the `bloc ei` command that fills
 *         the cache); BLOC_EINVAL (bad options, c not from this store); BLOC_ENUMERIC (too few
 *         seats with census data); BLOC_ENOMEM; BLOC_EIO (a sampler thread could not start).
 * Cost: a cache hit reads the contest's and census's files (to hash them; a few ms) and the
 * cache file (about 1 MB for a general election); a miss runs the sampler (minutes at the
 * defaults on a general election).
 */
int bloc_store_ei_seats(bloc_store *st, const bloc_contest *c, const char *group,
                        const bloc_ei_seat_options *o, const bloc_ei_seats **out);

/** The command that computes the same estimate ("bloc ei ge2019 --groups muslim --method rxc
 * --by seat --seed 2 ..."; settings at their defaults left out) into buf[n]; returns buf. */
const char *bloc_ei_seats_command(const char *contest, const char *group,
                                  const bloc_ei_seat_options *o, char *buf, size_t n);

/**
 * Contest c's source file(s) as table metadata `key`, each relative to the data directory
 * when inside it: one entry per " + "-joined file.
 * @return BLOC_OK, BLOC_ENOMEM.
 */
int bloc_store_meta_source(const bloc_store *st, bloc_table *t, const char *key,
                           const bloc_contest *c);

/** The same as text in buf ("a + b", cut at n - 1 bytes), for captions. Returns buf. */
const char *bloc_store_source_text(const bloc_store *st, const bloc_contest *c, char *buf,
                                   size_t n);

#ifdef __cplusplus
}
#endif
#endif
