"""The case life 受理 → 立案 → 派遣 → 签收 → 处置 → 办结反馈 → 核查 → 回访 → 结案, with 退单,
延期, 作废, 合并, rating and the working-day clock, through the real services."""
from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from luoshi.audit.models import AuditEntry
from luoshi.cases import services as svc
from luoshi.cases.models import Case, Status
from luoshi.core.errors import LuoshiError, NotAllowed

from .conftest import COMPLAINANT


def test_full_life_of_a_problem(new_case, office, users, units):
    case, code = new_case(lat=30.05, long=118.05, **COMPLAINANT)
    assert case.number.endswith(f"{case.pk:07d}") and len(code) == 10
    assert case.query_hash != code and svc.find_by_code(case.number, code) == case
    assert svc.find_by_code(case.number, "WRONGCODE1") is None
    assert case.area.name == "甲区"                              # point in the polygon
    disp, liaison = office["dispatcher"], users["dong"]
    svc.do_register_case(disp, case)
    case = svc.do_dispatch_case(disp, case)                      # routing rule: road × 甲区 → 东街道
    assert case.responsible_unit == units["dong"] and case.deadline > case.dispatched_at
    with pytest.raises(NotAllowed):
        svc.do_sign_case(users["edu"], case)                     # not the responsible unit
    svc.do_sign_case(liaison, case)
    svc.do_handle_case(liaison, case, "已安排施工队补装井盖")
    svc.do_reply_case(liaison, case, "井盖已补装完毕")
    svc.do_verify_case(disp, Case.objects.get(pk=case.pk), ok=False, note="现场仍有缺口")
    case.refresh_from_db()
    assert case.status == Status.HANDLING and case.rework_count == 1
    svc.do_reply_case(liaison, case, "已全部修复")
    svc.do_verify_case(disp, case, ok=True)
    svc.do_rate_case(case, "satisfied", "很快")
    svc.do_close_case(disp, case)
    case.refresh_from_db()
    assert case.status == Status.CLOSED and case.rating == "satisfied"
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds == ["receive", "register", "dispatch", "sign", "handle", "reply", "rework", "reply", "verify",
                     "rate", "close"]
    audit = AuditEntry.objects.filter(object_type="cases.case", object_id=str(case.pk))
    assert audit.count() == len(kinds)
    text = " ".join(f"{a.summary} {a.before} {a.after} {a.object_repr}" for a in audit)
    for secret in COMPLAINANT.values():
        assert secret not in text                                 # the audit trail never names the reporter


def test_return_redispatch_void_and_states(new_case, office, users, units):
    case, _ = new_case()
    disp = office["dispatcher"]
    svc.do_dispatch_case(disp, case, unit=units["xi"])
    with pytest.raises(LuoshiError) as e:
        svc.do_return_case(users["xi"] if "xi" in users else users["dong"], case, "")
    case = svc.do_return_case(disp, Case.objects.get(pk=case.pk), "不属于本单位职责")
    assert case.status == Status.RETURNED and case.return_count == 1 and case.responsible_unit is None
    with pytest.raises(LuoshiError):
        svc.do_reply_case(disp, case, "x")                        # wrong state
    svc.do_void_case(disp, case, "重复反映")
    assert Case.objects.get(pk=case.pk).status == Status.VOID


def test_unsatisfied_reopens_for_verification_once(new_case, office, users):
    case, _ = new_case()
    disp, liaison = office["dispatcher"], users["dong"]
    svc.do_dispatch_case(disp, case)
    svc.do_sign_case(liaison, case)
    svc.do_reply_case(liaison, case, "已处理")
    svc.do_rate_case(case, "unsatisfied", "没修好")
    case.refresh_from_db()
    assert case.status == Status.REPLIED and case.reopened
    with pytest.raises(LuoshiError):
        svc.do_rate_case(case, "unsatisfied")                      # waits for the office's 核查
    svc.do_verify_case(disp, case, ok=False)
    svc.do_reply_case(liaison, case, "重新处理")
    svc.do_rate_case(case, "unsatisfied", "还是不行")
    case.refresh_from_db()
    assert case.status == Status.VISITED                           # second 不满意 stands, no more reopening


def test_extension_needs_approval(new_case, office, users):
    case, _ = new_case()
    svc.do_dispatch_case(office["dispatcher"], case)
    case.refresh_from_db()
    old = case.deadline
    svc.do_request_extension(users["dong"], case, old + dt.timedelta(days=3), "需要采购材料")
    case.refresh_from_db()
    assert case.deadline == old and case.extension_until
    with pytest.raises(NotAllowed):
        svc.do_decide_extension(users["dong"], case, True)
    svc.do_decide_extension(office["dispatcher"], case, True)
    case.refresh_from_db()
    assert case.deadline == old + dt.timedelta(days=3) and case.extension_until is None


def test_merge_follows_parent(new_case, office):
    a, _ = new_case()
    b, code_b = new_case(description="人民路井盖没了", **COMPLAINANT)
    svc.do_merge_case(office["operator"], b, a)
    b.refresh_from_db()
    assert b.status == Status.MERGED and b.parent == a
    with pytest.raises(LuoshiError):
        svc.do_merge_case(office["operator"], a, b)


