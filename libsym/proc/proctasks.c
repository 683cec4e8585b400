/*
 * The task list from /proc, in /proc's own units, for when kernel memory
 * can't be read: /proc/PID/stat, status, wchan and cmdline, and with
 * SYM_TASKS_THREADS every /proc/PID/task/TID as well.
 *
 * Each process directory is opened once and its files are read relative
 * to it, so that a pid reused while we read can't mix two processes.  A
 * process that exits while we read it is skipped silently: that is the
 * ordinary state of a live process table, not an error.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libsym.h"

#define PROC_DIR	"/proc"
/* A stat line is under 1 KiB; 4 KiB leaves room for a 64-byte comm. */
#define STAT_MAX	4096
/* status is about 1.5 KiB; the lines we want are near its top. */
#define STATUS_MAX	16384
/* /proc/PID/wchan is a symbol name; procps reads at most 63 bytes. */
#define WCHAN_MAX	63
/* procps 4.0.2 reads at most MAX_BUFSZ - 1 = 128 KiB - 1 bytes of it. */
#define CMDLINE_MAX	(128 * 1024 - 1)
/* PID_MAX_LIMIT: no system has more tasks than pids. */
#define TASKS_MAX	(4 * 1024 * 1024)
/* Fields after "pid (comm)": state is field 3, policy field 41. */
#define STAT_FIELDS	50

/* What one read gives: a task, a task that has gone, or a real error. */
enum rd { RD_OK, RD_GONE, RD_ERR };

struct reader {
	unsigned flags;
	struct sym_tasks *out;
	size_t cap;
	char *buf;			/* CMDLINE_MAX + 1 bytes, reused */
	char *errbuf;
};

static int
gone(int e)
{
	/* ESRCH: the task was reaped between open and read. */
	return e == ENOENT || e == ESRCH;
}

static enum rd
fail(struct reader *r, const char *dir, const char *file, int e)
{
	if (gone(e))
		return RD_GONE;
	snprintf(r->errbuf, SYM_ERRSIZE, "%s/%s: %s", dir, file, strerror(e));
	return RD_ERR;
}

/*
 * Read at most len bytes of dirfd/name into buf; *got is what was read.
 * -1 and errno on failure.  A file longer than len is cut at len: every
 * caller's bound is what procps itself would read.
 */
