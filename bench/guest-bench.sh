#!/bin/sh
# The guest half of bench/run.sh: runs inside the QEMU guest as /guest.sh
# (dash; see tests/vm/mkinitramfs.sh), times kmemstat against procps with
# /bench/timeit and prints every result on the console as "BENCH ..." lines,
# which run.sh picks out of console.log.  /bench/bench.conf sets RUNS and
# WARMUP; /bench/mini/ holds fixtures/load's System.map and btf (this
# kernel's, cut down to the 9 symbols and the struct members the tools
# use): with them kuptime reads kcore with no big namelist or BTF to parse.
set -u
RUNS=20 WARMUP=2
# shellcheck disable=SC1091 # written by run.sh
[ -f /bench/bench.conf ] && . /bench/bench.conf

info() { echo "BENCH-INFO $*"; }

info kernel "$(uname -r)"
info cpus "$(grep -c ^processor /proc/cpuinfo)"
info cpu "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)"
info clocksource "$(cat /sys/devices/system/clocksource/clocksource0/current_clocksource 2>/dev/null)"
info kallsyms-lines "$(wc -l < /proc/kallsyms)"
info kallsyms-bytes "$(wc -c < /proc/kallsyms)"
info kallsyms-module-lines "$(grep -c '\[' /proc/kallsyms)"
info procps "$(/usr/bin/uptime -V 2>&1 | head -n1)"

