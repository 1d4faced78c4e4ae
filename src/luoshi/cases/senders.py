"""Telling the reporter (告知反映人) about each public step: pluggable.

settings.LUOSHI_CASE_SENDERS: dotted paths of callables `send(case, text)`; the default
sends an e-mail when the reporter left one and logs an SMS line (no SMS gateway is
configured in a bare installation). Sending happens after commit; failures are logged.
"""
from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)
OUTBOX: list[tuple[str, str, str]] = []   # (channel, to, text) of this process, newest last (for tests/demo)


def email_sender(case, text: str) -> None:
    if case.reporter_email and not case.anonymous:
        send_mail(f"【诉求办理】案件{case.number}", text, None, [case.reporter_email], fail_silently=True)
        OUTBOX.append(("email", case.reporter_email, text))


def sms_log_sender(case, text: str) -> None:
    if case.reporter_phone and not case.anonymous:
        log.info("SMS to %s: %s", case.reporter_phone, text)
        OUTBOX.append(("sms", case.reporter_phone, text))
        del OUTBOX[:-1000]


def _senders():
    paths = getattr(settings, "LUOSHI_CASE_SENDERS", None) or [
        "luoshi.cases.senders.email_sender", "luoshi.cases.senders.sms_log_sender"]
    return [import_string(p) for p in paths]


def tell_reporter(case, text: str) -> None:
    """Queue `text` to the reporter of `case` and of every case merged into it."""
    targets = [case, *case.merged_children.all()]

    def _go():
        for c in targets:
            for send in _senders():
                try:
                    send(c, text)
                except Exception:  # noqa: BLE001 - a failed SMS never undoes the step
                    log.exception("sending to the reporter of %s failed", c)

    transaction.on_commit(_go)
