/*
 * ktaskdump: the task list as one line per task, either from libsym
 * (sym_tasks over --source, kernel memory) or straight from /proc
 * (--proc, parsed here with nothing of libsym), in the same format, so
 * that guest-ktasks.sh can compare the two field by field.
 *
 *   ktaskdump [-T] [-c] [-w] [-e] [-s SOURCE] [-M core -N map -B btf] [-t]
 *   ktaskdump --proc [-T] [-c]
 *   ktaskdump --pt
 *
 * -T one line per thread; -c include the command line (length and POSIX
 * cksum CRC of /proc/PID/cmdline's bytes); -w unwind for the wchan
 * (/proc's is always read); -e --explain to stderr;
 * -t print the time the task read took to stderr.
 *
 * Line: tid pid state ppid pgrp session tty_nr tpgid flags priority nice
 * nlwp utime stime start_time vsize rss processor rt_priority policy
 * vmlck_kb uid*4 gid*4 cmdlen cmdcrc wchan ("-" for none) csw (context
 * switches, voluntary and not, from /proc's status; "-" from kernel
 * memory) comm (spaces in comm as '_'), and a
 * first line "psinfo uptime boot_time memtotal_kb page_size hz".
 *
 * --pt checks libsym's page-table walker (so this links libsymcore.a,
 * the library's internals): bytes of this process's own memory (a 4 KiB
 * page, and a 2 MiB transparent huge page when the kernel grants one)
 * read through its mm->pgd must equal what the process sees; kernel
 * addresses (the image, the direct map, a vmalloc'ed stack) translated
 * through init_top_pgt and read back through the direct map must equal
 * what kcore gives at the virtual address.  One line per check:
 * "pt NAME ok SIZE" or "pt NAME FAIL why".
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sys/mman.h>

#include "sym_private.h"

/* POSIX cksum(1): CRC-32 (poly 0x04c11db7, MSB first) over the data
 * and then the length, complemented. */
static unsigned long
posix_cksum(const unsigned char *p, size_t n)
{
	static unsigned long tab[256];
	unsigned long crc = 0;
	size_t len = n;
	int i, j;

	if (tab[1] == 0)
		for (i = 0; i < 256; i++) {
			unsigned long c = (unsigned long)i << 24;

			for (j = 0; j < 8; j++)
				c = c & 0x80000000UL ? (c << 1) ^ 0x04c11db7UL :
				    c << 1;
			tab[i] = c & 0xffffffffUL;
		}
	while (n--)
		crc = ((crc << 8) ^ tab[((crc >> 24) ^ *p++) & 0xff]) &
		    0xffffffffUL;
	for (; len; len >>= 8)
		crc = ((crc << 8) ^ tab[((crc >> 24) ^ len) & 0xff]) &
		    0xffffffffUL;
	return ~crc & 0xffffffffUL;
}

static void
print_task(const struct sym_task *t, int with_cmdline, long long csw)
{
	char comm[sizeof(t->comm)];
	size_t i;

	snprintf(comm, sizeof(comm), "%s", t->comm);
	for (i = 0; comm[i]; i++)
		if (isspace((unsigned char)comm[i]))
			comm[i] = '_';
	printf("%d %d %c %d %d %d %u %d %u %ld %ld %d %llu %llu %llu %lu %ld "
	    "%d %u %u %llu %u %u %u %u %u %u %u %u ", t->tid, t->pid, t->state,
	    t->ppid, t->pgrp, t->session, t->tty_nr, t->tpgid, t->flags,
	    t->priority, t->nice, t->nlwp, t->utime, t->stime, t->start_time,
	    t->vsize, t->rss, t->processor, t->rt_priority, t->policy,
	    t->vm_lock_kb, t->uid[0], t->uid[1], t->uid[2], t->uid[3],
	    t->gid[0], t->gid[1], t->gid[2], t->gid[3]);
	if (with_cmdline)
		printf("%zu %lu ", t->cmdline_len, posix_cksum((const
		    unsigned char *)t->cmdline, t->cmdline_len));
	else
		printf("- - ");
	printf("%s ", t->wchan[0] ? t->wchan : "-");
	if (csw >= 0)
		printf("%lld ", csw);
	else
		printf("- ");
	printf("%s\n", comm[0] ? comm : "-");
}

/* ---- /proc, read the plain way ---- */

