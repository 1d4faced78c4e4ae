"""讲话稿导入审核 in a real browser: a 督查员 uploads a work plan, sees the tasks
marked in the text, maps an unknown unit with the picker, unticks one row,
accepts, and the ledger shows the new 立项 tasks."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from luoshi.ledger.models import Source, Status, Task
from luoshi.orgs.models import UnitKind
from luoshi.orgs.services import do_save_unit
from luoshi.review.models import DraftStatus, ImportDraft
from tests.browser.pages import login
from tests.review.conftest import YEAR, speech_text

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def row_index(page, needle: str) -> str:
    row = page.locator(".rv-row", has=page.locator("textarea", has_text=needle)).first
    return row.get_attribute("data-row")


def test_import_speech_in_browser(live_server, page, users, units, tmp_path):
    base = live_server.url
    cgj = do_save_unit(users["admin"], name="市城市管理局", kind=UnitKind.CITY_DEPT, parent=units["city"])
    path = tmp_path / "营商环境工作方案.txt"
    path.write_text(speech_text(), encoding="utf-8")

    login(page, base, "duchayuan")
    page.click("nav a:has-text('讲话稿导入')")
    page.wait_for_url(re.compile(r".*/review/$"))
    page.set_input_files("input[type=file][name=file]", str(path))
    # while the server works the form shows a progress indicator and cannot be sent twice
    # (the navigation is cancelled here so the indicator can be looked at; it runs after luoshi.js's handler)
    page.evaluate("""() => document.querySelector("form[enctype]")
        .addEventListener("submit", (e) => e.preventDefault())""")
    page.click("button:has-text('上传并识别')")
    busy = page.locator("form .busy")
    assert busy.is_visible() and "正在上传并识别" in busy.inner_text()
    assert page.locator("button:has-text('上传并识别')").is_disabled()
    page.reload()
    page.set_input_files("input[type=file][name=file]", str(path))
    page.click("button:has-text('上传并识别')")
    page.wait_for_url(re.compile(r".*/review/\d+/$"))
    assert "候选任务" in page.inner_text(".messages")
    draft = ImportDraft.objects.get()

    # tasks are colour-marked in the text
    assert page.locator("#rv-doc-text .mk-action").count() >= 4
    school = row_index(page, "每月28日前报送整治进展")
    mark = page.locator(f"#m-{school}")
    assert "每月28日前报送整治进展" in mark.inner_text()
    assert mark.evaluate("e => getComputedStyle(e).backgroundColor") != "rgba(0, 0, 0, 0)"
    # clicking a mark takes the reviewer to its row
    mark.click()
    assert page.evaluate("document.activeElement.name") == f"t{school}-title"

    # the unknown 市城管局 is flagged red; map it to 市城市管理局 with the picker
    row = page.locator(f"#row-{school}")
    bad = row.locator(".rv-unit.bad")
    assert bad.count() >= 1
    assert bad.first.evaluate("e => getComputedStyle(e).color") == "rgb(176, 18, 18)"
    pickers = row.locator("select.rv-pick")
    pickers.nth(0).select_option(str(cgj.pk))
    for k in range(1, pickers.count()):
        pickers.nth(k).select_option("ignore")
    # every other ticked row: drop names that are not units (e.g. 各部门)
    included = page.locator(".rv-row:has(input[name$='-include']:checked)")
    for n in range(included.count()):
        r = included.nth(n)
        if r.get_attribute("data-row") == school:
            continue
        for sel in r.locator("select.rv-pick").all():
            sel.select_option("ignore")

    # a co-unit the text does not name: the row's type-ahead (the no-JavaScript name box gives way to it)
    assert row.locator(f"input[name='t{school}-co_add']").is_hidden()
    box = page.locator(f"#t{school}-co-pick_search")
    box.focus()
    page.keyboard.type("发改委")   # an alias
    page.wait_for_selector(f"#row-{school} .up-list[data-q='发改委'] [role=option]:has-text('市发展和改革委员会')")
    page.keyboard.press("Enter")
    assert row.locator(".rv-co .up-chip-name").all_inner_texts() == ["市发展和改革委员会"]

    # the reviewer decides one row is not a separate ledger task and unticks it
    title_row = row_index(page, "网上可办率达到95%以上")
    page.uncheck(f"input[name='t{title_row}-include']")
    assert "mk-off" in page.get_attribute(f"#m-{title_row}", "class")
    assert "rv-row-off" in page.get_attribute(f"#row-{title_row}", "class")

    # Source metadata is prefilled from the document
    assert page.input_value("input[name=src_title]") == f"{YEAR}年全市营商环境优化提升工作方案"
    assert page.input_value("input[name=src_date]") == f"{YEAR}-01-15"
    assert page.input_value("select[name=src_kind]") == "work_plan"
    page.fill("input[name=src_issuer]", "市人民政府办公室")

    expected = page.locator(".rv-row:has(input[name$='-include']:checked)").count()
    page.locator(f"#row-{school}").scroll_into_view_if_needed()
    if os.environ.get("LUOSHI_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.evaluate(f"window.scrollTo(0, document.getElementById('row-{school}').offsetTop - 260)")
        page.hover(f"#row-{school}")  # shows the row ↔ text link
        page.screenshot(path=str(SCREENSHOTS / "review.png"))

    page.click("#rv-accept-btn")
    page.wait_for_url(re.compile(r".*/ledger/\?source=\d+$"))
    assert "立项" in page.inner_text(".messages")

    source = Source.objects.get()
    assert source.issuer == "市人民政府办公室" and source.date.year == YEAR
    tasks = Task.objects.filter(source=source)
    assert tasks.count() == expected >= 3
    assert all(t.status == Status.DRAFT for t in tasks)
    assert not tasks.filter(title__contains="网上可办率").exists()
    school_task = tasks.get(title__contains="每月28日前报送整治进展")
    assert cgj in school_task.co_units.all() and units["edu"] in school_task.lead_units.all()
    assert units["fgw"] in school_task.co_units.all()   # chosen with the row's type-ahead
    assert school_task.recurrence == "monthly:28"
    june = tasks.get(title__contains="6月底前完成全市政务服务事项梳理")
    assert june.deadline.isoformat() == f"{YEAR}-06-30"

    ledger = page.inner_text("main")
    for t in tasks:
        assert t.number in ledger
    assert "校园周边安全隐患排查机制" in ledger
    draft.refresh_from_db()
    assert draft.status == DraftStatus.ACCEPTED


def test_compilation_review_in_browser(live_server, page, users, units, tmp_path):
    """A compilation of two plans: paste it, confirm a suggested unit, import the first plan, see the
    switcher mark it done, import the second from the same draft, and download the 台账."""
    from tests.review.test_review_workflow import _compilation

    base = live_server.url
    xny = do_save_unit(users["admin"], name="市机关效能建设办公室", kind=UnitKind.CITY_DEPT, parent=units["city"],
                       short_names=["市效能办"])
    text = _compilation().replace("（二）养护管理。甲区要在9月底前建立绿地养护台账（牵头单位：甲区，配合单位：市发改委）。",
                                  "（二）养护管理。效能办要在9月底前建立绿地养护督查台账（牵头单位：效能办）。")
    login(page, base, "duchayuan")
    page.goto(f"{base}/review/")
    page.fill("textarea[name=text]", text)
    page.click("button:has-text('识别粘贴的文字')")
    page.wait_for_url(re.compile(r".*/review/\d+/$"))
    draft = ImportDraft.objects.get()
    assert "已导入 1/2" not in page.inner_text("#rv-docs")
    assert page.locator(".rv-doclist li.rv-doc-open").count() == 2

    # the unknown 效能办 gets ranked suggestions; the reviewer confirms the first
    row = page.locator(".rv-row", has=page.locator("textarea", has_text="绿地养护督查台账")).first
    picker = row.locator("select.rv-pick").first
    assert picker.input_value() == ""  # nothing chosen for the reviewer
    suggested = picker.locator("optgroup.rv-suggest option").first
    assert suggested.get_attribute("value") == str(xny.pk)
    assert "相近:市效能办" in row.inner_text()
    if os.environ.get("LUOSHI_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        row.scroll_into_view_if_needed()
        row.screenshot(path=str(SCREENSHOTS / "review-suggestions.png"))
    picker.select_option(str(xny.pk))
    # every other ticked row: drop names that are not in the tree
    for r in page.locator(".rv-row:has(input[name$='-include']:checked)").all():
        if r.get_attribute("data-row") != row.get_attribute("data-row"):
            for sel in r.locator("select.rv-pick").all():
                sel.select_option("ignore")
    page.click("#rv-accept-btn")
    page.wait_for_url(re.compile(r".*/review/\d+/$"))  # back on the draft, not locked
    assert "请继续审核下一篇" in page.inner_text(".messages")
    assert "已导入 1/2 篇" in page.inner_text("#rv-docs")
    assert page.locator(".rv-doclist li.rv-doc-imported").count() == 1
    assert page.locator("#rv-doc option:checked").inner_text().startswith("○ 待审核 2.")
    assert page.locator(".rv-row textarea").first.is_enabled()
    if os.environ.get("LUOSHI_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "review-compilation.png"))
    first = Source.objects.get()
    assert xny in Task.objects.get(source=first, title__contains="绿地养护督查台账").lead_units.all()

    # the imported plan can be looked at again, read-only
    page.select_option("#rv-doc", "0")
    page.click("button[name=op][value=doc]")
    page.wait_for_load_state()
    assert page.locator("#rv-doc-done").is_visible()
    assert page.locator(".rv-row textarea").first.is_disabled()
    assert page.locator("#rv-doc").is_enabled()
    page.select_option("#rv-doc", "1")
    page.click("button[name=op][value=doc]")
    page.wait_for_load_state()
    for r in page.locator(".rv-row:has(input[name$='-include']:checked)").all():
        for sel in r.locator("select.rv-pick").all():
            sel.select_option("ignore")
        if not r.locator("input.rv-unit, .rv-unit.ok").count():
            r.locator("input.rv-add").first.fill("市发改委")
    page.click("#rv-accept-btn")
    page.wait_for_url(re.compile(r".*/ledger/\?source=\d+$"))
    draft.refresh_from_db()
    assert draft.status == DraftStatus.ACCEPTED and Source.objects.count() == 2

    page.goto(f"{base}/review/{draft.pk}/")
    with page.expect_download() as dl:
        page.click("#rv-export")
    import openpyxl

    assert dl.value.suggested_filename.endswith("-台账.xlsx")
    out = tmp_path / "export.xlsx"
    dl.value.save_as(out)
    ws = openpyxl.load_workbook(out).active
    assert [c.value for c in ws[1]][:2] == ["序号", "来源文档"]
    assert {ws.cell(row=r, column=2).value for r in range(2, ws.max_row + 1)} == {d["title"] for d in draft.documents}
