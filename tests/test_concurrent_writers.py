"""No lost writes under concurrency (issue 8 §4): 50 clients post progress reports at the same
moment to a real `luoshi serve` (gunicorn, several workers and threads) over HTTP; every request
succeeds and every report is stored. On SQLite this needs WAL, a busy timeout and BEGIN IMMEDIATE
(without them ~30 % of such requests failed at once with "database is locked").

Runs against the database the suite runs on: SQLite (its own data directory) or, when
DATABASE_URL is PostgreSQL, a throwaway database created next to the test database.
"""
from __future__ import annotations

import importlib.util
import os
from pathlib import Path

from django.conf import settings

_PATH = Path(__file__).resolve().parents[1] / "bench" / "concurrency_bench.py"
_spec = importlib.util.spec_from_file_location("concurrency_bench", _PATH)
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)

CLIENTS = 50
REPORTS_EACH = 2


def test_50_concurrent_writers_lose_nothing():
    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        base = os.environ["DATABASE_URL"]
        name = f"luoshi_conc_test_{os.getpid()}"
        url = bench._pg_database(base, name, create=True)
    else:
        base, name, url = None, None, None
    try:
        with bench.LiveServer(CLIENTS, url, workers=3, threads=4) as server:
            result = bench.post_reports(server, REPORTS_EACH)
            log = server.log_text()
    finally:
        if name:
            bench._pg_database(base, name, create=False)
    assert result["requests"] == CLIENTS * REPORTS_EACH
    assert result["errors"] == 0, (result["failures"], log)
    assert result["missing_rows"] == 0, result
    assert "database is locked" not in log
