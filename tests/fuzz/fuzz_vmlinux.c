/*
 * A vmlinux given with -N (sym/nl_elf.c): its .symtab, its build-id
 * note, and its .BTF section through types/btf.c.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fz_file(data, size);
	struct sym_member m;
	struct symtab *t;
	char id[128];
	sym_t *h = fz_handle();

	if ((t = _symtab_new()) != NULL) {
		if (_nl_elf_load(h, t, path) == 0) {
			(void)_symtab_find(t, "linux_banner");
			(void)_symtab_nearest(t, 0xffffffff81000000ULL);
		}
		_symtab_free(t);
	}
	(void)_nl_elf_build_id(h, path, id, sizeof(id));
	if ((h->nlopt = strdup(path)) == NULL)
		abort();
	(void)_sym_member(h, "timekeeper", "tkr_mono.base", &m);
	(void)_sym_member(h, "timekeeper", "offs_boot", &m);
	sym_close(h);
	return 0;
}
