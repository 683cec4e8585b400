/*
 * libsym internals: the handle, the error and explain helpers, and the
 * interfaces between the library's pieces.  Not installed.
 */
#ifndef SYM_PRIVATE_H
#define SYM_PRIVATE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "libsym.h"

#define SYM_PAGE_SIZE		4096ULL
#define SYM_PAGE_MASK		(~(SYM_PAGE_SIZE - 1))
/* x86-64 __START_KERNEL_map: the kernel image lives above it, and only
 * addresses there move with the KASLR slide (per-CPU symbols are offsets). */
#define SYM_START_KERNEL_MAP	0xffffffff80000000ULL
/* Lowest canonical kernel address with 5-level paging (4-level: ffff8000...) */
#define SYM_KERNEL_MIN		0xff00000000000000ULL

/* Bounds for hostile input. */
#define SYM_MAX_LINE		4096
#define SYM_MAX_SYMBOLS		(4U << 20)
#define SYM_MAX_SEGMENTS	65536
#define SYM_MAX_VMCOREINFO	(64U << 10)

/* ---- memory sources: one small table of operations each, one row each
 * in source/source.c's table ---- */
#define SYM_PROBE_BYTES		16
struct sym_memops {
	const char *name;		/* "/dev/kmem", "/proc/kcore", ... */
	const char *option;		/* what --source calls it */
	enum sym_source src;
	const char *device;		/* a live system's file, or NULL */
	int autotry;			/* tried by --source=auto, in order */
	/* -M: 1 if the file's first bytes are this kind's, 0 if not, -1
	 * with the error set for a kind known and refused.  NULL: a source
	 * no file is probed for (or the last resort, raw). */
	int (*probe)(sym_t *h, const char *path, const unsigned char *magic,
	    size_t n);
	/* open path; on failure set the error and errno, return -1 */
	int (*open)(sym_t *h, const char *path);
	/* exactly len bytes at addr, or -1 with the error naming addr */
	int (*read)(sym_t *h, uint64_t addr, void *buf, size_t len);
	void (*close)(sym_t *h);
};

extern const struct sym_memops _sym_kmem_ops;
extern const struct sym_memops _sym_kcore_ops;
extern const struct sym_memops _sym_core_ops;
extern const struct sym_memops _sym_devmem_ops;
extern const struct sym_memops _sym_raw_ops;
extern const struct sym_memops _sym_kdump_ops;
/* libkdumpfile, loaded now: 0, or -1 with the error set. */
int _kdump_load(sym_t *h);
/* Opens the source --source and -M ask for (the probe loop); 0 with
 * h->src == SYM_SRC_PROC when auto found none. */
int _src_open(sym_t *h, enum sym_source src, const char *memfile);

