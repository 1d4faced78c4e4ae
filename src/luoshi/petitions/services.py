"""信访 services: every write is one audited `do_…` function (views, API, CLI and jobs call these).

Life of a petition (信访工作条例 2022; limits in `luoshi.petitions.limits`):

    登记 (registered, 受理告知 within 15 日) ─┬─ 不予受理 (not_accepted)
                                              └─ 受理 (handling, 60 日 [+≤30 approved]) → 答复 (answered)
    answered ─ 复查 requested ≤30 日 → review (30 日) → reviewed ─ 复核 requested ≤30 日 → recheck (30 日)
    → rechecked → 终结 (terminated, approved by the 信访 office). After 终结 the same matter from the same
    petitioner is recorded as 重复信访 (status `repeat`) and not reopened.

交办/转办 to a unit and 领导包案 can happen at any open stage. Errors: LuoshiError (400) for bad input or
a wrong state, NotAllowed (403) for a user who may not act; nothing is written when either is raised.
"""
from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from rapidfuzz import fuzz

from luoshi.audit.services import record
from luoshi.core.errors import LuoshiError, check_plain_text, deny
from luoshi.orgs.models import Unit

from . import limits, privacy
from .models import (CLOSED_STATUSES, Channel, JointMeeting, Petition, PetitionCounter, PetitionEvent,
                     Petitioner, ResolutionPlan, ResolutionStep, Satisfaction, Status)
from .scope import is_handler, is_office

# 集体访: five or more people on one matter (the 条例 has many people who visit together choose at most
# five representatives; 5人以上 is the usual threshold of 集体访 in 信访 statistics).
COLLECTIVE_MIN = 5


def today() -> dt.date:
    return timezone.localdate()


def _event(p: Petition, kind: str, note: str, actor=None) -> None:
    PetitionEvent.objects.create(petition=p, kind=kind, note=note[:2000],
                                 actor=actor if getattr(actor, "pk", None) else None)


def _audit(actor, action: str, p: Petition, after: dict, summary: str = "") -> None:
    # Never the petitioner's identity in the audit trail: units can read audit entries of their records.
    record(actor, action, p, object_type="petitions.petition", summary=summary or f"{p.number} {action}",
           after=after)


def _locked(p: Petition) -> Petition:
    return Petition.objects.select_for_update().get(pk=p.pk)


def _notify(users, *, kind: str, title: str, body: str = "", url: str = "", obj=None) -> int:
    """Through luoshi.notifications (never the petitioner's identity in title or body)."""
    from luoshi.notifications.services import notify

    return notify([u for u in users if u is not None], kind=kind, title=title, body=body, url=url, obj=obj)


def _unit_liaisons(unit):
    from luoshi.accounts.models import Role, User

    return list(User.objects.filter(unit=unit, role=Role.LIAISON, is_active=True)) if unit else []


def _next_number(year: int) -> str:
    return f"XF{year}{PetitionCounter.next_number(year):06d}"


def _date(value, label_zh: str, field: str, *, default: dt.date | None = None) -> dt.date:
    if value in (None, ""):
        if default is None:
            raise LuoshiError(f"{field} is required", f"{label_zh}不能为空", field=field)
        return default
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            raise LuoshiError(f"{field} must be a date (YYYY-MM-DD)", f"{label_zh}格式应为年-月-日", field=field)
    if value > today() + dt.timedelta(days=1):
        raise LuoshiError(f"{field} is in the future", f"{label_zh}不能晚于今天", field=field)
    return value


# ---- repeats ---------------------------------------------------------------------

def similarity(a: str, b: str) -> float:
    """0-100: how alike two matters are (character-level, so it works on Chinese without segmentation)."""
    return max(fuzz.ratio(a, b), fuzz.partial_ratio(a, b) if min(len(a), len(b)) >= 6 else 0)


