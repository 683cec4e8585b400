/*
 * The members the task walk reads, resolved from BTF once per walk:
 * task_struct as a table of rows, the rest by hand.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "task.h"

static int
member(sym_t *h, const char *type, const char *name, struct sym_member *m)
{
	return _sym_member(h, type, name, m);
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
	 * what /proc/PID/stat shows, so that is what we read too.  Either
	 * way every counter read lies inside rss_stat, which the read of
	 * mm_struct covers (issue 11: a BTF placing count past it).
	 */
	if (member(h, "mm_struct", "rss_stat.count", &cnt) == 0 &&
	    cnt.size == NR_MM_COUNTERS * 8 && cnt.offset >= L->m_rss.offset &&
	    cnt.offset + cnt.size <= L->m_rss.offset + L->m_rss.size) {
		L->rss_percpu = 0;
		L->rss_stride = 8;
		L->rss_count_off = cnt.offset - L->m_rss.offset;
		_sym_explain(h, "types: mm_struct.rss_stat.count[]: atomic "
		    "counters (before 6.2)");
	} else if (member(h, "percpu_counter", "count", &cnt) == 0 &&
	    _sym_type_size(h, "percpu_counter", &pcsize) == 0 &&
	    L->m_rss.size == NR_MM_COUNTERS * pcsize &&
	    cnt.offset + 8 <= pcsize) {
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

int
_kt_layout(sym_t *h, struct kt_layout *L)
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
#define Y(t, f, ...) { t, { __VA_ARGS__ }, offsetof(struct kt_layout, f), \
	SYM_REQUIRED, NULL }
static const struct sym_row tty_rows[] = {
	Y("tty_struct", t_driver, "driver"), Y("tty_struct", t_index, "index"),
	{ "tty_struct", { "ctrl.pgrp", "pgrp" }, offsetof(struct kt_layout,
	    t_pgrp), SYM_REQUIRED, "pgrp -> ctrl.pgrp in 5.14, 64d608db38ff" },
	Y("tty_driver", d_major, "major"),
	Y("tty_driver", d_minor, "minor_start"),
};
#undef Y

int
_kt_layout_tty(sym_t *h, struct kt_layout *L)
{
	if (L->tty_state != 0)
		return L->tty_state > 0 ? 0 : -1;
	L->tty_state = -1;
	if (_sym_layout(h, tty_rows, SYM_NROWS(tty_rows), L, NULL, NULL) == -1)
		return -1;
	L->tty_state = 1;
	return 0;
}

/* struct kthread's full_name and struct worker, for proc_task_name(). */
void
_kt_layout_kname(sym_t *h, struct kt_layout *L)
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

