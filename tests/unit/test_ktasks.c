/*
 * The task list out of kernel memory, on hostile input: a fake memory
 * source and a minimal BTF made here with libbpf (only the members
 * ktasks.c reads, at offsets of our choosing), holding a small task list
 * that the tests then break: pointers out of the kernel, a cycle that
 * never returns to init_task, an unreadable task, a member missing from
 * the BTF.  And the kernel's own arithmetic (task_state_index,
 * new_encode_dev, cputime_adjust), with expected values worked from the
 * 6.1 sources by hand.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/btf.h>

#include "sym_private.h"
#include "suites.h"
#include "util.h"

/* ---- the kernel's arithmetic ---- */

START_TEST(test_state_letters)
{
	ck_assert_int_eq(_kt_state_char(0x0, 0), 'R');
	ck_assert_int_eq(_kt_state_char(0x1, 0), 'S');
	ck_assert_int_eq(_kt_state_char(0x2, 0), 'D');
	/* TASK_KILLABLE = WAKEKILL | UNINTERRUPTIBLE (a vfork parent) */
	ck_assert_int_eq(_kt_state_char(0x102, 0), 'D');
	/* TASK_STOPPED = WAKEKILL | __TASK_STOPPED */
	ck_assert_int_eq(_kt_state_char(0x104, 0), 'T');
	ck_assert_int_eq(_kt_state_char(0x8, 0), 't');
	ck_assert_int_eq(_kt_state_char(0x80, 0x10), 'X');
	/* TASK_DEAD is not reported; EXIT_ZOMBIE is */
	ck_assert_int_eq(_kt_state_char(0x80, 0x20), 'Z');
	ck_assert_int_eq(_kt_state_char(0x40, 0), 'P');
	/* TASK_IDLE = UNINTERRUPTIBLE | NOLOAD */
	ck_assert_int_eq(_kt_state_char(0x402, 0), 'I');
	/* TASK_FREEZABLE | INTERRUPTIBLE stays S; TASK_FROZEN shows D */
	ck_assert_int_eq(_kt_state_char(0x2001, 0), 'S');
	ck_assert_int_eq(_kt_state_char(0x8000, 0), 'D');
	ck_assert_int_eq(_kt_state_char(0x1000, 0), 'D');
}
END_TEST

START_TEST(test_tty_nr)
{
	/* /dev/pts/0: major 136 */
	ck_assert_uint_eq(_kt_tty_nr(136, 0, 0), 34816);
	/* /dev/tty1: the vt driver is major 4, minor_start 1, index 0 */
	ck_assert_uint_eq(_kt_tty_nr(4, 1, 0), 1025);
	/* /dev/ttyS0: major 4, minor_start 64 */
	ck_assert_uint_eq(_kt_tty_nr(4, 64, 0), 1088);
	/* /dev/pts/300: minor above 255 goes to bits 20.. */
	ck_assert_uint_eq(_kt_tty_nr(136, 0, 300), (300 & 0xff) |
	    (136 << 8) | ((300 & ~0xff) << 12));
}
END_TEST

START_TEST(test_cputime_adjust)
{
	uint64_t ut, st;

	/* no system ticks: all runtime is user time */
	_kt_cputime_adjust(500, 0, 1000, 0, 0, &ut, &st);
	ck_assert_uint_eq(ut, 1000);
	ck_assert_uint_eq(st, 0);
	/* no user ticks: all system */
	_kt_cputime_adjust(0, 7, 1000, 0, 0, &ut, &st);
	ck_assert_uint_eq(ut, 0);
	ck_assert_uint_eq(st, 1000);
	/* 3:1 ticks scaled to rtime 4e9: stime 1e9 */
	_kt_cputime_adjust(3000000000ULL, 1000000000ULL, 4000000000ULL, 0, 0,
	    &ut, &st);
	ck_assert_uint_eq(ut, 3000000000ULL);
	ck_assert_uint_eq(st, 1000000000ULL);
	/* rtime not past what was reported: prev stands */
	_kt_cputime_adjust(10, 10, 100, 60, 50, &ut, &st);
	ck_assert_uint_eq(ut, 60);
	ck_assert_uint_eq(st, 50);
	/* stime may not go below prev->stime */
	_kt_cputime_adjust(90, 10, 200, 10, 80, &ut, &st);
	ck_assert_uint_eq(st, 80);
	ck_assert_uint_eq(ut, 120);
	/* ... nor utime below prev->utime */
	_kt_cputime_adjust(10, 90, 200, 150, 10, &ut, &st);
	ck_assert_uint_eq(ut, 150);
	ck_assert_uint_eq(st, 50);
	/* the product does not overflow 64 bits */
	_kt_cputime_adjust(1ULL << 62, 1ULL << 62, 1ULL << 63, 0, 0, &ut, &st);
	ck_assert_uint_eq(st, 1ULL << 62);
	/* a dump's utime + stime adding up to 2^64 (0 in 64 bits) divided
	 * by zero (issue 11): stime = st * rtime / 2^64 = 1000 / 2 */
	_kt_cputime_adjust(1ULL << 63, 1ULL << 63, 1000, 0, 0, &ut, &st);
	ck_assert_uint_eq(st, 500);
	ck_assert_uint_eq(ut, 500);
	/* nor prev's sum wrapping past rtime */
	_kt_cputime_adjust(1, 1, 1000, UINT64_MAX, 2, &ut, &st);
	ck_assert_uint_eq(ut, UINT64_MAX);
	ck_assert_uint_eq(st, 2);
}
END_TEST

