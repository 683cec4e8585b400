/*
 * ELF cores written here with libelf: a good one, then hostile variants
 * made by changing the spec or patching bytes.  Segment bytes are
 * tu_pattern(vaddr), so every byte read can be checked.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "suites.h"
#include "util.h"

#define SEG_A	0xffffffff81000000ULL	/* 0x2000 bytes */
#define SEG_B	(SEG_A + 0x2000)	/* adjacent to A: 0x1000 bytes */
#define SEG_C	0xffffffff82000000ULL	/* filesz 0x800, memsz 0x1000 */

static const char vmci[] =
    "OSRELEASE=6.1.0-test-amd64\n"
    "PAGESIZE=4096\n"
    "KERNELOFFSET=2c000000\n"
    "NUMBER(phys_base)=-1046478848\n";

/* B before A in the file, and listed before it: sorting is ours to do. */
static const struct tu_seg std_segs[] = {
	{ PT_NOTE, 0, 0, 0, 0, 0 },
	{ PT_LOAD, SEG_B, 0x2002000, 0x1000, 0x1000, 0 },
	{ PT_LOAD, SEG_C, 0x3000000, 0x800, 0x1000, 0 },
	{ PT_LOAD, SEG_A, 0x2000000, 0x2000, 0x2000, 0 },
	{ PT_LOAD, 0xffffffff83000000ULL, 0, 0, 0, 0 },	/* empty */
};
#define NSTD	(sizeof(std_segs) / sizeof(std_segs[0]))

static const char *
std_core(uint64_t *phoff)
{
	struct tu_core spec = { .segs = std_segs, .nsegs = NSTD,
	    .vmcoreinfo = vmci };
	const char *path = tu_path("core");

	tu_write_core(path, &spec, phoff);
	return path;
}

/* Offset of a field of program header i. */
static uint64_t
ph_field(uint64_t phoff, size_t i, size_t field)
{
	return phoff + i * sizeof(Elf64_Phdr) + field;
}

static int
open_core(sym_t *h, struct elfcore *c, const char *path, int *fdp)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	ck_assert_msg(fd != -1, "%s: %s", path, strerror(errno));
	*fdp = fd;
	return _elfcore_open(h, c, fd, path);
}

static void
assert_pattern(const unsigned char *buf, uint64_t addr, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		ck_assert_msg(buf[i] == tu_pattern(addr + i),
		    "byte at 0x%llx: 0x%02x, wrote 0x%02x",
		    (unsigned long long)(addr + i), buf[i],
		    tu_pattern(addr + i));
}

START_TEST(test_open)
{
	const char *path = std_core(NULL);
	sym_t *h = tu_handle();
	struct elfcore c;
	struct stat st;
	uint64_t off;
	int fd;

	ck_assert_msg(open_core(h, &c, path, &fd) == 0, "%s", sym_geterr(h));
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(c.fd, fd);
	ck_assert_int_eq(c.regular, 1);
	ck_assert_uint_eq(c.fsize, (uint64_t)st.st_size);
	ck_assert_uint_eq(c.nsegs, 3);
	ck_assert_uint_eq(c.segs[0].vaddr, SEG_A);
	ck_assert_uint_eq(c.segs[0].paddr, 0x2000000);
	ck_assert_uint_eq(c.segs[0].filesz, 0x2000);
	ck_assert_uint_eq(c.segs[1].vaddr, SEG_B);
	ck_assert_uint_eq(c.segs[1].memsz, 0x1000);
	ck_assert_uint_eq(c.segs[2].vaddr, SEG_C);
	ck_assert_uint_eq(c.segs[2].filesz, 0x800);
	ck_assert_uint_eq(c.segs[2].memsz, 0x1000);
	/* B was written before A */
	ck_assert_uint_lt(c.segs[1].offset, c.segs[0].offset);

	ck_assert_ptr_nonnull(c.vmcoreinfo);
	ck_assert_str_eq(c.vmcoreinfo, vmci);
	ck_assert_uint_eq(c.vmcoreinfo_len, strlen(vmci));
	ck_assert_int_eq(_vmci_u64(c.vmcoreinfo, c.vmcoreinfo_len,
	    "KERNELOFFSET", 16, &off), 0);
	ck_assert_uint_eq(off, 0x2c000000);

	/* c owns the fd once open */
	_elfcore_close(&c);
	ck_assert_ptr_null(c.segs);
	ck_assert_ptr_null(c.vmcoreinfo);
	ck_assert_int_eq(c.fd, -1);
	ck_assert_int_eq(fcntl(fd, F_GETFD), -1);
	sym_close(h);
}
END_TEST

