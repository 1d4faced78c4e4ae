"""`luoshi demo`: a fresh database with every task state, working logins and an intact audit chain."""
from __future__ import annotations

import json

from .conftest import luoshi

CHECK = r"""
import json
from django.contrib.auth import authenticate
from django.test import Client
from luoshi.accounts.models import User
from luoshi.ledger.models import ExtensionRequest, Status, Task, TaskEvent, Target
from luoshi.ledger.permissions import visible_tasks
from luoshi.ledger.services import deadline_state
from luoshi.orgs.models import Unit

tasks = list(Task.objects.all())
client = Client()
out = {
    "units": Unit.objects.count(),
    "statuses": sorted({t.status for t in tasks}),
    "states": sorted({deadline_state(t) for t in tasks}),
    "returned": TaskEvent.objects.filter(kind="return").count(),
    "extended": ExtensionRequest.objects.filter(decision="approved").count(),
    "ext_pending": ExtensionRequest.objects.filter(decision="pending").count(),
    "ext_refused": ExtensionRequest.objects.filter(decision="refused").count(),
    "subtasks": Task.objects.filter(parent__isnull=False).count(),
    "district_subtasks": Task.objects.filter(parent__isnull=False, lead_units__kind="county").count(),
    "street_subtasks": Task.objects.filter(parent__isnull=False, lead_units__kind="town").count(),
    "targets": Target.objects.count(),
    "recurring": Task.objects.exclude(recurrence="").count(),
    "roles": sorted(set(User.objects.values_list("role", flat=True))),
    "auth": {u: bool(authenticate(username=u, password="luoshi-demo-2024"))
             for u in ["duchayuan", "admin", "shizhang", "fgw", "jiangcheng", "binjiang"]},
    "wrong_pw": bool(authenticate(username="fgw", password="nope-nope")),
    "login_page": client.post("/accounts/login/", {"username": "fgw", "password": "luoshi-demo-2024"}).status_code,
    "session": "_auth_user_id" in client.session,
    "fgw_sees": visible_tasks(User.objects.get(username="fgw")).count(),
    "all": len(tasks),
    "fgw_unit": User.objects.get(username="fgw").unit.name,
    "jijian": bool(authenticate(username="jijian", password="luoshi-demo-2024")),
    "decided_fgw": __import__("luoshi.accountability.models", fromlist=["Proposal"]).Proposal.objects.filter(
        state="decided", unit__name="临江市发展和改革委员会", task__lead_units__name="临江市发展和改革委员会",
        decision_number__startswith="临纪").count(),
    "public_tasks": Task.objects.exclude(public_kind="").count(),
    "portal": client.get("/public/bulletins/").status_code,
}
print("JSON" + json.dumps(out, ensure_ascii=False))
"""


def test_demo_builds_every_state_with_logins_and_intact_audit(tmp_path):
    data = tmp_path / "data"
    # a full demo build takes ~20 s of CPU; on a shared, loaded machine its wall time reaches 2 minutes
    first = luoshi("demo", data_dir=data, timeout=300)
    assert first.returncode == 0, first.stderr
    assert "duchayuan" in first.stdout and "luoshi-demo-2024" in first.stdout
    for role in ("督查员", "单位联络员", "领导", "管理员"):
        assert role in first.stdout
    assert "http://127.0.0.1:8000/" in first.stdout
    # a second run refuses to wipe what is there ...
    proc = luoshi("demo", data_dir=data)
    assert proc.returncode != 0
    assert "refusing to wipe the existing database" in proc.stderr and "--force" in proc.stderr
    # ... and with --force starts again from nothing (same counts, not doubled)
    proc = luoshi("demo", "--force", data_dir=data, env={"LUOSHI_PORT": "8123"}, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "http://127.0.0.1:8123/" in proc.stdout
    assert proc.stdout.splitlines()[2] == first.stdout.splitlines()[2]  # the "tasks: …" line

    proc = luoshi("manage", "shell", "-c", CHECK, data_dir=data)
    assert proc.returncode == 0, proc.stderr
    got = json.loads(proc.stdout.split("JSON", 1)[1])
    assert got["units"] > 150
    assert got["statuses"] == sorted(["draft", "assigned", "signed", "in_progress", "completion_requested",
                                      "under_review", "closed", "suspended"])
    assert {"overdue", "due_soon", "ok"} <= set(got["states"])
    assert got["returned"] >= 1 and got["extended"] >= 1 and got["ext_pending"] >= 1 and got["ext_refused"] >= 1
    assert got["district_subtasks"] >= 10 and got["street_subtasks"] >= 2
    assert got["targets"] >= 5 and got["recurring"] >= 3
    assert got["roles"] == sorted(["supervisor", "liaison", "leader", "admin", "operator", "dispatcher",
                                   "inspector", "discipline", "expert"])
    assert got["jijian"] and got["decided_fgw"] == 1 and got["public_tasks"] >= 3 and got["portal"] == 200
    assert all(got["auth"].values()), got["auth"]
    assert not got["wrong_pw"]
    assert got["login_page"] == 302 and got["session"]
    assert 0 < got["fgw_sees"] < got["all"]
    assert got["fgw_unit"] == "临江市发展和改革委员会"

    proc = luoshi("audit", "verify", data_dir=data)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("OK") and "entries verified" in proc.stdout


def test_demo_refuses_to_wipe_postgresql_without_force(tmp_path):
    # No server needs to be running: the refusal comes before any connection.
    proc = luoshi("demo", data_dir=tmp_path / "data",
                  env={"DATABASE_URL": "postgres://someone:secret@127.0.0.1:1/production"})
    assert proc.returncode != 0
    assert "refusing to wipe" in proc.stderr and "--force" in proc.stderr
    assert "secret" not in proc.stderr


def test_usage_errors_name_the_luoshi_verb(tmp_path):
    for argv, verb in ((["calendar", "frobnicate"], "luoshi calendar"), (["check", "--nope"], "luoshi check")):
        proc = luoshi(*argv, data_dir=tmp_path / "data")
        assert proc.returncode != 0
        assert f"usage: {verb}" in proc.stderr, proc.stderr
        assert "workcal" not in proc.stderr and "luoshi_check" not in proc.stderr
