/*
 * The kernel's own symbol table, read out of its memory: no namelist file
 * at all.  Since 6.0 VMCOREINFO gives the addresses of the kallsyms
 * tables (commits 5fd8fea935a1 "vmcoreinfo: include kallsyms symbols" and
 * f09bddbd8661 "vmcoreinfo: add kallsyms_num_syms symbol"), at runtime
 * addresses, KASLR slide included.  Decoded as kernel/kallsyms.c of 6.1
 * decodes them for /proc/kallsyms, from the tables scripts/kallsyms.c
 * wrote at build time:
 *
 *   kallsyms_num_syms	u32, the symbol count
 *   kallsyms_names	per symbol a token count, then that many bytes,
 *			each an index into kallsyms_token_index
 *   kallsyms_token_index  256 u16 offsets into kallsyms_token_table
 *   kallsyms_token_table  256 NUL-terminated strings
 *   kallsyms_offsets (+ kallsyms_relative_base before 7.0), or
 *			kallsyms_addresses
 *
 * The first character a name expands to is its nm(1) type letter.
 * Before 6.0 nothing names the tables: locate_by_shape() finds them.
 *
 * Everything read here comes from a dump and is untrusted: the count, the
 * token offsets, every length byte, the stream's extent and the expanded
 * names are bounded, and a table that breaks a bound is an error naming
 * its address, never a symbol made up.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sym_private.h"

#define KS_CHUNK	(1U << 20)	/* the names stream is 1-2 MB */
#define KS_NAMES_MAX	(32U << 20)	/* far beyond any kernel's stream */
#define KS_TTAB_MAX	(64U << 10)	/* 256 tokens; 6.1's are ~2 KB */
#define KS_TOKEN_MAX	512		/* one token, NUL included */
#define KS_TEXT_MAX	(64U << 20)	/* all names expanded; 6.1: 2.5 MB */
/* KSYM_NAME_LEN is 512 since 6.1 (b8a94bfb3395 "kallsyms: increase
 * maximum kernel symbol length to 512"): 511 characters and a NUL. */
#define KS_NAME_MAX	511

/* What VMCOREINFO says, as SYMBOL(name)=hex. */
struct ks_where {
	uint64_t names, num, ttab, tidx;
	uint64_t offsets, relbase, addresses, stext;
	int have_offsets, have_relbase, have_addresses, have_stext;
};

/* The tables copied out of memory, and how far the decoder got. */
struct ks {
	const struct ks_where *w;
	uint32_t nsyms;
	uint16_t tidx[256];
	char *ttab;
	size_t ttab_len;
	unsigned char *names;		/* the stream, read so far */
	size_t have;			/* bytes of it read */
	size_t pos;			/* the decoder's offset in it */
	unsigned nlong;			/* names that used them */
	uint64_t *addr;
	int32_t *off;
};

/* A read failed: say which table, keep the reader's reason. */
static int
table_err(sym_t *h, const char *table, uint64_t addr)
{
	char why[SYM_ERRSIZE];

	memcpy(why, h->errbuf, sizeof(why));
	_sym_err(h, "%s at 0x%llx: %.400s", table, (unsigned long long)addr,
	    why);
	return -1;
}

static int
where_sym(const sym_t *h, const char *name, uint64_t *v)
{
	char key[64];

	snprintf(key, sizeof(key), "SYMBOL(%s)", name);
	return _vmci_u64(h->vmcoreinfo, h->vmcoreinfo_len, key, 16, v);
}

/* VMCOREINFO names the tables (>= 6.0), or where the image is to scan. */
int
_nl_kallsyms_present(const sym_t *h)
{
	uint64_t v;

	return h->vmcoreinfo != NULL && (where_sym(h, "kallsyms_names",
	    &v) == 0 || where_sym(h, "_stext", &v) == 0 ||
	    _vmci_u64(h->vmcoreinfo, h->vmcoreinfo_len, "KERNELOFFSET", 16,
	    &v) == 0);
}

static int locate_by_shape(sym_t *h, struct ks_where *w, char *how,
    size_t howlen);

