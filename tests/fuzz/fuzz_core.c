/*
 * The ELF core reader (mem/elfcore.c): headers, notes, segments, and
 * reads by virtual and physical address at each segment's edges.
 */
#include "config.h"

#include <fcntl.h>
#include <unistd.h>

#include "fuzz.h"

static void
reads(sym_t *h, struct elfcore *c, const char *path)
{
	unsigned char buf[64];
	const struct sym_seg *s;
	size_t i;

	for (i = 0; i < c->nsegs && i < 64; i++) {
		s = &c->segs[i];
		(void)_elfcore_has(c, s->vaddr, sizeof(buf));
		(void)_elfcore_read(h, c, s->vaddr, buf, sizeof(buf), path);
		(void)_elfcore_read(h, c, s->vaddr + s->filesz - 8, buf,
		    sizeof(buf), path);
		(void)_elfcore_read_phys(h, c, s->paddr, buf, sizeof(buf),
		    path);
	}
	(void)_elfcore_is_physical(c);
	(void)_elfcore_phys_end(c);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fz_file(data, size);
	struct elfcore c;
	sym_t *h = fz_handle();
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return 0;
	if (_elfcore_open(h, &c, fd, path) == 0) {
		reads(h, &c, path);
		_elfcore_close(&c);
	} else {
		close(fd);
	}
	sym_close(h);
	return 0;
}
