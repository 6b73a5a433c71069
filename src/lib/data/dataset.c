/* The data directory: its catalogue (CATALOG.csv), and contests opened by catalogue id or path.
 * Catalogue loads apply the entry's format, filter, date and kind; entries on the 2023
 * boundaries get the directory's seat code corrections; by-election candidates get the
 * by-election summary file's electorate and ballots. */
#include "bloc/dataset.h"

#include "bloc/csv.h"
#include "bloc/error.h"
#include "../core/alloc.h"
#include "merge.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#define NFIELDS 9
static const char *const catalog_cols[NFIELDS] = {
    "id", "kind", "date", "boundaries", "path", "format", "filter", "previous", "notes"};

struct bloc_dataset {
	char *dir;
	bloc_catalog_entry *entries;
	size_t n, cap;
};

#define CORRECTIONS            "hexmaps/pcon24-scotland-code-corrections.csv"
#define CORRECTIONS_BOUNDARIES "2023"

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

/* dir/rel, or rel itself when it is absolute. The caller frees. */
static char *join_path(const char *dir, const char *rel)
{
	size_t n1 = strlen(dir), n2 = strlen(rel);
	char *p;

	if (rel[0] == '/' || n1 == 0)
		return bloc_strdup(rel);
	p = bloc_malloc(n1 + n2 + 2);
	if (!p)
		return NULL;
	memcpy(p, dir, n1);
	if (dir[n1 - 1] != '/')
		p[n1++] = '/';
	memcpy(p + n1, rel, n2 + 1);
	return p;
}

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
		                      sizeof(*ds->entries))) < 0)
			goto done;
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
	    !(cat = join_path(dir, "CATALOG.csv"))) {
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

/* ---- opening contests --------------------------------------------------------------------- */

static int kind_of(const char *kind)
{
	if (strcmp(kind, "general-election") == 0)
		return BLOC_CONTEST_GENERAL;
	if (strcmp(kind, "by-election") == 0)
		return BLOC_CONTEST_BY;
	if (strcmp(kind, "notional") == 0)
		return BLOC_CONTEST_NOTIONAL;
	if (strcmp(kind, "general-election-extract") == 0)
		return BLOC_CONTEST_EXTRACT;
	return -1;
}

static int readable(const char *path)
{
	FILE *fp = fopen(path, "rb");

	if (!fp)
		return 0;
	fclose(fp);
	return 1;
}

static int open_entry(bloc_contest **out, const bloc_dataset *ds, const bloc_catalog_entry *e,
                      const char *filter, const char *id);

static int starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* A HoC constituency file lumps minor parties and all but the winning independents into "All
 * other candidates"; where the catalogue also holds the candidate file of the same election
 * (same kind, date and boundaries), its candidates replace the columns, so party totals, the
 * indices and wasted votes count every candidate. Seat figures (electorate, invalid votes) stay
 * from the constituency file, and the two files must agree on every seat's valid votes. */
static int with_candidates(bloc_contest **c, const bloc_dataset *ds, const bloc_catalog_entry *e,
                           const char *id)
{
	const bloc_catalog_entry *sib = NULL;
	bloc_contest *cands = NULL;
	size_t i;
	int err;

	if (!starts_with(e->format, "hoc-constituency-wide"))
		return BLOC_OK;
	for (i = 0; i < ds->n && !sib; i++) {
		const bloc_catalog_entry *x = &ds->entries[i];
		if (starts_with(x->format, "hoc-candidate-long") && strcmp(x->kind, e->kind) == 0 &&
		    *e->date && strcmp(x->date, e->date) == 0 &&
		    strcmp(x->boundaries, e->boundaries) == 0)
			sib = x;
	}
	if (!sib)
		return BLOC_OK;
	if ((err = open_entry(&cands, ds, sib, NULL, id)) < 0 ||
	    (err = bloc__contest_take_seat_figures(cands, *c)) < 0) {
		bloc_contest_free(cands);
		cands = NULL;
	}
	bloc_contest_free(*c);
	*c = cands;
	return err;
}

/* Load catalogue entry e; `filter` (may be NULL) replaces the entry's own; `id` names the
 * contest. */
static int open_entry(bloc_contest **out, const bloc_dataset *ds, const bloc_catalog_entry *e,
                      const char *filter, const char *id)
{
	bloc_load_options o = BLOC_LOAD_OPTIONS_INIT;
	char *path = NULL, *corr = NULL, *summary = NULL;
	size_t i;
	int err;

	*out = NULL;
	if (!bloc_format_is_contest(e->format))
		return bloc_error_set(BLOC_EINVAL,
		                      "%s/CATALOG.csv: '%s' is a %s file (format %s), not the "
		                      "results of a contest; contests have kind general-election, "
		                      "by-election, notional or general-election-extract",
		                      ds->dir, e->id, *e->kind ? e->kind : "catalogued",
		                      *e->format ? e->format : "unknown");
	if (!*e->path)
		return bloc_error_set(BLOC_EINVAL, "%s/CATALOG.csv: '%s' has no path", ds->dir,
		                      e->id);
	if (!(path = join_path(ds->dir, e->path))) {
		err = bloc_error_set(BLOC_ENOMEM, "out of memory");
		goto done;
	}
	o.format = e->format;
	o.filter = filter ? filter : (*e->filter ? e->filter : NULL);
	o.id = id;
	o.date = *e->date ? e->date : NULL;
	o.kind = kind_of(e->kind);
	if (strcmp(e->boundaries, CORRECTIONS_BOUNDARIES) == 0) {
		if (!(corr = join_path(ds->dir, CORRECTIONS))) {
			err = bloc_error_set(BLOC_ENOMEM, "out of memory");
			goto done;
		}
		if (readable(corr))
			o.code_corrections = corr;
	}
	if (strcmp(e->format, "key-by-election-candidates") == 0) {
		for (i = 0; i < ds->n; i++) {
			if (strcmp(ds->entries[i].format, "key-by-election-summary") == 0 &&
			    *ds->entries[i].path) {
				if (!(summary = join_path(ds->dir, ds->entries[i].path))) {
					err = bloc_error_set(BLOC_ENOMEM, "out of memory");
					goto done;
				}
				o.by_election_summary = summary;
				break;
			}
		}
	}
	err = bloc_contest_load(out, path, &o);
	if (err == BLOC_OK)
		err = with_candidates(out, ds, e, id);
done:
	bloc_free(path);
	bloc_free(corr);
	bloc_free(summary);
	return err;
}

/* "ENTRY:column=value" -> entry and filter; NULL if `name` is not of that form. */
static const bloc_catalog_entry *entry_with_filter(const bloc_dataset *ds, const char *name,
                                                   const char **filter)
{
	const char *colon = strchr(name, ':');
	size_t i, n;

	if (!ds || !colon || !strchr(colon, '='))
		return NULL;
	n = (size_t)(colon - name);
	for (i = 0; i < ds->n; i++) {
		if (strlen(ds->entries[i].id) == n && memcmp(ds->entries[i].id, name, n) == 0) {
			*filter = colon + 1;
			return &ds->entries[i];
		}
	}
	return NULL;
}

static int not_found(const bloc_dataset *ds, const char *name)
{
	char ids[640];
	size_t i, used = 0;

	ids[0] = '\0';
	for (i = 0; ds && i < ds->n; i++) {
		int w;
		if (!bloc_format_is_contest(ds->entries[i].format))
			continue;
		w = snprintf(ids + used, sizeof(ids) - used, "%s%s", used ? ", " : "",
		             ds->entries[i].id);
		if (w < 0 || (size_t)w >= sizeof(ids) - used) {
			if (used + 5 < sizeof(ids))
				snprintf(ids + used, sizeof(ids) - used, ", ...");
			break;
		}
		used += (size_t)w;
	}
	if (!ds || !used)
		return bloc_error_set(
		    BLOC_ENOTFOUND,
		    "'%.200s': expected a contest id or a results file, found "
		    "neither (no such file, and %s)",
		    name, ds ? "the data directory has no catalogue" : "no data directory");
	return bloc_error_set(
	    BLOC_ENOTFOUND,
	    "'%.200s': expected a contest id from %s/CATALOG.csv or a results file, "
	    "found neither; the contest ids are: %s",
	    name, ds->dir, ids);
}

int bloc_contest_open(bloc_contest **out, const bloc_dataset *ds, const char *name)
{
	const bloc_catalog_entry *e;
	const char *filter = NULL;

	*out = NULL;
	if (!name || !*name)
		return bloc_error_set(BLOC_EINVAL, "bloc_contest_open: no contest named");
	if ((e = bloc_dataset_find(ds, name)) != NULL)
		return open_entry(out, ds, e, NULL, e->id);
	if ((e = entry_with_filter(ds, name, &filter)) != NULL)
		return open_entry(out, ds, e, filter, name);
	if (strcmp(name, "-") == 0 || readable(name))
		return bloc_contest_load(out, name, NULL);
	return not_found(ds, name);
}

int bloc_contest_open_previous(bloc_contest **out, const bloc_dataset *ds, const char *name)
{
	const bloc_catalog_entry *e, *prev;
	const char *filter = NULL, *colon;
	char *id = NULL;
	int err;

	*out = NULL;
	if (!name || !(e = bloc_dataset_find(ds, name)))
		return bloc_error_set(BLOC_ENOTFOUND,
		                      "'%.200s': expected a contest id from the catalogue (the "
		                      "previous contest is recorded there), found none",
		                      name ? name : "(null)");
	if (!*e->previous)
		return bloc_error_set(BLOC_ENOTFOUND,
		                      "%s: no previous general election is recorded for it "
		                      "(CATALOG.csv column 'previous' is blank)",
		                      e->id);
	colon = strchr(e->previous, ':');
	if (colon) {
		if (!(id = bloc_strndup(e->previous, (size_t)(colon - e->previous))))
			return bloc_error_set(BLOC_ENOMEM, "out of memory");
		filter = colon + 1;
	}
	prev = bloc_dataset_find(ds, id ? id : e->previous);
	if (!prev) {
		err =
		    bloc_error_set(BLOC_ENOTFOUND,
		                   "%s/CATALOG.csv: %s: expected its previous contest '%s' to be a "
		                   "catalogue id, found none",
		                   ds->dir, e->id, id ? id : e->previous);
		goto done;
	}
	err = open_entry(out, ds, prev, filter, e->previous);
done:
	bloc_free(id);
	return err;
}

/* Catalogue entry of a name: the id itself, or the id before ':' in "ID:column=value". */
static const bloc_catalog_entry *entry_of(const bloc_dataset *ds, const char *name)
{
	const bloc_catalog_entry *e = bloc_dataset_find(ds, name);
	const char *filter;

	return e ? e : entry_with_filter(ds, name, &filter);
}

static int known_boundaries(const char *b)
{
	return *b && strcmp(b, "various") != 0;
}

int bloc_contest_open_pair(bloc_contest **from, bloc_contest **to, const bloc_dataset *ds,
                           const char *from_name, const char *to_name, const char **note)
{
	static _Thread_local char sentence[512];
	const bloc_catalog_entry *fe, *te, *ne = NULL;
	int err;
	size_t i;

	*from = *to = NULL;
	if (note)
		*note = NULL;
	if (!from_name || !to_name)
		return bloc_error_set(BLOC_EINVAL,
		                      "bloc_contest_open_pair: a contest is not named");
	fe = entry_of(ds, from_name);
	te = entry_of(ds, to_name);
	if (fe && te && known_boundaries(fe->boundaries) && known_boundaries(te->boundaries) &&
	    strcmp(fe->boundaries, te->boundaries) != 0) {
		for (i = 0; i < ds->n; i++) {
			const bloc_catalog_entry *e = &ds->entries[i];
			if (strcmp(e->kind, "notional") == 0 && *fe->date &&
			    strcmp(e->date, fe->date) == 0 &&
			    strcmp(e->boundaries, te->boundaries) == 0 &&
			    bloc_format_is_contest(e->format)) {
				ne = e;
				break;
			}
		}
		if (!ne)
			return bloc_error_set(
			    BLOC_EINVAL,
			    "%s is on the %s boundaries and %s on the %s "
			    "boundaries: expected a notional result of %s on the %s "
			    "boundaries in the catalogue to compare them, found none",
			    fe->id, fe->boundaries, te->id, te->boundaries,
			    *fe->date ? fe->date : fe->id, te->boundaries);
		snprintf(sentence, sizeof(sentence),
		         "%s is on the %s boundaries and %s on the %s boundaries, so %s (the %s "
		         "result estimated on the %s boundaries) is compared instead.",
		         fe->id, fe->boundaries, te->id, te->boundaries, ne->id, fe->date,
		         te->boundaries);
		from_name = ne->id;
	}
	if ((err = bloc_contest_open(from, ds, from_name)) < 0)
		return err;
	if ((err = bloc_contest_open(to, ds, to_name)) < 0) {
		bloc_contest_free(*from);
		*from = NULL;
		return err;
	}
	if (ne && note)
		*note = sentence;
	return BLOC_OK;
}
