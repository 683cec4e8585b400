/*
 * The task list out of kernel memory, as BSD ps read proc[] through
 * /dev/kmem: init_task.tasks for the processes, each thread group's
 * signal->thread_head for the threads, every pointer checked before it is
 * followed.  Each field is computed the way fs/proc/array.c computes it
 * for /proc/PID/stat and status (do_task_stat, proc_pid_status), in
 * /proc's units, so that one formatter serves both.  Struct layouts come
 * from BTF; renamed fields are probed by each spelling.
 *
 * The kernel changes the list while we read it.  A walk checks each link
 * (next->prev must point back), never follows a pointer outside the
 * kernel, never visits a task twice and never counts past PID_MAX_LIMIT;
 * when the list moved under it, it starts again (KT_TRIES times), and the
 * last try accepts what it finds and says so under --explain.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* ---- an address set with a value: visited tasks, pid numbers ---- */
struct kt_map {
	uint64_t *key;
	int32_t *val;
	size_t cap, n;
};

static void
map_free(struct kt_map *m)
{
	free(m->key);
	free(m->val);
	memset(m, 0, sizeof(*m));
}

static size_t
map_slot(const struct kt_map *m, uint64_t key)
{
	uint64_t x = key * 0x9e3779b97f4a7c15ULL;

	return (size_t)(x >> 20) & (m->cap - 1);
}

static int32_t *
map_get(const struct kt_map *m, uint64_t key)
{
	size_t i;

	if (m->cap == 0)
		return NULL;
	for (i = map_slot(m, key); m->key[i] != 0; i = (i + 1) & (m->cap - 1))
		if (m->key[i] == key)
			return &m->val[i];
	return NULL;
}

static int
map_put(struct kt_map *m, uint64_t key, int32_t val)
{
	size_t i;

	if (2 * (m->n + 1) > m->cap) {
		struct kt_map g = { NULL, NULL, m->cap ? 2 * m->cap : 1024, 0 };

		if ((g.key = calloc(g.cap, sizeof(*g.key))) == NULL ||
		    (g.val = calloc(g.cap, sizeof(*g.val))) == NULL) {
			map_free(&g);
			return -1;
		}
		for (i = 0; i < m->cap; i++)
			if (m->key[i] != 0)
				map_put(&g, m->key[i], m->val[i]);
		map_free(m);
		*m = g;
	}
	for (i = map_slot(m, key); m->key[i] != 0; i = (i + 1) & (m->cap - 1))
		if (m->key[i] == key) {
			m->val[i] = val;
			return 0;
		}
	m->key[i] = key;
	m->val[i] = val;
	m->n++;
	return 0;
}

/* ---- reading fields out of a copied struct ---- */
static uint64_t
get_u(const unsigned char *buf, const struct sym_member *m)
{
	return _sym_field(buf, m);
}

static int64_t
get_s(const unsigned char *buf, const struct sym_member *m)
{
	uint64_t v = get_u(buf, m);

	if (m->size > 0 && m->size < 8 && (v >> (m->size * 8 - 1)) & 1)
		v |= ~0ULL << (m->size * 8);
	return (int64_t)v;
}

static uint64_t
end_of(const struct sym_member *m)
{
	return m->offset + m->size;
}

/* A pointer read from the kernel that a walk may follow. */
static int
ptr_ok(uint64_t p)
{
	return _sym_kaddr_ok(p) && (p & 7) == 0;
}

/* Why it may not: for the error messages. */
static const char *
ptr_why(uint64_t p)
{
	return _sym_kaddr_ok(p) ? "is misaligned" : "is not a kernel address";
}

/* ---- the pure arithmetic, shared with the unit tests ---- */

/*
 * task_state_index() and task_index_to_char() (include/linux/sched.h,
 * 6.1): the TASK_REPORT bits of __state | exit_state, highest bit wins;
 * TASK_IDLE reports as I; PREEMPT_RT lock waits and frozen tasks as D.
 */
char
_kt_state_char(unsigned state, unsigned exit_state)
{
	static const char letters[] = "RSDTtXZPI";
	unsigned s = (state | exit_state) & TASK_REPORT;
	int i = 0;

	if ((state & TASK_IDLE) == TASK_IDLE)
		s = TASK_REPORT_IDLE;
	if ((state & TASK_RTLOCK_WAIT) || (state & TASK_FROZEN))
		s = TASK_UNINTERRUPTIBLE;
	while (s != 0) {		/* fls() */
		i++;
		s >>= 1;
	}
	return letters[i];
}

/*
 * new_encode_dev(tty_devnum(tty)): MKDEV(major, minor_start) + index,
 * with the kernel's 12:20 dev_t, re-encoded as userspace's
 * minor-low-8 | major << 8 | minor-high << 12.
 */
unsigned
_kt_tty_nr(int major, int minor_start, int index)
{
	uint32_t dev = ((uint32_t)major << 20) + (uint32_t)minor_start +
	    (uint32_t)index;
	uint32_t ma = dev >> 20, mi = dev & 0xfffff;

	return (mi & 0xff) | (ma << 8) | ((mi & ~0xffU) << 12);
}

/*
 * cputime_adjust() (kernel/sched/cputime.c, !VIRT_CPU_ACCOUNTING_NATIVE):
 * the tick-sampled utime:stime ratio applied to the precise runtime,
 * never going below what was last reported (prev).  The kernel stores
 * the result back into prev; we can only read it, which gives the same
 * answer /proc would give at this moment.
 */
void
_kt_cputime_adjust(uint64_t ut, uint64_t st, uint64_t rtime,
    uint64_t prev_ut, uint64_t prev_st, uint64_t *out_ut, uint64_t *out_st)
{
	uint64_t stime, utime;

	if (prev_st + prev_ut >= rtime) {
		*out_ut = prev_ut;
		*out_st = prev_st;
		return;
	}
	if (st == 0) {
		utime = rtime;
		stime = 0;
	} else if (ut == 0) {
		stime = rtime;
	} else {
		/* mul_u64_u64_div_u64: exact with 128 bits, as x86-64 does */
		stime = (uint64_t)((unsigned __int128)st * rtime / (st + ut));
		if (stime > rtime)
			stime = rtime;
	}
	if (stime < prev_st)
		stime = prev_st;
	utime = rtime - stime;
	if (utime < prev_ut) {
		utime = prev_ut;
		stime = rtime - utime;
	}
	*out_ut = utime;
	*out_st = stime;
}

/* ---- the layout ---- */

static int
member(sym_t *h, const char *type, const char *name, struct sym_member *m)
{
	return _sym_member(h, type, name, m);
}

/* The first spelling the kernel has; the error names them all. */
static int
member_any(sym_t *h, const char *type, const char *const *names,
    struct sym_member *m, const char *why)
{
	char list[256];
	const char *found = NULL;
	size_t n = 0;
	int i;

	if (_sym_member_any(h, type, names, m, &found) == 0) {
		_sym_explain(h, "types: %s.%s (%s)", type, found, why);
		return 0;
	}
	list[0] = '\0';
	for (i = 0; names[i] != NULL && n < sizeof(list); i++)
		n += (size_t)snprintf(list + n, sizeof(list) - n, "%s%s",
		    i ? " or " : "", names[i]);
	_sym_err(h, "%s: struct %s has no member %s (%s)",
	    h->btfpath ? h->btfpath : "BTF", type, list, why);
	return -1;
}

static void
grow(uint64_t *len, const struct sym_member *m)
{
	if (end_of(m) > *len)
		*len = end_of(m);
}

/* What the walk reads of task_struct: one row per member. */
#define T(f, ...) { "task_struct", { __VA_ARGS__ }, \
	offsetof(struct kt_layout, f), SYM_REQUIRED, NULL }
#define T_OPT(f, have, why, ...) { "task_struct", { __VA_ARGS__ }, \
	offsetof(struct kt_layout, f), offsetof(struct kt_layout, have), why }
