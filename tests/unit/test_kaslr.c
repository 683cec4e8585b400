/*
 * KASLR on a real kernel: the committed fixtures were captured from a
 * Debian 6.1 guest booted with a random slide.  Its System.map holds the
 * unslid addresses and its VMCOREINFO note the KERNELOFFSET; the addresses
 * libsym reads through must be map + offset for the image, and unchanged
 * for per-CPU offsets.  Expected values are read from those two files by
 * the test itself.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sym_private.h"
#include "suites.h"

static char fx[4096];

static const char *
fixture(const char *file)
{
	const char *top = getenv("top_srcdir");

	snprintf(fx, sizeof(fx), "%s/fixtures/load/%s", top ? top : ".",
	    file);
	return fx;
}

/* The address a System.map line gives for name. */
static unsigned long long
map_addr(const char *name)
{
	char line[256], n[128], t;
	unsigned long long a = 0, v;
	FILE *fp;

	ck_assert_ptr_nonnull(fp = fopen(fixture("System.map"), "r"));
	while (fgets(line, sizeof(line), fp) != NULL)
		if (sscanf(line, "%llx %c %127s", &v, &t, n) == 3 &&
		    strcmp(n, name) == 0)
			a = v;
	fclose(fp);
	ck_assert_msg(a != 0 || strcmp(name, "runqueues") != 0, "%s", name);
	return a;
}

/* KERNELOFFSET= in the dump, found by scanning its bytes. */
static unsigned long long
kerneloffset(void)
{
	static char buf[1 << 20];
	unsigned long long off;
	char *p;
	size_t n;
	FILE *fp;

	ck_assert_ptr_nonnull(fp = fopen(fixture("vmcore"), "r"));
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	fclose(fp);
	buf[n] = '\0';
	p = memmem(buf, n, "KERNELOFFSET=", 13);
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(sscanf(p + 13, "%llx", &off), 1);
	return off;
}

static sym_t *
open_fixture(void)
{
	static char core[4096], map[4096];
	struct sym_opts o = { .memfile = core, .namelist = map };
	char err[SYM_ERRSIZE];
	sym_t *h;

	snprintf(core, sizeof(core), "%s", fixture("vmcore"));
	snprintf(map, sizeof(map), "%s", fixture("System.map"));
	h = sym_open(&o, err);
	ck_assert_msg(h != NULL, "%s", err);
	return h;
}

START_TEST(test_image_symbols_slide)
{
	struct sym_info si;
	unsigned long long off = kerneloffset();
	sym_t *h = open_fixture();

	ck_assert(off != 0);		/* the guest had KASLR on */
	ck_assert_int_eq(sym_lookup(h, "avenrun", &si), 0);
	ck_assert_uint_eq(si.nladdr, map_addr("avenrun"));
	ck_assert_uint_eq(si.addr, map_addr("avenrun") + off);
	ck_assert_uint_eq((uint64_t)sym_kaslr_slide(h), off);
	sym_close(h);
}
END_TEST

START_TEST(test_percpu_symbols_do_not_slide)
{
	struct sym_info si;
	sym_t *h = open_fixture();

	ck_assert_int_eq(sym_lookup(h, "runqueues", &si), 0);
	ck_assert_uint_eq(si.addr, map_addr("runqueues"));
	ck_assert(si.addr < SYM_START_KERNEL_MAP);
	sym_close(h);
}
END_TEST

START_TEST(test_addr2sym_undoes_the_slide)
{
	struct sym_info si;
	uint64_t off;
	unsigned long long slide = kerneloffset();
	sym_t *h = open_fixture();

	ck_assert_int_eq(sym_addr2sym(h, map_addr("avenrun") + slide + 8, &si,
	    &off), 0);
	ck_assert_str_eq(si.name, "avenrun");
	ck_assert_uint_eq(off, 8);
	sym_close(h);
}
END_TEST

/* Without the slide, linux_banner reads garbage: the namelist is refused. */
START_TEST(test_wrong_slide_refused)
{
	char path[4096], err[SYM_ERRSIZE], map[4096];
	struct sym_opts o = { 0 };
	struct sym_info si;
	unsigned long long off = kerneloffset();
	FILE *in, *out;
	char line[256];
	unsigned long long a;
	char t, n[128];
	sym_t *h;

	snprintf(map, sizeof(map), "%s", fixture("System.map"));
	snprintf(path, sizeof(path), "/tmp/kaslr-%d.map", (int)getpid());
	ck_assert_ptr_nonnull(in = fopen(map, "r"));
	ck_assert_ptr_nonnull(out = fopen(path, "w"));
	/* a map from a boot with the slide already applied: wrong for the
	 * dump, whose KERNELOFFSET would be added a second time */
	while (fgets(line, sizeof(line), in) != NULL)
		if (sscanf(line, "%llx %c %127s", &a, &t, n) == 3)
			fprintf(out, "%016llx %c %s\n", a >= SYM_START_KERNEL_MAP ?
			    a + off : a, t, n);
	fclose(in);
	fclose(out);
	o.memfile = strcpy(map, fixture("vmcore"));
	o.namelist = path;
	ck_assert_ptr_nonnull(h = sym_open(&o, err));
	ck_assert_int_eq(sym_lookup(h, "avenrun", &si), -1);
	ck_assert_ptr_nonnull(strstr(sym_geterr(h), "does not match"));
	sym_close(h);
	unlink(path);
}
END_TEST

Suite *
suite_kaslr(void)
{
	Suite *s = suite_create("kaslr");
	TCase *tc = tcase_create("fixture");

	tcase_add_test(tc, test_image_symbols_slide);
	tcase_add_test(tc, test_percpu_symbols_do_not_slide);
	tcase_add_test(tc, test_addr2sym_undoes_the_slide);
	tcase_add_test(tc, test_wrong_slide_refused);
	suite_add_tcase(s, tc);
	return s;
}
