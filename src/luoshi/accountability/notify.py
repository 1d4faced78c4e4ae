"""Reaching people about accountability. Bodies never name the people held to account when they go
to anyone but the officers and the person themself."""
from __future__ import annotations

from django.db.models import Q


def deliver(users, *, kind: str, title: str, body: str = "", url: str = "", obj=None) -> int:
    from luoshi.notifications.services import notify

    return notify(list(users), kind=kind, title=title, body=body, url=url, obj=obj)


def unit_liaisons(proposal) -> list:
    """The liaisons of the responsible unit (and of the task's lead units)."""
    from luoshi.accounts.models import Role, User

    units = {proposal.unit_id}
    if proposal.task_id:
        units |= set(proposal.task.lead_units.values_list("id", flat=True))
    return list(User.objects.filter(Q(unit_id__in=units), role=Role.LIAISON, is_active=True).order_by("id"))
