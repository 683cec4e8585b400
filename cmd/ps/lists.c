/*
 * Selection lists: procps parser.c's parse_list and its item parsers
 * (pids, users, groups, commands, terminals).
 */
#include "config.h"

#include <err.h>
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "kps.h"

const char *
parse_pid(char *s, union sel_val *v, int negate)
{
	unsigned long n;
	char *end;

	errno = 0;
	n = strtoul(s, &end, 0);
	if (*end != '\0')
		return "process ID list syntax error";
	if (n < 1 || n > 0x7fffffffUL || errno != 0)
		return "process ID out of range";
	v->num = (long long)n;
	return NULL;
}

/* A number, else a name; with --deselect an unknown name matches none. */
static const char *
parse_id(char *s, union sel_val *v, int negate, int group)
{
	struct passwd *pw;
	struct group *gr;
	unsigned long n;
	char *end;

	errno = 0;
	n = strtoul(s, &end, 0);
	if (*end != '\0') {
		n = (unsigned long)-1;
		if (group && (gr = getgrnam(s)) != NULL)
			n = gr->gr_gid;
		if (!group && (pw = getpwnam(s)) != NULL)
			n = pw->pw_uid;
		if (n == (unsigned long)-1 && !negate)
			return group ? "group name does not exist" :
			    "user name does not exist";
	}
	if (!negate && (n > 0xfffffffeUL || errno != 0))
		return group ? "group ID out of range" : "user ID out of range";
	v->num = (long long)(unsigned)n;
	return NULL;
}

const char *
parse_uid(char *s, union sel_val *v, int negate)
{
	return parse_id(s, v, negate, 0);
}

const char *
parse_gid(char *s, union sel_val *v, int negate)
{
	return parse_id(s, v, negate, 1);
}

const char *
parse_cmd(char *s, union sel_val *v, int negate)
{
	snprintf(v->cmd, sizeof(v->cmd), "%s", s);
	return NULL;
}

/* A terminal by path, or as pts/N, N, ttyN ...; "-" and "?" are none. */
const char *
parse_tty(char *s, union sel_val *v, int negate)
{
	static const char *const where[][2] = {	/* prefix, suffix */
		{ "/dev/pts/", "" }, { "/dev/", "" }, { "/dev/tty", "" },
		{ "/dev/pty", "" }, { "/dev/", "nsole" },	/* "co" */
	};
	char path[4096];
	struct stat st;
	size_t i;

	if (s[0] == '/' && stat(s, &st) == 0)
		goto found;
	for (i = 0; s[0] != '/' && i < sizeof(where) / sizeof(where[0]); i++) {
		snprintf(path, sizeof(path), "%s%s%s", where[i][0], s,
		    where[i][1]);
		if (stat(path, &st) == 0)
			goto found;
	}
	if (strcmp(s, "-") == 0 || strcmp(s, "?") == 0) {
		v->num = 0;
		return NULL;
	}
	return "TTY could not be found";
found:
	if (!S_ISCHR(st.st_mode))
		return "list member was not a TTY";
	v->num = (long long)st.st_rdev;
	return NULL;
}

static int
is_listsep(char ch)
{
	return ch == ' ' || ch == ',' || ch == '\t';
}

/* Items separated by blanks or commas, none empty. */
const char *
parse_list(struct args *a, const char *arg, parse_fn *fn, enum sel_type type)
{
	struct sel *s;
	char *buf, *walk, *sep;
	const char *e = NULL;
	size_t n = 0, i;

	if (a->nsel == SELS_MAX)
		return "too many selection lists";
	for (i = 0; arg[i] != '\0'; i++) {
		int after_sep = i == 0 || is_listsep(arg[i - 1]);

		if (is_listsep(arg[i]) && after_sep)
			return "improper list";
		n += after_sep && !is_listsep(arg[i]);
	}
	if (n == 0 || is_listsep(arg[i - 1]))
		return "improper list";
	s = &a->sel[a->nsel];
	if ((buf = strdup(arg)) == NULL ||
	    (s->v = calloc(n, sizeof(*s->v))) == NULL)
		err(1, NULL);
	for (walk = buf, i = 0; e == NULL && i < n; i++) {
		if ((sep = strpbrk(walk, " ,\t")) != NULL)
			*sep = '\0';
		e = fn(walk, &s->v[i], a->negate);
		walk = sep != NULL ? sep + 1 : walk;
	}
	free(buf);
	if (e != NULL) {
		free(s->v);
		return e;
	}
	s->type = type;
	s->n = n;
	a->nsel++;
	return NULL;
}
