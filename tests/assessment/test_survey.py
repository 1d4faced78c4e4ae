"""群众评议: one-time codes, an open link with a rate limit, anonymous answers, the mean per unit."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from luoshi.assessment import scoring
from luoshi.assessment import services as svc
from luoshi.assessment.models import SurveyCode, SurveyResponse

from .conftest import AS_OF, text

TODAY = dt.date.today()


def _survey(plan, office, mode, codes=0):
    return svc.do_create_survey(office, plan.ind["survey"], title="2025年度市直部门群众满意度评议", mode=mode,
                                questions=[{"text": "办事效率"}, {"text": "服务态度"}],
                                opens_on=TODAY - dt.timedelta(days=1), closes_on=TODAY + dt.timedelta(days=9),
                                codes_per_unit=codes)


@pytest.mark.django_db
def test_open_link_on_a_phone_is_anonymous_and_rate_limited(make_plan, office, units):
    plan = make_plan()
    s = _survey(plan, office, "open")
    link = s.links.get(unit=units["edu"])
    c = Client(REMOTE_ADDR="10.1.2.3", HTTP_USER_AGENT="Mozilla/5.0 (iPhone)")
    page = text(c.get(f"/public/survey/{link.token}/"))
    assert "市教育局" in page and 'name="viewport"' in page and "匿名评议" in page
    for answers in ({"q0": "0", "q1": "0"}, {"q0": "0", "q1": "1"}, {"q0": "2", "q1": "2"}):
        assert "提交成功" in text(c.post(f"/public/survey/{link.token}/", answers))
    r = c.post(f"/public/survey/{link.token}/", {"q0": "0", "q1": "0"})
    assert r.status_code == 429 and "明天" in text(r)
    other = Client(REMOTE_ADDR="10.9.9.9")
    assert other.post(f"/public/survey/{link.token}/", {"q0": "9", "q1": "0"}).status_code == 400
    assert other.post(f"/public/survey/{link.token}/", {"q0": "1", "q1": "1"}).status_code == 200
    rows = list(SurveyResponse.objects.order_by("id"))
    assert len(rows) == 4 and all("10." not in r.client_hash for r in rows)
    c2 = scoring.compute(plan, as_of=AS_OF)
    edu = next(s for s in c2.units if s.unit.name == "市教育局")
    item = next(i for i in edu.items if i.indicator.code == "3")
    assert item.rows == 4 and item.value == Decimal("60.0000")  # (100 + 80 + 0 + 60) / 4
    assert item.points == Decimal("6.00")


@pytest.mark.django_db
def test_one_time_codes(make_plan, office, units):
    plan = make_plan()
    s = _survey(plan, office, "codes", codes=2)
    link = s.links.get(unit=units["fgw"])
    code = SurveyCode.objects.filter(link=link).first().code
    c = Client(REMOTE_ADDR="10.0.0.1")
    assert c.post(f"/public/survey/{link.token}/", {"q0": "0", "q1": "0", "code": "WRONG"}).status_code == 400
    assert "提交成功" in text(c.post(f"/public/survey/{link.token}/", {"q0": "0", "q1": "0", "code": code.lower()}))
    r = c.post(f"/public/survey/{link.token}/", {"q0": "0", "q1": "0", "code": code})
    assert r.status_code == 400 and "已使用" in text(r)
    # a code of another unit's link does not work here
    other = SurveyCode.objects.exclude(link=link).first().code
    assert c.post(f"/public/survey/{link.token}/", {"q0": "0", "q1": "0", "code": other}).status_code == 400
    assert SurveyResponse.objects.count() == 1


@pytest.mark.django_db
def test_closed_survey_takes_no_answers(make_plan, office, units):
    plan = make_plan()
    s = svc.do_create_survey(office, plan.ind["survey"], title="已结束的评议", questions=[{"text": "满意吗"}],
                             opens_on=TODAY - dt.timedelta(days=30), closes_on=TODAY - dt.timedelta(days=1))
    link = s.links.first()
    r = Client().post(f"/public/survey/{link.token}/", {"q0": "0"})
    assert "不在开放时间内" in text(r) and not SurveyResponse.objects.exists()
