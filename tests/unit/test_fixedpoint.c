/*
 * avenrun's fixed point, against fs/proc/loadavg.c: LOAD_INT and LOAD_FRAC
 * after adding FIXED_1/200.  Expected values are worked from the kernel's
 * macros by hand (FSHIFT 11, FIXED_1 2048).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <check.h>
#include <string.h>

#include "sym_private.h"
#include "suites.h"

START_TEST(test_whole_numbers)
{
	ck_assert_uint_eq(sym_avenrun_centi(0), 0);
	ck_assert_uint_eq(sym_avenrun_centi(2048), 100);
	ck_assert_uint_eq(sym_avenrun_centi(2048 * 7), 700);
}
END_TEST

/* 20/2048 = 0.0098: truncation would say 0.00, /proc says 0.01. */
START_TEST(test_rounds_like_proc)
{
	ck_assert_uint_eq(sym_avenrun_centi(20), 1);
	/* (10 + 10) * 100 >> 11 = 0 */
	ck_assert_uint_eq(sym_avenrun_centi(10), 0);
	/* 1023: (1023 + 10) * 100 >> 11 = 50 */
	ck_assert_uint_eq(sym_avenrun_centi(1023), 50);
	/* 2047: 2057 -> int 1, frac (9 * 100) >> 11 = 0 -> 1.00 */
	ck_assert_uint_eq(sym_avenrun_centi(2047), 100);
}
END_TEST

START_TEST(test_largest)
{
	/* ULONG_MAX - 9 does not wrap when 10 is added */
	unsigned long x = ~0UL - 10;

	ck_assert_uint_eq(sym_avenrun_centi(x) % 100, 99);
}
END_TEST

START_TEST(test_line)
{
	struct sym_loadavg la = { .centi = { 5, 112, 1500 }, .running = 3,
	    .threads = 81, .lastpid = 4386,
	    .have = SYM_LA_RUNNING | SYM_LA_THREADS | SYM_LA_LASTPID };
	char buf[128];

	ck_assert_int_eq(sym_loadavg_line(&la, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "0.05 1.12 15.00 3/81 4386");
	la.have = 0;
	ck_assert_int_eq(sym_loadavg_line(&la, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "0.05 1.12 15.00 ?/? ?");
	ck_assert_int_eq(sym_loadavg_line(&la, buf, 8), -1);
}
END_TEST

Suite *
suite_fixedpoint(void)
{
	Suite *s = suite_create("fixedpoint");
	TCase *tc = tcase_create("avenrun");

	tcase_add_test(tc, test_whole_numbers);
	tcase_add_test(tc, test_rounds_like_proc);
	tcase_add_test(tc, test_largest);
	tcase_add_test(tc, test_line);
	suite_add_tcase(s, tc);
	return s;
}
