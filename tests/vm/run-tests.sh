#!/bin/sh
# Real-kernel tests (make check-vm): install the build into a staging dir,
# pack it with guest-tests.sh into an initramfs, boot the current Debian
# kernel under QEMU TCG and report the guest's checks.
# Ends with "N passed, M failed"; exit 1 on any failure, timeout or crash.
#
# Environment: KMEMSTAT_BUILDDIR (where to make install), KMEMSTAT_VM_STAGING
# (use this staging dir instead), KMEMSTAT_VM_GUEST (another guest script),
# KMEMSTAT_VM_TIMEOUT (s, default 180),
# KMEMSTAT_VM_KEEP=1 (keep the work dir), KMEMSTAT_VM_CACHE (kernel cache).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib-host.sh"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/kmemstat-vm.XXXXXX")
keep=${KMEMSTAT_VM_KEEP:-0}
trap '[ "$keep" = 1 ] || rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

vmlinuz=$("$here/fetch-kernel.sh")
staging=$(vm_stage "$tmp") || { keep=1; exit 1; }
# Test equipment built beside the tools (noinst_PROGRAMS), if present.
extras=
for prog in utmpadd; do
    f=$KMEMSTAT_BUILDDIR/tests/vm/$prog
    [ -x "$f" ] && extras="$extras $f=/usr/local/bin/$prog"
done
# shellcheck disable=SC2086
"$here/mkinitramfs.sh" "$staging" "$tmp/initrd.cpio.gz" "${KMEMSTAT_VM_GUEST:-$here/guest-tests.sh}" $extras > /dev/null

echo "# booting $(basename "$vmlinuz") under QEMU TCG"
vm_boot_filtered "$tmp/initrd.cpio.gz" "${KMEMSTAT_VM_TIMEOUT:-180}" "$tmp/out"
vm_tally "$tmp/out/console.log" "$vm_boot_rc"

if [ "$vm_fail" -ne 0 ]; then
    keep=1
    echo "# console log: $tmp/out/console.log; last lines:"
    tr -d '\r' < "$tmp/out/console.log" | tail -n 15 | sed 's/^/#   /'
fi
echo "$vm_pass passed, $vm_fail failed"
[ "$vm_fail" -eq 0 ]
