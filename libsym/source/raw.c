/*
 * Raw images of physical memory: a file whose offset is the physical
 * address, such as the RAM of a running QEMU guest started with
 * -object memory-backend-file,...,share=on (read while the guest runs),
 * or a copy of one.  Nothing in the file says which kernel it holds:
 * _phys_setup finds the kernel's VMCOREINFO page by scanning.
 */
#include "config.h"

#include "sym_private.h"

static int
raw_open(sym_t *h, const char *path)
{
	const struct physfile *f;
	int rc;

	if ((rc = _pf_source_open(h, path)) != 0) {
		if (rc == -1)
			_sym_syserr(h, "%s", path);
		return -1;
	}
	f = h->mpriv;
	if (f->size == 0) {
		_sym_err(h, "%s: a device, not a memory image (for /dev/mem use "
		    "--source=mem)", path);
		return -1;
	}
	h->phys_end = f->size;
	_sym_explain(h, "%s: not ELF and not kdump: a raw image of physical "
	    "memory, file offset = physical address, read with %s", path,
	    f->use_mmap ? "mmap(2) windows" : "pread(2)");
	return _phys_setup(h, path, 1);
}

const struct sym_memops _sym_raw_ops = {
	.name = "raw memory image",
	.option = "core",
	.src = SYM_SRC_CORE,
	.open = raw_open,
	.read = _phys_vread,
	.close = _pf_source_close,
};
