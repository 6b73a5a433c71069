/* The per-seat R x C estimate of one census group in a contest, run once and kept: in the store
 * (a list of entries under the store's lock, each read-only once kept) and on disk, one file per
 * run in the cache directory, named by a key that hashes everything that decides the numbers.
 *
 * A cache file is text: the key's lines (compared whole on reading, so a file is never taken
 * for another run's), the parties, the run's diagnostics, the aggregate cells, one line per seat
 * with every double at %.17g (strtod reads each back to the same bits), and a last line with
 * the FNV-1a 64 checksum of everything before it (a truncated or edited file is recomputed). */
#include "bloc/store.h"

#include "bloc/bloc.h"
#include "bloc/error.h"
#include "../core/alloc.h"
#include "../util/hash.h"
#include "../util/num.h"
#include "../util/path.h"
#include "store_int.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Bump when the file's layout or what the key holds changes. */
#define FORMAT 1
#define MAGIC  "bloc-ei-seats"
/* A cache file is about 1 MB for a general election; anything far larger is not ours. */
#define FILE_MAX ((size_t)64 << 20)
/* The last line, "end " and 16 hex digits of the checksum */
#define END_LEN 21

struct bloc__ei_entry {
	struct bloc__ei_entry *next;
	const bloc_contest *c;
	long group;
	int private_; /* a no_cache run: kept only to stay valid, never handed to another call */
	bloc_ei_seats x;
};

/* ---- options ------------------------------------------------------------------------------ */

void bloc_ei_seat_options_init(bloc_ei_seat_options *o)
{
	const bloc_ei_seat_options d = BLOC_EI_SEAT_OPTIONS_INIT;

	*o = d;
}

static int check_options(const bloc_ei_seat_options *o)
{
	if (o->version != BLOC_EI_SEAT_OPTIONS_VERSION)
		return bloc_error_set(BLOC_EINVAL,
		                      "bloc_store_ei_seats: options of version %u, expected %u "
		                      "(BLOC_EI_SEAT_OPTIONS_INIT)",
		                      o->version, BLOC_EI_SEAT_OPTIONS_VERSION);
	if (o->chains < 1 || o->chains > 64 || o->draws < 1 ||
	    !(o->target_ess > 0 && isfinite(o->target_ess)) ||
	    !(o->threshold >= 0 && o->threshold < 1))
		return bloc_error_set(
		    BLOC_EINVAL,
		    "bloc_store_ei_seats: chains 1 to 64, draws at least 1, a "
		    "positive target ESS and a threshold in 0..1 expected, got %zu, "
		    "%zu, %g and %g",
		    o->chains, o->draws, o->target_ess, o->threshold);
	if (o->only_cached && o->no_cache)
		return bloc_error_set(BLOC_EINVAL,
		                      "bloc_store_ei_seats: only_cached and no_cache together");
	return BLOC_OK;
}

static int same_run(const bloc_ei_seat_options *a, const bloc_ei_seat_options *b)
{
	return a->seed == b->seed && a->draws == b->draws && a->chains == b->chains &&
	       a->burnin == b->burnin && a->target_ess == b->target_ess &&
	       a->threshold == b->threshold;
}

static void rxc_options(bloc_ei_rxc_options *r, const bloc_ei_seat_options *o)
{
	bloc_ei_rxc_options_init(r);
	r->seed = o->seed;
	r->max_sweeps = o->draws;
	r->chains = o->chains;
	r->burnin = o->burnin;
	r->target_ess = o->target_ess;
	r->threads = o->threads;
}

/* Does the shell need s quoted? */
static int needs_quotes(const char *s)
{
	if (!*s)
		return 1;
	for (; *s; s++)
		if (!strchr(
		        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._:/=,+-",
		        *s))
			return 1;
	return 0;
}

const char *bloc_ei_seats_command(const char *contest, const char *group,
                                  const bloc_ei_seat_options *o, char *buf, size_t n)
{
	bloc_ei_seat_options d = BLOC_EI_SEAT_OPTIONS_INIT;
	char num[40];
	size_t used;

	if (!n)
		return buf;
	if (!o)
		o = &d;
	snprintf(buf, n,
	         needs_quotes(contest) ? "bloc ei '%s' --groups %s" : "bloc ei %s --groups %s",
	         contest, group);
#define ADD(...)                                                                                   \
	do {                                                                                       \
		used = strlen(buf);                                                                \
		snprintf(buf + used, n - used, __VA_ARGS__);                                       \
	} while (0)
	ADD(" --method rxc --by seat");
	if (o->threshold != d.threshold) {
		ADD(" --threshold %s", bloc__real_text(num, sizeof(num), o->threshold));
	}
	if (o->seed != d.seed)
		ADD(" --seed %llu", (unsigned long long)o->seed);
	if (o->draws != d.draws)
		ADD(" --draws %zu", o->draws);
	if (o->chains != d.chains)
		ADD(" --chains %zu", o->chains);
	if (o->burnin != d.burnin)
		ADD(" --burnin %zu", o->burnin);
	if (o->target_ess != d.target_ess) {
		ADD(" --target-ess %s", bloc__real_text(num, sizeof(num), o->target_ess));
	}
#undef ADD
	return buf;
}

