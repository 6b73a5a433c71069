/* Library-internal: the standard normal's tails, for the models (King's truncated normals, the
 * forecast's quantile table). */
#ifndef BLOC_UTIL_NORMAL_H
#define BLOC_UTIL_NORMAL_H

/** log Q(z), Q(z) = P(Z > z), to about 1e-15 relative for every z. */
double bloc__normal_log_q(double z);
/** z with log Q(z) = lq (lq <= 0; NaN otherwise), to about 1e-15. */
double bloc__normal_inv_q_log(double lq);
/** The p-quantile of the standard normal, 0 < p < 1. */
double bloc__normal_quantile(double p);

#endif
