/*
 * The kernel's own arithmetic for a task's state letter, tty number and
 * CPU times, kept apart for the unit tests.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "task.h"

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

	/* Sums in 128 bits: a dump's times can add up past 2^64 (and to 0). */
	if ((unsigned __int128)prev_st + prev_ut >= rtime) {
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
		stime = (uint64_t)((unsigned __int128)st * rtime /
		    ((unsigned __int128)st + ut));
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

