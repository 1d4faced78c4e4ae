"""A task's whole life in a real browser: 督查员 creates and assigns it with a
working-day deadline, the 市发改委 liaison signs, reports and asks to close it,
the 督查员 approves; the task page's timeline and audit record show every step."""
from __future__ import annotations

import datetime as dt
import re

import pytest

from luoshi.ledger import services as svc
from luoshi.ledger.models import Status, Task
from luoshi.workcal.services import current_calendar
from tests.browser.pages import login

pytestmark = pytest.mark.browser



def logout(page):
    page.click("header button:has-text('退出')")
    page.wait_for_url(re.compile(r".*/accounts/login/.*"))


def seed_ledger(users, make_task):
    """A few other tasks in different states so the ledger looks like a real one."""
    cal = current_calendar()
    today = svc.today()
    a = make_task(title="制定全市优化营商环境三年行动方案", lead=("fgw",), co=("edu",),
                  deadline=cal.add_working_days(today, 20))
    svc.do_sign_task(users["fgw"], a)
    svc.do_report_progress(users["fgw"], a, text="方案初稿已形成,正在征求意见", percent=45)
    make_task(title="推进义务教育优质均衡发展", lead=("edu",), deadline=cal.add_working_days(today, 2))
    b = make_task(title="完成老旧小区改造年度任务", lead=("jia",), co=("fgw",), deadline_working_days=30)
    # already past its deadline (逾期)
    Task.objects.filter(pk=b.pk).update(deadline=today - dt.timedelta(days=3), deadline_provisional=False)
    make_task(title="开展乡村人居环境整治", lead=("yi",), deadline_working_days=60, assign=False)


def test_task_lifecycle(live_server, page, users, units, make_task):
    base = live_server.url
    seed_ledger(users, make_task)

    # 督查员: 立项 with "5个工作日", assigned to 市发改委 at once
    login(page, base, "duchayuan")
    assert page.url.endswith("/ledger/")
    page.click("nav a:has-text('立项交办')")
    page.fill("#id_title", "建立重点项目并联审批机制")
    page.fill("#id_requirement", "压缩重点项目审批时限,实行并联审批、限时办结。")
    # the unit choosers are type-ahead boxes (an alias finds the unit; Enter chooses the first match)
    page.fill("#id_lead_units_search", "发改委")
    page.wait_for_selector("#id_lead_units_search ~ .up-list[data-q='发改委'] [role=option]:has-text('市发展和改革委员会')")
    page.keyboard.press("Enter")
    page.fill("#id_co_units_search", "教育")
    page.wait_for_selector("#id_co_units_search ~ .up-list[data-q='教育'] [role=option]:has-text('市教育局')")
    page.keyboard.press("Enter")
    page.fill("#id_responsible_leader", "周市长")
    page.check("input[name=deadline_mode][value=workdays]")
    page.fill("#id_deadline_working_days", "5")
    assert page.is_checked("#id_assign")
    page.click("button:has-text('保存')")
    page.wait_for_load_state()
    assert "立项成功" in page.inner_text(".messages")
    task = Task.objects.get(title="建立重点项目并联审批机制")
    assert task.status == Status.ASSIGNED
    assert task.deadline == current_calendar().add_working_days(task.assigned_on, 5)
    assert task.deadline.isoformat() in page.inner_text("dl.fields")
    logout(page)

    # 市发改委 联络员: 签收 from the workspace, 报送进展, 申请办结
    login(page, base, "fgw_liaison")
    assert page.url.endswith("/workspace/")
    to_sign = page.locator("#g-to_sign")
    assert "建立重点项目并联审批机制" in to_sign.inner_text()
    to_sign.locator("tr", has_text="建立重点项目并联审批机制").locator("button:has-text('签收')").click()
    page.wait_for_load_state()
    assert "签收成功" in page.inner_text(".messages")
    page.goto(f"{base}/tasks/{task.pk}/")
    page.fill("#report textarea[name=text]", "已制定并联审批工作规程,10个重点项目纳入试点。")
    page.fill("#report input[name=percent]", "80")
    page.fill("#report textarea[name=problems]", "部分部门系统尚未打通")
    page.fill("#report textarea[name=next_steps]", "推动数据共享,全面推开")
    page.click("#report button:has-text('报送进展')")
    page.wait_for_load_state()
    assert "报送进展成功" in page.inner_text(".messages")
    page.click("summary:has-text('申请办结')")
    page.fill("form[action$='/request_completion/'] textarea[name=note]", "各项工作已落实到位")
    page.click("form[action$='/request_completion/'] button")
    page.wait_for_load_state()
    assert "申请办结成功" in page.inner_text(".messages")
    assert "申请办结" in page.inner_text(".headline")
    logout(page)

    # 督查员: 审核通过, 办结
    login(page, base, "duchayuan")
    page.goto(f"{base}/tasks/{task.pk}/")
    page.fill("form[action$='/approve/'] textarea[name=note]", "经核实,同意办结销号")
    page.click("form[action$='/approve/'] button")
    page.wait_for_load_state()
    assert "审核办结成功" in page.inner_text(".messages")
    task.refresh_from_db()
    assert task.status == Status.CLOSED and task.progress == 100

    timeline = page.inner_text("#timeline")
    steps = ["立项", "交办", "签收", "报送进展", "申请办结", "审核通过,办结"]
    positions = [timeline.index(s) for s in steps]
    assert positions == sorted(positions), timeline
    for text in ("张督查", "李联络", "市发展和改革委员会", "已制定并联审批工作规程", "各项工作已落实到位",
                 "经核实,同意办结销号", "申请办结 → 办结"):
        assert text in timeline, text
    audit = page.inner_text("#audit")
    for text in ("立项", "交办", "签收", "新增进展报告", "报送进展80%", "申请办结", "审核通过(办结)", "办结销号"):
        assert text in audit, text
    assert "已办结" in page.inner_text(".headline") or "办结" in page.inner_text(".headline")
    # README's task.png and ledger.png come from the demo data: scripts/screenshots.py