def find_repeat(petitioner: Petitioner, title: str, content: str, *, exclude: int | None = None,
                cfg: dict | None = None) -> Petition | None:
    """The first petition (重复信访's root) of the same petitioner on a similar matter, or None.

    Same petitioner = same ID hash (the petitioner row is shared); similar = rapidfuzz score of the
    titles or of the contents ≥ cfg["similarity"]."""
    cfg = cfg or limits.config()
    qs = Petition.objects.filter(petitioner=petitioner, repeat_of__isnull=True).order_by("received_on", "id")
    if exclude:
        qs = qs.exclude(pk=exclude)
    for cand in qs.only("id", "title", "content", "status", "repeat_count", "backlog")[:200]:
        score = max(similarity(title, cand.title), similarity(content[:500], cand.content[:500]))
        if score >= cfg["similarity"]:
            return cand
    return None


# ---- registration ------------------------------------------------------------------

@transaction.atomic
def do_register_petition(actor, *, channel: str, name: str, title: str, content: str, phone: str = "",
                         id_number: str = "", address: str = "", received_on=None, people: int = 1,
                         batch: str = "", hotline_ref: str = "", cfg: dict | None = None) -> Petition:
    """登记 a petition (来信/来访/网上信访/热线转来). Returns the new Petition.

    people ≥ 5 on a 来访 flags 集体访. A petition from the same petitioner (ID hash) on a similar matter is
    linked to the first one as 重复信访 (`repeat_of`, root's `repeat_count` + 1); when the first is 终结 the
    new one is recorded with status `repeat` and not reopened. accept_by = received_on + 15 日.
    """
    if not is_office(actor):
        deny("register petitions", "登记信访事项")
    return _register(actor, channel=channel, name=name, title=title, content=content, phone=phone,
                     id_number=id_number, address=address, received_on=received_on, people=people, batch=batch,
                     hotline_ref=hotline_ref, cfg=cfg)


@transaction.atomic
def do_register_hotline_transfer(actor, *, hotline_ref: str, name: str, title: str, content: str, phone: str = "",
                                 id_number: str = "", address: str = "", received_on=None,
                                 cfg: dict | None = None) -> Petition:
    """热线转来信访: a 12345 话务员 (or the 信访 office) registers a call that is a 信访 matter, with the hotline
    ticket number (`hotline_ref`, required, once: a ticket already transferred is refused). Channel
    `hotline`; from then on it is the 信访 office's like any petition (受理告知 within 15 日 of `received_on`,
    default today). The office (督查员) is told, without the caller's identity; the 话务员 keeps no read
    access to petitions (core.scope: operator × petitions = none). Returns the new Petition.
    Errors: NotAllowed for other roles; LuoshiError (400) for a missing/duplicate ticket or bad fields."""
    from .scope import can_transfer_from_hotline

    if not can_transfer_from_hotline(actor):
        deny("register hotline transfers of petitions", "登记热线转来的信访事项")
    hotline_ref = check_plain_text(hotline_ref, "热线工单号", "hotline_ref", max_length=40, required=True)
    earlier = Petition.objects.select_for_update().filter(hotline_ref=hotline_ref).order_by("id").first()
    if earlier is not None:
        raise LuoshiError(f"hotline ticket {hotline_ref} was already transferred as {earlier.number}",
                          f"热线工单{hotline_ref}已转来信访(信访编号{earlier.number}),不能重复登记",
                          field="hotline_ref")
    p = _register(actor, channel=Channel.HOTLINE, name=name, title=title, content=content, phone=phone,
                  id_number=id_number, address=address, received_on=received_on, people=1, batch="",
                  hotline_ref=hotline_ref, cfg=cfg, action="petition.hotline_transfer")
    from luoshi.accounts.models import Role
    from luoshi.notifications.services import notify_roles

    notify_roles((Role.SUPERVISOR,), kind="petition.hotline_transfer",
                 title=f"【热线转来信访】{p.number}(热线工单{hotline_ref})", body=f"{p.title}\n请在受理期限"
                 f"{p.accept_by:%Y-%m-%d}前作出受理决定。", url=f"/petitions/{p.pk}/", obj=p)
    return p


