#!/bin/sh
# The task list from kernel memory against /proc, inside the QEMU guest
# (run as /guest.sh by ktasks-run.sh).  A zoo of processes of known
# shapes; then /proc read (ktaskdump --proc), kernel memory read
# (ktaskdump, sym_tasks over /proc/kcore, with the ORC unwind for the
# wchan), /proc read again; every field of every task compared.  A field
# is "exact" when kernel memory equals one of the two /proc reads,
# "within tolerance" when it lies between them (times and memory move
# while we read), else wrong.
set -u
. /lib-guest.sh

check env-kcore test -r /proc/kcore
diag "kernel $(uname -r), $(grep -c ^processor /proc/cpuinfo) CPUs, $(grep -o 'la57' /proc/cpuinfo | head -n1)"

# --- the zoo ----------------------------------------------------------------
sleep 1000 & P_SLEEP=$!
busybox sh -c 'while :; do :; done' & P_BUSY=$!
sleep 1001 & P_STOP=$!
kill -STOP "$P_STOP"
# a zombie: the child exits, its parent (now sleep) never waits
sh -c 'sleep 0 & exec sleep 1002' & P_ZPARENT=$!
sleep 1003 & P_NICE=$!
renice -n 7 -p "$P_NICE" > /dev/null
# a reader of an empty pipe ($! is the pipeline's last command)
sleep 1004 | cat > /dev/null & P_PIPE=$!
zoo threads threads 3
# argv of about 19 kB: four pages
zoo longargs pause $(seq 1 4000)
zoo proctitle proctitle a bb ccc
zoo mlock mlock
zoo rt rt
zoo uids uids
zoo vfork vfork
zoo trace trace
zoo tty tty
sleep 2
P_ZOMBIE=$(awk -v pp="$P_ZPARENT" '$4 == pp {print $1}' /proc/[0-9]*/stat 2>/dev/null | head -n1)
diag "zoo: sleep $P_SLEEP busy $P_BUSY stopped $P_STOP zombie ${P_ZOMBIE:-?} (parent $P_ZPARENT) nice $P_NICE pipe $P_PIPE threads $(zpid threads) longargs $(zpid longargs) proctitle $(zpid proctitle) mlock $(zpid mlock) rt $(zpid rt) uids $(zpid uids) vfork $(zpid vfork) traced $(zpid trace) tty $(zpid tty)"

# --- one comparison ---------------------------------------------------------
FIELDS="tid pid state ppid pgrp session tty_nr tpgid flags priority nice nlwp utime stime start_time vsize rss processor rt_priority policy vmlck uid uid_e uid_s uid_fs gid gid_e gid_s gid_fs cmdlen cmdcrc wchan csw comm"

