/*
 * Struct layouts as tables: one row per member a walker reads, with its
 * spellings across kernels (newest first), whether it may be absent, and
 * the kernel commit that renamed or added it.  One routine resolves a
 * table against the BTF, so a kernel quirk is a row, not code, and a
 * member two walkers read (task_struct's state) is spelled once.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "sym_private.h"

/* The row's spellings, "a or b or c", for the error. */
static void
spellings(const struct sym_row *r, char *buf, size_t len)
{
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < SYM_SPELLINGS && r->names[i] != NULL && n < len; i++)
		n += (size_t)snprintf(buf + n, len - n, "%s%s", i ? " or " : "",
		    r->names[i]);
}

/* One row: 0 found, 1 an optional member absent, -1 error set. */
static int
resolve(sym_t *h, const struct sym_row *r, struct sym_member *m)
{
	const char *names[SYM_SPELLINGS + 1] = { NULL }, *found = NULL;
	char saved[SYM_ERRSIZE], list[256];

	memcpy(names, r->names, sizeof(r->names));
	memcpy(saved, h->errbuf, sizeof(saved));
	if (_sym_member_any(h, r->type, names, m, &found) == 0) {
		/* an older spelling found: the newer's miss is no error */
		memcpy(h->errbuf, saved, sizeof(saved));
		if (r->why != NULL)
			_sym_explain(h, "types: %s.%s (%s)", r->type, found,
			    r->why);
		return 0;
	}
	spellings(r, list, sizeof(list));
	if (r->have != SYM_REQUIRED) {
		/* An expected absence: the caller's flag says it. */
		memcpy(h->errbuf, saved, sizeof(saved));
		return 1;
	}
	_sym_err(h, "%s: struct %s has no member %s%s%s%s",
	    h->btfpath ? h->btfpath : "BTF", r->type, list,
	    r->why ? " (" : "", r->why ? r->why : "", r->why ? ")" : "");
	return -1;
}

int
_sym_layout(sym_t *h, const struct sym_row *rows, size_t n, void *layout,
    const char *grow_type, uint64_t *len)
{
	struct sym_member *m;
	size_t i;
	int rc;

	for (i = 0; i < n; i++) {
		m = (struct sym_member *)((char *)layout + rows[i].off);
		if ((rc = resolve(h, &rows[i], m)) == -1)
			return -1;
		if (rows[i].have != SYM_REQUIRED)
			*(int *)((char *)layout + rows[i].have) = rc == 0;
		if (rc == 0 && len != NULL && grow_type != NULL &&
		    strcmp(rows[i].type, grow_type) == 0 &&
		    m->offset + m->size > *len)
			*len = m->offset + m->size;
	}
	return 0;
}
