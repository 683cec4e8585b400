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

# ours TOOL ARGS...: the build's TOOL, with the guest's time zone, and no
# controlling terminal (procps ps in the guest had none: its default
# selection is by terminal).
ours() {
    _t=$1; shift
    TZ=UTC setsid -w "$KMEMSTAT_BUILDDIR/cmd/$_t" "$@" < /dev/null
}

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

n=0 pass=0 fail=0
tap_ok() { n=$((n + 1)); pass=$((pass + 1)); echo "ok $n - $1"; }
tap_not_ok() { n=$((n + 1)); fail=$((fail + 1)); echo "not ok $n - $1: $2"; }
# tap CMD NAME [WHY]: ok if CMD (a word list) succeeds.
tap() { if $1; then tap_ok "$2"; else tap_not_ok "$2" "${3:-$1 failed}"; fi; }

# --- the guest and the dumps ---------------------------------------------------
# take-dumps.sh's check lines are numbered on the way through; the rest
# of its output is shown as it is.
make -C "$KMEMSTAT_BUILDDIR" > "$tmp/make.log" 2>&1 || { tail -n 20 "$tmp/make.log"; exit 1; }
start=$(date +%s)
KMEMSTAT_DUMP_LIVE_HOOK="$here/dump-run.sh --live-hook" KMEMSTAT_VM_KEEP=$keep \
    "$here/take-dumps.sh" "$D" 2>&1 | {
    while IFS= read -r line; do
        case $line in
            'ok '*) n=$((n + 1)); echo "ok $n - ${line#ok }" ;;
            'not ok '*) n=$((n + 1)); echo "not ok $n - ${line#not ok }" ;;
            *) printf '%s\n' "$line" ;;
        esac
    done
    echo "$n" > "$tmp/n"
}
n=$(cat "$tmp/n" 2>/dev/null || echo 0)
if [ -s "$D/tally" ]; then read -r pass fail < "$D/tally"
else tap_not_ok take-dumps "no tally: take-dumps.sh did not finish"; fi
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
has_vmcoreinfo() { readelf -n "$1" 2>/dev/null | grep -q '^ *VMCOREINFO '; }
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

