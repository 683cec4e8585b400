/*
 * kps: ps(1) the way 2.9BSD did it, the process table walked out of kernel
 * memory, printed exactly as procps-ng 4.0.2 ps prints it.  The library
 * decides where the tasks come from (kernel memory, else /proc); this
 * file does what ps's parser.c, select.c and sortformat.c do: which
 * processes, which columns, in which order.
 */
#include "config.h"

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <grp.h>
#include <pwd.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "common.h"
#include "psfmt.h"

enum {
	OPT_SORT = OPT_TOOL, OPT_FORMAT, OPT_PID, OPT_PPID, OPT_SID, OPT_USER,
	OPT_RUSER, OPT_GROUP, OPT_RGROUP, OPT_COLS, OPT_DESELECT,
	OPT_NOHEADERS,
};

/* procps selection_node types */
enum sel_type {
	SEL_RUID, SEL_EUID, SEL_RGID, SEL_EGID, SEL_PGRP, SEL_PID, SEL_TTY,
	SEL_SESS, SEL_COMM, SEL_PPID,
};

#define SELS_MAX	64	/* selection lists on one command line */
#define OLISTS_MAX	32	/* -o lists on one command line */
#define CMD_SEL		64	/* procps compares 63 bytes of comm */
#define PF_KTHREAD	0x00200000	/* include/linux/sched.h: stat flags */

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

static void
usage(int status)
{
	fprintf(status ? stderr : stdout,
	    "usage: %s [-AadeFfjLlTcPy] [-C cmdlist] [-G grouplist] "
	    "[-g grouplist] [-o format]\n"
	    "           [-p pidlist] [-s sesslist] [-t ttylist] "
	    "[-U userlist] [-u userlist]\n"
	    "           [--sort keys] [--cols n] [--deselect] [--no-headers] "
	    "[-w] [aux...]\n"
	    "           [-M core] [-N namelist] [--btf file] "
	    "[--source=auto|kmem|kcore|mem|core|proc]\n"
	    "           [--explain] [--compare]\n",
	    program_invocation_short_name);
	exit(status);
}

/* ------------------------------------------------------------------ */
/* Selection lists (procps parser.c parse_list and its item parsers).  */

typedef const char *parse_fn(char *, union sel_val *, int negate);

static const char *
parse_pid(char *s, union sel_val *v, int negate)
{
	unsigned long n;
	char *end;

	errno = 0;
	n = strtoul(s, &end, 0);
	if (*end != '\0')
		return "process ID list syntax error";
	if (n < 1 || n > 0x7fffffffUL || errno != 0)
		return "process ID out of range";
	v->num = (long long)n;
	return NULL;
}

/* A number, else a name; with --deselect an unknown name matches none. */
static const char *
parse_id(char *s, union sel_val *v, int negate, int group)
{
	struct passwd *pw;
	struct group *gr;
	unsigned long n;
	char *end;

	errno = 0;
	n = strtoul(s, &end, 0);
	if (*end != '\0') {
		n = (unsigned long)-1;
		if (group && (gr = getgrnam(s)) != NULL)
			n = gr->gr_gid;
		if (!group && (pw = getpwnam(s)) != NULL)
			n = pw->pw_uid;
		if (n == (unsigned long)-1 && !negate)
			return group ? "group name does not exist" :
			    "user name does not exist";
	}
	if (!negate && (n > 0xfffffffeUL || errno != 0))
		return group ? "group ID out of range" : "user ID out of range";
	v->num = (long long)(unsigned)n;
	return NULL;
}

static const char *
parse_uid(char *s, union sel_val *v, int negate)
{
	return parse_id(s, v, negate, 0);
}

static const char *
parse_gid(char *s, union sel_val *v, int negate)
{
	return parse_id(s, v, negate, 1);
}

static const char *
parse_cmd(char *s, union sel_val *v, int negate)
{
	snprintf(v->cmd, sizeof(v->cmd), "%s", s);
	return NULL;
}

/* A terminal by path, or as pts/N, N, ttyN ...; "-" and "?" are none. */
static const char *
parse_tty(char *s, union sel_val *v, int negate)
{
	static const char *const where[][2] = {	/* prefix, suffix */
		{ "/dev/pts/", "" }, { "/dev/", "" }, { "/dev/tty", "" },
		{ "/dev/pty", "" }, { "/dev/", "nsole" },	/* "co" */
	};
	char path[4096];
	struct stat st;
	size_t i;

	if (s[0] == '/' && stat(s, &st) == 0)
		goto found;
	for (i = 0; s[0] != '/' && i < sizeof(where) / sizeof(where[0]); i++) {
		snprintf(path, sizeof(path), "%s%s%s", where[i][0], s,
		    where[i][1]);
		if (stat(path, &st) == 0)
			goto found;
	}
	if (strcmp(s, "-") == 0 || strcmp(s, "?") == 0) {
		v->num = 0;
		return NULL;
	}
	return "TTY could not be found";
found:
	if (!S_ISCHR(st.st_mode))
		return "list member was not a TTY";
	v->num = (long long)st.st_rdev;
	return NULL;
}

static int
is_listsep(char ch)
{
	return ch == ' ' || ch == ',' || ch == '\t';
}

/* Items separated by blanks or commas, none empty. */
static const char *
parse_list(struct args *a, const char *arg, parse_fn *fn, enum sel_type type)
{
	struct sel *s;
	char *buf, *walk, *sep;
	const char *e = NULL;
	size_t n = 0, i;

	if (a->nsel == SELS_MAX)
		return "too many selection lists";
	for (i = 0; arg[i] != '\0'; i++) {
		int after_sep = i == 0 || is_listsep(arg[i - 1]);

		if (is_listsep(arg[i]) && after_sep)
			return "improper list";
		n += after_sep && !is_listsep(arg[i]);
	}
	if (n == 0 || is_listsep(arg[i - 1]))
		return "improper list";
	s = &a->sel[a->nsel];
	if ((buf = strdup(arg)) == NULL ||
	    (s->v = calloc(n, sizeof(*s->v))) == NULL)
		err(1, NULL);
	for (walk = buf, i = 0; e == NULL && i < n; i++) {
		if ((sep = strpbrk(walk, " ,\t")) != NULL)
			*sep = '\0';
		e = fn(walk, &s->v[i], a->negate);
		walk = sep != NULL ? sep + 1 : walk;
	}
	free(buf);
	if (e != NULL) {
		free(s->v);
		return e;
	}
	s->type = type;
	s->n = n;
	a->nsel++;
	return NULL;
}

