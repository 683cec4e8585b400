/*
 * The ps formatter.  procps-ng 4.0.2 ps (src/ps/output.c, sortformat.c,
 * and the libproc2 that feeds it) is the specification: every width,
 * justification, escape and rounding here is what it does, including its
 * quirks, so that kps output can be diffed against ps byte for byte.
 * Where procps gets a value in two stages (libproc2 escapes the command
 * line once, ps escapes it again while fitting it to the screen), so do
 * we, because the two stages don't commute on odd bytes.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <langinfo.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>
#include <wctype.h>

#include "psfmt.h"

#define COLWID		240	/* procps: most columns fit in this */
#define SPACE_AMOUNT	144	/* procps: most padding written */
#define LIB_BUFSZ	(128 * 1024)	/* libproc2 MAX_BUFSZ */
#define COMM_BUFSZ	64	/* libproc2 escapes comm into 64 bytes */
#define NAME_SZ		33	/* libproc2 P_G_SZ: else numeric */
#define TTY_NAME_SIZE	128	/* libproc2 devname.c */
#define TTY_CHOP	63	/* procps chops at 64 into a 64-byte buffer */
#define TTY_CACHE	32
#define DRIVERS_MAX	10000	/* of /proc/tty/drivers, as procps */
#define HASH		64

/* Justification (procps CF_*), and PID-like columns sized by pid_max. */
enum { J_LEFT = 1, J_RIGHT, J_USER, J_WCHAN, J_UNLIMITED, J_MASK = 0xf };
#define F_PIDMAX	0x10

/* What procps sorts each column by (a pids_item), and its type. */
enum item {
	IT_NOOP, IT_TGID, IT_TID, IT_PPID, IT_PGRP, IT_SESSION, IT_TPGID,
	IT_STATE, IT_NICE, IT_PRIORITY, IT_RTPRIO, IT_SCHED, IT_NLWP,
	IT_PROCESSOR, IT_FLAGS, IT_EUID, IT_RUID, IT_SUID, IT_FUID, IT_EGID,
	IT_RGID, IT_SGID, IT_FGID, IT_EUSER, IT_RUSER, IT_SUSER, IT_FUSER,
	IT_EGROUP, IT_RGROUP, IT_SGROUP, IT_FGROUP, IT_CMD, IT_CMDLINE,
	IT_UTIL, IT_VMRSS, IT_VMSIZE, IT_VSIZE, IT_BEGAN, IT_TIMEALL,
	IT_TICSALL, IT_ELAPSED, IT_WCHAN, IT_TTYNAME, IT_LOCKED,
};

typedef int prfn(struct ps_ctx *, const struct sym_task *, char *);

struct ps_spec {
	const char *name;
	const char *head;
	prfn *pr;
	enum item sr;
	int width;
	unsigned flags;
};

struct name {
	struct name *next;
	unsigned id;
	char s[NAME_SZ];
};

/* One line of /proc/tty/drivers. */
struct driver {
	struct driver *next;
	int devfs;
	unsigned major, min_first, min_last;
	char name[16];
};

/* The lookups of one device that need no pid. */
struct ttyname {
	unsigned dev;
	int drv_ok, guess_ok;		/* -1 not tried yet */
	char drv[TTY_NAME_SIZE], guess[TTY_NAME_SIZE];
};

struct ps_ctx {
	const struct ps_format *fmt;
	struct ps_opts o;
	struct sym_psinfo info;
	unsigned long long boot_tics;	/* uptime in ticks, as libproc2 */
	time_t now;
	unsigned active_cols;
	unsigned maxr;			/* procps max_rightward */
	int utf8;
	int header_due;
	char *line;			/* SPACE_AMOUNT spaces, then out */
	char *out;
	char *raw;			/* cmdline as libproc2 read it */
	char *cmdl;			/* ... and escaped */
	char comm[COMM_BUFSZ];
	char tty[TTY_NAME_SIZE];
	struct name *users[HASH], *groups[HASH];
	struct driver *drivers;
	int drivers_loaded;
	struct ttyname ttys[TTY_CACHE];
	int nttys;
};

/* ------------------------------------------------------------------ */
/* Escaping: libproc2's stage (escape.c) and ps's stage (output.c).     */

/* Bytes in the UTF-8 sequence a lead byte starts; -1 if it can't lead. */
static int
utf_lead(unsigned char ch)
{
	if (ch < 0x80)
		return 1;
	if (ch < 0xc2)
		return -1;
	if (ch < 0xe0)
		return 2;
	if (ch < 0xf0)
		return 3;
	return ch < 0xf5 ? 4 : -1;
}

/* Both stages' table for text that isn't (or mustn't be read as) UTF-8. */
static unsigned char
esc_byte(unsigned char ch)
{
	if (ch < 0x20 || ch == 0x7f)
		return '.';
	return ch >= 0x80 ? '?' : ch;
}

static void
esc_all(unsigned char *s)
{
	for (; *s != '\0'; s++)
		*s = esc_byte(*s);
}

/* Control characters become '?'; from a bad lead byte on, esc_all. */
static void
esc_ctl(unsigned char *s, int len)
{
	int i, n;

	for (i = 0; i < len; i += n, s += n) {
		if ((n = utf_lead(*s)) < 0 || i + n > len) {
			esc_all(s);
			return;
		}
		if (*s < 0x20 || *s == 0x7f)
			*s = '?';
	}
}

/* libproc2 escape_str: a copy bounded to bufsize, made printable. */
static int
lib_escape(const struct ps_ctx *c, char *dst, const char *src, size_t bufsize)
{
	size_t n = strlen(src);

	if (n >= bufsize)
		n = bufsize - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
	if (c->utf8)
		esc_ctl((unsigned char *)dst, (int)n);
	else
		esc_all((unsigned char *)dst);
	return (int)n;
}

/* ps escape_str_utf8: at most *cells screen cells, bufsize bytes. */
static int
ps_escape_utf8(char *dst, const char *src, int bufsize, int *cells)
{
	int used = 0, bytes = 0, len, w;
	mbstate_t st;
	wchar_t wc;

	memset(&st, 0, sizeof(st));
	while (used < *cells && bytes + 1 < bufsize) {
		len = (int)mbrtowc(&wc, src, MB_CUR_MAX, &st);
		if (len == 0)
			break;
		if (len < 0) {		/* invalid: one '?' per byte */
			memset(&st, 0, sizeof(st));
			dst[bytes++] = '?';
			src++;
			used++;
		} else if (len == 1) {
			dst[bytes++] = isprint((unsigned char)*src) ? *src :
			    '?';
			src++;
			used++;
		} else if (!iswprint((wint_t)wc)) {
			dst[bytes++] = '?';
			src += len;
			used++;
		} else {
			w = wcwidth(wc);
			if (w > *cells - used || len >= bufsize - (bytes + 1))
				break;
			memcpy(dst + bytes, src, (size_t)len);
			bytes += len;
			src += len;
			if (w > 0)
				used += w;
		}
	}
	dst[bytes] = '\0';
	*cells -= used;
	return bytes;
}

/* ps escape_str; *cells is left holding the cells not used. */
static int
ps_escape(const struct ps_ctx *c, char *dst, const char *src, int bufsize,
    int *cells)
{
	int used = 0;

	if (bufsize <= 0)
		return 0;
	*dst = '\0';
	if (*cells <= 0)
		return 0;
	if (c->utf8 && MB_CUR_MAX > 1)
		return ps_escape_utf8(dst, src, bufsize, cells);
	if (bufsize > *cells + 1)
		bufsize = *cells + 1;
	while (used < *cells && used + 1 < bufsize && src[used] != '\0') {
		dst[used] = (char)esc_byte((unsigned char)src[used]);
		used++;
	}
	dst[used] = '\0';
	*cells -= used;
	return used;
}

/* ------------------------------------------------------------------ */
/* The values libproc2 derives from /proc's.                           */

