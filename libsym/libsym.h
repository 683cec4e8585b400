/*
 * libsym: kernel symbols, kernel memory and kernel statistics, read the way
 * nlist(3) and /dev/kmem were once used, over the sources Linux has today.
 *
 * One handle per session.  Every failure leaves a one-line message in the
 * handle's error buffer (sym_geterr) naming the file or address and why.
 */
#ifndef LIBSYM_H
#define LIBSYM_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SYM_ERRSIZE 512

typedef struct sym_handle sym_t;

/* Where kernel memory comes from (BSD -M, or --source). */
enum sym_source {
	SYM_SRC_AUTO = 0,	/* kmem, then kcore, then /proc */
	SYM_SRC_KMEM,		/* /dev/kmem: kernel virtual addresses */
	SYM_SRC_KCORE,		/* /proc/kcore: ELF, virtual PT_LOADs */
	SYM_SRC_MEM,		/* /dev/mem: physical addresses */
	SYM_SRC_CORE,		/* an ELF core file given with -M */
	SYM_SRC_PROC,		/* no kernel memory: /proc */
};

struct sym_opts {
	enum sym_source source;
	const char *memfile;	/* -M: core file (implies SYM_SRC_CORE) */
	const char *namelist;	/* -N: System.map, kallsyms text or vmlinux */
	const char *btf;	/* --btf: raw BTF or ELF with .BTF */
	FILE *explain;		/* teaching trace; NULL for none */
	int capture;		/* record pages, symbols and types (kcapture) */
	int use_mmap;		/* physical files: mmap(2) windows, not pread */
};

/* One symbol as the namelist gave it and as it is in the running kernel. */
struct sym_info {
	const char *name;
	uint64_t addr;		/* runtime address (slide applied) */
	uint64_t nladdr;	/* address in the namelist */
	char type;		/* nm(1) type letter */
	const char *module;	/* NULL for the core kernel */
	const char *origin;	/* file it came from */
};

/*
 * The /proc/loadavg line.  centi[] is each average in hundredths, rounded
 * as /proc/loadavg rounds; avenrun[] is the kernel's raw fixed point
 * (FSHIFT 11) when read from memory.  Each field is valid when its SYM_LA_
 * bit is set in have.
 */
#define SYM_LA_AVENRUN	0x1
#define SYM_LA_RUNNING	0x2
#define SYM_LA_THREADS	0x4
#define SYM_LA_LASTPID	0x8
struct sym_loadavg {
	unsigned long centi[3];
	unsigned long avenrun[3];
	unsigned long running;
	int threads;
	int lastpid;
	unsigned have;
};

/* Uptime and the kernel's own wall clock at the moment it was read. */
struct sym_uptime {
	double uptime;		/* seconds since boot, as /proc/uptime */
	double now;		/* the kernel's wall clock (dead kernels) */
	int live;		/* 1: the running kernel; now is the caller's */
};

sym_t *sym_open(const struct sym_opts *opts, char *errbuf);
void sym_close(sym_t *h);
const char *sym_geterr(const sym_t *h);
/*
 * src made safe for a terminal, into dst (len bytes, NUL-terminated; dst
 * may be src): every byte that is not printable ASCII becomes '?', as
 * procps escapes command lines.  Bytes from a dump (names, VMCOREINFO)
 * go through it; errors and findings already have.  Returns dst.
 */
char *sym_escape(char *dst, size_t len, const char *src);

enum sym_source sym_source(const sym_t *h);
const char *sym_source_name(enum sym_source src);
int sym_source_parse(const char *name, enum sym_source *src);
const char *sym_memfile(const sym_t *h);
/* Why each source tried before the one in use was refused, "; "-separated. */
const char *sym_refusals(const sym_t *h);
int64_t sym_kaslr_slide(const sym_t *h);
const char *sym_release(const sym_t *h);
/* What the library found about the kernel and how, one "key: text" line
 * each (source kind, VMCOREINFO, KASLR slide, symbols, types...). */
const char *sym_findings(const sym_t *h);

int sym_lookup(sym_t *h, const char *name, struct sym_info *out);
int sym_addr2sym(sym_t *h, uint64_t addr, struct sym_info *out,
    uint64_t *offset);
/* Loads the whole namelist (not the symbol cache); its symbol count. */
int sym_namelist(sym_t *h, size_t *count);
/* Symbol i of the namelist, in its own order (for kallsyms, the
 * kernel's), duplicates included. */
