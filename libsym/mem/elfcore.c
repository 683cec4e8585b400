/*
 * ELF core files: /proc/kcore, kdump and QEMU dumps, our own fixtures.
 * Each PT_LOAD maps [p_vaddr, p_vaddr + p_filesz) to p_offset in the file;
 * the VMCOREINFO note, if any, says which kernel this is.
 *
 * libelf reads the headers (ELF_C_READ: /proc/kcore claims a size of
 * terabytes, so no mmap); data is read with pread.  A dump is untrusted:
 * segments are checked against each other and against the file's size,
 * and an address the dump doesn't hold is an error, never zeros.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <endian.h>
#include <errno.h>
#include <gelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "sym_private.h"

#ifndef PROC_SUPER_MAGIC
#define PROC_SUPER_MAGIC	0x9fa0
#endif
#define VMCI_NAME		"VMCOREINFO"
/* All PT_NOTEs of a kdump vmcore: a few notes per CPU. */
#define MAX_NOTES		(16U << 20)

typedef unsigned long long ull;

static const char *
etype_name(unsigned type)
{
	static const char *const names[] = {
		"ET_NONE", "ET_REL", "ET_EXEC", "ET_DYN", "ET_CORE"
	};

	return type < 5 ? names[type] : "unknown type";
}

static void
core_free(struct elfcore *c)
{
	free(c->segs);
	free(c->psegs);
	free(c->phys_why);
	free(c->vmcoreinfo);
	c->segs = NULL;
	c->nsegs = 0;
	c->psegs = NULL;
	c->npsegs = 0;
	c->phys_why = NULL;
	c->vmcoreinfo = NULL;
	c->vmcoreinfo_len = 0;
}

/* A file's segments must fit it; /proc/kcore's size means nothing. */
static int
core_stat(sym_t *h, struct elfcore *c, const char *path)
{
	struct statfs sfs;
	struct stat st;

	if (fstat(c->fd, &st) == -1 || fstatfs(c->fd, &sfs) == -1) {
		_sym_syserr(h, "%s", path);
		return -1;
	}
	c->regular = S_ISREG(st.st_mode) &&
	    (unsigned long)sfs.f_type != PROC_SUPER_MAGIC;
	c->fsize = c->regular ? (uint64_t)st.st_size : 0;
	return 0;
}

/*
 * What libelf would trust before we could look: it allocates for the
 * section count in the header (or in section 0) as it opens the file.  A
 * core has no use for sections, but in a file they must fit.
 */
static int
check_ident(sym_t *h, const struct elfcore *c, const char *path)
{
	Elf64_Ehdr eh;
	Elf64_Shdr sh0;
	uint64_t shoff, shnum;

	if (pread(c->fd, &eh, sizeof(eh), 0) != (ssize_t)sizeof(eh) ||
	    memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0) {
		_sym_err(h, "%s: not an ELF file", path);
		return -1;
	}
	if (eh.e_ident[EI_CLASS] != ELFCLASS64) {
		_sym_err(h, "%s: not a 64-bit ELF file (%s)", path,
		    eh.e_ident[EI_CLASS] == ELFCLASS32 ? "ELFCLASS32" :
		    "bad class");
		return -1;
	}
	if (eh.e_ident[EI_DATA] != ELFDATA2LSB) {
		_sym_err(h, "%s: not a little-endian ELF file", path);
		return -1;
	}
	shoff = le64toh(eh.e_shoff);
	shnum = le16toh(eh.e_shnum);
	if (!c->regular || shoff == 0)
		return 0;
	if (shoff > c->fsize || c->fsize - shoff < sizeof(sh0))
		goto past;
	/* e_shnum 0: the count is in section 0 (more than 0xff00). */
	if (shnum == 0) {
		if (pread(c->fd, &sh0, sizeof(sh0), (off_t)shoff) !=
		    (ssize_t)sizeof(sh0))
			goto past;
		shnum = le64toh(sh0.sh_size);
	}
	if (shnum > (c->fsize - shoff) / sizeof(sh0))
		goto past;
	return 0;
past:
	_sym_err(h, "%s: section headers extend past the end of the file",
	    path);
	return -1;
}

