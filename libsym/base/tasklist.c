/*
 * The task list both providers fill, in one shape so that one formatter
 * serves both, as BSD's kvm_getprocs served ps from /dev/kmem or a dump.
 */
#include "config.h"

#include <stdlib.h>

#include "sym_private.h"

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
