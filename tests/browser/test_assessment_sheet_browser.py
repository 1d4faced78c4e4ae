"""Browser: a 考核专家 logs in, lands on their score sheets, fills the grid, submits; the sheet locks and the
scores count in the plan's expert item."""
from __future__ import annotations

import os

import pytest

from .test_assessment_browser import session_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_expert_fills_and_submits_their_sheet(browser, live_server, users, units):
    from luoshi.accounts.models import Role, User
    from luoshi.assessment import scoring
    from luoshi.assessment import services as svc
    from luoshi.assessment.models import ScoreSheet

    office = users["supervisor"]
    plan = svc.do_save_plan(office, code="KH2025-ZJ", name="2025年度市直部门专家评议", period="2025", group="city_dept")
    a = svc.do_save_indicator(office, plan, code="1", name="工作实绩", weight=60, method="expert",
                              description="对照年度重点工作完成情况评分")
    b = svc.do_save_indicator(office, plan, code="2", name="创新举措", weight=40, method="expert")
    expert = User.objects.create_user(username="liu_expert", password="pw-liu-2026", role=Role.EXPERT,
                                      display_name="刘评委")
    sheet = svc.do_assign_sheet(office, plan, expert, [units["fgw"], units["edu"]])

    page = session_for(browser, live_server, expert).new_page()
    page.goto(f"{live_server.url}/")
    assert page.url.endswith("/assessment/sheets/")
    page.locator("#sheets a", has_text="填写").click()
    page.wait_for_load_state()
    for ind, score in ((a, "86"), (b, "78")):
        for u in (units["fgw"], units["edu"]):
            page.locator(f"input[name=s_{ind.pk}_{u.pk}]").fill(score)
    page.locator(f"input[name=n_{a.pk}_{units['fgw'].pk}]").fill("重点项目推进有力")
    shots = os.environ.get("LUOSHI_SCREENSHOTS")
    if shots:
        page.screenshot(path=os.path.join(shots, "assessment_sheet.png"), full_page=True)
    page.locator("button[name=submit][value='1']").click()
    page.wait_for_load_state()
    assert "评分表已提交" in page.content() and page.locator("#sheet-state").inner_text() == "已提交"
    assert page.locator("input[name^=s_]").count() == 0
    assert ScoreSheet.objects.get(pk=sheet.pk).state == "submitted"
    fgw = next(s for s in scoring.compute(plan).units if s.unit == units["fgw"])
    assert [str(i.value) for i in fgw.items] == ["86.0000", "78.0000"]
