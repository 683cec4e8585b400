/*
 * The formatter's insides, shared by its files: the context, one row of
 * the format table, and what each file gives the others.
 */
#ifndef CMD_PS_INTERNAL_H
#define CMD_PS_INTERNAL_H

#include <time.h>

#include "devname.h"
#include "psfmt.h"

#define COLWID		240	/* procps: most columns fit in this */
#define SPACE_AMOUNT	144	/* procps: most padding written */
#define LIB_BUFSZ	(128 * 1024)	/* libproc2 MAX_BUFSZ */
#define COMM_BUFSZ	64	/* libproc2 escapes comm into 64 bytes */
#define NAME_SZ		33	/* libproc2 P_G_SZ: else numeric */
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
	struct name *users[HASH], *groups[HASH];
	struct devname devs;
};

/* derive.c: the values libproc2 derives from /proc's. */
const char *comm_of(struct ps_ctx *c, const struct sym_task *t);
const char *cmdline_of(struct ps_ctx *c, const struct sym_task *t);
const char *wchan_of(const struct sym_task *t);
const char *tty_of(struct ps_ctx *c, const struct sym_task *t);
int nlwp_of(const struct sym_task *t);
unsigned long long tics_all(const struct sym_task *t);
unsigned long vm_size_kb(const struct sym_task *t);
unsigned long vm_rss_kb(const struct ps_ctx *c, const struct sym_task *t);
double elapsed(const struct ps_ctx *c, const struct sym_task *t);
double time_all(const struct ps_ctx *c, const struct sym_task *t);
double utilization(const struct ps_ctx *c, const struct sym_task *t);
time_t start_of(const struct ps_ctx *c, const struct sym_task *t);

/* pwcache.c: user and group names. */
const char *user_of(struct ps_ctx *c, const struct sym_task *t, int which);
const char *group_of(struct ps_ctx *c, const struct sym_task *t, int which);
void free_names(struct name **tab);

/* keywords.c: a row of the format table, a macro's list of columns. */
const struct ps_spec *find_spec(const char *name);
const char *find_macro(const char *name);

/* columns.c: one function for each kind of column. */
prfn pr_nop, pr_args, pr_comm, pr_fname, pr_etime, pr_etimes, pr_time,
    pr_times, pr_c, pr_pcpu, pr_cp, pr_pmem, pr_pgid, pr_ppid, pr_procs,
    pr_tasks, pr_sess, pr_tpgid, pr_nlwp, pr_vsz, pr_rss, pr_sz, pr_psr,
    pr_priority, pr_opri, pr_pri, pr_pri_foo, pr_pri_bar, pr_pri_baz,
    pr_pri_api, pr_nice, pr_class, pr_rtprio, pr_sched, pr_wchan, pr_tty8,
    pr_stat, pr_s, pr_sgi_p, pr_flag, pr_bsdtime, pr_bsdstart, pr_lstart,
    pr_stime, pr_start, pr_euid, pr_ruid, pr_suid, pr_fuid, pr_egid,
    pr_rgid, pr_sgid, pr_fgid, pr_euser, pr_ruser, pr_suser, pr_fuser,
    pr_egroup, pr_rgroup, pr_sgroup, pr_fgroup;

#endif
