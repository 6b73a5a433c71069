/* Manual pages as roff, written from the same option tables and text as --help (opt.c), so the
 * two never say different things. The build runs `bloc help --man [COMMAND]` for every command
 * (man/man.cmake); tests/man/run.sh renders each page and checks it against --help. */
#include "cli.h"

#include <stdint.h>
#include <string.h>

#ifndef BLOC_DATA_INSTALL_DIR
#define BLOC_DATA_INSTALL_DIR "PREFIX/share/bloc/data"
#endif

/* Write n bytes of text as roff: backslashes and hyphens escaped (a hyphen in an option or a
 * contest id must stay an ASCII hyphen when copied), a '.' or '\'' that would start a line made
 * text, other characters than ASCII as \[uXXXX], and a place to break the line after a comma
 * inside a word (column lists are longer than a line). `bol`: the text starts a line. */
static void put_n(FILE *fp, const char *s, size_t n, int bol)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;

	while (p < end) {
		unsigned c = *p;
		if (bol && (c == '.' || c == '\''))
			fputs("\\&", fp);
		bol = c == '\n';
		if (c == '\\')
			fputs("\\e", fp);
		else if (c == '-')
			fputs("\\-", fp);
		else if (c == ',' && p + 1 < end && p[1] != ' ' && p[1] != '\n')
			fputs(",\\:", fp); /* a column list may break after a comma */
		else if (c < 0x80) {
			fputc((int)c, fp);
		} else {
			/* UTF-8 to a code point; a malformed sequence is one '?' per byte */
			size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1, k;
			uint32_t cp = len == 4 ? c & 0x07 : len == 3 ? c & 0x0F : c & 0x1F;
			if (len == 1 || (size_t)(end - p) < len) {
				fputc('?', fp);
				p++;
				continue;
			}
			for (k = 1; k < len && (p[k] & 0xC0) == 0x80; k++)
				cp = (cp << 6) | (p[k] & 0x3F);
			if (k < len) {
				fputc('?', fp);
				p++;
				continue;
			}
			fprintf(fp, "\\[u%04X]", (unsigned)cp);
			p += len;
			continue;
		}
		p++;
	}
}

static void put(FILE *fp, const char *s)
{
	put_n(fp, s, strlen(s), 1);
}

/* A usage line: words in capitals (DIR, FILE, CONTEST) in italics, the rest as it is. */
static void put_synopsis(FILE *fp, const char *s)
{
	while (*s) {
		size_t n = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ_");
		if (n >= 2) {
			fputs("\\fI", fp);
			put_n(fp, s, n, 0);
			fputs("\\fR", fp);
		} else {
			n = n ? n : 1;
			put_n(fp, s, n, 0);
		}
		s += n;
	}
}

static void put_title(FILE *fp, const char *page)
{
	const char *c;

	fputs(".TH \"", fp);
	for (c = page; *c; c++) {
		if (*c == '-')
			fputs("\\-", fp);
		else
			fputc(*c >= 'a' && *c <= 'z' ? *c - 'a' + 'A' : *c, fp);
	}
	fprintf(fp, "\" 1 \"\" \"bloc %s\" \"bloc manual\"\n", bloc_version());
}

static void put_options(FILE *fp, const struct cli_option *o)
{
	for (; o && o->name; o++) {
		fputs(".TP\n", fp);
		if (o->short_name)
			fprintf(fp, "\\fB\\-%c\\fR, ", o->short_name);
		fputs("\\fB\\-\\-", fp);
		put_n(fp, o->name, strlen(o->name), 0);
		fputs("\\fR", fp);
		if (o->metavar) {
			fputs(" \\fI", fp);
			put_n(fp, o->metavar, strlen(o->metavar), 0);
			fputs("\\fR", fp);
		}
		fputc('\n', fp);
		put(fp, o->help);
		fputc('\n', fp);
	}
}

/* The arguments of --help ("  NAME      text", continued on lines indented further) as a list. */
static void put_arguments(FILE *fp, const char *text)
{
	while (*text) {
		size_t n = strcspn(text, "\n"), lead = strspn(text, " ");
		if (lead == 2 && lead < n) {
			const char *name = text + 2, *gap = strstr(name, "  ");
			size_t len = gap && gap < text + n ? (size_t)(gap - name) : n - 2;
			fputs(".TP\n\\fI", fp);
			put_n(fp, name, len, 0);
			fputs("\\fR\n", fp);
			name += len;
			name += strspn(name, " ");
			if (name < text + n) {
				put_n(fp, name, (size_t)(text + n - name), 1);
				fputc('\n', fp);
			}
		} else if (lead < n) {
			put_n(fp, text + lead, n - lead, 1);
			fputc('\n', fp);
		}
		text += n + (text[n] == '\n');
	}
}

