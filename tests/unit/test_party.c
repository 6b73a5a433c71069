#include "harness.h"

#include "bloc/error.h"
#include "bloc/party.h"

#include <strings.h>

size_t bloc__party_alias_count(void);
const char *bloc__party_alias(size_t i);

BLOC_TEST(party_alias_table_is_sorted)
{
	size_t i;

	for (i = 1; i < bloc__party_alias_count(); i++)
		if (strcasecmp(bloc__party_alias(i - 1), bloc__party_alias(i)) >= 0)
			BLOC_FAIL_("alias '%s' is not before '%s'", bloc__party_alias(i - 1),
			           bloc__party_alias(i));
}

static void expect(const char *label, const char *code)
{
	bloc_party p = BLOC_PARTY_NONE;

	BLOC_CHECK_INT_EQ(bloc_party_lookup(label, &p), BLOC_OK);
	BLOC_CHECK_STR_EQ(bloc_party_code(p), code);
}

BLOC_TEST(party_aliases_as_in_the_files)
{
	expect("Lab", "LAB");
	expect("Labour and Co-operative", "LAB");
	expect(" lab co-op ", "LAB");
	expect("Green", "GRN");
	expect("APNI", "ALL");
	expect("Alliance", "ALL");
	expect("Spk", "SPK");
	expect("Spkr", "SPK");
	expect("BRX", "BRX");
	expect("Brexit", "BRX");
	expect("RUK", "REF");
	expect("Respect", "RES");
	expect("Ind", "IND");
	expect("Sinn Féin", "SF");
	expect("CON", "CON");
}

BLOC_TEST(party_unknown_and_successor)
{
	bloc_party p, brx;

	BLOC_CHECK_INT_EQ(bloc_party_lookup("The Yorkshire Party", &p), BLOC_ENOTFOUND);
	BLOC_CHECK_INT_EQ(bloc_party_lookup("", &p), BLOC_ENOTFOUND);
	BLOC_CHECK_STR_EQ(bloc_party_code(bloc_party_resolve("The Yorkshire Party")), "OTH");
	BLOC_CHECK_OK(bloc_party_lookup("Brexit Party", &brx));
	BLOC_CHECK_STR_EQ(bloc_party_code(bloc_party_successor(brx)), "REF");
	BLOC_CHECK_STR_EQ(bloc_party_code(bloc_party_successor(bloc_party_resolve("Lab"))), "LAB");
	BLOC_CHECK_STR_EQ(bloc_party_colour(bloc_party_resolve("Con")), "#0087DC");
}
