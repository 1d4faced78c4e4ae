"""The only writers of accountability (问责) records. Views, API, CLI, hooks and demo call these.

Flow: a proposal (问责建议) arises from a cause — `propose_from_cause` (hooks: an escalation step
约谈/问责建议 of a task at the end of its ladder, a 效能投诉 found 属实, an inspection finding, an
assessment 一票否决) or `do_propose` by hand → the accountability officer (纪检/组织) adds the people
(`do_add_person`; repeat cases within `repeat_days` escalate the suggested measure) → `do_decide` with
the decision document number (文号) and date → 申辩 (before) / 申诉 (after, within `appeal_days` of
the decision) by the person, each decided with `do_decide_appeal`.

Rules and their sources:
* responsibility types 直接责任/主要领导责任/重要领导责任 and the measures ladder (责成书面检查 …
  停职离岗培训或强行交流; 调离岗位, 免职, 解除聘用 as organisational measures): 《关于实行党政领导干部
  问责的暂行规定》 and the 效能问责 rules the seed speeches quote;
* 党纪政纪处分 is a referral (移送) to the discipline organs, recorded as such, never decided here;
* 申诉 within 15 days of receiving the decision (暂行规定 第二十条), configurable.

Settings: LUOSHI_ACCOUNTABILITY = {"repeat_days": 365, "appeal_days": 15}.
Errors: LuoshiError (400) for bad input, NotAllowed (403) for the wrong role; nothing half-written.
Audit entries never carry a person's name (the audit page is read by 督查员): ids and codes only.
"""
from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings as dj_settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone

from luoshi.audit.services import record
from luoshi.core.errors import LuoshiError, check_plain_text, deny
from luoshi.orgs.models import Unit

from . import effects
from .models import (Appeal, AssessmentEffect, Bulletin, BulletinCounter, CauseType, MeasureCategory,
                     MeasureType, Person, Proposal, ProposalCounter, Responsibility)
from .permissions import can_propose, is_officer

log = logging.getLogger(__name__)

DEFAULTS = {"repeat_days": 365, "appeal_days": 15}



def config() -> dict:
    cfg = dict(DEFAULTS)
    cfg.update(getattr(dj_settings, "LUOSHI_ACCOUNTABILITY", {}) or {})
    return cfg


def today() -> dt.date:
    return timezone.localdate()


def _check_officer(actor, what_en: str, what_zh: str) -> None:
    if not is_officer(actor):
        deny(what_en, what_zh)


def _date(value, label_zh: str, field: str, *, default: dt.date | None = None) -> dt.date:
    if value in (None, ""):
        if default is None:
            raise LuoshiError(f"{field} is required", f"{label_zh}不能为空", field=field)
        return default
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            raise LuoshiError(f"{field} must be a date YYYY-MM-DD", f"{label_zh}格式应为“年-月-日”",
                              field=field) from None
    if value > today():
        raise LuoshiError(f"{field} must not be in the future", f"{label_zh}不能晚于今天", field=field)
    if value.year < 2000:
        raise LuoshiError(f"{field} is too far in the past", f"{label_zh}早于2000年", field=field)
    return value


def _next(counter_model, year: int, prefix: str) -> str:
    return f"{prefix}〔{year}〕第{counter_model.next_number(year):04d}号"


# ---- the ladder ----------------------------------------------------------------------------

def ensure_ladder() -> None:
    """Seed the default ladder when no measure exists at all (never touches a configured ladder)."""
    if not MeasureType.objects.exists():
        from .defaults import LADDER

        for code, name, rank, category, deduction, cancels in LADDER:
            MeasureType.objects.get_or_create(code=code, defaults={
                "name": name, "rank": rank, "category": category, "deduction": deduction,
                "cancels_honours": cancels})


def ladder() -> list[MeasureType]:
    """The active 问责措施 in order of severity (organisational measures and referrals excluded):
    the rungs a repeat case climbs."""
    ensure_ladder()
    return list(MeasureType.objects.filter(is_active=True, category=MeasureCategory.MEASURE).order_by("rank", "id"))


def ladder_all() -> list[MeasureType]:
    """Every active measure (the ladder, organisational measures, the referral), mildest first."""
    ensure_ladder()
    return list(MeasureType.objects.filter(is_active=True).order_by("rank", "id"))