# loadavg_reader OURS BEFORE AFTER: OURS is one file's line but for a
# lower running count. /proc/loadavg counts the guest shell reading it,
# asleep in the dump, and whatever else runs while it reads (rcu_preempt
# and kworkers in TCG: records of 2/61 and 3/61 around a dump with 0), so
# the count may be anything from 0 to that file's minus the reader; the
# load averages, the task count and the last pid are that file's.
loadavg_reader() {
    _o=$(cat "$1")
    for _f in "$2" "$3"; do
        _t=$(cat "$_f")
        _o4=${_o#* * * } _t4=${_t#* * * }
        [ "${_o%% "$_o4"}" = "${_t%% "$_t4"}" ] && [ "${_o4#*/}" = "${_t4#*/}" ] &&
            [ "${_o4%%/*}" -lt "${_t4%%/*}" ] && return 0
    done
    echo "with fewer running tasks (the reader, and others caught running)"
    printf 'ours "%s", before "%s", after "%s"\n' "$_o" "$(cat "$2")" "$(cat "$3")"
    return 1
}

# Awk functions for the column comparisons below (mawk has no gensub).
# fields(S, N, T): T[1..N-1] the first N-1 fields of S, each with the
# blanks before it; T[N] the rest, the last column, which may hold blanks
# (CMD, COMMAND, WHAT).
# joined(T, N, MASK): the fields again, those in MASK as " *": a masked
# value and its padding (procps right-aligns numbers) are not compared
# here, every other byte is.
# val(TOKEN): the value, without the blanks.
# bad(TEXT): one problem line; the caller's END exits 1 if there were any.
awk_cols='
function fields(s, n, t,   k) {
    for (k = 1; k < n; k++)
        if (match(s, /^ *[^ ]+/)) { t[k] = substr(s, 1, RLENGTH); s = substr(s, RLENGTH + 1) }
        else t[k] = ""
    t[n] = s
}
function joined(t, n, mask,   k, s) {
    s = ""
    for (k = 1; k <= n; k++) s = s ((k in mask) ? " *" : t[k])
    return s
}
function val(s) { sub(/^ */, "", s); return s }
function bad(s) { print s; nbad++ }
FILENAME != file { file = FILENAME; f++ }
'

# clock_between OURS BEFORE AFTER: uptime's or w's output. The dump's
# moment lies between the two records but may differ from both by a
# second, so on the first line the clock (HH:MM:SS) need only lie between
# before's and after's (inclusive; across midnight too), and w's IDLE
# between theirs (it counts up with the clock). Every other part of the
# first line (up ..., N users, load average: ...), as split at ",  ", and
# every other byte of the other lines equals before's or after's.
clock_between() {
    echo "with the clock and w's IDLE anywhere between them" &&
    awk "$awk_cols"'
    # secs(HH:MM:SS): seconds since midnight.
    function secs(c) { return substr(c, 1, 2) * 3600 + substr(c, 4, 2) * 60 + substr(c, 7, 2) }
    # between(X, B, A): B <= X <= A; if A < B, the clock passed midnight.
    function between(x, b, a) { return b <= a ? b <= x && x <= a : x >= b || x <= a }
    # idle(W): w IDLE in seconds (procps: "SS.CCs", "MM:SS", "HH:MMm", "Ndays"); -1 if not one.
    function idle(w,   p) {
        if (w ~ /^[0-9]+\.[0-9][0-9]s$/) return w + 0
        split(w, p, ":")
        if (w ~ /^[0-9]+:[0-9][0-9]$/) return p[1] * 60 + p[2]
        if (w ~ /^[0-9]+:[0-9][0-9]m$/) return p[1] * 3600 + p[2] * 60
        if (w ~ /^[0-9]+days$/) return w * 86400
        return -1
    }
    { l[f, FNR] = $0; nl[f] = FNR }
    END {
        if (nl[3] != nl[1] && nl[3] != nl[2]) bad("ours has " nl[3] " lines, the guest " nl[1] " and " nl[2])
        else first_line()
        if (nl[3] < 2) exit nbad > 0
        if (l[3, 2] != l[1, 2]) bad("header: ours \"" l[3, 2] "\", the guest \"" l[1, 2] "\"")
        n = split(l[1, 2], h, " ")
        for (k = 1; k <= n; k++) if (h[k] == "IDLE") mask[k]
        for (i = 3; i <= nl[3]; i++) row(i)
        exit nbad > 0
    }
    # first_line(): " HH:MM:SS up ...,  N users,  load average: ...".
    function first_line(   r, c, p, k, np) {
        for (r = 1; r <= 3; r++) {
            if (l[r, 1] !~ /^ [0-9][0-9]:[0-9][0-9]:[0-9][0-9] up /) { bad("line 1 is no uptime line: \"" l[r, 1] "\""); return }
            c[r] = secs(substr(l[r, 1], 2, 8))
            np[r] = split(substr(l[r, 1], 11), p, /,  /)
            for (k = 1; k <= np[r]; k++) part[r, k] = p[k]
        }
        if (!between(c[3], c[1], c[2]))
            bad("line 1: the clock " substr(l[3, 1], 2, 8) " is not between " substr(l[1, 1], 2, 8) " and " substr(l[2, 1], 2, 8))
        if (np[3] != np[1] && np[3] != np[2]) { bad("line 1: \"" l[3, 1] "\" has " np[3] " parts"); return }
        for (k = 1; k <= np[3]; k++)
            if (part[3, k] != part[1, k] && part[3, k] != part[2, k])
                bad("line 1: \"" part[3, k] "\" is neither \"" part[1, k] "\" nor \"" part[2, k] "\"")
    }
    # row(I): line I with IDLE masked equals the guest'\''s before or after,
    # and its IDLE lies between theirs (equals one if not a known format).
    function row(i,   r, t, s, v, w, lo, hi, k) {
        for (r = 1; r <= 3; r++) {
            fields(l[r, i], n, t); s[r] = joined(t, n, mask)
            for (k in mask) { w[r] = val(t[k]); v[r] = idle(w[r]) }
        }
        if (s[3] != s[1] && s[3] != s[2]) bad("line " i ": \"" l[3, i] "\" vs \"" l[1, i] "\"")
        for (k in mask) {
            lo = v[1] < v[2] ? v[1] : v[2]; hi = v[1] < v[2] ? v[2] : v[1]
            if (w[3] != w[1] && w[3] != w[2] && (v[3] < 0 || lo < 0 || v[3] < lo || v[3] > hi))
                bad("line " i ": IDLE " w[3] " is not between " w[1] " and " w[2])
        }
    }' "$2" "$3" "$1"
}

# stable_pids DIR: the test's own processes that neither run nor change
# (guest-info's "pids:" line: sleepers, the niced, the stopped, the long
# argv, the two sessions) and their children (ps -ef: PID $2, PPID $3).
stable_pids() {
    sed -n 's/^pids: //p' "$T/guest-info" | tr -cs '0-9' ' ' > "$tmp/stable"
    awk 'NR == FNR { for (i = 1; i <= NF; i++) s[$i]; next }
        FNR > 1 && ($3 in s) { print $2 }
        END { for (p in s) print p }' "$tmp/stable" "$1/before/ps-ef.out" | sort -n | tr '\n' ' '
}

# ps_between OURS BEFORE AFTER: procps ps's process table, taken over
# several seconds, against ours of one moment. The same header, and:
# (a) every PID in both before and after is in ours, every PID of ours in
# one of them, in ascending order as procps lists /proc;
# (b) the rows of the stable processes ($stable; at least one listed)
# equal before's or after's row byte for byte, but C and %CPU, which are
# CPU time over elapsed time and so fall as a task that never runs ages
# (2.5 to 0.9 early in the boot), lie between before's and after's;
# (c) any other row equals before's or after's row but for TIME, C and
# %CPU (they move while a task runs between the ps runs), a kworker's
# "-workqueue" name suffix (the work it last did), and, if the task is R
# in one of the two rows, its state letter and WCHAN (a task caught
# running: rcu_preempt in TCG). WCHAN is compared otherwise.
ps_between() {
    echo "allowing TIME, C, %CPU, a kworker's -workqueue suffix, an R task's state and WCHAN to differ but on the stable pids ($stable), whose C, %CPU lie between them" &&
    awk -v stable=" $stable " "$awk_cols"'
    FNR == 1 && f == 1 {
        h = $0; n = NF
        for (k = 1; k < NF; k++) {
            if ($k == "C" || $k == "%CPU") { ratio[k]; mask[k]; run[k] }
            if ($k == "TIME") { mask[k]; run[k] }
            if ($k == "WCHAN") run[k]
            if ($k == "S" || $k == "STAT") sc = k
            if ($k == "PID") pc = k
        }
    }
    FNR == 1 { if ($0 != h) bad("header: \"" $0 "\", before \"" h "\""); next }
    { l[f, $pc] = $0; pids[$pc + 0]; if ($pc + 0 > maxp) maxp = $pc + 0 }
    f == 3 && $pc + 0 <= last { bad("pid " $pc " comes after " last) }
    f == 3 { last = $pc + 0 }
    END {
        if (f < 3) bad("ours printed nothing")
        for (p = 0; p <= maxp; p++) if (p in pids) pid(p)
        if (!nstable) bad("no stable pid in this listing: (b) checked nothing")
        exit nbad > 0
    }
    # pid(P): checks (a), (b), (c) for P.
    function pid(p,   inb, ina) {
        inb = ((1, p) in l); ina = ((2, p) in l)
        if (!((3, p) in l)) {
            if (inb && ina) bad("pid " p " is in before and after, not in ours")
            return
        }
        if (!inb && !ina) { bad("pid " p " is in ours, in neither before nor after"); return }
        if (index(stable, " " p " ")) nstable++
        if (inb && l[3, p] == l[1, p] || ina && l[3, p] == l[2, p]) return
        if (index(stable, " " p " ") ? !aging(p) : !(inb && near(p, 1) || ina && near(p, 2)))
            bad("pid " p ": \"" l[3, p] "\", before \"" l[1, p] "\", after \"" l[2, p] "\"")
    }
    # aging(P): stable P; (b) with C and %CPU between before and after.
    function aging(p,   t, u, w, k, lo, hi, x) {
        if (!((1, p) in l && (2, p) in l)) return 0
        fields(l[3, p], n, t); fields(l[1, p], n, u); fields(l[2, p], n, w)
        x = joined(t, n, ratio)
        if (x != joined(u, n, ratio) && x != joined(w, n, ratio)) return 0
        for (k in ratio) {
            lo = val(u[k]) + 0; hi = val(w[k]) + 0; x = val(t[k]) + 0
            if (x < (lo < hi ? lo : hi) || x > (lo < hi ? hi : lo)) return 0
        }
        return 1
    }
    # near(P, R): (c) against record R: the masked rows are equal, or
    # either state is R and they are equal without state letter and WCHAN.
    function near(p, r,   t, u) {
        fields(l[3, p], n, t); fields(l[r, p], n, u)
        if (loose(t, mask) == loose(u, mask)) return 1
        if (!sc || val(t[sc]) !~ /^R/ && val(u[sc]) !~ /^R/) return 0
        sub(/[A-Z]/, "?", t[sc]); sub(/[A-Z]/, "?", u[sc])
        return loose(t, run) == loose(u, run)
    }
    # loose(T, MASK): the fields T, MASK masked, a kworker named up to its
    # "-" ("kworker/0:0-events" is "kworker/0:0").
    function loose(t, m) {
        if (t[n] ~ /kworker\//) sub(/-[^\/]*$/, (t[n] ~ /\]$/) ? "]" : "", t[n])
        return joined(t, n, m)
    }' "$2" "$3" "$1"
}

for dump in elf-novmci.dump elf-vmci.dump kdump-zlib.dump raw.img; do
    s=${dump%.*}
    stable=$(stable_pids "$T/$s")
    ACCEPT=clock_between
    check_dump "kuptime-$s" "$dump" uptime.out kuptime --utmp "$T/utmp"
    check_dump "kw-$s" "$dump" w.out kw --utmp "$T/utmp"
    ACCEPT=
    check_dump "kuptime-p-$s" "$dump" uptime-p.out kuptime -p
    check_dump "kuptime-s-$s" "$dump" uptime-s.out kuptime -s
    ACCEPT=loadavg_reader
    check_dump "kloadavg-$s" "$dump" loadavg kloadavg
    ACCEPT=ps_between
    check_dump "kps-$s" "$dump" ps.out kps
    check_dump "kps-e-$s" "$dump" ps-e.out kps -e
    check_dump "kps-ef-$s" "$dump" ps-ef.out kps -ef
    check_dump "kps-el-$s" "$dump" ps-el.out kps -el
    check_dump "kps-aux-$s" "$dump" ps-aux.out kps aux
    ACCEPT=
done

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
stable=$(stable_pids "$T/live")
ACCEPT=ps_between
check_live kps-e-live ps-e ps-e.out
ACCEPT=

# On failure keep the truth and the logs; the dumps (~800 MB) only if asked.
if [ "$fail" -ne 0 ] && [ "$keep" != 1 ]; then
    keep=1
    rm -f "$D"/*.dump "$D"/*.flat "$D/raw.img"
    echo "# truth and logs kept in $D (KMEMSTAT_VM_KEEP=1 keeps the dumps too)"
elif [ "$keep" = 1 ]; then
    echo "# dumps and truth kept in $D"
fi
echo "# dump-run: $(($(date +%s) - start)) s"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
