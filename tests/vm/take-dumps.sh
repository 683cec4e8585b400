#!/bin/sh
# Physical-memory dumps of the real kernel, each with the guest's truth of
# the same moment: boot the suite's current Debian kernel with 256 MiB of
# RAM in a file QEMU shares with the host, run guest-dumps.sh, and at each of its
# sync points stop the VM, take the dump over QMP, continue.
#
#   take-dumps.sh OUTDIR
#
# OUTDIR gets: elf-novmci.dump (dump-guest-memory ELF, no VMCOREINFO note:
# qemu_fw_cfg not loaded yet), elf-vmci.dump (with it: -device vmcoreinfo
# and the guest's qemu_fw_cfg loaded), kdump-zlib.flat (dump-guest-memory
# -z: QEMU 7.2 writes makedumpfile's flattened format), kdump-zlib.dump (the
# same reassembled: starts with "KDUMP   ", as libkdumpfile 0.5.1 wants), raw.img (a copy of the guest's RAM file, offset = physical address,
# taken while stopped), truth/NAME/{before,after}/ (the guest's /proc and
# procps records just before the stop and just after the cont),
# truth/utmp, truth/guest-info, console.log, qmp.log, tally (the guest's
# checks: "PASSED FAILED").
#
# Environment: KMEMSTAT_BUILDDIR (the build whose tools go into the guest;
# default ../../build), KMEMSTAT_VM_TIMEOUT (s, default 300),
# KMEMSTAT_VM_CACHE, KMEMSTAT_VM_KEEP=1 (keep the work dir),
# KMEMSTAT_DUMP_LIVE_HOOK (a command, run as HOOK RAMFILE DIR at the "live"
# sync point while the guest runs: DIR is OUTDIR/live, and DIR/utmp the
# guest's utmp, sent on ttyS2 before the first sync point: truth/ only
# comes when the guest is done).
# KMEMSTAT_DUMP_CPU (a QEMU -cpu model: "max" gives LA57, 5-level paging).
# KMEMSTAT_DUMP_GUEST (another guest script, with sync points of the same
# names) and KMEMSTAT_DUMP_FILES (the dumps it must bring back; default
# all five).
# Exit 0 when every dump and the truth came back and the guest's checks passed.
set -eu

