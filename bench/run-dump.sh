#!/bin/sh
# kps -e on a memory dump: time to first output and peak memory, beside
# the crash utility and drgn on the same dump (issue 4's benchmark).
#
#   bench/run-dump.sh [DUMP [BUILDDIR]]
#
# DUMP defaults to /work/dumps/elf-vmci.dump (a QEMU dump-guest-memory ELF
# with VMCOREINFO); BUILDDIR (default: the source tree) holds the built
# cmd/kps (a libtool build: cmd/.libs/kps is run with LD_LIBRARY_PATH on
# libsym/.libs, as the libtool wrapper would, without the wrapper's shell).
# Nothing is installed and nothing is written outside a temporary dir.
#
# Measured, each command spawned directly by bench/timeit -f (no shell):
#   kps-cold     kps -e, no namelist, an empty cache directory: the first
#                run on a kernel build (symbols from the kernel's kallsyms
#                tables in the dump, types from its BTF, the cache written);
#                single runs, each with a fresh directory, median taken
#   kps-nocache  kps -e, no namelist, KMEMSTAT_CACHE=/dev/null/no-cache:
#                the same derivation every run, no cache read or written
#   kps-warm     kps -e, no namelist, the symbol and type cache written by
#                one untimed run (checked with --explain to be a cache hit)
#   kps-map      kps -e -N System.map (no cache)
#   kps-vmlinux  kps -e -N vmlinux (no cache; its .symtab and BTF)
#   crash        crash -s -i CMDS VMLINUX DUMP, CMDS being "ps" and "q"
#   drgn         DRGN_USE_LIBKDUMPFILE_FOR_ELF=1 drgn -c DUMP -s VMLINUX
#                SCRIPT, the script printing pid and comm of every task
#                (for_each_task)
# The last four need a vmlinux (KMEMSTAT_BENCH_VMLINUX); crash and drgn
# also need to be installed.  What cannot run prints "skipped: why".
# crash and drgn are also run once without the vmlinux, to show what
# they say then.  The kps runs are interleaved round robin in one timeit
# run; crash and drgn in another (fewer runs: seconds each).
#
# Figures (medians): time to first output (spawn to the first byte read
# from the command's stdout, a pipe), time to exit, user + system CPU
# time, and peak RSS (wait4's ru_maxrss).  The dump is read once first so
# every run finds it in the page cache: "cold" means the kmemstat cache.
# Each command's listing is counted and, when a procps `ps -e` of the same
# moment is found (KMEMSTAT_BENCH_TRUTH, default
# DUMPDIR/truth/NAME/before/ps-e.out), kps -e is compared with it.
#
# Environment: KMEMSTAT_BENCH_VMLINUX (a vmlinux with DWARF, e.g. from
# the kernel's -dbg package), KMEMSTAT_BENCH_SYSTEM_MAP (else one is made
# with nm -n from the vmlinux), KMEMSTAT_BENCH_DUMP_RUNS (kps runs per
# command, default 21; cold runs: half that, odd), KMEMSTAT_BENCH_SLOW_RUNS
# (crash and drgn runs, default 5), KMEMSTAT_BENCH_TRUTH,
# KMEMSTAT_BENCH_KEEP=1 (keep the work dir), CC.
set -eu

src=$(cd "$(dirname "$0")/.." && pwd)
dump=${1:-/work/dumps/elf-vmci.dump}
builddir=$(cd "${2:-$src}" && pwd)
vmlinux=${KMEMSTAT_BENCH_VMLINUX:-}
runs=${KMEMSTAT_BENCH_DUMP_RUNS:-21}
coldruns=$(( (runs / 2) | 1 ))
slowruns=${KMEMSTAT_BENCH_SLOW_RUNS:-5}
warmup=2

[ -r "$dump" ] || { echo "bench: cannot read the dump $dump" >&2; exit 1; }
if [ -x "$builddir/cmd/.libs/kps" ]; then
    kps=$builddir/cmd/.libs/kps
    L=LD_LIBRARY_PATH=$builddir/libsym/.libs
