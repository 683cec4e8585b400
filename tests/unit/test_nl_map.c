#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "suites.h"
#include "util.h"

/* Loads text as a file; returns _nl_map_load's result. */
static int
load_text(sym_t *h, struct symtab *t, const char *text, size_t len,
    const char **path)
{
	*path = tu_path("System.map");
	tu_write(*path, text, len);
	return _nl_map_load(h, t, *path);
}

/* The error is one line and starts "PATH:LINE: ". */
static void
assert_line_error(sym_t *h, const char *path, unsigned long lineno,
    const char *reason)
{
	char prefix[PATH_MAX + 32];
	const char *err = sym_geterr(h);

	snprintf(prefix, sizeof(prefix), "%s:%lu: ", path, lineno);
	ck_assert_msg(strncmp(err, prefix, strlen(prefix)) == 0,
	    "\"%s\" does not start with \"%s\"", err, prefix);
	tu_assert_contains(err, reason);
	ck_assert_ptr_null(strchr(err, '\n'));
}

START_TEST(test_system_map)
{
	const char text[] =
	    "0000000000000000 D __per_cpu_start\n"
	    "ffffffff81000000 T _text\n"
	    "ffffffff81000000 T startup_64\n"
	    "ffffffff82a0b1c0 D jiffies_64\n"
	    "ffffffff83615940 B avenrun\n"
	    "ffffffff8102f1e0 t native_read_msr\n"
	    "FFFFFFFF81001000 W upper_case_hex\n";
	sym_t *h = tu_handle();
	struct symtab *t = _symtab_new();
	const struct sym_ent *e;
	const char *path;

	ck_assert_int_eq(load_text(h, t, text, sizeof(text) - 1, &path), 0);
	ck_assert_uint_eq(_symtab_count(t), 7);
	ck_assert_ptr_nonnull(e = _symtab_find(t, "avenrun"));
	ck_assert_uint_eq(e->addr, 0xffffffff83615940ULL);
	ck_assert_int_eq(e->type, 'B');
	ck_assert_ptr_null(e->module);
	ck_assert_str_eq(e->origin, path);
	ck_assert_ptr_nonnull(e = _symtab_find(t, "native_read_msr"));
	ck_assert_uint_eq(e->addr, 0xffffffff8102f1e0ULL);
	ck_assert_int_eq(e->type, 't');
	ck_assert_uint_eq(_symtab_find(t, "__per_cpu_start")->addr, 0);
	ck_assert_uint_eq(_symtab_find(t, "upper_case_hex")->addr,
	    0xffffffff81001000ULL);
	ck_assert_str_eq(_symtab_nearest(t, 0xffffffff81000fffULL)->name,
	    "_text");
	_symtab_free(t);
	sym_close(h);
}
END_TEST

START_TEST(test_kallsyms_modules)
{
	const char text[] =
	    "ffffffff81000000 T _text\n"
	    "ffffffff810e4a30 T printk\n"
	    "ffffffffc0a01000 t ext4_init_fs\t[ext4]\n"
	    "ffffffffc0a02000 T printk\t[evil]\n"
	    "ffffffffc0201000 t ftrace_trampoline\t[__builtin__ftrace]\n"
	    "ffffffffc0b00000 t jbd2_init\t[jbd2]\n";
	sym_t *h = tu_handle();
	struct symtab *t = _symtab_new();
	const struct sym_ent *e;
	const char *path;

	ck_assert_int_eq(load_text(h, t, text, sizeof(text) - 1, &path), 0);
	ck_assert_uint_eq(_symtab_count(t), 5);
	ck_assert_ptr_nonnull(e = _symtab_find(t, "ext4_init_fs"));
	ck_assert_str_eq(e->module, "ext4");
	ck_assert_uint_eq(e->addr, 0xffffffffc0a01000ULL);
	ck_assert_int_eq(e->type, 't');
	ck_assert_str_eq(_symtab_find(t, "ftrace_trampoline")->module,
	    "__builtin__ftrace");
	ck_assert_str_eq(_symtab_find(t, "jbd2_init")->module, "jbd2");
	/* the core's printk stays */
	ck_assert_ptr_nonnull(e = _symtab_find(t, "printk"));
	ck_assert_ptr_null(e->module);
	ck_assert_uint_eq(e->addr, 0xffffffff810e4a30ULL);
	_symtab_free(t);
	sym_close(h);
}
END_TEST

