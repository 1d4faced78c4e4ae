"""The audit page (/audit/): recent entries, filters, read-only."""
from __future__ import annotations

from luoshi.audit.models import AuditEntry
from luoshi.ledger import services as svc

from tests.conftest import page_text


def test_audit_page_lists_and_filters(users, make_task, client_for):
    task = make_task(title="审计可见任务")
    svc.do_sign_task(users["fgw"], task)
    c = client_for("supervisor")
    body = page_text(c.get("/audit/"))
    assert "审计日志" in body and "审计可见任务" in body and "签收" in body and "李联络" in body
    table = body[body.index("<tbody>"):]
    assert table.index("<td>签收</td>") < table.index("<td>交办</td>") < table.index("<td>立项</td>")  # newest first
    body = page_text(c.get("/audit/", {"action": "task.sign"}))
    assert "共 1 条" in body and "李联络" in body
    body = page_text(c.get("/audit/", {"actor": "张督查"}))
    assert f"共 {AuditEntry.objects.filter(actor=users['supervisor']).count()} 条" in body
    body = page_text(c.get("/audit/", {"object_type": "ledger.task", "object_id": task.pk}))
    assert f"共 {AuditEntry.objects.filter(object_type='ledger.task', object_id=str(task.pk)).count()} 条" in body
    today = svc.today().isoformat()
    assert "共 0 条" not in page_text(c.get("/audit/", {"since": today, "until": today}))


def test_audit_page_is_read_only(users, make_task, client_for):
    make_task()
    before = list(AuditEntry.objects.values_list("seq", "hash"))
    r = client_for("admin").post("/audit/", {"action": "x"})
    assert r.status_code in (200, 405)
    assert list(AuditEntry.objects.values_list("seq", "hash")) == before
    assert "<form method=\"post\"" not in page_text(client_for("admin").get("/audit/")).split("</header>")[1]