static const char *
comm_of(struct ps_ctx *c, const struct sym_task *t)
{
	char raw[sizeof(t->comm)];

	memcpy(raw, t->comm, sizeof(raw));
	raw[sizeof(raw) - 1] = '\0';
	lib_escape(c, c->comm, raw, COMM_BUFSZ);
	return c->comm;
}

/*
 * libproc2's read_unvectored: NULs and newlines inside become spaces,
 * trailing NULs are dropped, and a last byte that is a space goes too.
 * At most LIB_BUFSZ - 1 bytes are read, whatever the source holds.
 */
static size_t
cmdline_flatten(char *dst, const struct sym_task *t)
{
	size_t n = t->cmdline_len, i;

	if (t->cmdline == NULL)
		n = 0;
	if (n > LIB_BUFSZ - 1)
		n = LIB_BUFSZ - 1;
	if (n == 0) {
		dst[0] = '\0';
		return 0;
	}
	memcpy(dst, t->cmdline, n);
	for (i = n; i > 0 && dst[i - 1] == '\0'; i--)
		;
	while (i-- > 0)
		if (dst[i] == '\n' || dst[i] == '\0')
			dst[i] = ' ';
	if (dst[n - 1] == ' ')
		dst[n - 1] = '\0';
	dst[n] = '\0';
	return n;
}

/* Kernel threads (no arguments) as "[comm]", zombies add " <defunct>". */
static void
cmdline_bracket(struct ps_ctx *c, const struct sym_task *t)
{
	const char *comm = comm_of(c, t);
	int end = 0, over = t->state == 'Z' ? 12 : 2;

	c->cmdl[end++] = '[';
	end += lib_escape(c, c->cmdl + end, comm, (size_t)(LIB_BUFSZ - over));
	c->cmdl[end++] = ']';
	c->cmdl[end] = '\0';
	if (t->state == 'Z')
		strcpy(c->cmdl + end, " <defunct>");
}

/* The CMDLINE item: what the args column and its sort key hold. */
static const char *
cmdline_of(struct ps_ctx *c, const struct sym_task *t)
{
	if (cmdline_flatten(c->raw, t) > 0)
		lib_escape(c, c->cmdl, c->raw, LIB_BUFSZ);
	else
		cmdline_bracket(c, t);
	if (c->cmdl[0] == '\0')
		strcpy(c->cmdl, "?");
	return c->cmdl;
}

static const char *
wchan_of(const struct sym_task *t)
{
	const char *w = t->wchan;

	if (w[0] == '\0')
		return "-";
	if (*w == '.')			/* ppc64 function descriptors */
		w++;
	while (*w == '_')
		w++;
	return w;
}

static int
nlwp_of(const struct sym_task *t)
{
	return t->nlwp ? t->nlwp : 1;	/* libproc2 stat2proc */
}

static unsigned long long
tics_all(const struct sym_task *t)
{
	return t->utime + t->stime;
}

static unsigned long
vm_size_kb(const struct sym_task *t)
{
	return t->vsize / 1024;		/* status VmSize */
}

/* status VmRSS, not stat's rss pages: since 6.2 those are approximate. */
static unsigned long
vm_rss_kb(const struct ps_ctx *c, const struct sym_task *t)
{
	return (unsigned long)t->vm_rss_kb;
}

/* Seconds since the start, computed in doubles as libproc2 does. */
static double
elapsed(const struct ps_ctx *c, const struct sym_task *t)
{
	double d = (double)(c->boot_tics - t->start_time);

	return d > 0 ? d / (double)c->info.hz : 0;
}

static double
time_all(const struct ps_ctx *c, const struct sym_task *t)
{
	return ((double)t->utime + (double)t->stime) / (double)c->info.hz;
}

/* libproc2 UTILIZATION: note the float multiplication. */
static double
utilization(const struct ps_ctx *c, const struct sym_task *t)
{
	double d = (double)(c->boot_tics - t->start_time);
	float pct = (float)tics_all(t) * 100.0f;

	return d > 0 ? (double)pct / d : 0;
}

static time_t
start_of(const struct ps_ctx *c, const struct sym_task *t)
{
	return (time_t)((unsigned)c->info.boot_time +
	    t->start_time / (unsigned long long)c->info.hz);
}

/* libproc2 pwcache: the name, or the number when none or too long. */
static const char *
name_of(struct name **tab, unsigned id, int group)
{
	struct name **p = &tab[id % HASH];
	struct passwd *pw;
	struct group *gr;
	const char *s;

	for (; *p != NULL; p = &(*p)->next)
		if ((*p)->id == id)
			return (*p)->s;
	if ((*p = calloc(1, sizeof(**p))) == NULL)
		return "?";
	(*p)->id = id;
	if (group)
		s = (gr = getgrgid(id)) != NULL ? gr->gr_name : NULL;
	else
		s = (pw = getpwuid(id)) != NULL ? pw->pw_name : NULL;
	if (s == NULL || strlen(s) >= NAME_SZ)
		snprintf((*p)->s, NAME_SZ, "%u", id);
	else
		strcpy((*p)->s, s);
	return (*p)->s;
}

static void
free_names(struct name **tab)
{
	struct name *n, *next;
	int i;

	for (i = 0; i < HASH; i++)
		for (n = tab[i]; n != NULL; n = next) {
			next = n->next;
			free(n);
		}
}

/* ------------------------------------------------------------------ */
/* TTY names, found the ways libproc2's dev_to_tty tries in turn.      */

static void
driver_line(struct ps_ctx *c, char **pp)
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
		d->next = c->drivers;
		c->drivers = d;
		*pp = end;
		break;
	default:
		free(d);
	}
}

static void
load_drivers(struct ps_ctx *c)
{
	char buf[DRIVERS_MAX], *p = buf;
	ssize_t n;
	int fd;

	c->drivers_loaded = 1;
	if ((fd = open("/proc/tty/drivers", O_RDONLY | O_CLOEXEC)) == -1)
		return;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		return;
	buf[n] = '\0';
	while ((p = strstr(p, " /dev/")) != NULL)
		driver_line(c, &p);
}

static int
same_dev(const char *path, unsigned maj, unsigned min)
{
	struct stat st;

	return stat(path, &st) == 0 && major(st.st_rdev) == maj &&
	    minor(st.st_rdev) == min;
}

