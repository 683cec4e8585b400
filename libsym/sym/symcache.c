/*
 * The symbol cache, as OpenBSD's kvm_mkdb kept the namelist in a database
 * so that ps need not nlist /bsd on every run.  Parsing /proc/kallsyms
 * (80,000 lines the kernel formats on each read) costs more than all of
 * procps uptime; the few symbols a tool needs cost nothing.
 *
 * One file per kernel build, named by its build-id (VMCOREINFO BUILD-ID,
 * since 5.9), in System.map format at unslid addresses: valid across
 * reboots of that build whatever the KASLR slide, which VMCOREINFO's
 * KERNELOFFSET gives.  Only symbols a session looked up are kept; a miss
 * falls back to the full namelist and adds the symbol.  linux_banner is
 * still checked through the cache, so a stale or planted file is refused.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpf/btf.h>

#include "sym_private.h"

#define CACHE_DIR	"/var/cache/kmemstat"
#define MAX_CACHED	4096

struct cached {
	char *name;
	uint64_t addr;			/* unslid */
	char type;
};

struct symcache {
	struct cached *ents;
	size_t n;
	int dirty;
};

static const char *
cache_dir(void)
{
	const char *d = getenv("KMEMSTAT_CACHE");

	return d != NULL && d[0] != '\0' ? d : CACHE_DIR;
}

/* Ours or root's, and writable by no one else. */
static const char *
untrusted(const struct stat *st)
{
	if (st->st_uid != 0 && st->st_uid != geteuid())
		return "owned by another user";
	if (st->st_mode & (S_IWGRP | S_IWOTH))
		return "writable by group or others";
	return NULL;
}

/* The kernel running this program, read live or as -M /proc/kcore: the
 * only one whose symbols and types the cache keeps. */
static int
running(const sym_t *h)
{
	return h->live || _sym_running_kcore(h);
}

/*
 * The cache directory, opened once without following a symlink and
 * checked on the descriptor (no stat-then-open race); every entry is
 * then reached through the descriptor.  Only a session that may write
 * the cache (the running kernel's) creates it.
 */
static int
cache_dirfd(sym_t *h)
{
	const char *dir = cache_dir(), *why = NULL;
	struct stat st;
	int fd;

	if (h->cache_tried)
		return h->cache_fd;
	h->cache_tried = 1;
	h->cache_fd = -1;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd == -1 && errno == ENOENT && running(h) &&
	    mkdir(dir, 0755) == 0)
		fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd == -1) {
		if (errno != ENOENT)
			_sym_explain(h, "cache %s: %s: running without the "
			    "cache", dir, errno == ELOOP || errno == ENOTDIR ?
			    "a symlink or not a directory" : strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == -1 || !S_ISDIR(st.st_mode))
		why = "not a directory";
	else
		why = untrusted(&st);
	if (why != NULL) {
		_sym_explain(h, "cache %s: not trusted (%s): running without "
		    "the cache", dir, why);
		close(fd);
		return -1;
	}
	h->cache_fd = fd;
	return fd;
}

/* The cache needs a build-id to be keyed by and a slide to unslide with. */
int
_cache_path(sym_t *h, const char *ext, char *buf, size_t len)
{
	char id[128];
	uint64_t off;
	size_t i;
	int dfd;

	if (h->vmcoreinfo == NULL ||
	    _vmci_get(h->vmcoreinfo, h->vmcoreinfo_len, "BUILD-ID", id,
	    sizeof(id)) == -1 ||
	    _vmci_u64(h->vmcoreinfo, h->vmcoreinfo_len, "KERNELOFFSET", 16,
	    &off) == -1)
		return -1;
	for (i = 0; id[i] != '\0'; i++)
		if (!((id[i] >= '0' && id[i] <= '9') ||
		    (id[i] >= 'a' && id[i] <= 'f')))
			return -1;
	if (i == 0 || (dfd = cache_dirfd(h)) == -1 ||
	    (size_t)snprintf(buf, len, "/proc/self/fd/%d/%s%s", dfd, id, ext)
	    >= len)
		return -1;
	return 0;
}

/* The entry itself, not what a symlink planted there points to. */
int
_cache_trusted(const char *path)
{
	struct stat st;
	int fd, ok;

	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
	    O_CLOEXEC)) == -1)
		return 0;
	ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    untrusted(&st) == NULL;
	close(fd);
	return ok;
}

static struct symcache *
cache(sym_t *h)
{
	if (h->symcache == NULL)
		h->symcache = calloc(1, sizeof(struct symcache));
	return h->symcache;
}

/* Remembers a symbol the session used, at its unslid address. */
static void
note(sym_t *h, const struct sym_ent *e, int dirty, int unslid)
{
	struct symcache *c;
	struct cached *ne;
	uint64_t off = 0;
	size_t i;

	if (e->module != NULL || (c = cache(h)) == NULL || c->n >= MAX_CACHED)
		return;
	for (i = 0; i < c->n; i++)
		if (strcmp(c->ents[i].name, e->name) == 0)
			return;
	if ((ne = realloc(c->ents, (c->n + 1) * sizeof(*ne))) == NULL)
		return;
	c->ents = ne;
	if ((ne[c->n].name = strdup(e->name)) == NULL)
		return;
	ne[c->n].addr = e->addr;
	if (!unslid && h->nlruntime && e->addr >= SYM_START_KERNEL_MAP &&
	    _vmci_u64(h->vmcoreinfo, h->vmcoreinfo_len, "KERNELOFFSET", 16,
	    &off) == 0)
		ne[c->n].addr -= off;
	ne[c->n].type = e->type;
	c->n++;
	c->dirty |= dirty;
}

