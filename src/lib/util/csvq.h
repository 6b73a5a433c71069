/* Writing CSV fields as RFC 4180 asks: a field is quoted only when it must be, and a quote inside
 * a quoted field is doubled. Library-internal. */
#ifndef BLOC_UTIL_CSVQ_H
#define BLOC_UTIL_CSVQ_H

#include "bloc/buf.h"

#include <stdio.h>

/* Also quote a field that starts or ends with a space or tab (which a reader that trims
 * unquoted fields, as bloc's does, would otherwise lose). */
#define BLOC__CSV_QUOTE_EDGE_SPACE 1u

/** 1 if s must be quoted: it holds a comma, a quote, CR or LF (or, with
 *  BLOC__CSV_QUOTE_EDGE_SPACE in `flags`, starts or ends with a space or tab). */
int bloc__csv_needs_quotes(const char *s, unsigned flags);

/** Append s as one CSV field. @return BLOC_OK or the buffer's sticky error. */
int bloc__csv_put_field(bloc_buf *b, const char *s);

/** Write s as one CSV field to fp. @return BLOC_OK, or BLOC_EIO (message set). */
int bloc__csv_write_field(FILE *fp, const char *s);

/** bloc__csv_write_field with quoting `flags` (BLOC__CSV_QUOTE_*). */
int bloc__csv_write_field_flags(FILE *fp, const char *s, unsigned flags);

#endif