static int
locate(sym_t *h, struct ks_where *w, char *how, size_t howlen)
{
	static const char *const need[] = { "kallsyms_names",
	    "kallsyms_num_syms", "kallsyms_token_table",
	    "kallsyms_token_index" };
	uint64_t *const dst[] = { &w->names, &w->num, &w->ttab, &w->tidx };
	size_t i;

	memset(w, 0, sizeof(*w));
	if (h->vmcoreinfo != NULL && where_sym(h, "kallsyms_names",
	    &w->names) == -1)
		return locate_by_shape(h, w, how, howlen);
	snprintf(how, howlen, "VMCOREINFO SYMBOL(kallsyms_names)=0x%llx",
	    (unsigned long long)w->names);
	for (i = 0; i < sizeof(need) / sizeof(need[0]); i++)
		if (h->vmcoreinfo == NULL || where_sym(h, need[i], dst[i]) == -1) {
			_sym_err(h, "%s: VMCOREINFO has no SYMBOL(%s): the "
			    "kallsyms tables can't be found (Linux < 6.0?)",
			    h->memfile, need[i]);
			return -1;
		}
	w->have_offsets = where_sym(h, "kallsyms_offsets", &w->offsets) == 0;
	w->have_relbase = where_sym(h, "kallsyms_relative_base",
	    &w->relbase) == 0;
	w->have_addresses = where_sym(h, "kallsyms_addresses",
	    &w->addresses) == 0;
	w->have_stext = where_sym(h, "_stext", &w->stext) == 0;
	if (!w->have_offsets && !w->have_addresses) {
		_sym_err(h, "%s: VMCOREINFO has neither SYMBOL(kallsyms_offsets) "
		    "nor SYMBOL(kallsyms_addresses): no symbol addresses",
		    h->memfile);
		return -1;
	}
	return 0;
}

/*
 * Up to len bytes at addr, in one read if it can; else page by page up to
 * the first page that can't be read (the end of a dump's segment).
 * Returns the count, 0 with the error set if not even the first page.
 */
static size_t
read_upto(sym_t *h, uint64_t addr, unsigned char *buf, size_t len)
{
	size_t got = 0, n;

	if (sym_read(h, addr, buf, len) == 0)
		return len;
	while (got < len) {
		n = SYM_PAGE_SIZE - ((addr + got) & (SYM_PAGE_SIZE - 1));
		if (n > len - got)
			n = len - got;
		if (sym_read(h, addr + got, buf + got, n) == -1)
			break;
		got += n;
	}
	return got;
}

/*
 * Before 6.0 VMCOREINFO names no kallsyms table: they are found by their
 * shape in the image's read-only data.  scripts/kallsyms.c (4.6 to 5.19,
 * CONFIG_KALLSYMS_BASE_RELATIVE) lays them out one after another, each
 * label 8-aligned (ALGN) and zero-padded: kallsyms_offsets (u32 each),
 * kallsyms_relative_base (u64), kallsyms_num_syms (u32), kallsyms_names,
 * kallsyms_markers (u32 each, one per 256 names), kallsyms_token_table,
 * kallsyms_token_index (256 u16).  The token index is the anchor; each
 * table before it is derived from the next and checked against it.
 */
#define KS_SCAN_MAX	(64U << 20)	/* 5.10: the index ~16 MB in */
#define KS_START_KERNEL	0xffffffff81000000ULL	/* __START_KERNEL */
#define KS_MARKERS_MAX	(SYM_MAX_SYMBOLS / 256)
#define KS_BLOCK_MAX	(256U * 256)	/* 256 names, 1 + 255 bytes each */
#define ALIGN8(x)	(((x) + 7) & ~(uint64_t)7)

static uint16_t
le16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t
le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

/* 256 offsets from 0, each above the last by at most one token. */
static int
tidx_shape(const unsigned char *p, uint16_t *tidx)
{
	int i;

	if ((tidx[0] = le16(p)) != 0)
		return 0;
	for (i = 1; i < 256; i++) {
		tidx[i] = le16(p + 2 * i);
		if (tidx[i] <= tidx[i - 1] ||
		    tidx[i] - tidx[i - 1] > KS_TOKEN_MAX)
			return 0;
	}
	return tidx[255] < KS_TTAB_MAX - KS_TOKEN_MAX;
}

/* A token table at p, span bytes before the index: each token ends in
 * its NUL where the next begins, the last one's padding is zeros. */
static int
ttab_fits(const unsigned char *p, size_t span, const uint16_t *tidx)
{
	size_t i, j, end;

	for (i = 0; i < 256; i++) {
		end = i < 255 ? (size_t)tidx[i + 1] - 1 : span;
		for (j = tidx[i]; j < end && p[j] != '\0'; j++)
			;
		if (j >= span || (i < 255 && j != end))
			return 0;
	}
	if (span - (j + 1) >= 8)
		return 0;
	for (j++; j < span; j++)
		if (p[j] != '\0')
			return 0;
	return 1;
}