static const struct sym_row task_rows[] = {
	T(tasks, "tasks"), T(thread_node, "thread_node"), T(pid, "pid"),
	T(tgid, "tgid"), T(exit_state, "exit_state"), T(flags, "flags"),
	T(prio, "prio"), T(static_prio, "static_prio"),
	T(rt_priority, "rt_priority"), T(policy, "policy"), T(comm, "comm"),
	T(real_parent, "real_parent"), T(real_cred, "real_cred"), T(mm, "mm"),
	T(signal, "signal"), T(sighand, "sighand"),
	/* u64 nanoseconds since 5613fda9a503 (4.11) */
	T(utime, "utime"), T(stime, "stime"),
	T(sumexec, "se.sum_exec_runtime"),
	SYM_ROW_TASK_STATE(struct kt_layout, state),
	{ "task_struct", { "start_boottime", "real_start_time" },
	    offsetof(struct kt_layout, start), SYM_REQUIRED,
	    "real_start_time -> start_boottime in 5.5, cf25e24db61c" },
	T_OPT(thread_pid, have_thread_pid,
	    "pid_alive(): thread_pid since 4.19, e8cfbc245e24", "thread_pid"),
	/* No prev_cputime with VIRT_CPU_ACCOUNTING_NATIVE: no adjusting. */
	T_OPT(prev_ut, have_prev_ut, NULL, "prev_cputime.utime"),
	T_OPT(prev_st, have_prev_st, NULL, "prev_cputime.stime"),
	/* !SMP kernels have no cpu at all: task_cpu() is 0. */
	T_OPT(cpu, have_cpu, "thread_info.cpu since 5.16, bcf9033e5449",
	    "thread_info.cpu", "cpu"),
	/* The struct kthread pointer kthreads stashed in set_child_tid */
	T_OPT(kthread, have_kthread,
	    "set_child_tid -> worker_private in 5.17, e32cf5dfbe22",
	    "worker_private", "set_child_tid"),
};
#undef T
#undef T_OPT

static int
layout_task(sym_t *h, struct kt_layout *L)
{
	L->task_len = 0;
	if (_sym_layout(h, task_rows, SYM_NROWS(task_rows), L, "task_struct",
	    &L->task_len) == -1)
		return -1;
	L->have_prev = L->have_prev_ut && L->have_prev_st;
	if (L->task_len > KT_MAX_TASKREAD || L->tasks.size != 16 ||
	    L->thread_node.size != 16 || L->comm.size < 16) {
		_sym_err(h, "%s: struct task_struct is implausible (%llu "
		    "bytes to read, tasks %llu bytes, comm %llu)", h->btfpath,
		    (unsigned long long)L->task_len,
		    (unsigned long long)L->tasks.size,
		    (unsigned long long)L->comm.size);
		return -1;
	}
	return 0;
}

static int
layout_signal(sym_t *h, struct kt_layout *L)
{
	/* thread_head (0c740d0afc3b, 3.14) predates every kernel with BTF;
	 * pids[] moved here from task_struct in 4.19 (2c4704756cab). */
	if (member(h, "signal_struct", "thread_head", &L->s_thread_head) ||
	    member(h, "signal_struct", "nr_threads", &L->s_nr_threads) ||
	    member(h, "signal_struct", "tty", &L->s_tty) ||
	    member(h, "signal_struct", "pids", &L->s_pids) ||
	    member(h, "signal_struct", "utime", &L->s_utime) ||
	    member(h, "signal_struct", "stime", &L->s_stime) ||
	    member(h, "signal_struct", "sum_sched_runtime", &L->s_sum))
		return -1;
	L->have_s_prev = member(h, "signal_struct", "prev_cputime.utime",
	    &L->s_prev_ut) == 0 && member(h, "signal_struct",
	    "prev_cputime.stime", &L->s_prev_st) == 0;
	h->errbuf[0] = '\0';
	if (L->s_pids.size != PIDTYPE_MAX * 8 || L->s_thread_head.size != 16) {
		_sym_err(h, "%s: signal_struct.pids is %llu bytes, not %d "
		    "pointers (enum pid_type changed?)", h->btfpath,
		    (unsigned long long)L->s_pids.size, PIDTYPE_MAX);
		return -1;
	}
	L->sig_len = 0;
	grow(&L->sig_len, &L->s_thread_head);
	grow(&L->sig_len, &L->s_nr_threads);
	grow(&L->sig_len, &L->s_tty);
	grow(&L->sig_len, &L->s_pids);
	grow(&L->sig_len, &L->s_utime);
	grow(&L->sig_len, &L->s_stime);
	grow(&L->sig_len, &L->s_sum);
	if (L->have_s_prev) {
		grow(&L->sig_len, &L->s_prev_ut);
		grow(&L->sig_len, &L->s_prev_st);
	}
	return L->sig_len > KT_MAX_TASKREAD ? -1 : 0;
}

static int
layout_mm(sym_t *h, struct kt_layout *L)
{
	struct sym_member cnt;
	uint64_t pcsize;

	if (member(h, "mm_struct", "pgd", &L->m_pgd) ||
	    member(h, "mm_struct", "total_vm", &L->m_total_vm) ||
	    member(h, "mm_struct", "locked_vm", &L->m_locked_vm) ||
	    member(h, "mm_struct", "arg_start", &L->m_arg_start) ||
	    member(h, "mm_struct", "arg_end", &L->m_arg_end) ||
	    member(h, "mm_struct", "env_start", &L->m_env_start) ||
	    member(h, "mm_struct", "env_end", &L->m_env_end) ||
	    member(h, "mm_struct", "rss_stat", &L->m_rss))
		return -1;
	/*
	 * Up to 6.1, rss_stat is struct mm_rss_stat { atomic_long_t
	 * count[NR_MM_COUNTERS]; }.  f1a7941243c1 (6.2) made it an array of
	 * struct percpu_counter; get_mm_counter() then reads only the
	 * counter's central count (percpu_counter_read_positive), which is
	 * what /proc/PID/stat shows, so that is what we read too.
	 */
	if (member(h, "mm_struct", "rss_stat.count", &cnt) == 0 &&
	    cnt.size == NR_MM_COUNTERS * 8) {
		L->rss_percpu = 0;
		L->rss_stride = 8;
		L->rss_count_off = cnt.offset - L->m_rss.offset;
		_sym_explain(h, "types: mm_struct.rss_stat.count[]: atomic "
		    "counters (before 6.2)");
	} else if (member(h, "percpu_counter", "count", &cnt) == 0 &&
	    _sym_type_size(h, "percpu_counter", &pcsize) == 0 &&
	    L->m_rss.size == NR_MM_COUNTERS * pcsize) {
		L->rss_percpu = 1;
		L->rss_stride = pcsize;
		L->rss_count_off = cnt.offset;
		_sym_explain(h, "types: mm_struct.rss_stat[] is percpu_counter "
		    "(6.2, f1a7941243c1): reading each central count as "
		    "get_mm_counter() does");
	} else {
		_sym_err(h, "%s: mm_struct.rss_stat is neither count[%d] nor "
		    "percpu_counter[%d] (%llu bytes)", h->btfpath,
		    NR_MM_COUNTERS, NR_MM_COUNTERS,
		    (unsigned long long)L->m_rss.size);
		return -1;
	}
	h->errbuf[0] = '\0';
	L->mm_len = 0;
	grow(&L->mm_len, &L->m_pgd);
	grow(&L->mm_len, &L->m_total_vm);
	grow(&L->mm_len, &L->m_locked_vm);
	grow(&L->mm_len, &L->m_rss);
	grow(&L->mm_len, &L->m_arg_start);
	grow(&L->mm_len, &L->m_arg_end);
	grow(&L->mm_len, &L->m_env_start);
	grow(&L->mm_len, &L->m_env_end);
	return L->mm_len > KT_MAX_TASKREAD ? -1 : 0;
}

static int
layout_cred_pid(sym_t *h, struct kt_layout *L)
{
	static const char *const ids[8] = { "uid", "euid", "suid", "fsuid",
	    "gid", "egid", "sgid", "fsgid" };
	struct sym_member numbers, nr;
	int i;

	L->cred_len = 0;
	for (i = 0; i < 8; i++) {
		if (member(h, "cred", ids[i], &L->c_id[i]) == -1)
			return -1;
		grow(&L->cred_len, &L->c_id[i]);
	}
	/* pid_nr_ns(pid, &init_pid_ns): numbers[0], the level-0 number */
	if (member(h, "pid", "numbers", &numbers) == -1 ||
	    member(h, "upid", "nr", &nr) == -1)
		return -1;
	L->pid_nr_off = numbers.offset + nr.offset;
	return 0;
}

