/*
 * The kernel's kallsyms tables out of memory (nl_kallsyms.c), on hostile
 * input only: the real tables are checked against /proc/kallsyms in the
 * QEMU guest.  A fake memory source holds a small table laid out as
 * scripts/kallsyms.c lays one out, which each test then breaks: a token
 * offset out of range, a token without its NUL, a name running past the
 * stream, an absurd symbol count, a truncated stream, an empty name, a
 * name too long, names that expand past any kernel's, a _stext that
 * neither form of kallsyms_offsets gives.  The same again for 7.0's
 * place-relative offsets (no kallsyms_relative_base): a table that
 * decodes, a _stext it does not give, an offsets array cut short.
 * Each must fail with one line naming the table's address, never crash
 * or hang.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sym_private.h"
#include "suites.h"
#include "util.h"

#define KBASE		0xffffffff81000000ULL
#define MEMSZ		0x50000
#define A_NUM		(KBASE + 0x0)
#define A_RELBASE	(KBASE + 0x8)
#define A_OFFSETS	(KBASE + 0x100)
#define A_TIDX		(KBASE + 0x1000)
#define A_TTAB		(KBASE + 0x2000)
#define A_NAMES		(KBASE + 0x4000)
#define RELBASE		0xffffffff82000000ULL

static unsigned char mem[MEMSZ];
static char vmci[1024];
static const char *release;

/* Token i is the 1-character string i (or "z" where unprintable). */
static void
put_tokens(void)
{
	uint16_t off;
	char tok[2];
	int i;

	for (i = 0; i < 256; i++) {
		off = (uint16_t)(2 * i);
		tok[0] = i > ' ' && i < 0x7f ? (char)i : 'z';
		tok[1] = '\0';
		tu_flat_put(A_TIDX + 2 * (uint64_t)i, &off, 2);
		tu_flat_put(A_TTAB + off, tok, 2);
	}
}

/* "T_stext" at relative_base, "Dbar" 0x100 above, "Afixed" per-CPU 0. */
static size_t
put_names(uint64_t at)
{
	static const char *const names[] = { "T_stext", "Dbar", "Afixed" };
	static const int32_t offs[] = { -1, -0x101, 0 };
	uint64_t rb = RELBASE;
	uint32_t n = 3;
	size_t i, pos = 0;
	uint8_t len;

	tu_flat_put(A_NUM, &n, 4);
	tu_flat_put(A_RELBASE, &rb, 8);
	for (i = 0; i < n; i++) {
		len = (uint8_t)strlen(names[i]);
		tu_flat_put(at + pos, &len, 1);
		tu_flat_put(at + pos + 1, names[i], len);
		pos += 1 + len;
		tu_flat_put(A_OFFSETS + 4 * i, &offs[i], 4);
	}
	return pos;
}

/* VMCOREINFO's lines for the tables; relbase 0: none (7.0). */
static void
vmcoreinfo_for(uint64_t names, uint64_t offsets, uint64_t relbase,
    uint64_t stext)
{
	char rb[64] = "";

	if (relbase != 0)
		snprintf(rb, sizeof(rb), "SYMBOL(kallsyms_relative_base)=%llx\n",
		    (unsigned long long)relbase);
	snprintf(vmci, sizeof(vmci), "OSRELEASE=6.1.0-kmemstat-test\n"
	    "SYMBOL(kallsyms_names)=%llx\nSYMBOL(kallsyms_num_syms)=%llx\n"
	    "SYMBOL(kallsyms_token_table)=%llx\n"
	    "SYMBOL(kallsyms_token_index)=%llx\n"
	    "SYMBOL(kallsyms_offsets)=%llx\n%sSYMBOL(_stext)=%llx\n",
	    (unsigned long long)names, (unsigned long long)A_NUM,
	    (unsigned long long)A_TTAB, (unsigned long long)A_TIDX,
	    (unsigned long long)offsets, rb, (unsigned long long)stext);
}

static void
set_vmcoreinfo(uint64_t names, uint64_t stext)
{
	vmcoreinfo_for(names, A_OFFSETS, A_RELBASE, stext);
}

