#!/bin/sh
# Fetch and unpack the Debian headers matching the guest kernel that
# fetch-kernel.sh resolves (same suite and flavour environment), for
# building kmod/kmem/kmem.ko out of tree.  Prints the KDIR (the flavour's
# headers tree) on stdout; the rest goes to stderr.  Unpacked with dpkg -x
# into the cache: nothing is installed.
#
# linux-headers-RELEASE holds .config, Module.symvers and generated headers,
# and links to linux-headers-*-common (the sources) and /usr/lib/linux-kbuild-*
# (fixdep, modpost, ...).  Which of those it needs, and at which version, is
# read from its Depends at run time: the kbuild package moves on its own
# (>=), and a pinned version of it vanished from the archive in 2026.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
cache=${KMEMSTAT_VM_CACHE:-$here/.cache}
. "$here/lib-apt.sh"

# shellcheck disable=SC2046
set -- $("$here/fetch-kernel.sh" -i "$@")
suite=$1 ver=$4 krel=$5
root=$cache/headers-$krel-$ver
kdir=$root/usr/src/linux-headers-$krel

if [ -f "$root/.unpacked" ] && [ -f "$kdir/Module.symvers" ]; then
    echo "$kdir"
    exit 0
fi

pkgs="linux-headers-$krel=$ver"
for d in $(apt_deps_named "$suite" "linux-headers-$krel=$ver" '^linux-(headers|kbuild)-'); do
    v=$(apt_field "$suite" "$d" Version)
    [ -n "$v" ] || { echo "kmem-fetch-headers: $suite has no $d" >&2; exit 1; }
    pkgs="$pkgs $d=$v"
done
echo "kmem-fetch-headers: $suite: $pkgs" >&2
# shellcheck disable=SC2086
apt_download "$suite" "$cache/debs" $pkgs

rm -rf "$root"
mkdir -p "$root"
for pv in $pkgs; do
    for deb in "$cache/debs/${pv%%=*}_$(echo "${pv#*=}" | sed 's/:/%3a/')_"*.deb; do
        dpkg -x "$deb" "$root"
    done
done
# Absolute symlinks into /usr/lib/linux-kbuild-* would point at the host:
# make them point inside $root.
find "$root/usr/src" "$root/usr/lib" -type l | while read -r l; do
    t=$(readlink "$l")
    case $t in
        /*) ln -sfn "$root$t" "$l" ;;
    esac
done
# The flavour's Makefile is one line: include /usr/src/...-common/Makefile.
sed -i "s|^include /usr/src/|include $root/usr/src/|" "$kdir/Makefile"
[ -f "$kdir/Module.symvers" ] || { echo "kmem-fetch-headers: $kdir/Module.symvers missing" >&2; exit 1; }
touch "$root/.unpacked"
echo "$kdir"
