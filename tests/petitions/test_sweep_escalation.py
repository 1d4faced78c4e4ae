"""The petition sweep as a command and a job, and overdue petitions in the supervision engine
(supervised kind, escalation ladder up to a 督办单) without the petitioner ever reaching the unit."""
import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from luoshi.audit.models import AuditEntry
from luoshi.petitions import services as svc
from luoshi.petitions.models import Petition
from luoshi.supervision.models import Escalation, SupervisionNotice

pytestmark = pytest.mark.django_db
NAME, PHONE = "张三丰", "13812341234"
D = dt.date


@pytest.fixture
def late(register, users, units):
    """A petition handled by 市发改委, accepted on 3-05 (办理 60 日 → 2026-05-05), never answered."""
    p = register()
    svc.do_assign_petition(users["supervisor"], p, units["fgw"])
    svc.do_accept_petition(users["fgw"], p, on=D(2026, 3, 5))
    p.refresh_from_db()
    assert p.deadline == D(2026, 5, 6)  # 5-05 is in the 劳动节 holiday: rolls to the next working day
    return p


def _cli(*args):
    out = io.StringIO()
    call_command("petitions", *args, stdout=out)
    return out.getvalue()


def test_cli_sweep_is_idempotent_and_audited(late, users):
    on = "2026-05-07"
    first = json.loads(_cli("sweep", "--at", on, "--force", "--json"))
    assert first["changed"]["red"] == 1 and first["new_backlog"] == 1 and first["lights"]["red"] == 1
    # the supervision engine: a red 督办单 the day it turns overdue, and the first step (提醒)
    assert first["notices"] == 1 and first["escalations"] == 1
    again = json.loads(_cli("sweep", "--at", on, "--force", "--json"))
    assert again["changed"] == {"red": 0, "blue": 0, "green": 0}
    assert again["new_backlog"] == 0 and again["escalations"] == 0 and again["reminded"] == 0
    assert again["notices"] == 0 and SupervisionNotice.objects.count() == 1
    assert Escalation.objects.filter(source_type="petitions").count() == 1
    late.refresh_from_db()
    assert late.backlog and late.light == "red"
    runs = AuditEntry.objects.filter(action="petition.sweep")
    assert runs.count() == 2 and AuditEntry.objects.filter(action="petition.backlog").count() == 1
    assert AuditEntry.objects.filter(action="escalation.step").count() == 1
    text = _cli("sweep", "--at", on, "--force")
    assert "petition sweep 2026-05-07" in text and "new 积案 0" in text


def test_cli_refuses_other_days_and_dry_run_writes_nothing(late):
    with pytest.raises(CommandError, match="not today"):
        _cli("sweep", "--at", "2026-05-07")
    with pytest.raises(CommandError, match="not a date"):
        _cli("sweep", "--at", "2026-13-01")
    out = json.loads(_cli("sweep", "--at", "2026-05-07", "--dry-run", "--json"))
    assert out["dry_run"] and out["new_backlog"] == 1
    assert not Petition.objects.filter(backlog=True).exists() and not Escalation.objects.filter(source_type="petitions").exists()
    assert not AuditEntry.objects.filter(action="petition.sweep").exists()


def test_job_runs_the_sweep(late):
    from luoshi.petitions.tasks import petition_sweep_task

    result = petition_sweep_task.enqueue("2026-05-07")
    assert result.return_value["new_backlog"] == 1
    out = _cli("sweep", "--at", "2026-05-07", "--force", "--enqueue")
    assert "enqueued petition sweep" in out
    assert Petition.objects.get(pk=late.pk).backlog


def test_supervision_sweep_sees_petitions_as_a_kind(late, units):
    from luoshi.supervision.kinds import kind_lights
    from luoshi.supervision.sweep import run_sweep

    res = run_sweep(D(2026, 5, 7), checkpoint=False)
    assert res.kinds["petitions"]["totals"]["red"] == 1
    assert res.kinds["petitions"]["red_units"] == [units["fgw"].pk]
    assert res.items["petitions"]["overdue"] == 1 and res.items["petitions"]["notices"] == 1
    assert res.items["petitions"]["escalations"] == 1
    # 临期 (≤ 3 working days left) counts as yellow for the kind
    assert kind_lights(D(2026, 4, 30))["petitions"]["by_unit"][units["fgw"].pk] == {"red": 0, "yellow": 1, "green": 0}
    assert kind_lights(D(2026, 4, 1))["petitions"]["totals"]["green"] == 1


def _ladder(on):
    from luoshi.petitions.sweep import run_petition_sweep

    return run_petition_sweep(on)


