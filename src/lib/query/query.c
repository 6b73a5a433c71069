/* Requests and answers: the settings of every question parsed the same way from flags, query
 * arguments and JSON, and the run that answers them. */
#include "query_int.h"

#include "../core/alloc.h"
#include "../util/jsonobj.h"
#include "../util/num.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const struct bloc__query *const queries[] = {
    &bloc__q_elections, &bloc__q_results,  &bloc__q_seat,     &bloc__q_swing,    &bloc__q_targets,
    &bloc__q_indices,   &bloc__q_export,   &bloc__q_project,  &bloc__q_backtest, &bloc__q_power,
    &bloc__q_ei,        &bloc__q_ei_synth, &bloc__q_forecast, &bloc__q_simulate, &bloc__q_map,
    &bloc__q_chart,     &bloc__q_report};

#define NQUERIES (sizeof(queries) / sizeof(queries[0]))

size_t bloc_query_count(void)
{
	return NQUERIES;
}

const char *bloc_query_name(size_t i)
{
	return i < NQUERIES ? queries[i]->name : NULL;
}

int bloc_query_heavy(const char *name)
{
	size_t i;

	for (i = 0; name && i < NQUERIES; i++)
		if (strcmp(queries[i]->name, name) == 0)
			return queries[i]->heavy;
	return -1;
}

void bloc_answer_dispose(bloc_answer *a)
{
	if (!a)
		return;
	bloc_table_free(a->table);
	bloc_free(a->doc);
	bloc_free(a->aux);
	bloc_free(a->warnings);
	memset(a, 0, sizeof(*a));
}

int bloc_request_new(bloc_request **out, const char *query)
{
	bloc_request *rq;
	char names[256];
	size_t i, len = 0;

	*out = NULL;
	for (i = 0; i < NQUERIES; i++) {
		if (strcmp(queries[i]->name, query) != 0)
			continue;
		if (!(rq = bloc_calloc(1, sizeof(*rq))) ||
		    !(rq->v = bloc_calloc(1, queries[i]->size))) {
			bloc_free(rq);
			return bloc_error_oom("making a '%s' request", query);
		}
		rq->q = queries[i];
		if (rq->q->init)
			rq->q->init(rq->v);
		*out = rq;
		return BLOC_OK;
	}
	names[0] = '\0';
	for (i = 0; i < NQUERIES && len < sizeof(names); i++)
		len += (size_t)snprintf(names + len, sizeof(names) - len, "%s%s", i ? ", " : "",
		                        queries[i]->name);
	return bloc_error_set(BLOC_ENOTFOUND, "no question '%.64s' (questions: %s)", query, names);
}

void bloc_request_free(bloc_request *rq)
{
	struct bloc__request_head *h;
	size_t i;

	if (!rq)
		return;
	if ((h = rq->v) != NULL) {
		for (i = 0; i < h->nstrings; i++)
			bloc_free(h->strings[i]);
		bloc_free(h->strings);
	}
	bloc_free(rq->v);
	bloc_free(rq);
}

const char *bloc_request_query(const bloc_request *rq)
{
	return rq->q->name;
}

const char *bloc__keep(void *rq, const char *s)
{
	struct bloc__request_head *h = rq;
	char *copy;

	if (bloc__grow((void **)&h->strings, &h->capstrings, h->nstrings + 1, sizeof(*h->strings)) <
	        0 ||
	    !(copy = bloc_strdup(s))) {
		bloc_error_oom("keeping a request's value");
		return NULL;
	}
	h->strings[h->nstrings++] = copy;
	return copy;
}

int bloc__given(const void *rq, const char *key)
{
	const struct bloc__request_head *h = rq;
	size_t i;

	for (i = 0; i < h->ngiven; i++)
		if (strcmp(h->given[i], key) == 0)
			return 1;
	return 0;
}

static const struct bloc__param *find_param(const struct bloc__query *q, const char *key)
{
	const struct bloc__param *p;

	for (p = q->params; p && p->key; p++)
		if (strcmp(p->key, key) == 0)
			return p;
	return NULL;
}