/*
 * procps parses the command line as UNIX options first and, if that
 * fails, all over again as BSD options ("ps -aux"): parse errors are
 * recorded, not fatal, until both have been tried.
 */
static const char *parse_err;

static void
bad(const char *msg)
{
	if (parse_err == NULL)
		parse_err = msg;
}

static void
add_list(struct args *a, const char *arg, parse_fn *fn, enum sel_type t)
{
	const char *e;

	if ((e = parse_list(a, arg, fn, t)) != NULL)
		bad(e);
}

/* ------------------------------------------------------------------ */
/* Option parsing: UNIX options through getopt_long, then BSD ones.    */

static void
add_olist(struct args *a, const char *list)
{
	if (a->nolist == OLISTS_MAX)
		bad("too many format lists");
	else
		a->olist[a->nolist++] = list;
}

static void
set_sort(struct args *a, const char *list)
{
	if (a->sort != NULL)
		bad("multiple sort options");
	a->sort = list;
}

static void
set_cols(struct args *a, const char *arg)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 0);
	if (*arg == '\0' || *end != '\0' || errno != 0 || v <= 0 ||
	    v >= 2000000000)
		bad("number of columns must follow --cols, --width, or "
		    "--columns");
	else
		a->cols = v > PS_OUTBUF ? PS_OUTBUF : (int)v;
}

static void
no_header(struct args *a)
{
	if (a->no_header)
		bad("only one heading option may be specified");
	a->no_header = 1;
}

static int
unix_select(struct args *a, int c, const char *arg)
{
	switch (c) {
	case 'A': case 'e':
		a->all = 1;
		break;
	case 'a':
		a->simple_select |= SS_U_a;
		break;
	case 'd':
		a->simple_select |= SS_U_d;
		break;
	case 'C':
		add_list(a, arg, parse_cmd, SEL_COMM);
		break;
	case 'G': case OPT_RGROUP:
		add_list(a, arg, parse_gid, SEL_RGID);
		break;
	case OPT_GROUP:
		add_list(a, arg, parse_gid, SEL_EGID);
		break;
	case 'g':		/* sessions if numbers, else groups */
		if (parse_list(a, arg, parse_pid, SEL_SESS) != NULL &&
		    parse_list(a, arg, parse_gid, SEL_EGID) != NULL)
			bad("list of session leaders OR effective group IDs "
			    "was invalid");
		break;
	case 'p': case OPT_PID:
		add_list(a, arg, parse_pid, SEL_PID);
		break;
	case OPT_PPID:
		add_list(a, arg, parse_pid, SEL_PPID);
		break;
	case 's': case OPT_SID:
		add_list(a, arg, parse_pid, SEL_SESS);
		break;
	case 't':
		add_list(a, arg, parse_tty, SEL_TTY);
		break;
	case 'u': case OPT_USER:
		add_list(a, arg, parse_uid, SEL_EUID);
		break;
	case 'U': case OPT_RUSER:
		add_list(a, arg, parse_uid, SEL_RUID);
		break;
	default:
		return 0;
	}
	return 1;
}

static int
unix_format(struct args *a, int c, const char *arg)
{
	switch (c) {
	case 'c': a->format_modifiers |= FM_c; break;
	case 'F': a->format_modifiers |= FM_F; /* FALLTHROUGH */
	case 'f': a->format_flags |= FF_Uf; a->unix_f = 1; break;
	case 'j': a->format_modifiers |= FM_j; break;
	case 'l': a->format_flags |= FF_Ul; break;
	case 'L': a->thread_flags |= TF_U_L; break;
	case 'P': a->format_modifiers |= FM_P; break;
	case 'T': a->thread_flags |= TF_U_T; break;
	case 'y': a->format_modifiers |= FM_y; break;
	case 'w': a->w_count++; break;
	case 'o': case OPT_FORMAT: add_olist(a, arg); break;
	case OPT_SORT: set_sort(a, arg); break;
	case OPT_COLS: set_cols(a, arg); break;
	case OPT_DESELECT: a->negate = 1; break;
	case OPT_NOHEADERS: no_header(a); break;
	default: return 0;
	}
	return 1;
}

/* Our own terminal, "ps t" and "ps T" select it. */
static void
own_tty(struct args *a)
{
	if (a->nsel == SELS_MAX) {
		bad("too many selection lists");
		return;
	}
	if ((a->sel[a->nsel].v = calloc(1, sizeof(union sel_val))) == NULL)
		err(1, NULL);
	a->sel[a->nsel].v[0].num = a->tty;
	a->sel[a->nsel].type = SEL_TTY;
	a->sel[a->nsel++].n = 1;
}

/* BSD letters with an argument: the rest of the word, or the next. */
static const char *
bsd_arg(const char *rest, char **argv, int *i, int argc)
{
	if (*rest != '\0')
		return rest;
	if (*i + 1 < argc && argv[*i + 1][0] != '\0')
		return argv[++*i];
	return NULL;
}

static int
bsd_with_arg(struct args *a, int c, const char *arg)
{
	if (arg == NULL) {
		if (c == 't') {
			own_tty(a);
			return 1;
		}
		bad("an option letter needs an argument");
		return 1;
	}
	switch (c) {
	case 'k': set_sort(a, arg); break;
	case 'o': add_olist(a, arg); break;
	case 'p': add_list(a, arg, parse_pid, SEL_PID); break;
	case 't': add_list(a, arg, parse_tty, SEL_TTY); break;
	case 'U': add_list(a, arg, parse_uid, SEL_EUID); break;
	}
	return 1;
}

