# Helpers for guest test scripts (sourced by /guest.sh inside the VM).
# POSIX sh; in the guest /bin/sh is dash (see mkinitramfs.sh).
#
# Checks print one line each, which run-tests.sh parses from the console:
#   ok NAME
#   not ok NAME: reason
# and result() prints the final "RESULT n passed, m failed".
# Counts live in a file so checks run in subshells or pipelines still count.

KT_RESULTS=${KT_RESULTS:-/tmp/kmemstat-results}
: > "$KT_RESULTS"

ok() {
    echo "ok $1"
    echo pass >> "$KT_RESULTS"
}

# not_ok NAME REASON...
not_ok() {
    _n=$1; shift
    # One line per check: fold any newlines in the reason.
    echo "not ok $_n: $(printf '%s' "$*" | tr '\n' ' ')"
    echo fail >> "$KT_RESULTS"
}

# first_err FILE: ": first line" of a stderr capture, or nothing.
first_err() {
    _l=$(head -n1 "$1" 2>/dev/null)
    [ -n "$_l" ] && printf ': %s' "$_l"
    return 0
}

# check NAME CMD...: ok if CMD exits 0; else the reason is its exit status
# and the first line of its stderr. CMD's stdout stays in /tmp/kt-check.out.
check() {
    _n=$1; shift
    _rc=0
    "$@" 2>/tmp/kt-check.err >/tmp/kt-check.out || _rc=$?
    if [ "$_rc" -eq 0 ]; then
        ok "$_n"
    else
        not_ok "$_n" "exit $_rc$(first_err /tmp/kt-check.err)"
    fi
}

# check_fails NAME PATTERN CMD...: ok if CMD exits non-zero and its stderr
# matches the grep -E PATTERN.
check_fails() {
    _n=$1 _pat=$2; shift 2
    if "$@" 2>/tmp/kt-check.err >/tmp/kt-check.out; then
        not_ok "$_n" "expected failure, got exit 0"
    elif ! grep -Eq -- "$_pat" /tmp/kt-check.err; then
        not_ok "$_n" "stderr lacks /$_pat/$(first_err /tmp/kt-check.err)"
    else
        ok "$_n"
    fi
}

# diag TEXT: a comment line for the log, ignored by the parser.
diag() { echo "# $*"; }

# check_between NAME ORACLE OURS [ARGS...]: OURS ARGS exits 0 and prints
# what ORACLE ARGS prints just before or just after it (a clock, a load
# average or a process may move in between).  ORACLE and OURS are split
# into words ("kps --source=kcore").  ACCEPT, if set, names a command that
# may still accept a mismatch, given OURS's, and the two ORACLE outputs.
# A mismatch shows the diff against the first ORACLE run.
check_between() {
    _n=$1 _or=$2 _us=$3; shift 3
    # A clock column (uptime's time, ELAPSED, IDLE) can tick between each
    # of the three runs when TCG is slow: then all three differ.  Measure
    # again, up to three times; the comparison itself stays exact.
    _try=0
    while :; do
        _before=$($_or "$@" 2>&1)
        _rc=0; _out=$($_us "$@" 2>/tmp/kt.err) || _rc=$?
        _after=$($_or "$@" 2>&1)
        _try=$((_try + 1))
        [ "$_rc" -ne 0 ] || [ "$_try" -ge 3 ] || [ "$_out" = "$_before" ] ||
            [ "$_out" = "$_after" ] ||
            { [ -n "${ACCEPT:-}" ] && $ACCEPT "$_out" "$_before" "$_after"; } &&
            break
        diag "$_n: try $_try differed from $_or before and after; again"
    done
    if [ "$_rc" -ne 0 ]; then
        not_ok "$_n" "exit $_rc$(first_err /tmp/kt.err)"
    elif [ "$_out" = "$_before" ] || [ "$_out" = "$_after" ] ||
        { [ -n "${ACCEPT:-}" ] && $ACCEPT "$_out" "$_before" "$_after"; }; then
        ok "$_n"
    else
        not_ok "$_n" "$_us $* differs from $_or"
        printf '%s\n' "$_before" > /tmp/kt.want
        printf '%s\n' "$_out" > /tmp/kt.got
        diff /tmp/kt.want /tmp/kt.got | head -n 8 | sed 's/^/#   /'
    fi
}

result() {
    _p=$(grep -c '^pass$' "$KT_RESULTS" || true)
    _f=$(grep -c '^fail$' "$KT_RESULTS" || true)
    echo "RESULT $_p passed, $_f failed"
    [ "$_f" -eq 0 ]
}

# --- load generator -------------------------------------------------------
# load_start N: N busy loops (default 2, one per vCPU). They run in the
# guest's own shell so they count as runnable tasks in avenrun.
KT_LOAD_PIDS=/tmp/kmemstat-load.pids
load_start() {
    _i=0
    while [ "$_i" -lt "${1:-2}" ]; do
        busybox sh -c 'while :; do :; done' &
        echo $! >> "$KT_LOAD_PIDS"
        _i=$((_i + 1))
    done
}

