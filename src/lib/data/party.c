/* The party registry. Aliases are kept sorted (case-insensitively) for binary search; a unit test
 * checks the order, so adding an alias in the wrong place fails loudly rather than silently. */
#include "bloc/party.h"

#include "bloc/error.h"

#include <string.h>
#include <strings.h>

#include "party_table.h"

size_t bloc_party_count(void)
{
	return sizeof(parties) / sizeof(parties[0]);
}

static int cmp_trimmed(const char *label, size_t n, const char *alias)
{
	int d = strncasecmp(label, alias, n);

	if (d)
		return d;
	return alias[n] ? -1 : 0;
}

int bloc_party_lookup(const char *label, bloc_party *out)
{
	size_t lo = 0, hi = sizeof(aliases) / sizeof(aliases[0]), n;

	while (*label == ' ' || *label == '\t')
		label++;
	n = strlen(label);
	while (n && (label[n - 1] == ' ' || label[n - 1] == '\t'))
		n--;
	if (n == 0)
		return BLOC_ENOTFOUND;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int d = cmp_trimmed(label, n, aliases[mid].alias);

		if (d == 0) {
			*out = aliases[mid].party;
			return BLOC_OK;
		}
		if (d < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return BLOC_ENOTFOUND;
}

bloc_party bloc_party_resolve(const char *label)
{
	bloc_party p;

	return bloc_party_lookup(label, &p) == BLOC_OK ? p : P_OTH;
}

const char *bloc_party_code(bloc_party p)
{
	return p < bloc_party_count() ? parties[p].code : "?";
}

const char *bloc_party_name(bloc_party p)
{
	return p < bloc_party_count() ? parties[p].name : "?";
}

const char *bloc_party_colour(bloc_party p)
{
	return p < bloc_party_count() ? parties[p].colour : "#999999";
}

bloc_party bloc_party_successor(bloc_party p)
{
	size_t guard = 0;

	while (p < bloc_party_count() && parties[p].successor != BLOC_PARTY_NONE &&
	       guard++ < bloc_party_count())
		p = parties[p].successor;
	return p;
}

bloc_party bloc_party_ind(void)
{
	return P_IND;
}

bloc_party bloc_party_oth(void)
{
	return P_OTH;
}

/* For the unit test of the table's order. */
size_t bloc__party_alias_count(void);
const char *bloc__party_alias(size_t i);

size_t bloc__party_alias_count(void)
{
	return sizeof(aliases) / sizeof(aliases[0]);
}

const char *bloc__party_alias(size_t i)
{
	return aliases[i].alias;
}
