/*
 * The task walk's private header: the layout it resolves, the context a
 * walk carries, and what its files (task_layout.c, task_fields.c,
 * task_walk.c, task_arith.c, psinfo.c) share.  Not installed.
 */
#ifndef KERNEL_TASK_H
#define KERNEL_TASK_H

#include <stddef.h>
#include <stdint.h>

#include "sym_private.h"

#define KT_TRIES	4		/* walks of a live list before giving in */
#define KT_MAX_TASKS	(4U << 20)	/* PID_MAX_LIMIT: no more tasks exist */
#define KT_MAX_TASKREAD	(64U << 10)	/* bound on the task_struct prefix */
#define KT_CMDLINE_MAX	(128U << 10)	/* procps's MAX_BUFSZ for args */
#define KT_COMM_LEN	64		/* proc_task_name's tcomm[64] */
#define KT_CODE_SCAN	512		/* bytes of task_mem searched */

#define NSEC_PER_SEC	1000000000ULL
#define USER_HZ		100		/* x86: what /proc reports ticks in */

/* include/linux/sched.h: the bits task_state_index() looks at (4.14+). */
#define TASK_INTERRUPTIBLE	0x0001
#define TASK_UNINTERRUPTIBLE	0x0002
#define __TASK_STOPPED		0x0004
#define __TASK_TRACED		0x0008
#define EXIT_DEAD		0x0010
#define EXIT_ZOMBIE		0x0020
#define TASK_PARKED		0x0040
#define TASK_NOLOAD		0x0400
#define TASK_RTLOCK_WAIT	0x1000	/* 5.15, PREEMPT_RT's spinlocks */
#define TASK_FROZEN		0x8000	/* 6.1, f5d39b020809 */
#define TASK_REPORT		0x007f
#define TASK_IDLE		(TASK_UNINTERRUPTIBLE | TASK_NOLOAD)
#define TASK_REPORT_IDLE	(TASK_REPORT + 1)

#define PF_WQ_WORKER		0x00000020
#define PF_KTHREAD		0x00200000

/* enum pid_type (4.19 and later: PID, TGID, PGID, SID, MAX). */
#define PIDTYPE_PGID		2
#define PIDTYPE_SID		3
#define PIDTYPE_MAX		4
/* include/linux/mm_types_task.h (4.5 and later). */
#define MM_FILEPAGES		0
#define MM_ANONPAGES		1
#define MM_SHMEMPAGES		3
#define NR_MM_COUNTERS		4


/* ---- the layout: every member used, resolved once per call ---- */
struct kt_layout {
	uint64_t init_task;
	/* task_struct */
	struct sym_member tasks, thread_node, pid, tgid, state, exit_state,
	    flags, prio, static_prio, rt_priority, policy, comm, real_parent,
	    real_cred, mm, signal, sighand, thread_pid, utime, stime, sumexec,
	    prev_ut, prev_st, start, cpu, kthread;
	int have_thread_pid, have_prev, have_prev_ut, have_prev_st, have_cpu,
	    have_kthread;
	uint64_t task_len;
	/* signal_struct */
	struct sym_member s_thread_head, s_nr_threads, s_tty, s_pids,
	    s_utime, s_stime, s_sum, s_prev_ut, s_prev_st;
	int have_s_prev;
	uint64_t sig_len;
	/* mm_struct */
	struct sym_member m_pgd, m_total_vm, m_locked_vm, m_rss, m_arg_start,
	    m_arg_end, m_env_start, m_env_end;
	int rss_percpu;
	uint64_t rss_stride, rss_count_off, mm_len;
	struct sym_member p_counters;	/* percpu_counter.counters (6.2+) */
	/* cred: uid euid suid fsuid gid egid sgid fsgid */
	struct sym_member c_id[8];
	uint64_t cred_len;
	/* struct pid -> numbers[0].nr */
	uint64_t pid_nr_off;
	/* tty (looked up when a tty is first seen) */
	int tty_state;			/* 0 not yet, 1 ok, -1 unusable */
	struct sym_member t_driver, t_index, t_pgrp, d_major, d_minor;
	/* kthread and worker names (looked up when first needed) */
	int kname_state;
	int have_full_name, have_wq, have_wq_id;
	struct sym_member k_full_name, k_data, w_pool, w_desc, w_current;
	/* format_worker_id()'s (6.10): struct worker, pool, attrs, wq */
	struct sym_member w_rescue, w_id, p_cpu, p_id, p_attrs, a_nice,
	    q_name;
};

