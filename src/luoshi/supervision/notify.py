"""Who hears about supervision events, and what the 督办单 webhook says.

Delivery (inbox, e-mail, signed webhook) is luoshi.notifications'; this module
only chooses recipients and words, and builds the notice payload.

Webhook payload of a notice event (see luoshi.notifications.webhook for the
headers and the signature)::

    {
      "event": "notice.issued",            # notice.issued | notice.rejected | test
      "sent_at": "2026-03-02T09:00:00+08:00",
      "notice": {
        "id": 17, "number": "督办〔2026〕第0017号",
        "title": "红色督办单", "light": "red",          # blue | yellow | red
        "kind": "auto",                                 # auto | manual | escalation
        "issued_on": "2026-03-02", "reply_by": "2026-03-09",
        "reason": "…", "required_action": "…",
        "lead_unit": "市发展和改革委员会", "copy_units": ["市教育局"], "copy_leader": "…",
        "url": "/supervision/notices/17/"
      },
      "task": {"id": 5, "number": "DB2026-00005", "title": "…", "deadline": "2026-02-27"},
      "text": "【红色督办单】督办〔2026〕第0017号 市发展和改革委员会:…"   # ready for a chat bot
    }
"""
from __future__ import annotations

from django.utils import timezone

from luoshi.accounts.models import Role
from luoshi.notifications.services import enqueue_webhook, notify, notify_roles, recipients


def notice_payload(notice, event: str, copy_units=None) -> dict:
    task = notice.task
    if copy_units is None:
        copy_units = notice.copy_units.order_by("sort_order", "id")
    copy_units = [u.name for u in copy_units]
    return {
        "event": event,
        "sent_at": timezone.localtime().isoformat(timespec="seconds"),
        "notice": {
            "id": notice.pk, "number": notice.number, "title": notice.title_zh, "light": notice.light,
            "kind": notice.kind, "issued_on": notice.issued_on.isoformat(), "reply_by": notice.reply_by.isoformat(),
            "reason": notice.reason, "required_action": notice.required_action,
            "lead_unit": notice.lead_unit.name, "copy_units": copy_units, "copy_leader": notice.copy_leader,
            "url": f"/supervision/notices/{notice.pk}/",
        },
        "task": {"id": task.pk, "number": task.number, "title": task.title,
                 "deadline": task.deadline.isoformat() if task.deadline else None} if task is not None else None,
        "item": None if task is not None else {"kind": notice.source_type, "id": notice.source_id,
                                               "label": notice.source_label, "url": notice.source_url},
        "text": f"【{notice.title_zh}】{notice.number} {notice.lead_unit.name}:{notice.subject_number}"
                f"“{notice.subject_title}”,{notice.reason}。请于{notice.reply_by:%Y-%m-%d}前回复。",
    }


def notify_notice(notice, event: str) -> int:
    """A notice was issued (or its answer sent back): tell the addressed and copied units."""
    task = notice.task
    lead = [notice.lead_unit]
    copies = list(notice.copy_units.all())
    url = f"/supervision/notices/{notice.pk}/"
    if event == "notice.rejected":
        title = f"【回复被退回】{notice.number} 请重新回复"
        body = notice.review_note
        users = recipients(lead)
    else:
        title = f"【{notice.title_zh}】{notice.number} {notice.subject_title[:60]}"
        body = f"{notice.reason}\n整改要求:{notice.required_action}\n回复期限:{notice.reply_by:%Y-%m-%d}"
        users = recipients(lead) + recipients(copies)
        if notice.light == "red":
            users += recipients(lead, roles=(Role.LEADER,))
    n = notify(users, kind=event, title=title, body=body, url=url, obj=notice)
    enqueue_webhook(notice_payload(notice, event))
    return n


def notify_unit(task, *, kind: str, title: str, body: str = "", units=None) -> int:
    """Tell the liaisons of `units` (default: the task's lead units) about `task`."""
    units = units if units is not None else list(task.lead_units.all())
    return notify(recipients(units), kind=kind, title=title, body=body, url=f"/tasks/{task.pk}/", obj=task)


def notify_leaders(task, *, kind: str, title: str, body: str = "") -> int:
    """Tell the 领导 of the task's lead units and every 督查员."""
    users = recipients(list(task.lead_units.all()), roles=(Role.LEADER,)) + recipients_supervisors()
    return notify(users, kind=kind, title=title, body=body, url=f"/tasks/{task.pk}/", obj=task)


def recipients_supervisors() -> list:
    from luoshi.accounts.models import User

    return list(User.objects.filter(role=Role.SUPERVISOR, is_active=True).order_by("id"))


def notify_supervisors(task, *, kind: str, title: str, body: str = "", notice=None) -> int:
    """Tell every 督查员 (about a notice when given, else about the task)."""
    url = f"/supervision/notices/{notice.pk}/" if notice else f"/tasks/{task.pk}/"
    return notify_roles((Role.SUPERVISOR,), kind=kind, title=title, body=body, url=url,
                        obj=notice if notice is not None else task)
