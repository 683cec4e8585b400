#!/bin/sh
# The tools on physical dumps of the real kernel (make check-vm): take the
# dumps with take-dumps.sh into a temp dir, then run the build's kuptime,
# kloadavg, kps and kw on the HOST with -M DUMP and no other file, and
# compare each with the guest's procps and /proc records taken just before
# the stop or just after the cont (ours must equal one of the two, but for
# what moves while the guest takes them: see same_as's ACCEPTs). The
# guest's RAM file is also read while the guest runs (the "live" sync
# point, through the hook below). Prints "ok N - NAME" / "not ok N - NAME:
# why" and ends with "N passed, M failed"; exit 1 on any failure.
#
# Environment: KMEMSTAT_BUILDDIR (the configured build tree; default
# ../../build), KMEMSTAT_VM_TIMEOUT, KMEMSTAT_VM_KEEP=1, KMEMSTAT_VM_CACHE.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
KMEMSTAT_BUILDDIR=${KMEMSTAT_BUILDDIR:-$here/../../build}
KMEMSTAT_BUILDDIR=$(cd "$KMEMSTAT_BUILDDIR" && pwd)
export KMEMSTAT_BUILDDIR
. "$here/lib-host.sh"

# live_run TOOL FILE DIR ARGS...: ours, with stdout, stderr and status in DIR/FILE.*.
live_run() {
    _t=$1 _f=$2 _d=$3; shift 3
    _rc=0; ours "$_t" "$@" > "$_d/$_f.out" 2> "$_d/$_f.err" || _rc=$?
    echo "$_rc" > "$_d/$_f.rc"
}

# --live-hook RAMFILE DIR: called by take-dumps.sh while the guest runs,
# between its two truth records. The clock first: it moves.
if [ "${1:-}" = --live-hook ]; then
    live_run kuptime uptime "$3" -M "$2" --utmp "$3/utmp"
    live_run kloadavg loadavg "$3" -M "$2"
    live_run kps ps-e "$3" -M "$2" -e
    exit 0
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/kmemstat-dumprun.XXXXXX")
keep=${KMEMSTAT_VM_KEEP:-0}
trap '[ "$keep" = 1 ] || rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
D=$tmp/dumps
T=$D/truth

. "$here/../lib-truth.sh"
n=0 pass=0 fail=0

# --- the guest and the dumps ---------------------------------------------------
make -C "$KMEMSTAT_BUILDDIR" > "$tmp/make.log" 2>&1 || { tail -n 20 "$tmp/make.log"; exit 1; }
start=$(date +%s)
take_dumps_tap "$D" KMEMSTAT_DUMP_LIVE_HOOK="$here/dump-run.sh --live-hook" KMEMSTAT_VM_KEEP="$keep"
echo "# guest and dumps: $(($(date +%s) - start)) s"

