"""The top navigation's app links, registered by the apps (core's base.html knows no app above it
beyond the links it has always shown).

An app adds its entry in AppConfig.ready():

    from luoshi.core.nav import register_nav
    register_nav("12345工单", "cases:index", order=40, visible=lambda u: u.is_operator or u.sees_everything)

`visible(user)` decides who sees the link (default: every logged-in user); pages
must still check permission themselves. Entries are shown by `order`, after the
built-in links and before 管理后台.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    order: int = 100
    visible: Callable | None = None


NAV: list[NavEntry] = []


def register_nav(label: str, url_name: str, *, order: int = 100, visible: Callable | None = None) -> None:
    """Add a link to the top navigation (idempotent for the same url_name)."""
    NAV[:] = [e for e in NAV if e.url_name != url_name]
    NAV.append(NavEntry(label, url_name, order, visible))
    NAV.sort(key=lambda e: (e.order, e.label))


def nav_for(request) -> list[dict]:
    """The registered links the request's user may see: [{label, url, active}]."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    out = []
    for e in NAV:
        if e.visible is not None and not e.visible(user):
            continue
        try:
            url = reverse(e.url_name)
        except NoReverseMatch:
            continue
        out.append({"label": e.label, "url": url, "active": request.path.startswith(url) and url != "/"})
    return out


def context(request) -> dict:
    """Template context processor: `app_nav` for core/base.html."""
    return {"app_nav": nav_for(request)}
