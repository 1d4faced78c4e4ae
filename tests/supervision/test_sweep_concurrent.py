"""Two `luoshi sweep` processes at once against the same database issue every notice once.

Runs against a database of its own: a fresh SQLite file, or — when DATABASE_URL points at
PostgreSQL — a new database created on that server and dropped afterwards.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LUOSHI = Path(sys.executable).with_name("luoshi")

SEED = r"""
import datetime as dt, django
django.setup()
from luoshi.accounts.models import Role, User
from luoshi.orgs.models import Unit
from luoshi.ledger.models import Task
from luoshi.ledger.services import do_assign_task, do_create_task
sup = User.objects.create_user("sup", password="x-123456789", role=Role.SUPERVISOR)
units = [Unit.objects.create(name=f"单位{i}") for i in range(6)]
for i in range(60):
    t = do_create_task(sup, title=f"任务{i}", lead_units=[units[i % 6]], deadline_working_days=20)
    t = do_assign_task(sup, t, on=dt.date(2025, 2, 3))
    # deadlines spread over March: some red, some blue, some yellow, some green on 2025-03-18
    Task.objects.filter(pk=t.pk).update(deadline=dt.date(2025, 3, 3) + dt.timedelta(days=i % 28),
                                        progress=(i * 37) % 101)
print("seeded")
"""

COUNT = r"""
import json, django
django.setup()
from django.db.models import Count
from luoshi.supervision.models import SupervisionNotice, SupervisionState, Escalation
print(json.dumps({
  "notices": SupervisionNotice.objects.count(),
  "distinct_auto": SupervisionNotice.objects.filter(kind="auto").values("task", "light", "light_since").distinct().count(),
  "auto": SupervisionNotice.objects.filter(kind="auto").count(),
  "numbers": SupervisionNotice.objects.values("number").distinct().count(),
  "states": SupervisionState.objects.count(),
  "escalations": Escalation.objects.count(),
  "dup_steps": Escalation.objects.values("task", "episode_since", "level").annotate(n=Count("id")).filter(n__gt=1).count(),
}))
"""


@pytest.fixture
def database_env(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env["DJANGO_SETTINGS_MODULE"] = "luoshi.settings"
    env["LUOSHI_DATA_DIR"] = str(tmp_path / "data")
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg

        name = f"luoshi_sweep_{uuid.uuid4().hex[:8]}"
        base, _, _ = url.rpartition("/")
        with psycopg.connect(url.replace("postgresql://", "postgres://", 1).replace("postgres://", "postgresql://", 1),
                             autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = f"{base}/{name}"
        yield env
        with psycopg.connect(url.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        env.pop("DATABASE_URL", None)
        yield env


def run(env, *args, **kw):
    return subprocess.run([str(LUOSHI), *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=300, **kw)


def test_two_sweeps_at_once(database_env):
    env = database_env
    assert run(env, "manage", "migrate", "-v", "0").returncode == 0
    seed = subprocess.run([sys.executable, "-c", SEED], env=env, cwd=ROOT, capture_output=True, text=True,
                          timeout=300)
    assert seed.returncode == 0, seed.stderr
    procs = [subprocess.Popen([str(LUOSHI), "sweep", "--at", "2025-03-18", "--force", "--json"], env=env, cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outs = [p.communicate(timeout=300) for p in procs]
    for p, (out, err) in zip(procs, outs):
        assert p.returncode == 0, err
    results = [json.loads(out) for out, _ in outs]
    counts = json.loads(subprocess.run([sys.executable, "-c", COUNT], env=env, cwd=ROOT, capture_output=True,
                                       text=True, timeout=120, check=True).stdout)
    # Every change was applied by exactly one of the two processes.
    assert sum(r["notices_issued"] for r in results) == counts["notices"] > 0
    assert counts["auto"] == counts["distinct_auto"] == counts["notices"] - 0
    assert counts["numbers"] == counts["notices"]
    assert counts["states"] == 60
    assert counts["dup_steps"] == 0
    assert sum(r["escalations"] for r in results) == counts["escalations"]
    # A third sweep finds nothing to do.
    again = json.loads(run(env, "sweep", "--at", "2025-03-18", "--force", "--json").stdout)
    assert (again["notices_issued"], again["escalations"], again["changed"]) == (0, 0, 0)
    assert again["lights"] == results[0]["lights"] == results[1]["lights"]
