/*
 * A BTF holding only the struct members a session used: what kcapture
 * puts in a fixture, and what the symbol cache keeps beside the symbols so
 * that the next run need not parse the kernel's 4 MB of BTF.  Members keep
 * their real offsets and sizes, structs their real sizes; everything else
 * the kernel's BTF says is left out.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/btf.h>

#include "sym_private.h"

struct bsmember {
	char *type, *name, *subtype;
	uint64_t offset, size;
};

struct bstype {
	char *name;
	uint64_t size, align;
};

struct btfsubset {
	struct bsmember *members;
	size_t nmembers;
	struct bstype *types;
	size_t ntypes;
};

struct btfsubset *
_bs_new(void)
{
	return calloc(1, sizeof(struct btfsubset));
}

void
_bs_free(struct btfsubset *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->nmembers; i++) {
		free(c->members[i].type);
		free(c->members[i].name);
		free(c->members[i].subtype);
	}
	free(c->members);
	for (i = 0; i < c->ntypes; i++)
		free(c->types[i].name);
	free(c->types);
	free(c);
}

size_t
_bs_count(const struct btfsubset *c)
{
	return c == NULL ? 0 : c->nmembers + c->ntypes;
}

void
_bs_member(struct btfsubset *c, const char *type, const char *member,
    uint64_t offset, uint64_t size, const char *subtype)
{
	struct bsmember *nm;
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->nmembers; i++)
		if (strcmp(c->members[i].type, type) == 0 &&
		    strcmp(c->members[i].name, member) == 0)
			return;
	nm = realloc(c->members, (c->nmembers + 1) * sizeof(*nm));
	if (nm == NULL)
		return;
	c->members = nm;
	nm[c->nmembers] = (struct bsmember){ strdup(type), strdup(member),
	    subtype ? strdup(subtype) : NULL, offset, size };
	c->nmembers++;
	/* A struct member is the whole struct: keep its size. */
	if (subtype != NULL)
		_bs_type(c, subtype, size, 0);
}

void
_bs_type(struct btfsubset *c, const char *type, uint64_t size,
    uint64_t align)
{
	struct bstype *nt;
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->ntypes; i++)
		if (strcmp(c->types[i].name, type) == 0) {
			if (size)
				c->types[i].size = size;
			if (align)
				c->types[i].align = align;
			return;
		}
	if ((nt = realloc(c->types, (c->ntypes + 1) * sizeof(*nt))) == NULL)
		return;
	c->types = nt;
	nt[c->ntypes] = (struct bstype){ strdup(type), size, align };
	c->ntypes++;
}

/*
 * Every named struct and member of b (a subset written earlier) into c;
 * returns how many b held.
 */
size_t
_bs_merge(struct btfsubset *c, const struct btf *b)
{
	const struct btf_type *t;
	const struct btf_member *m;
	__u32 id, n = btf__type_cnt(b);
	size_t held = 0;
	int i, al;

	for (id = 1; id < n; id++) {
		const char *sn;

		t = btf__type_by_id(b, id);
		if (t == NULL || !btf_is_struct(t) || t->name_off == 0)
			continue;
		sn = btf__name_by_offset(b, t->name_off);
		al = btf__align_of(b, id);
		_bs_type(c, sn, t->size, al > 0 ? (uint64_t)al : 0);
		held++;
		m = btf_members(t);
		for (i = 0; i < btf_vlen(t); i++, m++) {
			const struct btf_type *mt = btf__type_by_id(b, m->type);
			__s64 sz = btf__resolve_size(b, m->type);
			__u32 bits = btf_member_bit_offset(t, (__u32)i);

			if (m->name_off == 0 || sz < 0 || bits % 8 != 0)
				continue;
			_bs_member(c, sn, btf__name_by_offset(b, m->name_off),
			    bits / 8, (uint64_t)sz, mt != NULL &&
			    btf_is_struct(mt) && mt->name_off ?
			    btf__name_by_offset(b, mt->name_off) : NULL);
			held++;
		}
	}
	return held;
}

