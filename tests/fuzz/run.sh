#!/bin/sh
# Each fuzz harness for FUZZ_SECONDS (default 60) on its corpus and the
# regression inputs; any crash, hang (-timeout=10), leak or sanitizer
# report fails it.  One TAP line per harness, then "N passed, M failed".
#   run.sh [BUILDDIR]     (BUILDDIR: a configured tree, default ./build)
# The harnesses are built into BUILDDIR/fuzz with clang (build.sh).
# New inputs go to BUILDDIR/fuzz/work, findings to BUILDDIR/fuzz/crashes:
# copy a finding to tests/fuzz/regress/NAME/ once it is fixed.
set -u
src=$(cd "$(dirname "$0")/../.." && pwd)
bld=$(cd "${1:-$src/build}" && pwd)
secs=${FUZZ_SECONDS:-60}
out=$bld/fuzz
if ! "$src/tests/fuzz/build.sh" "$src" "$bld" "$out" > "$out.log" 2>&1; then
	cat "$out.log"
	echo "not ok 1 - building the harnesses (clang, libFuzzer)"
	echo "0 passed, 1 failed"
	exit 1
fi
pass=0 fail=0 i=0
for bin in "$out"/fuzz_*; do
	[ -x "$bin" ] || continue
	n=${bin##*/fuzz_}
	i=$((i + 1))
	mkdir -p "$out/work/$n" "$out/crashes"
	log=$out/$n.log
	seeds=
	for d in "$src/tests/fuzz/corpus/$n" "$src/tests/fuzz/regress/$n"; do
		[ -d "$d" ] && seeds="$seeds $d"
	done
	# shellcheck disable=SC2086
	ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	    "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
	    -artifact_prefix="$out/crashes/$n-" -print_final_stats=1 \
	    "$out/work/$n" $seeds > "$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n1)
	if [ "$rc" -eq 0 ]; then
		echo "ok $i - $n: ${execs:-?} executions, ${cov:-cov: ?}"
		pass=$((pass + 1))
	else
		echo "not ok $i - $n: exit $rc after ${execs:-?} executions"
		grep -m3 -E 'ERROR: |runtime error|SUMMARY' "$log" | sed 's/^/# /'
		ls "$out/crashes" | grep "^$n-" | sed 's/^/# finding: /'
		fail=$((fail + 1))
	fi
done
echo "1..$i"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
