"""挂牌督办 lists for overdue cases and petitions (supervision.items.listed_rows): once an item's episode reaches
the 挂牌督办 rung it appears wherever supervision lists 挂牌督办 — the page /supervision/listed/, the API
/api/listed-items/ and the 通报 (data, PDF) — within the reader's scope, named by number and category only,
and leaves the lists when it is no longer overdue."""
from __future__ import annotations

import datetime as dt
import io

import pdfplumber
import pytest
from django.test import Client
from django.utils import timezone

from luoshi.cases import services as svc
from luoshi.cases.models import Case
from luoshi.supervision.bulletins import bulletin_data, bulletin_pdf
from luoshi.supervision.sweep import run_sweep
from luoshi.workcal.services import current_calendar
from tests.petitions.conftest import register  # noqa: F401  (fixture)

from .conftest import COMPLAINANT

SECRETS = list(COMPLAINANT.values())


def _client(user):
    c = Client()
    c.force_login(user)
    return c


def _pdf_text(data: bytes) -> str:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "".join((p.extract_text() or "") for p in pdf.pages).replace(" ", "").replace("\n", "")


def _ladder_days(case, rungs: int) -> list:
    """The past days a case's ladder climbs: rung 1 the day it turned red, 催办 +3, 挂牌督办 +5 working days."""
    cal = current_calendar()
    d0 = timezone.localtime(case.deadline).date()
    return [d0, cal.add_working_days(d0, 3), cal.add_working_days(d0, 8)][:rungs]


def test_listed_cases_on_page_api_and_bulletin_within_scope(new_case, office, units, users):
    listed, _ = new_case(kind="complaint", description="窗口推诿,多次往返未办理")
    listed = svc.do_dispatch_case(office["dispatcher"], listed, unit=units["dong"],
                                  at=timezone.now() - dt.timedelta(days=45))
    urged, _ = new_case(kind="complaint", description="办事窗口态度生硬")  # five days later: only 催办 yet
    urged = svc.do_dispatch_case(office["dispatcher"], urged, unit=units["dong"],
                                 at=timezone.now() - dt.timedelta(days=40))
    days = sorted(set(_ladder_days(listed, 3) + _ladder_days(urged, 2)))
    assert days[-1] == _ladder_days(listed, 3)[-1]  # the last sweep is the 挂牌 day, before anything climbs on
    for d in days:
        run_sweep(on=d, checkpoint=False)
    on = days[-1]
    # the page: the handling unit and the office see the listed case; other units and 市发改委 (complained
    # about) do not
    for who in ("dong", "supervisor"):
        page = _client(users[who]).get("/supervision/listed/").content.decode()
        section = page.split('id="listed-items-cases"', 1)[1].split("</table>", 1)[0]
        assert listed.number in section and urged.number not in section, who
        assert "<td>挂牌督办</td>" in section and "效能投诉·慢作为" in section and units["dong"].name in section
        assert not any(s in page for s in SECRETS)
    for who in ("edu", "fgw"):
        page = _client(users[who]).get("/supervision/listed/").content.decode()
        assert listed.number not in page, who
    # the API
    api = _client(users["dong"]).get("/api/listed-items/")
    assert api.status_code == 200
    cases = next(k for k in api.json() if k["kind"] == "cases")
    assert cases["total"] == 1 and cases["items"][0]["number"] == listed.number
    assert cases["items"][0]["rung"] == "挂牌督办" and cases["items"][0]["listed_on"] == on.isoformat()
    assert cases["items"][0]["url"] == f"/cases/{listed.pk}/"
    assert not any(s in api.content.decode() for s in SECRETS)
    edu = next(k for k in _client(users["edu"]).get("/api/listed-items/").json() if k["kind"] == "cases")
    assert edu["total"] == 0
    assert Client().get("/api/listed-items/").status_code in (401, 403)
    # the 通报
    today = timezone.localdate()
    data = bulletin_data(today - dt.timedelta(days=60), today, today)
    k = next(k for k in data["items"] if k["kind"] == "cases")
    assert [r["number"] for r in k["listed"]] == [listed.number]
    assert "(其中挂牌督办1件)" in data["summary"]
    text = _pdf_text(bulletin_pdf(data))
    assert "其中挂牌督办的诉求案件(共1件)" in text and listed.number in text
    assert not any(s in text for s in SECRETS)
    mine = bulletin_data(today - dt.timedelta(days=60), today, today, user=users["edu"])
    assert next(k for k in mine["items"] if k["kind"] == "cases")["listed"] == []
    # bounded: a limit keeps the oldest rows and the whole count
    from luoshi.supervision.items import listed_rows

    capped = next(k for k in listed_rows(limit=0) if k["kind"] == "cases")
    assert capped["total"] == 1 and capped["items"] == []
    # done: no longer overdue, no longer listed
    Case.objects.filter(pk=listed.pk).update(status="replied")
    page = _client(users["supervisor"]).get("/supervision/listed/").content.decode()
    assert listed.number not in page


@pytest.mark.django_db
def test_listed_petition_read_under_the_petitions_scope(register, users, units):
    from luoshi.petitions import services as psvc
    from luoshi.petitions.sweep import run_petition_sweep

    D = dt.date
    p = register()
    psvc.do_assign_petition(users["supervisor"], p, units["fgw"])
    psvc.do_accept_petition(users["fgw"], p, on=D(2026, 3, 5))
    for on in (D(2026, 5, 7), D(2026, 5, 12), D(2026, 5, 19)):
        run_petition_sweep(on)
    p.refresh_from_db()
    fgw = next(k for k in _client(users["fgw"]).get("/api/listed-items/").json() if k["kind"] == "petitions")
    assert [r["number"] for r in fgw["items"]] == [p.number] and fgw["items"][0]["listed_on"] == "2026-05-19"
    page = _client(users["fgw"]).get("/supervision/listed/").content.decode()
    assert p.number in page and "张三丰" not in page and "13812341234" not in page
    edu = next(k for k in _client(users["edu"]).get("/api/listed-items/").json() if k["kind"] == "petitions")
    assert edu["total"] == 0
