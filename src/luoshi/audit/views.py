"""The audit trail page (审计日志): who did what, when; read-only, 督查员/管理员 only."""
from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from luoshi.core.params import paginate, parse_date
from luoshi.core.views import forbidden

from .labels import AUDIT_LABELS, action_label, object_text, object_type_label
from .models import AuditEntry


@login_required
def audit(request):
    if not request.user.sees_everything:
        return forbidden(request, "只有督查员和管理员可以查看审计日志。")
    g = request.GET
    params = {k: g.get(k, "").strip()[:100] for k in ("action", "actor", "object_type", "object_id", "since",
                                                        "until")}
    qs = AuditEntry.objects.all()
    if params["action"]:
        qs = qs.filter(action__startswith=params["action"])
    if params["actor"]:
        qs = qs.filter(actor_name__icontains=params["actor"])
    if params["object_type"]:
        qs = qs.filter(object_type=params["object_type"])
    if params["object_id"]:
        qs = qs.filter(object_id=params["object_id"])
    tz = timezone.get_current_timezone()
    for key, op in (("since", "gte"), ("until", "lt")):
        if params[key]:
            day = parse_date(params[key], key, "起始日期" if key == "since" else "截止日期")
            if key == "until":
                day += dt.timedelta(days=1)
            qs = qs.filter(**{f"at__{op}": dt.datetime.combine(day, dt.time.min, tzinfo=tz)})
    qs = qs.order_by("-seq")
    page = paginate(qs, 50, g.get("page"))
    for e in page.object_list:
        e.label = action_label(e.action)
        e.type_label = object_type_label(e.object_type)
        e.object_text = object_text(e.object_type, e.object_id, e.object_repr)
    types = [(t, object_type_label(t)) for t in
             AuditEntry.objects.order_by("object_type").values_list("object_type", flat=True).distinct()]
    actions = sorted(AUDIT_LABELS.items())
    return render(request, "audit/audit.html", {
        "page": page, "params": params, "types": types, "actions": actions,
        "query": urlencode({k: v for k, v in params.items() if v}),
    })
