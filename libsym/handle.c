/*
 * The handle: one per session, one error buffer, filled by two helpers
 * (as libkvm's _kvm_err and _kvm_syserr).
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sym_private.h"

void
_sym_err(sym_t *h, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(h->errbuf, sizeof(h->errbuf), fmt, ap);
	va_end(ap);
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
	errno = saved;
}

const char *
sym_geterr(const sym_t *h)
{
	return h->errbuf;
}

sym_t *
_sym_new(FILE *explain)
{
	sym_t *h;

	if ((h = calloc(1, sizeof(*h))) == NULL)
		return NULL;
	h->explain = explain;
	return h;
}

void
sym_close(sym_t *h)
{
	if (h == NULL)
		return;
	/* The cache is keyed by the source's VMCOREINFO: write it first. */
	_cache_write(h);
	_cache_free(h);
	if (h->mops != NULL && h->mops->close != NULL)
		h->mops->close(h);
	_symtab_free(h->syms);
	_symtab_free(h->cachesyms);
	_sym_types_free(h);
	_cap_free(h->cap);
	free(h->memfile);
	free(h->nlopt);
	free(h->nlpath);
	free(h->btfopt);
	free(h->btfpath);
	free(h);
}

enum sym_source
sym_source(const sym_t *h)
{
	return h->src;
}

const char *
sym_memfile(const sym_t *h)
{
	return h->memfile != NULL ? h->memfile : "/proc";
}

const char *
sym_refusals(const sym_t *h)
{
	return h->refusals;
}

int64_t
sym_kaslr_slide(const sym_t *h)
{
	return h->slide;
}

const char *
sym_release(const sym_t *h)
{
	return h->release;
}