START_TEST(test_read)
{
	const char *path = std_core(NULL);
	static unsigned char buf[0x3000];
	sym_t *h = tu_handle();
	struct elfcore c;
	static const struct {
		uint64_t addr;
		size_t len;
	} ok[] = {
		{ SEG_A, 16 }, { SEG_A + 0x1fff, 1 }, { SEG_B, 0x1000 },
		{ SEG_C, 0x800 }, { SEG_C + 0x7ff, 1 },
		{ SEG_A + 0x1ff0, 0x20 },	/* across A and B */
		{ SEG_A, 0x3000 },		/* all of A and B */
		{ SEG_A + 5, 0 },
	};
	size_t i;
	int fd;

	ck_assert_msg(open_core(h, &c, path, &fd) == 0, "%s", sym_geterr(h));
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		memset(buf, 0, sizeof(buf));
		ck_assert_msg(_elfcore_read(h, &c, ok[i].addr, buf, ok[i].len,
		    path) == 0, "%s", sym_geterr(h));
		assert_pattern(buf, ok[i].addr, ok[i].len);
	}
	_elfcore_close(&c);
	sym_close(h);
}
END_TEST

static void
assert_read_fails(sym_t *h, const struct elfcore *c, const char *path,
    uint64_t addr, size_t len, uint64_t bad)
{
	unsigned char buf[64];
	char want[PATH_MAX + 64];

	ck_assert_uint_le(len, sizeof(buf));
	ck_assert_int_eq(_elfcore_read(h, c, addr, buf, len, path), -1);
	snprintf(want, sizeof(want), "%s: address 0x%llx is not in the dump",
	    path, (unsigned long long)bad);
	ck_assert_str_eq(sym_geterr(h), want);
}

START_TEST(test_read_outside)
{
	const char *path = std_core(NULL);
	sym_t *h = tu_handle();
	struct elfcore c;
	int fd;

	ck_assert_msg(open_core(h, &c, path, &fd) == 0, "%s", sym_geterr(h));
	/* from B into the hole after it: the first missing byte is named */
	assert_read_fails(h, &c, path, SEG_B + 0xff0, 0x20, SEG_B + 0x1000);
	assert_read_fails(h, &c, path, SEG_B + 0x1000, 8, SEG_B + 0x1000);
	assert_read_fails(h, &c, path, SEG_A - 1, 2, SEG_A - 1);
	assert_read_fails(h, &c, path, 0, 8, 0);
	/* C has memory past its file size: no bytes, not zeros */
	assert_read_fails(h, &c, path, SEG_C + 0x7f0, 0x20, SEG_C + 0x800);
	assert_read_fails(h, &c, path, SEG_C + 0x900, 8, SEG_C + 0x900);
	assert_read_fails(h, &c, path, SEG_C + 0x1000, 8, SEG_C + 0x1000);
	assert_read_fails(h, &c, path, UINT64_MAX, 1, UINT64_MAX);
	/* the empty segment holds nothing either */
	assert_read_fails(h, &c, path, 0xffffffff83000000ULL, 1,
	    0xffffffff83000000ULL);
	_elfcore_close(&c);
	sym_close(h);
}
END_TEST

/* A segment may end at the top of the address space; a read can't wrap. */
START_TEST(test_read_top)
{
	static const struct tu_seg segs[] = {
		{ PT_LOAD, 0xfffffffffffff000ULL, 0, 0x1000, 0x1000, 0 },
	};
	struct tu_core spec = { .segs = segs, .nsegs = 1 };
	const char *path = tu_path("core");
	unsigned char buf[32];
	sym_t *h = tu_handle();
	struct elfcore c;
	int fd;

	tu_write_core(path, &spec, NULL);
	ck_assert_msg(open_core(h, &c, path, &fd) == 0, "%s", sym_geterr(h));
	ck_assert_int_eq(_elfcore_read(h, &c, UINT64_MAX - 15, buf, 16, path),
	    0);
	assert_pattern(buf, UINT64_MAX - 15, 16);
	ck_assert_int_eq(_elfcore_read(h, &c, UINT64_MAX - 15, buf, 32, path),
	    -1);
	tu_assert_contains(sym_geterr(h), path);
	tu_assert_contains(sym_geterr(h), "0xfffffffffffffff0");
	tu_assert_contains(sym_geterr(h), "wraps");
	_elfcore_close(&c);
	sym_close(h);
}
END_TEST

