"""Every write to a case goes through one `do_…` function here (views, API, Open311,
CLI, demo and jobs alike). Each checks permission and state, writes in one
transaction, adds a timeline event (CaseEvent) and an audit entry, and raises
LuoshiError (English + Chinese) otherwise.

Life (生命周期): 受理 received → 立案 registered → 派遣 dispatched → 签收 accepted →
处置 handling → 办结反馈 replied → 核查 verified → 回访 visited → 结案 closed; 退单
returned (back to the dispatcher), 延期 (request + approval), 作废 void, 合并 merged.
效能投诉 adds 调查 → 认定 (属实/部分属实/不属实) → 处理意见 before the reply.

Audit entries never contain the reporter's identity (the audit page is read by
people of the units concerned); the timeline notes are written by staff.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.utils import timezone

from luoshi.audit.services import record
from luoshi.core.errors import LuoshiError, check_plain_text, deny
from luoshi.notifications.services import notify, recipients
from luoshi.orgs.models import Unit
from luoshi.orgs.services import subtree_ids
from luoshi.workcal.services import current_calendar

from . import permissions as perm
from . import refcache
from .inserts import insert_one
from .models import (Case, CaseEvent, Category, Channel, Finding, Kind, LimitUnit, Rating, Status, grid_cell)
from .photos import check_photos, save_photos
from .routing import find_area, route
from .senders import tell_reporter
from .signals import complaint_found

AUDIT_FIELDS = ["number", "kind", "category_id", "channel", "status", "responsible_unit_id", "subject_unit_id",
                "deadline", "extension_until", "parent_id", "finding", "rating", "return_count", "rework_count",
                "reopened", "anonymous"]
PUBLIC_ACTOR = "公众"
_PHONE = re.compile(r"^\+?[0-9][0-9\- ]{4,30}$")


# ---- helpers ---------------------------------------------------------------

def hash_code(code: str) -> str:
    """HMAC-SHA256 of a query code (查询码) or key with the installation's secret."""
    return hmac.new(settings.SECRET_KEY.encode(), code.strip().upper().encode(), hashlib.sha256).hexdigest()


def new_query_code() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O/1/I
    return "".join(secrets.choice(alphabet) for _ in range(10))


def _snap(case: Case) -> dict:
    out = {}
    for f in AUDIT_FIELDS:
        v = getattr(case, f)
        out[f] = v.isoformat() if isinstance(v, dt.datetime) else v
    return out


def _event(case: Case, actor, kind: str, from_status: str, note: str = "", public: bool = False) -> CaseEvent:
    event = CaseEvent(
        case=case, kind=kind, from_status=from_status, to_status=case.status,
        actor=actor if getattr(actor, "pk", None) else None,
        unit=getattr(actor, "unit", None) if getattr(actor, "pk", None) else None, note=note, public=public)
    insert_one(event)
    return event


def _locked(case: Case) -> Case:
    return Case.objects.select_for_update().get(pk=case.pk)


def _need(case: Case, allowed, what_en: str, what_zh: str) -> None:
    if case.status not in allowed:
        raise LuoshiError(f"cannot {what_en} a case that is {Status(case.status).label} ({case.status})",
                          f"案件当前状态为“{Status(case.status).label}”,不能{what_zh}", field="status")


def _move(actor, case: Case, kind: str, to_status: str | None, *, note: str = "", public_text: str = "",
          summary: str = "", **fields) -> Case:
    before = _snap(case)
    from_status = case.status
    if to_status:
        case.status = to_status
    for k, v in fields.items():
        setattr(case, k, v)
    case.save()
    _event(case, actor, kind, from_status, note=public_text or note, public=bool(public_text))
    record(actor, f"case.{kind}", case, before=before, after=_snap(case), summary=summary or kind)
    if public_text:
        tell_reporter(case, f"您反映的案件{case.number}:{public_text}")
    return case


def _subject(case: Case) -> str:
    """How staff messages name a case: number and category, never the reporter."""
    return f"{case.number} {'效能投诉·' if case.kind == Kind.COMPLAINT else ''}{case.category.name}"


def _dispatchers() -> list:
    from luoshi.accounts.models import User

    return list(User.objects.filter(role=perm.DISPATCHER, is_active=True).order_by("id"))