START_TEST(test_no_final_newline)
{
	const char text[] = "ffffffff81000000 T _text\n"
	    "ffffffff83615940 B avenrun";
	sym_t *h = tu_handle();
	struct symtab *t = _symtab_new();
	const char *path;

	ck_assert_int_eq(load_text(h, t, text, sizeof(text) - 1, &path), 0);
	ck_assert_uint_eq(_symtab_count(t), 2);
	ck_assert_uint_eq(_symtab_find(t, "avenrun")->addr,
	    0xffffffff83615940ULL);
	_symtab_free(t);
	sym_close(h);
}
END_TEST

/* Blank lines and CRLF endings are not symbols, nor errors. */
START_TEST(test_blank_and_crlf)
{
	const char text[] = "\nffffffff81000000 T _text\r\n\r\n"
	    "  \t\nffffffff83615940 B avenrun\r\n";
	sym_t *h = tu_handle();
	struct symtab *t = _symtab_new();
	const char *path;

	ck_assert_int_eq(load_text(h, t, text, sizeof(text) - 1, &path), 0);
	ck_assert_uint_eq(_symtab_count(t), 2);
	ck_assert_ptr_nonnull(_symtab_find(t, "_text"));
	ck_assert_uint_eq(_symtab_find(t, "avenrun")->addr,
	    0xffffffff83615940ULL);
	_symtab_free(t);
	sym_close(h);
}
END_TEST

START_TEST(test_empty)
{
	sym_t *h = tu_handle();
	struct symtab *t = _symtab_new();
	const char *path;
	char want[PATH_MAX + 16];

	ck_assert_int_eq(load_text(h, t, "", 0, &path), -1);
	snprintf(want, sizeof(want), "%s: no symbols", path);
	ck_assert_str_eq(sym_geterr(h), want);
	ck_assert_int_eq(load_text(h, t, "\n\n \n", 4, &path), -1);
	ck_assert_str_eq(sym_geterr(h), want);
	ck_assert_uint_eq(_symtab_count(t), 0);
	_symtab_free(t);
	sym_close(h);
}
END_TEST

/* A line of SYM_MAX_LINE bytes is read; one more byte is an error. */
START_TEST(test_line_length)
{
	size_t len = SYM_MAX_LINE + 64, fill;
	char *text = malloc(len), *name;
	sym_t *h = tu_handle();
	struct symtab *t = _symtab_new();
	const char *path;

	ck_assert_ptr_nonnull(text);
	strcpy(text, "ffffffff81000000 T _text\nffffffff81000010 t ");
	fill = SYM_MAX_LINE - strlen("ffffffff81000010 t ");
	name = text + strlen(text);
	memset(name, 'n', fill);
	name[fill] = '\n';
	ck_assert_int_eq(load_text(h, t, text, (size_t)(name - text) + fill
	    + 1, &path), 0);
	ck_assert_uint_eq(_symtab_count(t), 2);
	name[fill] = '\0';
	ck_assert_uint_eq(_symtab_find(t, name)->addr, 0xffffffff81000010ULL);

	name[fill] = 'n';
	name[fill + 1] = '\n';
	ck_assert_int_eq(load_text(h, t, text, (size_t)(name - text) + fill
	    + 2, &path), -1);
	assert_line_error(h, path, 2, "line longer than");
	/* and without a newline at all */
	ck_assert_int_eq(load_text(h, t, text, (size_t)(name - text) + fill
	    + 1, &path), -1);
	assert_line_error(h, path, 2, "line longer than");
	free(text);
	_symtab_free(t);
	sym_close(h);
}
END_TEST

static void
assert_rejected(const char *text, unsigned long lineno, const char *reason)
{
	sym_t *h = tu_handle();
	struct symtab *t = _symtab_new();
	const char *path;

	ck_assert_msg(load_text(h, t, text, strlen(text), &path) == -1,
	    "accepted: %s", text);
	assert_line_error(h, path, lineno, reason);
	_symtab_free(t);
	sym_close(h);
}

