/*
 * One line of output, header or task: each column's text placed as
 * procps's show_one_proc does (the padding, the spaces a wide column
 * borrows from the next, the room left for the last).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "internal.h"

/* Room for the last column; procps's unsigned arithmetic: none left is
 * 0, but overrun (negative) wraps and means the whole buffer. */
static unsigned
room_last(const struct ps_ctx *c, int correct, int actual, int *tmpspace,
    int dospace)
{
	long rem;

	*tmpspace = correct - actual;
	if (*tmpspace < 1) {
		*tmpspace = dospace;
		rem = (long)c->active_cols - actual - *tmpspace;
	} else
		rem = (long)c->active_cols -
		    (correct > actual ? correct : actual);
	if (rem == 0)
		return 0;
	return (rem < 0 || rem >= PS_OUTBUF) ? PS_OUTBUF - 1 : (unsigned)rem;
}

/* Padding to the left of the column; may cut a column that has no room. */
static int
leftpad(const struct ps_ctx *c, const struct ps_col *col, int amount,
    long rem)
{
	int pad = col->width - amount;

	switch (col->spec->flags & J_MASK) {
	case J_RIGHT:
		return pad > 0 ? pad : 0;
	case J_USER:
		return c->o.user_is_number && pad > 0 ? pad : 0;
	case J_WCHAN:
		if (c->o.wchan_is_number)
			return pad > 0 ? pad : 0;
		/* FALLTHROUGH */
	case J_UNLIMITED:
		if (rem == 0)		/* unsigned "< 1" in procps */
			c->out[1] = '\0';
		return 0;
	default:
		return 0;
	}
}

static int
column_text(struct ps_ctx *c, const struct ps_col *col,
    const struct sym_task *t)
{
	int amount;

	if (t != NULL)
		amount = col->spec->pr(c, t, c->out);
	else
		amount = snprintf(c->out, PS_OUTBUF, "%s", col->head);
	if (amount < 0)
		c->out[amount = 0] = '\0';
	else if (amount >= PS_OUTBUF)
		c->out[amount = PS_OUTBUF - 1] = '\0';
	return amount;
}

static void
show_line(struct ps_ctx *c, const struct sym_task *t)
{
	const struct ps_format *f = c->fmt;
	int correct = 0, actual = 0, dospace = 0, tmpspace, amount, space, k;
	size_t sz;

	for (k = 0; k < f->n; k++) {
		const struct ps_col *col = &f->col[k];
		int last = k == f->n - 1;

		tmpspace = 0;
		c->maxr = last ? room_last(c, correct, actual, &tmpspace,
		    dospace) : (unsigned)col->width;
		amount = column_text(c, col, t);
		space = correct - actual + leftpad(c, col, amount,
		    (long)c->active_cols - actual - tmpspace);
		if (space < 1)
			space = dospace;
		if (space > SPACE_AMOUNT)
			space = SPACE_AMOUNT;
		c->out[PS_OUTBUF - 1] = '\0';
		sz = strlen(c->out);
		if (last)
			c->out[sz++] = '\n';
		fwrite(c->out - space, (size_t)space + sz, 1, stdout);
		actual += space + amount;
		correct += col->width + 1;
		dospace = 1;
	}
}

void
psfmt_header(struct ps_ctx *c)
{
	if (c->header_due) {
		c->header_due = 0;
		show_line(c, NULL);
	}
}

void
psfmt_row(struct ps_ctx *c, const struct sym_task *t)
{
	psfmt_header(c);
	show_line(c, t);
}
