#!/usr/bin/env bash
# Run the whole luoshi test suite on a fresh Debian 12 machine:
#
#   1. install what the tests need (Debian: postgresql, chromium, CJK fonts; pip: .[test] into .venv)
#   2. pytest on SQLite, browser tests included
#   3. pytest on a throwaway PostgreSQL server (loopback, temp dir), browser tests excluded
#   4. `luoshi check` smoke test
#   5. import layering: `lint-imports` (contracts in .importlinter)
#
# Exits non-zero if anything fails. Extra arguments are passed to both pytest runs
# (e.g. `scripts/test.sh tests/ledger -x`).
# LUOSHI_TEST_SKIP_PG=1 skips the PostgreSQL pass (local use only; CI never sets it).
set -euo pipefail

# shellcheck source=scripts/_setup.sh
. "$(dirname "${BASH_SOURCE[0]}")/_setup.sh"
cd "$ROOT"
unset DATABASE_URL   # each pass sets its own database

T0=$SECONDS
PASS_TIMEOUT="${LUOSHI_TEST_PASS_TIMEOUT:-1500}"   # seconds per pytest pass

say "Setting up"
ensure_apt postgresql postgresql-client chromium fonts-noto-cjk fonts-wqy-zenhei fonts-arphic-gbsn00lp fonts-arphic-gkai00mp poppler-utils redis-server
ensure_venv test
"$VENV/bin/python" --version

WORK="$(mktemp -d /tmp/luoshi-test.XXXXXX)"
PG_DIR=""
PG_CTL=""
PG_USER_CMD=()

cleanup() {
    if [ -n "$PG_CTL" ] && [ -n "$PG_DIR" ] && [ -f "$PG_DIR/data/postmaster.pid" ]; then
        "${PG_USER_CMD[@]}" "$PG_CTL" -D "$PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    [ -n "$PG_DIR" ] && rm -rf "$PG_DIR"
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

declare -A RESULT SUMMARY ELAPSED
ORDER=()

# run_pytest NAME ARGS...: run one pass, remember its outcome; never aborts the script.
run_pytest() {
    local name="$1" log rc start
    shift
    log="$WORK/$name.log"
    start=$SECONDS
    set +e
    timeout --kill-after=30 "$PASS_TIMEOUT" \
        "$VENV/bin/python" -m pytest -p no:cacheprovider -q "$@" </dev/null 2>&1 | tee "$log"
    rc=${PIPESTATUS[0]}
    set -e
    ELAPSED[$name]=$((SECONDS - start))
    SUMMARY[$name]="$(grep -E '^(=+ )?[0-9]+ (passed|failed|error|errors|skipped|deselected)|no tests ran' "$log" | tail -n 1 | sed 's/^=* *//; s/ *=*$//')"
    case $rc in
        0) RESULT[$name]=PASSED ;;
        5) RESULT[$name]="FAILED (no tests collected)" ;;
        124|137) RESULT[$name]="FAILED (timed out after ${PASS_TIMEOUT}s)" ;;
        *) RESULT[$name]="FAILED (pytest exit $rc)" ;;
    esac
    ORDER+=("$name")
}

# ---- 1. SQLite ----------------------------------------------------------
say "SQLite pass (all tests, browser tests included)"
mkdir -p "$WORK/sqlite-data/static"   # static/ exists after collectstatic; saves a whitenoise warning
LUOSHI_DATA_DIR="$WORK/sqlite-data" run_pytest sqlite "$@"

# ---- 2. PostgreSQL ------------------------------------------------------
free_port() {
    "$VENV/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start_postgres() {
    local bindir
    bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
    [ -n "$bindir" ] && [ -x "$bindir/initdb" ] || { echo "PostgreSQL server binaries not found" >&2; return 1; }
    PG_CTL="$bindir/pg_ctl"
    PG_DIR="$(mktemp -d /tmp/luoshi-pg.XXXXXX)"
    # PostgreSQL refuses to run as root: use the `postgres` user the package created.
    if [ "$(id -u)" -eq 0 ]; then
        id postgres >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin postgres
        chown postgres: "$PG_DIR"
        PG_USER_CMD=(runuser -u postgres --)
    fi
    PG_PORT="$(free_port)"
    printf 'postgres-admin-pw\n' >"$PG_DIR/pwfile"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$PG_DIR/pwfile"
    "${PG_USER_CMD[@]}" "$bindir/initdb" -D "$PG_DIR/data" -U postgres --pwfile="$PG_DIR/pwfile" \
        --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 --no-sync \
        >"$PG_DIR/initdb.log" 2>&1 || { cat "$PG_DIR/initdb.log" >&2; return 1; }
    # Throwaway cluster: durability off for speed.
    "${PG_USER_CMD[@]}" "$PG_CTL" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
        -o "-k $PG_DIR -h 127.0.0.1 -p $PG_PORT -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        start >/dev/null || { cat "$PG_DIR/server.log" >&2; return 1; }
    # A superuser of this throwaway cluster, so pytest-django may create the test database.
    "${PG_USER_CMD[@]}" "$bindir/psql" -q -v ON_ERROR_STOP=1 -h "$PG_DIR" -p "$PG_PORT" -U postgres -d postgres \
        -c "CREATE ROLE luoshi LOGIN SUPERUSER PASSWORD 'luoshi-test-pw'" \
        -c "CREATE DATABASE luoshi OWNER luoshi"
    echo "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT (data in $PG_DIR)"
}

