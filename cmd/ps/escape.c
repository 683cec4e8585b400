/*
 * Escaping, in procps's two stages: libproc2's escape_str (escape.c), which
 * makes a copy printable when it is read, and ps's escape_str (output.c),
 * which fits it to the screen cells left.  They don't commute on odd bytes,
 * so both are kept.
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

#include "escape.h"

/* Bytes in the UTF-8 sequence a lead byte starts; -1 if it can't lead. */
static int
utf_lead(unsigned char ch)
{
	if (ch < 0x80)
		return 1;
	if (ch < 0xc2)
		return -1;
	if (ch < 0xe0)
		return 2;
	if (ch < 0xf0)
		return 3;
	return ch < 0xf5 ? 4 : -1;
}

/* Both stages' table for text that isn't (or mustn't be read as) UTF-8. */
static unsigned char
esc_byte(unsigned char ch)
{
	if (ch < 0x20 || ch == 0x7f)
		return '.';
	return ch >= 0x80 ? '?' : ch;
}

static void
esc_all(unsigned char *s)
{
	for (; *s != '\0'; s++)
		*s = esc_byte(*s);
}

/* Control characters become '?'; from a bad lead byte on, esc_all. */
static void
esc_ctl(unsigned char *s, int len)
{
	int i, n;

	for (i = 0; i < len; i += n, s += n) {
		if ((n = utf_lead(*s)) < 0 || i + n > len) {
			esc_all(s);
			return;
		}
		if (*s < 0x20 || *s == 0x7f)
			*s = '?';
	}
}

/* libproc2 escape_str: a copy bounded to bufsize, made printable. */
int
lib_escape(int utf8, char *dst, const char *src, size_t bufsize)
{
	size_t n = strlen(src);

	if (n >= bufsize)
		n = bufsize - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
	if (utf8)
		esc_ctl((unsigned char *)dst, (int)n);
	else
		esc_all((unsigned char *)dst);
	return (int)n;
}

/* ps escape_str_utf8: at most *cells screen cells, bufsize bytes. */
static int
ps_escape_utf8(char *dst, const char *src, int bufsize, int *cells)
{
	int used = 0, bytes = 0, len, w;
	mbstate_t st;
	wchar_t wc;

	memset(&st, 0, sizeof(st));
	while (used < *cells && bytes + 1 < bufsize) {
		len = (int)mbrtowc(&wc, src, MB_CUR_MAX, &st);
		if (len == 0)
			break;
		if (len < 0) {		/* invalid: one '?' per byte */
			memset(&st, 0, sizeof(st));
			dst[bytes++] = '?';
			src++;
			used++;
		} else if (len == 1) {
			dst[bytes++] = isprint((unsigned char)*src) ? *src :
			    '?';
			src++;
			used++;
		} else if (!iswprint((wint_t)wc)) {
			dst[bytes++] = '?';
			src += len;
			used++;
		} else {
			w = wcwidth(wc);
			if (w > *cells - used || len >= bufsize - (bytes + 1))
				break;
			memcpy(dst + bytes, src, (size_t)len);
			bytes += len;
			src += len;
			if (w > 0)
				used += w;
		}
	}
	dst[bytes] = '\0';
	*cells -= used;
	return bytes;
}

/* ps escape_str; *cells is left holding the cells not used. */
int
ps_escape(int utf8, char *dst, const char *src, int bufsize,
    int *cells)
{
	int used = 0;

	if (bufsize <= 0)
		return 0;
	*dst = '\0';
	if (*cells <= 0)
		return 0;
	if (utf8 && MB_CUR_MAX > 1)
		return ps_escape_utf8(dst, src, bufsize, cells);
	if (bufsize > *cells + 1)
		bufsize = *cells + 1;
	while (used < *cells && used + 1 < bufsize && src[used] != '\0') {
		dst[used] = (char)esc_byte((unsigned char)src[used]);
		used++;
	}
	dst[used] = '\0';
	*cells -= used;
	return used;
}
