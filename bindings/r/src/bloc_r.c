/* bloc for R: the library's questions through .Call.
 *
 * A store is an external pointer whose finalizer frees it (or bloc_close() does, earlier). A
 * query builds a request from settings (a named list: text, numbers, TRUE for a flag), runs it
 * against the store and turns the answer into R values: a table becomes a data.frame with the
 * table's columns in order, its metadata, column decimals and warnings as attributes; a document
 * becomes a character string with its media type as an attribute. A failure is returned as a list
 * of class "bloc_failure" (message, code) that the R side signals as a condition: no R error ever
 * jumps over a bloc resource, and whatever bloc owns while R allocates sits in an external
 * pointer whose finalizer would free it. */
#include <bloc/bloc.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define R_NO_REMAP
#include <R.h>
#include <Rinternals.h>
#include <R_ext/Rdynload.h>

/* Set attribute `name` of x to val, val protected while the symbol is made. */
static void set_attr(SEXP x, const char *name, SEXP val)
{
	PROTECT(val);
	Rf_setAttrib(x, Rf_install(name), val);
	UNPROTECT(1);
}

static void set_sym(SEXP x, SEXP sym, SEXP val)
{
	PROTECT(val);
	Rf_setAttrib(x, sym, val);
	UNPROTECT(1);
}

/* ---- the store ---- */

static void store_finalize(SEXP ptr)
{
	bloc_store *st = R_ExternalPtrAddr(ptr);

	if (st) {
		bloc_store_free(st);
		R_ClearExternalPtr(ptr);
	}
}

/* A failure as the R side expects it: list(message =, code =) of class "bloc_failure". */
static SEXP failure(int code, const char *msg)
{
	SEXP out = PROTECT(Rf_allocVector(VECSXP, 2)), names = PROTECT(Rf_allocVector(STRSXP, 2));

	SET_VECTOR_ELT(out, 0, Rf_ScalarString(Rf_mkCharCE(msg, CE_UTF8)));
	SET_VECTOR_ELT(out, 1, Rf_ScalarInteger(code));
	SET_STRING_ELT(names, 0, Rf_mkChar("message"));
	SET_STRING_ELT(names, 1, Rf_mkChar("code"));
	Rf_setAttrib(out, R_NamesSymbol, names);
	set_sym(out, R_ClassSymbol, Rf_mkString("bloc_failure"));
	UNPROTECT(2);
	return out;
}

static SEXP last_failure(int code, const char *doing)
{
	const char *msg = bloc_error_last();

	return failure(code, *msg ? msg : doing);
}

/* The data directory bloc would use: `data` if given, else $BLOC_DATA, installed data, ./data. */
static SEXP blocr_default_dir(SEXP data)
{
	const char *given =
	    Rf_isString(data) && XLENGTH(data) == 1 && STRING_ELT(data, 0) != NA_STRING
	        ? Rf_translateCharUTF8(STRING_ELT(data, 0))
	        : NULL;

	return Rf_mkString(bloc_store_default_dir(given));
}

/* Open the data directory `data` (NULL: the default) as a store, catalogue read. */
static SEXP blocr_open(SEXP data)
{
	bloc_store_options opts = BLOC_STORE_OPTIONS_INIT;
	const char *given =
	    Rf_isString(data) && XLENGTH(data) == 1 && STRING_ELT(data, 0) != NA_STRING
	        ? Rf_translateCharUTF8(STRING_ELT(data, 0))
	        : NULL;
	const char *dir = bloc_store_default_dir(given);
	bloc_store *st = NULL;
	SEXP ptr, f;
	int err;

	/* the handle first, so the store is never held by nothing R can collect */
	ptr = PROTECT(R_MakeExternalPtr(NULL, R_NilValue, R_NilValue));
	R_RegisterCFinalizerEx(ptr, store_finalize, TRUE);
	set_sym(ptr, R_ClassSymbol, Rf_mkString("bloc_store"));
	opts.paths = 1; /* as the CLI: a contest, census or scenario may be a file path */
	bloc_error_clear();
	err = bloc_store_open(&st, dir, &opts);
	R_SetExternalPtrAddr(ptr, st);
	if (err == BLOC_OK)
		err = bloc_store_ready(st);
	if (err < 0) {
		f = last_failure(err, "opening the data directory");
		store_finalize(ptr);
		UNPROTECT(1);
		return f;
	}
	set_attr(ptr, "dir", Rf_mkString(bloc_store_dir(st)));
	UNPROTECT(1);
	return ptr;
}

