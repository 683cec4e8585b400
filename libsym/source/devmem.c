/*
 * /dev/mem: physical addresses, read with pread or through page-aligned
 * mmap windows (--mmap), as the classic /dev/mem programs did.  Every
 * distribution builds CONFIG_STRICT_DEVMEM, under which the kernel refuses
 * RAM: read() and mmap() give EPERM, and below 1 MiB read() hands back
 * zeros.  Either way nothing read is data, so the probe at open time reads
 * the kernel's own text and refuses the source, saying why.  Where RAM is
 * readable, this is a physical source like a dump (phys.c), with the
 * kernel's VMCOREINFO note at the address /sys/kernel/vmcoreinfo gives.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sym_private.h"

#define VMCI_SYSFS	"/sys/kernel/vmcoreinfo"
/* An ELF note: namesz, descsz, type, then "VMCOREINFO\0" padded to 12. */
#define VMCI_DESC_OFF	24

/* The first "Kernel code" and the end of the last "System RAM" in
 * /proc/iomem (root only: others see zeros). */
static int
iomem_scan(uint64_t *kcode, uint64_t *ram_end)
{
	char line[256];
	uint64_t a, b;
	FILE *fp;

	*kcode = 0;
	*ram_end = 0;
	if ((fp = fopen("/proc/iomem", "re")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), fp) != NULL) {
		if (sscanf(line, " %" SCNx64 "-%" SCNx64, &a, &b) != 2)
			continue;
		if (strstr(line, ": Kernel code") != NULL && *kcode == 0)
			*kcode = a;
		if (strstr(line, ": System RAM") != NULL && b + 1 > *ram_end)
			*ram_end = b + 1;
	}
	fclose(fp);
	return *kcode != 0 ? 0 : -1;
}

static int
devmem_probe(sym_t *h, struct physfile *f, const char *path)
{
	const char *how = f->use_mmap ? "mmap" : "pread";
	unsigned char buf[64];
	uint64_t kcode;
	size_t i;

	if (iomem_scan(&kcode, &h->phys_end) == -1) {
		_sym_err(h, "%s: no physical address for the kernel: /proc/iomem "
		    "shows no 'Kernel code' (needs root)", path);
		return -1;
	}
	if (_pf_read(h, f, kcode, buf, sizeof(buf), path) == -1) {
		if (errno == EPERM)
			_sym_err(h, "%s: RAM at 0x%" PRIx64 " refused by %s "
			    "(EPERM): CONFIG_STRICT_DEVMEM allows only I/O "
			    "memory", path, kcode, how);
		return -1;
	}
	for (i = 0; i < sizeof(buf) && buf[i] == 0; i++)
		continue;
	if (i == sizeof(buf)) {
		_sym_err(h, "%s: kernel text at 0x%" PRIx64 " reads as zeros "
		    "by %s: CONFIG_STRICT_DEVMEM hides RAM", path, kcode,
		    how);
		return -1;
	}
	_sym_explain(h, "%s: the kernel text at physical 0x%" PRIx64 " is "
	    "readable by %s: no CONFIG_STRICT_DEVMEM", path, kcode, how);
	return 0;
}

/* The running kernel's VMCOREINFO note, where sysfs says it is. */
static int
devmem_vmcoreinfo(sym_t *h, struct physfile *f, const char *path)
{
	uint64_t pa;
	unsigned size;
	FILE *fp;
	int n;

	if ((fp = fopen(VMCI_SYSFS, "re")) == NULL) {
		_sym_syserr(h, "%s", VMCI_SYSFS);
		return -1;
	}
	n = fscanf(fp, "%" SCNx64 " %x", &pa, &size);
	fclose(fp);
	if (n != 2 || size <= VMCI_DESC_OFF || size > SYM_MAX_VMCOREINFO) {
		_sym_err(h, "%s: not \"ADDRESS SIZE\" of a note", VMCI_SYSFS);
		return -1;
	}
	if ((h->vmci_own = calloc(1, size + 1)) == NULL) {
		_sym_syserr(h, "%s", path);
		return -1;
	}
	if (_pf_read(h, f, pa + VMCI_DESC_OFF, h->vmci_own,
	    size - VMCI_DESC_OFF, path) == -1)
		return -1;
	h->vmcoreinfo = h->vmci_own;
	h->vmcoreinfo_len = strlen(h->vmci_own);
	return 0;
}

static int
devmem_open(sym_t *h, const char *path)
{
	struct physfile *f;
	int rc;

	if ((rc = _pf_source_open(h, path)) != 0) {
		if (rc == -2)
			;	/* the error is set */
		else if (errno == ENOENT)
			_sym_err(h, "%s: absent: kernel built without "
			    "CONFIG_DEVMEM", path);
		else if (errno == EACCES || errno == EPERM)
			_sym_syserr(h, "%s: needs root or CAP_SYS_RAWIO", path);
		else
			_sym_syserr(h, "%s", path);
		return -1;
	}
	f = h->mpriv;
	if (devmem_probe(h, f, path) == -1 ||
	    devmem_vmcoreinfo(h, f, path) == -1)
		return -1;
	return _phys_setup(h, VMCI_SYSFS, 1);
}

const struct sym_memops _sym_devmem_ops = {
	.name = "/dev/mem",
	.option = "mem",
	.src = SYM_SRC_MEM,
	.device = "/dev/mem",
	.open = devmem_open,
	.read = _phys_vread,
	.close = _pf_source_close,
};
