/* Library-internal: the catalogue's storage, filled by io/catalog.c. */
#ifndef BLOC_DATA_DATASET_INT_H
#define BLOC_DATA_DATASET_INT_H

#include "bloc/dataset.h"

struct bloc_dataset {
	char *dir;
	bloc_catalog_entry *entries; /* n in catalogue order; each field owned ("" when blank) */
	size_t n, cap;
};

#endif