int bloc_request_is_flag(const bloc_request *rq, const char *key)
{
	const struct bloc__param *p = find_param(rq->q, key);

	return p ? p->kind == BLOC__P_FLAG : -1;
}

const char *const *bloc_request_choices(const bloc_request *rq, const char *key)
{
	const struct bloc__param *p = find_param(rq->q, key);

	return p && p->kind == BLOC__P_CHOICE ? p->choices : NULL;
}

int bloc__party(const char *what, const char *label, bloc_party *out)
{
	char codes[512];
	size_t i, n = 0;

	if (bloc_party_lookup(label, out) == BLOC_OK)
		return BLOC_OK;
	codes[0] = '\0';
	for (i = 0; i < bloc_party_count() && n + 8 < sizeof(codes); i++)
		n += (size_t)snprintf(codes + n, sizeof(codes) - n, "%s%s", i ? " " : "",
		                      bloc_party_code((bloc_party)i));
	return bloc_error_set(BLOC_EUSAGE,
	                      "%s: unknown party '%s' (codes: %s; names such as \"Labour\")", what,
	                      label, codes);
}

/* A number setting: malformed or out of range is a usage or a value error, as the param says. */
static int set_number(const struct bloc__param *p, void *field, const char *key, const char *value)
{
	int code = p->value_error ? BLOC_EINVAL : BLOC_EUSAGE;

	if (p->kind == BLOC__P_WHOLE) {
		unsigned long long v;
		unsigned long long hi =
		    p->hi >= BLOC__WHOLE_MAX ? ULLONG_MAX : (unsigned long long)p->hi;
		if (bloc__parse_whole(value, (unsigned long long)p->lo, hi, &v) < 0) {
			char msg[256];
			snprintf(msg, sizeof(msg), "%s", bloc_error_last());
			return bloc_error_set(code, "--%s: %s", key, msg);
		}
		memcpy(field, &v, sizeof(v));
	} else {
		double v;
		/* malformed is a parse error for a value (the server's 400; the CLI's exit 1) */
		if (bloc__parse_real(value, &v) < 0)
			return bloc_error_set(p->value_error ? BLOC_EPARSE : BLOC_EUSAGE,
			                      "--%s: expected %s, got '%.40s'", key, p->what,
			                      value);
		if (v < p->lo || v > p->hi)
			return bloc_error_set(code, "--%s: expected %s, got %g (out of range)", key,
			                      p->what, v);
		memcpy(field, &v, sizeof(v));
	}
	return BLOC_OK;
}

static int set_choice(const struct bloc__param *p, int *field, const char *key, const char *value)
{
	size_t i;

	for (i = 0; p->choices[i]; i++) {
		if (strcmp(p->choices[i], value) == 0) {
			*field = (int)i;
			return BLOC_OK;
		}
	}
	return bloc_error_set(p->value_error ? BLOC_EINVAL : BLOC_EUSAGE,
	                      "--%s: expected %s, got '%s'", key, p->what, value);
}

/* A scenario setting: checked now against a scratch scenario (so a bad value fails where it is
 * given), applied in order when the query runs. */
static int set_scene(struct bloc__request_head *h, const char *key, const char *value)
{
	bloc_scenario scratch;
	const char *kept;
	size_t i;
	int err;

	if (h->nscene == sizeof(h->scene) / sizeof(h->scene[0]))
		return bloc_error_set(BLOC_EUSAGE, "--%s: too many scenario settings (at most %zu)",
		                      key, sizeof(h->scene) / sizeof(h->scene[0]));
	bloc_scenario_init(&scratch);
	for (i = 0; i < h->nscene; i++)
		if (bloc_scenario_set(&scratch, h->scene[i].key, h->scene[i].value) < 0)
			break; /* an earlier plain --group NAME (report) is not a scenario setting
			        */
	if ((err = bloc_scenario_set(&scratch, key, value)) < 0 &&
	    !(strcmp(key, "group") == 0 && !strchr(value, ':')))
		return err;
	if (!(kept = bloc__keep(h, value)))
		return BLOC_ENOMEM;
	h->scene[h->nscene].key = key;
	h->scene[h->nscene].value = kept;
	h->nscene++;
	return BLOC_OK;
}

