/*
 * The namelist: which file names the kernel's symbols (BSD -N), where
 * distributions keep one for the running release, the KASLR slide between
 * it and the kernel in memory, and the check that the two belong together.
 * Loaded on the first lookup, so tools reading /proc never pay for it.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "sym_private.h"

#define KALLSYMS "/proc/kallsyms"

/* Where Debian and others put a namelist for release R, best first. */
static const struct { const char *pre, *post; } candidates[] = {
	{ "/boot/System.map-", "" },
	{ "/usr/lib/debug/boot/vmlinux-", "" },
	{ "/usr/lib/debug/lib/modules/", "/vmlinux" },
	{ "/lib/modules/", "/build/vmlinux" },
};

static int
choose_namelist(sym_t *h, char *path, size_t len)
{
	const char *placeholder = NULL;
	static char ph[4096];
	size_t i;

	if (h->nlopt != NULL) {
		snprintf(path, len, "%s", h->nlopt);
		if (_nl_map_is_placeholder(path)) {
			_sym_err(h, "%s: Debian's placeholder System.map: the real "
			    "one is in the linux-image-%s-dbg package", path,
			    h->release[0] ? h->release : "RELEASE");
			return -1;
		}
		return 0;
	}
	for (i = 0; h->release[0] && i < sizeof(candidates) /
	    sizeof(candidates[0]); i++) {
		snprintf(path, len, "%s%s%s", candidates[i].pre, h->release,
		    candidates[i].post);
		if (access(path, R_OK) == -1)
			continue;
		if (_nl_map_is_placeholder(path)) {
			_sym_explain(h, "%s is Debian's 83-byte placeholder, "
			    "skipped", path);
			snprintf(ph, sizeof(ph), "%s", path);
			placeholder = ph;
			continue;
		}
		_sym_explain(h, "namelist for release %s: %s", h->release, path);
		return 0;
	}
	if (h->live || _sym_running_kcore(h)) {
		snprintf(path, len, KALLSYMS);
		_sym_explain(h, "no namelist file for %s: using %s, the "
		    "running kernel's own symbol table", h->release, path);
		return 0;
	}
	if (placeholder != NULL)
		_sym_err(h, "%s: Debian's placeholder System.map: the real one "
		    "is in the linux-image-%s-dbg package (or give -N)",
		    placeholder, h->release);
	else
		_sym_err(h, "%s: no namelist found for release %s: give one "
		    "with -N", h->memfile, h->release[0] ? h->release : "?");
	return -1;
}

/* The _text line of /proc/kallsyms: the live kernel's runtime base. */
static int
kallsyms_text(uint64_t *addr)
{
	char line[SYM_MAX_LINE];
	uint64_t a;
	char type, name[128];
	FILE *fp;
	int rc = -1;

	if ((fp = fopen(KALLSYMS, "re")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), fp) != NULL) {
		if (sscanf(line, "%" SCNx64 " %c %127s", &a, &type, name) != 3)
			continue;
		if (strcmp(name, "_text") == 0) {
			*addr = a;
			rc = a != 0 ? 0 : -1;
			break;
		}
	}
	fclose(fp);
	return rc;
}

/*
 * KASLR moves the kernel image by one offset.  A kernel that was dumped
 * says it in VMCOREINFO (KERNELOFFSET, hex without 0x, since 4.8 on
 * x86-64); a live one shows it as _text in /proc/kallsyms.
 */