/* The header's count; past 0xfffe it is in section 0's sh_info. */
static int
claimed_phnum(sym_t *h, Elf *elf, const GElf_Ehdr *eh, size_t *phnum,
    const char *path)
{
	GElf_Shdr sh0;
	Elf_Scn *scn;

	*phnum = eh->e_phnum;
	if (eh->e_phnum != PN_XNUM || eh->e_shoff == 0)
		return 0;
	if ((scn = elf_getscn(elf, 0)) == NULL ||
	    gelf_getshdr(scn, &sh0) == NULL) {
		_sym_err(h, "%s: section 0: %s", path, elf_errmsg(-1));
		return -1;
	}
	*phnum = sh0.sh_info;
	return 0;
}

static int
check_ehdr(sym_t *h, Elf *elf, const struct elfcore *c, const char *path,
    size_t *phnum)
{
	GElf_Ehdr eh;
	size_t n;

	if (gelf_getehdr(elf, &eh) == NULL) {
		_sym_err(h, "%s: %s", path, elf_errmsg(-1));
		return -1;
	}
	if (eh.e_type != ET_CORE) {
		_sym_err(h, "%s: not an ELF core file (%s)", path,
		    etype_name(eh.e_type));
		return -1;
	}
	if (eh.e_machine != EM_X86_64) {
		_sym_err(h, "%s: not an x86-64 core (e_machine %u)", path,
		    (unsigned)eh.e_machine);
		return -1;
	}
	if (eh.e_phentsize != sizeof(Elf64_Phdr)) {
		_sym_err(h, "%s: program header size %u, expected %zu", path,
		    (unsigned)eh.e_phentsize, sizeof(Elf64_Phdr));
		return -1;
	}
	if (claimed_phnum(h, elf, &eh, phnum, path) == -1)
		return -1;
	if (*phnum == 0 || *phnum > SYM_MAX_SEGMENTS) {
		_sym_err(h, "%s: %zu program headers (limit %d)", path,
		    *phnum, SYM_MAX_SEGMENTS);
		return -1;
	}
	if (elf_getphdrnum(elf, &n) == -1) {
		_sym_err(h, "%s: %s", path, elf_errmsg(-1));
		return -1;
	}
	/* libelf quietly counts only the headers that fit in the file. */
	if (n != *phnum || (c->regular && (eh.e_phoff > c->fsize ||
	    *phnum > (c->fsize - eh.e_phoff) / sizeof(Elf64_Phdr)))) {
		_sym_err(h, "%s: program headers extend past the end of the "
		    "file", path);
		return -1;
	}
	return 0;
}

/* A segment's bytes: a valid off_t, and within a file. */
static int
check_range(sym_t *h, const struct elfcore *c, uint64_t off, uint64_t size,
    const char *what, size_t i, const char *path)
{
	if (off > INT64_MAX || size > INT64_MAX - off) {
		_sym_err(h, "%s: %s %zu: file offset 0x%llx out of range", path,
		    what, i, (ull)off);
		return -1;
	}
	if (c->regular && off + size > c->fsize) {
		_sym_err(h, "%s: %s %zu extends past the end of the file "
		    "(0x%llx + 0x%llx > 0x%llx)", path, what, i, (ull)off,
		    (ull)size, (ull)c->fsize);
		return -1;
	}
	return 0;
}

static int
copy_vmcoreinfo(sym_t *h, struct elfcore *c, const char *desc, size_t len,
    const char *path)
{
	if (len > SYM_MAX_VMCOREINFO) {
		_sym_err(h, "%s: VMCOREINFO note of %zu bytes (limit %u)",
		    path, len, SYM_MAX_VMCOREINFO);
		return -1;
	}
	/* The text ends at its first NUL; the note may be padded. */
	len = strnlen(desc, len);
	if ((c->vmcoreinfo = malloc(len + 1)) == NULL) {
		_sym_syserr(h, "%s", path);
		return -1;
	}
	memcpy(c->vmcoreinfo, desc, len);
	c->vmcoreinfo[len] = '\0';
	c->vmcoreinfo_len = len;
	return 0;
}

