"""In a real browser: a citizen reports through /public/report/ (captcha, photo) → the 派遣员 dispatches →
the unit signs, handles and replies → the citizen checks the status and rates it; and a complaint
against 市发改委 whose complainant stays invisible to the 市发改委 liaison."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from luoshi.cases.models import Case
from tests.browser.pages import login

from .conftest import jpeg_bytes

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def _captcha(page):
    from captcha.models import CaptchaStore

    key = page.get_attribute("input[name=captcha_0]", "value")
    return CaptchaStore.objects.get(hashkey=key).response     # what a person reads off the image


def _report(page, base, tmp_path, **fields):
    page.goto(f"{base}/public/report/")
    for name, value in fields.items():
        if name in ("kind", "category"):
            page.select_option(f"select[name={name}]", value)
        elif name == "photo":
            p = tmp_path / "photo.jpg"
            p.write_bytes(jpeg_bytes())
            page.set_input_files("input[name=photos]", str(p))
        else:
            page.fill(f"[name={name}]", value)
    page.fill("input[name=captcha_1]", _captcha(page))
    page.click("form.public-form button[type=submit]")
    page.wait_for_selector("#case-number")
    return page.inner_text("#case-number"), page.inner_text("#query-code")


def _step(page, base, case_id, action, **fields):
    page.goto(f"{base}/cases/{case_id}/")
    page.select_option("form.case-action select[name=action]", action)
    for name, value in fields.items():
        page.fill(f"form.case-action [name={name}]", value)
    page.click("form.case-action button[type=submit]")
    page.wait_for_load_state()
    assert page.locator(".msg-error").count() == 0, page.inner_text("main")


def _logout(page):
    page.click("header button:has-text('退出')")
    page.wait_for_load_state()


def test_citizen_report_to_rating_and_hidden_complainant(page, live_server, cats, routing, office, users, tmp_path):
    base = live_server.url
    page.set_viewport_size({"width": 390, "height": 844})            # a phone
    number, code = _report(page, base, tmp_path, category="CG-ROAD", description="人民路100号路面塌陷,电动车摔倒",
                           address="甲区人民路100号", reporter_name="王小明", reporter_phone="13612345678",
                           photo=True)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "cases-public-done.png"))
    case = Case.objects.get(number=number)
    assert case.photos.count() == 1
    page.set_viewport_size({"width": 1366, "height": 900})
    login(page, base, "paiqian")
    _step(page, base, case.pk, "dispatch")
    _logout(page)
    login(page, base, users["dong"].username)
    _step(page, base, case.pk, "sign")
    _step(page, base, case.pk, "handle", note="已设置围挡并安排修补")
    _step(page, base, case.pk, "reply", reply="塌陷路面已修补完成")
    body = page.inner_text("main")
    assert "王小明" not in body and "13612345678" not in body and "(已隐去)" in body
    _logout(page)
    page.goto(f"{base}/public/case/")
    page.fill("input[name=number]", number)
    page.fill("input[name=code]", code)
    page.click("form.public-form button[type=submit]")
    page.wait_for_selector("#case-status")
    assert "塌陷路面已修补完成" in page.inner_text("#case-reply")
    page.check("input[value=satisfied]")
    page.fill("textarea[name=comment]", "处理及时")
    page.click("form.public-form button[type=submit]")
    page.wait_for_selector(".msg-success")
    page.screenshot(path=str(SHOTS / "cases-public-rated.png"))
    case.refresh_from_db()
    assert case.rating == "satisfied" and case.status == "visited"

    # A complaint against 市发改委: the complainant never shows to its liaison.
    number2, _ = _report(page, base, tmp_path, kind="complaint", category="XN-SLOW", subject_unit="市发改委",
                         description="发改委窗口办理项目备案拖延一个月", address="市民中心",
                         reporter_name="陈秘密", reporter_phone="13988887777")
    complaint = Case.objects.get(number=number2)
    login(page, base, "paiqian")
    _step(page, base, complaint.pk, "dispatch")                       # routed to 督查室 (效能办), never 发改委
    assert "陈秘密" in page.inner_text("main")                          # the office sees who complained
    _logout(page)
    login(page, base, users["fgw"].username)
    for url in (f"{base}/cases/", f"{base}/cases/{complaint.pk}/"):
        page.goto(url)
        text = page.content()
        assert "陈秘密" not in text and "13988887777" not in text
    assert "发改委窗口办理项目备案拖延" in page.inner_text("main")
    page.screenshot(path=str(SHOTS / "cases-complaint-fgw.png"), full_page=True)
