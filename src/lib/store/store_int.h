/* Library-internal: what store.c shares with the loaders of store/ (open.c). */
#ifndef BLOC_STORE_INT_H
#define BLOC_STORE_INT_H

#include "bloc/io.h"
#include "bloc/store.h"

/** Can `path` be opened for reading? */
int bloc__store_readable(const char *path);

/** Load catalogue entry e; `filter` (may be NULL) replaces the entry's own; `id` names it. */
int bloc__store_open_entry(bloc_contest **out, const bloc_dataset *ds, const bloc_catalog_entry *e,
                           const char *filter, const char *id);
/** The entry of "ID:column=value" and its filter, or NULL if `name` is not of that form. */
const bloc_catalog_entry *bloc__store_entry_with_filter(const bloc_dataset *ds, const char *name,
                                                        const char **filter);
/** Open `name` if it is a catalogue id or "ID:column=value" (0 or an error); 1 if it is
 * neither (nothing done, no message). */
int bloc__store_open_catalogued(bloc_contest **out, const bloc_dataset *ds, const char *name);
/** The catalogue's contest ids, ", "-joined into ids[size] (cut with ", ..."). */
void bloc__store_contest_ids(const bloc_dataset *ds, char *ids, size_t size);
/** The entry and filter of the contest before `name` (the catalogue's `previous`), and the
 * name it is known by ("ge2019" or "ge2019:region=Wales"). */
int bloc__store_previous(const bloc_dataset *ds, const char *name, const bloc_catalog_entry **prev,
                         const char **filter, const char **prev_name);
/** For comparing *from_name with to_name: when the catalogue puts them on different
 * boundaries, *from_name becomes the notional result of its date on to's boundaries and
 * *note a sentence saying so (thread-local storage); else *note is NULL. */
int bloc__store_pair_names(const bloc_dataset *ds, const char **from_name, const char *to_name,
                           const char **note);

/* ---- the EI cache (eicache.c) keeps its estimates in the store ---------------------------- */

struct bloc__ei_entry; /* eicache.c's */

/** Take and release the store's lock (it guards the list of bloc__store_ei). */
void bloc__store_lock(bloc_store *st);
void bloc__store_unlock(bloc_store *st);
/** The head of the store's list of EI estimates: read and change it under the lock. */
struct bloc__ei_entry **bloc__store_ei(bloc_store *st);
/** Free the list (bloc_store_free); accepts NULL. */
void bloc__ei_entries_free(struct bloc__ei_entry *list);
/** BLOC_OK, or BLOC_EINVAL "FN: the contest was not loaded by this store". */
int bloc__store_check_contest(bloc_store *st, const bloc_contest *c, const char *fn);
/** opts.paths: may messages name files with their directory (the CLI)? */
int bloc__store_paths(const bloc_store *st);

#endif
