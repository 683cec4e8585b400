#!/bin/sh
# kps against procps-ng 4.0.2 ps on this host, byte for byte.  A zoo of
# processes with known shapes is started here (long and odd argument
# lists, odd comms, stopped, niced, real-time, zombie, session leader,
# other users, a terminal, threads, locked memory), then every format is
# printed by both for exactly those pids.  ps runs before and after kps:
# ELAPSED, TIME or %CPU may tick between two runs, and kps must equal one
# of them.  The whole-system listings (-e, aux, ...) also tolerate
# processes that appear or vanish between the runs.  Expected output
# always comes from procps, never from kps.
set -u
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

kps=$bin/kps
if ! ps --version 2>/dev/null | grep -q 'procps-ng 4\.0\.2$'; then
	echo "1..0 # SKIP needs procps-ng 4.0.2 ps as the oracle"
	exit 0
fi
# ps reads these; kps implements the default personality only.
unset COLUMNS LINES PS_FORMAT PS_PERSONALITY CMD_ENV I_WANT_A_BROKEN_PS
root=0
[ "$(id -u)" = 0 ] && root=1

# ---- the zoo ----------------------------------------------------------
zoo=""				# every pid we started, to kill at the end
pids=""				# the pids the formats are checked on
adopt() { zoo="$zoo $1"; pids="${pids:+$pids,}$1"; }
cleanup() {
	for p in $zoo; do kill -KILL "$p" 2>/dev/null; done
	rm -rf "$tmpd"
}
trap cleanup EXIT
have() { command -v "$1" >/dev/null 2>&1; }
# The threads of $1 once it has $2 of them (or give up after 5 s).
wait_threads() {
	_i=0
	while [ "$(awk '/^Threads:/ { print $2 }' "/proc/$1/status" \
	    2>/dev/null)" != "$2" ] && [ $_i -lt 50 ]; do
		sleep 0.1; _i=$((_i + 1))
	done
}

# Long argument lists: a few KiB, and one past procps's 128 KiB read.
many=$(i=0; while [ $i -lt 2000 ]; do printf '0 '; i=$((i + 1)); done)
sleep 86400 $many & adopt $!
huge=$(i=0; while [ $i -lt 70000 ]; do printf '0 '; i=$((i + 1)); done)
sleep 86400 $huge & adopt $!
# Odd bytes in the arguments: blanks, tab, newline, UTF-8, invalid UTF-8.
if have perl; then
	perl -e 'sleep 86400' -- 'two words' "$(printf 'tab\there')" \
	    "$(printf 'new\nline')" "$(printf '\303\251t\303\251')" \
	    "$(printf '\377bad\300')" "$(printf 'ctl\001\177x')" '' 'end ' &
	adopt $!
	# A comm set by the program, with blanks and parentheses.
	perl -e '$0 = "we) (ird name"; sleep 86400' & adopt $!
	perl -e '$0 = "t\tn\n) x\xc3\xa9"; sleep 86400' & adopt $!
fi
# comms from the file name: ")", blanks, a tab, UTF-8, more than 15 bytes.
for name in 'a) (b c' "$(printf 't\tab')" "$(printf 'h\303\251llo')" \
    kmemstat-zoo-sleeper-long; do
	cp "$(command -v sleep)" "$tmpd/$name"
	"$tmpd/$name" 86400 & adopt $!
done
# Stopped once it is sleep, not the shell that forked it.
sleep 86400 & stopped=$!; adopt $stopped
_i=0
while [ "$(cat "/proc/$stopped/comm" 2>/dev/null)" != sleep ] && [ $_i -lt 50 ]
do
	sleep 0.1; _i=$((_i + 1))
done
kill -STOP $stopped
nice -n 5 sleep 86400 & adopt $!
setsid sleep 86400 & leader=$!; adopt $leader
if [ $root = 1 ]; then
	nice -n -5 sleep 86400 & adopt $!
	have chrt && { chrt -f 10 sleep 86400 & adopt $!; }
	if have setpriv; then
		# nobody, a name longer than USER's 8 columns if there is
		# one, and a uid with no name at all
		long=$(awk -F: 'length($1) > 8 { print $3; exit }' /etc/passwd)
		for u in 65534 ${long:-} 4242; do
			setpriv --reuid=$u --regid=$u --clear-groups \
			    sleep 86400 & adopt $!
		done
	fi
fi
# A zombie: a parent that never reaps its child.
if have perl; then
	perl -e 'fork or exit 0; sleep 86400' & adopt $!
	zparent=$!
fi
# Threads (perl built with ithreads), and locked memory.
if have perl && perl -Mthreads -e 1 2>/dev/null; then
	perl -Mthreads -e 'threads->create(sub { sleep 86400 }) for 1..3;
	    sleep 86400' & threaded=$!; adopt $threaded
	wait_threads $threaded 4