static int
driver_name(struct ps_ctx *c, char *buf, unsigned maj, unsigned min)
{
	struct driver *d;

	if (!c->drivers_loaded)
		load_drivers(c);
	for (d = c->drivers; d != NULL; d = d->next)
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

/* The device files of the old fixed majors (devices.txt). */
static int
guess_path(char *buf, unsigned maj, unsigned min)
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
	else {
		for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
			if (tab[i].major == maj)
				break;
		if (i == sizeof(tab) / sizeof(tab[0]))
			return 0;	/* 204's low-density names: not here */
		snprintf(buf, TTY_NAME_SIZE, "/dev/%s%u", tab[i].fmt, min);
	}
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
tty_cached(struct ps_ctx *c, unsigned dev)
{
	struct ttyname *e;
	int i;

	for (i = 0; i < c->nttys; i++)
		if (c->ttys[i].dev == dev)
			return &c->ttys[i];
	if (c->nttys == TTY_CACHE)
		c->nttys = 0;		/* bounded: start over */
	e = &c->ttys[c->nttys++];
	e->dev = dev;
	e->drv_ok = e->guess_ok = -1;
	return e;
}

static int
tty_path(struct ps_ctx *c, char *buf, unsigned dev, int tid)
{
	unsigned maj = major(dev), min = minor(dev);
	struct ttyname *e = tty_cached(c, dev);

	if (e->drv_ok == -1)
		e->drv_ok = driver_name(c, e->drv, maj, min);
	if (e->drv_ok) {
		strcpy(buf, e->drv);
		return 1;
	}
	if (c->o.live && link_name(buf, maj, min, tid, "fd/2"))
		return 1;
	if (e->guess_ok == -1)
		e->guess_ok = guess_path(e->guess, maj, min);
	if (e->guess_ok) {
		strcpy(buf, e->guess);
		return 1;
	}
	return c->o.live && link_name(buf, maj, min, tid, "fd/255");
}

/* dev_to_tty(..., ABBREV_DEV): "pts/3", "tty1", or "?" */
static const char *
tty_of(struct ps_ctx *c, const struct sym_task *t)
{
	char path[TTY_NAME_SIZE], *p = path;
	int i;

	if (t->tty_nr == 0 || !tty_path(c, path, t->tty_nr, t->tid))
		return "?";
	if (strncmp(p, "/dev/", 5) == 0 && p[5] != '\0')
		p += 5;
	for (i = 0; i < TTY_CHOP && p[i] != '\0'; i++)
		c->tty[i] = (p[i] <= ' ' || p[i] > 126) ? '?' : p[i];
	c->tty[i] = '\0';
	return c->tty;
}

/* ------------------------------------------------------------------ */
/* The columns (procps pr_* functions).                                */

static int
pr_nop(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	return snprintf(out, COLWID, "-");
}

static int
pr_args(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	int room = (int)c->maxr;

	ps_escape(c, out, cmdline_of(c, t), PS_OUTBUF, &room);
	return (int)c->maxr - room;
}

static int
pr_comm(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	int room = (int)c->maxr;

	ps_escape(c, out, c->o.unix_f ? cmdline_of(c, t) : comm_of(c, t),
	    PS_OUTBUF, &room);
	return (int)c->maxr - room;
}

/* procps returns max_rightward minus what is left of 8: a quirk kept. */
static int
pr_fname(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	int room = c->maxr > 8 ? 8 : (int)c->maxr;

	ps_escape(c, out, comm_of(c, t), PS_OUTBUF, &room);
	return (int)c->maxr - room;
}

/* [[dd-]hh:]mm:ss */
static int
pr_etime(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	unsigned long s = (unsigned long)elapsed(c, t);
	unsigned dd = (unsigned)(s / 86400), hh = (unsigned)(s / 3600 % 24);
	int n = 0;

	if (dd)
		n += snprintf(out + n, COLWID, "%u-", dd);
	if (dd || hh)
		n += snprintf(out + n, COLWID, "%02u:", hh);
	return n + snprintf(out + n, COLWID, "%02u:%02u",
	    (unsigned)(s / 60 % 60), (unsigned)(s % 60));
}

static int
pr_etimes(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	return snprintf(out, COLWID, "%u", (unsigned)elapsed(c, t));
}

/* [dd-]hh:mm:ss */
static int
pr_time(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	unsigned long s = (unsigned long)time_all(c, t);
	unsigned dd = (unsigned)(s / 86400);
	int n = 0;

	if (dd)
		n = snprintf(out, COLWID, "%u-", dd);
	return n + snprintf(out + n, COLWID, "%02u:%02u:%02u",
	    (unsigned)(s / 3600 % 24), (unsigned)(s / 60 % 60),
	    (unsigned)(s % 60));
}

static int
pr_times(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	return snprintf(out, COLWID, "%lu", (unsigned long)time_all(c, t));
}

/* CPU time over the lifetime, scaled by 100 (C) or 1000 (%CPU, CP). */
static unsigned
permille(const struct ps_ctx *c, const struct sym_task *t, unsigned scale)
{
	unsigned long long jiffies;

	jiffies = (unsigned long long)(elapsed(c, t) * (double)c->info.hz);
	return jiffies ? (unsigned)(tics_all(t) * scale / jiffies) : 0;
}

static int
pr_c(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	unsigned v = permille(c, t, 100);

	return snprintf(out, COLWID, "%2u", v > 99 ? 99 : v);
}

static int
pr_pcpu(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	unsigned v = permille(c, t, 1000);

	if (v > 999)
		return snprintf(out, COLWID, "%u", v / 10);
	return snprintf(out, COLWID, "%u.%u", v / 10, v % 10);
}

static int
pr_cp(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	unsigned v = permille(c, t, 1000);

	return snprintf(out, COLWID, "%3u", v > 999 ? 999 : v);
}

static int
pr_pmem(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	unsigned long v = 0;

	if (c->info.memtotal_kb)
		v = (unsigned long)(vm_rss_kb(c, t) * 1000ULL /
		    c->info.memtotal_kb);
	if (v > 999)
		v = 999;
	return snprintf(out, COLWID, "%2u.%u", (unsigned)(v / 10),
	    (unsigned)(v % 10));
}

static int
pr_pgid(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	return snprintf(out, COLWID, "%u", (unsigned)t->pgrp);
}

static int
pr_ppid(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	return snprintf(out, COLWID, "%u", (unsigned)t->ppid);
}

static int
pr_procs(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	return snprintf(out, COLWID, "%d", t->pid);
}

static int
pr_tasks(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	return snprintf(out, COLWID, "%d", t->tid);
}

static int
pr_sess(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	return snprintf(out, COLWID, "%d", t->session);
}

static int
pr_tpgid(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	return snprintf(out, COLWID, "%d", t->tpgid);
}

static int
pr_nlwp(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	return snprintf(out, COLWID, "%d", nlwp_of(t));
}

static int
pr_vsz(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	return snprintf(out, COLWID, "%lu", vm_size_kb(t));
}

static int
pr_rss(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	return snprintf(out, COLWID, "%lu", vm_rss_kb(c, t));
}

/* Pages of the core image, from kB. */
static int
pr_sz(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	long kpp = c->info.page_size / 1024;

	return snprintf(out, COLWID, "%lu", kpp > 0 ?
	    vm_size_kb(t) / (unsigned long)kpp : 0);
}

static int
pr_psr(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	return snprintf(out, COLWID, "%d", t->processor);
}

/* The PRI variants: stat's priority shifted to each vendor's scale. */
static int
pr_priority(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	return snprintf(out, COLWID, "%d", (int)t->priority);
}

static int
pr_opri(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	return snprintf(out, COLWID, "%d", 60 + (int)t->priority);
}

static int
pr_pri(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	return snprintf(out, COLWID, "%d", 39 - (int)t->priority);
}

static int
pr_pri_foo(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	return snprintf(out, COLWID, "%d", (int)t->priority - 20);
}

static int
pr_pri_bar(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	return snprintf(out, COLWID, "%d", (int)t->priority + 1);
}

static int
pr_pri_baz(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	return snprintf(out, COLWID, "%d", (int)t->priority + 100);
}

static int
pr_pri_api(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	return snprintf(out, COLWID, "%d", -1 - (int)t->priority);
}

/* nice applies only to SCHED_OTHER (0) and SCHED_BATCH (3). */
static int
pr_nice(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	if (t->policy != 0 && t->policy != 3)
		return snprintf(out, COLWID, "-");
	return snprintf(out, COLWID, "%d", (int)t->nice);
}

static int
pr_class(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	static const char *const cls[] = {
		"TS", "FF", "RR", "B", "ISO", "IDL", "DLN", "#7", "#8", "#9"
	};

	return snprintf(out, COLWID, "%s", t->policy < 10 ? cls[t->policy] :
	    "?");
}

static int
pr_rtprio(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	if (t->policy == 0)
		return snprintf(out, COLWID, "-");
	return snprintf(out, COLWID, "%d", (int)t->rt_priority);
}

static int
pr_sched(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	return snprintf(out, COLWID, "%d", (int)t->policy);
}

static int
pr_wchan(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	const char *w = wchan_of(t);
	size_t len = strlen(w);

	if (len > c->maxr)
		len = c->maxr;
	memcpy(out, w, len);
	out[len] = '\0';
	return (int)len;
}

static int
pr_tty8(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	return snprintf(out, COLWID, "%s", tty_of(c, t));
}

/* state, then < N L s l + as BSD ps prints them. */
static int
pr_stat(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	int n = 0;

	out[n++] = t->state;
	if (t->nice < 0)
		out[n++] = '<';
	if (t->nice > 0)
		out[n++] = 'N';
	if (t->vm_lock_kb)
		out[n++] = 'L';
	if (t->session == t->pid)
		out[n++] = 's';		/* session leader */
	if (nlwp_of(t) > 1)
		out[n++] = 'l';		/* multi-threaded */
	if (t->pgrp == t->tpgid)
		out[n++] = '+';		/* foreground process group */
	out[n] = '\0';
	return n;
}

static int
pr_s(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	out[0] = t->state;
	out[1] = '\0';
	return 1;
}

static int
pr_sgi_p(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	if (t->state == 'R')
		return snprintf(out, COLWID, "%u", (unsigned)t->processor);
	return snprintf(out, COLWID, "*");
}

/* F: three PF_* bits in octal (PF_FORKNOEXEC 0x40, PF_SUPERPRIV 0x100). */
static int
pr_flag(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	return snprintf(out, COLWID, "%o", (t->flags >> 6U) & 0x7U);
}

static int
pr_bsdtime(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	unsigned u = (unsigned)(tics_all(t) / (unsigned long long)c->info.hz);

	return snprintf(out, COLWID, "%3u:%02u", u / 60U, u % 60U);
}

static void
ctime_of(time_t t, char buf[32])
{
	if (ctime_r(&t, buf) == NULL)
		strcpy(buf, "??? ??? ?? ??:??:?? ????\n");
}

static int
pr_bsdstart(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	time_t start = start_of(c, t), ago = c->now - start;
	char buf[32];

	ctime_of(start, buf);
	snprintf(out, COLWID, "%s", ago > 3600 * 24 ? buf + 4 : buf + 10);
	out[6] = '\0';
	return 6;
}

static int
pr_lstart(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	char buf[32];

	ctime_of(start_of(c, t), buf);
	return snprintf(out, COLWID, "%24.24s", buf);
}

/* HH:MM today, MmmDD this year, else the year. */
static int
pr_stime(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	struct tm ours, theirs;
	time_t start = start_of(c, t);
	size_t len;

	if (localtime_r(&c->now, &ours) == NULL ||
	    localtime_r(&start, &theirs) == NULL)
		return 0;
	if (ours.tm_year != theirs.tm_year)
		len = strftime(out, COLWID, "%Y", &theirs);
	else if (ours.tm_yday != theirs.tm_yday)
		len = strftime(out, COLWID, "%b%d", &theirs);
	else
		len = strftime(out, COLWID, "%H:%M", &theirs);
	if (len == 0)
		out[0] = '\0';
	return (int)len;
}

/* HH:MM:SS within a day, else "  Mmm DD". */
static int
pr_start(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	time_t start = start_of(c, t);
	char buf[32];

	ctime_of(start, buf);
	if (buf[8] == ' ')
		buf[8] = '0';
	if (buf[11] == ' ')
		buf[11] = '0';
	if ((unsigned long)start + 60 * 60 * 24 > (unsigned long)c->now)
		return snprintf(out, COLWID, "%8.8s", buf + 11);
	return snprintf(out, COLWID, "  %6.6s", buf + 4);
}

static int
pr_id(char *out, unsigned id)
{
	return snprintf(out, COLWID, "%d", (int)id);
}

static int
pr_euid(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	return pr_id(out, t->uid[SYM_UID_EFF]);
}

static int
pr_ruid(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	return pr_id(out, t->uid[SYM_UID_REAL]);
}

static int
pr_suid(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	return pr_id(out, t->uid[SYM_UID_SAVED]);
}

static int
pr_fuid(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	return pr_id(out, t->uid[SYM_UID_FS]);
}

static int
pr_egid(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	return pr_id(out, t->gid[SYM_UID_EFF]);
}

static int
pr_rgid(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	return pr_id(out, t->gid[SYM_UID_REAL]);
}

static int
pr_sgid(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	return pr_id(out, t->gid[SYM_UID_SAVED]);
}

static int
pr_fgid(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	return pr_id(out, t->gid[SYM_UID_FS]);
}

/*
 * A user or group name: cut to the column with a '+' when it won't fit
 * (procps 4 no longer switches to the number), unless the cut would land
 * on a multibyte character; BSD n prints the number.
 */
static int
pr_name(struct ps_ctx *c, char *out, const char *name, unsigned id)
{
	int room = PS_OUTBUF, len;

	if (!c->o.user_is_number) {
		ps_escape(c, out, name, PS_OUTBUF, &room);
		len = PS_OUTBUF - room;
		if (len <= (int)c->maxr)
			return len;
		if (c->maxr >= 1 && (unsigned char)out[c->maxr - 1] < 127) {
			len = (int)c->maxr - 1;
			out[len++] = '+';
			out[len] = '\0';
			return len;
		}
	}
	return snprintf(out, COLWID, "%u", id);
}

static const char *
user_of(struct ps_ctx *c, const struct sym_task *t, int which)
{
	return name_of(c->users, t->uid[which], 0);
}

static const char *
group_of(struct ps_ctx *c, const struct sym_task *t, int which)
{
	return name_of(c->groups, t->gid[which], 1);
}

#define PR_USER(fn, which) \
static int \
fn(struct ps_ctx *c, const struct sym_task *t, char *out) \
{ \
	return pr_name(c, out, user_of(c, t, which), t->uid[which]); \
}
#define PR_GROUP(fn, which) \
static int \
fn(struct ps_ctx *c, const struct sym_task *t, char *out) \
{ \
	return pr_name(c, out, group_of(c, t, which), t->gid[which]); \
}
PR_USER(pr_euser, SYM_UID_EFF)
PR_USER(pr_ruser, SYM_UID_REAL)
PR_USER(pr_suser, SYM_UID_SAVED)
PR_USER(pr_fuser, SYM_UID_FS)
PR_GROUP(pr_egroup, SYM_UID_EFF)
PR_GROUP(pr_rgroup, SYM_UID_REAL)
PR_GROUP(pr_sgroup, SYM_UID_SAVED)
PR_GROUP(pr_fgroup, SYM_UID_FS)
#undef PR_USER
#undef PR_GROUP

/* ------------------------------------------------------------------ */
/* The format table: procps's format_array, the columns kps has data   */
/* for.  Sorted by name.                                               */

#define L	J_LEFT
#define R	J_RIGHT
#define U	J_USER
#define W	J_WCHAN
#define UL	J_UNLIMITED
#define PM	F_PIDMAX
static const struct ps_spec specs[] = {
	{ "%cpu", "%CPU", pr_pcpu, IT_UTIL, 4, R },
	{ "%mem", "%MEM", pr_pmem, IT_VMRSS, 4, R },
	{ "addr", "ADDR", pr_nop, IT_NOOP, 4, R },
	{ "addr_1", "ADDR", pr_nop, IT_NOOP, 1, L },
	{ "args", "COMMAND", pr_args, IT_CMDLINE, 27, UL },
	{ "atime", "TIME", pr_time, IT_TIMEALL, 8, R },
	{ "bsdstart", "START", pr_bsdstart, IT_BEGAN, 6, R },
	{ "bsdtime", "TIME", pr_bsdtime, IT_TICSALL, 6, R },
	{ "c", "C", pr_c, IT_UTIL, 2, R },
	{ "class", "CLS", pr_class, IT_SCHED, 3, L },
	{ "cls", "CLS", pr_class, IT_SCHED, 3, R },
	{ "cmd", "CMD", pr_args, IT_CMDLINE, 27, UL },
	{ "comm", "COMMAND", pr_comm, IT_CMD, 15, UL },
	{ "command", "COMMAND", pr_args, IT_CMDLINE, 27, UL },
	{ "cp", "CP", pr_cp, IT_UTIL, 3, R },
	{ "cpu", "CPU", pr_nop, IT_NOOP, 3, R },
	{ "cpuid", "CPUID", pr_psr, IT_PROCESSOR, 5, R },
	{ "cputime", "TIME", pr_time, IT_TIMEALL, 8, R },
	{ "cputimes", "TIME", pr_times, IT_TIMEALL, 8, R },
	{ "egid", "EGID", pr_egid, IT_EGID, 5, R },
	{ "egroup", "EGROUP", pr_egroup, IT_EGROUP, 8, U },
	{ "etime", "ELAPSED", pr_etime, IT_ELAPSED, 11, R },
	{ "etimes", "ELAPSED", pr_etimes, IT_ELAPSED, 7, R },
	{ "euid", "EUID", pr_euid, IT_EUID, 5, R },
	{ "euser", "EUSER", pr_euser, IT_EUSER, 8, U },
	{ "f", "F", pr_flag, IT_FLAGS, 1, R },
	{ "fgid", "FGID", pr_fgid, IT_FLAGS, 5, R },	/* sic: procps */
	{ "fgroup", "FGROUP", pr_fgroup, IT_FGROUP, 8, U },
	{ "flag", "F", pr_flag, IT_FLAGS, 1, R },
	{ "flags", "F", pr_flag, IT_FLAGS, 1, R },
	{ "fname", "COMMAND", pr_fname, IT_CMD, 8, L },
	{ "fsgid", "FSGID", pr_fgid, IT_FGID, 5, R },
	{ "fsgroup", "FSGROUP", pr_fgroup, IT_FGROUP, 8, U },
	{ "fsuid", "FSUID", pr_fuid, IT_FUID, 5, R },
	{ "fsuser", "FSUSER", pr_fuser, IT_FUSER, 8, U },
	{ "fuid", "FUID", pr_fuid, IT_FUID, 5, R },
	{ "fuser", "FUSER", pr_fuser, IT_FUSER, 8, U },
	{ "gid", "GID", pr_egid, IT_EGID, 5, R },
	{ "group", "GROUP", pr_egroup, IT_EGROUP, 8, U },
	{ "intpri", "PRI", pr_opri, IT_PRIORITY, 3, R },
	{ "lastcpu", "C", pr_psr, IT_PROCESSOR, 3, R },
	{ "longtname", "TTY", pr_tty8, IT_TTYNAME, 8, L },
	{ "lstart", "STARTED", pr_lstart, IT_BEGAN, 24, R },
	{ "lwp", "LWP", pr_tasks, IT_TID, 5, PM | R },
	{ "ni", "NI", pr_nice, IT_NICE, 3, R },
	{ "nice", "NI", pr_nice, IT_NICE, 3, R },
	{ "nlwp", "NLWP", pr_nlwp, IT_NLWP, 4, R },
	{ "nwchan", "WCHAN", pr_nop, IT_NOOP, 6, R },
	{ "opri", "PRI", pr_opri, IT_PRIORITY, 3, R },
	{ "pcpu", "%CPU", pr_pcpu, IT_UTIL, 4, R },
	{ "pgid", "PGID", pr_pgid, IT_PGRP, 5, PM | R },
	{ "pgrp", "PGRP", pr_pgid, IT_PGRP, 5, PM | R },
	{ "pid", "PID", pr_procs, IT_TGID, 5, PM | R },
	{ "pmem", "%MEM", pr_pmem, IT_VMRSS, 4, R },
	{ "policy", "POL", pr_class, IT_SCHED, 3, L },
	{ "ppid", "PPID", pr_ppid, IT_PPID, 5, PM | R },
	{ "pri", "PRI", pr_pri, IT_PRIORITY, 3, R },
	{ "pri_api", "API", pr_pri_api, IT_PRIORITY, 3, R },
	{ "pri_bar", "BAR", pr_pri_bar, IT_PRIORITY, 3, R },
	{ "pri_baz", "BAZ", pr_pri_baz, IT_PRIORITY, 3, R },
	{ "pri_foo", "FOO", pr_pri_foo, IT_PRIORITY, 3, R },
	{ "priority", "PRI", pr_priority, IT_PRIORITY, 3, R },
	{ "psr", "PSR", pr_psr, IT_PROCESSOR, 3, R },
	{ "rgid", "RGID", pr_rgid, IT_RGID, 5, R },
	{ "rgroup", "RGROUP", pr_rgroup, IT_RGROUP, 8, U },
	{ "rss", "RSS", pr_rss, IT_VMRSS, 5, R },
	{ "rssize", "RSS", pr_rss, IT_VMRSS, 5, R },
	{ "rsz", "RSZ", pr_rss, IT_VMRSS, 5, R },
	{ "rtprio", "RTPRIO", pr_rtprio, IT_RTPRIO, 6, R },
	{ "ruid", "RUID", pr_ruid, IT_RUID, 5, R },
	{ "ruser", "RUSER", pr_ruser, IT_RUSER, 8, U },
	{ "s", "S", pr_s, IT_STATE, 1, L },
	{ "sched", "SCH", pr_sched, IT_SCHED, 3, R },
	{ "sess", "SESS", pr_sess, IT_SESSION, 5, PM | R },
	{ "session", "SESS", pr_sess, IT_SESSION, 5, PM | R },
	{ "sgi_p", "P", pr_sgi_p, IT_STATE, 1, R },
	{ "sgid", "SGID", pr_sgid, IT_SGID, 5, R },
	{ "sgroup", "SGROUP", pr_sgroup, IT_SGROUP, 8, U },
	{ "sid", "SID", pr_sess, IT_SESSION, 5, PM | R },
	{ "spid", "SPID", pr_tasks, IT_TID, 5, PM | R },
	{ "start", "STARTED", pr_start, IT_BEGAN, 8, R },
	{ "start_time", "START", pr_stime, IT_BEGAN, 5, R },
	{ "stat", "STAT", pr_stat, IT_STATE, 4, L },
	{ "state", "S", pr_s, IT_STATE, 1, L },
	{ "stime", "STIME", pr_stime, IT_BEGAN, 5, R },
	{ "suid", "SUID", pr_suid, IT_SUID, 5, R },
	{ "suser", "SUSER", pr_suser, IT_SUSER, 8, U },
	{ "svgid", "SVGID", pr_sgid, IT_SGID, 5, R },
	{ "svgroup", "SVGROUP", pr_sgroup, IT_SGROUP, 8, U },
	{ "svuid", "SVUID", pr_suid, IT_SUID, 5, R },
	{ "svuser", "SVUSER", pr_suser, IT_SUSER, 8, U },
	{ "sz", "SZ", pr_sz, IT_VMSIZE, 5, R },
	{ "tgid", "TGID", pr_procs, IT_TGID, 5, PM | R },
	{ "thcount", "THCNT", pr_nlwp, IT_NLWP, 5, R },
	{ "tid", "TID", pr_tasks, IT_TID, 5, PM | R },
	{ "time", "TIME", pr_time, IT_TIMEALL, 8, R },
	{ "times", "TIME", pr_times, IT_TIMEALL, 8, R },
	{ "tname", "TTY", pr_tty8, IT_TTYNAME, 8, L },
	{ "tpgid", "TPGID", pr_tpgid, IT_TPGID, 5, PM | R },
	{ "tt", "TT", pr_tty8, IT_TTYNAME, 8, L },
	{ "tty", "TT", pr_tty8, IT_TTYNAME, 8, L },
	{ "tty8", "TTY", pr_tty8, IT_TTYNAME, 8, L },
	{ "ucmd", "CMD", pr_comm, IT_CMD, 15, UL },
	{ "ucomm", "COMMAND", pr_comm, IT_CMD, 15, UL },
	{ "uid", "UID", pr_euid, IT_EUID, 5, R },
	{ "uid_hack", "UID", pr_euser, IT_EUSER, 8, U },
	{ "uname", "USER", pr_euser, IT_EUSER, 8, U },
	{ "user", "USER", pr_euser, IT_EUSER, 8, U },
	{ "util", "C", pr_c, IT_UTIL, 2, R },
	{ "vm_lock", "LCK", pr_nop, IT_LOCKED, 3, R },
	{ "vsize", "VSZ", pr_vsz, IT_VSIZE, 6, R },
	{ "vsz", "VSZ", pr_vsz, IT_VMSIZE, 6, R },
	{ "wchan", "WCHAN", pr_wchan, IT_WCHAN, 6, W },
	{ "wname", "WCHAN", pr_wchan, IT_WCHAN, 6, W },
};
#undef L
#undef R
#undef U
#undef W
#undef UL
#undef PM

/* procps macro_array entries whose columns are all in the table. */
static const struct {
	const char *name, *list;
} macros[] = {
	{ "DefBSD", "pid,tname,stat,bsdtime,args" },
	{ "DefSysV", "pid,tname,time,cmd" },
	{ "OL_j", "ppid,pid,pgid,sid,tname,tpgid,stat,uid,bsdtime,args" },
	{ "OL_l", "flags,uid,pid,ppid,priority,nice,vsz,rss,wchan,stat,tname,"
	    "bsdtime,args" },
	{ "OL_u", "user,pid,pcpu,pmem,vsz,rss,tname,stat,start_time,bsdtime,"
	    "args" },
	{ "Std_f", "uid_hack,pid,ppid,c,stime,tname,time,cmd" },
	{ "Std_fl", "f,s,uid_hack,pid,ppid,c,opri,ni,addr,sz,wchan,stime,tname,"
	    "time,cmd" },
	{ "Std_l", "f,s,uid,pid,ppid,c,opri,ni,addr,sz,wchan,tname,time,ucmd" },
};

static int
spec_cmp(const void *key, const void *elt)
{
	return strcmp(key, ((const struct ps_spec *)elt)->name);
}

static const struct ps_spec *
find_spec(const char *name)
{
	return bsearch(name, specs, sizeof(specs) / sizeof(specs[0]),
	    sizeof(specs[0]), spec_cmp);
}

/* ------------------------------------------------------------------ */
/* Building formats (procps do_one_spec, format_parse, fmt_add_after).  */

static int
make_col(struct ps_col *col, const struct ps_spec *s, int pid_len,
    const char *head)
{
	int w = s->width, hw;

	if (s->flags & F_PIDMAX) {
		hw = (int)strlen(s->head);
		w = pid_len > hw ? pid_len : hw;
	}
	if (head != NULL && (hw = (int)strlen(head)) > w)
		w = hw;
	if ((col->head = strdup(head != NULL ? head : s->head)) == NULL)
		return -1;
	col->spec = s;
	col->width = w;
	col->fixed = 0;
	return 0;
}

static int
insert_col(struct ps_format *f, int at, const struct ps_spec *s,
    const char *head, char *err, size_t errlen)
{
	if (f->n == PS_COLS_MAX) {
		snprintf(err, errlen, "more than %d columns", PS_COLS_MAX);
		return -1;
	}
	memmove(&f->col[at + 1], &f->col[at],
	    (size_t)(f->n - at) * sizeof(f->col[0]));
	if (make_col(&f->col[at], s, f->pid_len, head) == -1) {
		memmove(&f->col[at], &f->col[at + 1],
		    (size_t)(f->n - at) * sizeof(f->col[0]));
		snprintf(err, errlen, "%s", strerror(errno));
		return -1;
	}
	f->n++;
	return 0;
}

/* A column or a macro of columns; head overrides every header. */
static int
add_one(struct ps_format *f, const char *name, const char *head, int *cols,
    char *err, size_t errlen)
{
	const struct ps_spec *s;
	char sub[16];
	const char *p;
	size_t i, len;

	if ((s = find_spec(name)) != NULL) {
		*cols = 1;
		return insert_col(f, f->n, s, head, err, errlen);
	}
	for (i = 0; i < sizeof(macros) / sizeof(macros[0]); i++)
		if (strcmp(name, macros[i].name) == 0)
			break;
	if (i == sizeof(macros) / sizeof(macros[0])) {
		snprintf(err, errlen, "unknown user-defined format specifier "
		    "\"%s\"", name);
		return -1;
	}
	for (*cols = 0, p = macros[i].list; *p != '\0'; p += len) {
		len = strcspn(p, ",");
		snprintf(sub, sizeof(sub), "%.*s", (int)len, p);
		if ((s = find_spec(sub)) == NULL ||
		    insert_col(f, f->n, s, head, err, errlen) == -1)
			return -1;
		(*cols)++;
		len += p[len] == ',';
	}
	return 0;
}

int
psfmt_add_spec(struct ps_format *f, const char *spec, char *err,
    size_t errlen)
{
	int cols;

	return add_one(f, spec, NULL, &cols, err, errlen);
}

static int
is_sep(char ch)
{
	return ch == ' ' || ch == ',' || ch == '\t' || ch == '\n';
}

/*
 * Items between separators; -1 for an empty item (a leading or doubled
 * separator, or an empty list).  One trailing separator is cut off.
 */
static int
count_items(char *buf)
{
	int items = 0, need = 1;
	char *p = buf;

	do {
		if (*p == '\0' || is_sep(*p)) {
			if (need)
				return -1;
			need = 1;
		} else {
			if (need)
				items++;
			need = 0;
		}
	} while (*++p != '\0');
	if (need)
		p[-1] = '\0';
	return items;
}

/* ":N": decimal, no leading zero, positive; bounded by the line. */
static int
parse_width(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 6 || strspn(s, "0123456789") != n || *s == '0' ||
	    atoi(s) > PS_OUTBUF)
		return -1;
	return atoi(s);
}