static void
bsd_flag(struct args *a, int c)
{
	switch (c) {
	case 'a': a->simple_select |= SS_B_a; break;
	case 'c': break;		/* procps sets a flag nothing reads */
	case 'g': a->simple_select |= SS_B_g; break;
	case 'H': a->thread_flags |= TF_B_H; break;
	case 'h': no_header(a); break;
	case 'j': a->format_flags |= FF_Bj; break;
	case 'l': a->format_flags |= FF_Bl; break;
	case 'n': a->user_is_number = a->wchan_is_number = 1; break;
	case 'r': a->running_only = 1; break;
	case 's': a->format_flags |= FF_Bs; break;
	case 'T': own_tty(a); break;
	case 'u': a->format_flags |= FF_Bu; break;
	case 'v': a->format_flags |= FF_Bv; break;
	case 'w': a->w_count++; break;
	case 'x': a->simple_select |= SS_B_x; break;
	default: bad("unsupported option (BSD syntax)");
	}
}

/*
 * A word that starts with a digit or '+': it and every word after it are
 * pids, or sessions with '+' ("ps 1 2 +3"), one number each.
 */
static void
trailing_pids(struct args *a, char **argv, int *i, int argc)
{
	char *w;

	for (; *i < argc; ++*i) {
		w = argv[*i];
		if (*w == '+')
			add_list(a, w + 1, parse_pid, SEL_SESS);
		else if (strpbrk(w, " ,\t") != NULL)
			bad("process ID list syntax error");
		else
			add_list(a, w, parse_pid, SEL_PID);
	}
}

/* One BSD word ("aux", "o pid"); digits start a pid list. */
static void
bsd_word(struct args *a, char **argv, int *i, int argc)
{
	const char *p = argv[*i];

	a->prefer_bsd = 1;
	if ((*p >= '0' && *p <= '9') || *p == '+') {
		trailing_pids(a, argv, i, argc);
		return;
	}
	if (*p == '-')
		p++;
	for (; *p != '\0'; p++) {
		if (*p >= '0' && *p <= '9') {
			add_list(a, p, parse_pid, SEL_PID);
			return;
		}
		if (strchr("kopUt", *p) != NULL) {
			bsd_with_arg(a, *p, bsd_arg(p + 1, argv, i, argc));
			return;
		}
		bsd_flag(a, *p);
	}
}

static const struct option longopts[] = {
	{ "sort", required_argument, NULL, OPT_SORT },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "pid", required_argument, NULL, OPT_PID },
	{ "ppid", required_argument, NULL, OPT_PPID },
	{ "sid", required_argument, NULL, OPT_SID },
	{ "user", required_argument, NULL, OPT_USER },
	{ "User", required_argument, NULL, OPT_RUSER },
	{ "group", required_argument, NULL, OPT_GROUP },
	{ "Group", required_argument, NULL, OPT_RGROUP },
	{ "cols", required_argument, NULL, OPT_COLS },
	{ "columns", required_argument, NULL, OPT_COLS },
	{ "width", required_argument, NULL, OPT_COLS },
	{ "deselect", no_argument, NULL, OPT_DESELECT },
	{ "no-headers", no_argument, NULL, OPT_NOHEADERS },
	{ "no-heading", no_argument, NULL, OPT_NOHEADERS },
	COMMON_LONG,
	{ NULL, 0, NULL, 0 }
};
#define SHORTOPTS "AaC:cdeFfG:g:jLlo:Pp:s:Tt:U:u:wy" COMMON_SHORT

/*
 * Options in order, as procps takes them: getopt stops at each BSD word
 * ("aux", "o pid,comm", "k -pid"), which may take the next argument
 * whatever it looks like, then carries on.
 */
static void
parse_unix(struct args *a, struct common *co, int argc, char **argv)
{
	int c, i;

	opterr = 0;
	while (optind < argc) {
		c = getopt_long(argc, argv, "+" SHORTOPTS, longopts, NULL);
		if (c == -1) {
			if ((i = optind) >= argc)
				break;
			bsd_word(a, argv, &i, argc);
			optind = i + 1;
		} else if (c == '?' && (optopt >= OPT_BTF ||
		    (optopt > 0 && strchr(SHORTOPTS, optopt) != NULL)))
			bad("an option needs an argument");
		else if (c == '?')
			bad(optopt > 0 ? "unsupported SysV option" :
			    "unknown gnu long option");
		else if (!unix_select(a, c, optarg) &&
		    !unix_format(a, c, optarg))
			common_option(co, c, optarg, usage);
	}
}

/*
 * The second chance: every word with a dash read as BSD ("-aux" is
 * "aux").  A word without one fails it, as in procps ("way bad").
 */
static void
parse_bsd(struct args *a, int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		if ((argv[i][0] >= 'a' && argv[i][0] <= 'z') ||
		    (argv[i][0] >= 'A' && argv[i][0] <= 'Z'))
			bad("way bad");
		bsd_word(a, argv, &i, argc);
	}
}

/* Long and common options have no BSD spelling: no second chance. */
static int
bsd_possible(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++)
		if (argv[i][0] == '-' && (argv[i][1] == '-' ||
		    strchr("MNhV", argv[i][1]) != NULL))
			return 0;
	return 1;
}

/* ------------------------------------------------------------------ */
/* The format list (procps sortformat.c process_sf_options).           */

