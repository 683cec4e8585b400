/*
 * A vmlinux (or any ELF file) as a namelist: its .symtab through libelf,
 * with the type letters nm(1) would print, so that a table built here
 * matches a System.map made from the same file.
 *
 * The file is untrusted; libelf checks that headers and sections lie
 * within the file, and we check entry sizes and counts before trusting
 * them.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sym_private.h"

#ifndef NT_GNU_BUILD_ID
#define NT_GNU_BUILD_ID	3
#endif
#ifndef STB_GNU_UNIQUE
#define STB_GNU_UNIQUE	10
#endif
#ifndef STT_GNU_IFUNC
#define STT_GNU_IFUNC	10
#endif

struct elffile {
	int fd;
	Elf *elf;
	uint64_t size;
	size_t shnum;
	size_t shstrndx;
};

static void
ef_close(struct elffile *ef)
{
	if (ef->elf != NULL)
		elf_end(ef->elf);
	if (ef->fd != -1)
		close(ef->fd);
	ef->elf = NULL;
	ef->fd = -1;
}

static int
ef_open(sym_t *h, struct elffile *ef, const char *path)
{
	struct stat st;

	ef->elf = NULL;
	if (elf_version(EV_CURRENT) == EV_NONE) {
		ef->fd = -1;
		_sym_err(h, "%s: libelf: %s", path, elf_errmsg(-1));
		return -1;
	}
	if ((ef->fd = open(path, O_RDONLY | O_CLOEXEC)) == -1 ||
	    fstat(ef->fd, &st) == -1) {
		_sym_syserr(h, "%s", path);
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		_sym_err(h, "%s: not a regular file", path);
		goto fail;
	}
	ef->size = (uint64_t)st.st_size;
	if ((ef->elf = elf_begin(ef->fd, ELF_C_READ_MMAP, NULL)) == NULL) {
		_sym_err(h, "%s: %s", path, elf_errmsg(-1));
		goto fail;
	}
	if (elf_kind(ef->elf) != ELF_K_ELF) {
		_sym_err(h, "%s: not an ELF file", path);
		goto fail;
	}
	if (elf_getshdrnum(ef->elf, &ef->shnum) == -1 ||
	    elf_getshdrstrndx(ef->elf, &ef->shstrndx) == -1) {
		_sym_err(h, "%s: %s", path, elf_errmsg(-1));
		goto fail;
	}
	return 0;
fail:
	ef_close(ef);
	return -1;
}

/*
 * The letter nm(1) gives a symbol in this section (binutils'
 * decode_section_type, seen through ELF section flags).
 */
static char
section_letter(const GElf_Shdr *sh, const char *name)
{
	if (sh->sh_flags & SHF_EXECINSTR)
		return 't';
	if (sh->sh_type != SHT_NOBITS && (sh->sh_flags & SHF_ALLOC))
		return (sh->sh_flags & SHF_WRITE) ? 'd' : 'r';
	if (sh->sh_type == SHT_NOBITS)
		return 'b';
	if (name != NULL && (strncmp(name, ".debug", 6) == 0 ||
	    strncmp(name, ".zdebug", 7) == 0 ||
	    strncmp(name, ".stab", 5) == 0 ||
	    strncmp(name, ".line", 5) == 0))
		return 'N';
	if (!(sh->sh_flags & SHF_WRITE))
		return 'n';
	return '?';
}

/* One letter per section, so the symbol loop does no header lookups. */
static char *
section_letters(sym_t *h, struct elffile *ef, const char *path)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	char *cls;
	size_t i;

	/* libelf has checked the headers fit the file; bound it anyway. */
	if (ef->shnum > ef->size / sizeof(Elf32_Shdr) + 1) {
		_sym_err(h, "%s: %zu sections in a %llu-byte file", path,
		    ef->shnum, (unsigned long long)ef->size);
		return NULL;
	}
	if ((cls = calloc(ef->shnum + 1, 1)) == NULL) {
		_sym_syserr(h, "%s", path);
		return NULL;
	}
	while ((scn = elf_nextscn(ef->elf, scn)) != NULL) {
		i = elf_ndxscn(scn);
		if (i >= ef->shnum || gelf_getshdr(scn, &sh) == NULL) {
			_sym_err(h, "%s: section %zu: %s", path, i,
			    elf_errmsg(-1));
			free(cls);
			return NULL;
		}
		cls[i] = section_letter(&sh, elf_strptr(ef->elf, ef->shstrndx,
		    sh.sh_name));
	}
	return cls;
}

