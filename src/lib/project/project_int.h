/* Library-internal helpers shared by the projection files. */
#ifndef BLOC_PROJECT_INT_H
#define BLOC_PROJECT_INT_H

#include <stddef.h>

/** Keep a row of shares in [0,1] summing to 1: negative shares become 0 and the rest are
 * rescaled; a row that already sums to 1 (within 1e-12) with no negative is left bit for bit.
 * Returns the row's sum before rescaling (0: a row of zeros, left so). */
double bloc__normalise_row(double *a, size_t n);

/** The largest and second largest of row[0..np) (the first on a tie), by index. */
void bloc__top_two(const double *row, size_t np, size_t *w, size_t *sec);
#include "bloc/project.h"
/** Each seat's base winner and runner-up columns (nseats x 2), found once when the projector is
 * made. */
const size_t *bloc__projector_base_top(const bloc_projector *p);
/** nseats x nparties: 1 where the column's party has a candidate in the seat (the base's). */
const unsigned char *bloc__projector_cand(const bloc_projector *p);
/** At least `bytes` of working memory (not zeroed) that the projector keeps between runs, so
 * that a caller projecting again and again does not allocate; NULL if out of memory. Like the
 * projector's own scratch, one caller at a time. */
void *bloc__projector_scratch(bloc_projector *p, size_t bytes);
/** Copies of the base shares, the candidates and the mask (nseats x nparties each) that a
 * caller may change in place, kept between runs: every row marked with
 * bloc__projector_changing since the last call is put back as the base's first. One caller at a
 * time; BLOC_ENOMEM. */
int bloc__projector_copies(bloc_projector *p, double **C, unsigned char **M, double **Md);
/** Seat s's row of the copies is about to change; column j of the candidates and mask. */
void bloc__projector_changing(bloc_projector *p, size_t s);
void bloc__projector_changing_column(bloc_projector *p, size_t j);
/** The same as 0 or 1 doubles (the models' mask). */
const double *bloc__projector_cand_mask(const bloc_projector *p);
/** nseats: each seat's valid votes; each seat's area (SIZE_MAX: none). */
const double *bloc__projector_valid(const bloc_projector *p);
const size_t *bloc__projector_area_of(const bloc_projector *p);
/** np: the whole contest's base shares, every seat weighted by its valid votes. */
const double *bloc__projector_national(const bloc_projector *p);
/**
 * bloc_projector_run on other shares: C (nseats x np, rows summing to 1), their weights T
 * (nseats), each area's shares E (nareas x np, T-weighted means of C), and an optional
 * candidate mask M (nseats x np, 0 or 1; NULL: every party everywhere): a party with M = 0 in a
 * seat keeps its share there (0 if it has none) in every model.
 */
int bloc__projector_run_on(bloc_projector *p, int model, double tau, const double *C,
                           const double *T, const double *E, const double *M, const double *target,
                           double *shares);
/** bloc__projector_run_on in two steps, for callers that use each seat's row at once: begin
 * checks the model and sets the per-area state of one run (the transition pools); seat then
 * writes seat s's projected row into out (np) and returns what its shares summed to before they
 * were rescaled to 1 (0: the seat kept its base row, being outside every area or left with
 * nothing). */
int bloc__projector_begin(bloc_projector *p, int model, double tau, const double *C,
                          const double *T, const double *E, const double *target);
double bloc__projector_seat(const bloc_projector *p, int model, double tau, size_t s,
                            const double *C, const double *E, const double *M, const double *target,
                            double *out);
#endif