static SEXP blocr_close(SEXP ptr)
{
	if (TYPEOF(ptr) == EXTPTRSXP)
		store_finalize(ptr);
	return R_NilValue;
}

static SEXP blocr_is_open(SEXP ptr)
{
	return Rf_ScalarLogical(TYPEOF(ptr) == EXTPTRSXP && R_ExternalPtrAddr(ptr) != NULL);
}

/* ---- answers as R values ---- */

/* What a query holds while R allocates: freed by the finalizer if an R error jumps past. */
struct held {
	bloc_request *rq;
	bloc_answer ans;
};

static void held_finalize(SEXP ptr)
{
	struct held *h = R_ExternalPtrAddr(ptr);

	if (h) {
		bloc_request_free(h->rq);
		bloc_answer_dispose(&h->ans);
		free(h);
		R_ClearExternalPtr(ptr);
	}
}

static SEXP utf8(const char *s)
{
	return s ? Rf_mkCharCE(s, CE_UTF8) : NA_STRING;
}

/* An integer column: R integers when every value fits (NA_INTEGER is INT_MIN), else doubles. */
static SEXP int_column(const bloc_table *t, size_t col, size_t nrows)
{
	int fits = 1;
	size_t r;
	SEXP v;

	for (r = 0; r < nrows && fits; r++) {
		int64_t x = bloc_table_int(t, r, col);
		if (!bloc_table_is_missing(t, r, col) && (x <= INT32_MIN || x > INT32_MAX))
			fits = 0;
	}
	v = PROTECT(Rf_allocVector(fits ? INTSXP : REALSXP, (R_xlen_t)nrows));
	for (r = 0; r < nrows; r++) {
		int miss = bloc_table_is_missing(t, r, col);
		if (fits)
			INTEGER(v)[r] = miss ? NA_INTEGER : (int)bloc_table_int(t, r, col);
		else
			REAL(v)[r] = miss ? NA_REAL : (double)bloc_table_int(t, r, col);
	}
	UNPROTECT(1);
	return v;
}

static SEXP column(const bloc_table *t, size_t col, size_t nrows)
{
	size_t r;
	SEXP v;

	switch (bloc_table_column_type(t, col)) {
	case BLOC_COL_INT:
		return int_column(t, col, nrows);
	case BLOC_COL_REAL:
		v = PROTECT(Rf_allocVector(REALSXP, (R_xlen_t)nrows));
		for (r = 0; r < nrows; r++)
			REAL(v)
		[r] = bloc_table_is_missing(t, r, col) ? NA_REAL : bloc_table_real(t, r, col);
		break;
	default:
		v = PROTECT(Rf_allocVector(STRSXP, (R_xlen_t)nrows));
		for (r = 0; r < nrows; r++)
			SET_STRING_ELT(v, (R_xlen_t)r, utf8(bloc_table_string(t, r, col)));
	}
	UNPROTECT(1);
	return v;
}

/* The metadata as a named list, keys in order of first appearance; a repeated key's values are
 * gathered in one character vector (as JSON gathers them in an array). */
static SEXP meta_list(const bloc_table *t)
{
	size_t n = bloc_table_nmeta(t), nkeys = 0, i, j;
	size_t *group = (size_t *)(void *)R_alloc(n ? n : 1, sizeof(size_t));
	size_t *count = (size_t *)(void *)R_alloc(n ? n : 1, sizeof(size_t));
	size_t *first = (size_t *)(void *)R_alloc(n ? n : 1, sizeof(size_t));
	SEXP out, names, vals;

	for (i = 0; i < n; i++) {
		const char *key = bloc_table_meta_key(t, i);
		for (j = 0; j < nkeys && strcmp(bloc_table_meta_key(t, first[j]), key) != 0; j++)
			;
		if (j == nkeys) {
			first[nkeys] = i;
			count[nkeys++] = 0;
		}
		group[i] = j;
		count[j]++;
	}
	out = PROTECT(Rf_allocVector(VECSXP, (R_xlen_t)nkeys));
	names = PROTECT(Rf_allocVector(STRSXP, (R_xlen_t)nkeys));
	for (j = 0; j < nkeys; j++) {
		SET_STRING_ELT(names, (R_xlen_t)j, utf8(bloc_table_meta_key(t, first[j])));
		SET_VECTOR_ELT(out, (R_xlen_t)j, Rf_allocVector(STRSXP, (R_xlen_t)count[j]));
		count[j] = 0;
	}
	for (i = 0; i < n; i++) {
		vals = VECTOR_ELT(out, (R_xlen_t)group[i]);
		SET_STRING_ELT(vals, (R_xlen_t)count[group[i]]++,
		               utf8(bloc_table_meta_value(t, i)));
	}
	Rf_setAttrib(out, R_NamesSymbol, names);
	UNPROTECT(2);
	return out;
}