/* ---- a fake kernel ---- */

#define INIT		0xffffffff82000000ULL	/* init_task */
#define HEAP		0xffff888000100000ULL	/* everything else */
#define HEAPSZ		0x10000
#define TASK(i)		(HEAP + (uint64_t)(i) * 0x1000)
#define SIG(i)		(TASK(i) + 0x400)
#define CRED(i)		(TASK(i) + 0x600)
#define PIDS(i)		(TASK(i) + 0x700)
#define MM(i)		(TASK(i) + 0x800)
/* a 6.2+ kernel's per-CPU rss: CPU k's counters are at PCPU + OFF(k) */
#define PCPU		0x40ULL			/* a __percpu pointer */
#define PCPU_AREA(k)	(HEAP + 0x8000 + (uint64_t)(k) * 0x100)
#define PCPU_OFF	(HEAP + 0x9000)		/* __per_cpu_offset[] */
#define NR_CPU_IDS	(HEAP + 0x9100)
#define ONLINE		(HEAP + 0x9140)
#define DYING		(HEAP + 0x9180)
#define TASK_MEM	(HEAP + 0xa000)		/* its code */
#define PCSUM		(HEAP + 0xa400)		/* __percpu_counter_sum */
#define KTHREAD		(HEAP + 0xb000)		/* a worker's kthread */
#define WORKER		(KTHREAD + 0x100)
#define WPOOL		(KTHREAD + 0x200)
#define WATTRS		(KTHREAD + 0x300)
#define WQ		(KTHREAD + 0x400)

/* Our layout: offsets in task_struct and friends. */
enum {
	T_TI = 0x00, T_CPU = 0x08, T_STATE = 0x18, T_PRIO = 0x20,
	T_SPRIO = 0x24, T_RTPRIO = 0x28, T_POLICY = 0x2c, T_SE = 0x40,
	T_TASKS = 0x60, T_MM = 0x70, T_EXIT = 0x78, T_FLAGS = 0x7c,
	T_PID = 0x80, T_TGID = 0x84, T_PARENT = 0x88, T_TNODE = 0x90,
	T_TPID = 0xa0, T_UTIME = 0xa8, T_STIME = 0xb0, T_PREV = 0xb8,
	T_START = 0xc8, T_CRED = 0xd0, T_COMM = 0xd8, T_SIGNAL = 0xe8,
	T_SIGHAND = 0xf0, T_WPRIV = 0xf8, T_SIZE = 0x100,
	S_NR = 0x04, S_THEAD = 0x10, S_TTY = 0x20, S_PIDS = 0x28,
	S_UTIME = 0x50, S_STIME = 0x58, S_SUM = 0x60, S_PREV = 0x68,
	S_SIZE = 0x100,
	M_PGD = 0x08, M_TOTAL = 0x10, M_LOCKED = 0x18, M_RSS = 0x20,
	M_ARGS = 0x40, M_ARGE = 0x48, M_ENVS = 0x50, M_ENVE = 0x58,
	M_PRSS = 0x60, M_SIZE = 0x100,
	/* 6.2's percpu_counter { lock, count, list, counters } */
	PC_COUNT = 0x08, PC_CTRS = 0x20, PC_SIZE = 0x28,
	/* kthread { data, full_name }, worker, worker_pool, wq, attrs */
	K_DATA = 0x08, K_FULL = 0x10, K_SIZE = 0x20,
	W_POOL = 0x00, W_CUR = 0x08, W_DESC = 0x10, W_RESCUE = 0x30,
	W_ID = 0x38, W_SIZE = 0x40,
	WP_CPU = 0x04, WP_ID = 0x0c, WP_ATTRS = 0x10, WP_SIZE = 0x18,
	WA_NICE = 0x00, WQ_NAME = 0x10,
	P_NUMBERS = 0x30, P_SIZE = 0x40,
};

static unsigned char init_mem[T_SIZE], heap[HEAPSZ];

static unsigned char *
where(uint64_t addr, size_t len)
{
	if (addr >= INIT && addr + len <= INIT + sizeof(init_mem))
		return init_mem + (addr - INIT);
	if (addr >= HEAP && addr + len <= HEAP + sizeof(heap))
		return heap + (addr - HEAP);
	return NULL;
}

