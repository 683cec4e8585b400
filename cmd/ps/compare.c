/*
 * kps --compare: kernel memory against /proc, task by task.
 */
#include "config.h"

#include <err.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kps.h"

#define PF_KTHREAD	0x00200000	/* include/linux/sched.h: stat flags */

enum { CMP_EXACT, CMP_TICKS, CMP_MOVES, CMP_SLEEP };

struct field {
	const char *name;
	int kind;
	int is_signed;
	size_t off;		/* offsetof in struct sym_task */
	size_t size;
};

#define FLD(m, k, sg) { #m, k, sg, offsetof(struct sym_task, m), \
	sizeof(((struct sym_task *)0)->m) }
static const struct field fields[] = {
	FLD(ppid, CMP_EXACT, 1), FLD(pgrp, CMP_EXACT, 1),
	FLD(session, CMP_EXACT, 1), FLD(tpgid, CMP_EXACT, 1),
	FLD(tty_nr, CMP_EXACT, 0), FLD(state, CMP_MOVES, 0),
	FLD(flags, CMP_EXACT, 0), FLD(priority, CMP_EXACT, 1),
	FLD(nice, CMP_EXACT, 1), FLD(nlwp, CMP_EXACT, 1),
	FLD(utime, CMP_TICKS, 0), FLD(stime, CMP_TICKS, 0),
	FLD(start_time, CMP_EXACT, 0), FLD(vsize, CMP_EXACT, 0),
	FLD(rss, CMP_EXACT, 1), FLD(vm_rss_kb, CMP_EXACT, 0),
	FLD(vm_lock_kb, CMP_EXACT, 0), FLD(processor, CMP_MOVES, 1),
	FLD(rt_priority, CMP_EXACT, 0), FLD(policy, CMP_EXACT, 0),
	FLD(uid, CMP_EXACT, 0), FLD(gid, CMP_EXACT, 0),
	FLD(comm, CMP_EXACT, 0), FLD(wchan, CMP_SLEEP, 0),
};
#undef FLD

struct tally {
	size_t tasks, moved, differ;
	long hz;
};

static int
cmp_task(const void *pa, const void *pb)
{
	const struct sym_task *a = pa, *b = pb;

	if (a->pid != b->pid)
		return (a->pid > b->pid) - (a->pid < b->pid);
	return (a->tid > b->tid) - (a->tid < b->tid);
}

static const struct sym_task *
find_task(const struct sym_tasks *l, const struct sym_task *key)
{
	if (l->n == 0)
		return NULL;
	return bsearch(key, l->task, l->n, sizeof(*key), cmp_task);
}

/* A numeric field widened to 64 bits (signed ones sign-extended). */
static unsigned long long
field_num(const struct sym_task *t, const struct field *f)
{
	const char *p = (const char *)t + f->off;

	if (f->size == sizeof(int) && f->is_signed)
		return (unsigned long long)*(const int *)(const void *)p;
	if (f->size == sizeof(int))
		return *(const unsigned *)(const void *)p;
	if (f->size == sizeof(long long))
		return *(const unsigned long long *)(const void *)p;
	return (unsigned char)*p;
}

static int
field_eq(const struct sym_task *a, const struct sym_task *b,
    const struct field *f)
{
	return b != NULL && memcmp((const char *)a + f->off,
	    (const char *)b + f->off, f->size) == 0;
}

static void
field_show(const struct sym_task *t, const struct field *f)
{
	const char *p = (const char *)t + f->off;

	if (t == NULL)
		fputs("-", stdout);
	else if (f->off == offsetof(struct sym_task, comm) ||
	    f->off == offsetof(struct sym_task, wchan))
		printf("\"%.*s\"", (int)f->size, p);
	else if (f->off == offsetof(struct sym_task, uid) ||
	    f->off == offsetof(struct sym_task, gid))
		printf("%u,%u,%u,%u", ((const unsigned *)(const void *)p)[0],
		    ((const unsigned *)(const void *)p)[1],
		    ((const unsigned *)(const void *)p)[2],
		    ((const unsigned *)(const void *)p)[3]);
	else if (f->size == 1)
		printf("%c", *p);
	else if (f->is_signed)
		printf("%lld", (long long)field_num(t, f));
	else
		printf("%llu", field_num(t, f));
}

/*
 * Where a task sleeps may move between the reads only if the task did:
 * runnable in any of the three, a state that changed, or /proc's own two
 * reads disagreeing.  Kernel threads (PF_KTHREAD) wake and sleep again
 * every few milliseconds without a visible change (rcu_preempt between
 * rcu_gp_kthread and rcu_gp_fqs_loop, in I throughout).
 */
static int
sleep_moved(const struct sym_task *k, const struct sym_task *b,
    const struct sym_task *a)
{
	if (k->flags & PF_KTHREAD)
		return 1;
	if (k->state == 'R' || (b != NULL && b->state == 'R') ||
	    (a != NULL && a->state == 'R'))
		return 1;
	if ((b != NULL && b->state != k->state) ||
	    (a != NULL && a->state != k->state))
		return 1;
	return b != NULL && a != NULL && strcmp(b->wchan, a->wchan) != 0;
}

/* CPU ticks agree if within a second of the range /proc showed. */
static int
ticks_ok(const struct sym_task *k, const struct sym_task *b,
    const struct sym_task *a, const struct field *f, long hz)
{
	unsigned long long v = field_num(k, f), lo, hi;

	lo = b != NULL ? field_num(b, f) : field_num(a, f);
	hi = a != NULL ? field_num(a, f) : lo;
	if (hi < lo)
		hi = lo;
	return v + (unsigned long long)hz >= lo &&
	    v <= hi + (unsigned long long)hz;
}

