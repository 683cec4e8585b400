#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

char *tu_dir;

void
tu_setup(void)
{
	const char *tmp = getenv("TMPDIR");
	char buf[PATH_MAX];

	snprintf(buf, sizeof(buf), "%s/kmemstat-unit.XXXXXX",
	    tmp != NULL && *tmp != '\0' ? tmp : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(buf));
	tu_dir = strdup(buf);
	ck_assert_ptr_nonnull(tu_dir);
}

/* The scratch directory holds only plain files. */
void
tu_teardown(void)
{
	struct dirent *de;
	DIR *d;

	if (tu_dir == NULL)
		return;
	if ((d = opendir(tu_dir)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (strcmp(de->d_name, ".") != 0 &&
			    strcmp(de->d_name, "..") != 0)
				unlinkat(dirfd(d), de->d_name, 0);
		}
		closedir(d);
	}
	rmdir(tu_dir);
	free(tu_dir);
	tu_dir = NULL;
}

const char *
tu_path(const char *name)
{
	static char buf[8][PATH_MAX];
	static unsigned next;
	char *p = buf[next++ % 8];

	ck_assert_ptr_nonnull(tu_dir);
	snprintf(p, PATH_MAX, "%s/%s", tu_dir, name);
	return p;
}

void
tu_write(const char *path, const void *buf, size_t len)
{
	int fd;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	ck_assert_msg(fd != -1, "%s: %s", path, strerror(errno));
	ck_assert_msg(write(fd, buf, len) == (ssize_t)len, "%s: write", path);
	close(fd);
}

void
tu_writes(const char *path, const char *text)
{
	tu_write(path, text, strlen(text));
}

void
tu_patch(const char *path, uint64_t off, const void *buf, size_t len)
{
	int fd;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	ck_assert_msg(fd != -1, "%s: %s", path, strerror(errno));
	ck_assert(pwrite(fd, buf, len, (off_t)off) == (ssize_t)len);
	close(fd);
}

void
tu_truncate(const char *path, uint64_t size)
{
	ck_assert_msg(truncate(path, (off_t)size) == 0, "%s: %s", path,
	    strerror(errno));
}

void
tu_copy(const char *from, const char *to)
{
	char buf[65536];
	ssize_t n;
	int in, out;

	in = open(from, O_RDONLY | O_CLOEXEC);
	ck_assert_msg(in != -1, "%s: %s", from, strerror(errno));
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	ck_assert_msg(out != -1, "%s: %s", to, strerror(errno));
	while ((n = read(in, buf, sizeof(buf))) > 0)
		ck_assert(write(out, buf, (size_t)n) == n);
	ck_assert(n == 0);
	close(in);
	close(out);
}

char *
tu_run(const char *cmd)
{
	size_t len = 0, cap = 65536;
	char *buf;
	size_t n;
	FILE *fp;
	int st;

	fp = popen(cmd, "r");
	ck_assert_msg(fp != NULL, "%s: %s", cmd, strerror(errno));
	ck_assert_ptr_nonnull(buf = malloc(cap));
	while ((n = fread(buf + len, 1, cap - len - 1, fp)) > 0) {
		len += n;
		if (cap - len - 1 == 0) {
			cap *= 2;
			ck_assert_ptr_nonnull(buf = realloc(buf, cap));
		}
	}
	buf[len] = '\0';
	st = pclose(fp);
	ck_assert_msg(st == 0, "%s: exit status %d", cmd, st);
	return buf;
}

const char *
tu_self_exe(void)
{
	static char path[PATH_MAX];
	ssize_t n;

	n = readlink("/proc/self/exe", path, sizeof(path) - 1);
	ck_assert_msg(n > 0, "/proc/self/exe: %s", strerror(errno));
	path[n] = '\0';
	return path;
}

struct tu_flat tu_flat;

static int
flat_read(sym_t *h, uint64_t addr, void *buf, size_t len)
{
	if (addr < tu_flat.base || addr - tu_flat.base > tu_flat.len ||
	    len > tu_flat.len - (addr - tu_flat.base)) {
		_sym_err(h, "fake-core: 0x%llx: not in the dump",
		    (unsigned long long)addr);
		return -1;
	}
	memcpy(buf, tu_flat.buf + (addr - tu_flat.base), len);
	return 0;
}

const struct sym_memops tu_flat_ops = {
	.name = "fake-core", .src = SYM_SRC_CORE, .read = flat_read,
};

void
tu_flat_put(uint64_t addr, const void *v, size_t len)
{
	ck_assert(addr >= tu_flat.base && addr - tu_flat.base <= tu_flat.cap &&
	    len <= tu_flat.cap - (addr - tu_flat.base));
	memcpy(tu_flat.buf + (addr - tu_flat.base), v, len);
}

sym_t *
tu_handle(void)
{
	sym_t *h = _sym_new(NULL);

	ck_assert_ptr_nonnull(h);
	return h;
}

/* ---- ELF cores ---- */

uint8_t
tu_pattern(uint64_t vaddr)
{
	uint64_t x = vaddr * 0x9e3779b97f4a7c15ULL;

	return (uint8_t)(x >> 56);
}

