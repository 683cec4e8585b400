/*
 * Building formats and sort lists from their specifications (procps
 * sortformat.c: do_one_spec, format_parse, fmt_add_after, long_sort_parse).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static int
make_col(struct ps_col *col, const struct ps_spec *s, int pid_len,
    const char *head)
{
	int w = s->width, hw;

	if (s->flags & F_PIDMAX) {
		hw = (int)strlen(s->head);
		w = pid_len > hw ? pid_len : hw;
	}
	if (head != NULL && (hw = (int)strlen(head)) > w)
		w = hw;
	if ((col->head = strdup(head != NULL ? head : s->head)) == NULL)
		return -1;
	col->spec = s;
	col->width = w;
	col->fixed = 0;
	return 0;
}

static int
insert_col(struct ps_format *f, int at, const struct ps_spec *s,
    const char *head, char *err, size_t errlen)
{
	if (f->n == PS_COLS_MAX) {
		snprintf(err, errlen, "more than %d columns", PS_COLS_MAX);
		return -1;
	}
	memmove(&f->col[at + 1], &f->col[at],
	    (size_t)(f->n - at) * sizeof(f->col[0]));
	if (make_col(&f->col[at], s, f->pid_len, head) == -1) {
		memmove(&f->col[at], &f->col[at + 1],
		    (size_t)(f->n - at) * sizeof(f->col[0]));
		snprintf(err, errlen, "%s", strerror(errno));
		return -1;
	}
	f->n++;
	return 0;
}

/* A column or a macro of columns; head overrides every header. */
static int
add_one(struct ps_format *f, const char *name, const char *head, int *cols,
    char *err, size_t errlen)
{
	const struct ps_spec *s;
	char sub[16];
	const char *p;
	size_t len;

	if ((s = find_spec(name)) != NULL) {
		*cols = 1;
		return insert_col(f, f->n, s, head, err, errlen);
	}
	if ((p = find_macro(name)) == NULL) {
		snprintf(err, errlen, "unknown user-defined format specifier "
		    "\"%s\"", name);
		return -1;
	}
	for (*cols = 0; *p != '\0'; p += len) {
		len = strcspn(p, ",");
		snprintf(sub, sizeof(sub), "%.*s", (int)len, p);
		if ((s = find_spec(sub)) == NULL ||
		    insert_col(f, f->n, s, head, err, errlen) == -1)
			return -1;
		(*cols)++;
		len += p[len] == ',';
	}
	return 0;
}

int
psfmt_add_spec(struct ps_format *f, const char *spec, char *err,
    size_t errlen)
{
	int cols;

	return add_one(f, spec, NULL, &cols, err, errlen);
}

static int
is_sep(char ch)
{
	return ch == ' ' || ch == ',' || ch == '\t' || ch == '\n';
}

/*
 * Items between separators; -1 for an empty item (a leading or doubled
 * separator, or an empty list).  One trailing separator is cut off.
 */
static int
count_items(char *buf)
{
	int items = 0, need = 1;
	char *p = buf;

	do {
		if (*p == '\0' || is_sep(*p)) {
			if (need)
				return -1;
			need = 1;
		} else {
			if (need)
				items++;
			need = 0;
		}
	} while (*++p != '\0');
	if (need)
		p[-1] = '\0';
	return items;
}

/* A copy of list to cut up, and its items; NULL and a message if none. */
static char *
list_copy(const char *list, const char *what, int *items, char *err,
    size_t errlen)
{
	char *buf;

	if ((buf = strdup(list)) == NULL) {
		snprintf(err, errlen, "%s", strerror(errno));
		return NULL;
	}
	if ((*items = count_items(buf)) <= 0) {
		snprintf(err, errlen, "improper %s list", what);
		free(buf);
		return NULL;
	}
	return buf;
}

/* ":N": decimal, no leading zero, positive; bounded by the line. */
static int
parse_width(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 6 || strspn(s, "0123456789") != n || *s == '0' ||
	    atoi(s) > PS_OUTBUF)
		return -1;
	return atoi(s);
}

/* One "name[:width][=header]" of a list; the last header may hold ','. */
static int
add_item(struct ps_format *f, char *item, char *err, size_t errlen)
{
	char *head, *colon;
	int width = 0, cols;

	if ((head = strchr(item, '=')) != NULL)
		*head++ = '\0';
	if ((colon = strchr(item, ':')) != NULL) {
		*colon++ = '\0';
		if ((width = parse_width(colon)) == -1) {
			snprintf(err, errlen, "column widths must be unsigned "
			    "decimal numbers");
			return -1;
		}
	}
	if (add_one(f, item, head, &cols, err, errlen) == -1)
		return -1;
	if (colon != NULL && cols > 1) {
		snprintf(err, errlen, "can not set width for a macro "
		    "(multi-column) format specifier");
		return -1;
	}
	if (colon != NULL) {
		f->col[f->n - 1].width = width;
		f->col[f->n - 1].fixed = 1;
	}
	return 0;
}

