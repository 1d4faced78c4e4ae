"""Issue 9, "Finding things", the rest of the unit choosers in a real browser (Chromium): the assessment plan
editor's member choosers (only the plan's member units), the petition 交办 chooser, a city of 5,000 units
(the page does not ship 5,000 <option>s, the type-ahead finds a unit by part of its short name) and the same
city without JavaScript (a typed name is resolved by the server; several fits come back as candidates)."""
from __future__ import annotations

import datetime as dt

import pytest

from luoshi.assessment.models import GroupMembership, Plan
from luoshi.ledger.models import Task
from luoshi.orgs.models import Unit, UnitKind
from tests.browser.pages import login

pytestmark = pytest.mark.browser


def wait_option(page, box, name):
    q = box.input_value().strip()
    page.wait_for_selector(f".up-list[data-q='{q}'] [role=option]:has-text('{name}')")


def shown(page, box):
    q = box.input_value().strip()
    page.wait_for_selector(f".up-list[data-q='{q}']")
    lst = page.locator(f".up-list[data-q='{q}']")
    return [t.strip() for t in lst.locator("[role=option] .up-name").all_inner_texts()]


def test_plan_editor_member_chooser(live_server, page, users, units):
    plan = Plan.objects.create(name="2026年度区县考核", period="2026", group="county")
    base = live_server.url
    login(page, base, "duchayuan")
    page.goto(f"{base}/assessment/plans/{plan.pk}/")
    form = page.locator("form[action$='/do/move/']")
    assert form.locator("select[name=unit]").is_hidden()
    box = form.locator(".up-input")
    box.focus()
    # a city department is not a member of the 区县 plan: the type-ahead does not offer it
    page.keyboard.type("发改")
    page.wait_for_selector(".up-list[data-q='发改'] .up-none")
    box.fill("")
    # part of a short name; pick with the keyboard
    page.keyboard.type("乙")
    wait_option(page, box, "乙县人民政府")
    assert shown(page, box) == ["乙县人民政府"]
    page.keyboard.press("Enter")
    assert form.locator(".up-chip-name").all_inner_texts() == ["乙县人民政府"]
    form.locator("select[name=group]").select_option("town")
    form.locator("input[name=since]").fill("2026-07-01")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert "已调整考核分组" in page.inner_text(".messages")
    assert GroupMembership.objects.filter(unit=units["yi"], group="town").exists()


def test_petition_assign_chooser(live_server, page, users, units):
    from luoshi.petitions import services as psvc

    pet = psvc.do_register_petition(users["supervisor"], channel="visit", name="张三丰", title="小区加装电梯补贴未发放",
                                    content="去年申请的加装电梯补贴至今未发放。", received_on=dt.date(2026, 3, 2))
    base = live_server.url
    login(page, base, "duchayuan")
    page.goto(f"{base}/petitions/{pet.pk}/")
    box = page.locator("#assign-unit_search")
    box.focus()
    page.keyboard.type("发改委")   # an alias
    wait_option(page, box, "市发展和改革委员会")
    page.keyboard.press("Enter")
    page.locator("form:has(#assign-unit_search) button.btn").click()
    page.wait_for_load_state()
    pet.refresh_from_db()
    assert pet.handling_unit_id == units["fgw"].pk, page.inner_text("main")


def _city(units, n=5000):
    Unit.objects.bulk_create([Unit(name=f"乙县第{i:04d}村民委员会", kind=UnitKind.TOWN, parent=units["yi"],
                                   short_names=[f"第{i:04d}村"], aliases=[f"{i:04d}号村"], sort_order=1000 + i)
                              for i in range(n)])


