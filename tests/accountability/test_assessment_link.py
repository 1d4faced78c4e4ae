"""A decided measure lowers the unit's assessment through assessment's source registry; a revoked one
no longer does; publishing a run with a 一票否决 raises a proposal (once per unit, plan and period)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from luoshi.accountability.hooks import sync_vetoes
from luoshi.accountability.models import CauseType, Proposal
from luoshi.accountability.services import do_add_person, do_decide, do_decide_appeal, do_submit_appeal
from luoshi.assessment import services as asvc

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


@pytest.fixture
def plan(users):
    office = users["supervisor"]
    p = asvc.do_save_plan(office, code="KH-ACCT", name="市直部门考核", period=str(TODAY.year), group="city_dept")
    asvc.do_save_indicator(office, p, code="1", name="按时办结率", weight=100, method="ledger.on_time_rate")
    asvc.do_save_indicator(office, p, code="2", name="问责扣分", weight=0, method="accountability.deductions",
                           kind="deduct", params={"per": 1}, cap=10)
    asvc.do_save_indicator(office, p, code="3", name="取消评优评先", weight=0, method="accountability.honours",
                           kind="veto")
    return p


def totals(run):
    return {u.unit.name: (u.total, u.vetoed) for u in run.units.select_related("unit")}


def test_decided_measure_lowers_the_units_score(plan, proposal, officer, users, units):
    office = users["supervisor"]
    before = totals(asvc.do_run_scores(office, plan, as_of=TODAY + dt.timedelta(days=1)))
    person = do_add_person(officer, proposal, name="张三", post="科长", unit=units["fgw"], responsibility="direct",
                           measure="criticism")
    do_decide(officer, proposal, decision_number="市纪〔2026〕3号", on=TODAY, measures={person.pk: "criticism"})
    after = totals(asvc.do_run_scores(office, plan, as_of=TODAY + dt.timedelta(days=1)))
    fgw = "市发展和改革委员会"
    assert before[fgw][0] - after[fgw][0] == Decimal("2.00")  # 通报批评: 2 points
    assert after["市教育局"] == before["市教育局"]
    appeal = do_submit_appeal(officer, person, "书面申诉材料。")
    do_decide_appeal(officer, appeal, outcome="changed", measure="cancel_honours", note="改为取消评优评先资格。")
    changed = totals(asvc.do_run_scores(office, plan, as_of=TODAY + dt.timedelta(days=1)))
    assert changed[fgw] == (Decimal("0.00"), True)  # the veto item takes every point
    appeal = do_submit_appeal(officer, person, "再次申诉。")
    do_decide_appeal(officer, appeal, outcome="accepted", note="撤销。")
    assert totals(asvc.do_run_scores(office, plan, as_of=TODAY + dt.timedelta(days=1)))[fgw] == before[fgw]


def test_score_card_rows_name_no_one(plan, decided):
    from luoshi.assessment.sources import get_source, parse_period

    period = parse_period(str(TODAY.year)).at(TODAY + dt.timedelta(days=1))
    rows = get_source("accountability.deductions").rows(decided.unit_id, period, None, 10)
    assert len(rows) == 2 and all(decided.number in r["label"] for r in rows)
    assert not any("张三" in str(r) or "李四" in str(r) for r in rows)


def test_published_veto_raises_a_proposal(plan, users, units):
    office = users["supervisor"]
    asvc.do_save_indicator(office, plan, code="4", name="安全生产一票否决", weight=0, method="manual", kind="veto")
    veto = plan.indicators.get(code="4")
    asvc.do_add_adjustment(office, veto, units["edu"], reason="发生较大安全生产事故", on=TODAY)
    run = asvc.do_run_scores(office, plan, as_of=TODAY + dt.timedelta(days=1))
    assert sync_vetoes() == 0 and not Proposal.objects.exists()  # a draft run raises nothing
    asvc.do_publish_run(office, run)  # the publication itself raises it (assessment.signals.run_published)
    p = Proposal.objects.get()
    assert (p.cause_type, p.unit.name) == (CauseType.VETO, "市教育局") and "一票否决" in p.cause_label
    assert p.cause.run == run
    assert sync_vetoes() == 0
    # a corrected run republished for the same period: the old one is withdrawn, no second proposal
    asvc.do_publish_run(office, asvc.do_run_scores(office, plan, as_of=TODAY + dt.timedelta(days=1)))
    assert Proposal.objects.count() == 1 and sync_vetoes() == 0


def test_sync_catches_up_vetoes_published_without_the_hook(plan, users, units):
    from luoshi.accountability.hooks import on_run_published
    from luoshi.assessment.signals import run_published

    office = users["supervisor"]
    asvc.do_save_indicator(office, plan, code="4", name="安全生产一票否决", weight=0, method="manual", kind="veto")
    asvc.do_add_adjustment(office, plan.indicators.get(code="4"), units["edu"], reason="发生较大安全生产事故", on=TODAY)
    run_published.disconnect(dispatch_uid="accountability.run_published")
    try:
        asvc.do_publish_run(office, asvc.do_run_scores(office, plan, as_of=TODAY + dt.timedelta(days=1)))
    finally:
        run_published.connect(on_run_published, dispatch_uid="accountability.run_published")
    assert not Proposal.objects.exists()
    assert sync_vetoes() == 1 and sync_vetoes() == 0
