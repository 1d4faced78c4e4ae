"""The API token throttle counts across processes: its counters live in the shared cache (a database
table by default, Redis with LUOSHI_CACHE_URL), not in one worker's memory. Two separate Python processes
(as two gunicorn workers would be) post to /api/auth/token/ from the same address; with a rate of
3/minute the fourth request overall is refused, whichever process sends it."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]

_CLIENT = textwrap.dedent("""
    import json, sys
    import django
    django.setup()
    from rest_framework.test import APIClient
    addr, first, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    api = APIClient(REMOTE_ADDR=addr)
    codes = [api.post("/api/auth/token/", {"username": f"nobody{first + i}", "password": "x"},
                      format="json").status_code for i in range(count)]
    from django.conf import settings
    print(json.dumps({"codes": codes, "cache": settings.CACHES["default"]["BACKEND"]}))
""")


def _env(tmp_path, database_url: str, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LUOSHI_") and k != "DATABASE_URL"}
    data = tmp_path / "data"
    (data / "static").mkdir(parents=True, exist_ok=True)
    env.update(DJANGO_SETTINGS_MODULE="luoshi.settings", PYTHONPATH=str(ROOT / "src"), LUOSHI_DATA_DIR=str(data),
               DATABASE_URL=database_url, LUOSHI_TOKEN_RATE="3/minute", **extra)
    return env


def _database_url(tmp_path) -> str:
    """PostgreSQL: the test database itself (its luoshi_cache table came with the migrations).
    SQLite: the test database lives in memory, so a file database migrated here."""
    if connection.vendor == "postgresql":
        s = connection.settings_dict
        return f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    subprocess.run([sys.executable, "-m", "luoshi.cli", "manage", "migrate", "-v", "0"], check=True,
                   env=_env(tmp_path, url), cwd=ROOT, timeout=600)
    return url


def _client(env, addr: str, first: int, count: int) -> dict:
    p = subprocess.run([sys.executable, "-c", _CLIENT, addr, str(first), str(count)], env=env, cwd=ROOT,
                       capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr[-2000:]
    return json.loads(p.stdout.strip().splitlines()[-1])


def _two_processes(env):
    addr = f"198.51.100.{int(time.time() * 1000) % 200 + 20}"  # a fresh address: no earlier counts
    a = _client(env, addr, 0, 2)
    b = _client(env, addr, 10, 2)
    return a, b


@pytest.mark.django_db
def test_token_throttle_is_shared_between_processes_database_cache(tmp_path):
    env = _env(tmp_path, _database_url(tmp_path))
    a, b = _two_processes(env)
    assert a["cache"] == "django.core.cache.backends.db.DatabaseCache"
    assert a["codes"] == [400, 400]           # wrong credentials, counted
    assert b["codes"] == [400, 429], b        # the 4th request overall, in the other process


@pytest.mark.django_db
def test_token_throttle_is_shared_between_processes_redis_cache(tmp_path, redis_url):
    env = _env(tmp_path, _database_url(tmp_path), LUOSHI_CACHE_URL=redis_url)
    a, b = _two_processes(env)
    assert a["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert a["codes"] == [400, 400]
    assert b["codes"] == [400, 429], b


def test_a_bad_cache_setting_is_refused(tmp_path):
    env = _env(tmp_path, "sqlite:///" + str(tmp_path / "x.sqlite3"), LUOSHI_CACHE_URL="memcached://x")
    p = subprocess.run([sys.executable, "-c", "import django; django.setup()"], env=env, cwd=ROOT,
                       capture_output=True, text=True, timeout=120)
    assert p.returncode != 0 and "LUOSHI_CACHE_URL" in p.stderr