fi
if [ $root = 1 ] && have python3 &&
    python3 -c 'import ctypes; ctypes.CDLL(None).mlockall' 2>/dev/null; then
	python3 -c 'import ctypes, time; ctypes.CDLL(None).mlockall(3);
time.sleep(86400)' & adopt $!
fi
# A process on a terminal (script(1) gives it a pty).
if have script; then
	script -qfc 'exec sleep 86400' /dev/null </dev/null >/dev/null 2>&1 &
	zoo="$zoo $!"
	scriptpid=$!
fi
sleep 2				# let start-up CPU time fade in %CPU
# The children of $1 (the zombie, the sleeper on the terminal).
children() {
	for _d in /proc/[0-9]*; do
		[ "$(awk '{ print $4 }' "$_d/stat" 2>/dev/null)" = "$1" ] &&
		    echo "${_d#/proc/}"
	done
}
for p in ${zparent:-} ${scriptpid:-}; do
	for c in $(children "$p"); do adopt "$c"; done
done

# ---- comparing --------------------------------------------------------
# check NAME ARGS...: kps ARGS prints what ps ARGS printed just before or
# just after it, and exits the same way.  Tried twice: a young process's
# %CPU can cross two roundings within one triple.
run() { "$@" 2>&1; echo "exit $?"; }
check_once() {
	_before=$(run ps "$@")
	_ours=$(run "$kps" "$@")
	_after=$(run ps "$@")
	[ "$_ours" = "$_before" ] || [ "$_ours" = "$_after" ]
}
check() {
	_name=$1; shift
	# A busy machine can let a clock column tick twice between the reads.
	if check_once "$@" || check_once "$@" || check_once "$@"; then
		ok "$_name"
	else
		printf '%s\n' "$_before" > "$tmpd/want"
		printf '%s\n' "$_ours" > "$tmpd/got"
		not_ok "$_name" "$(diff "$tmpd/want" "$tmpd/got" | head -8)"
	fi
}

