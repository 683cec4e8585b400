# Shared by run-tests.sh and capture-fixtures.sh (sourced; POSIX sh).
# Needs $here (this directory) set by the caller.

# Where `make install` runs: the build tree, which differs from the source
# tree in a VPATH build (the check-vm rule passes KMEMSTAT_BUILDDIR).
KMEMSTAT_BUILDDIR=${KMEMSTAT_BUILDDIR:-$here/../..}

# vm_stage TMPDIR: print a staging dir holding the installed tools.
# KMEMSTAT_VM_STAGING names a ready one (e.g. stand-ins while testing the
# harness); otherwise install the build into TMPDIR/staging.
vm_stage() {
    if [ -n "${KMEMSTAT_VM_STAGING:-}" ]; then
        echo "$KMEMSTAT_VM_STAGING"
        return 0
    fi
    if ! make -C "$KMEMSTAT_BUILDDIR" install DESTDIR="$1/staging" > "$1/install.log" 2>&1; then
        tail -n 30 "$1/install.log" >&2
        echo "$0: make install DESTDIR=$1/staging failed (log: $1/install.log)" >&2
        return 1
    fi
    [ -d "$1/staging/usr/local/bin" ] ||
        echo "$0: warning: nothing in $1/staging/usr/local/bin (configured with another --prefix?)" >&2
    echo "$1/staging"
}

# Keep only the lines a test log wants. A read loop, not awk: mawk reads
# its input in blocks, which would hold everything back until power-off.
vm_console_filter() {
    _cr=$(printf '\r')
    while IFS= read -r _line; do
        _line=${_line%"$_cr"}
        case $_line in
            'ok '*|'not ok '*|'# '*|'RESULT '*|'boot.sh: '*|\[*'] Kernel panic'*|\[*'] BUG'*|\[*'] WARNING'*)
                printf '%s\n' "$_line" ;;
        esac
    done
}

# vm_boot_filtered INITRD TIMEOUT OUTDIR [-- QEMU ARGS]: boot, showing only
# check lines, diagnostics and boot.sh's own messages as they come. The
# console is kept whole in OUTDIR/console.log. Sets vm_boot_rc.
vm_boot_filtered() {
    _i=$1 _t=$2 _o=$3; shift 3
    # The status goes through a file: a pipeline only reports its last command.
    { _rc=0; "$here/boot.sh" -i "$_i" -t "$_t" -o "$_o" "$@" 2>&1 || _rc=$?; echo "$_rc" > "$_o.rc"; } |
        vm_console_filter
    # shellcheck disable=SC2034 # read by the caller
    vm_boot_rc=$(cat "$_o.rc" 2>/dev/null || echo 1)
    rm -f "$_o.rc"
}

# vm_tally CONSOLE_LOG BOOT_RC: count check lines; a guest that did not
# reach RESULT, lost lines, or a failed boot counts as one more failure.
# Sets vm_pass and vm_fail; prints the reasons for synthetic failures.
vm_tally() {
    _log=$(tr -d '\r' < "$1")
    vm_pass=$(printf '%s\n' "$_log" | grep -c '^ok ' || true)
    vm_fail=$(printf '%s\n' "$_log" | grep -c '^not ok ' || true)
    _res=$(printf '%s\n' "$_log" | sed -n 's/^RESULT \([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' | tail -n1)
    if [ -z "$_res" ]; then
        echo "not ok vm-result: guest did not reach RESULT (boot.sh exit $2: timeout, crash or panic)"
        vm_fail=$((vm_fail + 1))
    elif [ "$_res" != "$vm_pass $vm_fail" ]; then
        echo "not ok vm-console: guest says '$_res' passed/failed, console shows '$vm_pass $vm_fail' (lines lost?)"
        vm_fail=$((vm_fail + 1))
    elif [ "$2" -ne 0 ]; then
        echo "not ok vm-boot: boot.sh exit $2"
        vm_fail=$((vm_fail + 1))
    elif [ "$vm_pass" -eq 0 ] && [ "$vm_fail" -eq 0 ]; then
        echo "not ok vm-empty: the guest ran no checks"
        vm_fail=1
    fi
}

# vm_module VMLINUZ NAME DEST: module NAME of the kernel fetch-kernel.sh
# unpacked (ROOT/modules), uncompressed to DEST: Debian ships .ko up to 6.1
# and .ko.xz from 6.12.  Only for modules without dependencies.
vm_module() {
    _m=$(find "$(dirname "$(dirname "$1")")/modules/kernel/" -name "$2.ko*" | head -n1)
    case $_m in
        *.ko) cp "$_m" "$3" ;;
        *.ko.xz) xz -dc "$_m" > "$3" ;;
        *.ko.zst) zstd -qdc "$_m" > "$3" ;;
        *) echo "$0: no module $2 for $1" >&2; return 1 ;;
    esac
}
