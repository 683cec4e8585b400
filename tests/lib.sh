# TAP helpers for the shell tests (sourced).  Every check prints one
# "ok"/"not ok" line; done_testing prints the plan.
tap_n=0
tap_fail=0
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}
bin=$top_builddir/cmd

ok() { tap_n=$((tap_n + 1)); echo "ok $tap_n - $1"; }
not_ok() {
	tap_n=$((tap_n + 1)); tap_fail=$((tap_fail + 1))
	echo "not ok $tap_n - $1: $2"
}
# same NAME GOT WANT
same() {
	if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1" "got '$2', want '$3'"; fi
}
# fails_with NAME PATTERN CMD...: non-zero exit, one stderr line matching.
fails_with() {
	_name=$1 _pat=$2; shift 2
	_rc=0; "$@" >/dev/null 2>"$tmpd/err" || _rc=$?
	_lines=$(wc -l < "$tmpd/err")
	if [ "$_rc" -eq 0 ]; then
		not_ok "$_name" "exit 0, expected failure"
	elif [ "$_rc" -ge 128 ]; then
		not_ok "$_name" "killed by signal $((_rc - 128))"
	elif [ "$_lines" -ne 1 ]; then
		not_ok "$_name" "$_lines lines of error: $(head -c 300 "$tmpd/err")"
	elif ! grep -Eq "$_pat" "$tmpd/err"; then
		not_ok "$_name" "error '$(cat "$tmpd/err")' lacks /$_pat/"
	else
		ok "$_name"
	fi
}
done_testing() { echo "1..$tap_n"; }

tmpd=$(mktemp -d "${TMPDIR:-/tmp}/kmemstat-test.XXXXXX")
trap 'rm -rf "$tmpd"' EXIT
# The symbol cache goes to the test's own directory, never /var/cache.
KMEMSTAT_CACHE=$tmpd/cache
export KMEMSTAT_CACHE
