"""Overdue cases enter the supervision engine (supervision.items through the supervised-kinds registry):
an automatic red 督办单 (GB/T 9704 PDF), the escalation ladder climbing in working days, the unit's answer
pausing it, the inbox messages, the case timeline, and the 通报 — never naming the complainant."""
from __future__ import annotations

import datetime as dt
import io

import pdfplumber
from django.test import Client
from django.utils import timezone

from luoshi.cases import services as svc
from luoshi.cases.models import CaseEvent
from luoshi.notifications.models import Notification
from luoshi.supervision.bulletins import bulletin_data, bulletin_pdf
from luoshi.supervision.models import Escalation, SupervisionNotice
from luoshi.supervision.notices import do_answer_notice
from luoshi.supervision.pdf import notice_pdf
from luoshi.supervision.sweep import run_sweep
from luoshi.workcal.services import current_calendar
from tests.conftest import PASSWORD

from .conftest import COMPLAINANT

SECRETS = [COMPLAINANT["reporter_name"], COMPLAINANT["reporter_phone"], COMPLAINANT["reporter_email"],
           COMPLAINANT["reporter_address"]]


def pdf_text(data: bytes) -> str:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "".join((p.extract_text() or "") for p in pdf.pages).replace(" ", "").replace("\n", "")


def login(user):
    c = Client()
    assert c.login(username=user.username, password=PASSWORD)
    return c


def overdue_complaint(new_case, office, units, days=10):
    case, _ = new_case(kind="complaint", description="窗口工作人员推诿,多次往返未办理")
    return svc.do_dispatch_case(office["dispatcher"], case, unit=units["dong"],
                                at=timezone.now() - dt.timedelta(days=days))


def test_overdue_case_gets_a_red_notice_and_climbs_the_ladder(new_case, office, units, users):
    case = overdue_complaint(new_case, office, units)
    today = timezone.localdate()
    result = run_sweep(on=today)
    assert result.items["cases"]["overdue"] == 1 and result.items["cases"]["notices"] == 1
    notice = SupervisionNotice.objects.get(source_type="cases", source_id=case.pk)
    assert notice.task is None and notice.light == "red" and notice.kind == "auto"
    assert notice.lead_unit == units["dong"] and notice.source_url == f"/cases/{case.pk}/"
    assert notice.subject_number == case.number and notice.light_since == timezone.localtime(case.deadline).date()
    # the automatic 督办单 is the first rung of the ladder (issue 9: in order, no second notice)
    assert list(Escalation.objects.filter(source_id=case.pk).values_list("level", "kind", "notice")) == [
        (1, "notice", notice.pk)]
    # the inbox of the unit's liaison: the notice, naming the case, never the complainant
    msgs = Notification.objects.filter(user=users["dong"])
    assert {m.kind for m in msgs} >= {"notice.issued"}
    for m in msgs:
        assert not any(s in m.title + m.body for s in SECRETS)
    assert any(case.number in m.title for m in msgs)
    # the case timeline
    assert CaseEvent.objects.filter(case=case, kind="supervision.notice").exists()
    # idempotent for the day
    again = run_sweep(on=today)
    assert again.items["cases"]["notices"] == 0 and again.items["cases"]["escalations"] == 0
    assert SupervisionNotice.objects.filter(source_id=case.pk).count() == 1
    # the ladder in working days: 催办 after 3, 挂牌督办 after 5 more
    cal = current_calendar()
    d3 = cal.add_working_days(today, 3)
    run_sweep(on=d3)
    assert Escalation.objects.filter(source_id=case.pk).latest("level").kind == "urge"
    d8 = cal.add_working_days(d3, 5)
    run_sweep(on=d8)
    top = Escalation.objects.filter(source_id=case.pk).latest("level")
    assert top.kind == "listed" and SupervisionNotice.objects.filter(source_id=case.pk).count() == 1
    # the unit answers: the chain waits
    do_answer_notice(users["dong"], notice, "已安排专人办理,三日内办结", on=d8)
    assert CaseEvent.objects.filter(case=case, kind="supervision.notice_answer").exists()
    run_sweep(on=cal.add_working_days(d8, 10))
    assert Escalation.objects.filter(source_id=case.pk).latest("level").level == 3


