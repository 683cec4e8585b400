/*
 * The ELF namelist against nm(1) and readelf(1) on this very program: the
 * expected addresses and type letters come from binutils, not from us.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <gelf.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "suites.h"
#include "util.h"

/* One symbol of each kind for nm to classify; the comment is its letter. */
int tu_elf_data = 42;					/* D */
int tu_elf_bss;						/* B */
const int tu_elf_rodata = 7;				/* R */
__attribute__((used)) static int tu_elf_static_data = 5;	/* d */
__attribute__((used)) static int tu_elf_static_bss;	/* b */
__attribute__((weak)) int tu_elf_weak_obj = 3;		/* V */

__attribute__((used, noinline)) static int
tu_elf_static_fn(int x)					/* t */
{
	return x + tu_elf_static_data + tu_elf_static_bss;
}

__attribute__((weak, noinline)) int
tu_elf_weak_fn(void)					/* W */
{
	return tu_elf_static_fn(1);
}

struct nmsym {
	unsigned long long addr;
	char type;
	char name[512];
};

static int
nmsym_cmp(const void *a, const void *b)
{
	return strcmp(((const struct nmsym *)a)->name,
	    ((const struct nmsym *)b)->name);
}

/* nm -n's defined symbols, sorted by name; *n their count. */
static struct nmsym *
nm_symbols(const char *path, size_t *n)
{
	char cmd[PATH_MAX + 32], *out, *line, *save = NULL;
	struct nmsym *v;
	size_t cap = 1024;

	snprintf(cmd, sizeof(cmd), "nm -n '%s'", path);
	out = tu_run(cmd);
	ck_assert_ptr_nonnull(v = malloc(cap * sizeof(*v)));
	*n = 0;
	for (line = strtok_r(out, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if (*n == cap)
			ck_assert_ptr_nonnull(v = realloc(v,
			    (cap *= 2) * sizeof(*v)));
		/* undefined symbols have no address: no match */
		if (sscanf(line, "%llx %c %511s", &v[*n].addr, &v[*n].type,
		    v[*n].name) == 3)
			(*n)++;
	}
	free(out);
	qsort(v, *n, sizeof(*v), nmsym_cmp);
	return v;
}

static const struct nmsym *
nm_find(const struct nmsym *v, size_t n, const char *name)
{
	struct nmsym key;

	memset(&key, 0, sizeof(key));
	snprintf(key.name, sizeof(key.name), "%s", name);
	return bsearch(&key, v, n, sizeof(*v), nmsym_cmp);
}

START_TEST(test_kinds_against_nm)
{
	static const struct {
		const char *name;
		char letter;
	} kinds[] = {
		{ "main", 'T' }, { "tu_elf_data", 'D' }, { "tu_elf_bss", 'B' },
		{ "tu_elf_rodata", 'R' }, { "tu_elf_static_data", 'd' },
		{ "tu_elf_static_bss", 'b' }, { "tu_elf_static_fn", 't' },
		{ "tu_elf_weak_fn", 'W' }, { "tu_elf_weak_obj", 'V' },
	};
	const char *exe = tu_self_exe();
	const struct nmsym *want;
	const struct sym_ent *e;
	struct nmsym *v;
	sym_t *h = tu_handle();
	struct symtab *t = _symtab_new();
	size_t n, i;

	ck_assert_msg(_nl_elf_load(h, t, exe) == 0, "%s", sym_geterr(h));
	v = nm_symbols(exe, &n);
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		want = nm_find(v, n, kinds[i].name);
		ck_assert_msg(want != NULL, "nm: no %s", kinds[i].name);
		/* the test's own premise, as nm sees it */
		ck_assert_int_eq(want->type, kinds[i].letter);
		e = _symtab_find(t, kinds[i].name);
		ck_assert_msg(e != NULL, "%s missing", kinds[i].name);
		ck_assert_uint_eq(e->addr, want->addr);
		ck_assert_int_eq(e->type, want->type);
		ck_assert_ptr_null(e->module);
		ck_assert_str_eq(e->origin, exe);
	}
	free(v);
	_symtab_free(t);
	sym_close(h);
}
END_TEST

/* Every name nm lists once must be ours, at its address, with its letter. */
START_TEST(test_all_against_nm)
{
	const char *exe = tu_self_exe();
	const struct sym_ent *e;
	struct nmsym *v;
	sym_t *h = tu_handle();
	struct symtab *t = _symtab_new();
	size_t n, i, distinct = 0, checked = 0;
	int dup;

	ck_assert_msg(_nl_elf_load(h, t, exe) == 0, "%s", sym_geterr(h));
	v = nm_symbols(exe, &n);
	ck_assert_uint_gt(n, 100);
	for (i = 0; i < n; i++) {
		dup = (i > 0 && strcmp(v[i].name, v[i - 1].name) == 0) ||
		    (i + 1 < n && strcmp(v[i].name, v[i + 1].name) == 0);
		if (i == 0 || strcmp(v[i].name, v[i - 1].name) != 0)
			distinct++;
		if (dup)
			continue;
		e = _symtab_find(t, v[i].name);
		ck_assert_msg(e != NULL, "%s missing", v[i].name);
		ck_assert_msg(e->addr == v[i].addr && e->type == v[i].type,
		    "%s: ours %llx %c, nm %llx %c", v[i].name,
		    (unsigned long long)e->addr, e->type, v[i].addr,
		    v[i].type);
		checked++;
	}
	ck_assert_uint_gt(checked, 100);
	ck_assert_uint_eq(_symtab_count(t), distinct);
	free(v);
	_symtab_free(t);
	sym_close(h);
}
END_TEST

