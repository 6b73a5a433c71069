/* bloc — rendering results: a generic typed table (text, CSV, JSON) and one function per analysis
 * result that turns it into a table, shared by the CLI and the HTTP server.
 *
 * A table has typed columns, rows filled cell by cell in row-major order, and ordered metadata
 * (key/value pairs: inputs, assumptions, notes). The table owns copies of every string given to
 * it. A render function never looks at argv, never exits and never prints: it fills a table. */
#ifndef BLOC_RENDER_H
#define BLOC_RENDER_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "analysis.h"
#include "buf.h"
#include "contest.h"
#include "dataset.h"
#include "error.h"
#include "groups.h"
#include "ei.h"
#include "forecast.h"
#include "power.h"
#include "project.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
	BLOC_COL_STRING = 0,
	BLOC_COL_INT, /* int64_t */
	BLOC_COL_REAL /* double, printed with the column's number of decimals */
} bloc_col_type;

typedef enum {
	BLOC_FORMAT_TABLE = 0, /* aligned text for people; metadata as "# key: value" lines below */
	BLOC_FORMAT_CSV,       /* RFC 4180, header row, no metadata, missing = empty field */
	BLOC_FORMAT_JSON       /* {"meta":{...},"rows":[{column:value,...}]}, missing = null */
} bloc_format;

/** The most decimals a real column may ask for. */
#define BLOC_TABLE_MAX_DECIMALS 15

typedef struct bloc_table bloc_table;

/** Parse "table", "csv" or "json". @return BLOC_OK, or BLOC_EINVAL with a message. */
int bloc_format_parse(const char *name, bloc_format *out);
/** "table", "csv" or "json" ("" for an unknown value). */
const char *bloc_format_name(bloc_format f);

/** Create an empty table. The caller owns *out. @return BLOC_OK, BLOC_ENOMEM. */
int bloc_table_new(bloc_table **out);
/** Free a table and all its strings; accepts NULL. */
void bloc_table_free(bloc_table *t);

/**
 * Add a column. Columns must all be added before the first cell. `decimals` (0 to
 * BLOC_TABLE_MAX_DECIMALS) is used by BLOC_COL_REAL only.
 * @return BLOC_OK, BLOC_EINVAL (cells already added, bad decimals, duplicate name), BLOC_ENOMEM.
 */
int bloc_table_add_column(bloc_table *t, const char *name, bloc_col_type type, int decimals);

/**
 * Append the next cell (row-major: after the last column comes the first column of a new row).
 * A string goes into a string column (NULL = missing); an integer into an integer or real column;
 * a real into a real column (NaN or infinite = missing). Any column accepts a missing cell.
 * @return BLOC_OK, BLOC_EINVAL (no columns, or the value does not fit the column's type; message
 *         names the column), BLOC_ENOMEM.
 */
int bloc_table_add_string(bloc_table *t, const char *s);
int bloc_table_add_int(bloc_table *t, int64_t v);
int bloc_table_add_real(bloc_table *t, double v);
int bloc_table_add_missing(bloc_table *t);

/**
 * Append a metadata entry. Keys may repeat (each occurrence is printed; JSON gathers them in an
 * array). bloc_table_meta formats its value with printf.
 * @return BLOC_OK, BLOC_ENOMEM.
 */
int bloc_table_meta(bloc_table *t, const char *key, const char *fmt, ...) BLOC_PRINTF(3, 4);
int bloc_table_meta_int(bloc_table *t, const char *key, int64_t v);
/** A real metadata value with `decimals` decimals (NaN = missing). */
int bloc_table_meta_real(bloc_table *t, const char *key, double v, int decimals);

size_t bloc_table_ncols(const bloc_table *t);
/** Complete rows, plus a partial last row if cells are still being added. */
size_t bloc_table_nrows(const bloc_table *t);
/** Column name, or NULL if out of range. Borrowed. */
const char *bloc_table_column_name(const bloc_table *t, size_t col);
/** Column of that name, or -1. */
long bloc_table_column(const bloc_table *t, const char *name);
bloc_col_type bloc_table_column_type(const bloc_table *t, size_t col);
/**
 * The decimals a real column is printed with (text, CSV, JSON): 0 to BLOC_TABLE_MAX_DECIMALS;
 * -1 for a string or integer column, or a column out of range. A binding rounds a cell's real
 * value to this many decimals to get the number the CSV shows.
 */