# compare NAME A K B: per field, over the tasks in both /proc reads.
compare() {
    _name=$1
    awk -v fields="$FIELDS" -v name="$_name" -v self="$$" '
    function num(x) { return x ~ /^-?[0-9]+$/ }
    function kw(x) { sub(/[-+].*/, "", x); return x }
    BEGIN { nf = split(fields, F, " "); for (f = 1; f <= nf; f++) if (F[f] == "csw") csw = f }
    FNR == 1 { file++ }
    $1 == "psinfo" { P[file] = $0; next }
    { key = $1; L[file, key] = $0; if (file == 1) order[++n] = key }
    END {
        # psinfo: uptime between, the rest exact
        split(P[1], a, " "); split(P[2], k, " "); split(P[3], b, " ")
        ps = "exact"
        if (!(k[2] + 0 >= a[2] - 0.01 && k[2] + 0 <= b[2] + 0.01)) ps = "uptime " k[2] " not in [" a[2] "," b[2] "]"
        for (i = 3; i <= 6; i++) if (k[i] != a[i] && k[i] != b[i]) ps = "psinfo field " i ": " k[i] " vs " a[i]
        print "PSINFO " ps
        for (i = 1; i <= n; i++) {
            key = order[i]
            if (!((3, key) in L)) continue          # gone before the second read
            if (!((2, key) in L)) { missing++; miss = miss " " key; continue }
            both++
            split(L[1, key], a, " "); split(L[2, key], k, " "); split(L[3, key], b, " ")
            for (f = 1; f <= nf; f++) {
                if (F[f] == "csw") continue        # only /proc has it: for wchan
                if (k[f] == a[f] || k[f] == b[f]) { ex[f]++; continue }
                # a task that runs between the reads may wake on another
                # CPU: runnable tasks, kernel threads (PF_KTHREAD), which
                # wake every few ms (rcu_preempt, kworkers), and the shell
                # running this script, which forks each of the three reads
                if (F[f] == "processor" && (k[3] == "R" || a[3] == "R" || b[3] == "R" || int(a[9] / 2097152) % 2 == 1 || key == self)) { tol[f]++; continue }
                # a workqueue worker name carries the last workqueue it
                # ran (wq_worker_comm): the same worker, another work item
                if (F[f] == "comm" && int(a[9] / 32) % 2 == 1 && kw(k[f]) == kw(a[f])) { tol[f]++; continue }
                # where a task sleeps moves only if it ran: runnable in
                # a read, a state that changed, or a context switch
                # between the two /proc reads (kernel threads in I wake
                # and sleep elsewhere without a visible state change)
                if (F[f] == "wchan" && (k[3] == "R" || a[3] == "R" || b[3] == "R" || k[3] != a[3] || k[3] != b[3] || a[csw] != b[csw])) { tol[f]++; continue }
                # and its state too: R in both /proc reads, I in ours,
                # is a task that switched out and back in between them
                if (F[f] == "state" && a[csw] != b[csw]) { tol[f]++; continue }
                lo = a[f] + 0; hi = b[f] + 0
                if (lo > hi) { t = lo; lo = hi; hi = t }
                slack = (F[f] == "utime" || F[f] == "stime") ? 1 : 0
                if (num(k[f]) && num(a[f]) && num(b[f]) && k[f] + 0 >= lo - slack && k[f] + 0 <= hi + slack) {
                    tol[f]++; continue
                }
                bad[f]++
                if (bad[f] <= 4) why[f] = why[f] " [tid " key " " a[nf] ": kmem " k[f] ", /proc " a[f] "/" b[f] "]"
            }
        }
        print "TASKS " both " compared, " missing + 0 " missing:" miss
        for (f = 1; f <= nf; f++)
            if (F[f] != "csw")
                printf "FIELD %s %d %d %d%s\n", F[f], ex[f], tol[f], bad[f], why[f]
    }' "/tmp/$_name.A" "/tmp/$_name.K" "/tmp/$_name.B" > "/tmp/$_name.cmp"
    while read -r _kind _rest; do
        case $_kind in
            PSINFO)
                if [ "$_rest" = exact ]; then ok "$_name-psinfo"; else not_ok "$_name-psinfo" "$_rest"; fi ;;
            TASKS)
                diag "$_name: $_rest"
                case $_rest in *' 0 missing:'*) ok "$_name-none-missing" ;; *) not_ok "$_name-none-missing" "$_rest" ;; esac ;;
            FIELD)
                set -- $_rest
                _f=$1 _ex=$2 _tol=$3 _bad=$4; shift 4
                if [ "$_bad" -eq 0 ]; then
                    ok "$_name-$_f ($_ex exact, $_tol within tolerance)"
                else
                    not_ok "$_name-$_f" "$_bad wrong, $_ex exact, $_tol within tolerance: $*"
                fi ;;
        esac
    done < "/tmp/$_name.cmp"
}

# snapshot NAME FLAGS: /proc, kernel memory, /proc again.
snapshot() {
    _name=$1; shift
    ktaskdump --proc "$@" > "/tmp/$_name.A"
    if ! ktaskdump -t "$@" > "/tmp/$_name.K" 2> "/tmp/$_name.err"; then
        not_ok "$_name-read" "ktaskdump failed$(first_err /tmp/$_name.err)"
        return 1
    fi
    ktaskdump --proc "$@" > "/tmp/$_name.B"
    ok "$_name-read"
    diag "$_name: $(grep 'tasks in' /tmp/$_name.err)"
    compare "$_name"
}

