#!/bin/sh
# Build the guest initramfs for the QEMU tests.
#
#   mkinitramfs.sh STAGING_DIR OUT.cpio.gz GUEST_SCRIPT [EXTRA[=GUEST_PATH]...]
#
# Contents: busybox-static with applet links, procps's uptime/ps/w/free from
# the host with their shared libraries, every executable in
# STAGING_DIR/usr/local/bin (+ usr/local/sbin) and libraries in
# STAGING_DIR/usr/local/lib, lib-guest.sh and the lib-truth.sh it reads,
# GUEST_SCRIPT as /guest.sh and /init. EXTRA files or directories go to
# GUEST_PATH (default /BASENAME); ELF extras get their libraries too.
set -eu

usage() { echo "usage: $0 STAGING_DIR OUT.cpio.gz GUEST_SCRIPT [EXTRA[=GUEST_PATH]...]" >&2; exit 2; }
[ $# -ge 3 ] || usage
staging=$1 out=$2 guest=$3
shift 3
here=$(cd "$(dirname "$0")" && pwd)
[ -d "$staging" ] || { echo "mkinitramfs: no staging dir $staging" >&2; exit 1; }
staging=$(cd "$staging" && pwd)   # ldd prints what LD_LIBRARY_PATH says: keep it absolute
[ -f "$guest" ] || { echo "mkinitramfs: no guest script $guest" >&2; exit 1; }

BUSYBOX=${BUSYBOX:-/bin/busybox}
PROCPS_BINS=${PROCPS_BINS:-"/usr/bin/uptime /usr/bin/ps /usr/bin/w /usr/bin/free"}
DASH=${DASH:-/bin/dash}

root=$(mktemp -d "${TMPDIR:-/tmp}/kmemstat-initramfs.XXXXXX")
# mktemp -d makes it 0700: the guest's / must let other users in.
chmod 755 "$root"
trap 'rm -rf "$root"' EXIT INT TERM

# Merged-/usr layout like the host, so the paths ldd prints (/lib/...,
# /lib64/ld-linux-x86-64.so.2 = PT_INTERP) resolve the same way in the guest.
mkdir -p "$root/usr/bin" "$root/usr/sbin" "$root/usr/lib/x86_64-linux-gnu" \
         "$root/usr/lib64" "$root/usr/local/bin" "$root/usr/local/lib" \
         "$root/etc" "$root/proc" "$root/sys" "$root/dev" "$root/tmp" \
         "$root/run" "$root/var" "$root/root"
ln -s usr/bin "$root/bin"
ln -s usr/sbin "$root/sbin"
ln -s usr/lib "$root/lib"
ln -s usr/lib64 "$root/lib64"
ln -s ../run "$root/var/run"
chmod 1777 "$root/tmp"

# Map a host path onto the merged layout inside $root.
gpath() {
    case $1 in
        /bin/*|/sbin/*|/lib/*|/lib64/*) echo "$root/usr$1" ;;
        *) echo "$root$1" ;;
    esac
}

is_elf() { [ "$(head -c4 "$1" 2>/dev/null | od -An -c | tr -d ' ')" = '177ELF' ]; }

# Copy the shared libraries (and the loader) an ELF file needs, following
# symlinks so each library lands under the name the loader looks for.
copy_libs() {
    is_elf "$1" || return 0
    # ldd exits 1 on static binaries ("not a dynamic executable").
    libs=$(LD_LIBRARY_PATH="$staging/usr/local/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
           ldd "$1" 2>/dev/null | sed -n 's/.*=> \(\/[^ ]*\) .*/\1/p; s/^[[:space:]]*\(\/[^ ]*\) (.*/\1/p') || true
    if LD_LIBRARY_PATH="$staging/usr/local/lib" ldd "$1" 2>/dev/null | grep -q 'not found'; then
        echo "mkinitramfs: $1 has unresolved libraries:" >&2
        LD_LIBRARY_PATH="$staging/usr/local/lib" ldd "$1" | grep 'not found' >&2
        exit 1
    fi
    for lib in $libs; do
        case $lib in "$staging"/*) continue ;; esac  # staged libs are copied as-is below
        dst=$(gpath "$lib")
        [ -e "$dst" ] && continue
        mkdir -p "$(dirname "$dst")"
        cp -L "$lib" "$dst"
    done
}

# Real files first, busybox links only where nothing else is installed,
# so procps's ps/uptime/w/free win over busybox's applets of the same name.
for b in $PROCPS_BINS $DASH; do
    cp -L "$b" "$(gpath "$b")"
    copy_libs "$b"
done
# /bin/sh is dash, not busybox: Debian's busybox sh runs its own applets in
# preference to $PATH, so `uptime` in a guest script would silently be
# busybox's uptime, not procps's. /init itself still runs under busybox sh.
ln -s "$(basename "$DASH")" "$(gpath /bin/sh)"

found_tools=0
for d in usr/local/bin usr/local/sbin; do
    [ -d "$staging/$d" ] || continue
    mkdir -p "$root/$d"
    for f in "$staging/$d"/*; do
        if [ ! -f "$f" ] || [ ! -x "$f" ]; then continue; fi
        cp -L "$f" "$root/$d/"
        found_tools=$((found_tools + 1))
    done
done
[ "$found_tools" -gt 0 ] || echo "mkinitramfs: warning: no executables in $staging/usr/local/bin" >&2

# Staged libraries keep their soname symlinks (cp -a); libtool archives and
# static libraries are of no use in the guest.
if [ -d "$staging/usr/local/lib" ]; then
    for f in "$staging/usr/local/lib"/*.so*; do
        [ -e "$f" ] || [ -L "$f" ] || continue
        cp -a "$f" "$root/usr/local/lib/"
    done
fi
for f in "$root"/usr/local/bin/* "$root"/usr/local/sbin/* "$root"/usr/local/lib/*.so*; do
    [ -f "$f" ] && [ ! -L "$f" ] && copy_libs "$f"
done

for spec in "$@"; do
    src=${spec%%=*}
    if [ "$src" = "$spec" ]; then dst=/$(basename "$src"); else dst=${spec#*=}; fi
    [ -e "$src" ] || { echo "mkinitramfs: extra $src not found" >&2; exit 1; }
    mkdir -p "$(dirname "$(gpath "$dst")")"
    cp -RL "$src" "$(gpath "$dst")"
    [ -f "$src" ] && copy_libs "$src"
done

cp "$BUSYBOX" "$root/usr/bin/busybox"
"$BUSYBOX" --list-full | while read -r app; do
    dst=$(gpath "/$app")
    [ -e "$dst" ] || [ -L "$dst" ] || ln -s /usr/bin/busybox "$dst"
done

# The loader reads only ld.so.cache, not ld.so.conf: build the cache for the
# guest here. /init also sets LD_LIBRARY_PATH in case ldconfig is missing.
echo /usr/local/lib > "$root/etc/ld.so.conf"
if command -v ldconfig >/dev/null 2>&1; then
    ldconfig -r "$root" 2>/dev/null || echo "mkinitramfs: ldconfig -r failed; relying on LD_LIBRARY_PATH" >&2
fi

# ps and w print user names: glibc's built-in "files" NSS reads these.
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' > "$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' > "$root/etc/group"
echo kmemstat-vm > "$root/etc/hostname"

cp "$here/lib-guest.sh" "$root/lib-guest.sh"
cp "$here/../lib-truth.sh" "$root/lib-truth.sh"
cp "$guest" "$root/guest.sh"
chmod 755 "$root/guest.sh"

cat > "$root/init" <<'INIT'
#!/usr/bin/busybox sh
# PID 1 of the test guest: set up the minimum the tools and procps need,
# run /guest.sh, then power off (never return: that would panic the kernel).
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export TZ=UTC HOME=/root LD_LIBRARY_PATH=/usr/local/lib
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /tmp
mount -t tmpfs tmpfs /run
hostname -F /etc/hostname
# procps uptime/w count users from utmp (no systemd in the guest).
: > /var/run/utmp
cd /
echo "KMEMSTAT-GUEST-START"
/bin/sh /guest.sh
rc=$?
echo "KMEMSTAT-GUEST-EXIT $rc"
# TCSADRAIN in stty waits until the UART has sent everything, so no line of
# output is lost to the power-off.
stty -F /dev/console onlcr 2>/dev/null
[ -c /dev/ttyS1 ] && stty -F /dev/ttyS1 -onlcr 2>/dev/null
sync
poweroff -f
INIT
chmod 755 "$root/init"

mkdir -p "$(dirname "$out")"
# Owner root for everything: the guest runs as root and does not care, and
# the archive does not depend on who built it. Sorted for reproducibility.
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) | gzip -6 -n > "$out.tmp"
mv "$out.tmp" "$out"
echo "$out"
