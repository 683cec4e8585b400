/*
 * kdump-compressed dumps (makedumpfile's default format, and QEMU's
 * dump-guest-memory -z/-l/-s): pages compressed one by one behind a
 * bitmap.  libkdumpfile reads them; we ask it only for physical pages and
 * for the VMCOREINFO it keeps, and translate addresses ourselves (phys.c)
 * as for every other physical source.
 */
#include "config.h"

#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sym_private.h"

#ifdef HAVE_LIBKDUMPFILE
#include <libkdumpfile/kdumpfile.h>

/* libkdumpfile, loaded when a kdump-compressed file is opened: linked
 * in, it would cost every tool libstdc++ and three compressors. */
#define KDUMP_FNS(X) X(kdump_new) X(kdump_free) \
	X(kdump_get_err) X(kdump_get_attr) X(kdump_get_typed_attr) \
	X(kdump_open_fdset) \
	X(kdump_read) X(kdump_blob_size) X(kdump_blob_pin) X(kdump_blob_unpin)
SYM_DL_DEFINE(kd_dl, KDUMP_FNS, LIBKDUMPFILE_SONAME, "libkdumpfile10");
#define KD(f)	SYM_DLFN(kd_dl, f)
/* kdump_open_fd and kdump_get_number_attr are inline wrappers in 0.5's
 * header, not in the library: the calls below go to what they wrap. */

int
_kdump_load(sym_t *h)
{
	return _sym_dlload(h, &kd_dl);
}

struct kdump {
	kdump_ctx_t *ctx;
	int fd;
	char *vmcoreinfo;
};

static int
kdump_read_phys(sym_t *h, uint64_t pa, void *buf, size_t len)
{
	struct kdump *k = h->mpriv;
	size_t got = len;
	kdump_status st;

	/* KPHYSADDR needs libkdumpfile's own Linux setup; outside Xen, machine
	 * physical addresses are the kernel's physical addresses. */
	st = KD(kdump_read)(k->ctx, KDUMP_MACHPHYSADDR, pa, buf, &got);
	if (st == KDUMP_OK && got == len)
		return 0;
	if (st == KDUMP_ERR_NODATA)
		_sym_err(h, "%s: physical 0x%llx was left out of the dump "
		    "(filtered or not RAM)", h->memfile,
		    (unsigned long long)(pa + got));
	else
		_sym_err(h, "%s: physical 0x%llx: %s", h->memfile,
		    (unsigned long long)(pa + got), KD(kdump_get_err)(k->ctx));
	return -1;
}

/* The highest page the dump knows, from its bitmap (libkdumpfile's
 * max_pfn), for the VMCOREINFO scan. */
static uint64_t
kdump_end(struct kdump *k)
{
	kdump_attr_t a;
	kdump_num_t pfn;

	a.type = KDUMP_NUMBER;
	if (KD(kdump_get_typed_attr)(k->ctx, "max_pfn", &a) != KDUMP_OK)
		return 0;
	pfn = a.val.number;
	if (pfn > (1ULL << 40))
		return 0;
	return (uint64_t)pfn * SYM_PAGE_SIZE;
}

/*
 * The header's VMCOREINFO, as the raw blob: kdump_vmcoreinfo_raw() wants
 * libkdumpfile's own Linux setup (addrxlat.ostype), which we don't use.
 */
static int
header_vmcoreinfo(struct kdump *k)
{
	kdump_attr_t a;
	size_t n;
	void *p;

	if (KD(kdump_get_attr)(k->ctx, "linux.vmcoreinfo.raw", &a) != KDUMP_OK ||
	    a.type != KDUMP_BLOB)
		return -1;
	n = KD(kdump_blob_size)(a.val.blob);
	if (n == 0 || n > SYM_MAX_VMCOREINFO ||
	    (p = KD(kdump_blob_pin)(a.val.blob)) == NULL)
		return -1;
	if ((k->vmcoreinfo = malloc(n + 1)) != NULL) {
		memcpy(k->vmcoreinfo, p, n);
		k->vmcoreinfo[n] = '\0';
	}
	KD(kdump_blob_unpin)(a.val.blob);
	return k->vmcoreinfo != NULL ? 0 : -1;
}

/*
 * makedumpfile's disk_dump_header (diskdump_mod.h), 64-bit little-endian:
 * block_size, sub_hdr_size and bitmap_blocks after the signature, the
 * version, utsname and a struct timeval.  libkdumpfile 0.5.1 frees its
 * state twice when it refuses a header (diskdump_cleanup on the error
 * path, then kdump_free), so what it would refuse is refused here first.
 */
#define DH_BLOCK_SIZE	428
#define DH_SUB_HDR	432
#define DH_BITMAP	436

