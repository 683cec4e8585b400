#!/bin/sh
# Every fuzz harness's entry, built without libFuzzer (replay_NAME), on
# its seed corpus and on each committed finding in tests/fuzz/regress/NAME:
# no crash, no sanitizer report (in the sanitizer build), within 10 s.
set -u
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

fz=$top_srcdir/tests/fuzz
for n in core phys nl_map vmcoreinfo btf symcache vmlinux; do
	exe=$top_builddir/tests/fuzz/replay_$n
	if [ ! -x "$exe" ]; then
		not_ok "$n: replay driver" "$exe not built"
		continue
	fi
	for f in "$fz/corpus/$n"/* "$fz/regress/$n"/*; do
		[ -f "$f" ] || continue
		what=${f#"$fz"/}
		rc=0
		timeout 10 "$exe" "$f" > "$tmpd/out" 2>&1 || rc=$?
		if [ "$rc" -eq 0 ]; then
			ok "$n: $what"
		else
			not_ok "$n: $what" "exit $rc: $(grep -m2 -E \
			    'ERROR|runtime error|SUMMARY' "$tmpd/out" | tr '\n' ' ')"
		fi
	done
done
done_testing
