#!/bin/sh
# The kernel matrix (make check-vm): each kernel of KMEMSTAT_VM_MATRIX
# (SUITE[:FLAVOUR]; default "bullseye trixie forky bookworm:rt-amd64",
# i.e. 5.10, 6.12, 7.2 and 6.1 with PREEMPT_RT), the suite's current one
# as fetch-kernel.sh resolves it now, booted once (take-dumps.sh with
# guest-matrix.sh): kuptime, kloadavg, kps and kw through /proc/kcore
# against procps on a zoo of processes, then a QEMU dump with VMCOREINFO
# read here by kuptime, kps -ef and kw with -M and no namelist, against
# the guest's truth just before and after.  Prints "ok N - KERNEL NAME" /
# "not ok N - KERNEL NAME: why", each kernel's time, and ends with
# "N passed, M failed"; exit 1 on any failure.
#
# Environment: KMEMSTAT_BUILDDIR (the configured build tree; default
# ../../build), KMEMSTAT_VM_MATRIX, KMEMSTAT_VM_TIMEOUT (s per guest),
# KMEMSTAT_VM_KEEP=1, KMEMSTAT_VM_CACHE.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
KMEMSTAT_BUILDDIR=${KMEMSTAT_BUILDDIR:-$here/../../build}
KMEMSTAT_BUILDDIR=$(cd "$KMEMSTAT_BUILDDIR" && pwd)
export KMEMSTAT_BUILDDIR
. "$here/lib-host.sh"
. "$here/../lib-truth.sh"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/kmemstat-matrix.XXXXXX")
keep=${KMEMSTAT_VM_KEEP:-0}
trap '[ "$keep" = 1 ] || rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
n=0 pass=0 fail=0

make -C "$KMEMSTAT_BUILDDIR" > "$tmp/make.log" 2>&1 || { tail -n 20 "$tmp/make.log"; exit 1; }
# One staging dir for every kernel: the tools, and the zoo's odd shapes.
staging=$(vm_stage "$tmp") || { keep=1; exit 1; }
${CC:-cc} -O2 -Wall -pthread -o "$staging/usr/local/bin/ktasks-zoo" "$here/ktasks-zoo.c"
export KMEMSTAT_VM_STAGING="$staging"
# The tools here read the dumps alone: not the machine's symbol cache.
export KMEMSTAT_CACHE="$tmp/cache"

# check_dump_tools: the tools on the kernel's dump, no namelist, no BTF
# file (a dump's users come from the utmp named, as dump-run.sh's do).
check_dump_tools() {
    tap "has_vmcoreinfo $D/elf-vmci.dump" dump-vmcoreinfo "no VMCOREINFO note in $D/elf-vmci.dump"
    stable=$(stable_pids "$T/guest-info" "$T/elf-vmci/before/ps-ef.out" 2>/dev/null)
    recorder=$(recorder_pid "$T/elf-vmci/before/ps-ef.out.raw" 2>/dev/null)
    ACCEPT=clock_between
    check_dump kuptime-M elf-vmci.dump uptime.out kuptime --utmp "$T/utmp"
    check_dump kw-M elf-vmci.dump w.out kw --utmp "$T/utmp"
    ACCEPT=ps_between
    check_dump kps-ef-M elf-vmci.dump ps-ef.out kps -ef
    ACCEPT=
}

for spec in ${KMEMSTAT_VM_MATRIX:-bullseye trixie forky bookworm:rt-amd64}; do
    suite=${spec%%:*} flavour=cloud-amd64
    case $spec in *:*) flavour=${spec#*:} ;; esac
    tap_prefix="$suite:$flavour "
    if ! kernel=$("$here/fetch-kernel.sh" -s "$suite" -f "$flavour" -i 2> "$tmp/fetch.err"); then
        tap_not_ok kernel "fetch-kernel.sh$(first_line "$tmp/fetch.err")"
        continue
    fi
    # "SUITE FLAVOUR PACKAGE VERSION RELEASE VMLINUZ"
    echo "# $suite:$flavour: kernel $(echo "$kernel" | cut -d' ' -f3,4)"
    D=$tmp/$suite-$flavour T=$tmp/$suite-$flavour/truth
    start=$(date +%s)
    take_dumps_tap "$D" KMEMSTAT_VM_SUITE="$suite" KMEMSTAT_VM_FLAVOUR="$flavour" \
        KMEMSTAT_DUMP_GUEST="$here/guest-matrix.sh" KMEMSTAT_DUMP_FILES=elf-vmci.dump \
        KMEMSTAT_VM_TIMEOUT="${KMEMSTAT_VM_TIMEOUT:-480}" KMEMSTAT_VM_KEEP="$keep"
    check_dump_tools
    echo "# $suite:$flavour: $(($(date +%s) - start)) s"
    # 256 MiB a kernel: keep the truth, the dump only if asked.
    [ "$keep" = 1 ] || rm -f "$D/elf-vmci.dump"
done

tap_prefix=
[ "$fail" -eq 0 ] || { keep=1; echo "# truth and logs kept in $tmp"; }
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
