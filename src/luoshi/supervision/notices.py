"""Three-colour supervision notices (三色督办单): issue, acknowledge, answer, review;
who may read them (`visible_notices`, through luoshi.core.scope)."""
from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from luoshi.audit.services import record
from luoshi.core.errors import LuoshiError, NotAllowed, check_plain_text, deny
from luoshi.core.scope import unit_scope
from luoshi.ledger.models import Task
from luoshi.workcal.services import current_calendar

from .bulk import issue_notices
from .common import DEFAULT_ACTIONS, EVALUATED, config, _event, today
from .models import Color, NoticeCounter, SupervisionNotice
from .notify import notify_notice, notify_supervisors

def visible_notices(user, qs=None):
    """督查员/管理员 see all notices; a unit's users see the notices addressed or copied to their unit
    (领导: their unit's subtree). Through luoshi.core.scope: a task's notice under the ``ledger`` domain, a
    notice on another supervised kind's item under that kind's domain (e.g. ``cases``: 话务员/派遣员 read
    the notices on overdue cases, 纪检 does not)."""
    from .kinds import kinds

    qs = SupervisionNotice.objects.all() if qs is None else qs
    parts = [(Q(source_type=""), unit_scope(user, "ledger"))]
    parts += [(Q(source_type=k.name), unit_scope(user, k.scope_domain)) for k in kinds() if k.overdue]
    if all(scope is None for _, scope in parts):
        return qs
    cond, joined = Q(pk__in=[]), False
    for part, scope in parts:
        if scope is None:
            cond |= part
        elif scope:
            cond |= part & (Q(lead_unit__in=scope) | Q(copy_units__in=scope))
            joined = True
    qs = qs.filter(cond)
    return qs.distinct() if joined else qs


# ---- notices -------------------------------------------------------------------

def _next_number(year: int) -> tuple[int, str]:
    used = SupervisionNotice.objects.filter(year=year).order_by("-seq").values_list("seq", flat=True).first() or 0
    seq = NoticeCounter.next_number(year, floor=used)
    return seq, f"督办〔{year}〕第{seq:04d}号"


def _create_notice(task: Task, *, light: str, kind: str, reason: str, required_action: str, on: dt.date,
                   actor=None, light_since: dt.date | None = None, reply_days: int | None = None,
                   calendar=None, cfg=None) -> SupervisionNotice:
    if not task.lead_units.exists():
        raise LuoshiError("the task has no lead unit", "该任务没有牵头单位")
    with transaction.atomic():
        return issue_notices([{"task": task, "light": light, "kind": kind, "reason": reason,
                               "required_action": required_action, "light_since": light_since}],
                             on, calendar or current_calendar(), cfg or config(), actor=actor,
                             reply_days=reply_days)[0]


@transaction.atomic
def do_issue_notice(actor, task: Task, *, light: str, reason: str, required_action: str = "",
                    on: dt.date | None = None, reply_days: int | None = None) -> SupervisionNotice:
    """督查员 issues a notice by hand."""
    if not actor.sees_everything:
        deny("issue supervision notices", "签发督办单")
    if light not in (Color.BLUE, Color.YELLOW, Color.RED):
        raise LuoshiError("light must be blue, yellow or red", "督办单颜色应为蓝、黄、红之一", field="light")
    task = Task.objects.select_for_update().get(pk=task.pk)
    if task.status not in EVALUATED:
        raise LuoshiError("notices go to open tasks only", "只能对办理中的任务签发督办单")
    reason = check_plain_text(reason, "督办事由", "reason", max_length=2000, required=True)
    action = check_plain_text(required_action, "整改要求", "required action", max_length=2000) \
        or DEFAULT_ACTIONS[Color(light)]
    if reply_days is not None and not 1 <= int(reply_days) <= 60:
        raise LuoshiError("reply days must be between 1 and 60", "回复期限应为1到60个工作日", field="reply_days")
    return _create_notice(task, light=light, kind=SupervisionNotice.Kind.MANUAL, reason=reason,
                          required_action=action, on=on or today(), actor=actor, reply_days=reply_days)


def _notice_event(notice: SupervisionNotice, kind: str, text: str, actor=None) -> None:
    """The step on the task's timeline, or on the item's (through its supervised kind)."""
    if notice.task_id:
        _event(notice.task, kind, text, actor=actor)
    else:
        from .kinds import item_notice_event

        item_notice_event(notice, kind, text, actor)


def _lead_liaison_of(actor, notice: SupervisionNotice) -> bool:
    return bool(actor.is_liaison and actor.unit_id == notice.lead_unit_id)


