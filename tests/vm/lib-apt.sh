# Debian's archive through apt lists of the project's own, one set per
# suite, never the machine's /etc/apt (sourced; POSIX sh).  Nothing is
# pinned: a suite's current kernel is whatever its lists say today.
#
# Needs $cache (the kernel cache).  Environment:
#   KMEMSTAT_VM_MIRROR     Debian mirror (default http://deb.debian.org/debian)
#   KMEMSTAT_VM_SECURITY   security mirror (default http://deb.debian.org/debian-security)
#   KMEMSTAT_VM_APT_MAXAGE refresh lists older than this many minutes (default 360)

apt_mirror=${KMEMSTAT_VM_MIRROR:-http://deb.debian.org/debian}
apt_security=${KMEMSTAT_VM_SECURITY:-http://deb.debian.org/debian-security}

# apt_sources SUITE: the sources.list lines for SUITE.  Released suites get
# their -updates and -security too (point releases and security fixes are
# where kernels move); testing (forky today) has only itself.
apt_sources() {
    echo "deb $apt_mirror $1 main"
    case $1 in
        bullseye|bookworm|trixie)
            echo "deb $apt_mirror $1-updates main"
            echo "deb $apt_security $1-security main" ;;
    esac
}

# apt_opts SUITE: sets $apt_o to the options that point apt at SUITE's lists.
apt_opts() {
    _d=$cache/apt/$1
    apt_o="-o Dir::Etc::sourcelist=$_d/sources.list -o Dir::Etc::sourceparts=/dev/null
 -o Dir::State::lists=$_d/lists -o Dir::Cache=$_d/cache -o Dir::State::status=/dev/null
 -o APT::Architecture=amd64 -o Debug::NoLocking=1 -o APT::Sandbox::User=root -o APT::Get::List-Cleanup=0"
}

# apt_update SUITE: refresh SUITE's lists when missing or older than the
# maximum age.  A failed refresh with lists at hand warns and goes on.
apt_update() {
    _d=$cache/apt/$1
    case $1 in
        bullseye|bookworm|trixie|forky|sid) ;;
        *) echo "lib-apt: unknown suite '$1' (bullseye, bookworm, trixie, forky, sid)" >&2; return 2 ;;
    esac
    mkdir -p "$_d/lists/partial" "$_d/cache/archives/partial"
    apt_sources "$1" > "$_d/sources.list"
    apt_opts "$1"
    if [ -f "$_d/stamp" ] &&
       [ -z "$(find "$_d/stamp" -mmin +"${KMEMSTAT_VM_APT_MAXAGE:-360}")" ]; then
        return 0
    fi
    # shellcheck disable=SC2086 # $apt_o is a list of options
    if apt-get -q $apt_o update > "$_d/update.log" 2>&1 &&
       ! grep -q '^\(W\|E\): ' "$_d/update.log"; then
        touch "$_d/stamp"
        return 0
    fi
    sed -n 's/^\(W\|E\): /lib-apt: /p' "$_d/update.log" >&2
    if ls "$_d"/lists/*_Packages > /dev/null 2>&1; then
        echo "lib-apt: could not refresh the $1 lists; using those of $(date -r "$_d/lists" '+%F %R')" >&2
        return 0
    fi
    echo "lib-apt: no package lists for $1 (log: $_d/update.log)" >&2
    return 1
}

# apt_field SUITE PKG[=VER] FIELD: one field of the candidate (or the given
# version) of PKG in SUITE's lists; empty if there is none.
apt_field() {
    apt_opts "$1"
    # shellcheck disable=SC2086
    apt-cache $apt_o show --no-all-versions "$2" 2>/dev/null |
        sed -n "s/^$3: //p" | head -n1
}

# apt_download SUITE DIR PKG=VER...: download into DIR, unless already there.
apt_download() {
    _s=$1 _dir=$2; shift 2
    mkdir -p "$_dir"
    apt_opts "$_s"
    for _pv in "$@"; do
        _p=${_pv%%=*} _v=${_pv#*=}
        # A Debian file name spells an epoch's colon as %3a.
        ls "$_dir/${_p}_$(echo "$_v" | sed 's/:/%3a/')_"*.deb > /dev/null 2>&1 && continue
        # shellcheck disable=SC2086
        (cd "$_dir" && apt-get -q $apt_o download "$_pv") >&2 || {
            echo "lib-apt: apt-get download $_pv ($_s) failed" >&2; return 1; }
    done
}

# apt_deps_named SUITE PKG=VER PATTERN: the names in PKG's Depends that match
# the extended regular expression PATTERN, one per line, versions dropped.
apt_deps_named() {
    apt_field "$1" "$2" Depends | tr ',|' '\n\n' |
        sed 's/^ *//; s/ .*//' | grep -E "$3" || true
}
