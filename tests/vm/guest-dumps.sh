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

SYNC_TTY=/dev/ttyS2
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

# --- truth ------------------------------------------------------------------
# truth_ps FILE PIDCOL ARGS...: procps ps ARGS into FILE, without the line
# of that ps run itself (it cannot be in a dump taken after it exited).
# FILE.raw keeps the whole output.
truth_ps() {
    _f=$1 _c=$2; shift 2
    # dash execs a backgrounded simple command in the forked child: $! is ps.
    /usr/bin/ps "$@" > "$_f.raw" 2>&1 &
    _p=$!
    wait "$_p"
    awk -v c="$_c" -v p="$_p" 'NR == 1 || $c != p' "$_f.raw" > "$_f"
    [ "$(wc -l < "$_f.raw")" -eq "$(($(wc -l < "$_f") + 1))" ]
}

# truth_tasks DIR: the process table and the symbols (slow, and nothing
# in them moves with the clock but ps's time columns).
truth_tasks() {
    truth_ps "$1/ps.out" 1 &&
    truth_ps "$1/ps-e.out" 1 -e &&
    truth_ps "$1/ps-ef.out" 2 -ef &&
    truth_ps "$1/ps-el.out" 4 -el &&
    truth_ps "$1/ps-aux.out" 2 aux &&
    grep -E ' (_text|_stext|avenrun|jiffies_64|init_task|init_top_pgt|swapper_pg_dir|page_offset_base|phys_base|tk_core|init_pid_ns|linux_banner|kallsyms_names|kallsyms_num_syms|kallsyms_offsets|kallsyms_relative_base|vmcoreinfo_data|vmcoreinfo_note)$' \
        /proc/kallsyms > "$1/kallsyms"
}

# truth_clock DIR ITEM...: the clock-bound records, in the order given.
# loadavg and uptime are read by the shell itself: a cat would be the
# "last pid" of /proc/loadavg, a process the dump does not have.
truth_clock() {
    _d=$1; shift
    for _i in "$@"; do
        case $_i in
            w) /usr/bin/w > "$_d/w.out" ;;
            uptime) /usr/bin/uptime > "$_d/uptime.out" ;;
            uptime-p) /usr/bin/uptime -p > "$_d/uptime-p.out" ;;
            uptime-s) /usr/bin/uptime -s > "$_d/uptime-s.out" ;;
            date) date -u '+%s %Y-%m-%d %H:%M:%S' > "$_d/date" ;;
            proc) read -r _u < /proc/uptime; read -r _l < /proc/loadavg
                  echo "$_u" > "$_d/uptime"; echo "$_l" > "$_d/loadavg" ;;
        esac
    done
}

# sync_host NAME: tell the host to act now, wait for its "go NAME".
sync_host() {
    echo "KMEMSTAT-SYNC $1" >&7
    IFS= read -r _reply <&7 || return 1
    [ "$_reply" = "go $1" ]
}

# at_dump NAME: truth before, the host's dump, truth after. The clock
# records sit next to the dump on both sides; the slow ones outside them.
at_dump() {
    mkdir -p "$T/$1/before" "$T/$1/after"
    truth_tasks "$T/$1/before" || { not_ok "truth-$1" "ps before"; return; }
    truth_clock "$T/$1/before" date w uptime-s uptime-p uptime proc
    sync_host "$1" || { not_ok "sync-$1" "no 'go $1' from the host"; return; }
    truth_clock "$T/$1/after" proc uptime uptime-p uptime-s w date
    truth_tasks "$T/$1/after" || { not_ok "truth-$1" "ps after"; return; }
    ok "sync-$1"
}

# procps sizes PID columns by the digits of kernel.pid_max.  Six digits
# here, unlike the host's five (32768) or seven (4194304, systemd's): kps
# on the host must take the dump's pid_max, not its own.
echo 500000 > /proc/sys/kernel/pid_max
check pid_max-six-digits test "$(cat /proc/sys/kernel/pid_max)" = 500000

# ttyS2 raw: no echo of the host's lines back to it, no \r\n.
stty -F "$SYNC_TTY" raw -echo || not_ok sync-tty "stty $SYNC_TTY"
exec 7<>"$SYNC_TTY"
cp /var/run/utmp "$T/utmp"
# The live hook's kuptime needs the utmp while the guest runs: send it now.
echo "KMEMSTAT-UTMP $(base64 < /var/run/utmp | tr -d '\n')" >&7

# 1. No VMCOREINFO: qemu_fw_cfg is not loaded yet, so the guest has not
# told QEMU where its vmcoreinfo note is.
check fw_cfg-absent-before test ! -e /sys/firmware/qemu_fw_cfg
at_dump elf-novmci

# 2. With VMCOREINFO: on probe, qemu_fw_cfg writes the note's address to
# QEMU's etc/vmcoreinfo (-device vmcoreinfo), and QEMU adds the note.
check fw_cfg-insmod insmod /qemu_fw_cfg.ko
check fw_cfg-sysfs test -d /sys/firmware/qemu_fw_cfg
check fw_cfg-vmcoreinfo-file test -d /sys/firmware/qemu_fw_cfg/by_name/etc/vmcoreinfo
at_dump elf-vmci
at_dump kdump-zlib
# 3. The RAM file QEMU shares with the host, copied while the guest is stopped.
at_dump raw
# 4. The same file read while the guest runs (take-dumps.sh's live hook).
at_dump live
echo "KMEMSTAT-SYNC-DONE" >&7

# Facts for the reader of the dumps.
{
    echo "uname -r: $(uname -r)"
    echo "/sys/kernel/vmcoreinfo (phys addr, size): $(cat /sys/kernel/vmcoreinfo 2>&1)"
    echo "/proc/cmdline: $(cat /proc/cmdline)"
    echo "pid_max: $(cat /proc/sys/kernel/pid_max)"
    echo "pids: sleep $P_SLEEP, nice $P_NICE, stopped $P_STOP, args $P_ARGS, logins $(cat /tmp/login1.pid) $(cat /tmp/login2.pid)"
    grep -E '^(MemTotal|MemFree):' /proc/meminfo
    grep -i 'system ram' /proc/iomem
} > "$T/guest-info" 2>&1

# /dev/mem is there, but STRICT_DEVMEM refuses RAM: the tool must say so.
if command -v kuptime >/dev/null; then
    check_fails kuptime-mem-refused 'by pread.*STRICT_DEVMEM' kuptime --source=mem
    check_fails kuptime-mem-mmap-refused 'by mmap.*STRICT_DEVMEM' \
        kuptime --source=mem --mmap
fi
check export-truth export_dir "$T" truth
result