/* The file shrinks after it was opened: pread comes up short. */
START_TEST(test_short_read)
{
	const char *path = std_core(NULL);
	unsigned char buf[16];
	char want[PATH_MAX + 64];
	sym_t *h = tu_handle();
	struct elfcore c;
	int fd;

	ck_assert_msg(open_core(h, &c, path, &fd) == 0, "%s", sym_geterr(h));
	/* A is the last in the file */
	tu_truncate(path, c.segs[0].offset + 8);
	ck_assert_int_eq(_elfcore_read(h, &c, SEG_A, buf, 8, path), 0);
	assert_pattern(buf, SEG_A, 8);
	ck_assert_int_eq(_elfcore_read(h, &c, SEG_A + 4, buf, 8, path), -1);
	snprintf(want, sizeof(want), "%s: short read at address 0x%llx", path,
	    SEG_A + 8);
	ck_assert_str_eq(sym_geterr(h), want);
	_elfcore_close(&c);
	sym_close(h);
}
END_TEST

START_TEST(test_no_vmcoreinfo)
{
	struct tu_core spec = { .segs = std_segs, .nsegs = NSTD };
	const char *path = tu_path("core");
	sym_t *h = tu_handle();
	struct elfcore c;
	int fd;

	tu_write_core(path, &spec, NULL);
	ck_assert_msg(open_core(h, &c, path, &fd) == 0, "%s", sym_geterr(h));
	ck_assert_ptr_null(c.vmcoreinfo);
	ck_assert_uint_eq(c.vmcoreinfo_len, 0);
	ck_assert_uint_eq(c.nsegs, 3);
	_elfcore_close(&c);
	sym_close(h);
}
END_TEST

/* The second PT_NOTE holds it; the note is NUL-padded. */
START_TEST(test_vmcoreinfo_second_note)
{
	static const char padded[] = "PAGESIZE=4096\n\0\0\0\0\0";
	struct tu_seg segs[NSTD + 1];
	struct tu_core spec = { .segs = segs, .nsegs = NSTD + 1,
	    .vmcoreinfo = padded, .vmcoreinfo_len = sizeof(padded) };
	const char *path = tu_path("core");
	sym_t *h = tu_handle();
	struct elfcore c;
	int fd;

	memcpy(segs + 1, std_segs, sizeof(std_segs));
	memset(&segs[0], 0, sizeof(segs[0]));
	segs[0].type = PT_NOTE;
	segs[0].filesz = TU_PRSTATUS_SIZE;
	tu_write_core(path, &spec, NULL);
	ck_assert_msg(open_core(h, &c, path, &fd) == 0, "%s", sym_geterr(h));
	ck_assert_ptr_nonnull(c.vmcoreinfo);
	ck_assert_str_eq(c.vmcoreinfo, "PAGESIZE=4096\n");
	ck_assert_uint_eq(c.vmcoreinfo_len, 14);
	_elfcore_close(&c);
	sym_close(h);
}
END_TEST

/* Opening fails with a message naming the file and the reason. */
static void
assert_open_fails(const char *path, const char *reason)
{
	sym_t *h = tu_handle();
	struct elfcore c;
	int fd;

	ck_assert_int_eq(open_core(h, &c, path, &fd), -1);
	tu_assert_contains(sym_geterr(h), path);
	tu_assert_contains(sym_geterr(h), reason);
	ck_assert_ptr_null(strchr(sym_geterr(h), '\n'));
	ck_assert_ptr_null(c.segs);
	ck_assert_ptr_null(c.vmcoreinfo);
	ck_assert_int_ne(fcntl(fd, F_GETFD), -1);
	close(fd);
	sym_close(h);
}

static void
assert_spec_fails(const struct tu_seg *segs, size_t n, const char *reason)
{
	struct tu_core spec = { .segs = segs, .nsegs = n, .vmcoreinfo = vmci };
	const char *path = tu_path("bad");

	tu_write_core(path, &spec, NULL);
	assert_open_fails(path, reason);
}

START_TEST(test_not_core)
{
	const char *path = tu_path("bad");
	struct tu_core spec = { .segs = std_segs, .nsegs = NSTD };
	static const struct tu_seg seg32[] = {
		{ PT_LOAD, 0xc1000000, 0x1000000, 0x100, 0x100, 0 },
	};

	tu_writes(path, "ffffffff81000000 T _text\n");
	assert_open_fails(path, "not an ELF file");
	tu_writes(path, "");
	assert_open_fails(path, "not an ELF file");

	spec.etype = ET_EXEC;
	tu_write_core(path, &spec, NULL);
	assert_open_fails(path, "not an ELF core file (ET_EXEC)");
	spec.etype = ET_DYN;
	tu_write_core(path, &spec, NULL);
	assert_open_fails(path, "not an ELF core file (ET_DYN)");
	spec.etype = 0;
	spec.machine = EM_AARCH64;
	tu_write_core(path, &spec, NULL);
	assert_open_fails(path, "not an x86-64 core");

	spec.machine = 0;
	spec.eclass = ELFCLASS32;
	spec.segs = seg32;
	spec.nsegs = 1;
	tu_write_core(path, &spec, NULL);
	assert_open_fails(path, "ELFCLASS32");
}
END_TEST

