#!/bin/sh
# Boot the suite's current Debian kernel (fetch-kernel.sh: KMEMSTAT_VM_SUITE,
# KMEMSTAT_VM_FLAVOUR) with an initramfs under QEMU TCG.
#
#   boot.sh -i INITRD [-t TIMEOUT] [-o OUTDIR] [-- extra qemu args]
#
# The console (ttyS0) is shown and saved to OUTDIR/console.log. The second
# serial port (ttyS1) goes to OUTDIR/ttyS1.log; directories the guest sent
# with export_dir are unpacked into OUTDIR/NAME/.
# Exit status: 0 if QEMU exited by itself and every export decoded,
# 124 on timeout, 3 on a bad export, else QEMU's status.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
initrd='' timeout=120 outdir=$here/out
while getopts i:t:o: opt; do
    case $opt in
        i) initrd=$OPTARG ;;
        t) timeout=$OPTARG ;;
        o) outdir=$OPTARG ;;
        *) echo "usage: $0 -i INITRD [-t TIMEOUT] [-o OUTDIR] [-- qemu args]" >&2; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
if [ -z "$initrd" ] || [ ! -f "$initrd" ]; then
    echo "boot.sh: need -i INITRD (an existing file)" >&2
    exit 2
fi

kernel=$("$here/fetch-kernel.sh" -i)
vmlinuz=${kernel##* }
# Which kernel a run used, in its log: "SUITE FLAVOUR PACKAGE VERSION".
echo "boot.sh: kernel $(echo "$kernel" | cut -d' ' -f1-4)" >&2
mkdir -p "$outdir"
rm -f "$outdir/console.log" "$outdir/ttyS1.log"

# qboot instead of SeaBIOS when present: SeaBIOS writes terminal escapes
# (reset, line wrap off) to the serial console; qboot writes nothing.
# KMEMSTAT_VM_BIOS overrides; set it empty for QEMU's default firmware.
bios=${KMEMSTAT_VM_BIOS-/usr/share/qemu/qboot.rom}
if [ -n "$bios" ] && [ -f "$bios" ]; then
    set -- -bios "$bios" "$@"
fi

# KVM guests hang on these hosts (DESIGN.md): TCG only.
# stdin from /dev/null: under timeout QEMU is in a background process group,
# and touching the terminal's modes from there would stop it (SIGTTOU).
# The chardev's logfile keeps a copy of the console while it is shown.
start=$(date +%s.%N)
set +e
timeout -k 5 "$timeout" qemu-system-x86_64 -accel tcg -m 512 -smp 2 \
    -nographic -monitor none -nic none \
    -chardev stdio,id=con0,logfile="$outdir/console.log" \
    -serial chardev:con0 \
    -serial file:"$outdir/ttyS1.log" \
    -no-reboot -kernel "$vmlinuz" -initrd "$initrd" \
    -append 'console=ttyS0 panic=-1 quiet' "$@" </dev/null
rc=$?
set -e
end=$(date +%s.%N)
echo "boot.sh: qemu exit $rc after $(echo "$end $start" | awk '{printf "%.1f", $1 - $2}') s" >&2
if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
    echo "boot.sh: timed out after $timeout s" >&2
    rc=124
fi

# Decode exports: blocks between BEGIN/END markers, checked against the size
# and sha256 the guest computed before sending.
bad=0
if [ -f "$outdir/ttyS1.log" ]; then
    names=$(tr -d '\r' < "$outdir/ttyS1.log" | sed -n 's/^KMEMSTAT-EXPORT-BEGIN \([A-Za-z0-9._-]*\)$/\1/p')
    for name in $names; do
        tgz=$outdir/.$name.tgz
        tr -d '\r' < "$outdir/ttyS1.log" |
            awk -v n="$name" '$0 == "KMEMSTAT-EXPORT-BEGIN " n {on = 1; next}
                              on && $1 == "KMEMSTAT-EXPORT-END" && $2 == n {exit}
                              on {print}' | base64 -d > "$tgz" 2>/dev/null || true
        endline=$(tr -d '\r' < "$outdir/ttyS1.log" | grep "^KMEMSTAT-EXPORT-END $name " | tail -n1 || true)
        want_size=$(echo "$endline" | cut -d' ' -f3)
        want_sum=$(echo "$endline" | cut -d' ' -f4)
        got_size=$(wc -c < "$tgz")
        got_sum=$(sha256sum < "$tgz" | cut -d' ' -f1)
        if [ -z "$endline" ] || [ "$got_size" != "$want_size" ] || [ "$got_sum" != "$want_sum" ]; then
            echo "boot.sh: export $name is damaged or cut off (got $got_size bytes, want ${want_size:-?})" >&2
            bad=1
            continue
        fi
        rm -rf "${outdir:?}/$name"
        mkdir -p "$outdir/$name"
        tar -C "$outdir/$name" -xzf "$tgz"
        rm -f "$tgz"
        echo "boot.sh: export $name -> $outdir/$name ($got_size bytes)" >&2
    done
fi
[ "$rc" -ne 0 ] && exit "$rc"
[ "$bad" -ne 0 ] && exit 3
exit 0