int bloc_table_column_decimals(const bloc_table *t, size_t col);

/** Is the cell missing (or out of range)? */
int bloc_table_is_missing(const bloc_table *t, size_t row, size_t col);
/** Cell values: a string column's text (NULL if missing), an integer, a real (NaN if missing). */
const char *bloc_table_string(const bloc_table *t, size_t row, size_t col);
int64_t bloc_table_int(const bloc_table *t, size_t row, size_t col);
double bloc_table_real(const bloc_table *t, size_t row, size_t col);

/**
 * A whole column at once, for bindings that pay for each call (ctypes): out[r] for every row r of
 * bloc_table_nrows(t) (out holds that many). bloc_table_column_reals: a real or integer column's
 * values as bloc_table_real gives them (an integer converted, exact below 2^53; NaN when missing).
 * bloc_table_column_strings: a string column's texts as bloc_table_string gives them (borrowed,
 * valid while the table lives; NULL when missing).
 * @return the rows written: bloc_table_nrows(t), or 0 when the column is out of range or of the
 *         other kind (out untouched). Cost: O(rows).
 */
size_t bloc_table_column_reals(const bloc_table *t, size_t col, double *out);
size_t bloc_table_column_strings(const bloc_table *t, size_t col, const char **out);

/** Number of metadata entries and entry i (key and value text, borrowed; NULL if out of range). */
size_t bloc_table_nmeta(const bloc_table *t);
const char *bloc_table_meta_key(const bloc_table *t, size_t i);
const char *bloc_table_meta_value(const bloc_table *t, size_t i);

/**
 * Write the table to `fp` in `format`. The stream is not closed.
 * @return BLOC_OK, BLOC_EINVAL (last row incomplete; a string is not UTF-8 for JSON),
 *         BLOC_EIO (write failed), BLOC_ENOMEM.
 * Cost: O(cells); the JSON form is built in memory first.
 */
int bloc_table_write(const bloc_table *t, FILE *fp, bloc_format format);

/**
 * The same bytes as bloc_table_write, appended to `out` (JSON is written in place, row by row:
 * what a server sends). On an error `out` is as it was (unless its own sticky error is set).
 * @return as bloc_table_write.
 */
int bloc_table_render(const bloc_table *t, bloc_format format, bloc_buf *out);

/**
 * Append the table to `out` as an HTML <table> (for reports): a header row, numbers right-
 * aligned with their column's decimals and thousands separators, missing cells as "-", every
 * text escaped; with `with_meta`, the metadata follows in a <details> list. The markup is also
 * well-formed XML. @return BLOC_OK, BLOC_EINVAL (last row incomplete), BLOC_ENOMEM.
 */
int bloc_table_write_html(const bloc_table *t, bloc_buf *out, int with_meta);

/* ---- Results as tables. Each creates *out (caller-owned) and adds contest metadata. ---- */

/** The data directory's catalogue: id,kind,date,boundaries,format,contest,path. */
int bloc_render_catalog(bloc_table **out, const bloc_dataset *ds);

/**
 * Votes, seats and shares per party: party,seats,votes,share for `by` == BLOC_BY_UK, with a
 * first column "nation" or "region" otherwise. Parties with no votes in a group are left out;
 * within a group rows go by seats, then votes, descending.
 */
int bloc_render_totals(bloc_table **out, const bloc_contest *c, const bloc_totals *t, int by);

/**
 * One row per seat: code,name,region,nation,electorate,valid_votes,turnout,winner,second,
 * majority,majority_pct (winner and second are party codes), then winner_candidate.
 */
int bloc_render_seat_results(bloc_table **out, const bloc_contest *c, const bloc_seat_results *r);

