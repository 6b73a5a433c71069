/* bloc — the data directory's catalogue (CATALOG.csv): what each file is. bloc_dataset_open
 * (io.h) reads it; contests are opened through the store (store.h). */
#ifndef BLOC_DATASET_H
#define BLOC_DATASET_H

#include "contest.h"

#ifdef __cplusplus
extern "C" {
#endif

/** One row of CATALOG.csv. All fields are "" when blank. Borrowed from the dataset. */
typedef struct {
	const char *id, *kind, *date, *boundaries, *path, *format, *filter, *previous, *notes;
} bloc_catalog_entry;

typedef struct bloc_dataset bloc_dataset;

void bloc_dataset_free(bloc_dataset *ds);

const char *bloc_dataset_dir(const bloc_dataset *ds);
size_t bloc_dataset_count(const bloc_dataset *ds);
/** Entry i in catalogue order (NULL if out of range). */
const bloc_catalog_entry *bloc_dataset_entry(const bloc_dataset *ds, size_t i);
/** Entry with this id, or NULL. */
const bloc_catalog_entry *bloc_dataset_find(const bloc_dataset *ds, const char *id);

#ifdef __cplusplus
}
#endif
#endif
