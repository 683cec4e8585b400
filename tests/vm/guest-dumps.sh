#!/bin/sh
# The guest side of take-dumps.sh, run as /guest.sh: set up a small stable
# process table, then for each dump record the guest's truth, ask the host
# (on ttyS2) to take the dump, wait for its "go", and record the truth again.
# At the end send every truth record to the host (export_dir on ttyS1).
#
# Protocol on ttyS2 (one line each way): the guest writes
# "KMEMSTAT-SYNC NAME", the host stops the VM, dumps, continues and answers
# "go NAME"; "KMEMSTAT-SYNC-DONE" ends it. First, "KMEMSTAT-UTMP BASE64"
# gives the host the utmp (no answer). The guest waits in the shell's
# own read: no extra process exists while the host dumps, and boot.sh's
# timeout bounds the wait.
set -u
. /lib-guest.sh

T=/tmp/truth
mkdir -p "$T"
diag "kernel $(uname -r), $(grep -c ^processor /proc/cpuinfo) CPUs, $(sed -n 's/^MemTotal: *//p' /proc/meminfo) RAM"

# --- the stable process table -----------------------------------------------
# Sleeping, niced, stopped, and a shell with a long argument list; two
# logged-in sessions in utmp. Nothing here runs or exits while dumps are taken.
start_stable() {
    sleep 1001 &
    P_SLEEP=$!
    sleep 1002 &
    P_NICE=$!
    renice -n 7 -p "$P_NICE" > /dev/null || return 1
    sleep 1003 &
    P_STOP=$!
    sh -c 'sleep 1004; :' a-long-argument-list 1 2 3 4 5 6 7 8 9 10 &
    P_ARGS=$!
    wait_until 10 is_comm "$P_SLEEP" sleep && wait_until 10 is_comm "$P_NICE" sleep &&
        wait_until 10 is_comm "$P_STOP" sleep && wait_until 10 has_child "$P_ARGS" || return 1
    kill -STOP "$P_STOP"
    wait_until 10 is_stopped "$P_STOP"
}
check stable-processes start_stable
check utmp-sessions sessions_start

# procps sizes PID columns by the digits of kernel.pid_max.  Six digits
# here, unlike the host's five (32768) or seven (4194304, systemd's): kps
# on the host must take the dump's pid_max, not its own.
echo 500000 > /proc/sys/kernel/pid_max
check pid_max-six-digits test "$(cat /proc/sys/kernel/pid_max)" = 500000

sync_open

# 1. No VMCOREINFO: qemu_fw_cfg is not loaded yet, so the guest has not
# told QEMU where its vmcoreinfo note is.
check fw_cfg-absent-before test ! -e /sys/firmware/qemu_fw_cfg
at_dump elf-novmci

# 2. With VMCOREINFO: on probe, qemu_fw_cfg writes the note's address to
# QEMU's etc/vmcoreinfo (-device vmcoreinfo), and QEMU adds the note.
fw_cfg_load
at_dump elf-vmci
at_dump kdump-zlib
# 3. The RAM file QEMU shares with the host, copied while the guest is stopped.
at_dump raw
# 4. The same file read while the guest runs (take-dumps.sh's live hook).
at_dump live
echo "KMEMSTAT-SYNC-DONE" >&7

guest_info "sleep $P_SLEEP, nice $P_NICE, stopped $P_STOP, args $P_ARGS, logins $(cat /tmp/login1.pid) $(cat /tmp/login2.pid)"

# /dev/mem is there, but STRICT_DEVMEM refuses RAM: the tool must say so.
if command -v kuptime >/dev/null; then
    check_fails kuptime-mem-refused 'by pread.*STRICT_DEVMEM' kuptime --source=mem
    check_fails kuptime-mem-mmap-refused 'by mmap.*STRICT_DEVMEM' \
        kuptime --source=mem --mmap
fi
check export-truth export_dir "$T" truth
result