static char *
slurp(const char *path, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap + 1), *nb;
	FILE *fp;
	size_t r;

	if (buf == NULL || (fp = fopen(path, "r")) == NULL) {
		free(buf);
		return NULL;
	}
	while ((r = fread(buf + n, 1, cap - n, fp)) > 0) {
		n += r;
		if (n == cap) {
			cap *= 2;
			if ((nb = realloc(buf, cap + 1)) == NULL)
				break;
			buf = nb;
		}
	}
	fclose(fp);
	buf[n] = '\0';
	*len = n;
	return buf;
}

static int
proc_one(const char *dir, int pid, int with_cmdline, struct sym_task *t,
    long long *csw)
{
	char path[512], *s, *p, *q;
	size_t len;
	unsigned long long u[45];
	int i;

	memset(t, 0, sizeof(*t));
	snprintf(path, sizeof(path), "%s/stat", dir);
	if ((s = slurp(path, &len)) == NULL)
		return -1;
	if ((p = strchr(s, '(')) == NULL || (q = strrchr(s, ')')) == NULL) {
		free(s);
		return -1;
	}
	t->tid = atoi(s);
	len = (size_t)(q - p - 1);
	if (len >= sizeof(t->comm))
		len = sizeof(t->comm) - 1;
	memcpy(t->comm, p + 1, len);
	t->state = q[2];
	/* fields 4.. after the state letter, as signed where stat is */
	p = q + 3;
	for (i = 4; i <= 41; i++) {
		while (*p == ' ')
			p++;
		u[i] = (unsigned long long)strtoll(p, &p, 10);
	}
	free(s);
	t->ppid = (int)u[4];
	t->pgrp = (int)u[5];
	t->session = (int)u[6];
	t->tty_nr = (unsigned)u[7];
	t->tpgid = (int)u[8];
	t->flags = (unsigned)u[9];
	t->utime = u[14];
	t->stime = u[15];
	t->priority = (long)u[18];
	t->nice = (long)u[19];
	t->nlwp = (int)u[20];
	t->start_time = u[22];
	t->vsize = (unsigned long)u[23];
	t->rss = (long)u[24];
	t->processor = (int)u[39];
	t->rt_priority = (unsigned)u[40];
	t->policy = (unsigned)u[41];

	snprintf(path, sizeof(path), "%s/status", dir);
	if ((s = slurp(path, &len)) == NULL)
		return -1;
	if ((p = strstr(s, "\nTgid:")) != NULL)
		t->pid = atoi(p + 6);
	if ((p = strstr(s, "\nUid:")) != NULL)
		sscanf(p + 5, "%u %u %u %u", &t->uid[0], &t->uid[1], &t->uid[2],
		    &t->uid[3]);
	if ((p = strstr(s, "\nGid:")) != NULL)
		sscanf(p + 5, "%u %u %u %u", &t->gid[0], &t->gid[1], &t->gid[2],
		    &t->gid[3]);
	if ((p = strstr(s, "\nVmLck:")) != NULL)
		t->vm_lock_kb = strtoull(p + 7, NULL, 10);
	*csw = 0;
	if ((p = strstr(s, "\nvoluntary_ctxt_switches:")) != NULL)
		*csw += strtoll(p + 25, NULL, 10);
	if ((p = strstr(s, "\nnonvoluntary_ctxt_switches:")) != NULL)
		*csw += strtoll(p + 28, NULL, 10);
	free(s);
	(void)pid;
	/* "0" when get_wchan() found none: shown as "-" */
	snprintf(path, sizeof(path), "%s/wchan", dir);
	if ((s = slurp(path, &len)) != NULL) {
		if (strcmp(s, "0") != 0)
			snprintf(t->wchan, sizeof(t->wchan), "%s", s);
		free(s);
	}
	if (with_cmdline) {
		snprintf(path, sizeof(path), "%s/cmdline", dir);
		if ((s = slurp(path, &len)) != NULL) {
			t->cmdline = s;
			t->cmdline_len = len;
		}
	}
	return 0;
}

static int
numeric(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return 0;
	return 1;
}

static int
cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return x < y ? -1 : x > y;
}

/* Directory entries that are numbers, sorted (readdir order is pid order
 * for /proc itself; sorting makes both listings the same). */
