/* Options every tool shares: -M, -N, --btf, --source, --explain, --compare */
#ifndef CMD_COMMON_H
#define CMD_COMMON_H

#include <getopt.h>

#include "libsym.h"

enum {
	OPT_BTF = 0x100,
	OPT_SOURCE,
	OPT_EXPLAIN,
	OPT_COMPARE,
	OPT_HELP,
	OPT_VERSION,
	OPT_MMAP,
	OPT_TOOL,		/* first value free for a tool's own options */
};

#define COMMON_SHORT "M:N:hV"
#define COMMON_LONG \
	{ "btf", required_argument, NULL, OPT_BTF }, \
	{ "source", required_argument, NULL, OPT_SOURCE }, \
	{ "explain", no_argument, NULL, OPT_EXPLAIN }, \
	{ "compare", no_argument, NULL, OPT_COMPARE }, \
	{ "mmap", no_argument, NULL, OPT_MMAP }, \
	{ "help", no_argument, NULL, OPT_HELP }, \
	{ "version", no_argument, NULL, 'V' }

struct common {
	struct sym_opts so;
	int compare;
	int namelist_alone;	/* -N means something without memory (ksym) */
};

/* 1 if c was a common option (handled), 0 if the tool must handle it. */
int common_option(struct common *co, int c, const char *arg,
    void (*usage)(int));
/* Opens the session; exits with a one-line error on failure. */
sym_t *common_open(struct common *co);

#endif
