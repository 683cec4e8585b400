/*
 * WCHAN out of kernel memory: an x86-64 ORC unwind of a sleeping task's
 * stack over the kernel's own tables, as /proc/PID/wchan gets it.
 *
 * x86-64 kernels since 4.14 (ee9f8fce9964, "x86/unwind: Add the ORC
 * unwinder") keep, for every instruction range of the core text, how to
 * find the caller's frame: .orc_unwind_ip (int32 offsets, each relative
 * to its own slot, sorted) beside .orc_unwind (struct orc_entry), and
 * orc_lookup[], one index into them per 256-byte block of text from
 * _stext (LOOKUP_BLOCK_SIZE), filled at boot by unwind_init().  This file
 * reads those tables with sym_read and walks the frames as
 * arch/x86/kernel/unwind_orc.c (6.1) does, then does what get_wchan()
 * (kernel/sched/core.c, 5.16+) and x86's __get_wchan()
 * (arch/x86/kernel/process.c) do: only for a task that is neither
 * TASK_RUNNING nor TASK_WAKING nor on a runqueue; the first return
 * address outside the scheduler (__sched_text, __lock_text) is it.
 * That is 5.16 and later: bc9bbb81730e ("x86: Fix get_wchan() to
 * support the ORC unwinder") and 42a20f86dc19 ("sched: Add wrapper for
 * get_wchan() to keep task blocked"); 6.1's __get_wchan() loops over
 * unwind_next_frame() as below.  Older kernels walked frame pointers,
 * which an ORC kernel does not keep: their /proc/PID/wchan says "0"
 * (5.10 in QEMU: every task), and so does _orc_wchan() there.
 *
 * Everything read is hostile: the frames are bounded (ORC_MAX_FRAMES),
 * every stack read must lie in the task's stack (task->stack ..
 * + THREAD_SIZE, the only stack get_stack_info() accepts for a task that
 * is not current), the stack pointer must grow with each frame, the
 * lookup indexes must lie inside the tables and each binary search is
 * bounded by the table's size.  A walk that breaks any of these stops
 * with an error naming the address and the reason.
 *
 * Modules: the walk stops at the first return address outside the
 * scheduler, and module code is never scheduler code, so it only ever
 * looks up core-text entries: the modules' own tables
 * (mod->arch.orc_unwind) are never needed.  A return address in module
 * space is named from the namelist's module symbols, or not at all.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sym_private.h"

#define ORC_MAX_FRAMES		64	/* __get_wchan stops far sooner */
#define ORC_ENTRY_SIZE		6	/* s16 sp_offset, s16 bp_offset, u16 */
#define ORC_LOOKUP_BLOCK	256	/* LOOKUP_BLOCK_SIZE, orc_lookup.h */
#define ORC_MEMO		512	/* looked-up entries kept, by ip */
#define ORC_MAX_ENTRIES		(64U << 20)	/* bound on a hostile table */
#define ORC_HEAD_MAX		4096	/* task_struct bytes up to those read */

/* include/linux/sched.h: what get_wchan() refuses to unwind. */
#define TASK_RUNNING		0x0000
#define TASK_WAKING		0x0200

/* x86-64 MODULES_VADDR .. MODULES_END (KERNEL_IMAGE_SIZE 1 GiB, KASLR). */
#define MODULES_VADDR		0xffffffffc0000000ULL
#define MODULES_END		0xffffffffff000000ULL

/* arch/x86/include/asm/orc_types.h: base registers (same in every
 * version so far). */
enum {
	ORC_REG_UNDEFINED = 0, ORC_REG_PREV_SP = 1, ORC_REG_DX = 2,
	ORC_REG_DI = 3, ORC_REG_BP = 4, ORC_REG_SP = 5, ORC_REG_R10 = 6,
	ORC_REG_R13 = 7, ORC_REG_BP_INDIRECT = 8, ORC_REG_SP_INDIRECT = 9,
};

/* Frame kinds, our own numbering; decode() maps each format to them. */
enum { K_UNDEFINED, K_END, K_CALL, K_REGS, K_REGS_PARTIAL };

struct orc_ent {
	int16_t sp_off, bp_off;
	uint8_t sp_reg, bp_reg, kind;
};

struct orc_memo {
	uint64_t ip;			/* 0: empty slot */
	struct orc_ent e;
};

/* Per handle: the tables' addresses and the layouts, found once. */
struct sym_orc {
	int ready;			/* 1 ok, -1 unusable (why says) */
	char why[SYM_ERRSIZE];
	int format;			/* 1, 2 or 3: see decode() */
	const uint8_t *regmap;		/* raw base register -> ORC_REG_, or NULL */
	int fp_wchan;			/* get_wchan() walks frame pointers */
	uint64_t ip_tab, orc_tab, lookup;
	uint32_t nentries, nblocks;
	uint64_t stext, etext;
	uint64_t sched_lo, sched_hi, lock_lo, lock_hi;
	uint64_t ret_from_fork;		/* 0 if the namelist lacks it */
	uint64_t thread_size;
	struct sym_member t_state, t_on_rq, t_stack, t_ref, t_sp;
	int have_ref;
	uint64_t head_len;		/* bytes up to __state, on_rq, stack */
	struct sym_member f_bp, f_ret;	/* struct inactive_task_frame */
	uint64_t frame_size;
	struct sym_member r_ip, r_sp, r_bp, r_r10, r_r13, r_di, r_dx;
	uint64_t regs_size;
	struct orc_memo memo[ORC_MEMO];
};

