#!/usr/bin/env python3
"""Rebuilds the seed corpora (tests/fuzz/corpus) from the fixtures, small:
   tests/fuzz/mkseeds.py          (from the top of the source tree)
phys/ gets two small physical ELF dumps cut from fixtures/dump/vmcore: the
page holding init_uts_ns with the VMCOREINFO note, and the same with the
note's text in a page of memory instead (what the scan looks for)."""
import os, re, shutil, struct

FX = 'fixtures'
OUT = 'tests/fuzz/corpus'
PAGE = 4096


def phdrs(b):
    phoff, = struct.unpack_from('<Q', b, 32)
    phnum, = struct.unpack_from('<H', b, 56)
    return [struct.unpack_from('<IIQQQQQQ', b, phoff + 56 * i)
            for i in range(phnum)]


def vmcoreinfo(b):
    for (typ, _, off, _, _, filesz, _, _) in phdrs(b):
        if typ == 4:
            note = b[off:off + filesz]
            namesz, descsz, _ = struct.unpack_from('<III', note, 0)
            d = 12 + ((namesz + 3) & ~3)
            return note[d:d + descsz].rstrip(b'\0')
    raise SystemExit('no VMCOREINFO')


def phys_page(b, pa):
    for (typ, _, off, _, paddr, filesz, _, _) in phdrs(b):
        if typ == 1 and paddr <= pa < paddr + filesz:
            return b[off + pa - paddr:off + pa - paddr + PAGE]
    raise SystemExit('page 0x%x not in the dump' % pa)


def note(desc):
    name = b'VMCOREINFO\0'
    pad = lambda x: x + b'\0' * (-len(x) % 4)
    return struct.pack('<III', len(name), len(desc), 0) + pad(name) + pad(desc)


def core(notes, pages):
    """An ELF core: one PT_NOTE (if notes), one PT_LOAD per (pa, bytes)."""
    n = len(pages) + (1 if notes else 0)
    off = 64 + 56 * n
    ph, data = b'', b''
    if notes:
        ph += struct.pack('<IIQQQQQQ', 4, 0, off, 0, 0, len(notes), 0, 4)
        data += notes
    for pa, body in pages:
        pos = off + len(data)
        ph += struct.pack('<IIQQQQQQ', 1, 4, pos, pa, pa, len(body),
                          len(body), PAGE)
        data += body
    eh = b'\x7fELF\x02\x01\x01' + b'\0' * 9 + struct.pack(
        '<HHIQQQIHHHHHH', 4, 62, 1, 0, 64, 0, 0, 64, 56, n, 0, 0, 0)
    return eh + ph + data


def vmlinux(sysmap, btf, build_id):
    """An x86-64 ELF with .symtab (System.map's symbols), a build-id note
    and .BTF: what -N takes, in a few KB."""
    syms = [l.split() for l in sysmap.decode().splitlines()]
    strtab, symtab = b'\0', b'\0' * 24
    for addr, typ, name in syms:
        bind = 0 if typ.islower() else 1
        shndx = 0xfff1 if typ in 'Aa' else 2
        symtab += struct.pack('<IBBHQQ', len(strtab), bind << 4 | 1, 0,
                              shndx, int(addr, 16), 8)
        strtab += name.encode() + b'\0'
    note = struct.pack('<III', 4, len(build_id), 3) + b'GNU\0' + build_id
    names = [b'', b'.note.gnu.build-id', b'.BTF', b'.symtab', b'.strtab',
             b'.shstrtab']
    shstr = b'\0'.join(names) + b'\0'
    off = lambda n: shstr.index(b'\0' + n + b'\0') + 1 if n else 0
    body, secs = b'', []
    for name, typ, data, link, ent in (
            (b'.note.gnu.build-id', 7, note, 0, 0), (b'.BTF', 1, btf, 0, 0),
            (b'.symtab', 2, symtab, 4, 24), (b'.strtab', 3, strtab, 0, 0),
            (b'.shstrtab', 3, shstr, 0, 0)):
        pos = 64 + len(body)
        secs.append(struct.pack('<IIQQQQIIQQ', off(name), typ, 2, 0, pos,
                                len(data), link, 1 if typ == 2 else 0,
                                4 if typ == 7 else 8, ent))
        body += data + b'\0' * (-len(data) % 8)
    shoff = 64 + len(body)
    eh = b'\x7fELF\x02\x01\x01' + b'\0' * 9 + struct.pack(
        '<HHIQQQIHHHHHH', 2, 62, 1, 0, 0, shoff, 0, 64, 0, 0, 64, 6, 5)
    return eh + body + b'\0' * 64 + b''.join(secs)


def put(sub, name, body):
    os.makedirs(os.path.join(OUT, sub), exist_ok=True)
    with open(os.path.join(OUT, sub, name), 'wb') as f:
        f.write(body)


def main():
    rd = lambda p: open(os.path.join(FX, p), 'rb').read()
    dump = rd('dump/vmcore')
    vmci = vmcoreinfo(dump)
    kv = lambda k: re.search(rb'^' + re.escape(k.encode()) + rb'=(.*)$', vmci,
                             re.M).group(1).decode()
    uts = int(kv('SYMBOL(init_uts_ns)'), 16)
    pa = uts - 0xffffffff80000000 + int(kv('NUMBER(phys_base)'))
    page = pa & ~(PAGE - 1)
    uts_page = (page, phys_page(dump, page))
    put('phys', 'note.core', core(note(vmci), [uts_page]))
    text = vmci + b'\0' * (PAGE - len(vmci))
    put('phys', 'scan.core', core(b'', [(0x100000, text), uts_page]))
    put('core', 'idle.core', rd('idle/vmcore'))
    put('core', 'phys.core', core(note(vmci), [uts_page]))
    for fx in ('idle', 'tasks', 'dump'):
        put('nl_map', fx + '.map', rd(fx + '/System.map'))
        put('btf', fx + '.btf', rd(fx + '/btf'))
        m = rd(fx + '/System.map')
        put('symcache', fx + '.bin',
            struct.pack('<H', len(m)) + m + rd(fx + '/btf'))
    bid = bytes.fromhex(kv('BUILD-ID'))
    put('vmlinux', 'idle.vmlinux',
        vmlinux(rd('idle/System.map'), rd('idle/btf'), bid))
    put('vmcoreinfo', 'dump.txt', vmci)
    put('vmcoreinfo', 'idle.txt', vmcoreinfo(rd('idle/vmcore')))


main()
