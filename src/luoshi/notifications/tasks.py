"""Background work of the notifications app, through the tasks API (django-tasks)."""
from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from .webhook import post_webhook, webhook_config

log = logging.getLogger(__name__)


@task()
def deliver_webhook(payload: dict) -> int:
    """POST one signed event to LUOSHI_WEBHOOK_URL (see luoshi.notifications.webhook)."""
    return post_webhook(payload)


def enqueue_webhook(payload: dict) -> None:
    """Deliver `payload` in the background once the current transaction commits (no-op without a URL)."""
    url, _ = webhook_config()
    if not url:
        return

    def go():
        try:
            deliver_webhook.enqueue(payload)
        except Exception:  # never let a delivery problem break the caller
            log.exception("webhook delivery failed")

    transaction.on_commit(go)


def send_audit_checkpoint(checkpoint) -> None:
    """Send an audit checkpoint (luoshi.audit.anchor) through the webhook, so a copy of the chain's anchor
    lives outside this machine: event "audit.checkpoint", {"checkpoint": {n, at, seq, hash, legacy_until,
    reason, prev, mac}, "text": "审计锚点第…号…"}. Registered with audit.anchor.on_checkpoint at start-up."""
    enqueue_webhook({"event": "audit.checkpoint",
                     "sent_at": timezone.localtime().isoformat(timespec="seconds"),
                     "checkpoint": checkpoint.as_dict(), "text": f"【{checkpoint.text_zh()}】"})