START_TEST(test_bad_lines)
{
	const char ok[] = "ffffffff81000000 T _text\n";
	char text[256];
	static const struct {
		const char *line;
		const char *reason;
	} bad[] = {
		{ "ffffffff81000010 T", "expected ADDRESS TYPE NAME" },
		{ "ffffffff81000010", "expected ADDRESS TYPE NAME" },
		{ "ffffffff8100001g T x", "bad address" },
		{ "0xffffffff810000 T x", "bad address" },
		{ "1ffffffff81000010 T x", "bad address" },
		{ "-1 T x", "bad address" },
		{ "ffffffff81000010 TT x", "bad type" },
		{ "ffffffff81000010 t x mod", "bad module field" },
		{ "ffffffff81000010 t x [mod", "bad module field" },
		{ "ffffffff81000010 t x []", "bad module field" },
		{ "ffffffff81000010 t x [m] y", "unexpected text" },
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(text, sizeof(text), "%s%s%s\n%s", ok, ok, bad[i].line,
		    ok);
		assert_rejected(text, 3, bad[i].reason);
	}
}
END_TEST

START_TEST(test_nul)
{
	const char text[] = "ffffffff81000000 T _text\n"
	    "ffffffff81000010 T ab\0cd\n"
	    "ffffffff81000020 T ef\n";
	sym_t *h = tu_handle();
	struct symtab *t = _symtab_new();
	const char *path;

	ck_assert_int_eq(load_text(h, t, text, sizeof(text) - 1, &path), -1);
	assert_line_error(h, path, 2, "NUL");
	_symtab_free(t);
	sym_close(h);
}
END_TEST

/* Through a stream rather than a path: the name given is the one used. */
START_TEST(test_parse_stream)
{
	char text[] = "ffffffff81000000 T _text\nbogus\n";
	sym_t *h = tu_handle();
	struct symtab *t = _symtab_new();
	FILE *fp;

	ck_assert_ptr_nonnull(fp = fmemopen(text, strlen(text), "r"));
	ck_assert_int_eq(_nl_map_parse(h, t, fp, "<memory>"), -1);
	ck_assert_str_eq(sym_geterr(h),
	    "<memory>:2: expected ADDRESS TYPE NAME");
	fclose(fp);
	_symtab_free(t);
	sym_close(h);
}
END_TEST

static const char placeholder[] = "ffffffffffffffff B The real System.map is "
    "in the linux-image-<version>-dbg package\n";

START_TEST(test_placeholder)
{
	sym_t *h = tu_handle();
	struct symtab *t = _symtab_new();
	const char *path = tu_path("System.map-6.1.0-18-cloud-amd64");
	const char *big = tu_path("big");
	char *text;

	ck_assert_uint_eq(strlen(placeholder), 83);
	tu_writes(path, placeholder);
	ck_assert_int_eq(_nl_map_is_placeholder(path), 1);
	ck_assert_int_eq(_nl_map_load(h, t, path), -1);
	tu_assert_contains(sym_geterr(h), path);
	tu_assert_contains(sym_geterr(h), "placeholder");
	tu_assert_contains(sym_geterr(h), "-dbg package");
	ck_assert_uint_eq(_symtab_count(t), 0);

	/* a real map, a big file with the words, no file, a directory */
	tu_writes(path, "ffffffff81000000 T _text\n");
	ck_assert_int_eq(_nl_map_is_placeholder(path), 0);
	ck_assert_ptr_nonnull(text = calloc(1, 2048));
	memset(text, 'x', 2047);
	memcpy(text + 100, placeholder, strlen(placeholder));
	tu_writes(big, text);
	ck_assert_int_eq(_nl_map_is_placeholder(big), 0);
	ck_assert_int_eq(_nl_map_is_placeholder(tu_path("none")), 0);
	ck_assert_int_eq(_nl_map_is_placeholder(tu_dir), 0);
	free(text);
	_symtab_free(t);
	sym_close(h);
}
END_TEST

static void
assert_syserr(const char *path, int err)
{
	sym_t *h = tu_handle();
	struct symtab *t = _symtab_new();
	char want[PATH_MAX + 128];

	ck_assert_int_eq(_nl_map_load(h, t, path), -1);
	snprintf(want, sizeof(want), "%s: %s", path, strerror(err));
	ck_assert_str_eq(sym_geterr(h), want);
	_symtab_free(t);
	sym_close(h);
}

START_TEST(test_enoent)
{
	assert_syserr(tu_path("no-such-System.map"), ENOENT);
}
END_TEST

START_TEST(test_directory)
{
	assert_syserr(tu_dir, EISDIR);
}
END_TEST