static int
read_at(int dirfd, const char *name, char *buf, size_t len, size_t *got)
{
	ssize_t n;
	size_t have = 0;
	int fd, e;

	if ((fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	while (have < len) {
		n = read(fd, buf + have, len - have);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			e = errno;
			close(fd);
			errno = e;
			return -1;
		}
		if (n == 0)
			break;
		have += (size_t)n;
	}
	close(fd);
	*got = have;
	return 0;
}

static int
num_ll(const char *s, long long *v)
{
	char *end;

	errno = 0;
	*v = strtoll(s, &end, 10);
	return (errno != 0 || end == s || *end != '\0') ? -1 : 0;
}

static int
num_ull(const char *s, unsigned long long *v)
{
	char *end;

	if (*s == '-')
		return -1;
	errno = 0;
	*v = strtoull(s, &end, 10);
	return (errno != 0 || end == s || *end != '\0') ? -1 : 0;
}

/*
 * The comm sits in parentheses and may itself hold spaces and ')': it
 * runs from the first '(' to the last ')', as procps reads it.
 */
static char *
stat_comm(char *line, struct sym_task *t)
{
	char *open, *close;
	size_t n;

	if ((open = strchr(line, '(')) == NULL ||
	    (close = strrchr(open, ')')) == NULL || close[1] != ' ')
		return NULL;
	n = (size_t)(close - open - 1);
	if (n >= sizeof(t->comm))
		n = sizeof(t->comm) - 1;
	memcpy(t->comm, open + 1, n);
	t->comm[n] = '\0';
	return close + 2;
}

/* Split the fields after the comm; f[0] is field 3 (state). */
static int
stat_split(char *s, char *f[STAT_FIELDS])
{
	int n = 0;

	while (n < STAT_FIELDS) {
		while (*s == ' ')
			s++;
		if (*s == '\0' || *s == '\n')
			break;
		f[n++] = s;
		s += strcspn(s, " \n");
		if (*s != '\0')
			*s++ = '\0';
	}
	return n;
}

/* proc(5) numbers the fields from 1; f[0] is field 3. */
#define FLD(n)	(f[(n) - 3])

static int
stat_numbers(char *f[STAT_FIELDS], struct sym_task *t)
{
	long long v[8];
	unsigned long long u[6];

	if (num_ll(FLD(4), &v[0]) || num_ll(FLD(5), &v[1]) ||
	    num_ll(FLD(6), &v[2]) || num_ll(FLD(7), &v[3]) ||
	    num_ll(FLD(8), &v[4]) || num_ull(FLD(9), &u[0]) ||
	    num_ull(FLD(14), &t->utime) || num_ull(FLD(15), &t->stime) ||
	    num_ll(FLD(18), &v[5]) || num_ll(FLD(19), &v[6]) ||
	    num_ll(FLD(20), &v[7]) || num_ull(FLD(22), &t->start_time) ||
	    num_ull(FLD(23), &u[1]) || num_ull(FLD(24), &u[2]) ||
	    num_ull(FLD(39), &u[3]) || num_ull(FLD(40), &u[4]) ||
	    num_ull(FLD(41), &u[5]))
		return -1;
	t->ppid = (int)v[0];
	t->pgrp = (int)v[1];
	t->session = (int)v[2];
	t->tty_nr = (unsigned)v[3];	/* printed %d: a dev_t's low bits */
	t->tpgid = (int)v[4];
	t->flags = (unsigned)u[0];
	t->priority = (long)v[5];
	t->nice = (long)v[6];
	t->nlwp = (int)v[7];
	t->vsize = (unsigned long)u[1];
	t->rss = (long)u[2];
	t->processor = (int)u[3];
	t->rt_priority = (unsigned)u[4];
	t->policy = (unsigned)u[5];
	return 0;
}

static enum rd
read_stat(struct reader *r, int dirfd, const char *dir, struct sym_task *t)
{
	char line[STAT_MAX + 1], *rest, *f[STAT_FIELDS];
	size_t got;

	if (read_at(dirfd, "stat", line, STAT_MAX, &got) == -1)
		return fail(r, dir, "stat", errno);
	if (got == 0)
		return RD_GONE;
	line[got] = '\0';
	if ((rest = stat_comm(line, t)) == NULL ||
	    stat_split(rest, f) < 41 - 2 || FLD(3)[1] != '\0' ||
	    stat_numbers(f, t) == -1) {
		snprintf(r->errbuf, SYM_ERRSIZE, "%s/stat: unexpected format",
		    dir);
		return RD_ERR;
	}
	t->state = FLD(3)[0];
	return RD_OK;
}

/* "Uid:\t0\t0\t0\t0": real, effective, saved, filesystem. */
static void
status_ids(const char *s, unsigned id[4])
{
	unsigned v[4];

	if (sscanf(s, "%u %u %u %u", &v[0], &v[1], &v[2], &v[3]) == 4)
		memcpy(id, v, sizeof(v));
}

static void
status_parse(char *text, struct sym_task *t)
{
	char *line, *save = NULL;

	for (line = strtok_r(text, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "Uid:", 4) == 0)
			status_ids(line + 4, t->uid);
		else if (strncmp(line, "Gid:", 4) == 0)
			status_ids(line + 4, t->gid);
		else if (strncmp(line, "VmLck:", 6) == 0)
			sscanf(line + 6, "%llu", &t->vm_lock_kb);
		else if (strncmp(line, "VmRSS:", 6) == 0)
			sscanf(line + 6, "%llu", &t->vm_rss_kb);
	}
}

static enum rd
read_status(struct reader *r, int dirfd, const char *dir, struct sym_task *t)
{
	char text[STATUS_MAX + 1];
	size_t got;

	if (read_at(dirfd, "status", text, STATUS_MAX, &got) == -1)
		return fail(r, dir, "status", errno);
	if (got == 0)
		return RD_GONE;
	text[got] = '\0';
	status_parse(text, t);
	return RD_OK;
}