/* One walk: unwind_state, and the one stack page read last. */
struct orc_walk {
	sym_t *h;
	struct sym_orc *o;
	uint64_t task, lo, hi;		/* the stack: [lo, hi) */
	uint64_t ip, sp, bp, regs;	/* regs: pt_regs on the stack, or 0 */
	int signal, full_regs, done;
	uint64_t page;			/* address of buf, or 0 */
	unsigned char buf[SYM_PAGE_SIZE];
};

/* ---- reading ---- */

/* 8 bytes of the task's stack, through a one-page window. */
static int
stack_read(struct orc_walk *w, uint64_t addr, uint64_t *v)
{
	uint64_t base, len;

	if (addr < w->lo || addr > w->hi - 8) {
		_sym_err(w->h, "task 0x%llx: stack read at 0x%llx outside its "
		    "stack 0x%llx-0x%llx", (unsigned long long)w->task,
		    (unsigned long long)addr, (unsigned long long)w->lo,
		    (unsigned long long)w->hi);
		return -1;
	}
	base = addr & SYM_PAGE_MASK;
	if (addr + 8 > base + SYM_PAGE_SIZE)	/* straddles: read it alone */
		return sym_read(w->h, addr, v, 8);
	if (w->page != base) {
		len = SYM_PAGE_SIZE;
		if (base < w->lo || base + len > w->hi) {
			/* a stack that is not page-aligned (a fake one) */
			w->page = 0;
			return sym_read(w->h, addr, v, 8);
		}
		if (sym_read(w->h, base, w->buf, len) == -1)
			return -1;
		w->page = base;
	}
	memcpy(v, w->buf + (addr - base), 8);
	return 0;
}

/* ---- the ORC tables ---- */

/*
 * The entry's 16 bits of flags, by format (the versions are drgn's
 * naming, libdrgn/orc.h; upstream has none):
 *  1: 4.14 (ee9f8fce9964) to 6.2: sp_reg:4 bp_reg:4 type:2 end:1, type
 *     0 CALL, 1 REGS, 2 REGS_PARTIAL (REGS_IRET before 5.x); an
 *     undefined sp_reg with end set is the end of the stack, without it
 *     an error.  6.1, the tested kernel, uses this one
 *     (arch/x86/include/asm/orc_types.h of 6.1.192).
 *  2: 6.3 (ffb1b4a41016, "x86/unwind/orc: Add 'signal' field to ORC
 *     metadata"): a signal bit at 10, end moved to bit 11.
 *  3: 6.4 (fb799447ae29, "x86,objtool: Split UNWIND_HINT_EMPTY in two"):
 *     the end bit is gone; type:3 with 0 UNDEFINED, 1 END_OF_STACK,
 *     2 CALL, 3 REGS, 4 REGS_PARTIAL; signal at bit 11.
 * The signal bit itself is not used: frame kinds decide it, as in 6.1.
 */
static int
decode(int format, const uint8_t *regmap, const unsigned char *raw,
    struct orc_ent *e)
{
	uint16_t fl;
	int type, end;

	memcpy(&e->sp_off, raw, 2);
	memcpy(&e->bp_off, raw + 2, 2);
	memcpy(&fl, raw + 4, 2);
	e->sp_reg = fl & 0xf;
	e->bp_reg = (fl >> 4) & 0xf;
	if (regmap != NULL) {
		e->sp_reg = regmap[e->sp_reg];
		e->bp_reg = regmap[e->bp_reg];
	}
	if (format == 3) {
		type = (fl >> 8) & 0x7;
		e->kind = type == 0 ? K_UNDEFINED : type == 1 ? K_END :
		    type == 2 ? K_CALL : type == 3 ? K_REGS :
		    type == 4 ? K_REGS_PARTIAL : K_UNDEFINED;
		return type <= 4 ? 0 : -1;
	}
	type = (fl >> 8) & 0x3;
	end = (fl >> (format == 2 ? 11 : 10)) & 1;
	if (e->sp_reg == ORC_REG_UNDEFINED)
		e->kind = end ? K_END : K_UNDEFINED;
	else
		e->kind = type == 0 ? K_CALL : type == 1 ? K_REGS :
		    type == 2 ? K_REGS_PARTIAL : K_UNDEFINED;
	return type <= 2 ? 0 : -1;
}

/* orc_ip(): the address .orc_unwind_ip[i] stands for. */
static int
orc_ip(sym_t *h, const struct sym_orc *o, uint32_t i, uint64_t *ip)
{
	int32_t rel;

	if (sym_read(h, o->ip_tab + 4ULL * i, &rel, 4) == -1)
		return -1;
	*ip = o->ip_tab + 4ULL * i + (uint64_t)(int64_t)rel;
	return 0;
}

/*
 * __orc_find(): the rightmost entry in [first, first + n) whose address
 * is at or below ip.  Each round halves the range: at most 33 reads.
 */
