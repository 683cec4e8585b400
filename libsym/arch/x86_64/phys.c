/*
 * Physical memory: QEMU and kdump dumps, raw RAM images, /dev/mem.  The
 * tools ask for kernel virtual addresses; here they become physical ones:
 *
 *   kernel image   virtual - __START_KERNEL_map + phys_base
 *   direct map     virtual - page_offset_base
 *   anything else  a walk of init_top_pgt (vmalloc'd stacks, modules)
 *
 * Bootstrapping needs one fact from outside the page tables: phys_base,
 * which VMCOREINFO prints.  With it the image is readable, and the image
 * holds page_offset_base and the page tables.  A dump taken without
 * VMCOREINFO still has the kernel's copy of the text in RAM, in the page
 * kernel/crash_core.c filled at boot (vmcoreinfo_data): we scan for it.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sym_private.h"

typedef unsigned long long ull;

#define VMCI_MAGIC	"OSRELEASE="
#define SCAN_CHUNK	(16 * SYM_PAGE_SIZE)
/* KERNEL_IMAGE_SIZE: 1 GiB with CONFIG_RANDOMIZE_BASE, else 512 MiB. */
#define IMAGE_SIZE_KASLR	(1ULL << 30)
#define IMAGE_SIZE_FIXED	(512ULL << 20)
/* init_uts_ns.name: sysname[65] then nodename[65] then release[65]. */
#define UTS_LEN		65

/* A page that starts as vmcoreinfo_data does, and says enough. */
static char *
vmci_page(sym_t *h, uint64_t pa)
{
	char *page;

	if ((page = malloc(SYM_PAGE_SIZE + 1)) == NULL)
		return NULL;
	if (h->phys_read(h, pa, page, SYM_PAGE_SIZE) == -1)
		goto fail;
	page[SYM_PAGE_SIZE] = '\0';
	if (strncmp(page, VMCI_MAGIC, strlen(VMCI_MAGIC)) != 0 ||
	    strstr(page, "\nNUMBER(phys_base)=") == NULL ||
	    strstr(page, "\nSYMBOL(init_uts_ns)=") == NULL)
		goto fail;
	return page;
fail:
	free(page);
	return NULL;
}

/* The scan over [pa, end): a page-aligned run the source holds. */
static char *
scan_run(sym_t *h, uint64_t pa, uint64_t end, uint64_t *where)
{
	unsigned char chunk[SCAN_CHUNK];
	uint64_t off, n;
	char *page;

	for (; pa < end; pa += n) {
		n = end - pa < SCAN_CHUNK ? (end - pa) & SYM_PAGE_MASK :
		    SCAN_CHUNK;
		if (n == 0)
			break;
		/* A hole in the dump: step over it a page at a time. */
		if (h->phys_read(h, pa, chunk, n) == -1) {
			n = SYM_PAGE_SIZE;
			if (h->phys_read(h, pa, chunk, strlen(VMCI_MAGIC)) ==
			    -1)
				continue;
		}
		for (off = 0; off < n; off += SYM_PAGE_SIZE) {
			if (memcmp(chunk + off, VMCI_MAGIC,
			    strlen(VMCI_MAGIC)) != 0 ||
			    (page = vmci_page(h, pa + off)) == NULL)
				continue;
			*where = pa + off;
			return page;
		}
	}
	return NULL;
}

/*
 * Only the bytes the source holds are scanned (phys_next): a 8 KiB file
 * may claim 16 TiB of memory, and a page at a time that took half an
 * hour.
 */
char *
_phys_scan_vmcoreinfo(sym_t *h, uint64_t end, uint64_t *where)
{
	uint64_t pa = 0, s, e;
	char *page;

	if (h->phys_next == NULL)
		return scan_run(h, 0, end, where);
	while (pa < end && h->phys_next(h, pa, &s, &e) == 0 && s < end) {
		s = (s + SYM_PAGE_SIZE - 1) & SYM_PAGE_MASK;
		if (e > end)
			e = end;
		if (s < e && (page = scan_run(h, s, e, where)) != NULL)
			return page;
		if (e <= pa)
			break;
		pa = e;
	}
	return NULL;
}

