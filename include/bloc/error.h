/* bloc — errors: every fallible function returns 0 or a negative bloc_err and records a message. */
#ifndef BLOC_ERROR_H
#define BLOC_ERROR_H

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
	BLOC_OK = 0,
	BLOC_ENOMEM = -1,    /* out of memory */
	BLOC_EINVAL = -2,    /* bad argument or option */
	BLOC_EIO = -3,       /* file could not be opened, read or written */
	BLOC_EPARSE = -4,    /* malformed input (CSV syntax, header, encoding) */
	BLOC_ENUMERIC = -5,  /* a value is out of range or inconsistent */
	BLOC_EPAR = -6,      /* parallel runtime failure */
	BLOC_ENOTFOUND = -7, /* a named thing (contest, party, seat) does not exist */
	BLOC_EUSAGE = -8 /* a request that cannot be asked: an unknown setting, a malformed value,
	                    settings that do not go together (a command line's usage error) */
} bloc_err;

#if defined(__GNUC__)
#define BLOC_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define BLOC_PRINTF(a, b)
#endif

/**
 * Record `code` and a formatted message for the calling thread and return `code` (so callers can
 * write `return bloc_error_set(BLOC_EPARSE, "...")`). Messages say where (file:line:column) and
 * what was expected and found. The arguments may include bloc_error_last(). A message longer
 * than 1023 bytes is cut at a UTF-8 character boundary. Does not allocate.
 */
int bloc_error_set(int code, const char *fmt, ...) BLOC_PRINTF(2, 3);

/**
 * Record an out-of-memory failure: code BLOC_ENOMEM and the message "out of memory " followed by
 * the formatted context, which names what was being done (`bloc_error_oom("reading %s", path)`
 * gives "out of memory reading x.csv"). Does not allocate. @return BLOC_ENOMEM.
 */
int bloc_error_oom(const char *fmt, ...) BLOC_PRINTF(1, 2);

/**
 * Add context to the calling thread's error as it travels up: the message becomes
 * "<formatted>: <message>" (cut at the end if it no longer fits) and the code is kept. Does
 * nothing when there is no error (the last code is BLOC_OK). Does not allocate.
 * @return the error's code (BLOC_OK if none), so callers can write `return bloc_error_prefix(...)`.
 */
int bloc_error_prefix(const char *fmt, ...) BLOC_PRINTF(1, 2);

/** The calling thread's last message ("" if none). Borrowed; valid until the next set. */
const char *bloc_error_last(void);

/** The code recorded with the calling thread's last message (BLOC_OK if none). */
int bloc_error_last_code(void);

/** Forget the calling thread's error: code BLOC_OK and message "". */
void bloc_error_clear(void);

#ifdef __cplusplus
}
#endif
#endif