static int
fake_read(sym_t *h, uint64_t addr, void *buf, size_t len)
{
	unsigned char *p = where(addr, len);

	if (p == NULL) {
		_sym_err(h, "fake-core: 0x%llx: not in any segment",
		    (unsigned long long)addr);
		return -1;
	}
	memcpy(buf, p, len);
	return 0;
}

static const struct sym_memops fake_ops = {
	.name = "fake-core", .src = SYM_SRC_CORE, .read = fake_read,
};

static void
put64(uint64_t addr, uint64_t v)
{
	memcpy(where(addr, 8), &v, 8);
}

static void
put32(uint64_t addr, uint32_t v)
{
	memcpy(where(addr, 4), &v, 4);
}

static void
link2(uint64_t node, uint64_t next, uint64_t prev)
{
	put64(node, next);
	put64(node + 8, prev);
}

/*
 * init_task -> task 1 (pid 1, "init", a user process with an mm) ->
 * task 2 (pid 2, "kthreadd", idle kernel thread) -> init_task; each the
 * only thread of its group.
 */
static void
make_kernel(void)
{
	int i;

	memset(init_mem, 0, sizeof(init_mem));
	memset(heap, 0, sizeof(heap));
	link2(INIT + T_TASKS, TASK(1) + T_TASKS, TASK(2) + T_TASKS);
	link2(TASK(1) + T_TASKS, TASK(2) + T_TASKS, INIT + T_TASKS);
	link2(TASK(2) + T_TASKS, INIT + T_TASKS, TASK(1) + T_TASKS);
	for (i = 1; i <= 2; i++) {
		uint64_t t = TASK(i);

		put32(t + T_PID, (uint32_t)i);
		put32(t + T_TGID, (uint32_t)i);
		put32(t + T_CPU, (uint32_t)(i - 1));
		put32(t + T_PRIO, 120);
		put32(t + T_SPRIO, 120);
		put64(t + T_PARENT, INIT);
		put64(t + T_TPID, PIDS(i));
		put64(t + T_CRED, CRED(i));
		put64(t + T_SIGNAL, SIG(i));
		put64(t + T_SIGHAND, TASK(i) + 0x300);
		put64(t + T_START, (uint64_t)i * 1230000000ULL);
		link2(t + T_TNODE, SIG(i) + S_THEAD, SIG(i) + S_THEAD);
		link2(SIG(i) + S_THEAD, t + T_TNODE, t + T_TNODE);
		put32(SIG(i) + S_NR, 1);
		/* pgrp and session: the process's own struct pid */
		put64(SIG(i) + S_PIDS + 2 * 8, PIDS(i));
		put64(SIG(i) + S_PIDS + 3 * 8, PIDS(i));
		put32(PIDS(i) + P_NUMBERS, (uint32_t)i);
	}
	memcpy(where(TASK(1) + T_COMM, 16), "init\0", 5);
	put32(TASK(1) + T_STATE, 0x1);
	put32(TASK(1) + T_FLAGS, 0x400100);
	put64(TASK(1) + T_MM, MM(1));
	put64(TASK(1) + T_UTIME, 3000000000ULL);
	put64(TASK(1) + T_STIME, 1000000000ULL);
	put64(TASK(1) + T_SE + 8, 4000000000ULL);
	put32(CRED(1) + 0x04, 1000);	/* uid */
	put32(CRED(1) + 0x14, 1001);	/* euid */
	put32(CRED(1) + 0x0c, 1002);	/* suid */
	put32(CRED(1) + 0x1c, 1003);	/* fsuid */
	put32(CRED(1) + 0x08, 50);	/* gid */
	put64(MM(1) + M_TOTAL, 100);
	put64(MM(1) + M_LOCKED, 3);
	put64(MM(1) + M_RSS + 0 * 8, 10);	/* file */
	put64(MM(1) + M_RSS + 1 * 8, 20);	/* anon */
	put64(MM(1) + M_RSS + 2 * 8, 99);	/* swap: not rss */
	put64(MM(1) + M_RSS + 3 * 8, (uint64_t)-5);	/* shmem < 0: 0 */

	memcpy(where(TASK(2) + T_COMM, 16), "kthreadd\0", 9);
	put32(TASK(2) + T_STATE, 0x402);
	put32(TASK(2) + T_FLAGS, 0x00208040);	/* PF_KTHREAD */
	put32(TASK(2) + T_SPRIO, 100);
}

/* ---- a minimal BTF ---- */

struct fld {
	const char *name;
	int type;		/* BTF type id */
	unsigned off;
};

static const char *skip_type, *skip_member;
static int percpu_rss;		/* rss_stat as 6.2 has it */

static void
add_struct(struct btf *b, const char *name, unsigned size,
    const struct fld *f, size_t n)
{
	size_t i;

	ck_assert_int_gt(btf__add_struct(b, name, size), 0);
	for (i = 0; i < n; i++) {
		if (skip_type && strcmp(skip_type, name) == 0 &&
		    strcmp(skip_member, f[i].name) == 0)
			continue;
		ck_assert_int_eq(btf__add_field(b, f[i].name, f[i].type,
		    f[i].off * 8, 0), 0);
	}
}

