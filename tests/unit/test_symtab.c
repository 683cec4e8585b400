#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "suites.h"
#include "util.h"

#define KBASE	0xffffffff81000000ULL

static struct symtab *
new_table(void)
{
	struct symtab *t = _symtab_new();

	ck_assert_ptr_nonnull(t);
	return t;
}

static void
add(struct symtab *t, const char *name, uint64_t addr, char type,
    const char *module)
{
	ck_assert_msg(_symtab_add(t, name, addr, type, module, "System.map")
	    == 0, "add %s: %s", name, strerror(errno));
}

START_TEST(test_empty)
{
	struct symtab *t = new_table();

	ck_assert_uint_eq(_symtab_count(t), 0);
	ck_assert_ptr_null(_symtab_find(t, "jiffies"));
	ck_assert_ptr_null(_symtab_nearest(t, KBASE));
	_symtab_free(t);
}
END_TEST

START_TEST(test_add_find)
{
	struct symtab *t = new_table();
	const struct sym_ent *e;
	char name[32], origin[32];

	/* The table copies: change the caller's buffers afterwards. */
	strcpy(name, "avenrun");
	strcpy(origin, "/boot/System.map");
	ck_assert_int_eq(_symtab_add(t, name, KBASE + 0x1940, 'B', NULL,
	    origin), 0);
	add(t, "jiffies_64", KBASE + 0x2000, 'D', NULL);
	memset(name, 'x', sizeof(name) - 1);
	memset(origin, 'y', sizeof(origin) - 1);

	ck_assert_uint_eq(_symtab_count(t), 2);
	ck_assert_ptr_nonnull(e = _symtab_find(t, "avenrun"));
	ck_assert_str_eq(e->name, "avenrun");
	ck_assert_uint_eq(e->addr, KBASE + 0x1940);
	ck_assert_int_eq(e->type, 'B');
	ck_assert_ptr_null(e->module);
	ck_assert_str_eq(e->origin, "/boot/System.map");
	ck_assert_ptr_nonnull(e = _symtab_find(t, "jiffies_64"));
	ck_assert_uint_eq(e->addr, KBASE + 0x2000);
	ck_assert_ptr_null(_symtab_find(t, "jiffies"));
	ck_assert_ptr_null(_symtab_find(t, "avenrun2"));
	ck_assert_ptr_null(_symtab_find(t, ""));
	_symtab_free(t);
}
END_TEST