def _register(actor, *, channel: str, name: str, title: str, content: str, phone: str, id_number: str,
              address: str, received_on, people, batch: str, hotline_ref: str, cfg: dict | None,
              action: str = "petition.register") -> Petition:
    cfg = cfg or limits.config()
    if channel not in Channel.values:
        raise LuoshiError("unknown channel", "信访形式不正确", field="channel")
    name = check_plain_text(name, "信访人姓名", "name", max_length=64, required=True)
    phone = check_plain_text(phone, "联系电话", "phone", max_length=32)
    if phone and not phone.replace("-", "").replace(" ", "").isdigit():
        raise LuoshiError("the phone number may only contain digits", "联系电话只能包含数字", field="phone")
    address = check_plain_text(address, "住址", "address", max_length=200)
    title = check_plain_text(title, "信访事由", "title", max_length=200, required=True)
    content = check_plain_text(content, "诉求内容", "content", max_length=20000, required=True)
    batch = check_plain_text(batch, "批次", "batch", max_length=40)
    hotline_ref = check_plain_text(hotline_ref, "热线工单号", "hotline_ref", max_length=40)
    if channel == Channel.HOTLINE and not hotline_ref:
        raise LuoshiError("a hotline transfer needs the hotline ticket number", "热线转来的信访需填写热线工单号",
                          field="hotline_ref")
    try:
        people = int(people or 1)
    except (TypeError, ValueError):
        raise LuoshiError("people must be a number", "人数应为数字", field="people")
    if not 1 <= people <= 10000:
        raise LuoshiError("people must be between 1 and 10000", "人数应在1至10000之间", field="people")
    received_on = _date(received_on, "收到日期", "received_on", default=today())

    petitioner = None
    id_h = masked = ""
    changed: list[str] = []
    if id_number:
        norm = privacy.normalise_id(id_number)
        id_h, masked = privacy.id_hash(norm), privacy.mask_id(norm)
        petitioner = Petitioner.objects.filter(id_hash=id_h).order_by("id").first()
    if petitioner is None:
        petitioner = Petitioner.objects.create(name=name, phone=phone, address=address, id_hash=id_h,
                                               id_masked=masked)
    else:
        changed = [f for f, v in (("name", name), ("phone", phone), ("address", address)) if v and
                   getattr(petitioner, f) != v]
        for f in changed:
            setattr(petitioner, f, locals()[f])
        if changed:
            petitioner.save(update_fields=changed)

    root = find_repeat(petitioner, title, content, cfg=cfg) if id_h else None
    p = Petition(number=_next_number(received_on.year), channel=channel, petitioner=petitioner, batch=batch,
                 people=people, collective=people >= COLLECTIVE_MIN, title=title, content=content,
                 received_on=received_on, registered_by=actor, hotline_ref=hotline_ref,
                 accept_by=limits.limit_end(received_on, cfg["accept_days"], cfg=cfg))
    p.deadline = p.accept_by
    if root is not None:
        p.repeat_of = root
        root_locked = _locked(root)
        root_locked.repeat_count = F("repeat_count") + 1
        root_locked.save(update_fields=["repeat_count"])
        root_locked.refresh_from_db(fields=["repeat_count"])
        if root_locked.status in (Status.TERMINATED, Status.REPEAT):
            p.status, p.deadline = Status.REPEAT, None
            p.handling_unit_id = root_locked.handling_unit_id
        elif root_locked.repeat_count >= cfg["backlog_repeats"] and not root_locked.backlog:
            _enter_backlog(root_locked, received_on, f"重复信访{root_locked.repeat_count}次")
    p.save()
    _event(p, "register", f"登记{p.get_channel_display()}" + (f",{people}人(集体访)" if p.collective else "") +
           (f",系{p.repeat_of.number}的重复信访" if p.repeat_of_id else ""), actor)
    if p.status == Status.REPEAT:
        _event(p, "repeat", f"原信访事项{p.repeat_of.number}已终结,依法不再受理,仅登记备查", actor)
    _audit(actor, action, p, {
        "number": p.number, "channel": channel, "hotline_ref": hotline_ref, "people": people, "collective": p.collective,
        "received_on": received_on, "accept_by": p.accept_by, "repeat_of": p.repeat_of.number if p.repeat_of_id
        else None, "status": p.status, "has_id_number": bool(id_h),
        # the same ID number as an earlier petitioner: their record takes the new contact details; which fields
        # changed is recorded (never the values: the audit page must not identify a petitioner)
        "petitioner_fields_updated": changed})
    return p


