/*
 * The ORC unwinder (orc.c) on a kernel made here: 64 KiB of "text" with
 * a scheduler range, ORC tables in the 6.1 format (sorted .orc_unwind_ip,
 * .orc_unwind, orc_lookup[] filled as unwind_init() fills it), a task
 * sleeping on a 16 KiB stack, and the types from a minimal BTF in the
 * kernel's 6.1 layout (inactive_task_frame, pt_regs).  Then the stack
 * and the tables are broken: a frame that does not move, a stack that
 * returns to the scheduler forever, an sp that leaves the stack, lookup
 * indexes out of the tables.  Each must end in an error, never a hang.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/btf.h>

#include "sym_private.h"
#include "suites.h"
#include "util.h"

#define TEXT		0xffffffff81000000ULL	/* _stext */
#define TEXTSZ		0x10000
#define SCHED		(TEXT + 0x1000)		/* __sched_text_start */
#define SCHED_END	(TEXT + 0x2000)
#define SLEEPFN		(TEXT + 0x4000)		/* "hrtimer_nanosleep" */
#define ENTRYFN		(TEXT + 0x5000)		/* end of the stack */
#define DATA		0xffffffff82000000ULL
#define IPTAB		DATA
#define ORCTAB		(DATA + 0x1000)
#define LOOKUP		(DATA + 0x2000)
#define NBLOCKS		(TEXTSZ / 256 + 1)
#define NUMBLOCKS	(DATA + 0x3000)		/* lookup_num_blocks */
#define TASK		0xffff888000100000ULL
#define STACK		0xffffc90000004000ULL
#define STACKSZ		0x4000
#define FRAME		(STACK + STACKSZ - 0x800)	/* thread.sp */

/* task_struct, inactive_task_frame (6.1: r15 r14 r13 r12 bx bp ret_addr)
 * and pt_regs offsets of our fake. */
enum { T_STATE = 0, T_ONRQ = 4, T_STACK = 8, T_THREAD = 0x10, T_SIZE = 0x20,
	F_BP = 40, F_RET = 48, F_SIZE = 56 };

static unsigned char data[0x4000], task[T_SIZE], stack[STACKSZ];
/* 0: union thread_union in the BTF; else no such type, and the init
 * stack's symbols spelt as 6.10 does (1), as 6.1 does (2), or absent (3) */
static int stack_syms;

static unsigned char *
where(uint64_t addr, size_t len)
{
	if (addr >= DATA && addr + len <= DATA + sizeof(data))
		return data + (addr - DATA);
	if (addr >= TASK && addr + len <= TASK + sizeof(task))
		return task + (addr - TASK);
	if (addr >= STACK && addr + len <= STACK + sizeof(stack))
		return stack + (addr - STACK);
	return NULL;
}

static int
fake_read(sym_t *h, uint64_t addr, void *buf, size_t len)
{
	unsigned char *p = where(addr, len);

	if (p == NULL) {
		_sym_err(h, "fake: 0x%llx: not in any segment",
		    (unsigned long long)addr);
		return -1;
	}
	memcpy(buf, p, len);
	return 0;
}

static const struct sym_memops fake_ops = {
	.name = "fake-orc", .src = SYM_SRC_CORE, .read = fake_read,
};

static void
put(uint64_t addr, const void *v, size_t len)
{
	memcpy(where(addr, len), v, len);
}

static void
put64(uint64_t addr, uint64_t v)
{
	put(addr, &v, 8);
}

/* ---- the ORC tables: { ip, sp_reg, sp_offset, bp_reg, bp_offset,
 * type, end } in the 4.14-6.2 format ---- */
struct ent {
	uint64_t ip;
	unsigned sp_reg;
	int sp_off;
	unsigned bp_reg;
	int bp_off;
	unsigned type, end;
};

static void make_kernel_with(size_t i, const struct ent *e);

static struct ent ents[] = {
	{ TEXT, 5, 8, 0, 0, 0, 0 },		/* sp+8, a leaf */
	/* __schedule: pushed bp, then called: sp+16, bp at prev_sp-16 */
	{ SCHED, 5, 16, 1, -16, 0, 0 },
	{ SCHED + 0x800, 5, 8, 0, 0, 0, 0 },	/* schedule */
	{ SLEEPFN, 5, 8, 0, 0, 0, 0 },
	{ ENTRYFN, 0, 0, 0, 0, 0, 1 },		/* UNWIND_HINT_EMPTY */
	{ TEXT + TEXTSZ, 0, 0, 0, 0, 0, 0 },	/* the terminator */
};
#define NENTS	(sizeof(ents) / sizeof(ents[0]))

