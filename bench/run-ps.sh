#!/bin/sh
# kps -e against procps ps -e in the QEMU TCG guest, at about 100, 1,000
# and 10,000 processes (bench/run-ps.sh BUILDDIR, or KMEMSTAT_BENCH_PS=1
# bench/run.sh BUILDDIR, which runs it after the rest).
#
# One boot (-m 3072: 10,000 processes need the memory); the guest
# (bench/guest-ps.sh) grows the process table with bench/sleepers (forked
# children that pause(), no exec) and at each size times, in one
# interleaved bench/timeit run (round robin, as run.sh does):
#   ps         procps ps -e
#   kps-kcore  kps -e --source=kcore, symbol and type cache warm
#              (KMEMSTAT_CACHE=/tmp/kcache, written by one run beforehand)
#   kps-proc   kps -e --source=proc (kps's /proc reader)
# and kps-cold once: kps -e --source=kcore with an empty cache directory
# (the first run on a kernel build: /proc/kallsyms, the kernel's BTF, and
# the cache written).  Reported: medians, kps / ps, and each command's cost
# per process from the slope of the medians between sizes (1,000 -> 10,000
# is the headline figure); whether the cost is linear in tasks shows in the
# slopes between neighbouring sizes and in the median at the largest size
# over the line through the two smallest.
#
# Environment: KMEMSTAT_BENCH_PS_SIZES (default "100 1000 3000 10000":
# 3,000 as a fourth point for the linearity question),
# KMEMSTAT_BENCH_PS_RUNS (runs per command at each size, default
# "31 21 15 9"), KMEMSTAT_BENCH_PS_MEM (guest MiB, default 3072),
# KMEMSTAT_BENCH_PS_TIMEOUT (s, default 900), KMEMSTAT_BENCH_KEEP=1, CC,
# and the tests/vm/ ones (KMEMSTAT_VM_STAGING, KMEMSTAT_VM_CACHE).
# About 3 minutes on a 2-CPU host, most of it the 10,000-process rounds.
set -eu

src=$(cd "$(dirname "$0")/.." && pwd)
builddir=$(cd "${1:-$src}" && pwd)
here=$src/tests/vm			# for lib-host.sh
KMEMSTAT_BUILDDIR=$builddir; export KMEMSTAT_BUILDDIR
# shellcheck source=SCRIPTDIR/../tests/vm/lib-host.sh
. "$here/lib-host.sh"

sizes=${KMEMSTAT_BENCH_PS_SIZES:-100 1000 3000 10000}
runs=${KMEMSTAT_BENCH_PS_RUNS:-31 21 15 9}
mem=${KMEMSTAT_BENCH_PS_MEM:-3072}
timeout=${KMEMSTAT_BENCH_PS_TIMEOUT:-900}
warmup=1

if ! command -v qemu-system-x86_64 > /dev/null; then
    echo "# kps guest benchmark: skipped (no qemu-system-x86_64)"
    exit 0
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/kmemstat-benchps.XXXXXX")
keep=${KMEMSTAT_BENCH_KEEP:-0}
sampler=
trap '[ -z "$sampler" ] || kill "$sampler" 2> /dev/null; [ "$keep" = 1 ] || rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

echo "# kps -e against procps ps -e in the guest, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "# host: $(nproc) CPUs, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1), Linux $(uname -r)"
echo "# load before: $(cat /proc/loadavg)"

staging=$(vm_stage "$tmp") || exit 1
[ -x "$staging/usr/local/bin/kps" ] || { echo "bench: no kps in $staging/usr/local/bin" >&2; exit 1; }
${CC:-cc} -O2 -Wall -o "$tmp/timeit" "$src/bench/timeit.c"
if ${CC:-cc} -O2 -Wall -static -o "$tmp/sleepers" "$src/bench/sleepers.c" 2> /dev/null; then
    linkage=static
else
    ${CC:-cc} -O2 -Wall -o "$tmp/sleepers" "$src/bench/sleepers.c"
    linkage=dynamic
