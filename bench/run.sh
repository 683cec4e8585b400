#!/bin/sh
# kmemstat against procps: wall time per run, interleaved in one run so
# both sides see the same machine (make bench, or bench/run.sh BUILDDIR).
#
#   a. natively on this host: kuptime vs procps uptime, kloadavg vs
#      cat /proc/loadavg (here the tools fall back to /proc);
#   b. natively on the committed fixture: kuptime -M/-N/--btf vs uptime;
#   c. in the QEMU guest (TCG) of the real-kernel tests: kuptime through
#      /proc/kcore with /proc/kallsyms or a System.map as the namelist,
#      through /proc, ksym's symbol lookup, and cat /proc/kallsyms; and
#      kuptime through kcore with the fixture's 9-symbol System.map and
#      small BTF (the same kernel build); and the symbol cache (hit).
# Runs not about the cache get KMEMSTAT_CACHE=/dev/null/no-cache: no cache
# read or written, and the host's /var/cache/kmemstat is never touched.
#
# Every command is spawned directly (no shell) by bench/timeit, round
# robin, after warm-up rounds; the figure is the median wall time of one
# run (spawn to exit) and the ratio is kmemstat's median over the median of
# the procps command (or cat) it stands beside.
#
# Environment: KMEMSTAT_BENCH_RUNS (host runs per command, default 300),
# KMEMSTAT_BENCH_VM_RUNS (guest runs, default 40), KMEMSTAT_BENCH_VM=0
# (skip the guest), KMEMSTAT_BENCH_VMLINUX (a vmlinux with .symtab for the
# release the host runs: adds ksym -N vmlinux on the host; none is fetched),
# KMEMSTAT_BENCH_KEEP=1 (keep the work dir), KMEMSTAT_BENCH_PS=1 (then
# also bench/run-ps.sh: kps -e against procps ps -e in the guest at about
# 100, 1,000 and 10,000 processes; a second boot, about 5 minutes more),
# CC, and the tests/vm/ ones (KMEMSTAT_VM_STAGING, KMEMSTAT_VM_CACHE).
set -eu

src=$(cd "$(dirname "$0")/.." && pwd)
builddir=$(cd "${1:-$src}" && pwd)
here=$src/tests/vm			# for lib-host.sh
KMEMSTAT_BUILDDIR=$builddir; export KMEMSTAT_BUILDDIR
# shellcheck source=SCRIPTDIR/../tests/vm/lib-host.sh
. "$here/lib-host.sh"

runs=${KMEMSTAT_BENCH_RUNS:-300}
vmruns=${KMEMSTAT_BENCH_VM_RUNS:-40}
warmup=3
procps_uptime=/usr/bin/uptime

tmp=$(mktemp -d "${TMPDIR:-/tmp}/kmemstat-bench.XXXXXX")
keep=${KMEMSTAT_BENCH_KEEP:-0}
trap '[ "$keep" = 1 ] || rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

"$procps_uptime" -V 2>&1 | grep -q procps ||
    { echo "bench: $procps_uptime is not procps's uptime" >&2; exit 1; }

echo "# kmemstat benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "# host: $(nproc) CPUs, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1), Linux $(uname -r), $("$procps_uptime" -V 2>&1 | head -n1)"
echo "# host: /proc/kallsyms $(wc -l < /proc/kallsyms) lines, $(wc -c < /proc/kallsyms) bytes"
echo "# load before: $(cat /proc/loadavg)"

staging=$(vm_stage "$tmp") || exit 1
bin=$staging/usr/local/bin
lib=$staging/usr/local/lib
${CC:-cc} -O2 -Wall -o "$tmp/timeit" "$src/bench/timeit.c"

