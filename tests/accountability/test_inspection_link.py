"""An inspection finding marked 提出问责建议 becomes, when its plan is published, a proposal (督查检查发现问题)
against the finding's unit; the person the finding names is a pending 问责对象 that only those entitled
see — not the 督查员 (facts, cause), not the unit's liaison, not the audit trail. Unreferred findings and
unpublished (暗访) plans raise nothing."""
from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from luoshi.accountability import services as asvc
from luoshi.accountability.hooks import sync_findings
from luoshi.accountability.models import CauseType, Person, Proposal
from luoshi.audit.models import AuditEntry
from luoshi.inspections import services as isvc
from tests.conftest import PASSWORD
from tests.inspections.conftest import checklist, inspector, secret_plan, visited  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db

STAFF = "周立伟"
POST = "窗口科科员PX7731"


@pytest.fixture
def referred(secret_plan, visited, users, units):
    """A grave finding at 市发改委 naming 周立伟, referred for accountability (the plan not yet published)."""
    item = secret_plan.checklist.items.order_by("id").last()
    return isvc.do_record_finding(users["supervisor"], secret_plan, unit=units["fgw"], item=item, severity="grave",
                                  description="工作人员上班时间玩手机游戏,被群众拍照投诉", staff_name=STAFF,
                                  refer_accountability=True)


def client_for(user):
    c = Client()
    assert c.login(username=user.username, password=PASSWORD)
    return c


def test_publication_raises_the_proposal_with_the_named_person(referred, secret_plan, users, units, officer):
    assert not Proposal.objects.exists()  # nothing before publication (the 暗访 is still secret)
    isvc.do_publish_plan(users["supervisor"], secret_plan, summary="现将暗访情况通报如下。", on=dt.date.today())
    p = Proposal.objects.get()
    assert (p.cause_type, p.cause, p.unit) == (CauseType.INSPECTION, referred, units["fgw"])
    assert "政务服务窗口暗访" in p.cause_label and "严重" in p.cause_label
    assert "玩手机游戏" in p.facts
    assert STAFF not in p.facts + p.cause_label  # the name is a personal record, not a fact 督查员 read
    (person,) = p.people.all()
    assert (person.name, person.unit, person.responsibility, person.state, person.post) == (
        STAFF, units["fgw"], "direct", Person.State.PENDING, asvc.UNCONFIRMED_POST)
    assert person.suggested_measure == asvc.ladder()[0]
    # audited (as 系统), without the name
    entries = AuditEntry.objects.filter(action__startswith="accountability.")
    assert {"accountability.propose", "accountability.person.add"} <= set(entries.values_list("action", flat=True))
    for e in entries:
        assert STAFF not in str(e.after) + str(e.summary) + str(e.object_repr)
    # the other findings of the plan (not referred) raise nothing; a second delivery changes nothing
    assert secret_plan.findings.count() == 2 and Proposal.objects.count() == 1
    assert sync_findings() == 0
    from luoshi.inspections.signals import finding_referred

    finding_referred.send(sender=type(referred), finding=referred, kind="accountability", actor=users["supervisor"])
    assert Proposal.objects.count() == 1 and Person.objects.count() == 1


def test_who_sees_the_named_person(referred, secret_plan, users, officer):
    isvc.do_publish_plan(users["supervisor"], secret_plan, on=dt.date.today())
    p = Proposal.objects.get()
    url, api = f"/accountability/{p.pk}/", f"/api/accountability/proposals/{p.pk}/"
    for who in (officer, users["leader"]):  # 纪检/组织; the leader over 市发改委
        c = client_for(who)
        assert STAFF in c.get(url).content.decode() and STAFF in c.get(api).content.decode()
    for who in (users["supervisor"], users["fgw"]):  # 督查员: summary; the unit's liaison: unit level
        c = client_for(who)
        page, data = c.get(url), c.get(api)
        assert page.status_code == 200 and data.status_code == 200
        assert STAFF not in page.content.decode() + data.content.decode()
        assert "people" not in data.json()
    for who in (users["edu"], users["jia_leader"]):  # another unit, another leader's subtree
        assert client_for(who).get(url).status_code == 404
    # the audit page (read by 督查员) never shows the name
    assert STAFF not in client_for(users["supervisor"]).get("/audit/").content.decode()


