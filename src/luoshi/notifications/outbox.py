"""Messages in batches: a sweep announces thousands of 督办单 at once.

`Recipients` loads the active 单位联络员/领导 of many units once; `Outbox` collects
in-app messages, mails and webhook payloads and `flush()` writes them in one bulk
insert (COPY on PostgreSQL), mails and webhooks after commit. Same rows as
luoshi.notifications.services.notify, which handles the one-at-a-time case."""
from __future__ import annotations

from collections import defaultdict

from django.db import connection, transaction

from luoshi.core.db import insert_tuples

from .models import Notification


class Person:
    """What a batch needs of a recipient: the id and the e-mail address."""

    __slots__ = ("pk", "email")

    def __init__(self, pk, email):
        self.pk, self.email = pk, email


class Recipients:
    """Active users by unit and role, loaded once per batch (what services.recipients asks one call at a time)."""

    def __init__(self, unit_ids):
        from luoshi.accounts.models import Role, User

        self.Role = Role
        self.by_unit: dict[tuple[int, str], list] = defaultdict(list)
        for pk, unit_id, role, email in (User.objects.filter(unit_id__in=set(unit_ids), is_active=True,
                                                             role__in=(Role.LIAISON, Role.LEADER))
                                         .order_by("id").values_list("id", "unit_id", "role", "email")):
            self.by_unit[(unit_id, role)].append(Person(pk, email))
        self._supervisors = None

    def of(self, units, role=None) -> list:
        role = role or self.Role.LIAISON
        return [u for unit in units for u in self.by_unit.get((unit.pk, role), [])]

    def supervisors(self) -> list:
        if self._supervisors is None:
            from luoshi.accounts.models import User

            self._supervisors = [Person(pk, email) for pk, email in User.objects.filter(
                role=self.Role.SUPERVISOR, is_active=True).order_by("id").values_list("id", "email")]
        return self._supervisors


NOTIFICATION_COLUMNS = ("user_id", "kind", "title", "body", "url", "object_type", "object_id")


class Outbox:
    """Collects in-app messages, mails and webhooks of a batch; `flush` writes them at once."""

    def __init__(self):
        self.rows: list[tuple] = []  # NOTIFICATION_COLUMNS
        self.mails: list[tuple[str, str, list[str]]] = []
        self.hooks: list[dict] = []

    def deliver(self, users, *, kind: str, title: str, body: str = "", url: str = "", obj=None):
        """Like notify(): one inbox row per distinct user, a mail for those with an address."""
        from .services import object_ref

        users = list({u.pk: u for u in users}.values())
        title = title[:200]
        object_type, object_id = object_ref(obj)
        self.rows.extend((u.pk, kind, title, body, url, object_type, object_id) for u in users)
        emails = [u.email for u in users if u.email]
        if emails:
            self.mails.append((title, f"{body}\n\n{url}".strip(), emails))

    def flush(self) -> None:
        from django.conf import settings
        from django.utils import timezone

        from .services import log
        from .tasks import enqueue_webhook

        if self.rows:
            if connection.vendor == "postgresql":
                now = timezone.now()
                insert_tuples(Notification, (*NOTIFICATION_COLUMNS, "created_at"),
                              [(*r, now) for r in self.rows])
            else:
                Notification.objects.bulk_create([Notification(**dict(zip(NOTIFICATION_COLUMNS, r)))
                                                  for r in self.rows], batch_size=2000)
        if self.mails:
            mails = self.mails

            def send():
                from django.core.mail import send_mail

                for subject, body, to in mails:
                    try:
                        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to, fail_silently=False)
                    except Exception:
                        log.exception("mail delivery failed")

            transaction.on_commit(send)
        for payload in self.hooks:
            enqueue_webhook(payload)
        self.rows, self.mails, self.hooks = [], [], []