START_TEST(test_truncated)
{
	const char *path;
	uint64_t phoff;

	path = std_core(&phoff);
	tu_truncate(path, 40);
	assert_open_fails(path, "not an ELF file");
	path = std_core(&phoff);
	tu_truncate(path, phoff + 2 * sizeof(Elf64_Phdr));
	assert_open_fails(path, "program headers extend past the end");
	/* the headers whole, the segments' bytes gone */
	path = std_core(&phoff);
	tu_truncate(path, phoff + NSTD * sizeof(Elf64_Phdr) + 64);
	assert_open_fails(path, "past the end of the file");
}
END_TEST

START_TEST(test_overlap)
{
	static const struct tu_seg same[] = {
		{ PT_LOAD, SEG_A, 0, 0x100, 0x100, 0 },
		{ PT_LOAD, SEG_A, 0, 0x100, 0x100, 0 },
	};
	static const struct tu_seg inside[] = {
		{ PT_LOAD, SEG_A + 0x1000, 0, 0x100, 0x100, 0 },
		{ PT_LOAD, SEG_A, 0, 0x100, 0x2000, 0 },
	};
	static const struct tu_seg by_one[] = {
		{ PT_LOAD, SEG_A, 0, 0x1000, 0x1001, 0 },
		{ PT_LOAD, SEG_A + 0x1000, 0, 0x100, 0x100, 0 },
	};

	assert_spec_fails(same, 2, "overlap");
	assert_spec_fails(inside, 2, "overlap");
	assert_spec_fails(by_one, 2, "overlap");
}
END_TEST

START_TEST(test_bad_segments)
{
	static const struct tu_seg wraps[] = {
		{ PT_LOAD, 0xfffffffffffff000ULL, 0, 0x1000, 0x1001, 0 },
	};
	static const struct tu_seg notes_only[] = {
		{ PT_NOTE, 0, 0, 0, 0, 0 },
		{ PT_LOAD, SEG_A, 0, 0, 0, 0 },
	};

	assert_spec_fails(wraps, 1, "wraps");
	assert_spec_fails(notes_only, 2, "no PT_LOAD");
}
END_TEST

/* Patches of a good core: one field each. */
START_TEST(test_patched)
{
	const char *path;
	Elf64_Shdr sh0;
	struct stat st;
	uint64_t phoff, v;
	uint16_t s;

	path = std_core(&phoff);
	s = 0xfff0;
	tu_patch(path, offsetof(Elf64_Ehdr, e_phnum), &s, 2);
	assert_open_fails(path, "program headers");

	path = std_core(&phoff);
	s = 0;
	tu_patch(path, offsetof(Elf64_Ehdr, e_phnum), &s, 2);
	assert_open_fails(path, "0 program headers");

	path = std_core(&phoff);
	s = PN_XNUM;
	tu_patch(path, offsetof(Elf64_Ehdr, e_phnum), &s, 2);
	assert_open_fails(path, "program headers");

	path = std_core(&phoff);
	s = 32;
	tu_patch(path, offsetof(Elf64_Ehdr, e_phentsize), &s, 2);
	assert_open_fails(path, "program header size 32");

	/* A's size, then its offset */
	path = std_core(&phoff);
	v = 0x10000000;
	tu_patch(path, ph_field(phoff, 3, offsetof(Elf64_Phdr, p_filesz)), &v,
	    8);
	tu_patch(path, ph_field(phoff, 3, offsetof(Elf64_Phdr, p_memsz)), &v,
	    8);
	assert_open_fails(path, "past the end of the file");

	path = std_core(&phoff);
	v = UINT64_MAX - 0x10;
	tu_patch(path, ph_field(phoff, 3, offsetof(Elf64_Phdr, p_offset)), &v,
	    8);
	assert_open_fails(path, "out of range");

	path = std_core(&phoff);
	v = 0x1fff;
	tu_patch(path, ph_field(phoff, 3, offsetof(Elf64_Phdr, p_memsz)), &v,
	    8);
	assert_open_fails(path, "exceeds memory size");

	/* the notes */
	path = std_core(&phoff);
	v = 1ULL << 30;
	tu_patch(path, ph_field(phoff, 0, offsetof(Elf64_Phdr, p_filesz)), &v,
	    8);
	assert_open_fails(path, "note segment 0");

	/* a section table that isn't there */
	path = std_core(&phoff);
	v = 1ULL << 40;
	tu_patch(path, offsetof(Elf64_Ehdr, e_shoff), &v, 8);
	assert_open_fails(path, "section headers");
	/* e_shnum 0: the count is section 0's sh_size */
	path = std_core(&phoff);
	ck_assert_int_eq(stat(path, &st), 0);
	memset(&sh0, 0, sizeof(sh0));
	sh0.sh_size = 1U << 30;
	tu_patch(path, (uint64_t)st.st_size, &sh0, sizeof(sh0));
	v = (uint64_t)st.st_size;
	tu_patch(path, offsetof(Elf64_Ehdr, e_shoff), &v, 8);
	assert_open_fails(path, "section headers");
}
END_TEST

