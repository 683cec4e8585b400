/*
 * The cache files (sym/symcache.c, types/btf.c): a session of a dump
 * whose build-id names them reads X.map (symbols) and X.btf (types)
 * from the cache directory.  The input is both: a 2-byte length, then
 * that many bytes of X.map, then X.btf.
 */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"

#define BUILD_ID	"0123456789abcdef0123456789abcdef01234567"

static const char vmci[] = "OSRELEASE=6.1.0-fuzz\nBUILD-ID=" BUILD_ID
    "\nKERNELOFFSET=1a000000\n";

static void
put(const char *ext, const uint8_t *data, size_t size)
{
	char path[4096];
	int fd;

	snprintf(path, sizeof(path), "%s/" BUILD_ID "%s", fz_cache_dir(),
	    ext);
	unlink(path);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644)) == -1)
		abort();
	if (size > 0 && write(fd, data, size) != (ssize_t)size)
		abort();
	close(fd);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sym_member m;
	struct sym_info si;
	size_t maplen;
	uint64_t v;
	sym_t *h;

	if (size < 2)
		return 0;
	maplen = (size_t)data[0] | (size_t)data[1] << 8;
	if (maplen > size - 2)
		maplen = size - 2;
	put(".map", data + 2, maplen);
	put(".btf", data + 2 + maplen, size - 2 - maplen);
	h = fz_handle();
	h->vmcoreinfo = vmci;
	h->vmcoreinfo_len = sizeof(vmci) - 1;
	(void)sym_lookup(h, "avenrun", &si);
	(void)sym_lookup(h, "jiffies_64", &si);
	(void)_sym_member(h, "timekeeper", "tkr_mono.base", &m);
	(void)_sym_type_size(h, "timekeeper", &v);
	sym_close(h);
	return 0;
}
