/*
 * The /proc readers the tools fall back to when kernel memory can't be
 * read: the kernel has already done the arithmetic and formatted the text.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>

#include "libsym.h"

#define PROC_LOADAVG	"/proc/loadavg"
#define PROC_UPTIME	"/proc/uptime"

static int
read_line(const char *path, char *buf, size_t len, char *errbuf)
{
	FILE *fp;

	if ((fp = fopen(path, "re")) == NULL) {
		snprintf(errbuf, SYM_ERRSIZE, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fgets(buf, (int)len, fp) == NULL) {
		snprintf(errbuf, SYM_ERRSIZE, "%s: empty", path);
		fclose(fp);
		return -1;
	}
	fclose(fp);
	return 0;
}

/* "%lu.%02lu %lu.%02lu %lu.%02lu %u/%d %d\n", as fs/proc/loadavg.c. */
int
sym_proc_loadavg(struct sym_loadavg *la, char *errbuf)
{
	unsigned long i[3], f[3];
	char buf[256], end;
	int n, k;

	memset(la, 0, sizeof(*la));
	if (read_line(PROC_LOADAVG, buf, sizeof(buf), errbuf) == -1)
		return -1;
	n = sscanf(buf, "%lu.%2lu %lu.%2lu %lu.%2lu %lu/%d %d%c", &i[0], &f[0],
	    &i[1], &f[1], &i[2], &f[2], &la->running, &la->threads,
	    &la->lastpid, &end);
	if (n != 10 || end != '\n') {
		snprintf(errbuf, SYM_ERRSIZE, "%s: unexpected format", PROC_LOADAVG);
		return -1;
	}
	for (k = 0; k < 3; k++)
		la->centi[k] = i[k] * 100 + f[k];
	la->have = SYM_LA_RUNNING | SYM_LA_THREADS | SYM_LA_LASTPID;
	return 0;
}

int
sym_proc_uptime(struct sym_uptime *up, char *errbuf)
{
	struct timeval tv;
	char buf[128];
	double idle;

	memset(up, 0, sizeof(*up));
	if (read_line(PROC_UPTIME, buf, sizeof(buf), errbuf) == -1)
		return -1;
	if (sscanf(buf, "%lf %lf", &up->uptime, &idle) != 2) {
		snprintf(errbuf, SYM_ERRSIZE, "%s: unexpected format", PROC_UPTIME);
		return -1;
	}
	gettimeofday(&tv, NULL);
	up->now = (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
	up->live = 1;
	return 0;
}