static void
make_tables(void)
{
	uint32_t i, b, at;
	int32_t rel;
	int16_t off;
	uint16_t fl;

	for (i = 0; i < NENTS; i++) {
		rel = (int32_t)(ents[i].ip - (IPTAB + 4ULL * i));
		put(IPTAB + 4ULL * i, &rel, 4);
		off = (int16_t)ents[i].sp_off;
		put(ORCTAB + 6ULL * i, &off, 2);
		off = (int16_t)ents[i].bp_off;
		put(ORCTAB + 6ULL * i + 2, &off, 2);
		fl = (uint16_t)(ents[i].sp_reg | ents[i].bp_reg << 4 |
		    ents[i].type << 8 | ents[i].end << 10);
		put(ORCTAB + 6ULL * i + 4, &fl, 2);
	}
	/* unwind_init(): per block, the last entry at or below its start */
	for (b = 0; b < NBLOCKS; b++) {
		for (at = 0, i = 0; i < NENTS; i++)
			if (ents[i].ip <= TEXT + 256ULL * b)
				at = i;
		put(LOOKUP + 4ULL * b, &at, 4);
	}
	b = NBLOCKS;
	put(NUMBLOCKS, &b, 4);
	data[NUMBLOCKS + 8 - DATA] = 1;		/* orc_init */
}

/*
 * A task in S, switched out in __schedule: the frame switch_to left at
 * thread.sp, then schedule's return address, then hrtimer_nanosleep's.
 */
static void
make_kernel(void)
{
	make_kernel_with(NENTS, NULL);
}

/* The same with ORC entry i written as e instead. */
static void
make_kernel_with(size_t i, const struct ent *e)
{
	struct ent keep;

	if (e != NULL) {
		keep = ents[i];
		ents[i] = *e;
	}
	uint64_t sp = FRAME + F_SIZE;

	memset(data, 0, sizeof(data));
	memset(task, 0, sizeof(task));
	memset(stack, 0, sizeof(stack));
	make_tables();
	task[T_STATE] = 1;			/* TASK_INTERRUPTIBLE */
	put64(TASK + T_STACK, STACK);
	put64(TASK + T_THREAD, FRAME);
	put64(FRAME + F_BP, 0x1234);
	put64(FRAME + F_RET, SCHED + 0x100);	/* in __schedule */
	put64(sp, 0x5678);			/* __schedule's saved bp */
	put64(sp + 8, SCHED + 0x900);		/* into schedule */
	put64(sp + 16, SLEEPFN + 0x10);		/* into hrtimer_nanosleep */
	if (e != NULL)
		ents[i] = keep;
}

static void
field(struct btf *b, const char *name, int type, unsigned off)
{
	ck_assert_int_eq(btf__add_field(b, name, type, off * 8, 0), 0);
}

static struct btf *
make_btf(void)
{
	static const char *const regs[] = { "r15", "r14", "r13", "r12", "bp",
	    "bx", "r11", "r10", "r9", "r8", "ax", "cx", "dx", "si", "di",
	    "orig_ax", "ip", "cs", "flags", "sp", "ss" };
	struct btf *b = btf__new_empty();
	int i32, u32, u64, ptr, th, arr;
	size_t i;

	ck_assert_ptr_nonnull(b);
	i32 = btf__add_int(b, "int", 4, BTF_INT_SIGNED);
	u32 = btf__add_int(b, "unsigned int", 4, 0);
	u64 = btf__add_int(b, "long unsigned int", 8, 0);
	ptr = btf__add_ptr(b, 0);
	th = btf__add_struct(b, "thread_struct", 8);
	field(b, "sp", u64, 0);
	btf__add_struct(b, "task_struct", T_SIZE);
	field(b, "__state", u32, T_STATE);
	field(b, "on_rq", i32, T_ONRQ);
	field(b, "stack", ptr, T_STACK);
	field(b, "thread", th, T_THREAD);
	btf__add_struct(b, "inactive_task_frame", F_SIZE);
	field(b, "bp", u64, F_BP);
	field(b, "ret_addr", u64, F_RET);
	btf__add_struct(b, "pt_regs", 8 * 21);
	for (i = 0; i < sizeof(regs) / sizeof(regs[0]); i++)
		field(b, regs[i], u64, (unsigned)(8 * i));
	arr = btf__add_array(b, i32, u64, STACKSZ / 8);
	if (stack_syms == 0) {
		btf__add_union(b, "thread_union", STACKSZ);
		field(b, "stack", arr, 0);
	}
	return b;
}