/* The token table, ending (padded to 8) where the index begins. */
static int
find_ttab(sym_t *h, struct ks_where *w, const uint16_t *tidx)
{
	size_t len = (size_t)tidx[255] + KS_TOKEN_MAX + 8;
	uint64_t base = w->tidx - len, c;
	unsigned char *b;
	int rc = -1;

	if ((b = malloc(len)) == NULL || sym_read(h, base, b, len) == -1) {
		free(b);
		return -1;
	}
	for (c = (w->tidx - tidx[255] - 1) & ~(uint64_t)7; c >= base;
	    c -= 8)
		if (ttab_fits(b + (c - base), w->tidx - c, tidx)) {
			w->ttab = c;
			rc = 0;
			break;
		}
	free(b);
	return rc;
}

/* The markers before the token table: increasing back down to the 0 of
 * markers[0]; a zero word right before the table is padding. */
static int
find_markers(sym_t *h, const struct ks_where *w, uint32_t **mk,
    uint32_t *nm, uint64_t *at)
{
	size_t len = KS_MARKERS_MAX * 4 + 8, k, pad, n;
	unsigned char *b = NULL;
	uint32_t v, prev;

	*mk = NULL;
	if (w->ttab - w->stext < len)
		len = (size_t)(w->ttab - w->stext) & ~(size_t)3;
	if (len < 8 || (b = malloc(len)) == NULL || sym_read(h, w->ttab - len, b,
	    len) == -1)
		goto fail;
	pad = le32(b + len - 4) == 0;
	prev = le32(b + len - 4 * (pad + 1));
	for (k = pad + 1; prev != 0 && k < len / 4; k++) {
		v = le32(b + len - 4 * (k + 1));
		if (v >= prev || prev - v < 512 || prev - v > KS_BLOCK_MAX)
			goto fail;
		prev = v;
	}
	n = k - pad;
	*at = w->ttab - 4 * k;
	if (prev != 0 || (*at & 7) != 0 || (*mk = malloc(4 * n)) == NULL)
		goto fail;
	for (k = 0; k < n; k++)
		(*mk)[k] = le32(b + len - (w->ttab - *at) + 4 * k);
	*nm = (uint32_t)n;
	free(b);
	return 0;
fail:
	free(b);
	return -1;
}

/* The names from n, walked by their lengths, meet every marker and end
 * (padded) where the markers begin. */
static int
names_fit(sym_t *h, uint64_t names, uint32_t n, const uint32_t *mk,
    uint64_t mk_at)
{
	size_t len = mk_at - names, pos = 0;
	unsigned char *b;
	uint32_t i;
	int ok = 0;

	if (mk_at <= names || len > KS_NAMES_MAX ||
	    (b = malloc(len)) == NULL)
		return 0;
	if (sym_read(h, names, b, len) == 0) {
		for (i = 0; i < n && pos < len; i++) {
			if ((i & 0xff) == 0 && mk[i >> 8] != pos)
				break;
			pos += 1 + (size_t)b[pos];
		}
		ok = i == n && pos <= len && len - pos < 8;
		while (ok && pos < len)
			ok = b[pos++] == 0;
	}
	free(b);
	h->errbuf[0] = '\0';
	return ok;
}

/* num_syms, 8-aligned below the names, relative_base a kernel address
 * just below it; the offsets before that.  One block of names at most
 * lies past the last marker: a window to search. */
static int
find_count(sym_t *h, struct ks_where *w, const uint32_t *mk, uint32_t nm,
    uint64_t mk_at)
{
	uint64_t hi, lo, a, rb;
	unsigned char *b;
	size_t len;
	uint32_t n;
	int rc = -1;

	if (mk_at - w->stext < (uint64_t)mk[nm - 1] + 32)
		return -1;
	hi = (mk_at - 10 - mk[nm - 1]) & ~(uint64_t)7;
	lo = hi - w->stext > KS_BLOCK_MAX + 24 ? hi - KS_BLOCK_MAX - 16 :
	    ALIGN8(w->stext + 8);
	len = (size_t)(hi - lo) + 16;
	if ((b = malloc(len)) == NULL || sym_read(h, lo - 8, b, len) == -1)
		goto out;
	for (a = hi; a >= lo && rc == -1; a -= 8) {
		n = le32(b + (a - lo) + 8);
		rb = le32(b + (a - lo)) | (uint64_t)le32(b + (a - lo) + 4) << 32;
		if (n == 0 || (n + 255) / 256 != nm ||
		    le32(b + (a - lo) + 12) != 0 || rb < SYM_START_KERNEL_MAP ||
		    rb > w->stext || !names_fit(h, a + 8, n, mk, mk_at))
			continue;
		w->num = a;
		w->names = a + 8;
		w->relbase = a - 8;
		w->offsets = a - 8 - ALIGN8(4 * (uint64_t)n);
		w->have_offsets = w->have_relbase = 1;
		rc = 0;
	}
out:
	free(b);
	return rc;
}

