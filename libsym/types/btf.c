/*
 * Struct layouts from BTF at run time, through libbpf: never a table of
 * offsets per kernel version.  The BTF comes from --btf, the .BTF section
 * of a vmlinux namelist, or /sys/kernel/btf/vmlinux for the live kernel.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "sym_private.h"

#define SYS_BTF "/sys/kernel/btf/vmlinux"
#define MAX_DEPTH 8
/* task_struct is about 10 KiB, thread_union 16-32 KiB: a struct the
 * tools read into a buffer is never near 1 MiB. */
#define MAX_STRUCT (1U << 20)

static int
silent(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return 0;
}

/*
 * A vmlinux's .BTF must hold bytes in the file: libbpf 1.1 hands a
 * SHT_NOBITS section's NULL data to btf__new.
 */
static int
elf_btf_ok(sym_t *h, const char *path)
{
	GElf_Shdr sh;
	Elf_Scn *scn = NULL;
	struct stat st;
	const char *name;
	size_t shstrndx;
	Elf *elf = NULL;
	int fd, rc = -1;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1 ||
	    fstat(fd, &st) == -1 || elf_version(EV_CURRENT) == EV_NONE ||
	    (elf = elf_begin(fd, ELF_C_READ, NULL)) == NULL ||
	    elf_getshdrstrndx(elf, &shstrndx) != 0) {
		_sym_err(h, "%s: cannot load BTF: not a readable ELF file",
		    path);
		goto out;
	}
	while ((scn = elf_nextscn(elf, scn)) != NULL) {
		if (gelf_getshdr(scn, &sh) == NULL ||
		    (name = elf_strptr(elf, shstrndx, sh.sh_name)) == NULL ||
		    strcmp(name, ".BTF") != 0)
			continue;
		if (sh.sh_type == SHT_NOBITS || sh.sh_size == 0 ||
		    sh.sh_offset > (uint64_t)st.st_size ||
		    sh.sh_size > (uint64_t)st.st_size - sh.sh_offset ||
		    sh.sh_size > UINT32_MAX) {
			_sym_err(h, "%s: cannot load BTF: its .BTF section "
			    "holds no data in the file", path);
			goto out;
		}
		rc = 0;
		goto out;
	}
	_sym_err(h, "%s: cannot load BTF: no .BTF section", path);
out:
	if (elf != NULL)
		elf_end(elf);
	if (fd != -1)
		close(fd);
	return rc;
}

static struct btf *
parse(sym_t *h, const char *path)
{
	struct btf *btf;
	char why[128];

	if (_nl_is_elf(path) && elf_btf_ok(h, path) == -1)
		return NULL;
	libbpf_set_print(silent);
	errno = 0;
	if ((btf = btf__parse(path, NULL)) != NULL) {
		if (_btf_sane(h, btf, path) == 0)
			return btf;
		btf__free(btf);
		return NULL;
	}
	/* libbpf has errnos of its own (bad magic, bad format...) */
	if (libbpf_strerror(errno ? errno : EINVAL, why, sizeof(why)) != 0)
		snprintf(why, sizeof(why), "errno %d", errno);
	_sym_err(h, "%s: cannot load BTF: %s", path, why);
	return NULL;
}

/*
 * A kernel built with CONFIG_DEBUG_INFO_BTF keeps its BTF in memory
 * between __start_BTF and __stop_BTF (what /sys/kernel/btf/vmlinux
 * shows): so a dump and its symbols need no other file.  The blob is
 * read through the source and parsed as untrusted input.
 */
#define MAX_BTF (64U << 20)
static struct btf *
memory_btf(sym_t *h)
{
	char why[128];
	uint64_t start, stop;
	struct btf *btf;
	void *buf;
	int rc;

	if (_sym_addr(h, "__start_BTF", &start) == -1 ||
	    _sym_addr(h, "__stop_BTF", &stop) == -1)
		return NULL;
	if (stop <= start || stop - start > MAX_BTF) {
		_sym_err(h, "__start_BTF 0x%llx .. __stop_BTF 0x%llx: not a "
		    "BTF blob's size", (unsigned long long)start,
		    (unsigned long long)stop);
		return NULL;
	}
	if ((buf = malloc(stop - start)) == NULL) {
		_sym_err(h, "out of memory");
		return NULL;
	}
	/* One big read: the trace would print it byte by byte otherwise.
	 * A capture keeps the members used, not the megabytes of BTF. */
	_hook_pause(h, 1);
	rc = sym_read(h, start, buf, stop - start);
	_hook_pause(h, 0);
	if (rc == -1) {
		free(buf);
		return NULL;
	}
	libbpf_set_print(silent);
	errno = 0;
	btf = btf__new(buf, (__u32)(stop - start));
	free(buf);
	if (btf != NULL && _btf_sane(h, btf, "__start_BTF") == -1) {
		btf__free(btf);
		return NULL;
	}
	if (btf == NULL) {
		if (libbpf_strerror(errno ? errno : EINVAL, why,
		    sizeof(why)) != 0)
			snprintf(why, sizeof(why), "errno %d", errno);
		_sym_err(h, "__start_BTF at 0x%llx: %s",
		    (unsigned long long)start, why);
		return NULL;
	}
	_sym_explain(h, "types: %llu bytes of BTF read from the kernel's own "
	    "memory at __start_BTF 0x%llx", (unsigned long long)(stop - start),
	    (unsigned long long)start);
	return btf;
}