START_TEST(test_build_id)
{
	const char *exe = tu_self_exe();
	char cmd[PATH_MAX + 64], *out, *p, want[129], hex[129];
	sym_t *h = tu_handle();

	snprintf(cmd, sizeof(cmd), "readelf -n '%s'", exe);
	out = tu_run(cmd);
	p = strstr(out, "Build ID: ");
	ck_assert_msg(p != NULL, "readelf shows no build-id");
	ck_assert_int_eq(sscanf(p, "Build ID: %128[0-9a-f]", want), 1);
	free(out);
	ck_assert_msg(_nl_elf_build_id(h, exe, hex, sizeof(hex)) == 0, "%s",
	    sym_geterr(h));
	ck_assert_str_eq(hex, want);

	/* a buffer one byte short */
	ck_assert_int_eq(_nl_elf_build_id(h, exe, hex, strlen(want)), -1);
	tu_assert_contains(sym_geterr(h), exe);
	sym_close(h);
}
END_TEST

START_TEST(test_build_id_none)
{
	struct tu_seg seg = { PT_LOAD, 0x1000, 0x1000, 16, 16, 0 };
	struct tu_core core = { .segs = &seg, .nsegs = 1 };
	const char *path = tu_path("core");
	sym_t *h = tu_handle();
	char hex[64];

	tu_write_core(path, &core, NULL);
	ck_assert_int_eq(_nl_elf_build_id(h, path, hex, sizeof(hex)), -1);
	tu_assert_contains(sym_geterr(h), path);
	tu_assert_contains(sym_geterr(h), "no GNU build-id");
	tu_writes(path, "not elf\n");
	ck_assert_int_eq(_nl_elf_build_id(h, path, hex, sizeof(hex)), -1);
	tu_assert_contains(sym_geterr(h), "not an ELF file");
	sym_close(h);
}
END_TEST

START_TEST(test_is_elf)
{
	const char *p = tu_path("f");

	ck_assert_int_eq(_nl_is_elf(tu_self_exe()), 1);
	tu_writes(p, "ffffffff81000000 T _text\n");
	ck_assert_int_eq(_nl_is_elf(p), 0);
	tu_writes(p, "\177EL");
	ck_assert_int_eq(_nl_is_elf(p), 0);
	tu_writes(p, "\177ELF");
	ck_assert_int_eq(_nl_is_elf(p), 1);
	ck_assert_int_eq(_nl_is_elf(tu_path("none")), 0);
	ck_assert_int_eq(_nl_is_elf(tu_dir), 0);
}
END_TEST

static void
assert_load_fails(const char *path, const char *reason)
{
	sym_t *h = tu_handle();
	struct symtab *t = _symtab_new();

	ck_assert_int_eq(_nl_elf_load(h, t, path), -1);
	tu_assert_contains(sym_geterr(h), path);
	if (reason != NULL)
		tu_assert_contains(sym_geterr(h), reason);
	ck_assert_ptr_null(strchr(sym_geterr(h), '\n'));
	_symtab_free(t);
	sym_close(h);
}

START_TEST(test_not_elf)
{
	const char *p = tu_path("f");

	tu_writes(p, "ffffffff81000000 T _text\n");
	assert_load_fails(p, "not an ELF file");
	tu_writes(p, "");
	assert_load_fails(p, NULL);
	assert_load_fails(tu_path("none"), strerror(ENOENT));
	assert_load_fails(tu_dir, "not a regular file");
}
END_TEST

START_TEST(test_stripped)
{
	char cmd[3 * PATH_MAX];
	const char *p = tu_path("stripped");

	snprintf(cmd, sizeof(cmd), "strip -o '%s' '%s'", p, tu_self_exe());
	free(tu_run(cmd));
	assert_load_fails(p, "no .symtab");
}
END_TEST

START_TEST(test_truncated)
{
	const char *p = tu_path("half");
	struct stat st;

	tu_copy(tu_self_exe(), p);
	ck_assert_int_eq(stat(p, &st), 0);
	tu_truncate(p, (uint64_t)st.st_size / 2);
	assert_load_fails(p, NULL);
	tu_truncate(p, 40);
	assert_load_fails(p, NULL);
}
END_TEST

