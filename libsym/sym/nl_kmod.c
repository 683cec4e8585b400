/*
 * Loaded modules: libkmod finds a module's .ko under /lib/modules/RELEASE
 * (modules.dep) for the running kernel.  Only the path comes from here;
 * the module's runtime addresses come from /proc/kallsyms.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include <libkmod.h>

#include "sym_private.h"

/* libkmod, loaded the first time a module's path is asked for. */
#define KMOD_FNS(X) X(kmod_new) X(kmod_unref) X(kmod_set_log_fn) \
	X(kmod_get_dirname) X(kmod_module_new_from_name) \
	X(kmod_module_get_path) X(kmod_module_get_initstate) \
	X(kmod_module_unref)
SYM_DL_DEFINE(kmod_dl, KMOD_FNS, LIBKMOD_SONAME, "libkmod2");
#define KM(f)	SYM_DLFN(kmod_dl, f)

/* libkmod logs to stderr; our errors go to the handle instead. */
static void
kmod_quiet(void *data, int priority, const char *file, int line,
    const char *fn, const char *format, va_list args)
{
}

int
_nl_kmod_path(sym_t *h, const char *module, char *path, size_t len)
{
	struct kmod_ctx *ctx;
	struct kmod_module *mod = NULL;
	const char *p, *dir;
	int r = -1, err;

	if (_sym_dlload(h, &kmod_dl) == -1)
		return -1;
	if ((ctx = KM(kmod_new)(NULL, NULL)) == NULL) {
		_sym_err(h, "libkmod: cannot initialize");
		return -1;
	}
	KM(kmod_set_log_fn)(ctx, kmod_quiet, NULL);
	dir = KM(kmod_get_dirname)(ctx);
	if ((err = KM(kmod_module_new_from_name)(ctx, module, &mod)) < 0) {
		errno = -err;
		_sym_syserr(h, "module %s", module);
		goto fail;
	}
	if ((p = KM(kmod_module_get_path)(mod)) == NULL) {
		/* initstate: builtin, or live, or -ENOENT if neither. */
		err = KM(kmod_module_get_initstate)(mod);
		if (err == KMOD_MODULE_BUILTIN)
			_sym_err(h, "module %s is built into the kernel: "
			    "no .ko", module);
		else if (err >= 0)
			_sym_err(h, "module %s is loaded, but %s has no .ko "
			    "for it", module, dir);
		else
			_sym_err(h, "module %s: not found in %s/modules.dep",
			    module, dir);
		goto fail;
	}
	if (strlen(p) >= len) {
		_sym_err(h, "module %s: path too long: %s", module, p);
		goto fail;
	}
	memcpy(path, p, strlen(p) + 1);
	r = 0;
fail:
	if (mod != NULL)
		KM(kmod_module_unref)(mod);
	KM(kmod_unref)(ctx);
	return r;
}