def test_notice_document_pages_and_privacy(new_case, office, units, users):
    case = overdue_complaint(new_case, office, units)
    run_sweep(on=timezone.localdate())
    notice = SupervisionNotice.objects.get(source_type="cases", source_id=case.pk)
    text = pdf_text(notice_pdf(notice))
    assert "红色督办单" in text and case.number in text and "东街道" in text.replace("办事处", "")
    assert not any(s in text for s in SECRETS)
    # the unit handling the case reads its notice; the unit complained about (市发改委) never sees it
    dong = login(users["dong"])
    page = dong.get("/supervision/notices/").content.decode()
    assert notice.number in page and case.number in page
    detail = dong.get(f"/supervision/notices/{notice.pk}/").content.decode()
    assert case.number in detail and not any(s in detail for s in SECRETS)
    fgw = login(users["fgw"])
    assert notice.number not in fgw.get("/supervision/notices/").content.decode()
    assert fgw.get(f"/supervision/notices/{notice.pk}/").status_code == 404
    assert not Notification.objects.filter(user=users["fgw"], kind__startswith="notice").exists()
    # 签收 by the handling unit puts the step on the case timeline
    r = dong.post(f"/supervision/notices/{notice.pk}/do/acknowledge/")
    assert r.status_code in (200, 302)
    pdf = dong.get(f"/supervision/notices/{notice.pk}/pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert fgw.get(f"/supervision/notices/{notice.pk}/pdf/").status_code == 404
    notice.refresh_from_db()
    assert notice.state == "acknowledged"
    assert CaseEvent.objects.filter(case=case, kind="supervision.notice_ack").exists()


def test_bulletin_lists_overdue_cases_within_scope(new_case, office, units, users):
    case = overdue_complaint(new_case, office, units)
    today = timezone.localdate()
    data = bulletin_data(today - dt.timedelta(days=30), today, today)
    cases = next(k for k in data["items"] if k["kind"] == "cases")
    assert cases["total"] == 1 and cases["items"][0]["number"] == case.number
    assert cases["items"][0]["unit"] == units["dong"].name and cases["items"][0]["days_late"] >= 1
    assert "超期未办结诉求案件1件" in data["summary"]
    text = pdf_text(bulletin_pdf(data))
    assert case.number in text and "超期未办结的诉求案件" in text
    assert not any(s in text for s in SECRETS)
    # a liaison of another unit: the case is not in their 通报
    mine = bulletin_data(today - dt.timedelta(days=30), today, today, user=users["edu"])
    assert next(k for k in mine["items"] if k["kind"] == "cases")["total"] == 0


def test_staff_inbox_for_case_steps(new_case, office, units, users):
    case, _ = new_case(kind="complaint")
    case = svc.do_dispatch_case(office["dispatcher"], case, unit=units["dong"])
    got = Notification.objects.get(user=users["dong"], kind="case.dispatched")
    assert case.number in got.title and got.url == f"/cases/{case.pk}/"
    case = svc.do_request_extension(users["dong"], case, case.deadline + dt.timedelta(days=3), "需协调多部门")
    assert Notification.objects.filter(user=office["dispatcher"], kind="case.extension_requested").exists()
    case = svc.do_decide_extension(office["dispatcher"], case, False, "时限内可办结")
    assert Notification.objects.filter(user=users["dong"], kind="case.extension_rejected").exists()
    case = svc.do_return_case(users["dong"], case, "不属于本单位职责")
    assert Notification.objects.filter(user=office["dispatcher"], kind="case.returned",
                                       body__contains="不属于本单位职责").exists()
    for m in Notification.objects.all():
        assert not any(s in m.title + m.body for s in SECRETS), m.title
    # the unit complained about hears nothing
    assert not Notification.objects.filter(user=users["fgw"]).exists()


def test_an_overdue_case_lights_up_on_the_case_list_and_page_like_a_task(new_case, office, units, client):
    late, _ = new_case()
    svc.do_dispatch_case(office["dispatcher"], late, unit=units["dong"], at=timezone.now() - dt.timedelta(days=10))
    fresh, _ = new_case()
    svc.do_dispatch_case(office["dispatcher"], fresh, unit=units["dong"])
    assert client.login(username="paiqian", password=PASSWORD)
    page = client.get("/cases/").content.decode()
    row = page[page.index(late.number):]
    assert '<span class="due due-overdue">超期</span>' in row[:row.index("</tr>")]
    row = page[page.index(fresh.number):]
    assert "due-" not in row[:row.index("</tr>")]
    assert '<span class="due due-overdue">超期</span>' in client.get(f"/cases/{late.pk}/").content.decode()
    assert "due-overdue" not in client.get(f"/cases/{fresh.pk}/").content.decode()
