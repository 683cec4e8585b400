/*
 * A terminal's idle time out of kernel memory, for w(1) on a dump.  procps
 * w stats /dev/LINE and shows now - st_atime; a dead kernel's /dev is not
 * ours to stat, but its inodes are in the dump.  The terminal is found on
 * the tty_drivers list by name (tty_struct.name, "tty1", "ttyS0"), and the
 * atime read from the inodes of the files open on it (tty->tty_files):
 * tty_read() updates exactly that inode's atime.  Drivers allocating
 * ttys on demand (devpts: TTY_DRIVER_DEVPTS_MEM) have no ttys[] to
 * search, so pts/N is not found here.
 */
#include "config.h"

#include <string.h>

#include "sym_private.h"

#define MAX_DRIVERS	256
#define MAX_LINES	4096
#define MAX_FILES	1024

struct tty_layout {
	struct sym_member drv_list, drv_ttys, drv_num, tty_name, tty_files,
	    tfp_list, tfp_file, file_inode, atime;
};

static int
layout(sym_t *h, struct tty_layout *l)
{
	/*
	 * inode.i_atime became __i_atime in v6.7 (12cd44023651, "fs: rename
	 * i_atime and i_mtime fields"), then i_atime_sec in v6.11
	 * (3aa63a569c64, "fs: switch timespec64 fields in inode to discrete
	 * integers").  6.1, the kernel tested, has i_atime.
	 */
	static const char *const atime[] = { "i_atime.tv_sec",
	    "__i_atime.tv_sec", "i_atime_sec", NULL };

	if (_sym_member(h, "tty_driver", "tty_drivers", &l->drv_list) == -1 ||
	    _sym_member(h, "tty_driver", "ttys", &l->drv_ttys) == -1 ||
	    _sym_member(h, "tty_driver", "num", &l->drv_num) == -1 ||
	    _sym_member(h, "tty_struct", "name", &l->tty_name) == -1 ||
	    _sym_member(h, "tty_struct", "tty_files", &l->tty_files) == -1 ||
	    _sym_member(h, "tty_file_private", "list", &l->tfp_list) == -1 ||
	    _sym_member(h, "tty_file_private", "file", &l->tfp_file) == -1 ||
	    _sym_member(h, "file", "f_inode", &l->file_inode) == -1 ||
	    _sym_member_any(h, "inode", atime, &l->atime, NULL) == -1)
		return -1;
	return 0;
}

static int
read_ptr(sym_t *h, uint64_t addr, uint64_t *p)
{
	if (sym_read(h, addr, p, sizeof(*p)) == -1)
		return -1;
	if (*p != 0 && !_sym_kaddr_ok(*p)) {
		_sym_err(h, "0x%llx holds 0x%llx: not a kernel pointer",
		    (unsigned long long)addr, (unsigned long long)*p);
		return -1;
	}
	return 0;
}

/* The latest atime of the files open on the tty at tty. */
static int
files_atime(sym_t *h, const struct tty_layout *l, uint64_t tty, int64_t *sec)
{
	uint64_t head = tty + l->tty_files.offset, node, file, inode;
	int64_t t;
	int n, found = 0;

	if (read_ptr(h, head, &node) == -1)
		return -1;
	for (n = 0; node != head; n++) {
		if (n == MAX_FILES || node == 0) {
			_sym_err(h, "tty 0x%llx: tty_files is not a list "
			    "ending where it began", (unsigned long long)tty);
			return -1;
		}
		if (read_ptr(h, node - l->tfp_list.offset + l->tfp_file.offset,
		    &file) == -1 || file == 0 ||
		    read_ptr(h, file + l->file_inode.offset, &inode) == -1 ||
		    inode == 0 ||
		    sym_read(h, inode + l->atime.offset, &t, sizeof(t)) == -1)
			return -1;
		if (!found || t > *sec)
			*sec = t;
		found = 1;
		if (read_ptr(h, node, &node) == -1)
			return -1;
	}
	return found ? 0 : 1;
}

/* The tty_struct named line among one driver's ttys[], or 0. */
static int
driver_tty(sym_t *h, const struct tty_layout *l, uint64_t drv,
    const char *line, uint64_t *tty)
{
	char name[64];
	uint64_t ttys;
	uint32_t num, i;

	*tty = 0;
	if (read_ptr(h, drv + l->drv_ttys.offset, &ttys) == -1 ||
	    sym_read(h, drv + l->drv_num.offset, &num, sizeof(num)) == -1)
		return -1;
	if (ttys == 0)
		return 0;		/* devpts: allocated per open */
	for (i = 0; i < num && i < MAX_LINES; i++) {
		if (read_ptr(h, ttys + 8ULL * i, tty) == -1)
			return -1;
		if (*tty == 0)
			continue;
		memset(name, 0, sizeof(name));
		if (sym_read(h, *tty + l->tty_name.offset, name,
		    l->tty_name.size < sizeof(name) ? l->tty_name.size :
		    sizeof(name) - 1) == -1)
			return -1;
		if (strcmp(name, line) == 0)
			return 0;
	}
	*tty = 0;
	return 0;
}

int
_kern_tty_atime(sym_t *h, const char *line, int64_t *sec)
{
	struct tty_layout l;
	uint64_t head, node, tty = 0;
	int n;

	if (layout(h, &l) == -1 || _sym_addr(h, "tty_drivers", &head) == -1 ||
	    read_ptr(h, head, &node) == -1)
		return -1;
	for (n = 0; node != head && tty == 0; n++) {
		if (n == MAX_DRIVERS || node == 0) {
			_sym_err(h, "tty_drivers at 0x%llx: not a list ending "
			    "where it began", (unsigned long long)head);
			return -1;
		}
		if (driver_tty(h, &l, node - l.drv_list.offset, line,
		    &tty) == -1 || read_ptr(h, node, &node) == -1)
			return -1;
	}
	if (tty == 0) {
		_sym_err(h, "%s: no such terminal among the tty drivers' ttys",
		    line);
		return 1;
	}
	_sym_explain(h, "tty %s: tty_struct at 0x%llx; its open files' inode "
	    "atime is what stat(2) on /dev/%s gives", line,
	    (unsigned long long)tty, line);
	return files_atime(h, &l, tty, sec);
}
