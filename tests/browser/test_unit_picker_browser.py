"""Issue 9, "Finding things": every unit chooser is a type-ahead over full names, short names and aliases,
worked with the keyboard alone, in a real browser (Chromium), under the CSP (no inline script/style)."""
from __future__ import annotations

import re

import pytest

from luoshi.ledger import services as svc
from luoshi.ledger.models import Task
from tests.browser.pages import login

pytestmark = pytest.mark.browser

def options(page, box):
    page.wait_for_selector(f"#{box}[aria-expanded=true]")
    q = page.input_value(f"#{box}").strip()
    page.wait_for_selector(f"#{box} ~ .up-list[data-q='{q}']")  # the list answers what was typed
    return [t.strip() for t in page.locator(f"#{box} ~ .up-list [role=option] .up-name").all_inner_texts()]


def wait_option(page, box, name):
    q = page.input_value(f"#{box}").strip()
    page.wait_for_selector(f"#{box} ~ .up-list[data-q='{q}'] [role=option]:has-text('{name}')")


def test_create_task_with_the_keyboard_only(live_server, page, users, units):
    csp = []
    page.on("console", lambda m: csp.append(m.text) if "Content Security Policy" in m.text else None)
    base = live_server.url
    login(page, base, "duchayuan")
    page.goto(f"{base}/tasks/new/")
    # the plain <select multiple> is replaced by a combobox; the page's label names it
    assert page.locator("select[name=lead_units]").is_hidden()
    box = page.locator("#id_lead_units_search")
    assert box.get_attribute("role") == "combobox" and box.get_attribute("aria-label") == "牵头单位"
    page.fill("#id_title", "建立企业诉求直通车制度")
    page.focus("#id_lead_units_search")
    # an alias finds the unit, and says which name matched
    page.keyboard.type("发改委")
    wait_option(page, "id_lead_units_search", "市发展和改革委员会")
    assert options(page, "id_lead_units_search") == ["市发展和改革委员会"]
    assert "(市发改委)" in page.inner_text("#id_lead_units_search ~ .up-list")
    # Enter with the list open chooses; it does not submit the form
    page.keyboard.press("Enter")
    assert page.url.endswith("/tasks/new/")
    assert page.inner_text("#id_lead_units_search").strip() == ""
    chips = page.locator(".field:has(#id_lead_units_search) .up-chip-name")
    assert chips.all_inner_texts() == ["市发展和改革委员会"]
    # a part of a short name; ↓ moves to the second match, ↑ back, Enter chooses the highlighted one
    page.keyboard.type("甲区")
    wait_option(page, "id_lead_units_search", "甲区发展和改革局")
    names = options(page, "id_lead_units_search")
    assert names[:2] == ["甲区人民政府", "甲区发展和改革局"], names
    page.keyboard.press("ArrowDown")
    assert page.get_attribute("#id_lead_units_search ~ .up-list [role=option] >> nth=1", "aria-selected") == "true"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("Enter")
    assert chips.all_inner_texts() == ["市发展和改革委员会", "甲区发展和改革局"]
    # Backspace in the empty box takes the last one back; Escape closes the list
    page.keyboard.press("Backspace")
    assert chips.all_inner_texts() == ["市发展和改革委员会"]
    page.keyboard.type("教育")
    wait_option(page, "id_lead_units_search", "市教育局")
    page.keyboard.press("Escape")
    assert page.get_attribute("#id_lead_units_search", "aria-expanded") == "false"
    page.fill("#id_lead_units_search", "")
    # nothing matches: said so, and Enter on a half-typed name never submits
    page.keyboard.type("不存在的单位")
    page.wait_for_selector("#id_lead_units_search ~ .up-list .up-none")
    page.keyboard.press("Enter")
    assert page.url.endswith("/tasks/new/")
    page.fill("#id_lead_units_search", "")
    # co-unit by its full name, with Tab to get there
    page.focus("#id_co_units_search")
    page.keyboard.type("乙县南乡")
    wait_option(page, "id_co_units_search", "乙县南乡人民政府")
    page.keyboard.press("Enter")
    page.check("input[name=deadline_mode][value=workdays]")
    page.fill("#id_deadline_working_days", "10")
    page.click("button:has-text('保存')")
    page.wait_for_load_state()
    assert "立项成功" in page.inner_text(".messages")
    task = Task.objects.get(title="建立企业诉求直通车制度")
    assert list(task.lead_units.all()) == [units["fgw"]] and list(task.co_units.all()) == [units["nan"]]

    # the edit page shows the chosen units as chips and changes them the same way
    page.goto(f"{base}/tasks/{task.pk}/edit/")
    edit_chips = page.locator(".field:has(#id_co_units_search) .up-chip-name")
    assert edit_chips.all_inner_texts() == ["乙县南乡人民政府"]
    page.click(".field:has(#id_co_units_search) .up-chip-x")
    page.focus("#id_co_units_search")
    page.keyboard.type("督考办")
    wait_option(page, "id_co_units_search", "市人民政府督查室")
    page.keyboard.press("Enter")
    page.click("button:has-text('保存')")
    page.wait_for_load_state()
    assert list(Task.objects.get(pk=task.pk).co_units.all()) == [units["duchashi"]]
    assert not csp, csp


def test_subtask_chooser_offers_only_units_below(live_server, page, users, units, make_task):
    """分解子任务 by 甲区's liaison: the type-ahead offers 甲区's own subordinate units only."""
    parent = make_task(title="全区营商环境专项整治", lead=("jia",))
    svc.do_sign_task(users["jia"], parent)
    base = live_server.url
    login(page, base, "jia_liaison")
    page.goto(f"{base}/tasks/{parent.pk}/")
    page.click("a:has-text('分解子任务') >> nth=0")
    page.wait_for_url(re.compile(r".*/tasks/\d+/.*"))
    page.focus("#id_lead_units_search")
    page.keyboard.type("发改")
    wait_option(page, "id_lead_units_search", "甲区发展和改革局")
    assert options(page, "id_lead_units_search") == ["甲区发展和改革局"]   # not 市发展和改革委员会
    page.fill("#id_lead_units_search", "")
    page.keyboard.type("街道")
    wait_option(page, "id_lead_units_search", "甲区东街道办事处")
    page.keyboard.press("Enter")
    page.fill("#id_title", "东街道营商环境整治")
    page.check("input[name=deadline_mode][value=none]")  # due with its parent
    page.click("button:has-text('保存')")
    page.wait_for_load_state()
    assert "分解子任务成功" in page.inner_text(".messages"), page.inner_text("main")
    sub = Task.objects.get(title="东街道营商环境整治")
    assert sub.parent_id == parent.pk and list(sub.lead_units.all()) == [units["dong"]]