static int
orc_search(sym_t *h, const struct sym_orc *o, uint32_t first, uint32_t n,
    uint64_t ip, uint32_t *found)
{
	int64_t lo = first, hi = (int64_t)first + n - 1, mid;
	uint64_t at;

	*found = first;
	while (lo <= hi) {
		mid = lo + (hi - lo) / 2;
		if (orc_ip(h, o, (uint32_t)mid, &at) == -1)
			return -1;
		if (at <= ip) {
			*found = (uint32_t)mid;
			lo = mid + 1;
		} else
			hi = mid - 1;
	}
	return 0;
}

/*
 * orc_find() for the core text: orc_lookup[] narrows the search to one
 * 256-byte block.  Other addresses (init text, modules, trampolines) are
 * never looked up: the walk stops before them (see the top).
 */
static int
orc_find(sym_t *h, struct sym_orc *o, uint64_t ip, struct orc_ent *e)
{
	struct orc_memo *m = &o->memo[(ip * 0x9e3779b97f4a7c15ULL) >> 55];
	unsigned char raw[ORC_ENTRY_SIZE];
	uint32_t idx, start, stop, at;

	if (ip < o->stext || ip >= o->etext) {
		_sym_err(h, "0x%llx: no ORC entry outside the core text "
		    "0x%llx-0x%llx", (unsigned long long)ip,
		    (unsigned long long)o->stext, (unsigned long long)o->etext);
		return -1;
	}
	if (m->ip == ip) {
		*e = m->e;
		return 0;
	}
	idx = (uint32_t)((ip - o->stext) / ORC_LOOKUP_BLOCK);
	if (idx + 1 >= o->nblocks) {
		_sym_err(h, "0x%llx: orc_lookup block %u of only %u",
		    (unsigned long long)ip, idx, o->nblocks);
		return -1;
	}
	if (_sym_read_u32(h, o->lookup + 4ULL * idx, &start) == -1 ||
	    _sym_read_u32(h, o->lookup + 4ULL * (idx + 1), &stop) == -1)
		return -1;
	if (start >= o->nentries || stop >= o->nentries || stop < start) {
		_sym_err(h, "0x%llx: orc_lookup[%u] = %u, [%u] = %u: outside "
		    "the %u ORC entries", (unsigned long long)ip, idx, start,
		    idx + 1, stop, o->nentries);
		return -1;
	}
	if (orc_search(h, o, start, stop + 1 - start, ip, &at) == -1 ||
	    sym_read(h, o->orc_tab + (uint64_t)at * ORC_ENTRY_SIZE, raw,
	    sizeof(raw)) == -1)
		return -1;
	if (decode(o->format, o->regmap, raw, e) == -1) {
		_sym_err(h, "0x%llx: ORC entry %u has an unknown type",
		    (unsigned long long)ip, at);
		return -1;
	}
	m->ip = ip;
	m->e = *e;
	return 0;
}

/* ---- one frame: unwind_next_frame() ---- */

/* A pt_regs member of the frame's saved registers. */
static int
regs_get(struct orc_walk *w, const struct sym_member *r, uint64_t *v)
{
	if (w->regs == 0 || !w->full_regs) {
		_sym_err(w->h, "task 0x%llx: ip 0x%llx needs registers the "
		    "frame did not save", (unsigned long long)w->task,
		    (unsigned long long)w->ip);
		return -1;
	}
	return stack_read(w, w->regs + r->offset, v);
}

/* The caller's stack pointer, from the entry's sp_reg. */
static int
prev_sp(struct orc_walk *w, const struct orc_ent *e, uint64_t *sp)
{
	const struct sym_orc *o = w->o;

	switch (e->sp_reg) {
	case ORC_REG_SP:
		*sp = w->sp + (uint64_t)(int64_t)e->sp_off;
		return 0;
	case ORC_REG_BP:
		*sp = w->bp + (uint64_t)(int64_t)e->sp_off;
		return 0;
	case ORC_REG_SP_INDIRECT:
		/* (%rsp) + offset since "x86/unwind/orc: Change
		 * REG_SP_INDIRECT" (5.12); before, (%rsp + offset) */
		if (stack_read(w, w->sp, sp) == -1)
			return -1;
		*sp += (uint64_t)(int64_t)e->sp_off;
		return 0;
	case ORC_REG_BP_INDIRECT:
		return stack_read(w, w->bp + (uint64_t)(int64_t)e->sp_off, sp);
	case ORC_REG_R10:
		return regs_get(w, &o->r_r10, sp);
	case ORC_REG_R13:
		return regs_get(w, &o->r_r13, sp);
	case ORC_REG_DI:
		return regs_get(w, &o->r_di, sp);
	case ORC_REG_DX:
		return regs_get(w, &o->r_dx, sp);
	}
	_sym_err(w->h, "task 0x%llx: ip 0x%llx: unknown ORC sp_reg %u",
	    (unsigned long long)w->task, (unsigned long long)w->ip, e->sp_reg);
	return -1;
}