/** One seat's candidates: name,party,votes,share,label; winner, majority, turnout as metadata. */
int bloc_render_candidates(bloc_table **out, const bloc_contest *c, const bloc_seat_results *r,
                           size_t seat);

/**
 * Swing per shared seat then a "TOTAL" row: code,name,winner_from,winner_to,butler,steed,
 * a_from,a_to,b_from,b_to. `rfrom`/`rto` are the seat results of `from` and `to`.
 */
int bloc_render_swing(bloc_table **out, const bloc_contest *from, const bloc_contest *to,
                      const bloc_seat_results *rfrom, const bloc_seat_results *rto,
                      const bloc_swing *s);

/**
 * Target list of party p: rank,code,name,holder,swing_needed,party_share,holder_share;
 * the first `limit` targets (0 = all).
 */
int bloc_render_targets(bloc_table **out, const bloc_contest *c, const bloc_targets *t,
                        bloc_party p, size_t limit);

/** index,value: gallagher, loosemore_hanby, enp_votes, enp_seats. */
int bloc_render_indices(bloc_table **out, const bloc_contest *c, const bloc_indices *x);

/** Wasted votes per party: party,wasted,wasted_pct, then a "TOTAL" row. */
int bloc_render_wasted(bloc_table **out, const bloc_contest *c, const bloc_indices *x);

/* ---- Projections and backtests ---- */

/** What a projection table shows (`bloc project --by`). */
typedef enum {
	BLOC_VIEW_PARTY = 0, /* one row per party */
	BLOC_VIEW_SEAT,      /* one row per seat, one share column per party */
	BLOC_VIEW_CHANGES,   /* the seats that change hands */
	BLOC_VIEW_FLOW,      /* seats from each base winner (row) to each projected winner */
	BLOC_VIEW_GROUP      /* the first group's votes by seat and party, before and after */
} bloc_projection_view;

/** Parse "party", "seat", "changes" or "flow". @return BLOC_OK, or BLOC_EINVAL with a message. */
int bloc_projection_view_parse(const char *name, int *out);

/**
 * A projection of `base` under scenario `sc` as a table. `groups` are the census shares the
 * projection used (sc->ngroups of them; NULL when none), echoed as metadata with every
 * assumption (model, threshold, ratios, fill and clipping rules, order of application) and the
 * scenario itself as JSON.
 *   BLOC_VIEW_PARTY:   party,seats,votes_share,gains,losses,seats_base,votes_share_base,
 *                      seats_change,share_change; by seats, then projected share, descending;
 *                      parties with neither votes nor seats on either side are left out.
 *   BLOC_VIEW_SEAT:    code,name,winner_base,winner,majority_pct, then one column per party
 *                      (named by its code: projected share in points), then group_share (the
 *                      first group's share of the seat's voters, points) if the scenario has a
 *                      group; seats in the contest's order.
 *   BLOC_VIEW_CHANGES: code,name,winner_base,winner,majority_pct, plus group_share as above,
 *                      for the seats that change hands.
 *   BLOC_VIEW_FLOW:    from, then one column per party with seats on either side, then
 *                      seats_base; a last row "TOTAL" holds the projected seats.
 *   BLOC_VIEW_GROUP:   code,name,party,group_base,group_projected,group_votes_base,
 *                      group_votes_projected: the first group's share of its own votes for
 *                      each party with a candidate (points, 4 decimals) and its votes, in the
 *                      base (by the baseline) and projected; seats with group votes only.
 * Shares and majorities are in points with 2 decimals.
 */
int bloc_render_projection(bloc_table **out, const bloc_contest *base, const bloc_scenario *sc,
                           const bloc_group_shares *groups, const bloc_projection *p, int view);

/**
 * A backtest of `from` projected to `to` (with `model`, `tau`, `level` as run) as metric,value
 * rows, the values as text: seats_wrong, seats, share_mae, then per party (every party that won
 * or was projected a seat, or whose seat shares were off by 0.5 points or more on average; by
 * actual then projected seats) seats_projected:P, seats_actual:P, seat_error:P (projected minus
 * actual) and share_mae:P (mean absolute error of its seat shares, points).
 */