static void
sym(sym_t *h, const char *name, uint64_t addr, char type)
{
	_symtab_add(h->syms, name, addr, type, NULL, "fake.map");
}

static sym_t *
fake_handle(void)
{
	sym_t *h;

	ck_assert_ptr_nonnull(h = _sym_new(NULL));
	h->mops = &fake_ops;
	h->src = SYM_SRC_CORE;
	h->memfile = strdup("fake-orc");
	snprintf(h->release, sizeof(h->release), "6.1.0-test");
	h->syms = _symtab_new();
	h->nlpath = strdup("fake.map");
	h->nlruntime = 1;
	sym(h, "_stext", TEXT, 'T');
	sym(h, "__schedule", SCHED, 't');
	sym(h, "schedule", SCHED + 0x800, 'T');
	sym(h, "hrtimer_nanosleep", SLEEPFN, 'T');
	sym(h, "entry_SYSCALL_64", ENTRYFN, 'T');
	sym(h, "_etext", TEXT + TEXTSZ, 'T');
	sym(h, "__sched_text_start", SCHED, 'T');
	sym(h, "__sched_text_end", SCHED_END, 'T');
	sym(h, "__lock_text_start", SCHED_END, 'T');
	sym(h, "__lock_text_end", SCHED_END + 0x100, 'T');
	sym(h, "__start_orc_unwind_ip", IPTAB, 'R');
	sym(h, "__stop_orc_unwind_ip", IPTAB + 4 * NENTS, 'R');
	sym(h, "__start_orc_unwind", ORCTAB, 'R');
	sym(h, "__stop_orc_unwind", ORCTAB + 6 * NENTS, 'R');
	sym(h, "orc_lookup", LOOKUP, 'D');
	sym(h, "orc_lookup_end", LOOKUP + 4 * NBLOCKS, 'D');
	sym(h, "lookup_num_blocks", NUMBLOCKS, 'B');
	sym(h, "orc_init", NUMBLOCKS + 8, 'B');
	if (stack_syms == 1) {
		sym(h, "__start_init_stack", DATA + 0x8000, 'D');
		sym(h, "__end_init_stack", DATA + 0x8000 + STACKSZ, 'D');
	} else if (stack_syms == 2) {
		sym(h, "__start_init_task", DATA + 0x8000, 'D');
		sym(h, "__end_init_task", DATA + 0x8000 + STACKSZ, 'D');
	}
	h->btf = make_btf();
	h->btfpath = strdup("fake.btf");
	return h;
}

/* The wchan of the fake task, or -1; the error is left in h. */
static int
wchan(sym_t *h, uint64_t *ip)
{
	return _orc_wchan(h, TASK, ip);
}

START_TEST(test_good_stack)
{
	char name[64];
	uint64_t ip;
	sym_t *h;

	make_kernel();
	h = fake_handle();
	ck_assert_msg(wchan(h, &ip) == 0, "%s", sym_geterr(h));
	ck_assert_uint_eq(ip, SLEEPFN + 0x10);
	ck_assert_int_eq(_orc_name(h, ip, name, sizeof(name)), 0);
	ck_assert_str_eq(name, "hrtimer_nanosleep");
	sym_close(h);
}
END_TEST

/* get_wchan(): nothing for a runnable task, nor one without a stack. */
START_TEST(test_not_sleeping)
{
	uint64_t ip = 1;
	sym_t *h;

	make_kernel();
	task[T_STATE] = 0;
	h = fake_handle();
	ck_assert_int_eq(wchan(h, &ip), 0);
	ck_assert_uint_eq(ip, 0);
	make_kernel();
	task[T_ONRQ] = 1;
	ck_assert_int_eq(wchan(h, &ip), 0);
	ck_assert_uint_eq(ip, 0);
	make_kernel();
	put64(TASK + T_STACK, 0);		/* a zombie's freed stack */
	ck_assert_int_eq(wchan(h, &ip), 0);
	ck_assert_uint_eq(ip, 0);
	sym_close(h);
}
END_TEST

/* Only scheduler frames up to the end of the stack: get_wchan()'s loop
 * ends with the last of them. */
START_TEST(test_end_of_stack)
{
	uint64_t ip;
	sym_t *h;

	struct ent e = ents[2];

	e.sp_reg = 0;
	e.end = 1;
	make_kernel_with(2, &e);
	h = fake_handle();
	ck_assert_msg(wchan(h, &ip) == 0, "%s", sym_geterr(h));
	ck_assert_uint_eq(ip, SCHED + 0x900);
	sym_close(h);
}
END_TEST

