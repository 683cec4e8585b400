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

#include "task.h"

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

	if (_kt_group_facts(c, lb, &g) == -1) {
		_kt_skip_task(c, leader, "process");
		return KT_OK;
	}
	memset(&lt, 0, sizeof(lt));
	if (_kt_task_fields(c, lb, leader, &g, &lt) == -1) {
		_kt_skip_task(c, leader, "process");
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
			if ((known = _kt_map_get(&c->seen, task)) != NULL) {
				_sym_err(c->h, "pid %d: thread 0x%llx seen "
				    "twice (a cycle)", lt.pid,
				    (unsigned long long)task);
				goto broken;
			}
			if (_kt_read_task(c, task, c->buf) == -1)
				goto broken;
			tb = c->buf;
			_kt_map_put(&c->seen, task, (int32_t)get_s(tb, &L->tgid));
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
			if ((t = _kt_add_ent(c, task == leader ? 0 : ++seq)) ==
			    NULL) {
				free(lt.cmdline);
				return KT_FAIL;
			}
			if (task == leader) {
				*t = lt;
				lt.cmdline = NULL;
			} else if (_kt_task_fields(c, tb, task, &g, t) == -1) {
				c->n--;
				free(t->cmdline);
				_kt_skip_task(c, task, "thread");
				goto next;
			}
			_kt_task_times(L, tb, t);
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
	if ((t = _kt_add_ent(c, 0)) == NULL) {
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
	if ((t = _kt_add_ent(c, 0)) == NULL) {
		free(lt.cmdline);
		return KT_FAIL;
	}
	_kt_task_times(L, lb, &lt);
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
		if (_kt_map_get(&c->seen, task) != NULL) {
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
		if (_kt_read_task(c, task, tb) == -1) {
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
		if (_kt_map_put(&c->seen, task, (int32_t)get_s(tb, &L->tgid)) ==
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
	if (_sym_member(h, "percpu_counter", "counters", &c->L.p_counters) ==
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
	if (_kt_layout(h, &c.L) == -1)
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
		_kt_ctx_clear(&c);
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
	_kt_ctx_clear(&c);
	free(c.buf);
	free(c.sig);
	free(c.mmb);
	free(c.cred);
	free(c.cpus);
	return rc == KT_OK ? 0 : -1;
}