static int
read_notes(sym_t *h, Elf *elf, struct elfcore *c, const GElf_Phdr *ph,
    size_t i, const char *path)
{
	Elf_Data *d;
	GElf_Nhdr nh;
	size_t off = 0, next, noff, doff;

	if (ph->p_filesz == 0 || c->vmcoreinfo != NULL)
		return 0;
	if (check_range(h, c, ph->p_offset, ph->p_filesz, "note segment", i,
	    path) == -1)
		return -1;
	if (ph->p_filesz > MAX_NOTES) {
		_sym_err(h, "%s: note segment %zu: %llu bytes (limit %u)", path,
		    i, (ull)ph->p_filesz, MAX_NOTES);
		return -1;
	}
	d = elf_getdata_rawchunk(elf, (int64_t)ph->p_offset,
	    (size_t)ph->p_filesz, ph->p_align == 8 ? ELF_T_NHDR8 : ELF_T_NHDR);
	if (d == NULL) {
		_sym_err(h, "%s: note segment %zu: %s", path, i,
		    elf_errmsg(-1));
		return -1;
	}
	while ((next = gelf_getnote(d, off, &nh, &noff, &doff)) > 0) {
		off = next;
		if (nh.n_namesz == sizeof(VMCI_NAME) && memcmp((char *)d->d_buf
		    + noff, VMCI_NAME, sizeof(VMCI_NAME)) == 0)
			return copy_vmcoreinfo(h, c, (char *)d->d_buf + doff,
			    nh.n_descsz, path);
	}
	return 0;
}

static int
add_load(sym_t *h, struct elfcore *c, const GElf_Phdr *ph, size_t i,
    const char *path)
{
	struct sym_seg *s;

	if (ph->p_memsz < ph->p_filesz) {
		_sym_err(h, "%s: segment %zu: file size 0x%llx exceeds memory "
		    "size 0x%llx", path, i, (ull)ph->p_filesz,
		    (ull)ph->p_memsz);
		return -1;
	}
	if (ph->p_memsz == 0)
		return 0;
	if (ph->p_memsz - 1 > UINT64_MAX - ph->p_vaddr) {
		_sym_err(h, "%s: segment %zu: 0x%llx + 0x%llx wraps", path, i,
		    (ull)ph->p_vaddr, (ull)ph->p_memsz);
		return -1;
	}
	if (check_range(h, c, ph->p_offset, ph->p_filesz, "segment", i,
	    path) == -1)
		return -1;
	s = &c->segs[c->nsegs++];
	s->vaddr = ph->p_vaddr;
	s->paddr = ph->p_paddr;
	s->offset = ph->p_offset;
	s->filesz = ph->p_filesz;
	s->memsz = ph->p_memsz;
	return 0;
}

static int
seg_cmp(const void *a, const void *b)
{
	const struct sym_seg *x = a, *y = b;

	return x->vaddr < y->vaddr ? -1 : x->vaddr > y->vaddr;
}

static int
read_segments(sym_t *h, Elf *elf, struct elfcore *c, size_t phnum,
    const char *path)
{
	const struct sym_seg *p, *q;
	GElf_Phdr ph;
	size_t i;

	if ((c->segs = calloc(phnum, sizeof(*c->segs))) == NULL) {
		_sym_syserr(h, "%s", path);
		return -1;
	}
	for (i = 0; i < phnum; i++) {
		if (gelf_getphdr(elf, (int)i, &ph) == NULL) {
			_sym_err(h, "%s: program header %zu: %s", path, i,
			    elf_errmsg(-1));
			return -1;
		}
		if ((ph.p_type == PT_LOAD && add_load(h, c, &ph, i, path) == -1)
		    || (ph.p_type == PT_NOTE &&
		    read_notes(h, elf, c, &ph, i, path) == -1))
			return -1;
	}
	if (c->nsegs == 0) {
		_sym_err(h, "%s: no PT_LOAD segments", path);
		return -1;
	}
	qsort(c->segs, c->nsegs, sizeof(*c->segs), seg_cmp);
	for (i = 1; i < c->nsegs; i++) {
		p = &c->segs[i - 1];
		q = &c->segs[i];
		if (p->vaddr + (p->memsz - 1) >= q->vaddr) {
			_sym_err(h, "%s: segments at 0x%llx and 0x%llx overlap",
			    path, (ull)p->vaddr, (ull)q->vaddr);
			return -1;
		}
	}
	return 0;
}