/* One "name[:width][=header]" of a list; the last header may hold ','. */
static int
add_item(struct ps_format *f, char *item, char *err, size_t errlen)
{
	char *head, *colon;
	int width = 0, cols;

	if ((head = strchr(item, '=')) != NULL)
		*head++ = '\0';
	if ((colon = strchr(item, ':')) != NULL) {
		*colon++ = '\0';
		if ((width = parse_width(colon)) == -1) {
			snprintf(err, errlen, "column widths must be unsigned "
			    "decimal numbers");
			return -1;
		}
	}
	if (add_one(f, item, head, &cols, err, errlen) == -1)
		return -1;
	if (colon != NULL && cols > 1) {
		snprintf(err, errlen, "can not set width for a macro "
		    "(multi-column) format specifier");
		return -1;
	}
	if (colon != NULL) {
		f->col[f->n - 1].width = width;
		f->col[f->n - 1].fixed = 1;
	}
	return 0;
}

void
psfmt_pid_len(struct ps_format *f, int pid_len)
{
	int i, w;

	f->pid_len = pid_len;
	for (i = 0; i < f->n; i++) {
		if (f->col[i].fixed || !(f->col[i].spec->flags & F_PIDMAX))
			continue;
		w = (int)strlen(f->col[i].spec->head);
		if ((int)strlen(f->col[i].head) > w)
			w = (int)strlen(f->col[i].head);
		f->col[i].width = pid_len > w ? pid_len : w;
	}
}

