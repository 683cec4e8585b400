/*
 * types/btf.c on hostile BTF: every type id in range and no type that
 * contains itself before libbpf walks them, every member inside its
 * struct, struct sizes bounded, a vmlinux whose .BTF has no bytes.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <fcntl.h>
#include <gelf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/btf.h>

#include "suites.h"
#include "util.h"

/* A handle whose --btf is b, written raw. */
static sym_t *
with_btf(struct btf *b)
{
	const void *raw;
	__u32 size;
	sym_t *h = tu_handle();

	ck_assert_ptr_nonnull(raw = btf__raw_data(b, &size));
	tu_write(tu_path("btf"), raw, size);
	btf__free(b);
	ck_assert_ptr_nonnull(h->btfopt = strdup(tu_path("btf")));
	return h;
}

/* struct timekeeper { u64 xtime_sec; u64 offs_boot; }, size given. */
static struct btf *
timekeeper(__u32 size, __u32 boot_bits)
{
	struct btf *b = btf__new_empty();
	int u64;

	ck_assert_ptr_nonnull(b);
	ck_assert_int_gt(u64 = btf__add_int(b, "u64", 8, 0), 0);
	ck_assert_int_gt(btf__add_struct(b, "timekeeper", size), 0);
	ck_assert_int_eq(btf__add_field(b, "xtime_sec", u64, 0, 0), 0);
	ck_assert_int_eq(btf__add_field(b, "offs_boot", u64, boot_bits, 0), 0);
	return b;
}

START_TEST(test_good)
{
	sym_t *h = with_btf(timekeeper(16, 64));
	struct sym_member m;
	uint64_t v;

	ck_assert_int_eq(_sym_member(h, "timekeeper", "offs_boot", &m), 0);
	ck_assert_uint_eq(m.offset, 8);
	ck_assert_uint_eq(m.size, 8);
	ck_assert_int_eq(_sym_type_size(h, "timekeeper", &v), 0);
	ck_assert_uint_eq(v, 16);
	sym_close(h);
}
END_TEST

/* The kuptime case: a member placed past its struct. */
START_TEST(test_member_past_struct)
{
	sym_t *h = with_btf(timekeeper(16, 128));
	struct sym_member m;

	ck_assert_int_eq(_sym_member(h, "timekeeper", "offs_boot", &m), -1);
	tu_assert_contains(sym_geterr(h), "timekeeper.offs_boot at offset 16");
	tu_assert_contains(sym_geterr(h), "past the struct's 16 bytes");
	ck_assert_int_eq(_sym_member(h, "timekeeper", "xtime_sec", &m), 0);
	sym_close(h);
}
END_TEST

/* kps -ef printed "out of memory": now a line naming the type. */
START_TEST(test_absurd_size)
{
	sym_t *h = with_btf(timekeeper(0x7fffffff, 64));
	struct sym_member m;
	uint64_t v;

	ck_assert_int_eq(_sym_type_size(h, "timekeeper", &v), -1);
	tu_assert_contains(sym_geterr(h), "type timekeeper is 2147483647 "
	    "bytes: absurd");
	ck_assert_int_eq(_sym_member(h, "timekeeper", "offs_boot", &m), -1);
	tu_assert_contains(sym_geterr(h), "absurd");
	sym_close(h);
}
END_TEST

/* libbpf 1.1's btf__align_of recursed until the stack overflowed. */
START_TEST(test_contains_itself)
{
	struct btf *b = btf__new_empty();
	int s, td, arr, u32;
	uint64_t v;
	sym_t *h;

	ck_assert_int_gt(u32 = btf__add_int(b, "u32", 4, 0), 0);
	ck_assert_int_gt(s = btf__add_struct(b, "timekeeper", 8), 0);
	/* through a typedef and an array: timekeeper_t self[1] */
	td = s + 1;
	arr = s + 2;
	ck_assert_int_eq(btf__add_field(b, "self", arr, 0, 0), 0);
	ck_assert_int_eq(btf__add_typedef(b, "timekeeper_t", s), td);
	ck_assert_int_eq(btf__add_array(b, u32, td, 1), arr);
	h = with_btf(b);
	ck_assert_int_eq(_sym_type_align(h, "timekeeper", &v), -1);
	tu_assert_contains(sym_geterr(h), "contains itself");
	sym_close(h);
}
END_TEST

/* btf__align_of dereferenced NULL for a member type id past the last. */
START_TEST(test_type_id_past_last)
{
	struct btf *b = timekeeper(16, 64);
	struct sym_member m;
	sym_t *h;

	ck_assert_int_eq(btf__add_field(b, "tkr_mono", 999, 0, 0), 0);
	h = with_btf(b);
	ck_assert_int_eq(_sym_member(h, "timekeeper", "offs_boot", &m), -1);
	tu_assert_contains(sym_geterr(h), "refers to a type past the last");
	sym_close(h);
}
END_TEST

/* An x86-64 ELF with one section, .BTF, of the type given. */
static void
write_vmlinux(const char *path, Elf64_Word type)
{
	static char shstr[] = "\0.BTF\0.shstrtab";
	Elf64_Ehdr *eh;
	Elf64_Shdr *sh;
	Elf_Scn *scn;
	Elf_Data *d;
	Elf *e;
	int fd;

	ck_assert(elf_version(EV_CURRENT) != EV_NONE);
	ck_assert_int_ne(fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644), -1);
	ck_assert_ptr_nonnull(e = elf_begin(fd, ELF_C_WRITE, NULL));
	ck_assert_ptr_nonnull(eh = elf64_newehdr(e));
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_type = ET_EXEC;
	eh->e_machine = EM_X86_64;
	scn = elf_newscn(e);
	sh = elf64_getshdr(scn);
	sh->sh_name = 1;
	sh->sh_type = type;
	sh->sh_size = 4096;
	if (type != SHT_NOBITS) {
		d = elf_newdata(scn);
		d->d_buf = calloc(1, 4096);
		d->d_size = 4096;
	}
	scn = elf_newscn(e);
	d = elf_newdata(scn);
	d->d_buf = shstr;
	d->d_size = sizeof(shstr);
	sh = elf64_getshdr(scn);
	sh->sh_name = 6;
	sh->sh_type = SHT_STRTAB;
	eh->e_shstrndx = (Elf64_Half)elf_ndxscn(scn);
	ck_assert_int_ge(elf_update(e, ELF_C_WRITE), 0);
	elf_end(e);
	close(fd);
}

/* A -N vmlinux whose .BTF is SHT_NOBITS: libbpf dereferenced NULL. */
START_TEST(test_nobits_btf)
{
	struct sym_member m;
	sym_t *h = tu_handle();

	write_vmlinux(tu_path("vmlinux"), SHT_NOBITS);
	ck_assert_ptr_nonnull(h->nlopt = strdup(tu_path("vmlinux")));
	ck_assert_int_eq(_sym_member(h, "timekeeper", "offs_boot", &m), -1);
	tu_assert_contains(sym_geterr(h), ".BTF section holds no data");
	sym_close(h);
}
END_TEST

Suite *
suite_btf(void)
{
	Suite *s = suite_create("btf");
	TCase *tc = tcase_create("hostile");

	tcase_add_checked_fixture(tc, tu_setup, tu_teardown);
	tcase_add_test(tc, test_good);
	tcase_add_test(tc, test_member_past_struct);
	tcase_add_test(tc, test_absurd_size);
	tcase_add_test(tc, test_contains_itself);
	tcase_add_test(tc, test_type_id_past_last);
	tcase_add_test(tc, test_nobits_btf);
	suite_add_tcase(s, tc);
	return s;
}
