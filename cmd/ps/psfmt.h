/*
 * The ps formatter: columns, widths, sorting and the derived values
 * (%CPU, STAT, TTY names, user names, escaped command lines) exactly as
 * procps-ng 4.0.2 ps computes and prints them, for any struct sym_tasks,
 * whether it came from kernel memory or from /proc.
 */
#ifndef CMD_PSFMT_H
#define CMD_PSFMT_H

#include <stddef.h>

#include "libsym.h"

#define PS_OUTBUF	(2 * 64 * 1024)	/* procps OUTBUF_SIZE */
#define PS_COLS_MAX	128		/* columns in one format */
#define PS_SORT_MAX	32		/* keys in one --sort list */

struct ps_spec;			/* one entry of the format table */

struct ps_col {
	const struct ps_spec *spec;
	char *head;
	int width;
	int fixed;		/* "name:width": the user's */
};

struct ps_format {
	struct ps_col col[PS_COLS_MAX];
	int n;
	int pid_len;		/* digits of pid_max: PID column width */
};

/* Resize the PID-like columns to pid_len digits (a dump's pid_max). */
void psfmt_pid_len(struct ps_format *f, int pid_len);

struct ps_sortkey {
	const struct ps_spec *spec;
	int order;		/* 1 ascending, -1 descending */
};

struct ps_sort {
	struct ps_sortkey key[PS_SORT_MAX];
	int n;
};

struct ps_opts {
	int screen_cols;	/* after ioctl, COLUMNS, --cols and -w */
	int header;		/* print the header line */
	int user_is_number;	/* BSD n: numeric users, right-justified */
	int wchan_is_number;	/* BSD n: numeric WCHAN */
	int unix_f;		/* -f/-F: comm columns show the arguments */
	int live;		/* running kernel: may read /proc/PID/fd */
};

/* Building a format; each returns -1 and a message in err on failure. */
int psfmt_add_list(struct ps_format *f, const char *list, char *err,
    size_t errlen);
int psfmt_add_spec(struct ps_format *f, const char *spec, char *err,
    size_t errlen);
int psfmt_add_after(struct ps_format *f, const char *head, const char *spec);
int psfmt_delete(struct ps_format *f, const char *head);
void psfmt_free(struct ps_format *f);
int psfmt_sort_list(struct ps_sort *s, const char *list, char *err,
    size_t errlen);
/* 1 if the format or the sort keys need the argument lists. */
int psfmt_needs_cmdline(const struct ps_format *f, const struct ps_sort *s,
    int unix_f);
/* 1 if they show or sort by WCHAN (an unwind of each sleeping stack). */
int psfmt_needs_wchan(const struct ps_format *f, const struct ps_sort *s);

struct ps_ctx;

struct ps_ctx *psfmt_open(const struct ps_format *f, const struct ps_opts *o,
    const struct sym_psinfo *info);
void psfmt_close(struct ps_ctx *c);
/* The comm as procps holds it (escaped), for -C. */
const char *psfmt_comm(struct ps_ctx *c, const struct sym_task *t);
/*
 * A context for text alone (no columns): psfmt_cmdline gives libproc2's
 * CMDLINE item, the arguments escaped or "[comm]", as w shows them.
 * Valid until the next call; free the context with psfmt_close.
 */
struct ps_ctx *psfmt_open_text(void);
const char *psfmt_cmdline(struct ps_ctx *c, const struct sym_task *t);
/* Stable sort of v[0..n) by the keys, as procps's successive sorts. */
int psfmt_sort(struct ps_ctx *c, const struct ps_sort *s,
    const struct sym_task **v, size_t n);
/* One line; the header first if it is due. */
void psfmt_row(struct ps_ctx *c, const struct sym_task *t);
/* The header alone (procps prints it when nothing matched). */
void psfmt_header(struct ps_ctx *c);

#endif
