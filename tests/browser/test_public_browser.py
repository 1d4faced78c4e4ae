"""Browser: the citizen portal passes axe-core's WCAG 2.1 AA rules on every page, works with the keyboard
(skip link, every link reachable by Tab with a visible focus) and fits a phone screen without sideways
scrolling — the portal's own pages and the case engine's citizen pages (report form, receipt, lookup,
case status, lookup error). axe-core is vendored (tests/browser/vendor/axe.min.js) and injected by
Playwright."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.public.conftest import city  # noqa: F401  (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def pages_of(city):
    from luoshi.assessment.models import ScoreRun

    run = ScoreRun.objects.get(state="published")
    return ["/public/", "/public/listed/", "/public/tasks/", f"/public/tasks/{city['public'].pk}/",
            "/public/tasks/?kind=commitment", "/public/bulletins/", f"/public/bulletins/{city['bulletin'].pk}/",
            "/public/assessment/", f"/public/assessment/{run.pk}/", "/public/cases/"]


def axe_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS)
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
             "nodes": [n["target"] for n in v["nodes"]][:5]} for v in result["violations"]]


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, {"width": 375, "height": 740}], ids=["1280", "375"])
def test_every_public_page_passes_axe_and_fits(browser, live_server, city, viewport, tmp_path):
    ctx = browser.new_context(locale="zh-CN", viewport=viewport, bypass_csp=True)  # to inject axe-core
    ctx.set_default_timeout(15000)
    page = ctx.new_page()
    try:
        page.set_content('<html><body><img src="x.png"><a href="#"></a></body></html>')  # the checker works
        assert {"image-alt", "html-has-lang"} <= {v["id"] for v in axe_violations(page)}
        for path in pages_of(city):
            page.goto(live_server.url + path)
            check_page(page, path, viewport)
        page.goto(live_server.url + f"/public/assessment/")
        page.screenshot(path=str(tmp_path / f"public_{viewport['width']}.png"), full_page=True)
    finally:
        ctx.close()


def check_page(page, path, viewport):
    """axe (WCAG 2.1 A/AA) finds nothing and the page does not scroll sideways."""
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert page.title()
    violations = axe_violations(page)
    assert violations == [], f"{path}: {json.dumps(violations, ensure_ascii=False, indent=1)}"
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, f"{path} scrolls sideways by {overflow}px at {viewport['width']}px"


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, {"width": 375, "height": 740}], ids=["1280", "375"])
def test_case_pages_pass_axe_and_fit(browser, live_server, city, viewport, tmp_path):
    """The citizen pages of the case engine (/public/report/, /public/case/) in every state a citizen meets."""
    from captcha.models import CaptchaStore

    ctx = browser.new_context(locale="zh-CN", viewport=viewport, bypass_csp=True)
    ctx.set_default_timeout(15000)
    page = ctx.new_page()
    base = live_server.url
    try:
        page.goto(base + "/public/report/")
        check_page(page, "/public/report/", viewport)
        page.select_option("select[name=category]", value="CG-ROAD")
        page.fill("[name=description]", "人行道地砖松动,雨天积水。")
        page.fill("[name=address]", "滨江路与解放路口")
        key = page.get_attribute("input[name=captcha_0]", "value")
        page.fill("input[name=captcha_1]", CaptchaStore.objects.get(hashkey=key).response)
        page.click("form.public-form button[type=submit]")
        page.wait_for_selector("#case-number")
        check_page(page, "/public/report/ (receipt)", viewport)
        number, code = page.inner_text("#case-number"), page.inner_text("#query-code")
        page.goto(base + "/public/case/")
        check_page(page, "/public/case/", viewport)
        page.fill("input[name=number]", number)
        page.fill("input[name=code]", code)
        page.click("form.public-form button[type=submit]")
        page.wait_for_selector("#case-status")
        check_page(page, "/public/case/ (status)", viewport)
        page.goto(base + "/public/case/")
        page.fill("input[name=number]", number)
        page.fill("input[name=code]", "WRONGCODE1")
        page.click("form.public-form button[type=submit]")
        page.wait_for_selector("[role=alert]")
        check_page(page, "/public/case/ (error)", viewport)
        page.screenshot(path=str(tmp_path / f"public_case_{viewport['width']}.png"), full_page=True)
    finally:
        ctx.close()


def test_keyboard_only(browser, live_server, city):
    ctx = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    ctx.set_default_timeout(15000)
    page = ctx.new_page()
    try:
        page.goto(live_server.url + "/public/")
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.textContent.trim()")
        assert focused == "跳到正文"
        assert page.evaluate("document.activeElement.getBoundingClientRect().left") >= 0  # visible when focused
        page.keyboard.press("Enter")
        assert page.evaluate("location.hash") == "#main"
        # Tab reaches every link of the page, each with a visible focus outline
        links = page.evaluate("Array.from(document.querySelectorAll('a[href]')).length")
        reached = set()
        for _ in range(links + 3):
            page.keyboard.press("Tab")
            info = page.evaluate("""() => { const e = document.activeElement;
                return [e.tagName, e.getAttribute('href'), getComputedStyle(e).outlineStyle]; }""")
            if info[0] == "A":
                reached.add(info[1])
                assert info[2] != "none", f"no visible focus on {info[1]}"
        assert "/public/listed/" in reached and "/public/bulletins/" in reached and "/public/assessment/" in reached
        # follow a link with the keyboard alone
        page.focus("a[href='/public/tasks/']")
        page.keyboard.press("Enter")
        page.wait_for_url("**/public/tasks/")
        assert "新建城区公办幼儿园5所" in page.inner_text("main")
    finally:
        ctx.close()


def test_case_lookup_with_the_keyboard_only(browser, live_server, city):
    """The case engine's citizen pages: skip link first, then the lookup done with Tab, typing and Enter."""
    from luoshi.cases.models import Category
    from luoshi.cases.services import do_create_case

    case, code = do_create_case(None, category=Category.objects.get(code="CG-ROAD"), description="路灯不亮。", address="滨江路12号")
    ctx = browser.new_context(locale="zh-CN", viewport={"width": 375, "height": 740})
    ctx.set_default_timeout(15000)
    page = ctx.new_page()
    try:
        page.goto(live_server.url + "/public/case/")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent.trim()") == "跳到正文"
        assert page.evaluate("document.activeElement.getBoundingClientRect().left") >= 0  # visible when focused
        page.keyboard.press("Enter")
        assert page.evaluate("location.hash") == "#main"
        for _ in range(10):  # from the main landmark, Tab reaches the first field
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.name") == "number":
                break
        assert page.evaluate("document.activeElement.name") == "number"
        page.keyboard.type(case.number)
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.name") == "code"
        page.keyboard.type(code)
        page.keyboard.press("Enter")
        page.wait_for_selector("#case-status")
        assert case.number in page.inner_text("main")
        focus = page.evaluate("""() => { const a = document.querySelector('header a');
            a.focus(); return getComputedStyle(a).outlineStyle; }""")
        assert focus != "none"
    finally:
        ctx.close()


