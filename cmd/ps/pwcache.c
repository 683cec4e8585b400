/*
 * User and group names, cached per context as libproc2's pwcache.c does:
 * the name, or the number when there is none or it is too long.
 */
#include "config.h"

#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* libproc2 pwcache: the name, or the number when none or too long. */
static const char *
name_of(struct name **tab, unsigned id, int group)
{
	struct name **p = &tab[id % HASH];
	struct passwd *pw;
	struct group *gr;
	const char *s;

	for (; *p != NULL; p = &(*p)->next)
		if ((*p)->id == id)
			return (*p)->s;
	if ((*p = calloc(1, sizeof(**p))) == NULL)
		return "?";
	(*p)->id = id;
	if (group)
		s = (gr = getgrgid(id)) != NULL ? gr->gr_name : NULL;
	else
		s = (pw = getpwuid(id)) != NULL ? pw->pw_name : NULL;
	if (s == NULL || strlen(s) >= NAME_SZ)
		snprintf((*p)->s, NAME_SZ, "%u", id);
	else
		strcpy((*p)->s, s);
	return (*p)->s;
}

void
free_names(struct name **tab)
{
	struct name *n, *next;
	int i;

	for (i = 0; i < HASH; i++)
		for (n = tab[i]; n != NULL; n = next) {
			next = n->next;
			free(n);
		}
}

const char *
user_of(struct ps_ctx *c, const struct sym_task *t, int which)
{
	return name_of(c->users, t->uid[which], 0);
}

const char *
group_of(struct ps_ctx *c, const struct sym_task *t, int which)
{
	return name_of(c->groups, t->gid[which], 1);
}
