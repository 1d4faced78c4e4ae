"""REST API /api/cases/: create, paged scoped list, detail, transitions, categories, errors."""
from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from luoshi.cases.models import Case

from .conftest import COMPLAINANT


def client_for(user):
    c = APIClient()
    c.force_authenticate(user)
    return c


def test_create_list_detail_transition(office, users, units, cats, routing):
    op = client_for(office["operator"])
    r = op.post("/api/cases/", {"kind": "problem", "category": "CG-ROAD", "description": "路灯不亮已经三天",
                                "address": "甲区人民路1号", "lat": 30.05, "long": 118.05,
                                "reporter_name": "张三", "reporter_phone": "13800000000"}, format="json")
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["number"] and body["query_code"] and body["reporter"]["name"] == "张三"
    cid = body["id"]
    r = client_for(office["dispatcher"]).post(f"/api/cases/{cid}/transitions/", {"action": "dispatch"}, format="json")
    assert r.status_code == 200 and r.json()["responsible_unit"] == units["dong"].name
    dong = client_for(users["dong"])
    r = dong.get("/api/cases/")
    assert r.json()["count"] == 1 and r.json()["results"][0]["reporter"]["name"] == "(已隐去)"
    assert "13800000000" not in r.content.decode()
    r = dong.post(f"/api/cases/{cid}/transitions/", {"action": "sign"}, format="json")
    assert r.json()["status"] == "accepted"
    r = dong.post(f"/api/cases/{cid}/transitions/", {"action": "reply", "reply": ""}, format="json")
    assert r.status_code == 400 and r.json()["field"] == "reply" and r.json()["detail_zh"]
    r = dong.post(f"/api/cases/{cid}/transitions/", {"action": "fly"}, format="json")
    assert r.status_code == 400 and r.json()["field"] == "action"
    assert client_for(users["edu"]).get(f"/api/cases/{cid}/").status_code == 404     # out of scope
    assert client_for(users["edu"]).post(f"/api/cases/{cid}/transitions/", {"action": "sign"}).status_code == 404


def test_paging_and_filters(new_case, office):
    for i in range(55):
        new_case(description=f"第{i}号 垃圾未清运")
    op = client_for(office["operator"])
    r = op.get("/api/cases/")
    assert r.json()["count"] == 55 and len(r.json()["results"]) == 50 and r.json()["next"]
    assert op.get("/api/cases/?page=2").json()["results"]
    assert op.get("/api/cases/?status=bogus").status_code == 400
    assert op.get("/api/cases/?status=received").json()["count"] == 55


def test_categories_and_refusals(cats, users, office):
    r = client_for(users["dong"]).get("/api/cases/categories/")
    assert {c["code"]: c["kind"] for c in r.json()["results"]} == {"CG-ROAD": "problem", "CG-URGENT": "problem",
                                                          "XN-SLOW": "complaint"}
    r = client_for(users["dong"]).post("/api/cases/", {"kind": "problem", "category": "CG-ROAD",
                                                       "description": "x", "address": "y"}, format="json")
    assert r.status_code == 403 and r.json()["detail_zh"]
    op = client_for(office["operator"])
    r = op.post("/api/cases/", {"kind": "problem", "category": "NOPE", "description": "x", "address": "y"},
                format="json")
    assert r.status_code == 400 and r.json()["field"] == "category"
    r = op.post("/api/cases/", {"kind": "complaint", "category": "XN-SLOW", "description": "窗口推诿",
                                "address": "市民中心"}, format="json")
    assert r.status_code == 400 and r.json()["field"] == "subject_unit"
    assert APIClient().get("/api/cases/").status_code in (401, 403)
    assert Case.objects.count() == 0


def test_duplicates_endpoint(new_case, office, users):
    new_case(description="人民路100号井盖缺失,夜间很危险")
    op = client_for(office["operator"])
    r = op.get("/api/cases/duplicates/", {"description": "人民路井盖缺失 很危险", "address": "甲区人民路100号",
                                          "category": "CG-ROAD"})
    assert r.status_code == 200 and len(r.json()["results"]) == 1 and r.json()["results"][0]["score"] >= 60
    assert op.get("/api/cases/duplicates/", {"description": "教育局招生政策咨询", "address": "乙县"}).json()["results"] == []
    assert client_for(users["dong"]).get("/api/cases/duplicates/", {"description": "xxxx"}).status_code == 403


def test_wrong_json_shapes_and_types_are_400_not_500(office, cats, routing, new_case):
    # A client sending a JSON list, a bare string, or an object/list/boolean where text is expected is told
    # which field is wrong (400 with detail/detail_zh/field), and no case is created or moved.
    op = client_for(office["operator"])
    good = {"kind": "problem", "category": "CG-ROAD", "description": "路灯不亮已经三天", "address": "甲区人民路1号"}
    before = Case.objects.count()
    for body in ([1, 2], "x", 5):
        r = op.post("/api/cases/", body, format="json")
        assert r.status_code == 400 and r.json()["detail_zh"], (body, r.content)
    for field, value in [("description", {"a": 1}), ("address", ["甲区"]), ("reporter_name", True),
                         ("subject_person", [1]), ("category", ["CG-ROAD"])]:
        r = op.post("/api/cases/", {**good, field: value}, format="json")
        assert r.status_code == 400 and r.json()["field"] == field, (field, r.content)
    assert Case.objects.count() == before
    r = op.post("/api/cases/", {**good, "reporter_phone": 13800000000}, format="json")   # a number is its text
    assert r.status_code == 201 and r.json()["reporter"]["phone"] == "13800000000"

    case, _ = new_case()
    disp = client_for(office["dispatcher"])
    url = f"/api/cases/{case.pk}/transitions/"
    for body in ([1, 2], "dispatch"):
        assert disp.post(url, body, format="json").status_code == 400
    r = disp.post(url, {"action": "void", "reason": {"why": "x"}}, format="json")
    assert r.status_code == 400 and r.json()["field"] == "reason"
    r = disp.post(url, {"action": ["void"]}, format="json")
    assert r.status_code == 400 and r.json()["field"] == "action"
    case.refresh_from_db()
    assert case.status == "received"
