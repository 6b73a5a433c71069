/* A JSON object's members as text (see jsonobj.h). */
#include "jsonobj.h"

#include "bloc/error.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

/* One member's value as text into buf, or a malloc'd JSON text into *dumped; NULL: skip it. */
static const char *member_text(json_t *v, char *buf, size_t n, char **dumped, int *flag)
{
	*dumped = NULL;
	*flag = 0;
	switch (json_typeof(v)) {
	case JSON_STRING:
		return json_string_value(v);
	case JSON_INTEGER:
		snprintf(buf, n, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		return buf;
	case JSON_REAL:
		snprintf(buf, n, "%.17g", json_real_value(v));
		return buf;
	case JSON_TRUE:
		*flag = 1;
		return NULL;
	case JSON_OBJECT:
	case JSON_ARRAY:
		*dumped = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER);
		return *dumped;
	default:
		return NULL;
	}
}

int bloc__json_object_each(const char *text, size_t len, const char *name,
                           int (*fn)(const char *key, const char *value, void *payload),
                           void *payload)
{
	json_error_t jerr;
	json_t *root, *v;
	const char *key;
	int err = BLOC_OK;

	if (!(root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr)))
		return bloc_error_set(BLOC_EPARSE, "%s:%d:%d: %s", name, jerr.line, jerr.column,
		                      jerr.text);
	if (!json_is_object(root)) {
		json_decref(root);
		return bloc_error_set(BLOC_EPARSE, "%s: expected a JSON object {...}", name);
	}
	json_object_foreach(root, key, v)
	{
		char buf[64], *dumped;
		int flag;
		const char *value = member_text(v, buf, sizeof(buf), &dumped, &flag);

		if ((json_is_object(v) || json_is_array(v)) && !dumped) {
			err = bloc_error_oom("writing %s member '%s' as text", name, key);
			break;
		}
		if (value || flag)
			err = fn(key, value, payload);
		free(dumped);
		if (err < 0)
			break;
	}
	json_decref(root);
	return err;
}