/* The unwind of the kernel as it stands must fail, saying want. */
static void
fails(const char *want)
{
	uint64_t ip = 1;
	sym_t *h = fake_handle();

	ck_assert_int_eq(wchan(h, &ip), -1);
	ck_assert_uint_eq(ip, 0);
	tu_assert_contains(sym_geterr(h), want);
	sym_close(h);
}

/*
 * Without thread_union in the BTF (6.1, 6.12), THREAD_SIZE is the init
 * stack's extent: __{start,end}_init_stack since 8f69cba096b5 (6.10),
 * __{start,end}_init_task before.  Neither: no wchan, saying why.
 */
START_TEST(test_thread_size_from_symbols)
{
	uint64_t ip;
	sym_t *h;

	make_kernel();
	for (stack_syms = 1; stack_syms <= 2; stack_syms++) {
		h = fake_handle();
		ck_assert_msg(wchan(h, &ip) == 0, "%d: %s", stack_syms,
		    sym_geterr(h));
		ck_assert_uint_eq(ip, SLEEPFN + 0x10);
		tu_assert_contains(sym_findings(h), stack_syms == 1 ?
		    "16384 (__start_init_stack" : "16384 (__start_init_task");
		sym_close(h);
	}
	stack_syms = 3;
	h = fake_handle();
	ck_assert_int_eq(wchan(h, &ip), -1);
	tu_assert_contains(sym_geterr(h), "THREAD_SIZE unknown");
	tu_assert_contains(sym_geterr(h), "__start_init_stack");
	sym_close(h);
	stack_syms = 0;
}
END_TEST

/*
 * .orc_header names the format (b9f174c811e3): with 7.x's hash the
 * entries are format 3 with the base registers renumbered (SP 3, BP 4,
 * PREV_SP 8, as 7.2.12's tables use them); a hash no table lists is
 * refused, naming it.
 */
#define ORCHDR	(DATA + 0x3100)
static const uint8_t hash_7x[20] = { 0x13, 0x7c, 0x36, 0xad, 0x76, 0x27,
	0xc4, 0xdd, 0x55, 0x93, 0x21, 0x76, 0xbb, 0x0e, 0xcd, 0xbd, 0x50, 0x41,
	0xfc, 0x82 };

static void
make_tables_7x(void)
{
	static const uint8_t to7x[] = { [0] = 0, [1] = 8, [4] = 4, [5] = 3 };
	uint16_t fl, type;
	uint32_t i;

	for (i = 0; i < NENTS; i++) {
		type = ents[i].end ? 1 : ents[i].sp_reg == 0 ? 0 :
		    (uint16_t)(2 + ents[i].type);
		fl = (uint16_t)(to7x[ents[i].sp_reg] |
		    to7x[ents[i].bp_reg] << 4 | type << 8);
		put(ORCTAB + 6ULL * i + 4, &fl, 2);
	}
	put(ORCHDR, hash_7x, sizeof(hash_7x));
}

START_TEST(test_orc_header)
{
	uint64_t ip;
	sym_t *h;

	make_kernel();
	make_tables_7x();
	h = fake_handle();
	sym(h, "__start_orc_header", ORCHDR, 'R');
	sym(h, "__stop_orc_header", ORCHDR + 20, 'R');
	ck_assert_msg(wchan(h, &ip) == 0, "%s", sym_geterr(h));
	ck_assert_uint_eq(ip, SLEEPFN + 0x10);
	tu_assert_contains(sym_findings(h), "format 3 (from .orc_header: 7.x");
	sym_close(h);
	/* the same tables read as 6.4's numbering do not unwind */
	put(ORCHDR, "unknown orc header!!", 20);
	h = fake_handle();
	sym(h, "__start_orc_header", ORCHDR, 'R');
	sym(h, "__stop_orc_header", ORCHDR + 20, 'R');
	ck_assert_int_eq(wchan(h, &ip), -1);
	tu_assert_contains(sym_geterr(h), "a hash this kmemstat doesn't know "
	    "(756e6b6e...)");
	sym_close(h);
}
END_TEST

/* A frame that does not move the stack pointer would loop forever. */
START_TEST(test_frame_does_not_move)
{
	struct ent e = ents[1];

	e.sp_off = 0;
	make_kernel_with(1, &e);
	fails("does not move up");
}
END_TEST

/* Each frame returns into the scheduler again: bounded by frames. */
START_TEST(test_stack_loops_in_scheduler)
{
	uint64_t a;

	make_kernel();
	for (a = FRAME + F_SIZE + 8; a < STACK + STACKSZ; a += 8)
		put64(a, SCHED + 0x900);
	fails("64 frames");
}
END_TEST