int
psfmt_add_list(struct ps_format *f, const char *list, char *err,
    size_t errlen)
{
	char *buf, *walk, *sep;
	int items, rc = 0;

	if ((buf = strdup(list)) == NULL) {
		snprintf(err, errlen, "%s", strerror(errno));
		return -1;
	}
	if ((items = count_items(buf)) <= 0) {
		snprintf(err, errlen, "improper format list");
		free(buf);
		return -1;
	}
	for (walk = buf; rc == 0 && items-- > 0 && walk != NULL; ) {
		sep = strpbrk(walk, " ,\t\n");
		if (items > 0 && sep != NULL)
			*sep = '\0';
		rc = add_item(f, walk, err, errlen);
		walk = sep != NULL ? sep + 1 : NULL;
	}
	free(buf);
	return rc;
}

static int
find_head(const struct ps_format *f, const char *head)
{
	int i;

	for (i = 0; i < f->n; i++)
		if (strcmp(f->col[i].head, head) == 0)
			return i;
	return -1;
}

int
psfmt_add_after(struct ps_format *f, const char *head, const char *spec)
{
	char err[128];
	int at = find_head(f, head);

	if (at == -1 || find_spec(spec) == NULL)
		return 0;
	return insert_col(f, at + 1, find_spec(spec), NULL, err,
	    sizeof(err)) == 0;
}