static int
layout(sym_t *h, struct kt_layout *L)
{
	memset(L, 0, sizeof(*L));
	if (_sym_addr(h, "init_task", &L->init_task) == -1)
		return -1;
	_sym_explain(h, "init_task (pid 0, the idle task) at 0x%llx heads "
	    "the process list, as proc[0] did in V7",
	    (unsigned long long)L->init_task);
	if (layout_task(h, L) == -1 || layout_signal(h, L) == -1 ||
	    layout_mm(h, L) == -1 || layout_cred_pid(h, L) == -1)
		return -1;
	return 0;
}

/* tty_struct and tty_driver, the first time a controlling tty is seen. */
static int
layout_tty(sym_t *h, struct kt_layout *L)
{
	/* 64d608db38ff (5.14) put pgrp under tty_struct.ctrl */
	static const char *const pgrp[] = { "ctrl.pgrp", "pgrp", NULL };

	if (L->tty_state != 0)
		return L->tty_state > 0 ? 0 : -1;
	L->tty_state = -1;
	if (member(h, "tty_struct", "driver", &L->t_driver) ||
	    member(h, "tty_struct", "index", &L->t_index) ||
	    member_any(h, "tty_struct", pgrp, &L->t_pgrp,
	    "pgrp -> ctrl.pgrp in 5.14, 64d608db38ff") ||
	    member(h, "tty_driver", "major", &L->d_major) ||
	    member(h, "tty_driver", "minor_start", &L->d_minor))
		return -1;
	L->tty_state = 1;
	return 0;
}

/* struct kthread's full_name and struct worker, for proc_task_name(). */
static void
layout_kname(sym_t *h, struct kt_layout *L)
{
	uint64_t a;

	if (L->kname_state)
		return;
	L->kname_state = 1;
	if (!L->have_kthread)
		return;
	/* d6986ce24fc0 (6.0): names longer than comm kept in full */
	L->have_full_name = member(h, "kthread", "full_name",
	    &L->k_full_name) == 0;
	L->have_wq = member(h, "kthread", "data", &L->k_data) == 0 &&
	    member(h, "worker", "pool", &L->w_pool) == 0 &&
	    member(h, "worker", "desc", &L->w_desc) == 0 &&
	    member(h, "worker", "current_work", &L->w_current) == 0;
	if (!L->have_wq)
		_sym_explain(h, "no struct worker in the BTF (%s): workqueue "
		    "workers are shown by comm alone", h->errbuf);
	/*
	 * 2a1b02bcba78 (6.10): wq_worker_comm() names a worker by
	 * format_worker_id(), from the worker, no longer by its comm, so
	 * that rescuers show kworker/R-<the whole workqueue name>.  That
	 * commit added the function, and only a kernel that has it names
	 * workers so.
	 */
	L->have_wq_id = L->have_wq &&
	    _sym_addr(h, "format_worker_id", &a) == 0 &&
	    member(h, "worker", "rescue_wq", &L->w_rescue) == 0 &&
	    member(h, "worker", "id", &L->w_id) == 0 &&
	    member(h, "worker_pool", "cpu", &L->p_cpu) == 0 &&
	    member(h, "worker_pool", "id", &L->p_id) == 0 &&
	    member(h, "worker_pool", "attrs", &L->p_attrs) == 0 &&
	    member(h, "workqueue_attrs", "nice", &L->a_nice) == 0 &&
	    member(h, "workqueue_struct", "name", &L->q_name) == 0;
	if (L->have_wq_id)
		_sym_explain(h, "format_worker_id() present (6.10, "
		    "2a1b02bcba78): workers named from struct worker, not "
		    "comm");
	h->errbuf[0] = '\0';
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

static void
mc_clear(struct kt_mmcache *mc)
{
	free(mc->cmdline);
	memset(mc, 0, sizeof(*mc));
}

static void
ctx_clear(struct kt_ctx *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		free(c->ent[i].t.cmdline);
	free(c->ent);
	c->ent = NULL;
	c->n = c->cap = 0;
	map_free(&c->seen);
	map_free(&c->pidnr);
	mc_clear(&c->mc);
	c->count = c->skipped = c->accepted = 0;
	c->tty_addr = 0;
}

static struct sym_task *
add_ent(struct kt_ctx *c, size_t seq)
{
	struct kt_ent *e;

	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 256;

		if ((e = realloc(c->ent, cap * sizeof(*e))) == NULL) {
			_sym_err(c->h, "out of memory for %zu tasks", cap);
			return NULL;
		}
		c->ent = e;
		c->cap = cap;
	}
	e = &c->ent[c->n++];
	memset(e, 0, sizeof(*e));
	e->seq = seq;
	return &e->t;
}

static int
read_task(struct kt_ctx *c, uint64_t task, unsigned char *buf)
{
	return sym_read(c->h, task, buf, c->L.task_len);
}

/* pid_nr_ns(pid, &init_pid_ns); 0 for a NULL pid, as the kernel. */
static int
pid_number(struct kt_ctx *c, uint64_t pid, int *nr)
{
	int32_t *v, x;

	if (pid == 0) {
		*nr = 0;
		return 0;
	}
	if ((v = map_get(&c->pidnr, pid)) != NULL) {
		*nr = *v;
		return 0;
	}
	if (!ptr_ok(pid)) {
		_sym_err(c->h, "struct pid pointer 0x%llx %s",
		    (unsigned long long)pid, ptr_why(pid));
		return -1;
	}
	if (sym_read(c->h, pid + c->L.pid_nr_off, &x, 4) == -1)
		return -1;
	map_put(&c->pidnr, pid, x);
	*nr = x;
	return 0;
}

/* tty_nr and tpgid, for one signal->tty */
static int
tty_numbers(struct kt_ctx *c, uint64_t tty, unsigned *tty_nr, int *tpgid)
{
	struct kt_layout *L = &c->L;
	uint64_t drv = 0, pgrp = 0;
	int32_t index = 0, major = 0, minor = 0;
	int nr;

	if (tty == c->tty_addr) {
		*tty_nr = c->tty_nr;
		*tpgid = c->tty_pgrp;
		return 0;
	}
	if (layout_tty(c->h, L) == -1)
		return -1;
	if (!ptr_ok(tty)) {
		_sym_err(c->h, "signal->tty 0x%llx %s",
		    (unsigned long long)tty, ptr_why(tty));
		return -1;
	}
	if (sym_read(c->h, tty + L->t_driver.offset, &drv, 8) == -1 ||
	    sym_read(c->h, tty + L->t_index.offset, &index, 4) == -1 ||
	    sym_read(c->h, tty + L->t_pgrp.offset, &pgrp, 8) == -1)
		return -1;
	if (!ptr_ok(drv)) {
		_sym_err(c->h, "tty 0x%llx: driver 0x%llx %s",
		    (unsigned long long)tty, (unsigned long long)drv,
		    ptr_why(drv));
		return -1;
	}
	if (sym_read(c->h, drv + L->d_major.offset, &major, 4) == -1 ||
	    sym_read(c->h, drv + L->d_minor.offset, &minor, 4) == -1 ||
	    pid_number(c, pgrp, &nr) == -1)
		return -1;
	c->tty_addr = tty;
	c->tty_nr = *tty_nr = _kt_tty_nr(major, minor, index);
	c->tty_pgrp = *tpgid = nr;
	_sym_explain(c->h, "tty 0x%llx: driver major %d, minor_start %d + "
	    "index %d -> tty_nr %u; foreground pgrp %d",
	    (unsigned long long)tty, major, minor, index, *tty_nr, nr);
	return 0;
}

/* A bounded C string from kernel memory (kthread->full_name). */
static int
read_kstring(sym_t *h, uint64_t addr, char *buf, size_t len)
{
	size_t i;

	if (!_sym_kaddr_ok(addr))
		return -1;
	/* One byte at a time would cost a read each: a page at most. */
	for (i = 0; i < len - 1; i++) {
		if (sym_read(h, addr + i, buf + i, 1) == -1)
			return -1;
		if (buf[i] == '\0')
			return 0;
	}
	buf[len - 1] = '\0';
	return 0;
}