/* The rest from a token index at w->tidx, or -1 if it does not hold. */
static int
derive(sym_t *h, struct ks_where *w, const uint16_t *tidx)
{
	uint32_t *mk = NULL, nm;
	uint64_t mk_at;
	int rc;

	rc = find_ttab(h, w, tidx) == -1 || w->ttab <= w->stext ||
	    find_markers(h, w, &mk, &nm, &mk_at) == -1 ||
	    find_count(h, w, mk, nm, mk_at) == -1 ? -1 : 0;
	free(mk);
	h->errbuf[0] = '\0';
	return rc;
}

/* Where the image starts: SYMBOL(_stext), else __START_KERNEL moved by
 * KERNELOFFSET; and how far to scan: to init_top_pgt (.data) at most. */
static int
image_span(sym_t *h, struct ks_where *w, uint64_t *len)
{
	uint64_t off = 0, end;

	w->have_stext = where_sym(h, "_stext", &w->stext) == 0;
	if (!w->have_stext && (h->vmcoreinfo == NULL ||
	    _vmci_u64(h->vmcoreinfo, h->vmcoreinfo_len, "KERNELOFFSET", 16,
	    &off) == -1)) {
		_sym_err(h, "%s: VMCOREINFO has no SYMBOL(kallsyms_names), no "
		    "SYMBOL(_stext) and no KERNELOFFSET: the kernel image and "
		    "its kallsyms tables can't be found", h->memfile);
		return -1;
	}
	if (!w->have_stext)
		w->stext = KS_START_KERNEL + off;
	*len = KS_SCAN_MAX;
	if (where_sym(h, "init_top_pgt", &end) == 0 && end > w->stext &&
	    end - w->stext < *len)
		*len = end - w->stext;
	return 0;
}

static int
locate_by_shape(sym_t *h, struct ks_where *w, char *how, size_t howlen)
{
	unsigned char *b;
	uint16_t tidx[256];
	uint64_t len, off, seen = 0;
	size_t got, i;

	if (image_span(h, w, &len) == -1)
		return -1;
	if ((b = malloc(KS_CHUNK + 512)) == NULL) {
		_sym_err(h, "out of memory");
		return -1;
	}
	for (off = 0; off < len; off += KS_CHUNK) {
		/* chunks overlap by the index's 512 bytes */
		if ((got = read_upto(h, w->stext + off, b, KS_CHUNK + 512)) <
		    512)
			break;
		for (i = 0; i + 512 <= got && i < KS_CHUNK && off + i < len;
		    i += 8) {
			w->tidx = w->stext + off + i;
			if (tidx_shape(b + i, tidx) && derive(h, w, tidx) == 0)
				goto found;
		}
		seen = off + i;
	}
	free(b);
	_sym_err(h, "%s: no kallsyms tables in the %llu bytes of the kernel "
	    "image from 0x%llx (VMCOREINFO names none before Linux 6.0)",
	    h->memfile, (unsigned long long)seen,
	    (unsigned long long)w->stext);
	return -1;
found:
	free(b);
	h->errbuf[0] = '\0';
	snprintf(how, howlen, "kallsyms_token_index found at 0x%llx by its "
	    "shape, %llu bytes past 0x%llx; VMCOREINFO names no table before "
	    "6.0", (unsigned long long)w->tidx, (unsigned long long)(off + i),
	    (unsigned long long)w->stext);
	_sym_explain(h, "kallsyms tables by their shape: token_index 0x%llx, "
	    "token_table 0x%llx, names 0x%llx, num_syms 0x%llx, "
	    "relative_base 0x%llx, offsets 0x%llx", (unsigned long long)w->tidx,
	    (unsigned long long)w->ttab, (unsigned long long)w->names,
	    (unsigned long long)w->num, (unsigned long long)w->relbase,
	    (unsigned long long)w->offsets);
	return 0;
}

