/*
 * The /proc readers against /proc itself and against glibc, on this
 * machine.  The load average moves every 5 s: a mismatch is retried once.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sym_private.h"
#include "suites.h"

START_TEST(test_proc_loadavg)
{
	struct sym_loadavg la;
	char err[SYM_ERRSIZE], ours[128], text[128];
	FILE *fp;
	int try, same = 0;

	for (try = 0; try < 2 && !same; try++) {
		ck_assert_int_eq(sym_proc_loadavg(&la, err), 0);
		ck_assert_ptr_nonnull(fp = fopen("/proc/loadavg", "r"));
		ck_assert_ptr_nonnull(fgets(text, sizeof(text), fp));
		fclose(fp);
		text[strcspn(text, "\n")] = '\0';
		ck_assert_int_eq(sym_loadavg_line(&la, ours, sizeof(ours)), 0);
		/* the last pid and thread count can move: compare averages */
		same = strncmp(ours, text, 14) == 0;
	}
	ck_assert_msg(same, "ours \"%s\", /proc \"%s\"", ours, text);
}
END_TEST

START_TEST(test_getloadavg_matches_glibc)
{
	double ours[3], libc[3];
	int try, i, same = 0;

	for (try = 0; try < 2 && !same; try++) {
		ck_assert_int_eq(sym_getloadavg(ours, 3), 3);
		ck_assert_int_eq(getloadavg(libc, 3), 3);
		for (same = 1, i = 0; i < 3; i++)
			same &= ours[i] == libc[i];
	}
	ck_assert_msg(same, "%.2f %.2f %.2f vs glibc %.2f %.2f %.2f", ours[0],
	    ours[1], ours[2], libc[0], libc[1], libc[2]);
	ck_assert_int_eq(sym_getloadavg(ours, 1), 1);
	ck_assert_int_eq(sym_getloadavg(ours, 5), 3);
	ck_assert_int_eq(sym_getloadavg(ours, -1), -1);
}
END_TEST

START_TEST(test_proc_uptime)
{
	struct sym_uptime up;
	char err[SYM_ERRSIZE];
	double first, idle;
	FILE *fp;

	ck_assert_ptr_nonnull(fp = fopen("/proc/uptime", "r"));
	ck_assert_int_eq(fscanf(fp, "%lf %lf", &first, &idle), 2);
	fclose(fp);
	ck_assert_int_eq(sym_proc_uptime(&up, err), 0);
	ck_assert(up.uptime >= first && up.uptime < first + 5);
	ck_assert(up.live);
}
END_TEST

Suite *
suite_compat(void)
{
	Suite *s = suite_create("compat");
	TCase *tc = tcase_create("proc");

	tcase_add_test(tc, test_proc_loadavg);
	tcase_add_test(tc, test_getloadavg_matches_glibc);
	tcase_add_test(tc, test_proc_uptime);
	suite_add_tcase(s, tc);
	return s;
}
