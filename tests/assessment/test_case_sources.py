"""12345 / 效能投诉 case sources: 按期处置率, 满意率, 退单率 per responsible unit, upheld complaints per
subject unit; the score card rows never name the reporter."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from luoshi.assessment import scoring
from luoshi.assessment import services as svc
from luoshi.cases.models import Case, CaseEvent, Category

from .conftest import AS_OF, YEAR


def at(m, d):
    return dt.datetime(YEAR, m, d, 10, tzinfo=timezone.get_current_timezone())


@pytest.fixture
def cases(units):
    cat = Category.objects.create(code="C01", name="市容环境")
    mk = lambda n, **kw: Case.objects.create(number=f"C{YEAR}{n:05d}", category=cat, description="路灯不亮",  # noqa: E731
                                             reporter_name="张三丰", reporter_phone="13800000000", **kw)
    fgw = units["fgw"]
    mk(1, responsible_unit=fgw, created_at=at(3, 1), dispatched_at=at(3, 1), deadline=at(3, 8),
       replied_at=at(3, 5), status="closed", rating="satisfied")
    mk(2, responsible_unit=fgw, created_at=at(4, 1), dispatched_at=at(4, 1), deadline=at(4, 8),
       replied_at=at(4, 12), status="closed", rating="unsatisfied", return_count=1)
    mk(3, responsible_unit=fgw, created_at=at(5, 1), dispatched_at=at(5, 1), deadline=at(5, 8), status="handling")
    mk(4, responsible_unit=fgw, created_at=at(6, 1), status="void")
    mk(5, kind="complaint", subject_unit=units["edu"], responsible_unit=fgw, created_at=at(7, 1),
       dispatched_at=at(7, 1), deadline=at(7, 20), replied_at=at(7, 10), status="closed", finding="true",
       rating="basic")
    # returned by 市发改委: the return cleared the case's unit; only the timeline keeps who returned it
    returned = mk(6, created_at=at(8, 1), dispatched_at=at(8, 1), deadline=at(8, 8), status="returned", return_count=1)
    CaseEvent.objects.create(case=returned, kind="return", from_status="dispatched", to_status="returned", unit=fgw,
                             note="不属于本单位职责")
    return cat


@pytest.mark.django_db
def test_case_rates_and_upheld_complaints(make_plan, office, units, cases, client_for):
    plan = make_plan(tree="none")
    svc.do_save_indicator(office, plan, code="1", name="按期处置率", weight=40, method="cases.on_time_rate")
    svc.do_save_indicator(office, plan, code="2", name="满意率", weight=30, method="cases.satisfaction",
                          params={"rule": "rate", "full_at": 1, "zero_at": 0})
    svc.do_save_indicator(office, plan, code="3", name="退单率", weight=30, method="cases.return_rate")
    svc.do_save_indicator(office, plan, code="4", name="效能投诉扣分", kind="deduct", method="cases.complaints_upheld",
                          params={"per": 2}, cap=5)
    c = {s.unit.name: {i.indicator.code: i for i in s.items} for s in scoring.compute(plan, as_of=AS_OF).units}
    fgw = c["市发展和改革委员会"]
    assert (fgw["1"].value, fgw["1"].rows) == (Decimal("0.5000"), 4)  # 1 & 5 on time, 2 late, 3 open past deadline
    assert (fgw["2"].value, fgw["2"].rows) == (Decimal("0.6667"), 3)
    # 退单率: 1 returned / (4 dispatched cases it holds + 1 returned); case 2's old return_count does not count
    assert (fgw["3"].value, fgw["3"].rows) == (Decimal("0.2000"), 5) and fgw["3"].points == 0
    assert c["市教育局"]["4"].value == 1 and c["市教育局"]["4"].points == -2
    run = svc.do_publish_run(office, svc.do_run_scores(office, plan, as_of=AS_OF))
    item = run.units.get(unit=units["edu"]).items.get(indicator__code="4")
    page = client_for("edu").get(f"/assessment/runs/{run.pk}/items/{item.pk}/rows/").content.decode()
    assert f"C{YEAR}00005" in page and "认定:属实" in page
    assert "张三丰" not in page and "13800000000" not in page
    item = run.units.get(unit=units["fgw"]).items.get(indicator__code="3")
    page = client_for("fgw").get(f"/assessment/runs/{run.pk}/items/{item.pk}/rows/").content.decode()
    assert f"C{YEAR}00006" in page and "退单" in page and "张三丰" not in page
