/*
 * ktasks-zoo: processes of known shapes for guest-ktasks.sh, the ones
 * busybox cannot make.  Each mode sets itself up, prints "ready PID" on
 * stdout (and closes it) and then waits to be killed.
 *
 *   ktasks-zoo threads N   N threads besides main: one spinning, the rest
 *                          asleep
 *   ktasks-zoo proctitle   setproctitle(): argv overwritten past its NUL
 *   ktasks-zoo mlock       three pages mlock()ed (VmLck 12 kB)
 *   ktasks-zoo rt          SCHED_FIFO priority 10
 *   ktasks-zoo uids        real, effective, saved and fs ids all different
 *   ktasks-zoo vfork       a parent in D (waiting for its vfork child)
 *   ktasks-zoo trace       a child in tracing stop (t)
 *   ktasks-zoo tty         a session leader with a pty as controlling tty
 *   ktasks-zoo pause ARGS  just sleeps (a long argument list)
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static void
ready(pid_t pid)
{
	printf("ready %d\n", (int)pid);
	fflush(stdout);
	/* Let the shell's $(...) finish: stdout is its pipe. */
	freopen("/dev/null", "w", stdout);
}

static void *
spin(void *arg)
{
	volatile unsigned long n = 0;

	(void)arg;
	for (;;)
		n++;
	return NULL;
}

static void *
sleeper(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

static void
die(const char *what)
{
	perror(what);
	exit(1);
}

int
main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "pause";
	pthread_t th;
	pid_t pid;
	int i, n;

	if (strcmp(mode, "threads") == 0) {
		n = argc > 2 ? atoi(argv[2]) : 3;
		for (i = 0; i < n; i++)
			if (pthread_create(&th, NULL, i == 0 ? spin : sleeper,
			    NULL) != 0)
				die("pthread_create");
		ready(getpid());
	} else if (strcmp(mode, "proctitle") == 0) {
		/* What setproctitle() does: argv's area, and the environment
		 * after it, rewritten as one string with no NUL at argv's
		 * end. */
		char *start = argv[0], *end = argv[argc - 1] +
		    strlen(argv[argc - 1]);
		size_t room;

		for (i = 0; environ[i] != NULL; i++)
			if (environ[i] == end + 1)
				end = environ[i] + strlen(environ[i]);
		room = (size_t)(end - start);
		memset(start, 'x', room);
		snprintf(start, room, "ktasks-zoo: retitled by setproctitle "
		    "and longer than argv was");
		start[strlen(start)] = ' ';	/* no NUL where argv ended */
		memcpy(end - 8, "-title-", 7);
		end[-1] = '\0';
		ready(getpid());
	} else if (strcmp(mode, "mlock") == 0) {
		char *p = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED || mlock(p, 3 * 4096) == -1)
			die("mlock");
		ready(getpid());
	} else if (strcmp(mode, "rt") == 0) {
		struct sched_param sp = { .sched_priority = 10 };

		if (sched_setscheduler(0, SCHED_FIFO, &sp) == -1)
			die("sched_setscheduler");
		ready(getpid());
	} else if (strcmp(mode, "uids") == 0) {
		if (setresgid(1001, 1002, 1003) == -1 ||
		    setresuid(2001, 2002, 2003) == -1)
			die("setresuid");
		setfsuid(2003);
		setfsgid(1003);
		ready(getpid());
	} else if (strcmp(mode, "vfork") == 0) {
		ready(getpid());
		/* The child never execs: the parent stays in
		 * wait_for_vfork_done, TASK_KILLABLE, shown as D. */
		if ((pid = vfork()) == 0)
			for (;;)
				pause();
	} else if (strcmp(mode, "trace") == 0) {
		if ((pid = fork()) == -1)
			die("fork");
		if (pid == 0) {
			ptrace(PTRACE_TRACEME, 0, NULL, NULL);
			raise(SIGSTOP);
			for (;;)
				pause();
		}
		waitpid(pid, &n, WUNTRACED);
		ready(pid);
	} else if (strcmp(mode, "tty") == 0) {
		int m = posix_openpt(O_RDWR | O_NOCTTY);
		int fds[2];
		char c;

		if (m == -1 || grantpt(m) == -1 || unlockpt(m) == -1 ||
		    pipe(fds) == -1)
			die("posix_openpt");
		if ((pid = fork()) == -1)
			die("fork");
		if (pid == 0) {
			/* A session leader's first tty becomes its
			 * controlling terminal. */
			setsid();
			if (open(ptsname(m), O_RDWR) == -1)
				die("open pts");
			write(fds[1], "x", 1);
			for (;;)
				pause();
		}
		read(fds[0], &c, 1);
		ready(pid);
	} else {
		ready(getpid());
	}
	for (;;)
		pause();
}