/* Where in the file .symtab's section header is. */
static uint64_t
symtab_shdr_offset(const char *path)
{
	Elf64_Ehdr eh;
	Elf64_Shdr sh;
	FILE *fp;
	unsigned i;

	ck_assert_ptr_nonnull(fp = fopen(path, "r"));
	ck_assert_uint_eq(fread(&eh, sizeof(eh), 1, fp), 1);
	for (i = 0; i < eh.e_shnum; i++) {
		ck_assert_int_eq(fseek(fp, (long)(eh.e_shoff + i *
		    sizeof(sh)), SEEK_SET), 0);
		ck_assert_uint_eq(fread(&sh, sizeof(sh), 1, fp), 1);
		if (sh.sh_type == SHT_SYMTAB)
			break;
	}
	fclose(fp);
	ck_assert_uint_lt(i, eh.e_shnum);
	return eh.e_shoff + i * sizeof(sh);
}

START_TEST(test_bad_symtab_header)
{
	const char *p = tu_path("patched");
	uint64_t off, v;

	tu_copy(tu_self_exe(), p);
	off = symtab_shdr_offset(p);
	v = 16;
	tu_patch(p, off + offsetof(Elf64_Shdr, sh_entsize), &v, sizeof(v));
	assert_load_fails(p, "entry size");

	tu_copy(tu_self_exe(), p);
	v = 1ULL << 40;
	tu_patch(p, off + offsetof(Elf64_Shdr, sh_size), &v, sizeof(v));
	assert_load_fails(p, "past the end");

	tu_copy(tu_self_exe(), p);
	v = UINT64_MAX - 8;
	tu_patch(p, off + offsetof(Elf64_Shdr, sh_offset), &v, sizeof(v));
	assert_load_fails(p, NULL);

	/* a name offset past the string table */
	tu_copy(tu_self_exe(), p);
	v = 0;
	tu_patch(p, off + offsetof(Elf64_Shdr, sh_link), &v, 4);
	assert_load_fails(p, NULL);
}
END_TEST

START_TEST(test_kmod_missing)
{
	char path[PATH_MAX];
	sym_t *h = tu_handle();

	ck_assert_int_eq(_nl_kmod_path(h, "kmemstat_no_such_module", path,
	    sizeof(path)), -1);
	tu_assert_contains(sym_geterr(h), "kmemstat_no_such_module");
	ck_assert_ptr_null(strchr(sym_geterr(h), '\n'));
	sym_close(h);
}
END_TEST

/* Where modules are installed: the first of modules.dep, by its path. */
START_TEST(test_kmod_installed)
{
	char dep[PATH_MAX], line[PATH_MAX], want[2 * PATH_MAX], name[256];
	char path[PATH_MAX], *p, *base;
	struct utsname u;
	sym_t *h = tu_handle();
	FILE *fp;

	ck_assert_int_eq(uname(&u), 0);
	snprintf(dep, sizeof(dep), "/lib/modules/%s/modules.dep", u.release);
	ck_assert_ptr_nonnull(fp = fopen(dep, "r"));
	ck_assert_ptr_nonnull(fgets(line, sizeof(line), fp));
	fclose(fp);
	ck_assert_ptr_nonnull(p = strchr(line, ':'));
	*p = '\0';
	if (line[0] == '/')
		snprintf(want, sizeof(want), "%s", line);
	else
		snprintf(want, sizeof(want), "/lib/modules/%s/%s", u.release,
		    line);
	base = strrchr(line, '/') ? strrchr(line, '/') + 1 : line;
	snprintf(name, sizeof(name), "%.*s", (int)strcspn(base, "."), base);
	ck_assert_msg(_nl_kmod_path(h, name, path, sizeof(path)) == 0, "%s",
	    sym_geterr(h));
	ck_assert_str_eq(path, want);
	sym_close(h);
}
END_TEST

Suite *
suite_nl_elf(void)
{
	Suite *s = suite_create("nl_elf");
	TCase *tc = tcase_create("nl_elf");
	TCase *km = tcase_create("nl_kmod");
	struct utsname u;
	char dep[PATH_MAX];

	tcase_add_checked_fixture(tc, tu_setup, tu_teardown);
	tcase_add_test(tc, test_kinds_against_nm);
	tcase_add_test(tc, test_all_against_nm);
	tcase_add_test(tc, test_build_id);
	tcase_add_test(tc, test_build_id_none);
	tcase_add_test(tc, test_is_elf);
	tcase_add_test(tc, test_not_elf);
	tcase_add_test(tc, test_stripped);
	tcase_add_test(tc, test_truncated);
	tcase_add_test(tc, test_bad_symtab_header);
	tcase_set_timeout(tc, 30);
	suite_add_tcase(s, tc);

	tcase_add_test(km, test_kmod_missing);
	if (uname(&u) == 0) {
		snprintf(dep, sizeof(dep), "/lib/modules/%s/modules.dep",
		    u.release);
		if (access(dep, R_OK) == 0)
			tcase_add_test(km, test_kmod_installed);
	}
	suite_add_tcase(s, km);
	return s;
}
