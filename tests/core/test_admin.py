"""Django admin: every model registered; history read-only; no hard deletes;
Unit and Task saves go through the services and are audited."""
from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin

from luoshi.audit.models import AuditEntry
from luoshi.ledger.models import Task
from luoshi.orgs.models import Unit

from tests.conftest import page_text

def test_every_model_is_registered():
    missing = [m._meta.label for cfg in apps.get_app_configs() if cfg.name.startswith("luoshi.")
               for m in cfg.get_models() if m not in admin.site._registry]
    assert missing == []


def test_admin_pages_load(users, make_task, client_for):
    task = make_task()
    c = client_for("admin")
    for model in ("accounts/user", "orgs/unit", "audit/auditentry", "audit/audithead", "ledger/task",
                  "ledger/source", "ledger/progressreport", "ledger/taskevent", "ledger/instruction",
                  "ledger/extensionrequest", "ledger/target", "workcal/holidaynotice", "workcal/calendarday",
                  "supervision/supervisionstate", "supervision/supervisionnotice", "notifications/notification",
                  "supervision/escalationpolicy", "supervision/rectificationitem"):
        assert c.get(f"/admin/{model}/").status_code == 200, model
    r = c.get(f"/admin/ledger/task/{task.pk}/change/")
    assert r.status_code == 200 and task.number in page_text(r)
    assert c.get("/admin/ledger/task/?q=政务").status_code == 200


def test_audit_entries_are_read_only(users, make_task, client_for):
    make_task()
    entry = AuditEntry.objects.order_by("seq").first()
    c = client_for("admin")
    assert c.get("/admin/audit/auditentry/add/").status_code == 403
    assert c.get(f"/admin/audit/auditentry/{entry.pk}/delete/").status_code == 403
    r = c.post(f"/admin/audit/auditentry/{entry.pk}/change/", {"summary": "篡改"})
    assert r.status_code == 403
    entry.refresh_from_db()
    assert entry.summary != "篡改"


@pytest.mark.parametrize("model", ["ledger/task", "ledger/progressreport", "ledger/source", "orgs/unit",
                                   "accounts/user"])
def test_no_hard_delete(model, users, make_task, client_for):
    from luoshi.ledger.services import do_create_source, do_report_progress, do_sign_task

    task = make_task()
    do_sign_task(users["fgw"], task)
    report = do_report_progress(users["fgw"], task, text="进展", percent=10)
    source = do_create_source(users["supervisor"], title="某会议")
    pk = {"ledger/task": task.pk, "ledger/progressreport": report.pk, "ledger/source": source.pk,
          "orgs/unit": Unit.objects.get(name="市教育局").pk, "accounts/user": users["edu"].pk}[model]
    c = client_for("admin")
    assert c.get(f"/admin/{model}/{pk}/delete/").status_code == 403
    r = c.post(f"/admin/{model}/", {"action": "delete_selected", "_selected_action": [pk], "post": "yes"})
    model_cls = apps.get_model(*model.split("/"))
    assert model_cls.objects.filter(pk=pk).exists()
    assert r.status_code in (200, 302)


def test_unit_admin_save_goes_through_service(users, units, client_for):
    c = client_for("admin")
    edu = units["edu"]
    base = {"name": "市教育局", "short_names": '["市教育局"]', "aliases": '["市教委"]', "kind": "city_dept",
            "parent": units["city"].pk, "code": "JY", "sort_order": 5, "is_active": "on"}
    r = c.post(f"/admin/orgs/unit/{edu.pk}/change/", base)
    assert r.status_code == 302, page_text(r)
    edu.refresh_from_db()
    assert edu.aliases == ["市教委"] and edu.code == "JY"
    entry = AuditEntry.objects.filter(action="unit.update", object_id=str(edu.pk)).get()
    assert entry.actor_id == users["admin"].pk
    # a duplicate alias is refused by do_save_unit: clear message, nothing written
    before = AuditEntry.objects.count()
    r = c.post(f"/admin/orgs/unit/{edu.pk}/change/", {**base, "aliases": '["市发改委"]'})
    assert r.status_code == 200
    assert "已被“市发展和改革委员会”使用" in page_text(r)
    edu.refresh_from_db()
    assert edu.aliases == ["市教委"]
    assert AuditEntry.objects.count() == before
    # cycle: a unit cannot sit under its own child
    r = c.post(f"/admin/orgs/unit/{units['jia'].pk}/change/",
               {**base, "name": "甲区人民政府", "short_names": '["甲区"]', "aliases": "[]", "kind": "county",
                "parent": units["dong"].pk})
    assert r.status_code == 200 and "循环" in page_text(r)
    units["jia"].refresh_from_db()
    assert units["jia"].parent_id == units["city"].pk


