/*
 * BTF loading and member resolution (types/btf.c) on a --btf file: the
 * members the tools ask for, then every struct the BTF names.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <bpf/btf.h>

#include "fuzz.h"

static const char *const asked[][2] = {
	{ "timekeeper", "tkr_mono.base" }, { "timekeeper", "tkr_mono.shift" },
	{ "timekeeper", "xtime_sec" }, { "timekeeper", "offs_boot" },
	{ "rq", "nr_running" }, { "pid_namespace", "idr" },
	{ "idr", "idr_next" }, { "tty_driver", "ttys" },
	{ "tty_struct", "name" }, { "file", "f_inode" },
	{ "task_struct", "__state" }, { "task_struct", "thread_info.cpu" },
	{ "task_struct", "signal" }, { "mm_struct", "rss_stat" },
	{ "signal_struct", "pids" }, { "tty_struct", "ctrl.pgrp" },
};
static const char *const types[] = { "timekeeper", "task_struct",
	"seqcount_raw_spinlock_t", "percpu_counter", "thread_union",
	"mm_rss_stat", "pt_regs" };

/* Every named struct: its size, alignment and first members. */
static void
every_struct(sym_t *h)
{
	const struct btf *b = h->btf;
	const struct btf_type *t;
	const struct btf_member *m;
	struct sym_member sm;
	const char *name, *mn;
	uint64_t v;
	__u32 id, n = btf__type_cnt(b);
	int i;

	for (id = 1; id < n && id < 256 && h->btf == b; id++) {
		t = btf__type_by_id(b, id);
		if (t == NULL || !(btf_is_struct(t) || btf_is_union(t)) ||
		    (name = btf__name_by_offset(b, t->name_off)) == NULL ||
		    name[0] == '\0')
			continue;
		(void)_sym_type_size(h, name, &v);
		(void)_sym_type_align(h, name, &v);
		m = btf_members(t);
		for (i = 0; i < btf_vlen(t) && i < 16 && h->btf == b; i++)
			if ((mn = btf__name_by_offset(b, m[i].name_off)) != NULL
			    && mn[0] != '\0')
				(void)_sym_member(h, name, mn, &sm);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fz_file(data, size);
	struct sym_member m;
	sym_t *h = fz_handle();
	uint64_t v;
	size_t i;

	if ((h->btfopt = strdup(path)) == NULL)
		abort();
	(void)_sym_type_size(h, types[0], &v);
	if (h->btf == NULL)
		goto out;
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		(void)_sym_type_size(h, types[i], &v);
		(void)_sym_type_align(h, types[i], &v);
	}
	for (i = 0; i < sizeof(asked) / sizeof(asked[0]); i++)
		(void)_sym_member(h, asked[i][0], asked[i][1], &m);
	if (h->btf != NULL)
		every_struct(h);
out:
	sym_close(h);
	return 0;
}
