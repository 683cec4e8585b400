/*
 * kcapture: write a fixture from a live kernel, or cut one from a dump
 * (-M).  The tools' own queries run through a recording source; the pages
 * they read, the symbols and struct members they used, and (live) the
 * /proc and procps truth of the same moment are written to a temporary
 * directory, renamed into place only when complete, so a crash never
 * leaves half a fixture.  A dump's truth is whatever was recorded when it
 * was taken: kcapture cannot know it, and writes none.
 */
#include "config.h"

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include <utmp.h>

#include "common.h"

#define TRIES 10

static void
usage(int status)
{
	fprintf(status ? stderr : stdout,
	    "usage: %s [-M core [--utmp file]] [-N namelist] [--btf file] "
	    "[--source=...] [--explain] [--mmap] [-t] -o dir\n",
	    program_invocation_short_name);
	exit(status);
}

/* dir/name, or exit: a fixture is never written to a truncated path. */
static void
join(char *path, size_t len, const char *dir, const char *name)
{
	if ((size_t)snprintf(path, len, "%s/%s", dir, name) >= len)
		errx(1, "%s/%s: path too long", dir, name);
}

static void
write_file(const char *dir, const char *name, const char *text)
{
	char path[PATH_MAX];
	FILE *fp;

	join(path, sizeof(path), dir, name);
	if ((fp = fopen(path, "wxe")) == NULL)
		err(1, "%s", path);
	fputs(text, fp);
	if (fclose(fp) == EOF)
		err(1, "%s", path);
}

static void
copy_file(const char *from, const char *dir, const char *name)
{
	char buf[8192], path[PATH_MAX];
	FILE *in, *out;
	size_t n;

	if ((in = fopen(from, "re")) == NULL)
		return;
	join(path, sizeof(path), dir, name);
	if ((out = fopen(path, "wxe")) == NULL)
		err(1, "%s", path);
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		fwrite(buf, 1, n, out);
	fclose(in);
	if (fclose(out) == EOF)
		err(1, "%s", path);
}

/* Output of a procps command, or "" when procps is not installed. */
static void
run(const char *cmd, char *out, size_t len)
{
	FILE *fp;
	size_t n;

	out[0] = '\0';
	if ((fp = popen(cmd, "r")) == NULL)
		return;
	n = fread(out, 1, len - 1, fp);
	out[n] = '\0';
	if (pclose(fp) != 0)
		out[0] = '\0';
}

static void
slurp(const char *path, char *out, size_t len)
{
	FILE *fp;
	size_t n = 0;

	if ((fp = fopen(path, "re")) != NULL) {
		n = fread(out, 1, len - 1, fp);
		fclose(fp);
	}
	out[n] = '\0';
}

/* The three averages: the text up to the third space. */
static int
same_loads(const char *a, const char *b)
{
	size_t n = 0;
	int spaces = 0;

	while (a[n] != '\0' && spaces < 3)
		if (a[n++] == ' ')
			spaces++;
	return spaces == 3 && strncmp(a, b, n) == 0;
}

/* procps's output of the same moment, for the process table (-t). */
static const struct {
	const char *file, *cmd;
} ps_truth[] = {
	{ "ps-ef.out", "ps -ef" },
	{ "ps-aux.out", "ps aux" },
	{ "ps-el.out", "ps -el" },
	{ "ps-eLf.out", "ps -eLf" },
	{ "ps-ej.out", "ps -ej" },
	{ "ps-o.out", "ps -eo pid,ppid,uid,user,stat,ni,pri,tty,time,stime,vsz,rss,nlwp,comm,args" },
};
#define NTRUTH (sizeof(ps_truth) / sizeof(ps_truth[0]))

struct truth {
	char loadavg[128], uptime[128], up[256], up_p[256], up_s[128];
	char w[4096], ps[NTRUTH][65536];
};

static int with_tasks;
static const char *utmp_file;	/* --utmp; live: the system's */

/* What kw reads for a dump: each login's terminal idle time. */
static void
capture_ttys(sym_t *h)
{
	struct utmp u;
	char line[UT_LINESIZE + 1];
	int64_t atime;
	FILE *fp;

	if (utmp_file == NULL || (fp = fopen(utmp_file, "re")) == NULL)
		return;
	while (fread(&u, sizeof(u), 1, fp) == 1) {
		if (u.ut_type != USER_PROCESS)
			continue;
		snprintf(line, sizeof(line), "%.*s", UT_LINESIZE, u.ut_line);
		if (sym_tty_atime(h, line, &atime) == -1)
			warnx("%s: %s", line, sym_geterr(h));
	}
	fclose(fp);
}

/* The tools' queries, through the recording source. */
static void
queries(sym_t *h, struct sym_uptime *up)
{
	struct sym_loadavg la;
	struct sym_tasks ts = { 0 };
	struct sym_psinfo ps;

	if (sym_uptime(h, up) == -1 || sym_loadavg(h, &la) == -1)
		errx(1, "%s", sym_geterr(h));
	if (with_tasks && (sym_tasks(h, SYM_TASKS_THREADS | SYM_TASKS_CMDLINE |
	    SYM_TASKS_WCHAN, &ts) == -1 || sym_psinfo(h, &ps) == -1))
		errx(1, "%s", sym_geterr(h));
	sym_tasks_free(&ts);
}

