/* The store: a data directory's catalogue and everything loaded from it, kept until the store
 * is freed. Contests live in a list of nodes that never move, each holding what was loaded for
 * it (census group shares, shares files, its hex layout), so a pointer handed out stays valid
 * without reference counting. One mutex guards the lists; files are read outside it, and when
 * two threads load the same thing at once the first to finish is kept. Prepared projectors
 * are pooled (one per thread projecting at a time). */
#include "bloc/store.h"

#include "bloc/error.h"
#include "../core/alloc.h"
#include "../core/error_int.h"
#include "../util/path.h"
#include "store_int.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* A shares file loaded for a contest. */
struct file_shares {
	struct file_shares *next;
	char *path, *group;
	bloc_group_shares g;
};

/* A contest and what was loaded for its seats. */
struct contest_node {
	struct contest_node *next;
	char *name; /* as asked for */
	bloc_contest *c;
	bloc_group_shares **groups; /* bloc_group_count() slots, NULL until loaded */
	struct file_shares *files;
	bloc_hexmap *hexmap;
};

/* A prepared projector of a contest; `busy` while a thread projects with it. */
struct projector_slot {
	const bloc_contest *c;
	bloc_projector *pj;
	int busy;
};

struct bloc_store {
	char *dir;
	bloc_dataset *ds;
	/* opts.paths (the CLI) and the directory could not be opened: the error, given again by
	 * bloc_store_ready() when a question first needs the data */
	int open_err;
	char open_msg[512];
	bloc_store_options opts;
	pthread_mutex_t lock; /* guards everything below */
	struct contest_node *contests;
	struct projector_slot *projectors; /* opts.projectors slots */
	size_t nprojectors;
	struct bloc__ei_entry *ei; /* the EI estimates kept (eicache.c) */
};

/* ---- the directory ------------------------------------------------------------------------ */

