"""Permission matrix: every accountability page, API endpoint, export and document, per role, on the
CONTENTS. Personal records (names, posts, measures) only for 纪检/组织 and the leaders over the unit;
督查员/管理员 see the proposal without people; the unit's liaison sees only that a proposal concerns
their unit's task; other units, other leaders' subtrees and anonymous users see nothing."""
from __future__ import annotations

import io
import json

import pytest
from django.test import Client
from openpyxl import load_workbook
from pdfminer.high_level import extract_text

from luoshi.accountability.models import Person
from luoshi.accountability.services import do_create_bulletin
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db

NAMES = ("张三", "李四")
POSTS = ("项目科科长", "副主任")
MEASURES = ("通报批评", "诫勉教育")
FACTS = "项目审批超时限三个月未办结"
DOCNO = "市纪〔2026〕12号"


@pytest.fixture
def world(decided, officer, users, units):
    users = dict(users)
    users["officer"] = officer
    users["zhangsan"] = make_user("zhangsan", "liaison", units["fgw"], display_name="张三本人")
    Person.objects.filter(name="张三").update(user=users["zhangsan"])
    bulletin = do_create_bulletin(officer, title="关于几起作风效能典型问题的通报", proposals=[decided],
                                  intro="为严明纪律,现将有关问题通报如下。")
    return {"p": decided, "users": users, "b": bulletin}


def client_for(user):
    c = Client()
    if user is not None:
        assert c.login(username=user.username, password=PASSWORD)
    return c


def text_of(resp) -> str:
    if resp.get("Content-Type", "").startswith("application/pdf"):
        return "".join(extract_text(io.BytesIO(resp.content)).split())
    if "spreadsheetml" in resp.get("Content-Type", ""):
        wb = load_workbook(io.BytesIO(resp.content))
        return " ".join(str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.value is not None)
    if "wordprocessingml" in resp.get("Content-Type", ""):
        from docx import Document

        return "".join(p.text for p in Document(io.BytesIO(resp.content)).paragraphs)
    return resp.content.decode("utf-8")


# role → what they may see of the decided proposal at 市发改委
FULL = ("officer", "leader")           # 纪检/组织; 周市长 (unit 市政府: every unit below)
SUMMARY = ("supervisor", "admin")      # the proposal, no people
UNIT = ("fgw",)                        # the unit concerned: that there is one, nothing more
NOTHING = ("edu", "jia", "jia_leader", "dong")


@pytest.mark.parametrize("role", FULL + SUMMARY + UNIT + NOTHING)
def test_detail_page(world, role):
    p = world["p"]
    resp = client_for(world["users"][role]).get(f"/accountability/{p.pk}/")
    if role in NOTHING:
        assert resp.status_code == 404
        return
    assert resp.status_code == 200
    body = text_of(resp)
    assert p.number in body and "市发展和改革委员会" in body
    shows_people = role in FULL
    for secret in NAMES + POSTS + MEASURES:
        assert (secret in body) == shows_people, (role, secret)
    assert (FACTS in body) == (role not in UNIT)
    assert (DOCNO in body) == (role not in UNIT)


@pytest.mark.parametrize("role", FULL + SUMMARY + UNIT + NOTHING)
def test_list_page(world, role):
    resp = client_for(world["users"][role]).get("/accountability/")
    assert resp.status_code == 200
    body = text_of(resp)
    assert (world["p"].number in body) == (role not in NOTHING)
    for secret in NAMES + MEASURES:
        assert secret not in body


@pytest.mark.parametrize("role", FULL + SUMMARY + UNIT + NOTHING)
def test_api(world, role):
    c = client_for(world["users"][role])
    resp = c.get("/api/accountability/proposals/")
    assert resp.status_code == 200
    data = resp.json()
    assert set(data) >= {"count", "next", "previous", "results"}
    ids = [r["id"] for r in data["results"]]
    p = world["p"]
    detail = c.get(f"/api/accountability/proposals/{p.pk}/")
    if role in NOTHING:
        assert ids == [] and detail.status_code == 404
        return
    assert ids == [p.pk] and detail.status_code == 200
    row = detail.json()
    assert row["unit"]["name"] == "市发展和改革委员会" and row["state"] == "decided"
    assert row["cause"]["type"] == "manual"
    raw = json.dumps(row, ensure_ascii=False)
    if role in FULL:
        people = {x["name"]: x for x in row["people"]}
        assert people["张三"]["responsibility"] == "direct" and people["张三"]["measure"] == "通报批评"
        assert people["李四"]["responsibility_display"] == "主要领导责任"
        assert row["decision"]["number"] == DOCNO
    else:
        assert "people" not in row
        for secret in NAMES + POSTS + MEASURES:
            assert secret not in raw
    if role in UNIT:
        assert FACTS not in raw and DOCNO not in raw and "label" not in row["cause"]


def test_api_anonymous_and_bad_filters(world):
    assert Client().get("/api/accountability/proposals/").status_code in (401, 403)
    c = client_for(world["users"]["officer"])
    bad = c.get("/api/accountability/proposals/?state=nonsense")
    assert bad.status_code == 400 and bad.json()["field"] == "state" and bad.json()["detail_zh"]
    assert c.get("/api/accountability/proposals/?unit=abc").status_code == 400
    ok = c.get(f"/api/accountability/proposals/?state=decided&cause_type=manual&unit={world['p'].unit_id}")
    assert ok.json()["count"] == 1


