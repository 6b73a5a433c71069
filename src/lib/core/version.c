#include "bloc/bloc.h"

#ifndef BLOC_VERSION
#define BLOC_VERSION "0.0.0"
#endif

const char *bloc_version(void)
{
	return BLOC_VERSION;
}