/* The caller's ip and sp, and where its registers are, by frame kind. */
static int
frame_regs(struct orc_walk *w, const struct orc_ent *e, uint64_t sp)
{
	const struct sym_orc *o = w->o;
	uint64_t base;

	switch (e->kind) {
	case K_CALL:
		if (stack_read(w, sp - 8, &w->ip) == -1)
			return -1;
		w->sp = sp;
		w->regs = 0;
		w->signal = 0;
		return 0;
	case K_REGS:			/* a whole pt_regs at sp */
	case K_REGS_PARTIAL:		/* an iret frame: pt_regs from ip */
		base = e->kind == K_REGS ? sp : sp - o->r_ip.offset;
		if (sp < w->lo || base < w->lo ||
		    base + o->regs_size > w->hi) {
			_sym_err(w->h, "task 0x%llx: registers at 0x%llx "
			    "outside the stack", (unsigned long long)w->task,
			    (unsigned long long)base);
			return -1;
		}
		/* A user ip (entry from user mode) is not kernel text:
		 * the caller's return_address() ends the walk there. */
		if (stack_read(w, base + o->r_ip.offset, &w->ip) == -1 ||
		    stack_read(w, base + o->r_sp.offset, &w->sp) == -1)
			return -1;
		w->regs = base;
		w->full_regs = e->kind == K_REGS;
		w->signal = 1;
		return 0;
	}
	_sym_err(w->h, "task 0x%llx: ip 0x%llx: ORC entry of undefined kind",
	    (unsigned long long)w->task, (unsigned long long)w->ip);
	return -1;
}

/* The caller's frame pointer, from the entry's bp_reg. */
static int
prev_bp(struct orc_walk *w, const struct orc_ent *e, uint64_t sp,
    uint64_t bp)
{
	switch (e->bp_reg) {
	case ORC_REG_UNDEFINED:
		if (w->regs != 0 && w->full_regs)
			return stack_read(w, w->regs + w->o->r_bp.offset,
			    &w->bp);
		return 0;
	case ORC_REG_PREV_SP:
		return stack_read(w, sp + (uint64_t)(int64_t)e->bp_off, &w->bp);
	case ORC_REG_BP:
		return stack_read(w, bp + (uint64_t)(int64_t)e->bp_off, &w->bp);
	}
	_sym_err(w->h, "task 0x%llx: unknown ORC bp_reg %u",
	    (unsigned long long)w->task, e->bp_reg);
	return -1;
}

/* objtool's names for the base registers, for --explain */
static const char *
regname(unsigned r)
{
	static const char *const n[] = { "undef", "prev_sp", "dx", "di",
	    "bp", "sp", "r10", "r13", "(bp)", "(sp)" };

	return r < sizeof(n) / sizeof(n[0]) ? n[r] : "?";
}

static int
next_frame(struct orc_walk *w)
{
	struct orc_ent e;
	uint64_t sp, old_sp = w->sp, old_bp = w->bp, old_ip = w->ip;

	/* A return address is after its call: look up the call itself
	 * (a call to a noreturn function may end the function). */
	if (orc_find(w->h, w->o, w->signal ? w->ip : w->ip - 1, &e) == -1)
		return -1;
	if (e.kind == K_END) {
		w->done = 1;
		return 0;
	}
	if (e.kind == K_UNDEFINED) {
		_sym_err(w->h, "task 0x%llx: ip 0x%llx has an undefined ORC "
		    "entry", (unsigned long long)w->task,
		    (unsigned long long)old_ip);
		return -1;
	}
	if (prev_sp(w, &e, &sp) == -1 || frame_regs(w, &e, sp) == -1 ||
	    prev_bp(w, &e, sp, old_bp) == -1)
		return -1;
	_sym_explain(w->h, "unwind: ip 0x%llx: ORC sp=%s%+d bp=%s%+d, kind "
	    "%d: caller ip 0x%llx, sp 0x%llx", (unsigned long long)old_ip,
	    regname(e.sp_reg), e.sp_off, regname(e.bp_reg), e.bp_off, e.kind,
	    (unsigned long long)w->ip, (unsigned long long)w->sp);
	/* "stack going in the wrong direction?": also what ends a loop.
	 * An sp that left the stack fails at its first read instead. */
	if (w->sp >= w->lo && w->sp < w->hi && w->sp <= old_sp) {
		_sym_err(w->h, "task 0x%llx: stack pointer 0x%llx after ip "
		    "0x%llx does not move up from 0x%llx (a loop)",
		    (unsigned long long)w->task, (unsigned long long)w->sp,
		    (unsigned long long)old_ip, (unsigned long long)old_sp);
		return -1;
	}
	return 0;
}

/* ---- set up once per handle ---- */

static int
need(sym_t *h, const char *name, uint64_t *a)
{
	return _sym_addr(h, name, a);
}

/*
 * b9f174c811e3 (6.4, and 6.3.10) put a 20-byte hash of orc_types.h's
 * register and type numbers in .orc_header: where the kernel has one, it
 * names the format.  The two 6.x hashes are drgn's (libdrgn/orc_info.c).
 * The 7.x kernels carry a third: they renumbered the base registers.  No
 * tree we could read has that orc_types.h, so the numbers below are the
 * ones 7.2.12's own .orc_unwind uses, matched one for one with 6.12.118's
 * by how often each appears and with which offsets (SP 5 -> 3, PREV_SP
 * 1 -> 8, BP_INDIRECT 8 -> 10; DX, BP, R10, R13 and SP_INDIRECT kept).
 * DI and AX never base a frame there: left unknown, an entry using them
 * stops the unwind with an error rather than a guess.
 */
