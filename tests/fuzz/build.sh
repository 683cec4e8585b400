#!/bin/sh
# Builds the fuzz harnesses with clang, libFuzzer, ASan and UBSan:
#   build.sh SRCDIR BUILDDIR OUTDIR
# BUILDDIR is a configured tree (for config.h); the library is compiled
# here again with the fuzzer's coverage, into OUTDIR/fuzz_NAME.
set -eu
src=$1 bld=$2 out=$3
CC=${FUZZ_CC:-clang}
mkdir -p "$out/obj"
pcs="libelf libkmod libbpf"
grep -q '^#define HAVE_LIBKDUMPFILE 1' "$bld/config.h" && pcs="$pcs libkdumpfile"
san="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
cflags="-g -O1 -fno-omit-frame-pointer $san -DHAVE_CONFIG_H -I$bld \
    -I$src/libsym -I$src/compat -I$src/tests/fuzz $(pkg-config --cflags $pcs)"
libs=$(pkg-config --libs $pcs)
# A header newer than the objects changes structs they share: all again.
for hdr in "$src"/libsym/*.h "$src/tests/fuzz/fuzz.h" "$bld/config.h"; do
	[ -n "$(find "$out/obj" -name '*.o' ! -newer "$hdr" 2>/dev/null |
	    head -n1)" ] && rm -f "$out"/obj/*.o
done
objs=
for c in $(cd "$src" && find libsym -name '*.c' | sort) compat/getloadavg.c \
    tests/fuzz/fuzz.c; do
	o=$out/obj/$(echo "$c" | tr / _ | sed 's/\.c$/.o/')
	if [ ! -f "$o" ] || [ "$src/$c" -nt "$o" ]; then
		$CC $cflags -fsanitize=fuzzer-no-link -c "$src/$c" -o "$o"
	fi
	objs="$objs $o"
done
for c in "$src"/tests/fuzz/fuzz_*.c; do
	n=$(basename "$c" .c)
	$CC $cflags -fsanitize=fuzzer "$c" $objs $libs -o "$out/$n"
done
