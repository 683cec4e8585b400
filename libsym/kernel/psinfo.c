/*
 * What ps needs of the system beside the tasks: uptime, boot time,
 * memory size, page size, pid_max, of the kernel read.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "task.h"

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
	    _sym_member(h, "timekeeper", "offs_real", &real) == -1 ||
	    _sym_member(h, "timekeeper", "offs_boot", &boot) == -1)
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
	    _sym_member(h, "pid_namespace", "pid_max", &m) == -1))
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

