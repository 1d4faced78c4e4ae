"""Cases benchmark on PostgreSQL.

    DATABASE_URL=postgres://luoshi:…@127.0.0.1:5432/luoshi_cases_bench \
    PYTHONPATH=src python bench/cases_bench.py --cases 1000000 --units 5000

1. loads N cases over U units (COPY; ~40 % open on a unit, some overdue) and ANALYZEs;
2. duplicate check (cases.dedup.find_duplicates) for 200 new cases: p50/p95/max;
3. a unit's case list (GET /api/cases/ as that unit's liaison, in-process): p50/p95 over 200 units;
4. the sweep over open cases (cases.sweep.case_lights): seconds; then the whole daily sweep
   (supervision.sweep.run_sweep: lights of every kind, then 督办单 and escalation steps on overdue cases,
   at most --sweep-actions of them, the rest deferred to the next sweeps): seconds and what it did;
5. Open311 POST (gunicorn, --workers sync workers; bounded load: --concurrency connections for --seconds,
   each sending its next POST when the previous answer came; form-encoded bodies with a random point and
   text): requests/s, p50/p95/max, and CPU ms per request of the gunicorn processes and of the PostgreSQL
   backends serving them (utime+stime from /proc/<pid>/stat; the server must run on this machine), and of
   the client.

The Open311 load client is **wrk** (Debian package `wrk`: `apt-get install wrk`; C and LuaJIT, ~0.1 ms of
CPU per request, so on a 2-core machine it leaves the CPU to the server measured). Without it the bench
stops with that message; `--client python` uses Python threads instead (~1-2 ms of CPU per request,
taken from the server).

--reuse measures on the cases an earlier run loaded (migrating first); without it, the database named in
DATABASE_URL is wiped of cases (not of anything else) and loaded again.
"""
from __future__ import annotations

import argparse
import io
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi.settings")

WORDS = ["路面", "井盖", "垃圾", "噪音", "路灯", "占道", "违建", "积水", "树木", "停车", "油烟", "施工", "破损", "缺失",
         "堵塞", "异味", "夜间", "小区", "门口", "人行道", "绿化带", "下水道", "扰民", "清运", "摊贩"]
PLACES = ["人民路", "解放路", "滨江大道", "建设路", "中山路", "文化路", "新华街", "胜利路", "江城大道", "青年路"]


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def text(rng):
    return "".join(rng.choice(WORDS) for _ in range(rng.randint(6, 14)))