/*
 * 7.0's form (a081b5789255): VMCOREINFO without kallsyms_relative_base,
 * and each offset the distance from its own slot to its symbol, as the
 * assembler resolves scripts/kallsyms.c's "_text - . + (offset)".
 */
static const uint64_t place_addr[] = { RELBASE, RELBASE + 0x100,
    KBASE + 0x40 };

static void
set_place_relative(uint64_t offsets, uint64_t stext)
{
	int32_t off;
	size_t i;

	vmcoreinfo_for(A_NAMES, offsets, 0, stext);
	for (i = 0; i < 3; i++) {
		if (offsets + 4 * i + 4 > KBASE + MEMSZ)
			break;
		off = (int32_t)(int64_t)(place_addr[i] - (offsets + 4 * i));
		tu_flat_put(offsets + 4 * i, &off, 4);
	}
}

static sym_t *
fake_handle(void)
{
	sym_t *h = tu_handle();

	h->mops = &tu_flat_ops;
	h->src = SYM_SRC_CORE;
	h->memfile = strdup("fake-core");
	h->vmcoreinfo = vmci;
	h->vmcoreinfo_len = strlen(vmci);
	snprintf(h->release, sizeof(h->release), "%s", release);
	return h;
}

static void
setup(void)
{
	memset(mem, 0, sizeof(mem));
	tu_flat = (struct tu_flat){ KBASE, mem, MEMSZ, MEMSZ };
	release = "6.1.0-kmemstat-test";
	put_tokens();
	put_names(A_NAMES);
	set_vmcoreinfo(A_NAMES, RELBASE);
}

/* Loads the table; returns the error, or NULL (and the count) if none. */
static const char *
load(size_t *count)
{
	static char err[SYM_ERRSIZE];
	char how[256];
	struct symtab *t = _symtab_new();
	sym_t *h = fake_handle();
	int rc;

	ck_assert_ptr_nonnull(t);
	rc = _nl_kallsyms_load(h, t, "fake-core (kallsyms)", how, sizeof(how));
	snprintf(err, sizeof(err), "%s", sym_geterr(h));
	if (count != NULL)
		*count = _symtab_count(t);
	_symtab_free(t);
	sym_close(h);
	return rc == 0 ? NULL : err;
}

static void
assert_refused(const char *table_at)
{
	const char *err = load(NULL);

	ck_assert_msg(err != NULL, "hostile table accepted");
	tu_assert_contains(err, table_at);
	ck_assert_ptr_null(strchr(err, '\n'));
}

/* The harness itself: the unbroken table loads, so each test below
 * fails for the one thing it breaks. */
START_TEST(test_control_loads)
{
	char how[256];
	struct symtab *t = _symtab_new();
	sym_t *h = fake_handle();

	ck_assert_int_eq(_nl_kallsyms_load(h, t, "fake", how, sizeof(how)), 0);
	ck_assert_uint_eq(_symtab_count(t), 3);
	ck_assert_uint_eq(_symtab_find(t, "_stext")->addr, RELBASE);
	ck_assert_uint_eq(_symtab_find(t, "bar")->addr, RELBASE + 0x100);
	ck_assert_uint_eq(_symtab_find(t, "fixed")->addr, 0);
	ck_assert_int_eq(_symtab_find(t, "bar")->type, 'D');
	_symtab_free(t);
	sym_close(h);
}
END_TEST

START_TEST(test_token_index_out_of_range)
{
	uint16_t off = 0xffff;

	tu_flat_put(A_TIDX + 2 * 'b', &off, 2);
	assert_refused("kallsyms_token_index at 0xffffffff81001000");
	tu_assert_contains(load(NULL), "token offset 65535");
}
END_TEST

/* The furthest token runs to the end of the dump without its NUL. */
START_TEST(test_token_without_nul)
{
	uint16_t off = 0x1000 - 4;

	tu_flat_put(A_TIDX + 2 * 255, &off, 2);
	memset(mem + (A_TTAB - KBASE) + off, 'q', 4);
	tu_flat.len = A_TTAB - KBASE + 0x1000;
	assert_refused("kallsyms_token_table at 0xffffffff81002000");
	tu_assert_contains(load(NULL), "token 255");
}
END_TEST