static void
compare_field(const struct sym_task *k, const struct sym_task *b,
    const struct sym_task *a, const struct field *f, struct tally *ty)
{
	int ok = field_eq(k, b, f) || field_eq(k, a, f), kind;
	const char *verdict;

	if (ok)
		return;
	if (f->kind == CMP_TICKS && ticks_ok(k, b, a, f, ty->hz))
		return;
	/* A kernel worker's name carries its current work (kworker/0:2-events):
	 * it moves like the state does. */
	kind = f->kind;
	if (f->off == offsetof(struct sym_task, comm) &&
	    strncmp(k->comm, "kworker/", 8) == 0)
		kind = CMP_MOVES;
	/* Our own memory grows as we read: the second /proc list may be
	 * the allocation that moves it (mmap'd once it is large). */
	if (k->pid == getpid() && (f->off == offsetof(struct sym_task,
	    vsize) || f->off == offsetof(struct sym_task, rss) ||
	    f->off == offsetof(struct sym_task, vm_rss_kb)))
		kind = CMP_MOVES;
	if (kind == CMP_SLEEP)
		kind = sleep_moved(k, b, a) ? CMP_MOVES : CMP_EXACT;
	verdict = kind == CMP_MOVES ? "moved" : "DIFFERS";
	if (kind == CMP_MOVES)
		ty->moved++;
	else
		ty->differ++;
	printf("%d/%d %s %s: kernel ", k->pid, k->tid, f->name, verdict);
	field_show(k, f);
	fputs(", /proc ", stdout);
	field_show(b, f);
	fputs(" then ", stdout);
	field_show(a, f);
	putchar('\n');
}

static int
cmdline_eq(const struct sym_task *k, const struct sym_task *p)
{
	return p != NULL && k->cmdline_len == p->cmdline_len &&
	    (k->cmdline_len == 0 ||
	    memcmp(k->cmdline, p->cmdline, k->cmdline_len) == 0);
}

static void
compare_task(const struct sym_task *k, const struct sym_tasks *before,
    const struct sym_tasks *after, double born, struct tally *ty)
{
	const struct sym_task *b = find_task(before, k);
	const struct sym_task *a = find_task(after, k);
	size_t i;

	ty->tasks++;
	if (b == NULL && a == NULL) {
		/* Started after the first /proc read and gone by the second. */
		if ((double)k->start_time >= born)
			return;
		printf("%d/%d DIFFERS: in kernel memory, not in /proc\n",
		    k->pid, k->tid);
		ty->differ++;
		return;
	}
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		compare_field(k, b, a, &fields[i], ty);
	if (!cmdline_eq(k, b) && !cmdline_eq(k, a)) {
		printf("%d/%d cmdline DIFFERS (%zu bytes in kernel memory)\n",
		    k->pid, k->tid, k->cmdline_len);
		ty->differ++;
	}
}

/* In /proc both before and after the walk, but the walk missed it. */
static void
compare_missing(const struct sym_tasks *kern, const struct sym_tasks *before,
    const struct sym_tasks *after, struct tally *ty)
{
	size_t i;

	for (i = 0; i < before->n; i++)
		if (find_task(after, &before->task[i]) != NULL &&
		    find_task(kern, &before->task[i]) == NULL) {
			printf("%d/%d DIFFERS: in /proc, not in kernel "
			    "memory\n", before->task[i].pid,
			    before->task[i].tid);
			ty->differ++;
		}
}

static void
proc_read(struct sym_tasks *l, unsigned flags)
{
	char e[SYM_ERRSIZE];

	if (sym_proc_tasks(flags, l, e) == -1)
		errx(1, "%s", e);
	if (l->n > 0)
		qsort(l->task, l->n, sizeof(l->task[0]), cmp_task);
}

/*
 * Read /proc, walk kernel memory, read /proc again; every task of the
 * walk must agree with /proc before or after it, except CPU times
 * (within a second) and what moves whenever a task runs (state,
 * processor; wchan when the task ran or changed state), which are
 * reported as moved.
 */
int
compare(sym_t *h)
{
	const unsigned flags = SYM_TASKS_THREADS | SYM_TASKS_CMDLINE |
	    SYM_TASKS_WCHAN;
	struct sym_tasks before, kern, after;
	struct sym_psinfo info;
	struct tally ty = { 0 };
	char e[SYM_ERRSIZE];
	size_t i;

	if (sym_source(h) == SYM_SRC_PROC)
		errx(1, "--compare: no kernel memory to compare with /proc: %s",
		    sym_refusals(h));
	if (sym_proc_psinfo(&info, e) == -1)
		errx(1, "%s", e);
	ty.hz = info.hz;
	proc_read(&before, flags);
	if (sym_tasks(h, flags, &kern) == -1)
		errx(1, "%s", sym_geterr(h));
	proc_read(&after, flags);
	if (kern.n > 0)
		qsort(kern.task, kern.n, sizeof(kern.task[0]), cmp_task);
	for (i = 0; i < kern.n; i++)
		compare_task(&kern.task[i], &before, &after,
		    info.uptime * (double)info.hz, &ty);
	compare_missing(&kern, &before, &after, &ty);
	printf("%zu tasks in %s: %zu fields moved within tolerance, %zu "
	    "differ\n",
	    ty.tasks, sym_memfile(h), ty.moved, ty.differ);
	sym_tasks_free(&before);
	sym_tasks_free(&kern);
	sym_tasks_free(&after);
	return ty.differ != 0;
}
