/* Census groups: their names and the group shares struct. Reading census tables is io/'s
 * (load_census.c, shares.c); choosing the tables that cover a contest is the store's
 * (store/census.c). */
#include "bloc/groups.h"

#include "bloc/error.h"
#include "../core/alloc.h"
#include "groups_int.h"

#include <stdio.h>
#include <string.h>

/* ---- names -------------------------------------------------------------------------------- */

static const struct {
	const char *name, *label;
} groups[BLOC__NGROUPS] = {
    [BLOC__G_CHRISTIAN] = {"christian", "Christian (census religion)"},
    [BLOC__G_BUDDHIST] = {"buddhist", "Buddhist (census religion)"},
    [BLOC__G_HINDU] = {"hindu", "Hindu (census religion)"},
    [BLOC__G_JEWISH] = {"jewish", "Jewish (census religion)"},
    [BLOC__G_MUSLIM] = {"muslim", "Muslim (census religion)"},
    [BLOC__G_SIKH] = {"sikh", "Sikh (census religion)"},
    [BLOC__G_OTHER_RELIGION] = {"other-religion", "Other religion (census religion)"},
    [BLOC__G_NO_RELIGION] = {"no-religion", "No religion (census religion)"},
    [BLOC__G_RELIGION_NOT_STATED] = {"religion-not-stated",
                                     "Religion not stated (census religion)"},
    [BLOC__G_WHITE] = {"white", "White (census ethnic group)"},
    [BLOC__G_MIXED] = {"mixed", "Mixed or multiple ethnic groups (census ethnic group)"},
    [BLOC__G_ASIAN] = {"asian", "Asian (census ethnic group)"},
    [BLOC__G_BLACK] = {"black", "Black, African or Caribbean (census ethnic group)"},
    [BLOC__G_OTHER_ETHNIC] = {"other-ethnic", "Other ethnic group (census ethnic group)"},
};

/* Other spellings, after normalisation (lower case, '-' for spaces and underscores). */
static const struct {
	const char *alias;
	int group;
} aliases[] = {
    {"not-stated", BLOC__G_RELIGION_NOT_STATED},
    {"not-answered", BLOC__G_RELIGION_NOT_STATED},
    {"religion-not-answered", BLOC__G_RELIGION_NOT_STATED},
    {"religion-other", BLOC__G_OTHER_RELIGION},
    {"other-ethnic-group", BLOC__G_OTHER_ETHNIC},
    {"other-ethnicity", BLOC__G_OTHER_ETHNIC},
    {"ethnicity-other", BLOC__G_OTHER_ETHNIC},
};

size_t bloc_group_count(void)
{
	return BLOC__NGROUPS;
}

const char *bloc_group_name(size_t i)
{
	return i < BLOC__NGROUPS ? groups[i].name : NULL;
}

const char *bloc_group_label(size_t i)
{
	return i < BLOC__NGROUPS ? groups[i].label : NULL;
}

/* See groups_int.h. */
int bloc__group_key(char *key, size_t cap, const char *name)
{
	size_t n = 0;
	int sep = 0;

	for (; *name; name++) {
		char ch = *name;
		if (ch == ' ' || ch == '\t' || ch == '_' || ch == '-') {
			sep = n > 0;
			continue;
		}
		if (n + 2 >= cap)
			return -1;
		if (sep)
			key[n++] = '-';
		sep = 0;
		key[n++] = (ch >= 'A' && ch <= 'Z') ? (char)(ch - 'A' + 'a') : ch;
	}
	key[n] = '\0';
	return 0;
}

long bloc_group_find(const char *name)
{
	char key[48];
	size_t i;

	if (!name || bloc__group_key(key, sizeof(key), name) < 0)
		return -1;
	for (i = 0; i < BLOC__NGROUPS; i++)
		if (strcmp(groups[i].name, key) == 0)
			return (long)i;
	for (i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (strcmp(aliases[i].alias, key) == 0)
			return aliases[i].group;
	return -1;
}

int bloc__group_unknown(const char *name)
{
	char list[256];
	size_t i, used = 0;

	list[0] = '\0';
	for (i = 0; i < BLOC__NGROUPS; i++) {
		int w = snprintf(list + used, sizeof(list) - used, "%s%s", i ? ", " : "",
		                 groups[i].name);
		if (w < 0 || (size_t)w >= sizeof(list) - used)
			break; /* BLOC_NEVER: the list fits */
		used += (size_t)w;
	}
	return bloc_error_set(BLOC_ENOTFOUND,
	                      "unknown census group '%.60s': expected one of the religions and "
	                      "ethnic groups %s",
	                      name, list);
}

void bloc_group_shares_dispose(bloc_group_shares *g)
{
	if (!g)
		return;
	bloc_free(g->share);
	bloc_free(g->population);
	bloc_free(g->owned_);
	bloc_free(g->source);
	bloc_free(g->census);
	bloc_free(g->unmatched);
	memset(g, 0, sizeof(*g));
}