snapshot procs -c -w
snapshot threads -T -c -w
# what the unwind costs: the walk without and with the wchan, twice
for _r in 1 2; do
    diag "cost: $(ktaskdump -t -T -c 2>&1 > /dev/null | sed 's/.*: //'); with wchan $(ktaskdump -t -T -c -w 2>&1 > /dev/null | sed 's/.*: //')"
done

# --- the zoo really had its shapes (from the kernel-memory read) ------------
kline() { awk -v t="$1" '$1 == t' /tmp/threads.K; }
kfield() { kline "$1" | awk -v f="$2" '{ print $f }'; }
shape() {   # shape NAME TID FIELDNUM WANT
    _got=$(kfield "$2" "$3")
    if [ "$_got" = "$4" ]; then ok "shape-$1"; else not_ok "shape-$1" "tid $2 field $3 is '$_got', want '$4': $(kline "$2")"; fi
}
shape sleeping "$P_SLEEP" 3 S
shape running "$P_BUSY" 3 R
shape stopped "$P_STOP" 3 T
shape zombie "${P_ZOMBIE:-0}" 3 Z
shape nice "$P_NICE" 11 7
shape disk-sleep-vfork "$(zpid vfork)" 3 D
shape traced "$(zpid trace)" 3 t
shape rt-policy "$(zpid rt)" 20 1
shape rt-priority "$(zpid rt)" 19 10
shape uids "$(zpid uids)" 23 2002
shape fsuid "$(zpid uids)" 25 2003
shape sgid "$(zpid uids)" 28 1003
shape vmlck "$(zpid mlock)" 21 12
shape nlwp "$(zpid threads)" 12 4
shape tty-pts0 "$(zpid tty)" 7 34816
shape tpgid "$(zpid tty)" 8 "$(zpid tty)"
shape kthread-no-cmdline 2 30 0
if [ "$(kfield "$(zpid longargs)" 30)" -gt 16000 ] 2>/dev/null; then ok shape-longargs
else not_ok shape-longargs "cmdline length $(kfield "$(zpid longargs)" 30)"; fi
if [ "$(awk '$3 == "I"' /tmp/threads.K | wc -l)" -gt 0 ]; then ok shape-idle-kthreads
else not_ok shape-idle-kthreads "no task in state I"; fi
if awk '$NF ~ /^kworker\/.*[+-]/' /tmp/threads.K | grep -q .; then ok shape-wq-worker-desc
else diag "no kworker with a +/-desc name in this run"; fi
diag "proctitle: $(kline "$(zpid proctitle)")"

# --- wchan: known sleepers, named by the unwind as /proc names them ---------
# wchan_is NAME TID PATTERN: kernel memory's wchan (field 32) matches the
# pattern and equals /proc's, before or after.
wchan_is() {
    _k=$(kfield "$2" 32)
    _a=$(awk -v t="$2" '$1 == t { print $32 }' /tmp/threads.A)
    _b=$(awk -v t="$2" '$1 == t { print $32 }' /tmp/threads.B)
    # shellcheck disable=SC2254
    case $_k in
        $3) if [ "$_k" = "$_a" ] || [ "$_k" = "$_b" ]; then ok "wchan-$1 ($_k)"
            else not_ok "wchan-$1" "tid $2: kmem '$_k', /proc '$_a' then '$_b'"; fi ;;
        *) not_ok "wchan-$1" "tid $2: kmem '$_k' is not $3 (/proc '$_a' then '$_b')" ;;
    esac
}
wchan_is nanosleep "$P_SLEEP" '*nanosleep*'
wchan_is stopped "$P_STOP" do_signal_stop
wchan_is pipe-read "$P_PIPE" pipe_read
wchan_is pause "$(zpid longargs)" '*sys_pause'
# (wait_for_vfork_done is inlined into kernel_clone in 6.1's build)
wchan_is vfork-parent "$(zpid vfork)" kernel_clone
wchan_is zombie-no-stack "${P_ZOMBIE:-0}" -
wchan_is running "$P_BUSY" -
wchan_is shell-wait "$$" do_wait
if [ "$(awk '$3 == "I" && $32 != "-"' /tmp/threads.K | wc -l)" -gt 0 ]; then ok wchan-idle-kthreads-named
else not_ok wchan-idle-kthreads-named "no idle kernel thread has a wchan"; fi
diag "threads: $(awk -v p="$(zpid threads)" '$2 == p' /tmp/threads.K | tr '\n' '|')"