int bloc_request_set(bloc_request *rq, const char *key, const char *value)
{
	struct bloc__request_head *h = rq->v;
	const struct bloc__param *p = find_param(rq->q, key);
	void *field;
	int err = BLOC_OK;

	if (!p)
		return bloc_error_set(BLOC_EUSAGE, "unknown setting '%.64s' for '%s'", key,
		                      rq->q->name);
	if ((p->kind == BLOC__P_FLAG) != (value == NULL) && p->kind != BLOC__P_FLAG)
		return bloc_error_set(BLOC_EUSAGE, "--%s needs a value", key);
	field = (char *)rq->v + p->offset;
	switch (p->kind) {
	case BLOC__P_TEXT: {
		const char *kept = bloc__keep(h, value);
		if (!kept)
			return BLOC_ENOMEM;
		memcpy(field, &kept, sizeof(kept));
		break;
	}
	case BLOC__P_FLAG:
		if (value && *value && strcmp(value, "true") != 0 && strcmp(value, "1") != 0)
			return bloc_error_set(BLOC_EUSAGE, "--%s takes no value, got '%.40s'", key,
			                      value);
		*(int *)field = 1;
		break;
	case BLOC__P_WHOLE:
	case BLOC__P_REAL:
		err = set_number(p, field, key, value);
		break;
	case BLOC__P_CHOICE:
		err = set_choice(p, (int *)field, key, value);
		break;
	case BLOC__P_PARTY: {
		char what[72];
		snprintf(what, sizeof(what), "--%s", key);
		err = bloc__party(what, value, (bloc_party *)field);
		break;
	}
	case BLOC__P_SCENE:
		err = set_scene(h, p->key, value);
		break;
	case BLOC__P_CUSTOM:
		err = p->set(rq->v, p->key, value);
		break;
	}
	if (err < 0)
		return err;
	if (h->ngiven < sizeof(h->given) / sizeof(h->given[0]))
		h->given[h->ngiven++] = p->key;
	return BLOC_OK;
}

static int set_member(const char *key, const char *value, void *payload)
{
	return bloc_request_set(payload, key, value);
}

int bloc_request_set_json(bloc_request *rq, const char *json, size_t len)
{
	return bloc__json_object_each(json, len, "request", set_member, rq);
}

int bloc_request_limit(bloc_request *rq, const bloc_limits *lim)
{
	rq->lim = *lim;
	return BLOC_OK;
}

int bloc_request_partition(bloc_request *rq, const bloc_partition *part)
{
	struct bloc__request_head *h = rq->v;

	if (part->size && part->rank >= part->size)
		return bloc_error_set(BLOC_EINVAL, "partition: rank %u of %u", part->rank,
		                      part->size);
	if (part->size > 1 && !part->reduce)
		return bloc_error_set(BLOC_EINVAL, "partition: %u processes and no reduce",
		                      part->size);
	h->part = *part;
	return BLOC_OK;
}

int bloc__over_limit(const bloc_limits *lim, const char *name, unsigned long long max)
{
	return bloc_error_set(BLOC_EINVAL, "%s: at most %llu here%s%s%s", name, max,
	                      lim->why ? " (" : "", lim->why ? lim->why : "", lim->why ? ")" : "");
}

/* The request's costs within its limits. */
static int within_limits(const bloc_request *rq)
{
	if (rq->lim.fixed_threads && bloc__given(rq->v, "threads"))
		return bloc_error_set(BLOC_EUSAGE,
		                      "threads: not a setting here (answers never depend "
		                      "on it)");
	return rq->q->within ? rq->q->within(rq->v, &rq->lim) : BLOC_OK;
}

int bloc_query_run(bloc_answer *out, bloc_store *st, const bloc_request *rq)
{
	int err;

	bloc_error_clear();
	memset(out, 0, sizeof(*out));
	if ((rq->q->check && (err = rq->q->check(rq->v)) < 0) || (err = within_limits(rq)) < 0 ||
	    (!(rq->q->no_data && rq->q->no_data(rq->v)) && (err = bloc_store_ready(st)) < 0) ||
	    (err = rq->q->run(out, st, rq->v)) < 0) {
		bloc_answer_dispose(out);
		return err;
	}
	return BLOC_OK;
}

