/*
 * The x86-64 page-table walker: a virtual address in some address space
 * (a process's mm->pgd, or the kernel's swapper_pg_dir) to a physical
 * address, and physical memory read back through the kernel's direct map.
 * A virtual source (/dev/kmem, /proc/kcore) reads physical memory through
 * the direct map; a physical one (phys.c) reads it directly.
 *
 * The MMU's rules (Intel SDM vol. 3A, 4.5; arch/x86/include/asm/pgtable*):
 * 512 eight-byte entries per 4 KiB table, 9 bits of the address per level;
 * bit 0 present; bit 7 (PSE) in a PUD entry is a 1 GiB page, in a PMD
 * entry a 2 MiB page; the frame address is bits 12..51, less the memory
 * encryption bit (AMD SME's C-bit, or TDX's shared bit), which the kernel
 * keeps out of physical_mask.  Bit 63 (NX) and 59..62 (protection keys)
 * are above the mask.  With LA57 there is a fifth level (pgd -> p4d);
 * with four the p4d is folded into the pgd.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "sym_private.h"

#define PT_PRESENT	0x1ULL
#define PT_PSE		0x80ULL
#define PT_ENTRIES	512
#define PT_PHYS_BITS	52		/* __PHYSICAL_MASK_SHIFT */
#define PT_PAGE_SHIFT	12
#define PT_PMD_SHIFT	21
#define PT_PUD_SHIFT	30
#define PT_P4D_SHIFT	39
#define PT_PGD5_SHIFT	48
/* Direct-map bases without CONFIG_RANDOMIZE_MEMORY (page_64_types.h). */
#define PAGE_OFFSET_L4	0xffff888000000000ULL
#define PAGE_OFFSET_L5	0xff11000000000000ULL
/* 64 TiB of direct map with 4 levels, 32 PiB with 5: a physical address
 * beyond 2^52 cannot be RAM either way. */
#define PT_PHYS_LIMIT	(1ULL << PT_PHYS_BITS)

static int
read_sym_u64(sym_t *h, const char *name, uint64_t *v, size_t size)
{
	uint64_t a;

	*v = 0;
	if (_sym_addr(h, name, &a) == -1)
		return -1;
	return sym_read(h, a, v, size);
}

/* 4 or 5 levels: VMCOREINFO says so in a dump, the variable otherwise. */
static int
find_levels(sym_t *h, struct sym_pt *pt)
{
	uint64_t v;

	if (h->vmcoreinfo != NULL && _vmci_u64(h->vmcoreinfo,
	    h->vmcoreinfo_len, "NUMBER(pgtable_l5_enabled)", 10, &v) == 0) {
		pt->levels = v ? 5 : 4;
		_sym_explain(h, "page tables: VMCOREINFO NUMBER(pgtable_l5_"
		    "enabled)=%llu: %d levels", (unsigned long long)v,
		    pt->levels);
		return 0;
	}
	/*
	 * __pgtable_l5_enabled (4.17, with CONFIG_X86_5LEVEL; set at boot
	 * when the CPU has LA57 and no5lvl was not given).  Kernels built
	 * without CONFIG_X86_5LEVEL have no such variable: always 4 levels.
	 */
	if (read_sym_u64(h, "__pgtable_l5_enabled", &v, 4) == 0 ||
	    read_sym_u64(h, "pgtable_l5_enabled", &v, 4) == 0) {
		pt->levels = v ? 5 : 4;
		_sym_explain(h, "page tables: __pgtable_l5_enabled = %llu: %d "
		    "levels", (unsigned long long)v, pt->levels);
		return 0;
	}
	pt->levels = 4;
	_sym_explain(h, "page tables: no __pgtable_l5_enabled (kernel without "
	    "CONFIG_X86_5LEVEL): 4 levels");
	return 0;
}