#define ORC_REG_UNKNOWN	0xff
static const uint8_t regmap_7x[16] = {
	ORC_REG_UNDEFINED, ORC_REG_UNKNOWN, ORC_REG_DX, ORC_REG_SP,
	ORC_REG_BP, ORC_REG_UNKNOWN, ORC_REG_R10, ORC_REG_R13,
	ORC_REG_PREV_SP, ORC_REG_SP_INDIRECT, ORC_REG_BP_INDIRECT,
	ORC_REG_UNKNOWN, ORC_REG_UNKNOWN, ORC_REG_UNKNOWN, ORC_REG_UNKNOWN,
	ORC_REG_UNKNOWN,
};
static const struct {
	uint8_t hash[20];
	int format;
	const uint8_t *regmap;
	const char *what;
} orc_headers[] = {
	{ { 0xdb, 0x84, 0xae, 0xd4, 0x10, 0x3b, 0x31, 0xdd, 0x51, 0xe0, 0x17,
	    0xf8, 0xf7, 0x97, 0x83, 0xca, 0x98, 0x5c, 0x2c, 0x51 }, 2, NULL,
	    "6.3's, ffb1b4a41016" },
	{ { 0xfe, 0x5d, 0x32, 0xbf, 0x58, 0x1b, 0xd6, 0x3b, 0x2c, 0xa9, 0xa5,
	    0xc6, 0x5b, 0xa5, 0xa6, 0x25, 0xea, 0xb3, 0xfe, 0x24 }, 3, NULL,
	    "6.4's, fb799447ae29" },
	{ { 0x13, 0x7c, 0x36, 0xad, 0x76, 0x27, 0xc4, 0xdd, 0x55, 0x93, 0x21,
	    0x76, 0xbb, 0x0e, 0xcd, 0xbd, 0x50, 0x41, 0xfc, 0x82 }, 3, regmap_7x,
	    "7.x's, with the base registers renumbered" },
};

/* 0 with the format from .orc_header, 1 if the kernel has none, -1 if
 * it has one this table doesn't know. */
static int
orc_format_header(sym_t *h, struct sym_orc *o, char *how, size_t len)
{
	static const char *const start[] = { "__start_orc_header", NULL };
	static const char *const stop[] = { "__stop_orc_header", NULL };
	const char *which;
	uint8_t hash[20];
	uint64_t a, b;
	size_t i;

	if (_sym_addr_any(h, start, &a, &which) != 0 ||
	    _sym_addr_any(h, stop, &b, &which) != 0 || b - a != sizeof(hash))
		return 1;
	if (sym_read(h, a, hash, sizeof(hash)) == -1)
		return -1;
	for (i = 0; i < sizeof(orc_headers) / sizeof(orc_headers[0]); i++)
		if (memcmp(hash, orc_headers[i].hash, sizeof(hash)) == 0) {
			o->format = orc_headers[i].format;
			o->regmap = orc_headers[i].regmap;
			snprintf(how, len, ".orc_header: %s",
			    orc_headers[i].what);
			return 0;
		}
	_sym_err(h, "__start_orc_header at 0x%llx: a hash this kmemstat "
	    "doesn't know (%02x%02x%02x%02x...): an ORC format newer than it",
	    (unsigned long long)a, hash[0], hash[1], hash[2], hash[3]);
	return -1;
}

/*
 * The ORC format from the kernel's own struct orc_entry, where its BTF
 * has it (every kernel of the matrix: 6.1's has type:2 end:1, 6.12's and
 * 7.2's type:3 signal:1): no 'end' is 6.4's format, 'signal' beside
 * 'end' 6.3's, else 4.14's.  0, or 1 when the BTF has no orc_entry.
 */
static int
orc_format_btf(sym_t *h, int *format)
{
	struct sym_member m;

	if (_sym_member(h, "orc_entry", "sp_reg", &m) == -1)
		return 1;
	if (_sym_member(h, "orc_entry", "end", &m) == -1)
		*format = 3;
	else
		*format = _sym_member(h, "orc_entry", "signal", &m) == 0 ? 2 : 1;
	return 0;
}

/* The tables carry no version: the BTF's orc_entry says it, or (a BTF
 * subset without it, as a fixture's) the release. */
static int
orc_format(sym_t *h, struct sym_orc *o, char *howbuf, size_t len,
    const char **how)
{
	int *format = &o->format, maj, min, rc;

	*how = howbuf;
	if ((rc = orc_format_header(h, o, howbuf, len)) <= 0)
		return rc;
	*how = "struct orc_entry in the BTF";
	if (orc_format_btf(h, format) == 0)
		return 0;
	*how = "the release: the BTF has no struct orc_entry";
	if (sscanf(h->release, "%d.%d", &maj, &min) != 2) {
		_sym_err(h, "kernel release \"%s\" unknown and no struct "
		    "orc_entry in the BTF: no ORC format", h->release);
		return -1;
	}
	if (maj < 4 || (maj == 4 && min < 14)) {
		_sym_err(h, "Linux %d.%d has no ORC unwinder (4.14+)", maj,
		    min);
		return -1;
	}
	*format = maj > 6 || (maj == 6 && min >= 4) ? 3 :
	    maj == 6 && min == 3 ? 2 : 1;
	return 0;
}