def measure_by_code(code: str, *, field: str = "measure") -> MeasureType:
    ensure_ladder()
    m = MeasureType.objects.filter(code=code, is_active=True).first() if code else None
    if m is None:
        raise LuoshiError(f"unknown measure {code!r}", f"未知的问责措施“{code}”", field=field)
    return m


@transaction.atomic
def do_save_measure_type(actor, *, code: str, name: str, rank: int, category: str = MeasureCategory.MEASURE,
                         deduction="0", cancels_honours: bool = False, is_active: bool = True) -> MeasureType:
    """Add or change one rung of the ladder (纪检/组织 or 管理员). Never deleted: set is_active=False."""
    if not (is_officer(actor) or getattr(actor, "is_luoshi_admin", False)):
        deny("configure the measures", "配置问责措施")
    from decimal import Decimal, InvalidOperation

    name = check_plain_text(name, "措施名称", "name", max_length=40, required=True)
    if category not in MeasureCategory.values:
        raise LuoshiError(f"unknown category {category!r}", "未知的措施类别", field="category")
    try:
        deduction = Decimal(str(deduction))
    except InvalidOperation:
        raise LuoshiError("deduction must be a number", "考核扣分应为数字", field="deduction") from None
    if not (0 <= deduction <= 100):
        raise LuoshiError("deduction must be between 0 and 100", "考核扣分应在0到100之间", field="deduction")
    obj = MeasureType.objects.select_for_update().filter(code=code).first()
    before = None if obj is None else {"name": obj.name, "rank": obj.rank, "category": obj.category,
                                       "deduction": obj.deduction, "cancels_honours": obj.cancels_honours,
                                       "is_active": obj.is_active}
    obj = obj or MeasureType(code=code)
    obj.name, obj.rank, obj.category = name, int(rank), category
    obj.deduction, obj.cancels_honours, obj.is_active = deduction, bool(cancels_honours), bool(is_active)
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError:
        raise LuoshiError("a measure with this name exists", "已有同名问责措施", field="name") from None
    record(actor, "accountability.measure.save", obj, before=before,
           after={"name": obj.name, "rank": obj.rank, "category": obj.category, "deduction": obj.deduction,
                  "cancels_honours": obj.cancels_honours, "is_active": obj.is_active})
    return obj


# ---- proposals -------------------------------------------------------------------------------

def _officers():
    from luoshi.accounts.models import User

    from .permissions import DISCIPLINE

    return list(User.objects.filter(role=DISCIPLINE, is_active=True).order_by("id"))


def _notify(users, *, kind: str, title: str, body: str = "", url: str = "") -> int:
    from .notify import deliver

    return deliver(users, kind=kind, title=title, body=body, url=url)


def _proposal_after(p: Proposal) -> dict:
    return {"number": p.number, "cause_type": p.cause_type, "cause": p.cause_label, "unit": p.unit_id,
            "task": p.task_id, "state": p.state}


@transaction.atomic
def do_propose(actor, *, cause_type: str, unit: Unit, facts: str = "", task=None, cause=None,
               cause_label: str = "", on: dt.date | None = None) -> Proposal:
    """Raise a proposal (问责建议). `actor`: a user who may propose (督查员/管理员/纪检组织), or a
    string such as "系统" when a hook raises it. `cause`: the model instance it arises from (generic
    reference; one proposal per cause — a second call returns the first proposal unchanged).

    Returns the Proposal (state 待决定). Raises LuoshiError on bad input, NotAllowed on a wrong role.
    """
    if not isinstance(actor, str) and not can_propose(actor):
        deny("raise an accountability proposal", "提出问责建议")
    if cause_type not in CauseType.values:
        raise LuoshiError(f"unknown cause type {cause_type!r}", "未知的问责事由类型", field="cause_type")
    if unit is None:
        raise LuoshiError("unit is required", "请选择责任单位", field="unit")
    facts = check_plain_text(facts, "问题事实", "facts", max_length=5000,
                             required=cause_type == CauseType.MANUAL)
    cause_label = check_plain_text(cause_label, "事由", "cause_label", max_length=300)
    on = _date(on, "提出日期", "on", default=today())
    ct, cid = None, ""
    if cause is not None:
        ct, cid = ContentType.objects.get_for_model(type(cause)), str(cause.pk)
        existing = Proposal.objects.filter(cause_ct=ct, cause_id=cid).first()
        if existing is not None:
            return existing
        cause_label = cause_label or str(cause)[:300]
    if task is not None and unit is None:
        unit = task.lead_units.order_by("sort_order", "id").first()
    p = Proposal(cause_type=cause_type, cause_ct=ct, cause_id=cid,
                 cause_label=cause_label or CauseType(cause_type).label, task=task, unit=unit, facts=facts,
                 proposed_by=None if isinstance(actor, str) else actor, proposed_on=on)
    p.number = _next(ProposalCounter, on.year, "问责")
    try:
        with transaction.atomic():
            p.save()
    except IntegrityError:  # a concurrent hook made it first
        transaction.set_rollback(True)
        return Proposal.objects.get(cause_ct=ct, cause_id=cid)
    record(actor, "accountability.propose", p, summary=f"{p.number} {p.get_cause_type_display()}",
           after=_proposal_after(p))
    _notify(_officers(), kind="accountability.proposed", title=f"【问责建议】{p.number} {unit.display_name}",
            body=f"{p.get_cause_type_display()}:{p.cause_label}", url=f"/accountability/{p.pk}/")
    return p


