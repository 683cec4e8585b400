/*
 * kloadavg: the /proc/loadavg line, computed from kernel memory: avenrun,
 * the per-CPU runqueues, nr_threads and the pid allocator.
 */
#include "config.h"

#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "common.h"

static void
usage(int status)
{
	fprintf(status ? stderr : stdout,
	    "usage: %s [-M core] [-N namelist] [--btf file] "
	    "[--source=auto|kmem|kcore|mem|core|proc]\n"
	    "       [--explain] [--compare]\n", program_invocation_short_name);
	exit(status);
}

static long
diff(long a, long b)
{
	return a > b ? a - b : b - a;
}

/*
 * The averages must be equal (one retry: the kernel recomputes them every
 * 5 s).  The rest moves between two reads: running within 2 (this reader
 * itself runs), threads within 5, last pid within 20.
 */
static int
compare(sym_t *h)
{
	struct sym_loadavg k, p;
	char kl[128], pl[128], err[SYM_ERRSIZE];
	int i, try, bad = 0;

	if (sym_source(h) == SYM_SRC_PROC)
		errx(1, "--compare: no kernel memory to compare with /proc: %s",
		    sym_refusals(h));
	for (try = 0; try < 2; try++) {
		if (sym_loadavg(h, &k) == -1)
			errx(1, "%s", sym_geterr(h));
		if (sym_proc_loadavg(&p, err) == -1)
			errx(1, "%s", err);
		for (i = 0; i < 3 && k.centi[i] == p.centi[i]; i++)
			continue;
		if (i == 3)
			break;
	}
	sym_loadavg_line(&k, kl, sizeof(kl));
	sym_loadavg_line(&p, pl, sizeof(pl));
	printf("%-14s %s\n%-14s %s\n", sym_memfile(h), kl, "/proc/loadavg", pl);
	for (i = 0; i < 3; i++)
		if (k.centi[i] != p.centi[i]) {
			printf("load average %d differs\n", i);
			bad = 1;
		}
	if (!(k.have & SYM_LA_RUNNING) || diff((long)k.running,
	    (long)p.running) > 2) {
		printf("running differs beyond 2\n");
		bad = 1;
	}
	if (!(k.have & SYM_LA_THREADS) || diff(k.threads, p.threads) > 5) {
		printf("threads differ beyond 5\n");
		bad = 1;
	}
	if (!(k.have & SYM_LA_LASTPID) || diff(k.lastpid, p.lastpid) > 20) {
		printf("last pid differs beyond 20\n");
		bad = 1;
	}
	return bad;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		COMMON_LONG,
		{ NULL, 0, NULL, 0 }
	};
	struct common co = { 0 };
	struct sym_loadavg la;
	char line[128];
	int c;
	sym_t *h;

	while ((c = getopt_long(argc, argv, COMMON_SHORT, longopts,
	    NULL)) != -1)
		if (!common_option(&co, c, optarg, usage))
			usage(2);
	if (optind != argc)
		usage(2);
	h = common_open(&co);
	if (co.compare)
		return compare(h);
	if (sym_loadavg(h, &la) == -1)
		errx(1, "%s", sym_geterr(h));
	if (sym_loadavg_line(&la, line, sizeof(line)) == -1)
		errx(1, "load average line too long");
	puts(line);
	sym_close(h);
	return 0;
}