/* ---- what the questions share ---- */

int bloc__finish_table(bloc_answer *out, bloc_store *st, bloc_table *t)
{
	int err;

	if ((err = bloc_table_meta(t, "data", "%s", bloc_store_dir(st))) < 0) {
		bloc_table_free(t);
		return err;
	}
	out->table = t;
	return BLOC_OK;
}

int bloc__finish_doc(bloc_answer *out, bloc_buf *doc, const char *type)
{
	char *text;
	size_t len;
	int err;

	if ((err = bloc_buf_detach(doc, &text, &len)) < 0)
		return err;
	out->doc = text;
	out->doc_len = len;
	out->doc_type = type;
	return BLOC_OK;
}

int bloc__warn(bloc_answer *out, const char *fmt, ...)
{
	bloc_buf b = BLOC_BUF_INIT;
	va_list ap;
	char line[2048];
	int err;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (out->warnings)
		bloc_buf_puts(&b, out->warnings);
	bloc_buf_puts(&b, line);
	bloc_buf_puts(&b, "\n");
	if ((err = bloc_buf_check(&b)) < 0) {
		bloc_buf_dispose(&b);
		return bloc_error_oom("keeping a warning of the answer");
	}
	bloc_free(out->warnings);
	out->warnings = NULL;
	return bloc_buf_detach(&b, &out->warnings, &(size_t){0});
}

int bloc__pair(const char *text, bloc_party *a, bloc_party *b, int same_says_text)
{
	const char *comma = strchr(text, ',');
	char left[128], right[128];
	int err;

	if (!comma || strchr(comma + 1, ',') || comma == text || !comma[1] ||
	    (size_t)(comma - text) >= sizeof(left) || strlen(comma + 1) >= sizeof(right))
		return bloc_error_set(BLOC_EUSAGE, "--pair: expected two parties A,B, got '%s'",
		                      text);
	snprintf(left, sizeof(left), "%.*s", (int)(comma - text), text);
	snprintf(right, sizeof(right), "%s", comma + 1);
	if ((err = bloc__party("--pair", left, a)) < 0 ||
	    (err = bloc__party("--pair", right, b)) < 0)
		return err;
	if (bloc_party_successor(*a) == bloc_party_successor(*b))
		return same_says_text
		           ? bloc_error_set(BLOC_EUSAGE,
		                            "--pair: the two parties are the same ('%s')", text)
		           : bloc_error_set(BLOC_EUSAGE, "--pair: %s and %s are the same party",
		                            left, right);
	return BLOC_OK;
}

int bloc__scenario(bloc_store *st, const void *rq, const char *file, const char *json,
                   int skip_plain_group, bloc_scenario *sc, int *given)
{
	const struct bloc__request_head *h = rq;
	size_t i;
	int err;

	*given = 0;
	bloc_scenario_init(sc);
	if (file) {
		if ((err = bloc_store_scenario_load(st, sc, file)) < 0)
			return err;
		*given = 1;
	}
	if (json) {
		if ((err = bloc_scenario_parse_json(sc, json, strlen(json), "scenario")) < 0)
			return err;
		*given = 1;
	}
	for (i = 0; i < h->nscene; i++) {
		if (skip_plain_group && strcmp(h->scene[i].key, "group") == 0 &&
		    !strchr(h->scene[i].value, ':'))
			continue;
		if ((err = bloc_scenario_set(sc, h->scene[i].key, h->scene[i].value)) < 0)
			return err;
		*given = 1;
	}
	return BLOC_OK;
}

int bloc__scenario_groups(bloc_store *st, const bloc_contest *c, const bloc_scenario *sc,
                          bloc_group_shares *groups)
{
	const bloc_group_shares *g;
	size_t i;
	int err;

	for (i = 0; i < sc->ngroups; i++) {
		if ((err = bloc_store_group_shares(st, c, sc->groups[i].group, &g)) < 0)
			return err;
		groups[i] = *g; /* a shallow copy: bloc_project wants them side by side */
	}
	return BLOC_OK;
}
