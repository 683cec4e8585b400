/*
 * Physical sources on hostile input: raw memory images made here, holding
 * a VMCOREINFO page for the scan to find, an init_uts_ns for it to be
 * checked against, and page tables for a vmalloc address.  Then each is
 * broken: absurd VMCOREINFO values, a uts that disagrees, page tables that
 * point outside the image or at themselves, a dump cut short.  Every case
 * must end in a one-line error naming the file or address, never a crash.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <check.h>
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "suites.h"
#include "util.h"

#define IMG_SIZE	(4ULL << 20)
#define VMCI_PA		0x1000ULL
#define UTS_PA		0x300000ULL
#define PGD_PA		0x200000ULL
#define DATA_PA		0x220000ULL
/* kernel image 0xffffffff81000000 at physical 1 MiB */
#define PHYS_BASE	"-15728640"
#define UTS_VA		0xffffffff81200000ULL
#define PGD_VA		0xffffffff81100000ULL
#define VMALLOC_VA	0xffffc90000001000ULL
#define RELEASE		"6.1.0-test-amd64"

static unsigned char *img;

static void
put64(uint64_t pa, uint64_t v)
{
	memcpy(img + pa, &v, sizeof(v));
}

static unsigned
idx(uint64_t va, int shift)
{
	return (unsigned)((va >> shift) & 511);
}

/* VMCOREINFO with one line replaced (or none, when key is NULL). */
static void
put_vmcoreinfo(const char *key, const char *value)
{
	static const char *const lines[][2] = {
		{ "OSRELEASE", RELEASE }, { "PAGESIZE", "4096" },
		{ "SYMBOL(init_uts_ns)", "ffffffff81200000" },
		{ "SYMBOL(init_top_pgt)", "ffffffff81100000" },
		{ "NUMBER(pgtable_l5_enabled)", "0" },
		{ "KERNELOFFSET", "0" }, { "NUMBER(phys_base)", PHYS_BASE },
	};
	char *p = (char *)img + VMCI_PA;
	size_t i;

	memset(p, 0, SYM_PAGE_SIZE);
	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		p += sprintf(p, "%s=%s\n", lines[i][0],
		    key != NULL && strcmp(key, lines[i][0]) == 0 ? value :
		    lines[i][1]);
}

/* The good image: every later test breaks one thing in it. */
static void
build(void)
{
	uint64_t pud = PGD_PA + 0x10000, pmd = pud + 0x1000, pte = pmd + 0x1000;
	size_t i;

	free(img);
	ck_assert_ptr_nonnull(img = calloc(1, IMG_SIZE));
	put_vmcoreinfo(NULL, NULL);
	memcpy(img + UTS_PA, "Linux", 6);
	memcpy(img + UTS_PA + 2 * 65, RELEASE, sizeof(RELEASE));
	put64(PGD_PA + 8 * idx(VMALLOC_VA, 39), pud | 1);
	put64(pud + 8 * idx(VMALLOC_VA, 30), pmd | 1);
	put64(pmd + 8 * idx(VMALLOC_VA, 21), pte | 1);
	put64(pte + 8 * idx(VMALLOC_VA, 12), DATA_PA | 1);
	/* the next page: outside the image; the one after: not present */
	put64(pte + 8 * idx(VMALLOC_VA + 0x1000, 12), (1ULL << 40) | 1);
	for (i = 0; i < SYM_PAGE_SIZE; i++)
		img[DATA_PA + i] = tu_pattern(VMALLOC_VA + i);
}

static sym_t *
open_img(int use_mmap, char *err)
{
	struct sym_opts o = { .memfile = tu_path("ram"), .use_mmap = use_mmap };

	tu_write(o.memfile, img, IMG_SIZE);
	return sym_open(&o, err);
}

static void
assert_refused(const char *want)
{
	char err[SYM_ERRSIZE];
	sym_t *h = open_img(0, err);

	ck_assert_msg(h == NULL, "opened; wanted \"%s\"", want);
	tu_assert_contains(err, want);
	ck_assert_ptr_null(strchr(err, '\n'));
}

