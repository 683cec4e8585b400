#!/bin/sh
# Fetch and unpack the pinned Debian kernel used by the QEMU tests.
# Prints the path of vmlinuz on stdout; everything else goes to stderr.
# Pinned so that results are reproducible: bump both together.
set -eu

PKG=linux-image-6.1.0-56-cloud-amd64
VER=6.1.192-2
KREL=6.1.0-56-cloud-amd64

here=$(cd "$(dirname "$0")" && pwd)
cache=${KMEMSTAT_VM_CACHE:-$here/.cache}
root=$cache/$PKG-$VER
vmlinuz=$root/boot/vmlinuz-$KREL

# Idempotent: a finished unpack leaves a stamp; a half-done one is redone.
if [ -f "$root/.unpacked" ] && [ -f "$vmlinuz" ]; then
    echo "$vmlinuz"
    exit 0
fi

mkdir -p "$cache"
deb=$(ls "$cache/${PKG}_$(echo "$VER" | sed 's/:/%3a/')_amd64.deb" 2>/dev/null || true)
if [ -z "$deb" ]; then
    # apt-get download writes into the current directory.
    # Only refresh the package lists if the first attempt fails (slow, needs root).
    if ! (cd "$cache" && apt-get download "$PKG=$VER") >&2; then
        echo "fetch-kernel: download failed, running apt-get update and retrying" >&2
        apt-get update >&2
        (cd "$cache" && apt-get download "$PKG=$VER") >&2
    fi
    deb=$cache/${PKG}_${VER}_amd64.deb
fi
[ -f "$deb" ] || { echo "fetch-kernel: $deb not found after download" >&2; exit 1; }

rm -rf "$root"
dpkg -x "$deb" "$root"
[ -f "$vmlinuz" ] || { echo "fetch-kernel: $vmlinuz missing from $deb" >&2; exit 1; }
# Keep the kernel config next to the cache root too, for HZ and friends.
cp "$root/boot/config-$KREL" "$cache/config-$KREL"
touch "$root/.unpacked"
echo "$vmlinuz"
