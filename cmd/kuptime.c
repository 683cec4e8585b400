/*
 * kuptime: uptime(1) the way 4.2BSD did it, avenrun and the boot time out
 * of kernel memory, printed exactly as procps-ng 4.0 uptime prints them.
 */
#include "config.h"

#include <err.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common.h"
#include "uptimefmt.h"

enum { OPT_UTMP = OPT_TOOL };

static const char *utmp_file;

static void
usage(int status)
{
	fprintf(status ? stderr : stdout,
	    "usage: %s [-ps] [-M core] [-N namelist] [--btf file] "
	    "[--source=auto|kmem|kcore|mem|core|proc]\n"
	    "       [--utmp file] [--explain] [--compare]\n",
	    program_invocation_short_name);
	exit(status);
}

/* procps 4.0's -p: each unit peeled off in turn, largest first. */
static void
print_pretty(double secs)
{
	static const struct { int len; const char *one, *many; } u[] = {
		{ 60 * 60 * 24 * 365 * 10, "decade", "decades" },
		{ 60 * 60 * 24 * 365, "year", "years" },
		{ 60 * 60 * 24 * 7, "week", "weeks" },
		{ 60 * 60 * 24, "day", "days" },
		{ 60 * 60, "hour", "hours" },
	};
	int v, mins = 0, comma = 0;
	size_t i;

	fputs("up ", stdout);
	for (i = 0; i < sizeof(u) / sizeof(u[0]); i++) {
		if (!(secs > u[i].len))
			continue;
		v = (int)secs / u[i].len;
		secs -= v * u[i].len;
		printf("%s%d %s", comma ? ", " : "", v, v > 1 ? u[i].many :
		    u[i].one);
		comma = 1;
	}
	if (secs > 60) {
		mins = (int)secs / 60;
		secs -= mins * 60;
	}
	if (mins || secs < 60)
		printf("%s%d %s", comma ? ", " : "", mins, mins != 1 ?
		    "minutes" : "minute");
	putchar('\n');
}

static void
print_since(const struct sym_uptime *up)
{
	time_t since = dump_time((up->now - up->uptime) + 0.5);
	struct tm tm;

	localtime_r(&since, &tm);
	printf("%04d-%02d-%02d %02d:%02d:%02d\n", tm.tm_year + 1900,
	    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* Kernel memory against /proc: uptime within 0.05 s, loads equal. */
static int
compare(sym_t *h)
{
	struct sym_uptime ku, pu;
	struct sym_loadavg kl, pl;
	char err[SYM_ERRSIZE];
	int i, bad = 0;

	if (sym_source(h) == SYM_SRC_PROC)
		errx(1, "--compare: no kernel memory to compare with /proc: %s",
		    sym_refusals(h));
	if (sym_uptime(h, &ku) == -1 || sym_loadavg(h, &kl) == -1)
		errx(1, "%s", sym_geterr(h));
	if (sym_proc_uptime(&pu, err) == -1 || sym_proc_loadavg(&pl, err) == -1)
		errx(1, "%s", err);
	printf("uptime   %s: %.2f  /proc/uptime: %.2f\n", sym_memfile(h),
	    ku.uptime, pu.uptime);
	if (fabs(ku.uptime - pu.uptime) > 0.05) {
		printf("  differ by %.2f s (tolerance 0.05 s)\n",
		    ku.uptime - pu.uptime);
		bad = 1;
	}
	for (i = 0; i < 3; i++) {
		printf("load[%d]  %s: %lu.%02lu  /proc/loadavg: %lu.%02lu\n", i,
		    sym_memfile(h), kl.centi[i] / 100, kl.centi[i] % 100,
		    pl.centi[i] / 100, pl.centi[i] % 100);
		if (kl.centi[i] != pl.centi[i])
			bad = 1;
	}
	return bad;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "pretty", no_argument, NULL, 'p' },
		{ "since", no_argument, NULL, 's' },
		{ "utmp", required_argument, NULL, OPT_UTMP },
		COMMON_LONG,
		{ NULL, 0, NULL, 0 }
	};
	struct common co = { 0 };
	struct sym_uptime up;
	struct sym_loadavg la;
	int c, pretty = 0, since = 0, users;
	sym_t *h;

	while ((c = getopt_long(argc, argv, "ps" COMMON_SHORT, longopts,
	    NULL)) != -1) {
		if (common_option(&co, c, optarg, usage))
			continue;
		switch (c) {
		case 'p':
			pretty = 1;
			break;
		case 's':
			since = 1;
			break;
		case OPT_UTMP:
			utmp_file = optarg;
			break;
		default:
			usage(2);
		}
	}
	if (optind != argc)
		usage(2);
	h = common_open(&co);
	if (co.compare)
		return compare(h);
	if (sym_uptime(h, &up) == -1)
		errx(1, "%s", sym_geterr(h));
	if (since)
		print_since(&up);
	else if (pretty)
		print_pretty(up.uptime);
	else {
		if (sym_loadavg(h, &la) == -1)
			errx(1, "%s", sym_geterr(h));
		/* A dead kernel's users are in its utmp, if one was saved. */
		if (up.live || utmp_file != NULL)
			users = utmp_users(utmp_file);
		else
			users = 0;
		uptime_line(&up, &la, users);
	}
	sym_close(h);
	return 0;
}
