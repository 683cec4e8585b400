/*
 * The format list, as procps's sortformat.c process_sf_options builds
 * it: the user's -o lists or $PS_FORMAT, else the SysV or BSD format
 * the flags pick, with what the modifiers add and take away.
 */
#include "config.h"

#include <err.h>
#include <stdio.h>
#include <stdlib.h>

#include "kps.h"

#define PUSH(s) (push[(*n)++] = (s))

/*
 * procps generate_sysv_list: -f, -F, -l, -j, -L, -T... columns, pushed
 * last first; here the command and the columns up to the priority.
 */
static void
sysv_right(const struct args *a, const char *push[], int *n)
{
	unsigned ff = a->format_flags, fm = a->format_modifiers;

	if (a->prefer_bsd) {
		PUSH(ff ? "cmd" : "args");
		PUSH("bsdtime");
		if (!(ff & FF_Ul))
			PUSH("stat");
	} else {
		PUSH(ff & FF_Uf ? "cmd" : "ucmd");
		PUSH("time");
	}
	PUSH("tname");
	if (ff & FF_Uf)
		PUSH("stime");
	if ((fm & FM_F) && !(fm & FM_P))
		PUSH("psr");
	if ((fm & FM_F) && !((ff & FF_Ul) && (fm & FM_y)))
		PUSH("rss");
	if (ff & FF_Ul)
		PUSH("wchan");
	if ((fm & FM_F) || (ff & FF_Ul))
		PUSH("sz");
	if (ff & FF_Ul)
		PUSH(fm & FM_y ? "rss" : "addr_1");
}

/* ... and from the priority leftwards. */
static void
sysv_left(const struct args *a, const char *push[], int *n)
{
	unsigned ff = a->format_flags, fm = a->format_modifiers;
	unsigned tf = a->thread_flags;

	if (fm & FM_c) {
		PUSH("pri");
		PUSH("class");
	} else if (ff & FF_Ul) {
		PUSH("ni");
		PUSH("opri");
	}
	if ((tf & TF_U_L) && (ff & FF_Uf))
		PUSH("nlwp");
	if ((ff & (FF_Uf | FF_Ul)) && !(fm & FM_c))
		PUSH("c");
	if (fm & FM_P)
		PUSH("psr");
	if (tf & TF_U_L)
		PUSH("lwp");
	if (fm & FM_j) {
		PUSH("sid");
		PUSH("pgid");
	}
	if (ff & (FF_Uf | FF_Ul))
		PUSH("ppid");
	if (tf & TF_U_T)
		PUSH("spid");
	PUSH("pid");
	if (ff & FF_Uf)
		PUSH("uid_hack");
	else if (ff & FF_Ul)
		PUSH("uid");
	if (ff & FF_Ul) {
		PUSH("s");
		if (!(fm & FM_y))
			PUSH("f");
	}
#undef PUSH
}

char fmt_err[FMT_ERR_SIZE];	/* the message bad() points at */

static void
add_spec(struct ps_format *f, const char *spec)
{
	if (psfmt_add_spec(f, spec, fmt_err, sizeof(fmt_err)) == -1)
		bad(fmt_err);
}

static void
sysv_format(const struct args *a, struct ps_format *f)
{
	const char *push[32];
	int n = 0;

	if ((a->format_modifiers & FM_y) && !(a->format_flags & FF_Ul)) {
		bad("modifier -y without format -l makes no sense");
		return;
	}
	sysv_right(a, push, &n);
	sysv_left(a, push, &n);
	while (n > 0)			/* pushed last column first */
		add_spec(f, push[--n]);
}

/* What -j, -y, -c, -T and -L do to a BSD format. */
static void
modify_format(const struct args *a, struct ps_format *f)
{
	if (a->format_modifiers & FM_j) {
		if (!psfmt_add_after(f, "PPID", "pgid"))
			psfmt_add_after(f, "PID", "pgid");
		psfmt_add_after(f, "PGID", "sid");
	}
	if (a->format_modifiers & FM_y) {
		psfmt_delete(f, "F");
		if (psfmt_add_after(f, "ADDR", "rss"))
			psfmt_delete(f, "ADDR");
	}
	if (a->format_modifiers & FM_c) {
		psfmt_delete(f, "%CPU");
		psfmt_delete(f, "CPU");
		psfmt_delete(f, "CP");
		psfmt_delete(f, "C");
		psfmt_delete(f, "NI");
		/* procps dies of this too */
		if (!psfmt_add_after(f, "PRI", "class"))
			errx(1, "internal error: no PRI for -c option");
		psfmt_delete(f, "PRI");
		psfmt_add_after(f, "CLS", "pri");
	}
	if (a->thread_flags & TF_U_T)
		psfmt_add_after(f, "PID", "spid");
	if (a->thread_flags & TF_U_L) {
		if (psfmt_add_after(f, "SID", "lwp") ||
		    psfmt_add_after(f, "SESS", "lwp") ||
		    psfmt_add_after(f, "PGID", "lwp") ||
		    psfmt_add_after(f, "PGRP", "lwp") ||
		    psfmt_add_after(f, "PPID", "lwp") ||
		    psfmt_add_after(f, "PID", "lwp"))
			psfmt_add_after(f, "%CPU", "nlwp");
	}
}

static int
user_lists(const struct args *a, struct ps_format *f)
{
	const char *env;
	int i;

	for (i = 0; i < a->nolist; i++)
		if (psfmt_add_list(f, a->olist[i], fmt_err, sizeof(fmt_err)) ==
		    -1) {
			bad(fmt_err);
			return 1;
		}
	if (a->nolist > 0 || a->format_flags || a->format_modifiers ||
	    (env = getenv("PS_FORMAT")) == NULL || *env == '\0')
		return a->nolist > 0;
	if (psfmt_add_list(f, env, fmt_err, sizeof(fmt_err)) == 0)
		return 1;
	psfmt_free(f);
	fprintf(stderr, "warning: $PS_FORMAT ignored. (%s)\n", fmt_err);
	return 0;
}

void
build_format(const struct args *a, struct ps_format *f)
{
	if (user_lists(a, f)) {
		if (a->format_flags)
			bad("conflicting format options");
		if (a->format_modifiers)
			bad("can not use output modifiers with user-defined "
			    "output");
		return;
	}
	switch (a->format_flags) {
	case 0: case FF_Uf: case FF_Ul: case FF_Uf | FF_Ul:
		sysv_format(a, f);
		return;
	case FF_Bj: add_spec(f, "OL_j"); break;
	case FF_Bl: add_spec(f, "OL_l"); break;
	case FF_Bu: add_spec(f, "OL_u"); break;
	case FF_Bs: case FF_Bv:
		bad("the BSD s and v formats are not supported");
		return;
	default:
		bad("conflicting format options");
		return;
	}
	modify_format(a, f);
}
