/* Shell completion: `bloc __complete WORD... CURRENT` says what CURRENT may become, from the
 * command and option tables and from the library (contest ids from the catalogue, party codes
 * from the registry, census groups, a setting's choices), so completion/bloc.bash knows nothing
 * of its own and never drifts from the CLI. */
#include "cli.h"

#include <string.h>

struct completer {
	FILE *fp;
	const char *prefix; /* written before each word ("--by=" when completing "--by=se") */
	const char *cur;    /* the word being completed, after the prefix */
	const char *data;   /* --data DIR given on the line, or NULL */
};

/* Offer `head` + `word` + `tail` if it extends what is being completed. */
static void offer3(const struct completer *c, const char *head, const char *word, const char *tail)
{
	char full[512];

	if ((size_t)snprintf(full, sizeof(full), "%s%s%s", head, word, tail) >= sizeof(full))
		return;
	if (strncmp(full, c->cur, strlen(c->cur)) == 0)
		fprintf(c->fp, "%s%s\n", c->prefix, full);
}

static void offer(const struct completer *c, const char *word)
{
	offer3(c, "", word, "");
}

static const struct cli_option *find_option(const struct cli_option *t, const char *name, size_t n)
{
	for (; t && t->name; t++)
		if (strlen(t->name) == n && strncmp(t->name, name, n) == 0)
			return t;
	return NULL;
}

static const struct cli_option *find_short(const struct cli_option *t, char ch)
{
	for (; t && t->name; t++)
		if (t->short_name && t->short_name == ch)
			return t;
	return NULL;
}

/* The option word w names ("--name", "--name=value", "-o"), among the global ones and cmd's
 * (bloc's own before a command). */
static const struct cli_option *option_of(const struct cli_command *cmd, const char *w)
{
	const struct cli_option *own = cmd ? cmd->opts : cli_main_options, *o;

	if (w[1] == '-') {
		size_t n = strcspn(w + 2, "=");
		if (!(o = find_option(cli_global_options, w + 2, n)))
			o = find_option(own, w + 2, n);
		return o;
	}
	if (!(o = find_short(cli_global_options, w[1])))
		o = find_short(own, w[1]);
	return o;
}

static int is_global(const struct cli_option *o)
{
	const struct cli_option *g;

	for (g = cli_global_options; g->name; g++)
		if (g == o)
			return 1;
	return 0;
}

static void offer_options(const struct completer *c, const struct cli_command *cmd)
{
	const struct cli_option *lists[2], *o;
	size_t k;

	lists[0] = cmd ? cmd->opts : cli_main_options;
	lists[1] = cli_global_options;
	for (k = 0; k < 2; k++)
		for (o = lists[k]; o && o->name; o++)
			offer3(c, "--", o->name, "");
}

static void offer_commands(const struct completer *c)
{
	size_t i;

	for (i = 0; i < cli_command_count(); i++)
		offer(c, cli_command_at(i)->name);
}

/* Catalogue ids: the contests (kind NULL), or the entries of one kind ("census"). */
static void offer_catalog(const struct completer *c, const char *kind)
{
	bloc_store_options so = BLOC_STORE_OPTIONS_INIT;
	const bloc_dataset *ds;
	bloc_store *st = NULL;
	size_t i;

	if (bloc_store_open(&st, bloc_store_default_dir(c->data), &so) == BLOC_OK &&
	    bloc_store_ready(st) == BLOC_OK && (ds = bloc_store_catalog(st))) {
		for (i = 0; i < bloc_dataset_count(ds); i++) {
			const bloc_catalog_entry *e = bloc_dataset_entry(ds, i);
			if (kind ? strcmp(e->kind, kind) == 0 : bloc_format_is_contest(e->format))
				offer(c, e->id);
		}
	}
	bloc_store_free(st);
}

/* Party codes after `head`, each followed by `tail`. */
static void offer_parties(const struct completer *c, const char *head, const char *tail)
{
	size_t i;

	for (i = 0; i < bloc_party_count(); i++)
		offer3(c, head, bloc_party_code((bloc_party)i), tail);
}

static void offer_groups(const struct completer *c, const char *tail)
{
	size_t i;

	for (i = 0; i < bloc_group_count(); i++)
		offer3(c, "", bloc_group_name(i), tail);
}

/* A comma-separated list of party items: the items before the last comma stay as typed, the
 * last is a code followed by `tail` ("LAB=" for shares), or with `pair_sep` ("LAB:REF=" for a
 * swing) a code, the separator, another code and `tail`. `head` is what precedes the list in the
 * word ("muslim:" for a group's changes). */
static void offer_party_list(const struct completer *c, size_t head_len, const char *tail,
                             char pair_sep)
{
	char done[256];
	const char *comma = strrchr(c->cur + head_len, ','), *item;
	size_t n = comma ? (size_t)(comma + 1 - c->cur) : head_len;
	const char *sep;

	if (n >= sizeof(done))
		return;
	memcpy(done, c->cur, n);
	done[n] = '\0';
	item = c->cur + n;
	if (pair_sep && (sep = strchr(item, pair_sep)) &&
	    (size_t)(sep + 1 - c->cur) < sizeof(done)) {
		n = (size_t)(sep + 1 - c->cur);
		memcpy(done, c->cur, n);
		done[n] = '\0';
		offer_parties(c, done, tail);
	} else if (pair_sep) {
		char t[2] = {pair_sep, '\0'};
		offer_parties(c, done, t);
	} else {
		offer_parties(c, done, tail);
	}
}

