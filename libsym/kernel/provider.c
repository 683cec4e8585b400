/*
 * The statistics out of kernel memory: one row per query, each answered
 * by the file of this folder named for it.
 */
#include "config.h"

#include "sym_private.h"

const struct sym_provider _sym_kernel_provider = {
	.name = "kernel memory",
	.loadavg = _kern_loadavg,
	.uptime = _kern_uptime,
	.tasks = _kt_tasks,
	.psinfo = _kt_psinfo,
	.tty_atime = _kern_tty_atime,
};
