/*
 * The task list: walked out of kernel memory (ktasks.c) or read from
 * /proc (compat/proctasks.c), into one shape so that one formatter serves
 * both, as BSD's kvm_getprocs served ps from /dev/kmem or a crash dump.
 */
#include "config.h"

#include <stdlib.h>

#include "sym_private.h"

int
sym_tasks(sym_t *h, unsigned flags, struct sym_tasks *out)
{
	out->task = NULL;
	out->n = 0;
	if (h->src == SYM_SRC_PROC)
		return sym_proc_tasks(flags, out, h->errbuf);
	return _kt_tasks(h, flags, out);
}

int
sym_psinfo(sym_t *h, struct sym_psinfo *out)
{
	if (h->src == SYM_SRC_PROC)
		return sym_proc_psinfo(out, h->errbuf);
	return _kt_psinfo(h, out);
}

void
sym_tasks_free(struct sym_tasks *t)
{
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->n; i++)
		free(t->task[i].cmdline);
	free(t->task);
	t->task = NULL;
	t->n = 0;
}