START_TEST(test_count_absurd)
{
	uint32_t n = 0xffffffffU;

	tu_flat_put(A_NUM, &n, 4);
	assert_refused("kallsyms_num_syms at 0xffffffff81000000 reads "
	    "4294967295");
	n = 0;
	tu_flat_put(A_NUM, &n, 4);
	assert_refused("kallsyms_num_syms at 0xffffffff81000000 reads 0");
}
END_TEST

/* More symbols than the stream holds, and the dump ends after it. */
START_TEST(test_stream_truncated)
{
	uint64_t at = KBASE + 0x8000 - 20;	/* the 3 names' 20 bytes */
	uint32_t n = 1000;

	ck_assert_uint_eq(put_names(at), 20);
	set_vmcoreinfo(at, RELBASE);
	tu_flat_put(A_NUM, &n, 4);
	tu_flat.len = 0x8000;
	assert_refused("kallsyms_names at 0xffffffff81007fec: the stream is "
	    "truncated at 0xffffffff81008000, in symbol 3 of 1000");
}
END_TEST

/* The last name's length runs past the end of the dump. */
START_TEST(test_name_past_stream)
{
	uint64_t at = KBASE + 0x8000 - 4;
	uint8_t len = 0x7f;

	set_vmcoreinfo(at, RELBASE);
	tu_flat_put(at, &len, 1);
	tu_flat_put(at + 1, "Tab", 3);
	tu_flat.len = 0x8000;
	assert_refused("kallsyms_names at 0xffffffff81007ffc: the stream is "
	    "truncated at 0xffffffff81008000, in symbol 0 of 3");
}
END_TEST

START_TEST(test_empty_name)
{
	uint8_t zero = 0;

	tu_flat_put(A_NAMES + 8, &zero, 1);	/* the second name */
	assert_refused("kallsyms_names at 0xffffffff81004000: symbol 1 of 3 "
	    "has no tokens");
}
END_TEST

/* A 2-byte length (6.1) of 1000 tokens: longer than KSYM_NAME_LEN. */
START_TEST(test_name_too_long)
{
	uint8_t len[2] = { (1000 & 0x7f) | 0x80, 1000 >> 7 };

	tu_flat_put(A_NAMES, len, 2);
	memset(mem + (A_NAMES - KBASE) + 2, 'a', 1000);
	assert_refused("kallsyms_names at 0xffffffff81004000: symbol 0 of 3");
	tu_assert_contains(load(NULL), "at most 511 printable");
}
END_TEST

/* 2 bytes of stream per 510-character name: the sum must be bounded. */
START_TEST(test_expanded_names_bounded)
{
	uint16_t off = 600;
	uint32_t n = 140000, i;
	uint8_t name[2] = { 1, 'x' };

	tu_flat_put(A_TIDX + 2 * 'x', &off, 2);
	memset(mem + (A_TTAB - KBASE) + off, 'a', 510);
	mem[A_TTAB - KBASE + off + 510] = '\0';
	tu_flat_put(A_NUM, &n, 4);
	for (i = 0; i < n; i++)
		tu_flat_put(A_NAMES + 2 * (uint64_t)i, name, 2);
	assert_refused("kallsyms_names at 0xffffffff81004000: symbol ");
	tu_assert_contains(load(NULL), "expanded names past 64 MB");
}
END_TEST

/* ULEB128 of three bytes: more than scripts/kallsyms.c ever writes. */
START_TEST(test_length_three_bytes)
{
	uint8_t len[3] = { 0x81, 0x80, 0x01 };

	tu_flat_put(A_NAMES, len, 3);
	assert_refused("kallsyms_names at 0xffffffff81004000: symbol 0 of 3 "
	    "has a length of more than two bytes (offset 0x0)");
}
END_TEST

START_TEST(test_unprintable_token)
{
	tu_flat_put(A_TTAB + 2 * 'b', "\n", 1);
	assert_refused("kallsyms_names at 0xffffffff81004000: symbol 1 of 3");
}
END_TEST