static __s32
struct_id(const struct btfsubset *c, const char *name, __s32 first)
{
	size_t i;

	for (i = 0; i < c->ntypes; i++)
		if (strcmp(c->types[i].name, name) == 0)
			return first + (__s32)i;
	return -1;
}

/* Every struct named by a member or a size query becomes a type. */
static void
collect_types(struct btfsubset *c)
{
	size_t i, n = c->nmembers;

	for (i = 0; i < n; i++) {
		_bs_type(c, c->members[i].type, 0, 0);
		if (c->members[i].subtype != NULL)
			_bs_type(c, c->members[i].subtype, 0, 0);
	}
}

static uint64_t
struct_size(const struct btfsubset *c, const struct bstype *t)
{
	uint64_t end = t->size;
	size_t i;

	for (i = 0; i < c->nmembers; i++)
		if (strcmp(c->members[i].type, t->name) == 0 &&
		    c->members[i].offset + c->members[i].size > end)
			end = c->members[i].offset + c->members[i].size;
	return end;
}

static int
is_int_size(uint64_t size)
{
	return size == 1 || size == 2 || size == 4 || size == 8;
}

/*
 * Ids 1-4 are u8, u16, u32, u64; then one struct per recorded type; any
 * other member size is an array of u8, added after the structs (BTF ids
 * may refer forward).
 */
static struct btf *
build(struct btfsubset *c)
{
	static const char *const ints[] = { "u8", "u16", "u32", "u64" };
	struct btf *b;
	__s32 first = 5, next, tid;
	size_t i, j;

	collect_types(c);
	if ((b = btf__new_empty()) == NULL)
		return NULL;
	for (i = 0; i < 4; i++)
		if (btf__add_int(b, ints[i], 1 << i, 0) < 0)
			goto fail;
	next = first + (__s32)c->ntypes;
	for (i = 0; i < c->ntypes; i++) {
		const struct bstype *t = &c->types[i];

		if (btf__add_struct(b, t->name, (__u32)struct_size(c, t)) < 0)
			goto fail;
		for (j = 0; j < c->nmembers; j++) {
			const struct bsmember *m = &c->members[j];

			if (strcmp(m->type, t->name) != 0)
				continue;
			if (m->subtype != NULL)
				tid = struct_id(c, m->subtype, first);
			else if (is_int_size(m->size))
				tid = m->size == 1 ? 1 : m->size == 2 ? 2 :
				    m->size == 4 ? 3 : 4;
			else
				tid = next++;	/* an array, added below */
			if (btf__add_field(b, m->name, tid,
			    (__u32)(m->offset * 8), 0) < 0)
				goto fail;
		}
	}
	for (i = 0; i < c->ntypes; i++)
		for (j = 0; j < c->nmembers; j++) {
			const struct bsmember *m = &c->members[j];

			if (strcmp(m->type, c->types[i].name) == 0 &&
			    m->subtype == NULL && !is_int_size(m->size) &&
			    btf__add_array(b, 4, 1, (__u32)m->size) < 0)
				goto fail;
		}
	return b;
fail:
	btf__free(b);
	return NULL;
}

/* Creates path (it must not exist) holding the subset as raw BTF. */
int
_bs_write(sym_t *h, struct btfsubset *c, const char *path)
{
	const void *raw;
	struct btf *b;
	__u32 rawsz;
	int fd, rc = -1;

	if ((b = build(c)) == NULL) {
		_sym_err(h, "%s: building the BTF subset failed", path);
		return -1;
	}
	raw = btf__raw_data(b, &rawsz);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    0644)) == -1) {
		_sym_syserr(h, "%s", path);
		goto out;
	}
	if (raw == NULL || write(fd, raw, rawsz) != (ssize_t)rawsz)
		_sym_syserr(h, "%s", path);
	else
		rc = 0;
	if (close(fd) == -1 && rc == 0) {
		_sym_syserr(h, "%s", path);
		rc = -1;
	}
out:
	btf__free(b);
	return rc;
}