/* A kernel int of 1, 2 or 4 bytes at addr + m's offset, sign-extended. */
static int
read_int(sym_t *h, uint64_t addr, const struct sym_member *m, int *v)
{
	unsigned char b[8] = { 0 };
	struct sym_member at = *m;

	if (m->size == 0 || m->size > 4 ||
	    sym_read(h, addr + m->offset, b, m->size) == -1)
		return -1;
	at.offset = 0;
	*v = (int)get_s(b, &at);
	return 0;
}

/*
 * format_worker_id() (kernel/workqueue.c, 6.10): "kworker/R-<wq name>"
 * for a rescuer, "kworker/<cpu>:<id>" with "H" for a nice < 0 pool,
 * "kworker/u<pool id>:<id>" for an unbound one, "kworker/dying" for a
 * worker that left its pool.
 */
static int
worker_id(struct kt_ctx *c, uint64_t worker, uint64_t pool, char *out)
{
	struct kt_layout *L = &c->L;
	uint64_t wq = 0, attrs = 0;
	char name[64];
	int id, cpu, pid, nice;
	size_t n;

	if (sym_read(c->h, worker + L->w_rescue.offset, &wq, 8) == -1)
		return -1;
	if (wq != 0) {
		n = L->q_name.size < sizeof(name) ? L->q_name.size :
		    sizeof(name) - 1;
		if (!ptr_ok(wq) || read_kstring(c->h, wq + L->q_name.offset,
		    name, n + 1) == -1)
			return -1;
		snprintf(out, KT_COMM_LEN, "kworker/R-%.*s", KT_COMM_LEN - 11,
		    name);
		return 0;
	}
	if (pool == 0) {
		snprintf(out, KT_COMM_LEN, "kworker/dying");
		return 0;
	}
	if (read_int(c->h, worker, &L->w_id, &id) == -1 ||
	    read_int(c->h, pool, &L->p_cpu, &cpu) == -1)
		return -1;
	if (cpu < 0) {
		if (read_int(c->h, pool, &L->p_id, &pid) == -1)
			return -1;
		snprintf(out, KT_COMM_LEN, "kworker/u%d:%d", pid, id);
		return 0;
	}
	if (sym_read(c->h, pool + L->p_attrs.offset, &attrs, 8) == -1 ||
	    !ptr_ok(attrs) || read_int(c->h, attrs, &L->a_nice, &nice) == -1)
		return -1;
	snprintf(out, KT_COMM_LEN, "kworker/%d:%d%s", cpu, id,
	    nice < 0 ? "H" : "");
	return 0;
}

/*
 * wq_worker_comm(): the worker's name (comm before 6.10, worker_id()
 * since), then, in a pool, "+desc" while it runs a work item and
 * "-desc" after; 63 bytes in all (proc_task_name's tcomm[64]).
 */
static int
worker_name(struct kt_ctx *c, uint64_t kt, char *out)
{
	struct kt_layout *L = &c->L;
	uint64_t data, pool = 0, cur = 0;
	char desc[64];
	size_t n, o, d;

	if (!L->have_wq || sym_read(c->h, kt + L->k_data.offset, &data,
	    8) == -1 || !ptr_ok(data) ||
	    sym_read(c->h, data + L->w_pool.offset, &pool, 8) == -1)
		return -1;
	if (L->have_wq_id && worker_id(c, data, pool, out) == -1)
		return -1;
	if (pool == 0)
		return 0;
	n = L->w_desc.size < sizeof(desc) ? L->w_desc.size : sizeof(desc) - 1;
	if (sym_read(c->h, data + L->w_desc.offset, desc, n) == -1 ||
	    sym_read(c->h, data + L->w_current.offset, &cur, 8) == -1)
		return -1;
	desc[n] = '\0';
	if (desc[0] != '\0') {
		o = strlen(out);
		d = strlen(desc);
		out[o++] = cur ? '+' : '-';
		if (d > KT_COMM_LEN - 1 - o)
			d = KT_COMM_LEN - 1 - o;
		memcpy(out + o, desc, d);
		out[o + d] = '\0';
	}
	return 0;
}

/*
 * proc_task_name(): workqueue workers as wq_worker_comm() names them;
 * other kernel threads their full name when comm truncated it
 * (get_kthread_comm, 6.0).
 */
static void
task_name(struct kt_ctx *c, const unsigned char *tb, uint64_t task,
    unsigned flags, char *out)
{
	struct kt_layout *L = &c->L;
	char comm[KT_COMM_LEN], full_name[64];
	uint64_t kt, full = 0;
	size_t n = L->comm.size < sizeof(comm) ? L->comm.size : sizeof(comm) - 1;

	memcpy(comm, tb + L->comm.offset, n);
	comm[n] = '\0';
	snprintf(out, KT_COMM_LEN, "%s", comm);
	if (!(flags & (PF_WQ_WORKER | PF_KTHREAD)))
		return;
	layout_kname(c->h, L);
	if (!L->have_kthread || !ptr_ok(kt = get_u(tb, &L->kthread)))
		return;
	if (flags & PF_WQ_WORKER) {
		if (worker_name(c, kt, out) == -1)
			goto unknown;
		return;
	}
	if (!L->have_full_name)
		return;
	if (sym_read(c->h, kt + L->k_full_name.offset, &full, 8) == -1)
		goto unknown;
	if (full != 0 && read_kstring(c->h, full, full_name,
	    sizeof(full_name)) == 0)
		snprintf(out, KT_COMM_LEN, "%s", full_name);
	return;
unknown:
	snprintf(out, KT_COMM_LEN, "%s", comm);
	_sym_explain(c->h, "task 0x%llx (%s): its kernel-thread name could "
	    "not be read (%s): comm alone", (unsigned long long)task, comm,
	    c->h->errbuf);
	c->h->errbuf[0] = '\0';
}

/*
 * get_mm_cmdline() (fs/proc/base.c, 5.2 and later): argv between
 * arg_start and arg_end; when the byte before arg_end is not NUL,
 * setproctitle() has overwritten it, and the kernel returns the string
 * at arg_start instead, up to its NUL, one page at most, and no further
 * than env_end when the environment follows argv.
 */
static int
read_cmdline(struct kt_ctx *c, const unsigned char *mb, char **out,
    size_t *outlen)
{
	struct kt_layout *L = &c->L;
	uint64_t pgd = get_u(mb, &L->m_pgd);
	uint64_t as = get_u(mb, &L->m_arg_start), ae = get_u(mb, &L->m_arg_end);
	uint64_t es = get_u(mb, &L->m_env_start), ee = get_u(mb, &L->m_env_end);
	uint64_t len, want;
	ssize_t got;
	char *buf, last;

	*out = NULL;
	*outlen = 0;
	if (ee == 0 || as >= ae)
		return 0;		/* not far enough into exec */
	if (!ptr_ok(pgd)) {
		_sym_err(c->h, "mm->pgd 0x%llx %s",
		    (unsigned long long)pgd, ptr_why(pgd));
		return -1;
	}
	if (es != ae || ee < es)
		es = ee = ae;
	len = ee - as;
	want = ae - as;
	if (want > KT_CMDLINE_MAX)
		want = KT_CMDLINE_MAX;
	if ((buf = malloc(want > SYM_PAGE_SIZE ? want : SYM_PAGE_SIZE)) ==
	    NULL) {
		_sym_err(c->h, "out of memory for a command line");
		return -1;
	}
	if ((got = _pt_read_user(c->h, pgd, as, buf, want)) == -1)
		goto fail;
	if ((uint64_t)got == ae - as)
		last = buf[got - 1];
	else if (_pt_read_user(c->h, pgd, ae - 1, &last, 1) != 1)
		last = '\0';
	if (last != '\0') {
		/* setproctitle(): the string at arg_start, one page at most */
		want = len < SYM_PAGE_SIZE ? len : SYM_PAGE_SIZE;
		if ((got = _pt_read_user(c->h, pgd, as, buf, SYM_PAGE_SIZE)) ==
		    -1)
			goto fail;
		len = strnlen(buf, (size_t)got);
		if (len < (uint64_t)got)
			len++;
		if (len > want)
			len = want;
		got = (ssize_t)len;
		_sym_explain(c->h, "argv's last byte at 0x%llx is not NUL: "
		    "setproctitle() rewrote it; %zd bytes from arg_start as "
		    "/proc gives them", (unsigned long long)(ae - 1), got);
	}
	if (got == 0) {
		free(buf);
		return 0;
	}
	*out = buf;
	*outlen = (size_t)got;
	return 0;
fail:
	free(buf);
	return -1;
}

