"""In a real browser, as the 12345 话务员 (rexian): the case entry screen shows possible duplicates while
the call is typed, then takes the call and gives the 案件编号 and 查询码; a call that is a 信访 matter is
transferred on the 热线转来信访 page, which gives the 信访编号 and the 受理 limit and keeps nothing of the
petition for the 话务员 afterwards; a second transfer of the same ticket is refused with a message and the
typed fields kept."""
from __future__ import annotations

import re

import pytest

from luoshi.cases.models import Case
from tests.browser.pages import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_operator_sees_duplicates_while_typing_then_registers(page, live_server, cats, routing, office, new_case):
    earlier, _ = new_case(description="人民路与解放路交叉口井盖缺失,夜间行人容易踩空", address="甲区人民路100号")
    base = live_server.url
    login(page, base, "rexian")
    page.goto(f"{base}/cases/hotline/")
    assert page.inner_text("#dup-list") == "输入内容后自动比对"
    page.select_option("select[name=category]", "CG-ROAD")
    page.fill("input[name=reporter_phone]", "13800001111")
    page.fill("input[name=address]", "甲区人民路100号")
    page.locator("textarea[name=description]").press_sequentially("人民路解放路口井盖缺失,有人踩空", delay=20)
    page.wait_for_selector(f"#dup-list li.dup a:has-text('{earlier.number}')")
    row = page.inner_text("#dup-list li.dup")
    assert "相似度" in row and "井盖缺失" in row
    assert page.get_attribute(f"#dup-list a:has-text('{earlier.number}')", "href") == f"/cases/{earlier.pk}/"
    page.fill("textarea[name=description]", "滨江公园公厕长期无人保洁")
    page.wait_for_selector("#dup-list li:has-text('未发现疑似重复')")
    page.fill("textarea[name=description]", "人民路解放路口井盖缺失,有人踩空,再次来电")  # the caller is not the same case
    page.click("#hotline-form button[type=submit]")
    page.wait_for_load_state()
    msg = page.inner_text(".msg-success, .messages")
    m = re.search(r"案件编号 (\S+),查询码 (\S+)(请告知来电人)", msg)
    assert m, msg
    case = Case.objects.get(number=m.group(1))
    assert case.channel == "hotline" and "再次来电" in case.description and case.reporter_phone == "13800001111"
    assert Case.objects.count() == 2


def test_operator_transfers_a_petition_and_keeps_nothing_of_it(page, live_server, office):
    from luoshi.petitions.models import Petition

    base = live_server.url
    login(page, base, "rexian")
    page.goto(f"{base}/")
    page.click("nav a:has-text('热线转信访')")
    page.wait_for_load_state()
    assert page.url.endswith("/petitions/hotline/")
    fields = {"hotline_ref": "12345-20260302-0088", "name": "李热线", "phone": "13912345678",
              "address": "乙县南乡1号", "title": "征地补偿款长期未兑现",
              "content": "村里征地补偿款三年未兑现,多次反映无果。"}
    for name, value in fields.items():
        page.fill(f"#hotline-form [name={name}]", value)
    page.fill("#hotline-form [name=id_number]", "440304198001011239")
    page.fill("#hotline-form [name=received_on]", "2026-03-02")
    page.click("#hotline-form button[type=submit]")
    page.wait_for_load_state()
    p = Petition.objects.get()
    text = page.inner_text("main")
    assert f"已转来信访:信访编号{p.number}(热线工单12345-20260302-0088)" in text
    assert "2026-03-17前作出受理决定" in text
    assert page.url.endswith("/petitions/hotline/") and page.input_value("#hotline-form [name=name]") == ""
    # the operator reads nothing of it afterwards
    resp = page.goto(f"{base}/petitions/{p.pk}/")
    assert resp.status == 404 and "李热线" not in page.content()
    # the same ticket again: refused, with the reason; what was typed is kept (but not the ID number)
    page.goto(f"{base}/petitions/hotline/")
    for name, value in fields.items():
        page.fill(f"#hotline-form [name={name}]", value)
    page.fill("#hotline-form [name=id_number]", "440304198001011239")
    page.click("#hotline-form button[type=submit]")
    page.wait_for_load_state()
    assert f"热线工单12345-20260302-0088已转来信访(信访编号{p.number}),不能重复登记" in page.inner_text("main")
    assert page.input_value("#hotline-form [name=title]") == "征地补偿款长期未兑现"
    assert page.input_value("#hotline-form [name=id_number]") == ""
    assert Petition.objects.count() == 1
