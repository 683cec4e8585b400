/*
 * kps's parts: the parsed command line (struct args) and what each file
 * gives the others (procps ps's parser.c, select.c, sortformat.c).
 */
#ifndef CMD_PS_KPS_H
#define CMD_PS_KPS_H

#include "../common.h"
#include "psfmt.h"

/* procps selection_node types */
enum sel_type {
	SEL_RUID, SEL_EUID, SEL_RGID, SEL_EGID, SEL_PGRP, SEL_PID, SEL_TTY,
	SEL_SESS, SEL_COMM, SEL_PPID,
};

#define SELS_MAX	64	/* selection lists on one command line */
#define OLISTS_MAX	32	/* -o lists on one command line */
#define CMD_SEL		64	/* procps compares 63 bytes of comm */

union sel_val {
	long long num;		/* pid, uid, gid, tty */
	char cmd[CMD_SEL];
};

struct sel {
	enum sel_type type;
	size_t n;
	union sel_val *v;
};

/* Format flags, modifiers and thread flags, as procps's common.h. */
#define FF_Uf	0x0001		/* -f */
#define FF_Ul	0x0004		/* -l */
#define FF_Bj	0x0008		/* j */
#define FF_Bl	0x0010		/* l */
#define FF_Bs	0x0020		/* s */
#define FF_Bu	0x0040		/* u */
#define FF_Bv	0x0080		/* v */
#define FM_c	0x0001		/* -c */
#define FM_j	0x0002		/* -j */
#define FM_y	0x0004		/* -y */
#define FM_P	0x0010		/* -P */
#define FM_F	0x0080		/* -F */
#define TF_B_H		0x0001
#define TF_U_T		0x0008
#define TF_U_L		0x0010
#define TF_show_proc	0x0100
#define TF_show_task	0x0200
#define TF_loose_tasks	0x0800
#define SS_B_x	0x01
#define SS_B_g	0x02
#define SS_U_d	0x04
#define SS_U_a	0x08
#define SS_B_a	0x10

struct args {
	unsigned format_flags, format_modifiers, thread_flags, simple_select;
	int all, negate, running_only, prefer_bsd, w_count, cols, no_header;
	int user_is_number, wchan_is_number, unix_f;
	const char *olist[OLISTS_MAX];
	int nolist;
	const char *sort;
	struct sel sel[SELS_MAX];
	int nsel;
	unsigned select_bits;
	unsigned euid;
	long long tty;		/* ours, for the default selection */
};

typedef const char *parse_fn(char *, union sel_val *, int negate);

/* lists.c: one selection list (parse_list) and its item parsers. */
parse_fn parse_pid, parse_uid, parse_gid, parse_cmd, parse_tty;
const char *parse_list(struct args *a, const char *arg, parse_fn *fn,
    enum sel_type type);

/* parser.c: the first error of a parse (the others are dropped). */
extern const char *parse_err;
void bad(const char *msg);
void parse_unix(struct args *a, struct common *co, int argc, char **argv);
void parse_bsd(struct args *a, int argc, char **argv);
int bsd_possible(int argc, char **argv);

/* sortformat.c: the format; fmt_err holds the message bad() points at. */
#define FMT_ERR_SIZE	160
extern char fmt_err[FMT_ERR_SIZE];
void build_format(const struct args *a, struct ps_format *f);

/* select.c */
void select_setup(struct args *a);
void thread_check(struct args *a);
int wanted(const struct args *a, struct ps_ctx *c, const struct sym_task *t);

/* host.c */
int screen_cols(const struct args *a);
long long our_tty(void);
int pid_length(void);

/* compare.c: kps --compare; 1 if a field differs. */
int compare(sym_t *h);

#endif
