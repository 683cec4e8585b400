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
    put('vmcoreinfo', 'dump.txt', vmci)
    put('vmcoreinfo', 'idle.txt', vmcoreinfo(rd('idle/vmcore')))


main()
