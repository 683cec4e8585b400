#!/bin/sh
# The man pages against the code: every --source name the built tool
# takes is in kmemstat(7)'s list of sources and nothing else is; the
# messages kmemstat(7) quotes are the tool's; every page is installed,
# points to kmemstat(7) and no longer says physical dumps or kcapture -M
# are refused; every page lints clean.  TAP; run by make check.
set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
. "$top_srcdir/tests/lib.sh"
export KMEMSTAT_CACHE
man=$top_srcdir/man
seven=$man/kmemstat.7

# section NAME FILE: the lines of one .Sh section
section() {
	awk -v s=".Sh $1" '$0 == s {on = 1; next} /^\.Sh / {on = 0} on' "$2"
}
# text FILE: the words of a page, macros dropped, one sentence or clause a
# line, so that a claim wrapped over macro lines reads as one.
text() {
	sed -e '/^\.\\"/d' -e 's/^\.[A-Za-z][A-Za-z]* *//' \
	    -e 's/ \([.,;:)]\) *$/\1/' -e 's/\\&//g' "$1" | tr '\n' ' ' |
	    tr -s ' ' | sed 's/\([.;:]\) /\1\n/g'
}

# 1-2: the --source names, from the built tool's own usage error
"$bin/kuptime" --source=bogus > /dev/null 2> "$tmpd/err"
rc=$?
names=$(sed -n 's/.*--source=bogus: not one of //p' "$tmpd/err" | tr -d ',')
listed=$(section "MEMORY SOURCES" "$seven" | sed -n 's/^\.It Cm \([a-z]*\)$/\1/p')
if [ "$rc" -ne 2 ] || [ -z "$names" ]; then
	not_ok "kuptime --source=bogus names the sources" \
	    "exit $rc, '$(cat "$tmpd/err")'"
else
	missing=
	for n in $names; do
		printf '%s\n' "$listed" | grep -qx "$n" || missing="$missing $n"
	done
	same "every --source name ($names) has an entry in kmemstat.7's sources" \
	    "${missing:-none}" none
fi
extra=
for n in $listed; do
	case " $names " in *" $n "*) ;; *) extra="$extra $n" ;; esac
done
[ -n "$listed" ] || extra="no .It Cm entries under MEMORY SOURCES"
same "kmemstat.7 lists no source --source refuses" "${extra:-none}" none

# 3-4: the messages kmemstat(7) quotes, as the tool prints them.
# quoted ERRFILE WHAT [PATH]: PATH in the message reads FILE on the page.
quoted() {
	msg=$(sed "s|^kuptime: ||" "$1")
	[ $# -lt 3 ] || msg=$(printf '%s\n' "$msg" | sed "s|$3|FILE|g")
	if [ -z "$msg" ]; then
		not_ok "kmemstat.7 quotes: $2" "the tool printed nothing"
	elif grep -qxF ".It \"$msg\"" "$seven"; then
		ok "kmemstat.7 quotes the tool: $msg"
	else
		not_ok "kmemstat.7 quotes: $2" "no '.It \"$msg\"'"
	fi
}
quoted "$tmpd/err" "the --source usage error"
flat=$tmpd/flat.dump
{ printf 'makedumpfile'; head -c 8192 /dev/zero; } > "$flat"
"$bin/kuptime" -M "$flat" > /dev/null 2> "$tmpd/err"
quoted "$tmpd/err" "the flattened format's fix" "$flat"

# 5: every page is installed, and every tool has one
pages=$(sed -n 's/^dist_man_MANS *= *//p' "$top_srcdir/Makefile.am")
bins=$(sed -n 's/^bin_PROGRAMS *= *//p' "$top_srcdir/Makefile.am")
bad=
for f in "$man"/*.[0-9]; do
	case " $pages " in *" man/${f##*/} "*) ;; *) bad="$bad ${f##*/}" ;; esac
done
for b in $bins; do
	case " $pages " in *" man/${b##*/}.1 "*) ;; *) bad="$bad no-page:${b##*/}" ;; esac
done
same "every page is in dist_man_MANS, every tool has a page" "${bad:-none}" none

# 6: every tool page, and libsym(3), points to kmemstat(7)
bad=
for f in "$man"/*.1 "$man"/libsym.3; do
	section "SEE ALSO" "$f" | grep -q '^\.Xr kmemstat 7' || bad="$bad ${f##*/}"
done
same "every tool page lists kmemstat(7) in SEE ALSO" "${bad:-none}" none

# 7: physical dumps are read, and kcapture cuts fixtures from them
bad=
for f in "$man"/*.[0-9]; do
	text "$f" | grep -Eiq \
	    'physical[- a-z]*dumps?[^.;]*(are|is) refused|(^| )M is refused' &&
	    bad="$bad ${f##*/}"
done
same "no page says physical dumps (or kcapture -M) are refused" "${bad:-none}" none

# 8: lint, without a warning
if command -v mandoc > /dev/null 2>&1; then
	lint="mandoc -Tlint -Wwarning"
elif command -v groff > /dev/null 2>&1; then
	lint="groff -mdoc -ww -z"
else
	lint=
fi
if [ -z "$lint" ]; then
	ok "lint # SKIP neither mandoc nor groff is installed"
else
	bad=
	for f in "$man"/*.[0-9]; do
		out=$($lint "$f" 2>&1) || bad="$bad ${f##*/}"
		[ -z "$out" ] || { bad="$bad ${f##*/}"; printf '%s\n' "$out" | sed 's/^/# /'; }
	done
	same "every page passes $lint" "${bad:-none}" none
fi
done_testing
exit 0
