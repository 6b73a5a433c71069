/* What bloc map, bloc chart and bloc report share (see viz.h). */
#include "viz.h"

#include "bloc/hexmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The scenario settings bloc project reads, by option name = bloc_scenario_set key. */
static const char *const scenario_keys[] = {"shares", "swing",     "region",      "group",
                                            "model",  "threshold", "adult-ratio", "turnout-ratio"};

#define STDIN_MAX (1u << 20)

static int load_file(bloc_scenario *sc, const char *path)
{
	size_t len = 0, n;
	char *buf;
	int err;

	if (strcmp(path, "-") != 0)
		return bloc_scenario_load(sc, path);
	if (!(buf = malloc(STDIN_MAX + 1)))
		return bloc_error_set(BLOC_ENOMEM, "out of memory");
	while (len <= STDIN_MAX && (n = fread(buf + len, 1, STDIN_MAX + 1 - len, stdin)) > 0)
		len += n;
	if (ferror(stdin))
		err = bloc_error_set(BLOC_EIO, "<stdin>: read error");
	else if (len > STDIN_MAX)
		err = bloc_error_set(
		    BLOC_EINVAL, "<stdin>: too large for a scenario (at most %u bytes)", STDIN_MAX);
	else
		err = bloc_scenario_parse_json(sc, buf, len, "<stdin>");
	free(buf);
	return err;
}

int viz_scenario(struct cli_ctx *ctx, bloc_scenario *sc, const char *file, int plain_group_is_power,
                 int *given)
{
	const struct cli_args *a = &ctx->args;
	size_t i, k;

	*given = 0;
	bloc_scenario_init(sc);
	if (file) {
		if (load_file(sc, file) < 0)
			return cli_fail(ctx);
		*given = 1;
	}
	for (i = 0; i < a->nseq; i++) {
		for (k = 0; k < sizeof(scenario_keys) / sizeof(scenario_keys[0]); k++) {
			if (strcmp(a->seq[i].name, scenario_keys[k]) != 0)
				continue;
			if (plain_group_is_power && strcmp(scenario_keys[k], "group") == 0 &&
			    !strchr(a->seq[i].value, ':'))
				continue;
			if (bloc_scenario_set(sc, scenario_keys[k], a->seq[i].value) < 0)
				return cli_fail(ctx);
			*given = 1;
		}
	}
	return BLOC_EXIT_OK;
}

int viz_no_format(struct cli_ctx *ctx)
{
	if (ctx->format_given)
		return cli_usage_error(ctx, "--format: %s writes %s; there is no other format",
		                       ctx->cmd->name,
		                       strcmp(ctx->cmd->name, "report") == 0 ? "HTML" : "SVG");
	return BLOC_EXIT_OK;
}

int viz_pair(struct cli_ctx *ctx, const bloc_contest *c, bloc_party *a, bloc_party *b)
{
	const char *pair = ctx->args.pair, *comma;
	int64_t *votes;
	size_t s, k, first = SIZE_MAX, second = SIZE_MAX;
	int rc;

	if (pair) {
		char left[64];
		if (!(comma = strchr(pair, ',')) || (size_t)(comma - pair) >= sizeof(left))
			return cli_usage_error(ctx, "--pair: expected two parties A,B, got '%s'",
			                       pair);
		memcpy(left, pair, (size_t)(comma - pair));
		left[comma - pair] = '\0';
		if ((rc = cli_party(ctx, "--pair", left, a)) != BLOC_OK ||
		    (rc = cli_party(ctx, "--pair", comma + 1, b)) != BLOC_OK)
			return rc;
		if (bloc_party_successor(*a) == bloc_party_successor(*b))
			return cli_usage_error(ctx, "--pair: the two parties are the same ('%s')",
			                       pair);
		return BLOC_EXIT_OK;
	}
	if (!(votes = calloc(c->nparties ? c->nparties : 1, sizeof(int64_t)))) {
		bloc_error_set(BLOC_ENOMEM, "out of memory");
		return cli_fail(ctx);
	}
	for (s = 0; s < c->nseats; s++)
		for (k = 0; k < c->nparties; k++)
			votes[k] += c->votes[s * c->nparties + k];
	for (k = 0; k < c->nparties; k++) {
		if (c->parties[k] == bloc_party_oth() || c->parties[k] == bloc_party_ind())
			continue;
		if (first == SIZE_MAX || votes[k] > votes[first]) {
			second = first;
			first = k;
		} else if (second == SIZE_MAX || votes[k] > votes[second]) {
			second = k;
		}
	}
	free(votes);
	if (second == SIZE_MAX) {
		bloc_error_set(BLOC_EINVAL, "%s: fewer than two parties stood; give --pair A,B",
		               c->id);
		return cli_fail(ctx);
	}
	*a = c->parties[second];
	*b = c->parties[first];
	return BLOC_EXIT_OK;
}

int viz_write(struct cli_ctx *ctx, bloc_buf *doc)
{
	FILE *fp;

	if (bloc_buf_check(doc) < 0 || cli_output_open(ctx, &fp) < 0)
		return cli_fail(ctx);
	if (doc->len && fwrite(doc->ptr, 1, doc->len, fp) != doc->len) {
		bloc_error_set(BLOC_EIO, "%s: write error",
		               ctx->args.output ? ctx->args.output : "standard output");
		return cli_fail(ctx);
	}
	return BLOC_EXIT_OK;
}

const char *viz_source(struct cli_ctx *ctx, const bloc_contest *c, char *buf, size_t n)
{
	size_t dl = strlen(ctx->data_dir), used = 0;
	const char *src = c->source, *sep;

	while (dl > 1 && ctx->data_dir[dl - 1] == '/')
		dl--;
	buf[0] = '\0';
	/* a contest read from two files names both, joined by " + " */
	for (;;) {
		size_t len, skip = 0;
		int w;
		sep = strstr(src, " + ");
		len = sep ? (size_t)(sep - src) : strlen(src);
		if (len > dl && strncmp(src, ctx->data_dir, dl) == 0 && src[dl] == '/')
			for (skip = dl; skip < len && src[skip] == '/'; skip++)
				;
		w = snprintf(buf + used, n - used, "%s%.*s", used ? " + " : "", (int)(len - skip),
		             src + skip);
		if (w < 0 || (size_t)w >= n - used)
			break;
		used += (size_t)w;
		if (!sep)
			break;
		src = sep + 3;
	}
	return buf;
}

void viz_warn_missing(struct cli_ctx *ctx, const bloc_hexmap *m, const bloc_contest *c)
{
	size_t i;

	if (!m->nmissing)
		return;
	fprintf(stderr, "bloc: %s: warning: %zu seat%s of %s %s no hex in %s:", ctx->cmd->name,
	        m->nmissing, m->nmissing == 1 ? "" : "s", c->id, m->nmissing == 1 ? "has" : "have",
	        m->id);
	for (i = 0; i < m->nmissing && i < 20; i++)
		fprintf(stderr, " %s", c->code[m->missing[i]]);
	if (m->nmissing > 20)
		fprintf(stderr, " and %zu more", m->nmissing - 20);
	fputc('\n', stderr);
}
