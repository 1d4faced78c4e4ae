"""热线转来信访: the 12345 话务员 (demo login rexian) registers hotline calls as petitions."""
import datetime as dt

import pytest
from django.test import Client

from luoshi.audit.models import AuditEntry
from luoshi.core.errors import LuoshiError, NotAllowed
from luoshi.petitions import services as svc
from luoshi.petitions.models import Petition

from .conftest import ID1

pytestmark = pytest.mark.django_db
NAME, PHONE = "李热线", "13912345678"
FORM = {"hotline_ref": "12345-20260302-0088", "name": NAME, "phone": PHONE, "id_number": ID1,
        "address": "乙县南乡1号", "title": "征地补偿款长期未兑现", "content": "村里征地补偿款三年未兑现,多次反映无果。",
        "received_on": "2026-03-02"}


def _c(user):
    c = Client()
    c.force_login(user)
    return c


def test_operator_transfers_on_the_page_and_cannot_read_it_back(users):
    op = users["operator"]
    c = _c(op)
    assert "热线转信访" in c.get("/").content.decode() or c.get("/petitions/hotline/").status_code == 200
    r = c.post("/petitions/hotline/", FORM, follow=True)
    p = Petition.objects.get()
    assert p.channel == "hotline" and p.hotline_ref == FORM["hotline_ref"] and p.registered_by == op
    assert p.accept_by == dt.date(2026, 3, 17) and p.status == "registered" and p.petitioner.name == NAME
    html = r.content.decode()
    assert p.number in html and "2026-03-17" in html          # the operator is told the number and the limit
    # ... but reads nothing of petitions afterwards
    assert c.get(f"/petitions/{p.pk}/").status_code == 404
    assert c.get(f"/api/petitions/{p.pk}/").status_code == 404
    assert c.get("/api/petitions/").json()["count"] == 0
    # audited (without the identity), and the 信访 office is told
    e = AuditEntry.objects.get(action="petition.hotline_transfer")
    assert e.after["hotline_ref"] == FORM["hotline_ref"] and e.after["channel"] == "hotline"
    assert NAME not in str(e.after) + e.summary and PHONE not in str(e.after)
    note = users["supervisor"].notifications.get(kind="petition.hotline_transfer")
    assert p.number in note.title and NAME not in note.title + note.body
    assert users["supervisor"].notifications.filter(kind="petition.hotline_transfer").count() == 1


def test_duplicate_or_missing_ticket_refused_nothing_written(users):
    c = _c(users["operator"])
    assert c.post("/petitions/hotline/", FORM).status_code == 302
    r = c.post("/petitions/hotline/", FORM)
    assert r.status_code == 400 and "已转来信访" in r.content.decode()
    r = c.post("/petitions/hotline/", dict(FORM, hotline_ref=""))
    assert r.status_code == 400 and "热线工单号不能为空" in r.content.decode()
    r = c.post("/petitions/hotline/", dict(FORM, hotline_ref="X-2", id_number="110105194912310021"))
    assert r.status_code == 400 and "校验位" in r.content.decode()
    assert Petition.objects.count() == 1


def test_api_transfer(users):
    c = _c(users["operator"])
    body = {"hotline_ref": "12345-API-1", "petitioner_name": NAME, "petitioner_phone": PHONE, "title": "事项",
            "content": "内容", "received_on": "2026-03-02"}
    r = c.post("/api/petitions/hotline/", body, content_type="application/json")
    assert r.status_code == 201, r.content
    assert set(r.json()) == {"id", "number", "hotline_ref", "accept_by"} and NAME not in r.content.decode()
    r = c.post("/api/petitions/hotline/", body, content_type="application/json")
    assert r.status_code == 400 and r.json()["field"] == "hotline_ref" and "detail_zh" in r.json()
    r = c.post("/api/petitions/hotline/", {"title": "x"}, content_type="application/json")
    assert r.status_code == 400
    assert _c(users["fgw"]).post("/api/petitions/hotline/", dict(body, hotline_ref="Z"),
                                 content_type="application/json").status_code == 403
    assert Petition.objects.count() == 1


@pytest.mark.parametrize("role", ["fgw", "leader", "dispatcher", "inspector", "discipline"])
def test_other_roles_refused(role, users):
    c = _c(users[role])
    assert c.get("/petitions/hotline/").status_code == 403
    assert c.post("/petitions/hotline/", FORM).status_code == 403
    with pytest.raises(NotAllowed):
        svc.do_register_hotline_transfer(users[role], **{k: v for k, v in FORM.items()})
    assert not Petition.objects.exists()


def test_transfer_joins_repeat_detection_and_office_lands_on_detail(users, register):
    first = register(title="征地补偿款长期未兑现", content="村里征地补偿款三年未兑现。")
    p = svc.do_register_hotline_transfer(users["operator"], **FORM)
    assert p.repeat_of == first
    r = _c(users["supervisor"]).post("/petitions/hotline/", dict(FORM, hotline_ref="12345-2"))
    assert r.status_code == 302 and r["Location"].startswith("/petitions/")
    with pytest.raises(LuoshiError):
        svc.do_register_hotline_transfer(users["operator"], **dict(FORM, hotline_ref=" "))