def test_5000_units_type_ahead(live_server, page, users, units):
    _city(units)
    base = live_server.url
    login(page, base, "duchayuan")
    resp = page.goto(f"{base}/tasks/new/")
    html = resp.text()
    assert html.count("<option") < 50, html.count("<option")          # not 5,000 units (source, priority …)
    assert page.locator("select[name=lead_units] option, select[name=co_units] option").count() == 0
    assert len(html.encode()) < 100_000
    assert page.locator("input[name=lead_units__name]").is_hidden()     # the script's box replaces it
    assert page.locator("input[name=lead_units__name]").is_disabled()
    page.fill("#id_title", "村级议事协商示范点建设")
    page.focus("#id_lead_units_search")
    page.keyboard.type("4321号")                                         # part of an alias
    box = page.locator("#id_lead_units_search")
    wait_option(page, box, "乙县第4321村民委员会")
    assert shown(page, box) == ["乙县第4321村民委员会"]
    page.keyboard.press("Enter")
    # chosen: the list closes (inside a .field, whose list rule once kept it on screen)
    assert not page.locator(".field:has(#id_lead_units_search) .up-list").is_visible()
    assert not page.locator(".field:has(#id_co_units_search) .up-chips").is_visible()   # nothing chosen yet
    page.focus("#id_co_units_search")
    page.keyboard.type("第123")                                          # part of short names: 第1230村 … 第1239村
    co = page.locator("#id_co_units_search")
    wait_option(page, co, "乙县第1234村民委员会")
    names = shown(page, co)
    assert names[0] == "乙县第1230村民委员会" and "乙县第1234村民委员会" in names and len(names) == 10
    i = names.index("乙县第1234村民委员会")
    for _ in range(i):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.check("input[name=deadline_mode][value=none]")
    page.uncheck("input[name=assign]")   # 立项 only (交办 needs a deadline)
    page.click("button:has-text('保存')")
    page.wait_for_load_state()
    assert "/tasks/new/" not in page.url, page.inner_text("main")[:3000]
    assert "立项成功" in page.inner_text(".messages"), page.inner_text("main")[:2000]
    task = Task.objects.get(title="村级议事协商示范点建设")
    assert [u.name for u in task.lead_units.all()] == ["乙县第4321村民委员会"]
    assert [u.name for u in task.co_units.all()] == ["乙县第1234村民委员会"]

    # the ledger's unit filter: the no-JavaScript 单位名称 box gives way to the type-ahead
    page.goto(f"{base}/ledger/")
    assert page.locator("input[name=unit_name]").is_hidden()
    assert page.locator("label:has(input[name=unit_name])").is_hidden()
    fbox = page.locator(".filters .up-input")
    fbox.focus()
    page.keyboard.type("4321号")
    wait_option(page, fbox, "乙县第4321村民委员会")
    page.keyboard.press("Enter")
    page.click(".filters button[type=submit]")
    page.wait_for_load_state()
    assert f"unit={task.lead_units.get().pk}" in page.url and task.number in page.inner_text("main")


def test_5000_units_without_javascript(live_server, browser, users, units):
    _city(units, 400)
    base = live_server.url
    context = browser.new_context(locale="zh-CN", java_script_enabled=False)
    context.set_default_timeout(15000)
    page = context.new_page()
    try:
        login(page, base, "duchayuan")
        page.goto(f"{base}/tasks/new/")
        assert page.locator("select[name=lead_units] option").count() == 0
        page.fill("#id_title", "无脚本立项")
        page.fill("input[name=lead_units__name]", "第012")        # fits 第0120…第0129村: ten units
        page.check("input[name=deadline_mode][value=none]")
        page.uncheck("input[name=assign]")
        page.click("button:has-text('保存')")
        page.wait_for_load_state()
        text = page.inner_text("main")
        assert "“第012”对应10个牵头单位" in text and "请输入完整名称、简称或别名" in text, text[:2000]
        # the candidates, ranked, are now options of the select; choose one and clear the box
        opts = page.locator("select[name=lead_units] option").all_inner_texts()
        assert opts[0] == "乙县第0120村民委员会(候选)" and len(opts) == 8
        page.select_option("select[name=lead_units]", label="乙县第0123村民委员会(候选)")
        page.fill("input[name=lead_units__name]", "")
        page.fill("input[name=co_units__name]", "市发改委、东街道")   # an alias and a short name
        page.check("input[name=deadline_mode][value=none]")
        page.uncheck("input[name=assign]")
        page.click("button:has-text('保存')")
        page.wait_for_load_state()
        assert "立项成功" in page.inner_text(".messages"), page.inner_text("main")[:2000]
        task = Task.objects.get(title="无脚本立项")
        assert [u.name for u in task.lead_units.all()] == ["乙县第0123村民委员会"]
        assert {u.pk for u in task.co_units.all()} == {units["fgw"].pk, units["dong"].pk}
    finally:
        context.close()
