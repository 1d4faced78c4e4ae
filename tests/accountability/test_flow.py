"""问责 flow: causes, people, the repeat rule, decisions, effects, 申辩/申诉, nothing deleted, audited."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from luoshi.accountability import effects
from luoshi.accountability.hooks import sync_escalations
from luoshi.accountability.models import (Appeal, AssessmentEffect, CauseType, MeasureType, Person, Proposal)
from luoshi.accountability.services import (do_add_person, do_decide, do_decide_appeal, do_propose,
                                            do_submit_appeal, do_withdraw_person)
from luoshi.audit.models import AuditEntry
from luoshi.core.errors import LuoshiError, NotAllowed
from luoshi.notifications.models import Notification
from luoshi.supervision.models import Escalation

pytestmark = pytest.mark.django_db
D = dt.date
TODAY = dt.date.today()


def test_default_ladder_is_seeded():
    names = list(MeasureType.objects.values_list("name", flat=True))
    assert names[:7] == ["责成书面检查", "诫勉教育", "通报批评", "扣发考核奖", "取消当年评优评先资格", "效能告诫",
                         "停职离岗培训或强行交流"]
    assert {"调离岗位", "免职", "解除聘用", "党纪政纪处分"} <= set(names)
    assert MeasureType.objects.get(code="discipline_referral").is_referral


def test_interview_step_raises_one_proposal(placed_task, users, officer):
    from luoshi.supervision.escalation import do_save_policy
    from luoshi.supervision.sweep import run_sweep

    do_save_policy(users["supervisor"], name="重点", tag="重点",
                   steps=[{"kind": "urge", "after_days": 0}, {"kind": "interview", "after_days": 1}])
    t = placed_task(D(2025, 2, 3), D(2025, 3, 14), progress=60, tags=["重点"])
    run_sweep(D(2025, 3, 17))
    assert not Proposal.objects.exists()
    run_sweep(D(2025, 3, 18))
    esc = Escalation.objects.get(task=t, kind="interview")
    p = Proposal.objects.get()
    assert (p.cause_type, p.cause, p.task, p.unit.name) == (CauseType.ESCALATION, esc, t, "市发展和改革委员会")
    assert p.state == Proposal.State.PROPOSED and p.proposed_on == D(2025, 3, 18)
    assert t.number in p.cause_label
    assert Notification.objects.filter(user=officer, kind="accountability.proposed").count() == 1
    run_sweep(D(2025, 3, 19))
    assert sync_escalations() == 0  # the hook already raised it
    assert Proposal.objects.count() == 1


def test_catch_up_raises_missing_proposals(placed_task, users, officer):
    from luoshi.supervision import hooks
    from luoshi.supervision.escalation import do_save_policy
    from luoshi.supervision.sweep import run_sweep

    do_save_policy(users["supervisor"], name="重点", tag="重点",
                   steps=[{"kind": "interview", "after_days": 0}])
    t = placed_task(D(2025, 2, 3), D(2025, 3, 14), progress=60, tags=["重点"])
    saved = list(hooks.interview_step)
    hooks.interview_step.clear()
    try:
        run_sweep(D(2025, 3, 17))
    finally:
        hooks.interview_step[:] = saved
    assert not Proposal.objects.exists()
    assert sync_escalations() == 1
    assert Proposal.objects.get().task == t
    assert sync_escalations() == 0


def test_manual_proposal_rules(users, units, officer):
    with pytest.raises(NotAllowed):
        do_propose(users["fgw"], cause_type="manual", unit=units["fgw"], facts="x")
    with pytest.raises(LuoshiError) as e:
        do_propose(users["supervisor"], cause_type="manual", unit=units["fgw"], facts="")
    assert e.value.field == "facts"
    with pytest.raises(LuoshiError):
        do_propose(users["supervisor"], cause_type="nonsense", unit=units["fgw"], facts="x")
    with pytest.raises(LuoshiError):
        do_propose(users["supervisor"], cause_type="manual", unit=units["fgw"], facts="<script>alert(1)</script>")
    p = do_propose(officer, cause_type="manual", unit=units["edu"], facts="教育局招生工作违规。")
    assert p.number.startswith(f"问责〔{TODAY.year}〕第") and p.proposed_by == officer
    assert Proposal.objects.count() == 1


def test_people_and_decision(proposal, officer, users, units):
    with pytest.raises(NotAllowed):
        do_add_person(users["supervisor"], proposal, name="张三", post="科长", unit=units["fgw"],
                      responsibility="direct")
    with pytest.raises(LuoshiError) as e:
        do_add_person(officer, proposal, name="张三", post="科长", unit=units["fgw"], responsibility="none")
    assert e.value.field == "responsibility"
    a = do_add_person(officer, proposal, name="张三", post="科长", unit=units["fgw"], responsibility="direct")
    b = do_add_person(officer, proposal, name="李四", post="主任", unit=units["fgw"], responsibility="main_leader",
                      measure="cancel_honours")
    c = do_add_person(officer, proposal, name="王五", post="副主任", unit=units["fgw"],
                      responsibility="important_leader")
    d = do_add_person(officer, proposal, name="赵六", post="干部", unit=units["fgw"], responsibility="direct")
    assert a.suggested_measure.code == "written_review" and b.suggested_measure.code == "cancel_honours"
    do_withdraw_person(officer, d, "经核实不负有责任")
    with pytest.raises(LuoshiError):  # every pending person needs an answer
        do_decide(officer, proposal, decision_number="市纪〔2026〕1号", on=TODAY, measures={a.pk: "criticism"})
    with pytest.raises(LuoshiError):  # no decision in the future
        do_decide(officer, proposal, decision_number="市纪〔2026〕1号", on=TODAY + dt.timedelta(days=1),
                  measures={a.pk: "criticism", b.pk: "cancel_honours", c.pk: ""})
    with pytest.raises(NotAllowed):
        do_decide(users["supervisor"], proposal, decision_number="x", on=TODAY, measures={})
    do_decide(officer, proposal, decision_number="市纪〔2026〕1号", on=TODAY,
              measures={a.pk: "criticism", b.pk: "cancel_honours", c.pk: "discipline_referral"})
    proposal.refresh_from_db()
    assert proposal.state == "decided" and proposal.decided_by == officer and proposal.decision_number == "市纪〔2026〕1号"
    states = dict(Person.objects.values_list("name", "state"))
    assert states == {"张三": "decided", "李四": "decided", "王五": "referred", "赵六": "withdrawn"}
    # effects: 通报批评 2 points, 取消评优评先 3 points + loss of honours; the referral none
    eff = effects.unit_effects(TODAY.year)[units["fgw"].pk]
    assert eff == {"deduction": Decimal("5.00"), "cancels_honours": True, "measures": 2}
    with pytest.raises(LuoshiError):
        do_add_person(officer, proposal, name="钱七", post="x", unit=units["fgw"], responsibility="direct")
    # liaison told without names or measures; the person's names never reach the audit trail
    note = Notification.objects.get(user=users["fgw"], kind="accountability.decided")
    for secret in ("张三", "李四", "王五", "通报批评", "取消当年评优评先资格"):
        assert secret not in note.title + note.body
        assert not AuditEntry.objects.filter(summary__contains=secret).exists()
        assert not AuditEntry.objects.filter(object_repr__contains=secret).exists()
    assert "张三" not in str(list(AuditEntry.objects.values_list("before", "after")))
    actions = set(AuditEntry.objects.filter(action__startswith="accountability.").values_list("action", flat=True))
    assert {"accountability.propose", "accountability.person.add", "accountability.person.withdraw",
            "accountability.decide"} <= actions


def test_repeat_cases_escalate(officer, users, units, make_task):
    def case(measure=None, decide=True, on=TODAY):
        p = do_propose(users["supervisor"], cause_type="manual", unit=units["fgw"], facts="逾期。", on=on)
        person = do_add_person(officer, p, name="张三", post="科长", unit=units["fgw"], responsibility="direct",
                               measure=measure, on=on)
        if decide:
            do_decide(officer, p, decision_number=f"纪{p.pk}", on=on, measures={person.pk: person.suggested_measure.code})
        return person

    first = case(on=TODAY - dt.timedelta(days=500))   # 400 days before the next: outside the period
    assert first.suggested_measure.code == "written_review" and first.prior_count == 0
    second = case(on=TODAY - dt.timedelta(days=100))
    assert second.prior_count == 0 and second.suggested_measure.code == "written_review"
    third = case(measure="criticism", on=TODAY - dt.timedelta(days=10))
    assert third.prior_count == 1 and third.suggested_measure.code == "withhold_bonus"
    assert "第2次" in third.suggestion_note
    # same name in another unit is another person
    p = do_propose(users["supervisor"], cause_type="manual", unit=units["edu"], facts="x")
    other = do_add_person(officer, p, name="张三", post="科员", unit=units["edu"], responsibility="direct")
    assert other.prior_count == 0
    fourth = case(measure="suspension", decide=False)
    assert fourth.prior_count == 2 and fourth.suggested_measure.code == "suspension"  # top of the ladder
    assert "最重" in fourth.suggestion_note


def test_defence_and_appeal(decided, officer, users, units):
    from tests.conftest import make_user
    from luoshi.accounts.models import Role

    zhang = Person.objects.get(name="张三")
    li = Person.objects.get(name="李四")
    zhang_user = make_user("zhangsan", Role.LIAISON, units["fgw"], display_name="张三")
    Person.objects.filter(pk=zhang.pk).update(user=zhang_user)
    zhang.refresh_from_db()
    with pytest.raises(NotAllowed):  # someone else's record
        do_submit_appeal(users["fgw"], zhang, "不服")
    appeal = do_submit_appeal(zhang_user, zhang, "逾期系上级审批未完成所致,非本人责任。")
    assert appeal.kind == Appeal.Kind.APPEAL
    with pytest.raises(LuoshiError):
        do_submit_appeal(zhang_user, zhang, "再次申诉")
    with pytest.raises(LuoshiError):
        do_submit_appeal(officer, li, "过期", on=TODAY + dt.timedelta(days=16))
    before = effects.unit_effects(TODAY.year)[units["fgw"].pk]["deduction"]
    do_decide_appeal(officer, appeal, outcome="changed", measure="written_review", note="情节较轻,变更为责成书面检查。")
    zhang.refresh_from_db()
    assert zhang.measure.code == "written_review" and zhang.state == "decided"
    after = effects.unit_effects(TODAY.year)[units["fgw"].pk]["deduction"]
    assert before - after == Decimal("1.5")  # 2 (通报批评) → 0.5 (书面检查)
    assert AssessmentEffect.objects.filter(person=zhang, is_active=False).count() == 1  # kept, deactivated
    again = do_submit_appeal(officer, li, "书面申诉材料已收到。")
    do_decide_appeal(officer, again, outcome="accepted", note="经复核,责任不成立,撤销问责。")
    li.refresh_from_db()
    assert li.state == "revoked"
    assert not AssessmentEffect.objects.filter(person=li, is_active=True).exists()
    assert Notification.objects.filter(user=zhang_user, kind="accountability.appeal.decided").exists()


def test_defence_before_decision(proposal, officer, units):
    p = do_add_person(officer, proposal, name="孙八", post="科员", unit=units["fgw"], responsibility="direct")
    d = do_submit_appeal(officer, p, "本人当时休产假,不在岗。")
    assert d.kind == Appeal.Kind.DEFENCE
    do_decide_appeal(officer, d, outcome="accepted", note="申辩成立。")
    p.refresh_from_db()
    assert p.state == "withdrawn"
    do_decide(officer, proposal, decision_number="纪1", on=TODAY, measures={})
    proposal.refresh_from_db()
    assert proposal.state == "not_pursued"
    assert Person.objects.count() == 1  # nothing deleted


def test_cli_sync_and_stats(decided):
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("accountability", "sync", stdout=out)
    assert "raised 0 proposal(s) from escalations, 0 from vetoes" in out.getvalue()
    out = io.StringIO()
    call_command("accountability", "stats", stdout=out)
    assert "共问责2人" in out.getvalue() and "通报批评1人" in out.getvalue()
    assert "张三" not in out.getvalue()