/* Only meaningful without root's override; added only then. */
START_TEST(test_eacces)
{
	const char *path = tu_path("System.map");

	tu_writes(path, "ffffffff81000000 T _text\n");
	ck_assert_int_eq(chmod(path, 0), 0);
	assert_syserr(path, EACCES);
}
END_TEST

/*
 * This machine's kallsyms against lines read with plain sscanf.  The
 * expected entry for a name is its first line, or its first core line if a
 * module line came first.
 */
struct kline {
	unsigned long long addr;
	char type;
	char name[600];
	char module[600];
};

static int
kline_read(FILE *fp, struct kline *k)
{
	char line[2048];
	int n;

	if (fgets(line, sizeof(line), fp) == NULL)
		return 0;
	k->module[0] = '\0';
	n = sscanf(line, "%llx %c %599s [%599[^]]]", &k->addr, &k->type,
	    k->name, k->module);
	ck_assert_msg(n >= 3, "kallsyms line: %s", line);
	return 1;
}

static void
expected_entry(const char *name, struct kline *want)
{
	struct kline k;
	FILE *fp;
	int found = 0;

	ck_assert_ptr_nonnull(fp = fopen("/proc/kallsyms", "r"));
	while (kline_read(fp, &k)) {
		if (strcmp(k.name, name) != 0)
			continue;
		if (!found || (want->module[0] != '\0' &&
		    k.module[0] == '\0'))
			*want = k;
		found = 1;
	}
	fclose(fp);
	ck_assert(found);
}

static void
assert_kallsyms_entry(struct symtab *t, const char *name)
{
	const struct sym_ent *e;
	struct kline want;

	expected_entry(name, &want);
	ck_assert_msg((e = _symtab_find(t, name)) != NULL, "%s missing", name);
	ck_assert_uint_eq(e->addr, want.addr);
	ck_assert_int_eq(e->type, want.type);
	if (want.module[0] == '\0')
		ck_assert_ptr_null(e->module);
	else
		ck_assert_str_eq(e->module, want.module);
	ck_assert_str_eq(e->origin, "/proc/kallsyms");
}

START_TEST(test_proc_kallsyms)
{
	sym_t *h = tu_handle();
	struct symtab *t = _symtab_new();
	struct kline k, first, mid, mod;
	unsigned long lines = 0;
	FILE *fp;

	ck_assert_int_eq(_nl_map_load(h, t, "/proc/kallsyms"), 0);
	ck_assert_ptr_nonnull(fp = fopen("/proc/kallsyms", "r"));
	mod.name[0] = '\0';
	while (kline_read(fp, &k)) {
		if (lines == 0)
			first = k;
		if (lines == 5000)
			mid = k;
		if (k.module[0] != '\0' && mod.name[0] == '\0')
			mod = k;
		lines++;
	}
	fclose(fp);
	ck_assert_uint_gt(lines, 5000);
	ck_assert_uint_gt(_symtab_count(t), lines / 2);
	ck_assert_uint_le(_symtab_count(t), lines);
	assert_kallsyms_entry(t, first.name);
	assert_kallsyms_entry(t, mid.name);
	if (mod.name[0] != '\0')
		assert_kallsyms_entry(t, mod.name);
	_symtab_free(t);
	sym_close(h);
}
END_TEST

Suite *
suite_nl_map(void)
{
	Suite *s = suite_create("nl_map");
	TCase *tc = tcase_create("nl_map");

	tcase_add_checked_fixture(tc, tu_setup, tu_teardown);
	tcase_add_test(tc, test_system_map);
	tcase_add_test(tc, test_kallsyms_modules);
	tcase_add_test(tc, test_no_final_newline);
	tcase_add_test(tc, test_blank_and_crlf);
	tcase_add_test(tc, test_empty);
	tcase_add_test(tc, test_line_length);
	tcase_add_test(tc, test_bad_lines);
	tcase_add_test(tc, test_nul);
	tcase_add_test(tc, test_parse_stream);
	tcase_add_test(tc, test_placeholder);
	tcase_add_test(tc, test_enoent);
	tcase_add_test(tc, test_directory);
	if (geteuid() != 0)
		tcase_add_test(tc, test_eacces);
	if (access("/proc/kallsyms", R_OK) == 0)
		tcase_add_test(tc, test_proc_kallsyms);
	tcase_set_timeout(tc, 30);
	suite_add_tcase(s, tc);
	return s;
}
