/*
 * kw: w(1) on the task list read out of kernel memory (or /proc): the
 * uptime line, then per utmp login its tty, origin, login time, idle time,
 * the CPU time of everything on that tty (JCPU), of the current process
 * (PCPU) and what that process is.  Printed as procps-ng 4.0 w prints it.
 */
#include "config.h"

#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <locale.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <utmp.h>

#include "common.h"
#include "ps/psfmt.h"
#include "uptimefmt.h"

#define MAX_CMD_WIDTH	512
#define MIN_CMD_WIDTH	7

struct wopts {
	int header, longform, from, oldstyle, ignoreuser;
	int userlen, fromlen, maxcmd;
	const char *user;
	const char *utmp;	/* --utmp; NULL: the system's */
	int dead;		/* a dump: no utmp unless one is named */
};

enum { OPT_UTMP = OPT_TOOL };

static void
usage(int status)
{
	fprintf(status ? stderr : stdout,
	    "usage: %s [-hsufo] [-M core] [-N namelist] [--btf file] "
	    "[--source=...] [--utmp file] [--explain] [user]\n",
	    program_invocation_short_name);
	exit(status);
}

/* The tty's device number, as procps finds it under /dev. */
static long
tty_device(const char *name)
{
	static const char *const dir[] = { "/dev/", "/dev/tty", "/dev/pts/" };
	char path[64];
	struct stat st;
	size_t i;

	if (name[0] == '/' && stat(name, &st) == 0)
		return (long)st.st_rdev;
	for (i = 0; i < sizeof(dir) / sizeof(dir[0]); i++) {
		snprintf(path, sizeof(path), "%s%s", dir[i], name);
		if (stat(path, &st) == 0)
			return (long)st.st_rdev;
	}
	return -1;
}

/*
 * procps's find_best_proc: JCPU sums the tty's processes; WHAT is the
 * newest process in the tty's foreground group owned by the user, or the
 * login process.  Returns 0 for a stale utmp entry.
 */
static int
best_proc(const struct wopts *o, const struct utmp *u, const char *tty,
    const struct sym_tasks *ts, struct ps_ctx *px, unsigned long long *jcpu,
    unsigned long long *pcpu, char *cmd, size_t cmdlen)
{
	unsigned long long best = 0, second = 0;
	char name[UT_NAMESIZE + 1];
	struct passwd *pw;
	unsigned uid = ~0U;
	long line;
	size_t i;
	int found = 0;

	*jcpu = *pcpu = 0;
	if (!o->ignoreuser) {
		snprintf(name, sizeof(name), "%.*s", UT_NAMESIZE, u->ut_user);
		if ((pw = getpwnam(name)) == NULL)
			return 0;
		uid = pw->pw_uid;
	}
	line = tty_device(tty);
	for (i = 0; i < ts->n; i++) {
		const struct sym_task *t = &ts->task[i];
		unsigned long long tics = t->utime + t->stime;

		if (t->pid == u->ut_pid) {
			found = 1;
			if (!best) {
				best = t->start_time;
				snprintf(cmd, cmdlen, "%s",
				    psfmt_cmdline(px, t));
				*pcpu = tics;
			}
		}
		if ((long)t->tty_nr != line)
			continue;
		*jcpu += tics;
		if (!(second && t->start_time <= second)) {
			second = t->start_time;
			if (strcmp(cmd, "-") == 0) {
				snprintf(cmd, cmdlen, "%s",
				    psfmt_cmdline(px, t));
				*pcpu = tics;
			}
		}
		if ((!o->ignoreuser && uid != t->uid[SYM_UID_EFF] &&
		    uid != t->uid[SYM_UID_REAL]) || t->pgrp != t->tpgid ||
		    t->start_time <= best)
			continue;
		best = t->start_time;
		snprintf(cmd, cmdlen, "%s", psfmt_cmdline(px, t));
		*pcpu = tics;
	}
	return found;
}

/* Seven columns for an interval, as procps's print_time_ival7. */
static void
ival7(long long t, int centi, int oldstyle)
{
	if (t < 0)
		fputs("   ?   ", stdout);
	else if (t >= 48 * 60 * 60)
		printf(" %2lldays", t / (24 * 60 * 60));
	else if (t >= 60 * 60)
		printf(oldstyle ? " %2lld:%02d " : " %2lld:%02dm", t / 3600,
		    (int)((t / 60) % 60));
	else if (t > 60)
		printf(oldstyle ? " %2lld:%02dm" : " %2lld:%02d ", t / 60,
		    (int)(t % 60));
	else if (oldstyle)
		fputs("       ", stdout);
	else
		printf(" %2lld.%02ds", t, centi);
}