/*
 * The cached subset first (see symcache.c), unless the user named a BTF
 * or a vmlinux; then the kernel's own.  Only the kernel's own BTF feeds
 * the cache: a --btf file could be anything.
 */
static int
load_btf(sym_t *h)
{
	char cpath[4096];
	const char *path;
	struct btf *btf = NULL;

	if (h->btf != NULL)
		return 0;
	if (h->btfopt != NULL)
		path = h->btfopt;
	else if (h->nlopt != NULL && _nl_is_elf(h->nlopt))
		path = h->nlopt;
	else if (!h->btf_nocache && _cache_path(h, ".btf", cpath,
	    sizeof(cpath)) == 0 && _cache_trusted(cpath) &&
	    (btf = parse(h, cpath)) != NULL) {
		path = cpath;
		h->btf_cached = 1;
	} else if (h->live) {
		path = SYS_BTF;
		h->btf_own = 1;
	} else if ((btf = memory_btf(h)) != NULL) {
		path = "__start_BTF";
		h->btf_own = 1;
	} else {
		char why[SYM_ERRSIZE];

		/* The reason is in errbuf, which the message overwrites. */
		snprintf(why, sizeof(why), "%s", h->errbuf);
		_sym_err(h, "%s: no BTF for this kernel (%s): give one with "
		    "--btf (raw BTF, or a vmlinux with .BTF)", h->memfile, why);
		return -1;
	}
	if (btf == NULL && (btf = parse(h, path)) == NULL)
		return -1;
	if ((h->btfpath = strdup(path)) == NULL) {
		btf__free(btf);
		_sym_err(h, "out of memory");
		return -1;
	}
	h->btf = btf;
	if (h->btf_own && h->typerec == NULL)
		h->typerec = _bs_new();
	_sym_finding(h, "types", "BTF from %s (%u types)", path,
	    btf__type_cnt(btf));
	_sym_explain(h, "types: struct layouts from the BTF in %s (%u types)%s",
	    path, btf__type_cnt(btf), h->btf_cached ? ", the cached subset" :
	    "; the old tools compiled them in from <sys/proc.h>");
	return 0;
}

/* The cached subset lacked something: the kernel's own BTF, once. */
static int
reload_full(sym_t *h)
{
	if (!h->btf_cached)
		return -1;
	_sym_explain(h, "types: not in the cached BTF, loading %s's own",
	    h->live ? "the kernel" : "the dump");
	btf__free(h->btf);
	h->btf = NULL;
	free(h->btfpath);
	h->btfpath = NULL;
	h->btf_cached = 0;
	h->btf_nocache = 1;
	return load_btf(h);
}

static void
record_member(sym_t *h, const char *type, const char *member,
    uint64_t offset, uint64_t size, const char *subtype)
{
	_hook_member(h, type, member, offset, size, subtype);
	_bs_member(h->typerec, type, member, offset, size, subtype);
}

static void
record_type(sym_t *h, const char *type, uint64_t size, uint64_t align)
{
	_hook_type(h, type, size, align);
	_bs_type(h->typerec, type, size, align);
}

void
_sym_types_free(sym_t *h)
{
	btf__free(h->btf);
	h->btf = NULL;
	_bs_free(h->typerec);
	h->typerec = NULL;
}

static int
find_type(sym_t *h, const char *name, __s32 *id)
{
	static const int kinds[] = { BTF_KIND_STRUCT, BTF_KIND_UNION,
	    BTF_KIND_TYPEDEF };
	size_t i;

	if (load_btf(h) == -1)
		return -1;
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		*id = btf__find_by_name_kind(h->btf, name, kinds[i]);
		if (*id > 0)
			return 0;
	}
	_sym_err(h, "%s: no type %s", h->btfpath, name);
	return -1;
}

