#include "config.h"

#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "common.h"

/* The names --source takes, as the library's table of sources has them. */
static const char *
source_list(void)
{
	static char buf[128];
	size_t n = 0;
	int s;

	for (s = SYM_SRC_AUTO; s <= SYM_SRC_PROC && n < sizeof(buf); s++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s",
		    s == SYM_SRC_AUTO ? "" : ", ",
		    sym_source_name((enum sym_source)s));
	return buf;
}

int
common_option(struct common *co, int c, const char *arg, void (*usage)(int))
{
	switch (c) {
	case 'M':
		co->so.memfile = arg;
		return 1;
	case 'N':
		co->so.namelist = arg;
		return 1;
	case OPT_BTF:
		co->so.btf = arg;
		return 1;
	case OPT_SOURCE:
		if (sym_source_parse(arg, &co->so.source) == -1)
			errx(2, "--source=%s: not one of %s", arg, source_list());
		return 1;
	case OPT_EXPLAIN:
		co->so.explain = stderr;
		return 1;
	case OPT_COMPARE:
		co->compare = 1;
		return 1;
	case OPT_MMAP:
		co->so.use_mmap = 1;
		return 1;
	case 'h':
	case OPT_HELP:
		usage(0);
		return 1;
	case 'V':
		printf("%s (kmemstat) %s\n", program_invocation_short_name, PACKAGE_VERSION);
		exit(0);
	case '?':
		usage(2);
		return 1;
	}
	return 0;
}

sym_t *
common_open(struct common *co)
{
	char err[SYM_ERRSIZE];
	sym_t *h;

	if ((h = sym_open(&co->so, err)) == NULL)
		errx(1, "%s", err);
	/* /proc needs no namelist: one the user named must not pass unseen. */
	if (sym_source(h) == SYM_SRC_PROC && !co->namelist_alone &&
	    (co->so.namelist != NULL || co->so.btf != NULL))
		warnx("%s %s: not used: reading /proc, no kernel memory (%s)",
		    co->so.namelist != NULL ? "-N" : "--btf",
		    co->so.namelist != NULL ? co->so.namelist : co->so.btf,
		    *sym_refusals(h) ? sym_refusals(h) : "--source=proc");
	if (co->so.explain != NULL)
		fprintf(stderr, "explain: reading from %s (source %s)\n",
		    sym_memfile(h), sym_source_name(sym_source(h)));
	return h;
}
