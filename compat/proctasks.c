/* placeholder: being written (sym_proc_tasks, sym_proc_psinfo) */
#include "config.h"

#include <stdio.h>

#include "libsym.h"

int
sym_proc_tasks(unsigned flags, struct sym_tasks *out, char *errbuf)
{
	(void)flags;
	(void)out;
	snprintf(errbuf, SYM_ERRSIZE, "/proc: task list not implemented yet");
	return -1;
}

int
sym_proc_psinfo(struct sym_psinfo *out, char *errbuf)
{
	(void)out;
	snprintf(errbuf, SYM_ERRSIZE, "/proc: not implemented yet");
	return -1;
}