/* procps generate_sysv_list: -f, -F, -l, -j, -L, -T... columns. */
static void
sysv_specs(const struct args *a, const char *push[], int *n)
{
	unsigned ff = a->format_flags, fm = a->format_modifiers;
	unsigned tf = a->thread_flags;

#define PUSH(s) (push[(*n)++] = (s))
	if (a->prefer_bsd) {
		PUSH(ff ? "cmd" : "args");
		PUSH("bsdtime");
		if (!(ff & FF_Ul))
			PUSH("stat");
	} else {
		PUSH(ff & FF_Uf ? "cmd" : "ucmd");
		PUSH("time");
	}
	PUSH("tname");
	if (ff & FF_Uf)
		PUSH("stime");
	if ((fm & FM_F) && !(fm & FM_P))
		PUSH("psr");
	if ((fm & FM_F) && !((ff & FF_Ul) && (fm & FM_y)))
		PUSH("rss");
	if (ff & FF_Ul)
		PUSH("wchan");
	if ((fm & FM_F) || (ff & FF_Ul))
		PUSH("sz");
	if (ff & FF_Ul)
		PUSH(fm & FM_y ? "rss" : "addr_1");
	if (fm & FM_c) {
		PUSH("pri");
		PUSH("class");
	} else if (ff & FF_Ul) {
		PUSH("ni");
		PUSH("opri");
	}
	if ((tf & TF_U_L) && (ff & FF_Uf))
		PUSH("nlwp");
	if ((ff & (FF_Uf | FF_Ul)) && !(fm & FM_c))
		PUSH("c");
	if (fm & FM_P)
		PUSH("psr");
	if (tf & TF_U_L)
		PUSH("lwp");
	if (fm & FM_j) {
		PUSH("sid");
		PUSH("pgid");
	}
	if (ff & (FF_Uf | FF_Ul))
		PUSH("ppid");
	if (tf & TF_U_T)
		PUSH("spid");
	PUSH("pid");
	if (ff & FF_Uf)
		PUSH("uid_hack");
	else if (ff & FF_Ul)
		PUSH("uid");
	if (ff & FF_Ul) {
		PUSH("s");
		if (!(fm & FM_y))
			PUSH("f");
	}
#undef PUSH
}

static char fmt_err[160];	/* the message bad() points at */

static void
add_spec(struct ps_format *f, const char *spec)
{
	if (psfmt_add_spec(f, spec, fmt_err, sizeof(fmt_err)) == -1)
		bad(fmt_err);
}

static void
sysv_format(const struct args *a, struct ps_format *f)
{
	const char *push[32];
	int n = 0;

	if ((a->format_modifiers & FM_y) && !(a->format_flags & FF_Ul)) {
		bad("modifier -y without format -l makes no sense");
		return;
	}
	sysv_specs(a, push, &n);
	while (n > 0)			/* pushed last column first */
		add_spec(f, push[--n]);
}

/* What -j, -y, -c, -T and -L do to a BSD format. */
static void
modify_format(const struct args *a, struct ps_format *f)
{
	if (a->format_modifiers & FM_j) {
		if (!psfmt_add_after(f, "PPID", "pgid"))
			psfmt_add_after(f, "PID", "pgid");
		psfmt_add_after(f, "PGID", "sid");
	}
	if (a->format_modifiers & FM_y) {
		psfmt_delete(f, "F");
		if (psfmt_add_after(f, "ADDR", "rss"))
			psfmt_delete(f, "ADDR");
	}
	if (a->format_modifiers & FM_c) {
		psfmt_delete(f, "%CPU");
		psfmt_delete(f, "CPU");
		psfmt_delete(f, "CP");
		psfmt_delete(f, "C");
		psfmt_delete(f, "NI");
		/* procps dies of this too */
		if (!psfmt_add_after(f, "PRI", "class"))
			errx(1, "internal error: no PRI for -c option");
		psfmt_delete(f, "PRI");
		psfmt_add_after(f, "CLS", "pri");
	}
	if (a->thread_flags & TF_U_T)
		psfmt_add_after(f, "PID", "spid");
	if (a->thread_flags & TF_U_L) {
		if (psfmt_add_after(f, "SID", "lwp") ||
		    psfmt_add_after(f, "SESS", "lwp") ||
		    psfmt_add_after(f, "PGID", "lwp") ||
		    psfmt_add_after(f, "PGRP", "lwp") ||
		    psfmt_add_after(f, "PPID", "lwp") ||
		    psfmt_add_after(f, "PID", "lwp"))
			psfmt_add_after(f, "%CPU", "nlwp");
	}
}

static int
user_lists(const struct args *a, struct ps_format *f)
{
	const char *env;
	int i;

	for (i = 0; i < a->nolist; i++)
		if (psfmt_add_list(f, a->olist[i], fmt_err, sizeof(fmt_err)) ==
		    -1) {
			bad(fmt_err);
			return 1;
		}
	if (a->nolist > 0 || a->format_flags || a->format_modifiers ||
	    (env = getenv("PS_FORMAT")) == NULL || *env == '\0')
		return a->nolist > 0;
	if (psfmt_add_list(f, env, fmt_err, sizeof(fmt_err)) == 0)
		return 1;
	psfmt_free(f);
	fprintf(stderr, "warning: $PS_FORMAT ignored. (%s)\n", fmt_err);
	return 0;
}

static void
build_format(const struct args *a, struct ps_format *f)
{
	if (user_lists(a, f)) {
		if (a->format_flags)
			bad("conflicting format options");
		if (a->format_modifiers)
			bad("can not use output modifiers with user-defined "
			    "output");
		return;
	}
	switch (a->format_flags) {
	case 0: case FF_Uf: case FF_Ul: case FF_Uf | FF_Ul:
		sysv_format(a, f);
		return;
	case FF_Bj: add_spec(f, "OL_j"); break;
	case FF_Bl: add_spec(f, "OL_l"); break;
	case FF_Bu: add_spec(f, "OL_u"); break;
	case FF_Bs: case FF_Bv:
		bad("the BSD s and v formats are not supported");
		return;
	default:
		bad("conflicting format options");
		return;
	}
	modify_format(a, f);
}

/* ------------------------------------------------------------------ */
/* Which processes (procps select.c).                                  */