/* ---- libraries loaded when first needed (base/dl.c) ---- */
struct sym_dl {
	const char *soname;		/* as configure found it */
	const char *package;		/* the Debian package to install */
	const char *const *names;	/* the functions wanted */
	void **fn;			/* filled in the same order */
	size_t n;
	int ready;
};
/* 0 once every function is found, else -1 with the error set. */
int _sym_dlload(sym_t *h, struct sym_dl *dl);
/* struct sym_dl VAR for the functions FNS(X) lists (X(name) each). */
#define SYM_DL_ID(f)		DL_##f,
#define SYM_DL_NAME(f)		#f,
#define SYM_DL_DEFINE(var, FNS, soname, package)			\
	enum { FNS(SYM_DL_ID) var##_n };				\
	static const char *const var##_names[] = { FNS(SYM_DL_NAME) };	\
	static void *var##_fn[var##_n];					\
	static struct sym_dl var = { soname, package, var##_names,	\
	    var##_fn, var##_n, 0 }
/* A function of a loaded library, typed as its prototype says. */
#define SYM_DLFN(dl, f)		((__typeof__(f) *)(dl).fn[DL_##f])

/* ---- the symbol table: name -> entry in O(1), address -> nearest ---- */
struct sym_ent {
	const char *name;
	uint64_t addr;			/* as the namelist gives it */
	char type;
	const char *module;		/* NULL: core kernel */
	const char *origin;		/* file the entry came from */
};

/* A cache entry saying a probed symbol is not in the kernel. */
#define SYM_ABSENT	'-'

struct symtab;
struct symtab *_symtab_new(void);
void _symtab_free(struct symtab *t);
/* Copies the strings.  A duplicate name keeps the first core entry. */
int _symtab_add(struct symtab *t, const char *name, uint64_t addr,
    char type, const char *module, const char *origin);
/* Keeps a duplicate name as a further entry, found by position only. */
int _symtab_append(struct symtab *t, const char *name, uint64_t addr,
    char type, const char *module, const char *origin);
const struct sym_ent *_symtab_find(const struct symtab *t, const char *name);
/* Nearest entry at or below addr, NULL if none. */
const struct sym_ent *_symtab_nearest(struct symtab *t, uint64_t addr);
size_t _symtab_count(const struct symtab *t);
const struct sym_ent *_symtab_at(const struct symtab *t, size_t i);

/* ---- the symbol cache (kvm_mkdb's idea), keyed by build-id ---- */
struct symcache;
/* ext: ".map" for the symbols, ".btf" for the types: a path through the
 * checked directory's descriptor, or -1 (no key, or no trusted dir). */
int _cache_path(sym_t *h, const char *ext, char *buf, size_t len);
/* 1 for a regular file of ours or root's that no one else can write,
 * opened without following a symlink. */
int _cache_trusted(const char *path);
void _cache_note(sym_t *h, const struct sym_ent *e, int dirty);
void _cache_write(sym_t *h);
void _cache_free(sym_t *h);

/* ---- namelist parsers (return 0, or -1 with the error set) ---- */
/* "ADDR TYPE NAME [MODULE]" lines: System.map and /proc/kallsyms. */
int _nl_map_load(sym_t *h, struct symtab *t, const char *path);
int _nl_map_parse(sym_t *h, struct symtab *t, FILE *fp, const char *path);
/* Detects Debian's placeholder System.map; 1 if it is one. */
int _nl_map_is_placeholder(const char *path);
/* A vmlinux's .symtab through libelf. */
int _nl_elf_load(sym_t *h, struct symtab *t, const char *path);
int _nl_is_elf(const char *path);
/* GNU build-id of an ELF file as lowercase hex; -1 if none. */
int _nl_elf_build_id(sym_t *h, const char *path, char *hex, size_t len);
/* The kernel's kallsyms tables in memory, located through VMCOREINFO
 * (Linux >= 6.0) or by their shape in the image VMCOREINFO places:
 * 1 if it says either. */
int _nl_kallsyms_present(const sym_t *h);
/* Appends them to t in the kernel's order, at runtime addresses; how
 * says how the tables were found. */
int _nl_kallsyms_load(sym_t *h, struct symtab *t, const char *origin,
    char *how, size_t howlen);
/* Loaded modules through libkmod: path of NAME's .ko, or -1. */
int _nl_kmod_path(sym_t *h, const char *module, char *path, size_t len);

/* ---- VMCOREINFO text ("KEY=VALUE\n" lines) ---- */
/* Copies the value of key into buf; -1 if absent or too long. */
int _vmci_get(const char *text, size_t len, const char *key, char *buf,
    size_t buflen);
/* Parses the value as an unsigned number in base (16 or 10). */
int _vmci_u64(const char *text, size_t len, const char *key, int base,
    uint64_t *out);
/* NUMBER(x) is printed signed: phys_base may be negative. */
int _vmci_s64(const char *text, size_t len, const char *key, int64_t *out);

/* ---- ELF core files (kcore and dumps) ---- */
struct sym_seg {
	uint64_t vaddr;
	uint64_t paddr;
	uint64_t offset;
	uint64_t filesz;
	uint64_t memsz;
};
struct elfcore {
	int fd;
	int regular;			/* a file: segments must fit its size */
	uint64_t fsize;
	struct sym_seg *segs;		/* sorted by vaddr, non-overlapping */
	size_t nsegs;
	struct sym_seg *psegs;		/* by paddr, built on first use */
	size_t npsegs;
	int physical;			/* every PT_LOAD is physical */
	int phys_tried;			/* translation set up, or refused */
	char *phys_why;			/* why it was refused, or NULL */
	char *vmcoreinfo;		/* NUL-terminated copy, or NULL */
	size_t vmcoreinfo_len;
};
/* Reads the program headers and notes of an open ELF core. */
int _elfcore_open(sym_t *h, struct elfcore *c, int fd, const char *path);
int _elfcore_read(sym_t *h, const struct elfcore *c, uint64_t addr,
    void *buf, size_t len, const char *path);
void _elfcore_close(struct elfcore *c);
/* 1 if every byte of [addr, addr + len) is in a segment's file data. */
int _elfcore_has(const struct elfcore *c, uint64_t addr, size_t len);
/* The same by physical address (p_paddr); the index is built once. */
int _elfcore_read_phys(sym_t *h, struct elfcore *c, uint64_t pa,
    void *buf, size_t len, const char *path);
/* 1 if no PT_LOAD is at a kernel virtual address: QEMU dump-guest-memory
 * (p_vaddr is 0 or p_paddr) rather than kcore, kdump or a fixture. */
int _elfcore_is_physical(const struct elfcore *c);
/* One past the highest physical address the dump holds. */
uint64_t _elfcore_phys_end(struct elfcore *c);
/* The first run of file data at or above pa: [*start, *end); -1 if none
 * (or the index can't be built: the error is set). */
int _elfcore_phys_next(sym_t *h, struct elfcore *c, uint64_t pa,
    uint64_t *start, uint64_t *end, const char *path);

/* ---- files whose offset is the physical address (physfile.c) ---- */
/* /dev/mem and raw RAM images, read with pread or through mmap windows
 * (page-aligned, as the classic /dev/mem programs mapped it). */
struct physfile {
	int fd;
	uint64_t size;			/* a regular file's; 0: a device */
	int use_mmap;
	unsigned char *win;		/* the mapped window, or NULL */
	uint64_t win_off;
	size_t win_len;
};
int _pf_open(sym_t *h, struct physfile *f, const char *path, int use_mmap);
int _pf_read(sym_t *h, struct physfile *f, uint64_t pa, void *buf,
    size_t len, const char *path);
void _pf_close(struct physfile *f);
/* A physfile as h->mpriv, with h->phys_read set: 0, -1 with errno from
 * open(2) and no message, or -2 with the error set. */
int _pf_source_open(sym_t *h, const char *path);
void _pf_source_close(sym_t *h);

/* ---- physical memory sources (phys.c) ---- */
/*
 * A source that holds physical memory sets h->phys_read and calls
 * _phys_setup once open: it finds VMCOREINFO (the dump's own, or by
 * scanning memory), phys_base and the kernel-image size.  Its read op is
 * then _phys_vread: kernel virtual addresses translated page by page.
 */
/* record: a recorder keeps physical pages (a dump that is physical
 * only), not the virtual ones (a kdump ELF's misses). */
int _phys_setup(sym_t *h, const char *how, int record);
int _phys_vread(sym_t *h, uint64_t addr, void *buf, size_t len);
/* The page-aligned "OSRELEASE=" page in [0, end): kernel/crash_core.c's
 * vmcoreinfo_data.  Returns a malloc'd NUL-terminated copy, or NULL. */
char *_phys_scan_vmcoreinfo(sym_t *h, uint64_t end, uint64_t *where);

/* ---- types from BTF ---- */
struct sym_member {
	uint64_t offset;		/* bytes from the start of the struct */
	uint64_t size;			/* bytes */
};
/* member may be a path "a.b.c"; anonymous members are looked through. */
int _sym_member(sym_t *h, const char *type, const char *member,
    struct sym_member *m);
/* The first member of names[] (NULL-terminated) the struct has. */
int _sym_member_any(sym_t *h, const char *type, const char *const *names,
    struct sym_member *m, const char **found);
/* The member's value (up to 8 bytes, zero-extended) in a copy of its
 * struct read from the kernel. */
uint64_t _sym_field(const unsigned char *buf, const struct sym_member *m);
int _sym_type_size(sym_t *h, const char *type, uint64_t *size);

/* ---- struct layouts as tables of members (types/layout.c) ---- */
#define SYM_SPELLINGS	3
#define SYM_REQUIRED	((size_t)-1)
struct sym_row {
	const char *type;			/* "task_struct" */
	const char *names[SYM_SPELLINGS];	/* newest spelling first */
	size_t off;		/* offsetof its struct sym_member in the layout */
	size_t have;		/* SYM_REQUIRED, or offsetof an int flag */
	const char *why;	/* the kernel commit that renamed or added it */
};
/* Resolves every row into layout; grows *len to the end of each member
 * of grow_type found.  0, or -1 with the error naming a required member
 * (every spelling, and why); an optional one absent only clears its flag. */
int _sym_layout(sym_t *h, const struct sym_row *rows, size_t n, void *layout,
    const char *grow_type, uint64_t *len);
#define SYM_NROWS(rows)	(sizeof(rows) / sizeof((rows)[0]))
/* Rows more than one walker reads, spelled once. */
#define SYM_ROW_TASK_STATE(L, f) { "task_struct", { "__state", "state" }, \
	offsetof(L, f), SYM_REQUIRED, "state -> __state in 5.14, 2f064a59a11f" }
int _sym_type_align(sym_t *h, const char *type, uint64_t *align);
void _sym_types_free(sym_t *h);

/* ---- a BTF of only the members used (fixtures, the type cache) ---- */
struct btfsubset;
struct btf;
/* Every type id in range, no type containing itself, bounded nesting:
 * checked before any libbpf call walks the types; -1 with the error. */
int _btf_sane(sym_t *h, const struct btf *btf, const char *what);
struct btfsubset *_bs_new(void);
void _bs_free(struct btfsubset *c);
size_t _bs_count(const struct btfsubset *c);
void _bs_member(struct btfsubset *c, const char *type, const char *member,
    uint64_t offset, uint64_t size, const char *subtype);
void _bs_type(struct btfsubset *c, const char *type, uint64_t size,
    uint64_t align);
size_t _bs_merge(struct btfsubset *c, const struct btf *b);
int _bs_write(sym_t *h, struct btfsubset *c, const char *path);

/* ---- a recorder's hooks (kcapture): record/capture.c fills them when
 * sym_open is asked to capture; the layers below call the _hook_
 * wrappers at the end of this file and never name the recorder ---- */
struct sym_hooks {
	/* a read of kernel virtual memory, kept as it passes */
	int (*read)(sym_t *h, uint64_t addr, void *buf, size_t len);
	void (*symbol)(sym_t *h, const struct sym_ent *e);
	void (*member)(sym_t *h, const char *type, const char *member,
	    uint64_t offset, uint64_t size, const char *subtype);
	void (*type)(sym_t *h, const char *type, uint64_t size,
	    uint64_t align);
	/* a physical source opened: record below its translation */
	void (*physical)(sym_t *h);
	/* reads between pause(h, 1) and pause(h, 0) are not kept */
	void (*pause)(sym_t *h, int on);
	void (*free)(sym_t *h);
};
struct capture;
/* Installs the recorder in h (session.c, when opts->capture). */
int _rec_attach(sym_t *h);

/* ---- the statistics: two providers of the same queries, kernel memory
 * (kernel/) and /proc (proc/), one chosen at sym_open ---- */
struct sym_provider {
	const char *name;
	int (*loadavg)(sym_t *h, struct sym_loadavg *la);
	int (*uptime)(sym_t *h, struct sym_uptime *up);
	int (*tasks)(sym_t *h, unsigned flags, struct sym_tasks *out);
	int (*psinfo)(sym_t *h, struct sym_psinfo *out);
	/* 0, 1 when the terminal is unknown, -1 on error */
	int (*tty_atime)(sym_t *h, const char *line, int64_t *sec);
};
extern const struct sym_provider _sym_kernel_provider;
extern const struct sym_provider _sym_proc_provider;
/* The kernel provider's queries (kernel/). */
int _kern_loadavg(sym_t *h, struct sym_loadavg *la);
int _kern_uptime(sym_t *h, struct sym_uptime *up);
int _kern_tty_atime(sym_t *h, const char *line, int64_t *sec);

/* ---- tasks from kernel memory (kernel/tasks.c) ---- */
int _kt_tasks(sym_t *h, unsigned flags, struct sym_tasks *out);
int _kt_psinfo(sym_t *h, struct sym_psinfo *out);
/* The kernel's own arithmetic, kept apart for the unit tests. */
char _kt_state_char(unsigned state, unsigned exit_state);
unsigned _kt_tty_nr(int major, int minor_start, int index);
void _kt_cputime_adjust(uint64_t ut, uint64_t st, uint64_t rtime,
    uint64_t prev_ut, uint64_t prev_st, uint64_t *out_ut, uint64_t *out_st);

/* ---- x86-64 ORC unwinding: what /proc/PID/wchan shows (orc.c) ---- */
struct sym_orc;
/* The tables, symbols and layouts found (once per handle), or -1. */
int _orc_ready(sym_t *h);
/* get_wchan() of the task_struct at task: 0 when /proc prints "0". */
int _orc_wchan(sym_t *h, uint64_t task, uint64_t *wchan);
/* The symbol /proc/PID/wchan prints for it, from the whole namelist. */
int _orc_name(sym_t *h, uint64_t addr, char *buf, size_t len);
void _orc_free(sym_t *h);

/* ---- x86-64 page tables (pgtable.c) ---- */
/* What a walk needs, read once per handle by _pt_init. */
struct sym_pt {
	int ready;
	int levels;			/* 4, or 5 with LA57 */
	uint64_t page_offset;		/* page_offset_base: the direct map */
	uint64_t phys_mask;		/* physical_mask (SME/TDX bits off) */
	int64_t phys_base;		/* for kernel-image addresses */
	int phys_base_known;
};
int _pt_init(sym_t *h);
/* Physical memory, through the direct map (later: a physical source). */
int _pt_read_phys(sym_t *h, uint64_t pa, void *buf, size_t len);
/* A kernel virtual address in the direct map or the image -> physical. */
int _pt_kva_to_pa(sym_t *h, uint64_t kva, uint64_t *pa);
/*
 * va in the address space whose top-level table (mm->pgd, swapper_pg_dir)
 * is at kernel virtual address pgd_kva -> physical address and the size
 * of the page that maps it.  0, or 1 when va is not mapped (the error
 * says at which level), or -1 when a table could not be read.
 */
int _pt_translate(sym_t *h, uint64_t pgd_kva, uint64_t va, uint64_t *pa,
    uint64_t *pgsize);
/* Up to len bytes of user memory at va: the count copied before the
 * first page not present, or -1 when a table or page can't be read. */
ssize_t _pt_read_user(sym_t *h, uint64_t pgd_kva, uint64_t va, void *buf,
    size_t len);

/* ---- the handle ---- */
struct sym_handle {
	char errbuf[SYM_ERRSIZE];
	FILE *explain;
	enum sym_source src;		/* the source in use */
	const struct sym_provider *prov;	/* who answers the queries */
	const struct sym_memops *mops;
	const char *mkind;		/* what the file proved to be, or NULL */
	void *mpriv;			/* the source's own state */
	char *memfile;			/* the file the source opened */
	char refusals[1024];

	char *nlopt;			/* -N as given */
	char *btfopt;			/* --btf as given */
	struct symtab *syms;		/* loaded on first lookup */
	char *nlpath;			/* the namelist in use */
	int nlruntime;			/* namelist holds runtime addresses */
	int64_t slide;
	int slide_known;
	int verified;			/* linux_banner checked */
	struct symcache *symcache;	/* symbols to keep for next time */
	int cache_fd;			/* the checked cache directory */
	int cache_tried;		/* cache_fd is set, or -1 for none */
	struct symtab *cachesyms;	/* the cache, while syms is the full */
	int from_cache;			/* syms came from the cache */

	const char *vmcoreinfo;		/* from the source, if it has one */
	size_t vmcoreinfo_len;
	char release[65];		/* the kernel being read */
	int live;			/* the running kernel */

	void *btf;			/* struct btf *, loaded on first use */
	int btf_cached;			/* it is the cached subset */
	int btf_own;			/* it is the kernel's own */
	int btf_nocache;		/* the cache lacked a type */
	struct btfsubset *typerec;	/* types used, for the cache */
	char *btfpath;
	const struct sym_hooks *hooks;	/* a recorder's, or NULL */
	struct capture *cap;		/* the recorder's state */
	int in_capture;			/* inside a capture read: don't recurse */
	struct sym_pt pt;		/* page-table facts (pgtable.c) */
	/* physical sources (phys.c) */
	int (*phys_read)(sym_t *h, uint64_t pa, void *buf, size_t len);
	uint64_t phys_end;		/* one past the last physical byte */
	/* The first run of bytes the source holds at or above pa, or -1:
	 * scans skip the holes.  NULL: all of [0, phys_end) may hold some. */
	int (*phys_next)(sym_t *h, uint64_t pa, uint64_t *start,
	    uint64_t *end);
	uint64_t image_size;		/* KERNEL_IMAGE_SIZE */
	char *vmci_own;			/* VMCOREINFO found by a scan */
	int pt_busy;			/* inside _pt_init: no page walks */
	int use_mmap;			/* --mmap */
	struct sym_orc *orc;		/* ORC tables found (orc.c) */
	char *findings;			/* "key: value (how)" lines */
	size_t findings_len;
};

/* Error helpers, as libkvm's _kvm_err and _kvm_syserr. */
void _sym_err(sym_t *h, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void _sym_syserr(sym_t *h, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* The teaching trace: one step per call, on opts->explain. */
void _sym_explain(sym_t *h, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* What was found about the kernel and how ("ksym -M CORE" lists them):
 * one line "key: text".  A later finding for the same key replaces it. */
void _sym_finding(sym_t *h, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void _sym_explain_bytes(sym_t *h, uint64_t addr, const void *buf,
    size_t len);
/* A handle for internal use and unit tests: no source opened. */
sym_t *_sym_new(FILE *explain);
int _sym_load_namelist(sym_t *h);
/* 1 if -M names /proc/kcore of the kernel running this program. */
int _sym_running_kcore(const sym_t *h);
/* Read a kernel unsigned long / u32 / int at addr. */
int _sym_read_ulong(sym_t *h, uint64_t addr, unsigned long *v);
int _sym_read_u32(sym_t *h, uint64_t addr, uint32_t *v);
int _sym_read_s64(sym_t *h, uint64_t addr, int64_t *v);
/*
 * The CPUs a kernel loop over cpu_online_mask visits (with dying, over
 * cpu_online_mask | cpu_dying_mask, as __percpu_counter_sum does), below
 * nr_cpu_ids, each with its __per_cpu_offset[].  free() *out.
 */
struct sym_cpus {
	uint32_t n;
	struct { uint32_t cpu; uint64_t off; } c[];
};
int _sym_cpus(sym_t *h, int dying, struct sym_cpus **out);
/* Runtime address of name, or -1 with the error set. */
int _sym_addr(sym_t *h, const char *name, uint64_t *addr);
/* The first of names[] (NULL-terminated) the namelist has, asking the
 * cache before loading the whole: 0 with its address and name, 1 if it
 * has none (no error set), -1 if the namelist can't be read. */
int _sym_addr_any(sym_t *h, const char *const *names, uint64_t *addr,
    const char **which);
/* The core timekeeper: its seqcount and its struct timekeeper (uptime.c);
 * a copy of len bytes of the latter taken while the seqcount held still. */
int _sym_timekeeper(sym_t *h, uint64_t *seq, uint64_t *tk);
int _sym_timekeeper_copy(sym_t *h, uint64_t seq, uint64_t tk, void *buf,
    size_t len);
/* _sym_addr for a probe: an absence is cached (namelist.c). */
int _sym_probe(sym_t *h, const char *name, uint64_t *addr);
/* A pointer read from kernel memory may be followed only if this holds. */
int _sym_kaddr_ok(uint64_t addr);

/* The recorder's hooks, for the layers that must not name it. */
static inline void
_hook_symbol(sym_t *h, const struct sym_ent *e)
{
	if (h->hooks != NULL)
		h->hooks->symbol(h, e);
}

static inline void
_hook_member(sym_t *h, const char *type, const char *member,
    uint64_t offset, uint64_t size, const char *subtype)
{
	if (h->hooks != NULL)
		h->hooks->member(h, type, member, offset, size, subtype);
}

static inline void
_hook_type(sym_t *h, const char *type, uint64_t size, uint64_t align)
{
	if (h->hooks != NULL)
		h->hooks->type(h, type, size, align);
}

static inline void
_hook_physical(sym_t *h)
{
	if (h->hooks != NULL)
		h->hooks->physical(h);
}

static inline void
_hook_pause(sym_t *h, int on)
{
	if (h->hooks != NULL)
		h->hooks->pause(h, on);
}

#endif
