/* The uptime line shared by kuptime and kw. */
#ifndef CMD_UPTIMEFMT_H
#define CMD_UPTIMEFMT_H

#include "libsym.h"

/* USER_PROCESS entries with a name in file (NULL: the system's utmp). */
int utmp_users(const char *file);
/* " HH:MM:SS up ..., N users,  load average: a, b, c" and a newline. */
#include <time.h>

/* A dump's clock as time_t; NaN or beyond 2^53 s exits with an error
 * (a double out of time_t's range is undefined behaviour). */
time_t dump_time(double t);
void uptime_line(const struct sym_uptime *up, const struct sym_loadavg *la,
    int users);

#endif