START_TEST(test_vmcoreinfo_too_big)
{
	size_t len = SYM_MAX_VMCOREINFO + 1;
	char *big = malloc(len + 1);
	struct tu_core spec = { .segs = std_segs, .nsegs = NSTD };
	const char *path = tu_path("core");

	ck_assert_ptr_nonnull(big);
	memset(big, 'A', len);
	big[len] = '\0';
	spec.vmcoreinfo = big;
	tu_write_core(path, &spec, NULL);
	assert_open_fails(path, "VMCOREINFO");
	/* and at the limit it is taken */
	big[len - 1] = '\0';
	tu_write_core(path, &spec, NULL);
	{
		sym_t *h = tu_handle();
		struct elfcore c;
		int fd;

		ck_assert_msg(open_core(h, &c, path, &fd) == 0, "%s",
		    sym_geterr(h));
		ck_assert_uint_eq(c.vmcoreinfo_len, SYM_MAX_VMCOREINFO);
		_elfcore_close(&c);
		sym_close(h);
	}
	free(big);
}
END_TEST

/* Where this machine has one: its VMCOREINFO names the running kernel. */
START_TEST(test_proc_kcore)
{
	sym_t *h = tu_handle();
	struct elfcore c;
	struct utsname u;
	char rel[65];
	int fd;

	ck_assert_msg(open_core(h, &c, "/proc/kcore", &fd) == 0, "%s",
	    sym_geterr(h));
	ck_assert_int_eq(c.regular, 0);
	ck_assert_uint_gt(c.nsegs, 0);
	ck_assert_int_eq(uname(&u), 0);
	if (c.vmcoreinfo != NULL) {
		ck_assert_int_eq(_vmci_get(c.vmcoreinfo, c.vmcoreinfo_len,
		    "OSRELEASE", rel, sizeof(rel)), 0);
		ck_assert_str_eq(rel, u.release);
	}
	_elfcore_close(&c);
	sym_close(h);
}
END_TEST

/* Every libkdumpfile function the kdump source calls is in the library
 * it dlopens: the header's inline wrappers (kdump_open_fd) are not. */
START_TEST(test_kdump_library)
{
	sym_t *h = _sym_new(NULL);

	ck_assert_ptr_nonnull(h);
	ck_assert_msg(_kdump_load(h) == 0, "%s", sym_geterr(h));
	sym_close(h);
}
END_TEST

Suite *
suite_elfcore(void)
{
	Suite *s = suite_create("elfcore");
	TCase *tc = tcase_create("elfcore");
	int fd;

	tcase_add_checked_fixture(tc, tu_setup, tu_teardown);
	tcase_add_test(tc, test_open);
	tcase_add_test(tc, test_read);
	tcase_add_test(tc, test_read_outside);
	tcase_add_test(tc, test_read_top);
	tcase_add_test(tc, test_short_read);
	tcase_add_test(tc, test_no_vmcoreinfo);
	tcase_add_test(tc, test_vmcoreinfo_second_note);
	tcase_add_test(tc, test_not_core);
	tcase_add_test(tc, test_truncated);
	tcase_add_test(tc, test_overlap);
	tcase_add_test(tc, test_bad_segments);
	tcase_add_test(tc, test_patched);
	tcase_add_test(tc, test_vmcoreinfo_too_big);
#ifdef HAVE_LIBKDUMPFILE
	tcase_add_test(tc, test_kdump_library);
#endif
	if ((fd = open("/proc/kcore", O_RDONLY | O_CLOEXEC)) != -1) {
		close(fd);
		tcase_add_test(tc, test_proc_kcore);
	}
	suite_add_tcase(s, tc);
	return s;
}
