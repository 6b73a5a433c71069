#include "bloc/contest.h"

#include "bloc/error.h"
#include "../core/alloc.h"
#include "build.h"
#include "../util/hash.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <strings.h>
#include <stdlib.h>
#include <string.h>

/* Strings live in chunks freed together with the contest. */
typedef struct chunk {
	struct chunk *next;
	size_t used, cap;
	char data[];
} chunk;

typedef struct {
	chunk *head;
} strpool;

static char *pool_str(strpool *p, const char *s)
{
	size_t n = strlen(s) + 1;
	chunk *c = p->head;

	if (!c || c->cap - c->used < n) {
		size_t cap = n > 65536 ? n : 65536;
		c = bloc_malloc(sizeof(chunk) + cap);
		if (!c)
			return NULL;
		c->next = p->head;
		c->used = 0;
		c->cap = cap;
		p->head = c;
	}
	memcpy(c->data + c->used, s, n);
	c->used += n;
	return c->data + c->used - n;
}

static void pool_free(strpool *p)
{
	chunk *c, *next;

	if (!p)
		return;
	for (c = p->head; c; c = next) {
		next = c->next;
		bloc_free(c);
	}
	bloc_free(p);
}

struct bloc__builder {
	char *source;
	char *first_date; /* the earliest seat's polling day, when the seats have several */
	strpool *pool;
	/* seats */
	size_t nseats, scap;
	char **code, **name, **region, **nation;
	int64_t *electorate, *valid, *invalid;
	size_t *line;
	/* candidates, in the order added */
	size_t ncand, ccap;
	size_t *cseat;
	bloc_party *cparty;
	int64_t *cvotes;
	char **cname, **clabel;
	uint8_t *cflags;
	/* seat code hash: open addressing, indices + 1, power-of-two size */
	size_t *hash;
	size_t hcap;
};

void bloc_contest_free(bloc_contest *c)
{
	if (!c)
		return;
	bloc_free(c->parties);
	bloc_free(c->code);
	bloc_free(c->name);
	bloc_free(c->region);
	bloc_free(c->nation);
	bloc_free(c->electorate);
	bloc_free(c->valid);
	bloc_free(c->invalid);
	bloc_free(c->votes);
	bloc_free(c->cand_off);
	bloc_free(c->cand_party);
	bloc_free(c->cand_votes);
	bloc_free(c->cand_name);
	bloc_free(c->cand_label);
	bloc_free(c->cand_flags);
	bloc_free(c->by_code);
	bloc_free(c->by_name);
	pool_free(c->priv_);
	bloc_free(c);
}

char *bloc__contest_str(bloc_contest *c, const char *s)
{
	return pool_str(c->priv_, s);
}

