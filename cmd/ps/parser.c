/*
 * The command line as procps's parser.c reads it: UNIX options through
 * getopt_long, BSD words between them, GNU long options; and when that
 * fails, the whole line again as BSD options.
 */
#include "config.h"

#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kps.h"

enum {
	OPT_SORT = OPT_TOOL, OPT_FORMAT, OPT_PID, OPT_PPID, OPT_SID, OPT_USER,
	OPT_RUSER, OPT_GROUP, OPT_RGROUP, OPT_COLS, OPT_DESELECT,
	OPT_NOHEADERS,
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

/*
 * procps parses the command line as UNIX options first and, if that
 * fails, all over again as BSD options ("ps -aux"): parse errors are
 * recorded, not fatal, until both have been tried.
 */
const char *parse_err;

void
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
void
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
void
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
int
bsd_possible(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++)
		if (argv[i][0] == '-' && (argv[i][1] == '-' ||
		    strchr("MNhV", argv[i][1]) != NULL))
			return 0;
	return 1;
}
