/*
 * The values libproc2 derives from /proc's (the pids items): the escaped
 * comm and command line, times in seconds, %CPU, sizes in kB, the tty name.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "escape.h"
#include "internal.h"

const char *
comm_of(struct ps_ctx *c, const struct sym_task *t)
{
	char raw[sizeof(t->comm)];

	memcpy(raw, t->comm, sizeof(raw));
	raw[sizeof(raw) - 1] = '\0';
	lib_escape(c->utf8, c->comm, raw, COMM_BUFSZ);
	return c->comm;
}

/*
 * libproc2's read_unvectored: NULs and newlines inside become spaces,
 * trailing NULs are dropped, and a last byte that is a space goes too.
 * At most LIB_BUFSZ - 1 bytes are read, whatever the source holds.
 */
static size_t
cmdline_flatten(char *dst, const struct sym_task *t)
{
	size_t n = t->cmdline_len, i;

	if (t->cmdline == NULL)
		n = 0;
	if (n > LIB_BUFSZ - 1)
		n = LIB_BUFSZ - 1;
	if (n == 0) {
		dst[0] = '\0';
		return 0;
	}
	memcpy(dst, t->cmdline, n);
	for (i = n; i > 0 && dst[i - 1] == '\0'; i--)
		;
	while (i-- > 0)
		if (dst[i] == '\n' || dst[i] == '\0')
			dst[i] = ' ';
	if (dst[n - 1] == ' ')
		dst[n - 1] = '\0';
	dst[n] = '\0';
	return n;
}

/* Kernel threads (no arguments) as "[comm]", zombies add " <defunct>". */
static void
cmdline_bracket(struct ps_ctx *c, const struct sym_task *t)
{
	const char *comm = comm_of(c, t);
	int end = 0, over = t->state == 'Z' ? 12 : 2;

	c->cmdl[end++] = '[';
	end += lib_escape(c->utf8, c->cmdl + end, comm, (size_t)(LIB_BUFSZ - over));
	c->cmdl[end++] = ']';
	c->cmdl[end] = '\0';
	if (t->state == 'Z')
		strcpy(c->cmdl + end, " <defunct>");
}

/* The CMDLINE item: what the args column and its sort key hold. */
const char *
cmdline_of(struct ps_ctx *c, const struct sym_task *t)
{
	if (cmdline_flatten(c->raw, t) > 0)
		lib_escape(c->utf8, c->cmdl, c->raw, LIB_BUFSZ);
	else
		cmdline_bracket(c, t);
	if (c->cmdl[0] == '\0')
		strcpy(c->cmdl, "?");
	return c->cmdl;
}

const char *
wchan_of(const struct sym_task *t)
{
	const char *w = t->wchan;

	if (w[0] == '\0')
		return "-";
	if (*w == '.')			/* ppc64 function descriptors */
		w++;
	while (*w == '_')
		w++;
	return w;
}

int
nlwp_of(const struct sym_task *t)
{
	return t->nlwp ? t->nlwp : 1;	/* libproc2 stat2proc */
}

unsigned long long
tics_all(const struct sym_task *t)
{
	return t->utime + t->stime;
}

unsigned long
vm_size_kb(const struct sym_task *t)
{
	return t->vsize / 1024;		/* status VmSize */
}

/* status VmRSS, not stat's rss pages: since 6.2 those are approximate. */
unsigned long
vm_rss_kb(const struct ps_ctx *c, const struct sym_task *t)
{
	return (unsigned long)t->vm_rss_kb;
}

/* Seconds since the start, computed in doubles as libproc2 does. */
double
elapsed(const struct ps_ctx *c, const struct sym_task *t)
{
	double d = (double)(c->boot_tics - t->start_time);

	return d > 0 ? d / (double)c->info.hz : 0;
}

double
time_all(const struct ps_ctx *c, const struct sym_task *t)
{
	return ((double)t->utime + (double)t->stime) / (double)c->info.hz;
}

/* libproc2 UTILIZATION: note the float multiplication. */
double
utilization(const struct ps_ctx *c, const struct sym_task *t)
{
	double d = (double)(c->boot_tics - t->start_time);
	float pct = (float)tics_all(t) * 100.0f;

	return d > 0 ? (double)pct / d : 0;
}

time_t
start_of(const struct ps_ctx *c, const struct sym_task *t)
{
	return (time_t)((unsigned)c->info.boot_time +
	    t->start_time / (unsigned long long)c->info.hz);
}

/* dev_to_tty(..., ABBREV_DEV): "pts/3", "tty1", or "?" */
const char *
tty_of(struct ps_ctx *c, const struct sym_task *t)
{
	return devname_tty(&c->devs, t->tty_nr, t->tid, c->o.live);
}
