"""Template context processor: `nav_unread`, the number of unread inbox messages shown next to
消息 in the top navigation (core/base.html). Registered in settings.TEMPLATES."""
from __future__ import annotations


def unread(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from .services import unread_count

    return {"nav_unread": unread_count(user)}
