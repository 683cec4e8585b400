/*
 * Uptime (uptime.c) on a fake kernel: the timekeeper where each kernel
 * keeps it, and the jiffies fallback's tick length; ps's boot time and
 * pid_max (ktasks.c) from the same kernel.  A 7.x kernel has no
 * tk_core but timekeeper_data[] of struct tk_data (22c62b9a84b8, 6.17),
 * and no tick_nsec (a849a0273d0f, 6.13): clocksource_jiffies's mult is
 * TICK_NSEC << JIFFIES_SHIFT.  Expected values come from the kernel's
 * arithmetic on the values planted, never from kmemstat.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/btf.h>

#include "sym_private.h"
#include "suites.h"
#include "util.h"

#define KBASE		0xffffffff82000000ULL
#define MEMSZ		0x2000
#define A_TK		(KBASE + 0x100)	/* tk_core or timekeeper_data */
#define A_JIFFIES	(KBASE + 0x1000)
#define A_TICK		(KBASE + 0x1100)
#define A_CSJ		(KBASE + 0x1200)	/* clocksource_jiffies */
#define A_RAM		(KBASE + 0x1300)	/* _totalram_pages */
#define A_PIDNS		(KBASE + 0x1400)	/* init_pid_ns */
#define NS_PIDMAX	180			/* pid_namespace.pid_max */
/* struct timekeeper, as 7.2's BTF lays it out */
#define TK_SHIFT	28
#define TK_XNSEC	32
#define TK_BASE		40
#define TK_XSEC		56
#define TK_REAL		88
#define TK_BOOT		96
#define TK_SIZE		304
/* where struct tk_data puts the timekeeper: not the alignment rule's 8 */
#define TKD_TK		64
#define CS_MULT		0x18
#define CS_SHIFT	0x1c
/* (unsigned int)(-300 * HZ): INITIAL_JIFFIES */
#define INITIAL(hz)	((uint64_t)(uint32_t)(-300 * (int64_t)(hz)))

static unsigned char mem[MEMSZ];

static void
put(uint64_t addr, uint64_t v, size_t len)
{
	tu_flat_put(addr, &v, len);
}

/* The timekeeper at tk: 41.5 s monotonic, 2 s suspended, wall 1.7e9 s. */
static void
put_timekeeper(uint64_t tk)
{
	put(A_TK, 2, 4);			/* seqcount: even, still */
	put(tk + TK_SHIFT, 8, 4);
	put(tk + TK_XNSEC, 500000000ULL << 8, 8);
	put(tk + TK_BASE, 41000000000ULL, 8);
	put(tk + TK_XSEC, 1700000000ULL, 8);
	put(tk + TK_BOOT, 2000000000ULL, 8);
	/* boot at 1699999950.75 s of the epoch: offs_real - offs_boot */
	put(tk + TK_REAL, 1699999952750000000ULL, 8);
}

/* clocksource_jiffies of HZ 250: mult TICK_NSEC << JIFFIES_SHIFT (8). */
static void
put_clocksource(uint32_t shift)
{
	put(A_CSJ + CS_MULT, 4000000ULL << 8, 4);
	put(A_CSJ + CS_SHIFT, shift, 4);
}

/* A struct of the named members; its type id. */
static int
add_fields(struct btf *b, const char *name, unsigned size,
    const char *const *names, const int *types, const unsigned *offs)
{
	size_t i;
	int id = btf__add_struct(b, name, size);

	ck_assert_int_gt(id, 0);
	for (i = 0; names[i] != NULL; i++)
		ck_assert_int_eq(btf__add_field(b, names[i], types[i],
		    offs[i] * 8, 0), 0);
	return id;
}

/* What each test's kernel has in its BTF. */
enum { WITH_TK = 1, WITH_TKDATA = 2, WITH_SEQCOUNT = 4, WITH_CS = 8,
    WITH_PIDNS = 16 };