@pytest.mark.parametrize("role", FULL + SUMMARY + UNIT + NOTHING)
def test_people_export(world, role):
    resp = client_for(world["users"][role]).get("/accountability/people.xlsx")
    if role in FULL:
        assert resp.status_code == 200
        body = text_of(resp)
        for secret in NAMES + POSTS + MEASURES:
            assert secret in body
    elif role == "jia_leader":  # a leader, but 市发改委 is outside 甲区
        assert resp.status_code == 200
        body = text_of(resp)
        assert not any(s in body for s in NAMES + MEASURES)
    else:
        assert resp.status_code == 403
        assert not any(s in resp.content.decode() for s in NAMES)


@pytest.mark.parametrize("role", FULL + SUMMARY + UNIT + NOTHING)
def test_statistics(world, role):
    c = client_for(world["users"][role])
    page = c.get("/accountability/statistics/")
    xlsx = c.get("/accountability/statistics/?format=xlsx")
    if role in ("fgw", "edu", "jia", "dong"):
        assert page.status_code == 403 and xlsx.status_code == 403
        return
    assert page.status_code == 200 and xlsx.status_code == 200
    for resp in (page, xlsx):
        body = text_of(resp)
        assert not any(s in body for s in NAMES + POSTS)  # aggregates only
        if role == "jia_leader":
            assert "共问责0人" in body
        else:
            assert "共问责2人" in body and "通报批评1人" in body and "诫勉教育1人" in body


@pytest.mark.parametrize("role", FULL + SUMMARY + UNIT + NOTHING)
@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_bulletin_documents(world, role, fmt):
    b = world["b"]
    c = client_for(world["users"][role])
    resp = c.get(f"/accountability/bulletins/{b.pk}/document.{fmt}")
    internal = c.get(f"/accountability/bulletins/{b.pk}/document.{fmt}?masked=0")
    page = c.get(f"/accountability/bulletins/{b.pk}/")
    if role != "officer":  # a draft: only the officers
        assert resp.status_code == internal.status_code == page.status_code == 404
        return
    body = text_of(resp)
    assert "张某" in body and "李某" in body and "通报批评" in body and "典型问题" in body
    assert not any(n in body for n in NAMES)
    assert "张某" in text_of(page) and "张三" not in text_of(page)
    assert "张三" in text_of(internal)


@pytest.mark.parametrize("role", FULL + SUMMARY + UNIT + NOTHING)
def test_published_bulletin_is_masked_for_every_reader(world, role):
    from luoshi.accountability.services import do_publish_bulletin

    b = do_publish_bulletin(world["users"]["officer"], world["b"])
    c = client_for(world["users"][role])
    resp = c.get(f"/accountability/bulletins/{b.pk}/document.pdf?masked=0")
    if role in ("fgw", "edu", "jia", "dong"):  # liaisons read it on the public portal
        assert resp.status_code == 404
        return
    body = text_of(resp)
    assert ("张三" in body) == (role == "officer")
    assert "张某" in body or role == "officer"


def test_own_record_and_appeal(world):
    me = world["users"]["zhangsan"]
    c = client_for(me)
    body = text_of(c.get("/accountability/mine/"))
    assert world["p"].number in body and "通报批评" in body
    assert "李四" not in body and "诫勉教育" not in body  # only their own record
    zhang = Person.objects.get(name="张三")
    li = Person.objects.get(name="李四")
    assert c.post(f"/accountability/people/{li.pk}/appeal/", {"text": "x"}).status_code == 404
    resp = c.post(f"/accountability/people/{zhang.pk}/appeal/", {"text": "逾期系客观原因。"})
    assert resp.status_code == 302 and zhang.appeals.count() == 1
    assert c.get(f"/accountability/{world['p'].pk}/").status_code == 200  # unit liaison level only
    assert "李四" not in text_of(c.get(f"/accountability/{world['p'].pk}/"))


def test_writes_need_the_officer(world):
    p = world["p"]
    for role in ("supervisor", "admin", "leader", "fgw"):
        c = client_for(world["users"][role])
        resp = c.post(f"/accountability/{p.pk}/decide/", {"decision_number": "x"})
        assert resp.status_code in (403, 404)
        resp = c.post(f"/accountability/{p.pk}/people/", {"name": "王五", "post": "x", "responsibility": "direct"})
        assert resp.status_code in (403, 404)
    assert not Person.objects.filter(name="王五").exists()


def test_anonymous_redirected(world):
    c = Client()
    for url in ("/accountability/", f"/accountability/{world['p'].pk}/", "/accountability/statistics/",
                "/accountability/people.xlsx", f"/accountability/bulletins/{world['b'].pk}/document.pdf"):
        resp = c.get(url)
        assert resp.status_code == 302 and "/login" in resp["Location"]


def test_audit_page_and_api_carry_no_names(world):
    c = client_for(world["users"]["supervisor"])
    for url in ("/audit/", "/api/audit/"):
        resp = c.get(url)
        if resp.status_code == 404:
            continue
        body = text_of(resp)
        assert not any(s in body for s in NAMES + POSTS)


def test_admin_hides_personal_records_from_the_system_admin(world):
    c = client_for(world["users"]["admin"])
    assert c.get("/admin/accountability/person/").status_code == 403
    assert c.get("/admin/accountability/appeal/").status_code == 403
    assert c.get("/admin/accountability/assessmenteffect/").status_code == 403
    page = c.get("/admin/accountability/proposal/")
    assert page.status_code == 200 and world["p"].number in text_of(page)
    detail = c.get(f"/admin/accountability/proposal/{world['p'].pk}/change/")
    assert detail.status_code == 200
    assert not any(s in text_of(detail) for s in NAMES + (FACTS,))
    assert "张三" not in text_of(c.get("/admin/"))
