/* VMCOREINFO text (base/vmcoreinfo.c) and the cache key drawn from it. */
#include "config.h"

#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const keys[] = { "OSRELEASE", "BUILD-ID",
	    "KERNELOFFSET", "NUMBER(phys_base)", "SYMBOL(init_uts_ns)",
	    "NUMBER(KERNEL_IMAGE_SIZE)", "PAGESIZE", "" };
	const char *text = (const char *)data;
	char buf[128], path[4096];
	uint64_t u;
	int64_t s;
	sym_t *h;
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		(void)_vmci_get(text, size, keys[i], buf, sizeof(buf));
		(void)_vmci_get(text, size, keys[i], buf, 1);
		(void)_vmci_u64(text, size, keys[i], 16, &u);
		(void)_vmci_u64(text, size, keys[i], 10, &u);
		(void)_vmci_s64(text, size, keys[i], &s);
	}
	h = fz_handle();
	h->vmcoreinfo = text;
	h->vmcoreinfo_len = size;
	(void)_cache_path(h, ".map", path, sizeof(path));
	h->vmcoreinfo = NULL;
	sym_close(h);
	return 0;
}
