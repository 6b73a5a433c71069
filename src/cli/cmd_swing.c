/* bloc swing: Butler and Steed swing between two contests, or a by-election and the general
 * election before it. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* A comma-separated list split into a NULL-terminated array of names without surrounding
 * spaces (both malloc'd). */
struct name_list {
	char *buf;
	const char **items;
};

static int split_list(const char *s, struct name_list *l)
{
	size_t n = 1, i = 0;
	const char *p;
	char *tok;

	for (p = s; *p; p++)
		n += *p == ',';
	l->buf = malloc(strlen(s) + 1);
	l->items = calloc(n + 1, sizeof(*l->items));
	if (!l->buf || !l->items)
		return -1;
	strcpy(l->buf, s);
	for (tok = l->buf;; tok++) {
		char *end = strchr(tok, ','), *last;
		if (end)
			*end = '\0';
		while (*tok == ' ')
			tok++;
		for (last = tok + strlen(tok); last > tok && last[-1] == ' ';)
			*--last = '\0';
		if (*tok)
			l->items[i++] = tok;
		if (!end)
			break;
		tok = end;
	}
	return 0;
}

static void free_list(struct name_list *l)
{
	free(l->buf);
	free(l->items);
}

static char **names_of(const bloc_contest *c, int regions)
{
	return regions ? c->region : c->nation;
}

/* The --nation or --region list `value` (NULL: no restriction) as names spelt as in the contests
 * (case aside; `to` first, as the swing filter looks there first); a name no seat has is a usage
 * error that lists the names there are. Returns a BLOC_EXIT_ code. */
static int filter_names(struct cli_ctx *ctx, int regions, const char *value, struct name_list *l,
                        const bloc_contest *from, const bloc_contest *to)
{
	const char *opt = regions ? "region" : "nation";
	const bloc_contest *const cs[2] = {to, from};
	size_t i, s, k;

	if (!value)
		return BLOC_EXIT_OK;
	if (split_list(value, l) < 0) {
		bloc_error_set(BLOC_ENOMEM, "out of memory");
		return cli_fail(ctx);
	}
	if (!l->items[0])
		return cli_usage_error(ctx, "--%s: expected one or more names, got '%s'", opt,
		                       value);
	for (i = 0; l->items[i]; i++) {
		const char *found = NULL;
		for (k = 0; k < 2 && !found; k++) {
			char **names = names_of(cs[k], regions);
			for (s = 0; s < cs[k]->nseats && !found; s++)
				if (strcasecmp(names[s], l->items[i]) == 0)
					found = names[s];
		}
		if (!found) {
			char known[1024];
			size_t len = 0;
			char **names = names_of(to, regions);
			known[0] = '\0';
			for (s = 0; s < to->nseats && len < sizeof(known); s++) {
				size_t j;
				for (j = 0; j < s && strcmp(names[j], names[s]) != 0; j++)
					;
				if (j == s && *names[s])
					len += (size_t)snprintf(known + len, sizeof(known) - len,
					                        "%s%s", len ? ", " : "", names[s]);
			}
			return cli_usage_error(ctx, "--%s: no seat of %s is in '%s' (%ss: %s)", opt,
			                       to->id, l->items[i], opt,
			                       *known ? known : "none recorded");
		}
		l->items[i] = found;
	}
	return BLOC_EXIT_OK;
}

/* Echo a --nation or --region restriction, one metadata entry per name. */
static int meta_names(bloc_table *t, const char *key, const struct name_list *l)
{
	size_t i;
	int err;

	for (i = 0; l->items && l->items[i]; i++)
		if ((err = bloc_table_meta(t, key, "%s", l->items[i])) < 0)
			return err;
	return BLOC_OK;
}

int cmd_swing(struct cli_ctx *ctx)
{
	const struct cli_args *a = &ctx->args;
	struct name_list nations = {NULL, NULL}, regions = {NULL, NULL};
	bloc_seat_filter filter = {NULL, NULL};
	bloc_contest *from = NULL, *to = NULL;
	bloc_seat_results rfrom = {0}, rto = {0};
	bloc_swing s = {0};
	bloc_party pa, pb;
	bloc_dataset *ds;
	bloc_table *t = NULL;
	const char *note = NULL, *comma;
	char pair[2][128];
	int rc;

	if (!a->pair)
		return cli_usage_error(ctx, "--pair A,B is required (for example --pair CON,LAB)");
	comma = strchr(a->pair, ',');
	if (!comma || strchr(comma + 1, ',') || comma == a->pair || !comma[1] ||
	    (size_t)(comma - a->pair) >= sizeof(pair[0]) || strlen(comma + 1) >= sizeof(pair[1]))
		return cli_usage_error(ctx, "--pair: expected two parties A,B, got '%s'", a->pair);
	snprintf(pair[0], sizeof(pair[0]), "%.*s", (int)(comma - a->pair), a->pair);
	snprintf(pair[1], sizeof(pair[1]), "%s", comma + 1);
	if ((rc = cli_party(ctx, "--pair", pair[0], &pa)) != BLOC_OK ||
	    (rc = cli_party(ctx, "--pair", pair[1], &pb)) != BLOC_OK)
		return rc;
	if (bloc_party_successor(pa) == bloc_party_successor(pb))
		return cli_usage_error(ctx, "--pair: %s and %s are the same party", pair[0],
		                       pair[1]);

	if (cli_dataset(ctx, &ds) < 0)
		return cli_fail(ctx);
	if (a->npos == 2) {
		if (bloc_contest_open_pair(&from, &to, ds, a->pos[0], a->pos[1], &note) < 0)
			goto fail;
	} else if (bloc_contest_open_previous(&from, ds, a->pos[0]) < 0 ||
	           bloc_contest_open(&to, ds, a->pos[0]) < 0) {
		goto fail;
	}
	if ((rc = filter_names(ctx, 0, a->nation, &nations, from, to)) != BLOC_EXIT_OK ||
	    (rc = filter_names(ctx, 1, a->region, &regions, from, to)) != BLOC_EXIT_OK)
		goto done;
	filter.nations = nations.items;
	filter.regions = regions.items;

	if (bloc_seat_results_compute(&rfrom, from) < 0)
		goto fail;
	if (bloc_seat_results_compute(&rto, to) < 0)
		goto fail;
	if (bloc_swing_compute(&s, from, to, pa, pb, &filter) < 0)
		goto fail;
	if (bloc_render_swing(&t, from, to, &rfrom, &rto, &s) < 0 ||
	    meta_names(t, "nation", &nations) < 0 || meta_names(t, "region", &regions) < 0 ||
	    (note && bloc_table_meta(t, "note", "%s", note) < 0) ||
	    (a->npos == 1 &&
	     bloc_table_meta(t, "note", "%s is compared with the general election before it (%s)",
	                     to->id, from->id) < 0) ||
	    cli_meta_source(ctx, t, "from_source", from) < 0 ||
	    cli_meta_source(ctx, t, "to_source", to) < 0)
		goto fail;
	rc = cli_emit(ctx, t);
	goto done;
fail:
	rc = cli_fail(ctx);
done:
	bloc_table_free(t);
	bloc_swing_dispose(&s);
	bloc_seat_results_dispose(&rto);
	bloc_seat_results_dispose(&rfrom);
	bloc_contest_free(from);
	bloc_contest_free(to);
	free_list(&nations);
	free_list(&regions);
	return rc;
}
