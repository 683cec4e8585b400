/*
 * /dev/mem: physical addresses.  Every distribution builds
 * CONFIG_STRICT_DEVMEM, under which the kernel refuses RAM: read() gives
 * EPERM, and below 1 MiB it hands back zeros.  Either way nothing read is
 * data, so the probe at open time refuses the source and says why.
 *
 * Only kernel-image addresses are translated here: physical = virtual -
 * _text + the physical start of "Kernel code" in /proc/iomem.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sym_private.h"

struct devmem {
	int fd;
	uint64_t kcode;		/* physical address of _text */
};

/* "  01000000-01e00e56 : Kernel code" (root only: others see zeros). */
static int
iomem_kernel_code(uint64_t *start)
{
	char line[256];
	FILE *fp;
	int rc = -1;

	if ((fp = fopen("/proc/iomem", "re")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), fp) != NULL) {
		if (strstr(line, ": Kernel code") == NULL)
			continue;
		if (sscanf(line, " %" SCNx64, start) == 1 && *start != 0)
			rc = 0;
		break;
	}
	fclose(fp);
	return rc;
}

static int
devmem_probe(sym_t *h, struct devmem *m, const char *path)
{
	unsigned char buf[64];
	ssize_t n;
	size_t i;

	if (iomem_kernel_code(&m->kcode) == -1) {
		_sym_err(h, "%s: no physical address for the kernel: /proc/iomem "
		    "shows no 'Kernel code' (needs root)", path);
		return -1;
	}
	n = pread(m->fd, buf, sizeof(buf), (off_t)m->kcode);
	if (n == -1 && errno == EPERM) {
		_sym_err(h, "%s: RAM at 0x%" PRIx64 " refused (EPERM): "
		    "CONFIG_STRICT_DEVMEM allows only I/O memory", path,
		    m->kcode);
		return -1;
	}
	if (n != (ssize_t)sizeof(buf)) {
		_sym_syserr(h, "%s: read at 0x%" PRIx64, path, m->kcode);
		return -1;
	}
	for (i = 0; i < sizeof(buf) && buf[i] == 0; i++)
		continue;
	if (i == sizeof(buf)) {
		_sym_err(h, "%s: kernel text at 0x%" PRIx64 " reads as zeros: "
		    "CONFIG_STRICT_DEVMEM hides RAM", path, m->kcode);
		return -1;
	}
	return 0;
}

static int
devmem_open(sym_t *h, const char *path)
{
	struct devmem *m;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		if (errno == ENOENT)
			_sym_err(h, "%s: absent: kernel built without "
			    "CONFIG_DEVMEM", path);
		else if (errno == EACCES || errno == EPERM)
			_sym_syserr(h, "%s: needs root or CAP_SYS_RAWIO", path);
		else
			_sym_syserr(h, "%s", path);
		return -1;
	}
	if ((m = calloc(1, sizeof(*m))) == NULL) {
		close(fd);
		_sym_err(h, "out of memory");
		return -1;
	}
	m->fd = fd;
	if (devmem_probe(h, m, path) == -1) {
		close(fd);
		free(m);
		return -1;
	}
	h->mpriv = m;
	return 0;
}

static int
devmem_read(sym_t *h, uint64_t addr, void *buf, size_t len)
{
	struct devmem *m = h->mpriv;
	uint64_t text, phys;
	ssize_t n;

	if (addr < SYM_START_KERNEL_MAP) {
		_sym_err(h, "%s: 0x%llx is outside the kernel image; only image "
		    "addresses are translated", h->memfile,
		    (unsigned long long)addr);
		return -1;
	}
	if (_sym_addr(h, "_text", &text) == -1)
		return -1;
	phys = addr - text + m->kcode;
	_sym_explain(h, "virtual 0x%llx - _text 0x%llx + Kernel code 0x%llx "
	    "= physical 0x%llx", (unsigned long long)addr,
	    (unsigned long long)text, (unsigned long long)m->kcode,
	    (unsigned long long)phys);
	n = pread(m->fd, buf, len, (off_t)phys);
	if (n != (ssize_t)len) {
		if (n >= 0)
			errno = EIO;
		_sym_syserr(h, "%s: read at physical 0x%llx (virtual 0x%llx)",
		    h->memfile, (unsigned long long)phys,
		    (unsigned long long)addr);
		return -1;
	}
	return 0;
}

static void
devmem_close(sym_t *h)
{
	struct devmem *m = h->mpriv;

	if (m == NULL)
		return;
	close(m->fd);
	free(m);
	h->mpriv = NULL;
}

const struct sym_memops _sym_devmem_ops = {
	.name = "/dev/mem",
	.src = SYM_SRC_MEM,
	.open = devmem_open,
	.read = devmem_read,
	.close = devmem_close,
};
