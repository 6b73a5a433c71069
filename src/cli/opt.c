/* Option parsing and help, both driven by the option tables. */
#include "cli.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#ifndef BLOC_DATA_INSTALL_DIR
#define BLOC_DATA_INSTALL_DIR "<prefix>/share/bloc/data"
#endif

const struct cli_option cli_global_options[] = {
    {"data", 0, "DIR",
     "data directory (default: $BLOC_DATA, else the data installed with "
     "bloc, " BLOC_DATA_INSTALL_DIR
     ", else the data/ of the source tree bloc was built from, else ./data)"},
    {"format", 0, "FMT",
     "table (default), csv or json; with -o FILE.csv or FILE.json the default follows the name"},
    {"output", 'o', "FILE",
     "write to FILE instead of standard output (all or nothing: a temporary file is renamed)"},
    {"help", 'h', NULL, "show this help and exit"},
    CLI_OPTIONS_END};

const struct cli_option cli_no_options[] = {CLI_OPTIONS_END};

int cli_refuse_format(const struct cli_ctx *ctx, const char *writes)
{
	if (ctx->format_given)
		return bloc_error_set(BLOC_EUSAGE,
		                      "--format: %s writes %s; there is no other format",
		                      ctx->cmd->name, writes);
	return BLOC_OK;
}

int cli_refuse_format_svg(struct cli_ctx *ctx)
{
	return cli_refuse_format(ctx, "SVG");
}

static const struct cli_option *find_long(const struct cli_option *t, const char *name, size_t n)
{
	for (; t && t->name; t++)
		if (strlen(t->name) == n && strncmp(t->name, name, n) == 0)
			return t;
	return NULL;
}

static const struct cli_option *find_short(const struct cli_option *t, char c)
{
	for (; t && t->name; t++)
		if (t->short_name && t->short_name == c)
			return t;
	return NULL;
}

static int is_global(const struct cli_option *o)
{
	return o >= cli_global_options &&
	       o < cli_global_options + sizeof(cli_global_options) / sizeof(cli_global_options[0]);
}

/* A global option into its field. */
static void set_global(struct cli_args *a, const struct cli_option *o, const char *value)
{
	if (strcmp(o->name, "data") == 0)
		a->data = value;
	else if (strcmp(o->name, "format") == 0)
		a->format = value;
	else if (strcmp(o->name, "output") == 0)
		a->output = value;
	else
		a->help = 1;
}

/* The option named by arg ("--name[=value]" or "-xVALUE"), and its value when attached. */
static const struct cli_option *lookup(const struct cli_command *cmd, const char *arg,
                                       const char **value, char *err, size_t errlen)
{
	const struct cli_option *own = cmd ? cmd->opts : NULL, *o;
	char shown[64];

	*value = NULL;
	if (arg[1] == '-') {
		const char *name = arg + 2, *eq = strchr(name, '=');
		size_t n = eq ? (size_t)(eq - name) : strlen(name);
		if (!(o = find_long(cli_global_options, name, n)))
			o = find_long(own, name, n);
		snprintf(shown, sizeof(shown), "--%.*s", (int)(n < 40 ? n : 40), name);
		if (o && eq) {
			if (!o->metavar) {
				snprintf(err, errlen, "option '%s' takes no value", shown);
				return NULL;
			}
			*value = eq + 1;
		}
	} else {
		if (!(o = find_short(cli_global_options, arg[1])))
			o = find_short(own, arg[1]);
		snprintf(shown, sizeof(shown), "-%c", arg[1]);
		if (o && arg[2] != '\0') {
			if (!o->metavar) {
				snprintf(err, errlen, "option '%s' takes no value (in '%.40s')",
				         shown, arg);
				return NULL;
			}
			*value = arg + 2;
		}
	}
	if (!o) {
		if (cmd && *cmd->name)
			snprintf(err, errlen, "unknown option '%s' for '%s'", shown, cmd->name);
		else
			snprintf(err, errlen, "unknown option '%s'", shown);
	}
	return o;
}

int cli_parse(const struct cli_command *cmd, int argc, char **argv, int *i, int stop_at_positional,
              struct cli_args *a, char *err, size_t errlen)
{
	int only_positional = 0;

