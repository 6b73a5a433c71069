/* bloc — the party registry: canonical codes, aliases as they appear in files, colours, successors.
 */
#ifndef BLOC_PARTY_H
#define BLOC_PARTY_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** A party: an index into the built-in registry (stable within one build). */
typedef uint16_t bloc_party;

#define BLOC_PARTY_NONE ((bloc_party)0xFFFF)

/** Registered parties, in display order (major GB parties first, OTH last). */
size_t bloc_party_count(void);

/**
 * Find a party by canonical code or by any alias as it appears in results files ("Lab Co-op",
 * "Labour and Co-operative", "APNI", "BRX", "RUK" ...). ASCII case-insensitive, surrounding
 * spaces ignored. Cost: O(log aliases).
 * @return BLOC_OK and *out, or BLOC_ENOTFOUND (no message set: callers decide whether an
 *         unknown label is an error or an "other" party).
 */
int bloc_party_lookup(const char *label, bloc_party *out);

/** As bloc_party_lookup, but an unknown label maps to OTH. */
bloc_party bloc_party_resolve(const char *label);

/** Canonical code ("LAB"). */
const char *bloc_party_code(bloc_party p);
/** Full name ("Labour"). */
const char *bloc_party_name(bloc_party p);
/** Display colour as "#rrggbb". */
const char *bloc_party_colour(bloc_party p);
/** The party that succeeded p (BRX -> REF), or p itself. Follows the whole chain. */
bloc_party bloc_party_successor(bloc_party p);

/** The IND and OTH pseudo-parties, used for independents and residual "other" votes. */
bloc_party bloc_party_ind(void);
bloc_party bloc_party_oth(void);

#ifdef __cplusplus
}
#endif
#endif