START_TEST(test_bad_name)
{
	struct symtab *t = new_table();

	errno = 0;
	ck_assert_int_eq(_symtab_add(t, "", 1, 'T', NULL, NULL), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(_symtab_add(t, NULL, 1, 'T', NULL, NULL), -1);
	ck_assert_uint_eq(_symtab_count(t), 0);
	_symtab_free(t);
}
END_TEST

/* Addresses a permutation of the names, so the sorted index has work. */
#define MANY	200000U
static uint64_t
many_addr(unsigned i)
{
	return KBASE + (uint64_t)((i * 7919ULL) % MANY) * 16;
}

START_TEST(test_many)
{
	struct symtab *t = new_table();
	const struct sym_ent *e;
	const char *first;
	char name[32];
	unsigned i;

	add(t, "s0", many_addr(0), 'T', NULL);
	first = _symtab_find(t, "s0")->name;
	for (i = 1; i < MANY; i++) {
		snprintf(name, sizeof(name), "s%u", i);
		add(t, name, many_addr(i), i % 2 ? 't' : 'T', NULL);
	}
	ck_assert_uint_eq(_symtab_count(t), MANY);
	/* Names stay where they were as the table grows. */
	ck_assert_str_eq(first, "s0");
	for (i = 0; i < MANY; i++) {
		snprintf(name, sizeof(name), "s%u", i);
		e = _symtab_find(t, name);
		ck_assert_msg(e != NULL, "%s not found", name);
		ck_assert_str_eq(e->name, name);
		ck_assert_uint_eq(e->addr, many_addr(i));
		ck_assert_int_eq(e->type, i % 2 ? 't' : 'T');
	}
	for (i = 0; i < MANY; i += 997) {
		snprintf(name, sizeof(name), "s%u", i);
		e = _symtab_nearest(t, many_addr(i) + 15);
		ck_assert_ptr_nonnull(e);
		ck_assert_str_eq(e->name, name);
	}
	ck_assert_ptr_null(_symtab_find(t, "s200000"));
	_symtab_free(t);
}
END_TEST

START_TEST(test_duplicate_keeps_first)
{
	struct symtab *t = new_table();
	const struct sym_ent *e;

	add(t, "fail", KBASE + 0x100, 't', NULL);
	add(t, "fail", KBASE + 0x200, 't', NULL);
	ck_assert_uint_eq(_symtab_count(t), 1);
	ck_assert_uint_eq(_symtab_find(t, "fail")->addr, KBASE + 0x100);

	/* module then module: the first too */
	add(t, "init_module", 0xffffffffc0001000ULL, 't', "ext4");
	add(t, "init_module", 0xffffffffc0101000ULL, 't', "xfs");
	e = _symtab_find(t, "init_module");
	ck_assert_uint_eq(e->addr, 0xffffffffc0001000ULL);
	ck_assert_str_eq(e->module, "ext4");
	ck_assert_uint_eq(_symtab_count(t), 2);
	_symtab_free(t);
}
END_TEST

/* kallsyms lists every static function of one name: all kept, in order. */
START_TEST(test_append_keeps_duplicates)
{
	struct symtab *t = new_table();

	ck_assert_int_eq(_symtab_append(t, "_note_9", KBASE + 0x100, 'r',
	    NULL, "mem"), 0);
	ck_assert_int_eq(_symtab_append(t, "other", KBASE + 0x180, 't',
	    NULL, "mem"), 0);
	ck_assert_int_eq(_symtab_append(t, "_note_9", KBASE + 0x200, 'r',
	    NULL, "mem"), 0);
	ck_assert_uint_eq(_symtab_count(t), 3);
	ck_assert_uint_eq(_symtab_find(t, "_note_9")->addr, KBASE + 0x100);
	ck_assert_str_eq(_symtab_at(t, 2)->name, "_note_9");
	ck_assert_uint_eq(_symtab_at(t, 2)->addr, KBASE + 0x200);
	ck_assert_str_eq(_symtab_nearest(t, KBASE + 0x210)->name, "_note_9");
	ck_assert_uint_eq(_symtab_nearest(t, KBASE + 0x210)->addr,
	    KBASE + 0x200);
	ck_assert_int_eq(_symtab_append(t, "", KBASE, 't', NULL, NULL), -1);
	_symtab_free(t);
}
END_TEST

START_TEST(test_core_beats_module)
{
	struct symtab *t = new_table();
	const struct sym_ent *e;

	ck_assert_int_eq(_symtab_add(t, "cleanup", 0xffffffffc0002000ULL, 't',
	    "nfs", "/proc/kallsyms"), 0);
	/* builds the address index with the module's address */
	ck_assert_ptr_null(_symtab_nearest(t, KBASE + 0x301));
	ck_assert_int_eq(_symtab_add(t, "cleanup", KBASE + 0x300, 'T', NULL,
	    "/boot/System.map"), 0);
	ck_assert_uint_eq(_symtab_count(t), 1);
	e = _symtab_find(t, "cleanup");
	ck_assert_uint_eq(e->addr, KBASE + 0x300);
	ck_assert_int_eq(e->type, 'T');
	ck_assert_ptr_null(e->module);
	ck_assert_str_eq(e->origin, "/boot/System.map");

	/* and a module's entry doesn't displace the core's */
	ck_assert_int_eq(_symtab_add(t, "cleanup", 0xffffffffc0003000ULL, 't',
	    "nfs", "/proc/kallsyms"), 0);
	e = _symtab_find(t, "cleanup");
	ck_assert_uint_eq(e->addr, KBASE + 0x300);
	ck_assert_ptr_null(e->module);

	/* the nearest index sees the replaced address */
	ck_assert_ptr_eq(_symtab_nearest(t, KBASE + 0x301), e);
	ck_assert_ptr_null(_symtab_nearest(t, KBASE + 0x2ff));
	_symtab_free(t);
}
END_TEST

START_TEST(test_interned)
{
	struct symtab *t = new_table();
	const struct sym_ent *a, *b;
	char mod[16];

	strcpy(mod, "snd_hda");
	ck_assert_int_eq(_symtab_add(t, "a", 1, 't', mod, "/proc/kallsyms"),
	    0);
	strcpy(mod, "snd");
	ck_assert_int_eq(_symtab_add(t, "b", 2, 't', mod, "/proc/kallsyms"),
	    0);
	strcpy(mod, "snd_hda");
	ck_assert_int_eq(_symtab_add(t, "c", 3, 't', mod, "/proc/kallsyms"),
	    0);
	a = _symtab_find(t, "a");
	b = _symtab_find(t, "c");
	ck_assert_str_eq(a->module, "snd_hda");
	ck_assert_str_eq(_symtab_find(t, "b")->module, "snd");
	ck_assert_ptr_eq(a->module, b->module);
	ck_assert_ptr_eq(a->origin, b->origin);
	ck_assert_ptr_ne(a->module, mod);
	_symtab_free(t);
}
END_TEST

START_TEST(test_nearest)
{
	struct symtab *t = new_table();
	const struct sym_ent *e;

	/* added out of order; two names at one address */
	add(t, "c", KBASE + 0x300, 'T', NULL);
	add(t, "a", KBASE + 0x100, 'T', NULL);
	add(t, "_text", KBASE, 'T', NULL);
	add(t, "_stext", KBASE, 'T', NULL);
	add(t, "b", KBASE + 0x200, 'T', NULL);

	ck_assert_ptr_null(_symtab_nearest(t, KBASE - 1));
	ck_assert_ptr_null(_symtab_nearest(t, 0));
	ck_assert_str_eq(_symtab_nearest(t, KBASE)->name, "_text");
	ck_assert_str_eq(_symtab_nearest(t, KBASE + 0xff)->name, "_text");
	ck_assert_str_eq(_symtab_nearest(t, KBASE + 0x100)->name, "a");
	ck_assert_str_eq(_symtab_nearest(t, KBASE + 0x1ff)->name, "a");
	ck_assert_str_eq(_symtab_nearest(t, KBASE + 0x200)->name, "b");
	ck_assert_str_eq(_symtab_nearest(t, KBASE + 0x300)->name, "c");
	ck_assert_str_eq(_symtab_nearest(t, UINT64_MAX)->name, "c");

	/* an add after a lookup is seen by the next lookup */
	add(t, "a2", KBASE + 0x180, 't', NULL);
	e = _symtab_nearest(t, KBASE + 0x1ff);
	ck_assert_str_eq(e->name, "a2");
	ck_assert_uint_eq(e->addr, KBASE + 0x180);
	add(t, "first", 0x1000, 'A', NULL);
	ck_assert_str_eq(_symtab_nearest(t, 0x1000)->name, "first");
	ck_assert_str_eq(_symtab_nearest(t, KBASE - 1)->name, "first");
	ck_assert_ptr_null(_symtab_nearest(t, 0xfff));
	_symtab_free(t);
}
END_TEST

/* Many names at one address: the first added, and no linear walk. */
START_TEST(test_nearest_same_address)
{
	struct symtab *t = new_table();
	char name[32];
	unsigned i;

	add(t, "before", KBASE - 16, 'T', NULL);
	for (i = 0; i < 50000; i++) {
		snprintf(name, sizeof(name), "alias%u", i);
		add(t, name, KBASE, 'T', NULL);
	}
	add(t, "after", KBASE + 16, 'T', NULL);
	for (i = 0; i < 50000; i++)
		ck_assert_str_eq(_symtab_nearest(t, KBASE + 15)->name,
		    "alias0");
	ck_assert_str_eq(_symtab_nearest(t, KBASE - 1)->name, "before");
	ck_assert_str_eq(_symtab_nearest(t, KBASE + 16)->name, "after");
	_symtab_free(t);
}
END_TEST

START_TEST(test_limit)
{
	struct symtab *t = new_table();
	char name[32];
	unsigned i;

	for (i = 0; i < SYM_MAX_SYMBOLS; i++) {
		snprintf(name, sizeof(name), "%x", i);
		if (_symtab_add(t, name, i, 'T', NULL, NULL) != 0)
			ck_abort_msg("add %u: %s", i, strerror(errno));
	}
	errno = 0;
	ck_assert_int_eq(_symtab_add(t, "one_more", 1, 'T', NULL, NULL), -1);
	ck_assert_int_eq(errno, EOVERFLOW);
	/* a duplicate is still fine at the limit */
	ck_assert_int_eq(_symtab_add(t, "0", 1, 'T', NULL, NULL), 0);
	ck_assert_uint_eq(_symtab_count(t), SYM_MAX_SYMBOLS);
	ck_assert_uint_eq(_symtab_find(t, "3fffff")->addr, 0x3fffff);
	_symtab_free(t);
}
END_TEST

/* The hash the table used before it was keyed: 32-bit FNV-1a. */
static uint32_t
fnv1a(uint32_t h, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x01000193U;
	}
	return h;
}