def _enter_backlog(p: Petition, on: dt.date, reason: str) -> None:
    p.backlog, p.backlog_since, p.backlog_reason = True, on, reason[:200]
    p.save(update_fields=["backlog", "backlog_since", "backlog_reason"])
    _event(p, "backlog", f"列入积案:{reason}")
    record("系统", "petition.backlog", p, object_type="petitions.petition", summary=f"{p.number} 列入积案",
           after={"reason": reason, "on": on})


# ---- assignment, leaders, acceptance ------------------------------------------------------

@transaction.atomic
def do_assign_petition(actor, petition: Petition, unit: Unit, *, mode: str = Petition.Mode.ASSIGN,
                       on=None, note: str = "") -> Petition:
    """交办 (the office keeps supervising) or 转办 (passed to the competent unit) to `unit`."""
    if not is_office(actor):
        deny("assign petitions", "交办信访事项")
    p = _locked(petition)
    if p.status in CLOSED_STATUSES:
        raise LuoshiError("this petition is closed", "该信访事项已办结或终结,不能交办")
    if mode not in Petition.Mode.values:
        raise LuoshiError("mode must be assign or transfer", "交办方式不正确", field="mode")
    if unit is None or not unit.is_active:
        raise LuoshiError("choose an active unit", "请选择有效的责任单位", field="unit")
    note = check_plain_text(note, "交办意见", "note", max_length=2000)
    previous = p.handling_unit.name if p.handling_unit_id else None
    p.handling_unit, p.mode, p.assigned_on = unit, mode, _date(on, "交办日期", "on", default=today())
    p.save(update_fields=["handling_unit", "mode", "assigned_on"])
    label = p.get_mode_display()
    _event(p, mode, f"{label}至{unit.name}" + (f":{note}" if note else ""), actor)
    _audit(actor, f"petition.{mode}", p, {"unit": unit.name, "previous": previous, "note": note})
    _notify(_unit_liaisons(unit), kind="petition.assigned", title=f"【信访{label}】{p.number} {p.title[:60]}",
            body=f"请于{p.accept_by:%Y-%m-%d}前作出受理告知。" if p.status == Status.REGISTERED else note,
            url=f"/petitions/{p.pk}/")
    return p


@transaction.atomic
def do_set_owner_leader(actor, petition: Petition, leader) -> Petition:
    """领导包案: a named leader owns the petition, sees it on their page and is reminded of its limits."""
    if not is_office(actor):
        deny("assign a leader to a petition", "指定包案领导")
    if leader is None or not leader.is_leader:
        raise LuoshiError("the owner must be an active leader", "包案领导应为在岗的领导", field="owner_leader")
    p = _locked(petition)
    if p.status in CLOSED_STATUSES:
        raise LuoshiError("this petition is closed", "该信访事项已终结,不能包案")
    p.owner_leader = leader
    p.save(update_fields=["owner_leader"])
    _event(p, "owner", f"{leader.get_full_name()}同志包案", actor)
    _audit(actor, "petition.owner", p, {"owner_leader": leader.get_full_name()})
    _notify([leader], kind="petition.owner", title=f"【领导包案】{p.number} {p.title[:60]}",
            body=f"您已被确定为该信访事项的包案领导。当前期限:{p.deadline or '无'}", url=f"/petitions/{p.pk}/")
    return p


def _can_decide_acceptance(actor, p: Petition) -> bool:
    return is_office(actor) or is_handler(actor, p)


@transaction.atomic
def do_accept_petition(actor, petition: Petition, *, on=None, cfg: dict | None = None) -> Petition:
    """受理 (受理告知): the handling unit (or office) accepts; the 60-日 办理 limit starts."""
    cfg = cfg or limits.config()
    p = _locked(petition)
    if not _can_decide_acceptance(actor, p):
        deny("accept this petition", "受理此信访事项")
    if p.status != Status.REGISTERED:
        raise LuoshiError("only a registered petition can be accepted", "只有待受理的信访事项可以受理")
    if not p.handling_unit_id:
        raise LuoshiError("assign a handling unit first", "请先交办责任单位", field="unit")
    on = _date(on, "受理日期", "on", default=today())
    if on < p.received_on:
        raise LuoshiError("acceptance cannot precede receipt", "受理日期不能早于收到日期", field="on")
    p.status, p.accepted_on = Status.HANDLING, on
    p.due = p.deadline = limits.limit_end(on, cfg["handle_days"], cfg=cfg)
    p.save(update_fields=["status", "accepted_on", "due", "deadline"])
    _event(p, "accept", f"受理并告知信访人,办理期限{p.due:%Y-%m-%d}", actor)
    _audit(actor, "petition.accept", p, {"accepted_on": on, "due": p.due, "timely": on <= p.accept_by})
    return p


