"""The cases settings a deployment sets from the environment (README: Deployment)."""
from __future__ import annotations

import os
import subprocess
import sys

PRINT = ("import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'luoshi.settings'; django.setup(); "
         "from django.conf import settings as s; print(s.LUOSHI_PUBLIC_REPORT_RATE, s.LUOSHI_OPEN311_JURISDICTION)")


def _run(tmp_path, **env):
    full = {**os.environ, "LUOSHI_DATA_DIR": str(tmp_path), **env}
    full.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run([sys.executable, "-c", PRINT], env=full, capture_output=True, text=True, timeout=60)


def test_report_rate_and_jurisdiction_come_from_the_environment(tmp_path):
    # A kiosk or a NAT puts many citizens behind one address: the office must be able to raise the form's
    # rate without editing code, and name its Open311 jurisdiction.
    r = _run(tmp_path, LUOSHI_PUBLIC_REPORT_RATE="200/h", LUOSHI_OPEN311_JURISDICTION="linjiang.gov.cn")
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["200/h", "linjiang.gov.cn"]
    env = {k: "" for k in ("LUOSHI_PUBLIC_REPORT_RATE", "LUOSHI_OPEN311_JURISDICTION")}
    r = _run(tmp_path, **{**env, "LUOSHI_PUBLIC_REPORT_RATE": "10/h"})
    assert r.stdout.split() == ["10/h", "luoshi"]


def test_a_malformed_report_rate_stops_at_start_with_a_message(tmp_path):
    r = _run(tmp_path, LUOSHI_PUBLIC_REPORT_RATE="ten per hour")
    assert r.returncode != 0
    assert "LUOSHI_PUBLIC_REPORT_RATE must look like 10/h" in r.stderr


def test_a_malformed_cache_url_stops_with_its_message_not_a_name_error(tmp_path):
    r = _run(tmp_path, LUOSHI_CACHE_URL="memcached://x")
    assert r.returncode != 0 and "LUOSHI_CACHE_URL must be empty" in r.stderr and "NameError" not in r.stderr
