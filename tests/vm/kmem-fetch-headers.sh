#!/bin/sh
# Fetch and unpack the Debian headers matching the pinned guest kernel
# (fetch-kernel.sh), for building compat/kmem/kmem.ko out of tree.
# Prints the KDIR (the -cloud-amd64 headers tree) on stdout; the rest goes
# to stderr. Unpacked with dpkg -x into the cache: nothing is installed.
#
# The -cloud-amd64 package holds .config, Module.symvers and generated
# headers and symlinks to ../linux-headers-<ver>-common (the sources) and
# /usr/lib/linux-kbuild-6.1 (fixdep, modpost, ...). All three are unpacked
# into the same root and the absolute kbuild links are pointed inside it.
set -eu

VER=6.1.192-2
KREL=6.1.0-56-cloud-amd64
KCOMMON=6.1.0-56-common
PKGS="linux-headers-$KREL linux-headers-$KCOMMON linux-kbuild-6.1"

here=$(cd "$(dirname "$0")" && pwd)
cache=${KMEMSTAT_VM_CACHE:-$here/.cache}
root=$cache/headers-$KREL-$VER
kdir=$root/usr/src/linux-headers-$KREL

if [ -f "$root/.unpacked" ] && [ -f "$kdir/Module.symvers" ]; then
    echo "$kdir"
    exit 0
fi

mkdir -p "$cache/debs"
for p in $PKGS; do
    ls "$cache/debs/${p}_${VER}_"*.deb > /dev/null 2>&1 && continue
    if ! (cd "$cache/debs" && apt-get download "$p=$VER") >&2; then
        echo "kmem-fetch-headers: download of $p failed, running apt-get update and retrying" >&2
        apt-get update >&2
        (cd "$cache/debs" && apt-get download "$p=$VER") >&2
    fi
done

rm -rf "$root"
mkdir -p "$root"
for p in $PKGS; do
    for deb in "$cache/debs/${p}_${VER}_"*.deb; do
        dpkg -x "$deb" "$root"
    done
done
# Absolute symlinks into /usr/lib/linux-kbuild-6.1 would point at the host:
# make them relative to $root.
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