#define NF(a) (sizeof(a) / sizeof(a[0]))

static struct btf *
make_btf(void)
{
	struct btf *b = btf__new_empty();
	int i32, u32, i64, u64, chr, ptr, lh, comm, pids, cnt4, upid, upids;
	int ti, se, prev, rss;

	ck_assert_ptr_nonnull(b);
	i32 = btf__add_int(b, "int", 4, BTF_INT_SIGNED);
	u32 = btf__add_int(b, "unsigned int", 4, 0);
	i64 = btf__add_int(b, "long", 8, BTF_INT_SIGNED);
	u64 = btf__add_int(b, "u64", 8, 0);
	chr = btf__add_int(b, "char", 1, BTF_INT_CHAR);
	ptr = btf__add_ptr(b, 0);
	lh = btf__add_struct(b, "list_head", 16);
	btf__add_field(b, "next", ptr, 0, 0);
	btf__add_field(b, "prev", ptr, 64, 0);
	comm = btf__add_array(b, i32, chr, 16);
	pids = btf__add_array(b, i32, ptr, 4);
	cnt4 = btf__add_array(b, i32, i64, 4);
	ti = btf__add_struct(b, "thread_info", 16);
	btf__add_field(b, "flags", u64, 0, 0);
	btf__add_field(b, "cpu", u32, 64, 0);
	se = btf__add_struct(b, "sched_entity", 16);
	btf__add_field(b, "sum_exec_runtime", u64, 64, 0);
	prev = btf__add_struct(b, "prev_cputime", 16);
	btf__add_field(b, "utime", u64, 0, 0);
	btf__add_field(b, "stime", u64, 64, 0);
	if (percpu_rss) {
		int pc = btf__add_struct(b, "percpu_counter", PC_SIZE);

		btf__add_field(b, "count", i64, PC_COUNT * 8, 0);
		btf__add_field(b, "list", lh, 0x10 * 8, 0);
		btf__add_field(b, "counters", ptr, PC_CTRS * 8, 0);
		rss = btf__add_array(b, i32, pc, 4);
	} else {
		rss = btf__add_struct(b, "mm_rss_stat", 32);
		btf__add_field(b, "count", cnt4, 0, 0);
	}
	{
		int desc = btf__add_array(b, i32, chr, 24);
		int name = btf__add_array(b, i32, chr, 32);
		const struct fld k[] = { { "data", ptr, K_DATA },
		    { "full_name", ptr, K_FULL } };
		const struct fld w[] = { { "pool", ptr, W_POOL },
		    { "current_work", ptr, W_CUR }, { "desc", desc, W_DESC },
		    { "rescue_wq", ptr, W_RESCUE }, { "id", i32, W_ID } };
		const struct fld p[] = { { "cpu", i32, WP_CPU },
		    { "id", i32, WP_ID }, { "attrs", ptr, WP_ATTRS } };
		const struct fld a[] = { { "nice", i32, WA_NICE } };
		const struct fld q[] = { { "name", name, WQ_NAME } };

		add_struct(b, "kthread", K_SIZE, k, NF(k));
		add_struct(b, "worker", W_SIZE, w, NF(w));
		add_struct(b, "worker_pool", WP_SIZE, p, NF(p));
		add_struct(b, "workqueue_attrs", 8, a, NF(a));
		add_struct(b, "workqueue_struct", 0x30, q, NF(q));
	}
	upid = btf__add_struct(b, "upid", 16);
	btf__add_field(b, "nr", i32, 0, 0);
	btf__add_field(b, "ns", ptr, 64, 0);
	upids = btf__add_array(b, i32, upid, 1);
	{
		const struct fld f[] = {
			{ "thread_info", ti, T_TI }, { "__state", u32, T_STATE },
			{ "prio", i32, T_PRIO }, { "static_prio", i32, T_SPRIO },
			{ "rt_priority", u32, T_RTPRIO },
			{ "policy", u32, T_POLICY }, { "se", se, T_SE },
			{ "tasks", lh, T_TASKS }, { "mm", ptr, T_MM },
			{ "exit_state", i32, T_EXIT }, { "flags", u32, T_FLAGS },
			{ "pid", i32, T_PID }, { "tgid", i32, T_TGID },
			{ "real_parent", ptr, T_PARENT },
			{ "thread_node", lh, T_TNODE },
			{ "thread_pid", ptr, T_TPID }, { "utime", u64, T_UTIME },
			{ "stime", u64, T_STIME },
			{ "prev_cputime", prev, T_PREV },
			{ "start_boottime", u64, T_START },
			{ "real_cred", ptr, T_CRED }, { "comm", comm, T_COMM },
			{ "signal", ptr, T_SIGNAL },
			{ "sighand", ptr, T_SIGHAND },
			{ "worker_private", ptr, T_WPRIV },
		};
		add_struct(b, "task_struct", T_SIZE, f, NF(f));
	}
	{
		const struct fld f[] = {
			{ "nr_threads", i32, S_NR },
			{ "thread_head", lh, S_THEAD }, { "tty", ptr, S_TTY },
			{ "pids", pids, S_PIDS }, { "utime", u64, S_UTIME },
			{ "stime", u64, S_STIME },
			{ "sum_sched_runtime", u64, S_SUM },
			{ "prev_cputime", prev, S_PREV },
		};
		add_struct(b, "signal_struct", S_SIZE, f, NF(f));
	}
	{
		const struct fld f[] = {
			{ "pgd", ptr, M_PGD }, { "total_vm", i64, M_TOTAL },
			{ "locked_vm", i64, M_LOCKED },
			{ "rss_stat", rss, percpu_rss ? M_PRSS : M_RSS },
			{ "arg_start", i64, M_ARGS }, { "arg_end", i64, M_ARGE },
			{ "env_start", i64, M_ENVS }, { "env_end", i64, M_ENVE },
		};
		add_struct(b, "mm_struct", M_SIZE, f, NF(f));
	}
	{
		const struct fld f[] = {
			{ "uid", u32, 0x04 }, { "gid", u32, 0x08 },
			{ "suid", u32, 0x0c }, { "sgid", u32, 0x10 },
			{ "euid", u32, 0x14 }, { "egid", u32, 0x18 },
			{ "fsuid", u32, 0x1c }, { "fsgid", u32, 0x20 },
		};
		add_struct(b, "cred", 0x28, f, NF(f));
	}
	{
		const struct fld f[] = { { "numbers", upids, P_NUMBERS } };

		add_struct(b, "pid", P_SIZE, f, NF(f));
	}
	return b;
}