/* Is the paragraph at p (up to a blank line) the examples? */
static int is_examples(const char *p)
{
	return strncmp(p, "Examples:\n", 10) == 0 || strncmp(p, "Example:\n", 9) == 0;
}

/* The details of --help, paragraph by paragraph (blank lines between them): lines flush left are
 * filled text, indented lines (formulas, a JSON example, numbered steps) are kept as they are.
 * The examples are left for put_examples. */
static void put_details(FILE *fp, const char *text)
{
	while (*text) {
		int nofill = 0;
		text += strspn(text, "\n");
		if (!*text)
			break;
		if (is_examples(text)) {
			const char *end = strstr(text, "\n\n");
			text = end ? end : text + strlen(text);
			continue;
		}
		fputs(".PP\n", fp);
		while (*text && *text != '\n') {
			size_t n = strcspn(text, "\n");
			int indented = *text == ' ';
			if (indented != nofill) {
				fputs(indented ? ".nf\n" : ".fi\n", fp);
				nofill = indented;
			}
			put_n(fp, text, n, 1);
			fputc('\n', fp);
			text += n + (text[n] == '\n');
		}
		if (nofill)
			fputs(".fi\n", fp);
	}
}

/* The "Examples:" paragraph of the details, if any, as its own section. */
static void put_examples(FILE *fp, const char *text)
{
	const char *p = text;

	while (p && *p) {
		p += strspn(p, "\n");
		if (is_examples(p))
			break;
		p = strstr(p, "\n\n");
	}
	if (!p || !*p)
		return;
	p += strcspn(p, "\n") + 1;
	fputs(".SH EXAMPLES\n.nf\n", fp);
	while (*p && *p != '\n') {
		size_t n = strcspn(p, "\n"), lead = strspn(p, " ");
		lead = lead > 2 ? 2 : lead;
		put_n(fp, p + lead, n - lead, 1);
		fputc('\n', fp);
		p += n + (p[n] == '\n');
	}
	fputs(".fi\n", fp);
}

/* BLOC_DATA, and where bloc looks for its data without it: as the --data option says, so that
 * the order is written once (opt.c); and BLOC_CACHE. */
static void put_environment(FILE *fp)
{
	const struct cli_option *o;

	fputs(".SH ENVIRONMENT\n.TP\n.B BLOC_DATA\n", fp);
	put(fp, "The data directory when --data is not given.");
	for (o = cli_global_options; o->name; o++)
		if (strcmp(o->name, "data") == 0) {
			fputs(" As \\fB\\-\\-data\\fR says: ", fp);
			put_n(fp, o->help, strlen(o->help), 0);
			fputc('.', fp);
		}
	fputc('\n', fp);
	fputs(".TP\n.B BLOC_CACHE\n", fp);
	put(fp, "Where per-seat R x C estimates are cached (bloc ei --method rxc --by seat, and "
	        "the projections' --baseline ei): BLOC_CACHE, else $XDG_CACHE_HOME/bloc, else "
	        "~/.cache/bloc. A file there is never trusted blindly: its key (the data files' "
	        "bytes, every setting, the sampler) is checked whole, and a corrupt one is "
	        "recomputed.");
	fputc('\n', fp);
}

static void put_files(FILE *fp)
{
	fputs(".SH FILES\n.TP\n\\fIDATA\\fR/CATALOG.csv\n", fp);
	put(fp,
	    "The data directory's catalogue: the id, kind, date, boundaries, path and format of "
	    "every results file, census table and hex layout in it. A CONTEST given by id is "
	    "looked up here; 'bloc elections' lists it.\n");
	fputs(".TP\n\\fIDATA\\fR/SOURCES.md\n", fp);
	put(fp, "Where each data file comes from, its licence and its known quirks.\n");
	fputs(".TP\n.I ", fp);
	put_n(fp, BLOC_DATA_INSTALL_DIR, strlen(BLOC_DATA_INSTALL_DIR), 0);
	fputc('\n', fp);
	put(fp, "The data installed with bloc.\n");
}

