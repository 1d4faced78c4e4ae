"""明查暗访 findings deduct — only once their plan is published (an unannounced plan stays hidden)."""
from __future__ import annotations

import datetime as dt

import pytest

from luoshi.assessment import scoring
from luoshi.assessment import services as svc
from luoshi.inspections.models import Checklist, Finding, Plan

from .conftest import AS_OF, YEAR


@pytest.mark.django_db
def test_findings_deduct_only_after_publication(make_plan, office, units):
    plan = make_plan(tree="flat")
    svc.do_save_indicator(office, plan, code="2", name="明查暗访扣分", kind="deduct", method="inspections.findings",
                          cap=4)
    cl = Checklist.objects.create(name="窗口作风检查表")
    ip = Plan.objects.create(title="窗口作风暗访", mode="unannounced", checklist=cl, start_on=dt.date(YEAR, 5, 1),
                             end_on=dt.date(YEAR, 5, 10), created_by=office)
    Finding.objects.create(plan=ip, unit=units["edu"], description="窗口人员脱岗", severity="serious", created_by=office)
    Finding.objects.create(plan=ip, unit=units["edu"], description="未执行一次性告知", severity="minor", created_by=office)

    def edu_item():
        s = next(s for s in scoring.compute(plan, as_of=AS_OF).units if s.unit == units["edu"])
        return next(i for i in s.items if i.indicator.code == "2")

    assert edu_item().rows == 0 and edu_item().points == 0  # unpublished: invisible, no deduction
    Plan.objects.filter(pk=ip.pk).update(published=True, published_on=dt.date(YEAR, 6, 1))
    item = edu_item()
    assert (item.value, item.rows, item.points) == (3, 2, -3)
