/*
 * /proc/kcore and ELF core files: PT_LOADs at kernel virtual addresses
 * (copies of kcore, kdump vmcores, kmemstat's own fixtures) or only at
 * physical ones (QEMU dump-guest-memory), read through translation.
 * _elfcore_open bounds segments by the file size except on procfs, where
 * kcore's size is the address space, not data.
 */
#include "config.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "sym_private.h"

static int
core_open_fd(sym_t *h, const char *path)
{
	struct elfcore *c;
	struct stat st;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	if (fstat(fd, &st) == -1)
		goto fail_errno;
	/* Container runtimes mask /proc/kcore by binding /dev/null on it. */
	if (S_ISCHR(st.st_mode)) {
		close(fd);
		_sym_err(h, "%s: masked (a character device is bound on it, "
		    "as container runtimes do)", path);
		errno = EPERM;
		return -2;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL)
		goto fail_errno;
	if (_elfcore_open(h, c, fd, path) == -1) {
		free(c);
		close(fd);
		return -2;
	}
	h->mpriv = c;
	h->vmcoreinfo = c->vmcoreinfo;
	h->vmcoreinfo_len = c->vmcoreinfo_len;
	return 0;
fail_errno:
	close(fd);
	return -1;
}

static int
kcore_read(sym_t *h, uint64_t addr, void *buf, size_t len)
{
	return _elfcore_read(h, h->mpriv, addr, buf, len, h->memfile);
}

static int
kcore_open(sym_t *h, const char *path)
{
	int rc = core_open_fd(h, path);

	if (rc == -1) {
		if (errno == ENOENT)
			_sym_err(h, "%s: absent: kernel built without "
			    "CONFIG_PROC_KCORE, or hidden by a container", path);
		else if (errno == EACCES || errno == EPERM)
			_sym_syserr(h, "%s: needs root or CAP_SYS_RAWIO", path);
		else
			_sym_syserr(h, "%s", path);
	}
	if (rc != 0)
		return -1;
	_sym_explain(h, "%s is an ELF core of the live kernel: each PT_LOAD "
	    "maps kernel virtual addresses to file offsets (where /dev/kmem "
	    "used the address itself as the offset)", path);
	return 0;
}

static int
core_read_phys(sym_t *h, uint64_t pa, void *buf, size_t len)
{
	return _elfcore_read_phys(h, h->mpriv, pa, buf, len, h->memfile);
}

static int
core_phys_next(sym_t *h, uint64_t pa, uint64_t *start, uint64_t *end)
{
	return _elfcore_phys_next(h, h->mpriv, pa, start, end, h->memfile);
}

/*
 * QEMU's dump-guest-memory: every PT_LOAD is physical (p_vaddr 0 or equal
 * to p_paddr), so every read is translated (phys.c).
 */
static int
physcore_open(sym_t *h, const char *path)
{
	struct elfcore *c = h->mpriv;

	c->physical = 1;
	h->mkind = "physical ELF dump";
	h->phys_read = core_read_phys;
	h->phys_next = core_phys_next;
	h->phys_end = _elfcore_phys_end(c);
	_sym_explain(h, "%s: every PT_LOAD holds physical addresses (QEMU "
	    "dump-guest-memory): kernel addresses are translated", path);
	return _phys_setup(h, "the dump's VMCOREINFO note", 1);
}

static int
core_probe(sym_t *h, const char *path, const unsigned char *magic, size_t n)
{
	return n >= SELFMAG && memcmp(magic, ELFMAG, SELFMAG) == 0;
}

static int
core_open(sym_t *h, const char *path)
{
	int rc;

	if ((rc = core_open_fd(h, path)) == -1)
		_sym_syserr(h, "%s", path);
	if (rc != 0)
		return -1;
	if (_elfcore_is_physical(h->mpriv))
		return physcore_open(h, path);
	return 0;
}

/* kcore and kdump fill p_paddr; kcore uses -1 for "none", a fixture 0. */
static int
has_paddr(const struct elfcore *c)
{
	size_t i;

	for (i = 0; i < c->nsegs; i++)
		if (c->segs[i].paddr != 0 && c->segs[i].paddr != UINT64_MAX)
			return 1;
	return 0;
}

/* Translation for a virtual core, set up once; a refusal is kept. */
static void
phys_fallback(sym_t *h, struct elfcore *c)
{
	c->phys_tried = 1;
	if (c->vmcoreinfo == NULL || !has_paddr(c))
		return;
	h->phys_read = core_read_phys;
	h->phys_next = core_phys_next;
	h->phys_end = _elfcore_phys_end(c);
	/* The pages a capture keeps stay virtual: only misses translate. */
	if (_phys_setup(h, "the dump's VMCOREINFO note", 0) == 0)
		return;
	h->phys_read = NULL;
	h->phys_next = NULL;
	c->phys_why = strdup(h->errbuf);
}

/*
 * kdump's vmcore maps the direct map and the image at their virtual
 * addresses, with p_paddr beside; a vmalloc'd stack is only reachable
 * through the page tables.  On the first miss, set up translation.
 */
static int
core_read(sym_t *h, uint64_t addr, void *buf, size_t len)
{
	struct elfcore *c = h->mpriv;
	char miss[SYM_ERRSIZE];

	if (c->physical)
		return _phys_vread(h, addr, buf, len);
	if (_elfcore_has(c, addr, len))
		return _elfcore_read(h, c, addr, buf, len, h->memfile);
	if (!c->phys_tried)
		phys_fallback(h, c);
	if (h->phys_read != NULL)
		return _phys_vread(h, addr, buf, len);
	if (_elfcore_read(h, c, addr, buf, len, h->memfile) == 0)
		return 0;
	if (c->phys_why != NULL) {
		snprintf(miss, sizeof(miss), "%s", h->errbuf);
		_sym_err(h, "%s (and through page tables: %s)", miss,
		    c->phys_why);
	}
	return -1;
}

static void
core_close(sym_t *h)
{
	struct elfcore *c = h->mpriv;

	if (c == NULL)
		return;
	_elfcore_close(c);
	free(c);
	h->mpriv = NULL;
	h->vmcoreinfo = NULL;
}

const struct sym_memops _sym_kcore_ops = {
	.name = "/proc/kcore",
	.option = "kcore",
	.src = SYM_SRC_KCORE,
	.device = "/proc/kcore",
	.autotry = 1,
	.open = kcore_open,
	.read = kcore_read,
	.close = core_close,
};

const struct sym_memops _sym_core_ops = {
	.name = "core file",
	.option = "core",
	.src = SYM_SRC_CORE,
	.probe = core_probe,
	.open = core_open,
	.read = core_read,
	.close = core_close,
};
