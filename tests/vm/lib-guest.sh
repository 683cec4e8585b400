# Helpers for guest test scripts (sourced by /guest.sh inside the VM).
# POSIX sh; in the guest /bin/sh is dash (see mkinitramfs.sh).
#
# Checks print one line each, which run-tests.sh parses from the console:
#   ok NAME
#   not ok NAME: reason
# and result() prints the final "RESULT n passed, m failed".
# Counts live in a file so checks run in subshells or pipelines still count.

# lib-truth.sh (the comparisons with their stated tolerances) sits beside it.
. /lib-truth.sh

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
        # Into files, not $(...): a function run there would be a
        # subshell, one more process in a listing of them.
        $_or "$@" > /tmp/kt.before 2>&1
        _rc=0; $_us "$@" > /tmp/kt.ours 2>/tmp/kt.err || _rc=$?
        $_or "$@" > /tmp/kt.after 2>&1
        _before=$(cat /tmp/kt.before) _out=$(cat /tmp/kt.ours) _after=$(cat /tmp/kt.after)
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

# truth_accept CMP OURS BEFORE AFTER: lib-truth.sh's comparison CMP (it
# takes files) as check_between's ACCEPT: ACCEPT="truth_accept ps_between".
truth_accept() {
    printf '%s\n' "$2" > /tmp/kt-acc.ours
    printf '%s\n' "$3" > /tmp/kt-acc.before
    printf '%s\n' "$4" > /tmp/kt-acc.after
    "$1" /tmp/kt-acc.ours /tmp/kt-acc.before /tmp/kt-acc.after > /tmp/kt-acc.why
}

# without_self RAW CMD ARGS...: a process lister's output (CMD ARGS, into
# RAW whole) without its own row, found by the PID column: the other
# lister cannot have it.  Fails as CMD fails, or if no row was its own.
without_self() {
    _raw=$1; shift
    # dash execs a backgrounded simple command in the forked child: $! is CMD.
    "$@" > "$_raw" &
    _p=$!
    wait "$_p" || return
    awk -v p="$_p" 'NR == 1 { for (k = 1; k <= NF; k++) if ($k == "PID") c = k; print; next }
        c && $c == p { own++; next } { print } END { exit own != 1 }' "$_raw"
}

result() {
    _p=$(grep -c '^pass$' "$KT_RESULTS" || true)
    _f=$(grep -c '^fail$' "$KT_RESULTS" || true)
    echo "RESULT $_p passed, $_f failed"
    [ "$_f" -eq 0 ]
}

# --- the tools against procps, live ------------------------------------------
PROCPS_UPTIME=/usr/bin/uptime

# near A B TOL: |A - B| <= TOL
near() {
    _d=$(($1 - $2))
    [ "$_d" -lt 0 ] && _d=$((-_d))
    [ "$_d" -le "$3" ]
}

# check_kloadavg LABEL: kloadavg --source=kcore against /proc/loadavg read
# just before and just after (the kernel may update avenrun in between:
# either may match).
# running/threads/lastpid move with every process we start: compare loosely.
check_kloadavg() {
    _name=kloadavg-kcore-$1
    read -r b1 b5 b15 brt blp < /proc/loadavg
    rc=0; out=$(kloadavg --source=kcore 2>/tmp/kt.err) || rc=$?
    read -r a1 a5 a15 art alp < /proc/loadavg
    if [ "$rc" -ne 0 ]; then not_ok "$_name" "exit $rc$(first_err /tmp/kt.err)"; return; fi
    if ! echo "$out" | grep -Eqx '[0-9]+\.[0-9]{2} [0-9]+\.[0-9]{2} [0-9]+\.[0-9]{2} [0-9]+/[0-9]+ [0-9]+'; then
        not_ok "$_name" "bad format: $out"; return
    fi
    # shellcheck disable=SC2086 # split the line into its fields
    set -- $out
    k3="$1 $2 $3" krun=${4%/*} kthr=${4#*/} klp=$5
    if [ "$k3" != "$b1 $b5 $b15" ] && [ "$k3" != "$a1 $a5 $a15" ]; then
        not_ok "$_name" "averages '$k3', /proc had '$b1 $b5 $b15' then '$a1 $a5 $a15'"; return
    fi
    if [ "$krun" -lt 1 ]; then not_ok "$_name" "running $krun < 1"; return; fi
    if ! near "$kthr" "${brt#*/}" 5 && ! near "$kthr" "${art#*/}" 5; then
        not_ok "$_name" "threads $kthr, /proc had ${brt#*/} then ${art#*/}"; return
    fi
    if ! near "$klp" "$blp" 20 && ! near "$klp" "$alp" 20; then
        not_ok "$_name" "last pid $klp, /proc had $blp then $alp"; return
    fi
    ok "$_name"
}