/* Neither form of the offsets gives VMCOREINFO's _stext. */
START_TEST(test_stext_mismatch)
{
	set_vmcoreinfo(A_NAMES, RELBASE + 0x1000);
	assert_refused("kallsyms_offsets at 0xffffffff81000100: _stext "
	    "decodes to 0xffffffff82000000 (absolute per-CPU) or");
}
END_TEST

START_TEST(test_missing_symbol)
{
	char *p = strstr(vmci, "SYMBOL(kallsyms_token_index)");

	ck_assert_ptr_nonnull(p);
	memcpy(p, "SYMBOL(kallsyms_token_xxxxx)", 28);
	assert_refused("fake-core: VMCOREINFO has no "
	    "SYMBOL(kallsyms_token_index)");
}
END_TEST

START_TEST(test_place_relative_loads)
{
	struct symtab *t = _symtab_new();
	sym_t *h;
	char how[256];
	size_t i;

	set_place_relative(A_OFFSETS, RELBASE);
	h = fake_handle();
	ck_assert_int_eq(_nl_kallsyms_load(h, t, "fake", how, sizeof(how)), 0);
	ck_assert_uint_eq(_symtab_count(t), 3);
	for (i = 0; i < 3; i++)
		ck_assert_uint_eq(_symtab_at(t, i)->addr, place_addr[i]);
	/* below the offsets table: a negative offset */
	ck_assert_uint_eq(_symtab_find(t, "fixed")->addr, KBASE + 0x40);
	_symtab_free(t);
	sym_close(h);
}
END_TEST

START_TEST(test_place_relative_stext_mismatch)
{
	set_place_relative(A_OFFSETS, RELBASE + 0x1000);
	assert_refused("kallsyms_offsets at 0xffffffff81000100: _stext "
	    "decodes to 0xffffffff82000000 place-relative (no "
	    "kallsyms_relative_base), but VMCOREINFO says 0xffffffff82001000");
}
END_TEST

/* The dump ends inside kallsyms_offsets: 3 symbols, room for 2. */
START_TEST(test_place_relative_offsets_cut)
{
	set_place_relative(KBASE + MEMSZ - 8, RELBASE);
	assert_refused("kallsyms_offsets at 0xffffffff8104fff8: ");
}
END_TEST

/* Neither table of addresses: refused, naming both. */
START_TEST(test_no_addresses)
{
	char *p;

	set_place_relative(A_OFFSETS, RELBASE);
	p = strstr(vmci, "SYMBOL(kallsyms_offsets)");
	ck_assert_ptr_nonnull(p);
	memcpy(p, "SYMBOL(kallsyms_xxxxxxx)", 24);
	assert_refused("fake-core: VMCOREINFO has neither "
	    "SYMBOL(kallsyms_offsets) nor SYMBOL(kallsyms_addresses)");
}
END_TEST

/* Through the namelist: no file to fall back on, both reasons said. */
START_TEST(test_namelist_says_both)
{
	uint32_t n = 1000;
	sym_t *h;

	tu_flat_put(A_NUM, &n, 4);
	tu_flat.len = A_NAMES - KBASE + 18;
	h = fake_handle();
	ck_assert_int_eq(_sym_load_namelist(h), -1);
	tu_assert_contains(sym_geterr(h), "kallsyms_names at "
	    "0xffffffff81004000: the stream is truncated");
	tu_assert_contains(sym_geterr(h), "no namelist file for release "
	    "6.1.0-kmemstat-test");
	sym_close(h);
}
END_TEST

/*
 * Before 6.0 VMCOREINFO names no table: they are found by their shape.
 * lay510() lays n symbols out as 5.10's scripts/kallsyms.c does from s
 * on, each table 8-aligned: offsets, relative_base, num_syms, names,
 * markers, token_table, token_index.  Name 0 is "T_stext" at
 * relative_base (KBASE, VMCOREINFO's _stext), name i "Ds%05u" 16 * i
 * above it.  Returns the token index's address.
 */
#define AL8(x)	(((x) + 7) & ~(uint64_t)7)
static uint64_t m510;			/* kallsyms_markers, for the tests */
static uint64_t n510;			/* kallsyms_num_syms */

