/*
 * ksym: nlist(3) from the command line.  NAME -> runtime address, type and
 * the file it came from; -a ADDR -> the symbol at or below it; -l the
 * whole table as /proc/kallsyms shows it; -M CORE alone, what the library
 * found about the kernel in it and how.
 */
#include "config.h"

#include <err.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "common.h"

static void
usage(int status)
{
	fprintf(status ? stderr : stdout,
	    "usage: %s [-M core] [-N namelist] [--source=...] [--explain] "
	    "name ...\n"
	    "       %s [-M core] [-N namelist] -a address ...\n"
	    "       %s [-M core] [-N namelist] -l\n"
	    "       %s -M core [-N namelist]\n",
	    program_invocation_short_name, program_invocation_short_name,
	    program_invocation_short_name, program_invocation_short_name);
	exit(status);
}

/* Names come from the namelist or the dump: escaped for the terminal. */
#define ESC(buf, s)	sym_escape(buf, sizeof(buf), s)

static int
by_name(sym_t *h, const char *want)
{
	struct sym_info si;
	char ko[4096], name[512], origin[4096], mod[256];

	if (sym_lookup(h, want, &si) == -1) {
		warnx("%s", sym_geterr(h));
		return 1;
	}
	printf("%016" PRIx64 " %c %s\t%s", si.addr, si.type,
	    ESC(name, si.name), ESC(origin, si.origin));
	if (si.module != NULL) {
		printf(" [%s]", ESC(mod, si.module));
		if (sym_module_path(h, si.module, ko, sizeof(ko)) == 0)
			printf(" %s", ko);
	}
	putchar('\n');
	return 0;
}

static int
by_addr(sym_t *h, const char *arg)
{
	char name[512], origin[4096], mod[256];
	struct sym_info si;
	uint64_t addr, off;
	char *end;

	errno = 0;
	addr = strtoull(arg, &end, 16);
	if (errno != 0 || end == arg || *end != '\0') {
		warnx("%s: not a hex address", arg);
		return 1;
	}
	if (sym_addr2sym(h, addr, &si, &off) == -1) {
		warnx("%s", sym_geterr(h));
		return 1;
	}
	printf("%016" PRIx64 " %s+0x%" PRIx64 "\t%s%s%s%s\n", addr,
	    ESC(name, si.name), off, ESC(origin, si.origin), si.module ? " [" :
	    "", si.module ? ESC(mod, si.module) : "", si.module ? "]" : "");
	return 0;
}

/* Every symbol, "ADDR TYPE NAME" in the namelist's order, as kallsyms. */
static int
list_all(sym_t *h)
{
	char name[512];
	struct sym_info si;
	size_t n, i;

	if (sym_namelist(h, &n) == -1) {
		warnx("%s", sym_geterr(h));
		return 1;
	}
	for (i = 0; i < n; i++) {
		if (sym_symbol(h, i, &si) == -1) {
			warnx("%s", sym_geterr(h));
			return 1;
		}
		printf("%016" PRIx64 " %c %s\n", si.addr, si.type,
		    ESC(name, si.name));
	}
	return 0;
}

/* What was found in the core, and how: the library's findings. */
static int
findings(sym_t *h)
{
	size_t n;
	int rc = 0;

	if (sym_namelist(h, &n) == -1)
		rc = 1;
	fputs(sym_findings(h), stdout);
	if (rc)
		warnx("%s", sym_geterr(h));
	return rc;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "address", no_argument, NULL, 'a' },
		{ "list", no_argument, NULL, 'l' },
		COMMON_LONG,
		{ NULL, 0, NULL, 0 }
	};
	struct common co = { 0 };
	int c, addrs = 0, list = 0, rc = 0;
	sym_t *h;

	while ((c = getopt_long(argc, argv, "al" COMMON_SHORT, longopts,
	    NULL)) != -1) {
		if (common_option(&co, c, optarg, usage))
			continue;
		if (c == 'a')
			addrs = 1;
		else if (c == 'l')
			list = 1;
		else
			usage(2);
	}
	if ((list && (addrs || optind < argc)) || (!list && optind == argc &&
	    co.so.memfile == NULL))
		usage(2);
	co.namelist_alone = 1;
	h = common_open(&co);
	if (list)
		rc = list_all(h);
	else if (optind == argc)
		rc = findings(h);
	for (; optind < argc; optind++)
		rc |= addrs ? by_addr(h, argv[optind]) :
		    by_name(h, argv[optind]);
	sym_close(h);
	return rc;
}