elif [ -x "$builddir/cmd/kps" ]; then
    kps=$builddir/cmd/kps
    L=LD_LIBRARY_PATH=${LD_LIBRARY_PATH:-}
else
    echo "bench: no cmd/kps in $builddir (build first, or give BUILDDIR)" >&2
    exit 1
fi
name=$(basename "$dump"); name=${name%.*}
truth=${KMEMSTAT_BENCH_TRUTH:-$(dirname "$dump")/truth/$name/before/ps-e.out}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/kmemstat-benchdump.XXXXXX")
keep=${KMEMSTAT_BENCH_KEEP:-0}
trap '[ "$keep" = 1 ] || rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

echo "# kps on a dump beside crash and drgn, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "# host: $(nproc) CPUs, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1), Linux $(uname -r)"
echo "# dump: $dump, $(wc -c < "$dump") bytes; kps: $kps"
echo "# load before: $(cat /proc/loadavg)"
${CC:-cc} -O2 -Wall -o "$tmp/timeit" "$src/bench/timeit.c"
cat "$dump" > /dev/null			# into the page cache

NC=KMEMSTAT_CACHE=/dev/null/no-cache
C=KMEMSTAT_CACHE=$tmp/cache
env "$L" "$NC" "$kps" -M "$dump" -e > "$tmp/kps.out"
env "$L" "$C" "$kps" -M "$dump" -e > /dev/null
env "$L" "$C" "$kps" -M "$dump" -e --explain > /dev/null 2> "$tmp/explain"
grep -q 'from the cache' "$tmp/explain" ||
    { echo "bench: the warm kps run did not read the cache in $tmp/cache" >&2; exit 1; }
sed 1d "$tmp/kps.out" | wc -l > "$tmp/tasks.kps"

# --- the namelists and the other tools ---------------------------------------
skip() { echo "$1" >> "$tmp/skipped"; }
: > "$tmp/skipped"
map=${KMEMSTAT_BENCH_SYSTEM_MAP:-}
if [ -z "$vmlinux" ]; then
    skip "skipped: kps -N System.map/vmlinux, crash, drgn: no vmlinux (set KMEMSTAT_BENCH_VMLINUX to one with DWARF)"
elif [ ! -r "$vmlinux" ]; then
    echo "bench: cannot read KMEMSTAT_BENCH_VMLINUX=$vmlinux" >&2
    exit 1
elif [ -z "$map" ]; then
    map=$tmp/System.map
    nm -n "$vmlinux" > "$map"
fi
set --
if [ -n "$map" ]; then
    set -- "$@" :: kps-map "$L" "$NC" "$kps" -M "$dump" -N "$map" -e
    env "$L" "$NC" "$kps" -M "$dump" -N "$map" -e | sed 1d | wc -l > "$tmp/tasks.kps-map"
fi
if [ -n "$vmlinux" ]; then
    set -- "$@" :: kps-vmlinux "$L" "$NC" "$kps" -M "$dump" -N "$vmlinux" -e
    env "$L" "$NC" "$kps" -M "$dump" -N "$vmlinux" -e | sed 1d | wc -l > "$tmp/tasks.kps-vmlinux"
fi
cp "$tmp/tasks.kps" "$tmp/tasks.kps-cold"
cp "$tmp/tasks.kps" "$tmp/tasks.kps-nocache"
cp "$tmp/tasks.kps" "$tmp/tasks.kps-warm"

# Without a vmlinux: what they say (its first two lines and its last).
printf 'ps\nq\n' > "$tmp/crash.in"
cat > "$tmp/drgn-ps.py" <<'EOF'
from drgn.helpers.linux.pid import for_each_task
for t in for_each_task(prog):
    print(t.pid.value_(), t.comm.string_().decode())
