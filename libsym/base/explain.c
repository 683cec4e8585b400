/*
 * The teaching trace (--explain): each step as it happens, on the stream
 * the caller gave.  Kept apart from the error buffer: errors say what went
 * wrong, the trace says what was done and what the old Unix did instead.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sym_private.h"

void
_sym_explain(sym_t *h, const char *fmt, ...)
{
	char line[4096];
	va_list ap;

	if (h->explain == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	/* A step may quote a dump's bytes: escaped for the terminal. */
	fprintf(h->explain, "explain: %s\n", sym_escape(line, sizeof(line),
	    line));
}

/* Bytes as a hex dump line, the way od(1) showed them to a 1980s student. */
void
_sym_explain_bytes(sym_t *h, uint64_t addr, const void *buf, size_t len)
{
	const unsigned char *p = buf;
	size_t i;

	if (h->explain == NULL)
		return;
	fprintf(h->explain, "explain:   read %zu bytes at 0x%016llx:", len,
	    (unsigned long long)addr);
	for (i = 0; i < len && i < 32; i++)
		fprintf(h->explain, " %02x", p[i]);
	if (len > 32)
		fputs(" ...", h->explain);
	fputc('\n', h->explain);
}