# A System.map made from kallsyms, as the -dbg package's would be: module
# symbols left out and kernel-image addresses moved back to where the
# kernel was linked (_text at 0xffffffff81000000), so the tools add the
# KASLR slide (VMCOREINFO KERNELOFFSET through kcore, _text in kallsyms
# through /proc) exactly as for a real one.  Kept at runtime addresses,
# kcore would add KERNELOFFSET a second time.  busybox awk reads "0x..."
# strings as numbers but prints %x only to 32 bits: print two halves.
text=$(sed -n 's/^\([0-9a-f]*\) [Tt] _text$/\1/p' /proc/kallsyms)
slide=$((0x${text#ffffffff} - 0x81000000))
info kaslr-slide "$(printf '0x%x' "$slide")"
grep -v '\[' /proc/kallsyms | awk -v slide="$slide" '
    substr($1, 1, 8) == "ffffffff" && substr($1, 9, 1) ~ /[89ab]/ {
        a = ("0x" substr($1, 9)) - slide
        hi = int(a / 65536)
        $1 = sprintf("ffffffff%04x%04x", hi, a - hi * 65536)
    }
    { print }' > /tmp/System.map
info system-map-lines "$(wc -l < /tmp/System.map)"
info system-map-text "$(grep ' _text$' /tmp/System.map)"

# The symbol cache: runs about the cache use /tmp/kcache, warmed here by
# one run of each tool; every other kmemstat run gets a directory that
# cannot be created, so it neither reads nor writes a cache.  (Without
# KMEMSTAT_CACHE the tools would try /var/cache/kmemstat, which this
# initramfs lacks: no cache either.)
export KMEMSTAT_CACHE=/dev/null/no-cache
C=KMEMSTAT_CACHE=/tmp/kcache
env "$C" kuptime --source=kcore > /dev/null
env "$C" kloadavg --source=kcore > /dev/null
info symbol-cache "$(cat /tmp/kcache/*.map 2>/dev/null | wc -l) symbols in $(ls /tmp/kcache 2>/dev/null)"

# Each command once, its output on record: a broken command is not a
# benchmark.  (timeit fails the run too if any command exits non-zero.)
once() {
    _l=$1; shift
    _rc=0
    _out=$("$@" 2>&1) || _rc=$?
    echo "BENCH-ONCE $_l rc=$_rc: $(printf '%s' "$_out" | head -n1)"
}
once uptime /usr/bin/uptime
once kuptime-kcore kuptime --source=kcore
once kuptime-kcore-cache env "$C" kuptime --source=kcore
once kuptime-kcore-map kuptime --source=kcore -N /tmp/System.map
once kuptime-kcore-map-btf kuptime --source=kcore -N /tmp/System.map --btf /bench/mini/btf
once kuptime-kcore-mini kuptime --source=kcore -N /bench/mini/System.map --btf /bench/mini/btf
once kuptime-proc kuptime --source=proc
once cat-loadavg cat /proc/loadavg
once kloadavg-kcore kloadavg --source=kcore
once kloadavg-kcore-cache env "$C" kloadavg --source=kcore
once ksym-kallsyms ksym --source=proc avenrun
once ksym-map ksym --source=proc -N /tmp/System.map avenrun
# Checks that fail the benchmark (run.sh wants rc=0): the map must give
# the same runtime address as kallsyms, and the cache must be used.
checkerr=0
a_kall=$(ksym --source=proc avenrun 2>&1 | cut -c1-16)
a_map=$(ksym --source=proc -N /tmp/System.map avenrun 2>&1 | cut -c1-16)
if [ "$a_kall" != "$a_map" ]; then
    echo "BENCH-ERR avenrun is $a_kall in kallsyms but $a_map through /tmp/System.map"
    checkerr=1
fi
env "$C" kuptime --source=kcore --explain 2>/tmp/cache.explain >/dev/null
grep -E "cache|KASLR|nlist: avenrun|namelist matches|BTF|btf" /tmp/cache.explain | sed 's/^/BENCH-EXPLAIN /'
if ! grep -q 'symbols from the cache' /tmp/cache.explain; then
    echo "BENCH-ERR kuptime with KMEMSTAT_CACHE=/tmp/kcache did not use the cache"
    checkerr=1
fi
for nl in "" "-N /tmp/System.map" "-N /bench/mini/System.map --btf /bench/mini/btf"; do
    # shellcheck disable=SC2086 # nl is an option and its argument, or nothing
    kuptime --source=kcore $nl --explain 2>&1 >/dev/null |
        grep -E "nlist: [0-9]+ symbols|KASLR|nlist: avenrun|namelist matches|BTF|btf" | sed 's/^/BENCH-EXPLAIN /'
done

echo "BENCH-START guest runs=$RUNS warmup=$WARMUP"
start=$(cat /proc/uptime)
rc=0
/bench/timeit -n "$RUNS" -w "$WARMUP" \
    :: uptime-V /usr/bin/uptime -V \
    :: kuptime-V kuptime -V \
    :: uptime /usr/bin/uptime \
    :: kuptime-kcore kuptime --source=kcore \
    :: kuptime-kcore-cache "$C" kuptime --source=kcore \
    :: kuptime-kcore-map kuptime --source=kcore -N /tmp/System.map \
    :: kuptime-kcore-map-btf kuptime --source=kcore -N /tmp/System.map --btf /bench/mini/btf \
    :: kuptime-kcore-mini kuptime --source=kcore -N /bench/mini/System.map --btf /bench/mini/btf \
    :: kuptime-proc kuptime --source=proc \
    :: cat-loadavg cat /proc/loadavg \
    :: kloadavg-kcore kloadavg --source=kcore \
    :: kloadavg-kcore-cache "$C" kloadavg --source=kcore \
    :: kloadavg-proc kloadavg --source=proc \
    :: ksym-kallsyms ksym --source=proc avenrun \
    :: ksym-map ksym --source=proc -N /tmp/System.map avenrun \
    :: cat-kallsyms cat /proc/kallsyms \
    > /tmp/bench.out 2> /tmp/bench.err || rc=$?
[ "$checkerr" = 0 ] || rc=1
end=$(cat /proc/uptime)
sed 's/^/BENCH /' /tmp/bench.out
sed 's/^/BENCH-ERR /' /tmp/bench.err
echo "BENCH-END guest rc=$rc seconds=$(echo "$start $end" | awk '{printf "%.1f", $3 - $1}')"