# --- the page-table walker --------------------------------------------------
# transparent huge pages for the 2 MiB user-page check
echo always > /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null
diag "THP: $(cat /sys/kernel/mm/transparent_hugepage/enabled 2>&1), $(grep AnonHuge /proc/meminfo)"
ktaskdump --pt > /tmp/pt.out 2>&1
diag "THP after: $(grep AnonHuge /proc/meminfo)"
while read -r _pt _n _res _size; do
    [ "$_pt" = pt ] || continue
    case $_n in levels) diag "pt: $_n $_res $_size"; continue ;; esac
    if [ "$_res" = skip ]; then diag "pt-$_n skipped: $_size"; continue; fi
    if [ "$_res" = ok ]; then ok "pt-$_n ($_size)"; else not_ok "pt-$_n" "$_res $_size"; fi
done < /tmp/pt.out

# --- --explain names what it does -------------------------------------------
if ktaskdump -e -c > /dev/null 2> /tmp/explain.err && grep -q 'init_task' /tmp/explain.err &&
    grep -q 'page tables' /tmp/explain.err; then ok explain-trace
else not_ok explain-trace "$(head -n 3 /tmp/explain.err | tr '\n' ' ')"; fi
diag "explain lines: $(wc -l < /tmp/explain.err)"

# --- a list changing under the walk: fork storms, 20 walks, none may hang ---
i=0
while [ $i -lt 3 ]; do
    busybox sh -c 'while :; do /bin/true; done' & echo $! >> /tmp/storm.pids
    i=$((i + 1))
done
fails=0 retries=0 i=0
while [ $i -lt 20 ]; do
    if ! timeout 60 ktaskdump -T -c -e > /dev/null 2> /tmp/storm.err; then
        fails=$((fails + 1)); diag "storm walk $i: $(grep -v '^explain' /tmp/storm.err | head -n 2)"
    fi
    retries=$((retries + $(grep -c 'walking again' /tmp/storm.err)))
    i=$((i + 1))
done
while read -r p; do kill "$p" 2>/dev/null; done < /tmp/storm.pids
if [ "$fails" -eq 0 ]; then ok "churn-20-walks ($retries retries)"; else not_ok churn-20-walks "$fails of 20 failed"; fi

# --- kps on the zoo against procps ps ----------------------------------------
# Every shape but the spinning one (its CPU time moves between the two
# listings), in each format, -l with its WCHAN (the ORC unwind).
# KMEMSTAT_CACHE keeps the symbols and types between runs.
export KMEMSTAT_CACHE=/tmp/kcache
zp="$P_SLEEP,$P_STOP,$P_ZPARENT,$P_NICE,$P_PIPE"
[ -n "${P_ZOMBIE:-}" ] && zp="$zp,$P_ZOMBIE"
# (threads spins in all but its leader: its times move, so it is listed
# only in the thread formats, whose leader line is the process total)
for z in longargs proctitle mlock rt uids vfork trace tty; do
    p=$(zpid $z); [ -n "$p" ] && zp="$zp,$p"