def propose_from_cause(cause_type: str, cause, *, unit: Unit, task=None, facts: str = "",
                       cause_label: str = "", on: dt.date | None = None) -> Proposal:
    """What hooks call: the proposal for `cause`, raised by the system if there is none yet."""
    return do_propose("系统", cause_type=cause_type, unit=unit, facts=facts, task=task, cause=cause,
                      cause_label=cause_label, on=on)


def _lock(obj):
    return type(obj).objects.select_for_update().get(pk=obj.pk)


def identity_q(name: str, unit_id: int, user_id: int | None):
    """The same person across proposals: the same account, or the same name in the same unit."""
    from django.db.models import Q

    q = Q(name=name, unit_id=unit_id)
    return q | Q(user_id=user_id) if user_id else q


def suggest(name: str, unit_id: int, user_id: int | None, base: MeasureType | None, on: dt.date
            ) -> tuple[MeasureType, int, str]:
    """(suggested measure, prior cases, note): one rung up the ladder for every case decided on the
    same person within `repeat_days` before `on` (the repeat rule: 重复问责从重)."""
    rungs = ladder()
    if not rungs:
        raise LuoshiError("no active measures are configured", "尚未配置问责措施", field="measure")
    since = on - dt.timedelta(days=int(config()["repeat_days"]))
    prior = (Person.objects.filter(identity_q(name, unit_id, user_id))
             .filter(state__in=(Person.State.DECIDED, Person.State.REFERRED), decided_on__gte=since,
                     decided_on__lte=on).count())
    base = base or rungs[0]
    if base not in rungs or prior == 0:
        return base, prior, ""
    idx = min(rungs.index(base) + prior, len(rungs) - 1)
    out = rungs[idx]
    note = (f"{config()['repeat_days']}日内第{prior + 1}次被问责,建议措施由“{base.name}”升为“{out.name}”"
            if out != base else f"{config()['repeat_days']}日内第{prior + 1}次被问责(已是最重的问责措施)")
    return out, prior, note


@transaction.atomic
def do_add_person(actor, proposal: Proposal, *, name: str, post: str, unit: Unit, responsibility: str,
                  measure: str | None = None, user=None, on: dt.date | None = None) -> Person:
    """Add a person to a pending proposal (纪检/组织 only). `measure`: the code of the measure the
    officer has in mind (default: the mildest rung); the repeat rule may raise it.
    Returns the Person with `suggested_measure`, `prior_count` and `suggestion_note` set."""
    _check_officer(actor, "add people to a proposal", "添加问责对象")
    proposal = _lock(proposal)
    if proposal.state != Proposal.State.PROPOSED:
        raise LuoshiError("the proposal is already decided", "该问责建议已作出决定,不能再添加问责对象")
    name = check_plain_text(name, "姓名", "name", max_length=40, required=True)
    post = check_plain_text(post, "职务", "post", max_length=100, required=True)
    if unit is None:
        raise LuoshiError("unit is required", "请选择问责对象所在单位", field="unit")
    if responsibility not in Responsibility.values:
        raise LuoshiError(f"unknown responsibility {responsibility!r}", "请选择责任类型", field="responsibility")
    base = measure_by_code(measure) if measure else None
    on = on or today()
    suggested, prior, note = suggest(name, unit.pk, getattr(user, "pk", None), base, on)
    person = Person.objects.create(proposal=proposal, name=name, post=post, unit=unit, responsibility=responsibility,
                                   user=user, suggested_measure=suggested, prior_count=prior, suggestion_note=note,
                                   cause_type=proposal.cause_type)
    record(actor, "accountability.person.add", person, summary=f"{proposal.number} 添加问责对象",
           after={"proposal": proposal.pk, "unit": unit.pk, "responsibility": responsibility,
                  "suggested": suggested.code, "prior": prior})
    return person