static void
select_setup(struct args *a)
{
	unsigned sw = a->simple_select;

	if (!sw && !a->prefer_bsd) {
		a->select_bits = 0xaa00;	/* ours, on our terminal */
		return;
	}
	if (!(sw & (SS_U_a | SS_U_d)))
		sw |= SS_B_g;		/* g is always on (not SunOS) */
	switch (sw) {
	case SS_U_a | SS_U_d: a->select_bits = 0x3f3f; break;
	case SS_U_a: a->select_bits = 0x0303; break;
	case SS_U_d: a->select_bits = 0x3333; break;
	case SS_B_g: a->select_bits = 0x0a0a; break;
	case SS_B_g | SS_B_a: a->select_bits = 0x0f0f; break;
	case SS_B_g | SS_B_x: a->select_bits = 0xaaaa; break;
	case SS_B_g | SS_B_x | SS_B_a:
		a->all = 1;
		a->simple_select = 0;
		break;
	default:
		bad("process selection options conflict");
	}
}

static void
thread_check(struct args *a)
{
	unsigned tf = a->thread_flags;

	if (!tf) {
		a->thread_flags = TF_show_proc;
		return;
	}
	if ((tf & TF_U_L) && (tf & TF_U_T))
		bad("thread flags conflict; can't use both -L and -T");
	if (tf & TF_B_H)
		a->thread_flags |= TF_show_proc | TF_loose_tasks;
	else if (tf & (TF_U_T | TF_U_L))
		a->thread_flags |= TF_show_task;
	if ((tf & TF_B_H) && (tf & (TF_U_T | TF_U_L)) && a->nolist > 0)
		bad("-L/-T with H/m/-m and -o/-O/o/O is nonsense");
}

/* The -a/-d/a/x/g table, indexed by four facts about the task. */
static int
table_accept(const struct args *a, const struct sym_task *t)
{
	unsigned idx = (t->uid[SYM_UID_EFF] == a->euid) |
	    (t->session == t->pid) << 1 | (t->tty_nr == 0) << 2 |
	    ((long long)t->tty_nr == a->tty) << 3;

	return (a->select_bits >> idx) & 1;
}

static long long
sel_key(const struct sym_task *t, enum sel_type type)
{
	switch (type) {
	case SEL_RUID: return t->uid[SYM_UID_REAL];
	case SEL_EUID: return t->uid[SYM_UID_EFF];
	case SEL_RGID: return t->gid[SYM_UID_REAL];
	case SEL_EGID: return t->gid[SYM_UID_EFF];
	case SEL_PGRP: return t->pgrp;
	case SEL_PID: return t->pid;
	case SEL_TTY: return t->tty_nr;
	case SEL_SESS: return t->session;
	case SEL_PPID: return t->ppid;
	default: return -1;
	}
}

/* A 15-byte comm was cut by the kernel: a longer name matches it. */
static int
comm_match(const char *comm, const char *want)
{
	if (strlen(comm) == 15 && strlen(want) >= 15 &&
	    strncmp(comm, want, 15) == 0)
		return 1;
	return strncmp(comm, want, CMD_SEL - 1) == 0;
}

static int
listed(const struct args *a, struct ps_ctx *c, const struct sym_task *t)
{
	const struct sel *s;
	size_t i;
	int k;

	for (k = 0; k < a->nsel; k++) {
		s = &a->sel[k];
		for (i = 0; i < s->n; i++)
			if (s->type == SEL_COMM ?
			    comm_match(psfmt_comm(c, t), s->v[i].cmd) :
			    (unsigned)sel_key(t, s->type) ==
			    (unsigned)s->v[i].num)
				return 1;
	}
	return 0;
}

static int
wanted(const struct args *a, struct ps_ctx *c, const struct sym_task *t)
{
	int ok = a->all ||
	    ((a->simple_select || a->nsel == 0) && table_accept(a, t)) ||
	    listed(a, c, t);

	if (a->running_only && t->state != 'R' && t->state != 'D')
		ok = 0;
	return a->negate ? !ok : ok;
}

/* ------------------------------------------------------------------ */
/* Setup: screen width, our terminal, pid_max.                         */

/* The terminal's size from the first of stdout, stderr, stdin, /dev/tty. */
static void
tty_size(int *cols, int *rows)
{
	const int fds[] = { STDOUT_FILENO, STDERR_FILENO, STDIN_FILENO };
	struct winsize ws;
	size_t i;
	int fd, got = 0;

	for (i = 0; !got && i < sizeof(fds) / sizeof(fds[0]); i++)
		got = ioctl(fds[i], TIOCGWINSZ, &ws) != -1 && ws.ws_col > 0 &&
		    ws.ws_row > 0;
	if (!got && (fd = open("/dev/tty", O_NOCTTY | O_NONBLOCK | O_RDONLY |
	    O_CLOEXEC)) != -1) {
		got = ioctl(fd, TIOCGWINSZ, &ws) != -1 && ws.ws_col > 0 &&
		    ws.ws_row > 0;
		close(fd);
	}
	*cols = got ? ws.ws_col : 80;
	*rows = got ? ws.ws_row : 24;
}

/* COLUMNS or LINES, if a number in (0, PS_OUTBUF). */
static void
env_size(const char *name, int *v)
{
	const char *env = getenv(name);
	char *end;
	long n;

	if (env == NULL || *env == '\0')
		return;
	n = strtol(env, &end, 0);
	if (*end == '\0' && n > 0 && n < PS_OUTBUF)
		*v = (int)n;
}

/* procps set_screen_size, then --cols and -w as choose_dimensions. */
static int
screen_cols(const struct args *a)
{
	int cols, rows;

	tty_size(&cols, &rows);
	if (!isatty(STDOUT_FILENO))	/* a pipe or file gets it all */
		cols = PS_OUTBUF;
	env_size("COLUMNS", &cols);
	env_size("LINES", &rows);
	if (cols < 9 || rows < 2)
		fprintf(stderr, "your %dx%d screen size is bogus. expect "
		    "trouble\n", cols, rows);
	if (a->cols)
		cols = a->cols;
	if (a->w_count && cols < 132)
		cols = 132;
	if (a->w_count > 1)
		cols = PS_OUTBUF;
	return cols;
}