@transaction.atomic
def do_refuse_petition(actor, petition: Petition, reason: str, *, on=None) -> Petition:
    """不予受理 with a written reason (不予受理告知书)."""
    p = _locked(petition)
    if not _can_decide_acceptance(actor, p):
        deny("refuse this petition", "作出不予受理决定")
    if p.status != Status.REGISTERED:
        raise LuoshiError("only a registered petition can be refused", "只有待受理的信访事项可以不予受理")
    p.not_accepted_reason = check_plain_text(reason, "不予受理理由", "reason", max_length=2000, required=True)
    p.status, p.accepted_on, p.deadline = Status.NOT_ACCEPTED, _date(on, "告知日期", "on", default=today()), None
    p.save(update_fields=["status", "accepted_on", "deadline", "not_accepted_reason"])
    _event(p, "refuse", f"不予受理:{p.not_accepted_reason}", actor)
    _audit(actor, "petition.refuse", p, {"reason": p.not_accepted_reason})
    return p


# ---- extension, answer, rating -----------------------------------------------------------

@transaction.atomic
def do_request_extension(actor, petition: Petition, *, days: int, reason: str,
                         cfg: dict | None = None) -> Petition:
    """The handling unit asks to extend the 60-日 limit by ≤30 日 (情况复杂的, once)."""
    cfg = cfg or limits.config()
    p = _locked(petition)
    if not is_handler(actor, p):
        deny("ask for an extension", "申请延期")
    if p.status != Status.HANDLING:
        raise LuoshiError("only a petition being handled can be extended", "只有办理中的信访事项可以申请延期")
    if p.extension_state in ("requested", "approved"):
        raise LuoshiError("an extension was already requested", "已申请过延期(只能延期一次)")
    try:
        days = int(days)
    except (TypeError, ValueError):
        raise LuoshiError("days must be a number", "延长天数应为数字", field="days")
    if not 1 <= days <= cfg["extension_max"]:
        raise LuoshiError(f"an extension is 1 to {cfg['extension_max']} days",
                          f"延长期限应为1至{cfg['extension_max']}日", field="days")
    p.extension_reason = check_plain_text(reason, "延期理由", "reason", max_length=2000, required=True)
    p.extension_days, p.extension_state = days, "requested"
    p.save(update_fields=["extension_reason", "extension_days", "extension_state"])
    _event(p, "extension_request", f"申请延期{days}日:{p.extension_reason}", actor)
    _audit(actor, "petition.extension_request", p, {"days": days, "reason": p.extension_reason})
    return p


@transaction.atomic
def do_decide_extension(actor, petition: Petition, *, approve: bool, cfg: dict | None = None) -> Petition:
    """The office or the 包案领导 approves/refuses the extension; approved moves 办理期限 by the days asked."""
    cfg = cfg or limits.config()
    p = _locked(petition)
    if not (is_office(actor) or (actor.is_leader and p.owner_leader_id == actor.pk)):
        deny("approve extensions", "审批延期")
    if p.extension_state != "requested":
        raise LuoshiError("no extension is waiting for approval", "没有待审批的延期申请")
    if approve:
        p.due = p.deadline = limits.limit_end(p.accepted_on, cfg["handle_days"] + p.extension_days, cfg=cfg)
    p.extension_state = "approved" if approve else "refused"
    p.save(update_fields=["due", "deadline", "extension_state"])
    _event(p, "extension_decide", f"延期{'已批准,办理期限延至' + str(p.due) if approve else '未批准'}", actor)
    _audit(actor, "petition.extension_decide", p, {"approve": approve, "due": p.due})
    return p