static uint64_t
lay510(uint64_t s, uint32_t n)
{
	uint64_t rb = KBASE, names, pos, mk, tt;
	uint32_t i, off;
	int32_t o;
	char name[16];
	uint8_t len;

	n510 = AL8(s + 4 * (uint64_t)n) + 8;
	names = n510 + 8;
	tu_flat_put(n510 - 8, &rb, 8);
	tu_flat_put(n510, &n, 4);
	for (i = 0, pos = 0; i < n; i++) {
		o = -1 - (int32_t)(16 * i);
		tu_flat_put(s + 4 * (uint64_t)i, &o, 4);
		if (i == 0)
			snprintf(name, sizeof(name), "T_stext");
		else
			snprintf(name, sizeof(name), "Ds%05u", i);
		if (i % 256 == 0) {
			off = (uint32_t)pos;
			tu_flat_put(AL8(names + 8 * (uint64_t)n) + 4 * (i / 256), &off,
			    4);
		}
		len = (uint8_t)strlen(name);
		tu_flat_put(names + pos, &len, 1);
		tu_flat_put(names + pos + 1, name, len);
		pos += 1 + len;
	}
	/* every name is 8 bytes: the markers went where they end */
	mk = AL8(names + pos);
	ck_assert_uint_eq(mk, AL8(names + 8 * (uint64_t)n));
	m510 = mk;
	tt = AL8(mk + 4 * (((uint64_t)n + 255) / 256));
	for (i = 0; i < 256; i++) {
		uint16_t t = (uint16_t)(2 * i);
		char tok[2] = { i > ' ' && i < 0x7f ? (char)i : 'z', '\0' };

		tu_flat_put(tt + 2 * i, tok, 2);
		tu_flat_put(tt + 512 + 2 * (uint64_t)i, &t, 2);
	}
	return tt + 512;
}

static void
set_vmcoreinfo_510(const char *extra)
{
	snprintf(vmci, sizeof(vmci), "OSRELEASE=5.10.0-kmemstat-test\n"
	    "SYMBOL(_stext)=%llx\nKERNELOFFSET=0\n%s",
	    (unsigned long long)KBASE, extra);
	release = "5.10.0-kmemstat-test";
}

static void
setup510(void)
{
	memset(mem, 0, sizeof(mem));
	tu_flat = (struct tu_flat){ KBASE, mem, MEMSZ, MEMSZ };
	set_vmcoreinfo_510("");
}

/* Loads by shape; returns the error or NULL, and how it was found. */
static const char *
load510(size_t *count, char *how, size_t howlen)
{
	static char err[SYM_ERRSIZE];
	struct symtab *t = _symtab_new();
	sym_t *h = fake_handle();
	int rc;

	rc = _nl_kallsyms_load(h, t, "fake-core (kallsyms)", how, howlen);
	snprintf(err, sizeof(err), "%s", sym_geterr(h));
	*count = _symtab_count(t);
	if (rc == 0) {
		ck_assert_uint_eq(_symtab_find(t, "_stext")->addr, KBASE);
		ck_assert_uint_eq(_symtab_find(t, "s00002")->addr,
		    KBASE + 32);
		ck_assert_int_eq(_symtab_find(t, "s00002")->type, 'D');
	}
	_symtab_free(t);
	sym_close(h);
	return rc == 0 ? NULL : err;
}

static void
assert_510_refused(const char *why)
{
	char how[256];
	size_t n;
	const char *err = load510(&n, how, sizeof(how));

	ck_assert_msg(err != NULL, "hostile layout accepted");
	tu_assert_contains(err, why);
	ck_assert_ptr_null(strchr(err, '\n'));
}

/* 300 names: two markers; a decoy index shape before the tables. */
START_TEST(test_shape_control)
{
	uint64_t x;
	uint16_t decoy[256];
	char how[256], want[128];
	size_t n, i;

	for (i = 0; i < 256; i++)
		decoy[i] = (uint16_t)(3 * i);
	tu_flat_put(KBASE + 0x1000, decoy, sizeof(decoy));
	x = lay510(KBASE + 0x8000, 300);
	ck_assert_ptr_null(load510(&n, how, sizeof(how)));
	ck_assert_uint_eq(n, 300);
	snprintf(want, sizeof(want), "kallsyms_token_index found at 0x%llx "
	    "by its shape", (unsigned long long)x);
	tu_assert_contains(how, want);
}
END_TEST

