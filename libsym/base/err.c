/*
 * The error buffer and the findings, as libkvm's _kvm_err and _kvm_syserr:
 * every layer calls these, and this file calls nobody.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sym_private.h"

char *
sym_escape(char *dst, size_t len, const char *src)
{
	size_t i;

	if (len == 0)
		return dst;
	for (i = 0; i + 1 < len && src[i] != '\0'; i++)
		dst[i] = (unsigned char)src[i] >= 0x20 &&
		    (unsigned char)src[i] < 0x7f ? src[i] : '?';
	dst[i] = '\0';
	return dst;
}

/* Every message may quote a dump's bytes: one escaped line. */
void
_sym_err(sym_t *h, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(h->errbuf, sizeof(h->errbuf), fmt, ap);
	va_end(ap);
	sym_escape(h->errbuf, sizeof(h->errbuf), h->errbuf);
}

void
_sym_syserr(sym_t *h, const char *fmt, ...)
{
	va_list ap;
	size_t n;
	int saved = errno;

	va_start(ap, fmt);
	vsnprintf(h->errbuf, sizeof(h->errbuf), fmt, ap);
	va_end(ap);
	n = strlen(h->errbuf);
	snprintf(h->errbuf + n, sizeof(h->errbuf) - n, ": %s",
	    strerror(saved));
	sym_escape(h->errbuf, sizeof(h->errbuf), h->errbuf);
	errno = saved;
}

const char *
sym_geterr(const sym_t *h)
{
	return h->errbuf;
}

/* Drops the line for key, if any, from the findings. */
static void
finding_drop(sym_t *h, const char *key, size_t klen)
{
	char *p = h->findings, *end;

	while (p != NULL && *p != '\0') {
		end = strchr(p, '\n');
		end = end != NULL ? end + 1 : p + strlen(p);
		if (strncmp(p, key, klen) == 0 && p[klen] == ':') {
			memmove(p, end, strlen(end) + 1);
			h->findings_len -= (size_t)(end - p);
			return;
		}
		p = end;
	}
}

void
_sym_finding(sym_t *h, const char *key, const char *fmt, ...)
{
	char line[1024], *n;
	size_t klen = strlen(key), len;
	va_list ap;
	int k;

	k = snprintf(line, sizeof(line), "%s: ", key);
	if (k < 0 || (size_t)k >= sizeof(line))
		return;
	va_start(ap, fmt);
	vsnprintf(line + k, sizeof(line) - (size_t)k, fmt, ap);
	va_end(ap);
	sym_escape(line, sizeof(line), line);
	finding_drop(h, key, klen);
	len = strlen(line);
	if ((n = realloc(h->findings, h->findings_len + len + 2)) == NULL)
		return;		/* a finding is a report, never a failure */
	memcpy(n + h->findings_len, line, len);
	n[h->findings_len + len] = '\n';
	n[h->findings_len + len + 1] = '\0';
	h->findings = n;
	h->findings_len += len + 1;
}

const char *
sym_findings(const sym_t *h)
{
	return h->findings != NULL ? h->findings : "";
}