load_stop() {
    [ -f "$KT_LOAD_PIDS" ] || return 0
    # Only the PIDs we started.
    while read -r _p; do kill "$_p" 2>/dev/null || true; done < "$KT_LOAD_PIDS"
    while read -r _p; do wait "$_p" 2>/dev/null || true; done < "$KT_LOAD_PIDS"
    rm -f "$KT_LOAD_PIDS"
}

# load1_hundredths: 1-minute load average from /proc/loadavg, times 100.
load1_hundredths() {
    read -r _l1 _rest < /proc/loadavg
    _int=${_l1%.*} _frac=${_l1#*.}
    echo $((_int * 100 + ${_frac#0}))
}

# load_wait MIN_HUNDREDTHS MAX_SECONDS: wait until the 1-minute average is
# at least MIN/100 (avenrun moves every 5 s; with 2 runners it is about
# 0.4 after 15 s). Fails if it does not get there in time.
load_wait() {
    _min=${1:-30} _max=${2:-30} _t=0
    while [ "$(load1_hundredths)" -lt "$_min" ]; do
        [ "$_t" -ge "$_max" ] && return 1
        sleep 1
        _t=$((_t + 1))
    done
    return 0
}

# --- sending files to the host ---------------------------------------------
# export_dir DIR NAME: send DIR to the host as tar.gz in base64 between
# marker lines on the second serial port (boot.sh attaches it to a file;
# kernel messages never go there, so the stream stays clean). The END line
# carries size and sha256 so the host can tell a cut-off transfer.
KT_EXPORT_TTY=${KT_EXPORT_TTY:-/dev/ttyS1}
export_dir() {
    _d=$1 _name=$2
    case $_name in
        ''|*[!A-Za-z0-9._-]*) echo "export_dir: bad name '$_name'" >&2; return 1 ;;
    esac
    [ -d "$_d" ] || { echo "export_dir: no directory $_d" >&2; return 1; }
    [ -c "$KT_EXPORT_TTY" ] || { echo "export_dir: no $KT_EXPORT_TTY" >&2; return 1; }
    tar -C "$_d" -cf - . | gzip -c > /tmp/kt-export.tgz || return 1
    _size=$(wc -c < /tmp/kt-export.tgz)
    _sum=$(sha256sum < /tmp/kt-export.tgz | cut -d' ' -f1)
    # raw: no \n -> \r\n, no flow control surprises.
    stty -F "$KT_EXPORT_TTY" raw -echo || return 1
    {
        echo "KMEMSTAT-EXPORT-BEGIN $_name"
        base64 < /tmp/kt-export.tgz
        echo "KMEMSTAT-EXPORT-END $_name $_size $_sum"
    } > "$KT_EXPORT_TTY" || return 1
    # A TCSADRAIN set waits until the UART has sent every byte.
    stty -F "$KT_EXPORT_TTY" raw || return 1
    rm -f /tmp/kt-export.tgz
    echo "# exported $_d as $_name ($_size bytes)"
}

# --- a stable process table -------------------------------------------------
# wait_until SECONDS CMD...: poll CMD every 0.1 s until it succeeds; fail
# after SECONDS. For "the child has exec'd", which has no event to wait on.
wait_until() {
    _w=$(($1 * 10)); shift
    until "$@"; do
        [ "$_w" -le 0 ] && return 1
        _w=$((_w - 1))
        sleep 0.1
    done
}

# is_comm PID NAME: PID has exec'd NAME (not still the forked shell).
is_comm() { [ "$(cat "/proc/$1/comm" 2>/dev/null)" = "$2" ]; }

# is_stopped PID: PID is in state T.
is_stopped() { grep -q '^State:.*T (stopped)' "/proc/$1/status" 2>/dev/null; }

# sessions_start: two logged-in sessions on the guest's virtual consoles,
# in utmp (one from a remote host), for w and the users count. Their pids
# go to /tmp/login1.pid and /tmp/login2.pid.
sessions_start() {
    setsid -c sh -c 'echo $$ > /tmp/login1.pid; exec sleep 1000' \
        < /dev/tty1 > /dev/tty1 2>&1 &
    setsid -c sh -c 'echo $$ > /tmp/login2.pid; sleep 1000; :' \
        < /dev/tty2 > /dev/tty2 2>&1 &
    wait_until 10 test -s /tmp/login1.pid -a -s /tmp/login2.pid || return 1
    wait_until 10 is_comm "$(cat /tmp/login1.pid)" sleep || return 1
    wait_until 10 has_child "$(cat /tmp/login2.pid)" || return 1
    utmpadd root tty1 "$(cat /tmp/login1.pid)" 10.0.2.2 &&
        utmpadd root tty2 "$(cat /tmp/login2.pid)"
}

# has_child PID: PID has forked (a shell running its command).
has_child() { [ -n "$(cat "/proc/$1/task/$1/children" 2>/dev/null)" ]; }