static SEXP table_frame(const bloc_table *t)
{
	size_t ncols = bloc_table_ncols(t), nrows = bloc_table_nrows(t), c;
	SEXP df = PROTECT(Rf_allocVector(VECSXP, (R_xlen_t)ncols));
	SEXP names = PROTECT(Rf_allocVector(STRSXP, (R_xlen_t)ncols));
	SEXP decimals = PROTECT(Rf_allocVector(INTSXP, (R_xlen_t)ncols));
	SEXP rn = PROTECT(Rf_allocVector(INTSXP, 2));

	for (c = 0; c < ncols; c++) {
		int d = bloc_table_column_decimals(t, c);
		SET_VECTOR_ELT(df, (R_xlen_t)c, column(t, c, nrows));
		SET_STRING_ELT(names, (R_xlen_t)c, utf8(bloc_table_column_name(t, c)));
		INTEGER(decimals)[c] = d < 0 ? NA_INTEGER : d;
	}
	Rf_setAttrib(decimals, R_NamesSymbol, names);
	Rf_setAttrib(df, R_NamesSymbol, names);
	INTEGER(rn)[0] = NA_INTEGER; /* compact row names 1..n */
	INTEGER(rn)[1] = -(int)nrows;
	Rf_setAttrib(df, R_RowNamesSymbol, rn);
	set_sym(df, R_ClassSymbol, Rf_mkString("data.frame"));
	set_attr(df, "meta", meta_list(t));
	set_attr(df, "decimals", decimals);
	UNPROTECT(4);
	return df;
}

static SEXP text(const char *s, size_t len)
{
	SEXP v = PROTECT(Rf_allocVector(STRSXP, 1));

	SET_STRING_ELT(v, 0, Rf_mkCharLenCE(s, (int)len, CE_UTF8));
	UNPROTECT(1);
	return v;
}

static SEXP answer_value(const bloc_answer *a)
{
	SEXP v;

	if (a->table) {
		v = PROTECT(table_frame(a->table));
	} else {
		v = PROTECT(text(a->doc ? a->doc : "", a->doc ? a->doc_len : 0));
		set_attr(v, "media_type", Rf_mkString(a->doc_type ? a->doc_type : ""));
	}
	if (a->aux) {
		set_attr(v, "aux", text(a->aux, a->aux_len));
		set_attr(v, "aux_suffix", Rf_mkString(a->aux_suffix ? a->aux_suffix : ""));
	}
	if (a->warnings)
		set_attr(v, "warnings", Rf_ScalarString(utf8(a->warnings)));
	UNPROTECT(1);
	return v;
}

/* A number as a person types it: 34, -20, 0.87 (at most 15 significant digits, as R prints). */
static const char *number_text(double x, char *buf, size_t n)
{
	snprintf(buf, n, "%.15g", x);
	return buf;
}

/* Set one element of `settings`: NULL and FALSE are left out, TRUE is a flag, text and numbers
 * are set element by element (a vector of several values is the setting given several times). */
