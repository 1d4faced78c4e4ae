"""/api/audit/: the audit trail, read-only, for 督查员 and 管理员 only."""
import pytest

from luoshi.audit.models import AuditEntry


@pytest.mark.parametrize("who", ["supervisor", "admin"])
def test_supervisor_and_admin_read_newest_first_and_filter(client_for, make_task, users, who):
    task = make_task(title="审计任务")
    client = client_for(who)
    data = client.get("/api/audit/").json()
    seqs = [e["seq"] for e in data["results"]]
    assert seqs == sorted(seqs, reverse=True) and data["count"] == AuditEntry.objects.count()
    mine = client.get(f"/api/audit/?object_type=ledger.task&object_id={task.pk}").json()["results"]
    assert [e["action"] for e in mine] == ["task.assign", "task.create"]
    assert {e["actor_name"] for e in mine} == {"张督查"}
    assert mine[0]["after"]["status"] == "assigned" and mine[0]["before"]["status"] == "draft"
    assert mine[0]["prev_hash"] == mine[1]["hash"]
    by_actor = client.get(f"/api/audit/?actor={users['supervisor'].pk}&action=task.create").json()["results"]
    assert [e["object_id"] for e in by_actor] == [str(task.pk)]
    one = client.get(f"/api/audit/{mine[0]['seq']}/").json()
    assert one["hash"] == mine[0]["hash"]


@pytest.mark.parametrize("who", ["fgw", "edu", "leader", "jia_leader"])
def test_others_are_refused(client_for, make_task, who):
    make_task()
    client = client_for(who)
    assert client.get("/api/audit/").status_code == 403
    assert client.get("/api/audit/1/").status_code == 403


def test_read_only(client_for, make_task):
    make_task()
    count = AuditEntry.objects.count()
    client = client_for("admin")
    assert client.post("/api/audit/", {"action": "x"}, format="json").status_code == 405
    assert client.patch("/api/audit/1/", {"summary": "改写"}, format="json").status_code == 405
    assert client.delete("/api/audit/1/").status_code == 405
    assert AuditEntry.objects.count() == count


def test_api_writes_are_recorded_with_the_api_user(client_for, make_task, users):
    task = make_task(lead=("jia",))
    client_for("jia").post(f"/api/tasks/{task.pk}/sign/")
    client_for("jia_leader").post(f"/api/tasks/{task.pk}/instructions/", {"text": "抓紧落实"}, format="json")
    entries = client_for("supervisor").get("/api/audit/").json()["results"]
    assert [(e["action"], e["actor"]) for e in entries[:2]] == [
        ("instruction.create", users["jia_leader"].pk), ("task.sign", users["jia"].pk)]
