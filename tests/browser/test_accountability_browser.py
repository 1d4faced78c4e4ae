"""Browser: a red task climbs its escalation ladder to 约谈/问责建议 → the proposal is there for the
accountability officer (纪检/组织), who adds the person responsible and decides with a document number →
the unit's assessment total drops by the measure's deduction; the unit's liaison sees only that a
proposal concerns its task."""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from tests.conftest import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def session_for(browser, live_server, user):
    from django.test import Client

    c = Client()
    c.force_login(user)
    ctx = browser.new_context(locale="zh-CN")
    ctx.set_default_timeout(15000)
    ctx.add_cookies([{"name": "sessionid", "value": c.cookies["sessionid"].value, "url": live_server.url}])
    return ctx


def fgw_total(page, base, plan_pk) -> Decimal:
    page.goto(f"{base}/assessment/plans/{plan_pk}/")
    page.click("#run-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/assessment/runs/\d+/$"))
    row = page.locator("#ranking tr", has_text="市发展和改革委员会")
    return Decimal(row.locator("td").nth(2).inner_text().strip())


def test_red_task_to_decision_lowers_the_units_score(browser, live_server, users, units, make_task, tmp_path):
    from luoshi.accountability.models import Proposal
    from luoshi.assessment import services as asvc
    from luoshi.ledger.models import Task
    from luoshi.ledger.services import do_assign_task
    from luoshi.supervision.escalation import do_save_policy
    from luoshi.supervision.sweep import run_sweep

    sup = users["supervisor"]
    officer = make_user("jijian", "discipline", units["city"], display_name="纪检员")
    plan = asvc.do_save_plan(sup, code="KH-FGW", name="市直部门年度考核", period=str(dt.date.today().year),
                             group="city_dept")
    asvc.do_save_indicator(sup, plan, code="1", name="按时办结率", weight=100, method="ledger.on_time_rate")
    asvc.do_save_indicator(sup, plan, code="2", name="问责扣分", weight=0, method="accountability.deductions",
                           kind="deduct", params={"per": 1}, cap=10)
    do_save_policy(sup, name="重点项目", tag="重点项目",
                   steps=[{"kind": "urge", "after_days": 0}, {"kind": "interview", "after_days": 1}])
    task = do_assign_task(sup, make_task(title="推进重大项目前期工作", tags=["重点项目"], assign=False, deadline_working_days=20),
                          on=dt.date(2025, 2, 3))
    Task.objects.filter(pk=task.pk).update(deadline=dt.date(2025, 3, 14), progress=60)
    run_sweep(dt.date(2025, 3, 17))   # red: 催办
    run_sweep(dt.date(2025, 3, 18))   # one working day later: 约谈/问责建议
    proposal = Proposal.objects.get(task=task)

    office = session_for(browser, live_server, sup).new_page()
    before = fgw_total(office, live_server.url, plan.pk)

    page = session_for(browser, live_server, officer).new_page()
    page.goto(f"{live_server.url}/accountability/")
    page.locator("#proposals a", has_text=proposal.number).click()
    page.wait_for_url(f"**/accountability/{proposal.pk}/")
    assert "逾期升级至约谈/问责建议" in page.inner_text("#proposal")
    assert task.number in page.inner_text("#proposal")
    page.fill("#f-name", "王五")
    page.fill("#f-post", "重大项目科科长")
    page.select_option("#f-resp", "direct")
    page.select_option("#f-measure", "criticism")
    page.click("#add-person button[type=submit]")
    page.wait_for_selector("#people td:has-text('王五')")
    page.fill("#f-docno", "市纪〔2026〕21号")
    page.click("#decide button[type=submit]")
    page.wait_for_selector(".msg-success")
    assert "已决定" in page.inner_text(".headline")
    assert "通报批评" in page.inner_text("#people")
    page.screenshot(path=str(tmp_path / "decided.png"), full_page=True)

    after = fgw_total(office, live_server.url, plan.pk)
    assert before - after == Decimal("2.00"), (before, after)  # 通报批评 costs the unit 2 points

    liaison = session_for(browser, live_server, users["fgw"]).new_page()
    liaison.goto(f"{live_server.url}/accountability/{proposal.pk}/")
    text = liaison.inner_text("main")
    assert proposal.number in text and "已决定" in text
    assert "王五" not in text and "通报批评" not in text and "市纪〔2026〕21号" not in text
