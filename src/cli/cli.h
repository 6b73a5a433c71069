/* The bloc command-line front-end: what main.c, opt.c, output.c and the cmd_*.c files share.
 * A command is a table entry in its own cmd_*.c: its options and help, and the question it asks
 * the library (include/bloc/query.h). main.c parses the command line into a request, runs the
 * query, and writes the answer; it computes nothing itself. Uses only include/bloc/. */
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
/* Options one command line may give, at most (repeats included). */
#define CLI_MAX_SEQ 64

/** One option: a flag (metavar NULL) or one taking a value. A command's option is the request
 * setting of the same name. */
struct cli_option {
	const char *name; /* long name without "--"; NULL ends a table */
	char short_name;  /* 0 if none */
	const char *metavar;
	const char *help;
};

#define CLI_OPTIONS_END                                                                            \
	{                                                                                          \
		NULL, 0, NULL, NULL                                                                \
	}

/** What one command line said. */
struct cli_args {
	/* global options */
	const char *data, *format, *output;
	int help;
	/* positional arguments, in order */
	const char *pos[CLI_MAX_POS];
	size_t npos;
	/* the command's options in command-line order (value NULL for a flag) */
	struct {
		const struct cli_option *opt;
		const char *value;
	} seq[CLI_MAX_SEQ];
	size_t nseq;
};

struct cli_ctx;

/** A command. Each cmd_*.c defines its own; main.c lists them. */
struct cli_command {
	const char *name;
	const char *query;              /* the question it asks (a bloc_query_name), or NULL */
	int (*fn)(struct cli_ctx *ctx); /* instead of a question (serve): a bloc_err */
	const char *summary;            /* one line for `bloc help` */
	const char *args; /* positional arguments for the usage line ("CONTEST PARTY") */
	size_t min_pos, max_pos;
	const char *const *pos_keys;   /* the request settings the positional arguments go to */
	const struct cli_option *opts; /* the command's own options */
	const char *arguments;         /* the positional arguments explained, for --help */
	const char *details;           /* output columns and examples, for --help */
	/* front-end checks before the request (the output format): BLOC_OK or BLOC_EUSAGE */
	int (*prepare)(struct cli_ctx *ctx);
	/* positional arguments into the request when pos_keys is not enough (bloc project) */
	int (*positional)(struct cli_ctx *ctx, bloc_request *rq);
};

/** The state of one run. */
struct cli_ctx {
	const struct cli_command *cmd;
	struct cli_args args;
	bloc_format format;
	int format_given;
	const char *data_dir;
	/* -o FILE: written to a temporary file beside it (tmp_path), renamed on success over
	 * target, FILE with its symbolic links followed; or, a FIFO or device, in place */
	FILE *out;
	char *tmp_path, *target;
};

/* ---- the commands (cmd_*.c) ---- */

#define CONTEST_ARG                                                                                \
	"  CONTEST   a catalogue id (see 'bloc elections') or the path of a results file\n"

/* The scenario options of the commands that can project before drawing (map, chart, report). */
#define CLI_PROJECT_FIRST_OPTIONS                                                                  \
	{"shares", 0, "LIST", "project first: national target shares, as bloc project"},           \
	    {"swing", 0, "LIST", "project first: national Butler swing, as bloc project"},         \
	    {"region", 0, "AREA:LIST",                                                             \
	     "project first: target shares in a nation or region, as bloc project"},               \
	    {"model", 0, "MODEL",                                                                  \
	     "projection model: uniform (default), proportional, transition or strong"},           \
	    {"threshold", 0, "T", "strong-transition threshold (default 0.2)"},                    \
	    {"adult-ratio", 0, "R",                                                                \
	     "a group shift's adults per resident relative to the seat's (default 1)"},            \
	    {"stand", 0, "PARTY@SEATS", "a new candidate in each seat listed, as bloc project"},   \
	    {"baseline", 0, "HOW",                                                                 \
	     "how the group voted in the base: census (default), survey:LIST or ei, as bloc "      \
	     "project"},                                                                           \
	    {"hold-shares", 0, "yes|no|TOL",                                                       \
	     "hold the shares set within TOL points (default yes, 0.05), as bloc project"},        \
	{                                                                                          \
		"turnout-ratio", 0, "R",                                                           \
		    "a group shift's turnout relative to the seat's (default 1)"                   \
	}

/* What map and chart add to those: the pair of a swing and a group shift. */
#define CLI_PICTURE_OPTIONS                                                                        \
	{"pair", 0, "A,B",                                                                         \
	 "swing:FROM: the two parties (default: the two with the most votes in CONTEST)"},         \
	    {"group", 0, "GROUP:LIST",                                                             \
	     "project first: a census group's change in support, as bloc project"},                \
	    CLI_PROJECT_FIRST_OPTIONS

