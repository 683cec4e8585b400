#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "suites.h"
#include "util.h"

/* As a 6.1 x86-64 kernel writes it (kernel/crash_core.c). */
static const char vmci[] =
    "OSRELEASE=6.1.0-18-cloud-amd64\n"
    "BUILD-ID=4f8a1d1c1c8a7a3c9a33a5a1e1f0d6e2c8d3b0a1\n"
    "PAGESIZE=4096\n"
    "SYMBOL(init_uts_ns)=ffffffff82a13400\n"
    "SYMBOL(a)=10\n"
    "SYMBOL(ab)=20\n"
    "OFFSET(list_head.next)=0\n"
    "OFFSET(list_head.prev)=8\n"
    "SIZE(list_head)=16\n"
    "LENGTH(zone.free_area)=11\n"
    "NUMBER(phys_base)=-1046478848\n"
    "NUMBER(pgtable_l5_enabled)=0\n"
    "KERNELOFFSET=2c000000\n"
    "CRASHTIME=1700000000";		/* no newline at the end */

/*
 * An exact-size copy without NUL or final newline, so that reading past
 * len is an AddressSanitizer error rather than luck.
 */
static char *
copy(const char *text, size_t len)
{
	char *p = malloc(len ? len : 1);

	ck_assert_ptr_nonnull(p);
	memcpy(p, text, len);
	return p;
}