/*
 * get_mm_counter_sum() for file, anon and shmem: percpu_counter_sum_
 * positive() of each, its central count plus every CPU's s32 delta at
 * counters + __per_cpu_offset[cpu], clamped at 0.
 */
static int
vm_rss_sum(struct kt_ctx *c, uint64_t mm, long *out)
{
	static const int idx[] = { MM_FILEPAGES, MM_ANONPAGES, MM_SHMEMPAGES };
	struct kt_layout *L = &c->L;
	const unsigned char *fbc;
	uint64_t pcpu, a;
	int64_t sum, part[3];
	int32_t d;
	uint32_t k;
	size_t i;

	*out = 0;
	for (i = 0; i < 3; i++) {
		fbc = c->mmb + L->m_rss.offset + (uint64_t)idx[i] *
		    L->rss_stride;
		memcpy(&sum, fbc + L->rss_count_off, 8);
		pcpu = get_u(fbc, &L->p_counters);
		for (k = 0; pcpu != 0 && k < c->cpus->n; k++) {
			a = pcpu + c->cpus->c[k].off;
			if (!_sym_kaddr_ok(a) || (a & 3) != 0) {
				_sym_err(c->h, "mm 0x%llx: rss_stat[%d]."
				    "counters 0x%llx + cpu%u's offset is not "
				    "a kernel address", (unsigned long long)mm,
				    idx[i], (unsigned long long)pcpu,
				    c->cpus->c[k].cpu);
				return -1;
			}
			if (sym_read(c->h, a, &d, 4) == -1)
				return -1;
			sum += d;
		}
		part[i] = sum;
		if (sum > 0)
			*out += (long)sum;
	}
	_sym_explain(c->h, "mm 0x%llx: VmRSS = file %lld + anon %lld + shmem "
	    "%lld pages, each summed over %u CPUs", (unsigned long long)mm,
	    (long long)part[0], (long long)part[1], (long long)part[2],
	    c->cpus->n);
	return 0;
}

/* vsize, rss, VmLck and the command line of one mm, cached by address. */
static int
mm_facts(struct kt_ctx *c, uint64_t mm)
{
	struct kt_layout *L = &c->L;
	struct kt_mmcache *mc = &c->mc;
	long rss = 0;
	int64_t v;
	int i;

	if (mc->ok && mc->addr == mm)
		return 0;
	mc_clear(mc);
	if (!ptr_ok(mm)) {
		_sym_err(c->h, "task->mm 0x%llx %s",
		    (unsigned long long)mm, ptr_why(mm));
		return -1;
	}
	if (sym_read(c->h, mm, c->mmb, L->mm_len) == -1)
		return -1;
	/* task_vsize(): total_vm pages; VmLck: locked_vm << (PAGE_SHIFT-10) */
	mc->vsize = (unsigned long)get_u(c->mmb, &L->m_total_vm) *
	    SYM_PAGE_SIZE;
	mc->locked_kb = (unsigned long)get_u(c->mmb, &L->m_locked_vm) *
	    (SYM_PAGE_SIZE / 1024);
	/* get_mm_rss(): file + anon + shmem, each clamped at 0 */
	for (i = 0; i < NR_MM_COUNTERS; i++) {
		if (i != MM_FILEPAGES && i != MM_ANONPAGES &&
		    i != MM_SHMEMPAGES)
			continue;
		memcpy(&v, c->mmb + L->m_rss.offset + L->rss_count_off +
		    (uint64_t)i * L->rss_stride, 8);
		if (v > 0)
			rss += (long)v;
	}
	mc->rss = mc->vm_rss = rss;
	if (c->cpus != NULL && vm_rss_sum(c, mm, &mc->vm_rss) == -1)
		return -1;
	if ((c->flags & SYM_TASKS_CMDLINE) &&
	    read_cmdline(c, c->mmb, &mc->cmdline, &mc->cmdline_len) == -1) {
		_sym_explain(c->h, "mm 0x%llx: command line unreadable (%s): "
		    "left empty", (unsigned long long)mm, c->h->errbuf);
		c->h->errbuf[0] = '\0';
	}
	mc->addr = mm;
	mc->ok = 1;
	return 0;
}

/* What every thread of a group shares: signal_struct and the tty. */
struct kt_group {
	uint64_t sig;
	int nlwp, pgrp, session, tpgid;
	unsigned tty_nr;
	int have_sighand;
};

static int
group_facts(struct kt_ctx *c, const unsigned char *lb, struct kt_group *g)
{
	struct kt_layout *L = &c->L;
	uint64_t pids[PIDTYPE_MAX], tty;

	memset(g, 0, sizeof(*g));
	g->sig = get_u(lb, &L->signal);
	if (!ptr_ok(g->sig)) {
		_sym_err(c->h, "task->signal 0x%llx %s",
		    (unsigned long long)g->sig, ptr_why(g->sig));
		return -1;
	}
	if (sym_read(c->h, g->sig, c->sig, L->sig_len) == -1)
		return -1;
	/* lock_task_sighand() fails once release_task() cleared sighand:
	 * do_task_stat then keeps its defaults. */
	g->have_sighand = get_u(lb, &L->sighand) != 0;
	g->pgrp = g->session = g->tpgid = -1;
	if (!g->have_sighand)
		return 0;
	g->nlwp = (int)get_s(c->sig, &L->s_nr_threads);
	memcpy(pids, c->sig + L->s_pids.offset, sizeof(pids));
	if (pid_number(c, pids[PIDTYPE_PGID], &g->pgrp) == -1 ||
	    pid_number(c, pids[PIDTYPE_SID], &g->session) == -1)
		return -1;
	if ((tty = get_u(c->sig, &L->s_tty)) != 0 &&
	    tty_numbers(c, tty, &g->tty_nr, &g->tpgid) == -1)
		return -1;
	return 0;
}

/* /proc/PID/wchan: the symbol get_wchan() names; "" for its "0". */
static void
task_wchan(struct kt_ctx *c, uint64_t task, struct sym_task *t)
{
	uint64_t ip;

	if (_orc_wchan(c->h, task, &ip) == -1 || (ip != 0 &&
	    _orc_name(c->h, ip, t->wchan, sizeof(t->wchan)) == -1))
		_sym_explain(c->h, "pid %d: wchan unknown: %s", t->tid,
		    c->h->errbuf);
	c->h->errbuf[0] = '\0';
}