/* An address set with a value: visited tasks, pid numbers. */
struct kt_map {
	uint64_t *key;
	int32_t *val;
	size_t cap, n;
};


/* ---- reading fields out of a copied struct ---- */
static inline uint64_t
get_u(const unsigned char *buf, const struct sym_member *m)
{
	return _sym_field(buf, m);
}

static inline int64_t
get_s(const unsigned char *buf, const struct sym_member *m)
{
	uint64_t v = get_u(buf, m);

	if (m->size > 0 && m->size < 8 && (v >> (m->size * 8 - 1)) & 1)
		v |= ~0ULL << (m->size * 8);
	return (int64_t)v;
}

static inline uint64_t
end_of(const struct sym_member *m)
{
	return m->offset + m->size;
}

/* A pointer read from the kernel that a walk may follow. */
static inline int
ptr_ok(uint64_t p)
{
	return _sym_kaddr_ok(p) && (p & 7) == 0;
}

/* Why it may not: for the error messages. */
static inline const char *
ptr_why(uint64_t p)
{
	return _sym_kaddr_ok(p) ? "is misaligned" : "is not a kernel address";
}


/* ---- the walk ---- */

struct kt_ent {
	struct sym_task t;
	size_t seq;			/* order within the process */
};

struct kt_mmcache {
	uint64_t addr;
	unsigned long vsize, locked_kb;
	long rss, vm_rss;		/* stat's and status's, in pages */
	char *cmdline;
	size_t cmdline_len;
	int ok;
};

struct kt_ctx {
	sym_t *h;
	struct kt_layout L;
	unsigned flags;
	int final;			/* the last try: accept what is found */
	struct kt_map seen;		/* task address -> tgid */
	struct kt_map pidnr;		/* struct pid address -> number */
	struct kt_ent *ent;
	size_t n, cap;
	size_t count;			/* tasks read, processes and threads */
	size_t skipped, accepted;
	unsigned char *buf;		/* scratch for threads */
	unsigned char *sig, *mmb, *cred;
	uint64_t tty_addr;		/* the last tty seen, and its numbers */
	unsigned tty_nr;
	int tty_pgrp;
	struct kt_mmcache mc;
	struct sym_cpus *cpus;		/* set when VmRSS sums per CPU */
};

enum { KT_OK = 0, KT_RETRY = 1, KT_FAIL = -1 };


struct kt_group {
	uint64_t sig;
	int nlwp, pgrp, session, tpgid;
	unsigned tty_nr;
	int have_sighand;
};

/* task_layout.c */
int _kt_layout(sym_t *h, struct kt_layout *L);
int _kt_layout_tty(sym_t *h, struct kt_layout *L);
void _kt_layout_kname(sym_t *h, struct kt_layout *L);
/* task_fields.c */
void _kt_map_free(struct kt_map *m);
int32_t *_kt_map_get(const struct kt_map *m, uint64_t key);
int _kt_map_put(struct kt_map *m, uint64_t key, int32_t val);
void _kt_ctx_clear(struct kt_ctx *c);
struct sym_task *_kt_add_ent(struct kt_ctx *c, size_t seq);
int _kt_read_task(struct kt_ctx *c, uint64_t task, unsigned char *buf);
int _kt_group_facts(struct kt_ctx *c, const unsigned char *lb, struct kt_group *g);
int _kt_task_fields(struct kt_ctx *c, const unsigned char *tb, uint64_t task,
    const struct kt_group *g, struct sym_task *t);
void _kt_task_times(const struct kt_layout *L, const unsigned char *tb,
    struct sym_task *t);
void _kt_skip_task(struct kt_ctx *c, uint64_t task, const char *what);

#endif