/* The shape alone is not enough: every table before it must fit. */
START_TEST(test_shape_markers_broken)
{
	uint32_t bad = 7;

	lay510(KBASE + 0x8000, 300);
	tu_flat_put(m510, &bad, 4);		/* markers[0] is not 0 */
	assert_510_refused("fake-core: no kallsyms tables in the ");
}
END_TEST

START_TEST(test_shape_count_wrong)
{
	uint32_t n = 1000;

	lay510(KBASE + 0x8000, 300);
	tu_flat_put(n510, &n, 4);		/* 4 markers' worth, 2 there */
	assert_510_refused("fake-core: no kallsyms tables in the ");
}
END_TEST

START_TEST(test_shape_names_off_markers)
{
	uint8_t len = 9;

	lay510(KBASE + 0x8000, 300);
	tu_flat_put(n510 + 8 + 8 * 5, &len, 1);	/* a name 2 tokens longer */
	assert_510_refused("fake-core: no kallsyms tables in the ");
}
END_TEST

/* The dump ends inside the token index: no read past it, no table. */
START_TEST(test_shape_truncated)
{
	uint64_t x = lay510(KBASE + 0x8000, 300);

	tu_flat.len = x - KBASE + 300;
	assert_510_refused("fake-core: no kallsyms tables in the ");
}
END_TEST

/* The scan stops at init_top_pgt, the image's .data. */
START_TEST(test_shape_bounded)
{
	lay510(KBASE + 0x8000, 300);
	set_vmcoreinfo_510("SYMBOL(init_top_pgt)=ffffffff81004000\n");
	assert_510_refused("fake-core: no kallsyms tables in the 16384 "
	    "bytes of the kernel image from 0xffffffff81000000");
}
END_TEST

START_TEST(test_shape_no_image)
{
	lay510(KBASE + 0x8000, 300);
	snprintf(vmci, sizeof(vmci), "OSRELEASE=5.10.0-kmemstat-test\n");
	assert_510_refused("fake-core: VMCOREINFO has no "
	    "SYMBOL(kallsyms_names), no SYMBOL(_stext) and no KERNELOFFSET");
}
END_TEST

Suite *
suite_kallsyms(void)
{
	Suite *s = suite_create("kallsyms");
	TCase *tc = tcase_create("hostile");

	tcase_add_checked_fixture(tc, setup, NULL);
	/* expanding 510-character names: 7 s under ASan on a loaded machine */
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_control_loads);
	tcase_add_test(tc, test_token_index_out_of_range);
	tcase_add_test(tc, test_token_without_nul);
	tcase_add_test(tc, test_count_absurd);
	tcase_add_test(tc, test_stream_truncated);
	tcase_add_test(tc, test_name_past_stream);
	tcase_add_test(tc, test_empty_name);
	tcase_add_test(tc, test_name_too_long);
	tcase_add_test(tc, test_expanded_names_bounded);
	tcase_add_test(tc, test_length_three_bytes);
	tcase_add_test(tc, test_unprintable_token);
	tcase_add_test(tc, test_stext_mismatch);
	tcase_add_test(tc, test_missing_symbol);
	tcase_add_test(tc, test_namelist_says_both);
	tcase_add_test(tc, test_place_relative_loads);
	tcase_add_test(tc, test_place_relative_stext_mismatch);
	tcase_add_test(tc, test_place_relative_offsets_cut);
	tcase_add_test(tc, test_no_addresses);
	suite_add_tcase(s, tc);
	tc = tcase_create("shape");
	tcase_add_checked_fixture(tc, setup510, NULL);
	tcase_add_test(tc, test_shape_control);
	tcase_add_test(tc, test_shape_markers_broken);
	tcase_add_test(tc, test_shape_count_wrong);
	tcase_add_test(tc, test_shape_names_off_markers);
	tcase_add_test(tc, test_shape_truncated);
	tcase_add_test(tc, test_shape_bounded);
	tcase_add_test(tc, test_shape_no_image);
	suite_add_tcase(s, tc);
	return s;
}