/* Skips typedefs and qualifiers: the type a member really is. */
static const struct btf_type *
real_type(const struct btf *btf, __u32 id, __u32 *rid)
{
	__s32 r = btf__resolve_type(btf, id);

	if (r < 0)
		return NULL;
	*rid = (__u32)r;
	return btf__type_by_id(btf, *rid);
}

/*
 * Finds member name in struct/union id, looking through anonymous
 * members; *bits is its offset in bits from the start of id.
 */
static int
find_member(const struct btf *btf, __u32 id, const char *name,
    __u32 *mtype, __u64 *bits, int depth)
{
	const struct btf_type *t;
	const struct btf_member *m;
	__u32 rid;
	int i, n;

	if (depth > MAX_DEPTH || (t = real_type(btf, id, &rid)) == NULL ||
	    !(btf_is_struct(t) || btf_is_union(t)))
		return -1;
	m = btf_members(t);
	n = btf_vlen(t);
	for (i = 0; i < n; i++, m++) {
		const char *mn = btf__name_by_offset(btf, m->name_off);
		__u64 off = btf_member_bit_offset(t, (__u32)i);

		if (mn != NULL && mn[0] != '\0') {
			if (strcmp(mn, name) == 0) {
				*mtype = m->type;
				*bits = off;
				return btf_member_bitfield_size(t, (__u32)i) ?
				    -2 : 0;
			}
			continue;
		}
		if (find_member(btf, m->type, name, mtype, bits,
		    depth + 1) == 0) {
			*bits += off;
			return 0;
		}
	}
	return -1;
}

static const char *
type_name(const struct btf *btf, __u32 id)
{
	const struct btf_type *t;
	__u32 rid;

	if ((t = real_type(btf, id, &rid)) == NULL)
		return NULL;
	if (!(btf_is_struct(t) || btf_is_union(t)) || t->name_off == 0)
		return NULL;
	return btf__name_by_offset(btf, t->name_off);
}

/*
 * The name a member's struct type is recorded under: its own, or for an
 * anonymous struct reached through a named member (tty_struct's ctrl,
 * 5.14) "parent.member", so that the BTF subset can still describe it.
 */
static const char *
sub_name(const struct btf *btf, __u32 id, const char *parent,
    const char *member, char *buf, size_t len)
{
	const struct btf_type *t;
	const char *n = type_name(btf, id);
	__u32 rid;

	if (n != NULL)
		return n;
	if ((t = real_type(btf, id, &rid)) == NULL ||
	    !(btf_is_struct(t) || btf_is_union(t)))
		return NULL;
	snprintf(buf, len, "%s.%s", parent, member);
	return buf;
}

/* A struct's size, refused past MAX_STRUCT: callers allocate it. */
static int
sane_size(sym_t *h, __u32 id, const char *type, uint64_t *size)
{
	__s64 sz = btf__resolve_size(h->btf, id);

	if (sz < 0) {
		_sym_err(h, "%s: type %s has no size", h->btfpath, type);
		return -1;
	}
	if ((uint64_t)sz > MAX_STRUCT) {
		_sym_err(h, "%s: type %s is %lld bytes: absurd (limit %u)",
		    h->btfpath, type, (long long)sz, MAX_STRUCT);
		return -1;
	}
	*size = (uint64_t)sz;
	return 0;
}

/*
 * Every member lies inside its struct, and the struct is of sane size:
 * so a caller that reads the struct whole into a buffer of its size
 * never reads past it at the member's offset.
 */
static int
inside(sym_t *h, __u32 id, const char *type, const char *member,
    uint64_t off, uint64_t size)
{
	uint64_t ssize;

	if (sane_size(h, id, type, &ssize) == -1)
		return -1;
	if (off > ssize || size > ssize - off) {
		_sym_err(h, "%s: %s.%s at offset %llu, %llu bytes, lies past "
		    "the struct's %llu bytes", h->btfpath, type, member,
		    (unsigned long long)off, (unsigned long long)size,
		    (unsigned long long)ssize);
		return -1;
	}
	return 0;
}

static int
member_once(sym_t *h, const char *type, const char *member,
    struct sym_member *out)
{
	char anon[2][256];
	const char *sub;
	int k = 0;
	char path[256], *comp, *save = NULL;
	const char *parent = type;
	__s32 sid;
	__u32 cur, mtype;
	__u64 bits, total = 0;
	__s64 size = 0;
	int rc;

