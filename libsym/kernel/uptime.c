/*
 * Uptime from the kernel's timekeeper, which is what /proc/uptime reports
 * (ktime_get_boottime: the monotonic base plus offs_boot), and the
 * kernel's own wall clock (xtime_sec) for a kernel that is not running.
 * Without BTF, jiffies_64 and tick_nsec still give the uptime.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sys/time.h>

#include "sym_private.h"

#define NSEC_PER_SEC	1000000000ULL
#define SEQ_TRIES	16

struct tk_layout {
	uint64_t tk;			/* address of the struct timekeeper */
	struct sym_member base, xnsec, shift, xsec, offs_boot;
};

/*
 * tk_core is an anonymous struct { seqcount_raw_spinlock_t seq; struct
 * timekeeper timekeeper; } (kernel/time/timekeeping.c, since 3.17), so the
 * timekeeper sits at the seqcount's size rounded up to its alignment.
 * Linux 6.13 named the struct tk_data, keeping seq and timekeeper first,
 * so the rule still holds there.
 */
static int
timekeeper_offset(sym_t *h, uint64_t *off)
{
	uint64_t seq, align;

	if (_sym_type_size(h, "seqcount_raw_spinlock_t", &seq) == -1 ||
	    _sym_type_align(h, "timekeeper", &align) == -1)
		return -1;
	*off = (seq + align - 1) / align * align;
	return 0;
}

static int
tk_layout(sym_t *h, struct tk_layout *l)
{
	uint64_t core, off;

	if (_sym_addr(h, "tk_core", &core) == -1 ||
	    timekeeper_offset(h, &off) == -1 ||
	    _sym_member(h, "timekeeper", "tkr_mono.base", &l->base) == -1 ||
	    _sym_member(h, "timekeeper", "tkr_mono.xtime_nsec",
	    &l->xnsec) == -1 ||
	    _sym_member(h, "timekeeper", "tkr_mono.shift", &l->shift) == -1 ||
	    _sym_member(h, "timekeeper", "xtime_sec", &l->xsec) == -1 ||
	    _sym_member(h, "timekeeper", "offs_boot", &l->offs_boot) == -1)
		return -1;
	l->tk = core + off;
	return 0;
}

/* One consistent copy: the seqcount is even and unchanged around it. */
static int
read_timekeeper(sym_t *h, const struct tk_layout *l, uint64_t core,
    unsigned char *tk, size_t len)
{
	uint32_t s1, s2;
	int i;

	for (i = 0; i < SEQ_TRIES; i++) {
		if (_sym_read_u32(h, core, &s1) == -1 ||
		    sym_read(h, l->tk, tk, len) == -1 ||
		    _sym_read_u32(h, core, &s2) == -1)
			return -1;
		if (s1 == s2 && !(s1 & 1))
			return 0;
		_sym_explain(h, "tk_core.seq moved (%u -> %u): the timekeeper "
		    "was being updated, reading again", s1, s2);
	}
	_sym_err(h, "tk_core at 0x%llx: never got a consistent read",
	    (unsigned long long)core);
	return -1;
}

static uint64_t
field(const unsigned char *tk, const struct sym_member *m)
{
	uint64_t v = 0;

	memcpy(&v, tk + m->offset, m->size < 8 ? m->size : 8);
	return v;
}

static int
uptime_timekeeper(sym_t *h, struct sym_uptime *up, uint64_t *ns)
{
	unsigned char tk[1024];
	struct tk_layout l;
	uint64_t core, end, base, nsec, boot;
	uint32_t shift;

	if (tk_layout(h, &l) == -1 || _sym_addr(h, "tk_core", &core) == -1)
		return -1;
	end = l.offs_boot.offset + 8;
	if (l.xsec.offset + 8 > end)
		end = l.xsec.offset + 8;
	if (end > sizeof(tk)) {
		_sym_err(h, "struct timekeeper: %llu bytes is implausible",
		    (unsigned long long)end);
		return -1;
	}
	if (read_timekeeper(h, &l, core, tk, end) == -1)
		return -1;
	base = field(tk, &l.base);
	shift = (uint32_t)field(tk, &l.shift);
	nsec = shift < 64 ? field(tk, &l.xnsec) >> shift : 0;
	boot = field(tk, &l.offs_boot);
	*ns = base + nsec + boot;
	up->now = (double)field(tk, &l.xsec) + (double)nsec / 1e9;
	_sym_explain(h, "timekeeper: tkr_mono.base %lld ns + xtime_nsec>>shift "
	    "%llu ns + offs_boot %lld ns = %llu ns since boot",
	    (long long)base, (unsigned long long)nsec, (long long)boot,
	    (unsigned long long)*ns);
	return 0;
}

/*
 * jiffies_64 starts at INITIAL_JIFFIES, (unsigned int)(-300 * HZ), so
 * that 32-bit jiffies wrap five minutes after boot.  HZ is not in memory
 * but tick_nsec (kernel/time/ntp.c) is the length of a tick in ns.
 */
static int
uptime_jiffies(sym_t *h, uint64_t *ns)
{
	uint64_t a, jiffies, tick, hz, initial;

	if (_sym_addr(h, "tick_nsec", &a) == -1 ||
	    sym_read(h, a, &tick, sizeof(tick)) == -1 ||
	    _sym_addr(h, "jiffies_64", &a) == -1 ||
	    sym_read(h, a, &jiffies, sizeof(jiffies)) == -1)
		return -1;
	if (tick < 100000 || tick > 100000000) {
		_sym_err(h, "tick_nsec is %llu: not a tick length",
		    (unsigned long long)tick);
		return -1;
	}
	hz = (NSEC_PER_SEC + tick / 2) / tick;
	initial = (uint64_t)(uint32_t)(-300 * (int64_t)hz);
	*ns = (jiffies - initial) * (NSEC_PER_SEC / hz);
	_sym_explain(h, "HZ = 1e9 / tick_nsec %llu = %llu; (jiffies_64 %llu - "
	    "INITIAL_JIFFIES %llu) / HZ = %llu s", (unsigned long long)tick,
	    (unsigned long long)hz, (unsigned long long)jiffies,
	    (unsigned long long)initial, (unsigned long long)(*ns /
	    NSEC_PER_SEC));
	return 0;
}

int
_kern_uptime(sym_t *h, struct sym_uptime *up)
{
	struct timeval tv;
	uint64_t ns;

	up->live = h->live;
	if (uptime_timekeeper(h, up, &ns) == -1) {
		if (!h->live)
			return -1;
		_sym_explain(h, "no timekeeper (%s): using jiffies", h->errbuf);
		if (uptime_jiffies(h, &ns) == -1)
			return -1;
	}
	/* /proc/uptime shows hundredths, truncated: so do we. */
	up->uptime = (double)(ns / 10000000) / 100.0;
	if (h->live) {
		gettimeofday(&tv, NULL);
		up->now = (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
	}
	h->errbuf[0] = '\0';
	return 0;
}
