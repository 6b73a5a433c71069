/* Library-internal: what the store does to the calling thread's message. */
#ifndef BLOC_CORE_ERROR_INT_H
#define BLOC_CORE_ERROR_INT_H

/**
 * Name files relative to the directory `dir` in the calling thread's message: every "DIR/"
 * (DIR without its trailing '/'s, at the start of the message or after a character that
 * cannot be part of a path) is dropped, so "loading ge2024: /srv/data/results/x.csv:3:4: ..."
 * becomes "loading ge2024: results/x.csv:3:4: ...". The server's store applies it, so that an
 * answer's error never shows where the data lives. Does nothing for an empty dir or "/".
 * @return the error's code, so callers can write `return bloc__error_relative(dir)`.
 */
int bloc__error_relative(const char *dir);

#endif
