/*
 * TTY names, found the ways libproc2's dev_to_tty (devname.c) tries in
 * turn: /proc/tty/drivers, the task's stderr, the old fixed majors, bash's
 * fd 255.  The lookups that need no pid are cached per device.
 */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "devname.h"

#define TTY_CHOP	63	/* procps chops at 64 into a 64-byte buffer */
#define DRIVERS_MAX	10000	/* of /proc/tty/drivers, as procps */

/* One line of /proc/tty/drivers. */
struct driver {
	struct driver *next;
	int devfs;
	unsigned major, min_first, min_last;
	char name[16];
};

static void
driver_line(struct devname *dn, char **pp)
{
	char *p = *pp + 6, *end = strchr(p, ' ');
	struct driver *d;
	size_t len;

	*pp = p;
	if (end == NULL || (d = calloc(1, sizeof(*d))) == NULL)
		return;
	len = (size_t)(end - p);
	if (len >= 3 && strncmp(end - 2, "%d", 2) == 0) {
		len -= 2;
		d->devfs = 1;
	}
	if (len >= sizeof(d->name))
		len = sizeof(d->name) - 1;
	memcpy(d->name, p, len);
	p = end + strspn(end, " ");
	d->major = (unsigned)atoi(p);
	p += strspn(p, "0123456789");
	p += strspn(p, " ");
	switch (sscanf(p, "%u-%u", &d->min_first, &d->min_last)) {
	case 1:
		d->min_last = d->min_first;
		/* FALLTHROUGH */
	case 2:
		/* procps searches the last line first */
		d->next = dn->drivers;
		dn->drivers = d;
		*pp = end;
		break;
	default:
		free(d);
	}
}

static void
load_drivers(struct devname *dn)
{
	char buf[DRIVERS_MAX], *p = buf;
	ssize_t n;
	int fd;

	dn->drivers_loaded = 1;
	if ((fd = open(dn->drivers_file != NULL ? dn->drivers_file :
	    "/proc/tty/drivers", O_RDONLY | O_CLOEXEC)) == -1)
		return;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		return;
	buf[n] = '\0';
	while ((p = strstr(p, " /dev/")) != NULL)
		driver_line(dn, &p);
}

static int
same_dev(const char *path, unsigned maj, unsigned min)
{
	struct stat st;

	return stat(path, &st) == 0 && major(st.st_rdev) == maj &&
	    minor(st.st_rdev) == min;
}

static int
driver_name(struct devname *dn, char *buf, unsigned maj, unsigned min)
{
	struct driver *d;

	if (!dn->drivers_loaded)
		load_drivers(dn);
	for (d = dn->drivers; d != NULL; d = d->next)
		if (d->major == maj && d->min_first <= min &&
		    min <= d->min_last)
			break;
	if (d == NULL)
		return 0;
	snprintf(buf, TTY_NAME_SIZE, "/dev/%s%u", d->name, min);
	if (same_dev(buf, maj, min))
		return 1;
	snprintf(buf, TTY_NAME_SIZE, "/dev/%s/%u", d->name, min);
	if (same_dev(buf, maj, min))
		return 1;
	if (d->devfs)
		return 0;
	snprintf(buf, TTY_NAME_SIZE, "/dev/%s", d->name);
	return same_dev(buf, maj, min);
}

/* The majors of devices.txt with one name and the minor after it. */
static int
fixed_major(char *buf, unsigned maj, unsigned min)
{
	static const struct { unsigned major; const char *fmt; } tab[] = {
		{ 11, "ttyB" }, { 17, "ttyH" }, { 19, "ttyC" }, { 22, "ttyD" },
		{ 23, "ttyD" }, { 24, "ttyE" }, { 32, "ttyX" }, { 43, "ttyI" },
		{ 46, "ttyR" }, { 48, "ttyL" }, { 57, "ttyP" }, { 71, "ttyF" },
		{ 75, "ttyW" }, { 78, "ttyM" }, { 105, "ttyV" },
		{ 112, "ttyM" },
		{ 148, "ttyT" }, { 154, "ttySR" }, { 164, "ttyCH" },
		{ 166, "ttyACM" }, { 172, "ttyMX" }, { 174, "ttySI" },
		{ 188, "ttyUSB" }, { 208, "ttyU" }, { 216, "ttyUB" },
		{ 224, "ttyY" }, { 227, "3270/tty" }, { 229, "iseries/vtty" },
		{ 256, "ttyEQ" },
	};
	size_t i;

	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (tab[i].major == maj) {
			snprintf(buf, TTY_NAME_SIZE, "/dev/%s%u", tab[i].fmt,
			    min);
			return 1;
		}
	return 0;		/* 204's low-density names: not here */
}

