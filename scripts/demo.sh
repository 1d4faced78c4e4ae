#!/usr/bin/env bash
# Try luoshi on a fresh Debian machine: installs what it needs, builds a demo
# database with sample data (the logins are printed), then serves it at
# http://127.0.0.1:8000/ until Ctrl-C.
#
# LUOSHI_DATA_DIR  where the demo data lives (default: luoshi's own default, ~/.local/share/luoshi,
#                  so the README's `luoshi …` commands find the same database without any export)
# LUOSHI_PORT      port to serve on (default: 8000)
# LUOSHI_ISSUER    the issuing body on generated documents (default here: 临江市人民政府督查室)
# LUOSHI_PETITION_OFFICE  the 信访 office on petition documents (default here: 临江市信访局)
#
# An existing database is kept (run `.venv/bin/luoshi demo --force` to rebuild it).
set -euo pipefail

# shellcheck source=scripts/_setup.sh
. "$(dirname "${BASH_SOURCE[0]}")/_setup.sh"
cd "$ROOT"

say "Installing"
if ! command -v python3 >/dev/null 2>&1; then
    ensure_apt python3 python3-venv python3-pip
fi
# PDF documents embed free CJK faces (GB/T 9704 stand-ins); pages need a CJK font.
ensure_apt fonts-wqy-zenhei fonts-arphic-gbsn00lp fonts-arphic-gkai00mp
ensure_venv

DATA_DIR="${LUOSHI_DATA_DIR:-$HOME/.local/share/luoshi}"   # the rule luoshi.settings applies
echo "data directory: $DATA_DIR"

if [ -s "$DATA_DIR/luoshi.sqlite3" ] && [ -z "${DATABASE_URL:-}" ]; then
    say "Using the existing demo database (rebuild it with: .venv/bin/luoshi demo --force)"
else
    say "Building the demo database"
    "$VENV/bin/luoshi" demo
fi

# The demo city's supervision office signs the demo's 通报 and 督办单 (GB/T 9704 发文机关标志).
export LUOSHI_ISSUER="${LUOSHI_ISSUER:-临江市人民政府督查室}"
export LUOSHI_PETITION_OFFICE="${LUOSHI_PETITION_OFFICE:-临江市信访局}"
say "Serving at http://127.0.0.1:${LUOSHI_PORT:-8000}/  (Ctrl-C to stop)"
exec "$VENV/bin/luoshi" serve --host 127.0.0.1 --port "${LUOSHI_PORT:-8000}"
