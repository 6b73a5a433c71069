/* bloc — umbrella header. */
#ifndef BLOC_H
#define BLOC_H

#include "analysis.h"
#include "contest.h"
#include "csv.h"
#include "dataset.h"
#include "ei.h"
#include "forecast.h"
#include "simulate.h"
#include "error.h"
#include "party.h"
#include "power.h"
#include "project.h"
#include "query.h"
#include "rng.h"
#include "chart.h"
#include "groups.h"
#include "hexmap.h"
#include "io.h"
#include "report.h"
#include "store.h"
#include "render.h"

const char *bloc_version(void);

#endif
