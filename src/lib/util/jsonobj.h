/* A JSON object's members as text, for settings given as JSON (a request body). */
#ifndef BLOC_UTIL_JSONOBJ_H
#define BLOC_UTIL_JSONOBJ_H

#include <stddef.h>

/**
 * Call fn(key, value, payload) for each member of the JSON object in text[0..len), in order: a
 * string as itself, a number as its decimal text, true as NULL (a flag), an object or array as
 * its compact JSON text; false and null are skipped. `name` is used in messages.
 * @return BLOC_OK, BLOC_EPARSE ("name:line:column: ..." or not an object), fn's error, ENOMEM.
 */
int bloc__json_object_each(const char *text, size_t len, const char *name,
                           int (*fn)(const char *key, const char *value, void *payload),
                           void *payload);

#endif