/* Types inside types (struct, array, typedef, qualifier): the kernel's
 * deepest nest is far below this. */
#define MAX_NEST 64

/* Every type id a type names, for its layout or otherwise, must exist:
 * libbpf 1.1 follows them without looking (btf__align_of). */
static int
refs_ok(const struct btf_type *t, __u32 n)
{
	const struct btf_member *m;
	const struct btf_param *p;
	const struct btf_var_secinfo *v;
	int i;

	switch (btf_kind(t)) {
	case BTF_KIND_PTR: case BTF_KIND_TYPEDEF: case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST: case BTF_KIND_RESTRICT: case BTF_KIND_FUNC:
	case BTF_KIND_VAR: case BTF_KIND_DECL_TAG: case BTF_KIND_TYPE_TAG:
		return t->type < n;
	case BTF_KIND_ARRAY:
		return btf_array(t)->type < n && btf_array(t)->index_type < n;
	case BTF_KIND_STRUCT: case BTF_KIND_UNION:
		for (i = 0, m = btf_members(t); i < btf_vlen(t); i++)
			if (m[i].type >= n)
				return 0;
		return 1;
	case BTF_KIND_FUNC_PROTO:
		for (i = 0, p = btf_params(t); i < btf_vlen(t); i++)
			if (p[i].type >= n)
				return 0;
		return t->type < n;
	case BTF_KIND_DATASEC:
		for (i = 0, v = btf_var_secinfos(t); i < btf_vlen(t); i++)
			if (v[i].type >= n)
				return 0;
		return 1;
	default:
		return 1;
	}
}

/*
 * How deep the types inside id go (what btf__align_of and
 * btf__resolve_size recurse through; a pointer ends it): 1 + the
 * deepest, or -1 for a type that contains itself or nests past
 * MAX_NEST.  nest[id]: 0 unseen, 0xff on the current path, else depth.
 */
static int
nest_depth(const struct btf *btf, unsigned char *nest, __u32 id, int path)
{
	const struct btf_type *t = btf__type_by_id(btf, id);
	const struct btf_member *m;
	int i, d = 0, sub;

	if (id == 0 || t == NULL)
		return 0;
	if (nest[id] == 0xff || path > MAX_NEST)
		return -1;
	if (nest[id] != 0)
		return nest[id];
	nest[id] = 0xff;
	if (btf_is_mod(t) || btf_is_typedef(t) || btf_is_var(t))
		d = nest_depth(btf, nest, t->type, path + 1);
	else if (btf_is_array(t))
		d = nest_depth(btf, nest, btf_array(t)->type, path + 1);
	else if (btf_is_composite(t))
		for (i = 0, m = btf_members(t); i < btf_vlen(t) && d >= 0;
		    i++) {
			sub = nest_depth(btf, nest, m[i].type, path + 1);
			d = sub < 0 ? -1 : sub > d ? sub : d;
		}
	if (d < 0 || d + 1 > MAX_NEST)
		return -1;
	nest[id] = (unsigned char)(d + 1);
	return d + 1;
}

/* The whole BTF checked before any libbpf call walks it. */
int
_btf_sane(sym_t *h, const struct btf *btf, const char *what)
{
	__u32 n = btf__type_cnt(btf), id;
	unsigned char *nest;
	int rc = 0;

	for (id = 1; id < n; id++)
		if (!refs_ok(btf__type_by_id(btf, id), n)) {
			_sym_err(h, "%s: BTF type %u refers to a type past the "
			    "last (%u)", what, id, n - 1);
			return -1;
		}
	if ((nest = calloc(n, 1)) == NULL) {
		_sym_err(h, "%s: out of memory checking %u BTF types", what, n);
		return -1;
	}
	for (id = 1; id < n && rc == 0; id++)
		if (nest_depth(btf, nest, id, 0) < 0) {
			_sym_err(h, "%s: BTF type %u contains itself or nests "
			    "deeper than %d types", what, id, MAX_NEST);
			rc = -1;
		}
	free(nest);
	return rc;
}
