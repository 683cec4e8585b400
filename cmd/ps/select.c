/*
 * Which processes, as procps's select.c decides: the -a/-d/a/x/g table,
 * the selection lists, r, and --deselect.
 */
#include "config.h"

#include <string.h>

#include "kps.h"

void
select_setup(struct args *a)
{
	unsigned sw = a->simple_select;

	if (!sw && !a->prefer_bsd) {
		a->select_bits = 0xaa00;	/* ours, on our terminal */
		return;
	}
	if (!(sw & (SS_U_a | SS_U_d)))
		sw |= SS_B_g;		/* g is always on (not SunOS) */
	switch (sw) {
	case SS_U_a | SS_U_d: a->select_bits = 0x3f3f; break;
	case SS_U_a: a->select_bits = 0x0303; break;
	case SS_U_d: a->select_bits = 0x3333; break;
	case SS_B_g: a->select_bits = 0x0a0a; break;
	case SS_B_g | SS_B_a: a->select_bits = 0x0f0f; break;
	case SS_B_g | SS_B_x: a->select_bits = 0xaaaa; break;
	case SS_B_g | SS_B_x | SS_B_a:
		a->all = 1;
		a->simple_select = 0;
		break;
	default:
		bad("process selection options conflict");
	}
}

void
thread_check(struct args *a)
{
	unsigned tf = a->thread_flags;

	if (!tf) {
		a->thread_flags = TF_show_proc;
		return;
	}
	if ((tf & TF_U_L) && (tf & TF_U_T))
		bad("thread flags conflict; can't use both -L and -T");
	if (tf & TF_B_H)
		a->thread_flags |= TF_show_proc | TF_loose_tasks;
	else if (tf & (TF_U_T | TF_U_L))
		a->thread_flags |= TF_show_task;
	if ((tf & TF_B_H) && (tf & (TF_U_T | TF_U_L)) && a->nolist > 0)
		bad("-L/-T with H/m/-m and -o/-O/o/O is nonsense");
}

/* The -a/-d/a/x/g table, indexed by four facts about the task. */
static int
table_accept(const struct args *a, const struct sym_task *t)
{
	unsigned idx = (t->uid[SYM_UID_EFF] == a->euid) |
	    (t->session == t->pid) << 1 | (t->tty_nr == 0) << 2 |
	    ((long long)t->tty_nr == a->tty) << 3;

	return (a->select_bits >> idx) & 1;
}

static long long
sel_key(const struct sym_task *t, enum sel_type type)
{
	switch (type) {
	case SEL_RUID: return t->uid[SYM_UID_REAL];
	case SEL_EUID: return t->uid[SYM_UID_EFF];
	case SEL_RGID: return t->gid[SYM_UID_REAL];
	case SEL_EGID: return t->gid[SYM_UID_EFF];
	case SEL_PGRP: return t->pgrp;
	case SEL_PID: return t->pid;
	case SEL_TTY: return t->tty_nr;
	case SEL_SESS: return t->session;
	case SEL_PPID: return t->ppid;
	default: return -1;
	}
}

/* A 15-byte comm was cut by the kernel: a longer name matches it. */
static int
comm_match(const char *comm, const char *want)
{
	if (strlen(comm) == 15 && strlen(want) >= 15 &&
	    strncmp(comm, want, 15) == 0)
		return 1;
	return strncmp(comm, want, CMD_SEL - 1) == 0;
}

static int
listed(const struct args *a, struct ps_ctx *c, const struct sym_task *t)
{
	const struct sel *s;
	size_t i;
	int k;

	for (k = 0; k < a->nsel; k++) {
		s = &a->sel[k];
		for (i = 0; i < s->n; i++)
			if (s->type == SEL_COMM ?
			    comm_match(psfmt_comm(c, t), s->v[i].cmd) :
			    (unsigned)sel_key(t, s->type) ==
			    (unsigned)s->v[i].num)
				return 1;
	}
	return 0;
}

int
wanted(const struct args *a, struct ps_ctx *c, const struct sym_task *t)
{
	int ok = a->all ||
	    ((a->simple_select || a->nsel == 0) && table_accept(a, t)) ||
	    listed(a, c, t);

	if (a->running_only && t->state != 'R' && t->state != 'D')
		ok = 0;
	return a->negate ? !ok : ok;
}
