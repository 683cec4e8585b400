/*
 * Helpers shared by the unit tests: a scratch directory per test, files
 * written and patched by the test, external commands' output, and ELF
 * cores built with libelf.
 */
#ifndef TU_UTIL_H
#define TU_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include <check.h>

#include "sym_private.h"

/* The scratch directory of the running test (tu_setup/tu_teardown). */
extern char *tu_dir;
void tu_setup(void);
void tu_teardown(void);

/* tu_dir/name, in one of 8 static buffers used in turn. */
const char *tu_path(const char *name);
void tu_write(const char *path, const void *buf, size_t len);
void tu_writes(const char *path, const char *text);
void tu_patch(const char *path, uint64_t off, const void *buf, size_t len);
void tu_truncate(const char *path, uint64_t size);
void tu_copy(const char *from, const char *to);
/* A command's standard output, NUL-terminated; fails the test if the
 * command can't run or exits non-zero. */
char *tu_run(const char *cmd);
/* The running test program (which nm and readelf can read too). */
const char *tu_self_exe(void);
sym_t *tu_handle(void);
/* One flat range of fake kernel memory: buf[0, len) at base, cap bytes
 * writable.  tu_flat_ops reads it as a dump; past len is "not in the
 * dump". */
struct tu_flat {
	uint64_t base;
	unsigned char *buf;
	size_t cap, len;
};
extern struct tu_flat tu_flat;
extern const struct sym_memops tu_flat_ops;
void tu_flat_put(uint64_t addr, const void *v, size_t len);

#define tu_assert_contains(s, sub) \
	ck_assert_msg((s) != NULL && strstr((s), (sub)) != NULL, \
	    "\"%s\" does not contain \"%s\"", (s), (sub))

/* ---- ELF cores ---- */
struct tu_seg {
	uint32_t type;			/* PT_LOAD, or PT_NOTE for the notes */
	uint64_t vaddr;
	uint64_t paddr;
	uint64_t filesz;
	uint64_t memsz;
	uint64_t offset;		/* 0: placed after what comes before */
};
struct tu_core {
	int eclass;			/* ELFCLASS64 unless set */
	uint16_t etype;			/* ET_CORE unless set */
	uint16_t machine;		/* EM_X86_64 unless set */
	const struct tu_seg *segs;
	size_t nsegs;
	/*
	 * The notes: an NT_PRSTATUS-like note of TU_PRSTATUS_SIZE bytes,
	 * then VMCOREINFO.  Every PT_NOTE starts at them; filesz 0 covers
	 * both.
	 */
	const char *vmcoreinfo;		/* NULL: none */
	size_t vmcoreinfo_len;		/* 0: strlen */
};
#define TU_PRSTATUS_SIZE	28
/* The byte a test core holds at a virtual address. */
uint8_t tu_pattern(uint64_t vaddr);
/* Writes the core; *phoff (if non-NULL) gets e_phoff, for patching. */
void tu_write_core(const char *path, const struct tu_core *spec,
    uint64_t *phoff);

#endif
