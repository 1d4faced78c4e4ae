"""Concurrent writers benchmark: C clients post progress reports (进展反馈) at the same time to a
real `luoshi serve` (gunicorn) over HTTP on loopback, on SQLite and on PostgreSQL.

    .venv/bin/python bench/concurrency_bench.py [--clients 50] [--requests 10] [--db sqlite,postgres]
                                                [--workers 4] [--threads 4]

Each client is a 单位联络员 of its own unit with its own signed task and an API token (issued
directly, so the token endpoint's throttle is not what is measured); it posts --requests reports
one after the other, all clients at once (a barrier releases them together). Reported per
database: requests, errors (any non-2xx or connection failure), throughput (requests/s over the
whole run), latency p50/p95/max (ms), and whether every report row is there afterwards.

SQLite: a throwaway data directory. PostgreSQL: DATABASE_URL (or BENCH_PG_URL, default the dev
server postgres://luoshi:luoshi-test-pw@127.0.0.1:5432/postgres) names a server where the role may
CREATE DATABASE; the bench creates luoshi_conc_<pid> there and drops it at the end.
Loopback only, bounded: at most --clients × --requests requests, 60 s timeout each.
Writes bench/results/concurrency_bench.json (gitignored). Exit status 1 when any request failed.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SRC = ROOT / "src"
DEFAULT_PG = "postgres://luoshi:luoshi-test-pw@127.0.0.1:5432/postgres"

# Runs in a fresh process against the target database: migrate, then one unit, liaison, signed
# task and token per client; prints {"clients": [[token, task_id], ...]}.
_SEED = r"""
import json, os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi.settings")
import django
django.setup()
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
from luoshi.accounts.models import Role, User
from luoshi.accounts.tokens import do_issue_token
from luoshi.ledger.services import do_create_task, do_sign_task
from luoshi.orgs.models import Unit, UnitKind
n = int(sys.argv[1])
city = Unit.objects.create(name="并发测试市人民政府", kind=UnitKind.CITY)
sup = User.objects.create_user(username="conc_sup", role=Role.SUPERVISOR, unit=city)  # no password: tokens only
out = []
for i in range(n):
    unit = Unit.objects.create(name=f"并发测试单位{i:03d}", kind=UnitKind.CITY_DEPT, parent=city)
    user = User.objects.create_user(username=f"conc_{i:03d}", role=Role.LIAISON,
                                    unit=unit, display_name=f"联络员{i}")
    task = do_create_task(sup, title=f"并发测试任务{i:03d}", lead_units=[unit], deadline_working_days=20, assign=True)
    do_sign_task(user, task)
    key, _ = do_issue_token(user)
    out.append([key, task.pk])
print(json.dumps({"clients": out}))
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(data_dir: Path, database_url: str | None) -> dict:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("LUOSHI_") and k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env.update(LUOSHI_DATA_DIR=str(data_dir), PYTHONUNBUFFERED="1", LUOSHI_SECRET_KEY="conc-bench-" + "k" * 50,
               PYTHONPATH=str(SRC) + os.pathsep + env.get("PYTHONPATH", ""))
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


class LiveServer:
    """A seeded database and `luoshi serve` on a free loopback port (context manager)."""

    def __init__(self, clients: int, database_url: str | None = None, workers: int = 4, threads: int = 4):
        self.n, self.database_url, self.workers, self.threads = clients, database_url, workers, threads
        self.tmp = Path(tempfile.mkdtemp(prefix="luoshi-conc-"))
        self.env = _env(self.tmp / "data", database_url)
        self.proc = None
        self.clients: list[tuple[str, int]] = []

    def __enter__(self):
        seed = subprocess.run([sys.executable, "-c", _SEED, str(self.n)], env=self.env, capture_output=True,
                              text=True, timeout=600, cwd=self.tmp)
        if seed.returncode:
            raise RuntimeError(f"seeding failed:\n{seed.stderr[-3000:]}")
        self.clients = [tuple(c) for c in json.loads(seed.stdout.strip().splitlines()[-1])["clients"]]
        self.port = free_port()
        self.log = open(self.tmp / "serve.log", "w+")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "luoshi.cli", "serve", "--port", str(self.port), "--workers", str(self.workers),
             "--threads", str(self.threads), "--no-migrate"],
            env=self.env, stdout=self.log, stderr=subprocess.STDOUT, cwd=self.tmp, start_new_session=True)
        self.base = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("luoshi serve exited:\n" + (self.tmp / "serve.log").read_text()[-3000:])
            try:
                with urllib.request.urlopen(self.base + "/accounts/login/", timeout=2) as r:
                    if r.status == 200:
                        return self
            except (urllib.error.URLError, ConnectionError, socket.timeout):
                time.sleep(0.3)
        self.__exit__(None, None, None)
        raise RuntimeError("luoshi serve did not answer within 90 s")

    def __exit__(self, *exc):
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def log_text(self) -> str:
        return (self.tmp / "serve.log").read_text()[-5000:] if (self.tmp / "serve.log").exists() else ""


