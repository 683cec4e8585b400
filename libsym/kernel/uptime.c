/*
 * Uptime from the kernel's timekeeper, which is what /proc/uptime reports
 * (ktime_get_boottime: the monotonic base plus offs_boot), and the
 * kernel's own wall clock (xtime_sec) for a kernel that is not running.
 * Without the timekeeper, jiffies_64 and the tick length give the uptime.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sys/time.h>

#include "sym_private.h"

#define NSEC_PER_SEC	1000000000ULL
#define SEQ_TRIES	16

struct tk_layout {
	uint64_t seq;			/* address of its seqcount */
	uint64_t tk;			/* address of the struct timekeeper */
	struct sym_member base, xnsec, shift, xsec, offs_boot;
};

/*
 * Where the core timekeeper's { seqcount; timekeeper } pair is.  Until
 * 6.17 the static tk_core (kernel/time/timekeeping.c, since 3.17);
 * 22c62b9a84b8 (6.17) made it timekeeper_data[TIMEKEEPER_CORE], element 0
 * of an array of struct tk_data, so the array's own address.
 */
static int
timekeeper_core(sym_t *h, uint64_t *core, const char **name)
{
	static const char *const names[] = { "tk_core", "timekeeper_data",
	    NULL };
	int rc;

	if ((rc = _sym_addr_any(h, names, core, name)) == 1)
		_sym_err(h, "%s: neither tk_core nor timekeeper_data "
		    "(22c62b9a84b8, 6.17): no timekeeper", h->nlpath);
	return rc == 0 ? 0 : -1;
}

/*
 * The timekeeper's offset in its pair.  tk_core was an anonymous struct {
 * seqcount_raw_spinlock_t seq; struct timekeeper timekeeper; }, named
 * struct tk_data in 6.13 with the same two first: the seqcount's size
 * rounded up to the timekeeper's alignment.  timekeeper_data (6.17) is an
 * array of struct tk_data: BTF has it, and places the member.
 */
static int
timekeeper_offset(sym_t *h, int array, uint64_t *off)
{
	struct sym_member m;
	uint64_t seq, align;

	if (array) {
		if (_sym_type_size(h, "tk_data", &seq) == -1 ||
		    _sym_member(h, "tk_data", "timekeeper", &m) == -1)
			return -1;
		*off = m.offset;
		_sym_explain(h, "timekeeper_data[0]: struct tk_data of %llu "
		    "bytes, timekeeper at +%llu", (unsigned long long)seq,
		    (unsigned long long)m.offset);
		return 0;
	}
	if (_sym_type_size(h, "seqcount_raw_spinlock_t", &seq) == -1 ||
	    _sym_type_align(h, "timekeeper", &align) == -1)
		return -1;
	*off = (seq + align - 1) / align * align;
	return 0;
}

int
_sym_timekeeper(sym_t *h, uint64_t *seq, uint64_t *tk)
{
	const char *name;
	uint64_t off;

	if (timekeeper_core(h, seq, &name) == -1 ||
	    timekeeper_offset(h, strcmp(name, "tk_core") != 0, &off) == -1)
		return -1;
	*tk = *seq + off;
	_sym_explain(h, "timekeeper: %s at 0x%llx, its seqcount first and "
	    "the struct timekeeper %llu bytes in", name,
	    (unsigned long long)*seq, (unsigned long long)off);
	return 0;
}

static int
tk_layout(sym_t *h, struct tk_layout *l)
{
	if (_sym_timekeeper(h, &l->seq, &l->tk) == -1 ||
	    _sym_member(h, "timekeeper", "tkr_mono.base", &l->base) == -1 ||
	    _sym_member(h, "timekeeper", "tkr_mono.xtime_nsec",
	    &l->xnsec) == -1 ||
	    _sym_member(h, "timekeeper", "tkr_mono.shift", &l->shift) == -1 ||
	    _sym_member(h, "timekeeper", "xtime_sec", &l->xsec) == -1 ||
	    _sym_member(h, "timekeeper", "offs_boot", &l->offs_boot) == -1)
		return -1;
	return 0;
}

/* One consistent copy: the seqcount is even and unchanged around it. */
int
_sym_timekeeper_copy(sym_t *h, uint64_t seq, uint64_t tk, void *buf,
    size_t len)
{
	uint32_t s1, s2;
	int i;

	for (i = 0; i < SEQ_TRIES; i++) {
		if (_sym_read_u32(h, seq, &s1) == -1 ||
		    sym_read(h, tk, buf, len) == -1 ||
		    _sym_read_u32(h, seq, &s2) == -1)
			return -1;
		if (s1 == s2 && !(s1 & 1))
			return 0;
		_sym_explain(h, "timekeeper seqcount moved (%u -> %u): it was "
		    "being updated, reading again", s1, s2);
	}
	_sym_err(h, "timekeeper seqcount at 0x%llx: never got a consistent "
	    "read", (unsigned long long)seq);
	return -1;
}