def _tell_staff(case: Case, kind: str, title: str, body: str = "", *, unit=None, dispatchers: bool = False) -> int:
    """An inbox message (luoshi.notifications) about a case step: to the liaisons of `unit` and/or every
    派遣员. Title and body name the case by number and category only (never the reporter)."""
    users = []
    if unit is not None:
        users += recipients([unit])
    if dispatchers:
        users += _dispatchers()
    return notify(users, kind=f"case.{kind}", title=f"{title}:{_subject(case)}"[:200], body=body,
                  url=f"/cases/{case.pk}/", obj=case) if users else 0


def _text(value, zh, en, *, max_length, required=False):
    return check_plain_text(value, zh, en, max_length=max_length, required=required)


def clean_point(lat, long):
    """(lat, long) as floats in range, both or neither; LuoshiError otherwise."""
    if lat in (None, "") and long in (None, ""):
        return None, None
    if lat in (None, "") or long in (None, ""):
        raise LuoshiError("give both lat and long, or neither", "经纬度须同时填写", field="lat")
    try:
        lat, long = float(lat), float(long)
    except (TypeError, ValueError):
        raise LuoshiError("lat/long must be numbers", "经纬度必须是数字", field="lat") from None
    if not (-90 <= lat <= 90) or lat != lat:
        raise LuoshiError("lat must be between -90 and 90", "纬度应在-90到90之间", field="lat")
    if not (-180 <= long <= 180) or long != long:
        raise LuoshiError("long must be between -180 and 180", "经度应在-180到180之间", field="long")
    return lat, long


def get_category(value, kind: str | None = None) -> Category:
    if isinstance(value, Category):
        cat = value
    else:
        text = str(value or "").strip()
        cat = refcache.active_category(text) if text else None
        if cat is None and text.isdigit():
            cat = refcache.active_category(pk=int(text))
    if cat is None or not cat.is_active:
        raise LuoshiError(f"unknown category {value!r}", f"案件类别“{value}”不存在", field="category")
    if kind and cat.kind != kind:
        raise LuoshiError(f"category {cat.code} is not of kind {kind}", f"类别“{cat.name}”不属于该案件类型",
                          field="category")
    return cat


def get_unit(value, field: str, label_zh: str) -> Unit:
    if isinstance(value, Unit):
        unit = value
    else:
        text = str(value or "").strip()
        unit = Unit.objects.filter(pk=int(text)).first() if text.isdigit() else None
        if unit is None and text:
            unit = (Unit.objects.filter(name=text).first()
                    or next((u for u in Unit.objects.filter(is_active=True) if text in u.all_names()), None))
    if unit is None or not unit.is_active:
        raise LuoshiError(f"{field}: unknown unit {value!r}", f"{label_zh}“{value}”不存在", field=field)
    return unit


def deadline_for(category: Category, start: dt.datetime) -> dt.datetime:
    """The handling deadline from `start` (aware): N working days → the end of the N-th
    working day after the start day; N hours → N hours counted on working days only."""
    cal = current_calendar()
    local = timezone.localtime(start)
    tz = local.tzinfo
    if category.limit_unit == LimitUnit.WORKING_DAYS:
        day = cal.add_working_days(local.date(), category.limit_value)
        return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=tz)
    remaining = dt.timedelta(hours=category.limit_value)
    cur = local
    for _ in range(3660):
        midnight = dt.datetime.combine(cur.date() + dt.timedelta(days=1), dt.time(0), tzinfo=tz)
        if cal.is_workday(cur.date()):
            if remaining <= midnight - cur:
                return cur + remaining
            remaining -= midnight - cur
        cur = midnight
    raise LuoshiError("time limit too long", "办理时限过长", field="limit_value")


# ---- intake ----------------------------------------------------------------

def _case_number(case: Case) -> str:
    """案件编号: the local date of receipt and the case's id, e.g. 202611300001234."""
    return f"{timezone.localtime(case.created_at):%Y%m%d}{case.pk:07d}"