def setup_data(n_cases, n_units, rng):
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from luoshi.accounts.models import User
    from luoshi.cases.models import Case, Category, Kind, LimitUnit
    from luoshi.orgs.models import Unit, UnitKind

    call_command("migrate", verbosity=0)
    t0 = time.perf_counter()
    with connection.cursor() as cur:
        # supervision's notices/steps on cases refer to them by id (no foreign key): they go with them
        cur.execute("DELETE FROM supervision_escalation WHERE source_type = 'cases'")
        cur.execute("DELETE FROM supervision_supervisionnotice WHERE source_type = 'cases'")
        cur.execute("TRUNCATE cases_casephoto, cases_caseevent, cases_case, cases_routingrule, cases_area, "
                    "cases_category, cases_open311key RESTART IDENTITY CASCADE")
    root = Unit.objects.filter(name="基准测试市").first() or Unit.objects.create(name="基准测试市", kind=UnitKind.CITY)
    have = Unit.objects.filter(name__startswith="基准单位").count()
    Unit.objects.bulk_create([Unit(name=f"基准单位{i:05d}", kind=UnitKind.CITY_DEPT, parent=root, sort_order=i)
                              for i in range(have, n_units)], batch_size=5000)
    unit_ids = list(Unit.objects.filter(name__startswith="基准单位").order_by("id").values_list("id", flat=True))[:n_units]
    cats = [Category.objects.create(code=f"B{i:02d}", name=f"类别{i}", kind=Kind.PROBLEM if i < 8 else Kind.COMPLAINT,
                                    limit_value=24 if i < 8 else 5,
                                    limit_unit=LimitUnit.HOURS if i < 8 else LimitUnit.WORKING_DAYS)
            for i in range(10)]
    hashed = make_password("bench-pw-123")
    for uid in unit_ids[:200]:
        User.objects.get_or_create(username=f"bench_{uid}", defaults={"password": hashed, "role": "liaison",
                                                                    "unit_id": uid})
    now = timezone.now()
    from luoshi.cases.models import grid_cell

    fields = ["number", "kind", "category_id", "channel", "description", "address", "lat", "long", "grid", "anonymous",
              "reporter_name", "reporter_phone", "reporter_email", "reporter_address", "query_hash", "open311_token",
              "subject_unit_id", "subject_person", "responsible_unit_id", "status", "created_at", "updated_at",
              "dispatched_at", "deadline", "replied_at", "closed_at", "extension_reason", "public_reply",
              "return_count", "rework_count", "reopened", "rating", "rating_comment", "investigation", "finding",
              "opinion", "source_type", "source_label"]
    statuses = ["closed"] * 45 + ["dispatched"] * 10 + ["accepted"] * 10 + ["handling"] * 20 + ["replied"] * 5 + \
               ["received"] * 3 + ["registered"] * 2 + ["void"] * 3 + ["visited"] * 2
    import datetime as dt

    cols = ", ".join(fields)
    with connection.cursor() as cur:
        with cur.cursor.copy(f"COPY cases_case ({cols}) FROM STDIN") as cp:
            for i in range(n_cases):
                cat = rng.choice(cats)
                status = rng.choice(statuses)
                created = now - dt.timedelta(minutes=rng.randint(0, 60 * 24 * 365))
                unit = rng.choice(unit_ids)
                dispatched = created + dt.timedelta(hours=1) if status not in ("received", "registered", "void") else None
                deadline = dispatched + dt.timedelta(hours=rng.choice([24, 48, 120])) if dispatched else None
                replied = (deadline - dt.timedelta(hours=rng.randint(-10, 20))) if status in ("closed", "replied", "visited") else None
                lat, long = 30 + rng.random(), 114 + rng.random()
                cp.write_row((
                    f"B{i:011d}", cat.kind, cat.pk, "web", text(rng), f"{rng.choice(PLACES)}{rng.randint(1, 500)}号",
                    lat, long, grid_cell(lat, long), False, "某某", "13900000000", "", "", "", "",
                    unit if cat.kind == "complaint" else None, "", unit if dispatched else None, status, created, created,
                    dispatched, deadline, replied, replied if status == "closed" else None, "", "", 0, 0, False,
                    rng.choice(["", "satisfied", "basic", "unsatisfied"]) if replied else "", "", "", "", "", "", ""))
        cur.execute("SELECT setval(pg_get_serial_sequence('cases_case','id'), (SELECT MAX(id) FROM cases_case))")
        cur.execute("ANALYZE cases_case")
    load = time.perf_counter() - t0
    open_n = Case.objects.filter(status__in=["dispatched", "accepted", "handling"]).count()
    return {"units": unit_ids, "cats": cats, "load_s": load, "open": open_n}


def bench_dedup(rng, cats, n=200):
    from luoshi.cases.dedup import find_duplicates

    times = []
    for _ in range(n):
        t = time.perf_counter()
        find_duplicates(description=text(rng), address=f"{rng.choice(PLACES)}{rng.randint(1, 500)}号",
                        lat=30 + rng.random(), long=114 + rng.random(), category=rng.choice(cats))
        times.append((time.perf_counter() - t) * 1000)
    return times


