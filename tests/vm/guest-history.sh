#!/bin/sh
# Transcripts for docs/HISTORY.md, run inside the QEMU guest as /guest.sh by
# docs/gen-history.sh: load kmod/kmem's teaching module, start a small
# known load (two busy loops), run the tools with --explain next to procps
# and /proc, and send every transcript to the host with export_dir.
# Not a test: it prints check lines only so a broken run is visible.
set -u
. /lib-guest.sh

export KMEMSTAT_CACHE=/tmp/kcache
mkdir -p "$KMEMSTAT_CACHE"
T=/tmp/history
mkdir -p "$T"

uname -r > "$T/kernel"
check history-insmod insmod /kmem.ko
dmesg | grep 'kmem:' > "$T/dmesg-kmem"
if [ ! -c /dev/kmem ]; then
    mm=$(cat /sys/class/misc/kmem/dev 2>/dev/null)
    [ -n "$mm" ] && mknod -m 0400 /dev/kmem c "${mm%:*}" "${mm#*:}"
fi
check history-kmem-node test -c /dev/kmem
ls -l /dev/kmem /proc/kcore > "$T/ls-devices" 2>&1

# The known load: two busy loops, one per vCPU, until the 1-minute
# average is at least 0.30.
load_start 2
if load_wait 30 60; then ok history-load; else not_ok history-load "load1 stayed below 0.30"; fi

# run NAME CMD...: the command line, then stdout and stderr interleaved as
# a terminal shows them, into $T/NAME; the exit status in $T/NAME.rc.
run() {
    _n=$1; shift
    _rc=0
    { echo "# $*"; "$@" 2>&1; } > "$T/$_n" || _rc=$?
    echo "$_rc" > "$T/$_n.rc"
    if [ "$_rc" -eq 0 ]; then ok "history-$_n"; else not_ok "history-$_n" "exit $_rc"; fi
}

run uptime-procps uptime
run proc-loadavg cat /proc/loadavg
run kuptime-kmem kuptime --source=kmem --explain
run uptime-procps-after uptime
run kloadavg-kmem kloadavg --source=kmem --explain
run proc-loadavg-after cat /proc/loadavg
run kps-kmem kps --source=kmem --explain -o pid,stat,comm -p 1
run ps-procps ps -o pid,stat,comm -p 1
run kuptime-kcore kuptime --source=kcore --explain
run uptime-procps-kcore uptime
# A namelist at link-time (unslid) addresses, as /vmunix was: the symbols
# kuptime uses, from fixtures/load/System.map (the same kernel build).
run ksym-avenrun ksym avenrun
run kuptime-kcore-namelist kuptime --source=kcore -N /System.map --explain

load_stop
export_dir "$T" history
result
