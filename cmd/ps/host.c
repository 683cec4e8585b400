/*
 * What kps learns of the machine it runs on: the screen's width (procps
 * set_screen_size), the terminal it runs on, and pid_max.
 */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "kps.h"

/* The terminal's size from the first of stdout, stderr, stdin, /dev/tty. */
static void
tty_size(int *cols, int *rows)
{
	const int fds[] = { STDOUT_FILENO, STDERR_FILENO, STDIN_FILENO };
	struct winsize ws;
	size_t i;
	int fd, got = 0;

	for (i = 0; !got && i < sizeof(fds) / sizeof(fds[0]); i++)
		got = ioctl(fds[i], TIOCGWINSZ, &ws) != -1 && ws.ws_col > 0 &&
		    ws.ws_row > 0;
	if (!got && (fd = open("/dev/tty", O_NOCTTY | O_NONBLOCK | O_RDONLY |
	    O_CLOEXEC)) != -1) {
		got = ioctl(fd, TIOCGWINSZ, &ws) != -1 && ws.ws_col > 0 &&
		    ws.ws_row > 0;
		close(fd);
	}
	*cols = got ? ws.ws_col : 80;
	*rows = got ? ws.ws_row : 24;
}

/* COLUMNS or LINES, if a number in (0, PS_OUTBUF). */
static void
env_size(const char *name, int *v)
{
	const char *env = getenv(name);
	char *end;
	long n;

	if (env == NULL || *env == '\0')
		return;
	n = strtol(env, &end, 0);
	if (*end == '\0' && n > 0 && n < PS_OUTBUF)
		*v = (int)n;
}

/* procps set_screen_size, then --cols and -w as choose_dimensions. */
int
screen_cols(const struct args *a)
{
	int cols, rows;

	tty_size(&cols, &rows);
	if (!isatty(STDOUT_FILENO))	/* a pipe or file gets it all */
		cols = PS_OUTBUF;
	env_size("COLUMNS", &cols);
	env_size("LINES", &rows);
	if (cols < 9 || rows < 2)
		fprintf(stderr, "your %dx%d screen size is bogus. expect "
		    "trouble\n", cols, rows);
	if (a->cols)
		cols = a->cols;
	if (a->w_count && cols < 132)
		cols = 132;
	if (a->w_count > 1)
		cols = PS_OUTBUF;
	return cols;
}

/* Field 7 of our own stat: the terminal "no options" selects by. */
long long
our_tty(void)
{
	char buf[1024], *p;
	unsigned long long tty;
	ssize_t n;
	int fd;

	if ((fd = open("/proc/self/stat", O_RDONLY | O_CLOEXEC)) == -1)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	if ((p = strrchr(buf, ')')) == NULL ||
	    sscanf(p + 1, " %*c %*d %*d %*d %llu", &tty) != 1)
		return 0;
	return (long long)tty;
}

/* procps sizes PID columns by the digits of pid_max. */
int
pid_length(void)
{
	char buf[24];
	size_t n;
	FILE *fp;

	if ((fp = fopen("/proc/sys/kernel/pid_max", "re")) == NULL)
		return 5;
	n = fgets(buf, sizeof(buf), fp) != NULL ? strlen(buf) : 0;
	fclose(fp);
	if (n > 0 && buf[n - 1] == '\n')
		n--;
	return n > 0 ? (int)n : 5;
}
