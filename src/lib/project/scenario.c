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
}