/* ---- the cache directory ------------------------------------------------------------------ */

const char *bloc_ei_cache_dir(char *buf, size_t n)
{
	const char *env;
	int w;

	if ((env = getenv("BLOC_CACHE")) && *env)
		w = snprintf(buf, n, "%s", env);
	else if ((env = getenv("XDG_CACHE_HOME")) && *env == '/') /* relative: ignored (XDG) */
		w = snprintf(buf, n, "%s/bloc", env);
	else if ((env = getenv("HOME")) && *env)
		w = snprintf(buf, n, "%s/.cache/bloc", env);
	else
		return NULL;
	return w > 0 && (size_t)w < n ? buf : NULL;
}

/* mkdir -p; 0 or -1 with errno. */
static int make_dirs(const char *dir)
{
	char path[4096];
	size_t i, len = strlen(dir);
	struct stat sb;

	if (len == 0 || len >= sizeof(path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(path, dir, len + 1);
	for (i = 1; i <= len; i++) {
		if (path[i] != '/' && path[i] != '\0')
			continue;
		path[i] = '\0';
		if (mkdir(path, 0777) != 0 && errno != EEXIST)
			return -1;
		path[i] = dir[i];
	}
	if (stat(dir, &sb) != 0)
		return -1;
	if (!S_ISDIR(sb.st_mode)) {
		errno = ENOTDIR;
		return -1;
	}
	return 0;
}

/* ---- hashing ------------------------------------------------------------------------------ */

/* The FNV-1a 64 of a file's bytes and its size; -1 (no message) when it cannot be read. */
static int hash_file(const char *path, uint64_t *h, size_t *size)
{
	unsigned char chunk[65536];
	FILE *fp;
	size_t got;
	int bad;

	*h = BLOC__FNV_OFFSET;
	*size = 0;
	if (bloc__open_read(&fp, path) < 0) {
		bloc_error_clear();
		return -1;
	}
	while ((got = fread(chunk, 1, sizeof(chunk), fp)) > 0) {
		*h = bloc__fnv1a(*h, chunk, got);
		*size += got;
	}
	bad = ferror(fp);
	fclose(fp);
	return bad ? -1 : 0;
}

/* "NAME REL SIZE HASH" for each " + "-joined file of `list` (relative to dir when inside it;
 * joined to dir first when `relative`). */
static void key_files(bloc_buf *b, const char *name, const char *list, const char *dir,
                      int relative)
{
	const char *s = list, *sep;
	char *path, *file;
	uint64_t h;
	size_t len, size, skip;

	while (s && *s) {
		sep = strstr(s, " + ");
		len = sep ? (size_t)(sep - s) : strlen(s);
		if (!(file = bloc_strndup(s, len))) {
			bloc_buf_puts(b, "\x01"); /* poisons the key: the caller sees ENOMEM */
			return;
		}
		path = relative ? bloc__path_join(dir, file) : NULL;
		skip = relative ? 0 : bloc__path_within(dir, file, len);
		if (relative && !path) {
			bloc_free(file);
			bloc_buf_puts(b, "\x01");
			return;
		}
		if (hash_file(path ? path : file, &h, &size) == 0)
			bloc_buf_printf(b, "%s %s %zu %016llx\n", name, file + skip, size,
			                (unsigned long long)h);
		else /* standard input, a file gone: the input's hash still decides */
			bloc_buf_printf(b, "%s %s unreadable\n", name, file + skip);
		bloc_free(path);
		bloc_free(file);
		s = sep ? sep + 3 : NULL;
	}
}

/* The EI input's names and numbers, exactly as the sampler gets them. */
static uint64_t hash_input(const bloc_ei_input *in)
{
	uint64_t h = BLOC__FNV_OFFSET;
	size_t i;

	h = bloc__fnv1a(h, &in->n, sizeof(in->n));
	h = bloc__fnv1a(h, &in->R, sizeof(in->R));
	h = bloc__fnv1a(h, &in->C, sizeof(in->C));
	for (i = 0; i < in->n; i++)
		h = bloc__fnv1a(h, in->unit[i], strlen(in->unit[i]) + 1);
	for (i = 0; i < in->R; i++)
		h = bloc__fnv1a(h, in->group[i], strlen(in->group[i]) + 1);
	for (i = 0; i < in->C; i++)
		h = bloc__fnv1a(h, in->party[i], strlen(in->party[i]) + 1);
	h = bloc__fnv1a(h, in->gcount, in->n * in->R * sizeof(double));
	h = bloc__fnv1a(h, in->pcount, in->n * in->C * sizeof(double));
	return bloc__fnv1a(h, in->total, in->n * sizeof(double));
}

/* The sampler's fingerprint: a tiny fixed run (2 groups, 7 parties, 12 units, 2 chains of 40
 * sweeps, well under a millisecond), hashed; computed once per process. A sampler that changes
 * its numbers changes it, so no cache file of an older sampler is ever read. */
static pthread_mutex_t fp_lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t fp_value;
static int fp_done;

static int sampler_fingerprint(uint64_t *out)
{
	bloc_ei_synth_options so;
	bloc_ei_rxc_options ro;
	bloc_ei_synth s;
	bloc_ei_rxc x;
	uint64_t h = BLOC__FNV_OFFSET;
	size_t RC, nRC;
	int err;

	pthread_mutex_lock(&fp_lock);
	if (fp_done) {
		*out = fp_value;
		pthread_mutex_unlock(&fp_lock);
		return BLOC_OK;
	}
	memset(&s, 0, sizeof(s));
	memset(&x, 0, sizeof(x));
	bloc_ei_synth_options_init(&so);
	so.units = 12;
	so.groups = 2;
	so.parties = 7;
	so.seed = 7;
	so.total = 500;
	bloc_ei_rxc_options_init(&ro);
	ro.chains = 2;
	ro.threads = 1;
	ro.seed = 3;
	ro.burnin = 20;
	ro.batch = 10;
	ro.max_sweeps = 20;
	ro.target_ess = 1e9; /* never met: exactly max_sweeps */
	ro.unit_draws = 4;
	if ((err = bloc_ei_synth_make(&s, &so)) < 0 || (err = bloc_ei_rxc_fit(&x, &s.in, &ro)) < 0)
		goto done;
	RC = x.R * x.C;
	nRC = x.n * RC;
	h = bloc__fnv1a(h, &x.sweeps, sizeof(x.sweeps));
	h = bloc__fnv1a(h, x.est, RC * sizeof(double));
	h = bloc__fnv1a(h, x.sd, RC * sizeof(double));
	h = bloc__fnv1a(h, x.lo95, RC * sizeof(double));
	h = bloc__fnv1a(h, x.hi95, RC * sizeof(double));
	h = bloc__fnv1a(h, x.alpha, RC * sizeof(double));
	h = bloc__fnv1a(h, x.unit_est, nRC * sizeof(double));
	h = bloc__fnv1a(h, x.unit_lo95, nRC * sizeof(double));
	h = bloc__fnv1a(h, x.unit_hi95, nRC * sizeof(double));
	fp_value = h;
	fp_done = 1;
	*out = h;
done:
	pthread_mutex_unlock(&fp_lock);
	bloc_ei_rxc_dispose(&x);
	bloc_ei_synth_dispose(&s);
	return err < 0 ? bloc_error_prefix("the EI cache's sampler fingerprint") : BLOC_OK;
}

/* The key's text: every line decides the numbers. */
static int key_text(bloc_buf *b, bloc_store *st, const bloc_contest *c, const bloc_group_shares *g,
                    const bloc_ei_input *in, const bloc_ei_seat_options *o)
{
	bloc_ei_rxc_options r;
	uint64_t fp = 0;
	int err;

	if ((err = sampler_fingerprint(&fp)) < 0)
		return err;
	rxc_options(&r, o);
	bloc_buf_printf(b, "%s %d\nbloc %s\nsampler %016llx\ncontest %s\nseats %zu\n", MAGIC,
	                FORMAT, bloc_version(), (unsigned long long)fp, c->id ? c->id : "-",
	                c->nseats);
	key_files(b, "results", c->source, bloc_store_dir(st), 0);
	key_files(b, "census", g->source, bloc_store_dir(st), 1);
	bloc_buf_printf(b, "census_of %s\ngroup %s\nthreshold %.17g\nabstention 0\n", g->census,
	                g->group, o->threshold);
	bloc_buf_printf(b,
	                "seed %llu\ndraws %zu\nchains %zu\nburnin %zu\ntarget_ess %.17g\n"
	                "batch %zu\nthin %zu\nrhat_max %.17g\nprior %.17g %.17g\nunit_draws %zu\n",
	                (unsigned long long)r.seed, r.max_sweeps, r.chains, r.burnin, r.target_ess,
	                r.batch, r.thin, r.rhat_max, r.lambda1, r.lambda2, r.unit_draws);
	bloc_buf_printf(b, "input %zu %zu %zu %016llx\n", in->n, in->R, in->C,
	                (unsigned long long)hash_input(in));
	if ((err = bloc_buf_check(b)) < 0)
		return err;
	if (strchr(bloc_buf_cstr(b), '\x01'))
		return bloc_error_oom("hashing the files of %s", c->id ? c->id : "a contest");
	return BLOC_OK;
}

/* ---- the estimate ------------------------------------------------------------------------- */

/* Free x's arrays (a half-read file's too), keeping its names, settings and warning. */
static void drop_arrays(bloc_ei_seats *x)
{
	double **a[] = {&x->est,         &x->lo95,       &x->hi95,     &x->other_est,
	                &x->other_lo95,  &x->other_hi95, &x->agg_est,  &x->agg_sd,
	                &x->agg_lo95,    &x->agg_hi95,   &x->agg_rhat, &x->agg_ess,
	                &x->group_votes, &x->other_votes};
	size_t k;

	for (k = 0; k < sizeof(a) / sizeof(a[0]); k++) {
		bloc_free(*a[k]);
		*a[k] = NULL;
	}
	bloc_free(x->parties);
	x->parties = NULL;
}

static void seats_dispose(bloc_ei_seats *x)
{
	drop_arrays(x);
	bloc_free(x->warning);
	memset(x, 0, sizeof(*x));
}

void bloc__ei_entries_free(struct bloc__ei_entry *list)
{
	struct bloc__ei_entry *e, *next;

	for (e = list; e; e = next) {
		next = e->next;
		seats_dispose(&e->x);
		bloc_free(e);
	}
}

/* Allocate x's arrays for nseats x C, seat values NaN. */
static int seats_alloc(bloc_ei_seats *x, size_t nseats, size_t C)
{
	double **seat[] = {&x->est,       &x->lo95,       &x->hi95,
	                   &x->other_est, &x->other_lo95, &x->other_hi95};
	double **agg[] = {&x->agg_est,  &x->agg_sd,   &x->agg_lo95,
	                  &x->agg_hi95, &x->agg_rhat, &x->agg_ess};
	size_t k, i, nC;

	x->nseats = nseats;
	x->C = C;
	if (bloc_mul_overflow(nseats ? nseats : 1, C, &nC))
		return bloc_error_set(BLOC_ENOMEM, "EI cache: %zu seats x %zu parties", nseats, C);
	if (!(x->parties = bloc_calloc(C, sizeof(*x->parties))) ||
	    !(x->group_votes = bloc_malloc((nseats ? nseats : 1) * sizeof(double))) ||
	    !(x->other_votes = bloc_malloc((nseats ? nseats : 1) * sizeof(double))))
		return bloc_error_oom("keeping an EI estimate of %zu seats", nseats);
	for (k = 0; k < 6; k++) {
		if (!(*seat[k] = bloc_malloc(nC * sizeof(double))) ||
		    !(*agg[k] = bloc_calloc(2 * C, sizeof(double))))
			return bloc_error_oom("keeping an EI estimate of %zu seats", nseats);
		for (i = 0; i < nC; i++)
			(*seat[k])[i] = NAN;
	}
	for (i = 0; i < nseats; i++)
		x->group_votes[i] = x->other_votes[i] = NAN;
	return BLOC_OK;
}

/* Run the sampler on `in` and fill x (seats in c's order). */
static int compute(bloc_ei_seats *x, const bloc_contest *c, const bloc_ei_input *in,
                   const bloc_ei_seat_options *o)
{
	bloc_ei_rxc_options ro;
	bloc_ei_rxc fit;
	size_t u, s, k, C = in->C;
	int err;

	memset(&fit, 0, sizeof(fit));
	rxc_options(&ro, o);
	if ((err = bloc_ei_rxc_fit(&fit, in, &ro)) < 0 || (err = seats_alloc(x, c->nseats, C)) < 0)
		goto done;
	for (k = 0; k < C; k++)
		if (bloc_party_lookup(in->party[k], &x->parties[k]) < 0) {
			err = bloc_error_set(
			    BLOC_EINVAL, "EI cache: party '%s' not in the registry", in->party[k]);
			goto done;
		}
	/* the units are the seats with census data, in the contest's order */
	for (u = 0, s = 0; u < in->n; u++, s++) {
		while (s < c->nseats && strcmp(c->code[s], in->unit[u]) != 0)
			s++;
		if (s == c->nseats) {
			err = bloc_error_set(BLOC_EINVAL, "EI cache: unit %s is not a seat of %s",
			                     in->unit[u], c->id ? c->id : "the contest");
			goto done;
		}
		for (k = 0; k < C; k++) {
			size_t g = (u * 2) * C + k, r = (u * 2 + 1) * C + k;
			x->est[s * C + k] = fit.unit_est[g];
			x->lo95[s * C + k] = fit.unit_lo95[g];
			x->hi95[s * C + k] = fit.unit_hi95[g];
			x->other_est[s * C + k] = fit.unit_est[r];
			x->other_lo95[s * C + k] = fit.unit_lo95[r];
			x->other_hi95[s * C + k] = fit.unit_hi95[r];
		}
		x->group_votes[s] = in->gcount[u * 2];
		x->other_votes[s] = in->gcount[u * 2 + 1];
	}
	memcpy(x->agg_est, fit.est, 2 * C * sizeof(double));
	memcpy(x->agg_sd, fit.sd, 2 * C * sizeof(double));
	memcpy(x->agg_lo95, fit.lo95, 2 * C * sizeof(double));
	memcpy(x->agg_hi95, fit.hi95, 2 * C * sizeof(double));
	memcpy(x->agg_rhat, fit.rhat, 2 * C * sizeof(double));
	memcpy(x->agg_ess, fit.ess, 2 * C * sizeof(double));
	x->draws = fit.draws;
	x->sweeps = fit.sweeps;
	x->converged = fit.converged;
	x->accept_ridge = fit.accept_ridge;
	x->accept_theta = fit.accept_theta;
	x->accept_alpha = fit.accept_alpha;
	x->accept_collective = fit.accept_collective;
done:
	bloc_ei_rxc_dispose(&fit);
	return err;
}

/* The largest R-hat and the smallest ESS of the aggregate cells (NaN cells left out). */
static void summarise(bloc_ei_seats *x)
{
	size_t k;

	x->max_rhat = x->min_ess = NAN;
	for (k = 0; k < 2 * x->C; k++) {
		if (!isnan(x->agg_rhat[k]) && !(x->agg_rhat[k] <= x->max_rhat))
			x->max_rhat = x->agg_rhat[k];
		if (!isnan(x->agg_ess[k]) && !(x->agg_ess[k] >= x->min_ess))
			x->min_ess = x->agg_ess[k];
	}
}

/* ---- the file ----------------------------------------------------------------------------- */

static void put_reals(bloc_buf *b, const double *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		bloc_buf_printf(b, " %.17g", v[i]);
}

/* The file's text: the key, then x; the checksum last. */
static int file_text(bloc_buf *b, const char *key, const bloc_ei_seats *x, const bloc_contest *c)
{
	size_t k, s, C = x->C;
	uint64_t h;

	bloc_buf_printf(b, "%skey %s\nparties", key, x->key);
	for (k = 0; k < C; k++)
		bloc_buf_printf(b, " %s", bloc_party_code(x->parties[k]));
	bloc_buf_printf(b, "\nshape %zu %zu\nrun %zu %zu %zu %zu %d\ndiag", x->nseats, C, x->units,
	                x->skipped, x->draws, x->sweeps, x->converged);
	bloc_buf_printf(b, " %.17g %.17g %.17g %.17g\n", x->accept_ridge, x->accept_theta,
	                x->accept_alpha, x->accept_collective);
	for (k = 0; k < 2 * C; k++)
		bloc_buf_printf(b, "agg %.17g %.17g %.17g %.17g %.17g %.17g\n", x->agg_est[k],
		                x->agg_sd[k], x->agg_lo95[k], x->agg_hi95[k], x->agg_rhat[k],
		                x->agg_ess[k]);
	for (s = 0; s < x->nseats; s++) {
		bloc_buf_printf(b, "seat %s %.17g %.17g", c->code[s], x->group_votes[s],
		                x->other_votes[s]);
		put_reals(b, x->est + s * C, C);
		put_reals(b, x->lo95 + s * C, C);
		put_reals(b, x->hi95 + s * C, C);
		put_reals(b, x->other_est + s * C, C);
		put_reals(b, x->other_lo95 + s * C, C);
		put_reals(b, x->other_hi95 + s * C, C);
		bloc_buf_puts(b, "\n");
	}
	if (bloc_buf_check(b) < 0)
		return bloc_buf_check(b);
	h = bloc__fnv1a(BLOC__FNV_OFFSET, bloc_buf_cstr(b), b->len);
	bloc_buf_printf(b, "end %016llx\n", (unsigned long long)h);
	return bloc_buf_check(b);
}

/* A reader over the file's text: *why says what was wrong. */
struct cursor {
	const char *p, *end;
	const char *why;
};

/* The next word (up to a space or a newline) as [*w, *w + *n). */
static int word(struct cursor *q, const char **w, size_t *n)
{
	const char *s = q->p;

	while (s < q->end && *s != ' ' && *s != '\n')
		s++;
	if (s == q->p || s == q->end) {
		q->why = "a line is cut short";
		return -1;
	}
	*w = q->p;
	*n = (size_t)(s - q->p);
	q->p = *s == ' ' ? s + 1 : s;
	return 0;
}

static int expect_word(struct cursor *q, const char *want)
{
	const char *w;
	size_t n;

	if (word(q, &w, &n) < 0)
		return -1;
	if (n != strlen(want) || memcmp(w, want, n) != 0) {
		q->why = "a line that is not where it should be";
		return -1;
	}
	return 0;
}

static int end_line(struct cursor *q)
{
	if (q->p >= q->end || *q->p != '\n') {
		q->why = "more on a line than expected";
		return -1;
	}
	q->p++;
	return 0;
}

static int real(struct cursor *q, double *v)
{
	char buf[64], *e;
	const char *w;
	size_t n;

	if (word(q, &w, &n) < 0)
		return -1;
	if (n >= sizeof(buf)) {
		q->why = "a number too long";
		return -1;
	}
	memcpy(buf, w, n);
	buf[n] = '\0';
	*v = strtod(buf, &e);
	if (*e) {
		q->why = "a number that is not one";
		return -1;
	}
	return 0;
}

static int whole(struct cursor *q, size_t *v)
{
	double d;

	if (real(q, &d) < 0)
		return -1;
	if (!(d >= 0 && d <= 1e15 && d == floor(d))) {
		q->why = "a count that is not a whole number";
		return -1;
	}
	*v = (size_t)d;
	return 0;
}

static int reals(struct cursor *q, double *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (real(q, &v[i]) < 0)
			return -1;
	return 0;
}

/* Parse the file's text after its key into x (for c's seats): 0, or -1 with q->why. */
static int parse_body(struct cursor *q, bloc_ei_seats *x, const bloc_contest *c)
{
	bloc_party parties[BLOC_EI_MAX_PARTIES];
	size_t k, s, C = 0, nseats, conv;
	const char *w;
	size_t n;
	char code[32];

	if (expect_word(q, "parties") < 0)
		return -1;
	while (q->p < q->end && *q->p != '\n') {
		if (word(q, &w, &n) < 0)
			return -1;
		if (C == BLOC_EI_MAX_PARTIES || n >= sizeof(code)) {
			q->why = "too many parties";
			return -1;
		}
		memcpy(code, w, n);
		code[n] = '\0';
		if (bloc_party_lookup(code, &parties[C++]) < 0) {
			q->why = "an unknown party";
			return -1;
		}
	}
	if (end_line(q) < 0 || expect_word(q, "shape") < 0 || whole(q, &nseats) < 0 ||
	    whole(q, &k) < 0 || end_line(q) < 0)
		return -1;
	if (nseats != c->nseats || k != C || C < 2) {
		q->why = "a shape that is not the contest's";
		return -1;
	}
	if (seats_alloc(x, nseats, C) < 0) {
		bloc_error_clear();
		q->why = "out of memory";
		return -1;
	}
	memcpy(x->parties, parties, C * sizeof(*parties));
	if (expect_word(q, "run") < 0 || whole(q, &x->units) < 0 || whole(q, &x->skipped) < 0 ||
	    whole(q, &x->draws) < 0 || whole(q, &x->sweeps) < 0 || whole(q, &conv) < 0 ||
	    end_line(q) < 0 || expect_word(q, "diag") < 0 || real(q, &x->accept_ridge) < 0 ||
	    real(q, &x->accept_theta) < 0 || real(q, &x->accept_alpha) < 0 ||
	    real(q, &x->accept_collective) < 0 || end_line(q) < 0)
		return -1;
	x->converged = conv != 0;
	for (k = 0; k < 2 * C; k++)
		if (expect_word(q, "agg") < 0 || real(q, &x->agg_est[k]) < 0 ||
		    real(q, &x->agg_sd[k]) < 0 || real(q, &x->agg_lo95[k]) < 0 ||
		    real(q, &x->agg_hi95[k]) < 0 || real(q, &x->agg_rhat[k]) < 0 ||
		    real(q, &x->agg_ess[k]) < 0 || end_line(q) < 0)
			return -1;
	for (s = 0; s < nseats; s++) {
		if (expect_word(q, "seat") < 0 || expect_word(q, c->code[s]) < 0 ||
		    real(q, &x->group_votes[s]) < 0 || real(q, &x->other_votes[s]) < 0 ||
		    reals(q, x->est + s * C, C) < 0 || reals(q, x->lo95 + s * C, C) < 0 ||
		    reals(q, x->hi95 + s * C, C) < 0 || reals(q, x->other_est + s * C, C) < 0 ||
		    reals(q, x->other_lo95 + s * C, C) < 0 ||
		    reals(q, x->other_hi95 + s * C, C) < 0 || end_line(q) < 0)
			return -1;
	}
	if (q->p != q->end) {
		q->why = "more lines than the contest has seats";
		return -1;
	}
	return 0;
}

/* Read the whole file (regular files only, at most FILE_MAX). 0; 1 when it does not exist;
 * -1 with *why. *text is the caller's. */
static int slurp(const char *path, char **text, size_t *len, const char **why)
{
	FILE *fp;
	size_t cap = 1 << 20, got;
	char *buf;

	*text = NULL;
	*len = 0;
	if (bloc__open_read(&fp, path) < 0) {
		int missing = errno == ENOENT || errno == ENOTDIR;
		bloc_error_clear();
		*why = "it cannot be opened";
		return missing ? 1 : -1;
	}
	if (!(buf = bloc_malloc(cap + 1))) {
		bloc_error_clear();
		fclose(fp);
		*why = "out of memory";
		return -1;
	}
	while ((got = fread(buf + *len, 1, cap - *len, fp)) > 0) {
		*len += got;
		if (*len == cap) {
			char *more;
			if (cap >= FILE_MAX) {
				*why = "it is far too large";
				goto fail;
			}
			if (!(more = bloc_realloc(buf, cap * 2 + 1))) {
				bloc_error_clear();
				*why = "out of memory";
				goto fail;
			}
			buf = more;
			cap *= 2;
		}
	}
	if (ferror(fp)) {
		*why = "it cannot be read";
		goto fail;
	}
	fclose(fp);
	buf[*len] = '\0';
	*text = buf;
	return 0;
fail:
	fclose(fp);
	bloc_free(buf);
	return -1;
}

/* Read the cache file at path into x: 0 read; 1 no such file; -1 unusable (*why). */
static int read_file(const char *path, const char *key, bloc_ei_seats *x, const bloc_contest *c,
                     const char **why)
{
	struct cursor q;
	const char *last;
	char *text, tail[40];
	size_t len, klen = strlen(key), body;
	int rc;

	if ((rc = slurp(path, &text, &len, why)) != 0)
		return rc;
	rc = -1;
	/* the last line: "end HASH\n", the checksum of everything before it */
	if (len < END_LEN || text[len - 1] != '\n') {
		*why = "it is truncated";
		goto done;
	}
	last = text + len - END_LEN;
	body = (size_t)(last - text);
	snprintf(tail, sizeof(tail), "end %016llx\n",
	         (unsigned long long)bloc__fnv1a(BLOC__FNV_OFFSET, text, body));
	if (memcmp(last, tail, END_LEN) != 0 || (body > 0 && text[body - 1] != '\n')) {
		*why = memcmp(last, "end ", 4) == 0 ? "its checksum does not match"
		                                    : "it is truncated";
		goto done;
	}
	if (body < klen || memcmp(text, key, klen) != 0) {
		*why = "it was written for another run (its key differs)";
		goto done;
	}
	q.p = text + klen;
	q.end = text + body;
	q.why = NULL;
	if (expect_word(&q, "key") < 0 || expect_word(&q, x->key) < 0 || end_line(&q) < 0 ||
	    parse_body(&q, x, c) < 0) {
		*why = q.why;
		goto done;
	}
	rc = 0;
done:
	bloc_free(text);
	return rc;
}

/* Write text atomically to path (a temporary file beside it, renamed): 0, or -1 with errno. */
static int write_file(const char *path, const char *text, size_t len)
{
	static unsigned long counter;
	char tmp[4200];
	unsigned long k = __atomic_add_fetch(&counter, 1, __ATOMIC_RELAXED);
	size_t done = 0;
	ssize_t w;
	int fd, saved;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp.%ld.%lu", path, (long)getpid(), k) >=
	    (int)sizeof(tmp)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666)) < 0)
		return -1;
	while (done < len) {
		if ((w = write(fd, text + done, len - done)) < 0) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		done += (size_t)w;
	}
	if (close(fd) != 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) != 0)
		goto fail;
	return 0;
