/*
 * "ADDR TYPE NAME [MODULE]" namelists: System.map (nm -n output) and
 * /proc/kallsyms, where module symbols end in "\t[module]".
 *
 * The file is untrusted: every line is bounded by SYM_MAX_LINE, and any
 * line we can't read whole is an error naming the file and line rather
 * than a symbol silently dropped.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sym_private.h"

#define MAP_BUFSIZE	(256U << 10)	/* kallsyms: 150k lines, 6 MB */
#define PLACEHOLDER	"The real System.map is in"
#define MAXFIELDS	4

enum { LINE_OK, LINE_EOF, LINE_LONG, LINE_NUL };

/* One line without its newline; the last may lack one. */
static int
map_getline(FILE *fp, char *buf, size_t size)
{
	size_t n = 0;
	int c, nul = 0;

	while ((c = getc_unlocked(fp)) != EOF && c != '\n') {
		if (n == size - 1)
			return LINE_LONG;
		if (c == '\0')
			nul = 1;
		buf[n++] = (char)c;
	}
	buf[n] = '\0';
	if (c == EOF && n == 0)
		return LINE_EOF;
	return nul ? LINE_NUL : LINE_OK;
}

static int
parse_addr(const char *s, uint64_t *addr)
{
	uint64_t v = 0;
	size_t n;
	int c;

	for (n = 0; (c = (unsigned char)s[n]) != '\0'; n++) {
		if (n == 16)
			return -1;
		if (c >= '0' && c <= '9')
			c -= '0';
		else if (c >= 'a' && c <= 'f')
			c -= 'a' - 10;
		else if (c >= 'A' && c <= 'F')
			c -= 'A' - 10;
		else
			return -1;
		v = v << 4 | (uint64_t)c;
	}
	if (n == 0)
		return -1;
	*addr = v;
	return 0;
}

/* Splits on blanks; returns the count, or MAXFIELDS + 1 if there's more. */
static int
split(char *line, char **f)
{
	char *p = line;
	int n = 0;

	for (;;) {
		p += strspn(p, " \t\r");
		if (*p == '\0')
			return n;
		if (n == MAXFIELDS)
			return n + 1;
		f[n++] = p;
		p += strcspn(p, " \t\r");
		if (*p != '\0')
			*p++ = '\0';
	}
}

/* 1 if a symbol was added, 0 for a blank line, -1 with the error set. */
static int
map_line(sym_t *h, struct symtab *t, char *line, const char *path,
    unsigned long lineno)
{
	char *f[MAXFIELDS], *mod = NULL, *p;
	uint64_t addr;
	size_t len;
	int nf;

	/* Debian's linux-image ships this one-line System.map. */
	if (lineno == 1 && (p = strstr(line, PLACEHOLDER)) != NULL) {
		_sym_err(h, "%s: a placeholder, not a System.map: %s", path, p);
		return -1;
	}
	if ((nf = split(line, f)) == 0)
		return 0;
	if (nf < 3) {
		_sym_err(h, "%s:%lu: expected ADDRESS TYPE NAME", path, lineno);
		return -1;
	}
	if (nf > MAXFIELDS) {
		_sym_err(h, "%s:%lu: unexpected text after the module name",
		    path, lineno);
		return -1;
	}
	if (parse_addr(f[0], &addr) == -1) {
		_sym_err(h, "%s:%lu: bad address \"%.32s\"", path, lineno,
		    f[0]);
		return -1;
	}
	if (f[1][1] != '\0') {
		_sym_err(h, "%s:%lu: bad type \"%.32s\"", path, lineno, f[1]);
		return -1;
	}
	if (nf == 4) {
		len = strlen(f[3]);
		if (len < 3 || f[3][0] != '[' || f[3][len - 1] != ']') {
			_sym_err(h, "%s:%lu: bad module field \"%.64s\"", path,
			    lineno, f[3]);
			return -1;
		}
		f[3][len - 1] = '\0';
		mod = f[3] + 1;
	}
	if (_symtab_add(t, f[2], addr, f[1][0], mod, path) == -1) {
		if (errno == EOVERFLOW)
			_sym_err(h, "%s:%lu: more than %u symbols", path,
			    lineno, SYM_MAX_SYMBOLS);
		else
			_sym_syserr(h, "%s:%lu", path, lineno);
		return -1;
	}
	return 1;
}

int
_nl_map_parse(sym_t *h, struct symtab *t, FILE *fp, const char *path)
{
	char line[SYM_MAX_LINE + 1];
	unsigned long lineno = 0, nsyms = 0;
	int r;

	for (;;) {
		r = map_getline(fp, line, sizeof(line));
		if (r == LINE_EOF)
			break;
		lineno++;
		if (r == LINE_LONG) {
			_sym_err(h, "%s:%lu: line longer than %d bytes", path,
			    lineno, SYM_MAX_LINE);
			return -1;
		}
		if (r == LINE_NUL) {
			_sym_err(h, "%s:%lu: NUL byte in line", path, lineno);
			return -1;
		}
		if ((r = map_line(h, t, line, path, lineno)) == -1)
			return -1;
		nsyms += (unsigned long)r;
	}
	if (ferror(fp)) {
		_sym_syserr(h, "%s", path);
		return -1;
	}
	if (nsyms == 0) {
		_sym_err(h, "%s: no symbols", path);
		return -1;
	}
	return 0;
}

int
_nl_map_load(sym_t *h, struct symtab *t, const char *path)
{
	FILE *fp;
	char *buf;
	int r;

	if ((fp = fopen(path, "re")) == NULL) {
		_sym_syserr(h, "%s", path);
		return -1;
	}
	/* kallsyms is read in small pieces otherwise; optional. */
	if ((buf = malloc(MAP_BUFSIZE)) != NULL)
		setvbuf(fp, buf, _IOFBF, MAP_BUFSIZE);
	r = _nl_map_parse(h, t, fp, path);
	fclose(fp);
	free(buf);
	return r;
}

int
_nl_map_is_placeholder(const char *path)
{
	char buf[1024];
	struct stat st;
	ssize_t n;
	int fd, r = 0;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return 0;
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
	    st.st_size >= (off_t)sizeof(buf))
		goto out;
	if ((n = read(fd, buf, sizeof(buf))) <= 0)
		goto out;
	r = memmem(buf, (size_t)n, PLACEHOLDER, strlen(PLACEHOLDER)) != NULL;
out:
	close(fd);
	return r;
}