static int
find_slide(sym_t *h)
{
	const struct sym_ent *text;
	uint64_t off, live;

	h->slide = 0;
	h->slide_known = 1;
	if (h->nlruntime) {
		/* Kept for sym_kaslr_slide(), never added to these. */
		if (h->vmcoreinfo != NULL && _vmci_u64(h->vmcoreinfo,
		    h->vmcoreinfo_len, "KERNELOFFSET", 16, &off) == 0) {
			h->slide = (int64_t)off;
			_sym_finding(h, "kaslr", "slide 0x%llx (VMCOREINFO "
			    "KERNELOFFSET; the symbols have it already)",
			    (unsigned long long)off);
		}
		_sym_explain(h, "%s holds runtime addresses: no KASLR slide "
		    "to add", h->nlpath);
		return 0;
	}
	if (h->vmcoreinfo != NULL && _vmci_u64(h->vmcoreinfo,
	    h->vmcoreinfo_len, "KERNELOFFSET", 16, &off) == 0) {
		h->slide = (int64_t)off;
		_sym_finding(h, "kaslr", "slide 0x%llx (VMCOREINFO "
		    "KERNELOFFSET)", (unsigned long long)off);
		_sym_explain(h, "KASLR slide 0x%llx from VMCOREINFO KERNELOFFSET "
		    "(the 1980s kernel was always where /vmunix said)",
		    (unsigned long long)off);
		return 0;
	}
	text = _symtab_find(h->syms, "_text");
	if (h->live && text != NULL && kallsyms_text(&live) == 0) {
		h->slide = (int64_t)(live - text->addr);
		_sym_finding(h, "kaslr", "slide 0x%llx (_text in %s)",
		    (unsigned long long)h->slide, KALLSYMS);
		_sym_explain(h, "KASLR slide 0x%llx: _text is 0x%llx in %s and "
		    "0x%llx in the namelist", (unsigned long long)h->slide,
		    (unsigned long long)live, KALLSYMS,
		    (unsigned long long)text->addr);
		return 0;
	}
	h->slide_known = 0;
	_sym_explain(h, "no KERNELOFFSET and no readable kallsyms: assuming "
	    "the kernel was not moved (no KASLR)");
	return 0;
}

/* kptr_restrict shows non-root readers zeros for every address. */
static int
check_kallsyms_visible(sym_t *h)
{
	const struct sym_ent *e = _symtab_find(h->syms, "_text");

	if (e != NULL && e->addr == 0) {
		_sym_err(h, "%s: all addresses read as zero: kptr_restrict "
		    "hides them (needs root or CAP_SYSLOG)", h->nlpath);
		return -1;
	}
	return 0;
}

/*
 * A namelist from another build points into the wrong bytes.  Read
 * linux_banner where the namelist says it is and insist on
 * "Linux version RELEASE ".
 */
static int
verify_banner(sym_t *h)
{
	const struct sym_ent *e;
	char banner[128], want[96];
	uint64_t addr;

	if (h->mops == NULL)
		return 0;
	if ((e = _symtab_find(h->syms, "linux_banner")) == NULL) {
		_sym_explain(h, "%s has no linux_banner: cannot check that it "
		    "matches the kernel", h->nlpath);
		return 0;
	}
	_hook_symbol(h, e);
	if (!h->from_cache)
		_cache_note(h, e, 1);
	addr = e->addr >= SYM_START_KERNEL_MAP && !h->nlruntime ?
	    e->addr + (uint64_t)h->slide : e->addr;
	memset(banner, 0, sizeof(banner));
	if (sym_read(h, addr, banner, sizeof(banner) - 1) == -1) {
		_sym_err(h, "%s does not match the kernel in %s: linux_banner "
		    "at 0x%llx is not readable", h->nlpath, h->memfile,
		    (unsigned long long)addr);
		return -1;
	}
	snprintf(want, sizeof(want), "Linux version %s ", h->release);
	if (strncmp(banner, want, strlen(h->release[0] ? want :
	    "Linux version ")) != 0) {
		banner[strcspn(banner, "\n")] = '\0';
		_sym_err(h, "%s does not match the kernel in %s: linux_banner "
		    "at 0x%llx reads \"%.40s\", expected \"%s\"", h->nlpath,
		    h->memfile, (unsigned long long)addr, banner, want);
		return -1;
	}
	_sym_explain(h, "linux_banner at 0x%llx reads \"%.60s\": the namelist "
	    "matches", (unsigned long long)addr, banner);
	return 0;
}

/* A vmlinux and a dump both carrying a build-id must carry the same one. */
static int
verify_build_id(sym_t *h)
{
	char nl[128], mem[128];

	if (h->vmcoreinfo == NULL || !_nl_is_elf(h->nlpath) ||
	    _vmci_get(h->vmcoreinfo, h->vmcoreinfo_len, "BUILD-ID", mem,
	    sizeof(mem)) == -1 ||
	    _nl_elf_build_id(h, h->nlpath, nl, sizeof(nl)) == -1)
		return 0;
	if (strcmp(nl, mem) != 0) {
		_sym_err(h, "%s does not match the kernel in %s: build-id %s, "
		    "the kernel's is %s", h->nlpath, h->memfile, nl, mem);
		return -1;
	}
	_sym_explain(h, "build-id %s matches VMCOREINFO", nl);
	return 0;
}

/* Forgets a namelist that failed to load or to match. */
static void
unload(sym_t *h)
{
	_symtab_free(h->syms);
	h->syms = NULL;
	free(h->nlpath);
	h->nlpath = NULL;
}