/* The fields of one task itself (not its group's). */
static int
task_fields(struct kt_ctx *c, const unsigned char *tb, uint64_t task,
    const struct kt_group *g, struct sym_task *t)
{
	struct kt_layout *L = &c->L;
	uint64_t parent, cred, mm;
	int32_t *pt, ptgid = 0;
	int i;

	t->tid = (int)get_s(tb, &L->pid);
	t->pid = (int)get_s(tb, &L->tgid);
	t->flags = (unsigned)get_u(tb, &L->flags);
	t->state = _kt_state_char((unsigned)get_u(tb, &L->state),
	    (unsigned)get_u(tb, &L->exit_state));
	/* task_prio(): prio - MAX_RT_PRIO; task_nice(): static_prio - 120 */
	t->priority = (long)get_s(tb, &L->prio) - 100;
	t->nice = (long)get_s(tb, &L->static_prio) - 120;
	t->rt_priority = (unsigned)get_u(tb, &L->rt_priority);
	t->policy = (unsigned)get_u(tb, &L->policy);
	t->processor = L->have_cpu ? (int)get_s(tb, &L->cpu) : 0;
	/* nsec_to_clock_t(start_boottime) */
	t->start_time = get_u(tb, &L->start) / (NSEC_PER_SEC / USER_HZ);
	task_name(c, tb, task, t->flags, t->comm);
	if (c->flags & SYM_TASKS_WCHAN)
		task_wchan(c, task, t);

	t->pgrp = g->pgrp;
	t->session = g->session;
	t->tty_nr = g->tty_nr;
	t->tpgid = g->tpgid;
	t->nlwp = g->nlwp;
	t->ppid = 0;
	/* task_ppid_nr_ns(): real_parent's tgid while pid_alive() */
	if (g->have_sighand && (!L->have_thread_pid ||
	    get_u(tb, &L->thread_pid) != 0)) {
		parent = get_u(tb, &L->real_parent);
		if ((pt = map_get(&c->seen, parent)) != NULL)
			ptgid = *pt;
		else if (parent == L->init_task)
			ptgid = 0;
		else if (!ptr_ok(parent) || sym_read(c->h, parent +
		    L->tgid.offset, &ptgid, 4) == -1) {
			_sym_err(c->h, "real_parent 0x%llx unreadable",
			    (unsigned long long)parent);
			return -1;
		}
		t->ppid = ptgid;
	}
	/* proc_pid_status shows get_task_cred(): the objective real_cred */
	cred = get_u(tb, &L->real_cred);
	if (!ptr_ok(cred)) {
		_sym_err(c->h, "real_cred 0x%llx %s",
		    (unsigned long long)cred, ptr_why(cred));
		return -1;
	}
	if (sym_read(c->h, cred, c->cred, L->cred_len) == -1)
		return -1;
	for (i = 0; i < 4; i++) {
		t->uid[i] = (unsigned)get_u(c->cred, &L->c_id[i]);
		t->gid[i] = (unsigned)get_u(c->cred, &L->c_id[4 + i]);
	}
	/* get_task_mm(): none for kernel threads, even with a borrowed mm */
	mm = get_u(tb, &L->mm);
	if (mm != 0 && !(t->flags & PF_KTHREAD)) {
		if (mm_facts(c, mm) == -1)
			return -1;
		t->vsize = c->mc.vsize;
		t->rss = c->mc.rss;
		/* status VmRSS, in KiB (4 KiB pages) */
		t->vm_rss_kb = (unsigned long long)c->mc.vm_rss *
		    (SYM_PAGE_SIZE / 1024);
		t->vm_lock_kb = c->mc.locked_kb;
		if (c->mc.cmdline_len > 0) {
			if ((t->cmdline = malloc(c->mc.cmdline_len)) == NULL) {
				_sym_err(c->h, "out of memory");
				return -1;
			}
			memcpy(t->cmdline, c->mc.cmdline, c->mc.cmdline_len);
			t->cmdline_len = c->mc.cmdline_len;
		}
	}
	return 0;
}

static void
task_times(const struct kt_layout *L, const unsigned char *tb,
    struct sym_task *t)
{
	uint64_t ut, st;

	if (L->have_prev)
		_kt_cputime_adjust(get_u(tb, &L->utime), get_u(tb, &L->stime),
		    get_u(tb, &L->sumexec), get_u(tb, &L->prev_ut),
		    get_u(tb, &L->prev_st), &ut, &st);
	else {
		ut = get_u(tb, &L->utime);
		st = get_u(tb, &L->stime);
	}
	t->utime = ut / (NSEC_PER_SEC / USER_HZ);
	t->stime = st / (NSEC_PER_SEC / USER_HZ);
}

static void
skip_task(struct kt_ctx *c, uint64_t task, const char *what)
{
	c->skipped++;
	_sym_explain(c->h, "skipped %s at 0x%llx: %s", what,
	    (unsigned long long)task, c->h->errbuf);
	c->h->errbuf[0] = '\0';
}

/*
 * One process: its group facts, then its threads on signal->thread_head,
 * summed as thread_group_cputime() sums them, or listed one by one.
 * KT_RETRY when the thread list moved under us (not on the last try).
 */
static int
do_process(struct kt_ctx *c, uint64_t leader, const unsigned char *lb)
{
	struct kt_layout *L = &c->L;
	struct kt_group g;
	struct sym_task *t, lt;
	uint64_t head, node, prev, back, task, sum_ut, sum_st, sum_rt, ut, st;
	const unsigned char *tb;
	size_t seq = 0, first = c->n;
	int threads = c->flags & SYM_TASKS_THREADS, leader_seen = 0;
	int32_t *known;

	if (group_facts(c, lb, &g) == -1) {
		skip_task(c, leader, "process");
		return KT_OK;
	}
	memset(&lt, 0, sizeof(lt));
	if (task_fields(c, lb, leader, &g, &lt) == -1) {
		skip_task(c, leader, "process");
		return KT_OK;
	}
	sum_ut = get_u(c->sig, &L->s_utime);
	sum_st = get_u(c->sig, &L->s_stime);
	sum_rt = get_u(c->sig, &L->s_sum);

	head = g.sig + L->s_thread_head.offset;
	prev = head;
	memcpy(&node, c->sig + L->s_thread_head.offset, 8);
	while (node != head) {
		if (!ptr_ok(node)) {
			_sym_err(c->h, "pid %d: thread list pointer 0x%llx %s",
			    lt.pid, (unsigned long long)node, ptr_why(node));
			goto broken;
		}
		task = node - L->thread_node.offset;
		if (task == leader) {
			if (leader_seen++) {
				_sym_err(c->h, "pid %d: thread list passes the "
				    "leader twice", lt.pid);
				goto broken;
			}
			tb = lb;
		} else {
			if (++c->count > KT_MAX_TASKS) {
				_sym_err(c->h, "more than %u tasks",
				    KT_MAX_TASKS);
				goto broken;
			}
			if ((known = map_get(&c->seen, task)) != NULL) {
				_sym_err(c->h, "pid %d: thread 0x%llx seen "
				    "twice (a cycle)", lt.pid,
				    (unsigned long long)task);
				goto broken;
			}
			if (read_task(c, task, c->buf) == -1)
				goto broken;
			tb = c->buf;
			map_put(&c->seen, task, (int32_t)get_s(tb, &L->tgid));
		}
		memcpy(&back, tb + L->thread_node.offset + 8, 8);
		if (back != prev) {
			if (!c->final) {
				_sym_explain(c->h, "pid %d: thread 0x%llx does "
				    "not point back to 0x%llx: the list "
				    "changed, walking again", lt.pid,
				    (unsigned long long)task,
				    (unsigned long long)prev);
				free(lt.cmdline);
				return KT_RETRY;
			}
			c->accepted++;
			_sym_explain(c->h, "pid %d: thread 0x%llx does not "
			    "point back (the list is changing): taken as "
			    "found", lt.pid, (unsigned long long)task);
		}
		sum_ut += get_u(tb, &L->utime);
		sum_st += get_u(tb, &L->stime);
		sum_rt += get_u(tb, &L->sumexec);
		if (threads) {
			if ((t = add_ent(c, task == leader ? 0 : ++seq)) ==
			    NULL) {
				free(lt.cmdline);
				return KT_FAIL;
			}
			if (task == leader) {
				*t = lt;
				lt.cmdline = NULL;
			} else if (task_fields(c, tb, task, &g, t) == -1) {
				c->n--;
				free(t->cmdline);
				skip_task(c, task, "thread");
				goto next;
			}
			task_times(L, tb, t);
		}
next:
		prev = node;
		memcpy(&node, tb + L->thread_node.offset, 8);
	}
	/* thread_group_cputime_adjusted() against signal->prev_cputime */
	if (L->have_s_prev)
		_kt_cputime_adjust(sum_ut, sum_st, sum_rt,
		    get_u(c->sig, &L->s_prev_ut), get_u(c->sig, &L->s_prev_st),
		    &ut, &st);
	else {
		ut = sum_ut;
		st = sum_st;
	}
	lt.utime = ut / (NSEC_PER_SEC / USER_HZ);
	lt.stime = st / (NSEC_PER_SEC / USER_HZ);
	if (threads) {
		/* The leader's line is /proc/PID/stat's, with the process's
		 * times, as procps reads it (not task/PID/stat). */
		for (; first < c->n; first++)
			if (c->ent[first].t.tid == lt.pid) {
				c->ent[first].t.utime = lt.utime;
				c->ent[first].t.stime = lt.stime;
			}
		free(lt.cmdline);
		return KT_OK;
	}
	if ((t = add_ent(c, 0)) == NULL) {
		free(lt.cmdline);
		return KT_FAIL;
	}
	*t = lt;
	return KT_OK;
broken:
	if (!c->final && c->h->live) {
		_sym_explain(c->h, "%s: walking again", c->h->errbuf);
		free(lt.cmdline);
		return KT_RETRY;
	}
	/* Keep the process, without the threads past the break. */
	_sym_explain(c->h, "%s: the rest of pid %d's threads are skipped",
	    c->h->errbuf, lt.pid);
	c->skipped++;
	c->h->errbuf[0] = '\0';
	if (threads && c->n > first) {
		free(lt.cmdline);
		return KT_OK;
	}
	/* The leader alone, with its own times. */
	if ((t = add_ent(c, 0)) == NULL) {
		free(lt.cmdline);
		return KT_FAIL;
	}
	task_times(L, lb, &lt);
	*t = lt;
	return KT_OK;
}

