"""Sweep / ledger / dashboard benchmark: N tasks over U units on PostgreSQL, bulk-generated with COPY.

    .venv/bin/python bench/sweep_bench.py [--tasks 1000000] [--units 5000] [--at 2025-06-16] [--keep]

Without DATABASE_URL the script starts a throwaway PostgreSQL cluster of its own (Debian's
/usr/lib/postgresql/*/bin, in a temp dir, loopback, fsync off; as the `postgres` user when run as
root) and removes it at the end. With DATABASE_URL=postgres://… (a role allowed to CREATE DATABASE) it
creates a database luoshi_bench_<pid> there instead (dropped at the end unless --keep).

Data (the mix is realistic for a municipal ledger: a few % of tasks need attention):
  * U units, one 单位联络员 per unit (so notices and escalations really deliver in-app messages);
  * N tasks in 交办/签收/办理中, one lead unit each, 20 % with a co-unit;
  * on --at: --red (3 %) overdue, --yellow (2 %) lagging the expected progress, --blue (2 %) due within
    3 working days, the rest on track.

Timed:
  1. first sweep    every task gets its light row; every blue/yellow/red task gets a notice (numbered,
                    audited, messages to the units), every yellow/red task its first escalation step;
  2. steady sweep   the same day again (the daily case: nothing changes);
  3. ledger page filtered to one unit, and the supervision dashboard: p95 over 50 requests each.

Targets (2 cores): first AND steady sweep < 60 s; ledger one unit and dashboard p95 < 200 ms.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _pg import bench_database  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tasks", type=int, default=1_000_000)
    ap.add_argument("--units", type=int, default=5_000)
    ap.add_argument("--at", default="2025-06-16")
    ap.add_argument("--red", type=float, default=0.03, help="share of overdue tasks on --at")
    ap.add_argument("--yellow", type=float, default=0.02, help="share of tasks lagging their expected progress")
    ap.add_argument("--blue", type=float, default=0.02, help="share of tasks due within 3 working days")
    ap.add_argument("--requests", type=int, default=50, help="requests per page for the p95")
    ap.add_argument("--keep", action="store_true", help="keep the database (with DATABASE_URL)")
    args = ap.parse_args()

    with bench_database("luoshi_bench", keep=args.keep):
        return run(args)


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
    counts = {"red": 0, "yellow": 0, "blue": 0, "green": 0}
    with raw.cursor() as cur:
        with cur.copy("COPY orgs_unit (name, short_names, aliases, kind, code, sort_order, is_active) "
                      "FROM STDIN") as cp:
            for i in range(args.units):
                cp.write_row((f"单位{i:05d}", "[]", "[]", "city_dept", "", i, True))
        cur.execute("SELECT min(id) FROM orgs_unit")
        unit0 = cur.fetchone()[0]
        now = dt.datetime.now(dt.timezone.utc)
        with cur.copy("COPY accounts_user (password, is_superuser, username, first_name, last_name, email, "
                      "is_staff, is_active, date_joined, unit_id, role, display_name, phone) FROM STDIN") as cp:
            for i in range(args.units):
                cp.write_row(("!", False, f"liaison{i:05d}", "", "", "", False, True, now, unit0 + i,
                              Role.LIAISON, f"联络员{i}", ""))
        with cur.copy("COPY ledger_task (number, title, requirement, section, responsible_leader, deadline, "
                      "deadline_provisional, original_deadline, recurrence, priority, tags, status, progress, "
                      "assigned_on, created_at, updated_at) FROM STDIN") as cp:
            for i in range(args.tasks):
                x = rnd.random()
                if x < args.red:                                   # overdue
                    kind, assigned = "red", on - dt.timedelta(days=rnd.randint(60, 200))
                    deadline, progress = on - dt.timedelta(days=rnd.randint(1, 30)), rnd.randint(30, 90)
                elif x < args.red + args.yellow:                   # ~75 % of the time gone, 10 % done
                    kind, assigned = "yellow", on - dt.timedelta(days=rnd.randint(100, 120))
                    deadline, progress = on + dt.timedelta(days=rnd.randint(20, 40)), 10
                elif x < args.red + args.yellow + args.blue:       # due in 0-3 calendar days
                    kind, assigned = "blue", on - dt.timedelta(days=rnd.randint(60, 120))
                    deadline, progress = on + dt.timedelta(days=rnd.randint(0, 3)), 95
                else:
                    kind, assigned = "green", on - dt.timedelta(days=rnd.randint(10, 120))
                    deadline, progress = on + dt.timedelta(days=rnd.randint(20, 200)), rnd.randint(70, 100)
                counts[kind] += 1
                cp.write_row((f"B{i:07d}", f"基准任务{i}", "", "", "", deadline, False, deadline, "", 2, "[]",
                              rnd.choice(["assigned", "signed", "in_progress"]), progress, assigned, now, now))
        cur.execute("SELECT min(id) FROM ledger_task")
        task0 = cur.fetchone()[0]
        with cur.copy("COPY ledger_task_lead_units (task_id, unit_id) FROM STDIN") as cp:
            for i in range(args.tasks):
                cp.write_row((task0 + i, unit0 + i % args.units))
        with cur.copy("COPY ledger_task_co_units (task_id, unit_id) FROM STDIN") as cp:
            for i in range(0, args.tasks, 5):
                cp.write_row((task0 + i, unit0 + (i * 7 + 3) % args.units))
        cur.execute("ANALYZE")
    raw.commit() if not raw.autocommit else None
    print(f"generate {args.tasks} tasks / {args.units} units / {args.units} liaisons: "
          f"{time.monotonic() - t0:.1f}s  (planned mix {counts})")
    User.objects.create_user("bench_sup", password="bench-pw-123", role=Role.SUPERVISOR)

    def cpu():
        """(this process's user+sys CPU seconds, its PostgreSQL backend's): figures the load does not move."""
        me = os.times()
        with connection.cursor() as cur:
            cur.execute("SELECT pg_backend_pid()")
            pid = cur.fetchone()[0]
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            db = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except OSError:  # the server runs on another machine
            db = float("nan")
        return me.user + me.system, db

    with connection.cursor() as cur:  # one backend does all the work, so its CPU is all the database's
        cur.execute("SET max_parallel_workers_per_gather = 0")
    c0 = cpu()
    t0 = time.monotonic()
    if os.environ.get("LUOSHI_BENCH_PROFILE"):
        import cProfile
        import pstats

        prof = cProfile.Profile()
        r1 = prof.runcall(run_sweep, on)
        pstats.Stats(prof).sort_stats(os.environ.get("LUOSHI_BENCH_PROFILE_SORT", "cumulative")).print_stats(
            int(os.environ.get("LUOSHI_BENCH_PROFILE_LINES", "25")))
    else:
        r1 = run_sweep(on)
    first = time.monotonic() - t0
    c1 = cpu()
    print(f"sweep 1 (first): {first:.1f}s lights={r1.lights} changed={len(r1.changes) if len(r1.changes) < 1000 else '1000+'} "
          f"notices={r1.notices_issued} escalations={r1.escalations}\n    CPU: app {c1[0] - c0[0]:.1f} s, PostgreSQL "
          f"{c1[1] - c0[1]:.1f} s\n    phases {r1.phases}")
    t0 = time.monotonic()
    r2 = run_sweep(on)
    steady = time.monotonic() - t0
    c2 = cpu()
    print(f"sweep 2 (steady state): {steady:.1f}s changed={len(r2.changes)} notices={r2.notices_issued}\n"
          f"    CPU: app {c2[0] - c1[0]:.1f} s, PostgreSQL {c2[1] - c1[1]:.1f} s\n    phases {r2.phases}")

    c = Client()
    c.force_login(User.objects.get(username="bench_sup"))

    def p95(path):
        c.get(path)  # warm-up: templates and URL resolver loaded, as in a running server
        times = []
        for _ in range(args.requests):
            t = time.monotonic()
            resp = c.get(path)
            assert resp.status_code == 200, (path, resp.status_code)
            times.append((time.monotonic() - t) * 1000)
        return statistics.quantiles(times, n=20)[18]

    results = {"dashboard": p95("/supervision/dashboard/"),
               "ledger_one_unit": p95(f"/ledger/?unit={unit0 + 7}")}
    for k, v in results.items():
        print(f"{k}: p95 {v:.0f} ms")
    from luoshi.audit.models import AuditEntry
    from luoshi.notifications.models import Notification

    print(f"rows: audit entries {AuditEntry.objects.count()}, in-app messages {Notification.objects.count()}")
    from luoshi.audit.services import verify_chain

    t0 = time.monotonic()
    chain = verify_chain()
    print(f"audit chain: {'ok' if chain.ok else 'BROKEN: ' + chain.reason}, {chain.checked} entries "
          f"verified in {time.monotonic() - t0:.1f}s")
    ok = chain.ok and first < 60 and steady < 60 and all(v < 200 for v in results.values())
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