static int
setup_tables(sym_t *h, struct sym_orc *o)
{
	uint64_t ip_end, orc_end, lookup_end, n, a;
	uint8_t init;

	if (need(h, "__start_orc_unwind_ip", &o->ip_tab) == -1 ||
	    need(h, "__stop_orc_unwind_ip", &ip_end) == -1 ||
	    need(h, "__start_orc_unwind", &o->orc_tab) == -1 ||
	    need(h, "__stop_orc_unwind", &orc_end) == -1 ||
	    need(h, "orc_lookup", &o->lookup) == -1 ||
	    need(h, "lookup_num_blocks", &a) == -1 ||
	    _sym_read_u32(h, a, &o->nblocks) == -1 ||
	    need(h, "_stext", &o->stext) == -1 ||
	    need(h, "_etext", &o->etext) == -1)
		return -1;
	n = ip_end > o->ip_tab ? (ip_end - o->ip_tab) / 4 : 0;
	if (n == 0 || n > ORC_MAX_ENTRIES || (ip_end - o->ip_tab) % 4 != 0 ||
	    orc_end < o->orc_tab ||
	    orc_end - o->orc_tab != n * ORC_ENTRY_SIZE) {
		_sym_err(h, "ORC tables implausible: .orc_unwind_ip "
		    "0x%llx-0x%llx, .orc_unwind 0x%llx-0x%llx",
		    (unsigned long long)o->ip_tab, (unsigned long long)ip_end,
		    (unsigned long long)o->orc_tab,
		    (unsigned long long)orc_end);
		return -1;
	}
	o->nentries = (uint32_t)n;
	/* unwind_init() sets lookup_num_blocks from orc_lookup_end */
	if (o->etext <= o->stext || o->nblocks < 2 || o->nblocks >
	    (o->etext - o->stext) / ORC_LOOKUP_BLOCK + 2 ||
	    (_sym_addr(h, "orc_lookup_end", &lookup_end) == 0 &&
	    lookup_end - o->lookup != 4ULL * o->nblocks)) {
		_sym_err(h, "lookup_num_blocks %u does not fit _stext..._etext "
		    "0x%llx-0x%llx", o->nblocks, (unsigned long long)o->stext,
		    (unsigned long long)o->etext);
		return -1;
	}
	/* orc_init false: the kernel's own unwinder is off, wchan is 0 */
	if (_sym_addr(h, "orc_init", &a) == 0 && sym_read(h, a, &init, 1) ==
	    0 && init == 0) {
		_sym_err(h, "orc_init is false: the kernel disabled its ORC "
		    "unwinder");
		return -1;
	}
	h->errbuf[0] = '\0';
	return 0;
}

/*
 * Which get_wchan(): __get_wchan arrived with 42a20f86dc19 (5.16), the
 * series whose bc9bbb81730e made x86's unwind through ORC.  get_wchan
 * without it is the frame-pointer walk, which finds nothing on an ORC
 * kernel.  A namelist with neither (a fixture's subset) says nothing.
 */
static void
probe_wchan(sym_t *h, struct sym_orc *o)
{
	uint64_t a;

	o->fp_wchan = _sym_addr(h, "get_wchan", &a) == 0 &&
	    _sym_probe(h, "__get_wchan", &a) == -1;
	h->errbuf[0] = '\0';
	if (o->fp_wchan)
		_sym_finding(h, "wchan", "0 for every task: get_wchan but no "
		    "__get_wchan, so get_wchan() walks frame pointers, which "
		    "an ORC kernel does not keep (before 5.16, bc9bbb81730e)");
}

/* in_sched_functions(): __sched_text and in_lock_functions()'s range. */
static int
setup_sched(sym_t *h, struct sym_orc *o)
{
	if (need(h, "__sched_text_start", &o->sched_lo) == -1 ||
	    need(h, "__sched_text_end", &o->sched_hi) == -1 ||
	    need(h, "__lock_text_start", &o->lock_lo) == -1 ||
	    need(h, "__lock_text_end", &o->lock_hi) == -1)
		return -1;
	if (_sym_addr(h, "ret_from_fork", &o->ret_from_fork) == -1)
		o->ret_from_fork = 0;
	h->errbuf[0] = '\0';
	return 0;
}

/*
 * THREAD_SIZE is PAGE_SIZE << THREAD_SIZE_ORDER, and x86-64's order is
 * 2 + KASAN_STACK_ORDER (arch/x86/include/asm/page_64_types.h): 16 KiB,
 * 32 KiB with KASAN.  The linker puts the end of the init stack
 * THREAD_SIZE after its start (INIT_TASK_DATA, vmlinux.lds.h): linker
 * symbols, so kallsyms read from a dump has them too.  Asked first: union
 * thread_union is THREAD_SIZE bytes where the BTF keeps it, but 5.10's,
 * 6.1's and 6.12's don't, and asking loaded the whole BTF on every run.
 */
static const char *const init_stack_syms[][2] = {
	/* 8f69cba096b5 (6.10) renamed __{start,end}_init_task */
	{ "__start_init_stack", "__end_init_stack" },
	{ "__start_init_task", "__end_init_task" },
};

