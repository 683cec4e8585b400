/*
 * The symbol table: name -> entry through an open-addressing hash, and
 * address -> nearest entry through an index sorted on first use.
 *
 * Names live in an arena owned by the table, so entries stay valid when the
 * entry array grows; origin and module names repeat for thousands of
 * entries and are interned once.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <endian.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "sym_private.h"

#define ARENA_CHUNK	(256U << 10)

struct chunk {
	struct chunk *next;
	size_t used;
	size_t size;
	char data[];
};

/* A set of strings: interned origin and module names. */
struct strset {
	const char **slot;
	size_t cap;			/* power of two, or 0 */
	size_t n;
};

/* The hash's low bits: a slot's home, and a filter before strcmp. */
struct hslot {
	uint32_t idx;			/* index + 1 into ents; 0 is empty */
	uint32_t hv;
};

struct byaddr {
	uint64_t addr;
	uint32_t idx;			/* into ents; ties sort by it */
};

struct symtab {
	struct sym_ent *ents;
	size_t n;
	size_t cap;
	struct hslot *hash;
	size_t hcap;			/* power of two, or 0 */
	struct byaddr *sorted;		/* valid when sorted_ok */
	size_t sortcap;
	int sorted_ok;
	struct chunk *arena;
	struct strset intern;
};

/*
 * SipHash-1-3 under a key drawn once per process: a hostile namelist
 * can't choose names that share a slot (with the unkeyed FNV-1a of
 * before, 65,545 such names took 73 s to load).
 */
static uint64_t sip_key[2];
static pthread_once_t sip_once = PTHREAD_ONCE_INIT;

static void
sip_init(void)
{
	struct timespec ts;

	if (getrandom(sip_key, sizeof(sip_key), GRND_NONBLOCK) ==
	    (ssize_t)sizeof(sip_key))
		return;
	/* No entropy yet (early boot): still unknown to a file's author. */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	sip_key[0] = (uint64_t)ts.tv_nsec ^ ((uint64_t)getpid() << 32);
	sip_key[1] = (uint64_t)(uintptr_t)&ts ^ (uint64_t)ts.tv_sec;
}

#define ROTL(x, b)	(((x) << (b)) | ((x) >> (64 - (b))))
#define SIPROUND do { \
	v0 += v1; v1 = ROTL(v1, 13); v1 ^= v0; v0 = ROTL(v0, 32); \
	v2 += v3; v3 = ROTL(v3, 16); v3 ^= v2; \
	v0 += v3; v3 = ROTL(v3, 21); v3 ^= v0; \
	v2 += v1; v1 = ROTL(v1, 17); v1 ^= v2; v2 = ROTL(v2, 32); \
} while (0)

static uint32_t
strhash(const char *s)
{
	uint64_t v0, v1, v2, v3, m;
	size_t len = strlen(s), i;

	pthread_once(&sip_once, sip_init);
	v0 = sip_key[0] ^ 0x736f6d6570736575ULL;
	v1 = sip_key[1] ^ 0x646f72616e646f6dULL;
	v2 = sip_key[0] ^ 0x6c7967656e657261ULL;
	v3 = sip_key[1] ^ 0x7465646279746573ULL;
	for (i = 0; i + 8 <= len; i += 8) {
		memcpy(&m, s + i, 8);
		m = le64toh(m);
		v3 ^= m;
		SIPROUND;
		v0 ^= m;
	}
	for (m = (uint64_t)len << 56; i < len; i++)
		m |= (uint64_t)(unsigned char)s[i] << (8 * (i % 8));
	v3 ^= m;
	SIPROUND;
	v0 ^= m;
	v2 ^= 0xff;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	return (uint32_t)(v0 ^ v1 ^ v2 ^ v3);
}

static char *
arena_strdup(struct symtab *t, const char *s)
{
	struct chunk *c = t->arena;
	size_t len = strlen(s) + 1, size;
	char *p;

	if (c == NULL || c->size - c->used < len) {
		size = len > ARENA_CHUNK ? len : ARENA_CHUNK;
		if ((c = malloc(sizeof(*c) + size)) == NULL)
			return NULL;
		c->size = size;
		c->used = 0;
		c->next = t->arena;
		t->arena = c;
	}
	p = c->data + c->used;
	memcpy(p, s, len);
	c->used += len;
	return p;
}

