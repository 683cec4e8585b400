/*
 * VMCOREINFO: the "KEY=VALUE\n" text the kernel leaves for crash tools
 * (kernel/vmcore_info.c).  It comes from a dump, so it is untrusted: the
 * text is bounded by len, may lack a final newline or NUL, and numbers are
 * checked for overflow and trailing garbage.
 *
 * Errors set errno: ENOENT if the key is absent, EINVAL for a bad key or
 * value, ERANGE if the value doesn't fit.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "sym_private.h"

/* The value of key (not NUL-terminated), or NULL. */
static const char *
vmci_find(const char *text, size_t len, const char *key, size_t *vlen)
{
	const char *p, *nl;
	size_t klen, i, eol;

	klen = strlen(key);
	if (klen == 0 || strpbrk(key, "=\n") != NULL) {
		errno = EINVAL;
		return NULL;
	}
	/* The note may be padded with NULs: the text ends at the first. */
	if (text != NULL && (p = memchr(text, '\0', len)) != NULL)
		len = (size_t)(p - text);
	for (i = 0; text != NULL && i < len; i = eol + 1) {
		nl = memchr(text + i, '\n', len - i);
		eol = nl != NULL ? (size_t)(nl - text) : len;
		/* Exact key: "SYMBOL(a)=" must not match "SYMBOL(ab)=". */
		if (eol - i > klen && memcmp(text + i, key, klen) == 0 &&
		    text[i + klen] == '=') {
			*vlen = eol - i - klen - 1;
			return text + i + klen + 1;
		}
	}
	errno = ENOENT;
	return NULL;
}

static int
digit(int c, int base)
{
	int d;

	if (c >= '0' && c <= '9')
		d = c - '0';
	else if (c >= 'a' && c <= 'f')
		d = c - 'a' + 10;
	else if (c >= 'A' && c <= 'F')
		d = c - 'A' + 10;
	else
		return -1;
	return d < base ? d : -1;
}

/* Unlike strtoull: no sign, no blanks, nothing after the digits. */
static int
parse_u64(const char *s, size_t n, int base, uint64_t *out)
{
	uint64_t v = 0;
	size_t i = 0;
	int d;

	if (base == 16 && n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		i = 2;
	if (i == n)
		goto inval;
	for (; i < n; i++) {
		if ((d = digit((unsigned char)s[i], base)) == -1)
			goto inval;
		if (v > (UINT64_MAX - (uint64_t)d) / (uint64_t)base) {
			errno = ERANGE;
			return -1;
		}
		v = v * (uint64_t)base + (uint64_t)d;
	}
	*out = v;
	return 0;
inval:
	errno = EINVAL;
	return -1;
}

int
_vmci_get(const char *text, size_t len, const char *key, char *buf,
    size_t buflen)
{
	const char *v;
	size_t vlen;

	if ((v = vmci_find(text, len, key, &vlen)) == NULL)
		return -1;
	if (vlen >= buflen) {
		errno = ERANGE;
		return -1;
	}
	memcpy(buf, v, vlen);
	buf[vlen] = '\0';
	return 0;
}

/* base 16 (SYMBOL(), KERNELOFFSET, written without 0x) or 10. */
int
_vmci_u64(const char *text, size_t len, const char *key, int base,
    uint64_t *out)
{
	const char *v;
	size_t vlen;

	if (base != 10 && base != 16) {
		errno = EINVAL;
		return -1;
	}
	if ((v = vmci_find(text, len, key, &vlen)) == NULL)
		return -1;
	return parse_u64(v, vlen, base, out);
}

int
_vmci_s64(const char *text, size_t len, const char *key, int64_t *out)
{
	const char *v;
	size_t vlen;
	uint64_t m;
	int neg;

	if ((v = vmci_find(text, len, key, &vlen)) == NULL)
		return -1;
	if ((neg = vlen > 0 && v[0] == '-')) {
		v++;
		vlen--;
	}
	if (parse_u64(v, vlen, 10, &m) == -1)
		return -1;
	if (m > (uint64_t)INT64_MAX + neg) {
		errno = ERANGE;
		return -1;
	}
	/* m may be 2^63: negate m - 1, which fits, then step down. */
	if (neg && m != 0)
		*out = -(int64_t)(m - 1) - 1;
	else
		*out = (int64_t)m;
	return 0;
}
