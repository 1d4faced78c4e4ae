"""The scoring engine against real ledger/supervision rows: weights, rules, ranks, grades, groups."""
from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from luoshi.assessment import scoring
from luoshi.assessment import services as svc
from luoshi.assessment.models import Indicator
from luoshi.core.errors import LuoshiError
from luoshi.ledger.models import Task

from .conftest import AS_OF, YEAR

D = dt.date


def _task(make_task, lead, deadline, closed_on=None):
    t = make_task(lead=(lead,))
    Task.objects.filter(pk=t.pk).update(deadline=deadline, status="closed" if closed_on else "in_progress",
                                        closed_on=closed_on)
    return t


def by_unit(c):
    return {s.unit.name: s for s in c.units}


@pytest.mark.django_db
def test_weights_that_do_not_add_up_are_refused_with_the_level_named(make_plan, office):
    plan = make_plan()
    svc.do_save_indicator(office, plan, plan.ind["ontime"], weight=35)
    with pytest.raises(LuoshiError) as e:
        scoring.compute(plan, as_of=AS_OF)
    assert "“1 工作落实”的下级指标的分值合计为55,应为60" in e.value.message_zh
    svc.do_save_indicator(office, plan, plan.ind["ontime"], weight=40)
    svc.do_save_indicator(office, plan, plan.ind["survey"], weight=15)
    with pytest.raises(LuoshiError) as e:
        svc.do_run_scores(office, plan, as_of=AS_OF)
    assert "一级指标的分值合计为105,应为100" in e.value.message_zh
    assert not plan.runs.exists()


@pytest.mark.django_db
def test_ledger_rates_counts_and_rows(make_plan, make_task, units):
    plan = make_plan()
    _task(make_task, "fgw", D(YEAR, 3, 1), D(YEAR, 2, 20))   # on time
    _task(make_task, "fgw", D(YEAR, 4, 1), D(YEAR, 4, 9))    # late
    _task(make_task, "fgw", D(YEAR, 5, 1))                    # open, overdue
    _task(make_task, "fgw", D(YEAR + 1, 5, 1))                # next year: not counted
    _task(make_task, "edu", D(YEAR, 6, 1), D(YEAR, 6, 1))    # on time, deadline day
    c = by_unit(scoring.compute(plan, as_of=AS_OF))
    fgw = {it.indicator.code: it for it in c["市发展和改革委员会"].items}
    assert fgw["1.1"].value == Decimal("0.3333") and fgw["1.1"].rows == 3
    assert fgw["1.1"].points == Decimal("13.33")
    assert fgw["1.2"].value == 2 and fgw["1.2"].points == Decimal("10.00")  # 20 - 2 × 5
    edu = {it.indicator.code: it for it in c["市教育局"].items}
    assert edu["1.1"].points == 40 and edu["1.2"].points == 20
    # nothing due: full points for the rate, with the reason stated
    dcs = {it.indicator.code: it for it in c["市人民政府督查室"].items}
    assert dcs["1.1"].points == 40 and dcs["1.1"].note == "无应考核事项,按满分计"


@pytest.mark.django_db
def test_total_is_the_sum_of_items_including_bonus_deduction_and_veto(make_plan, units, office, accepted_figure):
    plan = make_plan()
    accepted_figure(plan.ind["energy"], units["fgw"], "1.5")
    svc.do_add_adjustment(office, plan.ind["bonus"], units["fgw"], reason="省级表彰", on=D(YEAR, 5, 1), amount=5)
    svc.do_add_adjustment(office, plan.ind["veto"], units["edu"], reason="发生较大安全事故", on=D(YEAR, 7, 1))
    data = scoring.computed_json(scoring.compute(plan, as_of=AS_OF))
    for u in data["units"]:
        assert round(sum(i["points"] for i in u["items"]), 2) == u["total"]
    fgw = next(u for u in data["units"] if u["unit"] == "市发展和改革委员会")
    items = {i["indicator"]: i for i in fgw["items"]}
    assert items["2.1"]["points"] == 15.0 and items["4"]["points"] == 3.0  # 30 × 1.5/3; bonus capped at 3
    edu = next(u for u in data["units"] if u["unit"] == "市教育局")
    assert edu["total"] == 0 and edu["vetoed"] and edu["grade"] == "较差" and edu["rank"] == 3


