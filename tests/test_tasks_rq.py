"""LUOSHI_TASKS_BACKEND=rq: tasks go to Redis through django-tasks-rq and an RQ worker runs them.

The settings case runs everywhere; the end-to-end case starts a real redis-server (Debian package
`redis-server`) on a free loopback port and is skipped when the binary is absent.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

LUOSHI = Path(sys.executable).with_name("luoshi")

_PRINT = r"""
import json, django
django.setup()
from django.conf import settings
from django_tasks import task_backends
print(json.dumps({"backend": type(task_backends["default"]).__module__ + "." + type(task_backends["default"]).__name__,
                  "queues": settings.RQ_QUEUES, "apps": settings.INSTALLED_APPS}))
"""


def _env(tmp_path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("LUOSHI_", "PYTEST")) and k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(DJANGO_SETTINGS_MODULE="luoshi.settings", LUOSHI_DATA_DIR=str(tmp_path / "data"), **extra)
    return env


def test_setting_selects_the_rq_backend(tmp_path):
    env = _env(tmp_path, LUOSHI_TASKS_BACKEND="rq", REDIS_URL="redis://127.0.0.1:6390/3")
    out = subprocess.run([sys.executable, "-c", _PRINT], env=env, capture_output=True, text=True, timeout=120,
                         cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got["backend"] == "django_tasks_rq.backend.RQBackend"
    assert got["queues"]["default"]["URL"] == "redis://127.0.0.1:6390/3"
    assert "django_rq" in got["apps"]
    env = _env(tmp_path)  # default: in-process, no Redis needed
    got = json.loads(subprocess.run([sys.executable, "-c", _PRINT], env=env, capture_output=True, text=True,
                                    timeout=120, cwd=tmp_path, check=True).stdout.strip().splitlines()[-1])
    assert got["backend"] == "django_tasks.backends.immediate.ImmediateBackend"
    assert "django_rq" not in got["apps"]


def test_sweep_enqueued_to_redis_runs_in_an_rq_worker(tmp_path, redis_url):
    env = _env(tmp_path, LUOSHI_TASKS_BACKEND="rq", REDIS_URL=redis_url)

    def luoshi(*args):
        r = subprocess.run([str(LUOSHI), *args], env=env, capture_output=True, text=True, timeout=300,
                           cwd=tmp_path)
        assert r.returncode == 0, r.stdout + r.stderr
        return r.stdout

    luoshi("manage", "migrate", "-v", "0")
    out = luoshi("sweep", "--enqueue", "--at", "2025-03-18", "--force")
    assert out.startswith("enqueued sweep ")
    job_id = out.split()[2]
    check = r"""
import django, sys
django.setup()
from django_tasks import task_backends
from luoshi.supervision.models import LightTotals
r = task_backends["default"].get_result(sys.argv[1])
head = LightTotals.objects.filter(id=1).first()
print(r.status, head.swept_on if head else None)
"""
    before = subprocess.run([sys.executable, "-c", check, job_id], env=env, capture_output=True, text=True,
                            timeout=120, cwd=tmp_path)
    assert before.stdout.split() == ["READY", "None"], before.stderr
    luoshi("manage", "rqworker", "--burst", "--job-class", "django_tasks_rq.Job")
    after = subprocess.run([sys.executable, "-c", check, job_id], env=env, capture_output=True, text=True,
                           timeout=120, cwd=tmp_path)
    assert after.stdout.split() == ["SUCCESSFUL", "2025-03-18"], after.stderr