# check_kuptime LABEL NAME-SUFFIX [OPTION]: kuptime --source=kcore against
# procps uptime just before or after (the clock or the averages can tick
# between the two runs).
check_kuptime() {
    # Under load a run takes about a second: the clock may fall between
    # the two procps runs, with the rest equal to one of them.
    ACCEPT=
    [ -z "$3" ] && ACCEPT="truth_accept clock_between"
    check_between "kuptime-kcore$2-$1" "$PROCPS_UPTIME" \
        "kuptime --source=kcore" ${3:+"$3"}
    ACCEPT=
}

# check_w NAME SOURCE-OPTION [ARGS...]: kw against procps w, just before or
# after.  The clock and IDLE tick: when each run takes a second (TCG on a
# loaded host) they may lie between the two, as lib-truth.sh allows.
check_w() {
    _src=$2; _n=kw-$1; shift 2
    ACCEPT="truth_accept clock_between"
    check_between "$_n" /usr/bin/w "kw $_src" "$@"
    ACCEPT=
}

# check_ps NAME ARGS...: kps --source=kcore ARGS = ps ARGS, before or after.
check_ps() {
    _n=kps-$1; shift
    check_between "$_n" /bin/ps "kps --source=kcore" "$@"
}

# check_cmp NAME ARGS...: kps ARGS (--compare: /proc, kernel memory, /proc
# again, field by field) exits 0.
check_cmp() {
    _name=$1; shift
    if kps "$@" > /tmp/cmp.out 2>&1; then ok "$_name"
    else not_ok "$_name" "$(grep -e DIFFERS -e 'kps:' /tmp/cmp.out | head -n 3 | tr '\n' ' ')"; fi
}

# --- truth around a dump (take-dumps.sh); records go to $T -----------------
# truth_ps FILE ARGS...: procps ps ARGS into FILE, without the line of
# that ps run itself (it cannot be in a dump taken after it exited).
# FILE.raw keeps the whole output.
truth_ps() {
    _f=$1; shift
    without_self "$_f.raw" /usr/bin/ps "$@" > "$_f"
}

# truth_tasks DIR: the process table and the symbols (slow, and nothing
# in them moves with the clock but ps's time columns).  TRUTH_PS, if set,
# names the listings to take of ps, e, ef, el and aux (ps-NAME.out, ps.out).
truth_tasks() {
    for _l in ${TRUTH_PS:-ps e ef el aux}; do
        case $_l in
            ps) truth_ps "$1/ps.out" ;;
            aux) truth_ps "$1/ps-aux.out" aux ;;
            *) truth_ps "$1/ps-$_l.out" "-$_l" ;;
        esac || return 1
    done
    grep -E ' (_text|_stext|avenrun|jiffies_64|init_task|init_top_pgt|swapper_pg_dir|page_offset_base|phys_base|tk_core|init_pid_ns|linux_banner|kallsyms_names|kallsyms_num_syms|kallsyms_offsets|kallsyms_relative_base|vmcoreinfo_data|vmcoreinfo_note)$' \
        /proc/kallsyms > "$1/kallsyms"
}

# truth_clock DIR ITEM...: the clock-bound records, in the order given.
# loadavg and uptime are read by the shell itself: a cat would be the
# "last pid" of /proc/loadavg, a process the dump does not have.
truth_clock() {
    _d=$1; shift
    for _i in "$@"; do
        case $_i in
            w) /usr/bin/w > "$_d/w.out" ;;
            uptime) /usr/bin/uptime > "$_d/uptime.out" ;;
            uptime-p) /usr/bin/uptime -p > "$_d/uptime-p.out" ;;
            uptime-s) /usr/bin/uptime -s > "$_d/uptime-s.out" ;;
            date) date -u '+%s %Y-%m-%d %H:%M:%S' > "$_d/date" ;;
            proc) read -r _u < /proc/uptime; read -r _l < /proc/loadavg
                  echo "$_u" > "$_d/uptime"; echo "$_l" > "$_d/loadavg" ;;
        esac
    done
}

