"""The set-based items pass of the sweep on overdue cases (supervision.items.run_kind/_act_batch): bounded
actions oldest first with the rest deferred, the same rows as one item at a time (notices numbered in
sequence, steps linked to the episode's 督办单, audit entries chained, inbox, case timeline), a ladder that
does not start with the automatic 督办单, and a batch that meets a concurrent writer redone item by item."""
from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError
from django.utils import timezone

from luoshi.audit.models import AuditEntry
from luoshi.audit.services import verify_chain
from luoshi.cases import services as svc
from luoshi.cases.models import CaseEvent
from luoshi.notifications.models import Notification
from luoshi.supervision.models import Escalation, EscalationPolicy, SupervisionNotice
from luoshi.supervision.sweep import run_sweep

from .conftest import COMPLAINANT


def _overdue(new_case, office, units, n, unit="dong"):
    out = []
    for i in range(n):
        case, _ = new_case(kind="complaint", description=f"窗口推诿第{i}件,多次往返未办理")
        # older first: case 0 has the oldest deadline
        out.append(svc.do_dispatch_case(office["dispatcher"], case, unit=units[unit],
                                        at=timezone.now() - dt.timedelta(days=30 - i)))
    return out


def test_actions_bounded_oldest_first_and_the_rest_deferred(new_case, office, units, users):
    cases = _overdue(new_case, office, units, 5)
    today = timezone.localdate()
    r = run_sweep(on=today, settings={"item_actions": 4}, checkpoint=False).items["cases"]
    # each item needs two actions today (its 督办单 and the ladder's first rung): two items, three deferred
    assert (r["overdue"], r["notices"], r["escalations"], r["deferred"]) == (5, 2, 2, 3)
    got = set(SupervisionNotice.objects.filter(source_type="cases").values_list("source_id", flat=True))
    assert got == {cases[0].pk, cases[1].pk}
    r = run_sweep(on=today, settings={"item_actions": 4}, checkpoint=False).items["cases"]
    assert (r["notices"], r["escalations"], r["deferred"]) == (2, 2, 1)
    r = run_sweep(on=today, settings={"item_actions": 4}, checkpoint=False).items["cases"]
    assert (r["notices"], r["escalations"], r["deferred"]) == (1, 1, 0)
    r = run_sweep(on=today, settings={"item_actions": 4}, checkpoint=False).items["cases"]
    assert (r["notices"], r["escalations"], r["deferred"]) == (0, 0, 0)
    # the rows: one automatic red 督办单 per case, numbered in one series without gaps, each rung-1 step
    # pointing at its case's notice; audit entries per notice and step, chained; timeline and inbox
    notices = list(SupervisionNotice.objects.filter(source_type="cases").order_by("seq"))
    assert [n.source_id for n in notices] == [c.pk for c in cases]
    assert [n.seq for n in notices] == list(range(notices[0].seq, notices[0].seq + 5))
    assert all(n.kind == "auto" and n.light == "red" and n.lead_unit == units["dong"] for n in notices)
    steps = {e.source_id: e for e in Escalation.objects.filter(source_type="cases")}
    assert {sid: (e.level, e.kind, e.notice_id) for sid, e in steps.items()} == {
        n.source_id: (1, "notice", n.pk) for n in notices}
    assert AuditEntry.objects.filter(action="notice.issue").count() == 5
    assert AuditEntry.objects.filter(action="escalation.step").count() == 5
    assert verify_chain().ok
    for c in cases:
        kinds = set(CaseEvent.objects.filter(case=c).values_list("kind", flat=True))
        assert {"supervision.notice", "supervision.escalation"} <= kinds
    msgs = Notification.objects.filter(user=users["dong"], kind="notice.issued")
    assert msgs.count() == 5
    for m in Notification.objects.all():
        assert not any(s in m.title + m.body for s in COMPLAINANT.values())


def test_a_ladder_without_the_automatic_notice(new_case, office, units):
    """A policy for cases starting with 提醒, its 督办单 rung three working days later: no automatic notice;
    the 督办单 rung issues an escalation notice of its own."""
    from luoshi.workcal.services import current_calendar

    EscalationPolicy.objects.create(name="案件", tag="cases", steps=[
        {"kind": "remind", "label": "提醒", "after_days": 0, "lights": ["red"]},
        {"kind": "notice", "label": "督办单", "after_days": 3, "lights": ["red"]}])
    (case,) = _overdue(new_case, office, units, 1)
    cal = current_calendar()
    d0 = timezone.localtime(case.deadline).date()
    r = run_sweep(on=d0, checkpoint=False).items["cases"]
    assert (r["notices"], r["escalations"]) == (0, 1)
    assert not SupervisionNotice.objects.exists()
    r = run_sweep(on=cal.add_working_days(d0, 3), checkpoint=False).items["cases"]
    assert (r["notices"], r["escalations"]) == (1, 1)
    n = SupervisionNotice.objects.get()
    assert n.kind == "escalation" and "经督办单前措施后仍未办结" in n.reason and case.number in n.reason
    assert Escalation.objects.get(level=2).notice == n


def test_a_batch_meeting_a_concurrent_writer_is_redone_item_by_item(new_case, office, units):
    """Between the decision and the batch, another sweep issued one case's 督办单: the batch is refused as a
    whole (nothing half-written) and the items are then done one at a time — that case keeps its one
    notice and still gets its rung; the others get both."""
    from luoshi.cases.sweep import describe_items, overdue_keys
    from luoshi.supervision.common import config
    from luoshi.supervision.items import _act_batch, issue_item_notice, run_kind
    from luoshi.supervision.kinds import SupervisedKind
    from luoshi.supervision.lights import WorkdayIndex
    from luoshi.workcal.services import current_calendar

    cases = _overdue(new_case, office, units, 3)
    cal, on = current_calendar(), timezone.localdate()
    wd, cfg = WorkdayIndex(cal), config()

    def racing_describe(ids, now=None):
        items = describe_items(ids, now=now)
        # the other sweep, first: the oldest case's automatic 督办单
        issue_item_notice(kind, items[cases[0].pk], notice_kind="auto", on=on, cal=cal, cfg=cfg, wd=wd)
        return items

    kind = SupervisedKind("cases", "诉求案件", lights=lambda now: {}, overdue_keys=overdue_keys,
                          describe=racing_describe, on_event=None)
    # the batch alone: refused, nothing of it written
    items = describe_items([c.pk for c in cases])
    issue_item_notice(kind, items[cases[0].pk], notice_kind="auto", on=on, cal=cal, cfg=cfg, wd=wd)
    with pytest.raises(IntegrityError):
        _act_batch(kind, [(items[c.pk], True, None) for c in cases], on, cal, cfg, wd,
                   cal.add_working_days(on, 3))
    assert SupervisionNotice.objects.count() == 1
    SupervisionNotice.objects.all().delete()
    # the whole pass: redone item by item
    stats = run_kind(kind, on, cal, wd, cfg)
    assert (stats["notices"], stats["escalations"]) == (2, 3)
    assert sorted(SupervisionNotice.objects.values_list("source_id", flat=True)) == sorted(c.pk for c in cases)
    assert Escalation.objects.count() == 3
    assert verify_chain().ok
