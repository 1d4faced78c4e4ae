"""The petition steps' API refuses a body of the wrong shape with a 400 and writes nothing.

Found by trying the API as a client would get it wrong: a JSON list instead of an object, an id written as
"²", a note sent as an object, an extension decided with the string "false" (which used to APPROVE it, since
the body's value went through bool()), 化解 steps sent as one string (which became one step per character)."""
import json

import pytest
from django.test import Client

from luoshi.audit.models import AuditEntry
from luoshi.petitions import services as svc
from luoshi.petitions.models import Petition

pytestmark = pytest.mark.django_db


def _post(user, path, body):
    c = Client()
    c.force_login(user)
    return c.post(path, data=json.dumps(body), content_type="application/json")


@pytest.mark.parametrize("step, body, field", [
    ("assign", [], None),
    ("assign", "unit", None),
    ("assign", {"unit": "²"}, "unit"),
    ("assign", {"unit": "１５"}, "unit"),
    ("assign", {"unit": True}, "unit"),
    ("assign", {"unit": "9" * 40}, "unit"),
    ("owner", {"leader": "²"}, "leader"),
    ("assign", {"unit": "UNIT", "note": {"a": 1}}, "note"),
    ("accept", {"on": 20260301}, "on"),
    ("refuse", {"reason": ["不属于信访事项"]}, "reason"),
    ("meeting", {"held_on": "2026-03-05", "notes": 5}, "notes"),
])
def test_a_wrong_body_is_a_400_and_nothing_is_written(register, users, units, step, body, field):
    p = register()
    if isinstance(body, dict) and body.get("unit") == "UNIT":
        body = {**body, "unit": units["fgw"].pk}
    before = AuditEntry.objects.count()
    r = _post(users["supervisor"], f"/api/petitions/{p.pk}/{step}/", body)
    assert r.status_code == 400, r.content[:300]
    assert r.json()["field"] == field and r.json()["detail_zh"]
    assert AuditEntry.objects.count() == before
    p.refresh_from_db()
    assert p.handling_unit is None and p.owner_leader is None and p.status == "registered"


def test_an_extension_decided_false_is_refused_not_approved(register, users, units):
    p = register()
    svc.do_assign_petition(users["supervisor"], p, units["fgw"])
    svc.do_accept_petition(users["supervisor"], p)
    svc.do_request_extension(users["fgw"], Petition.objects.get(pk=p.pk), days=20, reason="需现场核查")
    due = Petition.objects.get(pk=p.pk).due
    for bad in ("maybe", None, [True]):
        r = _post(users["supervisor"], f"/api/petitions/{p.pk}/decide-extension/", {"approve": bad})
        assert r.status_code == 400 and r.json()["field"] == "approve"
    r = _post(users["supervisor"], f"/api/petitions/{p.pk}/decide-extension/", {"approve": "false"})
    assert r.status_code == 200, r.content[:300]
    p = Petition.objects.get(pk=p.pk)
    assert p.extension_state != "approved" and p.due == due


def test_plan_steps_must_be_a_list_of_strings(register, users, units):
    p = register()
    svc.do_assign_petition(users["supervisor"], p, units["fgw"])
    before = AuditEntry.objects.count()
    r = _post(users["supervisor"], f"/api/petitions/{p.pk}/plan/",
              {"summary": "包案化解", "target_on": "2026-12-31", "steps": "上门走访"})
    assert r.status_code == 400 and r.json()["field"] == "steps"
    assert AuditEntry.objects.count() == before


@pytest.mark.parametrize("query", ["unit=" + "9" * 23, "unit=²"])
def test_a_unit_filter_that_is_no_id(users, query):
    c = Client()
    c.force_login(users["supervisor"])
    r = c.get(f"/api/petitions/?{query}")
    assert r.status_code == 400 and r.json()["field"] == "unit"
    page = c.get(f"/petitions/?{query}")  # the page too: a 400 naming the filter (luoshi.core.params)
    assert page.status_code == 400 and "责任单位应为有效的数字编号" in page.content.decode()


@pytest.mark.parametrize("query, zh", [
    ("start=0001-01-01&end=9999-12-31", "统计区间应在1900-01-01至2999-12-31之间"),
    ("start=2026-12-01&end=2026-01-01", "开始日期不能晚于结束日期"),
])
def test_a_statistics_period_out_of_bounds_or_backwards(users, query, zh):
    c = Client()
    c.force_login(users["supervisor"])
    r = c.get(f"/api/petitions/statistics/?{query}")
    assert r.status_code == 400 and r.json()["detail_zh"] == zh
    r = c.get(f"/petitions/statistics/?{query}")
    assert r.status_code == 200 and zh in r.content.decode()


def _web(user, p, name, data):
    c = Client()
    c.force_login(user)
    r = c.post(f"/petitions/{p.pk}/do/{name}/", data, follow=True)
    return [str(m) for m in r.context["messages"]]


def test_page_steps_with_an_odd_id_or_a_past_target_say_what_is_wrong(register, users, units):
    p = register()
    svc.do_assign_petition(users["supervisor"], p, units["fgw"])
    # "¹" is a digit to str.isdigit(); it reached the database and came back as “日期格式应为年-月-日”
    assert _web(users["supervisor"], p, "owner", {"leader": "¹"}) == ["包案领导应为在岗的领导"]
    Petition.objects.filter(pk=p.pk).update(backlog=True)  # listed as 积案 (the sweep's or the 3rd repeat's doing)
    before = AuditEntry.objects.count()
    msgs = _web(users["supervisor"], p, "plan", {"summary": "包案化解", "target_on": "1900-01-01", "steps": "上门走访"})
    assert msgs == ["计划化解日期不能早于今天"] and AuditEntry.objects.count() == before
    assert _web(users["supervisor"], p, "step", {"step": "¹"}) == ["化解措施不存在"]
    assert Petition.objects.get(pk=p.pk).owner_leader is None


@pytest.mark.parametrize("body, field", [
    ({"petitioner_name": "<b>张</b>"}, "petitioner_name"),
    ({"petitioner_phone": "138-abc"}, "petitioner_phone"),
    ({"petitioner_address": "<i>甲区</i>"}, "petitioner_address"),
])
def test_a_refused_petitioner_field_is_named_as_in_the_api(users, body, field):
    base = {"channel": "letter", "petitioner_name": "张三", "title": "路灯不亮", "content": "幸福路路灯坏了一个月。"}
    r = _post(users["supervisor"], "/api/petitions/", {**base, **body})
    assert r.status_code == 400 and r.json()["field"] == field
    assert not Petition.objects.exists()
