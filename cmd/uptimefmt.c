/*
 * The first line of uptime(1) and w(1), as procps-ng 4.0 prints it, and
 * the user count from utmp as procps counts it.
 */
#include "config.h"

#include <err.h>
#include <limits.h>

#include <stdio.h>
#include <time.h>
#include <utmp.h>

#include "uptimefmt.h"

/* As procps: USER_PROCESS entries with a name. */
int
utmp_users(const char *file)
{
	struct utmp *ut;
	int n = 0;

	if (file != NULL && utmpname(file) == -1)
		return 0;
	setutent();
	while ((ut = getutent()) != NULL)
		if (ut->ut_type == USER_PROCESS && ut->ut_user[0] != '\0')
			n++;
	endutent();
	return n;
}

time_t
dump_time(double t)
{
	if (!(t > -9007199254740992.0 && t < 9007199254740992.0))
		errx(1, "time %g from the kernel is out of range", t);
	return (time_t)t;
}

void
uptime_line(const struct sym_uptime *up, const struct sym_loadavg *la,
    int users)
{
	/* Live, the clock is time(2)'s, as procps reads it: the coarse clock
	 * can still show the last second when gettimeofday shows the next. */
	time_t now = up->live ? time(NULL) : dump_time(up->now);
	struct tm tm;
	int days, hours, mins, i;

	if (!(up->uptime >= 0 && up->uptime < INT_MAX))
		errx(1, "uptime %g s from the kernel is out of range",
		    up->uptime);

	localtime_r(&now, &tm);
	days = (int)up->uptime / (60 * 60 * 24);
	hours = ((int)up->uptime / (60 * 60)) % 24;
	mins = ((int)up->uptime / 60) % 60;
	printf(" %02d:%02d:%02d up ", tm.tm_hour, tm.tm_min, tm.tm_sec);
	if (days)
		printf("%d %s, ", days, days > 1 ? "days" : "day");
	if (hours)
		printf("%2d:%02d, ", hours, mins);
	else
		printf("%d min, ", mins);
	printf("%2d %s,  load average: ", users, users > 1 ? "users" : "user");
	for (i = 0; i < 3; i++)
		printf("%.2f%s", (double)la->centi[i] / 100.0, i < 2 ? ", " : "\n");
}
