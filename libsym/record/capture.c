/*
 * kcapture's recorder: a memory source wrapped so that every page read
 * is kept (as first seen: later reads of the page see the same bytes),
 * with the symbols and the struct members the tools asked for.  Written
 * out as a fixture: an ELF core of those pages at their kernel virtual
 * addresses (or, from a physical source, at their physical addresses,
 * page tables included) with the source's VMCOREINFO note, a System.map
 * of the symbols (namelist addresses) and a BTF holding only those
 * members.  Reading a whole namelist or BTF out of memory is paused: the
 * fixture carries the parts used instead.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sym_private.h"

struct cpage {
	uint64_t addr;
	unsigned char data[SYM_PAGE_SIZE];
};

struct capture {
	struct cpage **pages;
	size_t npages, cap_pages;
	struct sym_ent *syms;
	size_t nsyms;
	struct btfsubset *types;
	/* A physical source is recorded below the translation: the pages
	 * are physical, the fixture a physical dump as QEMU writes one. */
	int (*phys_read)(sym_t *h, uint64_t pa, void *buf, size_t len);
	int paused;			/* reading the namelist or BTF */
};

static struct capture *
cap_new(void)
{
	struct capture *c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	if ((c->types = _bs_new()) == NULL) {
		free(c);
		return NULL;
	}
	return c;
}

static void
cap_free(sym_t *h)
{
	struct capture *c = h->cap;
	size_t i;

	h->cap = NULL;
	h->hooks = NULL;
	if (c == NULL)
		return;
	for (i = 0; i < c->npages; i++)
		free(c->pages[i]);
	free(c->pages);
	for (i = 0; i < c->nsyms; i++) {
		free((char *)c->syms[i].name);
		free((char *)c->syms[i].module);
	}
	free(c->syms);
	_bs_free(c->types);
	free(c);
}