def test_escalation_ladder_and_notice_without_the_petitioner(late, users, units):
    fgw = users["fgw"]
    r = _ladder(D(2026, 5, 7))                              # first overdue day: the 督办单 rung
    assert r.notices == 1 and r.escalations == 1
    assert _ladder(D(2026, 5, 8)).escalations == 0          # 催办 waits 3 working days
    assert _ladder(D(2026, 5, 12)).escalations == 1         # 催办
    assert _ladder(D(2026, 5, 15)).escalations == 0         # 挂牌督办 waits 5 working days after 催办
    assert _ladder(D(2026, 5, 19)).escalations == 1         # 挂牌督办
    steps = list(Escalation.objects.filter(source_type="petitions").order_by("level").values_list("kind", flat=True))
    assert steps == ["notice", "urge", "listed"]
    notices = SupervisionNotice.objects.filter(source_type="petitions").order_by("id")
    assert [n.kind for n in notices] == ["auto"]             # the automatic 督办单 is the ladder's first rung
    assert Escalation.objects.get(source_type="petitions", level=1).notice_id == notices[0].pk
    notice = notices[0]
    assert notice.task is None and notice.source_id == late.pk and notice.source_url == f"/petitions/{late.pk}/"
    assert notice.lead_unit == units["fgw"] and notice.light == "red" and late.number in notice.reason
    # the unit hears of it, without the petitioner
    msgs = fgw.notifications.filter(kind__in=("escalation.urge", "escalation.listed", "notice.issued"))
    assert sorted(msgs.values_list("kind", flat=True)) == ["escalation.listed", "escalation.urge", "notice.issued"]
    for m in msgs:
        assert NAME not in m.title + m.body and PHONE not in m.title + m.body
    # the petition's 办理过程 shows the supervision steps
    assert late.events.filter(kind__startswith="supervision.").count() >= 4
    # the unit reads, downloads and answers it on the supervision pages
    c = Client()
    c.force_login(fgw)
    page = c.get(f"/supervision/notices/{notice.pk}/").content.decode()
    assert late.number in page and f"/petitions/{late.pk}/" in page and NAME not in page
    assert late.number in c.get("/supervision/notices/").content.decode()
    api = c.get(f"/api/notices/{notice.pk}/")
    assert api.status_code == 200 and NAME not in api.content.decode()
    pdf = c.get(f"/supervision/notices/{notice.pk}/pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    from luoshi.supervision.notices import do_answer_notice

    for n in notices:
        do_answer_notice(fgw, n, "已约见信访人,正在办理。", on=D(2026, 5, 20))  # the simulated day
    # answered after the last step: the ladder waits
    assert _ladder(D(2026, 6, 3)).escalations == 0
    # the audit trail of the steps carries no identity
    for e in AuditEntry.objects.filter(action__in=("escalation.step", "notice.issue")):
        assert NAME not in str(e.after) + e.summary + e.object_repr


@pytest.mark.parametrize("role,sees", [("supervisor", True), ("fgw", True), ("leader", True), ("edu", False),
                                       ("discipline", False), ("operator", False), ("inspector", False),
                                       ("jia_leader", False)])
def test_petition_notice_read_under_the_petitions_scope(late, users, role, sees):
    for d in (7, 12, 15):
        _ladder(D(2026, 5, d))
    notice = SupervisionNotice.objects.filter(source_type="petitions").first()
    c = Client()
    c.force_login(users[role])
    page = c.get(f"/supervision/notices/{notice.pk}/")
    listed = c.get("/supervision/notices/")
    api = c.get("/api/notices/")
    if sees:
        assert page.status_code == 200 and notice.number in listed.content.decode()
        assert any(n["id"] == notice.pk for n in api.json()["results"])
    else:
        assert page.status_code in (403, 404) and notice.number not in listed.content.decode()
        assert api.status_code == 403 or all(n["id"] != notice.pk for n in api.json()["results"])


def test_an_overdue_review_is_not_the_handling_units(late, users, units):
    """复查/复核 are decided by the higher office (信访工作条例 第三十五、三十六条): when the 复查 limit passes,
    the petition turns red and is a 积案, but the handling unit gets no 督办单 and no ladder for it, and
    its lights on the supervision pages do not count it."""
    from luoshi.petitions.sweep import petition_lights

    _ladder(D(2026, 5, 7))
    svc.do_answer_petition(users["fgw"], late, "已答复。", on=D(2026, 5, 8))
    svc.do_request_review(users["supervisor"], late, stage="review", on=D(2026, 5, 10))
    late.refresh_from_db()
    assert late.status == "review"
    day_after = late.deadline + dt.timedelta(days=1)
    before = SupervisionNotice.objects.count()
    _ladder(day_after)
    late.refresh_from_db()
    assert late.light == "red" and late.backlog
    assert late.backlog_reason == "超过办理期限未办结"  # listed when the 办理 limit ran out (5-07), kept
    eps = sorted(Escalation.objects.filter(source_type="petitions").values_list("episode_since", "level"))
    assert eps == [(D(2026, 5, 7), 1)] and SupervisionNotice.objects.count() == before
    assert petition_lights(day_after).get(units["fgw"].pk, {"red": 0})["red"] == 0


def test_the_backlog_reason_names_the_limit_that_ran_out(register, users, units):
    """积案 reason by stage: a petition first overdue in its 复查 is listed 超过复查期限未办结 (not 办理)."""
    p = register()
    svc.do_assign_petition(users["supervisor"], p, units["fgw"])
    svc.do_accept_petition(users["fgw"], p, on=D(2026, 3, 5))
    svc.do_answer_petition(users["fgw"], p, "已答复。", on=D(2026, 3, 20))
    svc.do_request_review(users["supervisor"], p, stage="review", on=D(2026, 3, 25))
    p.refresh_from_db()
    _ladder(p.deadline + dt.timedelta(days=1))
    p.refresh_from_db()
    assert p.backlog and p.backlog_reason == "超过复查期限未办结"
    entry = AuditEntry.objects.get(action="petition.backlog")
    assert entry.after["reason"] == "超过复查期限未办结"
