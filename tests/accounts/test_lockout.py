"""Brute force (django-axes): a user+address pair is locked out after AXES_FAILURE_LIMIT failed
logins on the web login page or the token endpoint; the lockout is audited, shown in Chinese,
and an administrator lifts it (`luoshi users unlock NAME`, or the admin action)."""
from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import Client
from rest_framework.test import APIClient

from luoshi.audit.models import AuditEntry
from tests.conftest import PASSWORD

LOCKED = "登录失败次数过多"


@pytest.fixture(autouse=True)
def _limit(settings):
    settings.AXES_FAILURE_LIMIT = 5


def _login(client, password, addr="10.0.0.7", username="fgw_liaison"):
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=addr)


def test_login_locks_out_after_five_failures_and_says_so_in_chinese(users):
    c = Client()
    for _ in range(4):
        r = _login(c, "wrong-password")
        assert r.status_code == 200
        assert "用户名或密码错误" in r.content.decode()
    r = _login(c, "wrong-password")
    assert r.status_code == 429
    page = r.content.decode()
    assert LOCKED in page and "联系管理员解锁" in page and "用户登录" in page  # still the login page
    # Now even the right password is refused, from that address …
    r = _login(c, PASSWORD)
    assert r.status_code == 429 and LOCKED in r.content.decode()
    assert "_auth_user_id" not in c.session
    # … while the same user from another address, and another user from this one, get in.
    assert _login(Client(), PASSWORD, addr="10.0.0.8").status_code == 302
    assert _login(Client(), PASSWORD, username="edu_liaison").status_code == 302


def test_lockout_is_audited(users):
    for _ in range(5):
        _login(Client(), "wrong-password")
    entry = AuditEntry.objects.get(action="login.lockout")
    assert entry.object_id == str(users["fgw"].pk)
    assert entry.actor is None and entry.actor_name == "登录保护"
    assert entry.after == {"username": "fgw_liaison", "ip": "10.0.0.7"}
    assert "10.0.0.7" in entry.summary and "5" in entry.summary


def test_success_before_the_limit_resets_the_count(users):
    for _ in range(4):
        _login(Client(), "wrong-password")
    assert _login(Client(), PASSWORD).status_code == 302
    for _ in range(4):
        assert _login(Client(), "wrong-password").status_code == 200
    assert not AuditEntry.objects.filter(action="login.lockout").exists()


def test_cli_unlock_lifts_the_lockout_and_is_audited(users):
    for _ in range(5):
        _login(Client(), "wrong-password")
    assert _login(Client(), PASSWORD).status_code == 429
    out = io.StringIO()
    call_command("users", "unlock", "fgw_liaison", stdout=out)
    assert "fgw_liaison unlocked" in out.getvalue()
    assert _login(Client(), PASSWORD).status_code == 302
    entry = AuditEntry.objects.get(action="login.unlock")
    assert entry.actor_name == "命令行" and entry.object_id == str(users["fgw"].pk)


def test_admin_action_unlocks(users):
    for _ in range(5):
        _login(Client(), "wrong-password")
    admin = Client()
    admin.force_login(users["admin"])
    r = admin.post("/admin/accounts/user/", {"action": "unlock_logins", "_selected_action": [users["fgw"].pk]})
    assert r.status_code == 302
    assert _login(Client(), PASSWORD).status_code == 302
    entry = AuditEntry.objects.get(action="login.unlock")
    assert entry.actor == users["admin"]


def test_only_admins_unlock(users):
    from luoshi.accounts.services import do_unlock_user
    from luoshi.core.errors import NotAllowed

    with pytest.raises(NotAllowed):
        do_unlock_user(users["supervisor"], users["fgw"])


def test_token_endpoint_failures_count_and_lock_out(users):
    api = APIClient(REMOTE_ADDR="10.0.0.9")
    for _ in range(4):
        r = api.post("/api/auth/token/", {"username": "fgw_liaison", "password": "nope"}, format="json")
        assert r.status_code == 400
        assert r.json()["detail_zh"] == "用户名或密码错误"
    r = api.post("/api/auth/token/", {"username": "fgw_liaison", "password": "nope"}, format="json")
    assert r.status_code == 429
    assert LOCKED in r.json()["detail_zh"] and r.json()["detail"]
    r = api.post("/api/auth/token/", {"username": "fgw_liaison", "password": PASSWORD}, format="json")
    assert r.status_code == 429 and "token" not in r.json()
    assert AuditEntry.objects.filter(action="login.lockout").count() == 1
    # The web login from that address is locked too (same user+address pair).
    assert _login(Client(), PASSWORD, addr="10.0.0.9").status_code == 429


def test_token_endpoint_is_throttled_per_address(users, monkeypatch):
    from rest_framework.throttling import ScopedRateThrottle

    # LUOSHI_TOKEN_RATE (default 10/minute) is read into this class attribute at import time.
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"auth_token": "3/minute"})
    api = APIClient(REMOTE_ADDR="10.0.0.10")
    codes = [api.post("/api/auth/token/", {"username": "edu_liaison", "password": PASSWORD},
                      format="json").status_code for _ in range(5)]
    assert codes == [200, 200, 200, 429, 429]
    r = api.post("/api/auth/token/", {"username": "edu_liaison", "password": PASSWORD}, format="json")
    assert r.status_code == 429 and int(r["Retry-After"]) > 0
    assert "请求过于频繁" in r.json()["detail_zh"]
    # another address is not throttled
    assert APIClient(REMOTE_ADDR="10.0.0.11").post(
        "/api/auth/token/", {"username": "edu_liaison", "password": PASSWORD}, format="json").status_code == 200


def test_forwarded_address_counts_only_from_a_trusted_proxy(users):
    # Behind the local proxy the client's own address is locked, not the proxy's.
    for _ in range(5):
        Client().post("/accounts/login/", {"username": "fgw_liaison", "password": "x"},
                      REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert AuditEntry.objects.get(action="login.lockout").after["ip"] == "203.0.113.5"
    ok = Client().post("/accounts/login/", {"username": "fgw_liaison", "password": PASSWORD},
                       REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.6")
    assert ok.status_code == 302
    # A client cannot pick its own address with the header.
    for _ in range(5):
        Client().post("/accounts/login/", {"username": "edu_liaison", "password": "x"},
                      REMOTE_ADDR="198.51.100.1", HTTP_X_FORWARDED_FOR=f"198.51.100.{_ + 50}")
    assert AuditEntry.objects.filter(action="login.lockout", after__ip="198.51.100.1").exists()
