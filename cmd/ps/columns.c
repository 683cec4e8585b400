/*
 * The columns: one function per kind of value, writing its text for one
 * task, as procps's pr_* functions in output.c do (widths, justification
 * and the table that names them are in keywords.c).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "escape.h"
#include "internal.h"

int
pr_nop(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	return snprintf(out, COLWID, "-");
}

int
pr_args(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	int room = (int)c->maxr;

	ps_escape(c->utf8, out, cmdline_of(c, t), PS_OUTBUF, &room);
	return (int)c->maxr - room;
}

int
pr_comm(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	int room = (int)c->maxr;

	ps_escape(c->utf8, out, c->o.unix_f ? cmdline_of(c, t) : comm_of(c, t),
	    PS_OUTBUF, &room);
	return (int)c->maxr - room;
}

/* procps returns max_rightward minus what is left of 8: a quirk kept. */
int
pr_fname(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	int room = c->maxr > 8 ? 8 : (int)c->maxr;

	ps_escape(c->utf8, out, comm_of(c, t), PS_OUTBUF, &room);
	return (int)c->maxr - room;
}

/* [[dd-]hh:]mm:ss */
int
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

int
pr_etimes(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	return snprintf(out, COLWID, "%u", (unsigned)elapsed(c, t));
}

/* [dd-]hh:mm:ss */
int
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

int
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

int
pr_c(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	unsigned v = permille(c, t, 100);

	return snprintf(out, COLWID, "%2u", v > 99 ? 99 : v);
}

int
pr_pcpu(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	unsigned v = permille(c, t, 1000);

	if (v > 999)
		return snprintf(out, COLWID, "%u", v / 10);
	return snprintf(out, COLWID, "%u.%u", v / 10, v % 10);
}

int
pr_cp(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	unsigned v = permille(c, t, 1000);

	return snprintf(out, COLWID, "%3u", v > 999 ? 999 : v);
}

int
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

int
pr_pgid(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	return snprintf(out, COLWID, "%u", (unsigned)t->pgrp);
}

int
pr_ppid(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	return snprintf(out, COLWID, "%u", (unsigned)t->ppid);
}

int
pr_procs(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	return snprintf(out, COLWID, "%d", t->pid);
}

int
pr_tasks(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	return snprintf(out, COLWID, "%d", t->tid);
}

int
pr_sess(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	return snprintf(out, COLWID, "%d", t->session);
}

int
pr_tpgid(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	return snprintf(out, COLWID, "%d", t->tpgid);
}

int
pr_nlwp(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	return snprintf(out, COLWID, "%d", nlwp_of(t));
}

int
pr_vsz(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	return snprintf(out, COLWID, "%lu", vm_size_kb(t));
}

int
pr_rss(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	return snprintf(out, COLWID, "%lu", vm_rss_kb(c, t));
}

/* Pages of the core image, from kB. */
int
pr_sz(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	long kpp = c->info.page_size / 1024;

	return snprintf(out, COLWID, "%lu", kpp > 0 ?
	    vm_size_kb(t) / (unsigned long)kpp : 0);
}

int
pr_psr(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	return snprintf(out, COLWID, "%d", t->processor);
}

/* The PRI variants: stat's priority shifted to each vendor's scale. */
int
pr_priority(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	return snprintf(out, COLWID, "%d", (int)t->priority);
}

int
pr_opri(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	return snprintf(out, COLWID, "%d", 60 + (int)t->priority);
}

int
pr_pri(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	return snprintf(out, COLWID, "%d", 39 - (int)t->priority);
}

int
pr_pri_foo(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	return snprintf(out, COLWID, "%d", (int)t->priority - 20);
}

int
pr_pri_bar(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	return snprintf(out, COLWID, "%d", (int)t->priority + 1);
}

int
pr_pri_baz(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	return snprintf(out, COLWID, "%d", (int)t->priority + 100);
}

