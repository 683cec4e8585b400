/*
 * The format table: procps's format_array (output.c) and macro_array
 * (sortformat.c), the columns kps has data for, one row each, as
 * OpenBSD ps keeps its keywords.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define L	J_LEFT
#define R	J_RIGHT
#define U	J_USER
#define W	J_WCHAN
#define UL	J_UNLIMITED
#define PM	F_PIDMAX
static const struct ps_spec specs[] = {
	{ "%cpu", "%CPU", pr_pcpu, IT_UTIL, 4, R },
	{ "%mem", "%MEM", pr_pmem, IT_VMRSS, 4, R },
	{ "addr", "ADDR", pr_nop, IT_NOOP, 4, R },
	{ "addr_1", "ADDR", pr_nop, IT_NOOP, 1, L },
	{ "args", "COMMAND", pr_args, IT_CMDLINE, 27, UL },
	{ "atime", "TIME", pr_time, IT_TIMEALL, 8, R },
	{ "bsdstart", "START", pr_bsdstart, IT_BEGAN, 6, R },
	{ "bsdtime", "TIME", pr_bsdtime, IT_TICSALL, 6, R },
	{ "c", "C", pr_c, IT_UTIL, 2, R },
	{ "class", "CLS", pr_class, IT_SCHED, 3, L },
	{ "cls", "CLS", pr_class, IT_SCHED, 3, R },
	{ "cmd", "CMD", pr_args, IT_CMDLINE, 27, UL },
	{ "comm", "COMMAND", pr_comm, IT_CMD, 15, UL },
	{ "command", "COMMAND", pr_args, IT_CMDLINE, 27, UL },
	{ "cp", "CP", pr_cp, IT_UTIL, 3, R },
	{ "cpu", "CPU", pr_nop, IT_NOOP, 3, R },
	{ "cpuid", "CPUID", pr_psr, IT_PROCESSOR, 5, R },
	{ "cputime", "TIME", pr_time, IT_TIMEALL, 8, R },
	{ "cputimes", "TIME", pr_times, IT_TIMEALL, 8, R },
	{ "egid", "EGID", pr_egid, IT_EGID, 5, R },
	{ "egroup", "EGROUP", pr_egroup, IT_EGROUP, 8, U },
	{ "etime", "ELAPSED", pr_etime, IT_ELAPSED, 11, R },
	{ "etimes", "ELAPSED", pr_etimes, IT_ELAPSED, 7, R },
	{ "euid", "EUID", pr_euid, IT_EUID, 5, R },
	{ "euser", "EUSER", pr_euser, IT_EUSER, 8, U },
	{ "f", "F", pr_flag, IT_FLAGS, 1, R },
	{ "fgid", "FGID", pr_fgid, IT_FLAGS, 5, R },	/* sic: procps */
	{ "fgroup", "FGROUP", pr_fgroup, IT_FGROUP, 8, U },
	{ "flag", "F", pr_flag, IT_FLAGS, 1, R },
	{ "flags", "F", pr_flag, IT_FLAGS, 1, R },
	{ "fname", "COMMAND", pr_fname, IT_CMD, 8, L },
	{ "fsgid", "FSGID", pr_fgid, IT_FGID, 5, R },
	{ "fsgroup", "FSGROUP", pr_fgroup, IT_FGROUP, 8, U },
	{ "fsuid", "FSUID", pr_fuid, IT_FUID, 5, R },
	{ "fsuser", "FSUSER", pr_fuser, IT_FUSER, 8, U },
	{ "fuid", "FUID", pr_fuid, IT_FUID, 5, R },
	{ "fuser", "FUSER", pr_fuser, IT_FUSER, 8, U },
	{ "gid", "GID", pr_egid, IT_EGID, 5, R },
	{ "group", "GROUP", pr_egroup, IT_EGROUP, 8, U },
	{ "intpri", "PRI", pr_opri, IT_PRIORITY, 3, R },
	{ "lastcpu", "C", pr_psr, IT_PROCESSOR, 3, R },
	{ "longtname", "TTY", pr_tty8, IT_TTYNAME, 8, L },
	{ "lstart", "STARTED", pr_lstart, IT_BEGAN, 24, R },
	{ "lwp", "LWP", pr_tasks, IT_TID, 5, PM | R },
	{ "ni", "NI", pr_nice, IT_NICE, 3, R },
	{ "nice", "NI", pr_nice, IT_NICE, 3, R },
	{ "nlwp", "NLWP", pr_nlwp, IT_NLWP, 4, R },
	{ "nwchan", "WCHAN", pr_nop, IT_NOOP, 6, R },
	{ "opri", "PRI", pr_opri, IT_PRIORITY, 3, R },
	{ "pcpu", "%CPU", pr_pcpu, IT_UTIL, 4, R },
	{ "pgid", "PGID", pr_pgid, IT_PGRP, 5, PM | R },
	{ "pgrp", "PGRP", pr_pgid, IT_PGRP, 5, PM | R },
	{ "pid", "PID", pr_procs, IT_TGID, 5, PM | R },
	{ "pmem", "%MEM", pr_pmem, IT_VMRSS, 4, R },
	{ "policy", "POL", pr_class, IT_SCHED, 3, L },
	{ "ppid", "PPID", pr_ppid, IT_PPID, 5, PM | R },
	{ "pri", "PRI", pr_pri, IT_PRIORITY, 3, R },
	{ "pri_api", "API", pr_pri_api, IT_PRIORITY, 3, R },
	{ "pri_bar", "BAR", pr_pri_bar, IT_PRIORITY, 3, R },
	{ "pri_baz", "BAZ", pr_pri_baz, IT_PRIORITY, 3, R },
	{ "pri_foo", "FOO", pr_pri_foo, IT_PRIORITY, 3, R },
	{ "priority", "PRI", pr_priority, IT_PRIORITY, 3, R },
	{ "psr", "PSR", pr_psr, IT_PROCESSOR, 3, R },
	{ "rgid", "RGID", pr_rgid, IT_RGID, 5, R },
	{ "rgroup", "RGROUP", pr_rgroup, IT_RGROUP, 8, U },
	{ "rss", "RSS", pr_rss, IT_VMRSS, 5, R },
	{ "rssize", "RSS", pr_rss, IT_VMRSS, 5, R },
	{ "rsz", "RSZ", pr_rss, IT_VMRSS, 5, R },
	{ "rtprio", "RTPRIO", pr_rtprio, IT_RTPRIO, 6, R },
	{ "ruid", "RUID", pr_ruid, IT_RUID, 5, R },
	{ "ruser", "RUSER", pr_ruser, IT_RUSER, 8, U },
	{ "s", "S", pr_s, IT_STATE, 1, L },
	{ "sched", "SCH", pr_sched, IT_SCHED, 3, R },
	{ "sess", "SESS", pr_sess, IT_SESSION, 5, PM | R },
	{ "session", "SESS", pr_sess, IT_SESSION, 5, PM | R },
	{ "sgi_p", "P", pr_sgi_p, IT_STATE, 1, R },
	{ "sgid", "SGID", pr_sgid, IT_SGID, 5, R },
	{ "sgroup", "SGROUP", pr_sgroup, IT_SGROUP, 8, U },
	{ "sid", "SID", pr_sess, IT_SESSION, 5, PM | R },
	{ "spid", "SPID", pr_tasks, IT_TID, 5, PM | R },
	{ "start", "STARTED", pr_start, IT_BEGAN, 8, R },
	{ "start_time", "START", pr_stime, IT_BEGAN, 5, R },
	{ "stat", "STAT", pr_stat, IT_STATE, 4, L },
	{ "state", "S", pr_s, IT_STATE, 1, L },
	{ "stime", "STIME", pr_stime, IT_BEGAN, 5, R },
	{ "suid", "SUID", pr_suid, IT_SUID, 5, R },
	{ "suser", "SUSER", pr_suser, IT_SUSER, 8, U },
	{ "svgid", "SVGID", pr_sgid, IT_SGID, 5, R },
	{ "svgroup", "SVGROUP", pr_sgroup, IT_SGROUP, 8, U },
	{ "svuid", "SVUID", pr_suid, IT_SUID, 5, R },
	{ "svuser", "SVUSER", pr_suser, IT_SUSER, 8, U },
	{ "sz", "SZ", pr_sz, IT_VMSIZE, 5, R },
	{ "tgid", "TGID", pr_procs, IT_TGID, 5, PM | R },
	{ "thcount", "THCNT", pr_nlwp, IT_NLWP, 5, R },
	{ "tid", "TID", pr_tasks, IT_TID, 5, PM | R },
	{ "time", "TIME", pr_time, IT_TIMEALL, 8, R },
	{ "times", "TIME", pr_times, IT_TIMEALL, 8, R },
	{ "tname", "TTY", pr_tty8, IT_TTYNAME, 8, L },
	{ "tpgid", "TPGID", pr_tpgid, IT_TPGID, 5, PM | R },
	{ "tt", "TT", pr_tty8, IT_TTYNAME, 8, L },
	{ "tty", "TT", pr_tty8, IT_TTYNAME, 8, L },
	{ "tty8", "TTY", pr_tty8, IT_TTYNAME, 8, L },
	{ "ucmd", "CMD", pr_comm, IT_CMD, 15, UL },
	{ "ucomm", "COMMAND", pr_comm, IT_CMD, 15, UL },
	{ "uid", "UID", pr_euid, IT_EUID, 5, R },
	{ "uid_hack", "UID", pr_euser, IT_EUSER, 8, U },
	{ "uname", "USER", pr_euser, IT_EUSER, 8, U },
	{ "user", "USER", pr_euser, IT_EUSER, 8, U },
	{ "util", "C", pr_c, IT_UTIL, 2, R },
	{ "vm_lock", "LCK", pr_nop, IT_LOCKED, 3, R },
	{ "vsize", "VSZ", pr_vsz, IT_VSIZE, 6, R },
	{ "vsz", "VSZ", pr_vsz, IT_VMSIZE, 6, R },
	{ "wchan", "WCHAN", pr_wchan, IT_WCHAN, 6, W },
	{ "wname", "WCHAN", pr_wchan, IT_WCHAN, 6, W },
};
#undef L
#undef R
#undef U
#undef W
#undef UL
#undef PM