def test_officer_amends_then_decides_and_the_repeat_rule_applies(referred, secret_plan, users, units, officer):
    isvc.do_publish_plan(users["supervisor"], secret_plan, on=dt.date.today())
    p = Proposal.objects.get()
    person = p.people.get()
    c = client_for(users["supervisor"])  # not an officer: refused, nothing changed
    assert c.post(f"/accountability/people/{person.pk}/amend/",
                  {"post": POST, "responsibility": "direct", "unit": units["fgw"].pk}).status_code in (403, 404)
    c = client_for(officer)
    resp = c.post(f"/accountability/people/{person.pk}/amend/",
                  {"post": "", "responsibility": "direct", "unit": units["fgw"].pk})
    person.refresh_from_db()
    assert resp.status_code == 302 and person.post == asvc.UNCONFIRMED_POST  # bad input: nothing written
    resp = c.post(f"/accountability/people/{person.pk}/amend/",
                  {"post": POST, "responsibility": "important_leader", "unit": units["fgw"].pk})
    person.refresh_from_db()
    assert resp.status_code == 302 and (person.post, person.responsibility) == (POST, "important_leader")
    entry = AuditEntry.objects.filter(action="accountability.person.amend").get()
    assert POST not in str(entry.after) + str(entry.before) and STAFF not in str(entry.after)
    asvc.do_decide(officer, p, decision_number="市纪〔2026〕31号", on=dt.date.today(),
                   measures={person.pk: "criticism"})
    with pytest.raises(Exception):
        asvc.do_amend_person(officer, person, post="x", responsibility="direct")
    # the same person named again in another plan: the repeat rule raises the suggestion one rung
    plan2 = isvc.do_create_plan(users["supervisor"], title="政务服务窗口明查(第二轮)", mode="open",
                                checklist=secret_plan.checklist, units=[units["fgw"]],
                                inspectors=[users["inspector"]], start_on=dt.date.today() - dt.timedelta(days=2),
                                end_on=dt.date.today())
    f2 = isvc.do_record_finding(users["supervisor"], plan2, unit=units["fgw"], description="再次离岗", staff_name=STAFF,
                                refer_accountability=True)
    isvc.do_publish_plan(users["supervisor"], plan2, on=dt.date.today())
    again = Proposal.objects.get(cause_id=str(f2.pk)).people.get()
    rungs = asvc.ladder()
    assert again.prior_count == 1
    assert again.suggested_measure == rungs[1] and "第2次被问责" in again.suggestion_note


def test_unreferred_and_unnamed_findings(secret_plan, visited, users, units, officer):
    isvc.do_record_finding(users["supervisor"], secret_plan, unit=units["fgw"], description="未提供一次性告知单")
    unnamed = isvc.do_record_finding(users["supervisor"], secret_plan, unit=units["jia_fg"],
                                     description="窗口无人值守", refer_accountability=True)
    isvc.do_publish_plan(users["supervisor"], secret_plan, on=dt.date.today())
    p = Proposal.objects.get()  # only the referred one
    assert p.cause == unnamed and p.unit == units["jia_fg"] and not p.people.exists()


def test_sync_catches_up_findings_published_without_the_hook(referred, secret_plan, users):
    from luoshi.accountability.hooks import on_finding_referred
    from luoshi.inspections.signals import finding_referred

    finding_referred.disconnect(dispatch_uid="accountability.finding_referred")
    try:
        isvc.do_publish_plan(users["supervisor"], secret_plan, on=dt.date.today())
    finally:
        finding_referred.connect(on_finding_referred, dispatch_uid="accountability.finding_referred")
    assert not Proposal.objects.exists()
    assert sync_findings() == 1 and sync_findings() == 0
    assert Proposal.objects.get().people.get().name == STAFF
