/*
 * timeit: run several commands interleaved and report each one's wall time
 * per run, for bench/run.sh.  Round r runs every command once, starting
 * with command (r mod n), so no command always runs first (after an idle
 * gap) or always right after another; warm-up rounds are not counted.
 *
 *   timeit [-f] [-n RUNS] [-w WARMUP] :: LABEL [VAR=value...] CMD [ARG...] [:: ...]
 *
 * Each command runs through posix_spawn (no shell: a shell would add its
 * own start-up to every number) with stdin, stdout and stderr on
 * /dev/null.  VAR=value words before CMD are added to that command's
 * environment only.  The time is CLOCK_MONOTONIC from just before the
 * spawn to the return of wait4: what a user waits for, including exec
 * and dynamic linking.  A run that exits non-zero is a failure: timeit
 * prints it and exits 1 at the end, so nothing broken is timed silently.
 *
 * -f (time to first output): stdout is a pipe that timeit reads to the
 * end and throws away, and the time counted is from just before the
 * spawn to the return of the read that brings the first byte (to the
 * return of wait4 if nothing is written).  A command that writes its
 * output with one write at exit (stdio's buffer on a pipe) shows the
 * same time either way.
 *
 * Output, one line per command:
 *   RESULT LABEL RUNS MEDIAN_NS MIN_NS P90_NS MEAN_NS FAILS MAXRSS_KB CPU_NS RUN_NS
 * where the last three are medians over the runs, from wait4: the peak
 * resident set (ru_maxrss), user + system CPU time, and the wall time to
 * exit (the same as MEDIAN_NS without -f).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

struct cmd {
	const char *label;
	char **argv;		/* NULL-terminated, points into main's argv */
	char **envp;		/* environ plus this command's VAR=value */
	uint64_t *ns;		/* what is reported: to exit, or -f's first byte */
	uint64_t *rss_kb, *cpu_ns, *run_ns;
	unsigned fails;
};

static void
usage(void)
{
	fprintf(stderr, "usage: timeit [-f] [-n RUNS] [-w WARMUP] :: LABEL "
	    "[VAR=value...] CMD [ARG...] [:: LABEL ...]\n");
	exit(2);
}

static unsigned
number(const char *s)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v > 1000000)
		usage();
	return (unsigned)v;
}

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int
is_assignment(const char *s)
{
	const char *eq = strchr(s, '=');

	return eq != NULL && eq != s && s[0] != '/' && s[0] != '.';
}

/* environ with the command's own VAR=value words in front. */
static char **
make_env(char **assign, int nassign)
{
	size_t nenv = 0, i, k = 0;
	char **envp;
	int j;

	while (environ[nenv] != NULL)
		nenv++;
	if ((envp = calloc(nenv + (size_t)nassign + 1, sizeof(*envp))) == NULL) {
		perror("timeit");
		exit(1);
	}
	for (j = 0; j < nassign; j++)
		envp[k++] = assign[j];
	for (i = 0; i < nenv; i++) {
		size_t len = strcspn(environ[i], "=") + 1;
		int dup = 0;

		for (j = 0; j < nassign; j++)
			if (strncmp(environ[i], assign[j], len) == 0)
				dup = 1;
		if (!dup)
			envp[k++] = environ[i];
	}
	return envp;
}

/* Read the pipe to its end; the time of the first byte, or 0 if none. */
static uint64_t
drain(int fd)
{
	char buf[65536];
	uint64_t first = 0;
	ssize_t n;

	for (;;) {
		n = read(fd, buf, sizeof(buf));
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (first == 0)
			first = now_ns();
	}
	if (n == -1)
		perror("timeit: read");
	return first;
}

/* One run.  ns: the time reported (to exit, or with first_byte to the
 * first byte of stdout); run: to exit; rss_kb and cpu from wait4. */
