#!/bin/sh
# libsym's layers, checked on the objects the build made: which file
# calls which (nm: a file's undefined symbols against the others'
# definitions).  Fails on an import circle, or on a call from a lower
# layer to a higher one.  Floors, lowest first: data flows down only.
#   base < mem < sym < types < arch < source, kernel < session
#   proc and record rest on base alone.
# TAP output; run by make check.
set -u
lib=${top_builddir:-.}/libsym
order='base mem sym types arch source kernel session'
rank() {
    case $1 in
        proc|record) echo 1 ;;		# beside base: they import base only
        *) _i=0; for _l in $order; do
               _i=$((_i + 1)); [ "$_l" = "$1" ] && { echo "$_i"; return; }
           done; echo 99 ;;
    esac
}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
objs=$(find "$lib" -path '*/.libs/*.o' | sort)
[ -n "$objs" ] || { echo "1..1"; echo "not ok 1 - no objects under $lib (build first)"; exit 0; }
# layer/file defined-symbol and undefined-symbol lists
for o in $objs; do
    rel=${o#"$lib"/}; dir=${rel%%/*}
    [ "$dir" = .libs ] && dir=session	# libsym/session.c
    name=$dir/$(basename "$o" .o | sed 's/^libsymcore_la-//')
    nm "$o" | awk -v n="$name" '$2 ~ /^[TDBR]$/ {print $3, n}' >> "$tmp/defs"
    nm "$o" | awk -v n="$name" '$1 == "U" {print $2, n}' >> "$tmp/uses"
done
sort -o "$tmp/defs" "$tmp/defs"; sort -o "$tmp/uses" "$tmp/uses"
# edges: caller callee
join "$tmp/uses" "$tmp/defs" | awk '$2 != $3 {print $2, $3}' | sort -u > "$tmp/edges"
n=0 bad=0
echo "1..2"
# 1: no call goes up a floor (or across between proc/record and others)
up=$(while read -r from to; do
    rf=$(rank "${from%%/*}"); rt=$(rank "${to%%/*}")
    if [ "$rt" -gt "$rf" ]; then echo "$from -> $to"; fi
    case ${from%%/*} in proc|record) [ "${to%%/*}" = base ] || [ "${to%%/*}" = "${from%%/*}" ] || echo "$from -> $to" ;; esac
    # only the session chooses between kernel memory, /proc and a recorder
    case ${to%%/*} in proc|record) case ${from%%/*} in session|"${to%%/*}") ;; *) echo "$from -> $to" ;; esac ;; esac
done < "$tmp/edges")
if [ -z "$up" ]; then echo "ok 1 - no call from a lower layer to a higher one ($(wc -l < "$tmp/edges") calls between files)"
else echo "not ok 1 - calls up the layers:"; echo "$up" | sed 's/^/#   /'; fi
# 2: no circle between files (tsort reports loops)
if tsort "$tmp/edges" > /dev/null 2> "$tmp/loops"; then echo "ok 2 - no import circle between libsym's files"
else echo "not ok 2 - import circles:"; sed 's/^/#   /' "$tmp/loops"; fi