static int
check_header(sym_t *h, int fd, const char *path)
{
	unsigned char dh[DH_BITMAP + 4];
	uint32_t bs, sub, bmp;
	struct stat st;

	if (fstat(fd, &st) == -1 ||
	    pread(fd, dh, sizeof(dh), 0) != (ssize_t)sizeof(dh)) {
		_sym_err(h, "%s: a kdump header cut short", path);
		return -1;
	}
	memcpy(&bs, dh + DH_BLOCK_SIZE, 4);
	memcpy(&sub, dh + DH_SUB_HDR, 4);
	memcpy(&bmp, dh + DH_BITMAP, 4);
	bs = le32toh(bs);
	sub = le32toh(sub);
	bmp = le32toh(bmp);
	if (bs < SYM_PAGE_SIZE || bs > (1U << 16) || (bs & (bs - 1)) != 0 ||
	    bmp == 0 || sub > (1U << 20) || (uint64_t)st.st_size /
	    bs < 1 + (uint64_t)sub + bmp) {
		_sym_err(h, "%s: kdump header: block size %u, %u sub-header and "
		    "%u bitmap blocks do not fit a %lld-byte file", path, bs,
		    sub, bmp, (long long)st.st_size);
		return -1;
	}
	return 0;
}

static int
kdump_open_file(sym_t *h, const char *path)
{
	struct kdump *k;

	if ((k = calloc(1, sizeof(*k))) == NULL) {
		_sym_syserr(h, "%s", path);
		return -1;
	}
	h->mpriv = k;
	if ((k->fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		_sym_syserr(h, "%s", path);
		return -1;
	}
	if (check_header(h, k->fd, path) == -1 || _sym_dlload(h, &kd_dl) == -1)
		return -1;
	if ((k->ctx = KD(kdump_new)()) == NULL) {
		_sym_err(h, "%s: libkdumpfile: out of memory", path);
		return -1;
	}
	if (KD(kdump_open_fdset)(k->ctx, 1, &k->fd) != KDUMP_OK) {
		_sym_err(h, "%s: libkdumpfile: %s", path,
		    KD(kdump_get_err)(k->ctx));
		/* The double free above, for what check_header passed:
		 * leak the context rather than crash. */
		k->ctx = NULL;
		return -1;
	}
	if (header_vmcoreinfo(k) == 0) {
		h->vmcoreinfo = k->vmcoreinfo;
		h->vmcoreinfo_len = strlen(k->vmcoreinfo);
	}
	h->phys_read = kdump_read_phys;
	h->phys_end = kdump_end(k);
	_sym_explain(h, "%s: a kdump-compressed dump (\"KDUMP\" header), "
	    "pages read through libkdumpfile by physical address", path);
	return _phys_setup(h, "the kdump header", 1);
}

static void
kdump_close_file(sym_t *h)
{
	struct kdump *k = h->mpriv;

	if (k == NULL)
		return;
	if (k->ctx != NULL)
		KD(kdump_free)(k->ctx);
	if (k->fd != -1)
		close(k->fd);
	free(k->vmcoreinfo);
	free(k);
	h->mpriv = NULL;
	h->vmcoreinfo = NULL;
}

#else	/* !HAVE_LIBKDUMPFILE */

int
_kdump_load(sym_t *h)
{
	_sym_err(h, "built without libkdumpfile");
	return -1;
}

static int
kdump_open_file(sym_t *h, const char *path)
{
	_sym_err(h, "%s: a kdump-compressed dump, and kmemstat was built "
	    "without libkdumpfile: rebuild with libkdumpfile-dev, or take the "
	    "dump as ELF (makedumpfile -E, or dump-guest-memory without "
	    "-z/-l/-s)", path);
	return -1;
}

static void
kdump_close_file(sym_t *h)
{
	(void)h;
}

#endif

/* makedumpfile's header (diskdump.h): KDUMP, or DISKDUMP before. */
static int
kdump_probe(sym_t *h, const char *path, const unsigned char *magic, size_t n)
{
	if (n >= 8 && (memcmp(magic, "KDUMP   ", 8) == 0 ||
	    memcmp(magic, "DISKDUMP", 8) == 0))
		return 1;
	if (n >= 12 && memcmp(magic, "makedumpfile", 12) == 0) {
		/* QEMU 7.2's dump-guest-memory -z/-l/-s writes this too. */
		_sym_err(h, "%s: makedumpfile's flattened format (makedumpfile "
		    "-F, QEMU dump-guest-memory -z/-l/-s): rebuild it with "
		    "makedumpfile -R NEWFILE < %s", path, path);
		return -1;
	}
	return 0;
}

const struct sym_memops _sym_kdump_ops = {
	.name = "kdump-compressed dump",
	.option = "core",
	.src = SYM_SRC_CORE,
	.probe = kdump_probe,
	.open = kdump_open_file,
	.read = _phys_vread,
	.close = kdump_close_file,
};
