/*
 * Files whose offset is a physical address: /dev/mem, and raw images of
 * RAM such as QEMU's memory-backend-file (offset == guest physical address
 * for the RAM below the PCI hole, which is all of it in guests under
 * 3 GiB).  Read with pread, or through a page-aligned mmap window as the
 * classic /dev/mem programs did.  A regular file's size bounds every read:
 * touching a mapping past the end of a file raises SIGBUS.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sym_private.h"

#define PF_WINDOW	(1U << 20)	/* bytes mapped at once */

typedef unsigned long long ull;

int
_pf_open(sym_t *h, struct physfile *f, const char *path, int use_mmap)
{
	struct stat st;

	memset(f, 0, sizeof(*f));
	f->use_mmap = use_mmap;
	if ((f->fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	if (fstat(f->fd, &st) == -1) {
		_sym_syserr(h, "%s", path);
		goto fail;
	}
	if (S_ISREG(st.st_mode)) {
		if (st.st_size < (off_t)SYM_PAGE_SIZE) {
			_sym_err(h, "%s: not an ELF core, not a kdump dump, and "
			    "at %lld bytes too small to be a memory image", path,
			    (long long)st.st_size);
			goto fail;
		}
		f->size = (uint64_t)st.st_size;
	} else if (!S_ISCHR(st.st_mode)) {
		_sym_err(h, "%s: neither a file nor a memory device", path);
		goto fail;
	}
	return 0;
fail:
	close(f->fd);
	f->fd = -1;
	errno = 0;
	return -2;
}

/* Maps the window holding pa: PF_WINDOW-aligned, clipped to the file. */
static int
pf_map(sym_t *h, struct physfile *f, uint64_t pa, const char *path)
{
	uint64_t off = pa & ~(uint64_t)(PF_WINDOW - 1);
	size_t len = PF_WINDOW;
	void *p;

	if (f->win != NULL)
		munmap(f->win, f->win_len);
	f->win = NULL;
	if (f->size != 0 && f->size - off < len)
		len = (size_t)((f->size - off + SYM_PAGE_SIZE - 1) &
		    SYM_PAGE_MASK);
	p = mmap(NULL, len, PROT_READ, MAP_SHARED, f->fd, (off_t)off);
	if (p == MAP_FAILED) {
		_sym_syserr(h, "%s: mmap of physical 0x%llx", path, (ull)off);
		return -1;
	}
	f->win = p;
	f->win_off = off;
	f->win_len = len;
	return 0;
}

static ssize_t
pf_mmap_read(sym_t *h, struct physfile *f, uint64_t pa, void *buf,
    size_t len, const char *path)
{
	size_t n;

	if ((f->win == NULL || pa < f->win_off ||
	    pa - f->win_off >= f->win_len) && pf_map(h, f, pa, path) == -1)
		return -1;
	n = f->win_len - (size_t)(pa - f->win_off);
	if (n > len)
		n = len;
	/* The tail page of a file that ends mid-page maps past its end. */
	if (f->size != 0 && n > f->size - pa)
		n = (size_t)(f->size - pa);
	memcpy(buf, f->win + (pa - f->win_off), n);
	return (ssize_t)n;
}

int
_pf_read(sym_t *h, struct physfile *f, uint64_t pa, void *buf, size_t len,
    const char *path)
{
	unsigned char *p = buf;
	ssize_t r;

	if (pa > INT64_MAX || len > INT64_MAX - pa ||
	    (f->size != 0 && (pa >= f->size || len > f->size - pa))) {
		_sym_err(h, "%s: physical 0x%llx + %zu is beyond the image "
		    "(0x%llx bytes)", path, (ull)pa, len, (ull)f->size);
		return -1;
	}
	while (len > 0) {
		if (f->use_mmap)
			r = pf_mmap_read(h, f, pa, p, len, path);
		else
			r = pread(f->fd, p, len, (off_t)pa);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1 && !f->use_mmap)
			_sym_syserr(h, "%s: read at physical 0x%llx", path,
			    (ull)pa);
		if (r == 0)
			_sym_err(h, "%s: short read at physical 0x%llx", path,
			    (ull)pa);
		if (r <= 0)
			return -1;
		p += r;
		pa += (uint64_t)r;
		len -= (size_t)r;
	}
	return 0;
}

void
_pf_close(struct physfile *f)
{
	if (f->win != NULL)
		munmap(f->win, f->win_len);
	f->win = NULL;
	if (f->fd != -1)
		close(f->fd);
	f->fd = -1;
}

/* ---- the same as a source's private state (raw images, /dev/mem) ---- */

static int
pf_source_read(sym_t *h, uint64_t pa, void *buf, size_t len)
{
	return _pf_read(h, h->mpriv, pa, buf, len, h->memfile);
}

int
_pf_source_open(sym_t *h, const char *path)
{
	struct physfile *f;
	int rc;

	if ((f = calloc(1, sizeof(*f))) == NULL) {
		_sym_syserr(h, "%s", path);
		return -1;
	}
	if ((rc = _pf_open(h, f, path, h->use_mmap)) != 0) {
		free(f);
		return rc;
	}
	h->mpriv = f;
	h->phys_read = pf_source_read;
	return 0;
}

void
_pf_source_close(sym_t *h)
{
	struct physfile *f = h->mpriv;

	if (f == NULL)
		return;
	_pf_close(f);
	free(f);
	h->mpriv = NULL;
	h->vmcoreinfo = NULL;
}