/* The kernel writes "0" when the task isn't sleeping (or we may not see). */
static enum rd
read_wchan(struct reader *r, int dirfd, const char *dir, struct sym_task *t)
{
	size_t got;

	if (read_at(dirfd, "wchan", t->wchan, WCHAN_MAX, &got) == -1)
		return fail(r, dir, "wchan", errno);
	t->wchan[got] = '\0';
	if (strcmp(t->wchan, "0") == 0)
		t->wchan[0] = '\0';
	return RD_OK;
}

static enum rd
read_cmdline(struct reader *r, int dirfd, const char *dir,
    struct sym_task *t)
{
	size_t got;

	if (read_at(dirfd, "cmdline", r->buf, CMDLINE_MAX, &got) == -1)
		return fail(r, dir, "cmdline", errno);
	if (got == 0)
		return RD_OK;		/* kernel thread or zombie */
	if ((t->cmdline = malloc(got + 1)) == NULL) {
		snprintf(r->errbuf, SYM_ERRSIZE, "%s/cmdline: %s", dir,
		    strerror(errno));
		return RD_ERR;
	}
	memcpy(t->cmdline, r->buf, got);
	t->cmdline[got] = '\0';	/* for callers that want a C string */
	t->cmdline_len = got;
	return RD_OK;
}