static void
read_vmalloc(int use_mmap)
{
	unsigned char buf[64];
	char err[SYM_ERRSIZE];
	sym_t *h;
	size_t i;

	build();
	ck_assert_msg((h = open_img(use_mmap, err)) != NULL, "%s", err);
	tu_assert_contains(sym_findings(h), "found by scanning memory at "
	    "physical 0x1000");
	ck_assert_int_eq(sym_read(h, UTS_VA, buf, 6), 0);
	ck_assert_str_eq((char *)buf, "Linux");
	ck_assert_int_eq(sym_read(h, VMALLOC_VA + 100, buf, sizeof(buf)), 0);
	for (i = 0; i < sizeof(buf); i++)
		ck_assert_uint_eq(buf[i], tu_pattern(VMALLOC_VA + 100 + i));
	ck_assert_int_eq(sym_read(h, VMALLOC_VA + 0x1000, buf, 8), -1);
	tu_assert_contains(sym_geterr(h), "physical 0x10000000000");
	ck_assert_int_eq(sym_read(h, VMALLOC_VA + 0x2000, buf, 8), -1);
	tu_assert_contains(sym_geterr(h), "not present");
	/* a read across the mapped page into the unmapped one fails whole */
	ck_assert_int_eq(sym_read(h, VMALLOC_VA + 0xff8, buf, 16), -1);
	sym_close(h);
}

START_TEST(test_translate_pread)
{
	read_vmalloc(0);
}
END_TEST

START_TEST(test_translate_mmap)
{
	read_vmalloc(1);
}
END_TEST

START_TEST(test_absurd_vmcoreinfo)
{
	build();
	put_vmcoreinfo("NUMBER(phys_base)", "12345");
	assert_refused("NUMBER(phys_base)=12345 is absurd");
	put_vmcoreinfo("NUMBER(phys_base)", "-99999999999999999999");
	assert_refused("NUMBER(phys_base) is not a number");
	build();
	put_vmcoreinfo("NUMBER(KERNEL_IMAGE_SIZE)", "7");
	/* an extra line: the replacement only applies to listed keys */
	strcat((char *)img + VMCI_PA, "NUMBER(KERNEL_IMAGE_SIZE)=7\n");
	assert_refused("KERNEL_IMAGE_SIZE)=7 is absurd");
	build();
	put_vmcoreinfo("SYMBOL(init_uts_ns)", "ffffffffbf000000");
	assert_refused("beyond the image");
	put_vmcoreinfo("SYMBOL(init_uts_ns)", "ffffffffff000000");
	assert_refused("not in the kernel page tables");
}
END_TEST

START_TEST(test_uts_disagrees)
{
	build();
	memcpy(img + UTS_PA + 2 * 65, "5.10.0-other", 13);
	assert_refused("VMCOREINFO and memory disagree");
	build();
	memset(img + UTS_PA, 0, 6);
	assert_refused("does not read \"Linux\"");
}
END_TEST

/* A table that points at itself is walked as deep as paging goes, and no
 * deeper: the result is some page of the image, or an error. */
START_TEST(test_pgtable_loop)
{
	unsigned char buf[8];
	char err[SYM_ERRSIZE];
	uint64_t va = 0xffffc90000000000ULL + (1ULL << 39);
	sym_t *h;

	build();
	put64(PGD_PA + 8 * idx(va, 39), PGD_PA | 1);
	ck_assert_msg((h = open_img(0, err)) != NULL, "%s", err);
	(void)sym_read(h, va, buf, sizeof(buf));
	sym_close(h);
}
END_TEST

START_TEST(test_no_kernel)
{
	build();
	memset(img + VMCI_PA, 0, SYM_PAGE_SIZE);
	assert_refused("no VMCOREINFO");
}
END_TEST

/*
 * A kdump-style ELF: the image's memory mapped only at its direct-map
 * virtual address (p_paddr beside).  Image and vmalloc addresses miss
 * the segments and are read through translation and p_paddr; without
 * VMCOREINFO's phys_base the miss says why translation was refused.
 */