	for (; *i < argc; (*i)++) {
		const char *arg = argv[*i], *value = NULL;
		const struct cli_option *o;

		if (only_positional || arg[0] != '-' || arg[1] == '\0') {
			if (stop_at_positional)
				return 0;
			if (a->npos == CLI_MAX_POS || (cmd && a->npos == cmd->max_pos)) {
				snprintf(err, errlen, "unexpected argument '%.64s'", arg);
				return -1;
			}
			a->pos[a->npos++] = arg;
			continue;
		}
		if (strcmp(arg, "--") == 0) {
			if (stop_at_positional) {
				(*i)++;
				return 0;
			}
			only_positional = 1;
			continue;
		}
		if (!(o = lookup(cmd, arg, &value, err, errlen)))
			return -1;
		if (o->metavar && !value) {
			if (*i + 1 >= argc) {
				snprintf(err, errlen, "option '--%s' needs a value (%s)", o->name,
				         o->metavar);
				return -1;
			}
			value = argv[++(*i)];
		}
		if (is_global(o)) {
			set_global(a, o, value);
			continue;
		}
		if (a->nseq == CLI_MAX_SEQ) {
			snprintf(err, errlen, "too many options (at most %d)", CLI_MAX_SEQ);
			return -1;
		}
		a->seq[a->nseq].opt = o;
		a->seq[a->nseq].value = value;
		a->nseq++;
	}
	if (cmd && !a->help && a->npos < cmd->min_pos) {
		snprintf(err, errlen, "expected %s", cmd->args);
		return -1;
	}
	return 0;
}

const char *cli_value(const struct cli_args *a, const char *name)
{
	const char *v = NULL;
	size_t i;

	for (i = 0; i < a->nseq; i++)
		if (strcmp(a->seq[i].opt->name, name) == 0)
			v = a->seq[i].value ? a->seq[i].value : "";
	return v;
}

void cli_print_usage(FILE *fp, const struct cli_command *cmd)
{
	fprintf(fp, "usage: bloc %s [options]%s%s\n", cmd->name, *cmd->args ? " " : "", cmd->args);
}

/* Print `text` in lines of at most `width` characters, every line but the first indented by
 * `indent` spaces. */
static void print_wrapped(FILE *fp, const char *text, size_t indent, size_t width)
{
	while (*text) {
		size_t n = strlen(text), cut = n;
		if (n > width) {
			for (cut = width; cut > 0 && text[cut] != ' '; cut--)
				;
			if (cut == 0)
				cut = strcspn(text, " ");
		}
		fprintf(fp, "%.*s\n", (int)cut, text);
		text += cut;
		while (*text == ' ')
			text++;
		if (*text)
			fprintf(fp, "%*s", (int)indent, "");
	}
}

#define HELP_COLUMN 24
#define HELP_WIDTH  80

void cli_print_options(FILE *fp, const struct cli_option *o)
{
	for (; o && o->name; o++) {
		char left[64];
		if (o->short_name)
			snprintf(left, sizeof(left), "-%c, --%s%s%s", o->short_name, o->name,
			         o->metavar ? " " : "", o->metavar ? o->metavar : "");
		else
			snprintf(left, sizeof(left), "    --%s%s%s", o->name, o->metavar ? " " : "",
			         o->metavar ? o->metavar : "");
		if (strlen(left) + 2 < HELP_COLUMN)
			fprintf(fp, "  %-*s", HELP_COLUMN - 2, left);
		else
			fprintf(fp, "  %s\n%*s", left, HELP_COLUMN, "");
		print_wrapped(fp, o->help, HELP_COLUMN, HELP_WIDTH - HELP_COLUMN);
	}
}

void cli_print_help(FILE *fp, const struct cli_command *cmd)
{
	cli_print_usage(fp, cmd);
	fprintf(fp, "\n%s.\n", cmd->summary);
	if (cmd->arguments && *cmd->arguments)
		fprintf(fp, "\nArguments:\n%s", cmd->arguments);
	if (cmd->opts && cmd->opts->name) {
		fputs("\nOptions:\n", fp);
		cli_print_options(fp, cmd->opts);
	}
	if (cmd->fn || cmd->query) {
		fputs("\nGlobal options (also before the command):\n", fp);
		cli_print_options(fp, cli_global_options);
	}
	if (cmd->details && *cmd->details)
		fprintf(fp, "\n%s", cmd->details);
}