# The staged tools find libsym.so through LD_LIBRARY_PATH, given to them
# alone (timeit's VAR=value), so procps runs exactly as it always does.
L=LD_LIBRARY_PATH=$lib
fx=$src/fixtures/load
# The symbol cache (libsym/symcache.c, KMEMSTAT_CACHE, default
# /var/cache/kmemstat): never the host's.  NC names a directory that
# cannot be created (mkdir under /dev/null fails even for root), so those
# runs neither read nor write a cache: the full namelist every time.
# $tmp/cache is warmed once below and then only read (no -N: a cache hit);
# $tmp/cache-w is what a -N run rewrites on every run when it can.
NC=KMEMSTAT_CACHE=/dev/null/no-cache
C=KMEMSTAT_CACHE=$tmp/cache
CW=KMEMSTAT_CACHE=$tmp/cache-w
for t in kuptime kloadavg; do
    env "$L" "$C" "$bin/$t" -M "$fx/vmcore" -N "$fx/System.map" --btf "$fx/btf" > /dev/null
done
ls "$tmp"/cache/*.map > /dev/null 2>&1 ||
    { echo "bench: no symbol cache written in $tmp/cache" >&2; exit 1; }
a=$(env "$L" "$NC" TZ=UTC "$bin/kuptime" -M "$fx/vmcore" -N "$fx/System.map" --btf "$fx/btf")
b=$(env "$L" "$C" TZ=UTC "$bin/kuptime" -M "$fx/vmcore" --btf "$fx/btf" --explain 2> "$tmp/explain")
if ! grep -q 'symbols from the cache' "$tmp/explain" || [ "$a" != "$b" ]; then
    echo "bench: the cached fixture run did not use the cache or differs: '$b', with -N '$a'" >&2
    exit 1
fi
# The host's own kallsyms as a System.map (runtime addresses; no KASLR
# slide to find): the cost of parsing a text namelist of this size.  This
# kernel has no data symbols in kallsyms, so ksym looks up a function.
grep -v '\[' /proc/kallsyms > "$tmp/System.map"
set -- \
    :: uptime-V "$procps_uptime" -V \
    :: kuptime-V "$L" "$NC" "$bin/kuptime" -V \
    :: uptime "$procps_uptime" \
    :: kuptime "$L" "$NC" "$bin/kuptime" \
    :: kuptime-proc "$L" "$NC" "$bin/kuptime" --source=proc \
    :: cat-loadavg cat /proc/loadavg \
    :: kloadavg "$L" "$NC" "$bin/kloadavg" \
    :: kloadavg-proc "$L" "$NC" "$bin/kloadavg" --source=proc \
    :: kuptime-fixture "$L" "$NC" "$bin/kuptime" -M "$fx/vmcore" -N "$fx/System.map" --btf "$fx/btf" \
    :: kuptime-fixture-w "$L" "$CW" "$bin/kuptime" -M "$fx/vmcore" -N "$fx/System.map" --btf "$fx/btf" \
    :: kuptime-fixture-cache "$L" "$C" "$bin/kuptime" -M "$fx/vmcore" --btf "$fx/btf" \
    :: ksym-kallsyms "$L" "$NC" "$bin/ksym" --source=proc schedule \
    :: ksym-map "$L" "$NC" "$bin/ksym" --source=proc -N "$tmp/System.map" schedule \
    :: cat-kallsyms cat /proc/kallsyms
if [ -n "${KMEMSTAT_BENCH_VMLINUX:-}" ]; then
    set -- "$@" :: ksym-vmlinux "$L" "$NC" "$bin/ksym" --source=proc -N "$KMEMSTAT_BENCH_VMLINUX" avenrun
fi
echo "# host: $runs runs per command after $warmup warm-up rounds"
"$tmp/timeit" -n "$runs" -w "$warmup" "$@" > "$tmp/host.out" ||
    { cat "$tmp/host.out"; echo "bench: a host command failed" >&2; exit 1; }
sed 's/^RESULT /host /' "$tmp/host.out" > "$tmp/results"

# --- the guest -------------------------------------------------------------
vm=skipped
if [ "${KMEMSTAT_BENCH_VM:-1}" = 0 ]; then
    echo "# guest: skipped (KMEMSTAT_BENCH_VM=0)"
elif ! command -v qemu-system-x86_64 > /dev/null; then
    echo "# guest: skipped (no qemu-system-x86_64)"
else
    vmlinuz=$("$here/fetch-kernel.sh")
    printf 'RUNS=%s\nWARMUP=%s\n' "$vmruns" "$warmup" > "$tmp/bench.conf"
    "$here/mkinitramfs.sh" "$staging" "$tmp/initrd.cpio.gz" "$src/bench/guest-bench.sh" \
        "$tmp/timeit=/bench/timeit" "$tmp/bench.conf=/bench/bench.conf" \
        "$fx/System.map=/bench/mini/System.map" "$fx/btf=/bench/mini/btf" > /dev/null
    # Up to 0.8 s a run under TCG, 16 commands: be generous.
    timeout=$((120 + vmruns * 16))
    echo "# guest: booting $(basename "$vmlinuz") under $(qemu-system-x86_64 --version | head -n1 | sed 's/ (.*//'), -accel tcg -smp 2 -m 512; $vmruns runs per command (timeout $timeout s)"
    rc=0
    "$here/boot.sh" -i "$tmp/initrd.cpio.gz" -t "$timeout" -o "$tmp/vm" > /dev/null 2> "$tmp/boot.err" || rc=$?
    tr -d '\r' < "$tmp/vm/console.log" > "$tmp/console"
    sed -n 's/^BENCH-INFO /# guest: /p; s/^BENCH-ONCE /# guest once: /p; s/^BENCH-ERR /# guest error: /p' "$tmp/console"
    sed -n 's/^BENCH-EXPLAIN explain: /# guest explain: /p' "$tmp/console"
    if ! grep -q '^BENCH-END guest rc=0 ' "$tmp/console"; then
        keep=1
        echo "bench: the guest did not finish (boot.sh exit $rc); console: $tmp/vm/console.log" >&2
        tail -n 20 "$tmp/console" | sed 's/^/#   /' >&2
        exit 1
    fi
    sed -n 's/^BENCH-END guest rc=0 seconds=/# guest: timing loop took /p' "$tmp/console" | sed 's/$/ s (guest clock)/'
    sed -n 's/^BENCH RESULT /guest /p' "$tmp/console" >> "$tmp/results"
    vm=finished
