"""API tokens (接口令牌): issued by POST /api/auth/token/, sent as `Authorization: Token <key>`.

Only a SHA-256 digest of each token is stored (a token is 160 random bits, so a plain
digest is enough; a database dump does not reveal usable tokens). A token stops
working when it expires (settings.LUOSHI_TOKEN_TTL_HOURS, default 24 h), when it is
revoked, when its user is deactivated, or when the user's password changes.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from luoshi.audit.services import record

from .models import ApiToken, User

KEYWORD = "Token"
_TOUCH_EVERY = dt.timedelta(minutes=5)  # last_used is refreshed at most this often (no write per request)


def digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def password_mark(user: User) -> str:
    """A keyed digest of the user's password hash: changes whenever the password does."""
    return hmac.new(settings.SECRET_KEY.encode(), f"api-token:{user.pk}:{user.password}".encode(),
                    hashlib.sha256).hexdigest()


def token_ttl() -> dt.timedelta:
    return dt.timedelta(hours=float(settings.LUOSHI_TOKEN_TTL_HOURS))


@transaction.atomic
def do_issue_token(user: User) -> tuple[str, ApiToken]:
    """Issue a new token for `user` → (key shown once, stored row). Audited (without the key)."""
    key = secrets.token_hex(20)
    token = ApiToken.objects.create(user=user, digest=digest(key), prefix=key[:8], password_mark=password_mark(user),
                                    expires=timezone.now() + token_ttl())
    record(user, "token.issue", user, summary=f"签发接口令牌 {token.prefix}…,有效期至 "
                                              f"{timezone.localtime(token.expires):%Y-%m-%d %H:%M}")
    return key, token


@transaction.atomic
def do_revoke_tokens(actor, user: User, reason: str = "", ids=None) -> int:
    """Revoke the live tokens of `user` (all, or those with these ids) → how many."""
    live = ApiToken.objects.filter(user=user, revoked_at__isnull=True)
    if ids is not None:
        live = live.filter(pk__in=list(ids))
    n = live.update(revoked_at=timezone.now())
    if n:
        record(actor, "token.revoke", user, summary=f"吊销接口令牌 {n} 个" + (f"({reason})" if reason else ""))
    return n


def user_for_key(key: str) -> User | None:
    """The active user a token belongs to, or None when it is unknown, expired, revoked or stale."""
    if not key or len(key) > 100:
        return None
    now = timezone.now()
    token = (ApiToken.objects.select_related("user").filter(digest=digest(key), revoked_at__isnull=True,
                                                            expires__gt=now).first())
    if token is None or not token.user.is_active:
        return None
    if not hmac.compare_digest(token.password_mark, password_mark(token.user)):
        return None  # the password changed since the token was issued
    if token.last_used is None or now - token.last_used > _TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used=now)
    return token.user


class ExpiringTokenAuthentication(BaseAuthentication):
    """DRF authentication for `Authorization: Token <key>` against hashed, expiring tokens."""

    keyword = KEYWORD

    def authenticate(self, request):
        auth = get_authorization_header(request).split()
        if not auth or auth[0].lower() != self.keyword.lower().encode():
            return None
        if len(auth) != 2:
            raise exceptions.AuthenticationFailed("Invalid token header.")
        try:
            key = auth[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed("Invalid token header.") from None
        user = user_for_key(key)
        if user is None:
            raise exceptions.AuthenticationFailed("Invalid, expired or revoked token.")
        return user, key

    def authenticate_header(self, request):
        return self.keyword