/*
 * One walk of init_task.tasks (for_each_process): from init_task's own
 * list_head around to it again.  init_task itself, pid 0, is not listed,
 * as /proc does not list it.
 */
static int
walk(struct kt_ctx *c)
{
	struct kt_layout *L = &c->L;
	uint64_t head = L->init_task + L->tasks.offset, cur = head, next, back;
	uint64_t task;
	unsigned char *tb;
	int rc;

	if ((tb = malloc(L->task_len)) == NULL) {
		_sym_err(c->h, "out of memory");
		return KT_FAIL;
	}
	if (sym_read(c->h, head, &next, 8) == -1)
		goto fail;
	while (next != head) {
		if (!ptr_ok(next)) {
			_sym_err(c->h, "task list: the next pointer 0x%llx in "
			    "the list_head at 0x%llx %s",
			    (unsigned long long)next, (unsigned long long)cur,
			    ptr_why(next));
			goto broken;
		}
		task = next - L->tasks.offset;
		if (map_get(&c->seen, task) != NULL) {
			_sym_err(c->h, "task list: task 0x%llx reached twice "
			    "without returning to init_task at 0x%llx (a "
			    "cycle)", (unsigned long long)task,
			    (unsigned long long)L->init_task);
			goto broken;
		}
		if (++c->count > KT_MAX_TASKS) {
			_sym_err(c->h, "task list: more than %u tasks without "
			    "returning to init_task (PID_MAX_LIMIT)",
			    KT_MAX_TASKS);
			goto broken;
		}
		if (read_task(c, task, tb) == -1) {
			char why[SYM_ERRSIZE];

			snprintf(why, sizeof(why), "%s", c->h->errbuf);
			_sym_err(c->h, "task list: the task at 0x%llx (from "
			    "0x%llx) cannot be read: %s",
			    (unsigned long long)task, (unsigned long long)cur,
			    why);
			goto broken;
		}
		memcpy(&back, tb + L->tasks.offset + 8, 8);
		if (back != cur) {
			if (!c->final) {
				_sym_explain(c->h, "task 0x%llx (pid %d) does "
				    "not point back to 0x%llx: the list "
				    "changed under us, walking again",
				    (unsigned long long)task,
				    (int)get_s(tb, &L->pid),
				    (unsigned long long)cur);
				free(tb);
				return KT_RETRY;
			}
			c->accepted++;
			_sym_explain(c->h, "task 0x%llx (pid %d) does not point "
			    "back to 0x%llx (the list is changing): taken as "
			    "found", (unsigned long long)task,
			    (int)get_s(tb, &L->pid), (unsigned long long)cur);
		}
		if (map_put(&c->seen, task, (int32_t)get_s(tb, &L->tgid)) ==
		    -1) {
			_sym_err(c->h, "out of memory");
			free(tb);
			return KT_FAIL;
		}
		if ((rc = do_process(c, task, tb)) != KT_OK) {
			free(tb);
			return rc;
		}
		cur = next;
		memcpy(&next, tb + L->tasks.offset, 8);
	}
	free(tb);
	return KT_OK;
broken:
	if (!c->final && c->h->live) {
		_sym_explain(c->h, "%s: walking again", c->h->errbuf);
		free(tb);
		return KT_RETRY;
	}
	/* A live list that kept changing: what was read before the break
	 * is real; a dump's list does not change, so there it is damage. */
	if (c->h->live) {
		_sym_explain(c->h, "%s: the list kept changing; listing the %zu "
		    "tasks read before the break", c->h->errbuf, c->n);
		c->skipped++;
		c->h->errbuf[0] = '\0';
		free(tb);
		return KT_OK;
	}
fail:
	free(tb);
	return KT_FAIL;
}

static int
cmp_ent(const void *a, const void *b)
{
	const struct kt_ent *x = a, *y = b;

	if (x->t.pid != y->t.pid)
		return x->t.pid < y->t.pid ? -1 : 1;
	if (x->seq != y->seq)
		return x->seq < y->seq ? -1 : 1;
	return 0;
}

/*
 * Does the kernel function fn call callee?  A direct call (e8 rel32) to
 * it in fn's first len bytes.  Call depth tracking (6.2) rewrites such
 * calls at boot to a thunk in the padding before the callee
 * (FUNCTION_PADDING_BYTES, at most 64), so that counts too.
 */
static int
code_calls(sym_t *h, const char *fn, const char *callee, size_t len,
    int *yes)
{
	unsigned char code[KT_CODE_SCAN];
	uint64_t at, to, dst;
	int32_t rel;
	size_t i;

	*yes = 0;
	if (len > sizeof(code))
		len = sizeof(code);
	if (_sym_addr(h, fn, &at) == -1 || _sym_addr(h, callee, &to) == -1 ||
	    sym_read(h, at, code, len) == -1)
		return -1;
	for (i = 0; i + 5 <= len && !*yes; i++) {
		if (code[i] != 0xe8)
			continue;
		memcpy(&rel, code + i + 1, 4);
		dst = at + i + 5 + (uint64_t)(int64_t)rel;
		*yes = dst <= to && to - dst <= 64;
	}
	return 0;
}

/*
 * /proc/PID/status's VmRSS (task_mem) read each rss counter's central
 * count, get_mm_counter(), from f1a7941243c1 (6.2) until 82241a83cd15
 * (6.16, "mm: fix the inaccurate memory statistics issue for users") made
 * it get_mm_counter_sum(), the sum over the CPUs.  Stable trees took that
 * commit (6.12.118 has it) and it changed no type, so neither a version
 * nor the BTF can tell: the kernel's own code does.  task_mem's first
 * statements read the counters, so its first bytes call
 * __percpu_counter_sum or not.  stat's rss (do_task_stat, get_mm_rss)
 * stays the central count.
 */
static void
rss_sum_setup(struct kt_ctx *c)
{
	sym_t *h = c->h;
	int yes;

	if (!c->L.rss_percpu)
		return;
	if (member(h, "percpu_counter", "counters", &c->L.p_counters) ==
	    -1 || c->L.p_counters.size != 8 ||
	    c->L.p_counters.offset + 8 > c->L.rss_stride ||
	    code_calls(h, "task_mem", "__percpu_counter_sum", KT_CODE_SCAN,
	    &yes) == -1) {
		_sym_explain(h, "VmRSS: whether task_mem() sums per CPU is "
		    "unknown (%s): the central counts", h->errbuf);
		h->errbuf[0] = '\0';
		return;
	}
	if (!yes) {
		_sym_explain(h, "VmRSS: task_mem() does not call "
		    "__percpu_counter_sum: the central counts");
		return;
	}
	/* 8b57b11cca88 (6.3): the sum covers dying CPUs too */
	if (_sym_cpus(h, 1, &c->cpus) == -1) {
		_sym_explain(h, "VmRSS: the CPUs are unknown (%s): the "
		    "central counts", h->errbuf);
		h->errbuf[0] = '\0';
		return;
	}
	_sym_explain(h, "VmRSS: task_mem() calls __percpu_counter_sum "
	    "(82241a83cd15): each counter summed over %u CPUs",
	    c->cpus->n);
}