def bench_unit_list(units, n=200):
    from rest_framework.test import APIClient

    from luoshi.accounts.models import User

    users = list(User.objects.filter(username__startswith="bench_")[:n])
    times = []
    for u in users:
        c = APIClient()
        c.force_authenticate(u)
        t = time.perf_counter()
        r = c.get("/api/cases/")
        times.append((time.perf_counter() - t) * 1000)
        assert r.status_code == 200, r.content[:300]
    return times


def bench_sweep():
    from luoshi.cases.sweep import case_lights

    c0 = cpu_seconds()
    t = time.perf_counter()
    lights = case_lights()
    wall = time.perf_counter() - t
    c1 = cpu_seconds()
    return wall, sum(v["red"] for v in lights.values()), len(lights), (c1[0] - c0[0], c1[1] - c0[1])


def cpu_seconds():
    """(this process's user+sys CPU seconds, its PostgreSQL backend's) — load-independent figures."""
    from django.db import connection

    me = os.times()
    connection.ensure_connection()
    with connection.cursor() as cur:
        # no parallel workers: the backend's CPU is then all the database's (workers' ticks are not counted)
        cur.execute("SET max_parallel_workers_per_gather = 0")
        cur.execute("SELECT pg_backend_pid()")
        pid = cur.fetchone()[0]
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        backend = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except OSError:  # the server runs elsewhere
        backend = float("nan")
    return me.user + me.system, backend


def bench_full_sweep(actions):
    from luoshi.supervision.sweep import run_sweep

    c0 = cpu_seconds()
    t = time.perf_counter()
    r = run_sweep(settings={"item_actions": actions}, checkpoint=False)
    wall = time.perf_counter() - t
    c1 = cpu_seconds()
    return wall, r.items.get("cases", {}), {**r.phases, "cpu_app_s": round(c1[0] - c0[0], 1),
                                             "cpu_db_s": round(c1[1] - c0[1], 1)}


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def _ticks(pids) -> dict:
    """utime + stime (clock ticks) of each live pid, from /proc/<pid>/stat."""
    out = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        out[pid] = int(fields[11]) + int(fields[12])
    return out


def _children(pid) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _db_backends() -> list[int]:
    """PIDs of the PostgreSQL backends connected to this database (the server runs on this machine)."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")
        return [r[0] for r in cur.fetchall()]


WRK_LUA = """
local key = "%(key)s"
local words = {%(words)s}
local n = 0
request = function()
  n = n + 1
  local d = {}
  for i = 1, math.random(6, 14) do d[#d + 1] = words[math.random(#words)] end
  local body = "api_key=" .. key .. "&service_code=B01&lat=" .. (30 + math.random()) .. "&long=" ..
    (114 + math.random()) .. "&description=" .. table.concat(d) .. "&phone=13900000000&first_name=%%E6%%9F%%90"
  return wrk.format("POST", "/open311/v2/requests.json",
                    {["Content-Type"] = "application/x-www-form-urlencoded"}, body)
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %%d %%d %%d %%d %%.3f %%.3f %%.3f\\n", summary.requests, e.status,
    e.connect + e.read + e.write + e.timeout, summary.duration, latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency.max / 1000))
