"""A petition's life through the real services: limits, 包案, answer, 复查, 复核, 终结, repeats, 积案."""
import datetime as dt

import pytest

from luoshi.audit.models import AuditEntry
from luoshi.core.errors import LuoshiError, NotAllowed
from luoshi.petitions import limits, services as svc
from luoshi.petitions.models import Petition, Status
from luoshi.petitions.privacy import id_hash, mask_name, mask_phone, normalise_id

from .conftest import ID1, ID2

pytestmark = pytest.mark.django_db


def test_identity_is_hashed_and_masked(register):
    p = register()
    pet = p.petitioner
    assert pet.id_hash == id_hash(normalise_id(ID1)) and ID1 not in pet.id_hash
    assert pet.id_masked == "110***********002X"
    assert not Petition.objects.filter(petitioner__id_hash__contains="1101051949").exists()
    assert mask_name("张三丰") == "张**" and mask_phone("13812341234") == "138****1234"
    # the audit trail carries no identity
    for e in AuditEntry.objects.filter(object_type="petitions.petition"):
        text = str(e.after) + e.summary + e.object_repr
        assert "张三丰" not in text and "13812341234" not in text and "002X" not in text


def test_bad_id_number_refused(register):
    with pytest.raises(LuoshiError) as e:
        register(id_number="110105194912310021")
    assert e.value.field == "id_number"
    assert not Petition.objects.exists()


def test_collective_visit_flag(register):
    assert register(people=5, batch="2026-03-02-01").collective
    assert not register(people=4, id_number=ID2).collective


def test_limits_calendar_days_roll_past_holidays():
    # 15 日 from 2026-09-16 → 10-01 (国庆) → rolls to the first working day after the holiday
    end = limits.limit_end(dt.date(2026, 9, 16), 15)
    assert end > dt.date(2026, 10, 1)
    from luoshi.workcal.services import current_calendar
    cal = current_calendar()
    assert cal.is_workday(end) and not cal.is_workday(end - dt.timedelta(days=1))
    # an ordinary period: plain calendar days; ending on a Sunday rolls to Monday
    assert limits.limit_end(dt.date(2026, 3, 7), 15) == dt.date(2026, 3, 23)
    assert limits.limit_end(dt.date(2026, 3, 2), 15) == dt.date(2026, 3, 17)
    assert limits.limit_end(dt.date(2026, 3, 2), 15, cfg=limits.config({"day_kind": "working"})) == \
        dt.date(2026, 3, 23)


def test_full_life_to_termination_and_repeat_not_reopened(register, users, units):
    sup, fgw, leader = users["supervisor"], users["fgw"], users["leader"]
    p = register()
    assert p.status == Status.REGISTERED and p.accept_by == dt.date(2026, 3, 17)
    with pytest.raises(NotAllowed):
        svc.do_accept_petition(users["edu"], p)
    svc.do_assign_petition(sup, p, units["fgw"], on=dt.date(2026, 3, 3))
    svc.do_set_owner_leader(sup, p, leader)
    assert leader.notifications.filter(kind="petition.owner").exists()
    p = svc.do_accept_petition(fgw, p, on=dt.date(2026, 3, 10))
    assert p.due == dt.date(2026, 5, 9)  # 3-10 + 60 日 = 5-09, a Saturday but a 调休 working day: it stands
    svc.do_request_extension(fgw, p, days=30, reason="涉及多个部门,情况复杂")
    with pytest.raises(NotAllowed):
        svc.do_decide_extension(users["edu"], p, approve=True)
    p = svc.do_decide_extension(leader, p, approve=True)
    assert p.due >= dt.date(2026, 6, 8)
    p = svc.do_answer_petition(fgw, p, "经核实,补贴已于近日发放。", on=dt.date(2026, 4, 1))
    svc.do_rate_petition(sup, p, "unsatisfied")
    with pytest.raises(LuoshiError):
        svc.do_request_review(sup, p, on=dt.date(2026, 6, 1))  # outside the 30-日 window
    p = svc.do_request_review(sup, p, on=dt.date(2026, 4, 20))
    assert p.status == Status.REVIEW and p.review_due == dt.date(2026, 5, 20)
    p = svc.do_decide_review(sup, p, "维持原答复意见。", on=dt.date(2026, 5, 6))
    p = svc.do_request_review(sup, p, stage="recheck", on=dt.date(2026, 5, 20))
    p = svc.do_decide_review(sup, p, "维持复查意见。", stage="recheck", on=dt.date(2026, 6, 1))
    with pytest.raises(NotAllowed):
        svc.do_terminate_petition(fgw, p)
    p = svc.do_terminate_petition(sup, p, on=dt.date(2026, 6, 2))
    assert p.status == Status.TERMINATED
    again = register(title="加装电梯补贴没有发放", received_on=dt.date(2026, 6, 10))
    assert again.repeat_of_id == p.pk and again.status == Status.REPEAT and again.deadline is None
    p.refresh_from_db()
    assert p.status == Status.TERMINATED and p.repeat_count == 1


def test_repeats_make_backlog(register, settings):
    settings.LUOSHI_PETITIONS = {"backlog_repeats": 2}
    first = register()
    register(title="电梯补贴未发放问题", received_on=dt.date(2026, 3, 5))
    other = register(title="噪声扰民", content="夜间施工噪声", received_on=dt.date(2026, 3, 6))
    assert other.repeat_of_id is None
    register(content="加装电梯补贴至今没有发放", title="再次反映电梯补贴", received_on=dt.date(2026, 3, 7))
    first.refresh_from_db()
    assert first.repeat_count == 2 and first.backlog and "重复" in first.backlog_reason


def test_sweep_lights_and_backlog_match_light_for(register, users, units):
    from luoshi.petitions.sweep import petition_light, run_petition_sweep

    sup = users["supervisor"]
    ps = [register(id_number="", received_on=dt.date(2026, 3, d), title=f"事项{d}", content=f"内容{d}")
          for d in (1, 2, 3, 4, 5, 6, 9, 10)]
    svc.do_set_owner_leader(sup, ps[0], users["leader"])
    on = dt.date(2026, 3, 18)
    res = run_petition_sweep(on)
    for p in Petition.objects.all():
        assert p.light == petition_light(p, on), p.number
    assert res.new_backlog == Petition.objects.filter(backlog=True).count() >= 1
    assert users["leader"].notifications.filter(kind="petition.reminder").count() == 1
    res2 = run_petition_sweep(on)
    assert res2.new_backlog == 0 and res2.reminded == 0