static char *explained;
static size_t explained_len;
static FILE *explain_fp;

static sym_t *
fake_handle(void)
{
	sym_t *h;

	explain_fp = open_memstream(&explained, &explained_len);
	ck_assert_ptr_nonnull(h = _sym_new(explain_fp));
	h->mops = &fake_ops;
	h->src = SYM_SRC_CORE;
	h->live = 0;
	h->memfile = strdup("fake-core");
	h->syms = _symtab_new();
	_symtab_add(h->syms, "init_task", INIT, 'D', NULL, "fake.map");
	h->nlpath = strdup("fake.map");
	h->nlruntime = 1;
	h->btf = make_btf();
	h->btfpath = strdup("fake.btf");
	return h;
}

static void
done(sym_t *h, struct sym_tasks *ts)
{
	sym_tasks_free(ts);
	sym_close(h);
	fclose(explain_fp);
	free(explained);
	explained = NULL;
	skip_type = skip_member = NULL;
	percpu_rss = 0;
}

START_TEST(test_good_list)
{
	struct sym_tasks ts;
	sym_t *h;

	make_kernel();
	h = fake_handle();
	ck_assert_msg(sym_tasks(h, 0, &ts) == 0, "%s", sym_geterr(h));
	ck_assert_uint_eq(ts.n, 2);
	ck_assert_int_eq(ts.task[0].pid, 1);
	ck_assert_str_eq(ts.task[0].comm, "init");
	ck_assert_int_eq(ts.task[0].state, 'S');
	ck_assert_int_eq(ts.task[0].ppid, 0);
	ck_assert_int_eq(ts.task[0].pgrp, 1);
	ck_assert_int_eq(ts.task[0].session, 1);
	ck_assert_int_eq(ts.task[0].tpgid, -1);
	ck_assert_uint_eq(ts.task[0].uid[SYM_UID_REAL], 1000);
	ck_assert_uint_eq(ts.task[0].uid[SYM_UID_EFF], 1001);
	ck_assert_uint_eq(ts.task[0].uid[SYM_UID_SAVED], 1002);
	ck_assert_uint_eq(ts.task[0].uid[SYM_UID_FS], 1003);
	ck_assert_uint_eq(ts.task[0].gid[SYM_UID_REAL], 50);
	ck_assert_uint_eq(ts.task[0].utime, 300);
	ck_assert_uint_eq(ts.task[0].stime, 100);
	ck_assert_uint_eq(ts.task[0].start_time, 123);
	ck_assert_uint_eq(ts.task[0].vsize, 100 * 4096);
	ck_assert_int_eq(ts.task[0].rss, 30);
	ck_assert_uint_eq(ts.task[0].vm_lock_kb, 12);
	ck_assert_int_eq(ts.task[0].priority, 20);
	ck_assert_int_eq(ts.task[0].nice, 0);
	ck_assert_int_eq(ts.task[0].nlwp, 1);
	ck_assert_int_eq(ts.task[1].pid, 2);
	ck_assert_str_eq(ts.task[1].comm, "kthreadd");
	ck_assert_int_eq(ts.task[1].state, 'I');
	ck_assert_int_eq(ts.task[1].nice, -20);
	ck_assert_int_eq(ts.task[1].processor, 1);
	ck_assert_uint_eq(ts.task[1].cmdline_len, 0);
	done(h, &ts);
}
END_TEST

