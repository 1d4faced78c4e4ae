# Shared set-up for scripts/demo.sh and scripts/test.sh (sourced, not run).
#
# ensure_apt PKG...   install missing Debian packages (apt-get update once, only if something is missing)
# ensure_venv [EXTRA] create .venv in the repo and `pip install -e .[EXTRA]` (skipped when up to date)
#
# Uses sudo only when not root. Quiet unless something fails, then the log is shown.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
export DEBIAN_FRONTEND=noninteractive
export PIP_DISABLE_PIP_VERSION_CHECK=1

if [ "$(id -u)" -eq 0 ]; then SUDO=(); else SUDO=(sudo); fi

say() { printf '\n==== %s\n' "$*"; }

_apt_updated=0
_run_logged() {  # run a command quietly; on failure show its output and fail
    local log
    log="$(mktemp)"
    if ! "$@" >"$log" 2>&1; then
        echo "FAILED: $*" >&2
        tail -n 60 "$log" >&2
        rm -f "$log"
        return 1
    fi
    rm -f "$log"
}

_pkg_installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

ensure_apt() {
    local missing=() p
    command -v dpkg-query >/dev/null || { echo "not a Debian system: install $* yourself" >&2; return 0; }
    for p in "$@"; do _pkg_installed "$p" || missing+=("$p"); done
    [ "${#missing[@]}" -eq 0 ] && return 0
    echo "installing Debian packages: ${missing[*]}"
    # Another apt/dpkg run (unattended-upgrades on a new machine) holds the lock: wait for it
    # (up to LUOSHI_APT_LOCK_WAIT seconds) instead of failing.
    local wait=(-o "DPkg::Lock::Timeout=${LUOSHI_APT_LOCK_WAIT:-600}")
    if [ "$_apt_updated" -eq 0 ]; then
        _run_logged "${SUDO[@]}" apt-get "${wait[@]}" update -qq
        _apt_updated=1
    fi
    _run_logged "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive \
        apt-get "${wait[@]}" install -y -qq --no-install-recommends "${missing[@]}"
}

# The Python to build the venv with: python3 on PATH (pyenv or Debian), 3.11+.
_pick_python() {
    local py
    for py in "${LUOSHI_PYTHON:-}" python3 /usr/bin/python3; do
        [ -n "$py" ] || continue
        command -v "$py" >/dev/null 2>&1 || continue
        if "$py" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            echo "$py"
            return 0
        fi
    done
    return 1
}

_make_venv() {
    local py
    py="$(_pick_python)" || {
        ensure_apt python3 python3-venv python3-pip
        py="$(_pick_python)" || { echo "need Python 3.11 or newer" >&2; return 1; }
    }
    rm -rf "$VENV"
    if ! "$py" -m venv "$VENV" >/dev/null 2>&1; then
        # Debian's python3 has no ensurepip without python3-venv.
        ensure_apt python3-venv python3-pip
        rm -rf "$VENV"
        if ! "$py" -m venv "$VENV" >/dev/null 2>&1; then
            rm -rf "$VENV"
            py=/usr/bin/python3
            _run_logged "$py" -m venv "$VENV"
        fi
    fi
}

ensure_venv() {
    local extra="${1:-}" spec stamp want
    if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import sys' >/dev/null 2>&1; then
        echo "creating $VENV"
        _make_venv
    fi
    spec="."
    [ -n "$extra" ] && spec=".[$extra]"
    # Reinstall only when pyproject.toml (or the extra) changed since the last install.
    stamp="$VENV/.luoshi-installed"
    want="$(sha256sum "$ROOT/pyproject.toml" | cut -d' ' -f1) $spec"
    if [ -f "$stamp" ] && grep -qxF "$want" "$stamp" && [ -x "$VENV/bin/luoshi" ]; then
        return 0
    fi
    # An install with a bigger extra also covers a smaller one.
    if [ -z "$extra" ] && [ -f "$stamp" ] && grep -q "^$(sha256sum "$ROOT/pyproject.toml" | cut -d' ' -f1) " "$stamp" \
        && [ -x "$VENV/bin/luoshi" ]; then
        return 0
    fi
    echo "pip install -e '$spec' into $VENV"
    (cd "$ROOT" && _run_logged "$VENV/bin/python" -m pip install -q -e "$spec")
    echo "$want" >"$stamp"
}