/* binutils' bfd_decode_symclass for ELF; 0 for symbols nm hides. */
static char
symbol_letter(const GElf_Sym *s, Elf32_Word shndx, const char *cls,
    size_t shnum)
{
	int bind = GELF_ST_BIND(s->st_info), type = GELF_ST_TYPE(s->st_info);
	char c;

	if (type == STT_SECTION || type == STT_FILE || shndx == SHN_UNDEF)
		return 0;
	if (shndx == SHN_COMMON)
		return 'C';
	if (type == STT_GNU_IFUNC)
		return 'i';
	if (bind == STB_WEAK)
		return type == STT_OBJECT ? 'V' : 'W';
	if (bind == STB_GNU_UNIQUE)
		return 'u';
	if (bind != STB_GLOBAL && bind != STB_LOCAL)
		return '?';
	if (shndx == SHN_ABS)
		c = 'a';
	else if (shndx < shnum && cls[shndx] != 0)
		c = cls[shndx];
	else
		return '?';
	if (bind == STB_GLOBAL && c >= 'a' && c <= 'z')
		c = (char)(c - 'a' + 'A');
	return c;
}

/* The symbol table, and the extended section indices if it has them. */
static int
find_symtab(sym_t *h, struct elffile *ef, const char *path,
    Elf_Scn **symscn, GElf_Shdr *symsh, Elf_Data **xdata)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;

	*symscn = NULL;
	*xdata = NULL;
	while ((scn = elf_nextscn(ef->elf, scn)) != NULL) {
		if (gelf_getshdr(scn, &sh) == NULL)
			continue;
		if (sh.sh_type == SHT_SYMTAB && *symscn == NULL) {
			*symscn = scn;
			*symsh = sh;
		}
	}
	if (*symscn == NULL) {
		_sym_err(h, "%s: no .symtab (stripped?)", path);
		return -1;
	}
	while ((scn = elf_nextscn(ef->elf, scn)) != NULL) {
		if (gelf_getshdr(scn, &sh) != NULL &&
		    sh.sh_type == SHT_SYMTAB_SHNDX &&
		    sh.sh_link == elf_ndxscn(*symscn))
			*xdata = elf_getdata(scn, NULL);
	}
	return 0;
}

static int
check_symtab(sym_t *h, struct elffile *ef, const char *path,
    const GElf_Shdr *sh, Elf_Data *data, size_t *nsyms)
{
	size_t entsize = gelf_fsize(ef->elf, ELF_T_SYM, 1, EV_CURRENT);

	if (sh->sh_entsize != entsize || entsize == 0) {
		_sym_err(h, "%s: .symtab entry size %llu, expected %zu", path,
		    (unsigned long long)sh->sh_entsize, entsize);
		return -1;
	}
	if (sh->sh_offset > ef->size ||
	    sh->sh_size > ef->size - sh->sh_offset) {
		_sym_err(h, "%s: .symtab extends past the end of the file",
		    path);
		return -1;
	}
	*nsyms = sh->sh_size / entsize;
	if (*nsyms > SYM_MAX_SYMBOLS) {
		_sym_err(h, "%s: %zu symbols, more than %u", path, *nsyms,
		    SYM_MAX_SYMBOLS);
		return -1;
	}
	if (data == NULL || data->d_size / entsize < *nsyms) {
		_sym_err(h, "%s: .symtab: %s", path, data == NULL ?
		    elf_errmsg(-1) : "short section data");
		return -1;
	}
	return 0;
}