/* Field 7 of our own stat: the terminal "no options" selects by. */
static long long
our_tty(void)
{
	char buf[1024], *p;
	unsigned long long tty;
	ssize_t n;
	int fd;

	if ((fd = open("/proc/self/stat", O_RDONLY | O_CLOEXEC)) == -1)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	if ((p = strrchr(buf, ')')) == NULL ||
	    sscanf(p + 1, " %*c %*d %*d %*d %llu", &tty) != 1)
		return 0;
	return (long long)tty;
}

/* procps sizes PID columns by the digits of pid_max. */
static int
pid_length(void)
{
	char buf[24];
	size_t n;
	FILE *fp;

	if ((fp = fopen("/proc/sys/kernel/pid_max", "re")) == NULL)
		return 5;
	n = fgets(buf, sizeof(buf), fp) != NULL ? strlen(buf) : 0;
	fclose(fp);
	if (n > 0 && buf[n - 1] == '\n')
		n--;
	return n > 0 ? (int)n : 5;
}

/* ------------------------------------------------------------------ */
/* --compare: kernel memory against /proc, task by task.               */

enum { CMP_EXACT, CMP_TICKS, CMP_MOVES, CMP_SLEEP };

struct field {
	const char *name;
	int kind;
	int is_signed;
	size_t off;		/* offsetof in struct sym_task */
	size_t size;
};

#define FLD(m, k, sg) { #m, k, sg, offsetof(struct sym_task, m), \
	sizeof(((struct sym_task *)0)->m) }
static const struct field fields[] = {
	FLD(ppid, CMP_EXACT, 1), FLD(pgrp, CMP_EXACT, 1),
	FLD(session, CMP_EXACT, 1), FLD(tpgid, CMP_EXACT, 1),
	FLD(tty_nr, CMP_EXACT, 0), FLD(state, CMP_MOVES, 0),
	FLD(flags, CMP_EXACT, 0), FLD(priority, CMP_EXACT, 1),
	FLD(nice, CMP_EXACT, 1), FLD(nlwp, CMP_EXACT, 1),
	FLD(utime, CMP_TICKS, 0), FLD(stime, CMP_TICKS, 0),
	FLD(start_time, CMP_EXACT, 0), FLD(vsize, CMP_EXACT, 0),
	FLD(rss, CMP_EXACT, 1), FLD(vm_rss_kb, CMP_EXACT, 0),
	FLD(vm_lock_kb, CMP_EXACT, 0), FLD(processor, CMP_MOVES, 1),
	FLD(rt_priority, CMP_EXACT, 0), FLD(policy, CMP_EXACT, 0),
	FLD(uid, CMP_EXACT, 0), FLD(gid, CMP_EXACT, 0),
	FLD(comm, CMP_EXACT, 0), FLD(wchan, CMP_SLEEP, 0),
};
#undef FLD

struct tally {
	size_t tasks, moved, differ;
	long hz;
};

static int
cmp_task(const void *pa, const void *pb)
{
	const struct sym_task *a = pa, *b = pb;

	if (a->pid != b->pid)
		return (a->pid > b->pid) - (a->pid < b->pid);
	return (a->tid > b->tid) - (a->tid < b->tid);
}

static const struct sym_task *
find_task(const struct sym_tasks *l, const struct sym_task *key)
{
	if (l->n == 0)
		return NULL;
	return bsearch(key, l->task, l->n, sizeof(*key), cmp_task);
}

/* A numeric field widened to 64 bits (signed ones sign-extended). */
static unsigned long long
field_num(const struct sym_task *t, const struct field *f)
{
	const char *p = (const char *)t + f->off;

	if (f->size == sizeof(int) && f->is_signed)
		return (unsigned long long)*(const int *)(const void *)p;
	if (f->size == sizeof(int))
		return *(const unsigned *)(const void *)p;
	if (f->size == sizeof(long long))
		return *(const unsigned long long *)(const void *)p;
	return (unsigned char)*p;
}

static int
field_eq(const struct sym_task *a, const struct sym_task *b,
    const struct field *f)
{
	return b != NULL && memcmp((const char *)a + f->off,
	    (const char *)b + f->off, f->size) == 0;
}

static void
field_show(const struct sym_task *t, const struct field *f)
{
	const char *p = (const char *)t + f->off;

	if (t == NULL)
		fputs("-", stdout);
	else if (f->off == offsetof(struct sym_task, comm) ||
	    f->off == offsetof(struct sym_task, wchan))
		printf("\"%.*s\"", (int)f->size, p);
	else if (f->off == offsetof(struct sym_task, uid) ||
	    f->off == offsetof(struct sym_task, gid))
		printf("%u,%u,%u,%u", ((const unsigned *)(const void *)p)[0],
		    ((const unsigned *)(const void *)p)[1],
		    ((const unsigned *)(const void *)p)[2],
		    ((const unsigned *)(const void *)p)[3]);
	else if (f->size == 1)
		printf("%c", *p);
	else if (f->is_signed)
		printf("%lld", (long long)field_num(t, f));
	else
		printf("%llu", field_num(t, f));
}

/*
 * Where a task sleeps may move between the reads only if the task did:
 * runnable in any of the three, a state that changed, or /proc's own two
 * reads disagreeing.  Kernel threads (PF_KTHREAD) wake and sleep again
 * every few milliseconds without a visible change (rcu_preempt between
 * rcu_gp_kthread and rcu_gp_fqs_loop, in I throughout).
 */