/* With nohz_full CPUs, running tasks' pending vtime is not in utime. */
static void
note_vtime(sym_t *h)
{
	uint64_t a;
	int32_t enabled;

	if (_sym_probe(h, "context_tracking_key", &a) == 0 &&
	    sym_read(h, a, &enabled, 4) == 0 && enabled > 0)
		_sym_explain(h, "context tracking is on (nohz_full CPUs): "
		    "/proc adds the pending vtime of tasks running there to "
		    "utime/stime; kernel memory holds only what was flushed");
	h->errbuf[0] = '\0';
}

int
_kt_tasks(sym_t *h, unsigned flags, struct sym_tasks *out)
{
	struct kt_ctx c;
	size_t i;
	int try, rc = KT_FAIL;

	out->task = NULL;
	out->n = 0;
	memset(&c, 0, sizeof(c));
	c.h = h;
	c.flags = flags;
	if (layout(h, &c.L) == -1)
		return -1;
	if ((c.buf = malloc(c.L.task_len)) == NULL ||
	    (c.sig = malloc(c.L.sig_len)) == NULL ||
	    (c.mmb = malloc(c.L.mm_len)) == NULL ||
	    (c.cred = malloc(c.L.cred_len)) == NULL) {
		_sym_err(h, "out of memory");
		goto done;
	}
	if ((flags & SYM_TASKS_CMDLINE) && _pt_init(h) == -1)
		goto done;
	/* Without the ORC tables every wchan is unknown, shown as "-". */
	if ((flags & SYM_TASKS_WCHAN) && _orc_ready(h) == -1) {
		_sym_explain(h, "wchan not read: %s", h->errbuf);
		h->errbuf[0] = '\0';
		c.flags &= ~SYM_TASKS_WCHAN;
	}
	note_vtime(h);
	rss_sum_setup(&c);
	_sym_explain(h, "reading %llu bytes of each task_struct, following "
	    "tasks.next (+%llu) from init_task%s",
	    (unsigned long long)c.L.task_len,
	    (unsigned long long)c.L.tasks.offset, flags & SYM_TASKS_THREADS ?
	    " and each signal->thread_head" : "");
	/* A dead kernel does not change: one walk, taking what it finds. */
	for (try = 1; try <= KT_TRIES; try++) {
		c.final = try == KT_TRIES || !h->live;
		rc = walk(&c);
		if (rc != KT_RETRY)
			break;
		ctx_clear(&c);
	}
	if (rc != KT_OK)
		goto done;
	if (c.skipped || c.accepted)
		_sym_explain(h, "task list: %zu tasks read, %zu skipped, %zu "
		    "links taken while the list was changing (try %d of %d)",
		    c.count, c.skipped, c.accepted, try, KT_TRIES);
	else
		_sym_explain(h, "task list: %zu tasks read in %d walk%s",
		    c.count, try, try > 1 ? "s" : "");
	qsort(c.ent, c.n, sizeof(*c.ent), cmp_ent);
	if (c.n > 0 && (out->task = malloc(c.n * sizeof(*out->task))) ==
	    NULL) {
		_sym_err(h, "out of memory");
		rc = KT_FAIL;
		goto done;
	}
	for (i = 0; i < c.n; i++) {
		out->task[i] = c.ent[i].t;
		c.ent[i].t.cmdline = NULL;
	}
	out->n = c.n;
	h->errbuf[0] = '\0';
done:
	ctx_clear(&c);
	free(c.buf);
	free(c.sig);
	free(c.mmb);
	free(c.cred);
	free(c.cpus);
	return rc == KT_OK ? 0 : -1;
}

/* ---- ps's system facts ---- */

/*
 * getboottime64(): offs_real - offs_boot of the timekeeper, what
 * /proc/stat prints as btime.
 */
static int
boot_time(sym_t *h, unsigned long long *bt)
{
	struct sym_member real, boot;
	unsigned char tk[1024];
	uint64_t seq, tka, end;
	int64_t r, b, t, sec;

	if (_sym_timekeeper(h, &seq, &tka) == -1 ||
	    member(h, "timekeeper", "offs_real", &real) == -1 ||
	    member(h, "timekeeper", "offs_boot", &boot) == -1)
		return -1;
	end = (real.offset > boot.offset ? real.offset : boot.offset) + 8;
	if (end > sizeof(tk)) {
		_sym_err(h, "struct timekeeper: offs_real or offs_boot at %llu "
		    "bytes is implausible", (unsigned long long)end);
		return -1;
	}
	if (_sym_timekeeper_copy(h, seq, tka, tk, end) == -1)
		return -1;
	r = (int64_t)_sym_field(tk, &real);
	b = (int64_t)_sym_field(tk, &boot);
	/* ktime_to_timespec64 rounds toward minus infinity */
	t = r - b;
	sec = t / (int64_t)NSEC_PER_SEC;
	if (t % (int64_t)NSEC_PER_SEC < 0)
		sec--;
	*bt = (unsigned long long)sec;
	_sym_explain(h, "btime: timekeeper offs_real %lld ns - offs_boot %lld "
	    "ns = %lld s since the epoch", (long long)r, (long long)b,
	    (long long)sec);
	return 0;
}

/*
 * kernel.pid_max of the kernel read (procps sizes PID columns by it); a
 * dump's is not the reading machine's.  Optional: 0 if unknown.  The
 * variable pid_max, or since 7863dcc72d0f (6.14) init_pid_ns.pid_max.
 */
static long
pid_max(sym_t *h)
{
	static const char *const var[] = { "pid_max", NULL };
	static const char *const ns[] = { "init_pid_ns", NULL };
	struct sym_member m = { 0, 4 };
	const char *which;
	uint64_t a;
	uint32_t v;

	if (_sym_addr_any(h, var, &a, &which) != 0 &&
	    (_sym_addr_any(h, ns, &a, &which) != 0 ||
	    member(h, "pid_namespace", "pid_max", &m) == -1))
		return 0;
	if (m.size != 4 || _sym_read_u32(h, a + m.offset, &v) == -1 ||
	    v == 0 || v > (1U << 22))
		return 0;
	_sym_explain(h, "pid_max: %u (%s%s)", v, which,
	    strcmp(which, "pid_max") != 0 ? ".pid_max" : "");
	return (long)v;
}

int
_kt_psinfo(sym_t *h, struct sym_psinfo *out)
{
	struct sym_uptime up;
	uint64_t a, ps = 0;
	unsigned long pages;

	memset(out, 0, sizeof(*out));
	memset(&up, 0, sizeof(up));
	if (_kern_uptime(h, &up) == -1)
		return -1;
	out->uptime = up.uptime;
	out->now = up.now;
	out->hz = USER_HZ;
	out->page_size = SYM_PAGE_SIZE;
	if (h->vmcoreinfo != NULL && _vmci_u64(h->vmcoreinfo,
	    h->vmcoreinfo_len, "PAGESIZE", 10, &ps) == 0 && ps >= 4096 &&
	    ps <= (1U << 20))
		out->page_size = (long)ps;
	if (boot_time(h, &out->boot_time) == -1)
		return -1;
	/* totalram_pages became the atomic _totalram_pages in 5.0
	 * (ca79b0c211af); MemTotal is it << (PAGE_SHIFT - 10). */
	if (_sym_addr(h, "_totalram_pages", &a) == -1 &&
	    _sym_addr(h, "totalram_pages", &a) == -1)
		return -1;
	if (_sym_read_ulong(h, a, &pages) == -1)
		return -1;
	out->memtotal_kb = (unsigned long long)pages *
	    (unsigned long long)out->page_size / 1024;
	_sym_explain(h, "MemTotal: totalram_pages %lu x %ld bytes = %llu kB",
	    pages, out->page_size, out->memtotal_kb);
	out->pid_max = pid_max(h);
	h->errbuf[0] = '\0';
	return 0;
}