def _save_numbered(case: Case) -> None:
    """INSERT a new case with its number. On PostgreSQL the id is drawn from the table's sequence
    first, so the number goes into the INSERT (an UPDATE of the new row would rewrite it and every
    index entry: the number is not HOT-updatable); elsewhere INSERT, then set the number."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [Case._meta.db_table])
            case.pk = cur.fetchone()[0]
        case.number = _case_number(case)
        case.grid = grid_cell(case.lat, case.long)  # what Case.save() does
        insert_one(case)
        return
    case.save()
    case.number = _case_number(case)
    case.save(update_fields=["number"])


@transaction.atomic
def do_create_case(actor, *, kind: str = Kind.PROBLEM, category, description: str, address: str = "",
                   lat=None, long=None, reporter_name: str = "", reporter_phone: str = "",
                   reporter_email: str = "", reporter_address: str = "", anonymous: bool = False,
                   subject_unit=None, subject_person: str = "", channel: str = Channel.WEB,
                   photos=(), at: dt.datetime | None = None) -> tuple[Case, str]:
    """受理: register a case from any channel. `actor` is a staff user, or None / a
    string for the public (web form, Open311). Returns (case, query code); the code is
    shown once and only its HMAC is kept.

    Errors: unknown kind/category, empty or marked-up text, lat/long out of range,
    a complaint without subject unit, bad phone/e-mail, photos that are not images or
    too large (nothing is written then)."""
    if getattr(actor, "pk", None) and not perm.can_intake(actor):
        deny("register cases", "登记案件")
    if kind not in Kind.values:
        raise LuoshiError(f"kind must be one of {Kind.values}", "案件类型应为问题反映或效能投诉", field="kind")
    if channel not in Channel.values:
        raise LuoshiError("unknown channel", "来源渠道无效", field="channel")
    cat = get_category(category, kind)
    lat, long = clean_point(lat, long)
    case = Case(
        kind=kind, category=cat, channel=channel,
        description=_text(description, "诉求内容", "description", max_length=4000, required=True),
        address=_text(address, "事发地址", "address", max_length=300),
        lat=lat, long=long, anonymous=bool(anonymous),
        subject_person=_text(subject_person, "被投诉人", "subject_person", max_length=64),
        created_at=at or timezone.now(), created_by=actor if getattr(actor, "pk", None) else None,
    )
    if not anonymous:
        case.reporter_name = _text(reporter_name, "姓名", "reporter_name", max_length=64)
        phone = _text(reporter_phone, "电话", "reporter_phone", max_length=32)
        if phone and not _PHONE.match(phone):
            raise LuoshiError("reporter_phone is not a phone number", "联系电话格式不正确", field="reporter_phone")
        case.reporter_phone = phone
        email = _text(reporter_email, "邮箱", "reporter_email", max_length=254)
        if email:
            try:
                validate_email(email)
            except ValidationError:
                raise LuoshiError("reporter_email is not an e-mail address", "邮箱格式不正确",
                                  field="reporter_email") from None
        case.reporter_email = email
        case.reporter_address = _text(reporter_address, "住址", "reporter_address", max_length=300)
    if kind == Kind.COMPLAINT:
        if subject_unit in (None, ""):
            raise LuoshiError("a complaint needs the unit complained about (subject_unit)",
                              "效能投诉须填写被投诉单位", field="subject_unit")
        case.subject_unit = get_unit(subject_unit, "subject_unit", "被投诉单位")
    checked = check_photos(photos)
    if not case.address and lat is None:
        raise LuoshiError("give an address or a point", "请填写事发地址或位置", field="address")
    case.area = find_area(case.address, lat, long)
    code = new_query_code()
    case.query_hash = hash_code(code)
    case.open311_token = secrets.token_hex(16)
    _save_numbered(case)
    save_photos(case, checked)
    _event(case, actor, "receive", "", note=f"{case.get_channel_display()}受理", public=True)
    record(actor if getattr(actor, "pk", None) else (actor or PUBLIC_ACTOR), "case.receive", case,
           after=_snap(case), summary=f"受理{case.get_kind_display()}({case.get_channel_display()})")
    return case, code


def find_by_code(number: str, code: str) -> Case | None:
    """The case with this number whose query code matches (constant-time compare)."""
    case = Case.objects.filter(number=str(number or "").strip()).first()
    if case is None or not code or not hmac.compare_digest(case.query_hash, hash_code(str(code))):
        return None
    return case


# ---- office steps ------------------------------------------------------------

@transaction.atomic
def do_register_case(actor, case: Case, note: str = "") -> Case:
    """立案: the office accepts the case as one to handle."""
    if not perm.can_dispatch(actor) and not perm.can_intake(actor):
        deny("register this case", "立案")
    case = _locked(case)
    _need(case, (Status.RECEIVED,), "register", "立案")
    return _move(actor, case, "register", Status.REGISTERED, public_text="已立案,正在派遣办理",
                 note=_text(note, "说明", "note", max_length=1000))


def _check_target(case: Case, unit: Unit) -> None:
    if case.subject_unit_id and unit.pk in subtree_ids(case.subject_unit_id):
        raise LuoshiError("a complaint is never dispatched to the unit complained about",
                          "效能投诉不得派遣给被投诉单位(或其下属单位)办理", field="unit")


@transaction.atomic
def do_dispatch_case(actor, case: Case, unit=None, note: str = "", at: dt.datetime | None = None) -> Case:
    """派遣: send to the responsible unit (default: the routing rule) with the category's
    time limit counted on working days (luoshi.workcal). A complaint never goes to the unit
    complained about."""
    if not perm.can_dispatch(actor):
        deny("dispatch cases", "派遣案件")
    case = _locked(case)
    _need(case, (Status.RECEIVED, Status.REGISTERED, Status.RETURNED), "dispatch", "派遣")
    if unit in (None, ""):
        unit = route(case.category, case.area, case.subject_unit)
        if unit is None:
            raise LuoshiError("no routing rule matches; choose the unit", "没有匹配的派遣规则,请选择责任单位",
                              field="unit")
    else:
        unit = get_unit(unit, "unit", "责任单位")
    _check_target(case, unit)
    now = at or timezone.now()
    case = _move(actor, case, "dispatch", Status.DISPATCHED, note=_text(note, "派遣意见", "note", max_length=1000),
                 public_text="已派遣至责任单位办理", summary=f"派遣至{unit.name}",
                 responsible_unit=unit, dispatched_at=now, deadline=deadline_for(case.category, now),
                 extension_until=None, extension_reason="")
    _tell_staff(case, "dispatched", "【新派遣案件】", f"请签收办理,办理时限:"
                f"{timezone.localtime(case.deadline):%Y-%m-%d %H:%M}。", unit=unit)
    return case


def _unit_step(actor, case: Case, what_en: str, what_zh: str) -> Case:
    case = _locked(case)
    if not (perm.is_handler(actor, case) or perm.can_dispatch(actor)):
        deny(what_en, what_zh)
    return case


@transaction.atomic
def do_sign_case(actor, case: Case) -> Case:
    """签收 by the responsible unit."""
    case = _unit_step(actor, case, "sign for this case", "签收此案件")
    _need(case, (Status.DISPATCHED,), "sign for", "签收")
    return _move(actor, case, "sign", Status.ACCEPTED, public_text="责任单位已签收")


@transaction.atomic
def do_return_case(actor, case: Case, reason: str) -> Case:
    """退单: not ours — back to the dispatcher with a reason."""
    case = _unit_step(actor, case, "return this case", "退回此案件")
    _need(case, (Status.DISPATCHED, Status.ACCEPTED), "return", "退单")
    reason = _text(reason, "退单理由", "reason", max_length=1000, required=True)
    unit_name = case.responsible_unit.name if case.responsible_unit_id else ""
    case = _move(actor, case, "return", Status.RETURNED, note=reason, summary=f"退单:{reason[:80]}",
                 return_count=case.return_count + 1, responsible_unit=None, deadline=None)
    _tell_staff(case, "returned", "【退单待重新派遣】", f"{unit_name}退单,理由:{reason}", dispatchers=True)
    return case


@transaction.atomic
def do_handle_case(actor, case: Case, note: str) -> Case:
    """处置: the unit records what it is doing (may be repeated)."""
    case = _unit_step(actor, case, "handle this case", "处置此案件")
    _need(case, (Status.ACCEPTED, Status.HANDLING), "handle", "处置")
    return _move(actor, case, "handle", Status.HANDLING, note=_text(note, "处置情况", "note", max_length=4000,
                                                                    required=True))


@transaction.atomic
def do_request_extension(actor, case: Case, until: dt.datetime, reason: str) -> Case:
    """延期申请 by the unit; takes effect only when approved."""
    case = _unit_step(actor, case, "ask for an extension", "申请延期")
    _need(case, (Status.DISPATCHED, Status.ACCEPTED, Status.HANDLING), "extend", "申请延期")
    if case.extension_until:  # one request at a time: a second one would replace the first unseen
        raise LuoshiError("an extension request is already waiting for a decision",
                          "已有待审批的延期申请,请等待派遣员审批后再申请", field="until")
    if until is None or (case.deadline and until <= case.deadline):
        raise LuoshiError("the new deadline must be after the current one", "延期后的时限须晚于原时限", field="until")
    case = _move(actor, case, "extension_request", None, note=_text(reason, "延期理由", "reason", max_length=300,
                                                                    required=True),
                 extension_until=until, extension_reason=reason)
    _tell_staff(case, "extension_requested", "【延期申请待审批】",
                f"{case.responsible_unit.name}申请延期至{timezone.localtime(until):%Y-%m-%d %H:%M},理由:{reason}",
                dispatchers=True)
    return case


@transaction.atomic
def do_decide_extension(actor, case: Case, approve: bool, note: str = "") -> Case:
    """延期审批 by the dispatcher / office."""
    if not perm.can_dispatch(actor):
        deny("decide on extensions", "审批延期")
    case = _locked(case)
    if not case.extension_until:
        raise LuoshiError("no extension was requested", "该案件没有待审批的延期申请")
    note = _text(note, "审批意见", "note", max_length=1000)
    if approve:
        case = _move(actor, case, "extension_approve", None, note=note, deadline=case.extension_until,
                     extension_until=None, public_text="办理时限已延期")
        _tell_staff(case, "extension_approved", "【延期申请已同意】",
                    f"新的办理时限:{timezone.localtime(case.deadline):%Y-%m-%d %H:%M}。{note}".strip(),
                    unit=case.responsible_unit)
        return case
    case = _move(actor, case, "extension_reject", None, note=note, extension_until=None)
    _tell_staff(case, "extension_rejected", "【延期申请未同意】",
                f"请在原时限{timezone.localtime(case.deadline):%Y-%m-%d %H:%M}前办结。{note}".strip(),
                unit=case.responsible_unit)
    return case


@transaction.atomic
def do_investigate_case(actor, case: Case, text: str) -> Case:
    """调查 (效能投诉): record the investigation."""
    case = _unit_step(actor, case, "investigate this complaint", "调查此投诉")
    if case.kind != Kind.COMPLAINT:
        raise LuoshiError("only complaints are investigated", "只有效能投诉需要调查认定")
    _need(case, (Status.ACCEPTED, Status.HANDLING), "investigate", "调查")
    return _move(actor, case, "investigate", Status.HANDLING,
                 investigation=_text(text, "调查情况", "investigation", max_length=4000, required=True),
                 note="已记录调查情况")


@transaction.atomic
def do_find_case(actor, case: Case, finding: str, opinion: str) -> Case:
    """认定 (属实/部分属实/不属实) and 处理意见 (效能投诉). After commit, a finding of 属实 or
    部分属实 sends signals.complaint_found (the accountability app's hook)."""
    case = _unit_step(actor, case, "decide on this complaint", "认定此投诉")
    if case.kind != Kind.COMPLAINT:
        raise LuoshiError("only complaints get a finding", "只有效能投诉需要认定")
    _need(case, (Status.HANDLING,), "decide on", "认定")
    if not case.investigation:
        raise LuoshiError("record the investigation first", "请先记录调查情况", field="investigation")
    if finding not in Finding.values:
        raise LuoshiError(f"finding must be one of {Finding.values}", "认定结果应为属实、部分属实或不属实",
                          field="finding")
    case = _move(actor, case, "find", None, finding=finding,
                 opinion=_text(opinion, "处理意见", "opinion", max_length=4000, required=True),
                 note=f"认定:{Finding(finding).label}", summary=f"认定{Finding(finding).label}")
    if finding in (Finding.TRUE, Finding.PARTLY):
        transaction.on_commit(lambda: complaint_found.send(sender=Case, case=case, finding=finding, actor=actor))
    return case


@transaction.atomic
def do_reply_case(actor, case: Case, reply: str, at: dt.datetime | None = None) -> Case:
    """办结反馈: the unit's answer, shown to the reporter. A complaint needs its finding first."""
    case = _unit_step(actor, case, "reply to this case", "办结反馈")
    _need(case, (Status.ACCEPTED, Status.HANDLING), "reply to", "办结反馈")
    if case.kind == Kind.COMPLAINT and not case.finding:
        raise LuoshiError("a complaint needs its finding (认定) before the reply", "效能投诉须先认定再答复",
                          field="finding")
    reply = _text(reply, "答复内容", "reply", max_length=4000, required=True)
    return _move(actor, case, "reply", Status.REPLIED, public_text=f"已办结,答复:{reply}", public_reply=reply,
                 replied_at=at or timezone.now(), rating="", rating_comment="")


@transaction.atomic
def do_verify_case(actor, case: Case, ok: bool, note: str = "") -> Case:
    """核查 by the office: accepted → 已核查; not accepted → back to the unit (返工)."""
    if not perm.can_dispatch(actor):
        deny("verify cases", "核查案件")
    case = _locked(case)
    _need(case, (Status.REPLIED,), "verify", "核查")
    note = _text(note, "核查意见", "note", max_length=1000)
    if ok:
        return _move(actor, case, "verify", Status.VERIFIED, note=note)
    case = _move(actor, case, "rework", Status.HANDLING, note=note or "核查未通过,返工",
                 public_text="核查未通过,已要求责任单位重新办理", rework_count=case.rework_count + 1)
    _tell_staff(case, "rework", "【核查未通过·返工】", note or "请重新办理并反馈。", unit=case.responsible_unit)
    return case


def _rate(actor, case: Case, rating: str, comment: str, kind: str) -> Case:
    if rating not in Rating.values:
        raise LuoshiError("rating must be satisfied, basic or unsatisfied", "评价应为满意、基本满意或不满意",
                          field="rating")
    comment = _text(comment, "评价意见", "comment", max_length=500)
    if rating == Rating.UNSATISFIED and not case.reopened:
        return _move(actor, case, kind, Status.REPLIED, rating=rating, rating_comment=comment, reopened=True,
                     note=f"不满意:{comment}" if comment else "不满意",
                     public_text="您的不满意评价已收到,案件重新进入核查")
    return _move(actor, case, kind, Status.VISITED, rating=rating, rating_comment=comment,
                 note=f"{Rating(rating).label} {comment}".strip(), public_text=f"评价:{Rating(rating).label}")


@transaction.atomic
def do_visit_case(actor, case: Case, rating: str, comment: str = "") -> Case:
    """回访 by the office (phone call): records the reporter's rating."""
    if not perm.is_office(actor):
        deny("record visits", "回访")
    case = _locked(case)
    _need(case, (Status.VERIFIED, Status.REPLIED), "visit", "回访")
    return _rate(actor, case, rating, comment, "visit")


@transaction.atomic
def do_rate_case(case: Case, rating: str, comment: str = "") -> Case:
    """评价 by the reporter (after the query code was checked): 满意/基本满意/不满意.
    不满意 reopens the case for 核查 once; a second 不满意 is recorded and stands."""
    case = _locked(case)
    _need(case, (Status.REPLIED, Status.VERIFIED), "rate", "评价")
    if case.rating and case.status == Status.REPLIED and case.reopened and case.rating == Rating.UNSATISFIED:
        raise LuoshiError("already rated; the case is being checked again", "您已评价,案件正在重新核查")
    return _rate(PUBLIC_ACTOR, case, rating, comment, "rate")


@transaction.atomic
def do_close_case(actor, case: Case, note: str = "") -> Case:
    """结案: after 回访, or after 核查 when the reporter cannot be reached (anonymous)."""
    if not perm.can_dispatch(actor):
        deny("close cases", "结案")
    case = _locked(case)
    _need(case, (Status.VISITED, Status.VERIFIED), "close", "结案")
    return _move(actor, case, "close", Status.CLOSED, note=note, public_text="已结案", closed_at=timezone.now())


@transaction.atomic
def do_void_case(actor, case: Case, reason: str) -> Case:
    """作废 with reason (无效、重复、恶意)."""
    if not perm.can_dispatch(actor):
        deny("void cases", "作废案件")
    case = _locked(case)
    _need(case, (Status.RECEIVED, Status.REGISTERED, Status.RETURNED), "void", "作废")
    reason = _text(reason, "作废理由", "reason", max_length=1000, required=True)
    return _move(actor, case, "void", Status.VOID, public_text=f"已作废:{reason}", summary=f"作废:{reason[:80]}")


@transaction.atomic
def do_merge_case(actor, case: Case, into: Case) -> Case:
    """合并: `case` follows `into` (its reporter is told of every public step of `into`)."""
    if not perm.is_office(actor):
        deny("merge cases", "合并案件")
    case = _locked(case)
    if into.pk == case.pk or into.parent_id:
        raise LuoshiError("merge into another, unmerged case", "只能合并到另一个未被合并的案件", field="into")
    if into.status in (Status.VOID, Status.MERGED):
        raise LuoshiError("the target case is void or merged", "目标案件已作废或已合并", field="into")
    _need(case, (Status.RECEIVED, Status.REGISTERED, Status.RETURNED), "merge", "合并")
    if case.merged_children.exists():
        raise LuoshiError("this case has merged cases of its own", "该案件已有合并进来的案件,不能再合并", field="into")
    return _move(actor, case, "merge", Status.MERGED, parent=into, public_text=f"已与案件{into.number}合并办理",
                 summary=f"合并至{into.number}")


TRANSITIONS = {
    "register": lambda a, c, d: do_register_case(a, c, d.get("note", "")),
    "dispatch": lambda a, c, d: do_dispatch_case(a, c, d.get("unit"), d.get("note", "")),
    "sign": lambda a, c, d: do_sign_case(a, c),
    "return": lambda a, c, d: do_return_case(a, c, d.get("reason", "")),
    "handle": lambda a, c, d: do_handle_case(a, c, d.get("note", "")),
    "investigate": lambda a, c, d: do_investigate_case(a, c, d.get("investigation", "") or d.get("note", "")),
    "find": lambda a, c, d: do_find_case(a, c, d.get("finding", ""), d.get("opinion", "")),
    "reply": lambda a, c, d: do_reply_case(a, c, d.get("reply", "")),
    "verify": lambda a, c, d: do_verify_case(a, c, str(d.get("ok", "true")).lower() in {"1", "true", "yes", "on"},
                                             d.get("note", "")),
    "visit": lambda a, c, d: do_visit_case(a, c, d.get("rating", ""), d.get("comment", "")),
    "close": lambda a, c, d: do_close_case(a, c, d.get("note", "")),
    "void": lambda a, c, d: do_void_case(a, c, d.get("reason", "")),
    "merge": lambda a, c, d: do_merge_case(a, c, _other(d.get("into"))),
    "extend": lambda a, c, d: do_request_extension(a, c, _when(d.get("until")), d.get("reason", "")),
    "approve_extension": lambda a, c, d: do_decide_extension(a, c, True, d.get("note", "")),
    "reject_extension": lambda a, c, d: do_decide_extension(a, c, False, d.get("note", "")),
}


def _other(value) -> Case:
    c = Case.objects.filter(number=str(value or "")).first() or (
        Case.objects.filter(pk=int(value)).first() if str(value or "").isdigit() else None)
    if c is None:
        raise LuoshiError("unknown case to merge into", "要合并到的案件不存在", field="into")
    return c


def _when(value) -> dt.datetime:
    try:
        d = dt.datetime.fromisoformat(str(value))
    except (TypeError, ValueError):
        raise LuoshiError("until must be an ISO date/time", "延期时限格式应为 YYYY-MM-DD", field="until") from None
    if timezone.is_naive(d):
        d = timezone.make_aware(d if "T" in str(value) else d.replace(hour=23, minute=59, second=59))
    return d


def do_transition(actor, case: Case, action: str, data: dict) -> Case:
    """Run the named step (API/pages): one of TRANSITIONS' keys."""
    fn = TRANSITIONS.get(action)
    if fn is None:
        raise LuoshiError(f"unknown action {action!r}", f"未知的操作“{action}”", field="action")
    return fn(actor, case, data)


def available_actions(user, case: Case) -> list[str]:
    s = case.status
    out = []
    if perm.can_dispatch(user) or perm.can_intake(user):
        if s == Status.RECEIVED:
            out.append("register")
    if perm.can_dispatch(user):
        if s in (Status.RECEIVED, Status.REGISTERED, Status.RETURNED):
            out += ["dispatch", "void", "merge"]
        if s == Status.REPLIED:
            out.append("verify")
        if s in (Status.VERIFIED, Status.VISITED):
            out.append("close")
        if case.extension_until:
            out += ["approve_extension", "reject_extension"]
    if perm.is_office(user) and s in (Status.VERIFIED,):
        out.append("visit")
    if perm.is_handler(user, case) or perm.can_dispatch(user):
        if s == Status.DISPATCHED:
            out.append("sign")
        if s in (Status.DISPATCHED, Status.ACCEPTED):
            out.append("return")
        if s in (Status.ACCEPTED, Status.HANDLING):
            out += ["investigate", "find"] if case.kind == Kind.COMPLAINT else ["handle"]
            out.append("reply")
        if s in (Status.DISPATCHED, Status.ACCEPTED, Status.HANDLING) and not case.extension_until:
            out.append("extend")
    return list(dict.fromkeys(out))