void
_cache_note(sym_t *h, const struct sym_ent *e, int dirty)
{
	note(h, e, dirty, 0);
}

/* A temporary file beside path (O_EXCL: never through a symlink). */
static int
tmp_beside(const char *path, char *tmp, size_t len)
{
	snprintf(tmp, len, "%s.XXXXXX", path);
	return mkstemp(tmp);
}

/*
 * Keeps what earlier sessions cached (another tool needed other symbols);
 * returns how many entries the file held.
 */
static size_t
merge_existing(sym_t *h, const char *path)
{
	size_t held = 0;
	struct sym_ent e = { 0 };
	char line[SYM_MAX_LINE], name[256];
	unsigned long long a;
	FILE *fp;

	if (!_cache_trusted(path) || (fp = fopen(path, "re")) == NULL)
		return 0;
	while (fgets(line, sizeof(line), fp) != NULL)
		if (sscanf(line, "%llx %c %255s", &a, &e.type, name) == 3) {
			e.name = name;
			e.addr = a;
			note(h, &e, 0, 1);	/* unslid already */
			held++;
		}
	fclose(fp);
	return held;
}

/* Written whole to a temporary file and renamed: never half a cache. */
static void
write_symbols(sym_t *h)
{
	struct symcache *c = h->symcache;
	char path[4096], tmp[4200];
	FILE *fp;
	size_t i;
	int fd;

	if (c == NULL || !c->dirty ||
	    _cache_path(h, ".map", path, sizeof(path)) == -1)
		return;
	/* Nothing this session found is new: leave the file alone. */
	if (merge_existing(h, path) == c->n ||
	    (fd = tmp_beside(path, tmp, sizeof(tmp))) == -1)
		return;
	if ((fp = fdopen(fd, "w")) == NULL) {
		close(fd);
		unlink(tmp);
		return;
	}
	for (i = 0; i < c->n; i++)
		fprintf(fp, "%016" PRIx64 " %c %s\n", c->ents[i].addr,
		    c->ents[i].type, c->ents[i].name);
	if (fchmod(fd, 0644) == -1 || fclose(fp) == EOF ||
	    rename(tmp, path) == -1) {
		unlink(tmp);
		return;
	}
	_sym_explain(h, "symbol cache %s written (%zu symbols)", path, c->n);
}

void
_cache_free(sym_t *h)
{
	struct symcache *c = h->symcache;
	size_t i;

	if (h->cache_tried && h->cache_fd != -1)
		close(h->cache_fd);
	h->cache_tried = 0;
	if (c == NULL)
		return;
	for (i = 0; i < c->n; i++)
		free(c->ents[i].name);
	free(c->ents);
	free(c);
	h->symcache = NULL;
}

/*
 * The struct members resolved from the kernel's own BTF, merged with
 * those cached before, as a BTF subset beside the symbols.
 */
static void
write_types(sym_t *h)
{
	struct btf *b;
	char path[4096], tmp[4200];
	size_t held = 0;
	int fd;

	if (!h->btf_own || _bs_count(h->typerec) == 0 ||
	    _cache_path(h, ".btf", path, sizeof(path)) == -1)
		return;
	if (_cache_trusted(path) && (b = btf__parse(path, NULL)) != NULL) {
		if (_btf_sane(h, b, path) == 0)
			held = _bs_merge(h->typerec, b);
		btf__free(b);
		if (held == _bs_count(h->typerec))
			return;
	}
	if ((fd = tmp_beside(path, tmp, sizeof(tmp))) == -1)
		return;
	close(fd);	/* _bs_write creates it anew, O_EXCL */
	unlink(tmp);
	if (_bs_write(h, h->typerec, tmp) == -1 || rename(tmp, path) == -1) {
		unlink(tmp);
		return;
	}
	_sym_explain(h, "type cache %s written", path);
}

/*
 * Only the running kernel's own symbols and types are cached: what a
 * session read from a file the user named (-N, --btf) or from a dump
 * (its kallsyms, its BTF, its claimed build-id) never decides what a
 * later session prints.  The namelist of a live session is the
 * kernel's /proc/kallsyms or root's file for its release; -M /proc/kcore
 * of the running kernel is that kernel too.
 */
void
_cache_write(sym_t *h)
{
	char err[SYM_ERRSIZE];

	if ((h->symcache == NULL || !h->symcache->dirty) &&
	    (!h->btf_own || _bs_count(h->typerec) == 0))
		return;
	if (!running(h) || h->nlopt != NULL) {
		_sym_explain(h, "cache not written: %s", !h->live ? "what a "
		    "dump holds is cached for no one" : "-N names a file "
		    "the user chose");
		return;
	}
	/* A failed cache write is not the caller's error. */
	memcpy(err, h->errbuf, sizeof(err));
	write_symbols(h);
	if (h->btfopt == NULL)
		write_types(h);
	memcpy(h->errbuf, err, sizeof(err));
}
