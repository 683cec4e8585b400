/*
 * Runs a harness's entry on each file named, without libFuzzer: make
 * check replays the committed inputs (tests/fuzz/regress, corpus) this
 * way, in the normal and the sanitizer builds.  A crash or sanitizer
 * report ends the process; otherwise it prints one line per file.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "fuzz.h"

static int
replay(const char *path)
{
	unsigned char *buf = NULL;
	size_t n = 0, cap = 0;
	FILE *fp;

	if ((fp = fopen(path, "rb")) == NULL) {
		perror(path);
		return -1;
	}
	for (;;) {
		if (n == cap) {
			cap = cap ? cap * 2 : 65536;
			if ((buf = realloc(buf, cap)) == NULL)
				abort();
		}
		size_t r = fread(buf + n, 1, cap - n, fp);
		if (r == 0)
			break;
		n += r;
	}
	fclose(fp);
	LLVMFuzzerTestOneInput(buf, n);
	free(buf);
	return 0;
}

int
main(int argc, char **argv)
{
	int i, rc = 0;

	for (i = 1; i < argc; i++) {
		if (replay(argv[i]) == -1)
			rc = 1;
		else
			printf("replayed %s\n", argv[i]);
	}
	return rc;
}
