/* The bloc command-line front-end: what main.c, opt.c, output.c and the cmd_*.c files share.
 * The CLI parses, calls the library, renders; it computes nothing itself. */
#ifndef BLOC_CLI_H
#define BLOC_CLI_H

#include "bloc/bloc.h"

#include <stddef.h>
#include <stdio.h>

enum {
	BLOC_EXIT_OK = 0,    /* success */
	BLOC_EXIT_ERROR = 1, /* data or runtime error: the message is bloc_error_last() */
	BLOC_EXIT_USAGE = 2  /* bad command line: a short usage goes to stderr */
};

/* Positional arguments a command may take, at most. */
#define CLI_MAX_POS 4
/* Options with a value one command line may give, at most (repeats included). */
#define CLI_MAX_SEQ 64

/** Every option value of every command; an option table entry points into it with offsetof. */
struct cli_args {
	/* global */
	const char *data, *format, *output;
	int help, version;
	/* per command */
	const char *by, *pair, *nation, *region, *limit;
	int wasted;
	/* project and backtest: scenario settings (repeatable: see seq) */
	const char *shares, *swing, *group, *model, *threshold, *adult_ratio, *turnout_ratio;
	int wrong;
	/* power: assumptions, Monte Carlo and views (group and adult_ratio above are shared) */
	const char *cohesion, *support, *turnout, *third, *sims, *seed, *threads, *census;
	int decisive, summary, curve;
	/* serve */
	const char *port, *bind;
	int allow_remote;
	/* map, chart and report */
	const char *colour, *type;
	/* ei and ei-synth (seed above is shared) */
	const char *units, *id, *groups, *parties, *method, *bias, *total;
	const char *chains, *target_ess, *burnin, *draws;
	int weighted, dirichlet, abstention;
	/* positional arguments, in order */
	const char *pos[CLI_MAX_POS];
	size_t npos;
	/* every option given with a value, in command-line order: a repeated option keeps each
	 * value here (the field above holds the last) */
	struct {
		const char *name, *value;
	} seq[CLI_MAX_SEQ];
	size_t nseq;
};

/** One option: a flag (metavar NULL: an int set to 1) or one taking a value (a const char *). */
struct cli_option {
	const char *name; /* long name without "--"; NULL ends a table */
	char short_name;  /* 0 if none */
	const char *metavar;
	size_t offset; /* offsetof(struct cli_args, field) */
	const char *help;
};

struct cli_ctx;

/** A command: the table in main.c drives dispatch, parsing and help. */
struct cli_command {
	const char *name;
	int (*fn)(struct cli_ctx *ctx); /* returns a BLOC_EXIT_* code */
	const char *summary;            /* one line for `bloc help` */
	const char *args; /* positional arguments for the usage line ("CONTEST PARTY") */
	size_t min_pos, max_pos;
	const struct cli_option *opts; /* the command's own options (NULL-name terminated) */
	const char *arguments;         /* the positional arguments explained, for --help */
	const char *details;           /* output columns and examples, for --help */
};

/** The state of one run. */
struct cli_ctx {
	const struct cli_command *cmd;
	struct cli_args args;
	bloc_format format;
	int format_given;
	const char *data_dir;
	bloc_dataset *ds;
	/* -o FILE: written to a temporary file beside it, renamed on success */
	FILE *out;
	char *tmp_path;
};

/* ---- opt.c ---- */

extern const struct cli_option cli_global_options[];

/**
 * Parse argv[*i..argc) against the global options and `cmd`'s options (cmd may be NULL: global
 * options only). Options and positional arguments may be mixed; "--" ends the options; "-" is a
 * positional argument. With `stop_at_positional`, stop at the first positional argument and
 * leave *i on it. On a usage error, write the message to `err` and return -1.
 */
int cli_parse(const struct cli_command *cmd, int argc, char **argv, int *i, int stop_at_positional,
              struct cli_args *a, char *err, size_t errlen);

/** One line per option (wrapped): "  -o, --output FILE     help". */
void cli_print_options(FILE *fp, const struct cli_option *opts);
/** Full help for cmd (stdout). */
void cli_print_help(FILE *fp, const struct cli_command *cmd);
/** "usage: bloc NAME [options] ARGS" */
void cli_print_usage(FILE *fp, const struct cli_command *cmd);

/* ---- main.c ---- */

/** Print "bloc: CMD: message" and the short usage to stderr; returns BLOC_EXIT_USAGE. */
int cli_usage_error(struct cli_ctx *ctx, const char *fmt, ...) BLOC_PRINTF(2, 3);
/** A whole number in [lo, hi] for --option; malformed or out of range is a usage error. */
int cli_whole(struct cli_ctx *ctx, const char *option, const char *text, unsigned long long lo,
              unsigned long long hi, unsigned long long *out);
/** Print "bloc: <bloc_error_last()>" to stderr; returns BLOC_EXIT_ERROR. */
int cli_fail(struct cli_ctx *ctx);

/** The dataset of the data directory, opened on first use. */
int cli_dataset(struct cli_ctx *ctx, bloc_dataset **out);
/** Load a contest by catalogue id or path; adds nothing to metadata. */
int cli_open_contest(struct cli_ctx *ctx, const char *name, bloc_contest **out);
/** Look a party up by code or alias; unknown = usage error (returns BLOC_EXIT_USAGE). */
int cli_party(struct cli_ctx *ctx, const char *what, const char *label, bloc_party *out);
/** Echo a contest's source file (relative to the data directory when inside it) as metadata. */
int cli_meta_source(struct cli_ctx *ctx, bloc_table *t, const char *key, const bloc_contest *c);

/* ---- output.c ---- */

/** The stream results go to: standard output, or a temporary file beside -o FILE. */
int cli_output_open(struct cli_ctx *ctx, FILE **fp);
/** Finish the output: flush, and for -o rename the temporary file into place. */
int cli_output_commit(struct cli_ctx *ctx);
/** After a failure: remove the temporary file, if any. Safe to call more than once. */
void cli_output_discard(struct cli_ctx *ctx);
/** Add the data directory to `t`'s metadata, then write it in the chosen format. */
int cli_emit(struct cli_ctx *ctx, bloc_table *t);

/* ---- commands ---- */

int cmd_elections(struct cli_ctx *ctx);
int cmd_results(struct cli_ctx *ctx);
int cmd_seat(struct cli_ctx *ctx);
int cmd_swing(struct cli_ctx *ctx);
int cmd_targets(struct cli_ctx *ctx);
int cmd_indices(struct cli_ctx *ctx);
int cmd_export(struct cli_ctx *ctx);
int cmd_project(struct cli_ctx *ctx);
int cmd_backtest(struct cli_ctx *ctx);
int cmd_map(struct cli_ctx *ctx);
int cmd_chart(struct cli_ctx *ctx);
int cmd_report(struct cli_ctx *ctx);
int cmd_power(struct cli_ctx *ctx);
int cmd_serve(struct cli_ctx *ctx);
int cmd_ei(struct cli_ctx *ctx);
int cmd_ei_synth(struct cli_ctx *ctx);

#endif
