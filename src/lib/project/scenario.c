/* Scenarios: a fresh one. Reading and writing their text forms (flags, JSON) is io/'s
 * (io/scenario.c, declared in io.h). */
#include "bloc/project.h"

#include <string.h>

void bloc_scenario_init(bloc_scenario *s)
{
	memset(s, 0, sizeof(*s));
	s->version = BLOC_SCENARIO_VERSION;
	s->model = BLOC_MODEL_UNIFORM;
	s->threshold = 0.20;
	s->adult_ratio = 1;
	s->turnout_ratio = 1;
	s->baseline = BLOC_BASELINE_CENSUS;
	s->hold_shares = 1;
	s->hold_tolerance = 0.05;
}
