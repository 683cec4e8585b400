/*
 * /proc/kcore and ELF core files whose PT_LOADs hold kernel virtual
 * addresses (copies of kcore, and kmemstat's own fixtures).  One reader,
 * two tables: they differ in what a refusal means.  _elfcore_open bounds
 * segments by the file size except on procfs, where kcore's size is the
 * address space, not data.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
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

/* Dumps holding physical addresses need translation (not this source). */
static int
core_is_physical(const struct elfcore *c)
{
	size_t i;

	for (i = 0; i < c->nsegs; i++)
		if (c->segs[i].vaddr >= SYM_KERNEL_MIN)
			return 0;
	return c->nsegs > 0;
}

static int
core_open(sym_t *h, const char *path)
{
	int rc = core_open_fd(h, path);

	if (rc == -1)
		_sym_syserr(h, "%s", path);
	if (rc != 0)
		return -1;
	if (core_is_physical(h->mpriv)) {
		_sym_err(h, "%s: PT_LOADs hold physical addresses (a QEMU or "
		    "kdump dump); physical dumps are not supported yet", path);
		h->mops = &_sym_core_ops;
		return -1;
	}
	return 0;
}

static int
core_read(sym_t *h, uint64_t addr, void *buf, size_t len)
{
	return _elfcore_read(h, h->mpriv, addr, buf, len, h->memfile);
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
	.src = SYM_SRC_KCORE,
	.open = kcore_open,
	.read = core_read,
	.close = core_close,
};

const struct sym_memops _sym_core_ops = {
	.name = "core file",
	.src = SYM_SRC_CORE,
	.open = core_open,
	.read = core_read,
	.close = core_close,
};
