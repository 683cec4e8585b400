#!/bin/sh
# Real-kernel checks, run inside the QEMU guest as /guest.sh (by dash, so
# plain command names find procps, not busybox applets).
# Draft: each check runs idle first, then under a known load.
set -u
. /lib-guest.sh

PROCPS_UPTIME=/usr/bin/uptime

# --- the guest is what the tests assume ------------------------------------
check env-kcore test -r /proc/kcore
check env-btf test -r /sys/kernel/btf/vmlinux
check env-kallsyms-data grep -q ' avenrun$' /proc/kallsyms
check env-procps-uptime sh -c "$PROCPS_UPTIME -V | grep -q procps"
diag "kernel $(uname -r), $(grep -c ^processor /proc/cpuinfo) CPUs"

# near A B TOL: |A - B| <= TOL
near() {
    _d=$(($1 - $2))
    [ "$_d" -lt 0 ] && _d=$((-_d))
    [ "$_d" -le "$3" ]
}

# (a) kloadavg --source=kcore against /proc/loadavg read just before and
# just after (the kernel may update avenrun in between: either may match).
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

# (b) kuptime --source=kcore against procps uptime just before or after
# (the clock or the averages can tick between the two runs).
check_kuptime() {
    _name=kuptime-kcore$2-$1
    before=$($PROCPS_UPTIME ${3:+"$3"} 2>&1)
    rc=0; out=$(kuptime --source=kcore ${3:+"$3"} 2>/tmp/kt.err) || rc=$?
    after=$($PROCPS_UPTIME ${3:+"$3"} 2>&1)
    if [ "$rc" -ne 0 ]; then not_ok "$_name" "exit $rc$(first_err /tmp/kt.err)"; return; fi
    if [ "$out" = "$before" ] || [ "$out" = "$after" ]; then
        ok "$_name"
    else
        not_ok "$_name" "kuptime '$out', uptime '$before' / '$after'"
    fi
}

# (c) the default source is /proc/kcore when it is readable.
check_auto() {
    _name=kuptime-auto-kcore-$1
    rc=0
    kuptime --explain >/dev/null 2>/tmp/kt.err || rc=$?
    if [ "$rc" -ne 0 ]; then
        not_ok "$_name" "exit $rc$(first_err /tmp/kt.err)"
    elif grep -q kcore /tmp/kt.err; then
        ok "$_name"
    else
        not_ok "$_name" "--explain trace does not mention kcore$(first_err /tmp/kt.err)"
    fi
}

# (d) /dev/mem exists, but STRICT_DEVMEM refuses RAM: the tool must say so.
# (f) /dev/kmem is gone (CONFIG_DEVKMEM, removed in 5.13): say that too.
check_refused() {
    check_fails "kloadavg-mem-refused-$1" 'STRICT_DEVMEM' kloadavg --source=mem
    if kloadavg --source=kmem >/dev/null 2>/tmp/kt.err; then
        not_ok "kloadavg-kmem-absent-$1" "expected failure, got exit 0"
    elif ! grep -q '/dev/kmem' /tmp/kt.err || ! grep -Eq '5\.13|DEVKMEM' /tmp/kt.err; then
        not_ok "kloadavg-kmem-absent-$1" "stderr should name /dev/kmem and 5.13/CONFIG_DEVKMEM$(first_err /tmp/kt.err)"
    else
        ok "kloadavg-kmem-absent-$1"
    fi
}

# (e) kernel memory agrees with /proc.
check_compare() {
    check "kloadavg-compare-$1" kloadavg --compare
    check "kuptime-compare-$1" kuptime --compare
}

run_all() {
    check_kloadavg "$1"
    check_kuptime "$1" "" ""
    check_kuptime "$1" -p -p
    check_kuptime "$1" -s -s
    check_auto "$1"
    check_refused "$1"
    check_compare "$1"
}

run_all idle

# A known load: two busy loops (one per vCPU) until the 1-minute average is
# clearly nonzero (about 15 s: avenrun moves every 5 s).
load_start 2
if load_wait 30 30; then ok load-nonzero; else not_ok load-nonzero "1-min load still $(cut -d' ' -f1 /proc/loadavg)"; fi
diag "under load: $(cat /proc/loadavg)"
run_all load
load_stop

result
