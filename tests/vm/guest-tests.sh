#!/bin/sh
# Real-kernel checks, run inside the QEMU guest as /guest.sh (by dash, so
# plain command names find procps, not busybox applets).
# Draft: each check runs idle first, then under a known load.
set -u
. /lib-guest.sh

# --- the guest is what the tests assume ------------------------------------
check env-kcore test -r /proc/kcore
check env-btf test -r /sys/kernel/btf/vmlinux
check env-kallsyms-data grep -q ' avenrun$' /proc/kallsyms
check env-procps-uptime sh -c "$PROCPS_UPTIME -V | grep -q procps"
diag "kernel $(uname -r), $(grep -c ^processor /proc/cpuinfo) CPUs"

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

# /proc/kcore read as a dump (-M): no /sys/kernel/btf, no cache, so the
# types come from the BTF the kernel keeps in its own memory
# (__start_BTF .. __stop_BTF); a core file and its symbols are enough.
read -r b1 b5 b15 _ _ < /proc/loadavg
rc=0; out=$(kloadavg -M /proc/kcore -N /proc/kallsyms --explain 2>/tmp/kt.err) || rc=$?
read -r a1 a5 a15 _ _ < /proc/loadavg
set -- $out
if [ "$rc" -ne 0 ]; then not_ok kloadavg-dump-btf-from-memory "exit $rc$(first_err /tmp/kt.err)"
elif ! grep -q 'BTF read from the kernel.s own memory' /tmp/kt.err; then
    not_ok kloadavg-dump-btf-from-memory "--explain does not say __start_BTF"
elif [ "$1 $2 $3" != "$b1 $b5 $b15" ] && [ "$1 $2 $3" != "$a1 $a5 $a15" ]; then
    not_ok kloadavg-dump-btf-from-memory "'$out' vs /proc '$b1 $b5 $b15'"
else ok kloadavg-dump-btf-from-memory; fi
b=$(/bin/ps -o pid,ppid,stat,ni,tty,comm,args -p 1)
o=$(kps -M /proc/kcore -N /proc/kallsyms -o pid,ppid,stat,ni,tty,comm,args -p 1 2>&1)
if [ "$o" = "$b" ]; then ok kps-dump-btf-from-memory
else not_ok kps-dump-btf-from-memory "'$o' vs ps '$b'"; fi

# Two logged-in sessions on the guest's virtual consoles, in utmp, for w.
setsid -c sh -c 'echo $$ > /tmp/login1.pid; exec sleep 1000' \
    < /dev/tty1 > /dev/tty1 2>&1 &
setsid -c sh -c 'echo $$ > /tmp/login2.pid; sleep 1000; :' \
    < /dev/tty2 > /dev/tty2 2>&1 &
sleep 1
utmpadd root tty1 "$(cat /tmp/login1.pid)" 10.0.2.2 &&
    utmpadd root tty2 "$(cat /tmp/login2.pid)" && ok utmp-sessions ||
    not_ok utmp-sessions "utmpadd failed"
check_w proc --source=proc
check_w proc-short --source=proc -s
check_w proc-noheader --source=proc -h
check_w kcore --source=kcore
check_w kcore-short --source=kcore -s