static void
find_phys_mask(sym_t *h, struct sym_pt *pt)
{
	uint64_t v;
	int64_t s;

	pt->phys_mask = PT_PHYS_LIMIT - 1;
	/* CONFIG_DYNAMIC_PHYSICAL_MASK (4.18): SME and TDX clear their bit
	 * in physical_mask at boot.  It is exactly __PHYSICAL_MASK. */
	if (read_sym_u64(h, "physical_mask", &v, 8) == 0 && v != 0 &&
	    v < PT_PHYS_LIMIT) {
		pt->phys_mask = v;
		_sym_explain(h, "page tables: physical_mask = 0x%llx",
		    (unsigned long long)v);
		return;
	}
	/* Older kernels: only AMD SME's C-bit to take out. */
	if (h->vmcoreinfo != NULL && _vmci_s64(h->vmcoreinfo,
	    h->vmcoreinfo_len, "NUMBER(sme_mask)", &s) == 0)
		pt->phys_mask &= ~(uint64_t)s;
	else if (read_sym_u64(h, "sme_me_mask", &v, 8) == 0)
		pt->phys_mask &= ~v;
	_sym_explain(h, "page tables: physical address bits 0x%llx",
	    (unsigned long long)pt->phys_mask);
}

int
_pt_init(sym_t *h)
{
	struct sym_pt pt;
	uint64_t v;
	int64_t s;

	if (h->pt.ready)
		return 0;
	memset(&pt, 0, sizeof(pt));
	if (h->mops == NULL) {
		_sym_err(h, "page tables: no kernel memory source is open");
		return -1;
	}
	/* A physical source reads the image meanwhile, but must not walk. */
	h->pt_busy = 1;
	find_levels(h, &pt);
	/*
	 * The direct map starts at page_offset_base, which
	 * CONFIG_RANDOMIZE_MEMORY (4.8) moves at every boot: read it.
	 */
	if (read_sym_u64(h, "page_offset_base", &v, 8) == 0) {
		if (!_sym_kaddr_ok(v) || (v & (SYM_PAGE_SIZE - 1)) != 0) {
			h->pt_busy = 0;
			_sym_err(h, "page_offset_base is 0x%llx: not the base "
			    "of a direct map", (unsigned long long)v);
			return -1;
		}
		pt.page_offset = v;
	} else {
		pt.page_offset = pt.levels == 5 ? PAGE_OFFSET_L5 :
		    PAGE_OFFSET_L4;
		_sym_explain(h, "page tables: no page_offset_base (%s): the "
		    "fixed base", h->errbuf);
	}
	_sym_explain(h, "page tables: the direct map starts at "
	    "page_offset_base = 0x%llx (physical 0 is there)",
	    (unsigned long long)pt.page_offset);
	find_phys_mask(h, &pt);
	if (h->vmcoreinfo != NULL && _vmci_s64(h->vmcoreinfo,
	    h->vmcoreinfo_len, "NUMBER(phys_base)", &s) == 0) {
		pt.phys_base = s;
		pt.phys_base_known = 1;
	} else if (read_sym_u64(h, "phys_base", &v, 8) == 0) {
		pt.phys_base = (int64_t)v;
		pt.phys_base_known = 1;
	}
	h->pt_busy = 0;
	h->errbuf[0] = '\0';
	pt.ready = 1;
	_sym_finding(h, "paging", "%d levels, direct map at 0x%llx (%s)",
	    pt.levels, (unsigned long long)pt.page_offset,
	    pt.page_offset == PAGE_OFFSET_L4 || pt.page_offset ==
	    PAGE_OFFSET_L5 ? "the fixed base" : "page_offset_base in memory");
	h->pt = pt;
	return 0;
}

int
_pt_read_phys(sym_t *h, uint64_t pa, void *buf, size_t len)
{
	if (_pt_init(h) == -1)
		return -1;
	if (pa >= PT_PHYS_LIMIT || len > PT_PHYS_LIMIT - pa) {
		_sym_err(h, "physical 0x%llx: beyond %d address bits",
		    (unsigned long long)pa, PT_PHYS_BITS);
		return -1;
	}
	if (h->phys_read != NULL)
		return h->phys_read(h, pa, buf, len);
	/* A virtual source sees RAM at page_offset_base + pa. */
	return sym_read(h, h->pt.page_offset + pa, buf, len);
}

int
_pt_kva_to_pa(sym_t *h, uint64_t kva, uint64_t *pa)
{
	if (_pt_init(h) == -1)
		return -1;
	if (kva >= SYM_START_KERNEL_MAP) {
		if (!h->pt.phys_base_known) {
			_sym_err(h, "0x%llx: a kernel-image address, and "
			    "phys_base is unknown", (unsigned long long)kva);
			return -1;
		}
		*pa = kva - SYM_START_KERNEL_MAP + (uint64_t)h->pt.phys_base;
		return 0;
	}
	if (kva >= h->pt.page_offset &&
	    kva - h->pt.page_offset < PT_PHYS_LIMIT) {
		*pa = kva - h->pt.page_offset;
		return 0;
	}
	_sym_err(h, "0x%llx: neither in the direct map (from 0x%llx) nor in "
	    "the kernel image", (unsigned long long)kva,
	    (unsigned long long)h->pt.page_offset);
	return -1;
}

