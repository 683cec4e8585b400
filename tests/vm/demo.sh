#!/bin/sh
# `make demo`: boot the QEMU guest with kmod/kmem's /dev/kmem module
# loaded and the tools installed, and give the console to an interactive
# shell (tests/vm/guest-demo.sh), for a class. Builds what kmem-run.sh
# builds. Leave with `poweroff -f` in the guest (or Ctrl-A x).
#
# QEMU is started here, not through boot.sh: boot.sh runs QEMU under
# timeout with stdin from /dev/null, which a test wants and a demo can't
# use. The arguments are boot.sh's, with the console multiplexed on stdio
# (mux=on for Ctrl-A x; signal=off so Ctrl-C reaches the guest).
#
# Environment: KMEMSTAT_BUILDDIR (configured build tree; default
# ../../build), KMEMSTAT_VM_BIOS (as in boot.sh).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
KMEMSTAT_BUILDDIR=${KMEMSTAT_BUILDDIR:-$here/../../build}
. "$here/lib-host.sh"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/kmemstat-demo.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

echo "demo: building the tools and the module (logs in $tmp while it runs)" >&2
kdir=$("$here/kmem-fetch-headers.sh")
# The module builds in a copy of kmod/kmem: the tree stays clean.
mkdir -p "$tmp/kmod"
cp "$here/../../kmod/kmem/kmem.c" "$here/../../kmod/kmem/Kbuild" \
   "$here/../../kmod/kmem/Makefile" "$tmp/kmod/"
if ! make -C "$tmp/kmod" KDIR="$kdir" > "$tmp/kmod.log" 2>&1; then
    tail -n 30 "$tmp/kmod.log"; echo "demo: module build failed" >&2; exit 1
fi
make -C "$KMEMSTAT_BUILDDIR" > "$tmp/make.log" 2>&1 || { tail -n 20 "$tmp/make.log"; exit 1; }
staging=$(vm_stage "$tmp")
"$here/mkinitramfs.sh" "$staging" "$tmp/initrd.cpio.gz" "$here/guest-demo.sh" \
    "$tmp/kmod/kmem.ko=/kmem.ko" > /dev/null

vmlinuz=$("$here/fetch-kernel.sh")
bios=${KMEMSTAT_VM_BIOS-/usr/share/qemu/qboot.rom}
if [ -n "$bios" ] && [ -f "$bios" ]; then
    set -- -bios "$bios"
else
    set --
fi
echo "demo: booting (TCG, a few seconds); Ctrl-A x quits QEMU" >&2
# No exec: the EXIT trap removes $tmp after QEMU ends.
qemu-system-x86_64 -accel tcg -m 512 -smp 2 \
    -nographic -monitor none -nic none \
    -chardev stdio,id=con0,mux=on,signal=off \
    -serial chardev:con0 \
    -no-reboot -kernel "$vmlinuz" -initrd "$tmp/initrd.cpio.gz" \
    -append 'console=ttyS0 panic=-1 quiet' "$@"
