/*
 * Each task's fields, computed as fs/proc/array.c computes them for
 * /proc/PID/stat and status: names, command lines, memory, times, tty.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "task.h"

void
_kt_map_free(struct kt_map *m)
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

int32_t *
_kt_map_get(const struct kt_map *m, uint64_t key)
{
	size_t i;

	if (m->cap == 0)
		return NULL;
	for (i = map_slot(m, key); m->key[i] != 0; i = (i + 1) & (m->cap - 1))
		if (m->key[i] == key)
			return &m->val[i];
	return NULL;
}

int
_kt_map_put(struct kt_map *m, uint64_t key, int32_t val)
{
	size_t i;

	if (2 * (m->n + 1) > m->cap) {
		struct kt_map g = { NULL, NULL, m->cap ? 2 * m->cap : 1024, 0 };

		if ((g.key = calloc(g.cap, sizeof(*g.key))) == NULL ||
		    (g.val = calloc(g.cap, sizeof(*g.val))) == NULL) {
			_kt_map_free(&g);
			return -1;
		}
		for (i = 0; i < m->cap; i++)
			if (m->key[i] != 0)
				_kt_map_put(&g, m->key[i], m->val[i]);
		_kt_map_free(m);
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


static void
mc_clear(struct kt_mmcache *mc)
{
	free(mc->cmdline);
	memset(mc, 0, sizeof(*mc));
}

void
_kt_ctx_clear(struct kt_ctx *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		free(c->ent[i].t.cmdline);
	free(c->ent);
	c->ent = NULL;
	c->n = c->cap = 0;
	_kt_map_free(&c->seen);
	_kt_map_free(&c->pidnr);
	mc_clear(&c->mc);
	c->count = c->skipped = c->accepted = 0;
	c->tty_addr = 0;
}

struct sym_task *
_kt_add_ent(struct kt_ctx *c, size_t seq)
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

int
_kt_read_task(struct kt_ctx *c, uint64_t task, unsigned char *buf)
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
	if ((v = _kt_map_get(&c->pidnr, pid)) != NULL) {
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
	_kt_map_put(&c->pidnr, pid, x);
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
	if (_kt_layout_tty(c->h, L) == -1)
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
	_kt_layout_kname(c->h, L);
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
		if (v > 0)	/* saturating: a dump's counters are any bits */
			rss = v > LONG_MAX - rss ? LONG_MAX : rss + (long)v;
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

int
_kt_group_facts(struct kt_ctx *c, const unsigned char *lb, struct kt_group *g)
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
int
_kt_task_fields(struct kt_ctx *c, const unsigned char *tb, uint64_t task,
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
		if ((pt = _kt_map_get(&c->seen, parent)) != NULL)
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

void
_kt_task_times(const struct kt_layout *L, const unsigned char *tb,
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

void
_kt_skip_task(struct kt_ctx *c, uint64_t task, const char *what)
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