@transaction.atomic
def do_answer_petition(actor, petition: Petition, answer: str, *, on=None) -> Petition:
    """The handling unit gives its written answer (答复意见书); the 30-日 复查 window opens."""
    p = _locked(petition)
    if not (is_handler(actor, p) or is_office(actor)):
        deny("answer this petition", "答复此信访事项")
    if p.status != Status.HANDLING:
        raise LuoshiError("only a petition being handled can be answered", "只有办理中的信访事项可以答复")
    p.answer = check_plain_text(answer, "答复意见", "answer", max_length=20000, required=True)
    p.answered_on = _date(on, "答复日期", "on", default=today())
    if p.answered_on < p.accepted_on:
        raise LuoshiError("the answer cannot precede acceptance", "答复日期不能早于受理日期", field="on")
    p.status, p.deadline = Status.ANSWERED, None
    p.save(update_fields=["answer", "answered_on", "status", "deadline"])
    _event(p, "answer", f"出具答复意见书:{p.answer[:300]}", actor)
    _audit(actor, "petition.answer", p, {"answered_on": p.answered_on, "on_time": p.answered_on <= p.due})
    if p.owner_leader_id:
        _notify([p.owner_leader], kind="petition.answered", title=f"【信访已答复】{p.number}", url=f"/petitions/{p.pk}/")
    return p


@transaction.atomic
def do_rate_petition(actor, petition: Petition, satisfaction: str) -> Petition:
    """Record the petitioner's evaluation (满意/基本满意/不满意) of the answer."""
    if not is_office(actor):
        deny("record the petitioner's evaluation", "登记群众评价")
    p = _locked(petition)
    if not p.answered_on:
        raise LuoshiError("only an answered petition can be rated", "答复后才能评价")
    if satisfaction not in Satisfaction.values:
        raise LuoshiError("satisfaction must be satisfied, basic or unsatisfied", "评价应为满意/基本满意/不满意",
                          field="satisfaction")
    p.satisfaction = satisfaction
    p.save(update_fields=["satisfaction"])
    _event(p, "rate", f"信访人评价:{p.get_satisfaction_display()}", actor)
    _audit(actor, "petition.rate", p, {"satisfaction": satisfaction})
    return p


# ---- 复查 / 复核 / 终结 ------------------------------------------------------------------

_STAGES = {
    # stage: (from status, request-window start field, request days key, to status, due field, days key)
    "review": (Status.ANSWERED, "answered_on", "review_request_days", Status.REVIEW, "review_due", "review_days"),
    "recheck": (Status.REVIEWED, "reviewed_on", "recheck_request_days", Status.RECHECK, "recheck_due",
                "recheck_days"),
}


@transaction.atomic
def do_request_review(actor, petition: Petition, *, stage: str = "review", on=None,
                      cfg: dict | None = None) -> Petition:
    """Register the petitioner's request for 复查 (stage="review") or 复核 (stage="recheck"); it must come
    within 30 日 of the written answer / 复查意见书; the deciding office then has 30 日."""
    cfg = cfg or limits.config()
    if not is_office(actor):
        deny("register review requests", "登记复查/复核请求")
    if stage not in _STAGES:
        raise LuoshiError("stage must be review or recheck", "请求类型应为复查或复核", field="stage")
    src, start_field, req_key, dst, due_field, days_key = _STAGES[stage]
    p = _locked(petition)
    label = "复查" if stage == "review" else "复核"
    if p.status != src:
        raise LuoshiError(f"{stage} cannot be requested in this state", f"当前状态不能申请{label}")
    on = _date(on, "申请日期", "on", default=today())
    window_end = limits.limit_end(getattr(p, start_field), cfg[req_key], cfg=cfg)
    if on > window_end:
        raise LuoshiError(f"the {stage} request is late (the window ended {window_end})",
                          f"已超过{label}申请期限({window_end:%Y-%m-%d}),不予受理", field="on")
    setattr(p, f"{stage}_requested_on", on)
    due = limits.limit_end(on, cfg[days_key], cfg=cfg)
    setattr(p, due_field, due)
    p.status, p.deadline = dst, due
    p.save()
    _event(p, f"{stage}_request", f"信访人申请{label},应于{due:%Y-%m-%d}前出具{label}意见", actor)
    _audit(actor, f"petition.{stage}_request", p, {"on": on, "due": due})
    return p