/* One task from its directory (/proc/PID or /proc/PID/task/TID). */
static enum rd
read_task(struct reader *r, const char *dir, struct sym_task *t)
{
	enum rd rd;
	int dirfd;

	if ((dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return fail(r, dir, ".", errno);
	if ((rd = read_stat(r, dirfd, dir, t)) == RD_OK &&
	    (rd = read_status(r, dirfd, dir, t)) == RD_OK &&
	    (rd = read_wchan(r, dirfd, dir, t)) == RD_OK &&
	    (r->flags & SYM_TASKS_CMDLINE))
		rd = read_cmdline(r, dirfd, dir, t);
	close(dirfd);
	if (rd != RD_OK) {
		free(t->cmdline);
		t->cmdline = NULL;
		t->cmdline_len = 0;
	}
	return rd;
}

static struct sym_task *
next_slot(struct reader *r)
{
	struct sym_tasks *o = r->out;
	struct sym_task *p;
	size_t cap;

	if (o->n == r->cap) {
		if (r->cap >= TASKS_MAX) {
			snprintf(r->errbuf, SYM_ERRSIZE, "%s: more than %d "
			    "tasks", PROC_DIR, TASKS_MAX);
			return NULL;
		}
		cap = r->cap ? r->cap * 2 : 256;
		if ((p = realloc(o->task, cap * sizeof(*p))) == NULL) {
			snprintf(r->errbuf, SYM_ERRSIZE, "%s: %s", PROC_DIR,
			    strerror(errno));
			return NULL;
		}
		o->task = p;
		r->cap = cap;
	}
	p = &o->task[o->n];
	memset(p, 0, sizeof(*p));
	return p;
}

/* Read dir into the next slot; keep it only if the task is still there. */
static int
add_task(struct reader *r, const char *dir, int pid, int tid)
{
	struct sym_task *t;

	if ((t = next_slot(r)) == NULL)
		return -1;
	switch (read_task(r, dir, t)) {
	case RD_OK:
		t->pid = pid;
		t->tid = tid;
		r->out->n++;
		return 0;
	case RD_GONE:
		return 0;
	default:
		return -1;
	}
}

/* A directory entry that is a pid: digits only, no leading zero. */
static int
entry_pid(const char *name)
{
	long long v;

	if (name[0] < '1' || name[0] > '9' || num_ll(name, &v) == -1 ||
	    v > INT_MAX)
		return -1;
	return (int)v;
}

/*
 * Every thread of pid.  The leader is read from /proc/PID itself, not
 * from task/PID, because that is what procps does (readeither: "to avoid
 * loss of some thread group leader data"): its times are the process's.
 */
static int
add_threads(struct reader *r, int pid)
{
	char dir[64], tdir[96];
	struct dirent *de;
	DIR *d;
	int tid, rc = 0;

	snprintf(dir, sizeof(dir), "%s/%d/task", PROC_DIR, pid);
	if ((d = opendir(dir)) == NULL) {
		if (gone(errno))
			return 0;
		snprintf(r->errbuf, SYM_ERRSIZE, "%s: %s", dir,
		    strerror(errno));
		return -1;
	}
	while (rc == 0 && (de = readdir(d)) != NULL) {
		if ((tid = entry_pid(de->d_name)) == -1)
			continue;
		if (tid == pid)
			snprintf(tdir, sizeof(tdir), "%s/%d", PROC_DIR, pid);
		else
			snprintf(tdir, sizeof(tdir), "%s/%d", dir, tid);
		rc = add_task(r, tdir, pid, tid);
	}
	closedir(d);
	return rc;
}

static int
add_process(struct reader *r, int pid)
{
	char dir[64];

	if (r->flags & SYM_TASKS_THREADS)
		return add_threads(r, pid);
	snprintf(dir, sizeof(dir), "%s/%d", PROC_DIR, pid);
	return add_task(r, dir, pid, pid);
}

/* In readdir order, which is pid order: the order procps lists them in. */
int
sym_proc_tasks(unsigned flags, struct sym_tasks *out, char *errbuf)
{
	struct reader r = { .flags = flags, .out = out, .errbuf = errbuf };
	struct dirent *de;
	DIR *d;
	int pid, rc = 0;

	out->task = NULL;
	out->n = 0;
	if ((flags & SYM_TASKS_CMDLINE) &&
	    (r.buf = malloc(CMDLINE_MAX + 1)) == NULL) {
		snprintf(errbuf, SYM_ERRSIZE, "%s: %s", PROC_DIR,
		    strerror(errno));
		return -1;
	}
	if ((d = opendir(PROC_DIR)) == NULL) {
		snprintf(errbuf, SYM_ERRSIZE, "%s: %s", PROC_DIR,
		    strerror(errno));
		free(r.buf);
		return -1;
	}
	while (rc == 0 && (de = readdir(d)) != NULL)
		if ((pid = entry_pid(de->d_name)) != -1)
			rc = add_process(&r, pid);
	closedir(d);
	free(r.buf);
	if (rc == -1)
		sym_tasks_free(out);
	return rc;
}

/* The value after "key" on its line of a small /proc file. */
static int
proc_value(const char *path, const char *key, unsigned long long *v,
    char *errbuf)
{
	char line[256];
	size_t klen = strlen(key);
	FILE *fp;
	int found = 0;

	if ((fp = fopen(path, "re")) == NULL) {
		snprintf(errbuf, SYM_ERRSIZE, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (!found && fgets(line, sizeof(line), fp) != NULL)
		if (strncmp(line, key, klen) == 0 &&
		    sscanf(line + klen, "%llu", v) == 1)
			found = 1;
	fclose(fp);
	if (!found) {
		snprintf(errbuf, SYM_ERRSIZE, "%s: no %s line", path, key);
		return -1;
	}
	return 0;
}

int
sym_proc_psinfo(struct sym_psinfo *out, char *errbuf)
{
	struct sym_uptime up;
	unsigned long long pid_max;
	char ignored[SYM_ERRSIZE];

	memset(out, 0, sizeof(*out));
	/* an empty key matches the file's one line; optional */
	if (proc_value("/proc/sys/kernel/pid_max", "", &pid_max,
	    ignored) == 0 && pid_max <= (1U << 22))
		out->pid_max = (long)pid_max;
	if (sym_proc_uptime(&up, errbuf) == -1 ||
	    proc_value("/proc/stat", "btime ", &out->boot_time, errbuf) == -1 ||
	    proc_value("/proc/meminfo", "MemTotal:", &out->memtotal_kb,
	    errbuf) == -1)
		return -1;
	out->uptime = up.uptime;
	out->now = up.now;
	out->page_size = sysconf(_SC_PAGESIZE);
	out->hz = sysconf(_SC_CLK_TCK);
	if (out->page_size <= 0 || out->hz <= 0) {
		snprintf(errbuf, SYM_ERRSIZE, "sysconf: no page size or clock "
		    "tick rate");
		return -1;
	}
	return 0;
}
