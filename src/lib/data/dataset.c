/* The data directory's catalogue (CATALOG.csv) as read by io/catalog.c: its entries and
 * lookups. Contests are opened by store/open.c. */
#include "bloc/dataset.h"

#include "../core/alloc.h"
#include "dataset_int.h"

#include <string.h>

void bloc_dataset_free(bloc_dataset *ds)
{
	size_t i;

	if (!ds)
		return;
	for (i = 0; i < ds->n; i++) {
		bloc_catalog_entry *e = &ds->entries[i];
		bloc_free((char *)e->id);
		bloc_free((char *)e->kind);
		bloc_free((char *)e->date);
		bloc_free((char *)e->boundaries);
		bloc_free((char *)e->path);
		bloc_free((char *)e->format);
		bloc_free((char *)e->filter);
		bloc_free((char *)e->previous);
		bloc_free((char *)e->notes);
	}
	bloc_free(ds->entries);
	bloc_free(ds->dir);
	bloc_free(ds);
}

const char *bloc_dataset_dir(const bloc_dataset *ds)
{
	return ds ? ds->dir : "";
}

size_t bloc_dataset_count(const bloc_dataset *ds)
{
	return ds ? ds->n : 0;
}

const bloc_catalog_entry *bloc_dataset_entry(const bloc_dataset *ds, size_t i)
{
	return ds && i < ds->n ? &ds->entries[i] : NULL;
}

const bloc_catalog_entry *bloc_dataset_find(const bloc_dataset *ds, const char *id)
{
	size_t i;

	if (!ds || !id)
		return NULL;
	for (i = 0; i < ds->n; i++)
		if (strcmp(ds->entries[i].id, id) == 0)
			return &ds->entries[i];
	return NULL;
}
