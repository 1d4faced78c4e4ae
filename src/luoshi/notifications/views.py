"""The inbox page (站内消息): a user's own messages only."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from luoshi.core.params import get_bool, paginate
from . import services as svc


@login_required
def inbox(request):
    qs = svc.inbox(request.user, unread_only=get_bool(request.GET, "unread", "仅看未读"))
    page = paginate(qs, 30, request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page": page, "unread": svc.unread_count(request.user)})


@login_required
@require_POST
def inbox_read(request):
    ids = request.POST.getlist("id")
    svc.do_mark_read(request.user, [int(i) for i in ids if i.isdigit()] if ids else None)
    return redirect("notifications:inbox")