EOF
without() {
    _rc=0
    env DRGN_USE_LIBKDUMPFILE_FOR_ELF=1 "$@" < /dev/null > "$tmp/without" 2>&1 || _rc=$?
    # its own lines, not the usage text or a traceback's frames
    echo "# $1 without a vmlinux: exit $_rc: $(grep -v '^[[:space:]]\|^$\|^Traceback\|^Usage:\|^Enter ' "$tmp/without" |
        awk '{ l[NR] = $0 } END { for (i = 1; i <= NR; i++) if (i <= 2 || i == NR) printf "%s%s", (i > 1 ? " | " : ""), l[i] }')"
}
slow=
if ! command -v crash > /dev/null; then
    skip "skipped: crash: not installed (apt-get install crash)"
else
    without crash -s -i "$tmp/crash.in" "$dump"
    if [ -n "$vmlinux" ]; then
        slow="$slow :: crash crash -s -i $tmp/crash.in $vmlinux $dump"
        crash -s -i "$tmp/crash.in" "$vmlinux" "$dump" < /dev/null 2> /dev/null |
            grep -cE '^[> ] +[0-9]+ +[0-9]+ +[0-9]+ +[0-9a-f]{16} ' > "$tmp/tasks.crash" || true
    fi
fi
if ! command -v drgn > /dev/null; then
    skip "skipped: drgn: not installed (apt-get install python3-drgn)"
else
    without drgn -c "$dump" "$tmp/drgn-ps.py"
    if [ -n "$vmlinux" ]; then
        slow="$slow :: drgn DRGN_USE_LIBKDUMPFILE_FOR_ELF=1 drgn -c $dump -s $vmlinux $tmp/drgn-ps.py"
        env DRGN_USE_LIBKDUMPFILE_FOR_ELF=1 drgn -c "$dump" -s "$vmlinux" "$tmp/drgn-ps.py" 2> "$tmp/drgn.err" |
            wc -l > "$tmp/tasks.drgn" || true
    fi
fi
echo "# crash: $(crash --version 2> /dev/null | awk 'NF { print; exit }'); drgn: $(drgn --version 2> /dev/null | cut -d' ' -f1-2 || echo none)"

# --- the timed runs ------------------------------------------------------------
echo "# kps: $runs runs per command after $warmup warm-up rounds; cold: $coldruns single runs, each with an empty cache dir; crash and drgn: $slowruns runs after 1 warm-up round"
i=0
while [ "$i" -lt "$coldruns" ]; do
    i=$((i + 1))
    "$tmp/timeit" -f -n 1 -w 0 :: kps-cold "$L" "KMEMSTAT_CACHE=$tmp/cold.$i" "$kps" -M "$dump" -e >> "$tmp/cold.out" ||
        { echo "bench: a cold kps run failed" >&2; exit 1; }
done
# The median of each field over the single runs, as one RESULT line.
awk '{ for (f = 4; f <= NF; f++) v[f, NR] = $f; n = NR; nf = NF }
END {
    printf "RESULT kps-cold %d", n
    for (f = 4; f <= nf; f++) {
        for (i = 1; i <= n; i++) a[i] = v[f, i]
        for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
        s = 0; for (i = 1; i <= n; i++) s += a[i]
        printf " %s", (f == 5 ? a[1] : f == 6 ? a[n - int(n / 10)] : f == 7 ? int(s / n) : f == 8 ? s : a[int((n + 1) / 2)])
    }
    printf "\n"
}' "$tmp/cold.out" > "$tmp/results"
"$tmp/timeit" -f -n "$runs" -w "$warmup" \
    :: kps-nocache "$L" "$NC" "$kps" -M "$dump" -e \
    :: kps-warm "$L" "$C" "$kps" -M "$dump" -e "$@" >> "$tmp/results" ||
    { echo "bench: a kps run failed" >&2; exit 1; }
if [ -n "$slow" ]; then
    # shellcheck disable=SC2086 # the words of the commands (no spaces in paths)
    "$tmp/timeit" -f -n "$slowruns" -w 1 $slow >> "$tmp/results" ||
        echo "bench: a crash or drgn run failed (counted as FAILS below)" >&2
fi
echo "# load after: $(cat /proc/loadavg)"