end
"""


def _load_wrk(port, key, concurrency, seconds):
    """wrk (Debian package `wrk`, C + LuaJIT): `concurrency` connections, each sending its next POST when
    the previous answer came (bounded load); form-encoded bodies vary (random point and text)."""
    import shutil
    import tempfile
    from urllib.parse import quote

    if not shutil.which("wrk"):
        sys.exit("the Open311 part needs wrk as its load client: apt-get install wrk "
                 "(or pass --client python for the slower in-process client)")
    words = ", ".join(f'"{quote(w)}"' for w in WORDS)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(WRK_LUA % {"key": key, "words": words})
    try:
        threads = max(1, min(2, concurrency))
        out = subprocess.run(["wrk", "-t", str(threads), "-c", str(concurrency), "-d", f"{seconds}s",
                              "--timeout", "30s", "-s", f.name, f"http://127.0.0.1:{port}"],
                             capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(f.name)
    line = next(x for x in out.splitlines() if x.startswith("RESULT "))
    n, status_err, sock_err, duration_us, p50, p95, mx = line.split()[1:]
    n, bad = int(n), int(status_err) + int(sock_err)
    return {"ok": n - bad, "errors": bad, "rps": (n - bad) / (int(duration_us) / 1e6), "p50": float(p50),
            "p95": float(p95), "max": float(mx)}


def _load_python(port, key, concurrency, seconds):
    """The earlier client: Python threads with http.client (costs ~1-2 ms of CPU per request itself)."""
    import http.client
    from urllib.parse import urlencode

    lat_ms, errors = [], []
    stop = time.perf_counter() + seconds
    lock = threading.Lock()

    def client(i):
        rng = random.Random(i)
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        while time.perf_counter() < stop:
            body = urlencode({"api_key": key, "service_code": "B01", "lat": 30 + rng.random(),
                              "long": 114 + rng.random(), "description": text(rng), "phone": "13900000000",
                              "first_name": "某"})
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            t = time.perf_counter()
            conn.request("POST", "/open311/v2/requests.json", body=body, headers=headers)
            r = conn.getresponse()
            r.read()
            conn.close()
            ms = (time.perf_counter() - t) * 1000
            with lock:
                (lat_ms if r.status == 201 else errors).append(ms if r.status == 201 else r.status)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(concurrency)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    return {"ok": len(lat_ms), "errors": len(errors), "rps": len(lat_ms) / wall,
            "p50": pct(lat_ms, 50) if lat_ms else None, "p95": pct(lat_ms, 95) if lat_ms else None,
            "max": max(lat_ms) if lat_ms else None}


def bench_open311(workers, concurrency, seconds, client="wrk"):
    """POST /open311/v2/requests.json against gunicorn (`workers` sync workers) for `seconds` with
    `concurrency` connections; also CPU ms per request of the gunicorn processes and of the PostgreSQL
    backends serving them (/proc ticks; the server must run on this machine)."""
    import requests

    from luoshi.cases.open311 import do_add_key

    key = do_add_key("bench", "基准测试")[1]
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "luoshi.wsgi:application", "-w", str(workers),
                             "-b", f"127.0.0.1:{port}", "--log-level", "warning"], env=env, cwd=str(ROOT),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    load = _load_wrk if client == "wrk" else _load_python
    try:
        for _ in range(120):
            try:
                requests.get(f"http://127.0.0.1:{port}/open311/v2/services.json", timeout=10)
                break
            except requests.RequestException:
                time.sleep(0.5)
        load(port, key, max(concurrency, workers * 2), 3)  # warm-up: every worker imports and connects
        app_pids = [proc.pid, *_children(proc.pid)]
        db_pids = _db_backends()
        before = {**_ticks(app_pids), **_ticks(db_pids)}
        t0 = os.times()
        r = load(port, key, concurrency, seconds)
        t1 = os.times()
        # a backend (or worker) started during the run counts whole; one that ended during it is lost (rare)
        after_app = _ticks({*app_pids, proc.pid, *_children(proc.pid)})
        after_db = _ticks({*db_pids, *_db_backends()})
        hz = os.sysconf("SC_CLK_TCK")
        per = 1000 / hz / max(1, r["ok"] + r["errors"])
        r["app_ms"] = sum(v - before.get(p, 0) for p, v in after_app.items()) * per
        r["db_ms"] = sum(v - before.get(p, 0) for p, v in after_db.items()) * per
        r["client_ms"] = ((t1.children_user + t1.children_system) - (t0.children_user + t0.children_system)
                          + (t1.user + t1.system) - (t0.user + t0.system)) * 1000 / max(1, r["ok"] + r["errors"])
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
    return r


def _print_open311(a, r):
    print(f"Open311 POST ({a.workers} gunicorn workers, {a.concurrency} connections, {a.seconds} s, client "
          f"{a.client}): {r['rps']:.1f} req/s, p50 {r['p50']:.0f} ms, p95 {r['p95']:.0f} ms, max {r['max']:.0f} ms, "
          f"{r['ok']} created, {r['errors']} errors; CPU per request: app {r['app_ms']:.2f} ms + PostgreSQL "
          f"{r['db_ms']:.2f} ms (+ client {r['client_ms']:.2f} ms); load average {os.getloadavg()[0]:.2f}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cases", type=int, default=1_000_000)
    ap.add_argument("--units", type=int, default=5000)
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--seconds", type=int, default=20)
    ap.add_argument("--seed", type=int, default=311)
    ap.add_argument("--sweep-actions", type=int, default=2000, help="督办单/escalation steps per sweep")
    ap.add_argument("--client", choices=["wrk", "python"], default="wrk",
                    help="Open311 load client: wrk (Debian package, needed by default) or python threads")
    ap.add_argument("--only-open311", action="store_true", help="skip loading and the other measurements")
    ap.add_argument("--reuse", action="store_true", help="measure on the cases loaded by an earlier run")
    ap.add_argument("--parts", default="dedup,list,sweep,fullsweep,open311",
                    help="comma-separated: dedup, list, sweep, fullsweep, open311")
    a = ap.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("set DATABASE_URL to a PostgreSQL database (it is wiped of cases)")
    rng = random.Random(a.seed)
    if a.only_open311:
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        _print_open311(a, bench_open311(a.workers, a.concurrency, a.seconds, a.client))
        return
    parts = set(a.parts.split(","))
    if a.reuse:
        import django

        django.setup()
        from django.core.management import call_command

        from luoshi.cases.models import Case, Category

        call_command("migrate", verbosity=0)

        d = {"cats": list(Category.objects.filter(code__startswith="B")), "units": None}
        print(f"reusing {Case.objects.count():,} cases")
    else:
        d = setup_data(a.cases, a.units, rng)
        print(f"loaded {a.cases:,} cases over {len(d['units']):,} units in {d['load_s']:.1f} s "
              f"({d['open']:,} open on a unit)")
    if "dedup" in parts:
        bench_dedup(rng, d["cats"], 20)  # warm-up (connection, caches)
        t = bench_dedup(rng, d["cats"])
        print(f"duplicate check: p50 {pct(t, 50):.1f} ms, p95 {pct(t, 95):.1f} ms, max {max(t):.1f} ms (200 new cases)")
    if "list" in parts:
        t = bench_unit_list(d["units"])
        print(f"unit case list GET /api/cases/: p50 {pct(t, 50):.1f} ms, p95 {pct(t, 95):.1f} ms ({len(t)} units)")
    if "sweep" in parts:
        s, red, units, cpu = bench_sweep()
        print(f"sweep over open cases: {s:.2f} s ({red:,} overdue in {units:,} units; CPU app {cpu[0]:.2f} s, "
              f"PostgreSQL {cpu[1]:.2f} s)")
    if "fullsweep" in parts:
        _full_sweeps(a)
    if "open311" in parts:
        _print_open311(a, bench_open311(a.workers, a.concurrency, a.seconds, a.client))


def _full_sweeps(a):
    s, items, phases = bench_full_sweep(a.sweep_actions)
    print(f"daily sweep incl. supervision of overdue cases: {s:.1f} s — {items.get('overdue', 0):,} overdue, "
          f"{items.get('notices', 0):,} 督办单 and {items.get('escalations', 0):,} escalation steps issued, "
          f"{items.get('deferred', 0):,} deferred; phases {phases}")
    s, items, phases = bench_full_sweep(a.sweep_actions)
    print(f"  the same sweep again (idempotent, next {a.sweep_actions} actions): {s:.1f} s, "
          f"{items.get('notices', 0):,} 督办单, {items.get('escalations', 0):,} steps; phases {phases}")


if __name__ == "__main__":
    main()
