"""确认导入: the Source and the chosen rows become 立项 tasks in ONE transaction."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from luoshi.audit.models import AuditEntry
from luoshi.ledger.models import Source, SourceKind, Status, Task
from luoshi.review import services as svc
from luoshi.review.models import DraftStatus

from .conftest import YEAR, form_data, row_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(users, speech):
    return svc.do_create_draft(users["supervisor"], text=speech)


def _fix_units(post, draft, units):
    """Resolve every unmatched name the way a reviewer would: ignore it, and make sure each row has a lead unit."""
    for i, row in enumerate(draft.document()["tasks"]):
        for role in ("lead", "co"):
            for j, _name in enumerate(row[f"{role}_unmatched"]):
                post[f"t{i}-{role}pick-{j}"] = svc.IGNORE
    return post


def _nothing_written():
    assert Source.objects.count() == 0
    assert Task.objects.count() == 0
    assert not AuditEntry.objects.filter(action__in=["source.create", "task.create", "review.accept"]).exists()


def test_accept_creates_source_and_chosen_tasks(sup_client, draft, users, units):
    url = reverse("review:draft", args=[draft.pk])
    post = _fix_units(form_data(sup_client, url), draft, units)
    i_target, _ = row_of(draft, "网上可办率达到95%以上")
    i_deadline, _ = row_of(draft, "6月底前完成全市政务服务事项梳理")
    i_monthly, _ = row_of(draft, "每月28日前报送整治进展")
    i_days, _ = row_of(draft, "10个工作日内")
    # the reviewer unticks the monthly-report row, gives the target row a co-unit, and edits a title
    post.pop(f"t{i_monthly}-include")
    post[f"t{i_target}-co"] = [str(units["edu"].pk)]
    post[f"t{i_target}-title"] = ["全面推行政务服务事项网上办理"]
    chosen = [i for i, r in enumerate(draft.document()["tasks"]) if f"t{i}-include" in post]
    # every included row needs a lead unit: give the ones without one 甲区
    for i in chosen:
        if not post.get(f"t{i}-lead"):
            post[f"t{i}-lead"] = [str(units["jia"].pk)]
    post.update({"op": "accept", "src_kind": SourceKind.WORK_PLAN, "src_title": "营商环境优化提升工作方案",
                 "src_date": f"{YEAR}-01-15", "src_issuer": "市政府办公室", "src_speaker": ""})
    resp = sup_client.post(url, post)
    source = Source.objects.get()
    assert resp.status_code == 302 and resp["Location"] == reverse("ledger") + f"?source={source.pk}"
    assert (source.kind, source.title, source.date, source.issuer) == (
        SourceKind.WORK_PLAN, "营商环境优化提升工作方案", dt.date(YEAR, 1, 15), "市政府办公室")
    assert "网上可办率达到95%以上" in source.text
    assert source.attachment.name == ""  # pasted text: no file
    tasks = list(Task.objects.order_by("id"))
    assert len(tasks) == len(chosen)
    assert all(t.source == source and t.status == Status.DRAFT for t in tasks)
    assert not any("每月28日前报送整治进展" in t.title for t in tasks)

    t = Task.objects.get(title="全面推行政务服务事项网上办理")
    assert "网上可办率达到95%以上" in t.requirement  # the speech sentence is kept
    assert list(t.lead_units.all()) == [units["fgw"]]
    assert list(t.co_units.all()) == [units["edu"]]
    assert t.section == "主要任务 / 深化“一网通办”改革"
    target = t.targets.get()
    assert (target.metric, target.op, target.value, target.unit) == ("网上可办率", ">=", Decimal(95), "%")
    assert target.text == "网上可办率达到95%以上"

    t = Task.objects.get(title__startswith="6月底前完成全市政务服务事项梳理")
    assert t.deadline == dt.date(YEAR, 6, 30)
    t = Task.objects.get(title__contains="10个工作日内")
    assert t.deadline_working_days == 10 and t.deadline is None
    assert list(t.lead_units.all()) == [units["jia"]]

    for task in tasks:
        assert AuditEntry.objects.filter(action="task.create", object_id=str(task.pk)).exists()
    assert AuditEntry.objects.filter(action="source.create", object_id=str(source.pk)).exists()
    draft.refresh_from_db()
    assert draft.status == DraftStatus.ACCEPTED and draft.source == source
    # the ledger lists them for the supervisor
    ledger = sup_client.get(resp["Location"]).content.decode()
    assert "全面推行政务服务事项网上办理" in ledger
    # and the draft can no longer be changed
    again = sup_client.post(url, post, follow=True).content.decode()
    assert "已导入或已放弃" in again and Task.objects.count() == len(chosen)


def test_recurrence_and_uploaded_file_kept(sup_client, users, units, speech):
    from django.core.files.uploadedfile import SimpleUploadedFile

    sup_client.post(reverse("review:upload"), {"file": SimpleUploadedFile("方案.txt", speech.encode())})
    draft = svc.ImportDraft.objects.get()
    url = reverse("review:draft", args=[draft.pk])
    post = _fix_units(form_data(sup_client, url), draft, units)
    i, row = row_of(draft, "每月28日前报送整治进展")
    for k in list(post):
        if k.endswith("-include"):
            del post[k]
    post[f"t{i}-include"] = ["1"]
    post.update({"op": "accept", "src_title": "营商环境方案"})
    assert post[f"t{i}-recurrence"] == ["monthly:28"]
    resp = sup_client.post(url, post)
    assert resp.status_code == 302
    task = Task.objects.get()
    assert task.recurrence == "monthly:28" and list(task.lead_units.all()) == [units["edu"]]
    assert task.source.attachment.read() == speech.encode()


def test_one_bad_row_creates_nothing(sup_client, draft, units):
    """The past deadline is found only by do_create_task, after the Source was created: all is rolled back."""
    url = reverse("review:draft", args=[draft.pk])
    post = _fix_units(form_data(sup_client, url), draft, units)
    i_ok, _ = row_of(draft, "6月底前完成全市政务服务事项梳理")
    i_past, _ = row_of(draft, "每月28日前报送整治进展")
    for k in list(post):
        if k.endswith("-include"):
            del post[k]
    post[f"t{i_ok}-include"] = ["1"]
    post[f"t{i_past}-include"] = ["1"]
    post[f"t{i_past}-deadline"] = ["2020-01-31"]
    post.update({"op": "accept", "src_title": "营商环境方案"})
    resp = sup_client.post(url, post)
    assert resp.status_code == 400
    page = resp.content.decode()
    # the failing row is named, with the reason, and highlighted in the list and in the text
    assert f"第{i_past + 1}条:完成时限(2020-01-31)早于今天" in page
    assert f'class="card rv-row rv-kind-action rv-row-err" id="row-{i_past}"' in page
    assert f'class="mk mk-action mk-err" id="m-{i_past}"' in page
    _nothing_written()
    draft.refresh_from_db()
    assert draft.status == DraftStatus.DRAFT
    # the reviewer's edits were kept; fixing the row then imports both
    assert draft.document()["tasks"][i_past]["deadline_date"] == "2020-01-31"
    post[f"t{i_past}-deadline"] = [f"{YEAR}-12-31"]
    assert sup_client.post(url, post).status_code == 302
    assert Task.objects.count() == 2 and Source.objects.count() == 1
    assert Task.objects.get(deadline=dt.date(YEAR, 12, 31)).recurrence == "monthly:28"


def test_script_in_a_row_is_refused_with_every_problem_named(sup_client, draft, units):
    url = reverse("review:draft", args=[draft.pk])
    post = form_data(sup_client, url)
    i_ok, _ = row_of(draft, "6月底前完成全市政务服务事项梳理")
    i_bad, row = row_of(draft, "每月28日前报送整治进展")
    assert row["co_unmatched"]
    for k in list(post):
        if k.endswith("-include"):
            del post[k]
    post[f"t{i_ok}-include"] = ["1"]
    post[f"t{i_bad}-include"] = ["1"]
    post[f"t{i_bad}-title"] = ["<script>alert(1)</script>建立排查机制"]
    post[f"t{i_bad}-targets"] = ["整治率 大约九成"]
    post.update({"op": "accept", "src_title": "营商环境方案"})
    resp = sup_client.post(url, post)
    assert resp.status_code == 400
    page = resp.content.decode()
    msg = page.split(f"第{i_bad + 1}条:", 1)[1].split("</div>")[0]
    assert "配合单位“" in msg and "未匹配到单位" in msg
    assert "工作任务中不能包含HTML或脚本标签" in msg
    assert "量化目标“整治率 大约九成”格式不对" in msg
    assert "<script>alert(1)" not in page
    assert f"第{i_ok + 1}条:" not in page
    _nothing_written()


def test_row_without_lead_unit_or_with_unmatched_name(sup_client, draft, units):
    url = reverse("review:draft", args=[draft.pk])
    post = form_data(sup_client, url)
    i_lead, _ = row_of(draft, "6月底前完成全市政务服务事项梳理")
    i_unm, row_unm = row_of(draft, "每月28日前报送整治进展")
    assert row_unm["co_unmatched"], "the extractor names an unknown co-unit here"
    for k in list(post):
        if k.endswith("-include"):
            del post[k]
    post[f"t{i_lead}-include"] = ["1"]
    post[f"t{i_lead}-lead"] = []  # reviewer unticks the only lead unit
    post[f"t{i_unm}-include"] = ["1"]
    post.update({"op": "accept", "src_title": "营商环境方案"})
    resp = sup_client.post(url, post)
    assert resp.status_code == 400
    page = resp.content.decode()
    assert f"第{i_lead + 1}条:至少需要一个牵头单位" in page
    assert f"第{i_unm + 1}条:配合单位“" in page and "未匹配到单位" in page
    _nothing_written()


def test_bad_source_metadata_creates_nothing(sup_client, draft, units):
    url = reverse("review:draft", args=[draft.pk])
    post = _fix_units(form_data(sup_client, url), draft, units)
    for k in list(post):
        if k.endswith("-include"):
            del post[k]
    i, _ = row_of(draft, "6月底前完成全市政务服务事项梳理")
    post[f"t{i}-include"] = ["1"]
    post.update({"op": "accept", "src_title": ""})
    resp = sup_client.post(url, post)
    assert resp.status_code == 400 and "来源标题不能为空" in resp.content.decode()
    post.update({"src_title": "方案", "src_date": "2025-13-45"})
    resp = sup_client.post(url, post)
    assert resp.status_code == 400 and "不是有效日期" in resp.content.decode()
    _nothing_written()


def test_nothing_ticked(sup_client, draft):
    url = reverse("review:draft", args=[draft.pk])
    post = form_data(sup_client, url)
    for k in list(post):
        if k.endswith("-include"):
            del post[k]
    post.update({"op": "accept", "src_title": "方案"})
    resp = sup_client.post(url, post)
    assert resp.status_code == 400 and "请至少勾选一条要导入的任务" in resp.content.decode()
    _nothing_written()
