/* System.map and /proc/kallsyms lines (sym/nl_map.c), then lookups. */
#include "config.h"

#include <stdio.h>

#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fz_file(data, size);
	struct symtab *t;
	sym_t *h = fz_handle();
	size_t i;

	(void)_nl_map_is_placeholder(path);
	if ((t = _symtab_new()) != NULL) {
		if (_nl_map_load(h, t, path) == 0) {
			(void)_symtab_find(t, "linux_banner");
			(void)_symtab_find(t, "avenrun");
			for (i = 0; i < 8; i++)
				(void)_symtab_nearest(t,
				    0xffffffff81000000ULL + (i << 20));
			(void)_symtab_nearest(t, 0);
			(void)_symtab_nearest(t, UINT64_MAX);
		}
		_symtab_free(t);
	}
	sym_close(h);
	return 0;
}