@pytest.mark.django_db
@pytest.mark.parametrize("policy", ["zero", "exclude"])
def test_missing_reported_data_follows_the_plan(make_plan, units, accepted_figure, policy):
    plan = make_plan(missing=policy)
    accepted_figure(plan.ind["energy"], units["fgw"], "3.2")
    # a submitted but not yet accepted figure counts as missing
    svc.do_submit_figure(plan.created_by, plan.ind["energy"], "9", unit=units["edu"])
    c = by_unit(scoring.compute(plan, as_of=AS_OF))
    edu = {it.indicator.code: it for it in c["市教育局"].items}
    if policy == "zero":  # no survey answers either: both missing items score 0
        assert c["市发展和改革委员会"].total == 90
        assert edu["2.1"].points == 0 and edu["2.1"].weight == 30 and c["市教育局"].total == 60
        assert edu["2.1"].note == "缺报,按零分计"
    else:
        assert c["市发展和改革委员会"].total == 100
        assert edu["2.1"].weight == 0 and edu["3"].weight == 0 and edu["2.1"].note == "缺报,不计入"
        # the other scored items scaled to 100: 40 → 66.67, 20 → 33.33
        assert [edu[k].weight for k in ("1.1", "1.2")] == [Decimal("66.67"), Decimal("33.33")]  # 66.67 + 33.33 = 100
        assert c["市教育局"].total == Decimal("100.00")


@pytest.mark.django_db
def test_all_units_tied_share_rank_one_and_nobody_takes_the_excellent_quota(make_plan, units):
    plan = make_plan(group="town", tree="full", missing="exclude")
    c = scoring.compute(plan, as_of=AS_OF)
    assert [s.unit.name for s in c.units] == ["甲区东街道办事处", "甲区西镇人民政府", "乙县南乡人民政府"]  # tree order
    assert {s.rank for s in c.units} == {1} and {s.total for s in c.units} == {Decimal(100)}
    assert {s.grade for s in c.units} == {"良好"}  # ⌊3 × 20 %⌋ = 0 excellent places


@pytest.mark.django_db
def test_excellent_quota_ties_at_the_boundary_drop_to_good():
    from luoshi.assessment.models import Plan

    plan = Plan(excellent_quota=20, grade_floors={})
    totals = [98, 95, 95, 91, 85, 85, 70, 60, 59, 40]
    out = scoring.rank_and_grade([scoring.Ranked(i, Decimal(t), False, (i,)) for i, t in enumerate(totals)], plan)
    assert [e.rank for e in out] == [1, 2, 2, 4, 5, 5, 7, 8, 9, 10]
    assert [e.grade for e in out] == ["优秀", "良好", "良好", "良好", "良好", "良好", "一般", "一般", "较差", "较差"]
    out = scoring.rank_and_grade([scoring.Ranked(i, Decimal(t), False, (i,))
                                  for i, t in enumerate([98, 96, 95, 91, 85, 85, 70, 60, 59, 40])], plan)
    assert [e.grade for e in out][:3] == ["优秀", "优秀", "良好"]


@pytest.mark.django_db
def test_a_group_with_one_unit(make_plan, units, office):
    svc.do_move_unit_group(office, units["yi"], "town", D(YEAR, 1, 1))
    plan = make_plan(code="KH-COUNTY", group="county", tree="flat")
    c = scoring.compute(plan, as_of=AS_OF)
    assert [(s.unit.name, s.rank, s.total, s.grade) for s in c.units] == [("甲区人民政府", 1, Decimal(0), "较差")]


@pytest.mark.django_db
def test_a_unit_moved_between_groups_mid_year_is_ranked_where_it_ends_the_year(make_plan, units, office,
                                                                                make_task):
    _task(make_task, "dong", D(YEAR, 3, 1))  # overdue while still a 街道
    svc.do_move_unit_group(office, units["dong"], "county", D(YEAR, 7, 1))
    county = make_plan(code="KH-COUNTY", group="county")
    town = make_plan(code="KH-TOWN", group="town")
    c = by_unit(scoring.compute(county, as_of=AS_OF))
    assert set(c) == {"甲区人民政府", "乙县人民政府", "甲区东街道办事处"}
    dong = {it.indicator.code: it for it in c["甲区东街道办事处"].items}
    assert dong["1.2"].value == 1  # its data over the whole year follow it
    assert "甲区东街道办事处" not in by_unit(scoring.compute(town, as_of=AS_OF))
    # the first half-year it was still a town
    h1 = scoring.compute(town, period=f"{YEAR}-H1", as_of=AS_OF)
    assert "甲区东街道办事处" in {s.unit.name for s in h1.units}