static size_t
put_note(unsigned char *p, const char *name, uint32_t type,
    const void *desc, uint32_t descsz)
{
	uint32_t namesz = (uint32_t)strlen(name) + 1;
	size_t off = 12;

	memcpy(p, &namesz, 4);
	memcpy(p + 4, &descsz, 4);
	memcpy(p + 8, &type, 4);
	memcpy(p + off, name, namesz);
	off += (namesz + 3) & ~3U;
	memcpy(p + off, desc, descsz);
	off += (descsz + 3) & ~3U;
	return off;
}

/* The note payload; *len its size. */
static unsigned char *
make_notes(const struct tu_core *spec, size_t *len)
{
	static const unsigned char prstatus[8] = "regs...";
	size_t vlen = 0, n;
	unsigned char *p;

	if (spec->vmcoreinfo != NULL)
		vlen = spec->vmcoreinfo_len ? spec->vmcoreinfo_len :
		    strlen(spec->vmcoreinfo);
	ck_assert_ptr_nonnull(p = calloc(1, 64 + vlen));
	n = put_note(p, "CORE", 1, prstatus, sizeof(prstatus));
	ck_assert_uint_eq(n, TU_PRSTATUS_SIZE);
	if (spec->vmcoreinfo != NULL)
		n += put_note(p + n, "VMCOREINFO", 0, spec->vmcoreinfo,
		    (uint32_t)vlen);
	*len = n;
	return p;
}

static void
write_headers(int fd, const struct tu_core *spec, const GElf_Phdr *ph)
{
	GElf_Ehdr eh;
	Elf *elf;
	size_t i;

	ck_assert(elf_version(EV_CURRENT) != EV_NONE);
	ck_assert_ptr_nonnull(elf = elf_begin(fd, ELF_C_WRITE, NULL));
	ck_assert_ptr_nonnull(gelf_newehdr(elf, spec->eclass ?
	    spec->eclass : ELFCLASS64));
	ck_assert_ptr_nonnull(gelf_getehdr(elf, &eh));
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_type = spec->etype ? spec->etype : ET_CORE;
	eh.e_machine = spec->machine ? spec->machine : EM_X86_64;
	eh.e_version = EV_CURRENT;
	eh.e_phoff = gelf_fsize(elf, ELF_T_EHDR, 1, EV_CURRENT);
	ck_assert(gelf_update_ehdr(elf, &eh) != 0);
	ck_assert_ptr_nonnull(gelf_newphdr(elf, spec->nsegs));
	for (i = 0; i < spec->nsegs; i++)
		ck_assert(gelf_update_phdr(elf, (int)i, (GElf_Phdr *)&ph[i]));
	elf_flagelf(elf, ELF_C_SET, ELF_F_LAYOUT);
	ck_assert_msg(elf_update(elf, ELF_C_WRITE) > 0, "elf_update: %s",
	    elf_errmsg(-1));
	elf_end(elf);
}

/* Headers through libelf first: elf_update truncates to what it wrote. */
void
tu_write_core(const char *path, const struct tu_core *spec, uint64_t *phoff)
{
	const struct tu_seg *s;
	GElf_Phdr *ph;
	unsigned char *notes, *data;
	uint64_t cur, noff, j;
	size_t nlen, i;
	int fd, is64 = spec->eclass != ELFCLASS32;

	notes = make_notes(spec, &nlen);
	ck_assert_ptr_nonnull(ph = calloc(spec->nsegs + 1, sizeof(*ph)));
	cur = (is64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr));
	if (phoff != NULL)
		*phoff = cur;
	noff = cur + spec->nsegs *
	    (is64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr));
	cur = (noff + nlen + 15) & ~15ULL;
	for (i = 0; i < spec->nsegs; i++) {
		s = &spec->segs[i];
		ph[i].p_type = s->type;
		ph[i].p_vaddr = s->vaddr;
		ph[i].p_paddr = s->paddr;
		ph[i].p_filesz = s->filesz;
		ph[i].p_memsz = s->memsz;
		ph[i].p_flags = PF_R;
		ph[i].p_align = s->type == PT_NOTE ? 4 : 4096;
		ph[i].p_offset = s->offset;
		if (s->type == PT_NOTE && s->offset == 0)
			ph[i].p_offset = noff;
		if (s->type == PT_NOTE && s->filesz == 0)
			ph[i].p_filesz = nlen;
		if (s->type == PT_LOAD && s->offset == 0) {
			ph[i].p_offset = cur;
			cur = (cur + s->filesz + 15) & ~15ULL;
		}
	}
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	ck_assert_msg(fd != -1, "%s: %s", path, strerror(errno));
	write_headers(fd, spec, ph);
	ck_assert(pwrite(fd, notes, nlen, (off_t)noff) == (ssize_t)nlen);
	for (i = 0; i < spec->nsegs; i++) {
		s = &spec->segs[i];
		if (s->type != PT_LOAD || s->filesz == 0)
			continue;
		ck_assert_uint_le(s->filesz, 1U << 24);
		ck_assert_ptr_nonnull(data = malloc(s->filesz));
		for (j = 0; j < s->filesz; j++)
			data[j] = tu_pattern(s->vaddr + j);
		ck_assert(pwrite(fd, data, s->filesz, (off_t)ph[i].p_offset) ==
		    (ssize_t)s->filesz);
		free(data);
	}
	close(fd);
	free(ph);
	free(notes);
}
