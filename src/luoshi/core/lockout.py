"""Brute-force protection around django-axes: the client address, the lockout message and
response, and the backend that puts axes in front of the password check (the audit entry of
a lockout is luoshi.accounts.lockout's).

A user+address pair is locked out after settings.AXES_FAILURE_LIMIT failed logins (web
login, admin or POST /api/auth/token/) for settings.AXES_COOLOFF_TIME; `luoshi users
unlock NAME` or the admin (用户 → 解除登录锁定) lifts it earlier.
"""
from __future__ import annotations

import ipaddress

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.http import HttpResponse, JsonResponse

LOCKED_ZH = "登录失败次数过多,该账号在本机地址已被暂时锁定。请{minutes}分钟后再试,或联系管理员解锁。"
LOCKED_EN = "Too many failed logins: this account is locked for your address. Try again in {minutes} minutes " \
            "or ask an administrator to unlock it."


def lockout_minutes() -> int:
    cooloff = settings.AXES_COOLOFF_TIME
    return max(1, round(cooloff.total_seconds() / 60)) if cooloff else 0


def locked_message_zh() -> str:
    return LOCKED_ZH.format(minutes=lockout_minutes())


def client_ip(request) -> str:
    """The client address: REMOTE_ADDR, or the right-most X-Forwarded-For entry when the
    request comes from a trusted proxy (settings.LUOSHI_FORWARDED_ALLOW_IPS)."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded and remote in getattr(settings, "LUOSHI_FORWARDED_ALLOW_IPS", ()):
        candidate = forwarded.split(",")[-1].strip()
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            pass
    return remote


def lockout_response(request, original_response=None, credentials=None) -> HttpResponse:
    """What a locked-out client gets: JSON 429 on the API; on pages the login form with the
    Chinese lockout message (set by the login form), answered with 429."""
    minutes = lockout_minutes()
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": LOCKED_EN.format(minutes=minutes), "detail_zh": LOCKED_ZH.format(minutes=minutes),
                             "field": None}, status=429)
    if original_response is not None and original_response.status_code == 200 \
            and locked_message_zh().encode() in getattr(original_response, "content", b""):
        original_response.status_code = 429
        return original_response
    # Anything else (e.g. the admin's own login form): a plain Chinese page.
    body = (f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>账号已锁定</title></head>'
            f'<body><h1>账号已锁定</h1><p>{LOCKED_ZH.format(minutes=minutes)}</p>'
            f'<p><a href="/accounts/login/">返回登录</a></p></body></html>')
    return HttpResponse(body, status=429, content_type="text/html; charset=utf-8")


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' check in front of the password backends, for every login that comes with a
    request (web login, admin, token endpoint). A call of authenticate() without a request
    (Django's test client, a script) has no address to lock and is passed on unchanged."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
