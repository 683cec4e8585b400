# Shared by the host sides of the QEMU tests (sourced; POSIX sh).
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

# --- the tools on the host over a guest's dumps (dump-run.sh, matrix-run.sh) ---
# Checks print "ok N - NAME" or "not ok N - NAME: why" (NAME after
# $tap_prefix) and count in n, pass and fail; $tmp is the caller's work
# dir, $D the dumps' and $T their truth's.
tap_ok() { n=$((n + 1)); pass=$((pass + 1)); echo "ok $n - ${tap_prefix:-}$1"; }
tap_not_ok() { n=$((n + 1)); fail=$((fail + 1)); echo "not ok $n - ${tap_prefix:-}$1: $2"; }
# tap CMD NAME [WHY]: ok if CMD (a word list) succeeds.
tap() { if $1; then tap_ok "$2"; else tap_not_ok "$2" "${3:-$1 failed}"; fi; }

# take_dumps_tap DIR [VAR=VALUE...]: take-dumps.sh DIR with VARs in its
# environment, its check lines numbered on the way through (the rest of
# its output shown as it is), its guest's tally added to pass and fail.
take_dumps_tap() {
    _d=$1; shift
    env "$@" "$here/take-dumps.sh" "$_d" 2>&1 | {
        while IFS= read -r line; do
            case $line in
                'ok '*) n=$((n + 1)); echo "ok $n - ${tap_prefix:-}${line#ok }" ;;
                'not ok '*) n=$((n + 1)); echo "not ok $n - ${tap_prefix:-}${line#not ok }" ;;
                *) printf '%s\n' "$line" ;;
            esac
        done
        echo "$n" > "$tmp/n"
    }
    n=$(cat "$tmp/n" 2>/dev/null || echo "$n")
    if [ -s "$_d/tally" ]; then
        read -r _p _f < "$_d/tally"
        pass=$((pass + _p)) fail=$((fail + _f))
    else tap_not_ok take-dumps "no tally: take-dumps.sh did not finish"; fi
}

# ours TOOL ARGS...: the build's TOOL, with the guest's time zone, and no
# controlling terminal (procps ps in the guest had none: its default
# selection is by terminal).
ours() {
    _t=$1; shift
    TZ=UTC setsid -w "$KMEMSTAT_BUILDDIR/cmd/$_t" "$@" < /dev/null
}

# has_vmcoreinfo FILE: an ELF core with a VMCOREINFO note.
has_vmcoreinfo() { readelf -n "$1" 2>/dev/null | grep -q '^ *VMCOREINFO '; }

# first_line FILE: ": first line" of FILE, or nothing.
first_line() { _l=$(head -n1 "$1" 2>/dev/null); [ -z "$_l" ] || printf ': %s' "$_l"; }

# same_as OURS_OUT OURS_RC OURS_ERR NAME DIR FILE: ours exited 0 and printed
# DIR/before/FILE or DIR/after/FILE. ACCEPT, if set, names a comparison
# with a stated tolerance, run as ACCEPT OURS BEFORE AFTER (files): it
# succeeds, or prints its tolerance on one line and then what is wrong.
same_as() {
    if [ "$2" -ne 0 ]; then tap_not_ok "$4" "exit $2$(first_line "$3")"; return; fi
    for _w in before after; do
        [ "$1" = "$(cat "$5/$_w/$6")" ] && { tap_ok "$4"; return; }
    done
    if [ -z "${ACCEPT:-}" ]; then
        tap_not_ok "$4" "differs from the guest's $6 before and after"
        printf '%s\n' "$1" | diff "$5/before/$6" - | head -n 8 | sed 's/^/#   /'
        return
    fi
    printf '%s\n' "$1" > "$tmp/ours"
    _why=$($ACCEPT "$tmp/ours" "$5/before/$6" "$5/after/$6") && { tap_ok "$4"; return; }
    tap_not_ok "$4" "not the guest's $6 before or after, even $(printf '%s\n' "$_why" | head -n1)"
    printf '%s\n' "$_why" | sed -n '2,9s/^/#   /p'
}

# check_dump NAME DUMP FILE TOOL ARGS...: ours TOOL -M DUMP ARGS against FILE.
check_dump() {
    _n=$1 _dump=$2 _f=$3 _t=$4; shift 4
    _rc=0; _out=$(ours "$_t" -M "$D/$_dump" "$@" 2> "$tmp/err") || _rc=$?
    same_as "$_out" "$_rc" "$tmp/err" "$_n" "$T/${_dump%.*}" "$_f"
}