START_TEST(test_get)
{
	size_t len = strlen(vmci);
	char *t = copy(vmci, len), buf[64];

	ck_assert_int_eq(_vmci_get(t, len, "OSRELEASE", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "6.1.0-18-cloud-amd64");
	ck_assert_int_eq(_vmci_get(t, len, "BUILD-ID", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "4f8a1d1c1c8a7a3c9a33a5a1e1f0d6e2c8d3b0a1");
	ck_assert_int_eq(_vmci_get(t, len, "CRASHTIME", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "1700000000");
	/* exactly fits, one byte short */
	ck_assert_int_eq(_vmci_get(t, len, "PAGESIZE", buf, 5), 0);
	ck_assert_str_eq(buf, "4096");
	errno = 0;
	ck_assert_int_eq(_vmci_get(t, len, "PAGESIZE", buf, 4), -1);
	ck_assert_int_eq(errno, ERANGE);
	free(t);
}
END_TEST

START_TEST(test_numbers)
{
	size_t len = strlen(vmci);
	char *t = copy(vmci, len);
	uint64_t u;
	int64_t s;

	ck_assert_int_eq(_vmci_u64(t, len, "KERNELOFFSET", 16, &u), 0);
	ck_assert_uint_eq(u, 0x2c000000);
	ck_assert_int_eq(_vmci_u64(t, len, "SYMBOL(init_uts_ns)", 16, &u), 0);
	ck_assert_uint_eq(u, 0xffffffff82a13400ULL);
	ck_assert_int_eq(_vmci_u64(t, len, "PAGESIZE", 10, &u), 0);
	ck_assert_uint_eq(u, 4096);
	ck_assert_int_eq(_vmci_u64(t, len, "OFFSET(list_head.prev)", 10, &u),
	    0);
	ck_assert_uint_eq(u, 8);
	ck_assert_int_eq(_vmci_u64(t, len, "SIZE(list_head)", 10, &u), 0);
	ck_assert_uint_eq(u, 16);
	ck_assert_int_eq(_vmci_u64(t, len, "LENGTH(zone.free_area)", 10, &u),
	    0);
	ck_assert_uint_eq(u, 11);
	/* the last line, which has no newline */
	ck_assert_int_eq(_vmci_u64(t, len, "CRASHTIME", 10, &u), 0);
	ck_assert_uint_eq(u, 1700000000);
	ck_assert_int_eq(_vmci_s64(t, len, "NUMBER(phys_base)", &s), 0);
	ck_assert_int_eq(s, -1046478848);
	ck_assert_int_eq(_vmci_s64(t, len, "NUMBER(pgtable_l5_enabled)", &s),
	    0);
	ck_assert_int_eq(s, 0);
	/* a negative number is not an unsigned one */
	errno = 0;
	ck_assert_int_eq(_vmci_u64(t, len, "NUMBER(phys_base)", 10, &u), -1);
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_int_eq(_vmci_u64(t, len, "PAGESIZE", 8, &u), -1);
	ck_assert_int_eq(errno, EINVAL);
	free(t);
}
END_TEST

START_TEST(test_exact_key)
{
	size_t len = strlen(vmci);
	char *t = copy(vmci, len), buf[32];
	uint64_t u;

	ck_assert_int_eq(_vmci_u64(t, len, "SYMBOL(a)", 16, &u), 0);
	ck_assert_uint_eq(u, 0x10);
	ck_assert_int_eq(_vmci_u64(t, len, "SYMBOL(ab)", 16, &u), 0);
	ck_assert_uint_eq(u, 0x20);
	/* prefixes, suffixes and the middle of a line are no match */
	errno = 0;
	ck_assert_int_eq(_vmci_u64(t, len, "SYMBOL(", 16, &u), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_int_eq(_vmci_get(t, len, "SYMBOL(a", buf, sizeof(buf)), -1);
	ck_assert_int_eq(_vmci_get(t, len, "RELEASE", buf, sizeof(buf)), -1);
	ck_assert_int_eq(_vmci_get(t, len, "OSRELEASE=6", buf, sizeof(buf)),
	    -1);
	ck_assert_int_eq(_vmci_get(t, len, "list_head.next)", buf,
	    sizeof(buf)), -1);
	errno = 0;
	ck_assert_int_eq(_vmci_get(t, len, "", buf, sizeof(buf)), -1);
	ck_assert_int_eq(errno, EINVAL);
	free(t);
}
END_TEST

START_TEST(test_missing)
{
	size_t len = strlen(vmci);
	char *t = copy(vmci, len), buf[32];
	uint64_t u;
	int64_t s;

	errno = 0;
	ck_assert_int_eq(_vmci_u64(t, len, "SYMBOL(swapper_pg_dir)", 16, &u),
	    -1);
	ck_assert_int_eq(errno, ENOENT);
	errno = 0;
	ck_assert_int_eq(_vmci_s64(t, len, "NUMBER(KERNEL_IMAGE_SIZE)", &s),
	    -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_int_eq(_vmci_get(t, 0, "OSRELEASE", buf, sizeof(buf)), -1);
	ck_assert_int_eq(_vmci_get(NULL, 0, "OSRELEASE", buf, sizeof(buf)),
	    -1);
	free(t);
}
END_TEST

/* len bounds the text: nothing past it is seen, even a whole line. */
START_TEST(test_bounded)
{
	const char text[] = "PAGESIZE=4096\nKERNELOFFSET=1000\n";
	char *t = copy(text, sizeof(text) - 1), buf[32];
	uint64_t u;

	ck_assert_int_eq(_vmci_u64(t, strlen("PAGESIZE=40"), "PAGESIZE", 10,
	    &u), 0);
	ck_assert_uint_eq(u, 40);
	ck_assert_int_eq(_vmci_get(t, strlen("PAGESIZE="), "PAGESIZE", buf,
	    sizeof(buf)), 0);
	ck_assert_str_eq(buf, "");
	ck_assert_int_eq(_vmci_get(t, strlen("PAGESIZE"), "PAGESIZE", buf,
	    sizeof(buf)), -1);
	ck_assert_int_eq(_vmci_u64(t, 14 + 12, "KERNELOFFSET", 16, &u), -1);
	ck_assert_int_eq(_vmci_u64(t, sizeof(text) - 1, "KERNELOFFSET", 16,
	    &u), 0);
	ck_assert_uint_eq(u, 0x1000);
	free(t);
}
END_TEST

/* The note may be NUL-padded: the text ends at the first NUL. */
START_TEST(test_nul)
{
	const char text[] = "PAGESIZE=4096\0\nKERNELOFFSET=1000\n";
	uint64_t u;

	ck_assert_int_eq(_vmci_u64(text, sizeof(text) - 1, "PAGESIZE", 10,
	    &u), 0);
	ck_assert_uint_eq(u, 4096);
	errno = 0;
	ck_assert_int_eq(_vmci_u64(text, sizeof(text) - 1, "KERNELOFFSET",
	    16, &u), -1);
	ck_assert_int_eq(errno, ENOENT);
}
END_TEST

static int
u64_of(const char *line, int base, uint64_t *u)
{
	size_t len = strlen(line);
	char *t = copy(line, len);
	int r;

	r = _vmci_u64(t, len, "K", base, u);
	free(t);
	return r;
}

static int
s64_of(const char *line, int64_t *s)
{
	size_t len = strlen(line);
	char *t = copy(line, len);
	int r;

	r = _vmci_s64(t, len, "K", s);
	free(t);
	return r;
}

START_TEST(test_overflow)
{
	uint64_t u;
	int64_t s;

	ck_assert_int_eq(u64_of("K=ffffffffffffffff", 16, &u), 0);
	ck_assert_uint_eq(u, UINT64_MAX);
	errno = 0;
	ck_assert_int_eq(u64_of("K=10000000000000000", 16, &u), -1);
	ck_assert_int_eq(errno, ERANGE);
	ck_assert_int_eq(u64_of("K=18446744073709551615", 10, &u), 0);
	ck_assert_uint_eq(u, UINT64_MAX);
	errno = 0;
	ck_assert_int_eq(u64_of("K=18446744073709551616", 10, &u), -1);
	ck_assert_int_eq(errno, ERANGE);
	ck_assert_int_eq(u64_of("K=99999999999999999999", 10, &u), -1);

	ck_assert_int_eq(s64_of("K=9223372036854775807", &s), 0);
	ck_assert_int_eq(s, INT64_MAX);
	ck_assert_int_eq(s64_of("K=-9223372036854775808", &s), 0);
	ck_assert_int_eq(s, INT64_MIN);
	errno = 0;
	ck_assert_int_eq(s64_of("K=9223372036854775808", &s), -1);
	ck_assert_int_eq(errno, ERANGE);
	errno = 0;
	ck_assert_int_eq(s64_of("K=-9223372036854775809", &s), -1);
	ck_assert_int_eq(errno, ERANGE);
}
END_TEST

START_TEST(test_garbage)
{
	static const char *const bad[] = {
		"K=", "K=4096 ", "K= 4096", "K=4096x", "K=+1", "K=-1",
		"K=0x", "K=12\r", "K=1 2",
	};
	uint64_t u;
	int64_t s;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		errno = 0;
		ck_assert_msg(u64_of(bad[i], 10, &u) == -1 && errno == EINVAL,
		    "\"%s\" accepted (base 10)", bad[i]);
		ck_assert_msg(u64_of(bad[i], 16, &u) == -1,
		    "\"%s\" accepted (base 16)", bad[i]);
	}
	ck_assert_int_eq(u64_of("K=0x1f", 16, &u), 0);
	ck_assert_uint_eq(u, 0x1f);
	ck_assert_int_eq(u64_of("K=0x1f", 10, &u), -1);
	ck_assert_int_eq(u64_of("K=1g", 16, &u), -1);
	ck_assert_int_eq(s64_of("K=-", &s), -1);
	ck_assert_int_eq(s64_of("K=--1", &s), -1);
	ck_assert_int_eq(s64_of("K=-1x", &s), -1);
	ck_assert_int_eq(s64_of("K=ff", &s), -1);
	ck_assert_int_eq(s64_of("K=-0", &s), 0);
	ck_assert_int_eq(s, 0);
}
END_TEST

Suite *
suite_vmcoreinfo(void)
{
	Suite *s = suite_create("vmcoreinfo");
	TCase *tc = tcase_create("vmcoreinfo");

	tcase_add_test(tc, test_get);
	tcase_add_test(tc, test_numbers);
	tcase_add_test(tc, test_exact_key);
	tcase_add_test(tc, test_missing);
	tcase_add_test(tc, test_bounded);
	tcase_add_test(tc, test_nul);
	tcase_add_test(tc, test_overflow);
	tcase_add_test(tc, test_garbage);
	suite_add_tcase(s, tc);
	return s;
}