int bloc_render_backtest(bloc_table **out, const bloc_contest *from, const bloc_contest *to,
                         const bloc_backtest *b, int model, double tau, int level);

/** The seats a backtest got wrong: code,name,region,projected,actual, in the
 * backtest's order; `to` names the seats. */
int bloc_render_backtest_wrong(bloc_table **out, const bloc_contest *from, const bloc_contest *to,
                               const bloc_backtest *b, int model, double tau, int level);

/* ---- Bloc power ---- */

/** Which seats a bloc power table lists (`bloc power --decisive`). */
typedef enum {
	BLOC_POWER_VIEW_SEATS = 0,   /* every seat, in the contest's order */
	BLOC_POWER_VIEW_DECISIVE = 1 /* the decisive seats only, by ratio descending */
} bloc_power_view;

/**
 * A forecast by party: party, seats (median, mean, lo50, hi50, lo80, hi80, lo90, hi90),
 * p_majority, p_largest, then shares in points (share_poll: the poll average, NaN for a party
 * the polls do not cover; share_median, share_lo90, share_hi90 over the simulations), the
 * deterministic projection's seats (`central`) and the base's (`base_seats`). Parties with no
 * seat in any of them and under half a point are left out.
 */
int bloc_render_forecast_parties(bloc_table **out, const bloc_forecast_summary *sm,
                                 const bloc_party *parties, const double *poll,
                                 const int64_t *central, const int64_t *base_seats);
/**
 * A forecast by seat: code, name, winner_base, favourite, p_favourite, class, p_<PARTY> for
 * each party with show[p], then the favourite's share (median, lo90, hi90, points) and how often
 * the seat was the tipping point (p_tipping).
 */
int bloc_render_forecast_seats(bloc_table **out, const bloc_forecast_summary *sm,
                               const bloc_contest *c, const bloc_party *parties,
                               const bloc_party *winner_base, const unsigned char *show);
struct bloc_hexmap; /* hexmap.h */
/**
 * A forecast on the hex map `hm` (aligned to `c`, the seats of `sm`), appended to `out` as an
 * SVG document (the SVG namespace, no XML declaration: a file, or inline in HTML). Each seat's
 * hex (a <path class="hex">, its <title> "Name (CODE): LAB 0.62 (lean)") has its favourite's
 * colour mixed with white by the favourite's class: 0.25 toss-up, 0.5 lean, 0.75 likely,
 * the colour itself safe; a seat without a favourite is BLOC_MAP_NO_DATA grey. The legend lists
 * the parties that are favourite somewhere (by seats), the four classes and the seats without
 * a favourite. `title` NULL: "Forecast: the favourite in each seat, <contest>".
 * @return BLOC_OK, BLOC_EINVAL (sm not of c's seats, hm not aligned to c), BLOC_ENOMEM; `out`
 *         is untouched on an error.
 */
int bloc_render_forecast_map(bloc_buf *out, const struct bloc_hexmap *hm, const bloc_contest *c,
                             const bloc_forecast_summary *sm, const bloc_party *parties,
                             const char *title);
/**
 * Seat distributions as an SVG document (as bloc_render_forecast_map's): a row for each party
 * with a seat at the top of its 90% interval (at most 8, largest median first), a histogram of
 * f->seats (each party's scaled to its most likely count) pale outside its 90% interval,
 * mid-tone inside it and full colour inside its 50% interval, its median marked, seat ticks, and
 * a dashed line between `majority` - 1 and `majority` seats labelled "majority: N" (0: nseats /
 * 2 + 1). `title` NULL: "Forecast: seats by party in N simulations".
 * @return BLOC_OK, BLOC_EINVAL (f and sm of different shapes, no simulation kept, no party to
 *         draw), BLOC_ENOMEM; `out` is untouched on an error.
 */
int bloc_render_forecast_chart(bloc_buf *out, const bloc_forecast *f,
                               const bloc_forecast_summary *sm, const bloc_party *parties,
                               size_t majority, const char *title);