@transaction.atomic
def do_acknowledge_notice(actor, notice: SupervisionNotice) -> SupervisionNotice:
    """签收: the addressed unit acknowledges the notice."""
    notice = SupervisionNotice.objects.select_for_update().get(pk=notice.pk)
    if not _lead_liaison_of(actor, notice):
        deny("acknowledge this notice", "签收此督办单")
    if notice.state != SupervisionNotice.State.ISSUED:
        raise LuoshiError("this notice has already been acknowledged", "该督办单已签收")
    notice.state = SupervisionNotice.State.ACKNOWLEDGED
    notice.acknowledged_at, notice.acknowledged_by = timezone.now(), actor
    notice.save()
    _notice_event(notice, "notice_ack", f"签收{notice.title_zh}{notice.number}", actor=actor)
    record(actor, "notice.acknowledge", notice, summary=f"签收{notice.number}")
    return notice


@transaction.atomic
def do_answer_notice(actor, notice: SupervisionNotice, answer: str, on: dt.date | None = None) -> SupervisionNotice:
    """回复: the addressed unit answers (acknowledging first if it had not)."""
    notice = SupervisionNotice.objects.select_for_update().get(pk=notice.pk)
    if not _lead_liaison_of(actor, notice):
        deny("answer this notice", "回复此督办单")
    S = SupervisionNotice.State
    if notice.state not in (S.ISSUED, S.ACKNOWLEDGED, S.REJECTED):
        raise LuoshiError("this notice has already been answered", "该督办单已回复")
    answer = check_plain_text(answer, "回复内容", "answer", max_length=10000, required=True)
    if notice.state == S.ISSUED:
        notice.acknowledged_at, notice.acknowledged_by = timezone.now(), actor
    notice.state, notice.answer, notice.answered_on, notice.answered_by = S.ANSWERED, answer, on or today(), actor
    notice.save()
    _notice_event(notice, "notice_answer", f"回复{notice.title_zh}{notice.number}:{answer[:500]}", actor=actor)
    record(actor, "notice.answer", notice, summary=f"回复{notice.number}", after={"answer": answer})
    notify_supervisors(notice.task, kind="notice.answered", title=f"{notice.lead_unit.display_name}已回复{notice.number}",
                       body=answer[:300], notice=notice)
    return notice


@transaction.atomic
def do_review_answer(actor, notice: SupervisionNotice, *, accept: bool, note: str = "") -> SupervisionNotice:
    """督查员 accepts the answer, or sends it back (the escalation chain then resumes)."""
    notice = SupervisionNotice.objects.select_for_update().get(pk=notice.pk)
    if not actor.sees_everything:
        deny("review notice answers", "审核督办单回复")
    if notice.state != SupervisionNotice.State.ANSWERED:
        raise LuoshiError("only an answered notice can be reviewed", "只有已回复的督办单可以审核")
    note = check_plain_text(note, "审核意见", "note", max_length=5000, required=not accept)
    notice.state = SupervisionNotice.State.ACCEPTED if accept else SupervisionNotice.State.REJECTED
    notice.review_note = note
    notice.save()
    _notice_event(notice, "notice_review", ("认可" if accept else "退回") + f"{notice.number}的回复" +
                  (f":{note}" if note else ""), actor=actor)
    record(actor, "notice.review", notice, after={"accept": accept, "note": note})
    if not accept:
        notify_notice(notice, "notice.rejected")
    return notice


def notice_for_user(user, pk: int) -> SupervisionNotice:
    notice = visible_notices(user).filter(pk=pk).first()
    if notice is None:
        raise NotAllowed("no such notice or not yours", "督办单不存在或无权查看")
    return notice


def workspace_sections(user) -> list[dict]:
    """The unit workspace's 督办单 panels (registered with luoshi.ledger.workspace): the open notices
    addressed to the user's unit (待办督办单: to acknowledge/answer) and those it is only copied on
    (抄送本单位·供参阅: to read, nothing to do)."""
    if not getattr(user, "unit_id", None):
        return []
    S = SupervisionNotice.State
    open_q = SupervisionNotice.objects.exclude(state=S.ACCEPTED).select_related("task", "lead_unit")
    todo = open_q.filter(lead_unit_id=user.unit_id).order_by("reply_by", "id")[:100]
    cc = open_q.filter(copy_units=user.unit_id).exclude(lead_unit_id=user.unit_id).order_by("reply_by", "id")[:100]

    def row(n, tag):
        return {"number": n.number, "url": f"/supervision/notices/{n.pk}/",
                "title": f"{n.title_zh}:{n.subject_number} {n.subject_title}",
                "note": f"{n.get_state_display()},回复期限{n.reply_by:%Y-%m-%d}" if tag != "供参阅"
                else f"主送{n.lead_unit.display_name}", "tag": tag}

    return [{"key": "notices", "title": "待办督办单", "rows": [row(n, "待回复") for n in todo]},
            {"key": "notices-cc", "title": "抄送本单位的督办单(供参阅)", "rows": [row(n, "供参阅") for n in cc]}]
