/* The uptime line shared by kuptime and kw. */
#ifndef CMD_UPTIMEFMT_H
#define CMD_UPTIMEFMT_H

#include "libsym.h"

/* USER_PROCESS entries with a name in file (NULL: the system's utmp). */
int utmp_users(const char *file);
/* " HH:MM:SS up ..., N users,  load average: a, b, c" and a newline. */
void uptime_line(const struct sym_uptime *up, const struct sym_loadavg *la,
    int users);

#endif
