"""Browser: a 来访 registered → 包案 leader → the unit answers → 复查 → 复核 → 终结, with the petitioner
masked for the unit; an inspector records a finding with a photo at phone size → the unit sees the 整改
item only after publication → submits → 验收."""
from __future__ import annotations

import datetime as dt

import pytest

from tests.inspections.conftest import jpeg

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def session_for(browser, live_server, user, **ctx_args):
    from django.test import Client

    c = Client()
    c.force_login(user)
    ctx = browser.new_context(locale="zh-CN", **ctx_args)
    ctx.set_default_timeout(15000)
    ctx.add_cookies([{"name": "sessionid", "value": c.cookies["sessionid"].value, "url": live_server.url}])
    return ctx.new_page()


def _act(page, button):
    page.click(button)
    page.wait_for_load_state()


def test_visit_to_termination(browser, live_server, users, units):
    from luoshi.petitions.models import Petition

    base = live_server.url
    sup = session_for(browser, live_server, users["supervisor"])
    sup.goto(f"{base}/petitions/new/")
    sup.select_option("select[name=channel]", "visit")
    sup.fill("input[name=people]", "6")
    sup.fill("input[name=batch]", "20260302-01")
    sup.fill("input[name=name]", "欧阳明华")
    sup.fill("input[name=phone]", "13912345678")
    sup.fill("input[name=id_number]", "440304198001011239")
    sup.fill("input[name=title]", "工业园区企业噪声扰民")
    sup.fill("textarea[name=content]", "园区某企业夜间生产噪声严重超标,影响周边居民休息。")
    _act(sup, "#register-form button[type=submit]")
    p = Petition.objects.get()
    assert "集体访" in sup.content() and p.collective
    sup.fill("#assign-unit_search", "市发改委")  # type-ahead over names and aliases
    sup.wait_for_selector("#assign-unit_search ~ .up-list[data-q='市发改委'] [role=option]:has-text('市发展和改革委员会')")
    sup.keyboard.press("Enter")
    assert sup.eval_on_selector("#assign-unit", "s => s.value") == str(units["fgw"].pk)
    _act(sup, "form[action$='/do/assign/'] button.btn-block")
    sup.select_option("#owner-select", str(users["leader"].pk))
    _act(sup, "form[action$='/do/owner/'] button")
    assert sup.locator("#owner-leader").inner_text() == "周市长"

    leader = session_for(browser, live_server, users["leader"])
    leader.goto(f"{base}/petitions/?owner=me")
    assert p.number in leader.locator("#petition-list").inner_text()
    assert "欧阳明华" in leader.locator("#petition-list").inner_text()  # the 包案 leader sees the petitioner

    unit = session_for(browser, live_server, users["fgw"])
    unit.goto(f"{base}/petitions/{p.pk}/")
    assert unit.locator("#petitioner-name").inner_text() == "欧***"
    assert unit.locator("#petitioner-phone").inner_text() == "139****5678"
    assert "欧阳明华" not in unit.content() and "13912345678" not in unit.content()
    _act(unit, "#accept-btn")
    unit.fill("#answer-text", "经现场监测,企业已停止夜间生产并加装隔音设施。")
    _act(unit, "#answer-btn")
    assert unit.locator("#petition-status").inner_text() == "已答复"

    sup.goto(f"{base}/petitions/{p.pk}/")
    _act(sup, "#review-btn")
    sup.fill("#review-text", "经复查,原答复意见正确,予以维持。")
    _act(sup, "#review-decide-btn")
    _act(sup, "#recheck-btn")
    sup.fill("#recheck-text", "经复核,维持复查意见。")
    _act(sup, "#recheck-decide-btn")
    _act(sup, "#terminate-btn")
    assert sup.locator("#petition-status").inner_text() == "已终结"
    with sup.expect_download() as dl:
        sup.click("a[href$='/doc/recheck.pdf']")
    assert dl.value.suggested_filename.endswith(".pdf")


def test_phone_finding_to_rectification_after_publication(browser, live_server, users, units, tmp_path):
    from luoshi.inspections import services as svc
    from luoshi.supervision.models import RectificationItem
    from tests.conftest import make_user

    inspector = make_user("jianchayuan", "inspector", units["duchashi"], display_name="郑检查")
    cl = svc.do_save_checklist(users["supervisor"], name="窗口检查表", items=svc.DEFAULT_ITEMS)
    plan = svc.do_create_plan(users["supervisor"], title="市直部门窗口暗访", mode="unannounced", checklist=cl,
                              units=[units["fgw"]], inspectors=[inspector], start_on=dt.date(2026, 3, 2),
                              end_on=dt.date(2026, 3, 6))
    base = live_server.url
    phone = session_for(browser, live_server, inspector, viewport={"width": 390, "height": 844},
                        is_mobile=True, has_touch=True)
    phone.goto(f"{base}/inspections/plans/{plan.pk}/record/")
    first = cl.items.order_by("sort_order").first()
    phone.check(f"input[name=r{first.pk}][value=problem]")
    phone.fill(f"input[name=n{first.pk}]", "窗口无人值守15分钟")
    photo = tmp_path / "IMG_0001.jpg"
    photo.write_bytes(jpeg(size=(640, 480)))
    phone.set_input_files("#files", str(photo))
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, f"the record page scrolls sideways at phone width ({width}px)"
    phone.screenshot(path=str(tmp_path / "record-phone.png"), full_page=True)
    _act(phone, "#save-record")
    assert "发现问题1个" in phone.content()
    assert phone.locator("#findings img").count() == 1

    unit = session_for(browser, live_server, users["fgw"])
    unit.goto(f"{base}/supervision/workspace/")
    assert "窗口无人值守" not in unit.content()
    unit.goto(f"{base}/inspections/")
    assert "市直部门窗口暗访" not in unit.content()

    sup = session_for(browser, live_server, users["supervisor"])
    sup.goto(f"{base}/inspections/plans/{plan.pk}/")
    _act(sup, "#publish-btn")
    assert RectificationItem.objects.count() == 1

    unit.goto(f"{base}/supervision/workspace/")
    assert "窗口无人值守" in unit.content()
    unit.fill("textarea[name=report]", "已建立AB岗,实行离岗登记。")
    _act(unit, "form[action*='/do/submit/'] button")
    sup.goto(f"{base}/supervision/workspace/")
    sup.fill("input[name=note]", "整改到位")
    _act(sup, "form[action*='/do/accept/'] button[type=submit]")
    assert RectificationItem.objects.get().state == "closed"