/* thread.sp outside task->stack. */
START_TEST(test_thread_sp_outside)
{
	make_kernel();
	put64(TASK + T_THREAD, STACK + STACKSZ + 0x100);
	fails("outside its stack");
}
END_TEST

/* An sp_offset that takes the next frame past the stack's end. */
START_TEST(test_sp_leaves_stack)
{
	struct ent e = ents[2];

	e.sp_off = 0x7000;
	make_kernel_with(2, &e);
	fails("outside its stack");
}
END_TEST

/* orc_lookup[] naming an entry past the tables. */
START_TEST(test_lookup_out_of_range)
{
	uint32_t bad = 0xfffffff0;

	make_kernel();
	put(LOOKUP + 4ULL * ((SCHED + 0xff - TEXT) / 256), &bad, 4);
	fails("outside the 6 ORC entries");
}
END_TEST

/* lookup_num_blocks that the text can't have; the error stays. */
START_TEST(test_num_blocks_implausible)
{
	uint32_t bad = 0x7fffffff;
	uint64_t ip;
	sym_t *h;

	make_kernel();
	put(NUMBLOCKS, &bad, 4);
	h = fake_handle();
	ck_assert_int_eq(wchan(h, &ip), -1);
	h->errbuf[0] = '\0';
	ck_assert_int_eq(wchan(h, &ip), -1);
	tu_assert_contains(sym_geterr(h), "lookup_num_blocks");
	sym_close(h);
}
END_TEST

/* An entry of a type the format does not have. */
START_TEST(test_unknown_type)
{
	struct ent e = ents[1];

	e.type = 3;
	make_kernel_with(1, &e);
	fails("unknown type");
}
END_TEST

/*
 * Before 5.16 (no __get_wchan) get_wchan() walks frame pointers, which
 * an ORC kernel does not keep: /proc/PID/wchan says 0 for the same
 * sleeping task.  With both symbols it is the unwind above.
 */
START_TEST(test_frame_pointer_get_wchan)
{
	uint64_t ip = 1;
	sym_t *h;

	make_kernel();
	h = fake_handle();
	sym(h, "get_wchan", TEXT + 0x6000, 'T');
	ck_assert_int_eq(wchan(h, &ip), 0);
	ck_assert_uint_eq(ip, 0);
	sym_close(h);
	h = fake_handle();
	sym(h, "get_wchan", TEXT + 0x6000, 'T');
	sym(h, "__get_wchan", TEXT + 0x6100, 'T');
	ck_assert_msg(wchan(h, &ip) == 0, "%s", sym_geterr(h));
	ck_assert_uint_eq(ip, SLEEPFN + 0x10);
	sym_close(h);
}
END_TEST

/* The symbol cache says __get_wchan is absent: believed, no reload. */
START_TEST(test_cached_absence)
{
	uint64_t a, ip = 1;
	sym_t *h;

	make_kernel();
	h = fake_handle();
	h->from_cache = 1;
	sym(h, "get_wchan", TEXT + 0x6000, 'T');
	sym(h, "__get_wchan", 0, SYM_ABSENT);
	ck_assert_int_eq(_sym_probe(h, "__get_wchan", &a), -1);
	tu_assert_contains(sym_geterr(h), "__get_wchan: not in the kernel "
	    "(the cache fake.map says so)");
	ck_assert_int_eq(wchan(h, &ip), 0);
	ck_assert_uint_eq(ip, 0);
	sym_close(h);
}
END_TEST

Suite *
suite_orc(void)
{
	Suite *s = suite_create("orc");
	TCase *tc = tcase_create("unwind");
	TCase *th = tcase_create("hostile");

	tcase_add_test(tc, test_good_stack);
	tcase_add_test(tc, test_not_sleeping);
	tcase_add_test(tc, test_end_of_stack);
	tcase_add_test(tc, test_frame_pointer_get_wchan);
	tcase_add_test(tc, test_cached_absence);
	tcase_add_test(tc, test_thread_size_from_symbols);
	tcase_add_test(tc, test_orc_header);
	suite_add_tcase(s, tc);
	tcase_add_test(th, test_frame_does_not_move);
	tcase_add_test(th, test_stack_loops_in_scheduler);
	tcase_add_test(th, test_thread_sp_outside);
	tcase_add_test(th, test_sp_leaves_stack);
	tcase_add_test(th, test_lookup_out_of_range);
	tcase_add_test(th, test_num_blocks_implausible);
	tcase_add_test(th, test_unknown_type);
	suite_add_tcase(s, th);
	return s;
}