static struct btf *
make_btf(int with)
{
	struct btf *b = btf__new_empty();
	int u32, s64, u64, rb, tk = 0, seq;

	ck_assert_ptr_nonnull(b);
	u32 = btf__add_int(b, "unsigned int", 4, 0);
	s64 = btf__add_int(b, "long long", 8, BTF_INT_SIGNED);
	u64 = btf__add_int(b, "u64", 8, 0);
	{
		const char *const n[] = { "shift", "xtime_nsec", "base", NULL };
		const int t[] = { u32, u64, s64 };
		const unsigned o[] = { TK_SHIFT, TK_XNSEC, TK_BASE };

		rb = add_fields(b, "tk_read_base", 56, n, t, o);
	}
	if (with & WITH_TK) {
		const char *const n[] = { "tkr_mono", "xtime_sec", "offs_real",
		    "offs_boot", NULL };
		const int t[] = { rb, u64, s64, s64 };
		const unsigned o[] = { 0, TK_XSEC, TK_REAL, TK_BOOT };

		tk = add_fields(b, "timekeeper", TK_SIZE, n, t, o);
	}
	if (with & WITH_TKDATA) {
		const char *const n[] = { "seq", "timekeeper", NULL };
		const int t[] = { u32, tk };
		const unsigned o[] = { 0, TKD_TK };

		add_fields(b, "tk_data", 640, n, t, o);
	}
	if (with & WITH_SEQCOUNT) {
		const char *const n[] = { "sequence", NULL };
		const int t[] = { u32 };
		const unsigned o[] = { 0 };

		seq = add_fields(b, "seqcount_raw_spinlock", 4, n, t, o);
		ck_assert_int_gt(btf__add_typedef(b, "seqcount_raw_spinlock_t",
		    seq), 0);
	}
	if (with & WITH_CS) {
		const char *const n[] = { "mult", "shift", NULL };
		const int t[] = { u32, u32 };
		const unsigned o[] = { CS_MULT, CS_SHIFT };

		add_fields(b, "clocksource", 0x100, n, t, o);
	}
	if (with & WITH_PIDNS) {
		const char *const n[] = { "pid_max", NULL };
		const int t[] = { u32 };
		const unsigned o[] = { NS_PIDMAX };

		add_fields(b, "pid_namespace", 0x100, n, t, o);
	}
	return b;
}

static char *explained;
static size_t explained_len;
static FILE *explain_fp;

/* syms: "name" entries at the addresses above, NULL-terminated. */
static sym_t *
fake_handle(const char *const *syms, int with, int live)
{
	static const struct { const char *name; uint64_t addr; } at[] = {
		{ "tk_core", A_TK }, { "timekeeper_data", A_TK },
		{ "jiffies_64", A_JIFFIES }, { "tick_nsec", A_TICK },
		{ "clocksource_jiffies", A_CSJ },
		{ "_totalram_pages", A_RAM }, { "init_pid_ns", A_PIDNS },
	};
	sym_t *h;
	size_t i, j;

	explain_fp = open_memstream(&explained, &explained_len);
	ck_assert_ptr_nonnull(h = _sym_new(explain_fp));
	h->mops = &tu_flat_ops;
	h->src = SYM_SRC_CORE;
	h->live = live;
	h->memfile = strdup("fake-core");
	h->syms = _symtab_new();
	for (i = 0; syms[i] != NULL; i++)
		for (j = 0; j < sizeof(at) / sizeof(at[0]); j++)
			if (strcmp(syms[i], at[j].name) == 0)
				_symtab_add(h->syms, at[j].name, at[j].addr,
				    'b', NULL, "fake.map");
	_symtab_add(h->syms, "avenrun", KBASE, 'B', NULL, "fake.map");
	h->nlpath = strdup("fake.map");
	h->nlruntime = 1;
	h->btf = make_btf(with);
	h->btfpath = strdup("fake.btf");
	return h;
}

