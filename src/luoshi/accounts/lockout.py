"""The audit entry of a login lockout (django-axes' user_locked_out signal); the lockout itself
(message, response, backend, client address) is luoshi.core.lockout."""
from __future__ import annotations

from django.conf import settings

from luoshi.core.lockout import lockout_minutes


def on_locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    """Signal receiver (axes.signals.user_locked_out): one audit entry per lockout (further
    attempts during the lockout extend it but are not audited again)."""
    from django.utils import timezone

    from luoshi.audit.models import AuditEntry
    from luoshi.audit.services import record

    from .models import User

    user = User.objects.filter(username=username).first() if username else None
    since = timezone.now() - (settings.AXES_COOLOFF_TIME or timezone.timedelta(days=3650))
    if AuditEntry.objects.filter(action="login.lockout", at__gte=since, after__username=username,
                                 after__ip=ip_address).exists():
        return
    summary = f"连续登录失败 {settings.AXES_FAILURE_LIMIT} 次,账号“{username or '?'}”在地址 {ip_address} 被锁定 " \
              f"{lockout_minutes()} 分钟"
    if user is not None:
        record("登录保护", "login.lockout", user, summary=summary, after={"username": username, "ip": ip_address})
    else:
        record("登录保护", "login.lockout", object_type="accounts.user", object_id=username or "", summary=summary,
               after={"username": username, "ip": ip_address})
