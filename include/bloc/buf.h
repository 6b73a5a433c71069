/* bloc — a growable text buffer for the renderers that build documents in memory (SVG, HTML,
 * JSON): appends never overflow, and the first failure sticks, so a writer appends freely and
 * checks once at the end (curl's dynbuf, libgit2's git_str). */
#ifndef BLOC_BUF_H
#define BLOC_BUF_H

#include <stddef.h>

#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The most bytes one buffer may hold (a full report is well under 2 MB). */
#define BLOC_BUF_MAX ((size_t)256 << 20)

/** A buffer in caller storage: `ptr` is NUL-terminated whenever `len` > 0. */
typedef struct {
	char *ptr;
	size_t len, cap;
	int err; /* the first failure (BLOC_ENOMEM, or BLOC_EINVAL past BLOC_BUF_MAX); sticky */
} bloc_buf;

#define BLOC_BUF_INIT                                                                              \
	{                                                                                          \
		NULL, 0, 0, 0                                                                      \
	}

void bloc_buf_init(bloc_buf *b);
/** Free the text and reset to empty; accepts a zeroed or already disposed buffer. */
void bloc_buf_dispose(bloc_buf *b);
/** Forget the text but keep the memory (the sticky error is cleared too). */
void bloc_buf_clear(bloc_buf *b);

/** Append bytes / a string / printf output. @return BLOC_OK or the buffer's sticky error. */
int bloc_buf_put(bloc_buf *b, const char *s, size_t n);
int bloc_buf_puts(bloc_buf *b, const char *s);
int bloc_buf_printf(bloc_buf *b, const char *fmt, ...) BLOC_PRINTF(2, 3);

/**
 * Append `s` escaped for XML and HTML text and attribute values: & < > " ' become entities,
 * control characters other than tab and newline are dropped, and invalid UTF-8 bytes become
 * U+FFFD. Safe inside "..." and '...' attributes and element content.
 */
int bloc_buf_put_xml(bloc_buf *b, const char *s);

/**
 * Room to write n bytes in place: a pointer to the end of the text with at least n + 1 bytes
 * behind it, or NULL on a failure (the sticky error). Write, then bloc_buf_commit the bytes
 * written (at most n); a writer that knows a bound appends a row in one step.
 */
char *bloc_buf_reserve(bloc_buf *b, size_t n);
/** Add n bytes written at bloc_buf_reserve's pointer to the text. */
void bloc_buf_commit(bloc_buf *b, size_t n);

/** The text so far ("" when empty). Borrowed. */
const char *bloc_buf_cstr(const bloc_buf *b);

/** The sticky error with a message set (BLOC_OK if none): call once after appending. */
int bloc_buf_check(const bloc_buf *b);

/**
 * Hand the text over: *out (free with free()) and its length; the buffer is left empty.
 * @return BLOC_OK, or the sticky error (nothing is handed over; the buffer is disposed).
 */
int bloc_buf_detach(bloc_buf *b, char **out, size_t *len);

#ifdef __cplusplus
}
#endif
#endif