/* The 256 token offsets, and the token table up to the last one's NUL. */
static int
read_tokens(sym_t *h, struct ks *k)
{
	size_t i, end = 0, want;
	const char *nul;

	if (sym_read(h, k->w->tidx, k->tidx, sizeof(k->tidx)) == -1)
		return table_err(h, "kallsyms_token_index", k->w->tidx);
	for (i = 0; i < 256; i++)
		if (k->tidx[i] > end)
			end = k->tidx[i];
	if (end >= KS_TTAB_MAX - KS_TOKEN_MAX) {
		_sym_err(h, "kallsyms_token_index at 0x%llx: token offset %zu "
		    "is past the %u-byte bound of a token table",
		    (unsigned long long)k->w->tidx, end, KS_TTAB_MAX);
		return -1;
	}
	/* The table ends with the NUL of its furthest token. */
	want = end + KS_TOKEN_MAX;
	if ((k->ttab = malloc(want)) == NULL) {
		_sym_err(h, "out of memory");
		return -1;
	}
	if ((k->ttab_len = read_upto(h, k->w->ttab, (unsigned char *)k->ttab,
	    want)) == 0)
		return table_err(h, "kallsyms_token_table", k->w->ttab);
	for (i = 0; i < 256; i++) {
		nul = k->tidx[i] < k->ttab_len ? memchr(k->ttab + k->tidx[i],
		    '\0', k->ttab_len - k->tidx[i]) : NULL;
		if (nul == NULL) {
			_sym_err(h, "kallsyms_token_table at 0x%llx: token %zu "
			    "at offset %u does not end within %zu bytes",
			    (unsigned long long)k->w->ttab, i, k->tidx[i],
			    k->ttab_len);
			return -1;
		}
	}
	return 0;
}

/* At least need bytes of the names stream, reading on in large chunks. */
static int
names_ensure(sym_t *h, struct ks *k, size_t need, uint32_t sym)
{
	unsigned char *n;
	size_t chunk, got;

	while (k->have < need) {
		if (k->have >= KS_NAMES_MAX) {
			_sym_err(h, "kallsyms_names at 0x%llx: symbol %u of %u "
			    "lies past the %u MB bound of the stream",
			    (unsigned long long)k->w->names, sym, k->nsyms,
			    KS_NAMES_MAX >> 20);
			return -1;
		}
		chunk = KS_NAMES_MAX - k->have < KS_CHUNK ?
		    KS_NAMES_MAX - k->have : KS_CHUNK;
		if ((n = realloc(k->names, k->have + chunk)) == NULL) {
			_sym_err(h, "out of memory");
			return -1;
		}
		k->names = n;
		got = read_upto(h, k->w->names + k->have, n + k->have, chunk);
		if (got == 0) {
			_sym_err(h, "kallsyms_names at 0x%llx: the stream is "
			    "truncated at 0x%llx, in symbol %u of %u",
			    (unsigned long long)k->w->names,
			    (unsigned long long)(k->w->names + k->have), sym,
			    k->nsyms);
			return -1;
		}
		k->have += got;
	}
	return 0;
}

/*
 * The token count before each name.  73bbb94466fd ("kallsyms: support
 * "big" kernel symbols", 6.1) made it ULEB128 of up to two bytes: a first
 * byte with 0x80 set carries the low 7 bits, the next the high ones.
 * Read that way on every kernel, not by release: before 6.1 a count was
 * never 128 or more (scripts/kallsyms.c dropped names of KSYM_NAME_LEN,
 * 128, or more, and a name's own letters are an upper bound on its
 * tokens), so a first byte with 0x80 set only ever meant the long form.
 */
static int
name_len(sym_t *h, struct ks *k, uint32_t i, size_t *len)
{
	if (names_ensure(h, k, k->pos + 1, i) == -1)
		return -1;
	*len = k->names[k->pos++];
	if (*len & 0x80) {
		if (names_ensure(h, k, k->pos + 1, i) == -1)
			return -1;
		if (k->names[k->pos] & 0x80) {
			/* scripts/kallsyms.c writes at most 0x3fff */
			_sym_err(h, "kallsyms_names at 0x%llx: symbol %u of %u "
			    "has a length of more than two bytes (offset 0x%zx)",
			    (unsigned long long)k->w->names, i, k->nsyms,
			    k->pos - 1);
			return -1;
		}
		*len = (*len & 0x7f) | (size_t)k->names[k->pos++] << 7;
		k->nlong++;
	}
	if (*len == 0) {
		/* scripts/kallsyms.c refuses an empty symbol */
		_sym_err(h, "kallsyms_names at 0x%llx: symbol %u of %u has no "
		    "tokens (offset 0x%zx)", (unsigned long long)k->w->names,
		    i, k->nsyms, k->pos);
		return -1;
	}
	return names_ensure(h, k, k->pos + *len, i);
}

