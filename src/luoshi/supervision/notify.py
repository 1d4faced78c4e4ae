"""Notifications: in-app inbox (Notification rows), e-mail through Django's mail
backend, and a signed webhook for government IM platforms (政务钉钉/政务微信 bots,
or any HTTP endpoint).

Webhook
-------
Set LUOSHI_WEBHOOK_URL (and LUOSHI_WEBHOOK_SECRET) in the environment or settings.
For every notice event luoshi POSTs one JSON document (UTF-8)::

    {
      "event": "notice.issued",            # notice.issued | notice.rejected | audit.checkpoint | test
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

Headers: Content-Type: application/json; charset=utf-8, X-Luoshi-Event: <event>,
X-Luoshi-Signature: sha256=<hex HMAC-SHA256 of the raw body with LUOSHI_WEBHOOK_SECRET>.
Verify by recomputing the HMAC over the exact bytes received. Delivery runs through
the tasks API after the transaction commits (task `deliver_webhook`); failures are
logged and do not undo the notice.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import urllib.request

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from luoshi.accounts.models import Role, User

from .models import Notification

log = logging.getLogger(__name__)


def webhook_config() -> tuple[str, str]:
    url = getattr(settings, "LUOSHI_WEBHOOK_URL", None) or os.environ.get("LUOSHI_WEBHOOK_URL", "")
    secret = getattr(settings, "LUOSHI_WEBHOOK_SECRET", None) or os.environ.get("LUOSHI_WEBHOOK_SECRET", "")
    return url, secret


def sign(body: bytes, secret: str) -> str:
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def post_webhook(payload: dict, url: str | None = None, secret: str | None = None, timeout: float = 10) -> int:
    """POST `payload` to the webhook; returns the HTTP status (raises on network errors)."""
    cfg_url, cfg_secret = webhook_config()
    url, secret = url or cfg_url, cfg_secret if secret is None else secret
    body = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")
    req = urllib.request.Request(url, data=body, method="POST", headers={
        "Content-Type": "application/json; charset=utf-8",
        "X-Luoshi-Event": payload.get("event", ""),
        "X-Luoshi-Signature": sign(body, secret or ""),
        "User-Agent": "luoshi-webhook/1",
    })
    with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 - configured URL
        return resp.status


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
                 "deadline": task.deadline.isoformat() if task.deadline else None},
        "text": f"【{notice.title_zh}】{notice.number} {notice.lead_unit.name}:{task.number}“{task.title}”,"
                f"{notice.reason}。请于{notice.reply_by:%Y-%m-%d}前回复。",
    }


def _enqueue_webhook(payload: dict) -> None:
    url, _ = webhook_config()
    if not url:
        return

    def go():
        from .tasks import deliver_webhook

        try:
            deliver_webhook.enqueue(payload)
        except Exception:  # never let a delivery problem break the caller
            log.exception("webhook delivery failed")

    transaction.on_commit(go)


def send_audit_checkpoint(checkpoint) -> None:
    """Send an audit checkpoint (luoshi.audit.anchor) through the webhook, so a copy of the chain's anchor
    lives outside this machine: event "audit.checkpoint", {"checkpoint": {n, at, seq, hash, legacy_until,
    reason, prev, mac}, "text": "审计锚点第…号…"}."""
    _enqueue_webhook({"event": "audit.checkpoint",
                      "sent_at": timezone.localtime().isoformat(timespec="seconds"),
                      "checkpoint": checkpoint.as_dict(), "text": f"【{checkpoint.text_zh()}】"})


def _recipients(units, roles=(Role.LIAISON,)):
    return list(User.objects.filter(unit__in=units, role__in=roles, is_active=True).order_by("id"))


def _deliver(users, *, kind: str, title: str, body: str = "", url: str = "", task=None, notice=None) -> int:
    users = list({u.pk: u for u in users}.values())
    Notification.objects.bulk_create([
        Notification(user=u, kind=kind, title=title[:200], body=body, url=url, task=task, notice=notice)
        for u in users])
    emails = [u.email for u in users if u.email]
    if emails:
        def mail():
            try:
                send_mail(title[:200], f"{body}\n\n{url}".strip(), settings.DEFAULT_FROM_EMAIL, emails,
                          fail_silently=False)
            except Exception:
                log.exception("mail delivery failed")

        transaction.on_commit(mail)
    return len(users)


def notify_notice(notice, event: str) -> int:
    """A notice was issued (or its answer sent back): tell the addressed and copied units."""
    task = notice.task
    lead = [notice.lead_unit]
    copies = list(notice.copy_units.all())
    url = f"/supervision/notices/{notice.pk}/"
    if event == "notice.rejected":
        title = f"【回复被退回】{notice.number} 请重新回复"
        body = notice.review_note
        users = _recipients(lead)
    else:
        title = f"【{notice.title_zh}】{notice.number} {task.title[:60]}"
        body = f"{notice.reason}\n整改要求:{notice.required_action}\n回复期限:{notice.reply_by:%Y-%m-%d}"
        users = _recipients(lead) + _recipients(copies)
        if notice.light == "red":
            users += _recipients(lead, roles=(Role.LEADER,))
    n = _deliver(users, kind=event, title=title, body=body, url=url, task=task, notice=notice)
    _enqueue_webhook(notice_payload(notice, event))
    return n


def notify_unit(task, *, kind: str, title: str, body: str = "", units=None) -> int:
    units = units if units is not None else list(task.lead_units.all())
    return _deliver(_recipients(units), kind=kind, title=title, body=body, url=f"/tasks/{task.pk}/", task=task)


def notify_leaders(task, *, kind: str, title: str, body: str = "") -> int:
    units = list(task.lead_units.all())
    users = _recipients(units, roles=(Role.LEADER,)) + list(
        User.objects.filter(role__in=(Role.SUPERVISOR,), is_active=True).order_by("id"))
    return _deliver(users, kind=kind, title=title, body=body, url=f"/tasks/{task.pk}/", task=task)


def notify_supervisors(task, *, kind: str, title: str, body: str = "", notice=None) -> int:
    users = User.objects.filter(role=Role.SUPERVISOR, is_active=True).order_by("id")
    url = f"/supervision/notices/{notice.pk}/" if notice else f"/tasks/{task.pk}/"
    return _deliver(users, kind=kind, title=title, body=body, url=url, task=task, notice=notice)
