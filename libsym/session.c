/*
 * The session: sym_open picks the memory source and the provider of the
 * statistics (kernel memory, or /proc) once; sym_close undoes it all.
 * The top of the library: it may call every layer, and none calls it.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "sym_private.h"

/* A setgid-kmem install gives up the group once the source is open. */
static void
drop_privileges(sym_t *h)
{
	if (getegid() == getgid())
		return;
	if (setgid(getgid()) == -1)
		abort();	/* never carry kmem into user-named files */
	_sym_explain(h, "dropped setgid privileges (as BSD ps: so that bad "
	    "guys can't print interesting stuff from kernel memory)");
}

/* Which kernel are we reading: the release decides the default namelist. */
static void
identify_kernel(sym_t *h)
{
	struct utsname u;
	char *p;

	if (h->vmcoreinfo != NULL &&
	    _vmci_get(h->vmcoreinfo, h->vmcoreinfo_len, "OSRELEASE",
	    h->release, sizeof(h->release)) == 0) {
		/* The dump's bytes: printed, and part of namelist paths. */
		sym_escape(h->release, sizeof(h->release), h->release);
		for (p = h->release; (p = strchr(p, '/')) != NULL; )
			*p = '?';
		_sym_explain(h, "VMCOREINFO says OSRELEASE=%s", h->release);
		_sym_finding(h, "release", "%s (VMCOREINFO OSRELEASE)",
		    h->release);
		return;
	}
	if (h->live && uname(&u) == 0)
		snprintf(h->release, sizeof(h->release), "%s", u.release);
}

sym_t *
_sym_new(FILE *explain)
{
	sym_t *h;

	if ((h = calloc(1, sizeof(*h))) == NULL)
		return NULL;
	h->explain = explain;
	h->prov = &_sym_kernel_provider;
	return h;
}

sym_t *
sym_open(const struct sym_opts *o, char *errbuf)
{
	enum sym_source src = o->source;
	sym_t *h;

	if ((h = _sym_new(o->explain)) == NULL) {
		snprintf(errbuf, SYM_ERRSIZE, "out of memory");
		return NULL;
	}
	if ((o->namelist && (h->nlopt = strdup(o->namelist)) == NULL) ||
	    (o->btf && (h->btfopt = strdup(o->btf)) == NULL)) {
		_sym_err(h, "out of memory");
		goto fail;
	}
	if (o->capture && _rec_attach(h) == -1)
		goto fail;
	if (o->memfile != NULL && (src == SYM_SRC_AUTO || src == SYM_SRC_PROC))
		src = SYM_SRC_CORE;
	if (o->memfile != NULL)
		drop_privileges(h);
	h->live = o->memfile == NULL;
	h->use_mmap = o->use_mmap;
	if (_src_open(h, src, o->memfile) == -1)
		goto fail;
	drop_privileges(h);
	h->prov = h->src == SYM_SRC_PROC ? &_sym_proc_provider :
	    &_sym_kernel_provider;
	identify_kernel(h);
	return h;
fail:
	snprintf(errbuf, SYM_ERRSIZE, "%s", h->errbuf);
	sym_close(h);
	return NULL;
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
	free(h->vmci_own);
	_symtab_free(h->syms);
	_symtab_free(h->cachesyms);
	_sym_types_free(h);
	if (h->hooks != NULL)
		h->hooks->free(h);
	_orc_free(h);
	free(h->memfile);
	free(h->nlopt);
	free(h->nlpath);
	free(h->btfopt);
	free(h->btfpath);
	free(h->findings);
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


/* ---- the statistics, from the provider chosen at open ---- */

int
sym_loadavg(sym_t *h, struct sym_loadavg *la)
{
	memset(la, 0, sizeof(*la));
	return h->prov->loadavg(h, la);
}

int
sym_uptime(sym_t *h, struct sym_uptime *up)
{
	memset(up, 0, sizeof(*up));
	return h->prov->uptime(h, up);
}

int
sym_tasks(sym_t *h, unsigned flags, struct sym_tasks *out)
{
	out->task = NULL;
	out->n = 0;
	return h->prov->tasks(h, flags, out);
}

int
sym_psinfo(sym_t *h, struct sym_psinfo *out)
{
	return h->prov->psinfo(h, out);
}

int
sym_tty_atime(sym_t *h, const char *line, int64_t *sec)
{
	return h->prov->tty_atime(h, line, sec);
}