static int
setup_stack_size(sym_t *h, struct sym_orc *o)
{
	uint64_t a, b, sz = 0;
	const char *how = "union thread_union in the BTF";
	size_t i;

	for (i = 0; sz == 0 && i < sizeof(init_stack_syms) /
	    sizeof(init_stack_syms[0]); i++)
		if (_sym_probe(h, init_stack_syms[i][0], &a) == 0 &&
		    _sym_probe(h, init_stack_syms[i][1], &b) == 0 && b > a) {
			sz = b - a;
			how = init_stack_syms[i][0];
		}
	if (sz == 0 && _sym_type_size(h, "thread_union", &sz) == -1)
		sz = 0;
	if (sz < SYM_PAGE_SIZE || sz > (1U << 20) || (sz & (sz - 1)) != 0) {
		_sym_err(h, "THREAD_SIZE unknown: no __start_init_stack/"
		    "__end_init_stack (6.10+) nor __start_init_task/"
		    "__end_init_task nor union thread_union in the BTF (%llu)",
		    (unsigned long long)sz);
		return -1;
	}
	o->thread_size = sz;
	_sym_finding(h, "thread_size", "%llu (%s%s)", (unsigned long long)sz,
	    how, how[0] == '_' ? " to its end symbol" : "");
	h->errbuf[0] = '\0';
	return 0;
}

/* What the unwind reads: task_struct's head, the frame __switch_to_asm
 * pushed (switch_to.h) and pt_regs.  One row per member. */
#define R(t, f, n) { t, { n }, offsetof(struct sym_orc, f), SYM_REQUIRED, NULL }
static const struct sym_row orc_rows[] = {
	SYM_ROW_TASK_STATE(struct sym_orc, t_state),
	R("task_struct", t_on_rq, "on_rq"), R("task_struct", t_stack, "stack"),
	R("task_struct", t_sp, "thread.sp"),
	R("inactive_task_frame", f_bp, "bp"),
	R("inactive_task_frame", f_ret, "ret_addr"),
	R("pt_regs", r_ip, "ip"), R("pt_regs", r_sp, "sp"),
	R("pt_regs", r_bp, "bp"), R("pt_regs", r_r10, "r10"),
	R("pt_regs", r_r13, "r13"), R("pt_regs", r_di, "di"),
	R("pt_regs", r_dx, "dx"),
	/* try_get_task_stack(): a refcount with THREAD_INFO_IN_TASK (4.9) */
	{ "task_struct", { "stack_refcount" }, offsetof(struct sym_orc, t_ref),
	    offsetof(struct sym_orc, have_ref), NULL },
};
#undef R

static int
setup_types(sym_t *h, struct sym_orc *o)
{
	/* The head read in one piece: state, on_rq and stack. */
	o->head_len = 0;
	if (_sym_layout(h, orc_rows, 3, o, "task_struct", &o->head_len) == -1 ||
	    _sym_layout(h, orc_rows + 3, SYM_NROWS(orc_rows) - 3, o, NULL,
	    NULL) == -1)
		return -1;
	if (_sym_type_size(h, "inactive_task_frame", &o->frame_size) == -1 ||
	    _sym_type_size(h, "pt_regs", &o->regs_size) == -1)
		return -1;
	if (o->head_len > ORC_HEAD_MAX || o->t_stack.size != 8 ||
	    o->t_sp.size != 8) {
		_sym_err(h, "%s: task_struct's __state, on_rq, stack are "
		    "implausible (%llu bytes in)",
		    h->btfpath ? h->btfpath : "BTF",
		    (unsigned long long)o->head_len);
		return -1;
	}
	h->errbuf[0] = '\0';
	return 0;
}

/* Ready to unwind, or -1 with the reason (kept: asked once per task). */
int
_orc_ready(sym_t *h)
{
	struct sym_orc *o = h->orc;
	char howbuf[96];
	const char *how;

	if (o != NULL) {
		if (o->ready < 0)
			_sym_err(h, "%s", o->why);
		return o->ready > 0 ? 0 : -1;
	}
	if ((o = calloc(1, sizeof(*o))) == NULL) {
		_sym_err(h, "out of memory");
		return -1;
	}
	h->orc = o;
	if (orc_format(h, o, howbuf, sizeof(howbuf), &how) == -1 ||
	    setup_tables(h, o) == -1 ||
	    setup_sched(h, o) == -1 || setup_stack_size(h, o) == -1 ||
	    setup_types(h, o) == -1)
		goto fail;
	o->ready = 1;
	probe_wchan(h, o);
	_sym_finding(h, "orc", "%u entries, format %d (from %s), "
	    "%u lookup blocks", o->nentries, o->format, how, o->nblocks);
	_sym_explain(h, "ORC: %u entries at 0x%llx, %u lookup blocks from "
	    "_stext, format %d, THREAD_SIZE %llu", o->nentries,
	    (unsigned long long)o->orc_tab, o->nblocks, o->format,
	    (unsigned long long)o->thread_size);
	return 0;
fail:
	o->ready = -1;
	snprintf(o->why, sizeof(o->why), "%s", h->errbuf);
	return -1;
}

void
_orc_free(sym_t *h)
{
	free(h->orc);
	h->orc = NULL;
}

/* ---- get_wchan() ---- */

static int
in_sched(const struct sym_orc *o, uint64_t a)
{
	return (a >= o->sched_lo && a < o->sched_hi) ||
	    (a >= o->lock_lo && a < o->lock_hi);
}