int sym_symbol(sym_t *h, size_t i, struct sym_info *out);
/* The .ko file of a loaded module (libkmod). */
int sym_module_path(sym_t *h, const char *module, char *buf, size_t len);
/* Read exactly len bytes at a kernel virtual address; -1 and an error. */
int sym_read(sym_t *h, uint64_t addr, void *buf, size_t len);

int sym_loadavg(sym_t *h, struct sym_loadavg *la);
int sym_uptime(sym_t *h, struct sym_uptime *up);
/* One avenrun value in hundredths, rounded as /proc/loadavg rounds. */
unsigned long sym_avenrun_centi(unsigned long avenrun);
/* The /proc/loadavg line for la, without newline; -1 if it won't fit. */
int sym_loadavg_line(const struct sym_loadavg *la, char *buf, size_t len);

/* Kernel memory first, then sysinfo(2): a drop-in for getloadavg(3),
 * unrounded avenrun / FIXED_1 as glibc and BSD return it. */
int sym_getloadavg(double loadavg[], int nelem);

/* compat: the /proc readers the fallback uses. */
int sym_proc_loadavg(struct sym_loadavg *la, char *errbuf);
int sym_proc_uptime(struct sym_uptime *up, char *errbuf);

/*
 * One task as /proc shows it: the fields of /proc/PID/stat, status, wchan
 * and cmdline, in /proc's own units (clock ticks of USER_HZ, pages, bytes),
 * so that one formatter serves kernel memory and /proc alike.
 */
#define SYM_UID_REAL	0
#define SYM_UID_EFF	1
#define SYM_UID_SAVED	2
#define SYM_UID_FS	3
struct sym_task {
	int pid;			/* the process (tgid) */
	int tid;			/* the thread; == pid for the leader */
	int ppid, pgrp, session, tpgid;
	unsigned tty_nr;		/* stat field 7: major << 8 | minor ... */
	char state;			/* R S D T t Z X I (task_state_array) */
	unsigned flags;			/* PF_* (stat field 9) */
	long priority, nice;		/* stat fields 18 and 19 */
	int nlwp;			/* threads in the process */
	unsigned long long utime, stime;	/* ticks; the process total
					 * for a leader listed alone */
	unsigned long long start_time;	/* ticks since boot */
	unsigned long vsize;		/* bytes */
	long rss;			/* pages */
	int processor;
	unsigned rt_priority, policy;
	unsigned long long vm_lock_kb;	/* status VmLck */
	unsigned long long vm_rss_kb;	/* status VmRSS: the per-CPU sum
					 * where task_mem() sums (6.16,
					 * 6.12.y); stat's rss is the
					 * central count (6.2+) */
	unsigned uid[4], gid[4];	/* real, effective, saved, fs */
	char comm[64];
	char wchan[64];			/* symbol, "" when not sleeping */
	char *cmdline;			/* NUL-separated, as /proc/PID/cmdline */
	size_t cmdline_len;		/* 0: kernel thread, or none */
};

struct sym_tasks {
	struct sym_task *task;
	size_t n;
};

/* The system facts ps needs beside the tasks. */
struct sym_psinfo {
	double uptime;			/* seconds */
	double now;			/* the kernel's clock (dead kernels) */
	unsigned long long boot_time;	/* btime: seconds since the epoch */
	unsigned long long memtotal_kb;
	long page_size;
	long hz;			/* USER_HZ */
	long pid_max;			/* kernel.pid_max; 0 if unknown */
};

#define SYM_TASKS_THREADS	0x1	/* every thread, not only leaders */
#define SYM_TASKS_CMDLINE	0x2	/* read the argument lists */
#define SYM_TASKS_WCHAN		0x4	/* unwind sleeping tasks' stacks */

/* The task list from kernel memory, or /proc when that is the source. */
int sym_tasks(sym_t *h, unsigned flags, struct sym_tasks *out);
int sym_psinfo(sym_t *h, struct sym_psinfo *out);
void sym_tasks_free(struct sym_tasks *t);
/* compat: the same from /proc. */
int sym_proc_tasks(unsigned flags, struct sym_tasks *out, char *errbuf);
int sym_proc_psinfo(struct sym_psinfo *out, char *errbuf);

/* kcapture: write what this session read as a fixture directory. */
int sym_capture_write(sym_t *h, const char *dir);

/* The latest atime (seconds) of the inodes open on terminal line ("tty1")
 * in kernel memory, what stat(2) of /dev/LINE gives w(1): 0, 1 if there
 * is no such terminal or nothing has it open, -1 on error. */
int sym_tty_atime(sym_t *h, const char *line, int64_t *sec);

#ifdef __cplusplus
}
#endif
#endif
