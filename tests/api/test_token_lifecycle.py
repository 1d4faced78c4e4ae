"""API tokens are stored hashed, expire after LUOSHI_TOKEN_TTL_HOURS and die with a password change."""
from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from luoshi.accounts.models import ApiToken
from luoshi.accounts.services import do_set_password
from luoshi.audit.models import AuditEntry
from tests.conftest import PASSWORD


def _token(username="fgw_liaison", password=PASSWORD):
    r = APIClient().post("/api/auth/token/", {"username": username, "password": password}, format="json")
    assert r.status_code == 200, r.content
    return r.json()["token"]


def _me(token):
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return c.get("/api/users/me/")


def test_only_a_hash_of_the_token_is_stored(users):
    token = _token()
    assert len(token) == 40
    row = ApiToken.objects.get()
    assert row.digest != token and len(row.digest) == 64 and row.prefix == token[:8]
    with connection.cursor() as cur:  # nowhere in the table, in any column
        cur.execute("SELECT * FROM accounts_apitoken")
        assert token not in repr(cur.fetchall())
    assert _me(token).status_code == 200
    entry = AuditEntry.objects.get(action="token.issue")
    assert token not in repr([entry.summary, entry.before, entry.after])


def test_token_expires_after_the_configured_hours(users, settings):
    settings.LUOSHI_TOKEN_TTL_HOURS = 2
    before = timezone.now()
    token = _token()
    row = ApiToken.objects.get()
    assert dt.timedelta(hours=2) <= row.expires - before < dt.timedelta(hours=2, minutes=1)
    assert _me(token).status_code == 200
    ApiToken.objects.filter(pk=row.pk).update(expires=timezone.now() - dt.timedelta(seconds=1))
    r = _me(token)
    assert r.status_code == 401
    assert r.json()["detail_zh"].startswith("身份验证失败")


@pytest.mark.parametrize("how", ["service", "model"])
def test_password_change_revokes_every_token(users, how):
    first, second = _token(), _token()
    other = _token("edu_liaison")
    fgw = users["fgw"]
    if how == "service":  # luoshi users set-password, the admin's reset …
        do_set_password("命令行", fgw, "a-brand-new-pw-77")
        assert ApiToken.objects.filter(user=fgw, revoked_at__isnull=False).count() == 2
        assert AuditEntry.objects.filter(action="token.revoke", object_id=str(fgw.pk)).exists()
    else:  # any other path that changes the password hash (Django's changepassword, admin form)
        fgw.set_password("a-brand-new-pw-77")
        fgw.save()
    assert _me(first).status_code == 401
    assert _me(second).status_code == 401
    assert _me(other).status_code == 200
    assert _me(_token(password="a-brand-new-pw-77")).status_code == 200


def test_deactivated_user_token_stops(users):
    token = _token()
    users["fgw"].is_active = False
    users["fgw"].save()
    assert _me(token).status_code == 401


@pytest.mark.parametrize("header", ["Token", "Token a b", "Token " + "f" * 40, "Token " + "é" * 5, "Token " + "a" * 300])
def test_malformed_or_unknown_tokens_are_401(db, header):
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=header)
    r = c.get("/api/users/me/")
    assert r.status_code == 401
    assert r["WWW-Authenticate"] == "Token"
