#!/bin/sh
# Capture fixtures from the real kernel: boot the guest, run kcapture once
# idle and once under a known load, and bring both back to the host.
#
#   capture-fixtures.sh OUTDIR     -> OUTDIR/idle/, OUTDIR/load/, OUTDIR/tasks/
#
# Environment as for run-tests.sh (KMEMSTAT_BUILDDIR, KMEMSTAT_VM_STAGING,
# KMEMSTAT_VM_TIMEOUT, KMEMSTAT_VM_KEEP, KMEMSTAT_VM_CACHE).
set -eu

[ $# -eq 1 ] || { echo "usage: $0 OUTDIR" >&2; exit 2; }
outdir=$1
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib-host.sh"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/kmemstat-capture.XXXXXX")
keep=${KMEMSTAT_VM_KEEP:-0}
trap '[ "$keep" = 1 ] || rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

cat > "$tmp/guest.sh" <<'GUEST'
#!/bin/sh
set -u
. /lib-guest.sh
check capture-idle kcapture -o /tmp/fx-idle
# Load for ~20 s: the 1-minute average is then about 0.5 and the
# runqueues hold the busy loops while kcapture reads them.
load_start 2
sleep 20
diag "loadavg at capture: $(cat /proc/loadavg)"
check capture-load kcapture -o /tmp/fx-load
load_stop
# The process table for kps and kw: two logged-in sessions, a stopped,
# a niced and a sleeping process with a long argument list.
setsid -c sh -c 'echo $$ > /tmp/login1.pid; exec sleep 1000' \
    < /dev/tty1 > /dev/tty1 2>&1 &
setsid -c sh -c 'echo $$ > /tmp/login2.pid; sleep 1000; :' \
    < /dev/tty2 > /dev/tty2 2>&1 &
sleep 1001 & kill -STOP $!
sleep 1002 & renice -n 7 -p $! > /dev/null	# busybox has no nice
sh -c 'sleep 1003; :' a-long-argument-list 1 2 3 4 5 6 7 8 9 10 &
sleep 1
utmpadd root tty1 "$(cat /tmp/login1.pid)" 10.0.2.2
utmpadd root tty2 "$(cat /tmp/login2.pid)"
check capture-tasks kcapture -t -o /tmp/fx-tasks
# Export after the load is gone: the serial port is faster without it.
check export-idle export_dir /tmp/fx-idle idle
check export-load export_dir /tmp/fx-load load
check export-tasks export_dir /tmp/fx-tasks tasks
result
GUEST

"$here/fetch-kernel.sh" > /dev/null
staging=$(vm_stage "$tmp") || { keep=1; exit 1; }
"$here/mkinitramfs.sh" "$staging" "$tmp/initrd.cpio.gz" "$tmp/guest.sh" \
    "$KMEMSTAT_BUILDDIR/tests/vm/utmpadd=/usr/local/bin/utmpadd" > /dev/null
vm_boot_filtered "$tmp/initrd.cpio.gz" "${KMEMSTAT_VM_TIMEOUT:-180}" "$tmp/out"
vm_tally "$tmp/out/console.log" "$vm_boot_rc"

# boot.sh unpacked only exports whose size and sha256 matched.
for n in idle load tasks; do
    if [ ! -d "$tmp/out/$n" ]; then
        echo "not ok host-$n: no verified export '$n' came back"
        vm_fail=$((vm_fail + 1))
    fi
done
if [ "$vm_fail" -ne 0 ]; then
    keep=1
    echo "$0: capture failed; console log: $tmp/out/console.log" >&2
    exit 1
fi

mkdir -p "$outdir"
for n in idle load tasks; do
    rm -rf "${outdir:?}/$n"
    cp -R "$tmp/out/$n" "$outdir/$n"
done
echo "# fixtures in $outdir/idle and $outdir/load ($(du -sh "$outdir" | cut -f1))"
