"""The inspector's phone page (现场检查) refers a problem to a 效能投诉 case (转效能投诉) and proposes
accountability (提出问责建议) naming a person, through do_record_visit: validated (Chinese message, 400,
nothing written, what was typed kept), carried out only at publication (a 暗访 stays secret until then),
the named person never in the audit trail and shown in full only on the accountability record to those
entitled."""
from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from luoshi.accountability.models import Person, Proposal
from luoshi.audit.models import AuditEntry
from luoshi.cases.models import Case
from luoshi.inspections import services as svc
from luoshi.inspections.models import Finding, Record
from tests.conftest import PASSWORD, make_user
from tests.inspections.conftest import jpeg

pytestmark = pytest.mark.django_db

STAFF = "钱国栋"


def _c(user):
    c = Client()
    assert c.login(username=user.username, password=PASSWORD)
    return c


def _form(plan, unit, **extra):
    items = list(plan.checklist.items.order_by("sort_order", "id"))
    data = {"unit": unit.pk, "place": "市民中心5号窗口"}
    for i in items:
        data[f"r{i.pk}"] = "ok"
    data.update({k.format(a=items[0].pk, b=items[1].pk): v for k, v in extra.items()})
    return items, data


def test_phone_page_refers_and_names_a_person_published_later(secret_plan, inspector, users, units):
    officer = make_user("jijian", "discipline", units["city"], display_name="纪检员")
    url = f"/inspections/plans/{secret_plan.pk}/record/"
    page = _c(inspector).get(url).content.decode()
    for label in ("转效能投诉", "提出问责建议", "涉及人员"):
        assert label in page
    items, data = _form(secret_plan, units["fgw"], **{
        "r{a}": "problem", "n{a}": "窗口工作人员上班时间玩手机游戏", "s{a}": "grave", "a{a}": "1", "p{a}": STAFF,
        "r{b}": "problem", "n{b}": "首问推诿,未一次性告知", "c{b}": "1"})
    data["files"] = [SimpleUploadedFile("p.jpg", jpeg(), content_type="image/jpeg")]
    r = _c(inspector).post(url, data, follow=True)
    body = r.content.decode()
    assert r.status_code == 200 and "发现问题2个" in body and "将在通报发布时移送" in body
    acc = Finding.objects.get(item=items[0])
    case = Finding.objects.get(item=items[1])
    assert (acc.refer_accountability, acc.refer_case, acc.staff_name, acc.severity) == (True, False, STAFF, "grave")
    assert (case.refer_case, case.refer_accountability, case.staff_name) == (True, False, "")
    assert acc.evidence.count() == 1
    # the inspector's plan page marks the referrals; the name masked
    plan_page = _c(inspector).get(f"/inspections/plans/{secret_plan.pk}/").content.decode()
    assert "提出问责建议" in plan_page and "转效能投诉" in plan_page and "钱**" in plan_page and STAFF not in plan_page
    # nothing leaves the inspection before publication (暗访): no proposal, no case, nothing for the unit
    assert not Proposal.objects.exists() and not Case.objects.exists()
    fgw = _c(users["fgw"])
    assert fgw.get(f"/inspections/plans/{secret_plan.pk}/").status_code == 404
    assert "玩手机" not in fgw.get("/inspections/findings/").content.decode()
    assert fgw.get("/api/inspections/findings/").json()["count"] == 0
    # the audit entry of the record counts referrals, never names the person
    entry = AuditEntry.objects.get(action="inspection.record")
    assert entry.after["refer_accountability"] == 1 and entry.after["refer_case"] == 1
    assert not any(STAFF in str(e.after) + str(e.summary) for e in AuditEntry.objects.all())

    svc.do_publish_plan(users["supervisor"], secret_plan, summary="现将暗访情况通报如下。")
    p = Proposal.objects.get()
    assert p.cause == acc and p.unit == units["fgw"]
    assert list(p.people.values_list("name", flat=True)) == [STAFF]
    c = Case.objects.get()
    assert c.subject_unit == units["fgw"] and "首问推诿" in c.description
    case.refresh_from_db()
    assert case.referrals and case.referrals[0]["kind"] == "case"
    # after publication: the unit sees its findings, masked; the person in full only to the entitled
    assert "玩手机" in fgw.get("/inspections/findings/").content.decode()
    api = fgw.get("/api/inspections/findings/").content.decode()
    assert "钱**" in api and STAFF not in api
    assert STAFF not in fgw.get(f"/inspections/plans/{secret_plan.pk}/").content.decode()
    for who in (officer, users["leader"]):
        assert STAFF in _c(who).get(f"/accountability/{p.pk}/").content.decode()
    for who in (users["supervisor"], users["fgw"], inspector):
        r = _c(who).get(f"/accountability/{p.pk}/")
        assert STAFF not in r.content.decode()


@pytest.mark.parametrize("extra, message", [
    ({"a{a}": "1", "p{a}": STAFF}, "未选“存在问题”,不能转效能投诉、提出问责建议或填写涉及人员"),
    ({"c{a}": "1"}, "未选“存在问题”"),
    ({"r{a}": "problem", "n{a}": "离岗", "a{a}": "1", "p{a}": "张" * 65}, "涉及人员超过64字"),
    ({"r{a}": "problem", "n{a}": "离岗", "a{a}": "1", "p{a}": "<script>alert(1)</script>"}, "涉及人员中不能包含HTML"),
    ({"r{a}": "problem", "n{a}": "", "a{a}": "1", "p{a}": STAFF}, "说明不能为空"),
])
def test_bad_referrals_are_refused_with_a_message_and_nothing_written(secret_plan, inspector, units, extra, message):
    items, data = _form(secret_plan, units["fgw"], **extra)
    r = _c(inspector).post(f"/inspections/plans/{secret_plan.pk}/record/", data)
    body = r.content.decode()
    assert r.status_code == 400 and message in body
    assert not Record.objects.exists() and not Finding.objects.exists()
    assert not AuditEntry.objects.filter(action="inspection.record").exists()
    if "p{a}" in extra and "<" not in extra["p{a}"]:  # what was typed comes back
        assert f'value="{extra["p{a}"]}"' in body
    if "a{a}" in extra:
        assert f'name="a{items[0].pk}" value="1" checked' in body


def test_service_refuses_unknown_items_and_bad_shapes(secret_plan, inspector, units):
    items = list(secret_plan.checklist.items.all())
    answers = {i.pk: ("ok", "") for i in items}
    answers[items[0].pk] = ("problem", "离岗")
    for referrals, zh in (({999999: {"refer_case": True}}, "检查项不存在"),
                          (({"x": {"refer_case": True}}), "检查项不存在"),
                          ({items[0].pk: "yes"}, "移送选项格式不正确")):
        with pytest.raises(svc.LuoshiError) as e:
            svc.do_record_visit(inspector, secret_plan, unit=units["fgw"], answers=answers, referrals=referrals)
        assert e.value.message_zh == zh and e.value.field == "referrals"
    assert not Record.objects.exists()
    rec = svc.do_record_visit(inspector, secret_plan, unit=units["fgw"], answers=answers,
                              referrals={str(items[0].pk): {"refer_case": True, "staff_name": "  李四 "}})
    f = rec.findings.get()
    assert (f.refer_case, f.refer_accountability, f.staff_name) == (True, False, "李四")
