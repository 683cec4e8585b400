/*
 * An ELF dump through the core source (source/kcore.c): a physical one
 * (QEMU dump-guest-memory) sets up translation (arch/x86_64/phys.c):
 * VMCOREINFO, found in a note or by scanning, phys_base, init_uts_ns;
 * then kernel addresses are read through it.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

/* Addresses VMCOREINFO names, read as the tools would. */
static void
reads(sym_t *h)
{
	static const char *const keys[] = { "SYMBOL(init_uts_ns)",
	    "SYMBOL(_stext)", "SYMBOL(init_top_pgt)", "SYMBOL(swapper_pg_dir)",
	    "SYMBOL(mem_section)", "SYMBOL(kallsyms_names)" };
	unsigned char buf[256];
	uint64_t a;
	size_t i;

	if (h->vmcoreinfo == NULL)
		return;
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (_vmci_u64(h->vmcoreinfo, h->vmcoreinfo_len, keys[i], 16,
		    &a) == 0)
			(void)sym_read(h, a, buf, sizeof(buf));
	/* The direct map and vmalloc space, through the page tables. */
	(void)sym_read(h, 0xffff888000001000ULL, buf, 64);
	(void)sym_read(h, 0xffffc90000000000ULL, buf, 64);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fz_file(data, size);
	sym_t *h = fz_handle();

	if ((h->memfile = strdup(path)) == NULL)
		abort();
	h->mops = &_sym_core_ops;
	h->src = SYM_SRC_CORE;
	if (_sym_core_ops.open(h, path) == 0)
		reads(h);
	sym_close(h);
	return 0;
}
