#!/bin/sh
# One kernel of the matrix (matrix-run.sh), run as /guest.sh by
# take-dumps.sh: the tools through /proc/kcore against procps on a zoo of
# processes, then one QEMU dump (with VMCOREINFO) between two truth
# records, for the host to read with no other file.
set -u
. /lib-guest.sh

T=/tmp/truth
mkdir -p "$T"
# at PHASE: where the time goes, for matrix-run.sh's time limit.
at() { diag "at $(cut -d' ' -f1 /proc/uptime) s: $1"; }
check env-kcore test -r /proc/kcore
diag "kernel $(uname -r): $(uname -v), $(grep -c ^processor /proc/cpuinfo) CPUs"

# --- the zoo ------------------------------------------------------------------
# Sleeping, running, niced, stopped, a zombie, threads (one spinning),
# other users' ids; two logged-in sessions for w.
start_zoo() {
    sleep 1001 & P_SLEEP=$!
    busybox sh -c 'while :; do :; done' & P_BUSY=$!
    sleep 1002 & P_NICE=$!
    renice -n 7 -p "$P_NICE" > /dev/null || return 1
    sleep 1003 & P_STOP=$!
    # the zombie: its parent (then sleep) never waits
    sh -c 'sleep 0 & exec sleep 1004' & P_ZPARENT=$!
    zoo threads threads 3
    zoo uids uids
    wait_until 10 is_comm "$P_SLEEP" sleep && wait_until 10 is_comm "$P_NICE" sleep &&
        wait_until 10 is_comm "$P_STOP" sleep && wait_until 10 is_comm "$P_ZPARENT" sleep ||
        return 1
    kill -STOP "$P_STOP"
    wait_until 10 is_stopped "$P_STOP"
}
# state PID: the state letter /proc gives PID.
state() { sed -n 's/^State:[[:space:]]*\(.\).*/\1/p' "/proc/$1/status"; }
# zoo_shapes: the zoo is what it claims, by /proc.
zoo_shapes() {
    _z=$(awk -v pp="$P_ZPARENT" '$4 == pp { print $1 }' /proc/[0-9]*/stat 2>/dev/null | head -n1)
    [ "$(state "$P_BUSY")" = R ] && [ "$(state "$P_STOP")" = T ] &&
        [ -n "$_z" ] && [ "$(state "$_z")" = Z ] &&
        [ "$(cut -d' ' -f19 "/proc/$P_NICE/stat")" = 7 ] &&
        grep -q '^Threads:[[:space:]]*4$' "/proc/$(zpid threads)/status" &&
        grep -q '^Uid:[[:space:]]*2001[[:space:]]*2002' "/proc/$(zpid uids)/status"
}
# (zoo's own checks would clobber check's variables: zoo-shapes tells)
start_zoo
check zoo-shapes zoo_shapes
check utmp-sessions sessions_start
# Those that hold still: the rows lib-truth.sh's ps_between compares byte
# for byte (with the zombie and the session's sleep, their children).
pids="sleep $P_SLEEP, nice $P_NICE, stopped $P_STOP, zombie parent $P_ZPARENT, uids $(zpid uids), logins $(cat /tmp/login1.pid) $(cat /tmp/login2.pid)"
diag "zoo: $pids; busy $P_BUSY, threads $(zpid threads)"
at "zoo ready"

# --- live, through /proc/kcore --------------------------------------------------
check_kloadavg live
check_kuptime live "" ""
# kps against ps, the two listers' own rows left out of each; the whole
# table equals ps's before or after, or is within ps_between's stated
# tolerances (what runs between the readings: TIME, C, %CPU...).
ps -ef > /tmp/zoo.ef
echo "pids: $pids" > /tmp/zoo.info
stable=$(stable_pids /tmp/zoo.info /tmp/zoo.ef)
recorder=
ACCEPT="truth_accept ps_between"
# check_kps NAME ARGS...: kps --source=kcore ARGS against ps ARGS.
check_kps() {
    _n=$1; shift
    : > /tmp/kt-acc.why
    check_between "$_n" "without_self /tmp/ps.raw /bin/ps" \
        "without_self /tmp/kps.raw kps --source=kcore" "$@"
    # a failure: what ps_between found wrong
    [ "$(tail -n1 "$KT_RESULTS")" = pass ] || sed -n '2,5s/^/#   /p' /tmp/kt-acc.why
}
at "kps"
check_kps kps-default
check_kps kps-ef -ef
check_kps kps-aux aux
check_kps kps-l -l
check_kps kps-o-rss-vsz-wchan -e -o pid,ppid,user,stat,ni,rss,vsz,wchan:32,comm
ACCEPT=
check_cmp kps-compare --compare
check_w kcore --source=kcore

at "dump"
# --- a dump, read on the host ---------------------------------------------------
sync_open
fw_cfg_load
guest_info "$pids"
# The runners stop (T): a shorter span for the truth, a quicker guest.
kill -STOP "$P_BUSY" "$(zpid threads)"
# The host compares kuptime, kw and kps -ef: their records alone.
TRUTH_PS=ef TRUTH_CLOCK="w uptime"
at_dump elf-vmci
echo "KMEMSTAT-SYNC-DONE" >&7
at "export"
check export-truth export_dir "$T" truth
result