/* VMCOREINFO from the dump, or found in memory. */
static int
find_vmcoreinfo(sym_t *h, const char *how)
{
	uint64_t where;

	if (h->vmcoreinfo != NULL) {
		_sym_explain(h, "VMCOREINFO: %zu bytes in %s", h->vmcoreinfo_len,
		    how);
		_sym_finding(h, "vmcoreinfo", "%zu bytes, %s",
		    h->vmcoreinfo_len, how);
		return 0;
	}
	_sym_explain(h, "VMCOREINFO: none in %s: scanning its %llu MiB for "
	    "the page the kernel filled at boot (\"" VMCI_MAGIC "...\")",
	    h->memfile, (ull)(h->phys_end >> 20));
	if ((h->vmci_own = _phys_scan_vmcoreinfo(h, h->phys_end, &where)) ==
	    NULL) {
		_sym_err(h, "%s: no VMCOREINFO: none in the file, and no page "
		    "of its memory holds the kernel's (a Linux x86-64 memory "
		    "image of a kernel with CONFIG_CRASH_CORE?)", h->memfile);
		return -1;
	}
	h->vmcoreinfo = h->vmci_own;
	h->vmcoreinfo_len = strlen(h->vmci_own);
	_sym_explain(h, "VMCOREINFO: found at physical 0x%llx", (ull)where);
	_sym_finding(h, "vmcoreinfo", "%zu bytes, found by scanning memory "
	    "at physical 0x%llx (the file has none)", h->vmcoreinfo_len,
	    (ull)where);
	return 0;
}

/* phys_base and the image size, each checked before it is trusted. */
static int
image_facts(sym_t *h)
{
	int64_t base;
	uint64_t size, off;

	if (_vmci_s64(h->vmcoreinfo, h->vmcoreinfo_len, "NUMBER(phys_base)",
	    &base) == -1) {
		_sym_err(h, "%s: VMCOREINFO NUMBER(phys_base) is %s: cannot "
		    "place the kernel image in physical memory", h->memfile,
		    errno == ENOENT ? "missing" : "not a number");
		return -1;
	}
	/* Page-aligned, and the image must start inside 2^52 bytes. */
	if ((base & (int64_t)(SYM_PAGE_SIZE - 1)) != 0 ||
	    base < -(int64_t)(1LL << 40) || base > (int64_t)(1LL << 52)) {
		_sym_err(h, "%s: VMCOREINFO NUMBER(phys_base)=%lld is absurd",
		    h->memfile, (long long)base);
		return -1;
	}
	h->pt.phys_base = base;
	h->pt.phys_base_known = 1;
	if (_vmci_u64(h->vmcoreinfo, h->vmcoreinfo_len,
	    "NUMBER(KERNEL_IMAGE_SIZE)", 10, &size) == 0) {
		if (size != IMAGE_SIZE_KASLR && size != IMAGE_SIZE_FIXED) {
			_sym_err(h, "%s: VMCOREINFO NUMBER(KERNEL_IMAGE_SIZE)="
			    "%llu is absurd", h->memfile, (ull)size);
			return -1;
		}
	} else {
		size = _vmci_u64(h->vmcoreinfo, h->vmcoreinfo_len,
		    "KERNELOFFSET", 16, &off) == 0 ? IMAGE_SIZE_KASLR :
		    IMAGE_SIZE_FIXED;
	}
	h->image_size = size;
	_sym_explain(h, "physical: kernel image at __START_KERNEL_map 0x%llx "
	    "+ %llu MiB, phys_base %lld (VMCOREINFO NUMBER(phys_base))",
	    (ull)SYM_START_KERNEL_MAP, (ull)(size >> 20), (long long)base);
	/* Where the kernel sits in physical memory: SYMBOL(_stext) is a
	 * runtime address (VMCOREINFO is written by the running kernel). */
	if (_vmci_u64(h->vmcoreinfo, h->vmcoreinfo_len, "SYMBOL(_stext)", 16,
	    &off) == 0 && off >= SYM_START_KERNEL_MAP)
		_sym_finding(h, "phys_base", "%s0x%llx (VMCOREINFO NUMBER("
		    "phys_base)): _stext at physical 0x%llx", base < 0 ? "-" :
		    "", (ull)(base < 0 ? -base : base),
		    (ull)(off - SYM_START_KERNEL_MAP + (uint64_t)base));
	else
		_sym_finding(h, "phys_base", "%s0x%llx (VMCOREINFO NUMBER("
		    "phys_base))", base < 0 ? "-" : "",
		    (ull)(base < 0 ? -base : base));
	return 0;
}