/*
 * Sets every field of c, regular and fsize from fstat.  On success c owns
 * fd and _elfcore_close closes it; on failure fd stays the caller's.
 */
int
_elfcore_open(sym_t *h, struct elfcore *c, int fd, const char *path)
{
	Elf *elf = NULL;
	size_t phnum;

	memset(c, 0, sizeof(*c));
	c->fd = fd;
	if (core_stat(h, c, path) == -1 || check_ident(h, c, path) == -1)
		goto fail;
	if (elf_version(EV_CURRENT) == EV_NONE) {
		_sym_err(h, "%s: libelf: %s", path, elf_errmsg(-1));
		goto fail;
	}
	if ((elf = elf_begin(fd, ELF_C_READ, NULL)) == NULL) {
		_sym_err(h, "%s: %s", path, elf_errmsg(-1));
		goto fail;
	}
	if (check_ehdr(h, elf, c, path, &phnum) == -1 ||
	    read_segments(h, elf, c, phnum, path) == -1)
		goto fail;
	elf_end(elf);
	return 0;
fail:
	if (elf != NULL)
		elf_end(elf);
	core_free(c);
	return -1;
}

static uint64_t
seg_addr(const struct sym_seg *s, int phys)
{
	return phys ? s->paddr : s->vaddr;
}

/* The segment of segs[n] whose memory range holds addr, or NULL. */
static const struct sym_seg *
find_seg(const struct sym_seg *segs, size_t n, int phys, uint64_t addr)
{
	size_t lo = 0, hi = n, mid;
	const struct sym_seg *s;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (seg_addr(&segs[mid], phys) <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return NULL;
	s = &segs[lo - 1];
	return addr - seg_addr(s, phys) < s->memsz ? s : NULL;
}

/*
 * Reads across adjacent segments.  Past p_filesz the dump has no bytes:
 * the kernel had memory there, but we can't say what was in it.
 */
static int
read_segs(sym_t *h, const struct elfcore *c, int phys, uint64_t addr,
    void *buf, size_t len, const char *path)
{
	const struct sym_seg *segs = phys ? c->psegs : c->segs, *s;
	size_t nsegs = phys ? c->npsegs : c->nsegs;
	const char *what = phys ? "physical address" : "address";
	unsigned char *p = buf;
	uint64_t n, at;
	ssize_t r;

	if (len > 0 && len - 1 > UINT64_MAX - addr) {
		_sym_err(h, "%s: %s 0x%llx + %zu wraps", path, what, (ull)addr,
		    len);
		return -1;
	}
	while (len > 0) {
		if ((s = find_seg(segs, nsegs, phys, addr)) == NULL ||
		    addr - seg_addr(s, phys) >= s->filesz) {
			_sym_err(h, "%s: %s 0x%llx is not in the dump", path,
			    what, (ull)addr);
			return -1;
		}
		at = addr - seg_addr(s, phys);
		n = s->filesz - at;
		if (n > len)
			n = len;
		/* offset + filesz <= INT64_MAX was checked at open. */
		r = pread(c->fd, p, n, (off_t)(s->offset + at));
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1) {
			_sym_syserr(h, "%s: read at %s 0x%llx", path, what,
			    (ull)addr);
			return -1;
		}
		if (r == 0) {
			_sym_err(h, "%s: short read at %s 0x%llx", path, what,
			    (ull)addr);
			return -1;
		}
		p += r;
		addr += (uint64_t)r;
		len -= (size_t)r;
	}
	return 0;
}

int
_elfcore_read(sym_t *h, const struct elfcore *c, uint64_t addr, void *buf,
    size_t len, const char *path)
{
	return read_segs(h, c, 0, addr, buf, len, path);
}

int
_elfcore_has(const struct elfcore *c, uint64_t addr, size_t len)
{
	const struct sym_seg *s;
	uint64_t n;

	while (len > 0) {
		if ((s = find_seg(c->segs, c->nsegs, 0, addr)) == NULL ||
		    addr - s->vaddr >= s->filesz)
			return 0;
		n = s->filesz - (addr - s->vaddr);
		if (n >= len)
			return 1;
		addr += n;
		len -= (size_t)n;
	}
	return 1;
}

