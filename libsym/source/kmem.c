/*
 * /dev/kmem: kernel virtual addresses as file offsets, the way ps and
 * uptime read avenrun and proc[] for thirty years.  Linux removed the
 * device in 5.13 (commit bbcd53c96071, "drivers/char: remove /dev/kmem for
 * good"); distributions had turned CONFIG_DEVKMEM off long before.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sym_private.h"

struct kmem {
	int fd;
};

static int
kmem_open(sym_t *h, const char *path)
{
	struct kmem *k;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		if (errno == ENOENT)
			_sym_err(h, "%s: absent: removed in Linux 5.13 "
			    "(CONFIG_DEVKMEM)", path);
		else if (errno == EACCES || errno == EPERM)
			_sym_syserr(h, "%s: needs root or CAP_SYS_RAWIO", path);
		else
			_sym_syserr(h, "%s", path);
		return -1;
	}
	if ((k = malloc(sizeof(*k))) == NULL) {
		close(fd);
		_sym_err(h, "out of memory");
		return -1;
	}
	k->fd = fd;
	h->mpriv = k;
	return 0;
}

/*
 * The address is negative as an off_t.  The kernel marks the file
 * FMODE_UNSIGNED_OFFSET, so lseek accepts it and returns it, negative:
 * only (off_t)-1 with errno set is a failure.  pread() refuses negative
 * offsets outright, hence lseek and read.
 */
static int
kmem_read(sym_t *h, uint64_t addr, void *buf, size_t len)
{
	struct kmem *k = h->mpriv;
	size_t done = 0;
	ssize_t n;
	off_t off;

	errno = 0;
	off = lseek(k->fd, (off_t)addr, SEEK_SET);
	if (off == (off_t)-1 && errno != 0) {
		_sym_syserr(h, "%s: lseek to 0x%llx", h->memfile,
		    (unsigned long long)addr);
		return -1;
	}
	_sym_explain(h, "lseek(/dev/kmem, 0x%llx, SEEK_SET): the offset is "
	    "the kernel virtual address itself, as in 1980: one lseek and "
	    "one read per variable", (unsigned long long)addr);
	while (done < len) {
		n = read(k->fd, (char *)buf + done, len - done);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = ENXIO;
			_sym_syserr(h, "%s: read at 0x%llx", h->memfile,
			    (unsigned long long)(addr + done));
			return -1;
		}
		done += (size_t)n;
	}
	return 0;
}

static void
kmem_close(sym_t *h)
{
	struct kmem *k = h->mpriv;

	if (k == NULL)
		return;
	close(k->fd);
	free(k);
	h->mpriv = NULL;
}

const struct sym_memops _sym_kmem_ops = {
	.name = "/dev/kmem",
	.option = "kmem",
	.src = SYM_SRC_KMEM,
	.device = "/dev/kmem",
	.autotry = 1,
	.open = kmem_open,
	.read = kmem_read,
	.close = kmem_close,
};
