/*
 * kps's tty names against procps-ng 4.0.2's dev_to_tty (library/
 * devname.c) with ABBREV_DEV, as ps calls it: 0 is "?"; else the first
 * of /proc/tty/drivers (the name, then name/N, then the bare name unless
 * the line ends in %d), the task's /proc/PID/fd/2, the fixed majors of
 * guess_name, /proc/PID/fd/255, that is the device; "/dev/" is cut off
 * and every byte <= ' ' or > 126 printed as '?'.  The terminals are
 * real: a pty opened by the test, whose name the kernel gives (ptsname).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "devname.h"
#include "suites.h"

/* A pty's device number and its name without /dev/ ("pts/N"). */
static unsigned
open_pty(char *name, size_t len)
{
	struct stat st;
	int fd = posix_openpt(O_RDWR | O_NOCTTY);

	ck_assert_int_ne(fd, -1);
	ck_assert_int_eq(grantpt(fd), 0);
	ck_assert_int_eq(unlockpt(fd), 0);
	ck_assert_int_eq(strncmp(ptsname(fd), "/dev/", 5), 0);
	snprintf(name, len, "%s", ptsname(fd) + 5);
	ck_assert_int_eq(stat(ptsname(fd), &st), 0);
	return (unsigned)st.st_rdev;
}

/* A drivers file holding text (tests/unit runs each test in a fork). */
static const char *
drivers(const char *text)
{
	static char path[] = "/tmp/kps-drivers.XXXXXX";
	int fd = mkstemp(path);

	ck_assert_int_ne(fd, -1);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

START_TEST(test_no_tty)
{
	struct devname dn = { 0 };

	ck_assert_str_eq(devname_tty(&dn, 0, getpid(), 1), "?");
	devname_free(&dn);
}
END_TEST

/* A new pty's name as devname_tty gives it (got) and the kernel (want). */
static void
pty_named(const char *drivers_file, char got[64], char want[64])
{
	struct devname dn = { 0 };
	unsigned dev = open_pty(want, 64);

	dn.drivers_file = drivers_file;
	snprintf(got, 64, "%s", devname_tty(&dn, dev, getpid(), 0));
	devname_free(&dn);
}

/* The line the kernel's pty driver has in /proc/tty/drivers. */
START_TEST(test_driver_line)
{
	const char *file = drivers("pty_slave            /dev/pts      136 "
	    "0-1048575 pty:slave\n");
	char got[64], want[64];

	pty_named(file, got, want);
	unlink(file);
	ck_assert_str_eq(got, want);
}
END_TEST

/* No drivers: guess_name's 136..143 are /dev/pts/(minor + 256 * n). */
START_TEST(test_guess)
{
	struct devname dn = { .drivers_file = "/nonexistent/drivers" };
	char got[64], want[64];

	pty_named(dn.drivers_file, got, want);
	ck_assert_str_eq(got, want);
	/* a major no rule knows, offline: none */
	ck_assert_str_eq(devname_tty(&dn, makedev(1, 3), getpid(), 0), "?");
	devname_free(&dn);
}
END_TEST

/* Only a running kernel's /proc/PID/fd/2 can name it ("/dev/null"). */
START_TEST(test_stderr_link)
{
	struct devname dn = { 0 };
	int fd = open("/dev/null", O_WRONLY);

	ck_assert_int_ne(fd, -1);
	ck_assert_int_eq(dup2(fd, 2), 2);
	dn.drivers_file = "/nonexistent/drivers";
	ck_assert_str_eq(devname_tty(&dn, makedev(1, 3), getpid(), 1), "null");
	ck_assert_str_eq(devname_tty(&dn, makedev(1, 3), getpid(), 0), "?");
	devname_free(&dn);
}
END_TEST

/*
 * A driver whose name has odd bytes, found as name/N: the device is
 * "/dev/../tmp/k\1\351NNNN/N" (a link to the pty), printed
 * "../tmp/k??NNNN/N".
 */
START_TEST(test_odd_bytes)
{
	struct devname dn = { 0 };
	char pts[64], dir[32], link[64], line[128], want[64];
	unsigned dev = open_pty(pts, sizeof(pts));
	const char *got;

	snprintf(dir, sizeof(dir), "/tmp/k\001\351%04u",
	    (unsigned)getpid() % 10000);
	snprintf(link, sizeof(link), "%s/%u", dir, minor(dev));
	ck_assert_int_eq(mkdir(dir, 0700), 0);
	snprintf(line, sizeof(line), "/dev/pts/%u", minor(dev));
	ck_assert_int_eq(symlink(line, link), 0);
	snprintf(line, sizeof(line), "odd /dev/..%s %u 0-1048575 x\n", dir,
	    major(dev));
	dn.drivers_file = drivers(line);
	snprintf(want, sizeof(want), "../tmp/k??%04u/%u",
	    (unsigned)getpid() % 10000, minor(dev));
	got = devname_tty(&dn, dev, getpid(), 0);
	unlink(link);
	rmdir(dir);
	unlink(dn.drivers_file);
	ck_assert_str_eq(got, want);
	devname_free(&dn);
}
END_TEST

/* The first try, nameN: "/dev/../tmp/kqNNNNM" (M the pty's minor). */
START_TEST(test_name_then_minor)
{
	struct devname dn = { 0 };
	char pts[64], link[64], line[128];
	unsigned dev = open_pty(pts, sizeof(pts));
	const char *got;

	snprintf(link, sizeof(link), "/tmp/kq%04u%u",
	    (unsigned)getpid() % 10000, minor(dev));
	snprintf(line, sizeof(line), "/dev/pts/%u", minor(dev));
	ck_assert_int_eq(symlink(line, link), 0);
	snprintf(line, sizeof(line), "kq /dev/../tmp/kq%04u %u 0-1048575 x\n",
	    (unsigned)getpid() % 10000, major(dev));
	dn.drivers_file = drivers(line);
	/* printed without "/dev/" */
	snprintf(line, sizeof(line), "..%s", link);
	got = devname_tty(&dn, dev, getpid(), 0);
	unlink(link);
	unlink(dn.drivers_file);
	ck_assert_str_eq(got, line);
	devname_free(&dn);
}
END_TEST

Suite *
suite_devname(void)
{
	Suite *s = suite_create("devname");
	TCase *tc = tcase_create("dev_to_tty");

	tcase_add_test(tc, test_no_tty);
	tcase_add_test(tc, test_driver_line);
	tcase_add_test(tc, test_guess);
	tcase_add_test(tc, test_stderr_link);
	tcase_add_test(tc, test_odd_bytes);
	tcase_add_test(tc, test_name_then_minor);
	suite_add_tcase(s, tc);
	return s;
}