static int
uptime_timekeeper(sym_t *h, struct sym_uptime *up, uint64_t *ns)
{
	unsigned char tk[1024];
	struct tk_layout l;
	const struct sym_member *read[5];
	uint64_t end = 0, base, nsec, boot;
	uint32_t shift;
	size_t i;

	if (tk_layout(h, &l) == -1)
		return -1;
	/* The copy covers every member read out of it (issue 11: a BTF with
	 * one placed past the rest read past this buffer). */
	read[0] = &l.base, read[1] = &l.xnsec, read[2] = &l.shift;
	read[3] = &l.xsec, read[4] = &l.offs_boot;
	for (i = 0; i < 5; i++)
		if (read[i]->offset + read[i]->size > end)
			end = read[i]->offset + read[i]->size;
	if (end > sizeof(tk)) {
		_sym_err(h, "struct timekeeper: %llu bytes is implausible",
		    (unsigned long long)end);
		return -1;
	}
	if (_sym_timekeeper_copy(h, l.seq, l.tk, tk, end) == -1)
		return -1;
	base = _sym_field(tk, &l.base);
	shift = (uint32_t)_sym_field(tk, &l.shift);
	nsec = shift < 64 ? _sym_field(tk, &l.xnsec) >> shift : 0;
	boot = _sym_field(tk, &l.offs_boot);
	*ns = base + nsec + boot;
	up->now = (double)_sym_field(tk, &l.xsec) + (double)nsec / 1e9;
	_sym_explain(h, "timekeeper: tkr_mono.base %lld ns + xtime_nsec>>shift "
	    "%llu ns + offs_boot %lld ns = %llu ns since boot",
	    (long long)base, (unsigned long long)nsec, (long long)boot,
	    (unsigned long long)*ns);
	return 0;
}

/*
 * The length of a tick in ns, TICK_NSEC.  Until 6.13 the variable
 * tick_nsec (kernel/time/ntp.c) held it; a849a0273d0f (6.13) removed it
 * for the constant.  The jiffies clocksource (kernel/time/jiffies.c)
 * still carries it: its mult is TICK_NSEC << JIFFIES_SHIFT and its shift
 * JIFFIES_SHIFT, registered without a frequency, so never rescaled.  That
 * needs BTF for struct clocksource.
 */
static int
tick_length(sym_t *h, uint64_t *tick)
{
	static const char *const names[] = { "tick_nsec",
	    "clocksource_jiffies", NULL };
	char why[SYM_ERRSIZE];
	const char *name;
	struct sym_member mult, shift;
	uint64_t a;
	uint32_t m = 0, sh = 0;
	int rc;

	if ((rc = _sym_addr_any(h, names, &a, &name)) == 1)
		_sym_err(h, "%s: neither tick_nsec (gone since a849a0273d0f, "
		    "6.13) nor clocksource_jiffies: no tick length", h->nlpath);
	if (rc != 0)
		return -1;
	if (strcmp(name, "tick_nsec") == 0)
		return sym_read(h, a, tick, sizeof(*tick));
	if (_sym_member(h, "clocksource", "mult", &mult) == -1 ||
	    _sym_member(h, "clocksource", "shift", &shift) == -1) {
		memcpy(why, h->errbuf, sizeof(why));
		_sym_err(h, "no tick_nsec (gone since a849a0273d0f, 6.13), and "
		    "clocksource_jiffies needs struct clocksource: %.300s", why);
		return -1;
	}
	if (mult.size != 4 || shift.size != 4 ||
	    sym_read(h, a + mult.offset, &m, 4) == -1 ||
	    sym_read(h, a + shift.offset, &sh, 4) == -1)
		return -1;
	if (sh >= 32) {
		_sym_err(h, "clocksource_jiffies at 0x%llx: shift %u is not a "
		    "shift", (unsigned long long)a, sh);
		return -1;
	}
	*tick = m >> sh;
	_sym_explain(h, "no tick_nsec (a849a0273d0f, 6.13): TICK_NSEC = "
	    "clocksource_jiffies.mult %u >> shift %u = %llu", m, sh,
	    (unsigned long long)*tick);
	return 0;
}

/*
 * jiffies_64 starts at INITIAL_JIFFIES, (unsigned int)(-300 * HZ), so
 * that 32-bit jiffies wrap five minutes after boot.  HZ is not in memory
 * but the length of a tick in ns is.
 */
static int
uptime_jiffies(sym_t *h, uint64_t *ns)
{
	uint64_t a, jiffies, tick, hz, initial;

	if (tick_length(h, &tick) == -1 ||
	    _sym_addr(h, "jiffies_64", &a) == -1 ||
	    sym_read(h, a, &jiffies, sizeof(jiffies)) == -1)
		return -1;
	if (tick < 100000 || tick > 100000000) {
		_sym_err(h, "tick length %llu ns: not a tick of 10 to 10000 Hz",
		    (unsigned long long)tick);
		return -1;
	}
	hz = (NSEC_PER_SEC + tick / 2) / tick;
	initial = (uint64_t)(uint32_t)(-300 * (int64_t)hz);
	*ns = (jiffies - initial) * (NSEC_PER_SEC / hz);
	_sym_explain(h, "HZ = 1e9 / tick %llu ns = %llu; (jiffies_64 %llu - "
	    "INITIAL_JIFFIES %llu) / HZ = %llu s", (unsigned long long)tick,
	    (unsigned long long)hz, (unsigned long long)jiffies,
	    (unsigned long long)initial, (unsigned long long)(*ns /
	    NSEC_PER_SEC));
	return 0;
}

int
_kern_uptime(sym_t *h, struct sym_uptime *up)
{
	char why[SYM_ERRSIZE], also[SYM_ERRSIZE];
	struct timeval tv;
	uint64_t ns;

	up->live = h->live;
	if (uptime_timekeeper(h, up, &ns) == -1) {
		if (!h->live)
			return -1;
		memcpy(why, h->errbuf, sizeof(why));
		_sym_explain(h, "no timekeeper (%s): using jiffies", why);
		if (uptime_jiffies(h, &ns) == -1) {
			memcpy(also, h->errbuf, sizeof(also));
			_sym_err(h, "%.300s; and jiffies: %.300s", why, also);
			return -1;
		}
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