done
kps_vs_ps() {
    _name=$1 _mask=$2; shift 2
    /bin/ps "$@" 2>&1 | awk -v m="$_mask" 'm { $m = "" } { print }' > /tmp/kz.want
    kps --source=kcore "$@" 2>&1 | awk -v m="$_mask" 'm { $m = "" } { print }' > /tmp/kz.got
    if cmp -s /tmp/kz.want /tmp/kz.got; then ok "$_name"
    else
        not_ok "$_name" "differs from ps $*"
        diff /tmp/kz.want /tmp/kz.got | grep '^[-+][^-+]' | head -n 6 | sed 's/^/#   /'
    fi
}
kps_vs_ps zoo-kps-default 0 -p "$zp"
kps_vs_ps zoo-kps-f 0 -f -p "$zp"
kps_vs_ps zoo-kps-F 0 -F -p "$zp"
kps_vs_ps zoo-kps-l 0 -l -p "$zp"
kps_vs_ps zoo-kps-o-wchan 0 -o pid,stat,wchan:30,comm -p "$zp"
kps_vs_ps zoo-kps-L-wchan 0 -L -o pid,lwp,wchan,comm -p "$(zpid vfork),$(zpid trace)"
kps_vs_ps zoo-kps-j 0 -j -p "$zp"
kps_vs_ps zoo-kps-u 0 u -p "$zp"
kps_vs_ps zoo-kps-L 0 -L -f -p "$zp"
kps_vs_ps zoo-kps-T 0 -T -p "$zp"
# threads: the structure (LWP, NLWP, the leader first) without the times
kps_vs_ps zoo-kps-threads 0 -L -o pid,lwp,nlwp,stat,comm -p "$(zpid threads)"
kps_vs_ps zoo-kps-o 0 -o pid,ppid,uid,euid,user,ruser,stat,state,ni,pri,rtprio,cls,tty,time,stime,vsz,rss,nlwp,comm,args -p "$zp"

# --- clean up the zoo ---------------------------------------------------------
kill -CONT "$P_STOP" 2>/dev/null
for p in $P_SLEEP $P_BUSY $P_STOP $P_ZPARENT $P_NICE $P_PIPE; do kill -9 "$p" 2>/dev/null; done
for z in threads longargs proctitle mlock rt uids vfork trace tty; do
    p=$(zpid $z); [ -n "$p" ] && kill -9 "$p" 2>/dev/null
done
# --- cost per task, at about 1,000 and 4,000 processes (big guests only,
# and only when ktasks-run.sh is asked to: KMEMSTAT_VM_BENCH=1) ---
# sym_tasks' own time (ktaskdump -t, no printing), against a plain /proc
# reader doing the same work and procps ps -e (whole runs, busybox time),
# with the zoo gone (its spinning tasks would share the CPUs).
if [ -e /bench-enabled ] && [ "$(awk '/MemTotal/ {print $2}' /proc/meminfo)" -gt 2000000 ]; then
    for target in 1000 4000; do
        while [ "$(ls -d /proc/[0-9]* | wc -l)" -lt "$target" ]; do
            sleep 100000 &
        done
        n=$(ls -d /proc/[0-9]* | wc -l)
        for r in 1 2 3; do
            ktaskdump -t > /dev/null 2> /tmp/b1; ktaskdump -t -c > /dev/null 2> /tmp/b2
            ktaskdump -t -T -c > /dev/null 2> /tmp/b3
            ktaskdump --proc -t -c > /dev/null 2> /tmp/b4
            busybox time -f '%e s' ps -e > /dev/null 2> /tmp/b5
            busybox time -f '%e s' ktaskdump -c > /dev/null 2> /tmp/b6
            diag "bench $n processes, run $r: sym_tasks $(sed -n 's/.*in //p' /tmp/b1), with cmdline $(sed -n 's/.*in //p' /tmp/b2), threads+cmdline $(sed -n 's/.*in //p' /tmp/b3); /proc reader $(sed -n 's/.* in //p' /tmp/b4); whole runs: procps ps -e $(cat /tmp/b5), ktaskdump -c $(cat /tmp/b6)"
        done
    done
fi

result