/* Symbol i's type letter and name, as kallsyms_expand_symbol makes them. */
static int
expand(sym_t *h, struct ks *k, uint32_t i, char *type, char *name)
{
	size_t len, n = 0, j;
	const char *t;

	if (name_len(h, k, i, &len) == -1)
		return -1;
	*type = '\0';
	for (j = 0; j < len; j++) {
		for (t = k->ttab + k->tidx[k->names[k->pos + j]]; *t; t++) {
			if ((unsigned char)*t <= ' ' || (unsigned char)*t >= 0x7f)
				goto bad;
			if (*type == '\0')
				*type = *t;
			else if (n == KS_NAME_MAX)
				goto bad;
			else
				name[n++] = *t;
		}
	}
	name[n] = '\0';
	k->pos += len;
	if (n > 0)
		return 0;
bad:
	_sym_err(h, "kallsyms_names at 0x%llx: symbol %u of %u (offset 0x%zx) "
	    "does not expand to a type and a name of at most %d printable "
	    "characters", (unsigned long long)k->w->names, i, k->nsyms,
	    k->pos, KS_NAME_MAX);
	return -1;
}

static int
read_count(sym_t *h, struct ks *k)
{
	if (sym_read(h, k->w->num, &k->nsyms, sizeof(k->nsyms)) == -1)
		return table_err(h, "kallsyms_num_syms", k->w->num);
	if (k->nsyms == 0 || k->nsyms > SYM_MAX_SYMBOLS) {
		_sym_err(h, "kallsyms_num_syms at 0x%llx reads %u: not a symbol "
		    "count (1 to %u)", (unsigned long long)k->w->num, k->nsyms,
		    SYM_MAX_SYMBOLS);
		return -1;
	}
	return 0;
}

/* The kernel's kallsyms_sym_address, in its four forms. */
enum ks_form { KS_ABSOLUTE, KS_RELATIVE, KS_PERCPU, KS_PLACE };

static uint64_t
sym_address(const struct ks *k, enum ks_form f, uint64_t base, uint32_t i)
{
	switch (f) {
	case KS_ABSOLUTE:	/* !CONFIG_KALLSYMS_BASE_RELATIVE */
		return k->addr[i];
	case KS_RELATIVE:	/* base-relative: unsigned offsets */
		return base + (uint32_t)k->off[i];
	case KS_PLACE:		/* base is kallsyms_offsets: offset_to_ptr */
		return base + 4 * (uint64_t)i + (uint64_t)(int64_t)k->off[i];
	default:		/* CONFIG_KALLSYMS_ABSOLUTE_PERCPU */
		return k->off[i] >= 0 ? (uint64_t)(int64_t)k->off[i] :
		    base - 1 - (uint64_t)(int64_t)k->off[i];
	}
}

/*
 * 2213e9a66bb8 ("kallsyms: add support for relative offsets in kallsyms
 * address table", 4.6) brought both forms of kallsyms_offsets: with
 * CONFIG_KALLSYMS_ABSOLUTE_PERCPU (x86-64 SMP) per-CPU symbols are
 * absolute and the rest negative offsets below relative_base; without
 * it every offset is unsigned above relative_base.  (6.15 dropped the
 * per-CPU form, 01157ddc58dc "kallsyms: Remove KALLSYMS_ABSOLUTE_PERCPU";
 * 6.11 the plain kallsyms_addresses, 64e166099b69 "kallsyms: get rid of
 * code for absolute kallsyms".)
 * Nothing in a dump says which.  _stext decoded both ways, against
 * VMCOREINFO's SYMBOL(_stext), tells; without _stext, a negative offset
 * can only be absolute-percpu (a base-relative kernel spanning 2 GB does
 * not exist), and all offsets non-negative only base-relative.
 */
static int
choose_form(sym_t *h, struct ks *k, uint64_t base, int64_t stext_i,
    enum ks_form *f, const char **how)
{
	uint64_t rel, pcpu;
	uint32_t i;