fail:
	saved = errno;
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	errno = saved;
	return -1;
}

/* ---- the call ----------------------------------------------------------------------------- */

/* Add a sentence to x->warning ("; "-joined). */
static void warn(bloc_ei_seats *x, const char *fmt, ...) BLOC_PRINTF(2, 3);
static void warn(bloc_ei_seats *x, const char *fmt, ...)
{
	char line[1024];
	size_t had = x->warning ? strlen(x->warning) : 0, n;
	char *w;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	n = strlen(line);
	if (!(w = bloc_realloc(x->warning, had + n + 3)))
		return; /* a warning lost to a lack of memory is not worth failing for */
	if (had)
		memcpy(w + had, "; ", 2), had += 2;
	memcpy(w + had, line, n + 1);
	x->warning = w;
}

/* The kept entry of (c, group, settings) (call with the lock held). */
static struct bloc__ei_entry *find(bloc_store *st, const bloc_contest *c, long group,
                                   const bloc_ei_seat_options *o)
{
	struct bloc__ei_entry *e;

	for (e = *bloc__store_ei(st); e; e = e->next)
		if (!e->private_ && e->c == c && e->group == group && same_run(&e->x.opts, o))
			return e;
	return NULL;
}

/* The file's name: ei-CONTEST-GROUP-KEY.txt, the contest's id reduced to [A-Za-z0-9._-]. */
static void file_name(bloc_ei_seats *x, const bloc_contest *c, const char *group)
{
	char id[48];
	const char *s = c->id ? c->id : "contest";
	size_t i;

	for (i = 0; *s && i < sizeof(id) - 1; s++, i++)
		id[i] =
		    strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-", *s)
		        ? *s
		        : '_';
	id[i] = '\0';
	snprintf(x->file, sizeof(x->file), "ei-%s-%s-%s.txt", id, group, x->key);
}