# kps through /proc/kcore against procps ps.  Processes that don't move
# (sleeping, stopped, niced, the two sessions, init) give byte-identical
# output in every format; the whole system is compared on its stable
# columns, since CPU time and scheduling move between two listings.
sleep 1001 &
P_SLEEP=$!
nice -n 7 sleep 1002 &
P_NICE=$!
sleep 1003 &
P_STOP=$!
kill -STOP "$P_STOP"
sh -c 'sleep 1004; :' a-long-argument-list 1 2 3 4 5 6 7 8 9 10 &
P_ARGS=$!
sleep 1
# (not init: it runs this script, and its CPU time moves)
pids="$(cat /tmp/login1.pid),$(cat /tmp/login2.pid),$P_SLEEP,$P_NICE,$P_STOP,$P_ARGS"
check_ps p-default -p "$pids"
check_ps p-f -f -p "$pids"
check_ps p-F -F -p "$pids"
check_ps p-j -j -p "$pids"
check_ps p-o -o pid,ppid,uid,user,stat,state,ni,pri,tty,time,etime,stime,start,vsz,rss,nlwp,comm,args -p "$pids"
check_ps p-o-cmd -o pid,%cpu,%mem,cmd -p "$pids"
check_ps p-u u -p "$pids"
check_ps p-T -T -p "$pids"
check_ps p-L -L -f -p "$pids"
check_ps p-sort --sort=-pid -o pid,comm -p "$pids"
check_ps C-sleep -C sleep -o pid,ni,stat,args
# -l shows WCHAN: the ORC unwind of each sleeping task's stack.
check_ps p-l -l -p "$pids"
# The same unwind through the core-file source, as for a dump (-M: types
# from the kernel's own BTF, no live retries).
check_between kps-M-kcore-wchan /bin/ps "kps -M /proc/kcore -N /proc/kallsyms" \
    -o pid,stat,wchan:30,comm -p "$pids"