static int is_dir(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

const char *bloc_store_default_dir(const char *given)
{
	const char *env;

	if (given && *given)
		return given;
	if ((env = getenv("BLOC_DATA")) && *env)
		return env;
#ifdef BLOC_DATA_INSTALL_DIR
	if (is_dir(BLOC_DATA_INSTALL_DIR))
		return BLOC_DATA_INSTALL_DIR;
#endif
#ifdef BLOC_DATA_SOURCE_DIR
	/* a build that is not installed: the data of the source tree it was built from */
	if (is_dir(BLOC_DATA_SOURCE_DIR))
		return BLOC_DATA_SOURCE_DIR;
#endif
	return "./data";
}

int bloc_store_open(bloc_store **out, const char *dir, const bloc_store_options *opts)
{
	bloc_store_options defaults = BLOC_STORE_OPTIONS_INIT;
	bloc_store *st;
	int err;

	*out = NULL;
	if (!opts)
		opts = &defaults;
	if (opts->version != BLOC_STORE_OPTIONS_VERSION)
		return bloc_error_set(BLOC_EINVAL,
		                      "bloc_store_open: options of version %u, expected %u "
		                      "(BLOC_STORE_OPTIONS_INIT)",
		                      opts->version, BLOC_STORE_OPTIONS_VERSION);
	dir = bloc_store_default_dir(dir);
	if (!(st = bloc_calloc(1, sizeof(*st))))
		return bloc_error_oom("opening the data directory %s", dir);
	st->opts = *opts;
	if (!(st->dir = bloc_strdup(dir)) ||
	    (opts->projectors &&
	     !(st->projectors = bloc_calloc(opts->projectors, sizeof(*st->projectors))))) {
		bloc_free(st->dir);
		bloc_free(st);
		return bloc_error_oom("opening the data directory %s", dir);
	}
	if ((err = bloc_dataset_open(&st->ds, dir)) == BLOC_EIO && opts->paths) {
		/* the CLI may answer questions that need no data (EI from a units file, synthetic
		 * units) without a data directory: the error waits for the first that does */
		st->open_err = err;
		snprintf(st->open_msg, sizeof(st->open_msg), "%s", bloc_error_last());
		bloc_error_clear();
	} else if (err < 0) {
		bloc_free(st->projectors);
		bloc_free(st->dir);
		bloc_free(st);
		return err;
	}
	if (pthread_mutex_init(&st->lock, NULL) != 0) {
		bloc_dataset_free(st->ds);
		bloc_free(st->projectors);
		bloc_free(st->dir);
		bloc_free(st);
		return bloc_error_set(BLOC_ENOMEM,
		                      "opening the data directory %s: cannot create a "
		                      "mutex",
		                      dir);
	}
	*out = st;
	return BLOC_OK;
}

static void node_free(struct contest_node *n)
{
	struct file_shares *f, *next;
	size_t g;

	for (g = 0; n->groups && g < bloc_group_count(); g++) {
		bloc_group_shares_dispose(n->groups[g]);
		bloc_free(n->groups[g]);
	}
	for (f = n->files; f; f = next) {
		next = f->next;
		bloc_group_shares_dispose(&f->g);
		bloc_free(f->path);
		bloc_free(f->group);
		bloc_free(f);
	}
	bloc_hexmap_free(n->hexmap);
	bloc_contest_free(n->c);
	bloc_free(n->groups);
	bloc_free(n->name);
	bloc_free(n);
}

void bloc_store_free(bloc_store *st)
{
	struct contest_node *n, *next;
	size_t i;

	if (!st)
		return;
	for (n = st->contests; n; n = next) {
		next = n->next;
		node_free(n);
	}
	for (i = 0; i < st->nprojectors; i++)
		bloc_projector_free(st->projectors[i].pj);
	bloc_free(st->projectors);
	bloc__ei_entries_free(st->ei);
	pthread_mutex_destroy(&st->lock);
	bloc_dataset_free(st->ds);
	bloc_free(st->dir);
	bloc_free(st);
}

const char *bloc_store_dir(const bloc_store *st)
{
	return st ? st->dir : "";
}

int bloc_store_ready(const bloc_store *st)
{
	if (st && st->open_err)
		return bloc_error_set(st->open_err, "%s", st->open_msg);
	return BLOC_OK;
}

const bloc_dataset *bloc_store_catalog(const bloc_store *st)
{
	return st ? st->ds : NULL;
}

/* The server's store (no paths) names files relative to the data directory in its messages:
 * an answer never shows where the data lives. */
static int in_dir(const bloc_store *st, int err)
{
	if (err < 0 && !st->opts.paths)
		bloc__error_relative(st->dir);
	return err;
}

/* ---- contests ----------------------------------------------------------------------------- */

/* Call with the lock held. */
static struct contest_node *find_name(const bloc_store *st, const char *name)
{
	struct contest_node *n;

	for (n = st->contests; n; n = n->next)
		if (strcmp(n->name, name) == 0)
			return n;
	return NULL;
}

/* Call with the lock held. */
static struct contest_node *find_contest(const bloc_store *st, const bloc_contest *c)
{
	struct contest_node *n;

	for (n = st->contests; n; n = n->next)
		if (n->c == c)
			return n;
	return NULL;
}

static int ids_only(const bloc_store *st, const char *name)
{
	char ids[640];

	bloc__store_contest_ids(st->ds, ids, sizeof(ids));
	return bloc_error_set(BLOC_ENOTFOUND,
	                      "'%.200s': expected a contest id from %s/CATALOG.csv, found none "
	                      "(file paths are not accepted here); the contest ids are: %s",
	                      name, st->dir, *ids ? ids : "(none)");
}

/* Load contest `name` (uncached); catalogue loads' errors name the id. */
static int load_contest(const bloc_store *st, const char *name, bloc_contest **c)
{
	int err;

	if ((err = bloc_store_ready(st)) < 0)
		return err;
	if ((err = bloc__store_open_catalogued(c, st->ds, name)) <= 0)
		return err < 0 ? bloc_error_prefix("loading %.200s", name) : err;
	if (!st->opts.paths)
		return ids_only(st, name);
	return bloc_contest_open(c, st->ds, name);
}

/* Keep c under `name` (or the one another thread kept meanwhile); takes c. */
static int keep_contest(bloc_store *st, const char *name, bloc_contest *c, const bloc_contest **out)
{
	struct contest_node *n;

	pthread_mutex_lock(&st->lock);
	if ((n = find_name(st, name))) {
		*out = n->c;
		pthread_mutex_unlock(&st->lock);
		bloc_contest_free(c);
		return BLOC_OK;
	}
	if (!(n = bloc_calloc(1, sizeof(*n))) || !(n->name = bloc_strdup(name)) ||
	    !(n->groups = bloc_calloc(bloc_group_count(), sizeof(*n->groups)))) {
		pthread_mutex_unlock(&st->lock);
		if (n) {
			bloc_free(n->name);
			bloc_free(n);
		}
		bloc_contest_free(c);
		return bloc_error_oom("keeping contest %.200s", name);
	}
	n->c = c;
	n->next = st->contests;
	st->contests = n;
	*out = c;
	pthread_mutex_unlock(&st->lock);
	return BLOC_OK;
}

int bloc_store_contest(bloc_store *st, const char *name, const bloc_contest **out)
{
	struct contest_node *n;
	bloc_contest *c = NULL;
	int err;

	*out = NULL;
	if (!st || !name || !*name)
		return bloc_error_set(BLOC_EINVAL,
		                      "bloc_store_contest: no store or no contest named");
	pthread_mutex_lock(&st->lock);
	if ((n = find_name(st, name)))
		*out = n->c;
	pthread_mutex_unlock(&st->lock);
	if (*out)
		return BLOC_OK;
	if ((err = load_contest(st, name, &c)) < 0)
		return in_dir(st, err);
	return keep_contest(st, name, c, out);
}

int bloc_store_contest_pair(bloc_store *st, const char *from, const char *to,
                            const bloc_contest **a, const bloc_contest **b, const char **note)
{
	const char *sentence;
	int err;

	*a = *b = NULL;
	if (note)
		*note = NULL;
	if (!st || !from || !to)
		return bloc_error_set(
		    BLOC_EINVAL, "bloc_store_contest_pair: no store, or a contest is not named");
	if ((err = bloc_store_ready(st)) < 0 ||
	    (err = bloc__store_pair_names(st->ds, &from, to, &sentence)) < 0 ||
	    (err = bloc_store_contest(st, from, a)) < 0 ||
	    (err = bloc_store_contest(st, to, b)) < 0) {
		*a = *b = NULL;
		return err;
	}
	if (note)
		*note = sentence;
	return BLOC_OK;
}

int bloc_store_contest_previous(bloc_store *st, const char *name, const bloc_contest **out)
{
	const bloc_catalog_entry *prev;
	const char *filter, *prev_name;
	struct contest_node *n;
	bloc_contest *c = NULL;
	int err;

	*out = NULL;
	if (!st)
		return bloc_error_set(BLOC_EINVAL, "bloc_store_contest_previous: no store");
	if ((err = bloc_store_ready(st)) < 0 ||
	    (err = bloc__store_previous(st->ds, name, &prev, &filter, &prev_name)) < 0)
		return in_dir(st, err);
	pthread_mutex_lock(&st->lock);
	if ((n = find_name(st, prev_name)))
		*out = n->c;
	pthread_mutex_unlock(&st->lock);
	if (*out)
		return BLOC_OK;
	if ((err = bloc__store_open_entry(&c, st->ds, prev, filter, prev_name)) < 0)
		return in_dir(st, bloc_error_prefix("loading %.200s", prev_name));
	return keep_contest(st, prev_name, c, out);
}

/* ---- what is loaded for a contest --------------------------------------------------------- */

/* The node of c, or an error when c is not from this store. */
static int node_of(bloc_store *st, const bloc_contest *c, const char *fn, struct contest_node **out)
{
	pthread_mutex_lock(&st->lock);
	*out = find_contest(st, c);
	pthread_mutex_unlock(&st->lock);
	if (!*out)
		return bloc_error_set(BLOC_EINVAL, "%s: the contest was not loaded by this store",
		                      fn);
	return BLOC_OK;
}

int bloc_store_group_shares(bloc_store *st, const bloc_contest *c, const char *group,
                            const bloc_group_shares **out)
{
	struct contest_node *n;
	bloc_group_shares *g;
	long k;
	int err;

	*out = NULL;
	if (!st || !c || !group)
		return bloc_error_set(BLOC_EINVAL,
		                      "bloc_store_group_shares: no store, contest or group");
	if ((err = node_of(st, c, "bloc_store_group_shares", &n)) < 0)
		return err;
	if ((k = bloc_group_find(group)) >= 0) {
		pthread_mutex_lock(&st->lock);
		*out = n->groups[k];
		pthread_mutex_unlock(&st->lock);
		if (*out)
			return BLOC_OK;
	}
	if (!(g = bloc_calloc(1, sizeof(*g))))
		return bloc_error_oom("loading census group %.60s", group);
	/* an unknown group is reported here, listing the groups */
	if ((err = bloc_group_shares_open(g, st->ds, c, group)) < 0 || k < 0) {
		bloc_group_shares_dispose(g);
		bloc_free(g);
		return err < 0
		           ? in_dir(st, err)
		           : bloc_error_set(BLOC_ENOTFOUND, "unknown census group '%.60s'", group);
	}
	pthread_mutex_lock(&st->lock);
	if (n->groups[k]) {
		bloc_group_shares_dispose(g);
		bloc_free(g);
	} else {
		n->groups[k] = g;
	}
	*out = n->groups[k];
	pthread_mutex_unlock(&st->lock);
	return BLOC_OK;
}

static int paths_refused(const char *what, const char *path)
{
	return bloc_error_set(BLOC_EINVAL,
	                      "%s '%.200s': file paths are not accepted here (only catalogue ids)",
	                      what, path);
}

int bloc_store_group_shares_file(bloc_store *st, const bloc_contest *c, const char *path,
                                 const char *group, const bloc_group_shares **out)
{
	struct contest_node *n;
	struct file_shares *f, *x;
	int err;

	*out = NULL;
	if (!st || !c || !path || !group)
		return bloc_error_set(
		    BLOC_EINVAL, "bloc_store_group_shares_file: no store, contest, file or group");
	if (!st->opts.paths)
		return paths_refused("shares file", path);
	if ((err = node_of(st, c, "bloc_store_group_shares_file", &n)) < 0)
		return err;
	pthread_mutex_lock(&st->lock);
	for (x = n->files; x && !*out; x = x->next)
		if (strcmp(x->path, path) == 0 && strcmp(x->group, group) == 0)
			*out = &x->g;
	pthread_mutex_unlock(&st->lock);
	if (*out)
		return BLOC_OK;
	if (!(f = bloc_calloc(1, sizeof(*f))) || !(f->path = bloc_strdup(path)) ||
	    !(f->group = bloc_strdup(group))) {
		if (f) {
			bloc_free(f->path);
			bloc_free(f);
		}
		return bloc_error_oom("loading shares file %.200s", path);
	}
	if ((err = bloc_group_shares_load_csv(&f->g, path, c, group)) < 0) {
		bloc_free(f->path);
		bloc_free(f->group);
		bloc_free(f);
		return err;
	}
	pthread_mutex_lock(&st->lock);
	for (x = n->files; x && !*out; x = x->next)
		if (strcmp(x->path, path) == 0 && strcmp(x->group, group) == 0)
			*out = &x->g;
	if (!*out) {
		f->next = n->files;
		n->files = f;
		*out = &f->g;
		f = NULL;
	}
	pthread_mutex_unlock(&st->lock);
	if (f) {
		bloc_group_shares_dispose(&f->g);
		bloc_free(f->path);
		bloc_free(f->group);
		bloc_free(f);
	}
	return BLOC_OK;
}

int bloc_store_hexmap(bloc_store *st, const bloc_contest *c, const bloc_hexmap **out)
{
	struct contest_node *n;
	bloc_hexmap *m = NULL;
	int err;

	*out = NULL;
	if (!st || !c)
		return bloc_error_set(BLOC_EINVAL, "bloc_store_hexmap: no store or contest");
	if ((err = node_of(st, c, "bloc_store_hexmap", &n)) < 0)
		return err;
	pthread_mutex_lock(&st->lock);
	*out = n->hexmap;
	pthread_mutex_unlock(&st->lock);
	if (*out)
		return BLOC_OK;
	if ((err = bloc_hexmap_open(&m, st->ds, c)) < 0)
		return in_dir(st, err);
	pthread_mutex_lock(&st->lock);
	if (!n->hexmap) {
		n->hexmap = m;
		m = NULL;
	}
	*out = n->hexmap;
	pthread_mutex_unlock(&st->lock);
	bloc_hexmap_free(m);
	return BLOC_OK;
}

/* ---- what eicache.c keeps in the store ------------------------------------------------------ */

void bloc__store_lock(bloc_store *st)
{
	pthread_mutex_lock(&st->lock);
}

void bloc__store_unlock(bloc_store *st)
{
	pthread_mutex_unlock(&st->lock);
}

struct bloc__ei_entry **bloc__store_ei(bloc_store *st)
{
	return &st->ei;
}

int bloc__store_check_contest(bloc_store *st, const bloc_contest *c, const char *fn)
{
	struct contest_node *n;

	return node_of(st, c, fn, &n);
}

int bloc__store_paths(const bloc_store *st)
{
	return st->opts.paths;
}

/* ---- projecting --------------------------------------------------------------------------- */

/* The EI baseline of each group of the scenario: its per-seat estimates, computed once and
 * cached (a store that names no files, the server's, only reads the cache). */
static int ei_baselines(bloc_store *st, const bloc_contest *c, const bloc_scenario *sc,
                        bloc_group_votes *votes)
{
	bloc_ei_seat_options o;
	size_t g;
	int err;

	bloc_ei_seat_options_scenario(&o, sc);
	o.only_cached = !bloc__store_paths(st);
	for (g = 0; g < sc->ngroups; g++) {
		const bloc_ei_seats *x;
		if ((err = bloc_store_ei_seats(st, c, sc->groups[g].group, &o, &x)) < 0)
			return bloc_error_prefix("baseline ei");
		votes[g].nseats = x->nseats;
		votes[g].nparties = x->C;
		votes[g].parties = x->parties;
		votes[g].share = x->est;
	}
	return BLOC_OK;
}

void bloc_ei_seat_options_scenario(bloc_ei_seat_options *o, const bloc_scenario *sc)
{
	bloc_ei_seat_options_init(o);
	if (sc->ei_seed)
		o->seed = sc->ei_seed;
	if (sc->ei_draws)
		o->draws = sc->ei_draws;
	if (sc->ei_chains)
		o->chains = sc->ei_chains;
	if (sc->ei_burnin)
		o->burnin = sc->ei_burnin;
}

int bloc_store_project(bloc_store *st, bloc_projection *out, const bloc_contest *c,
                       const bloc_scenario *sc, const bloc_group_shares *groups)
{
	bloc_group_votes votes[BLOC_SCENARIO_MAX_GROUPS];
	bloc_projector *pj = NULL;
	size_t i, taken = SIZE_MAX;
	int err;

	if (!st)
		return bloc_project(out, c, sc, groups);
	if (sc->baseline == BLOC_BASELINE_EI && sc->ngroups &&
	    (err = ei_baselines(st, c, sc, votes)) < 0)
		return err;
	pthread_mutex_lock(&st->lock);
	for (i = 0; i < st->nprojectors; i++) {
		if (st->projectors[i].c == c && !st->projectors[i].busy) {
			st->projectors[i].busy = 1;
			pj = st->projectors[i].pj;
			taken = i;
			break;
		}
	}
	pthread_mutex_unlock(&st->lock);
	/* none free: prepare one outside the lock (a failure here only costs the fast path) */
	if (!pj && c && bloc_projector_new(&pj, c, NULL, 1, NULL, 0) < 0)
		pj = NULL;
	err = bloc_project_baselined(
	    out, c, pj, sc, groups, sc->baseline == BLOC_BASELINE_EI && sc->ngroups ? votes : NULL);
	pthread_mutex_lock(&st->lock);
	if (taken != SIZE_MAX) {
		st->projectors[taken].busy = 0;
		pj = NULL;
	} else if (pj && st->nprojectors < st->opts.projectors) {
		st->projectors[st->nprojectors].c = c;
		st->projectors[st->nprojectors].pj = pj;
		st->projectors[st->nprojectors].busy = 0;
		st->nprojectors++;
		pj = NULL;
	}
	pthread_mutex_unlock(&st->lock);
	bloc_projector_free(pj);
	return err;
}

/* ---- files named by the caller ------------------------------------------------------------ */

#define STDIN_MAX (1u << 20)

int bloc_store_scenario_load(bloc_store *st, bloc_scenario *sc, const char *path)
{
	size_t len = 0, n;
	char *buf;
	int err;

	if (!st || !sc || !path)
		return bloc_error_set(BLOC_EINVAL,
		                      "bloc_store_scenario_load: no store, scenario or file");
	if (!st->opts.paths)
		return paths_refused("scenario file", path);
	if (strcmp(path, "-") != 0)
		return bloc_scenario_load(sc, path);
	if (!(buf = bloc_malloc(STDIN_MAX + 1)))
		return bloc_error_oom("reading a scenario from <stdin>");
	while (len <= STDIN_MAX && (n = fread(buf + len, 1, STDIN_MAX + 1 - len, stdin)) > 0)
		len += n;
	if (ferror(stdin))
		err = bloc_error_set(BLOC_EIO, "<stdin>: read error");
	else if (len > STDIN_MAX)
		err = bloc_error_set(
		    BLOC_EINVAL, "<stdin>: too large for a scenario (at most %u bytes)", STDIN_MAX);
	else
		err = bloc_scenario_parse_json(sc, buf, len, "<stdin>");
	bloc_free(buf);
	return err;
}

int bloc_store_ei_units(bloc_store *st, bloc_ei_input *out, const char *path, const char *id,
                        const char *const *groups, size_t R, const char *const *parties, size_t C)
{
	if (!st || !path)
		return bloc_error_set(BLOC_EINVAL, "bloc_store_ei_units: no store or file");
	if (!st->opts.paths)
		return paths_refused("EI units file", path);
	return bloc_ei_load_csv(out, path, id, groups, R, parties, C);
}

int bloc_store_ei_covariates(bloc_store *st, double **out, size_t *ncov, const bloc_ei_input *in,
                             const char *path)
{
	if (!st || !path)
		return bloc_error_set(BLOC_EINVAL, "bloc_store_ei_covariates: no store or file");
	if (!st->opts.paths)
		return paths_refused("EI covariates file", path);
	return bloc_ei_load_covariates(out, ncov, in, path);
}

/* ---- sources ------------------------------------------------------------------------------ */

/* The next " + "-joined file of *src, relative to dir when inside it: sets *file and *len,
 * moves *src past it; returns 0 after the last. */
static int next_source(const char **src, const char *dir, const char **file, size_t *len)
{
	const char *s = *src, *sep;
	size_t skip;

	if (!s)
		return 0;
	sep = strstr(s, " + ");
	*len = sep ? (size_t)(sep - s) : strlen(s);
	/* inside the data directory: say where in it, which reads the same on every machine */
	skip = bloc__path_within(dir, s, *len);
	*file = s + skip;
	*len -= skip;
	*src = sep ? sep + 3 : NULL;
	return 1;
}

int bloc_store_meta_source(const bloc_store *st, bloc_table *t, const char *key,
                           const bloc_contest *c)
{
	const char *dir = bloc_store_dir(st), *src = c->source, *file;
	size_t len;
	int err;

	while (next_source(&src, dir, &file, &len))
		if ((err = bloc_table_meta(t, key, "%.*s", (int)len, file)) < 0)
			return err;
	return BLOC_OK;
}

const char *bloc_store_source_text(const bloc_store *st, const bloc_contest *c, char *buf, size_t n)
{
	const char *dir = bloc_store_dir(st), *src = c->source, *file;
	size_t len, used = 0;

	if (!n)
		return buf;
	buf[0] = '\0';
	while (next_source(&src, dir, &file, &len)) {
		int w = snprintf(buf + used, n - used, "%s%.*s", used ? " + " : "", (int)len, file);
		if (w < 0 || (size_t)w >= n - used)
			break;
		used += (size_t)w;
	}
	return buf;
}

/* Poll files not yet in the upstream catalogue (data/SOURCES.md, "Final polls and MRP
 * projections of the 2024 general election"): known by these ids. */
static const struct {
	const char *id, *path;
} extra_polls[] = {{"polls-ge2024-final", "polls/ge2024-final-polls.csv"},
                   {"mrp-ge2024-final", "polls/ge2024-final-mrp-seats.csv"}};

const char *bloc_store_polls_path(bloc_store *st, const char *name, char **owned)
{
	const bloc_catalog_entry *e = bloc_dataset_find(st->ds, name);
	size_t i;

	*owned = NULL;
	if (e && strcmp(e->kind, "polls") == 0)
		return *owned = bloc__path_join(bloc_dataset_dir(st->ds), e->path);
	for (i = 0; i < sizeof(extra_polls) / sizeof(extra_polls[0]); i++)
		if (strcmp(name, extra_polls[i].id) == 0)
			return *owned =
			           bloc__path_join(bloc_dataset_dir(st->ds), extra_polls[i].path);
	return NULL;
}

int bloc_store_polls(bloc_store *st, const char *name, bloc_polls **out)
{
	char *owned = NULL;
	const char *path;
	int err;

	*out = NULL;
	if (!st || !name)
		return bloc_error_set(BLOC_EINVAL, "bloc_store_polls: no store or name");
	if (!(path = bloc_store_polls_path(st, name, &owned))) {
		if (!st->opts.paths)
			return bloc_error_set(BLOC_ENOTFOUND,
			                      "polls '%.200s': not a poll file of the catalogue "
			                      "(pollbase, polls-ge2024-final)",
			                      name);
		if (!bloc__store_readable(name))
			return bloc_error_set(
			    BLOC_ENOTFOUND,
			    "polls '%.200s': neither a poll file of the catalogue "
			    "(pollbase, polls-ge2024-final) nor a readable file",
			    name);
		path = name;
	}
	err = bloc_polls_load(out, path);
	bloc_free(owned);
	return err;
}

int bloc_store_mrp(bloc_store *st, const char *name, bloc_mrp **out)
{
	char *owned = NULL;
	const char *path;
	int err;

	*out = NULL;
	if (!st || !name)
		return bloc_error_set(BLOC_EINVAL, "bloc_store_mrp: no store or name");
	if (!(path = bloc_store_polls_path(st, name, &owned))) {
		if (!st->opts.paths || !bloc__store_readable(name))
			return bloc_error_set(BLOC_ENOTFOUND,
			                      "'%.200s': neither a seat projection file of the "
			                      "catalogue (mrp-ge2024-final) nor a readable file",
			                      name);
		path = name;
	}
	err = bloc_mrp_load(out, path);
	bloc_free(owned);
	return err;
}

int bloc_store_by_changes(bloc_store *st, const char *name, bloc_by_changes **out)
{
	const bloc_catalog_entry *e;
	char *path;
	int err;

	*out = NULL;
	if (!(e = bloc_dataset_find(st->ds, name)) || strcmp(e->kind, "by-election-changes") != 0)
		return bloc_error_set(BLOC_ENOTFOUND,
		                      "'%.200s': not a catalogue file of by-election changes "
		                      "(by1945-2019-changes)",
		                      name);
	if (!(path = bloc__path_join(bloc_dataset_dir(st->ds), e->path)))
		return bloc_error_oom("reading %s", e->path);
	err = bloc_by_changes_load(out, path);
	bloc_free(path);
	return err;
}
