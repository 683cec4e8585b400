/*
 * The ps formatter.  procps-ng 4.0.2 ps (src/ps/output.c, sortformat.c,
 * and the libproc2 that feeds it) is the specification: every width,
 * justification, escape and rounding here is what it does, including its
 * quirks, so that kps output can be diffed against ps byte for byte.
 * Where procps gets a value in two stages (libproc2 escapes the command
 * line once, ps escapes it again while fitting it to the screen), so do
 * we, because the two stages don't commute on odd bytes.
 *
 * This file holds a context's life; the others: escape.c, devname.c,
 * derive.c and pwcache.c (the values), columns.c and keywords.c (the
 * columns and their table), format.c (building formats and sort lists),
 * sort.c, line.c (printing a line).
 */
#include "config.h"

#include <langinfo.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* The line is a multiple of the screen width wide enough for all. */
static unsigned
active_cols(const struct ps_format *f, int screen_cols)
{
	unsigned total = 0, i, cols;
	int k;

	for (k = 0; k < f->n; k++) {
		if ((f->col[k].spec->flags & J_MASK) == J_UNLIMITED &&
		    k == f->n - 1)
			total += 3;
		else
			total += (unsigned)f->col[k].width;
		total += k > 0;
	}
	for (i = 1;; i++) {
		cols = (unsigned)screen_cols * i;
		if (cols >= total || cols >= PS_OUTBUF / 2)
			return cols;
	}
}

const char *
psfmt_comm(struct ps_ctx *c, const struct sym_task *t)
{
	return comm_of(c, t);
}

/* The buffers and the locale every context needs, format or not. */
static struct ps_ctx *
ctx_new(void)
{
	struct ps_ctx *c;
	const char *enc = nl_langinfo(CODESET);

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	c->line = malloc(SPACE_AMOUNT + PS_OUTBUF + 2);
	c->raw = malloc(LIB_BUFSZ);
	c->cmdl = malloc(LIB_BUFSZ);
	if (c->line == NULL || c->raw == NULL || c->cmdl == NULL) {
		psfmt_close(c);
		return NULL;
	}
	c->utf8 = enc != NULL && strcasecmp(enc, "UTF-8") == 0;
	return c;
}

struct ps_ctx *
psfmt_open_text(void)
{
	return ctx_new();
}

const char *
psfmt_cmdline(struct ps_ctx *c, const struct sym_task *t)
{
	return cmdline_of(c, t);
}

struct ps_ctx *
psfmt_open(const struct ps_format *f, const struct ps_opts *o,
    const struct sym_psinfo *info)
{
	struct ps_ctx *c;
	int i;

	if (info->hz <= 0 || f->n == 0 || (c = ctx_new()) == NULL)
		return NULL;
	memset(c->line, ' ', SPACE_AMOUNT);
	c->out = c->line + SPACE_AMOUNT;
	c->fmt = f;
	c->o = *o;
	c->info = *info;
	c->boot_tics = (unsigned long long)(info->uptime * (double)info->hz);
	c->now = (time_t)info->now;
	c->active_cols = active_cols(f, o->screen_cols);
	/* No header at all when every column's header is empty (Unix98). */
	for (i = 0; o->header && i < f->n; i++)
		if (f->col[i].head[0] != '\0')
			c->header_due = 1;
	return c;
}

void
psfmt_close(struct ps_ctx *c)
{
	if (c == NULL)
		return;
	free_names(c->users);
	free_names(c->groups);
	devname_free(&c->devs);
	free(c->line);
	free(c->raw);
	free(c->cmdl);
	free(c);
}
