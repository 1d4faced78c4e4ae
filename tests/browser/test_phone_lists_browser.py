"""At phone width (375 px) the wide lists (台账, 督办单, 红黄灯事项) scroll inside their table; the page
itself never scrolls sideways (nor does the top bar with a long unit name)."""
from __future__ import annotations

import datetime as dt

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_wide_lists_scroll_inside_the_table_at_375px(browser, live_server, users, make_task):
    from django.test import Client

    from luoshi.supervision.notices import do_issue_notice

    for i in range(3):
        task = make_task(title=f"推进政务服务“一网通办”事项清单第{i}批次梳理和上线工作", lead=("fgw",), co=("edu",),
                         deadline=dt.date.today() + dt.timedelta(days=30))
    do_issue_notice(users["supervisor"], task, light="yellow", reason="进度滞后", required_action="加快推进")
    sup = users["supervisor"]
    sup.unit.name = "临江市机关效能建设工作领导小组办公室"  # a long name, as real ones are
    sup.unit.save(update_fields=["name"])
    sup.first_name = "张建国(督查员)"
    sup.save(update_fields=["first_name"])
    c = Client()
    c.force_login(sup)
    ctx = browser.new_context(locale="zh-CN", viewport={"width": 375, "height": 740})
    ctx.add_cookies([{"name": "sessionid", "value": c.cookies["sessionid"].value, "url": live_server.url}])
    page = ctx.new_page()
    for path in ("/ledger/", "/supervision/notices/", "/supervision/"):
        page.goto(live_server.url + path)
        table = page.locator("table.grid").first
        assert table.is_visible()
        page_width = page.evaluate("document.documentElement.scrollWidth")
        assert page_width <= 375, f"{path} scrolls sideways at 375 px ({page_width}px)"
        # the table keeps its columns and scrolls within itself
        inner = table.evaluate("t => [t.scrollWidth, t.clientWidth]")
        assert inner[0] > inner[1], f"{path}: the table was squeezed instead of scrolling ({inner})"
    # forms: a size="60" box (信访事由) or a long 任务来源 option must not widen the page either
    from luoshi.ledger.services import do_create_source

    do_create_source(sup, kind="meeting", title="关于深化政务服务“限时办结”制度和“一网通办”改革的实施方案(征求意见稿)",
                     date=dt.date.today())
    for path in ("/tasks/new/", "/petitions/new/", "/inspections/plans/new/"):
        assert page.goto(live_server.url + path).status == 200, path
        page_width = page.evaluate("document.documentElement.scrollWidth")
        assert page_width <= 375, f"{path} scrolls sideways at 375 px ({page_width}px)"
    ctx.close()