/* The device files of the old fixed majors (devices.txt). */
static int
guess_path(char *buf, unsigned maj, unsigned min)
{
	if (maj == 3 && min <= 255)
		snprintf(buf, TTY_NAME_SIZE, "/dev/tty%c%c",
		    "pqrstuvwxyzabcde"[min >> 4], "0123456789abcdef"[min & 15]);
	else if (maj == 4)
		snprintf(buf, TTY_NAME_SIZE, min < 64 ? "/dev/tty%u" :
		    "/dev/ttyS%u", min < 64 ? min : min - 64);
	else if (maj >= 136 && maj <= 143)
		snprintf(buf, TTY_NAME_SIZE, "/dev/pts/%u",
		    min + (maj - 136) * 256);
	else if (maj == 156)
		snprintf(buf, TTY_NAME_SIZE, "/dev/ttySR%u", min + 256);
	else if (!fixed_major(buf, maj, min))
		return 0;
	return same_dev(buf, maj, min);
}

/* /proc/PID/fd/N names the terminal (stderr, or bash's 255). */
static int
link_name(char *buf, unsigned maj, unsigned min, int pid, const char *fd)
{
	char path[64];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/%s", pid, fd);
	n = readlink(path, buf, TTY_NAME_SIZE - 1);
	if (n <= 0 || n >= TTY_NAME_SIZE - 1)
		return 0;
	buf[n] = '\0';
	return same_dev(buf, maj, min);
}

static struct ttyname *
tty_cached(struct devname *dn, unsigned dev)
{
	struct ttyname *e;
	int i;

	for (i = 0; i < dn->nttys; i++)
		if (dn->ttys[i].dev == dev)
			return &dn->ttys[i];
	if (dn->nttys == TTY_CACHE)
		dn->nttys = 0;		/* bounded: start over */
	e = &dn->ttys[dn->nttys++];
	e->dev = dev;
	e->drv_ok = e->guess_ok = -1;
	return e;
}

static int
tty_path(struct devname *dn, char *buf, unsigned dev, int tid, int live)
{
	unsigned maj = major(dev), min = minor(dev);
	struct ttyname *e = tty_cached(dn, dev);

	if (e->drv_ok == -1)
		e->drv_ok = driver_name(dn, e->drv, maj, min);
	if (e->drv_ok) {
		strcpy(buf, e->drv);
		return 1;
	}
	if (live && link_name(buf, maj, min, tid, "fd/2"))
		return 1;
	if (e->guess_ok == -1)
		e->guess_ok = guess_path(e->guess, maj, min);
	if (e->guess_ok) {
		strcpy(buf, e->guess);
		return 1;
	}
	return live && link_name(buf, maj, min, tid, "fd/255");
}

/* dev_to_tty(..., ABBREV_DEV): /dev/ cut off, odd bytes as '?'. */
const char *
devname_tty(struct devname *dn, unsigned dev, int pid, int live)
{
	char path[TTY_NAME_SIZE], *p = path;
	int i;

	if (dev == 0 || !tty_path(dn, path, dev, pid, live))
		return "?";
	if (strncmp(p, "/dev/", 5) == 0 && p[5] != '\0')
		p += 5;
	for (i = 0; i < TTY_CHOP && p[i] != '\0'; i++)
		dn->tty[i] = (p[i] <= ' ' || p[i] > 126) ? '?' : p[i];
	dn->tty[i] = '\0';
	return dn->tty;
}

void
devname_free(struct devname *dn)
{
	struct driver *d, *next;

	for (d = dn->drivers; d != NULL; d = next) {
		next = d->next;
		free(d);
	}
	dn->drivers = NULL;
	dn->drivers_loaded = 0;
}