int
psfmt_delete(struct ps_format *f, const char *head)
{
	int at = find_head(f, head);

	if (at == -1)
		return 0;
	free(f->col[at].head);
	memmove(&f->col[at], &f->col[at + 1],
	    (size_t)(f->n - at - 1) * sizeof(f->col[0]));
	f->n--;
	return 1;
}

void
psfmt_free(struct ps_format *f)
{
	int i;

	for (i = 0; i < f->n; i++)
		free(f->col[i].head);
	f->n = 0;
}

/* procps long_sort_parse: [+|-]name, any column name, no macros. */
int
psfmt_sort_list(struct ps_sort *s, const char *list, char *err,
    size_t errlen)
{
	char *buf, *walk, *sep, *name;
	int items, order;

	if ((buf = strdup(list)) == NULL) {
		snprintf(err, errlen, "%s", strerror(errno));
		return -1;
	}
	if ((items = count_items(buf)) <= 0) {
		snprintf(err, errlen, "improper sort list");
		free(buf);
		return -1;
	}
	for (walk = buf; items-- > 0; walk = sep + 1) {
		if ((sep = strpbrk(walk, " ,\t\n")) != NULL)
			*sep = '\0';
		name = walk + (*walk == '-' || *walk == '+');
		order = *walk == '-' ? -1 : 1;
		if (s->n == PS_SORT_MAX || find_spec(name) == NULL) {
			snprintf(err, errlen, s->n == PS_SORT_MAX ?
			    "too many sort keys" : "unknown sort specifier");
			free(buf);
			return -1;
		}
		s->key[s->n].spec = find_spec(name);
		s->key[s->n++].order = order;
		if (sep == NULL)
			break;
	}
	free(buf);
	return 0;
}