fi
printf 'SIZES="%s"\nRUNS="%s"\nWARMUP=%s\n' "$sizes" "$runs" "$warmup" > "$tmp/ps.conf"
"$here/mkinitramfs.sh" "$staging" "$tmp/initrd.cpio.gz" "$src/bench/guest-ps.sh" \
    "$tmp/timeit=/bench/timeit" "$tmp/sleepers=/bench/sleepers" \
    "$tmp/ps.conf=/bench/ps.conf" > /dev/null

# What else the host runs meanwhile, every 10 s: the 1-minute load (which
# counts this benchmark's own QEMU), and the CPUs busy outside that QEMU
# (all busy time in /proc/stat minus the QEMU's utime + stime).
sample_load() {
    _q='' _pb='' _pt='' _pq=0
    while :; do
        [ -n "$_q" ] || _q=$(ps -eo pid=,args= | awk -v t="$tmp/initrd.cpio.gz" 'index($0, t) && $2 ~ /qemu-system/ {print $1; exit}')
        _qt=0
        [ -n "$_q" ] && _qt=$(awk '{print $14 + $15}' "/proc/$_q/stat" 2> /dev/null || echo 0)
        # shellcheck disable=SC2046 # the fields of the cpu line
        set -- $(head -n1 /proc/stat)
        _b=$(($2 + $3 + $4 + $7 + $8 + $9)) _t=$(($2 + $3 + $4 + $5 + $6 + $7 + $8 + $9))
        if [ -n "$_pb" ] && [ "$_t" -gt "$_pt" ]; then
            # ticks of all CPUs per tick of one: the elapsed time in CPUs
            echo "$(cut -d' ' -f1 /proc/loadavg) $_b $_pb $_t $_pt $_qt $_pq $(nproc)" |
                awk '{ el = ($4 - $5) / $8; q = ($6 - $7) / el; o = ($2 - $3) / el - q
                       printf "%s %.2f %.2f\n", $1, (o < 0 ? 0 : o), q }'
        fi
        _pb=$_b _pt=$_t _pq=$_qt
        sleep 10
    done
}
sample_load > "$tmp/load" &
sampler=$!

echo "# guest: $(qemu-system-x86_64 --version | head -n1 | sed 's/ (.*//'), -accel tcg -smp 2 -m $mem; sizes $sizes; runs $runs (+$warmup warm-up); sleepers linked $linkage; timeout $timeout s"
rc=0
"$here/boot.sh" -i "$tmp/initrd.cpio.gz" -t "$timeout" -o "$tmp/vm" -- -m "$mem" > /dev/null 2> "$tmp/boot.err" || rc=$?
kill "$sampler" 2> /dev/null || true
sampler=
tr -d '\r' < "$tmp/vm/console.log" > "$tmp/console"
sed -n 's/^boot.sh: /# boot.sh: /p' "$tmp/boot.err"
sed -n 's/^PS-INFO /# guest: /p; s/^PS-ERR /# guest error: /p; s/^PS-EXPLAIN /# guest explain: /p' "$tmp/console"
sed -n 's/^PS-SIZE /# guest size /p; s/^PS-CHECK /# guest check /p; s/^PS-LOOP /# guest timing loop /p' "$tmp/console"
if [ -s "$tmp/load" ]; then
    awk 'NR == 1 || $1 < lo {lo = $1} NR == 1 || $1 > hi {hi = $1}
         {o += $2; q += $3; if ($2 > om) om = $2}
         END {printf "# host during the run (%d samples, 10 s apart): 1-min load %.2f-%.2f (counts this QEMU), CPUs busy outside this QEMU: mean %.2f, max %.2f; this QEMU: mean %.2f CPUs\n", NR, lo, hi, o / NR, om, q / NR}' "$tmp/load"
