/*
 * The statistics from /proc, where the kernel formats them itself: the
 * fallback when no kernel memory can be read, and --compare's other side.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>

#include "sym_private.h"

static int
proc_loadavg(sym_t *h, struct sym_loadavg *la)
{
	if (sym_proc_loadavg(la, h->errbuf) == -1)
		return -1;
	_sym_explain(h, "read /proc/loadavg: the kernel did the fixed-point "
	    "arithmetic itself");
	return 0;
}

static int
proc_uptime(sym_t *h, struct sym_uptime *up)
{
	return sym_proc_uptime(up, h->errbuf);
}

static int
proc_tasks(sym_t *h, unsigned flags, struct sym_tasks *out)
{
	return sym_proc_tasks(flags, out, h->errbuf);
}

static int
proc_psinfo(sym_t *h, struct sym_psinfo *out)
{
	return sym_proc_psinfo(out, h->errbuf);
}

/* What w(1) does: the terminal device's last access. */
static int
proc_tty_atime(sym_t *h, const char *line, int64_t *sec)
{
	char path[256];
	struct stat st;

	snprintf(path, sizeof(path), "/dev/%s", line);
	if (stat(path, &st) == -1) {
		_sym_syserr(h, "%s", path);
		return errno == ENOENT ? 1 : -1;
	}
	*sec = (int64_t)st.st_atime;
	return 0;
}

const struct sym_provider _sym_proc_provider = {
	.name = "/proc",
	.loadavg = proc_loadavg,
	.uptime = proc_uptime,
	.tasks = proc_tasks,
	.psinfo = proc_psinfo,
	.tty_atime = proc_tty_atime,
};
