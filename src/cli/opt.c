/* Option parsing and help, both driven by the option tables. */
#include "cli.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

const struct cli_option cli_global_options[] = {
    {"data", 0, "DIR", offsetof(struct cli_args, data),
     "data directory (default: $BLOC_DATA, else ./data)"},
    {"format", 0, "FMT", offsetof(struct cli_args, format),
     "table (default), csv or json; with -o FILE.csv or FILE.json the default follows the name"},
    {"output", 'o', "FILE", offsetof(struct cli_args, output),
     "write to FILE instead of standard output (all or nothing: a temporary file is renamed)"},
    {"help", 'h', NULL, offsetof(struct cli_args, help), "show this help and exit"},
    {NULL, 0, NULL, 0, NULL}};

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

static void set_value(struct cli_args *a, const struct cli_option *o, const char *value)
{
	char *base = (char *)a + o->offset;

	if (o->metavar)
		memcpy(base, &value, sizeof(value));
	else
		*(int *)(void *)base = 1;
}

int cli_parse(const struct cli_command *cmd, int argc, char **argv, int *i, int stop_at_positional,
              struct cli_args *a, char *err, size_t errlen)
{
	const struct cli_option *own = cmd ? cmd->opts : NULL;
	int only_positional = 0;

	for (; *i < argc; (*i)++) {
		const char *arg = argv[*i], *value = NULL;
		const struct cli_option *o = NULL;
		char shown[64];

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
		if (arg[1] == '-') {
			const char *name = arg + 2, *eq = strchr(name, '=');
			size_t n = eq ? (size_t)(eq - name) : strlen(name);
			if (!(o = find_long(cli_global_options, name, n)))
				o = find_long(own, name, n);
			snprintf(shown, sizeof(shown), "--%.*s", (int)(n < 40 ? n : 40), name);
			if (o && eq) {
				if (!o->metavar) {
					snprintf(err, errlen, "option '%s' takes no value", shown);
					return -1;
				}
				value = eq + 1;
			}
		} else {
			if (!(o = find_short(cli_global_options, arg[1])))
				o = find_short(own, arg[1]);
			snprintf(shown, sizeof(shown), "-%c", arg[1]);
			if (o && arg[2] != '\0') {
				if (!o->metavar) {
					snprintf(err, errlen,
					         "option '%s' takes no value (in '%.40s')", shown,
					         arg);
					return -1;
				}
				value = arg + 2;
			}
		}
		if (!o) {
			if (cmd)
				snprintf(err, errlen, "unknown option '%s' for '%s'", shown,
				         cmd->name);
			else
				snprintf(err, errlen, "unknown option '%s'", shown);
			return -1;
		}
		if (o->metavar && !value) {
			if (*i + 1 >= argc) {
				snprintf(err, errlen, "option '%s' needs a value (%s)", shown,
				         o->metavar);
				return -1;
			}
			value = argv[++(*i)];
		}
		if (o->metavar) {
			if (a->nseq == CLI_MAX_SEQ) {
				snprintf(err, errlen, "too many options (at most %d with values)",
				         CLI_MAX_SEQ);
				return -1;
			}
			a->seq[a->nseq].name = o->name;
			a->seq[a->nseq].value = value;
			a->nseq++;
		}
		set_value(a, o, value);
	}
	if (cmd && !a->help && a->npos < cmd->min_pos) {
		snprintf(err, errlen, "expected %s", cmd->args);
		return -1;
	}
	return 0;
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
	if (cmd->fn) {
		fputs("\nGlobal options (also before the command):\n", fp);
		cli_print_options(fp, cli_global_options);
	}
	if (cmd->details && *cmd->details)
		fprintf(fp, "\n%s", cmd->details);
}

int cli_whole(struct cli_ctx *ctx, const char *option, const char *text, unsigned long long lo,
              unsigned long long hi, unsigned long long *out)
{
	char *end;

	errno = 0;
	*out = strtoull(text, &end, 10);
	if (end == text || *end || errno || text[0] == '-' || text[0] == '+' || *out < lo ||
	    *out > hi)
		return cli_usage_error(ctx,
		                       "--%s: expected a whole number from %llu to %llu, got '%s'",
		                       option, lo, hi, text);
	return BLOC_EXIT_OK;
}