/**
 * Bloc power of the group whose shares are `g` in contest `c`, as bloc_power_compute found it
 * under `o`: one row per seat,
 *   code,name,winner,second,majority,group_share,group_voters,flip_switch,flip_abstain,
 *   decisive,pivot_prob, then ratio,flip_third,pivot_se,nation
 * group_share is the census share (0-1, 4 decimals), group_voters G (whole voters), decisive 1
 * or 0 (2cG > majority), pivot_prob empty when o->sims is 0; a seat without census data has
 * every group column empty. BLOC_POWER_VIEW_SEATS keeps the contest's seat order;
 * BLOC_POWER_VIEW_DECISIVE lists the decisive seats by ratio (2cG / majority), highest first,
 * ties in seat order. The metadata carries every assumption with its default and source, the
 * census used, the seats without census data (a "warning" entry naming them) and the Monte
 * Carlo settings (sims, seed, threads, standard deviations).
 * @return BLOC_OK, BLOC_EINVAL (p is not for c's seats, unknown view), BLOC_ENOMEM.
 */
int bloc_render_power(bloc_table **out, const bloc_contest *c, const bloc_group_shares *g,
                      const bloc_power_options *o, const bloc_power *p, int view);

/**
 * Bloc power of `n` groups side by side: g[i] and p[i] for group i, all computed under `o` on
 * contest `c`. One row per group, in the order given:
 *   group,national_share,seats_decisive,seats_covered,pivot_expected
 * national_share = sum(share x population) / sum(population) over the covered seats, with the
 * census population of each seat (g[i].population); where the census gives no population for a
 * covered seat, every seat of that group is weighted by its electorate instead, and the metadata
 * says so. pivot_expected is the sum of pivot_prob over the seats (empty when o->sims is 0).
 * @return BLOC_OK, BLOC_EINVAL (a result not for c's seats), BLOC_ENOMEM.
 */
int bloc_render_power_summary(bloc_table **out, const bloc_contest *c, const bloc_group_shares *g,
                              const bloc_power *p, size_t n, const bloc_power_options *o);

/**
 * Seats decidable against cohesion: p[i] was computed under `o` with the cohesion set to
 * cohesion[i]. One row per run: cohesion,seats_decisive,seats_abstain,pivot_expected, where
 * seats_abstain counts the seats in which the bloc staying at home alone flips the result
 * (cG > majority, i.e. flip_abstain < cohesion) and pivot_expected is as in the summary.
 * @return BLOC_OK, BLOC_EINVAL (a result not for c's seats), BLOC_ENOMEM.
 */
int bloc_render_power_curve(bloc_table **out, const bloc_contest *c, const bloc_group_shares *g,
                            const bloc_power_options *o, const double *cohesion,
                            const bloc_power *p, size_t n);

/**
 * EI estimates as a table. Aggregate (by_seat 0): one row per group and party,
 *   group,party,estimate,lo95,hi95,rhat,ess,se,bound_lo,bound_hi,outside
 * (rhat and ess empty unless the method is a sampler; se the standard error or posterior sd;
 * bound_lo/bound_hi the aggregate Duncan-Davis bounds; outside 1 when the estimate leaves
 * 0..1, empty when the method cannot). By seat: code,group,party,estimate,lo95,hi95,rhat,ess,
 * bound_lo,bound_hi per unit, group and party, from the view's unit cells (empty where a group
 * is absent from the unit). Metadata: method, units, seats_skipped.
 * @return BLOC_OK, BLOC_EINVAL (shapes differ, no unit cells for by_seat), BLOC_ENOMEM.
 */
int bloc_render_ei(bloc_table **out, const bloc_ei_input *in, const bloc_ei_view *v,
                   const bloc_ei_bounds *b, int by_seat);

/** An EI input as a table: id, then one column per group, then one per party (counts). */
int bloc_render_ei_input(bloc_table **out, const bloc_ei_input *in);

#ifdef __cplusplus
}
#endif
#endif