long bloc_contest_seat(const bloc_contest *c, const char *code)
{
	size_t lo = 0, hi = c->nseats;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int d = strcmp(c->code[c->by_code[mid]], code);
		if (d == 0)
			return (long)c->by_code[mid];
		if (d < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* Levenshtein distance between a and b, ASCII letters compared without case, or SIZE_MAX when
 * b is longer than the rows kept on the stack (no seat name is). Cost: O(|a| |b|). */
#define NAME_MAX_LEN 160

static size_t edit_distance(const char *a, const char *b)
{
	size_t row[NAME_MAX_LEN + 1], i, j, nb = strlen(b);

	if (nb > NAME_MAX_LEN)
		return SIZE_MAX;
	for (j = 0; j <= nb; j++)
		row[j] = j;
	for (i = 0; a[i]; i++) {
		size_t diag = row[0];
		row[0] = i + 1;
		for (j = 1; j <= nb; j++) {
			size_t up = row[j], best = diag + (tolower((unsigned char)a[i]) !=
			                                   tolower((unsigned char)b[j - 1]));
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			diag = up;
			row[j] = best;
		}
	}
	return row[nb];
}

static int contains_nocase(const char *hay, const char *needle, size_t nlen)
{
	size_t k, hl = strlen(hay);

	for (k = 0; k + nlen <= hl; k++)
		if (strncasecmp(hay + k, needle, nlen) == 0)
			return 1;
	return 0;
}

#define SUGGESTIONS 3

/* How close name is to query, smaller is closer, or SIZE_MAX when too far to suggest: names that
 * start with the query first, then names that contain it (shorter names first in both), then
 * names within a few edits of it (about one edit in four characters). */
static size_t name_score(const char *name, const char *query, size_t qlen)
{
	size_t nl = strlen(name), d, most = qlen / 4 > 1 ? qlen / 4 : 1;

	if (qlen <= nl && strncasecmp(name, query, qlen) == 0)
		return nl - qlen;
	if (contains_nocase(name, query, qlen))
		return NAME_MAX_LEN + nl;
	if ((d = edit_distance(query, name)) > most)
		return SIZE_MAX;
	return 2 * NAME_MAX_LEN + d;
}

size_t bloc_contest_first_named(const bloc_contest *c, const char *name)
{
	size_t lo = 0, hi = c->nseats;

	while (lo < hi) { /* the first position whose name is not below `name` */
		size_t mid = lo + (hi - lo) / 2;
		if (strcasecmp(c->name[c->by_name[mid]], name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < c->nseats && strcasecmp(c->name[c->by_name[lo]], name) == 0 ? lo : c->nseats;
}

int bloc_contest_find_seat(const bloc_contest *c, const char *query, size_t *out)
{
	char near[512];
	size_t best[SUGGESTIONS], score[SUGGESTIONS];
	size_t s, n = 0, k, len = 0, qlen = strlen(query);
	long code = bloc_contest_seat(c, query);

	if (code >= 0) {
		*out = (size_t)code;
		return BLOC_OK;
	}
	near[0] = '\0';
	/* the seats of that name (any case), in file order: a run of the name index */
	for (k = bloc_contest_first_named(c, query); k < c->nseats; k++) {
		s = c->by_name[k];
		if (strcasecmp(c->name[s], query) != 0)
			break;
		if (n++ == 0)
			*out = s;
		if (len < sizeof(near))
			len += (size_t)snprintf(near + len, sizeof(near) - len, "%s%s (%s)",
			                        len ? ", " : "", c->name[s], c->code[s]);
	}
	if (n == 1)
		return BLOC_OK;
	if (n > 1)
		return bloc_error_set(BLOC_EINVAL,
		                      "seat '%s' is ambiguous in %s: %s; give the code instead",
		                      query, c->id, near);
	/* The closest names, best first (ties in file order): at most SUGGESTIONS of them. */
	for (s = 0; s < c->nseats && qlen; s++) {
		size_t sc = name_score(c->name[s], query, qlen);
		if (sc == SIZE_MAX || (n == SUGGESTIONS && sc >= score[n - 1]))
			continue;
		k = n < SUGGESTIONS ? n++ : n - 1;
		for (; k > 0 && score[k - 1] > sc; k--) {
			score[k] = score[k - 1];
			best[k] = best[k - 1];
		}
		score[k] = sc;
		best[k] = s;
	}
	if (n == 0)
		return bloc_error_set(BLOC_ENOTFOUND,
		                      "no seat '%s' in %s (give an ONS code such as %s or a full "
		                      "seat name)",
		                      query, c->id, c->nseats ? c->code[0] : "E14000530");
	for (k = 0; k < n && len < sizeof(near); k++)
		len += (size_t)snprintf(near + len, sizeof(near) - len, "%s%s", k ? ", " : "",
		                        c->name[best[k]]);
	return bloc_error_set(BLOC_ENOTFOUND, "no seat '%s' in %s; did you mean %s?", query, c->id,
	                      near);
}

long bloc_contest_party_col(const bloc_contest *c, bloc_party p)
{
	size_t j;

	for (j = 0; j < c->nparties; j++)
		if (c->parties[j] == p)
			return (long)j;
	return -1;
}

long bloc_contest_leading(const bloc_contest *c, size_t seat, bloc_party p)
{
	size_t k;

	if (seat >= c->nseats)
		return -1;
	p = bloc_party_successor(p);
	/* a seat's candidates are in descending order of votes: the first of p leads */
	for (k = c->cand_off[seat]; k < c->cand_off[seat + 1]; k++)
		if (!(c->cand_flags[k] & BLOC_CAND_AGGREGATE) &&
		    bloc_party_successor(c->cand_party[k]) == p)
			return (long)k;
	return -1;
}

/* a and b equal but for ASCII case and white space; "" never equals anything */
static int same_name(const char *a, const char *b)
{
	int any = 0;

	for (;;) {
		while (isspace((unsigned char)*a))
			a++;
		while (isspace((unsigned char)*b))
			b++;
		if (!*a || !*b)
			return !*a && !*b && any;
		if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
			return 0;
		a++, b++, any = 1;
	}
}

long bloc_contest_candidate_named(const bloc_contest *c, size_t seat, bloc_party p,
                                  const char *name)
{
	size_t k;

	if (seat >= c->nseats || !name)
		return -1;
	p = bloc_party_successor(p);
	for (k = c->cand_off[seat]; k < c->cand_off[seat + 1]; k++)
		if (!(c->cand_flags[k] & BLOC_CAND_AGGREGATE) &&
		    bloc_party_successor(c->cand_party[k]) == p && same_name(c->cand_name[k], name))
			return (long)k;
	return -1;
}

int bloc__builder_new(bloc__builder **out, const char *source)
{
	bloc__builder *b = bloc_calloc(1, sizeof(*b));

	*out = NULL;
	if (!b || !(b->pool = bloc_calloc(1, sizeof(strpool))) ||
	    !(b->source = bloc_strdup(source))) {
		if (b)
			bloc_free(b->pool);
		bloc_free(b);
		return bloc_error_oom("reading %s", source);
	}
	*out = b;
	return BLOC_OK;
}

void bloc__builder_free(bloc__builder *b)
{
	if (!b)
		return;
	bloc_free(b->first_date);
	bloc_free(b->code);
	bloc_free(b->name);
	bloc_free(b->region);
	bloc_free(b->nation);
	bloc_free(b->electorate);
	bloc_free(b->valid);
	bloc_free(b->invalid);
	bloc_free(b->line);
	bloc_free(b->cseat);
	bloc_free(b->cparty);
	bloc_free(b->cvotes);
	bloc_free(b->cname);
	bloc_free(b->clabel);
	bloc_free(b->cflags);
	bloc_free(b->hash);
	pool_free(b->pool);
	bloc_free(b->source);
	bloc_free(b);
}

char *bloc__builder_str(bloc__builder *b, const char *s)
{
	return pool_str(b->pool, s);
}

static int rehash(bloc__builder *b)
{
	size_t ncap = b->hcap ? b->hcap * 2 : 64, i, *nh;

	nh = bloc_calloc(ncap, sizeof(size_t));
	if (!nh)
		return bloc_error_oom("reading %s", b->source);
	for (i = 0; i < b->nseats; i++) {
		size_t h = bloc__hash_str(b->code[i]) & (ncap - 1);
		while (nh[h])
			h = (h + 1) & (ncap - 1);
		nh[h] = i + 1;
	}
	bloc_free(b->hash);
	b->hash = nh;
	b->hcap = ncap;
	return BLOC_OK;
}

#define GROW(field, cap_copy, need)                                                                \
	do {                                                                                       \
		size_t c_ = (cap_copy);                                                            \
		if ((err = bloc__grow((void **)&(field), &c_, (need), sizeof(*(field)))) < 0)      \
			return bloc_error_prefix("reading %s", b->source);                         \
	} while (0)

long bloc__builder_find_seat(const bloc__builder *b, const char *code)
{
	size_t h;

	if (!b->hcap)
		return -1;
	for (h = bloc__hash_str(code) & (b->hcap - 1); b->hash[h]; h = (h + 1) & (b->hcap - 1))
		if (strcmp(b->code[b->hash[h] - 1], code) == 0)
			return (long)(b->hash[h] - 1);
	return -1;
}

int bloc__builder_seat(bloc__builder *b, const char *code, const char *name, const char *region,
                       const char *nation, size_t line, size_t *idx, int *created)
{
	long known = bloc__builder_find_seat(b, code);
	size_t h, s;
	int err;

	if (known >= 0) {
		*idx = (size_t)known;
		*created = 0;
		return BLOC_OK;
	}
	if (b->nseats * 2 >= b->hcap && (err = rehash(b)) < 0)
		return err;
	for (h = bloc__hash_str(code) & (b->hcap - 1); b->hash[h]; h = (h + 1) & (b->hcap - 1))
		; /* the first free slot */
	s = b->nseats;
	if (s >= b->scap) {
		size_t need = s + 1;
		GROW(b->code, b->scap, need);
		GROW(b->name, b->scap, need);
		GROW(b->region, b->scap, need);
		GROW(b->nation, b->scap, need);
		GROW(b->electorate, b->scap, need);
		GROW(b->valid, b->scap, need);
		GROW(b->invalid, b->scap, need);
		GROW(b->line, b->scap, need);
		b->scap = b->scap ? b->scap * 2 : 8;
		while (b->scap < need)
			b->scap *= 2;
	}
	if (!(b->code[s] = pool_str(b->pool, code)) || !(b->name[s] = pool_str(b->pool, name)) ||
	    !(b->region[s] = pool_str(b->pool, region)) ||
	    !(b->nation[s] = pool_str(b->pool, nation)))
		return bloc_error_oom("reading %s", b->source);
	b->electorate[s] = b->valid[s] = b->invalid[s] = -1;
	b->line[s] = line;
	b->hash[h] = s + 1;
	b->nseats++;
	*idx = s;
	*created = 1;
	return BLOC_OK;
}

void bloc__builder_seat_figures(bloc__builder *b, size_t seat, int64_t electorate, int64_t valid,
                                int64_t invalid)
{
	b->electorate[seat] = electorate;
	b->valid[seat] = valid;
	b->invalid[seat] = invalid;
}

size_t bloc__builder_nseats(const bloc__builder *b)
{
	return b->nseats;
}

int bloc__builder_candidate(bloc__builder *b, size_t seat, bloc_party party, const char *label,
                            const char *name, int64_t votes, unsigned flags)
{
	size_t k = b->ncand;
	int err;

	if (k >= b->ccap) {
		size_t need = k + 1;
		GROW(b->cseat, b->ccap, need);
		GROW(b->cparty, b->ccap, need);
		GROW(b->cvotes, b->ccap, need);
		GROW(b->cname, b->ccap, need);
		GROW(b->clabel, b->ccap, need);
		GROW(b->cflags, b->ccap, need);
		b->ccap = b->ccap ? b->ccap * 2 : 8;
		while (b->ccap < need)
			b->ccap *= 2;
	}
	/* a bound on one candidate's votes keeps every sum over seats far from int64 overflow */
	if (votes < 0 || votes > BLOC_MAX_CANDIDATE_VOTES)
		return bloc_error_set(
		    BLOC_ENUMERIC,
		    "%s:%zu:1: seat %s (%s): expected a candidate's votes between 0 "
		    "and %lld, found %" PRId64,
		    b->source, b->line[seat], b->code[seat], b->name[seat],
		    (long long)BLOC_MAX_CANDIDATE_VOTES, votes);
	if (!(b->cname[k] = pool_str(b->pool, name)) || !(b->clabel[k] = pool_str(b->pool, label)))
		return bloc_error_oom("reading %s", b->source);
	b->cseat[k] = seat;
	b->cparty[k] = party;
	b->cvotes[k] = votes;
	b->cflags[k] = (uint8_t)flags;
	b->ncand++;
	return BLOC_OK;
}

static _Thread_local const bloc__builder *tl_sort_ctx;

/*
 * Order candidates by seat, then votes descending, then insertion order: a stable counting sort
 * by seat (O(candidates)) and an insertion sort within each seat, which holds a handful.
 * `first` (nseats + 1 entries, zeroed) receives each seat's first position.
 */
static void order_candidates(const bloc__builder *b, size_t *order, size_t *first)
{
	size_t k, s, i;

	for (k = 0; k < b->ncand; k++)
		first[b->cseat[k] + 1]++;
	for (s = 0; s < b->nseats; s++)
		first[s + 1] += first[s];
	for (k = 0; k < b->ncand; k++)
		order[first[b->cseat[k]]++] = k;
	/* first[s] now holds the end of seat s: shift back to starts */
	for (s = b->nseats; s > 0; s--)
		first[s] = first[s - 1];
	first[0] = 0;
	for (s = 0; s < b->nseats; s++) {
		for (i = first[s] + 1; i < first[s + 1]; i++) {
			size_t x = order[i], j = i;
			while (j > first[s] && b->cvotes[order[j - 1]] < b->cvotes[x]) {
				order[j] = order[j - 1];
				j--;
			}
			order[j] = x;
		}
	}
}

static int cmp_code(const void *pa, const void *pb)
{
	const bloc__builder *b = tl_sort_ctx;

	return strcmp(b->code[*(const size_t *)pa], b->code[*(const size_t *)pb]);
}

static int cmp_name(const void *pa, const void *pb)
{
	const bloc__builder *b = tl_sort_ctx;
	const size_t x = *(const size_t *)pa, y = *(const size_t *)pb;
	const int d = strcasecmp(b->name[x], b->name[y]);

	return d ? d : (x > y) - (x < y);
}

/* The parties present, in registry order: colof[p] is party p's column (-1 if absent); c gets
 * its party list and room for the votes matrix and the candidates. */
static int party_columns(const bloc__builder *b, bloc_contest *c, long *colof)
{
	size_t j, k, np = 0, cells, pcount = bloc_party_count();

	for (j = 0; j < pcount; j++)
		colof[j] = -1;
	for (k = 0; k < b->ncand; k++)
		colof[b->cparty[k]] = 0;
	for (j = 0; j < pcount; j++)
		if (colof[j] == 0)
			colof[j] = (long)np++;
	c->nparties = np;
	c->nseats = b->nseats;
	c->ncand = b->ncand;
	if (bloc_mul_overflow(np, b->nseats, &cells) ||
	    !(c->parties = bloc_calloc(np, sizeof(bloc_party))) ||
	    !(c->votes = bloc_calloc(cells, sizeof(int64_t))) ||
	    !(c->cand_party = bloc_calloc(b->ncand, sizeof(bloc_party))) ||
	    !(c->cand_votes = bloc_calloc(b->ncand, sizeof(int64_t))) ||
	    !(c->cand_name = bloc_calloc(b->ncand, sizeof(char *))) ||
	    !(c->cand_label = bloc_calloc(b->ncand, sizeof(char *))) ||
	    !(c->cand_flags = bloc_calloc(b->ncand, 1)))
		return bloc_error_oom("reading %s (%zu seats, %zu candidates)", b->source,
		                      b->nseats, b->ncand);
	for (j = 0; j < pcount; j++)
		if (colof[j] >= 0)
			c->parties[colof[j]] = (bloc_party)j;
	return BLOC_OK;
}

/* The candidates in `order` into c, their votes summed into the seats x parties matrix. */
static void fill_candidates(const bloc__builder *b, bloc_contest *c, const size_t *order,
                            const long *colof)
{
	size_t k;

	for (k = 0; k < b->ncand; k++) {
		size_t o = order[k];
		c->cand_party[k] = b->cparty[o];
		c->cand_votes[k] = b->cvotes[o];
		c->cand_name[k] = b->cname[o];
		c->cand_label[k] = b->clabel[o];
		c->cand_flags[k] = b->cflags[o];
		c->votes[b->cseat[o] * c->nparties + (size_t)colof[b->cparty[o]]] += b->cvotes[o];
	}
}

/* Every seat has a candidate, the declared valid votes are the candidates' sum, and the sum is
 * not above the electorate; b->valid becomes the sum. */
static int check_seats(bloc__builder *b, const bloc_contest *c)
{
	size_t s, k;

	for (s = 0; s < b->nseats; s++) {
		int64_t sum = 0;
		if (c->cand_off[s + 1] == c->cand_off[s])
			return bloc_error_set(
			    BLOC_EPARSE,
			    "%s:%zu:1: seat %s (%s): expected at least one candidate, "
			    "found none",
			    b->source, b->line[s], b->code[s], b->name[s]);
		for (k = c->cand_off[s]; k < c->cand_off[s + 1]; k++)
			sum += c->cand_votes[k];
		if (b->valid[s] >= 0 && b->valid[s] != sum)
			return bloc_error_set(
			    BLOC_ENUMERIC,
			    "%s:%zu:1: seat %s (%s): expected the candidates' votes to "
			    "add up to the valid votes %" PRId64 ", found %" PRId64,
			    b->source, b->line[s], b->code[s], b->name[s], b->valid[s], sum);
		if (b->electorate[s] >= 0 && sum > b->electorate[s])
			return bloc_error_set(
			    BLOC_ENUMERIC,
			    "%s:%zu:1: seat %s (%s): expected at most the electorate "
			    "%" PRId64 " votes, found %" PRId64,
			    b->source, b->line[s], b->code[s], b->name[s], b->electorate[s], sum);
		b->valid[s] = sum;
	}
	return BLOC_OK;
}

/* The seats in code order and in name order (for lookups by code or name). */
static int index_seats(const bloc__builder *b, bloc_contest *c)
{
	size_t s;

	if (!(c->by_code = bloc_calloc(b->nseats + 1, sizeof(size_t))) ||
	    !(c->by_name = bloc_calloc(b->nseats + 1, sizeof(size_t))))
		return bloc_error_oom("reading %s: indexing %zu seats", b->source, b->nseats);
	for (s = 0; s < b->nseats; s++)
		c->by_code[s] = c->by_name[s] = s;
	tl_sort_ctx = b;
	qsort(c->by_code, b->nseats, sizeof(size_t), cmp_code);
	qsort(c->by_name, b->nseats, sizeof(size_t), cmp_name);
	tl_sort_ctx = NULL;
	return BLOC_OK;
}

/* The contest's names, then the builder's seat arrays and strings moved into c. */
static int take_storage(bloc__builder *b, bloc_contest *c, const char *id, const char *date,
                        const char *format, int kind)
{
	if (!(c->id = pool_str(b->pool, id)) || !(c->date = pool_str(b->pool, date ? date : "")) ||
	    !(c->first_date = pool_str(b->pool, b->first_date ? b->first_date : c->date)) ||
	    !(c->source = pool_str(b->pool, b->source)) ||
	    !(c->format = pool_str(b->pool, format ? format : "")))
		return bloc_error_oom("reading %s", b->source);
	c->kind = kind;
	c->code = b->code, b->code = NULL;
	c->name = b->name, b->name = NULL;
	c->region = b->region, b->region = NULL;
	c->nation = b->nation, b->nation = NULL;
	c->electorate = b->electorate, b->electorate = NULL;
	c->valid = b->valid, b->valid = NULL;
	c->invalid = b->invalid, b->invalid = NULL;
	c->priv_ = b->pool, b->pool = NULL;
	b->nseats = 0;
	return BLOC_OK;
}

int bloc__builder_first_date(bloc__builder *b, const char *date)
{
	if (b->first_date && strcmp(b->first_date, date) <= 0)
		return BLOC_OK;
	bloc_free(b->first_date);
	if (!(b->first_date = bloc_strdup(date)))
		return bloc_error_oom("reading %s", b->source);
	return BLOC_OK;
}

int bloc__builder_finish(bloc__builder *b, const char *id, const char *date, const char *format,
                         int kind, bloc_contest **out)
{
	bloc_contest *c = NULL;
	size_t *order = NULL;
	long *colof = NULL;
	int err;

	*out = NULL;
	if (b->nseats == 0)
		return bloc_error_set(BLOC_EPARSE, "%s:1:1: expected at least one seat, found none",
		                      b->source);
	c = bloc_calloc(1, sizeof(*c));
	order = bloc_calloc(b->ncand, sizeof(size_t));
	colof = bloc_calloc(bloc_party_count(), sizeof(long));
	if (!c || !order || !colof || !(c->cand_off = bloc_calloc(b->nseats + 1, sizeof(size_t)))) {
		err = bloc_error_oom("reading %s (%zu seats, %zu candidates)", b->source, b->nseats,
		                     b->ncand);
		goto done;
	}
	order_candidates(b, order, c->cand_off);
	if ((err = party_columns(b, c, colof)) < 0)
		goto done;
	fill_candidates(b, c, order, colof);
	if ((err = check_seats(b, c)) < 0 || (err = index_seats(b, c)) < 0 ||
	    (err = take_storage(b, c, id, date, format, kind)) < 0)
		goto done;
	*out = c;
	c = NULL;
done:
	bloc_free(order);
	bloc_free(colof);
	bloc_contest_free(c);
	return err;
}