static int
add_symbols(sym_t *h, struct symtab *t, struct elffile *ef, const char *path,
    const GElf_Shdr *sh, Elf_Data *data, Elf_Data *xdata, size_t nsyms,
    const char *cls)
{
	GElf_Sym sym;
	Elf32_Word xndx;
	const char *name;
	size_t i, added = 0;
	char c;

	for (i = 1; i < nsyms; i++) {
		if (gelf_getsymshndx(data, xdata, (int)i, &sym, &xndx) ==
		    NULL) {
			_sym_err(h, "%s: symbol %zu: %s", path, i,
			    elf_errmsg(-1));
			return -1;
		}
		if (sym.st_shndx != SHN_XINDEX)
			xndx = sym.st_shndx;
		if ((c = symbol_letter(&sym, xndx, cls, ef->shnum)) == 0)
			continue;
		if ((name = elf_strptr(ef->elf, sh->sh_link, sym.st_name)) ==
		    NULL) {
			_sym_err(h, "%s: symbol %zu: bad name: %s", path, i,
			    elf_errmsg(-1));
			return -1;
		}
		if (*name == '\0')
			continue;
		if (_symtab_add(t, name, sym.st_value, c, NULL, path) == -1) {
			if (errno == EOVERFLOW)
				_sym_err(h, "%s: more than %u symbols", path,
				    SYM_MAX_SYMBOLS);
			else
				_sym_syserr(h, "%s", path);
			return -1;
		}
		added++;
	}
	if (added == 0) {
		_sym_err(h, "%s: no symbols", path);
		return -1;
	}
	return 0;
}

int
_nl_elf_load(sym_t *h, struct symtab *t, const char *path)
{
	struct elffile ef;
	Elf_Scn *scn;
	GElf_Shdr sh = { 0 };
	Elf_Data *data, *xdata;
	char *cls = NULL;
	size_t nsyms;
	int r = -1;

	if (ef_open(h, &ef, path) == -1)
		return -1;
	if ((cls = section_letters(h, &ef, path)) == NULL ||
	    find_symtab(h, &ef, path, &scn, &sh, &xdata) == -1)
		goto fail;
	data = elf_getdata(scn, NULL);
	if (check_symtab(h, &ef, path, &sh, data, &nsyms) == -1)
		goto fail;
	r = add_symbols(h, t, &ef, path, &sh, data, xdata, nsyms, cls);
fail:
	free(cls);
	ef_close(&ef);
	return r;
}

int
_nl_is_elf(const char *path)
{
	unsigned char m[SELFMAG];
	int fd;
	ssize_t n;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return 0;
	n = read(fd, m, sizeof(m));
	close(fd);
	return n == (ssize_t)sizeof(m) && memcmp(m, ELFMAG, SELFMAG) == 0;
}

/* 1 and the id in hex if this note section has one, else 0; -1 error. */
static int
note_build_id(sym_t *h, Elf_Data *d, const char *path, char *hex,
    size_t len)
{
	static const char digits[] = "0123456789abcdef";
	const unsigned char *desc;
	GElf_Nhdr nh;
	size_t off = 0, next, noff, doff, i;

	while ((next = gelf_getnote(d, off, &nh, &noff, &doff)) > 0) {
		off = next;
		if (nh.n_type != NT_GNU_BUILD_ID || nh.n_namesz != 4 ||
		    memcmp((char *)d->d_buf + noff, "GNU", 4) != 0 ||
		    nh.n_descsz == 0)
			continue;
		if (len < (size_t)nh.n_descsz * 2 + 1) {
			_sym_err(h, "%s: build-id of %u bytes: buffer too "
			    "small", path, nh.n_descsz);
			return -1;
		}
		desc = (const unsigned char *)d->d_buf + doff;
		for (i = 0; i < nh.n_descsz; i++) {
			hex[2 * i] = digits[desc[i] >> 4];
			hex[2 * i + 1] = digits[desc[i] & 0xf];
		}
		hex[2 * i] = '\0';
		return 1;
	}
	return 0;
}

int
_nl_elf_build_id(sym_t *h, const char *path, char *hex, size_t len)
{
	struct elffile ef;
	Elf_Scn *scn = NULL;
	Elf_Data *d;
	GElf_Shdr sh;
	int r = 0;

	if (ef_open(h, &ef, path) == -1)
		return -1;
	while (r == 0 && (scn = elf_nextscn(ef.elf, scn)) != NULL) {
		if (gelf_getshdr(scn, &sh) == NULL || sh.sh_type != SHT_NOTE)
			continue;
		if ((d = elf_getdata(scn, NULL)) == NULL) {
			_sym_err(h, "%s: note section: %s", path,
			    elf_errmsg(-1));
			r = -1;
			break;
		}
		r = note_build_id(h, d, path, hex, len);
	}
	if (r == 0)
		_sym_err(h, "%s: no GNU build-id note", path);
	ef_close(&ef);
	return r == 1 ? 0 : -1;
}