UNCONFIRMED_POST = "待核实"


@transaction.atomic
def add_person_from_cause(proposal: Proposal, *, name: str, unit: Unit, post: str = UNCONFIRMED_POST,
                          responsibility: str = Responsibility.DIRECT) -> Person:
    """What hooks call when the cause names a person (an inspection finding's 涉及人员): a pending 问责对象
    added by the system (audited as 系统, without the name), post 待核实 until the officer amends it
    (`do_amend_person`). The repeat rule applies as for `do_add_person`."""
    proposal = _lock(proposal)
    if proposal.state != Proposal.State.PROPOSED:
        raise LuoshiError("the proposal is already decided", "该问责建议已作出决定,不能再添加问责对象")
    name = check_plain_text(name, "姓名", "name", max_length=40, required=True)
    post = check_plain_text(post, "职务", "post", max_length=100, required=True)
    on = proposal.proposed_on
    suggested, prior, note = suggest(name, unit.pk, None, None, on)
    person = Person.objects.create(proposal=proposal, name=name, post=post, unit=unit, responsibility=responsibility,
                                   suggested_measure=suggested, prior_count=prior, suggestion_note=note,
                                   cause_type=proposal.cause_type)
    record("系统", "accountability.person.add", person, summary=f"{proposal.number} 添加问责对象(事由所涉人员)",
           after={"proposal": proposal.pk, "unit": unit.pk, "responsibility": responsibility,
                  "suggested": suggested.code, "prior": prior})
    return person


@transaction.atomic
def do_amend_person(actor, person: Person, *, post: str, responsibility: str, unit: Unit | None = None) -> Person:
    """Correct a pending 问责对象's post, responsibility type or unit (纪检/组织), e.g. after verifying the
    person a finding named. The suggested measure is re-derived when the unit changes (repeat rule)."""
    _check_officer(actor, "amend people of a proposal", "修改问责对象")
    person = _lock(person)
    if person.state != Person.State.PENDING:
        raise LuoshiError("only a pending person can be amended", "只能修改待决定的问责对象")
    post = check_plain_text(post, "职务", "post", max_length=100, required=True)
    if responsibility not in Responsibility.values:
        raise LuoshiError(f"unknown responsibility {responsibility!r}", "请选择责任类型", field="responsibility")
    before = {"post_changed": False, "responsibility": person.responsibility, "unit": person.unit_id,
              "suggested": person.suggested_measure.code}
    after = {"post_changed": post != person.post, "responsibility": responsibility}
    person.post, person.responsibility = post, responsibility
    if unit is not None and unit.pk != person.unit_id:
        person.unit = unit
        base = person.suggested_measure if not person.prior_count else None
        person.suggested_measure, person.prior_count, person.suggestion_note = suggest(
            person.name, unit.pk, person.user_id, base, person.proposal.proposed_on)
    after.update(unit=person.unit_id, suggested=person.suggested_measure.code)
    person.save(update_fields=["post", "responsibility", "unit", "suggested_measure", "prior_count",
                               "suggestion_note"])
    record(actor, "accountability.person.amend", person, summary=f"{person.proposal.number} 修改问责对象",
           before=before, after=after)
    return person


@transaction.atomic
def do_withdraw_person(actor, person: Person, reason: str) -> Person:
    """Take a person off a pending proposal (kept, marked 已撤回)."""
    _check_officer(actor, "withdraw people from a proposal", "撤回问责对象")
    person = _lock(person)
    if person.state != Person.State.PENDING:
        raise LuoshiError("only a pending person can be withdrawn", "只能撤回待决定的问责对象")
    person.withdrawn_reason = check_plain_text(reason, "撤回原因", "reason", max_length=300, required=True)
    person.state = Person.State.WITHDRAWN
    person.save(update_fields=["state", "withdrawn_reason"])
    record(actor, "accountability.person.withdraw", person, summary=f"{person.proposal.number} 撤回问责对象",
           after={"state": person.state})
    return person


