"""Issue 9, "Supervision that reads right", in a real browser: a district 领导 opens 督查督办 and gets the
overview of their own district — lights, 督办单 awaiting an answer, this week's deadlines, 本月按时办结率 —
and, from the red tile, the red/yellow list of their scope with today's 已逾期N个工作日."""
from __future__ import annotations

import datetime as dt
import re

import pytest

from luoshi.ledger.models import Task
from luoshi.supervision.sweep import run_sweep
from luoshi.workcal.services import current_calendar
from tests.browser.pages import login

pytestmark = pytest.mark.browser


def test_district_leader_overview_and_red_list(live_server, page, users, make_task):
    today = dt.date.today()
    cal = current_calendar()
    mine = make_task(title="甲区老旧小区改造", lead=("jia",), deadline=today + dt.timedelta(days=30))
    other = make_task(title="市级重点项目并联审批", lead=("fgw",), deadline=today + dt.timedelta(days=30))
    Task.objects.filter(pk__in=[mine.pk, other.pk]).update(assigned_on=today - dt.timedelta(days=60),
                                                          deadline=today - dt.timedelta(days=14))
    run_sweep(today)
    late = cal.working_days_between(today - dt.timedelta(days=14), today)

    base = live_server.url
    login(page, base, "jia_leader")
    page.click("nav.mainnav a:has-text('督查督办')")
    page.wait_for_url(re.compile(r".*/supervision/$"))
    assert page.inner_text("h1") == "督办总览"
    assert "辖区" in page.inner_text(".pagehead")
    red_tile = page.locator(".tile-red")
    assert red_tile.locator(".tile-n").inner_text() == "1"          # 甲区's only; not 市发改委's
    reds = page.inner_text("#ov-reds")
    assert mine.number in reds and other.number not in reds and f"已逾期{late}个工作日" in reds
    assert mine.number in page.inner_text("#ov-awaiting")          # its red 督办单 awaits an answer
    assert "本月按时办结率" in page.inner_text("#ov-rate")
    assert other.title not in page.content()

    red_tile.click()
    page.wait_for_url(re.compile(r".*/supervision/lights/\?light=red$"))
    rows = page.inner_text("#light-list")
    assert mine.number in rows and other.number not in rows and f"已逾期{late}个工作日" in rows
    assert "签发督办单" not in rows                                   # a 领导 reads; the office issues
