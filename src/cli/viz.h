/* What bloc map, bloc chart and bloc report share: the scenario from flags, the default pair
 * of parties for swing, writing a document, and contest sources as shown. */
#ifndef BLOC_CLI_VIZ_H
#define BLOC_CLI_VIZ_H

#include "cli.h"

#include "bloc/buf.h"
#include "bloc/hexmap.h"

/**
 * The scenario of a projection, map, chart or report (bloc project reads it here too): the
 * SCENARIO file (NULL: none, "-": standard input) then every scenario flag in command-line order.
 * With `plain_group_is_power`, a --group value without ':' is not a scenario setting (bloc
 * report's --group NAME).
 * *given says whether anything was set. @return BLOC_EXIT_OK, or the exit code after printing
 * the message (1: a bad value or file).
 */
int viz_scenario(struct cli_ctx *ctx, bloc_scenario *sc, const char *file, int plain_group_is_power,
                 int *given);

/** Refuse --format (these commands write SVG or HTML). @return BLOC_EXIT_OK or the usage exit. */
int viz_no_format(struct cli_ctx *ctx);

/**
 * --pair A,B, or else the two parties with the most votes in `c` (A the second, B the first,
 * so that a positive swing is towards the larger party). @return BLOC_EXIT_OK or an exit code
 * after the message.
 */
int viz_pair(struct cli_ctx *ctx, const bloc_contest *c, bloc_party *a, bloc_party *b);

/** Write the document to the output (standard output or -o FILE) and check it.
 * @return BLOC_EXIT_OK or BLOC_EXIT_ERROR after the message. */
int viz_write(struct cli_ctx *ctx, bloc_buf *doc);

/** A contest's source file(s), relative to the data directory when inside it. */
const char *viz_source(struct cli_ctx *ctx, const bloc_contest *c, char *buf, size_t n);

/** Print "bloc: CMD: warning: ..." for seats of `c` without a hex in `m`. */
void viz_warn_missing(struct cli_ctx *ctx, const bloc_hexmap *m, const bloc_contest *c);

#endif