extern const struct cli_option cli_no_options[];

/* ---- mpi.c: Open MPI under mpirun (a no-op in a build without MPI) ---- */

/** Start MPI if the process was launched by mpirun; 0, or -1 if MPI_Init failed. */
int cli_mpi_start(int *argc, char ***argv);
/** This process's block of the simulations: 1 and *p filled when there are several ranks. */
int cli_mpi_partition(bloc_partition *p);
/** This process's rank (0 without MPI): only rank 0 writes. */
int cli_mpi_rank(void);
void cli_mpi_stop(void);
/** After a failure under mpirun with several ranks: end every rank (MPI_Abort), so none waits
 * for the failed one; rank 0 has printed the message, another rank prints its own. */
void cli_mpi_abort(void);

/* ---- opt.c: options and help, driven by the tables ---- */

extern const struct cli_option cli_global_options[];

/**
 * Parse argv[*i..argc) against the global options and `cmd`'s options (cmd may be NULL: global
 * options only). Options and positional arguments may be mixed; "--" ends the options; "-" is a
 * positional argument. With `stop_at_positional`, stop at the first positional argument and
 * leave *i on it. On a usage error, write the message to `err` and return -1.
 */
int cli_parse(const struct cli_command *cmd, int argc, char **argv, int *i, int stop_at_positional,
              struct cli_args *a, char *err, size_t errlen);

/** The last value given for option `name` (NULL if none; "" for a flag given). */
const char *cli_value(const struct cli_args *a, const char *name);

/** Refuse --format for a command that writes a document (`writes`: "SVG", "HTML").
 * @return BLOC_OK or BLOC_EUSAGE with the message. */
int cli_refuse_format(const struct cli_ctx *ctx, const char *writes);
/** cli_refuse_format(ctx, "SVG"), as a command's prepare hook (map, chart). */
int cli_refuse_format_svg(struct cli_ctx *ctx);

/** One line per option (wrapped): "  -o, --output FILE     help". */
void cli_print_options(FILE *fp, const struct cli_option *opts);
/** Full help for cmd. */
void cli_print_help(FILE *fp, const struct cli_command *cmd);
/** "usage: bloc NAME [options] ARGS" */
void cli_print_usage(FILE *fp, const struct cli_command *cmd);

/* ---- main.c: the command table ---- */

/** Every command, in the order `bloc --help` lists them, help last. */
size_t cli_command_count(void);
const struct cli_command *cli_command_at(size_t i);
/** The command named `name`, or NULL. */
const struct cli_command *cli_find_command(const char *name);
/** What `bloc --help` says before and after the commands: the usage lines (one per line, without
 * "usage: "), the one-line summary, the closing paragraph; and the options of bloc alone
 * (--version). */
extern const char cli_main_usage[], cli_main_summary[], cli_main_details[];
extern const struct cli_option cli_main_options[];

/* ---- man.c: manual pages from the same tables and text as --help ---- */

/** bloc(1) as roff: the commands, global options, environment and files. */
void cli_print_man_main(FILE *fp);
/** bloc-NAME(1) as roff: cmd's synopsis, arguments, options, details and examples. */
void cli_print_man(FILE *fp, const struct cli_command *cmd);

/* ---- complete.c: what the shell may complete ---- */

/**
 * `bloc __complete [--] WORD... CURRENT`: the words of a command line after "bloc" up to the one
 * being completed (CURRENT, possibly ""), as the shell split them. Writes the completions of
 * CURRENT, one per line, each the whole word: commands, options, and values (choices, contest
 * ids, party codes, census groups) from the tables and the library; "@files" or "@dirs" asks
 * the shell to complete a file or directory name. Returns BLOC_EXIT_OK.
 */
int cli_complete(FILE *fp, int argc, char **argv);

/* ---- output.c: where answers go ---- */

/** The stream results go to: standard output, or a temporary file beside -o FILE. */
int cli_output_open(struct cli_ctx *ctx, FILE **fp);
/** Finish the output: flush, and for -o rename the temporary file into place. */
int cli_output_commit(struct cli_ctx *ctx);
/** After a failure: remove the temporary file, if any. Safe to call more than once. */
void cli_output_discard(struct cli_ctx *ctx);
/** Text from the data (a warning) to a terminal: control characters written as \xNN. */
void cli_put_text(FILE *fp, const char *s, size_t n);
/** Write `len` bytes to `path` all or nothing (a temporary file renamed into place). */
int cli_write_file(const char *path, const char *data, size_t len);

#endif
