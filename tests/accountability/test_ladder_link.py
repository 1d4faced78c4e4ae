"""The whole escalation ladder on an overdue case and on an overdue petition: 督办单 → 催办 (+3) → 挂牌督办 (+5)
→ 约谈/问责建议 (+5 working days). The last rung raises an accountability proposal (supervision.hooks.interview_step,
connected by accountability) against the unit handling the item — never naming the complainant/petitioner, in
the proposal, the inbox, the audit trail, or the pages of the unit concerned."""
from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from luoshi.accountability.models import CauseType, Proposal
from luoshi.audit.models import AuditEntry
from luoshi.cases import services as csvc
from luoshi.notifications.models import Notification
from luoshi.supervision.models import Escalation, SupervisionNotice
from luoshi.supervision.sweep import run_sweep
from luoshi.workcal.services import current_calendar
from tests.cases.conftest import COMPLAINANT, cats, new_case, office, routing  # noqa: F401  (fixtures)
from tests.petitions.conftest import register  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

CASE_SECRETS = list(COMPLAINANT.values())
PETITIONER = ["张三丰", "13812341234", "11010519491231002X", "甲区东街道1号"]


def _no_secret(text: str, secrets) -> None:
    for s in secrets:
        assert s not in text, s


def _audit_text(number: str) -> str:
    """The audit entries of the ladder and the proposal (they name the item by its number)."""
    entries = AuditEntry.objects.filter(action__in=("escalation.step", "notice.issue", "accountability.propose"))
    assert {e.action for e in entries} == {"escalation.step", "notice.issue", "accountability.propose"}
    text = "".join(f"{e.summary}{e.object_repr}{e.after}{e.before}" for e in entries)
    assert number in text
    return text


def test_overdue_case_climbs_to_interview_and_raises_a_proposal(new_case, office, units, users, officer):
    case, _ = new_case(kind="complaint", description="窗口工作人员推诿,多次往返未办理")
    # dispatched 45 days ago (5 working days): the ladder's days are all in the past (a proposal is never
    # dated in the future)
    case = csvc.do_dispatch_case(office["dispatcher"], case, unit=units["dong"],
                                 at=timezone.now() - dt.timedelta(days=45))
    cal = current_calendar()
    d0 = timezone.localtime(case.deadline).date()  # the day it turned red: the 督办单 rung
    d3 = cal.add_working_days(d0, 3)
    d8 = cal.add_working_days(d3, 5)
    d13 = cal.add_working_days(d8, 5)
    ladder = []
    for on in (d0, cal.add_working_days(d0, 2), d3, cal.add_working_days(d3, 4), d8,
               cal.add_working_days(d8, 4), d13):
        run_sweep(on=on, checkpoint=False)
        ladder.append(list(Escalation.objects.filter(source_type="cases", source_id=case.pk)
                           .order_by("level").values_list("kind", flat=True)))
        assert Proposal.objects.exists() == (on == d13), on  # nothing before the last rung
    assert ladder == [["notice"], ["notice"], ["notice", "urge"], ["notice", "urge"],
                      ["notice", "urge", "listed"], ["notice", "urge", "listed"],
                      ["notice", "urge", "listed", "interview"]]
    top = Escalation.objects.get(source_type="cases", source_id=case.pk, level=4)
    assert top.on == d13 and top.unit == units["dong"] and top.label == "约谈/问责建议"
    # the last rung raises what the ladder says: an accountability proposal against the handling unit
    p = Proposal.objects.get()
    assert p.cause_type == CauseType.ESCALATION and p.cause == top and p.unit == units["dong"]
    assert d13 <= timezone.localdate() and p.proposed_on == d13
    assert case.number in p.cause_label and "4级升级督办" in p.cause_label
    _no_secret(p.cause_label + p.facts, CASE_SECRETS)
    # idempotent: the same day again and the next days raise nothing more
    run_sweep(on=d13, checkpoint=False)
    run_sweep(on=cal.add_working_days(d13, 5), checkpoint=False)
    assert Proposal.objects.count() == 1 and Escalation.objects.filter(source_id=case.pk).count() == 4
    assert SupervisionNotice.objects.filter(source_type="cases", source_id=case.pk).count() == 1
    # the inbox: the unit's leader and the supervisors hear of the interview step, without the complainant
    msgs = Notification.objects.filter(kind="escalation.interview")
    assert msgs.exists() and all(case.number in m.title for m in msgs)
    for m in Notification.objects.all():
        _no_secret(m.title + m.body, CASE_SECRETS)
    _no_secret(_audit_text(case.number), CASE_SECRETS)
    # the handling unit reads the case's notices on its pages, never the complainant
    dong = Client()
    dong.force_login(users["dong"])
    page = dong.get("/supervision/notices/").content.decode()
    assert case.number in page
    _no_secret(page, CASE_SECRETS)
    # the officer reads the proposal: the case by number, no complainant
    c = Client()
    c.force_login(officer)
    r = c.get(f"/accountability/{p.pk}/")
    assert r.status_code == 200 and case.number in r.content.decode()
    _no_secret(r.content.decode(), CASE_SECRETS)
    # the unit complained about (市发改委) hears nothing of it
    assert not Notification.objects.filter(user=users["fgw"]).exists()


def test_overdue_petition_climbs_to_interview_and_raises_a_proposal(register, users, units, officer):
    from luoshi.petitions import services as psvc
    from luoshi.petitions.sweep import run_petition_sweep

    D = dt.date
    p = register()
    psvc.do_assign_petition(users["supervisor"], p, units["fgw"])
    psvc.do_accept_petition(users["fgw"], p, on=D(2026, 3, 5))
    p.refresh_from_db()
    assert p.deadline == D(2026, 5, 6)
    # 5-07 first overdue day (督办单), +3 working days 5-12 (催办), +5 5-19 (挂牌督办), +5 5-26 (约谈/问责建议)
    for on, kinds in ((D(2026, 5, 7), ["notice"]), (D(2026, 5, 12), ["notice", "urge"]),
                      (D(2026, 5, 19), ["notice", "urge", "listed"]),
                      (D(2026, 5, 25), ["notice", "urge", "listed"]),
                      (D(2026, 5, 26), ["notice", "urge", "listed", "interview"])):
        run_petition_sweep(on)
        got = list(Escalation.objects.filter(source_type="petitions", source_id=p.pk).order_by("level")
                   .values_list("kind", flat=True))
        assert got == kinds, on
        assert Proposal.objects.exists() == (len(kinds) == 4), on
    prop = Proposal.objects.get()
    top = Escalation.objects.get(source_type="petitions", level=4)
    assert prop.cause_type == CauseType.ESCALATION and prop.cause == top and prop.unit == units["fgw"]
    assert p.number in prop.cause_label
    _no_secret(prop.cause_label + prop.facts, PETITIONER)
    run_petition_sweep(D(2026, 5, 26))
    assert Proposal.objects.count() == 1
    for m in Notification.objects.all():
        _no_secret(m.title + m.body, PETITIONER)
    _no_secret(_audit_text(p.number), PETITIONER)
    c = Client()
    c.force_login(users["fgw"])
    page = c.get("/supervision/notices/").content.decode()
    assert p.number in page
    _no_secret(page, PETITIONER)