START_TEST(test_next_outside_kernel)
{
	struct sym_tasks ts;
	sym_t *h;

	make_kernel();
	put64(TASK(1) + T_TASKS, 0x4141414141414141ULL);
	h = fake_handle();
	ck_assert_int_eq(sym_tasks(h, 0, &ts), -1);
	tu_assert_contains(sym_geterr(h), "0x4141414141414141");
	tu_assert_contains(sym_geterr(h), "not a kernel address");
	ck_assert_uint_eq(ts.n, 0);
	done(h, &ts);
}
END_TEST

START_TEST(test_cycle_never_returns)
{
	struct sym_tasks ts;
	sym_t *h;

	make_kernel();
	/* task 2 leads back to task 1, not to init_task */
	put64(TASK(2) + T_TASKS, TASK(1) + T_TASKS);
	h = fake_handle();
	ck_assert_int_eq(sym_tasks(h, 0, &ts), -1);
	tu_assert_contains(sym_geterr(h), "reached twice");
	tu_assert_contains(sym_geterr(h), "cycle");
	done(h, &ts);
}
END_TEST

START_TEST(test_self_loop)
{
	struct sym_tasks ts;
	sym_t *h;

	make_kernel();
	put64(TASK(1) + T_TASKS, TASK(1) + T_TASKS);
	h = fake_handle();
	ck_assert_int_eq(sym_tasks(h, 0, &ts), -1);
	tu_assert_contains(sym_geterr(h), "cycle");
	done(h, &ts);
}
END_TEST

START_TEST(test_unreadable_task)
{
	struct sym_tasks ts;
	sym_t *h;

	make_kernel();
	/* a kernel address, aligned, but in no segment */
	put64(TASK(1) + T_TASKS, 0xffff888077770060ULL);
	h = fake_handle();
	ck_assert_int_eq(sym_tasks(h, 0, &ts), -1);
	tu_assert_contains(sym_geterr(h), "cannot be read");
	tu_assert_contains(sym_geterr(h), "0xffff888077770000");
	done(h, &ts);
}
END_TEST

START_TEST(test_misaligned_pointer)
{
	struct sym_tasks ts;
	sym_t *h;

	make_kernel();
	put64(INIT + T_TASKS, TASK(1) + T_TASKS + 3);
	h = fake_handle();
	ck_assert_int_eq(sym_tasks(h, 0, &ts), -1);
	tu_assert_contains(sym_geterr(h), "misaligned");
	done(h, &ts);
}
END_TEST

/* A dead kernel: a broken link back is taken as found, and said. */
START_TEST(test_prev_mismatch_accepted)
{
	struct sym_tasks ts;
	sym_t *h;

	make_kernel();
	put64(TASK(2) + T_TASKS + 8, 0xffff888000123450ULL);
	h = fake_handle();
	ck_assert_msg(sym_tasks(h, 0, &ts) == 0, "%s", sym_geterr(h));
	ck_assert_uint_eq(ts.n, 2);
	fflush(explain_fp);
	tu_assert_contains(explained, "does not point back");
	done(h, &ts);
}
END_TEST

/* A task whose cred can't be read is skipped, the rest listed. */
START_TEST(test_bad_cred_skipped)
{
	struct sym_tasks ts;
	sym_t *h;

	make_kernel();
	put64(TASK(1) + T_CRED, 0xffff888099990000ULL);
	h = fake_handle();
	ck_assert_msg(sym_tasks(h, 0, &ts) == 0, "%s", sym_geterr(h));
	ck_assert_uint_eq(ts.n, 1);
	ck_assert_int_eq(ts.task[0].pid, 2);
	fflush(explain_fp);
	tu_assert_contains(explained, "skipped process");
	done(h, &ts);
}
END_TEST

/* A thread list that leaves the kernel: the process stays, said so. */
START_TEST(test_bad_thread_list)
{
	struct sym_tasks ts;
	sym_t *h;

	make_kernel();
	put64(TASK(1) + T_TNODE, 0x10);
	h = fake_handle();
	ck_assert_msg(sym_tasks(h, SYM_TASKS_THREADS, &ts) == 0, "%s",
	    sym_geterr(h));
	ck_assert_uint_eq(ts.n, 2);
	fflush(explain_fp);
	tu_assert_contains(explained, "threads are skipped");
	done(h, &ts);
}
END_TEST

