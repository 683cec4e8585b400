#!/bin/sh
# The second kmem-run.sh boot: the kernel locked down (lockdown=integrity
# on the command line).  /dev/kmem must not appear.  Under lockdown the
# kernel already refuses an unsigned module (LOCKDOWN_MODULE_SIGNATURE);
# kmem.c's own security_locked_down() check at load is the second line,
# for a module signed with a key the kernel trusts.
set -u
. /lib-guest.sh

mount -t securityfs securityfs /sys/kernel/security 2>/dev/null
diag "lockdown: $(cat /sys/kernel/security/lockdown 2>/dev/null || echo '?')"
check kmem-lockdown-active grep -q '\[integrity\]' /sys/kernel/security/lockdown
if insmod /kmem.ko 2>/tmp/kt.err; then
    not_ok kmem-lockdown-refused "insmod succeeded under lockdown"
    rmmod kmem 2>/dev/null
else
    ok kmem-lockdown-refused
    diag "insmod: $(head -n1 /tmp/kt.err)"
fi
dmesg | grep -iE 'lockdown|kmem' | tail -n 3 | sed 's/^/# dmesg: /'
check kmem-lockdown-no-node test ! -e /dev/kmem
result
