/*
 * types/layout.c: a table of rows resolved against a BTF built here.
 * Spellings are tried newest first, an optional member's absence only
 * clears its flag (the error buffer untouched), a required one's names
 * every spelling and the commit, and the read length grows by the
 * members of the struct named.
 */
#include "config.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <bpf/btf.h>

#include "suites.h"
#include "util.h"

struct lay {
	struct sym_member state, prio, ref;
	int have_ref;
};

/* struct task_struct { u32 NAME at 8; u32 prio at 24; } (32 bytes) */
static sym_t *
with_task(const char *state_name)
{
	struct btf *b = btf__new_empty();
	const void *raw;
	__u32 size;
	int u32;
	sym_t *h = tu_handle();

	ck_assert_ptr_nonnull(b);
	ck_assert_int_gt(u32 = btf__add_int(b, "u32", 4, 0), 0);
	ck_assert_int_gt(btf__add_struct(b, "task_struct", 32), 0);
	ck_assert_int_eq(btf__add_field(b, state_name, u32, 64, 0), 0);
	ck_assert_int_eq(btf__add_field(b, "prio", u32, 192, 0), 0);
	ck_assert_ptr_nonnull(raw = btf__raw_data(b, &size));
	tu_write(tu_path("btf"), raw, size);
	btf__free(b);
	ck_assert_ptr_nonnull(h->btfopt = strdup(tu_path("btf")));
	return h;
}

static const struct sym_row rows[] = {
	SYM_ROW_TASK_STATE(struct lay, state),
	{ "task_struct", { "prio" }, offsetof(struct lay, prio), SYM_REQUIRED,
	    NULL },
	{ "task_struct", { "stack_refcount" }, offsetof(struct lay, ref),
	    offsetof(struct lay, have_ref), "4.9" },
};

/* 5.14 and later spell it __state; before, state: the same row serves. */
START_TEST(test_spellings)
{
	static const char *const names[] = { "__state", "state" };
	struct lay l;
	uint64_t len = 0;
	sym_t *h = with_task(names[_i]);

	memset(&l, 0xff, sizeof(l));
	ck_assert_msg(_sym_layout(h, rows, SYM_NROWS(rows), &l, "task_struct",
	    &len) == 0, "%s", sym_geterr(h));
	ck_assert_uint_eq(l.state.offset, 8);
	ck_assert_uint_eq(l.state.size, 4);
	ck_assert_uint_eq(l.prio.offset, 24);
	ck_assert_int_eq(l.have_ref, 0);
	ck_assert_uint_eq(len, 28);		/* prio's end */
	ck_assert_str_eq(sym_geterr(h), "");	/* the absence set no error */
	sym_close(h);
}
END_TEST

/* A required member under none of its spellings: every one is named. */
START_TEST(test_required_missing)
{
	struct lay l;
	sym_t *h = with_task("task_state");

	ck_assert_int_eq(_sym_layout(h, rows, SYM_NROWS(rows), &l, NULL, NULL),
	    -1);
	tu_assert_contains(sym_geterr(h), "no member __state or state");
	tu_assert_contains(sym_geterr(h), "2f064a59a11f");
	sym_close(h);
}
END_TEST

Suite *
suite_layout(void)
{
	Suite *s = suite_create("layout");
	TCase *tc = tcase_create("rows");

	tcase_add_checked_fixture(tc, tu_setup, tu_teardown);
	tcase_add_loop_test(tc, test_spellings, 0, 2);
	tcase_add_test(tc, test_required_missing);
	suite_add_tcase(s, tc);
	return s;
}