START_TEST(test_btf_missing_tasks)
{
	struct sym_tasks ts;
	sym_t *h;

	make_kernel();
	skip_type = "task_struct";
	skip_member = "tasks";
	h = fake_handle();
	ck_assert_int_eq(sym_tasks(h, 0, &ts), -1);
	tu_assert_contains(sym_geterr(h), "task_struct");
	tu_assert_contains(sym_geterr(h), "tasks");
	done(h, &ts);
}
END_TEST

START_TEST(test_btf_missing_state)
{
	struct sym_tasks ts;
	sym_t *h;

	make_kernel();
	skip_type = "task_struct";
	skip_member = "__state";
	h = fake_handle();
	ck_assert_int_eq(sym_tasks(h, 0, &ts), -1);
	/* both spellings named, and the kernel change */
	tu_assert_contains(sym_geterr(h), "__state or state");
	tu_assert_contains(sym_geterr(h), "5.14");
	done(h, &ts);
}
END_TEST

START_TEST(test_btf_missing_nr_threads)
{
	struct sym_tasks ts;
	sym_t *h;

	make_kernel();
	skip_type = "signal_struct";
	skip_member = "nr_threads";
	h = fake_handle();
	ck_assert_int_eq(sym_tasks(h, 0, &ts), -1);
	tu_assert_contains(sym_geterr(h), "signal_struct");
	tu_assert_contains(sym_geterr(h), "nr_threads");
	done(h, &ts);
}
END_TEST

/*
 * 6.2+: each rss counter a percpu_counter.  Task 1's central counts as
 * make_kernel() has them (file 10, anon 20, shmem -5), and per-CPU
 * deltas file +3 (cpu0), anon -4 (cpu1) and +10 (cpu2, dying), shmem +7
 * (cpu0).  task_mem's code calls __percpu_counter_sum when sums is set.
 */
static void
make_percpu_kernel(int sums)
{
	static const int32_t delta[3][4] = {
		{ 3, 0, 0, 7 }, { 0, -4, 0, 0 }, { 0, 10, 0, 0 } };
	uint64_t fbc;
	int32_t rel;
	int i, k;

	make_kernel();
	for (i = 0; i < 4; i++) {
		fbc = MM(1) + M_PRSS + (uint64_t)i * PC_SIZE;
		put64(fbc + PC_COUNT, i == 0 ? 10 : i == 1 ? 20 : i == 2 ?
		    99 : (uint64_t)-5);
		put64(fbc + PC_CTRS, PCPU + 4 * (uint64_t)i);
		for (k = 0; k < 3; k++)
			put32(PCPU_AREA(k) + 4 * (uint64_t)i,
			    (uint32_t)delta[k][i]);
	}
	for (k = 0; k < 3; k++)
		put64(PCPU_OFF + 8 * (uint64_t)k, PCPU_AREA(k) - PCPU);
	put32(NR_CPU_IDS, 3);
	put64(ONLINE, 0x3);
	put64(DYING, 0x4);
	/* push %rbp; ...; call rel32 */
	heap[TASK_MEM - HEAP] = 0x55;
	heap[TASK_MEM - HEAP + 0x20] = 0xe8;
	rel = (int32_t)((sums ? PCSUM : PCSUM + 0x100) - (TASK_MEM + 0x25));
	memcpy(where(TASK_MEM + 0x21, 4), &rel, 4);
}

static sym_t *
percpu_handle(void)
{
	sym_t *h;

	percpu_rss = 1;
	h = fake_handle();
	_symtab_add(h->syms, "task_mem", TASK_MEM, 'T', NULL, "fake.map");
	_symtab_add(h->syms, "__percpu_counter_sum", PCSUM, 'T', NULL,
	    "fake.map");
	_symtab_add(h->syms, "__per_cpu_offset", PCPU_OFF, 'D', NULL,
	    "fake.map");
	_symtab_add(h->syms, "nr_cpu_ids", NR_CPU_IDS, 'D', NULL, "fake.map");
	_symtab_add(h->syms, "__cpu_online_mask", ONLINE, 'D', NULL,
	    "fake.map");
	_symtab_add(h->syms, "__cpu_dying_mask", DYING, 'D', NULL,
	    "fake.map");
	return h;
}

/* Task 1's stat rss and VmRSS, task_mem summing or not. */
static void
percpu_rss_is(int sums, long rss, unsigned long long vm_rss_kb)
{
	struct sym_tasks ts;
	sym_t *h;

	make_percpu_kernel(sums);
	h = percpu_handle();
	ck_assert_msg(sym_tasks(h, 0, &ts) == 0, "%s", sym_geterr(h));
	ck_assert_int_eq(ts.task[0].rss, rss);
	ck_assert_uint_eq(ts.task[0].vm_rss_kb, vm_rss_kb);
	done(h, &ts);
}

/*
 * 82241a83cd15 (6.16, in 6.12.y): VmRSS the sum over online and dying
 * CPUs, file 13 + anon 26 + shmem 2 pages; 6.2 to 6.15 the central
 * counts (get_mm_counter).  stat's rss is the central count in both.
 */