# sync_host NAME: tell the host to act now, wait for its "go NAME".
sync_host() {
    echo "KMEMSTAT-SYNC $1" >&7
    IFS= read -r _reply <&7 || return 1
    [ "$_reply" = "go $1" ]
}

# at_dump NAME: truth before, the host's dump, truth after. The clock
# records sit next to the dump on both sides, the slow ones outside them:
# TRUTH_CLOCK, if set, names fewer of them, outermost first (the load
# averages move every 5 s: a longer span may see two moves).
at_dump() {
    mkdir -p "$T/$1/before" "$T/$1/after"
    _c=${TRUTH_CLOCK:-date w uptime-s uptime-p uptime proc} _rc=
    for _i in $_c; do _rc="$_i $_rc"; done
    truth_tasks "$T/$1/before" || { not_ok "truth-$1" "ps before"; return; }
    truth_clock "$T/$1/before" $_c
    sync_host "$1" || { not_ok "sync-$1" "no 'go $1' from the host"; return; }
    truth_clock "$T/$1/after" $_rc
    truth_tasks "$T/$1/after" || { not_ok "truth-$1" "ps after"; return; }
    ok "sync-$1"
}

# sync_open: the host's line on $SYNC_TTY as fd 7 (raw: no echo of the
# host's lines back to it, no \r\n); the utmp into $T, and sent now: the
# live hook's kuptime needs it while the guest runs.
SYNC_TTY=/dev/ttyS2
sync_open() {
    stty -F "$SYNC_TTY" raw -echo || not_ok sync-tty "stty $SYNC_TTY"
    exec 7<>"$SYNC_TTY"
    cp /var/run/utmp "$T/utmp"
    echo "KMEMSTAT-UTMP $(base64 < /var/run/utmp | tr -d '\n')" >&7
}

# fw_cfg_load: on probe, qemu_fw_cfg writes the vmcoreinfo note's address
# to QEMU's etc/vmcoreinfo (-device vmcoreinfo), and QEMU's dumps carry it.
fw_cfg_load() {
    check fw_cfg-insmod insmod /qemu_fw_cfg.ko
    check fw_cfg-sysfs test -d /sys/firmware/qemu_fw_cfg
    check fw_cfg-vmcoreinfo-file test -d /sys/firmware/qemu_fw_cfg/by_name/etc/vmcoreinfo
}

# guest_info PIDS: facts for the reader of the dumps, in $T/guest-info;
# PIDS names the processes that hold still (lib-truth.sh's stable_pids).
guest_info() {
    {
        echo "uname -r: $(uname -r)"
        echo "/sys/kernel/vmcoreinfo (phys addr, size): $(cat /sys/kernel/vmcoreinfo 2>&1)"
        echo "/proc/cmdline: $(cat /proc/cmdline)"
        echo "pid_max: $(cat /proc/sys/kernel/pid_max)"
        echo "pids: $1"
        grep -E '^(MemTotal|MemFree):' /proc/meminfo
        grep -i 'system ram' /proc/iomem
    } > "$T/guest-info" 2>&1
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
# zoo NAME ARGS...: ktasks-zoo (shapes busybox cannot make) in the
# background; waits for "ready PID", kept for zpid NAME.
zoo() {
    _n=$1; shift
    ktasks-zoo "$@" > "/tmp/zoo.$_n" 2>&1 &
    _i=0
    while ! grep -q '^ready' "/tmp/zoo.$_n"; do
        sleep 0.1; _i=$((_i + 1))
        [ "$_i" -gt 100 ] && { diag "zoo $_n not ready: $(cat /tmp/zoo.$_n)"; break; }
    done
    sed -n 's/^ready //p' "/tmp/zoo.$_n" > "/tmp/zoo.$_n.pid"
}
zpid() { cat "/tmp/zoo.$1.pid" 2>/dev/null; }

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
