# Comparisons of one moment's output with procps and /proc records taken
# just before and just after it (a dump's truth, recorded by the guest
# around the stop), with every tolerance stated.  Sourced (POSIX sh) by
# tests/vm/dump-run.sh and tests/fixture/run.sh.  Each comparison is
# called as NAME OURS BEFORE AFTER (files): it succeeds, or prints its
# tolerance on one line and then what is wrong.  ps_between reads the
# stable pids from $stable.

# loadavg_reader OURS BEFORE AFTER: OURS is one file's line but for a
# lower running count. /proc/loadavg counts the guest shell reading it,
# asleep in the dump, and whatever else runs while it reads (rcu_preempt
# and kworkers in TCG: records of 2/61 and 3/61 around a dump with 0), so
# the count may be anything from 0 to that file's minus the reader; the
# load averages, the task count and the last pid are that file's.
loadavg_reader() {
    _o=$(cat "$1")
    for _f in "$2" "$3"; do
        _t=$(cat "$_f")
        _o4=${_o#* * * } _t4=${_t#* * * }
        [ "${_o%% "$_o4"}" = "${_t%% "$_t4"}" ] && [ "${_o4#*/}" = "${_t4#*/}" ] &&
            [ "${_o4%%/*}" -lt "${_t4%%/*}" ] && return 0
    done
    echo "with fewer running tasks (the reader, and others caught running)"
    printf 'ours "%s", before "%s", after "%s"\n' "$_o" "$(cat "$2")" "$(cat "$3")"
    return 1
}

# Awk functions for the column comparisons below (mawk has no gensub).
# fields(S, N, T): T[1..N-1] the first N-1 fields of S, each with the
# blanks before it; T[N] the rest, the last column, which may hold blanks
# (CMD, COMMAND, WHAT).
# joined(T, N, MASK): the fields again, those in MASK as " *": a masked
# value and its padding (procps right-aligns numbers) are not compared
# here, nor the blanks after it (a left-aligned WCHAN pads to its right),
# every other byte is.
# val(TOKEN): the value, without the blanks.
# bad(TEXT): one problem line; the caller's END exits 1 if there were any.
awk_cols='
function fields(s, n, t,   k) {
    for (k = 1; k < n; k++)
        if (match(s, /^ *[^ ]+/)) { t[k] = substr(s, 1, RLENGTH); s = substr(s, RLENGTH + 1) }
        else t[k] = ""
    t[n] = s
}
function joined(t, n, mask,   k, s) {
    s = ""
    for (k = 1; k <= n; k++)
        s = s ((k in mask) ? " *" : (k - 1 in mask) ? " " val(t[k]) : t[k])
    return s
}
function val(s) { sub(/^ */, "", s); return s }
function bad(s) { print s; nbad++ }
FILENAME != file { file = FILENAME; f++ }
'

# clock_between OURS BEFORE AFTER: uptime's or w's output. The dump's
# moment lies between the two records but may differ from both by a
# second, so on the first line the clock (HH:MM:SS) need only lie between
# before's and after's (inclusive; across midnight too), and w's IDLE
# between theirs (it counts up with the clock). Every other part of the
# first line (up ..., N users, load average: ...), as split at ",  ", and
# every other byte of the other lines equals before's or after's.
clock_between() {
    echo "with the clock and w's IDLE anywhere between them" &&
    awk "$awk_cols"'
    # secs(HH:MM:SS): seconds since midnight.
    function secs(c) { return substr(c, 1, 2) * 3600 + substr(c, 4, 2) * 60 + substr(c, 7, 2) }
    # between(X, B, A): B <= X <= A; if A < B, the clock passed midnight.
    function between(x, b, a) { return b <= a ? b <= x && x <= a : x >= b || x <= a }
    # idle(W): w IDLE in seconds (procps: "SS.CCs", "MM:SS", "HH:MMm", "Ndays"); -1 if not one.
    function idle(w,   p) {
        if (w ~ /^[0-9]+\.[0-9][0-9]s$/) return w + 0
        split(w, p, ":")
        if (w ~ /^[0-9]+:[0-9][0-9]$/) return p[1] * 60 + p[2]
        if (w ~ /^[0-9]+:[0-9][0-9]m$/) return p[1] * 3600 + p[2] * 60
        if (w ~ /^[0-9]+days$/) return w * 86400
        return -1
    }
    { l[f, FNR] = $0; nl[f] = FNR }
    END {
        if (nl[3] != nl[1] && nl[3] != nl[2]) bad("ours has " nl[3] " lines, the guest " nl[1] " and " nl[2])
        else first_line()
        if (nl[3] < 2) exit nbad > 0
        if (l[3, 2] != l[1, 2]) bad("header: ours \"" l[3, 2] "\", the guest \"" l[1, 2] "\"")
        n = split(l[1, 2], h, " ")
        for (k = 1; k <= n; k++) if (h[k] == "IDLE") mask[k]
        for (i = 3; i <= nl[3]; i++) row(i)
        exit nbad > 0
    }
    # first_line(): " HH:MM:SS up ...,  N users,  load average: ...".
    function first_line(   r, c, p, k, np) {
        for (r = 1; r <= 3; r++) {
            if (l[r, 1] !~ /^ [0-9][0-9]:[0-9][0-9]:[0-9][0-9] up /) { bad("line 1 is no uptime line: \"" l[r, 1] "\""); return }
            c[r] = secs(substr(l[r, 1], 2, 8))
            np[r] = split(substr(l[r, 1], 11), p, /,  /)
            for (k = 1; k <= np[r]; k++) part[r, k] = p[k]
        }
        if (!between(c[3], c[1], c[2]))
            bad("line 1: the clock " substr(l[3, 1], 2, 8) " is not between " substr(l[1, 1], 2, 8) " and " substr(l[2, 1], 2, 8))
        if (np[3] != np[1] && np[3] != np[2]) { bad("line 1: \"" l[3, 1] "\" has " np[3] " parts"); return }
        for (k = 1; k <= np[3]; k++)
            if (part[3, k] != part[1, k] && part[3, k] != part[2, k])
                bad("line 1: \"" part[3, k] "\" is neither \"" part[1, k] "\" nor \"" part[2, k] "\"")
    }
    # row(I): line I with IDLE masked equals the guest'\''s before or after,
    # and its IDLE lies between theirs (equals one if not a known format).
    function row(i,   r, t, s, v, w, lo, hi, k) {
        for (r = 1; r <= 3; r++) {
            fields(l[r, i], n, t); s[r] = joined(t, n, mask)
            for (k in mask) { w[r] = val(t[k]); v[r] = idle(w[r]) }
        }
        if (s[3] != s[1] && s[3] != s[2]) bad("line " i ": \"" l[3, i] "\" vs \"" l[1, i] "\"")
        for (k in mask) {
            lo = v[1] < v[2] ? v[1] : v[2]; hi = v[1] < v[2] ? v[2] : v[1]
            if (w[3] != w[1] && w[3] != w[2] && (v[3] < 0 || lo < 0 || v[3] < lo || v[3] > hi))
                bad("line " i ": IDLE " w[3] " is not between " w[1] " and " w[2])
        }
    }' "$2" "$3" "$1"
}

# stable_pids GUEST_INFO PS_EF: the test's own processes that neither run
# nor change (GUEST_INFO's "pids:" line: sleepers, the niced, the stopped,
# the long argv, the two sessions) and their children (PS_EF, ps -ef
# output: PID $2, PPID $3).
stable_pids() {
    sed -n 's/^pids: //p' "$1" | tr -cs '0-9' ' ' |
    awk 'NR == FNR { for (i = 1; i <= NF; i++) s[$i]; next }
        FNR > 1 && ($3 in s) { print $2 }
        END { for (p in s) print p }' - "$2" | sort -n | tr '\n' ' '
}

# recorder_pid PS_EF_RAW: the shell that took the records, the parent of
# the ps -ef line in the unfiltered output (PID $2, PPID $3, CMD from $8).
recorder_pid() {
    awk '$8 ~ /(^|\/)ps$/ && $9 == "-ef" { print $3; exit }' "$1"
}

# ps_between OURS BEFORE AFTER: procps ps's process table, taken over
# several seconds, against ours of one moment. The same header, and:
# (a) every PID in both before and after is in ours, every PID of ours in
# one of them, in ascending order as procps lists /proc;
# (b) the rows of the stable processes ($stable; at least one listed)
# equal before's or after's row byte for byte, but C and %CPU, which are
# CPU time over elapsed time and so fall as a task that never runs ages
# (2.5 to 0.9 early in the boot), lie between before's and after's;
# (c) any other row equals before's or after's row but for TIME, C and
# %CPU (they move while a task runs between the ps runs), a kworker's
# "-workqueue" name suffix (the work it last did), and, if the task is R
# in one of the two rows, its state letter and WCHAN (a task caught
# running: rcu_preempt in TCG). WCHAN is compared otherwise, but for the
# shell that took the records ($recorder, if set): it sleeps waiting for
# each ps in the records (sigsuspend) and reading its serial line in the
# dump (wait_woken), by construction.
ps_between() {
    echo "allowing TIME, C, %CPU, a kworker's -workqueue suffix, an R task's state and WCHAN, the RCU grace-period thread's WCHAN, and the recording shell's (${recorder:-none}) WCHAN, to differ but on the stable pids ($stable), whose C, %CPU lie between them" &&
    awk -v stable=" $stable " -v recorder="${recorder:-}" "$awk_cols"'
    FNR == 1 && f == 1 {
        h = $0; n = NF
        for (k = 1; k < NF; k++) {
            if ($k == "C" || $k == "%CPU") { ratio[k]; mask[k]; run[k] }
            if ($k == "TIME") { mask[k]; run[k] }
            if ($k == "WCHAN") run[k]
            if ($k == "S" || $k == "STAT") sc = k
            if ($k == "PID") pc = k
        }
    }
    FNR == 1 { if ($0 != h) bad("header: \"" $0 "\", before \"" h "\""); next }
    { l[f, $pc] = $0; pids[$pc + 0]; if ($pc + 0 > maxp) maxp = $pc + 0 }
    f == 3 && $pc + 0 <= last { bad("pid " $pc " comes after " last) }
    f == 3 { last = $pc + 0 }
    END {
        if (f < 3) bad("ours printed nothing")
        for (p = 0; p <= maxp; p++) if (p in pids) pid(p)
        if (!nstable) bad("no stable pid in this listing: (b) checked nothing")
        exit nbad > 0
    }
    # pid(P): checks (a), (b), (c) for P.
    function pid(p,   inb, ina) {
        inb = ((1, p) in l); ina = ((2, p) in l)
        if (!((3, p) in l)) {
            if (inb && ina) bad("pid " p " is in before and after, not in ours")
            return
        }
        if (!inb && !ina) { bad("pid " p " is in ours, in neither before nor after"); return }
        if (index(stable, " " p " ")) nstable++
        if (inb && l[3, p] == l[1, p] || ina && l[3, p] == l[2, p]) return
        if (index(stable, " " p " ") ? !aging(p) : !(inb && near(p, 1) || ina && near(p, 2)))
            bad("pid " p ": \"" l[3, p] "\", before \"" l[1, p] "\", after \"" l[2, p] "\"")
    }
    # aging(P): stable P; (b) with C and %CPU between before and after.
    function aging(p,   t, u, w, k, lo, hi, x) {
        if (!((1, p) in l && (2, p) in l)) return 0
        fields(l[3, p], n, t); fields(l[1, p], n, u); fields(l[2, p], n, w)
        x = joined(t, n, ratio)
        if (x != joined(u, n, ratio) && x != joined(w, n, ratio)) return 0
        for (k in ratio) {
            lo = val(u[k]) + 0; hi = val(w[k]) + 0; x = val(t[k]) + 0
            if (x < (lo < hi ? lo : hi) || x > (lo < hi ? hi : lo)) return 0
        }
        return 1
    }
    # near(P, R): (c) against record R: the masked rows are equal, or
    # either state is R and they are equal without state letter and WCHAN.
    function near(p, r,   t, u) {
        fields(l[3, p], n, t); fields(l[r, p], n, u)
        if (loose(t, mask) == loose(u, mask)) return 1
        if (p == recorder && loose(t, run) == loose(u, run)) return 1
        # rcu_preempt (rcu_sched without PREEMPT_RCU): reading /proc/kcore
        # wakes it, so where it sleeps moves with the reader itself.
        if (l[3, p] ~ /(^|[ [])rcu_(preempt|sched)(]|$| )/ && loose(t, run) == loose(u, run)) return 1
        if (!sc || val(t[sc]) !~ /^R/ && val(u[sc]) !~ /^R/) return 0
        sub(/[A-Z]/, "?", t[sc]); sub(/[A-Z]/, "?", u[sc])
        return loose(t, run) == loose(u, run)
    }
    # loose(T, MASK): the fields T, MASK masked, a kworker named up to its
    # "-" ("kworker/0:0-events" is "kworker/0:0").
    function loose(t, m) {
        if (t[n] ~ /kworker\//) sub(/-[^\/]*$/, (t[n] ~ /\]$/) ? "]" : "", t[n])
        return joined(t, n, m)
    }' "$2" "$3" "$1"
}