static int
new_table(sym_t *h, const char *path)
{
	if ((h->syms = _symtab_new()) == NULL ||
	    (h->nlpath = strdup(path)) == NULL) {
		_sym_err(h, "out of memory");
		return -1;
	}
	return 0;
}

/* Loads path as the namelist: parse, slide, and prove it matches. */
static int
load_file(sym_t *h, const char *path)
{
	int rc;

	if (new_table(h, path) == -1)
		goto fail;
	h->nlruntime = strcmp(path, KALLSYMS) == 0;
	if (_nl_is_elf(path))
		rc = _nl_elf_load(h, h->syms, path);
	else
		rc = _nl_map_load(h, h->syms, path);
	if (rc == -1)
		goto fail;
	_sym_finding(h, "symbols", "%zu from %s", _symtab_count(h->syms),
	    path);
	_sym_explain(h, "nlist: %zu symbols from %s; 4.2BSD's nlist(3) read "
	    "them from /vmunix, where the kernel sat at fixed addresses",
	    _symtab_count(h->syms), path);
	if ((h->nlruntime && check_kallsyms_visible(h) == -1) ||
	    find_slide(h) == -1 || verify_build_id(h) == -1 ||
	    verify_banner(h) == -1)
		goto fail;
	return 0;
fail:
	unload(h);
	return -1;
}

/*
 * No file: the kernel's own kallsyms tables, which VMCOREINFO locates in
 * a dump of Linux >= 6.0, and their shape before.  Runtime addresses, as
 * in /proc/kallsyms.
 */
static int
load_memory(sym_t *h)
{
	char origin[4200], how[256];
	int rc;

	snprintf(origin, sizeof(origin), "%s (kallsyms)", h->memfile);
	if (new_table(h, origin) == -1)
		goto fail;
	h->nlruntime = 1;
	_sym_explain(h, "no namelist given and %s is not the running kernel: "
	    "the kernel's own symbol table is read out of its memory",
	    h->memfile);
	/* A capture keeps the symbols used (System.map), not the tables. */
	_hook_pause(h, 1);
	rc = _nl_kallsyms_load(h, h->syms, origin, how, sizeof(how));
	_hook_pause(h, 0);
	if (rc == -1)
		goto fail;
	_sym_finding(h, "symbols", "%zu from the kernel's kallsyms tables in "
	    "memory (%s)", _symtab_count(h->syms), how);
	_sym_explain(h, "nlist: %zu symbols from the kernel's own kallsyms "
	    "tables (%s); 4.2BSD's nlist(3) needed /vmunix for them",
	    _symtab_count(h->syms), how);
	if (find_slide(h) == -1 || verify_banner(h) == -1)
		goto fail;
	return 0;
fail:
	unload(h);
	return -1;
}

/* -N wins; a dump of Linux >= 6.0 carries its own symbols; then files. */
static int
load_full(sym_t *h)
{
	char path[4096], why[SYM_ERRSIZE];

	if (h->nlopt != NULL || h->live || !_nl_kallsyms_present(h)) {
		if (choose_namelist(h, path, sizeof(path)) == -1)
			return -1;
		return load_file(h, path);
	}
	if (load_memory(h) == 0)
		return 0;
	memcpy(why, h->errbuf, sizeof(why));
	_sym_explain(h, "kallsyms in memory refused: %s; looking for a "
	    "namelist file", why);
	if (choose_namelist(h, path, sizeof(path)) == -1) {
		_sym_err(h, "%.400s (and no namelist file for release %s: "
		    "give one with -N)", why, h->release[0] ? h->release : "?");
		return -1;
	}
	return load_file(h, path);
}

/* The cache for this build, if there is a trusted one that still fits. */
static int
load_cache(sym_t *h)
{
	char path[4096];
	const struct sym_ent *e;
	size_t i;

	if (h->nlopt != NULL || _cache_path(h, ".map", path, sizeof(path)) == -1)
		return -1;
	if (!_cache_trusted(path))
		return -1;
	h->from_cache = 1;
	if (load_file(h, path) == -1) {
		h->from_cache = 0;
		_sym_explain(h, "symbol cache %s refused: %s", path, h->errbuf);
		return -1;
	}
	/* Unchecked, a cache could point anywhere. */
	if (_symtab_find(h->syms, "linux_banner") == NULL) {
		_sym_explain(h, "symbol cache %s has no linux_banner: ignored",
		    path);
		unload(h);
		h->from_cache = 0;
		return -1;
	}
	for (i = 0; (e = _symtab_at(h->syms, i)) != NULL; i++)
		_cache_note(h, e, 0);
	_sym_explain(h, "symbols from the cache %s, as kvm_mkdb's database "
	    "spared BSD ps from nlist on every run", path);
	return 0;
}