# --- the table ---------------------------------------------------------------
for f in "$tmp"/tasks.*; do echo "${f##*/tasks.} $(cat "$f")"; done > "$tmp/tasks"
cat > "$tmp/rows" <<'EOF'
kps-cold kps -e, no namelist, empty cache dir (first run)
kps-nocache kps -e, no namelist, no cache read or written
kps-warm kps -e, no namelist, cache hit
kps-map kps -e -N System.map, no cache
kps-vmlinux kps -e -N vmlinux, no cache
crash crash -s VMLINUX DUMP, ps
drgn drgn -c DUMP -s VMLINUX, for_each_task
EOF
echo
echo "kps -e on $name ($(( $(wc -c < "$dump") / 1048576 )) MiB), medians; first output: spawn to the first byte on stdout"
awk '
function ms(ns) { return sprintf("%.1f", ns / 1e6) }
FILENAME == ARGV[1] { tasks[$1] = $2; next }
FILENAME == ARGV[2] { med[$2] = $4; mn[$2] = $5; p90[$2] = $6; n[$2] = $3; fails[$2] = $8
                      rss[$2] = $9; cpu[$2] = $10; run[$2] = $11; next }
!($1 in med) { next }
{
    what = $2; for (i = 3; i <= NF; i++) what = what " " $i
    if (!hdr++) printf "  %-52s %4s %22s %9s %9s %8s %6s\n", "command", "runs", "first output ms (min-p90)", "exit ms", "CPU ms", "RSS MiB", "tasks"
    printf "  %-52s %4d %9s (%s-%s) %9s %9s %8.1f %6s%s\n", what, n[$1], ms(med[$1]), ms(mn[$1]), ms(p90[$1]),
        ms(run[$1]), ms(cpu[$1]), rss[$1] / 1024, ($1 in tasks ? tasks[$1] : "-"), (fails[$1] ? "  FAILED " fails[$1] "x" : "")
}' "$tmp/tasks" "$tmp/results" "$tmp/rows"
sed 's/^/  /' "$tmp/skipped"
if [ -r "$truth" ]; then
    echo "  procps ps -e at the dump: $(sed 1d "$truth" | wc -l) tasks ($truth); kps -e differs in $(diff "$truth" "$tmp/kps.out" | grep -c '^>' || true) lines"
    diff "$truth" "$tmp/kps.out" | sed -n 's/^</    procps:/p; s/^>/    kps:   /p'
fi

echo
echo "Ratios (kps median / crash or drgn median; below 1: kps is faster or smaller):"
awk '
FNR == NR { med[$2] = $4; run[$2] = $11; rss[$2] = $9; fails[$2] = $8; next }
function times(r, more, less) { return r <= 1 ? sprintf("%.1fx %s", 1 / r, more) : sprintf("%.1fx %s", r, less) }
END {
    split("kps-cold kps-warm kps-map kps-vmlinux", K, " ")
    split("crash drgn", O, " ")
    for (j = 1; j <= 2; j++) {
        o = O[j]
        if (!(o in med)) { printf "  none against %s: not measured\n", o; continue }
        if (fails[o]) { printf "  none against %s: it failed (%d of its runs)\n", o, fails[o]; continue }
        for (i = 1; i <= 4; i++) {
            k = K[i]
            if (!(k in med)) continue
            printf "  %-12s / %-6s first output %7.4f (%s)  exit %7.4f  RSS %7.4f (%s)\n", k, o,
                med[k] / med[o], times(med[k] / med[o], "faster", "slower"), run[k] / run[o],
                rss[k] / rss[o], times(rss[k] / rss[o], "smaller", "larger")
        }
    }
    # the aim: no namelist at all, under 0.1 s and 50 MB
    for (i = 1; i <= 2; i++) {
        k = K[i]
        printf "Aim (no namelist, under 100 ms and 50 MiB), %s: first output %.1f ms, peak RSS %.1f MiB: %s\n", k,
            med[k] / 1e6, rss[k] / 1024, (med[k] < 1e8 && rss[k] < 50 * 1024 ? "met" : "NOT met")
    }
}' "$tmp/results"
