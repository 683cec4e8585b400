/*
 * Sorting: each key's value computed once, then one stable sort, in the
 * order procps's successive sorts leave the processes.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "internal.h"

enum vtype { V_INT, V_UINT, V_REAL, V_STR };

struct keyval {
	enum vtype type;
	union {
		long long i;
		unsigned long long u;
		double d;
		char *s;
	} v;
};

static int
key_int(const struct sym_task *t, enum item it, long long *v)
{
	switch (it) {
	case IT_TGID:		*v = t->pid; break;
	case IT_TID:		*v = t->tid; break;
	case IT_PPID:		*v = t->ppid; break;
	case IT_PGRP:		*v = t->pgrp; break;
	case IT_SESSION:	*v = t->session; break;
	case IT_TPGID:		*v = t->tpgid; break;
	case IT_STATE:		*v = (signed char)t->state; break;
	case IT_NICE:		*v = (int)t->nice; break;
	case IT_PRIORITY:	*v = (int)t->priority; break;
	case IT_RTPRIO:		*v = (int)t->rt_priority; break;
	case IT_SCHED:		*v = (int)t->policy; break;
	case IT_NLWP:		*v = nlwp_of(t); break;
	case IT_PROCESSOR:	*v = t->processor; break;
	default:		return 0;
	}
	return 1;
}

static int
key_uint(const struct ps_ctx *c, const struct sym_task *t, enum item it,
    unsigned long long *v)
{
	switch (it) {
	case IT_FLAGS:		*v = t->flags; break;
	case IT_EUID:		*v = t->uid[SYM_UID_EFF]; break;
	case IT_RUID:		*v = t->uid[SYM_UID_REAL]; break;
	case IT_SUID:		*v = t->uid[SYM_UID_SAVED]; break;
	case IT_FUID:		*v = t->uid[SYM_UID_FS]; break;
	case IT_EGID:		*v = t->gid[SYM_UID_EFF]; break;
	case IT_RGID:		*v = t->gid[SYM_UID_REAL]; break;
	case IT_SGID:		*v = t->gid[SYM_UID_SAVED]; break;
	case IT_FGID:		*v = t->gid[SYM_UID_FS]; break;
	case IT_VMRSS:		*v = vm_rss_kb(c, t); break;
	case IT_VMSIZE:		*v = vm_size_kb(t); break;
	case IT_VSIZE:		*v = t->vsize; break;
	case IT_BEGAN:		*v = t->start_time; break;
	case IT_TICSALL:	*v = tics_all(t); break;
	case IT_LOCKED:		*v = t->vm_lock_kb; break;
	default:		return 0;
	}
	return 1;
}

static const char *
key_str(struct ps_ctx *c, const struct sym_task *t, enum item it)
{
	switch (it) {
	case IT_EUSER:	return user_of(c, t, SYM_UID_EFF);
	case IT_RUSER:	return user_of(c, t, SYM_UID_REAL);
	case IT_SUSER:	return user_of(c, t, SYM_UID_SAVED);
	case IT_FUSER:	return user_of(c, t, SYM_UID_FS);
	case IT_EGROUP:	return group_of(c, t, SYM_UID_EFF);
	case IT_RGROUP:	return group_of(c, t, SYM_UID_REAL);
	case IT_SGROUP:	return group_of(c, t, SYM_UID_SAVED);
	case IT_FGROUP:	return group_of(c, t, SYM_UID_FS);
	case IT_CMD:	return comm_of(c, t);
	case IT_CMDLINE: return cmdline_of(c, t);
	case IT_WCHAN:	return wchan_of(t);
	case IT_TTYNAME: return tty_of(c, t);
	default:	return NULL;
	}
}

static int
key_value(struct ps_ctx *c, const struct sym_task *t, enum item it,
    struct keyval *kv)
{
	const char *s;

	kv->type = V_INT;
	kv->v.i = 0;
	if (key_int(t, it, &kv->v.i))
		return 0;
	kv->type = V_UINT;
	if (key_uint(c, t, it, &kv->v.u))
		return 0;
	kv->type = V_REAL;
	if (it == IT_UTIL || it == IT_TIMEALL || it == IT_ELAPSED) {
		kv->v.d = it == IT_UTIL ? utilization(c, t) :
		    it == IT_TIMEALL ? time_all(c, t) : elapsed(c, t);
		return 0;
	}
	if ((s = key_str(c, t, it)) == NULL) {
		kv->type = V_INT;	/* IT_NOOP: all equal */
		return 0;
	}
	kv->type = V_STR;
	return (kv->v.s = strdup(s)) == NULL ? -1 : 0;
}

struct sortrec {
	const struct sym_task *t;
	size_t index;
	struct keyval *kv;
};

static const struct ps_sort *cmp_keys;	/* qsort passes no context */

static int
cmp_val(const struct keyval *a, const struct keyval *b)
{
	switch (a->type) {
	case V_INT:
		return (a->v.i > b->v.i) - (a->v.i < b->v.i);
	case V_UINT:
		return (a->v.u > b->v.u) - (a->v.u < b->v.u);
	case V_REAL:
		return (a->v.d > b->v.d) - (a->v.d < b->v.d);
	default:
		return strcoll(a->v.s, b->v.s);
	}
}

static int
cmp_rec(const void *pa, const void *pb)
{
	const struct sortrec *a = pa, *b = pb;
	int i, r;

	for (i = 0; i < cmp_keys->n; i++)
		if ((r = cmp_val(&a->kv[i], &b->kv[i])) != 0)
			return cmp_keys->key[i].order * (r > 0 ? 1 : -1);
	return (a->index > b->index) - (a->index < b->index);
}

static void
free_keys(struct keyval *kv, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (kv[i].type == V_STR)
			free(kv[i].v.s);
	free(kv);
}

/*
 * procps sorts by the last key first and by the first key last, each a
 * stable sort (glibc's qsort is a merge sort): the same as one sort on
 * all keys in order, ties kept in list order.
 */
int
psfmt_sort(struct ps_ctx *c, const struct ps_sort *s,
    const struct sym_task **v, size_t n)
{
	struct sortrec *rec;
	struct keyval *kv;
	size_t i;
	int k, rc = 0;

	if (s->n == 0 || n < 2)
		return 0;
	rec = calloc(n, sizeof(*rec));
	kv = calloc(n * (size_t)s->n, sizeof(*kv));
	if (rec == NULL || kv == NULL) {
		free(rec);
		free(kv);
		return -1;
	}
	for (i = 0; i < n; i++) {
		rec[i].t = v[i];
		rec[i].index = i;
		rec[i].kv = kv + i * (size_t)s->n;
		for (k = 0; rc == 0 && k < s->n; k++)
			rc = key_value(c, v[i], s->key[k].spec->sr,
			    &rec[i].kv[k]);
	}
	if (rc == 0) {
		cmp_keys = s;
		qsort(rec, n, sizeof(*rec), cmp_rec);
		for (i = 0; i < n; i++)
			v[i] = rec[i].t;
	}
	free_keys(kv, n * (size_t)s->n);
	free(rec);
	return rc;
}
