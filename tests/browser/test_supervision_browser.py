"""Browser: a 督查员 sees a red task; the unit finds the notice in its inbox, answers it; the timeline
shows the answer; the notice PDF downloads and its Chinese text extracts."""
from __future__ import annotations

import datetime as dt
import io

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
# `browser` (session-wide headless Debian chromium) comes from tests/browser/conftest.py.


def session_for(browser, live_server, user):
    from django.test import Client

    c = Client()
    c.force_login(user)
    ctx = browser.new_context(accept_downloads=True, locale="zh-CN")
    ctx.set_default_timeout(15000)
    ctx.add_cookies([{"name": "sessionid", "value": c.cookies["sessionid"].value, "url": live_server.url}])
    return ctx


def test_red_task_notice_answer_timeline_pdf(browser, live_server, users, make_task, tmp_path):
    from pdfminer.high_level import extract_text

    from luoshi.ledger.models import Task
    from luoshi.ledger.services import do_assign_task
    from luoshi.supervision.models import SupervisionNotice
    from luoshi.supervision.sweep import run_sweep

    task = do_assign_task(users["supervisor"], make_task(title="推进城区排水管网改造", assign=False, deadline_working_days=20),
                          on=dt.date(2025, 2, 3))
    Task.objects.filter(pk=task.pk).update(deadline=dt.date(2025, 3, 14), progress=60)
    run_sweep(dt.date(2025, 3, 18))
    notice = SupervisionNotice.objects.get(task=task)

    sup = session_for(browser, live_server, users["supervisor"]).new_page()
    sup.goto(f"{live_server.url}/supervision/lights/")
    row = sup.locator("#light-list tr", has_text=task.number)
    assert "红灯" in row.inner_text()
    assert "推进城区排水管网改造" in row.inner_text()

    page = session_for(browser, live_server, users["fgw"]).new_page()
    page.goto(f"{live_server.url}/supervision/inbox/")
    page.locator("#inbox a", has_text=notice.number).first.click()
    page.wait_for_url(f"**/supervision/notices/{notice.pk}/")
    assert "红色督办单" in page.locator("#notice").inner_text()
    page.click("#ack-btn")
    page.wait_for_selector("#answer-form")
    page.fill("#answer-form textarea[name=answer]", "已召开专题会,3月底前完成管网改造收尾。")
    page.click("#answer-form button[type=submit]")
    page.wait_for_selector("#notice-answer")
    assert page.locator("#notice-state").inner_text().strip() == "已回复"

    page.goto(f"{live_server.url}/tasks/{task.pk}/")
    timeline = page.locator("#timeline").inner_text()
    assert notice.number in timeline
    assert "已召开专题会" in timeline

    page.goto(f"{live_server.url}/supervision/notices/{notice.pk}/")
    with page.expect_download() as info:
        page.click("#pdf-link")
    path = tmp_path / "notice.pdf"
    info.value.save_as(path)
    text = "".join(extract_text(io.BytesIO(path.read_bytes())).split())
    assert "红色督办单" in text and notice.number in text and "推进城区排水管网改造" in text
    assert "已召开专题会" in text   # the answer is printed on the notice
