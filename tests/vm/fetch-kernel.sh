#!/bin/sh
# Fetch and unpack the current Debian kernel of a suite for the QEMU tests.
#
#   fetch-kernel.sh [-s SUITE] [-f FLAVOUR] [-i]
#
# SUITE is bullseye, bookworm, trixie or forky (default $KMEMSTAT_VM_SUITE,
# else bookworm); FLAVOUR is cloud-amd64 or rt-amd64 (default
# $KMEMSTAT_VM_FLAVOUR, else cloud-amd64).  The kernel is resolved at run
# time from the suite's linux-image-FLAVOUR meta package (lib-apt.sh):
# nothing is pinned, so no archive clean-up can break the tests.
# Prints the path of vmlinuz on stdout (with -i, one line instead:
# "SUITE FLAVOUR PACKAGE VERSION RELEASE VMLINUZ"); the rest goes to stderr.
# The unpacked tree ROOT holds boot/vmlinuz-RELEASE, config, modules (the
# module tree) and kernel (that same line), cached under $KMEMSTAT_VM_CACHE (default tests/vm/.cache).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
cache=${KMEMSTAT_VM_CACHE:-$here/.cache}
suite=${KMEMSTAT_VM_SUITE:-bookworm} flavour=${KMEMSTAT_VM_FLAVOUR:-cloud-amd64} info=0
while getopts s:f:i opt; do
    case $opt in
        s) suite=$OPTARG ;;
        f) flavour=$OPTARG ;;
        i) info=1 ;;
        *) echo "usage: $0 [-s SUITE] [-f FLAVOUR] [-i]" >&2; exit 2 ;;
    esac
done
. "$here/lib-apt.sh"

apt_update "$suite"
meta=linux-image-$flavour
ver=$(apt_field "$suite" "$meta" Version)
[ -n "$ver" ] || { echo "fetch-kernel: $suite has no $meta" >&2; exit 1; }
# The meta package depends on exactly one linux-image-RELEASE.
pkg=$(apt_deps_named "$suite" "$meta=$ver" "^linux-image-.*-$flavour\$" | head -n1)
[ -n "$pkg" ] || { echo "fetch-kernel: $meta $ver names no linux-image-RELEASE" >&2; exit 1; }
krel=${pkg#linux-image-}
root=$cache/$pkg-$ver
vmlinuz=$root/boot/vmlinuz-$krel
line="$suite $flavour $pkg $ver $krel $vmlinuz"

say() {
    if [ "$info" = 1 ]; then echo "$line"; else echo "$vmlinuz"; fi
}
# Idempotent: a finished unpack leaves ROOT/kernel; a half-done one is redone.
if [ -f "$root/kernel" ] && [ -f "$vmlinuz" ] && [ -e "$root/modules" ]; then
    say
    exit 0
fi

# Debian's 7.x linux-image-RELEASE is empty and depends on linux-binary-
# RELEASE (the image), linux-modules-RELEASE and linux-base-RELEASE (config,
# System.map), all under /usr/lib/modules/RELEASE: take every dependency
# named for this release.
pkgs="$pkg=$ver"
kre=$(printf '%s' "$krel" | sed 's/[.+]/\\&/g')
for d in $(apt_deps_named "$suite" "$pkg=$ver" "^linux-(binary|modules|base)-$kre\$"); do
    pkgs="$pkgs $d=$ver"
done
echo "fetch-kernel: $suite $flavour: $pkgs" >&2
# shellcheck disable=SC2086
apt_download "$suite" "$cache/debs" $pkgs

rm -rf "$root"
mkdir -p "$root"
for pv in $pkgs; do
    dpkg -x "$cache/debs/${pv%%=*}_$(echo "$ver" | sed 's/:/%3a/')_amd64.deb" "$root"
done
# One shape for both layouts: ROOT/boot/vmlinuz-RELEASE, ROOT/config and
# ROOT/modules (the module tree, .ko or .ko.xz).
for m in lib/modules/$krel usr/lib/modules/$krel; do
    [ -d "$root/$m" ] && ln -sfn "$m" "$root/modules"
done
mkdir -p "$root/boot"
[ -f "$vmlinuz" ] || [ ! -f "$root/modules/vmlinuz" ] || ln -sfn ../modules/vmlinuz "$vmlinuz"
for c in boot/config-$krel modules/config; do
    [ -f "$root/$c" ] && ln -sfn "$c" "$root/config"
done
for f in "$vmlinuz" "$root/config" "$root/modules/kernel"; do
    [ -e "$f" ] || { echo "fetch-kernel: $f missing from $pkgs" >&2; exit 1; }
done
echo "$line" > "$root/kernel"
say