/*
 * init_uts_ns, through phys_base alone, must say "Linux" and the release
 * VMCOREINFO gave: proof that the text belongs to this memory and that
 * phys_base is right, before anything else is read with it.
 */
static int
verify_uts(sym_t *h)
{
	char uts[16 + 3 * UTS_LEN], rel[UTS_LEN], *p;
	uint64_t addr;

	if (_vmci_u64(h->vmcoreinfo, h->vmcoreinfo_len, "SYMBOL(init_uts_ns)",
	    16, &addr) == -1 || _vmci_get(h->vmcoreinfo, h->vmcoreinfo_len,
	    "OSRELEASE", rel, sizeof(rel)) == -1) {
		_sym_err(h, "%s: VMCOREINFO lacks SYMBOL(init_uts_ns) or "
		    "OSRELEASE", h->memfile);
		return -1;
	}
	if (_phys_vread(h, addr, uts, sizeof(uts)) == -1)
		return -1;
	/* name is first since 5.11; a struct kref preceded it before. */
	for (p = uts; p < uts + 16; p += 4)
		if (memcmp(p, "Linux", 6) == 0)
			break;
	if (p == uts + 16 || strncmp(p + 2 * UTS_LEN, rel, UTS_LEN) != 0) {
		_sym_err(h, "%s: init_uts_ns at 0x%llx does not read \"Linux\" "
		    "and release %s: VMCOREINFO and memory disagree", h->memfile,
		    (ull)addr, rel);
		return -1;
	}
	_sym_explain(h, "physical: init_uts_ns at 0x%llx reads \"Linux\", "
	    "release %s: VMCOREINFO matches this memory", (ull)addr, rel);
	return 0;
}

int
_phys_setup(sym_t *h, const char *how, int record)
{
	/* kcapture: a physical source is recorded as physical pages (not a
	 * kdump ELF, which also holds virtual ones: core_read). */
	if (record)
		_hook_physical(h);
	if (find_vmcoreinfo(h, how) == -1 || image_facts(h) == -1 ||
	    verify_uts(h) == -1)
		return -1;
	return 0;
}

/* The top-level kernel page table: VMCOREINFO names it (runtime). */
static int
kernel_pgd(sym_t *h, uint64_t *pgd)
{
	if (_vmci_u64(h->vmcoreinfo, h->vmcoreinfo_len, "SYMBOL(init_top_pgt)",
	    16, pgd) == 0)
		return 0;
	return _sym_addr(h, "init_top_pgt", pgd);
}

/* addr -> physical, and how many bytes from there are contiguous. */
static int
translate(sym_t *h, uint64_t addr, uint64_t *pa, uint64_t *span)
{
	uint64_t pgd, pgsize;
	int rc;

	if (addr >= SYM_START_KERNEL_MAP &&
	    addr - SYM_START_KERNEL_MAP < h->image_size) {
		*pa = addr - SYM_START_KERNEL_MAP + (uint64_t)h->pt.phys_base;
		*span = h->image_size - (addr - SYM_START_KERNEL_MAP);
		return 0;
	}
	if (h->pt_busy) {
		_sym_err(h, "0x%llx: outside the kernel image, and the page "
		    "tables are not known yet", (ull)addr);
		return -1;
	}
	if (_pt_init(h) == -1)
		return -1;
	if (addr >= h->pt.page_offset &&
	    addr - h->pt.page_offset < h->phys_end) {
		*pa = addr - h->pt.page_offset;
		*span = h->phys_end - *pa;
		return 0;
	}
	if (kernel_pgd(h, &pgd) == -1)
		return -1;
	rc = _pt_translate(h, pgd, addr, pa, &pgsize);
	if (rc == 1) {
		char why[SYM_ERRSIZE];

		snprintf(why, sizeof(why), "%s", h->errbuf);
		_sym_err(h, "%s: not in the kernel page tables: %s",
		    h->memfile, why);
	}
	if (rc != 0)
		return -1;
	*span = pgsize - (*pa & (pgsize - 1));
	return 0;
}

int
_phys_vread(sym_t *h, uint64_t addr, void *buf, size_t len)
{
	unsigned char *p = buf;
	uint64_t pa, span;

	while (len > 0) {
		if (translate(h, addr, &pa, &span) == -1)
			return -1;
		if (span > len)
			span = len;
		if (h->phys_read(h, pa, p, (size_t)span) == -1)
			return -1;
		p += span;
		addr += span;
		len -= (size_t)span;
	}
	return 0;
}