static const char *const level_name[] = { "pte", "pmd", "pud", "p4d",
    "pgd" };

int
_pt_translate(sym_t *h, uint64_t pgd_kva, uint64_t va, uint64_t *pa,
    uint64_t *pgsize)
{
	static const int shift[] = { PT_PAGE_SHIFT, PT_PMD_SHIFT,
	    PT_PUD_SHIFT, PT_P4D_SHIFT, PT_PGD5_SHIFT };
	uint64_t table, entry, idx, mask;
	int level;

	if (_pt_init(h) == -1)
		return -1;
	/* Canonical: bits above the top level are copies of its top bit. */
	mask = h->pt.levels == 5 ? (1ULL << 56) - 1 : (1ULL << 47) - 1;
	if (va > mask && ~va > mask) {
		_sym_err(h, "0x%llx: not a canonical address with %d-level "
		    "paging", (unsigned long long)va, h->pt.levels);
		return 1;
	}
	if (_pt_kva_to_pa(h, pgd_kva, &table) == -1)
		return -1;
	if (table & (SYM_PAGE_SIZE - 1)) {
		_sym_err(h, "page tables: top-level table 0x%llx is not "
		    "page-aligned", (unsigned long long)pgd_kva);
		return -1;
	}
	for (level = h->pt.levels - 1; level >= 0; level--) {
		int name = level == 3 && h->pt.levels == 4 ? 4 : level;

		idx = (va >> shift[level]) & (PT_ENTRIES - 1);
		if (_pt_read_phys(h, table + idx * 8, &entry, 8) == -1)
			return -1;
		_sym_explain(h, "page tables: %s[%llu] at physical 0x%llx = "
		    "0x%016llx", level_name[name], (unsigned long long)idx,
		    (unsigned long long)(table + idx * 8),
		    (unsigned long long)entry);
		if (!(entry & PT_PRESENT)) {
			_sym_err(h, "0x%llx: not present (%s entry 0x%llx)",
			    (unsigned long long)va, level_name[name],
			    (unsigned long long)entry);
			return 1;
		}
		/* PSE: a 1 GiB page at the PUD, a 2 MiB page at the PMD. */
		if ((level == 1 || level == 2) && (entry & PT_PSE)) {
			uint64_t size = 1ULL << shift[level];

			*pa = (entry & h->pt.phys_mask & ~(size - 1)) |
			    (va & (size - 1));
			if (pgsize != NULL)
				*pgsize = size;
			_sym_explain(h, "page tables: a %s page: 0x%llx -> "
			    "physical 0x%llx", level == 2 ? "1 GiB" : "2 MiB",
			    (unsigned long long)va, (unsigned long long)*pa);
			return 0;
		}
		table = entry & h->pt.phys_mask & ~(SYM_PAGE_SIZE - 1);
	}
	*pa = table | (va & (SYM_PAGE_SIZE - 1));
	if (pgsize != NULL)
		*pgsize = SYM_PAGE_SIZE;
	_sym_explain(h, "page tables: 0x%llx -> physical 0x%llx",
	    (unsigned long long)va, (unsigned long long)*pa);
	return 0;
}

ssize_t
_pt_read_user(sym_t *h, uint64_t pgd_kva, uint64_t va, void *buf,
    size_t len)
{
	unsigned char *p = buf;
	uint64_t pa, pgsize;
	size_t done = 0, n;
	int rc;

	while (done < len) {
		if (va + done < va)
			break;		/* wrapped */
		rc = _pt_translate(h, pgd_kva, va + done, &pa, &pgsize);
		if (rc == -1)
			return -1;
		if (rc == 1) {
			_sym_explain(h, "user memory: %s: stopping after %zu "
			    "bytes", h->errbuf, done);
			break;
		}
		n = pgsize - (pa & (pgsize - 1));
		if (n > len - done)
			n = len - done;
		if (_pt_read_phys(h, pa, p + done, n) == -1)
			return -1;
		done += n;
	}
	return (ssize_t)done;
}