fi
echo "# load after: $(cat /proc/loadavg)"
if ! grep -q '^PS-END guest errors=0$' "$tmp/console"; then
    keep=1
    echo "bench: the guest did not finish cleanly (boot.sh exit $rc); console: $tmp/vm/console.log" >&2
    tail -n 20 "$tmp/console" | sed 's/^/#   /' >&2
    exit 1
fi

# PS-RESULT TARGET NPROCS LABEL RUNS MEDIAN MIN P90 MEAN FAILS (ns)
sed -n 's/^PS-RESULT //p' "$tmp/console" > "$tmp/results"
echo
echo "In the QEMU TCG guest: median ms per run (min-p90), ratio to procps ps -e"
awk '
function ms(ns) { return ns / 1e6 }
{ key = $1 " " $3; med[key] = $5; mn[key] = $6; p90[key] = $7; nr[key] = $4
  if (!($1 in procs)) { order[++ns] = $1; procs[$1] = $2 } }
function cell(s, l) {
    if (!((s " " l) in med)) return sprintf("%-26s", "-")
    return sprintf("%8.1f (%6.1f-%7.1f)", ms(med[s " " l]), ms(mn[s " " l]), ms(p90[s " " l]))
}
function ratio(s, l) {
    if (!((s " " l) in med) || !((s " ps") in med)) return "     -"
    return sprintf("%6.2f", med[s " " l] / med[s " ps"])
}
END {
    printf "  %6s %6s %4s  %-26s  %-26s %6s  %-26s %6s  %9s %6s\n", "size", "procs", "runs",
        "ps -e", "kps -e kcore, warm cache", "ratio", "kps -e --source=proc", "ratio", "kps cold", "ratio"
    for (i = 1; i <= ns; i++) {
        s = order[i]
        printf "  %6s %6d %4d  %s  %s %s  %s %s  %9.1f %s\n", s, procs[s], nr[s " ps"],
            cell(s, "ps"), cell(s, "kps-kcore"), ratio(s, "kps-kcore"),
            cell(s, "kps-proc"), ratio(s, "kps-proc"), ms(med[s " kps-cold"]), ratio(s, "kps-cold")
    }
    print ""
    print "Cost per process (ms per process), from the slope of the medians between two sizes:"
    split("ps kps-kcore kps-proc kps-cold", L, " ")
    printf "  %-26s", "between"
    for (j = 1; j <= 4; j++) printf " %10s", L[j]
    printf "   %s\n", "kps-kcore / ps"
    for (i = 2; i <= ns; i++) slope(i - 1, i)
    # the headline figure: from the size nearest 1,000 to the largest
    k = 1
    for (i = 1; i < ns; i++)
        if (d(order[i] - 1000) < d(order[k] - 1000)) k = i
    if (ns >= 3 && k != ns - 1) slope(k, ns)
    if (ns >= 3) {
        printf "  %-26s", sprintf("at %d: measured / line", procs[order[ns]])
        for (j = 1; j <= 4; j++) {
            a = order[1]; b = order[2]; c = order[ns]
            line = med[a " " L[j]] + (med[b " " L[j]] - med[a " " L[j]]) * (procs[c] - procs[a]) / (procs[b] - procs[a])
            printf " %10.2f", med[c " " L[j]] / line
        }
        printf "   (the line through the %d and %d medians; 1.00 = linear)\n", procs[order[1]], procs[order[2]]
    }
    print "  (kps-cold is a single run at each size: its slopes are mostly noise)"
}
function d(x) { return x < 0 ? -x : x }
function slope(i, k,    a, b, dn, j, sl) {
    a = order[i]; b = order[k]; dn = procs[b] - procs[a]
    printf "  %6d -> %6d processes  ", procs[a], procs[b]
    for (j = 1; j <= 4; j++) {
        sl[j] = (med[b " " L[j]] - med[a " " L[j]]) / dn / 1e6
        printf " %10.4f", sl[j]
    }
    printf "   %6.3f\n", sl[2] / sl[1]
}' "$tmp/results"