void
psfmt_pid_len(struct ps_format *f, int pid_len)
{
	int i, w;

	f->pid_len = pid_len;
	for (i = 0; i < f->n; i++) {
		if (f->col[i].fixed || !(f->col[i].spec->flags & F_PIDMAX))
			continue;
		w = (int)strlen(f->col[i].spec->head);
		if ((int)strlen(f->col[i].head) > w)
			w = (int)strlen(f->col[i].head);
		f->col[i].width = pid_len > w ? pid_len : w;
	}
}

int
psfmt_add_list(struct ps_format *f, const char *list, char *err,
    size_t errlen)
{
	char *buf, *walk, *sep;
	int items, rc = 0;

	if ((buf = list_copy(list, "format", &items, err, errlen)) == NULL)
		return -1;
	for (walk = buf; rc == 0 && items-- > 0 && walk != NULL; ) {
		sep = strpbrk(walk, " ,\t\n");
		if (items > 0 && sep != NULL)
			*sep = '\0';
		rc = add_item(f, walk, err, errlen);
		walk = sep != NULL ? sep + 1 : NULL;
	}
	free(buf);
	return rc;
}

static int
find_head(const struct ps_format *f, const char *head)
{
	int i;

	for (i = 0; i < f->n; i++)
		if (strcmp(f->col[i].head, head) == 0)
			return i;
	return -1;
}

int
psfmt_add_after(struct ps_format *f, const char *head, const char *spec)
{
	char err[128];
	int at = find_head(f, head);

	if (at == -1 || find_spec(spec) == NULL)
		return 0;
	return insert_col(f, at + 1, find_spec(spec), NULL, err,
	    sizeof(err)) == 0;
}

int
psfmt_delete(struct ps_format *f, const char *head)
{
	int at = find_head(f, head);

	if (at == -1)
		return 0;
	free(f->col[at].head);
	memmove(&f->col[at], &f->col[at + 1],
	    (size_t)(f->n - at - 1) * sizeof(f->col[0]));
	f->n--;
	return 1;
}

void
psfmt_free(struct ps_format *f)
{
	int i;

	for (i = 0; i < f->n; i++)
		free(f->col[i].head);
	f->n = 0;
}

/* procps long_sort_parse: [+|-]name, any column name, no macros. */
int
psfmt_sort_list(struct ps_sort *s, const char *list, char *err,
    size_t errlen)
{
	char *buf, *walk, *sep, *name;
	int items, order;

	if ((buf = list_copy(list, "sort", &items, err, errlen)) == NULL)
		return -1;
	for (walk = buf; items-- > 0; walk = sep + 1) {
		if ((sep = strpbrk(walk, " ,\t\n")) != NULL)
			*sep = '\0';
		name = walk + (*walk == '-' || *walk == '+');
		order = *walk == '-' ? -1 : 1;
		if (s->n == PS_SORT_MAX || find_spec(name) == NULL) {
			snprintf(err, errlen, s->n == PS_SORT_MAX ?
			    "too many sort keys" : "unknown sort specifier");
			free(buf);
			return -1;
		}
		s->key[s->n].spec = find_spec(name);
		s->key[s->n++].order = order;
		if (sep == NULL)
			break;
	}
	free(buf);
	return 0;
}

int
psfmt_needs_cmdline(const struct ps_format *f, const struct ps_sort *s,
    int unix_f)
{
	int i;

	for (i = 0; i < f->n; i++)
		if (f->col[i].spec->sr == IT_CMDLINE ||
		    (unix_f && f->col[i].spec->pr == pr_comm))
			return 1;
	for (i = 0; s != NULL && i < s->n; i++)
		if (s->key[i].spec->sr == IT_CMDLINE)
			return 1;
	return 0;
}

int
psfmt_needs_wchan(const struct ps_format *f, const struct ps_sort *s)
{
	int i;

	for (i = 0; i < f->n; i++)
		if (f->col[i].spec->sr == IT_WCHAN)
			return 1;
	for (i = 0; s != NULL && i < s->n; i++)
		if (s->key[i].spec->sr == IT_WCHAN)
			return 1;
	return 0;
}