def test_phone_finding_with_accountability_proposal_at_375px(browser, live_server, users, units, tmp_path):
    """At 375 px an inspector records a problem with a photo, ticks 提出问责建议 and names the person; before
    publication the unit sees neither the plan nor an 整改 item and no proposal exists; after it the unit
    has its 整改 item and the 纪检 officer a proposal naming the person (the unit's liaison: unit level only)."""
    from luoshi.accountability.models import Proposal
    from luoshi.inspections import services as svc
    from luoshi.inspections.models import Finding
    from luoshi.supervision.models import RectificationItem
    from tests.conftest import make_user

    inspector = make_user("jianchayuan", "inspector", units["duchashi"], display_name="郑检查")
    officer = make_user("jijian", "discipline", units["city"], display_name="纪检员")
    cl = svc.do_save_checklist(users["supervisor"], name="窗口检查表", items=svc.DEFAULT_ITEMS)
    plan = svc.do_create_plan(users["supervisor"], title="窗口作风暗访(第三轮)", mode="unannounced", checklist=cl,
                              units=[units["fgw"]], inspectors=[inspector], start_on=dt.date(2026, 3, 2),
                              end_on=dt.date(2026, 3, 6))
    base = live_server.url
    phone = session_for(browser, live_server, inspector, viewport={"width": 375, "height": 812},
                        is_mobile=True, has_touch=True)
    phone.goto(f"{base}/inspections/plans/{plan.pk}/record/")
    last = cl.items.order_by("sort_order").last()  # 工作纪律
    box = f"#problem-{last.pk}"
    assert not phone.is_visible(box)  # the problem fields open with 存在问题
    first = cl.items.order_by("sort_order").first()
    phone.check(f"input[name=r{first.pk}][value=problem]")
    phone.check(f"input[name=c{first.pk}]")
    phone.check(f"input[name=r{first.pk}][value=ok]")  # changed their mind: the tick is hidden and not sent
    assert phone.is_disabled(f"input[name=c{first.pk}]") and not phone.is_visible(f"#problem-{first.pk}")
    phone.check(f"input[name=r{last.pk}][value=problem]")
    assert phone.is_visible(box) and not phone.is_disabled(f"input[name=a{last.pk}]")
    phone.fill(f"input[name=n{last.pk}]", "工作人员上班时间玩手机游戏")
    phone.select_option(f"select[name=s{last.pk}]", "serious")
    phone.check(f"input[name=a{last.pk}]")
    phone.fill(f"input[name=p{last.pk}]", "钱国栋")
    photo = tmp_path / "IMG_0002.jpg"
    photo.write_bytes(jpeg(size=(800, 600)))
    phone.set_input_files("#files", str(photo))
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the record page scrolls sideways at 375 px ({width}px)"
    tick = phone.locator(f"input[name=a{last.pk}]").bounding_box()
    assert tick["width"] >= 20 and tick["height"] >= 20  # a tick a thumb can hit
    phone.screenshot(path=str(tmp_path / "record-375.png"), full_page=True)
    _act(phone, "#save-record")
    assert "发现问题1个" in phone.content() and "提出问责建议的问题将在通报发布时移送" in phone.content()
    finding = phone.locator("#findings .finding")
    assert "提出问责建议" in finding.inner_text() and "钱**" in finding.inner_text()
    assert "钱国栋" not in phone.content()
    assert phone.locator("#findings img").count() == 1
    assert Finding.objects.get().staff_name == "钱国栋"

    unit = session_for(browser, live_server, users["fgw"])
    unit.goto(f"{base}/supervision/workspace/")
    assert "玩手机游戏" not in unit.content()
    unit.goto(f"{base}/inspections/")
    assert "窗口作风暗访" not in unit.content()
    assert not Proposal.objects.exists() and not RectificationItem.objects.exists()

    sup = session_for(browser, live_server, users["supervisor"])
    sup.goto(f"{base}/inspections/plans/{plan.pk}/")
    _act(sup, "#publish-btn")

    unit.goto(f"{base}/supervision/workspace/")
    assert "玩手机游戏" in unit.content()  # the 整改 item, now
    p = Proposal.objects.get()
    jj = session_for(browser, live_server, officer)
    jj.goto(f"{base}/accountability/{p.pk}/")
    assert "窗口作风暗访" in jj.content() and "钱国栋" in jj.content()
    unit.goto(f"{base}/accountability/{p.pk}/")
    assert "钱国栋" not in unit.content()
