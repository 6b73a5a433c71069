/* bloc <command> [options] [args]: the command table, and the one way every command runs:
 * parse the command line into a request, ask the library, write the answer. */
#include "cli.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Every command, in the order `bloc --help` lists them. Adding a command: its cmd_*.c (options,
 * help, the question it asks), and its line here. */
extern const struct cli_command cli_cmd_elections, cli_cmd_results, cli_cmd_seat, cli_cmd_swing,
    cli_cmd_targets, cli_cmd_indices, cli_cmd_export, cli_cmd_project, cli_cmd_backtest,
    cli_cmd_power, cli_cmd_ei, cli_cmd_ei_synth, cli_cmd_forecast, cli_cmd_simulate, cli_cmd_serve,
    cli_cmd_map, cli_cmd_chart, cli_cmd_report;

static const struct cli_command *const commands[] = {
    &cli_cmd_elections, &cli_cmd_results,  &cli_cmd_seat,     &cli_cmd_swing,    &cli_cmd_targets,
    &cli_cmd_indices,   &cli_cmd_export,   &cli_cmd_project,  &cli_cmd_backtest, &cli_cmd_power,
    &cli_cmd_ei,        &cli_cmd_ei_synth, &cli_cmd_forecast, &cli_cmd_simulate, &cli_cmd_serve,
    &cli_cmd_map,       &cli_cmd_chart,    &cli_cmd_report,
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

const struct cli_option cli_main_options[] = {{"version", 0, NULL, "print the version and exit"},
                                              CLI_OPTIONS_END};

const char cli_main_usage[] =
    "bloc [--data DIR] [--format table|csv|json] [-o FILE] COMMAND [options] [args]\n"
    "bloc help COMMAND\n"
    "bloc --version\n";
const char cli_main_summary[] = "Analyse UK first-past-the-post elections";
const char cli_main_details[] =
    "Results go to standard output, messages to standard error. Exit status: 0 success,\n"
    "1 data or runtime error, 2 usage error. 'bloc help COMMAND' shows a command's\n"
    "arguments, options and output columns.\n";

/* What comes before the command: the global options and --version. */
static const struct cli_command main_command = {.name = "", .args = "", .opts = cli_main_options};

static const struct cli_option help_options[] = {
    {"man", 0, NULL,
     "write the manual page (roff, for man(1)) instead: bloc(1) or bloc-COMMAND(1)"},
    CLI_OPTIONS_END};

static const struct cli_command help_command = {
    .name = "help",
    .summary = "Show the help of a command",
    .args = "[COMMAND]",
    .max_pos = 1,
    .opts = help_options,
    .arguments = "  COMMAND   one of the commands 'bloc --help' lists\n",
    .details = "\nExamples:\n  bloc help project\n  bloc help --man swing | man -l -\n"};

size_t cli_command_count(void)
{
	return NCOMMANDS + 1;
}

const struct cli_command *cli_command_at(size_t i)
{
	return i < NCOMMANDS ? commands[i] : i == NCOMMANDS ? &help_command : NULL;
}

const struct cli_command *cli_find_command(const char *name)
{
	size_t i;

	for (i = 0; i < cli_command_count(); i++)
		if (strcmp(cli_command_at(i)->name, name) == 0)
			return cli_command_at(i);
	return NULL;
}

static void print_main_usage(FILE *fp)
{
	const char *line = cli_main_usage;

	while (*line) {
		size_t n = strcspn(line, "\n");
		fprintf(fp, "%s%.*s\n", line == cli_main_usage ? "usage: " : "       ", (int)n,
		        line);
		line += n + (line[n] == '\n');
	}
}

static void print_main_help(FILE *fp)
{
	size_t i;

	print_main_usage(fp);
	fprintf(fp, "\n%s.\n\nCommands:\n", cli_main_summary);
	for (i = 0; i < cli_command_count(); i++)
		fprintf(fp, "  %-10s %s\n", cli_command_at(i)->name, cli_command_at(i)->summary);
	fputs("\nGlobal options (before or after the command):\n", fp);
	cli_print_options(fp, cli_global_options);
	cli_print_options(fp, cli_main_options);
	fprintf(fp, "\n%s", cli_main_details);
}

/* Print "bloc: CMD: message" and the short usage to stderr; returns BLOC_EXIT_USAGE. */
static int usage_error(struct cli_ctx *ctx, const char *fmt, ...) BLOC_PRINTF(2, 3);

static int usage_error(struct cli_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	fputs("bloc: ", stderr);
	if (ctx->cmd && *ctx->cmd->name)
		fprintf(stderr, "%s: ", ctx->cmd->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (ctx->cmd && *ctx->cmd->name) {
		cli_print_usage(stderr, ctx->cmd);
		fprintf(stderr, "Run 'bloc help %s' for more.\n", ctx->cmd->name);
	} else {
		print_main_usage(stderr);
		fputs("Run 'bloc --help' for the commands.\n", stderr);
	}
	return BLOC_EXIT_USAGE;
}

/* A library failure: a usage error (exit 2) or a data or runtime error (exit 1). */
static int fail(struct cli_ctx *ctx, int err)
{
	const char *msg = bloc_error_last();

	if (err == BLOC_EUSAGE)
		return usage_error(ctx, "%s", *msg ? msg : "bad command line");
	if (*msg)
		fprintf(stderr, "bloc: %s\n", msg);
	else
		fprintf(stderr, "bloc: %s: failed\n", ctx->cmd ? ctx->cmd->name : "");
	return BLOC_EXIT_ERROR;
}

/* The format: --format, else from the name of -o FILE (.csv, .json), else a table. */
static int choose_format(struct cli_ctx *ctx)
{
	const char *o = ctx->args.output, *dot;

	if (ctx->args.format) {
		if (bloc_format_parse(ctx->args.format, &ctx->format) < 0)
			return usage_error(ctx, "%s", bloc_error_last());
		ctx->format_given = 1;
		return BLOC_EXIT_OK;
	}
	ctx->format = BLOC_FORMAT_TABLE;
	if (o && (dot = strrchr(o, '.')) && !strchr(dot, '/')) {
		if (strcasecmp(dot, ".csv") == 0)
			ctx->format = BLOC_FORMAT_CSV;
		else if (strcasecmp(dot, ".json") == 0)
			ctx->format = BLOC_FORMAT_JSON;
	}
	return BLOC_EXIT_OK;
}

/* The command line as a request: positional arguments, then the options in order. */
static int make_request(struct cli_ctx *ctx, bloc_request **out)
{
	const struct cli_command *cmd = ctx->cmd;
	const struct cli_args *a = &ctx->args;
	bloc_request *rq = NULL;
	size_t i;
	int err;

	if ((err = bloc_request_new(&rq, cmd->query)) < 0)
		return err;
	if (cmd->positional)
		err = a->npos ? cmd->positional(ctx, rq) : BLOC_OK;
	for (i = 0; err == BLOC_OK && !cmd->positional && i < a->npos; i++)
		err = bloc_request_set(rq, cmd->pos_keys[i], a->pos[i]);
	for (i = 0; err == BLOC_OK && i < a->nseq; i++)
		err = bloc_request_set(rq, a->seq[i].opt->name, a->seq[i].value);
	if (err < 0) {
		bloc_request_free(rq);
		return err;
	}
	*out = rq;
	return BLOC_OK;
}

/* -o FILE's sibling for a second document: FILE without .csv, then the suffix. */
static char *aux_path(const char *output, const char *suffix)
{
	size_t len = strlen(output);
	char *p;

	if (len > 4 && strcmp(output + len - 4, ".csv") == 0)
		len -= 4;
	if (!(p = malloc(len + strlen(suffix) + 1)))
		return NULL;
	memcpy(p, output, len);
	strcpy(p + len, suffix);
	return p;
}

/* The answer to its places: warnings to stderr, a second document beside -o FILE, then the
 * table or document to the output. */
static int write_answer(struct cli_ctx *ctx, const bloc_answer *ans)
{
	const char *w = ans->warnings;
	FILE *fp = NULL;
	int err;

	while (w && *w) {
		size_t n = strcspn(w, "\n");
		fprintf(stderr, "bloc: %s: ", ctx->cmd->name);
		cli_put_text(stderr, w, n);
		fputc('\n', stderr);
		w += n + (w[n] == '\n');
	}
	if (ans->aux) {
		char *path = aux_path(ctx->args.output, ans->aux_suffix);
		if (!path)
			return bloc_error_oom("naming the file beside %s", ctx->args.output);
		err = cli_write_file(path, ans->aux, ans->aux_len);
		free(path);
		if (err < 0)
			return err;
	}
	if ((err = cli_output_open(ctx, &fp)) < 0)
		return err;
	if (ans->table)
		return bloc_table_write(ans->table, fp, ctx->format);
	if (ans->doc_len && fwrite(ans->doc, 1, ans->doc_len, fp) != ans->doc_len)
		return bloc_error_set(BLOC_EIO, "%s: write error",
		                      ctx->args.output ? ctx->args.output : "standard output");
	return BLOC_OK;
}

/* Ask the command's question and write the answer. */
static int ask(struct cli_ctx *ctx)
{
	bloc_store_options so = BLOC_STORE_OPTIONS_INIT;
	bloc_answer ans = BLOC_ANSWER_INIT;
	bloc_request *rq = NULL;
	bloc_store *st = NULL;
	bloc_partition part;
	int err;

	/* under mpirun every rank asks; the simulations are split, rank 0 writes */
	if ((ctx->cmd->prepare && (err = ctx->cmd->prepare(ctx)) < 0) ||
	    (err = make_request(ctx, &rq)) < 0 ||
	    (cli_mpi_partition(&part) && (err = bloc_request_partition(rq, &part)) < 0) ||
	    (err = bloc_store_open(&st, ctx->data_dir, &so)) < 0 ||
	    (err = bloc_query_run(&ans, st, rq)) < 0 ||
	    (cli_mpi_rank() == 0 && (err = write_answer(ctx, &ans)) < 0)) {
		err = cli_mpi_rank() == 0 ? fail(ctx, err) : BLOC_EXIT_ERROR;
		cli_mpi_abort();
	}
	bloc_answer_dispose(&ans);
	bloc_request_free(rq);
	bloc_store_free(st);
	return err;
}

static int run_help(struct cli_ctx *ctx, int argc, char **argv, int i)
{
	const struct cli_command *cmd;
	char err[256];

	if (cli_parse(ctx->cmd, argc, argv, &i, 0, &ctx->args, err, sizeof(err)) < 0)
		return usage_error(ctx, "%s", err);
	if (ctx->args.npos == 0 && ctx->args.help) {
		cli_print_help(stdout, ctx->cmd);
		return BLOC_EXIT_OK;
	}
	if (ctx->args.npos == 0) {
		if (cli_value(&ctx->args, "man"))
			cli_print_man_main(stdout);
		else
			print_main_help(stdout);
		return BLOC_EXIT_OK;
	}
	if (!(cmd = cli_find_command(ctx->args.pos[0])))
		return usage_error(ctx, "unknown command '%s'", ctx->args.pos[0]);
	if (cli_value(&ctx->args, "man"))
		cli_print_man(stdout, cmd);
	else
		cli_print_help(stdout, cmd);
	return BLOC_EXIT_OK;
}

static int run(struct cli_ctx *ctx, int argc, char **argv)
{
	char err[256];
	int i = 1, rc;

	if (cli_parse(&main_command, argc, argv, &i, 1, &ctx->args, err, sizeof(err)) < 0)
		return usage_error(ctx, "%s", err);
	if (cli_value(&ctx->args, "version")) {
		printf("bloc %s\n", bloc_version());
		return BLOC_EXIT_OK;
	}
	if (i >= argc) {
		if (ctx->args.help) {
			print_main_help(stdout);
			return BLOC_EXIT_OK;
		}
		return usage_error(ctx, "no command given");
	}
	/* the shell's completion asks here (completion/bloc.bash); not a command of its own */
	if (strcmp(argv[i], "__complete") == 0)
		return cli_complete(stdout, argc - i - 1, argv + i + 1);
	if (!(ctx->cmd = cli_find_command(argv[i]))) {
		size_t k;
		rc = usage_error(ctx, "unknown command '%s'", argv[i]);
		fputs("Commands:", stderr);
		for (k = 0; k < cli_command_count(); k++)
			fprintf(stderr, " %s", cli_command_at(k)->name);
		fputc('\n', stderr);
		return rc;
	}
	ctx->args.nseq = 0; /* --version before the command is not the command's */
	if (ctx->cmd == &help_command)
		return run_help(ctx, argc, argv, i + 1);
	i++;
	if (cli_parse(ctx->cmd, argc, argv, &i, 0, &ctx->args, err, sizeof(err)) < 0)
		return usage_error(ctx, "%s", err);
	if (ctx->args.help) {
		cli_print_help(stdout, ctx->cmd);
		return BLOC_EXIT_OK;
	}
	if ((rc = choose_format(ctx)) != BLOC_EXIT_OK)
		return rc;
	ctx->data_dir = bloc_store_default_dir(ctx->args.data);
	if (ctx->cmd->fn)
		return (rc = ctx->cmd->fn(ctx)) < 0 ? fail(ctx, rc) : BLOC_EXIT_OK;
	return ask(ctx);
}

int main(int argc, char **argv)
{
	struct cli_ctx ctx;
	int rc;

	memset(&ctx, 0, sizeof(ctx));
	if (cli_mpi_start(&argc, &argv) < 0) {
		fputs("bloc: MPI_Init failed\n", stderr);
		return BLOC_EXIT_ERROR;
	}
	rc = run(&ctx, argc, argv);
	if (rc == BLOC_EXIT_OK && cli_output_commit(&ctx) < 0)
		rc = fail(&ctx, BLOC_EIO);
	if (rc != BLOC_EXIT_OK)
		cli_output_discard(&ctx);
	cli_mpi_stop();
	return rc;
}