/* The estimate for the settings, from the disk cache or the sampler, into x. */
static int load_or_run(bloc_store *st, const bloc_contest *c, const bloc_group_shares *g,
                       const bloc_ei_seat_options *o, bloc_ei_seats *x)
{
	bloc_ei_input in;
	bloc_buf key = BLOC_BUF_INIT, file = BLOC_BUF_INIT;
	char dirbuf[4096], cmd[512], *path = NULL;
	const char *dir = NULL, *why = NULL, *shown;
	int err, rc = 1;

	memset(&in, 0, sizeof(in));
	if ((err = bloc_ei_from_contest(&in, c, g, 1, o->threshold, 0)) < 0 ||
	    (err = key_text(&key, st, c, g, &in, o)) < 0)
		goto done;
	snprintf(x->key, sizeof(x->key), "%016llx",
	         (unsigned long long)bloc__fnv1a(BLOC__FNV_OFFSET, bloc_buf_cstr(&key), key.len));
	file_name(x, c, g->group);
	x->units = in.n;
	x->skipped = in.skipped;
	if (!o->no_cache && (dir = bloc_ei_cache_dir(dirbuf, sizeof(dirbuf))) &&
	    !(path = bloc__path_join(dir, x->file))) {
		err = bloc_error_oom("naming the EI cache file %s", x->file);
		goto done;
	}
	/* the server (no paths) names the file only: its answers never show where things live */
	shown = path && bloc__store_paths(st) ? path : x->file;
	if (path && (rc = read_file(path, bloc_buf_cstr(&key), x, c, &why)) == 0) {
		x->from_cache = 1;
		goto done;
	}
	if (rc < 0) {
		drop_arrays(x); /* what was half read */
		warn(x, "EI cache file %s: %s; ignored and recomputed", shown, why);
	}
	if (o->only_cached) {
		err = bloc_error_set(BLOC_ENOTFOUND,
		                     "no R x C estimate of %s voters in %s at these settings is "
		                     "cached%s%s%s (it takes minutes); compute it once with: %s",
		                     g->group, c->id ? c->id : "the contest",
		                     rc < 0 ? " (its file is unusable: " : "", rc < 0 ? why : "",
		                     rc < 0 ? ")" : "",
		                     bloc_ei_seats_command(c->id ? c->id : "CONTEST", g->group, o,
		                                           cmd, sizeof(cmd)));
		goto done;
	}
	if ((err = compute(x, c, &in, o)) < 0)
		goto done;
	x->units = in.n;
	x->skipped = in.skipped;
	if (o->no_cache)
		goto done;
	if (!dir) {
		warn(x, "no cache directory (set BLOC_CACHE, XDG_CACHE_HOME or HOME): the EI "
		        "estimate was not cached");
		goto done;
	}
	if ((err = file_text(&file, bloc_buf_cstr(&key), x, c)) < 0)
		goto done;
	if (make_dirs(dir) != 0 || write_file(path, bloc_buf_cstr(&file), file.len) != 0)
		warn(x, "cannot write the EI cache file %s (%s): the estimate was not cached",
		     shown, strerror(errno));
	else
		x->written = 1;
done:
	bloc_buf_dispose(&file);
	bloc_buf_dispose(&key);
	bloc_free(path);
	bloc_ei_input_dispose(&in);
	return err;
}