static int
pseg_cmp(const void *a, const void *b)
{
	const struct sym_seg *x = a, *y = b;

	return x->paddr < y->paddr ? -1 : x->paddr > y->paddr;
}

/*
 * The physical index.  kcore and kdump map the kernel's text twice (the
 * image and the direct map), so ranges may overlap: a segment inside the
 * previous one is dropped, and an overlap that is not nesting is an error
 * (a dump saying two things about one physical byte).  kcore marks
 * segments without a physical address with p_paddr -1.
 */
static int
build_psegs(sym_t *h, struct elfcore *c, const char *path)
{
	const struct sym_seg *prev;
	size_t i;

	if (c->psegs != NULL)
		return 0;
	if ((c->psegs = calloc(c->nsegs, sizeof(*c->psegs))) == NULL) {
		_sym_syserr(h, "%s", path);
		return -1;
	}
	for (i = 0; i < c->nsegs; i++)
		if (c->segs[i].paddr != UINT64_MAX && c->segs[i].filesz > 0 &&
		    c->segs[i].memsz - 1 <= UINT64_MAX - c->segs[i].paddr)
			c->psegs[c->npsegs++] = c->segs[i];
	qsort(c->psegs, c->npsegs, sizeof(*c->psegs), pseg_cmp);
	for (i = 1; i < c->npsegs; i++) {
		prev = &c->psegs[i - 1];
		if (prev->paddr + (prev->memsz - 1) < c->psegs[i].paddr)
			continue;
		if (c->psegs[i].paddr + (c->psegs[i].memsz - 1) >
		    prev->paddr + (prev->memsz - 1)) {
			_sym_err(h, "%s: segments at physical 0x%llx and "
			    "0x%llx overlap", path, (ull)prev->paddr,
			    (ull)c->psegs[i].paddr);
			return -1;
		}
		memmove(&c->psegs[i], &c->psegs[i + 1],
		    (c->npsegs - i - 1) * sizeof(*c->psegs));
		c->npsegs--;
		i--;
	}
	return 0;
}

int
_elfcore_read_phys(sym_t *h, struct elfcore *c, uint64_t pa, void *buf,
    size_t len, const char *path)
{
	if (build_psegs(h, c, path) == -1)
		return -1;
	return read_segs(h, c, 1, pa, buf, len, path);
}

int
_elfcore_is_physical(const struct elfcore *c)
{
	size_t i;

	for (i = 0; i < c->nsegs; i++)
		if (c->segs[i].vaddr >= SYM_KERNEL_MIN)
			return 0;
	return c->nsegs > 0;
}

uint64_t
_elfcore_phys_end(struct elfcore *c)
{
	uint64_t end = 0, e;
	size_t i;

	for (i = 0; i < c->nsegs; i++) {
		if (c->segs[i].paddr == UINT64_MAX)
			continue;
		e = c->segs[i].paddr + c->segs[i].filesz;
		if (e >= c->segs[i].paddr && e > end)
			end = e;
	}
	return end;
}

int
_elfcore_phys_next(sym_t *h, struct elfcore *c, uint64_t pa,
    uint64_t *start, uint64_t *end, const char *path)
{
	size_t lo = 0, hi, mid;
	const struct sym_seg *s;

	if (build_psegs(h, c, path) == -1)
		return -1;
	/* psegs hold file data, sorted and disjoint: the first ending
	 * above pa. */
	for (hi = c->npsegs; lo < hi; ) {
		mid = lo + (hi - lo) / 2;
		s = &c->psegs[mid];
		if (s->paddr + s->filesz <= pa)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == c->npsegs)
		return -1;
	s = &c->psegs[lo];
	*start = s->paddr > pa ? s->paddr : pa;
	*end = s->paddr + s->filesz;
	return 0;
}

void
_elfcore_close(struct elfcore *c)
{
	core_free(c);
	if (c->fd != -1)
		close(c->fd);
	c->fd = -1;
}