void cli_print_man(FILE *fp, const struct cli_command *cmd)
{
	int runs = cmd->fn || cmd->query;
	char page[64];

	snprintf(page, sizeof(page), "bloc-%s", cmd->name);
	put_title(fp, page);
	fputs(".SH NAME\n", fp);
	put(fp, page);
	fputs(" \\- ", fp);
	put_n(fp, cmd->summary, strlen(cmd->summary), 0);
	fputs("\n.SH SYNOPSIS\n.B bloc ", fp);
	put_n(fp, cmd->name, strlen(cmd->name), 0);
	fputs("\n[\\fIoptions\\fR]", fp);
	if (cmd->args && *cmd->args) {
		fputc(' ', fp);
		put_synopsis(fp, cmd->args);
	}
	fputs("\n.SH DESCRIPTION\n", fp);
	put(fp, cmd->summary);
	fputs(".\n", fp);
	if (cmd->arguments && *cmd->arguments)
		put_arguments(fp, cmd->arguments);
	if (cmd->details)
		put_details(fp, cmd->details);
	if (cmd->opts && cmd->opts->name) {
		fputs(".SH OPTIONS\n", fp);
		put_options(fp, cmd->opts);
	}
	if (runs) {
		fputs(".SH GLOBAL OPTIONS\n", fp);
		put(fp, "Accepted before or after the command.\n");
		put_options(fp, cli_global_options);
		put_environment(fp);
		put_files(fp);
	}
	if (cmd->details)
		put_examples(fp, cmd->details);
	fputs(".SH SEE ALSO\n\\fBbloc\\fR(1)\n", fp);
}

void cli_print_man_main(FILE *fp)
{
	const char *line = cli_main_usage;
	size_t i;

	put_title(fp, "bloc");
	fputs(".SH NAME\nbloc \\- ", fp);
	/* "Analyse ..." as a NAME line's "analyse ..." */
	if (cli_main_summary[0] >= 'A' && cli_main_summary[0] <= 'Z')
		fputc(cli_main_summary[0] - 'A' + 'a', fp);
	put_n(fp, cli_main_summary + 1, strlen(cli_main_summary + 1), 0);
	fputs("\n.SH SYNOPSIS\n.nf\n", fp);
	while (*line) {
		size_t n = strcspn(line, "\n");
		fputs("\\fBbloc\\fR", fp);
		if (strncmp(line, "bloc", 4) == 0 && n > 4) {
			char rest[256];
			snprintf(rest, sizeof(rest), "%.*s", (int)(n - 4), line + 4);
			put_synopsis(fp, rest);
		}
		fputc('\n', fp);
		line += n + (line[n] == '\n');
	}
	fputs(".fi\n.SH DESCRIPTION\n", fp);
	put(fp, cli_main_summary);
	fputs(".\n", fp);
	put(fp, "Each command has its own page, bloc-COMMAND(1).\n");
	put_details(fp, cli_main_details);
	fputs(".SH COMMANDS\n", fp);
	for (i = 0; i < cli_command_count(); i++) {
		const struct cli_command *c = cli_command_at(i);
		fputs(".TP\n\\fB", fp);
		put_n(fp, c->name, strlen(c->name), 0);
		fputs("\\fR", fp);
		if (c->args && *c->args) {
			fputc(' ', fp);
			put_synopsis(fp, c->args);
		}
		fputc('\n', fp);
		put(fp, c->summary);
		fputs(". See \\fBbloc\\-", fp);
		put_n(fp, c->name, strlen(c->name), 0);
		fputs("\\fR(1).\n", fp);
	}
	fputs(".SH GLOBAL OPTIONS\n", fp);
	put(fp, "Accepted before or after the command.\n");
	put_options(fp, cli_global_options);
	put_options(fp, cli_main_options);
	fputs(".SH EXIT STATUS\n.TP\n.B 0\nSuccess.\n.TP\n.B 1\n", fp);
	put(fp,
	    "A data or runtime error: a missing file, a malformed or inconsistent results file.\n");
	fputs(".TP\n.B 2\n", fp);
	put(fp,
	    "A usage error: an unknown command or option, a missing argument, an unknown party.\n");
	put_environment(fp);
	put_files(fp);
	fputs(".SH SEE ALSO\n", fp);
	for (i = 0; i < cli_command_count(); i++) {
		fputs(i ? ",\n\\fBbloc\\-" : "\\fBbloc\\-", fp);
		put_n(fp, cli_command_at(i)->name, strlen(cli_command_at(i)->name), 0);
		fputs("\\fR(1)", fp);
	}
	fputs("\n", fp);
}