int
psfmt_needs_cmdline(const struct ps_format *f, const struct ps_sort *s,
    int unix_f)
{
	int i;

	for (i = 0; i < f->n; i++)
		if (f->col[i].spec->sr == IT_CMDLINE ||
		    (unix_f && f->col[i].spec->pr == pr_comm))
			return 1;
	for (i = 0; s != NULL && i < s->n; i++)
		if (s->key[i].spec->sr == IT_CMDLINE)
			return 1;
	return 0;
}

int
psfmt_needs_wchan(const struct ps_format *f, const struct ps_sort *s)
{
	int i;

	for (i = 0; i < f->n; i++)
		if (f->col[i].spec->sr == IT_WCHAN)
			return 1;
	for (i = 0; s != NULL && i < s->n; i++)
		if (s->key[i].spec->sr == IT_WCHAN)
			return 1;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Sorting: each key's value computed once, then one stable sort.      */

enum vtype { V_INT, V_UINT, V_REAL, V_STR };

struct keyval {
	enum vtype type;
	union {
		long long i;
		unsigned long long u;
		double d;
		char *s;
	} v;
};

static int
key_int(const struct sym_task *t, enum item it, long long *v)
{
	switch (it) {
	case IT_TGID:		*v = t->pid; break;
	case IT_TID:		*v = t->tid; break;
	case IT_PPID:		*v = t->ppid; break;
	case IT_PGRP:		*v = t->pgrp; break;
	case IT_SESSION:	*v = t->session; break;
	case IT_TPGID:		*v = t->tpgid; break;
	case IT_STATE:		*v = (signed char)t->state; break;
	case IT_NICE:		*v = (int)t->nice; break;
	case IT_PRIORITY:	*v = (int)t->priority; break;
	case IT_RTPRIO:		*v = (int)t->rt_priority; break;
	case IT_SCHED:		*v = (int)t->policy; break;
	case IT_NLWP:		*v = nlwp_of(t); break;
	case IT_PROCESSOR:	*v = t->processor; break;
	default:		return 0;
	}
	return 1;
}

static int
key_uint(const struct ps_ctx *c, const struct sym_task *t, enum item it,
    unsigned long long *v)
{
	switch (it) {
	case IT_FLAGS:		*v = t->flags; break;
	case IT_EUID:		*v = t->uid[SYM_UID_EFF]; break;
	case IT_RUID:		*v = t->uid[SYM_UID_REAL]; break;
	case IT_SUID:		*v = t->uid[SYM_UID_SAVED]; break;
	case IT_FUID:		*v = t->uid[SYM_UID_FS]; break;
	case IT_EGID:		*v = t->gid[SYM_UID_EFF]; break;
	case IT_RGID:		*v = t->gid[SYM_UID_REAL]; break;
	case IT_SGID:		*v = t->gid[SYM_UID_SAVED]; break;
	case IT_FGID:		*v = t->gid[SYM_UID_FS]; break;
	case IT_VMRSS:		*v = vm_rss_kb(c, t); break;
	case IT_VMSIZE:		*v = vm_size_kb(t); break;
	case IT_VSIZE:		*v = t->vsize; break;
	case IT_BEGAN:		*v = t->start_time; break;
	case IT_TICSALL:	*v = tics_all(t); break;
	case IT_LOCKED:		*v = t->vm_lock_kb; break;
	default:		return 0;
	}
	return 1;
}

static const char *
key_str(struct ps_ctx *c, const struct sym_task *t, enum item it)
{
	switch (it) {
	case IT_EUSER:	return user_of(c, t, SYM_UID_EFF);
	case IT_RUSER:	return user_of(c, t, SYM_UID_REAL);
	case IT_SUSER:	return user_of(c, t, SYM_UID_SAVED);
	case IT_FUSER:	return user_of(c, t, SYM_UID_FS);
	case IT_EGROUP:	return group_of(c, t, SYM_UID_EFF);
	case IT_RGROUP:	return group_of(c, t, SYM_UID_REAL);
	case IT_SGROUP:	return group_of(c, t, SYM_UID_SAVED);
	case IT_FGROUP:	return group_of(c, t, SYM_UID_FS);
	case IT_CMD:	return comm_of(c, t);
	case IT_CMDLINE: return cmdline_of(c, t);
	case IT_WCHAN:	return wchan_of(t);
	case IT_TTYNAME: return tty_of(c, t);
	default:	return NULL;
	}
}

static int
key_value(struct ps_ctx *c, const struct sym_task *t, enum item it,
    struct keyval *kv)
{
	const char *s;

	kv->type = V_INT;
	kv->v.i = 0;
	if (key_int(t, it, &kv->v.i))
		return 0;
	kv->type = V_UINT;
	if (key_uint(c, t, it, &kv->v.u))
		return 0;
	kv->type = V_REAL;
	if (it == IT_UTIL || it == IT_TIMEALL || it == IT_ELAPSED) {
		kv->v.d = it == IT_UTIL ? utilization(c, t) :
		    it == IT_TIMEALL ? time_all(c, t) : elapsed(c, t);
		return 0;
	}
	if ((s = key_str(c, t, it)) == NULL) {
		kv->type = V_INT;	/* IT_NOOP: all equal */
		return 0;
	}
	kv->type = V_STR;
	return (kv->v.s = strdup(s)) == NULL ? -1 : 0;
}

struct sortrec {
	const struct sym_task *t;
	size_t index;
	struct keyval *kv;
};

static const struct ps_sort *cmp_keys;	/* qsort passes no context */

static int
cmp_val(const struct keyval *a, const struct keyval *b)
{
	switch (a->type) {
	case V_INT:
		return (a->v.i > b->v.i) - (a->v.i < b->v.i);
	case V_UINT:
		return (a->v.u > b->v.u) - (a->v.u < b->v.u);
	case V_REAL:
		return (a->v.d > b->v.d) - (a->v.d < b->v.d);
	default:
		return strcoll(a->v.s, b->v.s);
	}
}

static int
cmp_rec(const void *pa, const void *pb)
{
	const struct sortrec *a = pa, *b = pb;
	int i, r;

	for (i = 0; i < cmp_keys->n; i++)
		if ((r = cmp_val(&a->kv[i], &b->kv[i])) != 0)
			return cmp_keys->key[i].order * (r > 0 ? 1 : -1);
	return (a->index > b->index) - (a->index < b->index);
}

static void
free_keys(struct keyval *kv, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (kv[i].type == V_STR)
			free(kv[i].v.s);
	free(kv);
}

/*
 * procps sorts by the last key first and by the first key last, each a
 * stable sort (glibc's qsort is a merge sort): the same as one sort on
 * all keys in order, ties kept in list order.
 */
int
psfmt_sort(struct ps_ctx *c, const struct ps_sort *s,
    const struct sym_task **v, size_t n)
{
	struct sortrec *rec;
	struct keyval *kv;
	size_t i;
	int k, rc = 0;

	if (s->n == 0 || n < 2)
		return 0;
	rec = calloc(n, sizeof(*rec));
	kv = calloc(n * (size_t)s->n, sizeof(*kv));
	if (rec == NULL || kv == NULL) {
		free(rec);
		free(kv);
		return -1;
	}
	for (i = 0; i < n; i++) {
		rec[i].t = v[i];
		rec[i].index = i;
		rec[i].kv = kv + i * (size_t)s->n;
		for (k = 0; rc == 0 && k < s->n; k++)
			rc = key_value(c, v[i], s->key[k].spec->sr,
			    &rec[i].kv[k]);
	}
	if (rc == 0) {
		cmp_keys = s;
		qsort(rec, n, sizeof(*rec), cmp_rec);
		for (i = 0; i < n; i++)
			v[i] = rec[i].t;
	}
	free_keys(kv, n * (size_t)s->n);
	free(rec);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Printing (procps check_header_width and show_one_proc).             */

/* The line is a multiple of the screen width wide enough for all. */
static unsigned
active_cols(const struct ps_format *f, int screen_cols)
{
	unsigned total = 0, i, cols;
	int k;

	for (k = 0; k < f->n; k++) {
		if ((f->col[k].spec->flags & J_MASK) == J_UNLIMITED &&
		    k == f->n - 1)
			total += 3;
		else
			total += (unsigned)f->col[k].width;
		total += k > 0;
	}
	for (i = 1;; i++) {
		cols = (unsigned)screen_cols * i;
		if (cols >= total || cols >= PS_OUTBUF / 2)
			return cols;
	}
}

const char *
psfmt_comm(struct ps_ctx *c, const struct sym_task *t)
{
	return comm_of(c, t);
}

/* The buffers and the locale every context needs, format or not. */
static struct ps_ctx *
ctx_new(void)
{
	struct ps_ctx *c;
	const char *enc = nl_langinfo(CODESET);

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	c->line = malloc(SPACE_AMOUNT + PS_OUTBUF + 2);
	c->raw = malloc(LIB_BUFSZ);
	c->cmdl = malloc(LIB_BUFSZ);
	if (c->line == NULL || c->raw == NULL || c->cmdl == NULL) {
		psfmt_close(c);
		return NULL;
	}
	c->utf8 = enc != NULL && strcasecmp(enc, "UTF-8") == 0;
	return c;
}

struct ps_ctx *
psfmt_open_text(void)
{
	return ctx_new();
}

const char *
psfmt_cmdline(struct ps_ctx *c, const struct sym_task *t)
{
	return cmdline_of(c, t);
}

struct ps_ctx *
psfmt_open(const struct ps_format *f, const struct ps_opts *o,
    const struct sym_psinfo *info)
{
	struct ps_ctx *c;
	int i;

	if (info->hz <= 0 || f->n == 0 || (c = ctx_new()) == NULL)
		return NULL;
	memset(c->line, ' ', SPACE_AMOUNT);
	c->out = c->line + SPACE_AMOUNT;
	c->fmt = f;
	c->o = *o;
	c->info = *info;
	c->boot_tics = (unsigned long long)(info->uptime * (double)info->hz);
	c->now = (time_t)info->now;
	c->active_cols = active_cols(f, o->screen_cols);
	/* No header at all when every column's header is empty (Unix98). */
	for (i = 0; o->header && i < f->n; i++)
		if (f->col[i].head[0] != '\0')
			c->header_due = 1;
	return c;
}

void
psfmt_close(struct ps_ctx *c)
{
	struct driver *d, *next;

	if (c == NULL)
		return;
	free_names(c->users);
	free_names(c->groups);
	for (d = c->drivers; d != NULL; d = next) {
		next = d->next;
		free(d);
	}
	free(c->line);
	free(c->raw);
	free(c->cmdl);
	free(c);
}

/* Room for the last column; procps's unsigned arithmetic: none left is
 * 0, but overrun (negative) wraps and means the whole buffer. */
static unsigned
room_last(const struct ps_ctx *c, int correct, int actual, int *tmpspace,
    int dospace)
{
	long rem;

	*tmpspace = correct - actual;
	if (*tmpspace < 1) {
		*tmpspace = dospace;
		rem = (long)c->active_cols - actual - *tmpspace;
	} else
		rem = (long)c->active_cols -
		    (correct > actual ? correct : actual);
	if (rem == 0)
		return 0;
	return (rem < 0 || rem >= PS_OUTBUF) ? PS_OUTBUF - 1 : (unsigned)rem;
}

/* Padding to the left of the column; may cut a column that has no room. */
static int
leftpad(const struct ps_ctx *c, const struct ps_col *col, int amount,
    long rem)
{
	int pad = col->width - amount;

	switch (col->spec->flags & J_MASK) {
	case J_RIGHT:
		return pad > 0 ? pad : 0;
	case J_USER:
		return c->o.user_is_number && pad > 0 ? pad : 0;
	case J_WCHAN:
		if (c->o.wchan_is_number)
			return pad > 0 ? pad : 0;
		/* FALLTHROUGH */
	case J_UNLIMITED:
		if (rem == 0)		/* unsigned "< 1" in procps */
			c->out[1] = '\0';
		return 0;
	default:
		return 0;
	}
}

static int
column_text(struct ps_ctx *c, const struct ps_col *col,
    const struct sym_task *t)
{
	int amount;

	if (t != NULL)
		amount = col->spec->pr(c, t, c->out);
	else
		amount = snprintf(c->out, PS_OUTBUF, "%s", col->head);
	if (amount < 0)
		c->out[amount = 0] = '\0';
	else if (amount >= PS_OUTBUF)
		c->out[amount = PS_OUTBUF - 1] = '\0';
	return amount;
}

static void
show_line(struct ps_ctx *c, const struct sym_task *t)
{
	const struct ps_format *f = c->fmt;
	int correct = 0, actual = 0, dospace = 0, tmpspace, amount, space, k;
	size_t sz;

	for (k = 0; k < f->n; k++) {
		const struct ps_col *col = &f->col[k];
		int last = k == f->n - 1;

		tmpspace = 0;
		c->maxr = last ? room_last(c, correct, actual, &tmpspace,
		    dospace) : (unsigned)col->width;
		amount = column_text(c, col, t);
		space = correct - actual + leftpad(c, col, amount,
		    (long)c->active_cols - actual - tmpspace);
		if (space < 1)
			space = dospace;
		if (space > SPACE_AMOUNT)
			space = SPACE_AMOUNT;
		c->out[PS_OUTBUF - 1] = '\0';
		sz = strlen(c->out);
		if (last)
			c->out[sz++] = '\n';
		fwrite(c->out - space, (size_t)space + sz, 1, stdout);
		actual += space + amount;
		correct += col->width + 1;
		dospace = 1;
	}
}

void
psfmt_header(struct ps_ctx *c)
{
	if (c->header_due) {
		c->header_due = 0;
		show_line(c, NULL);
	}
}

void
psfmt_row(struct ps_ctx *c, const struct sym_task *t)
{
	psfmt_header(c);
	show_line(c, t);
}