@pytest.mark.django_db
def test_expert_scores_drop_high_and_low_with_enough_raters(make_plan, units, office):
    plan = make_plan(tree="none")
    ind = svc.do_save_indicator(office, plan, code="1", name="述职评议", weight=100, method="expert")
    for rater, score in [("甲专家", 90), ("乙专家", 80), ("丙专家", 70)]:
        svc.do_record_expert_score(office, ind, units["fgw"], rater, score)
    for rater, score in [("甲专家", 100), ("乙专家", 80), ("丙专家", 70), ("丁专家", 60), ("戊专家", 10)]:
        svc.do_record_expert_score(office, ind, units["edu"], rater, score)
    c = by_unit(scoring.compute(plan, as_of=AS_OF))
    assert c["市发展和改革委员会"].items[0].value == 80 and c["市发展和改革委员会"].items[0].rows == 3
    assert c["市教育局"].items[0].value == 70  # (80+70+60)/3


@pytest.mark.django_db
def test_scores_are_deterministic(make_plan, units, make_task, accepted_figure):
    plan = make_plan()
    for i in range(6):
        _task(make_task, ("fgw", "edu", "duchashi")[i % 3], D(YEAR, 1 + i, 5), D(YEAR, 1 + i, 9) if i % 2 else None)
    accepted_figure(plan.ind["energy"], units["edu"], "2.4")
    a = json.dumps(scoring.computed_json(scoring.compute(plan, as_of=AS_OF)), sort_keys=True)
    b = json.dumps(scoring.computed_json(scoring.compute(plan, as_of=AS_OF)), sort_keys=True)
    assert a == b
    r1 = svc.run_json(svc.do_run_scores(plan.created_by, plan, as_of=AS_OF))
    r2 = svc.run_json(svc.do_run_scores(plan.created_by, plan, as_of=AS_OF))
    assert r1["units"] == r2["units"] == json.loads(a)["units"]


@pytest.mark.django_db
def test_bad_indicator_input_is_refused(make_plan, office):
    plan = make_plan(tree="none")
    with pytest.raises(LuoshiError, match="method"):
        svc.do_save_indicator(office, plan, code="1", name="x", weight=100, method="nope")
    with pytest.raises(LuoshiError):
        svc.do_save_indicator(office, plan, code="1.1", name="x", weight=100, method="reported")  # no parent
    with pytest.raises(LuoshiError):
        svc.do_save_indicator(office, plan, code="1", name="x", weight=-1, method="reported")
    with pytest.raises(LuoshiError):
        svc.do_save_plan(office, code="bad code", name="x", period="2025", group="county")
    with pytest.raises(LuoshiError):
        svc.do_save_plan(office, code="X", name="x", period="2025-Q5", group="county")
    assert not Indicator.objects.filter(plan=plan).exists()


@pytest.mark.django_db
def test_decided_measures_deduct_and_bar_from_excellent_through_the_hook(make_plan, units, office, accepted_figure):
    from luoshi.assessment import sources

    plan = make_plan(excellent_quota=50, grade_floors={"优秀": 80})
    svc.do_save_indicator(office, plan, code="7", name="问责处理扣分", kind="deduct",
                          method="accountability.measures", cap=4)
    accepted_figure(plan.ind["energy"], units["fgw"], "3")

    def provider(unit_ids, period):
        assert period.label == str(YEAR)
        return {units["fgw"].id: [{"points": Decimal(3), "no_excellent": True, "label": "通报批评",
                                   "url": "/accountability/1/"},
                                  {"points": Decimal(2), "label": "诫勉谈话", "url": ""}]}

    sources.register_measures(provider)
    try:
        c = by_unit(scoring.compute(plan, as_of=AS_OF))
        fgw = c["市发展和改革委员会"]
        item = next(i for i in fgw.items if i.indicator.code == "7")
        assert item.value == 5 and item.rows == 2 and item.points == -4  # capped at 4
        # 90 - 4 = 86: first, within the quota (⌊3 × 50 %⌋ = 1) and above the floor, but barred
        assert fgw.total == 86 and fgw.rank == 1 and fgw.no_excellent and fgw.grade == "良好"
        assert {s.grade for s in c.values() if s is not fgw} == {"一般"}  # 60 each; the place is not passed on
        run = svc.do_run_scores(office, plan, as_of=AS_OF)
        assert run.units.get(unit=units["fgw"]).no_excellent
    finally:
        sources.MEASURE_PROVIDERS.remove(provider)
    assert by_unit(scoring.compute(plan, as_of=AS_OF))["市发展和改革委员会"].grade == "优秀"