/* Pages stay sorted by address: binary search, insertion in place. */
static size_t
page_index(const struct capture *c, uint64_t addr, int *found)
{
	size_t lo = 0, hi = c->npages, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (c->pages[mid]->addr < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = lo < c->npages && c->pages[lo]->addr == addr;
	return lo;
}

static struct cpage *
get_page(sym_t *h, uint64_t addr)
{
	struct capture *c = h->cap;
	struct cpage *p, **np;
	size_t i;
	int found, rc;

	i = page_index(c, addr, &found);
	if (found)
		return c->pages[i];
	if ((p = malloc(sizeof(*p))) == NULL) {
		_sym_err(h, "out of memory");
		return NULL;
	}
	p->addr = addr;
	h->in_capture = 1;
	if (c->phys_read != NULL)
		rc = c->phys_read(h, addr, p->data, sizeof(p->data));
	else
		rc = h->mops->read(h, addr, p->data, sizeof(p->data));
	h->in_capture = 0;
	if (rc == -1) {
		free(p);
		return NULL;
	}
	if (c->npages == c->cap_pages) {
		size_t n = c->cap_pages ? c->cap_pages * 2 : 64;
		if ((np = realloc(c->pages, n * sizeof(*np))) == NULL) {
			free(p);
			_sym_err(h, "out of memory");
			return NULL;
		}
		c->pages = np;
		c->cap_pages = n;
	}
	memmove(&c->pages[i + 1], &c->pages[i],
	    (c->npages - i) * sizeof(*c->pages));
	c->pages[i] = p;
	c->npages++;
	return p;
}

static int
cap_read(sym_t *h, uint64_t addr, void *buf, size_t len)
{
	unsigned char *out = buf;
	struct cpage *p;
	uint64_t off;
	size_t n;

	/* The symbols and types are written out on their own. */
	if (h->cap->paused)
		return h->cap->phys_read != NULL ?
		    h->cap->phys_read(h, addr, buf, len) :
		    h->mops->read(h, addr, buf, len);
	while (len > 0) {
		if ((p = get_page(h, addr & SYM_PAGE_MASK)) == NULL)
			return -1;
		off = addr - p->addr;
		n = SYM_PAGE_SIZE - off < len ? SYM_PAGE_SIZE - off : len;
		memcpy(out, p->data + off, n);
		out += n;
		addr += n;
		len -= n;
	}
	return 0;
}

/* A virtual read: kept, unless a physical source is recorded below its
 * translation (cap_physical), where the pages are physical ones. */
static int
cap_vread(sym_t *h, uint64_t addr, void *buf, size_t len)
{
	if (h->cap->phys_read != NULL)
		return h->mops->read(h, addr, buf, len);
	return cap_read(h, addr, buf, len);
}

static void
cap_physical(sym_t *h)
{
	h->cap->phys_read = h->phys_read;
	h->phys_read = cap_read;
	_sym_explain(h, "capture: recording physical pages (the fixture will "
	    "be a physical dump)");
}

static void
cap_pause(sym_t *h, int on)
{
	h->cap->paused += on ? 1 : -1;
}

static void
cap_symbol(sym_t *h, const struct sym_ent *e)
{
	struct capture *c = h->cap;
	struct sym_ent *ns;
	size_t i;

	for (i = 0; i < c->nsyms; i++)
		if (strcmp(c->syms[i].name, e->name) == 0)
			return;
	if ((ns = realloc(c->syms, (c->nsyms + 1) * sizeof(*ns))) == NULL)
		return;
	c->syms = ns;
	ns[c->nsyms] = *e;
	ns[c->nsyms].name = strdup(e->name);
	ns[c->nsyms].module = e->module ? strdup(e->module) : NULL;
	ns[c->nsyms].origin = NULL;
	c->nsyms++;
}

static void
cap_member(sym_t *h, const char *type, const char *member, uint64_t offset,
    uint64_t size, const char *subtype)
{
	_bs_member(h->cap->types, type, member, offset, size, subtype);
}

static void
cap_type(sym_t *h, const char *type, uint64_t size, uint64_t align)
{
	_bs_type(h->cap->types, type, size, align);
}

static const struct sym_hooks capture_hooks = {
	.read = cap_vread,
	.symbol = cap_symbol,
	.member = cap_member,
	.type = cap_type,
	.physical = cap_physical,
	.pause = cap_pause,
	.free = cap_free,
};

int
_rec_attach(sym_t *h)
{
	if ((h->cap = cap_new()) == NULL) {
		_sym_err(h, "out of memory");
		return -1;
	}
	h->hooks = &capture_hooks;
	return 0;
}

/* ---- writing the fixture ---- */

static int
write_map(sym_t *h, const char *dir)
{
	const struct capture *c = h->cap;
	char path[4096];
	uint64_t a, koff = 0;
	FILE *fp;
	size_t i;

	/* A kallsyms namelist holds runtime addresses: undo the slide so the
	 * map reads as the distribution's System.map would. */
	if (h->nlruntime && h->vmcoreinfo != NULL)
		_vmci_u64(h->vmcoreinfo, h->vmcoreinfo_len, "KERNELOFFSET", 16,
		    &koff);
	snprintf(path, sizeof(path), "%s/System.map", dir);
	if ((fp = fopen(path, "wxe")) == NULL) {
		_sym_syserr(h, "%s", path);
		return -1;
	}
	for (i = 0; i < c->nsyms; i++) {
		if (c->syms[i].module != NULL)
			continue;
		a = c->syms[i].addr;
		if (h->nlruntime && a >= SYM_START_KERNEL_MAP)
			a -= koff;
		fprintf(fp, "%016" PRIx64 " %c %s\n", a, c->syms[i].type,
		    c->syms[i].name);
	}
	if (fclose(fp) == EOF) {
		_sym_syserr(h, "%s", path);
		return -1;
	}
	return 0;
}

/* Contiguous pages become one PT_LOAD. */
static size_t
count_runs(const struct capture *c)
{
	size_t i, n = 0;

	for (i = 0; i < c->npages; i++)
		if (i == 0 || c->pages[i]->addr !=
		    c->pages[i - 1]->addr + SYM_PAGE_SIZE)
			n++;
	return n;
}

static size_t
note_size(size_t desc)
{
	return sizeof(Elf64_Nhdr) + 12 /* "VMCOREINFO\0" padded */ +
	    ((desc + 3) & ~(size_t)3);
}

static int
write_note(int fd, off_t off, const char *text, size_t len)
{
	Elf64_Nhdr nh = { .n_namesz = 11, .n_descsz = (Elf64_Word)len,
	    .n_type = 0 };
	char name[12] = "VMCOREINFO";
	size_t total = note_size(len);
	char *buf;
	int rc;

	if ((buf = calloc(1, total)) == NULL)
		return -1;
	memcpy(buf, &nh, sizeof(nh));
	memcpy(buf + sizeof(nh), name, sizeof(name));
	memcpy(buf + sizeof(nh) + sizeof(name), text, len);
	rc = pwrite(fd, buf, total, off) == (ssize_t)total ? 0 : -1;
	free(buf);
	return rc;
}

static int
write_core(sym_t *h, const char *dir)
{
	const struct capture *c = h->cap;
	char path[4096];
	GElf_Ehdr eh;
	GElf_Phdr ph;
	Elf *e = NULL;
	size_t nruns = count_runs(c), i, r, start;
	size_t vlen = h->vmcoreinfo ? h->vmcoreinfo_len : 0;
	off_t off, data;
	int fd, rc = -1;

	snprintf(path, sizeof(path), "%s/vmcore", dir);
	if (elf_version(EV_CURRENT) == EV_NONE ||
	    (fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644)) ==
	    -1) {
		_sym_syserr(h, "%s", path);
		return -1;
	}
	if ((e = elf_begin(fd, ELF_C_WRITE, NULL)) == NULL ||
	    gelf_newehdr(e, ELFCLASS64) == NULL ||
	    gelf_getehdr(e, &eh) == NULL)
		goto fail_elf;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_type = ET_CORE;
	eh.e_machine = EM_X86_64;
	eh.e_version = EV_CURRENT;
	eh.e_phoff = sizeof(Elf64_Ehdr);
	if (gelf_update_ehdr(e, &eh) == 0 ||
	    gelf_newphdr(e, nruns + 1) == NULL)
		goto fail_elf;
	elf_flagelf(e, ELF_C_SET, ELF_F_LAYOUT);
	off = (off_t)(sizeof(Elf64_Ehdr) + (nruns + 1) * sizeof(Elf64_Phdr));
	ph = (GElf_Phdr){ .p_type = PT_NOTE, .p_offset = (GElf_Off)off,
	    .p_filesz = note_size(vlen), .p_align = 4 };
	if (gelf_update_phdr(e, 0, &ph) == 0)
		goto fail_elf;
	data = (off + (off_t)note_size(vlen) + 4095) & ~(off_t)4095;
	for (i = 0, r = 1; i < c->npages; r++) {
		start = i;
		while (++i < c->npages && c->pages[i]->addr ==
		    c->pages[i - 1]->addr + SYM_PAGE_SIZE)
			continue;
		/* Physical pages as QEMU writes them: p_vaddr = p_paddr. */
		ph = (GElf_Phdr){ .p_type = PT_LOAD, .p_flags = PF_R,
		    .p_offset = (GElf_Off)data, .p_vaddr = c->pages[start]->addr,
		    .p_paddr = c->phys_read != NULL ? c->pages[start]->addr : 0,
		    .p_filesz = (i - start) * SYM_PAGE_SIZE,
		    .p_memsz = (i - start) * SYM_PAGE_SIZE, .p_align = 4096 };
		if (gelf_update_phdr(e, r, &ph) == 0)
			goto fail_elf;
		data += (off_t)((i - start) * SYM_PAGE_SIZE);
	}
	/* elf_update truncates the file to the headers: data goes after. */
	if (elf_update(e, ELF_C_WRITE) < 0)
		goto fail_elf;
	data = (off + (off_t)note_size(vlen) + 4095) & ~(off_t)4095;
	for (i = 0; i < c->npages; i++, data += SYM_PAGE_SIZE)
		if (pwrite(fd, c->pages[i]->data, SYM_PAGE_SIZE, data) !=
		    (ssize_t)SYM_PAGE_SIZE)
			goto fail_sys;
	if (write_note(fd, off, h->vmcoreinfo ? h->vmcoreinfo : "", vlen) == -1)
		goto fail_sys;
	rc = 0;
	goto out;
fail_sys:
	_sym_syserr(h, "%s", path);
	goto out;
fail_elf:
	_sym_err(h, "%s: %s", path, elf_errmsg(-1));
out:
	if (e != NULL)
		elf_end(e);
	if (fsync(fd) == -1 && rc == 0) {
		_sym_syserr(h, "%s", path);
		rc = -1;
	}
	close(fd);
	return rc;
}

int
sym_capture_write(sym_t *h, const char *dir)
{
	char path[4096];

	if (h->cap == NULL || h->mops == NULL) {
		_sym_err(h, "%s: nothing captured (no kernel memory source)",
		    dir);
		return -1;
	}
	if (h->vmcoreinfo == NULL)
		_sym_explain(h, "the source has no VMCOREINFO: the fixture's "
		    "note is empty");
	_sym_explain(h, "capture: %zu pages, %zu symbols, %zu types and "
	    "members", h->cap->npages, h->cap->nsyms,
	    _bs_count(h->cap->types));
	snprintf(path, sizeof(path), "%s/btf", dir);
	if (write_core(h, dir) == -1 || write_map(h, dir) == -1 ||
	    _bs_write(h, h->cap->types, path) == -1)
		return -1;
	return 0;
}