static int set_value(bloc_request *rq, const char *key, SEXP v)
{
	char buf[64];
	R_xlen_t i, n = Rf_xlength(v);
	int err = BLOC_OK;

	switch (TYPEOF(v)) {
	case NILSXP:
		return BLOC_OK;
	case LGLSXP:
		if (n == 1 && LOGICAL(v)[0] == NA_LOGICAL)
			return bloc_error_set(BLOC_EUSAGE, "--%s: NA is not a value", key);
		if (n != 1)
			return bloc_error_set(BLOC_EUSAGE, "--%s: expected TRUE or FALSE", key);
		return LOGICAL(v)[0] ? bloc_request_set(rq, key, NULL) : BLOC_OK;
	case STRSXP:
		for (i = 0; err == BLOC_OK && i < n; i++) {
			if (STRING_ELT(v, i) == NA_STRING)
				return bloc_error_set(BLOC_EUSAGE, "--%s: NA is not a value", key);
			err = bloc_request_set(rq, key, Rf_translateCharUTF8(STRING_ELT(v, i)));
		}
		return err;
	case INTSXP:
		for (i = 0; err == BLOC_OK && i < n; i++) {
			if (INTEGER(v)[i] == NA_INTEGER)
				return bloc_error_set(BLOC_EUSAGE, "--%s: NA is not a value", key);
			snprintf(buf, sizeof(buf), "%d", INTEGER(v)[i]);
			err = bloc_request_set(rq, key, buf);
		}
		return err;
	case REALSXP:
		for (i = 0; err == BLOC_OK && i < n; i++) {
			if (ISNAN(REAL(v)[i]))
				return bloc_error_set(BLOC_EUSAGE, "--%s: NA is not a value", key);
			err = bloc_request_set(rq, key, number_text(REAL(v)[i], buf, sizeof(buf)));
		}
		return err;
	default:
		return bloc_error_set(BLOC_EUSAGE, "--%s: expected text, a number or TRUE, got %s",
		                      key, Rf_type2char(TYPEOF(v)));
	}
}

/* Ask `question` of the store with `settings`, a named list set in order. */
static SEXP blocr_query(SEXP store, SEXP question, SEXP settings)
{
	SEXP names = Rf_getAttrib(settings, R_NamesSymbol), guard, out;
	bloc_store *st;
	struct held *h;
	R_xlen_t i, n;
	int err;

	if (TYPEOF(store) != EXTPTRSXP || !(st = R_ExternalPtrAddr(store)))
		return failure(BLOC_EINVAL, "the store is closed (bloc_open() opens another)");
	if (!Rf_isString(question) || XLENGTH(question) != 1 || TYPEOF(settings) != VECSXP ||
	    (XLENGTH(settings) && !Rf_isString(names)))
		return failure(BLOC_EINVAL,
		               "expected a question's name and a named list of settings");
	if (!(h = calloc(1, sizeof(*h))))
		return failure(BLOC_ENOMEM, "out of memory making a request");
	guard = PROTECT(R_MakeExternalPtr(h, R_NilValue, R_NilValue));
	R_RegisterCFinalizerEx(guard, held_finalize, TRUE);
	bloc_error_clear();
	err = bloc_request_new(&h->rq, Rf_translateCharUTF8(STRING_ELT(question, 0)));
	n = XLENGTH(settings);
	for (i = 0; err == BLOC_OK && i < n; i++)
		err = set_value(h->rq, Rf_translateCharUTF8(STRING_ELT(names, i)),
		                VECTOR_ELT(settings, i));
	if (err == BLOC_OK)
		err = bloc_query_run(&h->ans, st, h->rq);
	out = err < 0 ? last_failure(err, "asking the question") : answer_value(&h->ans);
	PROTECT(out);
	held_finalize(guard);
	UNPROTECT(2);
	return out;
}

/* The questions the library answers, in its order. */
static SEXP blocr_questions(void)
{
	size_t i, n = bloc_query_count();
	SEXP v = PROTECT(Rf_allocVector(STRSXP, (R_xlen_t)n));

	for (i = 0; i < n; i++)
		SET_STRING_ELT(v, (R_xlen_t)i, Rf_mkChar(bloc_query_name(i)));
	UNPROTECT(1);
	return v;
}

static SEXP blocr_version(void)
{
	return Rf_mkString(bloc_version());
}

/* R's registration takes every routine as DL_FUNC; void (*)(void) is the cast -Wextra accepts. */
#define CALLDEF(name, n)                                                                           \
	{                                                                                          \
		("" #name), (DL_FUNC)(void (*)(void))(name), (n)                                   \
	}

static const R_CallMethodDef call_methods[] = {
    CALLDEF(blocr_default_dir, 1), CALLDEF(blocr_open, 1),  CALLDEF(blocr_close, 1),
    CALLDEF(blocr_is_open, 1),     CALLDEF(blocr_query, 3), CALLDEF(blocr_questions, 0),
    CALLDEF(blocr_version, 0),     {NULL, NULL, 0}};

void R_init_bloc(DllInfo *dll);

void R_init_bloc(DllInfo *dll)
{
	R_registerRoutines(dll, NULL, call_methods, NULL, NULL);
	R_useDynamicSymbols(dll, FALSE);
	R_forceSymbols(dll, TRUE);
}