@transaction.atomic
def do_decide_review(actor, petition: Petition, opinion: str, *, stage: str = "review", on=None) -> Petition:
    """The higher office gives its 复查意见书 / 复核意见书."""
    if not is_office(actor):
        deny("decide reviews", "出具复查/复核意见")
    if stage not in _STAGES:
        raise LuoshiError("stage must be review or recheck", "类型应为复查或复核", field="stage")
    label = "复查" if stage == "review" else "复核"
    p = _locked(petition)
    if p.status != _STAGES[stage][3]:
        raise LuoshiError(f"no {stage} is pending", f"没有待出具意见的{label}")
    opinion = check_plain_text(opinion, f"{label}意见", "opinion", max_length=20000, required=True)
    on = _date(on, f"{label}日期", "on", default=today())
    setattr(p, f"{stage}_opinion", opinion)
    setattr(p, f"{stage}ed_on", on)
    p.status, p.deadline = (Status.REVIEWED if stage == "review" else Status.RECHECKED), None
    p.save()
    _event(p, f"{stage}_decide", f"出具{label}意见书:{opinion[:300]}", actor)
    _audit(actor, f"petition.{stage}_decide", p, {"on": on})
    return p


@transaction.atomic
def do_terminate_petition(actor, petition: Petition, *, on=None, note: str = "") -> Petition:
    """终结 after 复核: approved by the 信访 office (a person other than whoever registered the 复核 opinion
    is not required, but the approver is recorded). Afterwards the same matter from the same petitioner
    is recorded as 重复信访 and not reopened (信访工作条例: 复核意见为终结意见, 不再受理)."""
    if not is_office(actor):
        deny("terminate petitions", "审核终结信访事项")
    p = _locked(petition)
    if p.status != Status.RECHECKED:
        raise LuoshiError("only a petition with a 复核 opinion can be terminated", "只有已复核的信访事项可以终结")
    p.status, p.terminated_on, p.terminated_by = Status.TERMINATED, _date(on, "终结日期", "on", default=today()), actor
    p.deadline = None
    if p.backlog and not p.resolved_on:
        p.resolved_on = p.terminated_on
    p.save()
    note = check_plain_text(note, "终结意见", "note", max_length=2000)
    _event(p, "terminate", "经审核,依法终结" + (f":{note}" if note else ""), actor)
    _audit(actor, "petition.terminate", p, {"on": p.terminated_on, "note": note})
    return p


# ---- 联席会议, 积案化解 --------------------------------------------------------------------

@transaction.atomic
def do_record_meeting(actor, petition: Petition, *, held_on, attendees: str, notes: str,
                      decisions: str = "") -> JointMeeting:
    """联席会议纪要 on a petition (office or its 包案领导)."""
    if not (is_office(actor) or (actor.is_leader and petition.owner_leader_id == actor.pk)):
        deny("record joint meetings", "登记联席会议纪要")
    m = JointMeeting.objects.create(
        petition=petition, held_on=_date(held_on, "会议日期", "held_on"),
        attendees=check_plain_text(attendees, "参会单位及人员", "attendees", max_length=500, required=True),
        notes=check_plain_text(notes, "会议纪要", "notes", max_length=20000, required=True),
        decisions=check_plain_text(decisions, "议定事项", "decisions", max_length=5000), recorded_by=actor)
    _event(petition, "meeting", f"召开联席会议({m.held_on:%Y-%m-%d}):{m.decisions[:200] or m.notes[:200]}", actor)
    _audit(actor, "petition.meeting", petition, {"held_on": m.held_on, "attendees": m.attendees})
    return m


def _can_work_backlog(actor, p: Petition) -> bool:
    return is_office(actor) or (actor.is_leader and p.owner_leader_id == actor.pk)