def test_office_publishes_a_task_from_its_page(browser, live_server, city, users):
    """督查员 opens 公示网站公开 on the task page, publishes the task as 公开承诺 with a note, the citizen sees it;
    then withdraws it from the same form (a new visitor gets 404)."""
    from tests.browser.pages import login

    task = city["hidden"]
    ctx = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    ctx.set_default_timeout(15000)
    page, anon = ctx.new_page(), browser.new_page(locale="zh-CN")
    try:
        login(page, live_server.url, users["supervisor"].username)
        page.goto(live_server.url + f"/tasks/{task.pk}/")
        page.click("#publish summary")
        page.select_option("#publish select[name=public_kind]", "commitment")
        page.fill("#publish textarea[name=public_note]", "年内完成全部改造,进度按月公开。")
        page.click("#publish button[type=submit]")
        page.wait_for_load_state()
        assert "已公开为公开承诺" in page.inner_text("#publish summary")
        anon.goto(live_server.url + f"/public/tasks/{task.pk}/")
        text = anon.inner_text("main")
        assert "年内完成全部改造,进度按月公开。" in text and "公开承诺" in text
        page.click("#publish summary")
        page.select_option("#publish select[name=public_kind]", "")
        page.click("#publish button[type=submit]")
        page.wait_for_load_state()
        assert "已公开为" not in page.inner_text("#publish summary")
        fresh = browser.new_page(locale="zh-CN")  # portal pages may be cached for 60 s (Cache-Control)
        try:
            assert fresh.goto(live_server.url + f"/public/tasks/{task.pk}/").status == 404
        finally:
            fresh.close()
    finally:
        anon.close()
        ctx.close()