def _effect_for(person: Person, measure: MeasureType, on: dt.date) -> AssessmentEffect | None:
    if measure.category == MeasureCategory.REFERRAL or (not measure.deduction and not measure.cancels_honours):
        return None
    eff = AssessmentEffect.objects.create(person=person, unit_id=person.proposal.unit_id, year=on.year,
                                          measure=measure, deduction=measure.deduction,
                                          cancels_honours=measure.cancels_honours)
    effects.push(eff)
    return eff


def _deactivate_effects(person: Person) -> int:
    changed = list(AssessmentEffect.objects.select_for_update().filter(person=person, is_active=True))
    for eff in changed:
        eff.is_active = False
        eff.save(update_fields=["is_active"])
        effects.push(eff)
    return len(changed)


@transaction.atomic
def do_decide(actor, proposal: Proposal, *, decision_number: str, on, measures: dict, note: str = "") -> Proposal:
    """The decision (问责决定) of 纪检/组织 on a pending proposal.

    `measures`: {person id: measure code, or "" / None for 不予问责} covering every pending person.
    A referral measure (党纪政纪处分) marks the person 已移送 — a referral, not a decision here. Every
    decided measure with a deduction or 取消评优评先 creates an AssessmentEffect for the proposal's unit
    in the decision year and is pushed to assessment. With no measure for anyone the proposal is
    closed as 不予问责. Returns the proposal."""
    _check_officer(actor, "decide accountability proposals", "作出问责决定")
    proposal = _lock(proposal)
    if proposal.state != Proposal.State.PROPOSED:
        raise LuoshiError("the proposal is already decided", "该问责建议已作出决定")
    decision_number = check_plain_text(decision_number, "决定文号", "decision_number", max_length=60, required=True)
    note = check_plain_text(note, "决定意见", "note", max_length=5000)
    on = _date(on, "决定日期", "decided_on")
    if on < proposal.proposed_on:
        raise LuoshiError("the decision cannot precede the proposal", "决定日期不能早于提出日期", field="decided_on")
    pending = list(proposal.people.select_for_update().filter(state=Person.State.PENDING).order_by("id"))
    measures = {str(k): v for k, v in (measures or {}).items()}
    missing = [p for p in pending if str(p.pk) not in measures]
    if missing:
        raise LuoshiError(f"no measure given for person {missing[0].pk}", "请为每一名问责对象选择处理意见",
                          field="measures")
    decided = []
    for person in pending:
        code = measures[str(person.pk)]
        person.decided_on = on
        if not code:
            person.state, person.measure = Person.State.NOT_PURSUED, None
        else:
            m = measure_by_code(code, field="measures")
            person.measure = m
            person.state = Person.State.REFERRED if m.is_referral else Person.State.DECIDED
        person.save(update_fields=["state", "measure", "decided_on"])
        if person.measure is not None:
            decided.append(person)
            _effect_for(person, person.measure, on)
    proposal.state = Proposal.State.DECIDED if decided else Proposal.State.NOT_PURSUED
    proposal.decided_by, proposal.decided_on = actor, on
    proposal.decision_number, proposal.decision_note = decision_number, note
    proposal.save(update_fields=["state", "decided_by", "decided_on", "decision_number", "decision_note"])
    record(actor, "accountability.decide", proposal, summary=f"{proposal.number} {proposal.get_state_display()}",
           after={"state": proposal.state, "decision_number": decision_number, "decided_on": on,
                  "measures": {str(p.pk): (p.measure.code if p.measure else "") for p in pending}})
    from .notify import unit_liaisons

    _notify(unit_liaisons(proposal), kind="accountability.decided",
            title=f"【问责决定】{proposal.number} 涉及本单位的问责建议已作出决定",
            body=f"事由:{proposal.get_cause_type_display()}。具体处理情况由纪检/组织部门另行通知本人。",
            url=f"/accountability/{proposal.pk}/")
    for person in pending:
        if person.user_id:
            _notify([person.user], kind="accountability.decided.person",
                    title=f"【问责决定】{proposal.number}",
                    body=(f"处理意见:{person.measure.name if person.measure else '不予问责'}。如有异议,可自收到决定"
                          f"之日起{config()['appeal_days']}日内提出申诉。"), url="/accountability/mine/")
    return proposal


