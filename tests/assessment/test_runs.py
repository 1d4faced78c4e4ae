"""Runs: publication freezes a result; appeals within the window re-rank it; the CLI prints both."""
from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command

from luoshi.assessment import services as svc
from luoshi.assessment.models import Appeal, ScoreRun
from luoshi.audit.models import AuditEntry
from luoshi.core.errors import LuoshiError, NotAllowed

from .conftest import AS_OF, YEAR

D = dt.date


def assess(*args) -> str:
    out = io.StringIO()
    call_command("assess", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def published(make_plan, units, office, accepted_figure):
    plan = make_plan()
    accepted_figure(plan.ind["energy"], units["fgw"], "3")
    accepted_figure(plan.ind["energy"], units["edu"], "1.5")
    run = svc.do_run_scores(office, plan, as_of=AS_OF)
    return svc.do_publish_run(office, run, on=D(YEAR + 1, 1, 10))


@pytest.mark.django_db
def test_cli_plans_and_score_json(make_plan, units, accepted_figure):
    plan = make_plan()
    make_plan(code="KH-COUNTY", group="county")
    plans = json.loads(assess("plans", "--json"))
    assert [(p["code"], p["period"], p["group"]) for p in plans] == [("KH-CITY", "2025", "city_dept"),
                                                                      ("KH-COUNTY", "2025", "county")]
    accepted_figure(plan.ind["energy"], units["fgw"], "3")
    data = json.loads(assess("score", "KH-CITY", "--as-of", str(AS_OF), "--json"))
    assert data["plan"] == "KH-CITY" and data["period"] == "2025" and not data["published"]
    assert [u["unit"] for u in data["units"]][0] == "市发展和改革委员会"
    first = data["units"][0]
    assert set(first) >= {"unit", "total", "rank", "grade", "items"}
    assert set(first["items"][0]) >= {"indicator", "method", "value", "points", "weight", "rows"}
    assert first["total"] == 90.0
    q = json.loads(assess("score", "KH-CITY", "--period", "2025-Q1", "--as-of", str(AS_OF), "--json"))
    assert q["period"] == "2025-Q1"
    with pytest.raises(Exception, match="not a year"):
        assess("score", "KH-CITY", "--period", "2025-Q9")


@pytest.mark.django_db
def test_a_published_result_stays_frozen_while_data_move_on(published, units, office, accepted_figure):
    plan = published.plan
    before = json.loads(assess("score", plan.code, "--json"))
    assert before["published"] and before["run"] == published.pk
    # new data after publication: a better figure for 市教育局
    accepted_figure(plan.indicators.get(code="2.1"), units["edu"], "3")
    after = json.loads(assess("score", plan.code, "--json"))
    assert after["units"] == before["units"]
    live = json.loads(assess("score", plan.code, "--live", "--as-of", str(AS_OF), "--json"))
    edu_live = next(u for u in live["units"] if u["unit"] == "市教育局")
    edu_frozen = next(u for u in before["units"] if u["unit"] == "市教育局")
    assert edu_live["total"] == edu_frozen["total"] + 15


@pytest.mark.django_db
def test_appeal_after_publication_is_decided_audited_and_re_ranks(published, users, office):
    edu = published.units.get(unit__name="市教育局")
    fgw = published.units.get(unit__name="市发展和改革委员会")
    assert (fgw.rank, edu.rank) == (1, 2)
    item = edu.items.get(indicator__code="2.1")
    assert item.points == 15
    with pytest.raises(NotAllowed):
        svc.do_submit_appeal(users["fgw"], item, "不是本单位")
    with pytest.raises(LuoshiError, match="window"):
        svc.do_submit_appeal(users["edu"], item, "数据有误", on=published.appeal_until + dt.timedelta(days=1))
    appeal = svc.do_submit_appeal(users["edu"], item, "统计局复核后能耗下降率为3.1%", on=published.appeal_until)
    with pytest.raises(NotAllowed):
        svc.do_decide_appeal(users["edu"], appeal, uphold=True, note="x", new_points=30)
    with pytest.raises(LuoshiError):
        svc.do_decide_appeal(office, appeal, uphold=True, note="超出分值", new_points=31)
    svc.do_decide_appeal(office, appeal, uphold=True, note="经复核,数据有误,予以更正", new_points=30)
    edu.refresh_from_db()
    fgw.refresh_from_db()
    item.refresh_from_db()
    assert item.points == 30 and item.points_before_appeal == 15
    assert edu.total == fgw.total == 90
    assert edu.rank == 1 and fgw.rank == 1  # now tied; the unit tree order breaks the tie in the list
    assert (fgw.position, edu.position) == (1, 2)
    entry = AuditEntry.objects.filter(action="assessment.appeal.uphold").get()
    assert Decimal(str(entry.before["points"])) == 15 and Decimal(str(entry.after["total"])) == 90
    assert entry.after["rank"] == 1
    assert Appeal.objects.get().state == Appeal.State.UPHELD
    from luoshi.notifications.models import Notification

    assert Notification.objects.filter(user=users["edu"], kind="assessment.published").count() == 1
    assert Notification.objects.filter(user=users["edu"], kind="assessment.appeal", title__contains="成立").exists()
    assert not Notification.objects.filter(user=users["fgw"], kind="assessment.appeal").exists()
    # the CLI shows the appealed, frozen result
    data = json.loads(assess("score", published.plan.code, "--json"))
    assert next(u for u in data["units"] if u["unit"] == "市教育局")["total"] == 90.0


@pytest.mark.django_db
def test_republishing_withdraws_the_old_run(published, office):
    run2 = svc.do_run_scores(office, published.plan, as_of=AS_OF)
    svc.do_publish_run(office, run2)
    published.refresh_from_db()
    assert published.state == ScoreRun.State.WITHDRAWN
    assert svc.published_run(published.plan) == run2
    with pytest.raises(LuoshiError):
        svc.do_publish_run(office, run2)