START_TEST(test_percpu_rss)
{
	percpu_rss_is(1, 30, 41 * 4);
	percpu_rss_is(0, 30, 30 * 4);
}
END_TEST

/* A per-CPU offset that leads out of the kernel is an error, not data. */
START_TEST(test_percpu_rss_bad_offset)
{
	struct sym_tasks ts;
	sym_t *h;

	make_percpu_kernel(1);
	put64(PCPU_OFF + 8, 0x1000);
	h = percpu_handle();
	ck_assert_int_eq(sym_tasks(h, 0, &ts), 0);
	ck_assert_uint_eq(ts.n, 1);	/* task 1 skipped, saying why */
	fflush(explain_fp);
	tu_assert_contains(explained, "not a kernel address");
	done(h, &ts);
}
END_TEST

/* Task 2 a workqueue worker: comm, kthread, worker (in pool or not). */
static void
make_worker(const char *comm, uint64_t pool, uint64_t rescue_wq)
{
	make_kernel();
	memset(where(TASK(2) + T_COMM, 16), 0, 16);
	memcpy(where(TASK(2) + T_COMM, 15), comm, strlen(comm));
	put32(TASK(2) + T_FLAGS, 0x00208060);	/* PF_WQ_WORKER too */
	put64(TASK(2) + T_WPRIV, KTHREAD);
	put64(KTHREAD + K_DATA, WORKER);
	put64(WORKER + W_POOL, pool);
	put64(WORKER + W_RESCUE, rescue_wq);
	put32(WORKER + W_ID, 3);
	memcpy(where(WORKER + W_DESC, 15), "events_highpri", 15);
	put32(WPOOL + WP_CPU, 1);
	put32(WPOOL + WP_ID, 7);
	put64(WPOOL + WP_ATTRS, WATTRS);
	put32(WATTRS + WA_NICE, (uint32_t)-20);
	memcpy(where(WQ + WQ_NAME, 19), "kvfree_rcu_reclaim", 19);
}

/* The name of task 2, with format_worker_id() in the kernel or not. */
static void
worker_is(int fmt, const char *want)
{
	struct sym_tasks ts;
	sym_t *h = fake_handle();

	if (fmt)
		_symtab_add(h->syms, "format_worker_id", TASK_MEM, 't', NULL,
		    "fake.map");
	ck_assert_msg(sym_tasks(h, 0, &ts) == 0, "%s", sym_geterr(h));
	ck_assert_uint_eq(ts.n, 2);
	ck_assert_str_eq(ts.task[1].comm, want);
	done(h, &ts);
}

/* 2a1b02bcba78 (6.10): workers named by format_worker_id(), rescuers
 * with their workqueue's whole name; before, by comm. */
START_TEST(test_worker_names)
{
	make_worker("kworker/R-kvfre", 0, WQ);
	worker_is(1, "kworker/R-kvfree_rcu_reclaim");
	make_worker("kworker/R-kvfre", 0, WQ);
	worker_is(0, "kworker/R-kvfre");
	make_worker("kworker/1:3H", WPOOL, 0);
	worker_is(1, "kworker/1:3H-events_highpri");
	make_worker("kworker/1:3H", WPOOL, 0);
	worker_is(0, "kworker/1:3H-events_highpri");
	make_worker("kworker/u8:3", WPOOL, 0);
	put32(WPOOL + WP_CPU, (uint32_t)-1);
	put64(WORKER + W_CUR, HEAP);
	worker_is(1, "kworker/u7:3+events_highpri");
	make_worker("kworker/u8:3", 0, 0);
	worker_is(1, "kworker/dying");
}
END_TEST

Suite *
suite_ktasks(void)
{
	Suite *s = suite_create("ktasks");
	TCase *tc = tcase_create("arithmetic");
	TCase *th = tcase_create("hostile");

	tcase_add_test(tc, test_state_letters);
	tcase_add_test(tc, test_tty_nr);
	tcase_add_test(tc, test_cputime_adjust);
	suite_add_tcase(s, tc);
	tcase_add_test(th, test_good_list);
	tcase_add_test(th, test_next_outside_kernel);
	tcase_add_test(th, test_cycle_never_returns);
	tcase_add_test(th, test_self_loop);
	tcase_add_test(th, test_unreadable_task);
	tcase_add_test(th, test_misaligned_pointer);
	tcase_add_test(th, test_prev_mismatch_accepted);
	tcase_add_test(th, test_bad_cred_skipped);
	tcase_add_test(th, test_bad_thread_list);
	tcase_add_test(th, test_btf_missing_tasks);
	tcase_add_test(th, test_btf_missing_state);
	tcase_add_test(th, test_btf_missing_nr_threads);
	tcase_add_test(th, test_percpu_rss);
	tcase_add_test(th, test_percpu_rss_bad_offset);
	tcase_add_test(th, test_worker_names);
	suite_add_tcase(s, th);
	return s;
}