/*
 * unwind_get_return_address(): ip if __kernel_text_address(ip), else 0.
 * The core text is _stext.._etext (init text is gone after boot); a
 * module address counts when the namelist names it in a module.
 */
static uint64_t
return_address(sym_t *h, const struct sym_orc *o, uint64_t ip)
{
	struct sym_info si;
	uint64_t off;

	if (ip >= o->stext && ip < o->etext)
		return ip;
	if (ip < MODULES_VADDR || ip >= MODULES_END)
		return 0;
	if (sym_addr2sym(h, ip, &si, &off) == 0 && si.module != NULL)
		return ip;
	h->errbuf[0] = '\0';
	return 0;
}

/* The function at addr, as lookup_symbol_name() names it; kcapture
 * records it, so that a fixture can name it too. */
int
_orc_name(sym_t *h, uint64_t addr, char *buf, size_t len)
{
	struct sym_info si;
	struct sym_ent e;
	uint64_t off;

	if (sym_addr2sym(h, addr, &si, &off) == -1)
		return -1;
	if (h->hooks != NULL) {
		e.name = si.name;
		e.addr = si.nladdr;
		e.type = si.type;
		e.module = si.module;
		e.origin = si.origin;
		_hook_symbol(h, &e);
	}
	snprintf(buf, len, "%s", si.name);
	return 0;
}

/* The task fields get_wchan() and unwind_start() read; 1: don't unwind. */
static int
task_start(struct orc_walk *w)
{
	const struct sym_orc *o = w->o;
	unsigned char head[ORC_HEAD_MAX];
	uint64_t state, frame;
	uint32_t ref = 1;

	/* __state, on_rq and stack, near the start: one read */
	if (sym_read(w->h, w->task, head, o->head_len) == -1)
		return -1;
	state = _sym_field(head, &o->t_state);
	w->lo = _sym_field(head, &o->t_stack);
	if (state == TASK_RUNNING || state == TASK_WAKING ||
	    _sym_field(head, &o->t_on_rq) != 0 || w->lo == 0)
		return 1;
	/* stack_refcount and thread.sp sit far down the struct */
	if ((o->have_ref && sym_read(w->h, w->task + o->t_ref.offset, &ref,
	    4) == -1) || sym_read(w->h, w->task + o->t_sp.offset, &frame,
	    8) == -1)
		return -1;
	if (ref == 0)
		return 1;
	if (!_sym_kaddr_ok(w->lo) || (w->lo & (SYM_PAGE_SIZE - 1)) != 0 ||
	    w->lo + o->thread_size < w->lo) {
		_sym_err(w->h, "task 0x%llx: stack 0x%llx is not a kernel "
		    "page", (unsigned long long)w->task,
		    (unsigned long long)w->lo);
		return -1;
	}
	w->hi = w->lo + o->thread_size;
	/* struct inactive_task_frame at thread.sp, what switch_to left */
	if (frame < w->lo || frame + o->frame_size > w->hi ||
	    stack_read(w, frame + o->f_bp.offset, &w->bp) == -1 ||
	    stack_read(w, frame + o->f_ret.offset, &w->ip) == -1) {
		_sym_err(w->h, "task 0x%llx: thread.sp 0x%llx outside its "
		    "stack 0x%llx-0x%llx", (unsigned long long)w->task,
		    (unsigned long long)frame, (unsigned long long)w->lo,
		    (unsigned long long)w->hi);
		return -1;
	}
	/* unwind_start() for a task not running: sp past the frame, since
	 * f2ac57a4c49d ("x86/unwind/orc: Fix inactive tasks with stack
	 * pointer in %sp on GCC 10 compiled kernels", 5.10); thread.sp
	 * itself before, which loses frames when __schedule has no bp */
	w->sp = frame + o->frame_size;
	w->signal = o->ret_from_fork != 0 && w->ip == o->ret_from_fork;
	return 0;
}

/*
 * get_wchan() for the task_struct at task: *wchan is the address
 * /proc/PID/wchan would name, 0 when it prints "0".  -1 when the stack
 * can't be unwound (the error says where and why).
 */
int
_orc_wchan(sym_t *h, uint64_t task, uint64_t *wchan)
{
	struct orc_walk *w;
	uint64_t addr = 0;
	int rc, n;

	*wchan = 0;
	if (_orc_ready(h) == -1)
		return -1;
	if (h->orc->fp_wchan)
		return 0;
	if ((w = calloc(1, sizeof(*w))) == NULL) {
		_sym_err(h, "out of memory");
		return -1;
	}
	w->h = h;
	w->o = h->orc;
	w->task = task;
	if ((rc = task_start(w)) != 0)
		goto done;
	for (n = 0; n < ORC_MAX_FRAMES; n++) {
		if ((addr = return_address(h, w->o, w->ip)) == 0 ||
		    !in_sched(w->o, addr))
			goto found;
		if ((rc = next_frame(w)) == -1)
			goto done;
		if (w->done)		/* only scheduler frames: the last */
			goto found;
	}
	_sym_err(h, "task 0x%llx: no return address outside the scheduler "
	    "in %d frames", (unsigned long long)task, ORC_MAX_FRAMES);
	rc = -1;
	goto done;
found:
	*wchan = addr;
	rc = 0;
done:
	free(w);
	return rc < 0 ? -1 : 0;
}
