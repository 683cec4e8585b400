#!/bin/sh
# kps -e on a QEMU dump of each matrix kernel, with no namelist and no
# cache: the median of 7 wall times, every time, the lines and peak RSS.
#   bench/run-cold.sh [BUILDDIR] [SUITE...]      (bench/RESULTS.md)
set -u
src=$(cd "$(dirname "$0")/.." && pwd)
b=$(cd "${1:-$src/build}" && pwd); [ $# -gt 0 ] && shift
[ $# -gt 0 ] || set -- bullseye bookworm trixie forky
export LD_LIBRARY_PATH=$b/libsym/.libs
for s in "$@"; do
    d=${TMPDIR:-/tmp}/kmemstat-cold-$s; rm -rf "$d"
    KMEMSTAT_VM_SUITE=$s KMEMSTAT_BUILDDIR=$b $src/tests/vm/take-dumps.sh $d > $d.log 2>&1 || { echo "$s: take-dumps failed"; continue; }
    k=$(KMEMSTAT_VM_SUITE=$s $src/tests/vm/fetch-kernel.sh -i 2>/dev/null | cut -d' ' -f3,4)
    times=""
    for i in 1 2 3 4 5 6 7; do
        t0=$(date +%s%N)
        KMEMSTAT_CACHE=/dev/null/none $b/cmd/.libs/kps -e -M $d/elf-vmci.dump > /tmp/cold.out 2>&1
        t1=$(date +%s%N)
        times="$times $(( (t1 - t0) / 1000000 ))"
    done
    med=$(echo $times | tr ' ' '\n' | sort -n | sed -n 4p)
    n=$(wc -l < /tmp/cold.out)
    rss=$( { KMEMSTAT_CACHE=/dev/null/none /usr/bin/time -f %M $b/cmd/.libs/kps -e -M $d/elf-vmci.dump > /dev/null; } 2>&1 | tail -1)
    echo "$s|$k|$(stat -c %s $d/elf-vmci.dump)|$med|$times|$n|$rss"
    rm -rf $d
done
