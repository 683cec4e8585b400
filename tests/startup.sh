#!/bin/sh
# What every tool pays at start-up, before it reads a byte: the shared
# objects it loads and the symbol bindings the loader makes.  libkmod
# (libcrypto) and libkdumpfile (libstdc++, three compressors) are loaded
# only when a module path or a kdump-compressed file asks for them
# (libsym/base/dl.c); kuptime must load no more than procps uptime does.
# TAP; run by make check.  Counts, not times: timings live in bench/.
set -u
b=${top_builddir:-.}
lib=$b/libsym/.libs/libsym.so
bin=$b/cmd/.libs/kuptime
echo "1..3"
if [ ! -f "$lib" ] || [ ! -x "$bin" ]; then
    for i in 1 2 3; do echo "ok $i # SKIP no shared build (configured --disable-shared)"; done
    exit 0
fi
needed=$(readelf -d "$lib" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')
case $needed in
    *libkmod*|*libkdumpfile*) echo "not ok 1 - libsym.so links what only some runs need: $needed" ;;
    *) echo "ok 1 - libsym.so needs only $needed" ;;
esac
count() { LD_LIBRARY_PATH=$b/libsym/.libs ldd "$1" | grep -vc 'linux-vdso'; }
relocs() {
    LD_LIBRARY_PATH=$b/libsym/.libs LD_DEBUG=statistics "$1" 2>&1 >/dev/null |
        sed -n 's/.* number of relocations: *\([0-9]*\)$/\1/p' | head -n1
}
up=$(command -v uptime || true)
if [ -z "$up" ] || ! "$up" -V 2>/dev/null | grep -q procps; then
    echo "not ok 2 - no procps uptime to compare with (install procps)"
    echo "not ok 3 - no procps uptime to compare with (install procps)"
    exit 0
fi
if LD_LIBRARY_PATH=$b/libsym/.libs ldd "$bin" | grep -q libasan; then
    echo "ok 2 # SKIP a sanitizer build loads its runtimes"
    echo "ok 3 # SKIP a sanitizer build loads its runtimes"
    exit 0
fi
k=$(count "$bin") p=$(count "$up")
if [ "$k" -le "$p" ]; then echo "ok 2 - kuptime loads $k shared objects, procps uptime $p"
else echo "not ok 2 - kuptime loads $k shared objects, procps uptime only $p:"
    LD_LIBRARY_PATH=$b/libsym/.libs ldd "$bin" | sed 's/^/#   /'; fi
k=$(relocs "$bin") p=$(relocs "$up")
if [ -n "$k" ] && [ -n "$p" ] && [ "$k" -le "$p" ]; then
    echo "ok 3 - kuptime's loader makes $k relocations, procps uptime's $p"
else echo "not ok 3 - kuptime's loader makes ${k:-?} relocations, procps uptime's ${p:-?}"; fi
