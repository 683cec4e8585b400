/*
 * Whether the kernel a session reads is the one running this program:
 * -M /proc/kcore of this very kernel (the path, after links, and its
 * release).  Its /proc/kallsyms is its own, and the cache may keep what
 * it shows, as for a session with no -M.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "sym_private.h"

int
_sym_running_kcore(const sym_t *h)
{
	struct utsname u;
	char *real;
	int rc;

	if (h->memfile == NULL || (real = realpath(h->memfile, NULL)) == NULL)
		return 0;
	rc = strcmp(real, "/proc/kcore") == 0 && uname(&u) == 0 &&
	    strcmp(u.release, h->release) == 0;
	free(real);
	return rc;
}