static void
done(sym_t *h)
{
	sym_close(h);
	fclose(explain_fp);
	free(explained);
	explained = NULL;
}

static void
setup(void)
{
	memset(mem, 0, sizeof(mem));
	tu_flat = (struct tu_flat){ KBASE, mem, MEMSZ, MEMSZ };
}

/* 7.x: timekeeper_data[0], the timekeeper where struct tk_data says. */
START_TEST(test_timekeeper_data)
{
	static const char *const syms[] = { "timekeeper_data", NULL };
	struct sym_uptime up;
	sym_t *h;

	put_timekeeper(A_TK + TKD_TK);
	h = fake_handle(syms, WITH_TK | WITH_TKDATA, 0);
	ck_assert_msg(sym_uptime(h, &up) == 0, "%s", sym_geterr(h));
	/* base 41 s + xtime_nsec >> shift 0.5 s + offs_boot 2 s */
	ck_assert_double_eq_tol(up.uptime, 43.5, 1e-9);
	ck_assert_double_eq_tol(up.now, 1700000000.5, 1e-3);
	fflush(explain_fp);
	tu_assert_contains(explained, "timekeeper: timekeeper_data at "
	    "0xffffffff82000100");
	done(h);
}
END_TEST

/* Before 6.17: tk_core, the timekeeper past the seqcount, aligned. */
START_TEST(test_tk_core)
{
	static const char *const syms[] = { "tk_core", NULL };
	struct sym_uptime up;
	sym_t *h;

	put_timekeeper(A_TK + 8);
	h = fake_handle(syms, WITH_TK | WITH_SEQCOUNT, 0);
	ck_assert_msg(sym_uptime(h, &up) == 0, "%s", sym_geterr(h));
	ck_assert_double_eq_tol(up.uptime, 43.5, 1e-9);
	done(h);
}
END_TEST

START_TEST(test_no_timekeeper)
{
	static const char *const syms[] = { NULL };
	struct sym_uptime up;
	sym_t *h = fake_handle(syms, WITH_TK | WITH_TKDATA, 0);

	ck_assert_int_eq(sym_uptime(h, &up), -1);
	ck_assert_str_eq(sym_geterr(h), "fake.map: neither tk_core nor "
	    "timekeeper_data (22c62b9a84b8, 6.17): no timekeeper");
	done(h);
}
END_TEST

/* A live kernel without a timekeeper: the uptime from jiffies. */
static double
live_uptime(const char *const *syms)
{
	struct sym_uptime up;
	sym_t *h = fake_handle(syms, WITH_CS, 1);

	ck_assert_msg(sym_uptime(h, &up) == 0, "%s", sym_geterr(h));
	done(h);
	return up.uptime;
}

/* Live, no timekeeper, no tick_nsec: TICK_NSEC from the jiffies
 * clocksource, HZ 250. */
START_TEST(test_jiffies_clocksource)
{
	static const char *const syms[] = { "jiffies_64",
	    "clocksource_jiffies", NULL };

	put_clocksource(8);
	put(A_JIFFIES, INITIAL(250) + 250 * 100 + 3, 8);
	ck_assert_double_eq_tol(live_uptime(syms), 100.01, 1e-9);
}
END_TEST

/* Before 6.13, tick_nsec itself: HZ 100. */
START_TEST(test_jiffies_tick_nsec)
{
	static const char *const syms[] = { "jiffies_64", "tick_nsec",
	    "clocksource_jiffies", NULL };

	put(A_TICK, 10000000, 8);
	put(A_JIFFIES, INITIAL(100) + 700, 8);
	ck_assert_double_eq_tol(live_uptime(syms), 7.0, 1e-9);
}
END_TEST