static int
run_once(struct cmd *c, posix_spawn_file_actions_t *fa, int first_byte,
    uint64_t *ns, uint64_t *run, uint64_t *rss_kb, uint64_t *cpu)
{
	posix_spawn_file_actions_t pfa;
	struct rusage ru;
	uint64_t t0, t1, tf = 0;
	int pfd[2] = { -1, -1 };
	pid_t pid;
	int st, e;

	if (first_byte) {
		if (pipe2(pfd, O_CLOEXEC) == -1) {
			perror("timeit: pipe");
			return -1;
		}
		posix_spawn_file_actions_init(&pfa);
		posix_spawn_file_actions_addopen(&pfa, 0, "/dev/null", O_RDONLY, 0);
		posix_spawn_file_actions_adddup2(&pfa, pfd[1], 1);
		posix_spawn_file_actions_addopen(&pfa, 2, "/dev/null", O_WRONLY, 0);
		fa = &pfa;
	}
	t0 = now_ns();
	e = posix_spawnp(&pid, c->argv[0], fa, NULL, c->argv, c->envp);
	if (first_byte) {
		posix_spawn_file_actions_destroy(&pfa);
		close(pfd[1]);
		if (e == 0)
			tf = drain(pfd[0]);
		close(pfd[0]);
	}
	if (e != 0) {
		fprintf(stderr, "timeit: %s: %s\n", c->argv[0], strerror(e));
		return -1;
	}
	while (wait4(pid, &st, 0, &ru) == -1)
		if (errno != EINTR) {
			perror("timeit: wait4");
			return -1;
		}
	t1 = now_ns();
	*run = t1 - t0;
	*ns = tf != 0 ? tf - t0 : t1 - t0;
	*rss_kb = (uint64_t)ru.ru_maxrss;
	*cpu = (uint64_t)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000u +
	    (uint64_t)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000u;
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return -1;
	return 0;
}

/* Sorts v in place. */
static uint64_t
median(uint64_t *v, unsigned n)
{
	qsort(v, n, sizeof(*v), cmp_u64);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int
main(int argc, char **argv)
{
	posix_spawn_file_actions_t fa;
	unsigned runs = 20, warmup = 2, r, k;
	struct cmd *cmds;
	int ncmd = 0, i, j, opt, bad = 0, first_byte = 0;

	while ((opt = getopt(argc, argv, "+fn:w:")) != -1) {
		if (opt == 'f')
			first_byte = 1;
		else if (opt == 'n')
			runs = number(optarg);
		else if (opt == 'w')
			warmup = number(optarg);
		else
			usage();
	}
	if (runs == 0 || optind >= argc || strcmp(argv[optind], "::") != 0)
		usage();
	if ((cmds = calloc((size_t)argc, sizeof(*cmds))) == NULL) {
		perror("timeit");
		return 1;
	}
	/* Split "LABEL [VAR=v...] CMD ARGS" groups at each "::"; each "::"
	 * after a group becomes the NULL that ends that group's argv. */
	for (i = optind; i < argc; ) {
		struct cmd *c = &cmds[ncmd++];
		int start = i + 1, a;

		for (i = start; i < argc && strcmp(argv[i], "::") != 0; i++)
			;
		c->label = argv[start];
		for (a = start + 1; a < i && is_assignment(argv[a]); a++)
			;
		if (start >= i || a >= i)
			usage();
		c->envp = make_env(argv + start + 1, a - start - 1);
		c->argv = argv + a;
		if (i < argc)
			argv[i] = NULL;
		c->ns = calloc(runs, sizeof(*c->ns));
		c->rss_kb = calloc(runs, sizeof(*c->rss_kb));
		c->cpu_ns = calloc(runs, sizeof(*c->cpu_ns));
		c->run_ns = calloc(runs, sizeof(*c->run_ns));
		if (c->ns == NULL || c->rss_kb == NULL || c->cpu_ns == NULL ||
		    c->run_ns == NULL) {
			perror("timeit");
			return 1;
		}
	}

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);

	for (r = 0; r < warmup + runs; r++) {
		for (j = 0; j < ncmd; j++) {
			struct cmd *c = &cmds[(j + (int)(r % (unsigned)ncmd)) % ncmd];
			uint64_t ns = 0, run = 0, rss = 0, cpu = 0;

			if (run_once(c, &fa, first_byte, &ns, &run, &rss,
			    &cpu) == -1) {
				c->fails++;
				if (c->fails == 1)
					fprintf(stderr, "timeit: %s: run %u "
					    "failed\n", c->label, r + 1);
			}
			if (r >= warmup) {
				c->ns[r - warmup] = ns;
				c->run_ns[r - warmup] = run;
				c->rss_kb[r - warmup] = rss;
				c->cpu_ns[r - warmup] = cpu;
			}
		}
	}

	for (j = 0; j < ncmd; j++) {
		struct cmd *c = &cmds[j];
		uint64_t sum = 0, med;

		med = median(c->ns, runs);
		for (k = 0; k < runs; k++)
			sum += c->ns[k];
		printf("RESULT %s %u %llu %llu %llu %llu %u %llu %llu %llu\n",
		    c->label, runs,
		    (unsigned long long)med, (unsigned long long)c->ns[0],
		    (unsigned long long)c->ns[(runs * 9) / 10 < runs ?
		    (runs * 9) / 10 : runs - 1],
		    (unsigned long long)(sum / runs), c->fails,
		    (unsigned long long)median(c->rss_kb, runs),
		    (unsigned long long)median(c->cpu_ns, runs),
		    (unsigned long long)median(c->run_ns, runs));
		if (c->fails)
			bad = 1;
	}
	return bad;
}