def _call(base: str, method: str, path: str, token: str, body: dict | None = None) -> tuple[int, bytes]:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + path, data=data, method=method,
                                 headers={"Authorization": f"Token {token}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()
    except (urllib.error.URLError, ConnectionError, socket.timeout) as exc:
        return 0, str(exc).encode()


def post_reports(server: LiveServer, requests_per_client: int) -> dict:
    """All clients at once, each posting its reports in sequence → stats and the failures seen."""
    barrier = threading.Barrier(len(server.clients))
    latencies: list[float] = []
    failures: list[tuple[int, str]] = []
    lock = threading.Lock()

    def client(token: str, task_id: int):
        barrier.wait()
        for i in range(requests_per_client):
            t0 = time.perf_counter()
            status, body = _call(server.base, "POST", f"/api/tasks/{task_id}/reports/", token,
                                 {"text": f"第{i + 1}次进展:并发报送", "percent": min(100, (i + 1) * 5)})
            dt_ms = (time.perf_counter() - t0) * 1000
            with lock:
                latencies.append(dt_ms)
                if not 200 <= status < 300:
                    failures.append((status, body[:300].decode(errors="replace")))

    threads = [threading.Thread(target=client, args=c) for c in server.clients]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    # Every row is there: each client reads its own task's history back.
    missing = 0
    for token, task_id in server.clients:
        status, body = _call(server.base, "GET", f"/api/tasks/{task_id}/reports/", token)
        count = json.loads(body)["count"] if status == 200 else -1
        missing += requests_per_client - count
    ordered = sorted(latencies)
    return {
        "clients": len(server.clients), "requests": len(latencies), "errors": len(failures),
        "missing_rows": missing, "seconds": round(elapsed, 2),
        "throughput_rps": round(len(latencies) / elapsed, 1),
        "p50_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(ordered[max(0, int(len(ordered) * 0.95) - 1)], 1),
        "max_ms": round(ordered[-1], 1),
        "failures": failures[:5],
    }


def _pg_database(base_url: str, name: str, create: bool) -> str:
    import psycopg

    parts = urllib.parse.urlsplit(base_url)
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
        if create:
            conn.execute(f'CREATE DATABASE "{name}"')
        else:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return parts._replace(path="/" + name).geturl()


def run(db: str, clients: int, requests: int, workers: int, threads: int) -> dict:
    if db == "sqlite":
        with LiveServer(clients, None, workers, threads) as server:
            result = post_reports(server, requests)
    else:
        base = os.environ.get("BENCH_PG_URL") or os.environ.get("DATABASE_URL") or DEFAULT_PG
        name = f"luoshi_conc_{os.getpid()}"
        url = _pg_database(base, name, create=True)
        try:
            with LiveServer(clients, url, workers, threads) as server:
                result = post_reports(server, requests)
        finally:
            _pg_database(base, name, create=False)
    result["database"] = db
    result["workers_threads"] = f"{workers}x{threads}"
    return result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--requests", type=int, default=10, help="reports per client (default 10)")
    ap.add_argument("--db", default="sqlite,postgres")
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--threads", type=int, default=4)
    args = ap.parse_args()
    if not (1 <= args.clients <= 500 and 1 <= args.requests <= 200):
        ap.error("--clients 1..500, --requests 1..200")
    results = []
    for db in [d.strip() for d in args.db.split(",") if d.strip()]:
        r = run(db, args.clients, args.requests, args.workers, args.threads)
        results.append(r)
        print(f"{db:9} {r['clients']} clients × {args.requests}: {r['requests']} requests, {r['errors']} errors, "
              f"{r['missing_rows']} missing rows; {r['throughput_rps']} req/s; p50 {r['p50_ms']} ms, "
              f"p95 {r['p95_ms']} ms, max {r['max_ms']} ms ({r['workers_threads']} workers×threads)", flush=True)
        for status, body in r["failures"]:
            print(f"   failure: HTTP {status} {body[:200]}")
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    (out / "concurrency_bench.json").write_text(json.dumps(results, ensure_ascii=False, indent=2))
    return 1 if any(r["errors"] or r["missing_rows"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
