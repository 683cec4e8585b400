/*
 * kdump-unflatten FLAT OUT: rewrite a kdump file in makedumpfile's
 * "flattened" format (what QEMU before 8.2 writes for dump-guest-memory
 * -z/-l/-s) as the ordinary kdump-compressed file that starts with
 * "KDUMP   ", as `makedumpfile -R OUT < FLAT` would.  Test equipment.
 *
 * Flattened: a 4096-byte header ("makedumpfile", type 1, version 1, both
 * int64 big-endian), then records {int64 offset, int64 size} big-endian,
 * each followed by size bytes for that offset of the output; offset and
 * size -1 end it.
 */
#include <endian.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FLAT_HDR 4096
#define MAX_RECORD (64 << 20)	/* QEMU writes at most a few pages at once */

static int
fail(const char *what)
{
	fprintf(stderr, "kdump-unflatten: %s\n", what);
	return 1;
}

int
main(int argc, char **argv)
{
	static char hdr[FLAT_HDR];
	FILE *in;
	int out;
	int64_t rec[2];
	char *buf;

	if (argc != 3)
		return fail("usage: kdump-unflatten FLAT OUT");
	if (!(in = fopen(argv[1], "rb")))
		return fail("cannot open the input");
	if (fread(hdr, 1, sizeof(hdr), in) != sizeof(hdr) ||
	    memcmp(hdr, "makedumpfile", 13) != 0)
		return fail("not a flattened kdump file");
	if ((out = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0600)) < 0)
		return fail("cannot create the output");
	if (!(buf = malloc(MAX_RECORD)))
		return fail("out of memory");
	for (;;) {
		if (fread(rec, sizeof(rec[0]), 2, in) != 2)
			return fail("cut off: no end record");
		rec[0] = (int64_t)be64toh((uint64_t)rec[0]);
		rec[1] = (int64_t)be64toh((uint64_t)rec[1]);
		if (rec[0] == -1 && rec[1] == -1)
			break;
		if (rec[0] < 0 || rec[1] < 0 || rec[1] > MAX_RECORD)
			return fail("bad record header");
		if (fread(buf, 1, (size_t)rec[1], in) != (size_t)rec[1])
			return fail("cut off inside a record");
		if (pwrite(out, buf, (size_t)rec[1], rec[0]) != rec[1])
			return fail("write failed");
	}
	free(buf);
	fclose(in);
	return close(out) == 0 ? 0 : fail("close failed");
}
