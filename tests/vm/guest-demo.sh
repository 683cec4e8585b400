#!/bin/sh
# The classroom guest, run as /guest.sh by tests/vm/demo.sh: load
# kmod/kmem's teaching module, print what to try, and hand the console to
# an interactive shell. When the shell exits, /init powers the guest off.

export KMEMSTAT_CACHE=/tmp/kcache
mkdir -p "$KMEMSTAT_CACHE"
insmod /kmem.ko || echo "demo: insmod /kmem.ko failed; --source=kmem will not work"
if [ ! -c /dev/kmem ]; then
    mm=$(cat /sys/class/misc/kmem/dev 2>/dev/null)
    [ -n "$mm" ] && mknod -m 0400 /dev/kmem c "${mm%:*}" "${mm#*:}"
fi
dmesg | grep 'kmem:' | sed 's/^/dmesg: /'

# busybox sh runs its own applets before $PATH: point the procps names at
# procps, so `uptime` and `ps` are the ones kuptime and kps are diffed with.
cat > /etc/demo-profile <<'PROFILE'
alias uptime=/usr/bin/uptime ps=/usr/bin/ps w=/usr/bin/w free=/usr/bin/free
PS1='kmemstat-vm# '
PROFILE

cat <<BANNER

=== kmemstat demo: Linux $(uname -r), /dev/kmem from kmod/kmem (read-only) ===
This is a disposable VM; nothing here is saved. Try:

  kuptime --source=kmem --explain      nlist -> lseek -> read -> FSHIFT, step by step
  kloadavg --source=kmem --explain     the /proc/loadavg line, from kernel memory
  kps --source=kmem aux                ps aux over /dev/kmem; compare: ps aux
  ksym avenrun                         where the symbol is (address, type, origin)
  kuptime --compare                    kernel memory against /proc
  kuptime --source=kcore --explain     the same through /proc/kcore's ELF headers
  sh -c 'while :; do :; done' &        some load to watch (kill %1 to stop it)

Leave with: poweroff -f   (or exit; Ctrl-A x quits QEMU at once)

BANNER
exec setsid cttyhack env ENV=/etc/demo-profile busybox sh -i
