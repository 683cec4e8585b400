/*
 * kps: ps(1) the way 2.9BSD did it, the process table walked out of kernel
 * memory, printed exactly as procps-ng 4.0.2 ps prints it.  The library
 * decides where the tasks come from (kernel memory, else /proc); this
 * file lists them as ps's display.c does.  The command line is read in
 * parser.c and lists.c, the columns chosen in sortformat.c, the
 * processes in select.c; host.c measures the screen, compare.c is
 * --compare.
 */
#include "config.h"

#include <err.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kps.h"

/* /proc lists processes in pid order; a kernel walk, in fork order. */
static int
by_pid(const void *pa, const void *pb)
{
	const struct sym_task *const *a = pa, *const *b = pb;

	if ((*a)->pid != (*b)->pid)
		return ((*a)->pid > (*b)->pid) - ((*a)->pid < (*b)->pid);
	return (*a < *b) ? -1 : (*a > *b);	/* threads: as listed */
}

static unsigned
task_flags(const struct args *a, const struct ps_format *f,
    const struct ps_sort *s)
{
	unsigned flags = 0;

	/* procps reads threads when sorting only for H (loose tasks). */
	if (a->thread_flags & TF_loose_tasks ||
	    ((a->thread_flags & TF_show_task) && s->n == 0))
		flags |= SYM_TASKS_THREADS;
	if (psfmt_needs_cmdline(f, s, a->unix_f))
		flags |= SYM_TASKS_CMDLINE;
	if (psfmt_needs_wchan(f, s))
		flags |= SYM_TASKS_WCHAN;
	return flags;
}

static size_t
pick(const struct args *a, struct ps_ctx *c, const struct sym_tasks *l,
    const struct sym_task **v)
{
	size_t i, n = 0;

	for (i = 0; i < l->n; i++)
		v[n++] = &l->task[i];
	if (n > 1)	/* no tasks: v may be NULL, and qsort(NULL, 0) UB */
		qsort(v, n, sizeof(*v), by_pid);
	for (i = 0, n = 0; i < l->n; i++)
		if (wanted(a, c, v[i]))
			v[n++] = v[i];
	return n;
}

/* Digits of n, as procps counts those of pid_max. */
static int
digits(long n)
{
	int d = 1;

	while (n >= 10) {
		n /= 10;
		d++;
	}
	return d;
}

static int
list(sym_t *h, const struct args *a, struct ps_format *f,
    const struct ps_sort *s)
{
	struct ps_opts o = { 0 };
	const struct sym_task **v;
	struct sym_psinfo info;
	struct sym_tasks l;
	struct ps_ctx *c;
	size_t n, i;

	if (sym_psinfo(h, &info) == -1 ||
	    sym_tasks(h, task_flags(a, f, s), &l) == -1)
		errx(1, "%s", sym_geterr(h));
	if (info.hz <= 0 || info.page_size <= 0)
		errx(1, "%s: implausible clock tick rate %ld or page size %ld",
		    sym_memfile(h), info.hz, info.page_size);
	/* A dump's PID columns are its own kernel's pid_max wide. */
	if (sym_source(h) == SYM_SRC_CORE && info.pid_max > 0)
		psfmt_pid_len(f, digits(info.pid_max));
	o.screen_cols = screen_cols(a);
	o.header = !a->no_header;
	o.user_is_number = a->user_is_number;
	o.wchan_is_number = a->wchan_is_number;
	o.unix_f = a->unix_f;
	o.live = sym_source(h) != SYM_SRC_CORE;
	if ((c = psfmt_open(f, &o, &info)) == NULL ||
	    (v = calloc(l.n + 1, sizeof(*v))) == NULL)
		err(1, NULL);
	n = pick(a, c, &l, v);
	if (psfmt_sort(c, s, v, n) == -1)
		err(1, NULL);
	for (i = 0; i < n; i++)
		psfmt_row(c, v[i]);
	if (n == 0)
		psfmt_header(c);
	psfmt_close(c);
	free(v);
	sym_tasks_free(&l);
	return n == 0;
}

static void
free_args(struct args *a)
{
	int i;

	for (i = 0; i < a->nsel; i++)
		free(a->sel[i].v);
	a->nsel = 0;
}

/* One try at the whole command line, as procps's arg_parse does it. */
static int
try_parse(struct args *a, struct common *co, int argc, char **argv,
    struct ps_format *f, struct ps_sort *s, int bsd)
{
	unsigned euid = a->euid;
	long long tty = a->tty;

	free_args(a);
	memset(a, 0, sizeof(*a));
	a->euid = euid;
	a->tty = tty;
	psfmt_free(f);
	memset(s, 0, sizeof(*s));
	parse_err = NULL;
	if (bsd)
		parse_bsd(a, argc, argv);
	else
		parse_unix(a, co, argc, argv);
	if (parse_err == NULL)
		thread_check(a);
	if (parse_err == NULL)
		build_format(a, f);
	if (parse_err == NULL && a->sort != NULL &&
	    psfmt_sort_list(s, a->sort, fmt_err, sizeof(fmt_err)) == -1)
		bad(fmt_err);
	if (parse_err == NULL)
		select_setup(a);
	return parse_err == NULL ? 0 : -1;
}

static void
parse(struct args *a, struct common *co, int argc, char **argv,
    struct ps_format *f, struct ps_sort *s)
{
	char first[sizeof(fmt_err)];

	a->euid = geteuid();
	a->tty = our_tty();
	f->pid_len = pid_length();
	if (try_parse(a, co, argc, argv, f, s, 0) == 0)
		return;
	snprintf(first, sizeof(first), "%s", parse_err);
	/* procps reports the UNIX parse's error when both fail */
	if (!bsd_possible(argc, argv) ||
	    try_parse(a, co, argc, argv, f, s, 1) == -1)
		errx(2, "%s", first);
}

int
main(int argc, char **argv)
{
	static struct args a;
	static struct ps_format f;
	static struct ps_sort s;
	struct common co = { 0 };
	sym_t *h;
	int rc;

	setlocale(LC_ALL, "");
	setenv("TZ", ":/etc/localtime", 0);	/* as procps does */
	parse(&a, &co, argc, argv, &f, &s);
	h = common_open(&co);
	rc = co.compare ? compare(h) : list(h, &a, &f, &s);
	sym_close(h);
	psfmt_free(&f);
	free_args(&a);
	return rc;
}