	if (stext_i >= 0 && k->w->have_stext) {
		rel = sym_address(k, KS_RELATIVE, base, (uint32_t)stext_i);
		pcpu = sym_address(k, KS_PERCPU, base, (uint32_t)stext_i);
		*how = "_stext decoded that way equals VMCOREINFO SYMBOL(_stext)";
		if (pcpu == k->w->stext) {
			*f = KS_PERCPU;
			return 0;
		}
		if (rel == k->w->stext) {
			*f = KS_RELATIVE;
			return 0;
		}
		_sym_err(h, "kallsyms_offsets at 0x%llx: _stext decodes to "
		    "0x%llx (absolute per-CPU) or 0x%llx (base-relative), but "
		    "VMCOREINFO says 0x%llx", (unsigned long long)k->w->offsets,
		    (unsigned long long)pcpu, (unsigned long long)rel,
		    (unsigned long long)k->w->stext);
		return -1;
	}
	*how = "no _stext to check: by the sign of the offsets";
	*f = KS_RELATIVE;
	for (i = 0; i < k->nsyms; i++)
		if (k->off[i] < 0)
			*f = KS_PERCPU;
	return 0;
}

/*
 * a081b5789255 ("kallsyms: Get rid of kallsyms relative base", 7.0)
 * dropped kallsyms_relative_base, from VMCOREINFO too: on 64-bit and
 * relocatable kernels each kallsyms_offsets[i] is now a place-relative
 * s32, the symbol at &kallsyms_offsets[i] + kallsyms_offsets[i]
 * (offset_to_ptr).  VMCOREINFO's _stext, where it can be decoded, must
 * agree.
 */
static int
check_place(sym_t *h, struct ks *k, int64_t stext_i, const char **how)
{
	uint64_t got;

	*how = "no _stext to check it by";
	if (stext_i < 0 || !k->w->have_stext)
		return 0;
	got = sym_address(k, KS_PLACE, k->w->offsets, (uint32_t)stext_i);
	if (got != k->w->stext) {
		_sym_err(h, "kallsyms_offsets at 0x%llx: _stext decodes to "
		    "0x%llx place-relative (no kallsyms_relative_base), but "
		    "VMCOREINFO says 0x%llx", (unsigned long long)k->w->offsets,
		    (unsigned long long)got, (unsigned long long)k->w->stext);
		return -1;
	}
	*how = "_stext decoded that way equals VMCOREINFO SYMBOL(_stext)";
	return 0;
}

/* kallsyms_offsets, and the form its values take. */
static int
read_offsets(sym_t *h, struct ks *k, int64_t stext_i, uint64_t *base,
    enum ks_form *f, const char **how)
{
	if ((k->off = calloc(k->nsyms, sizeof(*k->off))) == NULL) {
		_sym_err(h, "out of memory");
		return -1;
	}
	if (sym_read(h, k->w->offsets, k->off, k->nsyms * sizeof(*k->off)) ==
	    -1)
		return table_err(h, "kallsyms_offsets", k->w->offsets);
	if (!k->w->have_relbase) {
		*f = KS_PLACE;
		*base = k->w->offsets;
		return check_place(h, k, stext_i, how);
	}
	if (sym_read(h, k->w->relbase, base, sizeof(*base)) == -1)
		return table_err(h, "kallsyms_relative_base", k->w->relbase);
	return choose_form(h, k, *base, stext_i, f, how);
}

static const char *
form_name(enum ks_form f)
{
	switch (f) {
	case KS_PERCPU:
		return "CONFIG_KALLSYMS_ABSOLUTE_PERCPU (offsets >= 0 "
		    "absolute, else relative_base - 1 - offset)";
	case KS_RELATIVE:
		return "base-relative (relative_base + u32 offset)";
	case KS_PLACE:
		return "place-relative (&kallsyms_offsets[i] + s32 offset, "
		    "a081b5789255)";
	default:
		return "absolute";
	}
}