# ---- 申辩 / 申诉 -------------------------------------------------------------------------------

@transaction.atomic
def do_submit_appeal(actor, person: Person, text: str, on: dt.date | None = None) -> Appeal:
    """申辩 (person pending) or 申诉 (measure decided, within `appeal_days` of the decision), by the
    person themself (their account) or recorded by 纪检/组织 from a written submission."""
    person = _lock(person)
    if not (is_officer(actor) or (person.user_id and person.user_id == getattr(actor, "pk", None))):
        deny("submit an appeal for this person", "代他人提出申辩或申诉")
    text = check_plain_text(text, "申辩/申诉理由", "text", max_length=5000, required=True)
    on = on or today()
    if person.state == Person.State.PENDING:
        kind = Appeal.Kind.DEFENCE
    elif person.state == Person.State.DECIDED:
        kind = Appeal.Kind.APPEAL
        limit = person.decided_on + dt.timedelta(days=int(config()["appeal_days"]))
        if on > limit:
            raise LuoshiError(f"the appeal period ended on {limit.isoformat()}",
                              f"申诉期限已于{limit.year}年{limit.month}月{limit.day}日届满", field="text")
    elif person.state == Person.State.REFERRED:
        raise LuoshiError("a referral is decided by the discipline organs; appeal there",
                          "党纪政纪处分由纪检监察机关依规处理,请向其提出申诉")
    else:
        raise LuoshiError("there is nothing to appeal", "当前状态无需申辩或申诉")
    if person.appeals.filter(outcome=Appeal.Outcome.PENDING).exists():
        raise LuoshiError("an appeal is already pending", "已有待处理的申辩/申诉")
    appeal = Appeal.objects.create(person=person, kind=kind, text=text, submitted_by=actor, submitted_on=on)
    record(actor, f"accountability.{kind}", appeal, summary=f"{person.proposal.number} {appeal.get_kind_display()}",
           after={"person": person.pk, "kind": kind})
    _notify(_officers(), kind=f"accountability.{kind}", title=f"【{appeal.get_kind_display()}】{person.proposal.number}",
            url=f"/accountability/{person.proposal_id}/")
    return appeal


@transaction.atomic
def do_decide_appeal(actor, appeal: Appeal, *, outcome: str, measure: str | None = None, note: str = "",
                     on: dt.date | None = None) -> Appeal:
    """纪检/组织 decides a 申辩/申诉: rejected (维持), changed (another measure: `measure` code),
    accepted (申辩: the person is withdrawn; 申诉: the measure is revoked and its effect deactivated)."""
    _check_officer(actor, "decide appeals", "处理申辩申诉")
    appeal = _lock(appeal)
    if appeal.outcome != Appeal.Outcome.PENDING:
        raise LuoshiError("the appeal is already decided", "该申辩/申诉已处理")
    if outcome not in (Appeal.Outcome.REJECTED, Appeal.Outcome.CHANGED, Appeal.Outcome.ACCEPTED):
        raise LuoshiError(f"unknown outcome {outcome!r}", "请选择处理结果", field="outcome")
    note = check_plain_text(note, "处理意见", "note", max_length=5000, required=True)
    on = on or today()
    person = _lock(appeal.person)
    new = measure_by_code(measure) if outcome == Appeal.Outcome.CHANGED else None
    if new is not None and new.is_referral:
        raise LuoshiError("a referral is not a measure to change to", "申诉变更不能改为移送党纪政纪处分", field="measure")
    before = {"state": person.state, "measure": person.measure.code if person.measure else None,
              "suggested": person.suggested_measure.code}
    if appeal.kind == Appeal.Kind.DEFENCE:
        if outcome == Appeal.Outcome.ACCEPTED:
            person.state, person.withdrawn_reason = Person.State.WITHDRAWN, "申辩理由成立,不予问责"
        elif new is not None:
            person.suggested_measure = new
    else:
        if outcome != Appeal.Outcome.REJECTED:
            _deactivate_effects(person)
        if outcome == Appeal.Outcome.ACCEPTED:
            person.state = Person.State.REVOKED
        elif new is not None:
            person.measure = new
            _effect_for(person, new, person.decided_on)
    person.save(update_fields=["state", "withdrawn_reason", "suggested_measure", "measure"])
    appeal.outcome, appeal.new_measure, appeal.note = outcome, new, note
    appeal.decided_by, appeal.decided_on = actor, on
    appeal.save(update_fields=["outcome", "new_measure", "note", "decided_by", "decided_on"])
    record(actor, "accountability.appeal.decide", appeal, summary=f"{person.proposal.number} {appeal.get_outcome_display()}",
           before=before, after={"state": person.state, "measure": person.measure.code if person.measure else None,
                                 "outcome": outcome})
    if appeal.submitted_by_id and appeal.submitted_by_id == person.user_id:
        _notify([person.user], kind="accountability.appeal.decided",
                title=f"【{appeal.get_kind_display()}处理结果】{person.proposal.number}",
                body=f"{appeal.get_outcome_display()}。{note}", url="/accountability/mine/")
    return appeal


