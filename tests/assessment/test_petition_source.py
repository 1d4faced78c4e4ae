"""信访 indicators: 按期受理率, 按期办结率, 群众满意率 and 积案化解率 of the handling unit, read from the petitions
app (the same definitions as its statistics), each point traceable to its petitions — never to the petitioner."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from luoshi.assessment import scoring
from luoshi.assessment import services as svc
from luoshi.petitions import services as pt
from luoshi.petitions.sweep import run_petition_sweep

from .conftest import AS_OF, YEAR, text

D = dt.date
METHODS = ["petitions.acceptance_rate", "petitions.on_time_rate", "petitions.satisfaction",
           "petitions.backlog_resolution_rate"]


@pytest.fixture
def petitions(users, units):
    sup, edu = users["supervisor"], users["edu"]

    def reg(received, title, name="张三丰"):
        p = pt.do_register_petition(sup, channel="letter", name=name, phone="13812341234", title=title,
                                    content=f"{title}的具体诉求。", received_on=received)
        return pt.do_assign_petition(sup, p, units["edu"], on=received)

    # 1: accepted and answered in time, rated 满意
    p1 = reg(D(YEAR, 3, 3), "学校周边交通拥堵")
    pt.do_accept_petition(edu, p1, on=D(YEAR, 3, 5))
    pt.do_answer_petition(edu, p1, "已协调交警部门增设护学岗。", on=D(YEAR, 3, 20))
    pt.do_rate_petition(sup, p1, "satisfied")
    # 2: accepted late, answered late, rated 不满意
    p2 = reg(D(YEAR, 4, 1), "校服费用收取不透明")
    pt.do_accept_petition(edu, p2, on=D(YEAR, 4, 30))
    pt.do_answer_petition(edu, p2, "已责成学校公示收费明细。", on=D(YEAR, 8, 1))
    pt.do_rate_petition(sup, p2, "unsatisfied")
    # 3: received in late December: its 受理告知 limit runs into next year, not yet due on 1 January
    p3 = reg(D(YEAR, 12, 20), "寒假托管服务收费")
    # 4: accepted in time, never answered: the sweep lists it as 积案, resolved in November
    p4 = reg(D(YEAR, 1, 6), "民办学校退费纠纷", name="李四光")
    pt.do_accept_petition(edu, p4, on=D(YEAR, 1, 8))
    run_petition_sweep(D(YEAR, 5, 1))
    p4.refresh_from_db()
    assert p4.backlog and p4.backlog_since == D(YEAR, 5, 1)
    pt.do_resolve_backlog(sup, p4, on=D(YEAR, 11, 10), note="经调解达成退费协议")
    # another unit's petition never counts for 市教育局
    other = pt.do_register_petition(sup, channel="visit", name="王五", title="企业补助", content="补助未到位",
                                    received_on=D(YEAR, 3, 3))
    pt.do_assign_petition(sup, other, units["fgw"], on=D(YEAR, 3, 3))
    return {"p1": p1, "p2": p2, "p3": p3, "p4": p4, "other": other}


@pytest.fixture
def plan(office):
    plan = svc.do_save_plan(office, code="KH-XF", name=f"{YEAR}年度信访工作考核", period=str(YEAR), group="city_dept")
    for n, m in enumerate(METHODS, 1):
        svc.do_save_indicator(office, plan, code=str(n), name=m, weight=25, method=m)
    return plan


def _items(plan, unit, as_of=AS_OF):
    s = next(s for s in scoring.compute(plan, as_of=as_of).units if s.unit == unit)
    return {i.indicator.method: i for i in s.items}


@pytest.mark.django_db
def test_petition_rates_of_the_handling_unit(petitions, plan, units):
    items = _items(plan, units["edu"])
    acc, ontime, sat, backlog = (items[m] for m in METHODS)
    # 受理: p1, p2, p4 due (p3's limit is after the reading day); p2 late
    assert (acc.rows, acc.value, acc.points) == (3, Decimal("0.6667"), Decimal("16.67"))
    # 办结: p1 on time; p2 answered late; p4 past its limit, never answered
    assert (ontime.rows, ontime.value, ontime.points) == (3, Decimal("0.3333"), Decimal("8.33"))
    # 满意率 50 %: below the default zero point (60 %) → 0
    assert (sat.rows, sat.value, sat.points) == (2, Decimal("0.5"), Decimal("0"))
    # 积案化解: 1 of 1
    assert (backlog.rows, backlog.value, backlog.points) == (1, Decimal("1"), Decimal("25"))
    # 市发改委's one petition, not yet due: no data → full points (nothing was late), 0 rows
    fgw = _items(plan, units["fgw"])
    assert fgw["petitions.on_time_rate"].rows == 0 and fgw["petitions.on_time_rate"].note == "无应考核事项,按满分计"


@pytest.mark.django_db
def test_an_earlier_reading_day_ignores_later_decisions(petitions, plan, units):
    items = _items(plan, units["edu"], as_of=D(YEAR, 6, 1))
    # on 1 June: p2's 办理期限 (60 days from 30 April) has not passed and it is unanswered → not due;
    # p4 is a 积案 listed on 1 May, not yet resolved
    assert items["petitions.on_time_rate"].rows == 2 and items["petitions.on_time_rate"].value == Decimal("0.5")
    assert items["petitions.backlog_resolution_rate"].value == 0
    # a rating carries no date of its own: it counts with the petition's receipt in the period
    assert items["petitions.satisfaction"].rows == 2


@pytest.mark.django_db
def test_card_rows_name_petitions_never_petitioners(petitions, plan, units, office, client_for):
    run = svc.do_publish_run(office, svc.do_run_scores(office, plan, as_of=AS_OF))
    ur = run.units.get(unit=units["edu"])
    item = ur.items.get(indicator__method="petitions.on_time_rate")
    rows = svc.card_rows(item, run)
    assert [r["label"].split()[0] for r in rows] == [petitions[k].number for k in ("p4", "p1", "p2")]
    assert rows[0]["url"] == f"/petitions/{petitions['p4'].pk}/"
    assert "答复于" in rows[1]["detail"] and "未答复" in rows[0]["detail"]
    page = text(client_for("edu").get(f"/assessment/runs/{run.pk}/items/{item.pk}/rows/"))
    assert petitions["p1"].number in page and petitions["other"].number not in page
    for secret in ("张三丰", "李四光", "13812341234", "学校周边交通拥堵"):
        assert secret not in page
    # the 积案 item lists the backlog petition and when it was resolved
    b = ur.items.get(indicator__method="petitions.backlog_resolution_rate")
    assert [r["detail"] for r in svc.card_rows(b, run)] == [f"列入积案{YEAR}-05-01,化解于{YEAR}-11-10"]
    assert client_for("fgw").get(f"/assessment/runs/{run.pk}/items/{item.pk}/rows/").status_code == 404