static int *
numbers(const char *path, size_t *n)
{
	DIR *d = opendir(path);
	struct dirent *e;
	int *v = NULL, *nv;
	size_t cap = 0;

	*n = 0;
	if (d == NULL)
		return NULL;
	while ((e = readdir(d)) != NULL) {
		if (!numeric(e->d_name))
			continue;
		if (*n == cap) {
			cap = cap ? 2 * cap : 256;
			if ((nv = realloc(v, cap * sizeof(*v))) == NULL)
				break;
			v = nv;
		}
		v[(*n)++] = atoi(e->d_name);
	}
	closedir(d);
	qsort(v, *n, sizeof(*v), cmp_int);
	return v;
}

static int
dump_proc(int threads, int with_cmdline)
{
	char dir[256], tdir[256];
	struct sym_task t;
	long long csw;
	int *pids, *tids;
	size_t np, nt, i, j;
	double up = 0;
	unsigned long long btime = 0, memtotal = 0;
	FILE *fp;
	char line[256];

	if ((fp = fopen("/proc/uptime", "r")) != NULL) {
		if (fscanf(fp, "%lf", &up) != 1)
			up = 0;
		fclose(fp);
	}
	if ((fp = fopen("/proc/stat", "r")) != NULL) {
		while (fgets(line, sizeof(line), fp) != NULL)
			sscanf(line, "btime %llu", &btime);
		fclose(fp);
	}
	if ((fp = fopen("/proc/meminfo", "r")) != NULL) {
		while (fgets(line, sizeof(line), fp) != NULL)
			sscanf(line, "MemTotal: %llu", &memtotal);
		fclose(fp);
	}
	printf("psinfo %.2f %llu %llu %ld %d\n", up, btime, memtotal,
	    sysconf(_SC_PAGESIZE), (int)sysconf(_SC_CLK_TCK));
	pids = numbers("/proc", &np);
	for (i = 0; i < np; i++) {
		snprintf(dir, sizeof(dir), "/proc/%d", pids[i]);
		if (!threads) {
			if (proc_one(dir, pids[i], with_cmdline, &t, &csw) ==
			    0)
				print_task(&t, with_cmdline, csw);
			free(t.cmdline);
			continue;
		}
		snprintf(tdir, sizeof(tdir), "/proc/%d/task", pids[i]);
		tids = numbers(tdir, &nt);
		for (j = 0; j < nt; j++) {
			/* the leader from /proc/PID, as procps and libsym
			 * list it: with the process's times */
			if (tids[j] == pids[i])
				snprintf(tdir, sizeof(tdir), "/proc/%d",
				    pids[i]);
			else
				snprintf(tdir, sizeof(tdir), "/proc/%d/task/%d",
				    pids[i], tids[j]);
			if (proc_one(tdir, tids[j], with_cmdline, &t, &csw) ==
			    0)
				print_task(&t, with_cmdline, csw);
			free(t.cmdline);
		}
		free(tids);
	}
	free(pids);
	return 0;
}


/* ---- --pt: the page-table walker against known memory ---- */

static int pt_fail;

static const char *
sizename(uint64_t sz)
{
	return sz == 1ULL << 30 ? "1G" : sz == 1ULL << 21 ? "2M" :
	    sz == 4096 ? "4K" : "?";
}

/* User memory of this process through its own page tables. */
static void
pt_user(sym_t *h, uint64_t pgd, const char *name, const unsigned char *p,
    size_t len)
{
	unsigned char *got = malloc(len);
	uint64_t pa, sz = 0;
	ssize_t n;
	int rc;

	rc = _pt_translate(h, pgd, (uint64_t)(uintptr_t)p, &pa, &sz);
	n = rc == 0 ? _pt_read_user(h, pgd, (uint64_t)(uintptr_t)p, got, len) :
	    -1;
	if (rc != 0 || n != (ssize_t)len || memcmp(got, p, len) != 0) {
		printf("pt %s FAIL rc %d, %zd of %zu bytes%s: %s\n", name, rc,
		    n, len, n == (ssize_t)len ? ", different" : "",
		    sym_geterr(h));
		pt_fail++;
	} else
		printf("pt %s ok %s\n", name, sizename(sz));
	free(got);
}