static int
strset_grow(struct strset *s)
{
	size_t ncap = s->cap ? s->cap * 2 : 16, i, j;
	const char **nslot;

	if ((nslot = calloc(ncap, sizeof(*nslot))) == NULL)
		return -1;
	for (i = 0; i < s->cap; i++) {
		if (s->slot[i] == NULL)
			continue;
		j = strhash(s->slot[i]) & (ncap - 1);
		while (nslot[j] != NULL)
			j = (j + 1) & (ncap - 1);
		nslot[j] = s->slot[i];
	}
	free(s->slot);
	s->slot = nslot;
	s->cap = ncap;
	return 0;
}

static const char *
intern(struct symtab *t, const char *str)
{
	struct strset *s = &t->intern;
	size_t i;
	char *p;

	if (str == NULL)
		return NULL;
	if ((s->n + 1) * 2 > s->cap && strset_grow(s) == -1)
		return NULL;
	i = strhash(str) & (s->cap - 1);
	for (; s->slot[i] != NULL; i = (i + 1) & (s->cap - 1))
		if (strcmp(s->slot[i], str) == 0)
			return s->slot[i];
	if ((p = arena_strdup(t, str)) == NULL)
		return NULL;
	s->slot[i] = p;
	s->n++;
	return p;
}

/* The slot holding name, or the empty slot where it would go. */
static size_t
hash_slot(const struct symtab *t, const char *name, uint32_t hv)
{
	const struct hslot *s;
	size_t i = hv & (t->hcap - 1);

	for (s = &t->hash[i]; s->idx != 0; s = &t->hash[i]) {
		if (s->hv == hv && strcmp(t->ents[s->idx - 1].name, name) == 0)
			break;
		i = (i + 1) & (t->hcap - 1);
	}
	return i;
}

/* Each slot keeps its hash, so growing reads no names. */
static int
hash_grow(struct symtab *t)
{
	size_t ncap = t->hcap ? t->hcap * 2 : 1024, i, j;
	struct hslot *nhash;

	if ((nhash = calloc(ncap, sizeof(*nhash))) == NULL)
		return -1;
	for (i = 0; i < t->hcap; i++) {
		if (t->hash[i].idx == 0)
			continue;
		j = t->hash[i].hv & (ncap - 1);
		while (nhash[j].idx != 0)
			j = (j + 1) & (ncap - 1);
		nhash[j] = t->hash[i];
	}
	free(t->hash);
	t->hash = nhash;
	t->hcap = ncap;
	return 0;
}

static int
ents_grow(struct symtab *t)
{
	size_t ncap = t->cap ? t->cap * 2 : 1024;
	struct sym_ent *n;

	if (ncap > SYM_MAX_SYMBOLS)
		ncap = SYM_MAX_SYMBOLS;
	if ((n = realloc(t->ents, ncap * sizeof(*n))) == NULL)
		return -1;
	t->ents = n;
	t->cap = ncap;
	return 0;
}

struct symtab *
_symtab_new(void)
{
	return calloc(1, sizeof(struct symtab));
}

