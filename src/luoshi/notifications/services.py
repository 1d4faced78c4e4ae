"""Reaching people (消息通知): the in-app inbox, e-mail and the signed webhook.

Every app calls these instead of writing Notification rows or sending mail itself:

    from luoshi.notifications.services import notify, notify_units, notify_roles

    notify([user, ...], kind="case.dispatched", title="【派遣】…", body="…", url="/cases/7/", obj=case)
    notify_units([unit, ...], roles=("liaison",), kind=..., title=..., url=..., obj=...)
    notify_roles(("supervisor",), kind=..., title=...)

Each recipient gets one inbox row (站内消息; duplicates in `users` are merged);
users with an e-mail address also get a mail once the transaction commits (mail
failures are logged, never raised). `obj` is any model instance the message is
about: stored as object_type ("app_label.model") and object_id, so a lower layer
never points at a higher layer's tables. Webhooks: luoshi.notifications.webhook
(sign, post_webhook) and luoshi.notifications.tasks (`enqueue_webhook(payload)`, re-exported here); batches of thousands: luoshi.notifications.outbox.
"""
from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from luoshi.accounts.models import Role, User

from .models import Notification
from .tasks import enqueue_webhook
from .webhook import post_webhook, sign, webhook_config

log = logging.getLogger(__name__)

__all__ = ["notify", "notify_units", "notify_roles", "recipients", "object_ref", "inbox", "unread_count",
           "do_mark_read", "send_mail_later", "enqueue_webhook", "post_webhook", "sign", "webhook_config"]


def object_ref(obj) -> tuple[str, str]:
    """(object_type, object_id) of a model instance, ("", "") for None."""
    if obj is None:
        return "", ""
    return obj._meta.label_lower, str(obj.pk)


def recipients(units, roles=(Role.LIAISON,)) -> list:
    """Active users holding one of `roles` in one of `units`, by id."""
    return list(User.objects.filter(unit__in=list(units), role__in=list(roles), is_active=True).order_by("id"))


def send_mail_later(subject: str, body: str, emails: list[str]) -> None:
    """Send one mail after the transaction commits; failures are logged."""
    if not emails:
        return

    def mail():
        try:
            send_mail(subject[:200], body, settings.DEFAULT_FROM_EMAIL, emails, fail_silently=False)
        except Exception:
            log.exception("mail delivery failed")

    transaction.on_commit(mail)


def notify(users, *, kind: str, title: str, body: str = "", url: str = "", obj=None) -> int:
    """Put one message in each user's inbox (and mail those with an address); returns how many users.

    kind: a short code ("notice.issued", "case.dispatched"); title: ≤ 200 characters (cut);
    url: the page to open (a path like "/tasks/5/"); obj: the model instance it is about.
    """
    users = list({u.pk: u for u in users}.values())
    object_type, object_id = object_ref(obj)
    Notification.objects.bulk_create([
        Notification(user=u, kind=kind, title=title[:200], body=body, url=url, object_type=object_type,
                     object_id=object_id)
        for u in users])
    send_mail_later(title, f"{body}\n\n{url}".strip(), [u.email for u in users if u.email])
    return len(users)


def notify_units(units, roles=(Role.LIAISON,), *, kind: str, title: str, body: str = "", url: str = "",
                 obj=None) -> int:
    """notify() the active users of `roles` (default: 单位联络员) in `units`."""
    return notify(recipients(units, roles), kind=kind, title=title, body=body, url=url, obj=obj)


def notify_roles(roles, *, kind: str, title: str, body: str = "", url: str = "", obj=None) -> int:
    """notify() every active user holding one of `roles` (e.g. ("supervisor",): every 督查员)."""
    users = User.objects.filter(role__in=list(roles), is_active=True).order_by("id")
    return notify(users, kind=kind, title=title, body=body, url=url, obj=obj)


def inbox(user, *, unread_only: bool = False):
    """The user's messages, newest first."""
    qs = Notification.objects.filter(user=user).order_by("-created_at", "-id")
    return qs.filter(read_at__isnull=True) if unread_only else qs


def unread_count(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


@transaction.atomic
def do_mark_read(actor, ids=None) -> int:
    """Mark the actor's own messages read (all unread ones when ids is None); returns how many.

    Other users' messages are never touched (ids of theirs are ignored)."""
    qs = Notification.objects.filter(user=actor, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(id__in=list(ids))
    return qs.update(read_at=timezone.now())