# A whole-system listing: $1 is the column that identifies a line.  The
# lines of the ps and kps processes themselves are dropped.  A line whose
# key ps showed too must equal ps's line before or after, except in the
# columns that move whenever a task runs (C %CPU TIME STAT S WCHAN PSR
# RSS SZ VSZ %MEM NLWP) and a kworker's current work queue: those are
# checked exactly on the zoo, which holds still.  Keys seen by one run
# only (processes come and go) are tolerated, up to 30.
snap() { sh -c 'echo "$$"; exec "$@"' sh "$@"; }
full_once() {
	_key=$1; shift
	snap ps "$@" > "$tmpd/b" 2>&1
	snap "$kps" "$@" > "$tmpd/k" 2>&1
	snap ps "$@" > "$tmpd/a" 2>&1
	awk -v key="$_key" '
	function kworker(s) { sub(/-.*/, "", s); return s }
	function close_enough(got, want,   g, w, n, i) {
		if (got == want) return 1
		if ((n = split(got, g)) != split(want, w)) return 0
		for (i = 1; i <= n; i++)
			if (g[i] != w[i] && !(i < ncol && vol[head1[i]]) &&
			    !(g[i] ~ /^\[?kworker\// &&
			    kworker(g[i]) == kworker(w[i])))
				return 0
		return 1
	}
	BEGIN { split("C %CPU TIME STAT S WCHAN PSR RSS SZ VSZ %MEM NLWP", v)
		for (i in v) vol[v[i]] = 1 }
	FNR == 1 { skip[$1] = 1; f++; next }	# the lister itself
	FNR == 2 { head[f] = $0; if (f == 1) ncol = split($0, head1); next }
	f < 3 { line[f, $key] = $0; seen[f, $key] = 1; next }
	{ kseen[$key] = 1; order[++n] = $key; kline[$key] = $0 }
	END {
		if (head[3] != head[1]) { print "header: " head[3]; bad++ }
		for (i = 1; i <= n; i++) {
			k = order[i]
			if (k in skip) continue
			if (!seen[1, k] && !seen[2, k]) { odd++; continue }
			if (!close_enough(kline[k], line[1, k]) &&
			    !close_enough(kline[k], line[2, k])) {
				print "ps:  " line[1, k]; print "kps: " kline[k]
				bad++
			}
		}
		for (s in seen) {
			split(s, p, SUBSEP)
			if (p[1] == 1 && seen[2, p[2]] && !(p[2] in kseen) &&
			    !(p[2] in skip)) {
				print "missing: " line[1, p[2]]
				bad++
			}
		}
		if (odd > 30) { print odd " lines only in kps"; bad++ }
		exit bad > 0
	}' "$tmpd/b" "$tmpd/a" "$tmpd/k" > "$tmpd/why"
}
full() {
	_name=$1; shift
	if full_once "$@" || full_once "$@" || full_once "$@"; then
		ok "$_name"
	else
		not_ok "$_name" "$(head -6 "$tmpd/why")"
	fi
}

# ---- the formats, on the zoo ------------------------------------------
check "default format" -p "$pids"
check "-f" -f -p "$pids"
check "-F" -F -p "$pids"
check "-l" -l -p "$pids"
check "-lf" -lf -p "$pids"
check "-ly" -ly -p "$pids"
check "-j" -j -p "$pids"
check "-jf" -jf -p "$pids"
check "-c" -fc -p "$pids"
check "-lc" -lc -p "$pids"
check "-P" -P -p "$pids"
check "-w -f" -wf -p "$pids"
check "BSD u" u -p "$pids"
check "BSD j" j -p "$pids"
check "BSD l" l -p "$pids"
check "BSD uww" uww -p "$pids"
check "BSD un" un -p "$pids"
# shellcheck disable=SC2046
check "BSD u with trailing pids" u $(echo "$pids" | tr , ' ')
check "trailing pids alone" $(echo "$pids" | tr , ' ')
check "-o every common column" \
    -o pid,ppid,uid,user,stat,state,ni,pri,tty,time,etime,stime,start \
    -o vsz,rss,nlwp,wchan,comm,args \
    -p "$pids"
check "-o cmd %cpu %mem" -o pid,cmd,%cpu,%mem -p "$pids"
check "-o comm not last (cut to 15)" -o comm,pid -p "$pids"
check "-o args not last (cut to 27)" -o args,pid -p "$pids"
check "-o ids and groups" \
    -o pid,euid,ruid,suid,fuid,egid,rgid,sgid,fgid,euser,ruser,suser \
    -o fuser,egroup,rgroup,sgroup,fgroup \
    -p "$pids"
check "-o sched columns" \
    -o pid,cls,class,policy,rtprio,sched,pri,opri,priority,intpri,ni,c,cp \
    -p "$pids"
check "-o session columns" \
    -o pid,pgid,pgrp,sid,sess,session,tpgid,tgid,tty,tt,tname -p "$pids"
check "-o times" \
    -o pid,etimes,cputime,cputimes,times,bsdtime,bsdstart,lstart,start_time \
    -p "$pids"
check "-o memory" -o pid,vsz,vsize,rss,rssize,rsz,sz,%mem,pmem -p "$pids"
check "-o misc" \
    -o pid,f,flag,flags,s,psr,sgi_p,thcount,util,lastcpu,addr,fname,ucmd \
    -o ucomm -p "$pids"
check "-o header overrides" -o pid=PROCESS,comm=,user=WHO -p "$pids"
check "-o headers all empty: no header" -o pid=,comm= -p "$pids"
check "-o widths" -o pid:9,user:3,comm:4,args:12 -p "$pids"
check "-o several lists" -o pid -o user= -o comm -p "$pids"
check "--format" --format pid,comm -p "$pids"
check "-o macro" -o DefBSD -p "$pids"
PS_FORMAT=pid,user,args; export PS_FORMAT
check "PS_FORMAT" -p "$pids"
check "PS_FORMAT loses to -f" -f -p "$pids"
unset PS_FORMAT
check "--sort=-pid" --sort=-pid -p "$pids"
check "--sort keys" -o pid,ni,user,rss,comm --sort=-ni,user,pid -p "$pids"
check "--sort start_time" -o pid,stime,comm --sort=start_time,-pid -p "$pids"
check "--sort comm" -o pid,comm --sort=comm -p "$pids"
check "--sort args" -o pid,args --sort=args -p "$pids"
check "--sort %cpu %mem rss vsz" -o pid,%cpu,%mem,rss,vsz \
    --sort=-%cpu,-%mem,rss,vsz,pid -p "$pids"
check "--sort user ppid" -o pid,ppid,user --sort=user,-ppid -p "$pids"
check "BSD o and k" o pid,comm k -pid -p "$pids"
check "--no-headers" --no-headers -p "$pids"
check "BSD h" h -p "$pids"
check "-N deselect" --deselect -o pid,comm -u 0,65534 -p 1
check "-C" -C kmemstat-zoo-sl
check "-C longer than 15" -C kmemstat-zoo-sleeper-long,sleep -o pid,comm
check "-u nobody" -u nobody
check "-U" -U 65534 -o pid,ruser,euser,comm
check "-p with a gone pid" -p 99999999
[ -n "${zparent:-}" ] && check "--ppid" --ppid "$zparent" -o pid,ppid,stat,args
check "-s" -s "$(ps -o sid= -p "$leader" | tr -d ' ')" -o pid,sid,comm
check "-g sessions" -g "$(ps -o sid= -p "$leader" | tr -d ' ')" -o pid,sid
if [ $root = 1 ] && have setpriv; then
	check "-G" -G 65534 -o pid,rgroup,egroup,comm
	check "--group" --group nogroup -o pid,group,comm
fi
if [ -n "${scriptpid:-}" ]; then
	tty=$(ps -o tty= --ppid "$scriptpid" | tr -d ' ')
	check "-t" -t "$tty" -o pid,tty,stat,tpgid,comm
	check "BSD t" t "$tty"
fi
check "-p nothing matches" -p 4194303

# Terminal widths: COLUMNS, -w, --cols; and a C locale's escaping.
for c in 30 80 132; do
	COLUMNS=$c; export COLUMNS
	check "COLUMNS=$c -f" -f -p "$pids"
	check "COLUMNS=$c u" u -p "$pids"
	check "COLUMNS=$c -o pid,user,args" -o pid,user,args -p "$pids"
	unset COLUMNS
done
COLUMNS=20; export COLUMNS
check "COLUMNS=20 -w -f" -wf -p "$pids"
check "COLUMNS=20 -o user,wchan,comm" -o user,wchan,comm -p "$pids"
check "COLUMNS=9 -o pid,comm" -o pid,comm -p "$pids"
unset COLUMNS
check "--cols 40" --cols 40 -f -p "$pids"
# On a terminal: its width, from the tty itself.
if have script && have stty; then
	for c in 50 100; do
		_before=$(script -qc "stty cols $c rows 20; ps -f -p $pids" \
		    /dev/null </dev/null)
		_ours=$(script -qc "stty cols $c rows 20; $kps -f -p $pids" \
		    /dev/null </dev/null)
		same "terminal $c columns wide" "$_ours" "$_before"
	done
fi
LC_ALL=C; export LC_ALL
check "LC_ALL=C -f" -f -p "$pids"
check "LC_ALL=C -o comm,args" -o comm,args -p "$pids"
unset LC_ALL

# Threads.
if [ -n "${threaded:-}" ]; then
	check "-L" -L -p "$threaded"
	check "-Lf" -Lf -p "$threaded"
	check "-T" -T -p "$threaded"
	check "-L -o" -L -o pid,lwp,tid,spid,nlwp,stat,comm -p "$threaded"
	check "-L with --sort lists processes" -L --sort=pid -p "$threaded"
	check "BSD H" H -o pid,tid,stat -p "$threaded"
	check "-eLf threads of the zoo" -Lf -p "$pids"
else
	ok "# SKIP threads: perl without ithreads"
fi

# The whole system.
full "no options" 1
full "-e" 1 -e
full "-ef" 2 -ef
full "-eF" 2 -eF
full "-el" 4 -el
full "-ej" 1 -ej
full "aux" 2 aux
full "ax" 1 ax
full "ux" 2 ux
full "axj" 2 axj
full "axl" 3 axl
full "-eL" 2 -eL
full "-eLf" 4 -eLf
full "-aux (BSD on second try)" 2 -aux
full "-e -o pid,args" 1 -e -o pid,args

# Errors: one line, non-zero exit.
fails_with "unknown column" 'unknown user-defined format specifier "nosuch"' \
    "$kps" -o pid,nosuch
fails_with "a comma ends a header" 'unknown user-defined format specifier "B"' \
    "$kps" -o pid,comm=A,B
fails_with "bad width" 'column widths must be unsigned decimal' "$kps" -o pid:0
fails_with "width on a macro" 'can not set width for a macro' "$kps" -o DefBSD:3
fails_with "improper list" 'improper format list' "$kps" -o ,pid
fails_with "unknown sort key" 'unknown sort specifier' "$kps" --sort=nosuch
fails_with "two sorts" 'multiple sort options' "$kps" --sort=pid --sort=ppid
fails_with "pid 0" 'process ID out of range' "$kps" -p 0
fails_with "pid junk" 'process ID list syntax error' "$kps" -p 12x
fails_with "no such user" 'user name does not exist' "$kps" -u no-such-user-here
fails_with "-L and -T" "can't use both -L and -T" "$kps" -L -T
fails_with "-o with -f" 'conflicting format options' "$kps" -f -o pid
fails_with "-y without -l" 'modifier -y without format -l' "$kps" -y
fails_with "BSD garbage" 'unsupported' "$kps" aQz
if [ ! -e /proc/kcore ] && [ ! -e /dev/kmem ]; then
	fails_with "--compare needs kernel memory" 'no kernel memory' \
	    "$kps" --compare
fi
done_testing
