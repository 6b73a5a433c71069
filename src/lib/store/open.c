/* Opening contests named by catalogue id or path: catalogue loads apply the entry's format,
 * filter, date and kind; entries on the 2023 boundaries get the directory's seat code
 * corrections; by-election candidates get the by-election summary file's electorate and
 * ballots; a constituency file takes its candidate file's candidates. The store caches what
 * these functions load (store.c); they keep the declarations of dataset.h for callers that
 * own their contests. */
#include "store_int.h"

#include "bloc/error.h"
#include "../core/alloc.h"
#include "../data/merge.h"
#include "../io/catalog.h"
#include "../util/path.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#define CORRECTIONS            "hexmaps/pcon24-scotland-code-corrections.csv"
#define CORRECTIONS_BOUNDARIES "2023"

int bloc__store_readable(const char *path)
{
	FILE *fp;

	if (bloc__open_read(&fp, path) < 0) {
		bloc_error_clear();
		return 0;
	}
	fclose(fp);
	return 1;
}

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
	const bloc_catalog_entry *sib = NULL, *x;
	bloc_contest *cands = NULL;
	size_t i;
	int err;

	if (!starts_with(e->format, "hoc-constituency-wide"))
		return BLOC_OK;
	for (i = 0; !sib && (x = bloc_dataset_entry(ds, i)) != NULL; i++) {
		if (starts_with(x->format, "hoc-candidate-long") && strcmp(x->kind, e->kind) == 0 &&
		    *e->date && strcmp(x->date, e->date) == 0 &&
		    strcmp(x->boundaries, e->boundaries) == 0)
			sib = x;
	}
	if (!sib)
		return BLOC_OK;
	if ((err = bloc__store_open_entry(&cands, ds, sib, NULL, id)) < 0 ||
	    (err = bloc__contest_take_seat_figures(cands, *c)) < 0) {
		bloc_contest_free(cands);
		cands = NULL;
	}
	bloc_contest_free(*c);
	*c = cands;
	return err;
}

/* The by-election summary file of the catalogue (joined to the directory), or NULL in *out. */
static int summary_path(char **out, const bloc_dataset *ds)
{
	const bloc_catalog_entry *x;
	size_t i;

	*out = NULL;
	for (i = 0; (x = bloc_dataset_entry(ds, i)) != NULL; i++) {
		if (strcmp(x->format, "key-by-election-summary") == 0 && *x->path) {
			return bloc__catalog_entry_path(out, ds, x);
		}
	}
	return BLOC_OK;
}

/* Load catalogue entry e; `filter` (may be NULL) replaces the entry's own; `id` names the
 * contest. */
