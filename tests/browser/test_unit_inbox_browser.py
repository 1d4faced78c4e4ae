"""Issue 9 in a real browser: the 督查员 退回 a completion request and writes a 领导批示; the 市发改委
liaison sees the unread count in the navigation, the messages in the inbox, and on the workspace the
open 督办单 addressed to the unit next to its tasks, while 市教育局 sees it only as 供参阅. The 督查员
corrects the task on its edit page and the task page shows who changed what."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from luoshi.ledger import services as svc
from luoshi.supervision.notices import do_issue_notice
from tests.browser.pages import login

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def shot(page, name):
    if os.environ.get("LUOSHI_SCREENSHOTS"):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / name), full_page=True)


def test_unit_hears_of_return_and_instruction_and_sees_its_notices(page, live_server, users, units, make_task):
    base = live_server.url
    task = make_task(title="推进城区排水管网改造", co=("edu",))
    other = make_task(title="制定优化营商环境行动方案", lead=("fgw",))
    svc.do_sign_task(users["fgw"], task)
    svc.do_report_progress(users["fgw"], task, text="主体工程完工", percent=100)
    svc.do_request_completion(users["fgw"], task, note="已完成")
    svc.do_return_task(users["supervisor"], task, "缺少竣工验收报告,请补充后再申请办结")
    svc.do_add_instruction(users["leader"], task, "汛期前务必全部完工")
    notice = do_issue_notice(users["supervisor"], other, light="yellow", reason="进度滞后于序时进度")
    notice.copy_units.add(units["edu"])

    login(page, base, users["fgw"].username)
    page.goto(f"{base}/workspace/")
    badge = page.locator("nav .nav-unread")
    assert int(badge.inner_text()) >= 4  # two 交办, the 退回, the 批示, the 督办单
    todo = page.locator("#s-notices")
    assert notice.number in todo.inner_text() and "待回复" in todo.inner_text()
    shot(page, "workspace.png")
    page.click("nav a:has-text('消息')")
    body = page.locator("main").inner_text()
    assert "【办结申请被退回】" in body and "【领导批示】" in body and "【新交办】" in body

    page.context.clear_cookies()
    login(page, base, users["edu"].username)
    page.goto(f"{base}/workspace/")
    assert notice.number not in page.locator("#s-notices").inner_text()
    assert notice.number in page.locator("#s-notices-cc").inner_text()
    assert "供参阅" in page.locator("#s-notices-cc").inner_text()

    page.context.clear_cookies()
    login(page, base, users["supervisor"].username)
    page.goto(f"{base}/tasks/{task.pk}/")
    page.click("a:has-text('编辑任务')")
    page.fill("#id_title", "推进城区排水管网改造(一期)")
    page.fill("#id_responsible_leader", "分管副市长 刘卫东")
    shot(page, "task-edit.png")
    page.click("button:has-text('保存')")
    page.wait_for_load_state()
    audit = page.locator("#audit").inner_text()
    assert "张督查" in audit and "工作任务" in audit and "责任领导" in audit
    assert "推进城区排水管网改造(一期)" in page.locator("h1").inner_text()
