"""Petitioner privacy for every role on page contents, the API, the export and the documents."""
import datetime as dt
import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from luoshi.petitions import services as svc

from .conftest import ID1

pytestmark = pytest.mark.django_db
NAME, PHONE, ADDRESS = "张三丰", "13812341234", "甲区东街道1号"


@pytest.fixture
def petition(register, users, units):
    p = register()
    svc.do_assign_petition(users["supervisor"], p, units["fgw"])
    svc.do_set_owner_leader(users["supervisor"], p, users["jia_leader"])
    svc.do_accept_petition(users["fgw"], p, on=dt.date(2026, 3, 5))
    svc.do_answer_petition(users["fgw"], p, "已核实并答复。", on=dt.date(2026, 3, 20))
    return p


def _client(user):
    c = Client()
    c.force_login(user)
    return c


FULL = {"supervisor", "admin", "jia_leader"}        # office + the 包案领导
SEES = FULL | {"fgw", "leader"}                     # handling unit, city leader (its subtree)
HIDDEN = {"edu", "jia", "dong", "yi"}               # other units


@pytest.mark.parametrize("role", sorted(SEES | HIDDEN))
def test_pages_api_export_documents(role, petition, users):
    c = _client(users[role])
    pages = [c.get(f"/petitions/{petition.pk}/"), c.get("/petitions/"), c.get("/petitions/backlog/?x=1"),
             c.get(f"/petitions/?q={petition.number}"), c.get("/petitions/statistics/")]
    api = c.get(f"/api/petitions/{petition.pk}/")
    api_list = c.get("/api/petitions/")
    export = c.get("/petitions/export.xlsx")
    doc = c.get(f"/petitions/{petition.pk}/doc/answer.docx")
    assert export.status_code == 200 and api_list.status_code == 200
    cells = " ".join(str(v) for row in load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True)
                     for v in row)
    listed = " ".join(r["petitioner_name"] + r["petitioner_phone"] for r in api_list.json()["results"])
    if role not in SEES:
        assert pages[0].status_code == 404 and api.status_code == 404 and doc.status_code == 404
        assert petition.number not in pages[1].content.decode() and petition.number not in cells
        found = pages[3].content.decode().split('id="petition-list"')[1]  # (the search box echoes the query)
        assert petition.number not in found and "暂无信访事项" in found  # search finds nothing
        assert "市发展和改革委员会" not in pages[4].content.decode()       # nor do the statistics count it
        assert api_list.json()["count"] == 0
        return
    html = pages[0].content.decode()
    data = api.json()
    from docx import Document
    doc_text = "\n".join(p.text for p in Document(io.BytesIO(doc.content)).paragraphs)
    assert data["id_number"] == "110***********002X" and ID1 not in html and ID1 not in cells
    if role in FULL:
        assert NAME in html and PHONE in html and ADDRESS in html
        assert data["petitioner_name"] == NAME and data["petitioner_phone"] == PHONE
        assert data["petitioner_address"] == ADDRESS and data["petitioner_masked"] is False
        assert NAME in cells and NAME in doc_text
    else:
        for text in (html, pages[1].content.decode(), cells, doc_text, listed, str(data)):
            assert NAME not in text and PHONE not in text and ADDRESS not in text
        assert "张**" in html and "138****1234" in html
        assert data["petitioner_name"] == "张**" and data["petitioner_phone"] == "138****1234"
        assert "petitioner_address" not in data and data["petitioner_masked"] is True
        assert "张**" in doc_text


def test_notifications_and_audit_carry_no_identity(petition, users):
    from luoshi.audit.models import AuditEntry
    from luoshi.notifications.models import Notification

    for n in Notification.objects.all():
        assert NAME not in n.title + n.body and PHONE not in n.title + n.body
    for e in AuditEntry.objects.all():
        assert NAME not in str(e.after) + e.summary + e.object_repr


def test_api_create_and_transitions(users, units):
    c = _client(users["supervisor"])
    r = c.post("/api/petitions/", {"channel": "online", "petitioner_name": "李四", "petitioner_phone": "13900001111",
                                   "title": "道路破损", "content": "某路段坑洼"}, content_type="application/json")
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    bad = c.post(f"/api/petitions/{pk}/assign/", {"unit": "x"}, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["field"] == "unit" and bad.json()["detail_zh"]
    ok = c.post(f"/api/petitions/{pk}/assign/", {"unit": units["fgw"].pk}, content_type="application/json")
    assert ok.json()["handling_unit"]["name"] == units["fgw"].name
    liaison = _client(users["fgw"])
    assert liaison.post(f"/api/petitions/{pk}/accept/", {}, content_type="application/json").json()["status"] == "handling"
    denied = _client(users["edu"]).post(f"/api/petitions/{pk}/accept/", {}, content_type="application/json")
    assert denied.status_code == 404
    forbidden = liaison.post(f"/api/petitions/{pk}/terminate/", {}, content_type="application/json")
    assert forbidden.status_code == 403
    assert liaison.post("/api/petitions/", {"channel": "letter"}, content_type="application/json").status_code == 400
    assert c.get("/api/petitions/statistics/?start=2026-01-01").status_code == 200
    assert c.get("/api/petitions/statistics/?start=bad").status_code == 400


def test_pdf_document_renders(petition, users):
    r = _client(users["supervisor"]).get(f"/petitions/{petition.pk}/doc/answer.pdf")
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    from pypdf import PdfReader
    text = PdfReader(io.BytesIO(r.content)).pages[0].extract_text()
    assert "答复意见书" in text and NAME in text


def test_export_never_writes_a_formula(register, users, units):
    p = register(title='=HYPERLINK("http://evil.example","点击")', id_number="")
    svc.do_assign_petition(users["supervisor"], p, units["fgw"])
    r = _client(users["fgw"]).get("/petitions/export.xlsx")
    ws = load_workbook(io.BytesIO(r.content)).active
    cell = next(c for row in ws.iter_rows() for c in row if str(c.value).startswith("=HYPERLINK"))
    assert cell.data_type == "s"