#define SEG	6
#define NSEGS	16
/*
 * Two SEG-letter strings taking FNV-1a from state h to the same state:
 * a birthday search among random strings.
 */
static uint32_t
collide(uint32_t h, char *a, char *b, unsigned *rng)
{
	enum { CAP = 1 << 19 };
	uint32_t *hv = calloc(CAP, sizeof(*hv));
	char (*str)[SEG] = calloc(CAP, SEG);
	uint32_t v;
	size_t i, j;
	char cand[SEG];

	ck_assert(hv != NULL && str != NULL);
	for (;;) {
		for (j = 0; j < SEG; j++)
			cand[j] = (char)('a' + rand_r(rng) % 26);
		v = fnv1a(h, cand, SEG);
		for (i = v & (CAP - 1); str[i][0] != '\0'; i = (i + 1) & (CAP - 1))
			if (hv[i] == v && memcmp(str[i], cand, SEG) != 0) {
				memcpy(a, str[i], SEG);
				memcpy(b, cand, SEG);
				free(hv);
				free(str);
				return v;
			}
		hv[i] = v;
		memcpy(str[i], cand, SEG);
	}
}

/*
 * The flood: 2^16 System.map names with one FNV-1a hash (16
 * colliding pairs, one chosen per place).  Keyed, they load at once.
 */