int
pr_pri_api(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	return snprintf(out, COLWID, "%d", -1 - (int)t->priority);
}

/* nice applies only to SCHED_OTHER (0) and SCHED_BATCH (3). */
int
pr_nice(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	if (t->policy != 0 && t->policy != 3)
		return snprintf(out, COLWID, "-");
	return snprintf(out, COLWID, "%d", (int)t->nice);
}

int
pr_class(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	static const char *const cls[] = {
		"TS", "FF", "RR", "B", "ISO", "IDL", "DLN", "#7", "#8", "#9"
	};

	return snprintf(out, COLWID, "%s", t->policy < 10 ? cls[t->policy] :
	    "?");
}

int
pr_rtprio(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	if (t->policy == 0)
		return snprintf(out, COLWID, "-");
	return snprintf(out, COLWID, "%d", (int)t->rt_priority);
}

int
pr_sched(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	return snprintf(out, COLWID, "%d", (int)t->policy);
}

int
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

int
pr_tty8(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	return snprintf(out, COLWID, "%s", tty_of(c, t));
}

/* state, then < N L s l + as BSD ps prints them. */
int
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

int
pr_s(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	out[0] = t->state;
	out[1] = '\0';
	return 1;
}

int
pr_sgi_p(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	if (t->state == 'R')
		return snprintf(out, COLWID, "%u", (unsigned)t->processor);
	return snprintf(out, COLWID, "*");
}

/* F: three PF_* bits in octal (PF_FORKNOEXEC 0x40, PF_SUPERPRIV 0x100). */
int
pr_flag(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	return snprintf(out, COLWID, "%o", (t->flags >> 6U) & 0x7U);
}

int
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

int
pr_bsdstart(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	time_t start = start_of(c, t), ago = c->now - start;
	char buf[32];

	ctime_of(start, buf);
	snprintf(out, COLWID, "%s", ago > 3600 * 24 ? buf + 4 : buf + 10);
	out[6] = '\0';
	return 6;
}

int
pr_lstart(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	char buf[32];

	ctime_of(start_of(c, t), buf);
	return snprintf(out, COLWID, "%24.24s", buf);
}

/* HH:MM today, MmmDD this year, else the year. */
int
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
int
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

int
pr_id(char *out, unsigned id)
{
	return snprintf(out, COLWID, "%d", (int)id);
}

int
pr_euid(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	return pr_id(out, t->uid[SYM_UID_EFF]);
}

int
pr_ruid(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	return pr_id(out, t->uid[SYM_UID_REAL]);
}

int
pr_suid(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	return pr_id(out, t->uid[SYM_UID_SAVED]);
}

int
pr_fuid(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	return pr_id(out, t->uid[SYM_UID_FS]);
}

int
pr_egid(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	return pr_id(out, t->gid[SYM_UID_EFF]);
}

int
pr_rgid(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	return pr_id(out, t->gid[SYM_UID_REAL]);
}

int
pr_sgid(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	return pr_id(out, t->gid[SYM_UID_SAVED]);
}

int
pr_fgid(struct ps_ctx *c, const struct sym_task *t, char *out)
{
	return pr_id(out, t->gid[SYM_UID_FS]);
}

/*
 * A user or group name: cut to the column with a '+' when it won't fit
 * (procps 4 no longer switches to the number), unless the cut would land
 * on a multibyte character; BSD n prints the number.
 */
int
pr_name(struct ps_ctx *c, char *out, const char *name, unsigned id)
{
	int room = PS_OUTBUF, len;

	if (!c->o.user_is_number) {
		ps_escape(c->utf8, out, name, PS_OUTBUF, &room);
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

#define PR_USER(fn, which) \
int \
fn(struct ps_ctx *c, const struct sym_task *t, char *out) \
{ \
	return pr_name(c, out, user_of(c, t, which), t->uid[which]); \
}
#define PR_GROUP(fn, which) \
int \
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