/* procps macro_array entries whose columns are all in the table. */
static const struct {
	const char *name, *list;
} macros[] = {
	{ "DefBSD", "pid,tname,stat,bsdtime,args" },
	{ "DefSysV", "pid,tname,time,cmd" },
	{ "OL_j", "ppid,pid,pgid,sid,tname,tpgid,stat,uid,bsdtime,args" },
	{ "OL_l", "flags,uid,pid,ppid,priority,nice,vsz,rss,wchan,stat,tname,"
	    "bsdtime,args" },
	{ "OL_u", "user,pid,pcpu,pmem,vsz,rss,tname,stat,start_time,bsdtime,"
	    "args" },
	{ "Std_f", "uid_hack,pid,ppid,c,stime,tname,time,cmd" },
	{ "Std_fl", "f,s,uid_hack,pid,ppid,c,opri,ni,addr,sz,wchan,stime,tname,"
	    "time,cmd" },
	{ "Std_l", "f,s,uid,pid,ppid,c,opri,ni,addr,sz,wchan,tname,time,ucmd" },
};

static int
spec_cmp(const void *key, const void *elt)
{
	return strcmp(key, ((const struct ps_spec *)elt)->name);
}

const struct ps_spec *
find_spec(const char *name)
{
	return bsearch(name, specs, sizeof(specs) / sizeof(specs[0]),
	    sizeof(specs[0]), spec_cmp);
}

/* The columns of macro name, comma-separated; NULL if there is none. */
const char *
find_macro(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(macros) / sizeof(macros[0]); i++)
		if (strcmp(name, macros[i].name) == 0)
			return macros[i].list;
	return NULL;
}
