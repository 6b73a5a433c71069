/* Library-internal: a catalogue entry's file, kept inside its data directory. */
#ifndef BLOC_IO_CATALOG_H
#define BLOC_IO_CATALOG_H

#include "bloc/dataset.h"

/**
 * The file of catalogue entry e: its path joined to the data directory, into *out (the caller
 * frees with bloc_free). An entry whose file leaves the directory ("../..", an absolute path, a
 * symlink pointing outside) is refused with a message naming CATALOG.csv's line and the
 * entry's id, not where the path leads. @return BLOC_OK, BLOC_EINVAL or BLOC_ENOMEM.
 */
int bloc__catalog_entry_path(char **out, const bloc_dataset *ds, const bloc_catalog_entry *e);

#endif