static void
login_time(time_t logt, time_t now)
{
	struct tm cur, lt;
	char s[16];

	localtime_r(&now, &cur);
	localtime_r(&logt, &lt);
	if (now - logt > 12 * 60 * 60 && lt.tm_yday != cur.tm_yday) {
		if (now - logt > 6 * 24 * 60 * 60) {
			strftime(s, sizeof(s), "%b", &lt);
			printf(" %02d%3s%02d", lt.tm_mday, s, lt.tm_year % 100);
		} else {
			strftime(s, sizeof(s), "%a", &lt);
			printf(" %3s%02d  ", s, lt.tm_hour);
		}
	} else
		printf(" %02d:%02d  ", lt.tm_hour, lt.tm_min);
}

/* The origin: printable up to a space or control, padded. */
static void
from_host(const char *host, int fromlen)
{
	int i, width = 0;

	for (i = 0; i < fromlen && i < UT_HOSTSIZE && host[i] != '\0'; i++) {
		if (isprint((unsigned char)host[i]) && host[i] != ' ') {
			putchar(host[i]);
			width++;
		} else {
			putchar('-');
			width++;
			break;
		}
	}
	if (!width) {
		putchar('-');
		width++;
	}
	while (width++ < fromlen)
		putchar(' ');
}

/* A dead kernel's idle time from its tty inodes; -1 ("?") if unknown. */
static long long
dead_idle(sym_t *h, const char *line, time_t now)
{
	int64_t atime;

	if (sym_source(h) == SYM_SRC_PROC ||
	    sym_tty_atime(h, line, &atime) != 0)
		return -1;
	return (long long)(now - atime);
}

static void
show(const struct wopts *o, const struct utmp *u, const struct sym_tasks *ts,
    struct ps_ctx *px, time_t now, long hz, sym_t *h)
{
	char tty[5 + UT_LINESIZE + 1] = "/dev/", cmd[MAX_CMD_WIDTH + 1] = "-";
	unsigned long long jcpu, pcpu;
	struct stat st;
	int i;

	for (i = 0; i < UT_LINESIZE; i++)
		tty[i + 5] = isalnum((unsigned char)u->ut_line[i]) ||
		    u->ut_line[i] == '/' ? u->ut_line[i] : '\0';
	tty[5 + UT_LINESIZE] = '\0';
	if (!best_proc(o, u, tty + 5, ts, px, &jcpu, &pcpu, cmd, sizeof(cmd)))
		return;
	printf("%-*.*s%-9.8s", o->userlen + 1, o->userlen, u->ut_user,
	    u->ut_line);
	if (o->from)
		from_host(u->ut_host, o->fromlen);
	if (o->longform)
		login_time(u->ut_tv.tv_sec, now);
	if (u->ut_line[0] == ':')
		fputs(" ?xdm? ", stdout);
	else if (o->dead)	/* a dump's /dev is in the dump */
		ival7(dead_idle(h, tty + 5, now), 0, o->oldstyle);
	else
		ival7(stat(tty, &st) == 0 ? (long long)(now - st.st_atime) : 0,
		    0, o->oldstyle);
	if (o->longform) {
		ival7((long long)(jcpu / (unsigned long long)hz),
		    (int)((jcpu % (unsigned long long)hz) * (100. / hz)),
		    o->oldstyle);
		if (pcpu > 0)
			ival7((long long)(pcpu / (unsigned long long)hz),
			    (int)((pcpu % (unsigned long long)hz) * (100. / hz)),
			    o->oldstyle);
		else
			fputs("   ?   ", stdout);
	}
	printf(" %.*s\n", o->maxcmd, cmd);
}

/* The WHAT column gets what the terminal leaves, as procps computes it. */
static int
cmd_width(const struct wopts *o)
{
	struct winsize win;
	const char *p;
	int w;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &win) != -1 && win.ws_col > 0)
		w = win.ws_col;
	else if ((p = getenv("COLUMNS")) != NULL)
		w = atoi(p);
	else
		w = MAX_CMD_WIDTH;
	w = w < MIN_CMD_WIDTH ? MIN_CMD_WIDTH : w > MAX_CMD_WIDTH ?
	    MAX_CMD_WIDTH : w;
	w -= 21 + o->userlen + (o->from ? o->fromlen : 0) +
	    (o->longform ? 20 : 0);
	return w < MIN_CMD_WIDTH ? MIN_CMD_WIDTH : w > MAX_CMD_WIDTH ?
	    MAX_CMD_WIDTH : w;
}

static void
env_width(const char *name, int *v, int lo, int hi, int dflt)
{
	const char *e = getenv(name);

	if (e == NULL)
		return;
	*v = atoi(e);
	if (*v < lo || *v > hi) {
		warnx("%s must be between %d and %d, ignoring", name, lo, hi);
		*v = dflt;
	}
}

