#!/bin/sh
# /dev/kmem checks, run inside the QEMU guest as /guest.sh by kmem-run.sh:
# load kmod/kmem's teaching module, then compare kuptime, kloadavg and
# kps over /dev/kmem with procps and /proc, and run kmem-hostile.
set -u
. /lib-guest.sh

export KMEMSTAT_CACHE=/tmp/kcache
mkdir -p "$KMEMSTAT_CACHE"
diag "kernel $(uname -r), $(grep -c ^processor /proc/cpuinfo) CPUs"

# --- the module --------------------------------------------------------------
check kmem-absent-before test ! -e /dev/kmem
check kmem-insmod insmod /kmem.ko
dmesg | grep 'kmem:' | sed 's/^/# dmesg: /'
if dmesg | grep -q 'kmem: .*disposable VM'; then ok kmem-load-warning
else not_ok kmem-load-warning "no 'disposable VM' warning in dmesg"; fi
# devtmpfs makes the misc device node; mknod by hand only if it did not.
if [ ! -c /dev/kmem ]; then
    diag "no /dev/kmem from devtmpfs; mknod from /sys/class/misc/kmem/dev"
    mm=$(cat /sys/class/misc/kmem/dev 2>/dev/null)
    [ -n "$mm" ] && mknod -m 0400 /dev/kmem c "${mm%:*}" "${mm#*:}"
fi
check kmem-node test -c /dev/kmem
diag "$(ls -l /dev/kmem 2>&1)"

# --- kloadavg --source=kmem: the three averages equal /proc/loadavg --------
check_kloadavg() {
    _name=kloadavg-kmem-$1
    read -r b1 b5 b15 _ _ < /proc/loadavg
    rc=0; out=$(kloadavg --source=kmem 2>/tmp/kt.err) || rc=$?
    read -r a1 a5 a15 _ _ < /proc/loadavg
    if [ "$rc" -ne 0 ]; then not_ok "$_name" "exit $rc$(first_err /tmp/kt.err)"; return; fi
    # shellcheck disable=SC2086
    set -- $out
    if [ "$1 $2 $3" = "$b1 $b5 $b15" ] || [ "$1 $2 $3" = "$a1 $a5 $a15" ]; then ok "$_name"
    else not_ok "$_name" "'$1 $2 $3', /proc had '$b1 $b5 $b15' then '$a1 $a5 $a15'"; fi
}

# --- kuptime --source=kmem ARGS: equals procps uptime just before or after --
check_kuptime() {
    _n=kuptime-kmem-$1; shift
    check_between "$_n" "$PROCPS_UPTIME" "kuptime --source=kmem" "$@"
}

# --- kps --source=kmem ARGS: equals procps ps just before or after ----------
sleep 1001 &
P_SLEEP=$!
# busybox here has no nice applet: renice the sleeper instead.
sleep 1002 &
P_NICE=$!
renice -n 7 -p "$P_NICE" > /dev/null
sleep 1003 &
P_STOP=$!
kill -STOP "$P_STOP"
sh -c 'sleep 1004; :' a-long-argument-list 1 2 3 4 5 6 7 8 9 10 &
P_ARGS=$!
sleep 1
pids="$P_SLEEP,$P_NICE,$P_STOP,$P_ARGS"
check_ps() {
    _n=kps-kmem-$1; shift
    check_between "$_n" /bin/ps "kps --source=kmem" "$@"
}

run_all() {
    check_kloadavg "$1"
    check_kuptime "$1"
    check_kuptime "$1-p" -p
    check_kuptime "$1-s" -s
    check_ps "$1-f" -f -p "$pids"
    check_ps "$1-default" -p "$pids"
    check_ps "$1-o" -o pid,ppid,uid,stat,ni,tty,comm,args -p "$pids"
}
run_all idle

# --- no --source: /dev/kmem comes first, as history had it --------------------
rc=0; kuptime --explain > /tmp/kt.out 2>/tmp/kt.err || rc=$?
if [ "$rc" -ne 0 ]; then not_ok kuptime-auto-kmem "exit $rc$(first_err /tmp/kt.err)"
elif grep -q 'opened /dev/kmem' /tmp/kt.err; then ok kuptime-auto-kmem
else not_ok kuptime-auto-kmem "--explain lacks 'opened /dev/kmem'$(first_err /tmp/kt.err)"; fi
# check_auto_equal NAME CMD ARGS...: kCMD ARGS (no --source) = CMD ARGS.
check_auto_equal() {
    _n=$1 _cmd=$2; shift 2
    check_between "$_n" "$_cmd" "k$_cmd" "$@"
}
check_auto_equal kuptime-auto-equals-uptime uptime
check_auto_equal kps-auto-equals-ps ps -f -p "$pids"

# --- the lesson: kuptime --source=kmem --explain ----------------------------
rc=0; kuptime --source=kmem --explain > /tmp/kt.out 2>/tmp/kt.err || rc=$?
if [ "$rc" -ne 0 ]; then not_ok kuptime-kmem-explain "exit $rc$(first_err /tmp/kt.err)"
elif grep -q 'lseek(/dev/kmem, 0x' /tmp/kt.err; then ok kuptime-kmem-explain-lseek
else not_ok kuptime-kmem-explain-lseek "--explain lacks 'lseek(/dev/kmem, 0x'$(first_err /tmp/kt.err)"; fi
diag "kuptime --source=kmem --explain (first lines):"
head -n 25 /tmp/kt.err | sed 's/^/#   /'

# --- under load ---------------------------------------------------------------
load_start 2
if load_wait 30 40; then diag "load1 $(cut -d' ' -f1 /proc/loadavg)"
else diag "load did not reach 0.30 in 40 s"; fi
run_all load
load_stop

# --- hostile ------------------------------------------------------------------
# kmem-hostile prints its own ok / not ok lines; count them here.
/usr/local/bin/kmem-hostile /dev/kmem > /tmp/hostile.out 2>&1
hrc=$?
while IFS= read -r line; do
    case $line in
        'ok '*) ok "${line#ok }" ;;
        'not ok '*) _r=${line#not ok }; not_ok "${_r%%:*}" "${_r#*: }" ;;
        *) echo "$line" ;;
    esac
done < /tmp/hostile.out
if [ "$hrc" -gt 1 ]; then not_ok kmem-hostile-exit "exit $hrc (crashed?)"; fi
dmesg | grep -E 'BUG:|WARNING:|Oops|usercopy:' | head -n 5 | sed 's/^/# dmesg: /'
if dmesg | grep -qE 'BUG:|WARNING:|Oops|usercopy:'; then not_ok kmem-dmesg-clean "kernel complained (see dmesg lines above)"
else ok kmem-dmesg-clean; fi

check kmem-rmmod rmmod kmem
check kmem-gone-after-rmmod test ! -e /dev/kmem

kill -CONT "$P_STOP" 2>/dev/null
kill "$P_SLEEP" "$P_NICE" "$P_STOP" "$P_ARGS" 2>/dev/null
result
