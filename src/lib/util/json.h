/* Writing JSON text: strings and numbers, byte for byte as jansson's json_dumps(JSON_COMPACT |
 * JSON_REAL_PRECISION(15)) writes them (the table writer and the server compose documents from
 * these pieces). Library-internal. */
#ifndef BLOC_UTIL_JSON_H
#define BLOC_UTIL_JSON_H

#include "bloc/buf.h"

#include <stdint.h>
#include <stdio.h>

/**
 * Append s (NUL-terminated; the caller has checked it is valid UTF-8, see util/utf8.h) as a
 * JSON string: '"' and '\\' escaped, \b \f \n \r \t by name, other bytes below 0x20 as \u00XX;
 * everything else (0x7f, '/', non-ASCII) as is. @return BLOC_OK or the buffer's sticky error.
 */
int bloc__json_put_string(bloc_buf *b, const char *s);

/** The same string written to fp. @return BLOC_OK, or BLOC_EIO (message set) on a write error. */
int bloc__json_write_string(FILE *fp, const char *s);

/** Append an integer as "%lld" prints it. @return BLOC_OK or the buffer's sticky error. */
int bloc__json_put_int(bloc_buf *b, int64_t v);

/**
 * Append the decimal text of a real ("-12.50", as printf's "%.*f" prints it) as jansson prints
 * the double nearest it with 15 significant digits: "-12.5", "3.0", "1e-05".
 * @return BLOC_OK, BLOC_EINVAL (not a finite number, message set), BLOC_ENOMEM.
 */
int bloc__json_put_decimal(bloc_buf *b, const char *text);

/* In place, into room the caller has reserved (bloc_buf_reserve): */

/** s as a JSON string, as bloc__json_put_string writes it, at o (room: 6 * strlen(s) + 2).
 * @return the bytes written. */
size_t bloc__json_string_at(char *o, const char *s);
/** The decimal text as bloc__json_put_decimal writes it, at o (room: strlen(text) + 2), when it
 * needs no exponent: the bytes written, or 0 (then call bloc__json_put_decimal). */
size_t bloc__json_decimal_at(char *o, const char *text);
/** Is s (len bytes) printable ASCII without '"' or '\\': a JSON string as it is, unescaped? */
int bloc__json_plain(const char *s, size_t len);
/** v as bloc__json_put_int writes it, at o (room: 21). @return the bytes written. */
size_t bloc__json_int_at(char *o, int64_t v);
#endif