/* A kernel address: via kcore at va, and via the walk + direct map. */
static void
pt_kernel(sym_t *h, uint64_t pgd, const char *name, uint64_t va)
{
	unsigned char a[256], b[256];
	uint64_t pa, sz = 0;

	if (_pt_translate(h, pgd, va, &pa, &sz) != 0 ||
	    sym_read(h, va, a, sizeof(a)) == -1 ||
	    _pt_read_phys(h, pa, b, sizeof(b)) == -1) {
		printf("pt %s FAIL 0x%llx: %s\n", name, (unsigned long long)va,
		    sym_geterr(h));
		pt_fail++;
	} else if (memcmp(a, b, sizeof(a)) != 0) {
		printf("pt %s FAIL 0x%llx -> 0x%llx: bytes differ\n", name,
		    (unsigned long long)va, (unsigned long long)pa);
		pt_fail++;
	} else
		printf("pt %s ok %s\n", name, sizename(sz));
}

static int
dump_pt(void)
{
	struct sym_opts o = { .source = SYM_SRC_KCORE };
	struct sym_member tasks, tgid, mm, stack, pgdm;
	char err[SYM_ERRSIZE];
	uint64_t init, top, head, next, task = 0, mmp, pgd, stk, pa;
	int32_t tg;
	unsigned char small[300], *big;
	size_t i, n = 0;
	sym_t *h;

	if ((h = sym_open(&o, err)) == NULL) {
		printf("pt open FAIL %s\n", err);
		return 1;
	}
	if (_pt_init(h) == -1 || _sym_addr(h, "init_task", &init) == -1 ||
	    _sym_addr(h, "init_top_pgt", &top) == -1 ||
	    _sym_member(h, "task_struct", "tasks", &tasks) == -1 ||
	    _sym_member(h, "task_struct", "tgid", &tgid) == -1 ||
	    _sym_member(h, "task_struct", "mm", &mm) == -1 ||
	    _sym_member(h, "task_struct", "stack", &stack) == -1 ||
	    _sym_member(h, "mm_struct", "pgd", &pgdm) == -1) {
		printf("pt setup FAIL %s\n", sym_geterr(h));
		return 1;
	}
	printf("pt levels %d page_offset_base 0x%llx phys_mask 0x%llx\n",
	    h->pt.levels, (unsigned long long)h->pt.page_offset,
	    (unsigned long long)h->pt.phys_mask);
	/* find this process on the list (bounded) */
	head = init + tasks.offset;
	if (sym_read(h, head, &next, 8) == -1)
		return 1;
	while (next != head && n++ < 100000 && _sym_kaddr_ok(next)) {
		uint64_t t = next - tasks.offset;

		if (sym_read(h, t + tgid.offset, &tg, 4) == -1 ||
		    sym_read(h, next, &next, 8) == -1)
			break;
		if (tg == getpid()) {
			task = t;
			break;
		}
	}
	if (task == 0 || sym_read(h, task + mm.offset, &mmp, 8) == -1 ||
	    sym_read(h, mmp + pgdm.offset, &pgd, 8) == -1) {
		printf("pt self FAIL own task not found: %s\n", sym_geterr(h));
		return 1;
	}
	for (i = 0; i < sizeof(small); i++)
		small[i] = (unsigned char)(i * 7 + 3);
	pt_user(h, pgd, "user-stack-4k", small, sizeof(small));
	/* 8 MiB, 2 MiB-aligned inside, asked to be a huge page */
	big = mmap(NULL, 8 << 20, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (big != MAP_FAILED) {
		unsigned char *al = (unsigned char *)(((uintptr_t)big +
		    (2 << 20) - 1) & ~(uintptr_t)((2 << 20) - 1));

		madvise(al, 2 << 20, MADV_HUGEPAGE);
		for (i = 0; i < (2 << 20); i++)
			al[i] = (unsigned char)(i * 13 + (i >> 12));
		pt_user(h, pgd, "user-thp", al + 0x12345, 5000);
	}
	pt_kernel(h, top, "kernel-image-init_task", init);
	if (_pt_kva_to_pa(h, init, &pa) == 0) {
		uint64_t wpa, sz;

		if (_pt_translate(h, top, init, &wpa, &sz) == 0 && wpa == pa)
			printf("pt image-phys_base ok %s\n", sizename(sz));
		else {
			printf("pt image-phys_base FAIL walk 0x%llx, "
			    "phys_base rule 0x%llx\n", (unsigned long long)wpa,
			    (unsigned long long)pa);
			pt_fail++;
		}
	}
	pt_kernel(h, top, "kernel-direct-16M", h->pt.page_offset + (16 << 20));
	pt_kernel(h, top, "kernel-direct-task", task);
	/* 1-2 GiB of RAM is all RAM: mapped with a 1 GiB page when the CPU
	 * has them (pdpe1gb) and the guest has more than 2 GiB */
	if (_pt_translate(h, top, h->pt.page_offset + (1536ULL << 20), &pa,
	    NULL) == 1)
		printf("pt kernel-direct-1536M skip not-mapped(small-RAM)\n");
	else
		pt_kernel(h, top, "kernel-direct-1536M", h->pt.page_offset +
		    (1536ULL << 20));
	if (sym_read(h, task + stack.offset, &stk, 8) == 0)
		pt_kernel(h, top, "kernel-vmalloc-stack", stk);
	/* not mapped: a user address in the kernel's own tables is absent */
	if (_pt_translate(h, top, 0x10000, &pa, NULL) == 1)
		printf("pt unmapped ok -\n");
	else {
		printf("pt unmapped FAIL 0x10000 translated\n");
		pt_fail++;
	}
	sym_close(h);
	return pt_fail != 0;
}

static void
usage(void)
{
	fprintf(stderr, "usage: ktaskdump [--proc] [-T] [-c] [-w] [-e] [-t] "
	    "[-s source] [-M core] [-N namelist] [-B btf]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	struct sym_opts o;
	struct sym_tasks ts;
	struct sym_psinfo ps;
	struct timespec t0, t1;
	char err[SYM_ERRSIZE];
	unsigned flags = 0;
	int i, proc = 0, timing = 0, cmd = 0;
	sym_t *h;

	memset(&o, 0, sizeof(o));
	o.source = SYM_SRC_KCORE;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--proc") == 0)
			proc = 1;
		else if (strcmp(a, "--pt") == 0)
			return dump_pt();
		else if (strcmp(a, "-T") == 0)
			flags |= SYM_TASKS_THREADS;
		else if (strcmp(a, "-c") == 0)
			cmd = 1;
		else if (strcmp(a, "-w") == 0)
			flags |= SYM_TASKS_WCHAN;
		else if (strcmp(a, "-e") == 0)
			o.explain = stderr;
		else if (strcmp(a, "-t") == 0)
			timing = 1;
		else if (strcmp(a, "-s") == 0 && i + 1 < argc) {
			if (sym_source_parse(argv[++i], &o.source) == -1)
				usage();
		} else if (strcmp(a, "-M") == 0 && i + 1 < argc)
			o.memfile = argv[++i];
		else if (strcmp(a, "-N") == 0 && i + 1 < argc)
			o.namelist = argv[++i];
		else if (strcmp(a, "-B") == 0 && i + 1 < argc)
			o.btf = argv[++i];
		else
			usage();
	}
	if (cmd)
		flags |= SYM_TASKS_CMDLINE;
	if (proc) {
		clock_gettime(CLOCK_MONOTONIC, &t0);
		i = dump_proc(flags & SYM_TASKS_THREADS, cmd);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if (timing)
			fprintf(stderr, "ktaskdump: /proc read and printed in "
			    "%.3f ms\n", (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
			    (double)(t1.tv_nsec - t0.tv_nsec) / 1e6);
		return i;
	}
	if ((h = sym_open(&o, err)) == NULL) {
		fprintf(stderr, "ktaskdump: %s\n", err);
		return 1;
	}
	if (sym_psinfo(h, &ps) == -1) {
		fprintf(stderr, "ktaskdump: psinfo: %s\n", sym_geterr(h));
		sym_close(h);
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (sym_tasks(h, flags, &ts) == -1) {
		fprintf(stderr, "ktaskdump: %s\n", sym_geterr(h));
		sym_close(h);
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("psinfo %.2f %llu %llu %ld %ld\n", ps.uptime, ps.boot_time,
	    ps.memtotal_kb, ps.page_size, ps.hz);
	for (i = 0; (size_t)i < ts.n; i++)
		print_task(&ts.task[i], cmd, -1);
	if (timing)
		fprintf(stderr, "ktaskdump: %zu tasks in %.3f ms\n", ts.n,
		    (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
		    (double)(t1.tv_nsec - t0.tv_nsec) / 1e6);
	sym_tasks_free(&ts);
	sym_close(h);
	return 0;
}