@transaction.atomic
def do_save_resolution_plan(actor, petition: Petition, *, summary: str, target_on, steps) -> ResolutionPlan:
    """积案化解方案 with steps [(description, due), …] (replaces undone steps of an earlier plan)."""
    p = _locked(petition)
    if not _can_work_backlog(actor, p):
        deny("plan the resolution of this backlog petition", "制定积案化解方案")
    if not p.backlog:
        raise LuoshiError("this petition is not in the backlog", "该信访事项不是积案")
    summary = check_plain_text(summary, "化解方案", "summary", max_length=5000, required=True)
    if isinstance(target_on, str):
        try:
            target_on = dt.date.fromisoformat(target_on)
        except ValueError:
            raise LuoshiError("target_on must be a date", "计划化解日期格式应为年-月-日", field="target_on")
    if not isinstance(target_on, dt.date):
        raise LuoshiError("target_on is required", "计划化解日期不能为空", field="target_on")
    if target_on < today():  # a target already past would list the plan as late the day it is made
        raise LuoshiError("target_on must not be in the past", "计划化解日期不能早于今天", field="target_on")
    clean = []
    for desc, due in steps or []:
        desc = check_plain_text(desc, "化解措施", "steps", max_length=300, required=True)
        due = dt.date.fromisoformat(due) if isinstance(due, str) else due
        clean.append((desc, due or target_on))
    if not clean:
        raise LuoshiError("a plan needs at least one step", "化解方案至少要有一项措施", field="steps")
    plan, created = ResolutionPlan.objects.get_or_create(
        petition=p, defaults={"summary": summary, "target_on": target_on, "created_by": actor})
    if not created:
        plan.summary, plan.target_on = summary, target_on
        plan.save(update_fields=["summary", "target_on"])
        # undone steps are superseded; done ones stay (nothing is hard-deleted: they're kept as done history)
        plan.steps.filter(done_on__isnull=True).update(superseded=True)
    for desc, due in clean:
        ResolutionStep.objects.create(plan=plan, description=desc, due=due)
    _recompute_progress(plan)
    _event(p, "plan", f"制定积案化解方案:{summary[:200]}", actor)
    _audit(actor, "petition.plan", p, {"summary": summary, "target_on": target_on, "steps": [d for d, _ in clean]})
    return plan


def _recompute_progress(plan: ResolutionPlan) -> None:
    steps = list(plan.steps.filter(superseded=False).values_list("done_on", flat=True))
    plan.progress = round(100 * sum(1 for d in steps if d) / len(steps)) if steps else 0
    plan.save(update_fields=["progress"])


@transaction.atomic
def do_complete_step(actor, step: ResolutionStep, *, note: str = "", on=None) -> ResolutionStep:
    """Mark one 化解 step done; the plan's progress is the share of steps done."""
    step = ResolutionStep.objects.select_for_update().select_related("plan__petition").get(pk=step.pk)
    p = step.plan.petition
    if not _can_work_backlog(actor, p):
        deny("update this plan", "更新化解进度")
    if step.done_on or step.superseded:
        raise LuoshiError("this step is already done", "该措施已完成")
    step.done_on = _date(on, "完成日期", "on", default=today())
    step.note = check_plain_text(note, "完成情况", "note", max_length=2000)
    step.save(update_fields=["done_on", "note"])
    _recompute_progress(step.plan)
    _event(p, "plan_step", f"化解措施完成:{step.description}", actor)
    _audit(actor, "petition.plan_step", p, {"step": step.description, "done_on": step.done_on})
    return step


@transaction.atomic
def do_resolve_backlog(actor, petition: Petition, *, on=None, note: str = "") -> Petition:
    """积案化解: the backlog petition is settled (counts in the month's 积案化解率)."""
    p = _locked(petition)
    if not _can_work_backlog(actor, p):
        deny("mark this backlog petition resolved", "确认积案化解")
    if not p.backlog or p.resolved_on:
        raise LuoshiError("not an unresolved backlog petition", "该信访事项不是未化解的积案")
    p.resolved_on = _date(on, "化解日期", "on", default=today())
    p.save(update_fields=["resolved_on"])
    note = check_plain_text(note, "化解情况", "note", max_length=2000)
    _event(p, "resolve", "积案已化解" + (f":{note}" if note else ""), actor)
    _audit(actor, "petition.resolve", p, {"on": p.resolved_on, "note": note})
    return p