[ $# -eq 1 ] || { echo "usage: $0 OUTDIR" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
KMEMSTAT_BUILDDIR=${KMEMSTAT_BUILDDIR:-$here/../../build}
. "$here/lib-host.sh"
mkdir -p "$1"
outdir=$(cd "$1" && pwd)
timeout=${KMEMSTAT_VM_TIMEOUT:-300}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/kmemstat-dumps.XXXXXX")
keep=${KMEMSTAT_VM_KEEP:-0}
trap '[ "$keep" = 1 ] || rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

# log TEXT: a diagnostic line for the test log, also kept in OUTDIR.
log() { echo "# $*"; echo "$*" >> "$outdir/take-dumps.log"; }

vmlinuz=$("$here/fetch-kernel.sh")
${CC:-cc} -O2 -Wall -o "$tmp/kdump-unflatten" "$here/kdump-unflatten.c"
vm_module "$vmlinuz" qemu_fw_cfg "$tmp/qemu_fw_cfg.ko"
staging=$(vm_stage "$tmp") || { keep=1; exit 1; }
"$here/mkinitramfs.sh" "$staging" "$tmp/initrd.cpio.gz" "${KMEMSTAT_DUMP_GUEST:-$here/guest-dumps.sh}" \
    "$KMEMSTAT_BUILDDIR/tests/vm/utmpadd=/usr/local/bin/utmpadd" \
    "$tmp/qemu_fw_cfg.ko=/qemu_fw_cfg.ko" > /dev/null

rm -rf "$outdir/truth" "$outdir/live" "$outdir"/*.dump "$outdir"/*.flat "$outdir/raw.img" \
    "$outdir/take-dumps.log" "$outdir/qmp.log" "$outdir/tally"
# QMP and the guest's ttyS2 on FIFO pairs (QEMU's pipe chardev reads
# NAME.in and writes NAME.out, opened read-write so nobody blocks in open).
mkfifo "$tmp/qmp.in" "$tmp/qmp.out" "$tmp/sync.in" "$tmp/sync.out"
exec 3<>"$tmp/qmp.in" 4<>"$tmp/qmp.out" 5<>"$tmp/sync.in" 6<>"$tmp/sync.out"

# line_in FD SECONDS: print one line read from FD, without \r; fail if none
# comes in time. sh's read takes a byte at a time: nothing after the line
# is consumed.
line_in() {
    timeout "$2" sh -c 'IFS= read -r l <&'"$1"' && printf "%s\n" "${l%"$(printf "\r")"}"'
}

# qmp JSON [SECONDS]: send one command, print its reply; fail on an error
# reply or none in time. Events that come first are logged and skipped.
qmp() {
    echo "-> $1" >> "$outdir/qmp.log"
    echo "$1" >&3
    while :; do
        _r=$(line_in 4 "${2:-30}") || { echo "$0: QMP: no reply to $1" >&2; return 1; }
        echo "<- $_r" >> "$outdir/qmp.log"
        case $_r in
            '{"return"'*) printf '%s\n' "$_r"; return 0 ;;
            '{"error"'*) echo "$0: QMP: $_r" >&2; return 1 ;;
        esac
    done
}

# now: seconds since the epoch, with hundredths, for the log.
now() { date +%s.%N | cut -c1-13; }

# stopped CMD...: stop the guest, run CMD, continue it; log how long.
stopped() {
    _t0=$(now)
    qmp '{"execute":"stop"}' > /dev/null || return 1
    _rc=0; "$@" || _rc=$?
    qmp '{"execute":"cont"}' > /dev/null || return 1
    log "$*: guest stopped $(echo "$(now) $_t0" | awk '{printf "%.2f", $1 - $2}') s"
    return "$_rc"
}

# dump FORMAT FILE: dump-guest-memory, physical addresses (no paging).
dump() {
    qmp '{"execute":"dump-guest-memory","arguments":{"paging":false,"format":"'"$1"'","protocol":"file:'"$2"'"}}' 300 > /dev/null
}

# at_sync NAME: what the host does at the guest's sync point NAME.
at_sync() {
    case $1 in
        elf-novmci|elf-vmci) stopped dump elf "$outdir/$1.dump" ;;
        kdump-zlib) stopped dump kdump-zlib "$outdir/$1.flat" ;;
        raw) stopped cp "$outdir/live.ram" "$outdir/raw.img" ;;
        live) mkdir -p "$outdir/live"
              [ -z "${KMEMSTAT_DUMP_LIVE_HOOK:-}" ] ||
                  $KMEMSTAT_DUMP_LIVE_HOOK "$outdir/live.ram" "$outdir/live" ;;
        *) echo "$0: unknown sync point '$1'" >&2; return 1 ;;
    esac
}

# drive: answer the guest's sync points until it says it is done.
drive() {
    line_in 4 60 >> "$outdir/qmp.log" || { echo "$0: no QMP greeting" >&2; return 1; }
    qmp '{"execute":"qmp_capabilities"}' > /dev/null || return 1
    while :; do
        _m=$(line_in 6 "$timeout") || { echo "$0: no word from the guest on ttyS2" >&2; return 1; }
        case $_m in
            KMEMSTAT-SYNC-DONE) return 0 ;;
            KMEMSTAT-BOOT-ENDED) echo "$0: QEMU exited before the guest's last sync point" >&2; return 1 ;;
            'KMEMSTAT-UTMP '*) mkdir -p "$outdir/live"
                printf '%s\n' "${_m#KMEMSTAT-UTMP }" | base64 -d > "$outdir/live/utmp" || return 1 ;;
            'KMEMSTAT-SYNC '*)
                at_sync "${_m#KMEMSTAT-SYNC }" || return 1
                echo "go ${_m#KMEMSTAT-SYNC }" >&5 ;;
            *) log "ttyS2: $_m" ;;
        esac
    done
}

log "booting $(basename "$vmlinuz") under QEMU TCG, -m 256, RAM in $outdir/live.ram"
( vm_boot_filtered "$tmp/initrd.cpio.gz" "$timeout" "$tmp/out" -- -m 256 \
    -object memory-backend-file,id=ram,size=256M,mem-path="$outdir/live.ram",share=on \
    -machine memory-backend=ram -device vmcoreinfo \
    -chardev pipe,id=qmp,path="$tmp/qmp" -mon chardev=qmp,mode=control \
    -chardev pipe,id=sync,path="$tmp/sync" -serial chardev:sync \
    ${KMEMSTAT_DUMP_CPU:+-cpu "$KMEMSTAT_DUMP_CPU"}
  echo "$vm_boot_rc" > "$tmp/boot.rc"
  # Wake drive() if the guest died before it was done: no waiting out the timeout.
  echo KMEMSTAT-BOOT-ENDED >&6 ) &
boot=$!
t0=$(now)
if ! drive; then
    keep=1
    qmp '{"execute":"quit"}' 5 > /dev/null 2>&1 || true
fi
wait "$boot" || true
log "guest ran $(echo "$(now) $t0" | awk '{printf "%.1f", $1 - $2}') s"
cp "$tmp/out/console.log" "$outdir/console.log"
rm -f "$outdir/live.ram"   # the powered-off guest's RAM: of no use
vm_tally "$tmp/out/console.log" "$(cat "$tmp/boot.rc" 2>/dev/null || echo 1)"
[ -d "$tmp/out/truth" ] && cp -R "$tmp/out/truth" "$outdir/truth"
[ ! -f "$outdir/kdump-zlib.flat" ] ||
    "$tmp/kdump-unflatten" "$outdir/kdump-zlib.flat" "$outdir/kdump-zlib.dump" ||
    rm -f "$outdir/kdump-zlib.dump"
missing=
for f in ${KMEMSTAT_DUMP_FILES:-elf-novmci.dump elf-vmci.dump kdump-zlib.flat kdump-zlib.dump raw.img} truth/utmp; do
    [ -s "$outdir/$f" ] || missing="$missing $f"
done
[ -z "$missing" ] || { echo "not ok take-dumps: missing$missing"; vm_fail=$((vm_fail + 1)); }
echo "$vm_pass $vm_fail" > "$outdir/tally"
echo "# take-dumps: guest $vm_pass passed, $vm_fail failed; in $outdir"
[ "$vm_fail" -eq 0 ] || { keep=1; echo "# work dir kept: $tmp"; exit 1; }
