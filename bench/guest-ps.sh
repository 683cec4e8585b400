#!/bin/sh
# The guest half of bench/run-ps.sh: runs inside the QEMU guest as /guest.sh
# (dash; see tests/vm/mkinitramfs.sh).  Grows the process table to each
# size in SIZES with /bench/sleepers and at each size times, in one
# interleaved /bench/timeit run, procps `ps -e`, `kps -e --source=kcore`
# with a warm symbol and type cache, and `kps -e --source=proc`; plus one
# cold kps run (empty cache directory: kallsyms, the kernel's full BTF, and
# the cache written).  Everything goes to the console as "PS-..." lines,
# which run-ps.sh picks out of console.log.  /bench/ps.conf sets SIZES,
# RUNS (one count per size) and WARMUP.
set -u
SIZES="100 1000 3000 10000" RUNS="31 21 15 9" WARMUP=1
# shellcheck disable=SC1091 # written by run-ps.sh
[ -f /bench/ps.conf ] && . /bench/ps.conf

info() { echo "PS-INFO $*"; }
err() { echo "PS-ERR $*"; errs=$((errs + 1)); }
now() { cut -d' ' -f1 /proc/uptime; }
# shellcheck disable=SC2012 # pid directories: plain names
nprocs() { ls -d /proc/[0-9]* | wc -l; }
errs=0
# differ FILE: how many lines of FILE and /tmp/ps.out differ, and the
# commands on them (busybox diff writes unified diffs only).
differ() {
    diff /tmp/ps.out "$1" | awk '/^(---|\+\+\+) / {next}
        /^[-+]/ {n++; if (n <= 10) s = s " " substr($1, 1, 1) $NF}
        END {printf "%d%s", n, (n ? " (" substr(s, 2) ")" : "")}'
}

info kernel "$(uname -r)"
info cpus "$(grep -c ^processor /proc/cpuinfo)"
info memtotal "$(awk '/MemTotal/ {print $2 " kB"}' /proc/meminfo)"
info clocksource "$(cat /sys/devices/system/clocksource/clocksource0/current_clocksource 2>/dev/null)"
info procps "$(/usr/bin/ps -V 2>&1 | head -n1)"
info kallsyms-lines "$(wc -l < /proc/kallsyms)"

# 10,000 tasks: threads-max is derived from RAM (about 24,000 at 3 GiB, so
# not the limit here, but raised as a matter of course); pid_max goes from
# 32768 to 65536, which keeps procps's PID column 5 digits wide.
info threads-max "$(cat /proc/sys/kernel/threads-max) -> 100000"
info pid_max "$(cat /proc/sys/kernel/pid_max) -> 65536"
echo 100000 > /proc/sys/kernel/threads-max || err "cannot raise threads-max"
echo 65536 > /proc/sys/kernel/pid_max || err "cannot raise pid_max"

# The symbol and type cache: /tmp/kcache, written by one untimed run here
# and then only read; the cold rows get an empty directory of their own.
export KMEMSTAT_CACHE=/dev/null/no-cache
C=KMEMSTAT_CACHE=/tmp/kcache
env "$C" kps -e --source=kcore > /dev/null 2> /tmp/warm.err || err "warming kps: $(head -n1 /tmp/warm.err)"
env "$C" kps -e --source=kcore --explain > /dev/null 2> /tmp/explain
if ! grep -q 'symbols from the cache' /tmp/explain; then
    err "kps with $C did not read its symbols from the cache"
fi
if ! grep -q 'the cached subset' /tmp/explain; then
    err "kps with $C did not read its types from the cached BTF subset"
fi
grep -E 'from the cache|struct layouts|not in the cach|task list:|bytes of each task_struct' /tmp/explain | sed 's/^/PS-EXPLAIN /'
# shellcheck disable=SC2012
info cache "$(ls /tmp/kcache | tr '\n' ' ')($(cat /tmp/kcache/*.map | wc -l) symbols)"

# shellcheck disable=SC2086 # one count per size
set -- $RUNS
for target in $SIZES; do
    runs=${1:-5}
    [ $# -gt 0 ] && shift
    have=$(nprocs)
    want=$((target - have))
    t0=$(now)
    if [ "$want" -gt 0 ]; then
        /bench/sleepers "$want" 2> /tmp/sleepers.err || err "sleepers $want: $(cat /tmp/sleepers.err)"
    fi
    t1=$(now)
    sleep 1	# let the last children reach pause()
    n=$(nprocs)
    echo "PS-SIZE $target pid_dirs=$n spawned=$want spawn_s=$(echo "$t0 $t1" | awk '{printf "%.1f", $2 - $1}') memavail_kB=$(awk '/MemAvailable/ {print $2}' /proc/meminfo) runs=$runs"

    # Output on record: kps must list what ps lists.  The lines that may
    # differ are the two readers themselves (each sees itself, not the
    # other) and anything that ran in between.
    ps -e > /tmp/ps.out 2>&1
    env "$C" kps -e --source=kcore > /tmp/kps.out 2>&1 || err "$target: kps -e --source=kcore failed: $(head -n1 /tmp/kps.out)"
    kps -e --source=proc > /tmp/kpsp.out 2>&1 || err "$target: kps -e --source=proc failed: $(head -n1 /tmp/kpsp.out)"
    echo "PS-CHECK $target lines ps=$(wc -l < /tmp/ps.out) kps-kcore=$(wc -l < /tmp/kps.out) kps-proc=$(wc -l < /tmp/kpsp.out); lines differing from ps: kcore $(differ /tmp/kps.out), proc $(differ /tmp/kpsp.out)"
    env "$C" kps -e --source=kcore --explain 2>&1 > /dev/null | grep 'task list:' | sed "s/^/PS-EXPLAIN $target /"
    n=$(($(wc -l < /tmp/ps.out) - 1))	# the processes ps -e listed

    # The cold run, once: an empty cache directory (the first run on a new
    # kernel build), which parses /proc/kallsyms and the kernel's BTF and
    # writes the cache.
    /bench/timeit -n 1 -w 0 :: kps-cold KMEMSTAT_CACHE=/tmp/kcold-"$target" \
        kps -e --source=kcore > /tmp/cold.out 2> /tmp/cold.err || err "$target: cold run: $(cat /tmp/cold.err)"
    sed "s/^RESULT /PS-RESULT $target $n /" /tmp/cold.out

    s0=$(now)
    /bench/timeit -n "$runs" -w "$WARMUP" \
        :: ps /usr/bin/ps -e \
        :: kps-kcore "$C" kps -e --source=kcore \
        :: kps-proc kps -e --source=proc \
        > /tmp/bench.out 2> /tmp/bench.err || err "$target: timeit: $(tr '\n' ' ' < /tmp/bench.err)"
    s1=$(now)
    sed "s/^RESULT /PS-RESULT $target $n /" /tmp/bench.out
    echo "PS-LOOP $target seconds=$(echo "$s0 $s1" | awk '{printf "%.1f", $2 - $1}')"
done
echo "PS-END guest errors=$errs"
