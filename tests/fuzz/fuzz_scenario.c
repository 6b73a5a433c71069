/* libFuzzer target for scenarios (src/lib/project/scenario.c): JSON documents and CLI-style flags.
 *
 * An input whose first byte is '{', '[' or white space is a JSON document; any other input is a
 * flag: the first byte picks the key, the rest (up to a NUL) is the value. Contracts: a failure
 * leaves the scenario as it was and sets a message; a success stays within the limits, and its
 * to_json reads back to the same to_json (the round trip); with allocations failing, every call
 * fails cleanly or succeeds. A broken contract aborts. */
#include "bloc/error.h"
#include "bloc/io.h"
#include "bloc/project.h"
#include "core/alloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define EXPECT(cond)                                                                               \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "fuzz_scenario: contract broken: %s (line %d)\n", #cond,   \
			        __LINE__);                                                         \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

static const char *const keys[] = {"shares", "swing",     "region",      "group",
                                   "model",  "threshold", "adult-ratio", "turnout-ratio",
                                   "base",   "nosuchkey"};

static void check_limits(const bloc_scenario *s)
{
	size_t i;

	EXPECT(s->nareas <= BLOC_SCENARIO_MAX_AREAS);
	EXPECT(s->nswings <= BLOC_SCENARIO_MAX_SWINGS);
	EXPECT(s->ngroups <= BLOC_SCENARIO_MAX_GROUPS);
	for (i = 0; i < s->nareas; i++)
		EXPECT(s->areas[i].n <= BLOC_SCENARIO_MAX_LIST);
	for (i = 0; i < s->ngroups; i++)
		EXPECT(s->groups[i].n <= BLOC_SCENARIO_MAX_LIST);
	EXPECT(s->threshold > 0 && s->threshold < 1);
}

/* to_json of `s` reads back into a scenario whose to_json is the same text. */
static void round_trip(const bloc_scenario *s)
{
	bloc_scenario back;
	char *j1 = bloc_scenario_to_json(s), *j2;

	EXPECT(j1 != NULL);
	bloc_scenario_init(&back);
	if (bloc_scenario_parse_json(&back, j1, strlen(j1), "round-trip") < 0) {
		fprintf(stderr, "fuzz_scenario: %s does not read back: %s\n", j1,
		        bloc_error_last());
		abort();
	}
	j2 = bloc_scenario_to_json(&back);
	EXPECT(j2 != NULL);
	EXPECT(strcmp(j1, j2) == 0);
	free(j1);
	free(j2);
}

static int apply(bloc_scenario *s, const uint8_t *data, size_t size)
{
	char value[1024];
	size_t n;

	if (data[0] == '{' || data[0] == '[' || data[0] == ' ' || data[0] == '\n')
		return bloc_scenario_parse_json(s, (const char *)data, size, "fuzz");
	n = size - 1 < sizeof(value) - 1 ? size - 1 : sizeof(value) - 1;
	memcpy(value, data + 1, n);
	value[n] = '\0';
	return bloc_scenario_set(s, keys[data[0] % (sizeof(keys) / sizeof(keys[0]))], value);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	bloc_scenario s, before;
	unsigned long k;
	int rc;

	if (size == 0)
		return 0;
	bloc_scenario_init(&s);
	/* start from a scenario with something in it, so that merging is exercised */
	EXPECT(bloc_scenario_set(&s, "shares", "LAB=30,CON=20") == BLOC_OK);
	EXPECT(bloc_scenario_set(&s, "group", "muslim:LAB=-5") == BLOC_OK);
	before = s;
	bloc_error_clear();
	rc = apply(&s, data, size);
	if (rc < 0) {
		EXPECT(memcmp(&before, &s, sizeof(s)) == 0);
		EXPECT(*bloc_error_last() != '\0');
	}
	check_limits(&s);
	round_trip(&s);

	/* out of memory: the first few allocations fail in turn */
	for (k = 1; k <= 3; k++) {
		s = before;
		bloc__alloc_fail_after(k);
		rc = apply(&s, data, size);
		bloc__alloc_fail_after(0);
		EXPECT(rc == BLOC_OK || rc < 0);
		if (rc < 0)
			EXPECT(memcmp(&before, &s, sizeof(s)) == 0);
	}
	return 0;
}