fi

# --- the table -------------------------------------------------------------
# where label reference what-it-is
cat > "$tmp/rows" <<'EOF'
host uptime-V - procps uptime -V (exec + dynamic linking only)
host kuptime-V uptime-V kuptime -V (exec + dynamic linking only)
host uptime - procps uptime
host kuptime uptime kuptime (auto: falls back to /proc here)
host kuptime-proc uptime kuptime --source=proc
host cat-loadavg - cat /proc/loadavg
host kloadavg cat-loadavg kloadavg (auto: falls back to /proc here)
host kloadavg-proc cat-loadavg kloadavg --source=proc
host kuptime-fixture uptime kuptime -M fixtures/load/vmcore -N System.map --btf btf
host kuptime-fixture-w uptime the same, rewriting the symbol cache (as -N runs do)
host kuptime-fixture-cache uptime kuptime -M fixtures/load/vmcore --btf btf, cache hit
host ksym-kallsyms uptime ksym --source=proc schedule (namelist: /proc/kallsyms)
host ksym-map uptime ksym --source=proc -N System.map schedule (from kallsyms)
host cat-kallsyms uptime cat /proc/kallsyms > /dev/null
host ksym-vmlinux uptime ksym --source=proc -N vmlinux avenrun (.symtab)
guest uptime-V - procps uptime -V (exec + dynamic linking only)
guest kuptime-V uptime-V kuptime -V (exec + dynamic linking only)
guest uptime - procps uptime
guest kuptime-kcore uptime kuptime --source=kcore (namelist: /proc/kallsyms)
guest kuptime-kcore-cache uptime kuptime --source=kcore, symbol cache hit
guest kuptime-kcore-map uptime kuptime --source=kcore -N /tmp/System.map
guest kuptime-kcore-map-btf uptime kuptime --source=kcore -N /tmp/System.map --btf fixtures/load/btf
guest kuptime-kcore-mini uptime kuptime --source=kcore -N fixtures/load/System.map --btf fixtures/load/btf
guest kuptime-proc uptime kuptime --source=proc
guest cat-loadavg - cat /proc/loadavg (busybox cat)
guest kloadavg-kcore cat-loadavg kloadavg --source=kcore (namelist: /proc/kallsyms)
guest kloadavg-kcore-cache cat-loadavg kloadavg --source=kcore, symbol cache hit
guest kloadavg-proc cat-loadavg kloadavg --source=proc
guest ksym-kallsyms uptime ksym --source=proc avenrun (namelist: /proc/kallsyms)
guest ksym-map uptime ksym --source=proc -N /tmp/System.map avenrun
guest cat-kallsyms uptime cat /proc/kallsyms > /dev/null (busybox cat)
EOF