say "PostgreSQL pass (browser tests excluded)"
if [ "${LUOSHI_TEST_SKIP_PG:-}" = 1 ]; then
    echo "skipped (LUOSHI_TEST_SKIP_PG=1)"
    RESULT[postgresql]="SKIPPED"
    ORDER+=(postgresql)
elif start_postgres; then
    mkdir -p "$WORK/pg-data/static"
    PG_URL="postgres://luoshi:luoshi-test-pw@127.0.0.1:$PG_PORT/luoshi"
    # Make sure Django really talks to this server before trusting the pass.
    if DATABASE_URL="$PG_URL" LUOSHI_DATA_DIR="$WORK/pg-data" DJANGO_SETTINGS_MODULE=luoshi.settings \
        "$VENV/bin/python" -c 'import django; django.setup(); from django.db import connection as c; c.ensure_connection(); print("Django connects to", c.vendor, c.pg_version)' \
        </dev/null; then
        DATABASE_URL="$PG_URL" LUOSHI_DATA_DIR="$WORK/pg-data" run_pytest postgresql -m "not browser" --ignore=tests/browser "$@"
    else
        RESULT[postgresql]="FAILED (Django cannot connect)"
        ORDER+=(postgresql)
    fi
else
    RESULT[postgresql]="FAILED (could not start PostgreSQL)"
    ORDER+=(postgresql)
fi

# ---- 3. luoshi check smoke ---------------------------------------------
say "luoshi check (smoke)"
start=$SECONDS
set +e
(
    export LUOSHI_DATA_DIR="$WORK/smoke-data"
    "$VENV/bin/luoshi" --version &&
        "$VENV/bin/luoshi" manage migrate --noinput -v 0 &&
        "$VENV/bin/luoshi" check
) </dev/null 2>&1 | tee "$WORK/smoke.log"
rc=${PIPESTATUS[0]}
set -e
ELAPSED[smoke]=$((SECONDS - start))
if [ "$rc" -eq 0 ]; then RESULT[smoke]=PASSED; else RESULT[smoke]="FAILED (exit $rc)"; fi
ORDER+=(smoke)

# ---- 4. import layering ------------------------------------------------
say "Import layering (lint-imports, contracts in .importlinter)"
start=$SECONDS
set +e
PYTHONPATH="$ROOT/src${PYTHONPATH:+:$PYTHONPATH}" "$VENV/bin/lint-imports" --config "$ROOT/.importlinter" </dev/null 2>&1 \
    | tee "$WORK/layering.log"
rc=${PIPESTATUS[0]}
set -e
ELAPSED[layering]=$((SECONDS - start))
if [ "$rc" -eq 0 ]; then RESULT[layering]=PASSED; else RESULT[layering]="FAILED (exit $rc)"; fi
SUMMARY[layering]="$(grep -E '^Contracts:' "$WORK/layering.log" | tail -n 1)"
ORDER+=(layering)

# ---- summary -------------------------------------------------------------
say "Summary"
status=0
for name in "${ORDER[@]}"; do
    printf '  %-11s %-34s %5ss  %s\n' "$name" "${RESULT[$name]}" "${ELAPSED[$name]:--}" "${SUMMARY[$name]:-}"
    case "${RESULT[$name]}" in PASSED|SKIPPED) ;; *) status=1 ;; esac
done
printf '  total %ss\n' "$((SECONDS - T0))"
if [ "$status" -eq 0 ]; then echo "ALL PASSED"; else echo "SOME PASSES FAILED"; fi
exit "$status"
