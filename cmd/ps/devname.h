/*
 * TTY names from device numbers, as libproc2's dev_to_tty (devname.c)
 * finds them, with ps's ABBREV_DEV: "pts/3", "tty1", or "?".
 */
#ifndef CMD_PS_DEVNAME_H
#define CMD_PS_DEVNAME_H

#define TTY_NAME_SIZE	128	/* libproc2 devname.c */
#define TTY_CACHE	32

struct driver;

/* The lookups of one device that need no pid. */
struct ttyname {
	unsigned dev;
	int drv_ok, guess_ok;		/* -1 not tried yet */
	char drv[TTY_NAME_SIZE], guess[TTY_NAME_SIZE];
};

/* Zeroed, it is ready; drivers_file NULL is /proc/tty/drivers. */
struct devname {
	const char *drivers_file;
	struct driver *drivers;
	int drivers_loaded;
	struct ttyname ttys[TTY_CACHE];
	int nttys;
	char tty[TTY_NAME_SIZE];
};

/*
 * The name of device dev (a stat tty_nr) for task pid; live: a running
 * kernel's /proc/PID/fd may be read.  Valid until the next call.
 */
const char *devname_tty(struct devname *dn, unsigned dev, int pid, int live);
void devname_free(struct devname *dn);

#endif
