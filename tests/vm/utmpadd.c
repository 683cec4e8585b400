/*
 * utmpadd USER LINE PID [HOST]: log a session into utmp as login(1)
 * would, so that the guest has users for w(1) and kw to show.  Test
 * equipment for the QEMU guest; not installed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <utmp.h>

int
main(int argc, char **argv)
{
	struct utmp ut;
	struct timeval tv;

	if (argc < 4 || argc > 5) {
		fprintf(stderr, "usage: utmpadd user line pid [host]\n");
		return 2;
	}
	memset(&ut, 0, sizeof(ut));
	ut.ut_type = USER_PROCESS;
	ut.ut_pid = atoi(argv[3]);
	strncpy(ut.ut_user, argv[1], sizeof(ut.ut_user));
	strncpy(ut.ut_line, argv[2], sizeof(ut.ut_line));
	strncpy(ut.ut_id, argv[2] + (strlen(argv[2]) > 4 ?
	    strlen(argv[2]) - 4 : 0), sizeof(ut.ut_id));
	if (argc == 5)
		strncpy(ut.ut_host, argv[4], sizeof(ut.ut_host));
	gettimeofday(&tv, NULL);
	ut.ut_tv.tv_sec = (int32_t)tv.tv_sec;
	ut.ut_tv.tv_usec = (int32_t)tv.tv_usec;
	setutent();
	if (pututline(&ut) == NULL) {
		perror("utmpadd: pututline");
		return 1;
	}
	endutent();
	return 0;
}