def test_unit_admin_add(users, units, client_for):
    c = client_for("admin")
    r = c.post("/admin/orgs/unit/add/", {"name": "市数据局", "short_names": "[]", "aliases": "[]",
                                         "kind": "city_dept", "parent": units["city"].pk, "code": "",
                                         "sort_order": 50, "is_active": "on"})
    assert r.status_code == 302
    unit = Unit.objects.get(name="市数据局")
    assert AuditEntry.objects.filter(action="unit.create", object_id=str(unit.pk)).exists()


def test_task_admin_edit_uses_do_update_task(users, units, make_task, client_for):
    task = make_task(title="原标题", deadline_working_days=5)
    c = client_for("admin")
    data = {"title": "新标题", "requirement": "", "section": "", "responsible_leader": "周市长",
            "deadline": task.deadline.isoformat(), "deadline_working_days": 5, "recurrence": "",
            "priority": 3, "tags": "[]", "lead_units": [units["fgw"].pk], "co_units": [],
            "targets-TOTAL_FORMS": 0, "targets-INITIAL_FORMS": 0}
    r = c.post(f"/admin/ledger/task/{task.pk}/change/", data)
    assert r.status_code == 302, page_text(r)
    task.refresh_from_db()
    assert task.title == "新标题" and task.responsible_leader == "周市长" and task.priority == 3
    assert AuditEntry.objects.filter(action="task.update", object_id=str(task.pk)).exists()
    assert task.events.filter(kind="update").exists()
    # after 交办 the deadline changes only through an extension: refused with the service's message
    r = c.post(f"/admin/ledger/task/{task.pk}/change/", {**data, "deadline": "2099-12-31",
                                                          "deadline_working_days": ""})
    assert r.status_code == 200 and "延期申请" in page_text(r)
    old = task.deadline
    task.refresh_from_db()
    assert task.deadline == old
    # markup in the title is refused
    r = c.post(f"/admin/ledger/task/{task.pk}/change/", {**data, "title": "<script>alert(1)</script>"})
    assert r.status_code == 200 and "不能包含HTML" in page_text(r)
    task.refresh_from_db()
    assert task.title == "新标题"
    assert c.get("/admin/ledger/task/add/").status_code == 403
    assert Task.objects.count() == 1


def test_user_admin_change_is_audited(users, units, client_for):
    c = client_for("admin")
    r = c.get(f"/admin/accounts/user/{users['edu'].pk}/change/")
    assert r.status_code == 200
    u = users["edu"]
    data = {"username": u.username, "display_name": "王新联络", "first_name": "", "last_name": "", "email": "",
            "phone": "", "unit": units["edu"].pk, "role": "liaison", "is_active": "on",
            "last_login_0": "", "last_login_1": "", "date_joined_0": "2025-01-01", "date_joined_1": "08:00:00"}
    r = c.post(f"/admin/accounts/user/{u.pk}/change/", data)
    assert r.status_code == 302, page_text(r)
    u.refresh_from_db()
    assert u.display_name == "王新联络"
    entry = AuditEntry.objects.get(action="admin.accounts.user.change", object_id=str(u.pk))
    assert entry.before["display_name"] == "王联络" and entry.after["display_name"] == "王新联络"
    assert "password" not in entry.after


def test_non_staff_cannot_use_admin(users, client_for):
    r = client_for("supervisor").get("/admin/ledger/task/")
    assert r.status_code == 302 and "/admin/login/" in r["Location"]
