#!/bin/sh
# Every test kmemstat has, as README and CI run them:
#   1. the unit, fixture and fallback tests (make check);
#   2. the same again built with AddressSanitizer and UBSan;
#   3. every fuzz harness for FUZZ_SECONDS (30) on its corpus (clang,
#      libFuzzer, ASan, UBSan: tests/fuzz/run.sh);
#   4. the real-kernel tests in a QEMU guest (make check-vm).
# Ends with the totals as one line: "N passed, M failed".
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
jobs=$(nproc 2>/dev/null || echo 2)
pass=0 fail=0 status=0

# Check's summary ("Checks: N, Failures: F, Errors: E") and TAP results.
tally() {
	for log in "$bdir"/tests/unit/*.log; do
		[ -f "$log" ] || continue
		set -- $(sed -n 's/.*Checks: \([0-9]*\), Failures: \([0-9]*\), Errors: \([0-9]*\).*/\1 \2 \3/p' "$log" | tail -n1)
		if [ $# -eq 3 ]; then
			pass=$((pass + $1 - $2 - $3)); fail=$((fail + $2 + $3))
		else
			echo "run-all: $log has no Check summary" >&2
			fail=$((fail + 1))
		fi
	done
	# Every TAP suite make check ran (tests/*.trs and tests/*/*.trs); a
	# suite that did not run fails make check itself.
	for trs in $(find "$bdir/tests" -name '*.trs' ! -path '*/unit/*' | sort); do
		pass=$((pass + $(grep -c '^:test-result: PASS' "$trs")))
		fail=$((fail + $(grep -c '^:test-result: \(FAIL\|ERROR\|XPASS\)' "$trs")))
	done
}

# build DIR CONFIGURE-ARGS...: configure, build and make check in DIR.
build() {
	bdir=$top/$1; shift
	mkdir -p "$bdir"
	(cd "$bdir" && "$top/configure" -q "$@" && make -s -j"$jobs" &&
	    make -s -j"$jobs" check) || status=1
	for log in "$bdir"/tests/*/*.log; do
		case $log in */test-suite.log) continue ;; esac
		grep -E '^(not ok|FAIL|ERROR)|:[0-9]+:[EF]:' "$log" 2>/dev/null
	done
	tally
}

cd "$top" && autoreconf -fi > /dev/null 2>&1 || { echo "autoreconf failed"; exit 1; }
# README's first command configures in the source tree; automake refuses
# out-of-tree builds beside that, so put the tree back as it came.
if [ -f "$top/config.status" ]; then
	echo "run-all: the source tree was configured in place; make distclean there first"
	make -s -C "$top" distclean > /dev/null 2>&1 || rm -f "$top/config.status"
fi
echo "== make check"
build build
echo "== make check under AddressSanitizer and UBSan"
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    build build-san --enable-sanitizers
echo "== fuzz harnesses, ${FUZZ_SECONDS:-30} s each"
fuzzlog=$top/build/fuzz-run.log
FUZZ_SECONDS=${FUZZ_SECONDS:-30} "$top/tests/fuzz/run.sh" "$top/build" \
    > "$fuzzlog" 2>&1 || status=1
cat "$fuzzlog"
set -- $(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' "$fuzzlog")
if [ $# -eq 2 ]; then
	pass=$((pass + $1)); fail=$((fail + $2))
else
	echo "run-all: the fuzz run printed no totals"
	fail=$((fail + 1))
fi
echo "== make check-vm (QEMU, TCG)"
vmlog=$top/build/check-vm.log
(cd "$top/build" && make -s check-vm) > "$vmlog" 2>&1 || status=1
cat "$vmlog"
# One totals line per guest suite (run-tests.sh, ktasks-run.sh,
# kmem-run.sh, dump-run.sh, matrix-run.sh).
vmtotals=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' "$vmlog")
if [ "$(printf '%s\n' "$vmtotals" | grep -c .)" -lt 5 ]; then
	echo "run-all: check-vm printed fewer than five suite totals"
	fail=$((fail + 1))
fi
while read -r p f; do
	[ -n "$p" ] || continue
	pass=$((pass + p)); fail=$((fail + f))
done <<EOT
$vmtotals
EOT

[ "$fail" -eq 0 ] || status=1
echo "$pass passed, $fail failed"
exit "$status"
