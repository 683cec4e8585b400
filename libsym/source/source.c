/*
 * Choosing and opening the memory source, BSD style: -M names a file, else
 * the system's own devices are tried in the order history made them
 * (/dev/kmem, then /proc/kcore), else the tools fall back to /proc.
 * Privileges (setgid kmem) are dropped as soon as the source is open, and
 * before any user-named file is opened.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "sym_private.h"

static const char *const source_names[] = {
	[SYM_SRC_AUTO] = "auto",
	[SYM_SRC_KMEM] = "kmem",
	[SYM_SRC_KCORE] = "kcore",
	[SYM_SRC_MEM] = "mem",
	[SYM_SRC_CORE] = "core",
	[SYM_SRC_PROC] = "proc",
};

const char *
sym_source_name(enum sym_source src)
{
	if ((unsigned)src >= sizeof(source_names) / sizeof(source_names[0]))
		return "?";
	return source_names[src];
}

int
sym_source_parse(const char *name, enum sym_source *src)
{
	size_t i;

	for (i = 0; i < sizeof(source_names) / sizeof(source_names[0]); i++)
		if (strcmp(name, source_names[i]) == 0) {
			*src = (enum sym_source)i;
			return 0;
		}
	return -1;
}

static const struct sym_memops *
source_ops(enum sym_source src)
{
	switch (src) {
	case SYM_SRC_KMEM:
		return &_sym_kmem_ops;
	case SYM_SRC_KCORE:
		return &_sym_kcore_ops;
	case SYM_SRC_MEM:
		return &_sym_devmem_ops;
	case SYM_SRC_CORE:
		return &_sym_core_ops;
	default:
		return NULL;
	}
}

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

static void
add_refusal(sym_t *h)
{
	size_t n = strlen(h->refusals);

	snprintf(h->refusals + n, sizeof(h->refusals) - n, "%s%s",
	    n ? "; " : "", h->errbuf);
}

/* Opens one source; on failure its reason is kept among the refusals. */
static int
try_source(sym_t *h, enum sym_source src, const char *path)
{
	const struct sym_memops *ops = source_ops(src);

	_sym_explain(h, "trying %s as the memory source", path ? path :
	    ops->name);
	free(h->memfile);
	if ((h->memfile = strdup(path ? path : ops->name)) == NULL) {
		_sym_err(h, "out of memory");
		return -1;
	}
	/* An open may choose a more specific table (core_open does). */
	h->mops = NULL;
	if (ops->open(h, h->memfile) == -1) {
		add_refusal(h);
		_sym_explain(h, "refused: %s", h->errbuf);
		if (h->mops != NULL && h->mops->close != NULL)
			h->mops->close(h);
		h->mops = NULL;
		free(h->memfile);
		h->memfile = NULL;
		return -1;
	}
	if (h->mops == NULL)
		h->mops = ops;
	ops = h->mops;
	h->src = src;
	_sym_explain(h, "opened %s read-only", h->memfile);
	_sym_finding(h, "source", "%s, read as %s", h->memfile, ops->name);
	return 0;
}

/* Which kernel are we reading: the release decides the default namelist. */
static void
identify_kernel(sym_t *h)
{
	struct utsname u;

	if (h->vmcoreinfo != NULL &&
	    _vmci_get(h->vmcoreinfo, h->vmcoreinfo_len, "OSRELEASE",
	    h->release, sizeof(h->release)) == 0) {
		_sym_explain(h, "VMCOREINFO says OSRELEASE=%s", h->release);
		_sym_finding(h, "release", "%s (VMCOREINFO OSRELEASE)",
		    h->release);
		return;
	}
	if (h->live && uname(&u) == 0)
		snprintf(h->release, sizeof(h->release), "%s", u.release);
}

static int
open_auto(sym_t *h)
{
	if (try_source(h, SYM_SRC_KMEM, NULL) == 0)
		return 0;
	if (try_source(h, SYM_SRC_KCORE, NULL) == 0)
		return 0;
	h->src = SYM_SRC_PROC;
	_sym_explain(h, "no kernel memory source: falling back to /proc, "
	    "where the kernel formats the numbers itself");
	return 0;
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
	    (o->btf && (h->btfopt = strdup(o->btf)) == NULL) ||
	    (o->capture && (h->cap = _cap_new()) == NULL)) {
		_sym_err(h, "out of memory");
		goto fail;
	}
	if (o->memfile != NULL && (src == SYM_SRC_AUTO || src == SYM_SRC_PROC))
		src = SYM_SRC_CORE;
	if (o->memfile != NULL)
		drop_privileges(h);
	h->live = o->memfile == NULL;
	h->use_mmap = o->use_mmap;

	switch (src) {
	case SYM_SRC_AUTO:
		if (open_auto(h) == -1)
			goto fail;
		break;
	case SYM_SRC_PROC:
		h->src = SYM_SRC_PROC;
		_sym_explain(h, "reading /proc as asked: no kernel memory");
		break;
	case SYM_SRC_CORE:
		if (o->memfile == NULL) {
			_sym_err(h, "--source=core needs a core file (-M)");
			goto fail;
		}
		/* FALLTHROUGH */
	default:
		if (try_source(h, src, o->memfile) == -1)
			goto fail;
		break;
	}
	drop_privileges(h);
	identify_kernel(h);
	return h;
fail:
	snprintf(errbuf, SYM_ERRSIZE, "%s", h->errbuf);
	sym_close(h);
	return NULL;
}

int
sym_read(sym_t *h, uint64_t addr, void *buf, size_t len)
{
	int rc;

	if (h->mops == NULL) {
		_sym_err(h, "0x%llx: no kernel memory source is open (reading "
		    "/proc)", (unsigned long long)addr);
		return -1;
	}
	if (addr + len < addr) {
		_sym_err(h, "0x%llx: read of %zu bytes wraps the address space",
		    (unsigned long long)addr, len);
		return -1;
	}
	if (h->cap != NULL && !h->in_capture && _cap_virtual(h->cap))
		rc = _cap_read(h, addr, buf, len);
	else
		rc = h->mops->read(h, addr, buf, len);
	if (rc == 0)
		_sym_explain_bytes(h, addr, buf, len);
	return rc;
}

int
_sym_read_ulong(sym_t *h, uint64_t addr, unsigned long *v)
{
	return sym_read(h, addr, v, sizeof(*v));
}

int
_sym_read_u32(sym_t *h, uint64_t addr, uint32_t *v)
{
	return sym_read(h, addr, v, sizeof(*v));
}

int
_sym_read_s64(sym_t *h, uint64_t addr, int64_t *v)
{
	return sym_read(h, addr, v, sizeof(*v));
}

/*
 * Kernel pointers live in the top half of the canonical address space.
 * Anything else read out of kernel memory is garbage or a race, and must
 * not be followed.
 */
int
_sym_kaddr_ok(uint64_t addr)
{
	return addr >= SYM_KERNEL_MIN && addr < UINT64_MAX - SYM_PAGE_SIZE;
}