def test_deadline_in_working_hours_and_days(cats):
    tz = timezone.get_current_timezone()
    fri_evening = dt.datetime(2026, 11, 27, 22, 0, tzinfo=tz)     # a Friday
    # 24 working hours from Friday 22:00: 2 h on Friday, the weekend does not count, 22 h on Monday.
    assert svc.deadline_for(cats["road"], fri_evening) == dt.datetime(2026, 11, 30, 22, 0, tzinfo=tz)
    assert svc.deadline_for(cats["urgent"], fri_evening) == dt.datetime(2026, 11, 28, 0, 0, tzinfo=tz)  # Friday 24:00
    sat = dt.datetime(2026, 11, 28, 10, 0, tzinfo=tz)
    assert svc.deadline_for(cats["urgent"], sat) == dt.datetime(2026, 11, 30, 2, 0, tzinfo=tz)
    # 5 working days from Friday → the following Friday, end of day
    assert svc.deadline_for(cats["slow"], fri_evening) == dt.datetime(2026, 12, 4, 23, 59, 59, tzinfo=tz)
    # National Day holiday 2026: 10-01..10-07 off
    assert svc.deadline_for(cats["slow"], dt.datetime(2026, 9, 30, 9, 0, tzinfo=tz)).date() > dt.date(2026, 10, 8)


@pytest.mark.parametrize("kw,field", [
    ({"description": "<script>alert(1)</script>"}, "description"),
    ({"description": ""}, "description"),
    ({"lat": 91, "long": 118}, "lat"),
    ({"lat": 30, "long": 181}, "long"),
    ({"lat": 30}, "lat"),
    ({"reporter_phone": "call me"}, "reporter_phone"),
    ({"reporter_email": "not-an-email"}, "reporter_email"),
    ({"address": "", "lat": None, "long": None}, "address"),
])
def test_bad_input_refused_nothing_written(new_case, kw, field):
    with pytest.raises(LuoshiError) as e:
        new_case(**kw)
    assert e.value.field == field
    assert Case.objects.count() == 0 and AuditEntry.objects.filter(object_type="cases.case").count() == 0


def test_complaint_rules(new_case, office, users, units, cats):
    with pytest.raises(LuoshiError) as e:
        new_case(kind="complaint", subject_unit="")
    assert e.value.field == "subject_unit"
    with pytest.raises(LuoshiError) as e:
        new_case(kind="problem", cat="slow")                      # a complaint category on a problem
    case, _ = new_case(kind="complaint")
    assert case.subject_unit == units["fgw"]
    disp = office["dispatcher"]
    with pytest.raises(LuoshiError) as e:
        svc.do_dispatch_case(disp, case, unit=units["fgw"])        # never to the unit complained about
    assert "被投诉单位" in e.value.message_zh
    jia_case, _ = new_case(kind="complaint", subject_unit=units["jia"].pk)
    with pytest.raises(LuoshiError):
        svc.do_dispatch_case(disp, jia_case, unit=units["dong"])   # nor inside it
    svc.do_dispatch_case(disp, case)                               # rule: 慢作为 → 督查室 (效能办)
    case.refresh_from_db()
    assert case.responsible_unit == units["duchashi"]


def test_complaint_finding_fires_the_accountability_hook(new_case, office, units, django_capture_on_commit_callbacks):
    from luoshi.cases.signals import complaint_found

    received = []
    complaint_found.connect(lambda sender, **kw: received.append(kw), weak=False, dispatch_uid="t")
    try:
        case, _ = new_case(kind="complaint")
        sup = office["dispatcher"]
        svc.do_dispatch_case(sup, case, unit=units["duchashi"])
        svc.do_sign_case(sup, case)
        with pytest.raises(LuoshiError):
            svc.do_reply_case(sup, case, "答复")                   # needs the finding first
        svc.do_investigate_case(sup, case, "调取窗口记录,确有拖延")
        with django_capture_on_commit_callbacks(execute=True):
            svc.do_find_case(sup, case, "true", "责令书面检查,约谈分管负责人")
        svc.do_reply_case(sup, case, "经调查,反映属实,已作处理")
    finally:
        complaint_found.disconnect(dispatch_uid="t")
    assert len(received) == 1 and received[0]["finding"] == "true" and received[0]["case"].pk == case.pk
    assert Case.objects.get(pk=case.pk).status == Status.REPLIED


def test_reporter_told_of_public_steps(new_case, office, django_capture_on_commit_callbacks):
    from luoshi.cases import senders

    senders.OUTBOX.clear()
    with django_capture_on_commit_callbacks(execute=True):
        case, _ = new_case(**COMPLAINANT)
        svc.do_dispatch_case(office["dispatcher"], case)
    assert any("已派遣" in text and to == COMPLAINANT["reporter_phone"] for ch, to, text in senders.OUTBOX)


def test_a_second_extension_request_waits_for_the_first_decision(new_case, office, users):
    # While one 延期申请 waits, the unit cannot file another that would silently replace it (the dispatcher
    # would approve a date they never saw); after the decision it may ask again.
    case, _ = new_case()
    svc.do_dispatch_case(office["dispatcher"], case)
    case.refresh_from_db()
    old = case.deadline
    svc.do_request_extension(users["dong"], case, old + dt.timedelta(days=3), "需要采购材料")
    with pytest.raises(LuoshiError) as err:
        svc.do_request_extension(users["dong"], case, old + dt.timedelta(days=200), "再延半年")
    assert err.value.field == "until" and "待审批" in err.value.message_zh
    case.refresh_from_db()
    assert case.extension_until.date() == (old + dt.timedelta(days=3)).date()
    assert case.extension_reason == "需要采购材料"
    svc.do_decide_extension(office["dispatcher"], case, False, "不同意")
    svc.do_request_extension(users["dong"], case, old + dt.timedelta(days=2), "材料到货需两天")
    case.refresh_from_db()
    assert case.extension_reason == "材料到货需两天"