/* The values option o of cmd may take. */
static void offer_value(const struct completer *c, const struct cli_command *cmd,
                        const struct cli_option *o)
{
	const char *meta = o->metavar ? o->metavar : "";
	bloc_request *rq = NULL;
	size_t i;

	if (is_global(o)) {
		if (strcmp(o->name, "data") == 0)
			fputs("@dirs\n", c->fp);
		else if (strcmp(o->name, "output") == 0)
			fputs("@files\n", c->fp);
		else if (strcmp(o->name, "format") == 0)
			for (i = 0; *bloc_format_name((bloc_format)i); i++)
				offer(c, bloc_format_name((bloc_format)i));
		return;
	}
	if (strcmp(o->name, "group") == 0) {
		const char *colon = strchr(c->cur, ':');
		if (!strchr(meta, ':'))
			offer_groups(c, "");
		else if (!colon)
			offer_groups(c, ":");
		else
			offer_party_list(c, (size_t)(colon + 1 - c->cur), "=", 0);
	} else if (strcmp(o->name, "pair") == 0) {
		offer_party_list(c, 0, "", 0);
	} else if (strcmp(o->name, "shares") == 0 || strcmp(o->name, "support") == 0) {
		offer_party_list(c, 0, "=", 0);
	} else if (strcmp(o->name, "swing") == 0) {
		offer_party_list(c, 0, "=", ':');
	} else if (strcmp(meta, "PARTY") == 0) {
		offer_parties(c, "", "");
	} else if (strcmp(o->name, "model") == 0) {
		for (i = 0; strcmp(bloc_model_name((int)i), "?") != 0; i++)
			offer(c, bloc_model_name((int)i));
	} else if (strcmp(o->name, "census") == 0) {
		offer_catalog(c, "census");
		fputs("@files\n", c->fp);
	} else if (strstr(meta, "FILE")) {
		fputs("@files\n", c->fp);
	} else if (strstr(meta, "DIR")) {
		fputs("@dirs\n", c->fp);
	} else if (cmd->query && bloc_request_new(&rq, cmd->query) == BLOC_OK) {
		const char *const *ch = bloc_request_choices(rq, o->name);
		for (i = 0; ch && ch[i]; i++)
			offer(c, ch[i]);
	}
	bloc_request_free(rq);
}

/* Positional argument `k` of cmd, named by the usage line ("CONTEST [SCENARIO]"). */
static void offer_positional(const struct completer *c, const struct cli_command *cmd, size_t k)
{
	const char *p = cmd->args ? cmd->args : "";
	char name[32];
	size_t n = 0, i;

	for (i = 0; i <= k; i++) {
		p += strspn(p, " [");
		n = strcspn(p, " []");
		if (!n)
			return;
		if (i < k)
			p += n;
	}
	snprintf(name, sizeof(name), "%.*s", (int)n, p);
	if (strcmp(name, "COMMAND") == 0) {
		offer_commands(c);
	} else if (strcmp(name, "CONTEST") == 0 || strcmp(name, "BASE") == 0 ||
	           strcmp(name, "FROM") == 0 || strcmp(name, "TO") == 0) {
		offer_catalog(c, NULL);
		fputs("@files\n", c->fp);
	} else if (strcmp(name, "PARTY") == 0) {
		offer_parties(c, "", "");
	} else if (strcmp(name, "SCENARIO") == 0) {
		fputs("@files\n", c->fp);
	}
}

int cli_complete(FILE *fp, int argc, char **argv)
{
	struct completer c = {fp, "", "", NULL};
	const struct cli_command *cmd = NULL;
	const struct cli_option *pending = NULL, *o;
	int i, only_positional = 0;
	size_t npos = 0;

	if (argc > 0 && strcmp(argv[0], "--") == 0) {
		argc--;
		argv++;
	}
	/* what the words before the current one say: the command, --data, a value still owed */
	for (i = 0; i + 1 < argc; i++) {
		const char *w = argv[i];
		if (pending) {
			if (strcmp(pending->name, "data") == 0)
				c.data = w;
			pending = NULL;
		} else if (!only_positional && strcmp(w, "--") == 0) {
			only_positional = 1;
		} else if (!only_positional && w[0] == '-' && w[1]) {
			if ((o = option_of(cmd, w)) && o->metavar) {
				const char *eq = w[1] == '-' ? strchr(w, '=') : NULL;
				if (!eq && (w[1] == '-' || !w[2]))
					pending = o;
				else if (strcmp(o->name, "data") == 0)
					c.data = eq ? eq + 1 : w + 2;
			}
		} else if (!cmd) {
			if (!(cmd = cli_find_command(w)))
				return BLOC_EXIT_OK;
		} else {
			npos++;
		}
	}
	c.cur = argc > 0 ? argv[argc - 1] : ""; /* no word at all: the first, empty */
	if (pending) {
		offer_value(&c, cmd, pending);
	} else if (!only_positional && strncmp(c.cur, "--", 2) == 0 && strchr(c.cur, '=')) {
		/* --name=VALUE: the value, each offered with its "--name=" */
		static char prefix[64];
		size_t n = (size_t)(strchr(c.cur, '=') + 1 - c.cur);
		if ((o = option_of(cmd, c.cur)) && o->metavar && n < sizeof(prefix)) {
			memcpy(prefix, c.cur, n);
			prefix[n] = '\0';
			c.prefix = prefix;
			c.cur += n;
			offer_value(&c, cmd, o);
		}
	} else if (!only_positional && c.cur[0] == '-') {
		offer_options(&c, cmd);
	} else if (!cmd) {
		offer_commands(&c);
	} else {
		offer_positional(&c, cmd, npos);
	}
	return BLOC_EXIT_OK;
}
