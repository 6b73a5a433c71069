/* Library-internal helpers of the render module. */
#ifndef BLOC_RENDER_INT_H
#define BLOC_RENDER_INT_H

#include "bloc/render.h"

/* Stop at the first failure; every bloc_table_* call has set the message. Needs `int err` and a
 * `done:` label. */
#define TRY(expr)                                                                                  \
	do {                                                                                       \
		if ((err = (expr)) < 0)                                                            \
			goto done;                                                                 \
	} while (0)

/**
 * Create a table with the `n` columns in `spec`, each "name:s" (string), "name:i" (integer) or
 * "name:rN" (real with N decimals, one digit). The caller owns *out.
 */
int bloc__table_start(bloc_table **out, const char *const *spec, size_t n);

#define START(out, spec) bloc__table_start(out, spec, sizeof(spec) / sizeof(spec[0]))

#endif
