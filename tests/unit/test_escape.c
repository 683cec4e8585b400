/*
 * kps's escaping against procps-ng 4.0.2: libproc2's escape_str
 * (library/escape.c: esc_all's table turns controls into '.' and bytes
 * from 0x80 into '?'; esc_ctl, in a UTF-8 locale, turns controls into '?'
 * and hands the rest of the string to esc_all at the first byte that
 * can't start a sequence or a sequence cut short), then ps's escape_str,
 * which fits the text to the screen cells left.  Where a value says
 * "host ps", it is what the host's ps (procps-ng 4.0.2) printed with
 * -o args= for a process with that argument, run as
 *   python3 -c 'subprocess.Popen([b"sh", b"-c", b"sleep 30", ARG])'.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <check.h>
#include <locale.h>
#include <string.h>

#include "escape.h"
#include "suites.h"

/* libproc2's stage: the copy, and its length. */
static const char *
lib(int utf8, const char *src, size_t bufsize)
{
	static char dst[256];

	ck_assert_int_eq(lib_escape(utf8, dst, src, bufsize), strlen(dst));
	return dst;
}

/* ps's stage: the text in cells screen cells, and those left over. */
static const char *
fit(int utf8, const char *src, int cells, int left)
{
	static char dst[256];

	ck_assert_int_eq(ps_escape(utf8, dst, src, sizeof(dst), &cells),
	    strlen(dst));
	ck_assert_int_eq(cells, left);
	return dst;
}

/* host ps, LC_ALL=C: "a\1\377\1b" -> "a.?.b"; tab and DEL are '.' too. */
START_TEST(test_lib_c_locale)
{
	ck_assert_str_eq(lib(0, "a\001\377\001b", 64), "a.?.b");
	ck_assert_str_eq(lib(0, "x\tcaf\303\251\177", 64), "x.caf??.");
}
END_TEST

/*
 * host ps, LC_ALL=C.UTF-8: "a\1\377\1b" -> "a??.b": the control before
 * the bad byte is esc_ctl's '?', the one after it esc_all's '.'.
 */
START_TEST(test_lib_utf8)
{
	ck_assert_str_eq(lib(1, "a\001\377\001b", 64), "a??.b");
	/* host ps: "x\tcafé 日本\177" -> "x?café 日本?" */
	ck_assert_str_eq(lib(1, "x\tcaf\303\251 \346\227\245\346\234\254\177",
	    64), "x?caf\303\251 \346\227\245\346\234\254?");
	/* host ps: "ab\303" (a sequence cut short) -> "ab?" */
	ck_assert_str_eq(lib(1, "ab\303", 64), "ab?");
}
END_TEST

/* escape_str copies with snprintf: bufsize - 1 bytes at most. */
START_TEST(test_lib_bounded)
{
	ck_assert_str_eq(lib(0, "abcdef", 4), "abc");
	ck_assert_str_eq(lib(1, "abcdef", 7), "abcdef");
}
END_TEST

/*
 * host ps --cols N -o args= for "日本語", LC_ALL=C.UTF-8: 18 and 17
 * cells give "sh -c sleep 30 日", 16 gives "sh -c sleep 30 ": a wide
 * character that doesn't fit is left out whole.
 */
START_TEST(test_ps_wide)
{
	const char *s = "sh -c sleep 30 \346\227\245\346\234\254\350\252\236";

	ck_assert_ptr_nonnull(setlocale(LC_CTYPE, "C.UTF-8"));
	ck_assert_str_eq(fit(1, s, 18, 1), "sh -c sleep 30 \346\227\245");
	ck_assert_str_eq(fit(1, s, 17, 0), "sh -c sleep 30 \346\227\245");
	ck_assert_str_eq(fit(1, s, 16, 1), "sh -c sleep 30 ");
	/* ps's own stage: an invalid byte is one '?' a byte */
	ck_assert_str_eq(fit(1, "a\377b", 10, 7), "a?b");
}
END_TEST

/* host ps --cols 18, LC_ALL=C: "sh -c sleep 30 ???" (one '?' a byte). */
START_TEST(test_ps_c_locale)
{
	ck_assert_str_eq(fit(0, "sh -c sleep 30 ?????????", 18, 0),
	    "sh -c sleep 30 ???");
	ck_assert_str_eq(fit(0, "a\001\377", 10, 7), "a.?");
	ck_assert_str_eq(fit(0, "abc", 0, 0), "");
}
END_TEST

Suite *
suite_escape(void)
{
	Suite *s = suite_create("escape");
	TCase *tc = tcase_create("procps");

	tcase_add_test(tc, test_lib_c_locale);
	tcase_add_test(tc, test_lib_utf8);
	tcase_add_test(tc, test_lib_bounded);
	tcase_add_test(tc, test_ps_wide);
	tcase_add_test(tc, test_ps_c_locale);
	suite_add_tcase(s, tc);
	return s;
}
