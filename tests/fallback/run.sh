#!/bin/sh
# The tools on a machine whose kernel memory can't be read (this one: no
# /proc/kcore, no /dev/kmem): they fall back to /proc and must print what
# procps prints, and each kernel memory source must be refused for the
# reason this machine really has.
set -u
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

# procps output before and after ours: the clock or the load may tick.
either() {
	_name=$1 _tool=$2; shift 2
	_before=$("$_tool" "$@" 2>&1)
	_ours=$("$bin/k$_tool" "$@" 2>&1)
	_after=$("$_tool" "$@" 2>&1)
	if [ "$_ours" = "$_before" ] || [ "$_ours" = "$_after" ]; then
		ok "$_name"
	else
		not_ok "$_name" "ours '$_ours', procps '$_before' / '$_after'"
	fi
}
either "kuptime = procps uptime" uptime
either "kuptime -p = procps uptime -p" uptime -p
either "kuptime -s = procps uptime -s" uptime -s
either "kw = procps w" w
either "kw -s = procps w -s" w -s
either "kw -h = procps w -h" w -h

# The three averages equal /proc/loadavg read before or after.
b=$(cut -d' ' -f1-3 /proc/loadavg)
o=$("$bin/kloadavg" | cut -d' ' -f1-3)
a=$(cut -d' ' -f1-3 /proc/loadavg)
if [ "$o" = "$b" ] || [ "$o" = "$a" ]; then ok "kloadavg = /proc/loadavg"
else not_ok "kloadavg = /proc/loadavg" "'$o' vs '$b' / '$a'"; fi
if "$bin/kloadavg" | grep -Eqx '[0-9]+\.[0-9]{2} [0-9]+\.[0-9]{2} [0-9]+\.[0-9]{2} [0-9]+/[0-9]+ [0-9]+'
then ok "kloadavg line format"; else not_ok "kloadavg line format" "$("$bin/kloadavg")"; fi

# Each source refused for the reason this machine has.
if [ -e /proc/kcore ]; then
	if [ -r /proc/kcore ]; then
		"$bin/kloadavg" --source=kcore > /dev/null 2>&1 &&
		    ok "kcore readable here: --source=kcore works" ||
		    not_ok "--source=kcore" "readable but failed"
	else
		fails_with "--source=kcore refused: privileges" \
		    'kcore: needs root or CAP_SYS_RAWIO' "$bin/kloadavg" --source=kcore
	fi
else
	fails_with "--source=kcore refused: absent" \
	    '/proc/kcore: absent: .*CONFIG_PROC_KCORE' "$bin/kloadavg" --source=kcore
fi
if [ -e /dev/kmem ]; then
	not_ok "/dev/kmem" "present on this machine: the test expects a modern kernel"
else
	fails_with "--source=kmem refused: removed in 5.13" \
	    '/dev/kmem: absent: removed in Linux 5.13 \(CONFIG_DEVKMEM\)' \
	    "$bin/kuptime" --source=kmem
fi
if [ -e /dev/mem ]; then
	fails_with "--source=mem refused" '/dev/mem: ' "$bin/kloadavg" --source=mem
else
	fails_with "--source=mem refused: absent" '/dev/mem: absent' \
	    "$bin/kloadavg" --source=mem
fi
fails_with "--compare needs kernel memory" 'no kernel memory' \
    "$bin/kuptime" --compare

# --explain says why each source was refused, and that /proc was used.
"$bin/kuptime" --explain > /dev/null 2> "$tmpd/explain"
if grep -q 'refused: /dev/kmem' "$tmpd/explain" &&
    grep -q 'falling back to /proc' "$tmpd/explain"; then
	ok "--explain lists refusals and the fallback"
else
	not_ok "--explain" "$(head -c 400 "$tmpd/explain")"
fi

# ksym against /proc/kallsyms itself.
want=$(awk '$3 == "_text" { print $1; exit }' /proc/kallsyms)
got=$("$bin/ksym" _text 2>&1 | cut -d' ' -f1)
same "ksym _text = /proc/kallsyms" "$got" "$want"

# Hostile input on the command line: one-line errors, no crash.
fails_with "bad --source" 'not one of' "$bin/kuptime" --source=bogus
fails_with "-M missing file" '/nonexistent/core: No such file' \
    "$bin/kloadavg" -M /nonexistent/core
printf 'not an ELF file at all\n' > "$tmpd/text"
fails_with "-M not ELF" 'not an ELF' "$bin/kloadavg" -M "$tmpd/text"
: > "$tmpd/empty"
fails_with "-M empty file" 'empty' "$bin/kloadavg" -M "$tmpd/empty"
# Not ELF: a raw memory image must hold the kernel's VMCOREINFO page.
head -c 262144 /dev/zero > "$tmpd/zeros"
fails_with "-M raw image with no kernel" 'no VMCOREINFO' "$bin/kloadavg" -M "$tmpd/zeros"
fails_with "-M raw image with no kernel, mmap" 'no VMCOREINFO' "$bin/kloadavg" --mmap -M "$tmpd/zeros"
{ printf 'KDUMP   '; head -c 8184 /dev/zero; } > "$tmpd/kdump"
fails_with "-M kdump header with nothing behind" 'kdump' "$bin/kloadavg" -M "$tmpd/kdump"
{ printf 'makedumpfile'; head -c 4084 /dev/zero; } > "$tmpd/flat"
fails_with "-M flattened makedumpfile output" 'makedumpfile -R' "$bin/kloadavg" -M "$tmpd/flat"
printf 'ffffffffffffffff B The real System.map is in the linux-image-6.1.0-1-amd64-dbg package\n' > "$tmpd/System.map"
fails_with "-N Debian placeholder recognised" 'placeholder' \
    "$bin/ksym" -N "$tmpd/System.map" _text
printf 'ffffffff81000000 T _text\nffffffff81000010 T other' > "$tmpd/nonl.map"
fails_with "-N symbol missing" 'avenrun: not in' \
    "$bin/ksym" -N "$tmpd/nonl.map" avenrun
# /proc needs no namelist: one the user named is not ignored in silence,
# but the answer still comes (a warning, as procps would give).
warns() {
	_name=$1; shift
	_rc=0; "$@" > "$tmpd/out" 2> "$tmpd/err" || _rc=$?
	if [ "$_rc" -ne 0 ] || [ ! -s "$tmpd/out" ]; then
		not_ok "$_name" "exit $_rc, $(wc -l < "$tmpd/out") lines of output"
	elif [ "$(wc -l < "$tmpd/err")" -ne 1 ] ||
	    ! grep -q 'not used: reading /proc' "$tmpd/err"; then
		not_ok "$_name" "warning: '$(head -c 300 "$tmpd/err")'"
	else
		ok "$_name"
	fi
}
warns "-N with /proc only" "$bin/kuptime" --source=proc -N "$tmpd/nonl.map"
warns "--btf with /proc only" "$bin/kps" --source=proc --btf "$tmpd/nonl.map"
done_testing