static int
sleep_moved(const struct sym_task *k, const struct sym_task *b,
    const struct sym_task *a)
{
	if (k->flags & PF_KTHREAD)
		return 1;
	if (k->state == 'R' || (b != NULL && b->state == 'R') ||
	    (a != NULL && a->state == 'R'))
		return 1;
	if ((b != NULL && b->state != k->state) ||
	    (a != NULL && a->state != k->state))
		return 1;
	return b != NULL && a != NULL && strcmp(b->wchan, a->wchan) != 0;
}

/* CPU ticks agree if within a second of the range /proc showed. */
static int
ticks_ok(const struct sym_task *k, const struct sym_task *b,
    const struct sym_task *a, const struct field *f, long hz)
{
	unsigned long long v = field_num(k, f), lo, hi;

	lo = b != NULL ? field_num(b, f) : field_num(a, f);
	hi = a != NULL ? field_num(a, f) : lo;
	if (hi < lo)
		hi = lo;
	return v + (unsigned long long)hz >= lo &&
	    v <= hi + (unsigned long long)hz;
}

static void
compare_field(const struct sym_task *k, const struct sym_task *b,
    const struct sym_task *a, const struct field *f, struct tally *ty)
{
	int ok = field_eq(k, b, f) || field_eq(k, a, f), kind;
	const char *verdict;

	if (ok)
		return;
	if (f->kind == CMP_TICKS && ticks_ok(k, b, a, f, ty->hz))
		return;
	/* A kernel worker's name carries its current work (kworker/0:2-events):
	 * it moves like the state does. */
	kind = f->kind;
	if (f->off == offsetof(struct sym_task, comm) &&
	    strncmp(k->comm, "kworker/", 8) == 0)
		kind = CMP_MOVES;
	if (kind == CMP_SLEEP)
		kind = sleep_moved(k, b, a) ? CMP_MOVES : CMP_EXACT;
	verdict = kind == CMP_MOVES ? "moved" : "DIFFERS";
	if (kind == CMP_MOVES)
		ty->moved++;
	else
		ty->differ++;
	printf("%d/%d %s %s: kernel ", k->pid, k->tid, f->name, verdict);
	field_show(k, f);
	fputs(", /proc ", stdout);
	field_show(b, f);
	fputs(" then ", stdout);
	field_show(a, f);
	putchar('\n');
}

static int
cmdline_eq(const struct sym_task *k, const struct sym_task *p)
{
	return p != NULL && k->cmdline_len == p->cmdline_len &&
	    (k->cmdline_len == 0 ||
	    memcmp(k->cmdline, p->cmdline, k->cmdline_len) == 0);
}

static void
compare_task(const struct sym_task *k, const struct sym_tasks *before,
    const struct sym_tasks *after, double born, struct tally *ty)
{
	const struct sym_task *b = find_task(before, k);
	const struct sym_task *a = find_task(after, k);
	size_t i;

	ty->tasks++;
	if (b == NULL && a == NULL) {
		/* Started after the first /proc read and gone by the second. */
		if ((double)k->start_time >= born)
			return;
		printf("%d/%d DIFFERS: in kernel memory, not in /proc\n",
		    k->pid, k->tid);
		ty->differ++;
		return;
	}
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		compare_field(k, b, a, &fields[i], ty);
	if (!cmdline_eq(k, b) && !cmdline_eq(k, a)) {
		printf("%d/%d cmdline DIFFERS (%zu bytes in kernel memory)\n",
		    k->pid, k->tid, k->cmdline_len);
		ty->differ++;
	}
}

/* In /proc both before and after the walk, but the walk missed it. */
static void
compare_missing(const struct sym_tasks *kern, const struct sym_tasks *before,
    const struct sym_tasks *after, struct tally *ty)
{
	size_t i;

	for (i = 0; i < before->n; i++)
		if (find_task(after, &before->task[i]) != NULL &&
		    find_task(kern, &before->task[i]) == NULL) {
			printf("%d/%d DIFFERS: in /proc, not in kernel "
			    "memory\n", before->task[i].pid,
			    before->task[i].tid);
			ty->differ++;
		}
}

static void
proc_read(struct sym_tasks *l, unsigned flags)
{
	char e[SYM_ERRSIZE];

	if (sym_proc_tasks(flags, l, e) == -1)
		errx(1, "%s", e);
	if (l->n > 0)
		qsort(l->task, l->n, sizeof(l->task[0]), cmp_task);
}

/*
 * Read /proc, walk kernel memory, read /proc again; every task of the
 * walk must agree with /proc before or after it, except CPU times
 * (within a second) and what moves whenever a task runs (state,
 * processor; wchan when the task ran or changed state), which are
 * reported as moved.
 */
static int
compare(sym_t *h)
{
	const unsigned flags = SYM_TASKS_THREADS | SYM_TASKS_CMDLINE |
	    SYM_TASKS_WCHAN;
	struct sym_tasks before, kern, after;
	struct sym_psinfo info;
	struct tally ty = { 0 };
	char e[SYM_ERRSIZE];
	size_t i;

	if (sym_source(h) == SYM_SRC_PROC)
		errx(1, "--compare: no kernel memory to compare with /proc: %s",
		    sym_refusals(h));
	if (sym_proc_psinfo(&info, e) == -1)
		errx(1, "%s", e);
	ty.hz = info.hz;
	proc_read(&before, flags);
	if (sym_tasks(h, flags, &kern) == -1)
		errx(1, "%s", sym_geterr(h));
	proc_read(&after, flags);
	if (kern.n > 0)
		qsort(kern.task, kern.n, sizeof(kern.task[0]), cmp_task);
	for (i = 0; i < kern.n; i++)
		compare_task(&kern.task[i], &before, &after,
		    info.uptime * (double)info.hz, &ty);
	compare_missing(&kern, &before, &after, &ty);
	printf("%zu tasks in %s: %zu fields moved within tolerance, %zu "
	    "differ\n",
	    ty.tasks, sym_memfile(h), ty.moved, ty.differ);
	sym_tasks_free(&before);
	sym_tasks_free(&kern);
	sym_tasks_free(&after);
	return ty.differ != 0;
}