int
_sym_load_namelist(sym_t *h)
{
	if (h->syms != NULL)
		return 0;
	if (load_cache(h) == 0)
		return 0;
	return load_full(h);
}

/* The full namelist in place of the cache, which is kept for writing. */
static int
load_whole(sym_t *h)
{
	struct symtab *cached = h->syms;
	char *cpath = h->nlpath;

	h->syms = NULL;
	h->nlpath = NULL;
	h->from_cache = 0;
	if (load_full(h) == -1) {
		h->syms = cached;
		h->nlpath = cpath;
		return -1;
	}
	h->cachesyms = cached;
	free(cpath);
	return 0;
}

/* A symbol the cache lacks: read the full namelist once, keep the cache. */
static const struct sym_ent *
find_full(sym_t *h, const char *name)
{
	_sym_explain(h, "%s: not in the symbol cache, loading the full "
	    "namelist", name);
	if (load_whole(h) == -1)
		return NULL;
	return _symtab_find(h->syms, name);
}

/* The whole namelist, not the cache: for listing it. */
int
sym_namelist(sym_t *h, size_t *count)
{
	if (_sym_load_namelist(h) == -1)
		return -1;
	if (h->from_cache) {
		_sym_explain(h, "the whole namelist is wanted, not the cache");
		if (load_whole(h) == -1)
			return -1;
	}
	*count = _symtab_count(h->syms);
	return 0;
}

static void
fill_info(sym_t *h, const struct sym_ent *e, struct sym_info *out)
{
	out->name = e->name;
	out->nladdr = e->addr;
	out->addr = e->addr;
	/* Only the image moves: per-CPU symbols are offsets, modules and
	 * kallsyms entries are already runtime addresses. */
	if (!h->nlruntime && e->module == NULL &&
	    e->addr >= SYM_START_KERNEL_MAP)
		out->addr = e->addr + (uint64_t)h->slide;
	out->type = e->type;
	out->module = e->module;
	out->origin = e->origin;
}

/* The namelist holds data symbols (CONFIG_KALLSYMS_ALL for kallsyms). */
static int
has_data_symbols(const struct symtab *t)
{
	const struct sym_ent *e;
	size_t i;

	for (i = 0; (e = _symtab_at(t, i)) != NULL; i++)
		if (e->type != '\0' && strchr("dDbB", e->type) != NULL)
			return 1;
	return 0;
}

/* The entry for name; NULL if absent (no error) or if loading failed. */
static const struct sym_ent *
find(sym_t *h, const char *name, int *failed)
{
	const struct sym_ent *e;

	*failed = 0;
	if (_sym_load_namelist(h) == -1) {
		*failed = 1;
		return NULL;
	}
	e = _symtab_find(h->syms, name);
	/* The cache's word that the whole namelist lacks it (note_absent). */
	if (e != NULL && e->type == SYM_ABSENT)
		return NULL;
	if (e == NULL && h->from_cache && (e = find_full(h, name)) == NULL &&
	    h->syms == NULL)
		*failed = 1;
	return e;
}

static void
found(sym_t *h, const char *name, const struct sym_ent *e,
    struct sym_info *out)
{
	_hook_symbol(h, e);
	if (!h->from_cache)
		_cache_note(h, e, 1);
	fill_info(h, e, out);
	_sym_explain(h, "nlist: %s = 0x%llx (%c, %s%s%s)", name,
	    (unsigned long long)out->addr, out->type, out->origin,
	    out->module ? " module " : "", out->module ? out->module : "");
}

int
sym_lookup(sym_t *h, const char *name, struct sym_info *out)
{
	const struct sym_ent *e;
	int failed;

	if ((e = find(h, name, &failed)) == NULL) {
		if (failed)
			return -1;
		/* Blame CONFIG_KALLSYMS_ALL only where no data symbol is
		 * listed; else this kernel has no such symbol. */
		if (h->nlruntime && !has_data_symbols(h->syms))
			_sym_err(h, "%s: not in %s (data symbols need "
			    "CONFIG_KALLSYMS_ALL)", name, h->nlpath);
		else
			_sym_err(h, "%s: not in %s: this kernel has no such "
			    "symbol", name, h->nlpath);
		return -1;
	}
	found(h, name, e, out);
	return 0;
}