# --- are the test inputs what they claim? -------------------------------------
# elf_physical FILE: an ELF core whose PT_LOADs all have p_vaddr == p_paddr
# and lie in the file (QEMU 7.2 puts a .shstrtab after the last one).
elf_physical() {
    readelf -lW "$1" 2>/dev/null | awk '$1 == "LOAD" { print $2, $3, $4, $5 }' > "$tmp/loads"
    _loads=0
    while read -r _off _va _pa _fsz; do
        [ "$_va" = "$_pa" ] || return 1
        _loads=$((_loads + 1))
        [ $((_off + _fsz)) -le "$(wc -c < "$1")" ] || return 1
    done < "$tmp/loads"
    [ "$_loads" -ge 2 ]
}
no_vmcoreinfo() { ! has_vmcoreinfo "$1"; }
starts_with() { [ "$(head -c "${#2}" "$1")" = "$2" ]; }
is_256m() { [ "$(wc -c < "$1")" -eq 268435456 ]; }

# truth_complete NAME: every record before and after, the process table
# holding the stable processes.
truth_complete() {
    for _w in before after; do
        for _f in loadavg uptime date uptime.out uptime-p.out uptime-s.out w.out \
            kallsyms ps.out ps-e.out ps-ef.out ps-el.out ps-aux.out; do
            [ -s "$T/$1/$_w/$_f" ] || { echo "no $1/$_w/$_f"; return 1; }
        done
        # sleep 1001..1004, and 1004's shell
        [ "$(grep -c 'sleep 100[1-4]' "$T/$1/$_w/ps-ef.out")" -eq 5 ] ||
            { echo "$1/$_w/ps-ef.out lacks the sleeps"; return 1; }
        [ "$(grep -c '^root  *tty[12] ' "$T/$1/$_w/w.out")" -eq 2 ] ||
            { echo "$1/$_w/w.out lacks the sessions"; return 1; }
    done
}

tap "elf_physical $D/elf-novmci.dump" dump-elf-novmci-physical "PT_LOADs not physical or file size wrong"
tap "no_vmcoreinfo $D/elf-novmci.dump" dump-elf-novmci-no-vmcoreinfo
tap "elf_physical $D/elf-vmci.dump" dump-elf-vmci-physical "PT_LOADs not physical or file size wrong"
tap "has_vmcoreinfo $D/elf-vmci.dump" dump-elf-vmci-vmcoreinfo "no VMCOREINFO note"
tap "starts_with $D/kdump-zlib.flat makedumpfile" dump-kdump-flat "QEMU's -z output is not flattened"
tap "starts_with $D/kdump-zlib.dump KDUMP" dump-kdump-header "does not start with KDUMP"
tap "is_256m $D/raw.img" dump-raw-size "not 256 MiB"
for s in elf-novmci elf-vmci kdump-zlib raw live; do
    if why=$(truth_complete "$s"); then tap_ok "truth-$s"; else tap_not_ok "truth-$s" "$why"; fi
done

# --- the tools on each dump against the truth ----------------------------------
# check_tools DUMP [SUFFIX]: every tool on DUMP against its truth.
check_tools() {
    set -- "$1" "${2:-}"
    s=${1%.*}
    stable=$(stable_pids "$T/guest-info" "$T/$s/before/ps-ef.out")
    recorder=$(recorder_pid "$T/$s/before/ps-ef.out.raw")
    ACCEPT=clock_between
    check_dump "kuptime-$s$2" "$1" uptime.out kuptime --utmp "$T/utmp"
    check_dump "kw-$s$2" "$1" w.out kw --utmp "$T/utmp"
    ACCEPT=
    check_dump "kuptime-p-$s$2" "$1" uptime-p.out kuptime -p
    check_dump "kuptime-s-$s$2" "$1" uptime-s.out kuptime -s
    ACCEPT=loadavg_reader
    check_dump "kloadavg-$s$2" "$1" loadavg kloadavg
    ACCEPT=ps_between
    check_dump "kps-$s$2" "$1" ps.out kps
    check_dump "kps-e-$s$2" "$1" ps-e.out kps -e
    check_dump "kps-ef-$s$2" "$1" ps-ef.out kps -ef
    check_dump "kps-el-$s$2" "$1" ps-el.out kps -el
    check_dump "kps-aux-$s$2" "$1" ps-aux.out kps aux
    ACCEPT=
}
for dump in elf-novmci.dump elf-vmci.dump kdump-zlib.dump raw.img; do
    check_tools "$dump"
done
# The raw image again through mmap(2) windows instead of pread(2).
stable=$(stable_pids "$T/guest-info" "$T/raw/before/ps-ef.out")
recorder=$(recorder_pid "$T/raw/before/ps-ef.out.raw")
ACCEPT=ps_between
check_dump kps-ef-raw-mmap raw.img ps-ef.out kps --mmap -ef
ACCEPT=

# The running guest's RAM, read by the hook between two truth records.
# check_live NAME FILE: the hook's FILE.out/.rc/.err against the truth.
check_live() {
    if [ ! -f "$D/live/$2.rc" ]; then tap_not_ok "$1" "the live hook did not run"; return; fi
    same_as "$(cat "$D/live/$2.out")" "$(cat "$D/live/$2.rc")" "$D/live/$2.err" "$1" "$T/live" "$3"
}
tap "cmp -s $D/live/utmp $T/utmp" live-utmp "the utmp sent on ttyS2 is not truth/utmp"
ACCEPT=clock_between
check_live kuptime-live uptime uptime.out
ACCEPT=loadavg_reader
check_live kloadavg-live loadavg loadavg
stable=$(stable_pids "$T/guest-info" "$T/live/before/ps-ef.out")
recorder=$(recorder_pid "$T/live/before/ps-ef.out.raw")
ACCEPT=ps_between
check_live kps-e-live ps-e ps-e.out
ACCEPT=

# --- 5-level paging: the same guest on -cpu max (LA57) -------------------------
# The page walks (vmalloc'd stacks for WCHAN, user memory for the
# arguments) then have five levels.  Its VMCOREINFO must say so, or this
# part tests nothing.
D4=$D T4=$T D=$tmp/dumps5 T=$tmp/dumps5/truth
echo "# booting again with -cpu max (LA57)"
if KMEMSTAT_DUMP_CPU=max "$here/take-dumps.sh" "$D" > "$tmp/take5.log" 2>&1; then
    tap_ok take-dumps-la57
else
    tap_not_ok take-dumps-la57 "$(grep -e '^not ok' -e "$0" "$tmp/take5.log" | head -n 3 | tr '\n' ' ')"
fi
# A kernel built without CONFIG_X86_5LEVEL (bullseye's 5.10) pages with
# four levels on any CPU: then there is no fifth level to check.
vmlinuz=$("$here/fetch-kernel.sh")
config=${vmlinuz%/*}/config-${vmlinuz##*/vmlinuz-}
if grep -q '^CONFIG_X86_5LEVEL=y' "$config"; then
    tap "grep -aq NUMBER(pgtable_l5_enabled)=1 $D/elf-vmci.dump" dump-la57-five-levels \
        "the -cpu max dump's VMCOREINFO does not say pgtable_l5_enabled=1"
else
    echo "# dump-la57-five-levels not checked: $config has no CONFIG_X86_5LEVEL=y"
fi
check_tools elf-vmci.dump -la57
check_tools raw.img -la57
D=$D4 T=$T4

# On failure keep the truth and the logs; the dumps (~800 MB) only if asked.
if [ "$fail" -ne 0 ] && [ "$keep" != 1 ]; then
    keep=1
    rm -f "$D"/*.dump "$D"/*.flat "$D/raw.img" "$tmp"/dumps5/*.dump \
        "$tmp"/dumps5/*.flat "$tmp/dumps5/raw.img"
    echo "# truth and logs kept in $D (KMEMSTAT_VM_KEEP=1 keeps the dumps too)"
elif [ "$keep" = 1 ]; then
    echo "# dumps and truth kept in $D"
fi
echo "# dump-run: $(($(date +%s) - start)) s"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
