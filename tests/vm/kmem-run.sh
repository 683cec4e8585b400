#!/bin/sh
# /dev/kmem in the QEMU guest: build kmod/kmem's teaching module against
# the guest kernel's headers (kmem-fetch-headers.sh), build kmem-hostile,
# stage both beside `make install`, boot with guest-kmem.sh.
# Ends with "N passed, M failed"; exit 1 on any failure, timeout or crash.
#
# Environment: KMEMSTAT_BUILDDIR (configured build tree; default
# ../../build), KMEMSTAT_VM_TIMEOUT (s, default 300), KMEMSTAT_VM_KEEP=1.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
KMEMSTAT_BUILDDIR=${KMEMSTAT_BUILDDIR:-$here/../../build}
. "$here/lib-host.sh"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/kmemstat-kmem.XXXXXX")
keep=${KMEMSTAT_VM_KEEP:-0}
trap '[ "$keep" = 1 ] || rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

kdir=$("$here/kmem-fetch-headers.sh")
# The module builds in a copy of its sources: the tree stays clean.
cp "$here/../../kmod/kmem/kmem.c" "$here/../../kmod/kmem/Kbuild" "$tmp/"
mkdir -p "$tmp/kmod" && mv "$tmp/kmem.c" "$tmp/Kbuild" "$tmp/kmod/"
if ! make -C "$kdir" M="$tmp/kmod" CC=gcc-12 modules > "$tmp/kmod.log" 2>&1; then
    tail -n 30 "$tmp/kmod.log"; echo "kmem-run: module build failed" >&2; exit 1
fi
if grep -E 'warning:' "$tmp/kmod.log"; then echo "kmem-run: the module build warns" >&2; exit 1; fi

make -C "$KMEMSTAT_BUILDDIR" > "$tmp/make.log" 2>&1 || { tail -n 20 "$tmp/make.log"; exit 1; }
staging=$(vm_stage "$tmp") || { keep=1; exit 1; }
${CC:-cc} -O2 -Wall -static -o "$tmp/kmem-hostile" "$here/kmem-hostile.c"

"$here/mkinitramfs.sh" "$staging" "$tmp/initrd.cpio.gz" "$here/guest-kmem.sh" \
    "$tmp/kmod/kmem.ko=/kmem.ko" "$tmp/kmem-hostile=/usr/local/bin/kmem-hostile" > /dev/null

"$here/mkinitramfs.sh" "$staging" "$tmp/initrd-lockdown.cpio.gz" "$here/kmem-guest-lockdown.sh" \
    "$tmp/kmod/kmem.ko=/kmem.ko" > /dev/null

total_pass=0 total_fail=0
# boot NAME INITRD [qemu args]: boot, tally, add to the totals.
boot() {
    _n=$1 _i=$2; shift 2
    mkdir -p "$tmp/out-$_n"
    { _rc=0; "$here/boot.sh" -i "$_i" -t "${KMEMSTAT_VM_TIMEOUT:-300}" -o "$tmp/out-$_n" "$@" 2>&1 || _rc=$?; echo "$_rc" > "$tmp/rc"; } |
        vm_console_filter
    vm_tally "$tmp/out-$_n/console.log" "$(cat "$tmp/rc")"
    if [ "$vm_fail" -ne 0 ]; then
        keep=1
        echo "# console log: $tmp/out-$_n/console.log; last lines:"
        tr -d '\r' < "$tmp/out-$_n/console.log" | tail -n 15 | sed 's/^/#   /'
    fi
    echo "# $_n: $vm_pass passed, $vm_fail failed"
    total_pass=$((total_pass + vm_pass)) total_fail=$((total_fail + vm_fail))
}
echo "# booting with kmod/kmem loaded in the guest"
boot kmem "$tmp/initrd.cpio.gz"
# QEMU takes the last -append: the same command line plus lockdown.
echo "# booting with lockdown=integrity: the module must not load"
boot lockdown "$tmp/initrd-lockdown.cpio.gz" -- -append 'console=ttyS0 panic=-1 quiet lockdown=integrity'
echo "$total_pass passed, $total_fail failed"
[ "$keep" = 1 ] && echo "# logs kept in $tmp"
[ "$total_fail" -eq 0 ]
