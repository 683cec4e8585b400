/*
 * Reading kernel virtual memory through whichever source is open: the one
 * call every layer above makes.  A recorder sees each read through its
 * hook; the source never knows.
 */
#include "config.h"

#include "sym_private.h"

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
	if (h->hooks != NULL && !h->in_capture)
		rc = h->hooks->read(h, addr, buf, len);
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