# The whole system on columns that hold still; the two listers' own lines
# and kernel workers renamed by their current work are left out (not the
# rescuers, kworker/R-<workqueue> since 6.9: idle, their names hold).
check_ps_all() {
    _fmt=pid,ppid,pgid,sid,tty,uid,gid,ni,nlwp,comm
    /bin/ps -e -o "$_fmt" | grep -v -e ' ps$' -e ' kps$' -e 'kworker/[0-9ud]' > /tmp/pse.want
    kps --source=kcore -e -o "$_fmt" 2>/tmp/kt.err | grep -v -e ' ps$' -e ' kps$' -e 'kworker/[0-9ud]' > /tmp/pse.got
    # Tasks that came or went between the two listings are not compared,
    # but nine in ten of ps's must be there (7.x guests have about 35
    # tasks that are not kworkers, 6.1 more).
    _bad=$(awk 'NR == FNR { want[$1] = $0; n++; next }
        ($1 in want) && want[$1] != $0 { print "pid " $1 ": ps \"" want[$1] "\", kps \"" $0 "\"" }
        ($1 in want) && FNR > 1 { same++ }
        END { if (same < 20 || same * 10 < (n - 1) * 9) print "only " same " of " (n - 1) " tasks in common" }' \
        /tmp/pse.want /tmp/pse.got)
    if [ -z "$_bad" ]; then ok "kps-e-stable-columns ($(wc -l < /tmp/pse.got) lines)"
    else not_ok kps-e-stable-columns "$(printf '%s' "$_bad" | head -n 3 | tr '\n' ' ')"; fi
}
check_ps_all
check_cmp kps-compare --compare
check_cmp kps-compare-threads --compare -T
kill -CONT "$P_STOP"
kill "$P_SLEEP" "$P_NICE" "$P_STOP" "$P_ARGS" 2>/dev/null

# ksym: nlist against the kernel's own table.
want=$(grep ' avenrun$' /proc/kallsyms | cut -d' ' -f1)
got=$(ksym --source=kcore avenrun 2>&1 | cut -d' ' -f1)
if [ -n "$want" ] && [ "$got" = "$want" ]; then ok ksym-avenrun
else not_ok ksym-avenrun "ksym '$got', /proc/kallsyms '$want'"; fi

# No namelist at all: /proc/kcore given as -M is read as a dump, and its
# VMCOREINFO (SYMBOL(kallsyms_names)...) locates the kernel's own kallsyms
# tables; their addresses' form (absolute per-CPU in 6.1, place-relative
# since 7.0) is whichever gives VMCOREINFO's _stext.  Each run gets an empty cache (even in a subshell) so the tables
# are what is read.
ks() { KMEMSTAT_CACHE=$(mktemp -d /tmp/kc-ks.XXXXXX) "$@"; }
grep -v '\[' /proc/kallsyms > /tmp/ks.want
ms() { cut -d' ' -f1 /proc/uptime | tr -d .; }
t0=$(ms); ks ksym -M /proc/kcore -l > /tmp/ks.got 2>/tmp/kt.err; rc=$?; t1=$(ms)
diag "ksym -M /proc/kcore -l: $(( (t1 - t0) * 10 )) ms, $(wc -l < /tmp/ks.got) symbols"
if [ "$rc" -ne 0 ]; then not_ok kallsyms-memory-list "exit $rc$(first_err /tmp/kt.err)"
elif cmp -s /tmp/ks.want /tmp/ks.got; then
    ok "kallsyms-memory-list = /proc/kallsyms, in order ($(wc -l < /tmp/ks.got) lines)"
else
    not_ok kallsyms-memory-list "differs from /proc/kallsyms ($(wc -l < /tmp/ks.got) vs $(wc -l < /tmp/ks.want) lines)"
    diff /tmp/ks.want /tmp/ks.got | head -n 6 | sed 's/^/#   /'
fi
out=$(ks ksym -M /proc/kcore 2>&1)
# (located by VMCOREINFO since 6.0, by the tables' shape before)
if printf '%s\n' "$out" | grep -Eq "^symbols: $(wc -l < /tmp/ks.want) from the kernel's kallsyms tables in memory \((VMCOREINFO SYMBOL\(kallsyms_names\)=0x|kallsyms_token_index found at 0x[0-9a-f]+ by its shape)"; then
    ok kallsyms-memory-findings
else not_ok kallsyms-memory-findings "$out"; fi
want=$(grep -E ' (jiffies_64|linux_banner)$' /proc/kallsyms | sort)
got=$(ks ksym -M /proc/kcore --explain linux_banner jiffies_64 2>/tmp/kt.err | cut -f1 | sort)
if [ -z "$want" ] || [ "$got" != "$want" ]; then
    not_ok kallsyms-memory-ksym "'$got' vs /proc/kallsyms '$want'$(first_err /tmp/kt.err)"
elif ! grep -q "symbols from the kernel's own kallsyms tables" /tmp/kt.err ||
    ! grep -q 'kallsyms addresses: .*equals VMCOREINFO SYMBOL(_stext)' /tmp/kt.err; then
    not_ok kallsyms-memory-ksym "--explain does not show the tables read from memory"
else ok kallsyms-memory-ksym; fi
# -N still wins over the tables.
got=$(ks ksym -M /proc/kcore -N /proc/kallsyms jiffies_64 2>&1 | cut -f2)
if [ "$got" = /proc/kallsyms ]; then ok kallsyms-memory-N-wins
else not_ok kallsyms-memory-N-wins "origin '$got'"; fi
# The tools with no namelist: kuptime, kps (types from the kernel's BTF).
ACCEPT="truth_accept clock_between"
# (a dump's users come from the utmp named with --utmp, here the live one)
check_between kallsyms-memory-kuptime "$PROCPS_UPTIME" "ks kuptime -M /proc/kcore --utmp /var/run/utmp"
ACCEPT=
if ks kuptime -M /proc/kcore --explain >/dev/null 2>/tmp/kt.err &&
    grep -q 'nlist: avenrun = .*(kallsyms))' /tmp/kt.err; then ok kallsyms-memory-kuptime-explain
else not_ok kallsyms-memory-kuptime-explain "avenrun not from the tables$(first_err /tmp/kt.err)"; fi
check_between kallsyms-memory-kps /bin/ps "ks kps -M /proc/kcore" -o pid,ppid,stat,ni,tty,comm,args -p 1
# The cache first; a symbol it lacks loads the tables, not a file.
KMEMSTAT_CACHE=/tmp/kc-ks-cache ksym -M /proc/kcore linux_banner >/dev/null 2>&1
got=$(KMEMSTAT_CACHE=/tmp/kc-ks-cache ksym -M /proc/kcore --explain jiffies_64 2>/tmp/kt.err | cut -f1)
if [ "$got" != "$(grep ' jiffies_64$' /proc/kallsyms)" ]; then
    not_ok kallsyms-memory-cache-miss "'$got'$(first_err /tmp/kt.err)"
elif grep -q 'symbols from the cache' /tmp/kt.err &&
    grep -q 'not in the symbol cache' /tmp/kt.err &&
    grep -q "symbols from the kernel's own kallsyms tables" /tmp/kt.err; then
    ok kallsyms-memory-cache-miss
else not_ok kallsyms-memory-cache-miss "--explain: no cache hit, or the miss did not read the tables"; fi

# The symbol cache (kvm_mkdb's idea): the first run writes it, the second
# reads it instead of /proc/kallsyms, and still agrees with procps.
export KMEMSTAT_CACHE=/tmp/kcache
kuptime >/dev/null 2>&1
if ls /tmp/kcache/*.map >/dev/null 2>&1; then ok cache-written
else not_ok cache-written "no /tmp/kcache/*.map after a run"; fi
kuptime --explain >/dev/null 2>/tmp/kt.err
# A symbol the kernel lacks (tk_core on 6.17+) must not send it back to
# the whole namelist either.
if grep -q 'symbols from the cache' /tmp/kt.err &&
    ! grep -q 'loading the full namelist' /tmp/kt.err; then ok cache-used
else not_ok cache-used "second run did not use the cache$(first_err /tmp/kt.err)"; fi
# ... and the struct members beside them, as a BTF subset.
if ls /tmp/kcache/*.btf >/dev/null 2>&1 && grep -q 'the cached subset' /tmp/kt.err &&
    ! grep -q 'loading the kernel' /tmp/kt.err; then ok type-cache-used
else not_ok type-cache-used "no .btf in /tmp/kcache, or not used$(first_err /tmp/kt.err)"; fi
check_kuptime cache "" ""
check_kloadavg cache

# kcapture, then the fixture replayed against the truth it recorded.
if kcapture -o /tmp/fx >/dev/null 2>/tmp/kt.err; then
    ok kcapture
    fx="-M /tmp/fx/vmcore -N /tmp/fx/System.map --btf /tmp/fx/btf"
    # shellcheck disable=SC2086
    same_out() { _n=$1 _f=$2; shift 2
        _o=$("$@" 2>&1); _w=$(cat "$_f")
        if [ "$_o" = "$_w" ]; then ok "$_n"; else not_ok "$_n" "'$_o' vs '$_w'"; fi; }
    # shellcheck disable=SC2086
    same_out replay-kuptime /tmp/fx/uptime.out kuptime $fx --utmp /tmp/fx/utmp
    # shellcheck disable=SC2086
    same_out replay-kuptime-s /tmp/fx/uptime-s.out kuptime -s $fx
    # The replay must give the recorded line; of /proc's, read just after
    # the kernel, only the running count may differ (by transient tasks).
    # shellcheck disable=SC2086
    set -- $(kloadavg $fx 2>&1); r1=${4%/*} rest1="$1 $2 $3 ${4#*/} $5"
    set -- $(cat /tmp/fx/proc-loadavg); r2=${4%/*} rest2="$1 $2 $3 ${4#*/} $5"
    d=$((r1 - r2)); [ "$d" -lt 0 ] && d=$((-d))
    if [ "$rest1" = "$rest2" ] && [ "$d" -le 2 ]; then ok replay-kloadavg
    else not_ok replay-kloadavg "'$rest1' running $r1 vs /proc '$rest2' running $r2"; fi
else
    not_ok kcapture "exit $?$(first_err /tmp/kt.err)"
fi

# A known load: two busy loops (one per vCPU) until the 1-minute average is
# clearly nonzero (about 15 s: avenrun moves every 5 s).
load_start 2
if load_wait 30 30; then ok load-nonzero; else not_ok load-nonzero "1-min load still $(cut -d' ' -f1 /proc/loadavg)"; fi
diag "under load: $(cat /proc/loadavg)"
run_all load
load_stop

result
