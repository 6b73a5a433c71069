/* Reading a data directory's catalogue, CATALOG.csv: one row per file with its id, kind, date,
 * boundaries, path, format, row filter, previous contest and notes. */
#include "bloc/io.h"

#include "bloc/csv.h"
#include "bloc/error.h"
#include "../core/alloc.h"
#include "../util/path.h"
#include "../data/dataset_int.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#define NFIELDS 9
static const char *const catalog_cols[NFIELDS] = {
    "id", "kind", "date", "boundaries", "path", "format", "filter", "previous", "notes"};

static char *trimmed(const char *s)
{
	size_t n = strlen(s);

	while (n && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return bloc_strndup(s, n);
}

static int read_catalog(bloc_dataset *ds, const char *path)
{
	bloc_csv_reader *rd = NULL;
	int col[NFIELDS], rc, err;
	size_t i;

	if ((err = bloc_csv_open(&rd, path, NULL)) < 0)
		goto done;
	if ((err = bloc_csv_read_header(rd)) < 0)
		goto done;
	for (i = 0; i < NFIELDS; i++) {
		if ((col[i] = bloc_csv_col(rd, catalog_cols[i])) < 0) {
			err = bloc_error_set(
			    BLOC_EPARSE,
			    "%s:%zu:1: expected the catalogue columns "
			    "id,kind,date,boundaries,path,format,filter,previous,notes, "
			    "found no column '%s'",
			    path, bloc_csv_line(rd), catalog_cols[i]);
			goto done;
		}
	}
	while ((rc = bloc_csv_next(rd)) > 0) {
		bloc_catalog_entry *e;
		const char **f[NFIELDS];

		if (bloc_csv_nfields(rd) != bloc_csv_ncols(rd)) {
			size_t last = bloc_csv_nfields(rd) - 1;
			err = bloc_error_set(
			    BLOC_EPARSE,
			    "%s:%zu:%zu: expected %zu fields as in the header, found "
			    "%zu",
			    path, bloc_csv_field_line(rd, last), bloc_csv_column(rd, last),
			    bloc_csv_ncols(rd), bloc_csv_nfields(rd));
			goto done;
		}
		if ((err = bloc__grow((void **)&ds->entries, &ds->cap, ds->n + 1,
		                      sizeof(*ds->entries))) < 0) {
			bloc_error_prefix("reading %s", path);
			goto done;
		}
		e = &ds->entries[ds->n];
		memset(e, 0, sizeof(*e));
		ds->n++;
		f[0] = &e->id, f[1] = &e->kind, f[2] = &e->date, f[3] = &e->boundaries;
		f[4] = &e->path, f[5] = &e->format, f[6] = &e->filter, f[7] = &e->previous;
		f[8] = &e->notes;
		for (i = 0; i < NFIELDS; i++) {
			if (!(*f[i] = trimmed(bloc_csv_field(rd, (size_t)col[i])))) {
				err = bloc_error_set(BLOC_ENOMEM, "out of memory reading %s", path);
				goto done;
			}
		}
		if (!*e->id) {
			err = bloc_csv_field_error(rd, (size_t)col[0], BLOC_EPARSE,
			                           "expected an id, found an empty field");
			goto done;
		}
		for (i = 0; i + 1 < ds->n; i++) {
			if (strcmp(ds->entries[i].id, e->id) == 0) {
				err = bloc_csv_field_error(rd, (size_t)col[0], BLOC_EPARSE,
				                           "expected each id once, found '%.60s' "
				                           "again",
				                           e->id);
				goto done;
			}
		}
	}
	err = rc < 0 ? rc : BLOC_OK;
done:
	bloc_csv_close(rd);
	return err;
}

int bloc_dataset_open(bloc_dataset **out, const char *dir)
{
	bloc_dataset *ds = NULL;
	struct stat st;
	char *cat = NULL;
	FILE *fp;
	int err = BLOC_OK;

	*out = NULL;
	if (!dir || !*dir)
		return bloc_error_set(BLOC_EINVAL, "bloc_dataset_open: no directory given");
	if (stat(dir, &st) != 0)
		return bloc_error_set(BLOC_EIO, "%s: cannot open data directory: %s", dir,
		                      strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return bloc_error_set(BLOC_EIO, "%s: expected a data directory, found a file", dir);
	if (!(ds = bloc_calloc(1, sizeof(*ds))) || !(ds->dir = bloc_strdup(dir)) ||
	    !(cat = bloc__path_join(dir, "CATALOG.csv"))) {
		err = bloc_error_set(BLOC_ENOMEM, "out of memory opening %s", dir);
		goto done;
	}
	/* a directory without a catalogue is allowed: contests are then named by path */
	if ((fp = fopen(cat, "rb")) != NULL) {
		fclose(fp);
		if ((err = read_catalog(ds, cat)) < 0)
			goto done;
	} else if (errno != ENOENT) {
		err = bloc_error_set(BLOC_EIO, "%s: cannot open: %s", cat, strerror(errno));
		goto done;
	}
	*out = ds;
	ds = NULL;
done:
	bloc_free(cat);
	bloc_dataset_free(ds);
	return err;
}
