#!/bin/sh
# The task-list checks in the QEMU guest: builds ktaskdump (against the
# library's internals, libsymcore.a, for its page-table checks) and
# ktasks-zoo, stages them beside `make install`, and boots the guest with
# guest-ktasks.sh, once with QEMU's default CPU (4-level paging) and once
# with -cpu max and 2.5 GiB (LA57: 5-level paging; pdpe1gb: 1 GiB pages
# in the direct map).
#
#   ktasks-run.sh [default|max]...      (both when none is given)
#
# Environment: KMEMSTAT_BUILDDIR (the configured build tree; default
# ../../build), KMEMSTAT_VM_TIMEOUT (s, default 900: the -cpu max guest needed 225 s on a loaded machine), KMEMSTAT_VM_KEEP=1,
# KMEMSTAT_VM_BENCH=1 (also time the walk at 1,000 and 4,000 processes).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
KMEMSTAT_BUILDDIR=${KMEMSTAT_BUILDDIR:-$here/../../build}
. "$here/lib-host.sh"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/kmemstat-ktasks.XXXXXX")
keep=${KMEMSTAT_VM_KEEP:-0}
trap '[ "$keep" = 1 ] || rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

make -C "$KMEMSTAT_BUILDDIR" > "$tmp/make.log" 2>&1 || { tail -n 20 "$tmp/make.log"; exit 1; }
staging=$(vm_stage "$tmp") || { keep=1; exit 1; }
bld=$(cd "$KMEMSTAT_BUILDDIR" && pwd)
# The libraries libsymcore needs, as configure found them (libtool's .la).
libs=$(sed -n "s/^dependency_libs='\(.*\)'$/\1/p" "$bld/libsym/libsymcore.la")
# shellcheck disable=SC2086 # a list of -l flags
${CC:-cc} -O2 -Wall -I"$here/../../libsym" -I"$bld" -o "$staging/usr/local/bin/ktaskdump" \
    "$here/ktaskdump.c" "$bld/libsym/.libs/libsymcore.a" $libs
${CC:-cc} -O2 -Wall -pthread -o "$staging/usr/local/bin/ktasks-zoo" "$here/ktasks-zoo.c"
bench=
if [ "${KMEMSTAT_VM_BENCH:-0}" = 1 ]; then
    : > "$tmp/bench-enabled"
    bench="$tmp/bench-enabled=/bench-enabled"
fi
# shellcheck disable=SC2086
"$here/mkinitramfs.sh" "$staging" "$tmp/initrd.cpio.gz" "$here/guest-ktasks.sh" $bench > /dev/null

[ $# -gt 0 ] || set -- default max
total_fail=0 total_pass=0
for cpu in "$@"; do
    echo "# booting with -cpu $cpu"
    mkdir -p "$tmp/out-$cpu"
    if [ "$cpu" = default ]; then
        { _rc=0; "$here/boot.sh" -i "$tmp/initrd.cpio.gz" -t "${KMEMSTAT_VM_TIMEOUT:-900}" -o "$tmp/out-$cpu" 2>&1 || _rc=$?; echo "$_rc" > "$tmp/rc"; } | vm_console_filter
    else
        { _rc=0; "$here/boot.sh" -i "$tmp/initrd.cpio.gz" -t "${KMEMSTAT_VM_TIMEOUT:-900}" -o "$tmp/out-$cpu" -- -cpu "$cpu" -m 2560 2>&1 || _rc=$?; echo "$_rc" > "$tmp/rc"; } | vm_console_filter
    fi
    vm_tally "$tmp/out-$cpu/console.log" "$(cat "$tmp/rc")"
    echo "# -cpu $cpu: $vm_pass passed, $vm_fail failed"
    total_fail=$((total_fail + vm_fail)); total_pass=$((total_pass + vm_pass))
done
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ] || keep=1
[ "$keep" = 1 ] && echo "# logs kept in $tmp"
[ "$total_fail" -eq 0 ]
