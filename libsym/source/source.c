/*
 * The memory sources, as libkvm keeps its architectures: one table of
 * operations per source, registered by one row below, chosen by one loop.
 * A live system's devices are tried in the order history made them
 * (/dev/kmem, then /proc/kcore); a file named with -M goes to the first
 * source whose probe claims its first bytes.  --source names, their
 * parsing and the refusal messages all come from the rows.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sym_private.h"

/* Every source, best first.  raw claims any file: keep it last. */
static const struct sym_memops *const sources[] = {
	&_sym_kmem_ops,
	&_sym_kcore_ops,
	&_sym_devmem_ops,
	&_sym_core_ops,
	&_sym_kdump_ops,
	&_sym_raw_ops,
};
#define NSOURCES	(sizeof(sources) / sizeof(sources[0]))

/* The two choices that are not a row: auto and /proc. */
static const char *const other_names[] = {
	[SYM_SRC_AUTO] = "auto",
	[SYM_SRC_PROC] = "proc",
};

const char *
sym_source_name(enum sym_source src)
{
	size_t i;

	if (src == SYM_SRC_AUTO || src == SYM_SRC_PROC)
		return other_names[src];
	for (i = 0; i < NSOURCES; i++)
		if (sources[i]->src == src)
			return sources[i]->option;
	return "?";
}

int
sym_source_parse(const char *name, enum sym_source *src)
{
	int s;

	for (s = SYM_SRC_AUTO; s <= SYM_SRC_PROC; s++)
		if (strcmp(name, sym_source_name((enum sym_source)s)) == 0) {
			*src = (enum sym_source)s;
			return 0;
		}
	return -1;
}

static void
add_refusal(sym_t *h)
{
	size_t n = strlen(h->refusals);

	snprintf(h->refusals + n, sizeof(h->refusals) - n, "%s%s",
	    n ? "; " : "", h->errbuf);
}

/* Opens one source; on failure its reason is kept among the refusals. */
static int
try_source(sym_t *h, const struct sym_memops *ops, const char *path)
{
	_sym_explain(h, "trying %s as the memory source", path);
	free(h->memfile);
	if ((h->memfile = strdup(path)) == NULL) {
		_sym_err(h, "out of memory");
		return -1;
	}
	h->mops = ops;
	h->mkind = NULL;
	if (ops->open(h, h->memfile) == -1) {
		add_refusal(h);
		_sym_explain(h, "refused: %s", h->errbuf);
		if (ops->close != NULL)
			ops->close(h);
		h->mops = NULL;
		free(h->memfile);
		h->memfile = NULL;
		return -1;
	}
	h->src = ops->src;
	_sym_explain(h, "opened %s read-only", h->memfile);
	_sym_finding(h, "source", "%s, read as %s", h->memfile,
	    h->mkind != NULL ? h->mkind : ops->name);
	return 0;
}

/* The probe loop: the first source that claims the file's first bytes. */
static const struct sym_memops *
probe_file(sym_t *h, const char *path)
{
	unsigned char magic[SYM_PROBE_BYTES];
	ssize_t n = 0;
	size_t i;
	int fd, rc;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) != -1) {
		n = pread(fd, magic, sizeof(magic), 0);
		close(fd);
	}
	if (n < 0)
		n = 0;
	/* A file we can't read goes to the ELF source: its open names why. */
	if (fd == -1)
		return &_sym_core_ops;
	for (i = 0; i < NSOURCES; i++) {
		if (sources[i]->probe == NULL)
			continue;
		if ((rc = sources[i]->probe(h, path, magic, (size_t)n)) == 1)
			return sources[i];
		if (rc == -1)
			return NULL;	/* a kind known and refused */
	}
	return &_sym_raw_ops;
}

static int
open_auto(sym_t *h)
{
	size_t i;

	for (i = 0; i < NSOURCES; i++)
		if (sources[i]->autotry &&
		    try_source(h, sources[i], sources[i]->device) == 0)
			return 0;
	h->src = SYM_SRC_PROC;
	_sym_explain(h, "no kernel memory source: falling back to /proc, "
	    "where the kernel formats the numbers itself");
	return 0;
}

/* The live device behind --source=NAME. */
static const struct sym_memops *
live_source(enum sym_source src)
{
	size_t i;

	for (i = 0; i < NSOURCES; i++)
		if (sources[i]->src == src && sources[i]->device != NULL)
			return sources[i];
	return NULL;
}

int
_src_open(sym_t *h, enum sym_source src, const char *memfile)
{
	const struct sym_memops *ops;

	switch (src) {
	case SYM_SRC_AUTO:
		return open_auto(h);
	case SYM_SRC_PROC:
		h->src = SYM_SRC_PROC;
		_sym_explain(h, "reading /proc as asked: no kernel memory");
		return 0;
	case SYM_SRC_CORE:
		if (memfile == NULL) {
			_sym_err(h, "--source=core needs a core file (-M)");
			return -1;
		}
		if ((ops = probe_file(h, memfile)) == NULL)
			return -1;
		return try_source(h, ops, memfile);
	default:
		if ((ops = live_source(src)) == NULL) {
			_sym_err(h, "no source for --source=%s",
			    sym_source_name(src));
			return -1;
		}
		return try_source(h, ops, memfile != NULL ? memfile :
		    ops->device);
	}
}
