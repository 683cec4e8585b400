/* The harnesses' shared helpers (see fuzz.h). */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"

/* A memfd: a regular file to fstat and pread, no disk. */
static const char *
as_file(int *fd, char *path, size_t len, const uint8_t *data, size_t size)
{
	if (*fd == -1 && (*fd = memfd_create("fuzz", 0)) == -1)
		abort();
	if (ftruncate(*fd, 0) == -1 ||
	    (size > 0 && pwrite(*fd, data, size, 0) != (ssize_t)size))
		abort();
	snprintf(path, len, "/proc/%d/fd/%d", (int)getpid(), *fd);
	return path;
}

const char *
fz_file(const uint8_t *data, size_t size)
{
	static int fd = -1;
	static char path[64];

	return as_file(&fd, path, sizeof(path), data, size);
}

const char *
fz_file2(const uint8_t *data, size_t size)
{
	static int fd = -1;
	static char path[64];

	return as_file(&fd, path, sizeof(path), data, size);
}

static char dir[64];

/* Leaves nothing behind in /tmp. */
static void
cleanup(void)
{
	char path[400];
	struct dirent *e;
	DIR *d;

	if ((d = opendir(dir)) == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(dir);
}

const char *
fz_cache_dir(void)
{
	if (dir[0] == '\0') {
		snprintf(dir, sizeof(dir), "/tmp/kmemstat-fuzz.%d",
		    (int)getpid());
		if (mkdir(dir, 0700) == -1 && access(dir, W_OK) == -1)
			abort();
		setenv("KMEMSTAT_CACHE", dir, 1);
		atexit(cleanup);
	}
	return dir;
}

sym_t *
fz_handle(void)
{
	sym_t *h;

	fz_cache_dir();
	if ((h = _sym_new(NULL)) == NULL)
		abort();
	return h;
}
