/*
 * Hostile tests for the /dev/kmem teaching module (kmod/kmem), run as
 * root in the QEMU guest with the module loaded.  Prints "ok NAME" or
 * "not ok NAME: reason" per check (lib-guest.sh's format), "# " lines as
 * diagnostics, and exits 1 if any check failed.
 *
 *   kmem-hostile [DEVICE]          (default /dev/kmem)
 *
 * Built statically on the host: cc -O2 -static -o kmem-hostile kmem-hostile.c
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_READ	(1UL << 20)	/* KMEM_MAX_READ in kmem.c */

static const char *dev = "/dev/kmem";
static int failed;

static void ok(const char *n) { printf("ok %s\n", n); fflush(stdout); }

static void
notok(const char *n, const char *fmt, ...)
{
	va_list ap;

	printf("not ok %s: ", n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	failed++;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The address of a symbol from /proc/kallsyms (root sees real values). */
static uint64_t
ksym(const char *name)
{
	char line[512], sym[256], t;
	unsigned long long a;
	FILE *f = fopen("/proc/kallsyms", "r");
	uint64_t r = 0;

	if (f == NULL)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%llx %c %255s", &a, &t, sym) == 3 &&
		    strcmp(sym, name) == 0) {
			r = a;
			break;
		}
	fclose(f);
	return r;
}

static uint64_t
hexfile(const char *path)
{
	unsigned long long a = 0;
	FILE *f = fopen(path, "r");

	if (f == NULL)
		return 0;
	if (fscanf(f, "%llx", &a) != 1)
		a = 0;
	fclose(f);
	return a;
}

/* lseek to a kernel address: negative as off_t, success unless -1+errno. */
static int
kseek(int fd, uint64_t addr)
{
	off_t r;

	errno = 0;
	r = lseek(fd, (off_t)addr, SEEK_SET);
	if (r == (off_t)-1 && errno != 0)
		return -1;
	if ((uint64_t)r != addr) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

/* read at addr: bytes or -errno. */
static ssize_t
kread(int fd, uint64_t addr, void *buf, size_t n)
{
	ssize_t r;

	if (kseek(fd, addr) == -1)
		return -errno;
	r = read(fd, buf, n);
	return r == -1 ? -errno : r;
}

static void
t_device(void)
{
	struct stat st;

	if (stat(dev, &st) == -1)
		notok("kmem-node", "%s: %s", dev, strerror(errno));
	else if (!S_ISCHR(st.st_mode) || (st.st_mode & 07777) != 0400 ||
	    st.st_uid != 0)
		notok("kmem-node", "mode %o uid %u, want char 0400 root",
		    (unsigned)st.st_mode, (unsigned)st.st_uid);
	else
		ok("kmem-node-char-0400-root");
}

/* Reading linux_banner gives what /proc/version starts with. */
static void
t_banner(int fd)
{
	uint64_t a = ksym("linux_banner");
	char buf[128], want[128];
	struct utsname u;
	ssize_t n;

	uname(&u);
	snprintf(want, sizeof(want), "Linux version %s ", u.release);
	if (a == 0) {
		notok("kmem-read-banner", "no linux_banner in /proc/kallsyms");
		return;
	}
	n = kread(fd, a, buf, strlen(want));
	if (n != (ssize_t)strlen(want) || memcmp(buf, want, n) != 0)
		notok("kmem-read-banner", "read %zd at 0x%llx: '%.*s'", n,
		    (unsigned long long)a, n > 0 ? (int)n : 0, buf);
	else
		ok("kmem-read-banner");

	/* lseek returns the address itself, negative, with errno 0. */
	errno = 0;
	off_t r = lseek(fd, (off_t)a, SEEK_SET);
	if ((uint64_t)r == a && errno == 0 && r < 0)
		ok("kmem-lseek-returns-negative-offset");
	else
		notok("kmem-lseek-returns-negative-offset", "got %lld errno %d",
		    (long long)r, errno);
	/* SEEK_CUR adds; SEEK_END is refused (memory_lseek). */
	errno = 0;
	r = lseek(fd, 16, SEEK_CUR);
	if ((uint64_t)r == a + 16 && errno == 0)
		ok("kmem-lseek-cur");
	else
		notok("kmem-lseek-cur", "got %llx errno %d",
		    (unsigned long long)r, errno);
	errno = 0;
	r = lseek(fd, 0, SEEK_END);
	if (r == -1 && errno == EINVAL)
		ok("kmem-lseek-end-einval");
	else
		notok("kmem-lseek-end-einval", "got %lld errno %d", (long long)r,
		    errno);
	/* pread refuses negative offsets in the VFS, before the driver. */
	if (pread(fd, buf, 8, (off_t)a) == -1 && errno == EINVAL)
		ok("kmem-pread-negative-einval");
	else
		notok("kmem-pread-negative-einval", "errno %d", errno);
}

/*
 * From a mapped module page walk forward to the first unmapped page (the
 * vmalloc guard page after a module), then read across the boundary:
 * the driver returns the mapped part (a short read), and a read starting
 * on the unmapped page gives ENXIO.
 */
static void
t_cross(int fd)
{
	uint64_t a = hexfile("/sys/module/kmem/sections/.text"), p;
	char buf[64];
	ssize_t n;
	int i;

	if (a == 0) {
		notok("kmem-cross-unmapped", "no /sys/module/kmem/sections/.text");
		return;
	}
	p = a & ~4095ULL;
	for (i = 0; i < 4096; i++, p += 4096) {
		n = kread(fd, p, buf, 1);
		if (n == -ENXIO)
			break;
		if (n != 1) {
			notok("kmem-cross-unmapped", "read at 0x%llx: %zd",
			    (unsigned long long)p, n);
			return;
		}
	}
	if (i == 4096) {
		notok("kmem-cross-unmapped", "no unmapped page after 0x%llx",
		    (unsigned long long)a);
		return;
	}
	printf("# first unmapped page after kmem .text 0x%llx: 0x%llx\n",
	    (unsigned long long)a, (unsigned long long)p);
	n = kread(fd, p - 16, buf, 32);
	if (n == 16)
		ok("kmem-cross-unmapped-short-read");
	else
		notok("kmem-cross-unmapped-short-read", "read of 32 at 16 "
		    "before the hole: %zd, want 16", n);
	/* The file position moved by the 16 bytes read: the next read is
	 * at the hole. */
	n = read(fd, buf, 16);
	if (n == -1 && errno == ENXIO)
		ok("kmem-read-at-hole-enxio");
	else
		notok("kmem-read-at-hole-enxio", "got %zd errno %d", n, errno);
	/* A user-space address, and a non-canonical one: ENXIO too. */
	n = kread(fd, 0x400000, buf, 8);
	if (n == -ENXIO)
		ok("kmem-user-address-enxio");
	else
		notok("kmem-user-address-enxio", "got %zd", n);
	n = kread(fd, 0x8000000000000000ULL, buf, 8);
	if (n == -ENXIO)
		ok("kmem-noncanonical-enxio");
	else
		notok("kmem-noncanonical-enxio", "got %zd", n);
}

static void
t_overflow(int fd)
{
	char buf[8192];
	off_t r;
	ssize_t n;

	/* The last page: seekable, unmapped; a count past the end wraps. */
	n = kread(fd, 0xfffffffffffff000ULL, buf, sizeof(buf));
	if (n == -EOVERFLOW)
		ok("kmem-last-page-wrap-eoverflow");
	else
		notok("kmem-last-page-wrap-eoverflow", "got %zd", n);
	n = kread(fd, 0xfffffffffffff000ULL, buf, 16);
	if (n == -ENXIO)
		ok("kmem-last-page-enxio");
	else
		notok("kmem-last-page-enxio", "got %zd", n);
	/* memory_lseek refuses the last 4095 bytes: -9 would read as EBADF. */
	errno = 0;
	r = lseek(fd, (off_t)-9, SEEK_SET);
	if (r == -1 && errno == EOVERFLOW)
		ok("kmem-lseek-errno-range-eoverflow");
	else
		notok("kmem-lseek-errno-range-eoverflow", "got %lld errno %d",
		    (long long)r, errno);
}

/* A count of 1 TiB: capped to MAX_READ per call, returned quickly. */
static void
t_huge(int fd)
{
	uint64_t base = ksym("page_offset_base"), dm = 0;
	size_t bufsz = 2 * MAX_READ;
	/* Low in the address space, so that access_ok(buf, 1 TiB) in the VFS
	 * passes and the count reaches the driver. */
	char *buf = mmap((void *)0x10000000, bufsz, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	double t0;
	ssize_t n;

	if (buf == MAP_FAILED) {
		notok("kmem-huge-count-capped", "mmap: %s", strerror(errno));
		return;
	}
	if (base == 0 || kread(fd, base, &dm, 8) != 8) {
		notok("kmem-huge-count-capped", "can't read page_offset_base");
		return;
	}
	/* 16 MiB into the direct map: RAM in any guest this size. */
	t0 = now();
	n = kread(fd, dm + (16 << 20), buf, (size_t)1 << 40);
	if (n > 0 && (size_t)n <= MAX_READ && now() - t0 < 10)
		ok("kmem-huge-count-capped");
	else
		notok("kmem-huge-count-capped", "got %zd in %.1f s", n,
		    now() - t0);
	printf("# read(1 TiB) at direct map +16 MiB returned %zd in %.3f s\n",
	    n, now() - t0);
	/* A bad user buffer: EFAULT. */
	n = kread(fd, dm + (16 << 20), (void *)8, 16);
	if (n == -EFAULT)
		ok("kmem-bad-buffer-efault");
	else
		notok("kmem-bad-buffer-efault", "got %zd", n);
	munmap(buf, bufsz);
}

static volatile sig_atomic_t alarms;
static void onalrm(int s) { (void)s; alarms++; }

/*
 * Signals during long reads: a 1 ms interval timer without SA_RESTART;
 * the driver stops between pages and returns what it has (a short read)
 * or EINTR.  Then SIGKILL to a child reading in a loop: it must be gone
 * promptly.
 */
static void
t_signal(int fd)
{
	uint64_t base = ksym("page_offset_base"), dm = 0;
	struct itimerval it = { { 0, 1000 }, { 0, 1000 } };
	struct sigaction sa;
	char *buf = malloc(MAX_READ);
	int i, shortr = 0, eintr = 0, other = 0;
	double t0;
	pid_t pid;
	int st;

	if (base == 0 || kread(fd, base, &dm, 8) != 8) {
		notok("kmem-signal", "can't read page_offset_base");
		return;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = onalrm;	/* no SA_RESTART */
	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
	t0 = now();
	for (i = 0; i < 200 && now() - t0 < 20; i++) {
		ssize_t n = kread(fd, dm + (16 << 20), buf, MAX_READ);

		if (n == -EINTR)
			eintr++;
		else if (n > 0 && (size_t)n < MAX_READ)
			shortr++;
		else if (n != (ssize_t)MAX_READ)
			other++;
	}
	memset(&it, 0, sizeof(it));
	setitimer(ITIMER_REAL, &it, NULL);
	printf("# %d reads of 1 MiB under a 1 ms timer in %.2f s: %d short, "
	    "%d EINTR, %d other, %d alarms\n", i, now() - t0, shortr, eintr,
	    other, (int)alarms);
	if (other == 0 && shortr + eintr > 0)
		ok("kmem-signal-stops-read");
	else
		notok("kmem-signal-stops-read", "%d short, %d EINTR, %d other",
		    shortr, eintr, other);

	if ((pid = fork()) == 0) {
		for (;;)
			kread(fd, dm + (16 << 20), buf, MAX_READ);
	}
	usleep(200000);
	kill(pid, SIGKILL);
	t0 = now();
	waitpid(pid, &st, 0);
	if (WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL && now() - t0 < 2)
		ok("kmem-sigkill-during-reads");
	else
		notok("kmem-sigkill-during-reads", "status %x after %.2f s", st,
		    now() - t0);
	printf("# reader killed %.3f s after SIGKILL\n", now() - t0);
	free(buf);
}

/*
 * In a child: drop CAP_SYS_RAWIO (or become nobody) and try to open.  The
 * child opens the node relative to its directory, entered as root: the
 * initramfs root directory may be 0700, which would give nobody EACCES
 * on the path before the device is reached.
 */
static int
open_as(int how)
{
	char dir[256], *slash;
	const char *name = dev;
	pid_t pid;
	int st;

	snprintf(dir, sizeof(dir), "%s", dev);
	if ((slash = strrchr(dir, '/')) != NULL) {
		*slash = 0;
		name = dev + (slash - dir) + 1;
	}
	if ((pid = fork()) == 0) {
		if (slash != NULL && chdir(dir[0] ? dir : "/") == -1)
			_exit(103);
		if (how == 0) {
			struct __user_cap_header_struct h = {
				_LINUX_CAPABILITY_VERSION_3, 0 };
			struct __user_cap_data_struct d[2];

			if (syscall(SYS_capget, &h, d) == -1)
				_exit(100);
			d[CAP_TO_INDEX(CAP_SYS_RAWIO)].effective &=
			    ~CAP_TO_MASK(CAP_SYS_RAWIO);
			if (syscall(SYS_capset, &h, d) == -1)
				_exit(101);
		} else if (setgid(65534) == -1 || setuid(65534) == -1)
			_exit(102);
		_exit(open(name, O_RDONLY) == -1 ? errno : 0);
	}
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 200;
}

static void
t_perm(void)
{
	int e;

	/* root without CAP_SYS_RAWIO passes the 0400 mode, fails capable(). */
	if ((e = open_as(0)) == EPERM)
		ok("kmem-open-without-rawio-eperm");
	else
		notok("kmem-open-without-rawio-eperm", "got %d (%s)", e,
		    strerror(e));
	/* nobody is stopped first by the 0400 mode: EACCES. */
	if ((e = open_as(1)) == EACCES)
		ok("kmem-open-nobody-eacces");
	else
		notok("kmem-open-nobody-eacces", "got %d (%s)", e, strerror(e));
	/* With the node made world-readable, nobody reaches the driver's
	 * capable(CAP_SYS_RAWIO) check: EPERM. */
	if (chmod(dev, 0444) == -1) {
		notok("kmem-open-nobody-0444-eperm", "chmod: %s", strerror(errno));
		return;
	}
	e = open_as(1);
	chmod(dev, 0400);
	if (e == EPERM)
		ok("kmem-open-nobody-0444-eperm");
	else
		notok("kmem-open-nobody-0444-eperm", "got %d (%s)", e,
		    strerror(e));
}

static void
t_readonly(int fd)
{
	char c = 0;
	void *m;
	int w;

	if ((w = open(dev, O_RDWR)) == -1 && errno == EPERM)
		ok("kmem-open-rdwr-eperm");
	else
		notok("kmem-open-rdwr-eperm", "fd %d errno %d", w, errno);
	if (w >= 0)
		close(w);
	if ((w = open(dev, O_WRONLY)) == -1 && errno == EPERM)
		ok("kmem-open-wronly-eperm");
	else
		notok("kmem-open-wronly-eperm", "fd %d errno %d", w, errno);
	if (w >= 0)
		close(w);
	if (write(fd, &c, 1) == -1 && errno == EBADF)
		ok("kmem-write-ebadf");
	else
		notok("kmem-write-ebadf", "errno %d", errno);
	m = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED && errno == ENODEV)
		ok("kmem-mmap-enodev");
	else
		notok("kmem-mmap-enodev", "%p errno %d", m, errno);
	m = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
	if (m == MAP_FAILED && errno == ENODEV)
		ok("kmem-mmap-private-enodev");
	else
		notok("kmem-mmap-private-enodev", "%p errno %d", m, errno);
}

int
main(int argc, char **argv)
{
	int fd;

	if (argc > 1)
		dev = argv[1];
	setvbuf(stdout, NULL, _IOLBF, 0);
	t_device();
	if ((fd = open(dev, O_RDONLY)) == -1) {
		notok("kmem-open", "%s: %s", dev, strerror(errno));
		return 1;
	}
	ok("kmem-open-rdonly");
	t_banner(fd);
	t_cross(fd);
	t_overflow(fd);
	t_huge(fd);
	t_signal(fd);
	t_perm();
	t_readonly(fd);
	close(fd);
	return failed ? 1 : 0;
}