/* Returns the clock the line showed: the idle times are counted to it. */
static time_t
header(const struct wopts *o, sym_t *h)
{
	struct sym_uptime up;
	struct sym_loadavg la;

	if (sym_uptime(h, &up) == -1 || sym_loadavg(h, &la) == -1)
		errx(1, "%s", sym_geterr(h));
	uptime_line(&up, &la, o->dead && o->utmp == NULL ? 0 :
	    utmp_users(o->utmp));
	printf("%-*s TTY      ", o->userlen, "USER");
	if (o->from)
		printf("%-*s", o->fromlen - 1, "FROM");
	fputs(o->longform ? "  LOGIN@   IDLE   JCPU   PCPU WHAT\n" :
	    "   IDLE WHAT\n", stdout);
	return up.live ? time(NULL) : dump_time(up.now);
}

/* The utmp entries w shows, in utmp's order: a dump's users are in its
 * saved utmp (--utmp), never in this system's. */
static size_t
logins(const struct wopts *o, struct utmp **out)
{
	struct utmp *u, *n;
	size_t cnt = 0;

	*out = NULL;
	if (o->dead && o->utmp == NULL)
		return 0;
	if (o->utmp != NULL && utmpname(o->utmp) == -1)
		err(1, "%s", o->utmp);
	setutent();
	while ((u = getutent()) != NULL) {
		if (u->ut_type != USER_PROCESS)
			continue;
		if (o->user ? strncmp(u->ut_user, o->user, UT_NAMESIZE) != 0 :
		    u->ut_user[0] == '\0')
			continue;
		if ((n = reallocarray(*out, cnt + 1, sizeof(*n))) == NULL)
			err(1, "utmp");
		*out = n;
		n[cnt++] = *u;
	}
	endutent();
	return cnt;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "no-header", no_argument, NULL, 'h' },
		{ "no-current", no_argument, NULL, 'u' },
		{ "short", no_argument, NULL, 's' },
		{ "from", no_argument, NULL, 'f' },
		{ "old-style", no_argument, NULL, 'o' },
		{ "utmp", required_argument, NULL, OPT_UTMP },
		COMMON_LONG,
		{ NULL, 0, NULL, 0 }
	};
	struct wopts o = { .header = 1, .longform = 1, .from = 1,
	    .userlen = 8, .fromlen = 16 };
	struct common co = { 0 };
	struct sym_psinfo ps;
	struct sym_tasks ts = { 0 };
	struct ps_ctx *px = NULL;
	struct utmp *us = NULL;
	size_t i, n;
	time_t now;
	int c;
	sym_t *h;

	setlocale(LC_ALL, "");	/* the WHAT column is escaped for it */
	/* -h is w's --no-header, so help is only --help here. */
	while ((c = getopt_long(argc, argv, "husfoM:N:V", longopts,
	    NULL)) != -1) {
		switch (c) {
		case 'h':
			o.header = 0;
			continue;
		case 'u':
			o.ignoreuser = 1;
			continue;
		case 's':
			o.longform = 0;
			continue;
		case 'f':
			o.from = !o.from;
			continue;
		case 'o':
			o.oldstyle = 1;
			continue;
		case OPT_UTMP:
			o.utmp = optarg;
			continue;
		}
		if (!common_option(&co, c == OPT_HELP ? 'h' : c, optarg, usage))
			usage(2);
	}
	if (optind < argc)
		o.user = argv[optind];
	env_width("PROCPS_USERLEN", &o.userlen, 8, UT_NAMESIZE, 8);
	env_width("PROCPS_FROMLEN", &o.fromlen, 8, UT_HOSTSIZE, 16);
	o.maxcmd = cmd_width(&o);
	h = common_open(&co);
	/* A dump's users are in its saved utmp, not in this system's. */
	o.dead = sym_source(h) == SYM_SRC_CORE;
	now = o.header ? header(&o, h) : 0;
	/* Nobody logged in: w reads no process, nor do we. */
	if ((n = logins(&o, &us)) == 0)
		goto done;
	if (sym_tasks(h, SYM_TASKS_CMDLINE, &ts) == -1 ||
	    sym_psinfo(h, &ps) == -1)
		errx(1, "%s", sym_geterr(h));
	if (!o.header)
		now = dump_time(ps.now);
	if ((px = psfmt_open_text()) == NULL)
		err(1, "psfmt_open_text");
	for (i = 0; i < n; i++)
		show(&o, &us[i], &ts, px, now, ps.hz, h);
done:
	psfmt_close(px);
	sym_tasks_free(&ts);
	free(us);
	sym_close(h);
	return 0;
}