START_TEST(test_virtual_core_fallback)
{
	/* Two, as kdump splits RAM: p_paddr 0 alone is what a fixture has. */
	static const struct tu_seg segs[] = {
		{ PT_NOTE, 0, 0, 0, 0, 0 },
		{ PT_LOAD, 0xffff888000000000ULL, 0, IMG_SIZE / 2, IMG_SIZE / 2,
		    0x10000 },
		{ PT_LOAD, 0xffff888000000000ULL + IMG_SIZE / 2, IMG_SIZE / 2,
		    IMG_SIZE / 2, IMG_SIZE / 2, 0x10000 + IMG_SIZE / 2 },
	};
	struct tu_core spec = { .segs = segs, .nsegs = 3 };
	struct sym_opts o = { .memfile = tu_path("vmcore") };
	unsigned char buf[32];
	char err[SYM_ERRSIZE], vmci[SYM_PAGE_SIZE];
	sym_t *h;
	size_t i;

	build();
	memcpy(vmci, img + VMCI_PA, sizeof(vmci));
	spec.vmcoreinfo = vmci;
	tu_write_core(o.memfile, &spec, NULL);
	tu_patch(o.memfile, 0x10000, img, IMG_SIZE);
	ck_assert_msg((h = sym_open(&o, err)) != NULL, "%s", err);
	ck_assert_int_eq(sym_read(h, 0xffff888000000000ULL + UTS_PA, buf, 6), 0);
	ck_assert_str_eq((char *)buf, "Linux");
	ck_assert_msg(sym_read(h, VMALLOC_VA, buf, sizeof(buf)) == 0, "%s",
	    sym_geterr(h));
	for (i = 0; i < sizeof(buf); i++)
		ck_assert_uint_eq(buf[i], tu_pattern(VMALLOC_VA + i));
	sym_close(h);

	put_vmcoreinfo("NUMBER(phys_base)", "oops");
	memcpy(vmci, img + VMCI_PA, sizeof(vmci));
	tu_write_core(o.memfile, &spec, NULL);
	tu_patch(o.memfile, 0x10000, img, IMG_SIZE);
	ck_assert_msg((h = sym_open(&o, err)) != NULL, "%s", err);
	for (i = 0; i < 2; i++) {
		ck_assert_int_eq(sym_read(h, VMALLOC_VA, buf, 8), -1);
		tu_assert_contains(sym_geterr(h), "is not in the dump (and "
		    "through page tables: ");
		tu_assert_contains(sym_geterr(h), "phys_base) is not a number");
	}
	sym_close(h);
}
END_TEST

/* A physical ELF dump whose only segment is cut in the middle. */
START_TEST(test_elf_cut)
{
	static const struct tu_seg segs[] = {
		{ PT_NOTE, 0, 0, 0, 0, 0 },
		{ PT_LOAD, 0, 0, 0x10000, 0x10000, 0 },
	};
	struct tu_core spec = { .segs = segs, .nsegs = 2,
	    .vmcoreinfo = "OSRELEASE=" RELEASE "\nNUMBER(phys_base)=0\n" };
	struct sym_opts o = { .memfile = tu_path("dump") };
	char err[SYM_ERRSIZE];

	tu_write_core(o.memfile, &spec, NULL);
	tu_truncate(o.memfile, 0x8000);
	ck_assert_ptr_null(sym_open(&o, err));
	tu_assert_contains(err, "extends past the end of the file");
}
END_TEST

/*
 * The 8 KiB file: PT_LOADs claiming physical memory up to 16 TiB
 * and no VMCOREINFO.  The scan reads only the bytes the file holds (it
 * stepped through 2^32 pages before); the VMCOREINFO page in the last
 * segment is still found.
 */
START_TEST(test_scan_16tib)
{
	static const struct tu_seg segs[] = {
		{ PT_LOAD, 0, 0, 0x1000, 0x1000, 0x1000 },
		{ PT_LOAD, (16ULL << 40) - 0x1000, (16ULL << 40) - 0x1000,
		    0x1000, 0x1000, 0x2000 },
	};
	struct tu_core spec = { .segs = segs, .nsegs = 2 };
	struct sym_opts o = { .memfile = tu_path("dump") };
	char err[SYM_ERRSIZE];
	struct timespec t0, t1;

	tu_write_core(o.memfile, &spec, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ck_assert_ptr_null(sym_open(&o, err));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	tu_assert_contains(err, "no VMCOREINFO");
	ck_assert_int_lt(t1.tv_sec - t0.tv_sec, 2);
	/* The same with VMCOREINFO's page at 16 TiB - 4 KiB: found. */
	tu_patch(o.memfile, 0x2000, "OSRELEASE=" RELEASE "\n"
	    "NUMBER(phys_base)=0\nSYMBOL(init_uts_ns)=ffffffff81000000\n",
	    strlen("OSRELEASE=" RELEASE "\nNUMBER(phys_base)=0\n"
	    "SYMBOL(init_uts_ns)=ffffffff81000000\n"));
	ck_assert_ptr_null(sym_open(&o, err));
	tu_assert_contains(err, "physical address 0x1000000 is not in the dump");
}
END_TEST

Suite *
suite_phys(void)
{
	Suite *s = suite_create("phys");
	TCase *tc = tcase_create("raw");

	tcase_add_checked_fixture(tc, tu_setup, tu_teardown);
	tcase_add_test(tc, test_translate_pread);
	tcase_add_test(tc, test_translate_mmap);
	tcase_add_test(tc, test_absurd_vmcoreinfo);
	tcase_add_test(tc, test_uts_disagrees);
	tcase_add_test(tc, test_pgtable_loop);
	tcase_add_test(tc, test_no_kernel);
	tcase_add_test(tc, test_elf_cut);
	tcase_add_test(tc, test_virtual_core_fallback);
	tcase_add_test(tc, test_scan_16tib);
	suite_add_tcase(s, tc);
	return s;
}