# ---- 典型问题通报 ------------------------------------------------------------------------------

@transaction.atomic
def do_create_bulletin(actor, *, title: str, proposals, intro: str = "", closing: str = "",
                       on: dt.date | None = None) -> Bulletin:
    """Draft a 典型问题通报 of decided proposals (纪检/组织)."""
    _check_officer(actor, "draft bulletins", "起草典型问题通报")
    title = check_plain_text(title, "标题", "title", max_length=200, required=True)
    intro = check_plain_text(intro, "导语", "intro", max_length=5000)
    closing = check_plain_text(closing, "结语", "closing", max_length=5000)
    proposals = list(Proposal.objects.filter(pk__in=[p.pk for p in proposals]).order_by("id"))
    if not proposals:
        raise LuoshiError("choose at least one decided proposal", "请至少选择一个已作出决定的问责案例", field="proposals")
    if any(p.state != Proposal.State.DECIDED for p in proposals):
        raise LuoshiError("only decided proposals can be published", "只能通报已作出问责决定的案例", field="proposals")
    on = _date(on, "印发日期", "issued_on", default=today())
    b = Bulletin(title=title, intro=intro, closing=closing, issued_on=on, created_by=actor)
    b.number = _next(BulletinCounter, on.year, "问责通报")
    b.save()
    b.proposals.set(proposals)
    record(actor, "accountability.bulletin.create", b, summary=f"{b.number} {title}",
           after={"title": title, "proposals": sorted(p.pk for p in proposals)})
    return b


@transaction.atomic
def do_publish_bulletin(actor, bulletin: Bulletin, on: dt.date | None = None) -> Bulletin:
    """Publish a bulletin on the public portal (names always masked there)."""
    _check_officer(actor, "publish bulletins", "公开典型问题通报")
    bulletin = _lock(bulletin)
    if bulletin.is_published:
        raise LuoshiError("the bulletin is already published", "该通报已公开")
    bulletin.is_published, bulletin.published_on = True, on or today()
    bulletin.save(update_fields=["is_published", "published_on"])
    record(actor, "accountability.bulletin.publish", bulletin, summary=f"{bulletin.number} 公开",
           after={"published_on": bulletin.published_on})
    return bulletin


@transaction.atomic
def do_withdraw_bulletin(actor, bulletin: Bulletin, reason: str) -> Bulletin:
    """撤回公开: take a published bulletin off the public portal (纪检/组织), e.g. when a case in it was
    changed on 申诉. The bulletin is kept (a draft again, publishable anew); the reason is in the audit trail.
    Raises LuoshiError when it is not published or the reason is empty."""
    _check_officer(actor, "withdraw bulletins", "撤回典型问题通报")
    bulletin = _lock(bulletin)
    if not bulletin.is_published:
        raise LuoshiError("the bulletin is not published", "该通报未公开")
    reason = check_plain_text(reason, "撤回原因", "reason", max_length=300, required=True)
    before = {"published_on": bulletin.published_on}
    bulletin.is_published, bulletin.published_on = False, None
    bulletin.save(update_fields=["is_published", "published_on"])
    record(actor, "accountability.bulletin.withdraw", bulletin, summary=f"{bulletin.number} 撤回公开",
           before=before, after={"published_on": None, "reason": reason})
    return bulletin
