"""Webhook for government IM platforms: signed JSON POST to a real local HTTP server."""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core import mail

from luoshi.notifications.models import Notification
from luoshi.supervision.sweep import run_sweep

D = dt.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def receiver():
    got = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            got.append((dict(self.headers), body))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *a):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook", got
    server.shutdown()
    server.server_close()


def test_notice_posts_signed_webhook_and_mail(placed_task, users, settings, receiver,
                                              django_capture_on_commit_callbacks):
    url, got = receiver
    settings.LUOSHI_WEBHOOK_URL = url
    settings.LUOSHI_WEBHOOK_SECRET = "s3cret"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    users["fgw"].email = "fgw@example.gov.cn"
    users["fgw"].save()
    t = placed_task(D(2025, 2, 3), D(2025, 3, 14), progress=60, title="推进项目审批提速")
    with django_capture_on_commit_callbacks(execute=True):
        run_sweep(D(2025, 3, 18))
    assert [h["X-Luoshi-Event"] for h, _ in got] == ["notice.issued", "audit.checkpoint"]
    headers, body = got[0]
    assert headers["X-Luoshi-Event"] == "notice.issued"
    expected = "sha256=" + hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
    assert headers["X-Luoshi-Signature"] == expected
    payload = json.loads(body.decode("utf-8"))
    assert payload["notice"]["number"] == "督办〔2025〕第0001号"
    assert payload["notice"]["light"] == "red"
    assert payload["notice"]["lead_unit"] == "市发展和改革委员会"
    assert payload["task"]["number"] == t.number
    assert "推进项目审批提速" in payload["text"]
    # e-mail through Django's mail backend
    assert any("fgw@example.gov.cn" in m.to for m in mail.outbox)
    assert any("红色督办单" in m.subject for m in mail.outbox)
    # the sweep's audit checkpoint goes out too: the same line as in the checkpoint file
    from luoshi.audit.anchor import last_checkpoint

    cp = json.loads(got[1][1].decode("utf-8"))["checkpoint"]
    assert cp == last_checkpoint().as_dict() and cp["reason"] == "sweep" and cp["seq"] > 0


def test_no_webhook_when_not_configured(placed_task, settings, receiver, django_capture_on_commit_callbacks):
    url, got = receiver
    settings.LUOSHI_WEBHOOK_URL = ""
    placed_task(D(2025, 2, 3), D(2025, 3, 14), progress=60)
    with django_capture_on_commit_callbacks(execute=True):
        run_sweep(D(2025, 3, 18))
    assert got == []
    assert Notification.objects.exists()
