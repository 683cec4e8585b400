/*
 * The /proc/loadavg line out of kernel memory: avenrun[] (what uptime read
 * through /dev/kmem since 3BSD), then nr_running summed over the per-CPU
 * runqueues, nr_threads, and the last pid handed out.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sym_private.h"

/* include/linux/sched/loadavg.h */
#define FSHIFT		11
#define FIXED_1		(1UL << FSHIFT)
#define LOAD_INT(x)	((x) >> FSHIFT)
#define LOAD_FRAC(x)	LOAD_INT(((x) & (FIXED_1 - 1)) * 100)
#define MAX_CPUS	8192	/* bound for nr_cpu_ids read from memory */

/*
 * fs/proc/loadavg.c adds FIXED_1/200 (half a hundredth) before splitting,
 * so the hundredths are rounded, not truncated.
 */
unsigned long
sym_avenrun_centi(unsigned long avenrun)
{
	unsigned long x = avenrun + FIXED_1 / 200;

	return LOAD_INT(x) * 100 + LOAD_FRAC(x);
}

int
sym_loadavg_line(const struct sym_loadavg *la, char *buf, size_t len)
{
	char run[24] = "?", thr[24] = "?", pid[24] = "?";
	int n;

	if (la->have & SYM_LA_RUNNING)
		snprintf(run, sizeof(run), "%lu", la->running);
	if (la->have & SYM_LA_THREADS)
		snprintf(thr, sizeof(thr), "%d", la->threads);
	if (la->have & SYM_LA_LASTPID)
		snprintf(pid, sizeof(pid), "%d", la->lastpid);
	n = snprintf(buf, len, "%lu.%02lu %lu.%02lu %lu.%02lu %s/%s %s",
	    la->centi[0] / 100, la->centi[0] % 100,
	    la->centi[1] / 100, la->centi[1] % 100,
	    la->centi[2] / 100, la->centi[2] % 100, run, thr, pid);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

static int
read_avenrun(sym_t *h, struct sym_loadavg *la)
{
	uint64_t addr;
	int i;

	if (_sym_addr(h, "avenrun", &addr) == -1 ||
	    sym_read(h, addr, la->avenrun, sizeof(la->avenrun)) == -1)
		return -1;
	for (i = 0; i < 3; i++) {
		unsigned long x = la->avenrun[i] + FIXED_1 / 200;

		la->centi[i] = sym_avenrun_centi(la->avenrun[i]);
		_sym_explain(h, "avenrun[%d] = %lu, fixed point with FSHIFT %d "
		    "(the old FSCALE): + FIXED_1/200 = %lu; int %lu >> %d = %lu; "
		    "frac ((%lu & %lu) * 100) >> %d = %lu; -> %lu.%02lu", i,
		    la->avenrun[i], FSHIFT, x, x, FSHIFT, LOAD_INT(x), x,
		    FIXED_1 - 1, FSHIFT, LOAD_FRAC(x), la->centi[i] / 100,
		    la->centi[i] % 100);
	}
	la->have |= SYM_LA_AVENRUN;
	return 0;
}

/* The first nr_cpu_ids bits of the cpumask at symbol name. */
static int
read_mask(sym_t *h, const char *name, uint32_t ncpus, unsigned long *mask)
{
	uint64_t a;

	if (_sym_addr(h, name, &a) == -1 ||
	    sym_read(h, a, mask, ((ncpus + 63) / 64) * 8) == -1)
		return -1;
	return 0;
}

int
_sym_cpus(sym_t *h, int dying, struct sym_cpus **out)
{
	unsigned long mask[MAX_CPUS / 64], more[MAX_CPUS / 64];
	struct sym_cpus *s;
	uint64_t a, pcpu, off;
	uint32_t ncpus, cpu;

	*out = NULL;
	if (_sym_addr(h, "nr_cpu_ids", &a) == -1 ||
	    _sym_read_u32(h, a, &ncpus) == -1)
		return -1;
	if (ncpus == 0 || ncpus > MAX_CPUS) {
		_sym_err(h, "nr_cpu_ids at 0x%llx is %u: not a CPU count",
		    (unsigned long long)a, ncpus);
		return -1;
	}
	if (read_mask(h, "__cpu_online_mask", ncpus, mask) == -1)
		return -1;
	/* cpu_dying_mask: e40f74c535b8 (5.14) */
	if (dying && _sym_addr(h, "__cpu_dying_mask", &a) == 0) {
		if (read_mask(h, "__cpu_dying_mask", ncpus, more) == -1)
			return -1;
		for (cpu = 0; cpu < (ncpus + 63) / 64; cpu++)
			mask[cpu] |= more[cpu];
	}
	h->errbuf[0] = '\0';
	if (_sym_addr(h, "__per_cpu_offset", &pcpu) == -1)
		return -1;
	if ((s = malloc(sizeof(*s) + ncpus * sizeof(s->c[0]))) == NULL) {
		_sym_err(h, "out of memory for %u CPUs", ncpus);
		return -1;
	}
	s->n = 0;
	for (cpu = 0; cpu < ncpus; cpu++) {
		if (!(mask[cpu / 64] & (1UL << (cpu % 64))))
			continue;
		if (sym_read(h, pcpu + cpu * 8ULL, &off, sizeof(off)) == -1) {
			free(s);
			return -1;
		}
		s->c[s->n].cpu = cpu;
		s->c[s->n++].off = off;
	}
	*out = s;
	return 0;
}

/* nr_running(): the sum of rq->nr_running over the online CPUs. */
static int
read_running(sym_t *h, struct sym_loadavg *la)
{
	struct sym_cpus *cpus;
	struct sym_member nr;
	uint64_t rq, off;
	uint32_t i, cpu, n;

	if (_sym_cpus(h, 0, &cpus) == -1)
		return -1;
	if (_sym_addr(h, "runqueues", &rq) == -1 ||
	    _sym_member(h, "rq", "nr_running", &nr) == -1)
		goto fail;
	la->running = 0;
	for (i = 0; i < cpus->n; i++) {
		cpu = cpus->c[i].cpu;
		off = cpus->c[i].off;
		if (!_sym_kaddr_ok(rq + off)) {
			_sym_err(h, "__per_cpu_offset[%u] = 0x%llx: runqueue "
			    "outside the kernel", cpu, (unsigned long long)off);
			goto fail;
		}
		if (_sym_read_u32(h, rq + off + nr.offset, &n) == -1)
			goto fail;
		_sym_explain(h, "cpu%u: runqueues + __per_cpu_offset[%u] "
		    "(0x%llx) -> nr_running %u", cpu, cpu,
		    (unsigned long long)off, n);
		la->running += n;
	}
	free(cpus);
	la->have |= SYM_LA_RUNNING;
	return 0;
fail:
	free(cpus);
	return -1;
}

static int
read_threads(sym_t *h, struct sym_loadavg *la)
{
	uint64_t a;
	uint32_t v;

	if (_sym_addr(h, "nr_threads", &a) == -1 || _sym_read_u32(h, a, &v))
		return -1;
	la->threads = (int)v;
	la->have |= SYM_LA_THREADS;
	return 0;
}

/* /proc/loadavg prints idr_get_cursor(&pid_ns->idr) - 1: idr_next - 1. */
static int
read_lastpid(sym_t *h, struct sym_loadavg *la)
{
	struct sym_member idr, next;
	uint64_t ns;
	uint32_t v;

	if (_sym_addr(h, "init_pid_ns", &ns) == -1 ||
	    _sym_member(h, "pid_namespace", "idr", &idr) == -1 ||
	    _sym_member(h, "idr", "idr_next", &next) == -1 ||
	    _sym_read_u32(h, ns + idr.offset + next.offset, &v) == -1)
		return -1;
	la->lastpid = (int)v - 1;
	la->have |= SYM_LA_LASTPID;
	return 0;
}

int
_kern_loadavg(sym_t *h, struct sym_loadavg *la)
{
	if (read_avenrun(h, la) == -1)
		return -1;
	/* The rest is best effort: a kernel or a fixture may lack them;
	 * but a BTF the user named and that can't be read is an error. */
	if (read_running(h, la) == -1) {
		if (h->btfopt != NULL && h->btf == NULL)
			return -1;
		_sym_explain(h, "running tasks unknown: %s", h->errbuf);
	}
	if (read_threads(h, la) == -1)
		_sym_explain(h, "nr_threads unknown: %s", h->errbuf);
	if (read_lastpid(h, la) == -1)
		_sym_explain(h, "last pid unknown: %s", h->errbuf);
	h->errbuf[0] = '\0';
	return 0;
}