int bloc__store_open_entry(bloc_contest **out, const bloc_dataset *ds, const bloc_catalog_entry *e,
                           const char *filter, const char *id)
{
	bloc_load_options o = BLOC_LOAD_OPTIONS_INIT;
	const char *dir = bloc_dataset_dir(ds);
	char *path = NULL, *corr = NULL, *summary = NULL;
	int err;

	*out = NULL;
	if (!bloc_format_is_contest(e->format))
		return bloc_error_set(BLOC_EINVAL,
		                      "%s/CATALOG.csv: '%s' is a %s file (format %s), not the "
		                      "results of a contest; contests have kind general-election, "
		                      "by-election, notional or general-election-extract",
		                      dir, e->id, *e->kind ? e->kind : "catalogued",
		                      *e->format ? e->format : "unknown");
	if (!*e->path)
		return bloc_error_set(BLOC_EINVAL, "%s/CATALOG.csv: '%s' has no path", dir, e->id);
	if ((err = bloc__catalog_entry_path(&path, ds, e)) < 0)
		goto done;
	o.format = e->format;
	o.filter = filter ? filter : (*e->filter ? e->filter : NULL);
	o.id = id;
	o.date = *e->date ? e->date : NULL;
	o.kind = kind_of(e->kind);
	if (strcmp(e->boundaries, CORRECTIONS_BOUNDARIES) == 0) {
		if (!(corr = bloc__path_join(dir, CORRECTIONS))) {
			err = BLOC_ENOMEM;
			goto done;
		}
		if (bloc__store_readable(corr) && bloc__path_inside(dir, corr, CORRECTIONS))
			o.code_corrections = corr;
	}
	if (strcmp(e->format, "key-by-election-candidates") == 0) {
		if ((err = summary_path(&summary, ds)) < 0)
			goto done;
		o.by_election_summary = summary;
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

const bloc_catalog_entry *bloc__store_entry_with_filter(const bloc_dataset *ds, const char *name,
                                                        const char **filter)
{
	const char *colon = strchr(name, ':');
	const bloc_catalog_entry *e;
	size_t i, n;

	if (!ds || !colon || !strchr(colon, '='))
		return NULL;
	n = (size_t)(colon - name);
	for (i = 0; (e = bloc_dataset_entry(ds, i)) != NULL; i++) {
		if (strlen(e->id) == n && memcmp(e->id, name, n) == 0) {
			*filter = colon + 1;
			return e;
		}
	}
	return NULL;
}

/* "ge2017, ge2019, ...": the catalogue's contest ids, cut with ", ..." when they do not fit. */
void bloc__store_contest_ids(const bloc_dataset *ds, char *ids, size_t size)
{
	const bloc_catalog_entry *e;
	size_t i, used = 0;

	ids[0] = '\0';
	for (i = 0; (e = bloc_dataset_entry(ds, i)) != NULL; i++) {
		int w;
		if (!bloc_format_is_contest(e->format))
			continue;
		w = snprintf(ids + used, size - used, "%s%s", used ? ", " : "", e->id);
		if (w < 0 || (size_t)w >= size - used) {
			if (used + 5 < size)
				snprintf(ids + used, size - used, ", ...");
			else
				ids[used] = '\0';
			break;
		}
		used += (size_t)w;
	}
}

static int not_found(const bloc_dataset *ds, const char *name)
{
	char ids[640];

	if (ds)
		bloc__store_contest_ids(ds, ids, sizeof(ids));
	if (!ds || !*ids)
		return bloc_error_set(
		    BLOC_ENOTFOUND,
		    "'%.200s': expected a contest id or a results file, found "
		    "neither (no such file, and %s)",
		    name, ds ? "the data directory has no catalogue" : "no data directory");
	return bloc_error_set(
	    BLOC_ENOTFOUND,
	    "'%.200s': expected a contest id from %s/CATALOG.csv or a results file, "
	    "found neither; the contest ids are: %s",
	    name, bloc_dataset_dir(ds), ids);
}

int bloc__store_open_catalogued(bloc_contest **out, const bloc_dataset *ds, const char *name)
{
	const bloc_catalog_entry *e;
	const char *filter = NULL;

	*out = NULL;
	if ((e = bloc_dataset_find(ds, name)) != NULL)
		return bloc__store_open_entry(out, ds, e, NULL, e->id);
	if ((e = bloc__store_entry_with_filter(ds, name, &filter)) != NULL)
		return bloc__store_open_entry(out, ds, e, filter, name);
	return 1;
}

int bloc_contest_open(bloc_contest **out, const bloc_dataset *ds, const char *name)
{
	struct stat st;
	int err;

	*out = NULL;
	if (!name || !*name)
		return bloc_error_set(BLOC_EINVAL, "bloc_contest_open: no contest named");
	if ((err = bloc__store_open_catalogued(out, ds, name)) <= 0)
		return err;
	/* a file that is there is read (and a FIFO or a directory refused with its reason) */
	if (strcmp(name, "-") == 0 || stat(name, &st) == 0)
		return bloc_contest_load(out, name, NULL);
	return not_found(ds, name);
}

int bloc__store_previous(const bloc_dataset *ds, const char *name, const bloc_catalog_entry **prev,
                         const char **filter, const char **prev_name)
{
	const bloc_catalog_entry *e, *x;
	const char *colon;
	size_t i, n;

	*prev = NULL;
	*filter = *prev_name = NULL;
	if (!name || !(e = bloc_dataset_find(ds, name)))
		return bloc_error_set(BLOC_ENOTFOUND,
		                      "'%.200s': expected a contest id from the catalogue (the "
		                      "previous contest is recorded there), found none",
		                      name ? name : "(null)");
	if (!*e->previous) {
		/* none recorded: the latest general election (or notional result) on the same
		 * boundaries dated before it (before its first polling day when its by-elections
		 * fell on several), the first in the catalogue on a tie */
		const bloc_catalog_entry *best = NULL;
		char first[16] = "";
		const char *date = e->date;
		if (!*date) {
			bloc_contest *c = NULL;
			if (bloc_contest_open(&c, ds, e->id) == BLOC_OK && c->first_date)
				snprintf(first, sizeof(first), "%s", c->first_date);
			bloc_contest_free(c);
			bloc_error_clear();
			date = first;
		}
		for (i = 0; *date && (x = bloc_dataset_entry(ds, i)) != NULL; i++)
			if (x != e &&
			    (strcmp(x->kind, "general-election") == 0 ||
			     strcmp(x->kind, "notional") == 0) &&
			    strcmp(x->boundaries, e->boundaries) == 0 && *x->date &&
			    strcmp(x->date, date) < 0 && (!best || strcmp(x->date, best->date) > 0))
				best = x;
		if (!best)
			return bloc_error_set(
			    BLOC_ENOTFOUND,
			    "%s: no previous contest is recorded for it (CATALOG.csv column "
			    "'previous' is blank) and no general election on its boundaries (%s) "
			    "is "
			    "dated before it%s; name the two contests to compare",
			    e->id, *e->boundaries ? e->boundaries : "none given",
			    *date ? "" : " (it has no date)");
		*prev = best;
		*prev_name = best->id;
		return BLOC_OK;
	}
	colon = strchr(e->previous, ':');
	n = colon ? (size_t)(colon - e->previous) : strlen(e->previous);
	for (i = 0; !*prev && (x = bloc_dataset_entry(ds, i)) != NULL; i++)
		if (strlen(x->id) == n && strncmp(x->id, e->previous, n) == 0)
			*prev = x;
	if (!*prev)
		return bloc_error_set(BLOC_ENOTFOUND,
		                      "%s/CATALOG.csv: %s: expected its previous contest '%.*s' to "
		                      "be a catalogue id, found none",
		                      bloc_dataset_dir(ds), e->id, (int)n, e->previous);
	*filter = colon ? colon + 1 : NULL;
	*prev_name = e->previous;
	return BLOC_OK;
}

int bloc_contest_open_previous(bloc_contest **out, const bloc_dataset *ds, const char *name)
{
	const bloc_catalog_entry *prev;
	const char *filter, *prev_name;
	int err;

	*out = NULL;
	if ((err = bloc__store_previous(ds, name, &prev, &filter, &prev_name)) < 0)
		return err;
	return bloc__store_open_entry(out, ds, prev, filter, prev_name);
}

/* Catalogue entry of a name: the id itself, or the id before ':' in "ID:column=value". */
static const bloc_catalog_entry *entry_of(const bloc_dataset *ds, const char *name)
{
	const bloc_catalog_entry *e = bloc_dataset_find(ds, name);
	const char *filter;

	return e ? e : bloc__store_entry_with_filter(ds, name, &filter);
}

static int known_boundaries(const char *b)
{
	return *b && strcmp(b, "various") != 0;
}

int bloc__store_pair_names(const bloc_dataset *ds, const char **from_name, const char *to_name,
                           const char **note)
{
	static _Thread_local char sentence[512];
	const bloc_catalog_entry *fe, *te, *ne = NULL, *e;
	size_t i;

	*note = NULL;
	fe = entry_of(ds, *from_name);
	te = entry_of(ds, to_name);
	if (!fe || !te || !known_boundaries(fe->boundaries) || !known_boundaries(te->boundaries) ||
	    strcmp(fe->boundaries, te->boundaries) == 0)
		return BLOC_OK;
	for (i = 0; !ne && (e = bloc_dataset_entry(ds, i)) != NULL; i++) {
		if (strcmp(e->kind, "notional") == 0 && *fe->date &&
		    strcmp(e->date, fe->date) == 0 && strcmp(e->boundaries, te->boundaries) == 0 &&
		    bloc_format_is_contest(e->format))
			ne = e;
	}
	if (!ne)
		return bloc_error_set(BLOC_EINVAL,
		                      "%s is on the %s boundaries and %s on the %s "
		                      "boundaries: expected a notional result of %s on the %s "
		                      "boundaries in the catalogue to compare them, found none",
		                      fe->id, fe->boundaries, te->id, te->boundaries,
		                      *fe->date ? fe->date : fe->id, te->boundaries);
	snprintf(sentence, sizeof(sentence),
	         "%s is on the %s boundaries and %s on the %s boundaries, so %s (the %s "
	         "result estimated on the %s boundaries) is compared instead.",
	         fe->id, fe->boundaries, te->id, te->boundaries, ne->id, fe->date, te->boundaries);
	*from_name = ne->id;
	*note = sentence;
	return BLOC_OK;
}

int bloc_contest_open_pair(bloc_contest **from, bloc_contest **to, const bloc_dataset *ds,
                           const char *from_name, const char *to_name, const char **note)
{
	const char *sentence;
	int err;

	*from = *to = NULL;
	if (note)
		*note = NULL;
	if (!from_name || !to_name)
		return bloc_error_set(BLOC_EINVAL,
		                      "bloc_contest_open_pair: a contest is not named");
	if ((err = bloc__store_pair_names(ds, &from_name, to_name, &sentence)) < 0)
		return err;
	if ((err = bloc_contest_open(from, ds, from_name)) < 0)
		return err;
	if ((err = bloc_contest_open(to, ds, to_name)) < 0) {
		bloc_contest_free(*from);
		*from = NULL;
		return err;
	}
	if (note)
		*note = sentence;
	return BLOC_OK;
}