echo
awk '
function ms(ns) { return sprintf("%.3f", ns / 1e6) }
FNR == NR { key = $1 " " $2; med[key] = $4; mn[key] = $5; p90[key] = $6; n[key] = $3; next }
{
    key = $1 " " $2
    if (!(key in med)) next
    what = $4; for (i = 5; i <= NF; i++) what = what " " $i
    ratio = "-"
    if ($3 != "-" && ($1 " " $3) in med)
        ratio = sprintf("%.2fx %s", med[key] / med[$1 " " $3], $3)
    if ($1 != last) {
        printf "%s\n", ($1 == "host" ? "Natively on the host (ms per run)" : "In the QEMU TCG guest (ms per run)")
        printf "  %-74s %5s %9s %9s %9s  %s\n", "command", "runs", "median", "min", "p90", "median vs procps/cat"
        last = $1
    }
    printf "  %-74s %5d %9s %9s %9s  %s\n", what, n[key], ms(med[key]), ms(mn[key]), ms(p90[key]), ratio
}' "$tmp/results" "$tmp/rows"

echo
echo "Ratios (kmemstat median / procps median):"
awk '
FNR == NR { med[$1 " " $2] = $4; next }
function r(where, a, b, text) {
    if ((where " " a) in med && (where " " b) in med)
        printf "  %-6s %-62s %6.2f\n", where, text, med[where " " a] / med[where " " b]
}
END {
    r("host", "kuptime", "uptime", "kuptime / uptime (/proc fallback)")
    r("host", "kloadavg", "cat-loadavg", "kloadavg / cat /proc/loadavg (/proc fallback)")
    r("host", "kuptime-fixture", "uptime", "kuptime on the fixture / uptime on the host")
    r("host", "kuptime-fixture-cache", "uptime", "kuptime on the fixture, cache hit / uptime")
    r("host", "ksym-kallsyms", "ksym-map", "ksym namelist /proc/kallsyms / System.map")
    r("guest", "kuptime-kcore", "uptime", "kuptime --source=kcore (kallsyms) / uptime")
    r("guest", "kuptime-kcore-cache", "uptime", "kuptime --source=kcore, symbol cache hit / uptime")
    r("guest", "kuptime-kcore-map", "uptime", "kuptime --source=kcore -N System.map / uptime")
    r("guest", "kuptime-kcore-mini", "uptime", "kuptime --source=kcore, 9-symbol namelist + small BTF / uptime")
    r("guest", "kuptime-proc", "uptime", "kuptime --source=proc / uptime")
    r("guest", "kloadavg-kcore", "cat-loadavg", "kloadavg --source=kcore / cat /proc/loadavg")
    r("guest", "kloadavg-kcore-cache", "cat-loadavg", "kloadavg --source=kcore, cache hit / cat")
    r("guest", "ksym-kallsyms", "ksym-map", "ksym namelist /proc/kallsyms / System.map")
}' "$tmp/results" /dev/null
if [ -z "${KMEMSTAT_BENCH_VMLINUX:-}" ]; then
    echo "  vmlinux .symtab namelist: not measured (no vmlinux with .symtab here; set KMEMSTAT_BENCH_VMLINUX)"
fi
[ "$vm" = finished ] || echo "  guest: not measured"
echo "# load after: $(cat /proc/loadavg)"

# --- kps -e against ps -e, opt-in (its own boot, with 3 GiB) ----------------
if [ "${KMEMSTAT_BENCH_PS:-0}" = 1 ]; then
    if [ "${KMEMSTAT_BENCH_VM:-1}" = 0 ]; then
        echo "# kps guest benchmark: skipped (KMEMSTAT_BENCH_VM=0)"
    else
        echo
        KMEMSTAT_VM_STAGING=$staging "$src/bench/run-ps.sh" "$builddir"
    fi
fi