/* The addresses, runtime ones: the tables were relocated with the kernel. */
static int
read_addresses(sym_t *h, struct ks *k, int64_t stext_i)
{
	uint64_t base = 0;
	enum ks_form f = KS_ABSOLUTE;
	const char *how = "SYMBOL(kallsyms_addresses): a plain array";
	uint32_t i;

	if ((k->addr = calloc(k->nsyms, sizeof(*k->addr))) == NULL) {
		_sym_err(h, "out of memory");
		return -1;
	}
	if (!k->w->have_offsets) {
		if (sym_read(h, k->w->addresses, k->addr, k->nsyms *
		    sizeof(*k->addr)) == -1)
			return table_err(h, "kallsyms_addresses",
			    k->w->addresses);
	} else {
		if (read_offsets(h, k, stext_i, &base, &f, &how) == -1)
			return -1;
		for (i = 0; i < k->nsyms; i++)
			k->addr[i] = sym_address(k, f, base, i);
	}
	_sym_explain(h, "kallsyms addresses: %s, base 0x%llx; %s",
	    form_name(f), (unsigned long long)base, how);
	return 0;
}

/* Names packed one after another, NUL-terminated: no malloc per name. */
struct ks_names {
	char *buf;
	size_t len, cap;
	size_t *off;			/* name i at buf + off[i] */
	char *types;
};

/* Short names from a short stream, but tokens multiply: bound the sum. */
static int
keep_name(sym_t *h, const struct ks *k, struct ks_names *n, uint32_t i,
    const char *name)
{
	size_t len = strlen(name) + 1, ncap;
	char *nb;

	if (len > KS_TEXT_MAX - n->len) {
		_sym_err(h, "kallsyms_names at 0x%llx: symbol %u of %u takes "
		    "the expanded names past %u MB",
		    (unsigned long long)k->w->names, i, k->nsyms,
		    KS_TEXT_MAX >> 20);
		return -1;
	}
	if (n->cap - n->len < len) {
		ncap = n->cap ? n->cap * 2 : KS_CHUNK;
		if ((nb = realloc(n->buf, ncap)) == NULL) {
			_sym_err(h, "out of memory");
			return -1;
		}
		n->buf = nb;
		n->cap = ncap;
	}
	memcpy(n->buf + n->len, name, len);
	n->off[i] = n->len;
	n->len += len;
	return 0;
}

/* Every name, in the kernel's order; the index of _stext, or -1. */
static int
decode_names(sym_t *h, struct ks *k, struct ks_names *n, int64_t *stext_i)
{
	char name[KS_NAME_MAX + 1];
	uint32_t i;

	*stext_i = -1;
	if ((n->off = calloc(k->nsyms, sizeof(*n->off))) == NULL ||
	    (n->types = calloc(k->nsyms, 1)) == NULL)
		goto nomem;
	for (i = 0; i < k->nsyms; i++) {
		if (expand(h, k, i, &n->types[i], name) == -1)
			return -1;
		if (keep_name(h, k, n, i, name) == -1)
			return -1;
		if (*stext_i < 0 && strcmp(name, "_stext") == 0)
			*stext_i = i;
	}
	return 0;
nomem:
	_sym_err(h, "out of memory");
	return -1;
}

static int
fill(sym_t *h, struct ks *k, struct symtab *t, const char *origin)
{
	struct ks_names n = { 0 };
	int64_t stext_i;
	uint32_t i;
	int rc = -1;

	if (decode_names(h, k, &n, &stext_i) == -1 ||
	    read_addresses(h, k, stext_i) == -1)
		goto out;
	for (i = 0; i < k->nsyms; i++)
		if (_symtab_append(t, n.buf + n.off[i], k->addr[i], n.types[i],
		    NULL, origin) == -1) {
			_sym_syserr(h, "%s: symbol %u (%s)", origin, i,
			    n.buf + n.off[i]);
			goto out;
		}
	rc = 0;
out:
	free(n.buf);
	free(n.off);
	free(n.types);
	return rc;
}

int
_nl_kallsyms_load(sym_t *h, struct symtab *t, const char *origin, char *how,
    size_t howlen)
{
	struct ks_where w;
	struct ks k;
	int rc = -1;

	memset(&k, 0, sizeof(k));
	k.w = &w;
	if (locate(h, &w, how, howlen) == -1 || read_count(h, &k) == -1 ||
	    read_tokens(h, &k) == -1 || fill(h, &k, t, origin) == -1)
		goto out;
	_sym_explain(h, "kallsyms: %u names in %zu bytes of the compressed "
	    "stream at 0x%llx, expanded through 256 tokens at 0x%llx; %u "
	    "with a 2-byte length (73bbb94466fd, 6.1)", k.nsyms, k.pos,
	    (unsigned long long)w.names, (unsigned long long)w.ttab, k.nlong);
	rc = 0;
out:
	free(k.ttab);
	free(k.names);
	free(k.addr);
	free(k.off);
	return rc;
}