	if (find_type(h, type, &sid) == -1)
		return -1;
	snprintf(path, sizeof(path), "%s", member);
	cur = (__u32)sid;
	for (comp = strtok_r(path, ".", &save); comp != NULL;
	    comp = strtok_r(NULL, ".", &save)) {
		rc = find_member(h->btf, cur, comp, &mtype, &bits, 0);
		if (rc != 0 || bits % 8 != 0) {
			_sym_err(h, "%s: struct %s has no %smember %s",
			    h->btfpath, parent, rc == -2 ? "non-bitfield " :
			    "", comp);
			return -1;
		}
		if ((size = btf__resolve_size(h->btf, mtype)) < 0) {
			_sym_err(h, "%s: %s.%s has no size", h->btfpath, parent,
			    comp);
			return -1;
		}
		if (inside(h, cur, parent, comp, bits / 8, (uint64_t)size)
		    == -1)
			return -1;
		sub = sub_name(h->btf, mtype, parent, comp, anon[k],
		    sizeof(anon[k]));
		k ^= 1;
		record_member(h, parent, comp, bits / 8, (uint64_t)size, sub);
		total += bits / 8;
		cur = mtype;
		parent = sub != NULL ? sub : "(scalar)";
	}
	out->offset = total;
	out->size = (uint64_t)size;
	_sym_explain(h, "types: %s.%s is at offset %llu, %llu bytes", type,
	    member, (unsigned long long)out->offset,
	    (unsigned long long)out->size);
	return 0;
}

/*
 * A member the kernel's whole BTF lacks (kthread.full_name before 6.0)
 * is kept in the symbol cache as "btf:TYPE.MEMBER", type SYM_ABSENT, so
 * that later runs need not parse the whole BTF again to learn it.
 */
static int
member_absent(sym_t *h, const char *type, const char *member, int note)
{
	struct sym_ent absent = { 0 };
	const struct sym_ent *e;
	char key[256];

	snprintf(key, sizeof(key), "btf:%s.%s", type, member);
	if (!note)
		return h->syms != NULL && (e = _symtab_find(h->syms,
		    key)) != NULL && e->type == SYM_ABSENT;
	absent.name = key;
	absent.type = SYM_ABSENT;
	_cache_note(h, &absent, 1);
	return 1;
}

int
_sym_member(sym_t *h, const char *type, const char *member,
    struct sym_member *m)
{
	if (member_once(h, type, member, m) == 0)
		return 0;
	if (h->btf_cached) {
		if (member_absent(h, type, member, 0) || reload_full(h) == -1)
			return -1;
		if (member_once(h, type, member, m) == 0)
			return 0;
	}
	if (h->btf_own)
		member_absent(h, type, member, 1);
	return -1;
}

/* Every spelling in the cache before the full BTF: a kernel has one. */
int
_sym_member_any(sym_t *h, const char *type, const char *const *names,
    struct sym_member *m, const char **found)
{
	const char *const *n;
	int pass;

	for (pass = 0; pass < 2; pass++) {
		for (n = names; *n != NULL; n++)
			if (member_once(h, type, *n, m) == 0) {
				if (found != NULL)
					*found = *n;
				return 0;
			}
		if (pass == 0 && reload_full(h) == -1)
			break;
	}
	_sym_err(h, "%s: struct %s has none of the members %s...",
	    h->btfpath ? h->btfpath : "BTF", type, names[0]);
	return -1;
}

static int
type_once(sym_t *h, const char *type, uint64_t *size, uint64_t *align)
{
	__s32 id;
	int al;

	if (find_type(h, type, &id) == -1 ||
	    sane_size(h, (__u32)id, type, size) == -1)
		return -1;
	if ((al = btf__align_of(h->btf, (__u32)id)) <= 0) {
		_sym_err(h, "%s: type %s has no alignment", h->btfpath, type);
		return -1;
	}
	*align = (uint64_t)al;
	record_type(h, type, *size, *align);
	return 0;
}

static int
type_info(sym_t *h, const char *type, uint64_t *size, uint64_t *align)
{
	if (type_once(h, type, size, align) == 0)
		return 0;
	if (reload_full(h) == -1)
		return -1;
	return type_once(h, type, size, align);
}

uint64_t
_sym_field(const unsigned char *buf, const struct sym_member *m)
{
	uint64_t v = 0;

	memcpy(&v, buf + m->offset, m->size < 8 ? m->size : 8);
	return v;
}

int
_sym_type_size(sym_t *h, const char *type, uint64_t *size)
{
	uint64_t align;

	return type_info(h, type, size, &align);
}

int
_sym_type_align(sym_t *h, const char *type, uint64_t *align)
{
	uint64_t size;

	return type_info(h, type, &size, align);
}