/* names[i] in the namelist held now (the cache, perhaps), or -1. */
static int
held(const sym_t *h, const char *const *names)
{
	const struct sym_ent *e;
	int i;

	for (i = 0; names[i] != NULL; i++)
		if ((e = _symtab_find(h->syms, names[i])) != NULL &&
		    e->type != SYM_ABSENT)
			return i;
	return -1;
}

/* 1 if the cache holds every name as absent from the whole namelist. */
static int
all_absent(const sym_t *h, const char *const *names)
{
	const struct sym_ent *e;
	int i;

	for (i = 0; names[i] != NULL; i++)
		if ((e = _symtab_find(h->syms, names[i])) == NULL ||
		    e->type != SYM_ABSENT)
			return 0;
	return h->from_cache;
}

/* The whole namelist lacks every name: keep that in the cache, so that
 * later runs need not load the whole namelist again to learn it. */
static void
note_absent(sym_t *h, const char *const *names)
{
	struct sym_ent absent = { 0 };
	int i;

	if (h->syms == NULL || h->from_cache)
		return;
	for (i = 0; names[i] != NULL; i++) {
		absent.name = names[i];
		absent.type = SYM_ABSENT;
		_cache_note(h, &absent, 1);
	}
}

int
_sym_addr_any(sym_t *h, const char *const *names, uint64_t *addr,
    const char **which)
{
	const struct sym_ent *e = NULL;
	struct sym_info si;
	int i, failed;

	if (_sym_load_namelist(h) == -1)
		return -1;
	/* The cache first: a name it holds spares loading the whole, and
	 * so does its word that none is there. */
	if ((i = held(h, names)) >= 0)
		e = find(h, names[i], &failed);
	else if (all_absent(h, names))
		return 1;
	for (i = 0; e == NULL && names[i] != NULL; i++)
		if ((e = find(h, names[i], &failed)) == NULL && failed)
			return -1;
	if (e == NULL) {
		note_absent(h, names);
		return 1;
	}
	*which = e->name;
	found(h, e->name, e, &si);
	*addr = si.addr;
	return 0;
}

/* _sym_addr for a probe: -1 with the error set when absent, the absence
 * kept in the cache as _sym_addr_any keeps it. */
int
_sym_probe(sym_t *h, const char *name, uint64_t *addr)
{
	const char *names[] = { name, NULL }, *which;
	int rc;

	if ((rc = _sym_addr_any(h, names, addr, &which)) == 1 && h->from_cache)
		_sym_err(h, "%s: not in the kernel (the cache %s says so)", name,
		    h->nlpath);
	else if (rc == 1)
		_sym_err(h, "%s: not in %s", name, h->nlpath);
	return rc == 0 ? 0 : -1;
}

int
sym_addr2sym(sym_t *h, uint64_t addr, struct sym_info *out, uint64_t *offset)
{
	const struct sym_ent *e;
	uint64_t nl = addr;
	size_t n;

	/* The whole namelist: the nearest symbol below addr in the cache
	 * (only the names looked up before) is not its function. */
	if (sym_namelist(h, &n) == -1)
		return -1;
	if (!h->nlruntime && addr >= SYM_START_KERNEL_MAP + (uint64_t)h->slide)
		nl = addr - (uint64_t)h->slide;
	if ((e = _symtab_nearest(h->syms, nl)) == NULL) {
		_sym_err(h, "0x%llx: below every symbol in %s",
		    (unsigned long long)addr, h->nlpath);
		return -1;
	}
	fill_info(h, e, out);
	*offset = addr - out->addr;
	return 0;
}

int
sym_symbol(sym_t *h, size_t i, struct sym_info *out)
{
	const struct sym_ent *e;
	size_t n;

	if (sym_namelist(h, &n) == -1)
		return -1;
	if ((e = _symtab_at(h->syms, i)) == NULL) {
		_sym_err(h, "symbol %zu: past the %zu of %s", i, n, h->nlpath);
		return -1;
	}
	fill_info(h, e, out);
	return 0;
}

int
_sym_addr(sym_t *h, const char *name, uint64_t *addr)
{
	struct sym_info si;

	if (sym_lookup(h, name, &si) == -1)
		return -1;
	*addr = si.addr;
	return 0;
}

int
sym_module_path(sym_t *h, const char *module, char *buf, size_t len)
{
	return _nl_kmod_path(h, module, buf, len);
}
