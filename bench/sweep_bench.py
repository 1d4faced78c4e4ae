"""Sweep benchmark: N tasks over U units on PostgreSQL, bulk-generated with COPY.

    DATABASE_URL=postgres://… LUOSHI_DATA_DIR=/tmp/bench .venv/bin/python bench/sweep_bench.py \
        --tasks 1000000 --units 5000 [--at 2025-06-16] [--keep]

Creates a fresh database named luoshi_bench_<pid> on the DATABASE_URL server (dropped at the end
unless --keep), migrates it, COPYs units, tasks and task↔unit links, then times:

  1. first sweep   (every task gets its light row; non-green ones get a notice)
  2. second sweep  (steady state: nothing changes — the daily case)
  3. ledger page filtered to one unit, and the supervision dashboard: p95 over 50 requests each.

Targets (2 cores): full steady-state sweep < 60 s; ledger page for one unit and dashboard p95 < 200 ms.
The light computation is set-based (one streamed SELECT of 5 columns, O(1) working-day arithmetic per
row, bulk inserts of green rows); only tasks whose light CHANGES go through the per-task transaction
that issues notices, so the first sweep's time is dominated by the notices it must issue (one audit
entry each, serialised by the audit hash chain) — use --green-share to control how many tasks start red.
"""
from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import random
import statistics
import sys
import time
import uuid


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tasks", type=int, default=1_000_000)
    ap.add_argument("--units", type=int, default=5_000)
    ap.add_argument("--at", default="2025-06-16")
    ap.add_argument("--green-share", type=float, default=0.995,
                    help="share of tasks on track on --at (the rest turn blue/yellow/red and get notices)")
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        print("bench/sweep_bench.py needs DATABASE_URL=postgres://… (the benchmark is for PostgreSQL)",
              file=sys.stderr)
        return 2
    import psycopg

    admin_url = url.replace("postgres://", "postgresql://", 1)
    name = f"luoshi_bench_{os.getpid()}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = url.rsplit("/", 1)[0] + "/" + name
    try:
        return run(args)
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            with psycopg.connect(admin_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(args) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from luoshi.accounts.models import Role, User
    from luoshi.supervision.services import run_sweep

    on = dt.date.fromisoformat(args.at)
    t0 = time.monotonic()
    call_command("migrate", verbosity=0)
    print(f"migrate: {time.monotonic() - t0:.1f}s")

    t0 = time.monotonic()
    rnd = random.Random(42)
    raw = connection.connection if connection.connection else (connection.ensure_connection() or
                                                                connection.connection)
    with raw.cursor() as cur:
        with cur.copy("COPY orgs_unit (name, short_names, aliases, kind, code, sort_order, is_active) "
                      "FROM STDIN") as cp:
            for i in range(args.units):
                cp.write_row((f"单位{i:05d}", "[]", "[]", "city_dept", "", i, True))
        cur.execute("SELECT min(id) FROM orgs_unit")
        unit0 = cur.fetchone()[0]
        now = dt.datetime.now(dt.timezone.utc)
        with cur.copy("COPY ledger_task (number, title, requirement, section, responsible_leader, deadline, "
                      "deadline_provisional, original_deadline, recurrence, priority, tags, status, progress, "
                      "assigned_on, created_at, updated_at) FROM STDIN") as cp:
            for i in range(args.tasks):
                assigned = on - dt.timedelta(days=rnd.randint(10, 120))
                deadline = on + dt.timedelta(days=rnd.randint(20, 200))
                progress = 95
                if rnd.random() > args.green_share:
                    deadline = on - dt.timedelta(days=rnd.randint(1, 30))     # overdue → red
                    progress = 50
                cp.write_row((f"B{i:07d}", f"基准任务{i}", "", "", "", deadline, False, deadline, "", 2, "[]",
                              rnd.choice(["assigned", "signed", "in_progress"]), progress, assigned, now, now))
        cur.execute("SELECT min(id) FROM ledger_task")
        task0 = cur.fetchone()[0]
        with cur.copy("COPY ledger_task_lead_units (task_id, unit_id) FROM STDIN") as cp:
            for i in range(args.tasks):
                cp.write_row((task0 + i, unit0 + i % args.units))
        cur.execute("ANALYZE")
    raw.commit() if not raw.autocommit else None
    print(f"generate {args.tasks} tasks / {args.units} units: {time.monotonic() - t0:.1f}s")
    User.objects.create_user("bench_sup", password="bench-pw-123", role=Role.SUPERVISOR)

    t0 = time.monotonic()
    if os.environ.get("LUOSHI_BENCH_PROFILE"):
        import cProfile
        import pstats

        prof = cProfile.Profile()
        r1 = prof.runcall(run_sweep, on)
        pstats.Stats(prof).sort_stats("cumulative").print_stats(25)
    else:
        r1 = run_sweep(on)
    print(f"sweep 1 (initial): {time.monotonic() - t0:.1f}s lights={r1.lights} notices={r1.notices_issued} "
          f"escalations={r1.escalations}")
    t0 = time.monotonic()
    r2 = run_sweep(on)
    steady = time.monotonic() - t0
    print(f"sweep 2 (steady state): {steady:.1f}s changed={len(r2.changes)} notices={r2.notices_issued}")

    c = Client()
    c.force_login(User.objects.get(username="bench_sup"))

    def p95(path):
        times = []
        for _ in range(50):
            t = time.monotonic()
            resp = c.get(path)
            assert resp.status_code == 200, (path, resp.status_code)
            times.append((time.monotonic() - t) * 1000)
        return statistics.quantiles(times, n=20)[18]

    results = {"dashboard": p95("/supervision/dashboard/"),
               "ledger_one_unit": p95(f"/ledger/?unit={unit0 + 7}")}
    for k, v in results.items():
        print(f"{k}: p95 {v:.0f} ms")
    ok = steady < 60 and all(v < 200 for v in results.values())
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