void
_symtab_free(struct symtab *t)
{
	struct chunk *c, *next;

	if (t == NULL)
		return;
	for (c = t->arena; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	free(t->intern.slot);
	free(t->ents);
	free(t->hash);
	free(t->sorted);
	free(t);
}

/* A new entry at the end, not yet in the hash. */
static struct sym_ent *
new_entry(struct symtab *t, const char *name, uint64_t addr, char type,
    const char *module, const char *origin)
{
	const char *mod = NULL, *org = NULL;
	struct sym_ent *e;

	if (t->n >= SYM_MAX_SYMBOLS) {
		errno = EOVERFLOW;
		return NULL;
	}
	if ((t->n == t->cap && ents_grow(t) == -1) ||
	    (module != NULL && (mod = intern(t, module)) == NULL) ||
	    (origin != NULL && (org = intern(t, origin)) == NULL))
		goto nomem;
	e = &t->ents[t->n];
	if ((e->name = arena_strdup(t, name)) == NULL)
		goto nomem;
	e->addr = addr;
	e->type = type;
	e->module = mod;
	e->origin = org;
	t->n++;
	t->sorted_ok = 0;
	return e;
nomem:
	errno = ENOMEM;
	return NULL;
}

/*
 * Errors: EINVAL for an empty name, EOVERFLOW past SYM_MAX_SYMBOLS,
 * ENOMEM.  A duplicate is not an error.
 */
int
_symtab_add(struct symtab *t, const char *name, uint64_t addr, char type,
    const char *module, const char *origin)
{
	struct sym_ent *e;
	const char *org = NULL;
	size_t slot = 0;
	uint32_t hv;

	if (name == NULL || *name == '\0') {
		errno = EINVAL;
		return -1;
	}
	hv = strhash(name);
	if (t->hcap != 0 && t->hash[slot = hash_slot(t, name, hv)].idx != 0) {
		e = &t->ents[t->hash[slot].idx - 1];
		/* A module may reuse a core name; the core's wins. */
		if (e->module == NULL || module != NULL)
			return 0;
		if (origin != NULL && (org = intern(t, origin)) == NULL) {
			errno = ENOMEM;
			return -1;
		}
		e->addr = addr;
		e->type = type;
		e->module = NULL;
		e->origin = org;
		t->sorted_ok = 0;
		return 0;
	}
	if ((t->n + 1) * 2 > t->hcap) {
		if (hash_grow(t) == -1) {
			errno = ENOMEM;
			return -1;
		}
		slot = hash_slot(t, name, hv);
	}
	if (new_entry(t, name, addr, type, module, origin) == NULL)
		return -1;
	t->hash[slot].idx = (uint32_t)t->n;
	t->hash[slot].hv = hv;
	return 0;
}

/*
 * As _symtab_add, but a name already present is kept as one more entry,
 * in order, that only _symtab_at and _symtab_nearest see: the kernel's
 * kallsyms holds many static functions of one name, and its listing
 * shows each.
 */
int
_symtab_append(struct symtab *t, const char *name, uint64_t addr, char type,
    const char *module, const char *origin)
{
	if (name != NULL && _symtab_find(t, name) != NULL)
		return new_entry(t, name, addr, type, module, origin) == NULL ?
		    -1 : 0;
	return _symtab_add(t, name, addr, type, module, origin);
}

const struct sym_ent *
_symtab_find(const struct symtab *t, const char *name)
{
	uint32_t v;

	if (t->hcap == 0 || name == NULL)
		return NULL;
	v = t->hash[hash_slot(t, name, strhash(name))].idx;
	return v != 0 ? &t->ents[v - 1] : NULL;
}

static int
byaddr_cmp(const void *a, const void *b)
{
	const struct byaddr *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static int
sort_index(struct symtab *t)
{
	struct byaddr *s;
	size_t i;

	if (t->sortcap < t->n) {
		if ((s = realloc(t->sorted, t->n * sizeof(*s))) == NULL)
			return -1;
		t->sorted = s;
		t->sortcap = t->n;
	}
	for (i = 0; i < t->n; i++) {
		t->sorted[i].addr = t->ents[i].addr;
		t->sorted[i].idx = (uint32_t)i;
	}
	/* An empty table has no index: qsort(NULL, 0) is undefined. */
	if (t->n > 1)
		qsort(t->sorted, t->n, sizeof(*t->sorted), byaddr_cmp);
	t->sorted_ok = 1;
	return 0;
}

/* Index of the first sorted entry whose address is > addr (or >= it). */
static size_t
bound(const struct symtab *t, uint64_t addr, int upper)
{
	size_t lo = 0, hi = t->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (t->sorted[mid].addr < addr ||
		    (upper && t->sorted[mid].addr == addr))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * Of several names at one address (_text, _stext), the first added: the
 * namelist's own order.  Returns NULL also if the index can't be built.
 */
const struct sym_ent *
_symtab_nearest(struct symtab *t, uint64_t addr)
{
	size_t i;

	if (t->n == 0 || (!t->sorted_ok && sort_index(t) == -1))
		return NULL;
	if ((i = bound(t, addr, 1)) == 0)
		return NULL;
	i = bound(t, t->sorted[i - 1].addr, 0);
	return &t->ents[t->sorted[i].idx];
}

size_t
_symtab_count(const struct symtab *t)
{
	return t->n;
}

/* Entry i in insertion order, NULL past the end. */
const struct sym_ent *
_symtab_at(const struct symtab *t, size_t i)
{
	return i < t->n ? &t->ents[i] : NULL;
}