/* Neither way: both reasons, and the missing tick named as such. */
START_TEST(test_no_tick)
{
	static const char *const syms[] = { "jiffies_64", NULL };
	struct sym_uptime up;
	sym_t *h = fake_handle(syms, WITH_CS, 1);

	ck_assert_int_eq(sym_uptime(h, &up), -1);
	tu_assert_contains(sym_geterr(h), "no timekeeper; and jiffies: "
	    "fake.map: neither tick_nsec (gone since a849a0273d0f, 6.13) nor "
	    "clocksource_jiffies: no tick length");
	ck_assert_ptr_null(strstr(sym_geterr(h), "KALLSYMS_ALL"));
	done(h);
}
END_TEST

/* A name missing from a /proc/kallsyms that lists data symbols is not
 * CONFIG_KALLSYMS_ALL's fault; from one without any, it may be. */
START_TEST(test_miss_blames_kallsyms_all)
{
	static const char *const syms[] = { NULL };
	struct sym_info si;
	sym_t *h = fake_handle(syms, 0, 1);

	ck_assert_int_eq(sym_lookup(h, "tick_nsec", &si), -1);
	ck_assert_str_eq(sym_geterr(h), "tick_nsec: not in fake.map: this "
	    "kernel has no such symbol");
	_symtab_free(h->syms);
	h->syms = _symtab_new();
	_symtab_add(h->syms, "schedule", KBASE, 'T', NULL, "fake.map");
	ck_assert_int_eq(sym_lookup(h, "tick_nsec", &si), -1);
	ck_assert_str_eq(sym_geterr(h), "tick_nsec: not in fake.map (data "
	    "symbols need CONFIG_KALLSYMS_ALL)");
	done(h);
}
END_TEST

/* A hostile jiffies clocksource: a shift past 31. */
START_TEST(test_clocksource_bad_shift)
{
	static const char *const syms[] = { "jiffies_64",
	    "clocksource_jiffies", NULL };
	struct sym_uptime up;
	sym_t *h;

	put_clocksource(40);
	h = fake_handle(syms, WITH_CS, 1);
	ck_assert_int_eq(sym_uptime(h, &up), -1);
	tu_assert_contains(sym_geterr(h), "clocksource_jiffies at "
	    "0xffffffff82001200: shift 40 is not a shift");
	done(h);
}
END_TEST

/* ps's facts on 7.x: btime from timekeeper_data, pid_max in the
 * namespace (7863dcc72d0f, 6.14), no pid_max variable. */
START_TEST(test_psinfo)
{
	static const char *const syms[] = { "timekeeper_data",
	    "_totalram_pages", "init_pid_ns", NULL };
	struct sym_psinfo ps;
	sym_t *h;

	put_timekeeper(A_TK + TKD_TK);
	put(A_RAM, 65536, 8);
	put(A_PIDNS + NS_PIDMAX, 500000, 4);
	h = fake_handle(syms, WITH_TK | WITH_TKDATA | WITH_PIDNS, 0);
	ck_assert_msg(sym_psinfo(h, &ps) == 0, "%s", sym_geterr(h));
	/* ktime_to_timespec64 rounds down: 1699999950 */
	ck_assert_uint_eq(ps.boot_time, 1699999950ULL);
	ck_assert_int_eq(ps.pid_max, 500000);
	ck_assert_uint_eq(ps.memtotal_kb, 65536 * 4);
	done(h);
}
END_TEST

Suite *
suite_uptime(void)
{
	Suite *s = suite_create("uptime");
	TCase *tc = tcase_create("timekeeper");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_timekeeper_data);
	tcase_add_test(tc, test_tk_core);
	tcase_add_test(tc, test_no_timekeeper);
	tcase_add_test(tc, test_jiffies_clocksource);
	tcase_add_test(tc, test_jiffies_tick_nsec);
	tcase_add_test(tc, test_no_tick);
	tcase_add_test(tc, test_clocksource_bad_shift);
	tcase_add_test(tc, test_psinfo);
	tcase_add_test(tc, test_miss_blames_kallsyms_all);
	suite_add_tcase(s, tc);
	return s;
}