int bloc_store_ei_seats(bloc_store *st, const bloc_contest *c, const char *group,
                        const bloc_ei_seat_options *o, const bloc_ei_seats **out)
{
	bloc_ei_seat_options d = BLOC_EI_SEAT_OPTIONS_INIT;
	const bloc_group_shares *g;
	struct bloc__ei_entry *e, *kept;
	long gi;
	int err;

	if (out)
		*out = NULL;
	if (!st || !c || !group || !out)
		return bloc_error_set(BLOC_EINVAL,
		                      "bloc_store_ei_seats: no store, contest, group or result");
	if (!o)
		o = &d;
	if ((err = check_options(o)) < 0 ||
	    (err = bloc__store_check_contest(st, c, "bloc_store_ei_seats")) < 0 ||
	    (err = bloc_store_group_shares(st, c, group, &g)) < 0)
		return err;
	gi = bloc_group_find(group);
	if (!o->no_cache) {
		bloc__store_lock(st);
		e = find(st, c, gi, o);
		bloc__store_unlock(st);
		if (e) {
			*out = &e->x;
			return BLOC_OK;
		}
	}
	if (!(e = bloc_calloc(1, sizeof(*e))))
		return bloc_error_oom("keeping an EI estimate of %s", g->group);
	e->c = c;
	e->group = gi;
	e->private_ = o->no_cache;
	e->x.opts = *o;
	e->x.contest = c->id ? c->id : "";
	e->x.group = g->group;
	if ((err = load_or_run(st, c, g, o, &e->x)) < 0) {
		bloc__ei_entries_free(e);
		return err;
	}
	summarise(&e->x);
	bloc__store_lock(st);
	kept = e->private_ ? NULL : find(st, c, gi, o);
	if (!kept) {
		e->next = *bloc__store_ei(st);
		*bloc__store_ei(st) = e;
		kept = e;
		e = NULL;
	}
	bloc__store_unlock(st);
	bloc__ei_entries_free(e);
	*out = &kept->x;
	return BLOC_OK;
}
