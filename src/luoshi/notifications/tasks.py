"""Background work of the notifications app, through the tasks API (django-tasks)."""
from __future__ import annotations

from django_tasks import task


@task()
def deliver_webhook(payload: dict) -> int:
    """POST one signed event to LUOSHI_WEBHOOK_URL (see luoshi.notifications.webhook)."""
    from .webhook import post_webhook

    return post_webhook(payload)