/* A dump holds still: one pass of the tools' queries is the capture. */
static sym_t *
from_dump(struct common *co)
{
	struct sym_uptime up;
	sym_t *h = common_open(co);

	queries(h, &up);
	if (with_tasks)
		capture_ttys(h);
	return h;
}

/*
 * One attempt: the symbols are loaded first (parsing kallsyms is slow);
 * then /proc, the tools' queries, /proc again and procps uptime.  It
 * counts only if the 5 s load window did not move and the kernel's clock,
 * the reads and procps's clock line all fell in one second, so the
 * recorded truth is the fixture's moment.
 */
static sym_t *
attempt(struct common *co, struct truth *t)
{
	struct sym_uptime up;
	struct sym_info si;
	char before[128], after[128];
	time_t t0, t1;
	size_t i;
	sym_t *h;

	h = common_open(co);
	if (sym_source(h) == SYM_SRC_PROC)
		errx(1, "no kernel memory to capture: %s", sym_refusals(h));
	if (sym_lookup(h, "avenrun", &si) == -1)
		errx(1, "%s", sym_geterr(h));
	slurp("/proc/loadavg", before, sizeof(before));
	t0 = time(NULL);
	queries(h, &up);
	slurp("/proc/loadavg", t->loadavg, sizeof(t->loadavg));
	slurp("/proc/uptime", t->uptime, sizeof(t->uptime));
	run("uptime", t->up, sizeof(t->up));
	if (with_tasks)
		run("w", t->w, sizeof(t->w));
	t1 = time(NULL);
	run("uptime -p", t->up_p, sizeof(t->up_p));
	run("uptime -s", t->up_s, sizeof(t->up_s));
	for (i = 0; with_tasks && i < NTRUTH; i++)
		run(ps_truth[i].cmd, t->ps[i], sizeof(t->ps[i]));
	slurp("/proc/loadavg", after, sizeof(after));
	if (t0 == t1 && t0 == (time_t)up.now && same_loads(before, after))
		return h;
	sym_close(h);
	return NULL;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "tasks", no_argument, NULL, 't' },
		{ "utmp", required_argument, NULL, OPT_TOOL },
		COMMON_LONG,
		{ NULL, 0, NULL, 0 }
	};
	struct common co = { 0 };
	static struct truth t;
	struct utsname u;
	char tmp[PATH_MAX], info[1024], *out = NULL, *slash;
	int c, i;
	sym_t *h = NULL;

	while ((c = getopt_long(argc, argv, "o:t" COMMON_SHORT, longopts,
	    NULL)) != -1) {
		if (common_option(&co, c, optarg, usage))
			continue;
		if (c == 'o')
			out = optarg;
		else if (c == 't')
			with_tasks = 1;
		else if (c == OPT_TOOL)
			utmp_file = optarg;
		else
			usage(2);
	}
	if (out == NULL || optind != argc)
		usage(2);
	co.so.capture = 1;
	if (access(out, F_OK) == 0)
		errx(1, "%s: exists; not overwriting a fixture", out);
	if (co.so.memfile != NULL)
		h = from_dump(&co);
	else if (utmp_file == NULL)
		utmp_file = _PATH_UTMP;
	for (i = 0; i < TRIES && h == NULL; i++)
		h = attempt(&co, &t);
	if (h == NULL)
		errx(1, "no quiet moment in %d tries: the load average or the "
		    "clock moved during every capture", TRIES);

	snprintf(tmp, sizeof(tmp), "%s", out);
	slash = strrchr(tmp, '/');
	snprintf(slash ? slash + 1 : tmp, sizeof(tmp) - (size_t)(slash ?
	    slash + 1 - tmp : 0), ".kcapture.XXXXXX");
	if (mkdtemp(tmp) == NULL)
		err(1, "%s", tmp);
	if (sym_capture_write(h, tmp) == -1)
		errx(1, "%s", sym_geterr(h));
	if (utmp_file != NULL)
		copy_file(utmp_file, tmp, "utmp");
	if (co.so.memfile != NULL) {
		snprintf(info, sizeof(info), "source %s\ncaptured %lld\n",
		    sym_memfile(h), (long long)time(NULL));
		goto done;
	}
	write_file(tmp, "proc-loadavg", t.loadavg);
	write_file(tmp, "proc-uptime", t.uptime);
	write_file(tmp, "uptime.out", t.up);
	write_file(tmp, "uptime-p.out", t.up_p);
	write_file(tmp, "uptime-s.out", t.up_s);
	if (with_tasks) {
		write_file(tmp, "w.out", t.w);
		for (i = 0; i < (int)NTRUTH; i++)
			write_file(tmp, ps_truth[i].file, t.ps[i]);
	}
	uname(&u);
	snprintf(info, sizeof(info), "release %s\nversion %s\nmachine %s\n"
	    "source %s\ncaptured %lld\n", u.release, u.version, u.machine,
	    sym_memfile(h), (long long)time(NULL));
done:
	write_file(tmp, "info", info);
	if (rename(tmp, out) == -1)
		err(1, "rename %s to %s", tmp, out);
	sym_close(h);
	return 0;
}