/* ------------------------------------------------------------------ */

/* /proc lists processes in pid order; a kernel walk, in fork order. */
static int
by_pid(const void *pa, const void *pb)
{
	const struct sym_task *const *a = pa, *const *b = pb;

	if ((*a)->pid != (*b)->pid)
		return ((*a)->pid > (*b)->pid) - ((*a)->pid < (*b)->pid);
	return (*a < *b) ? -1 : (*a > *b);	/* threads: as listed */
}

static unsigned
task_flags(const struct args *a, const struct ps_format *f,
    const struct ps_sort *s)
{
	unsigned flags = 0;

	/* procps reads threads when sorting only for H (loose tasks). */
	if (a->thread_flags & TF_loose_tasks ||
	    ((a->thread_flags & TF_show_task) && s->n == 0))
		flags |= SYM_TASKS_THREADS;
	if (psfmt_needs_cmdline(f, s, a->unix_f))
		flags |= SYM_TASKS_CMDLINE;
	if (psfmt_needs_wchan(f, s))
		flags |= SYM_TASKS_WCHAN;
	return flags;
}

static size_t
pick(const struct args *a, struct ps_ctx *c, const struct sym_tasks *l,
    const struct sym_task **v)
{
	size_t i, n = 0;

	for (i = 0; i < l->n; i++)
		v[n++] = &l->task[i];
	if (n > 1)	/* no tasks: v may be NULL, and qsort(NULL, 0) UB */
		qsort(v, n, sizeof(*v), by_pid);
	for (i = 0, n = 0; i < l->n; i++)
		if (wanted(a, c, v[i]))
			v[n++] = v[i];
	return n;
}

/* Digits of n, as procps counts those of pid_max. */
static int
digits(long n)
{
	int d = 1;

	while (n >= 10) {
		n /= 10;
		d++;
	}
	return d;
}

static int
list(sym_t *h, const struct args *a, struct ps_format *f,
    const struct ps_sort *s)
{
	struct ps_opts o = { 0 };
	const struct sym_task **v;
	struct sym_psinfo info;
	struct sym_tasks l;
	struct ps_ctx *c;
	size_t n, i;

	if (sym_psinfo(h, &info) == -1 ||
	    sym_tasks(h, task_flags(a, f, s), &l) == -1)
		errx(1, "%s", sym_geterr(h));
	if (info.hz <= 0 || info.page_size <= 0)
		errx(1, "%s: implausible clock tick rate %ld or page size %ld",
		    sym_memfile(h), info.hz, info.page_size);
	/* A dump's PID columns are its own kernel's pid_max wide. */
	if (sym_source(h) == SYM_SRC_CORE && info.pid_max > 0)
		psfmt_pid_len(f, digits(info.pid_max));
	o.screen_cols = screen_cols(a);
	o.header = !a->no_header;
	o.user_is_number = a->user_is_number;
	o.wchan_is_number = a->wchan_is_number;
	o.unix_f = a->unix_f;
	o.live = sym_source(h) != SYM_SRC_CORE;
	if ((c = psfmt_open(f, &o, &info)) == NULL ||
	    (v = calloc(l.n + 1, sizeof(*v))) == NULL)
		err(1, NULL);
	n = pick(a, c, &l, v);
	if (psfmt_sort(c, s, v, n) == -1)
		err(1, NULL);
	for (i = 0; i < n; i++)
		psfmt_row(c, v[i]);
	if (n == 0)
		psfmt_header(c);
	psfmt_close(c);
	free(v);
	sym_tasks_free(&l);
	return n == 0;
}

static void
free_args(struct args *a)
{
	int i;

	for (i = 0; i < a->nsel; i++)
		free(a->sel[i].v);
	a->nsel = 0;
}

/* One try at the whole command line, as procps's arg_parse does it. */
static int
try_parse(struct args *a, struct common *co, int argc, char **argv,
    struct ps_format *f, struct ps_sort *s, int bsd)
{
	unsigned euid = a->euid;
	long long tty = a->tty;

	free_args(a);
	memset(a, 0, sizeof(*a));
	a->euid = euid;
	a->tty = tty;
	psfmt_free(f);
	memset(s, 0, sizeof(*s));
	parse_err = NULL;
	if (bsd)
		parse_bsd(a, argc, argv);
	else
		parse_unix(a, co, argc, argv);
	if (parse_err == NULL)
		thread_check(a);
	if (parse_err == NULL)
		build_format(a, f);
	if (parse_err == NULL && a->sort != NULL &&
	    psfmt_sort_list(s, a->sort, fmt_err, sizeof(fmt_err)) == -1)
		bad(fmt_err);
	if (parse_err == NULL)
		select_setup(a);
	return parse_err == NULL ? 0 : -1;
}

static void
parse(struct args *a, struct common *co, int argc, char **argv,
    struct ps_format *f, struct ps_sort *s)
{
	char first[sizeof(fmt_err)];

	a->euid = geteuid();
	a->tty = our_tty();
	f->pid_len = pid_length();
	if (try_parse(a, co, argc, argv, f, s, 0) == 0)
		return;
	snprintf(first, sizeof(first), "%s", parse_err);
	/* procps reports the UNIX parse's error when both fail */
	if (!bsd_possible(argc, argv) ||
	    try_parse(a, co, argc, argv, f, s, 1) == -1)
		errx(2, "%s", first);
}

int
main(int argc, char **argv)
{
	static struct args a;
	static struct ps_format f;
	static struct ps_sort s;
	struct common co = { 0 };
	sym_t *h;
	int rc;

	setlocale(LC_ALL, "");
	setenv("TZ", ":/etc/localtime", 0);	/* as procps does */
	parse(&a, &co, argc, argv, &f, &s);
	h = common_open(&co);
	rc = co.compare ? compare(h) : list(h, &a, &f, &s);
	sym_close(h);
	psfmt_free(&f);
	free_args(&a);
	return rc;
}
