/* Escaping as procps does it; utf8: the locale's codeset is UTF-8. */
#ifndef CMD_PS_ESCAPE_H
#define CMD_PS_ESCAPE_H

#include <stddef.h>

/* libproc2 escape_str: a copy bounded to bufsize, made printable. */
int lib_escape(int utf8, char *dst, const char *src, size_t bufsize);
/* ps escape_str: at most *cells screen cells, bufsize bytes; *cells is
 * left holding the cells not used. */
int ps_escape(int utf8, char *dst, const char *src, int bufsize, int *cells);

#endif
