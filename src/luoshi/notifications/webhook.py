"""The signed webhook for government IM platforms (政务钉钉/政务微信 bots, or any HTTP endpoint).

Set LUOSHI_WEBHOOK_URL (and LUOSHI_WEBHOOK_SECRET) in the environment or settings.
Every event is POSTed as one JSON document (UTF-8) with the headers

    Content-Type: application/json; charset=utf-8
    X-Luoshi-Event: <payload["event"]>
    X-Luoshi-Signature: sha256=<hex HMAC-SHA256 of the raw body with LUOSHI_WEBHOOK_SECRET>

Verify by recomputing the HMAC over the exact bytes received.
`luoshi.notifications.tasks.enqueue_webhook` delivers through the tasks API (task
`deliver_webhook`) after the transaction commits; failures are logged and never
undo the caller's work. The payload is the caller's: e.g. luoshi.supervision.notify.notice_payload
(督办单 events) documents its fields.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import os
import urllib.request

from django.conf import settings



def webhook_config() -> tuple[str, str]:
    """(url, secret) from settings or the environment; url "" = webhook off."""
    url = getattr(settings, "LUOSHI_WEBHOOK_URL", None) or os.environ.get("LUOSHI_WEBHOOK_URL", "")
    secret = getattr(settings, "LUOSHI_WEBHOOK_SECRET", None) or os.environ.get("LUOSHI_WEBHOOK_SECRET", "")
    return url, secret


def sign(body: bytes, secret: str) -> str:
    """The X-Luoshi-Signature header value of `body`: "sha256=<hex HMAC-SHA256>"."""
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
