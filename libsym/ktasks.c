/*
 * The task list out of kernel memory: init_task.tasks, each thread group's
 * signal->thread_head, every pointer checked before it is followed.
 */
#include "config.h"

#include "sym_private.h"

int
_kt_tasks(sym_t *h, unsigned flags, struct sym_tasks *out)
{
	(void)flags;
	(void)out;
	_sym_err(h, "%s: reading the task list from kernel memory is not "
	    "implemented yet", h->memfile);
	return -1;
}

int
_kt_psinfo(sym_t *h, struct sym_psinfo *out)
{
	(void)out;
	_sym_err(h, "%s: reading ps's system facts from kernel memory is not "
	    "implemented yet", h->memfile);
	return -1;
}
