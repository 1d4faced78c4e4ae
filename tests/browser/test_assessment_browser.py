"""Browser: a unit reports a figure with evidence → the office accepts it → scores are computed → published
→ the unit sees its score card (with the figure as the item's row) and appeals one item."""
from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def session_for(browser, live_server, user):
    from django.test import Client

    c = Client()
    c.force_login(user)
    ctx = browser.new_context(accept_downloads=True, locale="zh-CN", viewport={"width": 1280, "height": 900})
    ctx.set_default_timeout(15000)
    ctx.add_cookies([{"name": "sessionid", "value": c.cookies["sessionid"].value, "url": live_server.url}])
    return ctx


def test_report_accept_score_publish_card_appeal(browser, live_server, users, units, tmp_path):
    from luoshi.assessment import services as svc
    from luoshi.assessment.models import Appeal, ReportedFigure, ScoreRun

    office = users["supervisor"]
    plan = svc.do_save_plan(office, code="KH2025-SZ", name="2025年度市直部门绩效考核", period="2025",
                            group="city_dept")
    work = svc.do_save_indicator(office, plan, code="1", name="重点工作", weight=60)
    svc.do_save_indicator(office, plan, parent=work, code="1.1", name="督办事项按时办结率", weight=60,
                          method="ledger.on_time_rate")
    svc.do_save_indicator(office, plan, code="2", name="单位GDP能耗下降率", weight=40, method="reported",
                          params={"rule": "target", "target": 3.2})

    unit_page = session_for(browser, live_server, users["fgw"]).new_page()
    unit_page.goto(f"{live_server.url}/assessment/report/")
    row = unit_page.locator(".figure-row", has_text="单位GDP能耗下降率")
    row.locator("input[name=value]").fill("3.5")
    row.locator("input[name=note]").fill("市统计局核定数")
    evidence = tmp_path / "能耗核定表.pdf"
    evidence.write_bytes(b"%PDF-1.4\n% luoshi test evidence\n")
    row.locator("input[name=evidence]").set_input_files(str(evidence))
    row.locator("button[type=submit]").click()
    unit_page.wait_for_load_state()
    assert "待考核办审核" in unit_page.content()
    fig = ReportedFigure.objects.get()
    assert fig.evidence.name.endswith(".pdf") and fig.state == "submitted"

    off = session_for(browser, live_server, office).new_page()
    off.goto(f"{live_server.url}/assessment/review/")
    off.locator("#figures tr", has_text="市发展和改革委员会").locator("button[value=accept]").click()
    off.wait_for_load_state()
    assert ReportedFigure.objects.get().state == "accepted"
    off.goto(f"{live_server.url}/assessment/plans/{plan.pk}/")
    assert "指标权重校验通过" in off.content()
    off.fill("#run-form input[name=as_of]", "2026-01-01")
    off.click("#run-form button[type=submit]")
    off.wait_for_url("**/assessment/runs/*/")
    run = ScoreRun.objects.get()
    assert run.state == "draft"
    # before publication the unit cannot see it
    r = unit_page.goto(f"{live_server.url}/assessment/runs/{run.pk}/")
    assert r.status == 404
    off.click("#publish button")
    off.wait_for_load_state()
    assert "考核结果已发布" in off.content()
    off.screenshot(path=str(tmp_path / "ranking.png"), full_page=True)

    unit_page.goto(f"{live_server.url}/assessment/runs/{run.pk}/")
    assert unit_page.locator("#ranking-chart canvas").count() >= 1
    unit_page.locator("#ranking tr", has_text="市发展和改革委员会").locator("a", has_text="查看").click()
    unit_page.wait_for_url(f"**/assessment/runs/{run.pk}/units/*/")
    assert "100.00" in unit_page.locator("#card-summary").inner_text()
    item_row = unit_page.locator("#items tr[data-indicator='2']")
    item_row.locator("a", has_text="1条记录").click()
    unit_page.wait_for_url("**/rows/")
    assert "填报值 3.5" in unit_page.locator("#rows").inner_text()
    unit_page.go_back()
    item_row = unit_page.locator("#items tr[data-indicator='1.1']")
    item_row.locator("summary").click()
    item_row.locator("textarea[name=reason]").fill("有两项事项已按时办结,台账未及时更新")
    item_row.locator("button[type=submit]").click()
    unit_page.wait_for_load_state()
    assert "申诉已提交" in unit_page.content()
    assert "申诉处理中" in unit_page.locator("#items tr[data-indicator='1.1']").inner_text()
    unit_page.screenshot(path=str(tmp_path / "card.png"), full_page=True)
    appeal = Appeal.objects.get()
    assert appeal.unit == units["fgw"] and appeal.state == "pending"
