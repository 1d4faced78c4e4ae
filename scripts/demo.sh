#!/usr/bin/env bash
# Try luoshi on a fresh Debian machine: installs what it needs, builds a demo
# database with sample data (the logins are printed), then serves it at
# http://127.0.0.1:8000/ until Ctrl-C.
#
# LUOSHI_DATA_DIR  where the demo data lives (default: ./.luoshi-data in the repo)
# LUOSHI_PORT      port to serve on (default: 8000)
set -euo pipefail

# shellcheck source=scripts/_setup.sh
. "$(dirname "${BASH_SOURCE[0]}")/_setup.sh"
cd "$ROOT"

say "Installing"
if ! command -v python3 >/dev/null 2>&1; then
    ensure_apt python3 python3-venv python3-pip
fi
ensure_venv

export LUOSHI_DATA_DIR="${LUOSHI_DATA_DIR:-$ROOT/.luoshi-data}"
mkdir -p "$LUOSHI_DATA_DIR"
echo "data directory: $LUOSHI_DATA_DIR"

say "Building the demo database"
"$VENV/bin/luoshi" demo

say "Serving at http://127.0.0.1:${LUOSHI_PORT:-8000}/  (Ctrl-C to stop)"
exec "$VENV/bin/luoshi" serve --host 127.0.0.1 --port "${LUOSHI_PORT:-8000}"
