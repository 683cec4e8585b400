/*
 * Libraries only some sources or queries need (libkdumpfile for one kind
 * of dump, libkmod for a module's path), loaded the first time they are
 * needed: linked in, they cost every tool its start-up (libkdumpfile
 * brings libstdc++, libkmod libcrypto), for a run that never uses them.
 */
#include "config.h"

#include <dlfcn.h>

#include "sym_private.h"

int
_sym_dlload(sym_t *h, struct sym_dl *dl)
{
	size_t i;
	void *lib;

	if (dl->ready)
		return 0;
	if ((lib = dlopen(dl->soname, RTLD_NOW | RTLD_LOCAL)) == NULL) {
		_sym_err(h, "%s: %s (install the Debian package %s)",
		    dl->soname, dlerror(), dl->package);
		return -1;
	}
	for (i = 0; i < dl->n; i++)
		if ((dl->fn[i] = dlsym(lib, dl->names[i])) == NULL) {
			_sym_err(h, "%s: no %s in it: not the library this "
			    "kmemstat was built for", dl->soname, dl->names[i]);
			dlclose(lib);
			return -1;
		}
	dl->ready = 1;
	return 0;
}
