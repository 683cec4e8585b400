/*
 * sleepers: fork N children that pause() for ever, for bench/guest-ps.sh
 * (processes for ps to list, made cheaply: no exec, and under TCG a shell
 * loop of `sleep 100000 &` costs a fork and an exec of busybox each).
 * Built with cc -static by bench/run-ps.sh when it can be.
 *
 *   sleepers N
 *
 * The children have stdin, stdout and stderr on /dev/null (so a command
 * substitution around sleepers does not wait for them) and stay children
 * of init once sleepers has exited; the guest powers off with them alive.
 * Exit status 0 when all N were forked, else 1 with the count on stderr.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	long n, i;
	int null;

	if (argc != 2 || (n = strtol(argv[1], NULL, 10)) < 0) {
		fprintf(stderr, "usage: sleepers N\n");
		return 2;
	}
	if ((null = open("/dev/null", O_RDWR)) == -1) {
		perror("sleepers: /dev/null");
		return 1;
	}
	for (i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid == -1) {
			fprintf(stderr, "sleepers: fork %ld of %ld: %s\n",
			    i + 1, n, strerror(errno));
			return 1;
		}
		if (pid == 0) {
			dup2(null, 0);
			dup2(null, 1);
			dup2(null, 2);
			close(null);
			for (;;)
				pause();
		}
	}
	return 0;
}