START_TEST(test_hash_flood)
{
	static char pair[NSEGS][2][SEG];
	struct symtab *t = new_table();
	char name[NSEGS * SEG + 1];
	struct timespec t0, t1;
	unsigned rng = 1;
	uint32_t h = 0x811c9dc5U, want;
	size_t i, k;

	for (k = 0; k < NSEGS; k++)
		h = collide(h, pair[k][0], pair[k][1], &rng);
	want = h;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < (1U << NSEGS); i++) {
		for (k = 0; k < NSEGS; k++)
			memcpy(name + k * SEG, pair[k][(i >> k) & 1], SEG);
		name[NSEGS * SEG] = '\0';
		if (i < 4)
			ck_assert_uint_eq(fnv1a(0x811c9dc5U, name, NSEGS * SEG),
			    want);
		add(t, name, KBASE + i, 'D', NULL);
	}
	ck_assert_ptr_nonnull(_symtab_find(t, name));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ck_assert_uint_eq(_symtab_count(t), 1U << NSEGS);
	ck_assert_int_lt(t1.tv_sec - t0.tv_sec, 2);
	_symtab_free(t);
}
END_TEST

Suite *
suite_symtab(void)
{
	Suite *s = suite_create("symtab");
	TCase *tc = tcase_create("symtab");
	TCase *big = tcase_create("limit");

	tcase_add_test(tc, test_empty);
	tcase_add_test(tc, test_add_find);
	tcase_add_test(tc, test_bad_name);
	tcase_add_test(tc, test_many);
	tcase_add_test(tc, test_duplicate_keeps_first);
	tcase_add_test(tc, test_append_keeps_duplicates);
	tcase_add_test(tc, test_core_beats_module);
	tcase_add_test(tc, test_interned);
	tcase_add_test(tc, test_nearest);
	tcase_add_test(tc, test_nearest_same_address);
	tcase_add_test(tc, test_hash_flood);
	tcase_set_timeout(tc, 30);
	suite_add_tcase(s, tc);
	tcase_add_test(big, test_limit);
	tcase_set_timeout(big, 120);
	suite_add_tcase(s, big);
	return s;
}
