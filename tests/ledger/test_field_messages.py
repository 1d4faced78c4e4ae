"""Refusals name the field (its Chinese label) and say what is wrong in plain Chinese: 编辑任务 with markup,
延期审批 with a tampered form; and 目标完成值 / 目标值 are checked against what the target measures
(no negative counts or rates, no percentage over 100 %), with 办结说明 asked for when a target is missed."""
from __future__ import annotations

import pytest

from luoshi.core.errors import LuoshiError, check_plain_text
from luoshi.ledger import services as svc
from luoshi.ledger.models import ExtensionRequest, Status, Task
from tests.conftest import page_text

pytestmark = pytest.mark.django_db

RATE = {"metric": "现场办结率", "op": ">=", "value": "90", "unit": "%"}
COUNT = {"metric": "新增企业数", "op": ">=", "value": "20", "unit": "家"}


@pytest.mark.parametrize("key,label", [("title", "工作任务"), ("requirement", "具体要求"), ("section", "所属章节"),
                                       ("responsible_leader", "责任领导")])
def test_edit_task_markup_names_the_field(key, label, users, make_task):
    task = make_task(assign=False)
    with pytest.raises(LuoshiError) as e:
        svc.do_update_task(users["supervisor"], task, **{key: "<script>alert(1)</script>"})
    assert e.value.message_zh == f"{label}中不能包含HTML或脚本标签" and e.value.field == key


def test_edit_task_page_names_the_field(users, units, make_task, client_for):
    from tests.ledger.test_task_edit_page import form_data

    task = make_task(assign=False)
    data = form_data(task, units, requirement="<b>加粗</b>")
    body = page_text(client_for("supervisor").post(f"/tasks/{task.pk}/edit/", data, follow=True))
    assert "具体要求中不能包含HTML或脚本标签" in body and "字段中" not in body


def test_unknown_edit_field_is_named(users, make_task):
    with pytest.raises(LuoshiError) as e:
        svc.do_update_task(users["supervisor"], make_task(assign=False), number="DB1")
    assert "number" in e.value.message_zh and e.value.field == "number"


def test_check_plain_text_refuses_a_label_that_names_nothing():
    for label in ("字段", "", "display_name"):
        with pytest.raises(ValueError):
            check_plain_text("x", label, "x")
    with pytest.raises(LuoshiError) as e:
        check_plain_text("<i>x</i>", "办结说明", "note")
    assert e.value.message_zh == "办结说明中不能包含HTML或脚本标签"


@pytest.mark.parametrize("value,words", [("abc", ["延期申请", "整数"]), ("", ["延期申请", "刷新"]),
                                         ("0", ["延期申请", "无效"])])
def test_extension_decision_form_names_the_field(value, words, users, make_task, client_for):
    task = make_task(deadline_working_days=5)
    svc.do_request_extension(users["fgw"], task, new_deadline=task.deadline.replace(year=task.deadline.year + 1),
                             reason="需要招标")
    r = client_for("supervisor").post(f"/tasks/{task.pk}/do/decide_extension/",
                                      {"extension": value, "decision": "approve"}, follow=True)
    body = page_text(r)
    assert "延期审批未成功" in body and "输入整数" not in body
    for w in words:
        assert w in body
    assert ExtensionRequest.objects.get(task=task).decision == ExtensionRequest.Decision.PENDING


@pytest.fixture
def rated(make_task, users):
    t = make_task(title="提升政务服务现场办结率", targets=[RATE, COUNT])
    svc.do_sign_task(users["fgw"], t)
    svc.do_report_progress(users["fgw"], t, text="全部完成", percent=100)
    t = Task.objects.get(pk=t.pk)
    return t, {tg.metric: tg.pk for tg in t.targets.all()}


@pytest.mark.parametrize("rate,count,words", [("-5", "25", ["现场办结率", "不能为负数", "-5"]),
                                              ("100.1", "25", ["现场办结率", "百分比", "不能超过100%"]),
                                              ("95", "-1", ["新增企业数", "不能为负数"])])
def test_achieved_value_out_of_range_is_refused(rate, count, words, rated, users):
    task, ids = rated
    with pytest.raises(LuoshiError) as e:
        svc.do_request_completion(users["fgw"], task, note="已完成", achieved={ids["现场办结率"]: rate,
                                                                             ids["新增企业数"]: count})
    assert e.value.field == "achieved"
    for w in words:
        assert w in e.value.message_zh, e.value.message_zh
    task.refresh_from_db()
    assert task.status == Status.IN_PROGRESS and all(t.achieved is None for t in task.targets.all())


def test_missed_target_at_100_percent_needs_an_explanation(rated, users):
    task, ids = rated
    values = {ids["现场办结率"]: "85", ids["新增企业数"]: "25"}
    with pytest.raises(LuoshiError) as e:
        svc.do_request_completion(users["fgw"], task, achieved=values)
    assert e.value.field == "note" and "现场办结率" in e.value.message_zh and "办结说明" in e.value.message_zh
    assert "新增企业数" not in e.value.message_zh  # met: not listed
    svc.do_request_completion(users["fgw"], task, note="群众预约不足,下季度补足", achieved=values)
    assert Task.objects.get(pk=task.pk).status == Status.COMPLETION_REQUESTED


def test_met_targets_need_no_explanation(rated, users):
    task, ids = rated
    svc.do_request_completion(users["fgw"], task, achieved={ids["现场办结率"]: "100", ids["新增企业数"]: "20"})
    assert Task.objects.get(pk=task.pk).status == Status.COMPLETION_REQUESTED


def test_completion_page_shows_the_range_message(rated, users, client_for):
    task, ids = rated
    body = page_text(client_for("fgw").post(f"/tasks/{task.pk}/do/request_completion/",
                                            {"note": "", f"achieved_{ids['现场办结率']}": "-5",
                                             f"achieved_{ids['新增企业数']}": "25"}, follow=True))
    assert "“现场办结率”的目标完成值不能为负数" in body


@pytest.mark.parametrize("value", ["100.5", "-1"])
def test_percentage_target_value_out_of_range_is_refused(value, make_task):
    with pytest.raises(LuoshiError) as e:
        make_task(targets=[{**RATE, "value": value}])
    assert e.value.field == "targets" and "现场办结率" in e.value.message_zh


def test_demo_achieved_values_stay_in_range():
    import random
    from decimal import Decimal
    from types import SimpleNamespace

    from luoshi.ledger.demo import _achieved

    rng = random.Random(1)
    for value in ("96", "98", "99.5", "100"):
        tg = SimpleNamespace(value=Decimal(value), op=">=", unit="%")
        for _ in range(200):
            assert Decimal(0) <= _achieved(tg, rng) <= 100
